#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# bench-profile.sh CONFIG [ITERS]
#
# Where a VMMCALL round trip's time goes, by ftrace's function_graph
# tracer, on the machine the hypervisor runs on: make bench runs it as
# its workload "profile" after the measured runs of a configuration (the
# hypervisor loaded; CONFIG is svmhv-npt, svmhv-shadow, kvm-npt or
# kvm-shadow).  After a warm-up run of the vmmcall payload, two traced
# runs of ITERS (default 2000) round trips:
#
#   split  only three functions traced: KVM_RUN as a whole (svmhv:
#          svm_vcpu_run; kvm_amd: kvm_arch_vcpu_ioctl_run), the part of
#          each iteration that enters and leaves the guest (svmhv:
#          svm_run_once, which also checks signals, rescheduling and
#          pending interrupts; kvm_amd: svm_vcpu_run) and the exit's
#          handling (svm_handle_exit, in either module).  With nothing
#          traced inside them their times carry little of the tracer's
#          own cost; KVM_RUN less the two is the rest of the loop.
#   tree   every function called under the exit handler: which calls it
#          makes and how often.  Each traced call adds the tracer's cost
#          to its callers, so take times from the split, shares and
#          counts from the tree.
#   events no function traced: the hypervisor's own tracepoints for VM
#          entry and exit (svmhv:svmhv_entry and svmhv_exit, kvm:kvm_entry
#          and kvm_exit) time each round trip's two halves, the same way
#          on both: fn=guest from an entry to its exit, fn=host from an
#          exit to the next entry.
#
# svmhv also gets the split of its floor (SVMHV_RUN_FLOOR, whose exits
# only svm_floor_exit sees).  Output, one line per function and pass:
#   svmhv-profile: config=C pass=P fn=F calls=N iters=I ns=T
# with T the total over its N calls (ns).  Needs a kernel with the
# function_graph tracer; prints "# svmhv-profile: no function_graph
# tracer" and exits 0 without it; exits 1 when a run fails.
#
# Environment: SVMHV_TOOLS (svmhv-run and bench/vmmcall.bin).
#
# Busybox sh runs this in the test machine, dash on an AMD host: both
# have local, which POSIX sh lacks.
# shellcheck disable=SC3043

cfg=${1:?usage: bench-profile.sh CONFIG [ITERS]}
iters=${2:-2000}
tools=${SVMHV_TOOLS:?SVMHV_TOOLS: where svmhv-run is}
tr=/sys/kernel/tracing

case $cfg in
svmhv-*) dev=/dev/svmhv; outer=svm_vcpu_run; entry=svm_run_once; mod=svmhv
	events=svmhv; ev_entry=svmhv_entry; ev_exit=svmhv_exit ;;
kvm-*) dev=/dev/kvm; outer=kvm_arch_vcpu_ioctl_run; entry=svm_vcpu_run
	mod=kvm_amd; events=kvm; ev_entry=kvm_entry; ev_exit=kvm_exit ;;
*) echo "bench-profile.sh: unknown configuration $cfg" >&2; exit 2 ;;
esac
mmu=${cfg#*-}

[ -f $tr/available_tracers ] || mount -t tracefs nodev $tr 2>/dev/null
if ! grep -qw function_graph $tr/available_tracers 2>/dev/null; then
	echo "# svmhv-profile: no function_graph tracer"
	exit 0
fi

# guest [svmhv-run options]: the vmmcall payload once.
guest() {
	"$tools/svmhv-run" --device "$dev" --mmu "$mmu" --bench --repeat 1 \
		--mode long --load 0x10000 --mem 64M "$@" \
		"$tools/bench/vmmcall.bin" >/dev/null
}

# What setup() changes, to be put back at the end (on a host, too).
saved_kb=$(sed 's/.*expanded: \([0-9]*\).*/\1/; s/ .*//' $tr/buffer_size_kb)
saved_irqs=$(cat $tr/options/funcgraph-irqs)
saved_tail=$(cat $tr/options/funcgraph-tail)

# setup [BUFFER_KB]: the tracer off and every filter empty.
setup() {
	echo 0 >$tr/tracing_on
	echo nop >$tr/current_tracer
	echo >$tr/set_ftrace_filter
	echo >$tr/set_graph_function
	echo 0 >$tr/max_graph_depth
	echo "${1:-65536}" >$tr/buffer_size_kb
	echo 0 >$tr/options/funcgraph-irqs
	echo 1 >$tr/options/funcgraph-tail
	echo >$tr/trace
}

# sum PASS: one line per function of the trace, from the durations of
# its calls ("f();" for a call with nothing traced inside, "} /* f */"
# where one ends that had); the tracer prints them all in us.
sum() {
	awk -v cfg="$cfg" -v pass="$1" -v iters="$iters" '
	/ us +\|/ {
		d = $0
		sub(/ us +\|.*/, "", d)
		sub(/.*[ )+!#*@$]/, "", d)
		f = $0
		if (f ~ /\(\);/) {
			sub(/\(\);.*/, "", f)
			sub(/.*\|/, "", f)
		} else if (f ~ /\/\* .* \*\//) {
			sub(/.*\/\* /, "", f)
			sub(/ \*\/.*/, "", f)
		} else {
			next
		}
		sub(/ *\[[A-Za-z0-9_]+\] *$/, "", f)	# module
		sub(/.*[ |]/, "", f)
		calls[f]++
		ns[f] += d * 1000
	}
	END {
		for (f in calls)
			printf "svmhv-profile: config=%s pass=%s fn=%s calls=%d iters=%d ns=%d\n",
			       cfg, pass, f, calls[f], iters, ns[f]
	}' $tr/trace | sort -t= -k7 -n -r
}

# traced PASS [svmhv-run options]: one run with the tracer on; a run
# that fails makes the profile's status 1.
status=0
traced() {
	local pass="$1"

	shift
	echo function_graph >$tr/current_tracer
	echo 1 >$tr/tracing_on
	if ! guest "$@"; then
		echo "# svmhv-profile: $cfg $pass: the run failed"
		status=1
	fi
	echo 0 >$tr/tracing_on
	sum "$pass"
	echo nop >$tr/current_tracer
	echo >$tr/trace
}

# events_pass: the "events" pass, from the entry and exit tracepoints'
# timestamps (ftrace prints them in seconds, to the microsecond).
events_pass() {
	local e=$tr/events/$events

	if [ ! -d "$e/$ev_entry" ] || [ ! -d "$e/$ev_exit" ]; then
		echo "# svmhv-profile: $cfg: no $events:$ev_entry/$ev_exit events"
		return
	fi
	echo 1 >"$e/$ev_entry/enable"
	echo 1 >"$e/$ev_exit/enable"
	echo 1 >$tr/tracing_on
	if ! guest --iters "$iters"; then
		echo "# svmhv-profile: $cfg events: the run failed"
		status=1
	fi
	echo 0 >$tr/tracing_on
	echo 0 >"$e/$ev_entry/enable"
	echo 0 >"$e/$ev_exit/enable"
	awk -v cfg="$cfg" -v iters="$iters" -v en="$ev_entry:" -v ex="$ev_exit:" '
	{
		for (i = 1; i < NF; i++)
			if ($i ~ /^[0-9]+\.[0-9]+:$/)
				break
		if (i >= NF)
			next
		t = substr($i, 1, length($i) - 1) * 1e9
		if ($(i + 1) == en) {
			if (last_exit) { host += t - last_exit; nhost++ }
			last_entry = t
		} else if ($(i + 1) == ex) {
			if (last_entry) { guest += t - last_entry; nguest++ }
			last_exit = t
		}
	}
	END {
		if (nguest)
			printf "svmhv-profile: config=%s pass=events fn=guest calls=%d iters=%d ns=%d\n",
			       cfg, nguest, iters, guest
		if (nhost)
			printf "svmhv-profile: config=%s pass=events fn=host calls=%d iters=%d ns=%d\n",
			       cfg, nhost, iters, host
	}' $tr/trace
	echo >$tr/trace
}

guest --iters "$iters" || { echo "# svmhv-profile: $cfg: warm-up failed"; exit 1; }

setup
printf '%s\n' "$outer" "$entry" "svm_handle_exit" \
	>$tr/set_ftrace_filter
traced split --iters "$iters"

if [ $mod = svmhv ]; then
	setup
	printf '%s\n' "svm_vcpu_run_floor" "svm_run_once" "svm_floor_exit" \
		>$tr/set_ftrace_filter
	traced floor --floor "$iters"
fi

setup
echo "svm_handle_exit" >$tr/set_graph_function
traced tree --iters "$iters"

setup
events_pass
setup "$saved_kb"
echo "$saved_irqs" >$tr/options/funcgraph-irqs
echo "$saved_tail" >$tr/options/funcgraph-tail
exit $status
