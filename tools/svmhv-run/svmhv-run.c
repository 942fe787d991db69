// SPDX-License-Identifier: GPL-2.0
/*
 * svmhv-run: run a small guest (a flat binary or an ELF file) on
 * /dev/svmhv, or on any device that speaks the KVM API (/dev/kvm), in
 * real, 32-bit protected, 32-bit paged, PAE or long mode.
 *
 * The guest prints on an output port (copied to stdout) and ends the run
 * by writing its status to the debug exit port, or by halting.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "svmhv-run.h"

#define GDT_GPA		0x1000
#define PT_GPA		0x2000	/* paging structures, up to 0x7fff */
#define STACK_TOP	0x80000
#define DEFAULT_LOAD	0x10000
#define MIN_MEM		(1UL << 20)

static const char *const mode_names[] = {
	[REAL] = "real", [PROT32] = "prot32", [PAGED32] = "paged32",
	[PAE] = "pae", [LONG] = "long",
};

static const char *const mmu_names[] = {
	[MMU_DEFAULT] = "default", [MMU_NPT] = "npt", [MMU_SHADOW] = "shadow",
};

const char *const backing_names[] = {
	[B_4K] = "4k", [B_THP] = "thp", [B_HUGE2M] = "hugetlb2m",
	[B_HUGE1G] = "hugetlb1g",
};

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("svmhv-run: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(EXIT_LOADER);
}

static void usage(FILE *f)
{
	fprintf(f,
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
"\n"
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
"\n"
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
		EXIT_REBOOT, EXIT_QUIT, MAX_PHASES, EXIT_LOADER, EXIT_GUEST,
		EXIT_REBOOT, EXIT_QUIT, EXIT_GUEST, EXIT_LOADER);
}

/*
 * A size: a count (decimal, or hexadecimal with 0x), then K, M or G in
 * either case or nothing; a sign, a space or a size past 2^64 is refused.
 */
static uint64_t parse_size(const char *s, const char *what)
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

static void parse_opt(int c, struct opts *o)
{
	if (c == OPT_REBOOT) {
		if (strcmp(optarg, "exit") && strcmp(optarg, "restart"))
			die("--reboot is exit or restart");
		o->reboot_restart = !strcmp(optarg, "restart");
		return;
	}
	if (c == OPT_PHASES) {
		bench_parse_phases(o, optarg);
		return;
	}
	if (c >= OPT_BENCH) {
		parse_bench_opt(c, o);
		return;
	}
	switch (c) {
	case 'm':
		o->mode = parse_name(optarg, mode_names, 5, "mode");
		break;
	case 'M':
		o->mem = parse_size(optarg, "--mem");
		o->mem_set = true;
		break;
	case 'k':
		o->kernel = optarg;
		break;
	case 'i':
		o->initrd = optarg;
		break;
	case 'a':
		o->append = optarg;
		break;
	case 'b':
		o->backing = parse_name(optarg, backing_names, 4, "backing");
		break;
	case 'p':
		o->mmu = parse_name(optarg, mmu_names, 3, "mmu");
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
		o->device = optarg;
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
		exit(EXIT_LOADER);
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
		o->mem = LINUX_DEFAULT_MEM;
	if (o->mem < MIN_MEM || o->mem & 0xfff)
		die("--mem must be a multiple of 4K and at least 1M");
	if (o->mem > LINUX_MAX_MEM)
		die("--kernel takes at most --mem 3G (one RAM range below 4G)");
	if (!o->append)
		o->append = "console=ttyS0 panic=-1";
}

static void parse_args(int argc, char **argv, struct opts *o)
{
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
	int c;

	*o = (struct opts){ .device = SVMHV_DEVICE, .mode = LONG,
			    .backing = B_THP, .mem = 16UL << 20,
			    .load = DEFAULT_LOAD, .out_port = 0x3f8,
			    .exit_port = 0xf4, .iters = 1000, .repeat = 1 };
	if (getenv("SVMHV_MMU") && *getenv("SVMHV_MMU"))
		o->mmu = parse_name(getenv("SVMHV_MMU"), mmu_names, 3, "mmu");
	while ((c = getopt_long(argc, argv, "m:M:b:p:l:o:e:d:k:i:a:srvh", longopts,
				NULL)) != -1) {
		parse_opt(c, o);
	}
	if (optind < argc - 1) {
		usage(stderr);
		exit(EXIT_LOADER);
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
		exit(EXIT_LOADER);
	}
	if (o->mem < MIN_MEM || o->mem & 0xfff)
		die("--mem must be a multiple of 4K and at least 1M");
	if (o->mode != LONG && o->mem > (3UL << 30))
		die("a 32-bit guest can use at most 3G (--mem)");
}

/*
 * Guest memory as --backing says, aligned for the large pages it wants;
 * g->raw and g->raw_size are the mapping to unmap.
 */
static uint8_t *alloc_memory(struct guest *g, const struct opts *o,
			     uint64_t *size)
{
	uint64_t align = o->backing == B_HUGE1G ? 1UL << 30 : 2UL << 20;
	int flags = MAP_PRIVATE | MAP_ANONYMOUS;
	uint8_t *raw, *mem;

	*size = (o->mem + align - 1) & ~(align - 1);
	if (o->backing == B_HUGE2M || o->backing == B_HUGE1G) {
		flags |= MAP_HUGETLB | (o->backing == B_HUGE1G ?
					(30 << MAP_HUGE_SHIFT) :
					(21 << MAP_HUGE_SHIFT));
		mem = mmap(NULL, *size, PROT_READ | PROT_WRITE, flags, -1, 0);
		if (mem == MAP_FAILED)
			die("no %s pages for %llu bytes (see /proc/sys/vm/nr_hugepages): %s",
			    backing_names[o->backing],
			    (unsigned long long)*size, strerror(errno));
		g->raw = mem;
		g->raw_size = *size;
		return mem;
	}
	raw = mmap(NULL, *size + align, PROT_READ | PROT_WRITE, flags, -1, 0);
	if (raw == MAP_FAILED)
		die("cannot allocate %llu bytes: %s",
		    (unsigned long long)*size, strerror(errno));
	g->raw = raw;
	g->raw_size = *size + align;
	mem = (uint8_t *)(((uintptr_t)raw + align - 1) & ~(align - 1));
	if (madvise(mem, *size, o->backing == B_THP ? MADV_HUGEPAGE :
					     MADV_NOHUGEPAGE))
		die("madvise: %s", strerror(errno));
	return mem;
}

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

void copy_in(struct guest *g, uint64_t gpa, const void *src, uint64_t len,
	     const char *what)
{
	if (gpa >= g->mem_size || len > g->mem_size - gpa)
		die("%s at %#llx+%#llx does not fit in guest memory", what,
		    (unsigned long long)gpa, (unsigned long long)len);
	memcpy(g->mem + gpa, src, len);
}

/* One program header, 32- or 64-bit, read into common fields. */
struct phdr {
	uint32_t type;
	uint64_t offset, paddr, filesz;
};

static void read_phdr(const uint8_t *img, size_t len, bool is64, uint64_t at,
		      struct phdr *p)
{
	const Elf64_Phdr *p64 = (const void *)(img + at);
	const Elf32_Phdr *p32 = (const void *)(img + at);

	if (at > len || len - at < (is64 ? sizeof(*p64) : sizeof(*p32)))
		die("ELF program headers run past the file");
	if (is64)
		*p = (struct phdr){ p64->p_type, p64->p_offset, p64->p_paddr,
				    p64->p_filesz };
	else
		*p = (struct phdr){ p32->p_type, p32->p_offset, p32->p_paddr,
				    p32->p_filesz };
}

/* An ELF's PT_LOAD segments go to their physical addresses. */
static bool load_elf(struct guest *g, const uint8_t *img, size_t len)
{
	const Elf64_Ehdr *e64 = (const void *)img;
	const Elf32_Ehdr *e32 = (const void *)img;
	bool is64;
	uint64_t phoff, entsize;
	unsigned int i, phnum;
	struct phdr p;

	if (len < sizeof(*e64) || memcmp(img, ELFMAG, SELFMAG))
		return false;
	is64 = img[EI_CLASS] == ELFCLASS64;
	phoff = is64 ? e64->e_phoff : e32->e_phoff;
	entsize = is64 ? e64->e_phentsize : e32->e_phentsize;
	phnum = is64 ? e64->e_phnum : e32->e_phnum;
	for (i = 0; i < phnum; i++) {
		read_phdr(img, len, is64, phoff + i * entsize, &p);
		if (p.type != PT_LOAD)
			continue;
		if (p.offset > len || p.filesz > len - p.offset)
			die("ELF segment runs past the file");
		copy_in(g, p.paddr, img + p.offset, p.filesz, "ELF segment");
	}
	g->entry = is64 ? e64->e_entry : e32->e_entry;
	return true;
}

void seg(struct kvm_segment *s, uint16_t sel, uint64_t base, uint32_t limit,
	 uint8_t type, bool db, bool l, bool g)
{
	*s = (struct kvm_segment){ .base = base, .limit = limit,
				   .selector = sel, .type = type, .present = 1,
				   .s = 1, .db = db, .l = l, .g = g };
}

/* Identity page tables over the first 4G, in the mode's format. */
uint64_t build_page_tables(struct guest *g, enum mode mode)
{
	uint64_t *pt64 = (uint64_t *)(g->mem + PT_GPA);
	uint32_t *pt32 = (uint32_t *)(g->mem + PT_GPA);
	int i;

	switch (mode) {
	case PAGED32:	/* one page directory of 4M PSE pages */
		for (i = 0; i < 1024; i++)
			pt32[i] = ((uint32_t)i << 22) | 0x83;
		return PT_GPA;
	case PAE:	/* PDPT, then four directories of 2M pages */
		for (i = 0; i < 4; i++)
			pt64[i] = (PT_GPA + 0x1000 * (i + 1)) | 1;
		for (i = 0; i < 4 * 512; i++)
			pt64[512 + i] = ((uint64_t)i << 21) | 0x83;
		return PT_GPA;
	default:	/* LONG: PML4, PDPT, four directories of 2M pages */
		pt64[0] = (PT_GPA + 0x1000) | 3;
		for (i = 0; i < 4; i++)
			pt64[512 + i] = (PT_GPA + 0x1000 * (i + 2)) | 3;
		for (i = 0; i < 4 * 512; i++)
			pt64[1024 + i] = ((uint64_t)i << 21) | 0x83;
		return PT_GPA;
	}
}

void set_mode(struct guest *g, enum mode mode)
{
	uint64_t *gdt = (uint64_t *)(g->mem + GDT_GPA);
	struct kvm_sregs sr;
	struct kvm_regs r = { .rflags = 2, .rsp = STACK_TOP, .rip = g->entry };

	if (ioctl(g->vcpu, KVM_GET_SREGS, &sr))
		die("KVM_GET_SREGS: %s", strerror(errno));
	if (mode == REAL) {
		if (g->entry > 0xfffff)
			die("a real-mode guest must start below 1M");
		seg(&sr.cs, g->entry >> 4, g->entry & ~0xfULL, 0xffff, 0xb,
		    false, false, false);
		seg(&sr.ds, g->entry >> 4, g->entry & ~0xfULL, 0xffff, 0x3,
		    false, false, false);
		seg(&sr.ss, 0x7000, 0x70000, 0xffff, 0x3, false, false, false);
		sr.es = sr.fs = sr.gs = sr.ds;
		r.rip = g->entry & 0xf;
		r.rsp = 0xfffe;
		goto out;
	}

	gdt[1] = 0x00cf9b000000ffffULL;		/* 32-bit code */
	gdt[2] = 0x00cf93000000ffffULL;		/* data */
	gdt[3] = 0x00af9b000000ffffULL;		/* 64-bit code */
	sr.gdt.base = GDT_GPA;
	sr.gdt.limit = 4 * 8 - 1;
	seg(&sr.cs, 8, 0, 0xffffffff, 0xb, true, false, true);
	seg(&sr.ds, 16, 0, 0xffffffff, 0x3, true, false, true);
	sr.es = sr.fs = sr.gs = sr.ss = sr.ds;
	sr.cr0 = 0x11;					/* PE, ET */
	if (mode == PROT32)
		goto out;

	sr.cr3 = build_page_tables(g, mode);
	sr.cr0 |= 0x80000000;				/* PG */
	sr.cr4 = mode == PAGED32 ? 0x10 : 0x20;		/* PSE : PAE */
	if (mode == LONG) {
		sr.efer = 0x500;			/* LME, LMA */
		seg(&sr.cs, 24, 0, 0xffffffff, 0xb, false, true, true);
	}
out:
	if (ioctl(g->vcpu, KVM_SET_SREGS, &sr))
		die("KVM_SET_SREGS: %s", strerror(errno));
	if (ioctl(g->vcpu, KVM_SET_REGS, &r))
		die("KVM_SET_REGS: %s", strerror(errno));
}

/* The device's supported CPUID, read once for every VM of the run. */
static void read_cpuid(struct guest *g)
{
	struct {
		struct kvm_cpuid2 c;
		struct kvm_cpuid_entry2 e[256];
	} *cpuid = calloc(1, sizeof(*cpuid));

	if (!cpuid)
		die("out of memory");
	cpuid->c.nent = 256;
	if (ioctl(g->sys, KVM_GET_SUPPORTED_CPUID, cpuid))
		die("KVM_GET_SUPPORTED_CPUID: %s", strerror(errno));
	g->cpuid = &cpuid->c;
}

/* kvm_amd's npt parameter: 1, 0, or -1 when it cannot be read. */
static int read_kvm_npt(void)
{
	char buf[8] = "";
	FILE *f = fopen("/sys/module/kvm_amd/parameters/npt", "r");
	int npt = -1;

	if (f && fgets(buf, sizeof(buf), f))
		npt = buf[0] == 'Y' || buf[0] == '1';
	if (f)
		fclose(f);
	return npt;
}

/* On svmhv through SVMHV_SET_MMU; kvm_amd decides at module load. */
static void select_mmu(struct guest *g, const struct opts *o)
{
	if (o->mmu == MMU_DEFAULT)
		return;
	if (g->svmhv) {
		if (ioctl(g->vm, SVMHV_SET_MMU, o->mmu == MMU_NPT ?
			  SVMHV_MMU_NPT : SVMHV_MMU_SHADOW))
			die("--mmu %s: %s", mmu_names[o->mmu], strerror(errno));
		return;
	}
	if (g->kvm_npt < 0)
		die("--mmu on %s: cannot read kvm_amd's npt parameter",
		    o->device);
	if (g->kvm_npt != (o->mmu == MMU_NPT))
		die("--mmu %s: kvm_amd was loaded with npt=%d; reload it",
		    mmu_names[o->mmu], g->kvm_npt);
}

void open_device(struct guest *g, const struct opts *o)
{
	g->svmhv = !strcmp(o->device, SVMHV_DEVICE);
	g->sys = open(o->device, O_RDWR | O_CLOEXEC);
	if (g->sys < 0)
		die("%s: %s%s", o->device, strerror(errno),
		    errno == ENOENT ? " (is the module loaded?)" : "");
	if (ioctl(g->sys, KVM_GET_API_VERSION, 0) != KVM_API_VERSION)
		die("%s does not speak KVM API %d", o->device,
		    KVM_API_VERSION);
	g->kvm_npt = g->svmhv ? -1 : read_kvm_npt();
	g->run_size = ioctl(g->sys, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (g->run_size <= 0)
		die("KVM_GET_VCPU_MMAP_SIZE: %s", strerror(errno));
	read_cpuid(g);
}

/* A VM with its memory and one vCPU; the device is open already. */
void create_vm(struct guest *g, const struct opts *o)
{
	struct kvm_userspace_memory_region mr = { 0 };

	g->vm = ioctl(g->sys, KVM_CREATE_VM, 0);
	if (g->vm < 0)
		die("KVM_CREATE_VM: %s", strerror(errno));
	select_mmu(g, o);
	if (o->kernel)
		linux_create_devices(g, o);
	g->mem = alloc_memory(g, o, &g->mem_size);
	mr.memory_size = g->mem_size;
	mr.userspace_addr = (uintptr_t)g->mem;
	if (ioctl(g->vm, KVM_SET_USER_MEMORY_REGION, &mr))
		die("KVM_SET_USER_MEMORY_REGION: %s%s", strerror(errno),
		    errno == ENOMEM ? " (raise ulimit -l?)" : "");
	g->vcpu = ioctl(g->vm, KVM_CREATE_VCPU, 0);
	if (g->vcpu < 0)
		die("KVM_CREATE_VCPU: %s", strerror(errno));
	g->run = mmap(NULL, g->run_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		      g->vcpu, 0);
	if (g->run == MAP_FAILED)
		die("mapping kvm_run: %s", strerror(errno));
	if (ioctl(g->vcpu, KVM_SET_CPUID2, g->cpuid))
		die("KVM_SET_CPUID2: %s", strerror(errno));
	g->stats_tried = false;
	g->stats_fd = -1;
	g->bench = (struct bench){ 0 };
}

/* Everything create_vm() made, gone: the VM is freed. */
void destroy_vm(struct guest *g)
{
	if (g->stats_fd >= 0)
		close(g->stats_fd);
	munmap(g->run, g->run_size);
	close(g->vcpu);
	close(g->vm);
	munmap(g->raw, g->raw_size);
}

static void dump_regs(struct guest *g)
{
	struct kvm_regs r;
	struct kvm_sregs s;

	if (ioctl(g->vcpu, KVM_GET_REGS, &r) ||
	    ioctl(g->vcpu, KVM_GET_SREGS, &s))
		die("reading registers: %s", strerror(errno));
	printf("rax=%#llx rbx=%#llx rcx=%#llx rdx=%#llx\n", r.rax, r.rbx,
	       r.rcx, r.rdx);
	printf("rsi=%#llx rdi=%#llx rsp=%#llx rbp=%#llx\n", r.rsi, r.rdi,
	       r.rsp, r.rbp);
	printf("r8=%#llx r9=%#llx r10=%#llx r11=%#llx\n", r.r8, r.r9, r.r10,
	       r.r11);
	printf("rip=%#llx rflags=%#llx\n", r.rip, r.rflags);
	printf("cr0=%#llx cr3=%#llx cr4=%#llx efer=%#llx\n", s.cr0, s.cr3,
	       s.cr4, s.efer);
}

const char *const exit_names[NR_KINDS] = {
	"intr", "cpuid", "hlt", "io", "msr", "mmio", "npf", "vmmcall",
	"svm_insn", "shutdown", "other", "cr", "pf", "invlpg", "task_switch",
	"vintr",
};

static void print_stats(struct guest *g)
{
	static const char *const shadow_names[] = {
		"faults", "guest_pf", "mmio", "cr3_loads", "root_hits",
		"invlpg", "allocated", "zapped", "resynced", "wp_faults",
		"pages", "roots", "leaves", "large_leaves",
	};
	struct svmhv_vm_stats st;
	unsigned int i;

	if (!g->svmhv || ioctl(g->vm, SVMHV_GET_VM_STATS, &st)) {
		fprintf(stderr, "svmhv-run: statistics are svmhv's own: not available here\n");
		return;
	}
	fprintf(stderr, "stats: mmu=%s vmruns=%llu pinned_pages=%llu\n",
		st.mmu == SVMHV_MMU_NPT ? "npt" : "shadow",
		(unsigned long long)st.runs,
		(unsigned long long)st.pinned_pages);
	if (st.mmu == SVMHV_MMU_NPT) {
		fprintf(stderr, "stats: nested leaves 4k=%llu 2m=%llu 1g=%llu\n",
			(unsigned long long)st.leaves[SVMHV_LEAF_4K],
			(unsigned long long)st.leaves[SVMHV_LEAF_2M],
			(unsigned long long)st.leaves[SVMHV_LEAF_1G]);
	} else {
		fprintf(stderr, "stats: shadow");
		for (i = 0; i < ARRAY_SIZE(shadow_names); i++)
			fprintf(stderr, " %s=%llu", shadow_names[i],
				(unsigned long long)st.shadow[i]);
		fputc('\n', stderr);
	}
	fprintf(stderr, "stats: exits");
	for (i = 0; i < NR_KINDS && exit_names[i]; i++)
		fprintf(stderr, " %s=%llu", exit_names[i],
			(unsigned long long)st.exits[i]);
	fputc('\n', stderr);
}

/* Returns the exit status for the run. */
static int handle_io(struct guest *g, const struct opts *o, bool *done)
{
	struct kvm_run *run = g->run;
	uint8_t *data = (uint8_t *)run + run->io.data_offset;
	uint32_t bytes = run->io.size * run->io.count;
	int status = 0;

	if (o->bench && bench_io(g, o, done, &status))
		return status;
	if (run->io.direction == KVM_EXIT_IO_IN) {
		memset(data, 0xff, bytes);	/* nothing answers */
		return 0;
	}
	if (run->io.port == o->out_port) {
		fwrite(data, 1, bytes, stdout);
		fflush(stdout);
	} else if (run->io.port == o->exit_port) {
		*done = true;
		return data[0] & 0x7f;
	} else if (o->verbose) {
		fprintf(stderr, "svmhv-run: out to port %#x ignored\n",
			run->io.port);
	}
	return 0;
}

int crashed(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("svmhv-run: guest ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_GUEST;
}

/*
 * An exit the run loop has no case for: a failed VMRUN, an internal error
 * or any other.  Reports it; returns EXIT_GUEST.
 */
int crashed_exit(const struct kvm_run *run)
{
	switch (run->exit_reason) {
	case KVM_EXIT_FAIL_ENTRY:
		return crashed("state refused by VMRUN (reason %#llx)",
			(unsigned long long)run->fail_entry.hardware_entry_failure_reason);
	case KVM_EXIT_INTERNAL_ERROR:
		return crashed("stopped: internal error %u (data %#llx %#llx)",
			run->internal.suberror,
			(unsigned long long)run->internal.data[0],
			(unsigned long long)run->internal.data[1]);
	default:
		return crashed("exit %u not handled", run->exit_reason);
	}
}

static int run_guest(struct guest *g, const struct opts *o)
{
	struct kvm_run *run = g->run;
	bool done = false;
	int status = 0;

	while (!done) {
		if (ioctl(g->vcpu, KVM_RUN, 0) < 0) {
			if (errno == EINTR)
				continue;
			die("KVM_RUN: %s", strerror(errno));
		}
		if (o->verbose)
			fprintf(stderr, "svmhv-run: exit %u\n",
				run->exit_reason);
		switch (run->exit_reason) {
		case KVM_EXIT_IO:
			status = handle_io(g, o, &done);
			break;
		case KVM_EXIT_MMIO:
			if (!run->mmio.is_write)
				memset(run->mmio.data, 0xff, 8);
			break;
		case KVM_EXIT_HLT:
			return 0;
		case KVM_EXIT_SHUTDOWN:
			return crashed("shut down (triple fault)");
		default:
			return crashed_exit(run);
		}
	}
	return status;
}

/* One run of IMAGE in a fresh VM; returns the exit status. */
static int run_image(struct guest *g, const struct opts *o,
		     const uint8_t *img, size_t len)
{
	int status;

	create_vm(g, o);
	if (!load_elf(g, img, len)) {
		copy_in(g, o->load, img, len, "image");
		g->entry = o->load;
	}
	set_mode(g, o->mode);
	if (o->set_args)
		bench_set_args(g, o);
	status = run_guest(g, o);
	if (o->dump_regs)
		dump_regs(g);
	if (o->stats)
		print_stats(g);
	if (o->bench)
		status = bench_finish(g, o, status);
	destroy_vm(g);
	return status;
}

int main(int argc, char **argv)
{
	struct guest g = { 0 };
	struct opts o;
	uint8_t *img = NULL;
	size_t len = 0;
	uint64_t i;
	int status = 0;

	parse_args(argc, argv, &o);
	if (o.kernel)
		return linux_main(&g, &o);
	if (!o.lifecycle) {
		img = read_file(o.image, &len);
		open_device(&g, &o);
	}
	for (i = 0; i < o.repeat && !status; i++)
		status = o.lifecycle ? bench_lifecycle(&o) :
				       run_image(&g, &o, img, len);
	return status;
}
