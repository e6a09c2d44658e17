/* SPDX-License-Identifier: MIT */
/* internal.h - shared by libmach's sources; not installed. */
#ifndef LIBMACH_INTERNAL_H
#define LIBMACH_INTERNAL_H

#include <mach/mach.h>

/*
 * The space's fd for task (which must be mach_task_self()), opening it on
 * first use. Returns the fd, or -1 with *kr set.
 */
int lm_space_fd(ipc_space_t task, kern_return_t *kr);

/* ioctl on the space; returns KERN_SUCCESS or the code map() gives errno. */
kern_return_t lm_ioctl(ipc_space_t task, unsigned long cmd, void *arg,
		       kern_return_t (*map)(int err));

/* errno -> Mach code, for name/right calls and for each mach_msg phase. */
kern_return_t lm_port_errno(int err);
kern_return_t lm_value_errno(int err);	/* EINVAL means KERN_INVALID_VALUE */
kern_return_t lm_send_errno(int err, unsigned int status);
kern_return_t lm_rcv_errno(int err);

#endif /* LIBMACH_INTERNAL_H */
