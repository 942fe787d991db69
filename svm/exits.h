/* SPDX-License-Identifier: GPL-2.0 */
/* #VMEXIT handling (exits.c), for the run loop and the floor. */
#ifndef SVMHV_SVM_EXITS_H
#define SVMHV_SVM_EXITS_H

#include "types.h"

int svm_handle_exit(struct svm_vcpu *vcpu);
int svm_complete_userspace(struct svm_vcpu *vcpu);
int svm_shutdown_pending(struct svm_vcpu *vcpu);
void svm_reinject(struct svm_vcpu *vcpu);
int svm_lost_state_exit(struct svm_vcpu *vcpu);

#endif /* SVMHV_SVM_EXITS_H */
