/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest of dirty_test.c (64-bit, identity-mapped): it runs the list
 * of commands at DIRTY_CMDS, one 8-byte word each, until a zero word,
 * then halts; each KVM_RUN after the HLT runs the list again.  A command
 * is an address with its low two bits saying what to do there:
 *   0  read 8 bytes
 *   1  write the address itself (8 bytes)
 *   2  rep insb: 16 bytes from port 0xe8
 */
#define GUEST(name) .globl name##_start, name##_end; name##_start:
#define END(name) name##_end:
#define DIRTY_CMDS	0x20000

	.section .rodata
	.code64
GUEST(dirty_cmds)
1:	mov	$DIRTY_CMDS, %esi
2:	mov	(%rsi), %rax
	add	$8, %rsi
	test	%rax, %rax
	jz	5f
	mov	%eax, %ebx
	and	$3, %ebx
	and	$-4, %rax
	cmp	$1, %ebx
	je	3f
	cmp	$2, %ebx
	je	4f
	mov	(%rax), %rdx
	jmp	2b
3:	mov	%rax, (%rax)
	jmp	2b
4:	mov	%rax, %rdi
	mov	$16, %ecx
	mov	$0xe8, %edx
	cld
	rep insb
	jmp	2b
5:	hlt
	jmp	1b
END(dirty_cmds)

	.section .note.GNU-stack, "", @progbits
