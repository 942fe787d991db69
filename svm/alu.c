// SPDX-License-Identifier: GPL-2.0
/*
 * Integer arithmetic and its status flags, for the instructions svmhv
 * completes on MMIO; see alu.h.  AMD64 APM vol. 1, 3.1.4 "Flags
 * Register", and vol. 3's pages of ADD, ADC, SUB, SBB, CMP, AND, OR, XOR,
 * TEST and BT, BTS, BTR, BTC.
 */
#include <linux/bitops.h>

#include "alu.h"

static u64 svm_alu_mask(int size)
{
	return size == 8 ? ~0ULL : BIT_ULL(size * 8) - 1;
}

/* ZF, SF and PF of a result, with the carry-class flags given. */
static u64 svm_alu_result_flags(u64 res, int size, u64 cf, u64 af, u64 of)
{
	u64 sign = BIT_ULL(size * 8 - 1), f = 0;

	if (cf)
		f |= X86_EFLAGS_CF;
	if (af)
		f |= X86_EFLAGS_AF;
	if (of)
		f |= X86_EFLAGS_OF;
	if (!(res & svm_alu_mask(size)))
		f |= X86_EFLAGS_ZF;
	if (res & sign)
		f |= X86_EFLAGS_SF;
	if (!(hweight8(res & 0xff) & 1))
		f |= X86_EFLAGS_PF;
	return f;
}

/*
 * @a + @b + @c and @a - @b - @c: the carry (borrow) out of the top bit
 * and the signed overflow follow from the operands' and the result's
 * top bits; AF is the carry out of bit 3.
 */
static u64 svm_alu_add(u64 a, u64 b, u64 c, int size, u64 *f)
{
	u64 r = a + b + c, sign = BIT_ULL(size * 8 - 1);

	*f = svm_alu_result_flags(r, size, ((a & b) | ((a | b) & ~r)) & sign,
				  (a ^ b ^ r) & 0x10, ~(a ^ b) & (a ^ r) & sign);
	return r;
}

static u64 svm_alu_sub(u64 a, u64 b, u64 c, int size, u64 *f)
{
	u64 r = a - b - c, sign = BIT_ULL(size * 8 - 1);

	*f = svm_alu_result_flags(r, size, ((~a & b) | (~(a ^ b) & r)) & sign,
				  (a ^ b ^ r) & 0x10, (a ^ b) & (a ^ r) & sign);
	return r;
}

/*
 * BT and its writing forms: CF is the bit @bit (modulo the operand's
 * width) of @val; the other flags stay as they were (ZF is kept, OF, SF,
 * AF and PF are undefined).
 */
static u64 svm_alu_bit(int op, int size, u64 val, u64 bit, u64 *rflags)
{
	u64 m = BIT_ULL(bit & (size * 8 - 1));

	*rflags &= ~X86_EFLAGS_CF;
	if (val & m)
		*rflags |= X86_EFLAGS_CF;
	switch (op) {
	case SVM_ALU_BTS:
		return val | m;
	case SVM_ALU_BTR:
		return val & ~m;
	case SVM_ALU_BTC:
		return val ^ m;
	default:
		return val;
	}
}

/**
 * svm_alu() - compute @dst OP @src as the CPU does.
 * @op: SVM_ALU_*
 * @size: operand bytes: 1, 2, 4 or 8
 * @dst: the destination operand (for BT*, the bit string)
 * @src: the source operand, already sign-extended to @size (for BT*,
 *	 the bit offset)
 * @rflags: RFLAGS: the carry in (ADC, SBB) and, after, the flags out
 *
 * The logical operations clear CF, OF and AF.
 *
 * Return: the result, @size bytes wide (CMP, TEST and BT compute one
 * that is not written; svm_alu_writes() says so).
 */
u64 svm_alu(int op, int size, u64 dst, u64 src, u64 *rflags)
{
	u64 mask = svm_alu_mask(size), c = *rflags & X86_EFLAGS_CF, f, r;

	dst &= mask;
	src &= mask;
	switch (op) {
	case SVM_ALU_ADD:
	case SVM_ALU_ADC:
		r = svm_alu_add(dst, src, op == SVM_ALU_ADC ? c : 0, size, &f);
		break;
	case SVM_ALU_SUB:
	case SVM_ALU_SBB:
	case SVM_ALU_CMP:
		r = svm_alu_sub(dst, src, op == SVM_ALU_SBB ? c : 0, size, &f);
		break;
	case SVM_ALU_OR:
		r = dst | src;
		f = svm_alu_result_flags(r, size, 0, 0, 0);
		break;
	case SVM_ALU_XOR:
		r = dst ^ src;
		f = svm_alu_result_flags(r, size, 0, 0, 0);
		break;
	case SVM_ALU_AND:
	case SVM_ALU_TEST:
		r = dst & src;
		f = svm_alu_result_flags(r, size, 0, 0, 0);
		break;
	default:
		return svm_alu_bit(op, size, dst, src, rflags) & mask;
	}
	*rflags = (*rflags & ~SVM_ALU_FLAGS) | f;
	return r & mask;
}

/* Does @op write its result (CMP, TEST and BT only set flags)? */
bool svm_alu_writes(int op)
{
	return op != SVM_ALU_CMP && op != SVM_ALU_TEST && op != SVM_ALU_BT;
}
