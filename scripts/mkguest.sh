#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mkguest.sh OUTDIR [KREL [TOOLSDIR]]
#
# The Linux guest svmhv-run --kernel boots in the tests and the demo:
# OUTDIR/bzImage, Debian's own kernel (/boot/vmlinuz-KREL, by default the
# newest linux-image-amd64 installed, the test machine's kernel), and
# OUTDIR/initrd.gz, an initramfs with static busybox and
# scripts/guest-init.sh as /init, and OUTDIR/release, the kernel's
# release (what uname -r says in the guest).  With TOOLSDIR, the
# initramfs also has TOOLSDIR/svmhv-guest-bench (bench/linux-guest.c) as
# /bin/svmhv-guest-bench, the loops make bench and linux_test run in the
# guest.  No modules: the kernel has what the
# guest needs built in (8250 UART, RTC, initramfs, tmpfs).

set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/env.sh"
out=$1
krel=${2:-$(debian_krel)}
tools=${3:-}
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

mkdir -p "$out" "$root/bin"
cp /bin/busybox "$root/bin/busybox"
install -m 0755 "$here/guest-init.sh" "$root/init"
if [ -n "$tools" ]; then
	install -m 0755 "$tools/svmhv-guest-bench" "$root/bin/"
fi
(cd "$root" && find . | cpio -o -H newc --quiet) | gzip -9 >"$out/initrd.gz"
cp "/boot/vmlinuz-$krel" "$out/bzImage"
echo "$krel" >"$out/release"
