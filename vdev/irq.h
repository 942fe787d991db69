/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An interrupt line from a device model to whatever receives it: in
 * vdev.c the PIC, in the KUnit tests a recorder.  A device drives a level;
 * an edge-triggered receiver sees a rising edge when 0 becomes 1.
 */
#ifndef SVMHV_VDEV_IRQ_H
#define SVMHV_VDEV_IRQ_H

struct vdev_irq {
	void (*set)(void *ctx, int irq, int level);
	void *ctx;
	int irq;
};

static inline void vdev_irq_drive(const struct vdev_irq *line, int level)
{
	if (line->set)
		line->set(line->ctx, line->irq, level);
}

#endif /* SVMHV_VDEV_IRQ_H */
