# SPDX-License-Identifier: GPL-2.0
# Sourced by the other scripts: where things are.
# shellcheck shell=bash

: "${SVMHV_CACHE:=/var/cache/svmhv}"
SVMHV_TOP=$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)
# shellcheck disable=SC2034 # for the scripts that source this
SVMHV_BUILD=$SVMHV_TOP/build

# The newest Debian amd64 kernel installed by install-deps.sh: the test
# machine boots it, and modules for it are built against its headers.
debian_krel() {
	local d

	# shellcheck disable=SC2012 # Debian's plain names; no match, no output
	d=$(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n 1)
	[ -n "$d" ] || return 1
	echo "${d#/usr/src/linux-headers-}"
}

# Debian's linux-source-6.1, unpacked once into the cache; prints its path.
linux_source() {
	local ver src

	ver=$(dpkg-query -W -f='${Version}' linux-source-6.1) || return 1
	src=$SVMHV_CACHE/linux-source-6.1-$ver
	if [ ! -f "$src/.svmhv-extracted" ]; then
		echo "svmhv: unpacking linux-source-6.1 into $src" >&2
		rm -rf "$src" "$src.tmp"
		mkdir -p "$src.tmp"
		tar -xf /usr/src/linux-source-6.1.tar.xz -C "$src.tmp" \
			--strip-components=1 || return 1
		touch "$src.tmp/.svmhv-extracted"
		mv "$src.tmp" "$src"
	fi
	echo "$src"
}
