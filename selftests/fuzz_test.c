// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl fuzzer: random ioctls with random and boundary arguments on
 * random file descriptors (system, VM, vCPU, closed, duplicated) from
 * several threads, with mmap/munmap of the run page and slot memory in
 * between, and KVM_RUN of guests whose memory is random bytes.  Every
 * call must return; the test machine's runner fails the boot on any
 * kernel report, and at the end nothing may stay pinned or hold the
 * module.
 *
 * fuzz_test [IOCTLS [SEED]] (default 20000 ioctls): the seed is printed,
 * and the same seed gives each thread the same sequence of calls (how
 * the threads interleave on the shared descriptors still varies).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "svmhv_util.h"
#include "vm_util.h"
#include "../uapi/svmhv.h"

#define NR_THREADS	4
#define NR_FDS		16
#define BUF_SIZE	8192
#define MAX_ERRNO	4096

static const unsigned long cmds[] = {
	KVM_GET_API_VERSION, KVM_CREATE_VM, KVM_CHECK_EXTENSION,
	KVM_GET_VCPU_MMAP_SIZE, KVM_GET_SUPPORTED_CPUID,
	KVM_GET_MSR_INDEX_LIST, KVM_SET_USER_MEMORY_REGION, KVM_CREATE_VCPU,
	KVM_SET_TSS_ADDR, KVM_RUN, KVM_GET_REGS, KVM_SET_REGS,
	KVM_GET_SREGS, KVM_SET_SREGS, KVM_SET_CPUID2, KVM_GET_MSRS,
	KVM_SET_MSRS, KVM_GET_FPU, KVM_SET_FPU, SVMHV_GET_VM_STATS,
	SVMHV_SET_MMU,
	KVM_IRQ_LINE, KVM_CREATE_IRQCHIP, KVM_CREATE_PIT2, SVMHV_CREATE_UART,
	SVMHV_ENABLE_PC_PORTS, KVM_GET_DIRTY_LOG,
	KVM_GET_VCPU_EVENTS, KVM_SET_VCPU_EVENTS, KVM_GET_DEBUGREGS,
	KVM_SET_DEBUGREGS, KVM_GET_XSAVE, KVM_SET_XSAVE, KVM_GET_MP_STATE,
	KVM_SET_MP_STATE, KVM_GET_CPUID2, KVM_ENABLE_CAP,
	KVM_SET_NR_MMU_PAGES, KVM_GET_NR_MMU_PAGES,
	KVM_GET_MSR_FEATURE_INDEX_LIST, KVM_HAS_DEVICE_ATTR,
	KVM_GET_DEVICE_ATTR, KVM_SET_DEVICE_ATTR, KVM_X86_SET_MSR_FILTER,
	KVM_INTERRUPT, KVM_NMI, KVM_SET_SIGNAL_MASK, KVM_GET_TSC_KHZ,
	KVM_X86_SETUP_MCE, KVM_X86_SET_MCE, KVM_X86_GET_MCE_CAP_SUPPORTED,
	KVM_SET_GSI_ROUTING,
	_IO(KVMIO, 0xff), _IO(SVMHVIO, 0xff),
};

struct fuzzer {
	int fds[NR_FDS];		/* shared by all threads, racily */
	void *maps[NR_FDS];
	long calls;
	unsigned int seed;
	long target;
	long errnos[MAX_ERRNO + 1];	/* [MAX_ERRNO]: anything larger */
	unsigned long last_cmd[MAX_ERRNO + 1];	/* an ioctl that gave it */
};

/*
 * What a KVM-API call may fail with here: the errnos svmhv's ioctls
 * return (ENXIO: a device that needs the irqchip, as KVM_IRQ_LINE in
 * KVM; EPERM: KVM_SET_CPUID2 enabling AMX tile data, as KVM), EBADF for
 * a descriptor another thread closed, and what the kernel gives for new
 * descriptors (EMFILE, ENFILE) and pinning (EAGAIN).  The ioctl behind
 * each errno is printed: two runs of 2026-12-06 each met one EPERM from
 * an ioctl not known yet (docs/kvm-selftests.md, "Next").
 */
static const int allowed_errnos[] = {
	EINVAL, EFAULT, ENOTTY, EBADF, E2BIG, EEXIST, EBUSY, ENOENT, ENODEV,
	EINTR, ENOMEM, EOPNOTSUPP, EAGAIN, EMFILE, ENFILE, ENXIO, EPERM,
};

static struct fuzzer fz;

/* Count the errno of a failed call, and remember the ioctl. */
static void count_errno(unsigned long cmd)
{
	int e = errno < MAX_ERRNO && errno > 0 ? errno : MAX_ERRNO;

	__atomic_add_fetch(&fz.errnos[e], 1, __ATOMIC_RELAXED);
	__atomic_store_n(&fz.last_cmd[e], cmd, __ATOMIC_RELAXED);
}

static unsigned int rnd(unsigned int *s)
{
	*s = *s * 1103515245 + 12345;
	return *s >> 8;
}

static uint64_t boundary(unsigned int *s)
{
	static const uint64_t v[] = {
		0, 1, 2, 0xfff, 0x1000, 0x100000, 0x7fffffff, 0x80000000,
		0xffffffff, 1ULL << 47, 1ULL << 48, ~0ULL, ~0ULL << 12,
	};

	return rnd(s) & 1 ? v[rnd(s) % ARRAY_SIZE(v)] :
			    (uint64_t)rnd(s) << 32 | rnd(s);
}

/* Fill a buffer the size of any ioctl argument with plausible junk. */
static void fill(unsigned int *s, uint8_t *buf)
{
	uint64_t *w = (uint64_t *)buf;
	int i;

	for (i = 0; i < BUF_SIZE / 8; i++)
		w[i] = rnd(s) % 4 ? boundary(s) : 0;
	/* Counts at the start (nent, nmsrs) small enough to be read. */
	if (rnd(s) & 1)
		w[0] = rnd(s) % 300;
}

/* A pointer argument: good memory, NULL, unmapped or kernel space. */
static unsigned long pointer(unsigned int *s, uint8_t *buf)
{
	switch (rnd(s) % 8) {
	case 0: return 0;
	case 1: return 0x10;
	case 2: return 0xffffffff81000000UL;
	case 3: return (unsigned long)buf + BUF_SIZE - 8;
	default: return (unsigned long)buf;
	}
}

/*
 * Random code in slot 0, so KVM_RUN exercises the exit handlers; a third
 * of the slots log dirty pages, and now and then the flags are junk.
 */
static void add_memory(unsigned int *s, int vm)
{
	struct kvm_userspace_memory_region mr = {
		.slot = rnd(s) % 3, .guest_phys_addr = (rnd(s) % 4) << 20,
		.memory_size = 1 << 20,
		.flags = rnd(s) % 3 ? 0 : KVM_MEM_LOG_DIRTY_PAGES,
	};
	uint8_t *mem;
	unsigned int i;

	mem = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return;
	for (i = 0; i < 4096; i++)
		mem[0xff000 + i] = rnd(s);	/* reset vector page */
	mr.userspace_addr = (uintptr_t)mem;
	/* A ROM now and then: its guest's writes exit as MMIO. */
	if (!(rnd(s) % 4))
		mr.flags |= KVM_MEM_READONLY;
	if (!(rnd(s) % 16))
		mr.flags = rnd(s);
	ioctl(vm, KVM_SET_USER_MEMORY_REGION, &mr);
	if (rnd(s) & 1)
		munmap(mem, 1 << 20);	/* pinned pages outlive the mapping */
}

/*
 * KVM_GET_DIRTY_LOG on a slot that may log, with a bitmap pointer that
 * may be good; or slot ids and address spaces at the edges.
 */
static void get_dirty_log(unsigned int *s, int fd, uint8_t *buf)
{
	struct kvm_dirty_log log = { .slot = rnd(s) % 4 };

	if (!(rnd(s) % 4))
		log.slot = rnd(s) % 2 ? (rnd(s) % 4) << 16 | log.slot :
					boundary(s);
	log.dirty_bitmap = (void *)pointer(s, buf);
	if (ioctl(fd, KVM_GET_DIRTY_LOG, &log) < 0)
		count_errno(KVM_GET_DIRTY_LOG);
	__atomic_add_fetch(&fz.calls, 1, __ATOMIC_RELAXED);
}

/* Keep a new descriptor in the table, closing the one it replaces. */
static void keep_fd(unsigned int *s, int fd)
{
	close(__atomic_exchange_n(&fz.fds[rnd(s) % NR_FDS], fd,
				  __ATOMIC_RELAXED));
}

/*
 * A routing table of a few entries, mostly of the kinds a VMM gives
 * (PIC and IOAPIC pins, MSIs), so the devices' lines may go elsewhere.
 */
static void add_routing(unsigned int *s, int vm)
{
	struct {
		struct kvm_irq_routing r;
		struct kvm_irq_routing_entry e[8];
	} t = { .r.nr = rnd(s) % 9 };
	unsigned int i;

	for (i = 0; i < t.r.nr; i++) {
		t.e[i].gsi = rnd(s) % 8 ? rnd(s) % 32 : rnd(s);
		t.e[i].type = rnd(s) % 8 ? KVM_IRQ_ROUTING_IRQCHIP : rnd(s) % 6;
		t.e[i].u.irqchip.irqchip = rnd(s) % 4;
		t.e[i].u.irqchip.pin = rnd(s) % 10;
	}
	ioctl(vm, KVM_SET_GSI_ROUTING, &t);
}

/*
 * Some of the in-kernel devices, before any vCPU (the irqchip must come
 * first), so the random guests meet them; the UART's file is kept.
 */
static void add_devices(unsigned int *s, int vm)
{
	struct kvm_pit_config pit = { 0 };
	int fd;

	ioctl(vm, KVM_CREATE_IRQCHIP, 0);
	if (rnd(s) % 4 == 0)
		add_routing(s, vm);
	if (rnd(s) % 2)
		ioctl(vm, KVM_CREATE_PIT2, &pit);
	if (rnd(s) % 2)
		ioctl(vm, SVMHV_ENABLE_PC_PORTS, 0);
	if (rnd(s) % 2) {
		fd = ioctl(vm, SVMHV_CREATE_UART, 0);
		if (fd >= 0)
			keep_fd(s, fd);
	}
}

/*
 * MSR accesses that exit to userspace for random reasons, through a
 * filter of random ranges over the MSRs random code is likely to touch;
 * nobody answers the exits but the next KVM_RUN.
 */
static void add_msr_exits(unsigned int *s, int vm)
{
	struct kvm_enable_cap cap = { .cap = KVM_CAP_X86_USER_SPACE_MSR };
	struct kvm_msr_filter f = { .flags = rnd(s) % 2 };
	uint8_t bitmap[KVM_MSR_FILTER_MAX_BITMAP_SIZE];
	unsigned int i, n = rnd(s) % 4;

	cap.args[0] = rnd(s) % 8;
	ioctl(vm, KVM_ENABLE_CAP, &cap);
	for (i = 0; i < sizeof(bitmap); i++)
		bitmap[i] = rnd(s);
	for (i = 0; i < n; i++)
		f.ranges[i] = (struct kvm_msr_filter_range) {
			.flags = rnd(s) % 4, .nmsrs = rnd(s) % 0x3000,
			.base = rnd(s) % 2 ? 0 : 0xc0000000, .bitmap = bitmap,
		};
	ioctl(vm, KVM_X86_SET_MSR_FILTER, &f);
}

static void one_call(unsigned int *s, uint8_t *buf)
{
	int slot = rnd(s) % NR_FDS, fd = __atomic_load_n(&fz.fds[slot],
							 __ATOMIC_RELAXED);
	unsigned long cmd, arg;
	int ret;

	switch (rnd(s) % 16) {
	case 0:		/* open, dup or close something */
		if (rnd(s) & 1) {
			ret = rnd(s) & 1 ? open(SVMHV_DEV, O_RDWR) : dup(fd);
			fd = __atomic_exchange_n(&fz.fds[slot], ret,
						 __ATOMIC_RELAXED);
		}
		close(fd);
		return;
	case 1:		/* a VM, maybe with memory, maybe with a vCPU */
		ret = ioctl(fd, KVM_CREATE_VM, rnd(s) % 8 ? 0 : rnd(s));
		/* Half the new VMs run under shadow paging (svmhv only). */
		if (ret >= 0 && rnd(s) % 2)
			ioctl(ret, SVMHV_SET_MMU, SVMHV_MMU_SHADOW);
		if (ret >= 0 && rnd(s) % 2)
			add_memory(s, ret);
		if (ret >= 0 && rnd(s) % 2)
			add_devices(s, ret);
		if (ret >= 0 && rnd(s) % 2)
			add_msr_exits(s, ret);
		if (ret >= 0 && rnd(s) % 2)
			close(ioctl(ret, KVM_CREATE_VCPU, rnd(s) % 20));
		if (ret >= 0)
			keep_fd(s, ret);
		return;
	case 2:		/* map or unmap a run page */
		if (rnd(s) & 1) {
			void *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
				       MAP_SHARED, fd, (rnd(s) % 3) * 4096);

			if (m != MAP_FAILED)
				m = __atomic_exchange_n(&fz.maps[slot], m,
							__ATOMIC_RELAXED);
			else
				m = NULL;
			if (m)
				munmap(m, 8192);
		}
		return;
	case 3:
		add_memory(s, fd);
		return;
	case 4:
		get_dirty_log(s, fd, buf);
		return;
	}
	cmd = rnd(s) % 8 ? cmds[rnd(s) % ARRAY_SIZE(cmds)] :
			   _IOC(rnd(s) % 4, KVMIO, rnd(s) % 256, rnd(s) % 512);
	fill(s, buf);
	arg = rnd(s) % 3 ? pointer(s, buf) : boundary(s);
	if (cmd == KVM_RUN)
		arg = 0;
	if (cmd == SVMHV_SET_MMU && rnd(s) % 4)
		arg = rnd(s) % 4;	/* mostly the modes and their neighbours */
	if ((cmd == SVMHV_CREATE_UART || cmd == SVMHV_ENABLE_PC_PORTS) &&
	    rnd(s) % 2)
		arg = 0;		/* the only good argument */
	/* SIGUSR1 must still end the KVM_RUN of a looping guest. */
	if (cmd == KVM_SET_SIGNAL_MASK)
		buf[4 + (SIGUSR1 - 1) / 8] &= ~(1 << ((SIGUSR1 - 1) % 8));
	ret = ioctl(fd, cmd, arg);
	if (ret < 0)
		count_errno(cmd);
	/* New descriptors go into the table, so all are closed at the end. */
	if (ret >= 0 && (cmd == KVM_CREATE_VM || cmd == KVM_CREATE_VCPU ||
			 cmd == SVMHV_CREATE_UART))
		keep_fd(s, ret);
	__atomic_add_fetch(&fz.calls, 1, __ATOMIC_RELAXED);
}

static void on_tick(int sig)
{
}

/* A per-thread timer so KVM_RUN of a looping guest returns EINTR. */
static void start_ticks(void)
{
	struct sigevent ev = { .sigev_notify = SIGEV_THREAD_ID,
			       .sigev_signo = SIGUSR1 };
	struct itimerspec its = { { 0, 5000000 }, { 0, 5000000 } };
	timer_t t;

	ev._sigev_un._tid = syscall(SYS_gettid);
	if (!timer_create(CLOCK_MONOTONIC, &ev, &t))
		timer_settime(t, 0, &its, NULL);
}

static void *fuzz_thread(void *arg)
{
	unsigned int s = fz.seed + (uintptr_t)arg * 7919;
	uint8_t *buf;
	long i;

	/* The argument buffer ends at a guard page, for half-valid pointers. */
	buf = mmap(NULL, BUF_SIZE + 4096, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		return NULL;
	mprotect(buf + BUF_SIZE, 4096, PROT_NONE);
	start_ticks();
	/* Until the threads together have made the ioctls asked for. */
	for (i = 0; __atomic_load_n(&fz.calls, __ATOMIC_RELAXED) < fz.target &&
	     i < 8 * fz.target; i++)
		one_call(&s, buf);
	munmap(buf, BUF_SIZE + 4096);
	return NULL;
}

static long fuzz_calls = 20000;
static unsigned int fuzz_seed;

FIXTURE(fuzz) {
};

FIXTURE_SETUP(fuzz)
{
}

FIXTURE_TEARDOWN(fuzz)
{
}

/* Minutes on the debug kernel (KASAN) when the test machine is busy. */
TEST_F_TIMEOUT(fuzz, random_ioctls_from_many_threads, 1200)
{
	struct sigaction sa = { .sa_handler = on_tick };
	pthread_t t[NR_THREADS];
	int i;

	if (!module_loaded("svmhv"))
		ASSERT_EQ(0, svmhv_load());
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	fz.seed = fuzz_seed;
	fz.target = fuzz_calls;
	TH_LOG("seed %u, %ld calls (rerun: fuzz_test %ld %u)", fz.seed,
	       fuzz_calls, fuzz_calls, fz.seed);
	for (i = 0; i < NR_FDS; i++)
		fz.fds[i] = open(SVMHV_DEV, O_RDWR);
	for (i = 0; i < NR_THREADS; i++) {
		ASSERT_EQ(0, pthread_create(&t[i], NULL, fuzz_thread,
					    (void *)(uintptr_t)i));
	}
	for (i = 0; i < NR_THREADS; i++)
		pthread_join(t[i], NULL);
	for (i = 0; i < NR_FDS; i++) {
		close(fz.fds[i]);
		if (fz.maps[i])
			munmap(fz.maps[i], 8192);
	}
	printf("# fuzz: %ld ioctls, seed %u\n", fz.calls, fz.seed);
	printf("# svmhv-metric: fuzz-ioctls %ld\n", fz.calls);
	for (i = 1; i <= MAX_ERRNO; i++) {
		bool known = false;
		int j;

		if (!fz.errnos[i])
			continue;
		for (j = 0; j < ARRAY_SIZE(allowed_errnos); j++)
			known |= allowed_errnos[j] == i;
		printf("# errno %d (%s): %ld (last from ioctl %#lx)\n", i,
		       i < MAX_ERRNO ? strerror(i) : "out of range",
		       fz.errnos[i], fz.last_cmd[i]);
		EXPECT_TRUE(known) TH_LOG("errno %d is not a KVM API errno", i);
	}
	EXPECT_LE(fuzz_calls, fz.calls);
	/* Everything was closed: nothing may still hold the module. */
	EXPECT_EQ(0, svmhv_unload());
}

int main(int argc, char **argv)
{
	if (argc > 1)
		fuzz_calls = strtol(argv[1], NULL, 0);
	fuzz_seed = argc > 2 ? strtoul(argv[2], NULL, 0) : (unsigned int)time(NULL);
	return test_harness_run(1, argv);
}
