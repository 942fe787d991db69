// SPDX-License-Identifier: GPL-2.0
/*
 * VM lifetimes and memory: two VMs at once on two CPUs, a vCPU thread
 * that moves between CPUs on every run, file descriptors closed in every
 * order, module unload refused while anything is open, guest memory
 * round trips on every backing, RLIMIT_MEMLOCK accounting of pinned
 * memory, and teardown races: while vCPUs run guest code another thread
 * deletes a slot (or, under two vCPUs, deletes and re-creates it), unmaps
 * its backing, closes the VM and system fds (or every handle), SIGKILLs
 * the process, or takes CPU 1 offline and back; a slot's backing is
 * unmapped while it is being pinned; and 1000 VMs are created, run and
 * destroyed.  After each, svmhv's pinned
 * pages (debugfs pinned_pages), this process's locked memory (VmLck) and,
 * after the 1000, the MMUs' table pages are back where they were; the
 * debug kernel's kmemleak suite then looks for leaks.
 *
 * Under $SVMHV_DEVICE=/dev/kvm the tests run on kvm_amd, which pins
 * nothing for a slot: the counters must then simply not move, and what
 * only svmhv has (its debugfs, unloading it, pinning) is skipped.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/capability.h>

#include "kselftest_harness.h"
#include "svmhv_util.h"
#include "vm_util.h"
#include "guest_code.h"
#include "svmhv.h"

#define CODE_GPA	0x10000
#define DATA_GPA	0x100000
#define STEPS		200
#define CYCLES		1000
#define PAGE_KB		4
#define PINNED_PAGES	"/sys/kernel/debug/svmhv/pinned_pages"
#define MMU_PAGES	"/sys/kernel/debug/svmhv/mmu_pages"

/*
 * Add 1 to the 64-bit word at guest-physical RDI, forever: a guest that
 * never exits on its own and shows the host that it runs.
 */
static const unsigned char bump[] = {
	0x48, 0xff, 0x07,	/* 1: incq (%rdi) */
	0xeb, 0xfb,		/*    jmp 1b */
};

/* svmhv, or kvm_amd under $SVMHV_DEVICE=/dev/kvm. */
static void load_svmhv(struct __test_metadata *_metadata)
{
	ASSERT_EQ(0, vm_device_up());
}

static void pin_to_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static long vm_locked_kb(void)
{
	char buf[4096], *p;

	if (read_file("/proc/self/status", buf, sizeof(buf)) <= 0)
		return -1;
	p = strstr(buf, "VmLck:");
	return p ? strtol(p + 6, NULL, 10) : -1;
}

/* A number after @key (or the first one) in a small file; -1 if none. */
static long read_count(const char *path, const char *key)
{
	char buf[256], *p = buf;

	if (read_file(path, buf, sizeof(buf)) <= 0)
		return -1;
	if (key) {
		p = strstr(buf, key);
		if (!p)
			return -1;
		p += strlen(key);
	}
	return strtol(p, NULL, 10);
}

/* What the host holds for guests: compared before and after each race. */
struct held {
	long pinned;	/* svmhv's pinned pages over all VMs; 0 on kvm_amd */
	long locked_kb;	/* this process's VmLck */
};

static struct held held_now(void)
{
	return (struct held){
		.pinned = vm_device_is_svmhv() ? read_count(PINNED_PAGES, NULL)
					       : 0,
		.locked_kb = vm_locked_kb(),
	};
}

static struct held held_base(struct __test_metadata *_metadata)
{
	struct held h = held_now();

	ASSERT_LE(0, h.pinned) TH_LOG("no %s", PINNED_PAGES);
	ASSERT_LE(0, h.locked_kb) TH_LOG("no VmLck in /proc/self/status");
	return h;
}

/*
 * svmhv holds @pages (4K) pages pinned more than at @base, and this
 * process has as much more locked; kvm_amd pins nothing for a slot, so
 * there nothing may have moved.
 */
#define EXPECT_HELD(base, pages, when) do {				\
	long __pages = vm_device_is_svmhv() ? (pages) : 0;		\
	struct held __now = held_now();					\
									\
	EXPECT_EQ((base).pinned + __pages, __now.pinned)		\
		TH_LOG("pinned pages %s", when);			\
	EXPECT_EQ((base).locked_kb + __pages * PAGE_KB, __now.locked_kb) \
		TH_LOG("VmLck %s", when);				\
} while (0)

/* A fixture only for the timeout: these take minutes on the debug kernel. */
FIXTURE(slow) {};
FIXTURE_SETUP(slow) {}
FIXTURE_TEARDOWN(slow) {}

/*
 * vCPU @id of @vm as a struct vm of its own: the VM's fds and memory,
 * its own vCPU fd and run page (release them with vm_remove_vcpu()).
 */
static int vm_add_vcpu(struct vm *vm, struct vm *v, int id)
{
	*v = *vm;
	v->run = NULL;
	v->vcpu_fd = ioctl(vm->fd, KVM_CREATE_VCPU, id);
	if (v->vcpu_fd < 0)
		return -errno;
	v->run = mmap(NULL, v->run_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		      v->vcpu_fd, 0);
	return v->run == MAP_FAILED ? -errno : 0;
}

static void vm_remove_vcpu(struct vm *v)
{
	if (v->run && v->run != MAP_FAILED)
		munmap(v->run, v->run_size);
	if (v->vcpu_fd >= 0)
		close(v->vcpu_fd);
}

/* The bump guest on @vm's vCPU, counting at guest-physical @gpa. */
static void setup_bump(struct vm *vm, uint64_t gpa)
{
	struct kvm_regs regs;

	vm_setup_long(vm, CODE_GPA, bump, sizeof(bump));
	ioctl(vm->vcpu_fd, KVM_GET_REGS, &regs);
	regs.rdi = gpa;
	ioctl(vm->vcpu_fd, KVM_SET_REGS, &regs);
}

/*
 * How long a test waits for a guest to do what it must: well inside the
 * harness's 30 s, so a guest that never does it fails an assertion that
 * says what it waited for instead of timing the test out.
 */
#define WAIT_MS		10000

/* CLOCK_MONOTONIC in milliseconds. */
static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

/* Wait until the 64-bit word at @p moves from @from; false after WAIT_MS. */
static bool word_moves(uint64_t *p, uint64_t from)
{
	long long end = now_ms() + WAIT_MS;

	do {
		if (__atomic_load_n(p, __ATOMIC_RELAXED) != from)
			return true;
		usleep(1000);
	} while (now_ms() < end);
	return false;
}

/* Run the counter guest for @steps port exits; true if it counted right. */
static bool count_steps(struct vm *vm, int steps, bool migrate)
{
	uint32_t v;
	int i;

	for (i = 1; i <= steps; i++) {
		if (migrate)
			pin_to_cpu(i % 2);
		if (vm_run(vm) || vm->run->exit_reason != KVM_EXIT_IO ||
		    vm->run->io.port != 0x11)
			return false;
		memcpy(&v, (char *)vm->run + vm->run->io.data_offset, 4);
		if (v != (uint32_t)i)
			return false;
	}
	return true;
}

struct runner {
	int cpu;
	bool ok;
};

static void *run_on_cpu(void *arg)
{
	struct runner *r = arg;
	struct vm vm;

	pin_to_cpu(r->cpu);
	r->ok = !vm_create(&vm, 2 << 20);
	if (r->ok) {
		vm_setup_long(&vm, CODE_GPA, counter_start,
			      GUEST_LEN(counter));
		r->ok = count_steps(&vm, STEPS, false);
	}
	vm_destroy(&vm);
	return NULL;
}

TEST(two_vms_run_at_once_on_two_cpus)
{
	struct runner r[2] = { { .cpu = 0 }, { .cpu = 1 } };
	pthread_t t[2];
	int i;

	load_svmhv(_metadata);
	if (nr_cpus_configured() < 2 || cpu_online(1) != 1)
		SKIP(return, "needs two CPUs");
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, pthread_create(&t[i], NULL, run_on_cpu, &r[i]));
	for (i = 0; i < 2; i++) {
		pthread_join(t[i], NULL);
		EXPECT_TRUE(r[i].ok) TH_LOG("VM on cpu%d", i);
	}
}

TEST(vcpu_moves_between_cpus_on_every_run)
{
	struct vm vm;

	load_svmhv(_metadata);
	if (nr_cpus_configured() < 2 || cpu_online(1) != 1)
		SKIP(return, "needs two CPUs");
	ASSERT_EQ(0, vm_create(&vm, 2 << 20));
	vm_setup_long(&vm, CODE_GPA, counter_start, GUEST_LEN(counter));
	EXPECT_TRUE(count_steps(&vm, STEPS, true));
	vm_destroy(&vm);
}

struct spinner {
	struct vm *vm;
	int cpu;		/* -1: anywhere */
	int stop;		/* read and written with __atomic */
	int runs;
	int mmio_exits;
	int done;		/* the thread has left its loop */
	uint32_t value;		/* the report guest's last word */
	int lost;		/* SVMHV_INTERNAL_ERROR_LOST_STATE came */
	bool ok;
	char bad[128];		/* the first unexpected exit or error */
	struct __test_metadata *meta;	/* the test's, for skip_if_lost() */
};

/* Note what went wrong first on @s. */
static void spinner_bad(struct spinner *s, const char *what, int n)
{
	if (s->ok)
		snprintf(s->bad, sizeof(s->bad), "%s %d", what, n);
	s->ok = false;
}

/* Run the report guest until told to stop; every exit must be expected. */
static void *spin_vcpu(void *arg)
{
	struct spinner *s = arg;
	struct kvm_run *run = s->vm->run;
	uint32_t v;

	if (s->cpu >= 0)
		pin_to_cpu(s->cpu);
	s->ok = true;
	while (!__atomic_load_n(&s->stop, __ATOMIC_ACQUIRE)) {
		if (vm_run(s->vm)) {
			spinner_bad(s, "KVM_RUN errno", errno);
			break;
		}
		if (run->exit_reason == KVM_EXIT_MMIO) {
			memset(run->mmio.data, 0xff, 8);
			__atomic_add_fetch(&s->mmio_exits, 1, __ATOMIC_RELEASE);
		} else if (run->exit_reason == KVM_EXIT_IO &&
			   run->io.port == 0x12) {
			memcpy(&v, (char *)run + run->io.data_offset, 4);
			__atomic_store_n(&s->value, v, __ATOMIC_RELEASE);
		} else if (run->exit_reason == KVM_EXIT_INTERNAL_ERROR &&
			   run->internal.suberror ==
			   SVMHV_INTERNAL_ERROR_LOST_STATE) {
			/* The vCPU was reset: the guest is gone. */
			__atomic_store_n(&s->lost, 1, __ATOMIC_RELEASE);
			break;
		} else if (run->exit_reason == KVM_EXIT_INTERNAL_ERROR) {
			if (s->ok)
				snprintf(s->bad, sizeof(s->bad),
					 "internal error %u: %llx %llx %llx %llx",
					 run->internal.suberror,
					 run->internal.data[0],
					 run->internal.data[1],
					 run->internal.data[2],
					 run->internal.data[3]);
			s->ok = false;
		} else {
			spinner_bad(s, "exit", run->exit_reason);
		}
		__atomic_add_fetch(&s->runs, 1, __ATOMIC_RELEASE);
	}
	__atomic_store_n(&s->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void start_spinner(struct __test_metadata *_metadata, struct vm *vm,
			   struct spinner *s, pthread_t *t)
{
	vm_setup_long(vm, CODE_GPA, report_start, GUEST_LEN(report));
	s->vm = vm;
	s->meta = _metadata;
	ASSERT_EQ(0, pthread_create(t, NULL, spin_vcpu, s));
	while (!__atomic_load_n(&s->runs, __ATOMIC_ACQUIRE) &&
	       !__atomic_load_n(&s->done, __ATOMIC_ACQUIRE))
		usleep(1000);
	ASSERT_FALSE(__atomic_load_n(&s->done, __ATOMIC_ACQUIRE))
		TH_LOG("the vCPU never ran: %s", s->bad);
}

static void stop_spinner(struct spinner *s, pthread_t t)
{
	__atomic_store_n(&s->stop, 1, __ATOMIC_RELEASE);
	pthread_join(t, NULL);
}

/*
 * End the test as skipped when the emulated CPU lost @s's vCPU state
 * (svmhv said so with SVMHV_INTERNAL_ERROR_LOST_STATE; see
 * svm_save_is_host() in svm/state.h): that is QEMU's bug, not the
 * hypervisor's, and what the test waits for can no longer come.
 */
static void skip_if_lost(struct spinner *s)
{
	struct __test_metadata *_metadata = s->meta;

	if (__atomic_load_n(&s->lost, __ATOMIC_ACQUIRE))
		SKIP(_exit(255), "the emulated CPU lost a vCPU's state (SVMHV_INTERNAL_ERROR_LOST_STATE: QEMU's TCG, not the hypervisor)");
}

/*
 * Wait until @s has gone through @n more exits; false if its thread
 * stopped, or after WAIT_MS without them (skipped if the emulated CPU
 * lost the vCPU's state).
 */
static bool spinner_goes_on(struct spinner *s, int n)
{
	int until = __atomic_load_n(&s->runs, __ATOMIC_ACQUIRE) + n;
	long long end = now_ms() + WAIT_MS;

	do {
		if (__atomic_load_n(&s->runs, __ATOMIC_ACQUIRE) >= until)
			return true;
		if (__atomic_load_n(&s->done, __ATOMIC_ACQUIRE))
			break;
		usleep(1000);
	} while (now_ms() < end);
	skip_if_lost(s);
	return false;
}

/* The same for the spinner's MMIO exits: more than @from of them. */
static bool spinner_gets_mmio(struct spinner *s, int from)
{
	long long end = now_ms() + WAIT_MS;

	do {
		if (__atomic_load_n(&s->mmio_exits, __ATOMIC_ACQUIRE) > from)
			return true;
		if (__atomic_load_n(&s->done, __ATOMIC_ACQUIRE))
			break;
		usleep(1000);
	} while (now_ms() < end);
	skip_if_lost(s);
	return false;
}

/* The same for the report guest reporting @value. */
static bool spinner_reports(struct spinner *s, uint32_t value)
{
	long long end = now_ms() + WAIT_MS;

	do {
		if (__atomic_load_n(&s->value, __ATOMIC_ACQUIRE) == value)
			return true;
		if (__atomic_load_n(&s->done, __ATOMIC_ACQUIRE))
			break;
		usleep(1000);
	} while (now_ms() < end);
	skip_if_lost(s);
	return false;
}

/* What @s did, in @buf, for a failure's log. */
static const char *spinner_state(struct spinner *s, char *buf, size_t size)
{
	bool done = __atomic_load_n(&s->done, __ATOMIC_ACQUIRE);

	snprintf(buf, size,
		 "%d exits (%d MMIO), last value %#x, %s, first problem: %s",
		 __atomic_load_n(&s->runs, __ATOMIC_ACQUIRE),
		 __atomic_load_n(&s->mmio_exits, __ATOMIC_ACQUIRE),
		 __atomic_load_n(&s->value, __ATOMIC_ACQUIRE),
		 done ? "stopped" : "running", s->ok ? "none" : s->bad);
	return buf;
}

/*
 * Delete the slot a running guest reads: the vCPU is kicked and flushed
 * before the pages go, and its reads become MMIO exits.  The pages are
 * unpinned then, the VM's own slot when the VM goes.
 */
TEST(slot_deleted_under_a_running_vcpu)
{
	struct kvm_userspace_memory_region mr = {
		.slot = 1, .guest_phys_addr = DATA_GPA, .memory_size = 2 << 20,
	};
	struct spinner s = { .cpu = -1 };
	struct held base;
	pthread_t t;
	struct vm vm;
	void *mem;

	load_svmhv(_metadata);
	base = held_base(_metadata);
	ASSERT_EQ(0, vm_create(&vm, 1 << 20));
	mem = mmap(NULL, 2 << 20, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, mem);
	mr.userspace_addr = (uintptr_t)mem;
	ASSERT_EQ(0, ioctl(vm.fd, KVM_SET_USER_MEMORY_REGION, &mr));
	EXPECT_HELD(base, 256 + 512, "with both slots");
	start_spinner(_metadata, &vm, &s, &t);
	EXPECT_TRUE(spinner_goes_on(&s, 100));
	EXPECT_EQ(0, __atomic_load_n(&s.mmio_exits, __ATOMIC_ACQUIRE));
	mr.memory_size = 0;
	ASSERT_EQ(0, ioctl(vm.fd, KVM_SET_USER_MEMORY_REGION, &mr));
	/* After the delete the guest's reads of 0x100000 are MMIO. */
	EXPECT_TRUE(spinner_gets_mmio(&s, 0));
	EXPECT_HELD(base, 256, "after the delete");
	stop_spinner(&s, t);
	EXPECT_TRUE(s.ok) TH_LOG("%s", s.bad);
	vm_destroy(&vm);
	munmap(mem, 2 << 20);
	EXPECT_HELD(base, 0, "after the VM");
}

/*
 * Delete and re-create the slot two running vCPUs of one VM read, five
 * times: after each delete both see MMIO (every vCPU was flushed, under
 * shadow paging every vCPU's roots emptied), after each re-creation both
 * see what the host wrote there meanwhile.  Five, not more: each delete
 * kicks a vCPU out of the guest with an interrupt from the other CPU,
 * which the test machine's emulated CPU now and then answers by losing
 * the vCPU's state (docs/testing.md, "The test machine").
 */
#define CHURN_ROUNDS	5

TEST(slot_churned_under_two_running_vcpus)
{
	struct kvm_userspace_memory_region mr = {
		.slot = 1, .guest_phys_addr = DATA_GPA,
	};
	struct spinner s[2] = { { .cpu = -1 }, { .cpu = -1 } };
	int i, round, mmio[2];
	char why[256];
	struct held base;
	struct vm vm[2];
	uint32_t *mem;
	pthread_t t[2];

	load_svmhv(_metadata);
	base = held_base(_metadata);
	ASSERT_EQ(0, vm_create(&vm[0], 1 << 20));
	ASSERT_EQ(0, vm_add_vcpu(&vm[0], &vm[1], 1));
	mem = mmap(NULL, 2 << 20, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, mem);
	mr.userspace_addr = (uintptr_t)mem;
	mr.memory_size = 2 << 20;
	ASSERT_EQ(0, ioctl(vm[0].fd, KVM_SET_USER_MEMORY_REGION, &mr));
	for (i = 0; i < 2; i++)
		start_spinner(_metadata, &vm[i], &s[i], &t[i]);
	for (round = 1; round <= CHURN_ROUNDS; round++) {
		for (i = 0; i < 2; i++)
			mmio[i] = __atomic_load_n(&s[i].mmio_exits,
						  __ATOMIC_ACQUIRE);
		mr.memory_size = 0;
		ASSERT_EQ(0, ioctl(vm[0].fd, KVM_SET_USER_MEMORY_REGION, &mr));
		/* Braces: an ASSERT's log and bail-out follow its statement. */
		for (i = 0; i < 2; i++) {
			ASSERT_TRUE(spinner_gets_mmio(&s[i], mmio[i]))
				TH_LOG("vCPU %d, round %d: no MMIO exit after the delete: %s",
				       i, round, spinner_state(&s[i], why, sizeof(why)));
		}
		EXPECT_HELD(base, 256, "with the slot deleted");
		mem[0] = 0x600d0000 + round;
		mr.memory_size = 2 << 20;
		ASSERT_EQ(0, ioctl(vm[0].fd, KVM_SET_USER_MEMORY_REGION, &mr));
		for (i = 0; i < 2; i++) {
			ASSERT_TRUE(spinner_reports(&s[i], 0x600d0000 + round))
				TH_LOG("vCPU %d, round %d: not reporting the new value: %s",
				       i, round, spinner_state(&s[i], why, sizeof(why)));
		}
		EXPECT_HELD(base, 256 + 512, "with the slot back");
	}
	for (i = 0; i < 2; i++) {
		stop_spinner(&s[i], t[i]);
		EXPECT_TRUE(s[i].ok) TH_LOG("vCPU %d: %s", i, s[i].bad);
	}
	vm_remove_vcpu(&vm[1]);
	vm_destroy(&vm[0]);
	munmap(mem, 2 << 20);
	EXPECT_HELD(base, 0, "after the VM");
}

/*
 * munmap() the memory behind a slot while the guest reads it: the VMA
 * goes, the pinned pages stay (and keep what the host wrote) until the
 * slot is deleted, and only then are they unpinned and unaccounted.
 * kvm_amd pins nothing: it would follow the unmap instead.
 */
TEST(slot_backing_unmapped_under_a_running_vcpu)
{
	struct kvm_userspace_memory_region mr = {
		.slot = 1, .guest_phys_addr = DATA_GPA, .memory_size = 2 << 20,
	};
	struct spinner s = { .cpu = -1 };
	struct held base;
	uint32_t *mem;
	pthread_t t;
	struct vm vm;

	load_svmhv(_metadata);
	if (!vm_device_is_svmhv())
		SKIP(return, "kvm_amd does not pin slots: the unmap reaches the guest");
	base = held_base(_metadata);
	ASSERT_EQ(0, vm_create(&vm, 1 << 20));
	mem = mmap(NULL, 2 << 20, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, mem);
	mem[0] = 0x600df00d;
	mr.userspace_addr = (uintptr_t)mem;
	ASSERT_EQ(0, ioctl(vm.fd, KVM_SET_USER_MEMORY_REGION, &mr));
	start_spinner(_metadata, &vm, &s, &t);
	ASSERT_EQ(0, munmap(mem, 2 << 20));
	EXPECT_TRUE(spinner_goes_on(&s, 100));
	EXPECT_EQ(0x600df00d, __atomic_load_n(&s.value, __ATOMIC_ACQUIRE));
	EXPECT_EQ(0, __atomic_load_n(&s.mmio_exits, __ATOMIC_ACQUIRE));
	EXPECT_HELD(base, 256 + 512, "with the backing unmapped");
	mr.memory_size = 0;
	ASSERT_EQ(0, ioctl(vm.fd, KVM_SET_USER_MEMORY_REGION, &mr));
	EXPECT_TRUE(spinner_gets_mmio(&s, 0));
	EXPECT_HELD(base, 256, "after the slot went");
	stop_spinner(&s, t);
	EXPECT_TRUE(s.ok) TH_LOG("%s", s.bad);
	vm_destroy(&vm);
	EXPECT_HELD(base, 0, "after the VM");
}

struct unmapper {
	void *mem;
	int go;			/* read and written with __atomic */
};

/* munmap() the 4M at u->mem as soon as told to (the ioctl starts). */
static void *unmap_backing(void *arg)
{
	struct unmapper *u = arg;

	while (!__atomic_load_n(&u->go, __ATOMIC_ACQUIRE))
		;
	munmap(u->mem, 4 << 20);
	return NULL;
}

/*
 * munmap() the memory of a slot from another thread while
 * KVM_SET_USER_MEMORY_REGION pins it, 20 times: the slot is made (all
 * of it pinned) or refused with EFAULT (nothing left pinned), whichever
 * wins.  The pin mostly does: it holds mmap_lock while it faults the
 * pages in, and the munmap() waits for it.
 */
TEST(slot_backing_unmapped_while_it_is_pinned)
{
	struct kvm_userspace_memory_region mr = {
		.slot = 1, .guest_phys_addr = DATA_GPA,
	};
	int round, made = 0, refused = 0;
	struct unmapper u;
	struct held base;
	struct vm vm;
	pthread_t t;

	load_svmhv(_metadata);
	base = held_base(_metadata);
	ASSERT_EQ(0, vm_create(&vm, 1 << 20));
	for (round = 0; round < 20; round++) {
		u.mem = mmap(NULL, 4 << 20, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		ASSERT_NE(MAP_FAILED, u.mem);
		u.go = 0;
		mr.userspace_addr = (uintptr_t)u.mem;
		mr.memory_size = 4 << 20;
		ASSERT_EQ(0, pthread_create(&t, NULL, unmap_backing, &u));
		__atomic_store_n(&u.go, 1, __ATOMIC_RELEASE);
		if (!ioctl(vm.fd, KVM_SET_USER_MEMORY_REGION, &mr)) {
			made++;
			pthread_join(t, NULL);
			EXPECT_HELD(base, 256 + 1024, "with the slot made");
			mr.memory_size = 0;
			ASSERT_EQ(0, ioctl(vm.fd, KVM_SET_USER_MEMORY_REGION,
					   &mr));
		} else {
			refused++;
			EXPECT_EQ(EFAULT, errno);
			pthread_join(t, NULL);
		}
		EXPECT_HELD(base, 256, "after the round");
	}
	TH_LOG("%d slots made, %d refused", made, refused);
	vm_destroy(&vm);
	EXPECT_HELD(base, 0, "after the VM");
}

/*
 * Close the VM and system fds while the vCPU runs: the vCPU fd holds the
 * VM, which runs on; then the vCPU fd goes, and the run page's mapping
 * alone still holds the vCPU file; the VM goes with the mapping.
 */
TEST(vm_and_system_fds_closed_under_a_running_vcpu)
{
	struct spinner s = { .cpu = -1 };
	struct held base;
	pthread_t t;
	struct vm vm;

	load_svmhv(_metadata);
	base = held_base(_metadata);
	ASSERT_EQ(0, vm_create(&vm, 2 << 20));
	start_spinner(_metadata, &vm, &s, &t);
	ASSERT_EQ(0, close(vm.fd));
	vm.fd = -1;
	ASSERT_EQ(0, close(vm.sys_fd));
	vm.sys_fd = -1;
	EXPECT_TRUE(spinner_goes_on(&s, 100));
	EXPECT_HELD(base, 512, "with only the vCPU fd open");
	stop_spinner(&s, t);
	EXPECT_TRUE(s.ok) TH_LOG("%s", s.bad);
	ASSERT_EQ(0, close(vm.vcpu_fd));
	vm.vcpu_fd = -1;
	EXPECT_HELD(base, 512, "with only the run page mapped");
	ASSERT_EQ(0, munmap(vm.run, vm.run_size));
	vm.run = NULL;
	EXPECT_HELD(base, 0, "with every handle gone");
	vm_destroy(&vm);
}

static void ignore_signal(int sig)
{
}

struct one_run {
	int vcpu_fd;
	int ret;
	int err;
};

static void *run_once(void *arg)
{
	struct one_run *r = arg;

	r->ret = ioctl(r->vcpu_fd, KVM_RUN, 0);
	r->err = errno;
	return NULL;
}

/*
 * Every handle of a VM goes while its vCPU is inside KVM_RUN in a guest
 * that never exits: the ioctl's own reference keeps the vCPU and the VM;
 * a signal ends the run, and the VM goes as the ioctl returns.
 */
TEST(every_handle_closed_while_its_vcpu_is_in_kvm_run)
{
	struct sigaction sa = { .sa_handler = ignore_signal };
	uint64_t *count;
	struct one_run r;
	struct held base;
	pthread_t t;
	struct vm vm;

	load_svmhv(_metadata);
	base = held_base(_metadata);
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	ASSERT_EQ(0, vm_create(&vm, 2 << 20));
	setup_bump(&vm, DATA_GPA);
	count = (uint64_t *)(vm.mem + DATA_GPA);
	r.vcpu_fd = vm.vcpu_fd;
	ASSERT_EQ(0, pthread_create(&t, NULL, run_once, &r));
	/* The guest counts: the thread is in KVM_RUN. */
	ASSERT_TRUE(word_moves(count, 0));
	ASSERT_EQ(0, munmap(vm.run, vm.run_size));
	vm.run = NULL;
	ASSERT_EQ(0, close(vm.vcpu_fd));
	vm.vcpu_fd = -1;
	ASSERT_EQ(0, close(vm.fd));
	vm.fd = -1;
	ASSERT_EQ(0, close(vm.sys_fd));
	vm.sys_fd = -1;
	EXPECT_TRUE(word_moves(count, __atomic_load_n(count, __ATOMIC_RELAXED)))
		TH_LOG("the guest stopped");
	EXPECT_HELD(base, 512, "while KVM_RUN holds the last reference");
	ASSERT_EQ(0, pthread_kill(t, SIGUSR1));
	pthread_join(t, NULL);
	EXPECT_EQ(-1, r.ret);
	EXPECT_EQ(EINTR, r.err);
	EXPECT_HELD(base, 0, "after KVM_RUN returned");
	vm_destroy(&vm);
}

/*
 * CPU 1 goes offline and comes back, four times, under two vCPUs of one
 * VM: vCPU 0 runs on CPU 1 (and is put back there each time it is
 * online), vCPU 1 on CPU 0.  Both run on throughout.
 */
TEST_F_TIMEOUT(slow, cpu_offline_under_two_running_vcpus, 300)
{
	struct spinner s[2] = { { .cpu = 1 }, { .cpu = 0 } };
	struct held base;
	struct vm vm[2];
	cpu_set_t cpu1;
	pthread_t t[2];
	int i, round;

	load_svmhv(_metadata);
	if (nr_cpus_configured() < 2 || cpu_online(1) != 1)
		SKIP(return, "needs a CPU 1 that can go offline");
	base = held_base(_metadata);
	CPU_ZERO(&cpu1);
	CPU_SET(1, &cpu1);
	ASSERT_EQ(0, vm_create(&vm[0], 2 << 20));
	ASSERT_EQ(0, vm_add_vcpu(&vm[0], &vm[1], 1));
	for (i = 0; i < 2; i++)
		start_spinner(_metadata, &vm[i], &s[i], &t[i]);
	for (round = 0; round < 4; round++) {
		ASSERT_EQ(0, cpu_set_online(1, false));
		for (i = 0; i < 2; i++) {
			EXPECT_TRUE(spinner_goes_on(&s[i], 50))
				TH_LOG("vCPU %d, CPU 1 offline, round %d",
				       i, round);
		}
		ASSERT_EQ(0, cpu_set_online(1, true));
		if (vm_device_is_svmhv())
			EXPECT_EQ(1, cpu_svme(1));
		/* Going offline broke vCPU 0's affinity: pin it again. */
		EXPECT_EQ(0, pthread_setaffinity_np(t[0], sizeof(cpu1),
						    &cpu1));
		for (i = 0; i < 2; i++) {
			EXPECT_TRUE(spinner_goes_on(&s[i], 50))
				TH_LOG("vCPU %d, CPU 1 back, round %d",
				       i, round);
		}
	}
	for (i = 0; i < 2; i++) {
		stop_spinner(&s[i], t[i]);
		EXPECT_TRUE(s[i].ok) TH_LOG("vCPU %d: %s", i, s[i].bad);
	}
	vm_remove_vcpu(&vm[1]);
	vm_destroy(&vm[0]);
	EXPECT_HELD(base, 0, "after the VM");
}

/* Slot 2 of the killed process's VM: made and deleted until the kill. */
static void churn_slot(struct vm *vm, void *mem)
{
	struct kvm_userspace_memory_region mr = {
		.slot = 2, .guest_phys_addr = 0x10000000,
		.userspace_addr = (uintptr_t)mem,
	};

	for (;;) {
		mr.memory_size = 1 << 20;
		ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &mr);
		mr.memory_size = 0;
		ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &mr);
	}
}

static void *run_forever(void *arg)
{
	vm_run(arg);
	return NULL;
}

#define KILLED_VCPUS	3

/*
 * The child of process_killed_while_its_vcpus_run: a VM with a 2M slot
 * and a 4M THP slot, three vCPU threads in the bump guest (each counting
 * in a word of its own); it tells the parent on @ready once each count
 * moves, waits for a byte on @go, then churns slot 2 until killed.
 */
static void killed_child(int ready, int go)
{
	struct kvm_userspace_memory_region mr = {
		.slot = 1, .guest_phys_addr = 0x400000, .memory_size = 4 << 20,
	};
	struct vm vm, v[KILLED_VCPUS];
	pthread_t t;
	void *mem;
	char c = 0;
	int i;

	if (vm_create(&vm, 2 << 20))
		_exit(1);
	mem = mmap(NULL, 6 << 20, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		_exit(2);
	madvise(mem, 4 << 20, MADV_HUGEPAGE);
	mr.userspace_addr = (uintptr_t)mem;
	if (ioctl(vm.fd, KVM_SET_USER_MEMORY_REGION, &mr))
		_exit(3);
	v[0] = vm;
	for (i = 0; i < KILLED_VCPUS; i++) {
		if (i && vm_add_vcpu(&vm, &v[i], i))
			_exit(4);
		setup_bump(&v[i], DATA_GPA + 64 * i);
		if (pthread_create(&t, NULL, run_forever, &v[i]))
			_exit(5);
	}
	for (i = 0; i < KILLED_VCPUS; i++)
		if (!word_moves((uint64_t *)(vm.mem + DATA_GPA + 64 * i), 0))
			_exit(6);
	if (write(ready, &c, 1) != 1 || read(go, &c, 1) != 1)
		_exit(7);
	churn_slot(&vm, (char *)mem + (4 << 20));
}

/*
 * SIGKILL a process whose VM has slots and three vCPU threads in the
 * guest while its main thread creates and deletes a slot: every pin is
 * dropped, whatever each thread was doing, and nothing is left holding
 * the module.
 */
TEST(process_killed_while_its_vcpus_run)
{
	int ready[2], go[2], status;
	struct held base;
	char c = 0;
	pid_t pid;

	load_svmhv(_metadata);
	base = held_base(_metadata);
	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(go));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		close(ready[0]);
		close(go[1]);
		killed_child(ready[1], go[0]);
	}
	/* A child that gives up closes the last write end: read() sees 0. */
	close(ready[1]);
	close(go[0]);
	ASSERT_EQ(1, read(ready[0], &c, 1)) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		TH_LOG("the child exited with %d", WEXITSTATUS(status));
	}
	/* Pinned by the child, seen from here: 2M and 4M of slots. */
	if (vm_device_is_svmhv())
		EXPECT_EQ(base.pinned + 512 + 1024,
			  read_count(PINNED_PAGES, NULL));
	ASSERT_EQ(1, write(go[1], &c, 1));
	usleep(100000);
	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status));
	EXPECT_HELD(base, 0, "after the kill");
	/* Nothing of the VM is left holding the module. */
	if (vm_device_is_svmhv())
		EXPECT_EQ(0, svmhv_unload());
}

/* Close the four handles of a VM in the order given by @perm. */
static void close_in_order(struct vm *vm, const int *perm)
{
	int i;

	for (i = 0; i < 4; i++) {
		if (perm[i] == 0) {
			close(vm->sys_fd);
			vm->sys_fd = -1;
		} else if (perm[i] == 1) {
			close(vm->fd);
			vm->fd = -1;
		} else if (perm[i] == 2) {
			close(vm->vcpu_fd);
			vm->vcpu_fd = -1;
		} else {
			munmap(vm->run, vm->run_size);
			vm->run = NULL;
		}
	}
}

static bool next_perm(int *p, int n)
{
	int i = n - 2, j = n - 1, t;

	while (i >= 0 && p[i] >= p[i + 1])
		i--;
	if (i < 0)
		return false;
	while (p[j] <= p[i])
		j--;
	t = p[i], p[i] = p[j], p[j] = t;
	for (i++, j = n - 1; i < j; i++, j--)
		t = p[i], p[i] = p[j], p[j] = t;
	return true;
}

TEST(handles_closed_in_every_order)
{
	int perm[4] = { 0, 1, 2, 3 }, orders = 0;
	struct held base;
	char when[64];
	struct vm vm;

	load_svmhv(_metadata);
	base = held_base(_metadata);
	do {
		ASSERT_EQ(0, vm_create(&vm, 2 << 20));
		vm_setup_long(&vm, CODE_GPA, counter_start,
			      GUEST_LEN(counter));
		ASSERT_TRUE(count_steps(&vm, 3, false));
		EXPECT_HELD(base, 512, "with the VM open");
		close_in_order(&vm, perm);
		/* The last handle gone, the VM is gone: nothing stays pinned. */
		snprintf(when, sizeof(when), "after closing in order %d%d%d%d",
			 perm[0], perm[1], perm[2], perm[3]);
		EXPECT_HELD(base, 0, when);
		vm_destroy(&vm);
		orders++;
	} while (next_perm(perm, 4));
	EXPECT_EQ(24, orders);
	if (vm_device_is_svmhv())
		EXPECT_EQ(0, svmhv_unload())
			TH_LOG("a reference was left behind");
}

TEST(unload_refused_while_any_handle_is_open)
{
	struct vm vm;
	int i;

	if (!vm_device_is_svmhv())
		SKIP(return, "unloads svmhv");
	for (i = 0; i < 3; i++) {
		load_svmhv(_metadata);
		ASSERT_EQ(0, vm_create(&vm, 2 << 20));
		/* Keep only the VM fd (0), the vCPU fd (1) or the mmap (2). */
		if (i != 0) {
			close(vm.fd);
			vm.fd = -1;
		}
		if (i != 1) {
			close(vm.vcpu_fd);
			vm.vcpu_fd = -1;
		}
		close(vm.sys_fd);
		vm.sys_fd = -1;
		EXPECT_EQ(-EWOULDBLOCK, svmhv_unload()) TH_LOG("holding %d", i);
		vm_destroy(&vm);
		EXPECT_EQ(0, svmhv_unload()) TH_LOG("after releasing %d", i);
	}
}

/*
 * A slot over memory with a hole in it: pinning stops at the hole, so
 * the pages pinned before it are unpinned and unaccounted again.
 * kvm_amd takes the slot: it pins nothing.
 */
TEST(slot_over_a_hole_pins_nothing)
{
	struct kvm_userspace_memory_region mr = {
		.slot = 1, .guest_phys_addr = DATA_GPA,
	};
	struct held base;
	struct vm vm;
	char *mem;

	load_svmhv(_metadata);
	if (!vm_device_is_svmhv())
		SKIP(return, "kvm_amd does not pin at KVM_SET_USER_MEMORY_REGION");
	base = held_base(_metadata);
	ASSERT_EQ(0, vm_create(&vm, 1 << 20));
	mem = mmap(NULL, 2 << 20, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, mem);
	/* The last page: the 511 before it are pinned, then undone. */
	ASSERT_EQ(0, munmap(mem + (2 << 20) - 4096, 4096));
	mr.memory_size = 2 << 20;
	mr.userspace_addr = (uintptr_t)mem;
	EXPECT_EQ(-1, ioctl(vm.fd, KVM_SET_USER_MEMORY_REGION, &mr));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_HELD(base, 256, "after the refused slot");
	vm_destroy(&vm);
	munmap(mem, 2 << 20);
	EXPECT_HELD(base, 0, "after the VM");
}

/* Host writes, guest reads and writes, host reads: in a @flags mapping. */
static void round_trip(struct __test_metadata *_metadata, int flags,
		       int advice)
{
	struct kvm_userspace_memory_region mr = {
		.slot = 1, .guest_phys_addr = DATA_GPA, .memory_size = 4 << 20,
	};
	uint64_t *data, sum = 0, i, n = (4 << 20) / 8;
	struct kvm_regs regs;
	struct held base;
	struct vm vm;

	load_svmhv(_metadata);
	base = held_base(_metadata);
	data = mmap(NULL, 4 << 20, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0);
	if (data == MAP_FAILED)
		SKIP(return, "no memory of this kind: %s", strerror(errno));
	if (advice)
		madvise(data, 4 << 20, advice);
	for (i = 0; i < n; i++) {
		data[i] = i * 0x9e3779b97f4a7c15ULL;
		sum += data[i];
	}
	ASSERT_EQ(0, vm_create(&vm, 1 << 20));
	mr.userspace_addr = (uintptr_t)data;
	ASSERT_EQ(0, ioctl(vm.fd, KVM_SET_USER_MEMORY_REGION, &mr));
	/* Counted in 4K pages whatever the backing's page size. */
	EXPECT_HELD(base, 256 + 1024, "with the slot");
	vm_setup_long(&vm, CODE_GPA, sum_flip_start, GUEST_LEN(sum_flip));
	ASSERT_EQ(0, ioctl(vm.vcpu_fd, KVM_GET_REGS, &regs));
	regs.rsi = DATA_GPA;
	regs.rcx = n;
	ASSERT_EQ(0, ioctl(vm.vcpu_fd, KVM_SET_REGS, &regs));
	ASSERT_EQ(0, vm_run(&vm));
	ASSERT_EQ(KVM_EXIT_HLT, vm.run->exit_reason);
	EXPECT_EQ(sum, vm_get_reg(&vm, VM_RBX));
	for (i = 0; i < n; i++)
		if (data[i] != ~(i * 0x9e3779b97f4a7c15ULL))
			break;
	EXPECT_EQ(n, i) TH_LOG("host saw the guest's write stop at word %lu",
			       (unsigned long)i);
	vm_destroy(&vm);
	munmap(data, 4 << 20);
	EXPECT_HELD(base, 0, "after the VM");
}

TEST(memory_round_trip_4k)
{
	round_trip(_metadata, 0, MADV_NOHUGEPAGE);
}

TEST(memory_round_trip_thp)
{
	round_trip(_metadata, 0, MADV_HUGEPAGE);
}

TEST(memory_round_trip_hugetlb_2m)
{
	system("echo 4 > /proc/sys/vm/nr_hugepages");
	round_trip(_metadata, MAP_HUGETLB | (21 << MAP_HUGE_SHIFT), 0);
}

TEST(memory_round_trip_hugetlb_1g)
{
	round_trip(_metadata, MAP_HUGETLB | (30 << MAP_HUGE_SHIFT), 0);
}

/* EXPECT_HELD for a child process: no harness there. */
static bool held_is(struct held base, long pages)
{
	struct held now = held_now();

	return now.pinned == base.pinned + pages &&
	       now.locked_kb == base.locked_kb + pages * PAGE_KB;
}

TEST(pinned_memory_is_accounted_and_limited)
{
	struct kvm_userspace_memory_region mr = {
		.slot = 1, .guest_phys_addr = DATA_GPA, .memory_size = 8 << 20,
	};
	struct held base, before;
	pid_t pid;
	int status;

	load_svmhv(_metadata);
	if (!vm_device_is_svmhv())
		SKIP(return, "kvm_amd does not pin slots");
	base = held_base(_metadata);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct __user_cap_header_struct h = {
			_LINUX_CAPABILITY_VERSION_3, 0 };
		struct __user_cap_data_struct d[2] = {};
		struct rlimit lim = { 4 << 20, 4 << 20 };
		struct vm vm;
		void *mem;

		if (vm_create(&vm, 1 << 20))
			_exit(10);
		mem = mmap(NULL, 8 << 20, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		mr.userspace_addr = (uintptr_t)mem;
		before = held_now();
		/* Root (CAP_IPC_LOCK) is accounted but not limited. */
		if (ioctl(vm.fd, KVM_SET_USER_MEMORY_REGION, &mr))
			_exit(11);
		if (!held_is(before, 2048))
			_exit(12);
		mr.memory_size = 0;
		if (ioctl(vm.fd, KVM_SET_USER_MEMORY_REGION, &mr) ||
		    !held_is(before, 0))
			_exit(13);
		/* Without CAP_IPC_LOCK, RLIMIT_MEMLOCK holds. */
		if (setrlimit(RLIMIT_MEMLOCK, &lim) ||
		    syscall(SYS_capset, &h, d))
			_exit(14);
		mr.memory_size = 8 << 20;
		if (ioctl(vm.fd, KVM_SET_USER_MEMORY_REGION, &mr) != -1 ||
		    errno != ENOMEM)
			_exit(15);
		if (!held_is(before, 0))
			_exit(16);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status)) TH_LOG("step %d failed",
						 WEXITSTATUS(status));
	/* The child's VM went with it. */
	EXPECT_HELD(base, 0, "after the child");
}

/* @mmu's count in debugfs mmu_pages, or -1. */
static long table_pages(const char *mmu)
{
	char key[16];

	snprintf(key, sizeof(key), "%s ", mmu);
	return read_count(MMU_PAGES, key);
}

/*
 * The sum_flip guest over @words words at 0x90000 (on pages of their
 * own, so the MMU builds tables for them); true if it summed them and
 * left their complements.
 */
static bool flip_words(struct vm *vm, int words)
{
	uint64_t *data = (uint64_t *)(vm->mem + 0x90000), sum = 0;
	struct kvm_regs regs;
	int i;

	for (i = 0; i < words; i++) {
		data[i] = (i + 1) * 0x9e3779b97f4a7c15ULL;
		sum += data[i];
	}
	vm_setup_long(vm, CODE_GPA, sum_flip_start, GUEST_LEN(sum_flip));
	if (ioctl(vm->vcpu_fd, KVM_GET_REGS, &regs))
		return false;
	regs.rsi = 0x90000;
	regs.rcx = words;
	if (ioctl(vm->vcpu_fd, KVM_SET_REGS, &regs) || vm_run(vm) ||
	    vm->run->exit_reason != KVM_EXIT_HLT)
		return false;
	for (i = 0; i < words; i++)
		if (data[i] != ~((i + 1) * 0x9e3779b97f4a7c15ULL))
			return false;
	return vm_get_reg(vm, VM_RBX) == sum;
}

/*
 * Create, run and destroy a VM 1000 times under the default MMU (and
 * under shadow paging as lifecycle_test@shadow), its guest touching 16
 * pages: every pinned page, every locked kilobyte and every table page
 * of either MMU is given back.
 */
TEST_F_TIMEOUT(slow, create_run_destroy_cycles_leave_nothing_behind, 1200)
{
	const char *mmu = vm_mmu() == SVMHV_MMU_SHADOW ? "shadow" : "npt";
	struct timespec t0, t1;
	struct held base;
	int i;

	load_svmhv(_metadata);
	base = held_base(_metadata);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < CYCLES; i++) {
		struct vm vm;

		ASSERT_EQ(0, vm_create(&vm, 1 << 20)) TH_LOG("cycle %d", i);
		ASSERT_TRUE(flip_words(&vm, 16 * 512)) TH_LOG("cycle %d", i);
		if (i == 0 && vm_device_is_svmhv()) {
			EXPECT_HELD(base, 256, "with the first VM");
			EXPECT_LT(0, table_pages(mmu)) TH_LOG("%s tables", mmu);
		}
		vm_destroy(&vm);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	TH_LOG("%d VMs in %ld ms", CYCLES,
	       (long)((t1.tv_sec - t0.tv_sec) * 1000 +
		      (t1.tv_nsec - t0.tv_nsec) / 1000000));
	EXPECT_HELD(base, 0, "after the cycles");
	/* No VM is left anywhere now: every earlier test's went too. */
	if (vm_device_is_svmhv()) {
		EXPECT_EQ(0, read_count(PINNED_PAGES, NULL));
		EXPECT_EQ(0, table_pages("npt"));
		EXPECT_EQ(0, table_pages("shadow"));
	}
}

TEST_HARNESS_MAIN
