/* BBC micro:bit (nRF51822): UART0 console on the USB interface chip's pins
 * (TX P0.24, RX P0.25) at 115200 8N1. The core runs at 16 MHz; the UART is
 * clocked from the 16 MHz crystal when it starts (the RC oscillator's few
 * percent are too much for a UART). */
#include "board.h"
#include "cortex_m.h"

#define UART0 0x40002000u
#define UART_STARTRX REG32(UART0 + 0x000)
#define UART_STARTTX REG32(UART0 + 0x008)
#define UART_RXDRDY REG32(UART0 + 0x108)
#define UART_TXDRDY REG32(UART0 + 0x11C)
#define UART_ENABLE REG32(UART0 + 0x500)
#define UART_PSELTXD REG32(UART0 + 0x50C)
#define UART_PSELRXD REG32(UART0 + 0x514)
#define UART_RXD REG32(UART0 + 0x518)
#define UART_TXD REG32(UART0 + 0x51C)
#define UART_BAUDRATE REG32(UART0 + 0x524)

#define CLOCK_HFCLKSTART REG32(0x40000000)
#define CLOCK_HFCLKSTARTED REG32(0x40000100)
#define CRYSTAL_WAIT_POLLS 100000u	/* at most ~50 ms; it starts in < 1 ms */

#define BAUD_115200 0x01D7E000u
#define ENABLE_UART 4u

const char board_name[] = "microbit";
const uint32_t board_cpu_hz = 16000000;

void board_init(void)
{
	CLOCK_HFCLKSTART = 1;
	for (uint32_t i = 0; i < CRYSTAL_WAIT_POLLS && !CLOCK_HFCLKSTARTED; i++)
		;
	UART_PSELTXD = 24;
	UART_PSELRXD = 25;
	UART_BAUDRATE = BAUD_115200;
	UART_ENABLE = ENABLE_UART;
	UART_STARTTX = 1;
	UART_STARTRX = 1;
}

void board_putc(char c)
{
	UART_TXD = (uint8_t)c;
	while (!UART_TXDRDY)
		;
	UART_TXDRDY = 0;
}

int board_getc(void)
{
	if (!UART_RXDRDY)
		return -1;
	UART_RXDRDY = 0;	/* clear before reading: the next byte may set it again */
	return (int)(UART_RXD & 0xFF);
}
