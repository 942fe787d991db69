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

	.section .note.GNU-stack, "", @progbits
