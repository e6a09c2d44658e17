// SPDX-License-Identifier: MIT
/*
 * op_msg.c - RMACH_IOC_MSG: sends, receives and calls with random rights,
 * sizes, timeouts and pointers.
 *
 * Messages are built to be accepted most of the time (a destination the
 * thread believes it can send to, dispositions that suit the rights) so
 * that rights really move, queues fill and notifications fire; then one
 * field in a few is broken: header size, bits, descriptor count, sizes at
 * and past max_msg_size and RMACH_MSG_MAX_DESCRIPTORS, bad pointers.
 * Timeouts are mostly 0 and 1 ms; a phase without one is bounded by the
 * thread's deadline signal (worker.c), so a call never waits for long.
 */
#include <errno.h>
#include <string.h>
#include "fuzz.h"

#define HDR	sizeof(struct rmach_msg_header)
#define DESC	sizeof(struct rmach_port_descriptor)

static uint32_t fz_body_len(struct fz_thread *t)
{
	uint32_t r = fz_below(&t->rng, 100), len;

	if (t->body_cap) {
		len = fz_below(&t->rng, 100) < 70 ? fz_below(&t->rng, 65) :
						   fz_below(&t->rng, t->body_cap);
		return len < t->body_cap ? len : t->body_cap;
	}
	if (r < 50)
		return fz_below(&t->rng, 65);
	if (r < 80)
		return fz_range(&t->rng, 65, 4096);
	if (r < 90)	/* around page boundaries */
		return fz_range(&t->rng, 1, 4) * 4096 - HDR +
		       fz_range(&t->rng, 0, 16) - 8;
	if (r < 96)	/* at max_msg_size (65536 by default) */
		return 65536 - 1 + fz_below(&t->rng, 3);
	return fz_below(&t->rng, FZ_BODY_MAX + 1);
}

static uint32_t fz_ndesc(struct fz_thread *t)
{
	uint32_t r = fz_below(&t->rng, 100);

	if (r < 55)
		return 0;
	if (r < 88)
		return fz_range(&t->rng, 1, 4);
	if (r < 97)
		return fz_range(&t->rng, 5, RMACH_MSG_MAX_DESCRIPTORS);
	return RMACH_MSG_MAX_DESCRIPTORS + 1;
}

void fz_build_msg(struct fz_thread *t, int sp, unsigned char *buf,
		  uint32_t dest, uint32_t dest_disp, uint32_t reply,
		  uint32_t reply_disp, struct fz_built *b)
{
	struct rmach_msg_header *h = (void *)buf;
	struct rmach_port_descriptor *d = (void *)(h + 1);
	uint32_t ndesc = fz_ndesc(t), body = fz_body_len(t), i;

	memset(b, 0, sizeof(*b));
	memset(h, 0, HDR);
	h->bits = RMACH_MSGH_BITS(dest_disp, reply ? reply_disp : 0);
	h->remote_port = dest;
	h->local_port = reply;
	h->id = FZ_ID_BASE | (uint32_t)(fz_rnd(&t->rng) & 0xFFFFFF);
	for (i = 0; i < ndesc; i++) {
		if (fz_one_in(&t->rng, 20)) {
			d[i].name = 0;
			d[i].disposition = 0;
			continue;
		}
		d[i].name = fz_pick_any(t, sp);
		d[i].disposition = fz_disp_for(t, t->last_hint);
	}
	h->desc_count = ndesc;
	if (ndesc)
		h->bits |= RMACH_MSGH_BITS_COMPLEX;
	h->size = (uint32_t)(HDR + DESC * ndesc + body);
	fz_body_fill(t, (unsigned char *)(d + ndesc), body, h->id);
	b->names[0] = dest;
	b->names[1] = reply;
	b->names[2] = ndesc ? d[0].name : 0;
	b->size = h->size;
	/*
	 * Broken so that the module must refuse it: a message it accepted
	 * with another size or descriptor count would fail the receiver's
	 * body check for nothing.
	 */
	if (fz_one_in(&t->rng, 30)) {
		b->malformed = true;
		switch (fz_below(&t->rng, 5)) {
		case 0:
			h->bits ^= 1u << fz_below(&t->rng, 32);
			break;
		case 1:
			h->bits ^= RMACH_MSGH_BITS_COMPLEX;
			break;
		case 2:	/* send_size stays b->size */
			h->size = fz_one_in(&t->rng, 2) ?
				  h->size - fz_range(&t->rng, 1, 24) :
				  h->size + fz_range(&t->rng, 1, 1u << 20);
			break;
		case 3:
			h->desc_count = fz_one_in(&t->rng, 2) ? 0 :
				RMACH_MSG_MAX_DESCRIPTORS + 1 +
				fz_below(&t->rng, 1000);
			if (!ndesc)
				h->desc_count++;
			break;
		default:	/* a reply port without a disposition */
			h->bits &= ~RMACH_MSGH_BITS_LOCAL_MASK;
			h->local_port = fz_pick_any(t, sp) | 1;
			break;
		}
	}
}

/* A destination: mostly a name believed to take a send, with a fitting
 * disposition. */
static uint32_t fz_dest(struct fz_thread *t, int sp, uint32_t *disp)
{
	uint32_t name = fz_pick(t, sp, fz_one_in(&t->rng, 2) ? HINT_RECEIVE :
				HINT_SEND);
	unsigned int hint = t->last_hint;

	if (hint == HINT_RECEIVE)
		*disp = fz_one_in(&t->rng, 3) ? RMACH_MSG_TYPE_MAKE_SEND_ONCE :
						 RMACH_MSG_TYPE_MAKE_SEND;
	else
		*disp = fz_disp_for(t, hint);
	if (*disp == RMACH_MSG_TYPE_MOVE_RECEIVE && !fz_one_in(&t->rng, 8))
		*disp = RMACH_MSG_TYPE_COPY_SEND;
	return name;
}

static uint32_t fz_reply(struct fz_thread *t, int sp, uint32_t *disp)
{
	uint32_t r = fz_below(&t->rng, 100);

	*disp = 0;
	if (r < 50)
		return 0;
	if (r < 95) {
		*disp = r < 85 ? RMACH_MSG_TYPE_MAKE_SEND_ONCE :
				 RMACH_MSG_TYPE_MAKE_SEND;
		return fz_pick(t, sp, HINT_RECEIVE);
	}
	*disp = fz_below(&t->rng, 26);
	return fz_pick_any(t, sp);
}

/* A phase's timeout option: mostly 0 or 1 ms, sometimes none at all. */
static void fz_timeout(struct fz_thread *t, uint32_t opt, uint32_t *options,
		       uint32_t *ms, bool *untimed)
{
	uint32_t r = fz_below(&t->rng, 100);

	*untimed = false;
	if (r < 45) {
		*ms = 0;
	} else if (r < 70) {
		*ms = 1;
	} else if (r < 82) {
		*ms = fz_range(&t->rng, 2, 12);
	} else {
		*untimed = true;
		return;
	}
	*options |= opt;
	if (fz_one_in(&t->rng, 50))
		*ms = (uint32_t)fz_rnd(&t->rng) | 0x80000000u;
}

/* A receive buffer: usually roomy, sometimes just too small. */
static uint32_t fz_rcv_size(struct fz_thread *t)
{
	uint32_t r = fz_below(&t->rng, 100);

	if (r < 65)
		return FZ_MSG_MAX;
	if (r < 85)
		return fz_range(&t->rng, HDR, 300);
	if (r < 95)
		return fz_range(&t->rng, HDR, 8192);
	return fz_size(t, FZ_MSG_MAX, FZ_MSG_MAX);
}

/*
 * After EMSGSIZE on the home space the message stays queued and rcv_size
 * says what it needs: a receive with that much room gets it (the port's
 * head does not change: only this thread receives there).
 */
static void fz_check_too_large(struct fz_thread *t, int fd, uint32_t name,
			       uint32_t need)
{
	struct rmach_msg_args a = {
		.rcv_msg = (uintptr_t)t->rbuf,
		.rcv_size = FZ_MSG_MAX,
		.rcv_name = name,
		.options = RMACH_MSG_RCV | RMACH_MSG_RCV_TIMEOUT,
	};
	int err;

	if (need > FZ_MSG_MAX)
		return;
	err = fz_ioctl(t, OP_VERIFY, fd, RMACH_IOC_MSG, &a);
	if (err == -ENOMEM || err == -EFAULT)	/* fault injected meanwhile */
		return;
	if (err || a.rcv_size != need)
		fz_fail(t, "EMSGSIZE said %u bytes for %#x; receiving gave %d, %u bytes",
			need, name, err, a.rcv_size);
	fz_check_received(t, SP_HOME, t->rbuf, a.rcv_size, FZ_MSG_MAX);
}

void op_msg(struct fz_thread *t, enum fz_op op)
{
	int sp = fz_one_in(&t->rng, 3) ? SP_CHAOS : SP_HOME;
	int fd = fz_fd(t, sp), err;
	struct rmach_msg_args a = { 0 }, *ap;
	struct fz_snap snaps[3];
	struct fz_built b = { 0 };
	bool untimed_s = false, untimed_r = false, snap = false, bad, long_wait;
	uint32_t dest, ddisp, reply, rdisp, bufsize = 0, i;

	if (fd < 0)
		return;
	if (fz_fd(t, SP_CHAOS) == t->home_fd)
		sp = SP_HOME;
	t->bad_ptr = false;
	if (op == OP_SEND || op == OP_CALL) {
		dest = fz_dest(t, sp, &ddisp);
		reply = fz_reply(t, sp, &rdisp);
		if (op == OP_CALL && !reply) {
			reply = fz_pick(t, sp, HINT_RECEIVE);
			rdisp = RMACH_MSG_TYPE_MAKE_SEND_ONCE;
		}
		fz_build_msg(t, sp, t->sbuf, dest, ddisp, reply, rdisp, &b);
		a.options |= RMACH_MSG_SEND;
		a.send_msg = fz_ptr(t, t->sbuf, b.size, &bad);
		t->bad_ptr |= bad;
		a.send_size = fz_one_in(&t->rng, 40) ?
			      fz_size(t, b.size, FZ_MSG_MAX) : b.size;
		fz_timeout(t, RMACH_MSG_SEND_TIMEOUT, &a.options,
			   &a.send_timeout_ms, &untimed_s);
	}
	if (op == OP_RCV || op == OP_CALL) {
		a.options |= RMACH_MSG_RCV;
		a.rcv_name = op == OP_CALL ? reply :
			     fz_pick(t, sp, fz_one_in(&t->rng, 4) ? HINT_PSET :
							       HINT_RECEIVE);
		bufsize = fz_rcv_size(t);
		a.rcv_size = bufsize;
		a.rcv_msg = fz_ptr(t, t->rbuf, bufsize < FZ_MSG_MAX ? bufsize :
				   FZ_MSG_MAX, &bad);
		t->bad_ptr |= bad;
		fz_timeout(t, RMACH_MSG_RCV_TIMEOUT, &a.options,
			   &a.rcv_timeout_ms, &untimed_r);
		if (op == OP_CALL && untimed_r && fz_one_in(&t->rng, 2)) {
			a.options |= RMACH_MSG_RCV_TIMEOUT;
			a.rcv_timeout_ms = fz_range(&t->rng, 1, 10);
			untimed_r = false;
		}
	}
	/* Fields that must be zero. */
	if (fz_one_in(&t->rng, 50))
		a.reserved = 1;
	if (fz_one_in(&t->rng, 50))
		a.status = RMACH_MSG_SENT;
	/* Another option bit: maybe a phase whose buffer is NULL (EFAULT). */
	if (fz_one_in(&t->rng, 50)) {
		a.options |= 1u << fz_below(&t->rng, 32);
		t->bad_ptr = true;
	}
	if (op == OP_SEND && fz_one_in(&t->rng, 50))
		a.rcv_size = 64;
	if (op == OP_RCV && fz_one_in(&t->rng, 50))
		a.send_timeout_ms = 1;
	t->blocking = untimed_s || untimed_r ||
		      (a.options & RMACH_MSG_SEND_TIMEOUT && a.send_timeout_ms) ||
		      (a.options & RMACH_MSG_RCV_TIMEOUT && a.rcv_timeout_ms);
	ap = (void *)(uintptr_t)fz_ptr(t, &a, sizeof(a), &bad);
	t->bad_ptr |= bad;

	if (op != OP_RCV && !t->bad_ptr && sp == SP_HOME && fz_home_exact(t) &&
	    (t->arm || fz_one_in(&t->rng, 8))) {
		snap = true;
		for (i = 0; i < 3; i++)
			fz_snap(t, fd, b.names[i], &snaps[i]);
	}
	/* Untimed, or timed for days (a huge timeout): bounded all the same. */
	long_wait = untimed_s || untimed_r ||
		    ((a.options & RMACH_MSG_SEND_TIMEOUT) &&
		     a.send_timeout_ms > 1000) ||
		    ((a.options & RMACH_MSG_RCV_TIMEOUT) &&
		     a.rcv_timeout_ms > 1000);
	if (long_wait)
		fz_deadline_arm(t, fz_range(&t->rng, 2, 30));
	t->la_set = true;
	t->la[0] = b.names[0];
	t->la[1] = a.send_size;
	t->la[2] = a.options;
	t->la[3] = a.rcv_name;
	err = fz_ioctl(t, op, fd, RMACH_IOC_MSG, ap);
	if (long_wait)
		fz_deadline_disarm(t);

	if (err == -EMSGSIZE && op == OP_RCV && sp == SP_HOME && !t->bad_ptr &&
	    fz_home_exact(t) && a.rcv_size > bufsize && a.rcv_size >= HDR &&
	    bufsize >= HDR && (a.status & RMACH_MSG_ERR_RCV))
		fz_check_too_large(t, fd, a.rcv_name, a.rcv_size);
	/* (EFAULT under a fault: the status may not have come back.) */
	if (err && err != -EFAULT && snap && !(a.status & RMACH_MSG_SENT))
		for (i = 0; i < 3; i++)
			if (b.names[i] != b.names[(i + 1) % 3] &&
			    b.names[i] != b.names[(i + 2) % 3])
				fz_snap_same(t, fd, b.names[i], &snaps[i],
					     fz_op_names[op], err);
	if (!err && (a.options & RMACH_MSG_SEND) && !t->bad_ptr &&
	    !(a.status & RMACH_MSG_SENT))
		fz_fail(t, "%s succeeded without RMACH_MSG_SENT (status %#x)",
			fz_op_names[op], a.status);
	if (!err && (a.options & RMACH_MSG_RCV) && !t->bad_ptr) {
		if (!(a.status & RMACH_MSG_RECEIVED))
			fz_fail(t, "%s succeeded without RMACH_MSG_RECEIVED (status %#x)",
				fz_op_names[op], a.status);
		fz_check_received(t, sp, t->rbuf, a.rcv_size, bufsize);
	}
	t->blocking = false;
	t->bad_ptr = false;
}
