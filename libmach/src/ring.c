/* SPDX-License-Identifier: MIT */
/*
 * ring.c - <mach/ring.h> on liburing 2.3: IORING_OP_URING_CMD with
 * RMACH_URING_SEND / _RCV / _CALL (uapi/linux/rmach.h). Each operation
 * in flight owns a slot holding its struct rmach_msg_args (the kernel writes
 * status and rcv_size there at completion); user_data is the slot index.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <liburing.h>
#include <mach/ring.h>
#include "internal.h"

struct lm_slot {
	struct rmach_msg_args args;
	uint64_t tag;
	mach_msg_header_t *msg;
	unsigned int next_free;
};

struct rmach_ring {
	struct io_uring uring;
	int fd;
	int has_call;			/* the module has RMACH_URING_CALL */
	unsigned int nslots, free_head;	/* free list; nslots = empty */
	struct lm_slot *slots;
};

kern_return_t rmach_ring_create(unsigned int entries, rmach_ring_t **out)
{
	struct rmach_ring *r;
	kern_return_t kr;
	unsigned int i;

	if (!out || entries == 0 || entries > 4096)
		return KERN_INVALID_ARGUMENT;
	r = calloc(1, sizeof(*r));
	if (!r)
		return KERN_RESOURCE_SHORTAGE;
	r->fd = lm_space_fd(MACH_TASK_SELF, &kr);
	if (r->fd < 0)
		goto err_free;
	{
		struct rmach_version v = { 0 };

		r->has_call = ioctl(r->fd, RMACH_IOC_VERSION, &v) == 0 &&
			      (v.features & RMACH_FEAT_URING_CALL);
	}
	r->slots = calloc(entries, sizeof(*r->slots));
	kr = KERN_RESOURCE_SHORTAGE;
	if (!r->slots)
		goto err_free;
	/* The CQ (2 * entries) holds every slot's completion. */
	if (io_uring_queue_init(entries, &r->uring, 0))
		goto err_slots;
	r->nslots = entries;
	for (i = 0; i < entries; i++)
		r->slots[i].next_free = i + 1;
	r->free_head = 0;
	*out = r;
	return KERN_SUCCESS;

err_slots:
	free(r->slots);
err_free:
	free(r);
	return kr;
}

void rmach_ring_destroy(rmach_ring_t *ring)
{
	if (!ring)
		return;
	io_uring_queue_exit(&ring->uring);
	free(ring->slots);
	free(ring);
}

static kern_return_t lm_ring_queue(struct rmach_ring *r, unsigned int op,
				   const struct rmach_msg_args *a,
				   mach_msg_header_t *msg, uint64_t tag)
{
	struct rmach_uring_cmd *cmd;
	struct io_uring_sqe *sqe;
	struct lm_slot *s;
	unsigned int i;

	if (r->free_head >= r->nslots)
		return KERN_RESOURCE_SHORTAGE;
	sqe = io_uring_get_sqe(&r->uring);
	if (!sqe)
		return KERN_RESOURCE_SHORTAGE;
	i = r->free_head;
	s = &r->slots[i];
	r->free_head = s->next_free;
	s->args = *a;
	s->tag = tag;
	s->msg = msg;
	io_uring_prep_rw(IORING_OP_URING_CMD, sqe, r->fd, NULL, 0, 0);
	sqe->cmd_op = op;
	cmd = (struct rmach_uring_cmd *)sqe->cmd;
	memset(cmd, 0, sizeof(*cmd));
	cmd->args = (uintptr_t)&s->args;
	io_uring_sqe_set_data64(sqe, i);
	return KERN_SUCCESS;
}

kern_return_t rmach_ring_send(rmach_ring_t *ring, mach_msg_header_t *msg,
			      uint64_t tag)
{
	struct rmach_msg_args a = { 0 };

	if (!ring || !msg)
		return KERN_INVALID_ARGUMENT;
	a.options = RMACH_MSG_SEND;
	a.send_msg = (uintptr_t)msg;
	a.send_size = msg->msgh_size;
	return lm_ring_queue(ring, RMACH_URING_SEND, &a, msg, tag);
}

kern_return_t rmach_ring_receive(rmach_ring_t *ring, mach_port_name_t name,
				 mach_msg_header_t *buf, mach_msg_size_t size,
				 uint64_t tag)
{
	struct rmach_msg_args a = { 0 };

	if (!ring || !buf || size < sizeof(*buf))
		return KERN_INVALID_ARGUMENT;
	a.options = RMACH_MSG_RCV;
	a.rcv_msg = (uintptr_t)buf;
	a.rcv_size = size;
	a.rcv_name = name;
	return lm_ring_queue(ring, RMACH_URING_RCV, &a, buf, tag);
}

kern_return_t rmach_ring_call(rmach_ring_t *ring, mach_msg_header_t *msg,
			      mach_port_name_t reply_name,
			      mach_msg_header_t *buf, mach_msg_size_t size,
			      uint64_t tag)
{
	struct rmach_msg_args a = { 0 };

	if (!ring || !msg || !buf || size < sizeof(*buf))
		return KERN_INVALID_ARGUMENT;
	if (!ring->has_call)
		return KERN_NOT_SUPPORTED;
	a.options = RMACH_MSG_SEND | RMACH_MSG_RCV;
	a.send_msg = (uintptr_t)msg;
	a.send_size = msg->msgh_size;
	a.rcv_msg = (uintptr_t)buf;
	a.rcv_size = size;
	a.rcv_name = reply_name;
	return lm_ring_queue(ring, RMACH_URING_CALL, &a, buf, tag);
}

int rmach_ring_submit(rmach_ring_t *ring)
{
	if (!ring)
		return -EINVAL;
	return io_uring_submit(&ring->uring);
}

static void lm_ring_complete(struct rmach_ring *r, struct io_uring_cqe *cqe,
			     struct rmach_ring_completion *c)
{
	unsigned int i = (unsigned int)io_uring_cqe_get_data64(cqe);
	struct lm_slot *s = &r->slots[i];
	int res = cqe->res;

	unsigned int options = s->args.options;
	/* A call that parked had sent (the kernel then writes no status). */
	int send_failed = (options & RMACH_MSG_SEND) &&
			  !(s->args.status & (RMACH_MSG_SENT | RMACH_MSG_ERR_RCV)) &&
			  res != -ECANCELED && res != -EBADFD;

	c->tag = s->tag;
	c->msg = s->msg;
	c->op = !(options & RMACH_MSG_RCV) ? RMACH_RING_SEND :
		(options & RMACH_MSG_SEND) ? RMACH_RING_CALL : RMACH_RING_RCV;
	c->size = c->op != RMACH_RING_SEND && res >= 0 ? (mach_msg_size_t)res : 0;
	if (res >= 0)
		c->kr = MACH_MSG_SUCCESS;
	else if (c->op == RMACH_RING_SEND || send_failed)
		c->kr = res == -EAGAIN ? MACH_SEND_TIMED_OUT :
					 lm_send_errno(-res, s->args.status);
	else if (res == -ECANCELED)
		c->kr = MACH_RCV_INTERRUPTED;
	else
		c->kr = lm_rcv_errno(-res);
	if (c->op != RMACH_RING_SEND && !send_failed && res == -EMSGSIZE)
		c->size = s->args.rcv_size;	/* the size needed */
	s->next_free = r->free_head;
	r->free_head = i;
}

int rmach_ring_reap(rmach_ring_t *ring, struct rmach_ring_completion *out,
		    unsigned int max, unsigned int min)
{
	struct io_uring_cqe *cqe;
	unsigned int n = 0;
	int err;

	if (!ring || (max && !out) || min > max)
		return -EINVAL;
	while (n < max) {
		if (n < min)
			err = io_uring_wait_cqe(&ring->uring, &cqe);
		else
			err = io_uring_peek_cqe(&ring->uring, &cqe);
		if (err == -EAGAIN)
			break;
		if (err)
			return n ? (int)n : err;
		lm_ring_complete(ring, cqe, &out[n++]);
		io_uring_cqe_seen(&ring->uring, cqe);
	}
	return (int)n;
}
