/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest code in irq_code.S and the cells it shares with irq_test.c.
 */
#ifndef SVMHV_SELFTESTS_IRQ_CODE_H
#define SVMHV_SELFTESTS_IRQ_CODE_H

/* Cells (guest-physical): */
#define COUNTS	0xc000	/* u64 per vector: interrupts taken */
#define LAST_VEC	0xc200	/* the last interrupt's vector... */
#define LAST_RIP	0xc208	/* ...and the RIP it interrupted */
#define UART_BYTE	0xc210	/* the last byte IRQ 4's handler read */
#define UART_N		0xc218	/* bytes read there */
#define RTC_OUT		0xc300	/* CMOS bytes read by irq_rtc */

#define PIC_BASE	0x20	/* vector of IRQ 0; IRQ 8 is at 0x28 */

/* irq_lapic: the local APIC's registers (offsets from its base). */
#define APIC_GPA	0xfee00000
#define APIC_VER	0x030
#define APIC_TPR	0x080
#define APIC_EOI	0x0b0
#define APIC_SVR	0x0f0
#define APIC_ISR1	0x110	/* vectors 32-63 */
#define APIC_IRR1	0x210
#define APIC_ICR	0x300
#define APIC_LVTT	0x320	/* the timer's LVT entry */
#define APIC_TMICT	0x380
#define APIC_TMCCT	0x390
#define APIC_TDCR	0x3e0
#define APIC_SELF	0x40000	/* ICR: destination shorthand "self" */
#define APIC_TIMER_PERIODIC 0x20000
#define LAPIC_VEC	0x34	/* irq_lapic's first vector */
#define TIMER_VEC	0x38	/* and up: the APIC timer's (irq_handler EOIs) */

/* Ports the programs report on: */
#define EXC_PORT	0xe0	/* an exception: EAX = its vector */
#define RAISE_PORT	0xe2	/* "raise the IRQ now" */
#define REPORT_PORT	0xe3	/* a result in EAX */

#ifndef __ASSEMBLER__
extern const unsigned char irq_handler_start[], irq_handler_end[];
extern const unsigned char exc_handler_start[], exc_handler_end[];
extern const unsigned char irq_pit_start[], irq_pit_end[];
extern const unsigned char irq_wait_start[], irq_wait_end[];
extern const unsigned char irq_window_start[], irq_window_end[];
extern const unsigned char irq_window_after[], irq_window_hlt[];
extern const unsigned char irq_mask_start[], irq_mask_end[];
extern const unsigned char irq_uart_start[], irq_uart_end[];
extern const unsigned char irq_rtc_start[], irq_rtc_end[];
extern const unsigned char irq_reset_start[], irq_reset_end[];
extern const unsigned char irq_hlt_if0_start[], irq_hlt_if0_end[];
extern const unsigned char irq_lapic_start[], irq_lapic_end[];
extern const unsigned char irq_apic_periodic_start[], irq_apic_periodic_end[];
extern const unsigned char irq_apic_one_shot_start[], irq_apic_one_shot_end[];

/* Bytes of a payload. */
#define IRQ_CODE_LEN(name) ((size_t)(name##_end - name##_start))
#endif

#endif /* SVMHV_SELFTESTS_IRQ_CODE_H */
