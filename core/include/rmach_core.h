/* SPDX-License-Identifier: MIT */
/*
 * rmach_core.h - the one implementation of Mach port and right semantics.
 *
 * Freestanding C (C99/C11): includes only <stdint.h>, <stddef.h>, <stdbool.h>.
 * Used by the Linux module (kmod/), the bytecode runtime (vmrt/) and the
 * bare-metal firmware. Semantics follow XNU's ipc/ unless stated; see section 2
 * of DESIGN.md.
 *
 * API changes (newest last; kept source compatible):
 *   - v1: first version.
 *   - v1.1: RMC_CONFIG_SMALL (automatic on ARMv6-M) picks small build-time
 *     sizes; a dead name can no longer carry MOVE_RECEIVE (INVALID_RIGHT).
 *   - v1.1: rmc_space_count_names() (added for kmod's space statistics).
 *
 * ---------------------------------------------------------------------------
 * Objects
 *   struct rmc_sys     one per system: ops table, limits, global counters,
 *                      message cache. Opaque.
 *   struct rmc_space   one IPC space (a process, an open of /dev/rmach, a VM
 *                      process): a table of names. Opaque.
 *   struct rmc_owner   an accounting owner (e.g. a Linux user), allocated and
 *                      embedded by the platform, shared by spaces.
 *   struct rmc_msg     a kernel message: header + port descriptors + body.
 *   struct rmc_waiter  a blocked thread/process, embedded by the platform.
 *
 * Locking contract
 *   The core is serialised by ONE system-wide lock the platform implements in
 *   ops->lock / ops->unlock (NULL = no locking, e.g. single-threaded vmrt).
 *   Every rmc_* function taking a sys/space takes that lock itself, except
 *   those documented "lock-free" (pure helpers). The platform must NOT hold the
 *   lock when calling rmc_* functions. While the core holds the lock it may
 *   call ops->alloc, ops->free, ops->wake and ops->now; none of those may call
 *   back into the core. ops->alloc may sleep only if the lock allows it
 *   (a mutex in the kernel: GFP_KERNEL is fine; never a spinlock).
 *   Nothing in the core recurses: destroying messages that carry receive
 *   rights of ports with queued messages uses an explicit work list.
 *
 * Ownership
 *   A message is owned either by the platform (after rmc_msg_alloc, after a
 *   failed send, after a successful receive) or by the core (queued). A message
 *   owned by the platform NEVER carries rights: copy-in happens inside
 *   rmc_msg_send, copy-out inside rmc_msg_receive. So the platform frees its
 *   messages with rmc_msg_free and nothing else leaks.
 *
 * Blocking
 *   The core never sleeps. A receive that finds nothing, or a send that finds
 *   the queue full, returns RMC_RCV_TIMED_OUT / RMC_SEND_TIMED_OUT when the
 *   caller passed no waiter, or links the waiter to the port/set and returns
 *   RMC_WOULD_BLOCK. When the condition may have changed (a message arrived,
 *   room in the queue, the port died or changed, a set gained a ready member)
 *   the core marks one waiter woken and calls ops->wake(w) with the lock
 *   held, synchronously (so the kernel can wake_up_interruptible_sync at
 *   enqueue time for handoff). Wake-ups are one at a time (FIFO), so a
 *   woken waiter must either retry the operation with the same waiter, or
 *   call rmc_waiter_cancel() (timeout, signal, teardown), which passes an
 *   unused wake-up on to the next waiter. A waiter is linked to at most one
 *   object at a time, and only by a call that returned RMC_WOULD_BLOCK: after
 *   any other result it is idle and unlinked, so a retry that ends the wait
 *   needs no rmc_waiter_cancel (which takes the lock). After the object dies the retry returns RMC_PORT_DIED
 *   (receive) or fails on the now dead name (send: RMC_INVALID_DEST).
 *
 * Names
 *   32-bit, per space: (index << 8) | generation, like XNU's MACH_PORT_MAKE.
 *   Never RMC_NAME_NULL (0) or RMC_NAME_DEAD (~0). A stale name (the index was
 *   freed and reused) fails with RMC_INVALID_NAME. One name per port per space:
 *   send and receive rights of a port share one entry; every send-once right
 *   has its own name. Lookup is O(1) (table indexed by name index).
 *
 * Dead names are lazy, as in XNU: when a port dies, send and send-once names
 *   for it in other spaces become dead names (keeping their urefs) the next
 *   time they are looked at; rmc_port_type() and friends report them as dead
 *   names at once.
 */
#ifndef RMACH_CORE_H
#define RMACH_CORE_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

/* ---- build-time configuration (override with -D) ------------------------ */

/* Small memory defaults for microcontrollers (a 16 KB RAM Cortex-M0+
 * board): defined automatically for ARMv6-M, or with -DRMC_CONFIG_SMALL.
 * Only sizes of caches change, never a semantic limit like RMC_MAX_DESC. */
#if defined(__ARM_ARCH_6M__) && !defined(RMC_CONFIG_SMALL)
#define RMC_CONFIG_SMALL 1
#endif
#ifdef RMC_CONFIG_SMALL
#ifndef RMC_MSG_CACHE_COUNT
#define RMC_MSG_CACHE_COUNT 4
#endif
#ifndef RMC_MSG_CACHE_BODY
#define RMC_MSG_CACHE_BODY 48
#endif
#ifndef RMC_MSG_CACHE_DESC
#define RMC_MSG_CACHE_DESC 2
#endif
#ifndef RMC_TABLE_INIT
#define RMC_TABLE_INIT 8
#endif
#endif

/* Most port descriptors in one message. */
#ifndef RMC_MAX_DESC
#define RMC_MAX_DESC 64
#endif
/* Messages kept on the system's free list for reuse (0 disables it). */
#ifndef RMC_MSG_CACHE_COUNT
#define RMC_MSG_CACHE_COUNT 64
#endif
/* Body bytes and descriptors of a cached message (smaller ones are rounded
 * up to this so that one free list absorbs all small messages). */
#ifndef RMC_MSG_CACHE_BODY
#define RMC_MSG_CACHE_BODY 256
#endif
#ifndef RMC_MSG_CACHE_DESC
#define RMC_MSG_CACHE_DESC 4
#endif
/* Initial name table size of a space (entries, a power of two, >= 4). */
#ifndef RMC_TABLE_INIT
#define RMC_TABLE_INIT 16
#endif

/* ---- return codes: a closed set ----------------------------------------- */

typedef enum rmc_ret {
	RMC_SUCCESS = 0,
	RMC_INVALID_NAME,	/* name denotes nothing in this space (or stale) */
	RMC_INVALID_RIGHT,	/* name denotes a right of the wrong kind */
	RMC_INVALID_VALUE,	/* bad argument: delta, disposition, qlimit... */
	RMC_UREFS_OVERFLOW,	/* mod_refs would take urefs past 0xFFFF */
	RMC_NAME_EXISTS,	/* the requested name is in use */
	RMC_RIGHT_EXISTS,	/* the port already has another name here */
	RMC_NO_SPACE,		/* the name table cannot grow any further */
	RMC_RESOURCE_SHORTAGE,	/* ops->alloc failed; nothing changed */
	RMC_LIMIT_EXCEEDED,	/* a per-space or per-owner cap was hit */
	RMC_NOT_IN_SET,		/* move_member out of a set: not in one */
	RMC_WOULD_BLOCK,	/* waiter linked; sleep until woken, then retry */
	RMC_SEND_TIMED_OUT,	/* queue full and no waiter given */
	RMC_RCV_TIMED_OUT,	/* nothing queued and no waiter given */
	RMC_RCV_TOO_LARGE,	/* message stays queued; size reported */
	RMC_MSG_TOO_LARGE,	/* body or descriptor count over the cap */
	RMC_INVALID_DEST,	/* send: destination name/right unusable */
	RMC_INVALID_REPLY,	/* send: reply name/right unusable */
	RMC_PORT_DIED,		/* receive: the port/set died while waiting */
	RMC_PORT_CHANGED,	/* receive: port moved or joined a set while waiting */
	RMC_RET_COUNT		/* not a code: number of codes */
} rmc_ret_t;

/* Name of a return code, e.g. "RMC_INVALID_NAME". Lock-free. */
const char *rmc_strerror(rmc_ret_t ret);

/* ---- names, rights, dispositions ----------------------------------------- */

typedef uint32_t rmc_name_t;
#define RMC_NAME_NULL ((rmc_name_t)0)
#define RMC_NAME_DEAD ((rmc_name_t)~0u)
#define RMC_NAME_VALID(n) ((n) != RMC_NAME_NULL && (n) != RMC_NAME_DEAD)
#define RMC_NAME_INDEX(n) ((n) >> 8)
#define RMC_NAME_GEN(n) ((n) & 0xFFu)
#define RMC_NAME_MAKE(index, gen) (((rmc_name_t)(index) << 8) | ((gen) & 0xFFu))

/* Rights (mach_port_right_t values). */
enum rmc_right {
	RMC_RIGHT_SEND = 0,
	RMC_RIGHT_RECEIVE = 1,
	RMC_RIGHT_SEND_ONCE = 2,
	RMC_RIGHT_PORT_SET = 3,
	RMC_RIGHT_DEAD_NAME = 4,
	RMC_RIGHT_NUMBER = 5
};

/* Type bits of a name (mach_port_type_t-like): 1u << right. */
#define RMC_TYPE(right) (1u << (right))
#define RMC_TYPE_SEND RMC_TYPE(RMC_RIGHT_SEND)
#define RMC_TYPE_RECEIVE RMC_TYPE(RMC_RIGHT_RECEIVE)
#define RMC_TYPE_SEND_ONCE RMC_TYPE(RMC_RIGHT_SEND_ONCE)
#define RMC_TYPE_PORT_SET RMC_TYPE(RMC_RIGHT_PORT_SET)
#define RMC_TYPE_DEAD_NAME RMC_TYPE(RMC_RIGHT_DEAD_NAME)

/* Dispositions (mach_msg_type_name_t values). On receive, descriptors and the
 * reply field report what arrived as MOVE_RECEIVE / MOVE_SEND /
 * MOVE_SEND_ONCE (XNU's MACH_MSG_TYPE_PORT_*). */
enum rmc_disp {
	RMC_DISP_NONE = 0,		/* reply field / descriptor unused */
	RMC_MOVE_RECEIVE = 16,
	RMC_MOVE_SEND = 17,
	RMC_MOVE_SEND_ONCE = 18,
	RMC_COPY_SEND = 19,
	RMC_MAKE_SEND = 20,
	RMC_MAKE_SEND_ONCE = 21
};

#define RMC_UREFS_MAX 0xFFFFu
#define RMC_QLIMIT_DEFAULT 5u
#define RMC_QLIMIT_MAX 1024u

/* ---- platform ops --------------------------------------------------------- */

struct rmc_waiter;
struct rmc_owner;
struct rmc_wq;
struct rmc_port;

struct rmc_ops {
	/* Returns size bytes aligned for any object, or NULL. Called with or
	 * without the lock held. */
	void *(*alloc)(void *ctx, size_t size);
	/* Frees what alloc returned; size is the size that was asked for. */
	void (*free)(void *ctx, void *ptr, size_t size);
	/* The system-wide lock (may both be NULL). */
	void (*lock)(void *ctx);
	void (*unlock)(void *ctx);
	/* A waiter must be made runnable (called with the lock held; must not
	 * call into the core). Required if waiters are used. */
	void (*wake)(void *ctx, struct rmc_waiter *w);
	/* Monotonic time, any unit; stamped into messages (msg->stamp).
	 * May be NULL (stamps are 0). */
	uint64_t (*now)(void *ctx);
	/* Called (lock held) when the last space charged to an owner is freed;
	 * the owner may be freed after it returns. May be NULL. */
	void (*owner_release)(void *ctx, struct rmc_owner *owner);
};

/* ---- accounting ----------------------------------------------------------- */

/* A cap of 0 means "unlimited". */
struct rmc_limits {
	uint32_t ports;		/* receive rights created (allocate) */
	uint32_t msgs;		/* messages sent and still queued */
	uint32_t bytes;		/* body bytes sent and still queued */
};

struct rmc_usage {
	uint32_t ports;
	uint32_t msgs;
	uint32_t bytes;
};

/*
 * Accounting owner, e.g. one per Linux user. The platform allocates it,
 * sets ->limit (any time, under its own care) and zeroes the rest; the core
 * maintains ->use and ->spaces (under the lock). It must stay alive until
 * ops->owner_release reports it unused.
 *
 * Charging rule (like Linux AF_UNIX sockets charge the writer): a queued
 * message is charged to the SENDER's space and owner until it is dequeued or
 * destroyed; a port is charged to the space that allocated it while that
 * space holds its receive right (moving the receive right moves the charge,
 * without a limit check). Kernel-made notifications are charged to nobody.
 */
struct rmc_owner {
	struct rmc_limits limit;
	struct rmc_usage use;
	uint32_t spaces;	/* spaces (alive or draining) charged to it */
};

/* Global live counters (for debugfs). */
struct rmc_stats {
	uint32_t spaces;	/* spaces not yet freed (incl. draining) */
	uint32_t ports;		/* port objects alive (incl. dead ones still referenced) */
	uint32_t psets;
	uint32_t names;		/* names in use across all spaces */
	uint32_t msgs;		/* messages queued */
	uint64_t bytes;		/* body bytes queued */
	uint32_t msgs_cached;	/* messages on the free list */
};

/* ---- system --------------------------------------------------------------- */

struct rmc_sys;
struct rmc_space;

struct rmc_sys_config {
	uint32_t max_body;	/* largest body accepted by rmc_msg_alloc; 0 = 64 KiB */
	uint32_t max_names;	/* largest name table per space; 0 = 2^24 - 2 */
	struct rmc_limits space_limit;	/* default caps of every new space */
};

/* Creates a system. ops and ctx must outlive it; cfg may be NULL (defaults).
 * Returns RMC_SUCCESS or RMC_RESOURCE_SHORTAGE / RMC_INVALID_VALUE. */
rmc_ret_t rmc_sys_create(const struct rmc_ops *ops, void *ctx,
			 const struct rmc_sys_config *cfg, struct rmc_sys **out);
/* Frees the system and its message cache. Every space must have been
 * destroyed and every platform-owned message freed first; returns
 * RMC_INVALID_VALUE (and frees nothing) otherwise. */
rmc_ret_t rmc_sys_destroy(struct rmc_sys *sys);
/* Copies the global counters. */
void rmc_sys_stats(struct rmc_sys *sys, struct rmc_stats *out);

/* ---- spaces --------------------------------------------------------------- */

/* Creates an empty space charged to owner (may be NULL: no per-owner caps).
 * Its caps start as cfg->space_limit. */
rmc_ret_t rmc_space_create(struct rmc_sys *sys, struct rmc_owner *owner,
			   struct rmc_space **out);
/*
 * Tears the space down: every receive right it holds is destroyed (queued
 * messages destroyed, rights inside them released, iteratively), port-destroyed
 * requests honoured, no-senders / dead-name / send-once notifications fired,
 * waiters on its ports woken (their retry gets RMC_PORT_DIED), every other
 * right released. Other spaces' send rights become dead names. The space
 * handle is invalid afterwards (the memory itself is freed once no queued
 * message is charged to it any more).
 */
void rmc_space_destroy(struct rmc_space *sp);
/* Per-space caps (0 = unlimited) and current usage. */
void rmc_space_set_limits(struct rmc_space *sp, const struct rmc_limits *lim);
void rmc_space_get_usage(struct rmc_space *sp, struct rmc_usage *out);
/* Names of a space by the rights they hold (a name holding send and receive
 * counts in both; lazily dead names count as dead). Walks the whole table
 * under the lock: for statistics, not for fast paths. */
struct rmc_space_names {
	uint32_t names;
	uint32_t receive;
	uint32_t send;
	uint32_t send_once;
	uint32_t dead;
	uint32_t psets;
};
void rmc_space_count_names(struct rmc_space *sp, struct rmc_space_names *out);

/* ---- port and name operations (mach_port_* equivalents) ------------------ */

/* Allocates a new right under a new name: right is RMC_RIGHT_RECEIVE (a new
 * port), RMC_RIGHT_PORT_SET or RMC_RIGHT_DEAD_NAME.
 * Errors: INVALID_VALUE (right), NO_SPACE, RESOURCE_SHORTAGE, LIMIT_EXCEEDED. */
rmc_ret_t rmc_port_allocate(struct rmc_space *sp, unsigned right,
			    rmc_name_t *out);
/* Same under a chosen name: RMC_NAME_VALID with an index in 1..max_names
 * (index 0 is never used). Errors as above plus NAME_EXISTS, INVALID_VALUE
 * (name). */
rmc_ret_t rmc_port_allocate_name(struct rmc_space *sp, unsigned right,
				 rmc_name_t name);
/* Destroys every right under name (mach_port_destroy). */
rmc_ret_t rmc_port_destroy(struct rmc_space *sp, rmc_name_t name);
/* Releases one uref of a send, send-once or dead-name right (a send-once right
 * released this way fires a send-once notification).
 * Errors: INVALID_NAME, INVALID_RIGHT (receive-only or port set). */
rmc_ret_t rmc_port_deallocate(struct rmc_space *sp, rmc_name_t name);
/*
 * Adds delta to the urefs of one right (mach_port_mod_refs):
 *   RECEIVE, SEND_ONCE, PORT_SET: delta 0 or -1 (-1 destroys the right).
 *   SEND, DEAD_NAME: urefs + delta in [0, 0xFFFF]; reaching 0 frees the right.
 * Errors: INVALID_NAME, INVALID_RIGHT (name lacks that right), INVALID_VALUE
 * (underflow or bad delta), UREFS_OVERFLOW (past 0xFFFF). Nothing changes on
 * error.
 */
rmc_ret_t rmc_port_mod_refs(struct rmc_space *sp, rmc_name_t name,
			    unsigned right, int32_t delta);
/* urefs of one right: RECEIVE/SEND_ONCE/PORT_SET 0 or 1; SEND, DEAD_NAME the
 * count (0 if absent). Errors: INVALID_NAME, INVALID_VALUE (right). */
rmc_ret_t rmc_port_get_refs(struct rmc_space *sp, rmc_name_t name,
			    unsigned right, uint32_t *out);
/* Type bits (RMC_TYPE_*) of a name. Errors: INVALID_NAME. */
rmc_ret_t rmc_port_type(struct rmc_space *sp, rmc_name_t name,
			uint32_t *out);

/*
 * Gives space `to` a right under `name`, taken from space `from` (which may be
 * `to`) by disposition disp applied to from_name (mach_port_insert_right).
 * If name already denotes the same port in `to`, the rights merge (send urefs
 * add, saturating at 0xFFFF). Validated before anything changes.
 * Errors: INVALID_NAME / INVALID_RIGHT (from_name), INVALID_VALUE (disp or
 * name), NAME_EXISTS (name denotes something else, or a send-once right),
 * RIGHT_EXISTS (the port already has another name in `to`), NO_SPACE,
 * RESOURCE_SHORTAGE.
 */
rmc_ret_t rmc_insert_right(struct rmc_space *to, rmc_name_t name,
			   struct rmc_space *from, rmc_name_t from_name,
			   unsigned disp);
/*
 * Takes a right from space `from` by disposition disp on name and gives it to
 * space `to` (which may be `from`) under a name the core picks (the port's
 * existing name there, if any) (mach_port_extract_right).
 * *out_disp is what arrived: RMC_MOVE_RECEIVE/SEND/SEND_ONCE.
 * Errors: as rmc_insert_right minus NAME_EXISTS / RIGHT_EXISTS.
 */
rmc_ret_t rmc_extract_right(struct rmc_space *from, rmc_name_t name,
			    unsigned disp, struct rmc_space *to,
			    rmc_name_t *out_name, unsigned *out_disp);

/* Moves receive right `member` into port set `set`, or out of its set when
 * set is RMC_NAME_NULL. A port is in at most one set: moving it into another
 * set takes it out of the first. Errors: INVALID_NAME, INVALID_RIGHT,
 * NOT_IN_SET. */
rmc_ret_t rmc_port_move_member(struct rmc_space *sp, rmc_name_t member,
			       rmc_name_t set);

/* Port status (mach_port_status_t-like), name must be a receive right. */
struct rmc_port_status {
	rmc_name_t pset;	/* set holding it (name in this space) or NULL */
	uint32_t seqno;		/* sequence number of the next message received */
	uint32_t mscount;	/* make-send count */
	uint32_t qlimit;
	uint32_t msgcount;
	uint32_t sorights;	/* send-once rights alive */
	bool srights;		/* send rights exist */
	bool pdrequest;		/* port-destroyed request armed */
	bool nsrequest;		/* no-senders request armed */
};
rmc_ret_t rmc_port_get_status(struct rmc_space *sp, rmc_name_t name,
			      struct rmc_port_status *out);
/* qlimit in 1..RMC_QLIMIT_MAX (INVALID_VALUE otherwise). Raising it wakes
 * blocked senders. */
rmc_ret_t rmc_port_set_qlimit(struct rmc_space *sp, rmc_name_t name,
			      uint32_t qlimit);
/* Sets the make-send count (mach_port_set_mscount). */
rmc_ret_t rmc_port_set_mscount(struct rmc_space *sp, rmc_name_t name,
			       uint32_t mscount);
/* Sets the sequence number of the next message (mach_port_set_seqno). */
rmc_ret_t rmc_port_set_seqno(struct rmc_space *sp, rmc_name_t name,
			     uint32_t seqno);

/* ---- notifications ---------------------------------------------------------
 * Delivered as messages (header id below, reply field empty) to the port
 * named by the request's send-once right:
 *   NO_SENDERS      body: uint32_t mscount. Fires once when the port's last
 *                   send right goes and mscount >= sync (at once if already
 *                   so); the request is then gone.
 *   DEAD_NAME       body: uint32_t name (in the requester's space); the name
 *                   became a dead name (its urefs are kept, and the
 *                   notification adds one uref to the dead name, as XNU).
 *                   If the name is already dead the notification fires at once.
 *   PORT_DESTROYED  body: empty; descriptor 0 carries the receive right
 *                   (MOVE_RECEIVE) instead of destroying the port.
 *   SEND_ONCE       body: empty; a send-once right died unused.
 *   PORT_DELETED    body: uint32_t name; the name with a dead-name request
 *                   was deallocated before the port died.
 */
enum rmc_notify {
	RMC_NOTIFY_PORT_DELETED = 0101,
	RMC_NOTIFY_PORT_DESTROYED = 0105,
	RMC_NOTIFY_NO_SENDERS = 0106,
	RMC_NOTIFY_SEND_ONCE = 0107,
	RMC_NOTIFY_DEAD_NAME = 0110
};

/*
 * Arms a notification (mach_port_request_notification). variant is
 * RMC_NOTIFY_NO_SENDERS / PORT_DESTROYED (name: a receive right) or
 * RMC_NOTIFY_DEAD_NAME (name: a send, send-once or dead name). notify names
 * the port to notify, with notify_disp MAKE_SEND_ONCE (notify is a receive
 * right) or MOVE_SEND_ONCE; notify == NULL cancels the request. A previous
 * request's send-once right is given back as a name in sp (*previous, or NULL).
 * Errors: INVALID_NAME, INVALID_RIGHT, INVALID_VALUE, NO_SPACE,
 * RESOURCE_SHORTAGE.
 */
rmc_ret_t rmc_port_request_notification(struct rmc_space *sp, rmc_name_t name,
					unsigned variant, uint32_t sync,
					rmc_name_t notify, unsigned notify_disp,
					rmc_name_t *previous);

/* ---- messages ------------------------------------------------------------- */

/* Wire-sized port descriptor (8 bytes). On send: the sender's name and a
 * disposition (RMC_DISP_NONE or name NULL: carries nothing; name DEAD: a
 * dead send or send-once right, so MOVE_RECEIVE of DEAD is
 * RMC_INVALID_RIGHT). On receive: the
 * new name in the receiver's space (RMC_NAME_DEAD if the port died in
 * transit, NULL if nothing) and RMC_MOVE_RECEIVE/SEND/SEND_ONCE. */
struct rmc_port_desc {
	rmc_name_t name;
	uint32_t disp;
};

/*
 * A message. The platform reads/writes the "public" fields only.
 * Send: fill dest/dest_disp (COPY_SEND, MAKE_SEND, MOVE_SEND, MAKE_SEND_ONCE,
 *   MOVE_SEND_ONCE), reply/reply_disp (RMC_DISP_NONE or any send/send-once
 *   disposition), id, desc[0..ndesc) and body[0..body_size).
 * Receive: dest = the name of the receive right it came through (useful with
 *   sets), dest_disp = MOVE_SEND or MOVE_SEND_ONCE (how it was addressed);
 *   reply/reply_disp = the reply right as named in the receiver's space;
 *   desc[] as above; seqno; stamp.
 * Sizes are fixed at rmc_msg_alloc; body_size may be lowered before sending.
 */
struct rmc_msg {
	/* public */
	rmc_name_t dest;
	rmc_name_t reply;
	uint32_t dest_disp;
	uint32_t reply_disp;
	uint32_t id;
	uint32_t seqno;
	uint64_t stamp;
	uint32_t body_size;
	uint32_t ndesc;
	struct rmc_port_desc *desc;
	void *body;
	/* core-private below: do not touch */
	struct rmc_msg *next;
	struct rmc_port *dest_port;
	struct rmc_port *reply_port;
	struct rmc_port **desc_port;	/* ndesc in-transit rights (or NULL) */
	struct rmc_space *charged;
	uint32_t cap_body;
	uint32_t cap_desc;
	uint32_t flags;
};

/* Size a receive must allow for: body plus 8 bytes per descriptor
 * (lock-free). */
static inline uint32_t rmc_msg_size(const struct rmc_msg *m)
{
	return m->body_size + m->ndesc * (uint32_t)sizeof(struct rmc_port_desc);
}

/* Allocates a platform-owned message with room for body_size bytes and
 * ndesc descriptors (fields zeroed, body uninitialised). Small messages come
 * from a free list (no ops->alloc). Errors: MSG_TOO_LARGE (body over
 * cfg->max_body or ndesc over RMC_MAX_DESC), RESOURCE_SHORTAGE. */
rmc_ret_t rmc_msg_alloc(struct rmc_sys *sys, uint32_t body_size,
			uint32_t ndesc, struct rmc_msg **out);
/* Frees a platform-owned message (never carries rights). NULL is ignored. */
void rmc_msg_free(struct rmc_sys *sys, struct rmc_msg *msg);

/* No option bits are defined yet; pass 0 (others: INVALID_VALUE). */
#define RMC_OPT_NONE 0u

/*
 * Sends msg from space sp: copies in the header and descriptor rights
 * (everything validated first: on ANY error the message is returned to the
 * caller untouched and sp is exactly as it was), then enqueues it, waking one
 * receiver synchronously. On RMC_SUCCESS the core owns msg.
 * A MOVE_RECEIVE of a port into a message whose destination would make it
 * unreachable (the port itself, or a port whose receive right is queued in
 * it) is accepted, and the message destroyed at once, as XNU does.
 * Full queue (msgcount >= qlimit, send-once destinations excepted): with a
 * waiter, RMC_WOULD_BLOCK (waiter linked on the port's send side); without,
 * RMC_SEND_TIMED_OUT.
 * Errors: INVALID_DEST, INVALID_REPLY, INVALID_RIGHT / INVALID_NAME
 * (descriptors), INVALID_VALUE (dispositions, options), UREFS_OVERFLOW,
 * LIMIT_EXCEEDED (sender's space/owner caps on queued msgs/bytes),
 * MSG_TOO_LARGE.
 */
rmc_ret_t rmc_msg_send(struct rmc_space *sp, struct rmc_msg *msg,
		       uint32_t options, struct rmc_waiter *w);

/*
 * Receives from name in sp: a receive right, or a port set (any member with a
 * message, fairly). If the next message's rmc_msg_size() exceeds max_size,
 * returns RMC_RCV_TOO_LARGE, sets *need_size and leaves it queued. Otherwise
 * dequeues it, copies its rights out into sp (names made before the dequeue,
 * so it either succeeds completely or fails with NO_SPACE /
 * RESOURCE_SHORTAGE leaving the message queued) and sets *out: the platform
 * now owns it (copy the body outside the lock, then rmc_msg_free).
 * Nothing queued: RMC_WOULD_BLOCK with w (linked), else RMC_RCV_TIMED_OUT.
 * need_size may be NULL. Errors: INVALID_NAME, INVALID_RIGHT, INVALID_VALUE,
 * PORT_DIED / PORT_CHANGED (reported once to a waiter woken by that).
 */
rmc_ret_t rmc_msg_receive(struct rmc_space *sp, rmc_name_t name,
			  uint32_t max_size, uint32_t options,
			  struct rmc_waiter *w, struct rmc_msg **out,
			  uint32_t *need_size);

/*
 * Send then receive under one lock acquisition (RPC). *sent tells which
 * phase the result belongs to: false: the send failed (or would block) and
 * msg is still the caller's, untouched; true: msg was consumed and the
 * return code is the receive's (RMC_WOULD_BLOCK: w is linked on rcv_name;
 * sleep, then rmc_msg_receive with the same waiter).
 */
rmc_ret_t rmc_msg_call(struct rmc_space *sp, struct rmc_msg *msg,
		       uint32_t send_options, rmc_name_t rcv_name,
		       uint32_t max_size, uint32_t rcv_options,
		       struct rmc_waiter *w, struct rmc_msg **out,
		       uint32_t *need_size, bool *sent);

/* Without blocking or dequeuing: RMC_SUCCESS and the size of the next
 * message (rmc_msg_size) if one is queued on name (port or set), else
 * RMC_RCV_TIMED_OUT. size may be NULL. */
rmc_ret_t rmc_msg_peek(struct rmc_space *sp, rmc_name_t name,
		       uint32_t *size);

/* ---- waiters -------------------------------------------------------------- */

enum rmc_waiter_state {
	RMC_WAITER_IDLE = 0,	/* not linked */
	RMC_WAITER_WAITING,	/* linked, not yet woken */
	RMC_WAITER_WOKEN,	/* linked, woken: retry or cancel */
	RMC_WAITER_ABORTED	/* unlinked by the core; result holds why */
};

/* Embed in the platform's thread/process object (container_of). */
struct rmc_waiter {
	void *cookie;			/* platform's, untouched by the core */
	/* core-private below */
	struct rmc_waiter *next, *prev;
	struct rmc_wq *wq;
	uint8_t state;			/* enum rmc_waiter_state */
	uint8_t result;			/* rmc_ret_t for ABORTED */
};

/* Lock-free: w->cookie = cookie, everything else idle. */
void rmc_waiter_init(struct rmc_waiter *w, void *cookie);
/* Unlinks w (timeout, signal, teardown); a wake-up it got but did not use is
 * passed on to the next waiter. Idempotent. */
void rmc_waiter_cancel(struct rmc_sys *sys, struct rmc_waiter *w);

#endif /* RMACH_CORE_H */
