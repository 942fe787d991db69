// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the VMCB layout against AMD64 APM vol. 2, appendix B, tables
 * B-1 (control area) and B-2 (state save area), field by field.
 */
#include <kunit/test.h>
#include <linux/stddef.h>

#include "vmcb.h"

struct vmcb_field {
	const char *name;
	size_t offset;
	size_t size;
	size_t apm_offset;
	size_t apm_size;
};

#define CTRL(f, off, sz) { #f, offsetof(struct vmcb, control.f),	\
			   sizeof_field(struct vmcb, control.f), off, sz }
#define SAVE(f, off, sz) { #f, offsetof(struct vmcb, save.f),		\
			   sizeof_field(struct vmcb, save.f), off, sz }

/* Offsets from the start of the VMCB page, as the APM tables give them. */
static const struct vmcb_field vmcb_fields[] = {
	CTRL(intercepts, 0x000, 24),
	CTRL(pause_filter_thresh, 0x03c, 2),
	CTRL(pause_filter_count, 0x03e, 2),
	CTRL(iopm_base_pa, 0x040, 8),
	CTRL(msrpm_base_pa, 0x048, 8),
	CTRL(tsc_offset, 0x050, 8),
	CTRL(asid, 0x058, 4),
	CTRL(tlb_control, 0x05c, 1),
	CTRL(int_ctl, 0x060, 4),
	CTRL(int_vector, 0x064, 4),
	CTRL(int_state, 0x068, 4),
	CTRL(exit_code, 0x070, 8),
	CTRL(exit_info_1, 0x078, 8),
	CTRL(exit_info_2, 0x080, 8),
	CTRL(exit_int_info, 0x088, 4),
	CTRL(exit_int_info_err, 0x08c, 4),
	CTRL(nested_ctl, 0x090, 8),
	CTRL(avic_apic_bar, 0x098, 8),
	CTRL(ghcb_gpa, 0x0a0, 8),
	CTRL(event_inj, 0x0a8, 4),
	CTRL(event_inj_err, 0x0ac, 4),
	CTRL(nested_cr3, 0x0b0, 8),
	CTRL(virt_ext, 0x0b8, 8),
	CTRL(clean, 0x0c0, 4),
	CTRL(next_rip, 0x0c8, 8),
	CTRL(insn_len, 0x0d0, 1),
	CTRL(insn_bytes, 0x0d1, 15),
	CTRL(avic_backing_page, 0x0e0, 8),
	CTRL(avic_logical_id, 0x0f0, 8),
	CTRL(avic_physical_id, 0x0f8, 8),
	CTRL(vmsa_pa, 0x108, 8),
	CTRL(reserved_sw, 0x3e0, 32),
	SAVE(es, 0x400, 16),
	SAVE(cs, 0x410, 16),
	SAVE(ss, 0x420, 16),
	SAVE(ds, 0x430, 16),
	SAVE(fs, 0x440, 16),
	SAVE(gs, 0x450, 16),
	SAVE(gdtr, 0x460, 16),
	SAVE(ldtr, 0x470, 16),
	SAVE(idtr, 0x480, 16),
	SAVE(tr, 0x490, 16),
	SAVE(cpl, 0x4cb, 1),
	SAVE(efer, 0x4d0, 8),
	SAVE(cr4, 0x548, 8),
	SAVE(cr3, 0x550, 8),
	SAVE(cr0, 0x558, 8),
	SAVE(dr7, 0x560, 8),
	SAVE(dr6, 0x568, 8),
	SAVE(rflags, 0x570, 8),
	SAVE(rip, 0x578, 8),
	SAVE(rsp, 0x5d8, 8),
	SAVE(s_cet, 0x5e0, 8),
	SAVE(ssp, 0x5e8, 8),
	SAVE(isst_addr, 0x5f0, 8),
	SAVE(rax, 0x5f8, 8),
	SAVE(star, 0x600, 8),
	SAVE(lstar, 0x608, 8),
	SAVE(cstar, 0x610, 8),
	SAVE(sfmask, 0x618, 8),
	SAVE(kernel_gs_base, 0x620, 8),
	SAVE(sysenter_cs, 0x628, 8),
	SAVE(sysenter_esp, 0x630, 8),
	SAVE(sysenter_eip, 0x638, 8),
	SAVE(cr2, 0x640, 8),
	SAVE(g_pat, 0x668, 8),
	SAVE(dbgctl, 0x670, 8),
	SAVE(br_from, 0x678, 8),
	SAVE(br_to, 0x680, 8),
	SAVE(last_excp_from, 0x688, 8),
	SAVE(last_excp_to, 0x690, 8),
	SAVE(spec_ctrl, 0x6e0, 8),
};

static void test_vmcb_field_offsets(struct kunit *test)
{
	const struct vmcb_field *f;

	for (f = vmcb_fields; f < vmcb_fields + ARRAY_SIZE(vmcb_fields); f++) {
		KUNIT_EXPECT_EQ_MSG(test, f->offset, f->apm_offset,
				    "offset of %s", f->name);
		KUNIT_EXPECT_EQ_MSG(test, f->size, f->apm_size,
				    "size of %s", f->name);
	}
}

static void test_vmcb_seg_layout(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, offsetof(struct vmcb_seg, selector), 0);
	KUNIT_EXPECT_EQ(test, offsetof(struct vmcb_seg, attrib), 2);
	KUNIT_EXPECT_EQ(test, offsetof(struct vmcb_seg, limit), 4);
	KUNIT_EXPECT_EQ(test, offsetof(struct vmcb_seg, base), 8);
}

static void test_vmcb_sizes(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, sizeof(struct vmcb_control_area), 0x400);
	KUNIT_EXPECT_EQ(test, sizeof(struct vmcb), 4096);
}

struct intercept_pos {
	const char *name;
	unsigned int bit;
	unsigned int apm_byte;	/* offset of its 32-bit vector */
	unsigned int apm_bit;	/* bit within that vector */
};

#define POS(i, byte, b) { #i, INTERCEPT_##i, byte, b }

static const struct intercept_pos intercept_positions[] = {
	POS(CR0_READ, 0x00, 0),
	POS(CR3_WRITE, 0x00, 19),
	POS(CR8_WRITE, 0x00, 24),
	POS(DR0_WRITE, 0x04, 16),
	POS(EXCEPTION_BASE, 0x08, 0),
	POS(INTR, 0x0c, 0),
	POS(NMI, 0x0c, 1),
	POS(VINTR, 0x0c, 4),
	POS(CR0_WRITE, 0x00, 16),
	POS(RDTSC, 0x0c, 14),
	POS(CPUID, 0x0c, 18),
	POS(IRET, 0x0c, 20),
	POS(HLT, 0x0c, 24),
	POS(INVLPG, 0x0c, 25),
	POS(INVLPGA, 0x0c, 26),
	POS(IOIO_PROT, 0x0c, 27),
	POS(MSR_PROT, 0x0c, 28),
	POS(TASK_SWITCH, 0x0c, 29),
	POS(SHUTDOWN, 0x0c, 31),
	POS(VMRUN, 0x10, 0),
	POS(VMMCALL, 0x10, 1),
	POS(VMLOAD, 0x10, 2),
	POS(VMSAVE, 0x10, 3),
	POS(STGI, 0x10, 4),
	POS(CLGI, 0x10, 5),
	POS(SKINIT, 0x10, 6),
	POS(RDTSCP, 0x10, 7),
	POS(WBINVD, 0x10, 9),
	POS(XSETBV, 0x10, 13),
	POS(INVLPGB, 0x14, 0),
	POS(INVPCID, 0x14, 2),
};

static void test_intercept_bit_positions(struct kunit *test)
{
	const struct intercept_pos *p = intercept_positions;

	for (; p < intercept_positions + ARRAY_SIZE(intercept_positions); p++) {
		KUNIT_EXPECT_EQ_MSG(test, p->bit / 32 * 4, p->apm_byte,
				    "vector of %s", p->name);
		KUNIT_EXPECT_EQ_MSG(test, p->bit % 32, p->apm_bit,
				    "bit of %s", p->name);
	}
}

static struct kunit_case vmcb_layout_cases[] = {
	KUNIT_CASE(test_vmcb_field_offsets),
	KUNIT_CASE(test_vmcb_seg_layout),
	KUNIT_CASE(test_vmcb_sizes),
	KUNIT_CASE(test_intercept_bit_positions),
	{}
};

static struct kunit_suite vmcb_layout_suite = {
	.name = "svmhv_vmcb_layout",
	.test_cases = vmcb_layout_cases,
};

kunit_test_suites(&vmcb_layout_suite);

MODULE_DESCRIPTION("KUnit tests for svmhv");
MODULE_LICENSE("GPL");
