# arm64 (Raspberry Pi class) builds and the 32-bit compat lanes, included last
# by the top-level Makefile (see its header for the variables a component adds
# to). Everything lands under $(BUILD)/arm64 (the module) and $(BUILD)/cross
# (user space); nothing here touches the amd64 kmod/rmach.ko.
#
#   make deps-arm64      fetch Debian's arm64 kernel, headers and busybox
#                        (tools/arm64/fetch-kernel; cached outside the repo)
#   make cross-arm64     rmach.ko for arm64; libmach, the kernel tests, the
#                        libmach examples and rmach-vm as static aarch64, armhf
#                        and i386 binaries; rmach-bench for aarch64
#   make ARCH=arm64      the same as make cross-arm64
#   make check-arm64 / check-compat-arm32 / check-compat-i386
#                        one lane each (all three run in make check)
#   make check-rpi       boot the Raspberry Pi 3 B model, load the module, run
#                        the ping-pong example (not in make check)
#   make bench-arm64     rmach-bench in the aarch64 guest (in make bench)
#   make arm64-selftest  the guest runner's own tests (not in make check)
#
# Lanes: arm64 = the aarch64 build of every test in the aarch64 `virt` guest
# against the arm64 module; compat-arm32 = the armhf build of the same tests in
# that guest (CONFIG_COMPAT); compat-i386 = the i386 build in the x86-64 guest
# (tools/vm/run) against the amd64 module.

ARM64_KMOD_DIR := $(BUILD)/arm64/kmod
ARM64_RMACH_KO := $(ARM64_KMOD_DIR)/kmod/rmach.ko
CROSS_DIR := $(BUILD)/cross
ARM64_FETCH := tools/arm64/fetch-kernel
ARM64_RUN := tools/arm64/run

# One toolchain per user-space ABI. Debian 12's gcc-multilib conflicts with
# these, so i386 uses the i686 cross compiler rather than gcc -m32.
CROSS_ABIS := arm64 arm32 i386
CROSS_CC_arm64 := aarch64-linux-gnu-gcc
CROSS_CC_arm32 := arm-linux-gnueabihf-gcc
CROSS_CC_i386 := i686-linux-gnu-gcc
# kselftest_harness.h's ASSERT_*/EXPECT_* cast both operands to uintmax_t,
# which -Werror rejects for a pointer (ASSERT_NE(NULL, p)) on 32-bit ABIs.
CROSS_KTEST_ABI_CFLAGS_arm32 := -Wno-pointer-to-int-cast
CROSS_KTEST_ABI_CFLAGS_i386 := -Wno-pointer-to-int-cast

# The flags are the host build's (libmach.mk, tests.mk), so every ABI sees the
# same warnings; no sanitizers (no static libasan); static so the binaries need
# nothing from the guest's root.
CROSS_LIBMACH_CFLAGS := $(or $(LIBMACH_CFLAGS),-Ilibmach/include -Iuapi)
CROSS_CFLAGS := $(USER_CFLAGS) $(CROSS_LIBMACH_CFLAGS) -MMD -MP
CROSS_KTEST_CFLAGS := $(or $(KTEST_CFLAGS),$(USER_CFLAGS) -Wno-unused-parameter \
	-I$(KSELFTEST_DIR) $(CROSS_LIBMACH_CFLAGS) -pthread) -MMD -MP
CROSS_LDFLAGS := -static
CROSS_LDLIBS := $(or $(LIBMACH_LIBS),-pthread)

# Every kernel test, the io_uring ones too: liburing comes from Debian's
# multiarch packages (liburing-dev:arm64, :armhf, :i386; tools/deps.sh).
CROSS_KTEST_SRCS := $(wildcard tests/kernel/*.c)
CROSS_KTEST_NAMES := $(CROSS_KTEST_SRCS:tests/kernel/%.c=%)
CROSS_URING_LDLIBS := -luring
# libmach with its ring API (src/ring.c): only programs that use it need -luring.
CROSS_LIBMACH_SRCS := $(or $(LIBMACH_SRCS) $(LIBMACH_RING_SRC),$(wildcard libmach/src/*.c))
CROSS_EXAMPLE_NAMES := $(or $(LIBMACH_EXAMPLES),\
	$(patsubst libmach/examples/%.c,%,$(wildcard libmach/examples/*.c)))

# The x86-64 layout every other ABI must reproduce.
CROSS_ABI_EXPECTED := $(CROSS_DIR)/abi-expected.txt

.PHONY: deps-arm64 arm64-kmod cross-arm64 check-arm64 check-compat-arm32 \
	check-compat-i386 check-rpi $(CROSS_ABIS:%=cross-payload-%)

deps-arm64: deps
	@$(ARM64_FETCH) >/dev/null

# kbuild writes next to the sources, so build a copy of them (sources only:
# the amd64 objects in kmod/ must not leak in). rsync keeps mtimes, so kbuild
# stays incremental.
arm64-kmod:
	@cache=$$($(ARM64_FETCH)) && mkdir -p $(ARM64_KMOD_DIR) && \
	rsync -a --delete --exclude='*.o' --exclude='*.ko' --exclude='*.mod' \
		--exclude='*.mod.c' --exclude='.*.cmd' --exclude='.*.d' \
		--exclude='*.a' --exclude='*.mk' --exclude=modules.order \
		--exclude=Module.symvers --exclude=tests \
		Kbuild kmod core uapi $(ARM64_KMOD_DIR)/ && \
	$(MAKE) --no-print-directory -C "$$cache/usr/src/linux-headers-$$(basename "$$cache")" \
		ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- M=$(ARM64_KMOD_DIR) modules

$(CROSS_ABI_EXPECTED): uapi/tests/header_sizes.c uapi/linux/rmach.h
	@mkdir -p $(@D)
	$(CC) -std=c11 $(WARN_CFLAGS) -Iuapi $< -o $(CROSS_DIR)/abi-expected
	$(CROSS_DIR)/abi-expected >$@

# cross_abi_rules ABI: static libmach, tests, examples, the ABI check and the
# run-tests driver in $(CROSS_DIR)/ABI/payload (what a guest receives).
define cross_abi_rules
CROSS_OBJ_$(1) := $(CROSS_DIR)/$(1)/obj
CROSS_PAYLOAD_$(1) := $(CROSS_DIR)/$(1)/payload
CROSS_LIBMACH_$(1) := $(if $(CROSS_LIBMACH_SRCS),$(CROSS_DIR)/$(1)/libmach.a)
CROSS_FILES_$(1) := $(CROSS_KTEST_NAMES:%=$(CROSS_DIR)/$(1)/payload/tests/%) \
	$(if $(VMRT_SRCS),$(CROSS_DIR)/$(1)/payload/bin/rmach-vm) \
	$(CROSS_EXAMPLE_NAMES:%=$(CROSS_DIR)/$(1)/payload/examples/%) \
	$(CROSS_DIR)/$(1)/payload/abi/header_sizes \
	$(CROSS_DIR)/$(1)/payload/abi/expected.txt \
	$(CROSS_DIR)/$(1)/payload/run-tests

cross-payload-$(1): $$(CROSS_FILES_$(1)) $$(CROSS_VMRT_CORPUS_$(1))

$(CROSS_DIR)/$(1)/obj/libmach/%.o: libmach/src/%.c
	@mkdir -p $$(@D)
	$(CROSS_CC_$(1)) $(CROSS_CFLAGS) -Ilibmach/src -c $$< -o $$@

$(CROSS_DIR)/$(1)/libmach.a: $(CROSS_LIBMACH_SRCS:libmach/src/%.c=$(CROSS_DIR)/$(1)/obj/libmach/%.o)
	@rm -f $$@
	$(CROSS_CC_$(1):gcc=ar) rcs $$@ $$^

$(CROSS_DIR)/$(1)/payload/tests/%: tests/kernel/%.c $(KSELFTEST_HARNESS) $$(CROSS_LIBMACH_$(1))
	@rm -f $$@ && mkdir -p $$(@D) $(CROSS_DIR)/$(1)/obj/tests
	$(CROSS_CC_$(1)) $(CROSS_KTEST_CFLAGS) $(CROSS_KTEST_ABI_CFLAGS_$(1)) \
		-MF $(CROSS_DIR)/$(1)/obj/tests/$$*.d \
		$(CROSS_LDFLAGS) $$< $$(CROSS_LIBMACH_$(1)) \
		$$(if $$(filter rmach_uring% rmach_regress,$$*),$(CROSS_URING_LDLIBS)) $(CROSS_LDLIBS) -o $$@

$(CROSS_DIR)/$(1)/payload/examples/%: libmach/examples/%.c $$(CROSS_LIBMACH_$(1))
	@rm -f $$@ && mkdir -p $$(@D) $(CROSS_DIR)/$(1)/obj/examples
	$(CROSS_CC_$(1)) $(CROSS_CFLAGS) -MF $(CROSS_DIR)/$(1)/obj/examples/$$*.d \
		$(CROSS_LDFLAGS) $$< $$(CROSS_LIBMACH_$(1)) $(CROSS_LDLIBS) -o $$@

$(CROSS_DIR)/$(1)/obj/core/%.o: core/%.c $(CORE_HDRS)
	@mkdir -p $$(@D)
	$(CROSS_CC_$(1)) $(CORE_CFLAGS) -O2 -g -ffreestanding -c $$< -o $$@

$(CROSS_DIR)/$(1)/libcore.a: $(CORE_SRCS:$(TOP)/core/%.c=$(CROSS_DIR)/$(1)/obj/core/%.o)
	@rm -f $$@
	$(CROSS_CC_$(1):gcc=ar) rcs $$@ $$^

# The CLI carries the kernel bridge (hosted/kport.c), which links libmach.
$(CROSS_DIR)/$(1)/payload/bin/rmach-vm: $(VMRT_SRCS) $(VMRT_CLI_SRCS) $(VMRT_HDRS) \
		$(CROSS_DIR)/$(1)/libcore.a $(CROSS_DIR)/$(1)/libmach.a
	@rm -f $$@ && mkdir -p $$(@D)
	$(CROSS_CC_$(1)) $(VMRT_CFLAGS) $(LIBMACH_CFLAGS) $(CROSS_LDFLAGS) $(VMRT_SRCS) \
		$(VMRT_CLI_SRCS) $(CROSS_DIR)/$(1)/libcore.a $(CROSS_DIR)/$(1)/libmach.a \
		$(LIBMACH_LIBS) -o $$@

$(CROSS_DIR)/$(1)/payload/abi/header_sizes: uapi/tests/header_sizes.c uapi/linux/rmach.h
	@mkdir -p $$(@D)
	$(CROSS_CC_$(1)) -std=c11 $(WARN_CFLAGS) -Iuapi $(CROSS_LDFLAGS) $$< -o $$@

$(CROSS_DIR)/$(1)/payload/abi/expected.txt: $(CROSS_ABI_EXPECTED)
	@mkdir -p $$(@D)
	cp $$< $$@

$(CROSS_DIR)/$(1)/payload/run-tests: tools/arm64/run-tests
	@mkdir -p $$(@D)
	cp $$< $$@

-include $(wildcard $(CROSS_DIR)/$(1)/obj/*/*.d)
endef
# The vmrt conformance corpus runs on armhf, the ABI most unlike the host's
# (32-bit, unsigned char); rmach-vm is built for every ABI. Copied afresh each
# time (a few hundred small files), so deleted tests do not linger.
CROSS_VMRT_CORPUS_arm32 := $(if $(VMRT_SRCS),cross-vmrt-corpus-arm32)
.PHONY: cross-vmrt-corpus-arm32
cross-vmrt-corpus-arm32:
	@rm -rf $(CROSS_DIR)/arm32/payload/vmrt && mkdir -p $(CROSS_DIR)/arm32/payload/vmrt
	cp -R tests/vmrt/conformance.sh tests/vmrt/conf tests/vmrt/errors vmrt/examples \
		$(CROSS_DIR)/arm32/payload/vmrt/

$(foreach abi,$(CROSS_ABIS),$(eval $(call cross_abi_rules,$(abi))))

# rmach-bench for the arm64 guest (the same sources as the host's), with the
# pingpong example and the script that runs both in one guest.
CROSS_BENCH_SRCS := $(wildcard tools/bench/*.c)
CROSS_BENCH_DIR := $(CROSS_DIR)/arm64/bench
CROSS_BENCH := $(CROSS_BENCH_DIR)/rmach-bench
$(CROSS_BENCH): $(CROSS_BENCH_SRCS) $(wildcard tools/bench/*.h) $(CROSS_LIBMACH_arm64)
	@mkdir -p $(@D)
	$(CROSS_CC_arm64) $(filter-out -MMD -MP,$(CROSS_CFLAGS)) -DRMACH_BENCH_URING \
		-Itools/bench $(CROSS_LDFLAGS) $(CROSS_BENCH_SRCS) $(CROSS_LIBMACH_arm64) \
		$(CROSS_URING_LDLIBS) -lrt $(CROSS_LDLIBS) -o $@
$(CROSS_BENCH_DIR)/pingpong: $(CROSS_DIR)/arm64/payload/examples/pingpong
	cp $< $@
$(CROSS_BENCH_DIR)/bench-guest: tools/arm64/bench-guest
	@mkdir -p $(@D)
	cp $< $@
CROSS_BENCH_FILES := $(CROSS_BENCH) $(CROSS_BENCH_DIR)/pingpong $(CROSS_BENCH_DIR)/bench-guest

cross-arm64: arm64-kmod $(CROSS_ABIS:%=cross-payload-%) \
	$(if $(CROSS_BENCH_SRCS),$(CROSS_BENCH))

# make bench-arm64: in one aarch64 guest run, rmach-bench (every transport as
# a ratio to the pipe pair) and the pingpong example as a ratio to the same
# pipe pair. TCG: the absolute times are not a Pi's; the ratios are the signal.
BENCHES += bench-arm64
ARM64_BENCH_ARGS ?= --quick --placement same \
	--only pipe,unix-stream,eventfd,futex,rmach-call,rmach-send-recv,rmach-uring
.PHONY: bench-arm64
bench-arm64: arm64-kmod $(CROSS_BENCH_FILES)
	$(ARM64_RUN) --timeout 1200 --module $(ARM64_RMACH_KO) --files $(CROSS_BENCH_DIR) \
		-- ./bench-guest $(ARM64_BENCH_ARGS)

# `make ARCH=arm64` builds the arm64 set instead of the host one (ARCH would
# otherwise reach the amd64 kbuild run and break it).
ifeq ($(ARCH),arm64)
ALL_TARGETS := cross-arm64
endif

# ---- lanes ----
# Each lane first builds what it needs: a failed build is one failed test, so
# make check still reaches its summary. Without a freshly built module there is
# no guest run; a test program that does not build is left out (its stale
# binary is deleted first) and the rest still run. One guest boot runs the
# whole payload; its limit sits inside run-suite's so a hang is reported by
# the runner, with the console log named.
ARM64_LANE_TIMEOUT := 420
ARM64_GUEST_TIMEOUT := 400
HOST_CHECKS += check-arm64 check-compat-arm32 check-compat-i386

ARM64_GUEST = $(ARM64_RUN) --timeout $(ARM64_GUEST_TIMEOUT) --module $(ARM64_RMACH_KO)

# arm64_lane NAME,MODULE-TARGET,PAYLOAD-TARGET,GUEST-COMMAND: TAP in
# $(RESULTS)/NAME-build.tap and $(RESULTS)/NAME.tap. Lanes share build outputs
# (the arm64 module, the x86-64 layout file): under make -j their builds take
# turns on a lock.
CROSS_BUILD_LOCK := $(CROSS_DIR)/.build.lock
define arm64_lane
	@mkdir -p $(CROSS_DIR) && rm -f $(CROSS_DIR)/.$(1).module-built
	@RESULTS=$(RESULTS) tests/run-suite --single $(1)-build -- \
		flock $(CROSS_BUILD_LOCK) sh -c '\
		$(MAKE) --no-print-directory $(2) && touch $(CROSS_DIR)/.$(1).module-built; \
		module_rc=$$?; $(MAKE) --no-print-directory -k $(3) && exit $$module_rc'
	@if [ -e $(CROSS_DIR)/.$(1).module-built ]; then \
		RESULTS=$(RESULTS) tests/run-suite $(1) -t $(ARM64_LANE_TIMEOUT) -- $(4); \
	fi
endef

check-arm64:
	$(call arm64_lane,arm64,arm64-kmod,cross-payload-arm64,$(ARM64_GUEST) --files $(CROSS_DIR)/arm64/payload -- ./run-tests)

check-compat-arm32:
	$(call arm64_lane,compat-arm32,arm64-kmod,cross-payload-arm32,$(ARM64_GUEST) --files $(CROSS_DIR)/arm32/payload -- ./run-tests)

# The x86-64 guest shares the host's root: the payload runs in place.
check-compat-i386:
	$(call arm64_lane,compat-i386,$(RMACH_KO),cross-payload-i386,tools/vm/run --timeout $(ARM64_GUEST_TIMEOUT) --module $(RMACH_KO) -- $(CROSS_DIR)/i386/payload/run-tests)

# Raspberry Pi 3 B model: not in make check (the lead's call; it costs about
# as much as check-arm64); its results go to their own directory. Runs the
# ping-pong example when there is one, else every kernel test.
RPI_RESULTS := $(BUILD)/results-rpi
RPI_EXAMPLE := $(firstword $(filter pingpong,$(CROSS_EXAMPLE_NAMES)))
check-rpi:
	@rm -rf $(RPI_RESULTS) && mkdir -p $(RPI_RESULTS)
	$(call arm64_lane,rpi,arm64-kmod,cross-payload-arm64,$(ARM64_GUEST) --machine raspi3b --files $(CROSS_DIR)/arm64/payload -- ./run-tests $(RPI_EXAMPLE:%=examples/%))
	@tests/tap-summary $(RPI_RESULTS)
check-rpi: RESULTS := $(RPI_RESULTS)

# The runner's own contract (status, --user, timeout, kernel errors, --out);
# six boots, so not in make check: run it after changing tools/arm64/.
.PHONY: arm64-selftest
arm64-selftest:
	@RESULTS=$(RESULTS) tests/run-suite arm64-runner -t 300 -- tools/arm64/selftest

CLEAN_FILES += $(BUILD)/arm64 $(CROSS_DIR)
