// SPDX-License-Identifier: GPL-2.0
/* Median-of-rounds combination, see rounds.h. */
#include <stdlib.h>
#include <string.h>

#include "rounds.h"

#define MAX_ROUNDS 64

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Median of one field across rounds; also its min and max. */
static double median_of(const struct measurement *rounds, unsigned n, size_t offset,
			double *min, double *max)
{
	double v[MAX_ROUNDS];

	for (unsigned i = 0; i < n; i++)
		memcpy(&v[i], (const char *)&rounds[i] + offset, sizeof(double));
	qsort(v, n, sizeof(v[0]), cmp_double);
	if (min)
		*min = v[0];
	if (max)
		*max = v[n - 1];
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

void combine_rounds(const struct measurement *rounds, unsigned n, enum test_kind kind,
		    struct measurement *out, double *spread)
{
	double lo, hi, mid;

	*spread = 0;
	if (n > MAX_ROUNDS)
		n = MAX_ROUNDS;
	for (unsigned i = 0; i < n; i++) {
		if (rounds[i].outcome != OUTCOME_OK) {
			*out = rounds[i];
			return;
		}
	}
	*out = rounds[0];
	if (kind == TEST_ROUND_TRIP) {
		mid = median_of(rounds, n, offsetof(struct measurement, p50_ns), &lo, &hi);
		out->p50_ns = mid;
		out->p99_ns = median_of(rounds, n, offsetof(struct measurement, p99_ns), NULL, NULL);
		out->mean_ns = median_of(rounds, n, offsetof(struct measurement, mean_ns), NULL,
					 NULL);
	} else {
		mid = median_of(rounds, n, offsetof(struct measurement, msgs_per_s), &lo, &hi);
		out->msgs_per_s = mid;
		out->bytes_per_s = median_of(rounds, n, offsetof(struct measurement, bytes_per_s),
					     NULL, NULL);
	}
	*spread = mid > 0 ? (hi - lo) / mid : 0;
}
