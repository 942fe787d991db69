/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MSR accesses that userspace answers (msr_user.c): KVM_X86_SET_MSR_FILTER
 * and KVM_CAP_X86_USER_SPACE_MSR.  The filter's checks and lookup are pure
 * functions here, so KUnit can try them.
 */
#ifndef SVMHV_SVM_MSR_USER_H
#define SVMHV_SVM_MSR_USER_H

#include <linux/bitops.h>
#include <linux/errno.h>
#include <linux/kvm.h>
#include <linux/rcupdate.h>
#include <linux/types.h>

/* The reasons KVM_CAP_X86_USER_SPACE_MSR may ask exits for. */
#define SVM_MSR_EXIT_REASONS	(KVM_MSR_EXIT_REASON_INVAL | \
				 KVM_MSR_EXIT_REASON_UNKNOWN | \
				 KVM_MSR_EXIT_REASON_FILTER)
#define SVM_MSR_FILTER_RW	(KVM_MSR_FILTER_READ | KVM_MSR_FILTER_WRITE)

/* One range of a filter, its bitmap copied from userspace. */
struct svm_msr_range {
	u32 flags;		/* KVM_MSR_FILTER_READ and/or _WRITE */
	u32 base;
	u32 nmsrs;
	unsigned long *bitmap;	/* bit set: the access is allowed */
};

/* A VM's filter as KVM_X86_SET_MSR_FILTER installed it. */
struct svm_msr_filter {
	bool default_allow;
	u32 count;
	struct svm_msr_range ranges[KVM_MSR_FILTER_MAX_RANGES];
	struct rcu_head rcu;
};

/**
 * svm_msr_range_bytes() - check one of userspace's ranges, as KVM.
 * @r: the range
 *
 * A range without MSRs is ignored, whatever its flags.  Otherwise its
 * flags must be READ, WRITE or both, and its bitmap (rounded up to longs)
 * at most KVM_MSR_FILTER_MAX_BITMAP_SIZE bytes.
 *
 * Return: the bytes of bitmap to copy, 0 to ignore the range, or -EINVAL.
 */
static inline long svm_msr_range_bytes(const struct kvm_msr_filter_range *r)
{
	size_t bytes = BITS_TO_LONGS((size_t)r->nmsrs) * sizeof(long);

	if (!r->nmsrs)
		return 0;
	if (!r->flags || (r->flags & ~SVM_MSR_FILTER_RW))
		return -EINVAL;
	if (bytes > KVM_MSR_FILTER_MAX_BITMAP_SIZE)
		return -EINVAL;
	return bytes;
}

/**
 * svm_msr_filter_check() - check userspace's filter before its ranges.
 * @f: the filter
 *
 * Return: 0, or -EINVAL for a flag other than KVM_MSR_FILTER_DEFAULT_DENY,
 * or for a filter that denies by default with no range to allow anything.
 */
static inline int svm_msr_filter_check(const struct kvm_msr_filter *f)
{
	bool empty = true;
	int i;

	if (f->flags & ~KVM_MSR_FILTER_DEFAULT_DENY)
		return -EINVAL;
	for (i = 0; i < KVM_MSR_FILTER_MAX_RANGES; i++)
		empty &= !f->ranges[i].nmsrs;
	if (empty && (f->flags & KVM_MSR_FILTER_DEFAULT_DENY))
		return -EINVAL;
	return 0;
}

/**
 * svm_msr_filter_allows() - may the guest make this access?
 * @f: the filter, or NULL for none
 * @index: the MSR
 * @type: KVM_MSR_FILTER_READ or KVM_MSR_FILTER_WRITE
 *
 * As KVM: the first range that holds @index for @type decides, by its
 * bit; with none, the default.  The x2APIC MSRs are never filtered, and,
 * as in KVM, a range whose end passes 2^32 holds no MSR.
 *
 * Return: true when the access is allowed.
 */
static inline bool svm_msr_filter_allows(const struct svm_msr_filter *f,
					 u32 index, u32 type)
{
	const struct svm_msr_range *r;
	u32 i, end;

	if (!f || (index >= 0x800 && index <= 0x8ff))
		return true;
	for (i = 0; i < f->count; i++) {
		r = &f->ranges[i];
		end = r->base + r->nmsrs;
		if ((r->flags & type) && index >= r->base && index < end)
			return test_bit(index - r->base, r->bitmap);
	}
	return f->default_allow;
}

struct svm_vcpu;
struct svm_vm;

int svm_set_msr_filter(struct svm_vm *vm, struct kvm_msr_filter __user *uf);
void svm_free_msr_filter(struct svm_vm *vm);
int svm_msr_check_filter(struct svm_vcpu *vcpu, u32 index, bool write);
bool svm_msr_exit_to_user(struct svm_vcpu *vcpu, u32 index, bool write,
			  u64 data, int err);
void svm_msr_complete(struct svm_vcpu *vcpu);

#endif /* SVMHV_SVM_MSR_USER_H */
