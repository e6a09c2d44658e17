/* Scheduling on the board, driven by SysTick:
 * - a CPU hog at the most important priority (the longest slice, 8000
 *   reductions) has its slices cut short by the tick, where the instruction
 *   budget alone would let each run to the end;
 * - a process sleeping on the clock service leaves the core in wfi, woken once
 *   per tick, never spinning.
 * Prints TAP. */
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
	console_puts("# ");
	console_puts(what);
	console_putu(v);
	console_putc('\n');
}

static int n;

static void check(int ok, const char *what)
{
	console_puts(ok ? "ok " : "not ok ");
	console_putu((uint32_t)++n);
	console_putc(' ');
	console_puts(what);
	console_putc('\n');
}

/* Runs linked image i alone; returns its process (valid until vm_rt_free). */
static struct vm_proc *run(struct vm_rt *rt, struct vm_program **prog, uint32_t i)
{
	char err[80];
	*prog = vm_image_load(vm_linked_images[i].data, vm_linked_images[i].len, err,
			      sizeof err);
	if (!*prog || !vm_program_prepare(*prog, err, sizeof err))
		return 0;
	struct vm_proc *p = vm_spawn(rt, *prog, 0);
	if (p)
		vm_rt_run(rt);
	return p;
}

int main(void)
{
	static const struct vm_config cfg = { .heap_limit = 0 };
	struct vm_program *prog;
	heap_init(__heap_start, __heap_end);
	systick_start(VM_BOARD_TICK_HZ, on_tick);
	console_puts("TAP version 13\n1..4\n");

	struct vm_rt *rt = vm_rt_new(&cfg);
	struct vm_proc *hog = rt ? run(rt, &prog, 0) : 0;
	if (!hog) {
		console_puts("Bail out! cannot run the hog\n");
		return BOARD_EXIT_FAIL;
	}
	uint32_t slices = (uint32_t)hog->stats.slices;
	uint32_t reductions = (uint32_t)hog->stats.reductions;
	figure("hog slice (reductions): ", hog->se.slice);
	figure("hog slices run: ", slices);
	figure("hog reductions: ", reductions);
	check(hog->state == VM_DONE, "the hog ran to the end");
	/* Budget alone: every slice but the last is full. */
	check(slices > reductions / hog->se.slice + 1, "ticks cut the hog's slices short");
	vm_rt_free(rt);
	vm_program_free(prog);

	rt = vm_rt_new(&cfg);
	uint32_t ticks = systick_ticks, idles = vm_board_idle_calls;
	struct vm_proc *sleeper = rt ? run(rt, &prog, 1) : 0;
	if (!sleeper) {
		console_puts("Bail out! cannot run the sleeper\n");
		return BOARD_EXIT_FAIL;
	}
	ticks = systick_ticks - ticks;
	idles = vm_board_idle_calls - idles;
	figure("sleeper: ticks elapsed: ", ticks);
	figure("sleeper: wfi sleeps: ", idles);
	check(sleeper->state == VM_DONE, "the sleeper ran to the end");
	check(idles > 0 && idles <= ticks + 1, "waiting sleeps in wfi, once per tick at most");
	vm_rt_free(rt);
	vm_program_free(prog);
	return BOARD_EXIT_OK;
}
