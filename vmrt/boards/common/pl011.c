#include "pl011.h"
#include "cortex_m.h"

#define DR 0x000
#define FR 0x018
#define IBRD 0x024
#define FBRD 0x028
#define LCR_H 0x02C
#define CR 0x030

#define FR_RXFE (1u << 4)
#define FR_TXFF (1u << 5)
#define LCR_H_FEN (1u << 4)
#define LCR_H_WLEN8 (3u << 5)
#define CR_UARTEN (1u << 0)
#define CR_TXE (1u << 8)
#define CR_RXE (1u << 9)

void pl011_init(uintptr_t base, uint32_t uartclk_hz, uint32_t baud, int fifo)
{
	/* 64 * clk / (16 * baud), rounded: the divisor in 1/64ths. */
	uint32_t div64 = (4 * uartclk_hz + baud / 2) / baud;
	REG32(base + CR) = 0;
	REG32(base + IBRD) = div64 >> 6;
	REG32(base + FBRD) = div64 & 63;
	REG32(base + LCR_H) = LCR_H_WLEN8 | (fifo ? LCR_H_FEN : 0);	/* latches the divisor */
	REG32(base + CR) = CR_UARTEN | CR_TXE | CR_RXE;
}

void pl011_putc(uintptr_t base, char c)
{
	while (REG32(base + FR) & FR_TXFF)
		;
	REG32(base + DR) = (uint8_t)c;
}

int pl011_getc(uintptr_t base)
{
	if (REG32(base + FR) & FR_RXFE)
		return -1;
	return (int)(REG32(base + DR) & 0xFF);
}
