#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# boot MACHINE CPUS WORKDIR [vga] (scripts/mkqemu-cpio.sh installs this
# as /svmhv/qemu-guest/boot, beside the guest it boots): Debian's QEMU
# on /dev/kvm with its own PIC, IOAPIC and local APICs
# (kernel-irqchip=off), a virtio disk and a virtio NIC on user
# networking, boots the guest, whose /bin/qemu-guest-check reports and
# powers off.  Without default devices; with "vga", with them (the
# standard VGA and its BIOS, IDE, floppy, parallel port) and
# -nographic: the serial port and QEMU's monitor on standard output.
# WORKDIR (made afresh) gets the disk, WORKDIR/disk: the guest's ext4
# image and a fifth MiB of zeros for the guest to write; and QEMU's
# output, WORKDIR/out.  The status is QEMU's, or 137 when it was killed
# after five minutes: a guest boots in 20-40 s in the test machine, so
# by then it hung.  Used by qemu_test, make demo and make bench (busybox
# sh runs it).

guest=$(dirname "$0")
work=$3
if [ "${4:-}" = vga ]; then
	devices=-nographic
else
	devices="-nodefaults -display none -monitor none -serial stdio"
fi

rm -rf "$work"
mkdir -p "$work"
cp "$guest/disk.img" "$work/disk"
dd if=/dev/zero of="$work/disk" bs=1M count=1 seek=4 2>/dev/null
# shellcheck disable=SC2086 # the devices' options split into words
timeout -s KILL 300 /usr/bin/qemu-system-x86_64 -accel kvm \
	-machine "$1,kernel-irqchip=off" -smp "$2" -m 256M -no-reboot \
	$devices -kernel "$guest/bzImage" -initrd "$guest/initrd.gz" \
	-append "console=ttyS0 quiet panic=-1 svmhv.cmd=qemu-guest-check" \
	-drive "file=$work/disk,if=virtio,format=raw" \
	-netdev user,id=n0 -device virtio-net-pci,netdev=n0,romfile= \
	</dev/null >"$work/out" 2>&1
