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
	mov	%rax, %rsi
	mov	%rdx, %rdi
	mov	$0xc0000080, %ecx	/* EFER: SVME stays hidden */
	rdmsr
	mov	%rax, %r8
	mov	%rsi, %rax
	mov	%rdi, %rdx
	hlt
END(msr)

/*
 * Port input of every size, then REP INSB of 4 bytes to 0x90000; RAX
 * starts all ones (the test sets it) to show how each size merges.
 */
GUEST(port_in)
	mov	$0x20, %dx
	in	%dx, %al
	mov	%rax, %rbx
	in	%dx, %ax
	mov	%rax, %r9
	in	$0x21, %eax
	mov	%rax, %r8
	mov	$0x90000, %edi
	mov	$4, %ecx
	mov	$0x22, %dx
	cld
	rep insb
	hlt
END(port_in)

/*
 * Every SVM instruction but VMMCALL must be #UD: install a #UD handler
 * that reports vector 6 on port 0x13 and steps over the 3-byte
 * instruction, then execute them all.
 */
GUEST(svm_insns)
	lea	3f(%rip), %rdx
	mov	%rdx, %rax
	and	$0xffff, %eax
	or	$0x80000, %eax		/* selector 8 */
	mov	%rdx, %rcx
	shr	$16, %rcx
	and	$0xffff, %ecx
	shl	$48, %rcx
	or	%rcx, %rax
	movabs	$0x8e0000000000, %rcx	/* present interrupt gate */
	or	%rcx, %rax
	lea	4f(%rip), %rdi
	mov	%rax, 96(%rdi)
	shr	$32, %rdx
	mov	%rdx, 104(%rdi)
	sub	$16, %rsp
	movw	$111, (%rsp)
	mov	%rdi, 2(%rsp)
	lidt	(%rsp)
	xor	%eax, %eax		/* a page-aligned rAX: no #GP first */
	vmrun
	vmload
	vmsave
	stgi
	clgi
	skinit
	invlpga
	hlt
3:	push	%rax
	mov	$6, %eax
	out	%eax, $0x13
	addq	$3, 8(%rsp)
	pop	%rax
	iretq
	.balign	16
4:	.fill	7 * 16, 1, 0
END(svm_insns)

GUEST(bad_msr)
	mov	$0x12345, %ecx
	rdmsr
	hlt
END(bad_msr)

/*
 * MSR accesses that exit to userspace (guest_test's user_space_msr
 * tests): each step's result is left in a register for the test.
 */
GUEST(user_msr)
	mov	$0x474f4f00, %ecx	/* an MSR nobody has: UNKNOWN */
	rdmsr
	mov	%eax, %r8d
	mov	%edx, %r9d
	mov	$0xc0000082, %ecx	/* LSTAR, filtered for reads: FILTER */
	rdmsr
	mov	%eax, %ebx
	mov	$0xc0000080, %ecx	/* EFER, bit 63 reserved: INVAL */
	rdmsr
	mov	$0x80000000, %edx
	wrmsr
	rdmsr				/* the EFER the write left */
	hlt
	mov	$0x474f4f00, %ecx	/* refused by userspace: #GP */
	mov	$7, %eax
	xor	%edx, %edx
	wrmsr
	hlt
END(user_msr)

/*
 * Interrupts injected by userspace (guest_test): IF clear at the first
 * exit, then set until the interrupt comes; user_irq_handler says which
 * vector came (the stub pushed it) and what CR8 is.
 */
GUEST(user_irq)
	cli
	mov	$1, %al
	out	%al, $0x10
	sti
1:	jmp	1b
END(user_irq)

GUEST(user_irq_handler)
	pop	%rax
	out	%eax, $0x11
	mov	%cr8, %rax
	out	%eax, $0x12
	hlt
END(user_irq_handler)

/*
 * NMIs from the VMM (guest_test): with IF clear, the guest says where it
 * is (port 0x10), waits for two NMIs, then reports how many came, its
 * RFLAGS.TF (none left behind) and DR6 (no single-step bit left behind).
 * nmi_handler reports each NMI's vector (port 0x11) and that none came
 * while another was being handled (port 0x13, 1 if one did).
 */
GUEST(nmi)
	cli
	xor	%ebx, %ebx
	xor	%ebp, %ebp
	mov	$1, %al
	out	%al, $0x10
1:	cmp	$2, %ebx
	jb	1b
	mov	%ebx, %eax
	out	%eax, $0x12
	pushf
	pop	%rax
	and	$0x100, %eax		/* TF */
	out	%eax, $0x12
	mov	%dr6, %rax
	out	%eax, $0x12
	hlt
END(nmi)

GUEST(nmi_handler)
	pop	%rax
	cmp	$0, %ebp
	jne	2f
	inc	%ebp
	out	%eax, $0x11
	mov	$100, %ecx
1:	loop	1b
	inc	%ebx
	dec	%ebp
	iretq
2:	mov	$1, %eax
	out	%eax, $0x13
	hlt
END(nmi_handler)

/*
 * Machine checks (guest_test): CR4.MCE on; MCG_CAP (port 0x11); with
 * HWCR.McStatusWrEn, a nonzero MC2_STATUS written and read back (port
 * 0x11); then the VMM raises a machine check (port 0x10).  mce_handler
 * reports the vector, MC1_STATUS's high half and MCG_STATUS (port 0x12).
 */
GUEST(mce)
	mov	%cr4, %rax
	or	$0x40, %eax
	mov	%rax, %cr4
	mov	$0x179, %ecx
	rdmsr
	out	%eax, $0x11
	mov	$0xc0010015, %ecx
	mov	$0x40000, %eax
	xor	%edx, %edx
	wrmsr
	mov	$0x409, %ecx
	mov	$7, %eax
	wrmsr
	xor	%eax, %eax
	rdmsr
	out	%eax, $0x11
	mov	$1, %al
	out	%al, $0x10
1:	jmp	1b
END(mce)

GUEST(mce_handler)
	pop	%rax
	out	%eax, $0x12
	mov	$0x405, %ecx
	rdmsr
	mov	%edx, %eax
	out	%eax, $0x12
	mov	$0x17a, %ecx
	rdmsr
	out	%eax, $0x12
	hlt
END(mce_handler)

/* MTRRs (guest_test): MTRRcap to R8, a fixed range read back to R9. */
GUEST(mtrr)
	mov	$0xfe, %ecx
	rdmsr
	mov	%eax, %r8d
	mov	$0x200, %ecx		/* 2G up, write-back */
	mov	$0x80000006, %eax
	xor	%edx, %edx
	wrmsr
	mov	$0x201, %ecx		/* 1G long, valid */
	mov	$0xc0000800, %eax
	wrmsr
	mov	$0x268, %ecx
	mov	$0x06060606, %eax
	mov	$0x05050505, %edx
	wrmsr
	xor	%edx, %edx
	rdmsr
	mov	%edx, %r9d
	hlt
END(mtrr)

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
GUEST(mmio_cmpxchg)
	cmpxchg	%ecx, 0x30000000
	hlt
END(mmio_cmpxchg)

/*
 * Read-modify-write, compare and bit test on MMIO; the flags each leaves
 * go to R8, R9, R11 and R10 for the test to check.
 */
GUEST(mmio_alu)
	mov	$0x0f, %eax
	orl	$0xf0, 0x30000000
	addl	%eax, 0x30000004
	pushfq
	pop	%r8
	cmpb	$0x80, 0x30000008
	pushfq
	pop	%r9
	mov	$0x100, %edx
	subq	0x30000010, %rdx
	pushfq
	pop	%r11
	btsl	$5, 0x30000018
	mov	$3, %ecx
	btl	%ecx, 0x3000001c
	sbb	%r10, %r10
	hlt
END(mmio_alu)

/* REP STOS and MOVS from RAM, to RAM and between MMIO, one way and back. */
GUEST(mmio_string)
	cld
	mov	$0x30000100, %edi
	mov	$3, %ecx
	mov	$0x41, %al
	rep stosb
	mov	%rdi, %r8
	mov	%rcx, %r9
	lea	1f(%rip), %rsi
	mov	$0x30000200, %edi
	mov	$2, %ecx
	rep movsl
	mov	$0x30000300, %esi
	mov	$0x20000, %edi
	movsq
	mov	0x20000, %rbx
	std
	mov	$0x30000408, %esi
	mov	$0x30000508, %edi
	movsw
	cld
	mov	%rsi, %r10
	mov	%rdi, %r11
	hlt
1:	.long	0x11223344, 0x55667788
END(mmio_string)

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

/*
 * The isolation scan (mmu_test.c): map the first 512 GiB of guest-
 * physical space with 1G pages (PML4 at 0xa000, PDPT at 0xb000), check
 * the last word of every 4K page from 1 MiB to RDI (the host stored its
 * address XOR 0x5a5a...), then read every 2 MiB from RDI to 4 GiB and
 * every 1 GiB on to 512 GiB, where the host answers each MMIO read with
 * the complement of its address.  Leaves the pages checked in RBX, the
 * MMIO reads in RCX, the mismatches in RDX, then HLT.
 */
GUEST(scan)
	mov	$0xb000, %r12
	xor	%ecx, %ecx
1:	mov	%rcx, %rax
	shl	$30, %rax
	or	$0x83, %rax
	mov	%rax, (%r12, %rcx, 8)
	inc	%ecx
	cmp	$512, %ecx
	jne	1b
	movq	$0xb003, 0xa000
	mov	$0xa000, %eax
	mov	%rax, %cr3
	xor	%ebx, %ebx
	xor	%ecx, %ecx
	xor	%edx, %edx
	mov	$0x100000, %esi
	movabs	$0x5a5a5a5a5a5a5a5a, %r11
2:	mov	0xff8(%rsi), %rax
	xor	%rsi, %rax
	cmp	%r11, %rax
	je	3f
	inc	%rdx
3:	inc	%rbx
	add	$0x1000, %rsi
	cmp	%rdi, %rsi
	jb	2b
	movabs	$0x100000000, %r12
4:	mov	(%rsi), %rax
	not	%rax
	cmp	%rsi, %rax
	je	5f
	inc	%rdx
5:	inc	%rcx
	add	$0x200000, %rsi
	cmp	%r12, %rsi
	jb	4b
	movabs	$0x8000000000, %r12
6:	mov	(%rsi), %rax
	not	%rax
	cmp	%rsi, %rax
	je	7f
	inc	%rdx
7:	inc	%rcx
	add	$0x40000000, %rsi
	cmp	%r12, %rsi
	jb	6b
	hlt
END(scan)

/* Store 0x1234 at 0x200000, then HLT. */
GUEST(store)
	mov	$0x1234, %eax
	mov	%rax, 0x200000
	hlt
END(store)

/* CPUID leaf 1's ECX into R8, leaf 7's EBX into R9, then HLT. */
GUEST(features)
	mov	$1, %eax
	xor	%ecx, %ecx
	cpuid
	mov	%rcx, %r8
	mov	$7, %eax
	xor	%ecx, %ecx
	cpuid
	mov	%rbx, %r9
	hlt
END(features)

/*
 * The floor's guest (SVMHV_RUN_FLOOR): VMMCALL until the byte at guest-
 * physical 0x20000 is nonzero, then OUT it to port 0x12 and HLT.
 */
GUEST(vmmcall_loop)
1:	vmmcall
	movzbl	0x20000, %eax
	test	%eax, %eax
	jz	1b
	out	%eax, $0x12
	hlt
END(vmmcall_loop)

/*
 * VMMCALLs whose length the host must find again each time (without NRIP
 * save it decodes the bytes at RIP), at the same linear address with the
 * mapping or the bytes changed in between, and one across a page
 * boundary; each returns to its caller.  The test maps 0x0-0x1fffff with
 * 4K pages (the table at 0x5000); 0x43000 maps to 0x43000 (four CS
 * prefixes, 7 bytes, RET) and is switched to 0x50000 (3 bytes, RET, then
 * HLTs where a 7-byte step would land).  An odd page: the INVLPG's own
 * fetch, from the even page 0x10000, must not be what makes the host
 * look at 0x43000 afresh.  Ends with OUT 0x600d to port 0x10, then HLT.
 */
GUEST(vmmcall_remap)
	mov	$0x43000, %esi
	call	*%rsi
	movq	$0x50003, 0x5000 + 0x43 * 8
	invlpg	(%rsi)
	call	*%rsi
	movabs	$0xc3d9010f2e2e2e2e, %rax	/* long again, in place */
	mov	%rax, 0x50000
	call	*%rsi
	movabs	$0xf4f4f4f4c3d9010f, %rax	/* and short */
	mov	%rax, 0x50000
	call	*%rsi
	mov	$0x41ffc, %esi			/* 66 48 0f 01 | d9, RET */
	call	*%rsi
	mov	$0x600d, %eax
	out	%eax, $0x10
	hlt
END(vmmcall_remap)

	.code16
/* A prefixed VMMCALL in real mode: 6 bytes, then OUT 0x42 to 0x10. */
GUEST(vmmcall_real)
	.byte	0x66, 0x67, 0x2e, 0x0f, 0x01, 0xd9
	mov	$0x42, %al
	out	%al, $0x10
	hlt
END(vmmcall_real)

	.section .note.GNU-stack, "", @progbits
