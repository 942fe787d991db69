#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# bench-run.sh CONFIG...
#
# The benchmark suite, run where the hypervisors are: in the test machine
# (make bench; its /init starts this) or on an AMD host (make bench-host).
# CONFIG is one of
#   svmhv-npt     svmhv.ko loaded, every VM under nested paging
#   svmhv-shadow  svmhv.ko loaded, every VM under shadow paging
#   kvm-npt       kvm_amd loaded with npt=1, through /dev/kvm
#   kvm-shadow    kvm_amd loaded with npt=0
#   native        no hypervisor: the TLB loops as a plain process
# Besides the payloads (bench/), each hypervisor configuration boots the
# Linux guest (scripts/mkguest.sh) once per round and measures three
# phases in it: linux_boot (to its init), linux_fork (fork + exec of
# /bin/true) and linux_fault (64 MiB of fresh anonymous pages written,
# unmapped, again), the issue's "MMU-intensive benchmarks" inside an OS;
# and qemu_boot: Debian's QEMU booting a Linux guest to its init on
# /dev/kvm (issue 19; where the initramfs has QEMU, as make bench's does).
# Only one hypervisor module is loaded at a time.  In the first round
# each hypervisor configuration ends with the workload "profile":
# bench-profile.sh's ftrace profile of the VMMCALL round trip, its
# "svmhv-profile:" lines passed through.
#
# The runs go in rounds: round r runs every workload variant once under
# every configuration (the order of the configurations rotating from
# round to round), and there are as many rounds as repeats.  So a change
# of the machine's speed during the run (the host is shared; under TCG
# that moves every figure) falls on all configurations alike, instead of
# on whichever ran at the time.  Each round is framed as a suite
# "bench-roundR" for svmhv-test.py, with one TAP result per run (ok: it
# exited 0 and printed its line).  The measurements are the
# "svmhv-bench:" lines svmhv-run --bench and svmhv-native-gups print;
# "# svmhv-env:" lines say where they were taken.
#
# Environment:
#   SVMHV_MODULE     svmhv.ko
#   SVMHV_TOOLS      svmhv-run, svmhv-native-gups and bench/NAME.bin
#   SVMHV_GUEST      the Linux guest: bzImage, initrd.gz (/svmhv/guest)
#   BENCH_REPEAT     runs (rounds) of each workload variant, each in a
#                    fresh VM (default 5; 1 with BENCH_QUICK=1)
#   BENCH_TLB_REPEAT the same for gups and seq alone, whose setup (filling
#                    1G, and the hypervisor's faults doing it) takes most of
#                    the time (default: BENCH_REPEAT)
#   BENCH_LINUX_REPEAT  the same for the Linux guest's boot (default:
#                    BENCH_REPEAT)
#   BENCH_QUICK      1: few iterations and little memory, for development
#   BENCH_MEM        guest memory of gups and seq (default 1G; quick 64M)
#   BENCH_WORKLOADS  comma list to run only some workloads
#   BENCH_RUN_TIMEOUT  seconds one svmhv-run invocation may take (1800)
#
# Busybox sh runs this in the test machine, dash on an AMD host: both
# have local, which POSIX sh lacks.
# shellcheck disable=SC3043

tools=${SVMHV_TOOLS:?SVMHV_TOOLS: where svmhv-run is}
module=${SVMHV_MODULE:?SVMHV_MODULE: svmhv.ko}
payloads=$tools/bench
guest_dir=${SVMHV_GUEST:-/svmhv/guest}
qguest=${SVMHV_QEMU_GUEST:-/svmhv/qemu-guest}
run=$tools/svmhv-run
here=$(dirname "$0")
quick=${BENCH_QUICK:-0}
[ "$quick" = 1 ] || quick=0
if [ "$quick" = 1 ]; then
	repeat=${BENCH_REPEAT:-1}
	mem=${BENCH_MEM:-64M}
	fault_mem=64M
else
	repeat=${BENCH_REPEAT:-5}
	mem=${BENCH_MEM:-1G}
	# fault_storm takes a fresh page per iteration.
	fault_mem=256M
fi
tlb_repeat=${BENCH_TLB_REPEAT:-$repeat}
linux_repeat=${BENCH_LINUX_REPEAT:-$repeat}
workloads=$(echo "${BENCH_WORKLOADS:-all}" | tr ',' ' ')
run_timeout=${BENCH_RUN_TIMEOUT:-1800}
# Memory of the other workloads: they touch only a few pages.
small_mem=64M

# iters WORKLOAD MMU: iterations per run, sized so that the measured
# phase takes about 0.2 to 1 s under TCG in every configuration: under
# NPT an MMU storm iteration costs 1 to 30 us, under shadow paging 50 to
# 250 us (an exit or more each).  The TLB loops get about 1 s: their
# figures move with the emulator's soft TLB, and their setup (filling
# the table) costs far more than a longer measurement.  Quick mode does a
# 25th of that.
iters() {
	local n

	case $1-$2 in
	pte_storm-npt) n=100000 ;;
	cr3_storm-npt|cow-npt|fault_storm-npt) n=40000 ;;
	cow-*) n=2000 ;;
	gups-*) n=2000000 ;;
	seq-*) n=80000000 ;;
	lifecycle-*) n=50 ;;
	linux_fork-*) n=1000 ;;
	linux_fault-*) n=4 ;;
	floor-*) n=20000 ;;
	*) n=5000 ;;
	esac
	if [ "$quick" = 1 ]; then
		n=$((n / 25))
		[ "$n" -ge 2 ] || n=2
	fi
	echo "$n"
}

# in_round WORKLOAD: whether the current round runs it.
in_round() {
	case $1 in
	gups|seq) [ "$round" -le "$tlb_repeat" ] ;;
	linux|qemu) [ "$round" -le "$linux_repeat" ] ;;
	profile) [ "$round" = 1 ] ;;
	*) [ "$round" -le "$repeat" ] ;;
	esac
}

wanted() {
	in_round "$1" || return 1
	[ "$workloads" = all ] && return 0
	case " $workloads " in
	*" $1 "*) return 0 ;;
	esac
	return 1
}

env_line() {
	echo "# svmhv-env: $1=$2"
}

print_env() {
	local f

	env_line machine.cpu "$(grep -m1 'model name' /proc/cpuinfo |
		cut -d: -f2 | sed 's/^ *//')"
	env_line machine.kernel "$(uname -r)"
	env_line machine.cpus "$(grep -c '^processor' /proc/cpuinfo)"
	env_line machine.mem "$(sed -n 's/^MemTotal: *//p' /proc/meminfo)"
	env_line machine.thp \
		"$(cat /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null)"
	for f in /sys/devices/system/cpu/vulnerabilities/*; do
		[ -f "$f" ] && env_line "machine.vuln.${f##*/}" "$(cat "$f")"
	done
	env_line bench.repeat "$repeat"
	env_line bench.tlb_repeat "$tlb_repeat"
	env_line bench.linux_repeat "$linux_repeat"
	env_line bench.quick "$quick"
	env_line bench.mem "$mem"
}

unload_all() {
	rmmod svmhv 2>/dev/null
	modprobe -r kvm_amd 2>/dev/null
	! grep -q '^svmhv \|^kvm_amd ' /proc/modules
}

# load CONFIG: the one hypervisor it needs, nothing else.
load() {
	unload_all || { echo "# cannot unload svmhv or kvm_amd"; return 1; }
	case $1 in
	svmhv-npt) insmod "$module" ;;
	# Its default MMU too, for QEMU's VMs (qemu_boot), which cannot ask.
	svmhv-shadow) insmod "$module" npt=0 ;;
	kvm-npt) modprobe kvm_amd npt=1 ;;
	kvm-shadow) modprobe kvm_amd npt=0 ;;
	native) ;;
	*) echo "# unknown configuration $1"; return 1 ;;
	esac
}

n=0
# one DESC COMMAND...: run COMMAND, which must print $want_lines bench
# lines (default 1) and exit 0; pass its bench lines through, comment out
# everything else.
want_lines=1
one() {
	local desc="$1" out err rc lines t0

	shift
	n=$((n + 1))
	err=/tmp/bench-err.$$
	t0=$(date +%s)
	out=$(timeout "$run_timeout" "$@" 2>"$err")
	rc=$?
	echo "# $* ($(($(date +%s) - t0)) s)"
	lines=$(printf '%s\n' "$out" | grep -c '^svmhv-bench: ')
	printf '%s\n' "$out" | grep '^svmhv-bench: '
	printf '%s\n' "$out" | grep -v '^svmhv-bench: ' | grep . | sed 's/^/# /'
	sed 's/^/# /' "$err"
	rm -f "$err"
	if [ $rc = 0 ] && [ "$lines" = "$want_lines" ]; then
		echo "ok $n $desc"
	else
		echo "not ok $n $desc (exit $rc, $lines bench lines)"
	fi
}

# guest WORKLOAD [svmhv-run options]: one payload in every variant, after
# its warm-up run.
guest() {
	local w="$1" img="$payloads/$1.bin" desc

	shift
	desc="$cfg $w $*"
	[ "$w" = floor ] && img=$payloads/vmmcall.bin
	set -- "$run" --device "$dev" --mmu "$mmu" --bench --repeat 1 \
		--mode long --load 0x10000 "$@" "$img"
	warm_up "$w" "$@"
	one "$desc" "$@"
}

run_config() {
	local w b p

	case $cfg in
	svmhv-*) dev=/dev/svmhv ;;
	kvm-*) dev=/dev/kvm ;;
	esac
	mmu=${cfg#*-}
	if [ "$cfg" = native ]; then
		run_native
		return
	fi
	# svmhv's floor right after its VMMCALL round trip, in a VM of the
	# same size: the pair meets the same state of emulator and host.
	for w in vmmcall floor pio pte_storm cr3_storm cow; do
		wanted $w || continue
		case $w-$cfg in
		floor-svmhv-*)
			guest floor --floor "$(iters floor "$mmu")" \
				--mem $small_mem ;;
		floor-*) ;;
		*)
			guest $w --iters "$(iters $w "$mmu")" --mem $small_mem ;;
		esac
	done
	if wanted fault_storm; then
		for b in 4k thp; do
			guest fault_storm --iters "$(iters fault_storm "$mmu")" \
				--mem $fault_mem --backing $b
		done
	fi
	for w in gups seq; do
		wanted $w || continue
		for p in 0 1; do
			for b in 4k thp; do
				guest $w --iters "$(iters $w "$mmu")" --arg $p \
					--mem "$mem" --backing $b
			done
		done
	done
	if wanted lifecycle; then
		warm_up lifecycle "$run" --device "$dev" --mmu "$mmu" \
			--bench --repeat 1 --lifecycle 2
		one "$cfg lifecycle" "$run" --device "$dev" --mmu "$mmu" \
			--bench --repeat 1 --lifecycle "$(iters lifecycle "$mmu")"
	fi
	wanted linux && linux_guest
	wanted qemu && qemu_boot
	wanted profile && profile
}

# The ftrace profile of the VMMCALL round trip (after everything else of
# the configuration: the tracer's work must not touch a measured run).
profile() {
	local out rc

	n=$((n + 1))
	out=$(timeout "$run_timeout" "$here/bench-profile.sh" "$cfg" 2>&1)
	rc=$?
	printf '%s\n' "$out" | grep '^svmhv-profile: '
	printf '%s\n' "$out" | grep -v '^svmhv-profile: ' | grep . |
		sed 's/^/# /'
	if [ $rc = 0 ]; then
		echo "ok $n $cfg profile"
	else
		echo "not ok $n $cfg profile (exit $rc)"
	fi
}

# The Linux guest, booted once: its boot, then the fork+exec loop, then
# the page-fault loop (bench/linux-guest.c marks each), then poweroff.
linux_guest() {
	local forks faults cmd

	forks=$(iters linux_fork "$mmu")
	faults=$(iters linux_fault "$mmu")
	cmd="svmhv-guest-bench mark && svmhv-guest-bench forkexec $forks && svmhv-guest-bench faults 64 $faults"
	want_lines=3
	one "$cfg linux" "$run" --device "$dev" --mmu "$mmu" \
		--kernel "$guest_dir/bzImage" --initrd "$guest_dir/initrd.gz" \
		--mem 256M --backing thp \
		--phases "linux_boot,linux_fork:$forks,linux_fault:$faults" \
		--append "console=ttyS0 acpi=off quiet panic=-1 svmhv.cmd=\"$cmd\"" \
		</dev/null
	want_lines=1
}

# uptime_ns: the machine's clock since its boot (/proc/uptime, to 10 ms).
uptime_ns() {
	local cs

	cs=$(cut -d' ' -f1 /proc/uptime | tr -d . | sed 's/^0*\(.\)/\1/')
	echo $((cs * 10000000))
}

# Debian's QEMU (scripts/mkqemu-cpio.sh) booting its Linux guest on
# /dev/kvm with kernel-irqchip=off, one CPU, virtio disk and NIC: the
# time from QEMU's start to the guest's init ("svmhv-guest: up" on its
# serial port, looked for every 0.1 s), on the machine's clock.  Where
# QEMU or its guest is missing (make bench-host), the run is skipped.
qemu_boot() {
	local work=/tmp/bench-qemu t0 t1 i rc dname="${cfg%%-*}"

	n=$((n + 1))
	if [ ! -x /usr/bin/qemu-system-x86_64 ] || [ ! -x "$qguest/boot" ]; then
		echo "ok $n $cfg qemu_boot # SKIP no QEMU or no $qguest/boot"
		return
	fi
	if [ "$dname" = svmhv ]; then
		rm -f /dev/kvm
		# shellcheck disable=SC2046 # MAJOR:MINOR split into two arguments
		mknod /dev/kvm c $(tr : ' ' </sys/class/misc/svmhv/dev)
	fi
	t0=$(uptime_ns)
	"$qguest/boot" pc 1 "$work" &
	t1=
	i=0
	while [ -z "$t1" ] && [ $i -lt 3000 ] && kill -0 $! 2>/dev/null; do
		grep -q '^svmhv-guest: up' "$work/out" 2>/dev/null &&
			t1=$(uptime_ns)
		sleep 0.1
		i=$((i + 1))
	done
	wait $!
	rc=$?
	[ "$dname" = svmhv ] && rm -f /dev/kvm
	echo "# qemu_boot: QEMU status $rc"
	if [ $rc = 0 ] && [ -n "$t1" ]; then
		echo "svmhv-bench: workload=qemu_boot device=$dname mmu=$mmu backing=thp guest_pages=4k iters=1 ns=$((t1 - t0)) exits=-1"
		echo "ok $n $cfg qemu_boot"
	else
		tr -d '\r' <"$work/out" | tail -n 20 | sed 's/^/# /'
		echo "not ok $n $cfg qemu_boot (QEMU status $rc)"
	fi
	rm -rf "$work"
}

# warm_up WORKLOAD COMMAND...: the run once before the measured one, its
# output dropped (lifecycle: a short one).  The first run of a guest
# after loading a module pays for QEMU translating the module's code (a
# vmmcall iteration took 30 times as long in the first run as later),
# and a run after another workload inherits the state that workload left
# the emulator in: VMMCALL round trips under shadow paging took about
# 15% longer right after a port I/O run than right after their own, and
# in a full run (after the Linux guest and the TLB workloads) 1.51x the
# floor after a 100-iteration warm-up against 1.25x after a whole one
# (likely QEMU's software TLB, which it resizes by its use over the last
# 100 ms).  Both are the emulator's costs, not the hypervisor's; this
# way every measured run follows a whole run of the same payload, under
# every configuration.
warm_up() {
	local w="$1"

	shift
	case $w in
	vmmcall|pio|pte_storm|cr3_storm|fault_storm|cow|lifecycle) ;;
	*) return ;;
	esac
	"$@" >/dev/null 2>&1 || echo "# warm-up: $w failed"
}

# The same random and sequential loops as gups and seq, as a process of
# the machine's own kernel: the 1.0 line of the TLB workloads.
run_native() {
	local native="$tools/svmhv-native-gups" w b

	for w in gups seq; do
		wanted $w || continue
		for b in 4k thp; do
			one "native $w $b" "$native" --workload $w \
				--iters "$(iters $w native)" --mem "$mem" \
				--backing $b --repeat 1
		done
	done
}

# rotate N WORD...: the words starting from the Nth (counted from 0,
# modulo their number), then the ones before it.
rotate() {
	local k="$1" i w

	shift
	k=$((k % $#))
	i=0
	for w in "$@"; do
		[ $i -ge $k ] && printf '%s ' "$w"
		i=$((i + 1))
	done
	i=0
	for w in "$@"; do
		[ $i -lt $k ] && printf '%s ' "$w"
		i=$((i + 1))
	done
}

print_env
rounds=$((repeat > tlb_repeat ? repeat : tlb_repeat))
rounds=$((rounds > linux_repeat ? rounds : linux_repeat))
round=1
while [ $round -le $rounds ]; do
	echo "# svmhv-suite: bench-round$round"
	n=0
	for cfg in $(rotate $((round - 1)) "$@"); do
		echo "# round $round: $cfg"
		if load "$cfg"; then
			run_config
		else
			n=$((n + 1))
			echo "not ok $n load $cfg"
		fi
	done
	unload_all
	echo "1..$n"
	echo "# svmhv-exit: bench-round$round 0"
	round=$((round + 1))
done
