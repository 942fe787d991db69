// SPDX-License-Identifier: GPL-2.0
/*
 * pio: the port I/O round trip to userspace.  Each iteration writes a
 * value to the echo port and reads it back; svmhv-run answers the read
 * with the complement of the last value written, so each answer proves
 * that both accesses reached userspace.
 */
#include "guest.h"

u64 bench_main(u64 iters, u64 arg, u64 mem)
{
	u64 i, bad = 0;
	u32 v = 0x12345678;

	mark();
	for (i = 0; i < iters; i++) {
		v += 0x9e3779b9;
		out32(PORT_ECHO, v);
		if (in32(PORT_ECHO) != ~v)
			bad++;
	}
	mark();
	return bad ? BENCH_MISMATCH : BENCH_OK;
}
