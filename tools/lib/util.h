/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What svmhv's userspace tools share below everything else: dying with a
 * message, the one parser of counts and sizes on their command lines,
 * whole files, and the clock.
 */
#ifndef SVMHV_TOOLS_UTIL_H
#define SVMHV_TOOLS_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* die()'s exit status: bad arguments, files, memory or device. */
#define EXIT_DIE	125

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* The program's name, which starts die()'s messages; main() sets it. */
extern const char *prog_name;

_Noreturn void die(const char *fmt, ...);

bool scan_count(const char *s, uint64_t *v, char **end);
uint64_t parse_count(const char *s, const char *what);
uint64_t parse_size(const char *s, const char *what);

void *read_file(const char *path, size_t *len);
uint64_t now_ns(void);

#endif /* SVMHV_TOOLS_UTIL_H */
