# vmrt/ rules, included by the top-level Makefile (see its header for the variables
# a component adds to).
#
#   $(BUILD)/bin/rmach-vm      the CLI (run / asm / dis), -O2
#   $(BUILD)/vmrt/rmach-vm-san the same under ASan + UBSan, for the tests
#   $(BUILD)/vmrt/vmrt-bench   make bench-vmrt
#   $(BUILD)/vmrt/fuzz-*       libFuzzer targets (clang)
#
# The portable runtime (VMRT_CORE_SRCS) uses only platform.h and string.h: the
# bare-metal firmware builds the same files with its own platform hooks.

VMRT_DIR := $(TOP)/vmrt
VMRT_BUILD := $(BUILD)/vmrt
VMRT_PORTABLE := value.c repr.c program.c image.c verify.c interp.c sched.c \
	runtime.c ipc.c msgcodec.c services.c
VMRT_PORTABLE_SRCS := $(addprefix $(VMRT_DIR)/,$(VMRT_PORTABLE))
VMRT_HOSTED_SRCS := $(VMRT_DIR)/asm.c $(VMRT_DIR)/hosted/platform.c \
	$(VMRT_DIR)/hosted/load.c
VMRT_SRCS := $(VMRT_PORTABLE_SRCS) $(VMRT_HOSTED_SRCS)
VMRT_HDRS := $(wildcard $(VMRT_DIR)/*.h $(VMRT_DIR)/hosted/*.h) \
	$(CORE_INC)/rmach_core.h
VMRT_CFLAGS := $(USER_CFLAGS) -I$(VMRT_DIR) -I$(CORE_INC)
# The CLI adds the kernel bridge, the only part that links libmach.
VMRT_CLI_SRCS := $(VMRT_DIR)/cli/main.c $(VMRT_DIR)/hosted/kport.c
VMRT_CLI_LIBS := $(LIBMACH_A) $(LIBMACH_LIBS)

VMRT_BIN := $(BUILD)/bin/rmach-vm
VMRT_SAN := $(VMRT_BUILD)/rmach-vm-san
VMRT_UNIT := $(VMRT_BUILD)/vmrt-unit
VMRT_BENCH := $(VMRT_BUILD)/vmrt-bench
VMRT_FUZZ_ASM := $(VMRT_BUILD)/fuzz-asm
VMRT_FUZZ_RUN := $(VMRT_BUILD)/fuzz-run

$(VMRT_BIN): $(VMRT_SRCS) $(VMRT_CLI_SRCS) $(VMRT_HDRS) $(CORE_LIB) $(LIBMACH_A)
	@mkdir -p $(dir $@)
	$(CC) $(VMRT_CFLAGS) $(LIBMACH_CFLAGS) $(VMRT_SRCS) $(VMRT_CLI_SRCS) \
		$(CORE_LIB) $(VMRT_CLI_LIBS) -o $@

$(VMRT_SAN): $(VMRT_SRCS) $(VMRT_CLI_SRCS) $(VMRT_HDRS) $(CORE_SAN_LIB) $(LIBMACH_A)
	@mkdir -p $(dir $@)
	$(CC) $(VMRT_CFLAGS) $(LIBMACH_CFLAGS) -O1 $(SAN_CFLAGS) $(VMRT_SRCS) \
		$(VMRT_CLI_SRCS) $(CORE_SAN_LIB) $(VMRT_CLI_LIBS) -o $@

$(VMRT_UNIT): $(TOP)/tests/vmrt/unit.c $(VMRT_SRCS) $(VMRT_HDRS) $(CORE_SAN_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(VMRT_CFLAGS) -I$(TOP)/tests -O1 $(SAN_CFLAGS) $< $(VMRT_SRCS) \
		$(CORE_SAN_LIB) -o $@

$(VMRT_BENCH): $(TOP)/tests/vmrt/bench.c $(VMRT_SRCS) $(VMRT_HDRS) $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(VMRT_CFLAGS) $< $(VMRT_SRCS) $(CORE_LIB) -o $@

VMRT_FUZZ_FLAGS := -std=c11 $(WARN_CFLAGS) -O1 -g -D_GNU_SOURCE -I$(VMRT_DIR) \
	-I$(CORE_INC) -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all

VMRT_FUZZ_SRCS := $(VMRT_PORTABLE_SRCS) $(VMRT_DIR)/asm.c \
	$(TOP)/tests/vmrt/fuzz_platform.c
$(VMRT_BUILD)/fuzz-%: $(TOP)/tests/vmrt/fuzz_%.c $(VMRT_FUZZ_SRCS) $(VMRT_HDRS) \
		$(CORE_SRCS)
	@mkdir -p $(dir $@)
	clang $(VMRT_FUZZ_FLAGS) $< $(VMRT_FUZZ_SRCS) $(CORE_SRCS) -o $@

.PHONY: check-vmrt-conformance check-vmrt-conformance-switch check-vmrt-unit \
	check-vmrt-fuzz-short bench-vmrt
check-vmrt-conformance: $(VMRT_SAN)
	@tests/run-suite vmrt-conformance -t 300 -- tests/vmrt/conformance.sh \
		$(VMRT_SAN) $(TOP)/tests/vmrt/conf $(TOP)/tests/vmrt/errors \
		$(VMRT_DIR)/examples

# The same corpus through the switch-dispatched (counting) interpreter.
check-vmrt-conformance-switch: $(VMRT_SAN)
	@VMRT_RUN_FLAGS=--switch tests/run-suite vmrt-conformance-switch -t 300 -- \
		tests/vmrt/conformance.sh $(VMRT_SAN) $(TOP)/tests/vmrt/conf \
		$(VMRT_DIR)/examples

check-vmrt-unit: $(VMRT_UNIT)
	@tests/run-suite vmrt-unit -- $(VMRT_UNIT)

check-vmrt-fuzz-short: $(VMRT_FUZZ_ASM) $(VMRT_FUZZ_RUN)
	@tests/run-suite vmrt-fuzz-short -t 120 -- tests/vmrt/fuzz-short.sh \
		$(VMRT_BUILD) $(TOP)/tests/vmrt

bench-vmrt: $(VMRT_BENCH)
	$(VMRT_BENCH) $(TOP)/tests/vmrt/bench

ALL_TARGETS += $(VMRT_BIN)
HOST_CHECKS += check-vmrt-conformance check-vmrt-conformance-switch \
	check-vmrt-unit check-vmrt-fuzz-short
BENCHES += bench-vmrt
INSTALL_TARGETS += install-vmrt
UNINSTALL_TARGETS += uninstall-vmrt

# Guest test of the kernel bridge (TAP), as uid 65534: the guest runs
# programs without arguments, so a wrapper names the binaries.
VMRT_KBRIDGE_TEST := $(VMRT_BUILD)/vmrt-kernel-bridge_user
GUEST_TESTS += $(VMRT_KBRIDGE_TEST)
$(VMRT_KBRIDGE_TEST): $(TOP)/tests/vmrt/kernel_bridge.sh $(VMRT_BIN) \
		$(LIBMACH_OUT)/examples/echo-server
	@mkdir -p $(@D)
	printf '#!/bin/sh\nexec %s %s %s\n' $(TOP)/tests/vmrt/kernel_bridge.sh \
		$(VMRT_BIN) $(LIBMACH_OUT)/examples/echo-server > $@
	chmod +x $@

.PHONY: install-vmrt uninstall-vmrt
install-vmrt: $(VMRT_BIN)
	install -D -m 755 $(VMRT_BIN) $(DESTDIR)$(PREFIX)/bin/rmach-vm

uninstall-vmrt:
	rm -f $(DESTDIR)$(PREFIX)/bin/rmach-vm
