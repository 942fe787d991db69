/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interrupts from a VMM whose interrupt controllers are in userspace
 * (user_intr.c): KVM_INTERRUPT, the interrupt window exit and the
 * interrupt state in kvm_run.
 */
#ifndef SVMHV_SVM_USER_INTR_H
#define SVMHV_SVM_USER_INTR_H

#include "types.h"

struct kvm_interrupt;

int svm_user_interrupt(struct svm_vcpu *vcpu, struct kvm_interrupt __user *ui);
int svm_user_irq_run_begin(struct svm_vcpu *vcpu);
bool svm_user_irq_window_open(struct svm_vcpu *vcpu);
void svm_user_irq_run_save(struct svm_vcpu *vcpu);

#endif /* SVMHV_SVM_USER_INTR_H */
