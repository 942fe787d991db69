/* SPDX-License-Identifier: GPL-2.0 */
/* KVM_GET_STATS_FD (stats.c): counters in KVM's binary statistics format. */
#ifndef SVMHV_SVM_STATS_H
#define SVMHV_SVM_STATS_H

#include "types.h"

int svm_get_stats_fd(struct svm_vm *vm, struct svm_vcpu *vcpu);

#endif /* SVMHV_SVM_STATS_H */
