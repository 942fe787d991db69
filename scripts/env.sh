# SPDX-License-Identifier: GPL-2.0
# Sourced by the other scripts: where things are, and the helpers the
# initramfs builders share.
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

# The QEMU that qemu_test runs inside the test machine: QEMU_TEST_VERSION
# of Debian's qemu-system-x86 (deb12u15, in bookworm-security: deb12u18
# keeps an AP's SIPI pending for ever under KVM with QEMU's own APIC, and
# a guest with two CPUs hangs; docs/qemu-kvm-api.md, section 0),
# downloaded once and unpacked into the cache; the installed QEMU when
# that version is no longer in the archive.  Prints the binary's path.
QEMU_TEST_VERSION=1:7.2+dfsg-7+deb12u15
qemu_for_tests() {
	local dir=$SVMHV_CACHE/qemu-system-x86-${QEMU_TEST_VERSION#*:}

	if [ ! -x "$dir/usr/bin/qemu-system-x86_64" ]; then
		rm -rf "$dir" "$dir.tmp"
		mkdir -p "$dir.tmp"
		if (cd "$dir.tmp" && apt-get download -q \
		    "qemu-system-x86=$QEMU_TEST_VERSION" >/dev/null 2>&1) &&
		   dpkg -x "$dir.tmp"/qemu-system-x86_*.deb "$dir.tmp/root"; then
			mv "$dir.tmp/root" "$dir"
		else
			echo "svmhv: qemu-system-x86 $QEMU_TEST_VERSION is not in the archive: the tests take the installed QEMU" >&2
		fi
		rm -rf "$dir.tmp"
	fi
	if [ -x "$dir/usr/bin/qemu-system-x86_64" ]; then
		echo "$dir/usr/bin/qemu-system-x86_64"
	else
		echo /usr/bin/qemu-system-x86_64
	fi
}

# copy_modules ROOT MODROOT KREL MODULE...: each module of Debian's kernel
# KREL (MODROOT/lib/modules/KREL) with the modules it depends on, into the
# initramfs tree ROOT, and their modules.dep for modprobe; built-in ones
# are simply not found.
copy_modules() {
	local root=$1 src=$2/lib/modules/$3 krel=$3 want line f

	shift 3
	mkdir -p "$root/lib/modules/$krel"
	for want in "$@"; do
		line=$(grep -E "(^|/)${want}\.ko:" "$src/modules.dep" || true)
		[ -n "$line" ] || continue
		for f in ${line%%:*} ${line#*:}; do
			mkdir -p "$root/lib/modules/$krel/$(dirname "$f")"
			cp "$src/$f" "$root/lib/modules/$krel/$f"
		done
	done
	for f in modules.order modules.builtin modules.builtin.modinfo; do
		if [ -f "$src/$f" ]; then
			cp "$src/$f" "$root/lib/modules/$krel/"
		fi
	done
	depmod -b "$root" "$krel" 2>/dev/null
}

# copy_program ROOT PATH [DEST]: a dynamically linked program, at DEST
# under ROOT (default PATH), and the libraries ldd names (the loader
# among them) at their own paths under ROOT.
copy_program() {
	local f

	mkdir -p "$1$(dirname "${3:-$2}")"
	cp -L "$2" "$1${3:-$2}"
	for f in $(ldd "$2" | grep -o '/[^ ]*'); do
		mkdir -p "$1$(dirname "$f")"
		cp -L "$f" "$1$f"
	done
}
