// SPDX-License-Identifier: GPL-2.0
/*
 * Adversarial guests: every intercepted instruction with garbage
 * operands, from kernel and from user mode (SVM instructions, VMMCALL,
 * CPUID, RDMSR/WRMSR over every MSR range the permission map covers and
 * beyond, IN/OUT of every width and string form), invalid state through
 * KVM_SET_SREGS/KVM_SET_REGS, a guest spinning with interrupts off, triple
 * faults and a guest that runs off the end of its memory.  Each case
 * checks the exact outcome: the exception the guest takes (vector, error
 * code, RIP, CR2), the exit reason, or the errno.  The suite runs under
 * both MMUs (adversary_test@shadow) and on kvm_amd as the oracle; the few
 * places where svmhv and kvm_amd differ are marked.
 *
 * Each test prints "# svmhv-metric: adversarial-cases N", the number of
 * outcomes it checked, for make check's summary.
 *
 * Guest memory map (4 MiB at GPA 0, identity-mapped with 2M user pages
 * over the first 1 GiB):
 *   0x1000 GDT  0x2000 PML4  0x3000 PDPT  0x4000 PD  0x7000 TSS
 *   0xa000 IDT  0xb000 one 16-byte stub per vector  0xc000 handler
 *   0xc800 fixup cells  0x10000 the probe  0x70000 user stack
 *   0x80000 kernel stack  0x200000 MSR sweep records
 */
#include <cpuid.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "svmhv_util.h"
#include "vm_util.h"
#include "../uapi/svmhv.h"
#include "adversary_code.h"

#define MEM_SIZE	(4UL << 20)
#define GDT_GPA		0x1000
#define TSS_GPA		0x7000
#define IDT_GPA		0xa000
#define STUB_GPA	0xb000
#define HANDLER_GPA	0xc000
#define FIXUP_GPA	0xc800
#define CODE_GPA	0x10000
#define USER_STACK	0x70000
#define KERNEL_STACK	0x80000
#define RECORDS_GPA	0x200000
#define UNMAPPED	0x40000000UL	/* above the 1 GiB identity map */
#define NO_SLOT		0x30000000UL	/* mapped, but no memory there */

#define EXC_PORT	0xe0
#define DONE_PORT	0xe1

#define UD	6
#define GP	13
#define PF	14

#define KVM_ENOSYS	1000
#define KVM_EPERM	1


/* How a probe ended. */
enum end { DONE, EXCEPTION, EXIT };

struct outcome {
	enum end end;
	int vector;
	uint64_t error, rip, cr2;	/* EXCEPTION */
	uint32_t reason;		/* EXIT: the KVM exit reason */
	struct kvm_regs regs;		/* DONE */
};

struct adv {
	struct vm vm;
	int cases;
	bool user;		/* the state loaded is CPL 3 */
	bool iopl0;		/* user probes without IOPL 3 */
};

static void adv_count(struct adv *a)
{
	a->cases++;
}

static void report_cases(struct adv *a)
{
	printf("# svmhv-metric: adversarial-cases %d\n", a->cases);
	fflush(stdout);
}

static void seg(struct kvm_segment *s, uint16_t sel, bool code, int dpl)
{
	memset(s, 0, sizeof(*s));
	s->selector = sel | dpl;
	s->limit = 0xffffffff;
	s->type = code ? 0xb : 0x3;
	s->present = 1;
	s->s = 1;
	s->dpl = dpl;
	s->l = code;
	s->db = !code;
	s->g = 1;
}

/* 64-bit kernel (@user false) or user state, paging on, IDT and TSS. */
static void adv_sregs(struct adv *a, struct kvm_sregs *sr, bool user)
{
	int dpl = user ? 3 : 0;

	ioctl(a->vm.vcpu_fd, KVM_GET_SREGS, sr);
	seg(&sr->cs, user ? 0x20 : 0x08, true, dpl);
	seg(&sr->ss, user ? 0x18 : 0x10, false, dpl);
	sr->ds = sr->es = sr->fs = sr->gs = sr->ss;
	memset(&sr->tr, 0, sizeof(sr->tr));
	sr->tr.selector = 0x28;
	sr->tr.base = TSS_GPA;
	sr->tr.limit = 0x67;
	sr->tr.type = 0xb;		/* busy 64-bit TSS */
	sr->tr.present = 1;
	sr->gdt.base = GDT_GPA;
	sr->gdt.limit = 7 * 8 - 1;
	sr->idt.base = IDT_GPA;
	sr->idt.limit = 256 * 16 - 1;
	sr->cr0 = 0x80050033;		/* PG WP NE ET MP PE */
	sr->cr3 = 0x2000;
	sr->cr4 = 1 << 5;		/* PAE */
	sr->efer = (1 << 8) | (1 << 10);	/* LME LMA */
}

static int adv_load_state(struct adv *a, bool user)
{
	struct kvm_sregs sr;

	adv_sregs(a, &sr, user);
	a->user = user;
	return ioctl(a->vm.vcpu_fd, KVM_SET_SREGS, &sr);
}

static void adv_init(struct __test_metadata *_metadata, struct adv *a)
{
	uint8_t *m;
	uint64_t *gdt, *pt;
	int v, i;

	ASSERT_EQ(0, vm_device_up());
	ASSERT_EQ(0, vm_create(&a->vm, MEM_SIZE));
	ASSERT_EQ(0, vm_set_cpuid(&a->vm));
	m = a->vm.mem;
	a->cases = 0;

	gdt = (uint64_t *)(m + GDT_GPA);
	gdt[1] = 0x00af9b000000ffffULL;		/* kernel code */
	gdt[2] = 0x00cf93000000ffffULL;		/* kernel data */
	gdt[3] = 0x00cff3000000ffffULL;		/* user data */
	gdt[4] = 0x00affb000000ffffULL;		/* user code */
	gdt[5] = 0x0000890000000067ULL | ((uint64_t)TSS_GPA << 16);
	gdt[6] = 0;
	*(uint64_t *)(m + TSS_GPA + 4) = KERNEL_STACK;	/* RSP0 */
	*(uint16_t *)(m + TSS_GPA + 0x66) = 0x68;	/* no I/O bitmap */

	pt = (uint64_t *)(m + 0x2000);
	pt[0] = 0x3000 | 7;
	pt = (uint64_t *)(m + 0x3000);
	pt[0] = 0x4000 | 7;
	pt = (uint64_t *)(m + 0x4000);
	for (i = 0; i < 512; i++)
		pt[i] = ((uint64_t)i << 21) | 0x87;	/* P RW US PS */

	for (v = 0; v < 256; v++)
		vm_set_idt_stub(&a->vm, IDT_GPA, STUB_GPA, v, HANDLER_GPA,
				!vm_has_error_code(v));
	memcpy(m + HANDLER_GPA, adv_handler_start,
	       adv_handler_end - adv_handler_start);
	ASSERT_EQ(0, adv_load_state(a, false));
}

/* Load @code (then "out %al, $DONE_PORT") and the registers to run it. */
static void adv_load(struct adv *a, const void *code, size_t len,
		     const struct kvm_regs *in)
{
	static const uint8_t done[] = { 0xe6, DONE_PORT };
	struct kvm_regs r = in ? *in : (struct kvm_regs){ 0 };

	memset(a->vm.mem + FIXUP_GPA, 0, 24);
	/* An exception left the vCPU in kernel mode: back to user mode. */
	if (a->user)
		adv_load_state(a, true);
	memcpy(a->vm.mem + CODE_GPA, code, len);
	memcpy(a->vm.mem + CODE_GPA + len, done, sizeof(done));
	r.rip = CODE_GPA;
	r.rsp = a->user ? USER_STACK : KERNEL_STACK;
	r.rflags |= 2;
	/* User probes get IOPL 3 so that their final OUT reports. */
	if (a->user && !a->iopl0)
		r.rflags |= 3 << 12;
	ioctl(a->vm.vcpu_fd, KVM_SET_REGS, &r);
}

/* Run until the probe ends: done, an exception, or another exit. */
static void adv_finish(struct adv *a, struct outcome *o)
{
	struct kvm_run *run = a->vm.run;
	struct kvm_regs r;

	memset(o, 0, sizeof(*o));
	if (vm_run(&a->vm)) {
		o->end = EXIT;
		o->reason = errno == EINTR ? KVM_EXIT_INTR : ~0u;
		return;
	}
	ioctl(a->vm.vcpu_fd, KVM_GET_REGS, &r);
	if (run->exit_reason == KVM_EXIT_IO &&
	    run->io.direction == KVM_EXIT_IO_OUT && run->io.size == 1 &&
	    run->io.port == DONE_PORT) {
		o->end = DONE;
		o->regs = r;
	} else if (run->exit_reason == KVM_EXIT_IO &&
		   run->io.direction == KVM_EXIT_IO_OUT &&
		   run->io.size == 1 && run->io.port == EXC_PORT) {
		o->end = EXCEPTION;
		o->vector = r.rax & 0xff;
		o->error = r.rbx;
		o->rip = r.rcx;
		o->cr2 = r.rdx;
	} else {
		o->end = EXIT;
		o->reason = run->exit_reason;
		o->regs = r;
	}
}

static void adv_probe(struct adv *a, const void *code, size_t len,
		      const struct kvm_regs *in, struct outcome *o)
{
	adv_load(a, code, len, in);
	adv_finish(a, o);
}

/* The probe must end with exception @vector (@error) at its first byte. */
#define EXPECT_EXCEPTION(o, vec, err) do {				\
	EXPECT_EQ(EXCEPTION, (o)->end) TH_LOG("end %d reason %u: %u %llx %llx", \
					      (o)->end, (o)->reason,	\
		a->vm.run->internal.suberror,				\
		(unsigned long long)a->vm.run->internal.data[0],	\
		(unsigned long long)a->vm.run->internal.data[1]);	\
	EXPECT_EQ(vec, (o)->vector);					\
	EXPECT_EQ((uint64_t)(err), (o)->error);				\
	EXPECT_EQ(CODE_GPA, (o)->rip);					\
	adv_count(a);							\
} while (0)

#define EXPECT_DONE(o) do {						\
	EXPECT_EQ(DONE, (o)->end) TH_LOG("end %d vector %d reason %u",	\
					 (o)->end, (o)->vector,		\
					 (o)->reason);			\
	adv_count(a);							\
} while (0)

static uint64_t rnd64(unsigned int *s)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 4; i++) {
		*s = *s * 1103515245 + 12345;
		v = v << 16 | (*s >> 12 & 0xffff);
	}
	return v;
}

/* Garbage for a register: boundaries, in-memory, unbacked, random. */
static uint64_t garbage(unsigned int *s, int i)
{
	static const uint64_t v[] = {
		0, 1, 0xfff, 0x1000, 0x200000, MEM_SIZE - 0x1000, NO_SLOT,
		UNMAPPED, 0xffffffff, 1ULL << 47, 0x8000000000000000ULL,
		~0ULL,
	};

	return i < (int)ARRAY_SIZE(v) ? v[i] : rnd64(s);
}

FIXTURE(adv) {
	struct adv a;
};

FIXTURE_SETUP(adv)
{
	adv_init(_metadata, &self->a);
}

FIXTURE_TEARDOWN(adv)
{
	report_cases(&self->a);
	vm_destroy(&self->a.vm);
}

/* Does the CPU under the test machine check rAX after the intercepts? */
static bool cpu_has_svme_addr_chk(void)
{
	unsigned int eax, ebx, ecx, edx;

	return __get_cpuid(0x8000000a, &eax, &ebx, &ecx, &edx) &&
	       (edx & (1u << 28));
}

static unsigned int cpu_phys_bits(void)
{
	unsigned int eax, ebx, ecx, edx;

	return __get_cpuid(0x80000008, &eax, &ebx, &ecx, &edx) ?
	       (eax & 0xff) : 36;
}

/*
 * VMRUN, VMLOAD, VMSAVE, STGI, CLGI, SKINIT and INVLPGA with garbage in
 * RAX, RCX and RDX: #UD from kernel mode (nested SVM is not offered, and
 * the guest's EFER.SVME is clear on kvm_amd too).  Two exceptions come
 * from the CPU before any intercept, because the guest's real EFER.SVME
 * is set: without SVME_ADDR_CHK, VMRUN/VMLOAD/VMSAVE with a misaligned
 * or too wide rAX are #GP(0) (on kvm_amd too), and from user mode the
 * CPL check may come first (#GP(0)).
 */
TEST_F(adv, svm_instructions_with_garbage_are_ud)
{
	static const uint8_t op[] = { 0xd8, 0xda, 0xdb, 0xdc, 0xdd, 0xde,
				      0xdf };
	bool addr_chk = cpu_has_svme_addr_chk();
	uint64_t too_wide = ~0ULL << cpu_phys_bits();
	struct adv *a = &self->a;
	unsigned int s = 1;
	struct outcome o;
	int user, i, j;

	for (user = 0; user < 2; user++) {
		ASSERT_EQ(0, adv_load_state(a, user));
		for (i = 0; i < ARRAY_SIZE(op); i++) {
			uint8_t insn[3] = { 0x0f, 0x01, op[i] };
			bool rax_insn = op[i] <= 0xdb;

			for (j = 0; j < 16; j++) {
				struct kvm_regs r = {
					.rax = garbage(&s, j),
					.rcx = garbage(&s, 15 - j),
					.rdx = rnd64(&s),
				};
				bool bad_rax = (r.rax & 0xfff) ||
					       (r.rax & too_wide);
				int want = UD;

				if (!addr_chk && rax_insn && bad_rax)
					want = GP;
				adv_probe(a, insn, 3, &r, &o);
				if (user && o.end == EXCEPTION &&
				    o.vector == GP)
					want = GP;
				EXPECT_EXCEPTION(&o, want, 0);
			}
		}
	}
}

/* Setting EFER.SVME: svmhv has no nested SVM, so #GP; kvm_amd nests. */
TEST_F(adv, efer_svme_is_refused)
{
	/* rdmsr; bts $12, %eax; wrmsr */
	static const uint8_t code[] = { 0x0f, 0x32, 0x0f, 0xba, 0xe8, 0x0c,
					0x0f, 0x30 };
	struct adv *a = &self->a;
	struct kvm_regs r = { .rcx = 0xc0000080 };
	struct outcome o;

	if (!a->vm.is_svmhv)
		SKIP(return, "kvm_amd offers nested SVM");
	adv_probe(a, code, sizeof(code), &r, &o);
	EXPECT_EQ(EXCEPTION, o.end);
	EXPECT_EQ(GP, o.vector);
	EXPECT_EQ(0, o.error);
	EXPECT_EQ(CODE_GPA + 6, o.rip);
	adv_count(a);
}

static bool kvm_known_hypercall(uint64_t nr)
{
	/*
	 * VAPIC_POLL_IRQ, KICK_CPU, CLOCK_PAIRING, SEND_IPI, SCHED_YIELD,
	 * MAP_GPA_RANGE: kvm_amd's own.
	 */
	return nr == 1 || nr == 5 || nr == 9 || nr == 10 || nr == 11 ||
	       nr == 12;
}

/*
 * VMMCALL with numbers 0-4095 and random ones: -KVM_ENOSYS in RAX for
 * any number the hypervisor does not have, svmhv's no-op answers 0, and
 * from user mode every call gets -KVM_EPERM.
 */
TEST_F(adv, vmmcall_with_every_number)
{
	static const uint8_t vmmcall[] = { 0x0f, 0x01, 0xd9 };
	struct adv *a = &self->a;
	unsigned int s = 2;
	struct outcome o;
	uint64_t nr;
	int user, i;

	for (user = 0; user < 2; user++) {
		ASSERT_EQ(0, adv_load_state(a, user));
		for (i = 0; i < 4096 + 64; i++) {
			struct kvm_regs r = { .rbx = rnd64(&s),
					      .rcx = rnd64(&s) };

			nr = i < 4096 ? i : rnd64(&s);
			if (i == 4096)
				nr = SVMHV_HC_NOP;
			if (!a->vm.is_svmhv && !user && kvm_known_hypercall(nr))
				continue;
			r.rax = nr;
			/* From user mode only a few: each is the same check. */
			if (user && i % 64 && i != 4096)
				continue;
			adv_probe(a, vmmcall, sizeof(vmmcall), &r, &o);
			EXPECT_DONE(&o);
			if (user) {
				EXPECT_EQ((uint64_t)-KVM_EPERM, o.regs.rax);
			} else if (a->vm.is_svmhv && nr == SVMHV_HC_NOP) {
				EXPECT_EQ(0, o.regs.rax);
			} else {
				EXPECT_EQ((uint64_t)-KVM_ENOSYS, o.regs.rax)
					TH_LOG("hypercall %#llx",
					       (unsigned long long)nr);
			}
			/* Nothing else changes. */
			EXPECT_EQ(r.rbx, o.regs.rbx);
			EXPECT_EQ(r.rcx, o.regs.rcx);
			EXPECT_EQ(CODE_GPA + 3, o.regs.rip);
		}
	}
}

struct cpuid_table {
	struct kvm_cpuid2 c;
	struct kvm_cpuid_entry2 e[256];
};

/* What the table says for @fn/@idx; zeros when it has no such leaf. */
static void table_lookup(const struct cpuid_table *t, uint32_t fn,
			 uint32_t idx, uint32_t *out)
{
	unsigned int i;

	memset(out, 0, 16);
	for (i = 0; i < t->c.nent; i++) {
		const struct kvm_cpuid_entry2 *e = &t->e[i];

		if (e->function != fn ||
		    ((e->flags & KVM_CPUID_FLAG_SIGNIFCANT_INDEX) &&
		     e->index != idx))
			continue;
		out[0] = e->eax;
		out[1] = e->ebx;
		out[2] = e->ecx;
		out[3] = e->edx;
		return;
	}
}

/*
 * CPUID of every leaf class (basic, hypervisor, extended, Centaur, past
 * every maximum) with garbage in the upper halves of RAX/RCX and in
 * RBX/RDX: the 32-bit results are the vCPU's table (zero-extended), and
 * zeros for a leaf the table does not have, as AMD CPUs answer.  Bits
 * the hypervisor keeps live (APIC ID, OSXSAVE, APIC enable) and leaves
 * derived from state (XSAVE sizes, topology) are left out.
 */
TEST_F(adv, cpuid_of_every_leaf_class)
{
	static const uint8_t cpuid[] = { 0x0f, 0xa2 };
	static const uint32_t base[] = { 0, 0x40000000, 0x80000000,
					 0x8ffffff0, 0xc0000000, 0xfffffff0 };
	struct adv *a = &self->a;
	struct cpuid_table t = { .c.nent = 256 };
	uint32_t want[4], fn, idx, max;
	unsigned int s = 3;
	struct outcome o;
	int b, i, k;

	ASSERT_EQ(0, ioctl(a->vm.sys_fd, KVM_GET_SUPPORTED_CPUID, &t));
	ASSERT_EQ(0, ioctl(a->vm.vcpu_fd, KVM_SET_CPUID2, &t));
	for (b = 0; b < ARRAY_SIZE(base); b++) {
		table_lookup(&t, base[b], 0, want);
		max = want[0] >= base[b] && want[0] - base[b] < 0x100 ?
		      want[0] - base[b] : 0;
		for (i = 0; i <= (int)max + 3; i++) {
			for (k = 0; k < 4; k++) {
				static const uint32_t ids[] = { 0, 1, 7,
								0xffffffff };
				struct kvm_regs r;

				fn = base[b] + i;
				idx = ids[k];
				r = (struct kvm_regs){
					.rax = rnd64(&s) << 32 | fn,
					.rcx = rnd64(&s) << 32 | idx,
					.rbx = rnd64(&s), .rdx = rnd64(&s),
				};
				if (fn == 0xb || fn == 0xd || fn == 0x1f ||
				    fn == 0x8000001e || fn == 0x80000026)
					continue;
				adv_probe(a, cpuid, sizeof(cpuid), &r, &o);
				EXPECT_DONE(&o);
				table_lookup(&t, fn, idx, want);
				if (fn == 1) {
					want[1] &= 0x00ffffff;
					o.regs.rbx &= 0x00ffffff;
					want[2] &= ~(1u << 27);
					o.regs.rcx &= ~(1ull << 27);
					want[3] &= ~(1u << 9);
					o.regs.rdx &= ~(1ull << 9);
				}
				if (fn == 7 && idx == 0) {
					want[2] &= ~(1u << 4);	/* OSPKE */
					o.regs.rcx &= ~(1ull << 4);
				}
				if (fn == 0x80000001) {
					want[3] &= ~(1u << 9);
					o.regs.rdx &= ~(1ull << 9);
				}
				if (a->vm.is_svmhv &&
				    vm_mmu() == SVMHV_MMU_SHADOW) {
					if (fn == 1)
						want[2] &= ~(1u << 17);
					if (fn == 7 && idx == 0)
						want[1] &= ~((1u << 7) |
							     (1u << 20));
				}
				EXPECT_EQ(want[0], o.regs.rax)
					TH_LOG("leaf %#x.%u", fn, idx);
				EXPECT_EQ(want[1], o.regs.rbx)
					TH_LOG("leaf %#x.%u", fn, idx);
				EXPECT_EQ(want[2], o.regs.rcx)
					TH_LOG("leaf %#x.%u", fn, idx);
				EXPECT_EQ(want[3], o.regs.rdx)
					TH_LOG("leaf %#x.%u", fn, idx);
			}
		}
	}
	/* And 200 random leaves. */
	for (i = 0; i < 200; i++) {
		struct kvm_regs r = { .rax = rnd64(&s), .rcx = rnd64(&s) };

		fn = r.rax;
		if ((fn & 0xffffff00) == 0 || (fn & 0xffffff00) == 0x40000000 ||
		    (fn & 0xffffff00) == 0x80000000)
			continue;
		adv_probe(a, cpuid, sizeof(cpuid), &r, &o);
		EXPECT_DONE(&o);
		table_lookup(&t, fn, r.rcx, want);
		EXPECT_EQ(want[0], o.regs.rax) TH_LOG("leaf %#x", fn);
		EXPECT_EQ(want[3], o.regs.rdx) TH_LOG("leaf %#x", fn);
	}
}

struct msr_record {
	uint64_t flags, read, written;
};

static bool msr_listed(const uint32_t *list, int n, uint32_t msr)
{
	int i;

	for (i = 0; i < n; i++)
		if (list[i] == msr)
			return true;
	return false;
}

/*
 * Garbage for RCX[63:32] of RDMSR/WRMSR, which CPUs ignore.  Not under
 * QEMU's TCG: it looks the MSR up in the permission map with all of RCX,
 * misses, and runs the instruction on the emulated host CPU unintercepted
 * (a guest could write the host's MSRs there; real CPUs use ECX only).
 */
static uint64_t rcx_garbage(void)
{
	char buf[4096];

	if (read_file("/proc/cpuinfo", buf, sizeof(buf)) > 0 &&
	    strstr(buf, " hypervisor"))
		return 0;
	return 0xdead00000000ULL;
}

/*
 * The machine-check MSRs follow KVM's own rules (MCG_CAP and the banks
 * are readable without being listed, MCG_CTL is listed but readable only
 * with MCG_CTL_P), which guest_test and the mce KUnit suite check.
 */
static bool mce_msr(uint32_t msr)
{
	return (msr >= 0x179 && msr <= 0x17b) || (msr >= 0x400 && msr < 0x480);
}

/*
 * Run the in-guest sweep over @count MSRs from @first and check each
 * record.  On svmhv an MSR is readable exactly when KVM_GET_MSR_INDEX_LIST
 * lists it, everything else is #GP(0) for RDMSR and WRMSR alike, and a
 * garbage write either takes (KVM_GET_MSRS reads it back) or is #GP(0)
 * and changes nothing; the machine-check MSRs are left out (mce_msr()).
 * kvm_amd emulates many more MSRs: there the records are only checked
 * for svmhv's MSRs, and writes put back what was read.
 */
static void sweep(struct __test_metadata *_metadata, struct adv *a,
		  uint32_t first, uint32_t count, const uint32_t *list, int n,
		  uint64_t rcx_high)
{
	struct msr_record *rec = (void *)(a->vm.mem + RECORDS_GPA);
	bool svmhv = a->vm.is_svmhv;
	struct kvm_regs r = {
		.rsi = first, .rdi = count, .r8 = RECORDS_GPA,
		.r9 = svmhv ? 2 : 1, .r13 = rcx_high,
	};
	struct {
		struct kvm_msrs h;
		struct kvm_msr_entry e;
	} get = { .h.nmsrs = 1 };
	struct outcome o;
	uint32_t i;

	/* Each sweep starts from a fresh state: writes may have changed it. */
	ASSERT_EQ(0, adv_load_state(a, false));
	adv_probe(a, msr_sweep_start, msr_sweep_end - msr_sweep_start, &r,
		  &o);
	ASSERT_EQ(DONE, o.end) TH_LOG("MSRs from %#x: end %d vector %d",
				      first, o.end, o.vector);
	for (i = 0; i < count; i++) {
		uint32_t msr = first + i;
		bool listed = msr_listed(list, n, msr);
		uint64_t f = rec[i].flags;

		if ((!svmhv && !listed) || mce_msr(msr))
			continue;
		/* RDMSR: #GP(0) exactly for the MSRs not listed. */
		EXPECT_EQ(!listed, f & 1) TH_LOG("rdmsr %#x", msr);
		if (f & 1) {
			EXPECT_EQ(GP, f >> 8 & 0xff) TH_LOG("rdmsr %#x", msr);
			EXPECT_EQ(0, f >> 32 & 0xffff);
		}
		adv_count(a);
		if (!listed) {
			EXPECT_EQ(2, f & 2) TH_LOG("wrmsr %#x", msr);
			EXPECT_EQ(GP, f >> 16 & 0xff) TH_LOG("wrmsr %#x", msr);
			EXPECT_EQ(0, f >> 48);
			adv_count(a);
			continue;
		}
		if (f & 2) {
			EXPECT_EQ(GP, f >> 16 & 0xff) TH_LOG("wrmsr %#x", msr);
			EXPECT_EQ(0, f >> 48);
		}
		/* MTRRcap is read-only everywhere: its write-back is #GP. */
		if (!svmhv && msr != 0xfe)
			EXPECT_EQ(0, f & 2) TH_LOG("write-back of %#x", msr);
		/* What KVM_GET_MSRS sees: the write, or the old value. */
		get.e.index = msr;
		ASSERT_EQ(1, ioctl(a->vm.vcpu_fd, KVM_GET_MSRS, &get));
		/* The TSC moves on; EFER.LMA is the CPU's. */
		if (msr == 0xc0000080) {
			EXPECT_EQ((f & 2 ? rec[i].read : rec[i].written) |
				  (1 << 10), get.e.data) TH_LOG("efer");
		} else if (msr == 0x174) {	/* SYSENTER_CS: 32 bits */
			EXPECT_EQ((uint32_t)(f & 2 ? rec[i].read :
					     rec[i].written), get.e.data);
		} else if (msr == 0x8b) {	/* UCODE_REV: as KVM, the */
			EXPECT_EQ(rec[i].read, get.e.data);	/* guest's */
		} else if (msr != 0x10) {	/* writes are ignored */
			EXPECT_EQ(f & 2 ? rec[i].read : rec[i].written,
				  get.e.data) TH_LOG("wrmsr %#x", msr);
		}
		adv_count(a);
	}
}

/*
 * RDMSR and WRMSR of every MSR the permission map covers (0-0x1fff,
 * 0xc0000000-0xc0001fff, 0xc0010000-0xc0011fff) and of ranges around and
 * outside it, with garbage in RCX[63:32].
 */
TEST_F(adv, msrs_over_every_range)
{
	static const uint32_t ranges[][2] = {
		{ 0, 0x2000 }, { 0xc0000000, 0x2000 }, { 0xc0010000, 0x2000 },
		{ 0x2000, 0x100 }, { 0x40000000, 0x100 },
		{ 0x4b564d00, 0x100 }, { 0x80000000, 0x100 },
		{ 0xbfffff00, 0x100 }, { 0xc0002000, 0x100 },
		{ 0xc0012000, 0x100 }, { 0xffffff00, 0x100 },
	};
	struct adv *a = &self->a;
	struct {
		struct kvm_msr_list h;
		uint32_t idx[512];
	} list = { .h.nmsrs = 512 };
	uint64_t rcx_high = rcx_garbage();
	int i;

	ASSERT_EQ(0, ioctl(a->vm.sys_fd, KVM_GET_MSR_INDEX_LIST, &list));
	if (!a->vm.is_svmhv) {
		/* Check kvm_amd only on the MSRs svmhv has. */
		static const uint32_t svmhv_msrs[] = {
			0xc0000080, 0xc0000081, 0xc0000082, 0xc0000083,
			0xc0000084, 0xc0000100, 0xc0000101, 0xc0000102,
			0x174, 0x175, 0x176, 0x10, 0x1b, 0x277, 0xfe, 0x2ff,
		};

		memcpy(list.idx, svmhv_msrs, sizeof(svmhv_msrs));
		list.h.nmsrs = ARRAY_SIZE(svmhv_msrs);
	}
	for (i = 0; i < ARRAY_SIZE(ranges); i++)
		sweep(_metadata, a, ranges[i][0], ranges[i][1], list.idx,
		      list.h.nmsrs, rcx_high);
}

/* Answer or check one KVM_EXIT_IO round of a probe; returns its count. */
static unsigned int io_round(struct __test_metadata *_metadata,
			     struct adv *a, int dir, int port, int size,
			     const uint8_t *out, uint8_t *in_data)
{
	struct kvm_run *run = a->vm.run;
	uint8_t *data = (uint8_t *)run + run->io.data_offset;

	EXPECT_EQ(KVM_EXIT_IO, run->exit_reason);
	EXPECT_EQ(dir, run->io.direction);
	EXPECT_EQ(port, run->io.port);
	EXPECT_EQ(size, run->io.size);
	if (run->exit_reason != KVM_EXIT_IO || !run->io.count ||
	    run->io.count * size > 4096)
		return 0;
	if (dir == KVM_EXIT_IO_OUT && out)
		EXPECT_EQ(0, memcmp(data, out, run->io.count * size))
			TH_LOG("port %#x size %d count %u: %02x%02x want %02x%02x",
			       port, size, run->io.count, data[0], data[1],
			       out[0], out[1]);
	if (dir == KVM_EXIT_IO_IN)
		memcpy(data, in_data, run->io.count * size);
	return run->io.count;
}

/* Every form of port I/O: the prefixes and opcodes of one probe. */
struct io_form {
	const char *name;
	uint8_t code[4];
	int len;
	bool in, string, rep, imm, addr32;
	int size;
};

static const struct io_form io_forms[] = {
	{ "in al,imm", { 0xe4, 0 }, 2, true, .imm = true, .size = 1 },
	{ "in ax,imm", { 0x66, 0xe5, 0 }, 3, true, .imm = true, .size = 2 },
	{ "in eax,imm", { 0xe5, 0 }, 2, true, .imm = true, .size = 4 },
	{ "out imm,al", { 0xe6, 0 }, 2, false, .imm = true, .size = 1 },
	{ "out imm,ax", { 0x66, 0xe7, 0 }, 3, false, .imm = true, .size = 2 },
	{ "out imm,eax", { 0xe7, 0 }, 2, false, .imm = true, .size = 4 },
	{ "in al,dx", { 0xec }, 1, true, .size = 1 },
	{ "in ax,dx", { 0x66, 0xed }, 2, true, .size = 2 },
	{ "in eax,dx", { 0xed }, 1, true, .size = 4 },
	{ "out dx,al", { 0xee }, 1, false, .size = 1 },
	{ "out dx,ax", { 0x66, 0xef }, 2, false, .size = 2 },
	{ "out dx,eax", { 0xef }, 1, false, .size = 4 },
	{ "insb", { 0x6c }, 1, true, true, .size = 1 },
	{ "insw", { 0x66, 0x6d }, 2, true, true, .size = 2 },
	{ "insd", { 0x6d }, 1, true, true, .size = 4 },
	{ "outsb", { 0x6e }, 1, false, true, .size = 1 },
	{ "outsw", { 0x66, 0x6f }, 2, false, true, .size = 2 },
	{ "outsd", { 0x6f }, 1, false, true, .size = 4 },
	{ "rep insb", { 0xf3, 0x6c }, 2, true, true, true, .size = 1 },
	{ "rep insw", { 0x66, 0xf3, 0x6d }, 3, true, true, true, .size = 2 },
	{ "rep insd", { 0xf3, 0x6d }, 2, true, true, true, .size = 4 },
	{ "rep outsb", { 0xf3, 0x6e }, 2, false, true, true, .size = 1 },
	{ "rep outsw", { 0x66, 0xf3, 0x6f }, 3, false, true, true, .size = 2 },
	{ "rep outsd", { 0xf3, 0x6f }, 2, false, true, true, .size = 4 },
	{ "addr32 rep outsb", { 0x67, 0xf3, 0x6e }, 3, false, true, true,
	  .size = 1, .addr32 = true },
	{ "addr32 rep insw", { 0x67, 0x66, 0xf3, 0x6d }, 4, true, true, true,
	  .size = 2, .addr32 = true },
};

#define IO_BUF		0x90000
#define IO_COUNT	5

/*
 * Run one port I/O probe on @port, forwards or (@down) backwards, and
 * check every exit to userspace and the registers and memory after.
 */
static void io_probe(struct __test_metadata *_metadata, struct adv *a,
		     const struct io_form *f, int port, bool down,
		     unsigned int *s)
{
	int count = f->rep ? IO_COUNT : 1, n = 0, i, step = down ? -1 : 1;
	uint64_t hi = f->addr32 ? 0xdead00000000ULL : 0;
	uint64_t start = IO_BUF + (down ? (IO_COUNT - 1) * f->size : 0);
	uint8_t code[8], src[64], in[64];
	struct kvm_regs r = { 0 };
	struct outcome o;

	memcpy(code, f->code, f->len);
	if (f->imm)
		code[f->len - 1] = port;
	for (i = 0; i < sizeof(src); i++) {
		src[i] = rnd64(s);
		in[i] = rnd64(s);
	}
	r.rax = rnd64(s);
	r.rdx = (rnd64(s) & ~0xffffULL) | port;
	r.rcx = rnd64(s) << 32 | count;
	r.rsi = hi | start;
	r.rdi = hi | start;
	if (!f->addr32 && f->rep)
		r.rcx = count;
	if (down)
		r.rflags = 1 << 10;		/* DF */
	memset(a->vm.mem + IO_BUF - 64, 0xcc, 128);
	/* The string, element by element in the order the CPU takes it. */
	if (f->string && !f->in)
		for (i = 0; i < count; i++)
			memcpy(a->vm.mem + start + step * i * f->size,
			       src + i * f->size, f->size);
	if (!f->string && !f->in)
		memcpy(src, &r.rax, f->size);
	adv_load(a, code, f->len, &r);
	while (n < count) {
		ASSERT_EQ(0, vm_run(&a->vm));
		if (a->vm.run->exit_reason != KVM_EXIT_IO ||
		    a->vm.run->io.port == DONE_PORT)
			break;
		i = io_round(_metadata, a, f->in ? KVM_EXIT_IO_IN :
				KVM_EXIT_IO_OUT, port, f->size,
				src + n * f->size, in + n * f->size);
		if (!i)
			break;
		n += i;
	}
	EXPECT_EQ(count, n) TH_LOG("%s port %#x", f->name, port);
	adv_finish(a, &o);
	EXPECT_DONE(&o);
	if (o.end != DONE)
		return;
	EXPECT_EQ(CODE_GPA + f->len, o.regs.rip);
	/* With a 32-bit address size ECX counts, and its write zero-extends. */
	if (f->rep)
		EXPECT_EQ(0, o.regs.rcx) TH_LOG("%s rcx", f->name);
	if (f->string) {
		uint64_t want = start + step * count * f->size;
		uint64_t got = f->in ? o.regs.rdi : o.regs.rsi;

		/* A 32-bit address size writes ESI/EDI, zero-extended. */
		EXPECT_EQ(f->addr32 ? (uint32_t)want : want, got)
			TH_LOG("%s index", f->name);
	}
	if (f->in && f->string)
		for (i = 0; i < count; i++) {
			EXPECT_EQ(0, memcmp(a->vm.mem + start +
					    step * i * f->size,
					    in + i * f->size, f->size))
				TH_LOG("%s element %d", f->name, i);
		}
	if (f->in && !f->string) {
		uint64_t want = r.rax;

		if (f->size == 4)
			want = 0;	/* 32-bit results zero-extend */
		memcpy(&want, in, f->size);
		EXPECT_EQ(want, o.regs.rax) TH_LOG("%s", f->name);
	}
	/* Nothing written around the buffer. */
	EXPECT_EQ(0xcc, a->vm.mem[IO_BUF - 1]);
	EXPECT_EQ(0xcc, a->vm.mem[IO_BUF + IO_COUNT * 4]);
}

/*
 * IN/OUT/INS/OUTS of every width, with and without REP, 32-bit address
 * size, forwards and backwards, on ports across the whole range: each
 * element reaches userspace as KVM_EXIT_IO with the right direction,
 * port, size and data, and RIP/RCX/RSI/RDI/RAX end as the CPU leaves
 * them.  Ports kvm_amd and svmhv handle in the kernel are not used.
 */
TEST_F(adv, port_io_of_every_form)
{
	static const int ports[] = { 0, 0x10, 0x71, 0x80, 0xcf8, 0xcfc,
				     0x3f8, 0x5658, 0x8000, 0xfffc, 0xfffe,
				     0xffff };
	struct adv *a = &self->a;
	unsigned int s = 4;
	int f, p, down;

	for (f = 0; f < ARRAY_SIZE(io_forms); f++)
		for (p = 0; p < ARRAY_SIZE(ports); p++)
			for (down = 0; down < 1 + io_forms[f].string; down++) {
				int port = ports[p];

				if (io_forms[f].imm && port > 0xff)
					port &= 0xff;
				io_probe(_metadata, a, &io_forms[f], port, down,
					 &s);
			}
}

/*
 * String I/O to or from memory the guest has not mapped is #PF with the
 * access's error code and CR2 = the address, RCX and RDI unchanged.
 */
TEST_F(adv, string_io_on_unmapped_memory_is_pf)
{
	static const uint8_t insb[] = { 0x6c }, outsb[] = { 0x6e };
	struct adv *a = &self->a;
	struct kvm_regs r = { .rdi = UNMAPPED, .rsi = UNMAPPED, .rdx = 0x10,
			      .rcx = 1 };
	struct outcome o;

	adv_load(a, outsb, 1, &r);
	adv_finish(a, &o);
	EXPECT_EXCEPTION(&o, PF, 0);		/* read, not present */
	EXPECT_EQ(UNMAPPED, o.cr2);

	adv_load(a, insb, 1, &r);
	adv_finish(a, &o);
	/* KVM reads the port first: answer it, then the store faults. */
	if (o.end == EXIT && o.reason == KVM_EXIT_IO) {
		EXPECT_EQ(KVM_EXIT_IO_IN, a->vm.run->io.direction);
		adv_finish(a, &o);
	}
	EXPECT_EXCEPTION(&o, PF, 2);		/* write, not present */
	EXPECT_EQ(UNMAPPED, o.cr2);
}

/*
 * A string move from MMIO to memory the guest has not mapped is #PF with
 * the write's error code and CR2 = the destination, RSI, RDI and RCX
 * unchanged; svmhv checks the destination before it reads.
 */
TEST_F(adv, string_mmio_to_unmapped_memory_is_pf)
{
	static const uint8_t movsb[] = { 0xa4 }, rep_movsw[] = { 0xf3, 0x66,
								  0xa5 };
	struct adv *a = &self->a;
	struct kvm_regs r = { .rsi = NO_SLOT, .rdi = UNMAPPED, .rcx = 2 };
	struct outcome o;
	int i;

	for (i = 0; i < 2; i++) {
		adv_load(a, i ? rep_movsw : movsb, i ? 3 : 1, &r);
		adv_finish(a, &o);
		/* KVM reads the MMIO first: answer it, then the store faults. */
		if (o.end == EXIT && o.reason == KVM_EXIT_MMIO) {
			EXPECT_FALSE(a->vm.run->mmio.is_write);
			adv_finish(a, &o);
		}
		EXPECT_EXCEPTION(&o, PF, 2);	/* write, not present */
		EXPECT_EQ(UNMAPPED, o.cr2);
	}
}

/*
 * Privileged instructions from user mode: #GP(0) before any intercept
 * (MOV CR, INVLPG, HLT, RDMSR, WRMSR, LGDT, CLI) and IN/OUT with IOPL 0
 * and no I/O bitmap.
 */
TEST_F(adv, privileged_instructions_from_user_mode_are_gp)
{
	static const struct { uint8_t code[4]; int len; } insn[] = {
		{ { 0x0f, 0x22, 0xd8 }, 3 },	/* mov %rax, %cr3 */
		{ { 0x0f, 0x20, 0xd8 }, 3 },	/* mov %cr3, %rax */
		{ { 0x0f, 0x22, 0xc0 }, 3 },	/* mov %rax, %cr0 */
		{ { 0x0f, 0x22, 0xe0 }, 3 },	/* mov %rax, %cr4 */
		{ { 0x0f, 0x01, 0x38 }, 3 },	/* invlpg (%rax) */
		{ { 0xf4 }, 1 },		/* hlt */
		{ { 0x0f, 0x32 }, 2 },		/* rdmsr */
		{ { 0x0f, 0x30 }, 2 },		/* wrmsr */
		{ { 0x0f, 0x01, 0x10 }, 3 },	/* lgdt (%rax) */
		{ { 0xfa }, 1 },		/* cli */
		{ { 0xe4, 0x10 }, 2 },		/* in $0x10, %al */
		{ { 0xee }, 1 },		/* out %al, (%dx) */
		{ { 0x6e }, 1 },		/* outsb */
		{ { 0x0f, 0x06 }, 2 },		/* clts */
		{ { 0x0f, 0x01, 0xf0 }, 3 },	/* lmsw %ax */
	};
	struct adv *a = &self->a;
	unsigned int s = 5;
	struct outcome o;
	int i, j;

	ASSERT_EQ(0, adv_load_state(a, true));
	a->iopl0 = true;
	for (i = 0; i < ARRAY_SIZE(insn); i++)
		for (j = 0; j < 4; j++) {
			struct kvm_regs r = { .rax = garbage(&s, 6 + j),
					      .rcx = 0xc0000080,
					      .rdx = 0x10, .rsi = 0x20000 };

			adv_probe(a, insn[i].code, insn[i].len, &r, &o);
			EXPECT_EXCEPTION(&o, GP, 0);
		}
}

/* A state KVM_SET_SREGS must refuse, or VMRUN would. */
struct bad_state {
	const char *name;
	void (*make)(struct kvm_sregs *sr, struct kvm_regs *r);
	int set_errno;		/* svmhv's KVM_SET_SREGS errno, or 0... */
	bool fail_entry;	/* ...then KVM_RUN: KVM_EXIT_FAIL_ENTRY */
	bool kvm_differs;	/* kvm_amd answers otherwise: svmhv only */
};

static void pg_without_pe(struct kvm_sregs *sr, struct kvm_regs *r)
{
	sr->cr0 &= ~1ULL;
}

static void nw_without_cd(struct kvm_sregs *sr, struct kvm_regs *r)
{
	sr->cr0 |= 1ULL << 29;
	sr->cr0 &= ~(1ULL << 30);
}

static void cr0_high_bits(struct kvm_sregs *sr, struct kvm_regs *r)
{
	sr->cr0 |= 1ULL << 40;
}

static void lme_pg_without_pae(struct kvm_sregs *sr, struct kvm_regs *r)
{
	sr->cr4 &= ~(1ULL << 5);
}

static void lma_without_lme(struct kvm_sregs *sr, struct kvm_regs *r)
{
	sr->efer &= ~(1ULL << 8);
}

static void lma_without_pg(struct kvm_sregs *sr, struct kvm_regs *r)
{
	sr->cr0 &= ~(1ULL << 31);
}

static void efer_svme(struct kvm_sregs *sr, struct kvm_regs *r)
{
	sr->efer |= 1ULL << 12;
}

static void cr4_reserved(struct kvm_sregs *sr, struct kvm_regs *r)
{
	sr->cr4 |= 1ULL << 31;
}

static void cr4_high_bits(struct kvm_sregs *sr, struct kvm_regs *r)
{
	sr->cr4 |= 1ULL << 32;
}

static void cr3_beyond_52_bits(struct kvm_sregs *sr, struct kvm_regs *r)
{
	sr->cr3 |= 1ULL << 60;
}

static void cs_l_and_d(struct kvm_sregs *sr, struct kvm_regs *r)
{
	sr->cs.db = 1;
}

static void pending_interrupt(struct kvm_sregs *sr, struct kvm_regs *r)
{
	sr->interrupt_bitmap[1] = 1;
}

/* Bit 9 is reserved in the APIC base MSR (KVM: 0x2ff). */
static void apic_base_reserved(struct kvm_sregs *sr, struct kvm_regs *r)
{
	sr->apic_base |= 0x200;
}

static const struct bad_state bad_states[] = {
	{ "CR0.PG without PE", pg_without_pe, EINVAL, false, false },
	{ "CR0.NW without CD", nw_without_cd, EINVAL, false, false },
	{ "CR0 bits 63:32", cr0_high_bits, EINVAL, false, false },
	{ "EFER.LME and CR0.PG without CR4.PAE", lme_pg_without_pae, EINVAL,
	  false, false },
	{ "EFER.LMA without LME", lma_without_lme, EINVAL, false, false },
	{ "EFER.LMA without paging", lma_without_pg, EINVAL, false, false },
	{ "EFER.SVME", efer_svme, EINVAL, false, true },
	{ "CR4 reserved bit 31", cr4_reserved, EINVAL, false, false },
	{ "CR4 bits 63:32", cr4_high_bits, EINVAL, false, false },
	{ "CR3 above bit 51", cr3_beyond_52_bits, EINVAL, false, false },
	{ "CS.L and CS.D", cs_l_and_d, 0, true, true },
	{ "an interrupt pending without an irqchip", pending_interrupt,
	  EINVAL, false, true },
	{ "APIC base reserved bit", apic_base_reserved, EINVAL, false, false },
};

/*
 * Invalid state through KVM_SET_SREGS: each is refused with EINVAL, or
 * taken and then refused by KVM_RUN with KVM_EXIT_FAIL_ENTRY (what VMRUN
 * would answer); the vCPU then runs a good state again.
 */
TEST_F(adv, invalid_state_is_einval_or_fail_entry)
{
	static const uint8_t nop[] = { 0x90 };
	struct adv *a = &self->a;
	struct kvm_sregs sr;
	struct kvm_regs r = { 0 };
	struct outcome o;
	int i, ret;

	for (i = 0; i < ARRAY_SIZE(bad_states); i++) {
		const struct bad_state *b = &bad_states[i];

		if (!a->vm.is_svmhv && b->kvm_differs)
			continue;
		adv_sregs(a, &sr, false);
		b->make(&sr, &r);
		ret = ioctl(a->vm.vcpu_fd, KVM_SET_SREGS, &sr);
		if (b->set_errno) {
			EXPECT_EQ(-1, ret) TH_LOG("%s", b->name);
			EXPECT_EQ(b->set_errno, errno) TH_LOG("%s", b->name);
		} else {
			EXPECT_EQ(0, ret) TH_LOG("%s", b->name);
			adv_load(a, nop, 1, NULL);
			EXPECT_EQ(0, vm_run(&a->vm));
			EXPECT_EQ(KVM_EXIT_FAIL_ENTRY, a->vm.run->exit_reason)
				TH_LOG("%s", b->name);
			if (a->vm.is_svmhv)
				EXPECT_EQ((uint64_t)-1, a->vm.run->fail_entry
					  .hardware_entry_failure_reason);
		}
		adv_count(a);
		ASSERT_EQ(0, adv_load_state(a, false));
		adv_probe(a, nop, 1, NULL, &o);
		EXPECT_DONE(&o);
	}
}

/*
 * Garbage RIP and RFLAGS through KVM_SET_REGS: a non-canonical RIP is
 * #GP(0) at that RIP, RFLAGS' reserved bits read back as the CPU keeps
 * them and the guest runs.
 */
TEST_F(adv, garbage_regs_run_or_fault)
{
	static const uint8_t nop[] = { 0x90 };
	struct adv *a = &self->a;
	struct kvm_regs r = { 0 };
	struct outcome o;

	adv_load(a, nop, 1, NULL);
	ioctl(a->vm.vcpu_fd, KVM_GET_REGS, &r);
	r.rip = 0x8000000000000000ULL;
	ioctl(a->vm.vcpu_fd, KVM_SET_REGS, &r);
	adv_finish(a, &o);
	EXPECT_EQ(EXCEPTION, o.end);
	EXPECT_EQ(GP, o.vector);
	EXPECT_EQ(0, o.error);
	EXPECT_EQ(0x8000000000000000ULL, o.rip);
	adv_count(a);

	/* Every RFLAGS bit but TF, IF, NT, RF and VM: the guest runs. */
	r = (struct kvm_regs){ .rflags = ~((1ULL << 8) | (1ULL << 9) |
					   (1ULL << 14) | (1ULL << 16) |
					   (1ULL << 17)) };
	adv_probe(a, nop, 1, &r, &o);
	EXPECT_DONE(&o);
}

/* A thread that counts while the vCPU thread spins on the same CPU. */
struct counter {
	bool stop;
	unsigned long n;
};

static void *count_on_cpu0(void *arg)
{
	struct counter *c = arg;
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	sched_setaffinity(0, sizeof(set), &set);
	while (!__atomic_load_n(&c->stop, __ATOMIC_RELAXED))
		__atomic_add_fetch(&c->n, 1, __ATOMIC_RELAXED);
	return NULL;
}

static void on_alarm(int sig)
{
}

/*
 * CLI then spin, forever: host interrupts still reach the host (the INTR
 * intercept), so another thread on the same CPU keeps running, and a
 * signal ends KVM_RUN with EINTR.
 */
TEST_F(adv, spin_with_interrupts_off_keeps_the_host_scheduling)
{
	static const uint8_t cli_spin[] = { 0xfa, 0xeb, 0xfe };
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval t = { .it_value = { .tv_usec = 500000 } };
	struct counter c = { 0 };
	struct adv *a = &self->a;
	unsigned long before;
	cpu_set_t set;
	pthread_t th;

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	ASSERT_EQ(0, sched_setaffinity(0, sizeof(set), &set));
	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	ASSERT_EQ(0, pthread_create(&th, NULL, count_on_cpu0, &c));
	usleep(10000);
	adv_load(a, cli_spin, sizeof(cli_spin), NULL);
	before = __atomic_load_n(&c.n, __ATOMIC_RELAXED);
	ASSERT_EQ(0, setitimer(ITIMER_REAL, &t, NULL));
	EXPECT_EQ(-1, vm_run(&a->vm));
	EXPECT_EQ(EINTR, errno);
	EXPECT_EQ(KVM_EXIT_INTR, a->vm.run->exit_reason);
	/* The counter ran while the guest spun on its CPU. */
	EXPECT_LT(before, __atomic_load_n(&c.n, __ATOMIC_RELAXED));
	__atomic_store_n(&c.stop, true, __ATOMIC_RELAXED);
	pthread_join(th, NULL);
	EXPECT_EQ(CODE_GPA + 1, vm_get_reg(&a->vm, VM_RIP));
	adv_count(a);
}

/* HLT with interrupts off is KVM_EXIT_HLT, with RIP past the HLT. */
TEST_F(adv, hlt_with_interrupts_off_exits)
{
	static const uint8_t cli_hlt[] = { 0xfa, 0xf4 };
	struct adv *a = &self->a;

	adv_load(a, cli_hlt, sizeof(cli_hlt), NULL);
	ASSERT_EQ(0, vm_run(&a->vm));
	EXPECT_EQ(KVM_EXIT_HLT, a->vm.run->exit_reason);
	adv_count(a);
}

/*
 * Triple faults end in KVM_EXIT_SHUTDOWN: an exception with an empty
 * IDT; one whose stack is not mapped (#PF while delivering, then #DF
 * that cannot be delivered either); INT3 through a not-present gate.
 */
TEST_F(adv, triple_faults_shut_down)
{
	/* lidt of a zero limit from (%rsi), then ud2 */
	static const uint8_t no_idt[] = { 0x0f, 0x01, 0x1e, 0x0f, 0x0b };
	/* mov %rax, %rsp; ud2 */
	static const uint8_t bad_stack[] = { 0x48, 0x89, 0xc4, 0x0f, 0x0b };
	static const uint8_t int3[] = { 0xcc };
	struct adv *a = &self->a;
	struct kvm_regs r = { .rsi = 0x20000, .rax = UNMAPPED + 0x1000 };
	uint8_t *gate3 = a->vm.mem + IDT_GPA + 3 * 16 + 5;
	uint8_t *gate8 = a->vm.mem + IDT_GPA + 8 * 16 + 5;
	uint8_t *gate11 = a->vm.mem + IDT_GPA + 11 * 16 + 5;
	struct outcome o;

	memset(a->vm.mem + 0x20000, 0, 10);
	adv_probe(a, no_idt, sizeof(no_idt), &r, &o);
	EXPECT_EQ(EXIT, o.end);
	EXPECT_EQ(KVM_EXIT_SHUTDOWN, o.reason);
	adv_count(a);

	ASSERT_EQ(0, adv_load_state(a, false));
	adv_probe(a, bad_stack, sizeof(bad_stack), &r, &o);
	EXPECT_EQ(EXIT, o.end);
	EXPECT_EQ(KVM_EXIT_SHUTDOWN, o.reason);
	adv_count(a);

	/* #BP's gate not present: #NP, whose gate is gone too, then #DF's. */
	*gate3 = *gate11 = *gate8 = 0x0e;
	ASSERT_EQ(0, adv_load_state(a, false));
	adv_probe(a, int3, sizeof(int3), NULL, &o);
	EXPECT_EQ(EXIT, o.end);
	EXPECT_EQ(KVM_EXIT_SHUTDOWN, o.reason);
	adv_count(a);
	*gate3 = *gate11 = *gate8 = 0x8e;

	/* The vCPU is usable again once given a state. */
	ASSERT_EQ(0, adv_load_state(a, false));
	adv_probe(a, int3 + 1, 0, NULL, &o);
	EXPECT_DONE(&o);
}

/*
 * Code that runs off the end of guest memory: the fetch from where no
 * slot is cannot be emulated (KVM_EXIT_INTERNAL_ERROR, emulation), a jump
 * past the guest's page tables is #PF (fetch, not present) and a jump to
 * a non-canonical address is #GP(0).
 */
TEST_F(adv, running_off_the_end_of_memory)
{
	/* jmp *%rax */
	static const uint8_t jmp[] = { 0xff, 0xe0 };
	struct adv *a = &self->a;
	struct kvm_regs r = { 0 };
	struct outcome o;
	int nx;

	/* NOPs up to the last byte of memory, then nothing. */
	memset(a->vm.mem + MEM_SIZE - 16, 0x90, 16);
	r.rax = MEM_SIZE - 16;
	adv_probe(a, jmp, sizeof(jmp), &r, &o);
	EXPECT_EQ(EXIT, o.end);
	EXPECT_EQ(KVM_EXIT_INTERNAL_ERROR, o.reason);
	EXPECT_EQ(KVM_INTERNAL_ERROR_EMULATION, a->vm.run->internal.suberror);
	EXPECT_EQ(MEM_SIZE, o.regs.rip);
	adv_count(a);

	/* The fetch bit of the error code is there only with EFER.NXE. */
	for (nx = 0; nx < 2; nx++) {
		struct kvm_sregs sr;

		adv_sregs(a, &sr, false);
		sr.efer |= nx ? 1 << 11 : 0;
		ASSERT_EQ(0, ioctl(a->vm.vcpu_fd, KVM_SET_SREGS, &sr));
		r.rax = UNMAPPED + 0x123;
		adv_probe(a, jmp, sizeof(jmp), &r, &o);
		EXPECT_EQ(EXCEPTION, o.end);
		EXPECT_EQ(PF, o.vector);
		EXPECT_EQ(nx ? 0x10 : 0, o.error);
		EXPECT_EQ(UNMAPPED + 0x123, o.rip);
		EXPECT_EQ(UNMAPPED + 0x123, o.cr2);
		adv_count(a);
	}

	r.rax = 0x0000900000000000ULL;
	adv_probe(a, jmp, sizeof(jmp), &r, &o);
	EXPECT_EQ(EXCEPTION, o.end);
	EXPECT_EQ(GP, o.vector);
	EXPECT_EQ(0, o.error);
	adv_count(a);
}

/*
 * 300 random states: the control registers, EFER, CR8, APIC base and
 * descriptor-table registers of a good long-mode state with random bits
 * flipped (not the segments: QEMU aborts the emulated machine when a
 * guest interrupt meets a not-present TR), given to KVM_SET_SREGS and run for at most 20 ms.  Each is
 * refused with EINVAL or ends in a defined exit; afterwards a good state
 * runs again.  (svmhv only: kvm_amd was seen to hang the emulated CPU on
 * states VMRUN refuses.)
 */
TEST_F(adv, random_states_end_defined)
{
	static const uint8_t nop[] = { 0x90 };
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval t = { .it_value = { .tv_usec = 20000 } };
	struct adv *a = &self->a;
	unsigned int s = 6;
	struct kvm_sregs sr;
	struct outcome o;
	int i, j, ret, refused = 0;

	if (!a->vm.is_svmhv)
		SKIP(return, "kvm_amd can hang the emulated CPU on bad states");
	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	for (i = 0; i < 300; i++) {
		adv_sregs(a, &sr, i & 1);
		for (j = 0; j < 1 + i % 3; j++) {
			uint64_t *w = (uint64_t *)&sr.gdt;
			/* From gdt to apic_base; not the interrupt bitmap. */
			int words = (offsetof(struct kvm_sregs,
					      interrupt_bitmap) -
				     offsetof(struct kvm_sregs, gdt)) / 8;

			w[rnd64(&s) % words] ^= 1ULL << (rnd64(&s) % 64);
		}
		ret = ioctl(a->vm.vcpu_fd, KVM_SET_SREGS, &sr);
		if (ret) {
			EXPECT_EQ(EINVAL, errno);
			refused++;
		} else {
			adv_load(a, nop, 1, NULL);
			setitimer(ITIMER_REAL, &t, NULL);
			adv_finish(a, &o);
			t.it_value.tv_usec = 0;
			setitimer(ITIMER_REAL, &t, NULL);
			t.it_value.tv_usec = 20000;
			EXPECT_NE(~0u, o.reason) TH_LOG("state %d: %s", i,
							strerror(errno));
		}
		adv_count(a);
		ASSERT_EQ(0, adv_load_state(a, false));
		adv_probe(a, nop, 1, NULL, &o);
		/* An exception the bad state raised may still be pending. */
		if (o.end == EXCEPTION)
			adv_probe(a, nop, 1, NULL, &o);
		EXPECT_DONE(&o);
	}
	TH_LOG("%d of 300 refused by KVM_SET_SREGS", refused);
}

TEST_HARNESS_MAIN
