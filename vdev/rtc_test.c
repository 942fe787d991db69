// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the CMOS RTC at a fixed wall-clock time, 2024-02-29 13:45:56
 * UTC (a Thursday), read in each register B encoding; UIP around the
 * second; the time set as Linux's mc146818_set_time() sets it; the
 * offset; the CMOS RAM.
 */
#include <kunit/test.h>

#include "rtc.h"

/* This module has its own copy of the RTC. */
#include "rtc.c"

#define T_SECS		1709214356ULL	/* 2024-02-29 13:45:56 UTC */
#define T		(T_SECS * NSEC_PER_SEC)
#define MIDNIGHT	((T_SECS - 13 * 3600 - 45 * 60 - 56) * NSEC_PER_SEC)
#define MS		NSEC_PER_MSEC

static u8 rd(struct vdev_rtc *rtc, u8 reg, u64 wall)
{
	vdev_rtc_write(rtc, VDEV_RTC_INDEX, reg, wall);
	return vdev_rtc_read(rtc, VDEV_RTC_DATA, wall);
}

static void wr(struct vdev_rtc *rtc, u8 reg, u8 val, u64 wall)
{
	vdev_rtc_write(rtc, VDEV_RTC_INDEX, reg, wall);
	vdev_rtc_write(rtc, VDEV_RTC_DATA, val, wall);
}

static struct vdev_rtc *new_rtc(struct kunit *test)
{
	struct vdev_rtc *rtc = kunit_kzalloc(test, sizeof(*rtc), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, rtc);
	vdev_rtc_init(rtc);
	return rtc;
}

static void test_bcd_time(struct kunit *test)
{
	struct vdev_rtc *rtc = new_rtc(test);
	u64 w = T + 500 * MS;

	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_SECONDS, w), 0x56);
	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_MINUTES, w), 0x45);
	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_HOURS, w), 0x13);
	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_WDAY, w), 5);
	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_MDAY, w), 0x29);
	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_MONTH, w), 0x02);
	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_YEAR, w), 0x24);
	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_CENTURY, w), 0x20);
	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_REG_A, w), 0x26);
	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_REG_B, w), 0x02);
	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_REG_C, w), 0x00);
	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_REG_D, w), 0x80);
	/* A day later, a new month (2024 is a leap year: Feb 29 first). */
	w += 86400 * NSEC_PER_SEC;
	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_MDAY, w), 0x01);
	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_MONTH, w), 0x03);
	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_WDAY, w), 6);
}

static void test_modes(struct kunit *test)
{
	struct vdev_rtc *rtc = new_rtc(test);
	u64 w = T + 500 * MS;

	wr(rtc, VDEV_RTC_REG_B, 0x06, w);		/* binary, 24 h */
	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_SECONDS, w), 56);
	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_HOURS, w), 13);
	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_MDAY, w), 29);
	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_YEAR, w), 24);
	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_CENTURY, w), 20);
	wr(rtc, VDEV_RTC_REG_B, 0x04, w);		/* binary, 12 h */
	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_HOURS, w), 0x81);
	wr(rtc, VDEV_RTC_REG_B, 0x00, w);		/* BCD, 12 h */
	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_HOURS, w), 0x81);
	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_HOURS, MIDNIGHT + 1800 * NSEC_PER_SEC),
			0x12);				/* 12:30 AM */
	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_HOURS, MIDNIGHT + 45000 * NSEC_PER_SEC),
			0x92);				/* 12:30 PM */
	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_HOURS, MIDNIGHT + 82800 * NSEC_PER_SEC),
			0x91);				/* 11 PM */
	/* Written in 12-hour BCD, read in 24-hour BCD: 7 PM is 19. */
	wr(rtc, VDEV_RTC_HOURS, 0x87, w);
	wr(rtc, VDEV_RTC_REG_B, 0x02, w);
	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_HOURS, w), 0x19);
	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_MINUTES, w), 0x45);
}

/* UIP in the last 244 us of each second; the seconds change after it. */
static void test_uip(struct kunit *test)
{
	struct vdev_rtc *rtc = new_rtc(test);
	u64 edge = T + NSEC_PER_SEC - VDEV_RTC_UIP_NS;

	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_REG_A, edge - 1), 0x26);
	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_REG_A, edge), 0xa6);
	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_SECONDS, edge), 0x56);
	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_SECONDS, T + NSEC_PER_SEC - 1), 0x56);
	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_REG_A, T + NSEC_PER_SEC), 0x26);
	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_SECONDS, T + NSEC_PER_SEC), 0x57);
	/* Writes cannot set UIP; a stopped divider or SET clears it. */
	wr(rtc, VDEV_RTC_REG_A, 0xa6, edge);
	KUNIT_EXPECT_EQ(test, rtc->cmos[VDEV_RTC_REG_A], 0x26);
	wr(rtc, VDEV_RTC_REG_A, 0x76, edge);
	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_REG_A, edge), 0x76);
	wr(rtc, VDEV_RTC_REG_A, 0x26, edge);
	wr(rtc, VDEV_RTC_REG_B, 0x82, edge);
	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_REG_A, edge), 0x26);
}

/* mc146818_set_time() on an AMD CPU: SET, the fields in BCD, SET off. */
static void test_set_time(struct kunit *test)
{
	struct vdev_rtc *rtc = new_rtc(test);
	u64 w = T + 300 * MS, w2 = T + 400 * MS;
	u8 ctl, freq;

	ctl = rd(rtc, VDEV_RTC_REG_B, w);
	wr(rtc, VDEV_RTC_REG_B, ctl | VDEV_RTC_B_SET, w);
	freq = rd(rtc, VDEV_RTC_REG_A, w);
	wr(rtc, VDEV_RTC_REG_A, freq & ~0x10, w);
	wr(rtc, VDEV_RTC_YEAR, 0x30, w);
	wr(rtc, VDEV_RTC_MONTH, 0x01, w);
	wr(rtc, VDEV_RTC_MDAY, 0x02, w);
	wr(rtc, VDEV_RTC_HOURS, 0x03, w);
	wr(rtc, VDEV_RTC_MINUTES, 0x04, w);
	wr(rtc, VDEV_RTC_SECONDS, 0x05, w);
	/* Frozen while SET. */
	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_SECONDS, w + 5 * NSEC_PER_SEC), 0x05);
	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_YEAR, w), 0x30);
	wr(rtc, VDEV_RTC_REG_B, ctl, w2);
	wr(rtc, VDEV_RTC_REG_A, freq, w2);
	/* The new second starts when SET clears. */
	w2 += 999 * MS;
	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_SECONDS, w2), 0x05);
	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_MINUTES, w2), 0x04);
	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_HOURS, w2), 0x03);
	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_MDAY, w2), 0x02);
	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_MONTH, w2), 0x01);
	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_YEAR, w2), 0x30);
	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_CENTURY, w2), 0x20);
	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_WDAY, w2), 4);	/* Wed */
	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_SECONDS, w2 + MS), 0x06);
	/* A field written without SET keeps the second going. */
	wr(rtc, VDEV_RTC_MINUTES, 0x59, w2);
	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_MINUTES, w2), 0x59);
	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_SECONDS, w2), 0x05);
	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_SECONDS, w2 + MS), 0x06);
	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_HOURS, w2 + 55 * NSEC_PER_SEC), 0x04);
}

static void test_offset(struct kunit *test)
{
	struct vdev_rtc *rtc = new_rtc(test);
	u64 w = T + 500 * MS;

	vdev_rtc_set_offset(rtc, 86400LL * NSEC_PER_SEC);
	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_MDAY, w), 0x01);
	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_MONTH, w), 0x03);
	vdev_rtc_set_offset(rtc, -600LL * NSEC_PER_MSEC);
	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_SECONDS, w), 0x55);
	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_SECONDS, w + 99 * MS), 0x55);
	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_SECONDS, w + 100 * MS), 0x56);
}

/* Port 0x70's bit 7 (NMI mask) is not part of the index; the RAM. */
static void test_ports_ram(struct kunit *test)
{
	struct vdev_rtc *rtc = new_rtc(test);
	u64 w = T + 500 * MS;

	vdev_rtc_write(rtc, VDEV_RTC_INDEX, 0x80 | VDEV_RTC_MINUTES, w);
	KUNIT_EXPECT_EQ(test, vdev_rtc_read(rtc, VDEV_RTC_DATA, w), 0x45);
	KUNIT_EXPECT_EQ(test, vdev_rtc_read(rtc, VDEV_RTC_INDEX, w), 0xff);
	wr(rtc, 0x40, 0x5a, w);
	wr(rtc, 0x7f, 0xa5, w);
	KUNIT_EXPECT_EQ(test, rd(rtc, 0x40, w), 0x5a);
	KUNIT_EXPECT_EQ(test, rd(rtc, 0x7f, w), 0xa5);
	wr(rtc, 0x01, 0x30, w);				/* alarm seconds */
	KUNIT_EXPECT_EQ(test, rd(rtc, 0x01, w), 0x30);
	wr(rtc, VDEV_RTC_REG_C, 0xff, w);
	wr(rtc, VDEV_RTC_REG_D, 0x00, w);
	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_REG_C, w), 0x00);
	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_REG_D, w), 0x80);
	/* The day of the week is counted, not stored. */
	wr(rtc, VDEV_RTC_WDAY, 1, w);
	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_WDAY, w), 5);
	KUNIT_EXPECT_EQ(test, rd(rtc, VDEV_RTC_SECONDS, w), 0x56);
}

static struct kunit_case rtc_cases[] = {
	KUNIT_CASE(test_bcd_time),
	KUNIT_CASE(test_modes),
	KUNIT_CASE(test_uip),
	KUNIT_CASE(test_set_time),
	KUNIT_CASE(test_offset),
	KUNIT_CASE(test_ports_ram),
	{}
};

static struct kunit_suite rtc_suite = {
	.name = "svmhv_vdev_rtc",
	.test_cases = rtc_cases,
};

kunit_test_suites(&rtc_suite);
