// SPDX-License-Identifier: GPL-2.0
/*
 * svmhv owns SVM on every CPU while loaded and on none after unload,
 * across CPU hotplug and repeated load/unload; /dev/svmhv answers the
 * base KVM system ioctls.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "svmhv_util.h"

#define NR_LOAD_CYCLES	50

FIXTURE(svmhv) {
	int nr_cpus;
};

FIXTURE_SETUP(svmhv)
{
	int ret;

	if (!host_has_svm())
		SKIP(return, "CPU has no SVM");
	if (!svmhv_module_path())
		SKIP(return, "SVMHV_MODULE is not set");
	self->nr_cpus = nr_cpus_configured();
	svmhv_unload();
	ret = svmhv_load();
	ASSERT_EQ(0, ret) TH_LOG("loading svmhv: %s", strerror(-ret));
}

FIXTURE_TEARDOWN(svmhv)
{
	int cpu;

	for (cpu = 1; cpu < self->nr_cpus; cpu++)
		cpu_set_online(cpu, true);
	svmhv_unload();
}

/* Every online CPU has EFER.SVME set: @want 1, or clear: @want 0. */
static void expect_svme_all(struct __test_metadata *_metadata, int nr_cpus,
			    int want)
{
	int cpu;

	for (cpu = 0; cpu < nr_cpus; cpu++) {
		if (cpu_online(cpu) != 1)
			continue;
		EXPECT_EQ(want, cpu_svme(cpu)) TH_LOG("cpu%d", cpu);
	}
}

TEST_F(svmhv, svme_set_on_every_cpu_while_loaded)
{
	ASSERT_GE(self->nr_cpus, 1);
	expect_svme_all(_metadata, self->nr_cpus, 1);
}

TEST_F(svmhv, svme_clear_after_unload)
{
	ASSERT_EQ(0, svmhv_unload());
	ASSERT_FALSE(module_loaded("svmhv"));
	expect_svme_all(_metadata, self->nr_cpus, 0);
}

TEST_F(svmhv, debugfs_lists_features_of_every_cpu)
{
	char buf[4096], want[32];
	int cpu;

	if (access("/sys/kernel/debug/svmhv", F_OK))
		SKIP(return, "debugfs is not mounted");
	ASSERT_LT(0, read_file(SVMHV_DEBUGFS_CPUS, buf, sizeof(buf)));
	for (cpu = 0; cpu < self->nr_cpus; cpu++) {
		if (cpu_online(cpu) != 1)
			continue;
		snprintf(want, sizeof(want), "cpu%d enabled=1 ", cpu);
		EXPECT_NE(NULL, strstr(buf, want)) TH_LOG("%s", buf);
	}
	EXPECT_NE(NULL, strstr(buf, " npt=")) TH_LOG("%s", buf);
	EXPECT_NE(NULL, strstr(buf, " asids=")) TH_LOG("%s", buf);
}

TEST_F(svmhv, device_is_root_only_and_speaks_api_12)
{
	struct stat st;
	int fd;

	ASSERT_EQ(0, stat(SVMHV_DEV, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0600, (int)(st.st_mode & 07777));

	fd = open(SVMHV_DEV, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	EXPECT_EQ(KVM_API_VERSION, ioctl(fd, KVM_GET_API_VERSION, 0));
	EXPECT_EQ(12, ioctl(fd, KVM_GET_API_VERSION, 0));
	/* As KVM, a nonzero argument is refused. */
	EXPECT_EQ(-1, ioctl(fd, KVM_GET_API_VERSION, 1));
	EXPECT_EQ(EINVAL, errno);
	close(fd);
}

TEST_F(svmhv, check_extension_is_zero_for_unimplemented)
{
	static const long unimplemented[] = {
		KVM_CAP_PIT, KVM_CAP_IRQ_INJECT_STATUS,
		KVM_CAP_IRQFD, KVM_CAP_IOEVENTFD, KVM_CAP_COALESCED_MMIO,
		KVM_CAP_SYNC_MMU, KVM_CAP_DIRTY_LOG_RING, KVM_CAP_X86_SMM,
	};
	unsigned int i;
	long cap;
	int fd;

	fd = open(SVMHV_DEV, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	for (i = 0; i < ARRAY_SIZE(unimplemented); i++) {
		EXPECT_EQ(0, ioctl(fd, KVM_CHECK_EXTENSION, unimplemented[i]))
			TH_LOG("cap %ld", unimplemented[i]);
	}
	for (cap = 300; cap < 512; cap++) {
		EXPECT_EQ(0, ioctl(fd, KVM_CHECK_EXTENSION, cap))
			TH_LOG("cap %ld", cap);
	}
	EXPECT_EQ(0, ioctl(fd, KVM_CHECK_EXTENSION, -1L));
	EXPECT_EQ(1, ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_USER_MEMORY));
	/* The PIC pair and the PIT (irq_test has the rest). */
	EXPECT_EQ(1, ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_IRQCHIP));
	EXPECT_EQ(1, ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_PIT2));
	EXPECT_EQ(1, ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_READONLY_MEM));
	close(fd);
}

TEST_F(svmhv, unknown_ioctls_are_enotty)
{
	const unsigned long cmds[] = {
		_IO(KVMIO, 0xff),
		_IO('x', 0x00),
		KVM_GET_DIRTY_LOG,	/* a VM ioctl on the system fd */
		_IOW(KVMIO, 0x00, int),	/* right number, wrong direction */
		KVM_RUN,		/* a vCPU ioctl on the system fd */
	};
	unsigned int i;
	int fd;

	fd = open(SVMHV_DEV, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		errno = 0;
		EXPECT_EQ(-1, ioctl(fd, cmds[i], 0)) TH_LOG("cmd %#lx", cmds[i]);
		EXPECT_EQ(ENOTTY, errno) TH_LOG("cmd %#lx", cmds[i]);
	}
	close(fd);
}

TEST_F(svmhv, unload_refused_while_device_open)
{
	int fd;

	fd = open(SVMHV_DEV, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EWOULDBLOCK, svmhv_unload());
	EXPECT_TRUE(module_loaded("svmhv"));
	expect_svme_all(_metadata, self->nr_cpus, 1);
	close(fd);
	EXPECT_EQ(0, svmhv_unload());
}

TEST_F(svmhv, load_unload_cycles_leave_nothing_behind)
{
	int i, ret;

	for (i = 0; i < NR_LOAD_CYCLES; i++) {
		ASSERT_EQ(0, svmhv_unload()) TH_LOG("cycle %d", i);
		expect_svme_all(_metadata, self->nr_cpus, 0);
		ret = svmhv_load();
		ASSERT_EQ(0, ret) TH_LOG("cycle %d: %s", i, strerror(-ret));
		expect_svme_all(_metadata, self->nr_cpus, 1);
	}
	ASSERT_EQ(0, svmhv_unload());
	EXPECT_FALSE(module_loaded("svmhv"));
	EXPECT_NE(0, access(SVMHV_DEV, F_OK));
	expect_svme_all(_metadata, self->nr_cpus, 0);
}

/* CPU 1, when it exists and may be taken offline; else -1. */
static int hotplug_cpu(int nr_cpus)
{
	return nr_cpus >= 2 && cpu_online(1) >= 0 ? 1 : -1;
}

TEST_F(svmhv, cpu_offline_online_keeps_svme)
{
	char buf[4096];
	int cpu = hotplug_cpu(self->nr_cpus);

	if (cpu < 0)
		SKIP(return, "no hotpluggable CPU 1");
	ASSERT_EQ(0, cpu_set_online(cpu, false));
	ASSERT_EQ(0, cpu_online(cpu));
	if (!access(SVMHV_DEBUGFS_CPUS, F_OK)) {
		ASSERT_LT(0, read_file(SVMHV_DEBUGFS_CPUS, buf, sizeof(buf)));
		EXPECT_NE(NULL, strstr(buf, "cpu1 enabled=0")) TH_LOG("%s", buf);
	}
	ASSERT_EQ(0, cpu_set_online(cpu, true));
	EXPECT_EQ(1, cpu_svme(cpu));
	expect_svme_all(_metadata, self->nr_cpus, 1);
}

TEST_F(svmhv, cpu_onlined_after_load_gets_svme)
{
	int cpu = hotplug_cpu(self->nr_cpus);

	if (cpu < 0)
		SKIP(return, "no hotpluggable CPU 1");
	ASSERT_EQ(0, svmhv_unload());
	ASSERT_EQ(0, cpu_set_online(cpu, false));
	ASSERT_EQ(0, svmhv_load());
	EXPECT_EQ(1, cpu_svme(0));
	ASSERT_EQ(0, cpu_set_online(cpu, true));
	EXPECT_EQ(1, cpu_svme(cpu));

	/* And one offline at unload is not enabled when it returns. */
	ASSERT_EQ(0, cpu_set_online(cpu, false));
	ASSERT_EQ(0, svmhv_unload());
	ASSERT_EQ(0, cpu_set_online(cpu, true));
	EXPECT_EQ(0, cpu_svme(cpu));
	EXPECT_EQ(0, cpu_svme(0));
}

/*
 * CPU 0 is enabled first, then CPU 1 fails: the load must fail as a whole
 * and leave CPU 0 as it found it.
 */
TEST_F(svmhv, load_failing_on_one_cpu_leaves_no_cpu_enabled)
{
	int kmsg, ret;

	if (self->nr_cpus < 2 || cpu_online(1) != 1)
		SKIP(return, "needs CPU 1 online");
	ASSERT_EQ(0, svmhv_unload());

	/* Take SVM on CPU 1 behind svmhv's back, as another hypervisor would. */
	ret = cpu_set_svme(1, true);
	if (ret == -EPERM)
		SKIP(return, "MSR writes are locked down");
	ASSERT_EQ(0, ret);
	kmsg = kmsg_open();
	ASSERT_LE(0, kmsg);
	EXPECT_EQ(-EBUSY, svmhv_load());
	EXPECT_TRUE(kmsg_contains(kmsg, "cpu1: EFER.SVME is already set"));
	close(kmsg);
	EXPECT_FALSE(module_loaded("svmhv"));
	EXPECT_EQ(0, cpu_svme(0));

	ASSERT_EQ(0, cpu_set_svme(1, false));
	EXPECT_EQ(0, svmhv_load());
	expect_svme_all(_metadata, self->nr_cpus, 1);
}

#define MSR_VM_CR	0xc0010114
#define VM_CR_SVMDIS	(1ULL << 4)

/*
 * Firmware's switch: with VM_CR.SVMDIS set on a CPU the load fails with
 * ENODEV and says so.  Skipped where VM_CR cannot be written (locked, or
 * an emulator that ignores the write).
 */
TEST_F(svmhv, svm_disabled_in_firmware_refuses_load)
{
	uint64_t vm_cr, now;
	int kmsg, ret;

	ASSERT_EQ(0, svmhv_unload());
	ASSERT_EQ(0, msr_read(0, MSR_VM_CR, &vm_cr));
	if (msr_write(0, MSR_VM_CR, vm_cr | VM_CR_SVMDIS) ||
	    msr_read(0, MSR_VM_CR, &now) || !(now & VM_CR_SVMDIS))
		SKIP(return, "VM_CR.SVMDIS cannot be set here");
	kmsg = kmsg_open();
	ret = svmhv_load();
	msr_write(0, MSR_VM_CR, vm_cr);
	EXPECT_EQ(-ENODEV, ret);
	EXPECT_TRUE(kmsg_contains(kmsg, "SVM is disabled in firmware"));
	close(kmsg);
	EXPECT_EQ(0, svmhv_load());
}

TEST_HARNESS_MAIN
