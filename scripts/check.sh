#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: install what is missing, build everything, run every suite
# in the test machine on Debian's kernel and on the debug kernel, print a
# summary per suite and the final "N passed, N failed, N skipped" line.

set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/env.sh"
cd "$SVMHV_TOP" || exit 1

"$here/install-deps.sh" || exit 1

export SVMHV_RESULTS=$SVMHV_BUILD/results.txt
logs=$SVMHV_BUILD/logs
mkdir -p "$logs"
rm -f "$SVMHV_RESULTS"
test_py=$here/svmhv-test.py
start=$(date +%s)

if grep -qw svm /proc/cpuinfo && [ "$(id -u)" = 0 ]; then
	echo "svmhv: this host has SVM itself: 'make check-host' runs the suites directly on it"
fi

# step NAME COMMAND...: one build step, recorded as a test of its own.
step() {
	local name=$1 log=$logs/$1.log

	shift
	echo "svmhv: $name"
	if "$@" >"$log" 2>&1; then
		echo "build:$name 1 0 0" >>"$SVMHV_RESULTS"
		return 0
	fi
	printf 'build:%s 0 1 0\nfailure build:%s see %s\n' "$name" "$name" \
		"$log" >>"$SVMHV_RESULTS"
	echo "svmhv: $name FAILED; last lines of $log:"
	tail -n 30 "$log" | sed 's/^/  | /'
	return 1
}

krel=$(debian_krel) || { echo "svmhv: no Debian amd64 headers"; exit 1; }
ksft=$(linux_source)/tools/testing/selftests
deb_mod=$SVMHV_BUILD/module-debian
dbg_mod=$SVMHV_BUILD/module-debug

step selftests make -C selftests KSFT="$ksft" OUT="$SVMHV_BUILD/selftests" &&
	step tools make -C tools/svmhv-run OUT="$SVMHV_BUILD/tools" &&
	step bench make -C bench OUT="$SVMHV_BUILD/tools"
ok_tests=$?
# KVM's own selftests, from the same source, into the folder the
# initramfs takes the tests from (kvm_selftests runs them).
step kvm-selftests "$here/build-kvm-selftests.sh" "$SVMHV_BUILD/selftests/kvm"
# Not run on kvm_amd, whose reference boot has one CPU: the tests that
# need two to keep their timing (memslot_perf_test, max_guest_memory_test)
# or skip on one (rseq_test), and hardware_disable_test, a stress of the
# hypervisor it runs on that ends in its timeout on both.  The judge
# takes svmhv's results for them as they are (docs/kvm-selftests.md).
kvm_not_ref=memslot_perf_test,max_guest_memory_test,rseq_test
kvm_not_ref=$kvm_not_ref,hardware_disable_test
step module-debian "$here/build-module.sh" "/usr/src/linux-headers-$krel" \
	"$deb_mod" W=1
ok_deb=$?
step debug-kernel "$here/build-debug-kernel.sh"
ok_dbg=$?
dbg=
if [ $ok_dbg = 0 ]; then
	dbg=$("$here/build-debug-kernel.sh" 2>/dev/null)
	step module-debug "$here/build-module.sh" "$dbg" "$dbg_mod" W=1
	ok_dbg=$?
fi

if [ $ok_deb = 0 ]; then
	"$test_py" local --name host -- "$here/style.sh" "$logs/selftests.log" \
		"$logs/tools.log" "$logs/bench.log" \
		"$logs/module-debian.log" ${dbg:+"$logs/module-debug.log"}
fi

boot() {
	"$test_py" boot --log-dir "$logs" "$@"
}

# suites BOOT: that boot's suites from selftests/suites.txt, comma-separated.
suites() {
	awk -v b="$1" '$1 == b { $1 = ""; print }' selftests/suites.txt |
		sed 's/^ *//; s/ /,/g'
}

# lane NAME COMMAND...: runs COMMAND in the background, its output kept in
# $logs/lane-NAME.out until wait_lanes prints it whole.
lanes=
lane() {
	local name=$1

	shift
	"$@" >"$logs/lane-$name.out" 2>&1 &
	lanes="$lanes $!:$name"
}

wait_lanes() {
	local l

	for l in $lanes; do
		wait "${l%%:*}"
		cat "$logs/lane-${l#*:}.out"
	done
	lanes=
}

# The boots, Debian's kernel's and the debug kernel's; each runs only
# when its initramfs was built.
ok_ird_deb=1
ok_ird_qemu=1
ok_ird_dbg=1
if [ $ok_tests = 0 ] && [ $ok_deb = 0 ]; then
	step initramfs-debian "$here/mkinitramfs.sh" / "$krel" "$deb_mod" \
		"$SVMHV_BUILD/selftests" "$SVMHV_BUILD/initrd-debian.gz" \
		"$SVMHV_BUILD/tools"
	ok_ird_deb=$?
	# Debian's QEMU and its guest appended (scripts/mkqemu-cpio.sh).
	[ $ok_ird_deb = 0 ] &&
		step initramfs-qemu "$here/mkqemu-cpio.sh" \
			"$SVMHV_BUILD/qemu.cpio.gz" "$krel" "$SVMHV_BUILD/tools" &&
		cat "$SVMHV_BUILD/initrd-debian.gz" \
			"$SVMHV_BUILD/qemu.cpio.gz" >"$SVMHV_BUILD/initrd-qemu.gz"
	ok_ird_qemu=$?
fi
if [ $ok_tests = 0 ] && [ $ok_dbg = 0 ]; then
	dkrel=$(cat "$dbg/include/config/kernel.release")
	step initramfs-debug "$here/mkinitramfs.sh" "$dbg/modroot" "$dkrel" \
		"$dbg_mod" "$SVMHV_BUILD/selftests" \
		"$SVMHV_BUILD/initrd-debug.gz" "$SVMHV_BUILD/tools"
	ok_ird_dbg=$?
fi

# Retried after a timeout too: the emulated machine froze once in
# rseq_test (docs/testing.md, "The boots").
boot_debian() {
	boot --name debian --kernel "/boot/vmlinuz-$krel" \
		--initrd "$SVMHV_BUILD/initrd-debian.gz" --mem 3G \
		--append "hugepagesz=1G hugepages=1" \
		--suites "$(suites debian)" \
		--timeout 1200 --retry-on-timeout
}

# kvm_amd as the oracle, in a boot of its own with one CPU: with two,
# kvm_amd hung the emulated machine about one boot in three (none in
# twelve with one).  The boot still gets a second chance on a timeout.
# paging_test runs first on svmhv (NPT) to leave the digests that
# kvm_amd npt=1 and npt=0 must then reproduce.  bench_test runs here,
# on one CPU as in make bench, for svmhv too: its ftrace profile turns
# function_graph on for every function, and the emulator with two
# CPUs now and then leaves them looping on a breakpoint of that code
# patching which is gone (soft lockups at a function's first byte,
# svmhv not even loaded; never with one CPU).
boot_oracle() {
	boot --name oracle --smp 1 --kernel "/boot/vmlinuz-$krel" \
		--initrd "$SVMHV_BUILD/initrd-debian.gz" --mem 3G \
		--append "hugepagesz=1G hugepages=1" \
		--suites "$(suites oracle)" \
		--timeout 900 --retry-on-timeout
}

# KVM's own selftests on kvm_amd (npt=1, npt=0), the reference
# kvm-selftests-judge.py holds svmhv's results against: a boot of its
# own, one CPU like the oracle, so that a stop of the emulated
# machine costs only this boot.
boot_kvm_ref() {
	boot --name kvm-ref --smp 1 --kernel "/boot/vmlinuz-$krel" \
		--initrd "$SVMHV_BUILD/initrd-debian.gz" --mem 3G \
		--append "KVM_SELFTESTS_SKIP=$kvm_not_ref" \
		--suites "$(suites kvm-ref)" \
		--timeout 900 --retry-on-timeout
}

boot_nosvm() {
	boot --name nosvm --cpu EPYC-Rome,-svm --kernel "/boot/vmlinuz-$krel" \
		--initrd "$SVMHV_BUILD/initrd-debian.gz" \
		--suites "$(suites nosvm)" --timeout 300
}

# Debian's QEMU on svmhv and kvm_amd (qemu_test): one CPU, like the
# oracle.  A QEMU run that hangs is killed after 180 s, with a word in
# the log (qemu-guest-boot.sh), so 300 s without any output is the test
# machine itself frozen (docs/testing.md, boot 5): retried then, not
# after the whole 900 s.
boot_qemu() {
	boot --name qemu --smp 1 --kernel "/boot/vmlinuz-$krel" \
		--initrd "$SVMHV_BUILD/initrd-qemu.gz" --mem 3G \
		--suites "$(suites qemu)" \
		--timeout 900 --silence 300 --retry-on-timeout
}

# KVM's selftests that measure performance or scale memory, minutes each
# on the debug kernel: they run on Debian's kernel only (their paths,
# demand paging, dirty logging and slot changes under running vCPUs, are
# covered on the debug kernel by dirty_test, lifecycle_test and KVM's
# memslot_modification_stress_test).
kvm_slow=rseq_test,memslot_perf_test,dirty_log_perf_test,max_guest_memory_test
kvm_slow=$kvm_slow,kvm_page_table_test,demand_paging_test

# KVM's selftests run here for kernel reports, but for the few that take
# minutes on this kernel (README, "make check's time").
boot_debug() {
	boot --name debug --kernel "$dbg/arch/x86/boot/bzImage" \
		--initrd "$SVMHV_BUILD/initrd-debug.gz" --mem 3G \
		--append "hugepagesz=1G hugepages=1 KVM_SELFTESTS_SKIP=$kvm_slow" \
		--suites "$(suites debug)" \
		--timeout 2400
}

boot_debug_oracle() {
	boot --name debug-oracle --smp 1 --kernel "$dbg/arch/x86/boot/bzImage" \
		--initrd "$SVMHV_BUILD/initrd-debug.gz" --mem 3G \
		--suites "$(suites debug-oracle)" \
		--timeout 900 --retry-on-timeout
}

# lane_a, lane_b: the boots with one CPU, two at a time on the host's
# two cores (each test machine has one of them, as when they ran one
# after the other), in about equal halves.
lane_a() {
	[ $ok_ird_deb = 0 ] && boot_oracle
	[ $ok_ird_dbg = 0 ] && boot_debug_oracle
}

lane_b() {
	[ $ok_ird_deb = 0 ] && boot_kvm_ref
	[ $ok_ird_qemu = 0 ] && boot_qemu
	[ $ok_ird_deb = 0 ] && boot_nosvm
}

# The boots with two CPUs have the host to themselves.
[ $ok_ird_deb = 0 ] && boot_debian
lane a lane_a
lane b lane_b
wait_lanes
[ $ok_ird_dbg = 0 ] && boot_debug

# KVM's selftests on svmhv judged against kvm_amd under the same MMU,
# with the expect file's reasons; the table goes to the logs.
if [ $ok_tests = 0 ]; then
	"$test_py" local --name host -- "$here/kvm-selftests-judge.py" \
		--log-dir "$logs" --expect selftests/kvm-selftests.expect \
		--table "$logs/kvm-selftests.txt" debian debug kvm-ref
fi

# The benchmark report's arithmetic (medians, ratios, page-walk model),
# and this runner's own parsing and summary.
"$test_py" local --name host -- "$here/bench-report-test.py" --tap
"$test_py" local --name host -- "$here/test-runner-test.py" --tap
"$test_py" local --name host -- "$here/kvm-selftests-judge-test.py" --tap

echo "svmhv: make check took $(($(date +%s) - start)) s; logs in $logs"
"$test_py" summary
