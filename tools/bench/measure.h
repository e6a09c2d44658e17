/* SPDX-License-Identifier: GPL-2.0 */
/* Runs one measurement: a server and a client process on chosen CPUs. */
#ifndef RMACH_BENCH_MEASURE_H
#define RMACH_BENCH_MEASURE_H

#include <stdbool.h>
#include <stddef.h>

#include "transport.h"

enum test_kind { TEST_ROUND_TRIP, TEST_ONE_WAY };

#define MAX_SENDERS 8	/* client processes of one one-way run */

struct run_spec {
	const struct transport *transport;
	enum test_kind kind;
	size_t len;		/* bytes per message */
	unsigned ports;		/* ports in the space during the test (rmach scaling) */
	unsigned senders;	/* sending processes (one-way scaling) */
	unsigned warmup;	/* round trips / messages not counted */
	unsigned count;		/* round trips / messages counted */
	int server_cpu, client_cpu;
	unsigned timeout_s;	/* kill both processes after this long */
	bool verify;		/* server transforms, client checks every byte */
};

enum outcome { OUTCOME_OK, OUTCOME_UNAVAILABLE, OUTCOME_FAILED };

struct measurement {
	enum outcome outcome;
	char note[160];		/* why unavailable / failed */
	/* round trip, nanoseconds */
	double p50_ns, p99_ns, mean_ns;
	/* one way */
	double msgs_per_s, bytes_per_s;
};

/* Fills `m`; never exits or crashes on a transport's failure. */
void measure(const struct run_spec *spec, struct measurement *m);

#endif
