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
src=$modroot/lib/modules/$krel
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp,etc,svmhv/tests}
mkdir -p "$root/lib/modules/$krel"
cp /bin/busybox "$root/bin/busybox"
install -m 0755 "$here/initramfs-init.sh" "$root/init"

# Each wanted module with the modules it depends on; built-in ones are
# simply not found.
for want in kvm-amd msr; do
	line=$(grep -E "(^|/)${want}\.ko:" "$src/modules.dep" || true)
	[ -n "$line" ] || continue
	for f in ${line%%:*} ${line#*:}; do
		mkdir -p "$root/lib/modules/$krel/$(dirname "$f")"
		cp "$src/$f" "$root/lib/modules/$krel/$f"
	done
done
for f in modules.order modules.builtin modules.builtin.modinfo; do
	if [ -f "$src/$f" ]; then
		cp "$src/$f" "$root/lib/modules/$krel/"
	fi
done
depmod -b "$root" "$krel" 2>/dev/null

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

# copy_program PATH: a dynamically linked program and the libraries ldd
# names (the loader among them), at the same paths.
copy_program() {
	local f

	for f in "$1" $(ldd "$1" | grep -o '/[^ ]*'); do
		mkdir -p "$root$(dirname "$f")"
		cp -L "$f" "$root$f"
	done
}

# perf, for the tracepoint tests (perf_test), when the host has it.
if [ -x /usr/bin/perf ]; then
	copy_program /usr/bin/perf
fi

(cd "$root" && find . | cpio -o -H newc --quiet) | gzip -1 >"$out"
