// SPDX-License-Identifier: GPL-2.0
/*
 * The bottom of svmhv's userspace tools (svmhv-run, svmhv-native-gups):
 * nothing here calls anything of theirs.
 *
 * Counts and sizes follow one strict rule everywhere: decimal, or
 * hexadecimal with 0x, starting with a digit (no sign, no space before
 * it), nothing after it but a size's one unit, and never past 2^64.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

const char *prog_name = "svmhv";

/**
 * die() - print "PROG: MESSAGE" on stderr and exit with EXIT_DIE.
 * @fmt: the message, printf-style, without the newline
 */
void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "%s: ", prog_name);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(EXIT_DIE);
}

/**
 * scan_count() - the count a string starts with.
 * @s: the string
 * @v: the count
 * @end: what follows it in @s
 *
 * Return: false when @s starts with anything but a digit (a sign, a
 * space: strtoull() would skip or fold them) or the count is past 2^64.
 */
bool scan_count(const char *s, uint64_t *v, char **end)
{
	errno = 0;
	*v = strtoull(s, end, 0);
	return !errno && *s >= '0' && *s <= '9';
}

/**
 * parse_count() - a count and nothing else, or die.
 * @s: the argument
 * @what: the option it came with, for the message
 */
uint64_t parse_count(const char *s, const char *what)
{
	uint64_t v;
	char *end;

	if (!scan_count(s, &v, &end) || *end)
		die("%s: '%s' is not a count", what, s);
	return v;
}

/**
 * parse_size() - a count, then K, M or G in either case or nothing; or die.
 * @s: the argument
 * @what: the option it came with, for the message
 *
 * Return: the size in bytes; a size past 2^64 is refused.
 */
uint64_t parse_size(const char *s, const char *what)
{
	static const char units[] = "KMG";
	const char *u = NULL;
	unsigned int shift = 0;
	char *end;
	uint64_t v;
	bool ok;

	ok = scan_count(s, &v, &end);
	if (*end)
		u = memchr(units, *end & ~0x20, 3);
	if (!ok || (*end && (!u || end[1])))
		die("%s: '%s' is not a size (a count, then K, M or G)", what, s);
	if (u)
		shift = 10 * (u - units + 1);
	if (v > UINT64_MAX >> shift)
		die("%s: '%s' is past 2^64", what, s);
	return v << shift;
}

/**
 * read_file() - a whole file in memory, or die.
 * @path: the file
 * @len: its length
 *
 * Return: a malloc()ed buffer of @len bytes (at least one).
 */
void *read_file(const char *path, size_t *len)
{
	struct stat st;
	void *buf;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st))
		die("%s: %s", path, strerror(errno));
	buf = malloc(st.st_size ? st.st_size : 1);
	if (!buf || read(fd, buf, st.st_size) != st.st_size)
		die("%s: cannot read", path);
	close(fd);
	*len = st.st_size;
	return buf;
}

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}
