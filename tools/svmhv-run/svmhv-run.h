/* SPDX-License-Identifier: GPL-2.0 */
/* What svmhv-run.c (the loader) and bench.c (benchmark mode) share. */
#ifndef SVMHV_RUN_H
#define SVMHV_RUN_H

#include <linux/kvm.h>
#include <stdbool.h>
#include <stdint.h>

#include "../../uapi/svmhv.h"

/* Exit statuses of svmhv-run itself (the guest's own are 0-123). */
#define EXIT_LOADER	125	/* bad arguments, files or device */
#define EXIT_GUEST	126	/* the guest crashed: see the message */
/* --kernel: how a Linux guest ended, besides 0 (powered off or halted). */
#define EXIT_REBOOT	3	/* the guest reset the machine */
#define EXIT_QUIT	4	/* Ctrl-A x on the console */

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* --kernel --phases: at most this many measured phases in one run. */
#define MAX_PHASES	8

enum mode { REAL, PROT32, PAGED32, PAE, LONG };

enum mmu { MMU_DEFAULT, MMU_NPT, MMU_SHADOW };

enum backing { B_4K, B_THP, B_HUGE2M, B_HUGE1G };

extern const char *const backing_names[];

struct opts {
	const char *device;
	const char *image;
	enum mode mode;
	enum backing backing;
	enum mmu mmu;
	uint64_t mem;
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

/* Exit counts at one moment, by kind (struct guest's kind_name[]). */
#define NR_KINDS	SVMHV_EXIT_STAT_NR

struct snap {
	int64_t exits;			/* all exits; -1: not known */
	uint64_t kind[NR_KINDS];
	uint64_t leaves[SVMHV_LEAF_NR];	/* svmhv under NPT */
	uint32_t mmu;			/* SVMHV_MMU_*, svmhv only */
};

/*
 * The measured phase of a --bench run, between the guest's two marks; with
 * --kernel --phases, phase i between marks 2i and 2i + 1.
 */
struct bench {
	int marks;
	uint64_t ns[2 * MAX_PHASES];	/* CLOCK_MONOTONIC at each mark */
	struct snap snap[2 * MAX_PHASES];
	uint64_t floor_ns;		/* --floor: the module's own time */
	uint32_t echo;			/* last value written to PORT_ECHO */
	int status;			/* EXIT_GUEST when a mark went wrong */
};

struct guest {
	int sys, vm, vcpu;
	struct kvm_run *run;
	int run_size;
	uint8_t *mem;
	uint64_t mem_size;
	void *raw;			/* the mapping behind mem */
	uint64_t raw_size;
	uint64_t entry;
	bool svmhv;
	int kvm_npt;			/* kvm_amd's npt: 1, 0, -1 unknown */
	struct kvm_cpuid2 *cpuid;	/* the device's, read once */
	/* KVM's binary statistics (bench.c) */
	bool stats_tried;		/* stats_fd opened, or tried */
	int stats_fd;			/* -1: none */
	int64_t stats_exits;		/* offset of "exits" in it, or -1 */
	int64_t stats_kind[NR_KINDS];	/* offsets, -1 where none */
	const char *kind_name[NR_KINDS];
	struct bench bench;
};

/* svmhv-run.c */
extern const char *const exit_names[NR_KINDS];	/* enum svmhv_exit_stat */

void die(const char *fmt, ...);
int crashed(const char *fmt, ...);
int crashed_exit(const struct kvm_run *run);
void open_device(struct guest *g, const struct opts *o);
void create_vm(struct guest *g, const struct opts *o);
void destroy_vm(struct guest *g);
void copy_in(struct guest *g, uint64_t gpa, const void *src, uint64_t len,
	     const char *what);
void set_mode(struct guest *g, enum mode mode);
uint64_t build_page_tables(struct guest *g, enum mode mode);
void seg(struct kvm_segment *s, uint16_t sel, uint64_t base, uint32_t limit,
	 uint8_t type, bool db, bool l, bool g);
void *read_file(const char *path, size_t *len);

/* bench.c */
#define PORT_MARK	0xf0	/* start, then end, of the measured phase */
#define PORT_ECHO	0xf1	/* IN gives ~(the last value OUT) */

bool scan_count(const char *s, uint64_t *v, char **end);
uint64_t parse_count(const char *s, const char *what);
void bench_check_opts(struct opts *o);
void bench_default_image(struct opts *o, const char *argv0);
void bench_set_args(struct guest *g, const struct opts *o);
bool bench_io(struct guest *g, const struct opts *o, bool *done,
	      int *status);
int bench_finish(struct guest *g, const struct opts *o, int status);
int bench_lifecycle(const struct opts *o);
void bench_parse_phases(struct opts *o, const char *list);
void bench_linux_start(struct guest *g);
bool bench_linux_mark(struct guest *g, const struct opts *o);
int bench_linux_finish(struct guest *g, const struct opts *o, int status);

/* linux.c */
#define LINUX_DEFAULT_MEM	(256ULL << 20)
#define LINUX_MAX_MEM		(3ULL << 30)	/* one RAM range below 4G */

void linux_create_devices(struct guest *g, const struct opts *o);
int linux_main(struct guest *g, const struct opts *o);

#endif /* SVMHV_RUN_H */
