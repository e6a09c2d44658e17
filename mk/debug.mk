# check-debug: the guest suite on the debug kernel (issue 2), included by the
# top-level Makefile.
#
#   make check-debug   get the cached debug kernel (tools/vm/debug-kernel builds
#                      it the first time: 20-60 min), build rmach.ko against it
#                      in $(DEBUG_KMOD_DIR), run the guest suite on it, then
#                      judge the guest's whole console log, kmemleak and lockdep
#                      (tools/vm/debug-kernel-judge). Results go to
#                      $(DEBUG_RESULTS); ends with "N passed, N failed".
#   make debug-kernel  only the kernel; prints where it is
#   make debug-kmod    only the kernel and $(DEBUG_KO)

DEBUG_KERNEL_TOOL := tools/vm/debug-kernel
DEBUG_KMOD_DIR := $(BUILD)/debug-kmod
DEBUG_KO := $(DEBUG_KMOD_DIR)/kmod/rmach.ko
DEBUG_RESULTS := $(BUILD)/results-debug
DEBUG_CONSOLE_LOG := $(DEBUG_RESULTS)/console.log
# What the guest writes through /out (kmemleak report, lockdep state).
DEBUG_GUEST_OUT := $(DEBUG_RESULTS)/guest-out
# KASAN, lockdep and kmemleak make the guest several times slower under TCG
# (~55 s to boot); the run gets a generous limit, the suite a little more.
DEBUG_VM_TIMEOUT ?= 1800
DEBUG_VM_MEM ?= 2048

# The module's sources, as kmod/kmod.mk's sparse check copies them. Build
# products are left out of the copy (and kept in it: kbuild stays incremental).
DEBUG_KMOD_SOURCES := Kbuild kmod core uapi
DEBUG_KMOD_PRODUCTS := '*.o' '*.ko' '*.mod' '*.mod.c' '.*.cmd' '.*.d' \
	modules.order Module.symvers

# The guest suite and what it needs built. Until tests/tests.mk has its guest
# runner, only the module smoke check.
DEBUG_GUEST_CMD ?= sh -c 'test -c /dev/rmach && echo "1..1" && echo "ok 1 /dev/rmach"'
DEBUG_GUEST_PREREQS ?=

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

# Every step records a result instead of stopping the target, so the summary
# always comes last and says what failed: the build, the suite, or the kernel.
check-debug: deps
	@rm -rf $(DEBUG_RESULTS) && mkdir -p $(DEBUG_RESULTS)
	@RESULTS=$(DEBUG_RESULTS) tests/run-suite --single debug-build -t 14400 -- \
		$(MAKE) --no-print-directory debug-kmod $(DEBUG_GUEST_PREREQS)
	@if [ -e $(DEBUG_KO) ]; then \
		RESULTS=$(DEBUG_RESULTS) tests/run-suite debug-guest \
			-t $$(($(DEBUG_VM_TIMEOUT) + 60)) -- \
			tools/vm/run --kernel "$$($(DEBUG_KERNEL_TOOL) --print-image)" \
				--modules none --module $(DEBUG_KO) \
				--timeout $(DEBUG_VM_TIMEOUT) --mem $(DEBUG_VM_MEM) \
				--log $(DEBUG_CONSOLE_LOG) --out $(DEBUG_GUEST_OUT) -- \
				tools/vm/debug-kernel-guest $(DEBUG_GUEST_CMD) && \
		RESULTS=$(DEBUG_RESULTS) tests/run-suite debug-kernel-log -- \
			tools/vm/debug-kernel-judge $(DEBUG_CONSOLE_LOG) $(DEBUG_GUEST_OUT); \
	fi
	@tests/tap-summary $(DEBUG_RESULTS)
