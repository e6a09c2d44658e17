/* Program allocation and the debug line table. */
#include "program.h"

#include <string.h>

#include "interp.h"
#include "platform.h"

struct vm_program *vm_program_new(const char *name)
{
	struct vm_program *p = vm_plat_alloc(sizeof(*p));
	if (!p)
		return NULL;
	memset(p, 0, sizeof(*p));
	size_t n = strlen(name);
	p->name = vm_plat_alloc(n + 1);
	if (!p->name) {
		vm_plat_free(p, sizeof(*p));
		return NULL;
	}
	memcpy(p->name, name, n + 1);
	return p;
}

void vm_program_free(struct vm_program *p)
{
	if (!p)
		return;
	for (uint32_t i = 0; i < p->nconst; i++)
		if (p->consts[i].t == VT_STR)
			vm_str_static_free(VM_STR(p->consts[i]));
	vm_plat_free(p->consts, p->nconst * sizeof(*p->consts));
	vm_plat_free(p->code, p->ncode * sizeof(*p->code));
	vm_plat_free(p->lines, p->nlines * sizeof(*p->lines));
	vm_plat_free(p->var_slot, VM_ARRAY_BYTES(p->nconst, sizeof(*p->var_slot)));
	vm_plat_free(p->insns, p->ninsns * sizeof(*p->insns));
	vm_plat_free(p->word_insn, VM_ARRAY_BYTES(p->ncode, sizeof(*p->word_insn)));
	vm_plat_free(p->name, strlen(p->name) + 1);
	vm_plat_free(p, sizeof(*p));
}

uint32_t vm_program_line(const struct vm_program *p, uint32_t word)
{
	/* Binary search for the last entry at or before word. */
	uint32_t lo = 0, hi = p->nlines;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (p->lines[mid].word <= word)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? p->lines[lo - 1].line : 0;
}
