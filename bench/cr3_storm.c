// SPDX-License-Identifier: GPL-2.0
/*
 * cr3_storm: the address-space switch storm.  NR_SPACES address spaces
 * share the identity map (PML4 slot 0) and each maps its own frame at
 * BENCH_VA; each iteration loads the next one's CR3 and reads BENCH_VA,
 * which must give that space's tag.  Under shadow paging every CR3 load
 * is an exit (and a resync of the cached root); under nested paging
 * none is.
 */
#include "guest.h"

#define NR_SPACES	8
#define TAG(n)		(0x4352330000000000ULL | (n))

u64 bench_main(u64 iters, u64 arg, u64 mem)
{
	u64 *boot = (u64 *)read_cr3();
	u64 space[NR_SPACES], i, bad = 0;
	int n;

	for (n = 0; n < NR_SPACES; n++) {
		u64 *root = alloc_page();
		u64 *page = alloc_page();

		root[0] = boot[0];
		page[0] = TAG(n);
		map_page(root, BENCH_VA, (u64)page, PTE_P | PTE_RW);
		space[n] = (u64)root;
	}

	mark();
	for (i = 0; i < iters; i++) {
		n = i % NR_SPACES;
		write_cr3(space[n]);
		if (peek(BENCH_VA) != TAG(n))
			bad++;
	}
	mark();
	write_cr3((u64)boot);
	return bad ? BENCH_MISMATCH : BENCH_OK;
}
