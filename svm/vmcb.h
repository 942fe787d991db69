/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Virtual Machine Control Block, laid out as the hardware reads it.
 *
 * AMD64 Architecture Programmer's Manual, Volume 2, Appendix B "Layout of
 * VMCB": table B-1 gives the control area (offsets 000h-3FFh), table B-2
 * the state save area (offsets 400h and up).  Reserved ranges are named by
 * the offset at which they start.  This header holds structs, field masks,
 * exit codes, compile-time layout checks and the intercept-bit helpers.
 */
#ifndef SVMHV_SVM_VMCB_H
#define SVMHV_SVM_VMCB_H

#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/stddef.h>
#include <linux/types.h>

/*
 * Intercept bits, numbered as one flat bitmap over the six intercept
 * vectors at the start of the control area: bit N is bit (N % 32) of the
 * 32-bit vector at offset 4 * (N / 32).
 */
enum svm_intercept {
	/* byte 0x00: CR reads 0-15, CR writes 16-31 */
	INTERCEPT_CR0_READ = 0,
	INTERCEPT_CR3_READ = 3,
	INTERCEPT_CR4_READ = 4,
	INTERCEPT_CR8_READ = 8,
	INTERCEPT_CR0_WRITE = 16,
	INTERCEPT_CR3_WRITE = 16 + 3,
	INTERCEPT_CR4_WRITE = 16 + 4,
	INTERCEPT_CR8_WRITE = 16 + 8,
	/* byte 0x04: DR reads 32-47, DR writes 48-63 */
	INTERCEPT_DR0_READ = 32,
	INTERCEPT_DR0_WRITE = 48,
	/* byte 0x08: exception vectors 64-95 */
	INTERCEPT_EXCEPTION_BASE = 64,
	/* byte 0x0c */
	INTERCEPT_INTR = 96,
	INTERCEPT_NMI,
	INTERCEPT_SMI,
	INTERCEPT_INIT,
	INTERCEPT_VINTR,
	INTERCEPT_SELECTIVE_CR0,
	INTERCEPT_STORE_IDTR,
	INTERCEPT_STORE_GDTR,
	INTERCEPT_STORE_LDTR,
	INTERCEPT_STORE_TR,
	INTERCEPT_LOAD_IDTR,
	INTERCEPT_LOAD_GDTR,
	INTERCEPT_LOAD_LDTR,
	INTERCEPT_LOAD_TR,
	INTERCEPT_RDTSC,
	INTERCEPT_RDPMC,
	INTERCEPT_PUSHF,
	INTERCEPT_POPF,
	INTERCEPT_CPUID,
	INTERCEPT_RSM,
	INTERCEPT_IRET,
	INTERCEPT_INTN,
	INTERCEPT_INVD,
	INTERCEPT_PAUSE,
	INTERCEPT_HLT,
	INTERCEPT_INVLPG,
	INTERCEPT_INVLPGA,
	INTERCEPT_IOIO_PROT,
	INTERCEPT_MSR_PROT,
	INTERCEPT_TASK_SWITCH,
	INTERCEPT_FERR_FREEZE,
	INTERCEPT_SHUTDOWN,
	/* byte 0x10 */
	INTERCEPT_VMRUN = 128,
	INTERCEPT_VMMCALL,
	INTERCEPT_VMLOAD,
	INTERCEPT_VMSAVE,
	INTERCEPT_STGI,
	INTERCEPT_CLGI,
	INTERCEPT_SKINIT,
	INTERCEPT_RDTSCP,
	INTERCEPT_ICEBP,
	INTERCEPT_WBINVD,
	INTERCEPT_MONITOR,
	INTERCEPT_MWAIT,
	INTERCEPT_MWAIT_COND,
	INTERCEPT_XSETBV,
	INTERCEPT_RDPRU,
	INTERCEPT_EFER_WRITE_TRAP,
	INTERCEPT_CR0_WRITE_TRAP,
	/* byte 0x14 */
	INTERCEPT_INVLPGB = 160,
	INTERCEPT_INVLPGB_ILLEGAL,
	INTERCEPT_INVPCID,
	INTERCEPT_MCOMMIT,
	INTERCEPT_TLBSYNC,
	SVM_INTERCEPT_WORDS = 6,
};

/*
 * Exit codes, EXITCODE at offset 070h (APM vol. 2, appendix C "SVM
 * Intercept Exit Codes"): every one svmhv intercepts or meets.
 */
#define SVM_EXIT_READ_CR0	0x000
#define SVM_EXIT_READ_CR3	0x003
#define SVM_EXIT_READ_CR4	0x004
#define SVM_EXIT_WRITE_CR0	0x010
#define SVM_EXIT_WRITE_CR3	0x013
#define SVM_EXIT_WRITE_CR4	0x014
#define SVM_EXIT_WRITE_CR8	0x018
#define SVM_EXIT_READ_DR0	0x020
#define SVM_EXIT_WRITE_DR0	0x030
#define SVM_EXIT_EXCP_BASE	0x040
#define SVM_EXIT_EXCP_DB	(SVM_EXIT_EXCP_BASE + 1)
#define SVM_EXIT_EXCP_PF	(SVM_EXIT_EXCP_BASE + 14)
#define SVM_EXIT_EXCP_AC	(SVM_EXIT_EXCP_BASE + 17)
#define SVM_EXIT_EXCP_MC	(SVM_EXIT_EXCP_BASE + 18)
#define SVM_EXIT_INTR		0x060
#define SVM_EXIT_NMI		0x061
#define SVM_EXIT_SMI		0x062
#define SVM_EXIT_INIT		0x063
#define SVM_EXIT_VINTR		0x064
#define SVM_EXIT_RDPMC		0x06f
#define SVM_EXIT_CPUID		0x072
#define SVM_EXIT_IRET		0x074
#define SVM_EXIT_INVD		0x076
#define SVM_EXIT_HLT		0x078
#define SVM_EXIT_INVLPG		0x079
#define SVM_EXIT_INVLPGA	0x07a
#define SVM_EXIT_IOIO		0x07b
#define SVM_EXIT_MSR		0x07c
#define SVM_EXIT_TASK_SWITCH	0x07d
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
/* #NPF's EXITINFO1: the fault came from the guest's own page walk. */
#define SVM_NPF_GUEST_WALK	BIT_ULL(33)
#define SVM_EXIT_INVALID	((u64)-1)

/* The DR intercept vector: reads (bits 0-7) and writes (16-23) of DR0-7. */
#define SVM_DR_INTERCEPTS	0x00ff00ffU

/* TLB_CONTROL, offset 05Ch */
#define SVM_TLB_CONTROL_DO_NOTHING	0
#define SVM_TLB_CONTROL_FLUSH_ALL	1
#define SVM_TLB_CONTROL_FLUSH_ASID	3
#define SVM_TLB_CONTROL_FLUSH_ASID_LOCAL 7

/* Virtual interrupt control, offset 060h */
#define SVM_V_TPR_MASK			GENMASK(7, 0)
#define SVM_V_IRQ			BIT(8)
#define SVM_V_GIF			BIT(9)
#define SVM_V_INTR_PRIO_MASK		GENMASK(19, 16)
#define SVM_V_IGN_TPR			BIT(20)
#define SVM_V_INTR_MASKING		BIT(24)
#define SVM_V_GIF_ENABLE		BIT(25)

/* Interrupt state, offset 068h */
#define SVM_INTERRUPT_SHADOW		BIT(0)

/* Nested control, offset 090h */
#define SVM_NESTED_CTL_NP_ENABLE	BIT(0)

/* EVENTINJ (offset 0A8h) and EXITINTINFO (offset 088h) share a format. */
#define SVM_EVTINJ_VECTOR_MASK		GENMASK(7, 0)
#define SVM_EVTINJ_TYPE_MASK		GENMASK(10, 8)
#define SVM_EVTINJ_TYPE_INTR		(0 << 8)
#define SVM_EVTINJ_TYPE_NMI		(2 << 8)
#define SVM_EVTINJ_TYPE_EXCEPTION	(3 << 8)
#define SVM_EVTINJ_TYPE_SOFT_INT	(4 << 8)
#define SVM_EVTINJ_ERROR_VALID		BIT(11)
#define SVM_EVTINJ_VALID		BIT(31)

/*
 * VMCB clean bits, offset 0C0h: a set bit tells the CPU it may keep its
 * cached copy of that group of fields.
 */
enum svm_clean_bit {
	SVM_CLEAN_INTERCEPTS = 0,	/* intercept vectors, TSC offset, pause filter */
	SVM_CLEAN_IOPM,			/* IOPM_BASE, MSRPM_BASE */
	SVM_CLEAN_ASID,
	SVM_CLEAN_TPR,			/* V_TPR .. V_INTR_VECTOR */
	SVM_CLEAN_NP,			/* nested paging: NCR3, G_PAT */
	SVM_CLEAN_CRX,			/* CR0, CR3, CR4, EFER */
	SVM_CLEAN_DRX,			/* DR6, DR7 */
	SVM_CLEAN_DT,			/* GDT, IDT */
	SVM_CLEAN_SEG,			/* CS, DS, SS, ES, CPL */
	SVM_CLEAN_CR2,
	SVM_CLEAN_LBR,			/* DbgCtlMsr, br_from/to, lastint */
	SVM_CLEAN_AVIC,
	SVM_CLEAN_NR_BITS,
};

struct vmcb_control_area {
	u32 intercepts[SVM_INTERCEPT_WORDS];	/* 000h */
	u8 reserved_0x018[0x03c - 0x018];
	u16 pause_filter_thresh;		/* 03Ch */
	u16 pause_filter_count;			/* 03Eh */
	u64 iopm_base_pa;			/* 040h */
	u64 msrpm_base_pa;			/* 048h */
	u64 tsc_offset;				/* 050h */
	u32 asid;				/* 058h */
	u8 tlb_control;				/* 05Ch */
	u8 reserved_0x05d[3];
	u32 int_ctl;				/* 060h */
	u32 int_vector;				/* 064h */
	u32 int_state;				/* 068h */
	u8 reserved_0x06c[4];
	u64 exit_code;				/* 070h */
	u64 exit_info_1;			/* 078h */
	u64 exit_info_2;			/* 080h */
	u32 exit_int_info;			/* 088h */
	u32 exit_int_info_err;			/* 08Ch */
	u64 nested_ctl;				/* 090h */
	u64 avic_apic_bar;			/* 098h */
	u64 ghcb_gpa;				/* 0A0h */
	u32 event_inj;				/* 0A8h */
	u32 event_inj_err;			/* 0ACh */
	u64 nested_cr3;				/* 0B0h */
	u64 virt_ext;				/* 0B8h */
	u32 clean;				/* 0C0h */
	u8 reserved_0x0c4[4];
	u64 next_rip;				/* 0C8h */
	u8 insn_len;				/* 0D0h */
	u8 insn_bytes[15];			/* 0D1h */
	u64 avic_backing_page;			/* 0E0h */
	u8 reserved_0x0e8[8];
	u64 avic_logical_id;			/* 0F0h */
	u64 avic_physical_id;			/* 0F8h */
	u8 reserved_0x100[8];
	u64 vmsa_pa;				/* 108h */
	u8 reserved_0x110[0x3e0 - 0x110];
	u8 reserved_sw[0x400 - 0x3e0];		/* 3E0h: for software use */
} __packed;

/* A segment register as the save area holds it (APM vol. 2, 15.5.1). */
struct vmcb_seg {
	u16 selector;
	u16 attrib;
	u32 limit;
	u64 base;
} __packed;

struct vmcb_save_area {
	struct vmcb_seg es;			/* 000h */
	struct vmcb_seg cs;			/* 010h */
	struct vmcb_seg ss;			/* 020h */
	struct vmcb_seg ds;			/* 030h */
	struct vmcb_seg fs;			/* 040h */
	struct vmcb_seg gs;			/* 050h */
	struct vmcb_seg gdtr;			/* 060h */
	struct vmcb_seg ldtr;			/* 070h */
	struct vmcb_seg idtr;			/* 080h */
	struct vmcb_seg tr;			/* 090h */
	u8 reserved_0x0a0[0x0cb - 0x0a0];
	u8 cpl;					/* 0CBh */
	u8 reserved_0x0cc[4];
	u64 efer;				/* 0D0h */
	u8 reserved_0x0d8[0x148 - 0x0d8];
	u64 cr4;				/* 148h */
	u64 cr3;				/* 150h */
	u64 cr0;				/* 158h */
	u64 dr7;				/* 160h */
	u64 dr6;				/* 168h */
	u64 rflags;				/* 170h */
	u64 rip;				/* 178h */
	u8 reserved_0x180[0x1d8 - 0x180];
	u64 rsp;				/* 1D8h */
	u64 s_cet;				/* 1E0h */
	u64 ssp;				/* 1E8h */
	u64 isst_addr;				/* 1F0h */
	u64 rax;				/* 1F8h */
	u64 star;				/* 200h */
	u64 lstar;				/* 208h */
	u64 cstar;				/* 210h */
	u64 sfmask;				/* 218h */
	u64 kernel_gs_base;			/* 220h */
	u64 sysenter_cs;			/* 228h */
	u64 sysenter_esp;			/* 230h */
	u64 sysenter_eip;			/* 238h */
	u64 cr2;				/* 240h */
	u8 reserved_0x248[0x268 - 0x248];
	u64 g_pat;				/* 268h */
	u64 dbgctl;				/* 270h */
	u64 br_from;				/* 278h */
	u64 br_to;				/* 280h */
	u64 last_excp_from;			/* 288h */
	u64 last_excp_to;			/* 290h */
	u8 reserved_0x298[0x2e0 - 0x298];
	u64 spec_ctrl;				/* 2E0h */
} __packed;

#define VMCB_CONTROL_SIZE	0x400
#define VMCB_SAVE_SIZE		0x2e8
#define VMCB_SIZE		4096

/* One 4K page, 4K-aligned (APM vol. 2, 15.5 "VMRUN Instruction"). */
struct vmcb {
	struct vmcb_control_area control;	/* 000h */
	struct vmcb_save_area save;		/* 400h */
	u8 reserved_tail[VMCB_SIZE - VMCB_CONTROL_SIZE - VMCB_SAVE_SIZE];
} __packed;

static_assert(sizeof(struct vmcb_seg) == 16);
static_assert(sizeof(struct vmcb_control_area) == VMCB_CONTROL_SIZE);
static_assert(sizeof(struct vmcb_save_area) == VMCB_SAVE_SIZE);
static_assert(sizeof(struct vmcb) == VMCB_SIZE);
static_assert(offsetof(struct vmcb, save) == 0x400);
static_assert(offsetof(struct vmcb_control_area, pause_filter_thresh) == 0x03c);
static_assert(offsetof(struct vmcb_control_area, exit_code) == 0x070);
static_assert(offsetof(struct vmcb_control_area, clean) == 0x0c0);
static_assert(offsetof(struct vmcb_control_area, vmsa_pa) == 0x108);
static_assert(offsetof(struct vmcb_save_area, cpl) == 0x0cb);
static_assert(offsetof(struct vmcb_save_area, cr4) == 0x148);
static_assert(offsetof(struct vmcb_save_area, rsp) == 0x1d8);
static_assert(offsetof(struct vmcb_save_area, g_pat) == 0x268);
static_assert(offsetof(struct vmcb_save_area, spec_ctrl) == 0x2e0);
static_assert(SVM_CLEAN_NR_BITS == 12);
static_assert(INTERCEPT_SHUTDOWN == 127 && INTERCEPT_CR0_WRITE_TRAP == 144);

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

#endif /* SVMHV_SVM_VMCB_H */
