/* SPDX-License-Identifier: MIT */
/*
 * fuzz.h - rmach-fuzz, the stateful multi-process fuzzer of /dev/rmach.
 *
 * One supervisor (main.c) forks worker processes (worker.c), each running a
 * few threads that issue random but plausible calls over the whole ABI
 * (op_*.c) and check what user space can check (check.c). The supervisor
 * kills workers at random and starts new incarnations, drives fault
 * injection (fault.c) and at the end checks the module's debugfs counters.
 *
 * Workers and the supervisor share one anonymous MAP_SHARED region (struct
 * fz_shared): the stop flag, each slot's incarnation and death, counters,
 * names published for other processes to misuse, and the first failure.
 */
#ifndef FZ_FUZZ_H
#define FZ_FUZZ_H

#include <stdatomic.h>
#include <stdbool.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>
#include <linux/rmach.h>
#include <liburing.h>
#include "rng.h"

#define FZ_MAX_PROCS	32
#define FZ_MAX_THREADS	8
#define FZ_POOL		48	/* names a thread remembers per space */
#define FZ_PUBLISHED	128	/* names shared between processes */
#define FZ_LOG		1024	/* calls kept per thread for a failure report */
#define FZ_LOG_SHOWN	48	/* of which a failure prints the last */
#define FZ_SLOTS	32	/* io_uring commands in flight per thread */
#define FZ_RING		64	/* io_uring entries */
#define FZ_SLOT_BUF	8192	/* receive buffer of one io_uring slot */
#define FZ_GRAVES	32	/* blocks of closed rings kept mapped */
#define FZ_BODY_MAX	(65536 + 1024)	/* past max_msg_size on purpose */
#define FZ_MSG_MAX	(24 + 8 * 65 + FZ_BODY_MAX)	/* largest message built */
#define FZ_ID_BASE	0x7A000000u	/* ids of the fuzzer's own messages */
#define FZ_BODY_MAGIC	0xF022B0D1u

/* Exit status of a worker that found a bug (anything else is a crash). */
#define FZ_EXIT_FAIL	3

/* Fault injection modes (fault.c). */
#define FZ_FAULT_NTH	(1u << 0)	/* /proc/thread-self/fail-nth per call */
#define FZ_FAULT_RATE	(1u << 1)	/* failslab/fail_page_alloc probability */

/* Every operation the fuzzer counts (names in op_names[], check.c). */
enum fz_op {
	OP_VERSION, OP_ALLOCATE, OP_DESTROY, OP_DEALLOCATE, OP_TYPE,
	OP_MOD_REFS, OP_GET_REFS, OP_INSERT, OP_EXTRACT, OP_GET_ATTR,
	OP_SET_ATTR, OP_PSET_ADD, OP_PSET_REMOVE, OP_PSET_MOVE, OP_SEND,
	OP_RCV, OP_CALL, OP_NOTIFY, OP_REGISTER, OP_LOOK_UP, OP_UNREGISTER,
	OP_STATS, OP_POLL_PORT, OP_BAD_IOCTL,
	OP_URING_SEND, OP_URING_RCV, OP_URING_CALL, OP_URING_BAD,
	OP_OPEN, OP_CLOSE_DUP, OP_POLL, OP_FORK, OP_RING_CYCLE, OP_NONBLOCK,
	OP_REMAP, OP_PEER_SEND, OP_SVC_RCV, OP_PEER_CHECK, OP_VERIFY,
	OP_FLOOD, FZ_NOPS
};

struct fz_opts {
	uint64_t seed;
	unsigned int procs;
	unsigned int threads;
	double duration;	/* seconds; 0 = until max_calls */
	uint64_t max_calls;	/* 0 = until duration */
	unsigned int kill_ms;	/* mean ms between kills; 0 = none */
	unsigned int fault;	/* FZ_FAULT_* */
	unsigned int nth_pct;	/* calls with a fail-nth fault armed */
	unsigned int rate_pct;	/* failslab / fail_page_alloc probability */
	unsigned int watchdog_s;	/* a call longer than this is a hang */
	bool small_limits;	/* lower the module's caps to reach them */
	bool mixed_uids;	/* odd slots run as uid 65534 */
	bool tap;		/* TAP on stdout (guest test) */
	int verbose;
	int trace;		/* every call to stderr (2: also before it) */
	bool no_noise;		/* no SIGUSR1 noise timers (exact replay) */
};

/* Counters of one thread position of one slot, over all incarnations. */
struct fz_counts {
	_Atomic uint64_t calls;
	_Atomic uint64_t injected;	/* fail-nth faults that fired */
	_Atomic uint64_t armed;		/* calls with fail-nth armed */
	_Atomic uint64_t checks;	/* invariant checks passed */
	_Atomic uint64_t op[FZ_NOPS];
	_Atomic uint64_t ok[FZ_NOPS];	/* of which returned success */
	_Atomic uint64_t err[136];	/* by errno */
} __attribute__((aligned(64)));

struct fz_slot {
	_Atomic pid_t pid;
	_Atomic uint32_t inc;		/* incarnation running (set before fork) */
	_Atomic uint32_t dead_inc;	/* last incarnation reaped */
	_Atomic uint64_t beat;		/* any progress; the supervisor's watchdog */
};

struct fz_shared {
	_Atomic int stop;
	_Atomic int failed;
	_Atomic int fail_lock;
	char failure[1024];		/* the first failure, one line */
	struct fz_slot slot[FZ_MAX_PROCS];
	struct fz_counts counts[FZ_MAX_PROCS][FZ_MAX_THREADS + 1];
	_Atomic uint32_t published[FZ_PUBLISHED];
	_Atomic uint64_t kills, stops, forks, child_kills, dead_checked;
	_Atomic uint64_t ring_cycles, space_swaps;
	_Atomic uint64_t casualties;	/* workers a random fault killed */
	_Atomic uint64_t peer_gone;	/* dead peers' rights found gone */
};

/* What one call left for the failure report. */
struct fz_logent {
	uint8_t op;
	int8_t fd_kind;
	int16_t res;			/* 0 or -errno, or a CQE's res clipped */
	uint32_t a[4];
};

/* A name a thread remembers, with the right it last believed it held. */
#define HINT_NONE	0
#define HINT_RECEIVE	1
#define HINT_SEND	2
#define HINT_SO		3
#define HINT_PSET	4
#define HINT_DEAD	5

struct fz_pool {
	uint32_t name[FZ_POOL];
	uint8_t hint[FZ_POOL];
	unsigned int n;
	uint32_t dropped[8];		/* names given up: stale on purpose */
	unsigned int ndropped;
};

/* A space a thread uses: its home (only this thread) or the chaos space. */
enum fz_space_kind { SP_HOME, SP_CHAOS, SP_NSPACES };

/* One io_uring command in flight. */
struct fz_uslot {
	bool busy;
	uint8_t op;			/* RMACH_URING_* or 0 for a bad command */
	uint8_t sp;			/* enum fz_space_kind */
	bool bad;			/* built with a bad pointer or field */
	bool faulted;			/* a fault fired in its submission */
	bool home;			/* counted in home_busy */
	bool async;			/* ... and in home_async */
	uint32_t epoch;			/* the space's epoch at submission */
	uint32_t gen;
	struct rmach_msg_args *args;
	unsigned char *buf;		/* receive buffer (FZ_SLOT_BUF) */
	unsigned char *send;		/* message sent (SEND, CALL) */
};

struct fz_proc;

struct fz_thread {
	struct fz_proc *p;
	unsigned int idx;		/* 0 = the link thread */
	unsigned int gen;		/* how many threads held this position */
	pid_t tid;
	struct fz_rng rng;
	struct fz_counts *c;
	int home_fd;
	uint32_t home_epoch;
	struct fz_pool pool[SP_NSPACES];
	/* fault injection (fault.c) */
	int nth_fd;			/* /proc/thread-self/fail-nth, or -1 */
	int mif_fd;			/* /proc/thread-self/make-it-fail, or -1 */
	bool arm;			/* the next call gets a fault */
	bool injected;			/* the last call's fault fired */
	/* io_uring (op_uring.c) */
	struct io_uring ring;
	bool ring_ok;
	unsigned char *ublock;		/* FZ_SLOTS slots' memory, mmap'd */
	size_t ublock_len;
	struct fz_uslot us[FZ_SLOTS];
	unsigned int inflight;
	uint32_t ugen;
	/* signals (worker.c) */
	timer_t noise_timer, deadline_timer;
	bool timers_ok;
	/* scratch message buffers */
	unsigned char *sbuf, *rbuf;
	/* watchdog: when the current call began (ms, 0 = not in a call) */
	_Atomic uint64_t call_since;
	_Atomic int call_op;
	_Atomic bool done;
	/* last calls */
	struct fz_logent log[FZ_LOG];
	unsigned int nlog;
	uint64_t seq;			/* messages sent: body checksums */
	bool bad_ptr;			/* the call being made uses a bad pointer */
	bool blocking;			/* ... may block (EINTR, ETIMEDOUT allowed) */
	bool la_set;			/* la: what the log shows for the next call */
	uint32_t la[4];
	unsigned int last_hint;		/* hint of the name fz_pick* returned */
	/*
	 * io_uring commands that act on the home space behind the thread's
	 * back: receives parked (they complete in task work) and IOSQE_ASYNC
	 * ones (io-wq runs them later). While any, home results are not exact.
	 */
	unsigned int home_busy;
	unsigned int home_async;	/* of which IOSQE_ASYNC (may move rights) */
	uint64_t home_busy_until;	/* ms: a closed ring's commands may run */
	uint32_t body_cap;		/* fz_build_msg: largest body, 0 = any */
	unsigned int graves;		/* io_uring blocks left to the graveyard */
	bool svc_registered;		/* link thread: service in the registry */
	bool link_call;			/* a call of op_link.c on protected names */
};

/* Peers' service ports, as the link thread holds them. */
struct fz_peer {
	uint32_t name;			/* send right in the link space, 0 = none */
	uint32_t inc;			/* the incarnation it belonged to */
	bool uncertain;			/* an async send in flight may move it */
};

struct fz_proc {
	const struct fz_opts *o;
	struct fz_shared *sh;
	unsigned int slot;
	uint32_t inc;
	bool as_nobody;
	int mif_fd;			/* main thread's make-it-fail, or -1 */
	_Atomic int chaos_fd;
	_Atomic uint32_t chaos_epoch;
	uint32_t svc;			/* service port in the link space */
	struct fz_peer peer[FZ_MAX_PROCS];
	/* memory for bad pointers (worker.c) */
	unsigned char *none;		/* a PROT_NONE page */
	unsigned char *ro;		/* a read-only page */
	unsigned char *edge;		/* a page followed by a PROT_NONE one */
	unsigned char *arena;		/* remapped at random (OP_REMAP) */
	size_t page;
	struct fz_thread *t[FZ_MAX_THREADS];
	/* io_uring blocks that may still be written (op_uring.c) */
	pthread_mutex_t grave_lock;
	unsigned char *grave[FZ_GRAVES];
	unsigned int graves;
};

/* main.c */
extern const char *fz_prog;

uint64_t fz_now_ms(void);

/* Nothing but this thread acts on its home space: results are exact. */
static inline bool fz_home_exact(struct fz_thread *t)
{
	return !t->home_busy && (!t->home_busy_until ||
				 fz_now_ms() >= t->home_busy_until);
}

/* worker.c */
int fz_worker_main(const struct fz_opts *o, struct fz_shared *sh,
		   unsigned int slot, uint32_t inc);
void fz_deadline_arm(struct fz_thread *t, unsigned int ms);
void fz_deadline_disarm(struct fz_thread *t);

/* check.c */
extern const char *const fz_op_names[FZ_NOPS];
void fz_fail(struct fz_thread *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));
void fz_dump_name(struct fz_thread *t, uint32_t name);
void fz_log_call(struct fz_thread *t, enum fz_op op, int fd_kind, int res,
		 uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3);
int fz_ioctl(struct fz_thread *t, enum fz_op op, int fd, unsigned long cmd,
	     void *arg);
void fz_check_errno(struct fz_thread *t, enum fz_op op, int err);
void fz_count(struct fz_thread *t, enum fz_op op, int res);
void fz_body_fill(struct fz_thread *t, unsigned char *body, uint32_t len,
		  uint32_t id);
void fz_check_received(struct fz_thread *t, int sp, const void *msg,
		       uint32_t size, uint32_t bufsize);
void fz_check_received_late(struct fz_thread *t, int sp, const void *msg,
			    uint32_t size, uint32_t bufsize);

/* Per-name state used by the "nothing changed on failure" check. */
struct fz_snap {
	int err;
	uint32_t type, srefs, drefs;
};
void fz_snap(struct fz_thread *t, int fd, uint32_t name, struct fz_snap *s);
void fz_snap_same(struct fz_thread *t, int fd, uint32_t name,
		  const struct fz_snap *before, const char *what, int err);

/* pool.c */
int fz_fd(struct fz_thread *t, int sp);
uint32_t fz_pick(struct fz_thread *t, int sp, unsigned int want_hint);
uint32_t fz_pick_any(struct fz_thread *t, int sp);
void fz_remember(struct fz_thread *t, int sp, uint32_t name, unsigned int hint);
void fz_forget(struct fz_thread *t, int sp, uint32_t name);
void fz_protect(struct fz_thread *t, int sp, uint32_t name);
bool fz_protected(struct fz_thread *t, int sp, uint32_t name);
void fz_publish(struct fz_thread *t, uint32_t name);
uint32_t fz_disp_for(struct fz_thread *t, unsigned int hint);
unsigned int fz_hint_of_disp(uint32_t disp);
uint64_t fz_ptr(struct fz_thread *t, void *good, size_t len, bool *bad);
uint32_t fz_size(struct fz_thread *t, uint32_t good, uint32_t max);

/* fault.c */
int fz_fault_setup(const struct fz_opts *o);
void fz_fault_teardown(const struct fz_opts *o, uint64_t *slab_fails,
		       uint64_t *page_fails);
void fz_fault_thread_init(struct fz_thread *t);
void fz_fault_thread_exit(struct fz_thread *t);
int fz_mif_open(void);
void fz_mif_set(int fd, bool on);
void fz_quiet(struct fz_thread *t, bool quiet);
void fz_fault_before(struct fz_thread *t);
void fz_fault_after(struct fz_thread *t);

/* op_msg.c: a message in buf to dest; names it carries for snapshots. */
struct fz_built {
	uint32_t size;			/* header.size as built */
	uint32_t names[3];		/* dest, reply, first descriptor */
	bool malformed;			/* a field broken on purpose */
};
void fz_build_msg(struct fz_thread *t, int sp, unsigned char *buf,
		  uint32_t dest, uint32_t dest_disp, uint32_t reply,
		  uint32_t reply_disp, struct fz_built *b);

/* op_port.c, op_msg.c, op_uring.c, op_proc.c: one step each. */
void op_port(struct fz_thread *t, enum fz_op op);
void op_msg(struct fz_thread *t, enum fz_op op);
void op_uring(struct fz_thread *t, enum fz_op op);
void op_proc(struct fz_thread *t, enum fz_op op);
void fz_uring_init(struct fz_thread *t);
void fz_uring_exit(struct fz_thread *t, bool cancel_first);
void fz_uring_reap(struct fz_thread *t, bool wait);
void fz_link_init(struct fz_thread *t);
void fz_link_step(struct fz_thread *t, enum fz_op op);
void fz_fork_child_exit_check(void);

#endif /* FZ_FUZZ_H */
