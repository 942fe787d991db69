/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The 8254 programmable interval timer at ports 0x40-0x43, and the bits
 * of port 0x61 (the PC's "system control port B") that belong to it:
 * channel 2's gate and speaker enable, and channel 2's OUT read back in
 * bit 5, through which Linux calibrates the TSC.  Channel 0's OUT is
 * IRQ 0; channel 1 (DRAM refresh on old PCs) counts and drives nothing.
 *
 * Pure logic of explicit inputs: every call that depends on time takes
 * @now, in nanoseconds of one monotonic clock of the caller's choosing
 * (vdev.c: ktime_get_ns(), the clock of a CLOCK_MONOTONIC hrtimer).  A
 * @now that goes backwards counts as no time passed.  The caller
 * serializes calls.  The counters are not stepped: a count and OUT are
 * computed from the time since the count was loaded.
 *
 * All six modes are modelled.  Writing a new count in mode 2 or 3
 * restarts the period at once (the 8254 would finish the current one),
 * as KVM and QEMU do.
 */
#ifndef SVMHV_VDEV_PIT_H
#define SVMHV_VDEV_PIT_H

#include <linux/limits.h>
#include <linux/types.h>

#include "irq.h"

#define VDEV_PIT_HZ		1193182
#define VDEV_PIT_CH0		0x40
#define VDEV_PIT_CMD		0x43
#define VDEV_PIT_PORT61		0x61
#define VDEV_PIT_NONE		U64_MAX
/*
 * The shortest interval at which channel 0 raises IRQ 0, in ns: a guest
 * asking for more (mode 2 with a count of 2 is 600 kHz) gets its IRQs
 * merged, not a host timer storm.
 */
#define VDEV_PIT_MIN_IRQ_NS	50000
/*
 * The most channel 0 periods owed to the guest (see vdev_advance()): 4 s
 * of Linux's 250 Hz tick, so a guest stopped for longer loses the rest
 * rather than taking a storm of catch-up interrupts.
 */
#define VDEV_PIT_MAX_OWED	1000

/* Port 0x61 */
#define VDEV_PORT61_GATE2	0x01
#define VDEV_PORT61_SPKR	0x02
#define VDEV_PORT61_REFRESH	0x10
#define VDEV_PORT61_OUT2	0x20

struct vdev_pit_channel {
	u32 count;		/* the loaded count, 1-0x10000 */
	u8 mode;		/* 0-5 */
	u8 access;		/* 1 LSB, 2 MSB, 3 LSB then MSB */
	bool bcd;
	bool gate;
	bool armed;		/* a count was written since the control word */
	bool running;		/* counting (modes 1 and 5: triggered) */
	bool write_msb;		/* access 3: the next write is the MSB */
	bool read_msb;		/* access 3: the next read is the MSB */
	u8 write_lsb;
	u8 latched;		/* bytes of @latch still to read */
	u16 latch;
	bool status_latched;
	u8 status;
	u64 start_ns;		/* when the count was at tick @base */
	u64 base;		/* ticks counted before @start_ns */
	u64 irq_tick;		/* channel 0: the next OUT rising edge */
};

struct vdev_pit {
	struct vdev_pit_channel ch[3];
	u8 port61;		/* bits 3:0 as written */
	u64 irq_ns;		/* when IRQ 0 was last raised */
	u64 irqs;		/* IRQ 0 edges raised */
	u64 merged;		/* IRQ 0 edges merged into a later one */
	/* Kept by vdev.c, which sees the PIC too (vdev_advance()): */
	u64 owed;		/* periods the guest got no IRQ 0 for yet */
	u64 counted;		/* irqs + merged when it last looked */
	struct vdev_irq irq;	/* IRQ 0 */
};

void vdev_pit_reset(struct vdev_pit *pit, u64 now);
u8 vdev_pit_read(struct vdev_pit *pit, u16 port, u64 now);
void vdev_pit_write(struct vdev_pit *pit, u16 port, u8 val, u64 now);
bool vdev_pit_out(const struct vdev_pit *pit, int ch, u64 now);
u16 vdev_pit_count(const struct vdev_pit *pit, int ch, u64 now);
u64 vdev_pit_deadline(const struct vdev_pit *pit);
bool vdev_pit_periodic(const struct vdev_pit *pit);
void vdev_pit_advance(struct vdev_pit *pit, u64 now);

#endif /* SVMHV_VDEV_PIT_H */
