/* SPDX-License-Identifier: GPL-2.0 */
/* Port I/O exits (pio.c). */
#ifndef SVMHV_SVM_PIO_H
#define SVMHV_SVM_PIO_H

#include "types.h"

int svm_ioio_exit(struct svm_vcpu *vcpu);
int svm_pio_complete(struct svm_vcpu *vcpu);

#endif /* SVMHV_SVM_PIO_H */
