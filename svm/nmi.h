/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A vCPU's NMIs (nmi.c): pending, injected, blocked until the guest's
 * IRET; part of the vCPU-state layer.
 */
#ifndef SVMHV_SVM_NMI_H
#define SVMHV_SVM_NMI_H

#include "types.h"

void svm_nmi_queue(struct svm_vcpu *vcpu);
bool svm_nmi_pending(const struct svm_vcpu *vcpu);
bool svm_nmi_injected(const struct svm_vcpu *vcpu);
void svm_nmi_set_masked(struct svm_vcpu *vcpu, bool masked);
void svm_nmi_set_pending(struct svm_vcpu *vcpu, unsigned int pending);
void svm_nmi_reset(struct svm_vcpu *vcpu);

void svm_nmi_before_entry(struct svm_vcpu *vcpu);
void svm_nmi_after_exit(struct svm_vcpu *vcpu);
int svm_iret_exit(struct svm_vcpu *vcpu);
bool svm_nmi_step_end(struct svm_vcpu *vcpu);
bool svm_nmi_step_trap(struct svm_vcpu *vcpu);

#endif /* SVMHV_SVM_NMI_H */
