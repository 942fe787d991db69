/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Checks on guest state: what KVM_SET_SREGS accepts, and what VMRUN
 * would accept.  Pure functions of the state, so KUnit can try them.
 */
#ifndef SVMHV_SVM_STATE_H
#define SVMHV_SVM_STATE_H

#include <linux/bits.h>
#include <linux/kernel.h>
#include <linux/kvm.h>
#include <linux/types.h>
#include <asm/msr-index.h>
#include <asm/processor-flags.h>

#include "vmcb.h"

/* What CR4 may hold under shadow paging: no PCIDE, SMEP, SMAP, PKE. */
#define SVM_CR4_SHADOW_OK	(X86_CR4_VME | X86_CR4_PVI | X86_CR4_TSD | \
				 X86_CR4_DE | X86_CR4_PSE | X86_CR4_PAE | \
				 X86_CR4_MCE | X86_CR4_PGE | X86_CR4_PCE | \
				 X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT | \
				 X86_CR4_UMIP | X86_CR4_FSGSBASE)
/* ...and what it may hold under NPT, where the CPU itself walks. */
#define SVM_CR4_NPT_OK		(SVM_CR4_SHADOW_OK | X86_CR4_PCIDE | \
				 X86_CR4_SMEP | X86_CR4_SMAP)

/**
 * svm_save_is_host() - does a #VMEXIT's save area hold the host's state?
 * @s: the VMCB's state save area right after the #VMEXIT
 * @resume: the host's RIP after VMRUN (svm_vmrun_resume)
 * @host_cr3: the host's CR3, read before the interrupts come back on
 *
 * Never on a real CPU.  QEMU's TCG (7.2, the test machine's) sometimes
 * finishes a #VMEXIT by writing the host's own registers over the guest
 * state it saved, so the guest would go on at our RIP on our page
 * tables: an interrupt from another CPU into a running guest is enough,
 * and kvm_amd in the same machine meets it too.  The guest's state is
 * gone then, and the host's (kernel addresses) must not reach userspace.
 *
 * Return: true when RIP is the host's and CR3 points at the host's page
 * tables (the PCID in its low bits may differ: another CPU's, or the
 * same mm's after a switch).
 */
static inline bool svm_save_is_host(const struct vmcb_save_area *s,
				    u64 resume, u64 host_cr3)
{
	return s->rip == resume && !((s->cr3 ^ host_cr3) & CR3_ADDR_MASK);
}

/**
 * svm_cr4_allowed() - may the guest's CR4 hold @cr4?
 * @cr4: the value (KVM_SET_SREGS, or a guest's MOV to CR4)
 * @shadow: the VM runs under shadow paging
 * @host_lacks: the CR4 bits of features the CPU does not have
 *
 * Reserved bits (VMRUN refuses them, a MOV to CR4 is #GP), bits of
 * features the CPU does not have, bits of features svmhv does not offer
 * (OSXSAVE and PKE: no XSAVE, no PKU in CPUID; LA57, VMXE, SMXE) and,
 * under shadow paging, PCIDE, SMEP and SMAP are refused.
 *
 * Return: true if the guest may have @cr4.
 */
static inline bool svm_cr4_allowed(u64 cr4, bool shadow, u64 host_lacks)
{
	u64 ok = shadow ? SVM_CR4_SHADOW_OK : SVM_CR4_NPT_OK;

	return !(cr4 & ~(ok & ~host_lacks));
}

/*
 * KVM's kvm_is_valid_sregs(), for the paging bits VMRUN would trip on,
 * and no pending interrupt (there is no interrupt controller yet).
 */
static inline bool svm_sregs_valid(const struct kvm_sregs *sr)
{
	bool lme = sr->efer & EFER_LME, lma = sr->efer & EFER_LMA;
	bool pg = sr->cr0 & X86_CR0_PG;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sr->interrupt_bitmap); i++)
		if (sr->interrupt_bitmap[i])
			return false;
	if (sr->cr0 >> 32 || (pg && !(sr->cr0 & X86_CR0_PE)))
		return false;
	if ((sr->cr0 & X86_CR0_NW) && !(sr->cr0 & X86_CR0_CD))
		return false;
	if (sr->efer & EFER_SVME)
		return false;
	/* CR3 bits above 51 are reserved in long mode (MOV CR3 is #GP). */
	if (lme && pg)
		return (sr->cr4 & X86_CR4_PAE) && lma && !(sr->cr3 >> 52);
	return !lma;
}

/*
 * The consistency checks VMRUN makes (APM vol. 2, 15.5.1 "Basic
 * Operation", "Canonicalization and Consistency Checks"), made here
 * first: the emulated CPU skips some of them, and a state a real CPU
 * refuses must give KVM_EXIT_FAIL_ENTRY everywhere.
 */
static inline bool svm_guest_state_valid(const struct vmcb_save_area *s)
{
	bool long_paging = (s->efer & EFER_LME) && (s->cr0 & X86_CR0_PG);

	if (!(s->efer & EFER_SVME) || s->efer & ~(EFER_SCE | EFER_LME |
	    EFER_LMA | EFER_NX | EFER_SVME | EFER_FFXSR | BIT_ULL(13) |
	    BIT_ULL(15)))
		return false;
	if ((s->cr0 & X86_CR0_NW) && !(s->cr0 & X86_CR0_CD))
		return false;
	if (s->cr0 >> 32 || s->cr4 >> 32 || s->dr6 >> 32 || s->dr7 >> 32)
		return false;
	if (long_paging && (!(s->cr4 & X86_CR4_PAE) ||
			    !(s->cr0 & X86_CR0_PE) || s->cr3 >> 52))
		return false;
	/* 64-bit code with a 32-bit default operand size does not exist. */
	if (long_paging && (s->cs.attrib & BIT(9)) && (s->cs.attrib & BIT(10)))
		return false;
	return true;
}

#endif /* SVMHV_SVM_STATE_H */
