#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-kvm-selftests.sh OUT
#
# Builds KVM's own x86_64 selftests (tools/testing/selftests/kvm of
# Debian's linux-source-6.1), static, so that they run in the test
# machine's busybox initramfs.  Nothing of them is kept in this tree.
#
# OUT gets the stripped programs and OUT/tests.txt, one line per test the
# source's Makefile lists for x86_64, in its order:
#   NAME built
#   NAME build-failed
# A test that does not build is listed, not dropped: the table of
# results shows it.  The UAPI headers come from the same source
# ("make headers" into a folder of the cache), as the selftests expect.

set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/env.sh"

out=${1:?usage: build-kvm-selftests.sh OUT}
src=$(linux_source) || exit 1
kdir=$src/tools/testing/selftests/kvm
hdr=$SVMHV_CACHE/uapi-headers-$(basename "$src")

if [ ! -f "$hdr/.done" ]; then
	rm -rf "$hdr"
	make -s -C "$src" O="$hdr" headers || exit 1
	touch "$hdr/.done"
fi

mkdir -p "$out/obj"
out=$(cd "$out" && pwd)

# The tests the Makefile builds for x86_64; its extended programs and
# shell wrappers (nx_huge_pages_test.sh, which needs bash, sudo and
# kvm.ko's own parameters) are not tests of the API and are left out.
tests=$(awk '$1 == "TEST_GEN_PROGS_x86_64" { print $3 }' "$kdir/Makefile")
[ -n "$tests" ] || { echo "no x86_64 tests in $kdir/Makefile" >&2; exit 1; }

# -k: one test that does not build (Debian's 6.1 has two) must not stop
# the others.
make -k -j"$(nproc)" -C "$kdir" OUTPUT="$out/obj" ARCH=x86_64 \
	KHDR_INCLUDES="-isystem $hdr/usr/include" \
	LDFLAGS="-static -pthread -no-pie" >"$out/build.log" 2>&1

: >"$out/tests.txt"
for t in $tests; do
	name=${t#x86_64/}
	if [ -x "$out/obj/$t" ]; then
		strip -o "$out/$name" "$out/obj/$t" || exit 1
		echo "$name built" >>"$out/tests.txt"
	else
		echo "$name build-failed" >>"$out/tests.txt"
		echo "build-kvm-selftests: $name did not build; see $out/build.log"
	fi
done
rm -rf "$out/obj"
echo "build-kvm-selftests: $(grep -c ' built$' "$out/tests.txt") of" \
	"$(wc -l <"$out/tests.txt") tests built into $out"
