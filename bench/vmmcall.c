// SPDX-License-Identifier: GPL-2.0
/*
 * vmmcall: the hypercall round trip.  Each iteration is one VMMCALL of
 * SVMHV_HC_NOP, which the hypervisor answers in the kernel: svmhv with
 * 0, kvm_amd with -KVM_ENOSYS (-1000), for a number it does not know.
 * Any other answer is a mismatch.
 *
 * --arg bit 0: do not check the answers.  svmhv-run --floor sets it: the
 * floor steps over each VMMCALL without answering it.
 */
#include "guest.h"
#include "../uapi/svmhv.h"

#define KVM_ENOSYS	1000

static long hypercall(unsigned long nr)
{
	long ret;

	asm volatile("vmmcall" : "=a"(ret) : "a"(nr) : "memory");
	return ret;
}

u64 bench_main(u64 iters, u64 arg, u64 mem)
{
	int check = !(arg & 1);
	u64 i, bad = 0;

	mark();
	for (i = 0; i < iters; i++) {
		long ret = hypercall(SVMHV_HC_NOP);

		if (check && ret != 0 && ret != -KVM_ENOSYS)
			bad++;
	}
	mark();
	return bad ? BENCH_MISMATCH : BENCH_OK;
}
