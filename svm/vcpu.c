// SPDX-License-Identifier: GPL-2.0
/*
 * vCPU file descriptors: KVM_CREATE_VCPU, the vCPU ioctls, the mmap of
 * struct kvm_run, and the architectural state userspace reads and writes.
 */
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/fpu/types.h>
#include <asm/msr.h>
#include <asm/processor-flags.h>
#include <asm/tsc.h>

#include "cpuid.h"
#include "debugreg.h"
#include "events.h"
#include "floor.h"
#include "fpu.h"
#include "intr.h"
#include "lapic.h"
#include "mce.h"
#include "msr.h"
#include "nmi.h"
#include "paging_regs.h"
#include "reset.h"
#include "run.h"
#include "state.h"
#include "stats.h"
#include "user_intr.h"
#include "vcpu.h"
#include "vcpu_state.h"
#include "vm.h"

#define SVM_RUN_PAGES		2	/* kvm_run, then port I/O data */
#define SVM_PIO_PAGE_OFFSET	1


/*
 * VMCB segment attributes (APM vol. 2, 15.5.1): packed descriptor bits.
 * An unusable segment only loses P, as in KVM, and keeps the rest:
 * GET_SREGS reports every segment with P clear as unusable, so a VMM
 * that writes back what it read must not change the guest.  The CPU
 * ignores P for CS and still uses CS.D, in real mode too.
 */
static void svm_seg_to_vmcb(const struct kvm_segment *s, struct vmcb_seg *v)
{
	bool present = (s->present & 1) && !s->unusable;

	v->selector = s->selector;
	v->base = s->base;
	v->limit = s->limit;
	v->attrib = (s->type & 0xf) | (s->s & 1) << 4 | (s->dpl & 3) << 5 |
		    present << 7 | (s->avl & 1) << 8 | (s->l & 1) << 9 |
		    (s->db & 1) << 10 | (s->g & 1) << 11;
}

static void svm_seg_from_vmcb(const struct vmcb_seg *v, struct kvm_segment *s)
{
	memset(s, 0, sizeof(*s));
	s->selector = v->selector;
	s->base = v->base;
	s->limit = v->limit;
	s->type = v->attrib & 0xf;
	s->s = v->attrib >> 4 & 1;
	s->dpl = v->attrib >> 5 & 3;
	s->present = v->attrib >> 7 & 1;
	s->avl = v->attrib >> 8 & 1;
	s->l = v->attrib >> 9 & 1;
	s->db = v->attrib >> 10 & 1;
	s->g = v->attrib >> 11 & 1;
	s->unusable = !s->present;
}

static void svm_get_regs(struct svm_vcpu *vcpu, struct kvm_regs *r)
{
	const u64 *g = vcpu->regs.r;

	r->rax = vcpu->vmcb->save.rax;
	r->rbx = g[SVM_REG_RBX];
	r->rcx = g[SVM_REG_RCX];
	r->rdx = g[SVM_REG_RDX];
	r->rsi = g[SVM_REG_RSI];
	r->rdi = g[SVM_REG_RDI];
	r->rsp = vcpu->vmcb->save.rsp;
	r->rbp = g[SVM_REG_RBP];
	r->r8 = g[8];
	r->r9 = g[9];
	r->r10 = g[10];
	r->r11 = g[11];
	r->r12 = g[12];
	r->r13 = g[13];
	r->r14 = g[14];
	r->r15 = g[15];
	r->rip = vcpu->vmcb->save.rip;
	r->rflags = vcpu->vmcb->save.rflags;
}

static int svm_set_regs(struct svm_vcpu *vcpu, const struct kvm_regs *r)
{
	u64 *g = vcpu->regs.r;

	/*
	 * An access that exited to userspace completes at the next KVM_RUN
	 * unless userspace moved RIP away from it, as KVM decides: a VMM
	 * that writes back the registers it just read changes nothing.
	 */
	if (r->rip != vcpu->vmcb->save.rip)
		vcpu->pending.kind = SVM_PENDING_NONE;
	vcpu->vmcb->save.rax = r->rax;
	g[SVM_REG_RBX] = r->rbx;
	g[SVM_REG_RCX] = r->rcx;
	g[SVM_REG_RDX] = r->rdx;
	g[SVM_REG_RSI] = r->rsi;
	g[SVM_REG_RDI] = r->rdi;
	vcpu->vmcb->save.rsp = r->rsp;
	g[SVM_REG_RBP] = r->rbp;
	g[8] = r->r8;
	g[9] = r->r9;
	g[10] = r->r10;
	g[11] = r->r11;
	g[12] = r->r12;
	g[13] = r->r13;
	g[14] = r->r14;
	g[15] = r->r15;
	vcpu->vmcb->save.rip = r->rip;
	vcpu->vmcb->save.rflags = r->rflags | 2;	/* bit 1 reads as 1 */
	return 0;
}

static void svm_get_sregs(struct svm_vcpu *vcpu, struct kvm_sregs *sr)
{
	const struct vmcb_save_area *s = &vcpu->vmcb->save;

	memset(sr, 0, sizeof(*sr));
	svm_seg_from_vmcb(&s->cs, &sr->cs);
	svm_seg_from_vmcb(&s->ds, &sr->ds);
	svm_seg_from_vmcb(&s->es, &sr->es);
	svm_seg_from_vmcb(&s->fs, &sr->fs);
	svm_seg_from_vmcb(&s->gs, &sr->gs);
	svm_seg_from_vmcb(&s->ss, &sr->ss);
	svm_seg_from_vmcb(&s->tr, &sr->tr);
	svm_seg_from_vmcb(&s->ldtr, &sr->ldt);
	sr->gdt.base = s->gdtr.base;
	sr->gdt.limit = s->gdtr.limit;
	sr->idt.base = s->idtr.base;
	sr->idt.limit = s->idtr.limit;
	sr->cr0 = svm_guest_cr0(vcpu);
	sr->cr2 = s->cr2;
	sr->cr3 = svm_guest_cr3(vcpu);
	sr->cr4 = svm_guest_cr4(vcpu);
	sr->cr8 = vcpu->vmcb->control.int_ctl & SVM_V_TPR_MASK;
	sr->efer = svm_guest_efer(vcpu);
	sr->apic_base = vcpu->apic_base;
}

static int svm_set_sregs(struct svm_vcpu *vcpu, const struct kvm_sregs *sr)
{
	struct vmcb *vmcb = vcpu->vmcb;
	struct vmcb_save_area *s = &vmcb->save;

	if (!svm_sregs_valid(sr))
		return -EINVAL;
	if (!svm_cr4_valid(vcpu, sr->cr4))
		return -EINVAL;
	if (!svm_apic_base_valid(sr->apic_base, svm_guest_maxphyaddr(vcpu)))
		return -EINVAL;
	/* A new CS base moves the linear RIP: see svm_set_regs(). */
	if (sr->cs.base != s->cs.base)
		vcpu->pending.kind = SVM_PENDING_NONE;

	svm_seg_to_vmcb(&sr->cs, &s->cs);
	svm_seg_to_vmcb(&sr->ds, &s->ds);
	svm_seg_to_vmcb(&sr->es, &s->es);
	svm_seg_to_vmcb(&sr->fs, &s->fs);
	svm_seg_to_vmcb(&sr->gs, &s->gs);
	svm_seg_to_vmcb(&sr->ss, &s->ss);
	svm_seg_to_vmcb(&sr->tr, &s->tr);
	svm_seg_to_vmcb(&sr->ldt, &s->ldtr);
	/* The CPL is SS.DPL (APM vol. 2, 15.5.1); 0 in real mode. */
	s->cpl = (sr->cr0 & X86_CR0_PE) ? sr->ss.dpl : 0;
	s->gdtr.base = sr->gdt.base;
	s->gdtr.limit = sr->gdt.limit;
	s->idtr.base = sr->idt.base;
	s->idtr.limit = sr->idt.limit;
	s->cr2 = sr->cr2;
	svm_set_guest_paging(vcpu, sr->cr0, sr->cr3, sr->cr4, sr->efer);
	vmcb->control.int_ctl = (vmcb->control.int_ctl & ~SVM_V_TPR_MASK) |
				(sr->cr8 & SVM_V_TPR_MASK);
	WRITE_ONCE(vcpu->apic_base, sr->apic_base);
	vmcb_mark_dirty(vcpu, SVM_CLEAN_SEG);
	vmcb_mark_dirty(vcpu, SVM_CLEAN_CRX);
	vmcb_mark_dirty(vcpu, SVM_CLEAN_DT);
	vmcb_mark_dirty(vcpu, SVM_CLEAN_CR2);
	vmcb_mark_dirty(vcpu, SVM_CLEAN_TPR);
	return 0;
}

/*
 * One function per state ioctl, each with its struct on its own stack
 * frame (noinline_for_stack): together they would not fit one frame.
 */
#define SVM_STATE_IOCTLS(type, name)					\
static noinline_for_stack long svm_ioctl_get_##name(struct svm_vcpu *vcpu, \
						      void __user *argp) \
{									\
	struct type v;							\
									\
	svm_get_##name(vcpu, &v);					\
	return copy_to_user(argp, &v, sizeof(v)) ? -EFAULT : 0;		\
}									\
									\
static noinline_for_stack long svm_ioctl_set_##name(struct svm_vcpu *vcpu, \
						      void __user *argp) \
{									\
	struct type v;							\
									\
	if (copy_from_user(&v, argp, sizeof(v)))			\
		return -EFAULT;						\
	return svm_set_##name(vcpu, &v);				\
}

SVM_STATE_IOCTLS(kvm_regs, regs)
SVM_STATE_IOCTLS(kvm_sregs, sregs)
SVM_STATE_IOCTLS(kvm_fpu, fpu)
SVM_STATE_IOCTLS(kvm_mp_state, mp_state)
SVM_STATE_IOCTLS(kvm_vcpu_events, vcpu_events)
SVM_STATE_IOCTLS(kvm_debugregs, debugregs)

#define SVM_SYNC_REGS_VALID \
	(KVM_SYNC_X86_REGS | KVM_SYNC_X86_SREGS | KVM_SYNC_X86_EVENTS)

/* One part of kvm_run's s.regs at a time, on the stack. */
union svm_sync_part {
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	struct kvm_vcpu_events events;
};

/*
 * KVM_CAP_SYNC_REGS, before KVM_RUN: the state userspace marked dirty in
 * kvm_run is set, each part as its ioctl would (from a copy: userspace
 * may write the page meanwhile) and its dirty bit cleared.
 */
static noinline_for_stack int svm_sync_regs_in(struct svm_vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;
	union svm_sync_part v;

	if (run->kvm_dirty_regs & KVM_SYNC_X86_REGS) {
		memcpy(&v.regs, &run->s.regs.regs, sizeof(v.regs));
		svm_set_regs(vcpu, &v.regs);
		run->kvm_dirty_regs &= ~KVM_SYNC_X86_REGS;
	}
	if (run->kvm_dirty_regs & KVM_SYNC_X86_SREGS) {
		memcpy(&v.sregs, &run->s.regs.sregs, sizeof(v.sregs));
		if (svm_set_sregs(vcpu, &v.sregs))
			return -EINVAL;
		run->kvm_dirty_regs &= ~KVM_SYNC_X86_SREGS;
	}
	if (run->kvm_dirty_regs & KVM_SYNC_X86_EVENTS) {
		memcpy(&v.events, &run->s.regs.events, sizeof(v.events));
		if (svm_set_vcpu_events(vcpu, &v.events))
			return -EINVAL;
		run->kvm_dirty_regs &= ~KVM_SYNC_X86_EVENTS;
	}
	return 0;
}

/* After KVM_RUN, whatever it returned: the state userspace asked for. */
static noinline_for_stack void svm_sync_regs_out(struct svm_vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;
	union svm_sync_part v;

	if (run->kvm_valid_regs & KVM_SYNC_X86_REGS) {
		svm_get_regs(vcpu, &v.regs);
		memcpy(&run->s.regs.regs, &v.regs, sizeof(v.regs));
	}
	if (run->kvm_valid_regs & KVM_SYNC_X86_SREGS) {
		svm_get_sregs(vcpu, &v.sregs);
		memcpy(&run->s.regs.sregs, &v.sregs, sizeof(v.sregs));
	}
	if (run->kvm_valid_regs & KVM_SYNC_X86_EVENTS) {
		svm_get_vcpu_events(vcpu, &v.events);
		memcpy(&run->s.regs.events, &v.events, sizeof(v.events));
	}
}

/*
 * KVM_SET_SIGNAL_MASK, as KVM: the signals blocked while KVM_RUN runs
 * (never SIGKILL or SIGSTOP); no argument removes the mask.
 */
static int svm_set_signal_mask(struct svm_vcpu *vcpu,
			       struct kvm_signal_mask __user *um)
{
	struct kvm_signal_mask m;
	sigset_t set;

	if (!um) {
		vcpu->sigset_active = false;
		return 0;
	}
	if (copy_from_user(&m, um, sizeof(m)))
		return -EFAULT;
	if (m.len != sizeof(set))
		return -EINVAL;
	if (copy_from_user(&set, um->sigset, sizeof(set)))
		return -EFAULT;
	sigdelsetmask(&set, sigmask(SIGKILL) | sigmask(SIGSTOP));
	vcpu->sigset = set;
	vcpu->sigset_active = true;
	return 0;
}

/*
 * KVM_RUN, as KVM: under the vCPU's signal mask, with KVM_CAP_SYNC_REGS's
 * fields and the interrupt state of kvm_run (user_intr.c) on the way in
 * and out.
 */
static int svm_ioctl_run(struct svm_vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;
	u64 valid = READ_ONCE(run->kvm_valid_regs);
	bool masked = vcpu->sigset_active;
	sigset_t old;
	int ret;

	if (masked)
		sigprocmask(SIG_SETMASK, &vcpu->sigset, &old);
	if ((valid | READ_ONCE(run->kvm_dirty_regs)) & ~SVM_SYNC_REGS_VALID)
		ret = -EINVAL;
	else
		ret = svm_sync_regs_in(vcpu) ?: svm_user_irq_run_begin(vcpu) ?:
		      svm_vcpu_run(vcpu);
	if (valid)
		svm_sync_regs_out(vcpu);
	svm_user_irq_run_save(vcpu);
	if (masked)
		sigprocmask(SIG_SETMASK, &old, NULL);
	return ret;
}

static long svm_vcpu_do_ioctl(struct svm_vcpu *vcpu, unsigned int cmd,
			      void __user *argp, unsigned long arg)
{
	switch (cmd) {
	case KVM_RUN:
		return arg ? -EINVAL : svm_ioctl_run(vcpu);
	case SVMHV_RUN_FLOOR:
		return svm_vcpu_run_floor(vcpu, argp);
	case KVM_GET_REGS:
		return svm_ioctl_get_regs(vcpu, argp);
	case KVM_SET_REGS:
		return svm_ioctl_set_regs(vcpu, argp);
	case KVM_GET_SREGS:
		return svm_ioctl_get_sregs(vcpu, argp);
	case KVM_SET_SREGS:
		return svm_ioctl_set_sregs(vcpu, argp);
	case KVM_GET_FPU:
		return svm_ioctl_get_fpu(vcpu, argp);
	case KVM_SET_FPU:
		return svm_ioctl_set_fpu(vcpu, argp);
	case KVM_SET_CPUID2:
		return svm_set_cpuid(vcpu, argp);
	case KVM_GET_XSAVE:
		return svm_get_xsave(vcpu, argp);
	case KVM_SET_XSAVE:
		return svm_set_xsave(vcpu, argp);
	case KVM_GET_VCPU_EVENTS:
		return svm_ioctl_get_vcpu_events(vcpu, argp);
	case KVM_SET_VCPU_EVENTS:
		return svm_ioctl_set_vcpu_events(vcpu, argp);
	case KVM_GET_DEBUGREGS:
		return svm_ioctl_get_debugregs(vcpu, argp);
	case KVM_SET_DEBUGREGS:
		return svm_ioctl_set_debugregs(vcpu, argp);
	case KVM_GET_MP_STATE:
		return svm_ioctl_get_mp_state(vcpu, argp);
	case KVM_SET_MP_STATE:
		return svm_ioctl_set_mp_state(vcpu, argp);
	case KVM_GET_CPUID2:
		return svm_get_cpuid(vcpu, argp);
	case KVM_GET_MSRS:
		return svm_msrs_ioctl(vcpu, argp, false);
	case KVM_SET_MSRS:
		return svm_msrs_ioctl(vcpu, argp, true);
	case KVM_INTERRUPT:
		return svm_user_interrupt(vcpu, argp);
	case KVM_NMI:
		svm_nmi_queue(vcpu);
		return 0;
	case KVM_X86_SETUP_MCE:
		return svm_mce_setup(vcpu, argp);
	case KVM_X86_SET_MCE:
		return svm_mce_inject(vcpu, argp);
	case KVM_SET_SIGNAL_MASK:
		return svm_set_signal_mask(vcpu, argp);
	case KVM_GET_TSC_KHZ:
		/* The host's TSC, offset but never scaled. */
		return tsc_khz;
	case KVM_GET_STATS_FD:
		return svm_get_stats_fd(vcpu->vm, vcpu);
	case KVM_HAS_DEVICE_ATTR:
	case KVM_GET_DEVICE_ATTR:
	case KVM_SET_DEVICE_ATTR:
		return svm_tsc_attr_ioctl(vcpu, cmd, argp);
	default:
		return -ENOTTY;
	}
}

static long svm_vcpu_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	struct svm_vcpu *vcpu = file->private_data;
	long ret;

	if (vcpu->vm->mm != current->mm)
		return -EIO;
	if (mutex_lock_killable(&vcpu->mutex))
		return -EINTR;
	ret = svm_vcpu_do_ioctl(vcpu, cmd, (void __user *)arg, arg);
	mutex_unlock(&vcpu->mutex);
	return ret;
}

static vm_fault_t svm_vcpu_fault(struct vm_fault *vmf)
{
	struct svm_vcpu *vcpu = vmf->vma->vm_file->private_data;
	struct page *page;

	if (vmf->pgoff == 0)
		page = virt_to_page(vcpu->run);
	else if (vmf->pgoff == SVM_PIO_PAGE_OFFSET)
		page = virt_to_page(vcpu->pio_data);
	else
		return VM_FAULT_SIGBUS;
	get_page(page);
	vmf->page = page;
	return 0;
}

static const struct vm_operations_struct svm_vcpu_vm_ops = {
	.fault = svm_vcpu_fault,
};

static int svm_vcpu_mmap(struct file *file, struct vm_area_struct *vma)
{
	vma->vm_ops = &svm_vcpu_vm_ops;
	return 0;
}

static int svm_vcpu_release(struct inode *inode, struct file *file)
{
	struct svm_vcpu *vcpu = file->private_data;

	svm_vm_put(vcpu->vm);
	return 0;
}

static const struct file_operations svm_vcpu_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = svm_vcpu_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.mmap = svm_vcpu_mmap,
	.release = svm_vcpu_release,
	.llseek = noop_llseek,
};

/**
 * svm_vcpu_mmu_detach() - take a vCPU that never ran off its MMU.
 * @vcpu: the vCPU
 *
 * For SVMHV_SET_MMU (vm->lock and slots_lock held): the guest's paging
 * registers go to vcpu->guest and the backend's vCPU state is freed;
 * svm_vcpu_mmu_attach() then puts the vCPU on vm->mmu.
 */
void svm_vcpu_mmu_detach(struct svm_vcpu *vcpu)
{
	vcpu->guest.cr0 = svm_guest_cr0(vcpu);
	vcpu->guest.cr3 = svm_guest_cr3(vcpu);
	vcpu->guest.cr4 = svm_guest_cr4(vcpu);
	vcpu->guest.efer = svm_guest_efer(vcpu);
	if (vcpu->vm->mmu->vcpu_destroy)
		vcpu->vm->mmu->vcpu_destroy(vcpu);
}

/**
 * svm_vcpu_mmu_attach() - put a detached vCPU on vm->mmu.
 * @vcpu: the vCPU
 *
 * The registers userspace set stay as they were.
 */
void svm_vcpu_mmu_attach(struct svm_vcpu *vcpu)
{
	struct vmcb *vmcb = vcpu->vmcb;
	const typeof(vcpu->guest) g = vcpu->guest;

	svm_init_intercepts(&vmcb->control);
	vmcb->control.nested_ctl &= ~SVM_NESTED_CTL_NP_ENABLE;
	vmcb->control.nested_cr3 = 0;
	vcpu->vm->mmu->prepare_vmcb(vcpu->vm, vmcb);
	svm_set_guest_paging(vcpu, g.cr0, g.cr3, g.cr4, g.efer);
	vcpu->dirty = ~0U;
}

/**
 * svm_vcpu_free() - free a vCPU; its VM is being destroyed.
 * @vcpu: the vCPU
 */
void svm_vcpu_free(struct svm_vcpu *vcpu)
{
	svm_irq_vcpu_destroy(vcpu);
	svm_lapic_free(vcpu);
	if (vcpu->vm->mmu->vcpu_destroy)
		vcpu->vm->mmu->vcpu_destroy(vcpu);
	free_page((unsigned long)vcpu->run);
	free_page((unsigned long)vcpu->pio_data);
	free_page((unsigned long)vcpu->vmcb);
	kfree(vcpu->fpu);
	kfree(vcpu->cpuid);
	kfree(vcpu);
}

static struct svm_vcpu *svm_vcpu_alloc(struct svm_vm *vm, u32 id)
{
	struct svm_vcpu *vcpu = kzalloc(sizeof(*vcpu), GFP_KERNEL_ACCOUNT);

	if (!vcpu)
		return NULL;
	vcpu->vm = vm;
	vcpu->id = id;
	mutex_init(&vcpu->mutex);
	svm_irq_vcpu_init(vcpu);
	vcpu->run = (void *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	vcpu->pio_data = (void *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	vcpu->vmcb = (void *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	/* FXSAVE needs 16-byte alignment; kmalloc(512) is 512-aligned. */
	vcpu->fpu = kzalloc(sizeof(*vcpu->fpu), GFP_KERNEL_ACCOUNT);
	if (!vcpu->run || !vcpu->pio_data || !vcpu->vmcb || !vcpu->fpu ||
	    svm_default_cpuid(vcpu) || svm_lapic_create(vcpu)) {
		svm_vcpu_free(vcpu);
		return NULL;
	}
	vcpu->vmcb_pa = __pa(vcpu->vmcb);
	svm_vcpu_reset(vcpu);
	svm_mce_reset(vcpu);
	svm_osvw_init(vcpu);
	return vcpu;
}

/**
 * svm_vcpu_create() - KVM_CREATE_VCPU.
 * @vm: the VM
 * @id: the vCPU id: below SVM_MAX_VCPU_IDS and the VM's KVM_CAP_MAX_VCPU_ID
 *
 * A VM has up to SVM_MAX_VCPUS vCPUs, kept in vm->vcpus in the order they
 * are created, as KVM keeps them.
 *
 * Return: a new vCPU file descriptor; -EINVAL for a bad id or a VM with
 * SVM_MAX_VCPUS already, -EEXIST for an id in use, -ENOMEM.
 */
int svm_vcpu_create(struct svm_vm *vm, unsigned long id)
{
	struct svm_vcpu *vcpu;
	struct file *file;
	int fd, nr;

	if (id >= SVM_MAX_VCPU_IDS)
		return -EINVAL;
	mutex_lock(&vm->lock);
	nr = atomic_read(&vm->nr_vcpus);
	if (nr >= SVM_MAX_VCPUS || (vm->max_vcpu_ids && id >= vm->max_vcpu_ids)) {
		fd = -EINVAL;
		goto out;
	}
	if (svm_vcpu_by_id(vm, id)) {
		fd = -EEXIST;
		goto out;
	}
	vcpu = svm_vcpu_alloc(vm, id);
	if (!vcpu) {
		fd = -ENOMEM;
		goto out;
	}
	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0)
		goto out_free;
	file = anon_inode_getfile("svmhv-vcpu", &svm_vcpu_fops, vcpu, O_RDWR);
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		fd = PTR_ERR(file);
		goto out_free;
	}
	/*
	 * Nothing fails from here on.  The lockless readers of vm->vcpus
	 * (statistics, kicks, the devices) may see the vCPU from now on, and
	 * it is freed only with the VM; it is published before userspace
	 * gets the fd, so no kick misses a vCPU that runs.
	 */
	kref_get(&vm->ref);		/* the file's, put at its release */
	WRITE_ONCE(vm->vcpus[nr], vcpu);
	atomic_inc(&vm->nr_vcpus);
	fd_install(fd, file);
	goto out;

out_free:
	svm_vcpu_free(vcpu);
out:
	mutex_unlock(&vm->lock);
	return fd;
}
