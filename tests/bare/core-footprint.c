/* RAM the port core (core/) takes on the board, measured on its heap: a system
 * with no spaces, then 4 spaces (one per process) holding 2 ports each.
 * Prints the figures; exits non-zero if a core call fails. */
#include "board.h"
#include "console.h"
#include "heap.h"
#include "rmach_core.h"
#include "startup.h"

extern char __heap_start[], __heap_end[];

static void *core_alloc(void *ctx, size_t size)
{
	(void)ctx;
	return heap_alloc(size);
}

static void core_free(void *ctx, void *p, size_t size)
{
	(void)ctx;
	heap_free(p, size);
}

static const struct rmc_ops ops = { .alloc = core_alloc, .free = core_free };

static void figure(const char *what, uint32_t bytes)
{
	console_puts(what);
	console_putu(bytes);
	console_putc('\n');
}

int main(void)
{
	enum { SPACES = 4, PORTS_EACH = 2 };
	struct rmc_sys *sys;
	struct rmc_space *sp[SPACES];
	heap_init(__heap_start, __heap_end);
	if (rmc_sys_create(&ops, 0, 0, &sys) != RMC_SUCCESS)
		return BOARD_EXIT_FAIL;
	uint32_t base = heap_in_use();
	for (int i = 0; i < SPACES; i++)
		if (rmc_space_create(sys, 0, &sp[i]) != RMC_SUCCESS)
			return BOARD_EXIT_FAIL;
	uint32_t spaces = heap_in_use();
	for (int i = 0; i < SPACES; i++) {
		for (int j = 0; j < PORTS_EACH; j++) {
			rmc_name_t name;
			if (rmc_port_allocate(sp[i], RMC_RIGHT_RECEIVE, &name) != RMC_SUCCESS)
				return BOARD_EXIT_FAIL;
		}
	}
	uint32_t ports = heap_in_use();
	figure("core system, no spaces: ", base);
	figure("core per space: ", (spaces - base) / SPACES);
	figure("core per port: ", (ports - spaces) / (SPACES * PORTS_EACH));
	figure("core with 4 spaces and 8 ports: ", ports);
	for (int i = 0; i < SPACES; i++)
		rmc_space_destroy(sp[i]);
	if (rmc_sys_destroy(sys) != RMC_SUCCESS || heap_in_use() != 0) {
		figure("core leaked bytes: ", heap_in_use());
		return BOARD_EXIT_FAIL;
	}
	return BOARD_EXIT_OK;
}
