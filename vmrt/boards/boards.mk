# Bare-metal boards (vmrt/boards/), included by the top-level Makefile.
#
#   make bare        firmware for every board under $(BUILD)/bare/<board>/
#   make footprint   RAM and flash figures of the firmware
#
# Every board is ARMv6-M and is built with the same flags; a board adds only its
# directory (board.c, <board>.ld) to the shared vmrt/boards/common code.

BARE_CC := arm-none-eabi-gcc
BARE := $(BUILD)/bare
BOARDS_DIR := vmrt/boards
BARE_BOARDS := microbit lm3s6965 rp2040
BARE_QEMU_BOARDS := microbit lm3s6965

BARE_CFLAGS := -mcpu=cortex-m0plus -mthumb -Os -ffreestanding -std=c11 \
	$(WARN_CFLAGS) -g -ffunction-sections -fdata-sections \
	-I$(BOARDS_DIR)/common -MMD -MP
BARE_LDFLAGS := -mcpu=cortex-m0plus -mthumb -nostdlib -Wl,--gc-sections \
	-L$(BOARDS_DIR)/common
BARE_LIBS := -lgcc

BOARD_COMMON_SRCS := startup.c console.c systick.c
board_srcs = $(addprefix $(BOARDS_DIR)/common/,$(BOARD_COMMON_SRCS) $(BOARD_EXTRA_$(1))) \
	$(wildcard $(BOARDS_DIR)/$(1)/*.c $(BOARDS_DIR)/$(1)/*.S)
BOARD_EXTRA_microbit := semihost.c
BOARD_EXTRA_lm3s6965 := semihost.c pl011.c
BOARD_EXTRA_rp2040 := pl011.c

# Objects of shared sources are built once; the flags are the same for all boards.
bare_obj = $(patsubst %,$(BARE)/obj/%.o,$(basename $(1)))

# Objects depend on this file too: it holds their flags.
$(BARE)/obj/%.o: %.c $(BOARDS_DIR)/boards.mk
	@mkdir -p $(@D)
	$(BARE_CC) $(BARE_CFLAGS) -c $< -o $@

$(BARE)/obj/%.o: %.S $(BOARDS_DIR)/boards.mk
	@mkdir -p $(@D)
	$(BARE_CC) $(BARE_CFLAGS) -c $< -o $@

# $(1) board, $(2) program name, $(3) program sources, $(4) the list it joins
define bare_program
$(BARE)/$(1)/$(2).elf: $(call bare_obj,$(3) $(call board_srcs,$(1))) \
		$(BOARDS_DIR)/$(1)/$(1).ld $(BOARDS_DIR)/common/common.ld
	@mkdir -p $$(@D)
	$(BARE_CC) $(BARE_LDFLAGS) -T $(BOARDS_DIR)/$(1)/$(1).ld \
		-Wl,-Map=$$(@:.elf=.map) -o $$@ $$(filter %.o,$$^) $(BARE_LIBS)
$(4) += $(BARE)/$(1)/$(2).elf
endef

BARE_FIRMWARE :=
$(foreach b,$(BARE_BOARDS),$(eval $(call bare_program,$(b),hello,tests/bare/hello.c,BARE_FIRMWARE)))
$(foreach b,$(BARE_QEMU_BOARDS),$(eval $(call bare_program,$(b),overflow,tests/bare/overflow.c,BARE_FIRMWARE)))

# ---- the rMach firmware: core/ and vmrt/ as they are, plus the board runtime --
# vmrt's portable part (not the assembler: images are assembled on the host).
BARE_VM_SRCS = $(patsubst $(TOP)/%,%,$(CORE_SRCS) $(VMRT_PORTABLE_SRCS))
BARE_RT_SRCS := $(addprefix $(BOARDS_DIR)/common/,vm_platform.c heap.c libc.c \
	shortest.c)
$(BARE)/obj/core/%.o $(BARE)/obj/vmrt/%.o $(BARE)/obj/tests/bare/%.o: \
	BARE_CFLAGS += -Icore/include -Ivmrt $(BARE_CORE_CONFIG)
# Build-time knobs sized for kilobytes: core/'s small message cache and name
# tables that start at 4 entries; vmrt's recursive walks of nested values
# (print, compare, messages: up to 112 bytes of C stack a level) stop at 12;
# the SysTick ends slices too (vmrt/platform.h); no instruction-counting twin
# of the interpreter (--stats); the run queue's find-first-set is the de Bruijn
# multiply, not GCC's ctz (a libgcc call on ARMv6-M, which has no CTZ/CLZ).
BARE_CORE_CONFIG := -DRMC_MSG_CACHE_COUNT=4 -DRMC_MSG_CACHE_BODY=64 \
	-DRMC_MSG_CACHE_DESC=2 -DRMC_TABLE_INIT=4 -DVM_MAX_NESTING=12 \
	-DVM_TICK_PREEMPT -DVM_NO_COUNTING -DVM_PORTABLE_FFS
# GCC must not turn the string.h loops back into calls to themselves.
$(BARE)/obj/$(BOARDS_DIR)/common/libc.o: BARE_CFLAGS += -fno-tree-loop-distribute-patterns

# Image tables linked into a firmware: none (the UART loader firmware), or
# images assembled on the host by rmach-vm.
$(BARE)/images/none.S: $(BOARDS_DIR)/link-images
	@mkdir -p $(@D)
	$(BOARDS_DIR)/link-images > $@
$(BARE)/images/%.img: tests/bare/%.rasm $(VMRT_BIN)
	@mkdir -p $(@D)
	$(VMRT_BIN) asm $< -o $@
$(BARE)/images/%.S: $(BARE)/images/%.img $(BOARDS_DIR)/link-images
	$(BOARDS_DIR)/link-images $< > $@
$(BARE)/images/sched.S: $(BARE)/images/hog.img $(BARE)/images/sleeper.img
	$(BOARDS_DIR)/link-images $^ > $@
# The demo firmware links vmrt's ping-pong example in.
$(BARE)/images/pingpong.S: vmrt/examples/pong.rasm vmrt/examples/ping.rasm $(VMRT_BIN)
	@mkdir -p $(@D)
	cd vmrt/examples && $(VMRT_BIN) asm pong.rasm -o $(BARE)/images/pong.img && \
		$(VMRT_BIN) asm ping.rasm -o $(BARE)/images/ping.img
	$(BOARDS_DIR)/link-images $(BARE)/images/pong.img $(BARE)/images/ping.img > $@
.SECONDARY: $(BARE)/images/hog.img $(BARE)/images/sleeper.img
$(BARE)/obj/images/%.o: $(BARE)/images/%.S
	@mkdir -p $(@D)
	$(BARE_CC) $(BARE_CFLAGS) -c $< -o $@

# $(1) board, $(2) firmware name, $(3) image table, $(4) main's source
define bare_firmware
$(BARE)/$(1)/$(2).elf: $(call bare_obj,$(4) $(BARE_VM_SRCS) $(BARE_RT_SRCS) \
		$(call board_srcs,$(1))) $(BARE)/obj/images/$(3).o \
		$(BOARDS_DIR)/$(1)/$(1).ld $(BOARDS_DIR)/common/common.ld
	@mkdir -p $$(@D)
	$(BARE_CC) $(BARE_LDFLAGS) -T $(BOARDS_DIR)/$(1)/$(1).ld \
		-Wl,-Map=$$(@:.elf=.map) -o $$@ $$(filter %.o,$$^) $(BARE_LIBS)
BARE_VM_FIRMWARE += $(BARE)/$(1)/$(2).elf
endef

BARE_VM_FIRMWARE :=
$(foreach b,$(BARE_BOARDS),$(eval $(call bare_firmware,$(b),rmach,none,$(BOARDS_DIR)/common/firmware.c)))
$(foreach b,$(BARE_BOARDS),$(eval $(call bare_firmware,$(b),rmach-demo,pingpong,$(BOARDS_DIR)/common/firmware.c)))
# RAM figures of the runtime (make footprint).
$(eval $(call bare_firmware,microbit,vm-footprint,footprint,tests/bare/vm-footprint.c))
# SysTick preemption and wfi idle, shown on a CPU hog and a sleeper.
$(eval $(call bare_firmware,microbit,sched,sched,tests/bare/sched.c))

# RAM of core/ alone, measured on the micro:bit.
$(eval $(call bare_program,microbit,core-footprint,tests/bare/core-footprint.c \
	$(patsubst $(TOP)/%,%,$(CORE_SRCS)) $(BOARDS_DIR)/common/heap.c $(BOARDS_DIR)/common/libc.c,BARE_VM_FIRMWARE))

# The firmware with vmrt is built by `make bare` and the bare-build suite, not
# by `make` (see bare-build).
.PHONY: bare-firmware footprint
bare-firmware: $(BARE_VM_FIRMWARE) $(BARE)/rp2040/rmach.uf2 $(BARE)/rp2040/rmach-demo.uf2

footprint: $(BARE)/microbit/rmach.elf $(BARE)/microbit/vm-footprint.elf \
		$(BARE)/microbit/core-footprint.elf
	@echo "== rMach firmware for the micro:bit: flash and static RAM (link map)"
	@python3 $(BOARDS_DIR)/footprint.py $(BARE)/microbit/rmach.map
	@echo "== RAM in use, measured on the micro:bit under QEMU"
	@tests/bare/qemu-run microbit $(BARE)/microbit/vm-footprint.elf </dev/null
	@echo "== core/ alone"
	@tests/bare/qemu-run microbit $(BARE)/microbit/core-footprint.elf </dev/null

-include $(shell find $(BARE)/obj -name '*.d' 2>/dev/null)

.PHONY: bare bare-boards bare-microbit-smoke bare-lm3s-smoke bare-rp2040-uf2
bare: bare-boards bare-firmware
bare-boards: $(BARE_FIRMWARE) $(BARE)/rp2040/hello.uf2

# The file a user drags onto the Pico's RPI-RP2 drive.
$(BARE)/%.uf2: $(BARE)/%.elf tools/uf2/uf2.py
	python3 tools/uf2/uf2.py pack $< $@

# Cross-built only where the cross compiler is installed (make deps installs it).
ifneq ($(shell command -v $(BARE_CC) 2>/dev/null),)
ALL_TARGETS += bare-boards
endif

bare-microbit-smoke: $(BARE)/microbit/hello.elf $(BARE)/microbit/overflow.elf
	@RESULTS=$(RESULTS) tests/run-suite $@ -t 120 -- tests/bare/smoke microbit $(BARE)/microbit

bare-lm3s-smoke: $(BARE)/lm3s6965/hello.elf $(BARE)/lm3s6965/overflow.elf
	@RESULTS=$(RESULTS) tests/run-suite $@ -t 120 -- tests/bare/smoke lm3s6965 $(BARE)/lm3s6965

# The firmware that needs vmrt is built once, as a test of its own: a vmrt
# change that breaks the cross build fails `bare-build` (and the suites that
# need its output), not everybody's `make`; and parallel suites never race on
# the same objects (the board objects are this make's, made first).
.PHONY: bare-build
bare-build: bare-boards
	@RESULTS=$(RESULTS) tests/run-suite --single $@ -t 900 -- \
		$(MAKE) -s --no-print-directory bare $(BARE)/images/hog.img $(BARE)/images/sleeper.img

BARE_RP2040_IMAGES := hello rmach rmach-demo
bare-rp2040-uf2: bare-build
	@RESULTS=$(RESULTS) tests/run-suite $@ -t 120 -- tests/bare/uf2-test \
		$(foreach i,$(BARE_RP2040_IMAGES),$(BARE)/rp2040/$(i).elf $(BARE)/rp2040/$(i).uf2)

# The board heap is plain C: tested on the host, under the sanitizers.
$(BARE)/heap-test: tests/bare/heap-test.c $(BOARDS_DIR)/common/heap.c $(BOARDS_DIR)/common/heap.h
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) $(SAN_CFLAGS) -I$(BOARDS_DIR)/common -o $@ $(filter %.c,$^)

.PHONY: bare-heap
bare-heap: $(BARE)/heap-test
	@RESULTS=$(RESULTS) tests/run-suite $@ -t 60 -- $<

# So is the libc-free float formatting, checked against the host's printf.
$(BARE)/shortest-test: tests/bare/shortest-test.c $(BOARDS_DIR)/common/shortest.c
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) $(SAN_CFLAGS) -Ivmrt -o $@ $(filter %.c,$^)

.PHONY: bare-shortest
bare-shortest: $(BARE)/shortest-test
	@RESULTS=$(RESULTS) tests/run-suite $@ -t 120 -- $<

# vmrt's conformance corpus on the micro:bit firmware (16 KB of RAM), and on
# the lm3s6965 (64 KB, the PL011 loader path).
.PHONY: bare-conformance bare-conformance-lm3s
bare-conformance: bare-build
	@RESULTS=$(RESULTS) tests/run-suite $@ -t 600 -- tests/bare/conformance \
		microbit $(BARE)/microbit/rmach.elf $(VMRT_BIN) tests/vmrt/conf

bare-conformance-lm3s: bare-build
	@RESULTS=$(RESULTS) tests/run-suite $@ -t 600 -- tests/bare/conformance \
		lm3s6965 $(BARE)/lm3s6965/rmach.elf $(VMRT_BIN) tests/vmrt/conf

# Images linked into the firmware run at boot, before the UART loader.
.PHONY: bare-linked
bare-linked: bare-build
	@RESULTS=$(RESULTS) tests/run-suite --single $@ -t 120 -- sh -c \
		'$(BOARDS_DIR)/send-image --exit | tests/bare/qemu-run microbit \
		$(BARE)/microbit/rmach-demo.elf 60 | cmp - vmrt/examples/pingpong.out'

# The UART loader: one program after another, corrupted frames refused.
.PHONY: bare-loader
bare-loader: bare-build
	@RESULTS=$(RESULTS) tests/run-suite $@ -t 300 -- tests/bare/loader-test \
		microbit $(BARE)/microbit/rmach.elf $(BARE)/images/sleeper.img \
		$(BARE)/images/hog.img

.PHONY: bare-sched
bare-sched: bare-build
	@RESULTS=$(RESULTS) tests/run-suite $@ -t 300 -- \
		tests/bare/qemu-run microbit $(BARE)/microbit/sched.elf 200 </dev/null

HOST_CHECKS += bare-build bare-conformance bare-conformance-lm3s bare-sched bare-linked bare-loader
HOST_CHECKS += bare-microbit-smoke bare-lm3s-smoke bare-rp2040-uf2 bare-heap \
	bare-shortest
