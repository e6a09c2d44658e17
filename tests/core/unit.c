// SPDX-License-Identifier: MIT
/*
 * unit.c - core/ unit tests: one per DESIGN rule and per return code, plus
 * cross-space scenarios. Every test runs on a fresh system whose ops count
 * allocations; after each test all spaces are torn down and nothing may be
 * left allocated (checked by finish()).
 */
#include <stdlib.h>
#include <string.h>
#include "tap.h"
#include "alloc_ops.h"
#include "rmach_core.h"

static struct test_ctx ctx;
static struct rmc_sys *sys;
static struct rmc_space *A, *B, *C;
static struct rmc_owner owner;

#define OK(expr) TAP_CHECK_EQ((expr), RMC_SUCCESS)
#define RET(expr, code) TAP_CHECK_EQ((expr), (code))

static void begin_cfg(const struct rmc_sys_config *cfg)
{
	test_ctx_reset(&ctx);
	memset(&owner, 0, sizeof(owner));
	OK(rmc_sys_create(&test_ops, &ctx, cfg, &sys));
	OK(rmc_space_create(sys, &owner, &A));
	OK(rmc_space_create(sys, &owner, &B));
	OK(rmc_space_create(sys, NULL, &C));
}

static void begin(void)
{
	begin_cfg(NULL);
}

/* After every test: tear everything down and prove nothing is left. */
static void finish(const char *name)
{
	struct rmc_stats st;

	(void)name;
	if (!sys)
		return;
	ctx.fail_at = 0;
	if (A)
		rmc_space_destroy(A);
	if (B)
		rmc_space_destroy(B);
	if (C)
		rmc_space_destroy(C);
	A = B = C = NULL;
	rmc_sys_stats(sys, &st);
	TAP_CHECK_EQ(st.spaces, 0);
	TAP_CHECK_EQ(st.ports, 0);
	TAP_CHECK_EQ(st.psets, 0);
	TAP_CHECK_EQ(st.names, 0);
	TAP_CHECK_EQ(st.msgs, 0);
	TAP_CHECK_EQ(st.bytes, 0);
	OK(rmc_sys_destroy(sys));
	sys = NULL;
	TAP_CHECK_EQ(ctx.live, 0);
	TAP_CHECK_EQ(ctx.live_bytes, 0);
	TAP_CHECK_EQ(ctx.errors, 0);
	TAP_CHECK_EQ(owner.spaces, 0);
	TAP_CHECK_EQ(owner.use.ports, 0);
	TAP_CHECK_EQ(owner.use.msgs, 0);
	TAP_CHECK_EQ(owner.use.bytes, 0);
}

/* ---- helpers ---- */

static rmc_name_t port(struct rmc_space *sp)
{
	rmc_name_t n = 0;

	OK(rmc_port_allocate(sp, RMC_RIGHT_RECEIVE, &n));
	return n;
}

static rmc_name_t pset(struct rmc_space *sp)
{
	rmc_name_t n = 0;

	OK(rmc_port_allocate(sp, RMC_RIGHT_PORT_SET, &n));
	return n;
}

static uint32_t refs(struct rmc_space *sp, rmc_name_t n, unsigned right)
{
	uint32_t r = 0;

	rmc_port_get_refs(sp, n, right, &r);
	return r;
}

static uint32_t type(struct rmc_space *sp, rmc_name_t n)
{
	uint32_t t = 0;

	rmc_port_type(sp, n, &t);
	return t;
}

/* Gives `to` a send right (disp from `from`'s name); returns its name. */
static rmc_name_t give(struct rmc_space *from, rmc_name_t n, unsigned disp,
		       struct rmc_space *to)
{
	rmc_name_t out = 0;
	unsigned d;

	OK(rmc_extract_right(from, n, disp, to, &out, &d));
	return out;
}

static struct rmc_msg *mk(uint32_t body, uint32_t ndesc)
{
	struct rmc_msg *m = NULL;

	OK(rmc_msg_alloc(sys, body, ndesc, &m));
	if (m)
		memset(m->body, 0x5A, body);
	return m;
}

/* Sends a body-only message; returns the send's code (frees on failure). */
static rmc_ret_t send_simple(struct rmc_space *sp, rmc_name_t dest,
			     unsigned disp, uint32_t id, uint32_t body)
{
	struct rmc_msg *m = mk(body, 0);
	rmc_ret_t r;

	m->dest = dest;
	m->dest_disp = disp;
	m->id = id;
	r = rmc_msg_send(sp, m, 0, NULL);
	if (r)
		rmc_msg_free(sys, m);
	return r;
}

/* Sends one descriptor; returns the code (frees on failure). */
static rmc_ret_t send_desc(struct rmc_space *sp, rmc_name_t dest,
			   rmc_name_t carried, unsigned disp)
{
	struct rmc_msg *m = mk(8, 1);
	rmc_ret_t r;

	m->dest = dest;
	m->dest_disp = (type(sp, dest) & RMC_TYPE_SEND) ? RMC_COPY_SEND :
							 RMC_MAKE_SEND;
	m->desc[0].name = carried;
	m->desc[0].disp = disp;
	r = rmc_msg_send(sp, m, 0, NULL);
	if (r)
		rmc_msg_free(sys, m);
	return r;
}

/* A missing message makes the rest of a test meaningless: bail out. */
#define recv(sp, n) recv_at(sp, n, __LINE__)
static struct rmc_msg *recv_at(struct rmc_space *sp, rmc_name_t n, int line)
{
	struct rmc_msg *m = NULL;
	rmc_ret_t r = rmc_msg_receive(sp, n, 1u << 20, 0, NULL, &m, NULL);

	if (r != RMC_SUCCESS) {
		printf("Bail out! line %d: receive failed: %s\n", line,
		       rmc_strerror(r));
		exit(1);
	}
	return m;
}

static uint32_t body_word(const struct rmc_msg *m)
{
	uint32_t w;

	memcpy(&w, m->body, 4);
	return w;
}

static uint32_t msgcount(struct rmc_space *sp, rmc_name_t n)
{
	struct rmc_port_status st;

	memset(&st, 0, sizeof(st));
	rmc_port_get_status(sp, n, &st);
	return st.msgcount;
}

/* ---- names ---- */

static void names_never_null_or_dead(void)
{
	rmc_name_t n;
	int i;

	begin();
	for (i = 0; i < 300; i++) {
		n = port(A);
		TAP_CHECK(RMC_NAME_VALID(n));
		TAP_CHECK(RMC_NAME_INDEX(n) != 0);
	}
	RET(rmc_port_allocate_name(A, RMC_RIGHT_RECEIVE, RMC_NAME_DEAD),
	    RMC_INVALID_VALUE);
	RET(rmc_port_allocate_name(A, RMC_RIGHT_RECEIVE, RMC_NAME_NULL),
	    RMC_INVALID_VALUE);
}

static void names_have_generations_stale_name_invalid(void)
{
	rmc_name_t a, b;

	begin();
	a = port(A);
	OK(rmc_port_mod_refs(A, a, RMC_RIGHT_RECEIVE, -1));
	b = port(A);
	TAP_CHECK_EQ(RMC_NAME_INDEX(a), RMC_NAME_INDEX(b));
	TAP_CHECK(a != b);
	RET(rmc_port_type(A, a, &(uint32_t){0}), RMC_INVALID_NAME);
	RET(send_simple(A, a, RMC_MAKE_SEND, 1, 0), RMC_INVALID_DEST);
	TAP_CHECK_EQ(type(A, b), RMC_TYPE_RECEIVE);
}

static void names_meaningless_in_other_space(void)
{
	rmc_name_t a;

	begin();
	a = port(A);
	RET(rmc_port_type(B, a, &(uint32_t){0}), RMC_INVALID_NAME);
	RET(send_simple(B, a, RMC_MAKE_SEND, 1, 0), RMC_INVALID_DEST);
}

static void names_table_grows_lookup_constant(void)
{
	rmc_name_t names[5000];
	int i;

	begin();
	for (i = 0; i < 5000; i++)
		names[i] = port(A);
	for (i = 0; i < 5000; i++)
		TAP_CHECK_EQ(type(A, names[i]), RMC_TYPE_RECEIVE);
}

static void one_name_per_port_per_space(void)
{
	rmc_name_t a, s1, s2;
	struct rmc_msg *m;

	begin();
	a = port(A);
	OK(rmc_insert_right(A, a, A, a, RMC_MAKE_SEND));
	TAP_CHECK_EQ(type(A, a), RMC_TYPE_RECEIVE | RMC_TYPE_SEND);
	TAP_CHECK_EQ(give(A, a, RMC_COPY_SEND, A), a);
	TAP_CHECK_EQ(refs(A, a, RMC_RIGHT_SEND), 2);
	/* a send right arriving in a message merges with the name too */
	s1 = give(A, a, RMC_MAKE_SEND, B);
	s2 = give(A, a, RMC_MAKE_SEND, B);
	TAP_CHECK_EQ(s1, s2);
	TAP_CHECK_EQ(refs(B, s1, RMC_RIGHT_SEND), 2);
	OK(send_desc(B, s1, s1, RMC_COPY_SEND));
	m = recv(A, a);
	TAP_CHECK_EQ(m->desc[0].name, a);
	TAP_CHECK_EQ(m->desc[0].disp, RMC_MOVE_SEND);
	TAP_CHECK_EQ(refs(A, a, RMC_RIGHT_SEND), 3);
	rmc_msg_free(sys, m);
	/* inserting the port under a second name is refused */
	RET(rmc_insert_right(B, RMC_NAME_MAKE(77, 0), A, a, RMC_MAKE_SEND),
	    RMC_RIGHT_EXISTS);
}

static void send_once_rights_get_own_names(void)
{
	rmc_name_t a, o1, o2;

	begin();
	a = port(A);
	o1 = give(A, a, RMC_MAKE_SEND_ONCE, B);
	o2 = give(A, a, RMC_MAKE_SEND_ONCE, B);
	TAP_CHECK(o1 != o2);
	TAP_CHECK_EQ(type(B, o1), RMC_TYPE_SEND_ONCE);
	TAP_CHECK_EQ(refs(B, o1, RMC_RIGHT_SEND_ONCE), 1);
	OK(send_simple(B, o1, RMC_MOVE_SEND_ONCE, 7, 0));
	RET(rmc_port_type(B, o1, &(uint32_t){0}), RMC_INVALID_NAME);
	rmc_msg_free(sys, recv(A, a));
	OK(rmc_port_deallocate(B, o2));	/* unused: send-once notification */
	rmc_msg_free(sys, recv(A, a));
	RET(rmc_msg_peek(A, a, NULL), RMC_RCV_TIMED_OUT);
}

/* ---- urefs ---- */

static void urefs_saturate_at_0xffff(void)
{
	rmc_name_t a, s;
	struct rmc_msg *m;

	begin();
	a = port(A);
	s = give(A, a, RMC_MAKE_SEND, B);
	OK(rmc_port_mod_refs(B, s, RMC_RIGHT_SEND, 0xFFFE));
	TAP_CHECK_EQ(refs(B, s, RMC_RIGHT_SEND), 0xFFFF);
	RET(rmc_port_mod_refs(B, s, RMC_RIGHT_SEND, 1), RMC_UREFS_OVERFLOW);
	/* copy-out onto a pegged name saturates instead of failing */
	TAP_CHECK_EQ(give(A, a, RMC_MAKE_SEND, B), s);
	TAP_CHECK_EQ(refs(B, s, RMC_RIGHT_SEND), 0xFFFF);
	/* once pegged, it stays: releasing does not lose the right */
	OK(rmc_port_deallocate(B, s));
	TAP_CHECK_EQ(refs(B, s, RMC_RIGHT_SEND), 0xFFFF);
	OK(send_simple(B, s, RMC_MOVE_SEND, 1, 0));
	TAP_CHECK_EQ(refs(B, s, RMC_RIGHT_SEND), 0xFFFF);
	m = recv(A, a);
	rmc_msg_free(sys, m);
}

static void urefs_underflow_is_an_error(void)
{
	rmc_name_t a, s;

	begin();
	a = port(A);
	s = give(A, a, RMC_MAKE_SEND, B);
	RET(rmc_port_mod_refs(B, s, RMC_RIGHT_SEND, -2), RMC_INVALID_VALUE);
	TAP_CHECK_EQ(refs(B, s, RMC_RIGHT_SEND), 1);
	OK(rmc_port_mod_refs(B, s, RMC_RIGHT_SEND, -1));
	RET(rmc_port_type(B, s, &(uint32_t){0}), RMC_INVALID_NAME);
}

/* ---- rights ---- */

static void receive_right_exactly_one(void)
{
	rmc_name_t a, b;
	struct rmc_msg *m;
	rmc_name_t bp;

	begin();
	a = port(A);
	bp = port(B);
	OK(send_desc(A, give(B, bp, RMC_MAKE_SEND, A), a, RMC_MOVE_RECEIVE));
	RET(rmc_port_type(A, a, &(uint32_t){0}), RMC_INVALID_NAME);
	m = recv(B, bp);
	b = m->desc[0].name;
	TAP_CHECK_EQ(m->desc[0].disp, RMC_MOVE_RECEIVE);
	TAP_CHECK_EQ(type(B, b), RMC_TYPE_RECEIVE);
	rmc_msg_free(sys, m);
	/* moving it twice in one message is refused */
	m = mk(0, 2);
	m->dest = bp;
	m->dest_disp = RMC_MAKE_SEND;
	m->desc[0] = (struct rmc_port_desc){ b, RMC_MOVE_RECEIVE };
	m->desc[1] = (struct rmc_port_desc){ b, RMC_MOVE_RECEIVE };
	RET(rmc_msg_send(B, m, 0, NULL), RMC_INVALID_RIGHT);
	TAP_CHECK_EQ(type(B, b), RMC_TYPE_RECEIVE);
	rmc_msg_free(sys, m);
}

static void dead_names_keep_urefs(void)
{
	rmc_name_t a, s, o;

	begin();
	a = port(A);
	s = give(A, a, RMC_MAKE_SEND, B);
	OK(rmc_port_mod_refs(B, s, RMC_RIGHT_SEND, 2));
	o = give(A, a, RMC_MAKE_SEND_ONCE, B);
	OK(rmc_port_mod_refs(A, a, RMC_RIGHT_RECEIVE, -1));
	TAP_CHECK_EQ(type(B, s), RMC_TYPE_DEAD_NAME);
	TAP_CHECK_EQ(refs(B, s, RMC_RIGHT_DEAD_NAME), 3);
	TAP_CHECK_EQ(refs(B, s, RMC_RIGHT_SEND), 0);
	TAP_CHECK_EQ(type(B, o), RMC_TYPE_DEAD_NAME);
	TAP_CHECK_EQ(refs(B, o, RMC_RIGHT_DEAD_NAME), 1);
	RET(send_simple(B, s, RMC_COPY_SEND, 1, 0), RMC_INVALID_DEST);
	OK(rmc_port_deallocate(B, s));
	TAP_CHECK_EQ(refs(B, s, RMC_RIGHT_DEAD_NAME), 2);
	OK(rmc_port_mod_refs(B, s, RMC_RIGHT_DEAD_NAME, -2));
	RET(rmc_port_type(B, s, &(uint32_t){0}), RMC_INVALID_NAME);
}

static void receive_and_send_share_name_dies_to_dead_name(void)
{
	rmc_name_t a;

	begin();
	a = port(A);
	OK(rmc_insert_right(A, a, A, a, RMC_MAKE_SEND));
	OK(rmc_port_mod_refs(A, a, RMC_RIGHT_SEND, 1));
	OK(rmc_port_mod_refs(A, a, RMC_RIGHT_RECEIVE, -1));
	TAP_CHECK_EQ(type(A, a), RMC_TYPE_DEAD_NAME);
	TAP_CHECK_EQ(refs(A, a, RMC_RIGHT_DEAD_NAME), 2);
}

static void port_set_receive_from_any_member(void)
{
	rmc_name_t s, p1, p2, s1, s2;
	struct rmc_msg *m;
	uint32_t sz = 0;

	begin();
	s = pset(A);
	p1 = port(A);
	p2 = port(A);
	s1 = give(A, p1, RMC_MAKE_SEND, B);
	s2 = give(A, p2, RMC_MAKE_SEND, B);
	OK(send_simple(B, s1, RMC_COPY_SEND, 1, 4));	/* queued before joining */
	OK(rmc_port_move_member(A, p1, s));
	OK(rmc_port_move_member(A, p2, s));
	OK(send_simple(B, s2, RMC_COPY_SEND, 2, 4));
	OK(send_simple(B, s1, RMC_COPY_SEND, 3, 4));
	OK(rmc_msg_peek(A, s, &sz));
	TAP_CHECK_EQ(sz, 4);
	m = recv(A, s);
	TAP_CHECK_EQ(m->id, 1);
	TAP_CHECK_EQ(m->dest, p1);
	rmc_msg_free(sys, m);
	m = recv(A, s);		/* round robin: p2 next */
	TAP_CHECK_EQ(m->id, 2);
	TAP_CHECK_EQ(m->dest, p2);
	rmc_msg_free(sys, m);
	m = recv(A, s);
	TAP_CHECK_EQ(m->id, 3);
	rmc_msg_free(sys, m);
	RET(rmc_msg_receive(A, s, 100, 0, NULL, &m, NULL), RMC_RCV_TIMED_OUT);
	RET(rmc_msg_peek(A, s, NULL), RMC_RCV_TIMED_OUT);
}

static void port_in_at_most_one_set(void)
{
	rmc_name_t s1, s2, p;
	struct rmc_port_status st;

	begin();
	s1 = pset(A);
	s2 = pset(A);
	p = port(A);
	OK(rmc_port_move_member(A, p, s1));
	OK(rmc_port_get_status(A, p, &st));
	TAP_CHECK_EQ(st.pset, s1);
	OK(rmc_port_move_member(A, p, s2));
	OK(rmc_port_get_status(A, p, &st));
	TAP_CHECK_EQ(st.pset, s2);
	OK(send_simple(A, p, RMC_MAKE_SEND, 9, 0));
	RET(rmc_msg_peek(A, s1, NULL), RMC_RCV_TIMED_OUT);
	OK(rmc_msg_peek(A, s2, NULL));
	OK(rmc_port_move_member(A, p, 0));
	RET(rmc_port_move_member(A, p, 0), RMC_NOT_IN_SET);
	RET(rmc_msg_peek(A, s2, NULL), RMC_RCV_TIMED_OUT);
	/* destroying a set releases its members */
	OK(rmc_port_move_member(A, p, s1));
	OK(rmc_port_mod_refs(A, s1, RMC_RIGHT_PORT_SET, -1));
	OK(rmc_port_get_status(A, p, &st));
	TAP_CHECK_EQ(st.pset, 0);
	TAP_CHECK_EQ(st.msgcount, 1);
}

static void moving_receive_right_leaves_its_set(void)
{
	rmc_name_t a, set, r;
	struct rmc_port_status st;

	begin();
	a = port(A);
	set = pset(A);
	OK(rmc_port_move_member(A, a, set));
	OK(send_simple(A, a, RMC_MAKE_SEND, 1, 0));
	r = give(A, a, RMC_MOVE_RECEIVE, B);
	RET(rmc_msg_peek(A, set, NULL), RMC_RCV_TIMED_OUT);
	OK(rmc_port_get_status(B, r, &st));
	TAP_CHECK_EQ(st.pset, 0);
	TAP_CHECK_EQ(st.msgcount, 1);
}

static void insert_receive_right_merges_with_send_name(void)
{
	rmc_name_t a, s;

	begin();
	a = port(A);
	s = give(A, a, RMC_MAKE_SEND, B);
	OK(rmc_insert_right(B, s, A, a, RMC_MOVE_RECEIVE));
	TAP_CHECK_EQ(type(B, s), RMC_TYPE_RECEIVE | RMC_TYPE_SEND);
	TAP_CHECK_EQ(refs(B, s, RMC_RIGHT_SEND), 1);
	/* moving it back onto the name it already has changes nothing */
	OK(rmc_insert_right(B, s, B, s, RMC_MOVE_RECEIVE));
	TAP_CHECK_EQ(type(B, s), RMC_TYPE_RECEIVE | RMC_TYPE_SEND);
}

/* ---- dispositions ---- */

static void disposition_make_send(void)
{
	rmc_name_t a, s;
	struct rmc_port_status st;

	begin();
	a = port(A);
	s = give(A, a, RMC_MAKE_SEND, B);
	TAP_CHECK_EQ(type(B, s), RMC_TYPE_SEND);
	OK(rmc_port_get_status(A, a, &st));
	TAP_CHECK_EQ(st.mscount, 1);
	TAP_CHECK(st.srights);
	RET(rmc_extract_right(B, s, RMC_MAKE_SEND, C, &(rmc_name_t){0},
			      &(unsigned){0}), RMC_INVALID_RIGHT);
}

static void disposition_copy_send(void)
{
	rmc_name_t a, s, c;

	begin();
	a = port(A);
	s = give(A, a, RMC_MAKE_SEND, B);
	c = give(B, s, RMC_COPY_SEND, C);
	TAP_CHECK_EQ(refs(B, s, RMC_RIGHT_SEND), 1);
	TAP_CHECK_EQ(refs(C, c, RMC_RIGHT_SEND), 1);
}

static void disposition_move_send(void)
{
	rmc_name_t a, s, c;

	begin();
	a = port(A);
	s = give(A, a, RMC_MAKE_SEND, B);
	c = give(B, s, RMC_MOVE_SEND, C);
	RET(rmc_port_type(B, s, &(uint32_t){0}), RMC_INVALID_NAME);
	TAP_CHECK_EQ(refs(C, c, RMC_RIGHT_SEND), 1);
}

static void disposition_make_send_once(void)
{
	rmc_name_t a, o;
	struct rmc_port_status st;

	begin();
	a = port(A);
	o = give(A, a, RMC_MAKE_SEND_ONCE, B);
	TAP_CHECK_EQ(type(B, o), RMC_TYPE_SEND_ONCE);
	OK(rmc_port_get_status(A, a, &st));
	TAP_CHECK_EQ(st.sorights, 1);
	TAP_CHECK_EQ(st.mscount, 0);
}

static void disposition_move_send_once(void)
{
	rmc_name_t a, o, c;

	begin();
	a = port(A);
	o = give(A, a, RMC_MAKE_SEND_ONCE, B);
	c = give(B, o, RMC_MOVE_SEND_ONCE, C);
	RET(rmc_port_type(B, o, &(uint32_t){0}), RMC_INVALID_NAME);
	TAP_CHECK_EQ(type(C, c), RMC_TYPE_SEND_ONCE);
	RET(rmc_extract_right(C, c, RMC_COPY_SEND, B, &(rmc_name_t){0},
			      &(unsigned){0}), RMC_INVALID_RIGHT);
}

static void disposition_move_receive(void)
{
	rmc_name_t a, r;
	unsigned d = 0;

	begin();
	a = port(A);
	OK(rmc_extract_right(A, a, RMC_MOVE_RECEIVE, B, &r, &d));
	TAP_CHECK_EQ(d, RMC_MOVE_RECEIVE);
	TAP_CHECK_EQ(type(B, r), RMC_TYPE_RECEIVE);
	RET(rmc_port_type(A, a, &(uint32_t){0}), RMC_INVALID_NAME);
	RET(rmc_extract_right(A, a, 99, B, &r, &d), RMC_INVALID_VALUE);
}

/* ---- queues ---- */

static void qlimit_default_5_max_1024(void)
{
	rmc_name_t a, s;
	struct rmc_port_status st;
	int i;

	begin();
	a = port(A);
	s = give(A, a, RMC_MAKE_SEND, B);
	OK(rmc_port_get_status(A, a, &st));
	TAP_CHECK_EQ(st.qlimit, 5);
	for (i = 0; i < 5; i++)
		OK(send_simple(B, s, RMC_COPY_SEND, (uint32_t)i, 1));
	RET(send_simple(B, s, RMC_COPY_SEND, 5, 1), RMC_SEND_TIMED_OUT);
	TAP_CHECK_EQ(msgcount(A, a), 5);
	RET(rmc_port_set_qlimit(A, a, 1025), RMC_INVALID_VALUE);
	RET(rmc_port_set_qlimit(A, a, 0), RMC_INVALID_VALUE);
	OK(rmc_port_set_qlimit(A, a, 1024));
	for (i = 5; i < 1024; i++)
		OK(send_simple(B, s, RMC_COPY_SEND, (uint32_t)i, 1));
	RET(send_simple(B, s, RMC_COPY_SEND, 0, 1), RMC_SEND_TIMED_OUT);
	TAP_CHECK_EQ(msgcount(A, a), 1024);
}

static void full_queue_blocks_sender_until_room(void)
{
	rmc_name_t a, s;
	struct rmc_waiter w;
	struct rmc_msg *m = NULL;
	int i;

	begin();
	a = port(A);
	s = give(A, a, RMC_MAKE_SEND, B);
	OK(rmc_port_set_qlimit(A, a, 1));
	OK(send_simple(B, s, RMC_COPY_SEND, 1, 0));
	rmc_waiter_init(&w, &w);
	m = mk(0, 0);
	m->dest = s;
	m->dest_disp = RMC_COPY_SEND;
	RET(rmc_msg_send(B, m, 0, &w), RMC_WOULD_BLOCK);
	TAP_CHECK_EQ(w.state, RMC_WAITER_WAITING);
	TAP_CHECK_EQ(ctx.wakes, 0);
	rmc_msg_free(sys, recv(A, a));
	TAP_CHECK_EQ(ctx.wakes, 1);
	TAP_CHECK(ctx.last_woken == &w);
	OK(rmc_msg_send(B, m, 0, &w));	/* the retry */
	TAP_CHECK_EQ(w.state, RMC_WAITER_IDLE);
	for (i = 0; i < 1; i++)
		rmc_msg_free(sys, recv(A, a));
}

static void qlimit_raise_wakes_blocked_senders(void)
{
	rmc_name_t a, s;
	struct rmc_waiter w1, w2;
	struct rmc_msg *m1, *m2;

	begin();
	a = port(A);
	s = give(A, a, RMC_MAKE_SEND, B);
	OK(rmc_port_set_qlimit(A, a, 1));
	OK(send_simple(B, s, RMC_COPY_SEND, 1, 0));
	rmc_waiter_init(&w1, NULL);
	rmc_waiter_init(&w2, NULL);
	m1 = mk(0, 0);
	m2 = mk(0, 0);
	m1->dest = m2->dest = s;
	m1->dest_disp = m2->dest_disp = RMC_COPY_SEND;
	RET(rmc_msg_send(B, m1, 0, &w1), RMC_WOULD_BLOCK);
	RET(rmc_msg_send(B, m2, 0, &w2), RMC_WOULD_BLOCK);
	OK(rmc_port_set_qlimit(A, a, 3));
	TAP_CHECK_EQ(w1.state, RMC_WAITER_WOKEN);
	TAP_CHECK_EQ(w2.state, RMC_WAITER_WOKEN);
	OK(rmc_msg_send(B, m1, 0, &w1));
	OK(rmc_msg_send(B, m2, 0, &w2));
	TAP_CHECK_EQ(msgcount(A, a), 3);
}

static void send_once_bypasses_qlimit(void)
{
	rmc_name_t a, s, o;

	begin();
	a = port(A);
	s = give(A, a, RMC_MAKE_SEND, B);
	OK(rmc_port_set_qlimit(A, a, 1));
	OK(send_simple(B, s, RMC_COPY_SEND, 1, 0));
	RET(send_simple(B, s, RMC_COPY_SEND, 2, 0), RMC_SEND_TIMED_OUT);
	o = give(A, a, RMC_MAKE_SEND_ONCE, B);
	OK(send_simple(B, o, RMC_MOVE_SEND_ONCE, 3, 0));
	TAP_CHECK_EQ(msgcount(A, a), 2);
}

static void rcv_too_large_leaves_message_queued(void)
{
	rmc_name_t a;
	struct rmc_msg *m = NULL;
	uint32_t need = 0;

	begin();
	a = port(A);
	OK(send_desc(A, a, 0, 0));	/* 8 bytes + 1 descriptor = 16 */
	RET(rmc_msg_receive(A, a, 15, 0, NULL, &m, &need), RMC_RCV_TOO_LARGE);
	TAP_CHECK(m == NULL);
	TAP_CHECK_EQ(need, 16);
	TAP_CHECK_EQ(msgcount(A, a), 1);
	OK(rmc_msg_receive(A, a, 16, 0, NULL, &m, &need));
	TAP_CHECK_EQ(m->body_size, 8);
	rmc_msg_free(sys, m);
}

static void messages_fifo_with_seqno_and_body(void)
{
	rmc_name_t a;
	struct rmc_msg *m;
	uint32_t i;

	begin();
	a = port(A);
	OK(rmc_port_set_seqno(A, a, 10));
	for (i = 0; i < 3; i++) {
		m = mk(64, 0);
		m->dest = a;
		m->dest_disp = RMC_MAKE_SEND;
		m->id = 100 + i;
		memset(m->body, (int)i, 64);
		OK(rmc_msg_send(A, m, 0, NULL));
	}
	for (i = 0; i < 3; i++) {
		m = recv(A, a);
		TAP_CHECK_EQ(m->id, 100 + i);
		TAP_CHECK_EQ(m->seqno, 10 + i);
		TAP_CHECK_EQ(m->body_size, 64);
		TAP_CHECK_EQ(((unsigned char *)m->body)[63], i);
		TAP_CHECK_EQ(m->stamp, 42);
		rmc_msg_free(sys, m);
	}
}

static void reply_port_make_send_once_round_trip(void)
{
	rmc_name_t srv, cli, s;
	struct rmc_msg *m, *r = NULL;
	bool sent = false;

	begin();
	srv = port(A);
	cli = port(B);
	s = give(A, srv, RMC_MAKE_SEND, B);
	m = mk(64, 0);
	m->dest = s;
	m->dest_disp = RMC_COPY_SEND;
	m->reply = cli;
	m->reply_disp = RMC_MAKE_SEND_ONCE;
	RET(rmc_msg_call(B, m, 0, cli, 4096, 0, NULL, &r, NULL, &sent),
	    RMC_RCV_TIMED_OUT);
	TAP_CHECK(sent);
	m = recv(A, srv);
	TAP_CHECK_EQ(m->dest, srv);
	TAP_CHECK_EQ(m->reply_disp, RMC_MOVE_SEND_ONCE);
	TAP_CHECK_EQ(type(A, m->reply), RMC_TYPE_SEND_ONCE);
	/* reply through the send-once right */
	m->dest = m->reply;
	m->dest_disp = RMC_MOVE_SEND_ONCE;
	m->reply = 0;
	m->reply_disp = 0;
	m->id = 2;
	OK(rmc_msg_send(A, m, 0, NULL));
	r = recv(B, cli);
	TAP_CHECK_EQ(r->id, 2);
	TAP_CHECK_EQ(r->dest_disp, RMC_MOVE_SEND_ONCE);
	rmc_msg_free(sys, r);
}

static void call_sends_and_receives_under_one_lock(void)
{
	rmc_name_t srv, cli, s;
	struct rmc_msg *m, *r = NULL;
	struct rmc_waiter w;
	bool sent = false;

	begin();
	srv = port(A);
	cli = port(B);
	s = give(A, srv, RMC_MAKE_SEND, B);
	rmc_waiter_init(&w, NULL);
	m = mk(16, 0);
	m->dest = s;
	m->dest_disp = RMC_COPY_SEND;
	m->reply = cli;
	m->reply_disp = RMC_MAKE_SEND_ONCE;
	RET(rmc_msg_call(B, m, 0, cli, 4096, 0, &w, &r, NULL, &sent),
	    RMC_WOULD_BLOCK);
	TAP_CHECK(sent);
	TAP_CHECK_EQ(w.state, RMC_WAITER_WAITING);
	m = recv(A, srv);
	m->dest = m->reply;
	m->dest_disp = RMC_MOVE_SEND_ONCE;
	m->reply = 0;
	m->reply_disp = 0;
	OK(rmc_msg_send(A, m, 0, NULL));
	TAP_CHECK_EQ(w.state, RMC_WAITER_WOKEN);	/* woken at enqueue */
	OK(rmc_msg_receive(B, cli, 4096, 0, &w, &r, NULL));
	TAP_CHECK_EQ(w.state, RMC_WAITER_IDLE);
	rmc_msg_free(sys, r);
	/* a failing send phase leaves the message with the caller */
	m = mk(0, 0);
	m->dest = RMC_NAME_MAKE(999, 3);
	m->dest_disp = RMC_COPY_SEND;
	RET(rmc_msg_call(B, m, 0, cli, 4096, 0, NULL, &r, NULL, &sent),
	    RMC_INVALID_DEST);
	TAP_CHECK(!sent);
	rmc_msg_free(sys, m);
}

/* ---- notifications ---- */

static void no_senders_fires_once_with_mscount(void)
{
	rmc_name_t a, n, s1, s2, prev = 1;
	struct rmc_msg *m;

	begin();
	a = port(A);
	n = port(A);
	s1 = give(A, a, RMC_MAKE_SEND, B);
	s2 = give(A, a, RMC_MAKE_SEND, C);
	OK(rmc_port_request_notification(A, a, RMC_NOTIFY_NO_SENDERS, 0, n,
					 RMC_MAKE_SEND_ONCE, &prev));
	TAP_CHECK_EQ(prev, 0);
	OK(rmc_port_deallocate(B, s1));
	RET(rmc_msg_peek(A, n, NULL), RMC_RCV_TIMED_OUT);
	OK(rmc_port_deallocate(C, s2));
	m = recv(A, n);
	TAP_CHECK_EQ(m->id, RMC_NOTIFY_NO_SENDERS);
	TAP_CHECK_EQ(body_word(m), 2);
	TAP_CHECK_EQ(m->dest_disp, RMC_MOVE_SEND_ONCE);
	rmc_msg_free(sys, m);
	/* exactly once: new senders coming and going fire nothing more */
	s1 = give(A, a, RMC_MAKE_SEND, B);
	OK(rmc_port_deallocate(B, s1));
	RET(rmc_msg_peek(A, n, NULL), RMC_RCV_TIMED_OUT);
}

static void no_senders_immediate_when_none(void)
{
	rmc_name_t a, n, prev;
	struct rmc_msg *m;

	begin();
	a = port(A);
	n = port(A);
	OK(rmc_port_request_notification(A, a, RMC_NOTIFY_NO_SENDERS, 0, n,
					 RMC_MAKE_SEND_ONCE, &prev));
	m = recv(A, n);
	TAP_CHECK_EQ(m->id, RMC_NOTIFY_NO_SENDERS);
	TAP_CHECK_EQ(body_word(m), 0);
	rmc_msg_free(sys, m);
}

static void dead_name_notification(void)
{
	rmc_name_t a, n, s, prev;
	struct rmc_msg *m;

	begin();
	a = port(A);
	n = port(B);
	s = give(A, a, RMC_MAKE_SEND, B);
	OK(rmc_port_request_notification(B, s, RMC_NOTIFY_DEAD_NAME, 1, n,
					 RMC_MAKE_SEND_ONCE, &prev));
	OK(rmc_port_mod_refs(A, a, RMC_RIGHT_RECEIVE, -1));
	m = recv(B, n);
	TAP_CHECK_EQ(m->id, RMC_NOTIFY_DEAD_NAME);
	TAP_CHECK_EQ(body_word(m), s);
	rmc_msg_free(sys, m);
	/* the notification carries one uref of the dead name (XNU) */
	TAP_CHECK_EQ(type(B, s), RMC_TYPE_DEAD_NAME);
	TAP_CHECK_EQ(refs(B, s, RMC_RIGHT_DEAD_NAME), 2);
}

static void dead_name_request_on_dead_name_fires_at_once(void)
{
	rmc_name_t a, n, s, prev;
	struct rmc_msg *m;

	begin();
	a = port(A);
	n = port(B);
	s = give(A, a, RMC_MAKE_SEND, B);
	OK(rmc_port_destroy(A, a));
	OK(rmc_port_request_notification(B, s, RMC_NOTIFY_DEAD_NAME, 1, n,
					 RMC_MAKE_SEND_ONCE, &prev));
	m = recv(B, n);
	TAP_CHECK_EQ(m->id, RMC_NOTIFY_DEAD_NAME);
	TAP_CHECK_EQ(body_word(m), s);
	rmc_msg_free(sys, m);
	TAP_CHECK_EQ(refs(B, s, RMC_RIGHT_DEAD_NAME), 2);
}

static void port_deleted_notification(void)
{
	rmc_name_t a, n, s, prev;
	struct rmc_msg *m;

	begin();
	a = port(A);
	n = port(B);
	s = give(A, a, RMC_MAKE_SEND, B);
	OK(rmc_port_request_notification(B, s, RMC_NOTIFY_DEAD_NAME, 1, n,
					 RMC_MAKE_SEND_ONCE, &prev));
	OK(rmc_port_deallocate(B, s));
	m = recv(B, n);
	TAP_CHECK_EQ(m->id, RMC_NOTIFY_PORT_DELETED);
	TAP_CHECK_EQ(body_word(m), s);
	rmc_msg_free(sys, m);
}

static void request_returns_previous_send_once(void)
{
	rmc_name_t a, n, prev = 0;
	struct rmc_port_status st;

	begin();
	a = port(A);
	n = port(A);
	OK(rmc_port_request_notification(A, a, RMC_NOTIFY_PORT_DESTROYED, 0, n,
					 RMC_MAKE_SEND_ONCE, &prev));
	OK(rmc_port_get_status(A, a, &st));
	TAP_CHECK(st.pdrequest);
	OK(rmc_port_request_notification(A, a, RMC_NOTIFY_PORT_DESTROYED, 0, 0,
					 0, &prev));
	TAP_CHECK_EQ(type(A, prev), RMC_TYPE_SEND_ONCE);
	OK(rmc_port_get_status(A, a, &st));
	TAP_CHECK(!st.pdrequest);
	RET(rmc_port_request_notification(A, a, 12345, 0, 0, 0, &prev),
	    RMC_INVALID_VALUE);
}

static void port_destroyed_sends_receive_right(void)
{
	rmc_name_t a, n, s, prev, r;
	struct rmc_msg *m, *none = NULL;
	struct rmc_waiter w;

	begin();
	a = port(A);
	n = port(B);
	s = give(A, a, RMC_MAKE_SEND, C);
	OK(rmc_port_request_notification(A, a, RMC_NOTIFY_PORT_DESTROYED, 0,
					 give(B, n, RMC_MAKE_SEND_ONCE, A),
					 RMC_MOVE_SEND_ONCE, &prev));
	rmc_waiter_init(&w, NULL);
	RET(rmc_msg_receive(A, a, 100, 0, &w, &none, NULL), RMC_WOULD_BLOCK);
	OK(send_simple(C, s, RMC_COPY_SEND, 5, 3));	/* w woken, not back */
	rmc_space_destroy(A);
	A = NULL;
	/* the receive right left A's hands: its waiter is told so */
	TAP_CHECK_EQ(w.state, RMC_WAITER_ABORTED);
	TAP_CHECK_EQ(w.result, RMC_PORT_CHANGED);
	m = recv(B, n);
	TAP_CHECK_EQ(m->id, RMC_NOTIFY_PORT_DESTROYED);
	TAP_CHECK_EQ(m->ndesc, 1);
	TAP_CHECK_EQ(m->desc[0].disp, RMC_MOVE_RECEIVE);
	r = m->desc[0].name;
	rmc_msg_free(sys, m);
	/* the port survived with its queue; C's right still works */
	TAP_CHECK_EQ(type(B, r), RMC_TYPE_RECEIVE);
	TAP_CHECK_EQ(type(C, s), RMC_TYPE_SEND);
	m = recv(B, r);
	TAP_CHECK_EQ(m->id, 5);
	rmc_msg_free(sys, m);
}

static void send_once_notification_when_unused(void)
{
	rmc_name_t a, o;
	struct rmc_msg *m;

	begin();
	a = port(A);
	o = give(A, a, RMC_MAKE_SEND_ONCE, B);
	OK(rmc_port_deallocate(B, o));
	m = recv(A, a);
	TAP_CHECK_EQ(m->id, RMC_NOTIFY_SEND_ONCE);
	rmc_msg_free(sys, m);
	/* also when the holder's space goes away */
	give(A, a, RMC_MAKE_SEND_ONCE, B);
	rmc_space_destroy(B);
	B = NULL;
	m = recv(A, a);
	TAP_CHECK_EQ(m->id, RMC_NOTIFY_SEND_ONCE);
	rmc_msg_free(sys, m);
}

/* ---- copy-in validation ---- */

static void failed_send_changes_nothing(void)
{
	rmc_name_t a, s, t, o;
	struct rmc_msg *m;
	struct rmc_stats before, after;

	begin();
	a = port(A);
	s = give(A, a, RMC_MAKE_SEND, B);
	t = port(B);
	o = give(A, a, RMC_MAKE_SEND_ONCE, B);
	rmc_sys_stats(sys, &before);
	m = mk(4, 4);
	m->dest = s;
	m->dest_disp = RMC_MOVE_SEND;
	m->reply = o;
	m->reply_disp = RMC_MOVE_SEND_ONCE;
	m->desc[0] = (struct rmc_port_desc){ t, RMC_MOVE_RECEIVE };
	m->desc[1] = (struct rmc_port_desc){ s, RMC_COPY_SEND };	/* gone */
	m->desc[2] = (struct rmc_port_desc){ t, RMC_MAKE_SEND };
	m->desc[3] = (struct rmc_port_desc){ 0, 0 };
	RET(rmc_msg_send(B, m, 0, NULL), RMC_INVALID_RIGHT);
	TAP_CHECK_EQ(m->desc[0].name, t);	/* untouched */
	TAP_CHECK_EQ(m->dest, s);
	TAP_CHECK_EQ(type(B, s), RMC_TYPE_SEND);
	TAP_CHECK_EQ(refs(B, s, RMC_RIGHT_SEND), 1);
	TAP_CHECK_EQ(type(B, t), RMC_TYPE_RECEIVE);
	TAP_CHECK_EQ(type(B, o), RMC_TYPE_SEND_ONCE);
	rmc_sys_stats(sys, &after);
	TAP_CHECK(memcmp(&before, &after, sizeof(before)) == 0);
	/* the same message fixed goes through */
	m->desc[1] = (struct rmc_port_desc){ 0, 0 };
	m->desc[2] = (struct rmc_port_desc){ RMC_NAME_DEAD, RMC_COPY_SEND };
	OK(rmc_msg_send(B, m, 0, NULL));
	RET(rmc_port_type(B, s, &(uint32_t){0}), RMC_INVALID_NAME);
	m = recv(A, a);
	TAP_CHECK_EQ(type(A, m->desc[0].name), RMC_TYPE_RECEIVE);
	TAP_CHECK_EQ(m->desc[1].name, 0);
	TAP_CHECK_EQ(m->desc[2].name, RMC_NAME_DEAD);
	TAP_CHECK_EQ(type(A, m->reply), RMC_TYPE_SEND_ONCE);
	rmc_msg_free(sys, m);
}

static void uref_claims_count_across_descriptors(void)
{
	rmc_name_t a, s;
	struct rmc_msg *m;

	begin();
	a = port(A);
	s = give(A, a, RMC_MAKE_SEND, B);
	OK(rmc_port_mod_refs(B, s, RMC_RIGHT_SEND, 1));	/* 2 urefs */
	m = mk(0, 3);
	m->dest = s;
	m->dest_disp = RMC_MOVE_SEND;
	m->desc[0] = (struct rmc_port_desc){ s, RMC_MOVE_SEND };
	m->desc[1] = (struct rmc_port_desc){ s, RMC_COPY_SEND };
	RET(rmc_msg_send(B, m, 0, NULL), RMC_INVALID_RIGHT);
	TAP_CHECK_EQ(refs(B, s, RMC_RIGHT_SEND), 2);
	m->desc[1] = (struct rmc_port_desc){ 0, 0 };
	OK(rmc_msg_send(B, m, 0, NULL));
	RET(rmc_port_type(B, s, &(uint32_t){0}), RMC_INVALID_NAME);
	m = recv(A, a);
	TAP_CHECK_EQ(m->desc[0].name, a);
	rmc_msg_free(sys, m);
}

static void circular_receive_right_message_destroyed(void)
{
	rmc_name_t a, b;
	struct rmc_stats st;

	begin();
	a = port(A);
	b = port(A);
	/* a's receive right into a's own queue */
	OK(send_desc(A, a, a, RMC_MOVE_RECEIVE));
	RET(rmc_port_type(A, a, &(uint32_t){0}), RMC_INVALID_NAME);
	/* b into a queue of a port whose receive right is queued on b */
	a = port(A);
	OK(send_desc(A, b, a, RMC_MOVE_RECEIVE));	/* a queued on b */
	RET(rmc_port_type(A, a, &(uint32_t){0}), RMC_INVALID_NAME);
	rmc_sys_stats(sys, &st);
	TAP_CHECK_EQ(st.ports, 2);
}

/* Regression: a message carrying its own destination's receive right and
 * then another receive right made the transit chain loop on itself, and the
 * second circularity check never returned. */
static void regression_circular_then_second_receive_right(void)
{
	rmc_name_t a, b;
	struct rmc_msg *m;
	struct rmc_stats st;

	begin();
	a = port(A);
	b = port(A);
	m = mk(0, 2);
	m->dest = a;
	m->dest_disp = RMC_MAKE_SEND;
	m->desc[0] = (struct rmc_port_desc){ a, RMC_MOVE_RECEIVE };
	m->desc[1] = (struct rmc_port_desc){ b, RMC_MOVE_RECEIVE };
	OK(rmc_msg_send(A, m, 0, NULL));
	rmc_sys_stats(sys, &st);
	TAP_CHECK_EQ(st.ports, 0);
	TAP_CHECK_EQ(st.names, 0);
}

/* Regression: RMC_NAME_DEAD with MOVE_RECEIVE was accepted and put a "dead
 * receive right" in transit (found by the fuzzer's invariants). */
static void regression_dead_name_cannot_carry_receive(void)
{
	rmc_name_t a;

	begin();
	a = port(A);
	RET(send_desc(A, a, RMC_NAME_DEAD, RMC_MOVE_RECEIVE), RMC_INVALID_RIGHT);
	OK(send_desc(A, a, RMC_NAME_DEAD, RMC_MOVE_SEND_ONCE));
	TAP_CHECK_EQ(msgcount(A, a), 1);
}

/* ---- cross-space scenarios ---- */

static void rights_move_through_three_spaces(void)
{
	rmc_name_t a, ba, cb, sA, sB, r;
	struct rmc_msg *m;

	begin();
	a = port(A);		/* the service */
	ba = port(B);
	cb = port(C);
	/* A -> B: a send right to a */
	OK(send_desc(A, give(B, ba, RMC_MAKE_SEND, A), a, RMC_MAKE_SEND));
	m = recv(B, ba);
	sB = m->desc[0].name;
	rmc_msg_free(sys, m);
	/* B -> C: moves it on */
	OK(send_desc(B, give(C, cb, RMC_MAKE_SEND, B), sB, RMC_MOVE_SEND));
	RET(rmc_port_type(B, sB, &(uint32_t){0}), RMC_INVALID_NAME);
	m = recv(C, cb);
	sA = m->desc[0].name;
	rmc_msg_free(sys, m);
	/* C uses it to reach A */
	OK(send_simple(C, sA, RMC_COPY_SEND, 77, 8));
	m = recv(A, a);
	TAP_CHECK_EQ(m->id, 77);
	rmc_msg_free(sys, m);
	/* and A's receive right travels to C through B */
	OK(send_desc(A, give(B, ba, RMC_MAKE_SEND, A), a, RMC_MOVE_RECEIVE));
	m = recv(B, ba);
	r = m->desc[0].name;
	rmc_msg_free(sys, m);
	OK(send_desc(B, give(C, cb, RMC_MAKE_SEND, B), r, RMC_MOVE_RECEIVE));
	m = recv(C, cb);
	/* C already had a send right to it: same name, now with receive */
	TAP_CHECK_EQ(m->desc[0].name, sA);
	TAP_CHECK_EQ(type(C, sA), RMC_TYPE_RECEIVE | RMC_TYPE_SEND);
	rmc_msg_free(sys, m);
}

static void receive_right_moved_while_messages_queued(void)
{
	rmc_name_t a, s, bp, r;
	struct rmc_msg *m;
	int i;

	begin();
	a = port(A);
	s = give(A, a, RMC_MAKE_SEND, C);
	for (i = 0; i < 3; i++)
		OK(send_simple(C, s, RMC_COPY_SEND, (uint32_t)i, 16));
	bp = port(B);
	OK(send_desc(A, give(B, bp, RMC_MAKE_SEND, A), a, RMC_MOVE_RECEIVE));
	m = recv(B, bp);
	r = m->desc[0].name;
	rmc_msg_free(sys, m);
	TAP_CHECK_EQ(msgcount(B, r), 3);
	for (i = 0; i < 3; i++) {
		m = recv(B, r);
		TAP_CHECK_EQ(m->id, (uint32_t)i);
		rmc_msg_free(sys, m);
	}
	OK(send_simple(C, s, RMC_COPY_SEND, 9, 0));
	m = recv(B, r);
	TAP_CHECK_EQ(m->id, 9);
	rmc_msg_free(sys, m);
}

static void teardown_destroys_queued_receive_rights_iteratively(void)
{
	enum { DEPTH = 20000 };
	rmc_name_t head, link, nh, s;
	struct rmc_stats st;
	int i;

	begin();
	/* Each head's queue holds the previous head's receive right and a
	 * link port that has a message of its own queued: only the last head
	 * has a name. Destruction must walk 2 * DEPTH ports without recursion. */
	head = port(A);
	s = give(A, head, RMC_MAKE_SEND, C);
	for (i = 0; i < DEPTH; i++) {
		link = port(A);
		OK(send_simple(A, link, RMC_MAKE_SEND, 1, 32));
		OK(send_desc(A, head, link, RMC_MOVE_RECEIVE));
		nh = port(A);
		OK(send_desc(A, nh, head, RMC_MOVE_RECEIVE));
		head = nh;
	}
	rmc_sys_stats(sys, &st);
	TAP_CHECK_EQ(st.ports, 2 * DEPTH + 1);
	TAP_CHECK_EQ(st.names, 1 + 1);	/* the last head, C's send right */
	rmc_space_destroy(A);
	A = NULL;
	rmc_sys_stats(sys, &st);
	TAP_CHECK_EQ(st.ports, 1);	/* C's dead name still pins one */
	TAP_CHECK_EQ(st.msgs, 0);
	TAP_CHECK_EQ(type(C, s), RMC_TYPE_DEAD_NAME);
	rmc_sys_stats(sys, &st);
	TAP_CHECK_EQ(st.ports, 0);	/* looking at it released the port */
}

static void teardown_turns_send_rights_dead_and_wakes_waiters(void)
{
	rmc_name_t a, s, bp;
	struct rmc_waiter wr, ws;
	struct rmc_msg *m = NULL, *pending;

	begin();
	a = port(A);
	bp = port(B);
	s = give(A, a, RMC_MAKE_SEND, B);
	rmc_waiter_init(&wr, NULL);
	rmc_waiter_init(&ws, NULL);
	RET(rmc_msg_receive(A, a, 100, 0, &wr, &m, NULL), RMC_WOULD_BLOCK);
	/* fill the queue with messages carrying rights, block a sender */
	OK(rmc_port_set_qlimit(A, a, 1));
	OK(send_desc(B, s, bp, RMC_MAKE_SEND));
	TAP_CHECK_EQ(wr.state, RMC_WAITER_WOKEN);
	pending = mk(0, 0);
	pending->dest = s;
	pending->dest_disp = RMC_COPY_SEND;
	RET(rmc_msg_send(B, pending, 0, &ws), RMC_WOULD_BLOCK);
	rmc_space_destroy(A);
	A = NULL;
	TAP_CHECK_EQ(ws.state, RMC_WAITER_ABORTED);
	RET(rmc_msg_send(B, pending, 0, &ws), RMC_INVALID_DEST);
	rmc_msg_free(sys, pending);
	TAP_CHECK_EQ(type(B, s), RMC_TYPE_DEAD_NAME);
	/* the right carried in the destroyed message was released */
	{
		struct rmc_port_status st;

		OK(rmc_port_get_status(B, bp, &st));
		TAP_CHECK(!st.srights);
	}
	(void)wr;
}

static void receive_waiter_gets_port_died(void)
{
	rmc_name_t a;
	struct rmc_waiter w;
	struct rmc_msg *m = NULL;

	begin();
	a = port(A);
	rmc_waiter_init(&w, NULL);
	RET(rmc_msg_receive(A, a, 100, 0, &w, &m, NULL), RMC_WOULD_BLOCK);
	OK(rmc_port_mod_refs(A, a, RMC_RIGHT_RECEIVE, -1));
	TAP_CHECK_EQ(w.state, RMC_WAITER_ABORTED);
	TAP_CHECK_EQ(ctx.wakes, 1);
	RET(rmc_msg_receive(A, a, 100, 0, &w, &m, NULL), RMC_PORT_DIED);
	RET(rmc_msg_receive(A, a, 100, 0, &w, &m, NULL), RMC_INVALID_NAME);
}

static void receive_waiter_gets_port_changed(void)
{
	rmc_name_t a, s;
	struct rmc_waiter w;
	struct rmc_msg *m = NULL;

	begin();
	a = port(A);
	s = pset(A);
	rmc_waiter_init(&w, NULL);
	RET(rmc_msg_receive(A, a, 100, 0, &w, &m, NULL), RMC_WOULD_BLOCK);
	OK(rmc_port_move_member(A, a, s));
	RET(rmc_msg_receive(A, a, 100, 0, &w, &m, NULL), RMC_PORT_CHANGED);
	/* a set waiter is woken by a message on a member */
	RET(rmc_msg_receive(A, s, 100, 0, &w, &m, NULL), RMC_WOULD_BLOCK);
	OK(send_simple(A, a, RMC_MAKE_SEND, 1, 0));
	TAP_CHECK_EQ(w.state, RMC_WAITER_WOKEN);
	OK(rmc_msg_receive(A, s, 100, 0, &w, &m, NULL));
	rmc_msg_free(sys, m);
}

static void waiter_cancel_passes_wake_on(void)
{
	rmc_name_t a;
	struct rmc_waiter w1, w2;
	struct rmc_msg *m = NULL;

	begin();
	a = port(A);
	rmc_waiter_init(&w1, NULL);
	rmc_waiter_init(&w2, NULL);
	RET(rmc_msg_receive(A, a, 100, 0, &w1, &m, NULL), RMC_WOULD_BLOCK);
	RET(rmc_msg_receive(A, a, 100, 0, &w2, &m, NULL), RMC_WOULD_BLOCK);
	OK(send_simple(A, a, RMC_MAKE_SEND, 1, 0));
	TAP_CHECK_EQ(w1.state, RMC_WAITER_WOKEN);	/* FIFO, one at a time */
	TAP_CHECK_EQ(w2.state, RMC_WAITER_WAITING);
	rmc_waiter_cancel(sys, &w1);	/* e.g. a signal: pass it on */
	TAP_CHECK_EQ(w1.state, RMC_WAITER_IDLE);
	TAP_CHECK_EQ(w2.state, RMC_WAITER_WOKEN);
	OK(rmc_msg_receive(A, a, 100, 0, &w2, &m, NULL));
	rmc_msg_free(sys, m);
	rmc_waiter_cancel(sys, &w2);	/* idempotent */
}

/*
 * The contract that lets a platform skip rmc_waiter_cancel after a retry: a
 * call that returns anything but RMC_WOULD_BLOCK leaves its waiter idle and
 * unlinked (success, an error, a wake-up from a dying port alike).
 */
static void waiter_unlinked_unless_would_block(void)
{
	rmc_name_t a, s;
	struct rmc_waiter w;
	struct rmc_msg *m = NULL;

	begin();
	a = port(A);
	rmc_waiter_init(&w, NULL);
	RET(rmc_msg_receive(A, a, 100, 0, &w, &m, NULL), RMC_WOULD_BLOCK);
	TAP_CHECK(w.wq != NULL);
	OK(send_simple(A, a, RMC_MAKE_SEND, 1, 0));
	OK(rmc_msg_receive(A, a, 100, 0, &w, &m, NULL));
	TAP_CHECK(w.wq == NULL);
	TAP_CHECK_EQ(w.state, RMC_WAITER_IDLE);
	rmc_msg_free(sys, m);

	/* a send that waited for room */
	s = give(A, a, RMC_MAKE_SEND, B);
	OK(rmc_port_set_qlimit(A, a, 1));
	OK(send_simple(B, s, RMC_COPY_SEND, 2, 0));
	m = mk(0, 0);
	m->dest = s;
	m->dest_disp = RMC_COPY_SEND;
	RET(rmc_msg_send(B, m, 0, &w), RMC_WOULD_BLOCK);
	TAP_CHECK(w.wq != NULL);
	rmc_msg_free(sys, recv(A, a));
	OK(rmc_msg_send(B, m, 0, &w));
	TAP_CHECK(w.wq == NULL);
	TAP_CHECK_EQ(w.state, RMC_WAITER_IDLE);
	rmc_msg_free(sys, recv(A, a));

	/* an error: the port died while the receiver waited */
	RET(rmc_msg_receive(A, a, 100, 0, &w, &m, NULL), RMC_WOULD_BLOCK);
	OK(rmc_port_mod_refs(A, a, RMC_RIGHT_RECEIVE, -1));
	RET(rmc_msg_receive(A, a, 100, 0, &w, &m, NULL), RMC_PORT_DIED);
	TAP_CHECK(w.wq == NULL);
	TAP_CHECK_EQ(w.state, RMC_WAITER_IDLE);
}

/* ---- accounting ---- */

static void limit_ports_per_space_and_owner(void)
{
	struct rmc_limits lim = { .ports = 2 };
	rmc_name_t n;

	begin();
	rmc_space_set_limits(A, &lim);
	port(A);
	port(A);
	RET(rmc_port_allocate(A, RMC_RIGHT_RECEIVE, &n), RMC_LIMIT_EXCEEDED);
	owner.limit.ports = 3;	/* A has 2, B shares the owner */
	port(B);
	RET(rmc_port_allocate(B, RMC_RIGHT_RECEIVE, &n), RMC_LIMIT_EXCEEDED);
	OK(rmc_port_allocate(C, RMC_RIGHT_RECEIVE, &n));	/* no owner */
	TAP_CHECK_EQ(owner.use.ports, 3);
}

static void limit_queued_messages_and_bytes(void)
{
	struct rmc_limits lim = { .msgs = 2, .bytes = 100 };
	struct rmc_usage u;
	rmc_name_t a, s;

	begin();
	a = port(A);
	s = give(A, a, RMC_MAKE_SEND, B);
	OK(rmc_port_set_qlimit(A, a, 100));
	rmc_space_set_limits(B, &lim);
	OK(send_simple(B, s, RMC_COPY_SEND, 1, 60));
	RET(send_simple(B, s, RMC_COPY_SEND, 2, 41), RMC_LIMIT_EXCEEDED);
	OK(send_simple(B, s, RMC_COPY_SEND, 2, 40));
	RET(send_simple(B, s, RMC_COPY_SEND, 3, 0), RMC_LIMIT_EXCEEDED);
	rmc_space_get_usage(B, &u);
	TAP_CHECK_EQ(u.msgs, 2);
	TAP_CHECK_EQ(u.bytes, 100);
	TAP_CHECK_EQ(owner.use.msgs, 2);
	rmc_msg_free(sys, recv(A, a));
	OK(send_simple(B, s, RMC_COPY_SEND, 3, 0));
	owner.limit.msgs = 2;
	RET(send_simple(B, s, RMC_COPY_SEND, 4, 0), RMC_LIMIT_EXCEEDED);
}

static void sender_space_outlives_its_queued_messages(void)
{
	rmc_name_t a, s;

	begin();
	a = port(A);
	s = give(A, a, RMC_MAKE_SEND, B);
	OK(send_simple(B, s, RMC_COPY_SEND, 1, 10));
	rmc_space_destroy(B);	/* message still charged to B */
	B = NULL;
	TAP_CHECK_EQ(ctx.owner_releases, 0);	/* A still uses the owner */
	TAP_CHECK_EQ(owner.use.msgs, 1);
	rmc_msg_free(sys, recv(A, a));
	TAP_CHECK_EQ(owner.use.msgs, 0);
	rmc_space_destroy(A);
	A = NULL;
	TAP_CHECK_EQ(ctx.owner_releases, 1);
}

static void stats_count_live_objects(void)
{
	struct rmc_stats st;
	rmc_name_t a;

	begin();
	a = port(A);
	pset(A);
	OK(send_simple(A, a, RMC_MAKE_SEND, 1, 64));
	rmc_sys_stats(sys, &st);
	TAP_CHECK_EQ(st.spaces, 3);
	TAP_CHECK_EQ(st.ports, 1);
	TAP_CHECK_EQ(st.psets, 1);
	TAP_CHECK_EQ(st.names, 2);
	TAP_CHECK_EQ(st.msgs, 1);
	TAP_CHECK_EQ(st.bytes, 64);
}

static void sys_destroy_refuses_while_anything_lives(void)
{
	struct rmc_msg *m = NULL;

	begin();
	RET(rmc_sys_destroy(sys), RMC_INVALID_VALUE);	/* spaces live */
	rmc_space_destroy(A);
	rmc_space_destroy(B);
	rmc_space_destroy(C);
	A = B = C = NULL;
	OK(rmc_msg_alloc(sys, 10, 0, &m));
	RET(rmc_sys_destroy(sys), RMC_INVALID_VALUE);	/* a message is out */
	rmc_msg_free(sys, m);
	/* finish() destroys it and checks nothing is left */
}

static void msg_cache_absorbs_small_messages(void)
{
	rmc_name_t a;
	long before;
	int i;

	begin();
	a = port(A);
	rmc_msg_free(sys, mk(64, 1));	/* warm the cache */
	before = ctx.total;
	for (i = 0; i < 100; i++) {
		OK(send_simple(A, a, RMC_MAKE_SEND, 1, 64));
		rmc_msg_free(sys, recv(A, a));
	}
	TAP_CHECK_EQ(ctx.total, before);
}

/* ---- return codes ---- */

static void rmc_strerror_names_every_code(void)
{
	int i, j;

	for (i = 0; i < RMC_RET_COUNT; i++) {
		TAP_CHECK(strncmp(rmc_strerror((rmc_ret_t)i), "RMC_", 4) == 0);
		for (j = 0; j < i; j++)
			TAP_CHECK(strcmp(rmc_strerror((rmc_ret_t)i),
					 rmc_strerror((rmc_ret_t)j)) != 0);
	}
	TAP_CHECK(strcmp(rmc_strerror(RMC_SUCCESS), "RMC_SUCCESS") == 0);
	TAP_CHECK(strcmp(rmc_strerror((rmc_ret_t)999), "RMC_UNKNOWN") == 0);
}

static void err_invalid_name(void)
{
	uint32_t r;

	begin();
	RET(rmc_port_get_refs(A, RMC_NAME_MAKE(5, 1), RMC_RIGHT_SEND, &r),
	    RMC_INVALID_NAME);
	RET(rmc_port_deallocate(A, 0x12345), RMC_INVALID_NAME);
	RET(rmc_port_destroy(A, RMC_NAME_DEAD), RMC_INVALID_NAME);
}

static void err_invalid_right(void)
{
	rmc_name_t a, s;

	begin();
	a = port(A);
	s = pset(A);
	RET(rmc_port_deallocate(A, a), RMC_INVALID_RIGHT);
	RET(rmc_port_mod_refs(A, a, RMC_RIGHT_SEND, 1), RMC_INVALID_RIGHT);
	RET(rmc_port_move_member(A, s, s), RMC_INVALID_RIGHT);
	RET(rmc_port_move_member(A, a, a), RMC_INVALID_RIGHT);
	RET(rmc_msg_receive(A, give(A, a, RMC_MAKE_SEND_ONCE, A), 0, 0, NULL,
			    &(struct rmc_msg *){NULL}, NULL),
	    RMC_INVALID_RIGHT);
}

static void err_invalid_value(void)
{
	rmc_name_t a, n;

	begin();
	a = port(A);
	RET(rmc_port_allocate(A, RMC_RIGHT_SEND, &n), RMC_INVALID_VALUE);
	RET(rmc_port_mod_refs(A, a, RMC_RIGHT_RECEIVE, -2), RMC_INVALID_VALUE);
	RET(rmc_port_mod_refs(A, a, 9, 0), RMC_INVALID_VALUE);
	RET(send_simple(A, a, 3, 1, 0), RMC_INVALID_VALUE);
	RET(send_desc(A, a, a, 15), RMC_INVALID_VALUE);
}

static void err_urefs_overflow(void)
{
	rmc_name_t d;

	begin();
	OK(rmc_port_allocate(A, RMC_RIGHT_DEAD_NAME, &d));
	RET(rmc_port_mod_refs(A, d, RMC_RIGHT_DEAD_NAME, 0xFFFF),
	    RMC_UREFS_OVERFLOW);
	TAP_CHECK_EQ(refs(A, d, RMC_RIGHT_DEAD_NAME), 1);
}

static void err_name_exists(void)
{
	rmc_name_t a, b;

	begin();
	a = port(A);
	b = port(A);
	RET(rmc_port_allocate_name(A, RMC_RIGHT_RECEIVE, a), RMC_NAME_EXISTS);
	RET(rmc_insert_right(A, b, A, a, RMC_MAKE_SEND), RMC_NAME_EXISTS);
	OK(rmc_port_allocate_name(A, RMC_RIGHT_RECEIVE, RMC_NAME_MAKE(40, 7)));
	TAP_CHECK_EQ(type(A, RMC_NAME_MAKE(40, 7)), RMC_TYPE_RECEIVE);
	OK(rmc_insert_right(B, RMC_NAME_MAKE(1000, 9), A, a, RMC_MAKE_SEND));
	TAP_CHECK_EQ(type(B, RMC_NAME_MAKE(1000, 9)), RMC_TYPE_SEND);
}

static void err_right_exists(void)
{
	rmc_name_t a;

	begin();
	a = port(A);
	give(A, a, RMC_MAKE_SEND, B);
	RET(rmc_insert_right(B, RMC_NAME_MAKE(50, 1), A, a, RMC_MAKE_SEND),
	    RMC_RIGHT_EXISTS);
}

static void err_no_space(void)
{
	struct rmc_sys_config cfg = { .max_names = 8 };
	rmc_name_t n;
	int i;

	begin_cfg(&cfg);
	for (i = 0; i < 8; i++)
		OK(rmc_port_allocate(A, RMC_RIGHT_DEAD_NAME, &n));
	RET(rmc_port_allocate(A, RMC_RIGHT_DEAD_NAME, &n), RMC_NO_SPACE);
	RET(rmc_port_allocate_name(A, RMC_RIGHT_DEAD_NAME,
				   RMC_NAME_MAKE(9, 0)), RMC_INVALID_VALUE);
}

/* Every allocation in send/receive/allocate may fail: the operation then
 * reports RMC_RESOURCE_SHORTAGE and changes nothing. */
static void err_resource_shortage(void)
{
	rmc_name_t a, s, n;
	struct rmc_msg *m = NULL;
	long at;
	int failures = 0;

	begin();
	a = port(A);
	for (at = 1; at < 40; at++) {
		ctx.fail_at = ctx.total + at;
		if (rmc_port_allocate(B, RMC_RIGHT_RECEIVE, &n) ==
		    RMC_RESOURCE_SHORTAGE) {
			failures++;
			TAP_CHECK_EQ(n, 0);
		}
	}
	TAP_CHECK(failures > 0);
	ctx.fail_at = 0;
	s = give(A, a, RMC_MAKE_SEND, B);
	/* receive into a space whose table must grow: fails, stays queued */
	for (at = 0; at < 30; at++)
		OK(rmc_port_allocate(A, RMC_RIGHT_DEAD_NAME, &n));
	OK(send_desc(B, s, s, RMC_COPY_SEND));
	ctx.fail_at = ctx.total + 1;
	RET(rmc_msg_receive(A, a, 1000, 0, NULL, &m, NULL),
	    RMC_RESOURCE_SHORTAGE);
	TAP_CHECK_EQ(msgcount(A, a), 1);
	ctx.fail_at = 0;
	m = recv(A, a);
	TAP_CHECK_EQ(m->desc[0].name, a);
	rmc_msg_free(sys, m);
	ctx.fail_at = ctx.total + 1;
	RET(rmc_msg_alloc(sys, 1000, 0, &m), RMC_RESOURCE_SHORTAGE);
	ctx.fail_at = 0;
}

static void err_limit_exceeded(void)
{
	struct rmc_limits lim = { .msgs = 1 };
	rmc_name_t a;

	begin();
	a = port(A);
	rmc_space_set_limits(A, &lim);
	OK(send_simple(A, a, RMC_MAKE_SEND, 1, 0));
	RET(send_simple(A, a, RMC_MAKE_SEND, 1, 0), RMC_LIMIT_EXCEEDED);
}

static void err_not_in_set(void)
{
	begin();
	RET(rmc_port_move_member(A, port(A), 0), RMC_NOT_IN_SET);
}

static void err_would_block(void)
{
	struct rmc_waiter w;
	struct rmc_msg *m = NULL;
	rmc_name_t a;

	begin();
	a = port(A);
	rmc_waiter_init(&w, NULL);
	RET(rmc_msg_receive(A, a, 0, 0, &w, &m, NULL), RMC_WOULD_BLOCK);
	rmc_waiter_cancel(sys, &w);
	TAP_CHECK_EQ(w.state, RMC_WAITER_IDLE);
}

static void err_send_timed_out(void)
{
	rmc_name_t a;

	begin();
	a = port(A);
	OK(rmc_port_set_qlimit(A, a, 1));
	OK(send_simple(A, a, RMC_MAKE_SEND, 1, 0));
	RET(send_simple(A, a, RMC_MAKE_SEND, 1, 0), RMC_SEND_TIMED_OUT);
}

static void err_rcv_timed_out(void)
{
	struct rmc_msg *m = NULL;

	begin();
	RET(rmc_msg_receive(A, port(A), 0, 0, NULL, &m, NULL),
	    RMC_RCV_TIMED_OUT);
}

static void err_rcv_too_large(void)
{
	struct rmc_msg *m = NULL;
	uint32_t need = 0;
	rmc_name_t a;

	begin();
	a = port(A);
	OK(send_simple(A, a, RMC_MAKE_SEND, 1, 65));
	RET(rmc_msg_receive(A, a, 64, 0, NULL, &m, &need), RMC_RCV_TOO_LARGE);
	TAP_CHECK_EQ(need, 65);
}

static void err_msg_too_large(void)
{
	struct rmc_msg *m = NULL;

	begin();
	RET(rmc_msg_alloc(sys, 64 * 1024 + 1, 0, &m), RMC_MSG_TOO_LARGE);
	RET(rmc_msg_alloc(sys, 0, RMC_MAX_DESC + 1, &m), RMC_MSG_TOO_LARGE);
	TAP_CHECK(m == NULL);
	OK(rmc_msg_alloc(sys, 64 * 1024, RMC_MAX_DESC, &m));
	rmc_msg_free(sys, m);
}

static void err_invalid_dest(void)
{
	rmc_name_t a;

	begin();
	a = port(A);
	RET(send_simple(A, 0, RMC_MAKE_SEND, 1, 0), RMC_INVALID_DEST);
	RET(send_simple(A, a, RMC_COPY_SEND, 1, 0), RMC_INVALID_DEST);
	RET(send_simple(A, pset(A), RMC_MAKE_SEND, 1, 0), RMC_INVALID_DEST);
}

static void err_invalid_reply(void)
{
	struct rmc_msg *m;
	rmc_name_t a;

	begin();
	a = port(A);
	m = mk(0, 0);
	m->dest = a;
	m->dest_disp = RMC_MAKE_SEND;
	m->reply = a;
	m->reply_disp = RMC_COPY_SEND;	/* a has no send right */
	RET(rmc_msg_send(A, m, 0, NULL), RMC_INVALID_REPLY);
	m->reply_disp = RMC_MOVE_RECEIVE;
	RET(rmc_msg_send(A, m, 0, NULL), RMC_INVALID_REPLY);
	rmc_msg_free(sys, m);
}

static void err_port_died(void)
{
	struct rmc_waiter w;
	struct rmc_msg *m = NULL;
	rmc_name_t s;

	begin();
	s = pset(A);
	rmc_waiter_init(&w, NULL);
	RET(rmc_msg_receive(A, s, 0, 0, &w, &m, NULL), RMC_WOULD_BLOCK);
	OK(rmc_port_destroy(A, s));
	RET(rmc_msg_receive(A, s, 0, 0, &w, &m, NULL), RMC_PORT_DIED);
}

static void err_port_changed(void)
{
	struct rmc_waiter w;
	struct rmc_msg *m = NULL;
	rmc_name_t a;

	begin();
	a = port(A);
	rmc_waiter_init(&w, NULL);
	RET(rmc_msg_receive(A, a, 0, 0, &w, &m, NULL), RMC_WOULD_BLOCK);
	give(A, a, RMC_MOVE_RECEIVE, B);
	RET(rmc_msg_receive(A, a, 0, 0, &w, &m, NULL), RMC_PORT_CHANGED);
}

static const struct tap_test tests[] = {
	TAP_ENTRY(names_never_null_or_dead),
	TAP_ENTRY(names_have_generations_stale_name_invalid),
	TAP_ENTRY(names_meaningless_in_other_space),
	TAP_ENTRY(names_table_grows_lookup_constant),
	TAP_ENTRY(one_name_per_port_per_space),
	TAP_ENTRY(send_once_rights_get_own_names),
	TAP_ENTRY(urefs_saturate_at_0xffff),
	TAP_ENTRY(urefs_underflow_is_an_error),
	TAP_ENTRY(receive_right_exactly_one),
	TAP_ENTRY(dead_names_keep_urefs),
	TAP_ENTRY(receive_and_send_share_name_dies_to_dead_name),
	TAP_ENTRY(port_set_receive_from_any_member),
	TAP_ENTRY(port_in_at_most_one_set),
	TAP_ENTRY(moving_receive_right_leaves_its_set),
	TAP_ENTRY(insert_receive_right_merges_with_send_name),
	TAP_ENTRY(disposition_make_send),
	TAP_ENTRY(disposition_copy_send),
	TAP_ENTRY(disposition_move_send),
	TAP_ENTRY(disposition_make_send_once),
	TAP_ENTRY(disposition_move_send_once),
	TAP_ENTRY(disposition_move_receive),
	TAP_ENTRY(qlimit_default_5_max_1024),
	TAP_ENTRY(full_queue_blocks_sender_until_room),
	TAP_ENTRY(qlimit_raise_wakes_blocked_senders),
	TAP_ENTRY(send_once_bypasses_qlimit),
	TAP_ENTRY(rcv_too_large_leaves_message_queued),
	TAP_ENTRY(messages_fifo_with_seqno_and_body),
	TAP_ENTRY(reply_port_make_send_once_round_trip),
	TAP_ENTRY(call_sends_and_receives_under_one_lock),
	TAP_ENTRY(no_senders_fires_once_with_mscount),
	TAP_ENTRY(no_senders_immediate_when_none),
	TAP_ENTRY(dead_name_notification),
	TAP_ENTRY(dead_name_request_on_dead_name_fires_at_once),
	TAP_ENTRY(port_deleted_notification),
	TAP_ENTRY(request_returns_previous_send_once),
	TAP_ENTRY(port_destroyed_sends_receive_right),
	TAP_ENTRY(send_once_notification_when_unused),
	TAP_ENTRY(failed_send_changes_nothing),
	TAP_ENTRY(uref_claims_count_across_descriptors),
	TAP_ENTRY(circular_receive_right_message_destroyed),
	TAP_ENTRY(regression_circular_then_second_receive_right),
	TAP_ENTRY(regression_dead_name_cannot_carry_receive),
	TAP_ENTRY(rights_move_through_three_spaces),
	TAP_ENTRY(receive_right_moved_while_messages_queued),
	TAP_ENTRY(teardown_destroys_queued_receive_rights_iteratively),
	TAP_ENTRY(teardown_turns_send_rights_dead_and_wakes_waiters),
	TAP_ENTRY(receive_waiter_gets_port_died),
	TAP_ENTRY(receive_waiter_gets_port_changed),
	TAP_ENTRY(waiter_cancel_passes_wake_on),
	TAP_ENTRY(waiter_unlinked_unless_would_block),
	TAP_ENTRY(limit_ports_per_space_and_owner),
	TAP_ENTRY(limit_queued_messages_and_bytes),
	TAP_ENTRY(sender_space_outlives_its_queued_messages),
	TAP_ENTRY(stats_count_live_objects),
	TAP_ENTRY(sys_destroy_refuses_while_anything_lives),
	TAP_ENTRY(msg_cache_absorbs_small_messages),
	TAP_ENTRY(rmc_strerror_names_every_code),
	TAP_ENTRY(err_invalid_name),
	TAP_ENTRY(err_invalid_right),
	TAP_ENTRY(err_invalid_value),
	TAP_ENTRY(err_urefs_overflow),
	TAP_ENTRY(err_name_exists),
	TAP_ENTRY(err_right_exists),
	TAP_ENTRY(err_no_space),
	TAP_ENTRY(err_resource_shortage),
	TAP_ENTRY(err_limit_exceeded),
	TAP_ENTRY(err_not_in_set),
	TAP_ENTRY(err_would_block),
	TAP_ENTRY(err_send_timed_out),
	TAP_ENTRY(err_rcv_timed_out),
	TAP_ENTRY(err_rcv_too_large),
	TAP_ENTRY(err_msg_too_large),
	TAP_ENTRY(err_invalid_dest),
	TAP_ENTRY(err_invalid_reply),
	TAP_ENTRY(err_port_died),
	TAP_ENTRY(err_port_changed),
};

int main(void)
{
	return tap_run(tests, TAP_COUNT(tests), finish);
}
