/* SPDX-License-Identifier: MIT */
/*
 * alloc_ops.h - a counting, checking rmc_ops table for host tests.
 *
 * Counts live allocations and bytes (free must pass the size alloc got),
 * can fail the Nth allocation, checks the lock is never taken twice and that
 * wake is only called with it held, and records wake-ups.
 */
#ifndef CORE_ALLOC_OPS_H
#define CORE_ALLOC_OPS_H

#include <stddef.h>
#include "rmach_core.h"

struct test_ctx {
	long live;		/* allocations not yet freed */
	long live_bytes;
	long total;		/* allocations ever */
	long fail_at;		/* fail the allocation with this total; 0 = never */
	int locked;
	int errors;		/* contract violations seen */
	long wakes;
	struct rmc_waiter *last_woken;
	long owner_releases;
};

extern const struct rmc_ops test_ops;
void test_ctx_reset(struct test_ctx *c);

#endif
