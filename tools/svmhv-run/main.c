// SPDX-License-Identifier: GPL-2.0
/*
 * svmhv-run: run a small guest (a flat binary or an ELF file) on
 * /dev/svmhv, or on any device that speaks the KVM API (/dev/kvm), in
 * real, 32-bit protected, 32-bit paged, PAE or long mode; or boot a Linux
 * kernel; or benchmark either.
 *
 * This is main() and the command line only.  Below it, each file calling
 * only those further down (and its own):
 *
 *   image.c  IMAGE runs          linux.c    --kernel: boot protocol, run loop
 *   bench.c  benchmark mode      console.c  the terminal
 *                                pcdev.c    the PC devices, on /dev/kvm
 *   kvmc.c   the KVM client: device, VM, memory, vCPU, modes, page tables
 *   ../lib/util.c  die(), the count and size parser, files, the clock
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"
#include "bench.h"
#include "image.h"
#include "kvmc.h"
#include "linux.h"
#include "opts.h"

#define DEFAULT_LOAD	0x10000
#define MIN_MEM		(1UL << 20)

/* --help: IMAGE runs and the options of every run. */
static void usage_image(FILE *f)
{
	fputs(
"Usage: svmhv-run [OPTION]... IMAGE\n"
"       svmhv-run --lifecycle N [OPTION]...\n"
"       svmhv-run --floor N [OPTION]... [IMAGE]\n"
"       svmhv-run --kernel BZIMAGE [--initrd FILE] [--append CMDLINE] [OPTION]...\n"
"Run IMAGE (a flat binary, or an ELF file) as a guest on /dev/svmhv, or\n"
"boot a Linux kernel with its serial console on the terminal.\n"
"\n"
"  -m, --mode MODE       real, prot32, paged32, pae or long (default long)\n"
"  -M, --mem SIZE        guest memory, e.g. 16M, 1G (default 16M)\n"
"  -b, --backing KIND    4k, thp, hugetlb2m or hugetlb1g (default thp)\n"
"  -p, --mmu MMU         npt or shadow (default: $SVMHV_MMU, else the\n"
"                        device's default; on /dev/kvm it must match\n"
"                        kvm_amd's npt parameter)\n"
"  -l, --load ADDR       where a flat binary goes and starts (default 0x10000)\n"
"  -o, --out-port PORT   port whose bytes go to stdout (default 0x3f8)\n"
"  -e, --exit-port PORT  a write ends the run with that status (default 0xf4)\n"
"  -d, --device PATH     the KVM-API device (default /dev/svmhv; /dev/kvm works)\n"
"  -s, --stats           print exit counts and nested leaves (svmhv only)\n"
"  -r, --dump-regs       print the final registers\n"
"  -v, --verbose         report every exit\n"
"  -h, --help            this text\n"
"\n", f);
}

static void usage(FILE *f)
{
	usage_image(f);
	fprintf(f,
"Linux (--kernel):\n"
"  -k, --kernel BZIMAGE  boot this kernel (64-bit boot protocol 2.12+) on a\n"
"                        PC of one vCPU: PIC, PIT, 16550A UART at 0x3f8\n"
"                        (IRQ 4) as ttyS0, CMOS RTC, reset ports; no local\n"
"                        APIC, no ACPI, no PCI; --mem up to 3G (default 256M)\n"
"  -i, --initrd FILE     the initrd, put as high as the kernel allows\n"
"  -a, --append CMDLINE  the kernel command line (default: console=ttyS0\n"
"                        panic=-1: a panic ends the run as a reboot)\n"
"      --reboot ACTION   exit (default): a guest reboot ends the run with\n"
"                        status %d; restart: boot the guest again\n"
"  The terminal is the guest's serial console; stdin is raw while it is a\n"
"  terminal.  Ctrl-A x quits (status %d), Ctrl-A Ctrl-A sends Ctrl-A.\n"
"\n", EXIT_REBOOT, EXIT_QUIT);
	fprintf(f,
"Benchmarks (the payloads in bench/):\n"
"      --bench           time the guest between its two writes to port 0xf0\n"
"                        and print one 'svmhv-bench:' line per run; port\n"
"                        0xf1 reads give the complement of its last write\n"
"      --iters N         RDI = N at the start (default 1000); RSI is --arg,\n"
"                        RDX the guest memory size in bytes\n"
"      --arg N           RSI = N at the start (default 0)\n"
"      --repeat R        the whole run R times, each in a fresh VM (default 1)\n"
"      --lifecycle N     no IMAGE: N times create a VM, its memory and a\n"
"                        vCPU, run a two-byte real-mode guest to its first\n"
"                        exit, destroy it; time all of it\n"
"      --floor N         run IMAGE (default: bench/vmmcall.bin beside this\n"
"                        program) through SVMHV_RUN_FLOOR for N VMMCALLs\n"
"                        (svmhv only); the time is the module's\n"
"      --phases LIST     with --kernel: NAME[:ITERS],... (at most %d): the\n"
"                        first phase from the guest's start to its first\n"
"                        write to port 0xf0, each later one between two\n"
"                        more; a line each once the guest powered off\n"
"\n"
"Exit status: the guest's (the low 7 bits of what it wrote to the exit\n"
"port; 0 when it halted), %d for a loader error, %d when the guest\n"
"crashed (triple fault, failed entry, internal error) or, with --bench,\n"
"did not mark its measured phase twice.  With --kernel: 0 when the guest\n"
"powered off or halted for good (interrupts off), %d when it rebooted\n"
"(reset port or triple fault), %d for Ctrl-A x, %d when it crashed (failed\n"
"entry, internal error), the exit port's value as above, %d for a loader\n"
"error (too little --mem for the kernel and initrd, a device without the\n"
"in-kernel devices).\n",
		MAX_PHASES, EXIT_DIE, EXIT_GUEST,
		EXIT_REBOOT, EXIT_QUIT, EXIT_GUEST, EXIT_DIE);
}

/* An I/O port: a count up to 0xffff. */
static int parse_port(const char *s, const char *what)
{
	uint64_t v = parse_count(s, what);

	if (v > 0xffff)
		die("%s: '%s' is not a port (0 to 0xffff)", what, s);
	return v;
}

static int parse_name(const char *s, const char *const *names, int n,
		      const char *what)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(s, names[i]))
			return i;
	die("unknown %s '%s' (see --help)", what, s);
	return -1;
}

/* Long-only options: benchmark mode, then --reboot. */
enum {
	OPT_BENCH = 256, OPT_ITERS, OPT_ARG, OPT_REPEAT, OPT_LIFECYCLE,
	OPT_FLOOR, OPT_REBOOT, OPT_PHASES,
};

static void parse_bench_opt(int c, struct opts *o)
{
	switch (c) {
	case OPT_BENCH:
		o->bench = true;
		break;
	case OPT_ITERS:
		o->iters = parse_count(optarg, "--iters");
		o->set_args = true;
		break;
	case OPT_ARG:
		o->arg = parse_count(optarg, "--arg");
		o->set_args = true;
		break;
	case OPT_REPEAT:
		o->repeat = parse_count(optarg, "--repeat");
		if (!o->repeat)
			die("--repeat must be at least 1");
		break;
	case OPT_LIFECYCLE:
		o->lifecycle = parse_count(optarg, "--lifecycle");
		if (!o->lifecycle)
			die("--lifecycle must be at least 1");
		break;
	case OPT_FLOOR:
		o->floor = parse_count(optarg, "--floor");
		if (!o->floor || o->floor > SVMHV_FLOOR_MAX)
			die("--floor must be 1 to %llu", SVMHV_FLOOR_MAX);
		break;
	}
}

/* --kernel and the options that go with it; false for any other. */
static bool parse_linux_opt(int c, struct opts *o)
{
	switch (c) {
	case 'k':
		o->kernel = optarg;
		return true;
	case 'i':
		o->initrd = optarg;
		return true;
	case 'a':
		o->append = optarg;
		return true;
	case OPT_REBOOT:
		if (strcmp(optarg, "exit") && strcmp(optarg, "restart"))
			die("--reboot is exit or restart");
		o->reboot_restart = !strcmp(optarg, "restart");
		return true;
	case OPT_PHASES:
		bench_parse_phases(o, optarg);
		return true;
	default:
		return false;
	}
}

static void parse_opt(int c, struct opts *o)
{
	if (parse_linux_opt(c, o))
		return;
	if (c >= OPT_BENCH) {
		parse_bench_opt(c, o);
		return;
	}
	switch (c) {
	case 'm':
		o->mode = parse_name(optarg, mode_names, NR_MODES, "mode");
		break;
	case 'M':
		o->vm.mem = parse_size(optarg, "--mem");
		o->mem_set = true;
		break;
	case 'b':
		o->vm.backing = parse_name(optarg, backing_names, NR_BACKINGS,
					   "backing");
		break;
	case 'p':
		o->vm.mmu = parse_name(optarg, mmu_names, NR_MMUS, "mmu");
		break;
	case 'l':
		o->load = parse_size(optarg, "--load");
		break;
	case 'o':
		o->out_port = parse_port(optarg, "--out-port");
		break;
	case 'e':
		o->exit_port = parse_port(optarg, "--exit-port");
		break;
	case 'd':
		o->vm.device = optarg;
		break;
	case 's':
		o->stats = true;
		break;
	case 'r':
		o->dump_regs = true;
		break;
	case 'v':
		o->verbose = true;
		break;
	case 'h':
		usage(stdout);
		exit(0);
	default:
		usage(stderr);
		exit(EXIT_DIE);
	}
}

/* --kernel boots Linux: no IMAGE, no benchmark. */
static void check_linux_opts(struct opts *o)
{
	if (o->image)
		die("--kernel boots a kernel: no IMAGE");
	if (o->bench || o->set_args || o->repeat != 1 || o->lifecycle ||
	    o->floor)
		die("--kernel does not go with the benchmark options but --phases");
	if (o->nphases && o->reboot_restart)
		die("--phases measures one boot: not with --reboot restart");
	if (!o->mem_set)
		o->vm.mem = LINUX_DEFAULT_MEM;
	if (o->vm.mem < MIN_MEM || o->vm.mem & 0xfff)
		die("--mem must be a multiple of 4K and at least 1M");
	if (o->vm.mem > LINUX_MAX_MEM)
		die("--kernel takes at most --mem 3G (one RAM range below 4G)");
	if (!o->append)
		o->append = "console=ttyS0 panic=-1";
}

static const struct option longopts[] = {
	{ "mode", required_argument, NULL, 'm' },
	{ "mem", required_argument, NULL, 'M' },
	{ "backing", required_argument, NULL, 'b' },
	{ "mmu", required_argument, NULL, 'p' },
	{ "load", required_argument, NULL, 'l' },
	{ "out-port", required_argument, NULL, 'o' },
	{ "exit-port", required_argument, NULL, 'e' },
	{ "device", required_argument, NULL, 'd' },
	{ "stats", no_argument, NULL, 's' },
	{ "dump-regs", no_argument, NULL, 'r' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "bench", no_argument, NULL, OPT_BENCH },
	{ "iters", required_argument, NULL, OPT_ITERS },
	{ "arg", required_argument, NULL, OPT_ARG },
	{ "repeat", required_argument, NULL, OPT_REPEAT },
	{ "lifecycle", required_argument, NULL, OPT_LIFECYCLE },
	{ "floor", required_argument, NULL, OPT_FLOOR },
	{ "kernel", required_argument, NULL, 'k' },
	{ "initrd", required_argument, NULL, 'i' },
	{ "append", required_argument, NULL, 'a' },
	{ "reboot", required_argument, NULL, OPT_REBOOT },
	{ "phases", required_argument, NULL, OPT_PHASES },
	{}
};

static void parse_args(int argc, char **argv, struct opts *o)
{
	int c;

	*o = (struct opts){ .vm = { .device = SVMHV_DEVICE, .backing = B_THP,
				    .mem = 16UL << 20 },
			    .mode = LONG, .load = DEFAULT_LOAD,
			    .out_port = 0x3f8, .exit_port = 0xf4,
			    .iters = 1000, .repeat = 1 };
	if (getenv("SVMHV_MMU") && *getenv("SVMHV_MMU"))
		o->vm.mmu = parse_name(getenv("SVMHV_MMU"), mmu_names, NR_MMUS,
				       "mmu");
	while ((c = getopt_long(argc, argv, "m:M:b:p:l:o:e:d:k:i:a:srvh", longopts,
				NULL)) != -1) {
		parse_opt(c, o);
	}
	if (optind < argc - 1) {
		usage(stderr);
		exit(EXIT_DIE);
	}
	o->image = optind < argc ? argv[optind] : NULL;
	if (o->kernel) {
		check_linux_opts(o);
		return;
	}
	if (o->initrd || o->append || o->reboot_restart || o->nphases)
		die("--initrd, --append, --reboot and --phases go with --kernel");
	bench_check_opts(o);
	if (o->floor && !o->image)
		bench_default_image(o, argv[0]);
	if (!o->image && !o->lifecycle) {
		usage(stderr);
		exit(EXIT_DIE);
	}
	if (o->vm.mem < MIN_MEM || o->vm.mem & 0xfff)
		die("--mem must be a multiple of 4K and at least 1M");
	if (o->mode != LONG && o->vm.mem > (3UL << 30))
		die("a 32-bit guest can use at most 3G (--mem)");
}

int main(int argc, char **argv)
{
	struct opts o;

	prog_name = "svmhv-run";
	parse_args(argc, argv, &o);
	if (o.kernel)
		return linux_main(&o);
	if (o.lifecycle)
		return bench_lifecycle(&o);
	return image_main(&o);
}
