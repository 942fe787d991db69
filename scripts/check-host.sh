#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check-host: the kselftest suites on this host, which must be an AMD
# machine with SVM, as root, with the running kernel's headers installed.
# Nothing else may own SVM meanwhile (no kvm_amd VM open).

set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/env.sh"
cd "$SVMHV_TOP" || exit 1

if ! grep -qw svm /proc/cpuinfo; then
	echo "svmhv: this CPU has no SVM; use 'make check' (test machine)" >&2
	exit 1
fi
if [ "$(id -u)" != 0 ]; then
	echo "svmhv: check-host loads modules: run it as root" >&2
	exit 1
fi
kdir=/lib/modules/$(uname -r)/build
mod=$SVMHV_BUILD/module-host
export SVMHV_RESULTS=$SVMHV_BUILD/results-host.txt
rm -f "$SVMHV_RESULTS"
mkdir -p "$SVMHV_BUILD"

"$here/build-module.sh" "$kdir" "$mod" W=1 || exit 1
make -C selftests KSFT="$(linux_source)/tools/testing/selftests" \
	OUT="$SVMHV_BUILD/selftests" || exit 1
make -C tools/svmhv-run OUT="$SVMHV_BUILD/tools" || exit 1
make -C bench OUT="$SVMHV_BUILD/tools" || exit 1

modprobe msr
export SVMHV_MODULE=$mod/svmhv.ko
export SVMHV_KUNIT_MODULE=$mod/svmhv_kunit.ko
export SVMHV_TESTDIR=$SVMHV_BUILD/selftests
export SVMHV_TOOLS=$SVMHV_BUILD/tools
export SVMHV_BENCH_PROFILE=$SVMHV_TOP/scripts/bench-profile.sh
"$here/svmhv-test.py" local --name host -v -- \
	"$SVMHV_TESTDIR/run-suites.sh" @host
"$here/svmhv-test.py" summary
