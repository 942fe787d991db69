// SPDX-License-Identifier: GPL-2.0
/*
 * The fuzzer widened to the class of bugs an outside review found (issue
 * 16, docs/security.md):
 *
 * random_states_keep_the_guest_in_its_memory: a VM with three slots (2M
 * at 0, 64K at 4M, 64K at 4G), started in one of five setups (real mode
 * with 4G data segments, 32-bit protected mode, 32-bit paging with PSE
 * and PSE-36, PAE, long mode), then given random KVM_SET_SREGS and
 * KVM_SET_MSRS perturbations: EFER, CR0, CR3 and CR4 bits (reserved ones
 * too), another setup's control registers or segments, segment
 * attributes, and the MSRs of KVM_GET_MSR_INDEX_LIST.  Then it runs a
 * probe, in the code size the state it got has, that reads five
 * addresses holding markers (one per slot and boundary) and sends each
 * value to port 0x99.  Whatever the run ends in (exits, a refused entry,
 * an internal error, a shutdown, a signal), every value the guest sends
 * must be its own: every page of every slot holds 0xf4 bytes (HLT as
 * code, not present as a page table entry) but for the page tables, the
 * GDT, the probe and the markers, and each probe address lies in the
 * last 256 bytes of its page at a multiple of 8, where nothing else but
 * 0xf4 bytes, page table entries and markers ever is.  Paging keeps the
 * offset in the page and the segment bases stay 0, so the guest can read
 * nothing else there, wherever the translation goes (an address outside
 * the slots reads 0xf4 bytes from this test); a zero, a host pointer or
 * any other host data fails.  Unperturbed runs must read every marker.
 * (A state with EFER.LME set and both CR0.PG and CR4.PAE clear is given
 * CR4.PAE first: the emulated CPU hangs at the #VMEXIT after such a
 * guest, docs/security.md.)
 *
 * vcpu_churn_races_the_readers: two threads create vCPUs (and now and
 * then whole VMs, with the irqchip and UART), mmap their run pages, run,
 * close and unmap them in random order, and make KVM_CREATE_VCPU fail
 * with EMFILE by lowering RLIMIT_NOFILE, while other threads read the
 * vCPU table without its lock: SVMHV_GET_VM_STATS, KVM_IRQ_LINE and
 * KVM_SET_GSI_ROUTING, the UART file (read, write, poll) and KVM_RUN of
 * vCPU 0.  Any errno of the KVM API is fine: the debug kernel's KASAN
 * and lockdep and the boot's kernel-log check are the judges; nothing
 * may stay pinned or hold the module afterwards.  svmhv only: most of
 * the readers are svmhv's own, and kvm_amd stops the emulated CPU here.
 *
 * fuzz_state_test [RUNS [SEED]] (default 2000 runs): the seed is printed;
 * the same seed gives the same states in the same order, and run N of a
 * seed is the same whatever RUNS is.
 */
#include <asm/processor-flags.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "svmhv_util.h"
#include "vm_util.h"
#include "../uapi/svmhv.h"

#define MAX_ERRNO	4096
#define PINNED_PAGES	"/sys/kernel/debug/svmhv/pinned_pages"

/* Guest memory: slot 0 at 0, slot 1 at 4M, slot 2 at 4G. */
#define SLOT0_SIZE	(2UL << 20)
#define SLOT1_GPA	(4ULL << 20)
#define SLOT2_GPA	(4ULL << 30)
#define SMALL_SIZE	(64UL << 10)
#define NR_SLOTS	3

#define GDT_GPA		0x1000
#define PML4_GPA	0x2000
#define PDPT_GPA	0x3000
#define PD_GPA		0x4000		/* 0-1G in 2M pages */
#define PD_HIGH_GPA	0x5000		/* 1G-1G+2M: a 2M page at 4G */
#define PAE_PDPT_GPA	0x6000
#define CODE_GPA	0x7000		/* + 0x100 per code size: 16, 32, 64 */
#define PD32_GPA	0xa000
#define PT32_GPA	0xb000		/* 0-4M in 4K pages */
#define STACK_GPA	0x1f0000

#define FILL_BYTE	0xf4		/* HLT; bit 0 clear: not present */
#define FILL32		0xf4f4f4f4U
#define FILL64		0xf4f4f4f4f4f4f4f4ULL
/* Probe addresses lie at page offsets PROBE_OFF and up, multiples of 8. */
#define PROBE_OFF	0xf00
#define PORT_VALUE	0x99
#define PORT_DONE	0x98
#define MAX_EXITS	24
#define MAX_VALUES	16

#define EFER_SCE	(1ULL << 0)
#define EFER_LME	(1ULL << 8)
#define EFER_LMA	(1ULL << 10)
#define EFER_NXE	(1ULL << 11)
#define EFER_SVME_BIT	12
#define CR0_PAGED	(X86_CR0_PG | X86_CR0_WP | X86_CR0_ET | X86_CR0_PE)
#define PTE_TABLE	0x7ULL		/* present, writable, user */
#define PTE_LARGE	0x87ULL		/* ... and a large page */

/* Stop starting runs after this long, however many are left. */
#define STATE_SECONDS	90
#define RACE_SECONDS	30

enum {
	SETUP_REAL, SETUP_PROT32, SETUP_PAGED32, SETUP_PAE, SETUP_LONG,
	NR_SETUPS
};

static const char *const setup_names[NR_SETUPS] = {
	"real", "prot32", "paged32", "pae", "long",
};

/* Each setup's control registers. */
static const struct {
	uint64_t cr0, cr3, cr4, efer;
} modes[NR_SETUPS] = {
	[SETUP_REAL] = { X86_CR0_ET, 0, 0, 0 },
	[SETUP_PROT32] = { X86_CR0_ET | X86_CR0_PE, 0, 0, 0 },
	[SETUP_PAGED32] = { CR0_PAGED, PD32_GPA, X86_CR4_PSE, 0 },
	[SETUP_PAE] = { CR0_PAGED, PAE_PDPT_GPA, X86_CR4_PAE, 0 },
	[SETUP_LONG] = { CR0_PAGED, PML4_GPA, X86_CR4_PAE,
			 EFER_LME | EFER_LMA },
};

/*
 * What the probe reads: virtual addresses, identity-mapped in every
 * setup but the last, which paging maps to 4G (unpaged it is outside
 * the slots and reads FILL32 from mmio_fill()).
 */
static const struct {
	uint32_t va;
	uint64_t gpa;
} probes[] = {
	{ 0x8f00, 0x8f00 },			/* below 64K */
	{ 0xfff8, 0xfff8 },			/* the last of 64K */
	{ 0x1ffff8, 0x1ffff8 },			/* the last of slot 0 */
	{ 0x400f08, SLOT1_GPA + 0xf08 },	/* slot 1 */
	{ 0x40000f10, SLOT2_GPA + 0xf10 },	/* slot 2, at 4G */
};

#define NR_PROBES	ARRAY_SIZE(probes)

/* Bytes 0xf4 (HLT) and 0x5a 0xfe: not a pointer, not a zero. */
static uint32_t marker(int i)
{
	return 0x5afe00f4U | i << 8;
}

static unsigned int rnd(unsigned int *s)
{
	*s = *s * 1103515245 + 12345;
	return *s >> 8;
}

static uint64_t rnd64(unsigned int *s)
{
	return (uint64_t)rnd(s) << 40 ^ (uint64_t)rnd(s) << 20 ^ rnd(s);
}

static uint64_t boundary(unsigned int *s)
{
	static const uint64_t v[] = {
		0, 1, 0xfff, 0x1000, 0x7fffffff, 0x80000000, 0xffffffff,
		1ULL << 47, (1ULL << 47) - 1, 0xffff800000000000ULL,
		1ULL << 52, ~0ULL, ~0ULL << 12,
	};

	return v[rnd(s) % ARRAY_SIZE(v)];
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void on_signal(int sig)
{
}

/* SIGUSR1 interrupts KVM_RUN (EINTR); no SA_RESTART. */
static int catch_sigusr1(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	return sigaction(SIGUSR1, &sa, NULL);
}

/* A timer that sends SIGUSR1 to this thread: one-shot, or every @ns. */
static int thread_timer(timer_t *t, long ns)
{
	struct sigevent ev = { .sigev_notify = SIGEV_THREAD_ID,
			       .sigev_signo = SIGUSR1 };
	struct itimerspec its = { { 0, ns }, { 0, ns } };

	ev._sigev_un._tid = syscall(SYS_gettid);
	if (timer_create(CLOCK_MONOTONIC, &ev, t))
		return -1;
	return ns ? timer_settime(*t, 0, &its, NULL) : 0;
}

/*
 * The probe in one code size: for each address, "mov eax, [disp32]"
 * (ModRM 04, SIB 25: no base, no index, the same in 32- and 64-bit code;
 * 16-bit code takes the address- and operand-size prefixes), "out
 * $PORT_VALUE, %eax"; then "out %al, $PORT_DONE" and HLT.
 */
static void emit_probe(uint8_t *p, int bits)
{
	unsigned int i;

	for (i = 0; i < NR_PROBES; i++) {
		if (bits == 16) {
			*p++ = 0x67;
			*p++ = 0x66;
		}
		*p++ = 0x8b;
		*p++ = 0x04;
		*p++ = 0x25;
		memcpy(p, &probes[i].va, 4);
		p += 4;
		if (bits == 16)
			*p++ = 0x66;
		*p++ = 0xe7;
		*p++ = PORT_VALUE;
	}
	*p++ = 0xe6;
	*p++ = PORT_DONE;
	*p++ = 0xf4;			/* 1: hlt */
	*p++ = 0xeb;			/*    jmp 1b */
	*p++ = 0xfd;
}

static int code_offset(int bits)
{
	return bits == 16 ? 0 : bits == 32 ? 0x100 : 0x200;
}

static void *gpa(uint8_t *const mem[NR_SLOTS], uint64_t a)
{
	if (a >= SLOT2_GPA)
		return mem[2] + (a - SLOT2_GPA);
	if (a >= SLOT1_GPA)
		return mem[1] + (a - SLOT1_GPA);
	return mem[0] + a;
}

/* The same memory for every run: fill, tables, GDT, probes, markers. */
static void build_memory(uint8_t *const mem[NR_SLOTS])
{
	uint64_t *gdt = gpa(mem, GDT_GPA), *pml4 = gpa(mem, PML4_GPA);
	uint64_t *pdpt = gpa(mem, PDPT_GPA), *pd = gpa(mem, PD_GPA);
	uint64_t *pd_high = gpa(mem, PD_HIGH_GPA);
	uint64_t *pae_pdpt = gpa(mem, PAE_PDPT_GPA);
	uint32_t *pd32 = gpa(mem, PD32_GPA), *pt32 = gpa(mem, PT32_GPA);
	uint32_t m;
	unsigned int i;

	memset(mem[0], FILL_BYTE, SLOT0_SIZE);
	memset(mem[1], FILL_BYTE, SMALL_SIZE);
	memset(mem[2], FILL_BYTE, SMALL_SIZE);
	gdt[0] = 0;
	gdt[1] = 0x00cf9b000000ffffULL;		/* 0x08: 32-bit code */
	gdt[2] = 0x00cf93000000ffffULL;		/* 0x10: data */
	gdt[3] = 0x00af9b000000ffffULL;		/* 0x18: 64-bit code */
	pml4[0] = PDPT_GPA | PTE_TABLE;
	pdpt[0] = PD_GPA | PTE_TABLE;
	pdpt[1] = PD_HIGH_GPA | PTE_TABLE;
	for (i = 0; i < 512; i++)
		pd[i] = (uint64_t)i << 21 | PTE_LARGE;
	pd_high[0] = SLOT2_GPA | PTE_LARGE;
	/* PDPTEs have no R/W or U/S bit. */
	pae_pdpt[0] = PD_GPA | 1;
	pae_pdpt[1] = PD_HIGH_GPA | 1;
	pd32[0] = PT32_GPA | PTE_TABLE;
	pd32[1] = SLOT1_GPA | PTE_LARGE;
	/* PSE-36: address bits 39:32 in bits 20:13 of a 4M entry. */
	pd32[0x40000000 >> 22] = (SLOT2_GPA >> 32) << 13 | PTE_LARGE;
	for (i = 0; i < 1024; i++)
		pt32[i] = i << 12 | PTE_TABLE;
	emit_probe(gpa(mem, CODE_GPA + code_offset(16)), 16);
	emit_probe(gpa(mem, CODE_GPA + code_offset(32)), 32);
	emit_probe(gpa(mem, CODE_GPA + code_offset(64)), 64);
	for (i = 0; i < NR_PROBES; i++) {
		m = marker(i);
		memcpy(gpa(mem, probes[i].gpa), &m, 4);
	}
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Every value the guest can read at a probe address's page offset, in
 * any page of any slot: sorted, without repeats.  Returns the count.
 */
static int own_values(uint8_t *const mem[NR_SLOTS], uint32_t **out)
{
	static const size_t sizes[NR_SLOTS] = {
		SLOT0_SIZE, SMALL_SIZE, SMALL_SIZE,
	};
	size_t n = 0, i, off, pages = 0;
	uint32_t *v;
	int s;

	for (s = 0; s < NR_SLOTS; s++)
		pages += sizes[s] / 4096;
	v = malloc(pages * (4096 - PROBE_OFF) / 8 * sizeof(*v) + 4);
	if (!v)
		return 0;
	v[n++] = FILL32;		/* what mmio_fill() answers */
	for (s = 0; s < NR_SLOTS; s++)
		for (off = 0; off < sizes[s]; off += 4096)
			for (i = PROBE_OFF; i < 4096; i += 8)
				memcpy(&v[n++], mem[s] + off + i, 4);
	qsort(v, n, sizeof(*v), cmp_u32);
	for (i = 1, off = 1; i < n; i++)
		if (v[i] != v[off - 1])
			v[off++] = v[i];
	*out = v;
	return off;
}

static int vm_create_slots(struct vm *vm, uint8_t *const mem[NR_SLOTS])
{
	static const uint64_t gpas[NR_SLOTS] = { 0, SLOT1_GPA, SLOT2_GPA };
	static const size_t sizes[NR_SLOTS] = {
		SLOT0_SIZE, SMALL_SIZE, SMALL_SIZE,
	};
	struct kvm_userspace_memory_region mr = { 0 };
	int i, ret = vm_open(vm);

	if (ret)
		return ret;
	for (i = 0; i < NR_SLOTS; i++) {
		mr.slot = i;
		mr.guest_phys_addr = gpas[i];
		mr.memory_size = sizes[i];
		mr.userspace_addr = (uintptr_t)mem[i];
		if (ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &mr))
			return -errno;
	}
	if (vm_create_vcpu0(vm))
		return -errno;
	return vm_set_cpuid(vm);
}

static void flat_seg(struct kvm_segment *s, uint16_t sel, uint8_t type)
{
	memset(s, 0, sizeof(*s));
	s->selector = sel;
	s->limit = 0xffffffff;
	s->type = type;
	s->present = 1;
	s->s = 1;
	s->db = 1;
	s->g = 1;
}

static void setup_segs(struct kvm_sregs *sr, int setup)
{
	bool real = setup == SETUP_REAL, code64 = setup == SETUP_LONG;

	flat_seg(&sr->cs, real ? 0 : code64 ? 0x18 : 0x08, 0xb);
	sr->cs.l = code64;
	sr->cs.db = !real && !code64;
	if (real) {
		sr->cs.limit = 0xffff;
		sr->cs.g = 0;
	}
	/* Real mode too: 4G data segments, as after a trip to unreal mode. */
	flat_seg(&sr->ds, real ? 0 : 0x10, 3);
	sr->es = sr->ds;
	sr->fs = sr->ds;
	sr->gs = sr->ds;
	sr->ss = sr->ds;
}

static void setup_crs(struct kvm_sregs *sr, int setup)
{
	sr->cr0 = modes[setup].cr0;
	sr->cr3 = modes[setup].cr3;
	sr->cr4 = modes[setup].cr4;
	sr->efer = modes[setup].efer;
}

/* Bit numbers the perturbations pick from (or, one time in 4, any). */
static const uint8_t efer_bits[] = { 0, 8, 10, 11, 12, 13, 14, 15 };
static const uint8_t cr0_bits[] = {
	X86_CR0_PE_BIT, X86_CR0_MP_BIT, X86_CR0_EM_BIT, X86_CR0_TS_BIT,
	X86_CR0_ET_BIT, X86_CR0_NE_BIT, X86_CR0_WP_BIT, X86_CR0_AM_BIT,
	X86_CR0_NW_BIT, X86_CR0_CD_BIT, X86_CR0_PG_BIT,
};
static const uint8_t cr4_bits[] = {
	X86_CR4_VME_BIT, X86_CR4_PVI_BIT, X86_CR4_TSD_BIT, X86_CR4_DE_BIT,
	X86_CR4_PSE_BIT, X86_CR4_PAE_BIT, X86_CR4_MCE_BIT, X86_CR4_PGE_BIT,
	X86_CR4_PCE_BIT, X86_CR4_OSFXSR_BIT, X86_CR4_OSXMMEXCPT_BIT,
	X86_CR4_UMIP_BIT, X86_CR4_LA57_BIT, X86_CR4_VMXE_BIT,
	X86_CR4_SMXE_BIT, X86_CR4_FSGSBASE_BIT, X86_CR4_PCIDE_BIT,
	X86_CR4_OSXSAVE_BIT, X86_CR4_SMEP_BIT, X86_CR4_SMAP_BIT,
	X86_CR4_PKE_BIT, X86_CR4_CET_BIT,
};

static uint64_t pick_bit(unsigned int *s, const uint8_t *bits, int n)
{
	return 1ULL << (rnd(s) % 4 ? bits[rnd(s) % n] : rnd(s) % 64);
}

static void perturb_cr3(unsigned int *s, struct kvm_sregs *sr)
{
	static const uint64_t roots[] = {
		PML4_GPA, PDPT_GPA, PD_GPA, PAE_PDPT_GPA, PD32_GPA, PT32_GPA,
	};

	switch (rnd(s) % 5) {
	case 0:
		sr->cr3 ^= rnd(s) & 0xfff;
		break;
	case 1:
		sr->cr3 ^= 1ULL << (12 + rnd(s) % 52);
		break;
	case 2:		/* any page of slot 0 */
		sr->cr3 = (uint64_t)(rnd(s) % (SLOT0_SIZE / 4096)) << 12;
		break;
	case 3:		/* a table of another format */
		sr->cr3 = roots[rnd(s) % ARRAY_SIZE(roots)] |
			  (rnd(s) % 2 ? rnd(s) & 0xfe0 : 0);
		break;
	default:
		sr->cr3 = boundary(s);
		break;
	}
}

static struct kvm_segment *pick_seg(unsigned int *s, struct kvm_sregs *sr)
{
	struct kvm_segment *segs[] = {
		&sr->cs, &sr->cs, &sr->cs, &sr->ss, &sr->ds, &sr->es,
		&sr->fs, &sr->gs, &sr->tr, &sr->ldt,
	};

	return segs[rnd(s) % ARRAY_SIZE(segs)];
}

static void perturb_seg(unsigned int *s, struct kvm_segment *g)
{
	switch (rnd(s) % 10) {
	case 0:
		g->type = rnd(s) % 16;
		break;
	case 1:
		g->s ^= 1;
		break;
	case 2:
		g->dpl = rnd(s) % 4;
		break;
	case 3:
		g->present ^= 1;
		break;
	case 4:
		g->db ^= 1;
		break;
	case 5:
		g->l ^= 1;
		break;
	case 6:
		g->g ^= 1;
		break;
	case 7:
		g->avl ^= 1;
		break;
	case 8:
		g->unusable ^= 1;
		break;
	default:
		g->selector = rnd(s);
		break;
	}
}

struct msr_list {
	uint32_t n;
	uint32_t index[256];
};

/* svmhv's list; kvm_amd's is long and not what this test is about. */
static const uint32_t svmhv_msrs[] = {
	0xc0000080, 0xc0000081, 0xc0000082, 0xc0000083, 0xc0000084,
	0xc0000100, 0xc0000101, 0xc0000102, 0x174, 0x175, 0x176, 0x10,
	0x1b, 0x277, 0xfe, 0x2ff,
};

static void get_msr_list(struct vm *vm, struct msr_list *l)
{
	struct {
		struct kvm_msr_list h;
		uint32_t index[256];
	} ml = { .h.nmsrs = 256 };

	if (vm->is_svmhv && !ioctl(vm->sys_fd, KVM_GET_MSR_INDEX_LIST, &ml) &&
	    ml.h.nmsrs) {
		l->n = ml.h.nmsrs;
		memcpy(l->index, ml.index, l->n * 4);
		return;
	}
	l->n = ARRAY_SIZE(svmhv_msrs);
	memcpy(l->index, svmhv_msrs, sizeof(svmhv_msrs));
}

struct msrs {
	struct kvm_msrs h;
	struct kvm_msr_entry e[4];
};

static uint64_t msr_value(unsigned int *s, uint32_t index, uint64_t cur)
{
	uint64_t v = 0;
	unsigned int i;

	switch (rnd(s) % 5) {
	case 0:
		if (index == 0xc0000080)
			return cur ^ pick_bit(s, efer_bits,
					      ARRAY_SIZE(efer_bits));
		return cur ^ 1ULL << rnd(s) % 64;
	case 1:
		return boundary(s);
	case 2:		/* EFER's bits in any combination */
		for (i = 0; i < ARRAY_SIZE(efer_bits); i++)
			if (rnd(s) % 2)
				v |= 1ULL << efer_bits[i];
		return index == 0xc0000080 ? v : rnd64(s);
	case 3:
		return rnd64(s);
	default:
		return cur;		/* written back, as a VMM does */
	}
}

/* One to four MSRs of the list to random values; what KVM_SET_MSRS did. */
static int perturb_msrs(unsigned int *s, struct vm *vm,
			const struct msr_list *l, char *log, size_t len)
{
	struct msrs m = { .h.nmsrs = 1 + rnd(s) % 4 };
	struct msrs cur = { .h.nmsrs = 1 };
	unsigned int i;
	int ret;

	for (i = 0; i < m.h.nmsrs; i++) {
		m.e[i].index = l->index[rnd(s) % l->n];
		cur.e[0].index = m.e[i].index;
		cur.e[0].data = 0;
		ioctl(vm->vcpu_fd, KVM_GET_MSRS, &cur);
		m.e[i].data = msr_value(s, m.e[i].index, cur.e[0].data);
	}
	ret = ioctl(vm->vcpu_fd, KVM_SET_MSRS, &m);
	for (i = 0; i < m.h.nmsrs; i++)
		snprintf(log + strlen(log), len - strlen(log), " msr %#x=%#llx",
			 m.e[i].index, (unsigned long long)m.e[i].data);
	snprintf(log + strlen(log), len - strlen(log), ": %d;", ret);
	return ret;
}

/* One perturbation: sregs from what the vCPU has now, or MSRs. */
static void perturb(unsigned int *s, struct vm *vm, const struct msr_list *l,
		    char *log, size_t len)
{
	struct kvm_sregs sr;
	const char *what;
	int ret;

	ioctl(vm->vcpu_fd, KVM_GET_SREGS, &sr);
	switch (rnd(s) % 9) {
	case 0:
		sr.efer ^= pick_bit(s, efer_bits, ARRAY_SIZE(efer_bits));
		what = "efer";
		break;
	case 1:
		sr.cr0 ^= pick_bit(s, cr0_bits, ARRAY_SIZE(cr0_bits));
		what = "cr0";
		break;
	case 2:
		perturb_cr3(s, &sr);
		what = "cr3";
		break;
	case 3:
		sr.cr4 ^= pick_bit(s, cr4_bits, ARRAY_SIZE(cr4_bits));
		what = "cr4";
		break;
	case 4:
	case 5:
		perturb_seg(s, pick_seg(s, &sr));
		what = "seg";
		break;
	case 6:
		perturb_msrs(s, vm, l, log, len);
		return;
	case 7:
		setup_crs(&sr, rnd(s) % NR_SETUPS);
		what = "crs";
		break;
	default:
		setup_segs(&sr, rnd(s) % NR_SETUPS);
		what = "segs";
		break;
	}
	ret = ioctl(vm->vcpu_fd, KVM_SET_SREGS, &sr);
	snprintf(log + strlen(log), len - strlen(log),
		 " %s: cr0 %#llx cr3 %#llx cr4 %#llx efer %#llx cs %#x/%d%d%d%d: %d;",
		 what, (unsigned long long)sr.cr0, (unsigned long long)sr.cr3,
		 (unsigned long long)sr.cr4, (unsigned long long)sr.efer,
		 sr.cs.type, sr.cs.present, sr.cs.l, sr.cs.db, sr.cs.unusable,
		 ret ? -errno : 0);
}

/* The code size of the state: 64 in long mode with CS.L, else CS.D. */
static int code_bits(const struct kvm_sregs *sr)
{
	if ((sr->efer & EFER_LMA) && sr->cs.l)
		return 64;
	return sr->cs.db ? 32 : 16;
}

struct result {
	int exit;			/* KVM_EXIT_*, or -errno of KVM_RUN */
	int nr;
	uint32_t val[MAX_VALUES];
	uint8_t size[MAX_VALUES];
	bool done;
};

/* Loads outside the slots (and INs) read 0xf4 bytes. */
static void mmio_fill(struct kvm_run *run)
{
	uint8_t *data = (uint8_t *)run + run->io.data_offset;

	if (run->exit_reason == KVM_EXIT_MMIO && !run->mmio.is_write)
		memset(run->mmio.data, FILL_BYTE, sizeof(run->mmio.data));
	if (run->exit_reason == KVM_EXIT_IO &&
	    run->io.direction == KVM_EXIT_IO_IN &&
	    run->io.size * run->io.count <= 4096)
		memset(data, FILL_BYTE, run->io.size * run->io.count);
}

/* Run until the guest stops or MAX_EXITS, each KVM_RUN at most 300 ms. */
static void run_probe(struct vm *vm, timer_t t, struct result *res)
{
	const struct itimerspec once = { .it_value.tv_nsec = 300000000 };
	const struct itimerspec off = { 0 };
	struct kvm_run *run = vm->run;
	uint8_t *data;
	int i, j, ret;

	memset(res, 0, sizeof(*res));
	for (i = 0; i < MAX_EXITS; i++) {
		timer_settime(t, 0, &once, NULL);
		ret = ioctl(vm->vcpu_fd, KVM_RUN, 0);
		timer_settime(t, 0, &off, NULL);
		if (ret) {
			res->exit = -errno;
			return;
		}
		res->exit = run->exit_reason;
		mmio_fill(run);
		if (run->exit_reason == KVM_EXIT_MMIO)
			continue;
		if (run->exit_reason != KVM_EXIT_IO)
			return;
		data = (uint8_t *)run + run->io.data_offset;
		if (run->io.direction == KVM_EXIT_IO_IN)
			continue;
		if (run->io.port == PORT_DONE)
			res->done = true;
		if (run->io.port != PORT_VALUE || run->io.size > 4)
			continue;
		for (j = 0; j < run->io.count && res->nr < MAX_VALUES; j++) {
			res->val[res->nr] = 0;
			memcpy(&res->val[res->nr], data + j * run->io.size,
			       run->io.size);
			res->size[res->nr++] = run->io.size;
		}
	}
}

/* Is @v (of @size bytes) what the guest can read at a probe address? */
static bool own_value(const uint32_t *own, int n, uint32_t v, int size)
{
	uint32_t mask = size == 4 ? ~0U : (1U << size * 8) - 1;
	int i;

	if (size == 4)
		return bsearch(&v, own, n, sizeof(*own), cmp_u32);
	for (i = 0; i < n; i++)
		if ((own[i] & mask) == v)
			return true;
	return false;
}

static long run_count = 2000;
static unsigned int fuzz_seed;

struct state_stats {
	long runs, values, done, odd, lme_pae, sets_refused;
	long exits[64];		/* [0..62]: KVM_EXIT_*, [63]: KVM_RUN failed */
	long by_setup[NR_SETUPS][2];	/* runs, runs that read something */
};

static void print_stats(const struct state_stats *st)
{
	int i;

	printf("# %ld runs, %ld values checked, %ld probes finished, %ld values of another size, %ld given CR4.PAE\n",
	       st->runs, st->values, st->done, st->odd, st->lme_pae);
	for (i = 0; i < NR_SETUPS; i++)
		printf("# from %s: %ld runs, %ld read something\n",
		       setup_names[i], st->by_setup[i][0], st->by_setup[i][1]);
	for (i = 0; i < 64; i++)
		if (st->exits[i])
			printf("# %s %d: %ld\n", i < 63 ? "exit" : "KVM_RUN failed",
			       i, st->exits[i]);
	printf("# svmhv-metric: fuzz-state-runs %ld\n", st->runs);
	printf("# svmhv-metric: fuzz-state-values %ld\n", st->values);
}

FIXTURE(fuzz) {
};

FIXTURE_SETUP(fuzz)
{
	ASSERT_EQ(0, vm_device_up());
	ASSERT_EQ(0, catch_sigusr1());
}

FIXTURE_TEARDOWN(fuzz)
{
}

TEST_F_TIMEOUT(fuzz, random_states_keep_the_guest_in_its_memory, 400)
{
	static const size_t sizes[NR_SLOTS] = {
		SLOT0_SIZE, SMALL_SIZE, SMALL_SIZE,
	};
	struct state_stats st = { 0 };
	double deadline = now() + STATE_SECONDS;
	uint8_t *mem[NR_SLOTS];
	struct msr_list msrs;
	struct result res;
	uint32_t *own;
	struct vm vm;
	int i, n_own, ret;
	char log[2048];
	timer_t t;
	long run;

	for (i = 0; i < NR_SLOTS; i++) {
		mem[i] = mmap(NULL, sizes[i], PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		ASSERT_NE(MAP_FAILED, mem[i]);
	}
	build_memory(mem);
	n_own = own_values(mem, &own);
	ASSERT_LT(0, n_own);
	ASSERT_EQ(0, thread_timer(&t, 0));
	TH_LOG("seed %u, %ld runs (rerun: fuzz_state_test %ld %u), %d values of its own",
	       fuzz_seed, run_count, run_count, fuzz_seed, n_own);

	for (run = 0; run < run_count && now() < deadline; run++) {
		unsigned int s = fuzz_seed + run * 2654435761U;
		int setup = rnd(&s) % NR_SETUPS, steps = rnd(&s) % 6;
		struct kvm_sregs sr;
		struct kvm_regs regs;

		build_memory(mem);
		ret = vm_create_slots(&vm, mem);
		ASSERT_EQ(0, ret) TH_LOG("VM: %s", strerror(-ret));
		if (!run)
			get_msr_list(&vm, &msrs);
		ASSERT_EQ(0, ioctl(vm.vcpu_fd, KVM_GET_SREGS, &sr));
		setup_segs(&sr, setup);
		setup_crs(&sr, setup);
		sr.gdt.base = GDT_GPA;
		sr.gdt.limit = 31;
		/* Every exception is a triple fault: no handler runs. */
		sr.idt.base = 0;
		sr.idt.limit = 0;
		ASSERT_EQ(0, ioctl(vm.vcpu_fd, KVM_SET_SREGS, &sr))
			TH_LOG("run %ld: %s refused", run, setup_names[setup]);
		snprintf(log, sizeof(log), "%s:", setup_names[setup]);
		for (i = 0; i < steps; i++)
			perturb(&s, &vm, &msrs, log, sizeof(log));

		ASSERT_EQ(0, ioctl(vm.vcpu_fd, KVM_GET_SREGS, &sr));
		if ((sr.efer & EFER_LME) && !(sr.cr0 & X86_CR0_PG) &&
		    !(sr.cr4 & X86_CR4_PAE)) {
			sr.cr4 |= X86_CR4_PAE;
			st.lme_pae++;
			if (ioctl(vm.vcpu_fd, KVM_SET_SREGS, &sr)) {
				vm_destroy(&vm);
				continue;
			}
		}
		memset(&regs, FILL_BYTE, sizeof(regs));
		regs.rsp = STACK_GPA;
		regs.rip = CODE_GPA + code_offset(code_bits(&sr));
		regs.rflags = 2;
		ASSERT_EQ(0, ioctl(vm.vcpu_fd, KVM_SET_REGS, &regs));

		run_probe(&vm, t, &res);
		st.runs++;
		st.by_setup[setup][0]++;
		st.by_setup[setup][1] += res.nr > 0;
		st.exits[res.exit < 0 ? 63 : res.exit & 63]++;
		st.done += res.done;
		for (i = 0; i < res.nr; i++) {
			st.values++;
			st.odd += res.size[i] != 4;
			ASSERT_TRUE(own_value(own, n_own, res.val[i],
					      res.size[i]))
				TH_LOG("run %ld (seed %u): value %d is %#x (%d bytes), not the guest's; exit %d; code %d-bit; cr0 %#llx cr3 %#llx cr4 %#llx efer %#llx;%s",
				       run, fuzz_seed, i, res.val[i],
				       res.size[i], res.exit, code_bits(&sr),
				       (unsigned long long)sr.cr0,
				       (unsigned long long)sr.cr3,
				       (unsigned long long)sr.cr4,
				       (unsigned long long)sr.efer, log);
		}
		/* Unperturbed, the probe reads every marker and stops. */
		if (!steps) {
			EXPECT_TRUE(res.done && res.exit == KVM_EXIT_HLT)
				TH_LOG("run %ld: %s: exit %d, %d values",
				       run, setup_names[setup], res.exit,
				       res.nr);
			ASSERT_EQ(NR_PROBES, res.nr)
				TH_LOG("run %ld: %s", run, setup_names[setup]);
			for (i = 0; i < NR_PROBES; i++)
				EXPECT_EQ(i == 4 && setup < SETUP_PAGED32 ?
					  FILL32 : marker(i), res.val[i])
					TH_LOG("%s: probe %d", setup_names[setup],
					       i);
		}
		vm_destroy(&vm);
	}
	printf("# %.1f s\n", now() - deadline + STATE_SECONDS);
	print_stats(&st);
	EXPECT_LT(0, st.values);
	timer_delete(t);
	free(own);
	for (i = 0; i < NR_SLOTS; i++)
		munmap(mem[i], sizes[i]);
}

/* The churn test: a 64K slot at the reset vector's page. */
#define RESET_GPA	0xffff0000ULL
#define RESET_SIZE	(64UL << 10)
#define NR_CHURNERS	2
#define RACE_FDS	12
#define RACE_OPS	20000

/*
 * At F000:FFF0, where every new vCPU starts: a character to the UART
 * (svmhv's in-kernel one; kvm_amd exits for it), an OUT that exits, and
 * again.
 */
static const uint8_t reset_loop[] = {
	0xba, 0xf8, 0x03,	/* 1: mov $0x3f8, %dx */
	0xee,			/*    out %al, (%dx) */
	0xe6, PORT_VALUE,	/*    out %al, $PORT_VALUE */
	0xeb, 0xf8,		/*    jmp 1b */
};

enum {
	RC_CREATED, RC_EMFILE, RC_VMS, RC_RUNS, RC_STATS, RC_IRQS, RC_UART,
	RC_CLOSED, NR_RC
};

static const char *const rc_names[NR_RC] = {
	"vCPUs created", "EMFILE", "VMs", "KVM_RUNs", "stats", "IRQ lines",
	"UART calls", "closed",
};

struct race {
	int sys_fd;
	int vm_fd, uart_fd, vcpu0_fd;	/* the newest VM's */
	int fds[RACE_FDS];		/* vCPUs of any VM, or -1 */
	void *maps[RACE_FDS];		/* their run pages, or NULL */
	size_t run_size;
	uint8_t *mem;
	struct rlimit nofile;
	double deadline;
	bool stop;
	long count[NR_RC];
	long errnos[MAX_ERRNO + 1];	/* [MAX_ERRNO]: anything larger */
};

struct race_thread {
	struct race *r;
	unsigned int seed;
	int kind;
	pthread_t t;
};

static struct race race;

/* Count a failed call's errno. */
static void note(struct race *r, long ret)
{
	if (ret >= 0)
		return;
	__atomic_add_fetch(&r->errnos[errno > 0 && errno < MAX_ERRNO ?
				      errno : MAX_ERRNO], 1, __ATOMIC_RELAXED);
}

static void count(struct race *r, int what)
{
	__atomic_add_fetch(&r->count[what], 1, __ATOMIC_RELAXED);
}

static int load(int *fd)
{
	return __atomic_load_n(fd, __ATOMIC_RELAXED);
}

static void replace(int *slot, int fd)
{
	int old = __atomic_exchange_n(slot, fd, __ATOMIC_RELAXED);

	if (old >= 0)
		close(old);
}

/* Put a vCPU fd and a mapping in table slot @i; drop what was there. */
static void race_put(struct race *r, unsigned int *s, int fd, void *map)
{
	int i = rnd(s) % RACE_FDS, old;
	void *old_map;

	bool unmap_first = rnd(s) % 2;

	old = __atomic_exchange_n(&r->fds[i], fd, __ATOMIC_RELAXED);
	old_map = __atomic_exchange_n(&r->maps[i], map, __ATOMIC_RELAXED);
	/* The mapping keeps the vCPU's file: either may go first. */
	if (unmap_first && old_map)
		munmap(old_map, r->run_size);
	if (old >= 0) {
		close(old);
		count(r, RC_CLOSED);
	}
	if (!unmap_first && old_map)
		munmap(old_map, r->run_size);
}

static void race_create_vcpu(struct race *r, unsigned int *s)
{
	int fd = ioctl(load(&r->vm_fd), KVM_CREATE_VCPU, rnd(s) % 16);
	void *map = NULL;

	note(r, fd);
	if (fd < 0) {
		if (errno == EMFILE)
			count(r, RC_EMFILE);
		return;
	}
	count(r, RC_CREATED);
	if (rnd(s) % 4) {
		map = mmap(NULL, r->run_size, PROT_READ | PROT_WRITE,
			   MAP_SHARED, fd, 0);
		if (map == MAP_FAILED)
			map = NULL;
	}
	if (rnd(s) % 4 == 0) {
		note(r, ioctl(fd, KVM_RUN, 0));
		count(r, RC_RUNS);
	}
	race_put(r, s, fd, map);
}

/* A new VM for the readers, built whole before the old one is let go. */
static void race_new_vm(struct race *r)
{
	struct kvm_userspace_memory_region mr = {
		.guest_phys_addr = RESET_GPA, .memory_size = RESET_SIZE,
		.userspace_addr = (uintptr_t)r->mem,
	};
	int vm, uart = -1, vcpu;

	vm = ioctl(r->sys_fd, KVM_CREATE_VM, 0);
	note(r, vm);
	if (vm < 0)
		return;
	count(r, RC_VMS);
	if (vm_device_is_svmhv() && vm_mmu())
		note(r, ioctl(vm, SVMHV_SET_MMU, vm_mmu()));
	note(r, ioctl(vm, KVM_SET_USER_MEMORY_REGION, &mr));
	note(r, ioctl(vm, KVM_CREATE_IRQCHIP, 0));
	if (vm_device_is_svmhv()) {
		uart = ioctl(vm, SVMHV_CREATE_UART, 0);
		note(r, uart);
		if (uart >= 0)
			fcntl(uart, F_SETFL, O_NONBLOCK);
	}
	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	note(r, vcpu);
	replace(&r->uart_fd, uart);
	replace(&r->vcpu0_fd, vcpu);
	replace(&r->vm_fd, vm);
}

/* KVM_CREATE_VCPU with no descriptor left: EMFILE after the vCPU. */
static void race_emfile(struct race *r, unsigned int *s)
{
	struct rlimit none = r->nofile;
	int fd = dup(r->sys_fd), i;

	if (fd < 0)
		return;
	close(fd);
	none.rlim_cur = fd;
	if (setrlimit(RLIMIT_NOFILE, &none))
		return;
	for (i = 0; i < 4; i++)
		race_create_vcpu(r, s);
	setrlimit(RLIMIT_NOFILE, &r->nofile);
}

static void race_drop(struct race *r, unsigned int *s)
{
	int i = rnd(s) % RACE_FDS, fd;
	void *map;

	if (rnd(s) % 3) {
		fd = __atomic_exchange_n(&r->fds[i], -1, __ATOMIC_RELAXED);
		if (fd >= 0) {
			close(fd);
			count(r, RC_CLOSED);
		}
	} else {
		map = __atomic_exchange_n(&r->maps[i], NULL, __ATOMIC_RELAXED);
		if (map)
			munmap(map, r->run_size);
	}
}

static void churn(struct race *r, unsigned int *s)
{
	int fd;

	switch (rnd(s) % 16) {
	case 0 ... 6:
		race_create_vcpu(r, s);
		break;
	case 7 ... 10:
		race_drop(r, s);
		break;
	case 11:
		race_emfile(r, s);
		break;
	case 12:
	case 13:
		fd = load(&r->fds[rnd(s) % RACE_FDS]);
		if (fd >= 0) {
			note(r, ioctl(fd, KVM_RUN, 0));
			count(r, RC_RUNS);
		}
		break;
	default:
		race_new_vm(r);
		break;
	}
}

/* A new GSI routing table of up to two PIC inputs, racing KVM_IRQ_LINE. */
static int set_routing(int vm_fd, unsigned int *s)
{
	struct {
		struct kvm_irq_routing r;
		struct kvm_irq_routing_entry e[2];
	} t = { .r.nr = rnd(s) % 3 };
	unsigned int i;

	for (i = 0; i < t.r.nr; i++) {
		t.e[i].gsi = rnd(s) % 16;
		t.e[i].type = KVM_IRQ_ROUTING_IRQCHIP;
		t.e[i].u.irqchip.irqchip = i;	/* master, then slave */
		t.e[i].u.irqchip.pin = rnd(s) % 8;
	}
	return ioctl(vm_fd, KVM_SET_GSI_ROUTING, &t);
}

/* One call of a reader of the vCPU table, on the newest VM. */
static void read_table(struct race *r, unsigned int *s, int kind)
{
	struct kvm_irq_level irq = { .irq = rnd(s) % 16, .level = rnd(s) % 2 };
	struct svmhv_vm_stats st;
	struct pollfd p;
	char buf[64];
	int fd;

	switch (kind) {
	case 0:
		note(r, ioctl(load(&r->vm_fd), SVMHV_GET_VM_STATS, &st));
		count(r, RC_STATS);
		break;
	case 1:
		if (rnd(s) % 4 == 0)
			note(r, set_routing(load(&r->vm_fd), s));
		else
			note(r, ioctl(load(&r->vm_fd), KVM_IRQ_LINE, &irq));
		count(r, RC_IRQS);
		break;
	case 2:
		fd = load(&r->uart_fd);
		p.fd = fd;
		p.events = POLLIN | POLLOUT;
		if (rnd(s) % 3 == 0)
			note(r, poll(&p, 1, 0));
		else if (rnd(s) % 2)
			note(r, read(fd, buf, 1 + rnd(s) % sizeof(buf)));
		else
			note(r, write(fd, "svmhv", 1 + rnd(s) % 5));
		count(r, RC_UART);
		break;
	default:
		note(r, ioctl(load(&r->vcpu0_fd), KVM_RUN, 0));
		count(r, RC_RUNS);
		break;
	}
}

static void *race_thread(void *arg)
{
	struct race_thread *t = arg;
	struct race *r = t->r;
	unsigned int s = t->seed;
	timer_t tick;
	long i;

	/* Every 10 ms a signal, so that no call blocks for good. */
	if (thread_timer(&tick, 10000000))
		return NULL;
	if (t->kind < 0) {
		for (i = 0; i < RACE_OPS && now() < r->deadline; i++)
			churn(r, &s);
	} else {
		while (!__atomic_load_n(&r->stop, __ATOMIC_RELAXED))
			read_table(r, &s, t->kind);
	}
	timer_delete(tick);
	return NULL;
}

/* What a KVM-API call may fail with here; fuzz_test.c has the reasons. */
static const int allowed_errnos[] = {
	EINVAL, EFAULT, ENOTTY, EBADF, E2BIG, EEXIST, EBUSY, ENOENT, ENODEV,
	EINTR, ENOMEM, EOPNOTSUPP, EAGAIN, EMFILE, ENFILE, ENXIO,
};

static void check_errnos(struct __test_metadata *_metadata, struct race *r)
{
	unsigned int i, j;
	bool known;

	for (i = 1; i <= MAX_ERRNO; i++) {
		if (!r->errnos[i])
			continue;
		printf("# errno %u (%s): %ld\n", i,
		       i < MAX_ERRNO ? strerror(i) : "out of range",
		       r->errnos[i]);
		for (j = 0, known = false; j < ARRAY_SIZE(allowed_errnos); j++)
			known |= allowed_errnos[j] == (int)i;
		EXPECT_TRUE(known) TH_LOG("errno %u is not a KVM API errno", i);
	}
}

TEST_F_TIMEOUT(fuzz, vcpu_churn_races_the_readers, 300)
{
	struct race_thread th[NR_CHURNERS + 4];
	struct race *r = &race;
	char buf[64];
	double start = now();
	int i;

	/*
	 * On kvm_amd the emulated CPU now and then stays in a guest running
	 * reset_loop with the host's timer interrupt pending, and the test
	 * machine stops (docs/testing.md); svmhv passes the same seeds.
	 */
	if (!vm_device_is_svmhv())
		SKIP(return, "kvm_amd: the emulated CPU stops in its guest (docs/testing.md)");
	memset(r, 0, sizeof(*r));
	r->vm_fd = r->uart_fd = r->vcpu0_fd = -1;
	for (i = 0; i < RACE_FDS; i++)
		r->fds[i] = -1;
	r->sys_fd = open(vm_device(), O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, r->sys_fd);
	r->run_size = ioctl(r->sys_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	ASSERT_LT(0, (long)r->run_size);
	r->mem = mmap(NULL, RESET_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, r->mem);
	memset(r->mem, FILL_BYTE, RESET_SIZE);
	memcpy(r->mem + 0xfff0, reset_loop, sizeof(reset_loop));
	ASSERT_EQ(0, getrlimit(RLIMIT_NOFILE, &r->nofile));
	r->deadline = start + RACE_SECONDS;
	TH_LOG("seed %u, %d operations in each of %d threads", fuzz_seed,
	       RACE_OPS, NR_CHURNERS);
	race_new_vm(r);
	ASSERT_LE(0, r->vm_fd);

	for (i = 0; i < ARRAY_SIZE(th); i++) {
		th[i].r = r;
		th[i].seed = fuzz_seed + i * 7919;
		th[i].kind = i < NR_CHURNERS ? -1 : i - NR_CHURNERS;
		ASSERT_EQ(0, pthread_create(&th[i].t, NULL, race_thread,
					    &th[i]));
	}
	for (i = 0; i < NR_CHURNERS; i++)
		pthread_join(th[i].t, NULL);
	__atomic_store_n(&r->stop, true, __ATOMIC_RELAXED);
	for (i = NR_CHURNERS; i < ARRAY_SIZE(th); i++)
		pthread_join(th[i].t, NULL);

	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &r->nofile));
	for (i = 0; i < RACE_FDS; i++) {
		if (r->fds[i] >= 0)
			close(r->fds[i]);
		if (r->maps[i])
			munmap(r->maps[i], r->run_size);
	}
	replace(&r->uart_fd, -1);
	replace(&r->vcpu0_fd, -1);
	replace(&r->vm_fd, -1);
	close(r->sys_fd);
	munmap(r->mem, RESET_SIZE);

	printf("# %.1f s\n", now() - start);
	for (i = 0; i < NR_RC; i++)
		printf("# %s: %ld\n", rc_names[i], r->count[i]);
	printf("# svmhv-metric: fuzz-race-vcpus %ld\n", r->count[RC_CREATED]);
	check_errnos(_metadata, r);
	EXPECT_LT(0, r->count[RC_CREATED]);
	EXPECT_LT(0, r->count[RC_EMFILE]);
	if (vm_device_is_svmhv()) {
		/* Every VM is gone: nothing pinned, nothing holds the module. */
		EXPECT_LT(0, read_file(PINNED_PAGES, buf, sizeof(buf)));
		EXPECT_EQ(0, strtol(buf, NULL, 0));
		EXPECT_EQ(0, svmhv_unload());
	}
}

int main(int argc, char **argv)
{
	if (argc > 1)
		run_count = strtol(argv[1], NULL, 0);
	fuzz_seed = argc > 2 ? strtoul(argv[2], NULL, 0) :
			       (unsigned int)time(NULL);
	return test_harness_run(1, argv);
}
