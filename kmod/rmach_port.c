// SPDX-License-Identifier: GPL-2.0
/*
 * rmach_port.c - name and right ioctls: allocate, destroy, deallocate, type,
 * mod_refs, get_refs, insert/extract right, attributes, port-set membership,
 * notification requests, poll target, space statistics.
 *
 * Each handler copies its argument in, checks every reserved field and flag,
 * calls one core function (which takes the core lock itself) and copies the
 * result out. No kmod lock is held here.
 */
#include <linux/uaccess.h>
#include "rmach_internal.h"
#include "rmach_trace.h"

static bool rmk_right_ok(u32 right)
{
	return right < RMACH_RIGHT_NUMBER;
}

/* Core type bits (1 << right) to uapi bits (1 << (right + 16)). */
static u32 rmk_type_to_user(u32 core_type)
{
	u32 type = 0;
	unsigned int right;

	for (right = 0; right < RMC_RIGHT_NUMBER; right++)
		if (core_type & RMC_TYPE(right))
			type |= RMACH_TYPE(right);
	return type;
}

static long rmk_port_allocate(struct rmk_file *rf, void __user *arg)
{
	struct rmach_port_alloc a;
	rmc_ret_t ret;

	if (copy_from_user(&a, arg, sizeof(a)))
		return -EFAULT;
	if (a.reserved || (a.flags & ~RMACH_ALLOC_NAME))
		return -EINVAL;
	if (a.right != RMACH_RIGHT_RECEIVE && a.right != RMACH_RIGHT_PORT_SET &&
	    a.right != RMACH_RIGHT_DEAD_NAME)
		return -EINVAL;
	if (a.flags & RMACH_ALLOC_NAME) {
		ret = rmc_port_allocate_name(rf->space, a.right, a.name);
	} else {
		if (a.name)
			return -EINVAL;
		ret = rmc_port_allocate(rf->space, a.right, &a.name);
	}
	if (ret == RMC_LIMIT_EXCEEDED)
		return rmk_limit_errno(rf, true, 0);
	if (ret != RMC_SUCCESS)
		return rmk_errno(ret);
	if (copy_to_user(arg, &a, sizeof(a))) {
		/* Nobody can know the name: undo. */
		rmc_port_destroy(rf->space, a.name);
		return -EFAULT;
	}
	trace_rmach_port_create(rf->space, a.name, a.right);
	return 0;
}

static long rmk_port_name_op(struct rmk_file *rf, unsigned int cmd,
			     void __user *arg)
{
	struct rmach_port_name p;
	rmc_ret_t ret;
	u32 type;

	if (copy_from_user(&p, arg, sizeof(p)))
		return -EFAULT;
	if (p.type)
		return -EINVAL;

	switch (cmd) {
	case RMACH_IOC_PORT_DESTROY:
		ret = rmc_port_destroy(rf->space, p.name);
		if (ret == RMC_SUCCESS)
			trace_rmach_port_destroy(rf->space, p.name, 0);
		rmk_poll_wake();
		return rmk_errno(ret);
	case RMACH_IOC_PORT_DEALLOCATE:
		ret = rmc_port_deallocate(rf->space, p.name);
		if (ret == RMC_SUCCESS)
			trace_rmach_right_release(rf->space, p.name, U32_MAX, -1);
		rmk_poll_wake();
		return rmk_errno(ret);
	case RMACH_IOC_POLL_PORT:
		/* Only a receive right or a port set can be polled. */
		if (p.name != RMC_NAME_NULL) {
			ret = rmc_msg_peek(rf->space, p.name, NULL);
			if (ret != RMC_SUCCESS && ret != RMC_RCV_TIMED_OUT)
				return rmk_errno(ret);
		}
		WRITE_ONCE(rf->poll_name, p.name);
		rmk_poll_wake();
		return 0;
	case RMACH_IOC_PORT_TYPE:
		ret = rmc_port_type(rf->space, p.name, &type);
		if (ret != RMC_SUCCESS)
			return rmk_errno(ret);
		p.type = rmk_type_to_user(type);
		return copy_to_user(arg, &p, sizeof(p)) ? -EFAULT : 0;
	}
	return -ENOTTY;
}

static long rmk_port_refs(struct rmk_file *rf, unsigned int cmd,
			  void __user *arg)
{
	struct rmach_port_refs r;
	rmc_ret_t ret;

	if (copy_from_user(&r, arg, sizeof(r)))
		return -EFAULT;
	if (!rmk_right_ok(r.right) || r.refs)
		return -EINVAL;

	if (cmd == RMACH_IOC_PORT_MOD_REFS) {
		ret = rmc_port_mod_refs(rf->space, r.name, r.right, r.delta);
		if (ret == RMC_SUCCESS && r.delta < 0)
			trace_rmach_right_release(rf->space, r.name, r.right,
						  r.delta);
		rmk_poll_wake();
		return rmk_errno(ret);
	}
	if (r.delta)
		return -EINVAL;
	ret = rmc_port_get_refs(rf->space, r.name, r.right, &r.refs);
	if (ret != RMC_SUCCESS)
		return rmk_errno(ret);
	return copy_to_user(arg, &r, sizeof(r)) ? -EFAULT : 0;
}

static bool rmk_disp_ok(u32 disp)
{
	return disp >= RMACH_MSG_TYPE_MOVE_RECEIVE &&
	       disp <= RMACH_MSG_TYPE_MAKE_SEND_ONCE;
}

static long rmk_port_right(struct rmk_file *rf, unsigned int cmd,
			   void __user *arg)
{
	struct rmach_port_right r;
	unsigned int got;
	rmc_ret_t ret;

	if (copy_from_user(&r, arg, sizeof(r)))
		return -EFAULT;
	if (r.reserved || !rmk_disp_ok(r.disposition))
		return -EINVAL;

	if (cmd == RMACH_IOC_PORT_INSERT_RIGHT) {
		ret = rmc_insert_right(rf->space, r.name, rf->space, r.poly,
				       r.disposition);
		if (ret == RMC_SUCCESS)
			trace_rmach_right_insert(rf->space, r.name, r.poly,
						 r.disposition);
		return rmk_errno(ret);
	}
	if (r.poly)
		return -EINVAL;
	ret = rmc_extract_right(rf->space, r.name, r.disposition, rf->space,
				&r.poly, &got);
	if (ret != RMC_SUCCESS)
		return rmk_errno(ret);
	r.disposition = got;
	if (copy_to_user(arg, &r, sizeof(r))) {
		/* The new right has a name nobody knows: release it. */
		if (got == RMC_MOVE_RECEIVE)
			rmc_port_mod_refs(rf->space, r.poly, RMC_RIGHT_RECEIVE, -1);
		else
			rmc_port_deallocate(rf->space, r.poly);
		return -EFAULT;
	}
	return 0;
}

static long rmk_port_get_attr(struct rmk_file *rf, void __user *arg)
{
	struct rmach_port_attr a;
	struct rmc_port_status st;
	rmc_ret_t ret;

	if (copy_from_user(&a, arg, sizeof(a)))
		return -EFAULT;
	if (a.mask || a.qlimit || a.mscount || a.msgcount || a.sorights ||
	    a.status || a.seqno)
		return -EINVAL;
	ret = rmc_port_get_status(rf->space, a.name, &st);
	if (ret != RMC_SUCCESS)
		return rmk_errno(ret);
	a.qlimit = st.qlimit;
	a.mscount = st.mscount;
	a.msgcount = st.msgcount;
	a.sorights = st.sorights;
	a.seqno = st.seqno;
	a.status = (st.srights ? RMACH_PORT_STATUS_HAS_SENDERS : 0) |
		   (st.pset ? RMACH_PORT_STATUS_IN_SET : 0);
	return copy_to_user(arg, &a, sizeof(a)) ? -EFAULT : 0;
}

static long rmk_port_set_attr(struct rmk_file *rf, void __user *arg)
{
	struct rmach_port_attr a;
	struct rmc_port_status st;
	rmc_ret_t ret;

	if (copy_from_user(&a, arg, sizeof(a)))
		return -EFAULT;
	if (!a.mask || (a.mask & ~(RMACH_ATTR_QLIMIT | RMACH_ATTR_MSCOUNT)) ||
	    a.msgcount || a.sorights || a.status || a.seqno)
		return -EINVAL;
	if (!(a.mask & RMACH_ATTR_QLIMIT) && a.qlimit)
		return -EINVAL;
	if (!(a.mask & RMACH_ATTR_MSCOUNT) && a.mscount)
		return -EINVAL;
	if ((a.mask & RMACH_ATTR_QLIMIT) &&
	    (a.qlimit < 1 || a.qlimit > RMC_QLIMIT_MAX))
		return -EINVAL;
	/* Validate the name first so that a bad name changes nothing. */
	ret = rmc_port_get_status(rf->space, a.name, &st);
	if (ret == RMC_SUCCESS && (a.mask & RMACH_ATTR_QLIMIT))
		ret = rmc_port_set_qlimit(rf->space, a.name, a.qlimit);
	if (ret == RMC_SUCCESS && (a.mask & RMACH_ATTR_MSCOUNT))
		ret = rmc_port_set_mscount(rf->space, a.name, a.mscount);
	return rmk_errno(ret);
}

static long rmk_portset(struct rmk_file *rf, unsigned int cmd,
			void __user *arg)
{
	struct rmach_portset_member m;
	struct rmc_port_status st;
	u32 type;
	rmc_ret_t ret;

	if (copy_from_user(&m, arg, sizeof(m)))
		return -EFAULT;
	if (m.set != RMACH_PORT_NULL || cmd != RMACH_IOC_PORTSET_MOVE) {
		ret = rmc_port_type(rf->space, m.set, &type);
		if (ret != RMC_SUCCESS)
			return rmk_errno(ret);
		if (!(type & RMC_TYPE_PORT_SET))
			return -EPERM;
	}
	ret = rmc_port_get_status(rf->space, m.member, &st);
	if (ret != RMC_SUCCESS)
		return rmk_errno(ret);

	switch (cmd) {
	case RMACH_IOC_PORTSET_ADD:
		/* A port is in at most one set: say so instead of moving it. */
		if (st.pset)
			return st.pset == m.set ? 0 : -EEXIST;
		break;
	case RMACH_IOC_PORTSET_REMOVE:
		if (st.pset != m.set)
			return -ESRCH;
		m.set = RMC_NAME_NULL;
		break;
	}
	ret = rmc_port_move_member(rf->space, m.member, m.set);
	rmk_poll_wake();
	return rmk_errno(ret);
}

static bool rmk_notify_variant_ok(u32 variant)
{
	return variant == RMACH_NOTIFY_NO_SENDERS ||
	       variant == RMACH_NOTIFY_DEAD_NAME ||
	       variant == RMACH_NOTIFY_PORT_DESTROYED;
}

static long rmk_request_notify(struct rmk_file *rf, void __user *arg)
{
	struct rmach_notify_req n;
	rmc_name_t previous = RMC_NAME_NULL;
	rmc_ret_t ret;

	if (copy_from_user(&n, arg, sizeof(n)))
		return -EFAULT;
	if (n.previous || !rmk_notify_variant_ok(n.variant))
		return -EINVAL;
	if (n.notify != RMACH_PORT_NULL &&
	    n.notify_disposition != RMACH_MSG_TYPE_MAKE_SEND_ONCE &&
	    n.notify_disposition != RMACH_MSG_TYPE_MOVE_SEND_ONCE)
		return -EINVAL;
	if (n.notify == RMACH_PORT_NULL && n.notify_disposition)
		return -EINVAL;
	ret = rmc_port_request_notification(rf->space, n.name, n.variant,
					    n.sync, n.notify,
					    n.notify_disposition, &previous);
	/* A request may fire at once (dead name, no senders yet). */
	rmk_poll_wake();
	if (ret != RMC_SUCCESS)
		return rmk_errno(ret);
	/* The previous request's send-once right is not wanted: release it. */
	if (previous != RMC_NAME_NULL) {
		rmc_port_deallocate(rf->space, previous);
		n.previous = 1;
	}
	return copy_to_user(arg, &n, sizeof(n)) ? -EFAULT : 0;
}

static long rmk_space_stats(struct rmk_file *rf, void __user *arg)
{
	struct rmach_space_stats s = {};
	struct rmc_space_names n;
	struct rmc_usage use;

	rmc_space_count_names(rf->space, &n);
	rmc_space_get_usage(rf->space, &use);
	s.names = n.names;
	s.receive_rights = n.receive;
	s.send_rights = n.send;
	s.send_once_rights = n.send_once;
	s.dead_names = n.dead;
	s.port_sets = n.psets;
	/* Messages this space sent that are still queued (charged to it). */
	s.queued_msgs = use.msgs;
	s.queued_bytes = use.bytes;
	s.msgs_sent = atomic64_read(&rf->msgs_sent);
	s.msgs_received = atomic64_read(&rf->msgs_received);
	return copy_to_user(arg, &s, sizeof(s)) ? -EFAULT : 0;
}

long rmk_ioctl_port(struct rmk_file *rf, unsigned int cmd, void __user *arg)
{
	switch (cmd) {
	case RMACH_IOC_PORT_ALLOCATE:
		return rmk_port_allocate(rf, arg);
	case RMACH_IOC_PORT_DESTROY:
	case RMACH_IOC_PORT_DEALLOCATE:
	case RMACH_IOC_PORT_TYPE:
	case RMACH_IOC_POLL_PORT:
		return rmk_port_name_op(rf, cmd, arg);
	case RMACH_IOC_PORT_MOD_REFS:
	case RMACH_IOC_PORT_GET_REFS:
		return rmk_port_refs(rf, cmd, arg);
	case RMACH_IOC_PORT_INSERT_RIGHT:
	case RMACH_IOC_PORT_EXTRACT_RIGHT:
		return rmk_port_right(rf, cmd, arg);
	case RMACH_IOC_PORT_GET_ATTR:
		return rmk_port_get_attr(rf, arg);
	case RMACH_IOC_PORT_SET_ATTR:
		return rmk_port_set_attr(rf, arg);
	case RMACH_IOC_PORTSET_ADD:
	case RMACH_IOC_PORTSET_REMOVE:
	case RMACH_IOC_PORTSET_MOVE:
		return rmk_portset(rf, cmd, arg);
	case RMACH_IOC_REQUEST_NOTIFY:
		return rmk_request_notify(rf, arg);
	case RMACH_IOC_SPACE_STATS:
		return rmk_space_stats(rf, arg);
	}
	return -ENOTTY;
}
