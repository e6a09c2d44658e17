// SPDX-License-Identifier: MIT
/*
 * error.c - the kernel's errno to Mach codes (the table in
 * <linux/rmach.h> read backwards), and a sentence for every code.
 */
#include <errno.h>
#include <stdio.h>
#include "internal.h"

extern unsigned int lm_module_abi;

kern_return_t lm_port_errno(int err)
{
	switch (err) {
	case ENOENT:	return KERN_INVALID_NAME;
	case EPERM:	return KERN_INVALID_RIGHT;
	case EINVAL:	return KERN_INVALID_ARGUMENT;
	case EEXIST:	return KERN_NAME_EXISTS;
	case EACCES:	return KERN_NO_ACCESS;
	case EOVERFLOW:	return KERN_UREFS_OVERFLOW;
	case EPIPE:	return KERN_INVALID_CAPABILITY;
	case ENOSPC:	return KERN_NO_SPACE;
	case ENOBUFS:
	case EDQUOT:
	case ENOMEM:	return KERN_RESOURCE_SHORTAGE;
	case ESRCH:	return KERN_NOT_IN_SET;
	case EFAULT:	return KERN_INVALID_ADDRESS;
	case EBADFD:	return KERN_INVALID_TASK;
	case ENOTTY:	return KERN_NOT_SUPPORTED;
	default:	return KERN_FAILURE;
	}
}

kern_return_t lm_value_errno(int err)
{
	return err == EINVAL ? KERN_INVALID_VALUE : lm_port_errno(err);
}

kern_return_t lm_send_errno(int err, unsigned int status)
{
	switch (err) {
	case ENOENT:
	case EPERM:
		if (status & RMACH_MSG_ERR_REPLY)
			return MACH_SEND_INVALID_REPLY;
		if (status & RMACH_MSG_ERR_DESC)
			return MACH_SEND_INVALID_RIGHT;
		return MACH_SEND_INVALID_DEST;
	case EPIPE:	return MACH_SEND_INVALID_DEST;
	case EOVERFLOW:	return MACH_SEND_INVALID_RIGHT;
	case EINVAL:	return MACH_SEND_INVALID_HEADER;
	case EMSGSIZE:	return MACH_SEND_TOO_LARGE;
	case EAGAIN:
	case ETIMEDOUT:	return MACH_SEND_TIMED_OUT;
	case EINTR:	return MACH_SEND_INTERRUPTED;
	case ENOSPC:
	case ENOBUFS:
	case EDQUOT:
	case ENOMEM:	return MACH_SEND_NO_BUFFER;
	case EFAULT:	return MACH_SEND_INVALID_DATA;
	case EBADFD:	return KERN_INVALID_TASK;
	default:	return KERN_FAILURE;
	}
}

kern_return_t lm_rcv_errno(int err)
{
	switch (err) {
	case ENOENT:
	case EPERM:
	case EINVAL:	return MACH_RCV_INVALID_NAME;
	case EPIPE:	return MACH_RCV_PORT_DIED;
	case ESTALE:	return MACH_RCV_PORT_CHANGED;
	case EMSGSIZE:	return MACH_RCV_TOO_LARGE;
	case EAGAIN:
	case ETIMEDOUT:	return MACH_RCV_TIMED_OUT;
	case EINTR:	return MACH_RCV_INTERRUPTED;
	case EFAULT:	return MACH_RCV_INVALID_DATA;
	case ENOSPC:
	case ENOMEM:	return MACH_RCV_HEADER_ERROR;
	case EBADFD:	return KERN_INVALID_TASK;
	default:	return KERN_FAILURE;
	}
}

struct lm_code {
	kern_return_t kr;
	const char *name;
	const char *text;
};

static const struct lm_code lm_codes[] = {
	{ KERN_SUCCESS, "KERN_SUCCESS", "success" },
	{ KERN_INVALID_ADDRESS, "KERN_INVALID_ADDRESS", "bad address" },
	{ KERN_PROTECTION_FAILURE, "KERN_PROTECTION_FAILURE", "protection failure" },
	{ KERN_NO_SPACE, "KERN_NO_SPACE", "no room for another name or port in this space (see module parameters space_ports, max_names)" },
	{ KERN_INVALID_ARGUMENT, "KERN_INVALID_ARGUMENT", "invalid argument" },
	{ KERN_FAILURE, "KERN_FAILURE", "failure (see errno)" },
	{ KERN_RESOURCE_SHORTAGE, "KERN_RESOURCE_SHORTAGE", "out of memory or a per-space/per-user limit was reached" },
	{ KERN_NOT_RECEIVER, "KERN_NOT_RECEIVER", "not the receiver" },
	{ KERN_NO_ACCESS, "KERN_NO_ACCESS", "the registry entry belongs to another user" },
	{ KERN_NOT_IN_SET, "KERN_NOT_IN_SET", "the port is not in that port set" },
	{ KERN_NAME_EXISTS, "KERN_NAME_EXISTS", "the name is already in use" },
	{ KERN_ABORTED, "KERN_ABORTED", "aborted" },
	{ KERN_INVALID_NAME, "KERN_INVALID_NAME", "the name denotes no right in this space" },
	{ KERN_INVALID_TASK, "KERN_INVALID_TASK", "not this process's space (use mach_task_self(); after fork the child has its own)" },
	{ KERN_INVALID_RIGHT, "KERN_INVALID_RIGHT", "the name does not hold the right this needs" },
	{ KERN_INVALID_VALUE, "KERN_INVALID_VALUE", "invalid value" },
	{ KERN_UREFS_OVERFLOW, "KERN_UREFS_OVERFLOW", "user references would overflow (0..65535)" },
	{ KERN_INVALID_CAPABILITY, "KERN_INVALID_CAPABILITY", "the port is dead" },
	{ KERN_RIGHT_EXISTS, "KERN_RIGHT_EXISTS", "the port already has a name in this space" },
	{ KERN_NOT_SUPPORTED, "KERN_NOT_SUPPORTED", "not supported by this module" },
	{ KERN_OPERATION_TIMED_OUT, "KERN_OPERATION_TIMED_OUT", "timed out" },
	{ MACH_SEND_INVALID_DATA, "MACH_SEND_INVALID_DATA", "the message could not be read (bad address)" },
	{ MACH_SEND_INVALID_DEST, "MACH_SEND_INVALID_DEST", "invalid destination (no such name, no send right, or the port is dead)" },
	{ MACH_SEND_TIMED_OUT, "MACH_SEND_TIMED_OUT", "the destination queue stayed full until the timeout" },
	{ MACH_SEND_INTERRUPTED, "MACH_SEND_INTERRUPTED", "interrupted by a signal before sending" },
	{ MACH_SEND_MSG_TOO_SMALL, "MACH_SEND_MSG_TOO_SMALL", "message smaller than its header" },
	{ MACH_SEND_INVALID_REPLY, "MACH_SEND_INVALID_REPLY", "invalid reply port" },
	{ MACH_SEND_INVALID_RIGHT, "MACH_SEND_INVALID_RIGHT", "invalid port right in a descriptor" },
	{ MACH_SEND_NO_BUFFER, "MACH_SEND_NO_BUFFER", "queued message limit of this space or user reached" },
	{ MACH_SEND_TOO_LARGE, "MACH_SEND_TOO_LARGE", "message larger than the module's max_msg_size" },
	{ MACH_SEND_INVALID_HEADER, "MACH_SEND_INVALID_HEADER", "malformed message header" },
	{ MACH_RCV_INVALID_NAME, "MACH_RCV_INVALID_NAME", "not a receive right or port set in this space" },
	{ MACH_RCV_TIMED_OUT, "MACH_RCV_TIMED_OUT", "no message before the timeout" },
	{ MACH_RCV_TOO_LARGE, "MACH_RCV_TOO_LARGE", "receive buffer too small; the message is still queued" },
	{ MACH_RCV_INTERRUPTED, "MACH_RCV_INTERRUPTED", "interrupted by a signal while waiting" },
	{ MACH_RCV_PORT_CHANGED, "MACH_RCV_PORT_CHANGED", "the port moved or joined a set while waiting" },
	{ MACH_RCV_INVALID_DATA, "MACH_RCV_INVALID_DATA", "the receive buffer could not be written; the message was destroyed" },
	{ MACH_RCV_PORT_DIED, "MACH_RCV_PORT_DIED", "the port was destroyed while waiting" },
	{ MACH_RCV_HEADER_ERROR, "MACH_RCV_HEADER_ERROR", "no room to name the received rights" },
	{ BOOTSTRAP_NOT_PRIVILEGED, "BOOTSTRAP_NOT_PRIVILEGED", "the service is registered by another user" },
	{ BOOTSTRAP_NAME_IN_USE, "BOOTSTRAP_NAME_IN_USE", "a service is already registered under that name" },
	{ BOOTSTRAP_UNKNOWN_SERVICE, "BOOTSTRAP_UNKNOWN_SERVICE", "no such service (or it died)" },
	{ BOOTSTRAP_BAD_COUNT, "BOOTSTRAP_BAD_COUNT", "registry full (for this user or in all)" },
	{ BOOTSTRAP_NO_MEMORY, "BOOTSTRAP_NO_MEMORY", "out of memory" },
	{ RMACH_ERR_NO_DEVICE, "RMACH_ERR_NO_DEVICE", RMACH_DEVICE " does not exist: load the module (modprobe rmach)" },
	{ RMACH_ERR_NOT_RMACH, "RMACH_ERR_NOT_RMACH", RMACH_DEVICE " is not an rmach device (version ioctl failed)" },
	{ RMACH_ERR_ERRNO, "RMACH_ERR_ERRNO", "could not open " RMACH_DEVICE " (see errno)" },
};

static const struct lm_code *lm_find(kern_return_t kr)
{
	size_t i;

	for (i = 0; i < sizeof(lm_codes) / sizeof(lm_codes[0]); i++)
		if (lm_codes[i].kr == kr)
			return &lm_codes[i];
	return NULL;
}

const char *rmach_strerror(kern_return_t kr)
{
	static _Thread_local char buf[160];
	const struct lm_code *c;

	if (kr == RMACH_ERR_ABI_MISMATCH) {
		snprintf(buf, sizeof(buf),
			 "the rmach module speaks ABI %u but this libmach speaks ABI %u: install matching versions",
			 lm_module_abi, (unsigned int)RMACH_ABI_VERSION);
		return buf;
	}
	c = lm_find(kr);
	if (c)
		return c->text;
	snprintf(buf, sizeof(buf), "unknown code %#x", (unsigned int)kr);
	return buf;
}

const char *mach_error_string(kern_return_t kr)
{
	const struct lm_code *c = lm_find(kr);

	if (c)
		return c->name;
	if (kr == RMACH_ERR_ABI_MISMATCH)
		return "RMACH_ERR_ABI_MISMATCH";
	return "(unknown)";
}
