# rMach top-level Makefile.
#
# Targets a newcomer can guess:
#   make              build everything this machine can build (core, libmach, vmrt,
#                     tools, kmod/rmach.ko against the installed Debian headers)
#   make deps         install missing Debian packages (idempotent)
#   make check        deps + build + host tests + guest (kernel) tests; ends with
#                     one line "N passed, N failed"
#   make run          boot the guest, load the module, run the demo
#   make check-debug  the guest suite on a KASAN/lockdep/kmemleak kernel
#   make bench        benchmarks (programs that print figures)
#   make install / make uninstall
#
# Each component keeps its rules in its own <dir>/<dir>.mk, included below. A
# component adds to these variables:
#   ALL_TARGETS   files `make` must produce
#   HOST_CHECKS   phony targets that run one host suite each; every one writes
#                 TAP to $(RESULTS)/<suite>.tap through tests/run-suite and never
#                 fails the make itself (tests/tap-summary judges the results)
#   GUEST_TESTS   programs (kselftest binaries or scripts) run inside the guest,
#                 each printing TAP; counted the same way
#   BENCHES       phony targets run by `make bench`
#   INSTALL_TARGETS / UNINSTALL_TARGETS
#   CLEAN_FILES

include mk/common.mk

.DEFAULT_GOAL := all

ALL_TARGETS :=
HOST_CHECKS :=
GUEST_TESTS :=
BENCHES :=
INSTALL_TARGETS :=
UNINSTALL_TARGETS :=
CLEAN_FILES :=

include core/core.mk
include kmod/kmod.mk
include libmach/libmach.mk
include vmrt/vmrt.mk
include tools/tools.mk
include tests/tests.mk
include vmrt/boards/boards.mk
include mk/debug.mk
include tools/bench/bench.mk
include mk/arm64.mk
include tools/rmach-trace/trace.mk
include tools/rmach-fuzz/fuzz.mk

.PHONY: all deps check check-host check-guest check-debug run bench install \
	uninstall clean summary

all: $(ALL_TARGETS)

# Every .mk may add guest tests, some after tests/tests.mk defines guest-tests:
# name them all here, once everything is included.
guest-tests: $(GUEST_TESTS)

deps:
	@tools/deps.sh

# check: host suites first (fast), then the guest suite; the summary is last and
# decides the exit status. Suites never stop each other: a crashed suite is
# recorded as a failed test by tests/run-suite.
check: deps
	@rm -rf $(RESULTS) && mkdir -p $(RESULTS)
	@$(MAKE) --no-print-directory all || \
		tests/run-suite --single build -- false
	@$(MAKE) --no-print-directory -k check-host || true
	@$(MAKE) --no-print-directory -k check-guest || true
	@tests/tap-summary $(RESULTS)

check-host: $(HOST_CHECKS)

summary:
	@tests/tap-summary $(RESULTS)

bench: all $(BENCHES)

install: all $(INSTALL_TARGETS)

uninstall: $(UNINSTALL_TARGETS)

clean:
	rm -rf $(BUILD) $(CLEAN_FILES)
