/* SPDX-License-Identifier: MIT */
/*
 * mach/kern_return.h - Mach-style return codes of libmach (XNU's values).
 * rmach_strerror() names each; after a failed call errno still holds the
 * kernel's errno for finer detail.
 */
#ifndef LIBMACH_KERN_RETURN_H
#define LIBMACH_KERN_RETURN_H

typedef int kern_return_t;
typedef kern_return_t mach_msg_return_t;

#define KERN_SUCCESS			0
#define KERN_INVALID_ADDRESS		1	/* a bad pointer (EFAULT) */
#define KERN_PROTECTION_FAILURE		2
#define KERN_NO_SPACE			3	/* name space / port cap full */
#define KERN_INVALID_ARGUMENT		4
#define KERN_FAILURE			5
#define KERN_RESOURCE_SHORTAGE		6	/* memory or a queue cap */
#define KERN_NOT_RECEIVER		7
#define KERN_NO_ACCESS			8	/* registry entry of another uid */
#define KERN_NOT_IN_SET			12
#define KERN_NAME_EXISTS		13
#define KERN_ABORTED			14
#define KERN_INVALID_NAME		15
#define KERN_INVALID_TASK		16	/* not this process's space */
#define KERN_INVALID_RIGHT		17
#define KERN_INVALID_VALUE		18
#define KERN_UREFS_OVERFLOW		19
#define KERN_INVALID_CAPABILITY		20	/* the port is dead */
#define KERN_RIGHT_EXISTS		21
#define KERN_NOT_SUPPORTED		46
#define KERN_OPERATION_TIMED_OUT	49

#define MACH_MSG_SUCCESS		0x00000000
#define MACH_SEND_INVALID_DATA		0x10000002
#define MACH_SEND_INVALID_DEST		0x10000003
#define MACH_SEND_TIMED_OUT		0x10000004
#define MACH_SEND_INTERRUPTED		0x10000007
#define MACH_SEND_MSG_TOO_SMALL		0x10000008
#define MACH_SEND_INVALID_REPLY		0x10000009
#define MACH_SEND_INVALID_RIGHT		0x1000000a
#define MACH_SEND_NO_BUFFER		0x1000000d
#define MACH_SEND_TOO_LARGE		0x1000000e
#define MACH_SEND_INVALID_HEADER	0x10000010
#define MACH_RCV_INVALID_NAME		0x10004002
#define MACH_RCV_TIMED_OUT		0x10004003
#define MACH_RCV_TOO_LARGE		0x10004004
#define MACH_RCV_INTERRUPTED		0x10004005
#define MACH_RCV_PORT_CHANGED		0x10004006
#define MACH_RCV_INVALID_DATA		0x10004008
#define MACH_RCV_PORT_DIED		0x10004009
#define MACH_RCV_HEADER_ERROR		0x1000400b

#define BOOTSTRAP_SUCCESS		0
#define BOOTSTRAP_NOT_PRIVILEGED	1100
#define BOOTSTRAP_NAME_IN_USE		1101
#define BOOTSTRAP_UNKNOWN_SERVICE	1102
#define BOOTSTRAP_SERVICE_ACTIVE	1103
#define BOOTSTRAP_BAD_COUNT		1104
#define BOOTSTRAP_NO_MEMORY		1105

/* libmach's own: the device is missing or is not the module it expects. */
#define RMACH_ERR_NO_DEVICE		0x20000001	/* /dev/rmach absent */
#define RMACH_ERR_NOT_RMACH		0x20000002	/* not an rmach device */
#define RMACH_ERR_ABI_MISMATCH		0x20000003	/* module ABI differs */
#define RMACH_ERR_ERRNO			0x20000004	/* other: see errno */

/* A sentence for any code above ("unknown code 0x..." otherwise). */
const char *rmach_strerror(kern_return_t kr);
/* Mach's name for the same. */
const char *mach_error_string(kern_return_t kr);

#endif /* LIBMACH_KERN_RETURN_H */
