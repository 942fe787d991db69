// SPDX-License-Identifier: GPL-2.0
/*
 * Read-only diagnostics under /sys/kernel/debug/svmhv/.
 *
 * cpus: one line per possible CPU: whether svmhv has SVM enabled on it
 * and what CPUID 8000_000Ah said there.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "svm.h"

static struct dentry *svm_debugfs_dir;

static int cpus_show(struct seq_file *m, void *unused)
{
	svm_cpus_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(cpus);

/**
 * svm_debugfs_init() - create the diagnostics directory.
 *
 * Failure is not fatal: debugfs is for humans and tests, not for running
 * guests, so errors are ignored as debugfs asks its users to do.
 */
void svm_debugfs_init(void)
{
	svm_debugfs_dir = debugfs_create_dir("svmhv", NULL);
	debugfs_create_file("cpus", 0444, svm_debugfs_dir, NULL, &cpus_fops);
}

/**
 * svm_debugfs_exit() - remove the diagnostics directory.
 */
void svm_debugfs_exit(void)
{
	debugfs_remove_recursive(svm_debugfs_dir);
}
