/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note OR MIT */
/*
 * rmach.h - the ABI of /dev/rmach: Mach ports, rights and messages.
 *
 * Self-contained: only <linux/types.h> and <linux/ioctl.h>. Every structure is
 * made of __u32/__u64 with explicit padding, so 32-bit and 64-bit user space
 * see the same layout (pointers travel as __u64); each size is asserted below.
 * Fields named "reserved" must be zero on input (else EINVAL) and are zero on
 * output: they are where later ABI versions grow.
 *
 * Model (see docs/ and DESIGN.md): each open() of /dev/rmach is one IPC space
 * owned by the opener's thread group. Names are 32-bit, per space, never 0
 * (RMACH_PORT_NULL) or ~0 (RMACH_PORT_DEAD). Another process using the fd (a
 * child after fork(), a receiver of SCM_RIGHTS) gets EBADFD from every ioctl
 * and POLLERR from poll: a space's rights belong to one process.
 *
 * Errors: every ioctl returns 0 or -1 with errno. One table for all of them
 * (the core's kern_return_t in brackets):
 *
 *   EINVAL     bad argument: unknown flag/option/disposition/right, non-zero
 *              reserved field, malformed message header, name 0 or ~0 where a
 *              port is needed, qlimit out of range  [INVALID_ARGUMENT/VALUE]
 *   ENOENT     the name is not in this space; registry key not registered
 *                                                   [INVALID_NAME]
 *   EPERM      the name does not hold the right the call needs (e.g. receive
 *              from a send right, send on a port set)  [INVALID_RIGHT]
 *   EEXIST     the name is in use (allocate with a given name, insert_right),
 *              registry key taken and RMACH_REG_REPLACE not given,
 *              port already in a set                [NAME_EXISTS]
 *   EACCES     registry: the entry belongs to another uid (only its uid or
 *              root may replace or remove it)
 *   EOVERFLOW  user references would pass 0xFFFF or go below 0
 *                                                   [UREFS_OVERFLOW]
 *   EPIPE      the destination is a dead name (its receive right is gone), or
 *              a port was destroyed while this thread waited on it
 *                                                   [dead name / port died]
 *   EMSGSIZE   send: message larger than the module's cap (max_msg_size);
 *              receive: buffer too small - the message stays queued and
 *              rcv_size holds the size needed        [TOO_LARGE]
 *   EAGAIN     timeout 0 (or O_NONBLOCK) and the queue is full / empty
 *   ETIMEDOUT  the millisecond timeout passed (each phase's timeout runs
 *              from when that phase first has to wait) [TIMED_OUT]
 *   EINTR      a signal handler ran while blocked. For a combined
 *              send+receive the send has happened when RMACH_MSG_SENT is set
 *              in rmach_msg_args.status. A phase without timeout is
 *              restarted instead when the handler has SA_RESTART; one with
 *              a timeout is restarted (its timeout counted again) when only
 *              io_uring task work or an ignored signal interrupted it.
 *   ENOSPC     ports-per-space limit (module parameter max_ports)
 *   ENOBUFS    queued messages or bytes per space limit
 *   EDQUOT     queued messages or bytes per user limit
 *   ENOMEM     kernel memory allocation failed       [RESOURCE_SHORTAGE]
 *   EFAULT     a user pointer could not be read or written. The receive
 *              buffer is faulted in before a message is taken; if writing
 *              it still fails, the message is destroyed (the rights it
 *              carried are released, as Mach's RCV_INVALID_DATA)
 *   ESRCH      PORTSET_REMOVE: the port is not in that set  [NOT_IN_SET]
 *   ESTALE     receive: the port moved or joined a set while this thread
 *              waited on it                          [PORT_CHANGED]
 *   EMFILE     open: the user already has max_user_spaces spaces open
 *   EBADFD     the fd is used by a process other than the one that opened it
 *   ENOTTY     unknown ioctl number
 */
#ifndef _UAPI_LINUX_RMACH_H
#define _UAPI_LINUX_RMACH_H

#include <linux/types.h>
#include <linux/ioctl.h>

#if defined(__KERNEL__) || \
	(defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L)
#define RMACH_STATIC_ASSERT(cond, what) _Static_assert(cond, what)
#elif defined(__cplusplus) && __cplusplus >= 201103L
#define RMACH_STATIC_ASSERT(cond, what) static_assert(cond, what)
#else
/* C99: a negative array size is the error. */
#define RMACH_ASSERT_CAT2(a, b) a##b
#define RMACH_ASSERT_CAT(a, b) RMACH_ASSERT_CAT2(a, b)
#define RMACH_STATIC_ASSERT(cond, what) \
	typedef char RMACH_ASSERT_CAT(rmach_static_assert_, __LINE__)[(cond) ? 1 : -1]
#endif

#define RMACH_DEVICE		"/dev/rmach"
#define RMACH_ABI_VERSION	1U
#define RMACH_IOC_MAGIC		0xB8

/* --- names and rights ---------------------------------------------------- */

#define RMACH_PORT_NULL		0U
#define RMACH_PORT_DEAD		0xFFFFFFFFU

/* Rights (Mach's MACH_PORT_RIGHT_* values). */
#define RMACH_RIGHT_SEND	0U
#define RMACH_RIGHT_RECEIVE	1U
#define RMACH_RIGHT_SEND_ONCE	2U
#define RMACH_RIGHT_PORT_SET	3U
#define RMACH_RIGHT_DEAD_NAME	4U
#define RMACH_RIGHT_NUMBER	5U

/* Port type bits (rmach_port_type.type): one bit per right held. */
#define RMACH_TYPE(right)	(1U << ((right) + 16))
#define RMACH_TYPE_SEND		RMACH_TYPE(RMACH_RIGHT_SEND)
#define RMACH_TYPE_RECEIVE	RMACH_TYPE(RMACH_RIGHT_RECEIVE)
#define RMACH_TYPE_SEND_ONCE	RMACH_TYPE(RMACH_RIGHT_SEND_ONCE)
#define RMACH_TYPE_PORT_SET	RMACH_TYPE(RMACH_RIGHT_PORT_SET)
#define RMACH_TYPE_DEAD_NAME	RMACH_TYPE(RMACH_RIGHT_DEAD_NAME)

/* Dispositions (Mach's MACH_MSG_TYPE_* values). */
#define RMACH_MSG_TYPE_MOVE_RECEIVE	16U
#define RMACH_MSG_TYPE_MOVE_SEND	17U
#define RMACH_MSG_TYPE_MOVE_SEND_ONCE	18U
#define RMACH_MSG_TYPE_COPY_SEND	19U
#define RMACH_MSG_TYPE_MAKE_SEND	20U
#define RMACH_MSG_TYPE_MAKE_SEND_ONCE	21U
/* What a receiver finds in its header / descriptors. */
#define RMACH_MSG_TYPE_PORT_RECEIVE	RMACH_MSG_TYPE_MOVE_RECEIVE
#define RMACH_MSG_TYPE_PORT_SEND	RMACH_MSG_TYPE_MOVE_SEND
#define RMACH_MSG_TYPE_PORT_SEND_ONCE	RMACH_MSG_TYPE_MOVE_SEND_ONCE

/* --- messages ------------------------------------------------------------ */

/*
 * A message in user memory (Mach's shape, with the descriptor count in the
 * header so sizes stay linear):
 *   struct rmach_msg_header
 *   header.desc_count struct rmach_port_descriptor
 *   inline data, up to header.size
 * so header.size = 24 + 8 * desc_count + data bytes. RMACH_MSGH_BITS_COMPLEX
 * is set exactly when desc_count > 0 (required on send, reported on receive).
 *
 * On send, remote_port is the destination and local_port the reply port,
 * each with its disposition in bits. On receive they are swapped, as in
 * Mach: remote_port is the reply right now named in the receiver's space
 * (disposition RMACH_MSG_TYPE_PORT_SEND or _SEND_ONCE in the remote bits),
 * local_port is the name of the port the message arrived on (how it was
 * addressed in the local bits). header.size is the size received; the
 * descriptors hold the receiver's names (RMACH_PORT_DEAD if the port died in
 * transit) and RMACH_MSG_TYPE_PORT_* dispositions.
 */
struct rmach_msg_header {
	__u32 bits;		/* RMACH_MSGH_BITS(remote, local) [| COMPLEX] */
	__u32 size;		/* bytes, header and descriptors included */
	__u32 remote_port;
	__u32 local_port;
	__u32 id;		/* free for the user; notifications use 0101.. */
	__u32 desc_count;	/* port descriptors following the header */
};

#define RMACH_MSGH_BITS_REMOTE_MASK	0x0000001FU
#define RMACH_MSGH_BITS_LOCAL_MASK	0x00001F00U
#define RMACH_MSGH_BITS_COMPLEX		0x80000000U
#define RMACH_MSGH_BITS(remote, local)	((remote) | ((local) << 8))
#define RMACH_MSGH_BITS_REMOTE(bits)	((bits) & RMACH_MSGH_BITS_REMOTE_MASK)
#define RMACH_MSGH_BITS_LOCAL(bits)	(((bits) & RMACH_MSGH_BITS_LOCAL_MASK) >> 8)

/* A port right carried in a message; disposition 0 carries nothing. */
struct rmach_port_descriptor {
	__u32 name;
	__u32 disposition;	/* RMACH_MSG_TYPE_* */
};

/* Most descriptors one message may carry. */
#define RMACH_MSG_MAX_DESCRIPTORS	64U

/* Notification message ids (Mach's MACH_NOTIFY_* values). */
#define RMACH_NOTIFY_PORT_DELETED	0101U
#define RMACH_NOTIFY_PORT_DESTROYED	0105U
#define RMACH_NOTIFY_NO_SENDERS		0106U
#define RMACH_NOTIFY_SEND_ONCE		0107U
#define RMACH_NOTIFY_DEAD_NAME		0110U

/*
 * Notifications arrive as messages with no reply port. No-senders carries the
 * make-send count, dead-name and port-deleted the name in the requester's
 * space (struct rmach_notify_msg); port-destroyed carries the receive right
 * in one descriptor and no data; send-once has no data.
 */
struct rmach_notify_msg {
	struct rmach_msg_header header;
	__u32 value;		/* mscount or name */
};

/* --- ioctls -------------------------------------------------------------- */

/* Feature bits in rmach_version.features. */
#define RMACH_FEAT_HANDOFF	(1ULL << 0)	/* send+receive wakes synchronously */
#define RMACH_FEAT_POLL		(1ULL << 1)
#define RMACH_FEAT_REGISTRY	(1ULL << 2)
#define RMACH_FEAT_NOTIFY	(1ULL << 3)
#define RMACH_FEAT_URING_CMD	(1ULL << 4)	/* IORING_OP_URING_CMD */
#define RMACH_FEAT_TRACEPOINTS	(1ULL << 5)
#define RMACH_FEAT_URING_CALL	(1ULL << 6)	/* RMACH_URING_CALL */

/* RMACH_IOC_VERSION: all output. */
struct rmach_version {
	__u32 abi_version;	/* RMACH_ABI_VERSION of the module */
	__u32 max_msg_size;	/* message size cap, bytes */
	__u64 features;		/* RMACH_FEAT_* */
	__u32 max_qlimit;
	__u32 default_qlimit;
	__u32 max_ports;	/* names per space */
	__u32 reserved0;
	__u64 reserved[2];
};

/* RMACH_IOC_PORT_ALLOCATE */
#define RMACH_ALLOC_NAME	(1U << 0)	/* use .name instead of choosing */
struct rmach_port_alloc {
	__u32 right;		/* RECEIVE, PORT_SET or DEAD_NAME */
	__u32 name;		/* out (in with RMACH_ALLOC_NAME) */
	__u32 flags;
	__u32 reserved;
};

/* RMACH_IOC_PORT_DESTROY, RMACH_IOC_PORT_DEALLOCATE, RMACH_IOC_PORT_TYPE */
struct rmach_port_name {
	__u32 name;
	__u32 type;		/* out for PORT_TYPE (RMACH_TYPE_*); else 0 */
};

/* RMACH_IOC_PORT_MOD_REFS (delta in), RMACH_IOC_PORT_GET_REFS (refs out) */
struct rmach_port_refs {
	__u32 name;
	__u32 right;		/* RMACH_RIGHT_* */
	__s32 delta;
	__u32 refs;
};

/*
 * RMACH_IOC_PORT_INSERT_RIGHT: give the right that disposition makes from
 * poly (a name in this space) the name .name. As in Mach, inserting a send
 * right for a port under the name of its receive right is how a task makes
 * itself a send right: name == poly, MAKE_SEND.
 * RMACH_IOC_PORT_EXTRACT_RIGHT: the reverse: take the right disposition makes
 * from .name out as a new name (.poly, out), e.g. MAKE_SEND_ONCE.
 */
struct rmach_port_right {
	__u32 name;
	__u32 poly;
	__u32 disposition;	/* RMACH_MSG_TYPE_* */
	__u32 reserved;
};

/* RMACH_IOC_PORT_GET_ATTR (out) / RMACH_IOC_PORT_SET_ATTR (in, by mask) */
#define RMACH_ATTR_QLIMIT	(1U << 0)
#define RMACH_ATTR_MSCOUNT	(1U << 1)
#define RMACH_PORT_STATUS_HAS_SENDERS	(1U << 0)	/* out: srights */
#define RMACH_PORT_STATUS_IN_SET	(1U << 1)
struct rmach_port_attr {
	__u32 name;
	__u32 mask;		/* SET: which fields to set; GET: must be 0 */
	__u32 qlimit;		/* 1..max_qlimit */
	__u32 mscount;		/* make-send count */
	__u32 msgcount;		/* out: queued messages */
	__u32 sorights;		/* out: send-once rights outstanding */
	__u32 status;		/* out: RMACH_PORT_STATUS_* */
	__u32 seqno;		/* out: messages dequeued so far */
};

/*
 * RMACH_IOC_PORTSET_ADD: member joins set (EEXIST if in another set).
 * RMACH_IOC_PORTSET_REMOVE: member leaves set (ESRCH if not in that set).
 * RMACH_IOC_PORTSET_MOVE: as mach_port_move_member(): member leaves its
 * set, if any, and joins set unless set is RMACH_PORT_NULL (then ESRCH if it
 * was in none).
 */
struct rmach_portset_member {
	__u32 set;
	__u32 member;		/* a receive right */
};

/*
 * RMACH_IOC_MSG: send, receive, or both ("call") as mach_msg().
 * With RMACH_MSG_SEND|RMACH_MSG_RCV the receiver of the request is woken
 * synchronously on this CPU and the caller waits on rcv_name at once.
 * Without a *_TIMEOUT option a phase blocks until it can complete, unless the
 * fd is O_NONBLOCK (then it behaves as timeout 0).
 */
#define RMACH_MSG_SEND		(1U << 0)
#define RMACH_MSG_RCV		(1U << 1)
#define RMACH_MSG_SEND_TIMEOUT	(1U << 2)	/* send_timeout_ms applies */
#define RMACH_MSG_RCV_TIMEOUT	(1U << 3)	/* rcv_timeout_ms applies */
#define RMACH_MSG_OPTIONS	0x0000000FU

/* rmach_msg_args.status (out): what happened, and what an error is about. */
#define RMACH_MSG_SENT		(1U << 0)	/* the send phase completed */
#define RMACH_MSG_RECEIVED	(1U << 1)	/* a message was received */
#define RMACH_MSG_ERR_RCV	(1U << 2)	/* the error is the receive's */
#define RMACH_MSG_ERR_REPLY	(1U << 3)	/* ... concerns the reply port */
#define RMACH_MSG_ERR_DESC	(1U << 4)	/* ... concerns a descriptor */

struct rmach_msg_args {
	__u64 send_msg;		/* user pointer: message to send */
	__u64 rcv_msg;		/* user pointer: receive buffer */
	__u32 options;		/* RMACH_MSG_* */
	__u32 send_size;	/* bytes at send_msg (== header.size) */
	__u32 rcv_size;		/* in: buffer size; out: message size */
	__u32 rcv_name;		/* port or port set to receive from */
	__u32 send_timeout_ms;
	__u32 rcv_timeout_ms;
	__u32 status;		/* in: 0; out: RMACH_MSG_SENT etc. */
	__u32 reserved;
};

/*
 * RMACH_IOC_REQUEST_NOTIFY: as mach_port_request_notification(). notify is
 * a name in this space whose right disposition (MAKE_SEND_ONCE from a
 * receive right, or MOVE_SEND_ONCE) becomes the send-once right the
 * notification is sent on; RMACH_PORT_NULL cancels. A previous request is
 * replaced and its send-once right released (previous = 1 when there was one).
 * sync: NO_SENDERS fires once mscount >= sync and no senders are left;
 * DEAD_NAME with sync != 0 fires at once if the name is already dead.
 */
struct rmach_notify_req {
	__u32 name;
	__u32 variant;		/* RMACH_NOTIFY_NO_SENDERS, _DEAD_NAME, _PORT_DESTROYED */
	__u32 sync;
	__u32 notify;
	__u32 notify_disposition;
	__u32 previous;		/* out */
};

/*
 * Name registry ("bootstrap"): one per module, keys are NUL-terminated
 * strings of 1..RMACH_KEY_MAX-1 bytes ([A-Za-z0-9._:/-]).
 * REGISTER: disposition (COPY_SEND, MAKE_SEND, MOVE_SEND) of .name is kept
 *   under key; with RMACH_REG_REPLACE an existing entry is replaced if the
 *   caller's uid registered it or the caller has CAP_SYS_ADMIN (else EACCES).
 * LOOK_UP: .name (out) is a send right for the registered port in this space
 *   (EPIPE when the port has died; the entry is then dropped).
 * UNREGISTER: same ownership rule as replace.
 */
#define RMACH_KEY_MAX		64U
#define RMACH_REG_REPLACE	(1U << 0)
struct rmach_registry {
	char key[RMACH_KEY_MAX];
	__u32 name;
	__u32 disposition;
	__u32 flags;
	__u32 reserved;
};

/*
 * RMACH_IOC_POLL_PORT (struct rmach_port_name, type must be 0): the port or
 * port set whose queue poll()/epoll report on: EPOLLIN while a message is
 * queued there, EPOLLERR once the name no longer names a receive right or
 * set (ENOENT / EPERM when it is not one when set). RMACH_PORT_NULL (the
 * default) reports nothing. Put every port the
 * process serves in one port set and poll that set.
 */

/*
 * RMACH_IOC_SPACE_STATS: all output. Name counts walk the space's table
 * under the system lock: call it for statistics, not in a fast path.
 */
struct rmach_space_stats {
	__u32 names;
	__u32 receive_rights;
	__u32 send_rights;		/* names holding send rights */
	__u32 send_once_rights;
	__u32 dead_names;
	__u32 port_sets;
	__u32 queued_msgs;		/* sent by this space, still queued */
	__u32 reserved0;
	__u64 queued_bytes;		/* their data bytes */
	__u64 msgs_sent;
	__u64 msgs_received;
	__u64 reserved[3];
};

#define RMACH_IOC_VERSION	_IOR(RMACH_IOC_MAGIC, 0x00, struct rmach_version)
#define RMACH_IOC_PORT_ALLOCATE	_IOWR(RMACH_IOC_MAGIC, 0x01, struct rmach_port_alloc)
#define RMACH_IOC_PORT_DESTROY	_IOW(RMACH_IOC_MAGIC, 0x02, struct rmach_port_name)
#define RMACH_IOC_PORT_DEALLOCATE _IOW(RMACH_IOC_MAGIC, 0x03, struct rmach_port_name)
#define RMACH_IOC_PORT_TYPE	_IOWR(RMACH_IOC_MAGIC, 0x04, struct rmach_port_name)
#define RMACH_IOC_PORT_MOD_REFS	_IOW(RMACH_IOC_MAGIC, 0x05, struct rmach_port_refs)
#define RMACH_IOC_PORT_GET_REFS	_IOWR(RMACH_IOC_MAGIC, 0x06, struct rmach_port_refs)
#define RMACH_IOC_PORT_INSERT_RIGHT _IOW(RMACH_IOC_MAGIC, 0x07, struct rmach_port_right)
#define RMACH_IOC_PORT_EXTRACT_RIGHT _IOWR(RMACH_IOC_MAGIC, 0x08, struct rmach_port_right)
#define RMACH_IOC_PORT_GET_ATTR	_IOWR(RMACH_IOC_MAGIC, 0x09, struct rmach_port_attr)
#define RMACH_IOC_PORT_SET_ATTR	_IOW(RMACH_IOC_MAGIC, 0x0A, struct rmach_port_attr)
#define RMACH_IOC_PORTSET_ADD	_IOW(RMACH_IOC_MAGIC, 0x0B, struct rmach_portset_member)
#define RMACH_IOC_PORTSET_REMOVE _IOW(RMACH_IOC_MAGIC, 0x0C, struct rmach_portset_member)
#define RMACH_IOC_MSG		_IOWR(RMACH_IOC_MAGIC, 0x0D, struct rmach_msg_args)
#define RMACH_IOC_REQUEST_NOTIFY _IOWR(RMACH_IOC_MAGIC, 0x0E, struct rmach_notify_req)
#define RMACH_IOC_REGISTER	_IOW(RMACH_IOC_MAGIC, 0x0F, struct rmach_registry)
#define RMACH_IOC_LOOK_UP	_IOWR(RMACH_IOC_MAGIC, 0x10, struct rmach_registry)
#define RMACH_IOC_UNREGISTER	_IOW(RMACH_IOC_MAGIC, 0x11, struct rmach_registry)
#define RMACH_IOC_SPACE_STATS	_IOR(RMACH_IOC_MAGIC, 0x12, struct rmach_space_stats)
#define RMACH_IOC_POLL_PORT	_IOW(RMACH_IOC_MAGIC, 0x13, struct rmach_port_name)
#define RMACH_IOC_PORTSET_MOVE	_IOW(RMACH_IOC_MAGIC, 0x14, struct rmach_portset_member)

/*
 * io_uring (RMACH_FEAT_URING_CMD): IORING_OP_URING_CMD on the space's fd with
 * sqe->cmd_op one of RMACH_URING_* and, in the 16 bytes of sqe->cmd (a
 * normal 64-byte SQE; IORING_SETUP_SQE128 is not needed), a struct
 * rmach_uring_cmd. The kernel reads it once, at submission. .args points to
 * a struct rmach_msg_args laid out and checked as for RMACH_IOC_MSG, whose
 * options must be exactly RMACH_MSG_SEND (RMACH_URING_SEND) or RMACH_MSG_RCV
 * (RMACH_URING_RCV): no *_TIMEOUT options. The args and the buffers they
 * point to are read at submission; for a receive, the buffer must stay
 * mapped until the completion, which writes the message there and rcv_size /
 * status back into the args, as the ioctl does. RMACH_URING_CALL
 * (RMACH_FEAT_URING_CALL) takes options RMACH_MSG_SEND | RMACH_MSG_RCV.
 *
 * SEND completes at submission and never waits: a full queue gives EAGAIN.
 * RCV completes at once when a message is queued, else it stays in flight
 * until one arrives (any number may be in flight, on any ports of the
 * space). CALL is a SEND then, if the send succeeded, an RCV on rcv_name
 * (the reply port), in one command: status says whether the request was
 * sent (RMACH_MSG_SENT) and whose error it is (RMACH_MSG_ERR_RCV); a CALL
 * that ends with ECANCELED or EBADFD had sent its request.
 * cqe->res: SEND 0, RCV and CALL the received size, or -errno from the table
 * above; EINVAL also for an unknown cmd_op or non-zero reserved field.
 * In-flight receives complete with ECANCELED when the owner closes any fd of
 * the space, when the process or the submitting thread exits or when the
 * ring is closed (within a second: 6.1 tells no command, the module
 * looks), and with an error (EPIPE, ESTALE,
 * EBADFD) when their port or space goes away; one issued while the owner
 * closes the fd it names ends with ECANCELED too. A RCV or CALL submitted
 * with IOSQE_ASYNC or on a fixed file (IOSQE_FIXED_FILE: no close of the
 * owner's reaches it) fails with EOPNOTSUPP (before anything is sent).
 */
#define RMACH_URING_SEND	1U
#define RMACH_URING_RCV		2U
#define RMACH_URING_CALL	3U

struct rmach_uring_cmd {
	__u64 args;		/* user pointer: struct rmach_msg_args */
	__u32 flags;		/* 0 */
	__u32 reserved;		/* 0 */
};

/* Same layout on every ABI: checked at every compile. */
RMACH_STATIC_ASSERT(sizeof(struct rmach_msg_header) == 24, "rmach_msg_header");
RMACH_STATIC_ASSERT(sizeof(struct rmach_port_descriptor) == 8, "rmach_port_descriptor");
RMACH_STATIC_ASSERT(sizeof(struct rmach_notify_msg) == 28, "rmach_notify_msg");
RMACH_STATIC_ASSERT(sizeof(struct rmach_version) == 48, "rmach_version");
RMACH_STATIC_ASSERT(sizeof(struct rmach_port_alloc) == 16, "rmach_port_alloc");
RMACH_STATIC_ASSERT(sizeof(struct rmach_port_name) == 8, "rmach_port_name");
RMACH_STATIC_ASSERT(sizeof(struct rmach_port_refs) == 16, "rmach_port_refs");
RMACH_STATIC_ASSERT(sizeof(struct rmach_port_right) == 16, "rmach_port_right");
RMACH_STATIC_ASSERT(sizeof(struct rmach_port_attr) == 32, "rmach_port_attr");
RMACH_STATIC_ASSERT(sizeof(struct rmach_portset_member) == 8, "rmach_portset_member");
RMACH_STATIC_ASSERT(sizeof(struct rmach_msg_args) == 48, "rmach_msg_args");
RMACH_STATIC_ASSERT(sizeof(struct rmach_notify_req) == 24, "rmach_notify_req");
RMACH_STATIC_ASSERT(sizeof(struct rmach_registry) == 80, "rmach_registry");
RMACH_STATIC_ASSERT(sizeof(struct rmach_space_stats) == 80, "rmach_space_stats");
RMACH_STATIC_ASSERT(sizeof(struct rmach_uring_cmd) == 16, "rmach_uring_cmd");

#endif /* _UAPI_LINUX_RMACH_H */
