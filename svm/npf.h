/* SPDX-License-Identifier: GPL-2.0 */
/* Nested page faults (npf.c). */
#ifndef SVMHV_SVM_NPF_H
#define SVMHV_SVM_NPF_H

#include "types.h"

int svm_npf_exit(struct svm_vcpu *vcpu);

#endif /* SVMHV_SVM_NPF_H */
