/* ARMv6-M system registers and instructions the board layer uses. */
#ifndef RMACH_CORTEX_M_H
#define RMACH_CORTEX_M_H

#include <stdint.h>

#define REG32(addr) (*(volatile uint32_t *)(uintptr_t)(addr))

#define SYST_CSR REG32(0xE000E010)
#define SYST_RVR REG32(0xE000E014)
#define SYST_CVR REG32(0xE000E018)
#define SCB_VTOR REG32(0xE000ED08)

static inline void cpu_wfi(void) { __asm__ volatile("wfi" ::: "memory"); }
static inline void irq_disable(void) { __asm__ volatile("cpsid i" ::: "memory"); }
static inline void irq_enable(void) { __asm__ volatile("cpsie i" ::: "memory"); }

#endif
