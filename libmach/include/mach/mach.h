/* SPDX-License-Identifier: MIT */
/*
 * mach/mach.h - libmach: Mach ports on Linux through /dev/rmach.
 *
 *   #include <mach/mach.h>       cc app.c $(pkg-config --cflags --libs libmach)
 *
 * Every call returns a Mach-style code (mach/kern_return.h) and leaves the
 * kernel's errno in errno when it fails. Thread-safe. The first call opens
 * the process's space and checks the module's ABI version: a missing module
 * gives RMACH_ERR_NO_DEVICE, a different ABI RMACH_ERR_ABI_MISMATCH, and
 * rmach_strerror() says what to do.
 */
#ifndef LIBMACH_MACH_H
#define LIBMACH_MACH_H

#include <mach/kern_return.h>
#include <mach/port.h>
#include <mach/message.h>
#include <mach/bootstrap.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Opens the space now (optional: any call does it). */
kern_return_t rmach_init(void);
/* The space's fd, for poll()/epoll (see rmach_poll_port), or -1. */
int rmach_fd(void);
/* What poll() on rmach_fd() reports on: a port or a port set. */
kern_return_t rmach_poll_port(mach_port_name_t name);
/* The module's version and limits. */
kern_return_t rmach_version(struct rmach_version *out);
/* This space's counters. */
kern_return_t rmach_space_stats(struct rmach_space_stats *out);

#ifdef __cplusplus
}
#endif

#endif /* LIBMACH_MACH_H */
