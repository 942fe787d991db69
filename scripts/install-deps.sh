#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Install every Debian package svmhv needs to build, test and benchmark.
# Idempotent: when everything is present it only checks and returns.

set -eu

PKGS="build-essential bc bison flex libelf-dev libssl-dev kmod cpio xz-utils
perl python3 sparse gnuplot-nox linux-perf shellcheck pyflakes3
qemu-system-x86 busybox-static e2fsprogs
linux-image-amd64 linux-headers-amd64 linux-source-6.1"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
	     grep -q '^install ok installed$'; then
		missing="$missing $p"
	fi
done

if [ -z "$missing" ]; then
	exit 0
fi

if [ "$(id -u)" != 0 ]; then
	echo "svmhv: missing Debian packages:$missing" >&2
	echo "svmhv: run as root: sudo $0" >&2
	exit 1
fi

echo "svmhv: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
