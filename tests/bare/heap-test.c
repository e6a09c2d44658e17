/* Host unit test of the board heap (vmrt/boards/common/heap.c), under ASan and
 * UBSan. Prints TAP. */
#include "heap.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static _Alignas(16) unsigned char arena[4096];
static int failures, cases;

static void ok(int cond, const char *what)
{
	cases++;
	if (!cond)
		failures++;
	printf("%s %d %s\n", cond ? "ok" : "not ok", cases, what);
}

static int fills_all_then_fails(void)
{
	void *all = heap_alloc(heap_size());
	unsigned refused = heap_refused();
	int good = all && !heap_alloc(1) && heap_refused() == refused + 1;
	heap_free(all, heap_size());
	return good;
}

int main(void)
{
	printf("TAP version 13\n1..7\n");
	heap_init(arena + 3, arena + sizeof arena);	/* misaligned start */
	ok(heap_size() > 4000 && heap_size() <= sizeof arena - 3, "usable size of an arena");
	ok(fills_all_then_fails(), "whole heap in one block, then exhausted (and counted)");

	/* Pseudo-random alloc/free, each block filled with its own byte. */
	enum { SLOTS = 48 };
	unsigned char *blk[SLOTS] = { 0 };
	size_t len[SLOTS] = { 0 };
	uint32_t seed = 12345;
	int aligned = 1, intact = 1;
	for (int step = 0; step < 20000; step++) {
		seed = seed * 1103515245u + 12345u;
		int i = (int)(seed >> 16) % SLOTS;
		if (blk[i]) {
			for (size_t k = 0; k < len[i]; k++)
				intact &= blk[i][k] == (unsigned char)i;
			heap_free(blk[i], len[i]);
			blk[i] = 0;
		} else {
			len[i] = 1 + (seed >> 8) % 200;
			blk[i] = heap_alloc(len[i]);
			if (blk[i]) {
				aligned &= (uintptr_t)blk[i] % HEAP_ALIGN == 0;
				memset(blk[i], i, len[i]);
			}
		}
	}
	ok(aligned, "blocks are 8-byte aligned");
	ok(intact, "blocks never overlap (contents survive)");
	size_t peak = heap_peak();
	for (int i = 0; i < SLOTS; i++)
		heap_free(blk[i], len[i]);
	ok(heap_in_use() == 0, "in-use count returns to 0");
	ok(peak > 0 && peak <= heap_size(), "peak is tracked");
	ok(fills_all_then_fails(), "freed blocks merge back into one");
	return failures != 0;
}
