// SPDX-License-Identifier: GPL-2.0
/*
 * rmach transports: HOOK. libmach (mach_msg) and uapi/linux/rmach.h do not yet
 * provide the calls these need, so each entry reports "not available" at run
 * time; no figure is ever invented for them. Fill in setup/attach/call/
 * reply_and_receive (and send/receive for one-way) once libmach lands:
 *   rmach-call          mach_msg SEND|RCV on a reply port, ioctl with handoff
 *   rmach-send-receive  separate send and receive ioctls, no handoff
 *   rmach-uring         IORING_OP_URING_CMD send/receive (later session)
 */
#include <errno.h>
#include <stdio.h>

#include "transport.h"

static int rmach_not_built(size_t len, char *why, size_t why_len)
{
	(void)len;
	snprintf(why, why_len, "not built: libmach/rmach uapi not wired into rmach-bench yet");
	return -ENOSYS;
}

const struct transport transport_rmach_call = {
	.name = "rmach-call",
	.what = "rmach ioctl call (send + receive on a reply port, handoff)",
	.probe = rmach_not_built,
};

const struct transport transport_rmach_send_receive = {
	.name = "rmach-send-recv",
	.what = "rmach send ioctl + separate receive ioctl, no handoff",
	.one_way = true,
	.probe = rmach_not_built,
};

const struct transport transport_rmach_uring = {
	.name = "rmach-uring",
	.what = "rmach over io_uring (IORING_OP_URING_CMD)",
	.one_way = true,
	.probe = rmach_not_built,
};
