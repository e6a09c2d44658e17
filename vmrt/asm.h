/*
 * The assembler: .rasm text -> program (DESIGN.md section 3).
 *
 *   # comment            whole line or after code
 *   :loop                a label, on its own line
 *   push 10              mnemonics are case-insensitive
 *   jz :done             jump to a label ...
 *   jmp 0                ... or to a word offset (an instruction with an
 *                        operand takes 2 words)
 *   .func greet          an inline macro: a line whose first word is `greet`
 *   push hello^world     splices the body (`^` is a space, `~` a newline)
 *   print
 *   .end
 *
 * Literals: -?digits is an integer, -?digits.digits a float, anything else a
 * string. Every error is reported as "file:line:col: message" and assembly goes
 * on to find the others; no input crashes it or makes it run away (expansion
 * and sizes are bounded).
 */
#ifndef VMRT_ASM_H
#define VMRT_ASM_H

#include <stddef.h>

#include "program.h"

/* Receives each diagnostic, a complete line without the newline. */
typedef void vm_diag_fn(void *ctx, const char *line);

#define VM_ASM_MAX_ERRORS 50
#define VM_ASM_MAX_INSNS (1u << 20) /* after macro expansion */

/* NULL when there were errors (all reported through diag). The program is not
 * yet prepared (see vm_program_prepare). */
struct vm_program *vm_asm(const char *file, const char *src, size_t len,
			  vm_diag_fn *diag, void *ctx);

#endif
