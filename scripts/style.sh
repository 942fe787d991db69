#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# style.sh [BUILD_LOG...]
#
# Framed TAP for the checks that need no test machine:
#   checkpatch  checkpatch.pl --no-tree -f, one result per source file
#   lint        one result per script: shellcheck for the shell scripts
#               (*.sh and those without an extension whose first line
#               runs sh or bash; .shellcheckrc says how), pyflakes3 for
#               the Python ones (*.py, or a python shebang)
#   warnings    each module build log given has no compiler warning
#               (the builds run with W=1), and sparse finds nothing
#   layers      no kernel source includes a header of a higher layer
#               (scripts/layers.txt), and no include cycle
#   suites      docs/testing.md's table shows each boot's suites as
#               selftests/suites.txt lists them

here=$(cd "$(dirname "$0")" && pwd)
. "$here/env.sh"
cd "$SVMHV_TOP" || exit 1
src=$(linux_source)

files=$(git ls-files -co --exclude-standard -- \
	'svm/*.[ch]' 'npt/*.[ch]' 'shadow/*.[ch]' 'vdev/*.[ch]' \
	'uapi/*.h' 'selftests/*.[ch]' 'selftests/lib/*.[ch]' 'tools/*.[ch]' \
	'tools/*/*.[ch]' 'bench/*.[ch]' | sort -u)

echo "# svmhv-suite: checkpatch"
echo "1..$(echo "$files" | wc -w)"
n=0
for f in $files; do
	n=$((n + 1))
	out=$("$src/scripts/checkpatch.pl" --no-tree --quiet --show-types \
		-f "$f" 2>&1)
	if [ -z "$out" ]; then
		echo "ok $n $f"
	else
		printf '%s\n' "$out" | sed 's/^/# /'
		echo "not ok $n $f"
	fi
done
echo "# svmhv-exit: checkpatch 0"

# Each script as "shellcheck FILE" or "pyflakes3 FILE".
scripts=$(git ls-files -co --exclude-standard | sort -u | while read -r f; do
	[ -f "$f" ] || continue
	case ${f##*/} in
	*.sh) echo "shellcheck $f" ;;
	*.py) echo "pyflakes3 $f" ;;
	*.*) ;;
	*)	line=$(head -n 1 "$f")
		if grep -Eq '^#!.*[/ ](ba)?sh( |$)' <<<"$line"; then
			echo "shellcheck $f"
		elif grep -Eq '^#!.*[/ ]python3( |$)' <<<"$line"; then
			echo "pyflakes3 $f"
		fi ;;
	esac
done)

lint() {
	case $1 in
	shellcheck) shellcheck -f gcc "$2" ;;
	pyflakes3) pyflakes3 "$2" ;;
	esac
}

echo "# svmhv-suite: lint"
echo "1..$(grep -c . <<<"$scripts")"
n=0
while read -r tool f; do
	n=$((n + 1))
	if out=$(lint "$tool" "$f" 2>&1) && [ -z "$out" ]; then
		echo "ok $n $tool $f"
	else
		printf '%s\n' "$out" | sed 's/^/# /'
		echo "not ok $n $tool $f"
	fi
done <<<"$scripts"
echo "# svmhv-exit: lint 0"

echo "# svmhv-suite: warnings"
echo "1..$(($# + 1))"
n=0
for log in "$@"; do
	n=$((n + 1))
	if [ ! -f "$log" ]; then
		echo "not ok $n $log exists"
	elif grep -q 'warning:' "$log"; then
		grep -B2 -A3 'warning:' "$log" | sed 's/^/# /'
		echo "not ok $n no W=1 warnings in $(basename "$log")"
	else
		echo "ok $n no W=1 warnings in $(basename "$log")"
	fi
done
n=$((n + 1))
krel=$(debian_krel)
sparse_out=$(mktemp -d)
"$here/build-module.sh" "/usr/src/linux-headers-$krel" "$sparse_out" \
	C=2 CHECK=sparse >"$sparse_out.log" 2>&1
rc=$?
if [ $rc = 0 ] && ! grep -Eq '(warning|error):' "$sparse_out.log"; then
	echo "ok $n sparse finds nothing"
else
	sed 's/^/# /' "$sparse_out.log" | grep -E 'warning|error|rror' | head -n 40
	echo "not ok $n sparse finds nothing"
fi
rm -rf "$sparse_out" "$sparse_out.log"
echo "# svmhv-exit: warnings 0"

echo "# svmhv-suite: layers"
python3 "$here/check-layers.py" "$SVMHV_TOP"
echo "# svmhv-exit: layers 0"

echo "# svmhv-suite: suites"
boots=$(awk '!/^#/ && NF { print $1 }' selftests/suites.txt)
echo "1..$(echo "$boots" | wc -w)"
n=0
for b in $boots; do
	n=$((n + 1))
	# The backquotes are markdown's, for sed to write.
	# shellcheck disable=SC2016
	want=$(awk -v b="$b" '$1 == b { $1 = ""; print }' selftests/suites.txt |
		sed 's/^ *//; s/\([^ ]*\)/`\1`/g')
	if grep -qF "| \`$b\` |" docs/testing.md &&
	   grep -F "| \`$b\` |" docs/testing.md | grep -qF "| $want |"; then
		echo "ok $n docs/testing.md shows the suites of $b"
	else
		echo "# want: | $want |"
		echo "not ok $n docs/testing.md shows the suites of $b"
	fi
done
echo "# svmhv-exit: suites 0"
