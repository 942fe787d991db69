// SPDX-License-Identifier: GPL-2.0
/*
 * Dirty page logging: KVM_MEM_LOG_DIRTY_PAGES and KVM_GET_DIRTY_LOG.
 * A guest reads and writes chosen pages of a logging slot; the log must
 * name exactly the pages written, be empty when taken again, and name
 * pages written after it was taken (they were protected again); logging
 * goes off and on with the slot's flags and survives a move; the errnos
 * are KVM's; and what the hypervisor writes for the guest (a rep insb,
 * the accessed and dirty bits of the guest's page tables) is logged too.
 * Run under svmhv NPT and shadow, and kvm_amd npt=1/0 as the oracle.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "vm_util.h"

extern const unsigned char dirty_cmds_start[], dirty_cmds_end[];

#define CODE_GPA	0x10000
#define CMDS_GPA	0x20000		/* DIRTY_CMDS in dirty_code.S */
#define LOG_GPA		0x10000000ULL	/* slot 1 */
#define LOG_GPA2	0x20000000ULL	/* where slot 1 moves */
#define LOG_PAGES	64
#define PAGE		4096
#define INS_PORT	0xe8

enum { CMD_READ, CMD_WRITE, CMD_INS };

struct dvm {
	struct vm vm;
	uint8_t *log_mem;
	uint64_t log_gpa;
	int ncmds;
};

static int set_slot1(struct dvm *d, uint64_t gpa, uint32_t flags)
{
	struct kvm_userspace_memory_region mr = {
		.slot = 1,
		.flags = flags,
		.guest_phys_addr = gpa,
		.memory_size = LOG_PAGES * PAGE,
		.userspace_addr = (uintptr_t)d->log_mem,
	};

	if (ioctl(d->vm.fd, KVM_SET_USER_MEMORY_REGION, &mr))
		return -errno;
	d->log_gpa = gpa;
	return 0;
}

static int set_slot0_flags(struct dvm *d, uint32_t flags)
{
	struct kvm_userspace_memory_region mr = {
		.slot = 0,
		.flags = flags,
		.memory_size = d->vm.mem_size,
		.userspace_addr = (uintptr_t)d->vm.mem,
	};

	return ioctl(d->vm.fd, KVM_SET_USER_MEMORY_REGION, &mr) ? -errno : 0;
}

/* A VM in long mode running dirty_cmds, with slot 1 logging. */
static int dvm_create(struct dvm *d)
{
	int ret;

	memset(d, 0, sizeof(*d));
	ret = vm_create(&d->vm, 4 << 20);
	if (ret)
		return ret;
	d->log_mem = mmap(NULL, LOG_PAGES * PAGE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (d->log_mem == MAP_FAILED)
		return -errno;
	vm_setup_long(&d->vm, CODE_GPA, dirty_cmds_start,
		      dirty_cmds_end - dirty_cmds_start);
	return set_slot1(d, LOG_GPA, KVM_MEM_LOG_DIRTY_PAGES);
}

static void dvm_destroy(struct dvm *d)
{
	vm_destroy(&d->vm);
	if (d->log_mem && d->log_mem != MAP_FAILED)
		munmap(d->log_mem, LOG_PAGES * PAGE);
}

/* Queue @op on slot 1's page @page, at byte @off. */
static void cmd(struct dvm *d, int op, int page, int off)
{
	uint64_t *list = (uint64_t *)(d->vm.mem + CMDS_GPA);

	list[d->ncmds++] = (d->log_gpa + page * PAGE + off) | op;
	list[d->ncmds] = 0;
}

/*
 * Run the queued commands to the guest's HLT, answering its port reads
 * with 0xa5; false on any other exit.  @ins_bytes: how many it read.
 */
static bool dvm_run(struct dvm *d, int *ins_bytes)
{
	struct kvm_run *run = d->vm.run;

	*ins_bytes = 0;
	for (;;) {
		if (vm_run(&d->vm))
			return false;
		if (run->exit_reason == KVM_EXIT_HLT)
			break;
		if (run->exit_reason != KVM_EXIT_IO ||
		    run->io.direction != KVM_EXIT_IO_IN ||
		    run->io.port != INS_PORT)
			return false;
		memset((uint8_t *)run + run->io.data_offset, 0xa5,
		       run->io.size * run->io.count);
		*ins_bytes += run->io.size * run->io.count;
	}
	d->ncmds = 0;
	return true;
}

static int get_log(struct dvm *d, uint32_t slot, uint64_t *bits)
{
	struct kvm_dirty_log log = { .slot = slot, .dirty_bitmap = bits };

	return ioctl(d->vm.fd, KVM_GET_DIRTY_LOG, &log) ? -errno : 0;
}

/* Slot 1's log, with @page1..., -1-terminated, expected set exactly. */
static bool log_is(struct __test_metadata *_metadata, struct dvm *d, ...)
{
	uint64_t bits = 0, want = 0;
	va_list ap;
	int p;

	va_start(ap, d);
	while ((p = va_arg(ap, int)) >= 0)
		want |= 1ULL << p;
	va_end(ap);
	EXPECT_EQ(0, get_log(d, 1, &bits));
	EXPECT_EQ(want, bits);
	return want == bits;
}

TEST(log_names_exactly_the_pages_written)
{
	int written[] = { 0, 3, 17, 63 }, read[] = { 1, 5, 18, 62 };
	uint64_t val;
	struct dvm d;
	int i, ins;

	ASSERT_EQ(0, vm_device_up());
	ASSERT_EQ(0, dvm_create(&d));
	/* Logging starts clean. */
	EXPECT_TRUE(log_is(_metadata, &d, -1));
	for (i = 0; i < 4; i++) {
		cmd(&d, CMD_WRITE, written[i], 8 * i);
		cmd(&d, CMD_READ, read[i], 0);
	}
	ASSERT_TRUE(dvm_run(&d, &ins));
	EXPECT_TRUE(log_is(_metadata, &d, 0, 3, 17, 63, -1));
	memcpy(&val, d.log_mem + 17 * PAGE + 16, 8);
	EXPECT_EQ(LOG_GPA + 17 * PAGE + 16, val);
	/* Taken: the next look finds nothing. */
	EXPECT_TRUE(log_is(_metadata, &d, -1));
	/* Page 3 again, page 5 first written now: both protected again. */
	cmd(&d, CMD_WRITE, 3, 0);
	cmd(&d, CMD_WRITE, 5, 0);
	cmd(&d, CMD_READ, 17, 0);
	ASSERT_TRUE(dvm_run(&d, &ins));
	EXPECT_TRUE(log_is(_metadata, &d, 3, 5, -1));
	/* Many rounds over the same pages. */
	for (i = 0; i < 20; i++) {
		cmd(&d, CMD_WRITE, i % 7, 0);
		cmd(&d, CMD_WRITE, 40 + i % 3, 0);
		ASSERT_TRUE(dvm_run(&d, &ins));
		ASSERT_TRUE(log_is(_metadata, &d, i % 7, 40 + i % 3, -1));
	}
	dvm_destroy(&d);
}

TEST(logging_goes_off_and_on_and_survives_a_move)
{
	uint64_t bits;
	struct dvm d;
	int ins;

	ASSERT_EQ(0, vm_device_up());
	ASSERT_EQ(0, dvm_create(&d));
	cmd(&d, CMD_WRITE, 2, 0);
	ASSERT_TRUE(dvm_run(&d, &ins));
	/* Off: no log to take. */
	ASSERT_EQ(0, set_slot1(&d, LOG_GPA, 0));
	EXPECT_EQ(-ENOENT, get_log(&d, 1, &bits));
	cmd(&d, CMD_WRITE, 4, 0);
	ASSERT_TRUE(dvm_run(&d, &ins));
	/* On again: a new, empty log; page 2's bit went with the old one. */
	ASSERT_EQ(0, set_slot1(&d, LOG_GPA, KVM_MEM_LOG_DIRTY_PAGES));
	EXPECT_TRUE(log_is(_metadata, &d, -1));
	cmd(&d, CMD_WRITE, 6, 0);
	cmd(&d, CMD_READ, 4, 0);
	ASSERT_TRUE(dvm_run(&d, &ins));
	EXPECT_TRUE(log_is(_metadata, &d, 6, -1));
	/* A move keeps the log, and the moved slot logs at its new place. */
	cmd(&d, CMD_WRITE, 7, 0);
	ASSERT_TRUE(dvm_run(&d, &ins));
	ASSERT_EQ(0, set_slot1(&d, LOG_GPA2, KVM_MEM_LOG_DIRTY_PAGES));
	EXPECT_TRUE(log_is(_metadata, &d, 7, -1));
	cmd(&d, CMD_WRITE, 8, 0);
	cmd(&d, CMD_WRITE, 7, 0);
	ASSERT_TRUE(dvm_run(&d, &ins));
	EXPECT_TRUE(log_is(_metadata, &d, 7, 8, -1));
	/* And the same request again changes nothing. */
	ASSERT_EQ(0, set_slot1(&d, LOG_GPA2, KVM_MEM_LOG_DIRTY_PAGES));
	EXPECT_TRUE(log_is(_metadata, &d, -1));
	dvm_destroy(&d);
}

TEST(errnos_are_kvms)
{
	uint64_t bits[(4 << 20) / PAGE / 64];	/* slot 0's log */
	struct dvm d;

	ASSERT_EQ(0, vm_device_up());
	ASSERT_EQ(0, dvm_create(&d));
	EXPECT_EQ(-ENOENT, get_log(&d, 0, bits));	/* does not log */
	EXPECT_EQ(-ENOENT, get_log(&d, 5, bits));	/* no such slot */
	EXPECT_EQ(-ENOENT, get_log(&d, 1000, bits));	/* none so high */
	EXPECT_EQ(-ENOENT, get_log(&d, 1 << 16 | 1, bits)); /* SMM space */
	EXPECT_EQ(-EINVAL, get_log(&d, 0x7fff, bits));	/* above KVM's ids */
	EXPECT_EQ(-EINVAL, get_log(&d, 2 << 16 | 1, bits));
	EXPECT_EQ(-EINVAL, get_log(&d, 0xffffffff, bits));
	EXPECT_EQ(-EFAULT, get_log(&d, 1, NULL));
	EXPECT_EQ(-EFAULT, get_log(&d, 1, (uint64_t *)8));
	EXPECT_EQ(0, get_log(&d, 1, bits));
	/* An unknown flag; logging on slot 0 and off again. */
	EXPECT_EQ(-EINVAL, set_slot1(&d, LOG_GPA, 1 << 5));
	EXPECT_EQ(0, set_slot0_flags(&d, KVM_MEM_LOG_DIRTY_PAGES));
	EXPECT_EQ(0, get_log(&d, 0, bits));
	EXPECT_EQ(0, set_slot0_flags(&d, 0));
	EXPECT_EQ(-ENOENT, get_log(&d, 0, bits));
	/* Only the basic log: no manual protection. */
	if (d.vm.is_svmhv)
		EXPECT_EQ(0, ioctl(d.vm.fd, KVM_CHECK_EXTENSION,
				   KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2));
	dvm_destroy(&d);
}

/* A rep insb across a page boundary: the hypervisor writes two pages. */
TEST(writes_by_the_hypervisor_are_logged)
{
	uint8_t want[16];
	struct dvm d;
	int ins;

	ASSERT_EQ(0, vm_device_up());
	ASSERT_EQ(0, dvm_create(&d));
	cmd(&d, CMD_INS, 9, PAGE - 8);
	cmd(&d, CMD_READ, 30, 0);
	ASSERT_TRUE(dvm_run(&d, &ins));
	EXPECT_EQ(16, ins);
	memset(want, 0xa5, sizeof(want));
	EXPECT_EQ(0, memcmp(want, d.log_mem + 10 * PAGE - 8, 16));
	EXPECT_TRUE(log_is(_metadata, &d, 9, 10, -1));
	cmd(&d, CMD_INS, 10, 64);
	ASSERT_TRUE(dvm_run(&d, &ins));
	EXPECT_TRUE(log_is(_metadata, &d, 10, -1));
	dvm_destroy(&d);
}

/*
 * The guest's first accesses set the accessed bits of its PML4, PDPT
 * and PD entries (pages 2-4 of slot 0) and a dirty bit in the PD: by the
 * CPU under NPT, by the hypervisor's walker under shadow paging.  The
 * code and command pages are only read: svmhv leaves them out of the
 * log; kvm_amd's TDP MMU maps a page the host has written writable at
 * the first fault, read or not, and logs it then.
 */
TEST(page_table_ad_bits_are_logged)
{
	uint64_t bits[(4 << 20) / PAGE / 64];
	struct dvm d;
	int i, ins;

	ASSERT_EQ(0, vm_device_up());
	ASSERT_EQ(0, dvm_create(&d));
	ASSERT_EQ(0, set_slot0_flags(&d, KVM_MEM_LOG_DIRTY_PAGES));
	cmd(&d, CMD_WRITE, 1, 0);
	ASSERT_TRUE(dvm_run(&d, &ins));
	memset(bits, 0, sizeof(bits));
	ASSERT_EQ(0, get_log(&d, 0, bits));
	for (i = 2; i <= 4; i++)
		EXPECT_TRUE(bits[0] >> i & 1) TH_LOG("page %d", i);
	if (d.vm.is_svmhv) {
		EXPECT_FALSE(bits[0] >> (CODE_GPA / PAGE) & 1);
		EXPECT_FALSE(bits[0] >> (CMDS_GPA / PAGE) & 1);
	}
	for (i = 1; i < (int)(sizeof(bits) / 8); i++)
		EXPECT_EQ(0, bits[i]);
	EXPECT_TRUE(log_is(_metadata, &d, 1, -1));
	dvm_destroy(&d);
}

TEST_HARNESS_MAIN
