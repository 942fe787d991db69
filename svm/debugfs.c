// SPDX-License-Identifier: GPL-2.0
/*
 * Read-only diagnostics under /sys/kernel/debug/svmhv/.
 *
 * cpus: one line per possible CPU: whether svmhv has SVM enabled on it
 * and what CPUID 8000_000Ah said there.
 * mmu_pages: page-table pages each MMU backend holds now, over all VMs
 * (0 once every VM is gone: the leak check of the tests).
 * pinned_pages: user pages svmhv holds pinned for memory slots now, over
 * all VMs and processes (0 once every VM is gone).  The unit is the base
 * (4K) page: one per entry of a slot's page array, each one pin taken by
 * pin_user_pages_fast().  A transparent or hugetlbfs huge page is pinned
 * once for each of its 4K subpages in the slot (its pin count goes up by
 * that many), so a 2M page that backs a slot whole counts 512 and a 1G
 * page 262144; outside a KVM_SET_USER_MEMORY_REGION in progress the
 * counter is the sum of the slots' sizes in 4K pages, VmLck's unit.
 * VmLck belongs to a process and goes with it; this counter outlives
 * every process, so a pin that any exit path leaves behind shows here.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "cpu.h"
#include "debugfs.h"
#include "memslot.h"
#include "types.h"

static struct dentry *svm_debugfs_dir;

static int cpus_show(struct seq_file *m, void *unused)
{
	svm_cpus_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(cpus);

static int mmu_pages_show(struct seq_file *m, void *unused)
{
	static const struct svm_mmu_ops *const mmus[] = {
		&npt_mmu_ops, &shadow_mmu_ops,
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(mmus); i++)
		seq_printf(m, "%s %ld\n", mmus[i]->name,
			   atomic_long_read(mmus[i]->live_pages));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(mmu_pages);

static int pinned_pages_show(struct seq_file *m, void *unused)
{
	seq_printf(m, "%ld\n", atomic_long_read(&svm_pinned_pages));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pinned_pages);

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
	debugfs_create_file("mmu_pages", 0444, svm_debugfs_dir, NULL,
			    &mmu_pages_fops);
	debugfs_create_file("pinned_pages", 0444, svm_debugfs_dir, NULL,
			    &pinned_pages_fops);
}

/**
 * svm_debugfs_exit() - remove the diagnostics directory.
 */
void svm_debugfs_exit(void)
{
	debugfs_remove_recursive(svm_debugfs_dir);
}
