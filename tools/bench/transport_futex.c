// SPDX-License-Identifier: GPL-2.0
/*
 * Futex ping-pong: one shared word says whose turn it is; each side flips it,
 * wakes the other and sleeps in FUTEX_WAIT until it flips back. The payload is
 * copied through the same shared mapping. No spinning: every hand-over is a
 * wake and a sleep, as a blocking IPC would be.
 */
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "transport.h"

enum { CLIENT_TURN, SERVER_TURN };

struct futex_page {
	_Atomic uint32_t turn;
	unsigned char payload[];
};

static size_t page_bytes(const struct channel *ch)
{
	return offsetof(struct futex_page, payload) + ch->len;
}

/* Not FUTEX_PRIVATE_FLAG: the two sides are separate processes. */
static long futex(_Atomic uint32_t *word, int op, uint32_t val)
{
	return syscall(SYS_futex, word, op, val, NULL, NULL, 0);
}

static int futex_probe(size_t len, char *why, size_t why_len)
{
	(void)len, (void)why, (void)why_len;
	return 0;
}

static int futex_setup(struct channel *ch)
{
	int err = map_shared(ch, page_bytes(ch));

	if (!err)
		atomic_store(&((struct futex_page *)ch->shared)->turn, CLIENT_TURN);
	return err;
}

static int futex_attach(struct channel *ch)
{
	(void)ch;
	return 0;
}

static int hand_over(struct futex_page *pg, uint32_t to)
{
	atomic_store_explicit(&pg->turn, to, memory_order_release);
	return futex(&pg->turn, FUTEX_WAKE, 1) < 0 ? -errno : 0;
}

static int wait_for(struct futex_page *pg, uint32_t mine)
{
	uint32_t now;

	while ((now = atomic_load_explicit(&pg->turn, memory_order_acquire)) != mine) {
		/* EAGAIN: it flipped between the load and the wait; look again. */
		if (futex(&pg->turn, FUTEX_WAIT, now) < 0 &&
		    errno != EAGAIN && errno != EINTR)
			return -errno;
	}
	return 0;
}

static int futex_call(struct channel *ch, const void *req, void *rep)
{
	struct futex_page *pg = ch->shared;
	int err;

	memcpy(pg->payload, req, ch->len);
	err = hand_over(pg, SERVER_TURN);
	if (!err)
		err = wait_for(pg, CLIENT_TURN);
	if (!err)
		memcpy(rep, pg->payload, ch->len);
	return err;
}

static int futex_reply_and_receive(struct channel *ch, const void *reply, void *req)
{
	struct futex_page *pg = ch->shared;
	int err = 0;

	if (reply) {
		memcpy(pg->payload, reply, ch->len);
		err = hand_over(pg, CLIENT_TURN);
	}
	if (!err && req) {
		err = wait_for(pg, SERVER_TURN);
		if (!err)
			memcpy(req, pg->payload, ch->len);
	}
	return err;
}

static void futex_teardown(struct channel *ch)
{
	unmap_shared(ch, page_bytes(ch));
}

const struct transport transport_futex = {
	.name = "futex",
	.what = "futex ping-pong on a shared word + payload in shared memory",
	.no_one_way = "one shared payload slot: streaming would need a ring buffer",
	.probe = futex_probe,
	.setup = futex_setup,
	.attach = futex_attach,
	.call = futex_call,
	.reply_and_receive = futex_reply_and_receive,
	.teardown = futex_teardown,
};
