/* How the firmware runs vmrt on a board. */
#ifndef RMACH_VM_BOARD_H
#define RMACH_VM_BOARD_H

#include <stdint.h>

/* SysTick rate: the time base of vm_plat_now_ns() and the preemption tick. */
#define VM_BOARD_TICK_HZ 100u

/* Times the runtime went to sleep in wfi (every process waiting). */
extern uint32_t vm_board_idle_calls;

/* Bytecode images linked into the firmware (images.S, made by boards.mk). */
struct vm_linked_image {
	const uint8_t *data;
	uint32_t len;
};
extern const struct vm_linked_image vm_linked_images[];
extern const uint32_t vm_linked_image_count;

/*
 * Images loaded over the UART come in frames:
 *   type (1 byte) | length (4, little-endian) | payload | FNV-1a 32 of payload (4)
 *   'P'  payload = priority (1 byte) + program image: add a process
 *   'R'  empty: run the processes added so far, to the end
 *   'C'  payload = 4 x u32 LE: heap, stack, message and port limits of the
 *        processes of later runs, as rmach-vm's --*-limit (0: the default)
 *   'X'  empty: leave (QEMU: exit with the status of the last run)
 */
#define FRAME_PROCESS 'P'
#define FRAME_RUN 'R'
#define FRAME_CONFIG 'C'
#define FRAME_EXIT 'X'

#endif
