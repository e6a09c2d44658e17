/*
 * What the portable runtime needs from the platform it runs on. Everything in
 * vmrt/ except vmrt/hosted/ and vmrt/cli/ uses only these hooks and the string.h
 * functions (memcpy, memmove, memset, memcmp, strlen), so a -ffreestanding build
 * with a tiny shim can run it (issue 6). The hosted implementation is
 * vmrt/hosted/platform.c.
 */
#ifndef VMRT_PLATFORM_H
#define VMRT_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

/* Memory for programs, processes, heaps and messages; NULL when exhausted. */
void *vm_plat_alloc(size_t bytes);
void *vm_plat_realloc(void *p, size_t old_bytes, size_t new_bytes);
void vm_plat_free(void *p, size_t bytes);

/* Program output (PRINT, the console service). */
void vm_plat_write(const char *s, size_t n);
/* Diagnostics: faults, trace events. One complete line per call, no newline. */
void vm_plat_diag(const char *line, size_t n);

/*
 * Shortest decimal digits that read back as d (d finite, > 0): writes the
 * digits (no dot, no sign, at most 17) to digits[] NUL-terminated and the
 * decimal exponent of the first digit to *exp10: 0.125 -> "125", -1.
 */
void vm_plat_shortest_double(double d, char digits[20], int *exp10);

/* Monotonic time in ns. */
uint64_t vm_plat_now_ns(void);
/* Nothing can run: sleep until deadline_ns (UINT64_MAX: there is no deadline,
 * the caller guarantees some event can still come) or an external event. */
void vm_plat_idle(uint64_t deadline_ns);

/*
 * Preemption by a timer tick (bare metal). Built with VM_TICK_PREEMPT, the
 * interpreter also ends a slice at its next charge point (backward jump, SEND,
 * RECV) once it has seen two ticks: the platform's tick interrupt counts them
 * in vm_plat_ticks_in_slice, the runtime zeroes it when a slice starts. So no
 * slice runs much past one whole tick period, and one that merely straddles a
 * tick is not cut short. Hosted builds leave it out: the instruction budget
 * alone preempts, and runs stay deterministic.
 */
#ifdef VM_TICK_PREEMPT
extern volatile uint8_t vm_plat_ticks_in_slice;
#define VM_TICK_EXPIRED() (vm_plat_ticks_in_slice >= 2)
#define VM_TICK_RESTART() (vm_plat_ticks_in_slice = 0)
#else
#define VM_TICK_EXPIRED() 0
#define VM_TICK_RESTART() ((void)0)
#endif

#endif
