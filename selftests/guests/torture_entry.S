/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entry, #PF handler and probes of the paging torture guest (torture.c).
 * Built 64-bit (TORTURE_LONG) or 32-bit (PAE and two-level paging).
 *
 * A probe is a leaf function whose one memory access may fault; the #PF
 * handler records the error code and CR2 and resumes at probe_fixup, a
 * bare "ret": for a data probe that returns to the probe's caller, for
 * an instruction-fetch probe (a call into the page) it returns to the
 * caller of the call.
 */
#ifdef TORTURE_LONG
	.code64
#define AX	%rax
#define CX	%rcx
#define SP	%rsp
#define WORD	.quad
#else
	.code32
#define AX	%eax
#define CX	%ecx
#define SP	%esp
#define WORD	.long
#endif

	.section .text.start, "ax"
	.globl	start
start:
	call	torture_main
	mov	$0xf4, %dx
	out	%al, %dx
	hlt

	.text
	.globl	pf_entry
pf_entry:
#ifdef TORTURE_LONG
	pop	fault_error(%rip)
	mov	%cr2, %rax
	mov	%rax, fault_addr(%rip)
	movl	$1, faulted(%rip)
	lea	probe_fixup(%rip), %rax
	mov	%rax, (%rsp)
	iretq
#else
	popl	fault_error
	push	%eax
	mov	%cr2, %eax
	mov	%eax, fault_addr
	movl	$1, faulted
	movl	$probe_fixup, 4(%esp)
	pop	%eax
	iret
#endif

/* Any other exception: report its vector through the exit port. */
	.globl	bad_entry
bad_entry:
	mov	$0xf4, %dx
	mov	$99, %al
	out	%al, %dx
	hlt

	.globl	probe_fixup
probe_fixup:
	ret

/* unsigned long probe_read(unsigned long addr) */
	.globl	probe_read
probe_read:
#ifdef TORTURE_LONG
	mov	(%rdi), %eax
#else
	mov	4(%esp), %ecx
	mov	(%ecx), %eax
#endif
	ret

/* void probe_write(unsigned long addr, unsigned int val) */
	.globl	probe_write
probe_write:
#ifdef TORTURE_LONG
	mov	%esi, (%rdi)
#else
	mov	4(%esp), %ecx
	mov	8(%esp), %eax
	mov	%eax, (%ecx)
#endif
	ret

/* void probe_exec(unsigned long addr): calls a RET at @addr */
	.globl	probe_exec
probe_exec:
#ifdef TORTURE_LONG
	call	*%rdi
#else
	mov	4(%esp), %ecx
	call	*%ecx
#endif
	ret

	.section .note.GNU-stack, "", @progbits
