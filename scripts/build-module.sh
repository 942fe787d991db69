#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-module.sh KDIR OUTDIR [make args...]
#
# Build svmhv.ko (and svmhv_kunit.ko when KDIR's kernel has KUnit) against
# the kernel tree KDIR, with objects in OUTDIR.  Kbuild puts objects next
# to the sources it is given, so OUTDIR mirrors the source tree as
# symlinks: one source tree serves several kernels at once.

set -eu

kdir=$1
out=$(realpath -m "$2")
shift 2
top=$(cd "$(dirname "$0")/.." && pwd)

if [ ! -f "$kdir/Makefile" ]; then
	echo "svmhv: no kernel build tree at $kdir" >&2
	echo "svmhv: install the headers (scripts/install-deps.sh) or set KDIR" >&2
	exit 1
fi

mkdir -p "$out"
# Drop links whose source went away, then link every current source.
find "$out" -xtype l -delete
ln -sf "$top/Kbuild" "$out/Kbuild"
for d in svm npt shadow vdev uapi; do
	[ -d "$top/$d" ] || continue
	mkdir -p "$out/$d"
	find "$top/$d" -maxdepth 1 -type f \( -name '*.[chS]' \) \
		-exec ln -sf {} "$out/$d/" \;
done

make -C "$kdir" M="$out" "$@" modules
