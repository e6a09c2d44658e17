// SPDX-License-Identifier: GPL-2.0
/* UNIX domain socket pair, SOCK_STREAM and SOCK_SEQPACKET. */
#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include "transport.h"

/* fd[0] is the server's end, fd[1] the client's. */
enum { SERVER_END, CLIENT_END };

static int unix_probe(size_t len, char *why, size_t why_len)
{
	(void)len, (void)why, (void)why_len;
	return 0;
}

static int unix_setup(struct channel *ch, int type)
{
	return socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, ch->fd) ? -errno : 0;
}

static int stream_setup(struct channel *ch)
{
	return unix_setup(ch, SOCK_STREAM);
}

static int seqpacket_setup(struct channel *ch)
{
	return unix_setup(ch, SOCK_SEQPACKET);
}

static int unix_attach(struct channel *ch)
{
	int unused = ch->role == ROLE_SERVER ? CLIENT_END : SERVER_END;

	close(ch->fd[unused]);
	ch->fd[unused] = -1;
	return 0;
}

static int my_end(const struct channel *ch)
{
	return ch->fd[ch->role == ROLE_SERVER ? SERVER_END : CLIENT_END];
}

/* A stream may split a message; read_full()/write_full() put it back together. */
static int stream_call(struct channel *ch, const void *req, void *rep)
{
	int err = write_full(my_end(ch), req, ch->len);

	return err ? err : read_full(my_end(ch), rep, ch->len);
}

static int stream_reply_and_receive(struct channel *ch, const void *reply, void *req)
{
	int err = reply ? write_full(my_end(ch), reply, ch->len) : 0;

	return err || !req ? err : read_full(my_end(ch), req, ch->len);
}

static int stream_send(struct channel *ch, const void *msg)
{
	return write_full(my_end(ch), msg, ch->len);
}

static int stream_receive(struct channel *ch, void *msg)
{
	return read_full(my_end(ch), msg, ch->len);
}

/* A seqpacket message arrives whole or not at all: a short one is a bug. */
static int packet_send(struct channel *ch, const void *msg)
{
	ssize_t n;

	do
		n = send(my_end(ch), msg, ch->len, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return (size_t)n == ch->len ? 0 : -EMSGSIZE;
}

static int packet_receive(struct channel *ch, void *msg)
{
	ssize_t n;

	do
		n = recv(my_end(ch), msg, ch->len, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (n == 0)
		return -EPIPE;
	return (size_t)n == ch->len ? 0 : -EMSGSIZE;
}

static int packet_call(struct channel *ch, const void *req, void *rep)
{
	int err = packet_send(ch, req);

	return err ? err : packet_receive(ch, rep);
}

static int packet_reply_and_receive(struct channel *ch, const void *reply, void *req)
{
	int err = reply ? packet_send(ch, reply) : 0;

	return err || !req ? err : packet_receive(ch, req);
}

const struct transport transport_unix_stream = {
	.name = "unix-stream",
	.what = "UNIX socketpair, SOCK_STREAM (read/write)",
	.one_way = true,
	.probe = unix_probe,
	.setup = stream_setup,
	.attach = unix_attach,
	.call = stream_call,
	.reply_and_receive = stream_reply_and_receive,
	.send = stream_send,
	.receive = stream_receive,
	.detach = close_fds,
	.teardown = close_fds,
};

const struct transport transport_unix_seqpacket = {
	.name = "unix-seqpacket",
	.what = "UNIX socketpair, SOCK_SEQPACKET (send/recv)",
	.one_way = true,
	.probe = unix_probe,
	.setup = seqpacket_setup,
	.attach = unix_attach,
	.call = packet_call,
	.reply_and_receive = packet_reply_and_receive,
	.send = packet_send,
	.receive = packet_receive,
	.detach = close_fds,
	.teardown = close_fds,
};
