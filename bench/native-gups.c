// SPDX-License-Identifier: GPL-2.0
/*
 * svmhv-native-gups: the gups and seq payloads' loop (table.h) run in
 * this machine's own userspace, the 1.0 line the guests' figures are
 * compared with.  The table has the size the payload's has for the same
 * --mem, in anonymous memory backed by 4K pages (MADV_NOHUGEPAGE) or
 * transparent huge pages (MADV_HUGEPAGE); it is filled before the timed
 * loop and checked after it, as in the guest.
 *
 * Prints svmhv-run --bench's line, with device=native mmu=none, the page
 * size of the backing as guest_pages and no exits.  Its counts and sizes
 * are svmhv-run's, read by the same parser (tools/lib/util.c).
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "../tools/lib/util.h"
#include "table.h"

#define EXIT_MISMATCH	1

struct opts {
	int random;
	int thp;
	uint64_t iters;
	uint64_t mem;
	uint64_t repeat;
};

static void usage(FILE *f)
{
	fputs("Usage: svmhv-native-gups [OPTION]...\n"
"Run the gups or seq benchmark loop natively; print one svmhv-bench line\n"
"per run.\n"
"\n"
"  -w, --workload NAME  gups (random updates, default) or seq (in order)\n"
"  -i, --iters N        updates (default 1000000)\n"
"  -M, --mem SIZE       the guest memory to match, e.g. 64M, 1G (default 1G):\n"
"                       the table is as large as the payload's\n"
"  -b, --backing KIND   4k or thp (default thp)\n"
"  -R, --repeat N       runs, each with fresh memory (default 1)\n"
"  -h, --help           this text\n"
"\n"
"Exit status: 0, 1 when the table's check failed, 125 for bad arguments\n"
"or no memory.\n", f);
}

static void parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "workload", required_argument, NULL, 'w' },
		{ "iters", required_argument, NULL, 'i' },
		{ "mem", required_argument, NULL, 'M' },
		{ "backing", required_argument, NULL, 'b' },
		{ "repeat", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	int c;

	*o = (struct opts){ .random = 1, .thp = 1, .iters = 1000000,
			    .mem = 1ULL << 30, .repeat = 1 };
	while ((c = getopt_long(argc, argv, "w:i:M:b:R:h", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'w':
			if (strcmp(optarg, "gups") && strcmp(optarg, "seq"))
				die("unknown workload '%s' (gups or seq)",
				    optarg);
			o->random = !strcmp(optarg, "gups");
			break;
		case 'i':
			o->iters = parse_count(optarg, "--iters");
			break;
		case 'M':
			o->mem = parse_size(optarg, "--mem");
			break;
		case 'b':
			if (strcmp(optarg, "4k") && strcmp(optarg, "thp"))
				die("unknown backing '%s' (4k or thp)", optarg);
			o->thp = !strcmp(optarg, "thp");
			break;
		case 'R':
			o->repeat = parse_count(optarg, "--repeat");
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			exit(EXIT_DIE);
		}
	}
	if (optind != argc) {
		usage(stderr);
		exit(EXIT_DIE);
	}
	if (!o->repeat)
		die("--repeat must be at least 1");
}

/*
 * The table, aligned for huge pages and advised as --backing says; *raw
 * is the mapping to unmap, @bytes + TABLE_ALIGN long.
 */
static uint64_t *map_table(const struct opts *o, uint64_t bytes, void **raw)
{
	uint8_t *t;

	*raw = mmap(NULL, bytes + TABLE_ALIGN, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (*raw == MAP_FAILED)
		die("cannot allocate the table: %s", strerror(errno));
	t = (uint8_t *)(((uintptr_t)*raw + TABLE_ALIGN - 1) &
			~(TABLE_ALIGN - 1));
	if (madvise(t, bytes, o->thp ? MADV_HUGEPAGE : MADV_NOHUGEPAGE))
		die("madvise: %s", strerror(errno));
	return (uint64_t *)t;
}

static int run(const struct opts *o, uint64_t bytes)
{
	uint64_t words = bytes / 8, before, acc, t0, t1;
	void *raw;
	uint64_t *t = map_table(o, bytes, &raw);

	before = table_fill(t, words);
	t0 = now_ns();
	acc = table_update(t, words, o->iters, o->random);
	t1 = now_ns();
	if (table_sum(t, words) != (before ^ acc)) {
		fputs("svmhv-native-gups: the table's check failed\n", stderr);
		return EXIT_MISMATCH;
	}
	printf("svmhv-bench: workload=%s device=native mmu=none backing=%s guest_pages=%s iters=%llu ns=%llu exits=0\n",
	       o->random ? "gups" : "seq", o->thp ? "thp" : "4k",
	       o->thp ? "2m" : "4k", (unsigned long long)o->iters,
	       (unsigned long long)(t1 - t0));
	fflush(stdout);
	munmap(raw, bytes + TABLE_ALIGN);
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o;
	uint64_t start, bytes, i;
	int status = 0;

	prog_name = "svmhv-native-gups";
	parse_args(argc, argv, &o);
	bytes = table_layout(o.mem, &start);
	if (!bytes)
		die("--mem is too small for a table");
	for (i = 0; i < o.repeat && !status; i++)
		status = run(&o, bytes);
	return status;
}
