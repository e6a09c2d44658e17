// SPDX-License-Identifier: MIT
/*
 * op_link.c - what crosses processes: the registry, each worker's service
 * port, and the dead-name check after a peer died.
 *
 * Thread 0 of every worker (the link thread) registers a service port
 * under "fz.svc.<slot>" in its home space (the link space), looks up the
 * other slots' services, sends them messages carrying rights (receive
 * rights move between processes this way), serves its own port (replying
 * to send-once rights, or leaving them to die) and checks the one thing
 * user space can be sure of: once the supervisor has reaped incarnation i
 * of a slot, the send right we got from i's registration is a dead name.
 * Service names are kept out of the pools, so random calls never free them
 * and a check never looks at a reused name.
 *
 * Every thread also hammers the registry with a few shared keys, keys at
 * and past the length limit, bad characters and bytes after the NUL.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "fuzz.h"

static void fz_svc_key(char *key, unsigned int slot)
{
	memset(key, 0, RMACH_KEY_MAX);
	snprintf(key, RMACH_KEY_MAX, "fz.svc.%u", slot);
}

static bool fz_svc_register(struct fz_thread *t)
{
	struct rmach_registry r;

	memset(&r, 0, sizeof(r));
	fz_svc_key(r.key, t->p->slot);
	r.name = t->p->svc;
	r.disposition = RMACH_MSG_TYPE_MAKE_SEND;
	r.flags = RMACH_REG_REPLACE;
	return fz_ioctl(t, OP_REGISTER, t->home_fd, RMACH_IOC_REGISTER,
			&r) == 0;
}

/* The link thread's service port, registered (retried until it is). */
void fz_link_init(struct fz_thread *t)
{
	struct rmach_port_alloc a = { .right = RMACH_RIGHT_RECEIVE };
	struct rmach_port_attr at = { .mask = RMACH_ATTR_QLIMIT, .qlimit = 64 };
	struct fz_proc *p = t->p;
	unsigned int i;

	for (i = 0; i < FZ_MAX_PROCS; i++)
		p->peer[i].name = 0;
	p->svc = 0;
	if (fz_ioctl(t, OP_ALLOCATE, t->home_fd, RMACH_IOC_PORT_ALLOCATE, &a))
		return;
	p->svc = a.name;
	fz_protect(t, SP_HOME, a.name);
	at.name = a.name;
	fz_ioctl(t, OP_SET_ATTR, t->home_fd, RMACH_IOC_PORT_SET_ATTR, &at);
	t->svc_registered = fz_svc_register(t);
}

/* Drops every reference to a peer's (dead or replaced) service name. */
static void fz_peer_drop(struct fz_thread *t, unsigned int w)
{
	struct fz_peer *pe = &t->p->peer[w];
	struct rmach_port_name pn = { .name = pe->name };
	int i;

	/* Rights that came in messages merged into it: up to all of them. */
	t->link_call = true;
	for (i = 0; i < 70000 && pe->name; i++)
		if (fz_ioctl(t, OP_DEALLOCATE, t->home_fd,
			     RMACH_IOC_PORT_DEALLOCATE, &pn))
			break;
	t->link_call = false;
	pe->name = 0;
}

/* A send right for slot w's service, and which incarnation it is. */
static bool fz_peer_look_up(struct fz_thread *t, unsigned int w)
{
	struct fz_shared *sh = t->p->sh;
	struct fz_peer *pe = &t->p->peer[w];
	struct rmach_registry r;
	uint32_t inc0, inc1;
	int err;

	if (pe->name)
		return true;
	memset(&r, 0, sizeof(r));
	fz_svc_key(r.key, w);
	inc0 = atomic_load(&sh->slot[w].inc);
	err = fz_ioctl(t, OP_LOOK_UP, t->home_fd, RMACH_IOC_LOOK_UP, &r);
	inc1 = atomic_load(&sh->slot[w].inc);
	if (err)
		return false;
	pe->name = r.name;
	pe->inc = inc0;
	fz_log_call(t, OP_LOOK_UP, SP_HOME, 0, r.name, w, inc0, inc1);
	/*
	 * An IOSQE_ASYNC send in flight picked its rights before this name
	 * was protected: it may still move them out of it.
	 */
	pe->uncertain = t->home_async > 0 || !fz_home_exact(t);
	{
		struct rmach_port_name pn = { .name = r.name };

		if (fz_ioctl(t, OP_VERIFY, t->home_fd, RMACH_IOC_PORT_TYPE,
			     &pn) == 0 &&
		    !(pn.type & (RMACH_TYPE_SEND | RMACH_TYPE_DEAD_NAME)))
			fz_fail(t, "look_up of slot %u gave %#x of type %#x", w,
				r.name, pn.type);
	}
	/* Our name for the port may be older than this (rights in messages). */
	fz_protect(t, SP_HOME, r.name);
	/* A new incarnation started meanwhile: whose port is this? */
	if (inc0 != inc1 || atomic_load(&sh->slot[w].dead_inc) >= inc0)
		fz_peer_drop(t, w);
	return pe->name != 0;
}

/*
 * Incarnations the supervisor has reaped: their service rights must be dead
 * names now (the space died with the process, before it was reaped).
 */
static void fz_peer_check(struct fz_thread *t)
{
	struct fz_shared *sh = t->p->sh;
	unsigned int w;

	for (w = 0; w < t->p->o->procs; w++) {
		struct fz_peer *pe = &t->p->peer[w];
		struct rmach_port_name pn = { .name = pe->name };
		int err;

		if (!pe->name || atomic_load(&sh->slot[w].dead_inc) < pe->inc)
			continue;
		err = fz_ioctl(t, OP_PEER_CHECK, t->home_fd,
			       RMACH_IOC_PORT_TYPE, &pn);
		if (pe->uncertain) {
			fz_peer_drop(t, w);
			continue;
		}
		/*
		 * Gone altogether: not what a dead port does to a send right
		 * (it stays, as a dead name), but not a live right either.
		 * Counted and reported; rare, and not understood yet.
		 */
		if (err == -ENOENT) {
			atomic_fetch_add(&sh->peer_gone, 1);
			pe->name = 0;
			continue;
		}
		if (err || pn.type != RMACH_TYPE_DEAD_NAME) {
			fz_dump_name(t, pe->name);
			fz_fail(t, "slot %u incarnation %u was reaped, but its service right %#x has type %#x (error %d), not a dead name",
				w, pe->inc, pe->name, pn.type, err);
		}
		atomic_fetch_add(&sh->dead_checked, 1);
		atomic_fetch_add_explicit(&t->c->checks, 1,
					  memory_order_relaxed);
		fz_peer_drop(t, w);
	}
}

/* A message to another worker's service, carrying rights of ours. */
static void fz_peer_send(struct fz_thread *t)
{
	struct fz_proc *p = t->p;
	unsigned int w = fz_below(&t->rng, p->o->procs);
	struct rmach_msg_args a = { 0 };
	uint32_t reply = 0, rdisp = 0;
	struct fz_built b;
	int err;

	if (p->o->procs < 2 || w == p->slot || !fz_peer_look_up(t, w))
		return;
	if (fz_one_in(&t->rng, 2)) {
		reply = fz_pick(t, SP_HOME, HINT_RECEIVE);
		rdisp = fz_one_in(&t->rng, 4) ? RMACH_MSG_TYPE_MAKE_SEND :
						 RMACH_MSG_TYPE_MAKE_SEND_ONCE;
	}
	fz_build_msg(t, SP_HOME, t->sbuf, p->peer[w].name,
		     RMACH_MSG_TYPE_COPY_SEND, reply, rdisp, &b);
	a.send_msg = (uintptr_t)t->sbuf;
	a.send_size = b.size;
	a.options = RMACH_MSG_SEND | RMACH_MSG_SEND_TIMEOUT;
	a.send_timeout_ms = fz_below(&t->rng, 2);
	/* Sometimes wait a little for the peer's answer (a call). */
	if (reply && rdisp == RMACH_MSG_TYPE_MAKE_SEND_ONCE &&
	    fz_one_in(&t->rng, 3)) {
		a.options |= RMACH_MSG_RCV | RMACH_MSG_RCV_TIMEOUT;
		a.rcv_name = reply;
		a.rcv_msg = (uintptr_t)t->rbuf;
		a.rcv_size = FZ_MSG_MAX;
		a.rcv_timeout_ms = fz_range(&t->rng, 1, 5);
	}
	t->blocking = true;
	err = fz_ioctl(t, a.options & RMACH_MSG_RCV ? OP_CALL : OP_PEER_SEND,
		       t->home_fd, RMACH_IOC_MSG, &a);
	t->blocking = false;
	if (!err && (a.options & RMACH_MSG_RCV))
		fz_check_received(t, SP_HOME, t->rbuf, a.rcv_size, FZ_MSG_MAX);
}

/* Serves the service port: check, keep the rights, maybe answer. */
static void fz_svc_rcv(struct fz_thread *t)
{
	const struct rmach_msg_header *h = (const void *)t->rbuf;
	struct rmach_msg_args a = {
		.rcv_msg = (uintptr_t)t->rbuf,
		.rcv_size = FZ_MSG_MAX,
		.rcv_name = t->p->svc,
		.options = RMACH_MSG_RCV | RMACH_MSG_RCV_TIMEOUT,
	};
	struct rmach_msg_args s = { 0 };
	struct fz_built b;
	uint32_t remote;

	if (!t->p->svc)
		return;
	a.rcv_timeout_ms = fz_below(&t->rng, 2);
	t->blocking = true;
	if (fz_ioctl(t, OP_SVC_RCV, t->home_fd, RMACH_IOC_MSG, &a)) {
		t->blocking = false;
		return;
	}
	t->blocking = false;
	fz_check_received(t, SP_HOME, t->rbuf, a.rcv_size, FZ_MSG_MAX);
	remote = RMACH_MSGH_BITS_REMOTE(h->bits);
	if (!h->remote_port || h->remote_port == RMACH_PORT_DEAD ||
	    fz_one_in(&t->rng, 3))
		return;
	/* Answer on the reply right (a send-once right is used up). */
	fz_build_msg(t, SP_HOME, t->sbuf, h->remote_port,
		     remote == RMACH_MSG_TYPE_PORT_SEND_ONCE ?
		     RMACH_MSG_TYPE_MOVE_SEND_ONCE : RMACH_MSG_TYPE_COPY_SEND,
		     0, 0, &b);
	s.send_msg = (uintptr_t)t->sbuf;
	s.send_size = b.size;
	s.options = RMACH_MSG_SEND | RMACH_MSG_SEND_TIMEOUT;
	fz_ioctl(t, OP_SEND, t->home_fd, RMACH_IOC_MSG, &s);
}

/* A registry key: shared ones, services, and broken ones. */
static void fz_key(struct fz_thread *t, char *key, bool look_up)
{
	static const char chars[] = "abcXYZ019._:/-";
	uint32_t r = fz_below(&t->rng, 100), i, len;

	memset(key, 0, RMACH_KEY_MAX);
	if (r < 70) {
		snprintf(key, RMACH_KEY_MAX, "fz.k.%u", fz_below(&t->rng, 8));
	} else if (r < 78 && look_up) {
		fz_svc_key(key, fz_below(&t->rng, t->p->o->procs));
	} else if (r < 86) {	/* 1 .. RMACH_KEY_MAX-1 valid bytes */
		len = fz_one_in(&t->rng, 2) ? RMACH_KEY_MAX - 1 :
					      fz_range(&t->rng, 1, 12);
		for (i = 0; i < len; i++)
			key[i] = chars[fz_below(&t->rng, sizeof(chars) - 1)];
	} else {
		switch (fz_below(&t->rng, 4)) {
		case 0:	/* empty */
			break;
		case 1:	/* no NUL */
			memset(key, 'k', RMACH_KEY_MAX);
			break;
		case 2:	/* a byte outside the set */
			snprintf(key, RMACH_KEY_MAX, "fz k%c",
				 (char)fz_range(&t->rng, 1, 255));
			break;
		default:	/* something after the NUL */
			snprintf(key, RMACH_KEY_MAX, "fz.k.0");
			key[RMACH_KEY_MAX - 1] = 'x';
			break;
		}
	}
}

static void fz_registry(struct fz_thread *t, enum fz_op op)
{
	int sp = fz_one_in(&t->rng, 3) ? SP_CHAOS : SP_HOME;
	int fd = fz_fd(t, sp), err;
	struct rmach_registry r, *rp;
	static const unsigned long cmds[] = {
		[OP_REGISTER] = RMACH_IOC_REGISTER,
		[OP_LOOK_UP] = RMACH_IOC_LOOK_UP,
		[OP_UNREGISTER] = RMACH_IOC_UNREGISTER,
	};

	if (fz_fd(t, SP_CHAOS) == t->home_fd)
		sp = SP_HOME;
	fz_key(t, r.key, op == OP_LOOK_UP);
	r.name = 0;
	r.disposition = 0;
	r.flags = 0;
	r.reserved = fz_one_in(&t->rng, 50);
	if (op == OP_REGISTER) {
		r.name = fz_pick(t, sp, fz_one_in(&t->rng, 2) ? HINT_SEND :
				 HINT_RECEIVE);
		r.disposition = t->last_hint == HINT_RECEIVE ?
				RMACH_MSG_TYPE_MAKE_SEND :
				fz_one_in(&t->rng, 4) ? RMACH_MSG_TYPE_MOVE_SEND :
				RMACH_MSG_TYPE_COPY_SEND;
		if (fz_one_in(&t->rng, 20))
			r.disposition = fz_below(&t->rng, 26);
		r.flags = fz_one_in(&t->rng, 2) ? RMACH_REG_REPLACE : 0;
	}
	if (fz_one_in(&t->rng, 50))
		r.flags |= 1u << fz_below(&t->rng, 32);
	if (op != OP_REGISTER && fz_one_in(&t->rng, 50))
		r.name = 1;
	rp = (void *)(uintptr_t)fz_ptr(t, &r, sizeof(r), &t->bad_ptr);
	err = fz_ioctl(t, op, fd, cmds[op], rp);
	if (!err && op == OP_LOOK_UP && !t->bad_ptr) {
		if (r.disposition != RMACH_MSG_TYPE_PORT_SEND)
			fz_fail(t, "look_up gave disposition %u",
				r.disposition);
		fz_remember(t, sp, r.name, HINT_SEND);
	}
	t->bad_ptr = false;
}

void fz_link_step(struct fz_thread *t, enum fz_op op)
{
	switch (op) {
	case OP_REGISTER:
	case OP_LOOK_UP:
	case OP_UNREGISTER:
		fz_registry(t, op);
		return;
	default:
		break;
	}
	if (t->idx != 0)
		return;
	if (t->p->svc && !t->svc_registered && fz_one_in(&t->rng, 4))
		t->svc_registered = fz_svc_register(t);
	switch (op) {
	case OP_PEER_SEND:
		fz_peer_send(t);
		break;
	case OP_SVC_RCV:
		fz_svc_rcv(t);
		break;
	case OP_PEER_CHECK:
		fz_peer_check(t);
		break;
	default:
		break;
	}
}
