# core/ rules, included by the top-level Makefile (see its header for the variables
# a component adds to).
#
# Exported for other components:
#   CORE_SRCS  the portable .c files (kmod builds them through kbuild, the
#              firmware through arm-none-eabi-gcc)
#   CORE_INC   the public include directory (rmach_core.h)
#   CORE_LIB   host static library (vmrt, tools)
#   CORE_SAN_LIB  the same built with ASan + UBSan (host tests)

CORE_INC := $(TOP)/core/include
CORE_SRCS := $(addprefix $(TOP)/core/,api.c msg.c notify.c port.c ret.c \
	right.c space.c sys.c table.c waitq.c)
CORE_HDRS := $(CORE_INC)/rmach_core.h $(TOP)/core/internal.h
CORE_BUILD := $(BUILD)/core
CORE_LIB := $(CORE_BUILD)/libcore.a
CORE_SAN_LIB := $(CORE_BUILD)/libcore-san.a

# The kernel's rules for portable code: no mixed declarations, prototypes for
# everything exported.
CORE_CFLAGS := -std=c11 $(WARN_CFLAGS) -Wdeclaration-after-statement \
	-Wmissing-prototypes -Wstrict-prototypes -Wvla -Wimplicit-fallthrough=5 \
	-I$(CORE_INC)

CORE_OBJS := $(patsubst $(TOP)/core/%.c,$(CORE_BUILD)/obj/%.o,$(CORE_SRCS))
CORE_SAN_OBJS := $(patsubst $(TOP)/core/%.c,$(CORE_BUILD)/san/%.o,$(CORE_SRCS))

$(CORE_BUILD)/obj/%.o: $(TOP)/core/%.c $(CORE_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CORE_CFLAGS) -O2 -g -ffreestanding -c $< -o $@

$(CORE_BUILD)/san/%.o: $(TOP)/core/%.c $(CORE_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CORE_CFLAGS) -O1 -g $(SAN_CFLAGS) -c $< -o $@

$(CORE_LIB): $(CORE_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(CORE_SAN_LIB): $(CORE_SAN_OBJS)
	@rm -f $@
	ar rcs $@ $^

# ---- host tests ----
CORE_TEST_CFLAGS := $(USER_CFLAGS) -I$(CORE_INC) -I$(TOP)/tests
CORE_UNIT := $(CORE_BUILD)/core-unit
CORE_UNIT_SRCS := $(TOP)/tests/core/unit.c $(TOP)/tests/core/alloc_ops.c
CORE_UNIT_HDRS := $(TOP)/tests/core/alloc_ops.h $(TOP)/tests/tap.h

$(CORE_UNIT): $(CORE_UNIT_SRCS) $(CORE_UNIT_HDRS) $(CORE_SAN_LIB)
	$(CC) $(CORE_TEST_CFLAGS) -O1 $(SAN_CFLAGS) $(CORE_UNIT_SRCS) \
		$(CORE_SAN_LIB) -o $@

# libFuzzer target: clang only. Invariants and a reference model inside.
CORE_FUZZ := $(CORE_BUILD)/core-fuzz
CORE_FUZZ_SRCS := $(TOP)/tests/core/fuzz.c $(TOP)/tests/core/model.c \
	$(TOP)/tests/core/alloc_ops.c
CORE_FUZZ_CORPUS := $(TOP)/tests/core/corpus
FUZZ_SECONDS ?= 300
CORE_FUZZ_FLAGS := -std=c11 $(WARN_CFLAGS) -O1 -g -I$(CORE_INC) \
	-I$(TOP)/core -I$(TOP)/tests -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all

$(CORE_FUZZ): $(CORE_FUZZ_SRCS) $(CORE_SRCS) $(CORE_HDRS) \
		$(TOP)/tests/core/model.h $(TOP)/tests/core/alloc_ops.h
	@mkdir -p $(dir $@)
	clang $(CORE_FUZZ_FLAGS) $(CORE_FUZZ_SRCS) $(CORE_SRCS) -o $@

# Real threads through the waiter protocol, under ThreadSanitizer.
CORE_THREADS := $(CORE_BUILD)/core-threads
$(CORE_THREADS): $(TOP)/tests/core/threads.c $(CORE_SRCS) $(CORE_HDRS)
	@mkdir -p $(dir $@)
	clang -std=c11 -D_GNU_SOURCE $(WARN_CFLAGS) -O1 -g -fsanitize=thread \
		-I$(CORE_INC) $< $(CORE_SRCS) -o $@ -lpthread

CORE_BENCH := $(CORE_BUILD)/core-bench
$(CORE_BENCH): $(TOP)/tests/core/bench.c $(CORE_LIB)
	$(CC) $(CORE_TEST_CFLAGS) -I$(TOP)/core -O2 $< $(CORE_LIB) -o $@

.PHONY: check-core-freestanding check-core-unit check-core-threads \
	check-core-fuzz-short fuzz bench-core
check-core-freestanding:
	@tests/run-suite core-freestanding -- tests/core/freestanding.sh \
		$(CORE_BUILD)/fs $(CORE_SRCS)

check-core-unit: $(CORE_UNIT)
	@tests/run-suite core-unit -- $(CORE_UNIT)

check-core-threads: $(CORE_THREADS)
	@tests/run-suite core-threads -t 300 -- $(CORE_THREADS)

# ~20 s over the committed corpus; a crash or invariant failure is a failed
# test (the reproducer lands in $(CORE_BUILD)/fuzz-artifacts/).
check-core-fuzz-short: $(CORE_FUZZ)
	@tests/run-suite core-fuzz-short -t 120 -- tests/core/fuzz-run.sh \
		$(CORE_FUZZ) $(CORE_FUZZ_CORPUS) $(CORE_BUILD) 20

fuzz: $(CORE_FUZZ)
	tests/core/fuzz-run.sh $(CORE_FUZZ) $(CORE_FUZZ_CORPUS) $(CORE_BUILD) \
		$(FUZZ_SECONDS)

bench-core: $(CORE_BENCH)
	$(CORE_BENCH)
	@tests/core/codesize.sh $(CORE_BUILD)/size $(CORE_SRCS)

ALL_TARGETS += $(CORE_LIB)
HOST_CHECKS += check-core-freestanding check-core-unit check-core-threads \
	check-core-fuzz-short
BENCHES += bench-core
