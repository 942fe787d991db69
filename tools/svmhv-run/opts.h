/* SPDX-License-Identifier: GPL-2.0 */
/*
 * svmhv-run's command line as main.c parsed and checked it: what the
 * layers above the KVM client (bench.c, image.c, linux.c) read.  Data
 * only; nothing here is a function.
 */
#ifndef SVMHV_RUN_OPTS_H
#define SVMHV_RUN_OPTS_H

#include <stdbool.h>
#include <stdint.h>

#include "kvmc.h"

/* --kernel --phases: at most this many measured phases in one run. */
#define MAX_PHASES	8

struct opts {
	struct vm_cfg vm;	/* --device, --mmu, --backing, --mem */
	const char *image;
	enum mode mode;
	uint64_t load;
	int out_port;
	int exit_port;
	bool stats;
	bool dump_regs;
	bool verbose;
	/* Benchmark mode (bench.c). */
	bool bench;		/* the mark protocol and the result line */
	bool set_args;		/* RDI, RSI, RDX as below at the start */
	uint64_t iters;		/* RDI */
	uint64_t arg;		/* RSI */
	uint64_t repeat;	/* runs, each in a fresh VM */
	uint64_t lifecycle;	/* VM lifecycles per run (no image) */
	uint64_t floor;		/* SVMHV_RUN_FLOOR iterations per run */
	/* Linux mode (linux.c). */
	const char *kernel;	/* bzImage: boot it instead of an IMAGE */
	const char *initrd;
	const char *append;	/* the kernel command line */
	bool mem_set;		/* --mem given (else the --kernel default) */
	bool reboot_restart;	/* a guest reboot boots it again */
	/* --kernel --phases (bench.c): the guest's measured phases. */
	struct phase {
		const char *name;	/* the bench line's workload */
		uint64_t iters;
	} phases[MAX_PHASES];
	int nphases;
};

#endif /* SVMHV_RUN_OPTS_H */
