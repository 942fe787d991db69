/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interfaces between the parts of svm/: CPU ownership, the device, and the
 * diagnostics files.
 */
#ifndef SVMHV_SVM_SVM_H
#define SVMHV_SVM_SVM_H

#include <linux/types.h>

#include "features.h"

struct seq_file;

/* What every CPU that has been enabled so far has in common. */
extern struct svm_features svm_host_features;

int svm_check_boot_cpu(void);
int svm_cpus_enable(void);
void svm_cpus_disable(void);
void svm_cpus_show(struct seq_file *m);
u64 svm_cpu_host_save_pa(void);
u64 svm_cpu_host_tsc_aux(void);
u64 svm_cpu_host_cr4_mce(void);
bool svm_cpu_assign_asid(u32 *asid, u64 *gen, int *asid_cpu);
bool svm_cpu_switch_vmcb(u64 pa);

int svm_dev_register(void);
void svm_dev_unregister(void);

void svm_debugfs_init(void);
void svm_debugfs_exit(void);

#endif /* SVMHV_SVM_SVM_H */
