// SPDX-License-Identifier: MIT
/*
 * threads.c - the waiter protocol under real threads, as the kernel module
 * uses it: one mutex behind ops->lock, ops->wake signals a condition
 * variable, blocked threads sleep and retry with the same waiter. Senders
 * block on a tiny queue, receivers on an empty one; some receivers give up
 * after a short timeout and cancel (passing an unused wake-up on). Every
 * message must arrive exactly once and nobody may sleep forever. Built with
 * ThreadSanitizer. Prints TAP.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "rmach_core.h"

enum { SENDERS = 3, RECEIVERS = 3, PER_SENDER = 50000 };

struct sleeper {
	struct rmc_waiter w;
	pthread_cond_t cv;
	int woken;		/* set by wake under the lock */
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct rmc_sys *sys;
static struct rmc_space *srv, *cli;
static rmc_name_t port, snd;
static long received, id_sum, cancels;
static int done;

static void *t_alloc(void *ctx, size_t n)
{
	(void)ctx;
	return malloc(n);
}

static void t_free(void *ctx, void *p, size_t n)
{
	(void)ctx;
	(void)n;
	free(p);
}

static void t_lock(void *ctx)
{
	(void)ctx;
	pthread_mutex_lock(&mu);
}

static void t_unlock(void *ctx)
{
	(void)ctx;
	pthread_mutex_unlock(&mu);
}

static void t_wake(void *ctx, struct rmc_waiter *w)
{
	struct sleeper *s = w->cookie;

	(void)ctx;
	s->woken = 1;
	pthread_cond_signal(&s->cv);
}

static const struct rmc_ops ops = {
	.alloc = t_alloc, .free = t_free, .lock = t_lock, .unlock = t_unlock,
	.wake = t_wake,
};

static void sleeper_init(struct sleeper *s)
{
	rmc_waiter_init(&s->w, s);
	pthread_cond_init(&s->cv, NULL);
	s->woken = 0;
}

/* Sleeps until woken; with a timeout, gives up and cancels (returns 0). */
static int sleep_on(struct sleeper *s, int timeout_us)
{
	struct timespec ts;
	int ok = 1;

	pthread_mutex_lock(&mu);
	if (timeout_us) {
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += timeout_us * 1000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
	}
	while (!s->woken) {
		if (!timeout_us) {
			pthread_cond_wait(&s->cv, &mu);
		} else if (pthread_cond_timedwait(&s->cv, &mu, &ts)) {
			ok = 0;
			break;
		}
	}
	s->woken = 0;
	pthread_mutex_unlock(&mu);
	if (!ok) {
		rmc_waiter_cancel(sys, &s->w);
		pthread_mutex_lock(&mu);
		s->woken = 0;	/* a wake that raced the timeout */
		cancels++;
		pthread_mutex_unlock(&mu);
	}
	return ok;
}

static void *sender(void *arg)
{
	long base = (long)arg * PER_SENDER;
	struct sleeper s;
	struct rmc_msg *m;
	rmc_ret_t r;
	long i;

	sleeper_init(&s);
	for (i = 0; i < PER_SENDER; i++) {
		if (rmc_msg_alloc(sys, 8, 0, &m))
			abort();
		m->dest = snd;
		m->dest_disp = RMC_COPY_SEND;
		m->id = (uint32_t)(base + i);
		while ((r = rmc_msg_send(cli, m, 0, &s.w)) == RMC_WOULD_BLOCK)
			sleep_on(&s, 0);
		if (r)
			abort();
	}
	pthread_cond_destroy(&s.cv);
	return NULL;
}

static void *receiver(void *arg)
{
	int impatient = (int)(long)arg & 1;
	struct sleeper s;
	struct rmc_msg *m;
	rmc_ret_t r;

	sleeper_init(&s);
	for (;;) {
		r = rmc_msg_receive(srv, port, 64, 0, &s.w, &m, NULL);
		if (r == RMC_WOULD_BLOCK) {
			sleep_on(&s, impatient ? 5 : 0);
			continue;
		}
		if (r != RMC_SUCCESS)
			break;	/* the port was destroyed: we are done */
		pthread_mutex_lock(&mu);
		received++;
		id_sum += m->id;
		pthread_mutex_unlock(&mu);
		rmc_msg_free(sys, m);
	}
	pthread_cond_destroy(&s.cv);
	return NULL;
}

static void on_alarm(int sig)
{
	(void)sig;
	static const char msg[] = "not ok 1 waiters: hung (lost wake-up?)\n";
	if (write(1, msg, sizeof(msg) - 1) < 0)
		_exit(2);
	_exit(1);
}

int main(void)
{
	pthread_t st[SENDERS], rt[RECEIVERS];
	long i, total = (long)SENDERS * PER_SENDER;
	struct rmc_stats stats;
	unsigned d;
	int failed = 0;

	printf("TAP version 13\n1..2\n");
	fflush(stdout);
	signal(SIGALRM, on_alarm);
	alarm(240);
	if (rmc_sys_create(&ops, NULL, NULL, &sys) ||
	    rmc_space_create(sys, NULL, &srv) ||
	    rmc_space_create(sys, NULL, &cli) ||
	    rmc_port_allocate(srv, RMC_RIGHT_RECEIVE, &port) ||
	    rmc_port_set_qlimit(srv, port, 2) ||
	    rmc_extract_right(srv, port, RMC_MAKE_SEND, cli, &snd, &d))
		abort();
	for (i = 0; i < RECEIVERS; i++)
		pthread_create(&rt[i], NULL, receiver, (void *)i);
	for (i = 0; i < SENDERS; i++)
		pthread_create(&st[i], NULL, sender, (void *)i);
	for (i = 0; i < SENDERS; i++)
		pthread_join(st[i], NULL);
	for (;;) {	/* wait for the queue to drain */
		pthread_mutex_lock(&mu);
		done = received == total;
		pthread_mutex_unlock(&mu);
		if (done)
			break;
		usleep(1000);
	}
	rmc_port_destroy(srv, port);	/* releases blocked receivers */
	for (i = 0; i < RECEIVERS; i++)
		pthread_join(rt[i], NULL);
	printf("# %ld messages, %ld timeouts cancelled\n", received, cancels);
	if (received == total && id_sum == total * (total - 1) / 2) {
		printf("ok 1 waiters: every message arrived exactly once\n");
	} else {
		printf("not ok 1 waiters: %ld received, id sum %ld\n", received,
		       id_sum);
		failed = 1;
	}
	rmc_space_destroy(cli);
	rmc_space_destroy(srv);
	rmc_sys_stats(sys, &stats);
	if (rmc_sys_destroy(sys) == RMC_SUCCESS) {
		printf("ok 2 waiters: nothing left after teardown\n");
	} else {
		printf("not ok 2 waiters: %u ports %u msgs left\n", stats.ports,
		       stats.msgs);
		failed = 1;
	}
	return failed;
}
