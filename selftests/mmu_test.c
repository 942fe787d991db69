// SPDX-License-Identifier: GPL-2.0
/*
 * The MMU choice and what either MMU must guarantee: SVMHV_SET_MMU and
 * the npt module parameter; a guest that scans its whole guest-physical
 * space sees its own memory and MMIO exits, nothing else (run under
 * svmhv NPT, svmhv shadow, and kvm_amd npt=1/0 as the oracle); CPUID and
 * CR4 under shadow paging; 1000 VMs under shadow paging leave no page
 * table page behind.
 */
#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "svmhv.h"
#include "svmhv_util.h"
#include "vm_util.h"
#include "guest_code.h"

#define CODE_GPA	0x10000
#define SCAN_MEM	(64UL << 20)
#define SCAN_MAGIC	0x5a5a5a5a5a5a5a5aULL
#define CYCLES		1000

static void up(struct __test_metadata *_metadata)
{
	ASSERT_EQ(0, vm_device_up());
}

static uint32_t vm_mmu_now(struct __test_metadata *_metadata, struct vm *vm)
{
	struct svmhv_vm_stats st;

	EXPECT_EQ(0, ioctl(vm->fd, SVMHV_GET_VM_STATS, &st));
	return st.mmu;
}

/* Run to HLT; false on any other exit. */
static bool run_to_hlt(struct vm *vm)
{
	return !vm_run(vm) && vm->run->exit_reason == KVM_EXIT_HLT;
}

TEST(set_mmu_picks_the_mmu_and_refuses_bad_modes)
{
	struct vm vm;

	up(_metadata);
	if (!vm_device_is_svmhv())
		SKIP(return, "svmhv's own ioctl");
	unsetenv("SVMHV_MMU");
	ASSERT_EQ(0, vm_create(&vm, 4 << 20));
	EXPECT_EQ(SVMHV_MMU_NPT, vm_mmu_now(_metadata, &vm));
	EXPECT_EQ(0, ioctl(vm.fd, SVMHV_SET_MMU, SVMHV_MMU_SHADOW));
	EXPECT_EQ(SVMHV_MMU_SHADOW, vm_mmu_now(_metadata, &vm));
	EXPECT_EQ(0, ioctl(vm.fd, SVMHV_SET_MMU, SVMHV_MMU_SHADOW));
	EXPECT_EQ(0, ioctl(vm.fd, SVMHV_SET_MMU, SVMHV_MMU_NPT));
	EXPECT_EQ(SVMHV_MMU_NPT, vm_mmu_now(_metadata, &vm));
	EXPECT_EQ(-1, ioctl(vm.fd, SVMHV_SET_MMU, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(vm.fd, SVMHV_SET_MMU, 3));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(vm.sys_fd, SVMHV_SET_MMU, SVMHV_MMU_SHADOW));
	EXPECT_EQ(ENOTTY, errno);
	vm_destroy(&vm);
}

/* Slots, a vCPU and its registers exist: the switch keeps them all. */
TEST(set_mmu_after_setup_then_busy_after_run)
{
	uint64_t val;
	int mmu;

	up(_metadata);
	if (!vm_device_is_svmhv())
		SKIP(return, "svmhv's own ioctl");
	for (mmu = SVMHV_MMU_NPT; mmu <= SVMHV_MMU_SHADOW; mmu++) {
		struct vm vm;

		unsetenv("SVMHV_MMU");
		ASSERT_EQ(0, vm_create(&vm, 4 << 20));
		vm_setup_long(&vm, CODE_GPA, store_start, GUEST_LEN(store));
		EXPECT_EQ(0, ioctl(vm.fd, SVMHV_SET_MMU,
				   mmu == SVMHV_MMU_NPT ? SVMHV_MMU_SHADOW :
							  SVMHV_MMU_NPT));
		EXPECT_EQ(0, ioctl(vm.fd, SVMHV_SET_MMU, mmu));
		EXPECT_EQ(mmu, vm_mmu_now(_metadata, &vm));
		ASSERT_TRUE(run_to_hlt(&vm));
		memcpy(&val, vm.mem + 0x200000, 8);
		EXPECT_EQ(0x1234, val);
		EXPECT_EQ(-1, ioctl(vm.fd, SVMHV_SET_MMU, SVMHV_MMU_SHADOW));
		EXPECT_EQ(EBUSY, errno);
		vm_destroy(&vm);
	}
}

TEST(npt_parameter_sets_the_default)
{
	const char *path = svmhv_module_path();
	struct vm vm;
	int fd;

	if (!vm_device_is_svmhv())
		SKIP(return, "svmhv's own parameter");
	ASSERT_NE(NULL, path);
	if (module_loaded("svmhv"))
		ASSERT_EQ(0, svmhv_unload());
	fd = open(path, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, syscall(SYS_finit_module, fd, "npt=7", 0));
	EXPECT_EQ(EINVAL, errno);
	ASSERT_EQ(0, syscall(SYS_finit_module, fd, "npt=0", 0));
	close(fd);
	unsetenv("SVMHV_MMU");
	ASSERT_EQ(0, vm_create(&vm, 4 << 20));
	EXPECT_EQ(SVMHV_MMU_SHADOW, vm_mmu_now(_metadata, &vm));
	vm_setup_long(&vm, CODE_GPA, store_start, GUEST_LEN(store));
	EXPECT_TRUE(run_to_hlt(&vm));
	vm_destroy(&vm);
	EXPECT_EQ(0, svmhv_unload());
	EXPECT_EQ(0, svmhv_load());
}

/*
 * A VM whose guest reads every page of its RAM and samples the rest of
 * its first 512 GiB: RAM must hold what the host put there (@magic
 * XORed with the address), and every other read must be an MMIO exit for
 * exactly that address.  Run in the test's thread or a thread of its own.
 */
struct scanner {
	uint64_t mem, magic;
	int mmu;		/* SVMHV_MMU_*, or 0 for the default */
	int err;		/* a setup step that failed, or 0 */
	int run_errno, exit_reason;	/* how step 4 ended */
	bool lost;		/* the emulated CPU failed the vCPU (below) */
	uint64_t pages, probes, bad, exits, stray;
};

/* Whether @vm runs under nested paging, where the CPU walks its tables. */
static bool vm_nested(struct vm *vm)
{
	struct svmhv_vm_stats st;

	if (!vm->is_svmhv)
		return vm_mmu() != SVMHV_MMU_SHADOW;
	return !ioctl(vm->fd, SVMHV_GET_VM_STATS, &st) &&
	       st.mmu == SVMHV_MMU_NPT;
}

static void *scan_one(void *arg)
{
	struct scanner *sc = arg;
	uint64_t gpa, magic = SCAN_MAGIC;
	struct kvm_regs regs;
	struct vm vm;
	uint8_t *code;
	size_t i;

	sc->err = 1;
	if (vm_create(&vm, sc->mem))
		goto out;
	sc->err = 2;
	if (vm.is_svmhv && sc->mmu && ioctl(vm.fd, SVMHV_SET_MMU, sc->mmu))
		goto out;
	sc->err = 3;
	if (vm_set_cpuid(&vm))
		goto out;
	for (gpa = 1 << 20; gpa < sc->mem; gpa += 4096) {
		uint64_t v = gpa ^ sc->magic;

		memcpy(vm.mem + gpa + 0xff8, &v, 8);
	}
	vm_setup_long(&vm, CODE_GPA, scan_start, GUEST_LEN(scan));
	/* This VM's pattern in place of the one built into the scan. */
	code = vm.mem + CODE_GPA;
	for (i = 0; i + 8 <= GUEST_LEN(scan); i++)
		if (!memcmp(code + i, &magic, 8))
			memcpy(code + i, &sc->magic, 8);
	ioctl(vm.vcpu_fd, KVM_GET_REGS, &regs);
	regs.rdi = sc->mem;
	ioctl(vm.vcpu_fd, KVM_SET_REGS, &regs);
	sc->err = 4;
	for (;;) {
		if (vm_run(&vm)) {
			sc->run_errno = errno;
			goto out;
		}
		sc->exit_reason = vm.run->exit_reason;
		if (vm.run->exit_reason == KVM_EXIT_HLT)
			break;
		if (vm.run->exit_reason == KVM_EXIT_INTERNAL_ERROR &&
		    vm.run->internal.suberror ==
		    SVMHV_INTERNAL_ERROR_LOST_STATE)
			sc->lost = true;
		/* The scan cannot fault: the CPU's own walk failed it. */
		if (vm.run->exit_reason == KVM_EXIT_SHUTDOWN && vm_nested(&vm))
			sc->lost = true;
		if (vm.run->exit_reason != KVM_EXIT_MMIO ||
		    vm.run->mmio.is_write || vm.run->mmio.len != 8)
			goto out;
		gpa = vm.run->mmio.phys_addr;
		if (gpa < sc->mem || gpa >= (512ULL << 30))
			sc->stray++;
		gpa = ~gpa;
		memcpy(vm.run->mmio.data, &gpa, 8);
		sc->exits++;
	}
	sc->pages = vm_get_reg(&vm, VM_RBX);
	sc->probes = vm_get_reg(&vm, VM_RCX);
	sc->bad = vm_get_reg(&vm, VM_RDX);
	sc->err = 0;
out:
	vm_destroy(&vm);
	return NULL;
}

/* What scan_one() found must be exactly what the scan should see. */
static void check_scan(struct __test_metadata *_metadata,
		       const struct scanner *sc, int i)
{
	uint64_t want = ((4ULL << 30) - sc->mem) / (2 << 20) + 512 - 4;

	EXPECT_EQ(0, sc->err) TH_LOG("VM %d: setup step or exit %d (errno %d, exit %d)",
				     i, sc->err, sc->run_errno,
				     sc->exit_reason);
	EXPECT_EQ((sc->mem - (1 << 20)) / 4096, sc->pages);
	EXPECT_EQ(want, sc->probes);
	EXPECT_EQ(want, sc->exits);
	EXPECT_EQ(0, sc->stray) TH_LOG("VM %d: MMIO exits outside", i);
	EXPECT_EQ(0, sc->bad) TH_LOG("VM %d saw memory not its own", i);
}

TEST(guest_scan_sees_only_its_memory)
{
	struct scanner sc = { .mem = SCAN_MEM, .magic = SCAN_MAGIC,
			      .mmu = vm_mmu() };

	up(_metadata);
	scan_one(&sc);
	check_scan(_metadata, &sc, 0);
}

/* Scan with both VMs at once, each in a thread of its own. */
static void scan_two(struct __test_metadata *_metadata, struct scanner *sc)
{
	pthread_t t[2];
	int i;

	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, pthread_create(&t[i], NULL, scan_one, &sc[i]));
	for (i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
}

/*
 * Two VMs of different sizes and patterns scan at once, one under each
 * MMU on svmhv: each sees its own memory and MMIO exits, nothing of the
 * other and nothing of the host.  With two CPUs, the emulated CPU now
 * and then loses a running vCPU's state (svmhv says so with
 * SVMHV_INTERNAL_ERROR_LOST_STATE and a kernel message), or, under
 * nested paging, delivers a #PF for a page the guest's tables map, and
 * the guest, which has no IDT, shuts down (docs/testing.md): the scan is
 * then run again, up to three times.
 */
TEST(two_vms_scan_at_once_and_see_only_their_own)
{
	const struct scanner init[2] = {
		{ .mem = SCAN_MEM, .magic = 0x1111deadbeef2222ULL,
		  .mmu = vm_mmu() },
		{ .mem = SCAN_MEM / 2 + (16 << 20),
		  .magic = 0x3333cafef00d4444ULL,
		  .mmu = vm_mmu() == SVMHV_MMU_SHADOW ? SVMHV_MMU_NPT :
			 SVMHV_MMU_SHADOW },
	};
	struct scanner sc[2];
	int i, tries;

	up(_metadata);
	for (tries = 0; tries < 3; tries++) {
		memcpy(sc, init, sizeof(sc));
		if (!vm_device_is_svmhv())
			sc[1].mmu = 0;		/* kvm_amd: npt as loaded */
		scan_two(_metadata, sc);
		if (!sc[0].lost && !sc[1].lost)
			break;
		TH_LOG("the emulated CPU failed a vCPU (exit %d, %d: lost state or a shutdown under nested paging, docs/testing.md): scanning again",
		       sc[0].exit_reason, sc[1].exit_reason);
	}
	if (sc[0].lost || sc[1].lost)
		SKIP(return, "the emulated CPU failed a vCPU three times");
	for (i = 0; i < 2; i++)
		check_scan(_metadata, &sc[i], i);
}

TEST(shadow_hides_pcid_smep_smap_and_refuses_them_in_cr4)
{
	struct kvm_sregs sregs;
	struct vm vm;

	up(_metadata);
	if (vm_mmu() != SVMHV_MMU_SHADOW)
		SKIP(return, "shadow paging only");
	ASSERT_EQ(0, vm_create(&vm, 4 << 20));
	vm_setup_long(&vm, CODE_GPA, features_start, GUEST_LEN(features));
	ASSERT_TRUE(run_to_hlt(&vm));
	EXPECT_EQ(0, vm_get_reg(&vm, VM_R8) & (1 << 17));		/* PCID */
	EXPECT_EQ(0, vm_get_reg(&vm, VM_R9) & ((1 << 7) | (1 << 20)));
	if (vm.is_svmhv) {
		ASSERT_EQ(0, ioctl(vm.vcpu_fd, KVM_GET_SREGS, &sregs));
		sregs.cr4 |= 1 << 20;					/* SMEP */
		EXPECT_EQ(-1, ioctl(vm.vcpu_fd, KVM_SET_SREGS, &sregs));
		EXPECT_EQ(EINVAL, errno);
	}
	vm_destroy(&vm);
}

/* @name's count in debugfs mmu_pages, or -1. */
static long table_pages(const char *name)
{
	char buf[256], *p;

	if (read_file("/sys/kernel/debug/svmhv/mmu_pages", buf,
		      sizeof(buf)) <= 0)
		return -1;
	p = strstr(buf, name);
	return p ? strtol(p + strlen(name) + 1, NULL, 10) : -1;
}

/* A fixture only for the timeout: the debug kernel needs minutes. */
FIXTURE(cycles) {};
FIXTURE_SETUP(cycles) {}
FIXTURE_TEARDOWN(cycles) {}

TEST_F_TIMEOUT(cycles, shadow_vm_cycles_leave_no_table_page, 900)
{
	struct svmhv_vm_stats st;
	int i;

	up(_metadata);
	if (!vm_device_is_svmhv())
		SKIP(return, "svmhv's own counters");
	if (vm_mmu() != SVMHV_MMU_SHADOW)
		SKIP(return, "runs once, as mmu_test@shadow");
	for (i = 0; i < CYCLES; i++) {
		struct vm vm;

		ASSERT_EQ(0, vm_create(&vm, 4 << 20));
		vm_setup_long(&vm, CODE_GPA, store_start, GUEST_LEN(store));
		ASSERT_TRUE(run_to_hlt(&vm));
		if (i == 0) {
			ASSERT_EQ(0, ioctl(vm.fd, SVMHV_GET_VM_STATS, &st));
			EXPECT_EQ(SVMHV_MMU_SHADOW, st.mmu);
			EXPECT_LT(0, st.shadow[SVMHV_SHADOW_PAGES]);
			EXPECT_LT(0, table_pages("shadow"));
		}
		vm_destroy(&vm);
	}
	EXPECT_EQ(0, table_pages("shadow"));
	EXPECT_EQ(0, table_pages("npt"));
}

TEST_HARNESS_MAIN
