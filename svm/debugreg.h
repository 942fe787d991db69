/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's debug registers (debugreg.c): DR0-DR3 switched lazily
 * around VMRUN, the DR-access and #DB exits, and the single-step trap
 * after an instruction svmhv completes.
 */
#ifndef SVMHV_SVM_DEBUGREG_H
#define SVMHV_SVM_DEBUGREG_H

#include "types.h"

void svm_dr_enter(struct svm_vcpu *vcpu);
void svm_dr_leave(struct svm_vcpu *vcpu);
void svm_dr_single_step(struct svm_vcpu *vcpu);
int svm_dr_exit(struct svm_vcpu *vcpu);
int svm_db_exit(struct svm_vcpu *vcpu);

#endif /* SVMHV_SVM_DEBUGREG_H */
