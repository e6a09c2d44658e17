/* A first-fit allocator over one RAM range, for callers that remember sizes
 * (vmrt's vm_plat_free passes the size), so blocks carry no header. */
#ifndef RMACH_HEAP_H
#define RMACH_HEAP_H

#include <stddef.h>

#define HEAP_ALIGN 8u

void heap_init(void *start, void *end);
void *heap_alloc(size_t bytes);			/* NULL when no block fits */
void heap_free(void *p, size_t bytes);		/* bytes as given to heap_alloc */
size_t heap_in_use(void);			/* bytes handed out, rounded */
size_t heap_peak(void);				/* most ever in use */
size_t heap_size(void);
unsigned heap_refused(void);			/* allocations that found no block */

#endif
