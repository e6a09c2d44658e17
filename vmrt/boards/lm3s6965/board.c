/* TI LM3S6965 evaluation board, as QEMU's lm3s6965evb models it: UART0 (PL011)
 * console on PA0/PA1 at 115200 8N1. After reset the core runs from the 12 MHz
 * internal oscillator; no PLL setup. */
#include "board.h"
#include "cortex_m.h"
#include "pl011.h"

#define UART0 0x4000C000u
#define SYSCTL_RCGC1 REG32(0x400FE104)	/* bit 0: UART0 clock */
#define SYSCTL_RCGC2 REG32(0x400FE108)	/* bit 0: GPIO port A clock */
#define GPIOA_AFSEL REG32(0x40004420)
#define GPIOA_DEN REG32(0x4000451C)

const char board_name[] = "lm3s6965";
const uint32_t board_cpu_hz = 12000000;

void board_init(void)
{
	SYSCTL_RCGC1 |= 1u;
	SYSCTL_RCGC2 |= 1u;
	GPIOA_AFSEL |= 3u;	/* PA0 = U0Rx, PA1 = U0Tx */
	GPIOA_DEN |= 3u;
	pl011_init(UART0, board_cpu_hz, 115200, 0);	/* a QEMU board: no FIFO */
}

void board_putc(char c)
{
	pl011_putc(UART0, c);
}

int board_getc(void)
{
	return pl011_getc(UART0);
}
