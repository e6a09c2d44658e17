/*
 * PRINT's formatting, exactly MicroPython's (= CPython's) print(): ints in
 * decimal, floats in the shortest repr that reads back ("3.0", "0.1", "1e+20"),
 * a top-level string raw, containers in repr with strings quoted, dicts in
 * insertion order, a container inside itself as [...] / {...}. Ports print as
 * their name (an integer), as the original's ports were integers.
 */
#ifndef VMRT_REPR_H
#define VMRT_REPR_H

#include <stdbool.h>
#include <stddef.h>

#include "value.h"

/* A growable byte buffer; `oom` sticks once an allocation failed. */
struct vm_buf {
	char *p;
	size_t n, cap;
	bool oom;
};

void vm_buf_put(struct vm_buf *b, const char *s, size_t n);
void vm_buf_puts(struct vm_buf *b, const char *s);
void vm_buf_int(struct vm_buf *b, int64_t i);
void vm_buf_free(struct vm_buf *b);

/* Appends print(v) (no newline). false when v nests deeper than
 * VM_MAX_NESTING (the buffer then holds a partial line). */
bool vm_format_print(struct vm_buf *b, vm_value v);
/* Appends repr(v). */
bool vm_format_repr(struct vm_buf *b, vm_value v);
void vm_format_float(struct vm_buf *b, double d);

#endif
