/* Raspberry Pi Pico (RP2040): UART0 console on GP0 (TX) / GP1 (RX) at 115200
 * 8N1. Clocks: the 12 MHz crystal drives clk_ref, clk_sys and clk_peri; no PLL
 * (README.md lists the assumptions). */
#include "board.h"
#include "cortex_m.h"
#include "pl011.h"

#define ATOMIC_CLR 0x3000u	/* register alias: writing 1 clears those bits */

#define RESETS 0x4000C000u
#define RESETS_RESET (RESETS + 0x0)
#define RESETS_DONE REG32(RESETS + 0x8)
#define RESET_IO_BANK0 (1u << 5)
#define RESET_PADS_BANK0 (1u << 8)
#define RESET_UART0 (1u << 22)

#define XOSC 0x40024000u
#define XOSC_CTRL REG32(XOSC + 0x00)
#define XOSC_STATUS REG32(XOSC + 0x04)
#define XOSC_STARTUP REG32(XOSC + 0x0C)
#define XOSC_RANGE_1_15MHZ 0xAA0u
#define XOSC_ENABLE (0xFABu << 12)
#define XOSC_STABLE (1u << 31)

#define CLOCKS 0x40008000u
#define CLK_REF_CTRL REG32(CLOCKS + 0x30)
#define CLK_REF_SELECTED REG32(CLOCKS + 0x38)
#define CLK_SYS_CTRL REG32(CLOCKS + 0x3C)
#define CLK_SYS_SELECTED REG32(CLOCKS + 0x44)
#define CLK_PERI_CTRL REG32(CLOCKS + 0x48)
#define CLK_REF_SRC_XOSC 2u
#define CLK_SYS_SRC_CLK_REF 0u
#define CLK_PERI_ENABLE (1u << 11)	/* AUXSRC 0: clk_sys */

#define IO_BANK0 0x40014000u
#define GPIO_CTRL(n) REG32(IO_BANK0 + 8u * (n) + 4u)
#define FUNCSEL_UART 2u

#define UART0 0x40034000u
#define XOSC_HZ 12000000u

const char board_name[] = "rp2040";
const uint32_t board_cpu_hz = XOSC_HZ;

static void clocks_from_crystal(void)
{
	/* Glitchless muxes: move clk_sys to clk_ref first (the bootrom may have
	 * left it on a PLL), then clk_ref from the ring oscillator to the crystal. */
	CLK_SYS_CTRL = CLK_SYS_SRC_CLK_REF;
	while (CLK_SYS_SELECTED != 1u << CLK_SYS_SRC_CLK_REF)
		;
	XOSC_CTRL = XOSC_RANGE_1_15MHZ;
	XOSC_STARTUP = (XOSC_HZ / 1000 + 255) / 256;	/* ~1 ms, in 256-cycle units */
	XOSC_CTRL = XOSC_RANGE_1_15MHZ | XOSC_ENABLE;
	while (!(XOSC_STATUS & XOSC_STABLE))
		;
	CLK_REF_CTRL = CLK_REF_SRC_XOSC;
	while (CLK_REF_SELECTED != 1u << CLK_REF_SRC_XOSC)
		;
	CLK_PERI_CTRL = 0;	/* stop before (re)selecting its source */
	CLK_PERI_CTRL = CLK_PERI_ENABLE;
}

void board_init(void)
{
	clocks_from_crystal();
	uint32_t blocks = RESET_IO_BANK0 | RESET_PADS_BANK0 | RESET_UART0;
	REG32(RESETS_RESET + ATOMIC_CLR) = blocks;
	while ((RESETS_DONE & blocks) != blocks)
		;
	GPIO_CTRL(0) = FUNCSEL_UART;
	GPIO_CTRL(1) = FUNCSEL_UART;
	pl011_init(UART0, XOSC_HZ, 115200, 1);
}

void board_putc(char c)
{
	pl011_putc(UART0, c);
}

int board_getc(void)
{
	return pl011_getc(UART0);
}

/* No semihosting on the real board: say so and sleep. */
_Noreturn void board_exit(int status)
{
	static const char msg[] = "\nexit ";
	for (const char *p = msg; *p; p++)
		board_putc(*p);
	board_putc((char)('0' + (status & 7)));
	board_putc('\n');
	for (;;)
		cpu_wfi();
}
