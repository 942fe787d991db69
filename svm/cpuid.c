// SPDX-License-Identifier: GPL-2.0
/*
 * CPUID for guests: the table KVM_GET_SUPPORTED_CPUID reports (the host's
 * leaves with what svmhv does not virtualize taken out and the hypervisor
 * bit set), KVM_SET_CPUID2, and the lookup behind the CPUID intercept.
 */
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/processor.h>

#include "cpuid.h"
#include "paging_regs.h"

/* Bits hidden from guests, by leaf and register (see docs/api.md). */
struct svm_cpuid_mask {
	u32 function;
	u32 index;
	u32 clear[4];	/* EAX, EBX, ECX, EDX */
	u32 set[4];
};

static const struct svm_cpuid_mask svm_cpuid_masks[] = {
	/*
	 * Leaf 1: no MONITOR/MWAIT (both are #UD here), VMX, SMX, EST, TM2,
	 * PDCM, DCA, x2APIC, TSC deadline, XSAVE/OSXSAVE/AVX/F16C (only
	 * x87/SSE state is switched); no MCE/MCA, ACPI, TM, PBE, DS.  The
	 * APIC stays, as in KVM: the VMM's to offer (a userspace local APIC;
	 * a vCPU sees it while its APIC base is enabled, svm_cpuid_1_edx()).
	 * Set the hypervisor bit.
	 */
	{ 1, 0, { 0, 0, BIT(3) | BIT(5) | BIT(6) | BIT(7) | BIT(8) | BIT(15) | BIT(18) |
		  BIT(21) | BIT(24) | BIT(26) | BIT(27) | BIT(28) | BIT(29),
		  BIT(7) | BIT(14) | BIT(21) | BIT(22) | BIT(29) | BIT(31) },
	  { 0, 0, BIT(31), 0 } },
	/*
	 * Leaf 7: no SGX, HLE, RTM, MPX, AVX2, AVX-512, PQM/PQE, PKU,
	 * WAITPKG, LA57, RDPID (no TSC_AUX); nothing in EDX.  TSC_ADJUST is
	 * emulated (msr.c), as in KVM.
	 */
	{ 7, 0, { 0, BIT(2) | BIT(4) | BIT(5) | BIT(11) | BIT(12) | BIT(14) |
		  BIT(15) | BIT(16) | BIT(17) | BIT(21) | BIT(26) | BIT(27) |
		  BIT(28) | BIT(30) | BIT(31),
		  BIT(1) | BIT(3) | BIT(4) | BIT(5) | BIT(6) | BIT(11) |
		  BIT(12) | BIT(14) | BIT(16) | BIT(22),
		  ~0U }, { 0, BIT(1), 0, 0 } },
	/*
	 * 8000_0001h: no SVM (no nested virtualization), IBS, SKINIT, WDT,
	 * LWP, TOPOEXT, core/NB performance counters, DBX, PERFTSC, MWAITX;
	 * no RDTSCP (no TSC_AUX).
	 */
	{ 0x80000001, 0, { 0, 0, BIT(2) | BIT(10) | BIT(12) | BIT(13) |
			   BIT(15) | BIT(22) | BIT(23) | BIT(24) | BIT(26) |
			   BIT(27) | BIT(28) | BIT(29),
			   BIT(27) }, {} },
	/* 8000_0008h: address sizes only; no speculation-control bits. */
	{ 0x80000008, 0, { 0, ~0U, 0, 0 }, {} },
};

/* Basic and extended leaves reported, capped at what is masked above. */
#define SVM_MAX_BASIC_LEAF	7
#define SVM_MAX_EXT_LEAF	0x80000008
#define SVM_HV_LEAF		0x40000000

static struct kvm_cpuid_entry2 *svm_supported;
static int svm_nr_supported;

static void svm_cpuid_apply_masks(struct kvm_cpuid_entry2 *e)
{
	const struct svm_cpuid_mask *m;
	u32 *regs[4] = { &e->eax, &e->ebx, &e->ecx, &e->edx };
	int r;

	for (m = svm_cpuid_masks; m < svm_cpuid_masks +
	     ARRAY_SIZE(svm_cpuid_masks); m++) {
		if (m->function != e->function || m->index != e->index)
			continue;
		for (r = 0; r < 4; r++)
			*regs[r] = (*regs[r] & ~m->clear[r]) | m->set[r];
	}
}

static void svm_cpuid_add(u32 fn, u32 index, bool indexed)
{
	struct kvm_cpuid_entry2 *e = &svm_supported[svm_nr_supported++];

	memset(e, 0, sizeof(*e));
	e->function = fn;
	e->index = index;
	e->flags = indexed ? KVM_CPUID_FLAG_SIGNIFCANT_INDEX : 0;
	cpuid_count(fn, index, &e->eax, &e->ebx, &e->ecx, &e->edx);
	svm_cpuid_apply_masks(e);
}

/**
 * svm_cpuid_init() - build the supported table from this CPU.
 *
 * Return: 0 or -ENOMEM.
 */
int svm_cpuid_init(void)
{
	u32 fn, max_basic, max_ext;
	struct kvm_cpuid_entry2 *hv;

	svm_supported = kcalloc(SVM_MAX_CPUID_ENTRIES, sizeof(*svm_supported),
				GFP_KERNEL);
	if (!svm_supported)
		return -ENOMEM;
	max_basic = min_t(u32, cpuid_eax(0), SVM_MAX_BASIC_LEAF);
	max_ext = min_t(u32, cpuid_eax(0x80000000), SVM_MAX_EXT_LEAF);

	for (fn = 0; fn <= max_basic; fn++) {
		/* Leaves with subleaves the guest may need; others empty. */
		if (fn != 0 && fn != 1 && fn != 7)
			continue;
		svm_cpuid_add(fn, 0, fn == 7);
	}
	svm_supported[0].eax = max_basic;

	/*
	 * The hypervisor leaves: the signature, and as KVM a maximum leaf of
	 * 4000_0001h, the features leaf, empty here (no paravirtual
	 * features).
	 */
	hv = &svm_supported[svm_nr_supported];
	svm_nr_supported += 2;
	memset(hv, 0, 2 * sizeof(*hv));
	hv->function = SVM_HV_LEAF;
	hv->eax = SVM_HV_LEAF + 1;
	memcpy(&hv->ebx, "SvmH", 4);
	memcpy(&hv->ecx, "vSvm", 4);
	memcpy(&hv->edx, "HvSv", 4);
	hv[1].function = SVM_HV_LEAF + 1;

	for (fn = 0x80000000; fn <= max_ext; fn++)
		if (fn != 0x80000007)	/* power management: none here */
			svm_cpuid_add(fn, 0, false);
	for (fn = 0; fn < svm_nr_supported; fn++)
		if (svm_supported[fn].function == 0x80000000)
			svm_supported[fn].eax = max_ext;
	return 0;
}

void svm_cpuid_exit(void)
{
	kfree(svm_supported);
}

/*
 * The supported table, as a new VM under shadow paging (@shadow) or
 * nested paging runs it: the shadow MMU does not handle PCID, SMEP or
 * SMAP (CR4 refuses them), nor INVPCID (intercepted, #UD).
 */
static struct kvm_cpuid_entry2 *svm_supported_copy(bool shadow)
{
	struct kvm_cpuid_entry2 *e;

	e = kmemdup(svm_supported, svm_nr_supported * sizeof(*e),
		    GFP_KERNEL_ACCOUNT);
	if (e && shadow)
		svm_cpuid_hide_for_shadow(e, svm_nr_supported);
	return e;
}

/**
 * svm_get_supported_cpuid() - KVM_GET_SUPPORTED_CPUID.
 * @uc: userspace's struct kvm_cpuid2; nent says how many entries fit
 * @shadow: new VMs start under shadow paging (svm_vm_default_shadow())
 *
 * Return: 0 with nent and the entries filled in; -E2BIG when they do not
 * fit (nent is left alone, as KVM does); -EFAULT; -ENOMEM.
 */
int svm_get_supported_cpuid(struct kvm_cpuid2 __user *uc, bool shadow)
{
	struct kvm_cpuid_entry2 *e;
	struct kvm_cpuid2 c;
	int ret = 0;

	if (copy_from_user(&c, uc, sizeof(c)))
		return -EFAULT;
	if (c.nent < svm_nr_supported)
		return -E2BIG;
	e = svm_supported_copy(shadow);
	if (!e)
		return -ENOMEM;
	c.nent = svm_nr_supported;
	if (copy_to_user(uc, &c, sizeof(c)) ||
	    copy_to_user(uc->entries, e, svm_nr_supported * sizeof(*e)))
		ret = -EFAULT;
	kfree(e);
	return ret;
}

static void svm_cpuid_replace(struct svm_vcpu *vcpu,
			      struct kvm_cpuid_entry2 *entries, u32 nent)
{
	kfree(vcpu->cpuid);
	vcpu->cpuid = entries;
	vcpu->nr_cpuid = nent;
}

/**
 * svm_default_cpuid() - a new vCPU's table: the supported one.
 * @vcpu: the vCPU
 *
 * Return: 0 or -ENOMEM.
 */
int svm_default_cpuid(struct svm_vcpu *vcpu)
{
	struct kvm_cpuid_entry2 *e;

	e = svm_supported_copy(svm_shadowed(vcpu));
	if (!e)
		return -ENOMEM;
	svm_cpuid_replace(vcpu, e, svm_nr_supported);
	return 0;
}

/**
 * svm_set_cpuid() - KVM_SET_CPUID2.
 * @vcpu: the vCPU; vcpu->mutex is held
 * @uc: userspace's table
 *
 * As in KVM: before the vCPU's first VMRUN the table must pass
 * svm_check_cpuid(); after it, it must be the table the vCPU has, both
 * taken with the bits the vCPU's state decides (svm_cpuid_runtime()).
 *
 * Return: 0; -E2BIG above SVM_MAX_CPUID_ENTRIES entries; -EINVAL or
 * -EPERM for a table svm_check_cpuid() refuses, -EINVAL for a change
 * once the vCPU has run; -EFAULT; -ENOMEM.
 */
int svm_set_cpuid(struct svm_vcpu *vcpu, struct kvm_cpuid2 __user *uc)
{
	struct kvm_cpuid_entry2 *e;
	struct kvm_cpuid2 c;
	int ret;

	if (copy_from_user(&c, uc, sizeof(c)))
		return -EFAULT;
	if (c.nent > SVM_MAX_CPUID_ENTRIES)
		return -E2BIG;
	e = memdup_user(uc->entries, c.nent * sizeof(*e));
	if (IS_ERR(e))
		return PTR_ERR(e);
	svm_cpuid_runtime(e, c.nent, vcpu->apic_base);
	svm_cpuid_runtime(vcpu->cpuid, vcpu->nr_cpuid, vcpu->apic_base);
	if (vcpu->runs)
		ret = svm_cpuid_same(e, c.nent, vcpu->cpuid, vcpu->nr_cpuid) ?
		      0 : -EINVAL;
	else
		ret = svm_check_cpuid(e, c.nent);
	if (ret) {
		kfree(e);
		return ret;
	}
	svm_cpuid_replace(vcpu, e, c.nent);
	return 0;
}

/**
 * svm_get_cpuid() - KVM_GET_CPUID2: the table the vCPU has, with the bits
 * its state decides (svm_cpuid_runtime()).
 * @vcpu: the vCPU; vcpu->mutex is held
 * @uc: userspace's struct kvm_cpuid2; nent says how many entries fit
 *
 * Return: 0 with nent and the entries filled in; -E2BIG when they do not
 * fit (nent is left alone, as KVM does); -EFAULT.
 */
int svm_get_cpuid(struct svm_vcpu *vcpu, struct kvm_cpuid2 __user *uc)
{
	struct kvm_cpuid2 c;

	if (copy_from_user(&c, uc, sizeof(c)))
		return -EFAULT;
	if (c.nent < vcpu->nr_cpuid)
		return -E2BIG;
	svm_cpuid_runtime(vcpu->cpuid, vcpu->nr_cpuid, vcpu->apic_base);
	c.nent = vcpu->nr_cpuid;
	if (copy_to_user(uc, &c, sizeof(c)) ||
	    copy_to_user(uc->entries, vcpu->cpuid,
			 vcpu->nr_cpuid * sizeof(*vcpu->cpuid)))
		return -EFAULT;
	return 0;
}

/**
 * svm_guest_maxphyaddr() - the guest's physical-address width.
 * @vcpu: the vCPU
 *
 * Return: CPUID 8000_0008h EAX[7:0] from its table, or 36 when the table
 * does not reach that leaf (as KVM).
 */
u8 svm_guest_maxphyaddr(struct svm_vcpu *vcpu)
{
	u32 r[4];

	svm_cpuid_lookup(vcpu, 0x80000000, 0, r);
	if (r[0] < 0x80000008)
		return 36;
	svm_cpuid_lookup(vcpu, 0x80000008, 0, r);
	return r[0] & 0xff;
}

/**
 * svm_cpuid_lookup() - what CPUID returns for @fn/@index on @vcpu.
 * @vcpu: the vCPU
 * @fn: EAX
 * @index: ECX, for leaves whose entries have a significant index
 * @out: EAX, EBX, ECX, EDX; zeros for a leaf the table does not have
 */
void svm_cpuid_lookup(struct svm_vcpu *vcpu, u32 fn, u32 index, u32 *out)
{
	const struct kvm_cpuid_entry2 *e;

	e = svm_cpuid_find(vcpu->cpuid, vcpu->nr_cpuid, fn, index);
	if (e) {
		out[0] = e->eax;
		out[1] = e->ebx;
		out[2] = e->ecx;
		out[3] = fn == 1 ? svm_cpuid_1_edx(e->edx, vcpu->apic_base) :
				   e->edx;
	} else {
		memset(out, 0, 4 * sizeof(*out));
	}
	/* Whatever table userspace set: see svm_cpuid_hide_for_shadow(). */
	if (svm_shadowed(vcpu) && fn == 1)
		out[2] &= ~SVM_CPUID_1_ECX_SHADOW_HIDDEN;
	if (svm_shadowed(vcpu) && fn == 7 && index == 0)
		out[1] &= ~SVM_CPUID_7_EBX_SHADOW_HIDDEN;
}
