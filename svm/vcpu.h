/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vCPU file descriptors (vcpu.c): KVM_CREATE_VCPU, the vCPU ioctls, and
 * moving a vCPU between MMUs for SVMHV_SET_MMU.
 */
#ifndef SVMHV_SVM_VCPU_H
#define SVMHV_SVM_VCPU_H

#include "types.h"

int svm_vcpu_create(struct svm_vm *vm, unsigned long id);
void svm_vcpu_free(struct svm_vcpu *vcpu);
void svm_vcpu_mmu_detach(struct svm_vcpu *vcpu);
void svm_vcpu_mmu_attach(struct svm_vcpu *vcpu);

#endif /* SVMHV_SVM_VCPU_H */
