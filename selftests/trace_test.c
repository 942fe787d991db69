// SPDX-License-Identifier: GPL-2.0
/*
 * svmhv's tracepoints (events/svmhv in tracefs): a known guest's entries,
 * exits, injections and exits to userspace are traced with the fields
 * the guest implies, and so are the MMU's events (NPT leaves and unmaps,
 * shadow faults and loads).  The events are read from a tracefs instance
 * of the test's own, limited to this process.  svmhv only: kvm_amd has
 * its own events.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "vm_util.h"
#include "../uapi/svmhv.h"

#define MEM_SIZE	(2UL << 20)
#define CODE_GPA	0x10000
#define IDT_GPA		0x6000
#define STUB_GPA	0x7000
#define HANDLER_GPA	0x8000
#define MMIO_GPA	0x20000000UL	/* mapped by vm_setup_long(), no RAM */
#define PIO_PORT	0x99

#define TRACEFS		"/sys/kernel/tracing"
#define INSTANCE	TRACEFS "/instances/svmhv_trace_test"
#define TRACE_MAX	(1 << 20)

/* Exit codes (APM vol. 2, appendix C). */
#define EXIT_EXCP_PF	0x4e
#define EXIT_CPUID	0x72
#define EXIT_HLT	0x78
#define EXIT_IOIO	0x7b
#define EXIT_NPF	0x400

/*
 * cpuid; mov al, 0x5a; out 0x99, al; mov eax, MMIO_GPA;
 * mov byte [rax], 0x77; hlt
 */
static const uint8_t guest[] = {
	0x0f, 0xa2,
	0xb0, 0x5a, 0xe6, PIO_PORT,
	0xb8, 0x00, 0x00, 0x00, 0x20,
	0xc6, 0x00, 0x77,
	0xf4,
};
#define RIP_CPUID	CODE_GPA
#define RIP_OUT		(CODE_GPA + 4)
#define RIP_STORE	(CODE_GPA + 11)
#define RIP_HLT		(CODE_GPA + 14)

/* rdpmc: #GP(0), which svmhv injects; the handler halts. */
static const uint8_t rdpmc[] = { 0x0f, 0x33 };

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_TRUNC), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, s, strlen(s)) != (ssize_t)strlen(s))
		ret = -errno;
	close(fd);
	return ret;
}

/* The record-cmd option as trace_start() found it, for trace_remove(). */
static char record_cmd[4] = "1";

/*
 * A tracefs instance with every svmhv event on, for this process only.
 * Nothing of the scheduler's may be hooked: patching its tracepoints
 * while the other CPU runs them meets the emulator's cross-modifying-code
 * bug (README, "The test machine"), seen here as an int3 that never goes
 * away in __schedule.  So the events' own filter keeps other processes
 * out (set_event_pid would hook sched_switch and sched_wakeup), and the
 * record-cmd option, which an instance takes from the top level when it
 * is made, is off: with it, enabling any event hooks sched_switch to
 * record command names (the trace's "comm", which nothing here reads).
 */
static int trace_start(void)
{
	char filter[48];
	int fd, ret;

	if (access(TRACEFS "/instances", F_OK) &&
	    mount("nodev", TRACEFS, "tracefs", 0, NULL))
		return -errno;
	rmdir(INSTANCE);
	fd = open(TRACEFS "/options/record-cmd", O_RDONLY);
	if (fd >= 0) {
		if (read(fd, record_cmd, 1) != 1)
			record_cmd[0] = '1';
		close(fd);
	}
	ret = write_file(TRACEFS "/options/record-cmd", "0");
	if (ret)
		return ret;
	if (mkdir(INSTANCE, 0755))
		return -errno;
	snprintf(filter, sizeof(filter), "common_pid == %d", getpid());
	ret = write_file(INSTANCE "/buffer_size_kb", "4096");
	if (!ret)
		ret = write_file(INSTANCE "/events/svmhv/filter", filter);
	if (!ret)
		ret = write_file(INSTANCE "/events/svmhv/enable", "1");
	if (!ret)
		ret = write_file(INSTANCE "/tracing_on", "1");
	return ret;
}

/* Stop tracing; the instance's trace text, which the caller frees. */
static char *trace_stop(void)
{
	char *buf = calloc(1, TRACE_MAX + 1);
	int fd, n = 0, got;

	write_file(INSTANCE "/tracing_on", "0");
	fd = open(INSTANCE "/trace", O_RDONLY);
	if (!buf || fd < 0) {
		free(buf);
		return NULL;
	}
	while (n < TRACE_MAX && (got = read(fd, buf + n, TRACE_MAX - n)) > 0)
		n += got;
	close(fd);
	return buf;
}

static void trace_remove(void)
{
	write_file(INSTANCE "/events/svmhv/enable", "0");
	rmdir(INSTANCE);
	write_file(TRACEFS "/options/record-cmd", record_cmd);
}

/*
 * The @nth (from 0) line of @event in @trace after which @fmt matches
 * @nargs fields, or NULL.  The fields are what the event prints after
 * "event: ".
 */
static const char *find_event(const char *trace, const char *event,
			      const char *fmt, int nargs, int nth,
			      uint64_t *a, uint64_t *b, uint64_t *c,
			      uint64_t *d)
{
	char key[64];
	const char *p = trace;

	snprintf(key, sizeof(key), " %s: ", event);
	while ((p = strstr(p, key))) {
		p += strlen(key);
		if (sscanf(p, fmt, a, b, c, d) == nargs && nth-- == 0)
			return p;
	}
	return NULL;
}

/* Does the line @p is in hold @word, from @p on? */
static bool line_has(const char *p, const char *word)
{
	const char *end = strchr(p, '\n'), *hit = strstr(p, word);

	return hit && (!end || hit < end);
}

static int count_events(const char *trace, const char *event)
{
	char key[64];
	const char *p = trace;
	int n = 0;

	snprintf(key, sizeof(key), " %s: ", event);
	while ((p = strstr(p, key))) {
		p += strlen(key);
		n++;
	}
	return n;
}

/*
 * The exit with @code at @rip: its info1 and info2.  Returns false when
 * there is none.
 */
static bool find_exit(const char *trace, uint64_t code, uint64_t rip,
		      uint64_t *info1, uint64_t *info2)
{
	uint64_t c, i1, i2, r;
	int nth;

	for (nth = 0; find_event(trace, "svmhv_exit",
				 "vcpu 0 code %" SCNx64 " info1 %" SCNx64
				 " info2 %" SCNx64 " rip %" SCNx64,
				 4, nth, &c, &i1, &i2, &r); nth++) {
		if (c == code && r == rip) {
			*info1 = i1;
			*info2 = i2;
			return true;
		}
	}
	return false;
}

FIXTURE(trace) {
	struct vm vm;
	char *trace;
};

FIXTURE_SETUP(trace)
{
	int ret;

	ASSERT_EQ(0, vm_device_up());
	if (!vm_device_is_svmhv())
		SKIP(return, "svmhv's own events");
	ret = trace_start();
	if (ret == -ENOENT)
		SKIP(return, "no tracefs or no svmhv events");
	ASSERT_EQ(0, ret) TH_LOG("tracefs: %s", strerror(-ret));
	ret = vm_create(&self->vm, MEM_SIZE);
	ASSERT_EQ(0, ret) TH_LOG("vm_create: %s", strerror(-ret));
}

FIXTURE_TEARDOWN(trace)
{
	vm_destroy(&self->vm);
	free(self->trace);
	trace_remove();
}

/* Run the known guest to its HLT, answering its OUT and its store. */
static void run_guest(struct __test_metadata *_metadata, struct vm *vm)
{
	vm_setup_long(vm, CODE_GPA, guest, sizeof(guest));
	ASSERT_EQ(0, vm_run(vm));
	ASSERT_EQ(KVM_EXIT_IO, vm->run->exit_reason);
	ASSERT_EQ(0, vm_run(vm));
	ASSERT_EQ(KVM_EXIT_MMIO, vm->run->exit_reason);
	ASSERT_EQ(0, vm_run(vm));
	ASSERT_EQ(KVM_EXIT_HLT, vm->run->exit_reason);
}

TEST_F(trace, exits_carry_code_info_and_rip)
{
	uint64_t info1, info2;

	run_guest(_metadata, &self->vm);
	self->trace = trace_stop();
	ASSERT_NE(NULL, self->trace);

	ASSERT_TRUE(find_exit(self->trace, EXIT_CPUID, RIP_CPUID, &info1,
			      &info2));
	ASSERT_TRUE(find_exit(self->trace, EXIT_IOIO, RIP_OUT, &info1,
			      &info2)) TH_LOG("%s", self->trace);
	/* EXITINFO1: the port in 31:16, 8-bit size, OUT; info2 next RIP. */
	EXPECT_EQ(PIO_PORT, info1 >> 16);
	EXPECT_EQ(0, info1 & 1);
	EXPECT_EQ(RIP_OUT + 2, info2);
	if (vm_mmu() == SVMHV_MMU_SHADOW) {
		ASSERT_TRUE(find_exit(self->trace, EXIT_EXCP_PF, RIP_STORE,
				      &info1, &info2));
		EXPECT_EQ(MMIO_GPA, info2);	/* CR2: the linear address */
	} else {
		ASSERT_TRUE(find_exit(self->trace, EXIT_NPF, RIP_STORE,
				      &info1, &info2));
		EXPECT_EQ(MMIO_GPA, info2);
	}
	ASSERT_TRUE(find_exit(self->trace, EXIT_HLT, RIP_HLT, &info1,
			      &info2));
}

TEST_F(trace, entries_pair_with_exits)
{
	uint64_t rip, none = 0;
	int entries, exits;

	run_guest(_metadata, &self->vm);
	self->trace = trace_stop();
	ASSERT_NE(NULL, self->trace);

	ASSERT_NE(NULL, find_event(self->trace, "svmhv_entry",
				   "vcpu 0 rip %" SCNx64, 1, 0, &rip, &none,
				   &none, &none));
	EXPECT_EQ(CODE_GPA, rip);	/* the first entry, at the first insn */
	entries = count_events(self->trace, "svmhv_entry");
	exits = count_events(self->trace, "svmhv_exit");
	/* Each exit follows an entry; the last exit (HLT) ends the run. */
	EXPECT_EQ(entries, exits);
	EXPECT_LE(4, exits);
}

TEST_F(trace, exits_to_userspace)
{
	uint64_t port, size, count, gpa, len, data, none = 0;

	run_guest(_metadata, &self->vm);
	self->trace = trace_stop();
	ASSERT_NE(NULL, self->trace);

	ASSERT_NE(NULL, find_event(self->trace, "svmhv_pio",
				   "vcpu 0 out port %" SCNx64 " size %" SCNu64
				   " count %" SCNu64, 3, 0, &port, &size, &count,
				   &none)) TH_LOG("%s", self->trace);
	EXPECT_EQ(PIO_PORT, port);
	EXPECT_EQ(1, size);
	EXPECT_EQ(1, count);
	ASSERT_NE(NULL, find_event(self->trace, "svmhv_mmio",
				   "vcpu 0 write gpa %" SCNx64 " len %" SCNu64
				   " data %" SCNx64, 3, 0, &gpa, &len, &data,
				   &none)) TH_LOG("%s", self->trace);
	EXPECT_EQ(MMIO_GPA, gpa);
	EXPECT_EQ(1, len);
	EXPECT_EQ(0x77, data);
}

TEST_F(trace, injected_exception)
{
	struct kvm_sregs sregs;
	uint64_t vector, type, error, none = 0;

	vm_setup_long(&self->vm, CODE_GPA, rdpmc, sizeof(rdpmc));
	vm_set_idt_stub(&self->vm, IDT_GPA, STUB_GPA, 13, HANDLER_GPA, false);
	self->vm.mem[HANDLER_GPA] = 0xf4;		/* hlt */
	ASSERT_EQ(0, ioctl(self->vm.vcpu_fd, KVM_GET_SREGS, &sregs));
	sregs.idt.base = IDT_GPA;
	sregs.idt.limit = 0xfff;
	ASSERT_EQ(0, ioctl(self->vm.vcpu_fd, KVM_SET_SREGS, &sregs));
	ASSERT_EQ(0, vm_run(&self->vm));
	ASSERT_EQ(KVM_EXIT_HLT, self->vm.run->exit_reason);
	EXPECT_EQ(HANDLER_GPA + 1, vm_get_reg(&self->vm, VM_RIP));
	self->trace = trace_stop();
	ASSERT_NE(NULL, self->trace);

	ASSERT_NE(NULL, find_event(self->trace, "svmhv_inject",
				   "vcpu 0 vector %" SCNu64 " type %" SCNu64
				   " error %" SCNx64, 3, 0, &vector, &type,
				   &error, &none)) TH_LOG("%s", self->trace);
	EXPECT_EQ(13, vector);
	EXPECT_EQ(3, type);		/* exception */
	EXPECT_EQ(0, error);
}

/* NPT: the slot's leaves cover it exactly; deleting it unmaps it all. */
TEST_F(trace, npt_maps_and_unmaps_the_slot)
{
	struct kvm_userspace_memory_region mr = {
		.slot = 0, .guest_phys_addr = 0, .memory_size = 0,
		.userspace_addr = (uintptr_t)self->vm.mem,
	};
	uint64_t gpa, hpa, level, size, none = 0, mapped = 0;
	int nth;

	if (vm_mmu() == SVMHV_MMU_SHADOW)
		SKIP(return, "NPT's events");
	ASSERT_EQ(0, ioctl(self->vm.fd, KVM_SET_USER_MEMORY_REGION, &mr));
	self->trace = trace_stop();
	ASSERT_NE(NULL, self->trace);

	for (nth = 0; find_event(self->trace, "svmhv_npt_map",
				 "gpa %" SCNx64 " hpa %" SCNx64
				 " level %" SCNu64, 3, nth, &gpa, &hpa, &level,
				 &none); nth++) {
		ASSERT_TRUE(level >= 1 && level <= 3);
		EXPECT_EQ(mapped, gpa);		/* in order, no hole */
		EXPECT_EQ(0, hpa & ((1ULL << (12 + 9 * (level - 1))) - 1));
		mapped += 1ULL << (12 + 9 * (level - 1));
	}
	EXPECT_EQ(MEM_SIZE, mapped);
	ASSERT_NE(NULL, find_event(self->trace, "svmhv_npt_unmap",
				   "gpa %" SCNx64 " size %" SCNx64, 2, 0, &gpa,
				   &size, &none, &none));
	EXPECT_EQ(0, gpa);
	EXPECT_EQ(MEM_SIZE, size);
}

/* Shadow paging: the first load builds a root; the code page faults in. */
TEST_F(trace, shadow_loads_and_faults)
{
	uint64_t cr3, gva, error, none = 0;
	const char *p;

	if (vm_mmu() != SVMHV_MMU_SHADOW)
		SKIP(return, "the shadow MMU's events");
	run_guest(_metadata, &self->vm);
	self->trace = trace_stop();
	ASSERT_NE(NULL, self->trace);

	p = find_event(self->trace, "svmhv_shadow_load",
		       "vcpu 0 cr3 %" SCNx64, 1, 0, &cr3, &none, &none,
		       &none);
	ASSERT_NE(NULL, p) TH_LOG("%s", self->trace);
	EXPECT_EQ(0x2000, cr3);		/* vm_setup_long()'s PML4 */
	EXPECT_TRUE(line_has(p, " new-root "));
	p = find_event(self->trace, "svmhv_shadow_fault",
		       "vcpu 0 gva %" SCNx64 " error %" SCNx64, 2, 0, &gva,
		       &error, &none, &none);
	ASSERT_NE(NULL, p);
	EXPECT_EQ(CODE_GPA, gva);	/* the first fetch */
	EXPECT_TRUE(line_has(p, " fixed spte 0x"));
	p = strstr(self->trace, "gva 0x20000000 error");
	ASSERT_NE(NULL, p) TH_LOG("%s", self->trace);
	EXPECT_TRUE(line_has(p, " mmio "));
}

TEST_HARNESS_MAIN
