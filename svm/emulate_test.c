// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the MMIO instruction decoder and the instruction-length helper,
 * on encodings taken from the assembler.
 */
#include <kunit/test.h>

#include "alu.h"
#include "emulate.h"

/* This module has its own copy of the decoder. */
#include "emulate.c"

static void test_decode_mov_store(struct kunit *test)
{
	/* movl $0xdeadbeef, 0x30000000 */
	static const u8 store_imm[] = { 0xc7, 0x04, 0x25, 0x00, 0x00, 0x00,
					0x30, 0xef, 0xbe, 0xad, 0xde };
	/* mov %bl, 0x30000018 */
	static const u8 store_bl[] = { 0x88, 0x1c, 0x25, 0x18, 0x00, 0x00,
				       0x30 };
	/* mov %bh, (%rax) -- no REX: register 7 is BH */
	static const u8 store_bh[] = { 0x88, 0x38 };
	/* mov %r9w, 8(%rdi) */
	static const u8 store_r9w[] = { 0x66, 0x44, 0x89, 0x4f, 0x08 };
	struct svm_insn insn;

	KUNIT_ASSERT_EQ(test, 0, svm_decode(store_imm, sizeof(store_imm), 64,
					    &insn));
	KUNIT_EXPECT_EQ(test, insn.op, SVM_OP_STORE_IMM);
	KUNIT_EXPECT_EQ(test, insn.size, 4);
	KUNIT_EXPECT_EQ(test, insn.len, sizeof(store_imm));
	KUNIT_EXPECT_EQ(test, (u32)insn.imm, 0xdeadbeef);

	KUNIT_ASSERT_EQ(test, 0, svm_decode(store_bl, sizeof(store_bl), 64,
					    &insn));
	KUNIT_EXPECT_EQ(test, insn.op, SVM_OP_STORE);
	KUNIT_EXPECT_EQ(test, insn.reg, 3);
	KUNIT_EXPECT_FALSE(test, insn.high_byte);
	KUNIT_EXPECT_EQ(test, insn.len, sizeof(store_bl));

	KUNIT_ASSERT_EQ(test, 0, svm_decode(store_bh, sizeof(store_bh), 64,
					    &insn));
	KUNIT_EXPECT_EQ(test, insn.reg, 3);
	KUNIT_EXPECT_TRUE(test, insn.high_byte);

	KUNIT_ASSERT_EQ(test, 0, svm_decode(store_r9w, sizeof(store_r9w), 64,
					    &insn));
	KUNIT_EXPECT_EQ(test, insn.reg, 9);
	KUNIT_EXPECT_EQ(test, insn.size, 2);
	KUNIT_EXPECT_EQ(test, insn.len, sizeof(store_r9w));
}

static void test_decode_mov_load(struct kunit *test)
{
	/* mov 0x30000008, %rbx */
	static const u8 load64[] = { 0x48, 0x8b, 0x1c, 0x25, 0x08, 0x00, 0x00,
				     0x30 };
	/* movzbl 0x30000010, %ecx */
	static const u8 movzx[] = { 0x0f, 0xb6, 0x0c, 0x25, 0x10, 0x00, 0x00,
				    0x30 };
	/* movswl (%esi), %eax in 32-bit code */
	static const u8 movsx[] = { 0x0f, 0xbf, 0x06 };
	/* mov 0x1234, %ax in 16-bit code (moffs) */
	static const u8 moffs16[] = { 0xa1, 0x34, 0x12 };
	struct svm_insn insn;

	KUNIT_ASSERT_EQ(test, 0, svm_decode(load64, sizeof(load64), 64, &insn));
	KUNIT_EXPECT_EQ(test, insn.op, SVM_OP_LOAD);
	KUNIT_EXPECT_EQ(test, insn.reg, 3);
	KUNIT_EXPECT_EQ(test, insn.size, 8);
	KUNIT_EXPECT_EQ(test, insn.len, sizeof(load64));

	KUNIT_ASSERT_EQ(test, 0, svm_decode(movzx, sizeof(movzx), 64, &insn));
	KUNIT_EXPECT_EQ(test, insn.size, 1);
	KUNIT_EXPECT_EQ(test, insn.dst_size, 4);
	KUNIT_EXPECT_FALSE(test, insn.sign_extend);
	KUNIT_EXPECT_EQ(test, insn.reg, 1);

	KUNIT_ASSERT_EQ(test, 0, svm_decode(movsx, sizeof(movsx), 32, &insn));
	KUNIT_EXPECT_EQ(test, insn.size, 2);
	KUNIT_EXPECT_EQ(test, insn.dst_size, 4);
	KUNIT_EXPECT_TRUE(test, insn.sign_extend);
	KUNIT_EXPECT_EQ(test, insn.len, 3);

	KUNIT_ASSERT_EQ(test, 0, svm_decode(moffs16, sizeof(moffs16), 16,
					    &insn));
	KUNIT_EXPECT_EQ(test, insn.size, 2);
	KUNIT_EXPECT_EQ(test, insn.len, 3);
}

static void test_decode_refuses(struct kunit *test)
{
	static const u8 reg_operand[] = { 0x89, 0xc3 };	/* mov %eax, %ebx */
	static const u8 add_reg[] = { 0x01, 0xc3 };	/* add %eax, %ebx */
	/* cmpxchg %ecx, (%rax) */
	static const u8 cmpxchg[] = { 0x0f, 0xb1, 0x08 };
	static const u8 notb[] = { 0xf6, 0x10 };	/* notb (%rax) */
	static const u8 mov_c7_1[] = { 0xc7, 0x08, 0, 0, 0, 0 };
	static const u8 bt_ba_3[] = { 0x0f, 0xba, 0x18, 0x01 };
	static const u8 truncated[] = { 0xc7, 0x04, 0x25, 0x00 };
	/* orb $0x80, 0x10(%rdi) without its immediate */
	static const u8 no_imm[] = { 0x80, 0x4f, 0x10 };
	static const u8 prefixes[16] = { [0 ... 15] = 0x66 };
	struct svm_insn insn;

	KUNIT_EXPECT_NE(test, 0, svm_decode(reg_operand, 2, 64, &insn));
	KUNIT_EXPECT_NE(test, 0, svm_decode(add_reg, 2, 64, &insn));
	KUNIT_EXPECT_NE(test, 0, svm_decode(cmpxchg, 3, 64, &insn));
	KUNIT_EXPECT_EQ(test, insn.opcode, 0x0fb1);
	KUNIT_EXPECT_NE(test, 0, svm_decode(notb, 2, 64, &insn));
	KUNIT_EXPECT_NE(test, 0, svm_decode(mov_c7_1, 6, 64, &insn));
	KUNIT_EXPECT_NE(test, 0, svm_decode(bt_ba_3, 4, 64, &insn));
	KUNIT_EXPECT_NE(test, 0, svm_decode(truncated, 4, 64, &insn));
	KUNIT_EXPECT_NE(test, 0, svm_decode(no_imm, 3, 64, &insn));
	KUNIT_EXPECT_NE(test, 0, svm_decode(prefixes, 16, 64, &insn));
}

/* One instruction of the ALU and bit rows, decoded in 64-bit code. */
struct alu_case {
	u8 bytes[8];
	u8 len, op, alu, size, reg;
	bool high_byte, imm_src;
	s64 imm;
};

static void test_decode_alu(struct kunit *test)
{
	static const struct alu_case cases[] = {
		/* add %eax, (%rbx) */
		{ { 0x01, 0x03 }, 2, SVM_OP_ALU_MEM, SVM_ALU_ADD, 4, 0 },
		/* adc %rcx, (%rax) */
		{ { 0x48, 0x11, 0x08 }, 3, SVM_OP_ALU_MEM, SVM_ALU_ADC, 8, 1 },
		/* sbb 4(%rax), %dl */
		{ { 0x1a, 0x50, 0x04 }, 3, SVM_OP_ALU_REG, SVM_ALU_SBB, 1, 2 },
		/* subq 8(%rsi), %r10 */
		{ { 0x4c, 0x2b, 0x56, 0x08 }, 4, SVM_OP_ALU_REG, SVM_ALU_SUB,
		  8, 10 },
		/* xor 0x30000000, %ecx */
		{ { 0x33, 0x0c, 0x25, 0, 0, 0, 0x30 }, 7, SVM_OP_ALU_REG,
		  SVM_ALU_XOR, 4, 1 },
		/* cmp %ah, (%rcx) */
		{ { 0x38, 0x21 }, 2, SVM_OP_ALU_MEM, SVM_ALU_CMP, 1, 0, true },
		/* orb $0x80, 0x10(%rdi) */
		{ { 0x80, 0x4f, 0x10, 0x80 }, 4, SVM_OP_ALU_MEM, SVM_ALU_OR, 1,
		  0, false, true, -128 },
		/* andl $-16, (%rax) */
		{ { 0x83, 0x20, 0xf0 }, 3, SVM_OP_ALU_MEM, SVM_ALU_AND, 4, 0,
		  false, true, -16 },
		/* cmpw $0x1234, (%rax) */
		{ { 0x66, 0x81, 0x38, 0x34, 0x12 }, 5, SVM_OP_ALU_MEM,
		  SVM_ALU_CMP, 2, 0, false, true, 0x1234 },
		/* andq $0x7fffffff, (%rax) */
		{ { 0x48, 0x81, 0x20, 0xff, 0xff, 0xff, 0x7f }, 7,
		  SVM_OP_ALU_MEM, SVM_ALU_AND, 8, 0, false, true, 0x7fffffff },
		/* test %bh, (%rsi) */
		{ { 0x84, 0x3e }, 2, SVM_OP_ALU_MEM, SVM_ALU_TEST, 1, 3, true },
		/* testw $0x8000, (%rdx) */
		{ { 0x66, 0xf7, 0x02, 0x00, 0x80 }, 5, SVM_OP_ALU_MEM,
		  SVM_ALU_TEST, 2, 0, false, true, -32768 },
		/* bt %eax, (%rbx) */
		{ { 0x0f, 0xa3, 0x03 }, 3, SVM_OP_BIT, SVM_ALU_BT, 4, 0 },
		/* btr %r8w, (%rax) */
		{ { 0x66, 0x44, 0x0f, 0xb3, 0x00 }, 5, SVM_OP_BIT, SVM_ALU_BTR,
		  2, 8 },
		/* btsq $63, 8(%rdi) */
		{ { 0x48, 0x0f, 0xba, 0x6f, 0x08, 0x3f }, 6, SVM_OP_BIT,
		  SVM_ALU_BTS, 8, 0, false, true, 63 },
		/* btcl $1, (%rax) */
		{ { 0x0f, 0xba, 0x38, 0x01 }, 4, SVM_OP_BIT, SVM_ALU_BTC, 4, 0,
		  false, true, 1 },
	};
	const struct alu_case *c;
	struct svm_insn insn;

	for (c = cases; c < cases + ARRAY_SIZE(cases); c++) {
		KUNIT_ASSERT_EQ(test, 0, svm_decode(c->bytes, c->len, 64,
						    &insn));
		KUNIT_EXPECT_EQ(test, insn.len, c->len);
		KUNIT_EXPECT_EQ(test, insn.op, c->op);
		KUNIT_EXPECT_EQ(test, insn.alu, c->alu);
		KUNIT_EXPECT_EQ(test, insn.size, c->size);
		KUNIT_EXPECT_EQ(test, insn.imm_src, c->imm_src);
		if (c->imm_src) {
			KUNIT_EXPECT_EQ(test, insn.imm, c->imm);
		} else {
			KUNIT_EXPECT_EQ(test, insn.reg, c->reg);
			KUNIT_EXPECT_EQ(test, insn.high_byte, c->high_byte);
		}
	}
}

static void test_decode_string(struct kunit *test)
{
	static const u8 rep_movsb[] = { 0xf3, 0xa4 };
	static const u8 movsl[] = { 0xa5 };
	static const u8 rep_stosq[] = { 0xf3, 0x48, 0xab };
	/* 32-bit code: fs rep movsw */
	static const u8 fs_rep_movsw[] = { 0x64, 0x66, 0xf3, 0xa5 };
	static const u8 addr32_stosb[] = { 0x67, 0xaa };
	struct svm_insn insn;

	KUNIT_ASSERT_EQ(test, 0, svm_decode(rep_movsb, 2, 64, &insn));
	KUNIT_EXPECT_EQ(test, insn.op, SVM_OP_MOVS);
	KUNIT_EXPECT_EQ(test, insn.size, 1);
	KUNIT_EXPECT_TRUE(test, insn.rep);
	KUNIT_EXPECT_EQ(test, insn.len, 2);
	KUNIT_EXPECT_EQ(test, insn.seg, -1);
	KUNIT_EXPECT_EQ(test, insn.addr_size, 8);
	KUNIT_ASSERT_EQ(test, 0, svm_decode(movsl, 1, 64, &insn));
	KUNIT_EXPECT_EQ(test, insn.size, 4);
	KUNIT_EXPECT_FALSE(test, insn.rep);
	KUNIT_EXPECT_EQ(test, insn.len, 1);
	KUNIT_ASSERT_EQ(test, 0, svm_decode(rep_stosq, 3, 64, &insn));
	KUNIT_EXPECT_EQ(test, insn.op, SVM_OP_STOS);
	KUNIT_EXPECT_EQ(test, insn.size, 8);
	KUNIT_EXPECT_TRUE(test, insn.rep);
	KUNIT_EXPECT_EQ(test, insn.len, 3);
	KUNIT_ASSERT_EQ(test, 0, svm_decode(fs_rep_movsw, 4, 32, &insn));
	KUNIT_EXPECT_EQ(test, insn.size, 2);
	KUNIT_EXPECT_EQ(test, insn.seg, SVM_SEG_FS);
	KUNIT_EXPECT_EQ(test, insn.addr_size, 4);
	KUNIT_EXPECT_EQ(test, insn.len, 4);
	KUNIT_ASSERT_EQ(test, 0, svm_decode(addr32_stosb, 2, 64, &insn));
	KUNIT_EXPECT_EQ(test, insn.addr_size, 4);
	KUNIT_EXPECT_EQ(test, insn.size, 1);
}

static void test_addr_add(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, svm_addr_add(0x1234ffffULL, 1, 2), 0x12340000ULL);
	KUNIT_EXPECT_EQ(test, svm_addr_add(0xaaaa00000000ULL, -1, 4),
			0xffffffffULL);
	KUNIT_EXPECT_EQ(test, svm_addr_add(0, -1, 8), ~0ULL);
	KUNIT_EXPECT_EQ(test, svm_addr_mask(2), 0xffffULL);
}

static void test_insn_length(struct kunit *test)
{
	static const u8 cpuid[] = { 0x0f, 0xa2 };
	static const u8 cpuid_prefixed[] = { 0x66, 0x2e, 0x0f, 0xa2 };
	static const u8 vmmcall[] = { 0x0f, 0x01, 0xd9 };
	static const u8 hlt[] = { 0xf4 };

	KUNIT_EXPECT_EQ(test, 2, svm_insn_length(cpuid, 2, 64, 0x0fa2, 2));
	KUNIT_EXPECT_EQ(test, 4, svm_insn_length(cpuid_prefixed, 4, 64,
						 0x0fa2, 2));
	KUNIT_EXPECT_EQ(test, 3, svm_insn_length(vmmcall, 3, 64, 0x01d9, 3));
	KUNIT_EXPECT_EQ(test, 1, svm_insn_length(hlt, 1, 16, 0xf4, 1));
	KUNIT_EXPECT_GT(test, 0, svm_insn_length(hlt, 1, 64, 0x0fa2, 2));
}

static void test_reg_merge(struct kunit *test)
{
	u64 old = 0x1122334455667788ULL;

	KUNIT_EXPECT_EQ(test, svm_reg_merge(old, 0xaa, 1, false),
			0x11223344556677aaULL);
	KUNIT_EXPECT_EQ(test, svm_reg_merge(old, 0xaa, 1, true),
			0x112233445566aa88ULL);
	KUNIT_EXPECT_EQ(test, svm_reg_merge(old, 0xbbcc, 2, false),
			0x112233445566bbccULL);
	/* A 32-bit write clears the upper half. */
	KUNIT_EXPECT_EQ(test, svm_reg_merge(old, 0xdeadbeef, 4, false),
			0xdeadbeefULL);
}

static void test_decode_sys(struct kunit *test)
{
	u64 gprs[16] = { [0] = 0x1000, [3] = 0x20, [6] = 0x3, [5] = 0x400,
			 [9] = 0x7000 };
	static const u8 mov_cr3_rax[] = { 0x0f, 0x22, 0xd8 };
	static const u8 mov_r9_cr4[] = { 0x41, 0x0f, 0x20, 0xe1 };
	static const u8 clts[] = { 0x0f, 0x06 };
	static const u8 lmsw_bx[] = { 0x0f, 0x01, 0xf3 };
	/* invlpg 0x10(%rax,%rsi,4) */
	static const u8 invlpg_sib[] = { 0x0f, 0x01, 0x7c, 0xb0, 0x10 };
	/* invlpg 0x100(%rip) */
	static const u8 invlpg_rip[] = { 0x0f, 0x01, 0x3d, 0x00, 0x01, 0, 0 };
	/* 16-bit: invlpg [bp+si+2], SS by default */
	static const u8 invlpg16[] = { 0x0f, 0x01, 0x7a, 0x02 };
	/* fs: invlpg (%r9) */
	static const u8 invlpg_fs[] = { 0x64, 0x41, 0x0f, 0x01, 0x39 };
	static const u8 swapgs[] = { 0x0f, 0x01, 0xf8 };
	struct svm_sys_insn in;

	KUNIT_ASSERT_EQ(test, 0, svm_decode_sys(mov_cr3_rax, 3, 64, gprs, 0,
						&in));
	KUNIT_EXPECT_EQ(test, in.op, SVM_SYS_MOV_TO_CR);
	KUNIT_EXPECT_EQ(test, in.cr, 3);
	KUNIT_EXPECT_EQ(test, in.reg, 0);
	KUNIT_EXPECT_EQ(test, in.len, 3);
	KUNIT_ASSERT_EQ(test, 0, svm_decode_sys(mov_r9_cr4, 4, 64, gprs, 0,
						&in));
	KUNIT_EXPECT_EQ(test, in.op, SVM_SYS_MOV_FROM_CR);
	KUNIT_EXPECT_EQ(test, in.cr, 4);
	KUNIT_EXPECT_EQ(test, in.reg, 9);
	KUNIT_ASSERT_EQ(test, 0, svm_decode_sys(clts, 2, 32, gprs, 0, &in));
	KUNIT_EXPECT_EQ(test, in.op, SVM_SYS_CLTS);
	KUNIT_ASSERT_EQ(test, 0, svm_decode_sys(lmsw_bx, 3, 16, gprs, 0, &in));
	KUNIT_EXPECT_EQ(test, in.op, SVM_SYS_LMSW);
	KUNIT_EXPECT_FALSE(test, in.mem);
	KUNIT_EXPECT_EQ(test, in.reg, 3);
	KUNIT_ASSERT_EQ(test, 0, svm_decode_sys(invlpg_sib, 5, 64, gprs, 0,
						&in));
	KUNIT_EXPECT_EQ(test, in.op, SVM_SYS_INVLPG);
	KUNIT_EXPECT_EQ(test, in.ea, 0x1000ULL + 3 * 4 + 0x10);
	KUNIT_EXPECT_EQ(test, in.len, 5);
	KUNIT_ASSERT_EQ(test, 0, svm_decode_sys(invlpg_rip, 7, 64, gprs,
						0x5000, &in));
	KUNIT_EXPECT_EQ(test, in.ea, 0x5000ULL + 7 + 0x100);
	KUNIT_ASSERT_EQ(test, 0, svm_decode_sys(invlpg16, 4, 16, gprs, 0,
						&in));
	KUNIT_EXPECT_EQ(test, in.ea, 0x400ULL + 3 + 2);
	KUNIT_EXPECT_EQ(test, in.seg, SVM_SEG_SS);
	KUNIT_ASSERT_EQ(test, 0, svm_decode_sys(invlpg_fs, 5, 64, gprs, 0,
						&in));
	KUNIT_EXPECT_EQ(test, in.ea, 0x7000ULL);
	KUNIT_EXPECT_EQ(test, in.seg, SVM_SEG_FS);
	KUNIT_EXPECT_EQ(test, -EINVAL, svm_decode_sys(swapgs, 3, 64, gprs, 0,
						      &in));
	KUNIT_EXPECT_EQ(test, -EINVAL, svm_decode_sys(invlpg_sib, 3, 64, gprs,
						      0, &in));
}

static struct kunit_case svm_emulate_cases[] = {
	KUNIT_CASE(test_decode_mov_store),
	KUNIT_CASE(test_decode_sys),
	KUNIT_CASE(test_decode_mov_load),
	KUNIT_CASE(test_decode_refuses),
	KUNIT_CASE(test_decode_alu),
	KUNIT_CASE(test_decode_string),
	KUNIT_CASE(test_addr_add),
	KUNIT_CASE(test_insn_length),
	KUNIT_CASE(test_reg_merge),
	{}
};

static struct kunit_suite svm_emulate_suite = {
	.name = "svmhv_emulate",
	.test_cases = svm_emulate_cases,
};

kunit_test_suites(&svm_emulate_suite);
