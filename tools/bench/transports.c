// SPDX-License-Identifier: GPL-2.0
/* The list of transports rmach-bench knows, in report order. */
#include "transport.h"

extern const struct transport transport_pipe;
extern const struct transport transport_unix_stream;
extern const struct transport transport_unix_seqpacket;
extern const struct transport transport_eventfd;
extern const struct transport transport_futex;
extern const struct transport transport_posix_mq;
extern const struct transport transport_sysv_msg;
extern const struct transport transport_binder;

const struct transport *const all_transports[] = {
	&transport_pipe,	/* first: every ratio is against it */
	&transport_unix_stream,
	&transport_unix_seqpacket,
	&transport_eventfd,
	&transport_futex,
	&transport_posix_mq,
	&transport_sysv_msg,
	&transport_binder,
	&transport_rmach_call,
	&transport_rmach_send_receive,
	&transport_rmach_uring,
	&transport_rmach_uring_batch,
};

const size_t n_transports = sizeof(all_transports) / sizeof(all_transports[0]);
