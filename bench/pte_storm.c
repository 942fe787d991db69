// SPDX-License-Identifier: GPL-2.0
/*
 * pte_storm: the page-table update storm.  Each iteration maps one
 * virtual page to one of two frames (alternately), flushes it with
 * INVLPG, reads it (the frame's tag must come back), then unmaps it and
 * flushes again.  Under shadow paging every INVLPG and the first touch
 * after each remap are exits; under nested paging none is.
 */
#include "guest.h"

#define TAG(n)		(0x5054450000000000ULL | (n))

u64 bench_main(u64 iters, u64 arg, u64 mem)
{
	u64 *root = (u64 *)read_cr3();
	u64 frame[2], *pte, i, bad = 0;
	int n;

	for (n = 0; n < 2; n++) {
		u64 *page = alloc_page();

		page[0] = TAG(n);
		frame[n] = (u64)page;
	}
	pte = pte_of(root, BENCH_VA, 1);

	mark();
	for (i = 0; i < iters; i++) {
		n = i & 1;
		*pte = frame[n] | PTE_P | PTE_RW;
		flush_page(BENCH_VA);
		if (peek(BENCH_VA) != TAG(n))
			bad++;
		*pte = 0;
		flush_page(BENCH_VA);
	}
	mark();
	return bad ? BENCH_MISMATCH : BENCH_OK;
}
