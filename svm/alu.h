/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The arithmetic of the instructions svmhv completes itself on MMIO
 * (alu.c): the result and the status flags, as the CPU computes them.
 * Pure logic: KUnit holds it against the CPU it runs on.
 */
#ifndef SVMHV_SVM_ALU_H
#define SVMHV_SVM_ALU_H

#include <linux/types.h>
#include <asm/processor-flags.h>

/* The first eight in the order of their opcodes (00, 08, ... 38). */
enum svm_alu_op {
	SVM_ALU_ADD,
	SVM_ALU_OR,
	SVM_ALU_ADC,
	SVM_ALU_SBB,
	SVM_ALU_AND,
	SVM_ALU_SUB,
	SVM_ALU_XOR,
	SVM_ALU_CMP,
	SVM_ALU_TEST,
	SVM_ALU_BT,		/* BT, BTS, BTR, BTC: in the order of 0F BA /4-/7 */
	SVM_ALU_BTS,
	SVM_ALU_BTR,
	SVM_ALU_BTC,
};

/* The status flags. */
#define SVM_ALU_FLAGS	(X86_EFLAGS_CF | X86_EFLAGS_PF | X86_EFLAGS_AF | \
			 X86_EFLAGS_ZF | X86_EFLAGS_SF | X86_EFLAGS_OF)

u64 svm_alu(int op, int size, u64 dst, u64 src, u64 *rflags);
bool svm_alu_writes(int op);

#endif /* SVMHV_SVM_ALU_H */
