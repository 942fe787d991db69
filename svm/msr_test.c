// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the MSR write checks, the MSR ioctls' list checks and the MSR
 * filter's checks and lookup, each rule with a value just inside it and
 * one just outside.
 */
#include <kunit/test.h>

#include "msr.h"
#include "msr_user.h"

/* A long-mode guest with paging on and a BSP's enabled APIC. */
static const struct svm_msr_state paged = {
	.efer = EFER_SCE | EFER_LME | EFER_LMA | EFER_NX,
	.cr0 = X86_CR0_PG | X86_CR0_PE,
	.cr4 = X86_CR4_PAE,
	.maxphyaddr = 48,
};

/* At reset: real mode, EFER 0. */
static const struct svm_msr_state reset = {
	.cr0 = X86_CR0_ET | X86_CR0_CD | X86_CR0_NW,
	.maxphyaddr = 48,
};

static int wr(u32 index, u64 val)
{
	return svm_check_msr_write(index, val, true, &paged);
}

static void test_any_value(struct kunit *test)
{
	static const u32 msrs[] = {
		MSR_STAR, MSR_SYSCALL_MASK, MSR_IA32_SYSENTER_CS,
		MSR_IA32_SYSENTER_ESP, MSR_IA32_SYSENTER_EIP, MSR_IA32_TSC,
		MSR_IA32_POWER_CTL,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(msrs); i++) {
		KUNIT_EXPECT_EQ_MSG(test, 0, wr(msrs[i], 0), "msr %#x", msrs[i]);
		KUNIT_EXPECT_EQ_MSG(test, 0, wr(msrs[i], ~0ULL),
				    "msr %#x", msrs[i]);
		KUNIT_EXPECT_EQ_MSG(test, 0, svm_check_msr_write(msrs[i],
				    BIT_ULL(47), false, &reset),
				    "msr %#x", msrs[i]);
	}
}

static void test_canonical(struct kunit *test)
{
	static const u32 msrs[] = {
		MSR_LSTAR, MSR_CSTAR, MSR_FS_BASE, MSR_GS_BASE,
		MSR_KERNEL_GS_BASE,
	};
	static const u64 good[] = {
		0, 0x00007fffffffffffULL, 0xffff800000000000ULL, ~0ULL,
	};
	static const u64 bad[] = {
		0x0000800000000000ULL, 0xffff7fffffffffffULL,
		0x0001000000000000ULL, 0x8000000000000000ULL,
		0x7fffffffffffffffULL,
	};
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(msrs); i++) {
		for (j = 0; j < ARRAY_SIZE(good); j++)
			KUNIT_EXPECT_EQ_MSG(test, 0, wr(msrs[i], good[j]),
					    "msr %#x val %#llx", msrs[i],
					    good[j]);
		for (j = 0; j < ARRAY_SIZE(bad); j++)
			KUNIT_EXPECT_EQ_MSG(test, -EINVAL, wr(msrs[i], bad[j]),
					    "msr %#x val %#llx", msrs[i],
					    bad[j]);
		/* From the guest too. */
		KUNIT_EXPECT_EQ(test, -EINVAL, svm_check_msr_write(msrs[i],
				BIT_ULL(47), false, &paged));
	}
}

static void test_efer_bits(struct kunit *test)
{
	static const u64 bad[] = {
		BIT_ULL(1), BIT_ULL(7), BIT_ULL(9), EFER_SVME, EFER_FFXSR,
		BIT_ULL(13), BIT_ULL(15), BIT_ULL(16), BIT_ULL(63),
	};
	unsigned int i;

	KUNIT_EXPECT_EQ(test, 0, wr(MSR_EFER, 0));
	KUNIT_EXPECT_EQ(test, 0, wr(MSR_EFER, EFER_GUEST_BITS));
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		KUNIT_EXPECT_EQ_MSG(test, -EINVAL,
				    wr(MSR_EFER, paged.efer | bad[i]),
				    "bit %#llx", bad[i]);
		KUNIT_EXPECT_EQ_MSG(test, -EINVAL,
				    svm_check_msr_write(MSR_EFER, bad[i],
							false, &reset),
				    "bit %#llx", bad[i]);
	}
}

/* LME may not change under paging: from the guest; userspace may. */
static void test_efer_lme(struct kunit *test)
{
	struct svm_msr_state s = paged;

	KUNIT_EXPECT_EQ(test, -EINVAL, svm_check_msr_write(MSR_EFER,
			paged.efer & ~EFER_LME, false, &s));
	KUNIT_EXPECT_EQ(test, 0, svm_check_msr_write(MSR_EFER,
			paged.efer & ~EFER_LME, true, &s));
	/* Other bits may change; LMA is the CPU's and not looked at. */
	KUNIT_EXPECT_EQ(test, 0, svm_check_msr_write(MSR_EFER,
			EFER_LME, false, &s));
	/* Setting LME under legacy paging is refused too. */
	s.efer = EFER_NX;
	KUNIT_EXPECT_EQ(test, -EINVAL, svm_check_msr_write(MSR_EFER,
			EFER_NX | EFER_LME, false, &s));
	/* Without paging it may change, in either direction. */
	s.cr0 = X86_CR0_PE;
	KUNIT_EXPECT_EQ(test, 0, svm_check_msr_write(MSR_EFER,
			EFER_NX | EFER_LME, false, &s));
	s.efer = EFER_LME;
	KUNIT_EXPECT_EQ(test, 0, svm_check_msr_write(MSR_EFER, 0, false,
						     &s));
	KUNIT_EXPECT_EQ(test, 0, svm_check_msr_write(MSR_EFER, EFER_LME |
						     EFER_SCE, false, &reset));
}

/* LMA is LME && CR0.PG from userspace, kept as it was from the guest. */
static void test_efer_lma_derived(struct kunit *test)
{
	struct svm_msr_state s = paged;

	/* Asked for with paging off: long mode is not active. */
	KUNIT_EXPECT_EQ(test, EFER_LME, svm_efer_value(EFER_LME | EFER_LMA,
						       true, &reset));
	KUNIT_EXPECT_EQ(test, 0ULL, svm_efer_value(EFER_LMA, true, &reset));
	/* LME under paging activates it; clearing LME leaves it. */
	KUNIT_EXPECT_EQ(test, EFER_LME | EFER_LMA,
			svm_efer_value(EFER_LME, true, &paged));
	KUNIT_EXPECT_EQ(test, EFER_NX, svm_efer_value(EFER_NX | EFER_LMA,
						      true, &paged));
	/* The guest's write keeps the LMA the vCPU has. */
	KUNIT_EXPECT_EQ(test, EFER_LME | EFER_LMA,
			svm_efer_value(EFER_LME, false, &paged));
	KUNIT_EXPECT_EQ(test, 0ULL, svm_efer_value(EFER_LMA, false, &reset));
	/* Long mode activated by userspace needs CR4.PAE. */
	s.cr4 = 0;
	s.efer = 0;
	KUNIT_EXPECT_EQ(test, -EINVAL, svm_check_msr_write(MSR_EFER,
			EFER_LME, true, &s));
	KUNIT_EXPECT_EQ(test, 0, svm_check_msr_write(MSR_EFER, EFER_NX, true,
						     &s));
	KUNIT_EXPECT_EQ(test, 0, svm_check_msr_write(MSR_EFER, EFER_LME, true,
						     &reset));
}

static void test_apic_base(struct kunit *test)
{
	u64 cur = 0xfee00000 | SVM_APIC_BASE_BSP | SVM_APIC_BASE_ENABLE;

	KUNIT_EXPECT_EQ(test, 0, wr(MSR_IA32_APICBASE, cur));
	KUNIT_EXPECT_EQ(test, 0, wr(MSR_IA32_APICBASE,
				    cur & ~SVM_APIC_BASE_BSP));
	KUNIT_EXPECT_EQ(test, 0, wr(MSR_IA32_APICBASE,
				    cur & ~SVM_APIC_BASE_ENABLE));
	KUNIT_EXPECT_EQ(test, 0, wr(MSR_IA32_APICBASE, cur &
				    ~(SVM_APIC_BASE_BSP |
				      SVM_APIC_BASE_ENABLE)));
	KUNIT_EXPECT_EQ(test, -EINVAL, wr(MSR_IA32_APICBASE,
					  cur | BIT_ULL(10)));	/* x2APIC */
	KUNIT_EXPECT_EQ(test, -EINVAL, wr(MSR_IA32_APICBASE,
					  cur | BIT_ULL(9)));
	KUNIT_EXPECT_EQ(test, -EINVAL, wr(MSR_IA32_APICBASE, cur | 0xff));
	KUNIT_EXPECT_EQ(test, 0, wr(MSR_IA32_APICBASE, cur + 0x1000)); /* moved */
	KUNIT_EXPECT_EQ(test, 0, wr(MSR_IA32_APICBASE, 0));
	/* The base must fit in the guest's MAXPHYADDR: 48 here, 36 there. */
	KUNIT_EXPECT_EQ(test, 0, wr(MSR_IA32_APICBASE, BIT_ULL(47) | BIT(11)));
	KUNIT_EXPECT_EQ(test, -EINVAL, wr(MSR_IA32_APICBASE, BIT_ULL(48)));
	KUNIT_EXPECT_EQ(test, -EINVAL, wr(MSR_IA32_APICBASE,
					  cur | BIT_ULL(63)));
	KUNIT_EXPECT_EQ(test, -EINVAL, svm_check_msr_write(MSR_IA32_APICBASE,
		BIT_ULL(36), false, &(struct svm_msr_state){ .maxphyaddr = 36 }));
}

static void test_pat(struct kunit *test)
{
	unsigned int byte;
	u8 t;

	KUNIT_EXPECT_EQ(test, 0, wr(MSR_IA32_CR_PAT, 0x0007040600070406ULL));
	KUNIT_EXPECT_EQ(test, 0, wr(MSR_IA32_CR_PAT, 0));
	KUNIT_EXPECT_EQ(test, 0, wr(MSR_IA32_CR_PAT, 0x0707070707070707ULL));
	/* Every type in every entry, with the others valid. */
	for (byte = 0; byte < 8; byte++) {
		for (t = 0; t < 9; t++) {
			u64 pat = 0x0606060606060606ULL &
				  ~(0xffULL << (byte * 8));
			bool ok = t != 2 && t != 3 && t != 8;

			pat |= (u64)t << (byte * 8);
			KUNIT_EXPECT_EQ_MSG(test, ok ? 0 : -EINVAL,
					    wr(MSR_IA32_CR_PAT, pat),
					    "pat %#llx", pat);
		}
		KUNIT_EXPECT_EQ(test, -EINVAL, wr(MSR_IA32_CR_PAT,
						  0xffULL << (byte * 8)));
	}
}

static void test_mtrr(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 0, wr(MSR_MTRR_DEF_TYPE, 0));
	KUNIT_EXPECT_EQ(test, 0, wr(MSR_MTRR_DEF_TYPE, 0xc06));
	/* Type 2, 3 and 7 do not exist; nor do bits 9:8 and 12 up. */
	KUNIT_EXPECT_EQ(test, -EINVAL, wr(MSR_MTRR_DEF_TYPE, 2));
	KUNIT_EXPECT_EQ(test, -EINVAL, wr(MSR_MTRR_DEF_TYPE, 3));
	KUNIT_EXPECT_EQ(test, -EINVAL, wr(MSR_MTRR_DEF_TYPE, 7));
	KUNIT_EXPECT_EQ(test, -EINVAL, wr(MSR_MTRR_DEF_TYPE, BIT_ULL(8)));
	KUNIT_EXPECT_EQ(test, -EINVAL, wr(MSR_MTRR_DEF_TYPE, BIT_ULL(9)));
	KUNIT_EXPECT_EQ(test, -EINVAL, wr(MSR_MTRR_DEF_TYPE, BIT_ULL(12)));
	KUNIT_EXPECT_EQ(test, -EINVAL, wr(MSR_MTRR_DEF_TYPE, BIT_ULL(63)));
	/* MTRRcap: userspace may restore its value; nothing else. */
	KUNIT_EXPECT_EQ(test, 0, wr(MSR_MTRRCAP, SVM_MTRRCAP_VALUE));
	KUNIT_EXPECT_EQ(test, -EINVAL, wr(MSR_MTRRCAP, 0));
	KUNIT_EXPECT_EQ(test, -EINVAL, svm_check_msr_write(MSR_MTRRCAP,
				SVM_MTRRCAP_VALUE, false, &paged));
}

static void test_mtrr_ranges(struct kunit *test)
{
	static const u32 fixed[] = {
		0x250, 0x258, 0x259, 0x268, 0x26f,
	};
	unsigned int i;

	/* Every byte of a fixed range a type; bytes of each type. */
	for (i = 0; i < ARRAY_SIZE(fixed); i++) {
		KUNIT_EXPECT_EQ(test, 0, wr(fixed[i], 0x0606050504040100ULL));
		KUNIT_EXPECT_EQ(test, -EINVAL, wr(fixed[i], 0x0200ULL));
		KUNIT_EXPECT_EQ(test, -EINVAL, wr(fixed[i], 0x07ULL << 56));
	}
	KUNIT_EXPECT_EQ(test, -ENOENT, wr(0x251, 0));
	KUNIT_EXPECT_EQ(test, -ENOENT, wr(0x267, 0));
	KUNIT_EXPECT_EQ(test, -ENOENT, wr(0x270, 0));
	/* Variable bases: a type, bits 11:8 clear, within MAXPHYADDR. */
	KUNIT_EXPECT_EQ(test, 0, wr(0x200, 0xfffff000ULL | 6));
	KUNIT_EXPECT_EQ(test, 0, wr(0x20e, (BIT_ULL(48) - 4096) | 0));
	KUNIT_EXPECT_EQ(test, -EINVAL, wr(0x200, 0x100));
	KUNIT_EXPECT_EQ(test, -EINVAL, wr(0x200, 2));
	KUNIT_EXPECT_EQ(test, -EINVAL, wr(0x202, BIT_ULL(48)));
	/* Variable masks: bits 10:0 clear, within MAXPHYADDR. */
	KUNIT_EXPECT_EQ(test, 0, wr(0x201, (BIT_ULL(48) - 4096) | BIT(11)));
	KUNIT_EXPECT_EQ(test, -EINVAL, wr(0x201, 1));
	KUNIT_EXPECT_EQ(test, -EINVAL, wr(0x20f, BIT_ULL(48)));
	KUNIT_EXPECT_EQ(test, -ENOENT, wr(0x210, 0));
	KUNIT_EXPECT_EQ(test, -ENOENT, wr(0x1ff, 0));
}

static void test_unknown(struct kunit *test)
{
	static const u32 msrs[] = {
		0, 0x10 - 1, 0x12345, 0x277 + 1, MSR_EFER - 1,
		MSR_IA32_SYSENTER_CS - 1, MSR_KERNEL_GS_BASE + 1, ~0U,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(msrs); i++)
		KUNIT_EXPECT_EQ_MSG(test, -ENOENT, wr(msrs[i], 0),
				    "msr %#x", msrs[i]);
}

static void test_list_counts(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 0, svm_check_msrs_count(0));
	KUNIT_EXPECT_EQ(test, 0, svm_check_msrs_count(SVM_MAX_IO_MSRS - 1));
	KUNIT_EXPECT_EQ(test, -E2BIG, svm_check_msrs_count(SVM_MAX_IO_MSRS));
	KUNIT_EXPECT_EQ(test, -E2BIG, svm_check_msrs_count(~0U));

	KUNIT_EXPECT_EQ(test, 0, svm_check_msr_list_room(16, 16));
	KUNIT_EXPECT_EQ(test, 0, svm_check_msr_list_room(~0U, 16));
	KUNIT_EXPECT_EQ(test, -E2BIG, svm_check_msr_list_room(15, 16));
	KUNIT_EXPECT_EQ(test, -E2BIG, svm_check_msr_list_room(0, 1));
	KUNIT_EXPECT_EQ(test, 0, svm_check_msr_list_room(0, 0));
}

static void test_filter_ranges(struct kunit *test)
{
	struct kvm_msr_filter_range r = { .flags = KVM_MSR_FILTER_READ };
	struct kvm_msr_filter f = { .flags = KVM_MSR_FILTER_DEFAULT_DENY };

	/* An empty range is ignored, whatever its flags. */
	r.flags = ~0U;
	KUNIT_EXPECT_EQ(test, 0, svm_msr_range_bytes(&r));
	r.nmsrs = 1;
	KUNIT_EXPECT_EQ(test, -EINVAL, svm_msr_range_bytes(&r));
	r.flags = 0;
	KUNIT_EXPECT_EQ(test, -EINVAL, svm_msr_range_bytes(&r));
	r.flags = SVM_MSR_FILTER_RW;
	KUNIT_EXPECT_EQ(test, (long)sizeof(long), svm_msr_range_bytes(&r));
	/* The bitmap in longs, at most KVM_MSR_FILTER_MAX_BITMAP_SIZE. */
	r.nmsrs = KVM_MSR_FILTER_MAX_BITMAP_SIZE * 8;
	KUNIT_EXPECT_EQ(test, KVM_MSR_FILTER_MAX_BITMAP_SIZE,
			svm_msr_range_bytes(&r));
	r.nmsrs++;
	KUNIT_EXPECT_EQ(test, -EINVAL, svm_msr_range_bytes(&r));
	r.nmsrs = ~0U;
	KUNIT_EXPECT_EQ(test, -EINVAL, svm_msr_range_bytes(&r));

	/* Deny by default needs a range; allow does not. */
	KUNIT_EXPECT_EQ(test, -EINVAL, svm_msr_filter_check(&f));
	f.ranges[KVM_MSR_FILTER_MAX_RANGES - 1].nmsrs = 1;
	KUNIT_EXPECT_EQ(test, 0, svm_msr_filter_check(&f));
	f.flags = 0;
	f.ranges[KVM_MSR_FILTER_MAX_RANGES - 1].nmsrs = 0;
	KUNIT_EXPECT_EQ(test, 0, svm_msr_filter_check(&f));
	f.flags = 2;
	KUNIT_EXPECT_EQ(test, -EINVAL, svm_msr_filter_check(&f));
}

static void test_filter_lookup(struct kunit *test)
{
	/* Bits 0-3 allowed, 4-63 denied. */
	unsigned long bits = 0xf;
	struct svm_msr_filter f = {
		.default_allow = true,
		.count = 3,
		.ranges = {
			{ KVM_MSR_FILTER_WRITE, 0xc0000080, 64, &bits },
			{ SVM_MSR_FILTER_RW, 0xc0000082, 64, &bits },
			{ SVM_MSR_FILTER_RW, 0xfffffff0, 32, &bits },
		},
	};

	KUNIT_EXPECT_TRUE(test, svm_msr_filter_allows(NULL, 0x10, 1));
	/* The first range that holds the MSR for the access decides. */
	KUNIT_EXPECT_TRUE(test, svm_msr_filter_allows(&f, 0xc0000083,
						      KVM_MSR_FILTER_WRITE));
	KUNIT_EXPECT_FALSE(test, svm_msr_filter_allows(&f, 0xc0000084,
						       KVM_MSR_FILTER_WRITE));
	KUNIT_EXPECT_TRUE(test, svm_msr_filter_allows(&f, 0xc0000085,
						      KVM_MSR_FILTER_READ));
	KUNIT_EXPECT_FALSE(test, svm_msr_filter_allows(&f, 0xc0000086,
						       KVM_MSR_FILTER_READ));
	/* Past the ranges, and below them: the default. */
	KUNIT_EXPECT_TRUE(test, svm_msr_filter_allows(&f, 0xc00000c2,
						      KVM_MSR_FILTER_READ));
	KUNIT_EXPECT_FALSE(test, svm_msr_filter_allows(&f, 0xc00000c1,
						       KVM_MSR_FILTER_READ));
	KUNIT_EXPECT_TRUE(test, svm_msr_filter_allows(&f, 0xc000007f,
						      KVM_MSR_FILTER_WRITE));
	/* As KVM, a range that wraps past 2^32 holds nothing. */
	KUNIT_EXPECT_TRUE(test, svm_msr_filter_allows(&f, 0xfffffffa,
						      KVM_MSR_FILTER_READ));
	f.default_allow = false;
	KUNIT_EXPECT_FALSE(test, svm_msr_filter_allows(&f, 0xc00000c2,
						       KVM_MSR_FILTER_READ));
	/* The x2APIC MSRs are never filtered. */
	KUNIT_EXPECT_TRUE(test, svm_msr_filter_allows(&f, 0x800,
						      KVM_MSR_FILTER_READ));
	KUNIT_EXPECT_TRUE(test, svm_msr_filter_allows(&f, 0x8ff,
						      KVM_MSR_FILTER_WRITE));
	KUNIT_EXPECT_FALSE(test, svm_msr_filter_allows(&f, 0x900,
						       KVM_MSR_FILTER_WRITE));
}

static void test_kvmclock(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 0, wr(MSR_KVM_WALL_CLOCK, 0));
	KUNIT_EXPECT_EQ(test, 0, wr(MSR_KVM_SYSTEM_TIME, 0));
	KUNIT_EXPECT_EQ(test, -EINVAL, wr(MSR_KVM_SYSTEM_TIME, 0x1001));
	KUNIT_EXPECT_EQ(test, -EINVAL, wr(MSR_KVM_WALL_CLOCK, 0x1000));
	KUNIT_EXPECT_EQ(test, -ENOENT, wr(MSR_KVM_SYSTEM_TIME_NEW, 0));
}

static struct kunit_case msr_cases[] = {
	KUNIT_CASE(test_any_value),
	KUNIT_CASE(test_canonical),
	KUNIT_CASE(test_efer_bits),
	KUNIT_CASE(test_efer_lme),
	KUNIT_CASE(test_efer_lma_derived),
	KUNIT_CASE(test_apic_base),
	KUNIT_CASE(test_pat),
	KUNIT_CASE(test_mtrr),
	KUNIT_CASE(test_mtrr_ranges),
	KUNIT_CASE(test_unknown),
	KUNIT_CASE(test_kvmclock),
	KUNIT_CASE(test_list_counts),
	KUNIT_CASE(test_filter_ranges),
	KUNIT_CASE(test_filter_lookup),
	{}
};

static struct kunit_suite msr_suite = {
	.name = "svmhv_msr_checks",
	.test_cases = msr_cases,
};

kunit_test_suites(&msr_suite);
