// SPDX-License-Identifier: MIT
/*
 * fuzz.c - libFuzzer target for core/: random operation sequences over
 * several spaces; after every step the whole object graph is walked and the
 * invariants of core/internal.h are checked, and the rights every name
 * holds are compared with a reference model (model.c). At the end all
 * spaces are torn down and the allocation counter must be back to zero.
 *
 * Build: make $(BUILD)/core/core-fuzz (clang -fsanitize=fuzzer,address,undefined)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "alloc_ops.h"
#include "model.h"

#define NSPACES 3
#define POOL 16
#define NWAITERS 4

struct input {
	const uint8_t *p;
	size_t n;
};

static uint8_t take(struct input *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

static struct test_ctx ctx;
static struct rmc_sys *sys;
static struct rmc_space *spaces[NSPACES];
static rmc_name_t pool[NSPACES][POOL];
static unsigned pool_next[NSPACES];
static struct rmc_waiter waiters[NWAITERS];
static struct model model;
/* Spaces 0 and 1 share an accounting owner; space 2 has none. */
static struct rmc_owner owner;

static void fail(const char *what)
{
	fprintf(stderr, "core-fuzz: invariant broken: %s\n", what);
	fflush(stderr);
	abort();
}

#define INV(cond)                                  \
	do {                                       \
		if (!(cond))                       \
			fail(#cond);               \
	} while (0)

static void remember(unsigned s, rmc_name_t n)
{
	if (!RMC_NAME_VALID(n))
		return;
	pool[s][pool_next[s]++ % POOL] = n;
}

static rmc_name_t pick_name(struct input *in, unsigned s)
{
	uint8_t b = take(in);

	if (b < 0xF0)
		return pool[s][b % POOL];
	if (b < 0xF8)		/* a stale or made-up name */
		return pool[s][b % POOL] ^ (1u << (b & 7));
	return b == 0xFF ? RMC_NAME_DEAD : RMC_NAME_NULL;
}

static unsigned pick_disp(struct input *in)
{
	uint8_t b = take(in);

	if (b >= 250)
		return b;	/* invalid */
	return RMC_MOVE_RECEIVE + b % 6;
}

/* ---- invariant walk ---- */

#define SET_SLOTS 8192

struct pinfo {
	struct rmc_port *p;
	uint32_t refs, srights, sorights, receive_places;
	uint32_t dnreq_entries, dnreqs;
};

static struct pinfo seen[SET_SLOTS];
static struct pinfo *queue_todo[SET_SLOTS];
static unsigned todo_n, nseen;

static struct pinfo *info(struct rmc_port *p)
{
	uintptr_t h = ((uintptr_t)p >> 4) * 2654435761u;
	unsigned i = (unsigned)(h % SET_SLOTS);

	while (seen[i].p && seen[i].p != p)
		i = (i + 1) % SET_SLOTS;
	if (!seen[i].p) {
		if (nseen + 1 >= SET_SLOTS)
			fail("too many ports for the checker");
		seen[i].p = p;
		nseen++;
		queue_todo[todo_n++] = &seen[i];
	}
	return &seen[i];
}

static void count_transit(struct rmc_port *p, unsigned kind)
{
	struct pinfo *pi;

	if (!p) {
		INV(kind == 0 || kind == RMC_MOVE_SEND ||
		    kind == RMC_MOVE_SEND_ONCE);
		return;
	}
	pi = info(p);
	pi->refs++;
	if (kind == RMC_MOVE_SEND)
		pi->srights++;
	else if (kind == RMC_MOVE_SEND_ONCE)
		pi->sorights++;
	else if (kind == RMC_MOVE_RECEIVE)
		pi->receive_places++;
	else
		fail("bad kind in transit");
}

static uint32_t space_msgs[NSPACES], space_bytes[NSPACES], space_ports[NSPACES];

static void check_space_table(unsigned si)
{
	struct rmc_space *sp = spaces[si];
	uint32_t i, nfree = 0, hashed = 0, f;
	struct rmc_entry *e;
	struct pinfo *pi;

	for (f = sp->free_head; f; f = sp->table[f].u.free.next) {
		INV(!(sp->table[f].type & E_RIGHTS));
		nfree++;
		INV(nfree <= sp->size);
	}
	INV(nfree == sp->nfree);
	for (i = 1; i < sp->size; i++) {
		e = &sp->table[i];
		INV(!(e->type & (E_CLAIM_RCV)) && e->claim == 0);
		if (!(e->type & E_RIGHTS))
			continue;
		INV((e->type & E_RIGHTS) != 0);
		if (e->type & RMC_TYPE_PORT_SET) {
			INV((e->type & E_RIGHTS) == RMC_TYPE_PORT_SET);
			INV(e->u.pset->space == sp);
			INV(e->u.pset->name == entry_name(sp, e));
			continue;
		}
		if (e->type & RMC_TYPE_DEAD_NAME) {
			INV((e->type & E_RIGHTS) == RMC_TYPE_DEAD_NAME);
			INV(e->urefs >= 1);
			INV(!(e->type & E_DNREQ));
			continue;
		}
		pi = info(e->u.port);
		pi->refs++;
		if (e->type & RMC_TYPE_SEND_ONCE) {
			INV((e->type & E_RIGHTS) == RMC_TYPE_SEND_ONCE);
			INV(e->urefs == 1);
			pi->sorights++;
			if ((e->type & E_DNREQ) && e->u.port->active)
				pi->dnreq_entries++;
			continue;
		}
		if ((e->type & E_DNREQ) && e->u.port->active)
			pi->dnreq_entries++;
		hashed++;
		INV(rhash_find(sp, e->u.port) == e);
		if (e->type & RMC_TYPE_SEND) {
			INV(e->urefs >= 1);
			pi->srights++;
		} else {
			INV(e->urefs == 0);
		}
		if (e->type & RMC_TYPE_RECEIVE) {
			INV(e->u.port->active);
			INV(e->u.port->receiver == sp);
			INV(!(e->type & E_DNREQ) || (e->type & RMC_TYPE_SEND));
			pi->receive_places++;
			space_ports[si]++;
			if (e->u.port->pset)
				INV(e->u.port->pset->space == sp);
		}
	}
	INV(hashed == sp->rh_count);
}

/* Every waiter in wq points back at it; WAITING ones come first and
 * first_woken marks the first WOKEN one. */
static void check_wq(const struct rmc_wq *wq)
{
	const struct rmc_waiter *w, *prev = NULL;
	bool woken = false;

	for (w = wq->head; w; prev = w, w = w->next) {
		INV(w->wq == wq && w->prev == prev);
		if (w->state == RMC_WAITER_WOKEN) {
			if (!woken)
				INV(wq->first_woken == w);
			woken = true;
		} else {
			INV(w->state == RMC_WAITER_WAITING && !woken);
		}
	}
	INV(wq->tail == prev);
	if (!woken)
		INV(wq->first_woken == NULL);
}

static bool known_space(const struct rmc_space *sp)
{
	unsigned si;

	for (si = 0; si < NSPACES; si++)
		if (spaces[si] == sp)
			return true;
	return false;
}

static void check_port(struct pinfo *pi)
{
	struct rmc_port *p = pi->p;
	struct rmc_msg *m;
	struct rmc_dnreq *d;
	uint32_t n = 0, i;
	unsigned si;

	for (m = p->qhead; m; m = m->next) {
		n++;
		INV(m->next || m == p->qtail);
		INV(m->dest_port == p);
		count_transit(m->dest_port, m->dest_disp);
		INV(m->dest_disp == RMC_MOVE_SEND ||
		    m->dest_disp == RMC_MOVE_SEND_ONCE);
		count_transit(m->reply_port, m->reply_disp);
		for (i = 0; i < m->ndesc; i++) {
			count_transit(m->desc_port[i], m->desc[i].disp);
			if (m->desc_port[i] && m->desc[i].disp == RMC_MOVE_RECEIVE)
				INV(m->desc_port[i]->transit == p);
		}
		for (si = 0; si < NSPACES; si++)
			if (m->charged == spaces[si]) {
				space_msgs[si]++;
				space_bytes[si] += m->body_size;
			}
		INV(!(m->flags & M_KERNEL) || !m->charged);
	}
	INV(n == p->msgcount);
	INV(!n == !p->qhead);
	if (p->nsrequest)
		count_transit(p->nsrequest, RMC_MOVE_SEND_ONCE);
	if (p->pdrequest)
		count_transit(p->pdrequest, RMC_MOVE_SEND_ONCE);
	for (d = p->dnrequests; d; d = d->next) {
		struct rmc_entry *e;

		count_transit(d->soright, RMC_MOVE_SEND_ONCE);
		INV(d->next == NULL || d->next->prev == d);
		/* the request names a live entry of that space, for p */
		INV(known_space(d->space));
		e = entry_lookup(d->space, d->name);
		INV(e && (e->type & E_DNREQ) && e->u.port == p &&
		    (e->type & (RMC_TYPE_SEND | RMC_TYPE_SEND_ONCE)));
		pi->dnreqs++;
	}
	check_wq(&p->rcv_wait);
	check_wq(&p->snd_wait);
	if (p->pset) {
		const struct rmc_port *x;
		bool member = false, ready = false;

		for (x = p->pset->members; x; x = x->set_next)
			member |= x == p;
		for (x = p->pset->ready_head; x; x = x->ready_next)
			ready |= x == p;
		INV(member);
		INV(ready == (p->msgcount != 0));
		check_wq(&p->pset->rcv_wait);
	}
	INV(!p->on_work);
	INV(p->msgcount <= p->qlimit + 64 || 1);
	if (!p->active) {
		INV(!p->qhead && !p->pset && !p->rcv_wait.head &&
		    !p->snd_wait.head && !p->dnrequests && !p->nsrequest &&
		    !p->pdrequest && !p->receiver);
	}
	if (p->pset) {
		INV(p->active);
	}
	if (p->receiver) {
		INV(!p->transit);
	} else if (p->active) {
		/* the chain of in-transit receive rights ends */
		const struct rmc_port *x = p;
		unsigned steps = 0;

		while (x && x->active && !x->receiver) {
			INV(++steps <= SET_SLOTS);
			x = x->transit;
		}
	}
}

static void check_all(void)
{
	struct rmc_stats st;
	unsigned si, k, names = 0;
	uint32_t msgs = 0;
	uint64_t bytes = 0;
	struct pinfo *pi;

	INV(ctx.errors == 0);
	INV(ctx.locked == 0);
	INV(sys->work == NULL);
	for (k = 0; k < todo_n; k++)	/* clear only what the last walk used */
		memset(queue_todo[k], 0, sizeof(*queue_todo[k]));
	memset(space_msgs, 0, sizeof(space_msgs));
	memset(space_bytes, 0, sizeof(space_bytes));
	memset(space_ports, 0, sizeof(space_ports));
	todo_n = nseen = 0;
	for (si = 0; si < NSPACES; si++) {
		check_space_table(si);
		names += spaces[si]->size ? spaces[si]->size - 1 -
					    spaces[si]->nfree : 0;
	}
	/* Breadth-first over queues: ports found only inside messages. */
	for (k = 0; k < todo_n; k++) {
		pi = queue_todo[k];
		check_port(pi);
		msgs += pi->p->msgcount;
	}
	for (k = 0; k < todo_n; k++) {
		struct rmc_port *p = queue_todo[k]->p;
		struct rmc_msg *m;

		pi = queue_todo[k];
		for (m = p->qhead; m; m = m->next)
			bytes += m->body_size;
		INV(pi->refs == p->refs);
		INV(pi->srights == p->srights);
		INV(pi->sorights == p->sorights);
		INV(pi->receive_places == (p->active ? 1u : 0u));
		INV(pi->dnreq_entries == pi->dnreqs);
		if (p->active && !p->receiver)
			INV(p->transit != NULL);
	}
	rmc_sys_stats(sys, &st);
	/* nothing unreachable survives: every live port was found */
	INV(st.ports == nseen);
	INV(st.names == names);
	INV(st.msgs == msgs);
	INV(st.bytes == bytes);
	/* the owner's usage is its spaces' (drained spaces charge nothing
	 * once their messages are gone, so compare with live spaces only
	 * when no draining space is left) */
	if (owner.spaces == 2) {
		INV(owner.use.ports == spaces[0]->use.ports + spaces[1]->use.ports);
		INV(owner.use.msgs == spaces[0]->use.msgs + spaces[1]->use.msgs);
		INV(owner.use.bytes == spaces[0]->use.bytes + spaces[1]->use.bytes);
	}
	for (si = 0; si < NSPACES; si++) {
		INV(spaces[si]->use.msgs == space_msgs[si]);
		INV(spaces[si]->use.bytes == space_bytes[si]);
		INV(spaces[si]->use.ports == space_ports[si]);
	}
	model_compare(&model, spaces);
}

/* ---- operations ---- */

static void new_space(unsigned s)
{
	ctx.fail_at = 0;
	if (rmc_space_create(sys, s < 2 ? &owner : NULL, &spaces[s]))
		abort();
	memset(pool[s], 0, sizeof(pool[s]));
	model_space_reset(&model, s);
	model.pending = -1;
}

static void remember_msg(unsigned s, const struct rmc_msg *m)
{
	uint32_t i;

	remember(s, m->reply);
	for (i = 0; i < m->ndesc; i++)
		remember(s, m->desc[i].name);
}

static void op_send(struct input *in, unsigned s, bool call)
{
	struct rmc_msg *m = NULL, *r = NULL;
	uint32_t i, nd = take(in) % 4, body = take(in) % 80;
	struct rmc_waiter *w = NULL;
	uint8_t b = take(in);
	bool sent = false;
	rmc_ret_t ret, mret;
	rmc_name_t rcv;

	if (rmc_msg_alloc(sys, body, nd, &m))
		return;
	m->dest = pick_name(in, s);
	m->dest_disp = pick_disp(in);
	if (b & 1) {
		m->reply = pick_name(in, s);
		m->reply_disp = pick_disp(in);
	}
	if (b & 2)
		w = &waiters[take(in) % NWAITERS];
	m->id = b;
	for (i = 0; i < nd; i++) {
		m->desc[i].name = pick_name(in, s);
		m->desc[i].disp = (take(in) & 7) ? pick_disp(in) : 0;
	}
	mret = model_send_predict(&model, spaces, s, m);
	if (mret == RMC_SEND_TIMED_OUT && w)
		mret = RMC_WOULD_BLOCK;
	if (call) {
		rcv = pick_name(in, s);
		ret = rmc_msg_call(spaces[s], m, 0, rcv, 4096, 0, w, &r, NULL,
				   &sent);
		if (!sent)
			INV(ret == mret);
		else
			INV(mret == RMC_SUCCESS);
		if (!sent)
			rmc_msg_free(sys, m);
		if (r) {
			remember_msg(s, r);
			rmc_msg_free(sys, r);
		}
		model.pending = -1;	/* the receive part is not modelled */
		return;
	}
	ret = rmc_msg_send(spaces[s], m, 0, w);
	INV(ret == mret);
	if (ret)
		rmc_msg_free(sys, m);
}

static void op_receive(struct input *in, unsigned s)
{
	struct rmc_msg *m = NULL;
	uint8_t b = take(in);
	struct rmc_waiter *w = (b & 1) ? &waiters[(b >> 1) % NWAITERS] : NULL;
	uint32_t need = 0, max = (b & 0x80) ? 16 : 4096;
	rmc_ret_t ret;

	ret = rmc_msg_receive(spaces[s], pick_name(in, s), max, 0, w, &m,
			      &need);
	if (ret == RMC_RCV_TOO_LARGE)
		INV(need > max);
	if (m) {
		INV(ret == RMC_SUCCESS);
		remember_msg(s, m);
		rmc_msg_free(sys, m);
	}
}

/* Runs one operation; returns false at the end of the input. */
static bool step(struct input *in)
{
	uint8_t op = take(in), t;
	unsigned s = take(in) % NSPACES, s2;
	rmc_name_t n = 0, n2;
	uint32_t v;
	unsigned d;
	rmc_ret_t ret;

	if (!in->n)
		return false;
	switch (op % 20) {
	case 0:
	case 1:
		t = take(in) % 8;
		ret = rmc_port_allocate(spaces[s], t < 5 ? RMC_RIGHT_RECEIVE :
					t < 7 ? RMC_RIGHT_PORT_SET :
						RMC_RIGHT_DEAD_NAME, &n);
		if (!ret)
			remember(s, n);
		break;
	case 2:
		n = RMC_NAME_MAKE(take(in) % 64 + 1, take(in));
		if (!rmc_port_allocate_name(spaces[s], take(in) % 5, n))
			remember(s, n);
		break;
	case 3:
		rmc_port_destroy(spaces[s], pick_name(in, s));
		break;
	case 4:
		n = pick_name(in, s);
		ret = model_mod_refs_predict(&model, s, n, -1, -1);
		INV(rmc_port_deallocate(spaces[s], n) == ret);
		break;
	case 5: {
		int32_t delta;

		t = take(in);
		n = pick_name(in, s);
		delta = (t & 0x80) ? (int8_t)take(in) :
			(t & 0x40) ? 0xFFFF - (int32_t)(take(in) % 3) :
				     (int32_t)(take(in) % 4) - 2;
		ret = model_mod_refs_predict(&model, s, n, t % 6, delta);
		INV(rmc_port_mod_refs(spaces[s], n, t % 6, delta) == ret);
		break;
	}
	case 6:
		rmc_port_get_refs(spaces[s], pick_name(in, s), take(in) % 6,
				  &v);
		rmc_port_type(spaces[s], pick_name(in, s), &v);
		break;
	case 7:
		s2 = take(in) % NSPACES;
		n = pick_name(in, s2);
		if (take(in) & 1)
			n = RMC_NAME_MAKE(take(in) % 64 + 1, take(in));
		n2 = pick_name(in, s);
		d = pick_disp(in);
		ret = model_insert_predict(&model, s2, n, s, n2, d);
		v = rmc_insert_right(spaces[s2], n, spaces[s], n2, d);
		if (v != ret)
			fprintf(stderr, "insert: real %s, model %s\n",
				rmc_strerror(v), rmc_strerror(ret));
		INV(v == ret || (ctx.fail_at && v == RMC_RESOURCE_SHORTAGE) ||
		    model.overflow[s] || model.overflow[s2]);
		if (!v)
			remember(s2, n);
		break;
	case 8:
		s2 = take(in) % NSPACES;
		if (!rmc_extract_right(spaces[s], pick_name(in, s),
				       pick_disp(in), spaces[s2], &n2, &d))
			remember(s2, n2);
		break;
	case 9:
		rmc_port_move_member(spaces[s], pick_name(in, s),
				     (take(in) & 3) ? pick_name(in, s) : 0);
		break;
	case 10:
		rmc_port_set_qlimit(spaces[s], pick_name(in, s),
				    take(in) % 8);
		break;
	case 11:
		t = take(in);
		ret = rmc_port_request_notification(
			spaces[s], pick_name(in, s),
			t % 3 == 0 ? RMC_NOTIFY_NO_SENDERS :
			t % 3 == 1 ? RMC_NOTIFY_DEAD_NAME :
				     RMC_NOTIFY_PORT_DESTROYED,
			take(in) % 4, (t & 8) ? 0 : pick_name(in, s),
			(t & 16) ? RMC_MOVE_SEND_ONCE : RMC_MAKE_SEND_ONCE,
			&n2);
		if (!ret)
			remember(s, n2);
		break;
	case 12:
	case 13:
	case 14:
		op_send(in, s, false);
		break;
	case 15:
	case 16:
		op_receive(in, s);
		break;
	case 17:
		op_send(in, s, true);
		break;
	case 18:
		t = take(in);
		if (t < 32) {
			rmc_space_destroy(spaces[s]);
			new_space(s);
		} else if (t < 128) {
			rmc_waiter_cancel(sys, &waiters[t % NWAITERS]);
		} else if (t < 160) {
			struct rmc_limits lim = { take(in) % 8, take(in) % 8,
						  take(in) * 4u };

			rmc_space_set_limits(spaces[s], &lim);
		} else if (t < 192) {
			struct rmc_port_status st;

			n = pick_name(in, s);
			if (!rmc_port_get_status(spaces[s], n, &st))
				INV(st.qlimit >= 1 &&
				    st.qlimit <= RMC_QLIMIT_MAX);
			rmc_port_set_mscount(spaces[s], n, take(in));
			rmc_port_set_seqno(spaces[s], n, take(in));
		} else if (t < 208) {
			owner.limit.ports = take(in) % 8;
			owner.limit.msgs = take(in) % 8;
			owner.limit.bytes = take(in) * 4u;
		} else {
			rmc_msg_peek(spaces[s], pick_name(in, s), &v);
		}
		break;
	default:
		/* The next operation runs out of memory at some point. */
		ctx.fail_at = ctx.total + 1 + take(in) % 8;
		return true;
	}
	ctx.fail_at = 0;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	unsigned s, i;

	test_ctx_reset(&ctx);
	memset(&owner, 0, sizeof(owner));
	if (rmc_sys_create(&test_ops, &ctx, NULL, &sys))
		abort();
	model_init(&model);
	memset(pool, 0, sizeof(pool));
	for (s = 0; s < NSPACES; s++)
		new_space(s);
	for (i = 0; i < NWAITERS; i++)
		rmc_waiter_init(&waiters[i], NULL);
	model_resync(&model, spaces);
	while (step(&in))
		check_all();
	ctx.fail_at = 0;
	for (i = 0; i < NWAITERS; i++)
		rmc_waiter_cancel(sys, &waiters[i]);
	for (s = 0; s < NSPACES; s++)
		rmc_space_destroy(spaces[s]);
	if (rmc_sys_destroy(sys) != RMC_SUCCESS)
		fail("rmc_sys_destroy: something left after teardown");
	INV(ctx.live == 0);
	INV(ctx.errors == 0);
	INV(owner.spaces == 0 && owner.use.ports == 0 && owner.use.msgs == 0 &&
	    owner.use.bytes == 0);
	return 0;
}
