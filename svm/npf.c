// SPDX-License-Identifier: GPL-2.0
/*
 * Nested page faults (#VMEXIT(NPF)): what each one is, MMIO (mmio.c), a
 * write to a read-only slot, the first write to a page whose writes are
 * logged, or a fault that a slot change under a running guest explains.
 */
#include <linux/kvm.h>

#include "gpa.h"
#include "mmio.h"
#include "npf.h"
#include "vcpu_state.h"

/*
 * A write to a page of a slot that logs dirty pages, whose nested leaf
 * is read-only until the page is logged: log it, make the leaf writable,
 * and let the guest retry.  A leaf found writable already (another vCPU
 * was first) may be read-only in this vCPU's TLB: flush it.  Returns
 * false when no leaf maps @gpa.
 */
static bool svm_npf_log_write(struct svm_vcpu *vcpu, u64 gpa)
{
	struct svm_vm *vm = vcpu->vm;
	int ret;

	if (!vm->mmu->make_writable || !svm_gpa_logged(vm, gpa))
		return false;
	svm_gpa_log_write(vm, gpa, 1);
	ret = vm->mmu->make_writable(vm, gpa);
	if (ret < 0)
		return false;
	if (!ret)
		set_bit(SVM_REQ_TLB_FLUSH, &vcpu->requests);
	return true;
}

/*
 * A write to a read-only slot: the guest's store exits as MMIO, as KVM.
 * The CPU's own write of an accessed or dirty bit into a guest page
 * table there (EXITINFO1 bit 33: the fault came from the guest's walk)
 * has no instruction to give userspace: an internal error.
 */
static int svm_npf_readonly(struct svm_vcpu *vcpu, u64 gpa)
{
	if (vcpu->vmcb->control.exit_info_1 & SVM_NPF_GUEST_WALK)
		return svm_internal_error(vcpu,
					  KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON);
	return svm_mmio(vcpu, gpa);
}

/*
 * A nested page fault outside every slot is MMIO, and so is a write to a
 * read-only slot.  Inside a slot it is otherwise a
 * write to a page whose writes are logged, or else not expected: a slot
 * is mapped whole before it is published.  Unless the slot came after
 * the VMRUN (a slot created, or deleted and created again, while the
 * guest ran): the access then faulted before the slot was there, and
 * the guest only has to retry it.  A fault inside a slot that was there
 * all along is a wrong nested table.
 */
int svm_npf_exit(struct svm_vcpu *vcpu)
{
	u64 gpa = vcpu->vmcb->control.exit_info_2;

	if (!svm_gpa_is_ram(vcpu->vm, gpa))
		return svm_mmio(vcpu, gpa);
	if ((vcpu->vmcb->control.exit_info_1 & PFERR_WRITE) &&
	    svm_gpa_readonly(vcpu->vm, gpa))
		return svm_npf_readonly(vcpu, gpa);
	svm_count(vcpu, SVMHV_EXIT_NPF);
	if ((vcpu->vmcb->control.exit_info_1 & PFERR_WRITE) &&
	    svm_npf_log_write(vcpu, gpa))
		return 1;
	if (READ_ONCE(vcpu->vm->slots_gen) != vcpu->entry_slots_gen)
		return 1;
	return svm_internal_error(vcpu,
				  KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON);
}
