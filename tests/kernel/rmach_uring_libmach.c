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

TEST_HARNESS_MAIN
