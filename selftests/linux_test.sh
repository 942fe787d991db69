#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# svmhv-run --kernel end to end: Debian's kernel with the busybox guest of
# scripts/mkguest.sh, booted through the loader.  One boot runs a command
# list (uname -r, free, 200 fork+exec, svmhv-guest-bench's fork+exec and
# demand-fault loops, timed as --phases) and powers off (status 0); one
# reads the RTC's date and times `sleep 1` against the test machine's
# clock; one marks once more than --phases has (status 126); one is
# killed (SIGKILL) while it boots and must leave nothing behind; one gets
# a shell on the console and is typed at through a FIFO (input, Ctrl-A
# escapes, poweroff); one reboots through the keyboard controller
# (status 3); one triple-faults (reboot=t) under --reboot restart, boots
# again and is quit with Ctrl-A x (status 4).  Then the loader errors:
# too little memory for the kernel or the initrd, a file that is not a
# bzImage, --mem over 3G (status 125); and the least memory the loader
# takes, too little for the kernel to boot: it panics, and panic=-1 ends
# the run (status 3) instead of a hang.
#
# SVMHV_DEVICE=/dev/kvm (linux_test@kvm, @kvm-shadow) boots on kvm_amd,
# with KVM's irqchip and PIT and the loader's own UART, RTC and reset
# ports.  On /dev/svmhv (linux_test, @shadow) every device is the
# module's (KVM_CREATE_IRQCHIP, KVM_CREATE_PIT2, SVMHV_CREATE_UART,
# SVMHV_ENABLE_PC_PORTS).
#
# Busybox sh runs this in the test machine, dash on an AMD host: both
# have local, which POSIX sh lacks.  The single-quoted $ are all meant
# for eval (check NAME eval '...') or for the guest's shell.
# shellcheck disable=SC3043,SC2016

tools=${SVMHV_TOOLS:-/svmhv/tools}
guest=${SVMHV_GUEST:-/svmhv/guest}
device=${SVMHV_DEVICE:-/dev/svmhv}
tmp=${TMPDIR:-/tmp}/linux_test
mmu=${SVMHV_MMU:-npt}
devname=svmhv
[ "$device" = /dev/kvm ] && devname=kvm
pinned_file=/sys/kernel/debug/svmhv/pinned_pages
# A run, or a wait for its output, that takes this long has hung: the
# test fails (and kills the run) instead of the whole boot timing out.
# A boot takes 5-20 s in the test machine.
hang=180
run="timeout $hang $tools/svmhv-run --device $device --kernel $guest/bzImage --initrd $guest/initrd.gz --mem 256M"
# console=ttyS0: the only console.  acpi=off: there are no tables.
# quiet: a tenth of the UART exits.  panic=-1: a panic reboots (status
# 3) instead of spinning.
base="console=ttyS0 acpi=off quiet panic=-1"
ntests=27
. "$(dirname "$0")/lib/tap.sh"

# check NAME CONDITION...: ok when the command succeeds, else the run's
# output goes to the log.
check() {
	local name="$1"

	shift
	if "$@"; then
		ok "$name"
	else
		tr -d '\r' <"$tmp/out" | sed 's/^/# out: /'
		sed 's/^/# err: /' "$tmp/err"
		not_ok "$name"
	fi
}

# shellcheck disable=SC2317 # called through check and eval
has() {
	tr -d '\r' <"$tmp/out" | grep -q -- "$1"
}

# loader_error TEXT: status 125, nothing on stdout, TEXT on stderr.
# shellcheck disable=SC2317 # called through check and eval
loader_error() {
	[ "$status" = 125 ] && [ ! -s "$tmp/out" ] && grep -q -- "$1" "$tmp/err"
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
	local want="${2:-1}" start

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

# phase_ns NAME: the ns of phase NAME in the run's svmhv-bench lines.
phase_ns() {
	tr -d '\r' <"$tmp/out" |
		sed -n "s/^svmhv-bench: workload=$1 .* ns=\([0-9]*\) .*/\1/p" |
		head -n 1
}

pinned() {
	cat "$pinned_file" 2>/dev/null || echo 0
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
echo "1..$ntests"

# The command list: the release, the memory, 200 fork+exec of
# /bin/true (by path: busybox's shell forks and execs it) counted by the
# kernel's fork counter too, then svmhv-guest-bench's loops, each a phase
# of --phases (the boot is the first, ended by the first mark).
cmds='svmhv-guest-bench mark; uname -r; free | grep Mem:; p=$(sed -n s/^processes.//p /proc/stat); i=0; while [ $i -lt 200 ]; do /bin/true || break; i=$((i+1)); done; q=$(sed -n s/^processes.//p /proc/stat); echo execs=$i forks=$((q-p)); svmhv-guest-bench forkexec 50 && svmhv-guest-bench faults 16 2'
start=$(now_cs)
$run --phases linux_boot,linux_fork:50,linux_fault:2 \
	--append "$base svmhv.cmd=\"$cmds\"" </dev/null >"$tmp/out" 2>"$tmp/err"
status=$?
echo "# command-list boot to poweroff: $(secs $(($(now_cs) - start))) s"

check "boots to the guest's init" has "svmhv-guest: up"
check "uname -r: the kernel's release" has "^$(cat "$guest/release")\$"
total=$(tr -d '\r' <"$tmp/out" | sed -n 's/^Mem: *\([0-9]*\) .*/\1/p')
check "free: 1K-256M of memory" [ "${total:-0}" -gt 1024 -a \
	"${total:-0}" -le 262144 ]
check "200 fork+exec" has "^execs=200 forks=2[0-9][0-9]\$"
check "svmhv-guest-bench: 50 fork+exec, 8192 demand faults read back" \
	eval 'has "^forkexec 50 of 50\$" &&
	      has "^faults 16 MiB x 2: 8192 pages, 0 wrong\$"'
check "the command list's status is 0" has "^svmhv-guest: status 0\$"
check "poweroff ends the run with status 0" [ $status = 0 ]
grep '^svmhv-bench: ' "$tmp/out" | sed 's/^/# /'
# svmhv-run --phases: a line per phase, this device and MMU, some time.
# shellcheck disable=SC2034 # read by the eval below
line="^svmhv-bench: workload=%s device=$devname mmu=$mmu backing=thp guest_pages=4k iters=%s ns=[1-9][0-9]* exits="
check "--phases: one svmhv-bench line per phase (boot, fork, fault)" \
	eval 'has "$(printf "$line" linux_boot 1)" &&
	      has "$(printf "$line" linux_fork 50)" &&
	      has "$(printf "$line" linux_fault 2)" &&
	      [ "$(grep -c "^svmhv-bench: " "$tmp/out")" = 3 ]'

# The RTC's date, and `sleep 1` timed by the test machine's clock: the
# loader times each phase between two marks (OUTs to port 0xF0) on its
# CLOCK_MONOTONIC, and a phase of `sleep 0` between the same marks takes
# away what is not the sleep (the mark program's exit, the fork and exec
# of busybox's sleep and of the next mark), which on a loaded machine
# can be tens of ms.
t0=$(date -u +%s)
mark="svmhv-guest-bench mark"
$run --phases linux_boot,sleep_1,sleep_0 --append "$base svmhv.cmd=\"date -u +%s; cat /sys/class/rtc/rtc0/date; $mark; $mark; sleep 1; $mark; $mark; sleep 0; $mark\"" \
	</dev/null >"$tmp/out" 2>"$tmp/err"
status=$?
t1=$(date -u +%s)
guest_s=$(tr -d '\r' <"$tmp/out" | sed -n 's/^\([0-9]\{9,\}\)$/\1/p' | head -n 1)
echo "# the guest's clock: ${guest_s:-none}; the test machine's: $t0-$t1"
check "the guest's clock has the RTC's time (the test machine's +-2 s)" \
	[ "${guest_s:-0}" -ge $((t0 - 2)) -a "${guest_s:-0}" -le $((t1 + 2)) ]
rtc_date=$(tr -d '\r' <"$tmp/out" | sed -n 's/^\([0-9]\{4\}-[0-9][0-9]-[0-9][0-9]\)$/\1/p')
echo "# the guest's rtc0: ${rtc_date:-none}; today: $(date -u +%F)"
check "the guest's RTC (rtc0) says today's date" \
	eval '[ "$rtc_date" = "$(date -u -d @$t0 +%F)" ] ||
	      [ "$rtc_date" = "$(date -u -d @$t1 +%F)" ]'
one=$(phase_ns sleep_1)
zero=$(phase_ns sleep_0)
net=$(((${one:-0} - ${zero:-0}) / 1000000))
echo "# sleep 1 in the guest: $((${one:-0} / 1000000)) ms between its marks, sleep 0 $((${zero:-0} / 1000000)) ms: $net ms of the test machine's"
check "sleep 1 in the guest takes 1 s (+-10%) of the test machine's time" \
	[ -n "$one" -a -n "$zero" -a $net -ge 900 -a $net -le 1100 ]
check "the clock run powers off with a line per phase" \
	eval '[ $status = 0 ] && [ "$(grep -c "^svmhv-bench: " "$tmp/out")" = 3 ]'

# One mark more than --phases has: the run ends as a crash (126) that
# says so.
$run --phases linux_boot --append "$base svmhv.cmd=\"$mark; $mark; echo not-here\"" \
	</dev/null >"$tmp/out" 2>"$tmp/err"
status=$?
check "a mark beyond --phases: status 126, a message, no line" \
	eval '[ $status = 126 ] && ! has "^svmhv-bench: " && ! has not-here &&
	      grep -q "marked more phases than --phases has (1)" "$tmp/err"'

# SIGKILL of the loader while the guest boots: nothing pinned stays
# pinned (svmhv), no file stays open (the module could be unloaded).
before=$(pinned)
"$tools/svmhv-run" --device "$device" --kernel "$guest/bzImage" \
	--initrd "$guest/initrd.gz" --mem 256M --append "$base" \
	</dev/null >"$tmp/out" 2>"$tmp/err" &
pid=$!
sleep 3
during=$(pinned)
kill -KILL $pid
wait $pid
status=$?
i=0
while [ $i -lt 20 ] && [ "$(pinned)" != "$before" ]; do
	sleep 0.1
	i=$((i + 1))
done
echo "# pinned pages before, while booting, after SIGKILL: $before $during $(pinned)"
if [ "$device" = /dev/svmhv ]; then
	check "SIGKILL mid-boot: killed (137); the pinned pages are unpinned" \
		[ $status = 137 -a "$during" -gt "$before" -a "$(pinned)" = "$before" ]
	check "SIGKILL mid-boot: no svmhv file left open (module refcount 0)" \
		[ "$(cat /sys/module/svmhv/refcnt)" = 0 ]
else
	check "SIGKILL mid-boot: killed (137)" [ $status = 137 ]
	skip "SIGKILL mid-boot: module refcount" "svmhv's pinned_pages and refcount"
fi

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

# Bad --phases lists: loader errors before anything boots.
# shellcheck disable=SC2317 # called through eval
bad_phases() {
	local list="$1" text="$2"

	shift 2
	$run --phases "$list" "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
	status=$?
	loader_error "$text" || { echo "# --phases '$list' $*: $status"; return 1; }
}
check "--phases: bad names, counts, lists and companions are loader errors (125)" \
	eval 'bad_phases Boot "not a name" &&
	      bad_phases "a:0" "at least one iteration" &&
	      bad_phases "a:x" "is not a count" &&
	      bad_phases "," "no phase" &&
	      bad_phases "a,b,c,d,e,f,g,h,i" "at most 8 phases" &&
	      bad_phases a "not with --reboot restart" --reboot restart'
exit $failed
