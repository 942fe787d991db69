// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's paging registers: set them (KVM_SET_SREGS, reset, an MMU
 * switch) and decide which CR4 values are allowed.  paging.c emulates the
 * instructions that write them.
 */
#include <asm/cpufeature.h>
#include <asm/processor-flags.h>

#include "cpu.h"
#include "paging_regs.h"
#include "state.h"
#include "vcpu_state.h"

/* The CR4 bits of features this CPU lacks. */
static u64 svm_cr4_host_lacks(void)
{
	u64 lacks = 0;

	if (!boot_cpu_has(X86_FEATURE_UMIP))
		lacks |= X86_CR4_UMIP;
	if (!boot_cpu_has(X86_FEATURE_FSGSBASE))
		lacks |= X86_CR4_FSGSBASE;
	if (!boot_cpu_has(X86_FEATURE_PCID))
		lacks |= X86_CR4_PCIDE;
	if (!boot_cpu_has(X86_FEATURE_SMEP))
		lacks |= X86_CR4_SMEP;
	if (!boot_cpu_has(X86_FEATURE_SMAP))
		lacks |= X86_CR4_SMAP;
	return lacks;
}

/* SVMHV_SET_MMU: svm_cr4_allowed() under the MMU @shadowed says. */
bool svm_cr4_valid_mmu(u64 cr4, bool shadowed)
{
	return svm_cr4_allowed(cr4, shadowed, svm_cr4_host_lacks());
}

/* KVM_SET_SREGS and MOV to CR4: svm_cr4_allowed() for this vCPU. */
bool svm_cr4_valid(struct svm_vcpu *vcpu, u64 cr4)
{
	return svm_cr4_valid_mmu(cr4, svm_shadowed(vcpu));
}

/*
 * Under NPT the CPU runs with the guest's CR4 but for MCE, which stays
 * the host's (svm_cpu_host_cr4_mce()); CR4 reads are intercepted, and the
 * guest's own value is kept in vcpu->guest.cr4.
 */
void svm_set_npt_cr4(struct svm_vcpu *vcpu, u64 cr4)
{
	vcpu->guest.cr4 = cr4;
	vcpu->vmcb->save.cr4 = cr4 | svm_cpu_host_cr4_mce();
	vmcb_mark_dirty(vcpu, SVM_CLEAN_CRX);
}

/**
 * svm_set_guest_paging() - set the guest's paging registers.
 * @vcpu: the vCPU
 * @cr0: CR0
 * @cr3: CR3
 * @cr4: CR4
 * @efer: EFER, without SVME
 *
 * For KVM_SET_SREGS and reset: the values are already checked.
 */
void svm_set_guest_paging(struct svm_vcpu *vcpu, u64 cr0, u64 cr3, u64 cr4,
			  u64 efer)
{
	struct vmcb_save_area *s = &vcpu->vmcb->save;

	if (svm_shadowed(vcpu)) {
		vcpu->guest.cr0 = cr0;
		vcpu->guest.cr3 = cr3;
		vcpu->guest.cr4 = cr4;
		vcpu->guest.efer = efer & ~EFER_SVME;
		vcpu->mmu_reload |= SVM_MMU_RELOAD_REGS | SVM_MMU_RELOAD_FLUSH;
		return;
	}
	s->cr0 = cr0;
	s->cr3 = cr3;
	s->efer = efer | EFER_SVME;
	svm_set_npt_cr4(vcpu, cr4);
}
