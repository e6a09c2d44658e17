// SPDX-License-Identifier: MIT
/*
 * op_uring.c - IORING_OP_URING_CMD on /dev/rmach: sends, receives (which
 * park until a message comes) and, where the uapi has it, calls; broken
 * commands; rings closed with receives parked.
 *
 * Each thread has one ring and FZ_SLOTS command slots in one mmap'd block
 * (args, receive buffer, message sent), because a parked receive writes
 * its message and args when it completes, which may be much later. A ring
 * is closed in one of two ways: cancel first (the owner closing a dup of
 * each fd of the space ends its parked receives with ECANCELED), or just
 * close it and abandon the block (at most a few per thread), leaving the
 * receives parked on a ring nobody reads: the module must cope with both.
 * CQEs are checked like ioctl results, and a received message like one
 * received by ioctl.
 */
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <pthread.h>
#include <sys/mman.h>
#include "fuzz.h"

#define SLOT_ARGS	64
#define SLOT_BYTES	(SLOT_ARGS + 2 * FZ_SLOT_BUF)

void fz_uring_init(struct fz_thread *t)
{
	unsigned int i;
	void *m;

	t->ring_ok = false;
	t->inflight = 0;
	t->home_busy = 0;
	t->home_async = 0;
	memset(t->us, 0, sizeof(t->us));
	t->ublock_len = FZ_SLOTS * SLOT_BYTES;
	m = mmap(NULL, t->ublock_len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED) {
		t->ublock = NULL;
		return;
	}
	t->ublock = m;
	for (i = 0; i < FZ_SLOTS; i++) {
		unsigned char *base = t->ublock + (size_t)i * SLOT_BYTES;

		t->us[i].args = (struct rmach_msg_args *)base;
		t->us[i].buf = base + SLOT_ARGS;
		t->us[i].send = base + SLOT_ARGS + FZ_SLOT_BUF;
	}
	fz_quiet(t, true);
	if (io_uring_queue_init(FZ_RING, &t->ring, 0) == 0)
		t->ring_ok = true;
	fz_quiet(t, false);
}

static enum fz_op fz_uring_op(uint8_t cmd)
{
	switch (cmd) {
	case RMACH_URING_SEND:
		return OP_URING_SEND;
	case RMACH_URING_RCV:
		return OP_URING_RCV;
#ifdef RMACH_URING_CALL
	case RMACH_URING_CALL:
		return OP_URING_CALL;
#endif
	}
	return OP_URING_BAD;
}

/* For a CQE nobody asked for: the ring's indexes and every SQE slot used. */
static void fz_uring_dump(struct fz_thread *t)
{
	struct io_uring_sq *sq = &t->ring.sq;
	struct io_uring_cq *cq = &t->ring.cq;
	unsigned int k;

	fprintf(stderr, "rmach-fuzz: ring: sq head %u tail %u local %u..%u, cq head %u tail %u, flags %#x\n",
		*sq->khead, *sq->ktail, sq->sqe_head, sq->sqe_tail,
		*cq->khead, *cq->ktail, *sq->kflags);
	for (k = 0; k < *sq->kring_entries; k++) {
		struct io_uring_sqe *e = &sq->sqes[k];

		if (!e->opcode && !e->user_data && !e->fd)
			continue;
		fprintf(stderr, "rmach-fuzz:   sqe %u: op %u flags %#x fd %d cmd_op %#x user_data %#llx\n",
			k, e->opcode, e->flags, e->fd, e->cmd_op,
			(unsigned long long)e->user_data);
	}
	for (k = 0; k < FZ_SLOTS; k++)
		if (t->us[k].busy)
			fprintf(stderr, "rmach-fuzz:   slot %u busy: gen %u op %u sp %u bad %d\n",
				k, t->us[k].gen, t->us[k].op, t->us[k].sp,
				t->us[k].bad);
}

static void fz_uring_cqe(struct fz_thread *t, struct io_uring_cqe *cqe)
{
	unsigned int i = (unsigned int)(cqe->user_data & 0xFF);
	uint32_t gen = (uint32_t)(cqe->user_data >> 8);
	struct fz_uslot *s;
	enum fz_op op;
	int res = cqe->res, sp;
	bool ep_ok;

	if (i >= FZ_SLOTS || !t->us[i].busy || t->us[i].gen != gen) {
		fz_uring_dump(t);
		fz_fail(t, "CQE %#llx (slot %u gen %u) that is not in flight: res %d flags %#x; %u in flight, ring cycles %u",
			(unsigned long long)cqe->user_data, i, gen, res,
			cqe->flags, t->inflight, t->graves);
	}
	s = &t->us[i];
	op = fz_uring_op(s->op);
	sp = s->sp;
	s->busy = false;
	t->inflight--;
	if (s->home)
		t->home_busy--;
	if (s->async)
		t->home_async--;
	fz_count(t, op, res);
	fz_log_call(t, op, sp, res, s->args->rcv_name, s->args->options,
		    s->args->status, s->args->rcv_size);
	t->injected = s->faulted;
	t->bad_ptr = s->bad;
	t->blocking = false;
	if (res < -4095 || (res < 0 && -res >= 512))
		fz_fail(t, "%s: CQE res %d", fz_op_names[op], res);
	if (res < 0) {
		if (res == -EBADFD)
			fz_fail(t, "%s: EBADFD from the owner's own space",
				fz_op_names[op]);
		fz_check_errno(t, op, res);
		goto out;
	}
	if (op == OP_URING_BAD && !s->bad)
		fz_fail(t, "broken uring command succeeded: %d", res);
	if (s->bad)
		goto out;
	if (op == OP_URING_SEND) {
		if (res != 0 || !(s->args->status & RMACH_MSG_SENT))
			fz_fail(t, "uring send: res %d status %#x", res,
				s->args->status);
		goto out;
	}
	/* RCV or CALL: the size, in the args and the result. */
	if ((uint32_t)res != s->args->rcv_size ||
	    !(s->args->status & RMACH_MSG_RECEIVED))
		fz_fail(t, "%s: res %d, args rcv_size %u status %#x",
			fz_op_names[op], res, s->args->rcv_size,
			s->args->status);
	/* Names of a space since replaced mean nothing here. */
	ep_ok = sp == SP_HOME ? s->epoch == t->home_epoch :
		s->epoch == atomic_load(&t->p->chaos_epoch);
	if (ep_ok)
		fz_check_received_late(t, sp, s->buf, (uint32_t)res,
				       FZ_SLOT_BUF);
out:
	t->injected = false;
	t->bad_ptr = false;
}

void fz_uring_reap(struct fz_thread *t, bool wait)
{
	struct __kernel_timespec ts = { .tv_nsec = 3 * 1000 * 1000 };
	struct io_uring_cqe *cqe;
	int n = 0;

	if (!t->ring_ok)
		return;
	while (io_uring_peek_cqe(&t->ring, &cqe) == 0) {
		fz_uring_cqe(t, cqe);
		io_uring_cqe_seen(&t->ring, cqe);
		n++;
	}
	if (!n && wait && t->inflight &&
	    io_uring_wait_cqe_timeout(&t->ring, &cqe, &ts) == 0) {
		fz_uring_cqe(t, cqe);
		io_uring_cqe_seen(&t->ring, cqe);
	}
}

static int fz_free_slot(struct fz_thread *t)
{
	unsigned int i, start = fz_below(&t->rng, FZ_SLOTS);

	for (i = 0; i < FZ_SLOTS; i++) {
		unsigned int j = (start + i) % FZ_SLOTS;

		if (!t->us[j].busy)
			return (int)j;
	}
	return -1;
}

/* The owner closes a dup of each fd: every receive parked there ends. */
static void fz_cancel_parked(struct fz_thread *t)
{
	int fd, sp;

	for (sp = 0; sp < SP_NSPACES; sp++) {
		fd = dup(fz_fd(t, sp));
		if (fd >= 0)
			close(fd);
	}
}

/*
 * A block some command may still write into (a receive completing after
 * the ring closed, an IOSQE_ASYNC send writing its status back from io-wq)
 * is never unmapped at once: the next ring's own mmaps could land there
 * and be overwritten. It waits in the process's graveyard; the oldest grave
 * goes when a new one comes (by then the module has long cancelled what
 * was parked on the dead ring).
 */
static void fz_bury(struct fz_thread *t)
{
	struct fz_proc *p = t->p;
	unsigned char *old;
	unsigned int i;

	pthread_mutex_lock(&p->grave_lock);
	i = p->graves++ % FZ_GRAVES;
	old = p->grave[i];
	p->grave[i] = t->ublock;
	pthread_mutex_unlock(&p->grave_lock);
	if (old)
		munmap(old, t->ublock_len);
	t->graves++;
}

/*
 * Closes the ring. cancel_first: end the parked receives and collect their
 * CQEs, then close. Otherwise close with them parked (they may still
 * complete into the block, or be cancelled by the module).
 */
void fz_uring_exit(struct fz_thread *t, bool cancel_first)
{
	uint64_t until = fz_now_ms() + 2000;

	if (!t->ring_ok) {
		if (t->ublock)
			munmap(t->ublock, t->ublock_len);
		t->ublock = NULL;
		return;
	}
	if (cancel_first) {
		fz_cancel_parked(t);
		while (t->inflight && fz_now_ms() < until)
			fz_uring_reap(t, true);
	}
	io_uring_queue_exit(&t->ring);
	t->ring_ok = false;
	/* Commands of the closed ring may still run for a while. */
	if (t->home_busy)
		t->home_busy_until = fz_now_ms() + 3000;
	if (t->inflight)
		fz_bury(t);
	else
		munmap(t->ublock, t->ublock_len);
	t->ublock = NULL;
	t->inflight = 0;
	t->home_busy = 0;
	t->home_async = 0;
}

static void fz_prep(struct io_uring_sqe *sqe, int fd, uint32_t op,
		    uint64_t args)
{
	struct rmach_uring_cmd *c;

	io_uring_prep_rw(IORING_OP_URING_CMD, sqe, fd, NULL, 0, 0);
	sqe->cmd_op = op;
	c = (struct rmach_uring_cmd *)sqe->cmd;
	memset(c, 0, sizeof(*c));
	c->args = args;
}

void op_uring(struct fz_thread *t, enum fz_op op)
{
	int sp = fz_one_in(&t->rng, 2) ? SP_CHAOS : SP_HOME;
	int fd = fz_fd(t, sp), i, n;
	struct rmach_msg_args *a;
	struct io_uring_sqe *sqe;
	struct rmach_uring_cmd *c;
	struct fz_built b;
	struct fz_uslot *s;
	uint32_t cmd_op, dest, ddisp;
	bool bad = false;

	if (!t->ring_ok || fd < 0)
		return;
	if (fz_fd(t, SP_CHAOS) == t->home_fd)
		sp = SP_HOME;
	fz_uring_reap(t, false);
	i = fz_free_slot(t);
	if (i < 0) {
		fz_uring_reap(t, true);
		return;
	}
	sqe = io_uring_get_sqe(&t->ring);
	if (!sqe)
		return;
	s = &t->us[i];
	a = s->args;
	memset(a, 0, sizeof(*a));
	switch (op) {
	case OP_URING_SEND:
	case OP_URING_CALL:
		cmd_op = RMACH_URING_SEND;
		dest = fz_pick(t, sp, fz_one_in(&t->rng, 2) ? HINT_RECEIVE :
			       HINT_SEND);
		ddisp = t->last_hint == HINT_RECEIVE ?
			RMACH_MSG_TYPE_MAKE_SEND : fz_disp_for(t, t->last_hint);
		t->body_cap = FZ_SLOT_BUF - 24 - 8 * 65;
		a->options = RMACH_MSG_SEND;
		if (op == OP_URING_CALL) {
#ifdef RMACH_URING_CALL
			cmd_op = RMACH_URING_CALL;
			a->options |= RMACH_MSG_RCV;
			a->rcv_name = fz_pick(t, sp, HINT_RECEIVE);
			a->rcv_msg = (uintptr_t)s->buf;
			a->rcv_size = FZ_SLOT_BUF;
			fz_build_msg(t, sp, s->send, dest, ddisp, a->rcv_name,
				     RMACH_MSG_TYPE_MAKE_SEND_ONCE, &b);
#else
			op = OP_URING_SEND;
			fz_build_msg(t, sp, s->send, dest, ddisp, 0, 0, &b);
#endif
		} else {
			fz_build_msg(t, sp, s->send, dest, ddisp, 0, 0, &b);
		}
		t->body_cap = 0;
		a->send_msg = fz_ptr(t, s->send, b.size, &bad);
		a->send_size = b.size;
		break;
	case OP_URING_RCV:
		cmd_op = RMACH_URING_RCV;
		a->options = RMACH_MSG_RCV;
		a->rcv_name = fz_pick(t, sp, fz_one_in(&t->rng, 4) ? HINT_PSET :
				      HINT_RECEIVE);
		a->rcv_size = fz_one_in(&t->rng, 8) ?
			      fz_range(&t->rng, 24, 200) : FZ_SLOT_BUF;
		a->rcv_msg = fz_ptr(t, s->buf, a->rcv_size, &bad);
		break;
	default:	/* broken on purpose */
		cmd_op = fz_one_in(&t->rng, 2) ? (uint32_t)fz_rnd(&t->rng) :
			 fz_below(&t->rng, 8);
		a->options = fz_below(&t->rng, 16);
		a->rcv_name = fz_pick_any(t, sp);
		a->rcv_msg = (uintptr_t)s->buf;
		a->rcv_size = FZ_SLOT_BUF;
		if (fz_one_in(&t->rng, 2))
			a->send_timeout_ms = 1;
		if (fz_one_in(&t->rng, 2))
			a->rcv_timeout_ms = 1;
		bad = true;
		break;
	}
	if (fz_one_in(&t->rng, 60)) {
		a->reserved = 1;
		bad = true;
	}
	fz_prep(sqe, fd, cmd_op, (uintptr_t)a);
	c = (struct rmach_uring_cmd *)sqe->cmd;
	if (fz_one_in(&t->rng, 40)) {
		c->args = fz_ptr(t, a, sizeof(*a), &bad);
		bad = true;
	}
	if (fz_one_in(&t->rng, 60)) {
		c->flags = 1u << fz_below(&t->rng, 32);
		bad = true;
	}
	if (fz_one_in(&t->rng, 60)) {
		c->reserved = 1;
		bad = true;
	}
	/* io-wq: a send may run there, a receive is refused. */
	if (fz_one_in(&t->rng, 20))
		sqe->flags |= IOSQE_ASYNC;
	s->busy = true;
	s->op = (uint8_t)cmd_op;
	if (fz_uring_op(s->op) == OP_URING_BAD)
		s->op = 0;
	s->sp = (uint8_t)sp;
	s->bad = bad;
	s->gen = ++t->ugen & 0xFFFFFF;
	s->epoch = sp == SP_HOME ? t->home_epoch :
		   atomic_load(&t->p->chaos_epoch);
	io_uring_sqe_set_data64(sqe, (uint64_t)i | ((uint64_t)s->gen << 8));
	t->inflight++;
	s->home = sp == SP_HOME && ((sqe->flags & IOSQE_ASYNC) ||
				    s->op == RMACH_URING_RCV
#ifdef RMACH_URING_CALL
				    || s->op == RMACH_URING_CALL
#endif
				    );
	t->home_busy += s->home;
	s->async = s->home && (sqe->flags & IOSQE_ASYNC);
	t->home_async += s->async;

	fz_fault_before(t);
	atomic_store_explicit(&t->call_op, op, memory_order_relaxed);
	atomic_store_explicit(&t->call_since, fz_now_ms(),
			      memory_order_relaxed);
	n = io_uring_submit(&t->ring);
	atomic_store_explicit(&t->call_since, 0, memory_order_relaxed);
	fz_fault_after(t);
	s->faulted = t->injected;
	t->injected = false;
	/* Unsubmitted SQEs stay in the ring and go with the next submit. */
	if (n < 0 && n != -EAGAIN && n != -ENOMEM && n != -EINTR &&
	    n != -EBUSY)
		fz_fail(t, "io_uring_submit: %d", n);
	fz_uring_reap(t, false);
}
