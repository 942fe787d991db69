#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# svmhv-run --kernel end to end: Debian's kernel with the busybox guest of
# scripts/mkguest.sh, booted through the loader.  One boot runs a command
# list (uname -r, free, 200 fork+exec) and powers off (status 0); one
# gets a shell on the console and is typed at through a FIFO (input,
# Ctrl-A escapes, poweroff); one reboots through the keyboard
# controller (status 3); one triple-faults (reboot=t) under --reboot
# restart, boots again and is quit with Ctrl-A x (status 4).  Then the loader
# errors: too little memory for the kernel or the initrd, a file that is
# not a bzImage, --mem over 3G (status 125); and the least memory the
# loader takes, too little for the kernel to boot: it panics, and
# panic=-1 ends the run (status 3) instead of a hang.
#
# SVMHV_DEVICE=/dev/kvm (linux_test@kvm, @kvm-shadow) boots on kvm_amd,
# with KVM's irqchip and PIT and the loader's own UART, RTC and reset
# ports.  On /dev/svmhv the same boots need the module's in-kernel
# devices (KVM_CREATE_IRQCHIP, KVM_CREATE_PIT2, SVMHV_CREATE_UART,
# SVMHV_ENABLE_PC_PORTS); while it lacks them the loader must say which
# one at once (status 125), and the boots are skipped.

tools=${SVMHV_TOOLS:-/svmhv/tools}
guest=${SVMHV_GUEST:-/svmhv/guest}
device=${SVMHV_DEVICE:-/dev/svmhv}
tmp=${TMPDIR:-/tmp}/linux_test
# A run, or a wait for its output, that takes this long has hung: the
# test fails (and kills the run) instead of the whole boot timing out.
# A boot takes 5-20 s in the test machine.
hang=180
run="timeout $hang $tools/svmhv-run --device $device --kernel $guest/bzImage --initrd $guest/initrd.gz --mem 256M"
# console=ttyS0: the only console.  acpi=off: there are no tables.
# quiet: a tenth of the UART exits.  panic=-1: a panic reboots (status
# 3) instead of spinning.
base="console=ttyS0 acpi=off quiet panic=-1"
n=0
failed=0

ok() {
	n=$((n + 1))
	echo "ok $n $1"
}

not_ok() {
	n=$((n + 1))
	failed=1
	echo "not ok $n $1"
}

skip() {
	n=$((n + 1))
	echo "ok $n $1 # SKIP $2"
}

# check NAME CONDITION...: ok when the command succeeds, else the run's
# output goes to the log.
check() {
	local name=$1

	shift
	if "$@"; then
		ok "$name"
	else
		tr -d '\r' <"$tmp/out" | sed 's/^/# out: /'
		sed 's/^/# err: /' "$tmp/err"
		not_ok "$name"
	fi
}

has() {
	tr -d '\r' <"$tmp/out" | grep -q -- "$1"
}

# loader_error TEXT: status 125, nothing on stdout, TEXT on stderr.
loader_error() {
	[ $status = 125 ] && [ ! -s "$tmp/out" ] && grep -q -- "$1" "$tmp/err"
}

now_cs() {
	sed 's/^\([0-9]*\)\.\([0-9][0-9]\).*/\1\2/' /proc/uptime
}

secs() {
	echo "$(($1 / 100)).$(($1 / 10 % 10))"
}

# wait_for TEXT [COUNT]: until the output has TEXT COUNT times (default
# 1), or the run ended, or it hung (then it is killed).
wait_for() {
	local want=${2:-1} start

	start=$(now_cs)
	while [ "$(tr -d '\r' <"$tmp/out" | grep -c -- "$1")" -lt "$want" ]; do
		kill -0 "$pid" 2>/dev/null || return 1
		if [ $(($(now_cs) - start)) -ge $((hang * 100)) ]; then
			echo "# no '$1' after $hang s: killing the run"
			kill "$pid"
			return 1
		fi
		sleep 0.1
	done
}

# boot_bg ARGS...: svmhv-run in the background, its stdin a FIFO on fd 3.
boot_bg() {
	rm -f "$tmp/in"
	mkfifo "$tmp/in"
	$run "$@" <"$tmp/in" >"$tmp/out" 2>"$tmp/err" &
	pid=$!
	exec 3>"$tmp/in"
}

finish_bg() {
	exec 3>&-
	wait "$pid"
	status=$?
}

# A run killed while input is still to be written to it.
trap '' PIPE
mkdir -p "$tmp"
if [ "$device" = /dev/svmhv ]; then
	[ -e /dev/svmhv ] || insmod "${SVMHV_MODULE:-/svmhv/svmhv.ko}"
else
	modprobe kvm_amd
fi

echo "TAP version 13"
echo "1..17"

# The command list: the release, the memory, 200 fork+exec of
# /bin/true (by path: busybox's shell forks and execs it) counted by the
# kernel's fork counter too.
cmds='uname -r; free | grep Mem:; p=$(sed -n s/^processes.//p /proc/stat); i=0; while [ $i -lt 200 ]; do /bin/true || break; i=$((i+1)); done; q=$(sed -n s/^processes.//p /proc/stat); echo execs=$i forks=$((q-p))'
start=$(now_cs)
$run --append "$base svmhv.cmd=\"$cmds\"" </dev/null >"$tmp/out" 2>"$tmp/err"
status=$?
echo "# command-list boot to poweroff: $(secs $(($(now_cs) - start))) s"

if [ "$device" = /dev/svmhv ] && [ $status = 125 ] &&
   grep -q 'lacks [A-Z_0-9]*' "$tmp/err"; then
	# Until the module has its in-kernel devices.
	sed 's/^/# /' "$tmp/err"
	check "svmhv: the loader names the ioctl svmhv lacks (status 125)" \
		grep -q '/dev/svmhv lacks KVM_CREATE_IRQCHIP' "$tmp/err"
	while [ $n -lt 17 ]; do
		skip "boot on svmhv" "svmhv lacks its in-kernel devices"
	done
	exit $failed
fi

check "boots to the guest's init" has "svmhv-guest: up"
check "uname -r: the kernel's release" has "^$(cat "$guest/release")\$"
total=$(tr -d '\r' <"$tmp/out" | sed -n 's/^Mem: *\([0-9]*\) .*/\1/p')
check "free: 1K-256M of memory" [ "${total:-0}" -gt 1024 -a \
	"${total:-0}" -le 262144 ]
check "200 fork+exec" has "^execs=200 forks=2[0-9][0-9]\$"
check "the command list's status is 0" has "^svmhv-guest: status 0\$"
check "poweroff ends the run with status 0" [ $status = 0 ]

# A shell on the console, typed at.
start=$(now_cs)
boot_bg --append "$base"
wait_for "svmhv-guest: up"
echo "# interactive boot to the guest's init: $(secs $(($(now_cs) - start))) s"
printf 'echo typed-$((6*7))\n' >&3
wait_for "^typed-42"
check "serial input reaches the shell" has "^typed-42"
# Ctrl-A Ctrl-A is one Ctrl-A, Ctrl-A z is nothing: "p^Aq\n".
printf 'echo ready-$((1+1)); head -c 4 | od -An -tx1\n' >&3
wait_for "^ready-2"
printf 'p\001\001\001zq\n' >&3
wait_for " 70 01 71 0a"
check "Ctrl-A Ctrl-A sends Ctrl-A, Ctrl-A z nothing" has " 70 01 71 0a"
printf 'poweroff -f\n' >&3
finish_bg
check "poweroff from the shell: status 0" [ $status = 0 ]

# Linux's default reboot: the keyboard controller (port 0x64).
$run --append "$base svmhv.cmd=\"reboot -f\"" </dev/null >"$tmp/out" \
	2>"$tmp/err"
status=$?
check "reboot (port 0x64) ends the run with status 3" [ $status = 3 ]

# A triple fault (reboot=t) is a reboot too: under --reboot restart the
# guest comes up again; Ctrl-A x ends it.
boot_bg --reboot restart --append "$base reboot=t svmhv.cmd=\"reboot -f\""
wait_for "svmhv-guest: up" 2
printf '\001x' >&3
finish_bg
check "a triple fault (reboot=t) reboots: --reboot restart boots again" \
	grep -q "booting it again" "$tmp/err"
check "Ctrl-A x quits with status 4" [ $status = 4 ]

# Loader errors.
$run --mem 64M </dev/null >"$tmp/out" 2>"$tmp/err"
status=$?
check "too little memory for the kernel: status 125, a message" \
	loader_error "--mem 64M is too small for the kernel: it needs"
$run --mem 80M </dev/null >"$tmp/out" 2>"$tmp/err"
status=$?
check "too little memory for the initrd: status 125, a message" \
	loader_error "--mem 80M is too small for the kernel (.*) and the initrd"
# The least the loader takes is too little for the kernel to boot: it
# must panic, and panic=-1 end the run (status 3), not hang.
least=$(sed -n 's/.*give at least --mem \([0-9]*M\)$/\1/p' "$tmp/err")
$run --mem "${least:-80M}" --append "$base svmhv.cmd=true" </dev/null \
	>"$tmp/out" 2>"$tmp/err"
status=$?
check "in the least memory the loader takes ($least) the guest panics: status 3" \
	eval '[ $status = 3 ] && has "Kernel panic"'
timeout $hang "$tools/svmhv-run" --device "$device" \
	--kernel "$tools/hello64.elf" </dev/null >"$tmp/out" 2>"$tmp/err"
status=$?
check "not a bzImage: status 125, a message" loader_error "not a bzImage"
$run --mem 4G </dev/null >"$tmp/out" 2>"$tmp/err"
status=$?
check "a kernel on a machine with --mem over 3G: status 125" \
	loader_error "at most --mem 3G"
exit $failed
