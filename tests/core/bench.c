// SPDX-License-Identifier: MIT
/*
 * bench.c - nanoseconds per core operation and bytes per object.
 *
 * Single thread, ops with no lock (as vmrt uses it), malloc underneath.
 * Each figure is the best of several rounds (least disturbed by the other
 * jobs sharing this machine).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "rmach_core.h"
#include "internal.h"

static long live_bytes;

static void *b_alloc(void *ctx, size_t n)
{
	size_t *p = malloc(n + 16);

	(void)ctx;
	if (!p)
		return NULL;
	*p = n;
	live_bytes += (long)n;
	return (char *)p + 16;
}

static void b_free(void *ctx, void *p, size_t n)
{
	(void)ctx;
	live_bytes -= (long)n;
	free((char *)p - 16);
}

static const struct rmc_ops ops = { .alloc = b_alloc, .free = b_free };

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void die(const char *what, rmc_ret_t r)
{
	fprintf(stderr, "bench: %s: %s\n", what, rmc_strerror(r));
	exit(1);
}

#define CHECK(what, expr)                            \
	do {                                         \
		rmc_ret_t r_ = (expr);               \
		if (r_)                              \
			die(what, r_);               \
	} while (0)

enum { NPORTS = 200000, NMSG = 2000000, ROUNDS = 5 };

static struct rmc_sys *sys;
static rmc_name_t names[NPORTS];

static double bench_allocate(double *bytes_per_port)
{
	struct rmc_space *sp;
	double t0, t;
	long before;
	int i;

	CHECK("space", rmc_space_create(sys, NULL, &sp));
	before = live_bytes;
	t0 = now_ns();
	for (i = 0; i < NPORTS; i++)
		CHECK("allocate", rmc_port_allocate(sp, RMC_RIGHT_RECEIVE,
						    &names[i]));
	t = (now_ns() - t0) / NPORTS;
	*bytes_per_port = (double)(live_bytes - before) / NPORTS;
	rmc_space_destroy(sp);
	return t;
}

static double bench_insert(double *bytes_per_name)
{
	struct rmc_space *a, *b;
	double t0, t;
	long before;
	int i;

	CHECK("space", rmc_space_create(sys, NULL, &a));
	CHECK("space", rmc_space_create(sys, NULL, &b));
	for (i = 0; i < NPORTS; i++)
		CHECK("allocate", rmc_port_allocate(a, RMC_RIGHT_RECEIVE,
						    &names[i]));
	before = live_bytes;
	t0 = now_ns();
	/* a send right under the same name in another space: a new entry
	 * and a reverse-hash slot each */
	for (i = 0; i < NPORTS; i++)
		CHECK("insert", rmc_insert_right(b, names[i], a, names[i],
						 RMC_MAKE_SEND));
	t = (now_ns() - t0) / NPORTS;
	*bytes_per_name = (double)(live_bytes - before) / NPORTS;
	rmc_space_destroy(b);
	rmc_space_destroy(a);
	return t;
}

/* Sender B holds a send right to A's port; carry: one more port right. */
static double bench_sendrecv(uint32_t body, int carry)
{
	struct rmc_space *a, *b;
	rmc_name_t port, snd, other, got;
	struct rmc_msg *m;
	unsigned d;
	double t0, t;
	int i;

	CHECK("space", rmc_space_create(sys, NULL, &a));
	CHECK("space", rmc_space_create(sys, NULL, &b));
	CHECK("allocate", rmc_port_allocate(a, RMC_RIGHT_RECEIVE, &port));
	CHECK("allocate", rmc_port_allocate(b, RMC_RIGHT_RECEIVE, &other));
	CHECK("extract", rmc_extract_right(a, port, RMC_MAKE_SEND, b, &snd, &d));
	t0 = now_ns();
	for (i = 0; i < NMSG; i++) {
		CHECK("msg_alloc", rmc_msg_alloc(sys, body, carry, &m));
		m->dest = snd;
		m->dest_disp = RMC_COPY_SEND;
		m->id = (uint32_t)i;
		memset(m->body, 0, body);
		if (carry) {
			m->desc[0].name = other;
			m->desc[0].disp = RMC_MAKE_SEND;
		}
		CHECK("send", rmc_msg_send(b, m, 0, NULL));
		CHECK("receive", rmc_msg_receive(a, port, 4096, 0, NULL, &m,
						 NULL));
		got = carry ? m->desc[0].name : 0;
		rmc_msg_free(sys, m);
		if (carry && i == 0)
			(void)got;
	}
	t = (now_ns() - t0) / NMSG;
	rmc_space_destroy(b);
	rmc_space_destroy(a);
	return t;
}

/* Client call with a MAKE_SEND_ONCE reply; server receives and replies. */
static double bench_call(void)
{
	struct rmc_space *cli, *srv;
	rmc_name_t sport, cport, snd;
	struct rmc_msg *m;
	unsigned d;
	bool sent;
	double t0, t;
	int i;

	CHECK("space", rmc_space_create(sys, NULL, &srv));
	CHECK("space", rmc_space_create(sys, NULL, &cli));
	CHECK("allocate", rmc_port_allocate(srv, RMC_RIGHT_RECEIVE, &sport));
	CHECK("allocate", rmc_port_allocate(cli, RMC_RIGHT_RECEIVE, &cport));
	CHECK("extract", rmc_extract_right(srv, sport, RMC_MAKE_SEND, cli,
					   &snd, &d));
	t0 = now_ns();
	for (i = 0; i < NMSG / 2; i++) {
		CHECK("msg_alloc", rmc_msg_alloc(sys, 64, 0, &m));
		m->dest = snd;
		m->dest_disp = RMC_COPY_SEND;
		m->reply = cport;
		m->reply_disp = RMC_MAKE_SEND_ONCE;
		if (rmc_msg_call(cli, m, 0, cport, 4096, 0, NULL, &m, NULL,
				 &sent) != RMC_RCV_TIMED_OUT)
			die("call", RMC_INVALID_VALUE);
		CHECK("srv receive", rmc_msg_receive(srv, sport, 4096, 0, NULL,
						     &m, NULL));
		m->dest = m->reply;
		m->dest_disp = RMC_MOVE_SEND_ONCE;
		m->reply = 0;
		m->reply_disp = 0;
		CHECK("reply", rmc_msg_send(srv, m, 0, NULL));
		CHECK("cli receive", rmc_msg_receive(cli, cport, 4096, 0, NULL,
						     &m, NULL));
		rmc_msg_free(sys, m);
	}
	t = (now_ns() - t0) / (NMSG / 2);
	rmc_space_destroy(cli);
	rmc_space_destroy(srv);
	return t;
}

static double best(double a, double b)
{
	return a < b ? a : b;
}

int main(void)
{
	double alloc = 1e99, ins = 1e99, sr = 1e99, srp = 1e99, call = 1e99;
	double bpp = 0, bpn = 0;
	int r;

	CHECK("sys", rmc_sys_create(&ops, NULL, NULL, &sys));
	for (r = 0; r < ROUNDS; r++) {
		alloc = best(alloc, bench_allocate(&bpp));
		ins = best(ins, bench_insert(&bpn));
		sr = best(sr, bench_sendrecv(64, 0));
		srp = best(srp, bench_sendrecv(64, 1));
		call = best(call, bench_call());
	}
	printf("core bench (host, single thread, no lock ops, best of %d)\n",
	       ROUNDS);
	printf("  allocate receive right            %7.1f ns\n", alloc);
	printf("  insert send right (other space)   %7.1f ns\n", ins);
	printf("  send+receive 64-byte message      %7.1f ns\n", sr);
	printf("  send+receive 64 B + 1 port right  %7.1f ns\n", srp);
	printf("  call round trip (send-once reply) %7.1f ns\n", call);
	printf("  bytes per port (object+entry+hash) %6.1f (sizeof port %zu)\n",
	       bpp, sizeof(struct rmc_port));
	printf("  bytes per name (entry+hash)        %6.1f (sizeof entry %zu)\n",
	       bpn, sizeof(struct rmc_entry));
	printf("  sizeof msg header %zu, space %zu, waiter %zu\n",
	       sizeof(struct rmc_msg), sizeof(struct rmc_space),
	       sizeof(struct rmc_waiter));
	if (rmc_sys_destroy(sys) != RMC_SUCCESS || live_bytes) {
		fprintf(stderr, "bench: leak: %ld bytes\n", live_bytes);
		return 1;
	}
	return 0;
}
