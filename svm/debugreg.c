// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's debug registers.
 *
 * VMRUN and #VMEXIT switch DR6 and DR7 only (the VMCB holds the guest's);
 * DR0-DR3 keep whatever the CPU had, so they are svmhv's to switch.  As
 * KVM does, the switch is lazy: every DR access is intercepted until the
 * guest makes one, which drops the intercepts and loads the guest's
 * DR0-DR3 for the next VMRUN; the guest then runs its MOVs natively until
 * the next exit, where its values are read back and the intercepts set
 * again.  They are loaded also whenever the guest's DR7 enables a
 * breakpoint, so that its breakpoints match its own addresses.  The host's
 * breakpoints come back after each exit (run.c: hw_breakpoint_restore()).
 *
 * #DB is always intercepted and given back: a guest can make a #DB recur
 * in its own delivery (a data breakpoint on the stack it is pushed on),
 * which without the intercept holds the CPU in microcode with no exit
 * (CVE-2015-8104).  The CPU has written DR6 before the intercept, so the
 * guest finds in it what it would without svmhv.
 */
#include <linux/hw_breakpoint.h>
#include <linux/kvm.h>

#include <asm/debugreg.h>

#include "debugreg.h"
#include "nmi.h"
#include "vcpu_state.h"

#define SVM_DR7_ENABLED	(DR_LOCAL_ENABLE_MASK | DR_GLOBAL_ENABLE_MASK)
#define SVM_DR7_GD		BIT_ULL(13)	/* general detect */

/**
 * svm_dr_enter() - load the guest's DR0-DR3 where it can see or use them.
 * @vcpu: the vCPU about to enter, interrupts off
 *
 * DR7 goes to 0 first: until VMRUN, no host breakpoint may match the
 * guest's addresses.  #VMEXIT leaves DR7 at 0x400, and the run loop gives
 * the host its own breakpoints back.
 */
void svm_dr_enter(struct svm_vcpu *vcpu)
{
	if (!vcpu->dr_live && !(vcpu->vmcb->save.dr7 & SVM_DR7_ENABLED))
		return;
	set_debugreg(0, 7);
	set_debugreg(vcpu->dr[0], 0);
	set_debugreg(vcpu->dr[1], 1);
	set_debugreg(vcpu->dr[2], 2);
	set_debugreg(vcpu->dr[3], 3);
}

/**
 * svm_dr_leave() - take back what the guest wrote to DR0-DR3.
 * @vcpu: the vCPU just out of VMRUN, interrupts off
 *
 * Only when the guest ran with the DR intercepts off: otherwise it could
 * not have changed them.  The intercepts go back on for the next entry.
 */
void svm_dr_leave(struct svm_vcpu *vcpu)
{
	if (!vcpu->dr_live)
		return;
	get_debugreg(vcpu->dr[0], 0);
	get_debugreg(vcpu->dr[1], 1);
	get_debugreg(vcpu->dr[2], 2);
	get_debugreg(vcpu->dr[3], 3);
	vcpu->dr_live = false;
	vcpu->vmcb->control.intercepts[INTERCEPT_DR0_READ / 32] =
		SVM_DR_INTERCEPTS;
	vmcb_mark_dirty(vcpu, SVM_CLEAN_INTERCEPTS);
}

/* Deliver @dr6_bits as the CPU delivers a #DB. */
static void svm_deliver_db(struct svm_vcpu *vcpu, u64 dr6_bits)
{
	struct vmcb_save_area *s = &vcpu->vmcb->save;

	/* The CPU clears DR7.GD as it delivers #DB, so the handler can. */
	s->dr6 |= dr6_bits;
	s->dr7 &= ~SVM_DR7_GD;
	vmcb_mark_dirty(vcpu, SVM_CLEAN_DRX);
	svm_inject_exception(vcpu, DB_VECTOR, false, 0);
}

/**
 * svm_dr_single_step() - the trap after an instruction svmhv completed.
 * @vcpu: the vCPU, whose RFLAGS.TF was set when the instruction began
 *
 * The CPU raises it after each instruction run with TF set; for one that
 * svmhv emulated or stepped over, svmhv must, with DR6.BS.
 */
void svm_dr_single_step(struct svm_vcpu *vcpu)
{
	svm_deliver_db(vcpu, DR_STEP);
}

/*
 * The guest's first DR access since the last exit: let it run its MOV
 * again, natively, on its own DR0-DR3 (svm_dr_enter()).
 */
int svm_dr_exit(struct svm_vcpu *vcpu)
{
	svm_count(vcpu, SVMHV_EXIT_OTHER);
	vcpu->vmcb->control.intercepts[INTERCEPT_DR0_READ / 32] = 0;
	vmcb_mark_dirty(vcpu, SVM_CLEAN_INTERCEPTS);
	vcpu->dr_live = true;
	return 1;
}

/* The guest's own #DB, with the DR6 the CPU wrote: give it back. */
int svm_db_exit(struct svm_vcpu *vcpu)
{
	svm_count(vcpu, SVMHV_EXIT_OTHER);
	if (svm_nmi_step_trap(vcpu))
		return 1;
	svm_deliver_db(vcpu, 0);
	return 1;
}

/**
 * svm_get_debugregs() - KVM_GET_DEBUGREGS.
 * @vcpu: the vCPU; vcpu->mutex is held (DR0-DR3 are not live)
 * @d: filled in
 */
void svm_get_debugregs(struct svm_vcpu *vcpu, struct kvm_debugregs *d)
{
	memset(d, 0, sizeof(*d));
	memcpy(d->db, vcpu->dr, sizeof(d->db));
	d->dr6 = vcpu->vmcb->save.dr6;
	d->dr7 = vcpu->vmcb->save.dr7;
}

/**
 * svm_set_debugregs() - KVM_SET_DEBUGREGS.
 * @vcpu: the vCPU; vcpu->mutex is held
 * @d: the registers
 *
 * Return: 0, or -EINVAL for nonzero flags or bits 63:32 of DR6 or DR7
 * set (as KVM).
 */
int svm_set_debugregs(struct svm_vcpu *vcpu, const struct kvm_debugregs *d)
{
	if (d->flags || upper_32_bits(d->dr6) || upper_32_bits(d->dr7))
		return -EINVAL;
	memcpy(vcpu->dr, d->db, sizeof(vcpu->dr));
	vcpu->vmcb->save.dr6 = d->dr6;
	vcpu->vmcb->save.dr7 = d->dr7;
	vmcb_mark_dirty(vcpu, SVM_CLEAN_DRX);
	return 0;
}
