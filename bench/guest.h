/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the benchmark payloads share: the runtime in guest.c and entry.S.
 *
 * A payload is a freestanding long-mode program that svmhv-run loads at
 * 0x10000 and starts with RDI = iterations (--iters), RSI = its argument
 * (--arg), RDX = guest memory size in bytes, on svmhv-run's identity
 * map of the first 4G (2M pages; PML4 at CR3).  It defines bench_main(),
 * which does its setup, calls mark() before and after the measured
 * phase, checks its own results and returns the exit status.
 */
#ifndef SVMHV_BENCH_GUEST_H
#define SVMHV_BENCH_GUEST_H

#include <stdint.h>

typedef uint64_t u64;
typedef uint32_t u32;
typedef uint16_t u16;
typedef uint8_t u8;

/* Exit statuses of a payload (svmhv-run passes them on). */
#define BENCH_OK		0
#define BENCH_MISMATCH		1	/* a self-check failed */
#define BENCH_NO_MEMORY		2	/* --mem too small for the run */
#define BENCH_EXCEPTION		64	/* + vector: an unexpected exception */

/* Ports of the protocol (svmhv-run --bench). */
#define PORT_MARK		0xf0
#define PORT_ECHO		0xf1	/* IN returns ~(last value OUT) */
#define PORT_EXIT		0xf4

/* Page-table entry bits. */
#define PTE_P			0x1ULL
#define PTE_RW			0x2ULL
#define PTE_A			0x20ULL
#define PTE_D			0x40ULL
#define PTE_PS			0x80ULL
#define PTE_ADDR		0x000ffffffffff000ULL

#define PAGE_SIZE		4096ULL
#define POOL_START		(1ULL << 20)	/* where guest.c's pool starts */
#define LARGE_SIZE		(2ULL << 20)

/*
 * Where payloads map what they measure: PML4 slot 1, far from the
 * identity map (slot 0), so one PML4 entry separates them.
 */
#define BENCH_VA		(1ULL << 39)

#define CR0_WP			(1ULL << 16)

u64 bench_main(u64 iters, u64 arg, u64 mem);
u64 table_bench(u64 iters, u64 arg, u64 mem, int random);	/* table.c */

/* guest.c; entry.S calls bench_init(), then bench_main(). */
void bench_init(u64 mem);
void bench_exception(u64 vector, u64 error);
void mark(void);
void bench_exit(u64 status);
void *alloc_page(void);
u64 alloc_frame(void);
u64 pool_left(void);
void set_pool(u64 start, u64 end);
u64 *pte_of(u64 *root, u64 va, int level);
void map_page(u64 *root, u64 va, u64 pa, u64 flags);
void map_large(u64 *root, u64 va, u64 pa, u64 flags);
void set_pf_handler(void (*fn)(u64 error, u64 addr));

/* entry.S */
extern const u64 exception_stubs[32];

static inline void out8(u16 port, u8 v)
{
	asm volatile("outb %0, %w1" : : "a"(v), "Nd"(port));
}

static inline void out32(u16 port, u32 v)
{
	asm volatile("outl %0, %w1" : : "a"(v), "Nd"(port));
}

static inline u32 in32(u16 port)
{
	u32 v;

	asm volatile("inl %w1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline u64 read_cr0(void)
{
	u64 v;

	asm volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static inline void write_cr0(u64 v)
{
	asm volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

static inline u64 read_cr2(void)
{
	u64 v;

	asm volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline u64 read_cr3(void)
{
	u64 v;

	asm volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline void write_cr3(u64 v)
{
	asm volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline void flush_page(u64 va)
{
	asm volatile("invlpg (%0)" : : "r"(va) : "memory");
}

static inline void *zero_page(void *p)
{
	void *d = p;
	u64 n = 512;

	asm volatile("rep stosq" : "+D"(d), "+c"(n) : "a"(0ULL) : "memory");
	return p;
}

static inline void copy_page(void *to, const void *from)
{
	u64 n = 512;

	asm volatile("rep movsq" : "+D"(to), "+S"(from), "+c"(n) : : "memory");
}

/*
 * The payloads' measured accesses: one load or store each, never merged
 * or moved by the compiler.
 */
static inline u64 peek(u64 va)
{
	u64 v;

	asm volatile("mov (%1), %0" : "=r"(v) : "r"(va) : "memory");
	return v;
}

static inline void poke(u64 va, u64 v)
{
	asm volatile("mov %1, (%0)" : : "r"(va), "r"(v) : "memory");
}

#endif /* SVMHV_BENCH_GUEST_H */
