// SPDX-License-Identifier: GPL-2.0
/*
 * MMIO: a guest access outside every memory slot (a nested page fault
 * under NPT, a shadow #PF on an address without RAM) or a write to a
 * read-only slot is decoded (emulate.c) and goes to userspace as
 * KVM_EXIT_MMIO, unless it is the in-kernel local APIC's (lapic.c).  An instruction that reads goes on at the next KVM_RUN
 * with the data: a load's register is written, an ALU operation's
 * result computed (alu.c) and written back with another exit.
 */
#include <linux/kvm.h>
#include <linux/string.h>

#include "alu.h"
#include "emulate.h"
#include "gpa.h"
#include "lapic.h"
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

static int svm_mmio_data(struct svm_vcpu *vcpu, u64 val);
static int svm_mmio_commit(struct svm_vcpu *vcpu);

/*
 * The exit for an access of the pending instruction's size at @gpa: a
 * store of @val (its low bytes), or a load.
 */
static int svm_mmio_exit(struct svm_vcpu *vcpu, u64 gpa, bool is_write,
			 u64 val)
{
	struct kvm_run *run = vcpu->run;
	struct svm_pending *p = &vcpu->pending;
	u8 size = p->insn.size;

	if (size < 8)
		val &= (1ULL << (size * 8)) - 1;
	run->exit_reason = KVM_EXIT_MMIO;
	run->mmio.phys_addr = gpa;
	run->mmio.len = size;
	run->mmio.is_write = is_write;
	memset(run->mmio.data, 0, sizeof(run->mmio.data));
	memcpy(run->mmio.data, &val, size);
	p->kind = is_write ? SVM_PENDING_MMIO_WRITE : SVM_PENDING_MMIO_READ;
	trace_svmhv_mmio(vcpu->id, gpa, size, is_write, val);
	return 0;
}

/*
 * A load of @gpa: an exit, after which the instruction goes on with the
 * data.  A read-only slot's memory is read here, as KVM does: an ALU
 * operation on ROM exits only to write.
 */
static int svm_mmio_read(struct svm_vcpu *vcpu, u64 gpa)
{
	struct svm_pending *p = &vcpu->pending;
	u64 val = 0;

	p->gpa = gpa;
	if (svm_gpa_is_ram(vcpu->vm, gpa) &&
	    !svm_access_guest(vcpu->vm, gpa, &val, p->insn.size, false))
		return svm_mmio_data(vcpu, val);
	if (svm_lapic_mmio(vcpu, gpa, p->insn.size, false, &val))
		return svm_mmio_data(vcpu, val);
	return svm_mmio_exit(vcpu, gpa, false, 0);
}

/*
 * A store of @val to @gpa: the local APIC's, else an exit; the
 * instruction then ends.
 */
static int svm_mmio_write(struct svm_vcpu *vcpu, u64 gpa, u64 val)
{
	if (svm_lapic_mmio(vcpu, gpa, vcpu->pending.insn.size, true, &val))
		return svm_mmio_commit(vcpu);
	return svm_mmio_exit(vcpu, gpa, true, val);
}

/* The register operand of @insn, or its immediate. */
static u64 svm_mmio_src(struct svm_vcpu *vcpu, const struct svm_insn *insn)
{
	u64 val;

	if (insn->imm_src)
		return insn->imm;
	val = svm_reg_read(vcpu, insn->reg);
	return insn->high_byte ? val >> 8 : val;
}

/*
 * The step of MOVS and STOS done: rSI (MOVS) and rDI move by the element,
 * and with REP rCX counts it; the instruction ends when rCX reaches 0,
 * else it runs again for the next element, in the guest.
 */
static void svm_string_advance(struct svm_vcpu *vcpu)
{
	const struct svm_insn *insn = &vcpu->pending.insn;
	s64 step = vcpu->vmcb->save.rflags & X86_EFLAGS_DF ? -insn->size :
							     insn->size;
	int as = insn->addr_size;
	u64 rcx;

	if (insn->op == SVM_OP_MOVS)
		svm_reg_write(vcpu, SVM_REG_RSI,
			      svm_addr_add(svm_reg_read(vcpu, SVM_REG_RSI),
					   step, as));
	svm_reg_write(vcpu, SVM_REG_RDI,
		      svm_addr_add(svm_reg_read(vcpu, SVM_REG_RDI), step, as));
	if (insn->rep) {
		rcx = svm_addr_add(svm_reg_read(vcpu, SVM_REG_RCX), -1, as);
		svm_reg_write(vcpu, SVM_REG_RCX, rcx);
		if (rcx & svm_addr_mask(as))
			return;
	}
	vcpu->vmcb->save.rip = vcpu->pending.next_rip;
}

/* The instruction is done: its flags, string registers and RIP. */
static int svm_mmio_commit(struct svm_vcpu *vcpu)
{
	struct svm_pending *p = &vcpu->pending;

	switch (p->insn.op) {
	case SVM_OP_ALU_MEM:
	case SVM_OP_ALU_REG:
	case SVM_OP_BIT:
		vcpu->vmcb->save.rflags = p->rflags;
		break;
	default:
		break;
	}
	if (p->insn.op == SVM_OP_MOVS || p->insn.op == SVM_OP_STOS)
		svm_string_advance(vcpu);
	else
		vcpu->vmcb->save.rip = p->next_rip;
	p->kind = SVM_PENDING_NONE;
	return 1;
}

/* ES:rDI, or the source seg:rSI, of a string instruction. */
static u64 svm_string_linear(struct svm_vcpu *vcpu, bool src)
{
	const struct svm_insn *insn = &vcpu->pending.insn;
	u64 mask = svm_addr_mask(insn->addr_size);

	if (!src)
		return svm_linear(vcpu, SVM_SEG_ES,
				  svm_reg_read(vcpu, SVM_REG_RDI) & mask);
	return svm_linear(vcpu, insn->seg >= 0 ? insn->seg : SVM_SEG_DS,
			  svm_reg_read(vcpu, SVM_REG_RSI) & mask);
}

/*
 * Store an element of MOVS or STOS at ES:rDI: into RAM here, or else
 * (MMIO, a read-only slot) as a write exit.  slots_lock held for read.
 */
static int svm_string_store(struct svm_vcpu *vcpu, u64 val)
{
	u64 dst = svm_string_linear(vcpu, false), gpa;
	struct svm_fault f;
	int ret;

	ret = svm_access_linear(vcpu, dst, &val, vcpu->pending.insn.size,
				PFERR_WRITE, &f);
	if (!ret)
		return svm_mmio_commit(vcpu);
	if (ret == -EIO)
		ret = svm_linear_gpa(vcpu, dst, PFERR_WRITE, &gpa, &f);
	if (ret)
		return svm_linear_fault(vcpu, ret, &f);
	return svm_mmio_write(vcpu, gpa, val);
}

/*
 * One element of MOVS or STOS, one side of which is MMIO (either side
 * of a MOVS may be): the source is read from RAM here or by a read exit,
 * the destination written as svm_string_store() does.  Each element is
 * an exit of its own, as in KVM; the guest runs the instruction again
 * for the next one, so interrupts are taken between elements as on the
 * CPU.  A page fault on either side is the guest's before anything is
 * read.  slots_lock held for read.
 */
static int svm_mmio_string(struct svm_vcpu *vcpu)
{
	const struct svm_insn *insn = &vcpu->pending.insn;
	u64 src, gpa, val = 0;
	struct svm_fault f;
	int ret;

	if (insn->rep && !(svm_reg_read(vcpu, SVM_REG_RCX) &
			   svm_addr_mask(insn->addr_size)))
		return svm_mmio_commit(vcpu);	/* no element: not reached */
	ret = svm_linear_gpa(vcpu, svm_string_linear(vcpu, false), PFERR_WRITE,
			     &gpa, &f);
	if (ret)
		return svm_linear_fault(vcpu, ret, &f);
	if (insn->op == SVM_OP_STOS)
		return svm_string_store(vcpu, vcpu->vmcb->save.rax);

	src = svm_string_linear(vcpu, true);
	ret = svm_linear_gpa(vcpu, src, 0, &gpa, &f);
	if (ret)
		return svm_linear_fault(vcpu, ret, &f);
	if (!svm_gpa_is_ram(vcpu->vm, gpa))
		return svm_mmio_read(vcpu, gpa);
	ret = svm_access_linear(vcpu, src, &val, insn->size, 0, &f);
	if (ret)
		return svm_linear_fault(vcpu, ret, &f);
	return svm_string_store(vcpu, val);
}

/**
 * svm_mmio() - an access to @gpa, outside every slot: decode it and
 * return to userspace with KVM_EXIT_MMIO.
 * @vcpu: the vCPU
 * @gpa: the guest-physical address accessed
 *
 * A store carries its data; an instruction that reads goes on at the
 * next KVM_RUN (svm_mmio_complete()), and one that reads and writes
 * (ADD to memory, BTS, MOVS from MMIO to MMIO) exits again to write.
 * As in KVM, the guest's registers are as before the instruction until
 * it ends.  slots_lock held for read.
 *
 * Return: 0 to return to userspace; 1 when the instruction was done here
 * (a string element between RAM and RAM) or faulted.
 */
int svm_mmio(struct svm_vcpu *vcpu, u64 gpa)
{
	struct svm_pending *p = &vcpu->pending;
	u8 bytes[SVM_INSN_MAX];
	struct svm_insn insn;
	int n;

	svm_count(vcpu, SVMHV_EXIT_MMIO);
	n = svm_fetch(vcpu, bytes);
	if (n <= 0 || svm_decode(bytes, n, svm_code_mode(vcpu), &insn))
		return svm_mmio_undecodable(vcpu, gpa, bytes, n);

	*p = (struct svm_pending){
		.insn = insn,
		.next_rip = vcpu->vmcb->save.rip + insn.len,
	};
	switch (insn.op) {
	case SVM_OP_STORE:
	case SVM_OP_STORE_IMM:
		return svm_mmio_write(vcpu, gpa, svm_mmio_src(vcpu, &insn));
	case SVM_OP_MOVS:
	case SVM_OP_STOS:
		return svm_mmio_string(vcpu);
	default:
		return svm_mmio_read(vcpu, gpa);
	}
}

/* A load's register: MOV, or MOVZX and MOVSX widening. */
static void svm_mmio_load(struct svm_vcpu *vcpu, u64 val)
{
	const struct svm_insn *insn = &vcpu->pending.insn;
	u64 old = svm_reg_read(vcpu, insn->reg);

	if (insn->sign_extend)
		val = insn->size == 1 ? (u64)(s8)val : (u64)(s16)val;
	svm_reg_write(vcpu, insn->reg, svm_reg_merge(old, val, insn->dst_size,
						     insn->high_byte));
}

/* The ALU forms and bit tests, with @val read from memory. */
static int svm_mmio_alu(struct svm_vcpu *vcpu, u64 val)
{
	struct svm_pending *p = &vcpu->pending;
	const struct svm_insn *insn = &p->insn;
	u64 old, res;

	p->rflags = vcpu->vmcb->save.rflags;
	if (insn->op == SVM_OP_ALU_REG) {
		old = svm_reg_read(vcpu, insn->reg);
		res = svm_alu(insn->alu, insn->size,
			      insn->high_byte ? old >> 8 : old, val, &p->rflags);
		if (svm_alu_writes(insn->alu))
			svm_reg_write(vcpu, insn->reg,
				      svm_reg_merge(old, res, insn->size,
						    insn->high_byte));
		return svm_mmio_commit(vcpu);
	}
	res = svm_alu(insn->alu, insn->size, val, svm_mmio_src(vcpu, insn),
		      &p->rflags);
	if (svm_alu_writes(insn->alu))
		return svm_mmio_write(vcpu, p->gpa, res);
	return svm_mmio_commit(vcpu);
}

/*
 * The instruction goes on with @val, read from memory.  slots_lock held
 * for read.
 */
static int svm_mmio_data(struct svm_vcpu *vcpu, u64 val)
{
	switch (vcpu->pending.insn.op) {
	case SVM_OP_LOAD:
		svm_mmio_load(vcpu, val);
		return svm_mmio_commit(vcpu);
	case SVM_OP_MOVS:
		return svm_string_store(vcpu, val);
	default:
		return svm_mmio_alu(vcpu, val);
	}
}

/**
 * svm_mmio_complete() - go on with the MMIO load userspace just answered.
 * @vcpu: the vCPU, with an SVM_PENDING_MMIO_READ pending
 *
 * Return: 1 to go on into the guest, 0 to return to userspace (the
 * instruction writes memory too: another exit).
 */
int svm_mmio_complete(struct svm_vcpu *vcpu)
{
	u64 val = 0;
	int ret;

	memcpy(&val, vcpu->run->mmio.data, vcpu->pending.insn.size);
	vcpu->pending.kind = SVM_PENDING_NONE;
	down_read(&vcpu->vm->slots_lock);
	ret = svm_mmio_data(vcpu, val);
	up_read(&vcpu->vm->slots_lock);
	return ret;
}

/**
 * svm_mmio_write_done() - the MMIO store userspace just took is done.
 * @vcpu: the vCPU, with an SVM_PENDING_MMIO_WRITE pending
 */
void svm_mmio_write_done(struct svm_vcpu *vcpu)
{
	svm_mmio_commit(vcpu);
}
