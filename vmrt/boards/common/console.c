#include "console.h"
#include "board.h"

void console_putc(char c)
{
	board_putc(c);
}

void console_write(const char *s, size_t n)
{
	while (n--)
		board_putc(*s++);
}

void console_puts(const char *s)
{
	while (*s)
		board_putc(*s++);
}

void console_putu(uint32_t v)
{
	char buf[10];
	int n = 0;
	do {
		buf[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		board_putc(buf[--n]);
}

void console_puthex(uint32_t v)
{
	console_puts("0x");
	for (int shift = 28; shift >= 0; shift -= 4)
		board_putc("0123456789abcdef"[(v >> shift) & 0xF]);
}
