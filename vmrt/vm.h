/*
 * The rMach VM runtime: processes running programs, scheduled by an O(1) run
 * queue (sched.h), talking through ports of core/ (ipc.c).
 *
 * Portable: no libc beyond string.h, everything else through platform.h, so
 * the bare-metal firmware runs this file set unchanged.
 *
 * Use:
 *   struct vm_rt *rt = vm_rt_new(&cfg);
 *   vm_spawn(rt, prog, prio);   ... for each process
 *   vm_rt_run(rt);              returns when every process halted, faulted, or
 *                               waits for a message that can no longer come
 *   vm_rt_free(rt);
 */
#ifndef VMRT_VM_H
#define VMRT_VM_H

#include <stdbool.h>
#include <stdint.h>

#include "program.h"
#include "rmach_core.h"
#include "sched.h"
#include "value.h"

struct vm_config {
	size_t heap_limit;      /* bytes of heap per process */
	uint32_t stack_limit;   /* values on the stack per process */
	uint32_t msg_limit;     /* bytes of one serialised message */
	uint32_t port_limit;    /* receive rights a process may create */
	bool trace;             /* scheduling and message events to diag */
	bool stats;             /* per process figures when it ends */
	bool count_insns;       /* run the counting (switch) interpreter; implied
				 * by stats */
	uint64_t max_slices;    /* stop after this many slices (0: never) */
};

#define VM_DEFAULT_HEAP_LIMIT (64u << 20)
#define VM_DEFAULT_STACK_LIMIT 4096u
#define VM_DEFAULT_MSG_LIMIT (64u << 10)
#define VM_DEFAULT_PORT_LIMIT 4096u
/* Messages a process may have queued (unreceived) at once, and their bytes. */
#define VM_QUEUED_MSG_LIMIT 16384u
#define VM_QUEUED_BYTES_LIMIT (64u << 20)

enum vm_state {
	VM_RUNNABLE,   /* on the run queue */
	VM_RUNNING,
	VM_BLOCKED,    /* waiting in RECV/CALL, or in SEND on a full queue */
	VM_DONE,       /* halted */
	VM_FAULTED
};

struct vm_proc_stats {
	uint64_t insns;       /* instructions executed (counted with --stats) */
	uint64_t reductions;  /* budget used */
	uint64_t slices;      /* times picked to run */
	uint64_t sent, received;
	uint64_t handoffs;    /* times it ran on a sender's slice */
};

struct vm_proc {
	/* Run queue (sched.c). */
	struct vm_proc *rq_next;
	struct vm_sched_entity se;
	enum vm_state state;
	uint32_t pid;

	/* Interpreter state, saved while not running: a switch is a pointer swap. */
	const struct vm_program *prog;
	struct vm_insn *ip;
	vm_value *stack;    /* stack[0] unused, see interp.c */
	vm_value *sp;
	vm_value tos;
	uint32_t stack_cap; /* usable slots */
	uint32_t inline_cap; /* slots allocated with the struct (0: none) */
	bool stack_inline;  /* stack is still the one after the struct */
	vm_value *env;      /* prog->nvars variable slots */
	int32_t budget;     /* reductions left in this slice */
	bool retried;       /* the current instruction already retried after GC */
	bool in_call;       /* CALL sent its request, waits for the answer */
	struct vm_proc_stats stats; /* updated every slice: with the hot fields */

	/* Colder: touched by allocation, IPC and teardown. */
	struct vm_heap heap;
	/* IPC (ipc.c). */
	struct rmc_space *space;
	struct rmc_waiter waiter;
	rmc_name_t last_reply;   /* reply right of the last message received */
	rmc_name_t call_port;    /* private reply port of CALL, made on first use */
	struct rmc_msg *rx_msg;  /* received, not yet decoded (heap was full) */
	rmc_name_t dest_cache;   /* last SEND destination and how it travels */
	unsigned dest_cache_disp;

	struct vm_proc *all_next; /* every process, for teardown */
};

struct vm_service;
struct vm_bridge_ops;

struct vm_rt {
	struct vm_config cfg;
	struct vm_rq rq;
	struct vm_proc *all;
	uint32_t nprocs, nalive, next_pid, nfaulted;
	struct vm_proc *current;

	/* Set by a wake-up during SEND: run this process next on the rest of
	 * the current slice (see sched.c). */
	struct vm_proc *handoff;
	bool sending;             /* a VM process is inside SEND/CALL/REPLY */
	struct vm_service *svc_ready; /* host services with mail */

	struct rmc_sys *sys;
	struct rmc_space *host_space; /* holds host services and the registry */
	struct vm_service *services;
	struct vm_registry_ent *registry;
	uint32_t nregistry, capregistry;
	struct vm_timer *timers;      /* clock service, by deadline */

	const struct vm_bridge_ops *bridge; /* outside ports (bridge.h); NULL: off */
	void *bridge_ctx;

	struct vm_buf *scratch;       /* message serialisation */
	struct vm_heap svc_heap;      /* values decoded for host services */
};

struct vm_rt *vm_rt_new(const struct vm_config *cfg);
void vm_rt_free(struct vm_rt *rt);
/* A new runnable process; NULL when memory is short or prog is not prepared.
 * prio: 0 (most important) .. VM_NPRIO-1. */
struct vm_proc *vm_spawn(struct vm_rt *rt, const struct vm_program *prog,
			 unsigned prio);
/* Runs until nothing can run any more. */
void vm_rt_run(struct vm_rt *rt);

/* Ends p with "file:line: INSTR: reason" on the diagnostic output. */
void vm_fault(struct vm_rt *rt, struct vm_proc *p, const char *reason);
/* Releases everything p holds (space, heap, stack); p stays in rt->all. */
void vm_proc_end(struct vm_rt *rt, struct vm_proc *p, enum vm_state how);
/* Collects p's heap (p's state must be saved). */
void vm_proc_gc(struct vm_proc *p);

/*
 * Trace lines on the diagnostic output, "SYSTEM:EVENT pid=.. key=value ...".
 * Port and message events use the kernel's tracepoint names and field names
 * (docs/tracing.md: rmach:rmach_msg_send dest reply id size nrights, ...), so
 * one vocabulary covers VM processes and /dev/rmach; pid stands for the
 * kernel's common_pid. Scheduler events exist only in the VM: vm:sched_*.
 */
/* uapi/linux/rmach.h's sizeof(struct rmach_msg_header) and
 * RMACH_RIGHT_RECEIVE, repeated: the portable runtime includes no uapi. */
#define VM_TRACE_HEADER_SIZE 24u
#define VM_TRACE_RIGHT_RECEIVE 1u
struct vm_trace_field {
	const char *key; /* NULL: skipped */
	uint64_t val;
};
void vm_trace_emit(struct vm_rt *rt, const char *event, uint32_t pid,
		   const struct vm_trace_field *f, unsigned n);
/* vm_trace(rt, "rmach:rmach_msg_send", pid, { "dest", d }, { "id", i }) */
#define vm_trace(rt, event, pid, ...)                                        \
	do {                                                                 \
		if ((rt)->cfg.trace) { /* the common case costs one test */ \
			const struct vm_trace_field f_[] = { { NULL, 0 },    \
							     __VA_ARGS__ };  \
			vm_trace_emit(rt, event, pid, f_,                    \
				      sizeof(f_) / sizeof(f_[0]));           \
		}                                                            \
	} while (0)

#endif
