// SPDX-License-Identifier: GPL-2.0
/*
 * fault_storm: the demand-fault storm.  Each iteration maps a virtual
 * page never used before to a guest-physical page never touched before
 * and writes to it: the first touch of fresh memory, which the
 * hypervisor pays for as a nested fault (host memory not yet populated,
 * kvm_amd with NPT), a shadow fault (a new shadow leaf), or not at all
 * (svmhv with NPT maps every slot whole up front).
 *
 * The page tables over the range are built before the measured phase;
 * afterwards every page must still hold its own iteration number.
 * Needs about (iters + iters / 512) * 4K of guest memory above 1M
 * (status 2 otherwise).
 */
#include "guest.h"

u64 bench_main(u64 iters, u64 arg, u64 mem)
{
	u64 *root = (u64 *)read_cr3();
	u64 i, bad = 0;

	if (iters > pool_left() / PAGE_SIZE)
		return BENCH_NO_MEMORY;
	for (i = 0; i < iters; i += 512)
		pte_of(root, BENCH_VA + i * PAGE_SIZE, 1);
	if (iters > pool_left() / PAGE_SIZE)
		return BENCH_NO_MEMORY;

	mark();
	for (i = 0; i < iters; i++) {
		u64 va = BENCH_VA + i * PAGE_SIZE;

		*pte_of(root, va, 1) = alloc_frame() | PTE_P | PTE_RW;
		poke(va, i);
	}
	mark();
	for (i = 0; i < iters; i++)
		if (peek(BENCH_VA + i * PAGE_SIZE) != i)
			bad++;
	return bad ? BENCH_MISMATCH : BENCH_OK;
}
