/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The table workloads, shared by the payloads gups and seq (table.c) and
 * by svmhv-native-gups (native-gups.c), so both run the same loop over a
 * table of the same size: 8-byte XOR updates, at random (gups) or in
 * order (seq), with the same xorshift values.
 */
#ifndef SVMHV_BENCH_TABLE_H
#define SVMHV_BENCH_TABLE_H

#include <stdint.h>

/* --arg bits of gups and seq. */
#define TABLE_ARG_2M		0x1	/* map the table with 2M pages, else 4K */

#define TABLE_SEED		0x9e3779b97f4a7c15ULL
#define TABLE_LOW		(1ULL << 20)	/* guest page tables from here */
#define TABLE_ALIGN		(2ULL << 20)

/*
 * Where the table lies in a guest with @mem bytes: above room for 4K
 * page tables over all of it (one page per 2M, a directory per 1G and
 * a few more), from a 2M boundary to the last one below @mem.  Returns
 * its size in bytes, 0 when @mem is too small.
 */
static inline uint64_t table_layout(uint64_t mem, uint64_t *start)
{
	uint64_t tables = mem / 512 + ((mem >> 30) + 4) * 4096;
	uint64_t end = mem & ~(TABLE_ALIGN - 1);

	*start = (TABLE_LOW + tables + TABLE_ALIGN - 1) & ~(TABLE_ALIGN - 1);
	return end > *start ? end - *start : 0;
}

static inline uint64_t table_next(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/*
 * @iters updates of the @words-word table @t, at random or in order;
 * returns the XOR of the values applied.
 */
static inline uint64_t table_update(uint64_t *t, uint64_t words,
				    uint64_t iters, int random)
{
	uint64_t x = TABLE_SEED, acc = 0, pos = 0, i;

	for (i = 0; i < iters; i++) {
		uint64_t r = table_next(&x);

		if (random)
			pos = (uint64_t)(((__uint128_t)r * words) >> 64);
		t[pos] ^= r;
		acc ^= r;
		if (!random && ++pos == words)
			pos = 0;
	}
	return acc;
}

/* Word w = w; returns the XOR of the table. */
static inline uint64_t table_fill(uint64_t *t, uint64_t words)
{
	uint64_t w, sum = 0;

	for (w = 0; w < words; w++) {
		t[w] = w;
		sum ^= w;
	}
	return sum;
}

static inline uint64_t table_sum(const uint64_t *t, uint64_t words)
{
	uint64_t w, sum = 0;

	for (w = 0; w < words; w++)
		sum ^= t[w];
	return sum;
}

#endif /* SVMHV_BENCH_TABLE_H */
