/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PC devices svmhv-run emulates itself for a Linux guest on /dev/kvm
 * (pcdev.c), where KVM's in-kernel irqchip has the PIC and the PIT but
 * not these: a 16550A at 0x3F8 (IRQ 4), the CMOS RTC at 0x70/0x71, reset
 * through 0x64 and 0xCF9, and the delay ports 0x80 and 0xED.
 *
 * A pure device model: it calls nobody but KVM_IRQ_LINE.  What a port
 * access leaves for the terminal (a byte transmitted, room in the receive
 * FIFO) comes back to the caller in struct pcdev_io.
 */
#ifndef SVMHV_RUN_PCDEV_H
#define SVMHV_RUN_PCDEV_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UART_BASE	0x3f8
#define UART_IRQ	4
#define UART_FIFO	16

/* What one port access did for the caller to pass on. */
struct pcdev_io {
	bool tx;			/* the UART transmitted tx_byte */
	uint8_t tx_byte;
	bool rx_room;			/* the receive FIFO has room again */
};

/*
 * @lock covers all of it: the vCPU thread's port accesses and the
 * console thread's input.
 */
struct pcdev {
	pthread_mutex_t lock;
	int vm;				/* KVM_IRQ_LINE goes here */
	/* 16550A */
	uint8_t ier, lcr, mcr, scr, dll, dlm, fcr;
	bool thr_ipending;		/* THR-empty interrupt not yet seen */
	bool irq_line;			/* IRQ 4 as last driven */
	uint8_t rx[UART_FIFO];
	unsigned int rx_head, rx_count;
	/* CMOS RTC and reset */
	uint8_t cmos_index;
	uint8_t cmos[128];
	uint8_t cf9;
	bool reset;			/* the guest asked for a reset */
	struct pcdev_io io;		/* of the access under way */
};

void pcdev_init(struct pcdev *d, int vm);
bool pcdev_pio(struct pcdev *d, uint16_t port, bool write, uint8_t *val,
	       struct pcdev_io *io);
size_t pcdev_rx_put(struct pcdev *d, const uint8_t *buf, size_t len);

#endif /* SVMHV_RUN_PCDEV_H */
