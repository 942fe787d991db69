// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: decoding of the CPUID leaves and VM_CR bits that decide whether
 * svmhv can own SVM on a CPU, on fabricated register values.
 */
#include <kunit/test.h>

#include "features.h"

/* Split a 12-byte vendor string into CPUID 0's EBX, EDX, ECX. */
static void vendor_regs(const char *s, u32 *ebx, u32 *edx, u32 *ecx)
{
	memcpy(ebx, s, 4);
	memcpy(edx, s + 4, 4);
	memcpy(ecx, s + 8, 4);
}

static bool vendor_ok(const char *s)
{
	u32 ebx, edx, ecx;

	vendor_regs(s, &ebx, &edx, &ecx);
	return svm_vendor_ok(ebx, edx, ecx);
}

static void test_vendor(struct kunit *test)
{
	u32 ebx, edx, ecx;

	KUNIT_EXPECT_TRUE(test, vendor_ok("AuthenticAMD"));
	KUNIT_EXPECT_TRUE(test, vendor_ok("HygonGenuine"));
	KUNIT_EXPECT_FALSE(test, vendor_ok("GenuineIntel"));
	KUNIT_EXPECT_FALSE(test, vendor_ok("AuthenticAMX"));
	KUNIT_EXPECT_FALSE(test, vendor_ok("            "));

	/* The register order is EBX, EDX, ECX: swapping two must fail. */
	vendor_regs("AuthenticAMD", &ebx, &edx, &ecx);
	KUNIT_EXPECT_FALSE(test, svm_vendor_ok(ebx, ecx, edx));
	/* The real AMD values, as a CPU returns them. */
	KUNIT_EXPECT_TRUE(test, svm_vendor_ok(0x68747541, 0x69746e65,
					      0x444d4163));
}

static void test_svm_bit(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, svm_cpuid_has_svm(BIT(2)));
	KUNIT_EXPECT_TRUE(test, svm_cpuid_has_svm(0xffffffff));
	KUNIT_EXPECT_FALSE(test, svm_cpuid_has_svm(0));
	KUNIT_EXPECT_FALSE(test, svm_cpuid_has_svm((u32)~BIT(2)));
}

static void test_vm_cr(struct kunit *test)
{
	KUNIT_EXPECT_FALSE(test, svm_vm_cr_disabled(0));
	KUNIT_EXPECT_TRUE(test, svm_vm_cr_disabled(BIT_ULL(4)));
	KUNIT_EXPECT_TRUE(test, svm_vm_cr_disabled(BIT_ULL(4) | BIT_ULL(3)));
	/* LOCK alone (firmware locked SVM on) is not disabled. */
	KUNIT_EXPECT_FALSE(test, svm_vm_cr_disabled(BIT_ULL(3)));
	KUNIT_EXPECT_FALSE(test, svm_vm_cr_disabled(~BIT_ULL(4)));
}

static void test_decode_features(struct kunit *test)
{
	struct svm_features f;

	/* NPT only, as QEMU's TCG EPYC model reports: revision 1, 16 ASIDs. */
	svm_decode_features(1, 16, BIT(0), &f);
	KUNIT_EXPECT_EQ(test, f.revision, 1);
	KUNIT_EXPECT_EQ(test, f.nr_asids, 16);
	KUNIT_EXPECT_TRUE(test, f.npt);
	KUNIT_EXPECT_FALSE(test, f.nrips);
	KUNIT_EXPECT_FALSE(test, f.decode_assists);
	KUNIT_EXPECT_FALSE(test, f.flush_by_asid);
	KUNIT_EXPECT_FALSE(test, f.vmcb_clean);

	/* Each bit where the APM puts it; revision is EAX[7:0] only. */
	svm_decode_features(0x1ff, 32768,
			    BIT(3) | BIT(5) | BIT(6) | BIT(7) | BIT(10), &f);
	KUNIT_EXPECT_EQ(test, f.revision, 0xff);
	KUNIT_EXPECT_EQ(test, f.nr_asids, 32768);
	KUNIT_EXPECT_FALSE(test, f.npt);
	KUNIT_EXPECT_TRUE(test, f.nrips);
	KUNIT_EXPECT_TRUE(test, f.vmcb_clean);
	KUNIT_EXPECT_TRUE(test, f.flush_by_asid);
	KUNIT_EXPECT_TRUE(test, f.decode_assists);
	KUNIT_EXPECT_TRUE(test, f.pause_filter);

	/* Bits that are not ours to decode change nothing. */
	svm_decode_features(1, 1, BIT(1) | BIT(2) | BIT(4), &f);
	KUNIT_EXPECT_FALSE(test, f.npt || f.nrips || f.vmcb_clean ||
			   f.flush_by_asid || f.decode_assists);
}

static void test_intersect(struct kunit *test)
{
	struct svm_features acc, f;

	svm_decode_features(1, 32768, BIT(0) | BIT(3) | BIT(5), &acc);
	svm_decode_features(1, 16, BIT(0) | BIT(6), &f);
	svm_features_intersect(&acc, &f);
	KUNIT_EXPECT_EQ(test, acc.nr_asids, 16);
	KUNIT_EXPECT_TRUE(test, acc.npt);
	KUNIT_EXPECT_FALSE(test, acc.nrips);
	KUNIT_EXPECT_FALSE(test, acc.vmcb_clean);
	KUNIT_EXPECT_FALSE(test, acc.flush_by_asid);
}

/*
 * OSVW, as KVM gives it: errata 400 and 415 fixed, length 3 at least,
 * erratum 298 present on a family 10h host that says nothing; across
 * CPUs, the shortest length and every erratum any CPU has.
 */
static void test_osvw(struct kunit *test)
{
	struct svm_features a = { .osvw_len = 5, .osvw_status = 0x1f };
	struct svm_features b = { .osvw_len = 4, .osvw_status = 0x20 };
	u64 len, status;

	svm_osvw_guest(&a, 0x17, &len, &status);
	KUNIT_EXPECT_EQ(test, len, 5);
	KUNIT_EXPECT_EQ(test, status, 0x19);
	svm_features_intersect(&a, &b);
	KUNIT_EXPECT_EQ(test, a.osvw_len, 4);
	KUNIT_EXPECT_EQ(test, a.osvw_status, 0x3f);
	b.osvw_len = 1;
	b.osvw_status = 1;
	svm_osvw_guest(&b, 0x10, &len, &status);
	KUNIT_EXPECT_EQ(test, len, 3);
	KUNIT_EXPECT_EQ(test, status, 1);
	b.osvw_len = 0;
	b.osvw_status = 0;
	svm_osvw_guest(&b, 0x17, &len, &status);
	KUNIT_EXPECT_EQ(test, len, 3);
	KUNIT_EXPECT_EQ(test, status, 0);
	svm_osvw_guest(&b, 0x10, &len, &status);
	KUNIT_EXPECT_EQ(test, status, 1);
}

static struct kunit_case svm_features_cases[] = {
	KUNIT_CASE(test_vendor),
	KUNIT_CASE(test_osvw),
	KUNIT_CASE(test_svm_bit),
	KUNIT_CASE(test_vm_cr),
	KUNIT_CASE(test_decode_features),
	KUNIT_CASE(test_intersect),
	{}
};

static struct kunit_suite svm_features_suite = {
	.name = "svmhv_svm_features",
	.test_cases = svm_features_cases,
};

kunit_test_suites(&svm_features_suite);
