/* Console output over the board UART. Bytes go out as given: no "\r\n". */
#ifndef RMACH_CONSOLE_H
#define RMACH_CONSOLE_H

#include <stddef.h>
#include <stdint.h>

void console_putc(char c);
void console_write(const char *s, size_t n);
void console_puts(const char *s);
void console_putu(uint32_t v);
void console_puthex(uint32_t v);

#endif
