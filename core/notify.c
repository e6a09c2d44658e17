// SPDX-License-Identifier: MIT
/*
 * notify.c - notifications (no-senders, dead-name, port-destroyed,
 * send-once, port-deleted) and the requests that arm them.
 *
 * Locking: system lock held, except rmc_port_request_notification (takes it).
 *
 * A notification is a core-made message sent through a send-once right, so
 * it bypasses qlimit and is charged to nobody. If its port is dead, or no
 * memory is left for it, it is dropped (any receive right it would have
 * carried is destroyed instead).
 */
#include "internal.h"

/* Consumes the send-once right `so` (and the receive right `carried`). */
void notify_send(struct rmc_sys *sys, struct rmc_port *so, uint32_t id,
		 const uint32_t *word, struct rmc_port *carried)
{
	struct rmc_msg *m = NULL;

	if (so->active)
		m = msg_get(sys, word ? 4 : 0, carried ? 1 : 0);
	if (!m) {
		so->sorights--;
		port_unref(sys, so);
		if (carried)
			port_kill_receive(sys, carried);
		return;
	}
	m->id = id;
	m->flags |= M_KERNEL;
	m->dest_port = so;
	m->dest_disp = RMC_MOVE_SEND_ONCE;
	if (word)
		mem_copy(m->body, word, sizeof(*word));
	if (carried) {
		m->desc[0].disp = RMC_MOVE_RECEIVE;
		m->desc_port[0] = carried;
		carried->transit = so;
	}
	if (sys->ops->now)
		m->stamp = sys->ops->now(sys->ctx);
	port_enqueue(sys, so, m);
}

void notify_no_senders(struct rmc_sys *sys, struct rmc_port *p)
{
	struct rmc_port *so = p->nsrequest;
	uint32_t mscount = p->mscount;

	p->nsrequest = NULL;
	notify_send(sys, so, RMC_NOTIFY_NO_SENDERS, &mscount, NULL);
}

/* The port died: every dead-name request fires. The requesters' entries keep
 * E_DNREQ so their lazy turn into dead names adds the notification's uref. */
void dnreq_fire_all(struct rmc_sys *sys, struct rmc_port *p)
{
	struct rmc_dnreq *d;

	while ((d = p->dnrequests) != NULL) {
		p->dnrequests = d->next;
		notify_send(sys, d->soright, RMC_NOTIFY_DEAD_NAME, &d->name,
			    NULL);
		mem_free(sys, d, sizeof(*d));
	}
}

/* Removes the dead-name request of entry e; returns its send-once right. */
struct rmc_port *dnreq_take(struct rmc_space *sp, struct rmc_entry *e)
{
	rmc_name_t name = entry_name(sp, e);
	struct rmc_port *p = e->u.port, *so;
	struct rmc_dnreq *d;

	e->type &= (uint8_t)~E_DNREQ;
	for (d = p->dnrequests; d; d = d->next)
		if (d->space == sp && d->name == name)
			break;
	if (!d)
		return NULL;
	if (d->prev)
		d->prev->next = d->next;
	else
		p->dnrequests = d->next;
	if (d->next)
		d->next->prev = d->prev;
	so = d->soright;
	mem_free(sp->sys, d, sizeof(*d));
	return so;
}

/* The name goes away while its port lives: port-deleted notification. */
void dnreq_delete(struct rmc_space *sp, struct rmc_entry *e)
{
	rmc_name_t name = entry_name(sp, e);
	struct rmc_port *so = dnreq_take(sp, e);

	if (so)
		notify_send(sp->sys, so, RMC_NOTIFY_PORT_DELETED, &name, NULL);
}

static rmc_ret_t request_check(struct rmc_space *sp, struct rmc_entry *e,
			       unsigned variant)
{
	entry_check(sp, e);
	switch (variant) {
	case RMC_NOTIFY_NO_SENDERS:
	case RMC_NOTIFY_PORT_DESTROYED:
		return (e->type & RMC_TYPE_RECEIVE) ? RMC_SUCCESS :
						      RMC_INVALID_RIGHT;
	case RMC_NOTIFY_DEAD_NAME:
		if (e->type & (RMC_TYPE_RECEIVE | RMC_TYPE_PORT_SET))
			return RMC_INVALID_RIGHT;
		return RMC_SUCCESS;
	default:
		return RMC_INVALID_VALUE;
	}
}

static void dnreq_arm(struct rmc_space *sp, struct rmc_entry *e,
		      struct rmc_dnreq *d, struct rmc_port *so)
{
	struct rmc_port *p = e->u.port;

	d->space = sp;
	d->name = entry_name(sp, e);
	d->soright = so;
	d->prev = NULL;
	d->next = p->dnrequests;
	if (p->dnrequests)
		p->dnrequests->prev = d;
	p->dnrequests = d;
	e->type |= E_DNREQ;
}

static rmc_ret_t request_locked(struct rmc_space *sp, rmc_name_t name,
				unsigned variant, uint32_t sync,
				rmc_name_t notify, unsigned notify_disp,
				rmc_name_t *previous)
{
	struct rmc_sys *sys = sp->sys;
	struct rmc_entry *e, *ne = NULL;
	struct rmc_port *p, *so = NULL, *prev = NULL;
	struct rmc_dnreq *d = NULL;
	rmc_ret_t ret;

	ret = table_reserve(sp, 1);	/* for *previous; before lookups */
	if (ret)
		return ret;
	e = entry_lookup(sp, name);
	if (!e)
		return RMC_INVALID_NAME;
	ret = request_check(sp, e, variant);
	if (ret)
		return ret;
	if (notify != RMC_NAME_NULL) {
		if (notify_disp != RMC_MAKE_SEND_ONCE &&
		    notify_disp != RMC_MOVE_SEND_ONCE)
			return RMC_INVALID_VALUE;
		if (notify == name && notify_disp == RMC_MOVE_SEND_ONCE)
			return RMC_INVALID_VALUE;
		ret = copyin_check(sp, notify, notify_disp, &ne);
		copyin_unclaim(ne);
		if (ret)
			return ret;
		if (ne->type & RMC_TYPE_DEAD_NAME)
			return RMC_INVALID_RIGHT;
		if (variant == RMC_NOTIFY_DEAD_NAME &&
		    !(e->type & RMC_TYPE_DEAD_NAME)) {
			d = mem_alloc(sys, sizeof(*d));
			if (!d)
				return RMC_RESOURCE_SHORTAGE;
		}
		copyin_do(sp, ne, notify_disp, &so);
	}
	p = e->u.port;
	switch (variant) {
	case RMC_NOTIFY_NO_SENDERS:
		prev = p->nsrequest;
		p->nsrequest = so;
		if (so && p->srights == 0 && p->mscount >= sync)
			notify_no_senders(sys, p);
		break;
	case RMC_NOTIFY_PORT_DESTROYED:
		prev = p->pdrequest;
		p->pdrequest = so;
		break;
	default:
		if (e->type & RMC_TYPE_DEAD_NAME) {
			/* Already dead: notify at once; the notification
			 * carries one more uref of the dead name. */
			if (so) {
				urefs_add_sat(e, 1);
				notify_send(sys, so, RMC_NOTIFY_DEAD_NAME, &name,
					    NULL);
			}
			break;
		}
		if (e->type & E_DNREQ)
			prev = dnreq_take(sp, e);
		if (so)
			dnreq_arm(sp, e, d, so);
		break;
	}
	if (prev)
		*previous = copyout(sp, prev, RMC_MOVE_SEND_ONCE);
	return RMC_SUCCESS;
}

rmc_ret_t rmc_port_request_notification(struct rmc_space *sp, rmc_name_t name,
					unsigned variant, uint32_t sync,
					rmc_name_t notify, unsigned notify_disp,
					rmc_name_t *previous)
{
	rmc_ret_t ret;

	*previous = RMC_NAME_NULL;
	core_lock(sp->sys);
	ret = request_locked(sp, name, variant, sync, notify, notify_disp,
			     previous);
	core_unlock(sp->sys);
	return ret;
}
