// SPDX-License-Identifier: GPL-2.0
/*
 * Message semantics within one process (threads play the peers): header
 * translation, queue limits with timeout 0 and N, blocking senders, receive
 * timeouts, signals, O_NONBLOCK, port sets, poll/epoll, call with a reply.
 */
#include <poll.h>
#include <pthread.h>
#include <sys/epoll.h>
#include "kselftest_harness.h"
#include "rmach_test.h"

FIXTURE(msg) {
	int fd;
	uint32_t port;		/* receive + send right */
	struct rm_counters base;
};

FIXTURE_SETUP(msg)
{
	rm_counters_read(&self->base);
	self->fd = rm_open();
	ASSERT_LE(0, self->fd);
	self->port = rm_port_with_send(self->fd);
	ASSERT_NE(0u, self->port);
}

FIXTURE_TEARDOWN(msg)
{
	close(self->fd);
	RM_EXPECT_BASELINE(&self->base);
}

TEST_F(msg, header_and_data)
{
	struct rm_msg m;
	uint32_t reply;

	ASSERT_EQ(0, rm_alloc(self->fd, RMACH_RIGHT_RECEIVE, &reply));
	rm_msg_init(&m, self->port, RMACH_MSG_TYPE_COPY_SEND, reply,
		    RMACH_MSG_TYPE_MAKE_SEND_ONCE, 77, "hello", 5);
	ASSERT_EQ(0, rm_send_msg(self->fd, &m, 0));
	memset(&m, 0, sizeof(m));
	ASSERT_EQ(0, rm_recv(self->fd, self->port, &m, 0));
	EXPECT_EQ(77u, m.h.id);
	EXPECT_EQ(sizeof(m.h) + 5, m.h.size);
	EXPECT_EQ(0, memcmp(m.u.data, "hello", 5));
	/* Swapped as in Mach: local = where it arrived, remote = reply. */
	EXPECT_EQ(self->port, m.h.local_port);
	EXPECT_EQ(RMACH_MSG_TYPE_PORT_SEND, RMACH_MSGH_BITS_LOCAL(m.h.bits));
	EXPECT_NE(0u, m.h.remote_port);
	EXPECT_EQ(RMACH_MSG_TYPE_PORT_SEND_ONCE,
		  RMACH_MSGH_BITS_REMOTE(m.h.bits));
	EXPECT_EQ(RMACH_TYPE_SEND_ONCE, rm_type(self->fd, m.h.remote_port));
	/* Answer on the send-once right: it is consumed. */
	do {
		uint32_t so = m.h.remote_port;

		rm_msg_init(&m, so, RMACH_MSG_TYPE_MOVE_SEND_ONCE, 0, 0, 78,
			    "ok", 2);
		ASSERT_EQ(0, rm_send_msg(self->fd, &m, 0));
		EXPECT_EQ(-ENOENT, rm_name_op(self->fd, RMACH_IOC_PORT_TYPE, so));
	} while (0);
	ASSERT_EQ(0, rm_recv(self->fd, reply, &m, 0));
	EXPECT_EQ(78u, m.h.id);
	EXPECT_EQ(0u, m.h.remote_port);
	EXPECT_EQ(0u, m.h.bits & RMACH_MSGH_BITS_COMPLEX);
}

TEST_F(msg, fifo_order_and_seqno)
{
	struct rmach_port_attr a;
	struct rm_msg m;
	uint32_t i;

	ASSERT_EQ(0, rm_qlimit(self->fd, self->port, 100));
	for (i = 0; i < 50; i++)
		ASSERT_EQ(0, rm_send(self->fd, self->port,
				     RMACH_MSG_TYPE_COPY_SEND, i, &i, 4, 0));
	ASSERT_EQ(0, rm_attr(self->fd, self->port, &a));
	EXPECT_EQ(50u, a.msgcount);
	for (i = 0; i < 50; i++) {
		ASSERT_EQ(0, rm_recv(self->fd, self->port, &m, 0));
		EXPECT_EQ(i, m.h.id);
	}
	ASSERT_EQ(0, rm_attr(self->fd, self->port, &a));
	EXPECT_EQ(0u, a.msgcount);
	EXPECT_EQ(50u, a.seqno);
}

TEST_F(msg, qlimit_timeout_zero_and_n)
{
	uint64_t t0, dt;
	struct rm_msg m;
	uint32_t so;
	struct rmach_port_right r = { .name = 0 };

	ASSERT_EQ(0, rm_qlimit(self->fd, self->port, 2));
	ASSERT_EQ(0, rm_send(self->fd, self->port, RMACH_MSG_TYPE_COPY_SEND, 1,
			     NULL, 0, 0));
	ASSERT_EQ(0, rm_send(self->fd, self->port, RMACH_MSG_TYPE_COPY_SEND, 2,
			     NULL, 0, 0));
	/* Full: timeout 0 fails at once, timeout N after N ms. */
	EXPECT_EQ(-EAGAIN, rm_send(self->fd, self->port,
				   RMACH_MSG_TYPE_COPY_SEND, 3, NULL, 0, 0));
	t0 = rm_now_ms();
	EXPECT_EQ(-ETIMEDOUT, rm_send(self->fd, self->port,
				      RMACH_MSG_TYPE_COPY_SEND, 3, NULL, 0, 150));
	dt = rm_now_ms() - t0;
	EXPECT_GE(dt, 140u);
	EXPECT_LT(dt, 5000u);
	/* A send-once message bypasses the queue limit. */
	r.name = self->port;
	r.disposition = RMACH_MSG_TYPE_MAKE_SEND_ONCE;
	ASSERT_EQ(0, rm_ioctl(self->fd, RMACH_IOC_PORT_EXTRACT_RIGHT, &r));
	so = r.poly;
	EXPECT_EQ(0, rm_send(self->fd, so, RMACH_MSG_TYPE_MOVE_SEND_ONCE, 4,
			     NULL, 0, 0));
	/* Receive timeouts on an empty port. */
	ASSERT_EQ(0, rm_recv(self->fd, self->port, &m, 0));
	ASSERT_EQ(0, rm_recv(self->fd, self->port, &m, 0));
	ASSERT_EQ(0, rm_recv(self->fd, self->port, &m, 0));
	EXPECT_EQ(4u, m.h.id);
	EXPECT_EQ(-EAGAIN, rm_recv(self->fd, self->port, &m, 0));
	t0 = rm_now_ms();
	EXPECT_EQ(-ETIMEDOUT, rm_recv(self->fd, self->port, &m, 120));
	dt = rm_now_ms() - t0;
	EXPECT_GE(dt, 110u);
	EXPECT_LT(dt, 5000u);
}

struct sender_arg {
	int fd;
	uint32_t port;
	int result;
	uint64_t done_ms;
};

static void *blocking_sender(void *p)
{
	struct sender_arg *a = p;

	a->result = rm_send(a->fd, a->port, RMACH_MSG_TYPE_COPY_SEND, 9, "z",
			    1, -1);
	a->done_ms = rm_now_ms();
	return NULL;
}

TEST_F(msg, full_queue_blocks_sender_until_receive)
{
	struct sender_arg a = { .fd = self->fd, .port = self->port };
	struct rm_msg m;
	uint64_t rcv_ms;
	pthread_t t;

	ASSERT_EQ(0, rm_qlimit(self->fd, self->port, 1));
	ASSERT_EQ(0, rm_send(self->fd, self->port, RMACH_MSG_TYPE_COPY_SEND, 1,
			     NULL, 0, 0));
	ASSERT_EQ(0, pthread_create(&t, NULL, blocking_sender, &a));
	usleep(200000);
	EXPECT_EQ(0u, a.done_ms);	/* still blocked */
	rcv_ms = rm_now_ms();
	ASSERT_EQ(0, rm_recv(self->fd, self->port, &m, 0));
	EXPECT_EQ(1u, m.h.id);
	pthread_join(t, NULL);
	EXPECT_EQ(0, a.result);
	EXPECT_GE(a.done_ms, rcv_ms);
	ASSERT_EQ(0, rm_recv(self->fd, self->port, &m, 1000));
	EXPECT_EQ(9u, m.h.id);
}

TEST_F(msg, destroying_port_wakes_blocked_sender_with_epipe)
{
	struct sender_arg a = { .fd = self->fd, .port = self->port };
	pthread_t t;

	ASSERT_EQ(0, rm_qlimit(self->fd, self->port, 1));
	ASSERT_EQ(0, rm_send(self->fd, self->port, RMACH_MSG_TYPE_COPY_SEND, 1,
			     NULL, 0, 0));
	ASSERT_EQ(0, pthread_create(&t, NULL, blocking_sender, &a));
	usleep(200000);
	ASSERT_EQ(0, rm_mod_refs(self->fd, self->port, RMACH_RIGHT_RECEIVE, -1));
	pthread_join(t, NULL);
	EXPECT_EQ(-EPIPE, a.result);
	EXPECT_EQ(RMACH_TYPE_DEAD_NAME, rm_type(self->fd, self->port));
}

static void on_usr1(int sig)
{
	(void)sig;
}

struct rcv_arg {
	int fd;
	uint32_t port;
	int timeout;
	int result;
	uint32_t id;
};

static void *blocking_receiver(void *p)
{
	struct rcv_arg *a = p;
	struct rm_msg m;

	a->result = rm_recv(a->fd, a->port, &m, a->timeout);
	a->id = a->result ? 0 : m.h.id;
	return NULL;
}

TEST_F(msg, signal_interrupts_receive)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	struct rcv_arg a = { .fd = self->fd, .port = self->port, .timeout = -1 };
	pthread_t t;

	/* Without SA_RESTART: EINTR. */
	sigemptyset(&sa.sa_mask);
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	ASSERT_EQ(0, pthread_create(&t, NULL, blocking_receiver, &a));
	usleep(200000);
	pthread_kill(t, SIGUSR1);
	pthread_join(t, NULL);
	EXPECT_EQ(-EINTR, a.result);

	/* With a timeout: EINTR as well (never restarted). */
	a.timeout = 5000;
	ASSERT_EQ(0, pthread_create(&t, NULL, blocking_receiver, &a));
	usleep(200000);
	pthread_kill(t, SIGUSR1);
	pthread_join(t, NULL);
	EXPECT_EQ(-EINTR, a.result);

	/* SA_RESTART and no timeout: the receive goes on and gets the
	 * message sent after the signal. */
	sa.sa_flags = SA_RESTART;
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	a.timeout = -1;
	ASSERT_EQ(0, pthread_create(&t, NULL, blocking_receiver, &a));
	usleep(200000);
	pthread_kill(t, SIGUSR1);
	usleep(100000);
	ASSERT_EQ(0, rm_send(self->fd, self->port, RMACH_MSG_TYPE_COPY_SEND, 5,
			     NULL, 0, 0));
	pthread_join(t, NULL);
	EXPECT_EQ(0, a.result);
	EXPECT_EQ(5u, a.id);
	signal(SIGUSR1, SIG_DFL);
}

TEST_F(msg, receiver_woken_when_port_dies_or_changes)
{
	struct rcv_arg a = { .fd = self->fd, .port = self->port, .timeout = 5000 };
	struct rmach_portset_member mb;
	uint32_t set;
	pthread_t t;

	/* The port joins a set while a thread waits on it: ESTALE. */
	ASSERT_EQ(0, rm_alloc(self->fd, RMACH_RIGHT_PORT_SET, &set));
	ASSERT_EQ(0, pthread_create(&t, NULL, blocking_receiver, &a));
	usleep(200000);
	mb.set = set;
	mb.member = self->port;
	ASSERT_EQ(0, rm_ioctl(self->fd, RMACH_IOC_PORTSET_ADD, &mb));
	pthread_join(t, NULL);
	EXPECT_EQ(-ESTALE, a.result);

	/* The port is destroyed while a thread waits on it: EPIPE. */
	ASSERT_EQ(0, pthread_create(&t, NULL, blocking_receiver, &a));
	usleep(200000);
	ASSERT_EQ(0, rm_mod_refs(self->fd, self->port, RMACH_RIGHT_RECEIVE, -1));
	pthread_join(t, NULL);
	EXPECT_EQ(-EPIPE, a.result);
}

TEST_F(msg, nonblocking_fd)
{
	struct rm_msg m;

	ASSERT_EQ(0, fcntl(self->fd, F_SETFL, O_NONBLOCK));
	EXPECT_EQ(-EAGAIN, rm_recv(self->fd, self->port, &m, -1));
	ASSERT_EQ(0, rm_qlimit(self->fd, self->port, 1));
	ASSERT_EQ(0, rm_send(self->fd, self->port, RMACH_MSG_TYPE_COPY_SEND, 1,
			     NULL, 0, -1));
	EXPECT_EQ(-EAGAIN, rm_send(self->fd, self->port,
				   RMACH_MSG_TYPE_COPY_SEND, 2, NULL, 0, -1));
	/* An explicit timeout still waits. */
	EXPECT_EQ(-ETIMEDOUT, rm_send(self->fd, self->port,
				      RMACH_MSG_TYPE_COPY_SEND, 2, NULL, 0, 50));
}

TEST_F(msg, port_set_receive)
{
	struct rmach_portset_member mb;
	uint32_t p2, set, got[2];
	struct rm_msg m;
	struct rcv_arg a;
	pthread_t t;

	p2 = rm_port_with_send(self->fd);
	ASSERT_NE(0u, p2);
	ASSERT_EQ(0, rm_alloc(self->fd, RMACH_RIGHT_PORT_SET, &set));
	mb.set = set;
	mb.member = self->port;
	ASSERT_EQ(0, rm_ioctl(self->fd, RMACH_IOC_PORTSET_ADD, &mb));
	mb.member = p2;
	ASSERT_EQ(0, rm_ioctl(self->fd, RMACH_IOC_PORTSET_ADD, &mb));

	ASSERT_EQ(0, rm_send(self->fd, p2, RMACH_MSG_TYPE_COPY_SEND, 2, NULL,
			     0, 0));
	ASSERT_EQ(0, rm_send(self->fd, self->port, RMACH_MSG_TYPE_COPY_SEND, 1,
			     NULL, 0, 0));
	ASSERT_EQ(0, rm_recv(self->fd, set, &m, 0));
	got[0] = m.h.local_port;
	EXPECT_EQ(m.h.id, got[0] == p2 ? 2u : 1u);
	ASSERT_EQ(0, rm_recv(self->fd, set, &m, 0));
	got[1] = m.h.local_port;
	EXPECT_NE(got[0], got[1]);
	EXPECT_EQ(-EAGAIN, rm_recv(self->fd, set, &m, 0));

	/* A receiver blocked on the set wakes for a message to a member. */
	a = (struct rcv_arg){ .fd = self->fd, .port = set, .timeout = 5000 };
	ASSERT_EQ(0, pthread_create(&t, NULL, blocking_receiver, &a));
	usleep(100000);
	ASSERT_EQ(0, rm_send(self->fd, p2, RMACH_MSG_TYPE_COPY_SEND, 3, NULL,
			     0, 0));
	pthread_join(t, NULL);
	EXPECT_EQ(0, a.result);
	EXPECT_EQ(3u, a.id);
}

static void *delayed_send(void *p)
{
	struct sender_arg *a = p;

	usleep(150000);
	a->result = rm_send(a->fd, a->port, RMACH_MSG_TYPE_COPY_SEND, 11, NULL,
			    0, 0);
	return NULL;
}

TEST_F(msg, poll_and_epoll)
{
	struct rmach_port_name pp = { .name = self->port };
	struct sender_arg a = { .fd = self->fd, .port = self->port };
	struct pollfd pfd = { .fd = self->fd, .events = POLLIN };
	struct epoll_event ev = { .events = EPOLLIN }, out;
	struct rm_msg m;
	pthread_t t;
	int ep;

	/* No poll port yet: nothing to report. */
	EXPECT_EQ(0, poll(&pfd, 1, 0));
	ASSERT_EQ(0, rm_ioctl(self->fd, RMACH_IOC_POLL_PORT, &pp));
	EXPECT_EQ(0, poll(&pfd, 1, 50));
	ASSERT_EQ(0, pthread_create(&t, NULL, delayed_send, &a));
	EXPECT_EQ(1, poll(&pfd, 1, 5000));
	EXPECT_EQ(POLLIN, pfd.revents & POLLIN);
	pthread_join(t, NULL);
	ASSERT_EQ(0, a.result);
	ASSERT_EQ(0, rm_recv(self->fd, self->port, &m, 0));
	EXPECT_EQ(0, poll(&pfd, 1, 0));

	ep = epoll_create1(EPOLL_CLOEXEC);
	ASSERT_LE(0, ep);
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, self->fd, &ev));
	EXPECT_EQ(0, epoll_wait(ep, &out, 1, 50));
	ASSERT_EQ(0, pthread_create(&t, NULL, delayed_send, &a));
	EXPECT_EQ(1, epoll_wait(ep, &out, 1, 5000));
	EXPECT_NE(0u, out.events & EPOLLIN);
	pthread_join(t, NULL);
	ASSERT_EQ(0, rm_recv(self->fd, self->port, &m, 0));
	close(ep);

	/* The polled port dies: EPOLLERR. */
	ASSERT_EQ(0, rm_mod_refs(self->fd, self->port, RMACH_RIGHT_RECEIVE, -1));
	pfd.revents = 0;
	EXPECT_EQ(1, poll(&pfd, 1, 0));
	EXPECT_NE(0, pfd.revents & POLLERR);
}

struct server_arg {
	int fd;
	uint32_t port;
	int n;
	int errors;
};

/* Echo server thread: answers n requests with id + 1000. */
static void *echo_thread(void *p)
{
	struct server_arg *a = p;
	struct rm_msg m;
	int i;

	for (i = 0; i < a->n; i++) {
		uint32_t reply;

		if (rm_recv(a->fd, a->port, &m, 5000)) {
			a->errors++;
			return NULL;
		}
		reply = m.h.remote_port;
		rm_msg_init(&m, reply, RMACH_MSG_TYPE_MOVE_SEND_ONCE, 0, 0,
			    m.h.id + 1000, m.u.data, m.h.size - sizeof(m.h));
		if (rm_send_msg(a->fd, &m, 0))
			a->errors++;
	}
	return NULL;
}

TEST_F(msg, call_gets_reply)
{
	struct server_arg s = { .fd = self->fd, .port = self->port, .n = 100 };
	struct rmach_msg_args a;
	struct rm_msg m;
	uint32_t reply;
	pthread_t t;
	int i;

	ASSERT_EQ(0, rm_alloc(self->fd, RMACH_RIGHT_RECEIVE, &reply));
	ASSERT_EQ(0, pthread_create(&t, NULL, echo_thread, &s));
	for (i = 0; i < 100; i++) {
		rm_msg_init(&m, self->port, RMACH_MSG_TYPE_COPY_SEND, reply,
			    RMACH_MSG_TYPE_MAKE_SEND_ONCE, i, &i, sizeof(i));
		memset(&a, 0, sizeof(a));
		a.options = RMACH_MSG_SEND | RMACH_MSG_RCV | RMACH_MSG_RCV_TIMEOUT;
		a.send_msg = a.rcv_msg = (uintptr_t)&m;	/* one buffer */
		a.send_size = m.h.size;
		a.rcv_size = sizeof(m);
		a.rcv_name = reply;
		a.rcv_timeout_ms = 5000;
		ASSERT_EQ(0, rm_ioctl(self->fd, RMACH_IOC_MSG, &a));
		EXPECT_EQ(RMACH_MSG_SENT | RMACH_MSG_RECEIVED, a.status);
		EXPECT_EQ((uint32_t)i + 1000, m.h.id);
		EXPECT_EQ(0, memcmp(m.u.data, &i, sizeof(i)));
		EXPECT_EQ(reply, m.h.local_port);
	}
	pthread_join(t, NULL);
	EXPECT_EQ(0, s.errors);
}

TEST_F(msg, call_send_error_and_receive_timeout_status)
{
	struct rmach_msg_args a;
	struct rm_msg m;
	uint32_t reply;

	ASSERT_EQ(0, rm_alloc(self->fd, RMACH_RIGHT_RECEIVE, &reply));
	/* The send fails: nothing sent, status says so. */
	rm_msg_init(&m, 0x00fefe00, RMACH_MSG_TYPE_COPY_SEND, reply,
		    RMACH_MSG_TYPE_MAKE_SEND_ONCE, 1, NULL, 0);
	memset(&a, 0, sizeof(a));
	a.options = RMACH_MSG_SEND | RMACH_MSG_RCV | RMACH_MSG_RCV_TIMEOUT;
	a.send_msg = a.rcv_msg = (uintptr_t)&m;
	a.send_size = m.h.size;
	a.rcv_size = sizeof(m);
	a.rcv_name = reply;
	a.rcv_timeout_ms = 0;
	EXPECT_EQ(-ENOENT, rm_ioctl(self->fd, RMACH_IOC_MSG, &a));
	EXPECT_EQ(0u, a.status);
	/* Bad reply port: ENOENT flagged as the reply's. */
	rm_msg_init(&m, self->port, RMACH_MSG_TYPE_COPY_SEND, 0x00fefe00,
		    RMACH_MSG_TYPE_MAKE_SEND_ONCE, 1, NULL, 0);
	a.status = 0;
	a.send_size = m.h.size;
	a.rcv_size = sizeof(m);
	EXPECT_EQ(-ENOENT, rm_ioctl(self->fd, RMACH_IOC_MSG, &a));
	EXPECT_EQ(RMACH_MSG_ERR_REPLY, a.status);
	/* The send works, no reply comes: EAGAIN from the receive. */
	rm_msg_init(&m, self->port, RMACH_MSG_TYPE_COPY_SEND, reply,
		    RMACH_MSG_TYPE_MAKE_SEND_ONCE, 1, NULL, 0);
	a.status = 0;
	a.send_size = m.h.size;
	a.rcv_size = sizeof(m);
	EXPECT_EQ(-EAGAIN, rm_ioctl(self->fd, RMACH_IOC_MSG, &a));
	EXPECT_EQ(RMACH_MSG_SENT | RMACH_MSG_ERR_RCV, a.status);
	/* The request is queued with its send-once reply right. */
	ASSERT_EQ(0, rm_recv(self->fd, self->port, &m, 0));
	EXPECT_EQ(RMACH_TYPE_SEND_ONCE, rm_type(self->fd, m.h.remote_port));
	/* Dropping it sends a send-once notification to the reply port. */
	EXPECT_EQ(0, rm_name_op(self->fd, RMACH_IOC_PORT_DEALLOCATE,
				m.h.remote_port));
	ASSERT_EQ(0, rm_recv(self->fd, reply, &m, 0));
	EXPECT_EQ(RMACH_NOTIFY_SEND_ONCE, m.h.id);
}

TEST_F(msg, descriptors_in_one_space)
{
	struct rmach_port_descriptor d[2];
	uint32_t p2;
	struct rm_msg m;

	ASSERT_EQ(0, rm_alloc(self->fd, RMACH_RIGHT_RECEIVE, &p2));
	d[0] = (struct rmach_port_descriptor){ .name = p2,
		.disposition = RMACH_MSG_TYPE_MAKE_SEND };
	d[1] = (struct rmach_port_descriptor){ .name = p2,
		.disposition = RMACH_MSG_TYPE_MAKE_SEND_ONCE };
	rm_msg_init(&m, self->port, RMACH_MSG_TYPE_COPY_SEND, 0, 0, 5, NULL, 0);
	rm_msg_descs(&m, d, 2);
	/* Data follows the descriptors directly. */
	memcpy(&m.u.cx.d[2], "tail", 4);
	m.h.size += 4;
	ASSERT_EQ(0, rm_send_msg(self->fd, &m, 0));
	memset(&m, 0, sizeof(m));
	ASSERT_EQ(0, rm_recv(self->fd, self->port, &m, 0));
	ASSERT_EQ(2u, m.h.desc_count);
	EXPECT_NE(0u, m.h.bits & RMACH_MSGH_BITS_COMPLEX);
	/* Our own port: the send right merges into p2's name. */
	EXPECT_EQ(p2, m.u.cx.d[0].name);
	EXPECT_EQ(RMACH_MSG_TYPE_PORT_SEND, m.u.cx.d[0].disposition);
	EXPECT_EQ(RMACH_MSG_TYPE_PORT_SEND_ONCE, m.u.cx.d[1].disposition);
	EXPECT_EQ(RMACH_TYPE_SEND_ONCE, rm_type(self->fd, m.u.cx.d[1].name));
	EXPECT_EQ(sizeof(m.h) + 2 * sizeof(d[0]) + 4, m.h.size);
	EXPECT_EQ(0, memcmp(&m.u.cx.d[2], "tail", 4));
	EXPECT_EQ(1, rm_refs(self->fd, p2, RMACH_RIGHT_SEND));
	/* A descriptor naming nothing fails the whole send. */
	d[0].name = 0x00adad00;
	rm_msg_init(&m, self->port, RMACH_MSG_TYPE_COPY_SEND, 0, 0, 6, NULL, 0);
	rm_msg_descs(&m, d, 1);
	EXPECT_EQ(-ENOENT, rm_send_msg(self->fd, &m, 0));
	d[0].name = p2;
	d[0].disposition = 3;
	rm_msg_init(&m, self->port, RMACH_MSG_TYPE_COPY_SEND, 0, 0, 6, NULL, 0);
	rm_msg_descs(&m, d, 1);
	EXPECT_EQ(-EINVAL, rm_send_msg(self->fd, &m, 0));
	EXPECT_EQ(-EAGAIN, rm_recv(self->fd, self->port, &m, 0));
}

TEST_HARNESS_MAIN
