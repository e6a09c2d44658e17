#include "systick.h"
#include "board.h"
#include "cortex_m.h"
#include "startup.h"

#define CSR_ENABLE (1u << 0)
#define CSR_TICKINT (1u << 1)
#define CSR_CLKSOURCE_CPU (1u << 2)

volatile uint32_t systick_ticks;
static void (*tick_hook)(void);

void systick_start(uint32_t hz, void (*on_tick)(void))
{
	tick_hook = on_tick;
	SYST_RVR = board_cpu_hz / hz - 1;	/* 24-bit reload */
	SYST_CVR = 0;
	SYST_CSR = CSR_ENABLE | CSR_TICKINT | CSR_CLKSOURCE_CPU;
}

void SysTick_Handler(void)
{
	systick_ticks++;
	stack_guard_check();
	if (tick_hook)
		tick_hook();
}

void cpu_idle_until(volatile const uint32_t *pending)
{
	irq_disable();
	if (!*pending)
		cpu_wfi();	/* a pending interrupt wakes wfi even when masked */
	irq_enable();
}
