// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupts from a VMM that keeps the interrupt controllers in userspace
 * (a VM without KVM_CREATE_IRQCHIP: QEMU's kernel-irqchip=off), as KVM
 * does it:
 *
 *  - KVM_INTERRUPT puts an external interrupt in EVENTINJ for the next
 *    entry, whatever RFLAGS.IF says: userspace injects only when
 *    run->ready_for_interrupt_injection said the guest could take it.
 *  - While run->request_interrupt_window is set, the vCPU asks for an
 *    interrupt window (V_IRQ with the VINTR intercept, intr.c), and
 *    KVM_RUN returns with KVM_EXIT_IRQ_WINDOW_OPEN after the first exit
 *    handled in the kernel at which the guest can take one.
 *  - Every KVM_RUN returns with if_flag, cr8, apic_base and
 *    ready_for_interrupt_injection in kvm_run, and takes the guest's CR8
 *    (the TPR of the VMM's local APIC) from run->cr8 first.
 *
 * With svmhv's irqchip (the PIC) the kernel injects, as KVM does with
 * its own: KVM_INTERRUPT is ENXIO, ready_for_interrupt_injection is
 * always 1, and run->cr8 is only reported.
 */
#include <linux/kvm.h>
#include <linux/uaccess.h>
#include <asm/processor-flags.h>

#include "intr.h"
#include "trace.h"
#include "user_intr.h"
#include "vcpu_state.h"

/*
 * KVM's kvm_vcpu_ready_for_interrupt_injection(): the guest would take
 * an interrupt now (IF set, no interrupt shadow) and no event is being
 * injected.
 */
static bool svm_user_irq_ready(struct svm_vcpu *vcpu)
{
	return svm_interrupts_allowed(vcpu) &&
	       !(vcpu->vmcb->control.event_inj & SVM_EVTINJ_VALID);
}

/**
 * svm_user_interrupt() - KVM_INTERRUPT.
 * @vcpu: the vCPU; vcpu->mutex is held
 * @ui: userspace's struct kvm_interrupt
 *
 * An external interrupt being injected already (put back after an exit,
 * or an earlier KVM_INTERRUPT) is replaced, as KVM replaces it.
 *
 * Return: 0; -EFAULT; -EINVAL for a vector above 255; -ENXIO when the VM
 * has an irqchip; -EBUSY while an exception is being injected (KVM would
 * queue the interrupt behind it; svmhv holds one event).
 */
int svm_user_interrupt(struct svm_vcpu *vcpu, struct kvm_interrupt __user *ui)
{
	struct vmcb_control_area *c = &vcpu->vmcb->control;
	struct kvm_interrupt irq;

	if (copy_from_user(&irq, ui, sizeof(irq)))
		return -EFAULT;
	if (irq.irq > 255)
		return -EINVAL;
	if (svm_has_irqchip(vcpu->vm))
		return -ENXIO;
	if ((c->event_inj & SVM_EVTINJ_VALID) &&
	    (c->event_inj & SVM_EVTINJ_TYPE_MASK) != SVM_EVTINJ_TYPE_INTR)
		return -EBUSY;
	c->event_inj = irq.irq | SVM_EVTINJ_TYPE_INTR | SVM_EVTINJ_VALID;
	c->event_inj_err = 0;
	trace_svmhv_inject(vcpu->id, c->event_inj, 0, false);
	return 0;
}

/**
 * svm_user_irq_run_begin() - KVM_RUN starts: the TPR userspace keeps.
 * @vcpu: the vCPU
 *
 * Return: 0, or -EINVAL for a CR8 above 15 in run->cr8, as KVM.
 */
int svm_user_irq_run_begin(struct svm_vcpu *vcpu)
{
	struct vmcb_control_area *c = &vcpu->vmcb->control;
	u64 cr8 = READ_ONCE(vcpu->run->cr8);

	if (svm_has_irqchip(vcpu->vm))
		return 0;
	if (cr8 > 15)
		return -EINVAL;
	if ((c->int_ctl & SVM_V_TPR_MASK) != cr8) {
		c->int_ctl = (c->int_ctl & ~SVM_V_TPR_MASK) | cr8;
		vmcb_mark_dirty(vcpu, SVM_CLEAN_TPR);
	}
	return 0;
}

/**
 * svm_user_irq_window_open() - end KVM_RUN with KVM_EXIT_IRQ_WINDOW_OPEN?
 * @vcpu: the vCPU, after an exit handled in the kernel
 *
 * Return: true when userspace asked for the window and it is open.
 */
bool svm_user_irq_window_open(struct svm_vcpu *vcpu)
{
	return READ_ONCE(vcpu->run->request_interrupt_window) &&
	       !svm_has_irqchip(vcpu->vm) && svm_user_irq_ready(vcpu);
}

/**
 * svm_user_irq_run_save() - KVM_RUN returns: the interrupt state in
 *	kvm_run, whatever the return.
 * @vcpu: the vCPU
 */
void svm_user_irq_run_save(struct svm_vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;
	const struct vmcb *vmcb = vcpu->vmcb;

	run->if_flag = !!(vmcb->save.rflags & X86_EFLAGS_IF);
	run->cr8 = vmcb->control.int_ctl & SVM_V_TPR_MASK;
	run->apic_base = vcpu->apic_base;
	run->ready_for_interrupt_injection = svm_has_irqchip(vcpu->vm) ||
					     svm_user_irq_ready(vcpu);
}
