// SPDX-License-Identifier: GPL-2.0
/* POSIX message queues: one queue per direction, unlinked at teardown. */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <unistd.h>

#include "transport.h"

enum { TO_SERVER, TO_CLIENT };

/* Within the default /proc/sys/fs/mqueue/msg_max (10) so no privilege is needed. */
#define QUEUE_DEPTH 8

static void queue_name(char *buf, size_t n, int dir)
{
	snprintf(buf, n, "/rmach-bench-%d-%s", (int)getpid(),
		 dir == TO_SERVER ? "to-server" : "to-client");
}

static mqd_t open_queue(int dir, size_t len)
{
	struct mq_attr attr = { .mq_maxmsg = QUEUE_DEPTH, .mq_msgsize = (long)len };
	char name[64];

	queue_name(name, sizeof(name), dir);
	return mq_open(name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600, &attr);
}

static void unlink_queue(int dir)
{
	char name[64];

	queue_name(name, sizeof(name), dir);
	mq_unlink(name);
}

static int mq_probe(size_t len, char *why, size_t why_len)
{
	mqd_t q = open_queue(TO_SERVER, len);
	int err = errno;

	if (q == (mqd_t)-1) {
		if (err == EINVAL)
			snprintf(why, why_len,
				 "%zu B messages exceed /proc/sys/fs/mqueue/msgsize_max", len);
		else if (err == ENOSYS)
			snprintf(why, why_len, "kernel built without POSIX message queues");
		else
			snprintf(why, why_len, "mq_open: errno %d", err);
		return -err;
	}
	mq_close(q);
	unlink_queue(TO_SERVER);
	return 0;
}

static int mq_setup(struct channel *ch)
{
	ch->fd[TO_SERVER] = open_queue(TO_SERVER, ch->len);
	if (ch->fd[TO_SERVER] < 0)
		return -errno;
	ch->fd[TO_CLIENT] = open_queue(TO_CLIENT, ch->len);
	return ch->fd[TO_CLIENT] < 0 ? -errno : 0;
}

static int mq_attach(struct channel *ch)
{
	(void)ch;
	return 0;
}

static int put(mqd_t q, const void *msg, size_t len)
{
	int rc;

	do
		rc = mq_send(q, msg, len, 0);
	while (rc < 0 && errno == EINTR);
	return rc < 0 ? -errno : 0;
}

static int get(mqd_t q, void *msg, size_t len)
{
	ssize_t n;

	do
		n = mq_receive(q, msg, len, NULL);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EMSGSIZE;
}

static int mq_call(struct channel *ch, const void *req, void *rep)
{
	int err = put(ch->fd[TO_SERVER], req, ch->len);

	return err ? err : get(ch->fd[TO_CLIENT], rep, ch->len);
}

static int mq_reply_and_receive(struct channel *ch, const void *reply, void *req)
{
	int err = reply ? put(ch->fd[TO_CLIENT], reply, ch->len) : 0;

	return err || !req ? err : get(ch->fd[TO_SERVER], req, ch->len);
}

static int mq_send_one(struct channel *ch, const void *msg)
{
	return put(ch->fd[TO_SERVER], msg, ch->len);
}

static int mq_receive_one(struct channel *ch, void *msg)
{
	return get(ch->fd[TO_SERVER], msg, ch->len);
}

static void mq_teardown(struct channel *ch)
{
	close_fds(ch);
	unlink_queue(TO_SERVER);
	unlink_queue(TO_CLIENT);
}

const struct transport transport_posix_mq = {
	.name = "posix-mq",
	.what = "POSIX message queue per direction (mq_send/mq_receive)",
	.one_way = true,
	.probe = mq_probe,
	.setup = mq_setup,
	.attach = mq_attach,
	.call = mq_call,
	.reply_and_receive = mq_reply_and_receive,
	.send = mq_send_one,
	.receive = mq_receive_one,
	.detach = close_fds,
	.teardown = mq_teardown,
};
