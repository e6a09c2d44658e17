// SPDX-License-Identifier: GPL-2.0
/*
 * Compiled by uapi/tests/check-header.sh in every mode user space may use
 * (C99/C11, -m32/-m64). The header's static assertions check the sizes at
 * compile time; this program prints sizes and offsets so the script can
 * check all modes agree on the layout field by field.
 */
#include <linux/rmach.h>
#include <stddef.h>
#include <stdio.h>

#define SZ(t) printf("sizeof %s %zu\n", #t, sizeof(struct t))
#define OFF(t, f) printf("offsetof %s.%s %zu\n", #t, #f, offsetof(struct t, f))

int main(void)
{
	SZ(rmach_msg_header); SZ(rmach_port_descriptor);
	SZ(rmach_notify_msg); SZ(rmach_version); SZ(rmach_port_alloc);
	SZ(rmach_port_name); SZ(rmach_port_refs); SZ(rmach_port_right);
	SZ(rmach_port_attr); SZ(rmach_portset_member); SZ(rmach_msg_args);
	SZ(rmach_notify_req); SZ(rmach_registry); SZ(rmach_space_stats);
	OFF(rmach_version, features); OFF(rmach_version, reserved);
	OFF(rmach_msg_args, rcv_msg); OFF(rmach_msg_args, options);
	OFF(rmach_msg_args, reserved); OFF(rmach_registry, name);
	OFF(rmach_space_stats, queued_bytes); OFF(rmach_space_stats, reserved);
	printf("ioctl VERSION %#lx MSG %#lx REGISTER %#lx STATS %#lx\n",
	       (unsigned long)RMACH_IOC_VERSION, (unsigned long)RMACH_IOC_MSG,
	       (unsigned long)RMACH_IOC_REGISTER,
	       (unsigned long)RMACH_IOC_SPACE_STATS);
	return 0;
}
