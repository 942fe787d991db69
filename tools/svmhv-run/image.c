// SPDX-License-Identifier: GPL-2.0
/*
 * svmhv-run IMAGE: run a small guest (a flat binary or an ELF file) in
 * real, 32-bit protected, 32-bit paged, PAE or long mode, --repeat times,
 * each in a fresh VM.
 *
 * The guest prints on an output port (copied to stdout) and ends the run
 * by writing its status to the debug exit port, or by halting.  With
 * --bench, bench.c has the ports of its protocol first.
 */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "../lib/util.h"
#include "bench.h"
#include "image.h"
#include "kvmc.h"

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

	create_guest(g, &o->vm);
	bench_vm_start();
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
	bench_vm_end();
	destroy_vm(g);
	return status;
}

/**
 * image_main() - svmhv-run IMAGE.
 * @o: the options
 *
 * Return: the exit status of the last run: the guest's own, or
 * EXIT_GUEST when it crashed; the runs stop at the first that is not 0.
 */
int image_main(const struct opts *o)
{
	struct guest g = { 0 };
	size_t len = 0;
	uint8_t *img = read_file(o->image, &len);
	int status = 0;
	uint64_t i;

	open_device(&g, &o->vm);
	for (i = 0; i < o->repeat && !status; i++)
		status = run_image(&g, o, img, len);
	return status;
}
