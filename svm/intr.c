// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupts and halting: the in-kernel devices (vdev/) wired into the
 * run loop, event injection, the interrupt window and HLT that blocks.
 * intr.h says what is per VM and what is per vCPU; devices.c creates
 * the devices.
 *
 * Before each VMRUN (svm_irq_before_entry()): the devices and the local
 * APIC's timer catch up with the time, and when the PIC asserts INTR
 * (vCPU 0, through LINT0) or the vCPU's local APIC has a vector above
 * its priority (lapic.c), the vCPU either takes the vector through
 * EVENTINJ now (RFLAGS.IF set, no interrupt shadow, no event already
 * being injected: an event an exit interrupted is put back first and
 * wins), or asks for an interrupt window: V_IRQ with the VINTR
 * intercept, which exits as soon as the guest could take an interrupt
 * (APM vol. 2, 15.21.4 "Injecting Virtual (INTR) Interrupts").  The
 * hrtimer is armed at the earliest deadline: the devices' (vCPU 0) or
 * the APIC timer's.
 */
#include <linux/kvm.h>
#include <linux/sched/signal.h>
#include <linux/smp.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <asm/processor-flags.h>

#include "../vdev/vdev.h"
#include "intr.h"
#include "lapic.h"
#include "nmi.h"
#include "trace.h"
#include "vcpu_state.h"

/* The vCPU the PIC's INTR output reaches (see intr.h). */
#define SVM_PIC_VCPU		0

/* Has the VM an irqchip?  Its devices are set up once this says so. */
bool svm_has_irqchip(struct svm_vm *vm)
{
	/* Pairs with the release in svm_create_irqchip(). */
	return smp_load_acquire(&vm->irqchip);
}

static bool svm_takes_pic(const struct svm_vcpu *vcpu)
{
	return vcpu->id == SVM_PIC_VCPU && svm_has_irqchip(vcpu->vm);
}

/* The VM's devices, or NULL while it has none. */
static struct vdev *svm_vdev(struct svm_vm *vm)
{
	/* Pairs with the release in svm_vdev_add(). */
	return smp_load_acquire(&vm->vdev);
}

/* Lock the VM's devices, which the caller knows exist. */
struct vdev *svm_vdev_lock(struct svm_vm *vm)
	__acquires(&vm->vdev_lock)
{
	spin_lock(&vm->vdev_lock);
	return svm_vdev(vm);
}

/**
 * svm_vcpu_wake() - an interrupt may be there for @vcpu: wake it from
 * HLT, or make it leave guest mode to look.
 * @vcpu: the vCPU
 *
 * Any context, the hrtimer's included.  The request is posted before the
 * mode is read, and the vCPU reads its requests after it marks itself in
 * guest mode, so either it sees the request before VMRUN or the
 * reschedule IPI makes it exit (the INTR intercept).
 */
void svm_vcpu_wake(struct svm_vcpu *vcpu)
{
	int cpu, me;

	set_bit(SVM_REQ_EVENT, &vcpu->requests);
	/* The request before the mode: see above. */
	smp_mb__after_atomic();
	rcuwait_wake_up(&vcpu->wait);
	if (READ_ONCE(vcpu->mode) != SVM_VCPU_IN_GUEST)
		return;
	cpu = READ_ONCE(vcpu->cpu);
	me = get_cpu();
	if (cpu != me)
		smp_send_reschedule(cpu);
	put_cpu();
}

/* Unlock, then act on what the devices reported while it was held. */
void svm_vdev_unlock(struct svm_vm *vm)
	__releases(&vm->vdev_lock)
{
	unsigned int ev = vm->vdev_events;
	struct svm_vcpu *vcpu;

	vm->vdev_events = 0;
	spin_unlock(&vm->vdev_lock);
	if (ev & VDEV_EV_INTR) {
		vcpu = svm_vcpu_by_id(vm, SVM_PIC_VCPU);
		if (vcpu)
			svm_vcpu_wake(vcpu);
	}
	if (ev & (VDEV_EV_TX | SVM_EV_UART))
		wake_up_interruptible(&vm->uart_wq);
	/*
	 * VDEV_EV_RESET: the vCPU whose port write asked for it sees it in
	 * svm_vdev_pio(); with several vCPUs the others would be kicked here.
	 */
}

/* vdev's @notify: runs with vm->vdev_lock held. */
void svm_vdev_notify(void *ctx, unsigned int events)
{
	struct svm_vm *vm = ctx;

	vm->vdev_events |= events;
}

static enum hrtimer_restart svm_irq_timer(struct hrtimer *t)
{
	svm_vcpu_wake(container_of(t, struct svm_vcpu, timer));
	return HRTIMER_NORESTART;
}

/**
 * svm_irq_vm_init() - a new VM: no devices yet.
 * @vm: the VM
 */
void svm_irq_vm_init(struct svm_vm *vm)
{
	spin_lock_init(&vm->vdev_lock);
	init_waitqueue_head(&vm->uart_wq);
}

/**
 * svm_irq_vcpu_init() - a new vCPU: not halted, its timer idle.
 * @vcpu: the vCPU
 */
void svm_irq_vcpu_init(struct svm_vcpu *vcpu)
{
	rcuwait_init(&vcpu->wait);
	hrtimer_init(&vcpu->timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS);
	vcpu->timer.function = svm_irq_timer;
}

/**
 * svm_irq_vcpu_destroy() - stop the vCPU's timer before it is freed.
 * @vcpu: the vCPU
 */
void svm_irq_vcpu_destroy(struct svm_vcpu *vcpu)
{
	hrtimer_cancel(&vcpu->timer);
}

/**
 * svm_vdev_pio() - an IN or OUT, if one of the VM's devices has the port.
 * @vm: the VM
 * @port: the port
 * @size: 1, 2 or 4
 * @is_write: OUT
 * @val: OUT: the value; IN: where the value goes
 *
 * A reset the access asked for resets the devices (vdev_reset(): the RTC
 * and the serial output not yet read are kept); the caller ends the run
 * with KVM_EXIT_SYSTEM_EVENT.
 *
 * Return: SVM_PIO_*.
 */
int svm_vdev_pio(struct svm_vm *vm, u16 port, int size, bool is_write,
		 u32 *val)
{
	struct vdev *vd;
	size_t tx, room;
	u64 now;
	int ret;

	if (!svm_vdev(vm))
		return SVM_PIO_UNHANDLED;
	vd = svm_vdev_lock(vm);
	now = ktime_get_ns();
	tx = vdev_uart_tx_pending(vd);
	room = vdev_uart_rx_room(vd);
	ret = vdev_pio(vd, port, size, is_write, val, now);
	if (ret == VDEV_HANDLED && vdev_reset_requested(vd)) {
		vdev_reset(vd, now);
		ret = SVM_PIO_RESET;
	}
	/* Output where there was none, or room for input: wake the file. */
	if ((!tx && vdev_uart_tx_pending(vd)) || vdev_uart_rx_room(vd) > room)
		vm->vdev_events |= SVM_EV_UART;
	svm_vdev_unlock(vm);
	return ret == VDEV_UNHANDLED ? SVM_PIO_UNHANDLED : ret;
}

/**
 * svm_interrupts_allowed() - would the guest take an interrupt now?
 * @vcpu: the vCPU
 *
 * Return: true with RFLAGS.IF set and no interrupt shadow.
 */
bool svm_interrupts_allowed(const struct svm_vcpu *vcpu)
{
	const struct vmcb *vmcb = vcpu->vmcb;

	return (vmcb->save.rflags & X86_EFLAGS_IF) &&
	       !(vmcb->control.int_state & SVM_INTERRUPT_SHADOW);
}

/*
 * Ask for an interrupt window, or stop asking: V_IRQ (priority 15,
 * ignoring V_TPR: the local APIC's priorities are applied before asking)
 * with the VINTR intercept, so the virtual interrupt is never taken,
 * only the exit.
 */
static void svm_set_window(struct svm_vcpu *vcpu, bool on)
{
	struct vmcb_control_area *c = &vcpu->vmcb->control;
	const u32 bits = SVM_V_IRQ | SVM_V_IGN_TPR | SVM_V_INTR_PRIO_MASK;
	u32 int_ctl = on ? c->int_ctl | bits : c->int_ctl & ~bits;

	if (int_ctl != c->int_ctl) {
		c->int_ctl = int_ctl;
		c->int_vector = 0;
		vmcb_mark_dirty(vcpu, SVM_CLEAN_TPR);
	}
	svm_intercept(vcpu, INTERCEPT_VINTR, on);
}

/* Does the PIC's INTR reach the vCPU, and is it asserted?  Locked. */
static bool svm_extint(struct svm_vcpu *vcpu, struct vdev *vd)
{
	return svm_takes_pic(vcpu) && svm_lapic_takes_extint(vcpu) &&
	       vdev_intr(vd);
}

/* Has the vCPU an interrupt it would take with IF set?  Locked. */
static bool svm_intr_pending(struct svm_vcpu *vcpu, struct vdev *vd)
{
	return svm_extint(vcpu, vd) || svm_lapic_pending(vcpu) >= 0;
}

/*
 * The vector the vCPU takes now: the PIC's (ExtINT first, as in KVM),
 * else the local APIC's, which goes in service.  Locked.
 */
static int svm_intr_ack(struct svm_vcpu *vcpu, struct vdev *vd)
{
	int vector = -1;

	if (svm_extint(vcpu, vd))
		vector = vdev_pending_irq(vd);
	return vector >= 0 ? vector : svm_lapic_ack(vcpu);
}

/*
 * An interrupt is there: inject it now if the guest can take it and
 * nothing else is being injected; ask for a window while one stays
 * (another behind this one, or the guest cannot take it).  Locked.
 */
static void svm_inject_irq(struct svm_vcpu *vcpu, struct vdev *vd)
{
	struct vmcb_control_area *c = &vcpu->vmcb->control;
	int vector;

	if (!(c->event_inj & SVM_EVTINJ_VALID) &&
	    svm_interrupts_allowed(vcpu)) {
		vector = svm_intr_ack(vcpu, vd);
		if (vector >= 0) {
			c->event_inj = vector | SVM_EVTINJ_TYPE_INTR |
				       SVM_EVTINJ_VALID;
			trace_svmhv_inject(vcpu->id, c->event_inj, 0, false);
		}
	}
	svm_lapic_before_entry(vcpu);
	svm_set_window(vcpu, svm_intr_pending(vcpu, vd));
}

/*
 * The devices (on vCPU 0) and the vCPU's local APIC catch up with the
 * time: what is due raises its interrupt.  Returns the earliest deadline
 * the vCPU's hrtimer keeps for them.  Locked.
 */
static u64 svm_irq_advance(struct svm_vcpu *vcpu, struct vdev *vd)
{
	u64 now = ktime_get_ns(), deadline = svm_lapic_timer(vcpu, now);

	if (svm_takes_pic(vcpu)) {
		vdev_advance(vd, now);
		deadline = min(deadline, vdev_next_deadline(vd));
	}
	return deadline;
}

/* Arm the vCPU's timer at @deadline, unless it already is. */
static void svm_arm_timer(struct svm_vcpu *vcpu, u64 deadline)
{
	ktime_t at;

	if (deadline == VDEV_NO_DEADLINE || deadline > KTIME_MAX) {
		hrtimer_try_to_cancel(&vcpu->timer);
		return;
	}
	at = ns_to_ktime(deadline);
	if (hrtimer_is_queued(&vcpu->timer) &&
	    hrtimer_get_expires(&vcpu->timer) == at)
		return;
	hrtimer_start(&vcpu->timer, at, HRTIMER_MODE_ABS);
}

/**
 * svm_irq_before_entry() - the devices catch up; inject or ask for a
 * window; arm the timer.  Without an irqchip: ask for a window while
 * userspace does.
 * @vcpu: the vCPU, about to enter
 *
 * An interrupt that comes after this sets SVM_REQ_EVENT, and the entry
 * (svm_enter_guest_irqoff()) then turns back to come here again.
 */
void svm_irq_before_entry(struct svm_vcpu *vcpu)
{
	struct svm_vm *vm = vcpu->vm;
	struct vdev *vd;
	u64 deadline;

	clear_bit(SVM_REQ_EVENT, &vcpu->requests);
	/* Cleared before looking: a later event sets it again. */
	smp_mb__after_atomic();
	svm_nmi_before_entry(vcpu);
	if (!svm_has_irqchip(vm)) {
		/* The VMM's interrupt controllers: its window (user_intr.c). */
		svm_set_window(vcpu,
			       READ_ONCE(vcpu->run->request_interrupt_window));
		return;
	}
	vd = svm_vdev_lock(vm);
	deadline = svm_irq_advance(vcpu, vd);
	svm_inject_irq(vcpu, vd);
	svm_vdev_unlock(vm);
	svm_arm_timer(vcpu, deadline);
}

/* Would the halted vCPU take an interrupt now?  Else arm its timer. */
static bool svm_halt_done(struct svm_vcpu *vcpu)
{
	struct svm_vm *vm = vcpu->vm;
	struct vdev *vd;
	u64 deadline;
	bool intr;

	if (svm_nmi_pending(vcpu))
		return true;
	vd = svm_vdev_lock(vm);
	deadline = svm_irq_advance(vcpu, vd);
	intr = svm_intr_pending(vcpu, vd);
	/* About to sleep: the serial output should not wait for us. */
	if (!intr && vdev_uart_tx_pending(vd))
		vm->vdev_events |= SVM_EV_UART;
	svm_vdev_unlock(vm);
	if (!intr)
		svm_arm_timer(vcpu, deadline);
	return intr;
}

/* Can an interrupt end a HLT of this vCPU: from the PIC or its APIC? */
static bool svm_can_wake(const struct svm_vcpu *vcpu)
{
	return svm_takes_pic(vcpu) || svm_lapic_active(vcpu);
}

/**
 * svm_irq_hlt() - the guest executed HLT (RIP is past it): halt?
 * @vcpu: the vCPU
 *
 * The vCPU halts, and blocks in svm_vcpu_halt(), when an interrupt can
 * end the HLT: it takes the PIC's interrupts or has an active local
 * APIC, and RFLAGS.IF is set.
 * Without an irqchip, and with IF clear (nothing but an NMI or a reset
 * ends that HLT, and neither comes here: "halted forever"), HLT exits
 * to userspace.
 *
 * Return: true if the vCPU is halted now.
 */
bool svm_irq_hlt(struct svm_vcpu *vcpu)
{
	if (!svm_can_wake(vcpu) ||
	    !(vcpu->vmcb->save.rflags & X86_EFLAGS_IF))
		return false;
	vcpu->halted = true;
	return true;
}

/**
 * svm_vcpu_halt() - block a halted vCPU until an interrupt can be taken.
 * @vcpu: the vCPU; no lock held but vcpu->mutex
 *
 * Woken by its timer (the devices' next deadline), by an interrupt
 * raised from elsewhere (KVM_IRQ_LINE, serial input) and by a signal.
 * A masked IRQ 0 leaves INTR clear: the vCPU sleeps again until the
 * next deadline.  The vCPU stays halted when a signal ends the wait: the
 * next KVM_RUN goes on waiting.
 *
 * Return: 0 when the vCPU can go on, -EINTR on a signal.
 */
int svm_vcpu_halt(struct svm_vcpu *vcpu)
{
	int ret;

	for (;;) {
		clear_bit(SVM_REQ_EVENT, &vcpu->requests);
		/* Cleared before looking: a later interrupt sets it again. */
		smp_mb__after_atomic();
		if (svm_halt_done(vcpu))
			break;
		ret = rcuwait_wait_event(&vcpu->wait,
					 test_bit(SVM_REQ_EVENT,
						  &vcpu->requests),
					 TASK_INTERRUPTIBLE);
		if (ret)
			return -EINTR;
	}
	vcpu->halted = false;
	return 0;
}

/**
 * svm_get_mp_state() - KVM_GET_MP_STATE: halted or runnable.
 * @vcpu: the vCPU; vcpu->mutex is held
 * @mp: filled in
 *
 * A vCPU is halted between a HLT that blocks in the kernel (see
 * svm_irq_hlt()) and the interrupt that ends it, a signal included.
 */
void svm_get_mp_state(struct svm_vcpu *vcpu, struct kvm_mp_state *mp)
{
	mp->mp_state = vcpu->halted ? KVM_MP_STATE_HALTED :
				      KVM_MP_STATE_RUNNABLE;
}

/**
 * svm_set_mp_state() - KVM_SET_MP_STATE.
 * @vcpu: the vCPU; vcpu->mutex is held
 * @mp: the state
 *
 * RUNNABLE ends a halt.  HALTED makes the next KVM_RUN wait for an
 * interrupt, so it needs one that can come: the vCPU must take the PIC's
 * or have an active local APIC (KVM needs its local APIC).  The INIT and
 * SIPI states wait for the INIT and SIPI IPIs (docs/lapic.md).
 *
 * Return: 0, or -EINVAL for a state the vCPU cannot be in.
 */
int svm_set_mp_state(struct svm_vcpu *vcpu, const struct kvm_mp_state *mp)
{
	switch (mp->mp_state) {
	case KVM_MP_STATE_RUNNABLE:
		vcpu->halted = false;
		return 0;
	case KVM_MP_STATE_HALTED:
		if (!svm_can_wake(vcpu))
			return -EINVAL;
		vcpu->halted = true;
		return 0;
	default:
		return -EINVAL;
	}
}

/**
 * svm_irq_run_done() - KVM_RUN returns: the serial output should not
 * wait for the next exit.
 * @vcpu: the vCPU
 */
void svm_irq_run_done(struct svm_vcpu *vcpu)
{
	struct svm_vm *vm = vcpu->vm;
	struct vdev *vd;

	if (!svm_vdev(vm))
		return;
	vd = svm_vdev_lock(vm);
	if (vdev_uart_tx_pending(vd))
		vm->vdev_events |= SVM_EV_UART;
	svm_vdev_unlock(vm);
}

/**
 * svm_vintr_exit() - the interrupt window opened.
 * @vcpu: the vCPU
 *
 * Stop asking; the entry injects what the PIC has now, or the run loop
 * tells userspace (svm_user_irq_window_open()).
 *
 * Return: 1, to go on.
 */
int svm_vintr_exit(struct svm_vcpu *vcpu)
{
	svm_count(vcpu, SVMHV_EXIT_VINTR);
	svm_set_window(vcpu, false);
	return 1;
}
