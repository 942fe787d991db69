// SPDX-License-Identifier: GPL-2.0
/* seq: the same updates as gups, in order: the control (table.c). */
#include "guest.h"

u64 bench_main(u64 iters, u64 arg, u64 mem)
{
	return table_bench(iters, arg, mem, 0);
}
