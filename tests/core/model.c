// SPDX-License-Identifier: MIT
/*
 * model.c - reference model of message copy-in (see model.h).
 *
 * Deliberately naive: names in a flat array, linear search, a separate
 * "what is left" budget per name instead of claims. It reads the real
 * objects only to learn the state before an operation (which port a name
 * denotes, whether it is alive, its queue length); the rules are its own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "model.h"

void model_init(struct model *m)
{
	memset(m, 0, sizeof(*m));
	m->pending = -1;
}

void model_space_reset(struct model *m, unsigned s)
{
	m->n[s] = 0;
	m->overflow[s] = false;
}

/* The logical view of a real entry: names of dead ports are dead names;
 * the dead-name notification adds one uref (saturating). */
static struct model_entry logical(struct rmc_space *sp, uint32_t i)
{
	const struct rmc_entry *e = &sp->table[i];
	struct model_entry me;
	uint32_t u;

	me.name = RMC_NAME_MAKE(i, e->gen);
	me.type = e->type & 0x1F;
	me.urefs = e->urefs;
	me.port = (me.type & RMC_TYPE_PORT_SET) || (me.type & RMC_TYPE_DEAD_NAME) ?
			  NULL : e->u.port;
	if ((me.type & (RMC_TYPE_SEND | RMC_TYPE_SEND_ONCE)) &&
	    !(me.type & RMC_TYPE_RECEIVE) && !e->u.port->active) {
		u = (me.type & RMC_TYPE_SEND) ? e->urefs : 1;
		if (e->type & 0x20)	/* a dead-name request fired */
			u = u + 1 > 0xFFFF ? 0xFFFF : u + 1;
		me.type = RMC_TYPE_DEAD_NAME;
		me.urefs = u;
		me.port = NULL;
	}
	return me;
}

static unsigned snapshot(struct rmc_space *sp, struct model_entry *out,
			 bool *overflow)
{
	uint32_t i;
	unsigned n = 0;

	*overflow = false;
	for (i = 1; i < sp->size; i++) {
		if (!(sp->table[i].type & 0x1F))
			continue;
		if (n == MODEL_ENTRIES) {
			*overflow = true;
			break;
		}
		out[n++] = logical(sp, i);
	}
	return n;
}

void model_resync(struct model *m, struct rmc_space **spaces)
{
	unsigned s;

	for (s = 0; s < MODEL_SPACES; s++)
		m->n[s] = snapshot(spaces[s], m->ent[s], &m->overflow[s]);
	m->pending = -1;
}

static struct model_entry *find(struct model *m, unsigned s, rmc_name_t name)
{
	unsigned i;

	for (i = 0; i < m->n[s]; i++)
		if (m->ent[s][i].name == name)
			return &m->ent[s][i];
	return NULL;
}

static void forget(struct model *m, unsigned s, struct model_entry *e)
{
	*e = m->ent[s][--m->n[s]];
}

/* What a name still offers while a message is being checked. */
struct budget {
	rmc_name_t name;
	uint32_t urefs;		/* 0xFFFF: pegged, never runs out */
	bool receive;
};

static struct budget budgets[2 + RMC_MAX_DESC];
static unsigned nbudgets;

static struct budget *budget_of(const struct model_entry *e)
{
	unsigned i;

	for (i = 0; i < nbudgets; i++)
		if (budgets[i].name == e->name)
			return &budgets[i];
	budgets[nbudgets].name = e->name;
	budgets[nbudgets].urefs = e->urefs;
	budgets[nbudgets].receive = (e->type & RMC_TYPE_RECEIVE) != 0;
	return &budgets[nbudgets++];
}

static bool disp_valid(unsigned d)
{
	return d >= RMC_MOVE_RECEIVE && d <= RMC_MAKE_SEND_ONCE;
}

static bool send_disp(unsigned d)
{
	return disp_valid(d) && d != RMC_MOVE_RECEIVE;
}

/* One right of a message: RMC_SUCCESS or why not (copy-in's codes). */
static rmc_ret_t take(struct model *m, unsigned s, rmc_name_t name,
		      unsigned disp)
{
	struct model_entry *e;
	struct budget *b;

	if (!disp_valid(disp))
		return RMC_INVALID_VALUE;
	e = find(m, s, name);
	if (!e)
		return RMC_INVALID_NAME;
	b = budget_of(e);
	switch (disp) {
	case RMC_MOVE_RECEIVE:
	case RMC_MAKE_SEND:
	case RMC_MAKE_SEND_ONCE:
		if (!b->receive)
			return RMC_INVALID_RIGHT;
		if (disp == RMC_MOVE_RECEIVE)
			b->receive = false;
		return RMC_SUCCESS;
	case RMC_COPY_SEND:
	case RMC_MOVE_SEND:
		if (!(e->type & (RMC_TYPE_SEND | RMC_TYPE_DEAD_NAME)))
			return RMC_INVALID_RIGHT;
		break;
	default:
		if (!(e->type & (RMC_TYPE_SEND_ONCE | RMC_TYPE_DEAD_NAME)))
			return RMC_INVALID_RIGHT;
		break;
	}
	if (b->urefs == 0)
		return RMC_INVALID_RIGHT;
	if (disp != RMC_COPY_SEND && b->urefs != 0xFFFF)
		b->urefs--;
	return RMC_SUCCESS;
}

/* The sender's names after the right went into the message. */
static void apply(struct model *m, unsigned s, rmc_name_t name, unsigned disp)
{
	struct model_entry *e = find(m, s, name);

	switch (disp) {
	case RMC_MOVE_RECEIVE:
		e->type &= ~RMC_TYPE_RECEIVE;
		if (!e->type)
			forget(m, s, e);
		return;
	case RMC_MOVE_SEND:
	case RMC_MOVE_SEND_ONCE:
		if (e->urefs == 0xFFFF && !(e->type & RMC_TYPE_SEND_ONCE))
			return;
		if (--e->urefs)
			return;
		e->type &= ~(RMC_TYPE_SEND | RMC_TYPE_SEND_ONCE |
			     RMC_TYPE_DEAD_NAME);
		if (!e->type)
			forget(m, s, e);
		return;
	default:
		return;
	}
}

static bool used(rmc_name_t n, unsigned disp)
{
	return n != RMC_NAME_NULL && disp != RMC_DISP_NONE;
}

static const struct rmc_port *port_of(struct model *m, unsigned s,
				      rmc_name_t name)
{
	struct model_entry *e = find(m, s, name);

	return e ? e->port : NULL;
}

/* Would the receive right of `moved` become unreachable queued on dest? */
static bool unreachable(const struct rmc_port *moved,
			const struct rmc_port *dest)
{
	const struct rmc_port *x = dest;

	while (x) {
		if (x == moved)
			return true;
		if (!x->active || x->receiver)
			return false;
		x = x->transit;
	}
	return false;
}

rmc_ret_t model_send_predict(struct model *m, struct rmc_space **spaces,
			     unsigned s, const struct rmc_msg *msg)
{
	const struct rmc_port *dest;
	struct rmc_space *sp = spaces[s];
	bool circular = false;
	rmc_ret_t r;
	uint32_t i;

	m->pending = -1;
	if (m->overflow[s])
		return RMC_SUCCESS;	/* too big to model; no check */
	nbudgets = 0;
	if (!send_disp(msg->dest_disp))
		return RMC_INVALID_VALUE;
	if (take(m, s, msg->dest, msg->dest_disp))
		return RMC_INVALID_DEST;
	dest = port_of(m, s, msg->dest);
	if (!dest)
		return RMC_INVALID_DEST;	/* a dead name */
	if (used(msg->reply, msg->reply_disp)) {
		if (!send_disp(msg->reply_disp))
			return RMC_INVALID_REPLY;
		if (msg->reply != RMC_NAME_DEAD &&
		    take(m, s, msg->reply, msg->reply_disp))
			return RMC_INVALID_REPLY;
	}
	for (i = 0; i < msg->ndesc; i++) {
		if (!used(msg->desc[i].name, msg->desc[i].disp))
			continue;
		if (msg->desc[i].name == RMC_NAME_DEAD) {
			if (!disp_valid(msg->desc[i].disp))
				return RMC_INVALID_VALUE;
			if (msg->desc[i].disp == RMC_MOVE_RECEIVE)
				return RMC_INVALID_RIGHT;
			continue;
		}
		r = take(m, s, msg->desc[i].name, msg->desc[i].disp);
		if (r)
			return r;
		if (msg->desc[i].disp == RMC_MOVE_RECEIVE &&
		    unreachable(port_of(m, s, msg->desc[i].name), dest))
			circular = true;
	}
	/* Send-once destinations bypass the queue limit. */
	if (msg->dest_disp != RMC_MAKE_SEND_ONCE &&
	    msg->dest_disp != RMC_MOVE_SEND_ONCE &&
	    dest->msgcount >= dest->qlimit)
		return RMC_SEND_TIMED_OUT;	/* fuzz.c maps WOULD_BLOCK */
	if ((sp->limit.msgs && sp->use.msgs + 1 > sp->limit.msgs) ||
	    (sp->limit.bytes &&
	     (uint64_t)sp->use.bytes + msg->body_size > sp->limit.bytes))
		return RMC_LIMIT_EXCEEDED;
	if (sp->owner &&
	    ((sp->owner->limit.msgs &&
	      sp->owner->use.msgs + 1 > sp->owner->limit.msgs) ||
	     (sp->owner->limit.bytes &&
	      (uint64_t)sp->owner->use.bytes + msg->body_size >
		      sp->owner->limit.bytes)))
		return RMC_LIMIT_EXCEEDED;
	/* Success: predict the sender's names (unless ports die with a
	 * circular message, which the model does not follow). */
	apply(m, s, msg->dest, msg->dest_disp);
	if (used(msg->reply, msg->reply_disp) && msg->reply != RMC_NAME_DEAD)
		apply(m, s, msg->reply, msg->reply_disp);
	for (i = 0; i < msg->ndesc; i++)
		if (used(msg->desc[i].name, msg->desc[i].disp) &&
		    msg->desc[i].name != RMC_NAME_DEAD)
			apply(m, s, msg->desc[i].name, msg->desc[i].disp);
	if (!circular)
		m->pending = (int)s;
	return RMC_SUCCESS;
}

rmc_ret_t model_mod_refs_predict(struct model *m, unsigned s, rmc_name_t name,
				 int right, int32_t delta)
{
	struct model_entry *e;
	int64_t u;

	m->pending = -1;
	if (m->overflow[s])
		return RMC_SUCCESS;
	if (right >= RMC_RIGHT_NUMBER)
		return RMC_INVALID_VALUE;
	e = find(m, s, name);
	if (!e)
		return RMC_INVALID_NAME;
	if (right < 0) {	/* deallocate: one uref of what is there */
		if (e->type & RMC_TYPE_SEND_ONCE)
			right = RMC_RIGHT_SEND_ONCE;
		else if (e->type & RMC_TYPE_DEAD_NAME)
			right = RMC_RIGHT_DEAD_NAME;
		else if (e->type & RMC_TYPE_SEND)
			right = RMC_RIGHT_SEND;
		else
			return RMC_INVALID_RIGHT;
		delta = -1;
	}
	if (!(e->type & RMC_TYPE(right)))
		return RMC_INVALID_RIGHT;
	if (right == RMC_RIGHT_SEND || right == RMC_RIGHT_DEAD_NAME) {
		u = (int64_t)e->urefs + delta;
		if (delta > 0 && u > 0xFFFF)
			return RMC_UREFS_OVERFLOW;
		m->pending = (int)s;
		if (delta < 0 && e->urefs == 0xFFFF)
			return RMC_SUCCESS;	/* pegged */
		if (u < 0) {
			m->pending = -1;
			return RMC_INVALID_VALUE;
		}
		e->urefs = (uint32_t)u;
		if (u == 0) {
			e->type &= ~(uint32_t)RMC_TYPE(right);
			if (!e->type)
				forget(m, s, e);
		}
		return RMC_SUCCESS;
	}
	if (delta != 0 && delta != -1)
		return RMC_INVALID_VALUE;
	if (delta == 0)
		return RMC_SUCCESS;
	if (right != RMC_RIGHT_RECEIVE) {	/* send-once or port set */
		forget(m, s, e);
		m->pending = (int)s;
	}
	return RMC_SUCCESS;
}

rmc_ret_t model_insert_predict(struct model *m, unsigned to, rmc_name_t name,
			       unsigned from, rmc_name_t from_name,
			       unsigned disp)
{
	const struct model_entry *src, *e;
	unsigned i, kind;
	rmc_ret_t r;

	m->pending = -1;
	/* index 0 is never a name (so no name is 0 whatever its generation) */
	if (!RMC_NAME_VALID(name) || RMC_NAME_INDEX(name) == 0 ||
	    RMC_NAME_INDEX(name) > 0xFFFFFE)
		return RMC_INVALID_VALUE;
	nbudgets = 0;
	r = take(m, from, from_name, disp);
	if (r)
		return r;
	src = find(m, from, from_name);
	if (!src->port)
		return RMC_INVALID_RIGHT;	/* a dead right cannot be named */
	if (to == from && from_name == name &&
	    (disp == RMC_MOVE_SEND || disp == RMC_MOVE_RECEIVE ||
	     disp == RMC_MOVE_SEND_ONCE))
		return RMC_SUCCESS;
	kind = disp == RMC_MOVE_RECEIVE ? RMC_TYPE_RECEIVE :
	       (disp == RMC_MOVE_SEND_ONCE || disp == RMC_MAKE_SEND_ONCE) ?
							RMC_TYPE_SEND_ONCE :
							RMC_TYPE_SEND;
	for (i = 0; i < m->n[to]; i++) {
		e = &m->ent[to][i];
		if (RMC_NAME_INDEX(e->name) != RMC_NAME_INDEX(name))
			continue;
		if (e->name != name || kind == RMC_TYPE_SEND_ONCE ||
		    !(e->type & (RMC_TYPE_SEND | RMC_TYPE_RECEIVE)) ||
		    e->port != src->port)
			return RMC_NAME_EXISTS;
		if (kind == RMC_TYPE_RECEIVE && (e->type & RMC_TYPE_RECEIVE))
			return RMC_RIGHT_EXISTS;
		return RMC_SUCCESS;
	}
	if (kind != RMC_TYPE_SEND_ONCE)
		for (i = 0; i < m->n[to]; i++)
			if (m->ent[to][i].port == src->port &&
			    (m->ent[to][i].type &
			     (RMC_TYPE_SEND | RMC_TYPE_RECEIVE)))
				return RMC_RIGHT_EXISTS;
	return RMC_SUCCESS;
}

static struct model_entry real[MODEL_ENTRIES];

void model_compare(struct model *m, struct rmc_space **spaces)
{
	unsigned s = (unsigned)m->pending, n, i;
	struct model_entry *e;
	bool overflow;

	if (m->pending >= 0) {
		n = snapshot(spaces[s], real, &overflow);
		if (!overflow) {
			if (n != m->n[s]) {
				fprintf(stderr, "model: space %u has %u names, "
					"model %u\n", s, n, m->n[s]);
				abort();
			}
			for (i = 0; i < n; i++) {
				e = find(m, s, real[i].name);
				if (!e || e->type != real[i].type ||
				    e->urefs != real[i].urefs ||
				    e->port != real[i].port) {
					fprintf(stderr, "model: name %#x: real "
						"type %#x urefs %u, model %s "
						"type %#x urefs %u\n",
						real[i].name, real[i].type,
						real[i].urefs,
						e ? "" : "(none)",
						e ? e->type : 0,
						e ? e->urefs : 0);
					abort();
				}
			}
		}
	}
	model_resync(m, spaces);
}
