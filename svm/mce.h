/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Machine-check architecture as KVM gives it to guests (mce.c): MCG_CAP,
 * MCG_STATUS, MCG_CTL, the banks' MCi_CTL/STATUS/ADDR/MISC, HWCR's
 * McStatusWrEn, KVM_X86_SETUP_MCE and KVM_X86_SET_MCE.  The checks here
 * are pure, for KUnit (mce_test.c).
 */
#ifndef SVMHV_SVM_MCE_H
#define SVMHV_SVM_MCE_H

#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/types.h>
#include <asm/mce.h>
#include <asm/msr-index.h>

#include "types.h"

/* KVM's: 32 banks, MCG_CTL and software error recovery offered. */
#define SVM_MCE_MAX_BANKS	32
#define SVM_MCE_CAP_SUPPORTED	(MCG_CTL_P | MCG_SER_P)
/* What kvm_amd keeps of a MCG_CAP it took: AMD reserves bits 63:9. */
#define SVM_MCE_CAP_KEPT	0x1ffULL
/* HWCR: only McStatusWrEn is kept; these writes KVM ignores. */
#define SVM_HWCR_MCSTATUSWREN	BIT_ULL(18)
#define SVM_HWCR_IGNORED	(BIT_ULL(3) | BIT_ULL(6) | BIT_ULL(8))

static inline unsigned int svm_mce_banks(u64 mcg_cap)
{
	return mcg_cap & MCG_BANKCNT_MASK;
}

/**
 * svm_mce_cap_valid() - may KVM_X86_SETUP_MCE set @mcg_cap?
 * @mcg_cap: 1-32 banks, and only offered capability bits (with bits
 *	23:16, the extended-state count KVM lets through)
 */
static inline bool svm_mce_cap_valid(u64 mcg_cap)
{
	unsigned int banks = svm_mce_banks(mcg_cap);

	return banks && banks <= SVM_MCE_MAX_BANKS &&
	       !(mcg_cap & ~(SVM_MCE_CAP_SUPPORTED | 0xffULL | 0xff0000ULL));
}

/* Is @index one of the banks' MCi_CTL2 (0x280 up, below the banks')? */
static inline bool svm_mce_is_ctl2(u32 index)
{
	return index >= MSR_IA32_MC0_CTL2 &&
	       index < MSR_IA32_MCx_CTL2(SVM_MCE_MAX_BANKS);
}

/* Is @index one of the MSRs KVM keeps for machine checks? */
static inline bool svm_mce_is_msr(u32 index)
{
	return index == MSR_IA32_MCG_CAP || index == MSR_IA32_MCG_STATUS ||
	       index == MSR_IA32_MCG_CTL || svm_mce_is_ctl2(index) ||
	       (index >= MSR_IA32_MC0_CTL &&
		index < MSR_IA32_MCx_CTL(SVM_MCE_MAX_BANKS));
}

/* The bank register @index is (4 per bank), or -1 beyond the banks. */
static inline int svm_mce_bank_reg(u32 index, u64 mcg_cap)
{
	if (index < MSR_IA32_MC0_CTL ||
	    index >= MSR_IA32_MCx_CTL(svm_mce_banks(mcg_cap)))
		return -1;
	return index - MSR_IA32_MC0_CTL;
}

/**
 * svm_mce_read_valid() - may MCE MSR @index be read?
 * @index: an MSR svm_mce_is_msr() takes
 * @host: KVM_GET_MSRS, not the guest
 * @mcg_cap: the vCPU's MCG_CAP
 *
 * As KVM: MCG_CTL needs MCG_CTL_P, and MCi_CTL2 CMCI (never offered),
 * but for the host; a bank beyond MCG_CAP's count does not exist.
 */
static inline bool svm_mce_read_valid(u32 index, bool host, u64 mcg_cap)
{
	if (index == MSR_IA32_MCG_CTL)
		return host || (mcg_cap & MCG_CTL_P);
	if (svm_mce_is_ctl2(index))
		return host && index < MSR_IA32_MCx_CTL2(svm_mce_banks(mcg_cap));
	if (index >= MSR_IA32_MC0_CTL)
		return svm_mce_bank_reg(index, mcg_cap) >= 0;
	return true;
}

/**
 * svm_mce_write_valid() - may @val be written to MCE MSR @index?
 * @index: an MSR svm_mce_is_msr() takes
 * @val: the value
 * @host: KVM_SET_MSRS, not the guest
 * @mcg_cap: the vCPU's MCG_CAP
 * @hwcr: the vCPU's HWCR
 *
 * KVM's rules: MCG_CAP is set only by KVM_X86_SETUP_MCE; MCG_CTL is 0 or
 * all ones, and without MCG_CTL_P only the host's 0; MCi_CTL is 0 or all
 * ones but for bits 10 and 0 (old Linux on K8, UnixWare); the guest may
 * write a nonzero MCi_STATUS only with HWCR.McStatusWrEn; MCi_CTL2 only
 * the host's 0 (no CMCI); a bank beyond MCG_CAP's count does not exist.
 *
 * Return: 0, -ENOENT for MCG_CAP (an MSR KVM does not write), or -EINVAL.
 */
static inline int svm_mce_write_valid(u32 index, u64 val, bool host,
				      u64 mcg_cap, u64 hwcr)
{
	int reg;

	switch (index) {
	case MSR_IA32_MCG_CAP:
		return -ENOENT;
	case MSR_IA32_MCG_STATUS:
		return 0;
	case MSR_IA32_MCG_CTL:
		if (!(mcg_cap & MCG_CTL_P) && (val || !host))
			return -EINVAL;
		return !val || val == ~0ULL ? 0 : -EINVAL;
	}
	if (svm_mce_is_ctl2(index))
		return svm_mce_read_valid(index, host, mcg_cap) && !val ?
		       0 : -EINVAL;
	reg = svm_mce_bank_reg(index, mcg_cap);
	if (reg < 0)
		return -EINVAL;
	if (reg % 4 == 0)
		return !val || (val | BIT_ULL(10) | 1) == ~0ULL ? 0 : -EINVAL;
	if (reg % 4 == 1 && !host && val && !(hwcr & SVM_HWCR_MCSTATUSWREN))
		return -EINVAL;
	return 0;
}

/**
 * svm_hwcr_write_valid() - may @val be written to HWCR?
 * @val: the value; KVM ignores bits 3, 6 and 8, and keeps McStatusWrEn
 */
static inline bool svm_hwcr_write_valid(u64 val)
{
	return !(val & ~(SVM_HWCR_IGNORED | SVM_HWCR_MCSTATUSWREN));
}

struct kvm_x86_mce;

void svm_mce_reset(struct svm_vcpu *vcpu);
int svm_mce_get_msr(struct svm_vcpu *vcpu, u32 index, u64 *val, bool host);
int svm_mce_set_msr(struct svm_vcpu *vcpu, u32 index, u64 val, bool host);
int svm_mce_setup(struct svm_vcpu *vcpu, u64 __user *ucap);
int svm_mce_inject(struct svm_vcpu *vcpu, struct kvm_x86_mce __user *um);

#endif /* SVMHV_SVM_MCE_H */
