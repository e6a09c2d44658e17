# kmod/ rules, included by the top-level Makefile (see its header for the variables
# a component adds to).
#
# The module is built by kbuild against $(KDIR) (Debian's headers for $(KVER),
# never the build host's running kernel). kbuild is incremental, so the rule
# always runs it and lets kbuild decide what to rebuild.

KBUILD_MAKE := $(MAKE) -C $(KDIR) M=$(TOP)
RMACH_KO := kmod/rmach.ko

ALL_TARGETS += $(RMACH_KO)
HOST_CHECKS += check-kmod-sparse
INSTALL_TARGETS += install-kmod
UNINSTALL_TARGETS += uninstall-kmod
CLEAN_FILES += kmod/*.o kmod/.*.cmd kmod/*.mod kmod/*.mod.c kmod/rmach.ko \
	core/*.o core/.*.cmd modules.order Module.symvers .*.cmd kmod/.*.d core/.*.d kmod/probe/rmach_probe.h

.PHONY: $(RMACH_KO) check-kmod-sparse install-kmod uninstall-kmod kmod-clean

$(RMACH_KO):
	+$(KBUILD_MAKE) modules

kmod-clean:
	+$(KBUILD_MAKE) clean

# sparse (C=2 checks every file) and W=1 in a scratch copy of the sources, so
# the extra flags never force a rebuild of the real module. Any warning or
# error line fails the suite.
KMOD_SPARSE_DIR := $(BUILD)/kmod-sparse
check-kmod-sparse:
	@rm -rf $(KMOD_SPARSE_DIR) && mkdir -p $(KMOD_SPARSE_DIR)
	@cp -r Kbuild kmod core uapi $(KMOD_SPARSE_DIR)/
	@RESULTS=$(RESULTS) tests/run-suite --single kmod-sparse -- sh -c '\
		$(MAKE) --no-print-directory -C $(KDIR) M=$(KMOD_SPARSE_DIR) C=2 W=1 \
			modules > $(KMOD_SPARSE_DIR)/build.log 2>&1; rc=$$?; \
		cat $(KMOD_SPARSE_DIR)/build.log; \
		[ $$rc = 0 ] && ! grep -E "warning:|error:" $(KMOD_SPARSE_DIR)/build.log'

# Installs into /lib/modules/$(KVER)/extra (dkms.conf's place too), or under
# $(DESTDIR) for packaging (then depmod is left to the package). Never loads it.
KMOD_DEST := $(DESTDIR)/lib/modules/$(KVER)/extra
install-kmod: $(RMACH_KO)
	install -D -m 644 $(RMACH_KO) $(KMOD_DEST)/rmach.ko
	$(if $(DESTDIR),,depmod -a $(KVER))

uninstall-kmod:
	rm -f $(KMOD_DEST)/rmach.ko
	$(if $(DESTDIR),,depmod -a $(KVER))

# uapi/linux/rmach.h alone, C99/C11 x -m64/-m32: same sizes everywhere.
HOST_CHECKS += check-uapi-header
.PHONY: check-uapi-header
check-uapi-header:
	@RESULTS=$(RESULTS) tests/run-suite uapi-header -- \
		uapi/tests/check-header.sh $(BUILD)/uapi-header

# The ioctl and message tests again as 32-bit programs: the compat path
# (compat_ptr_ioctl with the same structures) must behave exactly as the
# 64-bit one. Run in the guest with the other GUEST_TESTS.
KTEST32_SRCS := tests/kernel/rmach_ioctl.c tests/kernel/rmach_msg.c
KTEST32_BINS := $(patsubst tests/kernel/%.c,$(BUILD)/tests/kernel32/%_m32,\
	$(KTEST32_SRCS))
GUEST_TESTS += $(KTEST32_BINS)

# Built with the i686 cross compiler (gcc-multilib conflicts with the cross
# compilers, tools/deps.sh) and linked statically: the guest's root is the
# host's, which has no i386 loader.
CC32 ?= i686-linux-gnu-gcc
$(BUILD)/tests/kernel32/%_m32: tests/kernel/%.c tests/kernel/rmach_test.h \
		$(KSELFTEST_HARNESS)
	@mkdir -p $(@D)
	$(CC32) -static $(KTEST_CFLAGS) -o $@ $<
