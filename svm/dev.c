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

#include "svm.h"

/*
 * KVM_CHECK_EXTENSION: nonzero only for what svmhv really implements.
 * Nothing beyond the base API is implemented yet.
 */
static long svm_check_extension(unsigned long cap)
{
	return 0;
}

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
