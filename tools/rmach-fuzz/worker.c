// SPDX-License-Identifier: MIT
/*
 * worker.c - one worker process: its threads, their signals, its watchdog.
 *
 * A worker runs o->threads threads. Each owns a home space (only it acts
 * there, so failed calls can be checked to change nothing) and shares the
 * process's chaos space with the others. Thread 0 is also the link thread
 * (op_link.c). A thread lives a random number of steps, then closes its
 * ring and space and exits; the main thread starts its successor, so
 * threads die with receives parked and spaces die under other threads.
 *
 * Signals: each thread has a periodic noise timer (SIGUSR1, SA_RESTART: a
 * receive without timeout is restarted, one with a timeout ends in EINTR)
 * and a deadline timer (SIGUSR2, no SA_RESTART) armed around calls that may
 * block without a timeout, so every call ends: a call still running after
 * o->watchdog_s is a hang, reported with the thread's last calls.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <linux/capability.h>
#include "fuzz.h"

#ifndef sigev_notify_thread_id
#define sigev_notify_thread_id _sigev_un._tid
#endif

static struct fz_proc fz_p;

uint64_t fz_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void fz_on_signal(int sig)
{
	(void)sig;
}

static void fz_timers_init(struct fz_thread *t)
{
	struct sigevent ev = { 0 };
	struct itimerspec its = { 0 };
	uint32_t ms = fz_range(&t->rng, 3, 40);

	t->timers_ok = false;
	ev.sigev_notify = SIGEV_THREAD_ID;
	ev.sigev_notify_thread_id = t->tid;
	ev.sigev_signo = SIGUSR1;
	if (timer_create(CLOCK_MONOTONIC, &ev, &t->noise_timer))
		return;
	ev.sigev_signo = SIGUSR2;
	if (timer_create(CLOCK_MONOTONIC, &ev, &t->deadline_timer)) {
		timer_delete(t->noise_timer);
		return;
	}
	its.it_value.tv_nsec = (long)ms * 1000000;
	its.it_interval = its.it_value;
	if (!t->p->o->no_noise)
		timer_settime(t->noise_timer, 0, &its, NULL);
	t->timers_ok = true;
}

static void fz_timers_exit(struct fz_thread *t)
{
	if (!t->timers_ok)
		return;
	timer_delete(t->noise_timer);
	timer_delete(t->deadline_timer);
	t->timers_ok = false;
}

/* A call that may block without a timeout gets interrupted after ms. */
void fz_deadline_arm(struct fz_thread *t, unsigned int ms)
{
	struct itimerspec its = { 0 };

	if (!t->timers_ok)
		fz_fail(t, "no deadline timer for a call that may block");
	its.it_value.tv_sec = ms / 1000;
	its.it_value.tv_nsec = (long)(ms % 1000) * 1000000;
	/*
	 * Again and again until disarmed: one expiry may be spent while the
	 * thread runs a SIGUSR1 handler, after which the call is restarted.
	 */
	its.it_interval.tv_nsec = 5 * 1000000;
	if (timer_settime(t->deadline_timer, 0, &its, NULL))
		fz_fail(t, "deadline timer: %s", strerror(errno));
}

void fz_deadline_disarm(struct fz_thread *t)
{
	struct itimerspec its = { 0 };

	if (t->timers_ok)
		timer_settime(t->deadline_timer, 0, &its, NULL);
}

struct fz_weight {
	enum fz_op op;
	unsigned int w;		/* per 1000 steps */
};

/* What a step does, per 1000 steps (link-only ops are skipped elsewhere). */
static const struct fz_weight fz_weights[] = {
	{ OP_VERSION, 8 }, { OP_ALLOCATE, 75 }, { OP_DESTROY, 28 },
	{ OP_DEALLOCATE, 35 }, { OP_TYPE, 30 }, { OP_MOD_REFS, 45 },
	{ OP_GET_REFS, 25 }, { OP_INSERT, 55 }, { OP_EXTRACT, 35 },
	{ OP_GET_ATTR, 15 }, { OP_SET_ATTR, 25 }, { OP_PSET_ADD, 25 },
	{ OP_PSET_REMOVE, 15 }, { OP_PSET_MOVE, 15 }, { OP_SEND, 120 },
	{ OP_RCV, 90 }, { OP_CALL, 35 }, { OP_NOTIFY, 35 },
	{ OP_REGISTER, 8 }, { OP_LOOK_UP, 12 }, { OP_UNREGISTER, 6 },
	{ OP_STATS, 8 }, { OP_POLL_PORT, 8 }, { OP_BAD_IOCTL, 15 },
	{ OP_URING_SEND, 45 }, { OP_URING_RCV, 45 }, { OP_URING_CALL, 20 },
	{ OP_URING_BAD, 8 }, { OP_OPEN, 2 }, { OP_CLOSE_DUP, 3 },
	{ OP_POLL, 5 }, { OP_FORK, 1 }, { OP_RING_CYCLE, 1 },
	{ OP_NONBLOCK, 2 }, { OP_REMAP, 2 }, { OP_PEER_SEND, 60 },
	{ OP_SVC_RCV, 60 }, { OP_PEER_CHECK, 10 }, { OP_FLOOD, 1 },
};
#define FZ_NWEIGHTS (sizeof(fz_weights) / sizeof(fz_weights[0]))

static enum fz_op fz_next_op(struct fz_thread *t)
{
	static unsigned int total;
	unsigned int i, r;

	if (!total)
		for (i = 0; i < FZ_NWEIGHTS; i++)
			total += fz_weights[i].w;
	r = fz_below(&t->rng, total);
	for (i = 0; i < FZ_NWEIGHTS; i++) {
		if (r < fz_weights[i].w)
			return fz_weights[i].op;
		r -= fz_weights[i].w;
	}
	return OP_VERSION;
}

static void fz_step(struct fz_thread *t)
{
	enum fz_op op = fz_next_op(t);

	t->arm = t->nth_fd >= 0 &&
		 fz_below(&t->rng, 100) < t->p->o->nth_pct;
	switch (op) {
	case OP_SEND:
	case OP_RCV:
	case OP_CALL:
		op_msg(t, op);
		break;
	case OP_URING_SEND:
	case OP_URING_RCV:
	case OP_URING_CALL:
	case OP_URING_BAD:
		op_uring(t, op);
		break;
	case OP_OPEN:
	case OP_CLOSE_DUP:
	case OP_POLL:
	case OP_FORK:
	case OP_RING_CYCLE:
	case OP_NONBLOCK:
	case OP_REMAP:
	case OP_FLOOD:
		t->arm = false;
		op_proc(t, op);
		break;
	case OP_REGISTER:
	case OP_LOOK_UP:
	case OP_UNREGISTER:
	case OP_PEER_SEND:
	case OP_SVC_RCV:
	case OP_PEER_CHECK:
		fz_link_step(t, op);
		break;
	default:
		op_port(t, op);
		break;
	}
	t->arm = false;
	t->injected = false;
}

/* Opens the thread's home space; EMFILE (user_spaces) is retried. */
static int fz_open_space(struct fz_thread *t)
{
	int i, fd = -1;

	for (i = 0; i < 200 && !atomic_load(&t->p->sh->stop); i++) {
		fd = open(RMACH_DEVICE, O_RDWR | O_CLOEXEC);
		if (fd >= 0 || (errno != EMFILE && errno != ENOMEM &&
				errno != EINTR && errno != EAGAIN))
			break;
		usleep(5000);
	}
	return fd;
}

static void *fz_thread_main(void *arg)
{
	struct fz_thread *t = arg;
	struct fz_proc *p = t->p;
	uint64_t steps, i;

	t->tid = (pid_t)syscall(SYS_gettid);
	fz_rng_init(&t->rng, p->o->seed, ((uint64_t)p->slot << 32) | p->inc,
		    t->idx, t->gen);
	fz_timers_init(t);
	fz_fault_thread_init(t);
	t->home_fd = fz_open_space(t);
	if (t->home_fd < 0)
		goto out;
	t->home_epoch++;
	if (t->idx == 0)
		fz_link_init(t);
	fz_uring_init(t);
	/* Threads come and go: receives parked, spaces closed under others. */
	steps = fz_one_in(&t->rng, 4) ? UINT64_MAX :
		fz_range(&t->rng, 2000, 60000);
	for (i = 0; i < steps && !atomic_load_explicit(&p->sh->stop,
						       memory_order_relaxed); i++)
		fz_step(t);
	fz_uring_exit(t, fz_one_in(&t->rng, 2));
	close(t->home_fd);
	t->home_fd = -1;
out:
	fz_timers_exit(t);
	fz_fault_thread_exit(t);
	atomic_store(&t->done, true);
	return NULL;
}

static struct fz_thread *fz_thread_new(struct fz_proc *p, unsigned int idx,
				       unsigned int gen)
{
	struct fz_thread *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->p = p;
	t->idx = idx;
	t->gen = gen;
	t->c = &p->sh->counts[p->slot][idx];
	t->home_fd = -1;
	t->nth_fd = -1;
	t->sbuf = malloc(FZ_MSG_MAX);
	t->rbuf = malloc(FZ_MSG_MAX);
	if (!t->sbuf || !t->rbuf) {
		free(t->sbuf);
		free(t->rbuf);
		free(t);
		return NULL;
	}
	memset(t->sbuf, 0, FZ_MSG_MAX);
	memset(t->rbuf, 0, FZ_MSG_MAX);
	return t;
}

static void fz_thread_free(struct fz_thread *t)
{
	free(t->sbuf);
	free(t->rbuf);
	free(t);
}

static bool fz_thread_start(struct fz_proc *p, unsigned int idx,
			    unsigned int gen, pthread_t *th)
{
	struct fz_thread *t = fz_thread_new(p, idx, gen);
	pthread_attr_t attr;
	int err;

	if (!t)
		return false;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 256 * 1024);
	/* The thread inherits the quiet; it turns faults on itself. */
	fz_mif_set(p->mif_fd, false);
	err = pthread_create(th, &attr, fz_thread_main, t);
	fz_mif_set(p->mif_fd, true);
	pthread_attr_destroy(&attr);
	if (err) {
		fz_thread_free(t);
		return false;
	}
	p->t[idx] = t;
	return true;
}

/* Memory for bad pointers: PROT_NONE, read-only, a page before a guard. */
static int fz_bad_memory(struct fz_proc *p)
{
	unsigned char *m;

	p->page = (size_t)sysconf(_SC_PAGESIZE);
	m = mmap(NULL, 6 * p->page, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return -1;
	p->none = m;
	p->ro = m + p->page;
	p->edge = m + 2 * p->page;
	p->arena = m + 4 * p->page;
	memset(m, 0x5A, 6 * p->page);
	mprotect(p->none, p->page, PROT_NONE);
	mprotect(p->ro, p->page, PROT_READ);
	mprotect(p->edge + p->page, p->page, PROT_NONE);
	return 0;
}

/* Where a stuck thread is, in the kernel and by signals (root only). */
static void fz_dump_task(pid_t tid)
{
	static const char *const files[] = { "stack", "wchan", "status" };
	char path[64], buf[4096];
	unsigned int i;
	ssize_t n;
	int fd;

	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "/proc/self/task/%d/%s", (int)tid,
			 files[i]);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n <= 0)
			continue;
		buf[n] = 0;
		fprintf(stderr, "rmach-fuzz: %s of stuck thread %d:\n%s\n", files[i],
			(int)tid, buf);
	}
}

/* A thread still inside one call after the watchdog's limit: a hang. */
static void fz_watchdog(struct fz_proc *p)
{
	uint64_t now = fz_now_ms(), since, limit = 1000ull * p->o->watchdog_s;
	unsigned int i;

	for (i = 0; i < p->o->threads; i++) {
		struct fz_thread *t = p->t[i];

		if (!t || atomic_load(&t->done))
			continue;
		since = atomic_load(&t->call_since);
		if (since && now > since + limit) {
			fz_dump_task(t->tid);
			fz_fail(t, "hang: %s has not returned for %llu s",
				fz_op_names[atomic_load(&t->call_op)],
				(unsigned long long)(now - since) / 1000);
		}
	}
}

/*
 * Odd slots run as nobody (registry ownership, per-uid caps), keeping only
 * CAP_SYS_RESOURCE: writing make-it-fail needs it.
 */
static void fz_drop_privileges(struct fz_proc *p)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[2];

	if (!p->o->mixed_uids || (p->slot & 1) == 0 || geteuid() != 0)
		return;
	prctl(PR_SET_KEEPCAPS, 1);
	if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
		return;
	memset(d, 0, sizeof(d));
	d[CAP_SYS_RESOURCE / 32].permitted = 1u << (CAP_SYS_RESOURCE % 32);
	d[CAP_SYS_RESOURCE / 32].effective = d[CAP_SYS_RESOURCE / 32].permitted;
	syscall(SYS_capset, &h, d);
	/* Our /proc/<tid> files must stay ours (fail-nth, make-it-fail). */
	prctl(PR_SET_DUMPABLE, 1);
	p->as_nobody = true;
}

int fz_worker_main(const struct fz_opts *o, struct fz_shared *sh,
		   unsigned int slot, uint32_t inc)
{
	struct fz_proc *p = &fz_p;
	pthread_t th[FZ_MAX_THREADS];
	unsigned int gen[FZ_MAX_THREADS] = { 0 };
	struct sigaction sa;
	unsigned int i, running;
	uint64_t stop_at = 0;
	int fd;

	p->o = o;
	p->sh = sh;
	pthread_mutex_init(&p->grave_lock, NULL);
	p->slot = slot;
	p->inc = inc;
	atomic_store(&p->chaos_fd, -1);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fz_on_signal;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_flags = 0;
	sigaction(SIGUSR2, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	p->mif_fd = -1;
	fz_drop_privileges(p);
	if (o->fault & FZ_FAULT_RATE) {
		/* Grow the stack now: growing it under injection is a SIGSEGV. */
		volatile char stack[256 * 1024];

		memset((char *)stack, 0, sizeof(stack));
		p->mif_fd = fz_mif_open();
		fz_mif_set(p->mif_fd, true);
	}
	while (fz_bad_memory(p))
		usleep(1000);
	for (i = 0; i < 50; i++) {
		fd = open(RMACH_DEVICE, O_RDWR | O_CLOEXEC);
		if (fd >= 0)
			break;
		usleep(2000);
	}
	atomic_store(&p->chaos_fd, fd);

	for (i = 0; i < o->threads; i++)
		while (!fz_thread_start(p, i, gen[i], &th[i]))
			usleep(1000);
	for (;;) {
		atomic_store_explicit(&sh->slot[slot].beat, fz_now_ms(),
				      memory_order_relaxed);
		running = 0;
		for (i = 0; i < o->threads; i++) {
			if (!p->t[i])
				continue;
			if (!atomic_load(&p->t[i]->done)) {
				running++;
				continue;
			}
			pthread_join(th[i], NULL);
			fz_thread_free(p->t[i]);
			p->t[i] = NULL;
			if (!atomic_load(&sh->stop) &&
			    fz_thread_start(p, i, ++gen[i], &th[i]))
				running++;
		}
		if (atomic_load(&sh->stop)) {
			if (!running)
				break;
			if (!stop_at)
				stop_at = fz_now_ms();
		}
		fz_watchdog(p);
		usleep(50000);
	}
	fd = atomic_exchange(&p->chaos_fd, -1);
	if (fd >= 0)
		close(fd);
	return 0;
}
