// SPDX-License-Identifier: GPL-2.0
/*
 * The vCPU-state layer: registers, VMCB dirtying, exception injection,
 * the reports that end a run, exit counting and VM-wide requests.
 * vcpu_state.h says what it is for.
 */
#include <linux/kvm.h>
#include <linux/smp.h>
#include <asm/processor-flags.h>

#include "emulate.h"
#include "trace.h"
#include "vcpu_state.h"

/* RAX and RSP live in the VMCB, the others in vcpu->regs. */
u64 svm_reg_read(struct svm_vcpu *vcpu, int reg)
{
	if (reg == SVM_REG_RAX)
		return vcpu->vmcb->save.rax;
	if (reg == SVM_REG_RSP)
		return vcpu->vmcb->save.rsp;
	return vcpu->regs.r[reg];
}

void svm_reg_write(struct svm_vcpu *vcpu, int reg, u64 val)
{
	if (reg == SVM_REG_RAX)
		vcpu->vmcb->save.rax = val;
	else if (reg == SVM_REG_RSP)
		vcpu->vmcb->save.rsp = val;
	else
		vcpu->regs.r[reg] = val;
}

/*
 * 16, 32 or 64: the default operand size of the code running now.  CS.D
 * decides outside long mode, in real mode too (the CPU keeps the cached
 * descriptor's D bit there); virtual-8086 code is always 16-bit.
 */
int svm_code_mode(struct svm_vcpu *vcpu)
{
	const struct vmcb_save_area *s = &vcpu->vmcb->save;

	if ((s->efer & EFER_LMA) && (s->cs.attrib & BIT(9)))
		return 64;
	if (!(s->rflags & X86_EFLAGS_VM) && (s->cs.attrib & BIT(10)))
		return 32;
	return 16;
}

static struct vmcb_seg *svm_seg(struct svm_vcpu *vcpu, int seg)
{
	struct vmcb_save_area *s = &vcpu->vmcb->save;
	struct vmcb_seg *segs[] = {
		[SVM_SEG_ES] = &s->es, [SVM_SEG_CS] = &s->cs,
		[SVM_SEG_SS] = &s->ss, [SVM_SEG_DS] = &s->ds,
		[SVM_SEG_FS] = &s->fs, [SVM_SEG_GS] = &s->gs,
	};

	return segs[seg];
}

/* The linear address of @seg:@off; in 64-bit mode only FS and GS count. */
u64 svm_linear(struct svm_vcpu *vcpu, int seg, u64 off)
{
	if (svm_code_mode(vcpu) == 64 && seg != SVM_SEG_FS &&
	    seg != SVM_SEG_GS)
		return off;
	return svm_seg(vcpu, seg)->base + off;
}

/**
 * vmcb_mark_dirty() - note that a VMCB field group changed.
 * @vcpu: the vCPU
 * @clean_bit: SVM_CLEAN_*
 *
 * Every VMCB write outside the run loop goes with this call; the run
 * loop alone computes vmcb->control.clean from it.
 */
void vmcb_mark_dirty(struct svm_vcpu *vcpu, int clean_bit)
{
	vcpu->dirty |= BIT(clean_bit);
}

/**
 * svm_intercept() - turn an intercept on or off, if it changes.
 * @vcpu: the vCPU
 * @bit: INTERCEPT_*
 * @on: whether to intercept
 */
void svm_intercept(struct svm_vcpu *vcpu, u32 bit, bool on)
{
	struct vmcb_control_area *c = &vcpu->vmcb->control;

	if (on == vmcb_is_intercept(c, bit))
		return;
	if (on)
		vmcb_set_intercept(c, bit);
	else
		vmcb_clr_intercept(c, bit);
	vmcb_mark_dirty(vcpu, SVM_CLEAN_INTERCEPTS);
}

/* Exceptions that make a #DF of another (APM vol. 2, 8.2.9). */
static bool svm_contributory(int vector)
{
	return vector == DE_VECTOR || (vector >= TS_VECTOR &&
				       vector <= GP_VECTOR);
}

/**
 * svm_inject_exception() - deliver an exception on the next VMRUN.
 * @vcpu: the vCPU
 * @vector: the exception vector
 * @has_error: whether it pushes @error
 * @error: the error code
 *
 * When the exit came while the CPU was delivering another exception
 * (svm_reinject() put it back in EVENTINJ), the two combine as they
 * would on the CPU: a contributory exception or #PF raised delivering a
 * #PF, or a contributory one delivering a contributory one, is #DF; any
 * of them delivering #DF is a triple fault, which shuts the vCPU down.
 */
void svm_inject_exception(struct svm_vcpu *vcpu, int vector, bool has_error,
			  u32 error)
{
	struct vmcb_control_area *c = &vcpu->vmcb->control;
	u32 first = c->event_inj & SVM_EVTINJ_VECTOR_MASK;
	bool pending = (c->event_inj & SVM_EVTINJ_VALID) &&
		       (c->event_inj & SVM_EVTINJ_TYPE_MASK) ==
		       SVM_EVTINJ_TYPE_EXCEPTION;

	if (pending && (svm_contributory(vector) || vector == PF_VECTOR)) {
		if (first == DF_VECTOR) {
			c->event_inj = 0;
			vcpu->triple_fault = true;
			return;
		}
		if (first == PF_VECTOR ||
		    (svm_contributory(first) && svm_contributory(vector))) {
			vector = DF_VECTOR;
			has_error = true;
			error = 0;
		}
	}
	c->event_inj = vector | SVM_EVTINJ_TYPE_EXCEPTION | SVM_EVTINJ_VALID |
		       (has_error ? SVM_EVTINJ_ERROR_VALID : 0);
	c->event_inj_err = error;
	trace_svmhv_inject(vcpu->id, c->event_inj, error, false);
}

/* A #PF for @f, with its CR2 and error code, as the CPU delivers one. */
void svm_inject_pf(struct svm_vcpu *vcpu, const struct svm_fault *f)
{
	vcpu->vmcb->save.cr2 = f->addr;
	vmcb_mark_dirty(vcpu, SVM_CLEAN_CR2);
	svm_inject_exception(vcpu, PF_VECTOR, true, f->error);
}

/**
 * svm_fail_entry() - end the run with KVM_EXIT_FAIL_ENTRY.
 * @vcpu: the vCPU whose state VMRUN refuses (or would refuse)
 *
 * Return: 0, to return to userspace.
 */
int svm_fail_entry(struct svm_vcpu *vcpu)
{
	vcpu->run->exit_reason = KVM_EXIT_FAIL_ENTRY;
	vcpu->run->fail_entry.hardware_entry_failure_reason = SVM_EXIT_INVALID;
	vcpu->run->fail_entry.cpu = raw_smp_processor_id();
	return 0;
}

/*
 * End the run with KVM_EXIT_INTERNAL_ERROR and @suberror, the exit code
 * and RIP as data.  Returns 0, to return to userspace.
 */
int svm_internal_error(struct svm_vcpu *vcpu, u32 suberror)
{
	struct kvm_run *run = vcpu->run;

	run->exit_reason = KVM_EXIT_INTERNAL_ERROR;
	run->internal.suberror = suberror;
	run->internal.ndata = 2;
	run->internal.data[0] = vcpu->vmcb->control.exit_code;
	run->internal.data[1] = vcpu->vmcb->save.rip;
	return 0;
}

/* Count an exit in the statistics SVMHV_GET_VM_STATS reports. */
void svm_count(struct svm_vcpu *vcpu, enum svmhv_exit_stat s)
{
	vcpu->exits[s]++;
}

static void svm_kick_ipi(void *unused)
{
	/* Nothing: taking the interrupt made the vCPU leave guest mode. */
}

/**
 * svm_vcpu_by_id() - the vCPU with id @id, if it has been created.
 * @vm: the VM
 * @id: a vCPU id
 *
 * Lockless: vm->vcpus only grows, and a vCPU is freed only with the VM.
 *
 * Return: the vCPU, or NULL.
 */
struct svm_vcpu *svm_vcpu_by_id(struct svm_vm *vm, u32 id)
{
	int i;

	for (i = 0; i < SVM_MAX_VCPUS; i++) {
		struct svm_vcpu *vcpu = READ_ONCE(vm->vcpus[i]);

		if (vcpu && vcpu->id == id)
			return vcpu;
	}
	return NULL;
}

/**
 * svm_vm_request_all() - post a request to every vCPU and wait until
 * none of them is still in guest mode without having seen it.
 * @vm: the VM
 * @req: SVM_REQ_*
 *
 * A vCPU checks its requests after it marks itself in guest mode, and we
 * check its mode after posting the request, so either it sees the request
 * before VMRUN or we see it in guest mode and interrupt it: the INTR
 * intercept forces it out, and the IPI completes only after that.
 */
void svm_vm_request_all(struct svm_vm *vm, int req)
{
	int i;

	for (i = 0; i < SVM_MAX_VCPUS; i++) {
		struct svm_vcpu *vcpu = READ_ONCE(vm->vcpus[i]);

		if (!vcpu)
			continue;
		set_bit(req, &vcpu->requests);
		/* Order the request before reading the mode; see above. */
		smp_mb__after_atomic();
		if (READ_ONCE(vcpu->mode) == SVM_VCPU_IN_GUEST)
			smp_call_function_single(READ_ONCE(vcpu->cpu),
						 svm_kick_ipi, NULL, 1);
	}
}
