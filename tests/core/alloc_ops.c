// SPDX-License-Identifier: MIT
/* alloc_ops.c - see alloc_ops.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "alloc_ops.h"

/* A header before each block records the size so free can check it. */
struct block {
	size_t size;
	size_t magic;
	max_align_t align[];
};

#define BLOCK_MAGIC 0x524d4331u

static void *t_alloc(void *ctx, size_t size)
{
	struct test_ctx *c = ctx;
	struct block *b;

	c->total++;
	if (c->fail_at && c->total == c->fail_at)
		return NULL;
	b = malloc(sizeof(*b) + size);
	if (!b)
		return NULL;
	b->size = size;
	b->magic = BLOCK_MAGIC;
	c->live++;
	c->live_bytes += (long)size;
	memset(b->align, 0xA5, size);	/* the core must not rely on zeroes */
	return b->align;
}

static void t_free(void *ctx, void *p, size_t size)
{
	struct test_ctx *c = ctx;
	struct block *b = (struct block *)((char *)p - offsetof(struct block, align));

	if (b->magic != BLOCK_MAGIC || b->size != size) {
		fprintf(stderr, "alloc_ops: bad free %p size %zu (had %zu)\n",
			p, size, b->size);
		c->errors++;
	}
	b->magic = 0;
	c->live--;
	c->live_bytes -= (long)b->size;
	free(b);
}

static void t_lock(void *ctx)
{
	struct test_ctx *c = ctx;

	if (c->locked++) {
		fprintf(stderr, "alloc_ops: lock taken twice\n");
		c->errors++;
	}
}

static void t_unlock(void *ctx)
{
	struct test_ctx *c = ctx;

	if (--c->locked) {
		fprintf(stderr, "alloc_ops: unlock without lock\n");
		c->errors++;
	}
}

static void t_wake(void *ctx, struct rmc_waiter *w)
{
	struct test_ctx *c = ctx;

	if (!c->locked) {
		fprintf(stderr, "alloc_ops: wake without the lock\n");
		c->errors++;
	}
	c->wakes++;
	c->last_woken = w;
}

static uint64_t t_now(void *ctx)
{
	(void)ctx;
	return 42;
}

static void t_owner_release(void *ctx, struct rmc_owner *o)
{
	struct test_ctx *c = ctx;

	(void)o;
	c->owner_releases++;
}

const struct rmc_ops test_ops = {
	.alloc = t_alloc,
	.free = t_free,
	.lock = t_lock,
	.unlock = t_unlock,
	.wake = t_wake,
	.now = t_now,
	.owner_release = t_owner_release,
};

void test_ctx_reset(struct test_ctx *c)
{
	memset(c, 0, sizeof(*c));
}
