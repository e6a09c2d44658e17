/* SPDX-License-Identifier: GPL-2.0 */
/* Command-line settings shared by the benchmark and the self-test. */
#ifndef RMACH_BENCH_OPTIONS_H
#define RMACH_BENCH_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "transport.h"

struct options {
	bool quick, selftest;
	bool same_cpu, cross_cpu;	/* placements to run */
	int cpus[2];			/* [0]: server (and same-CPU client), [1]: cross client */
	int n_cpus;			/* CPUs this process may use */
	const struct transport *selected[32];
	size_t n_selected;
	size_t rt_size;			/* round-trip message size */
	unsigned rt_count, rt_warmup;
	unsigned ow_count, ow_warmup;
	unsigned rounds;		/* interleaved repetitions of every row */
	unsigned timeout_s;
	const char *json_path, *csv_path;	/* "-": stdout instead of the table */
};

/* Prints TAP; returns 0 when every available transport delivered correctly. */
int run_selftest(const struct options *o);

#endif
