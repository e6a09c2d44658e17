/* SPDX-License-Identifier: MIT */
/*
 * mach/port.h - port names, rights and the mach_port_* calls.
 *
 * A task is an IPC space: libmach opens one per process on first use
 * (/dev/rmach, or $RMACH_DEVICE). mach_task_self() names it; every call
 * taking a task accepts only that (else KERN_INVALID_TASK). A child after
 * fork() starts with a fresh, empty space of its own.
 */
#ifndef LIBMACH_PORT_H
#define LIBMACH_PORT_H

#include <stdint.h>
#include <linux/rmach.h>
#include <mach/kern_return.h>

typedef uint32_t mach_port_t;
typedef uint32_t mach_port_name_t;
typedef mach_port_t ipc_space_t;
typedef mach_port_t task_t;
typedef uint32_t mach_port_right_t;
typedef uint32_t mach_port_type_t;
typedef uint32_t mach_port_urefs_t;
typedef int32_t mach_port_delta_t;
typedef uint32_t mach_port_mscount_t;
typedef uint32_t mach_port_msgcount_t;
typedef uint32_t mach_port_seqno_t;
typedef uint32_t mach_msg_type_name_t;
typedef uint32_t mach_msg_id_t;

#define MACH_PORT_NULL		((mach_port_t)RMACH_PORT_NULL)
#define MACH_PORT_DEAD		((mach_port_t)RMACH_PORT_DEAD)
#define MACH_PORT_VALID(n)	((n) != MACH_PORT_NULL && (n) != MACH_PORT_DEAD)

/* Never a port name (the kernel's names stop below it). */
#define MACH_TASK_SELF		((task_t)0xFFFFFFFEu)
#define mach_task_self()	MACH_TASK_SELF

#define MACH_PORT_RIGHT_SEND		RMACH_RIGHT_SEND
#define MACH_PORT_RIGHT_RECEIVE		RMACH_RIGHT_RECEIVE
#define MACH_PORT_RIGHT_SEND_ONCE	RMACH_RIGHT_SEND_ONCE
#define MACH_PORT_RIGHT_PORT_SET	RMACH_RIGHT_PORT_SET
#define MACH_PORT_RIGHT_DEAD_NAME	RMACH_RIGHT_DEAD_NAME
#define MACH_PORT_RIGHT_NUMBER		RMACH_RIGHT_NUMBER

#define MACH_PORT_TYPE_NONE		0u
#define MACH_PORT_TYPE_SEND		RMACH_TYPE_SEND
#define MACH_PORT_TYPE_RECEIVE		RMACH_TYPE_RECEIVE
#define MACH_PORT_TYPE_SEND_ONCE	RMACH_TYPE_SEND_ONCE
#define MACH_PORT_TYPE_PORT_SET		RMACH_TYPE_PORT_SET
#define MACH_PORT_TYPE_DEAD_NAME	RMACH_TYPE_DEAD_NAME
#define MACH_PORT_TYPE_SEND_RECEIVE	(MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_RECEIVE)

#define MACH_MSG_TYPE_MOVE_RECEIVE	RMACH_MSG_TYPE_MOVE_RECEIVE
#define MACH_MSG_TYPE_MOVE_SEND		RMACH_MSG_TYPE_MOVE_SEND
#define MACH_MSG_TYPE_MOVE_SEND_ONCE	RMACH_MSG_TYPE_MOVE_SEND_ONCE
#define MACH_MSG_TYPE_COPY_SEND		RMACH_MSG_TYPE_COPY_SEND
#define MACH_MSG_TYPE_MAKE_SEND		RMACH_MSG_TYPE_MAKE_SEND
#define MACH_MSG_TYPE_MAKE_SEND_ONCE	RMACH_MSG_TYPE_MAKE_SEND_ONCE
#define MACH_MSG_TYPE_PORT_RECEIVE	RMACH_MSG_TYPE_PORT_RECEIVE
#define MACH_MSG_TYPE_PORT_SEND		RMACH_MSG_TYPE_PORT_SEND
#define MACH_MSG_TYPE_PORT_SEND_ONCE	RMACH_MSG_TYPE_PORT_SEND_ONCE

#define MACH_PORT_QLIMIT_DEFAULT	5u
#define MACH_PORT_QLIMIT_MAX		1024u

kern_return_t mach_port_allocate(ipc_space_t task, mach_port_right_t right,
				 mach_port_name_t *name);
kern_return_t mach_port_allocate_name(ipc_space_t task,
				      mach_port_right_t right,
				      mach_port_name_t name);
kern_return_t mach_port_destroy(ipc_space_t task, mach_port_name_t name);
kern_return_t mach_port_deallocate(ipc_space_t task, mach_port_name_t name);
kern_return_t mach_port_mod_refs(ipc_space_t task, mach_port_name_t name,
				 mach_port_right_t right,
				 mach_port_delta_t delta);
kern_return_t mach_port_get_refs(ipc_space_t task, mach_port_name_t name,
				 mach_port_right_t right,
				 mach_port_urefs_t *refs);
kern_return_t mach_port_type(ipc_space_t task, mach_port_name_t name,
			     mach_port_type_t *type);
kern_return_t mach_port_insert_right(ipc_space_t task, mach_port_name_t name,
				     mach_port_t poly,
				     mach_msg_type_name_t poly_poly);
kern_return_t mach_port_extract_right(ipc_space_t task, mach_port_name_t name,
				      mach_msg_type_name_t msgt_name,
				      mach_port_t *poly,
				      mach_msg_type_name_t *poly_poly);

/* Port sets. */
kern_return_t mach_port_insert_member(ipc_space_t task, mach_port_name_t member,
				      mach_port_name_t pset);
kern_return_t mach_port_extract_member(ipc_space_t task,
				       mach_port_name_t member,
				       mach_port_name_t pset);
/* Into after (a set), or out of any set when after is MACH_PORT_NULL. */
kern_return_t mach_port_move_member(ipc_space_t task, mach_port_name_t member,
				    mach_port_name_t after);

/* Attributes: MACH_PORT_LIMITS_INFO (get/set) and MACH_PORT_RECEIVE_STATUS. */
typedef int mach_port_flavor_t;
typedef int *mach_port_info_t;
typedef uint32_t mach_msg_type_number_t;
#define MACH_PORT_LIMITS_INFO		1
#define MACH_PORT_RECEIVE_STATUS	2

typedef struct mach_port_limits {
	mach_port_msgcount_t mpl_qlimit;
} mach_port_limits_t;
#define MACH_PORT_LIMITS_INFO_COUNT \
	((mach_msg_type_number_t)(sizeof(mach_port_limits_t) / sizeof(int)))

typedef struct mach_port_status {
	mach_port_name_t mps_pset;	/* nonzero if in a set */
	mach_port_seqno_t mps_seqno;
	mach_port_mscount_t mps_mscount;
	mach_port_msgcount_t mps_qlimit;
	mach_port_msgcount_t mps_msgcount;
	uint32_t mps_sorights;
	uint32_t mps_srights;		/* boolean */
} mach_port_status_t;
#define MACH_PORT_RECEIVE_STATUS_COUNT \
	((mach_msg_type_number_t)(sizeof(mach_port_status_t) / sizeof(int)))

kern_return_t mach_port_get_attributes(ipc_space_t task, mach_port_name_t name,
				       mach_port_flavor_t flavor,
				       mach_port_info_t info,
				       mach_msg_type_number_t *count);
kern_return_t mach_port_set_attributes(ipc_space_t task, mach_port_name_t name,
				       mach_port_flavor_t flavor,
				       mach_port_info_t info,
				       mach_msg_type_number_t count);
kern_return_t mach_port_set_mscount(ipc_space_t task, mach_port_name_t name,
				    mach_port_mscount_t mscount);

/* Notifications (ids MACH_NOTIFY_*, delivered as messages to notify). */
#define MACH_NOTIFY_PORT_DELETED	RMACH_NOTIFY_PORT_DELETED
#define MACH_NOTIFY_PORT_DESTROYED	RMACH_NOTIFY_PORT_DESTROYED
#define MACH_NOTIFY_NO_SENDERS		RMACH_NOTIFY_NO_SENDERS
#define MACH_NOTIFY_SEND_ONCE		RMACH_NOTIFY_SEND_ONCE
#define MACH_NOTIFY_DEAD_NAME		RMACH_NOTIFY_DEAD_NAME

/*
 * As Mach: arm notification msgid on name, sent on a send-once right made
 * from notify by notify_poly (MACH_MSG_TYPE_MAKE_SEND_ONCE). *previous is
 * MACH_PORT_NULL; a replaced request's right is released by the kernel.
 */
kern_return_t mach_port_request_notification(ipc_space_t task,
					     mach_port_name_t name,
					     mach_msg_id_t msgid,
					     mach_port_mscount_t sync,
					     mach_port_t notify,
					     mach_msg_type_name_t notify_poly,
					     mach_port_t *previous);

/* A new receive right to use as a reply port. */
mach_port_t mach_reply_port(void);

#endif /* LIBMACH_PORT_H */
