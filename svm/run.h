/* SPDX-License-Identifier: GPL-2.0 */
/* KVM_RUN's loop (run.c), and the pieces of it the floor reuses. */
#ifndef SVMHV_SVM_RUN_H
#define SVMHV_SVM_RUN_H

#include "types.h"

/* What one turn of the run loop did (svm_run_once()). */
enum svm_run_result {
	SVM_RUN_EXITED,		/* the guest ran: a #VMEXIT to handle */
	SVM_RUN_RETRY,		/* not entered: the scheduler or a signal */
	SVM_RUN_BAD_STATE,	/* VMRUN would refuse the guest's state */
};

int svm_vcpu_run(struct svm_vcpu *vcpu);
int svm_run_begin(struct svm_vcpu *vcpu);
int svm_run_once(struct svm_vcpu *vcpu);

#endif /* SVMHV_SVM_RUN_H */
