// SPDX-License-Identifier: GPL-2.0
/*
 * The VM's in-kernel devices from userspace: the ioctls that create them
 * (KVM_CREATE_IRQCHIP, KVM_CREATE_PIT2, SVMHV_CREATE_UART,
 * SVMHV_ENABLE_PC_PORTS), KVM_IRQ_LINE and KVM_SET_GSI_ROUTING, and the
 * UART's file.  intr.c wires them into the run loop; intr.h has the
 * locking.
 */
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kvm.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>

#include "../vdev/vdev.h"
#include "devices.h"
#include "intr.h"
#include "vm.h"

/* Bytes a read() of the UART file takes from the ring per round. */
#define SVM_UART_CHUNK		256

/**
 * svm_devices_destroy() - free the devices; no vCPU and no file is left.
 * @vm: the VM
 */
void svm_devices_destroy(struct svm_vm *vm)
{
	vdev_destroy(vm->vdev);
	vm->vdev = NULL;
}

/*
 * Add @devices to the VM's, creating the set on first use; the others'
 * ports stay userspace's.  vm->lock is held.
 */
static int svm_vdev_add(struct svm_vm *vm, unsigned int devices)
{
	struct vdev *vd = vm->vdev;

	lockdep_assert_held(&vm->lock);
	if (!vd) {
		vd = vdev_create(devices, svm_vdev_notify, vm, ktime_get_ns());
		if (!vd)
			return -ENOMEM;
		/* Pairs with svm_vdev(): the devices are set up. */
		smp_store_release(&vm->vdev, vd);
		return 0;
	}
	spin_lock(&vm->vdev_lock);
	vdev_enable(vd, devices);
	spin_unlock(&vm->vdev_lock);
	return 0;
}

/*
 * Add @devices, which raise interrupts: not without the irqchip (-ENXIO),
 * nor a second time (@present: they are there already, -EEXIST).
 * vm->lock is held.
 */
static int svm_vdev_add_irq(struct svm_vm *vm, unsigned int devices,
			    bool present)
{
	lockdep_assert_held(&vm->lock);
	if (!vm->irqchip)
		return -ENXIO;
	if (present)
		return -EEXIST;
	return svm_vdev_add(vm, devices);
}

/**
 * svm_create_irqchip() - KVM_CREATE_IRQCHIP: the PIC pair and the ELCRs.
 * @vm: the VM
 *
 * As KVM: only before the first vCPU (with a local APIC, each vCPU gets
 * its own when it is created).
 *
 * Return: 0; -EEXIST for a second one, -EINVAL once a vCPU exists,
 * -ENOMEM.
 */
int svm_create_irqchip(struct svm_vm *vm)
{
	int ret;

	mutex_lock(&vm->lock);
	ret = -EEXIST;
	if (vm->irqchip)
		goto out;
	ret = -EINVAL;
	if (atomic_read(&vm->nr_vcpus))
		goto out;
	ret = svm_vdev_add(vm, VDEV_PIC);
	if (ret)
		goto out;
	/* The devices before the flag: see svm_has_irqchip(). */
	smp_store_release(&vm->irqchip, true);
out:
	mutex_unlock(&vm->lock);
	return ret;
}

/**
 * svm_irq_line() - KVM_IRQ_LINE: drive a GSI, through the routing table.
 * @vm: the VM
 * @argp: struct kvm_irq_level: the GSI, level 0 or nonzero
 *
 * Return: 0, also for a GSI that goes nowhere (as KVM); -ENXIO without an
 * irqchip (as KVM), -EFAULT.
 */
int svm_irq_line(struct svm_vm *vm, void __user *argp)
{
	struct kvm_irq_level l;
	struct vdev *vd;

	if (copy_from_user(&l, argp, sizeof(l)))
		return -EFAULT;
	if (!svm_has_irqchip(vm))
		return -ENXIO;
	vd = svm_vdev_lock(vm);
	vdev_irq_line(vd, l.irq, !!l.level);
	svm_vdev_unlock(vm);
	return 0;
}

/**
 * svm_set_gsi_routing() - KVM_SET_GSI_ROUTING: a new routing table, which
 * replaces the whole old one.
 * @vm: the VM
 * @argp: struct kvm_irq_routing and its entries
 *
 * Return: 0; -EINVAL without an irqchip (as KVM), for flags, more than
 * KVM_MAX_IRQ_ROUTES entries or an entry vdev_routing_build() refuses;
 * -EFAULT, -ENOMEM.
 */
int svm_set_gsi_routing(struct svm_vm *vm, void __user *argp)
{
	struct kvm_irq_routing __user *ur = argp;
	struct kvm_irq_routing_entry *e = NULL;
	struct vdev_routing *rt;
	struct kvm_irq_routing r;
	struct vdev *vd;

	if (copy_from_user(&r, ur, sizeof(r)))
		return -EFAULT;
	if (!svm_has_irqchip(vm) || r.nr > VDEV_MAX_GSIS || r.flags)
		return -EINVAL;
	if (r.nr) {
		e = vmemdup_user(ur->entries, array_size(sizeof(*e), r.nr));
		if (IS_ERR(e))
			return PTR_ERR(e);
	}
	rt = vdev_routing_build(e, r.nr);
	kvfree(e);
	if (IS_ERR(rt))
		return PTR_ERR(rt);
	vd = svm_vdev_lock(vm);
	rt = vdev_set_routing(vd, rt);
	svm_vdev_unlock(vm);
	vdev_routing_free(rt);
	return 0;
}

/**
 * svm_create_pit() - KVM_CREATE_PIT2: the 8254 and port 0x61.
 * @vm: the VM
 * @argp: struct kvm_pit_config; its flags must be 0
 *
 * Return: 0; -EINVAL for flags, -ENXIO without an irqchip (KVM would
 * create a PIT whose IRQ 0 goes nowhere), -EEXIST for a second one,
 * -EFAULT.
 */
int svm_create_pit(struct svm_vm *vm, void __user *argp)
{
	struct kvm_pit_config cfg;
	int ret;

	if (copy_from_user(&cfg, argp, sizeof(cfg)))
		return -EFAULT;
	if (cfg.flags)
		return -EINVAL;
	mutex_lock(&vm->lock);
	ret = svm_vdev_add_irq(vm, VDEV_PIT, vm->pit);
	if (!ret)
		vm->pit = true;
	mutex_unlock(&vm->lock);
	return ret;
}

/**
 * svm_enable_pc_ports() - SVMHV_ENABLE_PC_PORTS: the CMOS RTC, the reset
 * ports (0x64, 0xCF9) and the delay ports (0x80, 0xED).
 * @vm: the VM
 * @arg: must be 0
 *
 * They need no irqchip (the RTC raises no interrupt here).
 *
 * Return: 0; -EINVAL for @arg, -EEXIST the second time, -ENOMEM.
 */
int svm_enable_pc_ports(struct svm_vm *vm, unsigned long arg)
{
	int ret;

	if (arg)
		return -EINVAL;
	mutex_lock(&vm->lock);
	ret = -EEXIST;
	if (vm->pc_ports)
		goto out;
	ret = svm_vdev_add(vm, VDEV_RTC | VDEV_SYSTEM);
	if (!ret)
		vm->pc_ports = true;
out:
	mutex_unlock(&vm->lock);
	return ret;
}

/* Take up to @len bytes of the guest's serial output. */
static size_t svm_uart_take(struct svm_vm *vm, u8 *buf, size_t len)
{
	struct vdev *vd = svm_vdev_lock(vm);
	size_t n = vdev_uart_tx_drain(vd, buf, len);

	svm_vdev_unlock(vm);
	return n;
}

static bool svm_uart_readable(struct svm_vm *vm)
{
	struct vdev *vd = svm_vdev_lock(vm);
	bool ret = vdev_uart_tx_pending(vd);

	svm_vdev_unlock(vm);
	return ret;
}

/*
 * read(): the guest's output, as much as fits.  Blocks while there is
 * none, unless O_NONBLOCK (-EAGAIN).  Bytes taken from the ring whose
 * copy to userspace faults are lost.
 */
static ssize_t svm_uart_read(struct file *file, char __user *buf, size_t len,
			     loff_t *off)
{
	struct svm_vm *vm = file->private_data;
	u8 tmp[SVM_UART_CHUNK];
	size_t n, done = 0;
	int ret;

	if (!len)
		return 0;
	for (;;) {
		n = svm_uart_take(vm, tmp, min(len, sizeof(tmp)));
		if (n)
			break;
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		ret = wait_event_interruptible(vm->uart_wq,
					       svm_uart_readable(vm));
		if (ret)
			return ret;
	}
	while (n) {
		if (copy_to_user(buf + done, tmp, n))
			return done ? done : -EFAULT;
		done += n;
		n = svm_uart_take(vm, tmp, min(len - done, sizeof(tmp)));
	}
	return done;
}

/*
 * write(): input for the guest, as much as the receive FIFO takes now;
 * -EAGAIN when it takes nothing (full, or in loopback mode).  It never
 * blocks: poll() for POLLOUT.
 */
static ssize_t svm_uart_write(struct file *file, const char __user *buf,
			      size_t len, loff_t *off)
{
	struct svm_vm *vm = file->private_data;
	u8 tmp[VDEV_UART_FIFO];
	struct vdev *vd;
	size_t n;

	if (!len)
		return 0;
	n = min(len, sizeof(tmp));
	if (copy_from_user(tmp, buf, n))
		return -EFAULT;
	vd = svm_vdev_lock(vm);
	n = vdev_uart_rx_push(vd, tmp, n);
	svm_vdev_unlock(vm);
	return n ? n : -EAGAIN;
}

static __poll_t svm_uart_poll(struct file *file, poll_table *wait)
{
	struct svm_vm *vm = file->private_data;
	__poll_t mask = 0;
	struct vdev *vd;

	poll_wait(file, &vm->uart_wq, wait);
	vd = svm_vdev_lock(vm);
	if (vdev_uart_tx_pending(vd))
		mask |= EPOLLIN | EPOLLRDNORM;
	if (vdev_uart_rx_room(vd))
		mask |= EPOLLOUT | EPOLLWRNORM;
	svm_vdev_unlock(vm);
	return mask;
}

static int svm_uart_release(struct inode *inode, struct file *file)
{
	svm_vm_put(file->private_data);
	return 0;
}

static const struct file_operations svm_uart_fops = {
	.owner = THIS_MODULE,
	.read = svm_uart_read,
	.write = svm_uart_write,
	.poll = svm_uart_poll,
	.release = svm_uart_release,
	.llseek = noop_llseek,
};

/**
 * svm_create_uart() - SVMHV_CREATE_UART: the 16550A at 0x3F8 (IRQ 4).
 * @vm: the VM
 * @arg: must be 0
 *
 * The file it returns holds a reference on the VM.  The fd and the file
 * are made before the UART is added, so that nothing can fail after it.
 *
 * Return: the UART's file descriptor; -EINVAL for @arg, -ENXIO without
 * an irqchip, -EEXIST the second time, -ENOMEM, -EMFILE.
 */
int svm_create_uart(struct svm_vm *vm, unsigned long arg)
{
	struct file *file;
	int fd, ret;

	if (arg)
		return -EINVAL;
	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0)
		return fd;
	kref_get(&vm->ref);
	file = anon_inode_getfile("svmhv-uart", &svm_uart_fops, vm,
				  O_RDWR | O_CLOEXEC);
	if (IS_ERR(file)) {
		svm_vm_put(vm);		/* the VM fd still holds one */
		put_unused_fd(fd);
		return PTR_ERR(file);
	}
	mutex_lock(&vm->lock);
	ret = svm_vdev_add_irq(vm, VDEV_UART, vm->uart);
	if (!ret)
		vm->uart = true;
	mutex_unlock(&vm->lock);
	if (ret) {
		fput(file);		/* its release drops the reference */
		put_unused_fd(fd);
		return ret;
	}
	fd_install(fd, file);
	return fd;
}
