/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest-physical memory (gpa.c), through the memory slots: the
 * guest-memory layer, with linear.h.  Every call is made with
 * vm->slots_lock held, for read at least.
 */
#ifndef SVMHV_SVM_GPA_H
#define SVMHV_SVM_GPA_H

#include <linux/types.h>

#include "gwalk.h"
#include "types.h"

bool svm_gpa_is_ram(struct svm_vm *vm, u64 gpa);
bool svm_gpa_logged(struct svm_vm *vm, u64 gpa);
bool svm_gpa_readonly(struct svm_vm *vm, u64 gpa);
void svm_gpa_log_write(struct svm_vm *vm, u64 gpa, size_t len);
struct page *svm_gpa_to_page(struct svm_vm *vm, u64 gpa);
u64 svm_contig_bytes(struct page **pages, unsigned long n, u64 max);
u64 svm_gpa_to_huge(struct svm_vm *vm, u64 gpa);
struct gwalk_mem svm_walk_mem(struct svm_vm *vm);
int svm_access_guest(struct svm_vm *vm, u64 gpa, void *buf, size_t len,
		     bool write);

#endif /* SVMHV_SVM_GPA_H */
