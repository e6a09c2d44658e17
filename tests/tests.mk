# tests/ rules, included by the top-level Makefile (see its header for the variables
# a component adds to).
#
# Kernel tests: every tests/kernel/*.c is a kselftest_harness.h program built
# into $(BUILD)/tests/kernel/<name> and run inside the QEMU guest by
# `make check-guest` (one boot for all of them). A program whose name ends in
# "_user" runs as uid 65534 (nobody), the others as root.
#
#   make check-guest   build the guest tests, boot the guest once, run them all;
#                      TAP in $(RESULTS)/guest-*.tap
#   make guest-tests   only build them
#   make run           boot the guest with the module and run tools/demo.sh
#
# The guest is parameterisable (mk/debug.mk reuses it with the debug kernel):
#   VM_KERNEL   kernel image            (default $(KIMAGE))
#   VM_MODULES  its /lib/modules tree, or "none" when 9p/virtio are built in
#   VM_MODULE   module to load          (default kmod/rmach.ko)
#   VM_PREREQS  make targets the session needs besides GUEST_TESTS (the module)
#   VM_OPTS     more tools/vm/run options (--mem, --smp, --log ...)
#   VM_TIMEOUT  limit for the whole guest session, seconds
#   GUEST_WRAPPER  command the guest-side runner runs under (see
#               tests/guest/run-suite-in-guest --wrapper)
#   GUEST_TEST_TIMEOUT  limit for one test program, seconds
#   GUEST_PREFIX  results are $(RESULTS)/$(GUEST_PREFIX)-*.tap (default guest)
#   GUEST_COUNTERS_IGNORE  names of /sys/kernel/debug/rmach counters that need
#               not return to their value after the tests (caches); a component
#               adds to it. Counters named *_total are never compared.

VM_KERNEL ?= $(KIMAGE)
VM_MODULES ?= /lib/modules/$(KVER)
VM_MODULE ?= $(RMACH_KO)
VM_PREREQS ?= $(RMACH_KO)
VM_OPTS ?=
VM_TIMEOUT ?= 900
GUEST_TEST_TIMEOUT ?= 120
GUEST_WRAPPER ?=
GUEST_PREFIX ?= guest
GUEST_COUNTERS_IGNORE +=
VM_RUN_OPTS = --kernel $(VM_KERNEL) --modules $(VM_MODULES) \
	--module $(VM_MODULE) $(VM_OPTS)

# kselftest_harness.h and kselftest.h, extracted from Debian's linux-source-6.1
# (never copied into the repo).
LINUX_SOURCE_TAR ?= /usr/src/linux-source-6.1.tar.xz
KSELFTEST_MEMBERS := kselftest_harness.h kselftest.h
KSELFTEST_TAR_DIR := linux-source-6.1/tools/testing/selftests

$(KSELFTEST_HARNESS):
	@test -r $(LINUX_SOURCE_TAR) || \
		{ echo "$(LINUX_SOURCE_TAR) missing: run 'make deps'" >&2; exit 1; }
	@rm -rf $(KSELFTEST_DIR).tmp && mkdir -p $(KSELFTEST_DIR).tmp
	tar -xJf $(LINUX_SOURCE_TAR) -C $(KSELFTEST_DIR).tmp --strip-components=4 \
		$(addprefix $(KSELFTEST_TAR_DIR)/,$(KSELFTEST_MEMBERS))
	@rm -rf $(KSELFTEST_DIR) && mv $(KSELFTEST_DIR).tmp $(KSELFTEST_DIR)

# The harness's own code trips -Wextra's unused-parameter (its test wrappers
# and signal handler); everything else stays an error.
KTEST_CFLAGS := $(USER_CFLAGS) -Wno-unused-parameter -I$(KSELFTEST_DIR) -Iuapi \
	-Ilibmach/include -pthread
KTEST_SRCS := $(wildcard tests/kernel/*.c)
KTEST_BINS := $(patsubst tests/kernel/%.c,$(BUILD)/tests/kernel/%,$(KTEST_SRCS))
GUEST_TESTS += $(KTEST_BINS)
CLEAN_FILES += $(KSELFTEST_DIR)

$(BUILD)/tests/kernel/%: tests/kernel/%.c $(KSELFTEST_HARNESS) $(LIBMACH_A)
	@mkdir -p $(@D)
	$(CC) $(KTEST_CFLAGS) -MMD -MP -MF $@.d -o $@ $< $(LIBMACH_A) $(KTEST_LDLIBS)

# The io_uring tests use liburing (liburing-dev).
$(BUILD)/tests/kernel/rmach_uring $(BUILD)/tests/kernel/rmach_uring_libmach \
	$(BUILD)/tests/kernel/rmach_regress: \
	KTEST_LDLIBS = -luring

-include $(KTEST_BINS:=.d)

.PHONY: guest-tests check-guest check-vm-selftest check-guest-suite-selftest \
	check-dkms

guest-tests: $(GUEST_TESTS)

# Builds what the guest needs (a failed build is a failed test, not a stop),
# then one guest session for every GUEST_TESTS program. The session, its kernel
# log and every program each give TAP in $(RESULTS); a panic or hang fails them.
# Fails when any result is "not ok" (make check goes on regardless).
check-guest:
	@mkdir -p $(RESULTS)
	@RESULTS=$(RESULTS) tests/run-suite --single $(GUEST_PREFIX)-build -- \
		$(MAKE) --no-print-directory guest-tests $(VM_PREREQS)
	@tests/guest/run-suite-in-guest --results $(RESULTS) --prefix $(GUEST_PREFIX) \
		--test-timeout $(GUEST_TEST_TIMEOUT) \
		$(if $(GUEST_WRAPPER),--wrapper '$(GUEST_WRAPPER)') \
		--counters-ignore '$(strip $(GUEST_COUNTERS_IGNORE))' $(VM_RUN_OPTS) \
		--timeout $(VM_TIMEOUT) -- $(GUEST_TESTS)

# The guest runner's own tests: a failing, an erroring, a panicking, a hanging
# guest and a module that does not load (tests/host/vm-selftest, ~40 s).
HOST_CHECKS += check-vm-selftest
check-vm-selftest:
	@RESULTS=$(RESULTS) tests/run-suite vm-selftest -t 300 -- tests/host/vm-selftest

# The guest suite's plumbing: failing, crashing and stuck test programs, a
# panicking and a hanging guest each leave "not ok" results that say so
# (tests/host/guest-suite-selftest, ~60 s).
HOST_CHECKS += check-guest-suite-selftest
check-guest-suite-selftest:
	@RESULTS=$(RESULTS) tests/run-suite guest-suite-selftest -t 400 -- \
		tests/host/guest-suite-selftest

# dkms.conf really works: dkms add + dkms build -k $(KVER) of a temporary copy
# (tests/host/dkms-test; builds only, removes everything it added).
HOST_CHECKS += check-dkms
check-dkms:
	@RESULTS=$(RESULTS) tests/run-suite dkms -t 600 -- tests/host/dkms-test $(KVER)
