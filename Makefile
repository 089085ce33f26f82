# SPDX-License-Identifier: GPL-2.0-only
#
# dxgkcompat, out-of-tree build.
#
#   make [KDIR=...] [W=1] [C=1]  build dxgkcompat.ko, the sample miniports and,
#                                against a kernel with KUnit, dxgkcompat_test.ko
#   make igt                     build the IGT tests
#   make run                     the main job: setup, build, boot the test box,
#                                load both miniports, show the adapters
#   make check                   the test suite: KUnit + IGT + a bounded fuzzer
#                                run on both kernels
#   make fuzz                    the fuzzer for long (DXGK_FUZZ_OPS per box)
#   make stress                  churn, fail-nth sweep and unplug cycles for
#                                long, on the debug kernel
#   make bench                   the benchmarks: the memory callbacks against
#                                the raw primitives, TTM's pool, GEM shmem and
#                                vgem, one table per run
#   make checkpatch              checkpatch --strict on our sources
#
# Modules are built in a copy of the sources per kernel, under
# $(O)/kmod/<kernel release>, so builds for several kernels never mix.

O ?= $(CURDIR)/build
KDIR ?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) \
		    $(lastword $(sort $(wildcard /usr/src/linux-headers-6.12*-amd64))))

.PHONY: all modules igt run check fuzz stress bench checkpatch setup clean

all: modules

modules:
	@scripts/build-modules.sh "$(KDIR)" "$(O)" $(if $(W),W=$(W)) $(if $(C),C=$(C))

igt:
	$(MAKE) -C tests/igt O=$(O)

setup:
	scripts/setup.sh

run:
	scripts/run.sh

check:
	scripts/check.sh

fuzz:
	scripts/fuzz.sh

stress:
	scripts/stress.sh

bench:
	scripts/bench.sh

checkpatch:
	scripts/checkpatch.sh

clean:
	rm -rf $(O)
