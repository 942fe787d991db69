#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mkqemu-cpio.sh OUT KREL TOOLSDIR
#
# What qemu_test needs in the test machine, as a gzipped cpio archive OUT
# to append to the initramfs of scripts/mkinitramfs.sh (the kernel
# unpacks both): Debian's qemu-system-x86_64 (qemu_for_tests in env.sh)
# with the libraries ldd lists and the firmware it loads for a guest
# without default devices, and the guest QEMU boots, in /svmhv/qemu-guest:
# the Linux guest of scripts/mkguest.sh (Debian's kernel KREL, busybox),
# its initramfs with the virtio PCI, block and network drivers added and
# scripts/qemu-guest-check.sh as /bin/qemu-guest-check.

set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/env.sh"
out=$1
krel=$2
tools=$3
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

qemu=$(qemu_for_tests)
mkdir -p "$root/usr/bin" "$root/svmhv"
copy_program "$root" "$qemu"
if [ "$qemu" != /usr/bin/qemu-system-x86_64 ]; then
	mv "$root$qemu" "$root/usr/bin/qemu-system-x86_64"
	rm -rf "${root:?}$SVMHV_CACHE"
	rmdir -p "$root$(dirname "$SVMHV_CACHE")" 2>/dev/null || true
fi
# SeaBIOS, the option ROM of -kernel, the TPR-patching ROM of QEMU's own
# APIC, where Debian's QEMU looks for them (its firmware path); the
# virtio NIC's ROM is turned off (romfile=) by qemu_test.
for f in seabios/bios-256k.bin qemu/linuxboot_dma.bin qemu/kvmvapic.bin; do
	mkdir -p "$root/usr/share/${f%/*}"
	cp -L "/usr/share/$f" "$root/usr/share/$f"
done

"$here/mkguest.sh" "$root/svmhv/qemu-guest" "$krel" "$tools"
extra=$root/extra
mkdir -p "$extra/bin"
install -m 0755 "$here/qemu-guest-check.sh" "$extra/bin/qemu-guest-check"
copy_modules "$extra" / "$krel" virtio_pci virtio_blk virtio_net
(cd "$extra" && find . | cpio -o -H newc --quiet) | gzip -9 \
	>>"$root/svmhv/qemu-guest/initrd.gz"
rm -rf "$extra"

(cd "$root" && find . | cpio -o -H newc --quiet) | gzip -1 >"$out"
