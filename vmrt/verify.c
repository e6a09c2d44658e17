/*
 * The verifier and translator: code words -> vm_insn array (interp.h).
 *
 *  1. decode: find instruction starts; an unknown opcode or a truncated last
 *     instruction ends decoding there (it becomes a BADOP fault);
 *  2. operands: constants and variables in range and of the right kind (else
 *     the image is refused); jump targets resolved to instruction indices
 *     (outside the code or into an operand word: BADJUMP, a fault if taken);
 *  3. stack depths by abstract interpretation over the control flow graph:
 *     each instruction's depth is unvisited, a known number, or unknown (paths
 *     disagree, or LIST/DICT/APPEND with a count only known at run time);
 *  4. handlers: plain where the depth is known and safe, CHECK elsewhere;
 *     fused sequences where the depth is known (see interp.h).
 */
#include <string.h>

#include "interp.h"
#include "platform.h"
#include "program.h"
#include "vm.h"

#define UNVISITED (-2)
#define UNKNOWN (-1)

/* The interpreter's stack limit: known depths beyond it get CHECK. */
#define VM_STACK_HARD_LIMIT VM_DEFAULT_STACK_LIMIT

static void set_err(char *err, size_t errlen, const char *msg)
{
	if (!errlen)
		return;
	size_t n = strlen(msg);
	if (n >= errlen)
		n = errlen - 1;
	memcpy(err, msg, n);
	err[n] = 0;
}

static bool is_jump(int op)
{
	return op == VM_OP_JZ || op == VM_OP_JNZ || op == VM_OP_JMP;
}

/* Stack effect of insn i given the depth before it; UNKNOWN if dynamic,
 * UNVISITED when it certainly faults (no successor). */
static int32_t depth_after(const struct vm_program *p, const struct vm_insn *in,
			   uint32_t i, const uint8_t *is_target, int32_t d)
{
	const struct vm_insn *x = &in[i];
	if (x->hid == VM_H_BADOP || x->hid == VM_H_END)
		return UNVISITED;
	int op = x->op;
	int pops = vm_opinfo[op].pops, pushes = vm_opinfo[op].pushes;
	if (pops < 0) {
		/* A constant count pushed right before (and no jump in between)
		 * makes LIST and DICT static. */
		if (op == VM_OP_APPEND || i == 0 || is_target[i] ||
		    in[i - 1].op != VM_OP_PUSH || in[i - 1].hid == VM_H_BADOP)
			return UNKNOWN;
		vm_value c = p->consts[in[i - 1].arg];
		if (c.t != VT_INT || c.u.i < 0 || c.u.i > VM_STACK_HARD_LIMIT)
			return UNKNOWN;
		pops = 1 + (int)c.u.i * (op == VM_OP_DICT ? 2 : 1);
	}
	if (d < pops)
		return UNVISITED; /* underflow fault */
	return d - pops + pushes;
}

static bool merge(int32_t *slot, int32_t d)
{
	if (*slot == d || *slot == UNKNOWN)
		return false;
	*slot = *slot == UNVISITED ? d : UNKNOWN;
	return true;
}

static int relation(int cmp, int jop)
{
	/* "jump if a REL b" for cmp followed by JNZ (jump if true) or JZ. */
	bool nz = jop == VM_OP_JNZ;
	switch (cmp) {
	case VM_OP_LT:
		return nz ? VM_H_JLT_VV : VM_H_JGE_VV;
	case VM_OP_GT:
		return nz ? VM_H_JGT_VV : VM_H_JLE_VV;
	case VM_OP_EQ:
		return nz ? VM_H_JEQ_VV : VM_H_JNE_VV;
	case VM_OP_NOTEQ:
		return nz ? VM_H_JNE_VV : VM_H_JEQ_VV;
	}
	return -1;
}

static bool is_cmp(int op)
{
	return op == VM_OP_LT || op == VM_OP_GT || op == VM_OP_EQ ||
	       op == VM_OP_NOTEQ;
}

static bool is_arith(int op)
{
	return op == VM_OP_ADD || op == VM_OP_SUB || op == VM_OP_MUL;
}

static bool plain_or_checked(const struct vm_insn *x)
{
	return x->hid < VM_OP_COUNT || x->hid == VM_H_CHECK;
}

/* Recognises a fused sequence at i (depth: its stack depth, or UNKNOWN);
 * its length, or 0. */
static uint32_t fuse(const struct vm_program *p, struct vm_insn *in, uint32_t n,
		     uint32_t i, int32_t depth, const uint8_t *is_target)
{
	struct vm_insn *a = &in[i];
	/* A sequence must not contain bad instructions or jump targets. */
	uint32_t ok_len = 0;
	while (ok_len < 4 && i + ok_len < n && plain_or_checked(&in[i + ok_len]) &&
	       (ok_len == 0 || !is_target[i + ok_len]))
		ok_len++;
	if (ok_len >= 4 && a->op == VM_OP_FETCH) {
		struct vm_insn *b = &in[i + 1], *o = &in[i + 2], *d = &in[i + 3];
		bool kint = b->op == VM_OP_PUSH && p->consts[b->arg].t == VT_INT;
		if ((b->op == VM_OP_FETCH || kint) && is_arith(o->op) &&
		    d->op == VM_OP_STORE) {
			int base = o->op == VM_OP_ADD ? 0 : o->op == VM_OP_SUB ? 1 : 2;
			a->hid = (uint8_t)((kint ? VM_H_ADD_VK : VM_H_ADD_VV) + base);
			a->x = a->arg;
			if (kint)
				a->k = p->consts[b->arg].u.i;
			else
				a->y = b->arg;
			a->c = d->arg;
			a->span = 4;
			return 4;
		}
		if ((b->op == VM_OP_FETCH || kint) && is_cmp(o->op) &&
		    (d->op == VM_OP_JZ || d->op == VM_OP_JNZ) &&
		    d->hid != VM_H_BADJUMP) {
			int rel = relation(o->op, d->op);
			a->hid = (uint8_t)(kint ? rel - VM_H_JLT_VV + VM_H_JLT_VK : rel);
			a->x = a->arg;
			if (kint)
				a->k = p->consts[b->arg].u.i;
			else
				a->y = b->arg;
			a->t = d->arg;
			a->n = (int32_t)i + 4;
			a->fcharge = (uint32_t)d->arg <= i ? VM_CHARGE_TAKEN : 0;
			a->span = 4;
			return 4;
		}
	}
	if (ok_len >= 3 && a->op == VM_OP_FETCH) {
		struct vm_insn *b = &in[i + 1], *o = &in[i + 2];
		int hid = -1;
		if (b->op == VM_OP_FETCH && o->op == VM_OP_INDEX)
			hid = VM_H_INDEX_VV;
		else if (b->op == VM_OP_ADD && o->op == VM_OP_STORE &&
			 (depth >= 1 || depth == UNKNOWN)) /* it reads tos */
			hid = VM_H_ADDTO_V;
		else if (b->op == VM_OP_APPEND && o->op == VM_OP_POP)
			hid = VM_H_APPEND_V;
		if (hid >= 0) {
			a->hid = (uint8_t)hid;
			a->x = a->arg;
			a->y = b->op == VM_OP_ADD ? 0 : b->arg; /* b or the list */
			a->c = o->arg;
			a->span = 3;
			return 3;
		}
	}
	if (ok_len >= 2 && in[i + 1].op == VM_OP_STORE &&
	    (a->op == VM_OP_FETCH || a->op == VM_OP_PUSH)) {
		a->hid = a->op == VM_OP_FETCH ? VM_H_MOV : VM_H_SETK;
		a->x = a->arg;
		a->c = in[i + 1].arg;
		a->span = 2;
		return 2;
	}
	return 0;
}

bool vm_program_prepare(struct vm_program *p, char *err, size_t errlen)
{
	if (p->prepared)
		return true;
	const void *const *labels = vm_interp_handlers();
	uint32_t ncode = p->ncode;
	uint32_t n = 0, w = 0, total = 1;
	bool ok = false, bad_tail = false;
	uint32_t *word_insn = vm_plat_alloc(VM_ARRAY_BYTES(ncode, sizeof(uint32_t)));
	uint32_t *var_slot = vm_plat_alloc(VM_ARRAY_BYTES(p->nconst, sizeof(uint32_t)));
	struct vm_insn *in = NULL;
	int32_t *depth = NULL;
	uint8_t *is_target = NULL;
	uint32_t *work = NULL;
	if (!word_insn || !var_slot)
		goto oom;
	for (uint32_t w = 0; w < ncode; w++)
		word_insn[w] = UINT32_MAX;
	for (uint32_t c = 0; c < p->nconst; c++)
		var_slot[c] = UINT32_MAX;

	/* 1. Decode. */
	while (w < ncode) {
		uint32_t op = p->code[w];
		word_insn[w] = n++;
		if (op >= VM_OP_COUNT || w + (uint32_t)vm_op_words((int)op) > ncode) {
			bad_tail = true;
			break;
		}
		w += (uint32_t)vm_op_words((int)op);
	}
	total = n + 1; /* + END */
	in = vm_plat_alloc(total * sizeof(*in));
	depth = vm_plat_alloc(total * sizeof(*depth));
	is_target = vm_plat_alloc(total);
	/* Each instruction's depth changes at most twice (unvisited -> known ->
	 * unknown), and it is queued only on a change. */
	work = vm_plat_alloc(2 * total * sizeof(*work));
	if (!in || !depth || !is_target || !work)
		goto oom;
	memset(in, 0, total * sizeof(*in));
	memset(is_target, 0, total);

	/* 2. Operands. */
	uint32_t nvars = 0;
	for (w = 0; w < ncode; w++) {
		uint32_t i = word_insn[w];
		if (i == UINT32_MAX)
			continue;
		struct vm_insn *x = &in[i];
		uint32_t op = p->code[w];
		x->word = w;
		x->span = 1;
		x->fb = op < VM_OP_COUNT ? (uint8_t)op : 0;
		if (bad_tail && i == n - 1) {
			x->hid = VM_H_BADOP;
			x->op = VM_OP_HALT;
			x->k = op;                    /* for the message */
			x->arg = op < VM_OP_COUNT;    /* 1: truncated, 0: unknown */
			break;
		}
		x->op = (uint8_t)op;
		x->hid = (uint8_t)op;
		uint32_t arg = vm_op_words((int)op) == 2 ? p->code[w + 1] : 0;
		switch (vm_opinfo[op].operand) {
		case VM_OPERAND_K:
			if (arg >= p->nconst) {
				set_err(err, errlen, "constant index out of range");
				goto fail;
			}
			x->arg = (int32_t)arg;
			break;
		case VM_OPERAND_V:
			if (arg >= p->nconst || p->consts[arg].t != VT_STR) {
				set_err(err, errlen, "variable operand is not a string constant");
				goto fail;
			}
			if (var_slot[arg] == UINT32_MAX)
				var_slot[arg] = nvars++;
			x->arg = (int32_t)var_slot[arg];
			break;
		case VM_OPERAND_J:
			if (arg == ncode && !bad_tail) {
				x->arg = (int32_t)n; /* the end: HALT */
			} else if (arg < ncode && word_insn[arg] != UINT32_MAX) {
				x->arg = (int32_t)word_insn[arg];
			} else {
				x->hid = VM_H_BADJUMP;
				x->arg = (int32_t)arg; /* the word, for the message */
				break;
			}
			is_target[x->arg] = 1;
			x->pcharge = (uint32_t)x->arg <= i ? VM_CHARGE_TAKEN : 0;
			break;
		}
	}
	in[n].hid = VM_H_END;
	in[n].op = VM_OP_HALT;
	in[n].word = ncode;

	/* 3. Stack depths. */
	for (uint32_t i = 0; i < total; i++)
		depth[i] = UNVISITED;
	uint32_t nwork = 0;
	depth[0] = 0;
	work[nwork++] = 0;
	while (nwork) {
		uint32_t i = work[--nwork];
		int32_t d = depth[i];
		int32_t after = d == UNKNOWN ? UNKNOWN : depth_after(p, in, i, is_target, d);
		if (after == UNVISITED)
			continue;
		struct vm_insn *x = &in[i];
		uint32_t succ[2], ns = 0;
		if (x->hid != VM_H_END && x->op != VM_OP_HALT && x->op != VM_OP_JMP)
			succ[ns++] = i + 1;
		if (is_jump(x->op) && x->hid != VM_H_BADJUMP)
			succ[ns++] = (uint32_t)x->arg;
		for (uint32_t s = 0; s < ns; s++)
			if (succ[s] < total && merge(&depth[succ[s]], after))
				work[nwork++] = succ[s];
	}

	/* 4. Handlers. */
	uint32_t max_stack = 0;
	bool bounded = true;
	for (uint32_t i = 0; i < n; i++) {
		struct vm_insn *x = &in[i];
		int32_t d = depth[i];
		if (x->hid >= VM_OP_COUNT)
			continue; /* BADOP, BADJUMP */
		bool dynamic = vm_opinfo[x->op].pops < 0;
		/* Dynamic ones check their counts themselves; CHECK makes sure
		 * there is at least the count (or the value) on the stack. */
		x->pops = dynamic ? 1 : vm_opinfo[x->op].pops;
		x->pushes = vm_opinfo[x->op].pushes;
		int32_t after = d - x->pops + x->pushes;
		int32_t peak = after > d ? after : d;
		bool safe = !dynamic && d >= 0 && d >= x->pops &&
			    peak <= (int32_t)VM_STACK_HARD_LIMIT;
		if (d == UNKNOWN)
			bounded = false;
		if (!safe) {
			x->hid = VM_H_CHECK;
		} else if ((uint32_t)peak > max_stack) {
			max_stack = (uint32_t)peak;
		}
	}
	for (uint32_t i = 0; i < n;) {
		uint32_t len = 0;
		/* At an unknown depth the slow path goes through CHECK. */
		bool known = depth[i] >= 0 && depth[i] + 2 <= (int32_t)VM_STACK_HARD_LIMIT &&
			     in[i].hid < VM_OP_COUNT;
		if (known || (depth[i] == UNKNOWN && in[i].hid == VM_H_CHECK))
			len = fuse(p, in, n, i, known ? depth[i] : UNKNOWN, is_target);
		if (len) {
			in[i].fb = known ? in[i].op : VM_H_CHECK;
			if (known && (uint32_t)depth[i] + 2 > max_stack)
				max_stack = (uint32_t)depth[i] + 2;
		}
		i += len ? len : 1;
	}
	/* Loop inversion: a JMP to a fused test becomes a copy of the test. */
	for (uint32_t i = 0; i < n; i++) {
		struct vm_insn *x = &in[i];
		/* (A JMP has no stack effect: CHECK never fails for it, and
		 * the copy's slow path is the plain JMP at any depth.) */
		if (x->op != VM_OP_JMP || depth[i] == UNVISITED ||
		    (x->hid != VM_OP_JMP && x->hid != VM_H_CHECK))
			continue;
		const struct vm_insn *h = &in[x->arg];
		if (h->hid < VM_H_JLT_VV || h->hid > VM_H_JNE_VK)
			continue;
		x->hid = h->hid;
		x->x = h->x;
		x->y = h->y;
		x->k = h->k;
		x->t = h->t;
		x->n = h->n;
		x->fcharge = (uint32_t)x->arg <= i ? VM_CHARGE_TAKEN | VM_CHARGE_FALL
						   : h->fcharge;
		x->span = 1 + h->span; /* the JMP and the test */
	}
	for (uint32_t i = 0; i < total; i++)
		in[i].h = labels[in[i].hid];

	p->insns = in;
	p->ninsns = total;
	p->word_insn = word_insn;
	p->var_slot = var_slot;
	p->nvars = nvars;
	p->max_stack = max_stack;
	p->stack_bounded = bounded;
	p->prepared = true;
	in = NULL;
	word_insn = NULL;
	var_slot = NULL;
	ok = true;
	goto out;
oom:
	set_err(err, errlen, "out of memory");
fail:
out:
	vm_plat_free(in, total * sizeof(*in));
	vm_plat_free(depth, total * sizeof(*depth));
	vm_plat_free(is_target, total);
	vm_plat_free(work, 2 * total * sizeof(*work));
	vm_plat_free(word_insn, VM_ARRAY_BYTES(ncode, sizeof(uint32_t)));
	vm_plat_free(var_slot, VM_ARRAY_BYTES(p->nconst, sizeof(uint32_t)));
	return ok;
}
