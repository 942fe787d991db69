/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest code for adversary_test.c: the exception handler every IDT stub
 * jumps to, and the in-guest MSR sweep.  Both are copied to fixed guest
 * addresses (adversary_test.c has the memory map) and use these cells:
 */
#define FIXUP		0xc800	/* resume here after an exception, if set */
#define FAULT_VEC	0xc808	/* the last exception's vector... */
#define FAULT_ERR	0xc810	/* ...and error code (0 if it has none) */
#define DONE_PORT	0xe1

#define GUEST(name) .globl name##_start, name##_end; name##_start:
#define END(name) name##_end:

	.section .rodata
	.code64

/*
 * Stack on entry: vector, error code, then the CPU's frame.  Without a
 * fixup, report the exception on port 0xe0 with RAX = vector, RBX =
 * error code, RCX = RIP of the fault, RDX = CR2, and stay halted.  With
 * one, record vector and error code, resume at the fixup and clobber
 * nothing.
 */
GUEST(adv_handler)
	cmpq	$0, FIXUP
	jne	1f
	pop	%rax
	pop	%rbx
	mov	(%rsp), %rcx
	mov	%cr2, %rdx
	out	%al, $0xe0
2:	hlt
	jmp	2b
1:	push	%rax
	mov	8(%rsp), %rax
	mov	%rax, FAULT_VEC
	mov	16(%rsp), %rax
	mov	%rax, FAULT_ERR
	mov	FIXUP, %rax
	mov	%rax, 24(%rsp)
	pop	%rax
	add	$16, %rsp
	iretq
END(adv_handler)

/*
 * RDMSR, then maybe WRMSR, of RDI MSRs from ESI on, with R13 ORed into
 * RCX (garbage for its upper half, which the CPU ignores).  R8: one 24-byte record per MSR (flags, value read,
 * value written); flags bit 0/1: RDMSR/WRMSR faulted, bits 8-15/16-23:
 * their vectors, bits 32-47/48-63: their error codes.  R9: 0 no write,
 * 1 write back the value read, 2 write it with bit (MSR % 64) flipped.
 */
GUEST(msr_sweep)
	xor	%r10, %r10
3:	mov	%esi, %ecx
	add	%r10d, %ecx
	or	%r13, %rcx
	imul	$24, %r10, %r12
	add	%r8, %r12
	movq	$0, (%r12)
	movq	$0, 16(%r12)
	lea	4f(%rip), %r11
	mov	%r11, FIXUP
	xor	%eax, %eax
	xor	%edx, %edx
	rdmsr
	shl	$32, %rdx
	or	%rdx, %rax
	mov	%rax, 8(%r12)
	jmp	5f
4:	mov	FAULT_VEC, %r11
	shl	$8, %r11
	or	$1, %r11
	or	%r11, (%r12)
	mov	FAULT_ERR, %r11
	shl	$32, %r11
	or	%r11, (%r12)
5:	test	%r9, %r9
	jz	7f
	mov	8(%r12), %rax
	cmp	$2, %r9
	jne	6f
	mov	$1, %r11
	shl	%cl, %r11		/* CL = MSR, the shift counts mod 64 */
	xor	%r11, %rax
6:	mov	%rax, 16(%r12)
	mov	%rax, %rdx
	shr	$32, %rdx
	lea	8f(%rip), %r11
	mov	%r11, FIXUP
	wrmsr
	jmp	7f
8:	mov	FAULT_VEC, %r11
	shl	$16, %r11
	or	$2, %r11
	or	%r11, (%r12)
	mov	FAULT_ERR, %r11
	shl	$48, %r11
	or	%r11, (%r12)
7:	inc	%r10
	cmp	%rdi, %r10
	jb	3b
	movq	$0, FIXUP
	out	%al, $DONE_PORT
	hlt
END(msr_sweep)

	.section .note.GNU-stack, "", @progbits
