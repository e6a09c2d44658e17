// SPDX-License-Identifier: GPL-2.0
/*
 * --selftest: short verified runs of every transport, printed as TAP, so the
 * tool cannot rot unnoticed. The server transforms each request and both sides
 * check every byte of every message (payload.h). Transports this machine
 * lacks (binder without its module, rmach before it lands) are skipped.
 */
#include <stdbool.h>
#include <stdio.h>

#include "measure.h"
#include "options.h"
#include "report.h"

static const size_t sizes[] = { 1, 64, 16384 };
#define N_SIZES (sizeof(sizes) / sizeof(sizes[0]))

struct placement {
	const char *name;
	int server_cpu, client_cpu;
};

/* One verified run, one TAP line; returns true unless it failed. */
static bool check(const struct options *o, const struct transport *t,
		  const struct placement *p, size_t len, enum test_kind kind, unsigned number)
{
	struct run_spec spec = {
		.transport = t,
		.kind = kind,
		.len = len,
		.ports = 1,
		.senders = 1,
		.warmup = 2,
		.count = o->quick ? 20 : 200,
		.server_cpu = p->server_cpu,
		.client_cpu = p->client_cpu,
		.timeout_s = o->timeout_s,
		.verify = true,
	};
	struct measurement m;

	measure(&spec, &m);
	printf("%s %u - %s %s %zu B %s", m.outcome == OUTCOME_FAILED ? "not ok" : "ok",
	       number, t->name, test_name(kind), len, p->name);
	if (m.outcome == OUTCOME_UNAVAILABLE)
		printf(" # SKIP %s", m.note);
	else if (m.outcome == OUTCOME_FAILED)
		printf(": %s", m.note);
	printf("\n");
	fflush(stdout);
	return m.outcome != OUTCOME_FAILED;
}

/* Every size on one CPU; one size across CPUs, where there are two. */
int run_selftest(const struct options *o)
{
	const struct placement same = { "same-cpu", o->cpus[0], o->cpus[0] };
	const struct placement cross = { "cross-cpu", o->cpus[0], o->cpus[1] };
	bool two_cpus = o->n_cpus > 1;
	size_t per_transport = 2 * (N_SIZES + two_cpus);
	unsigned number = 0;
	bool all_ok = true;

	printf("TAP version 13\n1..%zu\n", o->n_selected * per_transport);
	for (size_t t = 0; t < o->n_selected; t++) {
		const struct transport *tr = o->selected[t];

		for (size_t s = 0; s < N_SIZES; s++) {
			all_ok &= check(o, tr, &same, sizes[s], TEST_ROUND_TRIP, ++number);
			all_ok &= check(o, tr, &same, sizes[s], TEST_ONE_WAY, ++number);
		}
		if (two_cpus) {
			all_ok &= check(o, tr, &cross, 64, TEST_ROUND_TRIP, ++number);
			all_ok &= check(o, tr, &cross, 64, TEST_ONE_WAY, ++number);
		}
	}
	return all_ok ? 0 : 1;
}
