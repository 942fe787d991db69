#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# demo-guests.sh TOOLSDIR [GUESTDIR]: run the hello guest of every mode
# under both MMUs with its statistics, then boot the Linux guest of
# scripts/mkguest.sh (GUESTDIR, default /svmhv/guest) under both MMUs: a
# few commands in it, its boot time, poweroff; then, where the initramfs
# has QEMU (scripts/mkqemu-cpio.sh) and there is no /dev/kvm, Debian's
# QEMU on svmhv through a /dev/kvm of svmhv's numbers.  Used by make demo
# on an AMD host and by the test machine's /init (busybox sh), so it
# stays POSIX sh.

t=$1
guest=${2:-/svmhv/guest}
for mmu in npt shadow; do
	for g in "real hello16.bin" "prot32 hello32.bin" \
		 "paged32 hello32.bin" "pae hello32.bin" "long hello64.bin"; do
		mode=${g% *} bin=${g#* }
		echo "== svmhv-run --mmu $mmu --mode $mode --stats $bin"
		"$t/svmhv-run" --mmu $mmu --mode "$mode" --stats "$t/$bin" 2>&1
		echo "== exit status $?"
	done
done

[ -f "$guest/bzImage" ] || { echo "== no Linux guest in $guest"; exit 0; }
# The guest's /init runs svmhv.cmd and powers off; its first command
# marks the end of the boot for --phases (the host's clock).
# shellcheck disable=SC2016 # the guest's shell expands it
cmd='svmhv-guest-bench mark; uname -a; free; i=0; while [ $i -lt 200 ]; do /bin/true || break; i=$((i+1)); done; echo $i fork+exec done'
for mmu in npt shadow; do
	echo "== svmhv-run --mmu $mmu --kernel bzImage --initrd initrd.gz: Debian's $(cat "$guest/release") with busybox"
	"$t/svmhv-run" --mmu $mmu --kernel "$guest/bzImage" \
		--initrd "$guest/initrd.gz" --phases boot \
		--append "console=ttyS0 acpi=off quiet panic=-1 svmhv.cmd=\"$cmd\"" \
		</dev/null >/tmp/demo-linux.out 2>&1
	status=$?
	grep -v '^svmhv-bench:' /tmp/demo-linux.out | tr -d '\r'
	ns=$(sed -n 's/^svmhv-bench: .* ns=\([0-9]*\) .*/\1/p' /tmp/demo-linux.out)
	[ -n "$ns" ] && echo "== boot to the shell: $((ns / 1000000000)).$((ns / 100000000 % 10)) s (host clock)"
	echo "== exit status $status"
done
rm -f /tmp/demo-linux.out

qguest=/svmhv/qemu-guest
[ -x /usr/bin/qemu-system-x86_64 ] && [ -f "$qguest/bzImage" ] &&
	[ ! -e /dev/kvm ] || exit 0
echo "== QEMU on svmhv: $(qemu-system-x86_64 --version | head -n 1)"
echo "== qemu-system-x86_64 -accel kvm -machine pc,kernel-irqchip=off, virtio disk and NIC; /dev/kvm is a node of /dev/svmhv's numbers"
echo "== (QEMU warns that svmhv offers none of KVM's paravirtual CPUID features, and that its own local APIC is deprecated with KVM: svmhv's is issue 20)"
# shellcheck disable=SC2046 # MAJOR:MINOR split into two arguments
mknod /dev/kvm c $(tr : ' ' </sys/class/misc/svmhv/dev)
"$qguest/boot" pc 1 /tmp/demo-qemu
status=$?
tr -d '\r' </tmp/demo-qemu/out
echo "== exit status $status"
rm -rf /dev/kvm /tmp/demo-qemu
