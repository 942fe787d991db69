// SPDX-License-Identifier: GPL-2.0
/*
 * Isolation: state that a guest, or userspace through the vCPU ioctls,
 * could share with the host or another task, and ioctls that must leave
 * everything as it was when they fail.  Each test comes from a finding
 * of an outside review (issue 16; docs/security.md has the whole audit):
 *  - EFER.LMA is derived from LME and CR0.PG, whatever KVM_SET_MSRS asks
 *    for, so an unpaged guest never runs in long mode on tables built
 *    for another mode (it read host memory under shadow paging);
 *  - the guest reads its own TSC_AUX with RDTSCP and RDPID (or #UD),
 *    never the host CPU's number;
 *  - a slot move that fails leaves the slot; a move onto part of its own
 *    range keeps the contents;
 *  - a vCPU creation that fails for want of a file descriptor races the
 *    lockless readers of the vCPU table without a use after free (the
 *    debug kernel's KASAN is the judge);
 *  - a VMM that writes back unchanged registers after an I/O or MMIO
 *    exit does not lose the access's completion;
 *  - INVD and WBINVD are intercepted and skipped, RDPMC of a counter that
 *    is not offered is #GP(0);
 *  - the guest cannot turn on CR4.OSXSAVE while XSAVE is hidden, so it
 *    never reads AVX registers that svmhv does not switch;
 *  - the debug registers are the guest's own while the thread has a
 *    hardware breakpoint of its own, and the guest's #DBs (intercepted)
 *    reach it as the CPU would deliver them.
 * Runs on kvm_amd too ($SVMHV_DEVICE=/dev/kvm) as the reference: where
 * KVM offers what svmhv hides, either outcome that keeps the host's
 * state hidden is accepted, and the test says which it saw.
 *
 * Guest memory (2 MiB at 0, identity-mapped by vm_setup_long()):
 *   0x1000 GDT  0x2000-0x4fff page tables  0x6000 IDT  0x7000 stubs
 *   0x9800 exception handler  0x10000 the program  0x20000 a marker
 *   0x80000 stack
 */
#include <errno.h>
#include <linux/hw_breakpoint.h>
#include <linux/perf_event.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "svmhv_util.h"
#include "vm_util.h"
#include "isolation_code.h"
#include "../uapi/svmhv.h"

#define MEM_SIZE	(2UL << 20)
#define IDT_GPA		0x6000
#define STUB_GPA	0x7000
#define EXC_GPA		0x9800
#define CODE_GPA	0x10000
#define MARKER_GPA	0x20000
#define MARKER		0x600dcafeU
#define NR_VECTORS	32
#define PORT_OUT	0x10
#define PORT_OUT2	0x11
#define PORT_DR6	0x12
#define PORT_DB_RIP	0x13
#define PORT_VECTOR	0xe0
#define PORT_ERROR	0xe1
#define MSR_EFER_IDX	0xc0000080
#define EFER_LME	(1ULL << 8)
#define EFER_LMA	(1ULL << 10)

FIXTURE(iso) {
	struct vm vm;
};

FIXTURE_SETUP(iso)
{
	int ret;

	ASSERT_EQ(0, vm_device_up());
	ret = vm_create(&self->vm, MEM_SIZE);
	ASSERT_EQ(0, ret) TH_LOG("vm_create: %s", strerror(-ret));
}

FIXTURE_TEARDOWN(iso)
{
	vm_destroy(&self->vm);
}

/* Long mode with every exception reported by iso_exc. */
static void setup_long_idt(struct vm *vm, const void *code, size_t len)
{
	struct kvm_sregs sr;
	int v;

	vm_setup_long(vm, CODE_GPA, code, len);
	memcpy(vm->mem + EXC_GPA, iso_exc_start, ISO_LEN(iso_exc));
	for (v = 0; v < NR_VECTORS; v++)
		vm_set_idt_stub(vm, IDT_GPA, STUB_GPA, v, EXC_GPA,
				!vm_has_error_code(v));
	ioctl(vm->vcpu_fd, KVM_GET_SREGS, &sr);
	sr.idt.base = IDT_GPA;
	sr.idt.limit = NR_VECTORS * 16 - 1;
	ioctl(vm->vcpu_fd, KVM_SET_SREGS, &sr);
}

/*
 * 32-bit protected mode, paging off, flat segments, CR4.PAE set (where
 * a kernel sets EFER.LME before it turns paging on); code at CODE_GPA.
 */
static void setup_prot32(struct vm *vm, const void *code, size_t len)
{
	uint64_t *gdt = (uint64_t *)(vm->mem + 0x1000);
	struct kvm_regs regs = { .rip = CODE_GPA, .rflags = 2 };
	struct kvm_segment cs = {
		.selector = 8, .limit = 0xffffffff, .type = 0xb, .present = 1,
		.s = 1, .db = 1, .g = 1,
	};
	struct kvm_sregs sr;

	gdt[1] = 0x00cf9b000000ffffULL;
	gdt[2] = 0x00cf93000000ffffULL;
	memcpy(vm->mem + CODE_GPA, code, len);
	ioctl(vm->vcpu_fd, KVM_GET_SREGS, &sr);
	sr.cs = cs;
	sr.ds = cs;
	sr.ds.selector = 16;
	sr.ds.type = 3;
	sr.es = sr.fs = sr.gs = sr.ss = sr.ds;
	sr.gdt.base = 0x1000;
	sr.gdt.limit = 23;
	sr.cr0 = 0x11;				/* PE ET */
	sr.cr4 = 0x20;				/* PAE */
	sr.efer = 0;
	ioctl(vm->vcpu_fd, KVM_SET_SREGS, &sr);
	ioctl(vm->vcpu_fd, KVM_SET_REGS, &regs);
}

/* The next exit: KVM_EXIT_IO out, or HLT, or anything else (-1). */
struct out {
	int port;		/* 0 for HLT, -1 for another exit */
	uint32_t val;
};

static struct out next_out(struct vm *vm)
{
	struct out o = { .port = -1 };

	if (vm_run(vm))
		return o;
	if (vm->run->exit_reason == KVM_EXIT_HLT) {
		o.port = 0;
	} else if (vm->run->exit_reason == KVM_EXIT_IO &&
		   vm->run->io.direction == KVM_EXIT_IO_OUT) {
		o.port = vm->run->io.port;
		memcpy(&o.val, (char *)vm->run + vm->run->io.data_offset,
		       vm->run->io.size);
	}
	return o;
}

static int set_efer(struct vm *vm, uint64_t efer)
{
	struct {
		struct kvm_msrs m;
		struct kvm_msr_entry e;
	} msrs = { .m.nmsrs = 1, .e = { .index = MSR_EFER_IDX, .data = efer } };

	return ioctl(vm->vcpu_fd, KVM_SET_MSRS, &msrs);
}

static uint64_t get_efer(struct vm *vm)
{
	struct {
		struct kvm_msrs m;
		struct kvm_msr_entry e;
	} msrs = { .m.nmsrs = 1, .e.index = MSR_EFER_IDX };

	ioctl(vm->vcpu_fd, KVM_GET_MSRS, &msrs);
	return msrs.e.data;
}

/*
 * Userspace asks for long mode with paging off.  The guest must go on in
 * 32-bit protected mode on its own memory: under shadow paging svmhv ran
 * it in long mode on the tables it had built for an unpaged guest, where
 * a guest page was taken for a host page table.  Page 0, the entry such
 * a walk ends in, is left zero, so the bug makes the read fault.
 * (With CR4.PAE clear, EFER.LME set and paging off, the test machine's
 * emulated CPU stopped taking interrupts in the guest: docs/security.md.
 * The test keeps PAE set, as a kernel does at that point.)
 */
TEST_F(iso, efer_lma_comes_from_lme_and_paging)
{
	struct vm *vm = &self->vm;
	uint32_t marker = MARKER;
	struct out o;

	setup_prot32(vm, iso_prot32_read_start, ISO_LEN(iso_prot32_read));
	memcpy(vm->mem + MARKER_GPA, &marker, 4);
	ASSERT_EQ(1, set_efer(vm, EFER_LME | EFER_LMA));
	if (vm->is_svmhv)
		EXPECT_EQ(EFER_LME, get_efer(vm)) TH_LOG("LMA was taken as set");
	o = next_out(vm);
	ASSERT_EQ(PORT_OUT, o.port) TH_LOG("exit %u", vm->run->exit_reason);
	EXPECT_EQ(MARKER, o.val);
	EXPECT_EQ(0, next_out(vm).port);
}

/* The host's TSC_AUX on the CPU this thread runs on. */
static uint32_t host_tsc_aux(void)
{
	uint32_t lo, hi, aux;

	asm volatile("rdtscp" : "=a"(lo), "=d"(hi), "=c"(aux));
	return aux;
}

/* Run on the last CPU, where the host's TSC_AUX is not 0; or skip. */
static bool pin_to_last_cpu(void)
{
	int cpu = nr_cpus_configured() - 1;
	cpu_set_t set;

	if (cpu < 1)
		return false;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return !sched_setaffinity(0, sizeof(set), &set) && host_tsc_aux();
}

static void expect_own_tsc_aux(struct __test_metadata *_metadata,
			       struct vm *vm, const char *insn)
{
	uint32_t host = host_tsc_aux();
	struct out o = next_out(vm);

	if (o.port == PORT_VECTOR) {
		EXPECT_EQ(6, o.val) TH_LOG("%s: vector %u", insn, o.val);
		TH_LOG("%s is #UD here", insn);
		return;
	}
	ASSERT_EQ(PORT_OUT, o.port) TH_LOG("%s: exit %u", insn,
					   vm->run->exit_reason);
	/* The guest's TSC_AUX was never written: it is 0, not the host's. */
	EXPECT_EQ(0, o.val) TH_LOG("%s read %#x, the host's is %#x", insn,
				   o.val, host);
}

TEST_F(iso, guest_reads_its_own_tsc_aux)
{
	struct vm *vm = &self->vm;

	if (!pin_to_last_cpu())
		SKIP(return, "no CPU with a nonzero TSC_AUX to run on");
	setup_long_idt(vm, iso_rdtscp_start, ISO_LEN(iso_rdtscp));
	expect_own_tsc_aux(_metadata, vm, "RDTSCP");
	vm_destroy(vm);
	ASSERT_EQ(0, vm_create(vm, MEM_SIZE));
	setup_long_idt(vm, iso_rdpid_start, ISO_LEN(iso_rdpid));
	expect_own_tsc_aux(_metadata, vm, "RDPID");
}

static int set_slot(struct vm *vm, uint32_t slot, uint64_t gpa,
		    uint64_t size, void *mem)
{
	struct kvm_userspace_memory_region mr = {
		.slot = slot,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uintptr_t)mem,
	};

	return ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &mr);
}

/* Moving slot 0 onto slot 1 fails with EEXIST and changes nothing. */
TEST_F(iso, failed_slot_move_keeps_the_slot)
{
	struct vm *vm = &self->vm;
	void *mem1 = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_NE(MAP_FAILED, mem1);
	ASSERT_EQ(0, set_slot(vm, 1, 4UL << 20, MEM_SIZE, mem1));
	EXPECT_EQ(-1, set_slot(vm, 0, 4UL << 20, MEM_SIZE, vm->mem));
	EXPECT_EQ(EEXIST, errno);
	EXPECT_EQ(-1, set_slot(vm, 0, 5UL << 20, MEM_SIZE, vm->mem));
	EXPECT_EQ(EEXIST, errno);

	/* Slot 0 is still at 0: the guest runs from it. */
	vm_setup_real(vm, CODE_GPA, iso_real_out_start, ISO_LEN(iso_real_out));
	EXPECT_EQ(PORT_OUT, next_out(vm).port);
	EXPECT_EQ(0, next_out(vm).port);
	/* And it can be deleted, once. */
	EXPECT_EQ(0, set_slot(vm, 0, 0, 0, vm->mem));
	EXPECT_EQ(-1, set_slot(vm, 0, 0, 0, vm->mem));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, set_slot(vm, 1, 0, 0, mem1));
	munmap(mem1, MEM_SIZE);
}

/* A slot moved by half its size onto itself keeps its contents. */
TEST_F(iso, slot_moves_onto_part_of_itself)
{
	struct vm *vm = &self->vm;
	uint64_t *mem1 = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct kvm_regs regs;
	size_t i;

	ASSERT_NE(MAP_FAILED, mem1);
	for (i = 0; i < MEM_SIZE / 8; i++)
		mem1[i] = 0x5100000000ULL + i;
	ASSERT_EQ(0, set_slot(vm, 1, 4UL << 20, MEM_SIZE, mem1));
	ASSERT_EQ(0, set_slot(vm, 1, 5UL << 20, MEM_SIZE, mem1));

	setup_long_idt(vm, iso_load_start, ISO_LEN(iso_load));
	ioctl(vm->vcpu_fd, KVM_GET_REGS, &regs);
	regs.rdi = (5UL << 20) + 0x1008;
	ioctl(vm->vcpu_fd, KVM_SET_REGS, &regs);
	struct out o = next_out(vm);

	ASSERT_EQ(PORT_OUT, o.port) TH_LOG("exit %u", vm->run->exit_reason);
	EXPECT_EQ((uint32_t)mem1[0x1008 / 8], o.val);
	EXPECT_EQ(0, next_out(vm).port);
	EXPECT_EQ(0, set_slot(vm, 1, 0, 0, mem1));
	munmap(mem1, MEM_SIZE);
}

struct reader {
	struct vm *vm;
	bool stop;		/* __atomic */
	unsigned long calls;
};

/* What a VMM's other threads do while a vCPU is being created. */
static void *read_vcpu_table(void *arg)
{
	struct reader *r = arg;
	struct svmhv_vm_stats st;
	struct kvm_irq_level irq = { .irq = 4 };

	while (!__atomic_load_n(&r->stop, __ATOMIC_RELAXED)) {
		if (r->vm->is_svmhv)
			ioctl(r->vm->fd, SVMHV_GET_VM_STATS, &st);
		irq.level = !irq.level;
		ioctl(r->vm->fd, KVM_IRQ_LINE, &irq);
		__atomic_add_fetch(&r->calls, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

/* The lowest free descriptor number: the limit that leaves none. */
static int lowest_free_fd(void)
{
	int fd = dup(0);

	close(fd);
	return fd;
}

TEST(vcpu_creation_without_fds_races_the_readers)
{
	struct reader r = { 0 };
	struct vm vm;
	struct rlimit old, none;
	pthread_t t;
	int i, fd, refused = 0;

	ASSERT_EQ(0, vm_device_up());
	ASSERT_EQ(0, vm_create_bare(&vm, MEM_SIZE));
	ASSERT_EQ(0, ioctl(vm.fd, KVM_CREATE_IRQCHIP, 0));
	ASSERT_EQ(0, vm_create_vcpu0(&vm));
	r.vm = &vm;
	ASSERT_EQ(0, pthread_create(&t, NULL, read_vcpu_table, &r));
	/* With one CPU, the reader must be running before the creations. */
	while (!__atomic_load_n(&r.calls, __ATOMIC_RELAXED))
		sched_yield();

	ASSERT_EQ(0, getrlimit(RLIMIT_NOFILE, &old));
	none = old;
	none.rlim_cur = lowest_free_fd();
	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &none));
	for (i = 0; i < 300; i++) {
		fd = ioctl(vm.fd, KVM_CREATE_VCPU, 1);
		if (fd >= 0)
			break;
		refused += errno == EMFILE;
	}
	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &old));
	__atomic_store_n(&r.stop, true, __ATOMIC_RELAXED);
	pthread_join(t, NULL);
	EXPECT_EQ(300, refused) TH_LOG("created with no fd free: %d", fd);
	EXPECT_LT(0, r.calls);

	/* Nothing of the failed ones is left: id 1 is free. */
	fd = ioctl(vm.fd, KVM_CREATE_VCPU, 1);
	EXPECT_LE(0, fd) TH_LOG("KVM_CREATE_VCPU 1: %s", strerror(errno));
	if (fd >= 0)
		close(fd);
	vm_destroy(&vm);
}

/* Read the registers and write them back unchanged, as QEMU may. */
static void sync_regs(struct vm *vm)
{
	struct kvm_regs regs;
	struct kvm_sregs sregs;

	ioctl(vm->vcpu_fd, KVM_GET_REGS, &regs);
	ioctl(vm->vcpu_fd, KVM_GET_SREGS, &sregs);
	ioctl(vm->vcpu_fd, KVM_SET_SREGS, &sregs);
	ioctl(vm->vcpu_fd, KVM_SET_REGS, &regs);
}

TEST_F(iso, unchanged_registers_keep_the_io_completion)
{
	struct vm *vm = &self->vm;
	struct out o;

	setup_long_idt(vm, iso_in_out_start, ISO_LEN(iso_in_out));
	ASSERT_EQ(0, vm_run(vm));
	ASSERT_EQ(KVM_EXIT_IO, vm->run->exit_reason);
	ASSERT_EQ(KVM_EXIT_IO_IN, vm->run->io.direction);
	*((uint8_t *)vm->run + vm->run->io.data_offset) = 0x5a;
	sync_regs(vm);
	o = next_out(vm);
	EXPECT_EQ(0x21, o.port) TH_LOG("the IN ran again: exit %u dir %u",
				      vm->run->exit_reason,
				      vm->run->io.direction);
	EXPECT_EQ(0x5a, o.val & 0xff);
}

/*
 * The same for an MMIO load.  kvm_amd 6.1 completes it with 0 after the
 * unchanged KVM_SET_REGS (its emulator takes the registers back and
 * loses the value), so this one is svmhv's own.
 */
TEST_F(iso, unchanged_registers_keep_the_mmio_completion)
{
	struct vm *vm = &self->vm;
	uint32_t val = 0x13572468;
	struct out o;

	if (!vm->is_svmhv)
		SKIP(return, "kvm_amd loses the value: svmhv's own rule");

	setup_long_idt(vm, iso_mmio_out_start, ISO_LEN(iso_mmio_out));
	ASSERT_EQ(0, vm_run(vm));
	ASSERT_EQ(KVM_EXIT_MMIO, vm->run->exit_reason);
	ASSERT_EQ(0, vm->run->mmio.is_write);
	memcpy(vm->run->mmio.data, &val, 4);
	sync_regs(vm);
	o = next_out(vm);
	EXPECT_EQ(0x21, o.port) TH_LOG("the load ran again: exit %u",
				      vm->run->exit_reason);
	EXPECT_EQ(val, o.val);
}

/* KVM's rule: a new RIP drops the completion; the IN never finishes. */
TEST_F(iso, moved_rip_drops_the_io_completion)
{
	struct vm *vm = &self->vm;
	struct kvm_regs regs;

	setup_long_idt(vm, iso_in_out_start, ISO_LEN(iso_in_out));
	ASSERT_EQ(0, vm_run(vm));
	ASSERT_EQ(KVM_EXIT_IO, vm->run->exit_reason);
	*((uint8_t *)vm->run + vm->run->io.data_offset) = 0x5a;
	ioctl(vm->vcpu_fd, KVM_GET_REGS, &regs);
	regs.rax = 0x77;
	regs.rip += 2;				/* to the OUT */
	ioctl(vm->vcpu_fd, KVM_SET_REGS, &regs);
	struct out o = next_out(vm);

	EXPECT_EQ(0x21, o.port);
	EXPECT_EQ(0x77, o.val & 0xff);
}

static uint64_t other_exits(struct vm *vm)
{
	struct svmhv_vm_stats st;

	if (ioctl(vm->fd, SVMHV_GET_VM_STATS, &st))
		return 0;
	return st.exits[SVMHV_EXIT_OTHER];
}

TEST_F(iso, cache_and_counter_instructions_stay_the_guests)
{
	struct vm *vm = &self->vm;
	uint64_t before = other_exits(vm);
	struct out o;

	setup_long_idt(vm, iso_cache_pmc_start, ISO_LEN(iso_cache_pmc));
	o = next_out(vm);
	ASSERT_EQ(PORT_OUT, o.port) TH_LOG("exit %u", vm->run->exit_reason);
	EXPECT_EQ(0x55, o.val);
	o = next_out(vm);
	if (vm->is_svmhv) {
		/* No counters offered: #GP(0); INVD, WBINVD and it exited. */
		EXPECT_EQ(PORT_VECTOR, o.port);
		EXPECT_EQ(13, o.val);
		o = next_out(vm);
		EXPECT_EQ(PORT_ERROR, o.port);
		EXPECT_EQ(0, o.val);
		EXPECT_EQ(before + 3, other_exits(vm));
	} else {
		/* KVM offers a PMU: a count, or #GP where there is none. */
		EXPECT_TRUE(o.port == PORT_OUT2 || o.port == PORT_VECTOR)
			TH_LOG("exit %u port %d", vm->run->exit_reason, o.port);
	}
}

/* Put @hi in the upper half of this thread's YMM0. */
__attribute__((target("avx"))) static void ymm0_upper_set(uint64_t hi)
{
	asm volatile("vmovq %0, %%xmm1\n\t"
		     "vinsertf128 $1, %%xmm1, %%ymm0, %%ymm0"
		     : : "r"(hi) : "xmm0", "xmm1");
}

static bool host_has_avx(void)
{
	return __builtin_cpu_supports("avx");
}

/*
 * The host leaves a pattern in YMM0's upper half and runs a guest that
 * sets CR4.OSXSAVE and reads it.  svmhv hides XSAVE and does not switch
 * the AVX state: the MOV to CR4 must be #GP(0).  Where it is allowed
 * (kvm_amd offers XSAVE and switches the state), the guest must read
 * its own state, not the pattern, or meet an exception on the way (the
 * test machine's kvm_amd: #UD).  Without the CR4 intercept, svmhv's
 * guest kept the host's XCR0 and read the pattern.
 */
TEST_F(iso, guest_cannot_read_the_hosts_avx_state)
{
	const uint64_t pattern = 0xfeedface12345678ULL;
	struct vm *vm = &self->vm;
	struct out o;
	uint64_t got;

	if (!host_has_avx())
		SKIP(return, "no AVX on this CPU");
	ASSERT_EQ(0, vm_set_cpuid(vm));
	setup_long_idt(vm, iso_osxsave_start, ISO_LEN(iso_osxsave));
	ymm0_upper_set(pattern);
	o = next_out(vm);
	if (vm->is_svmhv) {
		ASSERT_EQ(PORT_VECTOR, o.port) TH_LOG("exit %u port %d",
						      vm->run->exit_reason,
						      o.port);
		EXPECT_EQ(13, o.val);
		return;
	}
	if (o.port == PORT_VECTOR) {
		/* kvm_amd in the test machine: #UD on the way, nothing read. */
		TH_LOG("the guest met vector %u before it read YMM0", o.val);
		return;
	}
	ASSERT_EQ(PORT_OUT, o.port) TH_LOG("exit %u", vm->run->exit_reason);
	got = o.val;
	o = next_out(vm);
	ASSERT_EQ(PORT_OUT2, o.port);
	got |= (uint64_t)o.val << 32;
	EXPECT_NE(pattern, got);
}

static uint32_t watched;	/* written with __atomic: the breakpoint sees it */

/* A hardware breakpoint on writes to `watched` by this thread (perf). */
static int watch_host_variable(void)
{
	struct perf_event_attr a = {
		.type = PERF_TYPE_BREAKPOINT,
		.size = sizeof(a),
		.bp_type = HW_BREAKPOINT_W,
		.bp_addr = (uintptr_t)&watched,
		.bp_len = HW_BREAKPOINT_LEN_4,
		.exclude_kernel = 1,
		.exclude_hv = 1,
	};

	return syscall(__NR_perf_event_open, &a, 0, -1, -1, 0);
}

static uint64_t hits(int fd)
{
	uint64_t n = 0;

	if (read(fd, &n, sizeof(n)) != sizeof(n))
		return -1;
	return n;
}

/*
 * The thread has a hardware breakpoint (the host's DR0-DR3 and DR7 hold
 * it) while its guest reads the debug registers: the guest sees its own
 * reset values, keeps what it writes across exits, and the host's
 * breakpoint still fires afterwards.  VMRUN switches only DR6 and DR7:
 * svmhv's guest read the host's DR0 and lost its DR1.
 */
/* The DR reads of iso_dr_read while this thread has a breakpoint. */
static void expect_own_debug_registers(struct __test_metadata *_metadata,
				       struct vm *vm)
{
	static const char *const name[] = { "DR0", "DR1", "DR2", "DR3", "DR7" };
	int fd = watch_host_variable(), i;
	struct out o;

	ASSERT_LE(0, fd) TH_LOG("perf_event_open: %s", strerror(errno));
	__atomic_store_n(&watched, 1, __ATOMIC_RELAXED);
	ASSERT_EQ(1, hits(fd)) TH_LOG("the host's breakpoint did not fire");
	setup_long_idt(vm, iso_dr_read_start, ISO_LEN(iso_dr_read));
	for (i = 0; i < 5; i++) {
		o = next_out(vm);
		ASSERT_EQ(PORT_OUT, o.port) TH_LOG("%s: exit %u port %d",
						   name[i], vm->run->exit_reason,
						   o.port);
		EXPECT_EQ(i < 4 ? 0 : 0x400, o.val)
			TH_LOG("%s read %#x; the host's breakpoint is at %p",
			       name[i], o.val, (void *)&watched);
	}
	EXPECT_EQ(PORT_OUT2, next_out(vm).port);
	EXPECT_EQ(PORT_OUT2, next_out(vm).port);
	o = next_out(vm);
	EXPECT_EQ(PORT_OUT, o.port);
	EXPECT_EQ(0x5a5a0000, o.val) TH_LOG("the guest's DR1 was lost");
	EXPECT_EQ(0, next_out(vm).port);
	__atomic_store_n(&watched, 2, __ATOMIC_RELAXED);
	EXPECT_EQ(2, hits(fd)) TH_LOG("the host's breakpoint is gone");
	close(fd);
}

TEST_F(iso, guest_sees_its_own_debug_registers)
{
	expect_own_debug_registers(_metadata, &self->vm);
}

/* The same after SVMHV_SET_MMU moved the vCPU, which resets its intercepts. */
TEST_F(iso, debug_registers_stay_the_guests_across_an_mmu_switch)
{
	struct vm *vm = &self->vm;
	struct svmhv_vm_stats st;

	if (!vm->is_svmhv)
		SKIP(return, "SVMHV_SET_MMU is svmhv's");
	ASSERT_EQ(0, ioctl(vm->fd, SVMHV_GET_VM_STATS, &st));
	if (ioctl(vm->fd, SVMHV_SET_MMU, st.mmu == SVMHV_MMU_NPT ?
		  SVMHV_MMU_SHADOW : SVMHV_MMU_NPT))
		SKIP(return, "one MMU only: %s", strerror(errno));
	expect_own_debug_registers(_metadata, vm);
}

/*
 * The guest's own #DBs reach its handler with the DR6 and the return
 * RIP the CPU would give: an instruction breakpoint on its own DR0
 * (svmhv intercepts #DB and gives it back) and the single-step trap
 * after an instruction svmhv steps over (CPUID), which svmhv lost.
 */
TEST_F(iso, guest_debug_exceptions_are_its_own)
{
	static const struct {
		const unsigned char *rip;
		uint32_t dr6;
		const char *what;
	} db[] = {
		{ iso_db_bp_here, 0x1, "instruction breakpoint" },
		{ iso_db_after_cpuid, 0x4000, "single step over CPUID" },
	};
	struct vm *vm = &self->vm;
	uint64_t before = other_exits(vm);
	struct out o;
	size_t i;

	setup_long_idt(vm, iso_db_start, ISO_LEN(iso_db));
	vm_set_idt_stub(vm, IDT_GPA, STUB_GPA, 1,
			CODE_GPA + (iso_db_handler - iso_db_start), true);
	for (i = 0; i < ARRAY_SIZE(db); i++) {
		o = next_out(vm);
		ASSERT_EQ(PORT_DR6, o.port) TH_LOG("%s: exit %u port %d (%#x)",
						   db[i].what,
						   vm->run->exit_reason,
						   o.port, o.val);
		EXPECT_EQ(db[i].dr6, o.val & 0x400f) TH_LOG("%s: DR6 %#x",
							   db[i].what, o.val);
		o = next_out(vm);
		ASSERT_EQ(PORT_DB_RIP, o.port);
		EXPECT_EQ(CODE_GPA + (db[i].rip - iso_db_start), o.val)
			TH_LOG("%s: returns to %#x", db[i].what, o.val);
	}
	EXPECT_EQ(0, next_out(vm).port);
	if (vm->is_svmhv)
		EXPECT_LE(before + ARRAY_SIZE(db), other_exits(vm));
}

/*
 * The CPU runs every guest with the host's CR4.MCE, so that a machine
 * check in guest mode is an #MC for the host, not a shutdown (the
 * emulator cannot show that part); the guest reads its own bit.
 */
TEST_F(iso, guest_reads_its_own_cr4_mce)
{
	struct vm *vm = &self->vm;
	struct kvm_sregs sr;
	uint32_t want[3];
	struct out o;
	int i;

	setup_long_idt(vm, iso_cr4_mce_start, ISO_LEN(iso_cr4_mce));
	ioctl(vm->vcpu_fd, KVM_GET_SREGS, &sr);
	ASSERT_EQ(0, sr.cr4 & 0x40) TH_LOG("CR4 %#llx", sr.cr4);
	want[0] = want[2] = sr.cr4;
	want[1] = sr.cr4 | 0x40;
	for (i = 0; i < 3; i++) {
		o = next_out(vm);
		ASSERT_EQ(PORT_OUT, o.port) TH_LOG("read %d: exit %u port %d",
						   i, vm->run->exit_reason,
						   o.port);
		EXPECT_EQ(want[i], o.val) TH_LOG("read %d", i);
	}
	EXPECT_EQ(0, next_out(vm).port);
	ioctl(vm->vcpu_fd, KVM_GET_SREGS, &sr);
	EXPECT_EQ(want[2], sr.cr4);
}

/*
 * A KVM_SET_MSRS whose list runs into an unmapped page is -EFAULT with
 * no MSR written: the list is copied in whole first, as KVM does (svmhv
 * wrote the entries before the fault).
 */
TEST_F(iso, msr_list_that_faults_writes_nothing)
{
	const uint32_t star = 0xc0000081;
	struct vm *vm = &self->vm;
	struct kvm_msrs *m;
	struct {
		struct kvm_msrs m;
		struct kvm_msr_entry e;
	} get = { .m.nmsrs = 1, .e.index = star };
	long page = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(0, munmap(p + page, page));
	/* Entry 0 ends the first page; entry 1 is in the unmapped one. */
	m = (struct kvm_msrs *)(p + page - sizeof(*m) -
				sizeof(struct kvm_msr_entry));
	m->nmsrs = 2;
	m->entries[0].index = star;
	m->entries[0].data = 0x0023001000000000ULL;
	EXPECT_EQ(-1, ioctl(vm->vcpu_fd, KVM_SET_MSRS, m));
	EXPECT_EQ(EFAULT, errno);
	ASSERT_EQ(1, ioctl(vm->vcpu_fd, KVM_GET_MSRS, &get));
	EXPECT_EQ(0, get.e.data) TH_LOG("STAR was written: %#llx",
				       (unsigned long long)get.e.data);
	munmap(p, page);
}

/*
 * A vCPU whose CR4 has a bit the shadow MMU does not run with (SMEP)
 * keeps the VM on NPT: SVMHV_SET_MMU is EINVAL (svmhv only).
 */
TEST_F(iso, mmu_switch_checks_the_vcpus_cr4)
{
	struct vm *vm = &self->vm;
	struct svmhv_vm_stats st;
	struct kvm_sregs sr;

	if (!vm->is_svmhv)
		SKIP(return, "SVMHV_SET_MMU is svmhv's");
	if (ioctl(vm->fd, SVMHV_SET_MMU, SVMHV_MMU_NPT))
		SKIP(return, "no NPT: %s", strerror(errno));
	setup_long_idt(vm, iso_real_out_start, 1);
	ioctl(vm->vcpu_fd, KVM_GET_SREGS, &sr);
	sr.cr4 |= 1 << 20;				/* SMEP */
	if (ioctl(vm->vcpu_fd, KVM_SET_SREGS, &sr))
		SKIP(return, "no SMEP on this CPU");
	EXPECT_EQ(-1, ioctl(vm->fd, SVMHV_SET_MMU, SVMHV_MMU_SHADOW));
	EXPECT_EQ(EINVAL, errno);
	ASSERT_EQ(0, ioctl(vm->fd, SVMHV_GET_VM_STATS, &st));
	EXPECT_EQ(SVMHV_MMU_NPT, st.mmu);
	sr.cr4 &= ~(1ULL << 20);
	ASSERT_EQ(0, ioctl(vm->vcpu_fd, KVM_SET_SREGS, &sr));
	EXPECT_EQ(0, ioctl(vm->fd, SVMHV_SET_MMU, SVMHV_MMU_SHADOW));
}

TEST_HARNESS_MAIN
