// SPDX-License-Identifier: MIT
/*
 * api.c - the mach_port_* operations on names and rights.
 *
 * Locking: every rmc_port_* / rmc_*_right function takes the system lock
 * and does its work in a *_locked helper, so each returns from one place.
 */
#include "internal.h"

static rmc_ret_t port_limit_check(struct rmc_space *sp)
{
	struct rmc_owner *o = sp->owner;

	if (sp->limit.ports && sp->use.ports >= sp->limit.ports)
		return RMC_LIMIT_EXCEEDED;
	if (o && o->limit.ports && o->use.ports >= o->limit.ports)
		return RMC_LIMIT_EXCEEDED;
	return RMC_SUCCESS;
}

/* name == NULL: pick one. */
static rmc_ret_t allocate_locked(struct rmc_space *sp, unsigned right,
				 rmc_name_t name, rmc_name_t *out)
{
	struct rmc_sys *sys = sp->sys;
	struct rmc_port *p = NULL;
	struct rmc_pset *s = NULL;
	struct rmc_entry *e;
	rmc_ret_t ret;

	if (right != RMC_RIGHT_RECEIVE && right != RMC_RIGHT_PORT_SET &&
	    right != RMC_RIGHT_DEAD_NAME)
		return RMC_INVALID_VALUE;
	if (name == RMC_NAME_NULL) {
		ret = table_reserve(sp, 1);
	} else if (!RMC_NAME_VALID(name)) {
		ret = RMC_INVALID_VALUE;
	} else {
		ret = table_reserve_index(sp, RMC_NAME_INDEX(name));
		if (!ret && (sp->table[RMC_NAME_INDEX(name)].type & E_RIGHTS))
			ret = RMC_NAME_EXISTS;
	}
	if (!ret && right == RMC_RIGHT_RECEIVE) {
		ret = port_limit_check(sp);
		if (!ret)
			ret = rhash_reserve(sp, 1);
	}
	if (ret)
		return ret;
	if (right == RMC_RIGHT_RECEIVE)
		p = port_create(sys);
	else if (right == RMC_RIGHT_PORT_SET)
		s = pset_create(sys, sp);
	if (right != RMC_RIGHT_DEAD_NAME && !p && !s)
		return RMC_RESOURCE_SHORTAGE;
	e = name ? entry_alloc_at(sp, name) : entry_alloc(sp);
	*out = entry_name(sp, e);
	if (p) {
		e->u.port = p;
		e->type = RMC_TYPE_RECEIVE;
		p->refs = 1;
		port_charge(p, sp);
		rhash_insert(sp, e);
	} else if (s) {
		e->u.pset = s;
		e->type = RMC_TYPE_PORT_SET;
		s->name = *out;
	} else {
		e->type = RMC_TYPE_DEAD_NAME;
		e->urefs = 1;
	}
	return RMC_SUCCESS;
}

rmc_ret_t rmc_port_allocate(struct rmc_space *sp, unsigned right,
			    rmc_name_t *out)
{
	rmc_ret_t ret;

	*out = RMC_NAME_NULL;
	core_lock(sp->sys);
	ret = allocate_locked(sp, right, RMC_NAME_NULL, out);
	core_unlock(sp->sys);
	return ret;
}

rmc_ret_t rmc_port_allocate_name(struct rmc_space *sp, unsigned right,
				 rmc_name_t name)
{
	rmc_name_t out;
	rmc_ret_t ret;

	if (name == RMC_NAME_NULL)
		return RMC_INVALID_VALUE;
	core_lock(sp->sys);
	ret = allocate_locked(sp, right, name, &out);
	core_unlock(sp->sys);
	return ret;
}

/* Looks a name up and turns it into a dead name if its port died. */
static struct rmc_entry *lookup_checked(struct rmc_space *sp, rmc_name_t name)
{
	struct rmc_entry *e = entry_lookup(sp, name);

	if (e)
		entry_check(sp, e);
	return e;
}

rmc_ret_t rmc_port_destroy(struct rmc_space *sp, rmc_name_t name)
{
	struct rmc_entry *e;
	rmc_ret_t ret = RMC_INVALID_NAME;

	core_lock(sp->sys);
	e = lookup_checked(sp, name);
	if (e) {
		entry_release(sp, e);
		ret = RMC_SUCCESS;
	}
	core_unlock(sp->sys);
	return ret;
}

/* The receive right under e dies; a send right sharing the name becomes a
 * dead name keeping its urefs (XNU). */
static void receive_destroy(struct rmc_space *sp, struct rmc_entry *e)
{
	struct rmc_sys *sys = sp->sys;
	struct rmc_port *p = e->u.port;
	rmc_name_t name = entry_name(sp, e);
	struct rmc_port *so;

	rhash_remove(sp, e);
	port_leave_set(sys, p);
	if (!(e->type & RMC_TYPE_SEND)) {
		entry_free(sp, e);
		port_kill_receive(sys, p);
		return;
	}
	p->srights--;
	so = (e->type & E_DNREQ) ? dnreq_take(sp, e) : NULL;
	e->type = RMC_TYPE_DEAD_NAME;
	e->u.port = NULL;
	if (so) {
		urefs_add_sat(e, 1);
		notify_send(sys, so, RMC_NOTIFY_DEAD_NAME, &name, NULL);
	}
	/* The entry's reference now carries the dying receive right. */
	port_kill_receive(sys, p);
}

/* urefs arithmetic of SEND and DEAD_NAME (XNU >= 4570): past 0xFFFF is an
 * error; once at 0xFFFF (pegged) the count never goes down again. */
static rmc_ret_t urefs_delta(struct rmc_entry *e, int32_t delta,
			     uint32_t *left)
{
	int64_t u = (int64_t)e->urefs + delta;

	*left = e->urefs;
	if (delta > 0 && u > RMC_UREFS_MAX)
		return RMC_UREFS_OVERFLOW;
	if (delta < 0 && e->urefs == RMC_UREFS_MAX)
		return RMC_SUCCESS;
	if (u < 0)
		return RMC_INVALID_VALUE;
	*left = (uint32_t)u;
	return RMC_SUCCESS;
}

static rmc_ret_t mod_refs_locked(struct rmc_space *sp, rmc_name_t name,
				 unsigned right, int32_t delta)
{
	struct rmc_entry *e;
	uint32_t left;
	rmc_ret_t ret;

	if (right >= RMC_RIGHT_NUMBER)
		return RMC_INVALID_VALUE;
	e = lookup_checked(sp, name);
	if (!e)
		return RMC_INVALID_NAME;
	if (!(e->type & RMC_TYPE(right)))
		return RMC_INVALID_RIGHT;
	switch (right) {
	case RMC_RIGHT_SEND:
	case RMC_RIGHT_DEAD_NAME:
		ret = urefs_delta(e, delta, &left);
		if (ret || left == e->urefs)
			return ret;
		if (left) {
			e->urefs = (uint16_t)left;
		} else if (right == RMC_RIGHT_SEND) {
			entry_drop_send(sp, e);
		} else {
			entry_free(sp, e);
		}
		return RMC_SUCCESS;
	default:
		if (delta < -1 || delta > 0)
			return RMC_INVALID_VALUE;
		if (delta == 0)
			return RMC_SUCCESS;
		if (right == RMC_RIGHT_RECEIVE)
			receive_destroy(sp, e);
		else
			entry_release(sp, e);	/* send-once or port set */
		return RMC_SUCCESS;
	}
}

rmc_ret_t rmc_port_mod_refs(struct rmc_space *sp, rmc_name_t name,
			    unsigned right, int32_t delta)
{
	rmc_ret_t ret;

	core_lock(sp->sys);
	ret = mod_refs_locked(sp, name, right, delta);
	core_unlock(sp->sys);
	return ret;
}

rmc_ret_t rmc_port_deallocate(struct rmc_space *sp, rmc_name_t name)
{
	struct rmc_entry *e;
	unsigned right = RMC_RIGHT_SEND;
	rmc_ret_t ret = RMC_INVALID_RIGHT;

	core_lock(sp->sys);
	e = lookup_checked(sp, name);
	if (!e) {
		ret = RMC_INVALID_NAME;
		goto out;
	}
	if (e->type & RMC_TYPE_SEND_ONCE)
		right = RMC_RIGHT_SEND_ONCE;
	else if (e->type & RMC_TYPE_DEAD_NAME)
		right = RMC_RIGHT_DEAD_NAME;
	else if (!(e->type & RMC_TYPE_SEND))
		goto out;
	ret = mod_refs_locked(sp, name, right, -1);
out:
	core_unlock(sp->sys);
	return ret;
}

rmc_ret_t rmc_port_get_refs(struct rmc_space *sp, rmc_name_t name,
			    unsigned right, uint32_t *out)
{
	struct rmc_entry *e;
	rmc_ret_t ret = RMC_SUCCESS;

	*out = 0;
	if (right >= RMC_RIGHT_NUMBER)
		return RMC_INVALID_VALUE;
	core_lock(sp->sys);
	e = lookup_checked(sp, name);
	if (!e)
		ret = RMC_INVALID_NAME;
	else if (!(e->type & RMC_TYPE(right)))
		*out = 0;
	else if (right == RMC_RIGHT_SEND || right == RMC_RIGHT_DEAD_NAME)
		*out = e->urefs;
	else
		*out = 1;
	core_unlock(sp->sys);
	return ret;
}

rmc_ret_t rmc_port_type(struct rmc_space *sp, rmc_name_t name, uint32_t *out)
{
	struct rmc_entry *e;
	rmc_ret_t ret = RMC_SUCCESS;

	*out = 0;
	core_lock(sp->sys);
	e = lookup_checked(sp, name);
	if (e)
		*out = e->type & E_RIGHTS;
	else
		ret = RMC_INVALID_NAME;
	core_unlock(sp->sys);
	return ret;
}

/* ---- insert / extract ---- */

/* Can name in `to` take a right of kind to port p? */
static rmc_ret_t insert_target_check(struct rmc_space *to, rmc_name_t name,
				     struct rmc_port *p, unsigned kind)
{
	struct rmc_entry *te = &to->table[RMC_NAME_INDEX(name)];
	struct rmc_entry *other;

	if (te->type & E_RIGHTS) {
		if (te->gen != RMC_NAME_GEN(name))
			return RMC_NAME_EXISTS;
		entry_check(to, te);
		if (kind == RMC_MOVE_SEND_ONCE ||
		    !(te->type & (RMC_TYPE_SEND | RMC_TYPE_RECEIVE)) ||
		    te->u.port != p)
			return RMC_NAME_EXISTS;
		if (kind == RMC_MOVE_RECEIVE && (te->type & RMC_TYPE_RECEIVE))
			return RMC_RIGHT_EXISTS;
		return RMC_SUCCESS;
	}
	if (kind != RMC_MOVE_SEND_ONCE) {
		other = rhash_find(to, p);
		if (other) {
			entry_check(to, other);
			if (other->type & (RMC_TYPE_SEND | RMC_TYPE_RECEIVE))
				return RMC_RIGHT_EXISTS;
		}
	}
	return RMC_SUCCESS;
}

static rmc_ret_t insert_locked(struct rmc_space *to, rmc_name_t name,
			       struct rmc_space *from, rmc_name_t from_name,
			       unsigned disp)
{
	struct rmc_entry *fe;
	struct rmc_port *p;
	unsigned kind;
	rmc_ret_t ret;

	if (!RMC_NAME_VALID(name))
		return RMC_INVALID_VALUE;
	/* Room first: growing moves entries. */
	ret = table_reserve_index(to, RMC_NAME_INDEX(name));
	if (!ret)
		ret = rhash_reserve(to, 1);
	if (ret)
		return ret;
	ret = copyin_check(from, from_name, disp, &fe);
	copyin_unclaim(fe);
	if (ret)
		return ret;
	if (fe->type & RMC_TYPE_DEAD_NAME)
		return RMC_INVALID_RIGHT;
	kind = disp_kind(disp);
	/* Moving a right onto the name it already has changes nothing. */
	if (to == from && from_name == name &&
	    (disp == RMC_MOVE_SEND || disp == RMC_MOVE_RECEIVE ||
	     disp == RMC_MOVE_SEND_ONCE))
		return RMC_SUCCESS;
	ret = insert_target_check(to, name, fe->u.port, kind);
	if (ret)
		return ret;
	kind = copyin_do(from, fe, disp, &p);
	copyout_at(to, name, p, kind);
	return RMC_SUCCESS;
}

rmc_ret_t rmc_insert_right(struct rmc_space *to, rmc_name_t name,
			   struct rmc_space *from, rmc_name_t from_name,
			   unsigned disp)
{
	rmc_ret_t ret;

	core_lock(to->sys);
	ret = insert_locked(to, name, from, from_name, disp);
	core_unlock(to->sys);
	return ret;
}

static rmc_ret_t extract_locked(struct rmc_space *from, rmc_name_t name,
				unsigned disp, struct rmc_space *to,
				rmc_name_t *out_name, unsigned *out_disp)
{
	struct rmc_entry *fe;
	struct rmc_port *p;
	unsigned kind;
	rmc_ret_t ret;

	ret = table_reserve(to, 1);
	if (!ret)
		ret = rhash_reserve(to, 1);
	if (ret)
		return ret;
	ret = copyin_check(from, name, disp, &fe);
	copyin_unclaim(fe);
	if (ret)
		return ret;
	if (fe->type & RMC_TYPE_DEAD_NAME)
		return RMC_INVALID_RIGHT;
	kind = copyin_do(from, fe, disp, &p);
	*out_name = copyout(to, p, kind);
	*out_disp = kind;
	return RMC_SUCCESS;
}

rmc_ret_t rmc_extract_right(struct rmc_space *from, rmc_name_t name,
			    unsigned disp, struct rmc_space *to,
			    rmc_name_t *out_name, unsigned *out_disp)
{
	rmc_ret_t ret;

	*out_name = RMC_NAME_NULL;
	*out_disp = 0;
	core_lock(from->sys);
	ret = extract_locked(from, name, disp, to, out_name, out_disp);
	core_unlock(from->sys);
	return ret;
}

/* ---- sets and attributes ---- */

static rmc_ret_t move_member_locked(struct rmc_space *sp, rmc_name_t member,
				    rmc_name_t set)
{
	struct rmc_entry *me = entry_lookup(sp, member), *se;
	struct rmc_port *p;

	if (!me)
		return RMC_INVALID_NAME;
	if (!(me->type & RMC_TYPE_RECEIVE))
		return RMC_INVALID_RIGHT;
	p = me->u.port;
	if (set == RMC_NAME_NULL) {
		if (!p->pset)
			return RMC_NOT_IN_SET;
		port_leave_set(sp->sys, p);
		return RMC_SUCCESS;
	}
	se = entry_lookup(sp, set);
	if (!se)
		return RMC_INVALID_NAME;
	if (!(se->type & RMC_TYPE_PORT_SET))
		return RMC_INVALID_RIGHT;
	if (p->pset == se->u.pset)
		return RMC_SUCCESS;
	port_leave_set(sp->sys, p);
	port_join_set(sp->sys, p, se->u.pset);
	return RMC_SUCCESS;
}

rmc_ret_t rmc_port_move_member(struct rmc_space *sp, rmc_name_t member,
			       rmc_name_t set)
{
	rmc_ret_t ret;

	core_lock(sp->sys);
	ret = move_member_locked(sp, member, set);
	core_unlock(sp->sys);
	return ret;
}

/* Looks up a receive right (lock held). */
static rmc_ret_t receive_lookup(struct rmc_space *sp, rmc_name_t name,
				struct rmc_port **out)
{
	struct rmc_entry *e = entry_lookup(sp, name);

	if (!e)
		return RMC_INVALID_NAME;
	if (!(e->type & RMC_TYPE_RECEIVE))
		return RMC_INVALID_RIGHT;
	*out = e->u.port;
	return RMC_SUCCESS;
}

rmc_ret_t rmc_port_get_status(struct rmc_space *sp, rmc_name_t name,
			      struct rmc_port_status *out)
{
	struct rmc_port *p;
	rmc_ret_t ret;

	mem_zero(out, sizeof(*out));
	core_lock(sp->sys);
	ret = receive_lookup(sp, name, &p);
	if (!ret) {
		out->pset = p->pset ? p->pset->name : RMC_NAME_NULL;
		out->seqno = p->seqno;
		out->mscount = p->mscount;
		out->qlimit = p->qlimit;
		out->msgcount = p->msgcount;
		out->sorights = p->sorights;
		out->srights = p->srights != 0;
		out->pdrequest = p->pdrequest != NULL;
		out->nsrequest = p->nsrequest != NULL;
	}
	core_unlock(sp->sys);
	return ret;
}

rmc_ret_t rmc_port_set_qlimit(struct rmc_space *sp, rmc_name_t name,
			      uint32_t qlimit)
{
	struct rmc_port *p;
	rmc_ret_t ret;

	if (qlimit < 1 || qlimit > RMC_QLIMIT_MAX)
		return RMC_INVALID_VALUE;
	core_lock(sp->sys);
	ret = receive_lookup(sp, name, &p);
	if (!ret) {
		p->qlimit = (uint16_t)qlimit;
		if (p->msgcount < p->qlimit)
			wq_wake_all(sp->sys, &p->snd_wait);
	}
	core_unlock(sp->sys);
	return ret;
}

rmc_ret_t rmc_port_set_mscount(struct rmc_space *sp, rmc_name_t name,
			       uint32_t mscount)
{
	struct rmc_port *p;
	rmc_ret_t ret;

	core_lock(sp->sys);
	ret = receive_lookup(sp, name, &p);
	if (!ret)
		p->mscount = mscount;
	core_unlock(sp->sys);
	return ret;
}

rmc_ret_t rmc_port_set_seqno(struct rmc_space *sp, rmc_name_t name,
			     uint32_t seqno)
{
	struct rmc_port *p;
	rmc_ret_t ret;

	core_lock(sp->sys);
	ret = receive_lookup(sp, name, &p);
	if (!ret)
		p->seqno = seqno;
	core_unlock(sp->sys);
	return ret;
}
