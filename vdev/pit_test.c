// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the 8254 as Linux programs it: channel 0 periodic in mode 2
 * (pit_set_periodic()), one-shot in mode 0 and mode 4 (pit_set_oneshot(),
 * pit_next_event()), counts read back through the latch command and the
 * read-back command; channel 2 gated through port 0x61 as
 * pit_calibrate_tsc() and quick_pit_calibrate() use it.  Time is given,
 * never measured.
 */
#include <kunit/test.h>

#include "pit.h"
#include "vdev_kunit.h"

/* This module has its own copy of the PIT. */
#include "pit.c"

#define T0		1000000000ULL	/* any start */
#define PERIOD		4773		/* Linux's PIT_LATCH at HZ=250 */
#define CAL_LATCH	59659		/* pit_calibrate_tsc(): 50 ms */

/* The first ns at which @ticks PIT ticks have passed since @t. */
static u64 after(u64 t, u64 ticks)
{
	return t + DIV_ROUND_UP_ULL(ticks * NSEC_PER_SEC, VDEV_PIT_HZ);
}

static u64 at(u64 ticks)
{
	return after(T0, ticks);
}

static struct vdev_pit *new_pit(struct kunit *test, struct irq_rec *rec)
{
	struct vdev_pit *pit = kunit_kzalloc(test, sizeof(*pit), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, pit);
	pit->irq = (struct vdev_irq){ .set = rec_set, .ctx = rec };
	vdev_pit_reset(pit, 0);
	return pit;
}

static void out(struct vdev_pit *pit, u16 port, u8 val, u64 now)
{
	vdev_pit_write(pit, port, val, now);
}

static u8 in(struct vdev_pit *pit, u16 port, u64 now)
{
	return vdev_pit_read(pit, port, now);
}

/* i8253_read(): latch channel 0, read LSB then MSB. */
static u16 latch0(struct vdev_pit *pit, u64 now)
{
	u16 v;

	out(pit, VDEV_PIT_CMD, 0x00, now);
	v = in(pit, 0x40, now);
	return v | in(pit, 0x40, now) << 8;
}

static void test_periodic(struct kunit *test)
{
	struct irq_rec rec = {};
	struct vdev_pit *pit = new_pit(test, &rec);

	KUNIT_EXPECT_EQ(test, vdev_pit_deadline(pit), VDEV_PIT_NONE);
	out(pit, VDEV_PIT_CMD, 0x34, T0);	/* ch 0, LSB/MSB, mode 2 */
	out(pit, 0x40, PERIOD & 0xff, T0);
	out(pit, 0x40, PERIOD >> 8, T0);
	KUNIT_EXPECT_EQ(test, vdev_pit_deadline(pit), at(PERIOD));
	KUNIT_EXPECT_EQ(test, latch0(pit, T0), PERIOD);
	KUNIT_EXPECT_EQ(test, latch0(pit, at(1000)), PERIOD - 1000);
	/* OUT is low for the last tick of each period. */
	KUNIT_EXPECT_TRUE(test, vdev_pit_out(pit, 0, at(PERIOD - 2)));
	KUNIT_EXPECT_FALSE(test, vdev_pit_out(pit, 0, at(PERIOD - 1)));
	KUNIT_EXPECT_TRUE(test, vdev_pit_out(pit, 0, at(PERIOD)));

	vdev_pit_advance(pit, at(PERIOD) - 1);
	KUNIT_EXPECT_EQ(test, rec.rises, 0);
	vdev_pit_advance(pit, at(PERIOD));
	KUNIT_EXPECT_EQ(test, rec.rises, 1);
	KUNIT_EXPECT_EQ(test, rec.level, 0);		/* a pulse */
	KUNIT_EXPECT_EQ(test, latch0(pit, at(PERIOD)), PERIOD);
	vdev_pit_advance(pit, at(PERIOD) + 10);		/* once per edge */
	KUNIT_EXPECT_EQ(test, rec.rises, 1);
	KUNIT_EXPECT_EQ(test, vdev_pit_deadline(pit), at(2 * PERIOD));
	/* Late by 8.5 periods: one IRQ, the others merged. */
	vdev_pit_advance(pit, at(10 * PERIOD + PERIOD / 2));
	KUNIT_EXPECT_EQ(test, rec.rises, 2);
	KUNIT_EXPECT_EQ(test, pit->merged, 8);
	KUNIT_EXPECT_EQ(test, vdev_pit_deadline(pit), at(11 * PERIOD));
	KUNIT_EXPECT_EQ(test, latch0(pit, at(10 * PERIOD + 100)), PERIOD - 100);
}

/* The latch holds the count of when it was taken until read out. */
static void test_latch(struct kunit *test)
{
	struct irq_rec rec = {};
	struct vdev_pit *pit = new_pit(test, &rec);

	out(pit, VDEV_PIT_CMD, 0x34, T0);
	out(pit, 0x40, 0x00, T0);
	out(pit, 0x40, 0x10, T0);			/* 0x1000 */
	out(pit, VDEV_PIT_CMD, 0x00, at(0x100));
	out(pit, VDEV_PIT_CMD, 0x00, at(0x200));	/* ignored: latched */
	KUNIT_EXPECT_EQ(test, in(pit, 0x40, at(0x300)), 0x00);
	KUNIT_EXPECT_EQ(test, in(pit, 0x40, at(0x400)), 0x0f);
	/* Unlatched reads follow the count, LSB then MSB. */
	KUNIT_EXPECT_EQ(test, in(pit, 0x40, at(0x234)), 0xcc);
	KUNIT_EXPECT_EQ(test, in(pit, 0x40, at(0x234)), 0x0d);
	/* LSB-only and MSB-only access. */
	out(pit, VDEV_PIT_CMD, 0x14, T0);		/* LSB only, mode 2 */
	out(pit, 0x40, 0x80, T0);
	KUNIT_EXPECT_EQ(test, in(pit, 0x40, at(0x10)), 0x70);
	KUNIT_EXPECT_EQ(test, in(pit, 0x40, at(0x10)), 0x70);
	out(pit, VDEV_PIT_CMD, 0x24, T0);		/* MSB only */
	out(pit, 0x40, 0x12, T0);
	KUNIT_EXPECT_EQ(test, vdev_pit_count(pit, 0, T0), 0x1200);
	KUNIT_EXPECT_EQ(test, in(pit, 0x40, at(0x101)), 0x10);
	/* The control port reads nothing. */
	KUNIT_EXPECT_EQ(test, in(pit, VDEV_PIT_CMD, T0), 0xff);
}

/* Read-back: status first (OUT, null count, mode), then the count. */
static void test_read_back(struct kunit *test)
{
	struct irq_rec rec = {};
	struct vdev_pit *pit = new_pit(test, &rec);

	out(pit, VDEV_PIT_CMD, 0x34, T0);
	out(pit, VDEV_PIT_CMD, 0xe2, T0);		/* status of ch 0 */
	KUNIT_EXPECT_EQ(test, in(pit, 0x40, T0), 0xc0 | 0x34);	/* null */
	out(pit, 0x40, PERIOD & 0xff, T0);
	out(pit, 0x40, PERIOD >> 8, T0);
	out(pit, VDEV_PIT_CMD, 0xc2, at(100));		/* status and count */
	KUNIT_EXPECT_EQ(test, in(pit, 0x40, at(200)), 0x80 | 0x34);
	KUNIT_EXPECT_EQ(test, in(pit, 0x40, at(200)), (PERIOD - 100) & 0xff);
	KUNIT_EXPECT_EQ(test, in(pit, 0x40, at(200)), (PERIOD - 100) >> 8);
	/* Channel 2 too, in one command; channel 0 untouched. */
	out(pit, VDEV_PIT_CMD, 0xb0, T0);
	out(pit, 0x42, 0x34, T0);
	out(pit, 0x42, 0x12, T0);
	out(pit, VDEV_PIT_CMD, 0xd8, at(4));		/* count of ch 2 */
	/* Gate low (port 0x61 is 0): mode 0 is stopped at its count. */
	KUNIT_EXPECT_EQ(test, in(pit, 0x42, at(50)), 0x34);
	KUNIT_EXPECT_EQ(test, in(pit, 0x42, at(50)), 0x12);
	KUNIT_EXPECT_EQ(test, vdev_pit_count(pit, 2, at(50)), 0x1234);
	out(pit, 0x61, 0x01, T0);
	KUNIT_EXPECT_EQ(test, vdev_pit_count(pit, 2, at(4)), 0x1230);
}

/* Mode 0 (clockevent_i8253_disable(), then a count) and mode 4. */
static void test_oneshot(struct kunit *test)
{
	struct irq_rec rec = {};
	struct vdev_pit *pit = new_pit(test, &rec);

	out(pit, VDEV_PIT_CMD, 0x30, T0);
	KUNIT_EXPECT_FALSE(test, vdev_pit_out(pit, 0, T0));
	out(pit, 0x40, 1000 & 0xff, T0);
	KUNIT_EXPECT_EQ(test, vdev_pit_deadline(pit), VDEV_PIT_NONE);
	out(pit, 0x40, 1000 >> 8, T0);
	KUNIT_EXPECT_EQ(test, vdev_pit_deadline(pit), at(1000));
	KUNIT_EXPECT_FALSE(test, vdev_pit_out(pit, 0, at(999)));
	KUNIT_EXPECT_TRUE(test, vdev_pit_out(pit, 0, at(1000)));
	KUNIT_EXPECT_EQ(test, latch0(pit, at(400)), 600);
	vdev_pit_advance(pit, at(999));
	KUNIT_EXPECT_EQ(test, rec.rises, 0);
	vdev_pit_advance(pit, at(5000));
	KUNIT_EXPECT_EQ(test, rec.rises, 1);
	KUNIT_EXPECT_EQ(test, vdev_pit_deadline(pit), VDEV_PIT_NONE);
	/* The counter wraps and goes on; OUT stays high. */
	KUNIT_EXPECT_EQ(test, latch0(pit, at(1500)), 0x10000 - 500);
	KUNIT_EXPECT_TRUE(test, vdev_pit_out(pit, 0, at(70000)));
	/* Rewriting the count starts another shot. */
	out(pit, 0x40, 50, at(6000));
	out(pit, 0x40, 0, at(6000));
	KUNIT_EXPECT_FALSE(test, vdev_pit_out(pit, 0, at(6000)));
	KUNIT_EXPECT_EQ(test, vdev_pit_deadline(pit), after(at(6000), 50));
	vdev_pit_advance(pit, after(at(6000), 50));
	KUNIT_EXPECT_EQ(test, rec.rises, 2);
}

/* Mode 4, as pit_set_oneshot() and pit_next_event() use it. */
static void test_strobe(struct kunit *test)
{
	struct irq_rec rec = {};
	struct vdev_pit *pit = new_pit(test, &rec);

	out(pit, VDEV_PIT_CMD, 0x38, T0);
	out(pit, 0x40, 100, T0);
	out(pit, 0x40, 0, T0);
	KUNIT_EXPECT_TRUE(test, vdev_pit_out(pit, 0, at(99)));
	KUNIT_EXPECT_FALSE(test, vdev_pit_out(pit, 0, at(100)));
	KUNIT_EXPECT_TRUE(test, vdev_pit_out(pit, 0, at(101)));
	KUNIT_EXPECT_EQ(test, vdev_pit_deadline(pit), at(101));
	vdev_pit_advance(pit, at(101));
	KUNIT_EXPECT_EQ(test, rec.rises, 1);
	KUNIT_EXPECT_EQ(test, vdev_pit_deadline(pit), VDEV_PIT_NONE);
}

/* pit_calibrate_tsc(): gate on, speaker off, 50 ms in mode 0. */
static void test_calibrate(struct kunit *test)
{
	struct irq_rec rec = {};
	struct vdev_pit *pit = new_pit(test, &rec);
	u8 p61 = in(pit, 0x61, T0);
	u64 t;

	KUNIT_EXPECT_EQ(test, p61 & (VDEV_PORT61_GATE2 | VDEV_PORT61_OUT2), 0);
	out(pit, 0x61, (p61 & ~0x02) | 0x01, T0);
	out(pit, VDEV_PIT_CMD, 0xb0, T0);
	out(pit, 0x42, CAL_LATCH & 0xff, T0);
	out(pit, 0x42, CAL_LATCH >> 8, T0);
	for (t = T0; t < at(CAL_LATCH); t += 997 * NSEC_PER_USEC)
		KUNIT_ASSERT_EQ(test, in(pit, 0x61, t) & 0x20, 0);
	KUNIT_EXPECT_EQ(test, in(pit, 0x61, at(CAL_LATCH) - 1) & 0x20, 0);
	KUNIT_EXPECT_EQ(test, in(pit, 0x61, at(CAL_LATCH)) & 0x23, 0x21);
	/* Channel 2 never raises IRQ 0. */
	KUNIT_EXPECT_EQ(test, vdev_pit_deadline(pit), VDEV_PIT_NONE);
	vdev_pit_advance(pit, at(2 * CAL_LATCH));
	KUNIT_EXPECT_EQ(test, rec.rises, 0);
	/* The refresh bit toggles with time. */
	KUNIT_EXPECT_NE(test, in(pit, 0x61, 0) & 0x10,
			in(pit, 0x61, 15085) & 0x10);
}

/* quick_pit_calibrate(): mode 0 from 0xFFFF, MSB read without a latch. */
static void test_quick_calibrate(struct kunit *test)
{
	struct irq_rec rec = {};
	struct vdev_pit *pit = new_pit(test, &rec);
	int i;

	out(pit, 0x61, 0x01, T0);
	out(pit, VDEV_PIT_CMD, 0xb0, T0);
	out(pit, 0x42, 0xff, T0);
	out(pit, 0x42, 0xff, T0);
	for (i = 0; i < 255; i++) {
		u64 t = at(256 * i + 128);

		in(pit, 0x42, t);			/* LSB, ignored */
		KUNIT_ASSERT_EQ(test, in(pit, 0x42, t), 0xff - i);
	}
	/* Gate off: the count holds; on again: it goes on from there. */
	out(pit, 0x61, 0x00, at(1000));
	KUNIT_EXPECT_EQ(test, vdev_pit_count(pit, 2, at(9000)), 0xffff - 1000);
	out(pit, 0x61, 0x01, at(9000));
	KUNIT_EXPECT_EQ(test, vdev_pit_count(pit, 2, after(at(9000), 10)),
			0xffff - 1010);
}

/* Mode 2 and 3 on channel 2: gate low holds OUT high, high restarts. */
static void test_gate_restart(struct kunit *test)
{
	struct irq_rec rec = {};
	struct vdev_pit *pit = new_pit(test, &rec);

	out(pit, 0x61, 0x01, T0);
	out(pit, VDEV_PIT_CMD, 0xb6, T0);		/* ch 2, mode 3 */
	out(pit, 0x42, 100, T0);
	out(pit, 0x42, 0, T0);
	KUNIT_EXPECT_TRUE(test, in(pit, 0x61, at(49)) & 0x20);
	KUNIT_EXPECT_FALSE(test, in(pit, 0x61, at(50)) & 0x20);
	KUNIT_EXPECT_TRUE(test, in(pit, 0x61, at(100)) & 0x20);
	out(pit, 0x61, 0x00, at(160));
	KUNIT_EXPECT_TRUE(test, in(pit, 0x61, at(170)) & 0x20);
	out(pit, 0x61, 0x01, at(1000));
	KUNIT_EXPECT_TRUE(test, in(pit, 0x61, after(at(1000), 49)) & 0x20);
	KUNIT_EXPECT_FALSE(test, in(pit, 0x61, after(at(1000), 50)) & 0x20);
	/* Mode 1 waits for a rising gate, then OUT is low for the count. */
	out(pit, VDEV_PIT_CMD, 0xb2, at(2000));
	out(pit, 0x42, 10, at(2000));
	out(pit, 0x42, 0, at(2000));
	KUNIT_EXPECT_TRUE(test, in(pit, 0x61, at(2100)) & 0x20);
	out(pit, 0x61, 0x00, at(2100));
	out(pit, 0x61, 0x01, at(2200));
	KUNIT_EXPECT_FALSE(test, in(pit, 0x61, after(at(2200), 9)) & 0x20);
	KUNIT_EXPECT_TRUE(test, in(pit, 0x61, after(at(2200), 10)) & 0x20);
}

/* A tiny period raises IRQ 0 no faster than VDEV_PIT_MIN_IRQ_NS. */
static void test_min_period(struct kunit *test)
{
	struct irq_rec rec = {};
	struct vdev_pit *pit = new_pit(test, &rec);

	out(pit, VDEV_PIT_CMD, 0x14, T0);
	out(pit, 0x40, 2, T0);
	KUNIT_EXPECT_EQ(test, vdev_pit_deadline(pit), at(2));
	vdev_pit_advance(pit, at(2));
	KUNIT_EXPECT_EQ(test, rec.rises, 1);
	KUNIT_EXPECT_EQ(test, vdev_pit_deadline(pit),
			at(2) + VDEV_PIT_MIN_IRQ_NS);
}

/* BCD counting: 1000 decimal, read back as BCD digits. */
static void test_bcd(struct kunit *test)
{
	struct irq_rec rec = {};
	struct vdev_pit *pit = new_pit(test, &rec);

	out(pit, VDEV_PIT_CMD, 0x31, T0);
	out(pit, 0x40, 0x00, T0);
	out(pit, 0x40, 0x10, T0);
	KUNIT_EXPECT_EQ(test, latch0(pit, at(1)), 0x0999);
	KUNIT_EXPECT_EQ(test, vdev_pit_deadline(pit), at(1000));
}

static struct kunit_case pit_cases[] = {
	KUNIT_CASE(test_periodic),
	KUNIT_CASE(test_latch),
	KUNIT_CASE(test_read_back),
	KUNIT_CASE(test_oneshot),
	KUNIT_CASE(test_strobe),
	KUNIT_CASE(test_calibrate),
	KUNIT_CASE(test_quick_calibrate),
	KUNIT_CASE(test_gate_restart),
	KUNIT_CASE(test_min_period),
	KUNIT_CASE(test_bcd),
	{}
};

static struct kunit_suite pit_suite = {
	.name = "svmhv_vdev_pit",
	.test_cases = pit_cases,
};

kunit_test_suites(&pit_suite);
