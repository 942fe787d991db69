#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run-suites.sh SUITE...
# run-suites.sh @BOOT
#
# Runs each suite and frames its TAP output for the runner:
#   # svmhv-suite: NAME
#   ...TAP...
#   # svmhv-exit: NAME STATUS
# A suite is a kselftest program in $SVMHV_TESTDIR; NAME@kvm runs it with
# SVMHV_DEVICE=/dev/kvm on kvm_amd (svmhv unloaded) as the oracle,
# NAME@kvm-shadow the same on kvm_amd loaded with npt=0, NAME@shadow on
# svmhv with every VM under shadow paging (SVMHV_MMU=shadow); or one of:
#   kunit     load $SVMHV_KUNIT_MODULE and print its KUnit results (KTAP)
#   kmemleak  scan for leaks since boot (debug kernel) and report them
# @BOOT stands for the suites of that boot in suites.txt (make check's
# table; "host" is make check-host's).  Used in the test machine's
# initramfs and by make check-host.
#
# Busybox sh runs this in the test machine, dash on an AMD host: both
# have local, which POSIX sh lacks.
# shellcheck disable=SC3043

dir=${SVMHV_TESTDIR:-$(dirname "$0")}
debugfs=/sys/kernel/debug

# A boot's suites from suites.txt.
if [ $# = 1 ] && [ "${1#@}" != "$1" ]; then
	boot=${1#@}
	# shellcheck disable=SC2046 # one argument per suite, on purpose
	set -- $(awk -v b="$boot" '$1 == b { $1 = ""; print }' \
		"$dir/suites.txt")
	if [ $# = 0 ]; then
		echo "run-suites.sh: no boot $boot in $dir/suites.txt" >&2
		exit 2
	fi
fi

run_kunit() {
	local res

	if [ ! -f "$SVMHV_KUNIT_MODULE" ]; then
		echo "    ok 1 kunit_module # SKIP kernel without KUnit"
		return 0
	fi
	insmod "$SVMHV_KUNIT_MODULE" || return 1
	echo "KTAP version 1"
	for res in "$debugfs"/kunit/svmhv_*/results; do
		[ -f "$res" ] || { echo "not ok 1 kunit_results # none found"; return 1; }
		echo "# Subtest: $(basename "$(dirname "$res")")"
		cat "$res"
	done
	rmmod svmhv_kunit
}

run_kmemleak() {
	local f=$debugfs/kmemleak leaks

	echo "1..1"
	if [ ! -f "$f" ]; then
		echo "ok 1 kmemleak # SKIP kernel without kmemleak"
		return 0
	fi
	# Objects must be older than kmemleak's minimum age (5 s) to count.
	sleep 6
	echo scan >"$f"
	echo scan >"$f"
	# Early-boot objects (ACPI's caches on the debug kernel) are reported
	# however often boot's leaks are set aside; nothing of ours is
	# allocated from start_kernel, so those records are left out.
	leaks=$(awk '/^unreferenced object/ { if (rec !~ /start_kernel/) out = out rec; rec = "" }
		     { rec = rec $0 "\n" }
		     END { if (rec !~ /start_kernel/) out = out rec; printf "%s", out }' "$f")
	echo "# svmhv-metric: host-reports $(printf '%s' "$leaks" |
		grep -c '^unreferenced object')"
	if [ -n "$leaks" ]; then
		echo "$leaks" | sed 's/^/# /'
		echo "not ok 1 kmemleak"
		return 1
	fi
	echo "ok 1 kmemleak"
}

# Leaks from before the tests (boot) are not ours to report: stop the
# periodic scan, find what boot left and mark it seen.  The kmemleak suite
# then reports only what appeared since.
if [ -f "$debugfs/kmemleak" ]; then
	echo scan=off >"$debugfs/kmemleak"
	echo scan >"$debugfs/kmemleak"
	sleep 6
	echo scan >"$debugfs/kmemleak"
	echo clear >"$debugfs/kmemleak"
fi

for suite in "$@"; do
	echo "# svmhv-suite: $suite"
	case $suite in
	kunit) run_kunit ;;
	kmemleak) run_kmemleak ;;
	*@kvm)
		rmmod svmhv 2>/dev/null
		modprobe -r kvm_amd 2>/dev/null
		modprobe kvm_amd npt=1
		SVMHV_DEVICE=/dev/kvm SVMHV_MMU=npt "$dir/${suite%@kvm}"
		rc=$?
		modprobe -r kvm_amd 2>/dev/null
		(exit $rc)
		;;
	*@kvm-shadow)
		rmmod svmhv 2>/dev/null
		modprobe -r kvm_amd 2>/dev/null
		modprobe kvm_amd npt=0
		SVMHV_DEVICE=/dev/kvm SVMHV_MMU=shadow \
			"$dir/${suite%@kvm-shadow}"
		rc=$?
		modprobe -r kvm_amd 2>/dev/null
		(exit $rc)
		;;
	*@shadow)
		SVMHV_MMU=shadow "$dir/${suite%@shadow}" ;;
	*) "$dir/$suite" ;;
	esac
	echo "# svmhv-exit: $suite $?"
done
