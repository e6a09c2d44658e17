/* libFuzzer: random bytecode. The bytes become code words (opcodes mostly
 * valid, operands in and out of range) over a fixed constant table; whatever
 * the verifier accepts runs in three processes (which can find each other
 * through the registry) with small limits and a bounded number of slices:
 * no crash, no leak, no unbounded growth (the heap limit holds). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "opcodes.h"
#include "vm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const strs[] = { "a", "x", "console", "clock", "" };
	enum { NINT = 6, NFLT = 2, NSTR = 5 };
	static const int64_t ints[NINT] = { 0, 1, -1, 3, INT64_MAX, 40 };
	static const double flts[NFLT] = { 2.5, 0.0 };
	if (size < 2 || size > 4096)
		return 0;
	struct vm_program *p = vm_program_new("fuzz");
	if (!p)
		return 0;
	p->consts = malloc(sizeof(vm_value) * (NINT + NFLT + NSTR));
	for (int i = 0; i < NINT; i++)
		p->consts[p->nconst++] = vm_int(ints[i]);
	for (int i = 0; i < NFLT; i++)
		p->consts[p->nconst++] = vm_float(flts[i]);
	for (int i = 0; i < NSTR; i++) {
		struct vm_str *s = vm_str_static(strs[i], strlen(strs[i]));
		p->consts[p->nconst++] = vm_obj_value(&s->h);
	}
	p->code = malloc(sizeof(uint32_t) * size);
	for (size_t i = 0; i < size;) {
		uint8_t b = data[i++];
		uint32_t op = b % (VM_OP_COUNT + 1); /* sometimes one too far */
		p->code[p->ncode++] = op;
		if (op < VM_OP_COUNT && vm_op_words((int)op) == 2 && i < size) {
			uint8_t a = data[i++];
			uint32_t arg = a;
			if (vm_opinfo[op].operand == VM_OPERAND_V)
				arg = NINT + NFLT + a % NSTR;
			else if (vm_opinfo[op].operand == VM_OPERAND_K)
				arg = a % p->nconst;
			p->code[p->ncode++] = arg;
		}
	}
	char err[100];
	if (vm_program_prepare(p, err, sizeof(err))) {
		struct vm_config cfg = { .heap_limit = 1 << 16, .msg_limit = 256,
				 .port_limit = 64, .max_slices = 64 };
		struct vm_rt *rt = vm_rt_new(&cfg);
		if (rt) {
			for (int i = 0; i < 3; i++)
				vm_spawn(rt, p, (unsigned)(data[0] + i * 7) % VM_NPRIO);
			vm_rt_run(rt);
			vm_rt_free(rt);
		}
	}
	vm_program_free(p);
	return 0;
}
