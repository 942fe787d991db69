#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mkqemu-cpio.sh OUT KREL TOOLSDIR
#
# What qemu_test, make demo and make bench need in the test machine, as
# a gzipped cpio archive OUT to append to the initramfs of
# scripts/mkinitramfs.sh (the kernel unpacks both): Debian's
# qemu-system-x86_64 (qemu_for_tests in env.sh) with the libraries ldd
# lists and the firmware it loads, and in /svmhv/qemu-guest the guest
# QEMU boots: the Linux guest of scripts/mkguest.sh (Debian's kernel
# KREL, busybox), its initramfs with the virtio PCI, block and network
# drivers and ext4 added and scripts/qemu-guest-check.sh as
# /bin/qemu-guest-check; disk.img, a 4 MiB ext4 filesystem holding
# check.bin (64 KiB of random bytes), whose md5sum is in check.md5; and
# scripts/qemu-guest-boot.sh as boot, which boots the guest in QEMU.

set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/env.sh"
out=$1
krel=$2
tools=$3
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

qemu=$(qemu_for_tests)
mkdir -p "$root/svmhv"
copy_program "$root" "$qemu" /usr/bin/qemu-system-x86_64
# SeaBIOS, the option ROM of -kernel, the TPR-patching ROM of QEMU's own
# APIC, the standard VGA's BIOS (for a machine with its default
# devices), where Debian's QEMU looks for them (its firmware path); the
# virtio NIC's ROM is turned off (romfile=) by qemu-guest-boot.sh.
for f in seabios/bios-256k.bin qemu/linuxboot_dma.bin qemu/kvmvapic.bin \
	 seabios/vgabios-stdvga.bin; do
	mkdir -p "$root/usr/share/${f%/*}"
	cp -L "/usr/share/$f" "$root/usr/share/$f"
done

"$here/mkguest.sh" "$root/svmhv/qemu-guest" "$krel" "$tools"
install -m 0755 "$here/qemu-guest-boot.sh" "$root/svmhv/qemu-guest/boot"
extra=$root/extra
mkdir -p "$extra/bin"
install -m 0755 "$here/qemu-guest-check.sh" "$extra/bin/qemu-guest-check"
# ext4 computes its checksums with crc32c: the generic one, for QEMU's
# default CPU has no SSE4.2.
copy_modules "$extra" / "$krel" virtio_pci virtio_blk virtio_net \
	crc32c_generic ext4
(cd "$extra" && find . | cpio -o -H newc --quiet) | gzip -9 \
	>>"$root/svmhv/qemu-guest/initrd.gz"
rm -rf "$extra"

fs=$root/fs
mkdir -p "$fs"
head -c 65536 /dev/urandom >"$fs/check.bin"
md5sum <"$fs/check.bin" | cut -d' ' -f1 >"$root/svmhv/qemu-guest/check.md5"
mkfs.ext4 -q -F -d "$fs" "$root/svmhv/qemu-guest/disk.img" 4M >/dev/null
rm -rf "$fs"

(cd "$root" && find . | cpio -o -H newc --quiet) | gzip -1 >"$out"
