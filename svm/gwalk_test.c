// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the guest page walker on fabricated tables in every paging mode,
 * with the permission checks, reserved bits, error codes and the
 * accessed/dirty bits the hardware would set.
 */
#include <kunit/test.h>
#include <linux/string.h>

#include "gwalk.h"

/* This module has its own copy of the walker. */
#include "gwalk.c"

#define MEM_SIZE	0x20000

struct fake_mem {
	u8 bytes[MEM_SIZE];
	int writes;
	/* Another vCPU: writes @other_val at @other_gpa before a cmpxchg. */
	int other_writes;
	u64 other_gpa, other_val;
};

static int fake_read(void *ctx, u64 gpa, u64 *val, int size)
{
	struct fake_mem *m = ctx;

	if (gpa + size > MEM_SIZE)
		return -EFAULT;
	*val = 0;
	memcpy(val, m->bytes + gpa, size);
	return 0;
}

static int fake_cmpxchg(void *ctx, u64 gpa, u64 old, u64 new, int size)
{
	struct fake_mem *m = ctx;
	u64 cur = 0;

	if (gpa + size > MEM_SIZE)
		return -EFAULT;
	if (m->other_writes && gpa == m->other_gpa) {
		m->other_writes--;
		memcpy(m->bytes + gpa, &m->other_val, size);
		m->other_val ^= BIT(9);	/* the next write differs */
	}
	memcpy(&cur, m->bytes + gpa, size);
	if (cur != old)
		return -EAGAIN;
	memcpy(m->bytes + gpa, &new, size);
	m->writes++;
	return 0;
}

static struct fake_mem *new_mem(struct kunit *test, struct gwalk_mem *gm)
{
	struct fake_mem *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, m);
	*gm = (struct gwalk_mem){ fake_read, fake_cmpxchg, m };
	return m;
}

static void set64(struct fake_mem *m, u64 gpa, u64 v)
{
	memcpy(m->bytes + gpa, &v, 8);
}

static void set32(struct fake_mem *m, u64 gpa, u32 v)
{
	memcpy(m->bytes + gpa, &v, 4);
}

static u64 get64(struct fake_mem *m, u64 gpa)
{
	u64 v;

	memcpy(&v, m->bytes + gpa, 8);
	return v;
}

#define P	GW_PTE_P
#define RW	GW_PTE_RW
#define US	GW_PTE_US
#define PS	GW_PTE_PS
#define NX	GW_PTE_NX

static const struct gwalk_regs long_regs = {
	.cr0 = GW_CR0_PG | GW_CR0_WP | 1, .cr3 = 0x1000, .cr4 = GW_CR4_PAE,
	.efer = GW_EFER_LMA | GW_EFER_NXE | BIT(8),
};

/*
 * Long mode: PML4 at 0x1000, PDPT at 0x2000, PD at 0x3000, PT at 0x4000.
 * 0x0000_0000_0040_0000 -> PT -> 4K page at 0x9000 (user, read-only, NX)
 * 0x0000_0000_0060_0000 -> 2M page at 0x200000 (supervisor, writable)
 * 0x0000_0000_4000_0000 -> 1G page at 0x40000000
 */
static struct fake_mem *long_tables(struct kunit *test, struct gwalk_mem *gm)
{
	struct fake_mem *m = new_mem(test, gm);

	set64(m, 0x1000, 0x2000 | P | RW | US);
	set64(m, 0x2000, 0x3000 | P | RW | US);
	set64(m, 0x2008, 0x40000000 | P | RW | US | PS);
	set64(m, 0x3000 + 2 * 8, 0x4000 | P | RW | US);
	set64(m, 0x3000 + 3 * 8, 0x200000 | P | RW | PS);
	set64(m, 0x4000, 0x9000 | P | US | NX);
	return m;
}

static void test_no_paging(struct kunit *test)
{
	struct gwalk_regs r = { .cr0 = 1 };
	struct gwalk_result res;
	struct gwalk_mem gm;

	new_mem(test, &gm);
	KUNIT_ASSERT_EQ(test, 0, gwalk(&r, 0x123456789ULL, 0, &gm, &res));
	KUNIT_EXPECT_EQ(test, res.gpa, 0x23456789ULL);	/* 32-bit linear */
	KUNIT_EXPECT_EQ(test, res.top, 0);		/* no entry read */
}

static void test_long_mode_sizes(struct kunit *test)
{
	struct gwalk_result res;
	struct gwalk_mem gm;

	long_tables(test, &gm);
	KUNIT_ASSERT_EQ(test, 0, gwalk(&long_regs, 0x400123, 0, &gm, &res));
	KUNIT_EXPECT_EQ(test, res.gpa, 0x9123ULL);
	KUNIT_EXPECT_EQ(test, res.level, 1);
	KUNIT_ASSERT_EQ(test, 0, gwalk(&long_regs, 0x654321, PFERR_WRITE,
				       &gm, &res));
	KUNIT_EXPECT_EQ(test, res.gpa, 0x254321ULL);
	KUNIT_EXPECT_EQ(test, res.level, 2);
	KUNIT_ASSERT_EQ(test, 0, gwalk(&long_regs, 0x40abcdef, 0, &gm, &res));
	KUNIT_EXPECT_EQ(test, res.gpa, 0x40abcdefULL);
	KUNIT_EXPECT_EQ(test, res.level, 3);
}

static void test_long_mode_faults(struct kunit *test)
{
	struct gwalk_regs r = long_regs;
	struct gwalk_result res;
	struct gwalk_mem gm;
	struct fake_mem *m = long_tables(test, &gm);

	/* Not present: error code has no P bit, keeps W/U. */
	KUNIT_EXPECT_EQ(test, -EFAULT, gwalk(&r, 0x800000, PFERR_WRITE |
					     PFERR_USER, &gm, &res));
	KUNIT_EXPECT_EQ(test, res.error, PFERR_WRITE | PFERR_USER);
	/* User access to a supervisor page. */
	KUNIT_EXPECT_EQ(test, -EFAULT, gwalk(&r, 0x600000, PFERR_USER, &gm,
					     &res));
	KUNIT_EXPECT_EQ(test, res.error, PFERR_PRESENT | PFERR_USER);
	/* Supervisor write to a read-only page: only with CR0.WP. */
	KUNIT_EXPECT_EQ(test, -EFAULT, gwalk(&r, 0x400000, PFERR_WRITE, &gm,
					     &res));
	KUNIT_EXPECT_EQ(test, res.error, PFERR_PRESENT | PFERR_WRITE);
	r.cr0 &= ~GW_CR0_WP;
	KUNIT_EXPECT_EQ(test, 0, gwalk(&r, 0x400000, PFERR_WRITE, &gm, &res));
	/* A user write to a read-only page faults whatever WP says. */
	KUNIT_EXPECT_EQ(test, -EFAULT, gwalk(&r, 0x400000, PFERR_WRITE |
					     PFERR_USER, &gm, &res));
	/* Fetch from an NX page: I/D set. */
	KUNIT_EXPECT_EQ(test, -EFAULT, gwalk(&r, 0x400000, PFERR_FETCH, &gm,
					     &res));
	KUNIT_EXPECT_EQ(test, res.error, PFERR_PRESENT | PFERR_FETCH);
	/* Without EFER.NXE, bit 63 is reserved. */
	r.efer &= ~GW_EFER_NXE;
	KUNIT_EXPECT_EQ(test, -EFAULT, gwalk(&r, 0x400000, 0, &gm, &res));
	KUNIT_EXPECT_EQ(test, res.error, PFERR_PRESENT | PFERR_RSVD);
	/* PS in a PML4 entry is reserved. */
	set64(m, 0x1000, get64(m, 0x1000) | PS);
	KUNIT_EXPECT_EQ(test, -EFAULT, gwalk(&long_regs, 0x600000, 0, &gm,
					     &res));
	KUNIT_EXPECT_TRUE(test, res.error & PFERR_RSVD);
	KUNIT_EXPECT_EQ(test, res.level, 4);
	/* A table outside guest memory is not a page fault. */
	set64(m, 0x1000, 0x7000000 | P | RW | US);
	KUNIT_EXPECT_EQ(test, -EIO, gwalk(&long_regs, 0x600000, 0, &gm, &res));
}

static void test_accessed_dirty(struct kunit *test)
{
	struct gwalk_result res;
	struct gwalk_mem gm;
	struct fake_mem *m = long_tables(test, &gm);

	KUNIT_ASSERT_EQ(test, 0, gwalk(&long_regs, 0x654321, 0, &gm, &res));
	KUNIT_EXPECT_TRUE(test, get64(m, 0x1000) & GW_PTE_A);
	KUNIT_EXPECT_TRUE(test, get64(m, 0x3018) & GW_PTE_A);
	/* A read never sets D. */
	KUNIT_EXPECT_FALSE(test, get64(m, 0x3018) & GW_PTE_D);
	KUNIT_ASSERT_EQ(test, 0, gwalk(&long_regs, 0x654321, PFERR_WRITE,
				       &gm, &res));
	KUNIT_EXPECT_TRUE(test, get64(m, 0x3018) & GW_PTE_D);
	/* D goes on the leaf only. */
	KUNIT_EXPECT_FALSE(test, get64(m, 0x2000) & GW_PTE_D);
	/* A faulting access sets no dirty bit. */
	KUNIT_EXPECT_EQ(test, -EFAULT, gwalk(&long_regs, 0x400000,
					     PFERR_WRITE, &gm, &res));
	KUNIT_EXPECT_FALSE(test, get64(m, 0x4000) & GW_PTE_D);
	/* Once set, nothing is written again. */
	m->writes = 0;
	KUNIT_ASSERT_EQ(test, 0, gwalk(&long_regs, 0x654321, PFERR_WRITE,
				       &gm, &res));
	KUNIT_EXPECT_EQ(test, m->writes, 0);
}

/*
 * Another vCPU writes an entry between the walk's read and its A/D
 * update: its write stays, and the walk goes on from what it wrote.
 */
static void test_ad_update_is_atomic(struct kunit *test)
{
	struct gwalk_result res;
	struct gwalk_mem gm;
	struct fake_mem *m = long_tables(test, &gm);

	/* The 2M leaf made read-only: the write must now fault. */
	m->other_gpa = 0x3018;
	m->other_val = 0x200000 | P | PS;
	m->other_writes = 1;
	KUNIT_EXPECT_EQ(test, -EFAULT, gwalk(&long_regs, 0x654321,
					     PFERR_WRITE, &gm, &res));
	KUNIT_EXPECT_EQ(test, get64(m, 0x3018), 0x200000 | P | PS);
	/* The leaf unmapped: not present, and not brought back. */
	set64(m, 0x3018, 0x200000 | P | RW | PS);
	m->other_val = 0;
	m->other_writes = 1;
	KUNIT_EXPECT_EQ(test, -EFAULT, gwalk(&long_regs, 0x654321,
					     PFERR_WRITE, &gm, &res));
	KUNIT_EXPECT_EQ(test, get64(m, 0x3018), 0ULL);
	/* A table entry re-pointed while its A bit is set: the new path. */
	set64(m, 0x3018, 0x200000 | P | RW | PS);
	set64(m, 0x2000, 0x3000 | P | RW | US);
	set64(m, 0x5000 + 3 * 8, 0x400000 | P | RW | PS);
	m->other_gpa = 0x2000;
	m->other_val = 0x5000 | P | RW | US;
	m->other_writes = 1;
	KUNIT_ASSERT_EQ(test, 0, gwalk(&long_regs, 0x654321, 0, &gm, &res));
	KUNIT_EXPECT_EQ(test, res.gpa, 0x454321ULL);
	KUNIT_EXPECT_EQ(test, get64(m, 0x2000), 0x5000 | P | RW | US |
			GW_PTE_A);
	/* Entries that never stop changing: the caller retries. */
	set64(m, 0x2000, 0x3000 | P | RW | US);
	set64(m, 0x3018, 0x200000 | P | RW | PS);
	m->other_gpa = 0x3018;
	m->other_val = 0x200000 | P | RW | PS | BIT(9);
	m->other_writes = GWALK_TRIES;
	KUNIT_EXPECT_EQ(test, -EAGAIN, gwalk(&long_regs, 0x654321, 0, &gm,
					     &res));
}

/* What the shadow MMU takes from a walk: entries and the path's rights. */
static void test_path_and_no_ad(struct kunit *test)
{
	struct gwalk_result res;
	struct gwalk_mem gm;
	struct fake_mem *m = long_tables(test, &gm);

	m->writes = 0;
	KUNIT_ASSERT_EQ(test, 0, gwalk(&long_regs, 0x400123, GW_NO_AD, &gm,
				       &res));
	KUNIT_EXPECT_EQ(test, m->writes, 0);
	KUNIT_EXPECT_EQ(test, res.pte[4], 0x2000 | P | RW | US);
	KUNIT_EXPECT_EQ(test, res.pte[1], 0x9000 | P | US | NX);
	KUNIT_EXPECT_TRUE(test, res.us);
	KUNIT_EXPECT_FALSE(test, res.rw);
	KUNIT_EXPECT_TRUE(test, res.nx);
	/* With A/D: the entries as they are in memory afterwards. */
	KUNIT_ASSERT_EQ(test, 0, gwalk(&long_regs, 0x654321, PFERR_WRITE,
				       &gm, &res));
	KUNIT_EXPECT_EQ(test, res.pte[2], get64(m, 0x3018));
	KUNIT_EXPECT_TRUE(test, res.pte[2] & GW_PTE_D);
	KUNIT_EXPECT_EQ(test, res.pte[4], get64(m, 0x1000));
	/* Where each entry is: a cached walk checks them there. */
	KUNIT_EXPECT_EQ(test, res.pte_gpa[4], 0x1000);
	KUNIT_EXPECT_EQ(test, res.pte_gpa[3], 0x2000);
	KUNIT_EXPECT_EQ(test, res.pte_gpa[2], 0x3018);
	KUNIT_EXPECT_EQ(test, res.pte_gpa[1], 0);
	KUNIT_EXPECT_EQ(test, res.top, 4);
	KUNIT_EXPECT_EQ(test, res.entry_size, 8);
	KUNIT_EXPECT_TRUE(test, res.rw);
	KUNIT_EXPECT_FALSE(test, res.us);	/* the 2M leaf is supervisor */
	KUNIT_EXPECT_FALSE(test, res.nx);
}

static void test_pae(struct kunit *test)
{
	struct gwalk_regs r = { .cr0 = GW_CR0_PG | 1, .cr3 = 0x1020,
				.cr4 = GW_CR4_PAE };
	struct gwalk_result res;
	struct gwalk_mem gm;
	struct fake_mem *m = new_mem(test, &gm);

	/* PDPT at 0x1020 (32-byte aligned); entry 1 covers 1G-2G. */
	set64(m, 0x1028, 0x3000 | P);
	set64(m, 0x3000 + 1 * 8, 0x600000 | P | RW | PS);
	set64(m, 0x3000 + 2 * 8, 0x5000 | P | RW);
	set64(m, 0x5000 + 3 * 8, 0x8000 | P | RW);
	KUNIT_ASSERT_EQ(test, 0, gwalk(&r, 0x40212345, 0, &gm, &res));
	KUNIT_EXPECT_EQ(test, res.gpa, 0x612345ULL);
	KUNIT_ASSERT_EQ(test, 0, gwalk(&r, 0x40403abc, 0, &gm, &res));
	KUNIT_EXPECT_EQ(test, res.gpa, 0x8abcULL);
	KUNIT_EXPECT_EQ(test, res.top, 3);
	KUNIT_EXPECT_EQ(test, res.entry_size, 8);
	/* A PDPTE's bit 5 (A, as the emulated CPU sets it) is ignored. */
	set64(m, 0x1028, 0x3000 | P | BIT_ULL(5));
	KUNIT_EXPECT_EQ(test, 0, gwalk(&r, 0x40212345, 0, &gm, &res));
	/* RW in a PDPTE is reserved. */
	set64(m, 0x1028, 0x3000 | P | RW);
	KUNIT_EXPECT_EQ(test, -EFAULT, gwalk(&r, 0x40212345, 0, &gm, &res));
	KUNIT_EXPECT_EQ(test, res.error, PFERR_PRESENT | PFERR_RSVD);
}

static void test_32bit(struct kunit *test)
{
	struct gwalk_regs r = { .cr0 = GW_CR0_PG | 1, .cr3 = 0x1000 };
	struct gwalk_result res;
	struct gwalk_mem gm;
	struct fake_mem *m = new_mem(test, &gm);

	/* PDE 1 (4M-8M) points to a table at 0x2000; PTE 5 -> 0x7000. */
	set32(m, 0x1000 + 4, 0x2000 | P | RW | US);
	set32(m, 0x2000 + 5 * 4, 0x7000 | P | RW | US);
	KUNIT_ASSERT_EQ(test, 0, gwalk(&r, 0x405abc, PFERR_USER, &gm, &res));
	KUNIT_EXPECT_EQ(test, res.gpa, 0x7abcULL);
	KUNIT_EXPECT_EQ(test, res.top, 2);
	KUNIT_EXPECT_EQ(test, res.entry_size, 4);
	/*
	 * A 4M page: PS counts only with CR4.PSE; without it the entry
	 * points to a page table (here outside guest memory).
	 */
	set32(m, 0x1000 + 2 * 4, 0xc00000 | P | RW | PS);
	KUNIT_EXPECT_EQ(test, -EIO, gwalk(&r, 0x812345, 0, &gm, &res));
	r.cr4 = GW_CR4_PSE;
	KUNIT_ASSERT_EQ(test, 0, gwalk(&r, 0x812345, 0, &gm, &res));
	KUNIT_EXPECT_EQ(test, res.gpa, 0xc12345ULL);
	KUNIT_EXPECT_EQ(test, res.level, 2);
	/* No NX and no reserved bits in 32-bit entries: bit 63 is not there. */
	KUNIT_EXPECT_EQ(test, 0, gwalk(&r, 0x812345, PFERR_FETCH, &gm, &res));
}

static struct kunit_case gwalk_cases[] = {
	KUNIT_CASE(test_no_paging),
	KUNIT_CASE(test_long_mode_sizes),
	KUNIT_CASE(test_long_mode_faults),
	KUNIT_CASE(test_accessed_dirty),
	KUNIT_CASE(test_ad_update_is_atomic),
	KUNIT_CASE(test_path_and_no_ad),
	KUNIT_CASE(test_pae),
	KUNIT_CASE(test_32bit),
	{}
};

static struct kunit_suite gwalk_suite = {
	.name = "svmhv_gwalk",
	.test_cases = gwalk_cases,
};

kunit_test_suites(&gwalk_suite);
