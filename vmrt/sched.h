/*
 * The O(1) run queue (DESIGN.md section 4; Linux 2.6's prio_array, done with
 * the flaws written down).
 *
 * Priorities: 0 is the most important, VM_NPRIO-1 the least (Linux order).
 * VM_NPRIO is a build-time constant, at most 32, so a priority array's bitmap
 * is one 32-bit word and find-first-set is one instruction (ctz) or, where
 * there is none (Cortex-M0+), a de Bruijn multiply and a 32-byte table.
 *
 * Two arrays per run queue, active and expired: each a bitmap (bit i set <=>
 * list i non-empty) and one FIFO per priority. Pick = first set bit of the
 * active bitmap, head of that list; when the active array is empty the arrays
 * swap. Both are O(1) whatever the number of processes.
 *
 * Time slices are counted in reductions (budget units, charged at backward
 * jumps, SEND and RECV: straight-line code pays nothing; BEAM uses the same
 * idea), longer for more important static priorities.
 *
 * Dynamic priority = static priority - bonus, bonus in [-VM_MAX_BONUS,
 * +VM_MAX_BONUS] from the sleep average: time blocked in RECV earns it (at most
 * one slice's worth per sleep, so many short sleeps cannot farm it: the 2.6
 * flaw), running spends it. An interactive process (bonus >= VM_INTERACTIVE)
 * whose slice ends goes back to the active array, unless the expired array
 * has waited longer than the starvation limit: then it expires like everybody
 * else (EXPIRED_STARVING), so a CPU hog cannot be starved forever either.
 *
 * Invariants (checked by vm_rq_check in the tests):
 *   bit i of array->bitmap  <=>  array->head[i] != NULL
 *   a process is on at most one list, and on one iff its state is RUNNABLE
 *   nr_running = processes on both arrays
 */
#ifndef VMRT_SCHED_H
#define VMRT_SCHED_H

#include <stdbool.h>
#include <stdint.h>

#ifndef VM_NPRIO
#define VM_NPRIO 32
#endif
#if VM_NPRIO < 2 || VM_NPRIO > 32
#error "VM_NPRIO must be in 2..32: one bitmap word"
#endif

#define VM_DEFAULT_PRIO (VM_NPRIO / 2)
#define VM_SLICE_MIN 100u  /* reductions, least important priority */
#define VM_SLICE_MAX 8000u /* most important */
#define VM_MAX_BONUS (VM_NPRIO / 8 > 0 ? VM_NPRIO / 8 : 1)
#define VM_INTERACTIVE 2   /* bonus from which a process counts as interactive */
/* Sleep average is kept in reductions of the run queue clock. */
#define VM_MAX_SLEEP_AVG (4u * VM_SLICE_MAX)
/* The expired array may wait this many reductions per runnable process. */
#define VM_STARVATION_LIMIT (2u * VM_SLICE_MAX)

struct vm_proc;

struct vm_sched_entity {
	uint8_t static_prio;
	uint8_t prio;       /* dynamic, the list it is on */
	uint8_t array;      /* index of the array it is on */
	uint32_t slice;     /* reductions granted per slice */
	uint32_t sleep_avg; /* reductions, 0..VM_MAX_SLEEP_AVG */
	uint64_t slept_at;  /* rq clock when it blocked */
};

struct vm_prio_array {
	uint32_t bitmap;
	uint32_t nr;
	struct vm_proc *head[VM_NPRIO], *tail[VM_NPRIO];
};

struct vm_rq {
	struct vm_prio_array arrays[2];
	uint8_t active; /* index of the active array */
	uint32_t nr_running;
	uint64_t clock;            /* reductions executed so far */
	uint64_t expired_since;    /* clock when the expired array became non-empty */
	uint64_t switches, swaps;  /* statistics */
};

/* Index of the lowest set bit of x (x != 0). Portable version always built,
 * for the tests; vm_ffs32 uses ctz when the compiler has it unless
 * VM_PORTABLE_FFS is defined. */
unsigned vm_ffs32_debruijn(uint32_t x);
static inline unsigned vm_ffs32(uint32_t x)
{
#if defined(__GNUC__) && !defined(VM_PORTABLE_FFS)
	return (unsigned)__builtin_ctz(x);
#else
	return vm_ffs32_debruijn(x);
#endif
}

void vm_rq_init(struct vm_rq *rq);
unsigned vm_slice_for(unsigned static_prio);
void vm_se_init(struct vm_sched_entity *se, unsigned static_prio);
/* Dynamic priority from static priority and sleep average. */
unsigned vm_effective_prio(const struct vm_sched_entity *se);
int vm_bonus(const struct vm_sched_entity *se);

/* Makes p runnable at the tail of its dynamic priority's list in the active
 * array (front: at the head, for a sender that handed off its slice). */
void vm_rq_enqueue(struct vm_rq *rq, struct vm_proc *p, bool front);
/* Picks and removes the next process to run, or NULL when none is runnable. */
struct vm_proc *vm_rq_pick(struct vm_rq *rq);
/* p used `used` reductions of its slice and the slice is over: requeue it in
 * the active array (interactive and nobody starving) or the expired one. */
void vm_rq_expire(struct vm_rq *rq, struct vm_proc *p, uint32_t used);
/* Accounting when p stops running without expiring (blocked, yielded). */
void vm_rq_account(struct vm_rq *rq, struct vm_proc *p, uint32_t used);
/* p blocks / wakes (sleep average). */
void vm_rq_sleep(struct vm_rq *rq, struct vm_proc *p);
void vm_rq_wake_credit(struct vm_rq *rq, struct vm_proc *p);
/* Checks the invariants above; false if broken. */
bool vm_rq_check(const struct vm_rq *rq);

#endif
