// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's x87 and SSE state (vcpu->fpu, an FXSAVE image: svmhv hides
 * XSAVE and AVX from guests) as KVM_GET/SET_FPU and KVM_GET/SET_XSAVE
 * show it.
 */
#include <linux/kvm.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <asm/fpu/types.h>
#include <asm/fpu/xstate.h>

#include "fpu.h"

/* MXCSR bits 31:16 are reserved: FXRSTOR would fault on them. */
#define SVM_MXCSR_VALID		0xffffU

/* The XSAVE image's legacy area and header: all of it svmhv has. */
#define SVM_XSAVE_LEGACY	512
#define SVM_XSAVE_HDR		64
#define SVM_XFEATURES		(XFEATURE_MASK_FP | XFEATURE_MASK_SSE)

struct svm_xsave_hdr {
	u64 xstate_bv;
	u64 xcomp_bv;
	u64 reserved[6];
};

/**
 * svm_get_fpu() - KVM_GET_FPU.
 * @vcpu: the vCPU; vcpu->mutex is held
 * @f: filled in
 */
void svm_get_fpu(struct svm_vcpu *vcpu, struct kvm_fpu *f)
{
	const struct fxregs_state *fx = vcpu->fpu;

	memset(f, 0, sizeof(*f));
	memcpy(f->fpr, fx->st_space, sizeof(f->fpr));
	f->fcw = fx->cwd;
	f->fsw = fx->swd;
	f->ftwx = fx->twd;
	f->last_opcode = fx->fop;
	f->last_ip = fx->rip;
	f->last_dp = fx->rdp;
	memcpy(f->xmm, fx->xmm_space, sizeof(f->xmm));
	f->mxcsr = fx->mxcsr;
}

/**
 * svm_set_fpu() - KVM_SET_FPU.
 * @vcpu: the vCPU; vcpu->mutex is held
 * @f: the state
 *
 * Return: 0, or -EINVAL for reserved MXCSR bits.
 */
int svm_set_fpu(struct svm_vcpu *vcpu, const struct kvm_fpu *f)
{
	struct fxregs_state *fx = vcpu->fpu;

	if (f->mxcsr & ~SVM_MXCSR_VALID)
		return -EINVAL;
	memcpy(fx->st_space, f->fpr, sizeof(f->fpr));
	fx->cwd = f->fcw;
	fx->swd = f->fsw;
	fx->twd = f->ftwx;
	fx->fop = f->last_opcode;
	fx->rip = f->last_ip;
	fx->rdp = f->last_dp;
	memcpy(fx->xmm_space, f->xmm, sizeof(f->xmm));
	fx->mxcsr = f->mxcsr;
	return 0;
}


/**
 * svm_get_xsave() - KVM_GET_XSAVE: the state in XSAVE's standard format.
 * @vcpu: the vCPU; vcpu->mutex is held
 * @u: userspace's struct kvm_xsave (4096 bytes)
 *
 * The legacy area is the FXSAVE image; the header says x87 and SSE
 * (XSTATE_BV 3, as KVM for a guest without XSAVE); the rest is zero.
 *
 * Return: 0 or -EFAULT.
 */
int svm_get_xsave(struct svm_vcpu *vcpu, struct kvm_xsave __user *u)
{
	struct svm_xsave_hdr hdr = { .xstate_bv = SVM_XFEATURES };
	u8 __user *p = (u8 __user *)u->region;

	if (copy_to_user(p, vcpu->fpu, SVM_XSAVE_LEGACY) ||
	    copy_to_user(p + SVM_XSAVE_LEGACY, &hdr, sizeof(hdr)) ||
	    clear_user(p + SVM_XSAVE_LEGACY + sizeof(hdr),
		       sizeof(u->region) - SVM_XSAVE_LEGACY - sizeof(hdr)))
		return -EFAULT;
	return 0;
}

/**
 * svm_fpu_init_parts() - put x87 and SSE state in their initial state.
 * @fx: the FXSAVE image
 * @xstate_bv: XSTATE_BV's clear bits name the components to initialize
 *	(0: both, as at reset)
 */
void svm_fpu_init_parts(struct fxregs_state *fx, u64 xstate_bv)
{
	if (!(xstate_bv & XFEATURE_MASK_FP)) {
		fx->cwd = 0x37f;
		fx->swd = 0;
		fx->twd = 0;
		fx->fop = 0;
		fx->rip = 0;
		fx->rdp = 0;
		memset(fx->st_space, 0, sizeof(fx->st_space));
	}
	if (!(xstate_bv & XFEATURE_MASK_SSE)) {
		fx->mxcsr = 0x1f80;
		memset(fx->xmm_space, 0, sizeof(fx->xmm_space));
	}
}

/**
 * svm_set_xsave() - KVM_SET_XSAVE.
 * @vcpu: the vCPU; vcpu->mutex is held
 * @u: userspace's struct kvm_xsave
 *
 * As the kernel takes an XSAVE image from userspace: standard format
 * only, components in XSTATE_BV only those the guest has (x87, SSE), and
 * those not in it set to their initial state.
 *
 * Return: 0; -EINVAL for another component, a compacted image, a
 * nonzero reserved header word or reserved MXCSR bits; -EFAULT.
 */
int svm_set_xsave(struct svm_vcpu *vcpu, const struct kvm_xsave __user *u)
{
	const u8 __user *p = (const u8 __user *)u->region;
	struct fxregs_state fx;
	struct svm_xsave_hdr hdr;

	if (copy_from_user(&fx, p, sizeof(fx)) ||
	    copy_from_user(&hdr, p + SVM_XSAVE_LEGACY, sizeof(hdr)))
		return -EFAULT;
	if ((hdr.xstate_bv & ~SVM_XFEATURES) || hdr.xcomp_bv ||
	    memchr_inv(hdr.reserved, 0, sizeof(hdr.reserved)))
		return -EINVAL;
	if ((hdr.xstate_bv & XFEATURE_MASK_SSE) && (fx.mxcsr & ~SVM_MXCSR_VALID))
		return -EINVAL;
	svm_fpu_init_parts(&fx, hdr.xstate_bv);
	fx.mxcsr_mask = vcpu->fpu->mxcsr_mask;
	*vcpu->fpu = fx;
	return 0;
}
