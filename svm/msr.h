/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What an MSR write and the MSR ioctls refuse.  Pure functions of the
 * index, the value and a snapshot of the state they depend on, so KUnit
 * can try them; msr.c does the writes.
 */
#ifndef SVMHV_SVM_MSR_H
#define SVMHV_SVM_MSR_H

#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/types.h>
#include <asm/kvm_para.h>
#include <asm/msr-index.h>
#include <asm/processor-flags.h>

#define MSR_MTRRCAP		0xfe
#define MSR_MTRR_DEF_TYPE	0x2ff
/* The variable ranges: base and mask pairs from 0x200. */
#define SVM_MTRR_VAR_FIRST	0x200
#define SVM_MTRR_NR_VAR		8
/* The fixed ranges: 64K at 0x250, 16K at 0x258-0x259, 4K at 0x268-0x26f. */
#define SVM_MTRR_NR_FIXED	11
/* MTRRcap: write-combining, fixed ranges, SVM_MTRR_NR_VAR variable ones. */
#define SVM_MTRRCAP_VALUE	(BIT_ULL(10) | BIT_ULL(8) | SVM_MTRR_NR_VAR)

/* The EFER bits a guest has: SVME stays svmhv's, the rest are reserved. */
#define EFER_GUEST_BITS		(EFER_SCE | EFER_LME | EFER_LMA | EFER_NX)
/* IA32_APIC_BASE: BSP and global enable, the bits that may change. */
#define SVM_APIC_BASE_BSP	BIT_ULL(8)
#define SVM_APIC_BASE_ENABLE	BIT_ULL(11)
/* MTRRdefType: default type (7:0), fixed-range enable, MTRR enable. */
#define SVM_MTRR_DEF_TYPE_BITS	(0xffULL | BIT_ULL(10) | BIT_ULL(11))

/* KVM's MAX_IO_MSRS: KVM_GET/SET_MSRS take fewer entries than this. */
#define SVM_MAX_IO_MSRS		256

/* What an MSR write is checked against: the vCPU's state before it. */
struct svm_msr_state {
	u64 efer;		/* the guest's EFER, without SVME */
	u64 cr0;		/* the guest's CR0 */
	u64 cr4;		/* the guest's CR4 */
	u8 maxphyaddr;		/* the guest's, from its CPUID */
};

/* Sign-extended from bit 47: what a 48-bit CPU accepts for a base. */
static inline bool svm_canonical(u64 v)
{
	return (u64)((s64)(v << 16) >> 16) == v;
}

/* Each PAT entry must be a memory type the CPU has (0, 1, 4, 5, 6, 7). */
static inline bool svm_pat_valid(u64 pat)
{
	int i;

	for (i = 0; i < 8; i++) {
		u8 t = pat >> (i * 8);

		if (t > 7 || t == 2 || t == 3)
			return false;
	}
	return true;
}

/*
 * IA32_APIC_BASE (WRMSR, KVM_SET_MSRS, KVM_SET_SREGS), KVM's rules for a
 * VM without a local APIC in the kernel: bits 0-7 and 9 are reserved, and
 * bit 10 (x2APIC), which svmhv does not offer; the base must fit in the
 * guest's MAXPHYADDR.  It is only kept: there is no APIC page to move.
 */
static inline bool svm_apic_base_valid(u64 val, u8 maxphyaddr)
{
	u64 rsvd = 0x6ffULL;

	if (maxphyaddr < 64)
		rsvd |= ~0ULL << maxphyaddr;
	return !(val & rsvd);
}

/* A memory type an MTRR may hold: UC, WC, WT, WP or WB (0, 1, 4, 5, 6). */
static inline bool svm_mtrr_type_valid(u64 t)
{
	return t < 8 && (BIT(t) & 0x73);
}

/* Which fixed-range MTRR @index is (0-10), or -1. */
static inline int svm_mtrr_fixed_slot(u32 index)
{
	if (index == 0x250)
		return 0;
	if (index == 0x258 || index == 0x259)
		return index - 0x258 + 1;
	if (index >= 0x268 && index <= 0x26f)
		return index - 0x268 + 3;
	return -1;
}

/* Is @index a variable-range MTRR (base or mask)? */
static inline bool svm_mtrr_is_var(u32 index)
{
	return index >= SVM_MTRR_VAR_FIRST &&
	       index < SVM_MTRR_VAR_FIRST + 2 * SVM_MTRR_NR_VAR;
}

/*
 * The MTRRs' rules, as the CPU's and KVM's: every byte of a fixed range a
 * valid type; a variable base a valid type with bits 11:8 and those above
 * MAXPHYADDR clear; a variable mask with bits 10:0 and those above
 * MAXPHYADDR clear; MTRRdefType only its type (valid), FE and E.
 */
static inline bool svm_mtrr_valid(u32 index, u64 val, u8 maxphyaddr)
{
	u64 above = maxphyaddr < 64 ? ~0ULL << maxphyaddr : 0;
	int i;

	if (index == MSR_MTRR_DEF_TYPE)
		return !(val & ~SVM_MTRR_DEF_TYPE_BITS) &&
		       svm_mtrr_type_valid(val & 0xff);
	if (svm_mtrr_fixed_slot(index) >= 0) {
		for (i = 0; i < 8; i++)
			if (!svm_mtrr_type_valid((val >> (i * 8)) & 0xff))
				return false;
		return true;
	}
	if (index & 1)
		return !(val & (above | 0x7ffULL));
	return !(val & (above | 0xf00ULL)) && svm_mtrr_type_valid(val & 0xff);
}

/**
 * svm_efer_value() - the EFER a write of @val leaves the vCPU with.
 * @val: the value written
 * @host: the write comes from KVM_SET_MSRS, not from the guest
 * @cur: the vCPU's state before the write
 *
 * LMA is the CPU's: it is set when paging comes on with LME set (APM
 * vol. 2, "Enabling and Activating Long Mode"), and nobody writes it.
 * A guest's WRMSR keeps the LMA it has (LME cannot change under paging);
 * userspace, which may change LME under paging, gets LME && CR0.PG.  So
 * LMA always agrees with LME and CR0.PG: an MMU never meets a long-mode
 * guest with paging off, or a legacy one that the CPU runs in long mode.
 *
 * Return: @val with LMA as the CPU would have it.
 */
static inline u64 svm_efer_value(u64 val, bool host,
				 const struct svm_msr_state *cur)
{
	bool lma = host ? (val & EFER_LME) && (cur->cr0 & X86_CR0_PG) :
			  cur->efer & EFER_LMA;

	return (val & ~EFER_LMA) | (lma ? EFER_LMA : 0);
}

/*
 * EFER: no reserved bit (nor SVME, which would be nested SVM); from the
 * guest no change of LME while paging is on; from userspace, no long
 * mode activated without CR4.PAE (VMRUN would refuse it).  The LMA
 * written is ignored, not checked: see svm_efer_value().
 */
static inline bool svm_efer_write_valid(u64 val, bool host,
					const struct svm_msr_state *cur)
{
	if (val & ~EFER_GUEST_BITS)
		return false;
	if (!host && (cur->cr0 & X86_CR0_PG) && ((val ^ cur->efer) & EFER_LME))
		return false;
	if ((svm_efer_value(val, host, cur) & EFER_LMA) &&
	    !(cur->cr4 & X86_CR4_PAE))
		return false;
	return true;
}

/**
 * svm_check_msr_write() - may @val be written to MSR @index?
 * @index: the MSR
 * @val: the value
 * @host: the write comes from KVM_SET_MSRS, not from the guest
 * @cur: the vCPU's state before the write
 *
 * The rules, by MSR:
 *  - STAR, SFMASK, SYSENTER_CS/ESP/EIP, TSC, TSC_ADJUST: any value.
 *  - UCODE_REV: any value (the guest's writes are ignored, as KVM).
 *  - POWER_CTL: any value, kept as KVM keeps it.
 *  - LSTAR, CSTAR, FS/GS/KERNEL_GS base: a canonical address.
 *  - EFER: svm_efer_write_valid().
 *  - APIC_BASE: svm_apic_base_valid().
 *  - PAT: every entry a memory type (APM vol. 2, "PAT Register").
 *  - MTRRdefType, the fixed and variable MTRRs: svm_mtrr_valid().
 *  - MTRRcap is read-only: only userspace may write it, and only its value
 *    (SVM_MTRRCAP_VALUE), so that every MSR KVM_GET_MSR_INDEX_LIST lists
 *    can be restored.
 *  - KVM's clock MSRs (0x11, 0x12): 0 only, kvmclock off.  svmhv has no
 *    kvmclock (CPUID does not offer it), but a VMM such as QEMU puts and
 *    gets them whatever CPUID says.
 *  - Any other MSR does not exist here.
 *
 * Return: 0, -EINVAL for a value the CPU would refuse with #GP, or
 * -ENOENT for an MSR svmhv does not have (#GP too, but a different
 * KVM_MSR_EXIT_REASON for userspace).
 */
static inline int svm_check_msr_write(u32 index, u64 val, bool host,
				      const struct svm_msr_state *cur)
{
	switch (index) {
	case MSR_STAR:
	case MSR_SYSCALL_MASK:
	case MSR_IA32_SYSENTER_CS:
	case MSR_IA32_SYSENTER_ESP:
	case MSR_IA32_SYSENTER_EIP:
	case MSR_IA32_TSC:
	case MSR_IA32_TSC_ADJUST:
	case MSR_IA32_UCODE_REV:
	case MSR_IA32_POWER_CTL:
		return 0;
	case MSR_LSTAR:
	case MSR_CSTAR:
	case MSR_FS_BASE:
	case MSR_GS_BASE:
	case MSR_KERNEL_GS_BASE:
		return svm_canonical(val) ? 0 : -EINVAL;
	case MSR_EFER:
		return svm_efer_write_valid(val, host, cur) ? 0 : -EINVAL;
	case MSR_IA32_APICBASE:
		return svm_apic_base_valid(val, cur->maxphyaddr) ? 0 : -EINVAL;
	case MSR_IA32_CR_PAT:
		return svm_pat_valid(val) ? 0 : -EINVAL;
	case MSR_MTRR_DEF_TYPE:
		return svm_mtrr_valid(index, val, cur->maxphyaddr) ? 0 : -EINVAL;
	case MSR_MTRRCAP:
		return host && val == SVM_MTRRCAP_VALUE ? 0 : -EINVAL;
	case MSR_KVM_WALL_CLOCK:
	case MSR_KVM_SYSTEM_TIME:
		return val ? -EINVAL : 0;
	default:
		if (svm_mtrr_is_var(index) || svm_mtrr_fixed_slot(index) >= 0)
			return svm_mtrr_valid(index, val, cur->maxphyaddr) ?
			       0 : -EINVAL;
		return -ENOENT;
	}
}

/**
 * svm_check_msrs_count() - KVM_GET/SET_MSRS: may the list be this long?
 * @nmsrs: userspace's kvm_msrs.nmsrs
 *
 * Return: 0, or -E2BIG from SVM_MAX_IO_MSRS entries up, as KVM.
 */
static inline int svm_check_msrs_count(u32 nmsrs)
{
	return nmsrs >= SVM_MAX_IO_MSRS ? -E2BIG : 0;
}

/**
 * svm_check_msr_list_room() - KVM_GET_MSR_INDEX_LIST: do the indices fit?
 * @room: userspace's kvm_msr_list.nmsrs
 * @count: how many indices there are
 *
 * Return: 0, or -E2BIG (userspace is told @count either way).
 */
static inline int svm_check_msr_list_room(u32 room, u32 count)
{
	return room < count ? -E2BIG : 0;
}

struct kvm_device_attr;
struct kvm_msr_list;
struct kvm_msrs;
struct svm_vcpu;

/* msr.c: the emulated MSRs, for the MSR exit and the ioctls. */
void svm_osvw_init(struct svm_vcpu *vcpu);
int svm_get_msr(struct svm_vcpu *vcpu, u32 index, u64 *val, bool host);
int svm_set_msr(struct svm_vcpu *vcpu, u32 index, u64 val, bool host);
int svm_get_msr_index_list(struct kvm_msr_list __user *ul, bool features);
int svm_tsc_attr_ioctl(struct svm_vcpu *vcpu, unsigned int cmd,
		       struct kvm_device_attr __user *ua);
int svm_msrs_ioctl(struct svm_vcpu *vcpu, struct kvm_msrs __user *um,
		   bool set);

#endif /* SVMHV_SVM_MSR_H */
