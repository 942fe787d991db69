#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the test machine's initramfs.  The kernel command line says
# what to run:
#   svmhv.run=SUITE[,SUITE...]   suites for run-suites.sh (make check)
#   svmhv.demo=1                 load svmhv and show what it found
#   svmhv.bench=CONFIG[,CONFIG...]  the benchmark (make bench), with
#     svmhv.bench_repeat=R svmhv.bench_tlb_repeat=R
#     svmhv.bench_linux_repeat=R svmhv.bench_quick=1
#     svmhv.bench_mem=SIZE svmhv.bench_workloads=W[,W...]: see bench-run.sh
# Kernel messages go to ttyS0; everything this script and the tests print
# goes to ttyS1, which the runner on the host parses.
#
# Busybox sh: checked as POSIX sh.
# shellcheck shell=sh

/bin/busybox --install -s /bin
export PATH=/bin:/sbin:/usr/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmpfs /tmp
# POSIX semaphores and shared memory (sem_open: KVM's hardware_disable_test).
mkdir -p /dev/shm
mount -t tmpfs tmpfs /dev/shm
exec >/dev/ttyS1 2>&1

arg() {
	tr ' ' '\n' </proc/cmdline | sed -n "s/^$1=//p"
}

export SVMHV_MODULE=/svmhv/svmhv.ko
export SVMHV_KUNIT_MODULE=/svmhv/svmhv_kunit.ko
export SVMHV_TESTDIR=/svmhv/tests
export SVMHV_TOOLS=/svmhv/tools

modprobe msr 2>/dev/null
echo "# svmhv-kernel: $(uname -r)"

run=$(arg svmhv.run)
if [ -n "$run" ]; then
	# shellcheck disable=SC2046 # the comma list split into arguments
	/svmhv/tests/run-suites.sh $(echo "$run" | tr ',' ' ')
fi

bench=$(arg svmhv.bench)
if [ -n "$bench" ]; then
	# shellcheck disable=SC2046 # the comma list split into arguments
	BENCH_REPEAT=$(arg svmhv.bench_repeat) \
	BENCH_TLB_REPEAT=$(arg svmhv.bench_tlb_repeat) \
	BENCH_LINUX_REPEAT=$(arg svmhv.bench_linux_repeat) \
	BENCH_QUICK=$(arg svmhv.bench_quick) BENCH_MEM=$(arg svmhv.bench_mem) \
	BENCH_WORKLOADS=$(arg svmhv.bench_workloads) \
		/svmhv/bench-run.sh $(echo "$bench" | tr ',' ' ')
fi

if [ "$(arg svmhv.demo)" = 1 ]; then
	echo "== svmhv demo on $(uname -r), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
	if insmod "$SVMHV_MODULE"; then
		echo "== dmesg:"
		dmesg | grep 'svmhv:'
		echo "== /sys/kernel/debug/svmhv/cpus:"
		cat /sys/kernel/debug/svmhv/cpus
		echo "== /dev/svmhv:"
		ls -l /dev/svmhv
		/svmhv/demo-guests.sh "$SVMHV_TOOLS"
		rmmod svmhv && echo "== unloaded"
	else
		echo "== svmhv did not load:"
		dmesg | grep 'svmhv:'
	fi
fi

# A boot of tests goes down with VMs running on svmhv, when it is loaded
# (reboot_spin): the kernel-log check then sees the reboot notifier turn
# SVM off under running vCPUs.
if [ -n "$run" ] && [ -e /dev/svmhv ]; then
	/svmhv/tests/reboot_spin >/tmp/reboot_spin.out 2>&1 &
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		grep -q 'in guest' /tmp/reboot_spin.out && break
		sleep 1
	done
	cat /tmp/reboot_spin.out
fi

echo "# svmhv-done"
sync
reboot -f
