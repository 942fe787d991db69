// SPDX-License-Identifier: GPL-2.0
/*
 * Only one hypervisor may own SVM at a time.  kvm_amd sets EFER.SVME when
 * its first VM is created: svmhv must then refuse to load with EBUSY and a
 * clear message, and while svmhv is loaded kvm_amd must fail to create a
 * VM.  Either works again once the other lets go.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "svmhv_util.h"

FIXTURE(kvm) {
	int kvm_fd;
};

FIXTURE_SETUP(kvm)
{
	self->kvm_fd = -1;
	if (!host_has_svm())
		SKIP(return, "CPU has no SVM");
	if (!svmhv_module_path())
		SKIP(return, "SVMHV_MODULE is not set");
	svmhv_unload();
	if (module_probe("kvm_amd", false) || access("/dev/kvm", F_OK))
		SKIP(return, "kvm_amd cannot be loaded here");
	self->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->kvm_fd);
}

FIXTURE_TEARDOWN(kvm)
{
	if (self->kvm_fd >= 0)
		close(self->kvm_fd);
	svmhv_unload();
	module_probe("kvm_amd", true);
}

TEST_F(kvm, svmhv_refuses_while_a_kvm_vm_is_open)
{
	int vm, kmsg, ret;

	vm = ioctl(self->kvm_fd, KVM_CREATE_VM, 0);
	ASSERT_LE(0, vm) TH_LOG("KVM_CREATE_VM: %s", strerror(errno));
	ASSERT_EQ(1, cpu_svme(0));

	kmsg = kmsg_open();
	ASSERT_LE(0, kmsg);
	ret = svmhv_load();
	EXPECT_EQ(-EBUSY, ret) TH_LOG("load: %s", strerror(-ret));
	EXPECT_FALSE(module_loaded("svmhv"));
	EXPECT_TRUE(kmsg_contains(kmsg, "another hypervisor"));
	close(kmsg);
	/* kvm_amd keeps what it had. */
	EXPECT_EQ(1, cpu_svme(0));

	close(vm);
	ret = svmhv_load();
	EXPECT_EQ(0, ret) TH_LOG("load after the VM closed: %s", strerror(-ret));
}

TEST_F(kvm, kvm_cannot_create_a_vm_while_svmhv_is_loaded)
{
	int vm, ret;

	ret = svmhv_load();
	ASSERT_EQ(0, ret) TH_LOG("load: %s", strerror(-ret));
	errno = 0;
	vm = ioctl(self->kvm_fd, KVM_CREATE_VM, 0);
	EXPECT_EQ(-1, vm);
	EXPECT_EQ(EBUSY, errno);
	if (vm >= 0)
		close(vm);

	ASSERT_EQ(0, svmhv_unload());
	vm = ioctl(self->kvm_fd, KVM_CREATE_VM, 0);
	EXPECT_LE(0, vm) TH_LOG("after unload: %s", strerror(errno));
	if (vm >= 0)
		close(vm);
}

TEST_HARNESS_MAIN
