/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vCPU-state layer (vcpu_state.c): what every exit handler and MMU
 * backend does to a vCPU.  Its registers; VMCB writes, each with the
 * clean-bit group it dirties; the code's mode and segment bases;
 * exceptions (a #PF with its CR2) injected for the next VMRUN, combined
 * as the CPU combines them; the runs that end in KVM_EXIT_FAIL_ENTRY or
 * KVM_EXIT_INTERNAL_ERROR; the exit counters; and requests to every
 * vCPU of a VM.  paging_regs.h and reset.h are the rest of the layer.
 */
#ifndef SVMHV_SVM_VCPU_STATE_H
#define SVMHV_SVM_VCPU_STATE_H

#include <linux/types.h>

#include "../uapi/svmhv.h"
#include "types.h"

/* A page fault met while the host accessed guest-linear memory. */
struct svm_fault {
	u64 addr;
	u32 error;
};

void vmcb_mark_dirty(struct svm_vcpu *vcpu, int clean_bit);
void svm_intercept(struct svm_vcpu *vcpu, u32 bit, bool on);
u64 svm_reg_read(struct svm_vcpu *vcpu, int reg);
void svm_reg_write(struct svm_vcpu *vcpu, int reg, u64 val);
int svm_code_mode(struct svm_vcpu *vcpu);
u64 svm_linear(struct svm_vcpu *vcpu, int seg, u64 off);

void svm_inject_exception(struct svm_vcpu *vcpu, int vector, bool has_error,
			  u32 error);
void svm_inject_pf(struct svm_vcpu *vcpu, const struct svm_fault *f);

int svm_fail_entry(struct svm_vcpu *vcpu);
int svm_internal_error(struct svm_vcpu *vcpu, u32 suberror);
void svm_count(struct svm_vcpu *vcpu, enum svmhv_exit_stat s);

struct svm_vcpu *svm_vcpu_by_id(struct svm_vm *vm, u32 id);
void svm_vm_request_all(struct svm_vm *vm, int req);

#endif /* SVMHV_SVM_VCPU_STATE_H */
