// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the checks on a KVM_SET_USER_MEMORY_REGION request, each bound
 * with a request just inside it and one just outside.
 */
#include <kunit/test.h>

#include "memslot.h"

static struct kvm_userspace_memory_region good(void)
{
	return (struct kvm_userspace_memory_region){
		.slot = 1, .guest_phys_addr = 0x100000,
		.memory_size = 0x200000, .userspace_addr = 0x7f0000000000ULL,
	};
}

static void test_region_good(struct kunit *test)
{
	struct kvm_userspace_memory_region mr = good();

	KUNIT_EXPECT_EQ(test, 0, svm_check_region(&mr));
	mr.memory_size = 0;			/* a delete */
	KUNIT_EXPECT_EQ(test, 0, svm_check_region(&mr));
	mr = good();
	mr.slot = SVM_MAX_SLOTS - 1;
	KUNIT_EXPECT_EQ(test, 0, svm_check_region(&mr));
	mr = good();
	mr.guest_phys_addr = BIT_ULL(SVM_GPA_BITS) - mr.memory_size;
	KUNIT_EXPECT_EQ(test, 0, svm_check_region(&mr));
	mr = good();
	mr.slot = 0;
	mr.guest_phys_addr = 0;
	mr.memory_size = SVM_MAX_SLOT_PAGES << PAGE_SHIFT;
	KUNIT_EXPECT_EQ(test, 0, svm_check_region(&mr));
	mr = good();
	mr.userspace_addr = -(mr.memory_size + PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, 0, svm_check_region(&mr));
	mr = good();
	mr.flags = KVM_MEM_LOG_DIRTY_PAGES;
	KUNIT_EXPECT_EQ(test, 0, svm_check_region(&mr));
	mr.flags = KVM_MEM_READONLY;		/* ROM, as KVM */
	KUNIT_EXPECT_EQ(test, 0, svm_check_region(&mr));
	mr.flags = KVM_MEM_LOG_DIRTY_PAGES | KVM_MEM_READONLY;
	KUNIT_EXPECT_EQ(test, 0, svm_check_region(&mr));
}

static void test_region_bad(struct kunit *test)
{
	struct kvm_userspace_memory_region mr;

	mr = good();
	mr.slot = SVM_MAX_SLOTS;
	KUNIT_EXPECT_EQ(test, -EINVAL, svm_check_region(&mr));
	mr = good();
	mr.slot = 1 << 16 | 1;			/* address space 1 */
	KUNIT_EXPECT_EQ(test, -EINVAL, svm_check_region(&mr));
	mr = good();
	mr.memory_size += 1;
	KUNIT_EXPECT_EQ(test, -EINVAL, svm_check_region(&mr));
	mr = good();
	mr.guest_phys_addr += 0x800;
	KUNIT_EXPECT_EQ(test, -EINVAL, svm_check_region(&mr));
	mr = good();
	mr.userspace_addr += 8;
	KUNIT_EXPECT_EQ(test, -EINVAL, svm_check_region(&mr));
	mr = good();
	mr.guest_phys_addr = BIT_ULL(SVM_GPA_BITS) - mr.memory_size + 0x1000;
	KUNIT_EXPECT_EQ(test, -EINVAL, svm_check_region(&mr));
	mr = good();
	mr.guest_phys_addr = ~0ULL & PAGE_MASK;	/* wraps */
	KUNIT_EXPECT_EQ(test, -EINVAL, svm_check_region(&mr));
	mr = good();
	mr.memory_size = (SVM_MAX_SLOT_PAGES + 1) << PAGE_SHIFT;
	mr.guest_phys_addr = 0;
	KUNIT_EXPECT_EQ(test, -EINVAL, svm_check_region(&mr));
	mr = good();
	mr.userspace_addr = ~0ULL & PAGE_MASK;	/* wraps */
	KUNIT_EXPECT_EQ(test, -EINVAL, svm_check_region(&mr));
	mr = good();
	mr.userspace_addr = -mr.memory_size;	/* ends exactly at 2^64 */
	KUNIT_EXPECT_EQ(test, -EINVAL, svm_check_region(&mr));
	mr = good();
	mr.flags = BIT(31);			/* an unknown flag */
	KUNIT_EXPECT_EQ(test, -EINVAL, svm_check_region(&mr));
	mr = good();
	mr.slot = 0xffff;			/* far beyond, same space */
	KUNIT_EXPECT_EQ(test, -EINVAL, svm_check_region(&mr));
	mr = good();
	mr.slot = BIT(31);			/* high address-space bit alone */
	KUNIT_EXPECT_EQ(test, -EINVAL, svm_check_region(&mr));
	mr = good();
	mr.memory_size = PAGE_SIZE / 2;		/* not a page multiple */
	KUNIT_EXPECT_EQ(test, -EINVAL, svm_check_region(&mr));
}

static struct kunit_case memslot_cases[] = {
	KUNIT_CASE(test_region_good),
	KUNIT_CASE(test_region_bad),
	{}
};

static struct kunit_suite memslot_suite = {
	.name = "svmhv_memslot_checks",
	.test_cases = memslot_cases,
};

kunit_test_suites(&memslot_suite);
