/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The I/O and MSR permission maps every VMCB points to (permmap.c).
 */
#ifndef SVMHV_SVM_PERMMAP_H
#define SVMHV_SVM_PERMMAP_H

#include <linux/types.h>

int svm_permission_maps_init(void);
void svm_permission_maps_exit(void);
u64 svm_iopm_pa(void);
u64 svm_msrpm_pa(void);

#endif /* SVMHV_SVM_PERMMAP_H */
