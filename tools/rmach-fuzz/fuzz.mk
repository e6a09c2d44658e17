# tools/rmach-fuzz/ rules: the stateful multi-process fuzzer of /dev/rmach
# (issue 10), included by the top-level Makefile. README.md in this directory
# says what it does.
#
#   $(BUILD)/bin/rmach-fuzz     the fuzzer (runs in a guest, as root)
#   make check (GUEST_TESTS)   a 15 s seeded smoke run on Debian's kernel
#   make check-debug           a ~2 min seeded gate with fault injection on
#                              the debug kernel (mk/debug.mk runs it)
#   make fuzz-kernel           a long run on the debug kernel:
#       DURATION=secs (600) SEED=n (1) PROCS=n (4) THREADS=n (3)
#       CALLS=n (stop after n calls instead) KILL_MS=ms (400) FAULT=all
#       FUZZ_ARGS='more rmach-fuzz options'
#     then kmemleak, lockdep and the kernel log are judged; results and the
#     console log in $(FUZZ_OUT)/.

FUZZ_SRC_DIR := tools/rmach-fuzz
FUZZ_OBJ_DIR := $(BUILD)/obj/rmach-fuzz
RMACH_FUZZ := $(BUILD)/bin/rmach-fuzz
FUZZ_SRCS := $(wildcard $(FUZZ_SRC_DIR)/*.c)
FUZZ_OBJS := $(patsubst $(FUZZ_SRC_DIR)/%.c,$(FUZZ_OBJ_DIR)/%.o,$(FUZZ_SRCS))
FUZZ_OUT := $(BUILD)/fuzz-kernel

ALL_TARGETS += $(RMACH_FUZZ)

$(FUZZ_OBJ_DIR)/%.o: $(FUZZ_SRC_DIR)/%.c
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -pthread -I$(TOP)/uapi -MMD -MP -c -o $@ $<

$(RMACH_FUZZ): $(FUZZ_OBJS)
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -pthread -o $@ $^ -luring -lrt

-include $(FUZZ_OBJS:.o=.d)

# Guest programs take no arguments: wrappers name the run. The smoke run
# joins every guest session (make check); the gate only the debug one.
FUZZ_SMOKE := $(BUILD)/tests/fuzz/rmach_fuzz_smoke
FUZZ_GATE := $(BUILD)/tests/fuzz/rmach_fuzz_gate
FUZZ_SMOKE_ARGS := --seed 1 --procs 4 --threads 2 --duration 15 --kill-ms 300
FUZZ_GATE_ARGS := --seed 2 --procs 4 --threads 3 --duration 100 \
	--kill-ms 300 --fault all --watchdog 120
GUEST_TESTS += $(FUZZ_SMOKE)

$(FUZZ_SMOKE) $(FUZZ_GATE): $(RMACH_FUZZ) $(FUZZ_SRC_DIR)/fuzz.mk
	@mkdir -p $(@D)
	printf '#!/bin/sh\nexec %s --tap %s\n' $(RMACH_FUZZ) \
		'$(if $(filter $@,$(FUZZ_GATE)),$(FUZZ_GATE_ARGS),$(FUZZ_SMOKE_ARGS))' > $@
	chmod +x $@

DURATION ?= 600
SEED ?= 1
PROCS ?= 4
THREADS ?= 3
KILL_MS ?= 400
FAULT ?= all
CALLS ?=
FUZZ_ARGS ?=
FUZZ_VM_TIMEOUT = $(shell echo $$(( $(DURATION) + 1800 )))

.PHONY: fuzz-kernel
fuzz-kernel: debug-kmod $(RMACH_FUZZ)
	@rm -rf $(FUZZ_OUT) && mkdir -p $(FUZZ_OUT)
	tools/vm/run --kernel "$$($(DEBUG_KERNEL_TOOL) --print-image)" \
		--modules none --module $(DEBUG_KO) --mem $(DEBUG_VM_MEM) \
		--timeout $(FUZZ_VM_TIMEOUT) --log $(FUZZ_OUT)/console.log \
		--out $(FUZZ_OUT) -- $(FUZZ_SRC_DIR)/guest-fuzz.sh $(RMACH_FUZZ) \
		--seed $(SEED) --procs $(PROCS) --threads $(THREADS) \
		--duration $(DURATION) $(if $(CALLS),--calls $(CALLS)) \
		--kill-ms $(KILL_MS) --fault $(FAULT) --watchdog 120 -v $(FUZZ_ARGS)
	@echo "fuzz-kernel: passed (kernel log clean); results in $(FUZZ_OUT)/"
