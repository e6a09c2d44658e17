// SPDX-License-Identifier: MIT
/*
 * pool.c - the names a thread uses and the arguments it makes up.
 *
 * A pool holds the names a thread got from the kernel in one space, each
 * with the right it last believed the name held (a hint, never trusted:
 * other threads and processes change things). Names are mostly picked from
 * the pool, and sometimes on purpose not: a name given up, a name another
 * process published (meaningless here, or naming something else), 0, ~0, a
 * neighbour of a real name (another generation of the same entry), noise.
 *
 * Pointers and sizes are mostly right, sometimes at or past a limit,
 * sometimes bad: NULL, a PROT_NONE page, a read-only page, a range running
 * into a guard page, the arena other threads unmap at random, kernel and
 * non-canonical addresses.
 */
#include <string.h>
#include "fuzz.h"

int fz_fd(struct fz_thread *t, int sp)
{
	int fd;

	if (sp == SP_HOME)
		return t->home_fd;
	fd = atomic_load(&t->p->chaos_fd);
	return fd >= 0 ? fd : t->home_fd;
}

/* The link thread's service port and peers' are never handed out. */
bool fz_protected(struct fz_thread *t, int sp, uint32_t name)
{
	unsigned int i;

	if (t->idx != 0 || sp != SP_HOME || !name)
		return false;
	if (name == t->p->svc)
		return true;
	for (i = 0; i < FZ_MAX_PROCS; i++)
		if (t->p->peer[i].name == name)
			return true;
	return false;
}

uint32_t fz_pick_any(struct fz_thread *t, int sp)
{
	struct fz_pool *pl = &t->pool[sp];
	uint32_t r = fz_below(&t->rng, 100), name, i;

	t->last_hint = HINT_NONE;
	if (r < 70 && pl->n) {
		i = fz_below(&t->rng, pl->n);
		name = pl->name[i];
		t->last_hint = pl->hint[i];
	} else if (r < 78 && pl->ndropped)
		name = pl->dropped[fz_below(&t->rng, pl->ndropped)];
	else if (r < 86)
		name = atomic_load_explicit(
			&t->p->sh->published[fz_below(&t->rng, FZ_PUBLISHED)],
			memory_order_relaxed);
	else if (r < 89)
		name = RMACH_PORT_NULL;
	else if (r < 92)
		name = RMACH_PORT_DEAD;
	else if (r < 95)
		name = (uint32_t)fz_rnd(&t->rng);
	else if (pl->n)	/* the same entry, another generation */
		name = pl->name[fz_below(&t->rng, pl->n)] ^
		       fz_range(&t->rng, 1, 255);
	else
		name = fz_range(&t->rng, 1, 0x2000);
	if (fz_protected(t, sp, name))
		name = RMACH_PORT_NULL;
	return name;
}

/* A name believed to hold want (HINT_*), else any name. */
uint32_t fz_pick(struct fz_thread *t, int sp, unsigned int want)
{
	struct fz_pool *pl = &t->pool[sp];
	unsigned int i, tries;

	if (want != HINT_NONE && pl->n && !fz_one_in(&t->rng, 12)) {
		for (tries = 0; tries < 6; tries++) {
			i = fz_below(&t->rng, pl->n);
			if (pl->hint[i] == want) {
				t->last_hint = want;
				return pl->name[i];
			}
		}
	}
	return fz_pick_any(t, sp);
}

static void fz_drop_name(struct fz_pool *pl, uint32_t name)
{
	pl->dropped[pl->ndropped < 8 ? pl->ndropped++ : name % 8] = name;
}

/*
 * A name the kernel gave us. A full pool lets one name go: usually its
 * rights are released first, sometimes they are left in the space (to be
 * cleaned up by the space's teardown).
 */
void fz_remember(struct fz_thread *t, int sp, uint32_t name, unsigned int hint)
{
	struct fz_pool *pl = &t->pool[sp];
	unsigned int i;

	if (name == RMACH_PORT_NULL || name == RMACH_PORT_DEAD ||
	    fz_protected(t, sp, name))
		return;
	for (i = 0; i < pl->n; i++) {
		if (pl->name[i] == name) {
			pl->hint[i] = (uint8_t)hint;
			return;
		}
	}
	if (pl->n == FZ_POOL) {
		struct rmach_port_name pn;

		i = fz_below(&t->rng, FZ_POOL);
		if (!fz_one_in(&t->rng, 8)) {
			pn = (struct rmach_port_name){ .name = pl->name[i] };
			fz_ioctl(t, pl->hint[i] == HINT_RECEIVE ||
				    pl->hint[i] == HINT_PSET ? OP_DESTROY :
				    OP_DEALLOCATE, fz_fd(t, sp),
				 pl->hint[i] == HINT_RECEIVE ||
				 pl->hint[i] == HINT_PSET ?
				 RMACH_IOC_PORT_DESTROY :
				 RMACH_IOC_PORT_DEALLOCATE, &pn);
		}
		fz_drop_name(pl, pl->name[i]);
	} else {
		i = pl->n++;
	}
	pl->name[i] = name;
	pl->hint[i] = (uint8_t)hint;
	if (fz_one_in(&t->rng, 16))
		fz_publish(t, name);
}

static bool fz_unpool(struct fz_pool *pl, uint32_t name)
{
	unsigned int i;

	for (i = 0; i < pl->n; i++) {
		if (pl->name[i] == name) {
			pl->name[i] = pl->name[--pl->n];
			pl->hint[i] = pl->hint[pl->n];
			return true;
		}
	}
	return false;
}

void fz_forget(struct fz_thread *t, int sp, uint32_t name)
{
	if (fz_unpool(&t->pool[sp], name))
		fz_drop_name(&t->pool[sp], name);
}

/* A name becomes protected: random calls must not find it any more. */
void fz_protect(struct fz_thread *t, int sp, uint32_t name)
{
	struct fz_pool *pl = &t->pool[sp];
	unsigned int i;

	fz_unpool(pl, name);
	for (i = 0; i < pl->ndropped; i++)
		if (pl->dropped[i] == name)
			pl->dropped[i] = RMACH_PORT_NULL;
}

void fz_publish(struct fz_thread *t, uint32_t name)
{
	atomic_store_explicit(
		&t->p->sh->published[fz_below(&t->rng, FZ_PUBLISHED)], name,
		memory_order_relaxed);
}

/* A disposition that suits the right, or now and then any value at all. */
uint32_t fz_disp_for(struct fz_thread *t, unsigned int hint)
{
	uint32_t r = fz_below(&t->rng, 100);

	if (r < 8)
		return fz_below(&t->rng, 26);
	switch (hint) {
	case HINT_RECEIVE:
		return r < 55 ? RMACH_MSG_TYPE_MAKE_SEND :
		       r < 90 ? RMACH_MSG_TYPE_MAKE_SEND_ONCE :
				RMACH_MSG_TYPE_MOVE_RECEIVE;
	case HINT_SEND:
	case HINT_DEAD:
		return r < 70 ? RMACH_MSG_TYPE_COPY_SEND :
				RMACH_MSG_TYPE_MOVE_SEND;
	case HINT_SO:
		return RMACH_MSG_TYPE_MOVE_SEND_ONCE;
	default:
		return fz_range(&t->rng, RMACH_MSG_TYPE_MOVE_RECEIVE,
				RMACH_MSG_TYPE_MAKE_SEND_ONCE);
	}
}

unsigned int fz_hint_of_disp(uint32_t disp)
{
	switch (disp) {
	case RMACH_MSG_TYPE_PORT_RECEIVE:
		return HINT_RECEIVE;
	case RMACH_MSG_TYPE_PORT_SEND:
		return HINT_SEND;
	case RMACH_MSG_TYPE_PORT_SEND_ONCE:
		return HINT_SO;
	}
	return HINT_NONE;
}

/*
 * A user pointer for len bytes at good, or (one call in 30) a bad one;
 * *bad says which. Every bad kind must give EFAULT or a clean error.
 */
uint64_t fz_ptr(struct fz_thread *t, void *good, size_t len, bool *bad)
{
	struct fz_proc *p = t->p;

	*bad = false;
	if (!fz_one_in(&t->rng, 30))
		return (uintptr_t)good;
	*bad = true;
	switch (fz_below(&t->rng, 8)) {
	case 0:
		return 0;
	case 1:
		return 8;
	case 2:
		return (uintptr_t)p->none + fz_below(&t->rng, (uint32_t)p->page);
	case 3:
		return (uintptr_t)p->ro;
	case 4:	/* runs into the guard page */
		return (uintptr_t)p->edge + p->page -
		       fz_range(&t->rng, 1, len < p->page ? (uint32_t)len :
						   (uint32_t)p->page);
	case 5:
		return (uintptr_t)p->arena;
	case 6:
		return 0xffff888000000000ull + fz_below(&t->rng, 1u << 20);
	default:
		return 0x8000000000000000ull;
	}
}

/* A size: mostly good, else at or around a limit, or anything. */
uint32_t fz_size(struct fz_thread *t, uint32_t good, uint32_t max)
{
	if (!fz_one_in(&t->rng, 16))
		return good;
	switch (fz_below(&t->rng, 8)) {
	case 0:
		return 0;
	case 1:
		return good - 1;
	case 2:
		return good + 1;
	case 3:
		return max;
	case 4:
		return max + 1;
	case 5:
		return UINT32_MAX;
	case 6:
		return 1u << fz_below(&t->rng, 32);
	default:
		return (uint32_t)fz_rnd(&t->rng);
	}
}
