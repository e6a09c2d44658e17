// SPDX-License-Identifier: GPL-2.0
/*
 * Rights between processes: two- and three-process transfers, a receive
 * right moved while messages are queued on it, dead names after SIGKILL,
 * dead-name and no-senders notifications, a caller whose server is killed
 * mid-call, and registry ownership across uids. Every test ends with the
 * debugfs counters at their baseline.
 */
#include <pthread.h>
#include "kselftest_harness.h"
#include "rmach_test.h"

/* Child helpers exit with the line number of the first failed check. */
#define CHILD_CHECK(cond) do {						\
	if (!(cond))							\
		_exit((__LINE__ & 0x7f) ? (__LINE__ & 0x7f) : 1);	\
} while (0)

/* Serves one request on key: replies with id + 1 and a send right to a
 * port of its own in a descriptor, then waits for a message on that port. */
static void child_two_way(const char *key)
{
	struct rmach_port_descriptor d;
	struct rm_msg m;
	uint32_t port, mine;
	int fd = rm_open();

	CHILD_CHECK(fd >= 0);
	port = rm_port_with_send(fd);
	mine = rm_port_with_send(fd);
	CHILD_CHECK(port && mine);
	CHILD_CHECK(rm_register(fd, key, port) == 0);
	CHILD_CHECK(rm_recv(fd, port, &m, 10000) == 0);
	CHILD_CHECK(m.h.id == 1);
	d = (struct rmach_port_descriptor){ .name = mine,
		.disposition = RMACH_MSG_TYPE_MAKE_SEND };
	rm_msg_init(&m, m.h.remote_port, RMACH_MSG_TYPE_MOVE_SEND_ONCE, 0, 0,
		    2, NULL, 0);
	rm_msg_descs(&m, &d, 1);
	CHILD_CHECK(rm_send_msg(fd, &m, 1000) == 0);
	CHILD_CHECK(rm_recv(fd, mine, &m, 10000) == 0);
	CHILD_CHECK(m.h.id == 3);
	_exit(0);
}

TEST(two_process_rights_transfer)
{
	struct rm_counters base;
	struct rm_msg m;
	uint32_t server, reply, theirs;
	char key[64];
	pid_t pid;
	int fd;

	rm_counters_read(&base);
	rm_key(key, sizeof(key), "two");
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		child_two_way(key);
	fd = rm_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, rm_look_up(fd, key, &server));
	EXPECT_EQ(RMACH_TYPE_SEND, rm_type(fd, server));
	ASSERT_EQ(0, rm_alloc(fd, RMACH_RIGHT_RECEIVE, &reply));
	rm_msg_init(&m, server, RMACH_MSG_TYPE_COPY_SEND, reply,
		    RMACH_MSG_TYPE_MAKE_SEND_ONCE, 1, NULL, 0);
	ASSERT_EQ(0, rm_send_msg(fd, &m, 1000));
	ASSERT_EQ(0, rm_recv(fd, reply, &m, 10000));
	EXPECT_EQ(2u, m.h.id);
	ASSERT_EQ(1u, m.h.desc_count);
	theirs = m.u.cx.d[0].name;
	EXPECT_EQ(RMACH_MSG_TYPE_PORT_SEND, m.u.cx.d[0].disposition);
	EXPECT_EQ(RMACH_TYPE_SEND, rm_type(fd, theirs));
	/* Use the right we were given. */
	EXPECT_EQ(0, rm_send(fd, theirs, RMACH_MSG_TYPE_MOVE_SEND, 3, NULL, 0,
			     1000));
	EXPECT_EQ(-ENOENT, rm_name_op(fd, RMACH_IOC_PORT_TYPE, theirs));
	EXPECT_EQ(0, rm_wait(pid));
	rm_unregister(fd, key);
	close(fd);
	RM_EXPECT_BASELINE(&base);
}

/*
 * A registers port PA; C registers port PC; B looks both up and forwards
 * its send right for PA to C in a message; C uses it to send to A.
 */
TEST(three_process_rights_transfer)
{
	struct rm_counters base;
	char key_a[64], key_c[64];
	pid_t b, c;
	struct rm_msg m;
	uint32_t pa;
	int fd;

	rm_counters_read(&base);
	rm_key(key_a, sizeof(key_a), "threeA");
	rm_key(key_c, sizeof(key_c), "threeC");
	fd = rm_open();
	ASSERT_LE(0, fd);
	pa = rm_port_with_send(fd);
	ASSERT_NE(0u, pa);
	ASSERT_EQ(0, rm_register(fd, key_a, pa));

	c = fork();
	ASSERT_LE(0, c);
	if (c == 0) {
		int cfd = rm_open();
		uint32_t pc = rm_port_with_send(cfd), to_a;

		close(fd);
		CHILD_CHECK(pc && rm_register(cfd, key_c, pc) == 0);
		CHILD_CHECK(rm_recv(cfd, pc, &m, 10000) == 0);
		CHILD_CHECK(m.h.id == 10 && m.h.desc_count == 1);
		to_a = m.u.cx.d[0].name;
		CHILD_CHECK(rm_type(cfd, to_a) == RMACH_TYPE_SEND);
		CHILD_CHECK(rm_send(cfd, to_a, RMACH_MSG_TYPE_COPY_SEND, 11,
				    "from C", 6, 1000) == 0);
		_exit(0);
	}
	b = fork();
	ASSERT_LE(0, b);
	if (b == 0) {
		struct rmach_port_descriptor d;
		int bfd = rm_open();
		uint32_t to_a, to_c;

		close(fd);
		CHILD_CHECK(rm_look_up(bfd, key_a, &to_a) == 0);
		CHILD_CHECK(rm_look_up(bfd, key_c, &to_c) == 0);
		d = (struct rmach_port_descriptor){ .name = to_a,
			.disposition = RMACH_MSG_TYPE_MOVE_SEND };
		rm_msg_init(&m, to_c, RMACH_MSG_TYPE_COPY_SEND, 0, 0, 10,
			    NULL, 0);
		rm_msg_descs(&m, &d, 1);
		CHILD_CHECK(rm_send_msg(bfd, &m, 1000) == 0);
		/* MOVE_SEND: B no longer holds it. */
		CHILD_CHECK(rm_type(bfd, to_a) == 0);
		_exit(0);
	}
	ASSERT_EQ(0, rm_recv(fd, pa, &m, 10000));
	EXPECT_EQ(11u, m.h.id);
	EXPECT_EQ(0, memcmp(m.u.data, "from C", 6));
	EXPECT_EQ(0, rm_wait(b));
	EXPECT_EQ(0, rm_wait(c));
	rm_unregister(fd, key_a);
	rm_unregister(fd, key_c);
	close(fd);
	RM_EXPECT_BASELINE(&base);
}

TEST(receive_right_moved_with_queued_messages)
{
	struct rmach_port_descriptor d;
	struct rm_counters base;
	struct rmach_port_attr a;
	struct rm_msg m;
	uint32_t p, to_child;
	char key[64];
	pid_t pid;
	int fd, i;

	rm_counters_read(&base);
	rm_key(key, sizeof(key), "move");
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int cfd = rm_open();
		uint32_t port = rm_port_with_send(cfd), moved;

		CHILD_CHECK(port && rm_register(cfd, key, port) == 0);
		CHILD_CHECK(rm_recv(cfd, port, &m, 10000) == 0);
		CHILD_CHECK(m.h.desc_count == 1);
		CHILD_CHECK(m.u.cx.d[0].disposition ==
			    RMACH_MSG_TYPE_PORT_RECEIVE);
		moved = m.u.cx.d[0].name;
		CHILD_CHECK(rm_type(cfd, moved) & RMACH_TYPE_RECEIVE);
		/* 3 queued before the move; the parent may have sent a 4th. */
		CHILD_CHECK(rm_attr(cfd, moved, &a) == 0 && a.msgcount >= 3);
		for (i = 0; i < 3; i++) {
			CHILD_CHECK(rm_recv(cfd, moved, &m, 0) == 0);
			CHILD_CHECK(m.h.id == (uint32_t)(100 + i));
		}
		/* The parent's send right now reaches us. */
		CHILD_CHECK(rm_recv(cfd, moved, &m, 10000) == 0);
		CHILD_CHECK(m.h.id == 200);
		_exit(0);
	}
	fd = rm_open();
	ASSERT_LE(0, fd);
	p = rm_port_with_send(fd);
	ASSERT_NE(0u, p);
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, rm_send(fd, p, RMACH_MSG_TYPE_COPY_SEND, 100 + i,
				     NULL, 0, 0));
	ASSERT_EQ(0, rm_look_up(fd, key, &to_child));
	d = (struct rmach_port_descriptor){ .name = p,
		.disposition = RMACH_MSG_TYPE_MOVE_RECEIVE };
	rm_msg_init(&m, to_child, RMACH_MSG_TYPE_COPY_SEND, 0, 0, 1, NULL, 0);
	rm_msg_descs(&m, &d, 1);
	ASSERT_EQ(0, rm_send_msg(fd, &m, 1000));
	/* We keep the send right only. */
	EXPECT_EQ(RMACH_TYPE_SEND, rm_type(fd, p));
	EXPECT_EQ(-EPERM, rm_recv(fd, p, &m, 0));
	ASSERT_EQ(0, rm_send(fd, p, RMACH_MSG_TYPE_COPY_SEND, 200, NULL, 0,
			     1000));
	EXPECT_EQ(0, rm_wait(pid));
	/* The child died holding the receive right: our name is dead. */
	EXPECT_EQ(RMACH_TYPE_DEAD_NAME, rm_type(fd, p));
	EXPECT_EQ(-EPIPE, rm_send(fd, p, RMACH_MSG_TYPE_COPY_SEND, 1, NULL, 0,
				  0));
	rm_unregister(fd, key);
	close(fd);
	RM_EXPECT_BASELINE(&base);
}

/* A child that registers a port and then sleeps until killed. */
static pid_t spawn_sleeper(const char *key, int qlimit)
{
	pid_t pid = fork();

	if (pid == 0) {
		int cfd = rm_open();
		uint32_t port;

		CHILD_CHECK(cfd >= 0);
		CHILD_CHECK(rm_alloc(cfd, RMACH_RIGHT_RECEIVE, &port) == 0);
		if (qlimit)
			CHILD_CHECK(rm_qlimit(cfd, port, qlimit) == 0);
		CHILD_CHECK(rm_register(cfd, key, port) == 0);
		for (;;)
			pause();
	}
	return pid;
}

TEST(dead_name_after_sigkill)
{
	struct rmach_notify_req n;
	struct rm_counters base;
	uint32_t server, notify;
	struct rm_msg m;
	char key[64];
	pid_t pid;
	int fd;

	rm_counters_read(&base);
	rm_key(key, sizeof(key), "dead");
	pid = spawn_sleeper(key, 0);
	ASSERT_LE(0, pid);
	fd = rm_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, rm_look_up(fd, key, &server));
	ASSERT_EQ(0, rm_mod_refs(fd, server, RMACH_RIGHT_SEND, 2));
	ASSERT_EQ(0, rm_alloc(fd, RMACH_RIGHT_RECEIVE, &notify));
	memset(&n, 0, sizeof(n));
	n.name = server;
	n.variant = RMACH_NOTIFY_DEAD_NAME;
	n.notify = notify;
	n.notify_disposition = RMACH_MSG_TYPE_MAKE_SEND_ONCE;
	ASSERT_EQ(0, rm_ioctl(fd, RMACH_IOC_REQUEST_NOTIFY, &n));
	ASSERT_EQ(0, rm_send(fd, server, RMACH_MSG_TYPE_COPY_SEND, 1, NULL, 0,
			     0));

	kill(pid, SIGKILL);
	EXPECT_EQ(128 + SIGKILL, rm_wait(pid));

	/* Dead-name notification names our dead name. */
	ASSERT_EQ(0, rm_recv(fd, notify, &m, 5000));
	EXPECT_EQ(RMACH_NOTIFY_DEAD_NAME, m.h.id);
	EXPECT_EQ(server, ((struct rmach_notify_msg *)&m)->value);
	EXPECT_EQ(RMACH_TYPE_DEAD_NAME, rm_type(fd, server));
	/* urefs kept, plus one for the notification (as XNU). */
	EXPECT_EQ(4, rm_refs(fd, server, RMACH_RIGHT_DEAD_NAME));
	EXPECT_EQ(-EPIPE, rm_send(fd, server, RMACH_MSG_TYPE_COPY_SEND, 2,
				  NULL, 0, 0));
	/* The registry forgot the dead service when its space went. */
	EXPECT_EQ(-ENOENT, rm_reg(fd, RMACH_IOC_LOOK_UP, key, &notify, 0, 0));
	close(fd);
	RM_EXPECT_BASELINE(&base);
}

TEST(sigkill_wakes_blocked_sender_with_epipe)
{
	struct rm_counters base;
	uint32_t server;
	char key[64];
	pid_t pid, killer;
	uint64_t t0;
	int fd;

	rm_counters_read(&base);
	rm_key(key, sizeof(key), "fullq");
	pid = spawn_sleeper(key, 1);
	ASSERT_LE(0, pid);
	fd = rm_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, rm_look_up(fd, key, &server));
	ASSERT_EQ(0, rm_send(fd, server, RMACH_MSG_TYPE_COPY_SEND, 1, NULL, 0,
			     0));
	killer = fork();
	ASSERT_LE(0, killer);
	if (killer == 0) {
		usleep(300000);
		kill(pid, SIGKILL);
		_exit(0);
	}
	t0 = rm_now_ms();
	/* Blocks on the full queue until the receiver dies. */
	EXPECT_EQ(-EPIPE, rm_send(fd, server, RMACH_MSG_TYPE_COPY_SEND, 2,
				  NULL, 0, -1));
	EXPECT_GE(rm_now_ms() - t0, 200u);
	EXPECT_EQ(0, rm_wait(killer));
	EXPECT_EQ(128 + SIGKILL, rm_wait(pid));
	rm_unregister(fd, key);
	close(fd);
	RM_EXPECT_BASELINE(&base);
}

/* The server takes the request and is killed before replying: the caller's
 * reply right dies, and the caller gets a send-once notification. */
TEST(sigkill_server_mid_call)
{
	struct rmach_msg_args a;
	struct rm_counters base;
	uint32_t server, reply;
	struct rm_msg m;
	char key[64];
	pid_t pid;
	int fd, sync[2];

	rm_counters_read(&base);
	rm_key(key, sizeof(key), "midcall");
	ASSERT_EQ(0, pipe(sync));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int cfd = rm_open();
		uint32_t port = rm_port_with_send(cfd);

		CHILD_CHECK(port && rm_register(cfd, key, port) == 0);
		CHILD_CHECK(rm_recv(cfd, port, &m, 10000) == 0);
		CHILD_CHECK(write(sync[1], "x", 1) == 1);
		for (;;)
			pause();
	}
	fd = rm_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, rm_look_up(fd, key, &server));
	ASSERT_EQ(0, rm_alloc(fd, RMACH_RIGHT_RECEIVE, &reply));
	if (fork() == 0) {
		char c;

		/* Kill the server once it holds the request. */
		if (read(sync[0], &c, 1) == 1)
			usleep(100000);
		kill(pid, SIGKILL);
		_exit(0);
	}
	rm_msg_init(&m, server, RMACH_MSG_TYPE_COPY_SEND, reply,
		    RMACH_MSG_TYPE_MAKE_SEND_ONCE, 1, NULL, 0);
	memset(&a, 0, sizeof(a));
	a.options = RMACH_MSG_SEND | RMACH_MSG_RCV | RMACH_MSG_RCV_TIMEOUT;
	a.send_msg = a.rcv_msg = (uintptr_t)&m;
	a.send_size = m.h.size;
	a.rcv_size = sizeof(m);
	a.rcv_name = reply;
	a.rcv_timeout_ms = 10000;
	ASSERT_EQ(0, rm_ioctl(fd, RMACH_IOC_MSG, &a));
	EXPECT_EQ(RMACH_NOTIFY_SEND_ONCE, m.h.id);
	EXPECT_EQ(128 + SIGKILL, rm_wait(pid));
	while (wait(NULL) > 0)
		;
	close(sync[0]);
	close(sync[1]);
	rm_unregister(fd, key);
	close(fd);
	RM_EXPECT_BASELINE(&base);
}

/* A caller is SIGKILLed while blocked in a call: the server can still
 * reply (to a dead port: its send fails cleanly) and nothing leaks. */
TEST(sigkill_caller_mid_call)
{
	struct rm_counters base;
	uint32_t port;
	struct rm_msg m;
	char key[64];
	pid_t pid;
	int fd;

	rm_counters_read(&base);
	rm_key(key, sizeof(key), "caller");
	fd = rm_open();
	ASSERT_LE(0, fd);
	port = rm_port_with_send(fd);
	ASSERT_EQ(0, rm_register(fd, key, port));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct rmach_msg_args a;
		int cfd = rm_open();
		uint32_t server, reply;

		CHILD_CHECK(rm_look_up(cfd, key, &server) == 0);
		CHILD_CHECK(rm_alloc(cfd, RMACH_RIGHT_RECEIVE, &reply) == 0);
		rm_msg_init(&m, server, RMACH_MSG_TYPE_COPY_SEND, reply,
			    RMACH_MSG_TYPE_MAKE_SEND_ONCE, 1, NULL, 0);
		memset(&a, 0, sizeof(a));
		a.options = RMACH_MSG_SEND | RMACH_MSG_RCV;
		a.send_msg = a.rcv_msg = (uintptr_t)&m;
		a.send_size = m.h.size;
		a.rcv_size = sizeof(m);
		a.rcv_name = reply;
		rm_ioctl(cfd, RMACH_IOC_MSG, &a);
		_exit(99);	/* never: killed while waiting */
	}
	ASSERT_EQ(0, rm_recv(fd, port, &m, 10000));
	usleep(100000);
	kill(pid, SIGKILL);
	EXPECT_EQ(128 + SIGKILL, rm_wait(pid));
	/* The reply right now names a dead port: sending on it consumes it
	 * without error, as in Mach (a send-once to a dead port is dropped). */
	rm_msg_init(&m, m.h.remote_port, RMACH_MSG_TYPE_MOVE_SEND_ONCE, 0, 0,
		    2, NULL, 0);
	rm_send_msg(fd, &m, 0);
	rm_name_op(fd, RMACH_IOC_PORT_DESTROY, m.h.remote_port);
	rm_unregister(fd, key);
	close(fd);
	RM_EXPECT_BASELINE(&base);
}

struct blocker {
	int fd;
	uint32_t port;
	int kind;	/* 0 receive, 1 send to a full queue, 2 call */
	uint32_t reply;
};

static void *blocker_thread(void *p)
{
	struct blocker *b = p;
	struct rmach_msg_args a;
	struct rm_msg m;

	switch (b->kind) {
	case 0:
		rm_recv(b->fd, b->port, &m, -1);
		break;
	case 1:
		rm_send(b->fd, b->port, RMACH_MSG_TYPE_COPY_SEND, 7, NULL, 0, -1);
		break;
	default:
		rm_msg_init(&m, b->port, RMACH_MSG_TYPE_COPY_SEND, b->reply,
			    RMACH_MSG_TYPE_MAKE_SEND_ONCE, 8, NULL, 0);
		memset(&a, 0, sizeof(a));
		a.options = RMACH_MSG_SEND | RMACH_MSG_RCV;
		a.send_msg = a.rcv_msg = (uintptr_t)&m;
		a.send_size = m.h.size;
		a.rcv_size = sizeof(m);
		a.rcv_name = b->reply;
		rm_ioctl(b->fd, RMACH_IOC_MSG, &a);
		break;
	}
	return NULL;
}

/* SIGKILL of a process whose threads are blocked in receive, send and call:
 * every thread leaves, the space goes, nothing leaks. */
TEST(sigkill_process_with_blocked_threads)
{
	struct rmach_port_attr at;
	struct rm_counters base;
	uint32_t full, calls;
	struct rm_msg m;
	char kfull[64], kcalls[64];
	pid_t pid;
	int fd, up[2], n = 0;

	rm_counters_read(&base);
	rm_key(kfull, sizeof(kfull), "full");
	rm_key(kcalls, sizeof(kcalls), "calls");
	ASSERT_EQ(0, pipe(up));
	fd = rm_open();
	ASSERT_LE(0, fd);
	full = rm_port_with_send(fd);
	calls = rm_port_with_send(fd);
	ASSERT_EQ(0, rm_qlimit(fd, full, 1));
	ASSERT_EQ(0, rm_send(fd, full, RMACH_MSG_TYPE_COPY_SEND, 1, NULL, 0, 0));
	ASSERT_EQ(0, rm_register(fd, kfull, full));
	ASSERT_EQ(0, rm_register(fd, kcalls, calls));

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct blocker b[6];
		pthread_t t[6];
		uint32_t own, to_full, to_calls;
		int cfd = rm_open(), i;

		CHILD_CHECK(cfd >= 0);
		own = rm_port_with_send(cfd);
		CHILD_CHECK(rm_look_up(cfd, kfull, &to_full) == 0);
		CHILD_CHECK(rm_look_up(cfd, kcalls, &to_calls) == 0);
		for (i = 0; i < 6; i++) {
			b[i].fd = cfd;
			b[i].kind = i / 2;
			b[i].port = i < 2 ? own : i < 4 ? to_full : to_calls;
			CHILD_CHECK(rm_alloc(cfd, RMACH_RIGHT_RECEIVE,
					     &b[i].reply) == 0);
			pthread_create(&t[i], NULL, blocker_thread, &b[i]);
		}
		CHILD_CHECK(write(up[1], "r", 1) == 1);
		for (;;)
			pause();
	}
	do {
		char c;

		ASSERT_EQ(1, read(up[0], &c, 1));
	} while (0);
	/* Both calls' requests arrive: the callers are blocked on replies. */
	ASSERT_EQ(0, rm_recv(fd, calls, &m, 10000));
	ASSERT_EQ(0, rm_recv(fd, calls, &m, 10000));
	usleep(200000);		/* every other thread is asleep in the module */
	kill(pid, SIGKILL);
	EXPECT_EQ(128 + SIGKILL, rm_wait(pid));
	/* The blocked senders never got in; the queue is as it was. */
	ASSERT_EQ(0, rm_attr(fd, full, &at));
	EXPECT_EQ(1u, at.msgcount);
	while (rm_recv(fd, full, &m, 0) == 0)
		n++;
	EXPECT_EQ(1, n);
	close(up[0]);
	close(up[1]);
	rm_unregister(fd, kfull);
	rm_unregister(fd, kcalls);
	close(fd);
	RM_EXPECT_BASELINE(&base);
}

TEST(no_senders_notification)
{
	struct rmach_notify_req n;
	struct rm_counters base;
	struct rmach_port_attr at;
	uint32_t port, notify;
	struct rm_msg m;
	char key[64];
	pid_t pid;
	int fd, up[2], down[2];

	rm_counters_read(&base);
	rm_key(key, sizeof(key), "nosenders");
	ASSERT_EQ(0, pipe(up));
	ASSERT_EQ(0, pipe(down));
	fd = rm_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, rm_alloc(fd, RMACH_RIGHT_RECEIVE, &port));
	ASSERT_EQ(0, rm_alloc(fd, RMACH_RIGHT_RECEIVE, &notify));
	memset(&n, 0, sizeof(n));
	n.name = port;
	n.variant = RMACH_NOTIFY_NO_SENDERS;
	n.sync = 1;
	n.notify = notify;
	n.notify_disposition = RMACH_MSG_TYPE_MAKE_SEND_ONCE;
	ASSERT_EQ(0, rm_ioctl(fd, RMACH_IOC_REQUEST_NOTIFY, &n));
	ASSERT_EQ(0, rm_register(fd, key, port));	/* MAKE_SEND: mscount 1 */

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int cfd = rm_open();
		uint32_t s;
		char c;

		CHILD_CHECK(rm_look_up(cfd, key, &s) == 0);
		CHILD_CHECK(write(up[1], "x", 1) == 1);
		/* Hold the right until told to exit. */
		CHILD_CHECK(read(down[0], &c, 1) == 1);
		_exit(0);
	}
	do {
		char c;

		ASSERT_EQ(1, read(up[0], &c, 1));
	} while (0);
	/* Registry and child hold send rights: no notification yet. */
	ASSERT_EQ(0, rm_unregister(fd, key));
	EXPECT_EQ(-ETIMEDOUT, rm_recv(fd, notify, &m, 100));
	ASSERT_EQ(0, rm_attr(fd, port, &at));
	EXPECT_NE(0u, at.status & RMACH_PORT_STATUS_HAS_SENDERS);
	/* The child's exit releases the last send right. */
	ASSERT_EQ(1, write(down[1], "y", 1));
	EXPECT_EQ(0, rm_wait(pid));
	ASSERT_EQ(0, rm_recv(fd, notify, &m, 5000));
	EXPECT_EQ(RMACH_NOTIFY_NO_SENDERS, m.h.id);
	EXPECT_EQ(1u, ((struct rmach_notify_msg *)&m)->value);	/* mscount */
	ASSERT_EQ(0, rm_attr(fd, port, &at));
	EXPECT_EQ(0u, at.status & RMACH_PORT_STATUS_HAS_SENDERS);
	close(up[0]);
	close(up[1]);
	close(down[0]);
	close(down[1]);
	close(fd);
	RM_EXPECT_BASELINE(&base);
}

/* Runs fn in a child that switched to uid/gid 65534; returns its status. */
static int as_nobody(int (*fn)(const char *key, uint32_t *arg),
		     const char *key, uint32_t *arg)
{
	pid_t pid = fork();

	if (pid == 0) {
		if (setgid(65534) || setuid(65534))
			_exit(120);
		_exit(fn(key, arg));
	}
	return rm_wait(pid);
}

static int nobody_tries_root_entry(const char *key, uint32_t *unused)
{
	int fd = rm_open();
	uint32_t port, got;

	(void)unused;
	if (fd < 0 || rm_alloc(fd, RMACH_RIGHT_RECEIVE, &port))
		return 1;
	/* May look up, may not replace or remove. */
	if (rm_look_up(fd, key, &got))
		return 2;
	if (rm_reg(fd, RMACH_IOC_REGISTER, key, &port,
		   RMACH_MSG_TYPE_MAKE_SEND, RMACH_REG_REPLACE) != -EACCES)
		return 3;
	if (rm_unregister(fd, key) != -EACCES)
		return 4;
	if (rm_register(fd, key, port) != -EEXIST)
		return 5;
	return 0;
}

static int nobody_registers(const char *key, uint32_t *unused)
{
	int fd = rm_open();
	uint32_t port;

	(void)unused;
	if (fd < 0 || rm_alloc(fd, RMACH_RIGHT_RECEIVE, &port))
		return 1;
	if (rm_register(fd, key, port))
		return 2;
	/* Its own entry: may replace. */
	if (rm_reg(fd, RMACH_IOC_REGISTER, key, &port,
		   RMACH_MSG_TYPE_MAKE_SEND, RMACH_REG_REPLACE))
		return 3;
	return 0;
}

TEST(registry_ownership)
{
	struct rm_counters base;
	uint32_t port, got;
	char key[64], key2[64];
	int fd;

	rm_counters_read(&base);
	rm_key(key, sizeof(key), "owned");
	rm_key(key2, sizeof(key2), "nobodys");
	fd = rm_open();
	ASSERT_LE(0, fd);
	port = rm_port_with_send(fd);
	ASSERT_EQ(0, rm_register(fd, key, port));
	EXPECT_EQ(0, as_nobody(nobody_tries_root_entry, key, NULL));
	/* Still ours. */
	ASSERT_EQ(0, rm_look_up(fd, key, &got));
	EXPECT_EQ(port, got);

	/* Root may replace and remove an entry of another uid. The entry's
	 * port died with the child: look-up says EPIPE first. */
	EXPECT_EQ(0, as_nobody(nobody_registers, key2, NULL));
	EXPECT_EQ(0, rm_reg(fd, RMACH_IOC_REGISTER, key2, &port,
			    RMACH_MSG_TYPE_MAKE_SEND, RMACH_REG_REPLACE));
	EXPECT_EQ(0, rm_unregister(fd, key2));
	EXPECT_EQ(0, rm_unregister(fd, key));
	close(fd);
	RM_EXPECT_BASELINE(&base);
}

TEST_HARNESS_MAIN
