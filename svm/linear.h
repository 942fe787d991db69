/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest-linear memory (linear.c): the guest-memory layer, with gpa.h.
 * slots_lock is held for read.
 */
#ifndef SVMHV_SVM_LINEAR_H
#define SVMHV_SVM_LINEAR_H

#include "types.h"
#include "vcpu_state.h"

int svm_access_linear(struct svm_vcpu *vcpu, u64 linear, void *buf, int len,
		      u32 access, struct svm_fault *fault);
int svm_linear_gpa(struct svm_vcpu *vcpu, u64 linear, u32 access, u64 *gpa,
		   struct svm_fault *fault);
int svm_linear_fault(struct svm_vcpu *vcpu, int ret,
		     const struct svm_fault *fault);
int svm_fetch(struct svm_vcpu *vcpu, u8 *bytes);

#endif /* SVMHV_SVM_LINEAR_H */
