/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest payloads for guest_test.c.  Each is position-independent code
 * between NAME_start and NAME_end, copied into guest memory by the test.
 */
#define GUEST(name) .globl name##_start, name##_end; name##_start:
#define END(name) name##_end:

	.section .rodata

	.code16
GUEST(real_out)
	mov	$0x42, %al
	out	%al, $0x10
	mov	$0x1234, %bx
	hlt
END(real_out)

	.code64
GUEST(cpuid_out)
	mov	$1, %eax
	xor	%ecx, %ecx
	cpuid
	mov	%ecx, %eax
	out	%eax, $0x10
	mov	$0x80000001, %eax
	cpuid
	mov	%ecx, %eax
	out	%eax, $0x10
	hlt
END(cpuid_out)

GUEST(mmio)
	movl	$0xdeadbeef, 0x30000000
	mov	0x30000008, %rbx
	movzbl	0x30000010, %ecx
	mov	%bl, 0x30000018
	hlt
END(mmio)

GUEST(hypercall)
	mov	$0x5356, %eax
	vmmcall
	mov	%rax, %rbx
	mov	$0x7777, %eax
	vmmcall
	hlt
END(hypercall)

GUEST(msr)
	mov	$0x277, %ecx
	rdmsr
	mov	%eax, %ebx
	mov	$0xc0000081, %ecx
	mov	$0x11223344, %eax
	mov	$0x5566, %edx
	wrmsr
	xor	%eax, %eax
	xor	%edx, %edx
	rdmsr
	hlt
END(msr)

GUEST(bad_msr)
	mov	$0x12345, %ecx
	rdmsr
	hlt
END(bad_msr)

GUEST(spin)
1:	jmp	1b
END(spin)

GUEST(outs)
	lea	2f(%rip), %rsi
	mov	$5, %ecx
	mov	$0x10, %dx
	cld
	rep outsb
	hlt
2:	.ascii	"hello"
END(outs)

/* An instruction svmhv does not decode, on MMIO. */
GUEST(mmio_add)
	add	%eax, 0x30000000
	hlt
END(mmio_add)

/* OUT the 32-bit word at guest-physical 0x100000, forever. */
GUEST(report)
1:	mov	0x100000, %eax
	out	%eax, $0x12
	jmp	1b
END(report)

/* Count in RAX, one OUT to port 0x11 per step, forever. */
GUEST(counter)
	xor	%eax, %eax
1:	inc	%eax
	out	%eax, $0x11
	jmp	1b
END(counter)

/*
 * Memory round trip: sum the 64-bit words at [RSI, RSI + RCX * 8) into
 * RBX, write the complement of each word back, then HLT.
 */
GUEST(sum_flip)
	xor	%ebx, %ebx
1:	mov	(%rsi), %rax
	add	%rax, %rbx
	not	%rax
	mov	%rax, (%rsi)
	add	$8, %rsi
	dec	%rcx
	jnz	1b
	hlt
END(sum_flip)

	.section .note.GNU-stack, "", @progbits
