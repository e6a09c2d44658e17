# Tracing: the rmach tracepoints' tools and tests (issue 8), included by the
# top-level Makefile. docs/tracing.md says what each piece does.
#
#   $(BUILD)/tests/trace/trace-workload   the known message flow the tests watch
#   $(BUILD)/tests/trace/bpftrace-scripts guest test: tools/bpftrace/*.bt
#                                         against that flow (TAP)
#   $(BUILD)/tests/trace/tracefs-events   guest test: the raw events' counts
#   $(BUILD)/tests/trace/rmach-trace-tool guest test: rmach-trace
#   $(BUILD)/bin/rmach-trace              the libbpf tool
#   make bench-trace                      the tracepoints' cost

TRACE_BUILD := $(BUILD)/tests/trace
TRACE_WORKLOAD := $(TRACE_BUILD)/trace-workload
TRACE_BPFTRACE_TEST := $(TRACE_BUILD)/bpftrace-scripts

GUEST_TESTS += $(TRACE_BPFTRACE_TEST)

$(TRACE_WORKLOAD): tests/trace/trace-workload.c tests/kernel/rmach_test.h
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -Iuapi -o $@ $<

TRACE_TRACEFS_TEST := $(TRACE_BUILD)/tracefs-events
GUEST_TESTS += $(TRACE_TRACEFS_TEST)

$(TRACE_TRACEFS_TEST): tests/trace/tracefs-events.sh $(TRACE_WORKLOAD)
	@mkdir -p $(@D)
	printf '#!/bin/sh\nexec %s %s\n' $(TOP)/tests/trace/tracefs-events.sh \
		$(TRACE_WORKLOAD) > $@
	chmod +x $@

# The guest runs programs without arguments: a wrapper names the workload.
$(TRACE_BPFTRACE_TEST): tests/trace/bpftrace-scripts.sh $(TRACE_WORKLOAD)
	@mkdir -p $(@D)
	printf '#!/bin/sh\nexec %s %s\n' $(TOP)/tests/trace/bpftrace-scripts.sh \
		$(TRACE_WORKLOAD) > $@
	chmod +x $@

# rmach-trace: classic tracepoint programs (no vmlinux.h), a bpftool skeleton
# and a libbpf loader. Skipped, with a message, without clang or bpftool.
RMACH_TRACE := $(BUILD)/bin/rmach-trace
RT_OBJ := $(BUILD)/rmach-trace
BPF_CLANG ?= clang
BPFTOOL ?= $(shell command -v bpftool || echo /usr/sbin/bpftool)
RT_HAVE_TOOLS := $(shell command -v $(BPF_CLANG) >/dev/null && \
	test -x $(BPFTOOL) && test -r /usr/include/bpf/libbpf.h && echo yes)

ifeq ($(RT_HAVE_TOOLS),yes)
ALL_TARGETS += $(RMACH_TRACE)
else
ALL_TARGETS += rmach-trace-skipped
.PHONY: rmach-trace-skipped
rmach-trace-skipped:
	@echo "rmach-trace: not built: needs clang, bpftool and libbpf-dev (make deps)"
endif

$(RT_OBJ)/rmach-trace.bpf.o: tools/rmach-trace/rmach-trace.bpf.c \
		tools/rmach-trace/rmach-trace.h
	@mkdir -p $(@D)
	$(BPF_CLANG) -g -O2 -target bpf -Wall -Werror \
		-I/usr/include/$(shell $(CC) -dumpmachine) -c $< -o $@

$(RT_OBJ)/rmach-trace.skel.h: $(RT_OBJ)/rmach-trace.bpf.o
	$(BPFTOOL) gen skeleton $< name rmach_trace_bpf > $@.tmp && mv $@.tmp $@

$(RMACH_TRACE): tools/rmach-trace/rmach-trace.c tools/rmach-trace/rmach-trace.h \
		$(RT_OBJ)/rmach-trace.skel.h
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -I$(RT_OBJ) -o $@ $< -lbpf

ifeq ($(RT_HAVE_TOOLS),yes)
TRACE_TOOL_TEST := $(TRACE_BUILD)/rmach-trace-tool
GUEST_TESTS += $(TRACE_TOOL_TEST)
$(TRACE_TOOL_TEST): tests/trace/rmach-trace-tool.sh $(RMACH_TRACE) \
		$(TRACE_WORKLOAD)
	@mkdir -p $(@D)
	printf '#!/bin/sh\nexec %s %s %s\n' $(TOP)/tests/trace/rmach-trace-tool.sh \
		$(RMACH_TRACE) $(TRACE_WORKLOAD) > $@
	chmod +x $@
endif

# make bench-trace: the tracepoints' cost (tools/rmach-trace/trace-bench.sh);
# the module is built again with -DNOTRACE in a scratch copy to compare with.
ifeq ($(RT_HAVE_TOOLS),yes)
BENCHES += bench-trace
endif
TRACE_NOTRACE_DIR := $(BUILD)/kmod-notrace
.PHONY: bench-trace
bench-trace: $(RMACH_KO) $(TRACE_WORKLOAD) $(RMACH_TRACE)
	@rm -rf $(TRACE_NOTRACE_DIR) && mkdir -p $(TRACE_NOTRACE_DIR)
	@cp -r Kbuild kmod core uapi $(TRACE_NOTRACE_DIR)/
	$(MAKE) --no-print-directory -C $(KDIR) M=$(TRACE_NOTRACE_DIR) \
		KCFLAGS=-DNOTRACE modules > $(TRACE_NOTRACE_DIR)/build.log 2>&1
	tools/vm/run --module $(RMACH_KO) --timeout 1500 -- \
		$(TOP)/tools/rmach-trace/trace-bench.sh $(TOP)/$(RMACH_KO) \
		$(TRACE_NOTRACE_DIR)/kmod/rmach.ko $(TRACE_WORKLOAD) $(RMACH_TRACE) \
		$(TRACE_BENCH_ARGS)
