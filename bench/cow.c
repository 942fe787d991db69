// SPDX-License-Identifier: GPL-2.0
/*
 * cow: copy-on-write as fork() does it.  Each iteration maps a shared
 * parent page read-only at BENCH_VA (CR0.WP on) and writes to it; the
 * write faults, and the #PF handler copies the parent to a private page
 * (from a ring of RING pages), maps the copy writable, flushes, and the
 * write is retried.  Checked each time: exactly one fault, the write
 * landed in the copy, the copy holds the parent's other words, and the
 * parent is unchanged.  Under shadow paging the guest's #PF, its INVLPG
 * and the refill of the shadow entry are exits; under nested paging the
 * fault is the guest's own.
 */
#include "guest.h"

#define RING		64
#define PATTERN(w)	(0x434f570000000000ULL ^ (w))
#define PF_P		0x1
#define PF_W		0x2

static u64 *cow_pte, *parent, *ring[RING];
static u64 faults, *copy;

static void cow_fault(u64 error, u64 addr)
{
	if ((addr & ~(PAGE_SIZE - 1)) != BENCH_VA ||
	    (error & (PF_P | PF_W)) != (PF_P | PF_W))
		bench_exit(BENCH_MISMATCH);
	copy = ring[faults % RING];
	copy_page(copy, parent);
	*cow_pte = (u64)copy | PTE_P | PTE_RW;
	flush_page(BENCH_VA);
	faults++;
}

u64 bench_main(u64 iters, u64 arg, u64 mem)
{
	u64 i, w, bad = 0;

	write_cr0(read_cr0() | CR0_WP);
	parent = alloc_page();
	for (w = 0; w < 512; w++)
		parent[w] = PATTERN(w);
	for (i = 0; i < RING; i++)
		ring[i] = alloc_page();
	cow_pte = pte_of((u64 *)read_cr3(), BENCH_VA, 1);
	set_pf_handler(cow_fault);

	mark();
	for (i = 0; i < iters; i++) {
		w = (i * 61) % 512;
		*cow_pte = (u64)parent | PTE_P;
		flush_page(BENCH_VA);
		poke(BENCH_VA + 8 * w, i);
		if (faults != i + 1 || copy[w] != i || parent[w] != PATTERN(w) ||
		    copy[(w + 1) % 512] != PATTERN((w + 1) % 512))
			bad++;
	}
	mark();
	return bad ? BENCH_MISMATCH : BENCH_OK;
}
