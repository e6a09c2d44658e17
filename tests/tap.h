/* SPDX-License-Identifier: MIT */
/*
 * tap.h - a tiny TAP producer for C host tests (header only).
 *
 *   static void test_foo(void) { TAP_CHECK(x == 1); TAP_CHECK_EQ(a, b); }
 *   static const struct tap_test tests[] = { TAP_ENTRY(test_foo), ... };
 *   int main(void) { return tap_run(tests, TAP_COUNT(tests), NULL); }
 *
 * Each test is one "ok N name" / "not ok N name" line; failed checks print
 * "# file:line: expression" comments first. `after` (may be NULL) runs after
 * every test and may call tap_fail() too (e.g. a leak check). tap_run
 * returns 0 only if every test passed.
 */
#ifndef RMACH_TAP_H
#define RMACH_TAP_H

#include <stdio.h>
#include <stddef.h>

struct tap_test {
	const char *name;
	void (*fn)(void);
};

#define TAP_ENTRY(fn) { #fn, fn }
#define TAP_COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int tap_current_failed;

static inline void tap_fail(const char *file, int line, const char *what)
{
	printf("# %s:%d: %s\n", file, line, what);
	tap_current_failed = 1;
}

#define TAP_CHECK(cond)                                                  \
	do {                                                             \
		if (!(cond))                                             \
			tap_fail(__FILE__, __LINE__, "failed: " #cond);  \
	} while (0)

#define TAP_CHECK_EQ(a, b)                                               \
	do {                                                             \
		long long tap_a_ = (long long)(a), tap_b_ = (long long)(b); \
		if (tap_a_ != tap_b_) {                                  \
			printf("# %s:%d: %s == %s: %lld != %lld\n",      \
			       __FILE__, __LINE__, #a, #b, tap_a_, tap_b_); \
			tap_current_failed = 1;                          \
		}                                                        \
	} while (0)

static inline int tap_run(const struct tap_test *t, size_t n,
			  void (*after)(const char *name))
{
	size_t i;
	int failed = 0;

	printf("TAP version 13\n1..%zu\n", n);
	fflush(stdout);
	for (i = 0; i < n; i++) {
		tap_current_failed = 0;
		t[i].fn();
		if (after)
			after(t[i].name);
		printf("%s %zu %s\n", tap_current_failed ? "not ok" : "ok",
		       i + 1, t[i].name);
		fflush(stdout);
		failed |= tap_current_failed;
	}
	return failed;
}

#endif
