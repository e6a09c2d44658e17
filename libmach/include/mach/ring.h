/* SPDX-License-Identifier: MIT */
/*
 * mach/ring.h - batched messages over io_uring (needs liburing; link with
 * -luring). Not included by <mach/mach.h>.
 *
 * A ring works on the process's space (mach_task_self()). Queue sends and
 * receives, submit them in one system call, reap their completions. A send
 * completes at submission (MACH_SEND_TIMED_OUT when the queue is full: it
 * never waits); a receive completes when a message arrives on its port or
 * port set, so any number may be in flight. Every buffer must stay valid
 * until its completion is reaped. A ring is used by one thread at a time.
 * Receives in flight end (MACH_RCV_INTERRUPTED) when the space's fd is
 * closed or the process exits.
 */
#ifndef LIBMACH_MACH_RING_H
#define LIBMACH_MACH_RING_H

#include <stdint.h>
#include <mach/mach.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rmach_ring rmach_ring_t;

#define RMACH_RING_SEND	1
#define RMACH_RING_RCV	2
#define RMACH_RING_CALL	3

struct rmach_ring_completion {
	uint64_t tag;			/* as queued */
	int op;				/* RMACH_RING_SEND, _RCV or _CALL */
	mach_msg_return_t kr;		/* MACH_MSG_SUCCESS or the error */
	mach_msg_header_t *msg;		/* the message or receive buffer */
	mach_msg_size_t size;		/* receive, call: the size received */
};

/* A ring with room for entries operations in flight (1..4096). */
kern_return_t rmach_ring_create(unsigned int entries, rmach_ring_t **out);
/*
 * Closes the ring. A receive still in flight keeps its buffer in use until
 * the space's fd is closed: reap every receive first.
 */
void rmach_ring_destroy(rmach_ring_t *ring);

/* Queue a send of msg (msgh_size bytes); KERN_RESOURCE_SHORTAGE: full. */
kern_return_t rmach_ring_send(rmach_ring_t *ring, mach_msg_header_t *msg,
			      uint64_t tag);
/* Queue a receive from name into buf of size bytes. */
kern_return_t rmach_ring_receive(rmach_ring_t *ring, mach_port_name_t name,
				 mach_msg_header_t *buf, mach_msg_size_t size,
				 uint64_t tag);
/*
 * Queue a call: send msg, then receive its reply from reply_name into buf
 * (which may be msg itself). One completion, RMACH_RING_CALL, whose msg is
 * buf. A send error (MACH_SEND_*, MACH_SEND_TIMED_OUT for a full queue)
 * means nothing was sent; MACH_RCV_* means the request went out.
 * KERN_NOT_SUPPORTED when the module has no RMACH_URING_CALL.
 */
kern_return_t rmach_ring_call(rmach_ring_t *ring, mach_msg_header_t *msg,
			      mach_port_name_t reply_name,
			      mach_msg_header_t *buf, mach_msg_size_t size,
			      uint64_t tag);
/* Submits everything queued; the count submitted or -errno. */
int rmach_ring_submit(rmach_ring_t *ring);
/*
 * Reaps up to max completions into out, waiting until at least min (<= max)
 * are there; the count reaped or -errno.
 */
int rmach_ring_reap(rmach_ring_t *ring, struct rmach_ring_completion *out,
		    unsigned int max, unsigned int min);

#ifdef __cplusplus
}
#endif

#endif /* LIBMACH_MACH_RING_H */
