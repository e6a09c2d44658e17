/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The interface every rmach-bench transport implements.
 *
 * A benchmark run creates one channel in the parent (setup), forks a server and a
 * client process that each attach to it, and tears it down in the parent once both
 * have exited. Every operation moves exactly `len` bytes, the size fixed for the
 * run, and returns 0 or a negative errno.
 */
#ifndef RMACH_BENCH_TRANSPORT_H
#define RMACH_BENCH_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>

enum role { ROLE_SERVER, ROLE_CLIENT };

struct channel {
	const struct transport *transport;
	size_t len;		/* bytes per message, request and reply alike */
	unsigned ports;		/* ports each side's space holds (scales_ports) */
	char tag[48];		/* unique per measurement: a rendezvous name */
	enum role role;		/* set before attach() in each child */
	int fd[4];		/* meaning is the transport's; -1 when unused */
	void *shared;		/* MAP_SHARED memory a transport maps in setup() */
	void *priv;		/* per-process state, set by attach() */
};

struct transport {
	const char *name;	/* short, stable: used in CSV/JSON and --only */
	const char *what;	/* one line for the table legend */
	bool one_way;		/* send()/receive() stream without replies */
	const char *no_one_way;	/* why not, for the report, when !one_way */
	bool scales_ports;	/* attach() fills the space up to ch->ports */
	const char *no_round_trip; /* set when there is no round-trip mode: why */

	/*
	 * Returns 0 when the transport can run `len`-byte messages here, else a
	 * negative errno with `why` filled for the report ("not available: ...").
	 */
	int (*probe)(size_t len, char *why, size_t why_len);
	int (*setup)(struct channel *ch);		/* parent, before fork */
	int (*attach)(struct channel *ch);		/* child, after fork */

	/* Client: send req, wait for the matching reply. */
	int (*call)(struct channel *ch, const void *req, void *rep);
	/*
	 * Server: send `reply` (if not NULL) for the previous request, then wait
	 * for the next request into `req` (if not NULL). Combined so transports
	 * that can do both in one system call (binder, mach_msg) do so.
	 */
	int (*reply_and_receive)(struct channel *ch, const void *reply, void *req);

	/* One-way streaming (one_way): client sends, server receives. */
	int (*send)(struct channel *ch, const void *msg);
	int (*receive)(struct channel *ch, void *msg);
	/* Sender, after its last send(): send what send() batched. May be NULL. */
	int (*flush)(struct channel *ch);

	void (*detach)(struct channel *ch);		/* child, before exit; may be NULL */
	void (*teardown)(struct channel *ch);		/* parent, after both exited */
};

/* Every transport, in report order; the pipe pair first: it is the reference. */
extern const struct transport *const all_transports[];
extern const size_t n_transports;

/* Shared helpers for fd-based transports (transport_fd.c). */
int write_full(int fd, const void *buf, size_t len);
int read_full(int fd, void *buf, size_t len);
void close_fds(struct channel *ch);

/* Shared memory for transports that pass the payload through it (shared_mem.c). */
int map_shared(struct channel *ch, size_t bytes);
void unmap_shared(struct channel *ch, size_t bytes);

/* Transports the rmach module provides (transport_rmach.c). */
extern const struct transport transport_rmach_call;
extern const struct transport transport_rmach_send_receive;
extern const struct transport transport_rmach_uring;
extern const struct transport transport_rmach_uring_batch;

#endif
