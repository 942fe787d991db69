// SPDX-License-Identifier: GPL-2.0
/*
 * #VMEXIT handling: the table of handlers by exit code, the small
 * handlers, and what comes before and after every handler (an event to
 * deliver again, the end of an instruction).  The larger handlers have
 * files of their own: pio.c, mmio.c, paging.c, debugreg.c, intr.c.
 * Handlers return 1 to resume the guest, 0 to return to userspace with
 * run->exit_reason set, or a negative errno.
 */
#define pr_fmt(fmt) "svmhv: " fmt

#include <linux/kvm.h>
#include <linux/ratelimit.h>
#include <asm/processor-flags.h>

#include "cpu.h"
#include "cpuid.h"
#include "debugreg.h"
#include "emulate.h"
#include "exits.h"
#include "intr.h"
#include "linear.h"
#include "mmio.h"
#include "npf.h"
#include "msr.h"
#include "msr_user.h"
#include "nmi.h"
#include "paging.h"
#include "pio.h"
#include "reset.h"
#include "trace.h"
#include "vcpu_state.h"

#define KVM_ENOSYS		1000	/* as KVM's hypercalls answer */
#define KVM_EPERM		1

/*
 * Where the intercepted instruction with @opcode ends (see
 * svm_insn_length()): the CPU's next RIP when it has NRIP save; else
 * decode it, because prefixes make the length vary.
 */
static u64 svm_next_rip(struct svm_vcpu *vcpu, u16 opcode, int opcode_len)
{
	struct vmcb *vmcb = vcpu->vmcb;
	u8 bytes[SVM_INSN_MAX];
	int n, len = -1;

	if (svm_host_features.nrips && vmcb->control.next_rip)
		return vmcb->control.next_rip;
	n = svm_fetch(vcpu, bytes);
	if (n > 0)
		len = svm_insn_length(bytes, n, svm_code_mode(vcpu), opcode,
				      opcode_len);
	return vmcb->save.rip + (len > 0 ? len : opcode_len);
}

/* Step over the intercepted instruction with @opcode. */
static void svm_skip(struct svm_vcpu *vcpu, u16 opcode, int opcode_len)
{
	vcpu->vmcb->save.rip = svm_next_rip(vcpu, opcode, opcode_len);
}

static int intr_exit(struct svm_vcpu *vcpu)
{
	/* The host takes the interrupt when the run loop enables them. */
	svm_count(vcpu, SVMHV_EXIT_INTR);
	return 1;
}

static int cpuid_exit(struct svm_vcpu *vcpu)
{
	u32 out[4];

	svm_count(vcpu, SVMHV_EXIT_CPUID);
	svm_cpuid_lookup(vcpu, vcpu->vmcb->save.rax,
			 svm_reg_read(vcpu, SVM_REG_RCX), out);
	vcpu->vmcb->save.rax = out[0];
	svm_reg_write(vcpu, SVM_REG_RBX, out[1]);
	svm_reg_write(vcpu, SVM_REG_RCX, out[2]);
	svm_reg_write(vcpu, SVM_REG_RDX, out[3]);
	svm_skip(vcpu, 0x0fa2, 2);
	return 1;
}

/*
 * With an irqchip, a HLT that an interrupt can end blocks in the kernel
 * (svm_vcpu_halt(), from the run loop, outside slots_lock); any other
 * exits to userspace.
 */
static int hlt_exit(struct svm_vcpu *vcpu)
{
	svm_count(vcpu, SVMHV_EXIT_HLT);
	svm_skip(vcpu, 0xf4, 1);
	if (svm_irq_hlt(vcpu))
		return 1;
	vcpu->run->exit_reason = KVM_EXIT_HLT;
	return 0;
}

static int vmmcall_exit(struct svm_vcpu *vcpu)
{
	struct vmcb_save_area *s = &vcpu->vmcb->save;

	svm_count(vcpu, SVMHV_EXIT_VMMCALL);
	/* Hypercalls are the guest kernel's: user mode gets -KVM_EPERM. */
	if (s->cpl)
		s->rax = (u64)-KVM_EPERM;
	else
		s->rax = s->rax == SVMHV_HC_NOP ? 0 : (u64)-KVM_ENOSYS;
	svm_skip(vcpu, 0x01d9, 3);
	return 1;
}

/* Nested SVM is not offered: every SVM instruction is #UD. */
static int svm_insn_exit(struct svm_vcpu *vcpu)
{
	svm_count(vcpu, SVMHV_EXIT_SVM_INSN);
	svm_inject_exception(vcpu, UD_VECTOR, false, 0);
	return 1;
}

/*
 * The intercepts that keep the host's state from the guest (see
 * svm_init_intercepts()), counted as SVMHV_EXIT_OTHER.  RDTSCP and RDPRU,
 * and INVPCID under shadow paging (shadow_prepare_vmcb()), are hidden from
 * CPUID: #UD, as on a CPU without them.  No performance
 * counters are offered: RDPMC is #GP(0), as for a counter that does not
 * exist.  INVD and WBINVD (and WBNOINVD, which shares WBINVD's exit) do
 * nothing: guest memory is write-back and coherent, as KVM has it.
 */
static int hidden_insn_exit(struct svm_vcpu *vcpu)
{
	svm_count(vcpu, SVMHV_EXIT_OTHER);
	svm_inject_exception(vcpu, UD_VECTOR, false, 0);
	return 1;
}

static int rdpmc_exit(struct svm_vcpu *vcpu)
{
	svm_count(vcpu, SVMHV_EXIT_OTHER);
	svm_inject_exception(vcpu, GP_VECTOR, true, 0);
	return 1;
}

static int invd_exit(struct svm_vcpu *vcpu)
{
	svm_count(vcpu, SVMHV_EXIT_OTHER);
	svm_skip(vcpu, 0x0f08, 2);
	return 1;
}

static int wbinvd_exit(struct svm_vcpu *vcpu)
{
	svm_count(vcpu, SVMHV_EXIT_OTHER);
	svm_skip(vcpu, 0x0f09, 2);
	return 1;
}

/* The guest's own #AC, delivered through an exit each time. */
static int ac_exit(struct svm_vcpu *vcpu)
{
	svm_count(vcpu, SVMHV_EXIT_OTHER);
	svm_inject_exception(vcpu, AC_VECTOR, true, 0);
	return 1;
}

/* The run loop gave the #MC to the host's handler; the guest goes on. */
static int mc_exit(struct svm_vcpu *vcpu)
{
	svm_count(vcpu, SVMHV_EXIT_OTHER);
	return 1;
}

static int shutdown_exit(struct svm_vcpu *vcpu)
{
	svm_count(vcpu, SVMHV_EXIT_SHUTDOWN);
	/* The VMCB is undefined after a shutdown: start from reset. */
	svm_vcpu_reset(vcpu);
	vcpu->run->exit_reason = KVM_EXIT_SHUTDOWN;
	return 0;
}

/**
 * svm_shutdown_pending() - KVM_RUN starts: did an ioctl shut the vCPU down
 *	(KVM_X86_SET_MCE with a machine check in progress)?
 * @vcpu: the vCPU
 *
 * Return: 1 to go on, or 0 with KVM_EXIT_SHUTDOWN.
 */
int svm_shutdown_pending(struct svm_vcpu *vcpu)
{
	if (!vcpu->triple_fault)
		return 1;
	vcpu->triple_fault = false;
	return shutdown_exit(vcpu);
}

/*
 * RDMSR and WRMSR.  An access the VM's filter denies, or one svmhv cannot
 * do (an MSR it does not have, a value it refuses), goes to userspace
 * when KVM_CAP_X86_USER_SPACE_MSR asked for that reason (msr_user.c), and
 * is a #GP otherwise.
 */
static int msr_exit(struct svm_vcpu *vcpu)
{
	struct vmcb_save_area *s = &vcpu->vmcb->save;
	u32 index = svm_reg_read(vcpu, SVM_REG_RCX);
	bool write = vcpu->vmcb->control.exit_info_1;
	u16 opcode = write ? 0x0f30 : 0x0f32;
	u64 val = 0;
	int ret;

	svm_count(vcpu, SVMHV_EXIT_MSR);
	if (write)
		val = (u32)s->rax | svm_reg_read(vcpu, SVM_REG_RDX) << 32;
	ret = svm_msr_check_filter(vcpu, index, write);
	if (!ret)
		ret = write ? svm_set_msr(vcpu, index, val, false) :
			      svm_get_msr(vcpu, index, &val, false);
	if (!ret) {
		if (!write) {
			s->rax = (u32)val;
			svm_reg_write(vcpu, SVM_REG_RDX, val >> 32);
		}
		svm_skip(vcpu, opcode, 2);
		return 1;
	}
	if (svm_msr_exit_to_user(vcpu, index, write, val, ret)) {
		vcpu->pending.next_rip = svm_next_rip(vcpu, opcode, 2);
		return 0;
	}
	svm_inject_exception(vcpu, GP_VECTOR, true, 0);
	return 1;
}

static int (*const svm_exit_handlers[])(struct svm_vcpu *vcpu) = {
	/* Intercepted only under shadow paging: */
	[SVM_EXIT_READ_CR0] = svm_cr_exit,
	[SVM_EXIT_READ_CR3] = svm_cr_exit,
	[SVM_EXIT_READ_CR4] = svm_cr_exit,
	[SVM_EXIT_WRITE_CR0] = svm_cr_exit,
	[SVM_EXIT_WRITE_CR3] = svm_cr_exit,
	[SVM_EXIT_WRITE_CR4] = svm_cr_exit,
	[SVM_EXIT_WRITE_CR8] = svm_cr_exit,
	[SVM_EXIT_EXCP_PF] = svm_pf_exit,
	[SVM_EXIT_INVLPG] = svm_invlpg_exit,
	[SVM_EXIT_TASK_SWITCH] = svm_task_switch_exit,
	/* Always: */
	[SVM_EXIT_INTR] = intr_exit,
	[SVM_EXIT_NMI] = intr_exit,
	[SVM_EXIT_SMI] = intr_exit,
	/* With an irqchip: */
	[SVM_EXIT_VINTR] = svm_vintr_exit,
	[SVM_EXIT_CPUID] = cpuid_exit,
	[SVM_EXIT_IRET] = svm_iret_exit,
	[SVM_EXIT_HLT] = hlt_exit,
	[SVM_EXIT_INVLPGA] = svm_insn_exit,
	[SVM_EXIT_IOIO] = svm_ioio_exit,
	[SVM_EXIT_MSR] = msr_exit,
	[SVM_EXIT_SHUTDOWN] = shutdown_exit,
	[SVM_EXIT_VMRUN] = svm_insn_exit,
	[SVM_EXIT_VMMCALL] = vmmcall_exit,
	[SVM_EXIT_VMLOAD] = svm_insn_exit,
	[SVM_EXIT_VMSAVE] = svm_insn_exit,
	[SVM_EXIT_STGI] = svm_insn_exit,
	[SVM_EXIT_CLGI] = svm_insn_exit,
	[SVM_EXIT_SKINIT] = svm_insn_exit,
	[SVM_EXIT_MONITOR] = svm_insn_exit,
	[SVM_EXIT_MWAIT] = svm_insn_exit,
	[SVM_EXIT_XSETBV] = svm_insn_exit,
	[SVM_EXIT_RDTSCP] = hidden_insn_exit,
	[SVM_EXIT_RDPRU] = hidden_insn_exit,
	[SVM_EXIT_INVPCID] = hidden_insn_exit,
	[SVM_EXIT_RDPMC] = rdpmc_exit,
	[SVM_EXIT_INVD] = invd_exit,
	[SVM_EXIT_WBINVD] = wbinvd_exit,
	[SVM_EXIT_READ_DR0 ... SVM_EXIT_READ_DR0 + 7] = svm_dr_exit,
	[SVM_EXIT_WRITE_DR0 ... SVM_EXIT_WRITE_DR0 + 7] = svm_dr_exit,
	[SVM_EXIT_EXCP_DB] = svm_db_exit,
	[SVM_EXIT_EXCP_AC] = ac_exit,
	[SVM_EXIT_EXCP_MC] = mc_exit,
};

static void svm_dump_vmcb(struct svm_vcpu *vcpu)
{
	static DEFINE_RATELIMIT_STATE(rs, 5 * HZ, 2);
	const struct vmcb *v = vcpu->vmcb;

	if (!__ratelimit(&rs))
		return;
	pr_warn("vcpu%u: unexpected exit %#llx info1 %#llx info2 %#llx intinfo %#x\n",
		vcpu->id, v->control.exit_code, v->control.exit_info_1,
		v->control.exit_info_2, v->control.exit_int_info);
	pr_warn("vcpu%u: rip %#llx rsp %#llx rflags %#llx cr0 %#llx cr3 %#llx cr4 %#llx efer %#llx cs %#x/%#llx/%#x\n",
		vcpu->id, v->save.rip, v->save.rsp, v->save.rflags, v->save.cr0,
		v->save.cr3, v->save.cr4, v->save.efer, v->save.cs.selector,
		v->save.cs.base, v->save.cs.attrib);
}

/*
 * An event the guest was being delivered when the exit came (for
 * example a #PF whose IDT access faulted in the nested tables) must be
 * delivered again.  INTn, INT3 and INTO are left out: without NRIP save
 * the guest simply executes them again.
 */
void svm_reinject(struct svm_vcpu *vcpu)
{
	struct vmcb_control_area *c = &vcpu->vmcb->control;
	u32 info = c->exit_int_info;

	c->event_inj = 0;
	if (!(info & SVM_EVTINJ_VALID))
		return;
	if ((info & SVM_EVTINJ_TYPE_MASK) == SVM_EVTINJ_TYPE_SOFT_INT)
		return;
	if ((info & SVM_EVTINJ_TYPE_MASK) == SVM_EVTINJ_TYPE_EXCEPTION &&
	    ((info & SVM_EVTINJ_VECTOR_MASK) == 3 ||
	     (info & SVM_EVTINJ_VECTOR_MASK) == 4))
		return;
	c->event_inj = info;
	c->event_inj_err = c->exit_int_info_err;
	trace_svmhv_inject(vcpu->id, info, c->event_inj_err, true);
}

/*
 * The host completed the instruction at @rip (RIP moved on), so what the
 * CPU does after an instruction is svmhv's to do: an interrupt shadow it
 * was in (STI; HLT, or a MOV SS before it) ends with it, and with
 * RFLAGS.TF set the single-step trap follows it.
 */
static void svm_insn_done(struct svm_vcpu *vcpu, u64 rip)
{
	struct vmcb *vmcb = vcpu->vmcb;

	if (vmcb->save.rip == rip)
		return;
	vmcb->control.int_state &= ~SVM_INTERRUPT_SHADOW;
	/* The step for an NMI window ends here; the guest's TF may not. */
	if (vcpu->nmi.step ? svm_nmi_step_end(vcpu) :
			     vmcb->save.rflags & X86_EFLAGS_TF)
		svm_dr_single_step(vcpu);
}

/*
 * The #VMEXIT left the host's registers in the VMCB (svm_save_is_host()):
 * nothing of the guest is left to run, and the host's must not reach
 * userspace.  Reset the vCPU and say so: KVM_EXIT_INTERNAL_ERROR with
 * SVMHV_INTERNAL_ERROR_LOST_STATE.
 */
int svm_lost_state_exit(struct svm_vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;

	pr_warn_ratelimited("vcpu%u: exit %#llx came back with the host's state in the VMCB (an emulated CPU's bug); vCPU reset\n",
			    vcpu->id, vcpu->vmcb->control.exit_code);
	svm_count(vcpu, SVMHV_EXIT_OTHER);
	svm_vcpu_reset(vcpu);
	run->exit_reason = KVM_EXIT_INTERNAL_ERROR;
	run->internal.suberror = SVMHV_INTERNAL_ERROR_LOST_STATE;
	run->internal.ndata = 0;
	return 0;
}

/**
 * svm_handle_exit() - handle the #VMEXIT that just happened.
 * @vcpu: the vCPU
 *
 * Return: 1 to resume the guest, 0 to return to userspace, or <0.
 */
int svm_handle_exit(struct svm_vcpu *vcpu)
{
	const struct vmcb *v = vcpu->vmcb;
	u64 code = v->control.exit_code, rip;
	int ret;

	trace_svmhv_exit(vcpu->id, code, v->control.exit_info_1,
			 v->control.exit_info_2, v->save.rip,
			 v->control.exit_int_info);

	/*
	 * VMRUN refused the state (svm_guest_state_valid() missed a check;
	 * the emulated CPU stores SVM_EXIT_INVALID as 32 bits).  The save
	 * area may now hold the host's state (the emulated CPU writes it
	 * there): start from reset so none of it reaches userspace.
	 */
	if ((u32)code == (u32)SVM_EXIT_INVALID) {
		svm_vcpu_reset(vcpu);
		return svm_fail_entry(vcpu);
	}
	if (vcpu->lost_state)
		return svm_lost_state_exit(vcpu);
	svm_reinject(vcpu);
	svm_nmi_after_exit(vcpu);

	rip = vcpu->vmcb->save.rip;
	down_read(&vcpu->vm->slots_lock);
	if (code == SVM_EXIT_NPF)
		ret = svm_npf_exit(vcpu);
	else if (code < ARRAY_SIZE(svm_exit_handlers) &&
		 svm_exit_handlers[code])
		ret = svm_exit_handlers[code](vcpu);
	else
		ret = -ENOENT;
	up_read(&vcpu->vm->slots_lock);
	svm_insn_done(vcpu, rip);

	if (vcpu->triple_fault) {
		vcpu->triple_fault = false;
		return shutdown_exit(vcpu);
	}
	if (ret == -ENOENT) {
		svm_count(vcpu, SVMHV_EXIT_OTHER);
		svm_dump_vmcb(vcpu);
		return svm_internal_error(vcpu,
				KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON);
	}
	return ret;
}

/**
 * svm_complete_userspace() - finish the access userspace just answered.
 * @vcpu: the vCPU
 *
 * Return: 1 to go on into the guest, 0 or <0 to return to userspace.
 */
int svm_complete_userspace(struct svm_vcpu *vcpu)
{
	u64 rip = vcpu->vmcb->save.rip;
	int ret = 1;

	switch (vcpu->pending.kind) {
	case SVM_PENDING_NONE:
		break;
	case SVM_PENDING_MMIO_READ:
		ret = svm_mmio_complete(vcpu);
		break;
	case SVM_PENDING_MMIO_WRITE:
		svm_mmio_write_done(vcpu);
		break;
	case SVM_PENDING_RDMSR:
	case SVM_PENDING_WRMSR:
		svm_msr_complete(vcpu);
		break;
	default:
		ret = svm_pio_complete(vcpu);
		break;
	}
	svm_insn_done(vcpu, rip);
	return ret;
}
