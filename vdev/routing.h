/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A VM's GSI routing table: which interrupt controller inputs each GSI
 * drives, for KVM_IRQ_LINE and the in-kernel devices' lines (the PIT's
 * GSI 0, the UART's GSI 4), as KVM routes them.
 *
 * vdev_routing_build() checks KVM_SET_GSI_ROUTING's entries with KVM's
 * rules (a GSI below KVM_MAX_IRQ_ROUTES, no flags, one input per chip
 * for each GSI, pins that exist) and makes a table; vdev_routing_default()
 * is the table KVM_CREATE_IRQCHIP starts with.  svmhv's controllers are
 * the PIC pair for now: entries for the IOAPIC and MSIs are refused
 * (-EINVAL) until there is an IOAPIC and a local APIC to take them, and
 * so are Hyper-V's and Xen's types, which svmhv does not offer.
 *
 * A table is not changed once built: the caller swaps whole tables under
 * the devices' lock and frees the old one after (vdev_set_routing()).
 */
#ifndef SVMHV_VDEV_ROUTING_H
#define SVMHV_VDEV_ROUTING_H

#include <linux/kvm.h>
#include <linux/types.h>

/* As KVM_MAX_IRQ_ROUTES: GSIs 0-4095, and at most this many entries. */
#define VDEV_MAX_GSIS		4096
/* The PIC pair's inputs as a routing table counts them: slave's 8-15. */
#define VDEV_PIC_INPUTS		16

struct vdev_routing {
	u32 nr_gsis;		/* GSIs from 0 to nr_gsis - 1 have a slot */
	u16 pic[];		/* per GSI, bit n: the PIC's input n */
};

struct vdev_routing *vdev_routing_build(const struct kvm_irq_routing_entry *e,
					u32 nr);
struct vdev_routing *vdev_routing_default(void);
void vdev_routing_free(struct vdev_routing *rt);
u16 vdev_routing_pic_inputs(const struct vdev_routing *rt, u32 gsi);

#endif /* SVMHV_VDEV_ROUTING_H */
