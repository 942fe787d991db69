#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# KVM's own x86_64 selftests (scripts/build-kvm-selftests.sh puts them in
# kvm/ next to this), each run with a timeout against one configuration
# (lib/kvm_node.sh): svmhv-npt, svmhv-shadow, kvm-npt or kvm-shadow.
# This suite only runs them and records what each did, one line per test:
#   # kvm-selftest: CONFIG NAME RESULT SECONDS
# RESULT is pass, fail, skip, timeout or build-failed; a test that did not
# pass has its last lines after it.  Whether svmhv passes where kvm_amd
# does is judged on the host, from every boot's lines
# (scripts/kvm-selftests-judge.py): this suite fails only when it could
# not run them.
#
# KVM_SELFTESTS_TIMEOUT: seconds per test (default 120, kselftest's own);
# KVM_SELFTESTS: the tests to run (default: all of kvm/tests.txt);
# KVM_SELFTESTS_SKIP: tests not to run (they print no line).  Both take
# names separated by spaces or commas (commas on the kernel command line).
#
# Busybox sh runs this, which has local (POSIX sh lacks it).
# shellcheck disable=SC3043

dir=$(dirname "$0")
kdir=$dir/kvm
limit=${KVM_SELFTESTS_TIMEOUT:-120}
. "$dir/lib/tap.sh"
. "$dir/lib/kvm_node.sh"

echo "1..1"
if [ ! -f "$kdir/tests.txt" ]; then
	skip "KVM selftests" "not built (scripts/build-kvm-selftests.sh)"
	exit 0
fi

if ! kvm_use_config; then
	not_ok "KVM selftests on $config: svmhv did not load"
	exit 1
fi

# test_args NAME: arguments a test needs to fit the test machine, the same
# for svmhv and kvm_amd.  The machine has 3G: max_guest_memory_test's
# default 2G memfd (aliased by every slot) is killed by the OOM killer
# there, 1G is not.  Under shadow paging its guest faults in every 4K page
# of each slot (its 1G guest pages are backed by 4K pages), about 30
# seconds a gigabyte under the emulator: 2G instead of all that fits.
test_args() {
	case $1/$config in
	max_guest_memory_test/*-shadow) echo "-s 1 -m 2" ;;
	max_guest_memory_test/*) echo "-s 1" ;;
	esac
}

# test_limit NAME: its timeout.  hardware_disable_test's 512 rounds of a
# VM with 4 vCPUs and 64 threads, each killed, take minutes under the
# emulator on kvm_amd and svmhv alike: 15 s of them is the stress (a few
# dozen VMs killed while their vCPUs run), and the result is a timeout.
test_limit() {
	case $1 in
	hardware_disable_test) echo 15 ;;
	*) echo "$limit" ;;
	esac
}

# run_one NAME: runs it, prints its line and, unless it passed, its tail.
run_one() {
	local name="$1" t0 rc secs res

	# In the kernel log too: a test that stops the machine is found there.
	echo "kvm_selftests: $config $name" >/dev/kmsg
	t0=$(date +%s)
	# shellcheck disable=SC2046 # the arguments are split on purpose
	timeout -s KILL "$(test_limit "$name")" "$kdir/$name" \
		$(test_args "$name") >/tmp/kvm-selftest.out 2>&1
	rc=$?
	secs=$(($(date +%s) - t0))
	# A test killed on its timeout may leave children running (such as
	# hardware_disable_test's VMs and busy threads): kill them too, or
	# they would load the machine under the next tests' timers.
	killall -KILL "$name" 2>/dev/null
	case $rc in
	0) res=pass ;;
	4) res=skip ;;
	*) res=fail ;;
	esac
	[ $rc = 137 ] && [ "$secs" -ge "$(test_limit "$name")" ] && res=timeout
	echo "# kvm-selftest: $config $name $res $secs"
	[ $res = pass ] || tail -n 12 /tmp/kvm-selftest.out | sed 's/^/#   | /'
}

# listed NAME LIST: is NAME in the space- or comma-separated LIST?
listed() {
	case " $(echo "$2" | tr , ' ') " in
	*" $1 "*) return 0 ;;
	esac
	return 1
}

count=0
while read -r name built; do
	listed "$name" "${KVM_SELFTESTS:-$name}" || continue
	listed "$name" "${KVM_SELFTESTS_SKIP:-}" && continue
	count=$((count + 1))
	if [ "$built" != built ]; then
		echo "# kvm-selftest: $config $name build-failed 0"
		continue
	fi
	run_one "$name"
done <"$kdir/tests.txt"

kvm_leave_config
ok "ran $count KVM selftests on $config"
