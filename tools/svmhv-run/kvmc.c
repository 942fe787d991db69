// SPDX-License-Identifier: GPL-2.0
/*
 * svmhv-run's KVM client (kvmc.h): one device open for the whole run,
 * then for each run of the guest a VM, its memory in one slot at
 * guest-physical 0 and its vCPU, set up in the mode asked for.
 *
 * Below 1M the modes use the GDT at GDT_GPA, the page tables from PT_GPA
 * (up to 0x7fff) and the stack under STACK_TOP.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../lib/util.h"
#include "kvmc.h"

#define GDT_GPA		0x1000
#define PT_GPA		0x2000	/* paging structures, up to 0x7fff */
#define STACK_TOP	0x80000

const char *const mode_names[NR_MODES] = {
	[REAL] = "real", [PROT32] = "prot32", [PAGED32] = "paged32",
	[PAE] = "pae", [LONG] = "long",
};

const char *const mmu_names[NR_MMUS] = {
	[MMU_DEFAULT] = "default", [MMU_NPT] = "npt", [MMU_SHADOW] = "shadow",
};

const char *const backing_names[NR_BACKINGS] = {
	[B_4K] = "4k", [B_THP] = "thp", [B_HUGE2M] = "hugetlb2m",
	[B_HUGE1G] = "hugetlb1g",
};

const char *const exit_names[NR_KINDS] = {
	"intr", "cpuid", "hlt", "io", "msr", "mmio", "npf", "vmmcall",
	"svm_insn", "shutdown", "other", "cr", "pf", "invlpg", "task_switch",
	"vintr",
};

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

/**
 * open_device() - open @c->device and read what every VM needs of it.
 * @g: the guest, zeroed
 * @c: the device
 */
void open_device(struct guest *g, const struct vm_cfg *c)
{
	g->svmhv = !strcmp(c->device, SVMHV_DEVICE);
	g->sys = open(c->device, O_RDWR | O_CLOEXEC);
	if (g->sys < 0)
		die("%s: %s%s", c->device, strerror(errno),
		    errno == ENOENT ? " (is the module loaded?)" : "");
	if (ioctl(g->sys, KVM_GET_API_VERSION, 0) != KVM_API_VERSION)
		die("%s does not speak KVM API %d", c->device,
		    KVM_API_VERSION);
	g->kvm_npt = g->svmhv ? -1 : read_kvm_npt();
	g->run_size = ioctl(g->sys, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (g->run_size <= 0)
		die("KVM_GET_VCPU_MMAP_SIZE: %s", strerror(errno));
	read_cpuid(g);
}

/* What open_device() opened and read, gone. */
void close_device(struct guest *g)
{
	close(g->sys);
	free(g->cpuid);
}

/* On svmhv through SVMHV_SET_MMU; kvm_amd decides at module load. */
static void select_mmu(struct guest *g, const struct vm_cfg *c)
{
	if (c->mmu == MMU_DEFAULT)
		return;
	if (g->svmhv) {
		if (ioctl(g->vm, SVMHV_SET_MMU, c->mmu == MMU_NPT ?
			  SVMHV_MMU_NPT : SVMHV_MMU_SHADOW))
			die("--mmu %s: %s", mmu_names[c->mmu], strerror(errno));
		return;
	}
	if (g->kvm_npt < 0)
		die("--mmu on %s: cannot read kvm_amd's npt parameter",
		    c->device);
	if (g->kvm_npt != (c->mmu == MMU_NPT))
		die("--mmu %s: kvm_amd was loaded with npt=%d; reload it",
		    mmu_names[c->mmu], g->kvm_npt);
}

/* A VM under the MMU @c asks for, without memory or vCPU yet. */
void create_vm(struct guest *g, const struct vm_cfg *c)
{
	g->vm = ioctl(g->sys, KVM_CREATE_VM, 0);
	if (g->vm < 0)
		die("KVM_CREATE_VM: %s", strerror(errno));
	select_mmu(g, c);
}

/* Huge pages of the kind @c->backing names, for g->raw_size bytes. */
static uint8_t *map_hugetlb(struct guest *g, const struct vm_cfg *c)
{
	int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB |
		    (c->backing == B_HUGE1G ? 30 << MAP_HUGE_SHIFT :
					      21 << MAP_HUGE_SHIFT);
	uint8_t *mem = mmap(NULL, g->raw_size, PROT_READ | PROT_WRITE, flags,
			    -1, 0);

	if (mem == MAP_FAILED)
		die("no %s pages for %llu bytes (see /proc/sys/vm/nr_hugepages): %s",
		    backing_names[c->backing],
		    (unsigned long long)g->raw_size, strerror(errno));
	g->raw = mem;
	return mem;
}

/*
 * Guest memory as --backing says, aligned for the large pages it wants;
 * g->raw and g->raw_size are the mapping to unmap.
 */
static uint8_t *alloc_memory(struct guest *g, const struct vm_cfg *c,
			     uint64_t *size)
{
	uint64_t align = c->backing == B_HUGE1G ? 1UL << 30 : 2UL << 20;
	uint8_t *raw, *mem;

	*size = (c->mem + align - 1) & ~(align - 1);
	if (c->backing == B_HUGE2M || c->backing == B_HUGE1G) {
		g->raw_size = *size;
		return map_hugetlb(g, c);
	}
	raw = mmap(NULL, *size + align, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (raw == MAP_FAILED)
		die("cannot allocate %llu bytes: %s",
		    (unsigned long long)*size, strerror(errno));
	g->raw = raw;
	g->raw_size = *size + align;
	mem = (uint8_t *)(((uintptr_t)raw + align - 1) & ~(align - 1));
	if (madvise(mem, *size, c->backing == B_THP ? MADV_HUGEPAGE :
					     MADV_NOHUGEPAGE))
		die("madvise: %s", strerror(errno));
	return mem;
}

/* The VM's memory, @c->mem bytes rounded up, in slot 0 at GPA 0. */
void add_memory(struct guest *g, const struct vm_cfg *c)
{
	struct kvm_userspace_memory_region mr = { 0 };

	g->mem = alloc_memory(g, c, &g->mem_size);
	mr.memory_size = g->mem_size;
	mr.userspace_addr = (uintptr_t)g->mem;
	if (ioctl(g->vm, KVM_SET_USER_MEMORY_REGION, &mr))
		die("KVM_SET_USER_MEMORY_REGION: %s%s", strerror(errno),
		    errno == ENOMEM ? " (raise ulimit -l?)" : "");
}

/* vCPU 0, its kvm_run mapped, with all the CPUID the device supports. */
void add_vcpu(struct guest *g)
{
	g->vcpu = ioctl(g->vm, KVM_CREATE_VCPU, 0);
	if (g->vcpu < 0)
		die("KVM_CREATE_VCPU: %s", strerror(errno));
	g->run = mmap(NULL, g->run_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		      g->vcpu, 0);
	if (g->run == MAP_FAILED)
		die("mapping kvm_run: %s", strerror(errno));
	if (ioctl(g->vcpu, KVM_SET_CPUID2, g->cpuid))
		die("KVM_SET_CPUID2: %s", strerror(errno));
}

/* A VM with its memory and one vCPU; the device is open already. */
void create_guest(struct guest *g, const struct vm_cfg *c)
{
	create_vm(g, c);
	add_memory(g, c);
	add_vcpu(g);
}

/* Everything create_guest() made, gone: the VM is freed. */
void destroy_vm(struct guest *g)
{
	munmap(g->run, g->run_size);
	close(g->vcpu);
	close(g->vm);
	munmap(g->raw, g->raw_size);
}

void copy_in(struct guest *g, uint64_t gpa, const void *src, uint64_t len,
	     const char *what)
{
	if (gpa >= g->mem_size || len > g->mem_size - gpa)
		die("%s at %#llx+%#llx does not fit in guest memory", what,
		    (unsigned long long)gpa, (unsigned long long)len);
	memcpy(g->mem + gpa, src, len);
}

void get_regs(struct guest *g, struct kvm_regs *r)
{
	if (ioctl(g->vcpu, KVM_GET_REGS, r))
		die("KVM_GET_REGS: %s", strerror(errno));
}

void set_regs(struct guest *g, const struct kvm_regs *r)
{
	if (ioctl(g->vcpu, KVM_SET_REGS, r))
		die("KVM_SET_REGS: %s", strerror(errno));
}

void get_sregs(struct guest *g, struct kvm_sregs *sr)
{
	if (ioctl(g->vcpu, KVM_GET_SREGS, sr))
		die("KVM_GET_SREGS: %s", strerror(errno));
}

void set_sregs(struct guest *g, const struct kvm_sregs *sr)
{
	if (ioctl(g->vcpu, KVM_SET_SREGS, sr))
		die("KVM_SET_SREGS: %s", strerror(errno));
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

/* Real mode: CS:IP at g->entry, which must be below 1M. */
static void set_real(struct guest *g, struct kvm_sregs *sr,
		     struct kvm_regs *r)
{
	if (g->entry > 0xfffff)
		die("a real-mode guest must start below 1M");
	seg(&sr->cs, g->entry >> 4, g->entry & ~0xfULL, 0xffff, 0xb,
	    false, false, false);
	seg(&sr->ds, g->entry >> 4, g->entry & ~0xfULL, 0xffff, 0x3,
	    false, false, false);
	seg(&sr->ss, 0x7000, 0x70000, 0xffff, 0x3, false, false, false);
	sr->es = sr->fs = sr->gs = sr->ds;
	r->rip = g->entry & 0xf;
	r->rsp = 0xfffe;
}

/* The vCPU in @mode, flat, starting at g->entry. */
void set_mode(struct guest *g, enum mode mode)
{
	uint64_t *gdt = (uint64_t *)(g->mem + GDT_GPA);
	struct kvm_sregs sr;
	struct kvm_regs r = { .rflags = 2, .rsp = STACK_TOP, .rip = g->entry };

	get_sregs(g, &sr);
	if (mode == REAL) {
		set_real(g, &sr, &r);
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
	set_sregs(g, &sr);
	set_regs(g, &r);
}

/**
 * crashed() - report "svmhv-run: guest MESSAGE" on stderr.
 * @fmt: the message, printf-style, without the newline
 *
 * Return: EXIT_GUEST.
 */
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
