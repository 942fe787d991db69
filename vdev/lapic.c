// SPDX-License-Identifier: GPL-2.0
/*
 * A local APIC's registers and interrupt logic (lapic.h says what is
 * modelled and what is not).
 */
#include <linux/bitops.h>
#include <linux/minmax.h>
#include <linux/string.h>

#include "lapic.h"

/* The writable bits of each LVT entry, in register order. */
static const u32 vdev_lapic_lvt_bits[VDEV_LAPIC_NR_LVT] = {
	0x300ff,	/* timer: vector, mask, periodic (no TSC deadline) */
	0x107ff,	/* thermal: vector, delivery mode, mask */
	0x107ff,	/* performance counters: the same */
	0x1a7ff,	/* LINT0: and polarity, trigger mode (remote IRR is RO) */
	0x1a7ff,	/* LINT1 */
	0x100ff,	/* error: vector, mask */
};

/* ICR low: vector, delivery mode, destination mode, level, trigger, shorthand. */
#define VDEV_LAPIC_ICR_BITS	0xccfff

/**
 * vdev_lapic_reset() - the APIC after power-on or INIT.
 * @apic: the APIC
 * @apic_id: its APIC ID
 *
 * As the SDM's power-up state: everything 0 but the ID, DFR all ones
 * (flat model), SVR 0xff (software-disabled, spurious vector 0xff) and
 * every LVT entry masked.
 */
void vdev_lapic_reset(struct vdev_lapic *apic, u8 apic_id)
{
	int i;

	memset(apic, 0, sizeof(*apic));
	apic->id = (u32)apic_id << 24;
	apic->dfr = 0xffffffff;
	apic->svr = 0xff;
	apic->eoi_vector = -1;
	for (i = 0; i < VDEV_LAPIC_NR_LVT; i++)
		apic->lvt[i] = VDEV_LAPIC_LVT_MASKED;
}

/* The highest vector set in a 256-bit register, or -1. */
static int vdev_lapic_highest(const u32 *reg)
{
	int i;

	for (i = 7; i >= 0; i--)
		if (reg[i])
			return i * 32 + __fls(reg[i]);
	return -1;
}

static bool vdev_lapic_test(const u32 *reg, u8 vector)
{
	return reg[vector / 32] & BIT(vector % 32);
}

static void vdev_lapic_assign(u32 *reg, u8 vector, bool set)
{
	if (set)
		reg[vector / 32] |= BIT(vector % 32);
	else
		reg[vector / 32] &= ~BIT(vector % 32);
}

static bool vdev_lapic_enabled(const struct vdev_lapic *apic)
{
	return apic->svr & VDEV_LAPIC_SVR_ENABLE;
}

/**
 * vdev_lapic_ppr() - the processor priority.
 * @apic: the APIC
 *
 * Return: the TPR when its class is at least that of the highest vector
 * in service, else that vector's class (SDM 11.8.3.1).
 */
u32 vdev_lapic_ppr(const struct vdev_lapic *apic)
{
	int isrv = vdev_lapic_highest(apic->isr);
	u32 class = isrv < 0 ? 0 : isrv & 0xf0;

	return (apic->tpr & 0xf0) >= class ? apic->tpr & 0xff : class;
}

/* Index of the LVT entry at @offset, or -1. */
static int vdev_lapic_lvt_index(u32 offset)
{
	if (offset < VDEV_LAPIC_LVT_TIMER || offset > VDEV_LAPIC_LVT_ERROR)
		return -1;
	return (offset - VDEV_LAPIC_LVT_TIMER) >> 4;
}

/* The 256-bit register holding @offset (ISR, TMR or IRR), or NULL. */
static const u32 *vdev_lapic_bank(const struct vdev_lapic *apic, u32 offset)
{
	if (offset >= VDEV_LAPIC_ISR && offset < VDEV_LAPIC_TMR)
		return &apic->isr[(offset - VDEV_LAPIC_ISR) >> 4];
	if (offset >= VDEV_LAPIC_TMR && offset < VDEV_LAPIC_IRR)
		return &apic->tmr[(offset - VDEV_LAPIC_TMR) >> 4];
	if (offset >= VDEV_LAPIC_IRR && offset < VDEV_LAPIC_ESR)
		return &apic->irr[(offset - VDEV_LAPIC_IRR) >> 4];
	return NULL;
}

/**
 * vdev_lapic_read() - a 32-bit read of a register.
 * @apic: the APIC
 * @offset: the register's offset in the xAPIC page (16-byte aligned)
 * @now_ns: the time, for the timer's current count
 *
 * Return: the register; 0 for the write-only EOI and for offsets with no
 * register.
 */
u32 vdev_lapic_read(const struct vdev_lapic *apic, u32 offset, u64 now_ns)
{
	const u32 *bank = vdev_lapic_bank(apic, offset);
	int lvt = vdev_lapic_lvt_index(offset);

	if (bank)
		return *bank;
	if (lvt >= 0)
		return apic->lvt[lvt];
	switch (offset) {
	case VDEV_LAPIC_ID:	return apic->id;
	case VDEV_LAPIC_VER:	return VDEV_LAPIC_VERSION;
	case VDEV_LAPIC_TPR:	return apic->tpr;
	case VDEV_LAPIC_PPR:	return vdev_lapic_ppr(apic);
	case VDEV_LAPIC_LDR:	return apic->ldr;
	case VDEV_LAPIC_DFR:	return apic->dfr;
	case VDEV_LAPIC_SVR:	return apic->svr;
	case VDEV_LAPIC_ESR:	return apic->esr;
	case VDEV_LAPIC_ICR_LO:	return apic->icr_lo;
	case VDEV_LAPIC_ICR_HI:	return apic->icr_hi;
	case VDEV_LAPIC_TMICT:	return apic->tmict;
	case VDEV_LAPIC_TMCCT:	return vdev_lapic_timer_current(apic, now_ns);
	case VDEV_LAPIC_TDCR:	return apic->tdcr;
	default:		return 0;
	}
}

/* SVR: a software-disabled APIC has every LVT entry masked. */
static void vdev_lapic_write_svr(struct vdev_lapic *apic, u32 val)
{
	int i;

	apic->svr = val & 0x3ff;
	if (!vdev_lapic_enabled(apic))
		for (i = 0; i < VDEV_LAPIC_NR_LVT; i++)
			apic->lvt[i] |= VDEV_LAPIC_LVT_MASKED;
}

/* ICR low: an IPI to send, but for a fixed vector below 16. */
static int vdev_lapic_write_icr(struct vdev_lapic *apic, u32 val)
{
	u32 mode = (val >> 8) & 7;

	apic->icr_lo = val & VDEV_LAPIC_ICR_BITS;
	if (mode <= 1 && (val & 0xff) < 16) {	/* fixed, lowest priority */
		apic->esr_pending |= VDEV_LAPIC_ESR_SEND_ILLEGAL;
		return 0;
	}
	return VDEV_LAPIC_W_IPI;
}

/*
 * The time from one expiry to the next: the period, no shorter than
 * VDEV_LAPIC_MIN_PERIOD_NS in periodic mode (the current count still
 * counts at the programmed rate).
 */
static u64 vdev_lapic_timer_interval(const struct vdev_lapic *apic)
{
	u64 period = vdev_lapic_timer_period_ns(apic);

	if (period && (apic->lvt[0] & VDEV_LAPIC_TIMER_PERIODIC))
		period = max_t(u64, period, VDEV_LAPIC_MIN_PERIOD_NS);
	return period;
}

/*
 * A new divide configuration: the counts gone stay gone, the rest count
 * at the new rate from now.
 */
static void vdev_lapic_write_tdcr(struct vdev_lapic *apic, u32 val,
				  u64 now_ns)
{
	u32 left = vdev_lapic_timer_current(apic, now_ns);
	u64 tick;

	apic->tdcr = val & 0xb;
	if (!apic->timer_next_ns || !left)
		return;
	tick = (u64)vdev_lapic_timer_divisor(apic->tdcr) * VDEV_LAPIC_BUS_NS;
	apic->timer_start_ns = now_ns - (u64)(apic->tmict - left) * tick;
	apic->timer_next_ns = now_ns + left * tick;
}

/* The registers whose writes start or change the timer. */
static int vdev_lapic_write_timer(struct vdev_lapic *apic, u32 offset,
				  u32 val, u64 now_ns)
{
	if (offset == VDEV_LAPIC_TMICT) {
		apic->tmict = val;
		apic->timer_start_ns = now_ns;
		apic->timer_next_ns = val ? now_ns +
				      vdev_lapic_timer_interval(apic) : 0;
	} else {
		vdev_lapic_write_tdcr(apic, val, now_ns);
	}
	return VDEV_LAPIC_W_TIMER;
}

/**
 * vdev_lapic_write() - a 32-bit write of a register.
 * @apic: the APIC
 * @offset: the register's offset in the xAPIC page (16-byte aligned)
 * @val: the value
 * @now_ns: the time, for the timer's start
 *
 * Reserved bits are dropped; writes to read-only registers and to
 * offsets with no register are ignored.  An EOI ends the highest vector
 * in service (vdev_lapic_eoi()).
 *
 * Return: VDEV_LAPIC_W_* bits for what the caller must do next: send
 * the IPI the ICR now holds, re-arm the timer, or tell the I/O APIC of
 * the EOI of a level-triggered vector (in @apic->eoi_vector).
 */
int vdev_lapic_write(struct vdev_lapic *apic, u32 offset, u32 val,
		     u64 now_ns)
{
	int lvt = vdev_lapic_lvt_index(offset);
	bool level;

	if (lvt >= 0) {
		if (!vdev_lapic_enabled(apic))
			val |= VDEV_LAPIC_LVT_MASKED;
		apic->lvt[lvt] = val & vdev_lapic_lvt_bits[lvt];
		return lvt == 0 ? VDEV_LAPIC_W_TIMER : 0;
	}
	switch (offset) {
	case VDEV_LAPIC_ID:
		apic->id = val & 0xff000000;
		return 0;
	case VDEV_LAPIC_TPR:
		apic->tpr = val & 0xff;
		return 0;
	case VDEV_LAPIC_EOI:
		apic->eoi_vector = vdev_lapic_eoi(apic, &level);
		return apic->eoi_vector >= 0 && level ?
		       VDEV_LAPIC_W_EOI_LEVEL : 0;
	case VDEV_LAPIC_LDR:
		apic->ldr = val & 0xff000000;
		return 0;
	case VDEV_LAPIC_DFR:
		apic->dfr = val | 0x0fffffff;
		return 0;
	case VDEV_LAPIC_SVR:
		vdev_lapic_write_svr(apic, val);
		return 0;
	case VDEV_LAPIC_ESR:
		apic->esr = apic->esr_pending;
		apic->esr_pending = 0;
		return 0;
	case VDEV_LAPIC_ICR_LO:
		return vdev_lapic_write_icr(apic, val);
	case VDEV_LAPIC_ICR_HI:
		apic->icr_hi = val & 0xff000000;
		return 0;
	case VDEV_LAPIC_TMICT:
	case VDEV_LAPIC_TDCR:
		return vdev_lapic_write_timer(apic, offset, val, now_ns);
	default:
		return 0;
	}
}

/**
 * vdev_lapic_accept() - a fixed interrupt arrives.
 * @apic: the APIC
 * @vector: its vector
 * @level: level-triggered (its EOI goes to the I/O APIC)
 *
 * A software-disabled APIC drops it, as KVM's; a vector below 16 is
 * dropped with the receive-illegal-vector error.
 *
 * Return: whether it was taken into the IRR.
 */
bool vdev_lapic_accept(struct vdev_lapic *apic, u8 vector, bool level)
{
	if (!vdev_lapic_enabled(apic))
		return false;
	if (vector < 16) {
		apic->esr_pending |= VDEV_LAPIC_ESR_RECV_ILLEGAL;
		return false;
	}
	vdev_lapic_assign(apic->irr, vector, true);
	vdev_lapic_assign(apic->tmr, vector, level);
	return true;
}

/**
 * vdev_lapic_pending() - the vector the CPU would take now.
 * @apic: the APIC
 *
 * Return: the highest requested vector whose priority class is above
 * the PPR's, or -1.
 */
int vdev_lapic_pending(const struct vdev_lapic *apic)
{
	int irrv = vdev_lapic_highest(apic->irr);

	if (irrv < 0 || (irrv & 0xf0) <= (vdev_lapic_ppr(apic) & 0xf0))
		return -1;
	return irrv;
}

/**
 * vdev_lapic_highest_irr() - the highest requested vector.
 * @apic: the APIC
 *
 * Return: the vector, whatever the PPR, or -1 when none is requested.
 */
int vdev_lapic_highest_irr(const struct vdev_lapic *apic)
{
	return vdev_lapic_highest(apic->irr);
}

/**
 * vdev_lapic_ack() - the CPU takes the pending interrupt.
 * @apic: the APIC
 *
 * Return: its vector, now in service rather than requested, or -1.
 */
int vdev_lapic_ack(struct vdev_lapic *apic)
{
	int v = vdev_lapic_pending(apic);

	if (v >= 0) {
		vdev_lapic_assign(apic->irr, v, false);
		vdev_lapic_assign(apic->isr, v, true);
	}
	return v;
}

/**
 * vdev_lapic_eoi() - end the highest vector in service.
 * @apic: the APIC
 * @level: set to whether that vector was level-triggered
 *
 * Return: the vector, or -1 when none was in service.
 */
int vdev_lapic_eoi(struct vdev_lapic *apic, bool *level)
{
	int v = vdev_lapic_highest(apic->isr);

	*level = false;
	if (v < 0)
		return -1;
	vdev_lapic_assign(apic->isr, v, false);
	*level = vdev_lapic_test(apic->tmr, v);
	return v;
}

/**
 * vdev_lapic_match_logical() - is this APIC in a logical destination?
 * @apic: the APIC
 * @mda: the message destination address (ICR high bits 31:24)
 *
 * 0xff is every APIC.  Else by the DFR's model: flat, any bit of the
 * LDR's logical ID in @mda; cluster, the same cluster (high nibble) and
 * any bit of the low nibble.
 */
bool vdev_lapic_match_logical(const struct vdev_lapic *apic, u8 mda)
{
	u8 logical = apic->ldr >> 24;

	if (mda == 0xff)
		return true;
	if ((apic->dfr >> 28) == 0xf)
		return logical & mda;
	return (logical >> 4) == (mda >> 4) && (logical & mda & 0xf);
}

/**
 * vdev_lapic_match_physical() - is this APIC a physical destination?
 * @apic: the APIC
 * @dest: the destination's APIC ID; 0xff is every APIC
 */
bool vdev_lapic_match_physical(const struct vdev_lapic *apic, u8 dest)
{
	return dest == 0xff || dest == apic->id >> 24;
}

/**
 * vdev_lapic_timer_divisor() - what the divide configuration divides by.
 * @tdcr: the divide configuration register
 *
 * Bits 3, 1 and 0 make a number n: 2 << n for n 0-6, 1 for 7.
 */
u32 vdev_lapic_timer_divisor(u32 tdcr)
{
	u32 n = ((tdcr & 8) >> 1) | (tdcr & 3);

	return n == 7 ? 1 : 2U << n;
}

/**
 * vdev_lapic_timer_period_ns() - the time from the initial count to 0.
 * @apic: the APIC
 *
 * Return: nanoseconds, 0 when the initial count is 0 (timer stopped).
 */
u64 vdev_lapic_timer_period_ns(const struct vdev_lapic *apic)
{
	return (u64)apic->tmict * vdev_lapic_timer_divisor(apic->tdcr) *
	       VDEV_LAPIC_BUS_NS;
}

/**
 * vdev_lapic_timer_current() - the current count.
 * @apic: the APIC
 * @now_ns: the time
 *
 * Return: the count left until 0: down from the initial count since it
 * was written, reloaded each period in periodic mode, 0 once a one-shot
 * count has run out.
 */
u32 vdev_lapic_timer_current(const struct vdev_lapic *apic, u64 now_ns)
{
	u64 period = vdev_lapic_timer_period_ns(apic);
	u64 tick = (u64)vdev_lapic_timer_divisor(apic->tdcr) *
		   VDEV_LAPIC_BUS_NS;
	u64 elapsed = now_ns - apic->timer_start_ns;

	if (!period)
		return 0;
	if (apic->lvt[0] & VDEV_LAPIC_TIMER_PERIODIC)
		elapsed %= period;
	else if (elapsed >= period)
		return 0;
	return (period - elapsed + tick - 1) / tick;
}

/**
 * vdev_lapic_timer_deadline() - when the timer expires next.
 * @apic: the APIC
 *
 * Return: the time of the next expiry (masked or not), or
 * VDEV_LAPIC_NO_DEADLINE while it is stopped or a one-shot count ran out.
 */
u64 vdev_lapic_timer_deadline(const struct vdev_lapic *apic)
{
	return apic->timer_next_ns ?: VDEV_LAPIC_NO_DEADLINE;
}

/**
 * vdev_lapic_timer_advance() - the timer at @now_ns.
 * @apic: the APIC
 * @now_ns: the time
 *
 * An expiry that is due raises the timer's vector, unless its LVT entry
 * is masked; a periodic timer goes on from its next period after
 * @now_ns (periods missed in between raise one interrupt, as one bit in
 * the IRR would), a one-shot timer stops.
 *
 * Return: whether an interrupt was taken into the IRR.
 */
bool vdev_lapic_timer_advance(struct vdev_lapic *apic, u64 now_ns)
{
	u64 interval = vdev_lapic_timer_interval(apic);
	u32 lvt = apic->lvt[0];

	if (!apic->timer_next_ns || now_ns < apic->timer_next_ns)
		return false;
	if ((lvt & VDEV_LAPIC_TIMER_PERIODIC) && interval)
		apic->timer_next_ns += ((now_ns - apic->timer_next_ns) /
					interval + 1) * interval;
	else
		apic->timer_next_ns = 0;
	if (lvt & VDEV_LAPIC_LVT_MASKED)
		return false;
	return vdev_lapic_accept(apic, lvt & 0xff, false);
}
