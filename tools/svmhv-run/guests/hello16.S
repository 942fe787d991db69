/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Real-mode hello guest for svmhv-run: loaded at CS:0 by the loader,
 * prints a line on the output port, then ends the run through the debug
 * exit port with status 0.
 */
	.code16
	.globl	start
start:
	mov	%cs, %ax
	mov	%ax, %ds
	mov	$msg, %si
	mov	$0x3f8, %dx
1:	lodsb
	test	%al, %al
	jz	2f
	out	%al, %dx
	jmp	1b
2:	mov	$0xf4, %dx
	xor	%al, %al
	out	%al, %dx
	hlt

msg:	.asciz	"Hello from real mode\n"

	.section .note.GNU-stack, "", @progbits
