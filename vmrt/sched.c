/* The O(1) run queue, see sched.h. */
#include "sched.h"

#include <string.h>

#include "vm.h"

unsigned vm_ffs32_debruijn(uint32_t x)
{
	/* x & -x isolates the lowest set bit; multiplying by a de Bruijn
	 * sequence puts a unique 5-bit pattern in the top bits. No CLZ/CTZ
	 * needed (ARMv6-M has neither). */
	static const uint8_t pos[32] = {
		0,  1,  28, 2,  29, 14, 24, 3,  30, 22, 20, 15, 25, 17, 4,  8,
		31, 27, 13, 23, 21, 19, 16, 7,  26, 12, 18, 6,  11, 5,  10, 9
	};
	return pos[((x & (0u - x)) * 0x077CB531u) >> 27];
}

void vm_rq_init(struct vm_rq *rq)
{
	memset(rq, 0, sizeof(*rq));
}

unsigned vm_slice_for(unsigned static_prio)
{
	return VM_SLICE_MIN + (VM_SLICE_MAX - VM_SLICE_MIN) *
				      (VM_NPRIO - 1 - static_prio) / (VM_NPRIO - 1);
}

void vm_se_init(struct vm_sched_entity *se, unsigned static_prio)
{
	memset(se, 0, sizeof(*se));
	se->static_prio = (uint8_t)static_prio;
	se->prio = (uint8_t)static_prio;
	se->slice = vm_slice_for(static_prio);
	se->sleep_avg = VM_MAX_SLEEP_AVG / 2; /* neutral: bonus 0 */
}

int vm_bonus(const struct vm_sched_entity *se)
{
	/* Linear in the sleep average: -MAX_BONUS when it never sleeps,
	 * +MAX_BONUS when it sleeps all the time. */
	return (int)((uint64_t)se->sleep_avg * (2 * VM_MAX_BONUS + 1) /
		     (VM_MAX_SLEEP_AVG + 1)) - VM_MAX_BONUS;
}

unsigned vm_effective_prio(const struct vm_sched_entity *se)
{
	int prio = (int)se->static_prio - vm_bonus(se);
	if (prio < 0)
		prio = 0;
	if (prio > VM_NPRIO - 1)
		prio = VM_NPRIO - 1;
	return (unsigned)prio;
}

static void array_add(struct vm_prio_array *a, struct vm_proc *p, bool front)
{
	unsigned prio = p->se.prio;
	if (!a->head[prio]) {
		p->rq_next = NULL;
		a->head[prio] = a->tail[prio] = p;
		a->bitmap |= 1u << prio;
	} else if (front) {
		p->rq_next = a->head[prio];
		a->head[prio] = p;
	} else {
		p->rq_next = NULL;
		a->tail[prio]->rq_next = p;
		a->tail[prio] = p;
	}
	a->nr++;
}

void vm_rq_enqueue(struct vm_rq *rq, struct vm_proc *p, bool front)
{
	p->se.prio = (uint8_t)vm_effective_prio(&p->se);
	p->se.array = rq->active;
	array_add(&rq->arrays[rq->active], p, front);
	rq->nr_running++;
	p->state = VM_RUNNABLE;
}

struct vm_proc *vm_rq_pick(struct vm_rq *rq)
{
	struct vm_prio_array *a = &rq->arrays[rq->active];
	if (!a->bitmap) {
		struct vm_prio_array *e = &rq->arrays[!rq->active];
		if (!e->bitmap)
			return NULL;
		rq->active = (uint8_t)!rq->active; /* swap: O(1) */
		rq->swaps++;
		a = e;
		rq->expired_since = 0;
	}
	unsigned prio = vm_ffs32(a->bitmap);
	struct vm_proc *p = a->head[prio];
	a->head[prio] = p->rq_next;
#ifdef __GNUC__
	/* The next pick at this level is probably p->rq_next: start loading
	 * its hot lines (struct, then its variables right after it) now, so a
	 * long run queue costs no more per switch than a short one. */
	if (p->rq_next) {
		const char *n = (const char *)p->rq_next;
		__builtin_prefetch(n);
		__builtin_prefetch(n + 64);
		__builtin_prefetch(n + 128);
		__builtin_prefetch(p->rq_next + 1);
	}
#endif
	if (!p->rq_next) {
		a->tail[prio] = NULL;
		a->bitmap &= ~(1u << prio);
	}
	p->rq_next = NULL;
	a->nr--;
	rq->nr_running--;
	rq->switches++;
	p->state = VM_RUNNING;
	return p;
}

static void spend(struct vm_rq *rq, struct vm_proc *p, uint32_t used)
{
	rq->clock += used;
	p->se.sleep_avg = p->se.sleep_avg > used ? p->se.sleep_avg - used : 0;
}

/* Linux's EXPIRED_STARVING: the expired array has waited too long. */
static bool expired_starving(const struct vm_rq *rq)
{
	return rq->expired_since &&
	       rq->clock - rq->expired_since >
		       (uint64_t)VM_STARVATION_LIMIT * (rq->nr_running + 1);
}

void vm_rq_expire(struct vm_rq *rq, struct vm_proc *p, uint32_t used)
{
	spend(rq, p, used);
	p->se.prio = (uint8_t)vm_effective_prio(&p->se);
	bool interactive = vm_bonus(&p->se) >= VM_INTERACTIVE;
	if (interactive && !expired_starving(rq)) {
		vm_rq_enqueue(rq, p, false);
		return;
	}
	uint8_t exp = (uint8_t)!rq->active;
	if (!rq->expired_since)
		rq->expired_since = rq->clock ? rq->clock : 1;
	p->se.array = exp;
	array_add(&rq->arrays[exp], p, false);
	rq->nr_running++;
	p->state = VM_RUNNABLE;
}

void vm_rq_account(struct vm_rq *rq, struct vm_proc *p, uint32_t used)
{
	spend(rq, p, used);
}

void vm_rq_sleep(struct vm_rq *rq, struct vm_proc *p)
{
	p->se.slept_at = rq->clock;
}

void vm_rq_wake_credit(struct vm_rq *rq, struct vm_proc *p)
{
	/* Credit the time slept, at most one full slice per sleep, so that
	 * sleeping briefly and often earns no more than sleeping long. */
	uint64_t slept = rq->clock - p->se.slept_at;
	if (slept > VM_SLICE_MAX)
		slept = VM_SLICE_MAX;
	uint64_t s = p->se.sleep_avg + slept;
	p->se.sleep_avg = (uint32_t)(s > VM_MAX_SLEEP_AVG ? VM_MAX_SLEEP_AVG : s);
}

bool vm_rq_check(const struct vm_rq *rq)
{
	uint32_t total = 0;
	for (int i = 0; i < 2; i++) {
		const struct vm_prio_array *a = &rq->arrays[i];
		uint32_t n = 0;
		for (unsigned prio = 0; prio < VM_NPRIO; prio++) {
			bool bit = a->bitmap >> prio & 1;
			if (bit != (a->head[prio] != NULL))
				return false;
			const struct vm_proc *last = NULL;
			for (const struct vm_proc *p = a->head[prio]; p; p = p->rq_next) {
				if (p->state != VM_RUNNABLE || p->se.prio != prio ||
				    p->se.array != i)
					return false;
				last = p;
				n++;
			}
			if (last != a->tail[prio])
				return false;
		}
		if (n != a->nr)
			return false;
		total += n;
	}
	return total == rq->nr_running;
}
