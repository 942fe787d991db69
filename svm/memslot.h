/* SPDX-License-Identifier: GPL-2.0 */
/* KVM_SET_USER_MEMORY_REGION (memslot.c): the slot table's updates. */
#ifndef SVMHV_SVM_MEMSLOT_H
#define SVMHV_SVM_MEMSLOT_H

#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/kvm.h>
#include <linux/limits.h>
#include <linux/mm.h>
#include <linux/types.h>

#include "types.h"

/*
 * KVM_GET_DIRTY_LOG's bounds on x86, checked before the slot is looked
 * for: KVM_ADDRESS_SPACE_NUM (SMM's is the second) and KVM_USER_MEM_SLOTS.
 */
#define SVM_KVM_ADDRESS_SPACES	2
#define SVM_KVM_USER_SLOTS	(SHRT_MAX - 3)

/**
 * svm_check_region() - KVM's checks on a KVM_SET_USER_MEMORY_REGION.
 * @mr: the request, already copied from userspace
 *
 * Return: 0, or -EINVAL for what KVM refuses with EINVAL.
 */
static inline int
svm_check_region(const struct kvm_userspace_memory_region *mr)
{
	u16 id = mr->slot & 0xffff;

	if (mr->flags & ~(KVM_MEM_LOG_DIRTY_PAGES | KVM_MEM_READONLY))
		return -EINVAL;
	if (mr->slot >> 16 || id >= SVM_MAX_SLOTS)	/* one address space */
		return -EINVAL;
	if (!PAGE_ALIGNED(mr->memory_size) ||
	    !PAGE_ALIGNED(mr->guest_phys_addr) ||
	    !PAGE_ALIGNED(mr->userspace_addr))
		return -EINVAL;
	if (mr->memory_size >> PAGE_SHIFT > SVM_MAX_SLOT_PAGES)
		return -EINVAL;
	if (mr->guest_phys_addr + mr->memory_size < mr->guest_phys_addr ||
	    mr->guest_phys_addr + mr->memory_size > BIT_ULL(SVM_GPA_BITS))
		return -EINVAL;
	if (mr->userspace_addr + mr->memory_size < mr->userspace_addr)
		return -EINVAL;
	return 0;
}

/*
 * Pages pinned for slots now, over all VMs: one per entry of a slot's
 * page array, that is one per pin reference taken (see debugfs.c).
 */
extern atomic_long_t svm_pinned_pages;

int svm_set_memory_region(struct svm_vm *vm,
			  const struct kvm_userspace_memory_region *mr);
void svm_destroy_slots(struct svm_vm *vm);
int svm_get_dirty_log(struct svm_vm *vm, const struct kvm_dirty_log *log);

#endif /* SVMHV_SVM_MEMSLOT_H */
