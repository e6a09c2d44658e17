// SPDX-License-Identifier: GPL-2.0
/* Pipe pair: one pipe per direction. The reference every figure is divided by. */
#include <errno.h>
#include <unistd.h>

#include "transport.h"

enum { TO_SERVER_RD, TO_SERVER_WR, TO_CLIENT_RD, TO_CLIENT_WR };

static int pipe_probe(size_t len, char *why, size_t why_len)
{
	(void)len, (void)why, (void)why_len;
	return 0;
}

static int pipe_setup(struct channel *ch)
{
	if (pipe(&ch->fd[TO_SERVER_RD]) || pipe(&ch->fd[TO_CLIENT_RD]))
		return -errno;
	return 0;
}

/* Each process closes the ends it does not use, so a dead peer reads as EOF. */
static int pipe_attach(struct channel *ch)
{
	int unused[2] = { TO_SERVER_RD, TO_CLIENT_WR };

	if (ch->role == ROLE_SERVER) {
		unused[0] = TO_SERVER_WR;
		unused[1] = TO_CLIENT_RD;
	}
	for (int i = 0; i < 2; i++) {
		close(ch->fd[unused[i]]);
		ch->fd[unused[i]] = -1;
	}
	return 0;
}

static int pipe_call(struct channel *ch, const void *req, void *rep)
{
	int err = write_full(ch->fd[TO_SERVER_WR], req, ch->len);

	return err ? err : read_full(ch->fd[TO_CLIENT_RD], rep, ch->len);
}

static int pipe_reply_and_receive(struct channel *ch, const void *reply, void *req)
{
	int err = reply ? write_full(ch->fd[TO_CLIENT_WR], reply, ch->len) : 0;

	return err || !req ? err : read_full(ch->fd[TO_SERVER_RD], req, ch->len);
}

static int pipe_send(struct channel *ch, const void *msg)
{
	return write_full(ch->fd[TO_SERVER_WR], msg, ch->len);
}

static int pipe_receive(struct channel *ch, void *msg)
{
	return read_full(ch->fd[TO_SERVER_RD], msg, ch->len);
}

const struct transport transport_pipe = {
	.name = "pipe",
	.what = "pipe pair, one per direction (read/write)",
	.one_way = true,
	.probe = pipe_probe,
	.setup = pipe_setup,
	.attach = pipe_attach,
	.call = pipe_call,
	.reply_and_receive = pipe_reply_and_receive,
	.send = pipe_send,
	.receive = pipe_receive,
	.detach = close_fds,
	.teardown = close_fds,
};
