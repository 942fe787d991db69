/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A local APIC's registers and interrupt logic, in xAPIC layout: the
 * model behind each vCPU's in-kernel local APIC (issue 20; not yet
 * connected to the vCPUs, docs/lapic.md).
 *
 * Pure logic: the caller serializes every call and nothing here sleeps,
 * allocates or looks at the host.  Time comes in as nanoseconds on the
 * caller's clock.
 *
 * What is modelled (Intel SDM vol. 3A, chapter 11; AMD APM vol. 2,
 * chapter 16): ID, version (0x14, six LVT entries, as KVM's), TPR and
 * PPR, EOI, LDR and DFR (flat and cluster logical destinations), SVR
 * (software enable, spurious vector), ISR/TMR/IRR, ESR (illegal vectors,
 * latched on write), ICR, the six LVT entries with their writable bits
 * (all masked while the APIC is software-disabled), and the timer's
 * initial count, current count and divide configuration on a 1 GHz bus,
 * and its expiries in one-shot and periodic mode (a periodic timer no
 * faster than every 200 us, as KVM).  Not here: delivery between APICs
 * (the caller routes ICR writes), the x2APIC MSR layout, TSC-deadline
 * mode, arbitration priority.
 */
#ifndef SVMHV_VDEV_LAPIC_H
#define SVMHV_VDEV_LAPIC_H

#include <linux/limits.h>
#include <linux/types.h>

/* Register offsets in the 4 KiB xAPIC page. */
#define VDEV_LAPIC_ID		0x020
#define VDEV_LAPIC_VER		0x030
#define VDEV_LAPIC_TPR		0x080
#define VDEV_LAPIC_APR		0x090
#define VDEV_LAPIC_PPR		0x0a0
#define VDEV_LAPIC_EOI		0x0b0
#define VDEV_LAPIC_RRD		0x0c0
#define VDEV_LAPIC_LDR		0x0d0
#define VDEV_LAPIC_DFR		0x0e0
#define VDEV_LAPIC_SVR		0x0f0
#define VDEV_LAPIC_ISR		0x100	/* eight registers, 0x10 apart */
#define VDEV_LAPIC_TMR		0x180
#define VDEV_LAPIC_IRR		0x200
#define VDEV_LAPIC_ESR		0x280
#define VDEV_LAPIC_ICR_LO	0x300
#define VDEV_LAPIC_ICR_HI	0x310
#define VDEV_LAPIC_LVT_TIMER	0x320
#define VDEV_LAPIC_LVT_THERMAL	0x330
#define VDEV_LAPIC_LVT_PERF	0x340
#define VDEV_LAPIC_LVT_LINT0	0x350
#define VDEV_LAPIC_LVT_LINT1	0x360
#define VDEV_LAPIC_LVT_ERROR	0x370
#define VDEV_LAPIC_TMICT	0x380
#define VDEV_LAPIC_TMCCT	0x390
#define VDEV_LAPIC_TDCR		0x3e0

#define VDEV_LAPIC_VERSION	0x00050014	/* max LVT 5, version 0x14 */
#define VDEV_LAPIC_NR_LVT	6

#define VDEV_LAPIC_SVR_ENABLE	BIT(8)
#define VDEV_LAPIC_LVT_MASKED	BIT(16)
#define VDEV_LAPIC_TIMER_PERIODIC BIT(17)
/* Delivery mode in the LVT entries and the ICR, bits 10:8. */
#define VDEV_LAPIC_DM_MASK	(7 << 8)
#define VDEV_LAPIC_DM_FIXED	(0 << 8)
#define VDEV_LAPIC_DM_LOWEST	(1 << 8)
#define VDEV_LAPIC_DM_EXTINT	(7 << 8)
/* ICR low: logical destination mode, destination shorthand. */
#define VDEV_LAPIC_ICR_LOGICAL	BIT(11)
#define VDEV_LAPIC_ICR_LEVEL	BIT(15)
#define VDEV_LAPIC_ICR_SH_SHIFT	18
#define VDEV_LAPIC_SH_NONE	0
#define VDEV_LAPIC_SH_SELF	1
#define VDEV_LAPIC_SH_ALL	2
#define VDEV_LAPIC_SH_OTHERS	3
/* The LVT entries, in register order (vdev_lapic.lvt[]). */
#define VDEV_LAPIC_LVT_LINT0_IDX 3
/* ESR bit 6: a vector below 16 sent or received. */
#define VDEV_LAPIC_ESR_RECV_ILLEGAL	BIT(6)
#define VDEV_LAPIC_ESR_SEND_ILLEGAL	BIT(5)
/* What vdev_lapic_write() leaves the caller to do. */
#define VDEV_LAPIC_W_IPI	BIT(0)	/* send the IPI the ICR holds */
#define VDEV_LAPIC_W_TIMER	BIT(1)	/* re-arm the timer */
#define VDEV_LAPIC_W_EOI_LEVEL	BIT(2)	/* EOI of a level vector: eoi_vector */
/* The APIC bus: one count of the timer's divided clock per ns, as KVM. */
#define VDEV_LAPIC_BUS_NS	1
/* The shortest periodic timer's period, as KVM's min_timer_period_us. */
#define VDEV_LAPIC_MIN_PERIOD_NS	200000
#define VDEV_LAPIC_NO_DEADLINE	U64_MAX

struct vdev_lapic {
	u32 id;			/* the ID register: APIC ID in bits 31:24 */
	u32 tpr, ldr, dfr, svr;
	u32 icr_lo, icr_hi;
	u32 esr;		/* what reads return: latched on a write */
	u32 esr_pending;	/* errors since the last write */
	u32 lvt[VDEV_LAPIC_NR_LVT];	/* timer, thermal, perf, LINT0/1, error */
	u32 isr[8], tmr[8], irr[8];	/* 256 bits each, vector n at bit n */
	u32 tmict, tdcr;
	u64 timer_start_ns;	/* when the count started from the initial */
	u64 timer_next_ns;	/* the next expiry, 0 while none is due */
	int eoi_vector;		/* the vector the last EOI ended, or -1 */
};

void vdev_lapic_reset(struct vdev_lapic *apic, u8 apic_id);
u32 vdev_lapic_read(const struct vdev_lapic *apic, u32 offset, u64 now_ns);
int vdev_lapic_write(struct vdev_lapic *apic, u32 offset, u32 val,
		     u64 now_ns);
u32 vdev_lapic_ppr(const struct vdev_lapic *apic);
bool vdev_lapic_accept(struct vdev_lapic *apic, u8 vector, bool level);
int vdev_lapic_pending(const struct vdev_lapic *apic);
int vdev_lapic_highest_irr(const struct vdev_lapic *apic);
int vdev_lapic_ack(struct vdev_lapic *apic);
int vdev_lapic_eoi(struct vdev_lapic *apic, bool *level);
bool vdev_lapic_match_logical(const struct vdev_lapic *apic, u8 mda);
bool vdev_lapic_match_physical(const struct vdev_lapic *apic, u8 dest);
u32 vdev_lapic_timer_divisor(u32 tdcr);
u64 vdev_lapic_timer_period_ns(const struct vdev_lapic *apic);
u32 vdev_lapic_timer_current(const struct vdev_lapic *apic, u64 now_ns);
u64 vdev_lapic_timer_deadline(const struct vdev_lapic *apic);
bool vdev_lapic_timer_advance(struct vdev_lapic *apic, u64 now_ns);

#endif /* SVMHV_VDEV_LAPIC_H */
