/* SPDX-License-Identifier: GPL-2.0 */
/* The paging exits (paging.c): MOV CR, #PF, INVLPG, task switches. */
#ifndef SVMHV_SVM_PAGING_H
#define SVMHV_SVM_PAGING_H

#include "types.h"

int svm_cr_exit(struct svm_vcpu *vcpu);
int svm_pf_exit(struct svm_vcpu *vcpu);
int svm_invlpg_exit(struct svm_vcpu *vcpu);
int svm_task_switch_exit(struct svm_vcpu *vcpu);

#endif /* SVMHV_SVM_PAGING_H */
