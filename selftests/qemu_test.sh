#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Debian's QEMU, unchanged, on /dev/kvm in the test machine (issue 19):
# qemu-system-x86_64 -accel kvm with kernel-irqchip=off (QEMU's own PIC,
# IOAPIC and local APICs), a virtio disk and a virtio NIC on user
# networking (the guest's own boot script, scripts/qemu-guest-boot.sh),
# boots the busybox guest of scripts/mkqemu-cpio.sh, whose
# /bin/qemu-guest-check reports the CPUs online, the checksum of a file
# on the disk's ext4 filesystem and a DHCP lease, writes to the disk, and
# powers off.  Two machines, `pc` and `q35`, each with two CPUs (QEMU
# brings the second up with INIT and SIPI through its own APIC, MP_STATE
# and the registers).  Each run is checked for QEMU's exit status 0
# after the guest's poweroff, all its CPUs online, the file read as
# mkqemu-cpio.sh wrote it, the guest's write found on the disk after
# QEMU ended, and the lease.  A third run boots `pc` with QEMU's default
# devices (its standard VGA with its BIOS, IDE, floppy) and -nographic,
# with the same checks (QEMU reads no dirty log there: it reads the
# VGA's only to draw a display).  The configuration (svmhv or kvm_amd,
# NPT or shadow paging) is lib/kvm_node.sh's.
#
# Skipped where the initramfs has no QEMU: make check appends it
# (scripts/mkqemu-cpio.sh) for its qemu boot only.  With deb12u18's
# QEMU, which hangs a guest with two CPUs on kvm_amd (docs/qemu-kvm-api.md,
# section 0), the guests get one CPU.
#
# Busybox sh runs this, which has local (POSIX sh lacks it).
# shellcheck disable=SC3043

dir=$(dirname "$0")
qemu=/usr/bin/qemu-system-x86_64
guest=${SVMHV_QEMU_GUEST:-/svmhv/qemu-guest}
tmp=${TMPDIR:-/tmp}/qemu_test
. "$dir/lib/tap.sh"
. "$dir/lib/kvm_node.sh"

checks="powered off|CPUs online|file read|disk written|DHCP lease"

# skip_run WHAT WHY: the run's checks, each skipped.
skip_run() {
	local IFS='|' c

	for c in $checks; do
		skip "$1: $c" "$2"
	done
}

# powered_off STATUS: QEMU ended with STATUS 0, after the guest's command
# list ended with status 0 (guest-init.sh's line) and its poweroff.
# shellcheck disable=SC2317 # called through ok_if
powered_off() {
	[ "$1" = 0 ] && grep -q "^svmhv-guest: status 0" "$tmp/log"
}

# disk_written: the guest's words at the disk's fifth MiB.
# shellcheck disable=SC2317 # called through ok_if
disk_written() {
	[ "$(dd if="$tmp/disk" bs=1M skip=4 count=1 2>/dev/null |
	     head -c 21)" = "qemu-guest wrote this" ]
}

# run MACHINE CPUS [vga]: one boot of the guest, and its checks.
run() {
	local what="$config, $1 -smp $2${3:+ with the default devices}" t0 rc
	local sum online

	sum=$(cat "$guest/check.md5")
	echo "qemu_test: $what" >/dev/kmsg
	t0=$(date +%s)
	"$guest/boot" "$1" "$2" "$tmp" "$3"
	rc=$?
	echo "# $what: QEMU status $rc after $(($(date +%s) - t0)) s"
	tr -d '\r' <"$tmp/out" >"$tmp/log"
	bad=0
	online=0
	[ "$2" = 1 ] || online=0-$(($2 - 1))
	ok_if "$what: powered off" powered_off "$rc" || bad=1
	ok_if "$what: CPUs online" \
		grep -q "^qemu-guest: cpus $2 online $online\$" "$tmp/log" ||
		bad=1
	ok_if "$what: file read" grep -q "^qemu-guest: file $sum" "$tmp/log" ||
		bad=1
	ok_if "$what: disk written" disk_written || bad=1
	ok_if "$what: DHCP lease" \
		grep -q "^qemu-guest: lease 10.0.2.15" "$tmp/log" || bad=1
	[ $bad = 0 ] || tail -n 40 "$tmp/log" | sed 's/^/# out: /'
	# A run killed as hung: its vCPUs' registers and svmhv's events.
	if [ -s "$tmp/hang" ]; then
		grep -a 'CPU#\|RIP=\|EIP=\|CR0=\|svmhv_' "$tmp/hang" | tail -n 80 |
			sed 's/^/# hang: /'
	fi
}

echo "1..15"
if [ ! -x "$qemu" ] || [ ! -f "$guest/bzImage" ]; then
	for m in pc q35 "pc with the default devices"; do
		skip_run "$m" "no QEMU in this initramfs (scripts/mkqemu-cpio.sh)"
	done
	exit 0
fi
if ! kvm_use_config; then
	not_ok "QEMU on $config: svmhv did not load"
	exit 1
fi
version=$("$qemu" --version | head -n 1)
echo "# $version"
cpus=2
if echo "$version" | grep -q 'deb12u18'; then
	echo "# deb12u18: one CPU (its SIPI bug: docs/qemu-kvm-api.md, section 0)"
	cpus=1
fi
run pc $cpus
run q35 $cpus
run pc $cpus vga
kvm_leave_config
rm -rf "$tmp"
exit "$failed"
