// SPDX-License-Identifier: GPL-2.0
/*
 * Android binder: a minimal context manager (server) and client written from
 * <linux/android/binder.h>. The server becomes the context manager, so the
 * client reaches it through handle 0 without a service manager.
 *
 * One BINDER_WRITE_READ per side per round trip, as libbinder does: the client
 * writes BC_FREE_BUFFER (previous reply) + BC_TRANSACTION and reads until
 * BR_REPLY; the server writes BC_FREE_BUFFER (request) + BC_REPLY and reads
 * until the next BR_TRANSACTION.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/android/binder.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "transport.h"

#define BINDER_DEVICE "/dev/binder"
#define MAP_BYTES (1024 * 1024)	/* what libbinder maps, rounded */
#define BENCH_CODE 1		/* transaction code; any value, the server ignores it */

struct binder {
	int fd;
	void *map;
	binder_uintptr_t to_free;	/* buffer of the last message received, or 0 */
	uint32_t read_buf[128];
};

/* Commands are a 32-bit code followed by its argument, packed. */
struct command_buf {
	unsigned char bytes[2 * (sizeof(uint32_t) + sizeof(struct binder_transaction_data))];
	size_t used;
};

static void put_command(struct command_buf *cb, uint32_t cmd, const void *arg, size_t len)
{
	memcpy(cb->bytes + cb->used, &cmd, sizeof(cmd));
	memcpy(cb->bytes + cb->used + sizeof(cmd), arg, len);
	cb->used += sizeof(cmd) + len;
}

/* Queue the free of the buffer we last received, so it rides on the next write. */
static void put_pending_free(struct command_buf *cb, struct binder *b)
{
	if (b->to_free)
		put_command(cb, BC_FREE_BUFFER, &b->to_free, sizeof(b->to_free));
	b->to_free = 0;
}

static int write_read(struct binder *b, const struct command_buf *cb, size_t *read_bytes)
{
	struct binder_write_read bwr = {
		.write_size = cb ? cb->used : 0,
		.write_buffer = (binder_uintptr_t)(uintptr_t)(cb ? cb->bytes : NULL),
		.read_size = read_bytes ? sizeof(b->read_buf) : 0,
		.read_buffer = (binder_uintptr_t)(uintptr_t)b->read_buf,
	};
	int rc;

	/* The driver resumes from write_consumed/read_consumed: retry as is. */
	do
		rc = ioctl(b->fd, BINDER_WRITE_READ, &bwr);
	while (rc < 0 && errno == EINTR);
	if (rc < 0)
		return -errno;
	if (read_bytes)
		*read_bytes = bwr.read_consumed;
	return 0;
}

/*
 * Writes `cb` (may be NULL), then reads until the driver returns `want`
 * (BR_TRANSACTION, BR_REPLY or BR_TRANSACTION_COMPLETE) and copies that
 * transaction's payload into `out`.
 */
static int exchange(struct channel *ch, const struct command_buf *cb, uint32_t want, void *out)
{
	struct binder *b = ch->priv;

	for (;;) {
		size_t got;
		int err = write_read(b, cb, &got);

		if (err)
			return err;
		cb = NULL;	/* written once; later rounds only read */

		for (size_t off = 0; off + sizeof(uint32_t) <= got;) {
			uint32_t cmd;
			struct binder_transaction_data tr;

			memcpy(&cmd, (char *)b->read_buf + off, sizeof(cmd));
			off += sizeof(cmd);
			switch (cmd) {
			case BR_TRANSACTION:
			case BR_REPLY:
				memcpy(&tr, (char *)b->read_buf + off, sizeof(tr));
				b->to_free = tr.data.ptr.buffer;
				if (cmd != want)
					return -EPROTO;
				if (tr.data_size != ch->len)
					return -EMSGSIZE;
				memcpy(out, (void *)(uintptr_t)tr.data.ptr.buffer, ch->len);
				return 0;
			case BR_TRANSACTION_COMPLETE:
				if (want == BR_TRANSACTION_COMPLETE)
					return 0;
				break;
			case BR_DEAD_REPLY:
				return -EPIPE;		/* no context manager any more */
			case BR_FAILED_REPLY:
			case BR_FROZEN_REPLY:
			case BR_ERROR:
				return -EIO;
			}
			/* Everything else (BR_NOOP, reference counting) is skipped. */
			off += _IOC_SIZE(cmd);
		}
	}
}

static int binder_probe(size_t len, char *why, size_t why_len)
{
	struct binder_version version = { 0 };
	int fd = open(BINDER_DEVICE, O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		int err = errno;

		snprintf(why, why_len, "%s: %s%s", BINDER_DEVICE, strerror(err),
			 err == ENOENT ? " (modprobe binder_linux)" : "");
		return -err;
	}
	int rc = ioctl(fd, BINDER_VERSION, &version);

	close(fd);
	if (rc < 0 || version.protocol_version != BINDER_CURRENT_PROTOCOL_VERSION) {
		snprintf(why, why_len, "binder protocol %d, this client speaks %d",
			 version.protocol_version, BINDER_CURRENT_PROTOCOL_VERSION);
		return -EPROTO;
	}
	if (len > MAP_BYTES / 4) {
		snprintf(why, why_len, "%zu B exceeds the %d B binder mapping's share", len,
			 MAP_BYTES / 4);
		return -EMSGSIZE;
	}
	return 0;
}

static int binder_setup(struct channel *ch)
{
	(void)ch;
	return 0;
}

/*
 * The previous run's context manager is released by deferred work after its
 * close(): wait for it rather than fail with EBUSY.
 */
static int become_context_manager(int fd)
{
	const struct timespec pause = { .tv_nsec = 10 * 1000 * 1000 };

	for (int tries = 0; tries < 300; tries++) {
		if (ioctl(fd, BINDER_SET_CONTEXT_MGR, 0) == 0)
			return 0;
		if (errno != EBUSY)
			return -errno;
		nanosleep(&pause, NULL);
	}
	return -EBUSY;
}

static int binder_attach(struct channel *ch)
{
	struct binder *b = calloc(1, sizeof(*b));
	int err;

	if (!b)
		return -ENOMEM;
	ch->priv = b;
	b->fd = open(BINDER_DEVICE, O_RDWR | O_CLOEXEC);
	if (b->fd < 0)
		return -errno;
	/* The driver refuses writable mappings: the receive buffers are its own. */
	b->map = mmap(NULL, MAP_BYTES, PROT_READ, MAP_PRIVATE, b->fd, 0);
	if (b->map == MAP_FAILED) {
		b->map = NULL;
		return -errno;
	}
	if (ch->role == ROLE_CLIENT)
		return 0;

	err = become_context_manager(b->fd);
	if (err)
		return err;
	struct command_buf cb = { .used = 0 };

	put_command(&cb, BC_ENTER_LOOPER, NULL, 0);
	return write_read(b, &cb, NULL);
}

static void fill_transaction(struct binder_transaction_data *tr, const void *data,
			     size_t len, uint32_t flags)
{
	memset(tr, 0, sizeof(*tr));
	tr->target.handle = 0;	/* the context manager */
	tr->code = BENCH_CODE;
	tr->flags = flags;
	tr->data_size = len;
	tr->data.ptr.buffer = (binder_uintptr_t)(uintptr_t)data;
}

static int binder_call(struct channel *ch, const void *req, void *rep)
{
	struct command_buf cb = { .used = 0 };
	struct binder_transaction_data tr;

	put_pending_free(&cb, ch->priv);
	fill_transaction(&tr, req, ch->len, 0);
	put_command(&cb, BC_TRANSACTION, &tr, sizeof(tr));
	return exchange(ch, &cb, BR_REPLY, rep);
}

static int binder_reply_and_receive(struct channel *ch, const void *reply, void *req)
{
	struct command_buf cb = { .used = 0 };
	struct binder_transaction_data tr;

	put_pending_free(&cb, ch->priv);
	if (reply) {
		fill_transaction(&tr, reply, ch->len, 0);
		put_command(&cb, BC_REPLY, &tr, sizeof(tr));
	}
	if (!req)
		return write_read(ch->priv, &cb, NULL);
	return exchange(ch, &cb, BR_TRANSACTION, req);
}

static void binder_detach(struct channel *ch)
{
	struct binder *b = ch->priv;

	if (!b)
		return;
	if (b->map)
		munmap(b->map, MAP_BYTES);
	if (b->fd >= 0)
		close(b->fd);
	free(b);
	ch->priv = NULL;
}

static void binder_teardown(struct channel *ch)
{
	(void)ch;
}

const struct transport transport_binder = {
	.name = "binder",
	.what = "Android binder, BC_TRANSACTION to the context manager, BC_REPLY",
	/*
	 * Oneway transactions have no flow control: once a sender outruns the
	 * receiver and fills the async half of the mapping it gets
	 * BR_FAILED_REPLY, so there is no steady stream to time.
	 */
	.no_one_way = "oneway binder has no flow control "
		      "(BR_FAILED_REPLY once the async space is full)",
	.probe = binder_probe,
	.setup = binder_setup,
	.attach = binder_attach,
	.call = binder_call,
	.reply_and_receive = binder_reply_and_receive,
	.detach = binder_detach,
	.teardown = binder_teardown,
};
