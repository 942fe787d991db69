// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/svmhv: the system file descriptor of the KVM API subset svmhv
 * speaks.  Ioctl numbers and structures are those of <linux/kvm.h>, so a
 * KVM client can open this device instead of /dev/kvm.
 */
#include <linux/fs.h>
#include <linux/kvm.h>
#include <linux/miscdevice.h>
#include <linux/module.h>

#include "cpuid.h"
#include "dev.h"
#include "mce.h"
#include "msr.h"
#include "vm.h"

/* struct kvm_run, then a page for port I/O data (KVM's layout). */
#define SVM_VCPU_MMAP_SIZE	(2 * PAGE_SIZE)

static long svm_dev_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	switch (cmd) {
	case KVM_GET_API_VERSION:
		/* As KVM: the argument must be zero. */
		if (arg)
			return -EINVAL;
		return KVM_API_VERSION;
	case KVM_CHECK_EXTENSION:
		return svm_check_extension(arg);
	case KVM_CREATE_VM:
		return svm_vm_create(arg);
	case KVM_GET_VCPU_MMAP_SIZE:
		return arg ? -EINVAL : SVM_VCPU_MMAP_SIZE;
	case KVM_GET_SUPPORTED_CPUID:
		return svm_get_supported_cpuid((void __user *)arg,
					       svm_vm_default_shadow());
	case KVM_GET_MSR_INDEX_LIST:
	case KVM_GET_MSR_FEATURE_INDEX_LIST:
		return svm_get_msr_index_list((void __user *)arg,
					      cmd == KVM_GET_MSR_FEATURE_INDEX_LIST);
	case KVM_X86_GET_MCE_CAP_SUPPORTED:
		return put_user((u64)SVM_MCE_CAP_SUPPORTED,
				(u64 __user *)arg);
	case KVM_GET_MSRS:
		/* The feature MSRs. */
		return svm_msrs_ioctl(NULL, (void __user *)arg, false);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations svm_dev_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = svm_dev_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice svm_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "svmhv",
	.fops = &svm_dev_fops,
	.mode = 0600,
};

/**
 * svm_dev_register() - create /dev/svmhv.
 *
 * Return: 0 or a negative errno from misc_register().
 */
int svm_dev_register(void)
{
	return misc_register(&svm_dev);
}

/**
 * svm_dev_unregister() - remove /dev/svmhv.
 */
void svm_dev_unregister(void)
{
	misc_deregister(&svm_dev);
}
