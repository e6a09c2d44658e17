/* SPDX-License-Identifier: MIT */
/*
 * mach/message.h - messages and mach_msg().
 *
 * Layout (the kernel's, see <linux/rmach.h>): a mach_msg_header_t, then
 * msgh_descriptor_count port descriptors, then inline data; msgh_size counts
 * it all. Unlike XNU there is no separate mach_msg_body_t: the descriptor
 * count is in the header. MACH_MSGH_BITS_COMPLEX must be set exactly when
 * there are descriptors.
 */
#ifndef LIBMACH_MESSAGE_H
#define LIBMACH_MESSAGE_H

#include <stddef.h>
#include <mach/port.h>

typedef uint32_t mach_msg_bits_t;
typedef uint32_t mach_msg_size_t;
typedef uint32_t mach_msg_option_t;
typedef uint32_t mach_msg_timeout_t;

typedef struct {
	mach_msg_bits_t msgh_bits;
	mach_msg_size_t msgh_size;
	mach_port_t msgh_remote_port;
	mach_port_t msgh_local_port;
	mach_msg_id_t msgh_id;
	uint32_t msgh_descriptor_count;
} mach_msg_header_t;

typedef struct {
	mach_port_t name;
	mach_msg_type_name_t disposition;
} mach_msg_port_descriptor_t;

#define MACH_MSGH_BITS_COMPLEX		RMACH_MSGH_BITS_COMPLEX
#define MACH_MSGH_BITS(remote, local)	RMACH_MSGH_BITS(remote, local)
#define MACH_MSGH_BITS_REMOTE(bits)	RMACH_MSGH_BITS_REMOTE(bits)
#define MACH_MSGH_BITS_LOCAL(bits)	RMACH_MSGH_BITS_LOCAL(bits)

/* Notification bodies (no-senders: mscount; dead-name: the name). */
typedef struct {
	mach_msg_header_t not_header;
	uint32_t not_value;
} mach_notify_msg_t;

/* mach_msg() options. */
#define MACH_MSG_OPTION_NONE	0x00000000u
#define MACH_SEND_MSG		0x00000001u
#define MACH_RCV_MSG		0x00000002u
#define MACH_SEND_TIMEOUT	0x00000010u
#define MACH_RCV_TIMEOUT	0x00000100u
/* A too-large message stays queued either way; with MACH_RCV_LARGE the
 * size it needs is written to msgh_size of the buffer. */
#define MACH_RCV_LARGE		0x00000004u

#define MACH_MSG_TIMEOUT_NONE	((mach_msg_timeout_t)0)

/*
 * Send msg (send_size bytes), then receive into msg (rcv_size bytes) from
 * rcv_name, as options say. Both together are a call: the server is woken
 * on this CPU and this thread waits for the reply at once. timeout (ms)
 * applies to each phase whose *_TIMEOUT option is set; 0 means fail at once.
 * notify must be MACH_PORT_NULL.
 */
mach_msg_return_t mach_msg(mach_msg_header_t *msg, mach_msg_option_t option,
			   mach_msg_size_t send_size, mach_msg_size_t rcv_size,
			   mach_port_name_t rcv_name, mach_msg_timeout_t timeout,
			   mach_port_name_t notify);

/* Shorthands: send msg as is / receive into msg (size in msgh_size). */
mach_msg_return_t mach_msg_send(mach_msg_header_t *msg);
mach_msg_return_t mach_msg_receive(mach_msg_header_t *msg);

#endif /* LIBMACH_MESSAGE_H */
