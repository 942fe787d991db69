// SPDX-License-Identifier: GPL-2.0
/*
 * Each vCPU's in-kernel local APIC: its page, its TPR as CR8, the
 * vector it offers the vCPU, and the IPIs it sends (lapic.h).
 */
#include <linux/bitmap.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <asm/msr-index.h>

#include "../vdev/lapic.h"
#include "intr.h"
#include "lapic.h"
#include "vcpu_state.h"

/* The APIC base MSR's x2APIC mode bit (EXTD). */
#define SVM_APIC_BASE_X2APIC	BIT_ULL(10)

/**
 * svm_lapic_create() - a new vCPU of a VM with an irqchip gets an APIC.
 * @vcpu: the vCPU, not yet reset
 *
 * Return: 0, or -ENOMEM.
 */
int svm_lapic_create(struct svm_vcpu *vcpu)
{
	if (!svm_has_irqchip(vcpu->vm))
		return 0;
	vcpu->lapic = kzalloc(sizeof(*vcpu->lapic), GFP_KERNEL_ACCOUNT);
	return vcpu->lapic ? 0 : -ENOMEM;
}

/**
 * svm_lapic_free() - the vCPU is being freed.
 * @vcpu: the vCPU
 */
void svm_lapic_free(struct svm_vcpu *vcpu)
{
	kfree(vcpu->lapic);
	vcpu->lapic = NULL;
}

/**
 * svm_lapic_active() - does the vCPU's APIC take part now?
 * @vcpu: the vCPU
 *
 * Return: true when it has one, enabled in the APIC base in xAPIC mode.
 */
bool svm_lapic_active(const struct svm_vcpu *vcpu)
{
	u64 base = READ_ONCE(vcpu->apic_base);

	return vcpu->lapic && (base & MSR_IA32_APICBASE_ENABLE) &&
	       !(base & SVM_APIC_BASE_X2APIC);
}

/*
 * The TPR takes V_TPR's class, when the guest's CR8 changed it (bits
 * 3:0: KVM_SET_SREGS may have left more in V_TPR, security.md).
 */
static void svm_lapic_sync_tpr(struct svm_vcpu *vcpu)
{
	u32 v_tpr = vcpu->vmcb->control.int_ctl & 0xf;

	lockdep_assert_held(&vcpu->vm->vdev_lock);
	if ((vcpu->lapic->tpr >> 4) != v_tpr)
		vcpu->lapic->tpr = v_tpr << 4;
}

/* V_TPR takes the TPR's class: the TPR was written here. */
static void svm_lapic_set_v_tpr(struct svm_vcpu *vcpu)
{
	struct vmcb_control_area *c = &vcpu->vmcb->control;
	u32 int_ctl = (c->int_ctl & ~SVM_V_TPR_MASK) | (vcpu->lapic->tpr >> 4);

	if (int_ctl != c->int_ctl) {
		c->int_ctl = int_ctl;
		vmcb_mark_dirty(vcpu, SVM_CLEAN_TPR);
	}
}

/* Does @dst's APIC take an IPI with this ICR from @src's? */
static bool svm_lapic_ipi_match(struct svm_vcpu *src, struct svm_vcpu *dst,
				u32 icr_lo, u8 dest)
{
	if (!svm_lapic_active(dst))
		return false;
	switch (icr_lo >> VDEV_LAPIC_ICR_SH_SHIFT & 3) {
	case VDEV_LAPIC_SH_SELF:
		return dst == src;
	case VDEV_LAPIC_SH_ALL:
		return true;
	case VDEV_LAPIC_SH_OTHERS:
		return dst != src;
	}
	if (icr_lo & VDEV_LAPIC_ICR_LOGICAL)
		return vdev_lapic_match_logical(dst->lapic, dest);
	return vdev_lapic_match_physical(dst->lapic, dest);
}

/*
 * Send the IPI @src's ICR holds, under vdev_lock; @woken gets the
 * indexes in vm->vcpus of the vCPUs to wake once it is dropped.
 */
static void svm_lapic_send_ipi(struct svm_vcpu *src, unsigned long *woken)
{
	struct svm_vm *vm = src->vm;
	u32 icr_lo = src->lapic->icr_lo;
	u32 mode = icr_lo & VDEV_LAPIC_DM_MASK;
	u8 dest = src->lapic->icr_hi >> 24;
	struct svm_vcpu *dst;
	int i;

	/* NMI, INIT, SIPI and the rest: not yet (docs/lapic.md). */
	if (mode != VDEV_LAPIC_DM_FIXED && mode != VDEV_LAPIC_DM_LOWEST)
		return;
	for (i = 0; i < SVM_MAX_VCPUS; i++) {
		dst = READ_ONCE(vm->vcpus[i]);
		if (!dst || !svm_lapic_ipi_match(src, dst, icr_lo, dest))
			continue;
		if (vdev_lapic_accept(dst->lapic, icr_lo & 0xff, false))
			__set_bit(i, woken);
		if (mode == VDEV_LAPIC_DM_LOWEST)
			break;
	}
}

/* A read of @size bytes at @off in the page: the register's bytes. */
static u64 svm_lapic_read(struct svm_vcpu *vcpu, u32 off, int size)
{
	u32 reg = vdev_lapic_read(vcpu->lapic, off & ~0xfU, ktime_get_ns());
	u32 in = off & 0xf;

	/* Bytes 4-15 of each 16-byte register slot read as 0. */
	if (in >= 4)
		return 0;
	reg >>= 8 * in;
	return size < 4 ? reg & ((1U << (8 * size)) - 1) : reg;
}

/**
 * svm_lapic_mmio() - an access to the APIC's page, if it is one.
 * @vcpu: the vCPU
 * @gpa: the guest-physical address
 * @size: 1, 2, 4 or 8 bytes
 * @is_write: a store of *@val, else a load into *@val
 * @val: the data
 *
 * Loads of any size read the bytes of the register they fall in.  As in
 * KVM, only 32-bit stores to a register's first bytes are done; other
 * stores are dropped.  While the APIC is disabled in the APIC base (or
 * in x2APIC mode) its page still is the kernel's, as with KVM's
 * LAPIC_MMIO_HOLE quirk: loads read all ones, stores are dropped.
 *
 * Return: true when the access was the APIC's page (it is done), false
 * when the vCPU has no APIC or the access is not in its page.
 */
bool svm_lapic_mmio(struct svm_vcpu *vcpu, u64 gpa, int size, bool is_write,
		    u64 *val)
{
	u64 base = READ_ONCE(vcpu->apic_base) & PAGE_MASK;
	DECLARE_BITMAP(woken, SVM_MAX_VCPUS);
	struct svm_vm *vm = vcpu->vm;
	u32 off = gpa - base;
	int w = 0, i;

	if (!vcpu->lapic || gpa < base || gpa - base >= PAGE_SIZE)
		return false;
	if (!svm_lapic_active(vcpu)) {
		if (!is_write)
			*val = size < 8 ? (1ULL << (8 * size)) - 1 : ~0ULL;
		return true;
	}
	bitmap_zero(woken, SVM_MAX_VCPUS);
	svm_vdev_lock(vm);
	svm_lapic_sync_tpr(vcpu);
	if (!is_write)
		*val = svm_lapic_read(vcpu, off, size);
	else if (size == 4 && !(off & 0xf))
		w = vdev_lapic_write(vcpu->lapic, off, *val, ktime_get_ns());
	if (is_write && off == VDEV_LAPIC_TPR)
		svm_lapic_set_v_tpr(vcpu);
	if (w & VDEV_LAPIC_W_IPI)
		svm_lapic_send_ipi(vcpu, woken);
	svm_vdev_unlock(vm);
	for_each_set_bit(i, woken, SVM_MAX_VCPUS)
		svm_vcpu_wake(READ_ONCE(vm->vcpus[i]));
	return true;
}

/**
 * svm_lapic_set_cr8() - an intercepted MOV to CR8.
 * @vcpu: the vCPU, with an APIC (the intercept is only set with one)
 * @cr8: the value
 *
 * Return: 0, or -EINVAL for reserved bits (the caller's #GP).
 */
int svm_lapic_set_cr8(struct svm_vcpu *vcpu, u64 cr8)
{
	struct svm_vm *vm = vcpu->vm;

	if (cr8 & ~0xfULL)
		return -EINVAL;
	if (!vcpu->lapic)
		return -EINVAL;
	svm_vdev_lock(vm);
	vcpu->lapic->tpr = cr8 << 4;
	svm_lapic_set_v_tpr(vcpu);
	svm_vdev_unlock(vm);
	return 0;
}

/**
 * svm_lapic_takes_extint() - would the PIC's interrupts reach the vCPU?
 * @vcpu: the vCPU; vdev_lock is held
 *
 * Return: true when it has no APIC, when its APIC is disabled in the APIC
 * base, or when LINT0 is unmasked in ExtINT mode.
 */
bool svm_lapic_takes_extint(struct svm_vcpu *vcpu)
{
	u32 lint0;

	if (!svm_lapic_active(vcpu))
		return true;
	lint0 = vcpu->lapic->lvt[VDEV_LAPIC_LVT_LINT0_IDX];
	return !(lint0 & VDEV_LAPIC_LVT_MASKED) &&
	       (lint0 & VDEV_LAPIC_DM_MASK) == VDEV_LAPIC_DM_EXTINT;
}

/**
 * svm_lapic_pending() - the vector the APIC offers the vCPU now.
 * @vcpu: the vCPU; vdev_lock is held
 *
 * Return: the vector, or -1 (none, or no active APIC).
 */
int svm_lapic_pending(struct svm_vcpu *vcpu)
{
	if (!svm_lapic_active(vcpu))
		return -1;
	svm_lapic_sync_tpr(vcpu);
	return vdev_lapic_pending(vcpu->lapic);
}

/**
 * svm_lapic_ack() - the vCPU takes the APIC's vector: it goes in service.
 * @vcpu: the vCPU; vdev_lock is held
 *
 * Return: the vector, or -1.
 */
int svm_lapic_ack(struct svm_vcpu *vcpu)
{
	if (!svm_lapic_active(vcpu))
		return -1;
	svm_lapic_sync_tpr(vcpu);
	return vdev_lapic_ack(vcpu->lapic);
}

/**
 * svm_lapic_timer() - the APIC's timer catches up with @now_ns.
 * @vcpu: the vCPU; vdev_lock is held
 * @now_ns: the time (ktime_get_ns())
 *
 * An expiry that is due raises the timer's interrupt.  The vCPU's
 * hrtimer, armed at the deadline returned, wakes the vCPU to come here
 * again.
 *
 * Return: the timer's next expiry, or VDEV_LAPIC_NO_DEADLINE.
 */
u64 svm_lapic_timer(struct svm_vcpu *vcpu, u64 now_ns)
{
	if (!svm_lapic_active(vcpu))
		return VDEV_LAPIC_NO_DEADLINE;
	vdev_lapic_timer_advance(vcpu->lapic, now_ns);
	return vdev_lapic_timer_deadline(vcpu->lapic);
}

/**
 * svm_lapic_before_entry() - V_TPR from the TPR, and MOV to CR8
 * intercepted exactly while a requested vector waits for the TPR.
 * @vcpu: the vCPU; vdev_lock is held
 */
void svm_lapic_before_entry(struct svm_vcpu *vcpu)
{
	bool wait = false;
	int irr;

	if (svm_lapic_active(vcpu)) {
		svm_lapic_sync_tpr(vcpu);
		svm_lapic_set_v_tpr(vcpu);
		irr = vdev_lapic_highest_irr(vcpu->lapic);
		wait = irr >= 0 && (irr >> 4) <= (vcpu->lapic->tpr >> 4);
	}
	svm_intercept(vcpu, INTERCEPT_CR8_WRITE, wait);
}
