// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: vdev as svm/ will drive it: port routing and ownership, byte
 * splitting of wider accesses, the devices' lines into the PIC and the
 * PIC's INTA, the PIT's deadline, the notifications, reset requests.
 */
#include <kunit/resource.h>
#include <kunit/test.h>

#include "vdev.h"

/*
 * This module has its own copy of vdev.c; the devices' code comes from
 * the copies their tests include (pic_test.c, pit_test.c, ...).
 */
#include "vdev.c"

#define T0		1000000000ULL
#define T_WALL		(1709214356ULL * NSEC_PER_SEC)	/* 2024-02-29 */

struct events {
	unsigned int devices;		/* for new_vdev() */
	unsigned int ev[8];
	int n;
};

static void rec_notify(void *ctx, unsigned int events)
{
	struct events *e = ctx;

	if (e->n < ARRAY_SIZE(e->ev))
		e->ev[e->n] = events;
	e->n++;
}

static int vdev_res_init(struct kunit_resource *res, void *context)
{
	struct events *e = context;

	res->data = vdev_create(e->devices, rec_notify, e, T0);
	return res->data ? 0 : -ENOMEM;
}

static void vdev_res_free(struct kunit_resource *res)
{
	vdev_destroy(res->data);
}

/* A vdev freed when the test ends, passed or not. */
static struct vdev *new_vdev(struct kunit *test, unsigned int devices,
			     struct events *e)
{
	struct vdev *vd;

	e->devices = devices;
	vd = kunit_alloc_resource(test, vdev_res_init, vdev_res_free,
				  GFP_KERNEL, e);
	KUNIT_ASSERT_NOT_NULL(test, vd);
	vd->wall_offset_ns = T_WALL - T0;	/* the wall clock is given */
	return vd;
}

static void outb(struct kunit *test, struct vdev *vd, u16 port, u8 v,
		 u64 now)
{
	u32 val = v;

	KUNIT_ASSERT_EQ(test, vdev_pio(vd, port, 1, true, &val, now),
			VDEV_HANDLED);
}

static u32 inx(struct vdev *vd, u16 port, int size, u64 now)
{
	u32 val = 0xdeadbeef;

	if (vdev_pio(vd, port, size, false, &val, now) != VDEV_HANDLED)
		return 0xdeadbeef;
	return val;
}

/* init_8259A(0), then IRQ 0, the cascade and IRQ 4 unmasked. */
static void pic_init(struct kunit *test, struct vdev *vd)
{
	static const u8 seq[][2] = {
		{ 0x21, 0xff }, { 0x20, 0x11 }, { 0x21, 0x30 }, { 0x21, 0x04 },
		{ 0x21, 0x01 }, { 0xa0, 0x11 }, { 0xa1, 0x38 }, { 0xa1, 0x02 },
		{ 0xa1, 0x01 }, { 0x21, 0xea }, { 0xa1, 0xff },
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(seq); i++)
		outb(test, vd, seq[i][0], seq[i][1], T0);
}

static void test_routing(struct kunit *test)
{
	struct events e = {};
	struct vdev *vd = new_vdev(test, VDEV_ALL, &e);
	u32 val = 0x12;

	/* Not vdev's: the PCI config ports, the i8042 data port, COM2. */
	KUNIT_EXPECT_EQ(test, vdev_pio(vd, 0xcf8, 4, false, &val, T0), 0);
	KUNIT_EXPECT_EQ(test, vdev_pio(vd, 0xcfc, 1, false, &val, T0), 0);
	KUNIT_EXPECT_EQ(test, vdev_pio(vd, 0x60, 1, false, &val, T0), 0);
	KUNIT_EXPECT_EQ(test, vdev_pio(vd, 0x2f8, 1, true, &val, T0), 0);
	KUNIT_EXPECT_EQ(test, vdev_pio(vd, 0xcf9, 2, true, &val, T0), 0);
	KUNIT_EXPECT_EQ(test, vdev_pio(vd, 0x20, 3, false, &val, T0), 0);
	KUNIT_EXPECT_EQ(test, val, 0x12);
	/* The delay ports take anything and read all ones. */
	KUNIT_EXPECT_EQ(test, vdev_pio(vd, 0x80, 1, true, &val, T0), 1);
	KUNIT_EXPECT_EQ(test, vdev_pio(vd, 0xed, 1, true, &val, T0), 1);
	KUNIT_EXPECT_EQ(test, inx(vd, 0x80, 1, T0), 0xff);
	/* A word access is two byte accesses: both ELCRs at once. */
	val = 0x0c20;
	KUNIT_EXPECT_EQ(test, vdev_pio(vd, 0x4d0, 2, true, &val, T0), 1);
	KUNIT_EXPECT_EQ(test, vd->pic.chip[0].elcr, 0x20);
	KUNIT_EXPECT_EQ(test, vd->pic.chip[1].elcr, 0x0c);
	KUNIT_EXPECT_EQ(test, inx(vd, 0x4d0, 2, T0), 0x0c20);
	/* Bytes past vdev's ports read 0xFF: 0x4D1, 0x4D2, 0x4D3. */
	KUNIT_EXPECT_EQ(test, inx(vd, 0x4d1, 4, T0), 0xffffff0c);
	/* RTC through the ports, at the given wall-clock time. */
	outb(test, vd, 0x70, 0x09, T0);
	KUNIT_EXPECT_EQ(test, inx(vd, 0x71, 1, T0), 0x24);
	outb(test, vd, 0x70, 0x00, T0 + 4 * NSEC_PER_SEC);
	KUNIT_EXPECT_EQ(test, inx(vd, 0x71, 1, T0 + 4 * NSEC_PER_SEC), 0x00);
	KUNIT_EXPECT_EQ(test, e.n, 0);
}

/* A VM with only the PIC: the PIT's ports go to userspace until enabled. */
static void test_enable(struct kunit *test)
{
	struct events e = {};
	struct vdev *vd = new_vdev(test, VDEV_PIC, &e);
	u32 val = 0x34;

	KUNIT_EXPECT_EQ(test, vdev_pio(vd, 0x43, 1, true, &val, T0), 0);
	KUNIT_EXPECT_EQ(test, vdev_pio(vd, 0x3f8, 1, true, &val, T0), 0);
	KUNIT_EXPECT_EQ(test, vdev_pio(vd, 0x64, 1, true, &val, T0), 0);
	KUNIT_EXPECT_EQ(test, vdev_next_deadline(vd), VDEV_NO_DEADLINE);
	KUNIT_EXPECT_EQ(test, vdev_uart_rx_push(vd, "x", 1), 0);
	KUNIT_EXPECT_EQ(test, vdev_uart_rx_room(vd), 0);
	vdev_enable(vd, VDEV_PIT);
	KUNIT_EXPECT_EQ(test, vdev_pio(vd, 0x43, 1, true, &val, T0), 1);
	/* No PIC: no INTR, whatever the lines do. */
	vd = new_vdev(test, VDEV_PIT, &e);
	vdev_irq_line(vd, 0, 1);
	KUNIT_EXPECT_FALSE(test, vdev_intr(vd));
	KUNIT_EXPECT_EQ(test, vdev_pending_irq(vd), -1);
}

/* The timer tick end to end: PIT deadline, IRQ 0, INTA, EOI. */
static void test_timer_irq(struct kunit *test)
{
	struct events e = {};
	struct vdev *vd = new_vdev(test, VDEV_ALL, &e);
	u64 dl;

	pic_init(test, vd);
	KUNIT_EXPECT_EQ(test, vdev_pending_irq(vd), -1);
	outb(test, vd, 0x43, 0x34, T0);
	outb(test, vd, 0x40, 4773 & 0xff, T0);
	outb(test, vd, 0x40, 4773 >> 8, T0);
	dl = vdev_next_deadline(vd);
	KUNIT_EXPECT_EQ(test, dl, T0 + DIV_ROUND_UP_ULL(4773 * NSEC_PER_SEC,
							VDEV_PIT_HZ));
	vdev_advance(vd, dl - 1);
	KUNIT_EXPECT_FALSE(test, vdev_intr(vd));
	KUNIT_EXPECT_EQ(test, e.n, 0);
	vdev_advance(vd, dl);
	KUNIT_EXPECT_TRUE(test, vdev_intr(vd));
	KUNIT_ASSERT_EQ(test, e.n, 1);
	KUNIT_EXPECT_EQ(test, e.ev[0], VDEV_EV_INTR);
	KUNIT_EXPECT_EQ(test, vdev_pending_irq(vd), 0x30);
	KUNIT_EXPECT_EQ(test, vdev_pending_irq(vd), -1);	/* in service */
	/* The next tick is pending behind the ISR until the EOI. */
	vdev_advance(vd, vdev_next_deadline(vd));
	KUNIT_EXPECT_FALSE(test, vdev_intr(vd));
	outb(test, vd, 0x20, 0x20, vdev_next_deadline(vd) - 1);
	KUNIT_EXPECT_EQ(test, vdev_pending_irq(vd), 0x30);
	/* KVM_IRQ_LINE: edge on IRQ 3 (masked: latched, no INTR). */
	KUNIT_EXPECT_EQ(test, vdev_irq_line(vd, 16, 1), 0);	/* no route */
	KUNIT_EXPECT_EQ(test, vdev_irq_line(vd, 3, 1), 1);
	KUNIT_EXPECT_EQ(test, inx(vd, 0x20, 1, T0) & 0x08, 0x08);
	KUNIT_EXPECT_FALSE(test, vdev_intr(vd));
}

/*
 * KVM_SET_GSI_ROUTING: a new table replaces the whole old one, for
 * KVM_IRQ_LINE and for the devices' own lines (the PIT's GSI 0).
 */
static void test_gsi_routing(struct kunit *test)
{
	struct kvm_irq_routing_entry ent = {
		.gsi = 40, .type = KVM_IRQ_ROUTING_IRQCHIP,
		.u.irqchip = { .irqchip = KVM_IRQCHIP_PIC_MASTER, .pin = 4 },
	};
	struct events e = {};
	struct vdev *vd = new_vdev(test, VDEV_ALL, &e);
	struct vdev_routing *rt = vdev_routing_build(&ent, 1);

	KUNIT_ASSERT_FALSE(test, IS_ERR(rt));
	pic_init(test, vd);
	vdev_routing_free(vdev_set_routing(vd, rt));
	/* GSI 0 goes nowhere now, the PIT's ticks included. */
	KUNIT_EXPECT_EQ(test, vdev_irq_line(vd, 0, 1), 0);
	outb(test, vd, 0x43, 0x34, T0);
	outb(test, vd, 0x40, 4773 & 0xff, T0);
	outb(test, vd, 0x40, 4773 >> 8, T0);
	vdev_advance(vd, vdev_next_deadline(vd));
	KUNIT_EXPECT_EQ(test, inx(vd, 0x20, 1, T0), 0);
	KUNIT_EXPECT_FALSE(test, vdev_intr(vd));
	/* GSI 40 is the master's input 4. */
	KUNIT_EXPECT_EQ(test, vdev_irq_line(vd, 40, 1), 1);
	KUNIT_ASSERT_EQ(test, e.n, 1);
	KUNIT_EXPECT_EQ(test, e.ev[0], VDEV_EV_INTR);
	KUNIT_EXPECT_EQ(test, vdev_pending_irq(vd), 0x34);
}

/*
 * Ticks the guest could not take (we looked late; an edge came while the
 * last still waited in the PIC) are owed and given one at a time, each
 * once the guest took the last; none while IRQ 0 is masked, none after
 * channel 0 is programmed anew.
 */
static void test_timer_owed(struct kunit *test)
{
	struct events e = {};
	struct vdev *vd = new_vdev(test, VDEV_ALL, &e);
	u64 period = DIV_ROUND_UP_ULL(4773 * NSEC_PER_SEC, VDEV_PIT_HZ), t;
	int taken = 0;

	pic_init(test, vd);
	outb(test, vd, 0x43, 0x34, T0);
	outb(test, vd, 0x40, 4773 & 0xff, T0);
	outb(test, vd, 0x40, 4773 >> 8, T0);
	/* 5.5 periods late: one edge now, four owed. */
	t = T0 + period * 11 / 2;
	vdev_advance(vd, t);
	KUNIT_EXPECT_EQ(test, vd->pit.owed, 4);
	KUNIT_EXPECT_NE(test, vdev_next_deadline(vd), 0);
	while (vdev_pending_irq(vd) == 0x30 && taken < 10) {
		taken++;
		/* Taken (INTA): the next owed one is due at once. */
		KUNIT_EXPECT_EQ(test, vdev_next_deadline(vd) == 0,
				vd->pit.owed != 0);
		outb(test, vd, 0x20, 0x20, t);		/* EOI */
		vdev_advance(vd, t);
	}
	KUNIT_EXPECT_EQ(test, taken, 5);
	KUNIT_EXPECT_EQ(test, vd->pit.owed, 0);

	/* The next edge waits untaken; the one after it is owed. */
	t = vdev_next_deadline(vd);
	vdev_advance(vd, t);
	KUNIT_EXPECT_TRUE(test, vdev_intr(vd));
	t = vdev_next_deadline(vd);
	vdev_advance(vd, t);
	KUNIT_EXPECT_EQ(test, vd->pit.owed, 1);
	KUNIT_EXPECT_EQ(test, vdev_pending_irq(vd), 0x30);
	outb(test, vd, 0x20, 0x20, t);
	vdev_advance(vd, t);
	KUNIT_EXPECT_EQ(test, vd->pit.owed, 0);
	KUNIT_EXPECT_EQ(test, vdev_pending_irq(vd), 0x30);
	outb(test, vd, 0x20, 0x20, t);

	/* Masked: nothing owed, however late. */
	outb(test, vd, 0x21, 0xeb, t);
	t += 10 * period;
	vdev_advance(vd, t);
	KUNIT_EXPECT_EQ(test, vd->pit.owed, 0);
	outb(test, vd, 0x21, 0xea, t);
	vdev_pending_irq(vd);
	outb(test, vd, 0x20, 0x20, t);

	/* Programmed anew: the old period's debt is dropped. */
	t += 3 * period;
	vdev_advance(vd, t);
	KUNIT_EXPECT_GT(test, vd->pit.owed, 0);
	outb(test, vd, 0x43, 0x34, t);
	KUNIT_EXPECT_EQ(test, vd->pit.owed, 0);
}

/* The UART's IRQ 4 through the PIC; output drained, input pushed. */
static void test_uart_irq(struct kunit *test)
{
	struct events e = {};
	struct vdev *vd = new_vdev(test, VDEV_ALL, &e);
	u8 buf[8];
	int i;

	pic_init(test, vd);
	outb(test, vd, 0x3f8 + 3, 0x03, T0);
	/* FIFOs off: one byte of room; in loopback mode none. */
	KUNIT_EXPECT_EQ(test, vdev_uart_rx_room(vd), 1);
	outb(test, vd, 0x3f8 + 4, 0x10, T0);
	KUNIT_EXPECT_EQ(test, vdev_uart_rx_room(vd), 0);
	outb(test, vd, 0x3f8 + 2, 0x07, T0);
	outb(test, vd, 0x3f8 + 4, 0x0b, T0);		/* DTR, RTS, OUT2 */
	outb(test, vd, 0x3f8 + 1, 0x01, T0);		/* received data */
	KUNIT_EXPECT_FALSE(test, vdev_intr(vd));
	KUNIT_EXPECT_EQ(test, vdev_uart_rx_room(vd), VDEV_UART_FIFO);
	KUNIT_EXPECT_EQ(test, vdev_uart_rx_push(vd, "ok", 2), 2);
	KUNIT_EXPECT_EQ(test, vdev_uart_rx_room(vd), VDEV_UART_FIFO - 2);
	KUNIT_ASSERT_EQ(test, e.n, 1);
	KUNIT_EXPECT_EQ(test, e.ev[0], VDEV_EV_INTR);
	KUNIT_EXPECT_EQ(test, vdev_pending_irq(vd), 0x34);
	KUNIT_EXPECT_EQ(test, inx(vd, 0x3f8, 1, T0), 'o');
	KUNIT_EXPECT_EQ(test, inx(vd, 0x3f8, 1, T0), 'k');
	outb(test, vd, 0x20, 0x64, T0);
	KUNIT_EXPECT_FALSE(test, vdev_intr(vd));
	/* Output: buffered, drained in order; EV_TX at half full. */
	outb(test, vd, 0x3f8, 'h', T0);
	outb(test, vd, 0x3f8, 'i', T0);
	KUNIT_EXPECT_EQ(test, vdev_uart_tx_pending(vd), 2);
	KUNIT_EXPECT_EQ(test, vdev_uart_tx_drain(vd, buf, sizeof(buf)), 2);
	KUNIT_EXPECT_EQ(test, memcmp(buf, "hi", 2), 0);
	for (i = 0; i < VDEV_TX_MARK - 1; i++)
		outb(test, vd, 0x3f8, '.', T0);
	KUNIT_EXPECT_EQ(test, e.n, 1);
	outb(test, vd, 0x3f8, '.', T0);
	KUNIT_ASSERT_EQ(test, e.n, 2);
	KUNIT_EXPECT_EQ(test, e.ev[1], VDEV_EV_TX);
	for (i = 0; i < VDEV_TX_MARK; i++)
		outb(test, vd, 0x3f8, '.', T0);
	KUNIT_ASSERT_EQ(test, e.n, 3);			/* full */
	KUNIT_EXPECT_EQ(test, e.ev[2], VDEV_EV_TX);
}

/* Linux's reboot: i8042 (waiting for bit 1 clear), then CF9. */
static void test_reset(struct kunit *test)
{
	struct events e = {};
	struct vdev *vd = new_vdev(test, VDEV_ALL, &e);
	u8 cf9;

	KUNIT_EXPECT_EQ(test, inx(vd, 0x64, 1, T0) & 0x02, 0);
	outb(test, vd, 0x64, 0xd1, T0);			/* not a reset */
	KUNIT_EXPECT_FALSE(test, vdev_reset_requested(vd));
	outb(test, vd, 0x64, 0xfe, T0);
	KUNIT_EXPECT_TRUE(test, vdev_reset_requested(vd));
	KUNIT_ASSERT_EQ(test, e.n, 1);
	KUNIT_EXPECT_EQ(test, e.ev[0], VDEV_EV_RESET);
	vdev_reset(vd, T0);
	KUNIT_EXPECT_FALSE(test, vdev_reset_requested(vd));
	/* BOOT_CF9_FORCE, cold: inb, |2, then |6 resets. */
	cf9 = inx(vd, 0xcf9, 1, T0) & ~0x0e;
	outb(test, vd, 0xcf9, cf9 | 0x02, T0);
	KUNIT_EXPECT_FALSE(test, vdev_reset_requested(vd));
	KUNIT_EXPECT_EQ(test, inx(vd, 0xcf9, 1, T0), 0x02);
	outb(test, vd, 0xcf9, cf9 | 0x0e, T0);
	KUNIT_EXPECT_TRUE(test, vdev_reset_requested(vd));
	/* The reset leaves the PIC uninitialized and masked. */
	pic_init(test, vd);
	vdev_reset(vd, T0);
	KUNIT_EXPECT_EQ(test, inx(vd, 0x21, 1, T0), 0xff);
	KUNIT_EXPECT_EQ(test, vd->pic.chip[0].base, 0x08);
}

static struct kunit_case vdev_cases[] = {
	KUNIT_CASE(test_routing),
	KUNIT_CASE(test_enable),
	KUNIT_CASE(test_timer_irq),
	KUNIT_CASE(test_gsi_routing),
	KUNIT_CASE(test_timer_owed),
	KUNIT_CASE(test_uart_irq),
	KUNIT_CASE(test_reset),
	{}
};

static struct kunit_suite vdev_suite = {
	.name = "svmhv_vdev",
	.test_cases = vdev_cases,
};

kunit_test_suites(&vdev_suite);
