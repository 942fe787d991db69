// SPDX-License-Identifier: GPL-2.0
/*
 * svmhv-guest-bench: the MMU-intensive benchmarks that run inside the
 * Linux guest of svmhv-run --kernel (scripts/mkguest.sh puts it in the
 * guest's initramfs as /bin/svmhv-guest-bench).
 *
 *   svmhv-guest-bench mark            one mark (OUT to port 0xF0)
 *   svmhv-guest-bench forkexec N      mark, N x fork + exec /bin/true, mark
 *   svmhv-guest-bench faults MIB N    mark, N x (mmap MIB of anonymous 4K
 *                                     pages, write each page once,
 *                                     munmap), mark
 *
 * The marks are svmhv-run --bench's protocol: the host times the phase
 * between two of them and reads the hypervisor's exit counts at each.
 * Without --bench the loader ignores them, and the program is a plain
 * test that fork, exec and demand faults work (status 0, else 1; 2 for
 * bad arguments).  It prints what it did on stdout.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/io.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PORT_MARK	0xf0	/* tools/svmhv-run/bench.h */
#define PAGE		4096UL

static int mark(void)
{
	if (ioperm(PORT_MARK, 1, 1)) {
		perror("svmhv-guest-bench: ioperm");
		return -1;
	}
	outb(0, PORT_MARK);
	return 0;
}

static unsigned long parse_n(const char *s, unsigned long max)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || !v || v > max) {
		fprintf(stderr, "svmhv-guest-bench: '%s' is not a count (1-%lu)\n",
			s, max);
		exit(2);
	}
	return v;
}

/* One fork + exec of /bin/true, waited for; 0 when it exited 0. */
static int fork_exec(void)
{
	static char *const argv[] = { "true", NULL };
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (!pid) {
		execv("/bin/true", argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -1;
}

static int run_forkexec(unsigned long n)
{
	unsigned long i;

	if (mark())
		return 1;
	for (i = 0; i < n; i++)
		if (fork_exec())
			break;
	if (mark())
		return 1;
	printf("forkexec %lu of %lu\n", i, n);
	return i == n ? 0 : 1;
}

/*
 * One pass: a fresh mapping of @bytes, each page written once (a demand
 * fault each: 4K pages, not huge ones), read back, unmapped.  Returns
 * the pages that read back wrong, or -1.
 */
static long fault_pass(unsigned long bytes, unsigned long pass)
{
	unsigned long off;
	long bad = 0;
	uint8_t *p;

	p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	madvise(p, bytes, MADV_NOHUGEPAGE);
	for (off = 0; off < bytes; off += PAGE)
		*(unsigned long *)(p + off) = off ^ pass;
	/* Read the pages back, not what the compiler knows was written. */
	asm volatile("" : : : "memory");
	for (off = 0; off < bytes; off += PAGE)
		if (*(unsigned long *)(p + off) != (off ^ pass))
			bad++;
	munmap(p, bytes);
	return bad;
}

static int run_faults(unsigned long mib, unsigned long n)
{
	unsigned long i;
	long bad = 0;

	if (mark())
		return 1;
	for (i = 0; i < n && !bad; i++)
		bad = fault_pass(mib << 20, i);
	if (mark())
		return 1;
	if (bad < 0) {
		perror("svmhv-guest-bench: mmap");
		return 1;
	}
	printf("faults %lu MiB x %lu: %lu pages, %ld wrong\n", mib, i,
	       i * (mib << 20) / PAGE, bad);
	return bad ? 1 : 0;
}

static void usage(void)
{
	fputs("Usage: svmhv-guest-bench mark | forkexec N | faults MIB N\n",
	      stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "mark"))
		return mark() ? 1 : 0;
	if (argc == 3 && !strcmp(argv[1], "forkexec"))
		return run_forkexec(parse_n(argv[2], 1000000));
	if (argc == 4 && !strcmp(argv[1], "faults"))
		return run_faults(parse_n(argv[2], 4096), parse_n(argv[3], 1000000));
	usage();
	return 2;
}
