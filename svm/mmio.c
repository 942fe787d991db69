// SPDX-License-Identifier: GPL-2.0
/*
 * MMIO: a guest access outside every memory slot (a nested page fault
 * under NPT, a shadow #PF on an address without RAM) is decoded and goes
 * to userspace as KVM_EXIT_MMIO; a load completes at the next KVM_RUN.
 */
#include <linux/kvm.h>
#include <linux/string.h>

#include "emulate.h"
#include "gpa.h"
#include "linear.h"
#include "mmio.h"
#include "trace.h"
#include "vcpu_state.h"

/*
 * The instruction that made an MMIO access could not be fetched or
 * decoded: KVM_EXIT_INTERNAL_ERROR (emulation), with RIP, the address
 * and the bytes that were read, as KVM reports it.
 */
static int svm_mmio_undecodable(struct svm_vcpu *vcpu, u64 gpa,
				const u8 *bytes, int n)
{
	struct kvm_run *run = vcpu->run;

	run->exit_reason = KVM_EXIT_INTERNAL_ERROR;
	run->internal.suberror = KVM_INTERNAL_ERROR_EMULATION;
	run->internal.ndata = 4;
	run->internal.data[0] = vcpu->vmcb->save.rip;
	run->internal.data[1] = gpa;
	memset(&run->internal.data[2], 0, 16);
	if (n > 0)
		memcpy(&run->internal.data[2], bytes, min(n, 16));
	return 0;
}

/**
 * svm_mmio() - an access to @gpa, outside every slot: decode it and
 * return to userspace with KVM_EXIT_MMIO.
 * @vcpu: the vCPU
 * @gpa: the guest-physical address accessed
 *
 * A store carries its data; a load completes at the next KVM_RUN
 * (svm_mmio_complete()).
 *
 * Return: 0, to return to userspace.
 */
int svm_mmio(struct svm_vcpu *vcpu, u64 gpa)
{
	struct kvm_run *run = vcpu->run;
	u8 bytes[SVM_INSN_MAX];
	struct svm_insn insn;
	u64 val;
	int n;

	svm_count(vcpu, SVMHV_EXIT_MMIO);
	n = svm_fetch(vcpu, bytes);
	if (n <= 0 || svm_decode(bytes, n, svm_code_mode(vcpu), &insn))
		return svm_mmio_undecodable(vcpu, gpa, bytes, n);

	run->exit_reason = KVM_EXIT_MMIO;
	run->mmio.phys_addr = gpa;
	run->mmio.len = insn.size;
	memset(run->mmio.data, 0, sizeof(run->mmio.data));
	if (insn.op == SVM_OP_LOAD) {
		run->mmio.is_write = 0;
		vcpu->pending = (struct svm_pending){
			.kind = SVM_PENDING_MMIO_READ,
			.reg = insn.reg,
			.size = insn.size,
			.dst_size = insn.dst_size,
			.sign_extend = insn.sign_extend,
			.high_byte = insn.high_byte,
			.next_rip = vcpu->vmcb->save.rip + insn.len,
		};
		trace_svmhv_mmio(vcpu->id, gpa, insn.size, false, 0);
		return 0;
	}
	if (insn.op == SVM_OP_STORE_IMM) {
		val = insn.imm;
	} else {
		val = svm_reg_read(vcpu, insn.reg);
		if (insn.high_byte)
			val >>= 8;
	}
	memcpy(run->mmio.data, &val, insn.size);
	run->mmio.is_write = 1;
	vcpu->pending = (struct svm_pending){
		.kind = SVM_PENDING_PIO_OUT,
		.next_rip = vcpu->vmcb->save.rip + insn.len,
	};
	memcpy(&val, run->mmio.data, sizeof(val));
	trace_svmhv_mmio(vcpu->id, gpa, insn.size, true, val);
	return 0;
}

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

/**
 * svm_mmio_complete() - finish the MMIO load userspace just answered.
 * @vcpu: the vCPU, with an SVM_PENDING_MMIO_READ pending
 */
void svm_mmio_complete(struct svm_vcpu *vcpu)
{
	struct svm_pending *p = &vcpu->pending;
	u64 val = 0, old;

	memcpy(&val, vcpu->run->mmio.data, p->size);
	if (p->sign_extend)
		val = p->size == 1 ? (u64)(s8)val : (u64)(s16)val;
	old = svm_reg_read(vcpu, p->reg);
	svm_reg_write(vcpu, p->reg, svm_reg_merge(old, val, p->dst_size,
						   p->high_byte));
	vcpu->vmcb->save.rip = p->next_rip;
	p->kind = SVM_PENDING_NONE;
}
