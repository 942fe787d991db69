/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shadow paging: pure helpers shared by shadow.c and its KUnit test.
 *
 * With nested paging off, the CPU walks whatever the VMCB's CR3 points
 * at with the VMCB's CR0, CR4 and EFER, and takes every address in the
 * tables as host-physical.  So the VMCB gets our tables, in one of two
 * formats: 4-level tables for a long-mode guest, and legacy PAE tables
 * (CR4.PAE forced on, a four-entry PDPT below 4G) for every other guest,
 * including a guest without paging ("paged real mode": CR0.PG forced on
 * over an identity map).  AMD64 APM vol. 2, 15.19 "Paged Real Mode" and
 * 5.3 "Long-Mode Page Translation".
 */
#ifndef SVMHV_SHADOW_SHADOW_H
#define SVMHV_SHADOW_SHADOW_H

#include <linux/bits.h>
#include <linux/types.h>
#include <asm/msr-index.h>
#include <asm/processor-flags.h>

#include "../svm/gwalk.h"

#define SPTE_P		BIT_ULL(0)
#define SPTE_RW		BIT_ULL(1)
#define SPTE_US		BIT_ULL(2)
#define SPTE_A		BIT_ULL(5)
#define SPTE_D		BIT_ULL(6)
#define SPTE_PS		BIT_ULL(7)	/* a 2M leaf in a directory */
#define SPTE_NX		BIT_ULL(63)
#define SPTE_ADDR	GENMASK_ULL(51, 12)
/* Upper levels allow everything: a leaf carries the whole path's rights. */
#define SPTE_TABLE	(SPTE_P | SPTE_RW | SPTE_US | SPTE_A)
/* A legacy PAE PDPTE has no permission bits (they are reserved). */
#define SPTE_PDPTE	SPTE_P

/* The guest's paging mode, which decides the format of what we shadow. */
enum shadow_mode {
	SHADOW_UNPAGED,		/* CR0.PG=0: identity map */
	SHADOW_LEGACY32,	/* 32-bit two-level guest tables */
	SHADOW_PAE,		/* PAE guest tables */
	SHADOW_LONG,		/* 4-level guest tables */
};

/* What a shadow page is built from. */
enum shadow_kind {
	SHADOW_KIND_GUEST,	/* (a part of) a guest page table */
	SHADOW_KIND_DIRECT,	/* a range of guest-physical memory */
	SHADOW_KIND_ROOT32,	/* the PDPT over a 32-bit guest's directory */
};

/*
 * The role: everything besides CR3 that changes how guest tables
 * translate.  A change of role drops every cached root.
 */
#define SHADOW_ROLE_WP		BIT(4)
#define SHADOW_ROLE_PSE		BIT(5)
#define SHADOW_ROLE_NXE		BIT(6)
#define SHADOW_ROLE_MODE(role)	((role) & 0xf)

static inline u32 shadow_role(u64 cr0, u64 cr4, u64 efer)
{
	u32 mode;

	if (!(cr0 & X86_CR0_PG))
		mode = SHADOW_UNPAGED;
	else if (efer & EFER_LMA)
		mode = SHADOW_LONG;
	else if (cr4 & X86_CR4_PAE)
		mode = SHADOW_PAE;
	else
		mode = SHADOW_LEGACY32;
	if (mode == SHADOW_UNPAGED)
		return mode;
	return mode | (cr0 & X86_CR0_WP ? SHADOW_ROLE_WP : 0) |
	       (mode == SHADOW_LEGACY32 && (cr4 & X86_CR4_PSE) ?
		SHADOW_ROLE_PSE : 0) |
	       (efer & EFER_NX ? SHADOW_ROLE_NXE : 0);
}

/* Levels of our tables: 4 in long mode, else 3 (the PAE PDPT on top). */
static inline int shadow_root_level(u32 mode)
{
	return mode == SHADOW_LONG ? 4 : 3;
}

/* Bytes one of our entries at @level maps. */
static inline u64 shadow_entry_size(int level)
{
	return 1ULL << (12 + 9 * (level - 1));
}

/* Index of @gva's entry in our table at @level. */
static inline unsigned int shadow_index(u64 gva, int level, int root_level)
{
	if (level == 3 && root_level == 3)
		return (gva >> 30) & 3;
	return (gva >> (12 + 9 * (level - 1))) & 511;
}

/*
 * The guest entry one of our entries derives from, as an index into the
 * guest region the shadow page covers.  A 32-bit directory entry maps
 * 4M, two of our 2M entries.
 */
static inline unsigned int shadow_guest_index(u32 mode, int level,
					      unsigned int si)
{
	return mode == SHADOW_LEGACY32 && level == 2 ? si / 2 : si;
}

/*
 * The guest region behind the GUEST shadow page at @level whose guest
 * table starts at @table; @si is the index of our parent entry.  A
 * 32-bit guest's 4K tables are split: a directory into four quarters
 * (one per PDPTE; @si picks it), a page table into two halves (@si
 * odd or even).  Sets the region's start and returns its bytes.
 */
static inline unsigned int shadow_guest_region(u32 mode, int level,
					       u64 table, unsigned int si,
					       u64 *gpa)
{
	if (mode == SHADOW_LEGACY32 && level == 2) {
		*gpa = table + si * 1024;
		return 1024;
	}
	if (mode == SHADOW_LEGACY32 && level == 1) {
		*gpa = table + (si & 1) * 2048;
		return 2048;
	}
	if (mode == SHADOW_PAE && level == 3) {
		*gpa = table;
		return 32;
	}
	*gpa = table;
	return 4096;
}

/* Where the root's guest table is: the root cache key. */
static inline u64 shadow_root_gpa(u32 mode, u64 cr3)
{
	switch (mode) {
	case SHADOW_LONG:
		return cr3 & GENMASK_ULL(51, 12);
	case SHADOW_PAE:
		return cr3 & GENMASK_ULL(31, 5);
	case SHADOW_LEGACY32:
		return cr3 & GENMASK_ULL(31, 12);
	default:
		return 0;
	}
}

/*
 * May a shadow entry built from guest entry @old stay when the guest
 * entry is now @new?  Only if the guest (or our walker) just set
 * accessed or dirty bits: anything else, clearing A or D included,
 * must be seen by the next access.
 */
static inline bool shadow_gpte_compatible(u64 old, u64 new)
{
	return !((old ^ new) & ~(GW_PTE_A | GW_PTE_D)) && !(old & ~new);
}

/**
 * shadow_leaf() - our leaf for a guest translation.
 * @hpa: the host page
 * @res: the guest walk (permissions of the whole path)
 * @gleaf: the guest's leaf entry, after the walk set its A/D bits
 * @access: PFERR_WRITE and PFERR_USER of the access being served
 * @wp: guest CR0.WP
 *
 * Writable only once the guest entry is dirty, so the first write comes
 * to us and sets D.  Our CR0.WP is always 1: where the guest's WP=0 lets
 * a supervisor write through a read-only page, that write gets a
 * supervisor-only writable leaf (a user access faults and gets the
 * user's view back).
 */
static inline u64 shadow_leaf(u64 hpa, const struct gwalk_result *res,
			      u64 gleaf, u32 access, bool wp)
{
	bool rw = res->rw && (gleaf & GW_PTE_D), us = res->us;
	u64 spte = (hpa & SPTE_ADDR) | SPTE_P | SPTE_A;

	if (!res->rw && !wp && (access & PFERR_WRITE) &&
	    !(access & PFERR_USER)) {
		rw = true;
		us = false;
	}
	if (rw)
		spte |= SPTE_RW | SPTE_D;
	if (us)
		spte |= SPTE_US;
	if (res->nx)
		spte |= SPTE_NX;
	return spte;
}

/*
 * Whether a guest page that the walk found at @level (res->level) may be
 * shadowed by one 2M leaf rather than by 512 4K leaves: it is a 2M or 1G
 * page of a PAE or long-mode guest, whose directories have our format.
 * (A 32-bit guest's 4M page would need two; it keeps 4K leaves.)  The
 * host side must be one 2M page too: svm_gpa_to_huge().
 */
static inline bool shadow_large_ok(u32 mode, int level)
{
	return (mode == SHADOW_PAE || mode == SHADOW_LONG) && level >= 2;
}

/* Whether the present entry @e of a shadow page at @level is a table. */
static inline bool shadow_spte_is_table(u64 e, int level)
{
	return level > 1 && !(e & SPTE_PS);
}

/* An identity leaf for a guest without paging: everything allowed. */
static inline u64 shadow_direct_leaf(u64 hpa)
{
	return (hpa & SPTE_ADDR) | SPTE_P | SPTE_RW | SPTE_US | SPTE_A |
	       SPTE_D;
}

/*
 * The registers the CPU gets for the guest's: paging always on (CR0.PG,
 * and CR0.WP, see shadow_leaf()), PAE always on, NX always on (EFER.NXE
 * 0 in the guest only makes its NX bits reserved, which the walker
 * checks), and EFER.LME and LMA only in the long-mode role: a guest with
 * LME set and paging off runs in paged real or protected mode, and the
 * CPU walks svmhv's tables in the format the role built, whatever EFER
 * says (svm/msr.c keeps the guest's LMA equal to LME and CR0.PG).  CR4.MCE
 * is the host's (@host_mce), so that a host machine check in the guest
 * is an #MC, not a shutdown.
 */
static inline u64 shadow_hw_cr0(u64 cr0)
{
	return cr0 | X86_CR0_PG | X86_CR0_WP;
}

static inline u64 shadow_hw_cr4(u64 cr4, u64 host_mce)
{
	return cr4 | X86_CR4_PAE | host_mce;
}

static inline u64 shadow_hw_efer(u64 efer, u32 role)
{
	if (SHADOW_ROLE_MODE(role) != SHADOW_LONG)
		efer &= ~(EFER_LME | EFER_LMA);
	return efer | EFER_NX | EFER_SVME;
}

/* shadow.c: the shadow_pages parameter (KVM_GET_NR_MMU_PAGES). */
unsigned int shadow_max_pages(void);

#endif /* SVMHV_SHADOW_SHADOW_H */
