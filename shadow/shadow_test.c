// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the shadow MMU's pure rules: the role, where our entries come
 * from in the guest's tables (the 32-bit quarters and halves), when a
 * changed guest entry may keep its shadow, what rights a leaf gets, and
 * the registers the CPU runs the guest with.
 */
#include <kunit/test.h>

#include "shadow.h"

#define PG	X86_CR0_PG
#define WP	X86_CR0_WP

static void test_role(struct kunit *test)
{
	u32 r;

	KUNIT_EXPECT_EQ(test, SHADOW_UNPAGED, shadow_role(X86_CR0_PE, 0, 0));
	/* Without paging nothing else matters. */
	KUNIT_EXPECT_EQ(test, shadow_role(WP, X86_CR4_PSE, EFER_NX),
			shadow_role(0, 0, 0));
	r = shadow_role(PG | WP, X86_CR4_PSE, 0);
	KUNIT_EXPECT_EQ(test, SHADOW_LEGACY32, SHADOW_ROLE_MODE(r));
	KUNIT_EXPECT_TRUE(test, r & SHADOW_ROLE_PSE);
	KUNIT_EXPECT_TRUE(test, r & SHADOW_ROLE_WP);
	r = shadow_role(PG, X86_CR4_PAE | X86_CR4_PSE, EFER_NX);
	KUNIT_EXPECT_EQ(test, SHADOW_PAE, SHADOW_ROLE_MODE(r));
	KUNIT_EXPECT_FALSE(test, r & SHADOW_ROLE_PSE);	/* PAE ignores PSE */
	KUNIT_EXPECT_TRUE(test, r & SHADOW_ROLE_NXE);
	r = shadow_role(PG, X86_CR4_PAE, EFER_LME | EFER_LMA);
	KUNIT_EXPECT_EQ(test, SHADOW_LONG, SHADOW_ROLE_MODE(r));
	/* WP differs: another role, so roots are not shared across it. */
	KUNIT_EXPECT_NE(test, r, shadow_role(PG | WP, X86_CR4_PAE,
					     EFER_LME | EFER_LMA));
}

static void test_indexes_and_regions(struct kunit *test)
{
	u64 gpa;

	KUNIT_EXPECT_EQ(test, 4, shadow_root_level(SHADOW_LONG));
	KUNIT_EXPECT_EQ(test, 3, shadow_root_level(SHADOW_LEGACY32));
	KUNIT_EXPECT_EQ(test, 3, shadow_root_level(SHADOW_UNPAGED));
	KUNIT_EXPECT_EQ(test, 3U, shadow_index(0xc0000000, 3, 3));
	KUNIT_EXPECT_EQ(test, 0x1ffU, shadow_index(0x7fc0000000ULL, 3, 4));
	KUNIT_EXPECT_EQ(test, 5U, shadow_index(0xa00000, 2, 3));
	/* Two of our 2M entries per 4M guest directory entry. */
	KUNIT_EXPECT_EQ(test, 2U, shadow_guest_index(SHADOW_LEGACY32, 2, 5));
	KUNIT_EXPECT_EQ(test, 5U, shadow_guest_index(SHADOW_PAE, 2, 5));
	KUNIT_EXPECT_EQ(test, 5U, shadow_guest_index(SHADOW_LEGACY32, 1, 5));
	/* A 32-bit directory in quarters, a page table in halves. */
	KUNIT_EXPECT_EQ(test, 1024U, shadow_guest_region(SHADOW_LEGACY32, 2,
							 0x5000, 3, &gpa));
	KUNIT_EXPECT_EQ(test, 0x5c00ULL, gpa);
	KUNIT_EXPECT_EQ(test, 2048U, shadow_guest_region(SHADOW_LEGACY32, 1,
							 0x7000, 9, &gpa));
	KUNIT_EXPECT_EQ(test, 0x7800ULL, gpa);
	KUNIT_EXPECT_EQ(test, 32U, shadow_guest_region(SHADOW_PAE, 3,
						       0x1fe0, 0, &gpa));
	KUNIT_EXPECT_EQ(test, 4096U, shadow_guest_region(SHADOW_LONG, 1,
							 0x9000, 7, &gpa));
	KUNIT_EXPECT_EQ(test, 0x9000ULL, gpa);
	KUNIT_EXPECT_EQ(test, 0x1fe0ULL, shadow_root_gpa(SHADOW_PAE,
							 0x1fe8));
	KUNIT_EXPECT_EQ(test, 0x1000ULL, shadow_root_gpa(SHADOW_LEGACY32,
							 0x1fe8));
	KUNIT_EXPECT_EQ(test, 0xf000000000ULL,
			shadow_root_gpa(SHADOW_LONG, 0xf000000fffULL));
}

static void test_compatible(struct kunit *test)
{
	u64 e = 0x5000 | GW_PTE_P | GW_PTE_RW;

	KUNIT_EXPECT_TRUE(test, shadow_gpte_compatible(e, e));
	KUNIT_EXPECT_TRUE(test, shadow_gpte_compatible(e, e | GW_PTE_A));
	KUNIT_EXPECT_TRUE(test, shadow_gpte_compatible(e, e | GW_PTE_A |
						      GW_PTE_D));
	/* Clearing A or D must be seen by the next access. */
	KUNIT_EXPECT_FALSE(test, shadow_gpte_compatible(e | GW_PTE_A, e));
	KUNIT_EXPECT_FALSE(test, shadow_gpte_compatible(e | GW_PTE_D,
						       e | GW_PTE_A));
	KUNIT_EXPECT_FALSE(test, shadow_gpte_compatible(e, e & ~GW_PTE_RW));
	KUNIT_EXPECT_FALSE(test, shadow_gpte_compatible(e, e ^ 0x1000));
	KUNIT_EXPECT_FALSE(test, shadow_gpte_compatible(e, 0));
}

static void test_leaf_rights(struct kunit *test)
{
	struct gwalk_result res = { .rw = true, .us = true, .nx = false };
	u64 hpa = 0x123456000ULL, s;

	/* Clean guest entry: read-only until the first write sets D. */
	s = shadow_leaf(hpa, &res, GW_PTE_P | GW_PTE_A, 0, true);
	KUNIT_EXPECT_EQ(test, s & SPTE_ADDR, hpa);
	KUNIT_EXPECT_FALSE(test, s & SPTE_RW);
	KUNIT_EXPECT_TRUE(test, s & SPTE_US);
	s = shadow_leaf(hpa, &res, GW_PTE_P | GW_PTE_A | GW_PTE_D,
			PFERR_WRITE, true);
	KUNIT_EXPECT_TRUE(test, s & SPTE_RW);
	KUNIT_EXPECT_TRUE(test, s & SPTE_D);
	/* The path's rights, not one entry's. */
	res.rw = false;
	res.nx = true;
	s = shadow_leaf(hpa, &res, GW_PTE_P | GW_PTE_D, 0, true);
	KUNIT_EXPECT_FALSE(test, s & SPTE_RW);
	KUNIT_EXPECT_TRUE(test, s & SPTE_NX);
	/* CR0.WP=0: a supervisor write gets a supervisor-only RW leaf... */
	s = shadow_leaf(hpa, &res, GW_PTE_P | GW_PTE_D, PFERR_WRITE, false);
	KUNIT_EXPECT_TRUE(test, s & SPTE_RW);
	KUNIT_EXPECT_FALSE(test, s & SPTE_US);
	/* ...a user access the guest's own view. */
	s = shadow_leaf(hpa, &res, GW_PTE_P | GW_PTE_D, PFERR_USER, false);
	KUNIT_EXPECT_FALSE(test, s & SPTE_RW);
	KUNIT_EXPECT_TRUE(test, s & SPTE_US);
	s = shadow_direct_leaf(hpa);
	KUNIT_EXPECT_EQ(test, s & (SPTE_P | SPTE_RW | SPTE_US | SPTE_NX),
			SPTE_P | SPTE_RW | SPTE_US);
}

static void test_large_leaves(struct kunit *test)
{
	/* 2M and 1G guest pages of PAE and long-mode guests: 2M leaves. */
	KUNIT_EXPECT_TRUE(test, shadow_large_ok(SHADOW_LONG, 2));
	KUNIT_EXPECT_TRUE(test, shadow_large_ok(SHADOW_LONG, 3));
	KUNIT_EXPECT_TRUE(test, shadow_large_ok(SHADOW_PAE, 2));
	/* 4K guest pages, a 32-bit guest's 4M pages, no paging: never. */
	KUNIT_EXPECT_FALSE(test, shadow_large_ok(SHADOW_LONG, 1));
	KUNIT_EXPECT_FALSE(test, shadow_large_ok(SHADOW_PAE, 1));
	KUNIT_EXPECT_FALSE(test, shadow_large_ok(SHADOW_LEGACY32, 2));
	KUNIT_EXPECT_FALSE(test, shadow_large_ok(SHADOW_UNPAGED, 0));

	/* A present entry is a table above level 1, unless it is a leaf. */
	KUNIT_EXPECT_TRUE(test, shadow_spte_is_table(SPTE_TABLE, 2));
	KUNIT_EXPECT_TRUE(test, shadow_spte_is_table(SPTE_PDPTE, 3));
	KUNIT_EXPECT_FALSE(test, shadow_spte_is_table(SPTE_P | SPTE_PS, 2));
	KUNIT_EXPECT_FALSE(test, shadow_spte_is_table(SPTE_P, 1));
	/* Bit 7 of a 4K leaf is PAT, not a size: still no table. */
	KUNIT_EXPECT_FALSE(test, shadow_spte_is_table(SPTE_P | SPTE_PS, 1));
}

static void test_hw_registers(struct kunit *test)
{
	/* Real mode runs as paged real mode. */
	KUNIT_EXPECT_EQ(test, shadow_hw_cr0(X86_CR0_ET),
			X86_CR0_ET | PG | WP);
	KUNIT_EXPECT_TRUE(test, shadow_hw_cr4(0, 0) & X86_CR4_PAE);
	KUNIT_EXPECT_EQ(test, shadow_hw_cr4(0, X86_CR4_MCE) & X86_CR4_MCE,
			(u64)X86_CR4_MCE);
	u32 unpaged = shadow_role(X86_CR0_PE, 0, 0);
	u32 lng = shadow_role(X86_CR0_PE | PG, X86_CR4_PAE,
			      EFER_LME | EFER_LMA);
	u32 pae = shadow_role(X86_CR0_PE | PG, X86_CR4_PAE, 0);

	/* LME without LMA would make VMRUN refuse paged real mode. */
	KUNIT_EXPECT_FALSE(test, shadow_hw_efer(EFER_LME, unpaged) & EFER_LME);
	KUNIT_EXPECT_TRUE(test, shadow_hw_efer(EFER_LME | EFER_LMA, lng) &
			  EFER_LME);
	/*
	 * Long mode on tables built for another mode would take guest pages
	 * for svmhv's tables: only the long-mode role gets LME and LMA.
	 */
	KUNIT_EXPECT_FALSE(test, shadow_hw_efer(EFER_LME | EFER_LMA, unpaged) &
			   (EFER_LME | EFER_LMA));
	KUNIT_EXPECT_FALSE(test, shadow_hw_efer(EFER_LME | EFER_LMA, pae) &
			   (EFER_LME | EFER_LMA));
	KUNIT_EXPECT_TRUE(test, shadow_hw_efer(0, pae) & EFER_NX);
	KUNIT_EXPECT_TRUE(test, shadow_hw_efer(0, pae) & EFER_SVME);
}

static struct kunit_case shadow_cases[] = {
	KUNIT_CASE(test_role),
	KUNIT_CASE(test_indexes_and_regions),
	KUNIT_CASE(test_compatible),
	KUNIT_CASE(test_leaf_rights),
	KUNIT_CASE(test_large_leaves),
	KUNIT_CASE(test_hw_registers),
	{}
};

static struct kunit_suite shadow_suite = {
	.name = "svmhv_shadow",
	.test_cases = shadow_cases,
};

kunit_test_suites(&shadow_suite);
