// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: KVM's rules for the machine-check MSRs, HWCR and
 * KVM_X86_SETUP_MCE, each with a value just inside and one just outside.
 */
#include <kunit/test.h>

#include "mce.h"

/* A vCPU as KVM creates it, and one after KVM_X86_SETUP_MCE as QEMU's. */
#define CAP_NEW		32ULL
#define CAP_QEMU	(MCG_CTL_P | MCG_SER_P | 10)

static void test_setup_cap(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, svm_mce_cap_valid(CAP_QEMU));
	KUNIT_EXPECT_TRUE(test, svm_mce_cap_valid(32 | 0xff0000));
	KUNIT_EXPECT_FALSE(test, svm_mce_cap_valid(0));
	KUNIT_EXPECT_FALSE(test, svm_mce_cap_valid(33));
	KUNIT_EXPECT_FALSE(test, svm_mce_cap_valid(10 | MCG_CMCI_P));
	KUNIT_EXPECT_FALSE(test, svm_mce_cap_valid(10 | MCG_LMCE_P));
}

static void test_msr_range(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, svm_mce_is_msr(MSR_IA32_MCG_CAP));
	KUNIT_EXPECT_TRUE(test, svm_mce_is_msr(MSR_IA32_MC0_CTL));
	KUNIT_EXPECT_TRUE(test, svm_mce_is_msr(MSR_IA32_MCx_MISC(31)));
	KUNIT_EXPECT_FALSE(test, svm_mce_is_msr(MSR_IA32_MCx_MISC(31) + 1));
	KUNIT_EXPECT_TRUE(test, svm_mce_is_msr(MSR_IA32_MCx_CTL2(31)));
	KUNIT_EXPECT_FALSE(test, svm_mce_is_msr(MSR_IA32_MCx_CTL2(32)));
	KUNIT_EXPECT_FALSE(test, svm_mce_is_msr(MSR_IA32_MCG_EXT_CTL));
	KUNIT_EXPECT_EQ(test, 4 * 9 + 3,
			svm_mce_bank_reg(MSR_IA32_MCx_MISC(9), CAP_QEMU));
	KUNIT_EXPECT_EQ(test, -1,
			svm_mce_bank_reg(MSR_IA32_MCx_CTL(10), CAP_QEMU));
}

static void test_mcg_ctl(struct kunit *test)
{
	const u32 m = MSR_IA32_MCG_CTL;

	KUNIT_EXPECT_EQ(test, 0, svm_mce_write_valid(m, ~0ULL, false,
						     CAP_QEMU, 0));
	KUNIT_EXPECT_EQ(test, 0, svm_mce_write_valid(m, 0, false, CAP_QEMU, 0));
	KUNIT_EXPECT_EQ(test, -EINVAL, svm_mce_write_valid(m, 1, true,
							   CAP_QEMU, 0));
	/* Without MCG_CTL_P: the host's 0 only. */
	KUNIT_EXPECT_EQ(test, 0, svm_mce_write_valid(m, 0, true, CAP_NEW, 0));
	KUNIT_EXPECT_EQ(test, -EINVAL, svm_mce_write_valid(m, 0, false,
							   CAP_NEW, 0));
	KUNIT_EXPECT_EQ(test, -EINVAL, svm_mce_write_valid(m, ~0ULL, true,
							   CAP_NEW, 0));
	KUNIT_EXPECT_TRUE(test, svm_mce_read_valid(m, true, CAP_NEW));
	KUNIT_EXPECT_FALSE(test, svm_mce_read_valid(m, false, CAP_NEW));
	KUNIT_EXPECT_TRUE(test, svm_mce_read_valid(m, false, CAP_QEMU));
	/* MCG_CAP is KVM_X86_SETUP_MCE's; MCG_STATUS takes anything. */
	KUNIT_EXPECT_EQ(test, -ENOENT, svm_mce_write_valid(MSR_IA32_MCG_CAP,
							   CAP_NEW, true,
							   CAP_NEW, 0));
	KUNIT_EXPECT_EQ(test, 0, svm_mce_write_valid(MSR_IA32_MCG_STATUS,
						     ~0ULL, false, CAP_NEW, 0));
}

static void test_banks(struct kunit *test)
{
	const u32 ctl = MSR_IA32_MCx_CTL(4), st = MSR_IA32_MCx_STATUS(4);

	KUNIT_EXPECT_EQ(test, 0, svm_mce_write_valid(ctl, ~0ULL, false,
						     CAP_QEMU, 0));
	KUNIT_EXPECT_EQ(test, 0, svm_mce_write_valid(ctl, ~0ULL & ~BIT(10),
						     false, CAP_QEMU, 0));
	KUNIT_EXPECT_EQ(test, 0, svm_mce_write_valid(ctl, ~0ULL & ~1ULL,
						     false, CAP_QEMU, 0));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			svm_mce_write_valid(ctl, ~0ULL & ~BIT(2), false,
					    CAP_QEMU, 0));
	/* Nonzero MCi_STATUS: the host, or the guest with McStatusWrEn. */
	KUNIT_EXPECT_EQ(test, 0, svm_mce_write_valid(st, 5, true, CAP_QEMU, 0));
	KUNIT_EXPECT_EQ(test, 0, svm_mce_write_valid(st, 0, false,
						     CAP_QEMU, 0));
	KUNIT_EXPECT_EQ(test, -EINVAL, svm_mce_write_valid(st, 5, false,
							   CAP_QEMU, 0));
	KUNIT_EXPECT_EQ(test, 0,
			svm_mce_write_valid(st, 5, false, CAP_QEMU,
					    SVM_HWCR_MCSTATUSWREN));
	/* Beyond MCG_CAP's ten banks. */
	KUNIT_EXPECT_EQ(test, -EINVAL,
			svm_mce_write_valid(MSR_IA32_MCx_ADDR(10), 0, true,
					    CAP_QEMU, 0));
	KUNIT_EXPECT_FALSE(test, svm_mce_read_valid(MSR_IA32_MCx_ADDR(10),
						    true, CAP_QEMU));
	/* MCi_CTL2 without CMCI: the host's 0, in range. */
	KUNIT_EXPECT_EQ(test, 0, svm_mce_write_valid(MSR_IA32_MCx_CTL2(9), 0,
						     true, CAP_QEMU, 0));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			svm_mce_write_valid(MSR_IA32_MCx_CTL2(9), 1, true,
					    CAP_QEMU, 0));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			svm_mce_write_valid(MSR_IA32_MCx_CTL2(10), 0, true,
					    CAP_QEMU, 0));
	KUNIT_EXPECT_FALSE(test, svm_mce_read_valid(MSR_IA32_MCx_CTL2(0),
						    false, CAP_QEMU));
	KUNIT_EXPECT_TRUE(test, svm_mce_read_valid(MSR_IA32_MCx_CTL2(9),
						   true, CAP_QEMU));
	/* The banks' own registers, guest and host, in range. */
	KUNIT_EXPECT_TRUE(test, svm_mce_read_valid(ctl, false, CAP_QEMU));
	KUNIT_EXPECT_TRUE(test, svm_mce_read_valid(MSR_IA32_MCx_MISC(9), true,
						   CAP_QEMU));
}

static void test_hwcr(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, svm_hwcr_write_valid(0));
	KUNIT_EXPECT_TRUE(test, svm_hwcr_write_valid(SVM_HWCR_MCSTATUSWREN |
						     BIT(3) | BIT(6) | BIT(8)));
	KUNIT_EXPECT_FALSE(test, svm_hwcr_write_valid(BIT(0)));
	KUNIT_EXPECT_FALSE(test, svm_hwcr_write_valid(BIT(17)));
}

static struct kunit_case mce_cases[] = {
	KUNIT_CASE(test_setup_cap),
	KUNIT_CASE(test_msr_range),
	KUNIT_CASE(test_mcg_ctl),
	KUNIT_CASE(test_banks),
	KUNIT_CASE(test_hwcr),
	{}
};

static struct kunit_suite mce_suite = {
	.name = "svmhv_mce_checks",
	.test_cases = mce_cases,
};

kunit_test_suites(&mce_suite);
