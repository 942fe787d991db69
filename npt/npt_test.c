// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: which nested leaf size maps a run of guest memory.
 */
#include <kunit/test.h>

#include "npt.h"

#define SZ_4K_	0x1000ULL
#define SZ_2M_	0x200000ULL
#define SZ_1G_	0x40000000ULL

static void test_leaf_level(struct kunit *test)
{
	/* Both aligned, enough slot, a 1G host page: 1G. */
	KUNIT_EXPECT_EQ(test, 3, npt_leaf_level(SZ_1G_, 4 * SZ_1G_, SZ_1G_,
						SZ_1G_));
	/* A 2M THP: 2M, however much slot is left. */
	KUNIT_EXPECT_EQ(test, 2, npt_leaf_level(SZ_1G_, 4 * SZ_1G_,
						64 * SZ_2M_, SZ_2M_));
	/* Guest 2M-aligned, host only 4K-aligned: 4K. */
	KUNIT_EXPECT_EQ(test, 1, npt_leaf_level(SZ_2M_, SZ_2M_ + SZ_4K_,
						SZ_2M_, SZ_2M_));
	/* Host aligned, guest not: 4K. */
	KUNIT_EXPECT_EQ(test, 1, npt_leaf_level(SZ_4K_, SZ_2M_, SZ_2M_,
						SZ_2M_));
	/* Slot ends before the 2M page does: 4K. */
	KUNIT_EXPECT_EQ(test, 1, npt_leaf_level(0, 0, SZ_2M_ - SZ_4K_,
						SZ_2M_));
	/* An ordinary 4K host page: 4K. */
	KUNIT_EXPECT_EQ(test, 1, npt_leaf_level(0, 0, SZ_1G_, SZ_4K_));
	/* 1G-aligned but the host page is only 2M: 2M. */
	KUNIT_EXPECT_EQ(test, 2, npt_leaf_level(0, 0, SZ_1G_, SZ_2M_));
}

static void test_entries(struct kunit *test)
{
	/* Present, writable, user, accessed, dirty; PS above 4K. */
	KUNIT_EXPECT_EQ(test, npt_make_leaf(0x12345000, 1), 0x12345067ULL);
	KUNIT_EXPECT_EQ(test, npt_make_leaf(SZ_2M_, 2), SZ_2M_ | 0xe7);
	KUNIT_EXPECT_EQ(test, NPT_TABLE_FLAGS, 0x27ULL);
	KUNIT_EXPECT_EQ(test, npt_index(0x7fffffffffffULL, 4), 255U);
	KUNIT_EXPECT_EQ(test, npt_index(SZ_1G_ + SZ_2M_, 2), 1U);
	KUNIT_EXPECT_EQ(test, npt_index(SZ_1G_ + SZ_2M_, 3), 1U);
	KUNIT_EXPECT_TRUE(test, npt_entry_is_leaf(0x87, 2));
	KUNIT_EXPECT_FALSE(test, npt_entry_is_leaf(0x07, 2));
	KUNIT_EXPECT_TRUE(test, npt_entry_is_leaf(0x07, 1));
}

static struct kunit_case npt_cases[] = {
	KUNIT_CASE(test_leaf_level),
	KUNIT_CASE(test_entries),
	{}
};

static struct kunit_suite npt_suite = {
	.name = "svmhv_npt",
	.test_cases = npt_cases,
};

kunit_test_suites(&npt_suite);
