// SPDX-License-Identifier: GPL-2.0
/*
 * NMIs, as KVM has them on SVM: KVM_NMI queues one, and the run loop
 * injects it through EVENTINJ.  The CPU does not block a guest's NMIs
 * once one was injected that way, so svmhv does, as a CPU would: the vCPU
 * is "masked" from the injection to the guest's next IRET.
 *
 *  - Injected: masked, and IRET is intercepted.  The IRET exit turns the
 *    intercept off and remembers where the IRET is: the IRET has run,
 *    and the NMI is unmasked, at the first exit with RIP elsewhere
 *    (without NRIP save svmhv cannot know where it ends).
 *  - At most two wait, one while an NMI is masked or being injected.
 *  - An NMI blocked by something that needs no exit to end (the IRET
 *    just seen, an interrupt shadow, another event being injected) gets
 *    its window by single-stepping the guest over it: RFLAGS.TF and RF
 *    set, the #DB intercept (always on) catches the trap, and both flags
 *    go back as the guest had them.  The step never outlives the KVM_RUN
 *    that began it.  As KVM, a flag the instruction itself set (an IRET
 *    popping TF) is lost when the guest had it clear before.
 */
#include <linux/hw_breakpoint.h>
#include <asm/debugreg.h>
#include <asm/processor-flags.h>
#include <asm/trapnr.h>

#include "nmi.h"
#include "trace.h"
#include "vcpu_state.h"

#define SVM_NMI_STEP_FLAGS	(X86_EFLAGS_TF | X86_EFLAGS_RF)

/* Is an NMI in EVENTINJ, to be delivered by the next VMRUN? */
bool svm_nmi_injected(const struct svm_vcpu *vcpu)
{
	u32 inj = vcpu->vmcb->control.event_inj;

	return (inj & SVM_EVTINJ_VALID) &&
	       (inj & SVM_EVTINJ_TYPE_MASK) == SVM_EVTINJ_TYPE_NMI;
}

/* Would a pending NMI be taken without waiting for an IRET? */
bool svm_nmi_pending(const struct svm_vcpu *vcpu)
{
	return vcpu->nmi.pending && !vcpu->nmi.masked;
}

/* KVM's limit: two NMIs wait, one while another is handled or injected. */
static unsigned int svm_nmi_limit(const struct svm_vcpu *vcpu)
{
	return vcpu->nmi.masked || svm_nmi_injected(vcpu) ? 1 : 2;
}

/**
 * svm_nmi_set_pending() - how many NMIs wait, as KVM_SET_VCPU_EVENTS says.
 * @vcpu: the vCPU; vcpu->mutex is held
 * @pending: the count, cut to what can wait
 */
void svm_nmi_set_pending(struct svm_vcpu *vcpu, unsigned int pending)
{
	vcpu->nmi.pending = min(pending, svm_nmi_limit(vcpu));
}

/**
 * svm_nmi_queue() - KVM_NMI: one more NMI for the vCPU.
 * @vcpu: the vCPU; vcpu->mutex is held
 */
void svm_nmi_queue(struct svm_vcpu *vcpu)
{
	svm_nmi_set_pending(vcpu, vcpu->nmi.pending + 1);
}

static void svm_iret_intercept(struct svm_vcpu *vcpu, bool on)
{
	svm_intercept(vcpu, INTERCEPT_IRET, on);
}

/**
 * svm_nmi_set_masked() - block NMIs until the guest's IRET, or not.
 * @vcpu: the vCPU
 * @masked: blocked
 */
void svm_nmi_set_masked(struct svm_vcpu *vcpu, bool masked)
{
	vcpu->nmi.masked = masked;
	vcpu->nmi.iret = false;
	svm_iret_intercept(vcpu, masked);
}

/**
 * svm_nmi_reset() - no NMI pending or masked (the VMCB is being reset).
 * @vcpu: the vCPU
 */
void svm_nmi_reset(struct svm_vcpu *vcpu)
{
	memset(&vcpu->nmi, 0, sizeof(vcpu->nmi));
}

/* Step over the instruction that blocks the NMI (see the top). */
static void svm_nmi_step_begin(struct svm_vcpu *vcpu)
{
	struct vmcb_save_area *s = &vcpu->vmcb->save;

	if (vcpu->nmi.step)
		return;
	vcpu->nmi.step = true;
	vcpu->nmi.step_rflags = s->rflags & SVM_NMI_STEP_FLAGS;
	vcpu->nmi.step_dr6 = s->dr6;
	s->rflags |= SVM_NMI_STEP_FLAGS;
}

/**
 * svm_nmi_step_end() - the instruction stepped over for an NMI is done,
 *	or KVM_RUN returns: TF and RF as the guest had them.
 * @vcpu: the vCPU
 *
 * Return: true if the vCPU was stepping and the guest's own TF was set,
 * so the single-step trap is the guest's too.
 */
bool svm_nmi_step_end(struct svm_vcpu *vcpu)
{
	struct vmcb_save_area *s = &vcpu->vmcb->save;

	if (!vcpu->nmi.step)
		return false;
	vcpu->nmi.step = false;
	s->rflags &= ~SVM_NMI_STEP_FLAGS | vcpu->nmi.step_rflags;
	return vcpu->nmi.step_rflags & X86_EFLAGS_TF;
}

/**
 * svm_nmi_step_trap() - a #DB exit: the trap of an NMI step?
 * @vcpu: the vCPU, at a #DB intercept
 *
 * Return: true when the #DB is svmhv's own single-step trap and nothing
 * of the guest's: it is dropped, and DR6 is as it was.
 */
bool svm_nmi_step_trap(struct svm_vcpu *vcpu)
{
	struct vmcb_save_area *s = &vcpu->vmcb->save;

	if (!vcpu->nmi.step)
		return false;
	if (svm_nmi_step_end(vcpu) ||
	    ((s->dr6 ^ vcpu->nmi.step_dr6) & ~(u64)DR_STEP))
		return false;
	s->dr6 = vcpu->nmi.step_dr6;
	vmcb_mark_dirty(vcpu, SVM_CLEAN_DRX);
	return true;
}

/**
 * svm_nmi_before_entry() - inject a pending NMI, or open its window.
 * @vcpu: the vCPU, about to enter; before the external interrupts,
 *	which an NMI goes before
 */
void svm_nmi_before_entry(struct svm_vcpu *vcpu)
{
	struct vmcb_control_area *c = &vcpu->vmcb->control;

	if (!vcpu->nmi.pending)
		return;
	if (!(c->event_inj & SVM_EVTINJ_VALID) && !vcpu->nmi.masked &&
	    !(c->int_state & SVM_INTERRUPT_SHADOW)) {
		c->event_inj = X86_TRAP_NMI | SVM_EVTINJ_TYPE_NMI |
			       SVM_EVTINJ_VALID;
		c->event_inj_err = 0;
		vcpu->nmi.pending--;
		svm_nmi_set_masked(vcpu, true);
		trace_svmhv_inject(vcpu->id, c->event_inj, 0, false);
		return;
	}
	/* Masked, and the IRET that unmasks it will exit. */
	if (vcpu->nmi.masked && !vcpu->nmi.iret)
		return;
	svm_nmi_step_begin(vcpu);
}

/**
 * svm_nmi_after_exit() - has the IRET seen last run?
 * @vcpu: the vCPU, just out of the guest
 */
void svm_nmi_after_exit(struct svm_vcpu *vcpu)
{
	if (vcpu->nmi.iret && vcpu->vmcb->save.rip != vcpu->nmi.iret_rip) {
		vcpu->nmi.iret = false;
		vcpu->nmi.masked = false;
	}
}

/**
 * svm_iret_exit() - the guest is about to IRET from its NMI handler.
 * @vcpu: the vCPU
 *
 * Return: 1, to let it.
 */
int svm_iret_exit(struct svm_vcpu *vcpu)
{
	svm_count(vcpu, SVMHV_EXIT_OTHER);
	svm_iret_intercept(vcpu, false);
	vcpu->nmi.iret = true;
	vcpu->nmi.iret_rip = vcpu->vmcb->save.rip;
	return 1;
}
