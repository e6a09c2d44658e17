// SPDX-License-Identifier: GPL-2.0
/*
 * Limits (module parameters, lowered for each test and restored): ports per
 * space and per user, queued messages and bytes per space and per user,
 * spaces per user, message size. Each limit fails with its own errno and
 * changes nothing; a flooding process hits its limits while an unrelated
 * process keeps working at full speed.
 */
#include <poll.h>
#include <pthread.h>
#include "kselftest_harness.h"
#include "rmach_test.h"

#define PARAMS "/sys/module/rmach/parameters/"

static const char *const limit_params[] = {
	"space_ports", "space_msgs", "space_bytes", "user_ports", "user_msgs",
	"user_bytes", "user_spaces",
};
#define NPARAMS (sizeof(limit_params) / sizeof(limit_params[0]))

static long param_get(const char *name)
{
	char path[128];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), PARAMS "%s", name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

static int param_set(const char *name, long v)
{
	char path[128];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), PARAMS "%s", name);
	f = fopen(path, "w");
	if (!f)
		return -1;
	ok = fprintf(f, "%ld\n", v) > 0;
	return fclose(f) == 0 && ok ? 0 : -1;
}

FIXTURE(limits) {
	long saved[NPARAMS];
	struct rm_counters base;
};

FIXTURE_SETUP(limits)
{
	size_t i;

	rm_counters_read(&self->base);
	for (i = 0; i < NPARAMS; i++) {
		self->saved[i] = param_get(limit_params[i]);
		ASSERT_LE(0, self->saved[i]) {
			TH_LOG("cannot read parameter %s", limit_params[i]);
		}
	}
}

FIXTURE_TEARDOWN(limits)
{
	size_t i;

	for (i = 0; i < NPARAMS; i++)
		EXPECT_EQ(0, param_set(limit_params[i], self->saved[i]));
	RM_EXPECT_BASELINE(&self->base);
}

TEST_F(limits, ports_per_space_and_user)
{
	uint32_t name = 0;
	int a, b, i;

	ASSERT_EQ(0, param_set("space_ports", 20));
	ASSERT_EQ(0, param_set("user_ports", 30));
	a = rm_open();
	b = rm_open();
	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	for (i = 0; i < 20; i++)
		ASSERT_EQ(0, rm_alloc(a, RMACH_RIGHT_RECEIVE, &name));
	EXPECT_EQ(-ENOSPC, rm_alloc(a, RMACH_RIGHT_RECEIVE, &name));
	for (i = 0; i < 10; i++)
		ASSERT_EQ(0, rm_alloc(b, RMACH_RIGHT_RECEIVE, &name));
	EXPECT_EQ(-EDQUOT, rm_alloc(b, RMACH_RIGHT_RECEIVE, &name));
	/* Destroying one makes room again. */
	ASSERT_EQ(0, rm_name_op(b, RMACH_IOC_PORT_DESTROY, name));
	EXPECT_EQ(0, rm_alloc(b, RMACH_RIGHT_RECEIVE, &name));
	close(a);
	close(b);
}

TEST_F(limits, queued_messages_per_space_and_user)
{
	struct rm_msg m;
	uint32_t pa, pb;
	int a, b, i;

	ASSERT_EQ(0, param_set("space_msgs", 16));
	ASSERT_EQ(0, param_set("user_msgs", 24));
	a = rm_open();
	b = rm_open();
	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	pa = rm_port_with_send(a);
	pb = rm_port_with_send(b);
	ASSERT_EQ(0, rm_qlimit(a, pa, 100));
	ASSERT_EQ(0, rm_qlimit(b, pb, 100));
	for (i = 0; i < 16; i++)
		ASSERT_EQ(0, rm_send(a, pa, RMACH_MSG_TYPE_COPY_SEND, i, NULL,
				     0, 0));
	EXPECT_EQ(-ENOBUFS, rm_send(a, pa, RMACH_MSG_TYPE_COPY_SEND, 99, NULL,
				    0, 0));
	for (i = 0; i < 8; i++)
		ASSERT_EQ(0, rm_send(b, pb, RMACH_MSG_TYPE_COPY_SEND, i, NULL,
				     0, 0));
	EXPECT_EQ(-EDQUOT, rm_send(b, pb, RMACH_MSG_TYPE_COPY_SEND, 99, NULL,
				   0, 0));
	/* Nothing was queued by the refused sends; receiving frees room. */
	ASSERT_EQ(0, rm_recv(a, pa, &m, 0));
	EXPECT_EQ(0u, m.h.id);
	EXPECT_EQ(0, rm_send(b, pb, RMACH_MSG_TYPE_COPY_SEND, 8, NULL, 0, 0));
	close(a);
	close(b);
}

TEST_F(limits, queued_bytes_per_space)
{
	static char data[4000];
	uint32_t p;
	int fd;

	ASSERT_EQ(0, param_set("space_bytes", 10000));
	fd = rm_open();
	ASSERT_LE(0, fd);
	p = rm_port_with_send(fd);
	ASSERT_EQ(0, rm_qlimit(fd, p, 100));
	ASSERT_EQ(0, rm_send(fd, p, RMACH_MSG_TYPE_COPY_SEND, 1, data, 4000, 0));
	ASSERT_EQ(0, rm_send(fd, p, RMACH_MSG_TYPE_COPY_SEND, 2, data, 4000, 0));
	EXPECT_EQ(-ENOBUFS, rm_send(fd, p, RMACH_MSG_TYPE_COPY_SEND, 3, data,
				    4000, 0));
	EXPECT_EQ(0, rm_send(fd, p, RMACH_MSG_TYPE_COPY_SEND, 4, data, 2000, 0));
	close(fd);
}

TEST_F(limits, spaces_per_user)
{
	pid_t pid;

	ASSERT_EQ(0, param_set("user_spaces", 3));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int fds[4], i;

		/* A uid with no space open yet. */
		if (setgid(65534) || setuid(65534))
			_exit(10);
		for (i = 0; i < 3; i++)
			if ((fds[i] = rm_open()) < 0)
				_exit(11 + i);
		fds[3] = rm_open();
		if (fds[3] >= 0 || errno != EMFILE)
			_exit(20);
		close(fds[0]);
		if ((fds[3] = rm_open()) < 0)
			_exit(21);
		_exit(0);
	}
	EXPECT_EQ(0, rm_wait(pid));
}

struct worker {
	int fd;
	uint32_t port, reply;
	int rounds, failures;
	uint64_t worst_ms;
};

static void *echo_server(void *p)
{
	struct worker *w = p;
	struct rm_msg m;
	int i;

	for (i = 0; i < w->rounds; i++) {
		if (rm_recv(w->fd, w->port, &m, 10000)) {
			w->failures++;
			return NULL;
		}
		rm_msg_init(&m, m.h.remote_port, RMACH_MSG_TYPE_MOVE_SEND_ONCE,
			    0, 0, m.h.id, NULL, 0);
		if (rm_send_msg(w->fd, &m, 1000))
			w->failures++;
	}
	return NULL;
}

/* round trips between two threads of an unrelated process (another uid) */
static int worker_run(int rounds, uint64_t *worst)
{
	struct worker w = { .rounds = rounds };
	pthread_t t;
	int i;

	w.fd = rm_open();
	if (w.fd < 0)
		return 1;
	w.port = rm_port_with_send(w.fd);
	if (!w.port || rm_alloc(w.fd, RMACH_RIGHT_RECEIVE, &w.reply))
		return 2;
	if (pthread_create(&t, NULL, echo_server, &w))
		return 3;
	for (i = 0; i < rounds; i++) {
		struct rmach_msg_args a = { 0 };
		struct rm_msg m;
		uint64_t t0 = rm_now_ms(), dt;

		rm_msg_init(&m, w.port, RMACH_MSG_TYPE_COPY_SEND, w.reply,
			    RMACH_MSG_TYPE_MAKE_SEND_ONCE, i, NULL, 0);
		a.options = RMACH_MSG_SEND | RMACH_MSG_RCV | RMACH_MSG_RCV_TIMEOUT;
		a.send_msg = a.rcv_msg = (uintptr_t)&m;
		a.send_size = m.h.size;
		a.rcv_size = sizeof(m);
		a.rcv_name = w.reply;
		a.rcv_timeout_ms = 10000;
		if (rm_ioctl(w.fd, RMACH_IOC_MSG, &a) || m.h.id != (uint32_t)i)
			w.failures++;
		dt = rm_now_ms() - t0;
		if (dt > w.worst_ms)
			w.worst_ms = dt;
	}
	pthread_join(t, NULL);
	close(w.fd);
	*worst = w.worst_ms;
	return w.failures ? 4 : 0;
}

/* Floods until stop: ports and messages, counting refusals by errno. Says
 * on capped_fd when it has hit both of its caps. */
static int flooder(int stop_fd, int capped_fd)
{
	int fd = rm_open(), enobufs = 0, enospc = 0, edquot = 0, other = 0;
	uint32_t ports[64];
	int nports = 0, told = 0;
	char c;

	if (fd < 0)
		return 1;
	fcntl(stop_fd, F_SETFL, O_NONBLOCK);
	while (read(stop_fd, &c, 1) != 1) {
		uint32_t p;
		int err;

		err = rm_alloc(fd, RMACH_RIGHT_RECEIVE, &p);
		if (!err && nports < 64) {
			rm_insert(fd, p, p, RMACH_MSG_TYPE_MAKE_SEND);
			rm_qlimit(fd, p, 1024);
			ports[nports++] = p;
		}
		enospc += err == -ENOSPC;
		edquot += err == -EDQUOT;
		other += err && err != -ENOSPC && err != -EDQUOT;
		if (!nports)
			continue;
		err = rm_send(fd, ports[rand() % nports],
			      RMACH_MSG_TYPE_COPY_SEND, 1, ports, 256, 0);
		enobufs += err == -ENOBUFS;
		edquot += err == -EDQUOT;
		other += err && err != -ENOBUFS && err != -EDQUOT &&
			 err != -EAGAIN;
		if (!told && enobufs && enospc)
			told = write(capped_fd, "c", 1) == 1;
	}
	close(fd);
	/* It must have hit its caps, and only with the documented errnos. */
	if (other)
		return 2;
	if (!enobufs || !enospc)
		return 3;
	return 0;
}

TEST_F(limits, flooder_does_not_stop_others)
{
	uint64_t worst = 0, quiet = 0;
	int stop[2], capped[2];
	struct pollfd pfd;
	pid_t pid;

	/* A baseline without the flood. */
	ASSERT_EQ(0, worker_run(50, &quiet));

	ASSERT_EQ(0, param_set("space_ports", 200));
	ASSERT_EQ(0, param_set("space_msgs", 2000));
	ASSERT_EQ(0, pipe(stop));
	ASSERT_EQ(0, pipe(capped));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(stop[1]);
		close(capped[0]);
		if (setgid(65534) || setuid(65534))
			_exit(10);
		_exit(flooder(stop[0], capped[1]));
	}
	close(stop[0]);
	close(capped[1]);
	/* Work only once the flooder sits at its caps (and goes on). */
	pfd = (struct pollfd){ .fd = capped[0], .events = POLLIN };
	EXPECT_EQ(1, poll(&pfd, 1, 60000));
	close(capped[0]);
	EXPECT_EQ(0, worker_run(200, &worst));
	ASSERT_EQ(1, write(stop[1], "s", 1));
	close(stop[1]);
	EXPECT_EQ(0, rm_wait(pid));
	/* Never stalled: the worst round trip stays far below the limits
	 * a blocked queue would show (seconds). */
	EXPECT_LT(worst, 2000u) {
		TH_LOG("worst round trip %llu ms (quiet: %llu ms)",
		       (unsigned long long)worst, (unsigned long long)quiet);
	}
}

TEST_HARNESS_MAIN
