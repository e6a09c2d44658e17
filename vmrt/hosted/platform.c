/* The platform hooks of platform.h on a hosted (POSIX) system. */
#include "../platform.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void *vm_plat_alloc(size_t bytes)
{
	return malloc(bytes ? bytes : 1);
}

void *vm_plat_realloc(void *p, size_t old_bytes, size_t new_bytes)
{
	(void)old_bytes;
	return realloc(p, new_bytes ? new_bytes : 1);
}

void vm_plat_free(void *p, size_t bytes)
{
	(void)bytes;
	free(p);
}

void vm_plat_write(const char *s, size_t n)
{
	fwrite(s, 1, n, stdout);
}

void vm_plat_diag(const char *line, size_t n)
{
	fflush(stdout); /* keep program output and faults in order on a tty */
	fprintf(stderr, "%.*s\n", (int)n, line);
}

void vm_plat_shortest_double(double d, char digits[20], int *exp10)
{
	char buf[40];
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*e", prec - 1, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	/* buf is "D.DDDDe[+-]XX" or "De[+-]XX". */
	int n = 0;
	const char *s = buf;
	for (; *s && *s != 'e'; s++)
		if (*s >= '0' && *s <= '9' && n < 19)
			digits[n++] = *s;
	while (n > 1 && digits[n - 1] == '0')
		n--;
	digits[n] = 0;
	*exp10 = *s == 'e' ? atoi(s + 1) : 0;
}

uint64_t vm_plat_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void vm_plat_idle(uint64_t deadline_ns)
{
	fflush(stdout);
	if (deadline_ns == UINT64_MAX)
		return; /* hosted: nothing external can arrive */
	struct timespec ts = { (time_t)(deadline_ns / 1000000000u),
			       (long)(deadline_ns % 1000000000u) };
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}
