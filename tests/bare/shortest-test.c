/* Host test of the board's libc-free shortest double formatting
 * (vmrt/boards/common/shortest.c) against the C library: the fewest digits
 * printf needs for the value to read back the same. Prints TAP. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform.h"

/* Reference: the smallest precision whose correctly rounded output reads back. */
static void reference(double d, char digits[20], int *exp10)
{
	char buf[40];
	for (int p = 1; p <= 17; p++) {
		snprintf(buf, sizeof buf, "%.*e", p - 1, d);
		if (strtod(buf, 0) == d)
			break;
	}
	int n = 0;
	for (const char *c = buf; *c && *c != 'e'; c++)
		if (*c >= '0' && *c <= '9')
			digits[n++] = *c;
	digits[n] = 0;
	*exp10 = atoi(strchr(buf, 'e') + 1);
}

static int same(double d, char *why, size_t len)
{
	char got[20], want[20];
	int ge, we;
	vm_plat_shortest_double(d, got, &ge);
	reference(d, want, &we);
	if (strcmp(got, want) || ge != we) {
		snprintf(why, len, "%.17g: got %s e%d, want %s e%d", d, got, ge, want, we);
		return 0;
	}
	return 1;
}

int main(void)
{
	static const double edges[] = {
		0.1, 0.125, 1.0, 3.0, 1e20, 1e21, 1e22, 1e23, 9007199254740993.0,
		5e-324, 2.2250738585072014e-308, 2.225073858507201e-308,
		1.7976931348623157e308, 0.3, 2.0 / 3.0, 123456.789, 1e-7, 4.35,
		5.0e-310, 8.41e21, 5.4e-323,
	};
	char why[120];
	int n = 0, fail = 0;
	printf("TAP version 13\n1..2\n");
	for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++)
		if (!same(edges[i], why, sizeof why) && !fail++)
			printf("# %s\n", why);
	printf("%s %d shortest digits of edge values (powers of ten, denormals, max)\n",
	       fail ? "not ok" : "ok", ++n);
	fail = 0;
	uint64_t x = 88172645463325252ull;
	for (int i = 0; i < 50000; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		uint64_t bits = x & ~(1ull << 63);
		double d;
		memcpy(&d, &bits, sizeof d);
		if (d != d || d == 0 || d > 1.7976931348623157e308)
			continue;
		if (!same(d, why, sizeof why) && !fail++)
			printf("# %s\n", why);
	}
	printf("%s %d shortest digits of 50000 random doubles\n", fail ? "not ok" : "ok", ++n);
	return 0;
}
