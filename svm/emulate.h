/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A decoder for the instructions svmhv must understand itself: an access
 * to MMIO is decoded here (a table, svm_opcodes[], of what Linux's
 * drivers use on device memory), and so are the control-register and
 * TLB instructions and the length of an intercepted instruction when the
 * CPU gives no decode assists or next RIP.  Pure logic: KUnit feeds it
 * byte strings.
 */
#ifndef SVMHV_SVM_EMULATE_H
#define SVMHV_SVM_EMULATE_H

#include <linux/types.h>

#define SVM_INSN_MAX	15

enum { SVM_SEG_ES, SVM_SEG_CS, SVM_SEG_SS, SVM_SEG_DS, SVM_SEG_FS, SVM_SEG_GS };

enum svm_insn_op {
	SVM_OP_NONE,
	SVM_OP_LOAD,		/* register <- memory */
	SVM_OP_STORE,		/* memory <- register */
	SVM_OP_STORE_IMM,	/* memory <- immediate */
	SVM_OP_ALU_MEM,		/* memory <- memory OP register or immediate */
	SVM_OP_ALU_REG,		/* register <- register OP memory */
	SVM_OP_BIT,		/* BT, BTS, BTR, BTC of a memory bit string */
	SVM_OP_MOVS,		/* memory <- memory, at ES:rDI <- seg:rSI */
	SVM_OP_STOS,		/* memory at ES:rDI <- register */
};

/**
 * struct svm_insn - a decoded instruction.
 * @len: bytes, prefixes included
 * @prefix_len: bytes of legacy and REX prefixes
 * @opcode: the opcode: its byte, or 0x0fxx for a two-byte opcode
 * @two_byte: the opcode was 0F xx
 * @modrm: the ModRM byte, if any
 * @op: what the instruction does with memory
 * @alu: the operation of SVM_OP_ALU_* and SVM_OP_BIT (SVM_ALU_*, alu.h)
 * @reg: the register operand (x86 number; 4-7 without REX in byte form
 *	 mean AH, CH, DH, BH, see @high_byte); 0 (rAX) for a direct
 *	 offset and STOS
 * @high_byte: @reg names AH..BH
 * @imm_src: the source operand is @imm, not @reg
 * @size: memory operand bytes (1, 2, 4, 8)
 * @dst_size: register bytes written by a load (movzx/movsx widen)
 * @sign_extend: movsx
 * @rep: a REP prefix (F3 or F2), for MOVS and STOS
 * @addr_size: the address size, 2, 4 or 8 bytes
 * @seg: the segment override (SVM_SEG_*), or -1
 * @imm: the immediate, sign-extended to 64 bits
 */
struct svm_insn {
	u8 len;
	u8 prefix_len;
	u16 opcode;
	bool two_byte;
	u8 modrm;
	enum svm_insn_op op;
	u8 alu;
	u8 reg;
	bool high_byte;
	bool imm_src;
	u8 size;
	u8 dst_size;
	bool sign_extend;
	bool rep;
	u8 addr_size;
	s8 seg;
	s64 imm;
};

int svm_decode(const u8 *bytes, int avail, int mode, struct svm_insn *insn);

enum svm_sys_op {
	SVM_SYS_MOV_TO_CR,	/* 0F 22 */
	SVM_SYS_MOV_FROM_CR,	/* 0F 20 */
	SVM_SYS_CLTS,		/* 0F 06 */
	SVM_SYS_LMSW,		/* 0F 01 /6 */
	SVM_SYS_SMSW,		/* 0F 01 /4 */
	SVM_SYS_INVLPG,		/* 0F 01 /7, memory form */
};

/**
 * struct svm_sys_insn - a decoded control-register or TLB instruction.
 * @op: SVM_SYS_*
 * @len: bytes, prefixes included
 * @cr: the control register (MOV CR)
 * @reg: the general register operand, when @mem is false
 * @mem: the operand is in memory at @seg:@ea
 * @seg: SVM_SEG_* of the memory operand
 * @ea: its offset, already wrapped to the address size
 * @op_size: operand bytes (MOV CR: 8 in 64-bit mode, else 4; SMSW: 2, 4, 8)
 */
struct svm_sys_insn {
	enum svm_sys_op op;
	u8 len;
	u8 cr;
	u8 reg;
	bool mem;
	int seg;
	u64 ea;
	u8 op_size;
};

int svm_decode_sys(const u8 *bytes, int avail, int mode, const u64 *gprs,
		   u64 rip, struct svm_sys_insn *insn);
int svm_insn_length(const u8 *bytes, int avail, int mode, u16 opcode,
		    int opcode_len);
int svm_insn_addr_size(const u8 *bytes, int avail, int mode);
int svm_insn_segment(const u8 *bytes, int avail, int mode, int dflt);
u64 svm_reg_merge(u64 old, u64 val, int size, bool high_byte);
u64 svm_addr_add(u64 old, s64 delta, int addr_size);
u64 svm_addr_mask(int addr_size);

#endif /* SVMHV_SVM_EMULATE_H */
