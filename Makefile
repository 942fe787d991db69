# SPDX-License-Identifier: GPL-2.0
#
# svmhv entry points; README.md says what each does.
#
#   make            build svmhv.ko for KDIR and the userspace programs
#   make demo       run the demo in the test machine (or on an AMD host)
#   make check      every test, in the test machine on both kernels
#   make check-host the same suites on this host (root, AMD CPU with SVM)
#   make bench      the benchmark suite in the test machine (docs/bench.md)
#   make bench-host the benchmark suite on this host (root, AMD CPU with SVM)

KREL_RUNNING := $(shell uname -r)
DEBIAN_KREL := $(shell ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | \
		 sed 's|.*/linux-headers-||' | sort -V | tail -n 1)

# The running kernel's build tree, else Debian's amd64 headers (the test
# machine's kernel).
ifneq ($(wildcard /lib/modules/$(KREL_RUNNING)/build/Makefile),)
KDIR ?= /lib/modules/$(KREL_RUNNING)/build
else
KDIR ?= /usr/src/linux-headers-$(DEBIAN_KREL)
endif

BUILD := $(CURDIR)/build
KREL := $(shell sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' \
	  $(KDIR)/include/generated/utsrelease.h 2>/dev/null)
MODDIR := $(BUILD)/module-$(KREL)

.PHONY: all module userspace demo check check-host bench bench-host style \
	clean help

all: module userspace

module:
	scripts/build-module.sh $(KDIR) $(MODDIR) W=1
	@echo "svmhv: module: $(MODDIR)/svmhv.ko"

userspace:
	$(MAKE) -C selftests OUT=$(BUILD)/selftests \
		KSFT=$$(bash -c '. scripts/env.sh && linux_source')/tools/testing/selftests
	$(MAKE) -C tools/svmhv-run OUT=$(BUILD)/tools
	$(MAKE) -C bench OUT=$(BUILD)/tools

demo:
	scripts/demo.sh

check:
	scripts/check.sh

check-host:
	scripts/check-host.sh

bench:
	scripts/bench.sh

bench-host:
	scripts/bench.sh host

style:
	scripts/style.sh

clean:
	rm -rf $(BUILD)

help:
	@sed -n '3,11p' Makefile
