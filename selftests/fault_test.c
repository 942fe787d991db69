// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection: each allocation on the paths of VM, vCPU, slot and
 * device creation, slot moves and deletes, SVMHV_SET_MMU, KVM_SET_CPUID2
 * and a KVM_RUN that grows the MMU's tables is made to fail in turn (the
 * task's fail-nth; failslab and fail_page_alloc are set to fail sleeping
 * allocations too).  Each failure must be a clean errno that leaves the
 * VM as it was: the same call made again succeeds, the pinned pages and
 * mapped leaves are as before, and the debug kernel's KASAN, lockdep and
 * kmemleak (the boot checks them) report nothing.  Each test prints the
 * number of allocations it made fail as the metric fault-sites.
 * Needs CONFIG_FAULT_INJECTION (the debug kernel); skips elsewhere.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "svmhv_util.h"
#include "vm_util.h"
#include "guest_code.h"
#include "../uapi/svmhv.h"

#define MEM_SIZE	(8UL << 20)
#define SLOT_SIZE	(64UL << 10)	/* 16 pages: each can fail */
#define CODE_GPA	0x10000
#define DATA_GPA	(2UL << 20)
#define DATA_WORDS	((4UL << 20) / 8)
#define MAX_NTH		2000
#define FAULT_DEBUGFS	"/sys/kernel/debug/"

/* The state one attempt starts from, and what the call under test did. */
struct fctx {
	struct vm vm;
	void *mem;			/* SLOT_SIZE bytes for slot 1 */
	struct svmhv_vm_stats before;
	int mmu;			/* SVMHV_SET_MMU's argument */
	int ret, err;
};

struct fault_op {
	const char *name;
	/* Build the state the call starts from; 0 or -errno. */
	int (*prepare)(struct fctx *c);
	/* The call whose allocations fail in turn: as ioctl() returns. */
	int (*call)(struct fctx *c);
	/* After the call, with injection off: the VM is whole. */
	void (*check)(struct __test_metadata *_metadata, struct fctx *c);
};

static int write_str(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) != (ssize_t)strlen(val))
		ret = -errno;
	close(fd);
	return ret;
}

/*
 * Let fail-nth fail every allocation the ioctls make: by default the
 * kernel spares sleeping ones, highmem pages and order 0, and prints a
 * stack for each failure.
 */
static int fault_injection_setup(void)
{
	static const char *const attr[][2] = {
		{ "failslab/ignore-gfp-wait", "N" },
		{ "failslab/verbose", "0" },
		{ "fail_page_alloc/ignore-gfp-wait", "N" },
		{ "fail_page_alloc/ignore-gfp-highmem", "N" },
		{ "fail_page_alloc/min-order", "0" },
		{ "fail_page_alloc/verbose", "0" },
	};
	char path[128];
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(attr); i++) {
		snprintf(path, sizeof(path), FAULT_DEBUGFS "%s", attr[i][0]);
		ret = write_str(path, attr[i][1]);
		if (ret)
			return ret;
	}
	return open("/proc/thread-self/fail-nth", O_RDWR);
}

static void nth_arm(int fd, unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	pwrite(fd, buf, len, 0);
}

/* Disarm; true if the armed allocation was made to fail. */
static bool nth_disarm(int fd)
{
	char buf[16] = "";

	pread(fd, buf, sizeof(buf) - 1, 0);
	pwrite(fd, "0", 1, 0);
	return atoi(buf) == 0;
}

static struct svmhv_vm_stats stats(struct vm *vm)
{
	struct svmhv_vm_stats st = { 0 };

	ioctl(vm->fd, SVMHV_GET_VM_STATS, &st);
	return st;
}

static int set_slot1(struct fctx *c, uint64_t gpa, uint64_t size)
{
	struct kvm_userspace_memory_region mr = {
		.slot = 1,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uintptr_t)c->mem,
	};

	return ioctl(c->vm.fd, KVM_SET_USER_MEMORY_REGION, &mr);
}

/* The mapping half of the stats: pinned pages and leaves. */
static void expect_same_mapping(struct __test_metadata *_metadata,
				const struct svmhv_vm_stats *a,
				const struct svmhv_vm_stats *b)
{
	EXPECT_EQ(a->pinned_pages, b->pinned_pages);
	EXPECT_EQ(0, memcmp(a->leaves, b->leaves, sizeof(a->leaves)));
	EXPECT_EQ(a->shadow[SVMHV_SHADOW_LEAVES],
		  b->shadow[SVMHV_SHADOW_LEAVES]);
}

/* sum_flip (guest_code.S) over @words words at @gpa, in long mode. */
static void setup_sum_flip(struct vm *vm, uint64_t gpa, uint64_t words)
{
	struct kvm_regs r;

	vm_setup_long(vm, CODE_GPA, sum_flip_start, GUEST_LEN(sum_flip));
	ioctl(vm->vcpu_fd, KVM_GET_REGS, &r);
	r.rsi = gpa;
	r.rcx = words;
	ioctl(vm->vcpu_fd, KVM_SET_REGS, &r);
}

/* ---- the calls ---- */

static int prep_bare(struct fctx *c)
{
	return vm_create_bare(&c->vm, MEM_SIZE);
}

static int prep_vcpu(struct fctx *c)
{
	return vm_create(&c->vm, MEM_SIZE);
}

static int prep_slot1(struct fctx *c)
{
	int ret = vm_create_bare(&c->vm, MEM_SIZE);

	if (ret)
		return ret;
	return set_slot1(c, 16UL << 20, SLOT_SIZE) ? -errno : 0;
}

static int call_create_vm(struct fctx *c)
{
	int fd = ioctl(c->vm.sys_fd, KVM_CREATE_VM, 0);

	if (fd >= 0)
		close(fd);
	return fd < 0 ? fd : 0;
}

static void check_create_vm(struct __test_metadata *_metadata,
			    struct fctx *c)
{
	EXPECT_EQ(0, call_create_vm(c));
}

static int call_create_vcpu(struct fctx *c)
{
	int fd = ioctl(c->vm.fd, KVM_CREATE_VCPU, 0);

	if (fd >= 0)
		c->vm.vcpu_fd = fd;
	return fd < 0 ? fd : 0;
}

static void check_create_vcpu(struct __test_metadata *_metadata,
			      struct fctx *c)
{
	if (c->ret)
		EXPECT_EQ(0, stats(&c->vm).nr_vcpus);
	/* The id is free again (or taken by the call that worked). */
	EXPECT_EQ(c->ret ? 0 : -1, call_create_vcpu(c));
	EXPECT_EQ(1, stats(&c->vm).nr_vcpus);
}

static int call_add_slot(struct fctx *c)
{
	return set_slot1(c, 16UL << 20, SLOT_SIZE);
}

static void check_add_slot(struct __test_metadata *_metadata, struct fctx *c)
{
	struct svmhv_vm_stats st = stats(&c->vm);

	if (c->ret) {
		expect_same_mapping(_metadata, &c->before, &st);
		EXPECT_EQ(0, call_add_slot(c));
	}
	EXPECT_EQ(c->before.pinned_pages + SLOT_SIZE / 4096,
		  stats(&c->vm).pinned_pages);
	EXPECT_EQ(0, set_slot1(c, 0, 0));
}

static int call_move_slot(struct fctx *c)
{
	return set_slot1(c, 32UL << 20, SLOT_SIZE);
}

static void check_move_slot(struct __test_metadata *_metadata,
			    struct fctx *c)
{
	struct svmhv_vm_stats st = stats(&c->vm);

	expect_same_mapping(_metadata, &c->before, &st);
	/* Still where it was: moving it there is no change, only once. */
	if (c->ret)
		EXPECT_EQ(0, call_move_slot(c));
	EXPECT_EQ(0, set_slot1(c, 0, 0));
	EXPECT_EQ(-1, set_slot1(c, 0, 0));
}

static int call_delete_slot(struct fctx *c)
{
	return set_slot1(c, 0, 0);
}

static void check_delete_slot(struct __test_metadata *_metadata,
			      struct fctx *c)
{
	struct svmhv_vm_stats st = stats(&c->vm);

	if (c->ret) {
		expect_same_mapping(_metadata, &c->before, &st);
		EXPECT_EQ(0, call_delete_slot(c));
	}
	EXPECT_EQ(c->before.pinned_pages - SLOT_SIZE / 4096,
		  stats(&c->vm).pinned_pages);
}

/* The MMU this VM does not have: the other one's tables get built. */
static int other_mmu(struct vm *vm)
{
	return stats(vm).mmu == SVMHV_MMU_NPT ? SVMHV_MMU_SHADOW :
						  SVMHV_MMU_NPT;
}

static int prep_set_mmu(struct fctx *c)
{
	int ret = prep_slot1(c);

	c->mmu = other_mmu(&c->vm);
	return ret;
}

static int call_set_mmu(struct fctx *c)
{
	return ioctl(c->vm.fd, SVMHV_SET_MMU, c->mmu);
}

/* Failed: the VM keeps its MMU and its mappings; again: it works. */
static void check_set_mmu(struct __test_metadata *_metadata, struct fctx *c)
{
	struct svmhv_vm_stats st = stats(&c->vm);

	if (c->ret) {
		EXPECT_EQ(c->before.mmu, st.mmu);
		expect_same_mapping(_metadata, &c->before, &st);
		EXPECT_EQ(0, call_set_mmu(c));
	}
	st = stats(&c->vm);
	EXPECT_EQ(c->mmu, st.mmu);
	EXPECT_EQ(c->before.pinned_pages, st.pinned_pages);
	/* Both slots are mapped under the new MMU: a guest reads slot 1. */
	EXPECT_EQ(0, vm_create_vcpu0(&c->vm));
	*(uint64_t *)c->mem = 0x5eed;
	setup_sum_flip(&c->vm, 16UL << 20, 1);
	EXPECT_EQ(0, vm_run(&c->vm));
	EXPECT_EQ(KVM_EXIT_HLT, c->vm.run->exit_reason);
	EXPECT_EQ(0x5eed, vm_get_reg(&c->vm, VM_RBX));
}

static int call_irqchip(struct fctx *c)
{
	return ioctl(c->vm.fd, KVM_CREATE_IRQCHIP, 0);
}

static int call_pit(struct fctx *c)
{
	struct kvm_pit_config pit = { 0 };

	return ioctl(c->vm.fd, KVM_CREATE_PIT2, &pit);
}

static int call_uart(struct fctx *c)
{
	int fd = ioctl(c->vm.fd, SVMHV_CREATE_UART, 0);

	if (fd >= 0)
		close(fd);
	return fd < 0 ? fd : 0;
}

static int call_pc_ports(struct fctx *c)
{
	return ioctl(c->vm.fd, SVMHV_ENABLE_PC_PORTS, 0);
}

static int prep_irqchip(struct fctx *c)
{
	int ret = vm_create_bare(&c->vm, MEM_SIZE);

	return ret ? ret : call_irqchip(c) ? -errno : 0;
}

static int call_cpuid(struct fctx *c)
{
	static struct {
		struct kvm_cpuid2 c;
		struct kvm_cpuid_entry2 e[256];
	} cpuid;

	cpuid.c.nent = 256;
	if (ioctl(c->vm.sys_fd, KVM_GET_SUPPORTED_CPUID, &cpuid))
		return -2;
	return ioctl(c->vm.vcpu_fd, KVM_SET_CPUID2, &cpuid);
}

/* Two MSRs: a failed copy of the list writes neither. */
static int call_set_msrs(struct fctx *c)
{
	struct {
		struct kvm_msrs m;
		struct kvm_msr_entry e[2];
	} msrs = {
		.m.nmsrs = 2,
		.e = { { .index = 0xc0000081, .data = 0x0023001000000000ULL },
		       { .index = 0xc0000084, .data = 0x4700 } },
	};
	int ret = ioctl(c->vm.vcpu_fd, KVM_SET_MSRS, &msrs);

	return ret == 2 ? 0 : ret < 0 ? ret : -2;
}

static void check_set_msrs(struct __test_metadata *_metadata, struct fctx *c)
{
	struct {
		struct kvm_msrs m;
		struct kvm_msr_entry e;
	} get = { .m.nmsrs = 1, .e.index = 0xc0000081 };

	ASSERT_EQ(1, ioctl(c->vm.vcpu_fd, KVM_GET_MSRS, &get));
	EXPECT_EQ(c->ret ? 0 : 0x0023001000000000ULL, get.e.data);
	if (c->ret)
		EXPECT_EQ(0, call_set_msrs(c));
}

/* Failed: made again, it works (nothing half made is in the way). */
#define CHECK_AGAIN(name)						\
static void check_##name(struct __test_metadata *_metadata,		\
			 struct fctx *c)				\
{									\
	if (c->ret)							\
		EXPECT_EQ(0, call_##name(c)) TH_LOG("again: %s",	\
						    strerror(errno));	\
}
CHECK_AGAIN(irqchip)
CHECK_AGAIN(pit)
CHECK_AGAIN(uart)
CHECK_AGAIN(pc_ports)
CHECK_AGAIN(cpuid)

/*
 * A guest that sums and flips 4 MiB (sum_flip): the MMU's tables grow
 * while it runs (under shadow paging, shadow pages for every region it
 * touches).
 */
static int prep_run(struct fctx *c)
{
	uint64_t *w;
	size_t i;
	int ret = vm_create(&c->vm, MEM_SIZE);

	if (ret)
		return ret;
	w = (uint64_t *)(c->vm.mem + DATA_GPA);
	for (i = 0; i < DATA_WORDS; i++)
		w[i] = i * 0x9e3779b97f4a7c15ULL;
	setup_sum_flip(&c->vm, DATA_GPA, DATA_WORDS);
	return 0;
}

static int call_run(struct fctx *c)
{
	return vm_run(&c->vm);
}

/* Failed or not, the guest goes on to the same result. */
static void check_run(struct __test_metadata *_metadata, struct fctx *c)
{
	uint64_t *w = (uint64_t *)(c->vm.mem + DATA_GPA), sum = 0;
	struct svmhv_vm_stats st;
	size_t i;

	if (c->ret || c->vm.run->exit_reason != KVM_EXIT_HLT)
		EXPECT_EQ(0, vm_run(&c->vm));
	ASSERT_EQ(KVM_EXIT_HLT, c->vm.run->exit_reason)
		TH_LOG("exit %u", c->vm.run->exit_reason);
	for (i = 0; i < DATA_WORDS; i++) {
		EXPECT_EQ(i * 0x9e3779b97f4a7c15ULL, ~w[i]);
		sum += ~w[i];
	}
	EXPECT_EQ(sum, vm_get_reg(&c->vm, VM_RBX));
	st = stats(&c->vm);
	EXPECT_EQ(st.shadow[SVMHV_SHADOW_PAGES],
		  st.shadow[SVMHV_SHADOW_ALLOCATED] -
		  st.shadow[SVMHV_SHADOW_ZAPPED]);
}

/* ---- the sweep ---- */

static void attempt_end(struct fctx *c)
{
	vm_destroy(&c->vm);
	if (c->mem)
		munmap(c->mem, SLOT_SIZE);
}

/*
 * Make allocation 1, 2, ... of op->call fail until a call makes no more
 * allocations than that; each attempt starts from a fresh VM.
 */
static void sweep(struct __test_metadata *_metadata, const struct fault_op *op)
{
	int nth = fault_injection_setup();
	unsigned int n;
	bool injected = true;

	if (nth < 0)
		SKIP(return, "no fault injection in this kernel (%s)",
		     strerror(-nth));
	ASSERT_EQ(0, vm_device_up());
	for (n = 1; injected && n <= MAX_NTH; n++) {
		struct fctx c = { 0 };

		c.mem = mmap(NULL, SLOT_SIZE, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		ASSERT_NE(MAP_FAILED, c.mem);
		ASSERT_EQ(0, op->prepare(&c)) TH_LOG("%s: prepare", op->name);
		c.before = stats(&c.vm);
		nth_arm(nth, n);
		c.ret = op->call(&c);
		c.err = errno;
		injected = nth_disarm(nth);
		if (c.ret < 0)
			EXPECT_TRUE(injected && (c.err == ENOMEM ||
						 c.err == EFAULT))
				TH_LOG("%s, allocation %u: %s", op->name, n,
				       strerror(c.err));
		op->check(_metadata, &c);
		attempt_end(&c);
		if (_metadata->passed == 0) {
			TH_LOG("%s: failed with allocation %u made to fail",
			       op->name, n);
			break;
		}
	}
	close(nth);
	EXPECT_FALSE(injected) TH_LOG("%s: more than %d allocations",
				      op->name, MAX_NTH);
	printf("# %s: %u allocations made to fail in turn\n", op->name, n - 2);
	printf("# svmhv-metric: fault-sites %u\n", n - 2);
}

FIXTURE(fault) {};
FIXTURE_SETUP(fault) {}
FIXTURE_TEARDOWN(fault) {}

FIXTURE_VARIANT(fault) {
	struct fault_op op;
};

FIXTURE_VARIANT_ADD(fault, create_vm) {
	.op = { "create_vm", prep_bare, call_create_vm, check_create_vm },
};

FIXTURE_VARIANT_ADD(fault, create_vcpu) {
	.op = { "create_vcpu", prep_bare, call_create_vcpu, check_create_vcpu },
};

FIXTURE_VARIANT_ADD(fault, add_slot) {
	.op = { "add_slot", prep_bare, call_add_slot, check_add_slot },
};

FIXTURE_VARIANT_ADD(fault, move_slot) {
	.op = { "move_slot", prep_slot1, call_move_slot, check_move_slot },
};

FIXTURE_VARIANT_ADD(fault, delete_slot) {
	.op = { "delete_slot", prep_slot1, call_delete_slot, check_delete_slot },
};

FIXTURE_VARIANT_ADD(fault, set_mmu) {
	.op = { "set_mmu", prep_set_mmu, call_set_mmu, check_set_mmu },
};

FIXTURE_VARIANT_ADD(fault, irqchip) {
	.op = { "irqchip", prep_bare, call_irqchip, check_irqchip },
};

FIXTURE_VARIANT_ADD(fault, pit) {
	.op = { "pit", prep_irqchip, call_pit, check_pit },
};

FIXTURE_VARIANT_ADD(fault, uart) {
	.op = { "uart", prep_irqchip, call_uart, check_uart },
};

FIXTURE_VARIANT_ADD(fault, pc_ports) {
	.op = { "pc_ports", prep_irqchip, call_pc_ports, check_pc_ports },
};

FIXTURE_VARIANT_ADD(fault, cpuid) {
	.op = { "cpuid", prep_vcpu, call_cpuid, check_cpuid },
};

FIXTURE_VARIANT_ADD(fault, set_msrs) {
	.op = { "set_msrs", prep_vcpu, call_set_msrs, check_set_msrs },
};

FIXTURE_VARIANT_ADD(fault, run) {
	.op = { "run", prep_run, call_run, check_run },
};

TEST_F(fault, each_allocation_fails_cleanly)
{
	sweep(_metadata, &variant->op);
}

TEST_HARNESS_MAIN
