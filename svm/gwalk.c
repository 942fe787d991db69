// SPDX-License-Identifier: GPL-2.0
/*
 * The guest page-table walker; see gwalk.h.
 */
#include <linux/errno.h>
#include <linux/string.h>

#include "gwalk.h"

/* How one paging mode lays out its tables. */
struct gw_mode {
	int levels;		/* counting the PAE PDPT as a level */
	int entry_size;		/* 4 or 8 */
	int index_bits;		/* 10 (32-bit) or 9 */
	u64 addr_mask;		/* table/page base in an entry */
	u64 rsvd;		/* reserved bits in any entry */
};

static void gw_mode_of(const struct gwalk_regs *r, struct gw_mode *m)
{
	u64 phys = GENMASK_ULL(51, GW_MAXPHYADDR);

	if (r->efer & GW_EFER_LMA) {
		*m = (struct gw_mode){ 4, 8, 9, GENMASK_ULL(51, 12), phys };
	} else if (r->cr4 & GW_CR4_PAE) {
		*m = (struct gw_mode){ 3, 8, 9, GENMASK_ULL(51, 12), phys };
		/* PAE has no 1G pages and 36+ bit physical addresses. */
	} else {
		*m = (struct gw_mode){ 2, 4, 10, GENMASK_ULL(31, 12), 0 };
	}
	if (m->entry_size == 8 && !(r->efer & GW_EFER_NXE))
		m->rsvd |= GW_PTE_NX;
}

static unsigned int gw_index(const struct gw_mode *m, u64 gva, int level)
{
	int shift = 12 + m->index_bits * (level - 1);

	if (m->levels == 3 && level == 3)
		return (gva >> 30) & 3;
	return (gva >> shift) & ((1U << m->index_bits) - 1);
}

/* Bytes mapped by a leaf at @level. */
static u64 gw_page_size(const struct gw_mode *m, int level)
{
	return 1ULL << (12 + m->index_bits * (level - 1));
}

/* Is this entry a leaf: a 4K PTE, or a large page where one may be? */
static bool gw_is_leaf(const struct gwalk_regs *r, const struct gw_mode *m,
		       u64 e, int level)
{
	if (level == 1)
		return true;
	if (!(e & GW_PTE_PS))
		return false;
	if (m->levels == 2)	/* 4M pages need CR4.PSE */
		return level == 2 && (r->cr4 & GW_CR4_PSE);
	return level == 2 || (level == 3 && m->levels == 4);
}

/* Reserved bits this entry must not have. */
static bool gw_rsvd(const struct gw_mode *m, u64 e, int level)
{
	if (e & m->rsvd)
		return true;
	if (m->levels == 4 && level == 4 && (e & GW_PTE_PS))
		return true;
	/*
	 * A PAE PDPTE has no RW, US, PS or NX bits.  Bit 5 (A) is left
	 * alone: the test machine's emulated CPU sets it in the guest's
	 * PDPTEs when it walks them under NPT, and the walk must not then
	 * fail where the CPU's own did not.
	 */
	if (m->levels == 3 && level == 3 &&
	    (e & (GW_PTE_RW | GW_PTE_US | GENMASK_ULL(8, 6) | GW_PTE_NX)))
		return true;
	return false;
}

/* The page base of a large or small leaf. */
static u64 gw_leaf_base(const struct gw_mode *m, u64 e, int level)
{
	u64 size = gw_page_size(m, level);

	/* A 4M PSE page keeps physical bits 39:32 in entry bits 20:13. */
	if (m->levels == 2 && level == 2)
		return (e & GENMASK_ULL(31, 22)) | ((e >> 13) & 0xff) << 32;
	return e & m->addr_mask & ~(size - 1);
}

static int gw_fault(struct gwalk_result *res, u32 access, u32 extra,
		    int level)
{
	res->error = (access & (PFERR_WRITE | PFERR_USER | PFERR_FETCH)) |
		     extra;
	res->level = level;
	return -EFAULT;
}

/* Set bits in the entry at @gpa that held @e: 0, -EAGAIN or -EIO. */
static int gw_set_bits(const struct gwalk_mem *mem, u64 gpa, u64 e, u64 bits,
		       int size)
{
	int ret = mem->cas(mem->ctx, gpa, e, e | bits, size);

	return ret == -EAGAIN ? ret : ret ? -EIO : 0;
}

/* Start a walk: clear @res; true when paging is off and it is done. */
static bool gw_start(const struct gwalk_regs *regs, u64 gva,
		     struct gwalk_result *res)
{
	memset(res->pte, 0, sizeof(res->pte));
	memset(res->pte_gpa, 0, sizeof(res->pte_gpa));
	res->us = true;
	res->rw = true;
	res->nx = false;
	if (regs->cr0 & GW_CR0_PG)
		return false;
	res->gpa = (regs->efer & GW_EFER_LMA) ? gva : (u32)gva;
	res->level = 0;
	res->top = 0;
	res->entry_size = 0;
	return true;
}

/* Do the rights the walk gathered in @res allow @access? */
static bool gw_allowed(const struct gwalk_regs *regs,
		       const struct gwalk_result *res, u32 access)
{
	bool user = access & PFERR_USER;

	if (user && !res->us)
		return false;
	if ((access & PFERR_WRITE) && !res->rw &&
	    (user || (regs->cr0 & GW_CR0_WP)))
		return false;
	return !((access & PFERR_FETCH) && res->nx);
}

/* Fold the rights of entry @e into the path's, res->us/rw/nx. */
static void gw_fold_rights(u64 e, bool nxe, struct gwalk_result *res)
{
	res->rw &= !!(e & GW_PTE_RW);
	res->us &= !!(e & GW_PTE_US);
	res->nx |= nxe && (e & GW_PTE_NX);
}

/* Set @bits (A, D) in the entry *@e at @gpa, unless it has them. */
static int gw_set_ad(const struct gwalk_mem *mem, const struct gw_mode *m,
		     u64 gpa, u64 *e, u64 bits)
{
	int ret;

	if ((*e & bits) == bits)
		return 0;
	ret = gw_set_bits(mem, gpa, *e, bits, m->entry_size);
	if (!ret)
		*e |= bits;
	return ret;
}

/* One walk of gwalk(); -EAGAIN when an entry changed before its A/D. */
static int gw_walk_once(const struct gwalk_regs *regs, u64 gva, u32 access,
			const struct gwalk_mem *mem, struct gwalk_result *res)
{
	bool write = access & PFERR_WRITE, nxe = regs->efer & GW_EFER_NXE;
	bool set_ad = !(access & GW_NO_AD);
	struct gw_mode m;
	u64 table, e = 0, pte_gpa = 0;
	int level, ret;
	bool pdpte;

	access &= ~GW_NO_AD;
	/* The I/D bit is reported only where NX exists (APM vol. 2, 8.4.2). */
	if (!nxe)
		access &= ~PFERR_FETCH;
	if (gw_start(regs, gva, res))
		return 0;
	gw_mode_of(regs, &m);
	res->top = m.levels;
	res->entry_size = m.entry_size;
	table = m.levels == 3 ? (regs->cr3 & GENMASK_ULL(31, 5)) :
				(regs->cr3 & m.addr_mask);

	for (level = m.levels; level >= 1; level--) {
		pte_gpa = table + gw_index(&m, gva, level) * m.entry_size;
		if (mem->read(mem->ctx, pte_gpa, &e, m.entry_size))
			return -EIO;
		res->pte[level] = e;
		res->pte_gpa[level] = pte_gpa;
		if (!(e & GW_PTE_P))
			return gw_fault(res, access, 0, level);
		if (gw_rsvd(&m, e, level))
			return gw_fault(res, access,
					PFERR_PRESENT | PFERR_RSVD, level);
		/* A PAE PDPTE has neither rights nor an A bit. */
		pdpte = m.levels == 3 && level == 3;
		if (!pdpte)
			gw_fold_rights(e, nxe, res);
		if (gw_is_leaf(regs, &m, e, level))
			break;
		if (set_ad && !pdpte) {
			ret = gw_set_ad(mem, &m, pte_gpa, &e, GW_PTE_A);
			if (ret)
				return ret;
			res->pte[level] = e;
		}
		table = e & m.addr_mask;
	}
	if (!gw_allowed(regs, res, access))
		return gw_fault(res, access, PFERR_PRESENT, level);
	if (set_ad) {
		ret = gw_set_ad(mem, &m, pte_gpa, &e,
				GW_PTE_A | (write ? GW_PTE_D : 0));
		if (ret)
			return ret;
		res->pte[level] = e;
	}
	res->gpa = gw_leaf_base(&m, e, level) +
		   (gva & (gw_page_size(&m, level) - 1));
	res->level = level;
	return 0;
}

/**
 * gwalk() - translate a guest-virtual address as the CPU would.
 * @regs: the guest's CR0, CR3, CR4 and EFER
 * @gva: the linear address
 * @access: PFERR_WRITE, PFERR_USER and PFERR_FETCH as the access is
 * @mem: guest-physical memory
 * @res: the result
 *
 * Sets accessed bits on every entry used and the dirty bit on the leaf of
 * a write, as the hardware does (only once the access is allowed), each
 * with a compare-and-exchange: an entry another vCPU changed since it was
 * read is not overwritten, and the walk starts over with the new entry,
 * up to GWALK_TRIES times.
 *
 * Return: 0 (res->gpa is set), -EFAULT for a page fault (res->error is
 * the error code), -EIO when a table is not in guest memory, or -EAGAIN
 * when the entries kept changing (the access is to be retried).
 */
int gwalk(const struct gwalk_regs *regs, u64 gva, u32 access,
	  const struct gwalk_mem *mem, struct gwalk_result *res)
{
	int tries = GWALK_TRIES, ret;

	do {
		ret = gw_walk_once(regs, gva, access, mem, res);
	} while (ret == -EAGAIN && --tries);
	return ret;
}
