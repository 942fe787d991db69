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

/* Bytes of a payload. */
#define IRQ_CODE_LEN(name) ((size_t)(name##_end - name##_start))
#endif

#endif /* SVMHV_SELFTESTS_IRQ_CODE_H */
