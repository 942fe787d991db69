// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_RUN: the run loop around one VMRUN.
 *
 * The shape (as bhyve's svm_run): complete what userspace answered; then
 * loop: bail out for signals; disable interrupts and preemption; decide
 * ASID and TLB flush; CLGI; VMRUN; STGI; handle the exit; go on while the
 * exit was handled in the kernel.
 *
 * SVMHV_RUN_FLOOR (floor.c) runs the same loop with the exit handlers
 * replaced by a step over VMMCALL: the floor under every exit svmhv
 * handles.
 */
#include <linux/hw_breakpoint.h>
#include <linux/kvm.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <asm/debugreg.h>
#include <asm/fpu/api.h>
#include <asm/mce.h>
#include <asm/processor-flags.h>
#include <asm/special_insns.h>

#include "cpu.h"
#include "debugreg.h"
#include "exits.h"
#include "intr.h"
#include "nmi.h"
#include "run.h"
#include "state.h"
#include "svm_ops.h"
#include "trace.h"
#include "user_intr.h"
#include "vcpu_state.h"

#define SVM_CLEAN_ALL	(BIT(SVM_CLEAN_NR_BITS) - 1)

/*
 * The clean bits for this VMRUN, from what changed since the last one.
 * What the CPU cached is only this VMCB's if this VMCB was the last one
 * run on this CPU (APM vol. 2, 15.15 "VMCB State Caching").
 */
static u32 svm_clean_bits(struct svm_vcpu *vcpu)
{
	u32 dirty = vcpu->dirty;
	bool other_vmcb = svm_cpu_switch_vmcb(vcpu->vmcb_pa);

	vcpu->dirty = 0;
	if (!svm_host_features.vmcb_clean || other_vmcb)
		return 0;
	return SVM_CLEAN_ALL & ~dirty;
}

/*
 * A #MC intercepted in guest mode does not reach the host's handler by
 * itself (APM vol. 2, 15.12 "Exception Intercepts"): call it, as from
 * user mode, with interrupts on in the frame as KVM does.
 */
static void svm_host_machine_check(void)
{
#ifdef CONFIG_X86_MCE
	struct pt_regs regs = { .cs = 3, .flags = X86_EFLAGS_IF };

	do_machine_check(&regs);
#endif
}

static void svm_fpu_load(struct fxregs_state *fx)
{
	asm volatile("fxrstorq %0" : : "m"(*fx));
}

static void svm_fpu_save(struct fxregs_state *fx)
{
	asm volatile("fxsaveq %0" : "=m"(*fx));
}

/*
 * The VMCB's controls for this VMRUN, on this CPU with interrupts off:
 * the slot generation it runs with, its ASID, the TLB flush it needs and
 * the clean bits.
 */
static void svm_prepare_vmcb(struct svm_vcpu *vcpu)
{
	struct vmcb_control_area *c = &vcpu->vmcb->control;
	bool flush;

	/* Every slot of this generation is mapped now: svm_npf_exit(). */
	vcpu->entry_slots_gen = READ_ONCE(vcpu->vm->slots_gen);
	flush = svm_cpu_assign_asid(&vcpu->asid, &vcpu->asid_gen,
				    &vcpu->asid_cpu);
	if (c->asid != vcpu->asid) {
		c->asid = vcpu->asid;
		vmcb_mark_dirty(vcpu, SVM_CLEAN_ASID);
	}
	if (test_and_clear_bit(SVM_REQ_TLB_FLUSH, &vcpu->requests) && !flush)
		c->tlb_control = svm_host_features.flush_by_asid ?
				 SVM_TLB_CONTROL_FLUSH_ASID :
				 SVM_TLB_CONTROL_FLUSH_ALL;
	if (flush)
		c->tlb_control = SVM_TLB_CONTROL_FLUSH_ALL;
	c->clean = svm_clean_bits(vcpu);
}

/*
 * The part with interrupts off: everything that must not change between
 * the decision to enter and VMRUN itself.  Returns 0 (and does not enter)
 * when a request, a signal or the scheduler wants the thread, -EIO when
 * SVM is going off for a reboot, 1 after a VMRUN.
 */
static int svm_enter_guest_irqoff(struct svm_vcpu *vcpu)
{
	struct vmcb_control_area *c = &vcpu->vmcb->control;
	int cpu = smp_processor_id();
	u64 host_aux;
	bool swap_aux;

	/* Not one more SVM instruction: the reboot IPI clears EFER.SVME. */
	if (svm_cpus_going_down())
		return -EIO;
	WRITE_ONCE(vcpu->cpu, cpu);
	WRITE_ONCE(vcpu->mode, SVM_VCPU_IN_GUEST);
	/* Pairs with the barriers in svm_vm_request_all(), svm_vcpu_wake(). */
	smp_mb();
	if (need_resched() || signal_pending(current) ||
	    test_bit(SVM_REQ_EVENT, &vcpu->requests)) {
		WRITE_ONCE(vcpu->mode, SVM_VCPU_OUTSIDE_GUEST);
		return 0;
	}

	svm_prepare_vmcb(vcpu);
	trace_svmhv_entry(vcpu->id, vcpu->vmcb->save.rip);
	host_aux = svm_cpu_host_tsc_aux();
	swap_aux = host_aux != vcpu->tsc_aux && host_aux != -1ULL;

	svm_dr_enter(vcpu);
	/*
	 * The guest holds nothing of RCU's: its time is a quiescent state,
	 * as user time is (KVM's guest_context_enter_irqoff()).  Else a
	 * vCPU that stays in the guest, preemption off (kernel_fpu_begin())
	 * whenever a tick comes, holds grace periods back until it returns.
	 */
	rcu_virt_note_context_switch(cpu);

	svm_clgi();
	/* GIF=0 from here: not even an NMI sees the guest's TSC_AUX. */
	if (swap_aux)
		wrmsrl(MSR_TSC_AUX, vcpu->tsc_aux);
	/*
	 * With V_INTR_MASKING the host's RFLAGS.IF at VMRUN decides whether
	 * physical interrupts reach the INTR intercept, so set it; GIF=0
	 * keeps them away from the host until STGI.
	 */
	local_irq_enable();
	svm_vmrun(&vcpu->regs, vcpu->vmcb_pa, svm_cpu_host_save_pa());
	local_irq_disable();
	/* Before anything can switch CR3: see svm_save_is_host(). */
	vcpu->lost_state = svm_save_is_host(&vcpu->vmcb->save,
					    (unsigned long)svm_vmrun_resume,
					    __read_cr3());

	if (swap_aux)
		wrmsrl(MSR_TSC_AUX, host_aux);
	/* #VMEXIT left DR7 at 0x400; give the host its breakpoints back. */
	svm_dr_leave(vcpu);
	if (hw_breakpoint_active())
		hw_breakpoint_restore();
	svm_stgi();
	/* The CPU took a machine check in the guest: it is the host's. */
	if (c->exit_code == SVM_EXIT_EXCP_BASE + MC_VECTOR)
		svm_host_machine_check();

	c->tlb_control = SVM_TLB_CONTROL_DO_NOTHING;
	WRITE_ONCE(vcpu->mode, SVM_VCPU_OUTSIDE_GUEST);
	vcpu->runs++;
	return 1;
}

/*
 * One VMRUN.  The guest's x87/SSE state goes in and out around it; the
 * thread's own FPU state is saved by kernel_fpu_begin() and comes back
 * when the thread returns to userspace.
 */
static int svm_enter_guest(struct svm_vcpu *vcpu)
{
	int ran;

	kernel_fpu_begin();
	svm_fpu_load(vcpu->fpu);
	local_irq_disable();
	ran = svm_enter_guest_irqoff(vcpu);
	local_irq_enable();
	svm_fpu_save(vcpu->fpu);
	kernel_fpu_end();
	return ran;
}

/*
 * One turn of the run loop up to the #VMEXIT, the same for KVM_RUN and
 * the floor: stop for a signal, let the scheduler run, wait in HLT for an
 * interrupt, let the MMU load what the guest changed, check the state
 * VMRUN gets, inject an interrupt, and enter.
 *
 * Return: SVM_RUN_*, -EINTR when a signal is pending, -EIO when the host
 * is going down (SVM is being turned off for a reboot), or the MMU's errno.
 */
int svm_run_once(struct svm_vcpu *vcpu)
{
	int ret;

	if (signal_pending(current))
		return -EINTR;
	cond_resched();
	if (vcpu->halted) {
		ret = svm_vcpu_halt(vcpu);
		if (ret)
			return ret;
	}
	if (vcpu->mmu_reload && vcpu->vm->mmu->load) {
		down_read(&vcpu->vm->slots_lock);
		ret = vcpu->vm->mmu->load(vcpu);
		up_read(&vcpu->vm->slots_lock);
		if (ret)
			return ret;
	}
	if (!svm_guest_state_valid(&vcpu->vmcb->save))
		return SVM_RUN_BAD_STATE;
	svm_irq_before_entry(vcpu);
	ret = svm_enter_guest(vcpu);
	if (ret < 0)
		return ret;
	return ret ? SVM_RUN_EXITED : SVM_RUN_RETRY;
}

/*
 * Before the first entry of KVM_RUN or of the floor: from now on
 * SVMHV_SET_MMU refuses (it holds vm->lock), and the access userspace
 * answered completes.  Returns as svm_complete_userspace().
 */
int svm_run_begin(struct svm_vcpu *vcpu)
{
	if (!READ_ONCE(vcpu->vm->ran)) {
		mutex_lock(&vcpu->vm->lock);
		vcpu->vm->ran = true;
		mutex_unlock(&vcpu->vm->lock);
	}
	return svm_complete_userspace(vcpu);
}

/* KVM_RUN's loop: see svm_vcpu_run(). */
static int svm_vcpu_run_loop(struct svm_vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;
	int ret;

	ret = svm_run_begin(vcpu);
	if (ret > 0)
		ret = svm_shutdown_pending(vcpu);
	if (ret <= 0)
		return ret;

	for (;;) {
		/* As KVM: immediate_exit leaves exit_reason as it was. */
		if (READ_ONCE(run->immediate_exit))
			return -EINTR;
		ret = svm_run_once(vcpu);
		if (ret == -EINTR)
			run->exit_reason = KVM_EXIT_INTR;
		if (ret < 0)
			return ret;
		if (ret == SVM_RUN_BAD_STATE)
			return svm_fail_entry(vcpu);
		if (ret == SVM_RUN_RETRY)
			continue;
		ret = svm_handle_exit(vcpu);
		if (ret <= 0)
			return ret;
		if (svm_user_irq_window_open(vcpu)) {
			run->exit_reason = KVM_EXIT_IRQ_WINDOW_OPEN;
			return 0;
		}
	}
}

/**
 * svm_vcpu_run() - KVM_RUN.
 * @vcpu: the vCPU; vcpu->mutex is held
 *
 * Return: 0 with run->exit_reason set, -EINTR with KVM_EXIT_INTR when a
 * signal is pending, -EINTR with exit_reason untouched when immediate_exit
 * is set, or another negative errno.
 */
int svm_vcpu_run(struct svm_vcpu *vcpu)
{
	int ret = svm_vcpu_run_loop(vcpu);

	svm_nmi_step_end(vcpu);
	svm_irq_run_done(vcpu);
	return ret;
}

