/* Unbounded recursion: the board must report a stack overflow on the console
 * and exit with BOARD_EXIT_STACK, never run on over .data/.bss. */
#include "board.h"
#include "console.h"
#include "startup.h"
#include "systick.h"

static volatile uint32_t sink;
static volatile uint32_t depth_limit = UINT32_MAX;	/* far beyond any stack */

static uint32_t deep(uint32_t n)
{
	volatile uint32_t frame[16];
	if (n == depth_limit)
		return 0;
	frame[n % 16] = n;
	return deep(n + 1) + frame[(n + 1) % 16];
}

int main(void)
{
	console_puts("recursing\n");
	systick_start(1000, 0);
	sink = deep(0);
	console_puts("survived?\n");
	return BOARD_EXIT_OK;
}
