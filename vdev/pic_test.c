// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the 8259A pair driven as Linux drives it (init_8259A(),
 * probe_8259A(), mask_and_ack_8259A() and its spurious-IRQ check), then
 * priorities, cascade, triggering, auto-EOI, poll and rotation.
 */
#include <kunit/test.h>

#include "pic.h"

/* This module has its own copy of the PIC. */
#include "pic.c"

#define M_CMD	VDEV_PIC_MASTER_CMD
#define M_IMR	VDEV_PIC_MASTER_DATA
#define S_CMD	VDEV_PIC_SLAVE_CMD
#define S_IMR	VDEV_PIC_SLAVE_DATA

/* Linux's init_8259A(auto_eoi): vectors 0x30 and 0x38, all masked. */
static void linux_init(struct vdev_pic *pic, bool auto_eoi)
{
	vdev_pic_write(pic, M_IMR, 0xff);
	vdev_pic_write(pic, M_CMD, 0x11);	/* ICW1: edge, cascade, ICW4 */
	vdev_pic_write(pic, M_IMR, 0x30);	/* ICW2 */
	vdev_pic_write(pic, M_IMR, 0x04);	/* ICW3: slave on IR2 */
	vdev_pic_write(pic, M_IMR, auto_eoi ? 0x03 : 0x01);	/* ICW4 */
	vdev_pic_write(pic, S_CMD, 0x11);
	vdev_pic_write(pic, S_IMR, 0x38);
	vdev_pic_write(pic, S_IMR, 0x02);	/* ICW3: slave id 2 */
	vdev_pic_write(pic, S_IMR, 0x01);
	vdev_pic_write(pic, M_IMR, 0xff);	/* cached masks back */
	vdev_pic_write(pic, S_IMR, 0xff);
}

static struct vdev_pic *new_pic(struct kunit *test, bool auto_eoi)
{
	struct vdev_pic *pic = kunit_kzalloc(test, sizeof(*pic), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, pic);
	vdev_pic_reset(pic);
	linux_init(pic, auto_eoi);
	return pic;
}

static void pulse(struct vdev_pic *pic, int irq)
{
	vdev_pic_set_irq(pic, irq, 1);
	vdev_pic_set_irq(pic, irq, 0);
}

/* i8259A_irq_real(): ISR through OCW3, then back to IRR. */
static u8 read_isr(struct vdev_pic *pic, u16 cmd)
{
	u8 v;

	vdev_pic_write(pic, cmd, 0x0b);
	v = vdev_pic_read(pic, cmd);
	vdev_pic_write(pic, cmd, 0x0a);
	return v;
}

/* mask_and_ack_8259A(): mask, then specific EOIs (slave, then IR2). */
static void linux_ack(struct vdev_pic *pic, int irq, u16 mask)
{
	if (irq & 8) {
		vdev_pic_write(pic, S_IMR, mask >> 8);
		vdev_pic_write(pic, S_CMD, 0x60 + (irq & 7));
		vdev_pic_write(pic, M_CMD, 0x60 + VDEV_PIC_CASCADE_IR);
	} else {
		vdev_pic_write(pic, M_IMR, mask);
		vdev_pic_write(pic, M_CMD, 0x60 + irq);
	}
}

static void test_init(struct kunit *test)
{
	struct vdev_pic *pic = new_pic(test, false);

	KUNIT_EXPECT_EQ(test, pic->chip[0].base, 0x30);
	KUNIT_EXPECT_EQ(test, pic->chip[1].base, 0x38);
	KUNIT_EXPECT_EQ(test, pic->chip[0].icw, 0);
	KUNIT_EXPECT_EQ(test, pic->chip[1].icw, 0);
	KUNIT_EXPECT_FALSE(test, pic->chip[0].auto_eoi);
	/* probe_8259A(): the mask reads back. */
	vdev_pic_write(pic, S_IMR, 0xff);
	vdev_pic_write(pic, M_IMR, 0xfb);
	KUNIT_EXPECT_EQ(test, vdev_pic_read(pic, M_IMR), 0xfb);
	KUNIT_EXPECT_EQ(test, vdev_pic_read(pic, S_IMR), 0xff);
	/* The command port reads IRR by default. */
	vdev_pic_set_irq(pic, 1, 1);
	KUNIT_EXPECT_EQ(test, vdev_pic_read(pic, M_CMD), 0x02);
	KUNIT_EXPECT_FALSE(test, vdev_pic_intr(pic));
}

/* The timer tick as Linux takes it: INTA, mask+EOI, unmask. */
static void test_irq0_eoi(struct kunit *test)
{
	struct vdev_pic *pic = new_pic(test, false);

	vdev_pic_write(pic, M_IMR, 0xfa);	/* IRQ 0 and the cascade */
	KUNIT_EXPECT_FALSE(test, vdev_pic_intr(pic));
	pulse(pic, 0);
	KUNIT_ASSERT_TRUE(test, vdev_pic_intr(pic));
	KUNIT_EXPECT_EQ(test, vdev_pic_inta(pic), 0x30);
	KUNIT_EXPECT_EQ(test, read_isr(pic, M_CMD), 0x01);
	KUNIT_EXPECT_FALSE(test, vdev_pic_intr(pic));
	/* A tick while in service waits in IRR. */
	pulse(pic, 0);
	KUNIT_EXPECT_FALSE(test, vdev_pic_intr(pic));
	KUNIT_EXPECT_EQ(test, vdev_pic_read(pic, M_CMD), 0x01);
	linux_ack(pic, 0, 0xfb);
	KUNIT_EXPECT_EQ(test, read_isr(pic, M_CMD), 0x00);
	/* Masked now: still pending, not signalled. */
	KUNIT_EXPECT_FALSE(test, vdev_pic_intr(pic));
	vdev_pic_write(pic, M_IMR, 0xfa);
	KUNIT_EXPECT_TRUE(test, vdev_pic_intr(pic));
	KUNIT_EXPECT_EQ(test, vdev_pic_inta(pic), 0x30);
	vdev_pic_write(pic, M_CMD, 0x20);	/* non-specific EOI */
	KUNIT_EXPECT_EQ(test, read_isr(pic, M_CMD), 0x00);
	KUNIT_EXPECT_FALSE(test, vdev_pic_intr(pic));
}

static void test_masking(struct kunit *test)
{
	struct vdev_pic *pic = new_pic(test, false);

	vdev_pic_write(pic, M_IMR, 0xfd);
	vdev_pic_write(pic, M_IMR, 0xff);
	pulse(pic, 1);				/* latched while masked */
	KUNIT_EXPECT_FALSE(test, vdev_pic_intr(pic));
	KUNIT_EXPECT_EQ(test, vdev_pic_read(pic, M_CMD), 0x02);
	vdev_pic_write(pic, M_IMR, 0xfd);
	KUNIT_EXPECT_TRUE(test, vdev_pic_intr(pic));
	KUNIT_EXPECT_EQ(test, vdev_pic_inta(pic), 0x31);
	KUNIT_EXPECT_EQ(test, vdev_pic_read(pic, M_CMD), 0x00);
}

/* Fixed priority: IR0 highest; a higher IR nests, lower ones wait. */
static void test_priority(struct kunit *test)
{
	struct vdev_pic *pic = new_pic(test, false);

	vdev_pic_write(pic, M_IMR, 0x00);
	pulse(pic, 3);
	pulse(pic, 1);
	KUNIT_EXPECT_EQ(test, vdev_pic_inta(pic), 0x31);
	KUNIT_EXPECT_FALSE(test, vdev_pic_intr(pic));	/* 3 < 1 */
	pulse(pic, 0);
	KUNIT_EXPECT_TRUE(test, vdev_pic_intr(pic));	/* 0 nests */
	KUNIT_EXPECT_EQ(test, vdev_pic_inta(pic), 0x30);
	KUNIT_EXPECT_EQ(test, read_isr(pic, M_CMD), 0x03);
	vdev_pic_write(pic, M_CMD, 0x20);	/* ends IR0, the highest */
	KUNIT_EXPECT_EQ(test, read_isr(pic, M_CMD), 0x02);
	KUNIT_EXPECT_FALSE(test, vdev_pic_intr(pic));
	vdev_pic_write(pic, M_CMD, 0x20);
	KUNIT_EXPECT_EQ(test, vdev_pic_inta(pic), 0x33);
}

/* IRQ 8-15 through IR2, with Linux's two specific EOIs. */
static void test_cascade(struct kunit *test)
{
	struct vdev_pic *pic = new_pic(test, false);

	vdev_pic_write(pic, S_IMR, 0xfe);		/* IRQ 8 */
	pulse(pic, 8);
	KUNIT_EXPECT_FALSE(test, vdev_pic_intr(pic));	/* IR2 masked */
	vdev_pic_write(pic, M_IMR, 0xfb);
	KUNIT_ASSERT_TRUE(test, vdev_pic_intr(pic));
	KUNIT_EXPECT_EQ(test, vdev_pic_inta(pic), 0x38);
	KUNIT_EXPECT_EQ(test, read_isr(pic, M_CMD), 0x04);
	KUNIT_EXPECT_EQ(test, read_isr(pic, S_CMD), 0x01);
	/* A second slave IRQ waits for both EOIs. */
	vdev_pic_write(pic, S_IMR, 0xee);		/* and IRQ 12 */
	pulse(pic, 12);
	KUNIT_EXPECT_FALSE(test, vdev_pic_intr(pic));
	linux_ack(pic, 8, 0xeefb);
	KUNIT_EXPECT_EQ(test, read_isr(pic, M_CMD), 0x00);
	KUNIT_EXPECT_EQ(test, read_isr(pic, S_CMD), 0x00);
	KUNIT_ASSERT_TRUE(test, vdev_pic_intr(pic));
	KUNIT_EXPECT_EQ(test, vdev_pic_inta(pic), 0x3c);
	/* Two slave requests at once: the second after both EOIs. */
	vdev_pic_write(pic, S_CMD, 0x64);
	vdev_pic_write(pic, M_CMD, 0x62);
	pulse(pic, 12);
	pulse(pic, 8);
	KUNIT_EXPECT_EQ(test, vdev_pic_inta(pic), 0x38);  /* 8 first... */
	vdev_pic_write(pic, S_CMD, 0x60);
	vdev_pic_write(pic, M_CMD, 0x62);
	KUNIT_EXPECT_EQ(test, vdev_pic_inta(pic), 0x3c);  /* ...then 12 */
}

/*
 * A level-triggered request withdrawn before the acknowledge: the
 * master answers IR7 with nothing in service, which Linux's ISR check
 * sees as spurious; through the cascade the slave answers IR7 (IRQ 15).
 */
static void test_spurious(struct kunit *test)
{
	struct vdev_pic *pic = new_pic(test, false);

	vdev_pic_write(pic, VDEV_PIC_ELCR_MASTER, 0x20);	/* IRQ 5 level */
	vdev_pic_write(pic, M_IMR, 0xdb);
	vdev_pic_set_irq(pic, 5, 1);
	KUNIT_ASSERT_TRUE(test, vdev_pic_intr(pic));
	vdev_pic_set_irq(pic, 5, 0);
	KUNIT_EXPECT_FALSE(test, vdev_pic_intr(pic));
	KUNIT_EXPECT_EQ(test, vdev_pic_inta(pic), 0x37);
	KUNIT_EXPECT_EQ(test, read_isr(pic, M_CMD) & 0x80, 0);
	/* Linux EOIs it anyway: harmless. */
	vdev_pic_write(pic, M_CMD, 0x67);
	KUNIT_EXPECT_EQ(test, read_isr(pic, M_CMD), 0x00);

	vdev_pic_write(pic, VDEV_PIC_ELCR_SLAVE, 0x04);	/* IRQ 10 level */
	vdev_pic_write(pic, S_IMR, 0xfb);
	vdev_pic_set_irq(pic, 10, 1);
	vdev_pic_set_irq(pic, 10, 0);
	/* IR2 is edge-triggered: the master still has the request. */
	KUNIT_ASSERT_TRUE(test, vdev_pic_intr(pic));
	KUNIT_EXPECT_EQ(test, vdev_pic_inta(pic), 0x3f);
	KUNIT_EXPECT_EQ(test, read_isr(pic, S_CMD), 0x00);
	KUNIT_EXPECT_EQ(test, read_isr(pic, M_CMD), 0x04);
}

static void test_edge_level(struct kunit *test)
{
	struct vdev_pic *pic = new_pic(test, false);

	vdev_pic_write(pic, M_IMR, 0x00);
	/* Edge: a line held high requests once. */
	vdev_pic_set_irq(pic, 4, 1);
	KUNIT_EXPECT_EQ(test, vdev_pic_inta(pic), 0x34);
	vdev_pic_write(pic, M_CMD, 0x64);
	vdev_pic_set_irq(pic, 4, 1);
	KUNIT_EXPECT_FALSE(test, vdev_pic_intr(pic));
	vdev_pic_set_irq(pic, 4, 0);
	vdev_pic_set_irq(pic, 4, 1);
	KUNIT_EXPECT_TRUE(test, vdev_pic_intr(pic));
	KUNIT_EXPECT_EQ(test, vdev_pic_inta(pic), 0x34);
	vdev_pic_write(pic, M_CMD, 0x64);
	vdev_pic_set_irq(pic, 4, 0);
	/* Level: requests again after each EOI while the line is high. */
	vdev_pic_write(pic, VDEV_PIC_ELCR_MASTER, 0x10);
	vdev_pic_set_irq(pic, 4, 1);
	KUNIT_EXPECT_EQ(test, vdev_pic_inta(pic), 0x34);
	KUNIT_EXPECT_FALSE(test, vdev_pic_intr(pic));
	vdev_pic_write(pic, M_CMD, 0x64);
	KUNIT_EXPECT_TRUE(test, vdev_pic_intr(pic));
	vdev_pic_set_irq(pic, 4, 0);
	KUNIT_EXPECT_FALSE(test, vdev_pic_intr(pic));
	KUNIT_EXPECT_EQ(test, vdev_pic_read(pic, M_CMD), 0x00);
	/* The ELCR cannot make IRQ 0-2, 8 or 13 level-triggered. */
	vdev_pic_write(pic, VDEV_PIC_ELCR_MASTER, 0xff);
	vdev_pic_write(pic, VDEV_PIC_ELCR_SLAVE, 0xff);
	KUNIT_EXPECT_EQ(test, vdev_pic_read(pic, VDEV_PIC_ELCR_MASTER), 0xf8);
	KUNIT_EXPECT_EQ(test, vdev_pic_read(pic, VDEV_PIC_ELCR_SLAVE), 0xde);
	/* ICW1.LTIM makes a whole chip level-triggered. */
	vdev_pic_write(pic, M_CMD, 0x19);
	vdev_pic_write(pic, M_IMR, 0x30);
	vdev_pic_write(pic, M_IMR, 0x04);
	vdev_pic_write(pic, M_IMR, 0x01);
	vdev_pic_set_irq(pic, 1, 1);
	vdev_pic_set_irq(pic, 1, 0);
	KUNIT_EXPECT_FALSE(test, vdev_pic_intr(pic));
}

/* ICW1 clears the mask, in-service and the edge detector. */
static void test_icw1_reset(struct kunit *test)
{
	struct vdev_pic *pic = new_pic(test, false);

	vdev_pic_write(pic, M_IMR, 0x00);
	vdev_pic_set_irq(pic, 6, 1);
	vdev_pic_set_irq(pic, 3, 1);
	KUNIT_EXPECT_EQ(test, vdev_pic_inta(pic), 0x33);
	linux_init(pic, false);
	KUNIT_EXPECT_EQ(test, read_isr(pic, M_CMD), 0x00);
	KUNIT_EXPECT_EQ(test, vdev_pic_read(pic, M_CMD), 0x00);
	vdev_pic_write(pic, M_IMR, 0x00);
	KUNIT_EXPECT_FALSE(test, vdev_pic_intr(pic));
	vdev_pic_set_irq(pic, 6, 0);
	vdev_pic_set_irq(pic, 6, 1);
	KUNIT_EXPECT_EQ(test, vdev_pic_inta(pic), 0x36);
}

static void test_auto_eoi(struct kunit *test)
{
	struct vdev_pic *pic = new_pic(test, true);

	KUNIT_EXPECT_TRUE(test, pic->chip[0].auto_eoi);
	vdev_pic_write(pic, M_IMR, 0xfe);
	pulse(pic, 0);
	KUNIT_EXPECT_EQ(test, vdev_pic_inta(pic), 0x30);
	KUNIT_EXPECT_EQ(test, read_isr(pic, M_CMD), 0x00);
	pulse(pic, 0);				/* no EOI needed */
	KUNIT_EXPECT_TRUE(test, vdev_pic_intr(pic));
	/* Rotation in auto-EOI mode: the IR just served goes last. */
	vdev_pic_write(pic, M_IMR, 0xf4);	/* IRQ 0, 1, 3 */
	vdev_pic_write(pic, M_CMD, 0x80);
	KUNIT_EXPECT_EQ(test, vdev_pic_inta(pic), 0x30);
	pulse(pic, 0);
	pulse(pic, 3);
	KUNIT_EXPECT_EQ(test, vdev_pic_inta(pic), 0x33);
	KUNIT_EXPECT_EQ(test, vdev_pic_inta(pic), 0x30);
}

static void test_poll(struct kunit *test)
{
	struct vdev_pic *pic = new_pic(test, false);

	vdev_pic_write(pic, M_IMR, 0x00);
	vdev_pic_write(pic, M_CMD, 0x0c);
	KUNIT_EXPECT_EQ(test, vdev_pic_read(pic, M_CMD), 0x00);
	pulse(pic, 5);
	vdev_pic_write(pic, M_CMD, 0x0c);
	KUNIT_EXPECT_EQ(test, vdev_pic_read(pic, M_IMR), 0x85);
	KUNIT_EXPECT_EQ(test, read_isr(pic, M_CMD), 0x20);
	KUNIT_EXPECT_EQ(test, vdev_pic_read(pic, M_IMR), 0x00);	/* IMR again */
}

static void test_rotation(struct kunit *test)
{
	struct vdev_pic *pic = new_pic(test, false);

	vdev_pic_write(pic, M_IMR, 0x00);
	vdev_pic_write(pic, M_CMD, 0xc2);	/* IR2 lowest, IR3 highest */
	pulse(pic, 1);
	pulse(pic, 4);
	KUNIT_EXPECT_EQ(test, vdev_pic_inta(pic), 0x34);
	vdev_pic_write(pic, M_CMD, 0xa0);	/* EOI, rotate: IR4 lowest */
	KUNIT_EXPECT_EQ(test, pic->chip[0].lowest, 4);
	pulse(pic, 6);
	KUNIT_EXPECT_EQ(test, vdev_pic_inta(pic), 0x36);
	vdev_pic_write(pic, M_CMD, 0xe6);	/* specific EOI, rotate */
	pulse(pic, 7);
	KUNIT_EXPECT_EQ(test, vdev_pic_inta(pic), 0x37);
	vdev_pic_write(pic, M_CMD, 0x67);
	KUNIT_EXPECT_EQ(test, vdev_pic_inta(pic), 0x31);
}

static struct kunit_case pic_cases[] = {
	KUNIT_CASE(test_init),
	KUNIT_CASE(test_irq0_eoi),
	KUNIT_CASE(test_masking),
	KUNIT_CASE(test_priority),
	KUNIT_CASE(test_cascade),
	KUNIT_CASE(test_spurious),
	KUNIT_CASE(test_edge_level),
	KUNIT_CASE(test_icw1_reset),
	KUNIT_CASE(test_auto_eoi),
	KUNIT_CASE(test_poll),
	KUNIT_CASE(test_rotation),
	{}
};

static struct kunit_suite pic_suite = {
	.name = "svmhv_vdev_pic",
	.test_cases = pic_cases,
};

kunit_test_suites(&pic_suite);
