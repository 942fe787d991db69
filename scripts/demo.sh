#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: load svmhv, show what it found on each CPU, run the hello
# guest of every mode with its statistics, boot Debian's Linux kernel as
# a guest under each MMU, and in the test machine Debian's QEMU on svmhv
# (demo-guests.sh).  On an AMD host with SVM, as root, it runs on the
# host itself; everywhere else it boots the test machine (QEMU TCG,
# emulated EPYC) with Debian's kernel.

set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/env.sh"
cd "$SVMHV_TOP"

host_demo() {
	local kdir mod=$SVMHV_BUILD/module-host

	kdir=/lib/modules/$(uname -r)/build
	echo "svmhv: this host has SVM: running the demo here"
	"$here/build-module.sh" "$kdir" "$mod" >"$SVMHV_BUILD/demo-build.log"
	insmod "$mod/svmhv.ko"
	trap 'rmmod svmhv' EXIT
	dmesg | grep 'svmhv:' | tail -n "$(nproc)"
	cat /sys/kernel/debug/svmhv/cpus 2>/dev/null || true
	ls -l /dev/svmhv
	make -s -C tools/svmhv-run OUT="$SVMHV_BUILD/tools"
	make -s -C bench OUT="$SVMHV_BUILD/tools"
	t=$SVMHV_BUILD/tools
	# The Linux guest: this host's own kernel with the busybox initramfs.
	"$here/mkguest.sh" "$SVMHV_BUILD/guest-host" "$(uname -r)" "$t"
	"$here/demo-guests.sh" "$t" "$SVMHV_BUILD/guest-host"
}

mkdir -p "$SVMHV_BUILD"
if grep -qw svm /proc/cpuinfo && [ "$(id -u)" = 0 ] &&
   [ -f "/lib/modules/$(uname -r)/build/Makefile" ]; then
	host_demo
	exit 0
fi

"$here/install-deps.sh"
krel=$(debian_krel)
mod=$SVMHV_BUILD/module-debian
echo "svmhv: building svmhv.ko for the test machine's kernel $krel"
"$here/build-module.sh" "/usr/src/linux-headers-$krel" "$mod" \
	>"$SVMHV_BUILD/demo-build.log" 2>&1 ||
	{ tail -n 30 "$SVMHV_BUILD/demo-build.log"; exit 1; }
{ make -s -C tools/svmhv-run OUT="$SVMHV_BUILD/tools" &&
  make -s -C bench OUT="$SVMHV_BUILD/tools"; } >>"$SVMHV_BUILD/demo-build.log" 2>&1 ||
	{ tail -n 30 "$SVMHV_BUILD/demo-build.log"; exit 1; }
empty=$(mktemp -d)
trap 'rm -rf "$empty"' EXIT
"$here/mkinitramfs.sh" / "$krel" "$mod" "$empty" "$SVMHV_BUILD/initrd-demo.gz" \
	"$SVMHV_BUILD/tools"
# Debian's QEMU and its guest, for the demo's last part.
"$here/mkqemu-cpio.sh" "$SVMHV_BUILD/qemu.cpio.gz" "$krel" "$SVMHV_BUILD/tools"
cat "$SVMHV_BUILD/qemu.cpio.gz" >>"$SVMHV_BUILD/initrd-demo.gz"
echo "svmhv: booting the test machine: qemu-system-x86_64 -accel tcg -cpu EPYC-Rome,+svm,+npt -smp 2"
SVMHV_RESULTS='' "$here/svmhv-test.py" boot --name demo --demo \
	--kernel "/boot/vmlinuz-$krel" --initrd "$SVMHV_BUILD/initrd-demo.gz" \
	--append svmhv.demo=1 --timeout 900 --log-dir "$SVMHV_BUILD/logs"
