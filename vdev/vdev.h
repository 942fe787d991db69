/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vdev: the in-kernel devices of one VM, the smallest set a stock Linux
 * needs to boot and keep time on one vCPU: the 8259A PIC pair, the 8254
 * PIT, a 16550A UART at 0x3F8 (IRQ 4), the CMOS RTC, reset through ports
 * 0x64 and 0xCF9, and ports 0x80/0xED (I/O delay) as no-ops.  Each device
 * is pure logic in its own file (pic.c, pit.c, uart.c, rtc.c) with KUnit
 * tests beside it; this file routes ports and lines between them.
 *
 * svm/intr.c and svm/devices.c call it:
 *   - creating a VM's devices (KVM_CREATE_IRQCHIP: VDEV_PIC; then
 *     KVM_CREATE_PIT2: vdev_enable(VDEV_PIT); the UART, RTC and system
 *     ports through uapi/svmhv.h): vdev_create(), vdev_destroy();
 *   - the IOIO exit, before going to userspace: vdev_pio().
 *     VDEV_HANDLED completes the IN/OUT in the kernel; then check
 *     vdev_reset_requested();
 *   - before each VMRUN: vdev_advance(now), then while vdev_intr():
 *     if the guest can take an interrupt (IF=1, no interrupt shadow, no
 *     event being injected), vdev_pending_irq() is the vector for
 *     EVENTINJ; else request an interrupt window (V_IRQ + VINTR);
 *   - HLT with nothing pending: sleep until vdev_next_deadline() (an
 *     hrtimer on CLOCK_MONOTONIC), a signal, or @notify's VDEV_EV_INTR.
 *     The timer may simply wake the vCPU, which then calls
 *     vdev_advance() itself; a masked IRQ 0 leaves vdev_intr() false,
 *     and the vCPU sleeps again until the next deadline;
 *   - KVM_IRQ_LINE: vdev_irq_line(), through the GSI routing table
 *     (routing.h; the devices' own lines go through it too: the PIT's
 *     is GSI 0, the UART's GSI 4); KVM_SET_GSI_ROUTING:
 *     vdev_set_routing() with a table vdev_routing_build() made;
 *   - the loader's console: vdev_uart_tx_drain() and vdev_uart_rx_push(),
 *     through the UART's file (read, write; poll also looks at
 *     vdev_uart_tx_pending() and vdev_uart_rx_room()); VDEV_EV_TX asks
 *     for a drain, and so do a vCPU about to block in HLT while
 *     vdev_uart_tx_pending() is nonzero, and KVM_RUN returning.
 *
 * Time: @now is ns of CLOCK_MONOTONIC (ktime_get_ns()), nondecreasing
 * across calls.  The RTC adds the host's wall-clock offset sampled at
 * vdev_create().
 *
 * Locking: the caller holds one per-VM lock of its choice around every
 * call, the same lock for all (it may be a spinlock: nothing here
 * sleeps, and only vdev_create() allocates).  @notify runs with it held
 * and must not call back into vdev.
 */
#ifndef SVMHV_VDEV_VDEV_H
#define SVMHV_VDEV_VDEV_H

#include <linux/limits.h>
#include <linux/types.h>

#include "pic.h"
#include "pit.h"
#include "routing.h"
#include "rtc.h"
#include "uart.h"

/* Devices, for vdev_create() and vdev_enable() */
#define VDEV_PIC		0x01	/* 0x20-0x21, 0xA0-0xA1, 0x4D0-0x4D1 */
#define VDEV_PIT		0x02	/* 0x40-0x43, 0x61 */
#define VDEV_UART		0x04	/* 0x3F8-0x3FF */
#define VDEV_RTC		0x08	/* 0x70-0x71 */
#define VDEV_SYSTEM		0x10	/* 0x64, 0xCF9, 0x80, 0xED */
#define VDEV_ALL		0x1f

/* vdev_pio() */
#define VDEV_UNHANDLED		0
#define VDEV_HANDLED		1

/* Events for @notify */
#define VDEV_EV_INTR		0x01	/* the CPU's INTR was raised */
#define VDEV_EV_TX		0x02	/* the UART's TX ring wants draining */
#define VDEV_EV_RESET		0x04	/* the guest asked for a reset */

#define VDEV_NO_DEADLINE	U64_MAX
/* VDEV_EV_TX when the ring fills past this (and when it is full). */
#define VDEV_TX_MARK		(VDEV_UART_TX_SIZE / 2)

/* Port 0x64 (i8042 command): pulse the reset line. */
#define VDEV_I8042_RESET	0xfe
/* Port 0xCF9 (reset control): bit 2 resets, bits 1 and 3 choose how. */
#define VDEV_CF9_RST_CPU	0x04
#define VDEV_CF9_KEEP		0x0a

struct vdev {
	unsigned int devices;		/* VDEV_PIC, ... */
	struct vdev_pic pic;
	struct vdev_pit pit;
	struct vdev_rtc rtc;
	struct vdev_routing *routing;	/* never NULL */
	s64 wall_offset_ns;		/* host wall clock - @now clock */
	u8 cf9;
	bool reset_requested;
	void (*notify)(void *ctx, unsigned int events);
	void *ctx;
	struct vdev_uart uart;		/* last: its TX ring is large */
};

struct vdev *vdev_create(unsigned int devices,
			 void (*notify)(void *ctx, unsigned int events),
			 void *ctx, u64 now);
void vdev_destroy(struct vdev *vd);
void vdev_enable(struct vdev *vd, unsigned int devices);
void vdev_reset(struct vdev *vd, u64 now);

int vdev_pio(struct vdev *vd, u16 port, int size, bool is_write, u32 *val,
	     u64 now);
void vdev_advance(struct vdev *vd, u64 now);
u64 vdev_next_deadline(const struct vdev *vd);
bool vdev_intr(const struct vdev *vd);
int vdev_pending_irq(struct vdev *vd);
int vdev_irq_line(struct vdev *vd, u32 gsi, int level);
struct vdev_routing *vdev_set_routing(struct vdev *vd, struct vdev_routing *rt);
bool vdev_reset_requested(const struct vdev *vd);

size_t vdev_uart_tx_drain(struct vdev *vd, u8 *buf, size_t len);
size_t vdev_uart_tx_pending(const struct vdev *vd);
size_t vdev_uart_rx_push(struct vdev *vd, const u8 *buf, size_t len);
size_t vdev_uart_rx_room(const struct vdev *vd);
void vdev_set_rtc_offset(struct vdev *vd, s64 offset_ns);

#endif /* SVMHV_VDEV_VDEV_H */
