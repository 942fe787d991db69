/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The structures every layer of svm/ shares: VMs, vCPUs and memory
 * slots, and the ops struct through which svm/ reaches an MMU backend
 * (npt/ or shadow/).  Types only; docs/architecture.md has the layers.
 *
 * Locking, from outer to inner:
 *   vcpu->mutex	serializes the ioctls of one vCPU (KVM_RUN among them)
 *   vm->lock		(m) VM-wide changes: vCPU creation, slot updates,
 *			the MMU choice (which also try-locks every vCPU's
 *			mutex: it never waits for one)
 *   vm->slots_lock	(s) write: slot table and MMU mappings change;
 *			read: a vCPU reads guest memory or the slot table
 *   vm->vdev_lock	(v) a spinlock around every call into the devices
 *			(vdev/); see intr.h
 * A vCPU holds no lock while in guest mode: a slot change zaps the
 * mappings, then kicks every vCPU out of guest mode and makes it flush
 * its TLB before it enters again, and only then unpins the pages.
 */
#ifndef SVMHV_SVM_TYPES_H
#define SVMHV_SVM_TYPES_H

#include <linux/atomic.h>
#include <linux/hrtimer.h>
#include <linux/kref.h>
#include <linux/kvm.h>
#include <linux/mutex.h>
#include <linux/rcuwait.h>
#include <linux/rwsem.h>
#include <linux/signal_types.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>

#include "../uapi/svmhv.h"
#include "emulate.h"
#include "gwalk.h"
#include "regs.h"
#include "vmcb.h"

#define SVM_MAX_SLOTS		32
#define SVM_MAX_VCPUS		16
/* vCPU ids are below this (KVM's KVM_MAX_VCPU_IDS on x86). */
#define SVM_MAX_VCPU_IDS	4096
#define SVM_MAX_CPUID_ENTRIES	256
/* KVM's limit on one slot: 2^31 - 1 pages. */
#define SVM_MAX_SLOT_PAGES	((1UL << 31) - 1)
/* Guest-physical addresses the 4-level nested tables can map. */
#define SVM_GPA_BITS		48

struct svm_msr_filter;
struct svm_vm;
struct svm_vcpu;
struct page;
struct vdev;
struct vdev_lapic;

/* One KVM_SET_USER_MEMORY_REGION slot, its pages pinned. */
struct svm_slot {
	u32 id;
	u32 flags;
	u64 gpa;
	u64 size;
	u64 uaddr;
	unsigned long npages;
	struct page **pages;
	/*
	 * KVM_MEM_LOG_DIRTY_PAGES: one bit per page written since the last
	 * KVM_GET_DIRTY_LOG, set atomically under slots_lock held for read
	 * and taken with xchg() under it held for write; NULL: no log.
	 */
	unsigned long *dirty_bitmap;
};

/**
 * struct svm_mmu_ops - what svm/ needs from an MMU backend.
 * @name: shown in stats and dmesg
 * @mode: SVMHV_MMU_*
 * @init_vm: set up per-VM state (for NPT: the empty root table)
 * @destroy_vm: free it; no vCPU runs and every slot is gone
 * @map_slot: map a new slot; called with slots_lock held for write.  A
 *	slot that logs dirty pages is mapped read-only, with 4K pages
 * @unmap_slot: remove a slot's mappings; slots_lock held for write.  The
 *	caller kicks the vCPUs and flushes before unpinning the pages.
 * @flush_done: after the kick: free what @unmap_slot left for later
 * @prepare_vmcb: fill the VMCB's paging controls for a vCPU being reset
 * @shadows_crs: the backend keeps the guest's CR0, CR3, CR4 and EFER in
 *	vcpu->guest and decides what the VMCB holds; svm/ intercepts the
 *	control-register accesses and #PF, INVLPG and task switches, and
 *	calls the hooks below.  Without it the VMCB holds the guest's own.
 * @vcpu_destroy: free the backend's vCPU state (optional; a backend
 *	that has some allocates it in @load)
 * @load: before VMRUN when vcpu->mmu_reload is set: derive the VMCB's
 *	paging registers from vcpu->guest; slots_lock held for read
 * @page_fault: a #PF exit at @gva with the hardware's error code.
 *	Returns 1 when the guest can go on (fixed, or a #PF injected),
 *	0 when the access is MMIO at *@gpa, or <0 (-EIO: the guest's
 *	tables are not in RAM); slots_lock held for read
 * @invlpg: the guest invalidated @gva; slots_lock held for read
 * @make_writable: a write fault at @gpa, in a slot that logs, was
 *	logged: let the guest write the page from now on.  Returns 1 when
 *	the mapping changed, 0 when it was writable already (the vCPU then
 *	flushes its TLB), <0 when nothing maps @gpa (optional: NPT only;
 *	the shadow MMU handles such writes in @page_fault); slots_lock
 *	held for read
 * @protect_dirty: after KVM_GET_DIRTY_LOG took @bits (one per page of
 *	@slot; NULL: every page) from the log: make the next write to those
 *	pages fault again, to be logged.  slots_lock held for write; the
 *	caller kicks the vCPUs and flushes afterwards
 * @stats: add the VM's counters to @shadow (SVMHV_SHADOW_*)
 * @live_pages: page-table pages the backend holds now, over all VMs
 */
struct svm_mmu_ops {
	const char *name;
	u32 mode;
	bool shadows_crs;
	int (*init_vm)(struct svm_vm *vm);
	void (*destroy_vm)(struct svm_vm *vm);
	int (*map_slot)(struct svm_vm *vm, struct svm_slot *slot);
	void (*unmap_slot)(struct svm_vm *vm, struct svm_slot *slot);
	void (*flush_done)(struct svm_vm *vm);
	void (*prepare_vmcb)(struct svm_vm *vm, struct vmcb *vmcb);
	void (*vcpu_destroy)(struct svm_vcpu *vcpu);
	int (*load)(struct svm_vcpu *vcpu);
	int (*page_fault)(struct svm_vcpu *vcpu, u64 gva, u32 error, u64 *gpa);
	void (*invlpg)(struct svm_vcpu *vcpu, u64 gva);
	int (*make_writable)(struct svm_vm *vm, u64 gpa);
	void (*protect_dirty)(struct svm_vm *vm, struct svm_slot *slot,
			      const unsigned long *bits);
	void (*stats)(struct svm_vm *vm, u64 *shadow);
	atomic_long_t *live_pages;
};

extern const struct svm_mmu_ops npt_mmu_ops;
extern const struct svm_mmu_ops shadow_mmu_ops;

struct svm_vm {
	struct kref ref;
	struct mutex lock;
	struct rw_semaphore slots_lock;
	struct mm_struct *mm;		/* pinned pages are accounted here */
	const struct svm_mmu_ops *mmu;
	void *mmu_priv;			/* (s) the backend's state */

	struct svm_slot *slots[SVM_MAX_SLOTS];	/* (s) */
	/* (s) write; +1 at each slot created or deleted; read locklessly */
	u64 slots_gen;
	unsigned long pinned_pages;		/* (s) */
	u64 leaves[SVMHV_LEAF_NR];		/* (s) kept by the backend */

	/* In creation order, whatever their ids; (m), read locklessly. */
	struct svm_vcpu *vcpus[SVM_MAX_VCPUS];
	atomic_t nr_vcpus;
	u32 max_vcpu_ids;			/* (m) KVM_CAP_MAX_VCPU_ID; 0: unset */
	unsigned long nr_mmu_pages;		/* (m) KVM_SET_NR_MMU_PAGES; 0: unset */
	bool ran;				/* (m) a vCPU has run */

	/*
	 * In-kernel devices (devices.c, intr.c): NULL until the first is created, then
	 * set once (m) and read with smp_load_acquire().
	 */
	struct vdev *vdev;
	spinlock_t vdev_lock;
	unsigned int vdev_events;		/* (v) to act on after unlock */
	wait_queue_head_t uart_wq;		/* the UART file's waiters */
	bool irqchip;				/* (m) set once, read with acquire */
	bool pit, uart, pc_ports;		/* (m) created */

	/* MSR accesses userspace answers (msr_user.c). */
	u32 user_space_msr;	/* (m) KVM_MSR_EXIT_REASON_*; READ_ONCE */
	struct svm_msr_filter __rcu *msr_filter;	/* (m) write; RCU */
};

/* vcpu->mode */
enum { SVM_VCPU_OUTSIDE_GUEST, SVM_VCPU_IN_GUEST };
/*
 * vcpu->requests bits.  SVM_REQ_EVENT: an interrupt may have come (or a
 * device deadline passed); look at the devices again before entering.
 */
enum { SVM_REQ_TLB_FLUSH, SVM_REQ_EVENT };

/* vcpu->mmu_reload bits */
#define SVM_MMU_RELOAD_REGS	BIT(0)	/* guest CR0/CR3/CR4/EFER changed */
#define SVM_MMU_RELOAD_FLUSH	BIT(1)	/* the guest flushed its TLB */

/* A pending access that userspace completes on the next KVM_RUN. */
struct svm_pending {
	u8 kind;		/* SVM_PENDING_* */
	u8 size;		/* bytes per access */
	bool rep;		/* INS: REP prefix */
	u8 addr_size;		/* INS: 2, 4 or 8 */
	u32 count;		/* INS: elements */
	u64 next_rip;
	u64 rsi, rcx;		/* OUTS: the registers after it */
	struct svm_insn insn;	/* MMIO: the instruction it completes */
	u64 gpa;		/* MMIO: the address read */
	u64 rflags;		/* MMIO: RFLAGS after an ALU or bit operation */
};

/*
 * As in KVM, an I/O or MMIO exit leaves the guest state as it was before
 * the instruction; the instruction completes (registers, RIP) when
 * userspace calls KVM_RUN again.
 */
enum {
	SVM_PENDING_NONE,
	SVM_PENDING_PIO_OUT,	/* OUT: only RIP moves */
	SVM_PENDING_PIO_OUTS,	/* RSI, RCX and RIP move */
	SVM_PENDING_PIO_IN,
	SVM_PENDING_PIO_INS,
	SVM_PENDING_MMIO_READ,	/* the instruction goes on with the data */
	SVM_PENDING_MMIO_WRITE,	/* the instruction's registers are written */
	SVM_PENDING_RDMSR,	/* answered in run->msr */
	SVM_PENDING_WRMSR,
};

/*
 * A guest-linear page's translation, as svm_access_linear() last found it
 * with gwalk(), kept to be checked rather than walked again (linear.c).
 */
struct svm_xlate {
	bool valid;
	u8 top, leaf;			/* pte[top..leaf] read; none if top 0 */
	u8 entry_size;
	u32 access;
	u64 page;			/* linear >> PAGE_SHIFT */
	u64 slots_gen;
	struct gwalk_regs regs;
	u64 pte[5];			/* as gwalk_result.pte */
	struct page *pte_page[5];	/* the host pages holding them */
	u16 pte_off[5];
	struct page *data;		/* the host page @page maps to */
	u64 data_gpa;			/* and its guest-physical address */
};

#define SVM_XLATE_NR	4

struct svm_vcpu {
	struct svm_vm *vm;
	u32 id;
	struct mutex mutex;
	struct kvm_run *run;
	void *pio_data;			/* second page of the vCPU mmap */
	struct vmcb *vmcb;
	u64 vmcb_pa;
	struct svm_gprs regs;
	struct fxregs_state *fpu;	/* guest x87/SSE state */

	int mode;			/* SVM_VCPU_* */
	unsigned long requests;
	int cpu;			/* where it runs or last ran */
	u32 asid;
	u64 asid_gen;
	int asid_cpu;
	u32 dirty;			/* VMCB groups changed since last run */
	u64 entry_slots_gen;		/* vm->slots_gen at the last VMRUN */

	struct svm_pending pending;
	/* An exception met a #DF being delivered: shut down (vcpu_state.c). */
	bool triple_fault;
	/* The last #VMEXIT left the host's state in the VMCB (run.c). */
	bool lost_state;
	/* KVM_SET_SIGNAL_MASK: blocked during KVM_RUN when active. */
	sigset_t sigset;
	bool sigset_active;
	/*
	 * NMIs (nmi.c): how many wait; masked from an NMI's injection to
	 * the guest's IRET; that IRET seen at iret_rip and let run; the
	 * guest stepped over what blocks a pending one (with TF and RF,
	 * and DR6, as they were).
	 */
	struct {
		u8 pending;
		bool masked, iret, step;
		u64 iret_rip;
		u64 step_rflags, step_dr6;
	} nmi;
	/* In HLT until an interrupt comes (intr.c); kept across KVM_RUNs. */
	bool halted;
	struct rcuwait wait;		/* the thread, while halted */
	struct hrtimer timer;		/* the devices' or APIC timer's deadline */
	/* The in-kernel local APIC (lapic.h), with KVM_CREATE_IRQCHIP. */
	struct vdev_lapic *lapic;

	/*
	 * The guest's paging registers, when the MMU shadows them (see
	 * svm_mmu_ops.shadows_crs); the VMCB then holds what the CPU
	 * really uses.  mmu_reload asks the MMU to rederive it.
	 */
	struct {
		u64 cr0, cr3, cr4, efer;
	} guest;
	u32 mmu_reload;			/* SVM_MMU_RELOAD_* */
	void *mmu_priv;			/* the MMU backend's vCPU state */

	/*
	 * The guest's DR0-DR3 (debugreg.c); DR6 and DR7 are in the VMCB.
	 * dr_live: the DR intercepts are off, the CPU holds the values.
	 */
	u64 dr[4];
	bool dr_live;

	/* CPUID table from KVM_SET_CPUID2 (or the default). */
	u32 nr_cpuid;
	struct kvm_cpuid_entry2 *cpuid;

	/*
	 * MSRs emulated outside the VMCB.  TSC_AUX is not offered (no
	 * RDTSCP in CPUID), but RDPID cannot be intercepted: it reads this.
	 */
	u64 tsc_aux;
	s64 tsc_adjust;
	u64 ucode_rev;
	u64 apic_base;
	u64 mtrr_def_type;
	u64 mtrr_fixed[11];		/* 0x250, 0x258-0x259, 0x268-0x26f */
	u64 mtrr_var[16];		/* base/mask pairs from 0x200 */
	/*
	 * Machine checks (mce.c): MCG_CAP, MCG_STATUS, MCG_CTL, HWCR and 32
	 * banks of MCi_CTL/STATUS/ADDR/MISC; kept across resets.
	 */
	struct {
		u64 cap, status, ctl, hwcr;
		u64 banks[4 * 32];
	} mce;
	/* POWER_CTL, kept for any guest as KVM does; a reset keeps it. */
	u64 power_ctl;
	/*
	 * OSVW_ID_LENGTH and OSVW_STATUS (msr.c), set when the vCPU is made
	 * (svm_osvw_guest()); a reset keeps them.
	 */
	struct {
		u64 len, status;
	} osvw;

	/* Guest-linear translations (linear.c); slots_lock held for read. */
	struct svm_xlate xlate[SVM_XLATE_NR];

	u64 runs;
	u64 exits[SVMHV_EXIT_STAT_NR];
};

#endif /* SVMHV_SVM_TYPES_H */
