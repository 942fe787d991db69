/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest general-purpose registers, indexed by their x86 encoding number
 * (the ModRM/REX number), so the world switch and the instruction
 * decoder use one layout.  RAX and RSP are stored in the VMCB while the
 * guest runs; their slots here are the copies userspace sees.
 */
#ifndef SVMHV_SVM_REGS_H
#define SVMHV_SVM_REGS_H

#define SVM_REG_RAX	0
#define SVM_REG_RCX	1
#define SVM_REG_RDX	2
#define SVM_REG_RBX	3
#define SVM_REG_RSP	4
#define SVM_REG_RBP	5
#define SVM_REG_RSI	6
#define SVM_REG_RDI	7
#define SVM_NR_GPRS	16

#define SVM_GPR_RCX	(SVM_REG_RCX * 8)
#define SVM_GPR_RDX	(SVM_REG_RDX * 8)
#define SVM_GPR_RBX	(SVM_REG_RBX * 8)
#define SVM_GPR_RBP	(SVM_REG_RBP * 8)
#define SVM_GPR_RSI	(SVM_REG_RSI * 8)
#define SVM_GPR_RDI	(SVM_REG_RDI * 8)
#define SVM_GPR_R8	(8 * 8)
#define SVM_GPR_R9	(9 * 8)
#define SVM_GPR_R10	(10 * 8)
#define SVM_GPR_R11	(11 * 8)
#define SVM_GPR_R12	(12 * 8)
#define SVM_GPR_R13	(13 * 8)
#define SVM_GPR_R14	(14 * 8)
#define SVM_GPR_R15	(15 * 8)

#ifndef __ASSEMBLY__
#include <linux/types.h>

struct svm_gprs {
	u64 r[SVM_NR_GPRS];
};

void svm_vmrun(struct svm_gprs *regs, u64 vmcb_pa, u64 host_save_pa);
/* The host's RIP after #VMEXIT: the instruction after VMRUN. */
extern const char svm_vmrun_resume[];
#endif

#endif /* SVMHV_SVM_REGS_H */
