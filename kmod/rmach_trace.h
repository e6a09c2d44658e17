/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rmach_trace.h - tracepoints of /dev/rmach (system "rmach").
 *
 * The field names are an interface: tools/bpftrace, tools/rmach-trace and
 * docs/tracing.md depend on them. Add fields, never rename or remove one.
 *
 * "space" and "msg" are opaque cookies (the core objects' addresses, as
 * skbaddr in the skb events) that join events of one space or one message:
 * msg_send, msg_enqueue, msg_dequeue, msg_receive and right_transfer of one
 * message carry the same msg. Port names are those of the space in the event.
 * Nothing here dereferences a message after the core took it.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM rmach

#if !defined(RMACH_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define RMACH_TRACE_H

#include <linux/tracepoint.h>
#include <linux/sched.h>
#include <linux/rmach.h>
#include "rmach_core.h"

/* limit_hit: which cap refused the operation. */
#define RMACH_TRACE_LIMIT_SPACE_PORTS	0
#define RMACH_TRACE_LIMIT_USER_PORTS	1
#define RMACH_TRACE_LIMIT_SPACE_MSGS	2
#define RMACH_TRACE_LIMIT_USER_MSGS	3

/* right_transfer: which side of the message the right is seen on. */
#define RMACH_TRACE_DIR_SEND		0
#define RMACH_TRACE_DIR_RECEIVE		1

DECLARE_EVENT_CLASS(rmach_port_class,
	TP_PROTO(const struct rmc_space *space, u32 name, u32 right),
	TP_ARGS(space, name, right),
	TP_STRUCT__entry(
		__field(u64, space)
		__field(u32, name)
		__field(u32, right)
	),
	TP_fast_assign(
		__entry->space = (unsigned long)space;
		__entry->name = name;
		__entry->right = right;
	),
	TP_printk("space=%llx name=0x%x right=%u",
		  __entry->space, __entry->name, __entry->right)
);

/* A name for a new receive right, port set or dead name. */
DEFINE_EVENT(rmach_port_class, rmach_port_create,
	TP_PROTO(const struct rmc_space *space, u32 name, u32 right),
	TP_ARGS(space, name, right));

/* RMACH_IOC_PORT_DESTROY succeeded on name. */
DEFINE_EVENT(rmach_port_class, rmach_port_destroy,
	TP_PROTO(const struct rmc_space *space, u32 name, u32 right),
	TP_ARGS(space, name, right));

/* A right made from name and inserted as poly with disposition. */
TRACE_EVENT(rmach_right_insert,
	TP_PROTO(const struct rmc_space *space, u32 name, u32 poly, u32 disp),
	TP_ARGS(space, name, poly, disp),
	TP_STRUCT__entry(
		__field(u64, space)
		__field(u32, name)
		__field(u32, poly)
		__field(u32, disposition)
	),
	TP_fast_assign(
		__entry->space = (unsigned long)space;
		__entry->name = name;
		__entry->poly = poly;
		__entry->disposition = disp;
	),
	TP_printk("space=%llx name=0x%x poly=0x%x disposition=%u",
		  __entry->space, __entry->name, __entry->poly,
		  __entry->disposition)
);

/* References given up: right is RMC_RIGHT_*, or 0xffffffff (deallocate). */
TRACE_EVENT(rmach_right_release,
	TP_PROTO(const struct rmc_space *space, u32 name, u32 right, s32 delta),
	TP_ARGS(space, name, right, delta),
	TP_STRUCT__entry(
		__field(u64, space)
		__field(u32, name)
		__field(u32, right)
		__field(s32, delta)
	),
	TP_fast_assign(
		__entry->space = (unsigned long)space;
		__entry->name = name;
		__entry->right = right;
		__entry->delta = delta;
	),
	TP_printk("space=%llx name=0x%x right=%u delta=%d", __entry->space,
		  __entry->name, __entry->right, __entry->delta)
);

/*
 * A right carried in a message's descriptor: on the send side with the
 * sender's name and disposition, on the receive side with the new name.
 */
TRACE_EVENT(rmach_right_transfer,
	TP_PROTO(const struct rmc_space *space, const struct rmc_msg *msg,
		 u32 dir, u32 index, u32 name, u32 disp),
	TP_ARGS(space, msg, dir, index, name, disp),
	TP_STRUCT__entry(
		__field(u64, space)
		__field(u64, msg)
		__field(u32, dir)
		__field(u32, index)
		__field(u32, name)
		__field(u32, disposition)
		__array(char, comm, TASK_COMM_LEN)
	),
	TP_fast_assign(
		__entry->space = (unsigned long)space;
		__entry->msg = (unsigned long)msg;
		__entry->dir = dir;
		__entry->index = index;
		__entry->name = name;
		__entry->disposition = disp;
		memcpy(__entry->comm, current->comm, TASK_COMM_LEN);
	),
	TP_printk("space=%llx msg=%llx dir=%s index=%u name=0x%x disposition=%u comm=%s",
		  __entry->space, __entry->msg,
		  __entry->dir == RMACH_TRACE_DIR_SEND ? "send" : "receive",
		  __entry->index, __entry->name, __entry->disposition,
		  __entry->comm)
);

/* A message copied in and about to be sent (it may still fail). */
TRACE_EVENT(rmach_msg_send,
	TP_PROTO(const struct rmc_space *space, const struct rmc_msg *msg,
		 u32 size),
	TP_ARGS(space, msg, size),
	TP_STRUCT__entry(
		__field(u64, space)
		__field(u64, msg)
		__field(u32, dest)
		__field(u32, reply)
		__field(u32, id)
		__field(u32, size)
		__field(u32, nrights)
		__array(char, comm, TASK_COMM_LEN)
	),
	TP_fast_assign(
		__entry->space = (unsigned long)space;
		__entry->msg = (unsigned long)msg;
		__entry->dest = msg->dest;
		__entry->reply = msg->reply;
		__entry->id = msg->id;
		__entry->size = size;
		__entry->nrights = msg->ndesc;
		memcpy(__entry->comm, current->comm, TASK_COMM_LEN);
	),
	TP_printk("space=%llx msg=%llx dest=0x%x reply=0x%x id=%u size=%u nrights=%u comm=%s",
		  __entry->space, __entry->msg, __entry->dest, __entry->reply,
		  __entry->id, __entry->size, __entry->nrights, __entry->comm)
);

/* The core queued msg (or handed it to a waiting receiver). */
TRACE_EVENT(rmach_msg_enqueue,
	TP_PROTO(const struct rmc_space *space, const struct rmc_msg *msg),
	TP_ARGS(space, msg),
	TP_STRUCT__entry(
		__field(u64, space)
		__field(u64, msg)
	),
	TP_fast_assign(
		__entry->space = (unsigned long)space;
		__entry->msg = (unsigned long)msg;
	),
	TP_printk("space=%llx msg=%llx", __entry->space, __entry->msg)
);

/* The core gave msg to a receiver; wait_ns is its time on the queue. */
TRACE_EVENT(rmach_msg_dequeue,
	TP_PROTO(const struct rmc_space *space, const struct rmc_msg *msg,
		 u32 size),
	TP_ARGS(space, msg, size),
	TP_STRUCT__entry(
		__field(u64, space)
		__field(u64, msg)
		__field(u32, port)
		__field(u32, id)
		__field(u32, size)
		__field(u32, nrights)
		__field(u64, wait_ns)
	),
	TP_fast_assign(
		__entry->space = (unsigned long)space;
		__entry->msg = (unsigned long)msg;
		__entry->port = msg->dest;
		__entry->id = msg->id;
		__entry->size = size;
		__entry->nrights = msg->ndesc;
		/* 0: queued before the tracepoint was on (not stamped) */
		__entry->wait_ns = msg->stamp ? ktime_get_ns() - msg->stamp : 0;
	),
	TP_printk("space=%llx msg=%llx port=0x%x id=%u size=%u nrights=%u wait_ns=%llu",
		  __entry->space, __entry->msg, __entry->port, __entry->id,
		  __entry->size, __entry->nrights, __entry->wait_ns)
);

/* msg reached the receiver's buffer (err 0) or could not (-EFAULT). */
TRACE_EVENT(rmach_msg_receive,
	TP_PROTO(const struct rmc_space *space, const struct rmc_msg *msg,
		 u32 size, int err),
	TP_ARGS(space, msg, size, err),
	TP_STRUCT__entry(
		__field(u64, space)
		__field(u64, msg)
		__field(u32, port)
		__field(u32, reply)
		__field(u32, id)
		__field(u32, size)
		__field(u32, nrights)
		__field(s32, err)
		__array(char, comm, TASK_COMM_LEN)
	),
	TP_fast_assign(
		__entry->space = (unsigned long)space;
		__entry->msg = (unsigned long)msg;
		__entry->port = msg->dest;
		__entry->reply = msg->reply;
		__entry->id = msg->id;
		__entry->size = size;
		__entry->nrights = msg->ndesc;
		__entry->err = err;
		memcpy(__entry->comm, current->comm, TASK_COMM_LEN);
	),
	TP_printk("space=%llx msg=%llx port=0x%x reply=0x%x id=%u size=%u nrights=%u err=%d comm=%s",
		  __entry->space, __entry->msg, __entry->port, __entry->reply,
		  __entry->id, __entry->size, __entry->nrights, __entry->err,
		  __entry->comm)
);

/* A caller about to block on its reply woke the receiver WF_SYNC. */
TRACE_EVENT(rmach_handoff,
	TP_PROTO(pid_t waker, pid_t wakee),
	TP_ARGS(waker, wakee),
	TP_STRUCT__entry(
		__field(s32, waker)
		__field(s32, wakee)
	),
	TP_fast_assign(
		__entry->waker = waker;
		__entry->wakee = wakee;
	),
	TP_printk("waker=%d wakee=%d", __entry->waker, __entry->wakee)
);

/* A notification (kind: its message id, RMACH_NOTIFY_*) was received. */
TRACE_EVENT(rmach_notification,
	TP_PROTO(const struct rmc_space *space, const struct rmc_msg *msg),
	TP_ARGS(space, msg),
	TP_STRUCT__entry(
		__field(u64, space)
		__field(u32, port)
		__field(u32, kind)
	),
	TP_fast_assign(
		__entry->space = (unsigned long)space;
		__entry->port = msg->dest;
		__entry->kind = msg->id;
	),
	TP_printk("space=%llx port=0x%x kind=%s", __entry->space,
		  __entry->port,
		  __print_symbolic(__entry->kind,
				   { RMACH_NOTIFY_PORT_DESTROYED, "port-destroyed" },
				   { RMACH_NOTIFY_NO_SENDERS, "no-senders" },
				   { RMACH_NOTIFY_SEND_ONCE, "send-once" },
				   { RMACH_NOTIFY_DEAD_NAME, "dead-name" }))
);

/* A cap refused a port or a message (RMACH_TRACE_LIMIT_*). */
TRACE_EVENT(rmach_limit_hit,
	TP_PROTO(const struct rmc_space *space, u32 limit),
	TP_ARGS(space, limit),
	TP_STRUCT__entry(
		__field(u64, space)
		__field(u32, limit)
	),
	TP_fast_assign(
		__entry->space = (unsigned long)space;
		__entry->limit = limit;
	),
	TP_printk("space=%llx limit=%s", __entry->space,
		  __print_symbolic(__entry->limit,
				   { RMACH_TRACE_LIMIT_SPACE_PORTS, "space-ports" },
				   { RMACH_TRACE_LIMIT_USER_PORTS, "user-ports" },
				   { RMACH_TRACE_LIMIT_SPACE_MSGS, "space-msgs" },
				   { RMACH_TRACE_LIMIT_USER_MSGS, "user-msgs" }))
);

/* An io_uring command on /dev/rmach was issued (op: RMACH_URING_*). */
TRACE_EVENT(rmach_uring_cmd_issue,
	TP_PROTO(const struct rmc_space *space, const void *cmd, u32 op),
	TP_ARGS(space, cmd, op),
	TP_STRUCT__entry(
		__field(u64, space)
		__field(u64, cmd)
		__field(u32, op)
	),
	TP_fast_assign(
		__entry->space = (unsigned long)space;
		__entry->cmd = (unsigned long)cmd;
		__entry->op = op;
	),
	TP_printk("space=%llx cmd=%llx op=%u", __entry->space, __entry->cmd,
		  __entry->op)
);

/* Its completion: res is the CQE's result; parked: it had to wait. */
TRACE_EVENT(rmach_uring_cmd_complete,
	TP_PROTO(const void *cmd, s32 res, bool parked),
	TP_ARGS(cmd, res, parked),
	TP_STRUCT__entry(
		__field(u64, cmd)
		__field(s32, res)
		__field(u32, parked)
	),
	TP_fast_assign(
		__entry->cmd = (unsigned long)cmd;
		__entry->res = res;
		__entry->parked = parked;
	),
	TP_printk("cmd=%llx res=%d parked=%u", __entry->cmd, __entry->res,
		  __entry->parked)
);

#endif /* RMACH_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#define TRACE_INCLUDE_FILE rmach_trace
#include <trace/define_trace.h>

/*
 * Helpers for the places that emit more than one event; each costs a
 * static-key test when nothing is attached.
 */
#ifndef RMACH_TRACE_HELPERS_H
#define RMACH_TRACE_HELPERS_H

static inline void rmk_trace_rights(const struct rmc_space *space,
				    const struct rmc_msg *msg, u32 dir)
{
	u32 i;

	if (!trace_rmach_right_transfer_enabled())
		return;
	for (i = 0; i < msg->ndesc; i++)
		trace_rmach_right_transfer(space, msg, dir, i, msg->desc[i].name,
					   msg->desc[i].disp);
}

/* Before the core takes msg: it may be freed by a receiver afterwards. */
static inline void rmk_trace_send(const struct rmc_space *space,
				  const struct rmc_msg *msg, u32 size)
{
	trace_rmach_msg_send(space, msg, size);
	rmk_trace_rights(space, msg, RMACH_TRACE_DIR_SEND);
}

/* A dequeued message, before copy-out. Notifications are marked too. */
static inline void rmk_trace_dequeue(const struct rmc_space *space,
				     const struct rmc_msg *msg, u32 size)
{
	trace_rmach_msg_dequeue(space, msg, size);
	if (msg->id >= RMACH_NOTIFY_PORT_DESTROYED &&
	    msg->id <= RMACH_NOTIFY_DEAD_NAME)
		trace_rmach_notification(space, msg);
	rmk_trace_rights(space, msg, RMACH_TRACE_DIR_RECEIVE);
}

/* limit_hit's limit for a refused port (or message), user or space cap. */
static inline u32 rmk_trace_limit(bool ports, bool user)
{
	if (ports)
		return user ? RMACH_TRACE_LIMIT_USER_PORTS :
			      RMACH_TRACE_LIMIT_SPACE_PORTS;
	return user ? RMACH_TRACE_LIMIT_USER_MSGS : RMACH_TRACE_LIMIT_SPACE_MSGS;
}

#endif /* RMACH_TRACE_HELPERS_H */
