/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of the exit handlers, shared by exits.c (the general exits)
 * and paging.c (the exits a shadow MMU needs).
 */
#ifndef SVMHV_SVM_EXITS_H
#define SVMHV_SVM_EXITS_H

#include "vcpu.h"

#define SVM_EXIT_READ_CR0	0x000
#define SVM_EXIT_READ_CR3	0x003
#define SVM_EXIT_READ_CR4	0x004
#define SVM_EXIT_WRITE_CR0	0x010
#define SVM_EXIT_WRITE_CR3	0x013
#define SVM_EXIT_WRITE_CR4	0x014
#define SVM_EXIT_EXCP_PF	(SVM_EXIT_EXCP_BASE + PF_VECTOR)
#define SVM_EXIT_INVLPG		0x079
#define SVM_EXIT_TASK_SWITCH	0x07d

/* A page fault met while the host accessed guest-linear memory. */
struct svm_fault {
	u64 addr;
	u32 error;
};

void svm_count(struct svm_vcpu *vcpu, enum svmhv_exit_stat s);
int svm_code_mode(struct svm_vcpu *vcpu);
u64 svm_linear(struct svm_vcpu *vcpu, int seg, u64 off);
int svm_access_linear(struct svm_vcpu *vcpu, u64 linear, void *buf, int len,
		      u32 access, struct svm_fault *fault);
void svm_inject_pf(struct svm_vcpu *vcpu, const struct svm_fault *f);
int svm_fetch(struct svm_vcpu *vcpu, u8 *bytes);
int svm_internal_error(struct svm_vcpu *vcpu, u32 suberror);
int svm_mmio(struct svm_vcpu *vcpu, u64 gpa);

/* paging.c */
int svm_cr_exit(struct svm_vcpu *vcpu);
int svm_pf_exit(struct svm_vcpu *vcpu);
int svm_invlpg_exit(struct svm_vcpu *vcpu);
int svm_task_switch_exit(struct svm_vcpu *vcpu);

#endif /* SVMHV_SVM_EXITS_H */
