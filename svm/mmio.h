/* SPDX-License-Identifier: GPL-2.0 */
/* MMIO exits (mmio.c). */
#ifndef SVMHV_SVM_MMIO_H
#define SVMHV_SVM_MMIO_H

#include "types.h"

int svm_mmio(struct svm_vcpu *vcpu, u64 gpa);
int svm_mmio_complete(struct svm_vcpu *vcpu);
void svm_mmio_write_done(struct svm_vcpu *vcpu);

#endif /* SVMHV_SVM_MMIO_H */
