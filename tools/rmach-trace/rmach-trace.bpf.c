// SPDX-License-Identifier: GPL-2.0
/*
 * rmach-trace.bpf.c - classic tracepoint programs on the rmach events.
 *
 * Each program reads the event's raw record through a struct written from
 * /sys/kernel/tracing/events/rmach/<event>/format (field names and order are
 * the stable interface, docs/tracing.md), so no vmlinux.h is needed.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "rmach-trace.h"

char LICENSE[] SEC("license") = "GPL";

/* Filters, set by the loader before load; 0 = any. */
const volatile __u32 filter_pid;
const volatile __u32 filter_port;
const volatile __u32 filter_id;
const volatile __u32 filter_id_set;

struct trace_common {
	__u16 type;
	__u8 flags;
	__u8 preempt_count;
	__s32 pid;
};

struct msg_send_rec {
	struct trace_common common;
	__u64 space;
	__u64 msg;
	__u32 dest;
	__u32 reply;
	__u32 id;
	__u32 size;
	__u32 nrights;
	char comm[RT_COMM_LEN];
};

struct msg_dequeue_rec {
	struct trace_common common;
	__u64 space;
	__u64 msg;
	__u32 port;
	__u32 id;
	__u32 size;
	__u32 nrights;
	__u64 wait_ns;
};

struct msg_receive_rec {
	struct trace_common common;
	__u64 space;
	__u64 msg;
	__u32 port;
	__u32 reply;
	__u32 id;
	__u32 size;
	__u32 nrights;
	__s32 err;
	char comm[RT_COMM_LEN];
};

struct sender {
	__u32 pid;
	char comm[RT_COMM_LEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, struct sender);
} senders SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, __u64);
} waits SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, RT_HIST_SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} wait_hist SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} flows SEC(".maps");

static __u32 log2_slot(__u64 v)
{
	__u32 slot = 0;

	while (v > 1 && slot < RT_HIST_SLOTS - 1) {
		v >>= 1;
		slot++;
	}
	return slot;
}

SEC("tracepoint/rmach/rmach_msg_send")
int on_msg_send(struct msg_send_rec *rec)
{
	struct sender s = { .pid = bpf_get_current_pid_tgid() >> 32 };
	__u64 key = rec->msg;	/* map keys may not point into the record */

	__builtin_memcpy(s.comm, rec->comm, RT_COMM_LEN);
	bpf_map_update_elem(&senders, &key, &s, BPF_ANY);
	return 0;
}

SEC("tracepoint/rmach/rmach_msg_dequeue")
int on_msg_dequeue(struct msg_dequeue_rec *rec)
{
	__u64 key = rec->msg, wait = rec->wait_ns;

	bpf_map_update_elem(&waits, &key, &wait, BPF_ANY);
	return 0;
}

static int wanted(const struct rt_flow *f)
{
	if (filter_pid && f->sender_pid != filter_pid &&
	    f->receiver_pid != filter_pid)
		return 0;
	if (filter_port && f->port != filter_port)
		return 0;
	if (filter_id_set && f->id != filter_id)
		return 0;
	return 1;
}

SEC("tracepoint/rmach/rmach_msg_receive")
int on_msg_receive(struct msg_receive_rec *rec)
{
	__u64 key = rec->msg;
	struct sender *s = bpf_map_lookup_elem(&senders, &key);
	__u64 *wait = bpf_map_lookup_elem(&waits, &key);
	struct rt_flow f = {
		.receiver_pid = bpf_get_current_pid_tgid() >> 32,
		.port = rec->port,
		.id = rec->id,
		.size = rec->size,
		.nrights = rec->nrights,
	};
	struct rt_flow *out;
	__u64 *bucket;
	__u32 slot;

	if (s) {
		f.sender_pid = s->pid;
		__builtin_memcpy(f.sender_comm, s->comm, RT_COMM_LEN);
	}
	if (wait)
		f.wait_ns = *wait;
	__builtin_memcpy(f.receiver_comm, rec->comm, RT_COMM_LEN);
	bpf_map_delete_elem(&senders, &key);
	bpf_map_delete_elem(&waits, &key);
	if (rec->err || !wanted(&f))
		return 0;

	slot = log2_slot(f.wait_ns / 1000);
	bucket = bpf_map_lookup_elem(&wait_hist, &slot);
	if (bucket)
		__sync_fetch_and_add(bucket, 1);

	out = bpf_ringbuf_reserve(&flows, sizeof(*out), 0);
	if (!out)
		return 0;
	*out = f;
	bpf_ringbuf_submit(out, 0);
	return 0;
}
