/* SPDX-License-Identifier: GPL-2.0 */
/* SVMHV_RUN_FLOOR (floor.c). */
#ifndef SVMHV_SVM_FLOOR_H
#define SVMHV_SVM_FLOOR_H

#include "../uapi/svmhv.h"
#include "types.h"

int svm_vcpu_run_floor(struct svm_vcpu *vcpu, struct svmhv_floor __user *uf);

#endif /* SVMHV_SVM_FLOOR_H */
