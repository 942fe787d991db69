// SPDX-License-Identifier: GPL-2.0
/*
 * Instruction decoding for MMIO and for skipping intercepted instructions;
 * see emulate.h.  AMD64 APM vol. 3, 1.2 "Instruction Prefixes", 1.4
 * "ModRM and SIB Bytes", and the MOV, MOVZX and MOVSX pages.
 */
#include <linux/errno.h>
#include <linux/string.h>

#include "emulate.h"

struct svm_prefixes {
	int len;
	bool opsize;	/* 66 */
	bool adsize;	/* 67 */
	u8 rex;		/* 0 if none */
	int seg;	/* SVM_SEG_*, or -1 */
};

static int svm_seg_prefix(u8 b)
{
	switch (b) {
	case 0x26: return SVM_SEG_ES;
	case 0x2e: return SVM_SEG_CS;
	case 0x36: return SVM_SEG_SS;
	case 0x3e: return SVM_SEG_DS;
	case 0x64: return SVM_SEG_FS;
	case 0x65: return SVM_SEG_GS;
	default: return -1;
	}
}

static bool svm_is_legacy_prefix(u8 b)
{
	switch (b) {
	case 0x66: case 0x67: case 0xf0: case 0xf2: case 0xf3:
	case 0x2e: case 0x36: case 0x3e: case 0x26: case 0x64: case 0x65:
		return true;
	default:
		return false;
	}
}

static int svm_decode_prefixes(const u8 *b, int avail, int mode,
			       struct svm_prefixes *p)
{
	memset(p, 0, sizeof(*p));
	p->seg = -1;
	while (p->len < avail && svm_is_legacy_prefix(b[p->len])) {
		p->opsize |= b[p->len] == 0x66;
		p->adsize |= b[p->len] == 0x67;
		if (svm_seg_prefix(b[p->len]) >= 0)
			p->seg = svm_seg_prefix(b[p->len]);
		p->len++;
	}
	/* REX counts only in 64-bit mode and right before the opcode. */
	if (mode == 64 && p->len < avail && (b[p->len] & 0xf0) == 0x40)
		p->rex = b[p->len++];
	return p->len < avail && p->len < SVM_INSN_MAX ? 0 : -EINVAL;
}

/* Bytes of ModRM, SIB and displacement starting at @b (@b[0] is ModRM). */
static int svm_modrm_len(const u8 *b, int avail, int addr_bits)
{
	u8 mod = b[0] >> 6, rm = b[0] & 7;
	int len = 1;

	if (mod == 3)
		return 1;
	if (addr_bits == 16) {
		if (mod == 1)
			return 2;
		if (mod == 2 || (mod == 0 && rm == 6))
			return 3;
		return 1;
	}
	if (rm == 4) {
		if (avail < 2)
			return -EINVAL;
		len++;
		if (mod == 0 && (b[1] & 7) == 5)
			return len + 4;
	}
	if (mod == 1)
		return len + 1;
	if (mod == 2 || (mod == 0 && rm == 5))
		return len + 4;
	return len;
}

static s64 svm_read_imm(const u8 *b, int size)
{
	switch (size) {
	case 1:
		return (s8)b[0];
	case 2:
		return (s16)(b[0] | b[1] << 8);
	default:
		return (s32)(b[0] | b[1] << 8 | b[2] << 16 | (u32)b[3] << 24);
	}
}

/* Fill reg/size fields for a ModRM MOV-class instruction. */
static int svm_decode_modrm_mov(const u8 *b, int avail, int at, int addr_bits,
				struct svm_insn *insn, u8 rex, int imm_size)
{
	int n;

	if (at >= avail)
		return -EINVAL;
	insn->modrm = b[at];
	if (insn->modrm >> 6 == 3)
		return -EINVAL;		/* register operand: not memory */
	insn->reg = ((insn->modrm >> 3) & 7) | ((rex & 4) << 1);
	/* Without REX, byte registers 4-7 are AH, CH, DH, BH. */
	insn->high_byte = insn->size == 1 && !rex && insn->reg >= 4;
	if (insn->high_byte)
		insn->reg -= 4;
	n = svm_modrm_len(b + at, avail - at, addr_bits);
	if (n < 0 || at + n + imm_size > avail)
		return -EINVAL;
	if (imm_size)
		insn->imm = svm_read_imm(b + at + n, imm_size);
	insn->len = at + n + imm_size;
	return 0;
}

/**
 * svm_decode() - decode a MOV-class memory access.
 * @bytes: the instruction bytes from RIP on
 * @avail: how many bytes @bytes holds
 * @mode: 16, 32 or 64: the default operand and address size (CS.D, CS.L)
 * @insn: the result
 *
 * Handles MOV r/m,r (88, 89), MOV r,r/m (8A, 8B), MOV r/m,imm (C6, C7),
 * MOV with a direct offset (A0-A3), MOVZX (0F B6, B7), MOVSX (0F BE, BF).
 *
 * Return: 0, or -EINVAL for anything else or a truncated instruction
 * (insn->prefix_len and insn->opcode are still filled when known).
 */
int svm_decode(const u8 *bytes, int avail, int mode, struct svm_insn *insn)
{
	struct svm_prefixes p;
	int op_size, addr_size, at;
	u8 op;

	memset(insn, 0, sizeof(*insn));
	if (svm_decode_prefixes(bytes, avail, mode, &p))
		return -EINVAL;
	insn->prefix_len = p.len;
	op_size = (p.rex & 8) ? 8 : (mode == 16) ^ p.opsize ? 2 : 4;
	addr_size = mode == 64 ? (p.adsize ? 4 : 8) :
		    (mode == 16) ^ p.adsize ? 2 : 4;
	at = p.len;
	op = bytes[at++];
	if (op == 0x0f) {
		if (at >= avail)
			return -EINVAL;
		insn->two_byte = true;
		op = bytes[at++];
	}
	insn->opcode = op;

	if (insn->two_byte) {
		if (op != 0xb6 && op != 0xb7 && op != 0xbe && op != 0xbf)
			return -EINVAL;
		insn->op = SVM_OP_LOAD;
		insn->size = (op & 1) ? 2 : 1;
		insn->dst_size = op_size;
		insn->sign_extend = op >= 0xbe;
		/* The destination is a full register, never AH..BH. */
		return svm_decode_modrm_mov(bytes, avail, at, addr_size * 8,
					    insn, p.rex | 0x40, 0);
	}

	switch (op) {
	case 0x88: case 0x89: case 0x8a: case 0x8b:
		insn->op = (op & 2) ? SVM_OP_LOAD : SVM_OP_STORE;
		insn->size = (op & 1) ? op_size : 1;
		insn->dst_size = insn->size;
		return svm_decode_modrm_mov(bytes, avail, at, addr_size * 8,
					    insn, p.rex, 0);
	case 0xc6: case 0xc7:
		if (at >= avail || (bytes[at] >> 3 & 7))
			return -EINVAL;		/* only /0 is MOV */
		insn->op = SVM_OP_STORE_IMM;
		insn->size = (op & 1) ? op_size : 1;
		return svm_decode_modrm_mov(bytes, avail, at, addr_size * 8,
					    insn, p.rex,
					    insn->size == 8 ? 4 : insn->size);
	case 0xa0: case 0xa1: case 0xa2: case 0xa3:
		insn->op = (op & 2) ? SVM_OP_STORE : SVM_OP_LOAD;
		insn->size = (op & 1) ? op_size : 1;
		insn->dst_size = insn->size;
		insn->reg = 0;	/* AL/AX/EAX/RAX */
		if (at + addr_size > avail)
			return -EINVAL;
		insn->len = at + addr_size;
		return 0;
	default:
		return -EINVAL;
	}
}

/*
 * A 16-bit ModRM memory operand's address before wrapping: BX, BP, SI or
 * DI (one or two of them) plus the displacement; SS for BP's forms.
 */
static u64 svm_modrm_ea16(const u8 *b, const u64 *gprs, int *seg)
{
	static const u8 base16[8][2] = {
		{ 3, 6 }, { 3, 7 }, { 5, 6 }, { 5, 7 },
		{ 6, 8 }, { 7, 8 }, { 5, 8 }, { 3, 8 },
	};
	u8 mod = b[0] >> 6, rm = b[0] & 7;
	s64 disp = 0;

	if (mod == 1)
		disp = (s8)b[1];
	else if (mod == 2 || (mod == 0 && rm == 6))
		disp = (s16)(b[1] | b[2] << 8);
	if (mod == 0 && rm == 6)
		return disp;
	if (base16[rm][0] == 5)
		*seg = SVM_SEG_SS;
	return gprs[base16[rm][0]] +
	       (base16[rm][1] < 8 ? gprs[base16[rm][1]] : 0) + disp;
}

/*
 * The effective address of a ModRM memory operand at @b (@b[0] is the
 * ModRM byte): sets @ea (wrapped to @addr_size bytes) and the default
 * segment @seg (SS for BP/SP-based forms), and returns the bytes of
 * ModRM, SIB and displacement.  @rip_end is the RIP after the whole
 * instruction, for RIP-relative forms.
 */
static int svm_modrm_ea(const u8 *b, int avail, int mode, int addr_size,
			u8 rex, const u64 *gprs, u64 rip_end, u64 *ea, int *seg)
{
	u8 mod = b[0] >> 6, rm = b[0] & 7;
	int n = svm_modrm_len(b, avail, addr_size * 8);
	u64 mask = addr_size == 8 ? ~0ULL : (1ULL << (addr_size * 8)) - 1;
	s64 disp = 0;
	u64 addr = 0;

	if (n < 0 || n > avail)
		return -EINVAL;
	*seg = SVM_SEG_DS;
	if (addr_size == 2) {
		*ea = svm_modrm_ea16(b, gprs, seg) & mask;
		return n;
	}

	if (rm == 4) {
		u8 sib = b[1], base = sib & 7;
		u8 index = ((sib >> 3) & 7) | ((rex & 2) << 2);

		if (index != 4)
			addr = gprs[index] << (sib >> 6);
		if (mod == 0 && base == 5) {
			disp = svm_read_imm(b + 2, 4);
		} else {
			base |= (rex & 1) << 3;
			addr += gprs[base];
			if ((base & 7) == 4 || (base & 7) == 5)
				*seg = SVM_SEG_SS;
		}
		if (mod == 1)
			disp = (s8)b[2];
		else if (mod == 2)
			disp = svm_read_imm(b + 2, 4);
	} else if (mod == 0 && rm == 5) {
		disp = svm_read_imm(b + 1, 4);
		if (mode == 64)
			addr = rip_end;
	} else {
		addr = gprs[rm | (rex & 1) << 3];
		if (rm == 5)
			*seg = SVM_SEG_SS;
		if (mod == 1)
			disp = (s8)b[1];
		else if (mod == 2)
			disp = svm_read_imm(b + 1, 4);
	}
	*ea = (addr + disp) & mask;
	return n;
}

/**
 * svm_decode_sys() - decode a control-register or INVLPG instruction.
 * @bytes: the instruction bytes from RIP on
 * @avail: how many bytes @bytes holds
 * @mode: 16, 32 or 64
 * @gprs: the general registers, by x86 number, for memory operands
 * @rip: the instruction's RIP (for RIP-relative operands)
 * @insn: the result
 *
 * Handles MOV to and from CRn (0F 22, 0F 20; the ModRM mod bits are
 * ignored, as the CPU does), CLTS, LMSW, SMSW and INVLPG.
 *
 * Return: 0, or -EINVAL for anything else or a truncated instruction.
 */
int svm_decode_sys(const u8 *bytes, int avail, int mode, const u64 *gprs,
		   u64 rip, struct svm_sys_insn *insn)
{
	struct svm_prefixes p;
	int addr_size, at, n;
	u8 op, modrm, ext;

	memset(insn, 0, sizeof(*insn));
	if (svm_decode_prefixes(bytes, avail, mode, &p))
		return -EINVAL;
	addr_size = mode == 64 ? (p.adsize ? 4 : 8) :
		    (mode == 16) ^ p.adsize ? 2 : 4;
	at = p.len;
	if (at + 2 > avail || bytes[at] != 0x0f)
		return -EINVAL;
	op = bytes[at + 1];
	at += 2;
	if (op == 0x06) {
		insn->op = SVM_SYS_CLTS;
		insn->len = at;
		return 0;
	}
	if (at >= avail)
		return -EINVAL;
	modrm = bytes[at];
	ext = (modrm >> 3) & 7;
	if (op == 0x20 || op == 0x22) {
		insn->op = op == 0x22 ? SVM_SYS_MOV_TO_CR : SVM_SYS_MOV_FROM_CR;
		insn->cr = ext | ((p.rex & 4) << 1);
		insn->reg = (modrm & 7) | ((p.rex & 1) << 3);
		insn->op_size = mode == 64 ? 8 : 4;
		insn->len = at + 1;
		return 0;
	}
	if (op != 0x01 || (ext != 4 && ext != 6 && ext != 7))
		return -EINVAL;
	insn->op = ext == 4 ? SVM_SYS_SMSW : ext == 6 ? SVM_SYS_LMSW :
				SVM_SYS_INVLPG;
	insn->op_size = (p.rex & 8) ? 8 : (mode == 16) ^ p.opsize ? 2 : 4;
	if (modrm >> 6 == 3) {
		if (insn->op == SVM_SYS_INVLPG)
			return -EINVAL;	/* SWAPGS, RDTSCP: not ours */
		insn->reg = (modrm & 7) | ((p.rex & 1) << 3);
		insn->len = at + 1;
		return 0;
	}
	insn->mem = true;
	/* The displacement's length is known before the address. */
	n = svm_modrm_len(bytes + at, avail - at, addr_size * 8);
	if (n < 0 || at + n > avail)
		return -EINVAL;
	insn->len = at + n;
	if (svm_modrm_ea(bytes + at, avail - at, mode, addr_size, p.rex, gprs,
			 rip + insn->len, &insn->ea, &insn->seg) < 0)
		return -EINVAL;
	if (p.seg >= 0)
		insn->seg = p.seg;
	if (insn->op == SVM_SYS_SMSW)
		insn->op_size = 2;	/* a memory destination takes 16 bits */
	return 0;
}

/**
 * svm_insn_length() - length of an operand-less intercepted instruction.
 * @bytes: the bytes at RIP
 * @avail: how many there are
 * @mode: 16, 32 or 64
 * @opcode: the expected opcode bytes, first byte in the high byte for a
 *	two-byte opcode (0x0fa2 for CPUID) or alone (0xf4 for HLT); three-
 *	byte opcodes pass their last two bytes after 0F (0x01d9 for VMMCALL)
 * @opcode_len: 1, 2 or 3
 *
 * Return: prefixes plus opcode length, or -EINVAL when the bytes are not
 * that instruction (the guest changed them under us).
 */
int svm_insn_length(const u8 *bytes, int avail, int mode, u16 opcode,
		    int opcode_len)
{
	struct svm_prefixes p;
	u8 want[3];
	int i;

	if (svm_decode_prefixes(bytes, avail, mode, &p))
		return -EINVAL;
	if (opcode_len == 1) {
		want[0] = opcode;
	} else if (opcode_len == 2) {
		want[0] = opcode >> 8;
		want[1] = opcode;
	} else {
		want[0] = 0x0f;
		want[1] = opcode >> 8;
		want[2] = opcode;
	}
	if (p.len + opcode_len > avail || p.len + opcode_len > SVM_INSN_MAX)
		return -EINVAL;
	for (i = 0; i < opcode_len; i++)
		if (bytes[p.len + i] != want[i])
			return -EINVAL;
	return p.len + opcode_len;
}

/**
 * svm_insn_segment() - the segment override of the instruction at @bytes.
 * @bytes: the bytes at RIP
 * @avail: how many there are
 * @mode: 16, 32 or 64
 * @dflt: the segment the instruction uses without an override
 *
 * Return: SVM_SEG_*, or @dflt when there is no override (or no bytes).
 */
int svm_insn_segment(const u8 *bytes, int avail, int mode, int dflt)
{
	struct svm_prefixes p;

	svm_decode_prefixes(bytes, avail, mode, &p);
	return p.seg >= 0 ? p.seg : dflt;
}

/**
 * svm_insn_addr_size() - the address size of the instruction at @bytes.
 * @bytes: the bytes at RIP
 * @avail: how many there are
 * @mode: 16, 32 or 64
 *
 * Return: 2, 4 or 8 bytes: the mode's default, or the other one with an
 * address-size (67) prefix.
 */
int svm_insn_addr_size(const u8 *bytes, int avail, int mode)
{
	struct svm_prefixes p;

	svm_decode_prefixes(bytes, avail, mode, &p);
	if (mode == 64)
		return p.adsize ? 4 : 8;
	return (mode == 16) ^ p.adsize ? 2 : 4;
}

/**
 * svm_reg_merge() - a register's value after writing @size bytes of @val.
 * @old: the register before
 * @val: the value written
 * @size: 1, 2, 4 or 8
 * @high_byte: the write goes to bits 15:8 (AH, CH, DH, BH)
 *
 * As the CPU does: 8- and 16-bit writes keep the other bits, 32-bit
 * writes clear bits 63:32.
 */
u64 svm_reg_merge(u64 old, u64 val, int size, bool high_byte)
{
	switch (size) {
	case 1:
		if (high_byte)
			return (old & ~0xff00ULL) | (val & 0xff) << 8;
		return (old & ~0xffULL) | (val & 0xff);
	case 2:
		return (old & ~0xffffULL) | (val & 0xffff);
	case 4:
		return (u32)val;
	default:
		return val;
	}
}
