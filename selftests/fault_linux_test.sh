#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The Linux guest's boot with an allocation failing (debug kernel's fault
# injection).  Only the loader fails (svmhv-run and its threads:
# failslab's and fail_page_alloc's task filter, make-it-fail, set once it
# is exec'ed): one allocation in each, the one that comes after every
# INTERVAL of its allocations (interval, times 1), for a spread of
# INTERVALs over the boot, under the MMU of $SVMHV_MMU.  Each run must end
# by itself: status 0 (the failure hit nothing the boot needed, or was
# retried), 125 or 126 (an ioctl or the loader failed with an errno);
# never a hang and never a guest that crashed (status 3).  After each run
# no page stays pinned and no svmhv file stays open; at the end a boot
# without failures works.  The boot's kernel-log and kmemleak checks judge
# the error paths.  Skips on a kernel without fault injection.

tools=${SVMHV_TOOLS:-/svmhv/tools}
guest=${SVMHV_GUEST:-/svmhv/guest}
tmp=${TMPDIR:-/tmp}/fault_linux_test
dbg=/sys/kernel/debug
pinned_file=$dbg/svmhv/pinned_pages
hang=180
# Under NPT the loader makes between 200 and 1000 allocations in all (its
# exec's no longer count); the shadow MMU's tables add many more.
if [ "${SVMHV_MMU:-}" = shadow ]; then
	intervals="30 200 1000"
else
	intervals="30 100 300"
fi
ntests=$(($(echo "$intervals" | wc -w) * 2 + 1))
. "$(dirname "$0")/lib/tap.sh"

# attr FILE VALUE: set a failslab and fail_page_alloc attribute.
attr() {
	echo "$2" >"$dbg/failslab/$1" && echo "$2" >"$dbg/fail_page_alloc/$1"
}

pinned() {
	cat "$pinned_file" 2>/dev/null || echo 0
}

# boot [INTERVAL]: the loader to the guest's poweroff; with INTERVAL, as a
# task that fails from its first instruction (fail_after_exec: not in its
# exec, which past its point of no return answers a failure with
# SIGSEGV).  Sets $status.
boot() {
	if [ -n "$1" ]; then
		set -- "$(dirname "$0")/fail_after_exec"
	else
		set --
	fi
	timeout $hang "$@" "$tools/svmhv-run" --device /dev/svmhv \
		--kernel "$guest/bzImage" --initrd "$guest/initrd.gz" --mem 256M \
		--append 'console=ttyS0 acpi=off quiet panic=-1 svmhv.cmd=true' \
		</dev/null >"$tmp/out" 2>"$tmp/err"
	status=$?
}

echo "TAP version 13"
echo "1..$ntests"
if [ ! -d "$dbg/failslab" ]; then
	i=0
	while [ $i -lt $ntests ]; do
		skip "fault injection" "a kernel without fault injection"
		i=$((i + 1))
	done
	exit 0
fi
mkdir -p "$tmp"
[ -e /dev/svmhv ] || insmod "${SVMHV_MODULE:-/svmhv/svmhv.ko}"

# Sleeping and order-0 allocations may fail too; user pages never (a
# failed user page fault only retries).
attr task-filter Y
attr probability 100
attr verbose 0
attr ignore-gfp-wait N
echo Y >"$dbg/fail_page_alloc/ignore-gfp-highmem"
echo 0 >"$dbg/fail_page_alloc/min-order"
injected=0
for interval in $intervals; do
	before=$(pinned)
	attr interval "$interval"
	attr times 1
	boot "$interval"
	fired=$(($(cat "$dbg/failslab/times") == 0 ||
		 $(cat "$dbg/fail_page_alloc/times") == 0))
	injected=$((injected + fired))
	attr times 0
	echo "# interval $interval: status $status, a failure injected: $fired"
	[ "$fired" = 1 ] || echo "# interval $interval: the loader made fewer allocations"
	tail -n 3 "$tmp/err" | sed 's/^/# err: /'
	case $status in
	0 | 125 | 126) ok "interval $interval: the run ends (status $status)" ;;
	*) not_ok "interval $interval: the run ends (status $status)" ;;
	esac
	i=0
	while [ $i -lt 20 ] && [ "$(pinned)" != "$before" ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if [ "$(pinned)" = "$before" ] &&
	   [ "$(cat /sys/module/svmhv/refcnt)" = 0 ]; then
		ok "interval $interval: nothing pinned or open after it"
	else
		not_ok "interval $interval: nothing pinned or open after it"
	fi
done
attr interval 1
attr probability 0
attr task-filter N
echo "# runs with a failure injected: $injected"
boot
if [ $status = 0 ] && grep -q "svmhv-guest: up" "$tmp/out"; then
	ok "a boot without failures powers off (status 0)"
else
	not_ok "a boot without failures powers off (status $status)"
fi
exit $failed
