/*
 * The interpreter's instruction form and entry point.
 *
 * At load time (vm_program_prepare, verify.c) the code words are decoded into
 * one vm_insn per instruction, in order, so instruction i of the program is
 * insns[i] and jumps hold instruction indices. Each vm_insn carries its plain
 * meaning (op, arg) and a handler. The handler is normally the plain one; the
 * translator replaces it at the start of a recognised sequence with a fused
 * "superinstruction" working on variables directly, e.g.
 *
 *   FETCH n; FETCH i; ADD; STORE n     ->  ADD_VV   n = n + i
 *   FETCH i; PUSH 1; ADD; STORE i      ->  ADD_VK   i = i + 1
 *   FETCH i; PUSH N; LT; JZ :end       ->  JGE_VK   if i >= N goto end
 *   JMP :loop  (to such a test)        ->  the test itself, taken target and
 *                                          fall-through copied (loop inversion)
 *
 * so `while i < N: n += i; i += 1` costs 3 dispatches per iteration instead
 * of 13. The instructions inside a fused sequence keep their plain handlers.
 * A fused handler only handles the common case (integers, no overflow);
 * anything else jumps to the plain handler of the same insn, which executes
 * the sequence one instruction at a time with full checks and exact fault
 * messages. Fused sequences never span a jump target. Where the stack depth
 * is unknown the slow path goes through CHECK first, so its pushes fit; the
 * fast paths touch the stack only where the depth is known (or check it).
 *
 * Handlers whose stack depth the verifier could not prove get H_CHECK, which
 * checks underflow/overflow and then runs the plain handler; all others run
 * with no stack checks at all.
 */
#ifndef VMRT_INTERP_H
#define VMRT_INTERP_H

#include <stdint.h>

#include "opcodes.h"

#define VM_FUSED(X)                                                         \
	X(END)      /* fell off the end of the code: HALT */                  \
	X(BADOP)    /* unknown opcode or truncated instruction: fault */      \
	X(BADJUMP)  /* jump outside the code or into an operand: fault if taken */ \
	X(CHECK)    /* dynamic stack check, then the plain handler */         \
	X(MOV)      /* FETCH a; STORE c */                                    \
	X(SETK)     /* PUSH k; STORE c */                                     \
	X(ADD_VV) X(SUB_VV) X(MUL_VV) /* FETCH a; FETCH b; op; STORE c */     \
	X(ADD_VK) X(SUB_VK) X(MUL_VK) /* FETCH a; PUSH k; op; STORE c */      \
	X(INDEX_VV) /* FETCH a; FETCH b; INDEX: push a[b] (list, int) */        \
	X(ADDTO_V)  /* FETCH a; ADD; STORE c: c = tos + a, pop */              \
	X(APPEND_V) /* FETCH a; APPEND l; POP: l.append(a) (room in l) */      \
	X(JLT_VV) X(JGE_VV) X(JGT_VV) X(JLE_VV) X(JEQ_VV) X(JNE_VV)         \
	X(JLT_VK) X(JGE_VK) X(JGT_VK) X(JLE_VK) X(JEQ_VK) X(JNE_VK)         \
	/* FETCH a; FETCH b | PUSH k; LT|GT|EQ|NOTEQ; JZ|JNZ: "jump if a REL b" */

enum vm_handler {
	/* 0 .. VM_OP_COUNT-1: the plain instructions */
#define VM_H_PLAIN(name, kind, pops, pushes) VM_H_##name = VM_OP_##name,
	VM_OPCODES(VM_H_PLAIN)
#undef VM_H_PLAIN
	VM_H_FIRST_EXTRA = VM_OP_COUNT - 1,
#define VM_H_ENUM(name) VM_H_##name,
	VM_FUSED(VM_H_ENUM)
#undef VM_H_ENUM
	VM_H_COUNT
};

/* Charge flags of jumps: a backward jump costs one reduction. */
#define VM_CHARGE_TAKEN 1u
#define VM_CHARGE_FALL 2u

struct vm_insn {
	const void *h;      /* handler address (threaded build) */
	uint8_t hid;        /* enum vm_handler */
	uint8_t op;         /* plain opcode */
	uint8_t pcharge;    /* plain jump: VM_CHARGE_TAKEN if backward */
	uint8_t fcharge;    /* fused jump: VM_CHARGE_* */
	uint32_t word;      /* code word: line table, faults, dis */
	int32_t arg;        /* plain operand: constant, variable slot, insn index */
	int32_t x, y, c;    /* fused: variable slots (a, b, result) */
	int32_t t, n;       /* fused jumps: taken / fall-through insn index */
	int16_t pops, pushes; /* H_CHECK: the plain instruction's effect */
	uint8_t span;       /* source instructions the handler runs (for counting) */
	uint8_t fb;         /* fused: handler of the slow path, the plain op, or
			     * CHECK where the stack depth is unknown */
	int64_t k;          /* fused integer constant */
};

const char *vm_handler_name(unsigned hid);

struct vm_rt;
struct vm_proc;

enum vm_exit {
	VM_EXIT_EXPIRED, /* budget used up (at a backward jump, SEND or RECV) */
	VM_EXIT_YIELD,   /* RETURN */
	VM_EXIT_BLOCKED, /* RECV/CALL on an empty port, SEND on a full one */
	VM_EXIT_HANDOFF, /* SEND woke a receiver: rt->handoff runs next */
	VM_EXIT_HALT,
	VM_EXIT_FAULT
};

/* Runs p (state VM_RUNNING, p->budget set) until it stops. */
enum vm_exit vm_interp_run(struct vm_rt *rt, struct vm_proc *p);
/* The same through a switch, adding executed instructions to p->stats.insns
 * (--stats; fused handlers count the instructions they stand for). */
enum vm_exit vm_interp_run_counting(struct vm_rt *rt, struct vm_proc *p);
/* Handler addresses indexed by enum vm_handler (NULLs in a switch build). */
const void *const *vm_interp_handlers(void);

#endif
