// SPDX-License-Identifier: GPL-2.0
/*
 * VM lifetimes and memory: two VMs at once on two CPUs, a vCPU thread
 * that moves between CPUs on every run, a process killed while its vCPU
 * runs, file descriptors closed in every order, module unload refused
 * while anything is open, guest memory round trips on every backing, and
 * RLIMIT_MEMLOCK accounting of pinned memory.
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
#include <unistd.h>
#include <linux/capability.h>

#include "kselftest_harness.h"
#include "svmhv_util.h"
#include "vm_util.h"
#include "guest_code.h"

#define CODE_GPA	0x10000
#define DATA_GPA	0x100000
#define STEPS		200

static void load_svmhv(struct __test_metadata *_metadata)
{
	if (!module_loaded("svmhv"))
		ASSERT_EQ(0, svmhv_load());
}

static void pin_to_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
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

static long vm_locked_kb(void)
{
	char buf[4096], *p;

	if (read_file("/proc/self/status", buf, sizeof(buf)) <= 0)
		return -1;
	p = strstr(buf, "VmLck:");
	return p ? strtol(p + 6, NULL, 10) : -1;
}

struct spinner {
	struct vm *vm;
	int cpu;		/* -1: anywhere */
	int stop;		/* read and written with __atomic */
	int runs;
	int mmio_exits;
	bool ok;
	unsigned int last_exit;
};

/* Run the report guest until told to stop; every exit must be expected. */
static void *spin_vcpu(void *arg)
{
	struct spinner *s = arg;

	if (s->cpu >= 0)
		pin_to_cpu(s->cpu);
	s->ok = true;
	while (!__atomic_load_n(&s->stop, __ATOMIC_ACQUIRE)) {
		if (vm_run(s->vm)) {
			s->ok = false;
			break;
		}
		__atomic_add_fetch(&s->runs, 1, __ATOMIC_RELEASE);
		s->last_exit = s->vm->run->exit_reason;
		if (s->last_exit == KVM_EXIT_MMIO) {
			memset(s->vm->run->mmio.data, 0xff, 8);
			__atomic_add_fetch(&s->mmio_exits, 1, __ATOMIC_RELEASE);
		} else if (s->last_exit != KVM_EXIT_IO) {
			s->ok = false;
		}
	}
	return NULL;
}

static void start_spinner(struct __test_metadata *_metadata, struct vm *vm,
			   struct spinner *s, pthread_t *t)
{
	vm_setup_long(vm, CODE_GPA, report_start, GUEST_LEN(report));
	s->vm = vm;
	ASSERT_EQ(0, pthread_create(t, NULL, spin_vcpu, s));
	while (!__atomic_load_n(&s->runs, __ATOMIC_ACQUIRE))
		usleep(1000);
}

static void stop_spinner(struct spinner *s, pthread_t t)
{
	__atomic_store_n(&s->stop, 1, __ATOMIC_RELEASE);
	pthread_join(t, NULL);
}

/*
 * Delete the slot a running guest reads: the vCPU is kicked and flushed
 * before the pages go, and its reads become MMIO exits.
 */
TEST(slot_deleted_under_a_running_vcpu)
{
	struct kvm_userspace_memory_region mr = {
		.slot = 1, .guest_phys_addr = DATA_GPA, .memory_size = 2 << 20,
	};
	struct spinner s = { .cpu = -1 };
	long locked = vm_locked_kb();
	pthread_t t;
	struct vm vm;
	void *mem;

	load_svmhv(_metadata);
	ASSERT_EQ(0, vm_create(&vm, 1 << 20));
	mem = mmap(NULL, 2 << 20, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, mem);
	mr.userspace_addr = (uintptr_t)mem;
	ASSERT_EQ(0, ioctl(vm.fd, KVM_SET_USER_MEMORY_REGION, &mr));
	start_spinner(_metadata, &vm, &s, &t);
	usleep(50000);
	EXPECT_EQ(0, __atomic_load_n(&s.mmio_exits, __ATOMIC_ACQUIRE));
	mr.memory_size = 0;
	ASSERT_EQ(0, ioctl(vm.fd, KVM_SET_USER_MEMORY_REGION, &mr));
	usleep(50000);
	stop_spinner(&s, t);
	EXPECT_TRUE(s.ok) TH_LOG("last exit %u", s.last_exit);
	/* After the delete the guest's reads of 0x100000 are MMIO. */
	EXPECT_LT(0, s.mmio_exits);
	EXPECT_EQ(locked + 1024, vm_locked_kb());
	vm_destroy(&vm);
	munmap(mem, 2 << 20);
	EXPECT_EQ(locked, vm_locked_kb());
}

/* CPU 1 goes offline and comes back under a vCPU that runs there. */
TEST(cpu_offline_under_a_running_vcpu)
{
	struct spinner s = { .cpu = 1 };
	pthread_t t;
	struct vm vm;
	int before;

	load_svmhv(_metadata);
	if (nr_cpus_configured() < 2 || cpu_online(1) != 1)
		SKIP(return, "needs a CPU 1 that can go offline");
	ASSERT_EQ(0, vm_create(&vm, 2 << 20));
	start_spinner(_metadata, &vm, &s, &t);
	ASSERT_EQ(0, cpu_set_online(1, false));
	before = __atomic_load_n(&s.runs, __ATOMIC_ACQUIRE);
	usleep(100000);
	EXPECT_LT(before, __atomic_load_n(&s.runs, __ATOMIC_ACQUIRE))
		TH_LOG("the vCPU stopped with CPU 1 away");
	ASSERT_EQ(0, cpu_set_online(1, true));
	EXPECT_EQ(1, cpu_svme(1));
	before = __atomic_load_n(&s.runs, __ATOMIC_ACQUIRE);
	usleep(100000);
	stop_spinner(&s, t);
	EXPECT_TRUE(s.ok) TH_LOG("last exit %u", s.last_exit);
	EXPECT_LT(before, s.runs);
	vm_destroy(&vm);
}

TEST(process_killed_while_its_vcpu_runs)
{
	pid_t pid;
	int status;

	load_svmhv(_metadata);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct vm vm;

		if (vm_create(&vm, 8 << 20))
			_exit(1);
		vm_setup_long(&vm, CODE_GPA, spin_start, GUEST_LEN(spin));
		vm_run(&vm);
		_exit(2);
	}
	usleep(300000);
	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status));
	/* Nothing of the VM is left holding the module. */
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
	long locked = vm_locked_kb();
	struct vm vm;

	load_svmhv(_metadata);
	do {
		ASSERT_EQ(0, vm_create(&vm, 2 << 20));
		vm_setup_long(&vm, CODE_GPA, counter_start,
			      GUEST_LEN(counter));
		ASSERT_TRUE(count_steps(&vm, 3, false));
		EXPECT_EQ(locked + 2048, vm_locked_kb());
		close_in_order(&vm, perm);
		/* The last handle gone, the VM is gone: nothing stays pinned. */
		EXPECT_EQ(locked, vm_locked_kb()) TH_LOG("order %d%d%d%d",
				perm[0], perm[1], perm[2], perm[3]);
		vm_destroy(&vm);
		orders++;
	} while (next_perm(perm, 4));
	EXPECT_EQ(24, orders);
	EXPECT_EQ(0, svmhv_unload()) TH_LOG("a reference was left behind");
}

TEST(unload_refused_while_any_handle_is_open)
{
	struct vm vm;
	int i;

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

/* Host writes, guest reads and writes, host reads: in a @flags mapping. */
static void round_trip(struct __test_metadata *_metadata, int flags,
		       int advice)
{
	struct kvm_userspace_memory_region mr = {
		.slot = 1, .guest_phys_addr = DATA_GPA, .memory_size = 4 << 20,
	};
	uint64_t *data, sum = 0, i, n = (4 << 20) / 8;
	struct kvm_regs regs;
	struct vm vm;

	load_svmhv(_metadata);
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

TEST(pinned_memory_is_accounted_and_limited)
{
	struct kvm_userspace_memory_region mr = {
		.slot = 1, .guest_phys_addr = DATA_GPA, .memory_size = 8 << 20,
	};
	long before;
	pid_t pid;
	int status;

	load_svmhv(_metadata);
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
		before = vm_locked_kb();
		/* Root (CAP_IPC_LOCK) is accounted but not limited. */
		if (ioctl(vm.fd, KVM_SET_USER_MEMORY_REGION, &mr))
			_exit(11);
		if (vm_locked_kb() != before + 8192)
			_exit(12);
		mr.memory_size = 0;
		if (ioctl(vm.fd, KVM_SET_USER_MEMORY_REGION, &mr) ||
		    vm_locked_kb() != before)
			_exit(13);
		/* Without CAP_IPC_LOCK, RLIMIT_MEMLOCK holds. */
		if (setrlimit(RLIMIT_MEMLOCK, &lim) ||
		    syscall(SYS_capset, &h, d))
			_exit(14);
		mr.memory_size = 8 << 20;
		if (ioctl(vm.fd, KVM_SET_USER_MEMORY_REGION, &mr) != -1 ||
		    errno != ENOMEM)
			_exit(15);
		if (vm_locked_kb() != before)
			_exit(16);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status)) TH_LOG("step %d failed",
						 WEXITSTATUS(status));
}

TEST_HARNESS_MAIN
