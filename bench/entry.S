/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entry and exception stubs of the benchmark payloads (guest.h).
 *
 * svmhv-run starts the payload here with RDI, RSI and RDX already as
 * bench_main() takes them and RSP at 0x80000.  bench_init() sets up
 * the IDT and the page pool first; bench_main()'s return value is the
 * exit status.
 *
 * Each of the 32 exception vectors has a stub that pushes a zero where
 * the CPU pushes no error code, then the vector, so every frame looks
 * the same to exception_common, which saves the registers the C
 * handler may change and calls bench_exception(vector, error).
 */
	.code64

	.section .text.start, "ax"
	.globl	start
start:
	push	%rdi
	push	%rsi
	push	%rdx
	push	%rdx			/* the calls want RSP 16-byte aligned */
	mov	%rdx, %rdi
	call	bench_init
	pop	%rdx
	pop	%rdx
	pop	%rsi
	pop	%rdi
	call	bench_main
	mov	%rax, %rdi
	call	bench_exit

	.text
/* Vectors with an error code: #DF, #TS, #NP, #SS, #GP, #PF, #AC, #CP. */
#define STUB(v)		stub_##v: push $0; push $v; jmp exception_common
#define STUB_ERR(v)	stub_##v: push $v; jmp exception_common

STUB(0)
STUB(1)
STUB(2)
STUB(3)
STUB(4)
STUB(5)
STUB(6)
STUB(7)
STUB_ERR(8)
STUB(9)
STUB_ERR(10)
STUB_ERR(11)
STUB_ERR(12)
STUB_ERR(13)
STUB_ERR(14)
STUB(15)
STUB(16)
STUB_ERR(17)
STUB(18)
STUB(19)
STUB(20)
STUB_ERR(21)
STUB(22)
STUB(23)
STUB(24)
STUB(25)
STUB(26)
STUB(27)
STUB(28)
STUB(29)
STUB(30)
STUB(31)

	.section .rodata
	.globl	exception_stubs
exception_stubs:
	.quad	stub_0, stub_1, stub_2, stub_3
	.quad	stub_4, stub_5, stub_6, stub_7
	.quad	stub_8, stub_9, stub_10, stub_11
	.quad	stub_12, stub_13, stub_14, stub_15
	.quad	stub_16, stub_17, stub_18, stub_19
	.quad	stub_20, stub_21, stub_22, stub_23
	.quad	stub_24, stub_25, stub_26, stub_27
	.quad	stub_28, stub_29, stub_30, stub_31

	.text
/*
 * The CPU aligned RSP to 16 before its 5-word frame; with the error
 * code, the vector and 9 registers the call below is made on a 16-byte
 * boundary, as the C ABI wants.
 */
exception_common:
	push	%rax
	push	%rcx
	push	%rdx
	push	%rsi
	push	%rdi
	push	%r8
	push	%r9
	push	%r10
	push	%r11
	mov	72(%rsp), %rdi		/* vector */
	mov	80(%rsp), %rsi		/* error code */
	call	bench_exception
	pop	%r11
	pop	%r10
	pop	%r9
	pop	%r8
	pop	%rdi
	pop	%rsi
	pop	%rdx
	pop	%rcx
	pop	%rax
	add	$16, %rsp
	iretq

	.section .note.GNU-stack, "", @progbits
