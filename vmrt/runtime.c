/*
 * The runtime: processes, the scheduling loop around the O(1) run queue,
 * faults, collection, tracing.
 *
 * Scheduling loop, one iteration:
 *   1. host services with mail run (console, clock, ...), due timers fire;
 *   2. pick the next process (O(1)); none: sleep until the next timer, or
 *      stop when no timer is pending (everybody waits for a message that
 *      nobody can send: the run is over);
 *   3. run it for its slice; it stops because the slice expired (to the
 *      expired array, or back to the active one if interactive), it yielded
 *      (RETURN: to the tail of its list), blocked (off the queue until a
 *      wake-up), halted or faulted;
 *   4. handoff: if its SEND woke a blocked receiver, that receiver runs at
 *      once on the rest of the slice, and the sender waits at the head of its
 *      list, so a request/answer pair costs no trip through the queue.
 */
#include <string.h>

#include "bridge.h"
#include "interp.h"
#include "ipc.h"
#include "platform.h"
#include "repr.h"
#include "vm.h"

static void diag_buf(struct vm_buf *b)
{
	if (!b->oom)
		vm_plat_diag(b->p, b->n);
	vm_buf_free(b);
}

void vm_trace_emit(struct vm_rt *rt, const char *event, uint32_t pid,
		   const struct vm_trace_field *f, unsigned n)
{
	(void)rt;
	struct vm_buf b = { 0 };
	vm_buf_puts(&b, event);
	vm_buf_puts(&b, " pid=");
	vm_buf_int(&b, pid);
	for (unsigned i = 0; i < n; i++) {
		if (!f[i].key)
			continue;
		vm_buf_put(&b, " ", 1);
		vm_buf_puts(&b, f[i].key);
		vm_buf_put(&b, "=", 1);
		vm_buf_int(&b, (int64_t)f[i].val);
	}
	diag_buf(&b);
}

struct vm_rt *vm_rt_new(const struct vm_config *cfg)
{
	struct vm_rt *rt = vm_plat_alloc(sizeof(*rt));
	if (!rt)
		return NULL;
	memset(rt, 0, sizeof(*rt));
	rt->cfg = *cfg;
	if (rt->cfg.stats)
		rt->cfg.count_insns = true;
	if (!rt->cfg.heap_limit)
		rt->cfg.heap_limit = VM_DEFAULT_HEAP_LIMIT;
	if (!rt->cfg.msg_limit)
		rt->cfg.msg_limit = VM_DEFAULT_MSG_LIMIT;
	if (!rt->cfg.port_limit)
		rt->cfg.port_limit = VM_DEFAULT_PORT_LIMIT;
	rt->next_pid = 1;
	vm_rq_init(&rt->rq);
	vm_heap_init(&rt->svc_heap, rt->cfg.msg_limit * 8u + 4096);
	if (!vm_ipc_init(rt)) {
		vm_plat_free(rt, sizeof(*rt));
		return NULL;
	}
	return rt;
}

/* A process is one allocation: the struct, its variables and (when the
 * verifier bounded it) its stack, adjacent, so a switch to it touches a few
 * neighbouring cache lines. A stack that must grow moves out (interp.c). */
static size_t proc_bytes(const struct vm_program *prog, uint32_t inline_stack)
{
	return sizeof(struct vm_proc) +
	       VM_ARRAY_BYTES(prog->nvars, sizeof(vm_value)) +
	       (inline_stack ? (inline_stack + 2) * sizeof(vm_value) : 0);
}

static void proc_release(struct vm_rt *rt, struct vm_proc *p)
{
	vm_ipc_proc_fini(rt, p);
	vm_heap_free_all(&p->heap);
	if (!p->stack_inline)
		vm_plat_free(p->stack, (p->stack_cap + 2) * sizeof(vm_value));
	p->stack = p->env = NULL;
}

void vm_rt_free(struct vm_rt *rt)
{
	if (!rt)
		return;
	struct vm_proc *p = rt->all, *next;
	for (; p; p = next) {
		next = p->all_next;
		if (p->stack)
			proc_release(rt, p);
	}
	for (p = rt->all; p; p = next) {
		next = p->all_next;
		vm_plat_free(p, proc_bytes(p->prog, p->inline_cap));
	}
	if (rt->bridge)
		rt->bridge->fini(rt);
	rt->bridge = NULL;
	vm_ipc_fini(rt);
	vm_heap_free_all(&rt->svc_heap);
	vm_plat_free(rt, sizeof(*rt));
}

struct vm_proc *vm_spawn(struct vm_rt *rt, const struct vm_program *prog,
			 unsigned prio)
{
	if (!prog->prepared || prio >= VM_NPRIO)
		return NULL;
	uint32_t cap = prog->stack_bounded ? prog->max_stack : 0;
	if (prog->stack_bounded && cap < 4)
		cap = 4;
	struct vm_proc *p = vm_plat_alloc(proc_bytes(prog, cap));
	if (!p)
		return NULL;
	memset(p, 0, sizeof(*p));
	p->prog = prog;
	p->inline_cap = cap;
	p->env = (vm_value *)(p + 1);
	if (cap) {
		p->stack_inline = true;
		p->stack_cap = cap;
		p->stack = p->env + (prog->nvars ? prog->nvars : 1);
	} else {
		/* Instructions whose depth the verifier proved run unchecked, so
		 * even a growable stack starts with room for all of them. */
		p->stack_cap = prog->max_stack > 16 ? prog->max_stack : 16;
		p->stack = vm_plat_alloc((p->stack_cap + 2) * sizeof(vm_value));
		if (!p->stack) {
			vm_plat_free(p, proc_bytes(prog, 0));
			return NULL;
		}
	}
	/* Unset variables read as 0, like the original's env.get(v, 0). */
	for (uint32_t i = 0; i < prog->nvars; i++)
		p->env[i] = vm_int(0);
	p->stack[0] = p->stack[1] = vm_int(0);
	p->sp = p->stack;
	p->tos = vm_int(0);
	p->ip = prog->insns;
	vm_heap_init(&p->heap, rt->cfg.heap_limit);
	p->pid = rt->next_pid++;
	if (!vm_ipc_proc_init(rt, p)) {
		if (!p->stack_inline)
			vm_plat_free(p->stack, (p->stack_cap + 2) * sizeof(vm_value));
		vm_plat_free(p, proc_bytes(prog, cap));
		return NULL;
	}
	vm_se_init(&p->se, prio);
	p->all_next = rt->all;
	rt->all = p;
	rt->nprocs++;
	rt->nalive++;
	vm_rq_enqueue(&rt->rq, p, false);
	return p;
}

void vm_proc_gc(struct vm_proc *p)
{
	uint32_t depth = (uint32_t)(p->sp - p->stack);
	bool ok = true;
	if (depth >= 2)
		ok &= vm_gc_mark(&p->heap, p->stack + 2, depth - 1);
	if (depth >= 1)
		ok &= vm_gc_mark(&p->heap, &p->tos, 1);
	ok &= vm_gc_mark(&p->heap, p->env, p->prog->nvars);
	if (ok) {
		vm_gc_sweep(&p->heap);
	} else {
		for (struct vm_obj *o = p->heap.objs; o; o = o->next)
			o->flags &= ~VM_OBJ_MARKED;
	}
}

void vm_proc_end(struct vm_rt *rt, struct vm_proc *p, enum vm_state how)
{
	p->state = how;
	rt->nalive--;
	if (how == VM_FAULTED)
		rt->nfaulted++;
	vm_trace(rt, "vm:proc_exit", p->pid, { "status", how == VM_FAULTED });
	if (rt->cfg.stats) {
		struct vm_buf b = { 0 };
		vm_buf_puts(&b, "stats pid=");
		vm_buf_int(&b, p->pid);
		vm_buf_puts(&b, " prog=");
		vm_buf_puts(&b, p->prog->name);
		vm_buf_puts(&b, how == VM_FAULTED ? " state=faulted" : " state=halted");
		vm_buf_puts(&b, " insns=");
		vm_buf_int(&b, (int64_t)p->stats.insns);
		vm_buf_puts(&b, " reductions=");
		vm_buf_int(&b, (int64_t)p->stats.reductions);
		vm_buf_puts(&b, " slices=");
		vm_buf_int(&b, (int64_t)p->stats.slices);
		vm_buf_puts(&b, " sent=");
		vm_buf_int(&b, (int64_t)p->stats.sent);
		vm_buf_puts(&b, " received=");
		vm_buf_int(&b, (int64_t)p->stats.received);
		vm_buf_puts(&b, " handoffs=");
		vm_buf_int(&b, (int64_t)p->stats.handoffs);
		vm_buf_puts(&b, " heap=");
		vm_buf_int(&b, (int64_t)p->heap.bytes);
		diag_buf(&b);
	}
	proc_release(rt, p);
}

void vm_fault(struct vm_rt *rt, struct vm_proc *p, const char *reason)
{
	const struct vm_insn *ip = p->ip;
	struct vm_buf b = { 0 };
	vm_buf_puts(&b, p->prog->name);
	vm_buf_put(&b, ":", 1);
	vm_buf_int(&b, vm_program_line(p->prog, ip->word));
	vm_buf_puts(&b, ": ");
	vm_buf_puts(&b, ip->hid == VM_H_BADOP && !ip->arg ? "?" : vm_opinfo[ip->op].name);
	vm_buf_puts(&b, ": ");
	vm_buf_puts(&b, reason);
	diag_buf(&b);
	vm_proc_end(rt, p, VM_FAULTED);
}

/* Runs p, and whoever it hands off to, starting with `budget` reductions. */
static void run_slice(struct vm_rt *rt, struct vm_proc *p, int32_t budget)
{
	VM_TICK_RESTART();
	for (;;) {
		rt->current = p;
		p->state = VM_RUNNING;
		p->budget = budget;
		p->stats.slices++;
#ifdef VM_NO_COUNTING
		enum vm_exit ex = vm_interp_run(rt, p);
#else
		enum vm_exit ex = rt->cfg.count_insns ? vm_interp_run_counting(rt, p)
						: vm_interp_run(rt, p);
#endif
		rt->current = NULL;
		uint32_t used = (uint32_t)(budget - (p->budget > 0 ? p->budget : 0));
		p->stats.reductions += used;
		switch (ex) {
		case VM_EXIT_EXPIRED:
			vm_rq_expire(&rt->rq, p, used);
			break;
		case VM_EXIT_YIELD:
			vm_rq_account(&rt->rq, p, used);
			vm_rq_enqueue(&rt->rq, p, false);
			break;
		case VM_EXIT_HANDOFF:
			vm_rq_account(&rt->rq, p, used);
			vm_rq_enqueue(&rt->rq, p, true);
			break;
		case VM_EXIT_BLOCKED:
			vm_rq_account(&rt->rq, p, used);
			vm_rq_sleep(&rt->rq, p);
			p->state = VM_BLOCKED;
			vm_trace(rt, "vm:sched_block", p->pid);
			break;
		case VM_EXIT_HALT:
			vm_rq_account(&rt->rq, p, used);
			vm_proc_end(rt, p, VM_DONE);
			break;
		case VM_EXIT_FAULT:
			vm_rq_account(&rt->rq, p, used);
			break;
		}
		struct vm_proc *q = rt->handoff;
		rt->handoff = NULL;
		if (!q)
			return;
		int32_t left = p->budget;
		vm_rq_wake_credit(&rt->rq, q);
		if (left <= 0 || ex == VM_EXIT_EXPIRED) {
			vm_rq_enqueue(&rt->rq, q, false);
			return;
		}
		vm_trace(rt, "rmach:rmach_handoff", p->pid, { "waker", p->pid },
			 { "wakee", q->pid }, { "budget", (uint64_t)left });
		q->stats.handoffs++;
		p = q;
		budget = left;
	}
}

void vm_rt_run(struct vm_rt *rt)
{
	for (uint64_t slices = 0;; slices++) {
		if (rt->cfg.max_slices && slices >= rt->cfg.max_slices)
			return;
		if (rt->bridge && slices % VM_BRIDGE_POLL_SLICES == 0)
			rt->bridge->pump(rt, 0);
		vm_services_run(rt);
		vm_timers_fire(rt);
		struct vm_proc *p = vm_rq_pick(&rt->rq);
		if (!p) {
			if (rt->svc_ready)
				continue;
			uint64_t deadline = vm_timers_next(rt);
			/* Every process waits: block in the kernel until an outside
			 * message or the next timer, while a process is left to
			 * receive it. */
			if (rt->bridge && rt->nalive && rt->bridge->pump(rt, deadline))
				continue;
			if (deadline == UINT64_MAX)
				return; /* nothing runs and nothing can come */
			vm_plat_idle(deadline);
			continue;
		}
		vm_trace(rt, "vm:sched_switch", p->pid, { "prio", p->se.prio },
			 { "slice", p->se.slice });
		run_slice(rt, p, (int32_t)p->se.slice);
	}
}
