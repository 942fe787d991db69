/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Functions shared by the VM, vCPU, run-loop and exit-handling files.
 */
#ifndef SVMHV_SVM_VCPU_H
#define SVMHV_SVM_VCPU_H

#include <asm/msr-index.h>

#include "gwalk.h"
#include "vm.h"

/* Exit codes (APM vol. 2, appendix C "SVM Intercept Exit Codes"). */
#define SVM_EXIT_EXCP_BASE	0x040
#define SVM_EXIT_INTR		0x060
#define SVM_EXIT_NMI		0x061
#define SVM_EXIT_SMI		0x062
#define SVM_EXIT_INIT		0x063
#define SVM_EXIT_VINTR		0x064
#define SVM_EXIT_EXCP_AC	(SVM_EXIT_EXCP_BASE + AC_VECTOR)
#define SVM_EXIT_EXCP_MC	(SVM_EXIT_EXCP_BASE + MC_VECTOR)
#define SVM_EXIT_RDPMC		0x06f
#define SVM_EXIT_CPUID		0x072
#define SVM_EXIT_HLT		0x078
#define SVM_EXIT_INVD		0x076
#define SVM_EXIT_INVLPGA	0x07a
#define SVM_EXIT_IOIO		0x07b
#define SVM_EXIT_MSR		0x07c
#define SVM_EXIT_SHUTDOWN	0x07f
#define SVM_EXIT_VMRUN		0x080
#define SVM_EXIT_VMMCALL	0x081
#define SVM_EXIT_VMLOAD		0x082
#define SVM_EXIT_VMSAVE		0x083
#define SVM_EXIT_STGI		0x084
#define SVM_EXIT_CLGI		0x085
#define SVM_EXIT_SKINIT		0x086
#define SVM_EXIT_RDTSCP		0x087
#define SVM_EXIT_WBINVD		0x089
#define SVM_EXIT_MONITOR	0x08a
#define SVM_EXIT_MWAIT		0x08b
#define SVM_EXIT_XSETBV		0x08d
#define SVM_EXIT_RDPRU		0x08e
#define SVM_EXIT_INVPCID	0x0a2
#define SVM_EXIT_NPF		0x400
#define SVM_EXIT_INVALID	((u64)-1)

#define UD_VECTOR	6
#define GP_VECTOR	13
#define PF_VECTOR	14

/* vcpu->mmu_reload bits */
#define SVM_MMU_RELOAD_REGS	BIT(0)	/* guest CR0/CR3/CR4/EFER changed */
#define SVM_MMU_RELOAD_FLUSH	BIT(1)	/* the guest flushed its TLB */

static inline void vmcb_set_intercept(struct vmcb_control_area *c, int bit)
{
	c->intercepts[bit / 32] |= BIT(bit % 32);
}

static inline void vmcb_clr_intercept(struct vmcb_control_area *c, int bit)
{
	c->intercepts[bit / 32] &= ~BIT(bit % 32);
}

static inline bool vmcb_is_intercept(const struct vmcb_control_area *c,
				     int bit)
{
	return c->intercepts[bit / 32] & BIT(bit % 32);
}

static inline bool svm_shadowed(const struct svm_vcpu *vcpu)
{
	return vcpu->vm->mmu->shadows_crs;
}

/* The guest's own paging registers, whichever MMU runs it. */
static inline u64 svm_guest_cr0(const struct svm_vcpu *vcpu)
{
	return svm_shadowed(vcpu) ? vcpu->guest.cr0 : vcpu->vmcb->save.cr0;
}

static inline u64 svm_guest_cr3(const struct svm_vcpu *vcpu)
{
	return svm_shadowed(vcpu) ? vcpu->guest.cr3 : vcpu->vmcb->save.cr3;
}

/* Under NPT too: the VMCB's has the host's CR4.MCE (svm_set_npt_cr4()). */
static inline u64 svm_guest_cr4(const struct svm_vcpu *vcpu)
{
	return vcpu->guest.cr4;
}

/* Without EFER.SVME, which the guest never sees. */
static inline u64 svm_guest_efer(const struct svm_vcpu *vcpu)
{
	return svm_shadowed(vcpu) ? vcpu->guest.efer :
				    vcpu->vmcb->save.efer & ~EFER_SVME;
}

static inline void svm_guest_paging(const struct svm_vcpu *vcpu,
				    struct gwalk_regs *r)
{
	r->cr0 = svm_guest_cr0(vcpu);
	r->cr3 = svm_guest_cr3(vcpu);
	r->cr4 = svm_guest_cr4(vcpu);
	r->efer = svm_guest_efer(vcpu);
}

/* paging.c */
void svm_set_guest_paging(struct svm_vcpu *vcpu, u64 cr0, u64 cr3, u64 cr4,
			  u64 efer);
bool svm_cr4_valid(struct svm_vcpu *vcpu, u64 cr4);
bool svm_cr4_valid_mmu(u64 cr4, bool shadowed);

/* vm.c */
int svm_vm_create(unsigned long type);
void svm_vm_put(struct svm_vm *vm);
void svm_vm_request_all(struct svm_vm *vm, int req);
long svm_check_extension(unsigned long cap);

/* vcpu.c */
int svm_vcpu_create(struct svm_vm *vm, unsigned long id);
void svm_vcpu_free(struct svm_vcpu *vcpu);
void svm_vcpu_reset(struct svm_vcpu *vcpu);
void svm_vcpu_mmu_detach(struct svm_vcpu *vcpu);
void svm_vcpu_mmu_attach(struct svm_vcpu *vcpu);

/* run.c */
int svm_vcpu_run(struct svm_vcpu *vcpu);
int svm_vcpu_run_floor(struct svm_vcpu *vcpu, struct svmhv_floor __user *uf);
int svm_fail_entry(struct svm_vcpu *vcpu);
void vmcb_mark_dirty(struct svm_vcpu *vcpu, int clean_bit);
u64 svm_reg_read(struct svm_vcpu *vcpu, int reg);
void svm_reg_write(struct svm_vcpu *vcpu, int reg, u64 val);
void svm_inject_exception(struct svm_vcpu *vcpu, int vector, bool has_error,
			  u32 error);

/* exits.c */
int svm_handle_exit(struct svm_vcpu *vcpu);
int svm_complete_userspace(struct svm_vcpu *vcpu);
int svm_floor_exit(struct svm_vcpu *vcpu);

/* cpuid.c */
int svm_cpuid_init(void);
void svm_cpuid_exit(void);
int svm_get_supported_cpuid(struct kvm_cpuid2 __user *uc);
int svm_set_cpuid(struct svm_vcpu *vcpu, struct kvm_cpuid2 __user *uc);
int svm_default_cpuid(struct svm_vcpu *vcpu);
void svm_cpuid_lookup(struct svm_vcpu *vcpu, u32 fn, u32 index, u32 *out);

/* msr.c */
int svm_get_msr(struct svm_vcpu *vcpu, u32 index, u64 *val);
int svm_set_msr(struct svm_vcpu *vcpu, u32 index, u64 val, bool host);
int svm_get_msr_index_list(struct kvm_msr_list __user *ul);
int svm_msrs_ioctl(struct svm_vcpu *vcpu, struct kvm_msrs __user *um,
		   bool set);
int svm_permission_maps_init(void);
void svm_permission_maps_exit(void);
u64 svm_iopm_pa(void);
u64 svm_msrpm_pa(void);

#endif /* SVMHV_SVM_VCPU_H */
