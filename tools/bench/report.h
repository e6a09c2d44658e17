/* SPDX-License-Identifier: GPL-2.0 */
/* The results of a run and the three ways they are written out. */
#ifndef RMACH_BENCH_REPORT_H
#define RMACH_BENCH_REPORT_H

#include <stdio.h>

#include "measure.h"

struct result {
	const struct transport *transport;
	enum test_kind kind;
	const char *placement;		/* "same-cpu" or "cross-cpu" */
	int server_cpu, client_cpu;
	size_t len;
	unsigned ports;			/* ports in the space (rmach scaling) */
	unsigned senders;		/* sending processes (one-way scaling) */
	unsigned count, warmup;	/* per round */
	unsigned rounds;
	struct measurement m;		/* median of the rounds */
	double spread;			/* (max - min) / median of the headline figure */
	/* Against the pipe pair in the same group; 0 when there is none. */
	double p50_vs_pipe, p99_vs_pipe;	/* round trip: > 1 is slower */
	double rate_vs_pipe;			/* one way: > 1 is faster */
	/* Scaling rows: headline figure / the same transport's 1-port, 1-sender row. */
	double vs_unscaled;
};

struct report {
	struct result *rows;
	size_t n_rows;
	int cpus[2];
	int n_cpus_online;
};

/* Fills the *_vs_pipe fields from the pipe row of each group. */
void compute_ratios(struct report *r);

void write_table(FILE *f, const struct report *r);
void write_json(FILE *f, const struct report *r);
void write_csv(FILE *f, const struct report *r);

const char *test_name(enum test_kind kind);
const char *outcome_name(enum outcome o);

#endif
