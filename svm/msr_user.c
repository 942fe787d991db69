// SPDX-License-Identifier: GPL-2.0
/*
 * MSR accesses that userspace answers, as in KVM:
 *
 *  - KVM_X86_SET_MSR_FILTER installs a VM's filter: ranges of MSRs, each
 *    for reads, writes or both, with a bitmap of what the guest may
 *    access, and a default for the rest.  It applies to the guest's
 *    RDMSR and WRMSR only, never to KVM_GET/SET_MSRS.
 *  - KVM_CAP_X86_USER_SPACE_MSR names the failures that exit to userspace
 *    (KVM_EXIT_X86_RDMSR/WRMSR) instead of a #GP: an access the filter
 *    denies, an MSR svmhv does not have, a value it refuses.  Userspace
 *    answers in run->msr, and the next KVM_RUN completes the instruction,
 *    or makes it #GP when run->msr.error is set.
 *
 * Every MSR access is intercepted, so the filter is looked up at each
 * exit (under RCU) and a new one is seen by every vCPU's next access.
 */
#include <linux/kvm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "msr_user.h"
#include "types.h"
#include "vcpu_state.h"

static void svm_msr_filter_release(struct svm_msr_filter *f)
{
	u32 i;

	if (!f)
		return;
	for (i = 0; i < f->count; i++)
		kfree(f->ranges[i].bitmap);
	kfree(f);
}

/* Append userspace's range @ur to @f, with a copy of its bitmap. */
static int svm_msr_filter_add(struct svm_msr_filter *f,
			      const struct kvm_msr_filter_range *ur)
{
	long bytes = svm_msr_range_bytes(ur);
	unsigned long *bitmap;

	if (bytes <= 0)
		return bytes;
	bitmap = memdup_user(u64_to_user_ptr((u64)(uintptr_t)ur->bitmap),
			     bytes);
	if (IS_ERR(bitmap))
		return PTR_ERR(bitmap);
	f->ranges[f->count++] = (struct svm_msr_range) {
		.flags = ur->flags,
		.base = ur->base,
		.nmsrs = ur->nmsrs,
		.bitmap = bitmap,
	};
	return 0;
}

/**
 * svm_set_msr_filter() - KVM_X86_SET_MSR_FILTER.
 * @vm: the VM
 * @uf: userspace's struct kvm_msr_filter
 *
 * The whole filter is checked and copied before it replaces the old one;
 * a filter that allows everything by default with no ranges removes it.
 *
 * Return: 0; -EINVAL (svm_msr_filter_check(), svm_msr_range_bytes());
 * -EFAULT; -ENOMEM.
 */
int svm_set_msr_filter(struct svm_vm *vm, struct kvm_msr_filter __user *uf)
{
	struct svm_msr_filter *new, *old;
	struct kvm_msr_filter f;
	int i, ret;

	if (copy_from_user(&f, uf, sizeof(f)))
		return -EFAULT;
	ret = svm_msr_filter_check(&f);
	if (ret)
		return ret;
	new = kzalloc(sizeof(*new), GFP_KERNEL_ACCOUNT);
	if (!new)
		return -ENOMEM;
	new->default_allow = !(f.flags & KVM_MSR_FILTER_DEFAULT_DENY);
	for (i = 0; i < KVM_MSR_FILTER_MAX_RANGES; i++) {
		ret = svm_msr_filter_add(new, &f.ranges[i]);
		if (ret) {
			svm_msr_filter_release(new);
			return ret;
		}
	}
	mutex_lock(&vm->lock);
	old = rcu_replace_pointer(vm->msr_filter, new,
				  lockdep_is_held(&vm->lock));
	mutex_unlock(&vm->lock);
	synchronize_rcu();
	svm_msr_filter_release(old);
	return 0;
}

/**
 * svm_free_msr_filter() - free a VM's filter, when the VM goes.
 * @vm: the VM, which nobody else uses any more
 */
void svm_free_msr_filter(struct svm_vm *vm)
{
	svm_msr_filter_release(rcu_dereference_protected(vm->msr_filter, 1));
	RCU_INIT_POINTER(vm->msr_filter, NULL);
}

/**
 * svm_msr_check_filter() - may the guest make this RDMSR or WRMSR?
 * @vcpu: the vCPU
 * @index: the MSR
 * @write: WRMSR
 *
 * Return: 0, or -EPERM when the VM's filter denies it.
 */
int svm_msr_check_filter(struct svm_vcpu *vcpu, u32 index, bool write)
{
	u32 type = write ? KVM_MSR_FILTER_WRITE : KVM_MSR_FILTER_READ;
	bool allowed;

	rcu_read_lock();
	allowed = svm_msr_filter_allows(rcu_dereference(vcpu->vm->msr_filter),
					index, type);
	rcu_read_unlock();
	return allowed ? 0 : -EPERM;
}

/* The KVM_MSR_EXIT_REASON_* of a failed access, from its errno. */
static u32 svm_msr_reason(int err)
{
	switch (err) {
	case -EPERM:
		return KVM_MSR_EXIT_REASON_FILTER;
	case -ENOENT:
		return KVM_MSR_EXIT_REASON_UNKNOWN;
	default:
		return KVM_MSR_EXIT_REASON_INVAL;
	}
}

/**
 * svm_msr_exit_to_user() - hand a failed RDMSR or WRMSR to userspace?
 * @vcpu: the vCPU, its RIP still at the instruction
 * @index: the MSR
 * @write: WRMSR
 * @data: the value written; 0 for RDMSR
 * @err: why it failed: -EPERM (the filter), -ENOENT (no such MSR),
 *	-EINVAL (a value refused)
 *
 * When KVM_CAP_X86_USER_SPACE_MSR asked for this reason, run->msr is
 * filled in and the access becomes pending; the caller sets
 * pending.next_rip and returns to userspace.
 *
 * Return: true when the access goes to userspace; false for a #GP.
 */
bool svm_msr_exit_to_user(struct svm_vcpu *vcpu, u32 index, bool write,
			  u64 data, int err)
{
	struct kvm_run *run = vcpu->run;
	u32 reason = svm_msr_reason(err);

	if (!(READ_ONCE(vcpu->vm->user_space_msr) & reason))
		return false;
	run->exit_reason = write ? KVM_EXIT_X86_WRMSR : KVM_EXIT_X86_RDMSR;
	run->msr.error = 0;
	memset(run->msr.pad, 0, sizeof(run->msr.pad));
	run->msr.reason = reason;
	run->msr.index = index;
	run->msr.data = data;
	vcpu->pending.kind = write ? SVM_PENDING_WRMSR : SVM_PENDING_RDMSR;
	return true;
}

/**
 * svm_msr_complete() - finish the RDMSR or WRMSR userspace answered.
 * @vcpu: the vCPU, with pending.kind SVM_PENDING_RDMSR or _WRMSR
 *
 * With run->msr.error set the instruction takes a #GP; otherwise RDMSR
 * loads EDX:EAX with run->msr.data, and RIP moves past the instruction.
 */
void svm_msr_complete(struct svm_vcpu *vcpu)
{
	struct svm_pending *p = &vcpu->pending;
	struct kvm_run *run = vcpu->run;
	struct vmcb_save_area *s = &vcpu->vmcb->save;
	u64 data = READ_ONCE(run->msr.data);

	if (READ_ONCE(run->msr.error)) {
		svm_inject_exception(vcpu, GP_VECTOR, true, 0);
	} else {
		if (p->kind == SVM_PENDING_RDMSR) {
			s->rax = (u32)data;
			svm_reg_write(vcpu, SVM_REG_RDX, data >> 32);
		}
		s->rip = p->next_rip;
	}
	p->kind = SVM_PENDING_NONE;
}
