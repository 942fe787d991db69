/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest payloads for isolation_test.c: each probes one piece of state
 * the guest must not share with the host.  Results go out on port 0x10
 * (and 0x11); the exception handler reports a vector on 0xe0 and its
 * error code on 0xe1, then halts.
 */
#define GUEST(name) .globl name##_start, name##_end; name##_start:
#define END(name) name##_end:

	.section .rodata

	.code16
GUEST(iso_real_out)
	mov	$0x42, %al
	out	%al, $0x10
	hlt
END(iso_real_out)

	/* Paging off: 0x20000 is guest-physical 0x20000, in the slot. */
	.code32
GUEST(iso_prot32_read)
	mov	0x20000, %eax
	out	%eax, $0x10
	hlt
END(iso_prot32_read)

	.code64
/* The exception handler: the stub pushed the error code, then the vector. */
GUEST(iso_exc)
	pop	%rax
	out	%eax, $0xe0
	pop	%rax
	out	%eax, $0xe1
	hlt
END(iso_exc)

/* Read the qword at RDI. */
GUEST(iso_load)
	mov	(%rdi), %rax
	out	%eax, $0x10
	hlt
END(iso_load)

/* An IN whose result is sent back out. */
GUEST(iso_in_out)
	in	$0x20, %al
	out	%al, $0x21
	hlt
END(iso_in_out)

/* An MMIO load whose result is sent back out. */
GUEST(iso_mmio_out)
	mov	0x30000000, %eax
	out	%eax, $0x21
	hlt
END(iso_mmio_out)

GUEST(iso_rdtscp)
	rdtscp
	mov	%ecx, %eax
	out	%eax, $0x10
	hlt
END(iso_rdtscp)

GUEST(iso_rdpid)
	rdpid	%rax
	out	%eax, $0x10
	hlt
END(iso_rdpid)

/* INVD and WBINVD go on; RDPMC of counter 0 reads a counter or faults. */
GUEST(iso_cache_pmc)
	invd
	wbinvd
	mov	$0x55, %eax
	out	%eax, $0x10
	xor	%ecx, %ecx
	rdpmc
	out	%eax, $0x11
	hlt
END(iso_cache_pmc)

/*
 * Turn on CR4.OSXSAVE and, where XCR0 does not have it yet, the YMM state
 * (kvm_amd starts the guest with XCR0 = 1; svmhv never switched XCR0, so
 * the guest had the host's), then read the upper half of YMM0.
 */
GUEST(iso_osxsave)
	mov	%cr4, %rax
	or	$(1 << 18), %rax
	mov	%rax, %cr4
	xor	%ecx, %ecx
	xgetbv
	test	$4, %al
	jnz	1f
	mov	$7, %eax
	xor	%edx, %edx
	xsetbv
1:	vextractf128 $1, %ymm0, %xmm1
	movq	%xmm1, %rax
	out	%eax, $0x10
	shr	$32, %rax
	out	%eax, $0x11
	hlt
END(iso_osxsave)

/*
 * Read DR0-DR3 and DR7 (out on 0x10 each), write DR1, exit twice (0x11)
 * and read DR1 back (0x10).
 */
GUEST(iso_dr_read)
	mov	%dr0, %rax
	out	%eax, $0x10
	mov	%dr1, %rax
	out	%eax, $0x10
	mov	%dr2, %rax
	out	%eax, $0x10
	mov	%dr3, %rax
	out	%eax, $0x10
	mov	%dr7, %rax
	out	%eax, $0x10
	mov	$0x5a5a0000, %eax
	mov	%rax, %dr1
	out	%eax, $0x11
	out	%eax, $0x11
	mov	%dr1, %rax
	out	%eax, $0x10
	hlt
END(iso_dr_read)

/*
 * Two #DBs, each reported by iso_db_handler (DR6 on 0x12, the RIP it
 * returns to on 0x13): an instruction breakpoint (DR0), a fault, which
 * the handler steps over with RFLAGS.RF, and the single-step trap after
 * a CPUID (an instruction svmhv steps over).  A data breakpoint would be
 * the plainer case, but the test machine's emulator crashes with one
 * (docs/security.md).
 */
GUEST(iso_db)
	lea	iso_db_bp_here(%rip), %rax
	mov	%rax, %dr0
	mov	$0x401, %eax			/* L0, instruction */
	mov	%rax, %dr7
	.globl iso_db_bp_here
iso_db_bp_here:
	nop
	xor	%eax, %eax
	pushfq
	orq	$0x100, (%rsp)			/* TF */
	popfq
	cpuid					/* the first step */
	.globl iso_db_after_cpuid
iso_db_after_cpuid:
	mov	$0x400, %eax			/* breakpoints off again */
	mov	%rax, %dr7
	hlt
	.globl iso_db_handler
iso_db_handler:
	add	$16, %rsp			/* the stub's vector and 0 */
	mov	%dr6, %rax
	out	%eax, $0x12
	mov	(%rsp), %rax
	out	%eax, $0x13
	mov	$0xffff0ff0, %eax		/* DR6 at rest */
	mov	%rax, %dr6
	andq	$~0x100, 16(%rsp)		/* no more single steps */
	orq	$0x10000, 16(%rsp)		/* RF: past the breakpoint */
	iretq
END(iso_db)

/* CR4 as read (0x10), with MCE set (0x10), and cleared again (0x10). */
GUEST(iso_cr4_mce)
	mov	%cr4, %rax
	out	%eax, $0x10
	or	$0x40, %rax
	mov	%rax, %cr4
	mov	%cr4, %rax
	out	%eax, $0x10
	and	$~0x40, %rax
	mov	%rax, %cr4
	mov	%cr4, %rax
	out	%eax, $0x10
	hlt
END(iso_cr4_mce)

	.section .note.GNU-stack, "", @progbits
