/* SPDX-License-Identifier: MIT */
/*
 * mach/bootstrap.h - the kernel's name registry, bootstrap-style.
 *
 * Names are 1..63 characters of [A-Za-z0-9._:/-]. An entry belongs to the
 * uid that registered it: only that uid or root may replace or remove it.
 */
#ifndef LIBMACH_BOOTSTRAP_H
#define LIBMACH_BOOTSTRAP_H

#include <mach/port.h>

typedef char name_t[RMACH_KEY_MAX];

/* The registry; the only value bootstrap_* accept as bp. */
#define MACH_BOOTSTRAP_PORT	((mach_port_t)0xFFFFFFFDu)
#define bootstrap_port		MACH_BOOTSTRAP_PORT

/*
 * Registers a send right for port (made from a receive right, or copied
 * from a send right) under name. BOOTSTRAP_NAME_IN_USE if taken.
 */
kern_return_t bootstrap_register(mach_port_t bp, const char *name,
				 mach_port_t port);
/* The same, replacing an entry this uid owns (root: any entry). */
kern_return_t bootstrap_register_replace(mach_port_t bp, const char *name,
					 mach_port_t port);
/* A new send right (*port) for the service, or BOOTSTRAP_UNKNOWN_SERVICE. */
kern_return_t bootstrap_look_up(mach_port_t bp, const char *name,
				mach_port_t *port);
kern_return_t bootstrap_unregister(mach_port_t bp, const char *name);

#endif /* LIBMACH_BOOTSTRAP_H */
