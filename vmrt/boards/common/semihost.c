/* board_exit() for QEMU boards: ARM semihosting ends the emulator with a status
 * (run with -semihosting-config enable=on,target=native). */
#include "board.h"

#define SYS_EXIT 0x18
#define SYS_EXIT_EXTENDED 0x20
#define ADP_STOPPED_APPLICATION_EXIT 0x20026
#define ADP_STOPPED_RUNTIME_ERROR_UNKNOWN 0x20023

static void semihost(uint32_t op, const void *arg)
{
	register uint32_t r0 __asm__("r0") = op;
	register const void *r1 __asm__("r1") = arg;
	__asm__ volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
}

_Noreturn void board_exit(int status)
{
	/* SYS_EXIT_EXTENDED carries the status itself; plain SYS_EXIT on 32-bit
	 * ARM only tells success (exit 0) from any other reason (exit 1). */
	const uint32_t block[2] = { ADP_STOPPED_APPLICATION_EXIT, (uint32_t)status };
	semihost(SYS_EXIT_EXTENDED, block);
	semihost(SYS_EXIT, (const void *)(uintptr_t)(status ? ADP_STOPPED_RUNTIME_ERROR_UNKNOWN
						     : ADP_STOPPED_APPLICATION_EXIT));
	for (;;)
		__asm__ volatile("wfi");
}
