/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's debug registers (debugreg.c): DR0-DR3 switched lazily
 * around VMRUN, the DR-access and #DB exits, and the single-step trap
 * after an instruction svmhv completes; KVM_GET/SET_DEBUGREGS.
 */
#ifndef SVMHV_SVM_DEBUGREG_H
#define SVMHV_SVM_DEBUGREG_H

#include "types.h"

struct kvm_debugregs;

void svm_dr_enter(struct svm_vcpu *vcpu);
void svm_dr_leave(struct svm_vcpu *vcpu);
void svm_dr_single_step(struct svm_vcpu *vcpu);
int svm_dr_exit(struct svm_vcpu *vcpu);
int svm_db_exit(struct svm_vcpu *vcpu);
void svm_get_debugregs(struct svm_vcpu *vcpu, struct kvm_debugregs *d);
int svm_set_debugregs(struct svm_vcpu *vcpu, const struct kvm_debugregs *d);

#endif /* SVMHV_SVM_DEBUGREG_H */
