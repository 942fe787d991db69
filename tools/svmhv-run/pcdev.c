// SPDX-License-Identifier: GPL-2.0
/*
 * The PC devices svmhv-run emulates itself for a Linux guest on /dev/kvm,
 * whose in-kernel irqchip (KVM_CREATE_IRQCHIP, KVM_CREATE_PIT2) has the
 * PIC pair and the PIT but no UART, RTC or reset port.  On /dev/svmhv the
 * module has all of them (vdev/) and none of this runs.
 *
 * The 16550A is kept small: no baud timing (a byte written to THR is on
 * stdout at once), no line errors, no modem-status interrupt, no
 * character timeout (data in the receive FIFO interrupts at once).
 *
 * It calls nobody back: what the terminal must hear of (a byte
 * transmitted, room in the receive FIFO again) is collected in d->io
 * during an access and handed to pcdev_pio()'s caller.
 */
#include <errno.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>

#include "../lib/util.h"
#include "pcdev.h"

/* UART registers (offsets from UART_BASE) and their bits */
#define RBR		0	/* THR on write; DLL with LCR.DLAB */
#define IER		1	/* DLM with LCR.DLAB */
#define IIR		2	/* FCR on write */
#define LCR		3
#define MCR		4
#define LSR		5
#define MSR		6
#define SCR		7

#define IER_RDI		0x01
#define IER_THRI	0x02
#define IIR_NONE	0x01
#define IIR_THRI	0x02
#define IIR_RDI		0x04
#define IIR_FIFO	0xc0
#define FCR_ENABLE	0x01
#define FCR_CLEAR_RX	0x02
#define LCR_DLAB	0x80
#define MCR_DTR		0x01
#define MCR_RTS		0x02
#define MCR_OUT1	0x04
#define MCR_OUT2	0x08	/* gates the IRQ line on a PC */
#define MCR_LOOP	0x10
#define LSR_DR		0x01
#define LSR_THRE	0x20
#define LSR_TEMT	0x40
#define MSR_CTS		0x10
#define MSR_DSR		0x20
#define MSR_RI		0x40
#define MSR_DCD		0x80

/* CMOS registers */
#define RTC_SEC		0x00
#define RTC_MIN		0x02
#define RTC_HOUR	0x04
#define RTC_WDAY	0x06
#define RTC_MDAY	0x07
#define RTC_MON		0x08
#define RTC_YEAR	0x09
#define RTC_REG_A	0x0a
#define RTC_REG_B	0x0b
#define RTC_REG_C	0x0c
#define RTC_REG_D	0x0d
#define RTC_CENTURY	0x32
#define RTC_B_24H	0x02
#define RTC_B_BINARY	0x04
#define RTC_D_VRT	0x80	/* the battery is good */

#define PORT_I8042	0x64
#define I8042_RESET	0xfe
#define PORT_CF9	0xcf9
#define CF9_RESET	0x04
#define CF9_KEEP	0x0a

void pcdev_init(struct pcdev *d, int vm)
{
	*d = (struct pcdev){ .vm = vm };
	pthread_mutex_init(&d->lock, NULL);
	d->cmos[RTC_REG_A] = 0x26;	/* 32.768 kHz, 1024 Hz; UIP clear */
	d->cmos[RTC_REG_B] = RTC_B_24H;
	d->cmos[RTC_REG_D] = RTC_D_VRT;
}

static bool uart_loop(const struct pcdev *d)
{
	return d->mcr & MCR_LOOP;
}

static unsigned int uart_rx_room(const struct pcdev *d)
{
	return (d->fcr & FCR_ENABLE ? UART_FIFO : 1) - d->rx_count;
}

static uint8_t uart_iir_id(const struct pcdev *d)
{
	if ((d->ier & IER_RDI) && d->rx_count)
		return IIR_RDI;
	if ((d->ier & IER_THRI) && d->thr_ipending)
		return IIR_THRI;
	return IIR_NONE;
}

/* IRQ 4 follows the interrupt state; the PIC sees its edges. */
static void uart_update_irq(struct pcdev *d)
{
	struct kvm_irq_level irq = { .irq = UART_IRQ };
	bool level = uart_iir_id(d) != IIR_NONE && (d->mcr & MCR_OUT2) &&
		     !uart_loop(d);

	if (level == d->irq_line)
		return;
	d->irq_line = level;
	irq.level = level;
	if (ioctl(d->vm, KVM_IRQ_LINE, &irq))
		die("KVM_IRQ_LINE: %s", strerror(errno));
}

static void uart_rx_byte(struct pcdev *d, uint8_t b)
{
	if (!uart_rx_room(d))
		return;
	d->rx[(d->rx_head + d->rx_count) % UART_FIFO] = b;
	d->rx_count++;
}

static uint8_t uart_rx_pop(struct pcdev *d)
{
	uint8_t b;

	if (!d->rx_count)
		return 0;
	b = d->rx[d->rx_head];
	d->rx_head = (d->rx_head + 1) % UART_FIFO;
	d->rx_count--;
	d->io.rx_room = true;
	return b;
}

/* THR: the byte leaves at once, so THR is empty again right away. */
static void uart_transmit(struct pcdev *d, uint8_t b)
{
	if (uart_loop(d)) {
		uart_rx_byte(d, b);
	} else {
		d->io.tx = true;
		d->io.tx_byte = b;
	}
	d->thr_ipending = true;
}

static uint8_t uart_msr(const struct pcdev *d)
{
	if (!uart_loop(d))
		return MSR_DCD | MSR_DSR | MSR_CTS;
	/* Loopback wires MCR's outputs back, as Linux's probe checks. */
	return (d->mcr & MCR_RTS ? MSR_CTS : 0) |
	       (d->mcr & MCR_DTR ? MSR_DSR : 0) |
	       (d->mcr & MCR_OUT1 ? MSR_RI : 0) |
	       (d->mcr & MCR_OUT2 ? MSR_DCD : 0);
}

static uint8_t uart_read(struct pcdev *d, unsigned int reg)
{
	bool dlab = d->lcr & LCR_DLAB;
	uint8_t v;

	switch (reg) {
	case RBR:
		return dlab ? d->dll : uart_rx_pop(d);
	case IER:
		return dlab ? d->dlm : d->ier;
	case IIR:
		v = uart_iir_id(d);
		if (v == IIR_THRI)	/* reading it reports, and clears, it */
			d->thr_ipending = false;
		return v | (d->fcr & FCR_ENABLE ? IIR_FIFO : 0);
	case LCR:
		return d->lcr;
	case MCR:
		return d->mcr;
	case LSR:
		return LSR_THRE | LSR_TEMT | (d->rx_count ? LSR_DR : 0);
	case MSR:
		return uart_msr(d);
	default:
		return d->scr;
	}
}

static void uart_write(struct pcdev *d, unsigned int reg, uint8_t v)
{
	bool dlab = d->lcr & LCR_DLAB;

	switch (reg) {
	case RBR:
		if (dlab)
			d->dll = v;
		else
			uart_transmit(d, v);
		break;
	case IER:
		if (dlab) {
			d->dlm = v;
			break;
		}
		/* Enabling the THR-empty interrupt raises it: THR is empty. */
		if (!(d->ier & IER_THRI) && (v & IER_THRI))
			d->thr_ipending = true;
		d->ier = v & 0x0f;
		break;
	case IIR:			/* FCR */
		if ((v ^ d->fcr) & FCR_ENABLE || v & FCR_CLEAR_RX) {
			d->rx_head = 0;
			d->rx_count = 0;
			d->io.rx_room = true;
		}
		d->fcr = v & FCR_ENABLE ? v & 0xc9 : 0;
		break;
	case LCR:
		d->lcr = v;
		break;
	case MCR:
		d->mcr = v & 0x1f;
		break;
	case SCR:
		d->scr = v;
		break;
	default:
		break;
	}
}

static uint8_t rtc_field(const struct pcdev *d, unsigned int v)
{
	return d->cmos[RTC_REG_B] & RTC_B_BINARY ? v : (v / 10) << 4 | v % 10;
}

static uint8_t rtc_hour(const struct pcdev *d, int hour)
{
	int h12 = hour % 12 ? hour % 12 : 12;

	if (d->cmos[RTC_REG_B] & RTC_B_24H)
		return rtc_field(d, hour);
	return rtc_field(d, h12) | (hour >= 12 ? 0x80 : 0);
}

/* The clock is the host's (UTC); the guest's writes to it are ignored. */
static uint8_t rtc_read(struct pcdev *d, unsigned int reg)
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	switch (reg) {
	case RTC_SEC:
		return rtc_field(d, tm.tm_sec);
	case RTC_MIN:
		return rtc_field(d, tm.tm_min);
	case RTC_HOUR:
		return rtc_hour(d, tm.tm_hour);
	case RTC_WDAY:
		return rtc_field(d, tm.tm_wday + 1);
	case RTC_MDAY:
		return rtc_field(d, tm.tm_mday);
	case RTC_MON:
		return rtc_field(d, tm.tm_mon + 1);
	case RTC_YEAR:
		return rtc_field(d, tm.tm_year % 100);
	case RTC_CENTURY:
		return rtc_field(d, 19 + tm.tm_year / 100);
	default:
		return d->cmos[reg];
	}
}

static void rtc_write(struct pcdev *d, unsigned int reg, uint8_t v)
{
	if (reg <= RTC_YEAR || reg == RTC_CENTURY || reg == RTC_REG_C ||
	    reg == RTC_REG_D)
		return;
	if (reg == RTC_REG_A)
		v &= 0x7f;		/* UIP is read-only */
	d->cmos[reg] = v;
}

static bool system_pio(struct pcdev *d, uint16_t port, bool write,
		       uint8_t *val)
{
	switch (port) {
	case PORT_I8042:
		/*
		 * Read 0xFD: an output buffer that never empties makes
		 * Linux's i8042 probe give up at once, an empty input
		 * buffer lets its reboot path write the reset command.
		 */
		if (!write)
			*val = 0xfd;
		else if (*val == I8042_RESET)
			d->reset = true;
		return true;
	case PORT_CF9:
		if (!write) {
			*val = d->cf9;
			return true;
		}
		if (*val & CF9_RESET)
			d->reset = true;
		d->cf9 = *val & CF9_KEEP;
		return true;
	case 0x80:		/* I/O delay */
	case 0xed:
		if (!write)
			*val = 0xff;
		return true;
	default:
		return false;
	}
}

static bool pcdev_pio_locked(struct pcdev *d, uint16_t port, bool write,
			     uint8_t *val)
{
	if (port >= UART_BASE && port < UART_BASE + 8) {
		if (write)
			uart_write(d, port - UART_BASE, *val);
		else
			*val = uart_read(d, port - UART_BASE);
		uart_update_irq(d);
		return true;
	}
	if (port == 0x70) {
		if (write)
			d->cmos_index = *val & 0x7f;	/* bit 7: NMI mask */
		else
			*val = 0xff;
		return true;
	}
	if (port == 0x71) {
		if (write)
			rtc_write(d, d->cmos_index, *val);
		else
			*val = rtc_read(d, d->cmos_index);
		return true;
	}
	return system_pio(d, port, write, val);
}

/**
 * pcdev_pio() - a one-byte IN or OUT the vCPU made.
 * @d: the devices
 * @port: the port
 * @write: OUT
 * @val: the byte written, or where the byte read goes
 * @io: what the access did, for the caller to pass on to the terminal
 *
 * Return: whether one of the devices has the port.
 */
bool pcdev_pio(struct pcdev *d, uint16_t port, bool write, uint8_t *val,
	       struct pcdev_io *io)
{
	bool handled;

	pthread_mutex_lock(&d->lock);
	d->io = (struct pcdev_io){ 0 };
	handled = pcdev_pio_locked(d, port, write, val);
	*io = d->io;
	pthread_mutex_unlock(&d->lock);
	return handled;
}

/**
 * pcdev_rx_put() - bytes arriving on the UART's receive line.
 * @d: the devices
 * @buf: the bytes
 * @len: how many
 *
 * Return: how many the receive FIFO took (none in loopback mode); the
 * caller keeps the rest until a pcdev_pio() reports room (io->rx_room).
 */
size_t pcdev_rx_put(struct pcdev *d, const uint8_t *buf, size_t len)
{
	size_t n = 0;

	pthread_mutex_lock(&d->lock);
	if (!uart_loop(d)) {
		while (n < len && uart_rx_room(d))
			uart_rx_byte(d, buf[n++]);
		uart_update_irq(d);
	}
	pthread_mutex_unlock(&d->lock);
	return n;
}
