/* SPDX-License-Identifier: MIT */
/*
 * internal.h - core-private objects and helpers shared by the core sources.
 *
 * Locking: everything here is called with the system lock held (see
 * rmach_core.h), except mem_* which may also run without it.
 *
 * Reference counting (invariants checked by the fuzzer):
 *   port->refs = entries naming the port (one per entry, whatever its rights)
 *              + rights in transit (message dest/reply/descriptors, requests)
 *              + 1 while the port sits on the destroy work list.
 *     A port is freed when refs reaches 0; that implies it is dead.
 *   port->srights  = entries with SEND + send rights in transit.
 *   port->sorights = entries with SEND_ONCE + send-once rights in transit
 *                    (including the ones held by notification requests).
 *   space->refs = 1 while alive + queued messages charged to it.
 *   A receive right is in exactly one place: an entry (port->receiver set),
 *   a queued message (port->transit = the message's destination port), or
 *   the destroy work list.
 */
#ifndef RMC_INTERNAL_H
#define RMC_INTERNAL_H

#include "rmach_core.h"

#define RMC_MAX_INDEX 0xFFFFFEu	/* (index << 8 | 0xFF) must not be ~0 */

/* entry->type bits beyond RMC_TYPE_* (which use bits 0..4) */
#define E_DNREQ 0x20u		/* a dead-name request names this entry */
#define E_CLAIM_RCV 0x40u	/* copy-in scratch: receive right claimed */
#define E_RIGHTS 0x1Fu

struct rmc_entry {
	union {
		struct rmc_port *port;	/* SEND, RECEIVE, SEND_ONCE, dead (lazy) */
		struct rmc_pset *pset;	/* PORT_SET */
		struct {
			uint32_t next, prev;	/* free list (indices, 0 = none) */
		} free;
	} u;
	uint16_t urefs;		/* send urefs, dead-name urefs, 1 for send-once */
	uint8_t gen;
	uint8_t type;		/* RMC_TYPE_* | E_*; 0 = free (DEAD_NAME entries
				 * have u.port == NULL) */
	uint16_t claim;		/* copy-in scratch: urefs claimed */
};

struct rmc_wq {
	struct rmc_waiter *head, *tail;
	struct rmc_waiter *first_woken;	/* waiters before it are WAITING */
};

struct rmc_dnreq {
	struct rmc_dnreq *next, *prev;
	struct rmc_space *space;
	rmc_name_t name;
	struct rmc_port *soright;	/* send-once right to the notify port */
};

struct rmc_port {
	struct rmc_msg *qhead, *qtail;
	struct rmc_space *receiver;	/* holder of the receive right, or NULL */
	struct rmc_port *transit;	/* receive right queued on this port */
	struct rmc_pset *pset;
	struct rmc_port *set_next, *set_prev;	/* pset->members */
	struct rmc_port *ready_next, *ready_prev;	/* pset->ready (msgcount>0) */
	struct rmc_port *work_next;	/* sys->work */
	struct rmc_wq rcv_wait, snd_wait;
	struct rmc_port *nsrequest, *pdrequest;	/* send-once rights */
	struct rmc_dnreq *dnrequests;
	uint32_t refs, srights, sorights;
	uint32_t mscount, seqno;
	uint32_t msgcount;	/* send-once messages may exceed qlimit */
	uint16_t qlimit;
	uint8_t active;
	uint8_t on_work;
};

struct rmc_pset {
	struct rmc_space *space;
	rmc_name_t name;
	struct rmc_port *members;
	struct rmc_port *ready_head, *ready_tail;
	struct rmc_wq rcv_wait;
};

struct rmc_space {
	struct rmc_sys *sys;
	struct rmc_entry *table;
	uint32_t size;		/* entries in table (index 0 unused) */
	uint32_t free_head;	/* free list head index, 0 = empty */
	uint32_t nfree;
	uint32_t *rhash;	/* port -> index, open addressing; 0 = empty */
	uint32_t rh_mask;	/* slots - 1 (0 when rhash is NULL) */
	uint32_t rh_count;
	struct rmc_owner *owner;
	struct rmc_limits limit;
	struct rmc_usage use;
	uint32_t refs;
	uint8_t dead;
};

struct rmc_sys {
	const struct rmc_ops *ops;
	void *ctx;
	uint32_t max_body;
	uint32_t max_names;
	struct rmc_limits space_limit;
	struct rmc_stats stats;
	uint32_t msgs_out;	/* messages allocated (any owner) */
	struct rmc_msg *cache;
	struct rmc_port *work;	/* ports whose receive right is dying */
};

/* message flags (msg->flags) */
#define M_KERNEL 0x1u		/* core-made notification: charged to nobody */
#define M_CACHED 0x2u		/* cache-sized allocation */
/*
 * While the core owns a message, dest_disp / reply_disp / desc[i].disp hold
 * the KIND in transit (RMC_MOVE_SEND, MOVE_SEND_ONCE, MOVE_RECEIVE) and the
 * matching *_port the right (one reference). A kind with a NULL port is a
 * dead right; kind 0 means nothing.
 */

/* sys.c */
void core_lock(struct rmc_sys *sys);
void core_unlock(struct rmc_sys *sys);	/* drains the destroy work list */
void *mem_alloc(struct rmc_sys *sys, size_t size);
void mem_free(struct rmc_sys *sys, void *p, size_t size);
void mem_zero(void *p, size_t n);
void mem_copy(void *dst, const void *src, size_t n);
struct rmc_msg *msg_get(struct rmc_sys *sys, uint32_t body, uint32_t ndesc);
void msg_put(struct rmc_sys *sys, struct rmc_msg *m);

/* table.c */
struct rmc_entry *entry_lookup(struct rmc_space *sp, rmc_name_t name);
rmc_name_t entry_name(struct rmc_space *sp, struct rmc_entry *e);
rmc_ret_t table_reserve(struct rmc_space *sp, uint32_t n);
rmc_ret_t table_reserve_index(struct rmc_space *sp, uint32_t index);
struct rmc_entry *entry_alloc(struct rmc_space *sp);
struct rmc_entry *entry_alloc_at(struct rmc_space *sp, rmc_name_t name);
void entry_free(struct rmc_space *sp, struct rmc_entry *e);
rmc_ret_t rhash_reserve(struct rmc_space *sp, uint32_t n);
void rhash_insert(struct rmc_space *sp, struct rmc_entry *e);
void rhash_remove(struct rmc_space *sp, struct rmc_entry *e);
struct rmc_entry *rhash_find(struct rmc_space *sp, struct rmc_port *port);
void table_release(struct rmc_space *sp);

/* waitq.c */
void wq_link(struct rmc_wq *wq, struct rmc_waiter *w);
void wq_unlink(struct rmc_waiter *w);
bool wq_wake_one(struct rmc_sys *sys, struct rmc_wq *wq);
void wq_wake_all(struct rmc_sys *sys, struct rmc_wq *wq);
void wq_abort_all(struct rmc_sys *sys, struct rmc_wq *wq, rmc_ret_t why);
rmc_ret_t waiter_begin(struct rmc_waiter *w);

/* port.c */
struct rmc_port *port_create(struct rmc_sys *sys);
void port_unref(struct rmc_sys *sys, struct rmc_port *p);
void port_kill_receive(struct rmc_sys *sys, struct rmc_port *p);
void port_drain_work(struct rmc_sys *sys);
void port_enqueue(struct rmc_sys *sys, struct rmc_port *p, struct rmc_msg *m);
struct rmc_msg *port_dequeue(struct rmc_sys *sys, struct rmc_port *p);
void port_leave_set(struct rmc_sys *sys, struct rmc_port *p);
void port_join_set(struct rmc_sys *sys, struct rmc_port *p, struct rmc_pset *s);
bool port_circular(struct rmc_port *moved, struct rmc_port *dest);
struct rmc_pset *pset_create(struct rmc_sys *sys, struct rmc_space *sp);
void pset_destroy(struct rmc_sys *sys, struct rmc_pset *s);
void port_charge(struct rmc_port *p, struct rmc_space *sp);
void port_uncharge(struct rmc_port *p);

/* right.c */
bool entry_check(struct rmc_space *sp, struct rmc_entry *e);
void send_release(struct rmc_sys *sys, struct rmc_port *p);
void soright_release(struct rmc_sys *sys, struct rmc_port *p);
void right_release(struct rmc_sys *sys, struct rmc_port *p, unsigned kind);
void entry_release(struct rmc_space *sp, struct rmc_entry *e);
void entry_drop_send(struct rmc_space *sp, struct rmc_entry *e);
rmc_ret_t copyin_check(struct rmc_space *sp, rmc_name_t name, unsigned disp,
		       struct rmc_entry **out);
void copyin_unclaim(struct rmc_entry *e);
void dead_take(struct rmc_space *sp, struct rmc_entry *e);
unsigned disp_kind(unsigned disp);
unsigned copyin_do(struct rmc_space *sp, struct rmc_entry *e, unsigned disp,
		   struct rmc_port **out);
rmc_name_t copyout(struct rmc_space *sp, struct rmc_port *p, unsigned kind);
void copyout_at(struct rmc_space *sp, rmc_name_t name, struct rmc_port *p,
		unsigned kind);
void srights_dec(struct rmc_sys *sys, struct rmc_port *p);
void urefs_add_sat(struct rmc_entry *e, uint32_t n);

/* notify.c */
void notify_send(struct rmc_sys *sys, struct rmc_port *soright, uint32_t id,
		 const uint32_t *word, struct rmc_port *carried);
void notify_no_senders(struct rmc_sys *sys, struct rmc_port *p);
void dnreq_fire_all(struct rmc_sys *sys, struct rmc_port *p);
struct rmc_port *dnreq_take(struct rmc_space *sp, struct rmc_entry *e);
void dnreq_delete(struct rmc_space *sp, struct rmc_entry *e);

/* msg.c */
void msg_destroy(struct rmc_sys *sys, struct rmc_msg *m);
void msg_uncharge(struct rmc_sys *sys, struct rmc_msg *m);

/* space.c */
void space_unref(struct rmc_space *sp);

#endif
