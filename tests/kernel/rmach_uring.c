// SPDX-License-Identifier: GPL-2.0
/*
 * IORING_OP_URING_CMD on /dev/rmach: sends complete at once, receives park
 * and complete when a message arrives, a call sends and parks on its reply
 * port, parked receives end when the ring is closed, the space is closed or
 * the process is killed, bad commands fail.
 */
#include <liburing.h>
#include "kselftest_harness.h"
#include "rmach_test.h"

#define NPORTS 128

static void prep_cmd(struct io_uring_sqe *sqe, int fd, uint32_t op,
		     struct rmach_msg_args *a, uint64_t tag)
{
	struct rmach_uring_cmd *c;

	io_uring_prep_rw(IORING_OP_URING_CMD, sqe, fd, NULL, 0, 0);
	sqe->cmd_op = op;
	c = (struct rmach_uring_cmd *)sqe->cmd;
	memset(c, 0, sizeof(*c));
	c->args = (uintptr_t)a;
	io_uring_sqe_set_data64(sqe, tag);
}

static void rcv_args(struct rmach_msg_args *a, uint32_t port, struct rm_msg *m)
{
	memset(a, 0, sizeof(*a));
	a->options = RMACH_MSG_RCV;
	a->rcv_msg = (uintptr_t)m;
	a->rcv_size = sizeof(*m);
	a->rcv_name = port;
}

/* The only CQE for a single command; its res. */
static int one_cqe(struct io_uring *ring, uint64_t *tag)
{
	struct io_uring_cqe *cqe;
	int res;

	if (io_uring_wait_cqe(ring, &cqe))
		return -9999;
	res = cqe->res;
	if (tag)
		*tag = cqe->user_data;
	io_uring_cqe_seen(ring, cqe);
	return res;
}

/* No CQE within 50 ms. */
static int no_cqe(struct io_uring *ring)
{
	struct __kernel_timespec ts = { .tv_nsec = 50 * 1000 * 1000 };
	struct io_uring_cqe *cqe;

	return io_uring_wait_cqe_timeout(ring, &cqe, &ts) == -ETIME;
}

FIXTURE(uring) {
	int fd;
	struct io_uring ring;
	uint32_t port;
	struct rm_counters base;
};

FIXTURE_SETUP(uring)
{
	rm_counters_read(&self->base);
	self->fd = rm_open();
	ASSERT_LE(0, self->fd);
	self->port = rm_port_with_send(self->fd);
	ASSERT_NE(0u, self->port);
	ASSERT_EQ(0, io_uring_queue_init(512, &self->ring, 0));
}

FIXTURE_TEARDOWN(uring)
{
	io_uring_queue_exit(&self->ring);
	close(self->fd);
	RM_EXPECT_BASELINE(&self->base);
}

TEST_F(uring, feature_bit)
{
	struct rmach_version v;

	ASSERT_EQ(0, rm_ioctl(self->fd, RMACH_IOC_VERSION, &v));
	EXPECT_NE(0ull, (unsigned long long)(v.features & RMACH_FEAT_URING_CMD));
}

TEST_F(uring, bad_commands)
{
	struct rmach_msg_args a;
	struct rm_msg m;
	struct io_uring_sqe *sqe;

	rcv_args(&a, self->port, &m);
	sqe = io_uring_get_sqe(&self->ring);
	prep_cmd(sqe, self->fd, 99, &a, 1);
	ASSERT_EQ(1, io_uring_submit(&self->ring));
	EXPECT_EQ(-EINVAL, one_cqe(&self->ring, NULL));

	sqe = io_uring_get_sqe(&self->ring);
	prep_cmd(sqe, self->fd, RMACH_URING_RCV, &a, 2);
	((struct rmach_uring_cmd *)sqe->cmd)->reserved = 1;
	ASSERT_EQ(1, io_uring_submit(&self->ring));
	EXPECT_EQ(-EINVAL, one_cqe(&self->ring, NULL));

	sqe = io_uring_get_sqe(&self->ring);
	prep_cmd(sqe, self->fd, RMACH_URING_RCV, &a, 3);
	((struct rmach_uring_cmd *)sqe->cmd)->flags = 1;
	ASSERT_EQ(1, io_uring_submit(&self->ring));
	EXPECT_EQ(-EINVAL, one_cqe(&self->ring, NULL));

	/* args reserved field, and options that do not match the op */
	a.reserved = 1;
	sqe = io_uring_get_sqe(&self->ring);
	prep_cmd(sqe, self->fd, RMACH_URING_RCV, &a, 4);
	ASSERT_EQ(1, io_uring_submit(&self->ring));
	EXPECT_EQ(-EINVAL, one_cqe(&self->ring, NULL));
	rcv_args(&a, self->port, &m);
	sqe = io_uring_get_sqe(&self->ring);
	prep_cmd(sqe, self->fd, RMACH_URING_SEND, &a, 5);
	ASSERT_EQ(1, io_uring_submit(&self->ring));
	EXPECT_EQ(-EINVAL, one_cqe(&self->ring, NULL));

	/* bad args pointer, bad port */
	sqe = io_uring_get_sqe(&self->ring);
	prep_cmd(sqe, self->fd, RMACH_URING_RCV, NULL, 6);
	((struct rmach_uring_cmd *)sqe->cmd)->args = 8;
	ASSERT_EQ(1, io_uring_submit(&self->ring));
	EXPECT_EQ(-EFAULT, one_cqe(&self->ring, NULL));
	rcv_args(&a, 0x12345, &m);
	sqe = io_uring_get_sqe(&self->ring);
	prep_cmd(sqe, self->fd, RMACH_URING_RCV, &a, 7);
	ASSERT_EQ(1, io_uring_submit(&self->ring));
	EXPECT_EQ(-ENOENT, one_cqe(&self->ring, NULL));

	/* A receive may not park from io-wq (IOSQE_ASYNC); a send may. */
	rcv_args(&a, self->port, &m);
	sqe = io_uring_get_sqe(&self->ring);
	prep_cmd(sqe, self->fd, RMACH_URING_RCV, &a, 8);
	sqe->flags |= IOSQE_ASYNC;
	ASSERT_EQ(1, io_uring_submit(&self->ring));
	EXPECT_EQ(-EOPNOTSUPP, one_cqe(&self->ring, NULL));
	rm_msg_init(&m, self->port, RMACH_MSG_TYPE_COPY_SEND, 0, 0, 9, NULL, 0);
	memset(&a, 0, sizeof(a));
	a.options = RMACH_MSG_SEND;
	a.send_msg = (uintptr_t)&m;
	a.send_size = m.h.size;
	sqe = io_uring_get_sqe(&self->ring);
	prep_cmd(sqe, self->fd, RMACH_URING_SEND, &a, 9);
	sqe->flags |= IOSQE_ASYNC;
	ASSERT_EQ(1, io_uring_submit(&self->ring));
	EXPECT_EQ(0, one_cqe(&self->ring, NULL));
	EXPECT_EQ(0, rm_recv(self->fd, self->port, &m, 0));
	EXPECT_EQ(9u, m.h.id);
}

TEST_F(uring, send_then_receive)
{
	struct rmach_msg_args sa = { 0 }, ra;
	struct rm_msg sm, rm;
	struct io_uring_sqe *sqe;

	rm_msg_init(&sm, self->port, RMACH_MSG_TYPE_COPY_SEND, 0, 0, 77,
		    "hello", 5);
	sa.options = RMACH_MSG_SEND;
	sa.send_msg = (uintptr_t)&sm;
	sa.send_size = sm.h.size;
	sqe = io_uring_get_sqe(&self->ring);
	prep_cmd(sqe, self->fd, RMACH_URING_SEND, &sa, 1);
	ASSERT_EQ(1, io_uring_submit(&self->ring));
	ASSERT_EQ(0, one_cqe(&self->ring, NULL));
	EXPECT_EQ(RMACH_MSG_SENT, sa.status);

	/* Queued already: completes at once. */
	rcv_args(&ra, self->port, &rm);
	sqe = io_uring_get_sqe(&self->ring);
	prep_cmd(sqe, self->fd, RMACH_URING_RCV, &ra, 2);
	ASSERT_EQ(1, io_uring_submit(&self->ring));
	ASSERT_EQ(24 + 5, one_cqe(&self->ring, NULL));
	EXPECT_EQ(77u, rm.h.id);
	EXPECT_EQ(0, memcmp(rm.u.data, "hello", 5));
	EXPECT_EQ(RMACH_MSG_RECEIVED, ra.status);
}

TEST_F(uring, parked_receive_gets_message)
{
	struct rmach_msg_args ra;
	struct rm_msg rm;
	struct io_uring_sqe *sqe;
	uint64_t tag;

	rcv_args(&ra, self->port, &rm);
	sqe = io_uring_get_sqe(&self->ring);
	prep_cmd(sqe, self->fd, RMACH_URING_RCV, &ra, 42);
	ASSERT_EQ(1, io_uring_submit(&self->ring));
	EXPECT_TRUE(no_cqe(&self->ring));
	ASSERT_EQ(0, rm_send(self->fd, self->port, RMACH_MSG_TYPE_COPY_SEND,
			     5, "abc", 3, 0));
	ASSERT_EQ(24 + 3, one_cqe(&self->ring, &tag));
	EXPECT_EQ(42u, tag);
	EXPECT_EQ(5u, rm.h.id);
	EXPECT_EQ(self->port, rm.h.local_port);
	EXPECT_EQ(0, memcmp(rm.u.data, "abc", 3));
	EXPECT_EQ(27u, ra.rcv_size);
}

/* 128 receives parked on 128 ports, completed by 128 sends over the ring. */
TEST_F(uring, many_parked_across_ports)
{
	static struct rmach_msg_args ra[NPORTS], sa[NPORTS];
	static struct rm_msg rm[NPORTS], sm[NPORTS];
	uint32_t ports[NPORTS];
	int i, got_rcv = 0, got_send = 0;

	for (i = 0; i < NPORTS; i++) {
		ports[i] = rm_port_with_send(self->fd);
		ASSERT_NE(0u, ports[i]);
		rcv_args(&ra[i], ports[i], &rm[i]);
		prep_cmd(io_uring_get_sqe(&self->ring), self->fd,
			 RMACH_URING_RCV, &ra[i], i);
	}
	ASSERT_EQ(NPORTS, io_uring_submit(&self->ring));
	EXPECT_TRUE(no_cqe(&self->ring));
	for (i = 0; i < NPORTS; i++) {
		rm_msg_init(&sm[i], ports[i], RMACH_MSG_TYPE_COPY_SEND, 0, 0,
			    1000 + i, &i, sizeof(i));
		memset(&sa[i], 0, sizeof(sa[i]));
		sa[i].options = RMACH_MSG_SEND;
		sa[i].send_msg = (uintptr_t)&sm[i];
		sa[i].send_size = sm[i].h.size;
		prep_cmd(io_uring_get_sqe(&self->ring), self->fd,
			 RMACH_URING_SEND, &sa[i], 0x10000 + i);
	}
	ASSERT_EQ(NPORTS, io_uring_submit(&self->ring));
	for (i = 0; i < 2 * NPORTS; i++) {
		uint64_t tag;
		int res = one_cqe(&self->ring, &tag);

		if (tag >= 0x10000) {
			EXPECT_EQ(0, res);
			got_send++;
		} else {
			ASSERT_LT(tag, (uint64_t)NPORTS);
			EXPECT_EQ(24 + (int)sizeof(int), res);
			EXPECT_EQ(1000u + tag, rm[tag].h.id);
			EXPECT_EQ(ports[tag], rm[tag].h.local_port);
			got_rcv++;
		}
	}
	EXPECT_EQ(NPORTS, got_send);
	EXPECT_EQ(NPORTS, got_rcv);
}

static void call_args(struct rmach_msg_args *a, struct rm_msg *req,
		      uint32_t reply_port, struct rm_msg *rep)
{
	rcv_args(a, reply_port, rep);
	a->options = RMACH_MSG_SEND | RMACH_MSG_RCV;
	a->send_msg = (uintptr_t)req;
	a->send_size = req->h.size;
}

TEST_F(uring, call_feature_bit)
{
	struct rmach_version v;

	ASSERT_EQ(0, rm_ioctl(self->fd, RMACH_IOC_VERSION, &v));
	EXPECT_NE(0ull, (unsigned long long)(v.features & RMACH_FEAT_URING_CALL));
}

/*
 * A CALL sends the request at issue and parks on the reply port; the
 * server's answer on the send-once right completes it with the reply.
 */
TEST_F(uring, call_parks_until_reply)
{
	struct rmach_msg_args ca;
	struct rm_msg req, rep, got;
	uint32_t reply_port;
	uint64_t tag;

	ASSERT_EQ(0, rm_alloc(self->fd, RMACH_RIGHT_RECEIVE, &reply_port));
	rm_msg_init(&req, self->port, RMACH_MSG_TYPE_COPY_SEND, reply_port,
		    RMACH_MSG_TYPE_MAKE_SEND_ONCE, 11, "ping", 4);
	call_args(&ca, &req, reply_port, &rep);
	prep_cmd(io_uring_get_sqe(&self->ring), self->fd, RMACH_URING_CALL,
		 &ca, 7);
	ASSERT_EQ(1, io_uring_submit(&self->ring));
	EXPECT_TRUE(no_cqe(&self->ring));

	/* The request is queued, carrying a send-once right for the reply. */
	ASSERT_EQ(0, rm_recv(self->fd, self->port, &got, 0));
	EXPECT_EQ(11u, got.h.id);
	EXPECT_EQ(0, memcmp(got.u.data, "ping", 4));
	EXPECT_EQ(RMACH_MSG_TYPE_PORT_SEND_ONCE,
		  RMACH_MSGH_BITS_REMOTE(got.h.bits));
	EXPECT_TRUE(no_cqe(&self->ring));
	ASSERT_EQ(0, rm_send(self->fd, got.h.remote_port,
			     RMACH_MSG_TYPE_MOVE_SEND_ONCE, 12, "pong!", 5, 0));
	ASSERT_EQ(24 + 5, one_cqe(&self->ring, &tag));
	EXPECT_EQ(7u, tag);
	EXPECT_EQ(12u, rep.h.id);
	EXPECT_EQ(reply_port, rep.h.local_port);
	EXPECT_EQ(0, memcmp(rep.u.data, "pong!", 5));
	EXPECT_EQ(RMACH_MSG_SENT | RMACH_MSG_RECEIVED, ca.status);
	EXPECT_EQ(29u, ca.rcv_size);
	EXPECT_EQ(0, rm_name_op(self->fd, RMACH_IOC_PORT_DESTROY, reply_port));
}

/* A reply already queued when the call is issued completes it at once. */
TEST_F(uring, call_reply_already_queued)
{
	struct rmach_msg_args ca;
	struct rm_msg req, rep;

	/* The request goes to the reply port itself: it is its own reply. */
	rm_msg_init(&req, self->port, RMACH_MSG_TYPE_COPY_SEND, 0, 0, 21,
		    "self", 4);
	call_args(&ca, &req, self->port, &rep);
	prep_cmd(io_uring_get_sqe(&self->ring), self->fd, RMACH_URING_CALL,
		 &ca, 1);
	ASSERT_EQ(1, io_uring_submit(&self->ring));
	ASSERT_EQ(24 + 4, one_cqe(&self->ring, NULL));
	EXPECT_EQ(21u, rep.h.id);
	EXPECT_EQ(RMACH_MSG_SENT | RMACH_MSG_RECEIVED, ca.status);
}

/*
 * A CALL whose send fails completes at once with the send's error and
 * without RMACH_MSG_SENT: nothing was queued, nothing parked.
 */
TEST_F(uring, call_send_errors)
{
	struct rmach_msg_args ca;
	struct rm_msg req, rep;
	struct io_uring_sqe *sqe;
	uint32_t reply_port, dead;

	ASSERT_EQ(0, rm_alloc(self->fd, RMACH_RIGHT_RECEIVE, &reply_port));
	/* Unknown destination. */
	rm_msg_init(&req, 0x4321, RMACH_MSG_TYPE_COPY_SEND, 0, 0, 1, NULL, 0);
	call_args(&ca, &req, reply_port, &rep);
	prep_cmd(io_uring_get_sqe(&self->ring), self->fd, RMACH_URING_CALL,
		 &ca, 1);
	ASSERT_EQ(1, io_uring_submit(&self->ring));
	EXPECT_EQ(-ENOENT, one_cqe(&self->ring, NULL));
	EXPECT_EQ(0u, ca.status & RMACH_MSG_SENT);

	/* Dead destination. */
	dead = rm_port_with_send(self->fd);
	ASSERT_NE(0u, dead);
	ASSERT_EQ(0, rm_mod_refs(self->fd, dead, RMACH_RIGHT_RECEIVE, -1));
	rm_msg_init(&req, dead, RMACH_MSG_TYPE_COPY_SEND, 0, 0, 1, NULL, 0);
	call_args(&ca, &req, reply_port, &rep);
	prep_cmd(io_uring_get_sqe(&self->ring), self->fd, RMACH_URING_CALL,
		 &ca, 2);
	ASSERT_EQ(1, io_uring_submit(&self->ring));
	EXPECT_EQ(-EPIPE, one_cqe(&self->ring, NULL));
	EXPECT_EQ(0u, ca.status & RMACH_MSG_SENT);
	EXPECT_EQ(0, rm_name_op(self->fd, RMACH_IOC_PORT_DEALLOCATE, dead));

	/* Full queue: EAGAIN at once, the call never waits to send. */
	ASSERT_EQ(0, rm_qlimit(self->fd, self->port, 1));
	ASSERT_EQ(0, rm_send(self->fd, self->port, RMACH_MSG_TYPE_COPY_SEND,
			     1, NULL, 0, 0));
	rm_msg_init(&req, self->port, RMACH_MSG_TYPE_COPY_SEND, 0, 0, 2,
		    NULL, 0);
	call_args(&ca, &req, reply_port, &rep);
	prep_cmd(io_uring_get_sqe(&self->ring), self->fd, RMACH_URING_CALL,
		 &ca, 3);
	ASSERT_EQ(1, io_uring_submit(&self->ring));
	EXPECT_EQ(-EAGAIN, one_cqe(&self->ring, NULL));
	EXPECT_EQ(0u, ca.status & RMACH_MSG_SENT);

	/* From io-wq: refused before the send. */
	ASSERT_EQ(0, rm_recv(self->fd, self->port, &rep, 0));
	call_args(&ca, &req, reply_port, &rep);
	sqe = io_uring_get_sqe(&self->ring);
	prep_cmd(sqe, self->fd, RMACH_URING_CALL, &ca, 4);
	sqe->flags |= IOSQE_ASYNC;
	ASSERT_EQ(1, io_uring_submit(&self->ring));
	EXPECT_EQ(-EOPNOTSUPP, one_cqe(&self->ring, NULL));
	EXPECT_EQ(-EAGAIN, rm_recv(self->fd, self->port, &rep, 0));

	/* Options that do not match the op. */
	rcv_args(&ca, reply_port, &rep);
	prep_cmd(io_uring_get_sqe(&self->ring), self->fd, RMACH_URING_CALL,
		 &ca, 5);
	ASSERT_EQ(1, io_uring_submit(&self->ring));
	EXPECT_EQ(-EINVAL, one_cqe(&self->ring, NULL));
	EXPECT_EQ(0, rm_name_op(self->fd, RMACH_IOC_PORT_DESTROY, reply_port));
}

/* A call parked on its reply ends with ECANCELED when the space closes. */
TEST_F(uring, call_parked_space_closed)
{
	struct rmach_msg_args ca;
	struct rm_msg req, rep;
	uint32_t reply_port;

	ASSERT_EQ(0, rm_alloc(self->fd, RMACH_RIGHT_RECEIVE, &reply_port));
	rm_msg_init(&req, self->port, RMACH_MSG_TYPE_COPY_SEND, reply_port,
		    RMACH_MSG_TYPE_MAKE_SEND_ONCE, 5, NULL, 0);
	call_args(&ca, &req, reply_port, &rep);
	prep_cmd(io_uring_get_sqe(&self->ring), self->fd, RMACH_URING_CALL,
		 &ca, 1);
	ASSERT_EQ(1, io_uring_submit(&self->ring));
	EXPECT_TRUE(no_cqe(&self->ring));
	close(self->fd);
	EXPECT_EQ(-ECANCELED, one_cqe(&self->ring, NULL));
	self->fd = rm_open();
	ASSERT_LE(0, self->fd);
}

/* The owner closes the space's fd: parked receives end with ECANCELED. */
TEST_F(uring, space_closed_with_parked)
{
	static struct rmach_msg_args ra[8];
	static struct rm_msg rm[8];
	int i;

	for (i = 0; i < 8; i++) {
		rcv_args(&ra[i], self->port, &rm[i]);
		prep_cmd(io_uring_get_sqe(&self->ring), self->fd,
			 RMACH_URING_RCV, &ra[i], i);
	}
	ASSERT_EQ(8, io_uring_submit(&self->ring));
	EXPECT_TRUE(no_cqe(&self->ring));
	close(self->fd);
	for (i = 0; i < 8; i++)
		EXPECT_EQ(-ECANCELED, one_cqe(&self->ring, NULL));
	self->fd = rm_open();
	ASSERT_LE(0, self->fd);
}

/* The ring closes with receives parked: no hang, nothing leaks. */
TEST_F(uring, ring_closed_with_parked)
{
	static struct rmach_msg_args ra[16];
	static struct rm_msg rm[16];
	int i;

	for (i = 0; i < 16; i++) {
		rcv_args(&ra[i], self->port, &rm[i]);
		prep_cmd(io_uring_get_sqe(&self->ring), self->fd,
			 RMACH_URING_RCV, &ra[i], i);
	}
	ASSERT_EQ(16, io_uring_submit(&self->ring));
	io_uring_queue_exit(&self->ring);
	/* The space still works; closing it ends the parked receives. */
	ASSERT_EQ(0, rm_send(self->fd, self->port, RMACH_MSG_TYPE_COPY_SEND,
			     1, NULL, 0, 0));
	ASSERT_EQ(0, io_uring_queue_init(8, &self->ring, 0));
}

/* A process killed with receives parked: its exit neither hangs nor leaks. */
TEST(killed_with_parked)
{
	struct rm_counters base;
	int p[2], status;
	pid_t pid;
	char c;

	rm_counters_read(&base);
	ASSERT_EQ(0, pipe(p));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		static struct rmach_msg_args ra[64];
		static struct rm_msg rm[64];
		struct io_uring ring;
		int fd = rm_open(), i;
		uint32_t port = rm_port_with_send(fd);

		if (fd < 0 || !port || io_uring_queue_init(64, &ring, 0))
			_exit(1);
		for (i = 0; i < 64; i++) {
			rcv_args(&ra[i], port, &rm[i]);
			prep_cmd(io_uring_get_sqe(&ring), fd, RMACH_URING_RCV,
				 &ra[i], i);
		}
		if (io_uring_submit(&ring) != 64)
			_exit(2);
		c = 'x';
		if (write(p[1], &c, 1) != 1)
			_exit(3);
		pause();
		_exit(0);
	}
	close(p[1]);
	ASSERT_EQ(1, read(p[0], &c, 1));
	close(p[0]);
	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status));
	RM_EXPECT_BASELINE(&base);
}

TEST_HARNESS_MAIN
