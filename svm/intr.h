/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interrupts and halting (intr.c): the in-kernel devices (vdev/) wired
 * into the run loop.  devices.c creates the devices and the UART file.
 *
 * Per VM (struct svm_vm): the devices (vm->vdev: PIC pair, PIT, UART,
 * RTC, reset and delay ports), the spinlock every vdev call is made
 * under (vm->vdev_lock), the events vdev reported under it
 * (vm->vdev_events, acted on once it is dropped), and the wait queue of
 * the UART's file.  The devices are the machine's, so they are shared by
 * every vCPU; the lock is a spinlock because the exit path and the
 * entry path call vdev with preemption as the run loop has it, and
 * nothing in vdev sleeps.
 *
 * Per vCPU (struct svm_vcpu): whether it is halted, the rcuwait its
 * thread sleeps on while it is, the hrtimer that wakes it at the
 * devices' next deadline, the SVM_REQ_EVENT request (the interrupt
 * state may have changed: look again before entering), and in its VMCB
 * the event being injected (EVENTINJ) and the interrupt window (V_IRQ
 * with the VINTR intercept).
 *
 * Which vCPU the PIC interrupts: the PIC's INTR output is wired to
 * vCPU 0, the bootstrap processor, as ExtINT through LINT0 is on a PC
 * with its local APIC in virtual-wire mode.  Only vCPU 0 takes PIC
 * interrupts (while its local APIC lets ExtINT in, lapic.h) and arms a
 * timer for the PIT.  Each vCPU's local APIC (lapic.h) is the other
 * source, checked beside the PIC; a HLT with interrupts enabled on a
 * vCPU with neither has nothing to wake it and exits to userspace.  The
 * APIC timer shares the vCPU's hrtimer (the earlier deadline wins).
 *
 * Locking: vm->lock (a mutex) creates the devices; vm->vdev_lock (a
 * spinlock, never taken in interrupt context: the hrtimer only sets a
 * request and wakes) is inside it and inside slots_lock.
 */
#ifndef SVMHV_SVM_INTR_H
#define SVMHV_SVM_INTR_H

#include <linux/compiler_types.h>
#include <linux/types.h>

#include "types.h"

struct kvm_mp_state;
struct vdev;

/* vm->vdev_events beyond VDEV_EV_*: the UART file's waiters may go on. */
#define SVM_EV_UART		BIT(8)

/* svm_vdev_pio() */
enum {
	SVM_PIO_UNHANDLED,	/* no device has the port: to userspace */
	SVM_PIO_HANDLED,	/* done in the kernel */
	SVM_PIO_RESET,		/* done; the guest asked for a reset */
};

void svm_irq_vm_init(struct svm_vm *vm);
void svm_irq_vcpu_init(struct svm_vcpu *vcpu);
void svm_irq_vcpu_destroy(struct svm_vcpu *vcpu);

bool svm_has_irqchip(struct svm_vm *vm);
bool svm_interrupts_allowed(const struct svm_vcpu *vcpu);
struct vdev *svm_vdev_lock(struct svm_vm *vm) __acquires(&vm->vdev_lock);
void svm_vdev_unlock(struct svm_vm *vm) __releases(&vm->vdev_lock);
void svm_vdev_notify(void *ctx, unsigned int events);

int svm_vdev_pio(struct svm_vm *vm, u16 port, int size, bool is_write,
		 u32 *val);
void svm_vcpu_wake(struct svm_vcpu *vcpu);
bool svm_irq_hlt(struct svm_vcpu *vcpu);
int svm_vcpu_halt(struct svm_vcpu *vcpu);
void svm_irq_before_entry(struct svm_vcpu *vcpu);
void svm_irq_run_done(struct svm_vcpu *vcpu);
int svm_vintr_exit(struct svm_vcpu *vcpu);
void svm_get_mp_state(struct svm_vcpu *vcpu, struct kvm_mp_state *mp);
int svm_set_mp_state(struct svm_vcpu *vcpu, const struct kvm_mp_state *mp);

#endif /* SVMHV_SVM_INTR_H */
