/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest code for irq_test.c: the interrupt and exception handlers its
 * IDT stubs jump to, and the programs.  Everything is long-mode code
 * copied to fixed guest addresses (irq_test.c has the memory map); the
 * programs start with RFLAGS.IF clear and report on the ports and in the
 * cells of irq_code.h.
 */
#include "irq_code.h"

#define GUEST(name) .globl name##_start, name##_end; name##_start:
#define END(name) name##_end:

/* Initialize both PICs as Linux does (vectors 0x20 and 0x28), masked so. */
.macro PIC_INIT master_mask, slave_mask
	mov	$0x11, %al		/* ICW1: edge, cascade, ICW4 */
	out	%al, $0x20
	out	%al, $0xa0
	mov	$PIC_BASE, %al		/* ICW2 */
	out	%al, $0x21
	mov	$PIC_BASE + 8, %al
	out	%al, $0xa1
	mov	$0x04, %al		/* ICW3: slave on IR2 */
	out	%al, $0x21
	mov	$0x02, %al
	out	%al, $0xa1
	mov	$0x01, %al		/* ICW4: 8086 mode */
	out	%al, $0x21
	out	%al, $0xa1
	mov	\master_mask, %al	/* OCW1 */
	out	%al, $0x21
	mov	\slave_mask, %al
	out	%al, $0xa1
.endm

/* PIT channel 0 in mode 2 (rate generator) with the count in DI. */
.macro PIT_RATE
	mov	$0x34, %al
	out	%al, $0x43
	mov	%edi, %eax
	out	%al, $0x40
	mov	%ah, %al
	out	%al, $0x40
.endm

	.section .rodata
	.code64

/*
 * Every interrupt vector's stub pushes the vector and jumps here: count
 * it, remember it and where it came, read what the UART has for IRQ 4,
 * EOI to the PIC(s) (and to the local APIC for its timer's vectors),
 * return.
 */
GUEST(irq_handler)
	push	%rax
	push	%rdx
	mov	16(%rsp), %rax		/* the vector */
	incq	COUNTS(, %rax, 8)
	mov	%rax, LAST_VEC
	mov	24(%rsp), %rdx		/* the RIP it interrupted */
	mov	%rdx, LAST_RIP
	cmp	$PIC_BASE + 4, %eax
	jne	2f
1:	mov	$0x3fd, %dx		/* LSR: data ready? */
	in	%dx, %al
	test	$1, %al
	jz	2f
	mov	$0x3f8, %dx
	in	%dx, %al
	movzbl	%al, %eax
	mov	%rax, UART_BYTE
	incq	UART_N
	jmp	1b
2:	mov	$0x20, %al		/* non-specific EOI */
	cmpq	$PIC_BASE + 8, 16(%rsp)
	jb	3f
	out	%al, $0xa0
3:	out	%al, $0x20
	cmpq	$TIMER_VEC, 16(%rsp)	/* the APIC timer's: its EOI too */
	jb	4f
	mov	$APIC_GPA, %edx
	movl	$0, APIC_EOI(%rdx)
4:	pop	%rdx
	pop	%rax
	add	$8, %rsp
	iretq
END(irq_handler)

/* Every exception's stub pushes the vector and jumps here. */
GUEST(exc_handler)
	pop	%rax
	out	%eax, $EXC_PORT
1:	cli
	hlt
	jmp	1b
END(exc_handler)

/* IRQ 0 every DI PIT ticks; HLT (ESI = 0) or spin (ESI != 0) forever. */
GUEST(irq_pit)
	PIC_INIT $0xfe, $0xff
	PIT_RATE
	sti
	test	%esi, %esi
	jnz	2f
1:	hlt
	jmp	1b
2:	jmp	2b
END(irq_pit)

/* HLT until IRQ 3 comes, then report its vector. */
GUEST(irq_wait)
	PIC_INIT $0xf7, $0xff
	sti
1:	hlt
	cmpq	$0, COUNTS + 8 * (PIC_BASE + 3)
	je	1b
	cli
	mov	LAST_VEC, %rax
	out	%eax, $REPORT_PORT
	hlt
END(irq_wait)

/*
 * IRQ 3 raised while IF=0: not taken (report the count, 0), then taken
 * once STI's shadow is over: report the RIP it interrupted and the
 * count.  The instruction in the shadow first writes a page never
 * touched (under shadow paging a #PF exit inside the shadow), then is a
 * HLT (which RIP moves past: the shadow ends with it).
 */
GUEST(irq_window)
	PIC_INIT $0xf7, $0xff
	out	%al, $RAISE_PORT
	mov	$100000, %ecx
1:	dec	%ecx
	jnz	1b
	mov	COUNTS + 8 * (PIC_BASE + 3), %rax
	out	%eax, $REPORT_PORT
	sti
	movq	$1, 0x300000
	.globl irq_window_after
irq_window_after:
	cli
	mov	LAST_RIP, %rax
	out	%eax, $REPORT_PORT
	mov	COUNTS + 8 * (PIC_BASE + 3), %rax
	out	%eax, $REPORT_PORT
	out	%al, $RAISE_PORT
	sti
	hlt
	.globl irq_window_hlt
irq_window_hlt:
	cli
	mov	LAST_RIP, %rax
	out	%eax, $REPORT_PORT
	mov	COUNTS + 8 * (PIC_BASE + 3), %rax
	out	%eax, $REPORT_PORT
	hlt
END(irq_window)

/*
 * IRQ 5 raised while masked in the IMR: not taken with IF=1 (report 0);
 * unmasked, its latched edge is (report 1).
 */
GUEST(irq_mask)
	PIC_INIT $0xff, $0xff
	out	%al, $RAISE_PORT
	sti
	mov	$100000, %ecx
1:	dec	%ecx
	jnz	1b
	cli
	mov	COUNTS + 8 * (PIC_BASE + 5), %rax
	out	%eax, $REPORT_PORT
	mov	$0xdf, %al
	out	%al, $0x21
	sti
	nop
	nop
	cli
	mov	COUNTS + 8 * (PIC_BASE + 5), %rax
	out	%eax, $REPORT_PORT
	hlt
END(irq_mask)

/*
 * The UART: print a line byte by byte (waiting for THR empty) and one
 * with REP OUTSB, then HLT until IRQ 4 brings a byte; report it.
 */
GUEST(irq_uart)
	PIC_INIT $0xef, $0xff
	mov	$0x3fb, %dx
	mov	$0x03, %al		/* LCR: 8N1 */
	out	%al, %dx
	mov	$0x3fa, %dx
	mov	$0x07, %al		/* FCR: FIFOs on and cleared */
	out	%al, %dx
	mov	$0x3fc, %dx
	mov	$0x0b, %al		/* MCR: DTR, RTS, OUT2 */
	out	%al, %dx
	mov	$0x3f9, %dx
	mov	$0x01, %al		/* IER: received data */
	out	%al, %dx
	lea	5f(%rip), %rsi
	cld
1:	mov	$0x3fd, %dx
2:	in	%dx, %al
	test	$0x20, %al
	jz	2b
	lodsb
	test	%al, %al
	jz	3f
	mov	$0x3f8, %dx
	out	%al, %dx
	jmp	1b
3:	lea	6f(%rip), %rsi
	mov	$7f - 6f, %ecx
	mov	$0x3f8, %dx
	rep outsb
	sti
4:	hlt
	cmpq	$0, UART_N
	je	4b
	cli
	mov	UART_BYTE, %rax
	out	%eax, $REPORT_PORT
	hlt
5:	.asciz	"hello from the guest\n"
6:	.ascii	"and from rep outsb\n"
7:
END(irq_uart)

/*
 * CMOS registers B, 0 (seconds), 2, 4, 7 (day), 8, 9 (year), 0x32
 * (century) to RTC_OUT on, then the century four times by REP INSB.
 */
GUEST(irq_rtc)
	lea	2f(%rip), %rsi
	mov	$RTC_OUT, %edi
	cld
1:	lodsb
	cmp	$0xff, %al
	je	3f
	out	%al, $0x70
	in	$0x71, %al
	stosb
	jmp	1b
3:	mov	$0x32, %al
	out	%al, $0x70
	mov	$4, %ecx
	mov	$0x71, %dx
	rep insb
	out	%al, $REPORT_PORT
	hlt
2:	.byte	0x0b, 0x00, 0x02, 0x04, 0x07, 0x08, 0x09, 0x32, 0xff
END(irq_rtc)

/*
 * Delay ports (no exit), reset through 0x64, 0xCF9 written without and
 * with its reset bit (report what it read between), then COM1's port,
 * which no device has here.
 */
GUEST(irq_reset)
	out	%al, $0x80
	out	%al, $0xed
	mov	$0xfe, %al
	out	%al, $0x64
	mov	$0xcf9, %dx
	mov	$0x02, %al
	out	%al, %dx
	in	%dx, %al
	movzbl	%al, %ebx
	mov	$0x06, %al
	out	%al, %dx
	mov	%ebx, %eax
	out	%eax, $REPORT_PORT
	mov	$0x3f8, %dx
	out	%al, %dx
	hlt
END(irq_reset)

/* HLT with IF=0 and the PIT running: nothing can end it.  Then report. */
GUEST(irq_hlt_if0)
	PIC_INIT $0xfe, $0xff
	PIT_RATE
	hlt
	mov	$0x1234, %eax
	out	%eax, $REPORT_PORT
	hlt
END(irq_hlt_if0)

/* Report the APIC register at \off (EAX is clobbered). */
.macro REPORT_APIC off
	mov	\off(%rdi), %eax
	out	%eax, $REPORT_PORT
.endm

/* Self-IPI of \vector through the ICR (fixed, shorthand self). */
.macro SELF_IPI vector
	movl	$(APIC_SELF | \vector), APIC_ICR(%rdi)
.endm

/* Open a window: STI, one instruction in its shadow, CLI. */
.macro WINDOW
	sti
	nop
	cli
.endm

/*
 * The local APIC at RDI (its base), each step reported: its version;
 * software-enabled, a self-IPI is taken (its count), in service until
 * the EOI (ISR); with the TPR's class at the vector's it waits in the
 * IRR, and CR8 reads the class; MOV to CR8 lowering the class lets it
 * in at once, and the TPR reads the new class; the same through the TPR
 * register; software-disabled, the APIC drops an IPI.  0x600d ends.
 */
GUEST(irq_lapic)
	mov	APIC_VER(%rdi), %eax
	and	$0xff00ff, %eax		/* KVM's has directed EOI with x2APIC */
	out	%eax, $REPORT_PORT
	movl	$0x1ff, APIC_SVR(%rdi)	/* enabled, spurious vector 0xff */
	SELF_IPI LAPIC_VEC
	WINDOW
	mov	COUNTS + 8 * LAPIC_VEC, %rax
	out	%eax, $REPORT_PORT
	REPORT_APIC APIC_ISR1
	movl	$0, APIC_EOI(%rdi)
	REPORT_APIC APIC_ISR1

	movl	$(LAPIC_VEC & 0xf0), APIC_TPR(%rdi)
	SELF_IPI LAPIC_VEC + 1
	WINDOW
	mov	COUNTS + 8 * (LAPIC_VEC + 1), %rax
	out	%eax, $REPORT_PORT
	REPORT_APIC APIC_IRR1
	mov	%cr8, %rax
	out	%eax, $REPORT_PORT
	sti
	mov	$(LAPIC_VEC >> 4) - 1, %eax
	mov	%rax, %cr8
	cli
	mov	COUNTS + 8 * (LAPIC_VEC + 1), %rax
	out	%eax, $REPORT_PORT
	REPORT_APIC APIC_TPR
	movl	$0, APIC_EOI(%rdi)

	movl	$(LAPIC_VEC & 0xf0) + 0x10, APIC_TPR(%rdi)
	SELF_IPI LAPIC_VEC + 2
	sti
	nop
	mov	COUNTS + 8 * (LAPIC_VEC + 2), %rax
	movl	$0, APIC_TPR(%rdi)
	cli
	out	%eax, $REPORT_PORT
	mov	COUNTS + 8 * (LAPIC_VEC + 2), %rax
	out	%eax, $REPORT_PORT
	movl	$0, APIC_EOI(%rdi)

	movl	$0xff, APIC_SVR(%rdi)	/* software-disabled */
	SELF_IPI LAPIC_VEC + 3
	WINDOW
	REPORT_APIC APIC_IRR1
	mov	COUNTS + 8 * (LAPIC_VEC + 3), %rax
	out	%eax, $REPORT_PORT
	mov	$0x600d, %eax
	out	%eax, $REPORT_PORT
	hlt
END(irq_lapic)

/* The APIC at RDI enabled, its timer at divide by 1 with LVT entry \lvt. */
.macro APIC_TIMER lvt
	movl	$0x1ff, APIC_SVR(%rdi)
	movl	$0xb, APIC_TDCR(%rdi)
	movl	$\lvt, APIC_LVTT(%rdi)
.endm

/*
 * The APIC timer, periodic with the initial count in ESI (ns at divide
 * by 1): HLT, and count its interrupts.
 */
GUEST(irq_apic_periodic)
	APIC_TIMER APIC_TIMER_PERIODIC | TIMER_VEC
	mov	%esi, APIC_TMICT(%rdi)
	sti
1:	hlt
	jmp	1b
END(irq_apic_periodic)

/*
 * The APIC timer, one-shot with the initial count in ESI: report the
 * current count right after the start, HLT until the interrupt, report
 * the count of interrupts and the current count.
 */
GUEST(irq_apic_one_shot)
	APIC_TIMER TIMER_VEC + 1
	mov	%esi, APIC_TMICT(%rdi)
	REPORT_APIC APIC_TMCCT
	sti
	hlt
	cli
	mov	COUNTS + 8 * (TIMER_VEC + 1), %rax
	out	%eax, $REPORT_PORT
	REPORT_APIC APIC_TMCCT
	hlt
END(irq_apic_one_shot)

	.section .note.GNU-stack, "", @progbits
