/* Vector table, reset and fault handlers shared by every ARMv6-M board.
 *
 * RAM layout (common.ld): the stack sits at the bottom of RAM, below .data and
 * .bss, so an overflow runs off the start of RAM and faults instead of silently
 * overwriting globals; a guard of known words at its low end catches the case
 * where a board maps something there (checked on every SysTick). */
#include "board.h"
#include "console.h"
#include "cortex_m.h"
#include "startup.h"

extern uint32_t __stack_bottom[], __stack_top[];
extern uint32_t __data_start[], __data_end[], __data_load[];
extern uint32_t __bss_start[], __bss_end[];

int main(void);

#define GUARD_WORDS 8
#define GUARD_WORD 0xDEADBEEFu

static void default_handler(void)
{
	console_puts("\nunexpected exception\n");
	board_exit(BOARD_EXIT_FAULT);
}

void SysTick_Handler(void) __attribute__((weak, alias("default_handler")));
void HardFault_Handler(void);
void Reset_Handler(void);

typedef void (*vector_fn)(void);

/* 16 system vectors and 32 interrupts, the most ARMv6-M has: none is enabled,
 * but a stray one lands in default_handler, not in code bytes. */
__attribute__((section(".vectors"), used))
const vector_fn vector_table[48] = {
	[0] = (vector_fn)(uintptr_t)__stack_top,
	[1] = Reset_Handler,
	[2] = default_handler,		/* NMI */
	[3] = HardFault_Handler,
	[11] = default_handler,		/* SVCall */
	[14] = default_handler,		/* PendSV */
	[15] = SysTick_Handler,
	[16 ... 47] = default_handler,
};

void stack_guard_check(void)
{
	for (int i = 0; i < GUARD_WORDS; i++) {
		if (__stack_bottom[i] != GUARD_WORD) {
			console_puts("\nstack overflow: guard overwritten\n");
			board_exit(BOARD_EXIT_STACK);
		}
	}
}

uint32_t stack_bytes_free(void)
{
	uint32_t *p = __stack_bottom + GUARD_WORDS;
	while (p < __stack_top && *p == GUARD_WORD)
		p++;
	return (uint32_t)((uintptr_t)p - (uintptr_t)(__stack_bottom + GUARD_WORDS));
}

void Reset_Handler(void)
{
	/* In RAM images (rp2040) .data is loaded in place: the copy is a no-op. */
	for (uint32_t *s = __data_load, *d = __data_start; d < __data_end;)
		*d++ = *s++;
	for (uint32_t *d = __bss_start; d < __bss_end;)
		*d++ = 0;
	/* Paint the stack below us so stack_bytes_free() sees the high water. */
	uint32_t *sp;
	__asm__ volatile("mov %0, sp" : "=r"(sp));
	for (uint32_t *p = __stack_bottom; p < sp - 16;)
		*p++ = GUARD_WORD;
	board_init();
	board_exit(main());
}

/* Runs on a fresh stack: a fault caused by overflow has no stack left.
 * Called only from HardFault_Handler's assembly: `used` keeps it under LTO. */
__attribute__((used)) void hard_fault_report(const uint32_t *frame)
{
	if (frame < __stack_bottom + GUARD_WORDS || frame + 8 > __stack_top) {
		console_puts("\nstack overflow: sp=");
		console_puthex((uintptr_t)frame);
		console_putc('\n');
		board_exit(BOARD_EXIT_STACK);
	}
	console_puts("\nhard fault: pc=");
	console_puthex(frame[6]);
	console_puts(" lr=");
	console_puthex(frame[5]);
	console_putc('\n');
	board_exit(BOARD_EXIT_FAULT);
}

__attribute__((naked)) void HardFault_Handler(void)
{
	__asm__ volatile(
		"mrs r0, msp\n\t"
		"ldr r1, =__stack_top\n\t"
		"mov sp, r1\n\t"
		"b hard_fault_report\n\t"
		".ltorg");
}
