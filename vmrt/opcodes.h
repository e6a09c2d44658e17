/*
 * rMach bytecode: every instruction, its encoding and its stack effect.
 *
 * Encoding (in a program image, see image.h): code is an array of 32-bit words.
 * An instruction is one word holding its opcode; an instruction with an operand
 * takes a second word holding the operand. Numeric jump targets in source and
 * operands of jumps in images are word offsets from the start of the code, so
 * `JMP 0` restarts the program and in
 *     0: PUSH 5   2: PRINT   3: JMP 0
 * PRINT is at word 2.
 *
 * Operand kinds:
 *   K  index into the constant table (int, float or string literal)
 *   V  index into the constant table of a string naming a variable
 *   J  word offset of the jump target
 *
 * Stack effects are written (before -- after), top on the right. "n" and "c"
 * are counts popped from the stack, so LIST, DICT and APPEND have effects that
 * only the running program knows: the verifier treats the depth after them as
 * unknown unless a constant count is pushed right before.
 *
 * The first block is the language of the original MicroPython rMach (section 3
 * of DESIGN.md); the second block is rMach's extensions for capabilities.
 *
 * X(name, operand kind, pops, pushes, budget charged)
 *   pops/pushes of -1: dynamic (see above). Budget: reductions charged, see
 *   sched.h; backward jumps are charged by the jump itself.
 */
#ifndef VMRT_OPCODES_H
#define VMRT_OPCODES_H

#define VM_OPERAND_NONE 0
#define VM_OPERAND_K 1
#define VM_OPERAND_V 2
#define VM_OPERAND_J 3

#define VM_OPCODES(X)                                                        \
	/* name        operand          pops pushes  effect                 */ \
	X(PUSH,        VM_OPERAND_K,    0,  1)  /* ( -- k )                     */ \
	X(FETCH,       VM_OPERAND_V,    0,  1)  /* ( -- env[v] ), 0 if unset     */ \
	X(STORE,       VM_OPERAND_V,    1,  0)  /* ( x -- ) env[v] = x           */ \
	X(POP,         VM_OPERAND_NONE, 1,  0)  /* ( x -- )                      */ \
	X(ADD,         VM_OPERAND_NONE, 2,  1)  /* ( a b -- a+b ) str/list concat */ \
	X(SUB,         VM_OPERAND_NONE, 2,  1)  /* ( a b -- a-b )                */ \
	X(MUL,         VM_OPERAND_NONE, 2,  1)  /* ( a b -- a*b ) str/list repeat */ \
	X(DIV,         VM_OPERAND_NONE, 2,  1)  /* ( a b -- a//b ) floor division */ \
	X(LT,          VM_OPERAND_NONE, 2,  1)  /* ( a b -- a<b ) 1 or 0         */ \
	X(GT,          VM_OPERAND_NONE, 2,  1)  /* ( a b -- a>b )                */ \
	X(EQ,          VM_OPERAND_NONE, 2,  1)  /* ( a b -- a==b )               */ \
	X(NOTEQ,       VM_OPERAND_NONE, 2,  1)  /* ( a b -- a!=b )               */ \
	X(JZ,          VM_OPERAND_J,    1,  0)  /* ( x -- ) jump if x is falsy   */ \
	X(JNZ,         VM_OPERAND_J,    1,  0)  /* ( x -- ) jump if x is truthy  */ \
	X(JMP,         VM_OPERAND_J,    0,  0)  /* ( -- ) jump                   */ \
	X(PRINT,       VM_OPERAND_NONE, 1,  0)  /* ( x -- ) print(x)             */ \
	X(SEND,        VM_OPERAND_NONE, 3,  0)  /* ( data reply dest -- ) reply 0: none */ \
	X(RECV,        VM_OPERAND_NONE, 1,  1)  /* ( port -- data ) blocks       */ \
	X(CREATE_PORT, VM_OPERAND_NONE, 0,  1)  /* ( -- port ) receive right     */ \
	X(LIST,        VM_OPERAND_NONE, -1, 1)  /* ( x1..xn n -- [x1..xn] )      */ \
	X(DICT,        VM_OPERAND_NONE, -1, 1)  /* ( k1 v1..kc vc c -- {k1:v1..} ) */ \
	X(INDEX,       VM_OPERAND_NONE, 2,  1)  /* ( obj i -- obj[i] )           */ \
	X(APPEND,      VM_OPERAND_V,    -1, 1)  /* list ( x -- l ) dict ( val key -- d ) */ \
	X(RETURN,      VM_OPERAND_NONE, 0,  0)  /* ( -- ) yield the rest of the slice */ \
	X(HALT,        VM_OPERAND_NONE, 0,  0)  /* ( -- ) end the process       */ \
	/* rMach extensions */                                                  \
	X(REPLY,       VM_OPERAND_NONE, 1,  0)  /* ( data -- ) to the last message's reply port */ \
	X(CALL,        VM_OPERAND_NONE, 2,  1)  /* ( data dest -- reply ) send, wait for the answer */ \
	X(REGISTER,    VM_OPERAND_NONE, 2,  0)  /* ( port name -- ) publish a send right */ \
	X(LOOKUP,      VM_OPERAND_NONE, 1,  1)  /* ( name -- port|0 )            */ \
	X(PID,         VM_OPERAND_NONE, 0,  1)  /* ( -- pid ) this process's id  */ \
	X(DUP,         VM_OPERAND_NONE, 1,  2)  /* ( x -- x x )                  */ \
	X(LEN,         VM_OPERAND_NONE, 1,  1)  /* ( str|list|dict -- n )        */

enum vm_opcode {
#define VM_OP_ENUM(name, kind, pops, pushes) VM_OP_##name,
	VM_OPCODES(VM_OP_ENUM)
#undef VM_OP_ENUM
	VM_OP_COUNT
};

struct vm_opinfo {
	const char *name;
	signed char operand, pops, pushes;
};

/* Indexed by enum vm_opcode. */
extern const struct vm_opinfo vm_opinfo[VM_OP_COUNT];

static inline int vm_op_words(int op)
{
	return vm_opinfo[op].operand == VM_OPERAND_NONE ? 1 : 2;
}

#endif
