// SPDX-License-Identifier: GPL-2.0
/*
 * svmhv-run's benchmark mode (--bench, --lifecycle, --floor, and --phases
 * for --kernel): the mark protocol, exit counts from the hypervisor's
 * statistics, and the one result line per run (per phase with --phases):
 *
 *   svmhv-bench: workload=NAME device=svmhv|kvm mmu=npt|shadow
 *     backing=KIND guest_pages=4k|2m iters=N ns=T exits=E
 *     [exit_KIND=n ...] [leaves_4k=a leaves_2m=b leaves_1g=c]
 *
 * The guest writes to PORT_MARK when its measured phase starts and again
 * when it ends; ns is the CLOCK_MONOTONIC time between the two exits,
 * exits and exit_KIND (only the kinds that occurred) the difference of
 * the statistics read at them, less the end mark's own I/O exit, leaves
 * the nested leaves mapped at the end (svmhv under NPT).  On svmhv the statistics are SVMHV_GET_VM_STATS
 * and the kinds its exit counters; on /dev/kvm they are KVM's binary
 * statistics (KVM_GET_STATS_FD): exits, io_exits, mmio_exits,
 * halt_exits, irq_exits, hypercalls, invlpg and pf_taken, reported as
 * io, mmio, hlt, intr, vmmcall, invlpg and npf (npt=1) or pf (npt=0);
 * without them exits=-1.
 *
 * A Linux guest (--kernel --phases NAME[:ITERS],...) has several phases:
 * the first from its first instruction to its first mark (the boot), each
 * later one between two more marks (bench/linux-guest.c writes them);
 * the lines come when it has powered off, guest_pages=4k (its processes').
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "../lib/util.h"
#include "bench.h"

/* Exit counts at one moment, by kind (meas.kind_name[]). */
struct snap {
	int64_t exits;			/* all exits; -1: not known */
	uint64_t kind[NR_KINDS];
	uint64_t leaves[SVMHV_LEAF_NR];	/* svmhv under NPT */
	uint32_t mmu;			/* SVMHV_MMU_*, svmhv only */
};

/*
 * The VM measured, one at a time (bench_vm_start() to bench_vm_end()):
 * KVM's binary statistics, if read, and the marks of the measured phase
 * of a --bench run, between the guest's two marks; with --kernel
 * --phases, phase i between marks 2i and 2i + 1.
 */
static struct measure {
	bool stats_tried;		/* stats_fd opened, or tried */
	int stats_fd;			/* -1: none */
	int64_t stats_exits;		/* offset of "exits" in it, or -1 */
	int64_t stats_kind[NR_KINDS];	/* offsets, -1 where none */
	const char *kind_name[NR_KINDS];
	int marks;
	uint64_t ns[2 * MAX_PHASES];	/* CLOCK_MONOTONIC at each mark */
	struct snap snap[2 * MAX_PHASES];
	uint64_t floor_ns;		/* --floor: the module's own time */
	uint32_t echo;			/* last value written to PORT_ECHO */
} meas = { .stats_fd = -1 };

/* KVM's statistics that svmhv-run reports, and as which kind. */
static const struct {
	const char *stat, *kind;
} kvm_kinds[] = {
	{ "io_exits", "io" },
	{ "mmio_exits", "mmio" },
	{ "halt_exits", "hlt" },
	{ "irq_exits", "intr" },
	{ "hypercalls", "vmmcall" },
	{ "invlpg", "invlpg" },
	{ "pf_taken", NULL },		/* npf or pf, as kvm_amd's npt */
};

/* Which options go together; the benchmark runs imply --bench. */
void bench_check_opts(struct opts *o)
{
	if (o->lifecycle && o->floor)
		die("--lifecycle and --floor are separate runs");
	if (o->lifecycle && o->image)
		die("--lifecycle runs a guest of its own: no IMAGE");
	if (o->floor) {
		if (strcmp(o->vm.device, SVMHV_DEVICE))
			die("--floor is svmhv's own (SVMHV_RUN_FLOOR), not %s's",
			    o->vm.device);
		if (o->set_args)
			die("--floor sets RDI (its count) and RSI itself: no --iters or --arg");
		if (o->mode != LONG)
			die("--floor runs a long-mode payload");
		/* vmmcall's --arg bit 0: the floor leaves RAX alone. */
		o->iters = o->floor;
		o->arg = 1;
	}
	if (o->floor || o->lifecycle)
		o->bench = true;
	if (o->bench)
		o->set_args = true;
}

/* --floor without IMAGE: bench/vmmcall.bin beside this program. */
void bench_default_image(struct opts *o, const char *argv0)
{
	static char path[PATH_MAX + 32];
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n <= 0)
		n = snprintf(self, sizeof(self), "%s", argv0);
	self[n < (ssize_t)sizeof(self) ? n : (ssize_t)sizeof(self) - 1] = 0;
	snprintf(path, sizeof(path), "%s/bench/vmmcall.bin", dirname(self));
	o->image = path;
}

/* RDI = iterations, RSI = argument, RDX = memory size (guest.h). */
void bench_set_args(struct guest *g, const struct opts *o)
{
	struct kvm_regs r;

	get_regs(g, &r);
	r.rdi = o->iters;
	r.rsi = o->arg;
	r.rdx = g->mem_size;
	set_regs(g, &r);
}

/* A new VM to measure: no statistics read, no marks yet. */
void bench_vm_start(void)
{
	meas = (struct measure){ .stats_fd = -1 };
}

/* The VM measured is going away: its statistics file with it. */
void bench_vm_end(void)
{
	if (meas.stats_fd >= 0)
		close(meas.stats_fd);
	meas.stats_fd = -1;
}

/* Where KVM's binary statistics keep the counts wanted, if they exist. */
static void kvm_stats_open(struct guest *g)
{
	struct kvm_stats_header h;
	struct kvm_stats_desc *d;
	size_t size;
	char *descs;
	unsigned int i, k;
	int fd;

	meas.stats_exits = -1;
	for (k = 0; k < NR_KINDS; k++)
		meas.stats_kind[k] = -1;
	fd = ioctl(g->vcpu, KVM_GET_STATS_FD, NULL);
	if (fd < 0)
		return;
	if (pread(fd, &h, sizeof(h), 0) != sizeof(h) || !h.name_size) {
		close(fd);
		return;
	}
	size = sizeof(*d) + h.name_size;
	descs = calloc(h.num_desc, size);
	if (!descs || pread(fd, descs, size * h.num_desc, h.desc_offset) !=
	    (ssize_t)(size * h.num_desc)) {
		free(descs);
		close(fd);
		return;
	}
	for (i = 0; i < h.num_desc; i++) {
		d = (struct kvm_stats_desc *)(descs + i * size);
		d->name[h.name_size - 1] = 0;
		if (!strcmp(d->name, "exits"))
			meas.stats_exits = h.data_offset + d->offset;
		for (k = 0; k < ARRAY_SIZE(kvm_kinds); k++)
			if (!strcmp(d->name, kvm_kinds[k].stat))
				meas.stats_kind[k] = h.data_offset + d->offset;
	}
	free(descs);
	meas.stats_fd = fd;
}

static void kind_names(struct guest *g)
{
	unsigned int k;

	for (k = 0; k < NR_KINDS; k++) {
		if (g->svmhv)
			meas.kind_name[k] = exit_names[k];
		else if (k < ARRAY_SIZE(kvm_kinds))
			meas.kind_name[k] = kvm_kinds[k].kind ? kvm_kinds[k].kind :
					  g->kvm_npt == 1 ? "npf" : "pf";
		else
			meas.kind_name[k] = NULL;
	}
}

/* The counter at @offset of the statistics file; -1 if none. */
static int64_t kvm_stat(int64_t offset)
{
	uint64_t v;

	if (offset < 0 || pread(meas.stats_fd, &v, sizeof(v), offset) !=
	    sizeof(v))
		return -1;
	return v;
}

static void kvm_snapshot(struct guest *g, struct snap *s)
{
	unsigned int k;

	if (!meas.stats_tried) {
		meas.stats_tried = true;
		kvm_stats_open(g);
	}
	s->exits = -1;
	if (meas.stats_fd < 0)
		return;
	s->exits = kvm_stat(meas.stats_exits);
	for (k = 0; k < NR_KINDS; k++) {
		int64_t v = kvm_stat(meas.stats_kind[k]);

		s->kind[k] = v < 0 ? 0 : v;
	}
}

static void svmhv_snapshot(struct guest *g, struct snap *s)
{
	struct svmhv_vm_stats st;
	unsigned int k;

	s->exits = -1;
	if (ioctl(g->vm, SVMHV_GET_VM_STATS, &st))
		return;
	s->exits = 0;
	for (k = 0; k < NR_KINDS; k++) {
		s->kind[k] = st.exits[k];
		s->exits += st.exits[k];
	}
	memcpy(s->leaves, st.leaves, sizeof(s->leaves));
	s->mmu = st.mmu;
}

static void snapshot(struct guest *g, struct snap *s)
{
	*s = (struct snap){ 0 };
	kind_names(g);
	if (g->svmhv)
		svmhv_snapshot(g, s);
	else
		kvm_snapshot(g, s);
}

static const char *mmu_name(const struct guest *g, const struct snap *s)
{
	if (g->svmhv)
		return s->mmu == SVMHV_MMU_NPT ? "npt" :
		       s->mmu == SVMHV_MMU_SHADOW ? "shadow" : "unknown";
	return g->kvm_npt == 1 ? "npt" : g->kvm_npt == 0 ? "shadow" :
	       "unknown";
}

/* The image's name without directory and extension. */
static const char *workload_name(const struct opts *o)
{
	static char name[64];
	const char *base;
	char *dot;

	if (o->lifecycle)
		return "lifecycle";
	if (o->floor)
		return "floor";
	base = strrchr(o->image, '/') ? strrchr(o->image, '/') + 1 : o->image;
	snprintf(name, sizeof(name), "%s", base);
	dot = strrchr(name, '.');
	if (dot && dot != name)
		*dot = 0;
	return name;
}

/*
 * The guest page size the measured accesses go through: gups and seq
 * choose with --arg bit 0; vmmcall and pio (and the floor) run on
 * svmhv-run's 2M identity map; the other payloads map 4K pages (and the
 * lifecycle guest runs unpaged, in real mode).
 */
static const char *guest_pages(const char *workload, uint64_t arg)
{
	if (!strcmp(workload, "gups") || !strcmp(workload, "seq"))
		return arg & 1 ? "2m" : "4k";
	if (!strcmp(workload, "vmmcall") || !strcmp(workload, "pio") ||
	    !strcmp(workload, "floor"))
		return "2m";
	return "4k";
}

static void print_line(const struct guest *g, const struct opts *o,
		       const char *workload, const char *pages, uint64_t iters,
		       uint64_t ns, const struct snap *a, const struct snap *b)
{
	unsigned int k;

	printf("svmhv-bench: workload=%s device=%s mmu=%s backing=%s guest_pages=%s iters=%llu ns=%llu",
	       workload, g->svmhv ? "svmhv" : "kvm", mmu_name(g, b),
	       backing_names[o->vm.backing], pages,
	       (unsigned long long)iters, (unsigned long long)ns);
	if (a->exits < 0 || b->exits < 0) {
		printf(" exits=-1");
	} else {
		printf(" exits=%lld", (long long)(b->exits - a->exits));
		for (k = 0; k < NR_KINDS; k++)
			if (meas.kind_name[k] && b->kind[k] != a->kind[k])
				printf(" exit_%s=%llu", meas.kind_name[k],
				       (unsigned long long)(b->kind[k] -
							    a->kind[k]));
	}
	if (g->svmhv && b->mmu == SVMHV_MMU_NPT && !o->lifecycle)
		printf(" leaves_4k=%llu leaves_2m=%llu leaves_1g=%llu",
		       (unsigned long long)b->leaves[SVMHV_LEAF_4K],
		       (unsigned long long)b->leaves[SVMHV_LEAF_2M],
		       (unsigned long long)b->leaves[SVMHV_LEAF_1G]);
	putchar('\n');
	fflush(stdout);
}

/*
 * --floor: the measured phase is SVMHV_RUN_FLOOR's, for all the
 * iterations the guest's loop has (a signal only splits the call).
 * Returns false, with a message, when the floor stopped otherwise.
 */
static bool run_floor(struct guest *g, const struct opts *o)
{
	struct svmhv_floor f;
	uint64_t done = 0;

	while (done < o->floor) {
		f = (struct svmhv_floor){ .iterations = o->floor - done };
		if (ioctl(g->vcpu, SVMHV_RUN_FLOOR, &f) && errno != EINTR) {
			if (errno == ENOTTY)
				die("--floor: this svmhv has no SVMHV_RUN_FLOOR (ENOTTY)");
			crashed("stopped SVMHV_RUN_FLOOR after %llu iterations: %s",
				(unsigned long long)(done + f.iterations),
				strerror(errno));
			return false;
		}
		done += f.iterations;
		meas.floor_ns += f.ns;
	}
	return true;
}

/*
 * Record the next mark: an even one starts a phase, an odd one ends it.
 * The statistics are read outside the timed phase, before its start and
 * after its end.
 */
static void take_mark(struct guest *g)
{
	struct measure *b = &meas;
	int k = b->marks++;

	if (k & 1) {
		b->ns[k] = now_ns();
		snapshot(g, &b->snap[k]);
	} else {
		snapshot(g, &b->snap[k]);
		b->ns[k] = now_ns();
	}
}

/* The guest marked the start or the end of its measured phase. */
static bool bench_mark(struct guest *g, const struct opts *o)
{
	if (meas.marks >= 2) {
		crashed("marked its measured phase more than twice");
		return false;
	}
	take_mark(g);
	return meas.marks == 2 || !o->floor || run_floor(g, o);
}

/* PORT_ECHO: an IN gives the complement of the last value OUT. */
static void bench_echo(struct guest *g)
{
	struct kvm_run *run = g->run;
	uint8_t *data = (uint8_t *)run + run->io.data_offset;
	uint32_t v = 0, i;

	if (run->io.direction == KVM_EXIT_IO_OUT) {
		memcpy(&v, data + (run->io.count - 1) * run->io.size,
		       run->io.size);
		meas.echo = v;
		return;
	}
	v = ~meas.echo;
	for (i = 0; i < run->io.count; i++)
		memcpy(data + i * run->io.size, &v, run->io.size);
}

/*
 * A port I/O exit of a --bench run: true when it was the protocol's,
 * with *done and *status set if it ended the run.
 */
bool bench_io(struct guest *g, const struct opts *o, bool *done,
	      int *status)
{
	struct kvm_run *run = g->run;

	if (run->io.port == PORT_ECHO && run->io.size <= 4) {
		bench_echo(g);
		return true;
	}
	if (run->io.port != PORT_MARK ||
	    run->io.direction != KVM_EXIT_IO_OUT)
		return false;
	if (!bench_mark(g, o)) {
		*done = true;
		*status = EXIT_GUEST;
	}
	return true;
}

/*
 * The end mark's exit is in the statistics read at it, but it ended the
 * measured phase rather than being part of it: one I/O exit less.
 */
static void uncount_end_mark(struct snap *end)
{
	unsigned int k;

	if (end->exits <= 0)
		return;
	end->exits--;
	for (k = 0; k < NR_KINDS; k++)
		if (meas.kind_name[k] && !strcmp(meas.kind_name[k], "io") &&
		    end->kind[k])
			end->kind[k]--;
}

/* A run that ended with @status gives no result: say why, unless said. */
static int no_result(int status)
{
	if (status != EXIT_GUEST)
		fprintf(stderr, "svmhv-run: no result: the guest ended with status %d\n",
			status);
	return status;
}

/* After a --bench run: its line, or why there is none. */
int bench_finish(struct guest *g, const struct opts *o, int status)
{
	struct measure *b = &meas;

	if (status)
		return no_result(status);
	if (b->marks != 2)
		return crashed("ended with %d marks of its measured phase, not 2",
			       b->marks);
	uncount_end_mark(&b->snap[1]);
	print_line(g, o, workload_name(o), guest_pages(workload_name(o), o->arg),
		   o->iters, o->floor ? b->floor_ns : b->ns[1] - b->ns[0],
		   &b->snap[0], &b->snap[1]);
	return 0;
}

/* The lifecycle guest's one KVM_RUN: it must stop at its OUT. */
static int first_exit(struct guest *g, const struct opts *o)
{
	int ret;

	do {
		ret = ioctl(g->vcpu, KVM_RUN, 0);
	} while (ret < 0 && errno == EINTR);
	if (ret < 0)
		die("KVM_RUN: %s", strerror(errno));
	if (g->run->exit_reason != KVM_EXIT_IO ||
	    g->run->io.port != o->exit_port)
		return crashed("(lifecycle) exited for %u, not its OUT to port %#x",
			       g->run->exit_reason, o->exit_port);
	return 0;
}

static void add_snap(struct snap *total, const struct snap *s)
{
	unsigned int k;

	total->exits = total->exits < 0 || s->exits < 0 ? -1 :
		       total->exits + s->exits;
	for (k = 0; k < NR_KINDS; k++)
		total->kind[k] += s->kind[k];
	total->mmu = s->mmu;
}

/*
 * One run of --lifecycle N: N times a VM, its memory and a vCPU made, run
 * to the first exit of a guest that is one OUT in real mode, and
 * destroyed.  The time is all of it but reading the statistics.
 */
static int lifecycle_run(const struct opts *o)
{
	static const uint8_t code[] = { 0xe6, 0xf4 };	/* out %al, $0xf4 */
	struct snap zero = { 0 }, total = { 0 }, s;
	struct guest g = { 0 };
	uint64_t i, ns = 0, t;
	int status;

	open_device(&g, &o->vm);
	for (i = 0; i < o->lifecycle; i++) {
		t = now_ns();
		create_guest(&g, &o->vm);
		bench_vm_start();
		copy_in(&g, o->load, code, sizeof(code), "guest");
		g.entry = o->load;
		set_mode(&g, REAL);
		status = first_exit(&g, o);
		ns += now_ns() - t;
		if (status)
			return status;
		snapshot(&g, &s);
		add_snap(&total, &s);
		t = now_ns();
		bench_vm_end();
		destroy_vm(&g);
		ns += now_ns() - t;
	}
	print_line(&g, o, "lifecycle", guest_pages("lifecycle", 0),
		   o->lifecycle, ns, &zero, &total);
	close_device(&g);
	return 0;
}

/* --lifecycle: --repeat runs, each with the device opened anew. */
int bench_lifecycle(const struct opts *o)
{
	int status = 0;
	uint64_t i;

	for (i = 0; i < o->repeat && !status; i++)
		status = lifecycle_run(o);
	return status;
}

/*
 * --phases LIST (with --kernel): NAME[:ITERS],... in the order the guest
 * runs them; ITERS (default 1) is only the line's divisor.
 */
void bench_parse_phases(struct opts *o, const char *list)
{
	static const char name_chars[] = "abcdefghijklmnopqrstuvwxyz0123456789_";
	char *copy = strdup(list), *tok, *save = NULL, *colon;
	struct phase *p;

	if (!copy)
		die("out of memory");
	o->nphases = 0;
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (o->nphases == MAX_PHASES)
			die("--phases: at most %d phases", MAX_PHASES);
		p = &o->phases[o->nphases++];
		colon = strchr(tok, ':');
		p->iters = 1;
		if (colon) {
			*colon = 0;
			p->iters = parse_count(colon + 1, "--phases");
			if (!p->iters)
				die("--phases: %s:0: a phase has at least one iteration",
				    tok);
		}
		if (!*tok || tok[strspn(tok, name_chars)])
			die("--phases: '%s' is not a name (a-z, 0-9, _)", tok);
		p->name = tok;
	}
	if (!o->nphases)
		die("--phases: no phase in '%s'", list);
}

/* --kernel --phases: the first phase starts with the guest (its boot). */
void bench_linux_start(struct guest *g)
{
	meas.marks = 0;
	take_mark(g);
}

/*
 * A mark of a Linux guest: mark 2i - 1 ends phase i - 1, mark 2i starts
 * phase i.  False, with a message, for a mark beyond the last phase.
 */
bool bench_linux_mark(struct guest *g, const struct opts *o)
{
	if (meas.marks >= 2 * o->nphases) {
		crashed("marked more phases than --phases has (%d)", o->nphases);
		return false;
	}
	take_mark(g);
	return true;
}

/* After a --kernel --phases run: a line per phase, or why there are none. */
int bench_linux_finish(struct guest *g, const struct opts *o, int status)
{
	struct measure *b = &meas;
	int i;

	if (status)
		return no_result(status);
	if (b->marks != 2 * o->nphases)
		return crashed("powered off after %d marks: --phases wants %d (the first phase starts at boot)",
			       b->marks - 1, 2 * o->nphases - 1);
	for (i = 0; i < o->nphases; i++) {
		uncount_end_mark(&b->snap[2 * i + 1]);
		print_line(g, o, o->phases[i].name, "4k", o->phases[i].iters,
			   b->ns[2 * i + 1] - b->ns[2 * i], &b->snap[2 * i],
			   &b->snap[2 * i + 1]);
	}
	return 0;
}
