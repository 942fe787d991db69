// SPDX-License-Identifier: GPL-2.0
/*
 * The 8259A pair.  Intel's 8259A datasheet is the reference: priorities
 * are resolved from the IR after the lowest-priority one (rotation),
 * an in-service IR blocks requests of its own and lower priority, and
 * the slave's INT output is the master's IR2, an edge-triggered input.
 */
#include <linux/bits.h>
#include <linux/bug.h>

#include "pic.h"

#define PIC_NONE	(-1)

static u8 chip_level_mask(const struct vdev_pic_chip *c)
{
	return c->ltim ? 0xff : c->elcr;
}

/* The highest-priority IR among @bits, or PIC_NONE. */
static int chip_highest(const struct vdev_pic_chip *c, u8 bits)
{
	int i, ir;

	for (i = 1; i <= 8; i++) {
		ir = (c->lowest + i) & 7;
		if (bits & BIT(ir))
			return ir;
	}
	return PIC_NONE;
}

/* 0 for the highest priority, 7 for the lowest. */
static int chip_rank(const struct vdev_pic_chip *c, int ir)
{
	return (ir - c->lowest - 1) & 7;
}

/* The IR this chip asserts INT for, or PIC_NONE. */
static int chip_irq(const struct vdev_pic_chip *c)
{
	int req = chip_highest(c, c->irr & ~c->imr);
	int srv = chip_highest(c, c->isr);

	if (req == PIC_NONE)
		return PIC_NONE;
	if (srv != PIC_NONE && chip_rank(c, srv) <= chip_rank(c, req))
		return PIC_NONE;
	return req;
}

static void chip_set_line(struct vdev_pic_chip *c, int ir, int level)
{
	u8 bit = BIT(ir);

	if (chip_level_mask(c) & bit) {
		if (level)
			c->irr |= bit;
		else
			c->irr &= ~bit;
	} else if (level && !(c->lines & bit)) {
		c->irr |= bit;		/* rising edge */
	}
	if (level)
		c->lines |= bit;
	else
		c->lines &= ~bit;
}

/* The interrupt acknowledge cycle for @ir on one chip. */
static void chip_ack(struct vdev_pic_chip *c, int ir)
{
	u8 bit = BIT(ir);

	/* A level request stays while its line is high. */
	if (!(chip_level_mask(c) & bit))
		c->irr &= ~bit;
	if (!c->auto_eoi)
		c->isr |= bit;
	else if (c->rotate_aeoi)
		c->lowest = ir;
}

/* The slave's INT output, seen at the master's IR2. */
static void pic_cascade(struct vdev_pic *pic)
{
	struct vdev_pic_chip *m = &pic->chip[0];

	if (!m->single)
		chip_set_line(m, VDEV_PIC_CASCADE_IR,
			      chip_irq(&pic->chip[1]) != PIC_NONE);
}

static void chip_reset(struct vdev_pic_chip *c, u8 base, u8 elcr_mask)
{
	*c = (struct vdev_pic_chip){
		.base = base, .imr = 0xff, .lowest = 7, .elcr_mask = elcr_mask,
	};
}

/**
 * vdev_pic_reset() - power-on state, as a PC BIOS leaves it.
 * @pic: the pair
 *
 * Vectors 0x08 and 0x70, every input masked and edge-triggered, nothing
 * pending.  The guest reinitializes both chips before it unmasks any.
 * IRQ 0-2, 8 and 13 cannot be made level-triggered through the ELCR.
 */
void vdev_pic_reset(struct vdev_pic *pic)
{
	chip_reset(&pic->chip[0], 0x08, 0xf8);
	chip_reset(&pic->chip[1], 0x70, 0xde);
}

/**
 * vdev_pic_set_irq() - a device drives ISA interrupt line @irq.
 * @pic: the pair
 * @irq: 0-15; IRQ 2 is the cascade and ignored (the PC routes the ISA
 *	bus's IRQ2 to IRQ9)
 * @level: 0 or 1
 *
 * Edge-triggered inputs latch a request on 0 -> 1 and keep it when the
 * line falls; level-triggered ones follow the line.  A request is
 * latched whether or not the input is masked.
 */
void vdev_pic_set_irq(struct vdev_pic *pic, int irq, int level)
{
	if (WARN_ON_ONCE(irq < 0 || irq > 15))
		return;
	if (irq == VDEV_PIC_CASCADE_IR && !pic->chip[0].single)
		return;
	chip_set_line(&pic->chip[irq >> 3], irq & 7, !!level);
	pic_cascade(pic);
}

/**
 * vdev_pic_intr() - is the master's INT output (the CPU's INTR) asserted?
 * @pic: the pair
 *
 * Return: true when an unmasked request outranks everything in service.
 */
bool vdev_pic_intr(const struct vdev_pic *pic)
{
	return chip_irq(&pic->chip[0]) != PIC_NONE;
}

/**
 * vdev_pic_inta() - the CPU's interrupt acknowledge cycle.
 * @pic: the pair
 *
 * Moves the winning request to in-service (or, in auto-EOI mode, only
 * retires it) and gives its vector.  With no request, as when a
 * level-triggered line fell after INTR was sampled, the chip answers IR7
 * of its own vector range and sets nothing in service: the spurious
 * IRQ 7 (master) or IRQ 15 (slave, reached through a latched IR2).
 *
 * Return: the vector, 0-255.
 */
int vdev_pic_inta(struct vdev_pic *pic)
{
	struct vdev_pic_chip *m = &pic->chip[0], *s = &pic->chip[1];
	int ir = chip_irq(m), sir;

	if (ir == PIC_NONE)
		return m->base | 7;
	chip_ack(m, ir);
	if (ir != VDEV_PIC_CASCADE_IR || m->single) {
		pic_cascade(pic);
		return m->base | ir;
	}
	sir = chip_irq(s);
	if (sir != PIC_NONE)
		chip_ack(s, sir);
	/*
	 * The slave's INT falls during the acknowledge: a request still
	 * pending there is a new edge on IR2.
	 */
	chip_set_line(m, VDEV_PIC_CASCADE_IR, 0);
	pic_cascade(pic);
	return s->base | (sir == PIC_NONE ? 7 : sir);
}

/* OCW3's poll: the highest request, acknowledged, as 0x80 | IR. */
static u8 chip_poll(struct vdev_pic *pic, struct vdev_pic_chip *c)
{
	int ir = chip_irq(c);

	c->poll = false;
	if (ir == PIC_NONE)
		return 0;
	chip_ack(c, ir);
	pic_cascade(pic);
	return 0x80 | ir;
}

/**
 * vdev_pic_read() - IN from a PIC or ELCR port.
 * @pic: the pair
 * @port: 0x20, 0x21, 0xA0, 0xA1, 0x4D0 or 0x4D1
 *
 * Return: a poll result after an OCW3 poll; else the command port gives
 * IRR or ISR (as OCW3 last chose), the data port IMR, the ELCR ports
 * the ELCR.
 */
u8 vdev_pic_read(struct vdev_pic *pic, u16 port)
{
	struct vdev_pic_chip *c;

	switch (port) {
	case VDEV_PIC_ELCR_MASTER:
	case VDEV_PIC_ELCR_SLAVE:
		return pic->chip[port & 1].elcr;
	}
	c = &pic->chip[(port >> 7) & 1];
	if (c->poll)
		return chip_poll(pic, c);
	if (port & 1)
		return c->imr;
	return c->read_isr ? c->isr : c->irr;
}

static void chip_icw1(struct vdev_pic_chip *c, u8 val)
{
	c->ltim = val & VDEV_PIC_ICW1_LTIM;
	c->single = val & VDEV_PIC_ICW1_SNGL;
	c->need_icw4 = val & VDEV_PIC_ICW1_IC4;
	c->icw = 2;
	/*
	 * Mask, in-service and priority reset; the edge detector too, so an
	 * input already high must fall and rise again to request.
	 */
	c->imr = 0;
	c->isr = 0;
	c->irr = c->lines & chip_level_mask(c);
	c->lowest = 7;
	c->auto_eoi = false;
	c->rotate_aeoi = false;
	c->read_isr = false;
	c->poll = false;
}

/* OCW2: the EOI and rotation commands (bits 7:5), IR in bits 2:0. */
static void chip_ocw2(struct vdev_pic_chip *c, u8 val)
{
	int ir = val & 7;

	switch (val >> 5) {
	case 0:			/* rotate in auto-EOI mode: clear */
	case 4:			/* ...set */
		c->rotate_aeoi = val >> 7;
		break;
	case 1:			/* non-specific EOI */
	case 5:			/* ...and rotate */
		ir = chip_highest(c, c->isr);
		if (ir == PIC_NONE)
			break;
		c->isr &= ~BIT(ir);
		if (val >> 5 == 5)
			c->lowest = ir;
		break;
	case 3:			/* specific EOI */
		c->isr &= ~BIT(ir);
		break;
	case 7:			/* specific EOI and rotate */
		c->isr &= ~BIT(ir);
		c->lowest = ir;
		break;
	case 6:			/* set priority */
		c->lowest = ir;
		break;
	}
}

static void chip_ocw3(struct vdev_pic_chip *c, u8 val)
{
	if (val & VDEV_PIC_OCW3_POLL)
		c->poll = true;
	if (val & VDEV_PIC_OCW3_RR)
		c->read_isr = val & VDEV_PIC_OCW3_RIS;
}

static void chip_write_data(struct vdev_pic_chip *c, u8 val)
{
	switch (c->icw) {
	case 2:
		c->base = val & 0xf8;
		c->icw = !c->single ? 3 : c->need_icw4 ? 4 : 0;
		break;
	case 3:
		c->icw = c->need_icw4 ? 4 : 0;
		break;
	case 4:
		c->auto_eoi = val & VDEV_PIC_ICW4_AEOI;
		c->icw = 0;
		break;
	default:
		c->imr = val;		/* OCW1 */
		break;
	}
}

static void chip_write_elcr(struct vdev_pic_chip *c, u8 val)
{
	u8 level;

	c->elcr = val & c->elcr_mask;
	level = chip_level_mask(c);
	c->irr = (c->irr & ~level) | (c->lines & level);
}

/**
 * vdev_pic_write() - OUT to a PIC or ELCR port.
 * @pic: the pair
 * @port: 0x20, 0x21, 0xA0, 0xA1, 0x4D0 or 0x4D1
 * @val: the byte
 */
void vdev_pic_write(struct vdev_pic *pic, u16 port, u8 val)
{
	struct vdev_pic_chip *c;

	switch (port) {
	case VDEV_PIC_ELCR_MASTER:
	case VDEV_PIC_ELCR_SLAVE:
		chip_write_elcr(&pic->chip[port & 1], val);
		break;
	default:
		c = &pic->chip[(port >> 7) & 1];
		if (port & 1)
			chip_write_data(c, val);
		else if (val & VDEV_PIC_ICW1)
			chip_icw1(c, val);
		else if (val & VDEV_PIC_OCW3)
			chip_ocw3(c, val);
		else
			chip_ocw2(c, val);
		break;
	}
	pic_cascade(pic);
}
