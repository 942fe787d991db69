#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# svmhv-run end to end: the hello guest of every mode, from a flat binary
# and from an ELF, on every memory backing the machine has, with the
# guest's output and exit status checked; then bad command lines.
#
# With SVMHV_DEVICE=/dev/kvm (run-suites.sh's loader_test@kvm) the same
# runs go to kvm_amd, and each long-mode run's final registers must equal
# what svmhv left in $SVMHV_REGS_DIR on the run before.
#
# Busybox sh runs this in the test machine, dash on an AMD host: both
# have local, which POSIX sh lacks.
# shellcheck disable=SC3043

tools=${SVMHV_TOOLS:-/svmhv/tools}
device=${SVMHV_DEVICE:-/dev/svmhv}
regs=${SVMHV_REGS_DIR:-/tmp/svmhv-regs}
run="$tools/svmhv-run --device $device"
. "$(dirname "$0")/lib/tap.sh"

# expect NAME STATUS OUTPUT ARGS...: run svmhv-run ARGS, check both.
expect() {
	local name="$1" want_status="$2" want_out="$3" out status

	shift 3
	out=$($run "$@" 2>/tmp/loader.err)
	status=$?
	if [ "$status" = "$want_status" ] && [ "$out" = "$want_out" ]; then
		ok "$name"
	else
		echo "# status $status (want $want_status), output '$out' (want '$want_out')"
		sed 's/^/# stderr: /' /tmp/loader.err
		not_ok "$name"
	fi
}

# Same guest, same registers on both hypervisors.
compare_regs() {
	local name="$1" file

	shift
	file=$regs/$(echo "$name" | tr ' /' '__')
	$run --dump-regs "$@" >/tmp/loader.regs 2>/dev/null
	if [ "$device" = /dev/svmhv ]; then
		mkdir -p "$regs"
		cp /tmp/loader.regs "$file"
		ok "$name: registers recorded"
	elif [ ! -f "$file" ]; then
		skip "$name: same registers as svmhv" "no svmhv run recorded"
	elif cmp -s "$file" /tmp/loader.regs; then
		ok "$name: same registers as svmhv"
	else
		diff "$file" /tmp/loader.regs | sed 's/^/# /'
		not_ok "$name: same registers as svmhv"
	fi
}

hugepages() {
	echo "$2" >"/sys/kernel/mm/hugepages/hugepages-$1/nr_hugepages" \
		2>/dev/null
	[ "$(cat "/sys/kernel/mm/hugepages/hugepages-$1/free_hugepages" \
		2>/dev/null)" -ge "$2" ] 2>/dev/null
}

# Bring up the hypervisor under test, unless it is up already.
if [ "$device" = /dev/svmhv ]; then
	[ -e /dev/svmhv ] || insmod "${SVMHV_MODULE:-/svmhv/svmhv.ko}"
else
	modprobe kvm_amd
fi

echo "TAP version 13"
echo "1..28"
expect "real mode" 0 "Hello from real mode" --mode real "$tools/hello16.bin"
expect "32-bit protected mode" 0 "Hello from 32-bit protected mode" \
	--mode prot32 "$tools/hello32.bin"
expect "32-bit paged mode" 0 "Hello from 32-bit paged mode" \
	--mode paged32 "$tools/hello32.bin"
expect "PAE mode" 0 "Hello from PAE paged mode" --mode pae "$tools/hello32.bin"
expect "long mode" 0 "Hello from long mode" "$tools/hello64.bin"
expect "long mode from ELF" 0 "Hello from long mode" "$tools/hello64.elf"
expect "4K backing" 0 "Hello from long mode" --backing 4k "$tools/hello64.bin"
expect "THP backing, 64M" 0 "Hello from long mode" --backing thp --mem 64M \
	"$tools/hello64.bin"
if hugepages 2048kB 16; then
	expect "hugetlbfs 2M backing" 0 "Hello from long mode" \
		--backing hugetlb2m --mem 32M "$tools/hello64.bin"
else
	skip "hugetlbfs 2M backing" "no free 2M huge pages"
fi
if hugepages 1048576kB 1; then
	expect "hugetlbfs 1G backing" 0 "Hello from long mode" \
		--backing hugetlb1g --mem 1G "$tools/hello64.bin"
else
	skip "hugetlbfs 1G backing" "no free 1G huge page (boot with hugepagesz=1G hugepages=1)"
fi
compare_regs "long mode" "$tools/hello64.bin"
compare_regs "real mode" --mode real "$tools/hello16.bin"
compare_regs "PAE mode" --mode pae "$tools/hello32.bin"
compare_regs "32-bit protected mode" --mode prot32 "$tools/hello32.bin"
compare_regs "32-bit paged mode" --mode paged32 "$tools/hello32.bin"

# The exit port carries the guest's status; bad command lines are 125.
printf '\xb0\x2a\xe6\xf4\xf4' >/tmp/exit42.bin	# mov $42,%al; out %al,$0xf4; hlt
expect "guest status through the exit port" 42 "" /tmp/exit42.bin
printf '\x0f\x0b' >/tmp/ud2.bin			# ud2 with no IDT: triple fault
expect "triple fault is a crash (126)" 126 "" /tmp/ud2.bin
expect "missing image is a loader error" 125 "" /nonexistent
expect "unknown mode is a loader error" 125 "" --mode v86 "$tools/hello64.bin"
expect "too little memory is a loader error" 125 "" --mem 64K \
	"$tools/hello64.bin"
expect "image beyond memory is a loader error" 125 "" --load 0x2000000 \
	"$tools/hello64.bin"
# Sizes and ports are checked as written, not as strtoull() folds them.
refused() {
	local name="$1" why="$2" status

	shift 2
	$run "$@" "$tools/hello64.bin" >/dev/null 2>/tmp/loader.err
	status=$?
	if [ "$status" = 125 ] && grep -q -- "$why" /tmp/loader.err; then
		ok "$name"
	else
		echo "# status $status (want 125), stderr (want '$why'):"
		sed 's/^/# stderr: /' /tmp/loader.err
		not_ok "$name"
	fi
}
refused "a negative size is refused" "'-4096' is not a size" --mem -4096
refused "a size past 2^64 is refused" "is past 2^64" --mem 17179869184G
refused "a port past 0xffff is refused" "not a port" --exit-port 0x100f4
refused "a port after a tab is refused" "is not a count" \
	--exit-port "$(printf '\t0xf4')"
if [ "$device" = /dev/svmhv ] && [ "${SVMHV_MMU:-}" = shadow ]; then
	out=$($run --stats --mem 16M "$tools/hello64.bin" 2>&1 >/dev/null)
	case $out in
	*"mmu=shadow"*"shadow faults="[1-9]*"pf="[1-9]*) ok "stats show shadow faults and exits" ;;
	*) echo "$out" | sed 's/^/# /'; not_ok "stats show shadow faults and exits" ;;
	esac
elif [ "$device" = /dev/svmhv ]; then
	out=$($run --stats --mem 16M "$tools/hello64.bin" 2>&1 >/dev/null)
	case $out in
	*"nested leaves 4k=0 2m=8 1g=0"*"io="*) ok "stats show 2M leaves and exits" ;;
	*) echo "$out" | sed 's/^/# /'; not_ok "stats show 2M leaves and exits" ;;
	esac
else
	skip "stats show 2M leaves and exits" "svmhv statistics"
fi
if [ "$device" != /dev/svmhv ]; then
	skip "a 1G hugetlbfs page is one 1G leaf" "svmhv statistics"
elif [ "${SVMHV_MMU:-}" = shadow ]; then
	skip "a 1G hugetlbfs page is one 1G leaf" "nested leaves: NPT only"
elif hugepages 1048576kB 1; then
	out=$($run --stats --backing hugetlb1g --mem 1G "$tools/hello64.bin" \
		2>&1 >/dev/null)
	case $out in
	*"nested leaves 4k=0 2m=0 1g=1"*) ok "a 1G hugetlbfs page is one 1G leaf" ;;
	*) echo "$out" | sed 's/^/# /'; not_ok "a 1G hugetlbfs page is one 1G leaf" ;;
	esac
else
	skip "a 1G hugetlbfs page is one 1G leaf" "no free 1G huge page"
fi
if $run --help | grep -q '^Usage: svmhv-run'; then
	ok "help text"
else
	not_ok "help text"
fi
exit $failed
