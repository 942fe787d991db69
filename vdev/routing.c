// SPDX-License-Identifier: GPL-2.0
/*
 * The GSI routing table (routing.h): KVM_SET_GSI_ROUTING's checks, the
 * default table, the lookup.
 */
#include <linux/err.h>
#include <linux/minmax.h>
#include <linux/nospec.h>
#include <linux/overflow.h>
#include <linux/slab.h>

#include "routing.h"

/* Each chip of the pair has 8 inputs. */
#define PIC_CHIP_INPUTS		8
#define PIC_MASTER_INPUTS	0x00ff
#define PIC_SLAVE_INPUTS	0xff00

static struct vdev_routing *vdev_routing_alloc(u32 nr_gsis)
{
	struct vdev_routing *rt;

	rt = kzalloc(struct_size(rt, pic, nr_gsis), GFP_KERNEL_ACCOUNT);
	if (rt)
		rt->nr_gsis = nr_gsis;
	return rt;
}

/*
 * The PIC input of one entry (as a bit of vdev_routing.pic), or 0 for an
 * entry svmhv does not take: another type, the IOAPIC, a chip or pin that
 * does not exist, flags.
 */
static u16 vdev_route_pic_input(const struct kvm_irq_routing_entry *e)
{
	u32 pin = e->u.irqchip.pin;

	if (e->type != KVM_IRQ_ROUTING_IRQCHIP || e->flags ||
	    pin >= PIC_CHIP_INPUTS)
		return 0;
	switch (e->u.irqchip.irqchip) {
	case KVM_IRQCHIP_PIC_MASTER:
		return BIT(pin);
	case KVM_IRQCHIP_PIC_SLAVE:
		return BIT(pin + PIC_CHIP_INPUTS);
	default:
		return 0;
	}
}

/* Does @input come from a chip that @inputs already has an input of? */
static bool vdev_route_same_chip(u16 inputs, u16 input)
{
	u16 chip = input & PIC_MASTER_INPUTS ? PIC_MASTER_INPUTS :
					       PIC_SLAVE_INPUTS;

	return inputs & chip;
}

/**
 * vdev_routing_build() - the table of KVM_SET_GSI_ROUTING's entries.
 * @e: the entries, as userspace gave them
 * @nr: how many; at most VDEV_MAX_GSIS (the caller checks it)
 *
 * Return: the table, which replaces the whole previous one (GSIs without
 * an entry go nowhere); ERR_PTR(-EINVAL) for an entry KVM refuses or
 * svmhv cannot take (routing.h), ERR_PTR(-ENOMEM).
 */
struct vdev_routing *vdev_routing_build(const struct kvm_irq_routing_entry *e,
					u32 nr)
{
	struct vdev_routing *rt;
	u32 i, nr_gsis = 0;

	for (i = 0; i < nr; i++) {
		if (e[i].gsi >= VDEV_MAX_GSIS)
			return ERR_PTR(-EINVAL);
		nr_gsis = max(nr_gsis, e[i].gsi + 1);
	}
	rt = vdev_routing_alloc(nr_gsis);
	if (!rt)
		return ERR_PTR(-ENOMEM);
	for (i = 0; i < nr; i++) {
		u32 gsi = array_index_nospec(e[i].gsi, nr_gsis);
		u16 input = vdev_route_pic_input(&e[i]);

		/* As KVM: one input per chip for each GSI. */
		if (!input || vdev_route_same_chip(rt->pic[gsi], input)) {
			kfree(rt);
			return ERR_PTR(-EINVAL);
		}
		rt->pic[gsi] |= input;
	}
	return rt;
}

/**
 * vdev_routing_default() - the table after KVM_CREATE_IRQCHIP: GSIs 0-7
 * to the master PIC's inputs 0-7, GSIs 8-15 to the slave's.  KVM's also
 * has GSIs 0-23 on its IOAPIC, which svmhv does not have yet.
 *
 * Return: the table, or NULL without memory.
 */
struct vdev_routing *vdev_routing_default(void)
{
	struct vdev_routing *rt = vdev_routing_alloc(VDEV_PIC_INPUTS);
	u32 gsi;

	if (!rt)
		return NULL;
	for (gsi = 0; gsi < VDEV_PIC_INPUTS; gsi++)
		rt->pic[gsi] = BIT(gsi);
	return rt;
}

/**
 * vdev_routing_free() - free a table.
 * @rt: the table, or NULL
 */
void vdev_routing_free(struct vdev_routing *rt)
{
	kfree(rt);
}

/**
 * vdev_routing_pic_inputs() - the PIC inputs @gsi drives.
 * @rt: the table
 * @gsi: any number
 *
 * Return: bit n for the PIC's input n (the slave's are 8-15); 0 when
 * @gsi goes nowhere.
 */
u16 vdev_routing_pic_inputs(const struct vdev_routing *rt, u32 gsi)
{
	if (gsi >= rt->nr_gsis)
		return 0;
	return rt->pic[array_index_nospec(gsi, rt->nr_gsis)];
}
