// SPDX-License-Identifier: GPL-2.0
/* gups: random 8-byte updates over most of guest memory (table.c). */
#include "guest.h"

u64 bench_main(u64 iters, u64 arg, u64 mem)
{
	return table_bench(iters, arg, mem, 1);
}
