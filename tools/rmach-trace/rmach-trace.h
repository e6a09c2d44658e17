/* SPDX-License-Identifier: GPL-2.0 */
/* rmach-trace.h - what the BPF side hands the loader (rmach-trace.c). */
#ifndef RMACH_TRACE_TOOL_H
#define RMACH_TRACE_TOOL_H

#define RT_COMM_LEN	16
#define RT_HIST_SLOTS	32	/* log2 microsecond buckets */

/* One received message: a msg_send joined to its msg_receive. */
struct rt_flow {
	__u64 wait_ns;		/* on the queue; 0 when not seen */
	__u32 sender_pid;	/* 0: the kernel (a notification) */
	__u32 receiver_pid;
	__u32 port;		/* receiver's name */
	__u32 id;
	__u32 size;
	__u32 nrights;
	char sender_comm[RT_COMM_LEN];
	char receiver_comm[RT_COMM_LEN];
};

#endif
