// SPDX-License-Identifier: MIT
/*
 * check.c - what the fuzzer can check from user space, and the failure
 * report.
 *
 * Every call goes through fz_ioctl() (or, for io_uring, op_uring.c's CQE
 * handling), which counts it, logs it in the thread's ring of last calls
 * and checks its errno against the uapi table: an errno the table does not
 * list, a kernel-internal one (ERESTARTSYS leaking out), ENOMEM or EFAULT
 * with no fault injected and no bad pointer, ENOTTY for a known command or
 * EBADFD in the owning process is a bug. Messages received are checked
 * whole (header, rights, the body's checksum), and a failed call on a
 * thread's home space must leave every name it named as it was.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include "fuzz.h"

const char *const fz_op_names[FZ_NOPS] = {
	[OP_VERSION] = "version", [OP_ALLOCATE] = "allocate",
	[OP_DESTROY] = "destroy", [OP_DEALLOCATE] = "deallocate",
	[OP_TYPE] = "type", [OP_MOD_REFS] = "mod_refs",
	[OP_GET_REFS] = "get_refs", [OP_INSERT] = "insert_right",
	[OP_EXTRACT] = "extract_right", [OP_GET_ATTR] = "get_attr",
	[OP_SET_ATTR] = "set_attr", [OP_PSET_ADD] = "portset_add",
	[OP_PSET_REMOVE] = "portset_remove", [OP_PSET_MOVE] = "portset_move",
	[OP_SEND] = "msg_send", [OP_RCV] = "msg_rcv", [OP_CALL] = "msg_call",
	[OP_NOTIFY] = "request_notify", [OP_REGISTER] = "register",
	[OP_LOOK_UP] = "look_up", [OP_UNREGISTER] = "unregister",
	[OP_STATS] = "space_stats", [OP_POLL_PORT] = "poll_port",
	[OP_BAD_IOCTL] = "bad_ioctl", [OP_URING_SEND] = "uring_send",
	[OP_URING_RCV] = "uring_rcv", [OP_URING_CALL] = "uring_call",
	[OP_URING_BAD] = "uring_bad", [OP_OPEN] = "open",
	[OP_CLOSE_DUP] = "close_dup", [OP_POLL] = "poll", [OP_FORK] = "fork",
	[OP_RING_CYCLE] = "ring_cycle", [OP_NONBLOCK] = "nonblock",
	[OP_REMAP] = "remap", [OP_PEER_SEND] = "peer_send",
	[OP_SVC_RCV] = "svc_rcv", [OP_PEER_CHECK] = "peer_check",
	[OP_VERIFY] = "verify", [OP_FLOOD] = "flood",
};

static void fz_dump_log(struct fz_thread *t)
{
	unsigned int i, n = t->nlog < FZ_LOG_SHOWN ? t->nlog : FZ_LOG_SHOWN;

	fprintf(stderr, "rmach-fuzz: last %u calls of slot %u inc %u thread %u (oldest first):\n",
		n, t->p->slot, t->p->inc, t->idx);
	for (i = 0; i < n; i++) {
		const struct fz_logent *e = &t->log[(t->nlog - n + i) % FZ_LOG];

		fprintf(stderr, "  %-15s fd=%d res=%d args %#x %#x %#x %#x\n",
			e->op < FZ_NOPS ? fz_op_names[e->op] : "?", e->fd_kind,
			e->res, e->a[0], e->a[1], e->a[2], e->a[3]);
	}
}

/* Every logged call that had name among its first four words. */
void fz_dump_name(struct fz_thread *t, uint32_t name)
{
	unsigned int i, j, n = t->nlog < FZ_LOG ? t->nlog : FZ_LOG;

	fprintf(stderr, "rmach-fuzz: the last %u calls naming %#x:\n", n, name);
	for (i = 0; i < n; i++) {
		unsigned int k = t->nlog - n + i;
		const struct fz_logent *e = &t->log[k % FZ_LOG];

		for (j = 0; j < 4; j++)
			if (e->a[j] == name)
				break;
		if (j < 4)
			fprintf(stderr, "  [-%u] %-15s fd=%d res=%d args %#x %#x %#x %#x\n",
				t->nlog - k, fz_op_names[e->op], e->fd_kind,
				e->res, e->a[0], e->a[1], e->a[2], e->a[3]);
	}
}

void fz_fail(struct fz_thread *t, const char *fmt, ...)
{
	struct fz_shared *sh = t->p->sh;
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "rmach-fuzz: FAIL slot %u inc %u thread %u gen %u (pid %d): %s\n",
		t->p->slot, t->p->inc, t->idx, t->gen, (int)getpid(), msg);
	fz_dump_log(t);
	if (!atomic_exchange(&sh->fail_lock, 1))
		snprintf(sh->failure, sizeof(sh->failure),
			 "slot %u inc %u thread %u: %s", t->p->slot, t->p->inc,
			 t->idx, msg);
	atomic_store(&sh->failed, 1);
	_exit(FZ_EXIT_FAIL);
}

void fz_log_call(struct fz_thread *t, enum fz_op op, int fd_kind, int res,
		 uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3)
{
	struct fz_logent *e = &t->log[t->nlog++ % FZ_LOG];

	e->op = (uint8_t)op;
	e->fd_kind = (int8_t)fd_kind;
	e->res = (int16_t)(res < -32768 ? -32768 : res > 32767 ? 32767 : res);
	e->a[0] = a0;
	e->a[1] = a1;
	e->a[2] = a2;
	e->a[3] = a3;
	if (t->p->o->trace)
		fprintf(stderr, "T %u.%u.%u.%u %s fd=%d res=%d %#x %#x %#x %#x%s\n",
			t->p->slot, t->p->inc, t->idx, t->gen, fz_op_names[op],
			fd_kind, res, a0, a1, a2, a3,
			t->injected ? " [fault]" : "");
}

void fz_count(struct fz_thread *t, enum fz_op op, int res)
{
	struct fz_counts *c = t->c;

	atomic_fetch_add_explicit(&c->calls, 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&c->op[op], 1, memory_order_relaxed);
	if (res >= 0)
		atomic_fetch_add_explicit(&c->ok[op], 1, memory_order_relaxed);
	else if (-res < 136)
		atomic_fetch_add_explicit(&c->err[-res], 1,
					  memory_order_relaxed);
}

static bool fz_is_uring(enum fz_op op)
{
	return op >= OP_URING_SEND && op <= OP_URING_BAD;
}

static bool fz_is_msg(enum fz_op op)
{
	return op == OP_SEND || op == OP_RCV || op == OP_CALL ||
	       op == OP_PEER_SEND || op == OP_SVC_RCV;
}

static bool fz_is_registry(enum fz_op op)
{
	return op == OP_REGISTER || op == OP_LOOK_UP || op == OP_UNREGISTER ||
	       op == OP_PEER_CHECK;
}

/*
 * The uapi errno table, narrowed by what the call was. A fault injected
 * into this call, or the random fault mode, allows ENOMEM and EFAULT (a
 * page fault on user memory may need a page the injection refuses).
 */
void fz_check_errno(struct fz_thread *t, enum fz_op op, int err)
{
	bool faults = t->injected || (t->p->o->fault & FZ_FAULT_RATE);
	int e = -err;

	if (err >= 0)
		return;
	switch (e) {
	case EINVAL: case ENOENT: case EPERM: case EEXIST: case EOVERFLOW:
	case EPIPE: case EMSGSIZE: case EAGAIN: case ENOSPC: case ENOBUFS:
	case EDQUOT: case ESTALE:
		return;
	case EACCES:
		if (fz_is_registry(op))
			return;
		break;
	case ESRCH:
		if (op == OP_PSET_REMOVE || op == OP_PSET_MOVE)
			return;
		break;
	case EINTR:
	case ETIMEDOUT:
		if (t->blocking || fz_is_uring(op))
			return;
		break;
	case ENOMEM:
		if (faults)
			return;
		break;
	case EFAULT:
		if (faults || t->bad_ptr)
			return;
		break;
	case ENOTTY:
		if (op == OP_BAD_IOCTL)
			return;
		break;
	case EMFILE:
		if (op == OP_OPEN || op == OP_FLOOD)
			return;
		break;
	case ECANCELED:
	case EOPNOTSUPP:
		if (fz_is_uring(op))
			return;
		break;
	default:
		break;
	}
	if (e == ETIMEDOUT && fz_is_msg(op))
		return;
	fz_fail(t, "%s: unexpected errno %d (%s)%s%s", fz_op_names[op], e,
		e < 512 ? strerror(e) : "kernel-internal",
		faults ? ", fault injected" : "",
		t->bad_ptr ? ", bad pointer" : "");
}

int fz_ioctl(struct fz_thread *t, enum fz_op op, int fd, unsigned long cmd,
	     void *arg)
{
	uint32_t a[4] = { 0 };
	int r, err;

	if (t->la_set)
		memcpy(a, t->la, sizeof(a));
	else if (!t->bad_ptr && arg)
		memcpy(a, arg, sizeof(a));
	t->la_set = false;
	/* Random calls never name the link thread's own service names. */
	if (t->idx == 0 && fd == t->home_fd && !t->link_call &&
	    (op == OP_DEALLOCATE || op == OP_DESTROY || op == OP_MOD_REFS ||
	     op == OP_INSERT || op == OP_EXTRACT || op == OP_NOTIFY) &&
	    (fz_protected(t, SP_HOME, a[0]) ||
	     (op == OP_INSERT && fz_protected(t, SP_HOME, a[1]))))
		fz_fail(t, "fuzzer bug: %s on protected name %#x", fz_op_names[op],
			a[0]);
	if (t->p->o->trace > 1)
		fprintf(stderr, "T> %u.%u.%u.%u %s cmd %#lx %#x %#x %#x %#x\n",
			t->p->slot, t->p->inc, t->idx, t->gen, fz_op_names[op],
			cmd, a[0], a[1], a[2], a[3]);
	fz_fault_before(t);
	atomic_store_explicit(&t->call_op, op, memory_order_relaxed);
	atomic_store_explicit(&t->call_since, fz_now_ms(),
			      memory_order_relaxed);
	r = ioctl(fd, cmd, arg);
	err = r < 0 ? -errno : r;
	atomic_store_explicit(&t->call_since, 0, memory_order_relaxed);
	fz_fault_after(t);
	fz_count(t, op, err);
	fz_log_call(t, op, fd == t->home_fd ? SP_HOME : SP_CHAOS, err,
		    a[0], a[1], a[2], a[3]);
	if (r > 0)
		fz_fail(t, "%s: ioctl returned %d", fz_op_names[op], r);
	fz_check_errno(t, op, err);
	return err;
}

/* --- message bodies ------------------------------------------------------ */

struct fz_body_hdr {
	uint32_t magic, len, id, sum;
};

static uint32_t fz_fnv(const unsigned char *p, uint32_t n)
{
	uint32_t h = 2166136261u;

	while (n--)
		h = (h ^ *p++) * 16777619u;
	return h;
}

/* A body that says its own length and id and carries a checksum. */
void fz_body_fill(struct fz_thread *t, unsigned char *body, uint32_t len,
		  uint32_t id)
{
	struct fz_body_hdr h = { FZ_BODY_MAGIC, len, id, 0 };
	uint64_t x = fz_rnd(&t->rng);
	uint32_t i;

	if (len < sizeof(h)) {
		for (i = 0; i < len; i++)
			body[i] = (unsigned char)(id + i * 31);
		return;
	}
	/* Cheap filler: a 64-bit LCG, 8 bytes at a time. */
	for (i = sizeof(h); i < len; i++) {
		if (!((i - sizeof(h)) & 7))
			x = x * 6364136223846793005ull + 1442695040888963407ull;
		body[i] = (unsigned char)(x >> (8 * ((i - sizeof(h)) & 7)));
	}
	h.sum = fz_fnv(body + sizeof(h), len - sizeof(h));
	memcpy(body, &h, sizeof(h));
}

static void fz_check_body(struct fz_thread *t, const unsigned char *body,
			  uint32_t len, uint32_t id)
{
	struct fz_body_hdr h;
	uint32_t i;

	if (len < sizeof(h)) {
		for (i = 0; i < len; i++)
			if (body[i] != (unsigned char)(id + i * 31))
				fz_fail(t, "received body byte %u of %u: %#x, sent %#x",
					i, len, body[i],
					(unsigned char)(id + i * 31));
		return;
	}
	memcpy(&h, body, sizeof(h));
	if (h.magic != FZ_BODY_MAGIC || h.len != len || h.id != id)
		fz_fail(t, "received body: magic %#x len %u id %#x, expected len %u id %#x",
			h.magic, h.len, h.id, len, id);
	if (fz_fnv(body + sizeof(h), len - sizeof(h)) != h.sum)
		fz_fail(t, "received body of %u bytes (id %#x): checksum differs",
			len, id);
}

static bool fz_right_type_ok(uint32_t disp, uint32_t type)
{
	switch (disp) {
	case RMACH_MSG_TYPE_PORT_RECEIVE:
		return type & RMACH_TYPE_RECEIVE;
	case RMACH_MSG_TYPE_PORT_SEND:
		return type & (RMACH_TYPE_SEND | RMACH_TYPE_DEAD_NAME);
	case RMACH_MSG_TYPE_PORT_SEND_ONCE:
		return type & (RMACH_TYPE_SEND_ONCE | RMACH_TYPE_DEAD_NAME);
	}
	return false;
}

/*
 * A right the message brought: on the home space (no other thread acts
 * there) the name must hold it now.
 */
static void fz_check_right(struct fz_thread *t, int sp, bool types,
			   uint32_t name, uint32_t disp, const char *what)
{
	struct rmach_port_name pn = { .name = name };
	bool arm = t->arm, injected = t->injected;
	int err;

	if (disp == 0 || name == RMACH_PORT_NULL || name == RMACH_PORT_DEAD)
		return;
	if (disp < RMACH_MSG_TYPE_PORT_RECEIVE ||
	    disp > RMACH_MSG_TYPE_PORT_SEND_ONCE)
		fz_fail(t, "received %s with disposition %u", what, disp);
	if (sp == SP_HOME && types && fz_home_exact(t)) {
		t->arm = false;
		err = fz_ioctl(t, OP_VERIFY, t->home_fd, RMACH_IOC_PORT_TYPE,
			       &pn);
		t->arm = arm;
		t->injected = injected;
		if (err || !fz_right_type_ok(disp, pn.type))
			fz_fail(t, "received %s %#x (disposition %u): type %#x, error %d",
				what, name, disp, pn.type, err);
		atomic_fetch_add_explicit(&t->c->checks, 1,
					  memory_order_relaxed);
	}
}

static void fz_check_notification(struct fz_thread *t,
				  const struct rmach_msg_header *h)
{
	uint32_t want;

	switch (h->id) {
	case RMACH_NOTIFY_PORT_DESTROYED:
		want = sizeof(*h) + sizeof(struct rmach_port_descriptor);
		if (h->desc_count != 1)
			fz_fail(t, "port-destroyed notification with %u descriptors",
				h->desc_count);
		break;
	case RMACH_NOTIFY_SEND_ONCE:
		want = sizeof(*h);
		break;
	default:
		want = sizeof(struct rmach_notify_msg);
		break;
	}
	if (h->size != want)
		fz_fail(t, "notification %#o of %u bytes, expected %u", h->id,
			h->size, want);
	if (RMACH_MSGH_BITS_REMOTE(h->bits))
		fz_fail(t, "notification %#o carries a reply right", h->id);
}

/*
 * A message received into msg (size bytes, in a buffer of bufsize): a
 * well-formed header, rights the receiver now holds, and either a
 * notification or one of our bodies, intact.
 */
static void fz_check_msg(struct fz_thread *t, int sp, const void *msg,
			 uint32_t size, uint32_t bufsize, bool types);

void fz_check_received(struct fz_thread *t, int sp, const void *msg,
		       uint32_t size, uint32_t bufsize)
{
	fz_check_msg(t, sp, msg, size, bufsize, true);
}

/*
 * A message io_uring delivered some time ago: the thread may have changed
 * the names it brought since, so their rights are not checked.
 */
void fz_check_received_late(struct fz_thread *t, int sp, const void *msg,
			    uint32_t size, uint32_t bufsize)
{
	fz_check_msg(t, sp, msg, size, bufsize, false);
}

static void fz_check_msg(struct fz_thread *t, int sp, const void *msg,
			 uint32_t size, uint32_t bufsize, bool types)
{
	const struct rmach_msg_header *h = msg;
	const struct rmach_port_descriptor *d = (const void *)(h + 1);
	uint32_t i, remote, body;

	if (size < sizeof(*h) || size > bufsize || h->size != size)
		fz_fail(t, "received size %u, header says %u, buffer %u", size,
			h->size, bufsize);
	if (h->desc_count > RMACH_MSG_MAX_DESCRIPTORS ||
	    size < sizeof(*h) + 8 * h->desc_count)
		fz_fail(t, "received %u descriptors in %u bytes", h->desc_count,
			size);
	if (!!(h->bits & RMACH_MSGH_BITS_COMPLEX) != !!h->desc_count)
		fz_fail(t, "received bits %#x with %u descriptors", h->bits,
			h->desc_count);
	remote = RMACH_MSGH_BITS_REMOTE(h->bits);
	if (remote && remote != RMACH_MSG_TYPE_PORT_SEND &&
	    remote != RMACH_MSG_TYPE_PORT_SEND_ONCE)
		fz_fail(t, "received reply disposition %u", remote);
	if (!remote && h->remote_port)
		fz_fail(t, "received reply port %#x without disposition",
			h->remote_port);
	body = size - sizeof(*h) - 8 * h->desc_count;
	if (h->id >= RMACH_NOTIFY_PORT_DELETED &&
	    h->id <= RMACH_NOTIFY_DEAD_NAME)
		fz_check_notification(t, h);
	else if ((h->id & 0xFF000000u) == FZ_ID_BASE)
		fz_check_body(t, (const unsigned char *)(d + h->desc_count),
			      body, h->id);
	else
		fz_fail(t, "received a message with id %#x nobody sent", h->id);
	fz_check_right(t, sp, types, h->remote_port, remote, "reply right");
	for (i = 0; i < h->desc_count; i++)
		fz_check_right(t, sp, types, d[i].name, d[i].disposition,
			       "descriptor");
	/* Only now: remembering may let a name go, maybe one of these. */
	fz_remember(t, sp, h->remote_port, fz_hint_of_disp(remote));
	for (i = 0; i < h->desc_count; i++)
		fz_remember(t, sp, d[i].name,
			    fz_hint_of_disp(d[i].disposition));
	atomic_fetch_add_explicit(&t->c->checks, 1, memory_order_relaxed);
}

/* --- failed calls change nothing ----------------------------------------- */

void fz_snap(struct fz_thread *t, int fd, uint32_t name, struct fz_snap *s)
{
	struct rmach_port_name pn = { .name = name };
	struct rmach_port_refs r = { .name = name };
	bool arm = t->arm, injected = t->injected;

	/* Checking must neither take the step's fault nor forget it fired. */
	t->arm = false;
	memset(s, 0, sizeof(*s));
	s->err = fz_ioctl(t, OP_VERIFY, fd, RMACH_IOC_PORT_TYPE, &pn);
	if (s->err)
		goto out;
	s->type = pn.type;
	r.right = RMACH_RIGHT_SEND;
	if (!fz_ioctl(t, OP_VERIFY, fd, RMACH_IOC_PORT_GET_REFS, &r))
		s->srefs = r.refs;
	memset(&r, 0, sizeof(r));
	r.name = name;
	r.right = RMACH_RIGHT_DEAD_NAME;
	if (!fz_ioctl(t, OP_VERIFY, fd, RMACH_IOC_PORT_GET_REFS, &r))
		s->drefs = r.refs;
	/* The port died between the queries: the name is a dead name now. */
	if ((s->type & (RMACH_TYPE_SEND | RMACH_TYPE_SEND_ONCE)) &&
	    !(s->type & RMACH_TYPE_RECEIVE) && s->drefs) {
		s->type = RMACH_TYPE_DEAD_NAME;
		s->srefs = 0;
	}
out:
	t->arm = arm;
	t->injected = injected;
}

/*
 * After a failed call: the name is as it was, except that a send or
 * send-once right may have become a dead name meanwhile (its port died
 * elsewhere), keeping its references.
 */
void fz_snap_same(struct fz_thread *t, int fd, uint32_t name,
		  const struct fz_snap *before, const char *what, int err)
{
	const uint32_t sends = RMACH_TYPE_SEND | RMACH_TYPE_SEND_ONCE;
	struct fz_snap now;

	if (name == RMACH_PORT_NULL || name == RMACH_PORT_DEAD)
		return;
	fz_snap(t, fd, name, &now);
	if (now.err == before->err && now.type == before->type &&
	    now.srefs == before->srefs && now.drefs == before->drefs)
		goto same;
	if (!before->err && !now.err && (before->type & sends) &&
	    !(before->type & RMACH_TYPE_RECEIVE) &&
	    now.type == RMACH_TYPE_DEAD_NAME &&
	    now.drefs == ((before->type & RMACH_TYPE_SEND) ? before->srefs : 1))
		goto same;
	fz_fail(t, "%s failed (%d) but changed name %#x: type %#x->%#x send refs %u->%u dead refs %u->%u (lookup %d->%d)",
		what, err, name, before->type, now.type, before->srefs,
		now.srefs, before->drefs, now.drefs, before->err, now.err);
same:
	atomic_fetch_add_explicit(&t->c->checks, 1, memory_order_relaxed);
}
