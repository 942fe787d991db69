/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PC's two cascaded 8259A programmable interrupt controllers: the
 * master at ports 0x20/0x21 with IRQ 0-7, the slave at 0xA0/0xA1 with
 * IRQ 8-15 on the master's IR2, and the edge/level control registers
 * (ELCR) at 0x4D0/0x4D1.
 *
 * Pure logic: the caller serializes every call (vdev.c: under the VM's
 * lock) and nothing here sleeps, allocates or looks at the host.
 *
 * What is modelled: ICW1-ICW4 (8086 mode only; ICW3 is taken as the PC's
 * wiring, slave on IR2, whatever is written), OCW1 (mask), OCW2 (EOI,
 * specific EOI, rotation, set priority), OCW3 (IRR/ISR read-back, poll),
 * edge and level triggering (ICW1.LTIM for a whole chip, ELCR per line),
 * auto-EOI with and without rotation, spurious IRQ 7/15.  Not modelled:
 * special mask mode, special fully nested mode, buffered mode.
 */
#ifndef SVMHV_VDEV_PIC_H
#define SVMHV_VDEV_PIC_H

#include <linux/types.h>

#define VDEV_PIC_MASTER_CMD	0x20
#define VDEV_PIC_MASTER_DATA	0x21
#define VDEV_PIC_SLAVE_CMD	0xa0
#define VDEV_PIC_SLAVE_DATA	0xa1
#define VDEV_PIC_ELCR_MASTER	0x4d0
#define VDEV_PIC_ELCR_SLAVE	0x4d1
/* The master input the slave's INT output drives. */
#define VDEV_PIC_CASCADE_IR	2

/* Command port writes: bit 4 is ICW1, else bit 3 tells OCW3 from OCW2. */
#define VDEV_PIC_ICW1		0x10
#define VDEV_PIC_ICW1_LTIM	0x08
#define VDEV_PIC_ICW1_SNGL	0x02
#define VDEV_PIC_ICW1_IC4	0x01
#define VDEV_PIC_ICW4_AEOI	0x02
#define VDEV_PIC_OCW3		0x08
#define VDEV_PIC_OCW3_POLL	0x04
#define VDEV_PIC_OCW3_RR	0x02	/* RIS below is valid */
#define VDEV_PIC_OCW3_RIS	0x01	/* read ISR instead of IRR */

/* One 8259A. */
struct vdev_pic_chip {
	u8 irr;		/* requests: latched edges, or lines high (level) */
	u8 isr;		/* in service */
	u8 imr;		/* masked */
	u8 lines;	/* input levels as last driven */
	u8 elcr;	/* level-triggered inputs */
	u8 elcr_mask;	/* inputs the ELCR can make level-triggered */
	u8 base;	/* ICW2: vector of IR0 (bits 7:3) */
	u8 lowest;	/* the IR of lowest priority (rotation) */
	u8 icw;		/* next initialization word: 2, 3, 4, or 0 when done */
	bool need_icw4;
	bool single;	/* ICW1.SNGL: no cascade */
	bool ltim;	/* ICW1.LTIM: every input level-triggered */
	bool auto_eoi;
	bool rotate_aeoi;
	bool read_isr;	/* OCW3: the command port reads ISR, else IRR */
	bool poll;	/* OCW3: the next read is a poll */
};

struct vdev_pic {
	struct vdev_pic_chip chip[2];	/* master, slave */
};

void vdev_pic_reset(struct vdev_pic *pic);
void vdev_pic_set_irq(struct vdev_pic *pic, int irq, int level);
bool vdev_pic_intr(const struct vdev_pic *pic);
int vdev_pic_inta(struct vdev_pic *pic);
u8 vdev_pic_read(struct vdev_pic *pic, u16 port);
void vdev_pic_write(struct vdev_pic *pic, u16 port, u8 val);

#endif /* SVMHV_VDEV_PIC_H */
