/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's x87 and SSE state as KVM's ioctls show it (fpu.c): part of
 * the vCPU-state layer.
 */
#ifndef SVMHV_SVM_FPU_H
#define SVMHV_SVM_FPU_H

#include <linux/compiler_types.h>

#include "types.h"

struct fxregs_state;
struct kvm_fpu;
struct kvm_xsave;

void svm_get_fpu(struct svm_vcpu *vcpu, struct kvm_fpu *f);
int svm_set_fpu(struct svm_vcpu *vcpu, const struct kvm_fpu *f);
int svm_get_xsave(struct svm_vcpu *vcpu, struct kvm_xsave __user *u);
int svm_set_xsave(struct svm_vcpu *vcpu, const struct kvm_xsave __user *u);
void svm_fpu_init_parts(struct fxregs_state *fx, u64 xstate_bv);

#endif /* SVMHV_SVM_FPU_H */
