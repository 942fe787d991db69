/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's debug registers (debugreg.c): DR0-DR3 switched lazily,
 * #DB intercepted and given back.
 */
#ifndef SVMHV_SVM_DEBUGREG_H
#define SVMHV_SVM_DEBUGREG_H

#include "vm.h"

#define SVM_EXIT_READ_DR0	0x020
#define SVM_EXIT_WRITE_DR0	0x030
#define SVM_EXIT_EXCP_DB	(SVM_EXIT_EXCP_BASE + DB_VECTOR)

/* The DR intercept vector: reads (bits 0-7) and writes (16-23) of DR0-7. */
#define SVM_DR_INTERCEPTS	0x00ff00ffU

void svm_dr_reset(struct svm_vcpu *vcpu);
void svm_dr_enter(struct svm_vcpu *vcpu);
void svm_dr_leave(struct svm_vcpu *vcpu);
void svm_dr_single_step(struct svm_vcpu *vcpu);
int svm_dr_exit(struct svm_vcpu *vcpu);
int svm_db_exit(struct svm_vcpu *vcpu);

#endif /* SVMHV_SVM_DEBUGREG_H */
