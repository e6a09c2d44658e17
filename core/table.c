// SPDX-License-Identifier: MIT
/*
 * table.c - a space's name table and its reverse (port -> name) hash.
 *
 * Locking: system lock held for everything.
 *
 * Names are (index << 8) | gen; the table is indexed by index, so lookup is
 * O(1). Free entries form a doubly linked list through u.free (indices), so a
 * chosen name (allocate_name, insert_right) is taken out in O(1) too. The
 * table doubles when it runs out (amortised O(1)); growing moves the
 * entries, so entry pointers do not survive table_reserve*(): callers
 * reserve first, then look up.
 *
 * The reverse hash finds the one entry naming a port (SEND and/or RECEIVE
 * rights; send-once rights have their own names and are not in it). Linear
 * probing, load <= 1/2, backward-shift deletion.
 */
#include "internal.h"

struct rmc_entry *entry_lookup(struct rmc_space *sp, rmc_name_t name)
{
	uint32_t index = RMC_NAME_INDEX(name);
	struct rmc_entry *e;

	if (index == 0 || index >= sp->size)
		return NULL;
	e = &sp->table[index];
	if (!(e->type & E_RIGHTS) || e->gen != RMC_NAME_GEN(name))
		return NULL;
	return e;
}

rmc_name_t entry_name(struct rmc_space *sp, struct rmc_entry *e)
{
	return RMC_NAME_MAKE((uint32_t)(e - sp->table), e->gen);
}

static void free_push(struct rmc_space *sp, uint32_t index)
{
	struct rmc_entry *e = &sp->table[index];

	e->u.free.prev = 0;
	e->u.free.next = sp->free_head;
	if (sp->free_head)
		sp->table[sp->free_head].u.free.prev = index;
	sp->free_head = index;
	sp->nfree++;
}

static void free_unlink(struct rmc_space *sp, uint32_t index)
{
	struct rmc_entry *e = &sp->table[index];

	if (e->u.free.prev)
		sp->table[e->u.free.prev].u.free.next = e->u.free.next;
	else
		sp->free_head = e->u.free.next;
	if (e->u.free.next)
		sp->table[e->u.free.next].u.free.prev = e->u.free.prev;
	sp->nfree--;
}

static rmc_ret_t table_grow(struct rmc_space *sp, uint32_t want)
{
	struct rmc_sys *sys = sp->sys;
	uint32_t limit = sys->max_names + 1;	/* + unused index 0 */
	uint32_t size = sp->size ? sp->size : RMC_TABLE_INIT;
	struct rmc_entry *t;
	uint32_t i;

	while (size < want && size < limit)
		size = size > limit / 2 ? limit : size * 2;
	if (size > limit)
		size = limit;
	if (size < want || size <= sp->size)
		return RMC_NO_SPACE;
	t = mem_alloc(sys, (size_t)size * sizeof(*t));
	if (!t)
		return RMC_RESOURCE_SHORTAGE;
	if (sp->size)
		mem_copy(t, sp->table, (size_t)sp->size * sizeof(*t));
	mem_zero(t + sp->size, (size_t)(size - sp->size) * sizeof(*t));
	mem_free(sys, sp->table, (size_t)sp->size * sizeof(*t));
	i = sp->size ? sp->size : 1;
	sp->table = t;
	sp->size = size;
	/* Push in reverse so low indices come out first. */
	while (size-- > i)
		free_push(sp, size);
	return RMC_SUCCESS;
}

/* Makes sure n more entries can be allocated without failing. */
rmc_ret_t table_reserve(struct rmc_space *sp, uint32_t n)
{
	uint32_t used = sp->size ? sp->size - sp->nfree : 1;

	if (sp->nfree >= n)
		return RMC_SUCCESS;
	if ((uint64_t)used + n > (uint64_t)sp->sys->max_names + 1)
		return RMC_NO_SPACE;
	return table_grow(sp, used + n);
}

/* Makes sure the table covers index (for a chosen name). */
rmc_ret_t table_reserve_index(struct rmc_space *sp, uint32_t index)
{
	if (index == 0 || index > sp->sys->max_names)
		return RMC_INVALID_VALUE;
	if (index < sp->size)
		return RMC_SUCCESS;
	return table_grow(sp, index + 1);
}

static void entry_init(struct rmc_space *sp, struct rmc_entry *e)
{
	e->u.port = NULL;
	e->urefs = 0;
	e->type = 0;
	e->claim = 0;
	sp->sys->stats.names++;
}

/* The caller reserved room (table_reserve). */
struct rmc_entry *entry_alloc(struct rmc_space *sp)
{
	uint32_t index = sp->free_head;
	struct rmc_entry *e = &sp->table[index];

	free_unlink(sp, index);
	entry_init(sp, e);
	return e;
}

/* The caller checked the index is covered and free. */
struct rmc_entry *entry_alloc_at(struct rmc_space *sp, rmc_name_t name)
{
	uint32_t index = RMC_NAME_INDEX(name);
	struct rmc_entry *e = &sp->table[index];

	free_unlink(sp, index);
	entry_init(sp, e);
	e->gen = (uint8_t)RMC_NAME_GEN(name);
	return e;
}

void entry_free(struct rmc_space *sp, struct rmc_entry *e)
{
	e->type = 0;
	e->urefs = 0;
	e->claim = 0;
	e->gen++;		/* stale names stop matching */
	free_push(sp, (uint32_t)(e - sp->table));
	sp->sys->stats.names--;
}

/* ---- reverse hash ---- */

static uint32_t rh_home(const struct rmc_space *sp, const struct rmc_port *p)
{
	uint32_t h = (uint32_t)((uintptr_t)p >> 4) * 0x9E3779B1u;

	return (h ^ (h >> 15)) & sp->rh_mask;
}

static void rh_place(struct rmc_space *sp, uint32_t index)
{
	uint32_t i = rh_home(sp, sp->table[index].u.port);

	while (sp->rhash[i])
		i = (i + 1) & sp->rh_mask;
	sp->rhash[i] = index;
}

rmc_ret_t rhash_reserve(struct rmc_space *sp, uint32_t n)
{
	struct rmc_sys *sys = sp->sys;
	uint32_t need = sp->rh_count + n, slots = sp->rh_mask + 1, i;
	uint32_t *old = sp->rhash, old_slots = slots;

	if (sp->rhash && need <= slots / 2)
		return RMC_SUCCESS;
	if (!sp->rhash)
		slots = RMC_TABLE_INIT;
	while (need > slots / 2)
		slots *= 2;
	sp->rhash = mem_alloc(sys, (size_t)slots * sizeof(uint32_t));
	if (!sp->rhash) {
		sp->rhash = old;
		return RMC_RESOURCE_SHORTAGE;
	}
	mem_zero(sp->rhash, (size_t)slots * sizeof(uint32_t));
	sp->rh_mask = slots - 1;
	if (old) {
		for (i = 0; i < old_slots; i++)
			if (old[i])
				rh_place(sp, old[i]);
		mem_free(sys, old, (size_t)old_slots * sizeof(uint32_t));
	}
	return RMC_SUCCESS;
}

/* The caller reserved a slot (rhash_reserve). */
void rhash_insert(struct rmc_space *sp, struct rmc_entry *e)
{
	rh_place(sp, (uint32_t)(e - sp->table));
	sp->rh_count++;
}

void rhash_remove(struct rmc_space *sp, struct rmc_entry *e)
{
	uint32_t index = (uint32_t)(e - sp->table);
	uint32_t i = rh_home(sp, e->u.port), j, k;

	while (sp->rhash[i] != index)
		i = (i + 1) & sp->rh_mask;
	j = i;
	for (;;) {
		j = (j + 1) & sp->rh_mask;
		if (!sp->rhash[j])
			break;
		k = rh_home(sp, sp->table[sp->rhash[j]].u.port);
		/* Leave it if its home lies cyclically in (i, j]. */
		if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		sp->rhash[i] = sp->rhash[j];
		i = j;
	}
	sp->rhash[i] = 0;
	sp->rh_count--;
}

struct rmc_entry *rhash_find(struct rmc_space *sp, struct rmc_port *p)
{
	uint32_t i;

	if (!sp->rh_count)
		return NULL;
	for (i = rh_home(sp, p); sp->rhash[i]; i = (i + 1) & sp->rh_mask)
		if (sp->table[sp->rhash[i]].u.port == p)
			return &sp->table[sp->rhash[i]];
	return NULL;
}

void table_release(struct rmc_space *sp)
{
	mem_free(sp->sys, sp->table, (size_t)sp->size * sizeof(*sp->table));
	mem_free(sp->sys, sp->rhash, sp->rhash ?
		 (size_t)(sp->rh_mask + 1) * sizeof(uint32_t) : 0);
	sp->table = NULL;
	sp->rhash = NULL;
	sp->size = sp->nfree = sp->free_head = 0;
	sp->rh_mask = sp->rh_count = 0;
}
