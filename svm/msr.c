// SPDX-License-Identifier: GPL-2.0
/*
 * The MSRs a guest has: RDMSR/WRMSR exits and KVM_GET/SET_MSRS.
 *
 * Every MSR access is intercepted (permmap.c), and the MSRs below are
 * emulated; any other MSR is #GP for the guest (or an exit to userspace,
 * msr_user.c) and an error for KVM_GET/SET_MSRS.
 */
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/msr.h>

#include "cpu.h"
#include "cpuid.h"
#include "mce.h"
#include "msr.h"
#include "paging_regs.h"
#include "vcpu_state.h"

static const u32 svm_msr_list[] = {
	MSR_EFER, MSR_STAR, MSR_LSTAR, MSR_CSTAR, MSR_SYSCALL_MASK,
	MSR_FS_BASE, MSR_GS_BASE, MSR_KERNEL_GS_BASE,
	MSR_IA32_SYSENTER_CS, MSR_IA32_SYSENTER_ESP, MSR_IA32_SYSENTER_EIP,
	MSR_IA32_TSC, MSR_IA32_APICBASE, MSR_IA32_CR_PAT, MSR_MTRRCAP,
	MSR_MTRR_DEF_TYPE, MSR_IA32_TSC_ADJUST, MSR_IA32_UCODE_REV,
	MSR_IA32_POWER_CTL, MSR_IA32_MCG_STATUS, MSR_IA32_MCG_CTL, MSR_K7_HWCR,
	MSR_KVM_WALL_CLOCK, MSR_KVM_SYSTEM_TIME,
	0x250, 0x258, 0x259, 0x268, 0x269, 0x26a, 0x26b, 0x26c, 0x26d, 0x26e,
	0x26f, 0x200, 0x201, 0x202, 0x203, 0x204, 0x205, 0x206, 0x207, 0x208,
	0x209, 0x20a, 0x20b, 0x20c, 0x20d, 0x20e, 0x20f,
};

/*
 * The feature MSRs, read on the system fd: what a VMM may give its vCPUs.
 * kvm_amd also lists DE_CFG and ARCH_CAPABILITIES, which svmhv's guests
 * do not have.
 */
static const u32 svm_feature_msr_list[] = {
	MSR_IA32_UCODE_REV,
};

/* Where a VMCB-held MSR lives, or NULL. */
static u64 *svm_vmcb_msr(struct svm_vcpu *vcpu, u32 index)
{
	struct vmcb_save_area *s = &vcpu->vmcb->save;

	switch (index) {
	case MSR_STAR: return &s->star;
	case MSR_LSTAR: return &s->lstar;
	case MSR_CSTAR: return &s->cstar;
	case MSR_SYSCALL_MASK: return &s->sfmask;
	case MSR_FS_BASE: return &s->fs.base;
	case MSR_GS_BASE: return &s->gs.base;
	case MSR_KERNEL_GS_BASE: return &s->kernel_gs_base;
	case MSR_IA32_SYSENTER_CS: return &s->sysenter_cs;
	case MSR_IA32_SYSENTER_ESP: return &s->sysenter_esp;
	case MSR_IA32_SYSENTER_EIP: return &s->sysenter_eip;
	default: return NULL;
	}
}

/* Where a fixed or variable MTRR lives, or NULL. */
static u64 *svm_mtrr(struct svm_vcpu *vcpu, u32 index)
{
	int slot = svm_mtrr_fixed_slot(index);

	BUILD_BUG_ON(ARRAY_SIZE(vcpu->mtrr_fixed) != SVM_MTRR_NR_FIXED);
	BUILD_BUG_ON(ARRAY_SIZE(vcpu->mtrr_var) != 2 * SVM_MTRR_NR_VAR);
	if (slot >= 0)
		return &vcpu->mtrr_fixed[slot];
	if (svm_mtrr_is_var(index))
		return &vcpu->mtrr_var[index - SVM_MTRR_VAR_FIRST];
	return NULL;
}

/**
 * svm_osvw_init() - a new vCPU's OSVW MSRs, from the host's (as KVM).
 * @vcpu: the vCPU
 */
void svm_osvw_init(struct svm_vcpu *vcpu)
{
	svm_osvw_guest(&svm_host_features, boot_cpu_data.x86,
		       &vcpu->osvw.len, &vcpu->osvw.status);
}

/*
 * Where an OSVW MSR lives, or NULL: they exist for a vCPU whose CPUID
 * offers OSVW (8000_0001h ECX bit 9), for the guest and userspace alike,
 * and take any value, as in KVM.
 */
static u64 *svm_osvw_msr(struct svm_vcpu *vcpu, u32 index)
{
	u32 r[4];

	if (index != MSR_AMD64_OSVW_ID_LENGTH &&
	    index != MSR_AMD64_OSVW_STATUS)
		return NULL;
	svm_cpuid_lookup(vcpu, 0x80000001, 0, r);
	if (!(r[2] & BIT(9)))
		return NULL;
	return index == MSR_AMD64_OSVW_ID_LENGTH ? &vcpu->osvw.len :
						   &vcpu->osvw.status;
}

/**
 * svm_get_msr() - read an emulated MSR.
 * @vcpu: the vCPU
 * @index: the MSR
 * @val: the value
 * @host: KVM_GET_MSRS, not the guest
 *
 * Return: 0, -EINVAL for an MSR the vCPU may not read now (MCG_CTL
 * without MCG_CTL_P), or -ENOENT for an MSR svmhv does not have (both
 * #GP for a guest).
 */
int svm_get_msr(struct svm_vcpu *vcpu, u32 index, u64 *val, bool host)
{
	struct vmcb *vmcb = vcpu->vmcb;
	u64 *p = svm_vmcb_msr(vcpu, index) ?: svm_mtrr(vcpu, index) ?:
		 svm_osvw_msr(vcpu, index);

	if (index == MSR_K7_HWCR || svm_mce_is_msr(index))
		return svm_mce_get_msr(vcpu, index, val, host);
	if (p) {
		*val = *p;
		return 0;
	}
	switch (index) {
	case MSR_EFER:
		*val = svm_guest_efer(vcpu);
		return 0;
	case MSR_IA32_TSC:
		*val = rdtsc() + vmcb->control.tsc_offset;
		return 0;
	case MSR_IA32_TSC_ADJUST:
		*val = vcpu->tsc_adjust;
		return 0;
	case MSR_IA32_UCODE_REV:
		*val = vcpu->ucode_rev;
		return 0;
	case MSR_IA32_APICBASE:
		*val = vcpu->apic_base;
		return 0;
	case MSR_IA32_CR_PAT:
		*val = vmcb->save.g_pat;
		return 0;
	case MSR_MTRRCAP:
		*val = SVM_MTRRCAP_VALUE;
		return 0;
	case MSR_MTRR_DEF_TYPE:
		*val = vcpu->mtrr_def_type;
		return 0;
	case MSR_IA32_POWER_CTL:
		*val = vcpu->power_ctl;
		return 0;
	case MSR_KVM_WALL_CLOCK:
	case MSR_KVM_SYSTEM_TIME:
		*val = 0;	/* no kvmclock: only 0 is taken */
		return 0;
	default:
		return -ENOENT;
	}
}

/* A value svm_check_msr_write() took, LMA set by svm_efer_value(). */
static void svm_set_efer(struct svm_vcpu *vcpu, u64 val)
{
	u64 old = svm_guest_efer(vcpu);

	if (svm_shadowed(vcpu)) {
		vcpu->guest.efer = val;
		vcpu->mmu_reload |= SVM_MMU_RELOAD_REGS;
		if ((val ^ old) & EFER_NX)
			vcpu->mmu_reload |= SVM_MMU_RELOAD_FLUSH;
		return;
	}
	vcpu->vmcb->save.efer = val | EFER_SVME;
	vmcb_mark_dirty(vcpu, SVM_CLEAN_CRX);
}

/*
 * TSC and TSC_ADJUST, as KVM: the guest's write to either moves the TSC
 * and TSC_ADJUST by the same amount.  Userspace's TSC write sets the
 * offset alone (it restores a TSC; TSC_ADJUST keeps what the guest did),
 * and its TSC_ADJUST write sets TSC_ADJUST alone.
 */
static void svm_set_tsc(struct svm_vcpu *vcpu, u32 index, u64 val, bool host)
{
	struct vmcb_control_area *c = &vcpu->vmcb->control;
	s64 delta;

	if (index == MSR_IA32_TSC_ADJUST) {
		delta = val - vcpu->tsc_adjust;
		vcpu->tsc_adjust = val;
		if (host)
			return;
	} else {
		delta = val - (rdtsc() + c->tsc_offset);
		if (!host)
			vcpu->tsc_adjust += delta;
	}
	c->tsc_offset += delta;
	vmcb_mark_dirty(vcpu, SVM_CLEAN_INTERCEPTS);
}

/**
 * svm_tsc_attr_ioctl() - KVM_HAS/GET/SET_DEVICE_ATTR on a vCPU: the TSC
 *	offset (group KVM_VCPU_TSC_CTRL, attribute KVM_VCPU_TSC_OFFSET).
 * @vcpu: the vCPU
 * @cmd: the ioctl
 * @ua: userspace's struct kvm_device_attr; addr points at the u64 offset
 *
 * As KVM: the guest's TSC is the host's plus the offset; setting it
 * leaves TSC_ADJUST alone.
 *
 * Return: 0; -ENXIO for another group or attribute; -EFAULT.
 */
int svm_tsc_attr_ioctl(struct svm_vcpu *vcpu, unsigned int cmd,
		       struct kvm_device_attr __user *ua)
{
	struct vmcb_control_area *c = &vcpu->vmcb->control;
	u64 __user *uaddr;
	struct kvm_device_attr attr;
	u64 offset;

	if (copy_from_user(&attr, ua, sizeof(attr)))
		return -EFAULT;
	if (attr.group != KVM_VCPU_TSC_CTRL || attr.attr != KVM_VCPU_TSC_OFFSET)
		return -ENXIO;
	if (cmd == KVM_HAS_DEVICE_ATTR)
		return 0;
	uaddr = u64_to_user_ptr(attr.addr);
	if (cmd == KVM_GET_DEVICE_ATTR)
		return put_user(c->tsc_offset, uaddr) ? -EFAULT : 0;
	if (get_user(offset, uaddr))
		return -EFAULT;
	c->tsc_offset = offset;
	vmcb_mark_dirty(vcpu, SVM_CLEAN_INTERCEPTS);
	return 0;
}

/**
 * svm_set_msr() - write an emulated MSR.
 * @vcpu: the vCPU
 * @index: the MSR
 * @val: the value
 * @host: the write comes from KVM_SET_MSRS, not from the guest
 *
 * Return: 0, or what svm_check_msr_write() refuses with: -ENOENT for an
 * unknown MSR, -EINVAL for a read-only MSR or a value the CPU would refuse
 * with #GP.
 */
int svm_set_msr(struct svm_vcpu *vcpu, u32 index, u64 val, bool host)
{
	const struct svm_msr_state cur = {
		.efer = svm_guest_efer(vcpu),
		.cr0 = svm_guest_cr0(vcpu),
		.cr4 = svm_guest_cr4(vcpu),
		.maxphyaddr = svm_guest_maxphyaddr(vcpu),
	};
	struct vmcb *vmcb = vcpu->vmcb;
	u64 *p;
	int ret;

	if (index == MSR_K7_HWCR || svm_mce_is_msr(index))
		return svm_mce_set_msr(vcpu, index, val, host);
	p = svm_osvw_msr(vcpu, index);
	if (p) {
		*p = val;
		return 0;
	}
	ret = svm_check_msr_write(index, val, host, &cur);
	if (ret)
		return ret;
	p = svm_vmcb_msr(vcpu, index);
	if (p) {
		/* A selector in a 32-bit MSR: the CPU keeps no more. */
		if (index == MSR_IA32_SYSENTER_CS)
			val = (u32)val;
		*p = val;
		vmcb_mark_dirty(vcpu, SVM_CLEAN_SEG);
		return 0;
	}
	p = svm_mtrr(vcpu, index);
	if (p) {
		/* Kept, not applied: as kvm_amd, types come from the PAT. */
		*p = val;
		return 0;
	}
	switch (index) {
	case MSR_EFER:
		svm_set_efer(vcpu, svm_efer_value(val, host, &cur));
		return 0;
	case MSR_IA32_TSC:
	case MSR_IA32_TSC_ADJUST:
		svm_set_tsc(vcpu, index, val, host);
		return 0;
	case MSR_IA32_APICBASE:
		WRITE_ONCE(vcpu->apic_base, val);
		return 0;
	case MSR_IA32_CR_PAT:
		vmcb->save.g_pat = val;
		vmcb_mark_dirty(vcpu, SVM_CLEAN_NP);
		return 0;
	case MSR_MTRR_DEF_TYPE:
		vcpu->mtrr_def_type = val;
		return 0;
	case MSR_IA32_POWER_CTL:
		vcpu->power_ctl = val;
		return 0;
	case MSR_IA32_UCODE_REV:
		if (host)
			vcpu->ucode_rev = val;
		return 0;
	case MSR_MTRRCAP:
	case MSR_KVM_WALL_CLOCK:
	case MSR_KVM_SYSTEM_TIME:
		return 0;	/* the one value they take: nothing changes */
	default:
		/* svm_check_msr_write() took an MSR this does not write. */
		WARN_ON_ONCE(1);
		return -EINVAL;
	}
}

/**
 * svm_get_msr_index_list() - KVM_GET_MSR_INDEX_LIST and
 *	KVM_GET_MSR_FEATURE_INDEX_LIST.
 * @ul: userspace's list; nmsrs says how many indices fit
 * @features: the feature MSRs, not the vCPUs' MSRs
 *
 * Return: 0; -E2BIG with nmsrs set to the number needed; -EFAULT.
 */
int svm_get_msr_index_list(struct kvm_msr_list __user *ul, bool features)
{
	const u32 *list = features ? svm_feature_msr_list : svm_msr_list;
	u32 count = features ? ARRAY_SIZE(svm_feature_msr_list) :
			       ARRAY_SIZE(svm_msr_list);
	u32 n;
	int ret;

	if (get_user(n, &ul->nmsrs))
		return -EFAULT;
	if (put_user(count, &ul->nmsrs))
		return -EFAULT;
	ret = svm_check_msr_list_room(n, count);
	if (ret)
		return ret;
	return copy_to_user(ul->indices, list, count * sizeof(*list)) ?
	       -EFAULT : 0;
}

/* A feature MSR's value, as KVM: the host's microcode revision. */
static int svm_get_feature_msr(u32 index, u64 *val)
{
	*val = 0;
	if (index != MSR_IA32_UCODE_REV)
		return -EINVAL;
	rdmsrl_safe(index, val);
	return 0;
}

/**
 * svm_msrs_ioctl() - KVM_GET_MSRS and KVM_SET_MSRS.
 * @vcpu: the vCPU; NULL for KVM_GET_MSRS on the system fd, which reads
 *	the feature MSRs
 * @um: userspace's struct kvm_msrs
 * @set: KVM_SET_MSRS
 *
 * As KVM: the whole list is copied in first, so that a fault is an
 * -EFAULT before any MSR is written; then the MSRs are done in order,
 * stopping at the first one that fails.
 *
 * Return: how many were done, or -EFAULT / -E2BIG (SVM_MAX_IO_MSRS
 * entries or more) / -ENOMEM.
 */
int svm_msrs_ioctl(struct svm_vcpu *vcpu, struct kvm_msrs __user *um,
		   bool set)
{
	struct kvm_msr_entry *e;
	u32 n, i;
	int ret;

	if (get_user(n, &um->nmsrs))
		return -EFAULT;
	ret = svm_check_msrs_count(n);
	if (ret || !n)
		return ret;
	e = memdup_user(um->entries, array_size(n, sizeof(*e)));
	if (IS_ERR(e))
		return PTR_ERR(e);
	for (i = 0; i < n; i++)
		if (!vcpu ? svm_get_feature_msr(e[i].index, &e[i].data) :
		    set ? svm_set_msr(vcpu, e[i].index, e[i].data, true) :
			  svm_get_msr(vcpu, e[i].index, &e[i].data, true))
			break;
	ret = i;
	if (!set && copy_to_user(um->entries, e, array_size(i, sizeof(*e))))
		ret = -EFAULT;
	kfree(e);
	return ret;
}
