// SPDX-License-Identifier: MIT
/* bootstrap.c - the kernel's name registry through bootstrap-style calls. */
#include <errno.h>
#include <string.h>
#include "internal.h"

static kern_return_t lm_reg_errno(int err)
{
	switch (err) {
	case EEXIST:	return BOOTSTRAP_NAME_IN_USE;
	case EACCES:	return BOOTSTRAP_NOT_PRIVILEGED;
	case ENOENT:	return BOOTSTRAP_UNKNOWN_SERVICE;
	case EPIPE:	return BOOTSTRAP_UNKNOWN_SERVICE;	/* it died */
	case ENOSPC:
	case EDQUOT:	return BOOTSTRAP_BAD_COUNT;
	case ENOMEM:	return BOOTSTRAP_NO_MEMORY;
	default:	return lm_port_errno(err);
	}
}

/* Fills the key; KERN_INVALID_ARGUMENT if it does not fit. */
static kern_return_t lm_key(struct rmach_registry *r, mach_port_t bp,
			    const char *name)
{
	size_t len;

	if (bp != MACH_BOOTSTRAP_PORT || !name)
		return KERN_INVALID_ARGUMENT;
	len = strlen(name);
	if (len == 0 || len >= sizeof(r->key))
		return KERN_INVALID_ARGUMENT;
	memset(r, 0, sizeof(*r));
	memcpy(r->key, name, len);
	return KERN_SUCCESS;
}

static kern_return_t lm_register(mach_port_t bp, const char *name,
				 mach_port_t port, unsigned int flags)
{
	struct rmach_registry r;
	mach_port_type_t type;
	kern_return_t kr = lm_key(&r, bp, name);

	if (kr != KERN_SUCCESS)
		return kr;
	kr = mach_port_type(MACH_TASK_SELF, port, &type);
	if (kr != KERN_SUCCESS)
		return kr;
	r.name = port;
	/* A server registers its receive right: the registry gets a send. */
	r.disposition = (type & MACH_PORT_TYPE_RECEIVE) ?
		MACH_MSG_TYPE_MAKE_SEND : MACH_MSG_TYPE_COPY_SEND;
	r.flags = flags;
	return lm_ioctl(MACH_TASK_SELF, RMACH_IOC_REGISTER, &r, lm_reg_errno);
}

kern_return_t bootstrap_register(mach_port_t bp, const char *name,
				 mach_port_t port)
{
	return lm_register(bp, name, port, 0);
}

kern_return_t bootstrap_register_replace(mach_port_t bp, const char *name,
					 mach_port_t port)
{
	return lm_register(bp, name, port, RMACH_REG_REPLACE);
}

kern_return_t bootstrap_look_up(mach_port_t bp, const char *name,
				mach_port_t *port)
{
	struct rmach_registry r;
	kern_return_t kr = lm_key(&r, bp, name);

	if (kr != KERN_SUCCESS)
		return kr;
	if (!port)
		return KERN_INVALID_ARGUMENT;
	kr = lm_ioctl(MACH_TASK_SELF, RMACH_IOC_LOOK_UP, &r, lm_reg_errno);
	if (kr == KERN_SUCCESS)
		*port = r.name;
	return kr;
}

kern_return_t bootstrap_unregister(mach_port_t bp, const char *name)
{
	struct rmach_registry r;
	kern_return_t kr = lm_key(&r, bp, name);

	if (kr != KERN_SUCCESS)
		return kr;
	return lm_ioctl(MACH_TASK_SELF, RMACH_IOC_UNREGISTER, &r, lm_reg_errno);
}
