/*
 * A program: what the assembler produces, what an image holds, what the
 * verifier checks and the interpreter runs. Immutable once loaded; every
 * process running it shares it.
 *
 * Lifecycle: vm_asm() or vm_image_load() -> vm_program_prepare() (verify, then
 * translate for the interpreter) -> any number of processes -> vm_program_free().
 */
#ifndef VMRT_PROGRAM_H
#define VMRT_PROGRAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opcodes.h"
#include "value.h"

/* The line of the instruction starting at `word` and of those after it up to
 * the next entry. */
struct vm_line {
	uint32_t word;
	uint32_t line;
};

struct vm_insn;

struct vm_program {
	char *name; /* source file name, for fault messages */
	uint32_t nconst;
	vm_value *consts; /* ints, floats, static strings */
	uint32_t ncode;
	uint32_t *code; /* words, see opcodes.h */
	uint32_t nlines;
	struct vm_line *lines;

	/* Filled by vm_program_prepare(). */
	bool prepared;
	uint32_t nvars;       /* variable slots of each process */
	uint32_t *var_slot;   /* per constant: its slot, or UINT32_MAX */
	uint32_t ninsns;      /* decoded instructions, + 1 final HALT */
	struct vm_insn *insns;
	uint32_t *word_insn;  /* per code word: instruction index or UINT32_MAX */
	uint32_t max_stack;   /* deepest stack the verifier could prove */
	bool stack_bounded;   /* every instruction's depth is known */
};

/* Bytes of an n-element array that is allocated even when n is 0. Sizes
 * passed to vm_plat_free must equal those allocated (a board's allocator
 * keeps no headers), so both sides use this. */
#define VM_ARRAY_BYTES(n, elem) ((size_t)((n) ? (n) : 1) * (elem))

/* Line of the instruction at code word `word` (0 when unknown). */
uint32_t vm_program_line(const struct vm_program *p, uint32_t word);

/* Allocates an empty program named `name`. NULL when out of memory. */
struct vm_program *vm_program_new(const char *name);
void vm_program_free(struct vm_program *p);

/*
 * Verifies the program, and translates it for the interpreter.
 * Rejected (false, reason in err): operands of the wrong kind or out of range
 * (a constant index past the table, a variable operand that is not a string),
 * line table out of order. Not rejected, but turned into a fault that ends the
 * process if it is ever reached: unknown opcodes, a truncated last
 * instruction, jumps outside the code or into an operand word, instructions
 * that certainly underflow the stack.
 */
bool vm_program_prepare(struct vm_program *p, char *err, size_t errlen);

#endif
