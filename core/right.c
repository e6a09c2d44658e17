// SPDX-License-Identifier: MIT
/*
 * right.c - rights moving between entries and messages: copy-in, copy-out,
 * release, and the lazy turn of send rights into dead names.
 *
 * Locking: system lock held for everything.
 *
 * Copy-in is two-phase so a failing message changes nothing: copyin_check()
 * validates one right and "claims" what it will take (entry->claim counts
 * urefs, E_CLAIM_RCV the receive right), so later rights of the same message
 * see what earlier ones will consume; the caller then unclaims every entry
 * and, if all passed, runs copyin_do() in the same order, which cannot fail.
 * Copy-out cannot fail either: callers reserve entries and hash slots first.
 */
#include "internal.h"

static bool pegged(const struct rmc_entry *e)
{
	return e->urefs == RMC_UREFS_MAX;
}

void urefs_add_sat(struct rmc_entry *e, uint32_t n)
{
	uint32_t u = e->urefs + n;

	e->urefs = (uint16_t)(u > RMC_UREFS_MAX ? RMC_UREFS_MAX : u);
}

/*
 * Send and send-once names of a dead port become dead names the first time
 * they are looked at (XNU's ipc_right_check). The dead-name notification
 * sent at death adds one uref. Returns true if the entry changed.
 */
bool entry_check(struct rmc_space *sp, struct rmc_entry *e)
{
	struct rmc_port *p;

	if (!(e->type & (RMC_TYPE_SEND | RMC_TYPE_SEND_ONCE)) ||
	    (e->type & RMC_TYPE_RECEIVE) || e->u.port->active)
		return false;
	p = e->u.port;
	if (e->type & RMC_TYPE_SEND) {
		rhash_remove(sp, e);
		p->srights--;
	} else {
		p->sorights--;
		e->urefs = 1;
	}
	if (e->type & E_DNREQ)
		urefs_add_sat(e, 1);
	e->type = RMC_TYPE_DEAD_NAME;
	e->u.port = NULL;
	port_unref(sp->sys, p);
	return true;
}

/* One send right fewer; the last one fires an armed no-senders request. */
void srights_dec(struct rmc_sys *sys, struct rmc_port *p)
{
	if (--p->srights == 0 && p->active && p->nsrequest)
		notify_no_senders(sys, p);
}

void send_release(struct rmc_sys *sys, struct rmc_port *p)
{
	srights_dec(sys, p);
	port_unref(sys, p);
}

/* A send-once right dies unused: it carries a send-once notification. */
void soright_release(struct rmc_sys *sys, struct rmc_port *p)
{
	if (p->active) {
		notify_send(sys, p, RMC_NOTIFY_SEND_ONCE, NULL, NULL);
		return;
	}
	p->sorights--;
	port_unref(sys, p);
}

/* Releases a right in transit (kind as copyin_do returns). */
void right_release(struct rmc_sys *sys, struct rmc_port *p, unsigned kind)
{
	if (!p)
		return;
	switch (kind) {
	case RMC_MOVE_RECEIVE:
		port_kill_receive(sys, p);
		break;
	case RMC_MOVE_SEND:
		send_release(sys, p);
		break;
	default:
		soright_release(sys, p);
		break;
	}
}

/* The send right of an entry goes (its last uref was taken). */
void entry_drop_send(struct rmc_space *sp, struct rmc_entry *e)
{
	struct rmc_port *p = e->u.port;

	if (e->type & RMC_TYPE_RECEIVE) {
		e->type &= (uint8_t)~RMC_TYPE_SEND;
		e->urefs = 0;
		srights_dec(sp->sys, p);
		return;
	}
	if (e->type & E_DNREQ)
		dnreq_delete(sp, e);
	rhash_remove(sp, e);
	entry_free(sp, e);
	send_release(sp->sys, p);
}

/* Releases every right under an entry and frees it (destroy, teardown).
 * The caller ran entry_check(). */
void entry_release(struct rmc_space *sp, struct rmc_entry *e)
{
	struct rmc_sys *sys = sp->sys;
	struct rmc_port *p = e->u.port;
	uint8_t type = e->type;

	if (type & E_DNREQ)
		dnreq_delete(sp, e);
	if (type & RMC_TYPE_PORT_SET) {
		pset_destroy(sys, e->u.pset);
	} else if (type & RMC_TYPE_RECEIVE) {
		rhash_remove(sp, e);
		if (type & RMC_TYPE_SEND)
			p->srights--;	/* the port dies: no no-senders */
		port_leave_set(sys, p);
		port_kill_receive(sys, p);
	} else if (type & RMC_TYPE_SEND) {
		rhash_remove(sp, e);
		send_release(sys, p);
	} else if (type & RMC_TYPE_SEND_ONCE) {
		soright_release(sys, p);
	}
	entry_free(sp, e);
}

/* ---- copy-in ---- */

rmc_ret_t copyin_check(struct rmc_space *sp, rmc_name_t name, unsigned disp,
		       struct rmc_entry **out)
{
	struct rmc_entry *e = entry_lookup(sp, name);
	uint32_t avail;

	*out = NULL;
	if (disp < RMC_MOVE_RECEIVE || disp > RMC_MAKE_SEND_ONCE)
		return RMC_INVALID_VALUE;
	if (!e)
		return RMC_INVALID_NAME;
	entry_check(sp, e);
	avail = pegged(e) ? 1 : (uint32_t)e->urefs - e->claim;
	switch (disp) {
	case RMC_MOVE_RECEIVE:
	case RMC_MAKE_SEND:
	case RMC_MAKE_SEND_ONCE:
		if (!(e->type & RMC_TYPE_RECEIVE) || (e->type & E_CLAIM_RCV))
			return RMC_INVALID_RIGHT;
		if (disp == RMC_MOVE_RECEIVE)
			e->type |= E_CLAIM_RCV;
		break;
	case RMC_COPY_SEND:
	case RMC_MOVE_SEND:
		if (!(e->type & (RMC_TYPE_SEND | RMC_TYPE_DEAD_NAME)) || !avail)
			return RMC_INVALID_RIGHT;
		if (disp == RMC_MOVE_SEND && !pegged(e))
			e->claim++;
		break;
	default:		/* RMC_MOVE_SEND_ONCE */
		if (!(e->type & (RMC_TYPE_SEND_ONCE | RMC_TYPE_DEAD_NAME)) ||
		    !avail)
			return RMC_INVALID_RIGHT;
		if (!pegged(e))
			e->claim++;
		break;
	}
	*out = e;
	return RMC_SUCCESS;
}

void copyin_unclaim(struct rmc_entry *e)
{
	if (!e)
		return;
	e->claim = 0;
	e->type &= (uint8_t)~E_CLAIM_RCV;
}

void dead_take(struct rmc_space *sp, struct rmc_entry *e)
{
	if (pegged(e))
		return;
	if (--e->urefs == 0)
		entry_free(sp, e);
}

/* Takes the right checked by copyin_check(). Returns the kind in transit
 * (RMC_MOVE_RECEIVE / MOVE_SEND / MOVE_SEND_ONCE) with *out holding one
 * reference, or 0 with *out NULL for a dead right. */
unsigned copyin_do(struct rmc_space *sp, struct rmc_entry *e, unsigned disp,
		   struct rmc_port **out)
{
	struct rmc_sys *sys = sp->sys;
	struct rmc_port *p = e->u.port;

	*out = NULL;
	if (e->type & RMC_TYPE_DEAD_NAME) {
		if (disp != RMC_COPY_SEND)
			dead_take(sp, e);
		return 0;
	}
	*out = p;
	switch (disp) {
	case RMC_MAKE_SEND:
		/* No fall-through: the kernel builds with -Wimplicit-fallthrough=5. */
		p->mscount++;
		p->srights++;
		p->refs++;
		return RMC_MOVE_SEND;
	case RMC_COPY_SEND:
		p->srights++;
		p->refs++;
		return RMC_MOVE_SEND;
	case RMC_MAKE_SEND_ONCE:
		p->sorights++;
		p->refs++;
		return RMC_MOVE_SEND_ONCE;
	case RMC_MOVE_SEND:
		if (pegged(e) || e->urefs > 1) {
			if (!pegged(e))
				e->urefs--;
			p->srights++;
			p->refs++;
		} else if (e->type & RMC_TYPE_RECEIVE) {
			e->type &= (uint8_t)~RMC_TYPE_SEND;
			e->urefs = 0;
			p->refs++;
		} else {
			if (e->type & E_DNREQ)
				dnreq_delete(sp, e);
			rhash_remove(sp, e);
			entry_free(sp, e);
		}
		return RMC_MOVE_SEND;
	case RMC_MOVE_SEND_ONCE:
		if (e->type & E_DNREQ)
			dnreq_delete(sp, e);
		entry_free(sp, e);
		return RMC_MOVE_SEND_ONCE;
	default:		/* RMC_MOVE_RECEIVE */
		port_leave_set(sys, p);
		wq_abort_all(sys, &p->rcv_wait, RMC_PORT_CHANGED);
		port_uncharge(p);
		if (e->type & RMC_TYPE_SEND) {
			e->type &= (uint8_t)~RMC_TYPE_RECEIVE;
			p->refs++;
		} else {
			rhash_remove(sp, e);
			entry_free(sp, e);
		}
		return RMC_MOVE_RECEIVE;
	}
}

/* The kind a disposition puts in transit. */
unsigned disp_kind(unsigned disp)
{
	switch (disp) {
	case RMC_MOVE_RECEIVE:
		return RMC_MOVE_RECEIVE;
	case RMC_MOVE_SEND_ONCE:
	case RMC_MAKE_SEND_ONCE:
		return RMC_MOVE_SEND_ONCE;
	default:
		return RMC_MOVE_SEND;
	}
}

/* ---- copy-out ---- */

/* Gives an entry already naming p (found through the hash) one more right. */
static void entry_merge(struct rmc_space *sp, struct rmc_entry *e,
			struct rmc_port *p, unsigned kind)
{
	struct rmc_sys *sys = sp->sys;

	if (kind == RMC_MOVE_RECEIVE) {
		e->type |= RMC_TYPE_RECEIVE;
		port_charge(p, sp);
		p->transit = NULL;
	} else if (e->type & RMC_TYPE_SEND) {
		urefs_add_sat(e, 1);
		p->srights--;	/* the entry's send right absorbs it */
	} else {
		e->type |= RMC_TYPE_SEND;
		e->urefs = 1;
	}
	port_unref(sys, p);	/* the entry already holds one */
}

static void entry_fill(struct rmc_space *sp, struct rmc_entry *e,
		       struct rmc_port *p, unsigned kind)
{
	e->u.port = p;
	if (kind == RMC_MOVE_SEND_ONCE) {
		e->type = RMC_TYPE_SEND_ONCE;
		e->urefs = 1;
		return;
	}
	if (kind == RMC_MOVE_RECEIVE) {
		e->type = RMC_TYPE_RECEIVE;
		port_charge(p, sp);
		p->transit = NULL;
	} else {
		e->type = RMC_TYPE_SEND;
		e->urefs = 1;
	}
	rhash_insert(sp, e);
}

/* A send or send-once right to a dead port arrives as RMC_NAME_DEAD. */
static bool drop_if_dead(struct rmc_sys *sys, struct rmc_port *p,
			 unsigned kind)
{
	if (p->active)
		return false;
	if (kind == RMC_MOVE_SEND)
		p->srights--;
	else
		p->sorights--;
	port_unref(sys, p);
	return true;
}

/* Names a right in transit in sp (one entry and one hash slot reserved).
 * Returns its name, RMC_NAME_DEAD for a dead right. */
rmc_name_t copyout(struct rmc_space *sp, struct rmc_port *p, unsigned kind)
{
	struct rmc_entry *e;

	if (!p || drop_if_dead(sp->sys, p, kind))
		return RMC_NAME_DEAD;
	if (kind != RMC_MOVE_SEND_ONCE) {
		e = rhash_find(sp, p);
		if (e) {
			entry_merge(sp, e, p, kind);
			return entry_name(sp, e);
		}
	}
	e = entry_alloc(sp);
	entry_fill(sp, e, p, kind);
	return entry_name(sp, e);
}

/* Names a right in transit as `name`: a free index covered by the table, or
 * an entry for the same port that can take it (checked by the caller). */
void copyout_at(struct rmc_space *sp, rmc_name_t name, struct rmc_port *p,
		unsigned kind)
{
	struct rmc_entry *e = &sp->table[RMC_NAME_INDEX(name)];

	if (e->type & E_RIGHTS) {
		entry_merge(sp, e, p, kind);
		return;
	}
	e = entry_alloc_at(sp, name);
	entry_fill(sp, e, p, kind);
}
