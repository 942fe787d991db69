# SPDX-License-Identifier: GPL-2.0
#
# TAP results for the shell tests, which source this from their own
# directory (. "$(dirname "$0")/lib/tap.sh": selftests/ in the source,
# $(OUT) and /svmhv/tests once installed).  ok, not_ok and skip number
# each result in $n; $failed is 1 once one failed: the test's status.
# shellcheck shell=sh

n=0
failed=0

ok() { n=$((n + 1)); echo "ok $n $1"; }
# shellcheck disable=SC2034 # failed: read by the test sourcing this
not_ok() { n=$((n + 1)); failed=1; echo "not ok $n $1"; }
# skip NAME WHY
skip() { n=$((n + 1)); echo "ok $n $1 # SKIP $2"; }
# ok_if NAME COMMAND...: ok when COMMAND succeeds, else not ok and status 1.
ok_if() {
	_ok_if_name=$1
	shift
	if "$@"; then
		ok "$_ok_if_name"
	else
		not_ok "$_ok_if_name"
		return 1
	fi
}
