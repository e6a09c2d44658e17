# libmach/ rules, included by the top-level Makefile (see its header for the variables
# a component adds to).
#
# libmach: static and shared library, pkg-config file, examples, install.
# For other components:
#   LIBMACH_A       the static library to link
#   LIBMACH_CFLAGS  include flags for <mach/mach.h> and <linux/rmach.h>
#   LIBMACH_LIBS    what linking it needs besides itself

LIBMACH_VERSION := 0.1.0
LIBMACH_SOVERSION := 0
LIBMACH_OUT := $(BUILD)/libmach
LIBMACH_A := $(LIBMACH_OUT)/libmach.a
LIBMACH_SO := $(LIBMACH_OUT)/libmach.so
LIBMACH_SONAME := libmach.so.$(LIBMACH_SOVERSION)
LIBMACH_PC := $(LIBMACH_OUT)/libmach.pc
LIBMACH_CFLAGS := -I$(TOP)/libmach/include -I$(TOP)/uapi
LIBMACH_LIBS := -pthread
# <mach/ring.h> (src/ring.c) needs liburing: only programs that use it link
# -luring; cross builds and the host test leave it out.
LIBMACH_RING_LIBS := -luring

LIBMACH_RING_SRC := libmach/src/ring.c
LIBMACH_SRCS := $(filter-out $(LIBMACH_RING_SRC),$(wildcard libmach/src/*.c))
LIBMACH_OBJS := $(patsubst libmach/src/%.c,$(LIBMACH_OUT)/obj/%.o,\
	$(LIBMACH_SRCS) $(LIBMACH_RING_SRC))
LIBMACH_HEADERS := $(wildcard libmach/include/mach/*.h)

LIBMACH_EXAMPLES := echo-server echo-client pingpong
LIBMACH_EXAMPLE_BINS := $(addprefix $(LIBMACH_OUT)/examples/,$(LIBMACH_EXAMPLES))

ALL_TARGETS += $(LIBMACH_A) $(LIBMACH_SO) $(LIBMACH_PC) $(LIBMACH_EXAMPLE_BINS)
HOST_CHECKS += check-libmach
INSTALL_TARGETS += install-libmach
UNINSTALL_TARGETS += uninstall-libmach

LIBMACH_BUILD_CFLAGS := $(USER_CFLAGS) -fPIC -fvisibility=default \
	$(LIBMACH_CFLAGS) -Ilibmach/src

$(LIBMACH_OUT)/obj/%.o: libmach/src/%.c
	@mkdir -p $(@D)
	$(CC) $(LIBMACH_BUILD_CFLAGS) -MMD -MP -c -o $@ $<

-include $(LIBMACH_OBJS:.o=.d)

$(LIBMACH_A): $(LIBMACH_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

$(LIBMACH_SO): $(LIBMACH_OBJS)
	$(CC) -shared -Wl,-soname,$(LIBMACH_SONAME) -o $(LIBMACH_OUT)/$(LIBMACH_SONAME) \
		$^ $(LIBMACH_LIBS) $(LIBMACH_RING_LIBS)
	ln -sf $(LIBMACH_SONAME) $@

$(LIBMACH_PC): libmach/libmach.pc.in libmach/libmach.mk
	@mkdir -p $(@D)
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(LIBMACH_VERSION)|' $< > $@

# Examples link the static library so they run from the build tree (and in
# the guest) without LD_LIBRARY_PATH.
$(LIBMACH_OUT)/examples/%: libmach/examples/%.c $(LIBMACH_A) $(LIBMACH_HEADERS)
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) $(LIBMACH_CFLAGS) -o $@ $< $(LIBMACH_A) $(LIBMACH_LIBS)

# Host checks of what needs no module: error strings, argument checks, a
# missing or foreign device, under ASan+UBSan.
LIBMACH_HOSTTEST := $(LIBMACH_OUT)/tests/hosttest
$(LIBMACH_HOSTTEST): libmach/tests/hosttest.c $(LIBMACH_SRCS) $(LIBMACH_HEADERS)
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) $(SAN_CFLAGS) $(LIBMACH_CFLAGS) -Ilibmach/src -o $@ \
		libmach/tests/hosttest.c $(LIBMACH_SRCS) $(LIBMACH_LIBS)

.PHONY: check-libmach install-libmach uninstall-libmach
check-libmach: $(LIBMACH_HOSTTEST)
	@RESULTS=$(RESULTS) tests/run-suite libmach-host -- $(LIBMACH_HOSTTEST)

LIBMACH_INCDIR := $(DESTDIR)$(PREFIX)/include
LIBMACH_LIBDIR := $(DESTDIR)$(PREFIX)/lib
install-libmach: $(LIBMACH_A) $(LIBMACH_SO) $(LIBMACH_PC)
	install -d $(LIBMACH_INCDIR)/mach $(LIBMACH_INCDIR)/linux \
		$(LIBMACH_LIBDIR)/pkgconfig
	install -m 644 $(LIBMACH_HEADERS) $(LIBMACH_INCDIR)/mach/
	install -m 644 uapi/linux/rmach.h $(LIBMACH_INCDIR)/linux/
	install -m 644 $(LIBMACH_A) $(LIBMACH_LIBDIR)/
	install -m 755 $(LIBMACH_OUT)/$(LIBMACH_SONAME) $(LIBMACH_LIBDIR)/
	ln -sf $(LIBMACH_SONAME) $(LIBMACH_LIBDIR)/libmach.so
	install -m 644 $(LIBMACH_PC) $(LIBMACH_LIBDIR)/pkgconfig/

uninstall-libmach:
	rm -f $(addprefix $(LIBMACH_INCDIR)/mach/,$(notdir $(LIBMACH_HEADERS)))
	-rmdir $(LIBMACH_INCDIR)/mach
	rm -f $(LIBMACH_INCDIR)/linux/rmach.h
	rm -f $(LIBMACH_LIBDIR)/libmach.a $(LIBMACH_LIBDIR)/libmach.so \
		$(LIBMACH_LIBDIR)/$(LIBMACH_SONAME) $(LIBMACH_LIBDIR)/pkgconfig/libmach.pc
