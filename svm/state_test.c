// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the KVM_SET_SREGS checks and the VMRUN consistency checks, each
 * rule with a state that passes it and one that breaks it.
 */
#include <kunit/test.h>

#include "state.h"

/* Flat 64-bit long mode, as svmhv-run sets it up. */
static struct kvm_sregs long_sregs(void)
{
	return (struct kvm_sregs){
		.cr0 = X86_CR0_PG | X86_CR0_PE | X86_CR0_ET,
		.cr4 = X86_CR4_PAE, .cr3 = 0x2000,
		.efer = EFER_LME | EFER_LMA,
		.cs = { .l = 1, .present = 1, .s = 1, .type = 0xb },
	};
}

static void test_sregs(struct kunit *test)
{
	struct kvm_sregs sr = long_sregs();

	KUNIT_EXPECT_TRUE(test, svm_sregs_valid(&sr));
	sr.cr4 = 0;				/* long mode without PAE */
	KUNIT_EXPECT_FALSE(test, svm_sregs_valid(&sr));
	sr = long_sregs();
	sr.efer = EFER_LME;			/* LMA must follow LME+PG */
	KUNIT_EXPECT_FALSE(test, svm_sregs_valid(&sr));
	sr = long_sregs();
	sr.cr0 &= ~X86_CR0_PG;			/* LMA without paging */
	KUNIT_EXPECT_FALSE(test, svm_sregs_valid(&sr));
	sr.efer = EFER_LME;			/* LME alone is fine */
	KUNIT_EXPECT_TRUE(test, svm_sregs_valid(&sr));
	sr = long_sregs();
	sr.cr0 = X86_CR0_PG;			/* paging without protection */
	KUNIT_EXPECT_FALSE(test, svm_sregs_valid(&sr));
	sr = long_sregs();
	sr.cr0 |= X86_CR0_NW;			/* NW without CD */
	KUNIT_EXPECT_FALSE(test, svm_sregs_valid(&sr));
	sr.cr0 |= X86_CR0_CD;
	KUNIT_EXPECT_TRUE(test, svm_sregs_valid(&sr));
	sr = long_sregs();
	sr.cr0 |= BIT_ULL(32);			/* CR0 bits 63:32 */
	KUNIT_EXPECT_FALSE(test, svm_sregs_valid(&sr));
	sr = long_sregs();
	sr.efer |= EFER_SVME;			/* no nested SVM */
	KUNIT_EXPECT_FALSE(test, svm_sregs_valid(&sr));
	/* Real mode at reset. */
	sr = (struct kvm_sregs){ .cr0 = X86_CR0_ET | X86_CR0_CD | X86_CR0_NW };
	KUNIT_EXPECT_TRUE(test, svm_sregs_valid(&sr));
}

/* The paging and EFER combinations, each just inside or just outside. */
static void test_sregs_modes(struct kunit *test)
{
	struct kvm_sregs sr = long_sregs();

	/* Legacy paging: no LME, no LMA, PAE or not. */
	sr.efer = 0;
	KUNIT_EXPECT_TRUE(test, svm_sregs_valid(&sr));
	sr.cr4 = 0;
	KUNIT_EXPECT_TRUE(test, svm_sregs_valid(&sr));
	sr.efer = EFER_LMA;			/* LMA without LME */
	KUNIT_EXPECT_FALSE(test, svm_sregs_valid(&sr));
	sr.cr4 = X86_CR4_PAE;
	KUNIT_EXPECT_FALSE(test, svm_sregs_valid(&sr));
	/* Protection without paging, with LME set for later. */
	sr = long_sregs();
	sr.cr0 = X86_CR0_PE;
	sr.efer = EFER_LME;
	KUNIT_EXPECT_TRUE(test, svm_sregs_valid(&sr));
	/* CD with NW is fine; a bit above 31 never is. */
	sr = long_sregs();
	sr.cr0 |= X86_CR0_CD | X86_CR0_NW;
	KUNIT_EXPECT_TRUE(test, svm_sregs_valid(&sr));
	sr.cr0 |= BIT_ULL(63);
	KUNIT_EXPECT_FALSE(test, svm_sregs_valid(&sr));
	/* Other EFER bits are not SET_SREGS's business. */
	sr = long_sregs();
	sr.efer |= EFER_NX | EFER_SCE;
	KUNIT_EXPECT_TRUE(test, svm_sregs_valid(&sr));
}

/* A pending interrupt, and CR3 bits above 51 in long mode. */
static void test_sregs_bitmap_cr3(struct kunit *test)
{
	struct kvm_sregs sr = long_sregs();
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sr.interrupt_bitmap); i++) {
		sr = long_sregs();
		sr.interrupt_bitmap[i] = BIT_ULL(63 - i);
		KUNIT_EXPECT_FALSE(test, svm_sregs_valid(&sr));
	}
	sr = long_sregs();
	sr.cr3 = BIT_ULL(52);
	KUNIT_EXPECT_FALSE(test, svm_sregs_valid(&sr));
	sr.cr3 = BIT_ULL(63);
	KUNIT_EXPECT_FALSE(test, svm_sregs_valid(&sr));
	sr.cr3 = BIT_ULL(52) - 0x1000;
	KUNIT_EXPECT_TRUE(test, svm_sregs_valid(&sr));
	/* Outside long mode the upper half is not looked at here. */
	sr.efer = 0;
	sr.cr3 = BIT_ULL(52);
	KUNIT_EXPECT_TRUE(test, svm_sregs_valid(&sr));
}

/* CR4: per MMU, per missing host feature, and reserved bits. */
static void test_cr4(struct kunit *test)
{
	const u64 common = X86_CR4_PAE | X86_CR4_PGE | X86_CR4_PSE |
			   X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT;
	const u64 npt_only[] = { X86_CR4_PCIDE, X86_CR4_SMEP, X86_CR4_SMAP };
	const u64 never[] = { X86_CR4_OSXSAVE, X86_CR4_PKE, X86_CR4_LA57,
			      X86_CR4_VMXE, X86_CR4_SMXE, BIT_ULL(15),
			      BIT_ULL(32), BIT_ULL(63) };
	unsigned int i;

	KUNIT_EXPECT_TRUE(test, svm_cr4_allowed(0, true, 0));
	KUNIT_EXPECT_TRUE(test, svm_cr4_allowed(common, true, 0));
	KUNIT_EXPECT_TRUE(test, svm_cr4_allowed(common, false, 0));
	for (i = 0; i < ARRAY_SIZE(npt_only); i++) {
		KUNIT_EXPECT_TRUE(test,
				  svm_cr4_allowed(common | npt_only[i], false, 0));
		KUNIT_EXPECT_FALSE(test,
				   svm_cr4_allowed(common | npt_only[i], true, 0));
		/* A bit the CPU lacks goes under either MMU. */
		KUNIT_EXPECT_FALSE(test, svm_cr4_allowed(common | npt_only[i],
							 false, npt_only[i]));
		/* ...and only that bit. */
		KUNIT_EXPECT_TRUE(test, svm_cr4_allowed(common, false,
							npt_only[i]));
	}
	KUNIT_EXPECT_TRUE(test, svm_cr4_allowed(X86_CR4_UMIP, true, 0));
	KUNIT_EXPECT_FALSE(test, svm_cr4_allowed(X86_CR4_UMIP, true,
						 X86_CR4_UMIP));
	for (i = 0; i < ARRAY_SIZE(never); i++) {
		KUNIT_EXPECT_FALSE(test, svm_cr4_allowed(never[i], false, 0));
		KUNIT_EXPECT_FALSE(test, svm_cr4_allowed(never[i], true, 0));
	}
}

static struct vmcb_save_area long_save(void)
{
	return (struct vmcb_save_area){
		.cr0 = X86_CR0_PG | X86_CR0_PE, .cr4 = X86_CR4_PAE,
		.cr3 = 0x2000, .efer = EFER_LME | EFER_LMA | EFER_SVME,
		.cs = { .attrib = 0x29b },	/* L, P, S, code */
		.dr6 = 0xffff0ff0, .dr7 = 0x400,
	};
}

static void test_vmrun_checks(struct kunit *test)
{
	struct vmcb_save_area s = long_save();

	KUNIT_EXPECT_TRUE(test, svm_guest_state_valid(&s));
	s.efer &= ~EFER_SVME;
	KUNIT_EXPECT_FALSE(test, svm_guest_state_valid(&s));
	s = long_save();
	s.efer |= BIT_ULL(20);			/* reserved EFER bit */
	KUNIT_EXPECT_FALSE(test, svm_guest_state_valid(&s));
	s = long_save();
	s.cs.attrib |= BIT(10);			/* CS.L and CS.D */
	KUNIT_EXPECT_FALSE(test, svm_guest_state_valid(&s));
	s = long_save();
	s.cr4 = 0;
	KUNIT_EXPECT_FALSE(test, svm_guest_state_valid(&s));
	s = long_save();
	s.cr3 = BIT_ULL(52);
	KUNIT_EXPECT_FALSE(test, svm_guest_state_valid(&s));
	s = long_save();
	s.dr7 = BIT_ULL(32);
	KUNIT_EXPECT_FALSE(test, svm_guest_state_valid(&s));
	s = long_save();
	s.cr0 |= X86_CR0_NW;
	KUNIT_EXPECT_FALSE(test, svm_guest_state_valid(&s));
	s = long_save();
	s.cr0 |= BIT_ULL(32);
	KUNIT_EXPECT_FALSE(test, svm_guest_state_valid(&s));
	s = long_save();
	s.cr4 |= BIT_ULL(32);
	KUNIT_EXPECT_FALSE(test, svm_guest_state_valid(&s));
	s = long_save();
	s.dr6 |= BIT_ULL(32);
	KUNIT_EXPECT_FALSE(test, svm_guest_state_valid(&s));
	s = long_save();
	s.dr7 = 0xffffffff;			/* bit 31 is still fine */
	KUNIT_EXPECT_TRUE(test, svm_guest_state_valid(&s));
	s = long_save();
	s.cr0 &= ~X86_CR0_PE;			/* long paging without PE */
	KUNIT_EXPECT_FALSE(test, svm_guest_state_valid(&s));
	s = long_save();
	s.cr3 = BIT_ULL(52) - 0x1000;		/* bits 51:12 are an address */
	KUNIT_EXPECT_TRUE(test, svm_guest_state_valid(&s));
	s = long_save();
	s.cr0 |= X86_CR0_NW | X86_CR0_CD;
	KUNIT_EXPECT_TRUE(test, svm_guest_state_valid(&s));
	/* The EFER bits VMRUN takes besides the guest's own. */
	s = long_save();
	s.efer |= EFER_SCE | EFER_NX | EFER_FFXSR | BIT_ULL(13) | BIT_ULL(15);
	KUNIT_EXPECT_TRUE(test, svm_guest_state_valid(&s));
	s.efer |= BIT_ULL(9);
	KUNIT_EXPECT_FALSE(test, svm_guest_state_valid(&s));
	s = long_save();
	s.efer |= BIT_ULL(1);
	KUNIT_EXPECT_FALSE(test, svm_guest_state_valid(&s));
	s = long_save();
	s.efer |= BIT_ULL(16);
	KUNIT_EXPECT_FALSE(test, svm_guest_state_valid(&s));
	/* LME without PG is not long mode: no PAE or CR3 rule yet. */
	s = long_save();
	s.cr0 = X86_CR0_PE;
	s.efer = EFER_LME | EFER_SVME;
	s.cr4 = 0;
	s.cr3 = BIT_ULL(52);
	s.cs.attrib |= BIT(10);
	KUNIT_EXPECT_TRUE(test, svm_guest_state_valid(&s));
	/* Outside long mode CS.D is the default size, and CR3 is 32-bit. */
	s = long_save();
	s.efer = EFER_SVME;
	s.cr4 = 0;
	s.cs.attrib = 0xc9b;			/* D, G, P, S, code */
	KUNIT_EXPECT_TRUE(test, svm_guest_state_valid(&s));
}

/* A #VMEXIT that brought back the host's registers, and ones that did not. */
static void test_save_is_host(struct kunit *test)
{
	const u64 resume = 0xffffffffa0004f56ULL, host_cr3 = 0x6301000;
	struct vmcb_save_area s = long_save();

	s.rip = resume;
	s.cr3 = host_cr3;
	KUNIT_EXPECT_TRUE(test, svm_save_is_host(&s, resume, host_cr3));
	/* The same tables under another PCID are still the host's. */
	s.cr3 = host_cr3 | 0x5;
	KUNIT_EXPECT_TRUE(test, svm_save_is_host(&s, resume, host_cr3 | 0x3));
	/* A guest at the same address on its own tables is a guest. */
	s.cr3 = host_cr3 + 0x1000;
	KUNIT_EXPECT_FALSE(test, svm_save_is_host(&s, resume, host_cr3));
	/* Or on the host's CR3 value but elsewhere. */
	s.cr3 = host_cr3;
	s.rip = resume + 3;
	KUNIT_EXPECT_FALSE(test, svm_save_is_host(&s, resume, host_cr3));
	s = long_save();
	KUNIT_EXPECT_FALSE(test, svm_save_is_host(&s, resume, host_cr3));
}

static struct kunit_case state_cases[] = {
	KUNIT_CASE(test_sregs),
	KUNIT_CASE(test_sregs_modes),
	KUNIT_CASE(test_sregs_bitmap_cr3),
	KUNIT_CASE(test_cr4),
	KUNIT_CASE(test_vmrun_checks),
	KUNIT_CASE(test_save_is_host),
	{}
};

static struct kunit_suite state_suite = {
	.name = "svmhv_state_checks",
	.test_cases = state_cases,
};

kunit_test_suites(&state_suite);
