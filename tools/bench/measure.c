// SPDX-License-Identifier: GPL-2.0
/*
 * One measurement: the parent sets the channel up, forks a server, waits until
 * it is attached (binder's context manager must exist before the first call),
 * forks the client (or several senders), and collects what they wrote into a
 * shared area. A hung or
 * crashed transport is killed after the timeout and reported, never fatal.
 */
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "measure.h"
#include "payload.h"

struct shared_area {
	struct side_status {
		int err;		/* negative errno, 0 when fine */
		char step[48];		/* what it was doing when err happened */
	} server, client;
	uint64_t first_ns, last_ns;	/* one way: receiver's clock, counted span */
	uint64_t samples[];		/* round trip: ns per counted iteration */
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int pin_to(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) ? -errno : 0;
}

static int fail(struct side_status *st, const char *step, int err)
{
	st->err = err;
	snprintf(st->step, sizeof(st->step), "%s", step);
	return err;
}

static int serve_round_trips(const struct run_spec *spec, struct channel *ch,
			     struct side_status *st)
{
	unsigned total = spec->warmup + spec->count;
	unsigned char *req = malloc(spec->len), *rep = malloc(spec->len);
	int err = req && rep ? 0 : -ENOMEM;

	if (!err)
		err = ch->transport->reply_and_receive(ch, NULL, req);
	for (unsigned i = 0; !err && i < total; i++) {
		const unsigned char *reply = req;	/* plain echo when not verifying */

		if (spec->verify) {
			if (!check_pattern(req, spec->len, i, 0)) {
				err = fail(st, "request bytes differ", -EBADMSG);
				break;
			}
			for (size_t b = 0; b < spec->len; b++)
				rep[b] = req[b] ^ REPLY_XOR;
			reply = rep;
		}
		err = ch->transport->reply_and_receive(ch, reply, i + 1 < total ? req : NULL);
	}
	if (err && !st->err)
		fail(st, "reply_and_receive", err);
	free(req);
	free(rep);
	return err;
}

static int make_round_trips(const struct run_spec *spec, struct channel *ch,
			    struct shared_area *area)
{
	unsigned total = spec->warmup + spec->count;
	unsigned char *req = malloc(spec->len), *rep = malloc(spec->len);
	int err = req && rep ? 0 : -ENOMEM;

	if (req)
		fill_pattern(req, spec->len, 0);
	for (unsigned i = 0; !err && i < total; i++) {
		if (spec->verify)
			fill_pattern(req, spec->len, i);
		uint64_t start = now_ns();

		err = ch->transport->call(ch, req, rep);
		uint64_t end = now_ns();

		if (err)
			fail(&area->client, "call", err);
		else if (spec->verify && !check_pattern(rep, spec->len, i, REPLY_XOR))
			err = fail(&area->client, "reply bytes differ", -EBADMSG);
		else if (i >= spec->warmup)
			area->samples[i - spec->warmup] = end - start;
	}
	free(req);
	free(rep);
	return err;
}

/*
 * The rate is counted messages / whole span. Not the median of short batches:
 * on one CPU the receiver drains a full buffer in a burst and then waits for
 * the sender, so short batches would time the burst, not the throughput.
 */
static int receive_stream(const struct run_spec *spec, struct channel *ch,
			  struct shared_area *area)
{
	unsigned total = spec->warmup + spec->count;
	unsigned char *msg = malloc(spec->len);
	int err = msg ? 0 : -ENOMEM;

	for (unsigned i = 0; !err && i < total; i++) {
		err = ch->transport->receive(ch, msg);
		if (err)
			fail(&area->server, "receive", err);
		else if (spec->verify && spec->senders == 1 &&
			 !check_pattern(msg, spec->len, i, 0))
			err = fail(&area->server, "message bytes differ", -EBADMSG);
		/* The span starts at the last warm-up message: count/span is the rate. */
		if (i + 1 == spec->warmup || (spec->warmup == 0 && i == 0))
			area->first_ns = now_ns();
	}
	area->last_ns = now_ns();
	free(msg);
	return err;
}

/* Sender `sender` of spec->senders sends its share of the messages. */
static int send_stream(const struct run_spec *spec, struct channel *ch,
		       struct shared_area *area, unsigned sender)
{
	unsigned total = spec->warmup + spec->count;
	unsigned share = total / spec->senders + (sender < total % spec->senders);
	unsigned char *msg = malloc(spec->len);
	int err = msg ? 0 : -ENOMEM;

	if (msg)
		fill_pattern(msg, spec->len, 0);
	for (unsigned i = 0; !err && i < share; i++) {
		if (spec->verify)
			fill_pattern(msg, spec->len, i);
		err = ch->transport->send(ch, msg);
		if (err)
			fail(&area->client, "send", err);
	}
	if (!err && ch->transport->flush && (err = ch->transport->flush(ch)))
		fail(&area->client, "flush", err);
	free(msg);
	return err;
}

/*
 * Child body: pin, attach, tell the parent (server only), run, detach.
 * `sender` numbers the clients of a one-way run with several senders.
 */
static void run_side(const struct run_spec *spec, struct channel *ch,
		     struct shared_area *area, enum role role, int ready_fd, unsigned sender)
{
	struct side_status *st = role == ROLE_SERVER ? &area->server : &area->client;
	int err;

	ch->role = role;
	err = pin_to(role == ROLE_SERVER ? spec->server_cpu : spec->client_cpu);
	if (err)
		fail(st, "sched_setaffinity", err);
	else if ((err = ch->transport->attach(ch)))
		fail(st, "attach", err);
	if (ready_fd >= 0) {
		if (write(ready_fd, &err, sizeof(err)) != sizeof(err))
			_exit(1);
		close(ready_fd);
	}
	if (!err) {
		if (spec->kind == TEST_ROUND_TRIP)
			err = role == ROLE_SERVER ? serve_round_trips(spec, ch, st)
						  : make_round_trips(spec, ch, area);
		else
			err = role == ROLE_SERVER ? receive_stream(spec, ch, area)
						  : send_stream(spec, ch, area, sender);
	}
	if (ch->transport->detach)
		ch->transport->detach(ch);
	_exit(err ? 1 : 0);
}

/* Appends "who: step: error" (or how it died) to the note. */
static void describe_failure(struct measurement *m, const char *who, int status,
			     const struct side_status *st)
{
	size_t used = strlen(m->note);
	char *p = m->note + used;
	size_t n = sizeof(m->note) - used;
	const char *sep = used ? "; " : "";

	if (st->err)
		snprintf(p, n, "%s%s: %s: %s", sep, who, st->step, strerror(-st->err));
	else if (WIFSIGNALED(status))
		snprintf(p, n, "%s%s killed by signal %d", sep, who, WTERMSIG(status));
	else
		snprintf(p, n, "%s%s exited with status %d", sep, who, WEXITSTATUS(status));
}

static bool side_failed(int status, const struct side_status *st)
{
	return st->err || !WIFEXITED(status) || WEXITSTATUS(status);
}

/* The server is child 0, the clients (senders) follow. */
struct children {
	pid_t pid[1 + MAX_SENDERS];
	int status[1 + MAX_SENDERS];
	unsigned n;
};

/* Waits for every child; kills those left when the deadline passes. */
static bool wait_all(struct children *c, unsigned timeout_s)
{
	uint64_t deadline = now_ns() + (uint64_t)timeout_s * 1000000000u;
	const struct timespec tick = { .tv_nsec = 5 * 1000 * 1000 };
	bool done[1 + MAX_SENDERS] = { false };
	unsigned left = c->n;

	while (left) {
		for (unsigned i = 0; i < c->n; i++)
			if (!done[i] && waitpid(c->pid[i], &c->status[i], WNOHANG) == c->pid[i])
				done[i] = true, left--;
		if (left && now_ns() > deadline) {
			for (unsigned i = 0; i < c->n; i++)
				if (!done[i])
					kill(c->pid[i], SIGKILL), waitpid(c->pid[i], &c->status[i], 0);
			return false;
		}
		if (left)
			nanosleep(&tick, NULL);
	}
	return true;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void summarize(const struct run_spec *spec, const struct shared_area *area,
		      struct measurement *m)
{
	if (spec->kind == TEST_ROUND_TRIP) {
		uint64_t *s = (uint64_t *)area->samples;
		double sum = 0;

		qsort(s, spec->count, sizeof(*s), cmp_u64);
		for (unsigned i = 0; i < spec->count; i++)
			sum += (double)s[i];
		m->p50_ns = (double)s[spec->count / 2];
		m->p99_ns = (double)s[(size_t)spec->count * 99 / 100];
		m->mean_ns = sum / spec->count;
	} else {
		double secs = (double)(area->last_ns - area->first_ns) / 1e9;
		unsigned counted = spec->warmup ? spec->count : spec->count - 1;

		m->msgs_per_s = secs > 0 ? counted / secs : 0;
		m->bytes_per_s = m->msgs_per_s * (double)spec->len;
	}
}

/* Fills m->note and returns true when this run cannot happen here. */
static bool unavailable(const struct run_spec *spec, struct measurement *m)
{
	const struct transport *t = spec->transport;
	const char *why = NULL;

	if (t->probe(spec->len, m->note, sizeof(m->note)))
		return true;
	if (spec->kind == TEST_ONE_WAY && !t->one_way)
		why = t->no_one_way ? t->no_one_way : "no one-way mode";
	else if (spec->kind == TEST_ROUND_TRIP && t->no_round_trip)
		why = t->no_round_trip;
	else if (spec->ports > 1 && !t->scales_ports)
		why = "no port-count scaling for this transport";
	else if (spec->senders > 1 && spec->kind != TEST_ONE_WAY)
		why = "several senders only for one-way runs";
	if (why)
		snprintf(m->note, sizeof(m->note), "%s", why);
	return why != NULL;
}

/* Forks the server and waits until it has attached; returns its attach error. */
static int start_server(const struct run_spec *spec, struct channel *ch,
			struct shared_area *area, struct children *c)
{
	struct pollfd pfd = { .events = POLLIN };
	int ready[2], server_err = -ETIMEDOUT;

	if (pipe(ready))
		return -errno;
	fflush(NULL);	/* children must not flush the parent's buffered output */
	c->pid[0] = fork();
	if (c->pid[0] == 0) {
		close(ready[0]);
		run_side(spec, ch, area, ROLE_SERVER, ready[1], 0);
	}
	close(ready[1]);
	if (c->pid[0] < 0) {
		close(ready[0]);
		return -errno;
	}
	c->n = 1;
	pfd.fd = ready[0];
	if (poll(&pfd, 1, (int)spec->timeout_s * 1000) == 1 &&
	    read(ready[0], &server_err, sizeof(server_err)) != sizeof(server_err))
		server_err = -EPIPE;	/* it died before saying */
	close(ready[0]);
	return server_err;
}

static int start_clients(const struct run_spec *spec, struct channel *ch,
			 struct shared_area *area, struct children *c)
{
	for (unsigned k = 0; k < spec->senders; k++) {
		pid_t pid = fork();

		if (pid == 0)
			run_side(spec, ch, area, ROLE_CLIENT, -1, k);
		if (pid < 0)
			return -errno;
		c->pid[c->n++] = pid;
	}
	return 0;
}

/* Names every side that failed: one side's error usually explains another's EPIPE. */
static void judge(const struct run_spec *spec, const struct shared_area *area,
		  const struct children *c, struct measurement *m)
{
	for (unsigned i = 1; i < c->n; i++) {
		if (side_failed(c->status[i], &area->client)) {
			describe_failure(m, "client", c->status[i], &area->client);
			break;
		}
	}
	if (side_failed(c->status[0], &area->server))
		describe_failure(m, "server", c->status[0], &area->server);
	if (!m->note[0]) {
		summarize(spec, area, m);
		m->outcome = OUTCOME_OK;
	}
}

void measure(const struct run_spec *spec, struct measurement *m)
{
	static unsigned measurements;
	const struct transport *t = spec->transport;
	struct channel ch = { .transport = t, .len = spec->len, .ports = spec->ports,
			      .fd = { -1, -1, -1, -1 } };
	size_t samples = spec->kind == TEST_ROUND_TRIP ? spec->count : 0;
	size_t area_bytes = sizeof(struct shared_area) + samples * sizeof(uint64_t);
	struct children c = { .n = 0 };
	struct shared_area *area;
	int err;

	memset(m, 0, sizeof(*m));
	m->outcome = OUTCOME_UNAVAILABLE;
	if (unavailable(spec, m))
		return;
	m->outcome = OUTCOME_FAILED;
	if (spec->count < 2 || spec->senders < 1 || spec->senders > MAX_SENDERS) {
		snprintf(m->note, sizeof(m->note), "count >= 2 and 1..%d senders, please",
			 MAX_SENDERS);
		return;
	}
	area = mmap(NULL, area_bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		    -1, 0);
	if (area == MAP_FAILED) {
		snprintf(m->note, sizeof(m->note), "mmap: %s", strerror(errno));
		return;
	}
	snprintf(ch.tag, sizeof(ch.tag), "rmach-bench.%d.%u", (int)getpid(), ++measurements);
	err = t->setup(&ch);
	if (err) {
		snprintf(m->note, sizeof(m->note), "setup: %s", strerror(-err));
		goto out;
	}
	err = start_server(spec, &ch, area, &c);
	if (!err)
		err = start_clients(spec, &ch, area, &c);
	if (!wait_all(&c, spec->timeout_s))
		snprintf(m->note, sizeof(m->note), "timed out after %us", spec->timeout_s);
	else if (err && !area->server.err)
		snprintf(m->note, sizeof(m->note), "starting the processes: %s", strerror(-err));
	else
		judge(spec, area, &c, m);
out:
	t->teardown(&ch);
	munmap(area, area_bytes);
}
