#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mkinitramfs.sh MODROOT KREL SVMHV_MODDIR TESTDIR OUT [TOOLSDIR]
#
# Build the test machine's initramfs: static busybox, /init, the kernel
# modules the tests need (kvm_amd and what it depends on, msr) taken from
# MODROOT/lib/modules/KREL with their modules.dep, svmhv.ko (and
# svmhv_kunit.ko if built) from SVMHV_MODDIR, the tests from TESTDIR as
# /svmhv/tests, and svmhv-run with its guests from TOOLSDIR as
# /svmhv/tools (the benchmark payloads in /svmhv/tools/bench, with
# svmhv-native-gups), and the Linux guest of svmhv-run --kernel
# (scripts/mkguest.sh: Debian's kernel and a busybox initramfs) as
# /svmhv/guest; and perf with its libraries, when the host has it.

set -eu

modroot=$1
krel=$2
moddir=$3
testdir=$4
out=$5
tools=${6:-}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/env.sh"
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp,etc,svmhv/tests}
cp /bin/busybox "$root/bin/busybox"
install -m 0755 "$here/initramfs-init.sh" "$root/init"

copy_modules "$root" "$modroot" "$krel" kvm-amd msr

cp "$moddir/svmhv.ko" "$root/svmhv/"
cp "$here/demo-guests.sh" "$here/bench-run.sh" "$here/bench-profile.sh" \
	"$root/svmhv/"
if [ -f "$moddir/svmhv_kunit.ko" ]; then
	cp "$moddir/svmhv_kunit.ko" "$root/svmhv/"
fi
cp -r "$testdir"/. "$root/svmhv/tests/"
if [ -n "$tools" ]; then
	mkdir -p "$root/svmhv/tools"
	cp "$tools"/svmhv-run "$tools"/*.bin "$tools"/*.elf "$root/svmhv/tools/"
	if [ -d "$tools/bench" ]; then
		mkdir -p "$root/svmhv/tools/bench"
		cp "$tools"/bench/*.bin "$root/svmhv/tools/bench/"
		cp "$tools"/svmhv-native-gups "$root/svmhv/tools/"
	fi
fi

"$here/mkguest.sh" "$root/svmhv/guest" "" "$tools"

# perf, for the tracepoint tests (perf_test), when the host has it.
if [ -x /usr/bin/perf ]; then
	copy_program "$root" /usr/bin/perf
fi

(cd "$root" && find . | cpio -o -H newc --quiet) | gzip -1 >"$out"
