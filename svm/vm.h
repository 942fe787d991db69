/* SPDX-License-Identifier: GPL-2.0 */
/* VM file descriptors (vm.c): KVM_CREATE_VM and the VM ioctls. */
#ifndef SVMHV_SVM_VM_H
#define SVMHV_SVM_VM_H

#include "types.h"

int svm_vm_create(unsigned long type);
void svm_vm_put(struct svm_vm *vm);
bool svm_vm_default_shadow(void);
long svm_check_extension(unsigned long cap);

#endif /* SVMHV_SVM_VM_H */
