// SPDX-License-Identifier: GPL-2.0
/*
 * SysV message queue: one queue, the message type says the direction (the way
 * SysV queues are meant to be shared). msgsnd()/msgrcv() need the type word in
 * front of the payload, so each side copies through a per-process buffer.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/msg.h>

#include "transport.h"

enum { TO_SERVER = 1, TO_CLIENT = 2 };	/* message types, must be > 0 */

struct sysv_msg {
	long type;
	char payload[];
};

static int queue(const struct channel *ch)
{
	return ch->fd[0];
}

static int sysv_probe(size_t len, char *why, size_t why_len)
{
	struct msginfo info;
	int q = msgget(IPC_PRIVATE, IPC_CREAT | 0600);

	if (q < 0) {
		snprintf(why, why_len, "msgget: errno %d", errno);
		return -errno;
	}
	int rc = msgctl(q, IPC_INFO, (struct msqid_ds *)&info);

	msgctl(q, IPC_RMID, NULL);
	if (rc >= 0 && len > (size_t)info.msgmax) {
		snprintf(why, why_len,
			 "%zu B messages exceed /proc/sys/kernel/msgmax (%d)", len, info.msgmax);
		return -EINVAL;
	}
	return 0;
}

static int sysv_setup(struct channel *ch)
{
	ch->fd[0] = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	return ch->fd[0] < 0 ? -errno : 0;
}

static int sysv_attach(struct channel *ch)
{
	ch->priv = malloc(sizeof(struct sysv_msg) + ch->len);
	return ch->priv ? 0 : -ENOMEM;
}

static int put(struct channel *ch, long type, const void *payload)
{
	struct sysv_msg *m = ch->priv;
	int rc;

	m->type = type;
	memcpy(m->payload, payload, ch->len);
	do
		rc = msgsnd(queue(ch), m, ch->len, 0);
	while (rc < 0 && errno == EINTR);
	return rc < 0 ? -errno : 0;
}

static int get(struct channel *ch, long type, void *payload)
{
	struct sysv_msg *m = ch->priv;
	ssize_t n;

	do
		n = msgrcv(queue(ch), m, ch->len, type, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if ((size_t)n != ch->len)
		return -EMSGSIZE;
	memcpy(payload, m->payload, ch->len);
	return 0;
}

static int sysv_call(struct channel *ch, const void *req, void *rep)
{
	int err = put(ch, TO_SERVER, req);

	return err ? err : get(ch, TO_CLIENT, rep);
}

static int sysv_reply_and_receive(struct channel *ch, const void *reply, void *req)
{
	int err = reply ? put(ch, TO_CLIENT, reply) : 0;

	return err || !req ? err : get(ch, TO_SERVER, req);
}

static int sysv_send(struct channel *ch, const void *msg)
{
	return put(ch, TO_SERVER, msg);
}

static int sysv_receive(struct channel *ch, void *msg)
{
	return get(ch, TO_SERVER, msg);
}

static void sysv_detach(struct channel *ch)
{
	free(ch->priv);
	ch->priv = NULL;
}

static void sysv_teardown(struct channel *ch)
{
	if (ch->fd[0] >= 0)
		msgctl(ch->fd[0], IPC_RMID, NULL);
	ch->fd[0] = -1;
}

const struct transport transport_sysv_msg = {
	.name = "sysv-msg",
	.what = "SysV message queue, message type per direction (msgsnd/msgrcv)",
	.one_way = true,
	.probe = sysv_probe,
	.setup = sysv_setup,
	.attach = sysv_attach,
	.call = sysv_call,
	.reply_and_receive = sysv_reply_and_receive,
	.send = sysv_send,
	.receive = sysv_receive,
	.detach = sysv_detach,
	.teardown = sysv_teardown,
};
