#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
#
# What the guest of qemu_test checks (scripts/mkqemu-cpio.sh installs it
# as /bin/qemu-guest-check; guest-init.sh runs it as
# svmhv.cmd=qemu-guest-check, then powers off).  It loads the virtio
# drivers and prints, each on a line of its own:
#   qemu-guest: cpus N          the CPUs online
#   qemu-guest: disk MD5        the md5sum of the virtio disk's first MiB
#   qemu-guest: lease ADDRESS   the address DHCP gave the virtio NIC
# and writes "qemu-guest wrote this" at the disk's second MiB, which the
# test reads after QEMU has ended.  udhcpc runs it as its script too
# (with "bound" and the lease in $ip).
#
# Busybox sh: checked as POSIX sh.
# shellcheck shell=sh

if [ "${1:-}" = bound ]; then
	# shellcheck disable=SC2154 # ip: set by udhcpc
	echo "$ip" >/tmp/lease
	exit 0
fi
[ $# = 0 ] || exit 0

for m in virtio_pci virtio_blk virtio_net; do
	modprobe "$m" || echo "qemu-guest: modprobe $m failed"
done
echo "qemu-guest: cpus $(grep -c '^processor' /proc/cpuinfo) online $(cat /sys/devices/system/cpu/online)"
i=0
while [ ! -b /dev/vda ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
echo "qemu-guest: disk $(dd if=/dev/vda bs=64k count=16 2>/dev/null | md5sum | cut -d' ' -f1)"
echo "qemu-guest wrote this" | dd of=/dev/vda bs=1M seek=1 conv=fsync 2>/dev/null
ip link set eth0 up
udhcpc -i eth0 -n -q -t 5 -s /bin/qemu-guest-check >/dev/null 2>&1
echo "qemu-guest: lease $(cat /tmp/lease 2>/dev/null || echo none)"
