/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What linux.c (boot protocol and run loop), console.c (the terminal) and
 * pcdev.c (the PC devices svmhv-run emulates itself on /dev/kvm) share.
 */
#ifndef SVMHV_RUN_LINUX_H
#define SVMHV_RUN_LINUX_H

#include <linux/kvm.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#define UART_BASE	0x3f8
#define UART_IRQ	4
#define UART_FIFO	16

/*
 * The PC devices of a Linux guest on /dev/kvm, where KVM's in-kernel
 * irqchip has the PIC and the PIT but not these: a 16550A at 0x3F8
 * (IRQ 4), the CMOS RTC at 0x70/0x71, reset through 0x64 and 0xCF9, and
 * the delay ports 0x80 and 0xED.  @lock covers all of it: the vCPU
 * thread's port accesses and the console thread's input.
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
};

/* pcdev.c */
void pcdev_init(struct pcdev *d, int vm);
bool pcdev_pio(struct pcdev *d, uint16_t port, bool write, uint8_t *val);
size_t pcdev_rx_put(struct pcdev *d, const uint8_t *buf, size_t len);

/* console.c */
void console_init(void);
void console_start(struct kvm_run *run, int uart_fd, struct pcdev *pc);
void console_stop(void);
bool console_quit(void);
void console_rx_room(void);
void console_output(const uint8_t *buf, size_t len);

#endif /* SVMHV_RUN_LINUX_H */
