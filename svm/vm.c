// SPDX-License-Identifier: GPL-2.0
/*
 * VM file descriptors: KVM_CREATE_VM and the VM ioctls.
 *
 * Each vCPU file holds a reference on its VM, so the VM (with its
 * vCPUs, slots and MMU state) goes away when the last of the VM fd and
 * its vCPU fds is closed.
 */
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/uaccess.h>

#include "cpu.h"
#include "devices.h"
#include "intr.h"
#include "mce.h"
#include "memslot.h"
#include "msr_user.h"
#include "paging_regs.h"
#include "stats.h"
#include "vcpu.h"
#include "vm.h"
#include "../shadow/shadow.h"
#include "../vdev/routing.h"

static bool npt = true;
module_param(npt, bool, 0444);
MODULE_PARM_DESC(npt, "Run new VMs under nested paging when the CPU has it (default 1); 0: shadow paging");

static void svm_vm_destroy(struct kref *ref)
{
	struct svm_vm *vm = container_of(ref, struct svm_vm, ref);
	int i;

	/* Slots first: deleting one still walks the vCPUs to flush them. */
	svm_destroy_slots(vm);
	for (i = 0; i < SVM_MAX_VCPUS; i++) {
		if (vm->vcpus[i])
			svm_vcpu_free(vm->vcpus[i]);
		vm->vcpus[i] = NULL;
	}
	svm_devices_destroy(vm);
	svm_free_msr_filter(vm);
	vm->mmu->destroy_vm(vm);
	mmdrop(vm->mm);
	kfree(vm);
}

/**
 * svm_vm_default_shadow() - do new VMs start under shadow paging?
 *
 * Return: true when the npt parameter is 0 or the CPU has no NPT.
 */
bool svm_vm_default_shadow(void)
{
	return !(npt && svm_host_features.npt);
}

/**
 * svm_vm_put() - drop a reference on a VM.
 * @vm: the VM
 */
void svm_vm_put(struct svm_vm *vm)
{
	kref_put(&vm->ref, svm_vm_destroy);
}

/**
 * svm_check_extension() - KVM_CHECK_EXTENSION, on the system and VM fds.
 * @cap: a KVM_CAP_* number
 *
 * Return: nonzero only for what svmhv implements.
 */
long svm_check_extension(unsigned long cap)
{
	switch (cap) {
	case KVM_CAP_USER_MEMORY:
	case KVM_CAP_SET_TSS_ADDR:
	case KVM_CAP_EXT_CPUID:
	case KVM_CAP_HLT:
	case KVM_CAP_IMMEDIATE_EXIT:
	case KVM_CAP_CHECK_EXTENSION_VM:
	case KVM_CAP_IRQCHIP:
	case KVM_CAP_PIT2:
	case KVM_CAP_MP_STATE:
	case KVM_CAP_VCPU_EVENTS:
	case KVM_CAP_INTR_SHADOW:
	case KVM_CAP_DEBUGREGS:
	case KVM_CAP_XSAVE:
	case KVM_CAP_MMU_SHADOW_CACHE_CONTROL:
	case KVM_CAP_GET_MSR_FEATURES:
	case KVM_CAP_VCPU_ATTRIBUTES:
	case KVM_CAP_BINARY_STATS_FD:
	case KVM_CAP_X86_USER_SPACE_MSR:
	case KVM_CAP_X86_MSR_FILTER:
	case KVM_CAP_DESTROY_MEMORY_REGION_WORKS:
	case KVM_CAP_JOIN_MEMORY_REGIONS_WORKS:
	case KVM_CAP_GET_TSC_KHZ:
	case KVM_CAP_USER_NMI:
	case KVM_CAP_READONLY_MEM:
		return 1;
	case KVM_CAP_SYNC_REGS:
		return KVM_SYNC_X86_REGS | KVM_SYNC_X86_SREGS |
		       KVM_SYNC_X86_EVENTS;
	case KVM_CAP_NR_MEMSLOTS:
		return SVM_MAX_SLOTS;
	case KVM_CAP_MCE:
		return SVM_MCE_MAX_BANKS;
	case KVM_CAP_IRQ_ROUTING:
		return VDEV_MAX_GSIS;
	case KVM_CAP_NR_VCPUS:
		return min_t(int, num_online_cpus(), SVM_MAX_VCPUS);
	case KVM_CAP_MAX_VCPUS:
		return SVM_MAX_VCPUS;
	case KVM_CAP_MAX_VCPU_ID:
		return SVM_MAX_VCPU_IDS;
	default:
		return 0;
	}
}

/*
 * KVM_CAP_MAX_VCPU_ID, as KVM: set once (the same value again is
 * accepted), at most SVM_MAX_VCPU_IDS.
 */
static int svm_vm_set_max_vcpu_ids(struct svm_vm *vm, u64 max)
{
	int ret = -EINVAL;

	if (max > SVM_MAX_VCPU_IDS)
		return -EINVAL;
	mutex_lock(&vm->lock);
	if (!vm->max_vcpu_ids || vm->max_vcpu_ids == max) {
		vm->max_vcpu_ids = max;
		ret = 0;
	}
	mutex_unlock(&vm->lock);
	return ret;
}

/*
 * KVM_ENABLE_CAP on a VM: KVM_CAP_MAX_VCPU_ID, and
 * KVM_CAP_X86_USER_SPACE_MSR with the reasons of the MSR accesses that
 * exit to userspace (any time, replacing the last ones, as KVM).
 */
static int svm_vm_enable_cap(struct svm_vm *vm, void __user *argp)
{
	struct kvm_enable_cap cap;

	if (copy_from_user(&cap, argp, sizeof(cap)))
		return -EFAULT;
	if (cap.flags)
		return -EINVAL;
	switch (cap.cap) {
	case KVM_CAP_MAX_VCPU_ID:
		return svm_vm_set_max_vcpu_ids(vm, cap.args[0]);
	case KVM_CAP_X86_USER_SPACE_MSR:
		if (cap.args[0] & ~SVM_MSR_EXIT_REASONS)
			return -EINVAL;
		mutex_lock(&vm->lock);
		WRITE_ONCE(vm->user_space_msr, cap.args[0]);
		mutex_unlock(&vm->lock);
		return 0;
	default:
		return -EINVAL;
	}
}

/*
 * KVM_SET_NR_MMU_PAGES: as KVM, at least 64 (KVM_MIN_ALLOC_MMU_PAGES).
 * Under shadow paging it lowers the shadow_pages limit, per vCPU here
 * (KVM's is per VM); nested paging's tables have no limit, as KVM's TDP
 * MMU.
 */
static int svm_vm_set_nr_mmu_pages(struct svm_vm *vm, unsigned long n)
{
	if (n < 64)
		return -EINVAL;
	mutex_lock(&vm->lock);
	WRITE_ONCE(vm->nr_mmu_pages, n);
	mutex_unlock(&vm->lock);
	return 0;
}

static int svm_vm_get_stats(struct svm_vm *vm, void __user *argp)
{
	struct svmhv_vm_stats st = {};
	int i, j;

	st.mmu = vm->mmu->mode;
	st.nr_vcpus = atomic_read(&vm->nr_vcpus);
	down_read(&vm->slots_lock);
	memcpy(st.leaves, vm->leaves, sizeof(st.leaves));
	st.pinned_pages = vm->pinned_pages;
	up_read(&vm->slots_lock);
	for (i = 0; i < SVM_MAX_VCPUS; i++) {
		struct svm_vcpu *vcpu = READ_ONCE(vm->vcpus[i]);

		if (!vcpu)
			continue;
		st.runs += READ_ONCE(vcpu->runs);
		for (j = 0; j < SVMHV_EXIT_STAT_NR; j++)
			st.exits[j] += READ_ONCE(vcpu->exits[j]);
	}
	/* vm->lock keeps the backend from changing under us. */
	mutex_lock(&vm->lock);
	if (vm->mmu->stats)
		vm->mmu->stats(vm, st.shadow);
	mutex_unlock(&vm->lock);
	return copy_to_user(argp, &st, sizeof(st)) ? -EFAULT : 0;
}

/* Lock every vCPU's ioctls out, or fail: vm->lock is held (inner). */
static bool svm_vm_trylock_vcpus(struct svm_vm *vm)
{
	int i;

	for (i = 0; i < SVM_MAX_VCPUS; i++) {
		if (!vm->vcpus[i] || mutex_trylock(&vm->vcpus[i]->mutex))
			continue;
		while (--i >= 0)
			if (vm->vcpus[i])
				mutex_unlock(&vm->vcpus[i]->mutex);
		return false;
	}
	return true;
}

static void svm_vm_unlock_vcpus(struct svm_vm *vm)
{
	int i;

	for (i = 0; i < SVM_MAX_VCPUS; i++)
		if (vm->vcpus[i])
			mutex_unlock(&vm->vcpus[i]->mutex);
}

/*
 * Move the VM's slots and vCPUs from vm->mmu to @new.  A vCPU whose CR4
 * has a bit @new does not run with (the shadow MMU refuses PCIDE, SMEP
 * and SMAP) is -EINVAL.  Every slot is mapped under @new before the old
 * MMU lets go of anything, so that a failure (only NPT's mapping can
 * fail, for memory) leaves the VM on its old MMU as it was.  slots_lock
 * held for write, no vCPU ioctl running.
 */
static int svm_vm_switch_mmu(struct svm_vm *vm, const struct svm_mmu_ops *new)
{
	const struct svm_mmu_ops *old = vm->mmu;
	void *old_priv = vm->mmu_priv, *new_priv;
	int i, ret;

	for (i = 0; i < SVM_MAX_VCPUS; i++)
		if (vm->vcpus[i] &&
		    !svm_cr4_valid_mmu(svm_guest_cr4(vm->vcpus[i]),
				       new->shadows_crs))
			return -EINVAL;
	vm->mmu_priv = NULL;
	ret = new->init_vm(vm);
	for (i = 0; i < SVM_MAX_SLOTS && !ret; i++)
		if (vm->slots[i])
			ret = new->map_slot(vm, vm->slots[i]);
	if (ret) {
		if (vm->mmu_priv) {
			for (i = 0; i < SVM_MAX_SLOTS; i++)
				if (vm->slots[i])
					new->unmap_slot(vm, vm->slots[i]);
			new->destroy_vm(vm);
		}
		vm->mmu_priv = old_priv;
		return ret;
	}

	new_priv = vm->mmu_priv;
	vm->mmu_priv = old_priv;
	for (i = 0; i < SVM_MAX_SLOTS; i++)
		if (vm->slots[i])
			old->unmap_slot(vm, vm->slots[i]);
	if (old->flush_done)
		old->flush_done(vm);
	for (i = 0; i < SVM_MAX_VCPUS; i++)
		if (vm->vcpus[i])
			svm_vcpu_mmu_detach(vm->vcpus[i]);
	old->destroy_vm(vm);
	vm->mmu_priv = new_priv;
	vm->mmu = new;
	for (i = 0; i < SVM_MAX_VCPUS; i++)
		if (vm->vcpus[i])
			svm_vcpu_mmu_attach(vm->vcpus[i]);
	return 0;
}

/*
 * SVMHV_SET_MMU: move the VM, its slots and its vCPUs to another MMU.
 * Only before any vCPU ran, so no guest state depends on the old one,
 * and while no vCPU ioctl runs (EBUSY otherwise).
 */
static int svm_vm_set_mmu(struct svm_vm *vm, unsigned long mode)
{
	const struct svm_mmu_ops *new;
	int ret = 0;

	if (mode == SVMHV_MMU_NPT)
		new = &npt_mmu_ops;
	else if (mode == SVMHV_MMU_SHADOW)
		new = &shadow_mmu_ops;
	else
		return -EINVAL;
	if (new == &npt_mmu_ops && !svm_host_features.npt)
		return -EOPNOTSUPP;

	mutex_lock(&vm->lock);
	if (vm->ran || !svm_vm_trylock_vcpus(vm)) {
		ret = -EBUSY;
		goto out;
	}
	if (new != vm->mmu) {
		down_write(&vm->slots_lock);
		ret = svm_vm_switch_mmu(vm, new);
		up_write(&vm->slots_lock);
	}
	svm_vm_unlock_vcpus(vm);
out:
	mutex_unlock(&vm->lock);
	return ret;
}

static long svm_vm_ioctl(struct file *file, unsigned int cmd,
			 unsigned long arg)
{
	struct svm_vm *vm = file->private_data;
	void __user *argp = (void __user *)arg;
	struct kvm_userspace_memory_region mr;
	struct kvm_dirty_log log;
	long ret;

	/* As KVM: a VM belongs to the process that created it. */
	if (vm->mm != current->mm)
		return -EIO;

	switch (cmd) {
	case KVM_SET_USER_MEMORY_REGION:
		if (copy_from_user(&mr, argp, sizeof(mr)))
			return -EFAULT;
		mutex_lock(&vm->lock);
		ret = svm_set_memory_region(vm, &mr);
		mutex_unlock(&vm->lock);
		return ret;
	case KVM_GET_DIRTY_LOG:
		if (copy_from_user(&log, argp, sizeof(log)))
			return -EFAULT;
		mutex_lock(&vm->lock);
		ret = svm_get_dirty_log(vm, &log);
		mutex_unlock(&vm->lock);
		return ret;
	case KVM_CREATE_VCPU:
		return svm_vcpu_create(vm, arg);
	case KVM_SET_TSS_ADDR:
		/* SVM runs real mode natively: no TSS is needed. */
		return 0;
	case KVM_CHECK_EXTENSION:
		return svm_check_extension(arg);
	case KVM_ENABLE_CAP:
		return svm_vm_enable_cap(vm, argp);
	case KVM_X86_SET_MSR_FILTER:
		return svm_set_msr_filter(vm, argp);
	case KVM_SET_NR_MMU_PAGES:
		return svm_vm_set_nr_mmu_pages(vm, arg);
	case KVM_GET_STATS_FD:
		return svm_get_stats_fd(vm, NULL);
	case KVM_GET_NR_MMU_PAGES:
		return READ_ONCE(vm->nr_mmu_pages) ?: shadow_max_pages();
	case SVMHV_GET_VM_STATS:
		return svm_vm_get_stats(vm, argp);
	case SVMHV_SET_MMU:
		return svm_vm_set_mmu(vm, arg);
	case KVM_CREATE_IRQCHIP:
		return svm_create_irqchip(vm);
	case KVM_IRQ_LINE:
		return svm_irq_line(vm, argp);
	case KVM_SET_GSI_ROUTING:
		return svm_set_gsi_routing(vm, argp);
	case KVM_CREATE_PIT2:
		return svm_create_pit(vm, argp);
	case SVMHV_CREATE_UART:
		return svm_create_uart(vm, arg);
	case SVMHV_ENABLE_PC_PORTS:
		return svm_enable_pc_ports(vm, arg);
	default:
		return -ENOTTY;
	}
}

static int svm_vm_release(struct inode *inode, struct file *file)
{
	svm_vm_put(file->private_data);
	return 0;
}

static const struct file_operations svm_vm_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = svm_vm_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.release = svm_vm_release,
	.llseek = noop_llseek,
};

/**
 * svm_vm_create() - KVM_CREATE_VM.
 * @type: must be 0 (the default VM type)
 *
 * Return: a new VM file descriptor, or a negative errno.
 */
int svm_vm_create(unsigned long type)
{
	struct svm_vm *vm;
	int ret, fd;

	if (type)
		return -EINVAL;
	vm = kzalloc(sizeof(*vm), GFP_KERNEL_ACCOUNT);
	if (!vm)
		return -ENOMEM;
	kref_init(&vm->ref);
	mutex_init(&vm->lock);
	init_rwsem(&vm->slots_lock);
	atomic_set(&vm->nr_vcpus, 0);
	svm_irq_vm_init(vm);
	vm->mm = current->mm;
	mmgrab(vm->mm);
	vm->mmu = svm_vm_default_shadow() ? &shadow_mmu_ops : &npt_mmu_ops;
	ret = vm->mmu->init_vm(vm);
	if (ret)
		goto out_free;

	fd = anon_inode_getfd("svmhv-vm", &svm_vm_fops, vm, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		ret = fd;
		goto out_mmu;
	}
	return fd;

out_mmu:
	vm->mmu->destroy_vm(vm);
out_free:
	mmdrop(vm->mm);
	kfree(vm);
	return ret;
}
