/* vm_plat_shortest_double() without libc: the free-format algorithm of Steele &
 * White / Burger & Dybvig on exact big integers. Slow (a few thousand word
 * operations per number) but small and exact; PRINT of a float is rare on a
 * microcontroller. Uses ~750 bytes of stack. */
#include <stdint.h>
#include <string.h>

#include "platform.h"

#define WORDS 36	/* 1152 bits: 2^1076 (denormal scale) times 10, with room */

struct big {
	int n;		/* words in use; w[n-1] != 0 unless n == 0 */
	uint32_t w[WORDS];
};

static void big_set(struct big *a, uint64_t v)
{
	a->n = 0;
	while (v) {
		a->w[a->n++] = (uint32_t)v;
		v >>= 32;
	}
}

static void big_shl(struct big *a, int bits)
{
	int words = bits / 32, rest = bits % 32;
	if (a->n == 0)
		return;
	a->w[a->n] = 0;
	for (int i = a->n; i >= 0; i--) {
		uint32_t hi = a->w[i] << rest;
		uint32_t lo = (rest && i) ? a->w[i - 1] >> (32 - rest) : 0;
		a->w[i + words] = hi | lo;
	}
	for (int i = 0; i < words; i++)
		a->w[i] = 0;
	a->n += words + 1;
	while (a->n && !a->w[a->n - 1])
		a->n--;
}

static void big_mul_small(struct big *a, uint32_t m)
{
	uint64_t carry = 0;
	for (int i = 0; i < a->n; i++) {
		carry += (uint64_t)a->w[i] * m;
		a->w[i] = (uint32_t)carry;
		carry >>= 32;
	}
	if (carry)
		a->w[a->n++] = (uint32_t)carry;
}

static int big_cmp(const struct big *a, const struct big *b)
{
	if (a->n != b->n)
		return a->n < b->n ? -1 : 1;
	for (int i = a->n - 1; i >= 0; i--)
		if (a->w[i] != b->w[i])
			return a->w[i] < b->w[i] ? -1 : 1;
	return 0;
}

static void big_add(struct big *out, const struct big *a, const struct big *b)
{
	uint64_t carry = 0;
	int n = a->n > b->n ? a->n : b->n;
	for (int i = 0; i < n; i++) {
		carry += (uint64_t)(i < a->n ? a->w[i] : 0) + (i < b->n ? b->w[i] : 0);
		out->w[i] = (uint32_t)carry;
		carry >>= 32;
	}
	out->n = n;
	if (carry)
		out->w[out->n++] = (uint32_t)carry;
}

static void big_sub(struct big *a, const struct big *b)	/* a >= b */
{
	int64_t borrow = 0;
	for (int i = 0; i < a->n; i++) {
		borrow += (int64_t)a->w[i] - (i < b->n ? b->w[i] : 0);
		a->w[i] = (uint32_t)borrow;
		borrow = borrow < 0 ? -1 : 0;
	}
	while (a->n && !a->w[a->n - 1])
		a->n--;
}

/* Both neighbours read back: take the nearer one, the even one on a tie
 * (as printf and Python do). */
static int round_up(const struct big *r, const struct big *s, int digit)
{
	struct big t;
	big_add(&t, r, r);
	int c = big_cmp(&t, s);
	return c > 0 || (c == 0 && (digit & 1));
}

/* r + m+ against s: with an even mantissa the interval's ends round to v. */
static int high_ok(const struct big *r, const struct big *mp, const struct big *s, int even)
{
	struct big t;
	big_add(&t, r, mp);
	int c = big_cmp(&t, s);
	return even ? c >= 0 : c > 0;
}

void vm_plat_shortest_double(double d, char digits[20], int *exp10)
{
	uint64_t bits;
	memcpy(&bits, &d, sizeof bits);
	uint64_t f = bits & ((1ull << 52) - 1);
	int be = (int)(bits >> 52) & 0x7FF;
	int e;
	if (be) {
		f |= 1ull << 52;
		e = be - 1075;
	} else {
		e = -1074;
	}
	int even = !(f & 1);
	/* v = r/s; the rounding interval is (v - m-/s, v + m+/s). */
	int unequal_gaps = be > 1 && f == 1ull << 52;
	struct big r, s, mp, mm;
	big_set(&r, f);
	big_set(&s, 1);
	big_set(&mp, 1);
	big_set(&mm, 1);
	big_shl(&r, 1 + unequal_gaps);
	big_shl(&s, 1 + unequal_gaps);
	big_shl(&mp, unequal_gaps);
	if (e >= 0) {
		big_shl(&r, e);
		big_shl(&mp, e);
		big_shl(&mm, e);
	} else {
		big_shl(&s, -e);
	}
	/* k: decimal exponent with v < 10^k; start from an estimate, then fix. */
	int bitlen = 0;
	for (uint64_t t = f; t; t >>= 1)
		bitlen++;
	int k = (int)(((int64_t)(e + bitlen - 1) * 78913) >> 18);	/* ~log10 */
	for (int i = 0; i < k; i++)
		big_mul_small(&s, 10);
	for (int i = 0; i > k; i--) {
		big_mul_small(&r, 10);
		big_mul_small(&mp, 10);
		big_mul_small(&mm, 10);
	}
	while (high_ok(&r, &mp, &s, even)) {
		big_mul_small(&s, 10);
		k++;
	}
	for (;;) {	/* too low by one: (r + m+) * 10 still below s */
		struct big t;
		big_add(&t, &r, &mp);
		big_mul_small(&t, 10);
		int c = big_cmp(&t, &s);
		if (even ? c >= 0 : c > 0)
			break;
		big_mul_small(&r, 10);
		big_mul_small(&mp, 10);
		big_mul_small(&mm, 10);
		k--;
	}
	int n = 0;
	for (;;) {
		big_mul_small(&r, 10);
		big_mul_small(&mp, 10);
		big_mul_small(&mm, 10);
		int digit = 0;
		while (big_cmp(&r, &s) >= 0) {
			big_sub(&r, &s);
			digit++;
		}
		int c = big_cmp(&r, &mm);
		int low = even ? c <= 0 : c < 0;
		int high = high_ok(&r, &mp, &s, even);
		if (!low && !high && n < 16) {	/* 17 digits always suffice */
			digits[n++] = (char)('0' + digit);
			continue;
		}
		if (high && (!low || round_up(&r, &s, digit)))
			digit++;
		digits[n++] = (char)('0' + digit);
		break;
	}
	digits[n] = 0;
	*exp10 = k - 1;
}
