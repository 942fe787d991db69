#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# perf sees svmhv's tracepoints: 'perf list' shows every svmhv event,
# and 'perf stat -e svmhv:*' around the loader's hello guest counts its
# entries and exits, one exit per entry.  trace_test checks the events'
# fields through ftrace; this is the perf side.

tools=${SVMHV_TOOLS:-/svmhv/tools}
. "$(dirname "$0")/lib/tap.sh"

events="svmhv_entry svmhv_exit svmhv_inject svmhv_pio svmhv_mmio
svmhv_shadow_fault svmhv_shadow_load svmhv_npt_map svmhv_npt_unmap"

echo "1..3"
if ! command -v perf >/dev/null; then
	for t in "perf lists the events" "perf counts entries" \
		"one exit per entry"; do
		skip "$t" "no perf in this machine"
	done
	exit 0
fi

missing=
list=$(perf list 'svmhv:*' 2>&1)
for e in $events; do
	echo "$list" | grep -q "svmhv:$e" || missing="$missing $e"
done
if [ -z "$missing" ]; then
	ok "perf lists the events"
else
	echo "$list" | sed 's/^/# /'
	echo "# missing:$missing"
	not_ok "perf lists the events"
fi

# count EVENT: its count in /tmp/perf.csv (perf stat -x, output).
count() {
	awk -F, -v e="svmhv:$1" '$3 == e { print $1 }' /tmp/perf.csv
}

out=$(perf stat -x, -o /tmp/perf.csv -e 'svmhv:*' -- \
	"$tools/svmhv-run" "$tools/hello64.bin" 2>/tmp/perf.err)
entries=$(count svmhv_entry)
exits=$(count svmhv_exit)
echo "# hello64: $out; entries $entries, exits $exits"
if [ "$out" = "Hello from long mode" ] && [ "${entries:-0}" -gt 0 ] 2>/dev/null; then
	ok "perf counts entries"
else
	sed 's/^/# /' /tmp/perf.csv /tmp/perf.err
	not_ok "perf counts entries"
fi
if [ -n "$entries" ] && [ "$entries" = "$exits" ]; then
	ok "one exit per entry"
else
	not_ok "one exit per entry"
fi
exit $failed
