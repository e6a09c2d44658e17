// SPDX-License-Identifier: GPL-2.0
/*
 * eventfd pair: an eventfd per direction signals "your turn"; the payload goes
 * through a shared page, copied in and out on each side like the other
 * transports copy through the kernel.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "transport.h"

enum { TO_SERVER, TO_CLIENT };

static int efd_probe(size_t len, char *why, size_t why_len)
{
	(void)len, (void)why, (void)why_len;
	return 0;
}

static int efd_setup(struct channel *ch)
{
	ch->fd[TO_SERVER] = eventfd(0, EFD_CLOEXEC);
	ch->fd[TO_CLIENT] = eventfd(0, EFD_CLOEXEC);
	if (ch->fd[TO_SERVER] < 0 || ch->fd[TO_CLIENT] < 0)
		return -errno;
	return map_shared(ch, ch->len);
}

static int efd_attach(struct channel *ch)
{
	(void)ch;
	return 0;
}

static int signal_peer(int fd)
{
	uint64_t one = 1;

	return write_full(fd, &one, sizeof(one));
}

static int wait_turn(int fd)
{
	uint64_t count;

	return read_full(fd, &count, sizeof(count));
}

static int efd_call(struct channel *ch, const void *req, void *rep)
{
	int err;

	memcpy(ch->shared, req, ch->len);
	err = signal_peer(ch->fd[TO_SERVER]);
	if (!err)
		err = wait_turn(ch->fd[TO_CLIENT]);
	if (!err)
		memcpy(rep, ch->shared, ch->len);
	return err;
}

static int efd_reply_and_receive(struct channel *ch, const void *reply, void *req)
{
	int err = 0;

	if (reply) {
		memcpy(ch->shared, reply, ch->len);
		err = signal_peer(ch->fd[TO_CLIENT]);
	}
	if (!err && req) {
		err = wait_turn(ch->fd[TO_SERVER]);
		if (!err)
			memcpy(req, ch->shared, ch->len);
	}
	return err;
}

static void efd_teardown(struct channel *ch)
{
	close_fds(ch);
	unmap_shared(ch, ch->len);
}

const struct transport transport_eventfd = {
	.name = "eventfd",
	.what = "eventfd per direction + payload copied through shared memory",
	.no_one_way = "one shared payload slot: streaming would need a ring buffer",
	.probe = efd_probe,
	.setup = efd_setup,
	.attach = efd_attach,
	.call = efd_call,
	.reply_and_receive = efd_reply_and_receive,
	.teardown = efd_teardown,
};
