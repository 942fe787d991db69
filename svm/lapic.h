/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Each vCPU's in-kernel local APIC (lapic.c): vdev/lapic.c's model
 * wired to the vCPU.  KVM_CREATE_IRQCHIP gives every vCPU created after
 * it one (vcpu->lapic), reset with the vCPU (reset.c).
 *
 * The APIC is live while the vCPU's APIC base enables it in xAPIC mode
 * (svm_lapic_active()).  Its page at the APIC base is MMIO that never
 * reaches userspace (mmio.c asks svm_lapic_mmio() first; no AVIC: every
 * access exits).  The TPR's priority class is the VMCB's V_TPR, which
 * the guest's MOV to CR8 changes without an exit: V_TPR is the
 * authority, and the TPR is brought in line with it before every use
 * (its low four bits survive while the class is the same).  While a
 * requested vector waits only for the TPR to drop, MOV to CR8 is
 * intercepted (svm_lapic_set_cr8()), so that the drop is seen at once.
 *
 * The interrupts a vCPU takes (intr.c): its APIC's highest deliverable
 * vector, and on vCPU 0 the PIC's (ExtINT) while the APIC is disabled in
 * the APIC base or LINT0 is unmasked in ExtINT mode, as KVM's
 * kvm_apic_accept_pic_intr().  ExtINT goes first, as in KVM.
 *
 * The timer (one-shot and periodic) runs on the vCPU's hrtimer, which
 * intr.c arms at the earlier of its deadline and, on vCPU 0, the
 * devices'; its expiry wakes the vCPU, which raises the vector before it
 * enters (svm_lapic_timer()).
 *
 * IPIs: a write of the ICR sends a fixed or lowest-priority interrupt
 * (lowest priority goes to the first APIC that matches) to the APICs
 * its shorthand or destination names, and wakes their vCPUs.  Not yet
 * (docs/lapic.md): NMI, INIT and SIPI IPIs, TSC-deadline mode, the EOI
 * of a level-triggered vector reaching an I/O APIC.
 *
 * Locking: every APIC of the VM is read and written under vm->vdev_lock
 * (svm_vdev_lock()), the devices' lock, which the PIC's ExtINT needs at
 * the same time.
 */
#ifndef SVMHV_SVM_LAPIC_H
#define SVMHV_SVM_LAPIC_H

#include <linux/types.h>

#include "types.h"

int svm_lapic_create(struct svm_vcpu *vcpu);
void svm_lapic_free(struct svm_vcpu *vcpu);
bool svm_lapic_active(const struct svm_vcpu *vcpu);
bool svm_lapic_mmio(struct svm_vcpu *vcpu, u64 gpa, int size, bool is_write,
		    u64 *val);
int svm_lapic_set_cr8(struct svm_vcpu *vcpu, u64 cr8);
bool svm_lapic_takes_extint(struct svm_vcpu *vcpu);
int svm_lapic_pending(struct svm_vcpu *vcpu);
int svm_lapic_ack(struct svm_vcpu *vcpu);
u64 svm_lapic_timer(struct svm_vcpu *vcpu, u64 now_ns);
void svm_lapic_before_entry(struct svm_vcpu *vcpu);

#endif /* SVMHV_SVM_LAPIC_H */
