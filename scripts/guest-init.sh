#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the Linux guest that svmhv-run --kernel boots (the initramfs
# scripts/mkguest.sh builds).  It prints "svmhv-guest: up", then either
# runs the commands given on the kernel command line as
#   svmhv.cmd="COMMAND; COMMAND..."
# (no double quotes inside; the kernel keeps them as they are in
# /proc/cmdline), prints "svmhv-guest: status N" with their exit status,
# or, without svmhv.cmd, runs a shell on the console; then it powers the
# guest off.  Without ACPI, Linux's poweroff halts the CPU with
# interrupts off, which ends svmhv-run with status 0.
#
# Busybox sh: checked as POSIX sh.
# shellcheck shell=sh

/bin/busybox mkdir -p /bin /sbin /usr/bin /usr/sbin /proc /sys /dev /tmp
/bin/busybox --install -s
export PATH=/bin:/sbin:/usr/bin:/usr/sbin HOME=/ TERM=vt100
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
hostname svmhv-guest

echo "svmhv-guest: up $(cut -d' ' -f1 /proc/uptime) s after boot"
cmd=$(sed -n 's/.*svmhv\.cmd="\([^"]*\)".*/\1/p' /proc/cmdline)
[ -n "$cmd" ] || cmd=$(sed -n 's/.*svmhv\.cmd=\([^" ][^ ]*\).*/\1/p' /proc/cmdline)
if [ -n "$cmd" ]; then
	sh -c "$cmd"
	echo "svmhv-guest: status $?"
else
	# A session of its own with the console as controlling terminal:
	# job control, and Ctrl-C reaches the foreground job.
	setsid cttyhack sh -l
fi
echo "svmhv-guest: powering off"
poweroff -f
