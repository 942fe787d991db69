// SPDX-License-Identifier: GPL-2.0
/*
 * The 8254, after Intel's 82C54 datasheet.  A channel's count and OUT
 * are functions of the ticks d counted since its count was loaded (or
 * since the gate triggered or restarted it), for a count N:
 *
 *	mode	counter		OUT high when		OUT rises at d =
 *	0, 1	N - d		d >= N			N
 *	2	N - d % N	d % N != N - 1		N, 2N, 3N, ...
 *	3	N - 2d % N	d % N < (N + 1) / 2	N, 2N, 3N, ...
 *	4, 5	N - d		d != N			N + 1
 *
 * The gate (channel 2's is port 0x61 bit 0, the others' is tied high)
 * stops modes 0 and 4 where they are, stops modes 2 and 3 with OUT high
 * and restarts them on its rising edge, and triggers modes 1 and 5.
 */
#include <linux/bcd.h>
#include <linux/math64.h>
#include <linux/time64.h>

#include "pit.h"

/* Port 0x61 bit 4 toggles with each DRAM refresh, every 15.085 us. */
#define PIT_REFRESH_NS		15085

static u64 ns_to_ticks(u64 ns)
{
	return mul_u64_u32_div(ns, VDEV_PIT_HZ, NSEC_PER_SEC);
}

/* The first time at which ns_to_ticks() reaches @ticks. */
static u64 ticks_to_ns(u64 ticks)
{
	u64 ns = mul_u64_u32_div(ticks, NSEC_PER_SEC, VDEV_PIT_HZ);

	return ns_to_ticks(ns) < ticks ? ns + 1 : ns;
}

static bool ch_triggered_mode(const struct vdev_pit_channel *c)
{
	return c->mode == 1 || c->mode == 5;
}

static bool ch_stopped(const struct vdev_pit_channel *c)
{
	return !c->gate && !ch_triggered_mode(c);
}

/* Ticks counted so far. */
static u64 ch_ticks(const struct vdev_pit_channel *c, u64 now)
{
	if (!c->running)
		return 0;
	if (ch_stopped(c) || now <= c->start_ns)
		return c->base;
	return c->base + ns_to_ticks(now - c->start_ns);
}

static u32 ch_modulus(const struct vdev_pit_channel *c)
{
	return c->bcd ? 10000 : 0x10000;
}

/* The counter, as a binary number below ch_modulus(). */
static u32 ch_counter(const struct vdev_pit_channel *c, u64 now)
{
	u32 n = c->count, m = ch_modulus(c);
	u64 d = ch_ticks(c, now);

	if (!c->running)
		return n % m;
	switch (c->mode) {
	case 2:
		return (n - (u32)do_div(d, n)) % m;
	case 3:
		d *= 2;
		return (n - (u32)do_div(d, n)) % m;
	default:
		return (n + m - (u32)do_div(d, m)) % m;
	}
}

static u16 ch_encode(const struct vdev_pit_channel *c, u32 v)
{
	if (!c->bcd)
		return v;
	return bin2bcd(v / 100) << 8 | bin2bcd(v % 100);
}

static bool ch_out(const struct vdev_pit_channel *c, u64 now)
{
	u32 n = c->count;
	u64 d;

	if (!c->running)
		return c->mode != 0;
	if (ch_stopped(c) && (c->mode == 2 || c->mode == 3))
		return true;
	d = ch_ticks(c, now);
	switch (c->mode) {
	case 0:
	case 1:
		return d >= n;
	case 2:
		return do_div(d, n) != n - 1;
	case 3:
		return do_div(d, n) < (n + 1) / 2;
	default:
		return d != n;
	}
}

/* The first tick after @after at which OUT rises, or VDEV_PIT_NONE. */
static u64 ch_next_edge(const struct vdev_pit_channel *c, u64 after)
{
	u32 n = c->count;

	if (!c->running || ch_stopped(c))
		return VDEV_PIT_NONE;
	switch (c->mode) {
	case 0:
	case 1:
		return after < n ? n : VDEV_PIT_NONE;
	case 2:
	case 3:
		return (div_u64(after, n) + 1) * n;
	default:
		return after < n + 1 ? n + 1 : VDEV_PIT_NONE;
	}
}

static void ch_rearm(struct vdev_pit_channel *c, u64 now)
{
	c->irq_tick = ch_next_edge(c, ch_ticks(c, now));
}

static void ch_load(struct vdev_pit_channel *c, u16 raw, u64 now)
{
	u32 m = ch_modulus(c);
	u32 n = c->bcd ? bcd2bin(raw >> 8) * 100 + bcd2bin(raw & 0xff) : raw;

	n %= m;
	c->count = n ? n : m;
	c->armed = true;
	c->base = 0;
	c->start_ns = now;
	/* Modes 1 and 5 wait for a rising gate. */
	c->running = !ch_triggered_mode(c);
	ch_rearm(c, now);
}

/* A control word for this channel: mode, access and BCD; counting stops. */
static void ch_control(struct vdev_pit_channel *c, u8 val)
{
	u8 mode = (val >> 1) & 7;

	c->mode = mode > 5 ? mode - 4 : mode;	/* 6, 7 alias 2, 3 */
	c->access = (val >> 4) & 3;
	c->bcd = val & 1;
	c->armed = false;
	c->running = false;
	c->write_msb = false;
	c->read_msb = false;
	c->latched = 0;
	c->status_latched = false;
	c->irq_tick = VDEV_PIT_NONE;
}

static void ch_latch_count(struct vdev_pit_channel *c, u64 now)
{
	if (c->latched)
		return;
	c->latch = ch_encode(c, ch_counter(c, now));
	c->latched = c->access == 3 ? 2 : 1;
}

static void ch_latch_status(struct vdev_pit_channel *c, u64 now)
{
	bool null_count = !c->armed || !c->running;

	if (c->status_latched)
		return;
	c->status = ch_out(c, now) << 7 | null_count << 6 | c->access << 4 |
		    c->mode << 1 | c->bcd;
	c->status_latched = true;
}

static u8 ch_read(struct vdev_pit_channel *c, u64 now)
{
	bool msb;
	u16 v;

	if (c->status_latched) {
		c->status_latched = false;
		return c->status;
	}
	if (c->latched) {
		msb = c->access == 2 || (c->access == 3 && c->latched == 1);
		c->latched--;
		return msb ? c->latch >> 8 : c->latch & 0xff;
	}
	v = ch_encode(c, ch_counter(c, now));
	if (c->access == 3) {
		msb = c->read_msb;
		c->read_msb = !msb;
	} else {
		msb = c->access == 2;
	}
	return msb ? v >> 8 : v & 0xff;
}

static void ch_write(struct vdev_pit_channel *c, u8 val, u64 now)
{
	switch (c->access) {
	case 1:
		ch_load(c, val, now);
		break;
	case 2:
		ch_load(c, val << 8, now);
		break;
	default:
		if (c->write_msb) {
			c->write_msb = false;
			ch_load(c, c->write_lsb | val << 8, now);
			break;
		}
		c->write_lsb = val;
		c->write_msb = true;
		/* Mode 0: the first byte stops the count, OUT low. */
		if (c->mode == 0) {
			c->running = false;
			c->irq_tick = VDEV_PIT_NONE;
		}
		break;
	}
}

static void ch_set_gate(struct vdev_pit_channel *c, bool gate, u64 now)
{
	if (gate == c->gate)
		return;
	/* Fold the ticks so far into base: counting goes on from there. */
	c->base = ch_ticks(c, now);
	c->start_ns = now;
	c->gate = gate;
	if (gate && c->armed && c->mode != 0 && c->mode != 4) {
		c->base = 0;		/* restart (2, 3) or trigger (1, 5) */
		c->running = true;
	}
	ch_rearm(c, now);
}

/* Control word to port 0x43. */
static void pit_command(struct vdev_pit *pit, u8 val, u64 now)
{
	struct vdev_pit_channel *c;
	int i;

	if (val >> 6 == 3) {
		/* Read-back: bit 5 clear latches counts, bit 4 clear status. */
		for (i = 0; i < 3; i++) {
			if (!(val & (2 << i)))
				continue;
			if (!(val & 0x20))
				ch_latch_count(&pit->ch[i], now);
			if (!(val & 0x10))
				ch_latch_status(&pit->ch[i], now);
		}
		return;
	}
	c = &pit->ch[val >> 6];
	if (!(val & 0x30))
		ch_latch_count(c, now);		/* counter latch command */
	else
		ch_control(c, val);
}

/**
 * vdev_pit_reset() - power-on state.
 * @pit: the timer; its @irq line is kept
 * @now: the time
 *
 * No channel counts until programmed; channels 0 and 1 have their gates
 * high, channel 2 low (port 0x61 reads 0).
 */
void vdev_pit_reset(struct vdev_pit *pit, u64 now)
{
	int i;

	for (i = 0; i < 3; i++)
		pit->ch[i] = (struct vdev_pit_channel){
			.count = 0x10000, .access = 3, .gate = i != 2,
			.start_ns = now, .irq_tick = VDEV_PIT_NONE,
		};
	pit->port61 = 0;
	pit->irq_ns = 0;
	pit->irqs = 0;
	pit->merged = 0;
	pit->owed = 0;
	pit->counted = 0;
}

/**
 * vdev_pit_read() - IN from port 0x40-0x43 or 0x61.
 * @pit: the timer
 * @port: the port
 * @now: the time
 *
 * Return: a latched status, else a latched count byte, else a byte of
 * the running count (LSB, MSB, or alternately as programmed); 0xFF for
 * the write-only control port; for port 0x61 the gate and speaker bits
 * as written, the refresh toggle and channel 2's OUT.
 */
u8 vdev_pit_read(struct vdev_pit *pit, u16 port, u64 now)
{
	u8 v;

	if (port == VDEV_PIT_PORT61) {
		v = pit->port61;
		if (div_u64(now, PIT_REFRESH_NS) & 1)
			v |= VDEV_PORT61_REFRESH;
		if (ch_out(&pit->ch[2], now))
			v |= VDEV_PORT61_OUT2;
		return v;
	}
	if (port == VDEV_PIT_CMD)
		return 0xff;
	return ch_read(&pit->ch[port - VDEV_PIT_CH0], now);
}

/**
 * vdev_pit_write() - OUT to port 0x40-0x43 or 0x61.
 * @pit: the timer
 * @port: the port
 * @val: the byte
 * @now: the time
 *
 * IRQ 0 edges already due are raised first, so a reprogrammed channel 0
 * loses none.
 */
void vdev_pit_write(struct vdev_pit *pit, u16 port, u8 val, u64 now)
{
	vdev_pit_advance(pit, now);
	/* Channel 0 programmed anew: what the old period owed is gone. */
	if (port == VDEV_PIT_CH0 ||
	    (port == VDEV_PIT_CMD && !(val >> 6) && (val & 0x30)))
		pit->owed = 0;
	if (port == VDEV_PIT_PORT61) {
		pit->port61 = val & 0x0f;
		ch_set_gate(&pit->ch[2], val & VDEV_PORT61_GATE2, now);
	} else if (port == VDEV_PIT_CMD) {
		pit_command(pit, val, now);
	} else {
		ch_write(&pit->ch[port - VDEV_PIT_CH0], val, now);
	}
}

/**
 * vdev_pit_out() - a channel's OUT at @now.
 * @pit: the timer
 * @ch: 0-2
 * @now: the time
 *
 * Return: the level.
 */
bool vdev_pit_out(const struct vdev_pit *pit, int ch, u64 now)
{
	return ch_out(&pit->ch[ch], now);
}

/**
 * vdev_pit_count() - a channel's counter at @now, as a latch would read it.
 * @pit: the timer
 * @ch: 0-2
 * @now: the time
 *
 * Return: the counter (BCD digits in BCD mode).
 */
u16 vdev_pit_count(const struct vdev_pit *pit, int ch, u64 now)
{
	return ch_encode(&pit->ch[ch], ch_counter(&pit->ch[ch], now));
}

/**
 * vdev_pit_deadline() - when channel 0 next raises IRQ 0.
 * @pit: the timer
 *
 * Never sooner than VDEV_PIT_MIN_IRQ_NS after the last one.
 *
 * Return: the time, or VDEV_PIT_NONE when channel 0 will not.
 */
u64 vdev_pit_deadline(const struct vdev_pit *pit)
{
	const struct vdev_pit_channel *c = &pit->ch[0];
	u64 ns;

	if (c->irq_tick == VDEV_PIT_NONE)
		return VDEV_PIT_NONE;
	ns = c->start_ns + ticks_to_ns(c->irq_tick - c->base);
	if (pit->irqs && ns < pit->irq_ns + VDEV_PIT_MIN_IRQ_NS)
		ns = pit->irq_ns + VDEV_PIT_MIN_IRQ_NS;
	return ns;
}

/**
 * vdev_pit_periodic() - does channel 0 tick at a rate a guest may count?
 * @pit: the timer
 *
 * Return: true in modes 2 and 3 with a period of at least
 * VDEV_PIT_MIN_IRQ_NS (a shorter one is merged on purpose).
 */
bool vdev_pit_periodic(const struct vdev_pit *pit)
{
	const struct vdev_pit_channel *c = &pit->ch[0];

	return (c->mode == 2 || c->mode == 3) &&
	       c->irq_tick != VDEV_PIT_NONE &&
	       ticks_to_ns(c->count) >= VDEV_PIT_MIN_IRQ_NS;
}

/**
 * vdev_pit_advance() - raise IRQ 0 if channel 0's OUT rose by @now.
 * @pit: the timer
 * @now: the time
 *
 * One pulse on IRQ 0 (1, then 0: the PIC latches the edge) however many
 * periods passed since the last call; the others count as merged.
 */
void vdev_pit_advance(struct vdev_pit *pit, u64 now)
{
	struct vdev_pit_channel *c = &pit->ch[0];
	u64 d;

	if (c->irq_tick == VDEV_PIT_NONE)
		return;
	d = ch_ticks(c, now);
	if (d < c->irq_tick)
		return;
	if (c->mode == 2 || c->mode == 3)
		pit->merged += div_u64(d - c->irq_tick, c->count);
	c->irq_tick = ch_next_edge(c, d);
	pit->irqs++;
	pit->irq_ns = now;
	vdev_irq_drive(&pit->irq, 1);
	vdev_irq_drive(&pit->irq, 0);
}
