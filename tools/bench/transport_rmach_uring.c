// SPDX-License-Identifier: GPL-2.0
/*
 * rmach over io_uring: IORING_OP_URING_CMD on the space's fd with the
 * commands of <linux/rmach.h>, through liburing (built only with
 * RMACH_BENCH_URING; otherwise the transports report "not built").
 *
 *   rmach-uring        round trip: the client issues one RMACH_URING_CALL
 *                      (request out, parked on its reply port) and waits for
 *                      its completion; the server submits its reply (SEND)
 *                      and its next receive (RCV) in one io_uring_enter.
 *                      One way: one SEND per io_uring_enter, one RCV in
 *                      flight: the ring's cost against one ioctl each.
 *   rmach-uring-batch  one way only: URING_BATCH sends per io_uring_enter,
 *                      URING_BATCH receives kept in flight.
 *
 * A send never waits: on a full queue it fails with EAGAIN. The sends of a
 * batch are linked (IOSQE_IO_LINK), so after a failure the rest of the batch
 * is cancelled rather than sent out of order; the sender then waits for room
 * with one blocking RMACH_IOC_MSG send of the failed message and submits the
 * rest again. Receives post their completions in the order they dequeue
 * (not in the order they were queued), so the receiver follows the CQ.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "transport.h"
#include "transport_rmach.h"

#ifdef RMACH_BENCH_URING
#include <liburing.h>

#define URING_BATCH 32

struct uring_slot {
	struct rmach_msg_args args;	/* read at issue, written at completion */
	struct rmach_msg_header *msg;	/* e.msg_bytes */
};

struct uring_end {
	struct rmach_end e;		/* first: shares rmach_end's set-up */
	struct io_uring ring;
	bool ring_ready;
	unsigned batch;			/* sends per submit, receives in flight */
	struct uring_slot *slots;
	unsigned queued;		/* sender: messages waiting in slots */
	bool receiving;			/* receiver: receives are in flight */
};

static void prep(struct uring_end *u, uint32_t op, struct rmach_msg_args *a,
		 uint64_t tag, unsigned sqe_flags)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&u->ring);
	struct rmach_uring_cmd *cmd;

	/* The ring has room for every command a caller queues before submitting. */
	io_uring_prep_rw(IORING_OP_URING_CMD, sqe, u->e.fd, NULL, 0, 0);
	sqe->cmd_op = op;
	sqe->flags |= sqe_flags;
	cmd = (struct rmach_uring_cmd *)sqe->cmd;
	memset(cmd, 0, sizeof(*cmd));
	cmd->args = (uint64_t)(uintptr_t)a;
	io_uring_sqe_set_data64(sqe, tag);
}

static void send_args(struct rmach_msg_args *a, const struct uring_end *u,
		      const struct rmach_msg_header *m)
{
	*a = (struct rmach_msg_args){
		.options = RMACH_MSG_SEND,
		.send_msg = (uint64_t)(uintptr_t)m,
		.send_size = (uint32_t)u->e.msg_bytes,
	};
}

static void rcv_args(struct rmach_msg_args *a, const struct uring_end *u,
		     struct rmach_msg_header *buf, uint32_t from)
{
	*a = (struct rmach_msg_args){
		.options = RMACH_MSG_RCV,
		.rcv_msg = (uint64_t)(uintptr_t)buf,
		.rcv_size = (uint32_t)u->e.msg_bytes,
		.rcv_name = from,
	};
}

/* Waits for the next completion: its result and tag. */
static int reap(struct uring_end *u, uint64_t *tag)
{
	struct io_uring_cqe *cqe;
	int err = io_uring_wait_cqe(&u->ring, &cqe);

	if (err)
		return err;
	*tag = io_uring_cqe_get_data64(cqe);
	err = cqe->res;
	io_uring_cqe_seen(&u->ring, cqe);
	return err;
}

/* A received message must be ours and whole (not a notification). */
static int check_received(const struct uring_end *u, int res,
			  const struct rmach_msg_header *m)
{
	if (res < 0)
		return res;
	return (size_t)res == u->e.msg_bytes && m->id == BENCH_MSG_ID ? 0 : -EBADMSG;
}

static int attach(struct channel *ch, unsigned batch)
{
	struct uring_end *u = calloc(1, sizeof(*u));
	int err;

	if (!u)
		return -ENOMEM;
	u->e.fd = -1;
	ch->priv = u;
	err = rmach_end_attach(ch, &u->e);
	if (err)
		return err;
	u->batch = batch;
	u->slots = calloc(batch, sizeof(*u->slots));
	if (!u->slots)
		return -ENOMEM;
	for (unsigned i = 0; i < batch; i++) {
		u->slots[i].msg = calloc(1, u->e.msg_bytes);
		if (!u->slots[i].msg)
			return -ENOMEM;
	}
	err = io_uring_queue_init(2 * batch, &u->ring, 0);
	u->ring_ready = !err;
	return err;
}

static int attach_single(struct channel *ch)
{
	return attach(ch, 1);
}

static int attach_batch(struct channel *ch)
{
	return attach(ch, URING_BATCH);
}

/* Client: one RMACH_URING_CALL, request and reply in e.out / e.in. */
static int uring_call(struct channel *ch, const void *req, void *rep)
{
	struct uring_end *u = ch->priv;
	struct rmach_msg_args *a = &u->slots[0].args;
	uint64_t tag;
	int res;

	rmach_build(&u->e, u->e.out,
		    RMACH_MSGH_BITS(RMACH_MSG_TYPE_COPY_SEND, RMACH_MSG_TYPE_MAKE_SEND_ONCE),
		    u->e.service, u->e.reply_port, req, ch->len);
	rcv_args(a, u, u->e.in, u->e.reply_port);
	a->options |= RMACH_MSG_SEND;
	a->send_msg = (uint64_t)(uintptr_t)u->e.out;
	a->send_size = (uint32_t)u->e.msg_bytes;
	prep(u, RMACH_URING_CALL, a, 0, 0);
	res = io_uring_submit_and_wait(&u->ring, 1);
	if (res < 0)
		return res;
	res = check_received(u, reap(u, &tag), u->e.in);
	if (!res)
		memcpy(rep, u->e.in + 1, ch->len);
	return res;
}

/* Server: the reply (SEND) and the next receive (RCV) in one submission. */
static int uring_reply_and_receive(struct channel *ch, const void *reply, void *req)
{
	struct uring_end *u = ch->priv;
	struct rmach_msg_args sa, ra;
	unsigned n = 0;
	int err = 0;

	if (reply) {
		rmach_build(&u->e, u->e.out, RMACH_MSGH_BITS(RMACH_MSG_TYPE_MOVE_SEND_ONCE, 0),
			    u->e.reply_to, RMACH_PORT_NULL, reply, ch->len);
		send_args(&sa, u, u->e.out);
		prep(u, RMACH_URING_SEND, &sa, RMACH_URING_SEND, 0);
		n++;
	}
	if (req) {
		rcv_args(&ra, u, u->e.in, u->e.service);
		prep(u, RMACH_URING_RCV, &ra, RMACH_URING_RCV, 0);
		n++;
	}
	err = io_uring_submit_and_wait(&u->ring, n);
	for (unsigned i = 0; err >= 0 && i < n; i++) {
		uint64_t op;
		int res = reap(u, &op);

		if (op == RMACH_URING_RCV)
			res = check_received(u, res, u->e.in);
		if (res < 0)
			err = res;
	}
	if (err < 0)
		return err;
	if (req) {
		memcpy(req, u->e.in + 1, ch->len);
		u->e.reply_to = u->e.in->remote_port;	/* the send-once right to answer on */
	}
	return 0;
}

/*
 * Submits the queued sends as one linked chain and reaps them; on a full
 * queue, waits for room by sending the failed message with the ioctl, then
 * goes on with the rest, so messages leave in order.
 */
static int flush_sends(struct uring_end *u)
{
	unsigned first = 0;

	while (first < u->queued) {
		unsigned n = u->queued - first, failed = u->queued;
		int err = 0, failed_res = 0;

		for (unsigned i = first; i < u->queued; i++) {
			send_args(&u->slots[i].args, u, u->slots[i].msg);
			prep(u, RMACH_URING_SEND, &u->slots[i].args, i,
			     i + 1 < u->queued ? IOSQE_IO_LINK : 0);
		}
		err = io_uring_submit_and_wait(&u->ring, n);
		for (unsigned i = 0; err >= 0 && i < n; i++) {
			uint64_t slot;
			int res = reap(u, &slot);

			if (res < 0 && slot < failed) {
				failed = (unsigned)slot;
				failed_res = res;
			}
		}
		if (err < 0)
			return err;
		if (failed == u->queued)
			break;
		if (failed_res != -EAGAIN)
			return failed_res;
		memcpy(u->e.out, u->slots[failed].msg, u->e.msg_bytes);
		err = rmach_msg(&u->e, true, RMACH_PORT_NULL);
		if (err)
			return err;
		first = failed + 1;
	}
	u->queued = 0;
	return 0;
}

static int uring_send(struct channel *ch, const void *m)
{
	struct uring_end *u = ch->priv;

	rmach_build(&u->e, u->slots[u->queued].msg, RMACH_MSGH_BITS(RMACH_MSG_TYPE_COPY_SEND, 0),
		    u->e.service, RMACH_PORT_NULL, m, ch->len);
	if (++u->queued < u->batch)
		return 0;
	return flush_sends(u);
}

static int uring_flush(struct channel *ch)
{
	return flush_sends(ch->priv);
}

static void queue_receive(struct uring_end *u, unsigned slot)
{
	rcv_args(&u->slots[slot].args, u, u->slots[slot].msg, u->e.service);
	prep(u, RMACH_URING_RCV, &u->slots[slot].args, slot, 0);
}

/*
 * Keeps u->batch receives in flight; each call takes the next completion,
 * which holds the next message (whichever slot it landed in), and puts that
 * slot back in flight with the next io_uring_enter.
 */
static int uring_receive(struct channel *ch, void *m)
{
	struct uring_end *u = ch->priv;
	uint64_t slot;
	int res;

	if (!u->receiving) {
		for (unsigned i = 0; i < u->batch; i++)
			queue_receive(u, i);
		u->receiving = true;
	}
	res = io_uring_submit_and_wait(&u->ring, 1);
	if (res < 0)
		return res;
	res = reap(u, &slot);
	if (slot >= u->batch)
		return -EBADMSG;
	res = check_received(u, res, u->slots[slot].msg);
	if (res)
		return res;
	memcpy(m, u->slots[slot].msg + 1, ch->len);
	queue_receive(u, (unsigned)slot);
	return 0;
}

/*
 * Closing the space first ends the receives still in flight (ECANCELED), so
 * the ring then closes with nothing parked.
 */
static void uring_detach(struct channel *ch)
{
	struct uring_end *u = ch->priv;

	if (!u)
		return;
	rmach_end_release(ch, &u->e);
	if (u->ring_ready)
		io_uring_queue_exit(&u->ring);
	for (unsigned i = 0; u->slots && i < u->batch; i++)
		free(u->slots[i].msg);
	free(u->slots);
	free(u);
	ch->priv = NULL;
}

static int uring_probe(size_t len, char *why, size_t why_len)
{
	struct rmach_version v;
	int err = rmach_probe(len, why, why_len);
	int fd;

	if (err)
		return err;
	fd = open(RMACH_DEVICE, O_RDWR | O_CLOEXEC);
	if (fd < 0 || rmach_ioctl(fd, RMACH_IOC_VERSION, &v))
		err = -errno;
	else if (!(v.features & RMACH_FEAT_URING_CALL))
		err = -EOPNOTSUPP;
	if (fd >= 0)
		close(fd);
	if (err)
		snprintf(why, why_len, "module without RMACH_URING_CALL");
	return err;
}

const struct transport transport_rmach_uring = {
	.name = "rmach-uring",
	.what = "rmach over io_uring: URING_CALL; server SEND+RCV per enter; one way: 1 per enter",
	.one_way = true,
	.scales_ports = true,
	.probe = uring_probe,
	.setup = rmach_setup,
	.attach = attach_single,
	.call = uring_call,
	.reply_and_receive = uring_reply_and_receive,
	.send = uring_send,
	.receive = uring_receive,
	.flush = uring_flush,
	.detach = uring_detach,
	.teardown = rmach_teardown,
};

const struct transport transport_rmach_uring_batch = {
	.name = "rmach-uring-batch",
	.what = "rmach over io_uring, one way: 32 linked SENDs per enter, 32 RCVs in flight",
	.one_way = true,
	.no_round_trip = "batching is for streams: see rmach-uring",
	.probe = uring_probe,
	.setup = rmach_setup,
	.attach = attach_batch,
	.send = uring_send,
	.receive = uring_receive,
	.flush = uring_flush,
	.detach = uring_detach,
	.teardown = rmach_teardown,
};

#else /* !RMACH_BENCH_URING */

static int uring_not_built(size_t len, char *why, size_t why_len)
{
	(void)len;
	snprintf(why, why_len, "not built: rmach-bench was built without liburing");
	return -ENOSYS;
}

const struct transport transport_rmach_uring = {
	.name = "rmach-uring",
	.what = "rmach over io_uring (not built)",
	.one_way = true,
	.probe = uring_not_built,
};

const struct transport transport_rmach_uring_batch = {
	.name = "rmach-uring-batch",
	.what = "rmach over io_uring, batched (not built)",
	.one_way = true,
	.no_round_trip = "batching is for streams: see rmach-uring",
	.probe = uring_not_built,
};

#endif /* RMACH_BENCH_URING */
