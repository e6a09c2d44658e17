#include "heap.h"

#include <stdint.h>

/* Free blocks, sorted by address, adjacent ones merged. */
struct free_block {
	size_t size;
	struct free_block *next;
};

static struct free_block *free_list;
static size_t total, in_use, peak;
static unsigned refused;

/* Sizes are whole granules, so a split never leaves a sliver too small to
 * hold a free_block: 8 bytes on a 32-bit target. */
#define GRANULE (sizeof(struct free_block) > HEAP_ALIGN ? sizeof(struct free_block) : HEAP_ALIGN)

static size_t round_up(size_t n)
{
	return (n + GRANULE - 1) / GRANULE * GRANULE;
}

void heap_init(void *start, void *end)
{
	uintptr_t lo = ((uintptr_t)start + HEAP_ALIGN - 1) & ~(uintptr_t)(HEAP_ALIGN - 1);
	uintptr_t hi = (uintptr_t)end;
	free_list = 0;
	total = in_use = peak = 0;
	refused = 0;
	if (hi < lo + GRANULE)
		return;
	hi = lo + (hi - lo) / GRANULE * GRANULE;
	free_list = (struct free_block *)lo;
	free_list->size = total = hi - lo;
	free_list->next = 0;
}

void *heap_alloc(size_t bytes)
{
	if (bytes == 0)
		return 0;
	if (bytes > total) {
		refused++;
		return 0;
	}
	size_t n = round_up(bytes);
	for (struct free_block **link = &free_list; *link; link = &(*link)->next) {
		struct free_block *b = *link;
		if (b->size < n)
			continue;
		if (b->size > n) {
			/* Hand out the tail: the list link stays where it is. */
			b->size -= n;
			b = (struct free_block *)((char *)b + b->size);
		} else {
			*link = b->next;
		}
		in_use += n;
		if (in_use > peak)
			peak = in_use;
		return b;
	}
	refused++;
	return 0;
}

void heap_free(void *p, size_t bytes)
{
	if (!p)
		return;
	size_t n = round_up(bytes);
	struct free_block *b = p, *prev = 0, *next = free_list;
	while (next && next < b) {
		prev = next;
		next = next->next;
	}
	in_use -= n;
	b->size = n;
	b->next = next;
	if (next && (char *)b + b->size == (char *)next) {
		b->size += next->size;
		b->next = next->next;
	}
	if (prev && (char *)prev + prev->size == (char *)b) {
		prev->size += b->size;
		prev->next = b->next;
	} else if (prev) {
		prev->next = b;
	} else {
		free_list = b;
	}
}

size_t heap_in_use(void)
{
	return in_use;
}

size_t heap_peak(void)
{
	return peak;
}

size_t heap_size(void)
{
	return total;
}

unsigned heap_refused(void)
{
	return refused;
}
