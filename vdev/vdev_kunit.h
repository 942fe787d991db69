/* SPDX-License-Identifier: GPL-2.0 */
/*
 * For the device models' KUnit tests: a recorder at the far end of a
 * device's interrupt line (struct vdev_irq), in place of the PIC.
 */
#ifndef SVMHV_VDEV_KUNIT_H
#define SVMHV_VDEV_KUNIT_H

#include "irq.h"

struct irq_rec {
	int level;	/* the line as the device last drove it */
	int rises;	/* 0 to 1 edges so far */
};

/* The vdev_irq set() of a line whose ctx is a struct irq_rec. */
static inline void rec_set(void *ctx, int irq, int level)
{
	struct irq_rec *r = ctx;

	if (level && !r->level)
		r->rises++;
	r->level = level;
}

#endif /* SVMHV_VDEV_KUNIT_H */
