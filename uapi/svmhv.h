/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * svmhv's own userspace API: what KVM's <linux/kvm.h> does not have.
 *
 * /dev/svmhv speaks the KVM ioctls with KVM's numbers and structures;
 * extensions live under their own ioctl type byte, SVMHVIO, so they can
 * never collide with a KVM ioctl.  0xAF numbers 0x00-0x1f belong to
 * linux/fsl_hypervisor.h; svmhv uses 0x80-0xff.
 */
#ifndef _UAPI_SVMHV_H
#define _UAPI_SVMHV_H

#define SVMHV_DEVICE	"/dev/svmhv"
#define SVMHVIO		0xAF

#endif /* _UAPI_SVMHV_H */
