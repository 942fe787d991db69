// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the KVM_SET_CPUID2 checks and the table lookup, each rule with
 * a table just inside it and one just outside.
 */
#include <kunit/test.h>

#include "cpuid.h"

#define SIG	KVM_CPUID_FLAG_SIGNIFCANT_INDEX

/* Leaf 8000_0008h with @va virtual and 48 physical address bits. */
static struct kvm_cpuid_entry2 addr_sizes(u32 va)
{
	return (struct kvm_cpuid_entry2){
		.function = 0x80000008, .eax = va << 8 | 48,
	};
}

static void test_find(struct kunit *test)
{
	const struct kvm_cpuid_entry2 t[] = {
		{ .function = 1, .eax = 0x10 },
		{ .function = 7, .index = 1, .flags = SIG, .eax = 0x71 },
		{ .function = 7, .index = 0, .flags = SIG, .eax = 0x70 },
		{ .function = 1, .eax = 0x11 },		/* a duplicate */
		{ .function = 0xb, .index = 5, .eax = 0xb5 },	/* no SIG */
	};
	u32 n = ARRAY_SIZE(t);

	KUNIT_EXPECT_PTR_EQ(test, &t[0], svm_cpuid_find(t, n, 1, 0));
	/* Without the flag the index does not matter; first one wins. */
	KUNIT_EXPECT_PTR_EQ(test, &t[0], svm_cpuid_find(t, n, 1, 3));
	KUNIT_EXPECT_PTR_EQ(test, &t[4], svm_cpuid_find(t, n, 0xb, 0));
	/* With it, the index picks the entry. */
	KUNIT_EXPECT_PTR_EQ(test, &t[2], svm_cpuid_find(t, n, 7, 0));
	KUNIT_EXPECT_PTR_EQ(test, &t[1], svm_cpuid_find(t, n, 7, 1));
	KUNIT_EXPECT_NULL(test, svm_cpuid_find(t, n, 7, 2));
	KUNIT_EXPECT_PTR_EQ(test, &t[1],
			    svm_cpuid_find(t, n, 7, SVM_CPUID_ANY_INDEX));
	KUNIT_EXPECT_NULL(test, svm_cpuid_find(t, n, 0x80000008, 0));
	/* Only @nent entries are searched. */
	KUNIT_EXPECT_NULL(test, svm_cpuid_find(t, 4, 0xb, 0));
	KUNIT_EXPECT_NULL(test, svm_cpuid_find(t, 0, 1, 0));
}

static void test_va_bits(struct kunit *test)
{
	struct kvm_cpuid_entry2 t[2] = { { .function = 1 } };
	static const u32 good[] = { 0, 48, 57 };
	static const u32 bad[] = { 1, 32, 47, 49, 56, 58, 64, 255 };
	unsigned int i;

	KUNIT_EXPECT_EQ(test, 0, svm_check_cpuid(t, 1));	/* no leaf */
	for (i = 0; i < ARRAY_SIZE(good); i++) {
		t[1] = addr_sizes(good[i]);
		KUNIT_EXPECT_EQ_MSG(test, 0, svm_check_cpuid(t, 2),
				    "va %u", good[i]);
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		t[1] = addr_sizes(bad[i]);
		KUNIT_EXPECT_EQ_MSG(test, -EINVAL, svm_check_cpuid(t, 2),
				    "va %u", bad[i]);
	}
	/* The physical width and the other registers are not checked. */
	t[1] = addr_sizes(48);
	t[1].eax = 48 << 8 | 0xff;
	t[1].ebx = ~0U;
	KUNIT_EXPECT_EQ(test, 0, svm_check_cpuid(t, 2));
	t[1].eax = 48 << 8;
	KUNIT_EXPECT_EQ(test, 0, svm_check_cpuid(t, 2));
	/* EAX[31:16] is not part of the width. */
	t[1].eax = 0xffff0000 | 57 << 8;
	KUNIT_EXPECT_EQ(test, 0, svm_check_cpuid(t, 2));
	/* Beyond @nent it is not read. */
	t[1] = addr_sizes(47);
	KUNIT_EXPECT_EQ(test, 0, svm_check_cpuid(t, 1));
}

/* The first 8000_0008h entry counts, whatever its index and flags. */
static void test_va_bits_first_entry(struct kunit *test)
{
	struct kvm_cpuid_entry2 t[2] = { addr_sizes(47), addr_sizes(48) };

	t[0].index = 3;
	t[0].flags = SIG;
	KUNIT_EXPECT_EQ(test, -EINVAL, svm_check_cpuid(t, 2));
	t[0] = addr_sizes(48);
	t[1] = addr_sizes(47);		/* a duplicate never read */
	KUNIT_EXPECT_EQ(test, 0, svm_check_cpuid(t, 2));
}

static void test_dynamic_xfeatures(struct kunit *test)
{
	struct kvm_cpuid_entry2 t[2] = {
		{ .function = 0xd, .index = 1, .flags = SIG, .eax = ~0U },
		{ .function = 0xd, .index = 0, .flags = SIG, .eax = 0x7 },
	};

	KUNIT_EXPECT_EQ(test, 0, svm_check_cpuid(t, 2));
	/* Every static feature, and all of EDX, is fine. */
	t[1].eax = (u32)~XFEATURE_MASK_USER_DYNAMIC;
	t[1].edx = ~0U;
	KUNIT_EXPECT_EQ(test, 0, svm_check_cpuid(t, 2));
	t[1].eax = 0x7 | XFEATURE_MASK_XTILE_DATA;
	t[1].edx = 0;
	KUNIT_EXPECT_EQ(test, -EPERM, svm_check_cpuid(t, 2));
	/* Subleaf 1 is not the feature mask (it has XSAVES bits). */
	KUNIT_EXPECT_EQ(test, 0, svm_check_cpuid(&t[0], 1));
	/* Without the flag an entry answers subleaf 0 too. */
	t[0].flags = 0;
	KUNIT_EXPECT_EQ(test, -EPERM, svm_check_cpuid(t, 1));
	/* Both rules: the address width is looked at first. */
	t[0] = addr_sizes(47);
	KUNIT_EXPECT_EQ(test, -EINVAL, svm_check_cpuid(t, 2));
}

/* Flags, padding and duplicates are KVM's to ignore, and so ours. */
static void test_not_refused(struct kunit *test)
{
	struct kvm_cpuid_entry2 t[3] = {
		{ .function = 1, .flags = ~0U & ~SIG,
		  .padding = { 1, 2, 3 } },
		{ .function = 1, .eax = 5 },
		addr_sizes(57),
	};

	t[2].eax = 57 << 8 | 63;	/* MAXPHYADDR above any host's */
	KUNIT_EXPECT_EQ(test, 0, svm_check_cpuid(t, 3));
	t[2].eax = 48 << 8 | 20;	/* and below 32 */
	KUNIT_EXPECT_EQ(test, 0, svm_check_cpuid(t, 3));
	KUNIT_EXPECT_EQ(test, 0, svm_check_cpuid(NULL, 0));
}

static void test_same(struct kunit *test)
{
	const struct kvm_cpuid_entry2 a[2] = {
		{ .function = 7, .index = 0, .flags = SIG, .eax = 1, .ebx = 2,
		  .ecx = 3, .edx = 4 },
		addr_sizes(48),
	};
	struct kvm_cpuid_entry2 b[2];
	int field;

	memcpy(b, a, sizeof(b));
	KUNIT_EXPECT_TRUE(test, svm_cpuid_same(a, 2, b, 2));
	KUNIT_EXPECT_TRUE(test, svm_cpuid_same(NULL, 0, NULL, 0));
	KUNIT_EXPECT_FALSE(test, svm_cpuid_same(a, 2, b, 1));
	KUNIT_EXPECT_FALSE(test, svm_cpuid_same(a, 1, b, 2));
	b[0].padding[2] = 9;			/* not compared */
	KUNIT_EXPECT_TRUE(test, svm_cpuid_same(a, 2, b, 2));
	/* Each compared field, changed alone, makes them differ. */
	for (field = 0; field < 7; field++) {
		u32 *f[7] = { &b[1].function, &b[1].index, &b[1].flags,
			      &b[1].eax, &b[1].ebx, &b[1].ecx, &b[1].edx };

		memcpy(b, a, sizeof(b));
		*f[field] ^= 0x80;
		KUNIT_EXPECT_FALSE_MSG(test, svm_cpuid_same(a, 2, b, 2),
				       "field %d", field);
	}
	/* Same entries, other order. */
	b[0] = a[1];
	b[1] = a[0];
	KUNIT_EXPECT_FALSE(test, svm_cpuid_same(a, 2, b, 2));
}

/* Shadow paging's table loses PCID, SMEP, INVPCID and SMAP, nothing else. */
static void test_hide_for_shadow(struct kunit *test)
{
	struct kvm_cpuid_entry2 e[] = {
		{ .function = 1, .ecx = ~0U, .edx = ~0U },
		{ .function = 7, .index = 0, .ebx = ~0U, .ecx = ~0U,
		  .flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX },
		{ .function = 7, .index = 1, .ebx = ~0U,
		  .flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX },
		{ .function = 0x80000001, .ecx = ~0U },
	};

	svm_cpuid_hide_for_shadow(e, ARRAY_SIZE(e));
	KUNIT_EXPECT_EQ(test, e[0].ecx, (u32)~BIT(17));
	KUNIT_EXPECT_EQ(test, e[0].edx, ~0U);
	KUNIT_EXPECT_EQ(test, e[1].ebx, (u32)~(BIT(7) | BIT(10) | BIT(20)));
	KUNIT_EXPECT_EQ(test, e[1].ecx, ~0U);
	KUNIT_EXPECT_EQ(test, e[2].ebx, ~0U);
	KUNIT_EXPECT_EQ(test, e[3].ecx, ~0U);
}

/* CPUID 1.EDX.APIC follows the APIC base's enable bit, nothing else. */
static void test_apic_bit(struct kunit *test)
{
	struct kvm_cpuid_entry2 e[] = {
		{ .function = 1, .edx = ~0U },
		{ .function = 1, .index = 1, .edx = 0 },
		{ .function = 0x80000001, .edx = 0 },
	};

	KUNIT_EXPECT_EQ(test, svm_cpuid_1_edx(0, 0xfee00900), BIT(9));
	KUNIT_EXPECT_EQ(test, svm_cpuid_1_edx(~0U, 0xfee00100),
			(u32)~BIT(9));
	KUNIT_EXPECT_EQ(test, svm_cpuid_1_edx(0x201, 0), 1);
	svm_cpuid_runtime(e, ARRAY_SIZE(e), 0xfee00800);
	KUNIT_EXPECT_EQ(test, e[0].edx, ~0U);
	KUNIT_EXPECT_EQ(test, e[1].edx, BIT(9));
	KUNIT_EXPECT_EQ(test, e[2].edx, 0);
	svm_cpuid_runtime(e, ARRAY_SIZE(e), 0);
	KUNIT_EXPECT_EQ(test, e[0].edx, (u32)~BIT(9));
	KUNIT_EXPECT_EQ(test, e[1].edx, 0);
}

static struct kunit_case cpuid_cases[] = {
	KUNIT_CASE(test_find),
	KUNIT_CASE(test_va_bits),
	KUNIT_CASE(test_va_bits_first_entry),
	KUNIT_CASE(test_dynamic_xfeatures),
	KUNIT_CASE(test_not_refused),
	KUNIT_CASE(test_same),
	KUNIT_CASE(test_hide_for_shadow),
	KUNIT_CASE(test_apic_bit),
	{}
};

static struct kunit_suite cpuid_suite = {
	.name = "svmhv_cpuid_checks",
	.test_cases = cpuid_cases,
};

kunit_test_suites(&cpuid_suite);
