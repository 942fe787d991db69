/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host's CPUs (cpu.c): SVM enabled on each, the host save area, the
 * ASIDs, and what the host keeps in the registers a guest switches.
 */
#ifndef SVMHV_SVM_CPU_H
#define SVMHV_SVM_CPU_H

#include <linux/types.h>

#include "features.h"

struct seq_file;

/* What every CPU that has been enabled so far has in common. */
extern struct svm_features svm_host_features;

int svm_check_boot_cpu(void);
int svm_cpus_enable(void);
void svm_cpus_disable(void);
bool svm_cpus_going_down(void);
void svm_cpus_show(struct seq_file *m);
u64 svm_cpu_host_save_pa(void);
u64 svm_cpu_host_tsc_aux(void);
u64 svm_cpu_host_cr4_mce(void);
bool svm_cpu_assign_asid(u32 *asid, u64 *gen, int *asid_cpu);
bool svm_cpu_switch_vmcb(u64 pa);

#endif /* SVMHV_SVM_CPU_H */
