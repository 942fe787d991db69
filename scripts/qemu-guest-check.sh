#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
#
# What the guest of qemu_test checks (scripts/mkqemu-cpio.sh installs it
# as /bin/qemu-guest-check; guest-init.sh runs it as
# svmhv.cmd=qemu-guest-check, then powers off).  It loads the virtio
# drivers and ext4, mounts the virtio disk's filesystem (mkqemu-cpio.sh's
# disk.img) and prints, each on a line of its own:
#   qemu-guest: cpus N online LIST  the CPUs
#   qemu-guest: file MD5            the md5sum of the filesystem's check.bin
#   qemu-guest: lease ADDRESS       the address DHCP gave the virtio NIC
# and writes "qemu-guest wrote this" at the disk's fifth MiB, past the
# filesystem, which the test reads after QEMU has ended.  udhcpc runs it
# as its script too (with "bound" and the lease in $ip).
#
# Busybox sh: checked as POSIX sh.
# shellcheck shell=sh

if [ "${1:-}" = bound ]; then
	# shellcheck disable=SC2154 # ip: set by udhcpc
	echo "$ip" >/tmp/lease
	exit 0
fi
[ $# = 0 ] || exit 0

for m in virtio_pci virtio_blk virtio_net crc32c_generic ext4; do
	modprobe "$m" || echo "qemu-guest: modprobe $m failed"
done
echo "qemu-guest: cpus $(grep -c '^processor' /proc/cpuinfo) online $(cat /sys/devices/system/cpu/online)"
i=0
while [ ! -b /dev/vda ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
mkdir -p /mnt
if mount -t ext4 -o ro /dev/vda /mnt; then
	echo "qemu-guest: file $(md5sum </mnt/check.bin | cut -d' ' -f1)"
	umount /mnt
fi
echo "qemu-guest wrote this" | dd of=/dev/vda bs=1M seek=4 conv=fsync 2>/dev/null
ip link set eth0 up
udhcpc -i eth0 -n -q -t 5 -s /bin/qemu-guest-check >/dev/null 2>&1
echo "qemu-guest: lease $(cat /tmp/lease 2>/dev/null || echo none)"
