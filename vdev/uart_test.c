// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the 16550A through Linux's 8250 probe (IER scratch, loopback
 * MSR, FIFO type in IIR, FIFO size), its init (divisor latch, line and
 * modem control), the TX ring with a busy transmitter, the receive FIFO
 * and its interrupts, LSR bits and IIR priorities.
 */
#include <kunit/test.h>

#include "uart.h"
#include "vdev_kunit.h"

/* This module has its own copy of the UART. */
#include "uart.c"

static struct vdev_uart *new_uart(struct kunit *test, struct irq_rec *rec)
{
	struct vdev_uart *u = kunit_kzalloc(test, sizeof(*u), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, u);
	u->irq = (struct vdev_irq){ .set = rec_set, .ctx = rec, .irq = 4 };
	vdev_uart_reset(u);
	return u;
}

#define in(u, reg)		vdev_uart_read(u, VDEV_UART_##reg)
#define out(u, reg, v)		vdev_uart_write(u, VDEV_UART_##reg, v)

/* serial8250_do_set_termios() at 115200 8n1, FIFO at 14, MCR as startup. */
static void linux_init(struct vdev_uart *u)
{
	out(u, LCR, 0x83);			/* DLAB, 8 bits */
	out(u, RBR, 0x01);			/* DLL */
	out(u, IER, 0x00);			/* DLM */
	out(u, LCR, 0x03);
	out(u, IIR, 0xc7);			/* FCR: enable, clear, 14 */
	out(u, MCR, VDEV_UART_MCR_DTR | VDEV_UART_MCR_RTS |
		    VDEV_UART_MCR_OUT2);
}

static void test_probe(struct kunit *test)
{
	struct irq_rec rec = {};
	struct vdev_uart *u = new_uart(test, &rec);

	/* autoconfig(): IER holds 0 and 0x0F. */
	out(u, IER, 0);
	KUNIT_EXPECT_EQ(test, in(u, IER) & 0x0f, 0);
	out(u, IER, 0x0f);
	KUNIT_EXPECT_EQ(test, in(u, IER) & 0x0f, 0x0f);
	out(u, IER, 0);
	/* Loopback: RTS -> CTS, OUT2 -> DCD. */
	out(u, MCR, VDEV_UART_MCR_LOOP | 0x0a);
	KUNIT_EXPECT_EQ(test, in(u, MSR) & 0xf0, 0x90);
	out(u, MCR, VDEV_UART_MCR_LOOP | 0x05);
	KUNIT_EXPECT_EQ(test, in(u, MSR) & 0xf0, 0x60);
	out(u, MCR, 0);
	KUNIT_EXPECT_EQ(test, in(u, MSR), 0xb0);
	/* FIFOs on: IIR bits 7:6 say 16550A. */
	KUNIT_EXPECT_EQ(test, in(u, IIR), VDEV_UART_IIR_NONE);
	out(u, IIR, VDEV_UART_FCR_ENABLE);
	KUNIT_EXPECT_EQ(test, in(u, IIR) >> 6, 3);
	/* ...and no 64-byte FIFO (FCR bit 5 is not kept). */
	out(u, IIR, VDEV_UART_FCR_ENABLE | 0x20);
	KUNIT_EXPECT_EQ(test, in(u, IIR) >> 5, 6);
	/* size_fifo(): 256 bytes in loopback, 16 arrive. */
	out(u, IIR, 0x07);
	out(u, MCR, VDEV_UART_MCR_LOOP);
	{
		int i, n = 0;

		for (i = 0; i < 256; i++)
			out(u, RBR, i);
		while ((in(u, LSR) & VDEV_UART_LSR_DR) && n < 256) {
			KUNIT_EXPECT_EQ(test, in(u, RBR), n);
			n++;
		}
		KUNIT_EXPECT_EQ(test, n, 16);
	}
	KUNIT_EXPECT_EQ(test, u->tx_count, 0);		/* nothing sent */
	KUNIT_EXPECT_EQ(test, rec.rises, 0);
}

static void test_divisor(struct kunit *test)
{
	struct irq_rec rec = {};
	struct vdev_uart *u = new_uart(test, &rec);

	out(u, IER, 0x05);
	linux_init(u);
	KUNIT_EXPECT_EQ(test, in(u, LCR), 0x03);
	KUNIT_EXPECT_EQ(test, in(u, IER), 0x05);	/* DLM left IER alone */
	out(u, LCR, 0x83);
	KUNIT_EXPECT_EQ(test, in(u, RBR), 0x01);
	KUNIT_EXPECT_EQ(test, in(u, IER), 0x00);
	out(u, RBR, 0x0c);				/* 9600 */
	KUNIT_EXPECT_EQ(test, u->dll, 0x0c);
	KUNIT_EXPECT_EQ(test, u->tx_count, 0);		/* not a THR write */
	out(u, LCR, 0x03);
	out(u, SCR, 0x5a);
	KUNIT_EXPECT_EQ(test, in(u, SCR), 0x5a);
	KUNIT_EXPECT_EQ(test, in(u, MCR), 0x0b);
}

static void test_tx_ring(struct kunit *test)
{
	struct irq_rec rec = {};
	struct vdev_uart *u = new_uart(test, &rec);
	static u8 buf[VDEV_UART_TX_SIZE];
	const char *msg = "hello";
	int i;

	linux_init(u);
	KUNIT_EXPECT_EQ(test, in(u, LSR), VDEV_UART_LSR_THRE |
					  VDEV_UART_LSR_TEMT);
	for (i = 0; msg[i]; i++)
		out(u, RBR, msg[i]);
	KUNIT_EXPECT_EQ(test, vdev_uart_tx_take(u, buf, 3), 3);
	KUNIT_EXPECT_EQ(test, memcmp(buf, "hel", 3), 0);
	KUNIT_EXPECT_EQ(test, vdev_uart_tx_take(u, buf, sizeof(buf)), 2);
	KUNIT_EXPECT_EQ(test, memcmp(buf, "lo", 2), 0);
	KUNIT_EXPECT_EQ(test, vdev_uart_tx_take(u, buf, sizeof(buf)), 0);
	/* A full ring is a busy transmitter; a write then is lost. */
	for (i = 0; i < VDEV_UART_TX_SIZE; i++)
		out(u, RBR, i * 7);
	KUNIT_EXPECT_EQ(test, in(u, LSR) & 0x60, 0);
	out(u, RBR, 0xee);
	KUNIT_EXPECT_EQ(test, u->tx_dropped, 1);
	/* Draining wraps around the ring and keeps the order. */
	KUNIT_EXPECT_EQ(test, vdev_uart_tx_take(u, buf, 100), 100);
	KUNIT_EXPECT_EQ(test, in(u, LSR) & 0x60, 0x60);
	for (i = 0; i < 100; i++)
		out(u, RBR, 0x55);
	KUNIT_EXPECT_EQ(test, vdev_uart_tx_take(u, buf, sizeof(buf)),
			VDEV_UART_TX_SIZE);
	for (i = 0; i < VDEV_UART_TX_SIZE - 100; i++)
		KUNIT_ASSERT_EQ(test, buf[i], (u8)((i + 100) * 7));
	KUNIT_EXPECT_EQ(test, buf[VDEV_UART_TX_SIZE - 1], 0x55);
}

/* THR-empty: on enabling, after each byte, after a drain; IIR clears it. */
static void test_thre_irq(struct kunit *test)
{
	struct irq_rec rec = {};
	struct vdev_uart *u = new_uart(test, &rec);
	static u8 buf[VDEV_UART_TX_SIZE];
	int i;

	linux_init(u);
	KUNIT_EXPECT_EQ(test, rec.rises, 0);
	out(u, IER, VDEV_UART_IER_THRI);
	KUNIT_EXPECT_EQ(test, rec.rises, 1);
	KUNIT_EXPECT_EQ(test, in(u, IIR), 0xc2);
	KUNIT_EXPECT_EQ(test, rec.level, 0);
	KUNIT_EXPECT_EQ(test, in(u, IIR), 0xc1);
	/* Each byte written raises it again, with a new edge. */
	out(u, RBR, 'a');
	KUNIT_EXPECT_EQ(test, rec.rises, 2);
	out(u, RBR, 'b');
	KUNIT_EXPECT_EQ(test, rec.rises, 3);
	/* No edge while the ring is full; one when it drains. */
	for (i = 2; i < VDEV_UART_TX_SIZE; i++)
		out(u, RBR, 'c');
	KUNIT_EXPECT_EQ(test, rec.level, 0);
	KUNIT_EXPECT_EQ(test, in(u, IIR), 0xc1);
	i = rec.rises;
	vdev_uart_tx_take(u, buf, 1);
	KUNIT_EXPECT_EQ(test, rec.rises, i + 1);
	/* OUT2 clear: pending, but IRQ 4 stays low. */
	out(u, MCR, VDEV_UART_MCR_DTR);
	KUNIT_EXPECT_EQ(test, rec.level, 0);
	KUNIT_EXPECT_EQ(test, in(u, IIR), 0xc2);
}

static void test_rx(struct kunit *test)
{
	struct irq_rec rec = {};
	struct vdev_uart *u = new_uart(test, &rec);
	u8 many[40];
	int i;

	for (i = 0; i < sizeof(many); i++)
		many[i] = 'A' + i;
	linux_init(u);
	out(u, IER, VDEV_UART_IER_RDI);
	KUNIT_EXPECT_EQ(test, vdev_uart_rx_put(u, many, 2), 2);
	KUNIT_EXPECT_EQ(test, rec.rises, 1);
	KUNIT_EXPECT_EQ(test, in(u, LSR), 0x61);
	/* Below the trigger level (14): reported as a timeout. */
	KUNIT_EXPECT_EQ(test, in(u, IIR), 0xcc);
	KUNIT_EXPECT_EQ(test, in(u, RBR), 'A');
	KUNIT_EXPECT_EQ(test, in(u, RBR), 'B');
	KUNIT_EXPECT_EQ(test, in(u, LSR), 0x60);
	KUNIT_EXPECT_EQ(test, rec.level, 0);
	KUNIT_EXPECT_EQ(test, in(u, IIR), 0xc1);
	/* The FIFO takes 16; at the trigger level it is data available. */
	KUNIT_EXPECT_EQ(test, vdev_uart_rx_put(u, many, 40), 16);
	KUNIT_EXPECT_EQ(test, in(u, IIR), 0xc4);
	KUNIT_EXPECT_EQ(test, vdev_uart_rx_put(u, many, 40), 0);
	for (i = 0; i < 16; i++)
		KUNIT_ASSERT_EQ(test, in(u, RBR), 'A' + i);
	KUNIT_EXPECT_EQ(test, in(u, RBR), 0);		/* empty */
	/* FIFOs off: one byte of holding register. */
	out(u, IIR, 0);
	KUNIT_EXPECT_EQ(test, vdev_uart_rx_put(u, many, 40), 1);
	KUNIT_EXPECT_EQ(test, in(u, IIR), 0x04);
	KUNIT_EXPECT_EQ(test, in(u, RBR), 'A');
	/* Loopback disconnects the line. */
	out(u, MCR, VDEV_UART_MCR_LOOP);
	KUNIT_EXPECT_EQ(test, vdev_uart_rx_put(u, many, 1), 0);
}

/* Overrun in loopback; IIR priority: line status, data, THR empty. */
static void test_lsr_priority(struct kunit *test)
{
	struct irq_rec rec = {};
	struct vdev_uart *u = new_uart(test, &rec);
	int i;

	linux_init(u);
	out(u, IER, 0x07);
	in(u, IIR);				/* THR empty, reported */
	out(u, MCR, VDEV_UART_MCR_LOOP);
	for (i = 0; i < 17; i++)
		out(u, RBR, i);
	KUNIT_EXPECT_EQ(test, u->rx_overrun, 1);
	KUNIT_EXPECT_EQ(test, in(u, IIR), 0xc6);
	KUNIT_EXPECT_EQ(test, in(u, LSR), 0x63);	/* OE, then cleared */
	KUNIT_EXPECT_EQ(test, in(u, LSR), 0x61);
	KUNIT_EXPECT_EQ(test, in(u, IIR), 0xc4);
	out(u, IIR, 0x07);				/* clear RX */
	KUNIT_EXPECT_EQ(test, in(u, IIR), 0xc2);
	KUNIT_EXPECT_EQ(test, in(u, IIR), 0xc1);
	/* Loopback kept IRQ 4 low all along. */
	KUNIT_EXPECT_EQ(test, rec.rises, 1);
}

static struct kunit_case uart_cases[] = {
	KUNIT_CASE(test_probe),
	KUNIT_CASE(test_divisor),
	KUNIT_CASE(test_tx_ring),
	KUNIT_CASE(test_thre_irq),
	KUNIT_CASE(test_rx),
	KUNIT_CASE(test_lsr_priority),
	{}
};

static struct kunit_suite uart_suite = {
	.name = "svmhv_vdev_uart",
	.test_cases = uart_cases,
};

kunit_test_suites(&uart_suite);
