// SPDX-License-Identifier: MIT
/*
 * msg.c - send, receive, call, peek; destroying messages.
 *
 * Locking: rmc_msg_* take the system lock; the rest expects it held.
 *
 * Send is validate-then-commit: every right of the header and descriptors is
 * checked (with claims, see right.c), the queue and the caps are checked,
 * and only then are rights taken. So a failed send returns the message and
 * the sender's space exactly as they were.
 */
#include "internal.h"

void msg_uncharge(struct rmc_sys *sys, struct rmc_msg *m)
{
	struct rmc_space *sp = m->charged;

	sys->stats.msgs--;
	sys->stats.bytes -= m->body_size;
	if (!sp)
		return;
	m->charged = NULL;
	sp->use.msgs--;
	sp->use.bytes -= m->body_size;
	if (sp->owner) {
		sp->owner->use.msgs--;
		sp->owner->use.bytes -= m->body_size;
	}
	space_unref(sp);
}

/* Releases every right a core-owned message carries, then frees it. A
 * receive right inside only goes on the work list: no recursion. */
void msg_destroy(struct rmc_sys *sys, struct rmc_msg *m)
{
	uint32_t i;

	right_release(sys, m->dest_port, m->dest_disp);
	right_release(sys, m->reply_port, m->reply_disp);
	for (i = 0; i < m->ndesc; i++)
		right_release(sys, m->desc_port[i], m->desc[i].disp);
	msg_put(sys, m);
}

static bool over(uint32_t used, uint32_t add, uint32_t cap)
{
	return cap && (uint64_t)used + add > cap;
}

static rmc_ret_t charge_check(struct rmc_space *sp, uint32_t bytes)
{
	struct rmc_owner *o = sp->owner;

	if (over(sp->use.msgs, 1, sp->limit.msgs) ||
	    over(sp->use.bytes, bytes, sp->limit.bytes))
		return RMC_LIMIT_EXCEEDED;
	if (o && (over(o->use.msgs, 1, o->limit.msgs) ||
		  over(o->use.bytes, bytes, o->limit.bytes)))
		return RMC_LIMIT_EXCEEDED;
	return RMC_SUCCESS;
}

static void charge(struct rmc_space *sp, struct rmc_msg *m)
{
	m->charged = sp;
	sp->refs++;
	sp->use.msgs++;
	sp->use.bytes += m->body_size;
	if (sp->owner) {
		sp->owner->use.msgs++;
		sp->owner->use.bytes += m->body_size;
	}
}

static bool dest_disp_ok(unsigned d)
{
	return d == RMC_COPY_SEND || d == RMC_MAKE_SEND || d == RMC_MOVE_SEND ||
	       d == RMC_MAKE_SEND_ONCE || d == RMC_MOVE_SEND_ONCE;
}

static bool has_reply(const struct rmc_msg *m)
{
	return m->reply != RMC_NAME_NULL && m->reply_disp != RMC_DISP_NONE;
}

static bool desc_used(const struct rmc_port_desc *d)
{
	return d->name != RMC_NAME_NULL && d->disp != RMC_DISP_NONE;
}

/* Undoes the claims of phase 1 (entries are all still there). */
static void unclaim_all(struct rmc_space *sp, struct rmc_msg *m, uint32_t n)
{
	uint32_t i;

	copyin_unclaim(entry_lookup(sp, m->dest));
	if (has_reply(m) && m->reply != RMC_NAME_DEAD)
		copyin_unclaim(entry_lookup(sp, m->reply));
	for (i = 0; i < n; i++)
		if (desc_used(&m->desc[i]) && m->desc[i].name != RMC_NAME_DEAD)
			copyin_unclaim(entry_lookup(sp, m->desc[i].name));
}

/* Phase 1: returns the destination port, or an error with nothing changed. */
static rmc_ret_t send_check(struct rmc_space *sp, struct rmc_msg *m,
			    struct rmc_port **dport, uint32_t *checked)
{
	struct rmc_entry *e;
	struct rmc_port_desc *d;
	rmc_ret_t ret;
	uint32_t i;

	*checked = 0;
	if (!dest_disp_ok(m->dest_disp))
		return RMC_INVALID_VALUE;
	if (copyin_check(sp, m->dest, m->dest_disp, &e))
		return RMC_INVALID_DEST;
	if (e->type & RMC_TYPE_DEAD_NAME)
		return RMC_INVALID_DEST;
	*dport = e->u.port;
	if (has_reply(m)) {
		if (!dest_disp_ok(m->reply_disp))
			return RMC_INVALID_REPLY;
		if (m->reply != RMC_NAME_DEAD &&
		    copyin_check(sp, m->reply, m->reply_disp, &e))
			return RMC_INVALID_REPLY;
	}
	for (i = 0; i < m->ndesc; i++) {
		d = &m->desc[i];
		*checked = i + 1;
		if (!desc_used(d))
			continue;
		if (d->name == RMC_NAME_DEAD) {
			if (d->disp < RMC_MOVE_RECEIVE ||
			    d->disp > RMC_MAKE_SEND_ONCE)
				return RMC_INVALID_VALUE;
			/* a dead name stands for a dead send(-once) right;
			 * there is no dead receive right */
			if (disp_kind(d->disp) == RMC_MOVE_RECEIVE)
				return RMC_INVALID_RIGHT;
			continue;
		}
		ret = copyin_check(sp, d->name, d->disp, &e);
		if (ret)
			return ret;
	}
	return RMC_SUCCESS;
}

/* Phase 2: takes the rights; cannot fail. */
static void send_take(struct rmc_space *sp, struct rmc_msg *m)
{
	struct rmc_port_desc *d;
	struct rmc_port *p;
	unsigned kind;
	uint32_t i;

	m->dest_disp = copyin_do(sp, entry_lookup(sp, m->dest), m->dest_disp,
				 &m->dest_port);
	if (!has_reply(m)) {
		m->reply_disp = 0;
	} else if (m->reply == RMC_NAME_DEAD) {
		m->reply_disp = disp_kind(m->reply_disp);
	} else {
		unsigned disp = m->reply_disp;

		m->reply_disp = copyin_do(sp, entry_lookup(sp, m->reply), disp,
					  &m->reply_port);
		if (!m->reply_port)
			m->reply_disp = disp_kind(disp);
	}
	for (i = 0; i < m->ndesc; i++) {
		d = &m->desc[i];
		m->desc_port[i] = NULL;
		if (!desc_used(d)) {
			d->name = RMC_NAME_NULL;
			d->disp = 0;
			continue;
		}
		if (d->name == RMC_NAME_DEAD) {
			d->disp = disp_kind(d->disp);
			continue;
		}
		kind = copyin_do(sp, entry_lookup(sp, d->name), d->disp, &p);
		m->desc_port[i] = p;
		if (p) {
			d->disp = kind;
		} else {
			d->name = RMC_NAME_DEAD;
			d->disp = disp_kind(d->disp);
		}
	}
}

static rmc_ret_t send_locked(struct rmc_space *sp, struct rmc_msg *m,
			     uint32_t options, struct rmc_waiter *w)
{
	struct rmc_sys *sys = sp->sys;
	struct rmc_port *dport = NULL, *p;
	uint32_t i, checked;
	bool circular = false;
	rmc_ret_t ret;

	waiter_begin(w);
	if (options)
		return RMC_INVALID_VALUE;
	if (m->ndesc > m->cap_desc || m->body_size > m->cap_body)
		return RMC_INVALID_VALUE;
	ret = send_check(sp, m, &dport, &checked);
	if (!ret && disp_kind(m->dest_disp) == RMC_MOVE_SEND &&
	    dport->msgcount >= dport->qlimit)
		ret = w ? RMC_WOULD_BLOCK : RMC_SEND_TIMED_OUT;
	if (!ret)
		ret = charge_check(sp, m->body_size);
	unclaim_all(sp, m, checked);
	if (ret) {
		if (ret == RMC_WOULD_BLOCK)
			wq_link(&dport->snd_wait, w);
		return ret;
	}
	send_take(sp, m);
	m->flags &= M_CACHED;
	/* Check every carried receive right before linking any: a chain
	 * must never be walked while half updated (it could loop). */
	for (i = 0; i < m->ndesc; i++) {
		p = m->desc_port[i];
		if (p && m->desc[i].disp == RMC_MOVE_RECEIVE &&
		    port_circular(p, dport))
			circular = true;
	}
	if (circular) {
		/* The receive right could never be received: destroy the
		 * message now, as XNU does; the send itself succeeded. */
		msg_destroy(sys, m);
		return RMC_SUCCESS;
	}
	for (i = 0; i < m->ndesc; i++) {
		p = m->desc_port[i];
		if (p && m->desc[i].disp == RMC_MOVE_RECEIVE)
			p->transit = dport;
	}
	charge(sp, m);
	if (sys->ops->now)
		m->stamp = sys->ops->now(sys->ctx);
	port_enqueue(sys, dport, m);
	return RMC_SUCCESS;
}

rmc_ret_t rmc_msg_send(struct rmc_space *sp, struct rmc_msg *msg,
		       uint32_t options, struct rmc_waiter *w)
{
	rmc_ret_t ret;

	core_lock(sp->sys);
	ret = send_locked(sp, msg, options, w);
	core_unlock(sp->sys);
	return ret;
}

/* Finds the port to receive from: the receive right itself or the first
 * ready member of a set. *wq gets where a waiter would wait. */
static rmc_ret_t rcv_source(struct rmc_space *sp, rmc_name_t name,
			    struct rmc_port **out, struct rmc_wq **wq)
{
	struct rmc_entry *e = entry_lookup(sp, name);

	*out = NULL;
	if (!e)
		return RMC_INVALID_NAME;
	if (e->type & RMC_TYPE_RECEIVE) {
		*out = e->u.port;
		*wq = &e->u.port->rcv_wait;
	} else if (e->type & RMC_TYPE_PORT_SET) {
		*out = e->u.pset->ready_head;
		*wq = &e->u.pset->rcv_wait;
	} else {
		return RMC_INVALID_RIGHT;
	}
	return RMC_SUCCESS;
}

/* Names the rights of a dequeued message in sp (room reserved). `name` is
 * the receive right's name, or NULL when received through a set. */
static void rcv_copyout(struct rmc_space *sp, rmc_name_t name,
			struct rmc_port *p, struct rmc_msg *m)
{
	struct rmc_sys *sys = sp->sys;
	struct rmc_port_desc *d;
	uint32_t i;

	m->dest = name ? name : entry_name(sp, rhash_find(sp, p));
	if (m->dest_disp == RMC_MOVE_SEND) {
		send_release(sys, p);
	} else {		/* the send-once right is used up */
		p->sorights--;
		port_unref(sys, p);
	}
	if (m->reply_disp) {
		m->reply = copyout(sp, m->reply_port, m->reply_disp);
	} else {
		m->reply = RMC_NAME_NULL;
	}
	for (i = 0; i < m->ndesc; i++) {
		d = &m->desc[i];
		if (d->disp)
			d->name = copyout(sp, m->desc_port[i], d->disp);
		m->desc_port[i] = NULL;
	}
	m->dest_port = NULL;
	m->reply_port = NULL;
	m->flags &= M_CACHED;
}

static rmc_ret_t rcv_locked(struct rmc_space *sp, rmc_name_t name,
			    uint32_t max_size, uint32_t options,
			    struct rmc_waiter *w, struct rmc_msg **out,
			    uint32_t *need_size)
{
	struct rmc_port *p;
	struct rmc_wq *wq;
	struct rmc_msg *m;
	uint32_t size, n;
	rmc_ret_t ret;

	ret = waiter_begin(w);
	if (ret)
		return ret;
	if (options)
		return RMC_INVALID_VALUE;
	ret = rcv_source(sp, name, &p, &wq);
	if (ret)
		return ret;
	if (!p || !p->qhead) {
		if (!w)
			return RMC_RCV_TIMED_OUT;
		wq_link(wq, w);
		return RMC_WOULD_BLOCK;
	}
	m = p->qhead;
	size = rmc_msg_size(m);
	if (size > max_size) {
		if (need_size)
			*need_size = size;
		return RMC_RCV_TOO_LARGE;
	}
	/* Copy-out must not fail half way: make room first. This may move
	 * the table, so no entry pointer is kept across it. */
	n = m->ndesc + 1;
	ret = table_reserve(sp, n);
	if (!ret)
		ret = rhash_reserve(sp, n);
	if (ret)
		return ret;
	m = port_dequeue(sp->sys, p);
	rcv_copyout(sp, wq == &p->rcv_wait ? name : RMC_NAME_NULL, p, m);
	*out = m;
	return RMC_SUCCESS;
}

rmc_ret_t rmc_msg_receive(struct rmc_space *sp, rmc_name_t name,
			  uint32_t max_size, uint32_t options,
			  struct rmc_waiter *w, struct rmc_msg **out,
			  uint32_t *need_size)
{
	rmc_ret_t ret;

	*out = NULL;
	core_lock(sp->sys);
	ret = rcv_locked(sp, name, max_size, options, w, out, need_size);
	core_unlock(sp->sys);
	return ret;
}

rmc_ret_t rmc_msg_call(struct rmc_space *sp, struct rmc_msg *msg,
		       uint32_t send_options, rmc_name_t rcv_name,
		       uint32_t max_size, uint32_t rcv_options,
		       struct rmc_waiter *w, struct rmc_msg **out,
		       uint32_t *need_size, bool *sent)
{
	rmc_ret_t ret;

	*out = NULL;
	*sent = false;
	core_lock(sp->sys);
	ret = send_locked(sp, msg, send_options, w);
	if (!ret) {
		*sent = true;
		ret = rcv_locked(sp, rcv_name, max_size, rcv_options, w, out,
				 need_size);
	}
	core_unlock(sp->sys);
	return ret;
}

rmc_ret_t rmc_msg_peek(struct rmc_space *sp, rmc_name_t name, uint32_t *size)
{
	struct rmc_port *p;
	struct rmc_wq *wq;
	rmc_ret_t ret;

	core_lock(sp->sys);
	ret = rcv_source(sp, name, &p, &wq);
	if (!ret && (!p || !p->qhead))
		ret = RMC_RCV_TIMED_OUT;
	if (!ret && size)
		*size = rmc_msg_size(p->qhead);
	core_unlock(sp->sys);
	return ret;
}
