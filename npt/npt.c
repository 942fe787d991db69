// SPDX-License-Identifier: GPL-2.0
/*
 * Nested paging (AMD RVI): guest-physical to host-physical tables built
 * from each slot's pinned pages, with 2M and 1G leaves wherever the host
 * memory is a THP or hugetlb page that allows them.  Slots are mapped
 * whole when they are added, so a nested page fault inside a slot never
 * needs the MMU; outside every slot it is MMIO.
 */
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/kvm.h>
#include <linux/list.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "../svm/gpa.h"
#include "../svm/trace.h"
#include "../svm/types.h"
#include "npt.h"

struct npt {
	u64 *root;			/* level 4 table */
	struct list_head freed;		/* tables to free after the flush */
};

static struct npt *to_npt(struct svm_vm *vm)
{
	return vm->mmu_priv;
}

/* Nested-table pages held now, over all VMs (debugfs mmu_pages). */
static atomic_long_t npt_live_pages;

static u64 *npt_alloc_table(void)
{
	u64 *table = (u64 *)get_zeroed_page(GFP_KERNEL_ACCOUNT);

	if (table)
		atomic_long_inc(&npt_live_pages);
	return table;
}

static void npt_free_table(void *table)
{
	atomic_long_dec(&npt_live_pages);
	free_page((unsigned long)table);
}

static u64 *npt_child(u64 entry)
{
	return __va(entry & NPT_ADDR_MASK);
}

static int npt_init_vm(struct svm_vm *vm)
{
	struct npt *npt = kzalloc(sizeof(*npt), GFP_KERNEL_ACCOUNT);

	if (!npt)
		return -ENOMEM;
	npt->root = npt_alloc_table();
	if (!npt->root) {
		kfree(npt);
		return -ENOMEM;
	}
	INIT_LIST_HEAD(&npt->freed);
	vm->mmu_priv = npt;
	return 0;
}

static void npt_free_tree(u64 *table, int level)
{
	unsigned int i;

	for (i = 0; level > 1 && i < NPT_ENTRIES; i++)
		if ((table[i] & NPT_P) && !npt_entry_is_leaf(table[i], level))
			npt_free_tree(npt_child(table[i]), level - 1);
	npt_free_table(table);
}

static void npt_flush_done(struct svm_vm *vm)
{
	struct npt *npt = to_npt(vm);
	struct page *page, *tmp;

	list_for_each_entry_safe(page, tmp, &npt->freed, lru) {
		list_del(&page->lru);
		npt_free_table(page_address(page));
	}
}

static void npt_destroy_vm(struct svm_vm *vm)
{
	struct npt *npt = to_npt(vm);

	if (!npt)
		return;
	npt_flush_done(vm);
	npt_free_tree(npt->root, NPT_LEVELS);
	kfree(npt);
	vm->mmu_priv = NULL;
}

/*
 * Install one leaf.  -EEXIST when a table already sits where a large
 * leaf should go (left by an earlier slot): the caller maps smaller.
 */
static int npt_set_leaf(struct npt *npt, u64 gpa, u64 hpa, int level,
			bool ro)
{
	u64 *table = npt->root;
	int l;

	for (l = NPT_LEVELS; l > level; l--) {
		u64 *entry = &table[npt_index(gpa, l)];

		if (!(*entry & NPT_P)) {
			u64 *child = npt_alloc_table();

			if (!child)
				return -ENOMEM;
			WRITE_ONCE(*entry, __pa(child) | NPT_TABLE_FLAGS);
		} else if (WARN_ON_ONCE(npt_entry_is_leaf(*entry, l))) {
			return -EEXIST;
		}
		table = npt_child(*entry);
	}
	table += npt_index(gpa, level);
	if (*table & NPT_P)
		return -EEXIST;
	WRITE_ONCE(*table, npt_make_leaf(hpa, level) & ~(ro ? NPT_RW : 0));
	return 0;
}

/*
 * A slot that logs dirty pages is mapped with read-only 4K leaves, a
 * read-only slot (KVM_MEM_READONLY) with read-only leaves of any size.
 */
static int npt_map_slot(struct svm_vm *vm, struct svm_slot *slot)
{
	struct npt *npt = to_npt(vm);
	bool log = slot->dirty_bitmap;
	bool ro = log || (slot->flags & KVM_MEM_READONLY);
	unsigned long i = 0;

	while (i < slot->npages) {
		u64 gpa = slot->gpa + ((u64)i << PAGE_SHIFT);
		u64 hpa = page_to_phys(slot->pages[i]);
		u64 remaining = (u64)(slot->npages - i) << PAGE_SHIFT;
		u64 contig = PAGE_SIZE;
		int level, ret;

		/* Only look for a large page where one could go. */
		if (!log && !((gpa | hpa) & (PMD_SIZE - 1)) &&
		    remaining >= PMD_SIZE)
			contig = svm_contig_bytes(slot->pages + i,
						  slot->npages - i, PUD_SIZE);
		level = npt_leaf_level(gpa, hpa, remaining, contig);
		while ((ret = npt_set_leaf(npt, gpa, hpa, level, ro)) ==
		       -EEXIST && level > 1)
			level--;
		if (ret)
			return ret;
		trace_svmhv_npt_map(gpa, hpa, level);
		vm->leaves[level - 1]++;
		i += npt_level_size(level) >> PAGE_SHIFT;
	}
	return 0;
}

/* Clear every leaf in [start, end) below @table; queue emptied tables. */
static void npt_zap(struct svm_vm *vm, u64 *table, int level, u64 base,
		    u64 start, u64 end)
{
	u64 size = npt_level_size(level);
	unsigned int i = npt_index(start, level);

	for (; i < NPT_ENTRIES; i++) {
		u64 lo = base + i * size, hi = lo + size;
		u64 entry = table[i];

		if (lo >= end)
			break;
		if (!(entry & NPT_P))
			continue;
		if (npt_entry_is_leaf(entry, level)) {
			WRITE_ONCE(table[i], 0);
			vm->leaves[level - 1]--;
			continue;
		}
		npt_zap(vm, npt_child(entry), level - 1, lo, max(start, lo),
			min(end, hi));
		if (start <= lo && hi <= end) {
			WRITE_ONCE(table[i], 0);
			list_add(&virt_to_page(npt_child(entry))->lru,
				 &to_npt(vm)->freed);
		}
	}
}

static void npt_unmap_slot(struct svm_vm *vm, struct svm_slot *slot)
{
	trace_svmhv_npt_unmap(slot->gpa, slot->size);
	npt_zap(vm, to_npt(vm)->root, NPT_LEVELS, 0, slot->gpa,
		slot->gpa + slot->size);
}

/* The 4K leaf that maps @gpa, or NULL (a large leaf, or none). */
static u64 *npt_find_leaf(struct npt *npt, u64 gpa)
{
	u64 *table = npt->root;
	int l;

	for (l = NPT_LEVELS; l > 1; l--) {
		u64 entry = READ_ONCE(table[npt_index(gpa, l)]);

		if (!(entry & NPT_P) || npt_entry_is_leaf(entry, l))
			return NULL;
		table = npt_child(entry);
	}
	table += npt_index(gpa, 1);
	return READ_ONCE(*table) & NPT_P ? table : NULL;
}

/*
 * A write fault on a page of a logging slot, already logged: set the RW
 * bit atomically (vCPUs fault on other pages of the same table at once).
 */
static int npt_make_writable(struct svm_vm *vm, u64 gpa)
{
	u64 *leaf = npt_find_leaf(to_npt(vm), gpa);

	if (!leaf)
		return -ENOENT;
	return !test_and_set_bit(__ffs64(NPT_RW), (unsigned long *)leaf);
}

static void npt_protect_page(struct npt *npt, u64 gpa)
{
	u64 *leaf = npt_find_leaf(npt, gpa);

	if (leaf)
		clear_bit(__ffs64(NPT_RW), (unsigned long *)leaf);
}

/* Clear the RW bit of the leaves of @slot's pages set in @bits. */
static void npt_protect_dirty(struct svm_vm *vm, struct svm_slot *slot,
			      const unsigned long *bits)
{
	struct npt *npt = to_npt(vm);
	unsigned long i;

	if (!bits) {
		for (i = 0; i < slot->npages; i++)
			npt_protect_page(npt, slot->gpa + ((u64)i << PAGE_SHIFT));
		return;
	}
	for_each_set_bit(i, bits, slot->npages)
		npt_protect_page(npt, slot->gpa + ((u64)i << PAGE_SHIFT));
}

static void npt_prepare_vmcb(struct svm_vm *vm, struct vmcb *vmcb)
{
	vmcb->control.nested_ctl |= SVM_NESTED_CTL_NP_ENABLE;
	vmcb->control.nested_cr3 = __pa(to_npt(vm)->root);
}

const struct svm_mmu_ops npt_mmu_ops = {
	.name = "npt",
	.mode = SVMHV_MMU_NPT,
	.init_vm = npt_init_vm,
	.destroy_vm = npt_destroy_vm,
	.map_slot = npt_map_slot,
	.unmap_slot = npt_unmap_slot,
	.flush_done = npt_flush_done,
	.prepare_vmcb = npt_prepare_vmcb,
	.make_writable = npt_make_writable,
	.protect_dirty = npt_protect_dirty,
	.live_pages = &npt_live_pages,
};
