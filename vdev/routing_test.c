// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the GSI routing table, KVM_SET_GSI_ROUTING's checks as KVM has
 * them and the entries svmhv cannot take yet.
 */
#include <kunit/test.h>

#include "routing.h"

/* This module has its own copy of routing.c (vdev_test.c uses it too). */
#include "routing.c"

static struct kvm_irq_routing_entry pic_entry(u32 gsi, u32 chip, u32 pin)
{
	return (struct kvm_irq_routing_entry){
		.gsi = gsi, .type = KVM_IRQ_ROUTING_IRQCHIP,
		.u.irqchip = { .irqchip = chip, .pin = pin },
	};
}

/* Build from @e and check the result is -EINVAL. */
static void expect_refused(struct kunit *test,
			   const struct kvm_irq_routing_entry *e, u32 nr)
{
	struct vdev_routing *rt = vdev_routing_build(e, nr);

	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(rt), -EINVAL);
	if (!IS_ERR(rt))
		vdev_routing_free(rt);
}

static void test_default(struct kunit *test)
{
	struct vdev_routing *rt = vdev_routing_default();
	u32 gsi;

	KUNIT_ASSERT_NOT_NULL(test, rt);
	for (gsi = 0; gsi < 16; gsi++)
		KUNIT_EXPECT_EQ(test, vdev_routing_pic_inputs(rt, gsi),
				(u16)BIT(gsi));
	KUNIT_EXPECT_EQ(test, vdev_routing_pic_inputs(rt, 16), 0);
	KUNIT_EXPECT_EQ(test, vdev_routing_pic_inputs(rt, U32_MAX), 0);
	vdev_routing_free(rt);
}

static void test_build(struct kunit *test)
{
	struct kvm_irq_routing_entry e[] = {
		pic_entry(40, KVM_IRQCHIP_PIC_MASTER, 3),
		pic_entry(9, KVM_IRQCHIP_PIC_SLAVE, 1),
		pic_entry(9, KVM_IRQCHIP_PIC_MASTER, 2),	/* two chips */
		pic_entry(41, KVM_IRQCHIP_PIC_MASTER, 3),	/* input shared */
		pic_entry(VDEV_MAX_GSIS - 1, KVM_IRQCHIP_PIC_SLAVE, 7),
	};
	struct vdev_routing *rt = vdev_routing_build(e, ARRAY_SIZE(e));

	KUNIT_ASSERT_FALSE(test, IS_ERR(rt));
	KUNIT_EXPECT_EQ(test, rt->nr_gsis, VDEV_MAX_GSIS);
	KUNIT_EXPECT_EQ(test, vdev_routing_pic_inputs(rt, 40), 0x0008);
	KUNIT_EXPECT_EQ(test, vdev_routing_pic_inputs(rt, 41), 0x0008);
	KUNIT_EXPECT_EQ(test, vdev_routing_pic_inputs(rt, 9), 0x0204);
	KUNIT_EXPECT_EQ(test, vdev_routing_pic_inputs(rt, VDEV_MAX_GSIS - 1),
			0x8000);
	/* The whole old table is gone: GSI 3 was in the default one. */
	KUNIT_EXPECT_EQ(test, vdev_routing_pic_inputs(rt, 3), 0);
	KUNIT_EXPECT_EQ(test, vdev_routing_pic_inputs(rt, VDEV_MAX_GSIS), 0);
	vdev_routing_free(rt);

	rt = vdev_routing_build(NULL, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(rt));
	KUNIT_EXPECT_EQ(test, rt->nr_gsis, 0);
	KUNIT_EXPECT_EQ(test, vdev_routing_pic_inputs(rt, 0), 0);
	vdev_routing_free(rt);
}

/* What KVM refuses, and what svmhv cannot take yet. */
static void test_refused(struct kunit *test)
{
	struct kvm_irq_routing_entry e[2] = {
		pic_entry(5, KVM_IRQCHIP_PIC_MASTER, 1),
		pic_entry(5, KVM_IRQCHIP_PIC_MASTER, 2),
	};

	expect_refused(test, e, 2);		/* one chip twice for a GSI */
	e[1] = pic_entry(VDEV_MAX_GSIS, KVM_IRQCHIP_PIC_SLAVE, 0);
	expect_refused(test, e, 2);
	e[1] = pic_entry(6, KVM_IRQCHIP_PIC_MASTER, 8);
	expect_refused(test, e, 2);
	e[1] = pic_entry(6, KVM_IRQCHIP_PIC_SLAVE, 8);
	expect_refused(test, e, 2);
	e[1] = pic_entry(6, KVM_NR_IRQCHIPS, 0);
	expect_refused(test, e, 2);
	e[1] = pic_entry(6, KVM_IRQCHIP_PIC_MASTER, 0);
	e[1].flags = KVM_MSI_VALID_DEVID;
	expect_refused(test, e, 2);
	/* Not yet: no IOAPIC, no local APIC for an MSI. */
	e[1] = pic_entry(6, KVM_IRQCHIP_IOAPIC, 0);
	expect_refused(test, e, 2);
	e[1] = (struct kvm_irq_routing_entry){
		.gsi = 6, .type = KVM_IRQ_ROUTING_MSI,
		.u.msi = { .address_lo = 0xfee00000, .data = 0x30 },
	};
	expect_refused(test, e, 2);
	/* Not offered: Hyper-V's SINT, Xen's event channels, nonsense. */
	e[1].type = KVM_IRQ_ROUTING_HV_SINT;
	expect_refused(test, e, 2);
	e[1].type = KVM_IRQ_ROUTING_XEN_EVTCHN;
	expect_refused(test, e, 2);
	e[1].type = 99;
	expect_refused(test, e, 2);
}

static struct kunit_case routing_cases[] = {
	KUNIT_CASE(test_default),
	KUNIT_CASE(test_build),
	KUNIT_CASE(test_refused),
	{}
};

static struct kunit_suite routing_suite = {
	.name = "svmhv_vdev_routing",
	.test_cases = routing_cases,
};

kunit_test_suites(&routing_suite);
