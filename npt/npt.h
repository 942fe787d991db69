/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Nested page tables: pure helpers shared by npt.c and its KUnit test.
 *
 * AMD64 APM vol. 2, 15.25 "Nested Paging": the nested tables use the
 * host's long-mode format; every nested access counts as a user access,
 * so every entry needs U/S set.  Leaves may be 4K (level 1), 2M (level 2,
 * PS) or 1G (level 3, PS).
 */
#ifndef SVMHV_NPT_NPT_H
#define SVMHV_NPT_NPT_H

#include <linux/bits.h>
#include <linux/types.h>

#define NPT_P			BIT_ULL(0)
#define NPT_RW			BIT_ULL(1)
#define NPT_US			BIT_ULL(2)
#define NPT_A			BIT_ULL(5)
#define NPT_D			BIT_ULL(6)
#define NPT_PS			BIT_ULL(7)
#define NPT_ADDR_MASK		GENMASK_ULL(51, 12)
/*
 * Accessed (and, on the always-writable leaves, dirty) from the start:
 * svmhv never reads them, and a CPU that had to set them would write
 * into our tables while we may be clearing an entry.  A real CPU does
 * that atomically; QEMU's TCG before 8.0 reads the entry and writes it
 * back, and could bring a cleared entry back.
 */
#define NPT_TABLE_FLAGS		(NPT_P | NPT_RW | NPT_US | NPT_A)
#define NPT_LEAF_FLAGS		(NPT_P | NPT_RW | NPT_US | NPT_A | NPT_D)
#define NPT_LEVELS		4
#define NPT_ENTRIES		512

/* Bytes one entry at @level maps: 4K, 2M, 1G, 512G. */
static inline u64 npt_level_size(int level)
{
	return 1ULL << (12 + 9 * (level - 1));
}

static inline unsigned int npt_index(u64 gpa, int level)
{
	return (gpa >> (12 + 9 * (level - 1))) & (NPT_ENTRIES - 1);
}

/**
 * npt_leaf_level() - the largest leaf that can map @gpa to @hpa.
 * @gpa: guest-physical address of the next page to map
 * @hpa: host-physical address backing it
 * @remaining: bytes of the slot left from @gpa on
 * @contig: bytes from @hpa on that are one host page (a THP or hugetlb
 *	folio) mapped in order by the slot
 *
 * A leaf of size S needs @gpa and @hpa both S-aligned and S bytes of
 * both the slot and the contiguous host page.
 *
 * Return: 3 (1G), 2 (2M) or 1 (4K).
 */
static inline int npt_leaf_level(u64 gpa, u64 hpa, u64 remaining, u64 contig)
{
	int level;

	for (level = 3; level > 1; level--) {
		u64 size = npt_level_size(level);

		if (!((gpa | hpa) & (size - 1)) && remaining >= size &&
		    contig >= size)
			return level;
	}
	return 1;
}

static inline u64 npt_make_leaf(u64 hpa, int level)
{
	return (hpa & NPT_ADDR_MASK) | NPT_LEAF_FLAGS |
	       (level > 1 ? NPT_PS : 0);
}

static inline bool npt_entry_is_leaf(u64 entry, int level)
{
	return level == 1 || (entry & NPT_PS);
}

#endif /* SVMHV_NPT_NPT_H */
