// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_SET_USER_MEMORY_REGION: validate the request, pin the user pages
 * (accounted against RLIMIT_MEMLOCK as VFIO does, unless CAP_IPC_LOCK),
 * and hand the slot to the MMU backend.  A read-only slot
 * (KVM_MEM_READONLY: ROM, flash) is mapped without write access by both
 * MMUs, and the guest's writes to it exit as MMIO (mmio.c, shadow.c).  gpa.c reads the slots.  And
 * KVM_GET_DIRTY_LOG, the log of the slots with KVM_MEM_LOG_DIRTY_PAGES.
 */
#include <linux/bitmap.h>
#include <linux/kvm.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "memslot.h"
#include "vcpu_state.h"

/* See memslot.h. */
atomic_long_t svm_pinned_pages = ATOMIC_LONG_INIT(0);

static void svm_slot_unpin(struct svm_vm *vm, struct svm_slot *slot,
			   unsigned long npinned)
{
	unpin_user_pages_dirty_lock(slot->pages, npinned,
				    !(slot->flags & KVM_MEM_READONLY));
	atomic_long_sub(npinned, &svm_pinned_pages);
	account_locked_vm(vm->mm, slot->npages, false);
	kvfree(slot->pages);
}

/* Pin the slot's pages with FOLL_LONGTERM and @gup. */
static int svm_slot_pin_pages(struct svm_slot *slot, unsigned int gup)
{
	unsigned long done = 0;
	long ret;

	while (done < slot->npages) {
		unsigned long chunk = min(slot->npages - done, 4096UL);

		ret = pin_user_pages_fast(slot->uaddr + done * PAGE_SIZE, chunk,
					  FOLL_LONGTERM | gup, slot->pages + done);
		if (ret <= 0) {
			unpin_user_pages(slot->pages, done);
			atomic_long_sub(done, &svm_pinned_pages);
			return ret ? ret : -EFAULT;
		}
		atomic_long_add(ret, &svm_pinned_pages);
		done += ret;
		cond_resched();
	}
	return 0;
}

/*
 * Pin the slot's pages for writing.  A read-only slot too, where its
 * mapping allows: a VMM fills its ROMs after it created their slots (QEMU
 * at each reset), and a page pinned for reading before that would be the
 * zero page, never the one the VMM then writes.  A read-only mapping (a
 * ROM image mapped from a file) is pinned for reading.
 */
static int svm_slot_pin(struct svm_vm *vm, struct svm_slot *slot)
{
	int ret;

	/* The VM ioctl checked that the caller is the VM's process. */
	ret = account_locked_vm(vm->mm, slot->npages, true);
	if (ret)
		return ret;
	slot->pages = kvmalloc_array(slot->npages, sizeof(*slot->pages),
				     GFP_KERNEL_ACCOUNT);
	if (!slot->pages) {
		account_locked_vm(vm->mm, slot->npages, false);
		return -ENOMEM;
	}
	ret = svm_slot_pin_pages(slot, FOLL_WRITE);
	if (ret == -EFAULT && (slot->flags & KVM_MEM_READONLY))
		ret = svm_slot_pin_pages(slot, 0);
	if (ret) {
		account_locked_vm(vm->mm, slot->npages, false);
		kvfree(slot->pages);
	}
	return ret;
}

static bool svm_slots_overlap(const struct svm_slot *s, u64 gpa, u64 size)
{
	return gpa < s->gpa + s->size && s->gpa < gpa + size;
}

/* Longs in one half of a slot's dirty bitmap (KVM copies that many). */
static unsigned long svm_slot_log_longs(const struct svm_slot *slot)
{
	return BITS_TO_LONGS(slot->npages);
}

/*
 * The dirty bitmap of @slot, whose flags are set, replacing @old (NULL
 * for a new slot): none without KVM_MEM_LOG_DIRTY_PAGES, @old's while
 * the log stays on (as KVM, a move keeps it), else a new empty one.  The
 * second half of a new one is KVM_GET_DIRTY_LOG's buffer.
 */
static int svm_slot_alloc_log(struct svm_slot *slot,
			      const struct svm_slot *old)
{
	slot->dirty_bitmap = NULL;
	if (!(slot->flags & KVM_MEM_LOG_DIRTY_PAGES))
		return 0;
	if (old && old->dirty_bitmap) {
		slot->dirty_bitmap = old->dirty_bitmap;
		return 0;
	}
	slot->dirty_bitmap = kvcalloc(2 * svm_slot_log_longs(slot),
				      sizeof(long), GFP_KERNEL_ACCOUNT);
	return slot->dirty_bitmap ? 0 : -ENOMEM;
}

/* Free @slot's dirty bitmap unless @keep (the slot replacing it) has it. */
static void svm_slot_free_log(struct svm_slot *slot,
			      const struct svm_slot *keep)
{
	if (!keep || keep->dirty_bitmap != slot->dirty_bitmap)
		kvfree(slot->dirty_bitmap);
	slot->dirty_bitmap = NULL;
}

/*
 * Make the vCPUs forget old mappings: each one in guest mode is forced
 * out, and each flushes its TLB before it enters again.
 */
static void svm_slots_changed(struct svm_vm *vm)
{
	svm_vm_request_all(vm, SVM_REQ_TLB_FLUSH);
	if (vm->mmu->flush_done)
		vm->mmu->flush_done(vm);
}

static void svm_slot_delete(struct svm_vm *vm, struct svm_slot *slot)
{
	down_write(&vm->slots_lock);
	vm->slots[slot->id] = NULL;
	WRITE_ONCE(vm->slots_gen, vm->slots_gen + 1);
	vm->mmu->unmap_slot(vm, slot);
	vm->pinned_pages -= slot->npages;
	svm_slots_changed(vm);
	up_write(&vm->slots_lock);

	svm_slot_unpin(vm, slot, slot->npages);
	svm_slot_free_log(slot, NULL);
	kfree(slot);
}

/* Does [@gpa, @gpa + @size) overlap a slot other than @self? */
static bool svm_region_taken(struct svm_vm *vm, const struct svm_slot *self,
			     u64 gpa, u64 size)
{
	int i;

	for (i = 0; i < SVM_MAX_SLOTS; i++)
		if (vm->slots[i] && vm->slots[i] != self &&
		    svm_slots_overlap(vm->slots[i], gpa, size))
			return true;
	return false;
}

static int svm_slot_create(struct svm_vm *vm,
			   const struct kvm_userspace_memory_region *mr)
{
	struct svm_slot *slot;
	int ret;

	if (svm_region_taken(vm, NULL, mr->guest_phys_addr, mr->memory_size))
		return -EEXIST;

	slot = kzalloc(sizeof(*slot), GFP_KERNEL_ACCOUNT);
	if (!slot)
		return -ENOMEM;
	slot->id = mr->slot;
	slot->flags = mr->flags;
	slot->gpa = mr->guest_phys_addr;
	slot->size = mr->memory_size;
	slot->uaddr = mr->userspace_addr;
	slot->npages = mr->memory_size >> PAGE_SHIFT;
	ret = svm_slot_alloc_log(slot, NULL);
	if (ret)
		goto out_free;
	ret = svm_slot_pin(vm, slot);
	if (ret)
		goto out_free;

	down_write(&vm->slots_lock);
	ret = vm->mmu->map_slot(vm, slot);
	if (ret) {
		vm->mmu->unmap_slot(vm, slot);
		svm_slots_changed(vm);
		up_write(&vm->slots_lock);
		svm_slot_unpin(vm, slot, slot->npages);
		goto out_free;
	}
	vm->slots[slot->id] = slot;
	/* Mapped before this: see svm_npf_exit(). */
	WRITE_ONCE(vm->slots_gen, vm->slots_gen + 1);
	vm->pinned_pages += slot->npages;
	up_write(&vm->slots_lock);
	return 0;

out_free:
	svm_slot_free_log(slot, NULL);
	kfree(slot);
	return ret;
}

/*
 * Move @old to @gpa, or change its @flags (which remaps it: a slot that
 * logs is mapped otherwise), its pinned pages kept.  The new place is mapped
 * before the old one goes, so a failure (the MMU's tables) leaves the
 * slot where it was, mapped as it was.  A move onto part of its own range
 * has to unmap first; if mapping the new place then fails, the old one
 * is mapped again, and only if that fails too (no memory for tables
 * twice over) is the slot left in place with parts unmapped, which the
 * guest meets as an internal-error exit, never as another's memory.
 */
static int svm_slot_move(struct svm_vm *vm, struct svm_slot *old, u64 gpa,
			 u32 flags)
{
	bool self = svm_slots_overlap(old, gpa, old->size);
	struct svm_slot *slot;
	int ret;

	if (svm_region_taken(vm, old, gpa, old->size))
		return -EEXIST;
	slot = kmemdup(old, sizeof(*old), GFP_KERNEL_ACCOUNT);
	if (!slot)
		return -ENOMEM;
	slot->gpa = gpa;
	slot->flags = flags;
	ret = svm_slot_alloc_log(slot, old);
	if (ret) {
		kfree(slot);
		return ret;
	}

	down_write(&vm->slots_lock);
	if (self)
		vm->mmu->unmap_slot(vm, old);
	ret = vm->mmu->map_slot(vm, slot);
	if (ret) {
		vm->mmu->unmap_slot(vm, slot);
		if (self && vm->mmu->map_slot(vm, old))
			vm->mmu->unmap_slot(vm, old);
		svm_slots_changed(vm);
		up_write(&vm->slots_lock);
		svm_slot_free_log(slot, old);
		kfree(slot);
		return ret;
	}
	vm->slots[slot->id] = slot;
	if (!self)
		vm->mmu->unmap_slot(vm, old);
	WRITE_ONCE(vm->slots_gen, vm->slots_gen + 1);
	svm_slots_changed(vm);
	up_write(&vm->slots_lock);
	svm_slot_free_log(old, slot);
	kfree(old);		/* its pages are the new slot's now */
	return 0;
}

/**
 * svm_set_memory_region() - create, delete or move a memory slot.
 * @vm: the VM; vm->lock is held
 * @mr: the request, already copied from userspace
 *
 * As KVM: size 0 deletes (EINVAL if the slot does not exist); an overlap
 * with another slot is EEXIST; changing an existing slot's size, user
 * address or KVM_MEM_READONLY is EINVAL; a new guest address moves it,
 * new flags (dirty logging on or off) remap it.  A request that fails
 * leaves every slot as it was.
 *
 * Return: 0 or a negative errno.
 */
int svm_set_memory_region(struct svm_vm *vm,
			  const struct kvm_userspace_memory_region *mr)
{
	struct svm_slot *old;
	int ret;

	lockdep_assert_held(&vm->lock);
	ret = svm_check_region(mr);
	if (ret)
		return ret;
	old = vm->slots[mr->slot];

	if (!mr->memory_size) {
		if (!old)
			return -EINVAL;
		svm_slot_delete(vm, old);
		return 0;
	}
	if (!old)
		return svm_slot_create(vm, mr);
	if (old->size != mr->memory_size || old->uaddr != mr->userspace_addr ||
	    (old->flags ^ mr->flags) & KVM_MEM_READONLY)
		return -EINVAL;
	if (old->gpa == mr->guest_phys_addr && old->flags == mr->flags)
		return 0;

	return svm_slot_move(vm, old, mr->guest_phys_addr, mr->flags);
}

/* Take @slot's log into its buffer; true when a bit was set. */
static bool svm_slot_take_log(struct svm_slot *slot, unsigned long *buf)
{
	unsigned long i, n = svm_slot_log_longs(slot);
	bool any = false;

	for (i = 0; i < n; i++) {
		buf[i] = 0;
		if (!READ_ONCE(slot->dirty_bitmap[i]))
			continue;
		buf[i] = xchg(&slot->dirty_bitmap[i], 0);
		any = true;
	}
	return any;
}

/**
 * svm_get_dirty_log() - KVM_GET_DIRTY_LOG: take and clear a slot's log.
 * @vm: the VM; vm->lock is held (it keeps the slot and its buffer)
 * @log: the request, already copied from userspace
 *
 * As KVM 6.1 without manual protection: the bits are taken and cleared,
 * the pages they name are write-protected again, every vCPU flushes its
 * TLB, and the bits (a whole number of longs) are copied to userspace,
 * so that a page written after this returns is logged again.  Errors as
 * KVM's on x86: an address space (bits 31-16) above 1 or a slot id above
 * KVM's is EINVAL; a slot that does not exist (address space 1, svmhv's
 * ids above 31 among them) or does not log is ENOENT.
 *
 * Return: 0 or a negative errno.
 */
int svm_get_dirty_log(struct svm_vm *vm, const struct kvm_dirty_log *log)
{
	u32 as_id = log->slot >> 16;
	u16 id = log->slot & 0xffff;
	struct svm_slot *slot = NULL;
	unsigned long *buf;

	lockdep_assert_held(&vm->lock);
	if (as_id >= SVM_KVM_ADDRESS_SPACES || id >= SVM_KVM_USER_SLOTS)
		return -EINVAL;
	if (!as_id && id < SVM_MAX_SLOTS)
		slot = vm->slots[id];
	if (!slot || !slot->dirty_bitmap)
		return -ENOENT;
	buf = slot->dirty_bitmap + svm_slot_log_longs(slot);

	down_write(&vm->slots_lock);
	if (svm_slot_take_log(slot, buf)) {
		vm->mmu->protect_dirty(vm, slot, buf);
		svm_slots_changed(vm);
	}
	up_write(&vm->slots_lock);

	if (copy_to_user(log->dirty_bitmap, buf,
			 svm_slot_log_longs(slot) * sizeof(long)))
		return -EFAULT;
	return 0;
}

/**
 * svm_destroy_slots() - delete every slot of a VM no vCPU runs in.
 * @vm: the VM being destroyed
 */
void svm_destroy_slots(struct svm_vm *vm)
{
	int i;

	for (i = 0; i < SVM_MAX_SLOTS; i++)
		if (vm->slots[i])
			svm_slot_delete(vm, vm->slots[i]);
}

