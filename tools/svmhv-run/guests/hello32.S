/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 32-bit hello guest for svmhv-run: runs flat at its load address in
 * protected mode, 32-bit paging or PAE paging, and says which of the
 * three it finds itself in by reading CR0 and CR4.  Then it ends the run
 * through the debug exit port with status 0.
 */
	.code32
	.globl	start
start:
	mov	$msg_hello, %esi
	call	puts
	mov	%cr0, %eax
	test	$0x80000000, %eax
	jz	1f
	mov	%cr4, %eax
	test	$0x20, %eax
	jnz	2f
	mov	$msg_paged, %esi
	jmp	3f
1:	mov	$msg_prot, %esi
	jmp	3f
2:	mov	$msg_pae, %esi
3:	call	puts
	mov	$0xf4, %dx
	xor	%al, %al
	out	%al, %dx
	hlt

/* Print the NUL-terminated string at %esi on port 0x3f8. */
puts:
	mov	$0x3f8, %dx
1:	lodsb
	test	%al, %al
	jz	2f
	out	%al, %dx
	jmp	1b
2:	ret

msg_hello:	.asciz	"Hello from "
msg_prot:	.asciz	"32-bit protected mode\n"
msg_paged:	.asciz	"32-bit paged mode\n"
msg_pae:	.asciz	"PAE paged mode\n"

	.section .note.GNU-stack, "", @progbits
