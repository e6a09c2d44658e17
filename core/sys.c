// SPDX-License-Identifier: MIT
/*
 * sys.c - the system object: ops wrappers, memory, message cache, counters.
 *
 * Locking: rmc_sys_* and rmc_msg_alloc/free take the system lock; the helpers
 * declared in internal.h expect it held. mem_* work either way.
 */
#include "internal.h"

#define DEFAULT_MAX_BODY (64u * 1024u)

void core_lock(struct rmc_sys *sys)
{
	if (sys->ops->lock)
		sys->ops->lock(sys->ctx);
}

/* Port destruction is deferred to a work list so it never recurses; every
 * entry point drains it before letting go of the lock. */
void core_unlock(struct rmc_sys *sys)
{
	if (sys->work)
		port_drain_work(sys);
	if (sys->ops->unlock)
		sys->ops->unlock(sys->ctx);
}

void *mem_alloc(struct rmc_sys *sys, size_t size)
{
	return sys->ops->alloc(sys->ctx, size);
}

void mem_free(struct rmc_sys *sys, void *p, size_t size)
{
	if (p)
		sys->ops->free(sys->ctx, p, size);
}

/* Own loops rather than libc: the kernel and bare metal builds link nothing. */
void mem_zero(void *p, size_t n)
{
	unsigned char *d = p;

	while (n--)
		*d++ = 0;
}

void mem_copy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	while (n--)
		*d++ = *s++;
}

static size_t round8(size_t n)
{
	return (n + 7u) & ~(size_t)7u;
}

static size_t msg_bytes(uint32_t cap_body, uint32_t cap_desc)
{
	return round8(sizeof(struct rmc_msg)) +
	       round8(cap_desc * sizeof(struct rmc_port_desc)) +
	       round8(cap_desc * sizeof(struct rmc_port *)) + cap_body;
}

static void msg_layout(struct rmc_msg *m, uint32_t body, uint32_t ndesc)
{
	unsigned char *base = (unsigned char *)m;
	size_t off = round8(sizeof(*m));
	uint32_t cap_body = m->cap_body, cap_desc = m->cap_desc, flags = m->flags;

	mem_zero(m, sizeof(*m));
	m->cap_body = cap_body;
	m->cap_desc = cap_desc;
	m->flags = flags & M_CACHED;
	m->desc = (struct rmc_port_desc *)(void *)(base + off);
	off += round8(cap_desc * sizeof(struct rmc_port_desc));
	m->desc_port = (struct rmc_port **)(void *)(base + off);
	off += round8(cap_desc * sizeof(struct rmc_port *));
	m->body = base + off;
	m->body_size = body;
	m->ndesc = ndesc;
	mem_zero(m->desc, ndesc * sizeof(struct rmc_port_desc));
}

/* Lock held (or not: the cache is only touched under the lock by callers
 * that hold it; rmc_msg_alloc takes it). */
struct rmc_msg *msg_get(struct rmc_sys *sys, uint32_t body, uint32_t ndesc)
{
	struct rmc_msg *m;
	uint32_t cap_body = body, cap_desc = ndesc;
	bool small = body <= RMC_MSG_CACHE_BODY && ndesc <= RMC_MSG_CACHE_DESC;

	if (small && sys->cache) {
		m = sys->cache;
		sys->cache = m->next;
		sys->stats.msgs_cached--;
	} else {
		if (small) {
			cap_body = RMC_MSG_CACHE_BODY;
			cap_desc = RMC_MSG_CACHE_DESC;
		}
		m = mem_alloc(sys, msg_bytes(cap_body, cap_desc));
		if (!m)
			return NULL;
		m->cap_body = cap_body;
		m->cap_desc = cap_desc;
		m->flags = small ? M_CACHED : 0;
	}
	msg_layout(m, body, ndesc);
	sys->msgs_out++;
	return m;
}

void msg_put(struct rmc_sys *sys, struct rmc_msg *m)
{
	sys->msgs_out--;
	if ((m->flags & M_CACHED) &&
	    sys->stats.msgs_cached < RMC_MSG_CACHE_COUNT) {
		m->next = sys->cache;
		sys->cache = m;
		sys->stats.msgs_cached++;
		return;
	}
	mem_free(sys, m, msg_bytes(m->cap_body, m->cap_desc));
}

rmc_ret_t rmc_msg_alloc(struct rmc_sys *sys, uint32_t body_size,
			uint32_t ndesc, struct rmc_msg **out)
{
	struct rmc_msg *m;

	*out = NULL;
	if (body_size > sys->max_body || ndesc > RMC_MAX_DESC)
		return RMC_MSG_TOO_LARGE;
	core_lock(sys);
	m = msg_get(sys, body_size, ndesc);
	core_unlock(sys);
	if (!m)
		return RMC_RESOURCE_SHORTAGE;
	*out = m;
	return RMC_SUCCESS;
}

void rmc_msg_free(struct rmc_sys *sys, struct rmc_msg *msg)
{
	if (!msg)
		return;
	core_lock(sys);
	msg_put(sys, msg);
	core_unlock(sys);
}

rmc_ret_t rmc_sys_create(const struct rmc_ops *ops, void *ctx,
			 const struct rmc_sys_config *cfg,
			 struct rmc_sys **out)
{
	struct rmc_sys *sys;

	*out = NULL;
	if (!ops || !ops->alloc || !ops->free)
		return RMC_INVALID_VALUE;
	sys = ops->alloc(ctx, sizeof(*sys));
	if (!sys)
		return RMC_RESOURCE_SHORTAGE;
	mem_zero(sys, sizeof(*sys));
	sys->ops = ops;
	sys->ctx = ctx;
	sys->max_body = DEFAULT_MAX_BODY;
	sys->max_names = RMC_MAX_INDEX;
	if (cfg) {
		if (cfg->max_body)
			sys->max_body = cfg->max_body;
		if (cfg->max_names && cfg->max_names < RMC_MAX_INDEX)
			sys->max_names = cfg->max_names;
		sys->space_limit = cfg->space_limit;
	}
	*out = sys;
	return RMC_SUCCESS;
}

rmc_ret_t rmc_sys_destroy(struct rmc_sys *sys)
{
	struct rmc_msg *m;

	core_lock(sys);
	if (sys->stats.spaces || sys->stats.ports || sys->msgs_out) {
		core_unlock(sys);
		return RMC_INVALID_VALUE;
	}
	while ((m = sys->cache) != NULL) {
		sys->cache = m->next;
		mem_free(sys, m, msg_bytes(m->cap_body, m->cap_desc));
	}
	sys->stats.msgs_cached = 0;
	core_unlock(sys);
	sys->ops->free(sys->ctx, sys, sizeof(*sys));
	return RMC_SUCCESS;
}

void rmc_sys_stats(struct rmc_sys *sys, struct rmc_stats *out)
{
	core_lock(sys);
	*out = sys->stats;
	core_unlock(sys);
}
