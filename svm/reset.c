// SPDX-License-Identifier: GPL-2.0
/*
 * The power-on state of a vCPU, and the intercepts its VMCB starts with.
 */
#include <linux/mm.h>
#include <linux/string.h>
#include <asm/fpu/types.h>
#include <asm/msr.h>
#include <asm/processor-flags.h>

#include "../vdev/lapic.h"
#include "fpu.h"
#include "nmi.h"
#include "paging_regs.h"
#include "permmap.h"
#include "reset.h"

static void svm_set_seg(struct vmcb_seg *v, u16 sel, u64 base, u32 limit,
			u16 attrib)
{
	v->selector = sel;
	v->base = base;
	v->limit = limit;
	v->attrib = attrib;
}

/*
 * Besides what svmhv emulates: instructions that would reach the host's
 * state (INVD drops its dirty cache lines, WBINVD stalls every core,
 * RDPMC and RDPRU read its counters, RDTSCP its TSC_AUX), #AC, which a
 * guest can make recur in its own delivery and so hold the CPU in
 * microcode with no exit (CVE-2015-5307), #DB, for the same reason
 * (CVE-2015-8104), and #MC, which is the host's.  Every DR access, until
 * the guest makes one (debugreg.c).
 * CR4 writes, under NPT too, so that the guest sets no bit of a feature
 * svmhv does not switch (svm_cr_exit()).  docs/security.md has the list.
 */
void svm_init_intercepts(struct vmcb_control_area *c)
{
	static const u8 bits[] = {
		INTERCEPT_INTR, INTERCEPT_NMI, INTERCEPT_SMI, INTERCEPT_CPUID,
		INTERCEPT_HLT, INTERCEPT_INVLPGA, INTERCEPT_IOIO_PROT,
		INTERCEPT_MSR_PROT, INTERCEPT_SHUTDOWN, INTERCEPT_VMRUN,
		INTERCEPT_VMMCALL, INTERCEPT_VMLOAD, INTERCEPT_VMSAVE,
		INTERCEPT_STGI, INTERCEPT_CLGI, INTERCEPT_SKINIT,
		INTERCEPT_MONITOR, INTERCEPT_MWAIT, INTERCEPT_XSETBV,
		INTERCEPT_CR4_READ, INTERCEPT_CR4_WRITE,
		INTERCEPT_INVD, INTERCEPT_WBINVD, INTERCEPT_RDPMC,
		INTERCEPT_RDPRU, INTERCEPT_RDTSCP,
		INTERCEPT_EXCEPTION_BASE + DB_VECTOR,
		INTERCEPT_EXCEPTION_BASE + AC_VECTOR,
		INTERCEPT_EXCEPTION_BASE + MC_VECTOR,
	};
	unsigned int i;

	memset(c->intercepts, 0, sizeof(c->intercepts));
	for (i = 0; i < ARRAY_SIZE(bits); i++)
		c->intercepts[bits[i] / 32] |= BIT(bits[i] % 32);
	c->intercepts[INTERCEPT_DR0_READ / 32] = SVM_DR_INTERCEPTS;
}

/*
 * The in-kernel local APIC's power-up state (V_TPR, its TPR's class, is
 * cleared with the VMCB's controls).  As KVM with its LINT0 quirk, the
 * BSP's LINT0 is unmasked in ExtINT mode, so that the PIC's interrupts
 * reach it.  Under vdev_lock: other vCPUs' IPIs write its IRR.
 */
static void svm_lapic_reset(struct svm_vcpu *vcpu)
{
	if (!vcpu->lapic)
		return;
	spin_lock(&vcpu->vm->vdev_lock);
	vdev_lapic_reset(vcpu->lapic, vcpu->id);
	if (!vcpu->id)
		vcpu->lapic->lvt[VDEV_LAPIC_LVT_LINT0_IDX] =
			VDEV_LAPIC_DM_EXTINT;
	spin_unlock(&vcpu->vm->vdev_lock);
}

/**
 * svm_vcpu_reset() - the state of a vCPU after power-on (or a shutdown).
 * @vcpu: the vCPU
 *
 * The x86 reset state (APM vol. 2, 14.1.3 "Processor Initialization
 * State"), as KVM presents it: real mode at F000:FFF0.
 */
void svm_vcpu_reset(struct svm_vcpu *vcpu)
{
	struct vmcb *vmcb = vcpu->vmcb;
	struct vmcb_save_area *s = &vmcb->save;
	struct vmcb_control_area *c = &vmcb->control;

	memset(vmcb, 0, sizeof(*vmcb));
	memset(&vcpu->regs, 0, sizeof(vcpu->regs));
	svm_init_intercepts(c);
	c->iopm_base_pa = svm_iopm_pa();
	c->msrpm_base_pa = svm_msrpm_pa();
	c->int_ctl = SVM_V_INTR_MASKING;
	c->tsc_offset = -rdtsc();
	vcpu->vm->mmu->prepare_vmcb(vcpu->vm, vmcb);

	svm_set_seg(&s->cs, 0xf000, 0xffff0000, 0xffff, 0x9b);
	svm_set_seg(&s->ds, 0, 0, 0xffff, 0x93);
	s->es = s->ds;
	s->ss = s->ds;
	s->fs = s->ds;
	s->gs = s->ds;
	svm_set_seg(&s->gdtr, 0, 0, 0xffff, 0);
	svm_set_seg(&s->idtr, 0, 0, 0xffff, 0);
	svm_set_seg(&s->ldtr, 0, 0, 0xffff, 0x82);
	svm_set_seg(&s->tr, 0, 0, 0xffff, 0x8b);
	svm_set_guest_paging(vcpu, X86_CR0_CD | X86_CR0_NW | X86_CR0_ET, 0, 0,
			     0);
	s->rflags = 2;
	s->rip = 0xfff0;
	s->dr6 = 0xffff0ff0;
	s->dr7 = 0x400;
	/* DR0-DR3 zero and out of the CPU; every DR access intercepted. */
	memset(vcpu->dr, 0, sizeof(vcpu->dr));
	vcpu->dr_live = false;
	s->g_pat = 0x0007040600070406ULL;
	vcpu->regs.r[SVM_REG_RDX] = 0x600;

	memset(vcpu->fpu, 0, sizeof(*vcpu->fpu));
	svm_fpu_init_parts(vcpu->fpu, 0);
	WRITE_ONCE(vcpu->apic_base,
		   0xfee00000 | BIT(11) | (vcpu->id ? 0 : BIT(8)));
	svm_lapic_reset(vcpu);
	vcpu->mtrr_def_type = 0;
	memset(vcpu->mtrr_fixed, 0, sizeof(vcpu->mtrr_fixed));
	memset(vcpu->mtrr_var, 0, sizeof(vcpu->mtrr_var));
	vcpu->tsc_aux = 0;
	vcpu->tsc_adjust = 0;
	/* The microcode revision kvm_amd gives its guests, until set. */
	vcpu->ucode_rev = 0x01000065;
	vcpu->pending.kind = SVM_PENDING_NONE;
	vcpu->halted = false;
	svm_nmi_reset(vcpu);
	vcpu->dirty = ~0U;
	vcpu->asid_cpu = -1;
}
