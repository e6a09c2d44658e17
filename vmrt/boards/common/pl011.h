/* ARM PL011 UART, the console of lm3s6965 and rp2040. */
#ifndef RMACH_PL011_H
#define RMACH_PL011_H

#include <stdint.h>

/* Baud divisor = uartclk / (16 * baud) as 16.6 fixed point: ibrd.fbrd/64.
 * fifo: use the 16-byte FIFOs. QEMU empties the receive FIFO when they are
 * switched on, losing bytes that came before; its flow control needs none. */
void pl011_init(uintptr_t base, uint32_t uartclk_hz, uint32_t baud, int fifo);
void pl011_putc(uintptr_t base, char c);
int pl011_getc(uintptr_t base);

#endif
