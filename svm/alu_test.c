// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: svmhv's arithmetic against the CPU's.  Each operation runs on
 * the CPU this test runs on, with the same operands and carry in, and
 * the result and the flags the manuals define for it must be equal.
 */
#include <kunit/test.h>

#include "alu.h"

/* This module has its own copy. */
#include "alu.c"

/* One instruction on this CPU: CF from bit 0 of @cin; RFLAGS after. */
#define HW_OP(name, type, mn)						\
static void name(u64 *dst, u64 src, u64 cin, u64 *fl)			\
{									\
	type d = *dst, s = src;						\
									\
	asm volatile("bt $0, %[c]\n\t" mn " %[s], %[d]\n\t"		\
		     "pushf\n\tpop %[f]"				\
		     : [d] "+r" (d), [f] "=r" (*fl)			\
		     : [s] "r" (s), [c] "r" (cin) : "cc");		\
	*dst = d;							\
}

HW_OP(hw_addb, u8, "addb")
HW_OP(hw_addw, u16, "addw")
HW_OP(hw_addl, u32, "addl")
HW_OP(hw_addq, u64, "addq")
HW_OP(hw_orb, u8, "orb")
HW_OP(hw_orw, u16, "orw")
HW_OP(hw_orl, u32, "orl")
HW_OP(hw_orq, u64, "orq")
HW_OP(hw_adcb, u8, "adcb")
HW_OP(hw_adcw, u16, "adcw")
HW_OP(hw_adcl, u32, "adcl")
HW_OP(hw_adcq, u64, "adcq")
HW_OP(hw_sbbb, u8, "sbbb")
HW_OP(hw_sbbw, u16, "sbbw")
HW_OP(hw_sbbl, u32, "sbbl")
HW_OP(hw_sbbq, u64, "sbbq")
HW_OP(hw_andb, u8, "andb")
HW_OP(hw_andw, u16, "andw")
HW_OP(hw_andl, u32, "andl")
HW_OP(hw_andq, u64, "andq")
HW_OP(hw_subb, u8, "subb")
HW_OP(hw_subw, u16, "subw")
HW_OP(hw_subl, u32, "subl")
HW_OP(hw_subq, u64, "subq")
HW_OP(hw_xorb, u8, "xorb")
HW_OP(hw_xorw, u16, "xorw")
HW_OP(hw_xorl, u32, "xorl")
HW_OP(hw_xorq, u64, "xorq")
HW_OP(hw_cmpb, u8, "cmpb")
HW_OP(hw_cmpw, u16, "cmpw")
HW_OP(hw_cmpl, u32, "cmpl")
HW_OP(hw_cmpq, u64, "cmpq")
HW_OP(hw_testb, u8, "testb")
HW_OP(hw_testw, u16, "testw")
HW_OP(hw_testl, u32, "testl")
HW_OP(hw_testq, u64, "testq")
HW_OP(hw_btw, u16, "btw")
HW_OP(hw_btl, u32, "btl")
HW_OP(hw_btq, u64, "btq")
HW_OP(hw_btsw, u16, "btsw")
HW_OP(hw_btsl, u32, "btsl")
HW_OP(hw_btsq, u64, "btsq")
HW_OP(hw_btrw, u16, "btrw")
HW_OP(hw_btrl, u32, "btrl")
HW_OP(hw_btrq, u64, "btrq")
HW_OP(hw_btcw, u16, "btcw")
HW_OP(hw_btcl, u32, "btcl")
HW_OP(hw_btcq, u64, "btcq")

typedef void (*hw_op_fn)(u64 *dst, u64 src, u64 cin, u64 *fl);

/* By SVM_ALU_* and size (1, 2, 4, 8 bytes); no byte bit tests. */
static const hw_op_fn hw_ops[][4] = {
	[SVM_ALU_ADD] = { hw_addb, hw_addw, hw_addl, hw_addq },
	[SVM_ALU_OR] = { hw_orb, hw_orw, hw_orl, hw_orq },
	[SVM_ALU_ADC] = { hw_adcb, hw_adcw, hw_adcl, hw_adcq },
	[SVM_ALU_SBB] = { hw_sbbb, hw_sbbw, hw_sbbl, hw_sbbq },
	[SVM_ALU_AND] = { hw_andb, hw_andw, hw_andl, hw_andq },
	[SVM_ALU_SUB] = { hw_subb, hw_subw, hw_subl, hw_subq },
	[SVM_ALU_XOR] = { hw_xorb, hw_xorw, hw_xorl, hw_xorq },
	[SVM_ALU_CMP] = { hw_cmpb, hw_cmpw, hw_cmpl, hw_cmpq },
	[SVM_ALU_TEST] = { hw_testb, hw_testw, hw_testl, hw_testq },
	[SVM_ALU_BT] = { NULL, hw_btw, hw_btl, hw_btq },
	[SVM_ALU_BTS] = { NULL, hw_btsw, hw_btsl, hw_btsq },
	[SVM_ALU_BTR] = { NULL, hw_btrw, hw_btrl, hw_btrq },
	[SVM_ALU_BTC] = { NULL, hw_btcw, hw_btcl, hw_btcq },
};

/* The flags @op defines (the others are undefined: not compared). */
static u64 defined_flags(int op)
{
	switch (op) {
	case SVM_ALU_OR:
	case SVM_ALU_AND:
	case SVM_ALU_XOR:
	case SVM_ALU_TEST:
		return SVM_ALU_FLAGS & ~X86_EFLAGS_AF;
	case SVM_ALU_BT:
	case SVM_ALU_BTS:
	case SVM_ALU_BTR:
	case SVM_ALU_BTC:
		return X86_EFLAGS_CF;
	default:
		return SVM_ALU_FLAGS;
	}
}

static const u64 operands[] = {
	0, 1, 2, 0xf, 0x10, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff,
	0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ULL,
	0x7fffffffffffffffULL, 0x8000000000000000ULL, ~0ULL,
	0x0123456789abcdefULL, 0xfedcba9876543210ULL, 0x5555aaaa5555aaaaULL,
	0x3f, 0x40, 0x41,
};

/* @op on operands of @size bytes, each pair and carry in; failures. */
static unsigned int check_op(struct kunit *test, int op, int size)
{
	hw_op_fn hw = hw_ops[op][ilog2(size)];
	u64 m = size == 8 ? ~0ULL : BIT_ULL(size * 8) - 1;
	unsigned int i, j, c, bad = 0;

	for (i = 0; i < ARRAY_SIZE(operands); i++) {
		for (j = 0; j < ARRAY_SIZE(operands) * 2; j++) {
			u64 want = operands[i], b = operands[j / 2], hwf, got;
			u64 rf = c = j & 1;

			hw(&want, b, c, &hwf);
			want &= m;
			got = svm_alu(op, size, operands[i], b, &rf);
			/* CMP, TEST and BT leave the CPU's operand as it was. */
			if (!svm_alu_writes(op))
				got = operands[i] & m;
			if (got == want && !((rf ^ hwf) & defined_flags(op)) &&
			    !(rf & ~SVM_ALU_FLAGS))
				continue;
			if (bad++ < 4)
				kunit_info(test, "op %d size %d %#llx, %#llx, CF %u: %#llx flags %#llx; CPU: %#llx flags %#llx\n",
					   op, size, operands[i], b, c, got, rf,
					   want, hwf);
		}
	}
	return bad;
}

static void test_alu_against_cpu(struct kunit *test)
{
	unsigned int bad = 0;
	int op, size;

	for (op = SVM_ALU_ADD; op <= SVM_ALU_BTC; op++)
		for (size = 1; size <= 8; size *= 2)
			if (hw_ops[op][ilog2(size)])
				bad += check_op(test, op, size);
	KUNIT_EXPECT_EQ(test, bad, 0);
}

static void test_alu_writes(struct kunit *test)
{
	u64 fl = X86_EFLAGS_ZF | X86_EFLAGS_IF;

	KUNIT_EXPECT_TRUE(test, svm_alu_writes(SVM_ALU_ADD));
	KUNIT_EXPECT_TRUE(test, svm_alu_writes(SVM_ALU_BTS));
	KUNIT_EXPECT_FALSE(test, svm_alu_writes(SVM_ALU_CMP));
	KUNIT_EXPECT_FALSE(test, svm_alu_writes(SVM_ALU_TEST));
	KUNIT_EXPECT_FALSE(test, svm_alu_writes(SVM_ALU_BT));
	/* Only the status flags change; BT keeps ZF. */
	KUNIT_EXPECT_EQ(test, svm_alu(SVM_ALU_BTS, 4, 0, 33, &fl), 2ULL);
	KUNIT_EXPECT_EQ(test, fl, X86_EFLAGS_ZF | X86_EFLAGS_IF);
	KUNIT_EXPECT_EQ(test, svm_alu(SVM_ALU_SUB, 1, 0, 1, &fl), 0xffULL);
	KUNIT_EXPECT_EQ(test, fl, X86_EFLAGS_IF | X86_EFLAGS_CF |
			X86_EFLAGS_SF | X86_EFLAGS_AF | X86_EFLAGS_PF);
}

static struct kunit_case svm_alu_cases[] = {
	KUNIT_CASE(test_alu_against_cpu),
	KUNIT_CASE(test_alu_writes),
	{}
};

static struct kunit_suite svm_alu_suite = {
	.name = "svmhv_alu",
	.test_cases = svm_alu_cases,
};

kunit_test_suites(&svm_alu_suite);
