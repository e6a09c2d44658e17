/* Platform hooks for the fuzz targets: malloc, output discarded. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform.h"

void *vm_plat_alloc(size_t bytes) { return malloc(bytes ? bytes : 1); }
void *vm_plat_realloc(void *p, size_t o, size_t n)
{
	(void)o;
	return realloc(p, n ? n : 1);
}
void vm_plat_free(void *p, size_t bytes)
{
	(void)bytes;
	free(p);
}
void vm_plat_write(const char *s, size_t n) { (void)s; (void)n; }
void vm_plat_diag(const char *line, size_t n) { (void)line; (void)n; }
void vm_plat_shortest_double(double d, char digits[20], int *exp10)
{
	char buf[40];
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*e", prec - 1, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	int n = 0;
	const char *s = buf;
	for (; *s && *s != 'e'; s++)
		if (*s >= '0' && *s <= '9' && n < 19)
			digits[n++] = *s;
	digits[n] = 0;
	*exp10 = *s == 'e' ? atoi(s + 1) : 0;
}
uint64_t vm_plat_now_ns(void) { return 0; }
void vm_plat_idle(uint64_t deadline_ns) { (void)deadline_ns; }
