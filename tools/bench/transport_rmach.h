/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the rmach transports share (transport_rmach.c): one process's end of
 * a channel, its set-up through the registry and its messages.
 */
#ifndef RMACH_BENCH_TRANSPORT_RMACH_H
#define RMACH_BENCH_TRANSPORT_RMACH_H

#include <linux/rmach.h>
#include <stdbool.h>
#include <stdint.h>

#include "transport.h"

#define BENCH_MSG_ID 0x7262	/* any id no notification uses */

struct rmach_end {
	int fd;
	bool combined;			/* send and receive in one ioctl */
	uint32_t service;		/* server: receive right; client: send right */
	uint32_t reply_port;		/* client: receive right for replies */
	uint32_t reply_to;		/* server: send-once right of the last request */
	bool registered;		/* server: ch->tag is ours in the registry */
	size_t msg_bytes;		/* header + payload */
	struct rmach_msg_header *out, *in;
};

/* ioctl on the space: 0 or -errno. */
int rmach_ioctl(int fd, unsigned long req, void *arg);
int rmach_probe(size_t len, char *why, size_t why_len);
int rmach_setup(struct channel *ch);
void rmach_teardown(struct channel *ch);

/*
 * Opens the space, fills it to ch->ports, and meets the peer: the server
 * allocates and registers the service port (queue limit at the module's
 * maximum), the client looks it up and allocates its reply port.
 */
int rmach_end_attach(struct channel *ch, struct rmach_end *e);
/* Unregisters, closes the space, frees the buffers (not e itself). */
void rmach_end_release(struct channel *ch, struct rmach_end *e);

/* Writes header and payload of a message of e->msg_bytes into out. */
void rmach_build(struct rmach_end *e, struct rmach_msg_header *out, uint32_t bits,
		 uint32_t dest, uint32_t reply, const void *payload, size_t len);
/* One RMACH_IOC_MSG: send e->out if send, then receive into e->in from from. */
int rmach_msg(struct rmach_end *e, bool send, uint32_t from);

#endif
