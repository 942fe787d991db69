/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The two guests of ad_race_test.c (ad_race_code.S) and the guest-physical
 * layout they share with the test; included by both.
 */
#ifndef SVMHV_SELFTESTS_AD_RACE_CODE_H
#define SVMHV_SELFTESTS_AD_RACE_CODE_H

/*
 * Guest memory, identity-mapped by vm_setup_long() (2M pages) except the
 * 2M at AD_DATA_VA, which AD_PT_GPA maps with 4K pages:
 *   0x1000 GDT  0x2000-0x4fff vm_setup_long()'s tables
 *   0x10000 the code  0x20000 the control block  0x30000 B's counts
 *   0x60000 B's stack top  0x80000 A's (vm_setup_long()'s)
 *   0x100000 the page table  0x200000 its pages
 */
#define AD_CODE_GPA	0x10000
#define AD_CTL_GPA	0x20000
#define AD_COUNT_GPA	0x30000
#define AD_STACK_B	0x60000
#define AD_PT_GPA	0x100000
#define AD_DATA_VA	0x200000
#define AD_MAX_PAGES	512

/* The control block: 64-bit words at AD_CTL_GPA + these offsets. */
#define AD_CTL_STOP	0x00	/* set by the test: B stops after its round */
#define AD_CTL_NPAGES	0x08	/* set by the test: pages in the race */
#define AD_CTL_CR3	0x10	/* set by the test: A flushes by CR3 */
#define AD_CTL_A_GO	0x18	/* A has started */
#define AD_CTL_A_PASSES	0x20	/* A's passes over the pages */
#define AD_CTL_A_BAD	0x28	/* reads of A's that missed its last write */
#define AD_CTL_B_DONE	0x30	/* B wrote for the last time */
#define AD_CTL_B_ROUNDS	0x38	/* B's rounds over the entries */
#define AD_CTL_B_RETRY	0x40	/* B's compare-and-exchanges that failed */
#define AD_CTL_B_LOST	0x48	/* reads that found B's bits 52-58 gone */
#define AD_CTL_B_LOST9	0x50	/* reads that found B's bit 9 gone */

/* The bits of a PTE that B owns: bit 9 and bits 52-58 (available). */
#define AD_PTE_A	0x20
#define AD_PTE_D	0x40
#define AD_OWN_LOW	0x200
#define AD_OWN_SHIFT	52
#define AD_OWN_FIELD	0x7f

#ifndef __ASSEMBLER__
extern const unsigned char ad_race_start[], ad_race_end[];
extern const unsigned char ad_race_b[];

#define AD_RACE_LEN	((size_t)(ad_race_end - ad_race_start))
#define AD_RACE_B_OFF	((size_t)(ad_race_b - ad_race_start))
#endif

#endif /* SVMHV_SELFTESTS_AD_RACE_CODE_H */
