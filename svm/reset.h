/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A vCPU's power-on state and the intercepts every VMCB starts with
 * (reset.c).  Part of the vCPU-state layer.
 */
#ifndef SVMHV_SVM_RESET_H
#define SVMHV_SVM_RESET_H

#include "types.h"

void svm_init_intercepts(struct vmcb_control_area *c);
void svm_vcpu_reset(struct svm_vcpu *vcpu);

#endif /* SVMHV_SVM_RESET_H */
