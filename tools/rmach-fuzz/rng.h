/* SPDX-License-Identifier: MIT */
/*
 * rng.h - the fuzzer's random numbers: xoshiro256** seeded by splitmix64.
 *
 * Every thread owns one generator seeded from (run seed, slot, incarnation,
 * thread, generation), so a seed fixes each thread's stream of decisions.
 * Never rand(): its state is shared and its quality poor.
 */
#ifndef FZ_RNG_H
#define FZ_RNG_H

#include <stdbool.h>
#include <stdint.h>

struct fz_rng {
	uint64_t s[4];
};

static inline uint64_t fz_splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* A generator for one stream: the seed and up to three stream numbers. */
static inline void fz_rng_init(struct fz_rng *r, uint64_t seed, uint64_t a,
			       uint64_t b, uint64_t c)
{
	uint64_t x = seed ^ (a * 0xD1342543DE82EF95ull) ^
		     (b * 0xA0761D6478BD642Full) ^ (c * 0xE7037ED1A0B428DBull);
	int i;

	for (i = 0; i < 4; i++)
		r->s[i] = fz_splitmix(&x);
}

static inline uint64_t fz_rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline uint64_t fz_rnd(struct fz_rng *r)
{
	uint64_t *s = r->s;
	uint64_t out = fz_rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = fz_rotl(s[3], 45);
	return out;
}

/* Uniform in [0, n); n == 0 gives 0. */
static inline uint32_t fz_below(struct fz_rng *r, uint32_t n)
{
	return n ? (uint32_t)(((fz_rnd(r) >> 32) * n) >> 32) : 0;
}

/* True with probability pct percent. */
static inline bool fz_pct(struct fz_rng *r, unsigned int pct)
{
	return fz_below(r, 100) < pct;
}

/* True once in n. */
static inline bool fz_one_in(struct fz_rng *r, uint32_t n)
{
	return fz_below(r, n) == 0;
}

/* Uniform in [lo, hi]. */
static inline uint32_t fz_range(struct fz_rng *r, uint32_t lo, uint32_t hi)
{
	return lo + fz_below(r, hi - lo + 1);
}

#endif /* FZ_RNG_H */
