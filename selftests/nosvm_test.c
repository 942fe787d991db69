// SPDX-License-Identifier: GPL-2.0
/*
 * On a CPU without SVM the module refuses to load, says why, and leaves
 * nothing behind.  The test machine boots once with "-cpu EPYC-Rome,-svm"
 * to run this; with SVM present it skips.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "svmhv_util.h"

TEST(load_refused_without_svm)
{
	int kmsg, ret, cpu;

	if (host_has_svm())
		SKIP(return, "this CPU has SVM");
	if (!svmhv_module_path())
		SKIP(return, "SVMHV_MODULE is not set");

	kmsg = kmsg_open();
	ASSERT_LE(0, kmsg);
	ret = svmhv_load();
	EXPECT_EQ(-ENODEV, ret) TH_LOG("load: %s", strerror(-ret));
	EXPECT_TRUE(kmsg_contains(kmsg, "does not support SVM"));
	close(kmsg);
	EXPECT_FALSE(module_loaded("svmhv"));
	EXPECT_NE(0, access(SVMHV_DEV, F_OK));
	for (cpu = 0; cpu < nr_cpus_configured(); cpu++)
		if (cpu_online(cpu) == 1)
			EXPECT_EQ(0, cpu_svme(cpu)) TH_LOG("cpu%d", cpu);
}

TEST_HARNESS_MAIN
