/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What KVM_SET_CPUID2 refuses, and how a table is searched.  Pure
 * functions of the entries, so KUnit can try them.
 *
 * The rules are KVM 6.1's (kvm_set_cpuid() and kvm_check_cpuid()), no
 * more: the same selftests run on /dev/kvm as the oracle, so a table
 * kvm_amd takes must be taken here too.  In particular these are not
 * refused, because KVM takes them:
 *  - unknown bits in an entry's flags, and nonzero padding (ignored);
 *  - two entries for one leaf and subleaf (the first one is used);
 *  - any MAXPHYADDR in leaf 8000_0008h EAX[7:0]: svmhv's guest page
 *    walker (gwalk.c) checks reserved bits against its own fixed
 *    GW_MAXPHYADDR, never against the guest's table, so no value there
 *    can make it walk differently.
 */
#ifndef SVMHV_SVM_CPUID_H
#define SVMHV_SVM_CPUID_H

#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/kvm.h>
#include <linux/limits.h>
#include <linux/types.h>
#include <asm/fpu/xstate.h>
#include <asm/msr-index.h>

/* For svm_cpuid_find(): the first entry of the leaf, whatever its index. */
#define SVM_CPUID_ANY_INDEX	U64_MAX

/**
 * svm_cpuid_find() - the entry of a CPUID table that answers @fn/@index.
 * @e: the table
 * @nent: its number of entries
 * @fn: the leaf (EAX)
 * @index: the subleaf (ECX), compared only with entries flagged
 *         KVM_CPUID_FLAG_SIGNIFCANT_INDEX; or SVM_CPUID_ANY_INDEX
 *
 * The first entry that matches wins, as in KVM: of two entries for the
 * same leaf, the second is never read.
 *
 * Return: the entry, or NULL when the table has none.
 */
static inline const struct kvm_cpuid_entry2 *
svm_cpuid_find(const struct kvm_cpuid_entry2 *e, u32 nent, u32 fn, u64 index)
{
	for (; nent; e++, nent--) {
		if (e->function != fn)
			continue;
		if (index == SVM_CPUID_ANY_INDEX ||
		    !(e->flags & KVM_CPUID_FLAG_SIGNIFCANT_INDEX) ||
		    e->index == index)
			return e;
	}
	return NULL;
}

/**
 * svm_check_cpuid() - KVM's checks on a table for a vCPU that has not run.
 * @e: the table, already copied from userspace
 * @nent: its number of entries
 *
 * Two rules, both KVM 6.1's:
 *  - The first entry for leaf 8000_0008h, whatever its index, gives a
 *    virtual-address width (EAX[15:8]) of 0, 48 or 57: the widths KVM's
 *    canonical-address checks are written for.
 *  - The entry for leaf 0Dh subleaf 0 enables no dynamic XSAVE feature
 *    (EDX:EAX & XFEATURE_MASK_USER_DYNAMIC, AMX tile data): KVM wants
 *    the process to have asked for it (arch_prctl
 *    ARCH_REQ_XCOMP_GUEST_PERM), which a CPU without AMX does not allow,
 *    and svmhv switches no XSAVE state at all, only x87 and SSE.
 *
 * Return: 0; -EINVAL for the address width; -EPERM for a dynamic
 * XSAVE feature.
 */
static inline int svm_check_cpuid(const struct kvm_cpuid_entry2 *e, u32 nent)
{
	const struct kvm_cpuid_entry2 *p;

	p = svm_cpuid_find(e, nent, 0x80000008, SVM_CPUID_ANY_INDEX);
	if (p) {
		u8 va_bits = p->eax >> 8;

		if (va_bits != 0 && va_bits != 48 && va_bits != 57)
			return -EINVAL;
	}
	p = svm_cpuid_find(e, nent, 0xd, 0);
	if (p && ((p->eax | (u64)p->edx << 32) & XFEATURE_MASK_USER_DYNAMIC))
		return -EPERM;
	return 0;
}

/**
 * svm_cpuid_same() - is table @a, entry by entry, table @b?
 * @a: one table
 * @na: its number of entries
 * @b: the other
 * @nb: its number of entries
 *
 * Once a vCPU has run, KVM 6.1 takes KVM_SET_CPUID2 only when it changes
 * nothing (a VMM may hand the same table to a reused vCPU): the same
 * entries in the same order, compared on function, index, flags and the
 * four registers; padding is not compared.
 *
 * Return: true when they are the same.
 */
static inline bool svm_cpuid_same(const struct kvm_cpuid_entry2 *a, u32 na,
				  const struct kvm_cpuid_entry2 *b, u32 nb)
{
	u32 i;

	if (na != nb)
		return false;
	for (i = 0; i < na; i++)
		if (a[i].function != b[i].function ||
		    a[i].index != b[i].index || a[i].flags != b[i].flags ||
		    a[i].eax != b[i].eax || a[i].ebx != b[i].ebx ||
		    a[i].ecx != b[i].ecx || a[i].edx != b[i].edx)
			return false;
	return true;
}

/* What shadow paging's guests are not told: PCID; SMEP, INVPCID, SMAP. */
#define SVM_CPUID_1_ECX_SHADOW_HIDDEN	BIT(17)
#define SVM_CPUID_7_EBX_SHADOW_HIDDEN	(BIT(7) | BIT(10) | BIT(20))

/**
 * svm_cpuid_hide_for_shadow() - take out what shadow paging lacks.
 * @e: a table
 * @nent: its number of entries
 *
 * The shadow MMU does not handle PCID, SMEP or SMAP (CR4 refuses them),
 * nor INVPCID (intercepted, #UD), so a VM under it is not told they exist:
 * its vCPUs start with a table without them, and KVM_GET_SUPPORTED_CPUID
 * leaves them out while new VMs start under shadow paging.
 */
static inline void svm_cpuid_hide_for_shadow(struct kvm_cpuid_entry2 *e,
					     u32 nent)
{
	for (; nent; e++, nent--) {
		if (e->function == 1)
			e->ecx &= ~SVM_CPUID_1_ECX_SHADOW_HIDDEN;
		if (e->function == 7 && e->index == 0)
			e->ebx &= ~SVM_CPUID_7_EBX_SHADOW_HIDDEN;
	}
}

/* CPUID 1.EDX[9]: the local APIC. */
#define SVM_CPUID_1_EDX_APIC		BIT(9)

/**
 * svm_cpuid_1_edx() - leaf 1's EDX as a vCPU sees it.
 * @edx: the table's
 * @apic_base: the vCPU's APIC base MSR
 *
 * As KVM 6.1 (kvm_update_cpuid_runtime()), the APIC bit is set exactly
 * while the APIC base's enable bit is, whatever the table says: a VMM
 * hides the local APIC by disabling it.
 *
 * Return: @edx with the APIC bit decided.
 */
static inline u32 svm_cpuid_1_edx(u32 edx, u64 apic_base)
{
	edx &= ~SVM_CPUID_1_EDX_APIC;
	if (apic_base & MSR_IA32_APICBASE_ENABLE)
		edx |= SVM_CPUID_1_EDX_APIC;
	return edx;
}

/**
 * svm_cpuid_runtime() - put svm_cpuid_1_edx() into a table, as KVM keeps
 * it in the vCPU's table (KVM_GET_CPUID2 shows it, and KVM_SET_CPUID2
 * compares with it once the vCPU has run).
 * @e: a table
 * @nent: its number of entries
 * @apic_base: the vCPU's APIC base MSR
 */
static inline void svm_cpuid_runtime(struct kvm_cpuid_entry2 *e, u32 nent,
				     u64 apic_base)
{
	for (; nent; e++, nent--)
		if (e->function == 1)
			e->edx = svm_cpuid_1_edx(e->edx, apic_base);
}

struct kvm_cpuid2;
struct svm_vcpu;

/* cpuid.c: the supported table and each vCPU's. */
int svm_cpuid_init(void);
void svm_cpuid_exit(void);
int svm_get_supported_cpuid(struct kvm_cpuid2 __user *uc, bool shadow);
int svm_set_cpuid(struct svm_vcpu *vcpu, struct kvm_cpuid2 __user *uc);
int svm_get_cpuid(struct svm_vcpu *vcpu, struct kvm_cpuid2 __user *uc);
int svm_default_cpuid(struct svm_vcpu *vcpu);
void svm_cpuid_lookup(struct svm_vcpu *vcpu, u32 fn, u32 index, u32 *out);
u8 svm_guest_maxphyaddr(struct svm_vcpu *vcpu);

#endif /* SVMHV_SVM_CPUID_H */
