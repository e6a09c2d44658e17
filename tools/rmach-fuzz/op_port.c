// SPDX-License-Identifier: MIT
/*
 * op_port.c - one random call of the name and right ioctls: allocate,
 * destroy, deallocate, type, refs, insert/extract, attributes, port sets,
 * notification requests, space statistics, poll target, version, and
 * command numbers the module does not know.
 *
 * Arguments are plausible most of the time (a name believed to hold the
 * right the call wants) and wrong on purpose otherwise: other names, other
 * rights and dispositions, values at and past each limit, non-zero reserved
 * fields, bad pointers. On the home space (no other thread touches it) a
 * failed call must leave the names it named as they were; a few successes
 * are checked exactly (allocate, mod_refs, extract).
 */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include "fuzz.h"

/* Pointer to the argument struct, sometimes a bad one. */
static void *fz_arg(struct fz_thread *t, void *good, size_t len)
{
	return (void *)(uintptr_t)fz_ptr(t, good, len, &t->bad_ptr);
}

static uint32_t fz_right(struct fz_thread *t)
{
	uint32_t r = fz_below(&t->rng, 100);

	if (r < 40)
		return RMACH_RIGHT_SEND;
	if (r < 60)
		return RMACH_RIGHT_RECEIVE;
	if (r < 70)
		return RMACH_RIGHT_SEND_ONCE;
	if (r < 78)
		return RMACH_RIGHT_PORT_SET;
	if (r < 90)
		return RMACH_RIGHT_DEAD_NAME;
	return fz_below(&t->rng, 8) < 6 ? RMACH_RIGHT_NUMBER :
					   (uint32_t)fz_rnd(&t->rng);
}

static int32_t fz_delta(struct fz_thread *t)
{
	static const int32_t d[] = { -1, 1, -1, 1, 2, -2, 0, 0xFFFF, -0xFFFF,
				     0x10000, INT_MAX, INT_MIN, 0xFFFE, 3 };

	if (fz_one_in(&t->rng, 10))
		return (int32_t)fz_rnd(&t->rng);
	return d[fz_below(&t->rng, sizeof(d) / sizeof(d[0]))];
}

static unsigned int fz_hint_of_type(uint32_t type)
{
	if (type & RMACH_TYPE_RECEIVE)
		return HINT_RECEIVE;
	if (type & RMACH_TYPE_PORT_SET)
		return HINT_PSET;
	if (type & RMACH_TYPE_SEND)
		return HINT_SEND;
	if (type & RMACH_TYPE_SEND_ONCE)
		return HINT_SO;
	if (type & RMACH_TYPE_DEAD_NAME)
		return HINT_DEAD;
	return HINT_NONE;
}

/* Snapshots are taken for one home-space call in eight, and when faulting. */
static bool fz_want_snap(struct fz_thread *t, int sp)
{
	return sp == SP_HOME && !t->bad_ptr && fz_home_exact(t) &&
	       (t->arm || fz_one_in(&t->rng, 8));
}

static void op_allocate(struct fz_thread *t, int sp, int fd)
{
	struct rmach_port_alloc a = { 0 }, *ap;
	uint32_t r = fz_below(&t->rng, 100), want;
	struct fz_snap before;
	bool snap;
	int err;

	a.right = r < 62 ? RMACH_RIGHT_RECEIVE : r < 82 ? RMACH_RIGHT_PORT_SET :
		  r < 92 ? RMACH_RIGHT_DEAD_NAME : fz_right(t);
	if (fz_one_in(&t->rng, 10)) {
		a.flags = RMACH_ALLOC_NAME;
		a.name = fz_pick_any(t, sp);
	}
	if (fz_one_in(&t->rng, 40))
		a.flags |= 1u << fz_below(&t->rng, 32);
	if (fz_one_in(&t->rng, 40))
		a.reserved = 1;
	if (fz_one_in(&t->rng, 40) && !(a.flags & RMACH_ALLOC_NAME))
		a.name = fz_pick_any(t, sp);
	ap = fz_arg(t, &a, sizeof(a));
	snap = (a.flags & RMACH_ALLOC_NAME) && fz_want_snap(t, sp);
	if (snap)
		fz_snap(t, fd, a.name, &before);
	err = fz_ioctl(t, OP_ALLOCATE, fd, RMACH_IOC_PORT_ALLOCATE, ap);
	if (err) {
		if (snap)
			fz_snap_same(t, fd, a.name, &before, "allocate", err);
		return;
	}
	if (t->bad_ptr)
		return;
	want = a.right == RMACH_RIGHT_RECEIVE ? RMACH_TYPE_RECEIVE :
	       a.right == RMACH_RIGHT_PORT_SET ? RMACH_TYPE_PORT_SET :
						 RMACH_TYPE_DEAD_NAME;
	if (sp == SP_HOME && fz_home_exact(t)) {
		struct fz_snap now;

		fz_snap(t, fd, a.name, &now);
		if (now.err || now.type != want ||
		    (want == RMACH_TYPE_DEAD_NAME && now.drefs != 1))
			fz_fail(t, "allocated right %u as %#x: type %#x (err %d), dead refs %u",
				a.right, a.name, now.type, now.err, now.drefs);
	}
	fz_remember(t, sp, a.name, fz_hint_of_type(want));
}

static void op_name(struct fz_thread *t, enum fz_op op, int sp, int fd)
{
	static const unsigned long cmds[] = {
		[OP_DESTROY] = RMACH_IOC_PORT_DESTROY,
		[OP_DEALLOCATE] = RMACH_IOC_PORT_DEALLOCATE,
		[OP_TYPE] = RMACH_IOC_PORT_TYPE,
		[OP_POLL_PORT] = RMACH_IOC_POLL_PORT,
	};
	struct rmach_port_name pn = { 0 }, *pp;
	struct fz_snap before;
	bool snap;
	int err;

	if (op == OP_POLL_PORT)
		pn.name = fz_one_in(&t->rng, 4) ? 0 :
			  fz_pick(t, sp, fz_one_in(&t->rng, 3) ? HINT_PSET :
							        HINT_RECEIVE);
	else
		pn.name = fz_pick_any(t, sp);
	if (fz_one_in(&t->rng, 40))
		pn.type = (uint32_t)fz_rnd(&t->rng);
	pp = fz_arg(t, &pn, sizeof(pn));
	snap = op != OP_TYPE && op != OP_POLL_PORT && fz_want_snap(t, sp);
	if (snap)
		fz_snap(t, fd, pn.name, &before);
	err = fz_ioctl(t, op, fd, cmds[op], pp);
	if (err) {
		if (snap)
			fz_snap_same(t, fd, pn.name, &before, fz_op_names[op],
				     err);
		return;
	}
	if (op == OP_TYPE && !t->bad_ptr)
		fz_remember(t, sp, pn.name, fz_hint_of_type(pn.type));
	else if (op == OP_DESTROY && !fz_one_in(&t->rng, 4))
		fz_forget(t, sp, pn.name);
}

static void op_refs(struct fz_thread *t, enum fz_op op, int sp, int fd)
{
	struct rmach_port_refs r = { 0 }, *rp;
	struct fz_snap before, now;
	bool snap;
	int err;

	r.name = fz_pick_any(t, sp);
	r.right = fz_right(t);
	if (op == OP_MOD_REFS)
		r.delta = fz_delta(t);
	else if (fz_one_in(&t->rng, 40))
		r.delta = 1;
	if (fz_one_in(&t->rng, 40))
		r.refs = 1;
	rp = fz_arg(t, &r, sizeof(r));
	snap = op == OP_MOD_REFS && fz_want_snap(t, sp);
	if (snap)
		fz_snap(t, fd, r.name, &before);
	err = fz_ioctl(t, op, fd, op == OP_MOD_REFS ? RMACH_IOC_PORT_MOD_REFS :
			  RMACH_IOC_PORT_GET_REFS, rp);
	if (err) {
		if (snap)
			fz_snap_same(t, fd, r.name, &before, "mod_refs", err);
		return;
	}
	/*
	 * Send references move by exactly delta while they stay in range
	 * (saturated at 0xFFFF, they stay there).
	 */
	if (snap && r.right == RMACH_RIGHT_SEND && !before.err &&
	    (before.type & RMACH_TYPE_SEND) && r.delta &&
	    before.srefs < 0xFFFF &&
	    (int64_t)before.srefs + r.delta > 0 &&
	    (int64_t)before.srefs + r.delta < 0xFFFF) {
		fz_snap(t, fd, r.name, &now);
		if (now.srefs != before.srefs + (uint32_t)r.delta)
			fz_fail(t, "mod_refs %#x send %+d: refs %u -> %u",
				r.name, r.delta, before.srefs, now.srefs);
	}
}

static void op_right(struct fz_thread *t, enum fz_op op, int sp, int fd)
{
	struct rmach_port_right r = { 0 }, *rp;
	struct fz_snap b_name, b_poly;
	unsigned int hint;
	bool snap;
	int err;

	if (op == OP_INSERT) {
		r.poly = fz_pick(t, sp, HINT_RECEIVE);
		r.name = fz_one_in(&t->rng, 2) ? r.poly : fz_pick_any(t, sp);
		r.disposition = fz_one_in(&t->rng, 2) ?
				RMACH_MSG_TYPE_MAKE_SEND :
				fz_disp_for(t, HINT_NONE);
	} else {
		r.name = fz_pick_any(t, sp);
		r.disposition = fz_disp_for(t, fz_one_in(&t->rng, 2) ?
					    HINT_RECEIVE : HINT_SEND);
		if (fz_one_in(&t->rng, 40))
			r.poly = fz_pick_any(t, sp);
	}
	if (fz_one_in(&t->rng, 40))
		r.reserved = 1;
	rp = fz_arg(t, &r, sizeof(r));
	snap = fz_want_snap(t, sp);
	if (snap) {
		fz_snap(t, fd, r.name, &b_name);
		if (op == OP_INSERT && r.poly != r.name)
			fz_snap(t, fd, r.poly, &b_poly);
	}
	err = fz_ioctl(t, op, fd, op == OP_INSERT ? RMACH_IOC_PORT_INSERT_RIGHT :
			  RMACH_IOC_PORT_EXTRACT_RIGHT, rp);
	if (err) {
		if (snap) {
			fz_snap_same(t, fd, r.name, &b_name, fz_op_names[op],
				     err);
			if (op == OP_INSERT && r.poly != r.name)
				fz_snap_same(t, fd, r.poly, &b_poly,
					     fz_op_names[op], err);
		}
		return;
	}
	if (t->bad_ptr)
		return;
	if (op == OP_INSERT) {
		hint = r.disposition == RMACH_MSG_TYPE_MAKE_SEND_ONCE ||
		       r.disposition == RMACH_MSG_TYPE_MOVE_SEND_ONCE ?
		       HINT_SO : r.disposition == RMACH_MSG_TYPE_MOVE_RECEIVE ?
		       HINT_RECEIVE : HINT_SEND;
		fz_remember(t, sp, r.name, hint);
		return;
	}
	/* Extract: the new name holds what the returned disposition says. */
	hint = fz_hint_of_disp(r.disposition);
	if (hint == HINT_NONE)
		fz_fail(t, "extract_right returned disposition %u",
			r.disposition);
	if (sp == SP_HOME && fz_home_exact(t)) {
		struct fz_snap now;

		fz_snap(t, fd, r.poly, &now);
		if (now.err || !(now.type & (hint == HINT_RECEIVE ?
					     RMACH_TYPE_RECEIVE :
					     hint == HINT_SEND ?
					     RMACH_TYPE_SEND |
					     RMACH_TYPE_DEAD_NAME :
					     RMACH_TYPE_SEND_ONCE |
					     RMACH_TYPE_DEAD_NAME)))
			fz_fail(t, "extracted %#x as %#x (disposition %u): type %#x err %d",
				r.name, r.poly, r.disposition, now.type,
				now.err);
	}
	fz_remember(t, sp, r.poly, hint);
}

static void op_attr(struct fz_thread *t, enum fz_op op, int sp, int fd)
{
	static const uint32_t ql[] = { 0, 1, 2, 5, 16, 1023, 1024, 1025,
				       65535, 0xFFFFFFFFu };
	struct rmach_port_attr a = { 0 }, *ap;

	a.name = fz_pick(t, sp, HINT_RECEIVE);
	if (op == OP_SET_ATTR) {
		a.mask = fz_one_in(&t->rng, 12) ? (uint32_t)fz_rnd(&t->rng) :
			 fz_range(&t->rng, 1, 3);
		if (a.mask & RMACH_ATTR_QLIMIT)
			a.qlimit = ql[fz_below(&t->rng, 10)];
		if (a.mask & RMACH_ATTR_MSCOUNT)
			a.mscount = fz_one_in(&t->rng, 2) ? 0 :
				    (uint32_t)fz_rnd(&t->rng);
	} else if (fz_one_in(&t->rng, 30)) {
		a.mask = 1;
	}
	if (fz_one_in(&t->rng, 40))
		a.seqno = 1;
	if (fz_one_in(&t->rng, 40))
		a.status = 1;
	ap = fz_arg(t, &a, sizeof(a));
	fz_ioctl(t, op, fd, op == OP_SET_ATTR ? RMACH_IOC_PORT_SET_ATTR :
		 RMACH_IOC_PORT_GET_ATTR, ap);
}

static void op_pset(struct fz_thread *t, enum fz_op op, int sp, int fd)
{
	static const unsigned long cmds[] = {
		[OP_PSET_ADD] = RMACH_IOC_PORTSET_ADD,
		[OP_PSET_REMOVE] = RMACH_IOC_PORTSET_REMOVE,
		[OP_PSET_MOVE] = RMACH_IOC_PORTSET_MOVE,
	};
	struct rmach_portset_member m, *mp;

	m.set = op == OP_PSET_MOVE && fz_one_in(&t->rng, 3) ? 0 :
		fz_pick(t, sp, HINT_PSET);
	m.member = fz_pick(t, sp, HINT_RECEIVE);
	mp = fz_arg(t, &m, sizeof(m));
	fz_ioctl(t, op, fd, cmds[op], mp);
}

static void op_notify(struct fz_thread *t, int sp, int fd)
{
	static const uint32_t variants[] = {
		RMACH_NOTIFY_NO_SENDERS, RMACH_NOTIFY_DEAD_NAME,
		RMACH_NOTIFY_PORT_DESTROYED, RMACH_NOTIFY_SEND_ONCE,
		RMACH_NOTIFY_PORT_DELETED, 0,
	};
	struct rmach_notify_req n = { 0 }, *np;
	struct fz_snap b_name, b_notify;
	uint32_t r = fz_below(&t->rng, 100);
	bool snap;
	int err;

	n.variant = r < 85 ? variants[r % 3] : variants[fz_below(&t->rng, 6)];
	n.name = fz_pick(t, sp, n.variant == RMACH_NOTIFY_DEAD_NAME ?
			 HINT_SEND : HINT_RECEIVE);
	n.sync = fz_one_in(&t->rng, 2) ? 0 : fz_one_in(&t->rng, 2) ? 1 :
		 (uint32_t)fz_rnd(&t->rng);
	if (fz_one_in(&t->rng, 6)) {
		n.notify = RMACH_PORT_NULL;	/* cancel */
	} else if (fz_one_in(&t->rng, 4)) {
		n.notify = fz_pick(t, sp, HINT_SO);
		n.notify_disposition = RMACH_MSG_TYPE_MOVE_SEND_ONCE;
	} else {
		n.notify = fz_pick(t, sp, HINT_RECEIVE);
		n.notify_disposition = RMACH_MSG_TYPE_MAKE_SEND_ONCE;
	}
	if (fz_one_in(&t->rng, 30))
		n.notify_disposition = fz_below(&t->rng, 26);
	if (fz_one_in(&t->rng, 40))
		n.previous = 1;
	np = fz_arg(t, &n, sizeof(n));
	snap = fz_want_snap(t, sp);
	if (snap) {
		fz_snap(t, fd, n.name, &b_name);
		if (n.notify != n.name)
			fz_snap(t, fd, n.notify, &b_notify);
	}
	err = fz_ioctl(t, OP_NOTIFY, fd, RMACH_IOC_REQUEST_NOTIFY, np);
	if (err && snap) {
		fz_snap_same(t, fd, n.name, &b_name, "request_notify", err);
		if (n.notify != n.name)
			fz_snap_same(t, fd, n.notify, &b_notify,
				     "request_notify", err);
	}
	if (!err && !t->bad_ptr &&
	    n.notify_disposition == RMACH_MSG_TYPE_MOVE_SEND_ONCE)
		fz_forget(t, sp, n.notify);
}

static void op_version(struct fz_thread *t, int fd)
{
	struct rmach_version v, *vp;

	memset(&v, 0xA5, sizeof(v));
	vp = fz_arg(t, &v, sizeof(v));
	if (fz_ioctl(t, OP_VERSION, fd, RMACH_IOC_VERSION, vp) || t->bad_ptr)
		return;
	if (v.abi_version != RMACH_ABI_VERSION || v.reserved0 ||
	    v.reserved[0] || v.reserved[1] ||
	    !(v.features & RMACH_FEAT_URING_CMD))
		fz_fail(t, "version: abi %u features %#llx reserved %u/%llu/%llu",
			v.abi_version, (unsigned long long)v.features,
			v.reserved0, (unsigned long long)v.reserved[0],
			(unsigned long long)v.reserved[1]);
}

static void op_stats(struct fz_thread *t, int fd)
{
	struct rmach_space_stats s, *sp;

	memset(&s, 0xA5, sizeof(s));
	sp = fz_arg(t, &s, sizeof(s));
	if (fz_ioctl(t, OP_STATS, fd, RMACH_IOC_SPACE_STATS, sp) || t->bad_ptr)
		return;
	if (s.reserved0 || s.reserved[0] || s.reserved[1] || s.reserved[2] ||
	    s.receive_rights > s.names || s.send_rights > s.names ||
	    s.port_sets > s.names || s.dead_names > s.names)
		fz_fail(t, "space_stats: names %u receive %u send %u sets %u dead %u reserved %u",
			s.names, s.receive_rights, s.send_rights, s.port_sets,
			s.dead_names, s.reserved0);
}

static bool fz_known_cmd(unsigned long cmd)
{
	static const unsigned long known[] = {
		RMACH_IOC_VERSION, RMACH_IOC_PORT_ALLOCATE,
		RMACH_IOC_PORT_DESTROY, RMACH_IOC_PORT_DEALLOCATE,
		RMACH_IOC_PORT_TYPE, RMACH_IOC_PORT_MOD_REFS,
		RMACH_IOC_PORT_GET_REFS, RMACH_IOC_PORT_INSERT_RIGHT,
		RMACH_IOC_PORT_EXTRACT_RIGHT, RMACH_IOC_PORT_GET_ATTR,
		RMACH_IOC_PORT_SET_ATTR, RMACH_IOC_PORTSET_ADD,
		RMACH_IOC_PORTSET_REMOVE, RMACH_IOC_MSG,
		RMACH_IOC_REQUEST_NOTIFY, RMACH_IOC_REGISTER,
		RMACH_IOC_LOOK_UP, RMACH_IOC_UNREGISTER,
		RMACH_IOC_SPACE_STATS, RMACH_IOC_POLL_PORT,
		RMACH_IOC_PORTSET_MOVE,
	};
	unsigned int i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (known[i] == cmd)
			return true;
	return false;
}

/*
 * Command numbers of our magic the module does not know: new numbers,
 * known numbers with another size or direction. Only ENOTTY is right.
 * (Other magics would reach the VFS's own ioctls first.)
 */
static void op_bad_ioctl(struct fz_thread *t, int fd)
{
	unsigned char buf[256];
	unsigned long cmd;
	uint32_t nr, size, dir;
	int err;

	do {
		nr = fz_one_in(&t->rng, 2) ? fz_below(&t->rng, 0x15) :
					     fz_below(&t->rng, 256);
		size = fz_one_in(&t->rng, 2) ? fz_below(&t->rng, 97) :
					       fz_below(&t->rng, 1u << 14);
		dir = fz_below(&t->rng, 4);
		cmd = _IOC(dir, RMACH_IOC_MAGIC, nr, size);
	} while (fz_known_cmd(cmd));
	memset(buf, 0, sizeof(buf));
	err = fz_ioctl(t, OP_BAD_IOCTL, fd, cmd,
		       (void *)(uintptr_t)fz_ptr(t, buf, sizeof(buf),
						 &t->bad_ptr));
	if (err != -ENOTTY)
		fz_fail(t, "unknown ioctl %#lx gave %d, not ENOTTY", cmd, err);
}

void op_port(struct fz_thread *t, enum fz_op op)
{
	int sp = fz_one_in(&t->rng, 3) ? SP_CHAOS : SP_HOME;
	int fd = fz_fd(t, sp);

	if (fd < 0)
		return;
	if (fz_fd(t, SP_CHAOS) == t->home_fd)
		sp = SP_HOME;
	t->bad_ptr = false;
	t->blocking = false;
	switch (op) {
	case OP_VERSION:
		op_version(t, fd);
		break;
	case OP_ALLOCATE:
		op_allocate(t, sp, fd);
		break;
	case OP_DESTROY:
	case OP_DEALLOCATE:
	case OP_TYPE:
	case OP_POLL_PORT:
		op_name(t, op, sp, fd);
		break;
	case OP_MOD_REFS:
	case OP_GET_REFS:
		op_refs(t, op, sp, fd);
		break;
	case OP_INSERT:
	case OP_EXTRACT:
		op_right(t, op, sp, fd);
		break;
	case OP_GET_ATTR:
	case OP_SET_ATTR:
		op_attr(t, op, sp, fd);
		break;
	case OP_PSET_ADD:
	case OP_PSET_REMOVE:
	case OP_PSET_MOVE:
		op_pset(t, op, sp, fd);
		break;
	case OP_NOTIFY:
		op_notify(t, sp, fd);
		break;
	case OP_STATS:
		op_stats(t, fd);
		break;
	case OP_BAD_IOCTL:
		op_bad_ioctl(t, fd);
		break;
	default:
		break;
	}
	t->bad_ptr = false;
}
