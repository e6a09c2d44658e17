/* The board interface: what each board directory provides. Everything else in
 * vmrt/boards/common is shared by all boards (all are ARMv6-M). */
#ifndef RMACH_BOARD_H
#define RMACH_BOARD_H

#include <stdint.h>

extern const char board_name[];
extern const uint32_t board_cpu_hz;	/* core clock SysTick counts */

void board_init(void);			/* clocks, pins, console UART */
void board_putc(char c);		/* blocks until the UART takes it */
int board_getc(void);			/* a received byte, or -1 if none */
_Noreturn void board_exit(int status);	/* QEMU: ends the run with status */

#endif
