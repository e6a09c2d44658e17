// SPDX-License-Identifier: MIT
/* port.c - mach_port_* calls: one ioctl each. */
#include <errno.h>
#include <string.h>
#include "internal.h"

kern_return_t mach_port_allocate(ipc_space_t task, mach_port_right_t right,
				 mach_port_name_t *name)
{
	struct rmach_port_alloc a = { .right = right };
	kern_return_t kr;

	if (!name)
		return KERN_INVALID_ARGUMENT;
	kr = lm_ioctl(task, RMACH_IOC_PORT_ALLOCATE, &a, lm_value_errno);
	if (kr == KERN_SUCCESS)
		*name = a.name;
	return kr;
}

kern_return_t mach_port_allocate_name(ipc_space_t task,
				      mach_port_right_t right,
				      mach_port_name_t name)
{
	struct rmach_port_alloc a = {
		.right = right, .name = name, .flags = RMACH_ALLOC_NAME,
	};

	return lm_ioctl(task, RMACH_IOC_PORT_ALLOCATE, &a, lm_value_errno);
}

static kern_return_t lm_name_op(ipc_space_t task, unsigned long cmd,
				mach_port_name_t name)
{
	struct rmach_port_name p = { .name = name };

	return lm_ioctl(task, cmd, &p, lm_port_errno);
}

kern_return_t mach_port_destroy(ipc_space_t task, mach_port_name_t name)
{
	return lm_name_op(task, RMACH_IOC_PORT_DESTROY, name);
}

kern_return_t mach_port_deallocate(ipc_space_t task, mach_port_name_t name)
{
	return lm_name_op(task, RMACH_IOC_PORT_DEALLOCATE, name);
}

kern_return_t mach_port_type(ipc_space_t task, mach_port_name_t name,
			     mach_port_type_t *type)
{
	struct rmach_port_name p = { .name = name };
	kern_return_t kr;

	if (!type)
		return KERN_INVALID_ARGUMENT;
	kr = lm_ioctl(task, RMACH_IOC_PORT_TYPE, &p, lm_port_errno);
	if (kr == KERN_SUCCESS)
		*type = p.type;
	return kr;
}

kern_return_t mach_port_mod_refs(ipc_space_t task, mach_port_name_t name,
				 mach_port_right_t right,
				 mach_port_delta_t delta)
{
	struct rmach_port_refs r = { .name = name, .right = right, .delta = delta };

	return lm_ioctl(task, RMACH_IOC_PORT_MOD_REFS, &r, lm_value_errno);
}

kern_return_t mach_port_get_refs(ipc_space_t task, mach_port_name_t name,
				 mach_port_right_t right,
				 mach_port_urefs_t *refs)
{
	struct rmach_port_refs r = { .name = name, .right = right };
	kern_return_t kr;

	if (!refs)
		return KERN_INVALID_ARGUMENT;
	kr = lm_ioctl(task, RMACH_IOC_PORT_GET_REFS, &r, lm_value_errno);
	if (kr == KERN_SUCCESS)
		*refs = r.refs;
	return kr;
}

kern_return_t mach_port_insert_right(ipc_space_t task, mach_port_name_t name,
				     mach_port_t poly,
				     mach_msg_type_name_t poly_poly)
{
	struct rmach_port_right r = {
		.name = name, .poly = poly, .disposition = poly_poly,
	};

	return lm_ioctl(task, RMACH_IOC_PORT_INSERT_RIGHT, &r, lm_value_errno);
}

kern_return_t mach_port_extract_right(ipc_space_t task, mach_port_name_t name,
				      mach_msg_type_name_t msgt_name,
				      mach_port_t *poly,
				      mach_msg_type_name_t *poly_poly)
{
	struct rmach_port_right r = { .name = name, .disposition = msgt_name };
	kern_return_t kr;

	if (!poly || !poly_poly)
		return KERN_INVALID_ARGUMENT;
	kr = lm_ioctl(task, RMACH_IOC_PORT_EXTRACT_RIGHT, &r, lm_value_errno);
	if (kr == KERN_SUCCESS) {
		*poly = r.poly;
		*poly_poly = r.disposition;
	}
	return kr;
}

kern_return_t mach_port_insert_member(ipc_space_t task, mach_port_name_t member,
				      mach_port_name_t pset)
{
	struct rmach_portset_member m = { .set = pset, .member = member };

	return lm_ioctl(task, RMACH_IOC_PORTSET_ADD, &m, lm_port_errno);
}

kern_return_t mach_port_extract_member(ipc_space_t task,
				       mach_port_name_t member,
				       mach_port_name_t pset)
{
	struct rmach_portset_member m = { .set = pset, .member = member };

	return lm_ioctl(task, RMACH_IOC_PORTSET_REMOVE, &m, lm_port_errno);
}

kern_return_t mach_port_move_member(ipc_space_t task, mach_port_name_t member,
				    mach_port_name_t after)
{
	struct rmach_portset_member m = { .set = after, .member = member };

	return lm_ioctl(task, RMACH_IOC_PORTSET_MOVE, &m, lm_port_errno);
}

kern_return_t mach_port_get_attributes(ipc_space_t task, mach_port_name_t name,
				       mach_port_flavor_t flavor,
				       mach_port_info_t info,
				       mach_msg_type_number_t *count)
{
	struct rmach_port_attr a = { .name = name };
	kern_return_t kr;

	if (!info || !count)
		return KERN_INVALID_ARGUMENT;
	switch (flavor) {
	case MACH_PORT_LIMITS_INFO:
		if (*count < MACH_PORT_LIMITS_INFO_COUNT)
			return KERN_FAILURE;
		break;
	case MACH_PORT_RECEIVE_STATUS:
		if (*count < MACH_PORT_RECEIVE_STATUS_COUNT)
			return KERN_FAILURE;
		break;
	default:
		return KERN_INVALID_ARGUMENT;
	}
	kr = lm_ioctl(task, RMACH_IOC_PORT_GET_ATTR, &a, lm_port_errno);
	if (kr != KERN_SUCCESS)
		return kr;
	if (flavor == MACH_PORT_LIMITS_INFO) {
		mach_port_limits_t lim = { .mpl_qlimit = a.qlimit };

		memcpy(info, &lim, sizeof(lim));
		*count = MACH_PORT_LIMITS_INFO_COUNT;
	} else {
		mach_port_status_t st = {
			.mps_pset = (a.status & RMACH_PORT_STATUS_IN_SET) ? 1 : 0,
			.mps_seqno = a.seqno,
			.mps_mscount = a.mscount,
			.mps_qlimit = a.qlimit,
			.mps_msgcount = a.msgcount,
			.mps_sorights = a.sorights,
			.mps_srights = !!(a.status & RMACH_PORT_STATUS_HAS_SENDERS),
		};

		memcpy(info, &st, sizeof(st));
		*count = MACH_PORT_RECEIVE_STATUS_COUNT;
	}
	return KERN_SUCCESS;
}

kern_return_t mach_port_set_attributes(ipc_space_t task, mach_port_name_t name,
				       mach_port_flavor_t flavor,
				       mach_port_info_t info,
				       mach_msg_type_number_t count)
{
	struct rmach_port_attr a = { .name = name, .mask = RMACH_ATTR_QLIMIT };
	mach_port_limits_t lim;

	if (!info || flavor != MACH_PORT_LIMITS_INFO ||
	    count < MACH_PORT_LIMITS_INFO_COUNT)
		return KERN_INVALID_ARGUMENT;
	memcpy(&lim, info, sizeof(lim));
	a.qlimit = lim.mpl_qlimit;
	return lm_ioctl(task, RMACH_IOC_PORT_SET_ATTR, &a, lm_value_errno);
}

kern_return_t mach_port_set_mscount(ipc_space_t task, mach_port_name_t name,
				    mach_port_mscount_t mscount)
{
	struct rmach_port_attr a = {
		.name = name, .mask = RMACH_ATTR_MSCOUNT, .mscount = mscount,
	};

	return lm_ioctl(task, RMACH_IOC_PORT_SET_ATTR, &a, lm_value_errno);
}

kern_return_t mach_port_request_notification(ipc_space_t task,
					     mach_port_name_t name,
					     mach_msg_id_t msgid,
					     mach_port_mscount_t sync,
					     mach_port_t notify,
					     mach_msg_type_name_t notify_poly,
					     mach_port_t *previous)
{
	struct rmach_notify_req n = {
		.name = name, .variant = msgid, .sync = sync, .notify = notify,
		.notify_disposition = notify == MACH_PORT_NULL ? 0 : notify_poly,
	};
	kern_return_t kr;

	kr = lm_ioctl(task, RMACH_IOC_REQUEST_NOTIFY, &n, lm_value_errno);
	if (kr == KERN_SUCCESS && previous)
		*previous = MACH_PORT_NULL;
	return kr;
}

mach_port_t mach_reply_port(void)
{
	mach_port_name_t name;

	if (mach_port_allocate(MACH_TASK_SELF, MACH_PORT_RIGHT_RECEIVE,
			       &name) != KERN_SUCCESS)
		return MACH_PORT_NULL;
	return name;
}
