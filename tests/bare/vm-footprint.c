/* RAM of the runtime on the board, measured on its heap (everything dynamic
 * comes from there): the original rMach's memory-test scenario (kernel,
 * scheduler, IPC, no processes), then 4 processes holding 2 ports each.
 * Prints the figures; exits non-zero if a step fails. */
#include "board.h"
#include "console.h"
#include "heap.h"
#include "image.h"
#include "startup.h"
#include "vm.h"
#include "vm_board.h"

extern char __heap_start[], __heap_end[], __data_start[], __bss_end[];

static void figure(const char *what, uint32_t bytes)
{
	console_puts(what);
	console_putu(bytes);
	console_putc('\n');
}

int main(void)
{
	enum { PROCS = 4, PORTS_EACH = 2 };
	char err[80];
	heap_init(__heap_start, __heap_end);
	uint32_t statics = (uint32_t)(__bss_end - __data_start);
	struct vm_program *prog = vm_image_load(vm_linked_images[0].data,
						vm_linked_images[0].len, err, sizeof err);
	if (!prog || !vm_program_prepare(prog, err, sizeof err))
		return BOARD_EXIT_FAIL;
	uint32_t program = heap_in_use();
	struct vm_config cfg = { .heap_limit = 0 };
	struct vm_rt *rt = vm_rt_new(&cfg);
	if (!rt)
		return BOARD_EXIT_FAIL;
	uint32_t kernel = heap_in_use() - program;
	for (int i = 0; i < PROCS; i++)
		if (!vm_spawn(rt, prog, VM_DEFAULT_PRIO))
			return BOARD_EXIT_FAIL;
	uint32_t spawned = heap_in_use() - program;
	vm_rt_run(rt);	/* returns with all four blocked in RECV */
	uint32_t ported = heap_in_use() - program;
	figure("static RAM (.data + .bss) of the firmware: ", statics);
	figure("kernel + scheduler + IPC, no processes (heap): ", kernel);
	figure("  with the static RAM: ", kernel + statics);
	figure("4 processes, 8 ports (heap): ", ported);
	figure("bytes per process (before its first instruction): ", (spawned - kernel) / PROCS);
	figure("bytes per port (core port, name, VM value): ", (ported - spawned) / (PROCS * PORTS_EACH));
	figure("program (4 processes share it): ", program);
	figure("heap peak: ", heap_peak());
	figure("heap size: ", heap_size());
	figure("C stack never touched (of the reserved): ", stack_bytes_free());
	vm_rt_free(rt);
	vm_program_free(prog);
	if (heap_in_use() != 0) {
		figure("leaked: ", heap_in_use());
		return BOARD_EXIT_FAIL;
	}
	return BOARD_EXIT_OK;
}
