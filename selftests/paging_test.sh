#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The paging torture guest (guests/torture.c) in long mode, PAE and
# two-level 32-bit paging, through svmhv-run.  Each run must end with
# no mismatch against the guest's own model, and its digest (a hash of
# every probe's outcome) must be the one the first hypervisor of this
# boot left in $SVMHV_DIGEST_DIR: run-suites.sh runs this as
# paging_test (svmhv, NPT), paging_test@shadow, paging_test@kvm and
# paging_test@kvm-shadow, and all must agree.
#
# Under svmhv's shadow MMU it also checks the shadow statistics and
# reruns the guest with shadow_roots=0 and shadow_pages=0, which mean the
# minimums (one root, 16 pages), so eviction happens all the time, and
# with shadow_large_pages=0, so the guest's 2M pages get 4K leaves
# instead of 2M ones: the digest must not change.
#
# Busybox sh runs this in the test machine, dash on an AMD host: both
# have local, which POSIX sh lacks.
# shellcheck disable=SC3043

tests=${SVMHV_TESTDIR:-$(dirname "$0")}
tools=${SVMHV_TOOLS:-/svmhv/tools}
device=${SVMHV_DEVICE:-/dev/svmhv}
digests=${SVMHV_DIGEST_DIR:-/tmp/svmhv-digests}
params=/sys/module/svmhv/parameters
run="$tools/svmhv-run --device $device --mem 64M"
. "$(dirname "$0")/lib/tap.sh"

echo "TAP version 13"
if [ "$device" = /dev/svmhv ] && ! [ -d /sys/module/svmhv ]; then
	insmod "${SVMHV_MODULE:-/svmhv/svmhv.ko}" || exit 1
fi
mkdir -p "$digests"

# torture NAME MODE IMAGE [svmhv-run args]: one run, checked.
torture() {
	local name="$1" mode="$2" image="$3" out status digest

	shift 3
	out=$($run --mode "$mode" "$@" "$tests/$image" 2>/tmp/torture.err)
	status=$?
	echo "$out" | sed 's/^/# /'
	digest=$(echo "$out" | sed -n 's/.*mismatches=0 digest=\([0-9a-f]*\).*/\1/p')
	if [ $status != 0 ] || [ -z "$digest" ]; then
		sed 's/^/# stderr: /' /tmp/torture.err
		not_ok "$name: status $status"
		return
	fi
	if [ ! -f "$digests/$mode" ]; then
		echo "$digest" >"$digests/$mode"
		ok "$name (digest $digest, the reference for this boot)"
	elif [ "$(cat "$digests/$mode")" = "$digest" ]; then
		ok "$name (digest $digest, as the reference)"
	else
		not_ok "$name: digest $digest, reference $(cat "$digests/$mode")"
	fi
}

torture "torture, long mode" long torture64.bin
torture "torture, PAE" pae torture-pae.bin
torture "torture, 32-bit paging" paged32 torture32.bin

if [ "$device" != /dev/svmhv ] || [ "${SVMHV_MMU:-}" != shadow ]; then
	skip "shadow statistics count the torture's work" "svmhv shadow only"
	skip "torture with one cached root and the least pages" "svmhv shadow only"
	skip "torture with 4K leaves for the guest's 2M pages" "svmhv shadow only"
	echo "1..$n"
	exit $failed
fi

out=$($run --mode long --stats "$tests/torture64.bin" 2>&1 >/dev/null)
echo "$out" | grep '^stats' | sed 's/^/# /'
bad=
for c in faults guest_pf cr3_loads root_hits invlpg allocated zapped \
	 resynced wp_faults large_leaves; do
	echo "$out" | grep -q " $c=[1-9]" || bad="$bad $c"
done
if [ -z "$bad" ]; then
	ok "shadow statistics count the torture's work"
else
	not_ok "shadow statistics count the torture's work (zero:$bad)"
fi

# 0 is below both minimums: the MMU must use 1 root and 16 pages.
roots=$(cat $params/shadow_roots)
pages=$(cat $params/shadow_pages)
echo 0 >$params/shadow_roots
echo 0 >$params/shadow_pages
torture "torture with one cached root and the least pages" long \
	torture64.bin
echo "$roots" >$params/shadow_roots
echo "$pages" >$params/shadow_pages

large=$(cat $params/shadow_large_pages)
echo N >$params/shadow_large_pages
torture "torture with 4K leaves for the guest's 2M pages" long torture64.bin
echo "$large" >$params/shadow_large_pages

echo "1..$n"
exit $failed
