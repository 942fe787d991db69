/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A 16550A UART (COM1, ports 0x3F8-0x3FF, IRQ 4) whose line is a pair of
 * buffers in memory: what the guest transmits goes into a ring the loader
 * drains (vdev_uart_tx_take()); what the loader pushes (vdev_uart_rx_put())
 * arrives in the receive FIFO.  Transmission is instantaneous while the
 * ring has room; when it is full the transmitter reads as busy (LSR.THRE
 * and TEMT clear), as a slow line would, until the loader drains it.
 *
 * Registers: RBR/THR, IER, IIR/FCR, LCR (DLAB: DLL/DLM), MCR, LSR, MSR,
 * SCR.  Interrupts: receiver line status (overrun), received data (also
 * for a FIFO below its trigger level: there is no character timer, so
 * the "character timeout" is reported at once), THR empty.  The modem
 * lines read as connected (DCD, DSR, CTS); in loopback mode (MCR.LOOP)
 * transmitted bytes are received and MSR reflects MCR, as Linux's probe
 * checks.  IRQ 4 is driven only while MCR.OUT2 is set and LOOP clear: on
 * a PC, OUT2 enables the UART's interrupt line.
 *
 * Pure logic, serialized by the caller; IRQ 4 through @irq.
 */
#ifndef SVMHV_VDEV_UART_H
#define SVMHV_VDEV_UART_H

#include <linux/types.h>

#include "irq.h"

#define VDEV_UART_BASE		0x3f8
#define VDEV_UART_IRQ		4
#define VDEV_UART_FIFO		16
#define VDEV_UART_TX_SIZE	4096

/* Register offsets */
#define VDEV_UART_RBR		0	/* THR on write; DLL with DLAB */
#define VDEV_UART_IER		1	/* DLM with DLAB */
#define VDEV_UART_IIR		2	/* FCR on write */
#define VDEV_UART_LCR		3
#define VDEV_UART_MCR		4
#define VDEV_UART_LSR		5
#define VDEV_UART_MSR		6
#define VDEV_UART_SCR		7

#define VDEV_UART_IER_RDI	0x01
#define VDEV_UART_IER_THRI	0x02
#define VDEV_UART_IER_RLSI	0x04
#define VDEV_UART_IER_MSI	0x08

#define VDEV_UART_IIR_NONE	0x01
#define VDEV_UART_IIR_MSI	0x00
#define VDEV_UART_IIR_THRI	0x02
#define VDEV_UART_IIR_RDI	0x04
#define VDEV_UART_IIR_RLSI	0x06
#define VDEV_UART_IIR_TIMEOUT	0x0c
#define VDEV_UART_IIR_FIFO	0xc0

#define VDEV_UART_FCR_ENABLE	0x01
#define VDEV_UART_FCR_CLEAR_RX	0x02
#define VDEV_UART_FCR_CLEAR_TX	0x04
#define VDEV_UART_LCR_DLAB	0x80

#define VDEV_UART_MCR_DTR	0x01
#define VDEV_UART_MCR_RTS	0x02
#define VDEV_UART_MCR_OUT1	0x04
#define VDEV_UART_MCR_OUT2	0x08
#define VDEV_UART_MCR_LOOP	0x10

#define VDEV_UART_LSR_DR	0x01
#define VDEV_UART_LSR_OE	0x02
#define VDEV_UART_LSR_THRE	0x20
#define VDEV_UART_LSR_TEMT	0x40

#define VDEV_UART_MSR_CTS	0x10
#define VDEV_UART_MSR_DSR	0x20
#define VDEV_UART_MSR_RI	0x40
#define VDEV_UART_MSR_DCD	0x80

struct vdev_uart {
	u8 ier, lcr, mcr, scr, dll, dlm;
	u8 fcr;			/* FIFO enable and trigger level */
	u8 lsr_err;		/* OE until LSR is read */
	bool thr_ipending;	/* THR empty, not yet reported by IIR */
	bool line;		/* IRQ level last driven */
	u8 rx[VDEV_UART_FIFO];
	u8 rx_head, rx_count;
	u32 tx_head, tx_count;
	u64 tx_dropped;		/* written while the transmitter was busy */
	u64 rx_overrun;
	struct vdev_irq irq;
	u8 tx[VDEV_UART_TX_SIZE];
};

void vdev_uart_reset(struct vdev_uart *u);
u8 vdev_uart_read(struct vdev_uart *u, u16 offset);
void vdev_uart_write(struct vdev_uart *u, u16 offset, u8 val);
size_t vdev_uart_tx_take(struct vdev_uart *u, u8 *buf, size_t len);
size_t vdev_uart_rx_put(struct vdev_uart *u, const u8 *buf, size_t len);

#endif /* SVMHV_VDEV_UART_H */
