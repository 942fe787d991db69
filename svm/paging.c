// SPDX-License-Identifier: GPL-2.0
/*
 * The paging exits, for an MMU that shadows the guest's page tables
 * (svm_mmu_ops.shadows_crs), and CR4 writes and reads under either MMU.
 *
 * The guest's CR0, CR3, CR4 and EFER live in vcpu->guest (paging_regs.h);
 * the MMU's load hook derives from them what the VMCB holds.  This file
 * emulates the instructions that read and write them (MOV CRn, CLTS,
 * LMSW, SMSW) with the architectural checks (APM vol. 2, 3.1
 * "System-Control Registers"), and hands #PF and INVLPG to the MMU.  Task switches, which would load
 * a guest CR3 straight into the CPU, end the run with an internal error.
 */
#include <linux/kvm.h>
#include <asm/processor-flags.h>

#include "cpu.h"
#include "emulate.h"
#include "lapic.h"
#include "linear.h"
#include "mmio.h"
#include "paging.h"
#include "paging_regs.h"
#include "vcpu_state.h"

/* CR4 bits whose change flushes the TLB (APM vol. 2, 5.5.2). */
#define SVM_CR4_FLUSH		(X86_CR4_PGE | X86_CR4_PAE | X86_CR4_PSE)
/* ...and under NPT, where the CPU's TLB holds the guest's translations. */
#define SVM_CR4_NPT_FLUSH	(SVM_CR4_FLUSH | X86_CR4_PCIDE | \
				 X86_CR4_SMEP | X86_CR4_SMAP)

static int svm_write_cr0(struct svm_vcpu *vcpu, u64 val)
{
	u64 old = vcpu->guest.cr0, efer = vcpu->guest.efer;

	if (val >> 32 || ((val & X86_CR0_NW) && !(val & X86_CR0_CD)) ||
	    ((val & X86_CR0_PG) && !(val & X86_CR0_PE)))
		return -EINVAL;
	if (!(old & X86_CR0_PG) && (val & X86_CR0_PG) && (efer & EFER_LME)) {
		/* Activating long mode (APM vol. 2, 14.6.1). */
		if (!(vcpu->guest.cr4 & X86_CR4_PAE))
			return -EINVAL;
		efer |= EFER_LMA;
	} else if ((old & X86_CR0_PG) && !(val & X86_CR0_PG) &&
		   (efer & EFER_LMA)) {
		/* Leaving it: only from compatibility mode. */
		if (vcpu->vmcb->save.cs.attrib & BIT(9))
			return -EINVAL;
		efer &= ~EFER_LMA;
	}
	vcpu->guest.cr0 = val | X86_CR0_ET;
	vcpu->guest.efer = efer;
	vcpu->mmu_reload |= SVM_MMU_RELOAD_REGS;
	if ((old ^ val) & (X86_CR0_PG | X86_CR0_PE | X86_CR0_WP))
		vcpu->mmu_reload |= SVM_MMU_RELOAD_FLUSH;
	return 0;
}

static int svm_write_cr3(struct svm_vcpu *vcpu, u64 val)
{
	/* Bits 63:52 are reserved; bit 63 means no-flush only with PCID. */
	if ((vcpu->guest.efer & EFER_LMA) && val >> 52)
		return -EINVAL;
	vcpu->guest.cr3 = val;
	vcpu->mmu_reload |= SVM_MMU_RELOAD_REGS | SVM_MMU_RELOAD_FLUSH;
	return 0;
}

static int svm_write_cr4(struct svm_vcpu *vcpu, u64 val)
{
	u64 old = svm_guest_cr4(vcpu);

	if (!svm_cr4_valid(vcpu, val))
		return -EINVAL;
	if ((svm_guest_efer(vcpu) & EFER_LMA) && !(val & X86_CR4_PAE))
		return -EINVAL;
	/* PCIDE goes on only in long mode, with PCID 0 (APM vol. 2, 3.1.3). */
	if ((val & ~old & X86_CR4_PCIDE) &&
	    (!(svm_guest_efer(vcpu) & EFER_LMA) || (svm_guest_cr3(vcpu) & 0xfff)))
		return -EINVAL;
	if (!svm_shadowed(vcpu)) {
		/* The MOV did not run on the CPU: nor did its TLB flush. */
		svm_set_npt_cr4(vcpu, val);
		if ((old ^ val) & SVM_CR4_NPT_FLUSH)
			set_bit(SVM_REQ_TLB_FLUSH, &vcpu->requests);
		return 0;
	}
	vcpu->guest.cr4 = val;
	vcpu->mmu_reload |= SVM_MMU_RELOAD_REGS;
	if ((old ^ val) & SVM_CR4_FLUSH)
		vcpu->mmu_reload |= SVM_MMU_RELOAD_FLUSH;
	return 0;
}

static int svm_write_cr(struct svm_vcpu *vcpu, int cr, u64 val)
{
	switch (cr) {
	case 0:
		return svm_write_cr0(vcpu, val);
	case 3:
		return svm_write_cr3(vcpu, val);
	case 4:
		return svm_write_cr4(vcpu, val);
	case 8:
		return svm_lapic_set_cr8(vcpu, val);
	default:
		return -EINVAL;
	}
}

static int svm_read_cr(struct svm_vcpu *vcpu, int cr, u64 *val)
{
	switch (cr) {
	case 0:
		*val = vcpu->guest.cr0;
		return 0;
	case 3:
		*val = vcpu->guest.cr3;
		return 0;
	case 4:
		*val = vcpu->guest.cr4;
		return 0;
	default:
		return -EINVAL;
	}
}

/* Decode the instruction at RIP; returns 0 or an exit for the caller. */
static int svm_decode_at_rip(struct svm_vcpu *vcpu, struct svm_sys_insn *insn)
{
	u64 gprs[SVM_NR_GPRS];
	u8 bytes[SVM_INSN_MAX];
	int n;

	memcpy(gprs, vcpu->regs.r, sizeof(gprs));
	gprs[SVM_REG_RAX] = vcpu->vmcb->save.rax;
	gprs[SVM_REG_RSP] = vcpu->vmcb->save.rsp;
	n = svm_fetch(vcpu, bytes);
	if (n <= 0 || svm_decode_sys(bytes, n, svm_code_mode(vcpu), gprs,
				     vcpu->vmcb->save.rip, insn))
		return -EINVAL;
	return 0;
}

/* Read or write a memory operand of LMSW or SMSW (2 bytes). */
static int svm_sys_mem(struct svm_vcpu *vcpu, const struct svm_sys_insn *insn,
		       u16 *val, bool write)
{
	struct svm_fault f;
	int ret;

	ret = svm_access_linear(vcpu, svm_linear(vcpu, insn->seg, insn->ea),
				val, 2, write ? PFERR_WRITE : 0, &f);
	if (ret == -EFAULT)
		svm_inject_pf(vcpu, &f);
	return ret;
}

static int svm_emulate_cr(struct svm_vcpu *vcpu, const struct svm_sys_insn *i)
{
	bool wide = svm_code_mode(vcpu) == 64;
	u64 val, cr0 = vcpu->guest.cr0;
	u16 word;
	int ret;

	switch (i->op) {
	case SVM_SYS_MOV_TO_CR:
		val = svm_reg_read(vcpu, i->reg);
		return svm_write_cr(vcpu, i->cr, wide ? val : (u32)val);
	case SVM_SYS_MOV_FROM_CR:
		if (svm_read_cr(vcpu, i->cr, &val))
			return -EINVAL;
		svm_reg_write(vcpu, i->reg, wide ? val : (u32)val);
		return 0;
	case SVM_SYS_CLTS:
		return svm_write_cr0(vcpu, cr0 & ~X86_CR0_TS);
	case SVM_SYS_LMSW:
		if (i->mem) {
			ret = svm_sys_mem(vcpu, i, &word, false);
			if (ret)
				return ret;
		} else {
			word = svm_reg_read(vcpu, i->reg);
		}
		/* MP, EM and TS are loaded; PE can be set, not cleared. */
		return svm_write_cr0(vcpu, (cr0 & ~0xeULL) | (word & 0xf));
	case SVM_SYS_SMSW:
		if (i->mem) {
			word = cr0;
			return svm_sys_mem(vcpu, i, &word, true);
		}
		svm_reg_write(vcpu, i->reg,
			      svm_reg_merge(svm_reg_read(vcpu, i->reg), cr0,
					    i->op_size, false));
		return 0;
	default:
		return -EINVAL;
	}
}

/*
 * Under NPT only CR4 accesses are intercepted (svm_init_intercepts()):
 * writes, so that the guest cannot enable what svmhv does not switch
 * (OSXSAVE would give it the AVX registers, which hold what other tasks
 * left there), and reads, because the CPU's CR4.MCE is the host's.
 * Under either MMU, MOV to CR8 while the local APIC waits for the TPR
 * to drop (lapic.c).
 */
static bool svm_cr_insn_expected(struct svm_vcpu *vcpu,
				 const struct svm_sys_insn *insn)
{
	if (insn->op == SVM_SYS_MOV_TO_CR && insn->cr == 8)
		return vcpu->lapic;
	if (insn->op == SVM_SYS_INVLPG)
		return false;
	return svm_shadowed(vcpu) ||
	       ((insn->op == SVM_SYS_MOV_TO_CR ||
		 insn->op == SVM_SYS_MOV_FROM_CR) && insn->cr == 4);
}

/**
 * svm_cr_exit() - a control-register read or write was intercepted.
 * @vcpu: the vCPU
 *
 * Under shadow paging every CR0, CR3 and CR4 access; under NPT, CR4
 * writes; MOV to CR8 while the local APIC wants to see the TPR drop.
 *
 * Return: 1 (the guest goes on), or 0 with an internal-error exit when
 * the instruction cannot be decoded (or is not one intercepted).
 */
int svm_cr_exit(struct svm_vcpu *vcpu)
{
	struct svm_sys_insn insn;
	int ret;

	svm_count(vcpu, SVMHV_EXIT_CR);
	if (svm_decode_at_rip(vcpu, &insn) ||
	    !svm_cr_insn_expected(vcpu, &insn))
		return svm_internal_error(vcpu, KVM_INTERNAL_ERROR_EMULATION);
	if (vcpu->vmcb->save.cpl) {
		svm_inject_exception(vcpu, GP_VECTOR, true, 0);
		return 1;
	}
	ret = svm_emulate_cr(vcpu, &insn);
	if (ret == -EFAULT)		/* a #PF on a memory operand */
		return 1;
	if (ret == -EIO)
		return svm_internal_error(vcpu, KVM_INTERNAL_ERROR_EMULATION);
	if (ret) {
		svm_inject_exception(vcpu, GP_VECTOR, true, 0);
		return 1;
	}
	vcpu->vmcb->save.rip += insn.len;
	return 1;
}

/**
 * svm_pf_exit() - a #PF was intercepted: the shadow MMU's fault.
 * @vcpu: the vCPU
 *
 * Return: 1, 0 for an MMIO exit, or 0 with an internal error when the
 * guest's page tables are not in its RAM.
 */
int svm_pf_exit(struct svm_vcpu *vcpu)
{
	const struct vmcb_control_area *c = &vcpu->vmcb->control;
	u64 gpa = 0;
	int ret;

	svm_count(vcpu, SVMHV_EXIT_PF);
	ret = vcpu->vm->mmu->page_fault(vcpu, c->exit_info_2,
					(u32)c->exit_info_1, &gpa);
	if (ret > 0)
		return 1;
	if (ret == 0)
		return svm_mmio(vcpu, gpa);
	return svm_internal_error(vcpu, KVM_INTERNAL_ERROR_EMULATION);
}

/**
 * svm_invlpg_exit() - INVLPG was intercepted.
 * @vcpu: the vCPU
 *
 * The address comes from EXITINFO1 when the CPU has decode assists and
 * NRIP save, else from decoding the instruction.
 *
 * Return: 1, or 0 with an internal error when it cannot be decoded.
 */
int svm_invlpg_exit(struct svm_vcpu *vcpu)
{
	struct vmcb *vmcb = vcpu->vmcb;
	struct svm_sys_insn insn;
	u64 linear;

	svm_count(vcpu, SVMHV_EXIT_INVLPG);
	if (svm_host_features.decode_assists && svm_host_features.nrips &&
	    vmcb->control.next_rip) {
		vcpu->vm->mmu->invlpg(vcpu, vmcb->control.exit_info_1);
		vmcb->save.rip = vmcb->control.next_rip;
		return 1;
	}
	if (svm_decode_at_rip(vcpu, &insn) || insn.op != SVM_SYS_INVLPG)
		return svm_internal_error(vcpu, KVM_INTERNAL_ERROR_EMULATION);
	linear = svm_linear(vcpu, insn.seg, insn.ea);
	if (svm_code_mode(vcpu) != 64)
		linear = (u32)linear;
	vcpu->vm->mmu->invlpg(vcpu, linear);
	vmcb->save.rip += insn.len;
	return 1;
}

/**
 * svm_task_switch_exit() - a hardware task switch was intercepted.
 * @vcpu: the vCPU
 *
 * It would load the guest's CR3 into the CPU as is; it is not emulated.
 *
 * Return: 0 with KVM_EXIT_INTERNAL_ERROR.
 */
int svm_task_switch_exit(struct svm_vcpu *vcpu)
{
	svm_count(vcpu, SVMHV_EXIT_TASK_SWITCH);
	return svm_internal_error(vcpu, KVM_INTERNAL_ERROR_EMULATION);
}
