/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's paging registers (CR0, CR3, CR4, EFER), whichever MMU runs
 * it: in the VMCB under NPT (but for CR4.MCE, see paging_regs.c), in
 * vcpu->guest when the MMU shadows them (svm_mmu_ops.shadows_crs).
 * Part of the vCPU-state layer.
 */
#ifndef SVMHV_SVM_PAGING_REGS_H
#define SVMHV_SVM_PAGING_REGS_H

#include <asm/msr-index.h>

#include "gwalk.h"
#include "types.h"

static inline bool svm_shadowed(const struct svm_vcpu *vcpu)
{
	return vcpu->vm->mmu->shadows_crs;
}

static inline u64 svm_guest_cr0(const struct svm_vcpu *vcpu)
{
	return svm_shadowed(vcpu) ? vcpu->guest.cr0 : vcpu->vmcb->save.cr0;
}

static inline u64 svm_guest_cr3(const struct svm_vcpu *vcpu)
{
	return svm_shadowed(vcpu) ? vcpu->guest.cr3 : vcpu->vmcb->save.cr3;
}

/* Under NPT too: the VMCB's has the host's CR4.MCE (svm_set_npt_cr4()). */
static inline u64 svm_guest_cr4(const struct svm_vcpu *vcpu)
{
	return vcpu->guest.cr4;
}

/* Without EFER.SVME, which the guest never sees. */
static inline u64 svm_guest_efer(const struct svm_vcpu *vcpu)
{
	return svm_shadowed(vcpu) ? vcpu->guest.efer :
				    vcpu->vmcb->save.efer & ~EFER_SVME;
}

static inline void svm_guest_paging(const struct svm_vcpu *vcpu,
				    struct gwalk_regs *r)
{
	r->cr0 = svm_guest_cr0(vcpu);
	r->cr3 = svm_guest_cr3(vcpu);
	r->cr4 = svm_guest_cr4(vcpu);
	r->efer = svm_guest_efer(vcpu);
}

void svm_set_guest_paging(struct svm_vcpu *vcpu, u64 cr0, u64 cr3, u64 cr4,
			  u64 efer);
void svm_set_npt_cr4(struct svm_vcpu *vcpu, u64 cr4);
bool svm_cr4_valid(struct svm_vcpu *vcpu, u64 cr4);
bool svm_cr4_valid_mmu(u64 cr4, bool shadowed);

#endif /* SVMHV_SVM_PAGING_REGS_H */
