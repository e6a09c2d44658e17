/* SysTick: a periodic tick from the core clock, and the idle wait. */
#ifndef RMACH_SYSTICK_H
#define RMACH_SYSTICK_H

#include <stdint.h>

extern volatile uint32_t systick_ticks;

/* Ticks at hz; on_tick (may be 0) runs in the interrupt, after the stack check. */
void systick_start(uint32_t hz, void (*on_tick)(void));

/* Sleeps (wfi) until an interrupt arrives unless *pending is already set;
 * interrupts are masked around the check so a wakeup is never lost. */
void cpu_idle_until(volatile const uint32_t *pending);

#endif
