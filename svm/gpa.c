// SPDX-License-Identifier: GPL-2.0
/*
 * Guest-physical memory: which slot holds an address, the host page
 * behind it, copies in and out, and the memory the page walker reads
 * and updates.  The callers hold slots_lock, for read at least.
 */
#include <linux/highmem.h>
#include <linux/io.h>
#include <linux/kvm.h>
#include <linux/mm.h>

#include "gpa.h"

/* The slot holding @gpa; slots_lock held. */
static struct svm_slot *svm_find_slot(struct svm_vm *vm, u64 gpa)
{
	int i;

	for (i = 0; i < SVM_MAX_SLOTS; i++) {
		struct svm_slot *s = vm->slots[i];

		if (s && gpa >= s->gpa && gpa - s->gpa < s->size)
			return s;
	}
	return NULL;
}

/* Set @s's dirty bits for [@gpa, @gpa + @len), all inside @s. */
static void svm_slot_log(struct svm_slot *s, u64 gpa, size_t len)
{
	unsigned long first, last;

	if (!s->dirty_bitmap || !len)
		return;
	first = (gpa - s->gpa) >> PAGE_SHIFT;
	last = (gpa + len - 1 - s->gpa) >> PAGE_SHIFT;
	for (; first <= last; first++)
		if (!test_bit(first, s->dirty_bitmap))
			set_bit(first, s->dirty_bitmap);
}

/**
 * svm_gpa_log_write() - log a write to guest memory svmhv made itself.
 * @vm: the VM; slots_lock held for read
 * @gpa: first byte written
 * @len: bytes written
 *
 * Every page of the range that a slot holds and logs is marked dirty
 * for KVM_GET_DIRTY_LOG; the rest of the range is ignored.
 */
void svm_gpa_log_write(struct svm_vm *vm, u64 gpa, size_t len)
{
	while (len) {
		struct svm_slot *s = svm_find_slot(vm, gpa);
		size_t n = min_t(size_t, len, PAGE_SIZE - offset_in_page(gpa));

		if (s)
			svm_slot_log(s, gpa, n);
		gpa += n;
		len -= n;
	}
}

static bool svm_slot_readonly(const struct svm_slot *s)
{
	return s->flags & KVM_MEM_READONLY;
}

/**
 * svm_gpa_logged() - does a slot that logs dirty pages hold @gpa, and may
 * the guest write it (a read-only slot's log stays empty)?
 * @vm: the VM; slots_lock held
 * @gpa: a guest-physical address
 */
bool svm_gpa_logged(struct svm_vm *vm, u64 gpa)
{
	struct svm_slot *s = svm_find_slot(vm, gpa);

	return s && s->dirty_bitmap && !svm_slot_readonly(s);
}

/**
 * svm_gpa_readonly() - does a read-only slot (KVM_MEM_READONLY) hold @gpa?
 * @vm: the VM; slots_lock held
 * @gpa: a guest-physical address
 */
bool svm_gpa_readonly(struct svm_vm *vm, u64 gpa)
{
	struct svm_slot *s = svm_find_slot(vm, gpa);

	return s && svm_slot_readonly(s);
}

/**
 * svm_gpa_is_ram() - is @gpa inside a memory slot?
 * @vm: the VM; slots_lock held
 * @gpa: a guest-physical address
 */
bool svm_gpa_is_ram(struct svm_vm *vm, u64 gpa)
{
	return svm_find_slot(vm, gpa);
}

static int svm_walk_read(void *ctx, u64 gpa, u64 *val, int size)
{
	*val = 0;
	return svm_access_guest(ctx, gpa, val, size, false);
}

/*
 * A guest page-table entry's accessed and dirty bits, set as the CPU sets
 * them: atomically, so that a vCPU writing the entry at the same time
 * loses nothing.  Entries are aligned to their size, so within one page.
 * Not in a read-only slot: the walk then fails (gwalk() says -EIO).
 */
static int svm_walk_cmpxchg(void *ctx, u64 gpa, u64 old, u64 new, int size)
{
	struct svm_slot *s = svm_find_slot(ctx, gpa);
	bool done;
	void *va;

	if (!s || svm_slot_readonly(s) || !IS_ALIGNED(gpa, size))
		return -EFAULT;
	va = kmap_local_page(s->pages[(gpa - s->gpa) >> PAGE_SHIFT]);
	va += offset_in_page(gpa);
	if (size == 8)
		done = try_cmpxchg((u64 *)va, &old, new);
	else
		done = cmpxchg((u32 *)va, (u32)old, (u32)new) == (u32)old;
	kunmap_local(va);
	if (done)
		svm_slot_log(s, gpa, size);
	return done ? 0 : -EAGAIN;
}

/**
 * svm_walk_mem() - guest-physical memory for gwalk().
 * @vm: the VM; slots_lock held for read while it is used
 *
 * Return: the callbacks, reading and writing through the slots.
 */
struct gwalk_mem svm_walk_mem(struct svm_vm *vm)
{
	return (struct gwalk_mem){ svm_walk_read, svm_walk_cmpxchg, vm };
}

/**
 * svm_gpa_to_page() - the host page behind a guest-physical address.
 * @vm: the VM; slots_lock held
 * @gpa: a guest-physical address
 *
 * Return: the pinned page, or NULL outside every slot (MMIO).
 */
struct page *svm_gpa_to_page(struct svm_vm *vm, u64 gpa)
{
	struct svm_slot *s = svm_find_slot(vm, gpa);

	return s ? s->pages[(gpa - s->gpa) >> PAGE_SHIFT] : NULL;
}

/**
 * svm_contig_bytes() - how much of a pinned range is one large page.
 * @pages: a slot's pinned pages, from the one to start at
 * @n: entries of @pages from there
 * @max: the most bytes wanted
 *
 * Return: the bytes, up to @max, from pages[0] on that are one THP or
 * hugetlb folio mapped in physical order; PAGE_SIZE when pages[0] is an
 * ordinary page.  Pinned pages stay where they are, so the answer holds
 * for the slot's lifetime.
 */
u64 svm_contig_bytes(struct page **pages, unsigned long n, u64 max)
{
	struct folio *folio = page_folio(pages[0]);
	unsigned long pfn = page_to_pfn(pages[0]);
	unsigned long k, limit;

	if (folio_size(folio) < PMD_SIZE)
		return PAGE_SIZE;
	limit = min3(n, (unsigned long)(max >> PAGE_SHIFT),
		     folio_pfn(folio) + folio_nr_pages(folio) - pfn);
	for (k = 1; k < limit; k++)
		if (page_to_pfn(pages[k]) != pfn + k)
			break;
	return (u64)k << PAGE_SHIFT;
}

/**
 * svm_gpa_to_huge() - the host 2M page behind a guest 2M region.
 * @vm: the VM; slots_lock held
 * @gpa: a guest-physical address; its 2M-aligned region is meant
 *
 * Return: the host-physical address of the region's first byte when one
 * slot holds all of it and one large page backs it, 2M-aligned and in
 * order (so one 2M leaf can map it); else 0, also for a slot that logs
 * dirty pages (they are tracked one 4K page at a time).
 */
u64 svm_gpa_to_huge(struct svm_vm *vm, u64 gpa)
{
	u64 base = gpa & ~(u64)(PMD_SIZE - 1);
	struct svm_slot *s = svm_find_slot(vm, base);
	unsigned long first;
	u64 hpa;

	if (!s || s->dirty_bitmap ||
	    base + PMD_SIZE > s->gpa + ((u64)s->npages << PAGE_SHIFT))
		return 0;
	first = (base - s->gpa) >> PAGE_SHIFT;
	hpa = page_to_phys(s->pages[first]);
	if (hpa & (PMD_SIZE - 1) ||
	    svm_contig_bytes(s->pages + first, s->npages - first,
			     PMD_SIZE) < PMD_SIZE)
		return 0;
	return hpa;
}

/**
 * svm_access_guest() - copy to or from guest-physical memory.
 * @vm: the VM; slots_lock held for read
 * @gpa: first byte
 * @buf: kernel buffer
 * @len: bytes; the range may cross pages but not leave RAM
 * @write: true to copy @buf into the guest (logged as dirty)
 *
 * Return: 0, or -EFAULT when part of the range is not in a slot, or is
 * in a read-only one for a write (nothing is written from there on).
 */
int svm_access_guest(struct svm_vm *vm, u64 gpa, void *buf, size_t len,
		     bool write)
{
	while (len) {
		struct svm_slot *s = svm_find_slot(vm, gpa);
		size_t off = offset_in_page(gpa);
		size_t n = min_t(size_t, len, PAGE_SIZE - off);
		void *va;

		if (!s || (write && svm_slot_readonly(s)))
			return -EFAULT;
		va = kmap_local_page(s->pages[(gpa - s->gpa) >> PAGE_SHIFT]);
		if (write) {
			memcpy(va + off, buf, n);
			svm_slot_log(s, gpa, n);
		} else {
			memcpy(buf, va + off, n);
		}
		kunmap_local(va);
		gpa += n;
		buf += n;
		len -= n;
	}
	return 0;
}
