/* The SysTick preempts: a CPU hog at the most important priority (the longest
 * slice, 8000 reductions) must see its slices cut short by the tick, where
 * the instruction budget alone would let each run to the end. Prints TAP. */
#include "board.h"
#include "console.h"
#include "heap.h"
#include "image.h"
#include "platform.h"
#include "startup.h"
#include "systick.h"
#include "vm.h"
#include "vm_board.h"

extern char __heap_start[], __heap_end[];

static void on_tick(void)
{
	if (vm_plat_ticks_in_slice < 2)
		vm_plat_ticks_in_slice++;
}

static void figure(const char *what, uint32_t v)
{
	console_puts(what);
	console_putu(v);
	console_putc('\n');
}

int main(void)
{
	char err[80];
	heap_init(__heap_start, __heap_end);
	systick_start(VM_BOARD_TICK_HZ, on_tick);
	console_puts("TAP version 13\n1..2\n");
	struct vm_program *prog = vm_image_load(vm_linked_images[0].data,
						vm_linked_images[0].len, err, sizeof err);
	struct vm_config cfg = { .heap_limit = 0 };
	struct vm_rt *rt = vm_rt_new(&cfg);
	struct vm_proc *p = 0;
	if (prog && vm_program_prepare(prog, err, sizeof err) && rt)
		p = vm_spawn(rt, prog, 0);
	if (!p) {
		console_puts("Bail out! cannot start the hog\n");
		return BOARD_EXIT_FAIL;
	}
	vm_rt_run(rt);
	uint32_t slices = (uint32_t)p->stats.slices;
	uint32_t reductions = (uint32_t)p->stats.reductions;
	uint32_t slice = p->se.slice;
	figure("# slice (reductions): ", slice);
	figure("# slices run: ", slices);
	figure("# reductions: ", reductions);
	console_puts(p->state == VM_DONE ? "ok 1 the hog ran to the end\n"
					 : "not ok 1 the hog ran to the end\n");
	/* Budget alone: every slice but the last is full. */
	int cut = slices > reductions / slice + 1;
	console_puts(cut ? "ok 2 ticks cut slices short\n" : "not ok 2 ticks cut slices short\n");
	vm_rt_free(rt);
	vm_program_free(prog);
	return BOARD_EXIT_OK;
}
