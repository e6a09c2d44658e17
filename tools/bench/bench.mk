# tools/bench/ rules: rmach-bench, the IPC benchmark (see tools/bench/README.md),
# included by the top-level Makefile.

BENCH_SRC_DIR := tools/bench
BENCH_OBJ_DIR := $(BUILD)/obj/bench
RMACH_BENCH := $(BUILD)/bin/rmach-bench
BENCH_OUT := $(BUILD)/bench

BENCH_SRCS := $(wildcard $(BENCH_SRC_DIR)/*.c)
BENCH_OBJS := $(patsubst $(BENCH_SRC_DIR)/%.c,$(BENCH_OBJ_DIR)/%.o,$(BENCH_SRCS))

ALL_TARGETS += $(RMACH_BENCH)
BENCH_GUEST_TEST := $(TOP)/$(BENCH_SRC_DIR)/guest-selftest.sh
GUEST_TESTS += $(BENCH_GUEST_TEST)
BENCHES += bench-ipc

# The io_uring transports need liburing (liburing-dev); builds without it
# (the arm64 cross build) report them as not built.
$(BENCH_OBJ_DIR)/%.o: $(BENCH_SRC_DIR)/%.c
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -DRMACH_BENCH_URING -I$(TOP)/uapi -MMD -MP -c -o $@ $<

$(RMACH_BENCH): $(BENCH_OBJS)
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -o $@ $^ -luring -lrt

-include $(BENCH_OBJS:.o=.d)

# The guest test is a script: building it means building what it runs.
$(BENCH_GUEST_TEST): $(RMACH_BENCH)

.PHONY: bench-ipc
# One guest boot: the guest script loads binder (and rmach.ko when built), runs
# the benchmark and leaves table, JSON and CSV in $(BENCH_OUT); the chart is
# drawn here from the CSV.
# The host's load average goes with the table: a busy host makes the
# cross-CPU figures noisy (the guest's vCPUs wait for host CPUs).
bench-ipc: $(RMACH_BENCH)
	@mkdir -p $(BENCH_OUT)
	@rm -f $(BENCH_OUT)/rmach-bench.*
	tools/vm/run $(if $(wildcard $(RMACH_KO)),--module $(RMACH_KO),--no-module) \
		--out $(BENCH_OUT) --timeout 3000 -- \
		$(TOP)/$(BENCH_SRC_DIR)/guest-bench.sh $(RMACH_BENCH) /out $(BENCH_ARGS)
	@echo "host: $$(nproc) CPUs, load average after the run: $$(cut -d' ' -f1-3 /proc/loadavg)" \
		>>$(BENCH_OUT)/rmach-bench.txt
	$(BENCH_SRC_DIR)/csv-to-svg.py $(BENCH_OUT)/rmach-bench.csv $(BENCH_OUT)/rmach-bench.svg
	@cat $(BENCH_OUT)/rmach-bench.txt
	@echo "rmach-bench: table, JSON, CSV and SVG in $(BENCH_OUT)/"
