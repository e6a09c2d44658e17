// SPDX-License-Identifier: MIT
/*
 * waitq.c - waiters linked to a port's receive or send side, or to a set.
 *
 * Locking: system lock held, except rmc_waiter_init (lock-free) and
 * rmc_waiter_cancel (takes it).
 *
 * State machine of a waiter (enum rmc_waiter_state):
 *   IDLE --link--> WAITING --wake_one--> WOKEN --retry/cancel--> IDLE
 *   WAITING/WOKEN --object dies/changes--> ABORTED --next op--> IDLE
 * Invariant: in a wq every WAITING waiter comes before every WOKEN one, and
 * first_woken points at the first WOKEN one (or is NULL), so wake_one is
 * O(1) and FIFO.
 */
#include "internal.h"

void rmc_waiter_init(struct rmc_waiter *w, void *cookie)
{
	w->cookie = cookie;
	w->next = w->prev = NULL;
	w->wq = NULL;
	w->state = RMC_WAITER_IDLE;
	w->result = RMC_SUCCESS;
}

static void insert_before(struct rmc_wq *wq, struct rmc_waiter *w,
			  struct rmc_waiter *before)
{
	w->next = before;
	w->prev = before ? before->prev : wq->tail;
	if (w->prev)
		w->prev->next = w;
	else
		wq->head = w;
	if (before)
		before->prev = w;
	else
		wq->tail = w;
	w->wq = wq;
}

void wq_link(struct rmc_wq *wq, struct rmc_waiter *w)
{
	insert_before(wq, w, wq->first_woken);
	w->state = RMC_WAITER_WAITING;
}

void wq_unlink(struct rmc_waiter *w)
{
	struct rmc_wq *wq = w->wq;

	if (!wq)
		return;
	if (wq->first_woken == w)
		wq->first_woken = w->next;
	if (w->prev)
		w->prev->next = w->next;
	else
		wq->head = w->next;
	if (w->next)
		w->next->prev = w->prev;
	else
		wq->tail = w->prev;
	w->next = w->prev = NULL;
	w->wq = NULL;
}

static void do_wake(struct rmc_sys *sys, struct rmc_waiter *w)
{
	if (sys->ops->wake)
		sys->ops->wake(sys->ctx, w);
}

/* Wakes the oldest WAITING waiter; false if there is none. */
bool wq_wake_one(struct rmc_sys *sys, struct rmc_wq *wq)
{
	struct rmc_waiter *w = wq->head;

	if (!w || w->state != RMC_WAITER_WAITING)
		return false;
	wq_unlink(w);
	insert_before(wq, w, NULL);
	if (!wq->first_woken)
		wq->first_woken = w;
	w->state = RMC_WAITER_WOKEN;
	do_wake(sys, w);
	return true;
}

void wq_wake_all(struct rmc_sys *sys, struct rmc_wq *wq)
{
	while (wq_wake_one(sys, wq))
		;
}

/* The object is going away or changed: unlink everyone with a reason. */
void wq_abort_all(struct rmc_sys *sys, struct rmc_wq *wq, rmc_ret_t why)
{
	struct rmc_waiter *w;

	while ((w = wq->head) != NULL) {
		wq_unlink(w);
		w->state = RMC_WAITER_ABORTED;
		w->result = (uint8_t)why;
		do_wake(sys, w);
	}
}

/* Start of a blocking operation with waiter w (may be NULL): a retry unlinks
 * it; an aborted one reports why once. */
rmc_ret_t waiter_begin(struct rmc_waiter *w)
{
	rmc_ret_t why = RMC_SUCCESS;

	if (!w)
		return RMC_SUCCESS;
	if (w->state == RMC_WAITER_ABORTED)
		why = (rmc_ret_t)w->result;
	wq_unlink(w);
	w->state = RMC_WAITER_IDLE;
	w->result = RMC_SUCCESS;
	return why;
}

void rmc_waiter_cancel(struct rmc_sys *sys, struct rmc_waiter *w)
{
	struct rmc_wq *wq;
	bool woken;

	core_lock(sys);
	wq = w->wq;
	woken = w->state == RMC_WAITER_WOKEN;
	wq_unlink(w);
	w->state = RMC_WAITER_IDLE;
	w->result = RMC_SUCCESS;
	/* An unused wake-up goes to the next in line; if the condition no
	 * longer holds, that waiter just links itself again. */
	if (woken && wq)
		wq_wake_one(sys, wq);
	core_unlock(sys);
}
