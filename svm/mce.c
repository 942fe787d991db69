// SPDX-License-Identifier: GPL-2.0
/*
 * Machine checks as KVM gives them to guests: the MSRs, kept and never
 * raised by the CPU itself (a real machine check is the host's, run.c),
 * KVM_X86_SETUP_MCE and KVM_X86_SET_MCE for a VMM that reports one.
 *
 * A vCPU starts, as in KVM, with 32 banks and neither MCG_CTL_P nor
 * software error recovery until KVM_X86_SETUP_MCE; its MCE state lasts
 * for the vCPU's life, resets included (a VMM sets it up once).
 */
#include <linux/kvm.h>
#include <linux/nospec.h>
#include <linux/uaccess.h>
#include <asm/processor-flags.h>
#include <asm/trapnr.h>

#include "mce.h"
#include "paging_regs.h"
#include "vcpu_state.h"

/**
 * svm_mce_reset() - a new vCPU's machine-check state.
 * @vcpu: the vCPU
 */
void svm_mce_reset(struct svm_vcpu *vcpu)
{
	BUILD_BUG_ON(ARRAY_SIZE(vcpu->mce.banks) != 4 * SVM_MCE_MAX_BANKS);
	memset(&vcpu->mce, 0, sizeof(vcpu->mce));
	vcpu->mce.cap = SVM_MCE_MAX_BANKS;
}

static u64 *svm_mce_bank(struct svm_vcpu *vcpu, u32 index)
{
	int reg = svm_mce_bank_reg(index, vcpu->mce.cap);

	if (reg < 0)
		return NULL;
	return &vcpu->mce.banks[array_index_nospec(reg,
						   ARRAY_SIZE(vcpu->mce.banks))];
}

/**
 * svm_mce_get_msr() - read a machine-check MSR or HWCR.
 * @vcpu: the vCPU
 * @index: the MSR
 * @val: filled in
 * @host: KVM_GET_MSRS, not the guest
 *
 * Return: 0, -EINVAL for one the vCPU cannot read now, -ENOENT for an
 * MSR that is not one of these.
 */
int svm_mce_get_msr(struct svm_vcpu *vcpu, u32 index, u64 *val, bool host)
{
	u64 *bank;

	if (index == MSR_K7_HWCR) {
		*val = vcpu->mce.hwcr;
		return 0;
	}
	if (!svm_mce_is_msr(index))
		return -ENOENT;
	if (!svm_mce_read_valid(index, host, vcpu->mce.cap))
		return -EINVAL;
	switch (index) {
	case MSR_IA32_MCG_CAP:
		*val = vcpu->mce.cap;
		return 0;
	case MSR_IA32_MCG_STATUS:
		*val = vcpu->mce.status;
		return 0;
	case MSR_IA32_MCG_CTL:
		*val = vcpu->mce.ctl;
		return 0;
	}
	bank = svm_mce_bank(vcpu, index);
	*val = bank ? *bank : 0;	/* MCi_CTL2: no CMCI, always 0 */
	return 0;
}

/**
 * svm_mce_set_msr() - write a machine-check MSR or HWCR.
 * @vcpu: the vCPU
 * @index: the MSR
 * @val: the value
 * @host: KVM_SET_MSRS, not the guest
 *
 * Return: 0, -EINVAL for a value svm_mce_write_valid() or
 * svm_hwcr_write_valid() refuses, -ENOENT for an MSR that is not one of
 * these (MCG_CAP included).
 */
int svm_mce_set_msr(struct svm_vcpu *vcpu, u32 index, u64 val, bool host)
{
	u64 *bank;
	int ret;

	if (index == MSR_K7_HWCR) {
		if (!svm_hwcr_write_valid(val))
			return -EINVAL;
		vcpu->mce.hwcr = val & SVM_HWCR_MCSTATUSWREN;
		return 0;
	}
	if (!svm_mce_is_msr(index))
		return -ENOENT;
	ret = svm_mce_write_valid(index, val, host, vcpu->mce.cap,
				  vcpu->mce.hwcr);
	if (ret)
		return ret;
	switch (index) {
	case MSR_IA32_MCG_STATUS:
		vcpu->mce.status = val;
		return 0;
	case MSR_IA32_MCG_CTL:
		vcpu->mce.ctl = val;
		return 0;
	}
	bank = svm_mce_bank(vcpu, index);
	if (bank)
		*bank = val;
	return 0;
}

/**
 * svm_mce_setup() - KVM_X86_SETUP_MCE.
 * @vcpu: the vCPU; vcpu->mutex is held
 * @ucap: userspace's MCG_CAP
 *
 * As KVM: MCG_CTL and every MCi_CTL become all ones; then, as kvm_amd,
 * only bits 8:0 of MCG_CAP are kept (MCG_SER_P is taken and dropped).
 *
 * Return: 0, -EFAULT, or -EINVAL for a value svm_mce_cap_valid() refuses.
 */
int svm_mce_setup(struct svm_vcpu *vcpu, u64 __user *ucap)
{
	unsigned int i;
	u64 cap;

	if (get_user(cap, ucap))
		return -EFAULT;
	if (!svm_mce_cap_valid(cap))
		return -EINVAL;
	vcpu->mce.cap = cap & SVM_MCE_CAP_KEPT;
	if (cap & MCG_CTL_P)
		vcpu->mce.ctl = ~0ULL;
	for (i = 0; i < svm_mce_banks(cap); i++)
		vcpu->mce.banks[4 * i] = ~0ULL;
	return 0;
}

/* KVM's "uncorrected, no action" error: recorded, nothing raised. */
static bool svm_mce_is_ucna(const struct kvm_x86_mce *m)
{
	return !m->mcg_status && (m->status & MCI_STATUS_VAL) &&
	       (m->status & MCI_STATUS_UC) &&
	       !(m->status & (MCI_STATUS_PCC | MCI_STATUS_S | MCI_STATUS_AR));
}

/* Fill bank @b with @m's error, flagging an overflow over a valid one. */
static void svm_mce_record(u64 *b, struct kvm_x86_mce *m)
{
	if (b[1] & MCI_STATUS_VAL)
		m->status |= MCI_STATUS_OVER;
	b[1] = m->status;
	b[2] = m->addr;
	b[3] = m->misc;
}

/**
 * svm_mce_inject() - KVM_X86_SET_MCE: an error in one of the banks.
 * @vcpu: the vCPU; vcpu->mutex is held
 * @um: userspace's struct kvm_x86_mce
 *
 * As KVM: an uncorrected error that the guest reports (MCG_CTL and the
 * bank's MCi_CTL all ones) raises #MC, or shuts the vCPU down when a
 * machine check is in progress or CR4.MCE is clear (the next KVM_RUN
 * returns KVM_EXIT_SHUTDOWN); a corrected one is only recorded, unless
 * the bank holds an uncorrected one, which then overflows.
 *
 * Return: 0, -EFAULT, or -EINVAL for a bank beyond MCG_CAP's count or a
 * status without VAL.
 */
int svm_mce_inject(struct svm_vcpu *vcpu, struct kvm_x86_mce __user *um)
{
	struct kvm_x86_mce m;
	unsigned int banks = svm_mce_banks(vcpu->mce.cap);
	u64 *b;

	if (copy_from_user(&m, um, sizeof(m)))
		return -EFAULT;
	if (m.bank >= banks || !(m.status & MCI_STATUS_VAL))
		return -EINVAL;
	b = &vcpu->mce.banks[4 * array_index_nospec(m.bank, banks)];
	if (svm_mce_is_ucna(&m)) {
		b[1] = m.status;
		b[2] = m.addr;
		b[3] = m.misc;
		vcpu->mce.status = m.mcg_status;
		return 0;
	}
	if (!(m.status & MCI_STATUS_UC)) {
		if (!(b[1] & MCI_STATUS_VAL) || !(b[1] & MCI_STATUS_UC))
			svm_mce_record(b, &m);
		else
			b[1] |= MCI_STATUS_OVER;
		return 0;
	}
	if (((vcpu->mce.cap & MCG_CTL_P) && vcpu->mce.ctl != ~0ULL) ||
	    b[0] != ~0ULL)
		return 0;
	if ((vcpu->mce.status & MCG_STATUS_MCIP) ||
	    !(svm_guest_cr4(vcpu) & X86_CR4_MCE)) {
		vcpu->triple_fault = true;
		return 0;
	}
	svm_mce_record(b, &m);
	vcpu->mce.status = m.mcg_status;
	svm_inject_exception(vcpu, X86_TRAP_MC, false, 0);
	return 0;
}
