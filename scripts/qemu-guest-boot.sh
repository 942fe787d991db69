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
# -nographic: the serial port on standard output.
# WORKDIR (made afresh) gets the disk, WORKDIR/disk: the guest's ext4
# image and a fifth MiB of zeros for the guest to write; and QEMU's
# output, WORKDIR/out.  The status is QEMU's, or 137 when it was killed
# after QEMU_GUEST_LIMIT seconds (default 180): a guest boots in 20-70 s
# in the test machine, so by then it hung.  Before the kill, WORKDIR/hang
# gets what QEMU's vCPUs were doing (its monitor's "info registers -a",
# through a pipe) and a second of svmhv's tracepoints, when there are
# any.  Used by qemu_test, make demo and make bench (busybox sh runs
# it).

# Busybox sh runs this, which has local (POSIX sh lacks it).
# shellcheck disable=SC3043
guest=$(dirname "$0")
work=$3
if [ "${4:-}" = vga ]; then
	devices=-nographic
else
	devices="-nodefaults -display none -serial stdio"
fi

limit=${QEMU_GUEST_LIMIT:-180}

# hang_state: QEMU's vCPUs (the monitor answers into WORKDIR/monitor)
# and a second of svmhv's events, in a tracing instance of its own.
hang_state() {
	local t=/sys/kernel/debug/tracing/instances/qemu-guest-hang

	echo "info registers -a" >&3
	if [ -d /sys/kernel/debug/tracing/events/svmhv ] && mkdir "$t"; then
		echo 1 >"$t/events/svmhv/enable"
		sleep 1
		echo 0 >"$t/events/svmhv/enable"
		tail -n 60 "$t/trace" >"$work/trace"
		rmdir "$t"
	fi
	sleep 1
	cat "$work/monitor" "$work/trace" >"$work/hang" 2>/dev/null
}

rm -rf "$work"
mkdir -p "$work"
cp "$guest/disk.img" "$work/disk"
dd if=/dev/zero of="$work/disk" bs=1M count=1 seek=4 2>/dev/null
# The monitor's pipe: QEMU reads mon.in (held open here on fd 3, so that
# it never sees its end) and writes mon.out, which cat drains.
mkfifo "$work/mon.in" "$work/mon.out"
cat "$work/mon.out" >"$work/monitor" &
reader=$!
exec 3<>"$work/mon.in"
# shellcheck disable=SC2086 # the devices' options split into words
/usr/bin/qemu-system-x86_64 -accel kvm \
	-machine "$1,kernel-irqchip=off" -smp "$2" -m 256M -no-reboot \
	$devices -monitor "pipe:$work/mon" \
	-kernel "$guest/bzImage" -initrd "$guest/initrd.gz" \
	-append "console=ttyS0 quiet panic=-1 svmhv.cmd=qemu-guest-check" \
	-drive "file=$work/disk,if=virtio,format=raw" \
	-netdev user,id=n0 -device virtio-net-pci,netdev=n0,romfile= \
	</dev/null >"$work/out" 2>&1 &
qemu=$!
t=0
while kill -0 "$qemu" 2>/dev/null; do
	if [ "$t" -ge "$limit" ]; then
		hang_state
		kill -KILL "$qemu"
		break
	fi
	sleep 1
	t=$((t + 1))
done
wait "$qemu"
rc=$?
exec 3>&-
kill "$reader" 2>/dev/null
exit "$rc"
