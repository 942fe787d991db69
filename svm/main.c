// SPDX-License-Identifier: GPL-2.0
/*
 * svmhv: a minimal AMD-V (SVM) hypervisor that speaks a subset of the KVM
 * API through /dev/svmhv.
 *
 * Load order: check the CPU, own SVM on every CPU, then publish the
 * diagnostics and the device.  Unload undoes it in reverse.  The device
 * holds a module reference while open, so unload waits for no one.
 */
#define pr_fmt(fmt) "svmhv: " fmt

#include <linux/init.h>
#include <linux/module.h>

#include "cpu.h"
#include "cpuid.h"
#include "debugfs.h"
#include "dev.h"
#include "permmap.h"

static int __init svm_init(void)
{
	int ret;

	ret = svm_check_boot_cpu();
	if (ret)
		return ret;

	ret = svm_permission_maps_init();
	if (ret)
		return ret;
	ret = svm_cpuid_init();
	if (ret)
		goto out_maps;
	ret = svm_cpus_enable();
	if (ret)
		goto out_cpuid;

	svm_debugfs_init();

	ret = svm_dev_register();
	if (ret)
		goto out_debugfs;

	return 0;

out_debugfs:
	svm_debugfs_exit();
	svm_cpus_disable();
out_cpuid:
	svm_cpuid_exit();
out_maps:
	svm_permission_maps_exit();
	return ret;
}

static void __exit svm_exit(void)
{
	svm_dev_unregister();
	svm_debugfs_exit();
	svm_cpus_disable();
	svm_cpuid_exit();
	svm_permission_maps_exit();
}

module_init(svm_init);
module_exit(svm_exit);

MODULE_DESCRIPTION("svmhv: minimal AMD-V hypervisor with a KVM-compatible API");
MODULE_LICENSE("GPL");
