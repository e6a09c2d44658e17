// SPDX-License-Identifier: MIT
/*
 * space.c - IPC spaces: creation, caps, teardown.
 *
 * Locking: rmc_space_* take the system lock; space_unref expects it held.
 *
 * Lifetime: sp->refs is 1 while the platform's handle lives plus one per
 * queued message charged to the space (the sender pays until the message is
 * received or destroyed, like AF_UNIX). rmc_space_destroy drops the handle's
 * reference; the struct goes when the last charged message does.
 */
#include "internal.h"

void space_unref(struct rmc_space *sp)
{
	struct rmc_sys *sys = sp->sys;
	struct rmc_owner *o = sp->owner;

	if (--sp->refs)
		return;
	mem_free(sys, sp, sizeof(*sp));
	sys->stats.spaces--;
	if (o && --o->spaces == 0 && sys->ops->owner_release)
		sys->ops->owner_release(sys->ctx, o);
}

rmc_ret_t rmc_space_create(struct rmc_sys *sys, struct rmc_owner *owner,
			   struct rmc_space **out)
{
	struct rmc_space *sp;

	*out = NULL;
	core_lock(sys);
	sp = mem_alloc(sys, sizeof(*sp));
	if (!sp) {
		core_unlock(sys);
		return RMC_RESOURCE_SHORTAGE;
	}
	mem_zero(sp, sizeof(*sp));
	sp->sys = sys;
	sp->owner = owner;
	sp->limit = sys->space_limit;
	sp->refs = 1;
	if (owner)
		owner->spaces++;
	sys->stats.spaces++;
	core_unlock(sys);
	*out = sp;
	return RMC_SUCCESS;
}

void rmc_space_destroy(struct rmc_space *sp)
{
	struct rmc_sys *sys = sp->sys;
	struct rmc_entry *e;
	uint32_t i;

	core_lock(sys);
	sp->dead = 1;
	/* Releasing rights never allocates entries here, so the table stays
	 * put while we walk it. */
	for (i = 1; i < sp->size; i++) {
		e = &sp->table[i];
		if (!(e->type & E_RIGHTS))
			continue;
		entry_check(sp, e);
		entry_release(sp, e);
	}
	port_drain_work(sys);
	table_release(sp);
	space_unref(sp);
	core_unlock(sys);
}

void rmc_space_set_limits(struct rmc_space *sp, const struct rmc_limits *lim)
{
	core_lock(sp->sys);
	sp->limit = *lim;
	core_unlock(sp->sys);
}

void rmc_space_get_usage(struct rmc_space *sp, struct rmc_usage *out)
{
	core_lock(sp->sys);
	*out = sp->use;
	core_unlock(sp->sys);
}

void rmc_space_count_names(struct rmc_space *sp, struct rmc_space_names *out)
{
	uint32_t i;

	mem_zero(out, sizeof(*out));
	core_lock(sp->sys);
	for (i = 1; i < sp->size; i++) {
		const struct rmc_entry *e = &sp->table[i];
		uint32_t t = e->type & E_RIGHTS;

		if (!t)
			continue;
		out->names++;
		/* Send rights of a dead port are dead names not yet converted. */
		if ((t & (RMC_TYPE_SEND | RMC_TYPE_SEND_ONCE)) &&
		    !(t & RMC_TYPE_RECEIVE) && !e->u.port->active)
			t = RMC_TYPE_DEAD_NAME;
		out->receive += !!(t & RMC_TYPE_RECEIVE);
		out->send += !!(t & RMC_TYPE_SEND);
		out->send_once += !!(t & RMC_TYPE_SEND_ONCE);
		out->dead += !!(t & RMC_TYPE_DEAD_NAME);
		out->psets += !!(t & RMC_TYPE_PORT_SET);
	}
	core_unlock(sp->sys);
}
