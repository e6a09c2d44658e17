// SPDX-License-Identifier: GPL-2.0
/*
 * trace-workload - a known message flow for the tracing tests.
 *
 *   trace-workload [N] [BODY]
 *
 * Two processes: "rmt-server" owns a port registered in the registry;
 * "rmt-client" makes N calls to it (id 1000, BODY bytes of data, a
 * make-send-once reply right), the server answers each (id 2000, no data).
 * Then the client sends one message (id 3000) carrying a send right to a
 * port of its own; the server asks for a dead-name notification on it and
 * (told so by a go-ahead message, id 4000) the client destroys the port, so
 * the server receives one dead-name
 * notification. Prints "client=PID server=PID", then "calls=N
 * ns_per_call=NS" (the calls' mean round trip), and exits 0 when all went as
 * described.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include "../kernel/rmach_test.h"

#define ID_REQUEST	1000
#define ID_REPLY	2000
#define ID_TRANSFER	3000
#define ID_DONE		4000

static int die(const char *what, int err)
{
	fprintf(stderr, "trace-workload: %s: %s\n", what, strerror(-err));
	return 1;
}

static int call(int fd, uint32_t dest, uint32_t reply, const void *data,
		uint32_t len, struct rm_msg *in)
{
	struct rm_msg out;
	struct rmach_msg_args a = {
		.send_msg = (uintptr_t)&out,
		.rcv_msg = (uintptr_t)in,
		.rcv_size = sizeof(*in),
		.rcv_name = reply,
		.options = RMACH_MSG_SEND | RMACH_MSG_RCV,
	};

	rm_msg_init(&out, dest, RMACH_MSG_TYPE_COPY_SEND, reply,
		    RMACH_MSG_TYPE_MAKE_SEND_ONCE, ID_REQUEST, data, len);
	a.send_size = out.h.size;
	return rm_ioctl(fd, RMACH_IOC_MSG, &a);
}

static int client(const char *key, unsigned int n, uint32_t body)
{
	char data[256] = { 0 };
	struct rmach_port_descriptor d;
	uint32_t server, reply, gift;
	struct timespec t0, t1;
	struct rm_msg m;
	unsigned int i;
	int fd, err;

	prctl(PR_SET_NAME, "rmt-client");
	fd = rm_open();
	if (fd < 0)
		return die("open", -errno);
	err = rm_look_up(fd, key, &server);
	if (err)
		return die("look up", err);
	err = rm_alloc(fd, RMACH_RIGHT_RECEIVE, &reply);
	if (err)
		return die("reply port", err);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++) {
		err = call(fd, server, reply, data, body, &m);
		if (err)
			return die("call", err);
		if (m.h.id != ID_REPLY)
			return die("reply id", -EPROTO);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (n)
		printf("calls=%u ns_per_call=%lld\n", n,
		       ((t1.tv_sec - t0.tv_sec) * 1000000000LL +
			t1.tv_nsec - t0.tv_nsec) / n);
	fflush(stdout);
	gift = rm_port_with_send(fd);
	if (!gift)
		return die("gift port", -ENOMEM);
	rm_msg_init(&m, server, RMACH_MSG_TYPE_COPY_SEND, reply,
		    RMACH_MSG_TYPE_MAKE_SEND_ONCE, ID_TRANSFER, NULL, 0);
	d.name = gift;
	d.disposition = RMACH_MSG_TYPE_MAKE_SEND;
	rm_msg_descs(&m, &d, 1);
	err = rm_send_msg(fd, &m, -1);
	if (err)
		return die("transfer", err);
	/* The server has asked for its notification when it says so. */
	err = rm_recv(fd, reply, &m, 5000);
	if (err || m.h.id != ID_DONE)
		return die("go-ahead", err ? err : -EPROTO);
	err = rm_name_op(fd, RMACH_IOC_PORT_DESTROY, gift);
	if (err)
		return die("destroy", err);
	return 0;
}

static int serve(int fd, uint32_t port, uint32_t notify, unsigned int n)
{
	struct rmach_notify_req req = { .variant = RMACH_NOTIFY_DEAD_NAME };
	struct rm_msg m, r;
	unsigned int i;
	int err;

	for (i = 0; i < n; i++) {
		err = rm_recv(fd, port, &m, 5000);
		if (err)
			return die("receive", err);
		if (m.h.id != ID_REQUEST)
			return die("request id", -EPROTO);
		rm_msg_init(&r, m.h.remote_port, RMACH_MSG_TYPE_MOVE_SEND_ONCE,
			    0, 0, ID_REPLY, NULL, 0);
		err = rm_send_msg(fd, &r, -1);
		if (err)
			return die("reply", err);
	}
	err = rm_recv(fd, port, &m, 5000);
	if (err || m.h.id != ID_TRANSFER || m.h.desc_count != 1)
		return die("transfer", err ? err : -EPROTO);
	req.name = m.u.cx.d[0].name;
	req.notify = notify;
	req.notify_disposition = RMACH_MSG_TYPE_MAKE_SEND_ONCE;
	err = rm_ioctl(fd, RMACH_IOC_REQUEST_NOTIFY, &req);
	if (err)
		return die("request notification", err);
	/* Now the client may destroy the port. */
	rm_msg_init(&r, m.h.remote_port, RMACH_MSG_TYPE_MOVE_SEND_ONCE, 0, 0,
		    ID_DONE, NULL, 0);
	err = rm_send_msg(fd, &r, -1);
	if (err)
		return die("go-ahead", err);
	err = rm_recv(fd, notify, &m, 5000);
	if (err || m.h.id != RMACH_NOTIFY_DEAD_NAME)
		return die("dead-name notification", err ? err : -EPROTO);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned int n = argc > 1 ? (unsigned int)atoi(argv[1]) : 10;
	uint32_t body = argc > 2 ? (uint32_t)atoi(argv[2]) : 64;
	uint32_t port, notify;
	char key[64];
	pid_t pid;
	int fd, err, status;

	if (body > 256)
		body = 256;
	prctl(PR_SET_NAME, "rmt-server");
	fd = rm_open();
	if (fd < 0)
		return die("open", -errno);
	port = rm_port_with_send(fd);
	if (!port || rm_alloc(fd, RMACH_RIGHT_RECEIVE, &notify))
		return die("ports", -ENOMEM);
	snprintf(key, sizeof(key), "trace-workload.%d", (int)getpid());
	err = rm_register(fd, key, port);
	if (err)
		return die("register", err);
	pid = fork();
	if (pid < 0)
		return die("fork", -errno);
	if (pid == 0)
		_exit(client(key, n, body));
	printf("client=%d server=%d\n", (int)pid, (int)getpid());
	fflush(stdout);

	err = serve(fd, port, notify, n);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		return err ? err : die("client", -ECHILD);
	return err;
}
