// SPDX-License-Identifier: GPL-2.0
/*
 * SVMHV_RUN_FLOOR, for the benchmarks: KVM_RUN's loop with the exit
 * handlers replaced by a step over VMMCALL, the floor under every exit
 * svmhv handles.  Kept out of the run loop's and the exit handlers'
 * files; it reuses their pieces (run.h, exits.h).
 */
#include <linux/ktime.h>
#include <linux/uaccess.h>

#include "cpu.h"
#include "exits.h"
#include "floor.h"
#include "run.h"
#include "vcpu_state.h"

static bool svm_floor_valid(const struct svmhv_floor *f)
{
	unsigned int i;

	if (!f->iterations || f->iterations > SVMHV_FLOOR_MAX)
		return false;
	for (i = 0; i < ARRAY_SIZE(f->reserved); i++)
		if (f->reserved[i])
			return false;
	return true;
}

/* VMMCALL is 0f 01 d9; the floor's guest uses it without prefixes. */
#define SVM_VMMCALL_LEN		3

/**
 * svm_floor_exit() - the exit handling of SVMHV_RUN_FLOOR.
 * @vcpu: the vCPU
 *
 * A VMMCALL is counted and stepped over, and nothing else is done (no
 * hypercall).  The exits KVM_RUN handles without the guest seeing them
 * go through svm_handle_exit() as there: a host interrupt, NMI or SMI,
 * and under shadow paging a #PF, which the shadow MMU takes to fill its
 * tables (the guest's code is not in them until first fetched).  Under
 * NPT no nested fault comes from RAM: every slot is mapped whole when
 * it is added.  Any other exit ends the floor and is left for the next
 * KVM_RUN to meet again: its instruction has not moved RIP, and an
 * event it interrupted goes back in EVENTINJ; only a state the CPU
 * refused, a shutdown and a #VMEXIT that brought back the host's state,
 * after which the VMCB is not usable, are handled (the vCPU is reset, as
 * KVM_RUN resets it).
 *
 * Not inlined: make bench's profile traces it (scripts/bench-profile.sh).
 *
 * Return: 1 for a VMMCALL, 0 for an exit handled as KVM_RUN does, or
 * -EIO for any other.
 */
static noinline int svm_floor_exit(struct svm_vcpu *vcpu)
{
	struct vmcb *vmcb = vcpu->vmcb;
	u64 code = vmcb->control.exit_code;

	if (vcpu->lost_state) {
		svm_lost_state_exit(vcpu);
		return -EIO;
	}
	svm_reinject(vcpu);
	switch (code) {
	case SVM_EXIT_VMMCALL:
		svm_count(vcpu, SVMHV_EXIT_VMMCALL);
		if (svm_host_features.nrips && vmcb->control.next_rip)
			vmcb->save.rip = vmcb->control.next_rip;
		else
			vmcb->save.rip += SVM_VMMCALL_LEN;
		return 1;
	case SVM_EXIT_INTR:
	case SVM_EXIT_NMI:
	case SVM_EXIT_SMI:
	case SVM_EXIT_VINTR:
	case SVM_EXIT_EXCP_PF:
		if (svm_handle_exit(vcpu) > 0)
			return 0;
		/* An MMIO access found: the next KVM_RUN meets it again. */
		vcpu->pending.kind = SVM_PENDING_NONE;
		return -EIO;
	case SVM_EXIT_SHUTDOWN:
		svm_handle_exit(vcpu);
		return -EIO;
	default:
		if ((u32)code == (u32)SVM_EXIT_INVALID)
			svm_handle_exit(vcpu);
		return -EIO;
	}
}

/* One turn of the floor: 1 for a VMMCALL round trip, 0 for none, or <0. */
static int svm_floor_step(struct svm_vcpu *vcpu)
{
	int ret = svm_run_once(vcpu);

	if (ret == SVM_RUN_BAD_STATE)
		return -EIO;
	if (ret == SVM_RUN_RETRY)
		return 0;
	if (ret < 0)
		return ret;
	return svm_floor_exit(vcpu);
}

/**
 * svm_vcpu_run_floor() - SVMHV_RUN_FLOOR: the least an exit costs.
 * @vcpu: the vCPU; vcpu->mutex is held
 * @uf: the caller's struct svmhv_floor
 *
 * KVM_RUN's loop (svm_run_once(): signals, rescheduling, MMU, the same
 * VMRUN path with its ASID, TLB, clean-bit and FPU work) with
 * svm_floor_exit() in place of the exit handlers, and no return to
 * userspace until the iterations are done.  The time is the loop's
 * alone, on CLOCK_MONOTONIC.
 *
 * Return: 0; -EINTR on a signal or -EIO on another exit than VMMCALL
 * (with what was done in @uf); -EINVAL for a bad request; -EFAULT.
 */
int svm_vcpu_run_floor(struct svm_vcpu *vcpu, struct svmhv_floor __user *uf)
{
	struct svmhv_floor f;
	u64 done = 0, start;
	int ret;

	if (copy_from_user(&f, uf, sizeof(f)))
		return -EFAULT;
	if (!svm_floor_valid(&f))
		return -EINVAL;
	ret = svm_run_begin(vcpu);
	if (!ret)
		ret = -EIO;	/* completing the answered access failed */

	start = ktime_get_ns();
	while (ret >= 0 && done < f.iterations) {
		ret = svm_floor_step(vcpu);
		if (ret > 0)
			done++;
	}
	f.ns = ktime_get_ns() - start;
	f.iterations = done;
	if (copy_to_user(uf, &f, sizeof(f)))
		return -EFAULT;
	return ret < 0 ? ret : 0;
}
