/* First bytes of the RAM image: the bootrom jumps here, not through a vector
 * table. Point VTOR at ours, take its stack and reset handler. */
	.syntax unified
	.cpu cortex-m0plus
	.thumb

	.section .entry, "ax"
	.global rp2040_entry
	.type rp2040_entry, %function
	.thumb_func
rp2040_entry:
	cpsid i
	ldr r0, =vector_table
	ldr r1, =0xE000ED08		/* SCB VTOR */
	str r0, [r1]
	ldr r1, [r0]			/* initial stack pointer */
	msr msp, r1
	ldr r1, [r0, #4]		/* Reset_Handler */
	cpsie i
	bx r1
	.ltorg
