// SPDX-License-Identifier: GPL-2.0
/*
 * Shadow paging: the software MMU that RVI replaced.
 *
 * Each vCPU keeps a small cache of roots, one per guest CR3 it has used
 * (and per role, see shadow.h).  A root is a private tree of shadow
 * pages, filled lazily on #PF from the guest's tables: guest-virtual to
 * host-physical, 4K leaves (2M ones for a guest's 2M or 1G page that one
 * host 2M page backs), each carrying the rights of the whole guest
 * path.  Nothing is shared between roots or vCPUs, so a vCPU changes
 * its own trees without locks against other vCPUs, and only it needs a
 * TLB flush afterwards.
 *
 * Keeping roots in sync.  Every shadow page built from a guest table
 * keeps a snapshot of the guest entries it was built from.  The guest
 * may edit its tables freely (they are not write-protected); what it
 * edits takes effect, as on a real TLB, at the guest's flush points:
 *   - INVLPG re-walks that address and fixes every level on its path;
 *   - a CR3 load (and a CR0/CR4/EFER change that flushes) compares the
 *     new root's snapshots of the entries we have a shadow for with the
 *     guest tables and drops whatever entry changed;
 *   - a #PF re-walks the guest tables before anything else, so an entry
 *     that became present needs no flush, as on AMD hardware.
 * A change that only sets A or D bits keeps the shadow entries (see
 * shadow_gpte_compatible()).  Roots are cached up to shadow_roots per
 * vCPU and pages up to shadow_pages per vCPU; beyond, the least recently
 * used root goes (or, last, the current root is emptied).
 *
 * Dirty logging.  A page of a slot that logs gets a read-only leaf on a
 * read and is logged and gets a writable one only on a write fault
 * (shadow_slot_leaf()); taking the log empties every root, as a slot
 * change does, so that the next write to any page faults again.
 *
 * Locking: a vCPU works on its trees in its exit handlers and in @load,
 * with slots_lock held for read; a slot change (slots_lock held for
 * write) empties every root of every vCPU, and the pages it unlinks are
 * freed only after every vCPU has left guest mode (flush_done).
 */
#define pr_fmt(fmt) "svmhv: " fmt

#include <linux/bitmap.h>
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/io.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "../svm/cpu.h"
#include "../svm/gpa.h"
#include "../svm/paging_regs.h"
#include "../svm/trace.h"
#include "../svm/vcpu_state.h"
#include "shadow.h"

static unsigned int shadow_roots = 32;
module_param(shadow_roots, uint, 0644);
MODULE_PARM_DESC(shadow_roots, "Shadow paging: guest address spaces (roots) cached per vCPU (default 32, at least 1)");

static unsigned int shadow_pages = 8192;
module_param(shadow_pages, uint, 0644);
MODULE_PARM_DESC(shadow_pages, "Shadow paging: shadow page tables per vCPU before the least recently used root is dropped (default 8192, at least 16)");

static bool shadow_large_pages = true;
module_param(shadow_large_pages, bool, 0644);
MODULE_PARM_DESC(shadow_large_pages, "Shadow paging: map a guest 2M or 1G page with 2M leaves where one host 2M page (THP, hugetlb) backs each (default on)");

/* Shadow table pages held now, over all VMs (debugfs mmu_pages). */
static atomic_long_t shadow_live_pages;

struct shadow_page {
	u64 *spt;		/* our table: one page */
	/* Which entries of @spt are present: the loops visit only those. */
	DECLARE_BITMAP(present, PTRS_PER_PTE);
	void *snap;		/* GUEST: the guest entries it was built from */
	u64 gpa;		/* GUEST: guest region; DIRECT: first address */
	u16 bytes;		/* GUEST: size of the guest region */
	u8 level;
	u8 kind;		/* SHADOW_KIND_* */
	struct list_head link;	/* roots: the LRU; others: the free list */
};

struct shadow_vcpu {
	u32 role;
	bool role_valid;
	struct shadow_page *root;	/* in use, also on @roots */
	struct list_head roots;		/* most recently used first */
	unsigned int nr_roots;
	unsigned long nr_pages;
	u64 nr_leaves;			/* 4K leaves mapped */
	u64 nr_large;			/* 2M leaves mapped */
	u64 stats[SVMHV_SHADOW_STAT_NR];
};

struct shadow_vm {
	struct list_head freed;		/* pages to free after the kick */
};

static struct shadow_vcpu *to_sv(struct svm_vcpu *vcpu)
{
	return vcpu->mmu_priv;
}

/* A leaf of ours was installed (@delta 1) or emptied (-1). */
static void sv_count_leaf(struct shadow_vcpu *sv, u64 spte, int delta)
{
	if (spte & SPTE_PS)
		sv->nr_large += delta;
	else
		sv->nr_leaves += delta;
}

static struct shadow_page *spte_child(u64 spte)
{
	return (struct shadow_page *)page_private(pfn_to_page(
					(spte & SPTE_ADDR) >> PAGE_SHIFT));
}

static unsigned int sp_entry_size(struct shadow_vcpu *sv)
{
	return SHADOW_ROLE_MODE(sv->role) == SHADOW_LEGACY32 ? 4 : 8;
}

/* Set our entry @si of @sp (0 empties it). */
static void sp_set(struct shadow_page *sp, unsigned int si, u64 e)
{
	WRITE_ONCE(sp->spt[si], e);
	if (e & SPTE_P)
		__set_bit(si, sp->present);
	else
		__clear_bit(si, sp->present);
}

static u64 snap_get(struct shadow_vcpu *sv, const struct shadow_page *sp,
		    unsigned int gi)
{
	if (sp_entry_size(sv) == 4)
		return ((u32 *)sp->snap)[gi];
	return ((u64 *)sp->snap)[gi];
}

static void snap_set(struct shadow_vcpu *sv, struct shadow_page *sp,
		     unsigned int gi, u64 val)
{
	if (sp_entry_size(sv) == 4)
		((u32 *)sp->snap)[gi] = val;
	else
		((u64 *)sp->snap)[gi] = val;
}

static void sp_free(struct shadow_page *sp)
{
	atomic_long_dec(&shadow_live_pages);
	free_page((unsigned long)sp->spt);
	kfree(sp->snap);
	kfree(sp);
}

/*
 * A new shadow page.  Its snapshot starts as the guest region now; the
 * entries we build from it are set again as we build them.
 */
static struct shadow_page *sp_alloc(struct svm_vcpu *vcpu, int level,
				    int kind, u64 gpa, unsigned int bytes)
{
	struct shadow_vcpu *sv = to_sv(vcpu);
	bool legacy_root = level == 3 &&
			   shadow_root_level(SHADOW_ROLE_MODE(sv->role)) == 3;
	struct shadow_page *sp = kzalloc(sizeof(*sp), GFP_KERNEL_ACCOUNT);
	struct page *page;

	if (!sp)
		return NULL;
	/* A legacy PAE CR3 has 32 bits: the PDPT must be below 4G. */
	page = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO |
			  (legacy_root ? __GFP_DMA32 : 0));
	if (!page) {
		kfree(sp);
		return NULL;
	}
	if (kind == SHADOW_KIND_GUEST) {
		sp->snap = kmalloc(bytes, GFP_KERNEL_ACCOUNT);
		if (!sp->snap) {
			__free_page(page);
			kfree(sp);
			return NULL;
		}
		if (svm_access_guest(vcpu->vm, gpa, sp->snap, bytes, false))
			memset(sp->snap, 0, bytes);
	}
	sp->spt = page_address(page);
	set_page_private(page, (unsigned long)sp);
	sp->gpa = gpa;
	sp->bytes = bytes;
	sp->level = level;
	sp->kind = kind;
	INIT_LIST_HEAD(&sp->link);
	sv->nr_pages++;
	sv->stats[SVMHV_SHADOW_ALLOCATED]++;
	atomic_long_inc(&shadow_live_pages);
	return sp;
}

/*
 * Free the pages below @sp and @sp itself; onto @defer instead when
 * the CPU may still be walking them (another thread's vCPU).
 */
static void sp_free_tree(struct shadow_vcpu *sv, struct shadow_page *sp,
			 struct list_head *defer)
{
	unsigned int i;

	for_each_set_bit(i, sp->present, PTRS_PER_PTE) {
		u64 e = sp->spt[i];

		if (shadow_spte_is_table(e, sp->level))
			sp_free_tree(sv, spte_child(e), defer);
		else
			sv_count_leaf(sv, e, -1);
	}
	sv->nr_pages--;
	sv->stats[SVMHV_SHADOW_ZAPPED]++;
	if (defer) {
		list_add(&sp->link, defer);
		return;
	}
	sp_free(sp);
}

/* Empty our entry @si of @sp (and what hangs below it). */
static void sp_zap(struct svm_vcpu *vcpu, struct shadow_page *sp,
		   unsigned int si)
{
	struct shadow_vcpu *sv = to_sv(vcpu);
	u64 e = sp->spt[si];

	if (!(e & SPTE_P))
		return;
	sp_set(sp, si, 0);
	if (shadow_spte_is_table(e, sp->level))
		sp_free_tree(sv, spte_child(e), NULL);
	else
		sv_count_leaf(sv, e, -1);
	set_bit(SVM_REQ_TLB_FLUSH, &vcpu->requests);
}

/* Empty every entry of @sp derived from guest entry @gi. */
static void sp_zap_guest_entry(struct svm_vcpu *vcpu, struct shadow_page *sp,
			       unsigned int gi)
{
	if (SHADOW_ROLE_MODE(to_sv(vcpu)->role) == SHADOW_LEGACY32 &&
	    sp->level == 2) {
		sp_zap(vcpu, sp, gi * 2);
		sp_zap(vcpu, sp, gi * 2 + 1);
		return;
	}
	sp_zap(vcpu, sp, gi);
}

/*
 * Empty every entry of a root (roots are never leaves): the pages below
 * go onto @defer when a CPU may still be walking them, else are freed.
 */
static void shadow_empty_root(struct shadow_vcpu *sv, struct shadow_page *root,
			      struct list_head *defer)
{
	unsigned int i;

	for_each_set_bit(i, root->present, PTRS_PER_PTE) {
		u64 e = root->spt[i];

		sp_set(root, i, 0);
		if (shadow_spte_is_table(e, root->level))
			sp_free_tree(sv, spte_child(e), defer);
		else
			sv_count_leaf(sv, e, -1);
	}
}

/* Free a root (not the one in use) and its tree. */
static void shadow_drop_root(struct svm_vcpu *vcpu, struct shadow_page *root)
{
	struct shadow_vcpu *sv = to_sv(vcpu);

	list_del(&root->link);
	sv->nr_roots--;
	if (sv->root == root)
		sv->root = NULL;
	sp_free_tree(sv, root, NULL);
	set_bit(SVM_REQ_TLB_FLUSH, &vcpu->requests);
}

static void shadow_drop_all(struct svm_vcpu *vcpu)
{
	struct shadow_vcpu *sv = to_sv(vcpu);
	struct shadow_page *root, *tmp;

	list_for_each_entry_safe(root, tmp, &sv->roots, link)
		shadow_drop_root(vcpu, root);
}

/**
 * shadow_max_pages() - the shadow_pages limit, as it takes effect.
 *
 * Return: shadow page-table pages per vCPU before roots are dropped.
 */
unsigned int shadow_max_pages(void)
{
	return max(READ_ONCE(shadow_pages), 16U);
}

/*
 * Make room for @need more pages: drop least recently used roots other
 * than the current one, and as a last resort empty the current one.
 */
static void shadow_make_room(struct svm_vcpu *vcpu, unsigned int need)
{
	struct shadow_vcpu *sv = to_sv(vcpu);
	unsigned long max = shadow_max_pages();
	unsigned long vm_max = READ_ONCE(vcpu->vm->nr_mmu_pages);
	struct shadow_page *root, *tmp;

	/* KVM_SET_NR_MMU_PAGES lowers the limit for its VM. */
	if (vm_max && vm_max < max)
		max = vm_max;

	list_for_each_entry_safe_reverse(root, tmp, &sv->roots, link) {
		if (sv->nr_pages + need <= max)
			return;
		if (root != sv->root)
			shadow_drop_root(vcpu, root);
	}
	if (sv->nr_pages + need <= max || !sv->root)
		return;
	shadow_empty_root(sv, sv->root, NULL);
	set_bit(SVM_REQ_TLB_FLUSH, &vcpu->requests);
}

/*
 * The guest entry behind @sp's entry @si, as the walk @res read it at
 * @level: when it changed since the snapshot, empty the entry unless the
 * change is compatible, and take the new value.  Returns the entry.
 */
static u64 shadow_sync_guest_entry(struct svm_vcpu *vcpu,
				   struct shadow_page *sp, unsigned int si,
				   int level, const struct gwalk_result *res)
{
	struct shadow_vcpu *sv = to_sv(vcpu);
	unsigned int gi = shadow_guest_index(SHADOW_ROLE_MODE(sv->role),
					     level, si);
	u64 old = snap_get(sv, sp, gi), new = res->pte[level];

	if (old != new) {
		if (!shadow_gpte_compatible(old, new))
			sp_zap_guest_entry(vcpu, sp, gi);
		snap_set(sv, sp, gi, new);
	}
	return sp->spt[si];
}

/* Install @leaf in @sp's entry @si, which holds @e, at @level. */
static void shadow_set_leaf(struct svm_vcpu *vcpu, struct shadow_page *sp,
			    unsigned int si, u64 e, int level, u64 leaf)
{
	struct shadow_vcpu *sv = to_sv(vcpu);

	if ((e & SPTE_P) && shadow_spte_is_table(e, level)) {
		sp_zap(vcpu, sp, si);
		e = 0;
	}
	/*
	 * Replacing a present leaf, even by itself (a fault on a right
	 * entry: the TLB held an older one), needs a flush; filling an
	 * empty one does not.
	 */
	if (!(e & SPTE_P))
		sv_count_leaf(sv, leaf, 1);
	else
		set_bit(SVM_REQ_TLB_FLUSH, &vcpu->requests);
	sp_set(sp, si, leaf);
}

/*
 * Build the table @sp's empty entry @si at @level points to, for the
 * walk @res, and link it.  Returns it, or NULL without memory.
 */
static struct shadow_page *shadow_new_child(struct svm_vcpu *vcpu,
					    struct shadow_page *sp,
					    unsigned int si, int level,
					    const struct gwalk_result *res)
{
	u32 mode = SHADOW_ROLE_MODE(to_sv(vcpu)->role);
	int top = shadow_root_level(mode), kind;
	struct shadow_page *child;
	unsigned int bytes = 0;
	u64 gpa = 0;

	if (sp->kind == SHADOW_KIND_ROOT32) {
		kind = SHADOW_KIND_GUEST;
		bytes = shadow_guest_region(mode, 2, sp->gpa, si, &gpa);
	} else if (sp->kind == SHADOW_KIND_DIRECT) {
		kind = SHADOW_KIND_DIRECT;
		gpa = sp->gpa + si * shadow_entry_size(level);
	} else if (level == res->level) {
		/* A guest large page: we map it with 4K pages. */
		kind = SHADOW_KIND_DIRECT;
		gpa = res->gpa & ~(shadow_entry_size(level) - 1);
	} else {
		u64 table = res->pte[level] & (mode == SHADOW_LEGACY32 ?
					       GENMASK_ULL(31, 12) :
					       GENMASK_ULL(51, 12));

		kind = SHADOW_KIND_GUEST;
		bytes = shadow_guest_region(mode, level - 1, table, si, &gpa);
	}
	child = sp_alloc(vcpu, level - 1, kind, gpa, bytes);
	if (child)
		sp_set(sp, si, __pa(child->spt) |
		       (level == 3 && top == 3 ? SPTE_PDPTE : SPTE_TABLE));
	return child;
}

/*
 * Bring the path of @gva in line with the guest walk @res, level by
 * level from the root: an entry whose guest entry changed is emptied,
 * missing tables are built, and at the bottom @leaf (when not 0) is
 * installed: in a page table, or in the directory when it is a 2M leaf
 * (SPTE_PS), replacing a table of 4K leaves there (and a 2M leaf is
 * replaced by a table when a 4K path is wanted).  The walk ended (leaf
 * or fault) at res->level (0 for a guest without paging, whose tree is
 * all DIRECT).
 *
 * Return: 0, or -ENOMEM.
 */
static int shadow_sync_path(struct svm_vcpu *vcpu, u64 gva,
			    const struct gwalk_result *res, u64 leaf)
{
	struct shadow_vcpu *sv = to_sv(vcpu);
	int top = shadow_root_level(SHADOW_ROLE_MODE(sv->role)), level;
	struct shadow_page *sp = sv->root;

	for (level = top; level >= 1; level--) {
		unsigned int si = shadow_index(gva, level, top);
		u64 e = sp->spt[si];

		if (sp->kind == SHADOW_KIND_GUEST) {
			e = shadow_sync_guest_entry(vcpu, sp, si, level, res);
			/* Where the walk stopped, with nothing to map. */
			if (level == res->level && !leaf)
				break;
		}
		if (level == 1 || (level == 2 && (leaf & SPTE_PS))) {
			shadow_set_leaf(vcpu, sp, si, e, level, leaf);
			return 0;
		}
		if ((e & SPTE_P) && !shadow_spte_is_table(e, level)) {
			/* A 2M leaf where a 4K path is wanted now. */
			sp_zap(vcpu, sp, si);
			e = 0;
		}
		if (e & SPTE_P) {
			sp = spte_child(e);
			continue;
		}
		sp = shadow_new_child(vcpu, sp, si, level, res);
		if (!sp)
			return -ENOMEM;
	}
	return 0;
}

/*
 * Compare the guest entries behind @sp's present entries with its
 * snapshot, in place in the guest's page: an entry that changed is
 * emptied (unless only A/D bits moved) and its snapshot updated.  The
 * entries we have nothing for need no look: when we fill one,
 * shadow_sync_path() compares it then.
 */
static void shadow_resync_entries(struct svm_vcpu *vcpu,
				  struct shadow_page *sp)
{
	struct shadow_vcpu *sv = to_sv(vcpu);
	struct page *page = svm_gpa_to_page(vcpu->vm, sp->gpa);
	u32 mode = SHADOW_ROLE_MODE(sv->role);
	bool wide = sp_entry_size(sv) == 8, changed = false;
	unsigned int si, gi;
	void *table;
	u64 old, new;

	if (!page)
		return;		/* not RAM: it cannot have changed */
	table = kmap_local_page(page) + offset_in_page(sp->gpa);
	for_each_set_bit(si, sp->present, PTRS_PER_PTE) {
		gi = shadow_guest_index(mode, sp->level, si);
		new = wide ? READ_ONCE(((u64 *)table)[gi]) :
			     READ_ONCE(((u32 *)table)[gi]);
		old = snap_get(sv, sp, gi);
		if (old == new)
			continue;
		changed = true;
		if (!shadow_gpte_compatible(old, new))
			sp_zap_guest_entry(vcpu, sp, gi);
		snap_set(sv, sp, gi, new);
	}
	kunmap_local(table);
	if (changed)
		sv->stats[SVMHV_SHADOW_RESYNCED]++;
}

/*
 * Bring @sp (and the pages below it) in line with the guest's tables
 * now: every entry of ours whose guest entry changed is emptied.
 */
static void shadow_resync(struct svm_vcpu *vcpu, struct shadow_page *sp)
{
	unsigned int i;
	u64 e;

	if (sp->kind == SHADOW_KIND_DIRECT)
		return;		/* made from its parent's entry alone */
	if (sp->kind == SHADOW_KIND_GUEST)
		shadow_resync_entries(vcpu, sp);
	if (sp->level == 1)
		return;
	for_each_set_bit(i, sp->present, PTRS_PER_PTE) {
		e = sp->spt[i];
		if (shadow_spte_is_table(e, sp->level))
			shadow_resync(vcpu, spte_child(e));
	}
}

/* A new root for the guest table at @gpa (0 without paging). */
static struct shadow_page *shadow_new_root(struct svm_vcpu *vcpu, u64 gpa)
{
	struct shadow_vcpu *sv = to_sv(vcpu);
	u32 mode = SHADOW_ROLE_MODE(sv->role);
	int level = shadow_root_level(mode);
	struct shadow_page *root;

	shadow_make_room(vcpu, 1);
	while (sv->nr_roots >= max(READ_ONCE(shadow_roots), 1U)) {
		root = list_last_entry(&sv->roots, struct shadow_page, link);
		shadow_drop_root(vcpu, root);
	}
	if (mode == SHADOW_UNPAGED)
		root = sp_alloc(vcpu, level, SHADOW_KIND_DIRECT, 0, 0);
	else if (mode == SHADOW_LEGACY32)
		root = sp_alloc(vcpu, level, SHADOW_KIND_ROOT32, gpa, 0);
	else
		root = sp_alloc(vcpu, level, SHADOW_KIND_GUEST, gpa,
				mode == SHADOW_PAE ? 32 : PAGE_SIZE);
	if (!root)
		return NULL;
	list_add(&root->link, &sv->roots);
	sv->nr_roots++;
	return root;
}

static struct shadow_vcpu *shadow_vcpu_state(struct svm_vcpu *vcpu)
{
	struct shadow_vcpu *sv = vcpu->mmu_priv;

	if (sv)
		return sv;
	sv = kzalloc(sizeof(*sv), GFP_KERNEL_ACCOUNT);
	if (!sv)
		return NULL;
	INIT_LIST_HEAD(&sv->roots);
	vcpu->mmu_priv = sv;
	return sv;
}

/*
 * Make the root for the guest table at @gpa current: the cached one,
 * resynced, or a new one; or, for the same root, resync it when the
 * guest flushed (@flags).  Returns SVMHV_SL_*, or -ENOMEM.
 */
static int shadow_switch_root(struct svm_vcpu *vcpu, u64 gpa, u32 flags)
{
	struct shadow_vcpu *sv = to_sv(vcpu);
	struct shadow_page *root = sv->root;
	int kind = SVMHV_SL_CACHED_ROOT;

	if (root && root->gpa == gpa) {
		if (!(flags & SVM_MMU_RELOAD_FLUSH))
			return SVMHV_SL_SAME;
		sv->stats[SVMHV_SHADOW_CR3_SWITCHES]++;
		shadow_resync(vcpu, root);
		set_bit(SVM_REQ_TLB_FLUSH, &vcpu->requests);
		return SVMHV_SL_FLUSH;
	}
	sv->stats[SVMHV_SHADOW_CR3_SWITCHES]++;
	list_for_each_entry(root, &sv->roots, link)
		if (root->gpa == gpa)
			break;
	if (list_entry_is_head(root, &sv->roots, link)) {
		root = shadow_new_root(vcpu, gpa);
		if (!root)
			return -ENOMEM;
		kind = SVMHV_SL_NEW_ROOT;
	} else {
		sv->stats[SVMHV_SHADOW_ROOT_HITS]++;
		shadow_resync(vcpu, root);
	}
	sv->root = root;
	list_move(&root->link, &sv->roots);
	set_bit(SVM_REQ_TLB_FLUSH, &vcpu->requests);
	return kind;
}

/*
 * Before VMRUN, after the guest changed its paging registers: derive
 * the CPU's, and find (or build) the root for the guest's CR3.
 */
static int shadow_load(struct svm_vcpu *vcpu)
{
	struct shadow_vcpu *sv = shadow_vcpu_state(vcpu);
	struct vmcb_save_area *s = &vcpu->vmcb->save;
	u32 flags = vcpu->mmu_reload, role;
	u64 gpa, resynced;
	int kind;

	if (!sv)
		return -ENOMEM;
	role = shadow_role(vcpu->guest.cr0, vcpu->guest.cr4, vcpu->guest.efer);
	if (!sv->role_valid || role != sv->role) {
		shadow_drop_all(vcpu);
		sv->role = role;
		sv->role_valid = true;
	}
	s->cr0 = shadow_hw_cr0(vcpu->guest.cr0);
	s->cr4 = shadow_hw_cr4(vcpu->guest.cr4, svm_cpu_host_cr4_mce());
	s->efer = shadow_hw_efer(vcpu->guest.efer, role);

	gpa = shadow_root_gpa(SHADOW_ROLE_MODE(role), vcpu->guest.cr3);
	resynced = sv->stats[SVMHV_SHADOW_RESYNCED];
	kind = shadow_switch_root(vcpu, gpa, flags);
	if (kind < 0)
		return kind;
	trace_svmhv_shadow_load(vcpu->id, vcpu->guest.cr3, role, kind,
				sv->stats[SVMHV_SHADOW_RESYNCED] - resynced);
	s->cr3 = __pa(sv->root->spt);
	vmcb_mark_dirty(vcpu, SVM_CLEAN_CRX);
	vcpu->mmu_reload = 0;
	return 0;
}

/*
 * The leaf for the guest walk @res, whose page is @page: one 2M leaf
 * over the 2M region around it when the guest's page is at least that
 * large and one host 2M page backs the region, else a 4K leaf.
 */
static u64 shadow_walk_leaf(struct svm_vcpu *vcpu,
			    const struct gwalk_result *res, struct page *page,
			    u32 access, bool wp)
{
	u32 mode = SHADOW_ROLE_MODE(to_sv(vcpu)->role);
	u64 gleaf = res->pte[res->level], hpa;

	if (READ_ONCE(shadow_large_pages) &&
	    shadow_large_ok(mode, res->level)) {
		hpa = svm_gpa_to_huge(vcpu->vm, res->gpa);
		if (hpa)
			return shadow_leaf(hpa, res, gleaf, access, wp) |
			       SPTE_PS;
	}
	return shadow_leaf(page_to_phys(page), res, gleaf, access, wp);
}

/*
 * Our leaf @leaf for guest-physical @gpa, met by an access @access: never
 * writable in a read-only slot (a write there is MMIO, shadow_page_fault());
 * in a slot that logs, writable only for a write, which is logged.
 */
static u64 shadow_slot_leaf(struct svm_vcpu *vcpu, u64 gpa, u32 access,
			    u64 leaf)
{
	if (!(leaf & SPTE_RW))
		return leaf;
	if (svm_gpa_readonly(vcpu->vm, gpa))
		return leaf & ~(SPTE_RW | SPTE_D);
	if (!svm_gpa_logged(vcpu->vm, gpa))
		return leaf;
	if (!(access & PFERR_WRITE))
		return leaf & ~(SPTE_RW | SPTE_D);
	svm_gpa_log_write(vcpu->vm, gpa, 1);
	return leaf;
}

static int shadow_page_fault(struct svm_vcpu *vcpu, u64 gva, u32 error,
			     u64 *gpa)
{
	struct shadow_vcpu *sv = to_sv(vcpu);
	struct gwalk_mem mem = svm_walk_mem(vcpu->vm);
	u32 access = error & (PFERR_WRITE | PFERR_USER | PFERR_FETCH);
	struct gwalk_result res = {};
	struct gwalk_regs regs;
	struct page *page;
	bool walked;
	u64 leaf;
	int ret;

	if (WARN_ON_ONCE(!sv || !sv->root))
		return -EIO;
	shadow_make_room(vcpu, 4);
	svm_guest_paging(vcpu, &regs);
	walked = SHADOW_ROLE_MODE(sv->role) != SHADOW_UNPAGED;
	if (walked) {
		ret = gwalk(&regs, gva, access, &mem, &res);
		if (ret == -EIO)
			return ret;
		if (ret == -EAGAIN) {	/* other vCPUs kept writing: retry */
			trace_svmhv_shadow_fault(vcpu->id, gva, error,
						 SVMHV_SF_RETRY, 0);
			return 1;
		}
		if (ret == -EFAULT) {
			struct svm_fault f = { .addr = gva, .error = res.error };

			/* The guest's own fault: its tables say no. */
			sv->stats[SVMHV_SHADOW_GUEST_PF]++;
			trace_svmhv_shadow_fault(vcpu->id, gva, error,
						 SVMHV_SF_GUEST, 0);
			svm_inject_pf(vcpu, &f);
			return 1;
		}
	} else {
		res.gpa = (u32)gva;
	}

	page = svm_gpa_to_page(vcpu->vm, res.gpa);
	/* Outside RAM, or a write to a read-only slot: MMIO. */
	if (!page || ((access & PFERR_WRITE) &&
		      svm_gpa_readonly(vcpu->vm, res.gpa))) {
		sv->stats[SVMHV_SHADOW_MMIO]++;
		trace_svmhv_shadow_fault(vcpu->id, gva, error, SVMHV_SF_MMIO, 0);
		*gpa = res.gpa;
		return 0;
	}
	sv->stats[SVMHV_SHADOW_FAULTS]++;
	if ((error & PFERR_PRESENT) && (error & PFERR_WRITE))
		sv->stats[SVMHV_SHADOW_WP_FAULTS]++;
	if (walked)
		leaf = shadow_walk_leaf(vcpu, &res, page, access,
					regs.cr0 & X86_CR0_WP);
	else
		leaf = shadow_direct_leaf(page_to_phys(page));
	leaf = shadow_slot_leaf(vcpu, res.gpa, access, leaf);
	trace_svmhv_shadow_fault(vcpu->id, gva, error, SVMHV_SF_FIXED, leaf);
	return shadow_sync_path(vcpu, gva, &res, leaf) ? -EIO : 1;
}

/*
 * INVLPG: re-walk @gva without setting A/D bits (this is no access),
 * fix its path, and map it again when the guest entry allows it without
 * a walk that would set an A bit.
 */
static void shadow_invlpg(struct svm_vcpu *vcpu, u64 gva)
{
	struct shadow_vcpu *sv = to_sv(vcpu);
	struct gwalk_mem mem = svm_walk_mem(vcpu->vm);
	struct gwalk_result res = {};
	struct gwalk_regs regs;
	struct page *page;
	u64 leaf = 0;
	int level, ret;

	if (!sv || !sv->root)
		return;
	sv->stats[SVMHV_SHADOW_INVLPG]++;
	if (SHADOW_ROLE_MODE(sv->role) == SHADOW_UNPAGED)
		return;
	shadow_make_room(vcpu, 4);
	svm_guest_paging(vcpu, &regs);
	ret = gwalk(&regs, gva, GW_NO_AD, &mem, &res);
	if (ret == -EIO)
		return;
	if (!ret) {
		page = svm_gpa_to_page(vcpu->vm, res.gpa);
		leaf = page ? shadow_walk_leaf(vcpu, &res, page, 0,
					       regs.cr0 & X86_CR0_WP) : 0;
		leaf = shadow_slot_leaf(vcpu, res.gpa, 0, leaf);
		for (level = res.level; level <= 4; level++)
			if (res.pte[level] && !(res.pte[level] & GW_PTE_A) &&
			    !(SHADOW_ROLE_MODE(sv->role) == SHADOW_PAE &&
			      level == 3))
				leaf = 0;
	}
	/* Without @leaf this only fixes the path, down to where it ends. */
	shadow_sync_path(vcpu, gva, &res, leaf);
	set_bit(SVM_REQ_TLB_FLUSH, &vcpu->requests);
}

static void shadow_vcpu_destroy(struct svm_vcpu *vcpu)
{
	struct shadow_vcpu *sv = to_sv(vcpu);

	if (!sv)
		return;
	shadow_drop_all(vcpu);
	kfree(sv);
	vcpu->mmu_priv = NULL;
}

static int shadow_init_vm(struct svm_vm *vm)
{
	struct shadow_vm *svm = kzalloc(sizeof(*svm), GFP_KERNEL_ACCOUNT);

	if (!svm)
		return -ENOMEM;
	INIT_LIST_HEAD(&svm->freed);
	vm->mmu_priv = svm;
	return 0;
}

static void shadow_flush_done(struct svm_vm *vm)
{
	struct shadow_vm *svm = vm->mmu_priv;
	struct shadow_page *sp, *tmp;

	list_for_each_entry_safe(sp, tmp, &svm->freed, link) {
		list_del(&sp->link);
		sp_free(sp);
	}
}

static void shadow_destroy_vm(struct svm_vm *vm)
{
	if (!vm->mmu_priv)
		return;
	shadow_flush_done(vm);
	kfree(vm->mmu_priv);
	vm->mmu_priv = NULL;
}

static int shadow_map_slot(struct svm_vm *vm, struct svm_slot *slot)
{
	/* Nothing is mapped ahead, and MMIO is never cached: no work. */
	return 0;
}

/*
 * A slot goes: empty every root of every vCPU.  The vCPUs may be in
 * guest mode on these tables, so the pages wait for flush_done.
 */
static void shadow_unmap_slot(struct svm_vm *vm, struct svm_slot *slot)
{
	struct shadow_vm *svm = vm->mmu_priv;
	int i;

	for (i = 0; i < SVM_MAX_VCPUS; i++) {
		struct svm_vcpu *vcpu = READ_ONCE(vm->vcpus[i]);
		struct shadow_vcpu *sv = vcpu ? to_sv(vcpu) : NULL;
		struct shadow_page *root;

		if (!sv)
			continue;
		list_for_each_entry(root, &sv->roots, link)
			shadow_empty_root(sv, root, &svm->freed);
	}
}

/* The log was taken: every write has to fault again, to be logged. */
static void shadow_protect_dirty(struct svm_vm *vm, struct svm_slot *slot,
				 const unsigned long *bits)
{
	shadow_unmap_slot(vm, slot);
}

static void shadow_prepare_vmcb(struct svm_vm *vm, struct vmcb *vmcb)
{
	static const u8 bits[] = {
		INTERCEPT_CR0_READ, INTERCEPT_CR3_READ, INTERCEPT_CR4_READ,
		INTERCEPT_CR0_WRITE, INTERCEPT_CR3_WRITE, INTERCEPT_CR4_WRITE,
		INTERCEPT_EXCEPTION_BASE + PF_VECTOR, INTERCEPT_INVLPG,
		INTERCEPT_TASK_SWITCH,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bits); i++)
		vmcb_set_intercept(&vmcb->control, bits[i]);
	/* Hidden from CPUID here (its flushes would bypass the MMU): #UD. */
	if (boot_cpu_has(X86_FEATURE_INVPCID))
		vmcb_set_intercept(&vmcb->control, INTERCEPT_INVPCID);
}

static void shadow_stats(struct svm_vm *vm, u64 *out)
{
	int i, j;

	for (i = 0; i < SVM_MAX_VCPUS; i++) {
		struct svm_vcpu *vcpu = READ_ONCE(vm->vcpus[i]);
		struct shadow_vcpu *sv = vcpu ? READ_ONCE(vcpu->mmu_priv) : NULL;

		if (!sv)
			continue;
		for (j = 0; j < SVMHV_SHADOW_STAT_NR; j++)
			out[j] += READ_ONCE(sv->stats[j]);
		out[SVMHV_SHADOW_PAGES] += READ_ONCE(sv->nr_pages);
		out[SVMHV_SHADOW_ROOTS] += READ_ONCE(sv->nr_roots);
		out[SVMHV_SHADOW_LEAVES] += READ_ONCE(sv->nr_leaves);
		out[SVMHV_SHADOW_LARGE_LEAVES] += READ_ONCE(sv->nr_large);
	}
}

const struct svm_mmu_ops shadow_mmu_ops = {
	.name = "shadow",
	.mode = SVMHV_MMU_SHADOW,
	.shadows_crs = true,
	.init_vm = shadow_init_vm,
	.destroy_vm = shadow_destroy_vm,
	.map_slot = shadow_map_slot,
	.unmap_slot = shadow_unmap_slot,
	.flush_done = shadow_flush_done,
	.prepare_vmcb = shadow_prepare_vmcb,
	.vcpu_destroy = shadow_vcpu_destroy,
	.load = shadow_load,
	.page_fault = shadow_page_fault,
	.invlpg = shadow_invlpg,
	.protect_dirty = shadow_protect_dirty,
	.stats = shadow_stats,
	.live_pages = &shadow_live_pages,
};
