// SPDX-License-Identifier: GPL-2.0
/*
 * One measurement: the parent sets the channel up, forks a server, waits until
 * it is attached (binder's context manager must exist before the first call),
 * forks the client, and collects what both wrote into a shared area. A hung or
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
		else if (spec->verify && !check_pattern(msg, spec->len, i, 0))
			err = fail(&area->server, "message bytes differ", -EBADMSG);
		/* The span starts at the last warm-up message: count/span is the rate. */
		if (i + 1 == spec->warmup || (spec->warmup == 0 && i == 0))
			area->first_ns = now_ns();
	}
	area->last_ns = now_ns();
	free(msg);
	return err;
}

static int send_stream(const struct run_spec *spec, struct channel *ch,
		       struct shared_area *area)
{
	unsigned total = spec->warmup + spec->count;
	unsigned char *msg = malloc(spec->len);
	int err = msg ? 0 : -ENOMEM;

	if (msg)
		fill_pattern(msg, spec->len, 0);
	for (unsigned i = 0; !err && i < total; i++) {
		if (spec->verify)
			fill_pattern(msg, spec->len, i);
		err = ch->transport->send(ch, msg);
		if (err)
			fail(&area->client, "send", err);
	}
	free(msg);
	return err;
}

/* Child body: pin, attach, tell the parent (server only), run, detach. */
static void run_side(const struct run_spec *spec, struct channel *ch,
		     struct shared_area *area, enum role role, int ready_fd)
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
						  : send_stream(spec, ch, area);
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

/* Waits for both children; kills both when the deadline passes. */
static bool wait_both(pid_t server, pid_t client, int *server_status, int *client_status,
		      unsigned timeout_s)
{
	uint64_t deadline = now_ns() + (uint64_t)timeout_s * 1000000000u;
	const struct timespec tick = { .tv_nsec = 5 * 1000 * 1000 };
	bool server_done = false, client_done = client < 0;

	while (!server_done || !client_done) {
		if (!server_done && waitpid(server, server_status, WNOHANG) == server)
			server_done = true;
		if (!client_done && waitpid(client, client_status, WNOHANG) == client)
			client_done = true;
		if (now_ns() > deadline) {
			if (!server_done)
				kill(server, SIGKILL), waitpid(server, server_status, 0);
			if (!client_done)
				kill(client, SIGKILL), waitpid(client, client_status, 0);
			return false;
		}
		if (!server_done || !client_done)
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

void measure(const struct run_spec *spec, struct measurement *m)
{
	const struct transport *t = spec->transport;
	static unsigned measurements;
	struct channel ch = { .transport = t, .len = spec->len, .ports = spec->ports,
			      .fd = { -1, -1, -1, -1 } };
	size_t area_bytes = sizeof(struct shared_area) +
			    (spec->kind == TEST_ROUND_TRIP ? spec->count * sizeof(uint64_t) : 0);
	struct shared_area *area;
	int ready[2], err, server_status = 0, client_status = 0;
	pid_t server, client = -1;

	memset(m, 0, sizeof(*m));
	m->outcome = OUTCOME_FAILED;
	if (t->probe(spec->len, m->note, sizeof(m->note))) {
		m->outcome = OUTCOME_UNAVAILABLE;
		return;
	}
	if (spec->kind == TEST_ONE_WAY && !t->one_way) {
		snprintf(m->note, sizeof(m->note), "no one-way mode");
		m->outcome = OUTCOME_UNAVAILABLE;
		return;
	}
	if ((spec->ports > 1 && !t->scales_ports) || spec->senders > 1) {
		/* HOOK: several senders need more than one client process here. */
		snprintf(m->note, sizeof(m->note), "%s", spec->ports > 1 ?
			 "no port-count scaling for this transport" :
			 "several senders not implemented yet");
		m->outcome = OUTCOME_UNAVAILABLE;
		return;
	}
	if (spec->count < 2) {
		snprintf(m->note, sizeof(m->note), "count must be at least 2");
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
	if (pipe(ready)) {
		snprintf(m->note, sizeof(m->note), "pipe: %s", strerror(errno));
		goto out;
	}
	fflush(NULL);	/* children must not flush the parent's buffered output */
	server = fork();
	if (server == 0) {
		close(ready[0]);
		run_side(spec, &ch, area, ROLE_SERVER, ready[1]);
	}
	close(ready[1]);
	if (server < 0) {
		close(ready[0]);
		snprintf(m->note, sizeof(m->note), "fork: %s", strerror(errno));
		goto out;
	}

	struct pollfd pfd = { .fd = ready[0], .events = POLLIN };
	int server_err = -ETIMEDOUT, fork_errno = 0;

	if (poll(&pfd, 1, (int)spec->timeout_s * 1000) == 1 &&
	    read(ready[0], &server_err, sizeof(server_err)) != sizeof(server_err))
		server_err = -EPIPE;
	close(ready[0]);
	if (!server_err) {
		client = fork();
		if (client == 0)
			run_side(spec, &ch, area, ROLE_CLIENT, -1);
		if (client < 0)
			fork_errno = errno;
	}
	bool finished = wait_both(server, client, &server_status, &client_status,
				  spec->timeout_s);

	if (!finished) {
		snprintf(m->note, sizeof(m->note), "timed out after %us", spec->timeout_s);
	} else if (client < 0) {
		if (side_failed(server_status, &area->server))
			describe_failure(m, "server", server_status, &area->server);
		else
			snprintf(m->note, sizeof(m->note), "client fork: %s", strerror(fork_errno));
	} else {
		/* Both are named: one side's error usually explains the other's EPIPE. */
		if (side_failed(client_status, &area->client))
			describe_failure(m, "client", client_status, &area->client);
		if (side_failed(server_status, &area->server))
			describe_failure(m, "server", server_status, &area->server);
		if (!m->note[0]) {
			summarize(spec, area, m);
			m->outcome = OUTCOME_OK;
		}
	}
out:
	t->teardown(&ch);
	munmap(area, area_bytes);
}
