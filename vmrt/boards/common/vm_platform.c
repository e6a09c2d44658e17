/* vmrt's platform hooks (vmrt/platform.h) on a board: memory from the board
 * heap, output on the UART console, time from SysTick, idle in wfi. */
#include <string.h>

#include "platform.h"
#include "console.h"
#include "cortex_m.h"
#include "heap.h"
#include "systick.h"
#include "vm_board.h"

/* Counted by the tick (firmware.c), read by the interpreter (VM_TICK_PREEMPT). */
volatile uint8_t vm_plat_ticks_in_slice;

void *vm_plat_alloc(size_t bytes)
{
	return heap_alloc(bytes);
}

void *vm_plat_realloc(void *p, size_t old_bytes, size_t new_bytes)
{
	void *q = heap_alloc(new_bytes);
	if (!q)
		return 0;	/* p stays valid, as realloc leaves it */
	if (p) {
		memcpy(q, p, old_bytes < new_bytes ? old_bytes : new_bytes);
		heap_free(p, old_bytes);
	}
	return q;
}

void vm_plat_free(void *p, size_t bytes)
{
	heap_free(p, bytes);
}

void vm_plat_write(const char *s, size_t n)
{
	console_write(s, n);
}

void vm_plat_diag(const char *line, size_t n)
{
	console_write(line, n);
	console_putc('\n');
}

uint64_t vm_plat_now_ns(void)
{
	/* Read ticks around the counter so a tick in between is not lost. */
	uint32_t ticks, count;
	do {
		ticks = systick_ticks;
		count = SYST_CVR;
	} while (ticks != systick_ticks);
	uint32_t reload = SYST_RVR + 1;
	uint64_t ns_per_tick = 1000000000u / VM_BOARD_TICK_HZ;
	return ticks * ns_per_tick + (uint64_t)(reload - count) * ns_per_tick / reload;
}

uint32_t vm_board_idle_calls;

void vm_plat_idle(uint64_t deadline_ns)
{
	(void)deadline_ns;	/* the next tick wakes us; the runtime re-checks */
	vm_board_idle_calls++;
	cpu_wfi();
}
