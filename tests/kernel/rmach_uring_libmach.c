// SPDX-License-Identifier: GPL-2.0
/*
 * libmach's ring API (<mach/ring.h>): receives queued on many ports are
 * completed by sends queued on the same ring, completions carry their tags,
 * messages and sizes; a full queue fails a ring send at once.
 */
#include <mach/mach.h>
#include <mach/ring.h>
#include <string.h>
#include "kselftest_harness.h"

#define N 100

struct small {
	mach_msg_header_t h;
	uint32_t value;
};

static mach_port_name_t port_with_send(void)
{
	mach_port_name_t p = MACH_PORT_NULL;

	if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &p) ||
	    mach_port_insert_right(mach_task_self(), p, p,
				   MACH_MSG_TYPE_MAKE_SEND))
		return MACH_PORT_NULL;
	return p;
}

static void fill(struct small *m, mach_port_name_t dest, uint32_t id)
{
	memset(m, 0, sizeof(*m));
	m->h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	m->h.msgh_size = sizeof(*m);
	m->h.msgh_remote_port = dest;
	m->h.msgh_id = id;
	m->value = id * 3;
}

TEST(receives_completed_by_sends)
{
	static struct small rcv[N], snd[N];
	static struct rmach_ring_completion c[2 * N];
	mach_port_name_t ports[N];
	rmach_ring_t *ring;
	int i, n, got = 0, sent = 0;

	ASSERT_EQ(KERN_SUCCESS, rmach_ring_create(2 * N, &ring));
	for (i = 0; i < N; i++) {
		ports[i] = port_with_send();
		ASSERT_NE(MACH_PORT_NULL, ports[i]);
		ASSERT_EQ(KERN_SUCCESS, rmach_ring_receive(ring, ports[i],
				&rcv[i].h, sizeof(rcv[i]), i));
	}
	ASSERT_EQ(N, rmach_ring_submit(ring));
	EXPECT_EQ(0, rmach_ring_reap(ring, c, 2 * N, 0));
	for (i = 0; i < N; i++) {
		fill(&snd[i], ports[i], 500 + i);
		ASSERT_EQ(KERN_SUCCESS, rmach_ring_send(ring, &snd[i].h,
							1000 + i));
	}
	ASSERT_EQ(N, rmach_ring_submit(ring));
	while (got + sent < 2 * N) {
		n = rmach_ring_reap(ring, c, 2 * N, 1);
		ASSERT_LT(0, n);
		for (i = 0; i < n; i++) {
			EXPECT_EQ(MACH_MSG_SUCCESS, c[i].kr);
			if (c[i].op == RMACH_RING_SEND) {
				EXPECT_LE(1000u, c[i].tag);
				sent++;
				continue;
			}
			ASSERT_GT((uint64_t)N, c[i].tag);
			EXPECT_EQ(&rcv[c[i].tag].h, c[i].msg);
			EXPECT_EQ(sizeof(struct small), c[i].size);
			EXPECT_EQ(500u + (uint32_t)c[i].tag, c[i].msg->msgh_id);
			EXPECT_EQ(ports[c[i].tag], c[i].msg->msgh_local_port);
			EXPECT_EQ((500 + c[i].tag) * 3,
				  ((struct small *)c[i].msg)->value);
			got++;
		}
	}
	EXPECT_EQ(N, got);
	EXPECT_EQ(N, sent);
	rmach_ring_destroy(ring);
	for (i = 0; i < N; i++)
		EXPECT_EQ(KERN_SUCCESS,
			  mach_port_destroy(mach_task_self(), ports[i]));
}

TEST(full_queue_send_fails_at_once)
{
	mach_port_limits_t lim = { .mpl_qlimit = 1 };
	struct rmach_ring_completion c[2];
	struct small a, b;
	mach_port_name_t p = port_with_send();
	rmach_ring_t *ring;

	ASSERT_NE(MACH_PORT_NULL, p);
	ASSERT_EQ(KERN_SUCCESS, mach_port_set_attributes(mach_task_self(), p,
			MACH_PORT_LIMITS_INFO, (mach_port_info_t)&lim,
			MACH_PORT_LIMITS_INFO_COUNT));
	ASSERT_EQ(KERN_SUCCESS, rmach_ring_create(4, &ring));
	fill(&a, p, 1);
	fill(&b, p, 2);
	ASSERT_EQ(KERN_SUCCESS, rmach_ring_send(ring, &a.h, 1));
	ASSERT_EQ(KERN_SUCCESS, rmach_ring_send(ring, &b.h, 2));
	ASSERT_EQ(2, rmach_ring_submit(ring));
	ASSERT_EQ(2, rmach_ring_reap(ring, c, 2, 2));
	EXPECT_EQ(1u, c[0].tag);
	EXPECT_EQ(MACH_MSG_SUCCESS, c[0].kr);
	EXPECT_EQ(2u, c[1].tag);
	EXPECT_EQ(MACH_SEND_TIMED_OUT, c[1].kr);
	rmach_ring_destroy(ring);
	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), p));
}

/*
 * rmach_ring_call: the request goes out at submission, the completion comes
 * with the reply the server sent on the request's send-once right.
 */
TEST(call_completes_with_reply)
{
	struct rmach_ring_completion c[1];
	struct small req, rep, got;
	mach_port_name_t service = port_with_send(), reply_port;
	rmach_ring_t *ring;

	ASSERT_NE(MACH_PORT_NULL, service);
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(mach_task_self(),
			MACH_PORT_RIGHT_RECEIVE, &reply_port));
	ASSERT_EQ(KERN_SUCCESS, rmach_ring_create(4, &ring));
	fill(&req, service, 31);
	req.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
					 MACH_MSG_TYPE_MAKE_SEND_ONCE);
	req.h.msgh_local_port = reply_port;
	ASSERT_EQ(KERN_SUCCESS, rmach_ring_call(ring, &req.h, reply_port,
						&rep.h, sizeof(rep), 9));
	ASSERT_EQ(1, rmach_ring_submit(ring));
	EXPECT_EQ(0, rmach_ring_reap(ring, c, 1, 0));

	/* The server side, with mach_msg. */
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&got.h, MACH_RCV_MSG, 0,
					     sizeof(got), service, 0,
					     MACH_PORT_NULL));
	EXPECT_EQ(31u, (uint32_t)got.h.msgh_id);
	fill(&got, got.h.msgh_remote_port, 32);
	got.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&got.h, MACH_SEND_MSG,
					     sizeof(got), 0, MACH_PORT_NULL,
					     0, MACH_PORT_NULL));

	ASSERT_EQ(1, rmach_ring_reap(ring, c, 1, 1));
	EXPECT_EQ(9u, c[0].tag);
	EXPECT_EQ(RMACH_RING_CALL, c[0].op);
	EXPECT_EQ(MACH_MSG_SUCCESS, c[0].kr);
	EXPECT_EQ(&rep.h, c[0].msg);
	EXPECT_EQ(sizeof(rep), c[0].size);
	EXPECT_EQ(32u, (uint32_t)rep.h.msgh_id);
	EXPECT_EQ(96u, rep.value);

	/* A dead destination: a send error, nothing parked. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), service,
			MACH_PORT_RIGHT_RECEIVE, -1));
	ASSERT_EQ(KERN_SUCCESS, rmach_ring_call(ring, &req.h, reply_port,
						&rep.h, sizeof(rep), 10));
	ASSERT_EQ(1, rmach_ring_submit(ring));
	ASSERT_EQ(1, rmach_ring_reap(ring, c, 1, 1));
	EXPECT_EQ(RMACH_RING_CALL, c[0].op);
	EXPECT_EQ(MACH_SEND_INVALID_DEST, c[0].kr);
	rmach_ring_destroy(ring);
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), service));
	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), reply_port));
}

TEST_HARNESS_MAIN
