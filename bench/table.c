// SPDX-License-Identifier: GPL-2.0
/*
 * The table workloads in the guest (table.h): a table that fills most of
 * guest memory, mapped at BENCH_VA with 4K or 2M guest pages (--arg bit
 * 0).  gups updates words at random (GUPS-like: a TLB miss per update
 * once the table outgrows the TLB), seq in order (the control: a miss
 * per page).
 *
 * Before the measured phase the table is filled (word w = w), which also
 * makes every page present in the hypervisor; after it, the XOR of the
 * whole table must equal the XOR of the filled table and of every value
 * applied, or an update was lost or landed outside the table.
 */
#include "guest.h"
#include "table.h"

/* Maps the table at BENCH_VA; returns its size in words (0: no room). */
static u64 map_table(u64 arg, u64 mem)
{
	u64 *root = (u64 *)read_cr3();
	u64 start, end, pa;

	end = table_layout(mem, &start);
	if (!end)
		return 0;
	end += start;
	/* Page tables only from below the table. */
	set_pool(POOL_START, start);
	for (pa = start; pa < end; ) {
		u64 va = BENCH_VA + (pa - start);

		if (arg & TABLE_ARG_2M) {
			map_large(root, va, pa, PTE_P | PTE_RW);
			pa += LARGE_SIZE;
		} else {
			map_page(root, va, pa, PTE_P | PTE_RW);
			pa += PAGE_SIZE;
		}
	}
	return (end - start) / 8;
}

u64 table_bench(u64 iters, u64 arg, u64 mem, int random)
{
	u64 *t = (u64 *)BENCH_VA;
	u64 words = map_table(arg, mem);
	u64 before, acc;

	if (!words)
		return BENCH_NO_MEMORY;
	before = table_fill(t, words);
	mark();
	acc = table_update(t, words, iters, random);
	mark();
	return table_sum(t, words) == (before ^ acc) ?
	       BENCH_OK : BENCH_MISMATCH;
}
