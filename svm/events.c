// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_GET/SET_VCPU_EVENTS: the event the next VMRUN injects and the
 * interrupt shadow, in KVM's struct kvm_vcpu_events.
 *
 * svmhv holds the events of a vCPU where the CPU takes them: the VMCB's
 * EVENTINJ (an exception, an external or software interrupt, re-injected
 * from EXITINTINFO or made by svmhv) and its interrupt shadow.  There is
 * one EVENTINJ, so two of an exception, an interrupt and an NMI cannot
 * both be injected.  The NMIs that wait and the NMI mask are nmi.c's.
 * svmhv has no SMM: its fields are 0 and a state that sets them is
 * refused.
 */
#include <linux/kvm.h>
#include <asm/trapnr.h>

#include "events.h"
#include "nmi.h"
#include "vcpu_state.h"

#define SVM_EVENTS_FLAGS	(KVM_VCPUEVENT_VALID_NMI_PENDING | \
				 KVM_VCPUEVENT_VALID_SIPI_VECTOR | \
				 KVM_VCPUEVENT_VALID_SHADOW | \
				 KVM_VCPUEVENT_VALID_SMM)

/**
 * svm_get_vcpu_events() - KVM_GET_VCPU_EVENTS.
 * @vcpu: the vCPU; vcpu->mutex is held
 * @ev: filled in; the flags are KVM's without its optional capabilities
 */
void svm_get_vcpu_events(struct svm_vcpu *vcpu, struct kvm_vcpu_events *ev)
{
	const struct vmcb_control_area *c = &vcpu->vmcb->control;
	u32 inj = c->event_inj;
	u32 type = inj & SVM_EVTINJ_TYPE_MASK;

	memset(ev, 0, sizeof(*ev));
	ev->flags = KVM_VCPUEVENT_VALID_NMI_PENDING |
		    KVM_VCPUEVENT_VALID_SHADOW | KVM_VCPUEVENT_VALID_SMM;
	if (c->int_state & SVM_INTERRUPT_SHADOW)
		ev->interrupt.shadow = KVM_X86_SHADOW_INT_STI |
				       KVM_X86_SHADOW_INT_MOV_SS;
	/* As KVM: whether NMIs wait, not how many. */
	ev->nmi.pending = !!vcpu->nmi.pending;
	ev->nmi.masked = vcpu->nmi.masked;
	ev->nmi.injected = svm_nmi_injected(vcpu);
	if (!(inj & SVM_EVTINJ_VALID))
		return;
	if (type == SVM_EVTINJ_TYPE_EXCEPTION) {
		ev->exception.injected = 1;
		ev->exception.nr = inj & SVM_EVTINJ_VECTOR_MASK;
		ev->exception.has_error_code = !!(inj & SVM_EVTINJ_ERROR_VALID);
		ev->exception.error_code = c->event_inj_err;
	} else if (type == SVM_EVTINJ_TYPE_INTR ||
		   type == SVM_EVTINJ_TYPE_SOFT_INT) {
		ev->interrupt.injected = 1;
		ev->interrupt.nr = inj & SVM_EVTINJ_VECTOR_MASK;
		ev->interrupt.soft = type == SVM_EVTINJ_TYPE_SOFT_INT;
	}
}

/* What svmhv cannot hold: SMM, two injected events, payloads. */
static int svm_check_vcpu_events(const struct kvm_vcpu_events *ev)
{
	if (ev->flags & ~SVM_EVENTS_FLAGS)
		return -EINVAL;
	if (ev->exception.injected &&
	    (ev->exception.nr > 31 || ev->exception.nr == X86_TRAP_NMI))
		return -EINVAL;
	if (!!ev->exception.injected + !!ev->interrupt.injected +
	    !!ev->nmi.injected > 1)
		return -EINVAL;
	if ((ev->flags & KVM_VCPUEVENT_VALID_SMM) &&
	    (ev->smi.smm || ev->smi.pending || ev->smi.latched_init))
		return -EINVAL;
	return 0;
}

/**
 * svm_set_vcpu_events() - KVM_SET_VCPU_EVENTS.
 * @vcpu: the vCPU; vcpu->mutex is held
 * @ev: the events
 *
 * As KVM: the injected exception, interrupt or NMI replaces what was
 * injected, the NMIs that wait and the NMI mask are taken as they come,
 * the interrupt shadow is taken only with KVM_VCPUEVENT_VALID_SHADOW, and
 * exception.pending is ignored without KVM_VCPUEVENT_VALID_PAYLOAD (which
 * needs KVM_CAP_EXCEPTION_PAYLOAD, not offered); the SIPI vector has no
 * local APIC to go to.
 *
 * Return: 0; -EINVAL for an unknown flag, an exception vector above 31
 * or 2 (NMI), two of an exception, an interrupt and an NMI injected, or
 * an SMM state.
 */
int svm_set_vcpu_events(struct svm_vcpu *vcpu,
			const struct kvm_vcpu_events *ev)
{
	struct vmcb_control_area *c = &vcpu->vmcb->control;
	int ret = svm_check_vcpu_events(ev);

	if (ret)
		return ret;
	c->event_inj = 0;
	c->event_inj_err = 0;
	if (ev->exception.injected) {
		c->event_inj = ev->exception.nr | SVM_EVTINJ_TYPE_EXCEPTION |
			       SVM_EVTINJ_VALID;
		if (ev->exception.has_error_code) {
			c->event_inj |= SVM_EVTINJ_ERROR_VALID;
			c->event_inj_err = ev->exception.error_code;
		}
	} else if (ev->interrupt.injected) {
		c->event_inj = ev->interrupt.nr | SVM_EVTINJ_VALID |
			       (ev->interrupt.soft ? SVM_EVTINJ_TYPE_SOFT_INT :
						     SVM_EVTINJ_TYPE_INTR);
	} else if (ev->nmi.injected) {
		c->event_inj = X86_TRAP_NMI | SVM_EVTINJ_TYPE_NMI |
			       SVM_EVTINJ_VALID;
	}
	svm_nmi_set_masked(vcpu, ev->nmi.masked);
	if (ev->flags & KVM_VCPUEVENT_VALID_NMI_PENDING)
		svm_nmi_set_pending(vcpu, ev->nmi.pending);
	if (ev->flags & KVM_VCPUEVENT_VALID_SHADOW) {
		if (ev->interrupt.shadow)
			c->int_state |= SVM_INTERRUPT_SHADOW;
		else
			c->int_state &= ~SVM_INTERRUPT_SHADOW;
	}
	set_bit(SVM_REQ_EVENT, &vcpu->requests);
	return 0;
}
