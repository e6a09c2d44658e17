# check-debug: the guest suite on the debug kernel (issue 2), included by the
# top-level Makefile.
#
#   make check-debug   get the cached debug kernel (tools/vm/debug-kernel builds
#                      it the first time: 20-60 min), build rmach.ko against it
#                      in $(DEBUG_KMOD_DIR), then run check-guest (tests/tests.mk)
#                      on them, between a kmemleak baseline and a kmemleak +
#                      lockdep verdict. Results go to $(DEBUG_RESULTS); ends
#                      with "N passed, N failed".
#   make debug-kernel  only the kernel; prints where it is
#   make debug-kmod    only the kernel and $(DEBUG_KO)
#
# The guest's whole console log is judged by check-guest itself (tools/vm/run
# fails a run on any KASAN, lockdep, kmemleak, WARNING, BUG or Oops line).

DEBUG_KERNEL_TOOL := tools/vm/debug-kernel
DEBUG_KMOD_DIR := $(BUILD)/debug-kmod
DEBUG_KO := $(DEBUG_KMOD_DIR)/kmod/rmach.ko
DEBUG_RESULTS := $(BUILD)/results-debug
# KASAN, lockdep and kmemleak make the guest several times slower under TCG
# (~55 s to boot), and kmemleak wants memory for its metadata.
DEBUG_VM_TIMEOUT ?= 1800
DEBUG_TEST_TIMEOUT ?= 600
DEBUG_VM_MEM ?= 2048
# Run first and last in the guest, around the suite. The fuzzer's seeded
# two-minute gate with fault injection (tools/rmach-fuzz/fuzz.mk) runs last
# before the verdict, so kmemleak and lockdep judge it too.
DEBUG_GUEST_TESTS = tools/vm/debug-kernel-guest-baseline $(GUEST_TESTS) \
	$(FUZZ_GATE) tools/vm/debug-kernel-guest-verdict

# The module's sources, as kmod/kmod.mk's sparse check copies them. Build
# products are left out of the copy (and kept in it: kbuild stays incremental).
DEBUG_KMOD_SOURCES := Kbuild kmod core uapi
DEBUG_KMOD_PRODUCTS := '*.o' '*.ko' '*.mod' '*.mod.c' '.*.cmd' '.*.d' \
	modules.order Module.symvers rmach_probe.h

.PHONY: check-debug debug-kernel debug-kmod

debug-kernel:
	@$(DEBUG_KERNEL_TOOL)

# A private copy of the module sources, so objects built for the debug kernel
# can never mix with, or overwrite, kmod/rmach.ko built for Debian's kernel.
debug-kmod: debug-kernel
	@mkdir -p $(DEBUG_KMOD_DIR)
	@rsync -a --delete $(addprefix --exclude=,$(DEBUG_KMOD_PRODUCTS)) \
		$(DEBUG_KMOD_SOURCES) $(DEBUG_KMOD_DIR)/
	+$(MAKE) -C "$$($(DEBUG_KERNEL_TOOL) --print-dir)" M=$(DEBUG_KMOD_DIR) modules

# The kernel build runs as a suite of its own with a limit long enough for a
# fresh build; check-guest's build step then only finds it up to date. Every
# step records a result instead of stopping the target, so the summary always
# comes last and says what failed.
check-debug: deps
	@rm -rf $(DEBUG_RESULTS) && mkdir -p $(DEBUG_RESULTS)
	@RESULTS=$(DEBUG_RESULTS) tests/run-suite --single debug-kernel -t 14400 -- \
		$(MAKE) --no-print-directory debug-kmod
	@if grep -q '^ok ' $(DEBUG_RESULTS)/debug-kernel.tap; then \
		$(MAKE) --no-print-directory check-guest RESULTS=$(DEBUG_RESULTS) \
			VM_KERNEL="$$($(DEBUG_KERNEL_TOOL) --print-image)" \
			VM_MODULES=none VM_MODULE=$(DEBUG_KO) \
			VM_PREREQS="debug-kmod $(FUZZ_GATE)" \
			VM_OPTS="--mem $(DEBUG_VM_MEM)" VM_TIMEOUT=$(DEBUG_VM_TIMEOUT) \
			GUEST_TEST_TIMEOUT=$(DEBUG_TEST_TIMEOUT) \
			GUEST_TESTS="$(DEBUG_GUEST_TESTS)" || true; \
	fi
	@tests/tap-summary $(DEBUG_RESULTS)
