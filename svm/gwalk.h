/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest page-table walker: guest-virtual to guest-physical, as the
 * CPU would translate, for every guest paging mode.  Pure logic over two
 * callbacks that read and write guest-physical memory, so KUnit can run
 * it on fabricated tables.
 *
 * AMD64 APM vol. 2, 5.3 "Long-Mode Page Translation", 5.2 "Legacy-Mode
 * Page Translation", 5.6 "Page-Protection Checks", 5.4.2 "Accessed and
 * Dirty Bits".
 */
#ifndef SVMHV_SVM_GWALK_H
#define SVMHV_SVM_GWALK_H

#include <linux/bits.h>
#include <linux/types.h>

/* #PF error code bits (APM vol. 2, 8.4.2) */
#define PFERR_PRESENT	BIT(0)
#define PFERR_WRITE	BIT(1)
#define PFERR_USER	BIT(2)
#define PFERR_RSVD	BIT(3)
#define PFERR_FETCH	BIT(4)

#define GW_CR0_WP	BIT_ULL(16)
#define GW_CR0_PG	BIT_ULL(31)
#define GW_CR4_PSE	BIT_ULL(4)
#define GW_CR4_PAE	BIT_ULL(5)
#define GW_EFER_LMA	BIT_ULL(10)
#define GW_EFER_NXE	BIT_ULL(11)

#define GW_PTE_P	BIT_ULL(0)
#define GW_PTE_RW	BIT_ULL(1)
#define GW_PTE_US	BIT_ULL(2)
#define GW_PTE_A	BIT_ULL(5)
#define GW_PTE_D	BIT_ULL(6)
#define GW_PTE_PS	BIT_ULL(7)
#define GW_PTE_NX	BIT_ULL(63)

/*
 * An access flag for gwalk() alone: walk without setting accessed or
 * dirty bits (a lookup on the guest's behalf that is not an access).
 */
#define GW_NO_AD	BIT(31)

/* Guest physical addresses are at most this wide (our nested tables). */
#define GW_MAXPHYADDR	48

struct gwalk_regs {
	u64 cr0;
	u64 cr3;
	u64 cr4;
	u64 efer;
};

struct gwalk_mem {
	/* Read a 4- or 8-byte entry; 0 or -EFAULT. */
	int (*read)(void *ctx, u64 gpa, u64 *val, int size);
	/*
	 * Set the accessed and dirty bits of an entry: store @new only if
	 * the entry still holds @old, atomically, as the CPU does (another
	 * vCPU may be writing it).  0, -EAGAIN when it changed, or -EFAULT.
	 */
	int (*cas)(void *ctx, u64 gpa, u64 old, u64 new, int size);
	void *ctx;
};

/* Walks gwalk() starts over when entries keep changing under it. */
#define GWALK_TRIES	16

/**
 * struct gwalk_result - where a translation ended.
 * @gpa: the guest-physical address, on success
 * @error: the #PF error code, on a page fault
 * @level: the level of the leaf (1 = 4K), or where the walk stopped
 * @top: the level the walk started at (4, 3 with PAE, 2), 0 without paging
 * @entry_size: the bytes of each entry it read (8, or 4 in 32-bit paging)
 * @pte: the entry read at each level (index = level), as it is in guest
 *	memory after the walk (with the accessed and dirty bits it set)
 * @pte_gpa: where in guest memory each of those entries is
 * @us: the access is allowed to user mode, by every level
 * @rw: writes are allowed by every level (before CR0.WP is applied)
 * @nx: some level forbids execution (with EFER.NXE)
 *
 * @us, @rw and @nx are the whole path's only when the walk succeeds.
 */
struct gwalk_result {
	u64 gpa;
	u32 error;
	int level;
	int top;
	int entry_size;
	u64 pte[5];
	u64 pte_gpa[5];
	bool us, rw, nx;
};

int gwalk(const struct gwalk_regs *regs, u64 gva, u32 access,
	  const struct gwalk_mem *mem, struct gwalk_result *res);

#endif /* SVMHV_SVM_GWALK_H */
