// SPDX-License-Identifier: GPL-2.0
/*
 * The 16550A, after the National Semiconductor PC16550D datasheet.
 */
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/string.h>

#include "uart.h"

static bool uart_loop(const struct vdev_uart *u)
{
	return u->mcr & VDEV_UART_MCR_LOOP;
}

static bool uart_fifo(const struct vdev_uart *u)
{
	return u->fcr & VDEV_UART_FCR_ENABLE;
}

/* The transmitter can take a byte: LSR.THRE and TEMT. */
static bool uart_tx_ready(const struct vdev_uart *u)
{
	return uart_loop(u) || u->tx_count < VDEV_UART_TX_SIZE;
}

static u8 uart_rx_room(const struct vdev_uart *u)
{
	return (uart_fifo(u) ? VDEV_UART_FIFO : 1) - u->rx_count;
}

static u8 uart_rx_trigger(const struct vdev_uart *u)
{
	static const u8 level[4] = { 1, 4, 8, 14 };

	return uart_fifo(u) ? level[u->fcr >> 6] : 1;
}

/* IIR bits 3:0: the highest-priority enabled interrupt pending. */
static u8 uart_iir_id(const struct vdev_uart *u)
{
	if ((u->ier & VDEV_UART_IER_RLSI) && u->lsr_err)
		return VDEV_UART_IIR_RLSI;
	if ((u->ier & VDEV_UART_IER_RDI) && u->rx_count)
		return u->rx_count >= uart_rx_trigger(u) ?
		       VDEV_UART_IIR_RDI : VDEV_UART_IIR_TIMEOUT;
	if ((u->ier & VDEV_UART_IER_THRI) && u->thr_ipending)
		return VDEV_UART_IIR_THRI;
	return VDEV_UART_IIR_NONE;
}

static void uart_update_irq(struct vdev_uart *u)
{
	bool level = uart_iir_id(u) != VDEV_UART_IIR_NONE &&
		     (u->mcr & VDEV_UART_MCR_OUT2) && !uart_loop(u);

	if (level == u->line)
		return;
	u->line = level;
	vdev_irq_drive(&u->irq, level);
}

static void uart_rx_byte(struct vdev_uart *u, u8 b)
{
	if (!uart_rx_room(u)) {
		u->lsr_err |= VDEV_UART_LSR_OE;
		u->rx_overrun++;
		return;
	}
	u->rx[(u->rx_head + u->rx_count) % VDEV_UART_FIFO] = b;
	u->rx_count++;
}

static u8 uart_rx_pop(struct vdev_uart *u)
{
	u8 b;

	if (!u->rx_count)
		return 0;
	b = u->rx[u->rx_head];
	u->rx_head = (u->rx_head + 1) % VDEV_UART_FIFO;
	u->rx_count--;
	return b;
}

static void uart_transmit(struct vdev_uart *u, u8 b)
{
	/* THR is full for a moment: IRQ 4 falls, then rises again below. */
	u->thr_ipending = false;
	uart_update_irq(u);
	if (uart_loop(u)) {
		uart_rx_byte(u, b);
	} else if (u->tx_count < VDEV_UART_TX_SIZE) {
		u->tx[(u->tx_head + u->tx_count) % VDEV_UART_TX_SIZE] = b;
		u->tx_count++;
	} else {
		u->tx_dropped++;
	}
	if (uart_tx_ready(u))
		u->thr_ipending = true;
}

static u8 uart_read_lsr(struct vdev_uart *u)
{
	u8 v = u->lsr_err;

	if (u->rx_count)
		v |= VDEV_UART_LSR_DR;
	if (uart_tx_ready(u))
		v |= VDEV_UART_LSR_THRE | VDEV_UART_LSR_TEMT;
	u->lsr_err = 0;
	return v;
}

/* MSR: the modem lines; in loopback, MCR's outputs wired back. */
static u8 uart_read_msr(const struct vdev_uart *u)
{
	u8 m = u->mcr;

	if (!uart_loop(u))
		return VDEV_UART_MSR_DCD | VDEV_UART_MSR_DSR | VDEV_UART_MSR_CTS;
	return (m & VDEV_UART_MCR_RTS ? VDEV_UART_MSR_CTS : 0) |
	       (m & VDEV_UART_MCR_DTR ? VDEV_UART_MSR_DSR : 0) |
	       (m & VDEV_UART_MCR_OUT1 ? VDEV_UART_MSR_RI : 0) |
	       (m & VDEV_UART_MCR_OUT2 ? VDEV_UART_MSR_DCD : 0);
}

static u8 uart_read_iir(struct vdev_uart *u)
{
	u8 id = uart_iir_id(u);

	/* Reading IIR reports a THR-empty interrupt and so clears it. */
	if (id == VDEV_UART_IIR_THRI)
		u->thr_ipending = false;
	return id | (uart_fifo(u) ? VDEV_UART_IIR_FIFO : 0);
}

/**
 * vdev_uart_reset() - power-on state: registers cleared, FIFOs off.
 * @u: the UART; its @irq line and what the TX ring holds are kept (those
 *	bytes were sent already)
 */
void vdev_uart_reset(struct vdev_uart *u)
{
	u->ier = 0;
	u->lcr = 0;
	u->mcr = 0;
	u->scr = 0;
	u->dll = 0;
	u->dlm = 0;
	u->fcr = 0;
	u->lsr_err = 0;
	u->thr_ipending = false;
	u->rx_head = 0;
	u->rx_count = 0;
	uart_update_irq(u);
}

/**
 * vdev_uart_read() - IN from the UART.
 * @u: the UART
 * @offset: 0-7 from the base port
 *
 * Reading RBR takes a byte from the receive FIFO (0 when empty); IIR
 * clears a THR-empty interrupt it reports; LSR clears the overrun bit.
 *
 * Return: the register.
 */
u8 vdev_uart_read(struct vdev_uart *u, u16 offset)
{
	bool dlab = u->lcr & VDEV_UART_LCR_DLAB;
	u8 v;

	switch (offset) {
	case VDEV_UART_RBR:
		v = dlab ? u->dll : uart_rx_pop(u);
		break;
	case VDEV_UART_IER:
		v = dlab ? u->dlm : u->ier;
		break;
	case VDEV_UART_IIR:
		v = uart_read_iir(u);
		break;
	case VDEV_UART_LCR:
		v = u->lcr;
		break;
	case VDEV_UART_MCR:
		v = u->mcr;
		break;
	case VDEV_UART_LSR:
		v = uart_read_lsr(u);
		break;
	case VDEV_UART_MSR:
		v = uart_read_msr(u);
		break;
	default:
		v = u->scr;
		break;
	}
	uart_update_irq(u);
	return v;
}

static void uart_write_ier(struct vdev_uart *u, u8 val)
{
	u8 old = u->ier;

	u->ier = val & 0x0f;
	/* Enabling the THR-empty interrupt while THR is empty raises it. */
	if (!(old & VDEV_UART_IER_THRI) && (u->ier & VDEV_UART_IER_THRI) &&
	    uart_tx_ready(u))
		u->thr_ipending = true;
}

static void uart_write_fcr(struct vdev_uart *u, u8 val)
{
	bool enable = val & VDEV_UART_FCR_ENABLE;

	/* Turning the FIFOs on or off empties them. */
	if (enable != uart_fifo(u) || (val & VDEV_UART_FCR_CLEAR_RX)) {
		u->rx_head = 0;
		u->rx_count = 0;
	}
	/* FCR_CLEAR_TX: what the ring holds is on the line already. */
	u->fcr = enable ? val & 0xc9 : 0;
}

/**
 * vdev_uart_write() - OUT to the UART.
 * @u: the UART
 * @offset: 0-7 from the base port
 * @val: the byte
 */
void vdev_uart_write(struct vdev_uart *u, u16 offset, u8 val)
{
	bool dlab = u->lcr & VDEV_UART_LCR_DLAB;

	switch (offset) {
	case VDEV_UART_RBR:
		if (dlab)
			u->dll = val;
		else
			uart_transmit(u, val);
		break;
	case VDEV_UART_IER:
		if (dlab)
			u->dlm = val;
		else
			uart_write_ier(u, val);
		break;
	case VDEV_UART_IIR:
		uart_write_fcr(u, val);
		break;
	case VDEV_UART_LCR:
		u->lcr = val;
		break;
	case VDEV_UART_MCR:
		u->mcr = val & 0x1f;
		break;
	case VDEV_UART_SCR:
		u->scr = val;
		break;
	default:
		break;			/* LSR, MSR: factory test only */
	}
	uart_update_irq(u);
}

/**
 * vdev_uart_tx_take() - take what the guest transmitted, oldest first.
 * @u: the UART
 * @buf: where to copy it
 * @len: room in @buf
 *
 * A transmitter that was busy (full ring) becomes ready, with its
 * THR-empty interrupt.
 *
 * Return: bytes copied.
 */
size_t vdev_uart_tx_take(struct vdev_uart *u, u8 *buf, size_t len)
{
	bool was_ready = uart_tx_ready(u);
	size_t n = min_t(size_t, len, u->tx_count), first;

	first = min_t(size_t, n, VDEV_UART_TX_SIZE - u->tx_head);
	memcpy(buf, u->tx + u->tx_head, first);
	memcpy(buf + first, u->tx, n - first);
	u->tx_head = (u->tx_head + n) % VDEV_UART_TX_SIZE;
	u->tx_count -= n;
	if (!was_ready && uart_tx_ready(u))
		u->thr_ipending = true;
	uart_update_irq(u);
	return n;
}

/**
 * vdev_uart_rx_put() - bytes arriving on the receive line.
 * @u: the UART
 * @buf: the bytes
 * @len: how many
 *
 * Takes what the receive FIFO (one byte with FIFOs off) has room for;
 * the caller keeps the rest for later.  In loopback mode the line is
 * disconnected and nothing is taken.
 *
 * Return: bytes taken.
 */
size_t vdev_uart_rx_put(struct vdev_uart *u, const u8 *buf, size_t len)
{
	size_t n, i;

	if (uart_loop(u))
		return 0;
	n = min_t(size_t, len, uart_rx_room(u));
	for (i = 0; i < n; i++)
		uart_rx_byte(u, buf[i]);
	uart_update_irq(u);
	return n;
}
