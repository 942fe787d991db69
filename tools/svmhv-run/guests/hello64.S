/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Long-mode hello guest for svmhv-run: prints a line, leaves a few
 * values in registers for --dump-regs to compare across hypervisors
 * (CPUID's vendor leaf and a sum over the first 64 KiB of its memory),
 * and ends the run through the debug exit port with status 0.
 */
	.code64
	.globl	start
start:
	lea	msg(%rip), %rsi
	mov	$0x3f8, %dx
1:	lodsb
	test	%al, %al
	jz	2f
	out	%al, %dx
	jmp	1b
2:	xor	%eax, %eax
	cpuid
	mov	%rbx, %r8
	mov	%rdx, %r9
	mov	%rcx, %r10
	/* Sum the bytes of guest memory 0x10000-0x1ffff (this code and 0s). */
	mov	$0x10000, %rsi
	xor	%r11, %r11
	mov	$0x10000, %ecx
3:	movzbl	(%rsi), %eax
	add	%rax, %r11
	inc	%rsi
	loop	3b
	mov	$0xf4, %dx
	xor	%al, %al
	out	%al, %dx
	hlt

msg:	.asciz	"Hello from long mode\n"

	.section .note.GNU-stack, "", @progbits
