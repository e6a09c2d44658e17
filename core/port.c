// SPDX-License-Identifier: MIT
/*
 * port.c - port and port-set objects: queues, set membership, lifetime.
 *
 * Locking: system lock held for everything.
 *
 * A dying receive right never destroys anything recursively: the port is
 * pushed on sys->work and port_drain_work() (run by core_unlock) destroys
 * ports one at a time; destroying a queued message that carries another
 * receive right only pushes that port. Stack depth stays constant.
 */
#include "internal.h"

struct rmc_port *port_create(struct rmc_sys *sys)
{
	struct rmc_port *p = mem_alloc(sys, sizeof(*p));

	if (!p)
		return NULL;
	mem_zero(p, sizeof(*p));
	p->qlimit = RMC_QLIMIT_DEFAULT;
	p->active = 1;
	sys->stats.ports++;
	return p;
}

void port_unref(struct rmc_sys *sys, struct rmc_port *p)
{
	if (--p->refs)
		return;
	mem_free(sys, p, sizeof(*p));
	sys->stats.ports--;
}

/* The port is charged to the space holding its receive right. */
void port_charge(struct rmc_port *p, struct rmc_space *sp)
{
	p->receiver = sp;
	sp->use.ports++;
	if (sp->owner)
		sp->owner->use.ports++;
}

void port_uncharge(struct rmc_port *p)
{
	struct rmc_space *sp = p->receiver;

	if (!sp)
		return;
	sp->use.ports--;
	if (sp->owner)
		sp->owner->use.ports--;
	p->receiver = NULL;
}

/* ---- port sets ---- */

static void ready_add(struct rmc_pset *s, struct rmc_port *p)
{
	p->ready_next = NULL;
	p->ready_prev = s->ready_tail;
	if (s->ready_tail)
		s->ready_tail->ready_next = p;
	else
		s->ready_head = p;
	s->ready_tail = p;
}

static void ready_remove(struct rmc_pset *s, struct rmc_port *p)
{
	if (p->ready_prev)
		p->ready_prev->ready_next = p->ready_next;
	else
		s->ready_head = p->ready_next;
	if (p->ready_next)
		p->ready_next->ready_prev = p->ready_prev;
	else
		s->ready_tail = p->ready_prev;
	p->ready_next = p->ready_prev = NULL;
}

void port_join_set(struct rmc_sys *sys, struct rmc_port *p, struct rmc_pset *s)
{
	p->pset = s;
	p->set_prev = NULL;
	p->set_next = s->members;
	if (s->members)
		s->members->set_prev = p;
	s->members = p;
	/* Receivers waiting on the port alone get RMC_PORT_CHANGED (XNU). */
	wq_abort_all(sys, &p->rcv_wait, RMC_PORT_CHANGED);
	if (p->msgcount) {
		ready_add(s, p);
		wq_wake_one(sys, &s->rcv_wait);
	}
}

void port_leave_set(struct rmc_sys *sys, struct rmc_port *p)
{
	struct rmc_pset *s = p->pset;

	(void)sys;
	if (!s)
		return;
	if (p->msgcount)
		ready_remove(s, p);
	if (p->set_prev)
		p->set_prev->set_next = p->set_next;
	else
		s->members = p->set_next;
	if (p->set_next)
		p->set_next->set_prev = p->set_prev;
	p->set_next = p->set_prev = NULL;
	p->pset = NULL;
}

struct rmc_pset *pset_create(struct rmc_sys *sys, struct rmc_space *sp)
{
	struct rmc_pset *s = mem_alloc(sys, sizeof(*s));

	if (!s)
		return NULL;
	mem_zero(s, sizeof(*s));
	s->space = sp;
	sys->stats.psets++;
	return s;
}

void pset_destroy(struct rmc_sys *sys, struct rmc_pset *s)
{
	while (s->members)
		port_leave_set(sys, s->members);
	wq_abort_all(sys, &s->rcv_wait, RMC_PORT_DIED);
	mem_free(sys, s, sizeof(*s));
	sys->stats.psets--;
}

/* ---- queue ---- */

void port_enqueue(struct rmc_sys *sys, struct rmc_port *p, struct rmc_msg *m)
{
	m->next = NULL;
	if (p->qtail)
		p->qtail->next = m;
	else
		p->qhead = m;
	p->qtail = m;
	sys->stats.msgs++;
	sys->stats.bytes += m->body_size;
	if (p->msgcount++ == 0 && p->pset)
		ready_add(p->pset, p);
	/* Synchronous wake-up at enqueue time: the platform can hand off. */
	if (!wq_wake_one(sys, &p->rcv_wait) && p->pset)
		wq_wake_one(sys, &p->pset->rcv_wait);
}

struct rmc_msg *port_dequeue(struct rmc_sys *sys, struct rmc_port *p)
{
	struct rmc_msg *m = p->qhead;

	p->qhead = m->next;
	if (!p->qhead)
		p->qtail = NULL;
	m->next = NULL;
	m->seqno = p->seqno++;
	if (p->pset) {
		ready_remove(p->pset, p);
		if (p->msgcount > 1)	/* round robin among set members */
			ready_add(p->pset, p);
	}
	p->msgcount--;
	msg_uncharge(sys, m);
	if (p->msgcount < p->qlimit)
		wq_wake_one(sys, &p->snd_wait);
	return m;
}

/*
 * Would queueing the receive right of `moved` on `dest` make it unreachable?
 * True if dest is moved itself or dest's receive right is (transitively)
 * queued on moved. Walks the chain of in-transit receive rights.
 */
bool port_circular(struct rmc_port *moved, struct rmc_port *dest)
{
	struct rmc_port *x;

	for (x = dest; x; x = x->transit) {
		if (x == moved)
			return true;
		if (!x->active || x->receiver)
			return false;
	}
	return false;
}

/* ---- destruction ---- */

/* The caller detached the receive right (entry or message); its reference
 * moves to the work list. */
void port_kill_receive(struct rmc_sys *sys, struct rmc_port *p)
{
	port_uncharge(p);
	p->transit = NULL;
	p->on_work = 1;
	p->work_next = sys->work;
	sys->work = p;
}

static void port_die(struct rmc_sys *sys, struct rmc_port *p)
{
	struct rmc_port *so;
	struct rmc_msg *m;

	p->active = 0;
	port_leave_set(sys, p);
	wq_abort_all(sys, &p->rcv_wait, RMC_PORT_DIED);
	wq_abort_all(sys, &p->snd_wait, RMC_PORT_DIED);
	so = p->nsrequest;
	p->nsrequest = NULL;
	if (so)
		soright_release(sys, so);
	dnreq_fire_all(sys, p);
	while ((m = p->qhead) != NULL) {
		p->qhead = m->next;
		p->msgcount--;
		msg_uncharge(sys, m);
		msg_destroy(sys, m);
	}
	p->qtail = NULL;
	port_unref(sys, p);	/* the receive right's reference */
}

void port_drain_work(struct rmc_sys *sys)
{
	struct rmc_port *p, *so;

	while ((p = sys->work) != NULL) {
		sys->work = p->work_next;
		p->work_next = NULL;
		p->on_work = 0;
		so = p->pdrequest;
		if (so) {
			p->pdrequest = NULL;
			/* Port-destroyed: the receive right travels in the
			 * notification instead of dying (unless that would make
			 * it unreachable). */
			if (so->active && !port_circular(p, so)) {
				wq_abort_all(sys, &p->rcv_wait,
					     RMC_PORT_CHANGED);
				notify_send(sys, so, RMC_NOTIFY_PORT_DESTROYED,
					    NULL, p);
				continue;
			}
			soright_release(sys, so);
		}
		port_die(sys, p);
	}
}
