# Shared settings for every component's .mk file.

TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/..)
BUILD ?= $(TOP)/build
RESULTS ?= $(BUILD)/results

# The kernel the module is built for and the guest boots: Debian's
# linux-headers-amd64 / linux-image-amd64, never `uname -r` of the build host.
KVER ?= $(shell tools/kver.sh)
KDIR ?= /lib/modules/$(KVER)/build
KIMAGE ?= /boot/vmlinuz-$(KVER)

CC ?= cc
# Userspace code: C11, warnings are errors.
WARN_CFLAGS := -Wall -Wextra -Werror
USER_CFLAGS := -std=c11 $(WARN_CFLAGS) -O2 -g -D_GNU_SOURCE
# Tests run under ASan + UBSan.
SAN_CFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all
# core/ is freestanding: no libc, no kernel headers.
FREESTANDING_CFLAGS := -std=c11 $(WARN_CFLAGS) -ffreestanding -fno-builtin \
	-Os -g

PREFIX ?= /usr/local
DESTDIR ?=

# kselftest_harness.h is extracted from Debian's linux-source-6.1 tarball at build
# time (never copied into the repo).
KSELFTEST_DIR := $(BUILD)/kselftest
KSELFTEST_HARNESS := $(KSELFTEST_DIR)/kselftest_harness.h
