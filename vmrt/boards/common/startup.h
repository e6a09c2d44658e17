/* Services of the shared startup code. */
#ifndef RMACH_STARTUP_H
#define RMACH_STARTUP_H

#include <stdint.h>

/* board_exit() statuses the tests tell apart. */
enum {
	BOARD_EXIT_OK = 0,
	BOARD_EXIT_FAIL = 1,
	BOARD_EXIT_STACK = 2,	/* stack overflow */
	BOARD_EXIT_FAULT = 3,	/* hard fault or unexpected exception */
};

void stack_guard_check(void);	/* reports and exits if the guard is hit */
uint32_t stack_bytes_free(void);	/* never-touched stack (high water mark) */

#endif
