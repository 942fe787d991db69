// SPDX-License-Identifier: GPL-2.0
/*
 * Instruction decoding for MMIO and for skipping intercepted instructions;
 * see emulate.h.  AMD64 APM vol. 3, 1.2 "Instruction Prefixes", 1.4
 * "ModRM and SIB Bytes", and the MOV, MOVZX and MOVSX pages.
 */
#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "alu.h"
#include "emulate.h"

struct svm_prefixes {
	int len;
	bool opsize;	/* 66 */
	bool adsize;	/* 67 */
	bool rep;	/* F3 or F2: REP, for the string instructions */
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
		p->rep |= b[p->len] == 0xf3 || b[p->len] == 0xf2;
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

/* How a row of the table finds its memory operand's size... */
enum { SZ_BYTE, SZ_WORD, SZ_OP };
/* ...and its immediate (IMM_Z: the operand size, at most 4 bytes). */
enum { IMM_NONE, IMM_8, IMM_Z, IMM_MOFFS };

#define F_WIDEN		BIT(0)	/* MOVZX, MOVSX: the register is op-sized */
#define F_SX		BIT(1)	/* MOVSX */
#define F_ALU_BY_REG	BIT(2)	/* group 1: ModRM.reg picks the operation */
#define F_NO_MODRM	BIT(3)	/* a direct offset (moffs), or a string */
/*
 * ADD..CMP: the row is four opcodes, @opcode to @opcode + 3, whose bit 0
 * picks a byte or an operand-sized operand and whose bit 1 makes the
 * register, not memory, the destination.
 */
#define F_FORMS4	BIT(4)

/**
 * struct svm_opcode - a row of the MMIO decoder's table.
 * @opcode: the opcode byte, 0x0fxx for a two-byte opcode
 * @group: the ModRM.reg value the row needs (an opcode extension), or -1
 * @op: SVM_OP_*
 * @alu: SVM_ALU_* for the ALU and bit forms
 * @size: SZ_*
 * @imm: IMM_*
 * @flags: F_*
 */
struct svm_opcode {
	u16 opcode;
	s8 group;
	u8 op, alu, size, imm, flags;
};

#define ROW(opc, grp, o, a, sz, im, fl)					\
	{ .opcode = (opc), .group = (grp), .op = (o), .alu = (a),	\
	  .size = (sz), .imm = (im), .flags = (fl) }
/*
 * What svmhv completes itself when it touches MMIO: the MOV family, the
 * two-operand ALU forms with flags, the bit tests, and the string moves
 * that memcpy_toio(), memcpy_fromio() and memset_io() use.  A new
 * instruction is a row here and, if it is a new kind, a case in mmio.c.
 */
static const struct svm_opcode svm_opcodes[] = {
	ROW(0x88, -1, SVM_OP_STORE, 0, SZ_BYTE, IMM_NONE, 0),
	ROW(0x89, -1, SVM_OP_STORE, 0, SZ_OP, IMM_NONE, 0),
	ROW(0x8a, -1, SVM_OP_LOAD, 0, SZ_BYTE, IMM_NONE, 0),
	ROW(0x8b, -1, SVM_OP_LOAD, 0, SZ_OP, IMM_NONE, 0),
	ROW(0xc6, 0, SVM_OP_STORE_IMM, 0, SZ_BYTE, IMM_8, 0),
	ROW(0xc7, 0, SVM_OP_STORE_IMM, 0, SZ_OP, IMM_Z, 0),
	ROW(0xa0, -1, SVM_OP_LOAD, 0, SZ_BYTE, IMM_MOFFS, F_NO_MODRM),
	ROW(0xa1, -1, SVM_OP_LOAD, 0, SZ_OP, IMM_MOFFS, F_NO_MODRM),
	ROW(0xa2, -1, SVM_OP_STORE, 0, SZ_BYTE, IMM_MOFFS, F_NO_MODRM),
	ROW(0xa3, -1, SVM_OP_STORE, 0, SZ_OP, IMM_MOFFS, F_NO_MODRM),
	ROW(0x0fb6, -1, SVM_OP_LOAD, 0, SZ_BYTE, IMM_NONE, F_WIDEN),
	ROW(0x0fb7, -1, SVM_OP_LOAD, 0, SZ_WORD, IMM_NONE, F_WIDEN),
	ROW(0x0fbe, -1, SVM_OP_LOAD, 0, SZ_BYTE, IMM_NONE, F_WIDEN | F_SX),
	ROW(0x0fbf, -1, SVM_OP_LOAD, 0, SZ_WORD, IMM_NONE, F_WIDEN | F_SX),
	ROW(0x00, -1, SVM_OP_ALU_MEM, SVM_ALU_ADD, SZ_BYTE, IMM_NONE, F_FORMS4),
	ROW(0x08, -1, SVM_OP_ALU_MEM, SVM_ALU_OR, SZ_BYTE, IMM_NONE, F_FORMS4),
	ROW(0x10, -1, SVM_OP_ALU_MEM, SVM_ALU_ADC, SZ_BYTE, IMM_NONE, F_FORMS4),
	ROW(0x18, -1, SVM_OP_ALU_MEM, SVM_ALU_SBB, SZ_BYTE, IMM_NONE, F_FORMS4),
	ROW(0x20, -1, SVM_OP_ALU_MEM, SVM_ALU_AND, SZ_BYTE, IMM_NONE, F_FORMS4),
	ROW(0x28, -1, SVM_OP_ALU_MEM, SVM_ALU_SUB, SZ_BYTE, IMM_NONE, F_FORMS4),
	ROW(0x30, -1, SVM_OP_ALU_MEM, SVM_ALU_XOR, SZ_BYTE, IMM_NONE, F_FORMS4),
	ROW(0x38, -1, SVM_OP_ALU_MEM, SVM_ALU_CMP, SZ_BYTE, IMM_NONE, F_FORMS4),
	ROW(0x80, -1, SVM_OP_ALU_MEM, 0, SZ_BYTE, IMM_8, F_ALU_BY_REG),
	ROW(0x81, -1, SVM_OP_ALU_MEM, 0, SZ_OP, IMM_Z, F_ALU_BY_REG),
	ROW(0x83, -1, SVM_OP_ALU_MEM, 0, SZ_OP, IMM_8, F_ALU_BY_REG),
	ROW(0x84, -1, SVM_OP_ALU_MEM, SVM_ALU_TEST, SZ_BYTE, IMM_NONE, 0),
	ROW(0x85, -1, SVM_OP_ALU_MEM, SVM_ALU_TEST, SZ_OP, IMM_NONE, 0),
	ROW(0xf6, 0, SVM_OP_ALU_MEM, SVM_ALU_TEST, SZ_BYTE, IMM_8, 0),
	ROW(0xf7, 0, SVM_OP_ALU_MEM, SVM_ALU_TEST, SZ_OP, IMM_Z, 0),
	ROW(0x0fa3, -1, SVM_OP_BIT, SVM_ALU_BT, SZ_OP, IMM_NONE, 0),
	ROW(0x0fab, -1, SVM_OP_BIT, SVM_ALU_BTS, SZ_OP, IMM_NONE, 0),
	ROW(0x0fb3, -1, SVM_OP_BIT, SVM_ALU_BTR, SZ_OP, IMM_NONE, 0),
	ROW(0x0fbb, -1, SVM_OP_BIT, SVM_ALU_BTC, SZ_OP, IMM_NONE, 0),
	ROW(0x0fba, 4, SVM_OP_BIT, SVM_ALU_BT, SZ_OP, IMM_8, 0),
	ROW(0x0fba, 5, SVM_OP_BIT, SVM_ALU_BTS, SZ_OP, IMM_8, 0),
	ROW(0x0fba, 6, SVM_OP_BIT, SVM_ALU_BTR, SZ_OP, IMM_8, 0),
	ROW(0x0fba, 7, SVM_OP_BIT, SVM_ALU_BTC, SZ_OP, IMM_8, 0),
	ROW(0xa4, -1, SVM_OP_MOVS, 0, SZ_BYTE, IMM_NONE, F_NO_MODRM),
	ROW(0xa5, -1, SVM_OP_MOVS, 0, SZ_OP, IMM_NONE, F_NO_MODRM),
	ROW(0xaa, -1, SVM_OP_STOS, 0, SZ_BYTE, IMM_NONE, F_NO_MODRM),
	ROW(0xab, -1, SVM_OP_STOS, 0, SZ_OP, IMM_NONE, F_NO_MODRM),
};

/* The row for @opcode and, if it has one, the ModRM byte's reg field. */
static const struct svm_opcode *svm_find_opcode(u16 opcode, int modrm_reg)
{
	const struct svm_opcode *o;

	for (o = svm_opcodes; o < svm_opcodes + ARRAY_SIZE(svm_opcodes); o++)
		if (o->opcode == (o->flags & F_FORMS4 ? opcode & ~3 : opcode) &&
		    (o->group < 0 || o->group == modrm_reg))
			return o;
	return NULL;
}

/* The ModRM operand, the immediate and the length of @insn. */
static int svm_decode_modrm(const u8 *b, int avail, int at, int addr_bits,
			    const struct svm_opcode *o, u8 rex,
			    struct svm_insn *insn)
{
	int n, imm_size = 0;

	insn->modrm = b[at];
	if (insn->modrm >> 6 == 3)
		return -EINVAL;		/* register operand: not memory */
	if (o->group < 0 && !(o->flags & F_ALU_BY_REG)) {
		insn->reg = ((insn->modrm >> 3) & 7) | ((rex & 4) << 1);
		/* Without REX, byte registers 4-7 are AH, CH, DH, BH. */
		insn->high_byte = insn->size == 1 && !rex &&
				  !(o->flags & F_WIDEN) && insn->reg >= 4;
		if (insn->high_byte)
			insn->reg -= 4;
	}
	if (o->imm == IMM_8)
		imm_size = 1;
	else if (o->imm == IMM_Z)
		imm_size = min_t(int, insn->size, 4);
	n = svm_modrm_len(b + at, avail - at, addr_bits);
	if (n < 0 || at + n + imm_size > avail)
		return -EINVAL;
	if (imm_size) {
		insn->imm = svm_read_imm(b + at + n, imm_size);
		insn->imm_src = true;
	}
	insn->len = at + n + imm_size;
	return 0;
}

/* Fill @insn from its row @o; @at is the offset after the opcode. */
static int svm_decode_row(const u8 *b, int avail, int at,
			  const struct svm_prefixes *p, int op_size,
			  const struct svm_opcode *o, struct svm_insn *insn)
{
	static const u8 sizes[] = { [SZ_BYTE] = 1, [SZ_WORD] = 2 };

	insn->op = o->op;
	insn->alu = o->alu;
	if (o->flags & F_ALU_BY_REG)
		insn->alu = (b[at] >> 3) & 7;
	insn->size = o->size == SZ_OP ? op_size : sizes[o->size];
	if (o->flags & F_FORMS4) {
		insn->op = insn->opcode & 2 ? SVM_OP_ALU_REG : SVM_OP_ALU_MEM;
		insn->size = insn->opcode & 1 ? op_size : 1;
	}
	insn->dst_size = o->flags & F_WIDEN ? op_size : insn->size;
	insn->sign_extend = o->flags & F_SX;
	insn->rep = p->rep;
	insn->seg = p->seg;
	if (!(o->flags & F_NO_MODRM))
		return svm_decode_modrm(b, avail, at, insn->addr_size * 8, o,
					p->rex, insn);
	/* A direct offset, or a string: the register is (R|E)AX. */
	if (o->imm == IMM_MOFFS)
		at += insn->addr_size;
	if (at > avail)
		return -EINVAL;
	insn->len = at;
	return 0;
}

/**
 * svm_decode() - decode an instruction that accessed MMIO.
 * @bytes: the instruction bytes from RIP on
 * @avail: how many bytes @bytes holds
 * @mode: 16, 32 or 64: the default operand and address size (CS.D, CS.L)
 * @insn: the result
 *
 * Handles the rows of svm_opcodes[]: MOV, MOVZX and MOVSX; ADD, OR, ADC,
 * SBB, AND, SUB, XOR, CMP and TEST with a memory operand; BT, BTS, BTR
 * and BTC; MOVS and STOS, with or without REP.
 *
 * Return: 0, or -EINVAL for anything else or a truncated instruction
 * (insn->prefix_len and insn->opcode are still filled when known).
 */
int svm_decode(const u8 *bytes, int avail, int mode, struct svm_insn *insn)
{
	const struct svm_opcode *o;
	struct svm_prefixes p;
	int op_size, at;
	u16 opcode;

	memset(insn, 0, sizeof(*insn));
	if (svm_decode_prefixes(bytes, avail, mode, &p))
		return -EINVAL;
	insn->prefix_len = p.len;
	op_size = (p.rex & 8) ? 8 : (mode == 16) ^ p.opsize ? 2 : 4;
	insn->addr_size = mode == 64 ? (p.adsize ? 4 : 8) :
			  (mode == 16) ^ p.adsize ? 2 : 4;
	at = p.len;
	opcode = bytes[at++];
	if (opcode == 0x0f) {
		if (at >= avail)
			return -EINVAL;
		insn->two_byte = true;
		opcode = 0x0f00 | bytes[at++];
	}
	insn->opcode = opcode;
	o = svm_find_opcode(opcode, at < avail ? (bytes[at] >> 3) & 7 : -1);
	if (!o || (!(o->flags & F_NO_MODRM) && at >= avail))
		return -EINVAL;
	return svm_decode_row(bytes, avail, at, &p, op_size, o, insn);
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

/**
 * svm_addr_add() - a register used as an address after adding @delta.
 * @old: the register before
 * @delta: what the instruction adds (a string's step, a count's -1)
 * @addr_size: the address size, 2, 4 or 8 bytes
 *
 * Return: the register after: as CPUs do, only its low @addr_size bytes
 * change, and a 32-bit address clears bits 63:32.
 */
u64 svm_addr_add(u64 old, s64 delta, int addr_size)
{
	if (addr_size == 8)
		return old + delta;
	if (addr_size == 4)
		return (u32)(old + delta);
	return (old & ~0xffffULL) | ((old + delta) & 0xffff);
}

/* The bits of a register that an @addr_size-byte address uses. */
u64 svm_addr_mask(int addr_size)
{
	return addr_size == 8 ? ~0ULL : (1ULL << (addr_size * 8)) - 1;
}
