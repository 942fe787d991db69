// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the local APIC model's registers (power-up values, writable
 * bits, read-only registers), priorities (TPR, PPR, ISR and IRR, EOI),
 * illegal vectors and the ESR, logical and physical destinations, and
 * the timer's arithmetic.
 */
#include <kunit/test.h>

#include "lapic.h"

/* This module has its own copy of the model. */
#include "lapic.c"

static u32 rd(struct vdev_lapic *apic, u32 offset)
{
	return vdev_lapic_read(apic, offset, 0);
}

static int wr(struct vdev_lapic *apic, u32 offset, u32 val)
{
	return vdev_lapic_write(apic, offset, val, 0);
}

/* An APIC with @id, software-enabled with spurious vector 0xff. */
static struct vdev_lapic *new_apic(struct kunit *test, u8 id)
{
	struct vdev_lapic *apic = kunit_kzalloc(test, sizeof(*apic),
						GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, apic);
	vdev_lapic_reset(apic, id);
	wr(apic, VDEV_LAPIC_SVR, 0x1ff);
	return apic;
}

static void test_reset(struct kunit *test)
{
	struct vdev_lapic apic;
	u32 off;

	vdev_lapic_reset(&apic, 3);
	KUNIT_EXPECT_EQ(test, rd(&apic, VDEV_LAPIC_ID), 0x03000000);
	KUNIT_EXPECT_EQ(test, rd(&apic, VDEV_LAPIC_VER), 0x00050014);
	KUNIT_EXPECT_EQ(test, rd(&apic, VDEV_LAPIC_DFR), 0xffffffff);
	KUNIT_EXPECT_EQ(test, rd(&apic, VDEV_LAPIC_SVR), 0xff);
	for (off = VDEV_LAPIC_LVT_TIMER; off <= VDEV_LAPIC_LVT_ERROR;
	     off += 0x10)
		KUNIT_EXPECT_EQ(test, rd(&apic, off), VDEV_LAPIC_LVT_MASKED);
	KUNIT_EXPECT_EQ(test, rd(&apic, VDEV_LAPIC_PPR), 0);
	KUNIT_EXPECT_EQ(test, rd(&apic, VDEV_LAPIC_TMCCT), 0);
	KUNIT_EXPECT_EQ(test, vdev_lapic_pending(&apic), -1);
	KUNIT_EXPECT_EQ(test, apic.eoi_vector, -1);
}

/* Reserved bits dropped; read-only registers and holes ignore writes. */
static void test_writable_bits(struct kunit *test)
{
	struct vdev_lapic apic;

	vdev_lapic_reset(&apic, 0);
	wr(&apic, VDEV_LAPIC_ID, 0x12345678);
	KUNIT_EXPECT_EQ(test, rd(&apic, VDEV_LAPIC_ID), 0x12000000);
	wr(&apic, VDEV_LAPIC_TPR, 0x1ff);
	KUNIT_EXPECT_EQ(test, rd(&apic, VDEV_LAPIC_TPR), 0xff);
	wr(&apic, VDEV_LAPIC_LDR, 0x12345678);
	KUNIT_EXPECT_EQ(test, rd(&apic, VDEV_LAPIC_LDR), 0x12000000);
	wr(&apic, VDEV_LAPIC_DFR, 0);
	KUNIT_EXPECT_EQ(test, rd(&apic, VDEV_LAPIC_DFR), 0x0fffffff);
	wr(&apic, VDEV_LAPIC_ICR_HI, 0xffffffff);
	KUNIT_EXPECT_EQ(test, rd(&apic, VDEV_LAPIC_ICR_HI), 0xff000000);
	wr(&apic, VDEV_LAPIC_TDCR, 0xff);
	KUNIT_EXPECT_EQ(test, rd(&apic, VDEV_LAPIC_TDCR), 0xb);

	/* Software-disabled: LVT entries stay masked. */
	wr(&apic, VDEV_LAPIC_LVT_LINT0, 0x700);
	KUNIT_EXPECT_EQ(test, rd(&apic, VDEV_LAPIC_LVT_LINT0), 0x10700);
	wr(&apic, VDEV_LAPIC_SVR, 0xffffffff);
	KUNIT_EXPECT_EQ(test, rd(&apic, VDEV_LAPIC_SVR), 0x3ff);
	wr(&apic, VDEV_LAPIC_LVT_LINT0, 0xffffffff);
	KUNIT_EXPECT_EQ(test, rd(&apic, VDEV_LAPIC_LVT_LINT0), 0x1a7ff);
	wr(&apic, VDEV_LAPIC_LVT_TIMER, 0xffffffff);
	KUNIT_EXPECT_EQ(test, rd(&apic, VDEV_LAPIC_LVT_TIMER), 0x300ff);
	wr(&apic, VDEV_LAPIC_LVT_PERF, 0x400);
	KUNIT_EXPECT_EQ(test, rd(&apic, VDEV_LAPIC_LVT_PERF), 0x400);
	wr(&apic, VDEV_LAPIC_LVT_ERROR, 0xffffffff);
	KUNIT_EXPECT_EQ(test, rd(&apic, VDEV_LAPIC_LVT_ERROR), 0x100ff);
	/* Disabling the APIC masks every entry. */
	wr(&apic, VDEV_LAPIC_SVR, 0xff);
	KUNIT_EXPECT_EQ(test, rd(&apic, VDEV_LAPIC_LVT_PERF), 0x10400);

	wr(&apic, VDEV_LAPIC_VER, 0);
	wr(&apic, VDEV_LAPIC_PPR, 0xff);
	wr(&apic, VDEV_LAPIC_IRR + 0x10, ~0U);
	wr(&apic, VDEV_LAPIC_TMCCT, 5);
	wr(&apic, 0x3f0, 5);
	KUNIT_EXPECT_EQ(test, rd(&apic, VDEV_LAPIC_VER), 0x00050014);
	KUNIT_EXPECT_EQ(test, rd(&apic, VDEV_LAPIC_PPR), 0xff);	/* the TPR */
	KUNIT_EXPECT_EQ(test, rd(&apic, VDEV_LAPIC_IRR + 0x10), 0);
	KUNIT_EXPECT_EQ(test, rd(&apic, VDEV_LAPIC_TMCCT), 0);
	KUNIT_EXPECT_EQ(test, rd(&apic, 0x3f0), 0);
	KUNIT_EXPECT_EQ(test, rd(&apic, VDEV_LAPIC_EOI), 0);
}

/* The highest class above the PPR goes first; EOI ends the highest. */
static void test_priority(struct kunit *test)
{
	struct vdev_lapic *apic = new_apic(test, 0);
	bool level;

	KUNIT_EXPECT_TRUE(test, vdev_lapic_accept(apic, 0x31, false));
	vdev_lapic_accept(apic, 0x52, false);
	vdev_lapic_accept(apic, 0x45, false);
	KUNIT_EXPECT_EQ(test, rd(apic, VDEV_LAPIC_IRR + 0x20), BIT(0x52 - 64) |
			BIT(0x45 - 64));
	KUNIT_EXPECT_EQ(test, vdev_lapic_ack(apic), 0x52);
	KUNIT_EXPECT_EQ(test, rd(apic, VDEV_LAPIC_ISR + 0x20), BIT(0x52 - 64));
	KUNIT_EXPECT_EQ(test, rd(apic, VDEV_LAPIC_PPR), 0x50);
	/* Lower and equal classes wait. */
	vdev_lapic_accept(apic, 0x55, false);
	KUNIT_EXPECT_EQ(test, vdev_lapic_pending(apic), -1);
	KUNIT_EXPECT_EQ(test, vdev_lapic_ack(apic), -1);
	/* A higher class nests. */
	vdev_lapic_accept(apic, 0x61, false);
	KUNIT_EXPECT_EQ(test, vdev_lapic_ack(apic), 0x61);
	KUNIT_EXPECT_EQ(test, rd(apic, VDEV_LAPIC_PPR), 0x60);
	KUNIT_EXPECT_EQ(test, vdev_lapic_eoi(apic, &level), 0x61);
	KUNIT_EXPECT_FALSE(test, level);
	KUNIT_EXPECT_EQ(test, rd(apic, VDEV_LAPIC_PPR), 0x50);
	KUNIT_EXPECT_EQ(test, wr(apic, VDEV_LAPIC_EOI, 0), 0);
	KUNIT_EXPECT_EQ(test, apic->eoi_vector, 0x52);
	KUNIT_EXPECT_EQ(test, vdev_lapic_pending(apic), 0x55);
	/* The TPR: its class and below wait; the PPR is the TPR. */
	wr(apic, VDEV_LAPIC_TPR, 0x5f);
	KUNIT_EXPECT_EQ(test, rd(apic, VDEV_LAPIC_PPR), 0x5f);
	KUNIT_EXPECT_EQ(test, vdev_lapic_pending(apic), -1);
	/* Requested all the same, whatever the priorities say. */
	KUNIT_EXPECT_EQ(test, vdev_lapic_highest_irr(apic), 0x55);
	wr(apic, VDEV_LAPIC_TPR, 0x4f);
	KUNIT_EXPECT_EQ(test, vdev_lapic_ack(apic), 0x55);
	/* A TPR above the vector in service makes the PPR. */
	wr(apic, VDEV_LAPIC_TPR, 0x70);
	KUNIT_EXPECT_EQ(test, rd(apic, VDEV_LAPIC_PPR), 0x70);
	wr(apic, VDEV_LAPIC_TPR, 0);
	wr(apic, VDEV_LAPIC_EOI, 0);
	KUNIT_EXPECT_EQ(test, vdev_lapic_ack(apic), 0x45);
	wr(apic, VDEV_LAPIC_EOI, 0);
	KUNIT_EXPECT_EQ(test, vdev_lapic_ack(apic), 0x31);
	wr(apic, VDEV_LAPIC_EOI, 0);
	KUNIT_EXPECT_EQ(test, vdev_lapic_pending(apic), -1);
	/* An EOI with nothing in service ends nothing. */
	KUNIT_EXPECT_EQ(test, wr(apic, VDEV_LAPIC_EOI, 0), 0);
	KUNIT_EXPECT_EQ(test, apic->eoi_vector, -1);
}

/* A level-triggered vector's EOI is for the I/O APIC too. */
static void test_eoi_level(struct kunit *test)
{
	struct vdev_lapic *apic = new_apic(test, 0);

	vdev_lapic_accept(apic, 0x80, true);
	KUNIT_EXPECT_EQ(test, rd(apic, VDEV_LAPIC_TMR + 0x40), 1);
	KUNIT_EXPECT_EQ(test, vdev_lapic_ack(apic), 0x80);
	KUNIT_EXPECT_EQ(test, wr(apic, VDEV_LAPIC_EOI, 0),
			VDEV_LAPIC_W_EOI_LEVEL);
	KUNIT_EXPECT_EQ(test, apic->eoi_vector, 0x80);
	/* The same vector edge-triggered now. */
	vdev_lapic_accept(apic, 0x80, false);
	KUNIT_EXPECT_EQ(test, rd(apic, VDEV_LAPIC_TMR + 0x40), 0);
	vdev_lapic_ack(apic);
	KUNIT_EXPECT_EQ(test, wr(apic, VDEV_LAPIC_EOI, 0), 0);
}

/* Vectors below 16 are errors, latched into the ESR by a write. */
static void test_illegal_vectors(struct kunit *test)
{
	struct vdev_lapic *apic = new_apic(test, 0);

	KUNIT_EXPECT_FALSE(test, vdev_lapic_accept(apic, 5, false));
	KUNIT_EXPECT_EQ(test, vdev_lapic_pending(apic), -1);
	KUNIT_EXPECT_EQ(test, rd(apic, VDEV_LAPIC_ESR), 0);
	wr(apic, VDEV_LAPIC_ESR, 0);
	KUNIT_EXPECT_EQ(test, rd(apic, VDEV_LAPIC_ESR),
			VDEV_LAPIC_ESR_RECV_ILLEGAL);
	wr(apic, VDEV_LAPIC_ESR, 0);
	KUNIT_EXPECT_EQ(test, rd(apic, VDEV_LAPIC_ESR), 0);

	/* Fixed and lowest priority need a vector; NMI and INIT do not. */
	KUNIT_EXPECT_EQ(test, wr(apic, VDEV_LAPIC_ICR_LO, 0x103), 0);
	KUNIT_EXPECT_EQ(test, wr(apic, VDEV_LAPIC_ICR_LO, 0x400),
			VDEV_LAPIC_W_IPI);
	KUNIT_EXPECT_EQ(test, wr(apic, VDEV_LAPIC_ICR_LO, 0x4500),
			VDEV_LAPIC_W_IPI);
	wr(apic, VDEV_LAPIC_ESR, 0);
	KUNIT_EXPECT_EQ(test, rd(apic, VDEV_LAPIC_ESR),
			VDEV_LAPIC_ESR_SEND_ILLEGAL);
	/* Delivery status (bit 12) reads as idle. */
	KUNIT_EXPECT_EQ(test, wr(apic, VDEV_LAPIC_ICR_LO, 0xffffffff),
			VDEV_LAPIC_W_IPI);
	KUNIT_EXPECT_EQ(test, rd(apic, VDEV_LAPIC_ICR_LO), 0xccfff);
}

/* A software-disabled APIC takes no fixed interrupt, as KVM's. */
static void test_disabled_drops(struct kunit *test)
{
	struct vdev_lapic *apic = new_apic(test, 0);

	wr(apic, VDEV_LAPIC_SVR, 0xff);
	KUNIT_EXPECT_FALSE(test, vdev_lapic_accept(apic, 0x40, false));
	KUNIT_EXPECT_EQ(test, vdev_lapic_pending(apic), -1);
}

static void test_destinations(struct kunit *test)
{
	/* Flat: any common bit; cluster: same cluster, a common low bit. */
	static const struct {
		u32 dfr, ldr;
		u8 mda;
		bool match;
	} logical[] = {
		{ 0xffffffff, 0x04000000, 0x04, true },
		{ 0xffffffff, 0x04000000, 0x0c, true },
		{ 0xffffffff, 0x04000000, 0x03, false },
		{ 0xffffffff, 0x04000000, 0xff, true },
		{ 0xffffffff, 0x04000000, 0x00, false },
		{ 0x0fffffff, 0x21000000, 0x21, true },
		{ 0x0fffffff, 0x21000000, 0x2f, true },
		{ 0x0fffffff, 0x21000000, 0x22, false },
		{ 0x0fffffff, 0x21000000, 0x11, false },
		{ 0x0fffffff, 0x21000000, 0xff, true },
	};
	struct vdev_lapic *apic = new_apic(test, 3);
	int i;

	KUNIT_EXPECT_TRUE(test, vdev_lapic_match_physical(apic, 3));
	KUNIT_EXPECT_FALSE(test, vdev_lapic_match_physical(apic, 4));
	KUNIT_EXPECT_TRUE(test, vdev_lapic_match_physical(apic, 0xff));
	for (i = 0; i < ARRAY_SIZE(logical); i++) {
		wr(apic, VDEV_LAPIC_DFR, logical[i].dfr);
		wr(apic, VDEV_LAPIC_LDR, logical[i].ldr);
		KUNIT_EXPECT_EQ_MSG(test, logical[i].match,
				    vdev_lapic_match_logical(apic,
							     logical[i].mda),
				    "case %d", i);
	}
}

/* The current count read at each time of @t, against what @t says. */
struct timer_read {
	u64 now_ns;
	u32 count;
};

static void expect_counts(struct kunit *test, struct vdev_lapic *apic,
			  const struct timer_read *t, int n)
{
	int i;

	for (i = 0; i < n; i++)
		KUNIT_EXPECT_EQ_MSG(test, vdev_lapic_read(apic, VDEV_LAPIC_TMCCT,
							  t[i].now_ns),
				    t[i].count, "at %llu ns", t[i].now_ns);
}

static void test_timer(struct kunit *test)
{
	static const u32 divisors[16] = {
		2, 4, 8, 16, 2, 4, 8, 16, 32, 64, 128, 1, 32, 64, 128, 1,
	};
	/* 1000 counts of 2 ns from t = 100: down by one each 2 ns. */
	static const struct timer_read one_shot[] = {
		{ 100, 1000 }, { 101, 1000 }, { 1100, 500 }, { 2099, 1 },
		{ 2100, 0 }, { 9000, 0 },
	};
	static const struct timer_read periodic[] = {
		{ 2600, 750 }, { 4100, 1000 }, { 4101, 1000 }, { 6099, 1 },
	};
	struct vdev_lapic *apic = new_apic(test, 0);
	u32 tdcr;

	for (tdcr = 0; tdcr < 16; tdcr++)
		KUNIT_EXPECT_EQ_MSG(test, vdev_lapic_timer_divisor(tdcr),
				    divisors[tdcr], "tdcr %u", tdcr);

	/* One-shot. */
	KUNIT_EXPECT_EQ(test, wr(apic, VDEV_LAPIC_LVT_TIMER, 0xef),
			VDEV_LAPIC_W_TIMER);
	KUNIT_EXPECT_EQ(test, wr(apic, VDEV_LAPIC_TDCR, 0),
			VDEV_LAPIC_W_TIMER);
	KUNIT_EXPECT_EQ(test, vdev_lapic_write(apic, VDEV_LAPIC_TMICT, 1000,
					       100), VDEV_LAPIC_W_TIMER);
	KUNIT_EXPECT_EQ(test, vdev_lapic_timer_period_ns(apic), 2000);
	expect_counts(test, apic, one_shot, ARRAY_SIZE(one_shot));
	/* Periodic: reloaded each period. */
	wr(apic, VDEV_LAPIC_LVT_TIMER, VDEV_LAPIC_TIMER_PERIODIC | 0xef);
	expect_counts(test, apic, periodic, ARRAY_SIZE(periodic));
	/* Divide by 1; a zero initial count stops it. */
	wr(apic, VDEV_LAPIC_TDCR, 0xb);
	KUNIT_EXPECT_EQ(test, vdev_lapic_timer_period_ns(apic), 1000);
	wr(apic, VDEV_LAPIC_TMICT, 0);
	KUNIT_EXPECT_EQ(test, vdev_lapic_timer_period_ns(apic), 0);
	KUNIT_EXPECT_EQ(test, vdev_lapic_read(apic, VDEV_LAPIC_TMCCT, 5000), 0);
}

/* Expiries: a one-shot timer's once, a periodic one's every period. */
static void test_timer_expiry(struct kunit *test)
{
	const u32 periodic = VDEV_LAPIC_TIMER_PERIODIC | 0x41;
	struct vdev_lapic *apic = new_apic(test, 0);

	wr(apic, VDEV_LAPIC_TDCR, 0xb);			/* divide by 1 */
	wr(apic, VDEV_LAPIC_LVT_TIMER, 0x40);		/* one-shot */
	KUNIT_EXPECT_EQ(test, vdev_lapic_timer_deadline(apic),
			VDEV_LAPIC_NO_DEADLINE);
	vdev_lapic_write(apic, VDEV_LAPIC_TMICT, 1000, 500);
	KUNIT_EXPECT_EQ(test, vdev_lapic_timer_deadline(apic), 1500);
	KUNIT_EXPECT_FALSE(test, vdev_lapic_timer_advance(apic, 1499));
	KUNIT_EXPECT_TRUE(test, vdev_lapic_timer_advance(apic, 1500));
	KUNIT_EXPECT_EQ(test, vdev_lapic_pending(apic), 0x40);
	KUNIT_EXPECT_EQ(test, vdev_lapic_timer_deadline(apic),
			VDEV_LAPIC_NO_DEADLINE);
	KUNIT_EXPECT_FALSE(test, vdev_lapic_timer_advance(apic, 99999));

	/* Periodic: never faster than the minimum; missed periods merge. */
	wr(apic, VDEV_LAPIC_LVT_TIMER, periodic);
	vdev_lapic_write(apic, VDEV_LAPIC_TMICT, 1000, 10000);
	KUNIT_EXPECT_EQ(test, vdev_lapic_timer_deadline(apic),
			10000 + VDEV_LAPIC_MIN_PERIOD_NS);
	vdev_lapic_write(apic, VDEV_LAPIC_TMICT, 1000000, 10000);
	KUNIT_EXPECT_EQ(test, vdev_lapic_timer_deadline(apic), 1010000);
	KUNIT_EXPECT_TRUE(test, vdev_lapic_timer_advance(apic, 3500000));
	KUNIT_EXPECT_EQ(test, vdev_lapic_timer_deadline(apic), 4010000);
	/* Masked, it goes on expiring and raises nothing. */
	wr(apic, VDEV_LAPIC_LVT_TIMER, VDEV_LAPIC_LVT_MASKED | periodic);
	KUNIT_EXPECT_FALSE(test, vdev_lapic_timer_advance(apic, 4010000));
	KUNIT_EXPECT_EQ(test, vdev_lapic_timer_deadline(apic), 5010000);
	/* A new divisor: the 750000 counts left, at 2 ns each from now. */
	vdev_lapic_write(apic, VDEV_LAPIC_TDCR, 0, 5260000);
	KUNIT_EXPECT_EQ(test, vdev_lapic_timer_deadline(apic), 6760000);
	KUNIT_EXPECT_EQ(test, vdev_lapic_read(apic, VDEV_LAPIC_TMCCT, 5260000),
			750000);
	/* A zero initial count stops it. */
	vdev_lapic_write(apic, VDEV_LAPIC_TMICT, 0, 6000000);
	KUNIT_EXPECT_EQ(test, vdev_lapic_timer_deadline(apic),
			VDEV_LAPIC_NO_DEADLINE);
}

static struct kunit_case lapic_cases[] = {
	KUNIT_CASE(test_reset),
	KUNIT_CASE(test_writable_bits),
	KUNIT_CASE(test_priority),
	KUNIT_CASE(test_eoi_level),
	KUNIT_CASE(test_illegal_vectors),
	KUNIT_CASE(test_disabled_drops),
	KUNIT_CASE(test_destinations),
	KUNIT_CASE(test_timer),
	KUNIT_CASE(test_timer_expiry),
	{}
};

static struct kunit_suite lapic_suite = {
	.name = "svmhv_vdev_lapic",
	.test_cases = lapic_cases,
};

kunit_test_suites(&lapic_suite);
