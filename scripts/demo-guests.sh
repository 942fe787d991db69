#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# demo-guests.sh TOOLSDIR: run the hello guest of every mode under both
# MMUs with its statistics.  Used by make demo on an AMD host and by the
# test machine's /init (busybox sh), so it stays POSIX sh.

t=$1
for mmu in npt shadow; do
	for g in "real $t/hello16.bin" "prot32 $t/hello32.bin" \
		 "paged32 $t/hello32.bin" "pae $t/hello32.bin" \
		 "long $t/hello64.bin"; do
		set -- $g
		echo "== svmhv-run --mmu $mmu --mode $1 --stats $(basename "$2")"
		"$t/svmhv-run" --mmu $mmu --mode "$1" --stats "$2" 2>&1
		echo "== exit status $?"
	done
done
