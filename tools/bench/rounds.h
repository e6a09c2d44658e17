/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Repeated rounds: every row is measured once per round, rounds interleaved, so
 * slow drift of the host (other guests, frequency) hits all transports alike;
 * the median round is reported and the spread says how much to trust it.
 */
#ifndef RMACH_BENCH_ROUNDS_H
#define RMACH_BENCH_ROUNDS_H

#include "measure.h"

/*
 * Median of each figure over `n` rounds into `out`; a failed round makes the
 * whole row failed (its note is kept). *spread is the headline figure's
 * (max - min) / median: p50 for round trips, messages/s for one way.
 */
void combine_rounds(const struct measurement *rounds, unsigned n, enum test_kind kind,
		    struct measurement *out, double *spread);

#endif
