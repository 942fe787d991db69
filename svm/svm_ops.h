/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SVM instructions svmhv executes outside the world switch, as tiny
 * inline helpers.  AMD64 APM vol. 3, "CLGI", "STGI", "VMLOAD", "VMSAVE",
 * "INVLPGA".
 */
#ifndef SVMHV_SVM_SVM_OPS_H
#define SVMHV_SVM_SVM_OPS_H

#include <linux/types.h>

static __always_inline void svm_clgi(void)
{
	asm volatile("clgi" ::: "memory");
}

static __always_inline void svm_stgi(void)
{
	asm volatile("stgi" ::: "memory");
}

/* Save FS, GS, TR, LDTR, KernelGsBase, STAR..SFMASK, SYSENTER_* to @pa. */
static __always_inline void svm_vmsave(u64 pa)
{
	asm volatile("vmsave %%rax" :: "a"(pa) : "memory");
}

static __always_inline void svm_vmload(u64 pa)
{
	asm volatile("vmload %%rax" :: "a"(pa) : "memory");
}

#endif /* SVMHV_SVM_SVM_OPS_H */
