# SPDX-License-Identifier: GPL-2.0
#
# For the shell tests that run a KVM client by the name /dev/kvm (KVM's
# own selftests, QEMU) on svmhv and on kvm_amd alike; they source this
# from their own directory, as lib/tap.sh.  kvm_use_config sets $config
# from SVMHV_DEVICE and SVMHV_MMU, the names run-suites.sh gives:
#   svmhv-npt     svmhv, /dev/kvm made a node of /dev/svmhv's numbers
#   svmhv-shadow  the same with svmhv loaded with npt=0
#   kvm-npt       kvm_amd npt=1 (run-suites.sh loaded it)
#   kvm-shadow    kvm_amd npt=0
# and loads svmhv for the first two; kvm_leave_config leaves svmhv as
# the suites after the test expect it: loaded, NPT, no /dev/kvm.
# shellcheck shell=sh

kvm_module=${SVMHV_MODULE:-/svmhv/svmhv.ko}

# load_svmhv [PARAM]: svmhv alone owns SVM, loaded with PARAM, and
# /dev/kvm is a node with /dev/svmhv's numbers, as a user would make it.
load_svmhv() {
	modprobe -r kvm_amd 2>/dev/null
	rmmod svmhv 2>/dev/null
	insmod "$kvm_module" "$@" || return 1
	rm -f /dev/kvm
	# shellcheck disable=SC2046 # MAJOR:MINOR split into two arguments
	mknod /dev/kvm c $(tr : ' ' </sys/class/misc/svmhv/dev)
}

kvm_use_config() {
	if [ "${SVMHV_DEVICE:-}" = /dev/kvm ]; then
		config=kvm-${SVMHV_MMU:-npt}
		return 0
	fi
	config=svmhv-${SVMHV_MMU:-npt}
	if [ "$config" = svmhv-shadow ]; then
		load_svmhv npt=0
	else
		load_svmhv
	fi
}

kvm_leave_config() {
	case $config in
	svmhv-*)
		rm -f /dev/kvm
		load_svmhv && rm -f /dev/kvm
		;;
	esac
}
