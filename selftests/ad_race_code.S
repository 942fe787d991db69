/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guests of ad_race_test.c, one blob at AD_CODE_GPA: vCPU A starts at
 * ad_race_start, vCPU B at ad_race_b.  Both share the page table at
 * AD_PT_GPA, whose first AD_CTL_NPAGES entries map the pages at
 * AD_DATA_VA; the counters are in the control block (ad_race_code.h).
 */
#include "ad_race_code.h"

#define CTL(x)	(AD_CTL_GPA + AD_CTL_##x)

	.section .rodata
	.code64
	.globl ad_race_start, ad_race_end, ad_race_b

/*
 * A: passes over the pages, each page flushed from the TLB (INVLPG, or
 * a CR3 reload when the test asks), read (its entry walked and made
 * accessed) and written (made dirty).  Pass n finds n - 1 in each page
 * and leaves n.  A samples B's "done" before each pass: the pass after
 * B's last write is the last one.
 */
ad_race_start:
	movq	$1, CTL(A_GO)
	mov	CTL(CR3), %r10
	xor	%r8d, %r8d
1:	mov	CTL(B_DONE), %r9
	lea	1(%r8), %rdx
	mov	$AD_DATA_VA, %rsi
	mov	CTL(NPAGES), %rcx
2:	test	%r10, %r10
	jnz	3f
	invlpg	(%rsi)
	jmp	4f
3:	mov	%cr3, %rax
	mov	%rax, %cr3
4:	mov	(%rsi), %rax
	cmp	%r8, %rax
	je	5f
	incq	CTL(A_BAD)
5:	mov	%rdx, (%rsi)
	add	$4096, %rsi
	dec	%rcx
	jnz	2b
	mov	%rdx, %r8
	mov	%r8, CTL(A_PASSES)
	test	%r9, %r9
	jz	1b
	hlt

/*
 * B: rounds over the entries of those pages until the test says stop.
 * Entry i has had c = count[i] writes of B's; B owns bit 9 (c's bit 0)
 * and bits 52-58 (c mod 128).  Each write is a LOCK CMPXCHG of what B
 * read with its bits made c + 1's and A and D cleared (so that A's next
 * access after its flush walks again); before each, what B read is
 * checked against c: a difference is a write of B's that something
 * else overwrote.
 */
ad_race_b:
	movabs	$(AD_OWN_FIELD << AD_OWN_SHIFT | AD_OWN_LOW), %r12
	mov	%r12, %r13
	or	$(AD_PTE_A | AD_PTE_D), %r13
	not	%r13
1:	cmpq	$0, CTL(A_GO)
	jne	2f
	cmpq	$0, CTL(STOP)
	jne	9f
	pause
	jmp	1b
2:	mov	$AD_PT_GPA, %rsi
	mov	$AD_COUNT_GPA, %rdi
	mov	CTL(NPAGES), %rcx
3:	mov	(%rdi), %rdx
	mov	%rdx, %r10			/* own(c) */
	shl	$AD_OWN_SHIFT, %r10
	mov	%rdx, %r8
	and	$1, %r8
	shl	$9, %r8
	or	%r8, %r10
	and	%r12, %r10
	lea	1(%rdx), %r11			/* own(c + 1) */
	shl	$AD_OWN_SHIFT, %r11
	lea	1(%rdx), %r8
	and	$1, %r8
	shl	$9, %r8
	or	%r8, %r11
	and	%r12, %r11
	mov	(%rsi), %rax
4:	mov	%rax, %rbx
	xor	%r10, %rbx
	bt	$9, %rbx
	jnc	5f
	incq	CTL(B_LOST9)
5:	shr	$AD_OWN_SHIFT, %rbx
	and	$AD_OWN_FIELD, %ebx
	jz	6f
	incq	CTL(B_LOST)
6:	mov	%rax, %rbx
	and	%r13, %rbx
	or	%r11, %rbx
	lock cmpxchg %rbx, (%rsi)
	jz	7f
	incq	CTL(B_RETRY)
	jmp	4b
7:	inc	%rdx
	mov	%rdx, (%rdi)
	add	$8, %rsi
	add	$8, %rdi
	dec	%rcx
	jnz	3b
	incq	CTL(B_ROUNDS)
	cmpq	$0, CTL(STOP)
	je	2b
9:	movq	$1, CTL(B_DONE)
	hlt
ad_race_end:

	.section .note.GNU-stack, "", @progbits
