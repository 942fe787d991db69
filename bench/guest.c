// SPDX-License-Identifier: GPL-2.0
/*
 * The benchmark payloads' runtime: the mark and exit ports, an IDT whose
 * #PF may go to a payload's handler, and a pool of guest-physical pages
 * with a page-table builder on top.
 *
 * Guest-physical memory: svmhv-run's GDT and page tables below 0x8000,
 * the payload at 0x10000, its stack below 0x80000; the pool is the rest,
 * from 1M up to the end of memory (or 4G, where svmhv-run's identity
 * map ends).  Page tables and frames come from it in order, so a page
 * the pool has not handed out yet was never touched by the guest.
 */
#include "guest.h"

#define IDENTITY_END	(4ULL << 30)
#define CODE_SEL	24		/* svmhv-run's 64-bit code segment */

static u64 pool_next, pool_limit;
static u64 idt[2 * 32];
static void (*pf_handler)(u64 error, u64 addr);

/* The exit port ends the run with @status; HLT stops a stray resume. */
void bench_exit(u64 status)
{
	out8(PORT_EXIT, status);
	for (;;)
		asm volatile("hlt");
}

/* Start or end of the measured phase. */
void mark(void)
{
	out8(PORT_MARK, 0);
}

/* Zeroed page for page tables and data the payload sets up itself. */
void *alloc_page(void)
{
	return zero_page((void *)alloc_frame());
}

/* A page never touched before: the first touch is the payload's. */
u64 alloc_frame(void)
{
	u64 pa = pool_next;

	if (pool_limit - pool_next < PAGE_SIZE)
		bench_exit(BENCH_NO_MEMORY);
	pool_next += PAGE_SIZE;
	return pa;
}

u64 pool_left(void)
{
	return pool_limit - pool_next;
}

/* Hand out only [@start, @end) from now on. */
void set_pool(u64 start, u64 end)
{
	pool_next = start;
	pool_limit = end;
}

/*
 * The entry for @va at @level (1 = PTE, 2 = PDE, 3 = PDPTE) under
 * @root, with the tables above it made present as needed.
 */
u64 *pte_of(u64 *root, u64 va, int level)
{
	u64 *table = root;
	int l;

	for (l = 4; l > level; l--) {
		u64 *e = &table[(va >> (12 + 9 * (l - 1))) & 511];

		if (!(*e & PTE_P))
			*e = (u64)alloc_page() | PTE_P | PTE_RW;
		table = (u64 *)(*e & PTE_ADDR);
	}
	return &table[(va >> (12 + 9 * (level - 1))) & 511];
}

void map_page(u64 *root, u64 va, u64 pa, u64 flags)
{
	*pte_of(root, va, 1) = pa | flags;
}

void map_large(u64 *root, u64 va, u64 pa, u64 flags)
{
	*pte_of(root, va, 2) = pa | flags | PTE_PS;
}

void set_pf_handler(void (*fn)(u64 error, u64 addr))
{
	pf_handler = fn;
}

/* Called by exception_common (entry.S) for every exception. */
void bench_exception(u64 vector, u64 error)
{
	if (vector == 14 && pf_handler) {
		pf_handler(error, read_cr2());
		return;
	}
	bench_exit(BENCH_EXCEPTION + vector);
}

static void set_gate(int vec, u64 handler)
{
	idt[2 * vec] = (handler & 0xffff) | ((u64)CODE_SEL << 16) |
		       (0x8eULL << 40) | ((handler >> 16) & 0xffff) << 48;
	idt[2 * vec + 1] = handler >> 32;
}

/* Called by start (entry.S) before bench_main(). */
void bench_init(u64 mem)
{
	u16 idtr[5] = { sizeof(idt) - 1 };	/* limit, then the base */
	int i;

	for (i = 0; i < 4; i++)
		idtr[1 + i] = (u64)idt >> (16 * i);
	for (i = 0; i < 32; i++)
		set_gate(i, exception_stubs[i]);
	asm volatile("lidt %0" : : "m"(idtr));
	set_pool(POOL_START, mem < IDENTITY_END ? mem : IDENTITY_END);
}
