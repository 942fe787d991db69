/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SVMHV_SVM_MEMSLOT_H
#define SVMHV_SVM_MEMSLOT_H

#include <linux/kvm.h>
#include <linux/types.h>

struct svm_vm;

int svm_check_region(const struct kvm_userspace_memory_region *mr);
int svm_set_memory_region(struct svm_vm *vm,
			  const struct kvm_userspace_memory_region *mr);
void svm_destroy_slots(struct svm_vm *vm);
bool svm_gpa_is_ram(struct svm_vm *vm, u64 gpa);
int svm_access_guest(struct svm_vm *vm, u64 gpa, void *buf, size_t len,
		     bool write);

#endif /* SVMHV_SVM_MEMSLOT_H */
