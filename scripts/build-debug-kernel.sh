#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the small debug kernel (tinyconfig + KUnit, KASAN, lockdep,
# kmemleak, UBSAN, kvm_amd) from Debian's linux-source-6.1 package.
# The result is cached outside the clone, keyed by a hash of the config
# fragment, the source package version and the recipe number below, so CI
# on the same
# machine reuses it and a fresh machine rebuilds it.
#
# Prints the output directory on stdout: it holds arch/x86/boot/bzImage,
# modroot/lib/modules/<release>/ (kvm, kvm_amd and modules.dep) and is a
# tree to build external modules against.

set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/env.sh"
frag=$here/debug-kernel.config

src=$(linux_source)
# Bump when the build steps below change what ends up in the cache.
recipe=1
key=$({ cat "$frag"; echo "$src $recipe"; } | sha256sum | cut -c1-16)
out=$SVMHV_CACHE/debug-kernel-$key

if [ -f "$out/.svmhv-done" ]; then
	echo "$out"
	exit 0
fi

echo "svmhv: building debug kernel in $out (several minutes)" >&2
rm -rf "$out"
mkdir -p "$out"
make -s -C "$src" O="$out" tinyconfig >"$out/tinyconfig.log" 2>&1
"$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "$frag" \
	>"$out/merge_config.log" 2>&1
make -s -C "$src" O="$out" olddefconfig >>"$out/merge_config.log" 2>&1

# merge_config only warns when Kconfig drops a symbol; fail instead.
grep '^CONFIG_' "$frag" | while IFS= read -r line; do
	if ! grep -qx "$line" "$out/.config"; then
		echo "svmhv: debug kernel config lost '$line'" >&2
		exit 1
	fi
done

if ! make -s -C "$src" O="$out" -j"$(nproc)" bzImage modules \
	>"$out/build.log" 2>&1; then
	tail -n 30 "$out/build.log" >&2
	exit 1
fi
# A module tree with modules.dep, laid out as Debian's /lib/modules.
make -s -C "$src" O="$out" INSTALL_MOD_PATH="$out/modroot" modules_install \
	>>"$out/build.log" 2>&1
touch "$out/.svmhv-done"

# Older builds (another config) only take disk space now.
for old in "$SVMHV_CACHE"/debug-kernel-*; do
	if [ "$old" != "$out" ]; then
		rm -rf "$old"
	fi
done
echo "$out"
