#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The benchmark payloads (bench/) once each, small, through svmhv-run
# --bench: the run must succeed, print one well-formed result line with
# the iterations asked for and a nonzero time, and exit counts that fit
# what the payload does under this hypervisor and MMU (a VMMCALL exit
# per hypercall, two I/O exits per port round trip, shadow paging's
# INVLPG, CR and #PF exits, none of those under nested paging, ...).
# Also --lifecycle, --floor (svmhv; skipped when the module has no
# SVMHV_RUN_FLOOR), --repeat, the payloads' own checks failing, bad
# options, make bench's ftrace profile (scripts/bench-profile.sh) and
# svmhv-native-gups.  No time is compared with anything.
#
# run-suites.sh runs it as bench_test and bench_test@shadow on svmhv,
# bench_test@kvm and bench_test@kvm-shadow on kvm_amd.
#
# Busybox sh runs this in the test machine, dash on an AMD host: both
# have local, which POSIX sh lacks.
# shellcheck disable=SC3043

tools=${SVMHV_TOOLS:-/svmhv/tools}
device=${SVMHV_DEVICE:-/dev/svmhv}
mmu=${SVMHV_MMU:-npt}
run="$tools/svmhv-run --device $device"
payloads=$tools/bench
. "$(dirname "$0")/lib/tap.sh"

if [ "$device" = /dev/svmhv ]; then
	dev=svmhv
	[ -e /dev/svmhv ] || insmod "${SVMHV_MODULE:-/svmhv/svmhv.ko}" ||
		exit 1
else
	dev=kvm
	[ -e /dev/kvm ] || modprobe kvm_amd
fi

# The line's problems, if any: the format of the contract, and the
# fields every run has.  $1 workload, $2 iterations, $3 guest pages.
check_line() {
	echo "$line" | awk -v w="$1" -v it="$2" -v gp="$3" -v dev="$dev" \
			   -v mmu="$mmu" '
	NR > 1 { print "more than one line"; exit }
	$1 != "svmhv-bench:" { print "no svmhv-bench: line"; exit }
	{
		for (i = 2; i <= NF; i++) {
			e = index($i, "=")
			k = substr($i, 1, e - 1)
			v = substr($i, e + 1)
			if (!e || k in f)
				bad = bad " bad or repeated field " $i
			f[k] = v
			if (k !~ /^(workload|device|mmu|backing|guest_pages|iters|ns|exits|exit_[a-z_]+|leaves_(4k|2m|1g))$/)
				bad = bad " unknown key " k
			if (k ~ /^(iters|ns|exit_|leaves_)/ && v !~ /^[0-9]+$/)
				bad = bad " " k " is not a count"
		}
		if (f["workload"] != w) bad = bad " workload " f["workload"]
		if (f["device"] != dev) bad = bad " device " f["device"]
		if (f["mmu"] != mmu) bad = bad " mmu " f["mmu"]
		if (f["backing"] !~ /^(4k|thp|hugetlb2m|hugetlb1g)$/)
			bad = bad " backing " f["backing"]
		if (f["guest_pages"] != gp) bad = bad " guest_pages " f["guest_pages"]
		if (f["iters"] != it) bad = bad " iters " f["iters"]
		if (f["ns"] !~ /^[0-9]+$/ || f["ns"] == 0) bad = bad " ns " f["ns"]
		if (f["exits"] !~ /^[0-9]+$/) bad = bad " exits " f["exits"]
		if (dev == "svmhv" && mmu == "npt" && w != "lifecycle" &&
		    f["leaves_4k"] + f["leaves_2m"] + f["leaves_1g"] == 0)
			bad = bad " no nested leaves"
		if (bad == "") bad = " "
		print bad
	}'
}

# get KEY: the value of KEY in $line, 0 when the line has no KEY.
get() {
	v=$(echo "$line" | tr ' ' '\n' | sed -n "s/^$1=//p")
	echo "${v:-0}"
}

# bench NAME ITERS GUEST_PAGES ARGS...: one run of svmhv-run ARGS, its
# line checked; $line is left for the caller's checks.  Returns 1 (and
# reports the test failed) when anything is wrong.
bench() {
	local name="$1" iters="$2" gp="$3" out status problem

	shift 3
	out=$($run "$@" 2>/tmp/bench.err)
	status=$?
	echo "$out" | sed 's/^/# /'
	line=$(echo "$out" | grep '^svmhv-bench: ')
	problem=$(check_line "$name" "$iters" "$gp")
	if [ $status = 0 ] && [ "$problem" = " " ]; then
		return 0
	fi
	sed 's/^/# stderr: /' /tmp/bench.err
	not_ok "$name: status $status,${problem:- no line}"
	return 1
}

# expect NAME CONDITION: the workload's exit counts.
expect() {
	if [ "$2" = 1 ]; then
		ok "$1"
	else
		not_ok "$1 (exits: $(echo "$line" | tr ' ' '\n' | grep '^exit' | tr '\n' ' '))"
	fi
}

atleast() { [ "$1" -ge "$2" ] && echo 1; }
exactly() { [ "$1" = "$2" ] && echo 1; }
none() { [ "$1" = 0 ] && echo 1; }

echo "TAP version 13"

if bench vmmcall 1000 2m --bench --iters 1000 "$payloads/vmmcall.bin"; then
	expect "vmmcall: a VMMCALL exit per iteration" \
		"$(exactly "$(get exit_vmmcall)" 1000)"
fi

if bench pio 500 2m --bench --iters 500 "$payloads/pio.bin"; then
	expect "pio: two I/O exits per iteration (the end mark's not counted)" \
		"$(exactly "$(get exit_io)" 1000)"
fi

if bench pte_storm 200 4k --bench --iters 200 "$payloads/pte_storm.bin"; then
	if [ "$mmu" = shadow ]; then
		expect "pte_storm: two INVLPG exits per iteration" \
			"$(atleast "$(get exit_invlpg)" 400)"
	else
		expect "pte_storm: INVLPG does not exit under NPT" \
			"$(none "$(get exit_invlpg)")"
	fi
fi

if bench cr3_storm 200 4k --bench --iters 200 "$payloads/cr3_storm.bin"; then
	if [ "$mmu" = shadow ] && [ $dev = svmhv ]; then
		expect "cr3_storm: a CR exit per CR3 load" \
			"$(atleast "$(get exit_cr)" 200)"
	elif [ "$mmu" = shadow ]; then
		expect "cr3_storm: an exit per CR3 load" \
			"$(atleast "$(get exits)" 200)"
	else
		expect "cr3_storm: CR3 loads do not exit under NPT" \
			"$(none "$(get exit_cr)")"
	fi
fi

if bench fault_storm 256 4k --bench --iters 256 "$payloads/fault_storm.bin"; then
	if [ "$mmu" = shadow ]; then
		expect "fault_storm: a #PF exit per fresh page" \
			"$(atleast "$(get exit_pf)" 256)"
	elif [ $dev = kvm ]; then
		expect "fault_storm: fresh memory takes nested faults" \
			"$(atleast "$(get exit_npf)" 1)"
	else
		expect "fault_storm: no nested fault (slots are mapped whole)" \
			"$(none "$(get exit_npf)")"
	fi
fi

if bench cow 200 4k --bench --iters 200 "$payloads/cow.bin"; then
	if [ "$mmu" = shadow ]; then
		expect "cow: #PF and INVLPG exits for every copy" \
			"$( [ "$(get exit_pf)" -ge 200 ] &&
			    [ "$(get exit_invlpg)" -ge 400 ] && echo 1)"
	else
		expect "cow: the guest's #PF does not exit under NPT" \
			"$(none "$(get exit_pf)")"
	fi
fi

for w in gups seq; do
	for pages in 4k 2m; do
		arg=0
		[ $pages = 2m ] && arg=1
		bench $w 20000 $pages --bench --iters 20000 --arg $arg \
			--mem 32M "$payloads/$w.bin" &&
			ok "$w, $pages guest pages"
	done
done

if bench lifecycle 3 4k --lifecycle 3 --mem 2M; then
	expect "lifecycle: each VM stops at its first exit, an OUT" \
		"$(atleast "$(get exit_io)" 3)"
fi

if [ $dev != svmhv ]; then
	skip "floor" "svmhv only"
else
	out=$($run --floor 1000 2>&1 >/dev/null)
	case $out in
	*"no SVMHV_RUN_FLOOR"*)
		skip "floor" "this svmhv has no SVMHV_RUN_FLOOR" ;;
	*)
		bench floor 1000 2m --floor 1000 &&
			expect "floor: a VMMCALL exit per iteration" \
				"$(atleast "$(get exit_vmmcall)" 1000)"
		;;
	esac
fi

out=$($run --bench --iters 100 --repeat 3 "$payloads/vmmcall.bin")
if [ "$(echo "$out" | grep -c '^svmhv-bench: workload=vmmcall .* iters=100 ')" = 3 ]; then
	ok "--repeat 3: three result lines"
else
	echo "$out" | sed 's/^/# /'
	not_ok "--repeat 3: three result lines"
fi

# The payloads' own checks: without --bench nobody answers the echo
# port, and fault_storm cannot have more fresh pages than memory.
$run --iters 10 "$payloads/pio.bin" >/tmp/bench.out 2>&1
status=$?
if [ $status = 1 ] && ! grep -q '^svmhv-bench' /tmp/bench.out; then
	ok "pio without an echo port fails its check (status 1)"
else
	not_ok "pio without an echo port: status $status"
fi
$run --bench --iters 1000000 --mem 16M "$payloads/fault_storm.bin" \
	>/tmp/bench.out 2>&1
status=$?
if [ $status = 2 ] && ! grep -q '^svmhv-bench' /tmp/bench.out; then
	ok "fault_storm beyond memory fails (status 2)"
else
	not_ok "fault_storm beyond memory: status $status"
fi
$run --bench "$tools/hello64.bin" >/tmp/bench.out 2>&1
status=$?
if [ $status = 126 ] && grep -q 'marks of its measured phase' /tmp/bench.out; then
	ok "a guest that never marks is an error (126)"
else
	not_ok "a guest that never marks: status $status"
fi

bad=
for args in "--iters 1x" "--iters -5" "--arg ''" "--repeat 0" "--floor 0" \
	    "--lifecycle 0" "--lifecycle 2" \
	    "--floor 5 --iters 5" "--floor 5 --device /dev/kvm"; do
	eval "$run $args $payloads/vmmcall.bin" >/dev/null 2>/tmp/bench.err
	status=$?
	if [ $status != 125 ] || ! grep -q 'svmhv-run: ' /tmp/bench.err; then
		bad="$bad [$args: $status]"
	fi
done
if [ -z "$bad" ]; then
	ok "bad benchmark options are loader errors (125) with a message"
else
	not_ok "bad benchmark options:$bad"
fi

# make bench's ftrace profile (bench-profile.sh) of 200 round trips:
# the exit handler and the guest entry seen once per iteration at least
# in the split, under the handler in the tree the function that steps
# over the VMMCALL (svmhv: svm_next_rip, which the inlined svm_skip()
# calls; kvm_amd: its hypercall), and in the events pass each half of a
# round trip timed by the entry and exit tracepoints.
profile=${SVMHV_BENCH_PROFILE:-/svmhv/bench-profile.sh}
case $dev in
svmhv) entry=svm_run_once step=svm_next_rip ;;
*) entry=svm_vcpu_run step=kvm_emulate_hypercall ;;
esac
out=$(SVMHV_TOOLS=$tools "$profile" "$dev-$mmu" 200 2>&1)
status=$?
calls() {
	echo "$out" | sed -n "s/^svmhv-profile: .* pass=$1 fn=$2 calls=\([0-9]*\) .*/\1/p"
}
if echo "$out" | grep -q 'no function_graph tracer'; then
	skip "ftrace profile" "kernel without the function_graph tracer"
elif [ $status = 0 ] &&
     [ "$(atleast "$(calls split svm_handle_exit)" 200)" ] &&
     [ "$(atleast "$(calls split $entry)" 200)" ] &&
     [ "$(atleast "$(calls tree svm_handle_exit)" 200)" ] &&
     [ "$(atleast "$(calls tree $step)" 200)" ] &&
     [ "$(atleast "$(calls events guest)" 200)" ] &&
     [ "$(atleast "$(calls events host)" 200)" ]; then
	ok "ftrace profile: handler, entry, $step and the entry/exit events once per iteration"
else
	echo "$out" | sed 's/^/# /'
	not_ok "ftrace profile: status $status"
fi

if [ $dev = svmhv ] && [ "${SVMHV_MMU:-}" != shadow ]; then
	dev=native mmu=none
	out=$("$tools/svmhv-native-gups" --mem 32M --iters 20000 --backing 4k)
	status=$?
	echo "$out" | sed 's/^/# /'
	line=$out
	problem=$(check_line gups 20000 4k)
	if [ $status = 0 ] && [ "$problem" = " " ] &&
	   [ "$(get exits)" = 0 ]; then
		ok "svmhv-native-gups"
	else
		not_ok "svmhv-native-gups: status $status,$problem"
	fi
else
	skip "svmhv-native-gups" "run once, by bench_test"
fi

echo "1..$n"
exit $failed
