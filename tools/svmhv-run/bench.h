/* SPDX-License-Identifier: GPL-2.0 */
/*
 * svmhv-run's benchmark mode (bench.c): its options' checks, the mark
 * protocol of a payload (image.c) or a Linux guest (linux.c), and
 * --lifecycle.
 */
#ifndef SVMHV_RUN_BENCH_H
#define SVMHV_RUN_BENCH_H

#include <stdbool.h>

#include "kvmc.h"
#include "opts.h"

#define PORT_MARK	0xf0	/* start, then end, of the measured phase */
#define PORT_ECHO	0xf1	/* IN gives ~(the last value OUT) */

/* Options, for main.c */
void bench_check_opts(struct opts *o);
void bench_default_image(struct opts *o, const char *argv0);
void bench_parse_phases(struct opts *o, const char *list);

/* The VM measured: one at a time, from its creation to its end. */
void bench_vm_start(void);
void bench_vm_end(void);

/* A payload's run */
void bench_set_args(struct guest *g, const struct opts *o);
bool bench_io(struct guest *g, const struct opts *o, bool *done,
	      int *status);
int bench_finish(struct guest *g, const struct opts *o, int status);

/* --lifecycle: all its runs */
int bench_lifecycle(const struct opts *o);

/* A Linux guest's run with --phases */
void bench_linux_start(struct guest *g);
bool bench_linux_mark(struct guest *g, const struct opts *o);
int bench_linux_finish(struct guest *g, const struct opts *o, int status);

#endif /* SVMHV_RUN_BENCH_H */
