// SPDX-License-Identifier: MIT
/* msg.c - mach_msg(): one RMACH_IOC_MSG ioctl for send, receive or both. */
#include <errno.h>
#include <sys/ioctl.h>
#include "internal.h"

_Static_assert(sizeof(mach_msg_header_t) == sizeof(struct rmach_msg_header),
	       "mach_msg_header_t is the kernel's header");
_Static_assert(sizeof(mach_msg_port_descriptor_t) ==
	       sizeof(struct rmach_port_descriptor),
	       "mach_msg_port_descriptor_t is the kernel's descriptor");

#define LM_MSG_OPTIONS (MACH_SEND_MSG | MACH_RCV_MSG | MACH_SEND_TIMEOUT | \
			MACH_RCV_TIMEOUT | MACH_RCV_LARGE)

mach_msg_return_t mach_msg(mach_msg_header_t *msg, mach_msg_option_t option,
			   mach_msg_size_t send_size, mach_msg_size_t rcv_size,
			   mach_port_name_t rcv_name, mach_msg_timeout_t timeout,
			   mach_port_name_t notify)
{
	struct rmach_msg_args a = { 0 };
	kern_return_t kr;
	int fd, err;

	if (option & ~LM_MSG_OPTIONS || notify != MACH_PORT_NULL || !msg)
		return option & MACH_SEND_MSG ? MACH_SEND_INVALID_HEADER :
						MACH_RCV_INVALID_NAME;
	if (option & MACH_SEND_MSG) {
		if (send_size < sizeof(*msg))
			return MACH_SEND_MSG_TOO_SMALL;
		a.options |= RMACH_MSG_SEND;
		a.send_msg = (uintptr_t)msg;
		a.send_size = send_size;
		if (option & MACH_SEND_TIMEOUT) {
			a.options |= RMACH_MSG_SEND_TIMEOUT;
			a.send_timeout_ms = timeout;
		}
	}
	if (option & MACH_RCV_MSG) {
		if (rcv_size < sizeof(*msg))
			return MACH_RCV_TOO_LARGE;
		a.options |= RMACH_MSG_RCV;
		a.rcv_msg = (uintptr_t)msg;
		a.rcv_size = rcv_size;
		a.rcv_name = rcv_name;
		if (option & MACH_RCV_TIMEOUT) {
			a.options |= RMACH_MSG_RCV_TIMEOUT;
			a.rcv_timeout_ms = timeout;
		}
	}
	if (!a.options)
		return KERN_INVALID_ARGUMENT;
	fd = lm_space_fd(MACH_TASK_SELF, &kr);
	if (fd < 0)
		return kr;

	if (ioctl(fd, RMACH_IOC_MSG, &a) == 0)
		return MACH_MSG_SUCCESS;
	err = errno;
	if ((a.status & RMACH_MSG_ERR_RCV) || !(option & MACH_SEND_MSG)) {
		/* Mach's RCV_LARGE: tell the size; the message stays queued. */
		if (err == EMSGSIZE && (option & MACH_RCV_LARGE))
			msg->msgh_size = a.rcv_size;
		return lm_rcv_errno(err);
	}
	return lm_send_errno(err, a.status);
}

mach_msg_return_t mach_msg_send(mach_msg_header_t *msg)
{
	if (!msg)
		return MACH_SEND_INVALID_HEADER;
	return mach_msg(msg, MACH_SEND_MSG, msg->msgh_size, 0, MACH_PORT_NULL,
			MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
}

mach_msg_return_t mach_msg_receive(mach_msg_header_t *msg)
{
	if (!msg)
		return MACH_RCV_INVALID_NAME;
	return mach_msg(msg, MACH_RCV_MSG, 0, msg->msgh_size,
			msg->msgh_local_port, MACH_MSG_TIMEOUT_NONE,
			MACH_PORT_NULL);
}
