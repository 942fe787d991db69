#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh [host]
#
# make bench: build everything, boot the test machine once (QEMU TCG,
# emulated EPYC, Debian's kernel) and run the benchmark suite in it
# (bench-run.sh) on svmhv NPT, svmhv shadow, kvm_amd npt=1 and kvm_amd
# npt=0, one module at a time, then natively; then write the report.
# make bench-host (bench.sh host): the same suite directly on this host,
# which must be an AMD machine with SVM, as root.
#
# Results: results/bench-DATE-COMMIT/ with raw.txt (every line the suite
# printed, after the environment lines), results.md and the plots
# (bench-report.py).  docs/bench.md explains the method.
#
# Environment: BENCH_REPEAT, BENCH_TLB_REPEAT, BENCH_LINUX_REPEAT,
# BENCH_QUICK, BENCH_MEM,
# BENCH_WORKLOADS (see bench-run.sh), BENCH_CONFIGS (comma list, default
# every configuration), BENCH_TIMEOUT (seconds for the whole boot).

set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/env.sh"
cd "$SVMHV_TOP" || exit 1

mode=${1:-machine}
configs=${BENCH_CONFIGS:-svmhv-npt,svmhv-shadow,kvm-npt,kvm-shadow,native}
quick=${BENCH_QUICK:-0}
logs=$SVMHV_BUILD/logs
start=$(date +%s)

die() {
	echo "svmhv: bench: $*" >&2
	exit 1
}

# build LOG COMMAND...: quietly, the log's tail when it fails.
build() {
	local log=$1

	shift
	"$@" >"$log" 2>&1 && return 0
	tail -n 30 "$log" | sed 's/^/  | /'
	die "build failed: $*; log: $log"
}

env_line() {
	echo "# svmhv-env: $1=$2"
}

commit() {
	local c

	c=$(git rev-parse --short=12 HEAD 2>/dev/null) || { echo unknown; return; }
	if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then
		c=$c-dirty
	fi
	echo "$c"
}

host_env() {
	local f

	env_line date "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	env_line commit "$commit"
	env_line host.cpu "$(grep -m1 'model name' /proc/cpuinfo |
		cut -d: -f2 | sed 's/^ *//')"
	env_line host.kernel "$(uname -r)"
	if [ "$mode" = machine ]; then
		env_line host.qemu "$(qemu-system-x86_64 --version | head -n 1)"
		env_line qemu.args \
			"-accel tcg -cpu EPYC-Rome,+svm,+npt -smp 1 -m $machine_mem"
		for f in /sys/devices/system/cpu/vulnerabilities/*; do
			[ -f "$f" ] && env_line "host.vuln.${f##*/}" "$(cat "$f")"
		done
	fi
}

mkdir -p "$SVMHV_BUILD" "$logs"
commit=$(commit)
stamp=$(date +%Y%m%d-%H%M%S)
out=$SVMHV_TOP/results/bench-$stamp-$commit
# The test machine: room for 1G of guest memory beside the kernel.
machine_mem=3G

if [ "$mode" = host ]; then
	grep -qw svm /proc/cpuinfo ||
		die "this CPU has no SVM: 'make bench' runs the suite in the test machine"
	[ "$(id -u)" = 0 ] || die "bench-host loads modules: run it as root"
	kdir=/lib/modules/$(uname -r)/build
	[ -f "$kdir/Makefile" ] ||
		die "no headers for the running kernel ($kdir)"
	mod=$SVMHV_BUILD/module-host
	echo "svmhv: bench: building svmhv.ko for $(uname -r) and the programs"
	build "$logs/bench-module.log" "$here/build-module.sh" "$kdir" "$mod"
else
	"$here/install-deps.sh" || exit 1
	krel=$(debian_krel) || die "no Debian amd64 headers"
	mod=$SVMHV_BUILD/module-debian
	echo "svmhv: bench: building svmhv.ko for the test machine's" \
		"kernel $krel and the programs"
	build "$logs/bench-module.log" "$here/build-module.sh" \
		"/usr/src/linux-headers-$krel" "$mod"
fi
build "$logs/bench-userspace.log" make -C "$SVMHV_TOP" userspace
[ -f "$SVMHV_BUILD/tools/bench/vmmcall.bin" ] ||
	die "no benchmark payloads in $SVMHV_BUILD/tools/bench"

mkdir -p "$out"
raw=$out/raw.txt
host_env >"$raw"
echo "svmhv: bench: results go to $out"

if [ "$mode" = host ]; then
	export SVMHV_MODULE=$mod/svmhv.ko SVMHV_TOOLS=$SVMHV_BUILD/tools
	# The Linux guest: this host's own kernel, the same initramfs.
	export SVMHV_GUEST=$SVMHV_BUILD/guest-host
	build "$logs/bench-guest.log" "$here/mkguest.sh" "$SVMHV_GUEST" \
		"$(uname -r)" "$SVMHV_BUILD/tools"
	modprobe msr 2>/dev/null
	# shellcheck disable=SC2046 # the comma list split into arguments
	"$here/bench-run.sh" $(echo "$configs" | tr ',' ' ') |
		tee -a "$raw" | grep --line-buffered -E '^(ok|not ok|# svmhv-suite)'
	ok=0
else
	empty=$(mktemp -d)
	trap 'rm -rf "$empty"' EXIT
	build "$logs/bench-initramfs.log" "$here/mkinitramfs.sh" / "$krel" \
		"$mod" "$empty" "$SVMHV_BUILD/initrd-bench.gz" "$SVMHV_BUILD/tools"
	# Debian's QEMU and its guest, for qemu_boot.
	build "$logs/bench-qemu.log" "$here/mkqemu-cpio.sh" \
		"$SVMHV_BUILD/qemu.cpio.gz" "$krel" "$SVMHV_BUILD/tools"
	cat "$SVMHV_BUILD/qemu.cpio.gz" >>"$SVMHV_BUILD/initrd-bench.gz"
	append="svmhv.bench=$configs svmhv.bench_quick=$quick"
	[ -n "${BENCH_REPEAT:-}" ] && append+=" svmhv.bench_repeat=$BENCH_REPEAT"
	[ -n "${BENCH_TLB_REPEAT:-}" ] &&
		append+=" svmhv.bench_tlb_repeat=$BENCH_TLB_REPEAT"
	[ -n "${BENCH_LINUX_REPEAT:-}" ] &&
		append+=" svmhv.bench_linux_repeat=$BENCH_LINUX_REPEAT"
	[ -n "${BENCH_MEM:-}" ] && append+=" svmhv.bench_mem=$BENCH_MEM"
	[ -n "${BENCH_WORKLOADS:-}" ] &&
		append+=" svmhv.bench_workloads=$BENCH_WORKLOADS"
	timeout=${BENCH_TIMEOUT:-$([ "$quick" = 1 ] && echo 1200 || echo 5400)}
	# One CPU: kvm_amd hangs the emulated EPYC now and then with two (see
	# check.sh), and the workloads are single-threaded anyway.
	SVMHV_RESULTS=$out/suites.txt "$here/svmhv-test.py" boot --name bench \
		--smp 1 --mem "$machine_mem" --kernel "/boot/vmlinuz-$krel" \
		--initrd "$SVMHV_BUILD/initrd-bench.gz" --append "$append" \
		--timeout "$timeout" --log-dir "$logs"
	ok=$?
	cat "$logs/bench.tap.log" >>"$raw"
	cp "$logs/bench.console.log" "$out/console.txt"
fi

"$here/bench-report.py" "$raw" --out "$out" || ok=1
runs_ok=$(grep -c '^ok ' "$raw")
runs_failed=$(grep -c '^not ok ' "$raw")
echo "svmhv: bench: $runs_ok workload runs ok, $runs_failed failed"
echo "svmhv: bench: took $(($(date +%s) - start)) s; report: $out/results.md"
[ "$ok" = 0 ] && [ "$runs_failed" = 0 ]
