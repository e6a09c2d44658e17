/* vmrt unit tests: find-first-set, run queue invariants, float repr, image
 * round trip and truncation, verifier depths. TAP through tests/tap.h. */
#include <stdlib.h>
#include <string.h>

#include "asm.h"
#include "image.h"
#include "interp.h"
#include "repr.h"
#include "sched.h"
#include "tap.h"
#include "vm.h"

static uint32_t rng = 12345;
static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static void test_ffs_debruijn(void)
{
	for (unsigned b = 0; b < 32; b++)
		TAP_CHECK_EQ(vm_ffs32_debruijn(1u << b), b);
	for (int i = 0; i < 200000; i++) {
		uint32_t x = rnd() | 1u << (rnd() % 32);
		TAP_CHECK_EQ(vm_ffs32_debruijn(x), (unsigned)__builtin_ctz(x));
	}
}

static void test_slices_and_bonus(void)
{
	TAP_CHECK_EQ(vm_slice_for(0), VM_SLICE_MAX);
	TAP_CHECK_EQ(vm_slice_for(VM_NPRIO - 1), VM_SLICE_MIN);
	for (unsigned p = 1; p < VM_NPRIO; p++)
		TAP_CHECK(vm_slice_for(p) <= vm_slice_for(p - 1));
	struct vm_sched_entity se;
	vm_se_init(&se, 10);
	TAP_CHECK_EQ(vm_bonus(&se), 0);
	TAP_CHECK_EQ(vm_effective_prio(&se), 10);
	se.sleep_avg = VM_MAX_SLEEP_AVG;
	TAP_CHECK_EQ(vm_bonus(&se), VM_MAX_BONUS);
	TAP_CHECK_EQ(vm_effective_prio(&se), 10 - VM_MAX_BONUS);
	se.sleep_avg = 0;
	TAP_CHECK_EQ(vm_bonus(&se), -VM_MAX_BONUS);
	vm_se_init(&se, 0);
	se.sleep_avg = VM_MAX_SLEEP_AVG;
	TAP_CHECK_EQ(vm_effective_prio(&se), 0); /* clamped */
}

/* Random enqueue / pick / expire: invariants hold, picks are in priority
 * order within the active array, FIFO within a priority. */
static void test_runqueue_random(void)
{
	enum { N = 300 };
	static struct vm_proc procs[N];
	struct vm_rq rq;
	vm_rq_init(&rq);
	memset(procs, 0, sizeof(procs));
	for (int i = 0; i < N; i++) {
		vm_se_init(&procs[i].se, rnd() % VM_NPRIO);
		procs[i].pid = (uint32_t)i;
		procs[i].state = VM_BLOCKED;
	}
	int bad_order = 0;
	for (int step = 0; step < 20000; step++) {
		struct vm_proc *p = &procs[rnd() % N];
		switch (rnd() % 3) {
		case 0:
			if (p->state == VM_BLOCKED)
				vm_rq_enqueue(&rq, p, rnd() % 4 == 0);
			break;
		case 1: {
			uint32_t bitmap = rq.arrays[rq.active].bitmap;
			struct vm_proc *q = vm_rq_pick(&rq);
			if (q && bitmap && q->se.prio != (unsigned)__builtin_ctz(bitmap))
				bad_order++;
			if (q)
				q->state = VM_BLOCKED;
			break;
		}
		default: {
			struct vm_proc *q = vm_rq_pick(&rq);
			if (q)
				vm_rq_expire(&rq, q, rnd() % 9000);
		}
		}
		if (!vm_rq_check(&rq)) {
			TAP_CHECK(!"run queue invariant broken");
			return;
		}
	}
	TAP_CHECK_EQ(bad_order, 0);
}

static void test_runqueue_fifo(void)
{
	struct vm_proc a = { 0 }, b = { 0 }, c = { 0 };
	struct vm_rq rq;
	vm_rq_init(&rq);
	vm_se_init(&a.se, 5);
	vm_se_init(&b.se, 5);
	vm_se_init(&c.se, 5);
	vm_rq_enqueue(&rq, &a, false);
	vm_rq_enqueue(&rq, &b, false);
	vm_rq_enqueue(&rq, &c, true); /* a handoff sender goes first */
	TAP_CHECK(vm_rq_pick(&rq) == &c);
	TAP_CHECK(vm_rq_pick(&rq) == &a);
	TAP_CHECK(vm_rq_pick(&rq) == &b);
	TAP_CHECK(vm_rq_pick(&rq) == NULL);
	/* A non-interactive process that expires waits for the swap. */
	a.se.sleep_avg = 0;
	vm_rq_enqueue(&rq, &b, false);
	vm_rq_expire(&rq, &a, 100);
	TAP_CHECK(vm_rq_pick(&rq) == &b);
	TAP_CHECK(vm_rq_pick(&rq) == &a);
	TAP_CHECK_EQ(rq.swaps, 1);
}

/* EXPIRED_STARVING: once the expired array has waited too long, even an
 * interactive process goes there when its slice ends. */
static void test_starvation_guard(void)
{
	struct vm_proc a = { 0 }, b = { 0 };
	struct vm_rq rq;
	vm_rq_init(&rq);
	vm_se_init(&a.se, 10);
	vm_se_init(&b.se, 10);
	b.se.sleep_avg = 0;
	vm_rq_enqueue(&rq, &b, false);
	TAP_CHECK(vm_rq_pick(&rq) == &b);
	vm_rq_expire(&rq, &b, 100); /* a hog: to the expired array */
	TAP_CHECK(b.se.array != rq.active);
	vm_rq_enqueue(&rq, &a, false);
	/* Interactive and nobody starving yet: back to the active array. */
	a.se.sleep_avg = VM_MAX_SLEEP_AVG;
	TAP_CHECK(vm_rq_pick(&rq) == &a);
	vm_rq_expire(&rq, &a, 10);
	TAP_CHECK(a.se.array == rq.active);
	/* Interactive, but the expired array has waited too long. */
	TAP_CHECK(vm_rq_pick(&rq) == &a);
	a.se.sleep_avg = VM_MAX_SLEEP_AVG;
	rq.clock += 10ull * VM_STARVATION_LIMIT;
	vm_rq_expire(&rq, &a, 10);
	TAP_CHECK(a.se.array != rq.active);
	TAP_CHECK(vm_rq_pick(&rq) == &a); /* swap: a's bonus puts it first */
	TAP_CHECK(vm_rq_pick(&rq) == &b);
	TAP_CHECK(vm_rq_check(&rq));
}

static void test_float_repr(void)
{
	static const struct {
		double d;
		const char *s;
	} cases[] = {
		{ 3.0, "3.0" }, { 0.1, "0.1" }, { 1e20, "1e+20" }, { 1e16, "1e+16" },
		{ 1e15, "1000000000000000.0" }, { 1e-4, "0.0001" }, { 1e-5, "1e-05" },
		{ -0.0, "-0.0" }, { 0.0, "0.0" }, { 1.5e300, "1.5e+300" },
		{ 5e-324, "5e-324" }, { 1.7976931348623157e308, "1.7976931348623157e+308" },
		{ 123456789012345680.0, "1.2345678901234568e+17" },
		{ 0.1 + 0.2, "0.30000000000000004" }, { 2.0 / 3.0, "0.6666666666666666" },
		{ 1e100, "1e+100" }, { 12345.678, "12345.678" },
		{ 1.0 / 0.0, "inf" }, { -1.0 / 0.0, "-inf" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vm_buf b = { 0 };
		vm_format_float(&b, cases[i].d);
		vm_buf_put(&b, "", 1);
		if (strcmp(b.p, cases[i].s)) {
			printf("# got %s want %s\n", b.p, cases[i].s);
			TAP_CHECK(!"float repr");
		}
		vm_buf_free(&b);
	}
}

static void quiet(void *ctx, const char *line)
{
	(void)ctx;
	(void)line;
}

static const char sample[] =
	"PUSH 1.5\nSTORE x\n:l\nFETCH x\nPUSH 2\nMUL\nSTORE x\nFETCH x\n"
	"PUSH 100\nLT\nJNZ :l\nPUSH s^t~r\nPRINT\n";

static void test_image_roundtrip(void)
{
	struct vm_program *p = vm_asm("s.rasm", sample, sizeof(sample) - 1, quiet, NULL);
	TAP_CHECK(p != NULL);
	if (!p)
		return;
	struct vm_buf b = { 0 };
	vm_image_write(p, &b);
	char err[100];
	struct vm_program *q = vm_image_load(b.p, b.n, err, sizeof(err));
	TAP_CHECK(q != NULL);
	if (q) {
		struct vm_buf b2 = { 0 };
		vm_image_write(q, &b2);
		TAP_CHECK(b2.n == b.n && memcmp(b.p, b2.p, b.n) == 0);
		TAP_CHECK_EQ(vm_program_line(q, 0), 1);
		TAP_CHECK(vm_program_prepare(q, err, sizeof(err)));
		vm_buf_free(&b2);
		vm_program_free(q);
	}
	/* Every truncation and every single-byte change is refused or loads
	 * cleanly (ASan watches for overreads). */
	for (size_t n = 0; n < b.n; n++) {
		q = vm_image_load(b.p, n, err, sizeof(err));
		TAP_CHECK(q == NULL);
		vm_program_free(q);
	}
	for (size_t i = 0; i < b.n; i++) {
		char saved = b.p[i];
		b.p[i] ^= (char)0x5a;
		q = vm_image_load(b.p, b.n, err, sizeof(err));
		if (q) {
			vm_program_prepare(q, err, sizeof(err));
			vm_program_free(q);
		}
		b.p[i] = saved;
	}
	vm_buf_free(&b);
	vm_program_free(p);
}

static struct vm_program *prepared(const char *src)
{
	struct vm_program *p = vm_asm("t.rasm", src, strlen(src), quiet, NULL);
	char err[100];
	if (p && !vm_program_prepare(p, err, sizeof(err))) {
		vm_program_free(p);
		return NULL;
	}
	return p;
}

static void test_verifier_depths(void)
{
	struct vm_program *p = prepared("PUSH 1\nPUSH 2\nPUSH 3\nADD\nADD\nPRINT\n");
	TAP_CHECK(p && p->stack_bounded && p->max_stack == 3);
	for (uint32_t i = 0; p && i + 1 < p->ninsns; i++)
		TAP_CHECK(p->insns[i].hid != VM_H_CHECK);
	vm_program_free(p);
	/* A loop that pushes: depth unknown, checked at run time. */
	p = prepared(":t\nPUSH 1\nJMP :t\n");
	TAP_CHECK(p && !p->stack_bounded && p->insns[0].hid == VM_H_CHECK);
	vm_program_free(p);
	/* Constant counts make LIST static. */
	p = prepared("PUSH 1\nPUSH 2\nPUSH 2\nLIST\nPRINT\n");
	TAP_CHECK(p && p->stack_bounded);
	vm_program_free(p);
	/* Certain underflow: checked (faults when reached). */
	p = prepared("POP\n");
	TAP_CHECK(p && p->insns[0].hid == VM_H_CHECK);
	vm_program_free(p);
	/* Jumps into an operand word or past the end. */
	p = prepared("PUSH 1\nJMP 1\nJMP 99\nJMP 8\n");
	TAP_CHECK(p && p->insns[1].hid == VM_H_BADJUMP && p->insns[2].hid == VM_H_BADJUMP);
	TAP_CHECK(p && p->insns[3].arg == 4); /* word 8 = the end: HALT */
	vm_program_free(p);
}

/* An image with an unknown opcode or a truncated last instruction still
 * verifies: the bad instruction becomes a fault where it stands. */
static void test_bad_opcodes(void)
{
	static const uint32_t bad[] = { VM_OP_PUSH, 0, 99, VM_OP_PRINT };
	static const uint32_t cut[] = { VM_OP_PRINT, VM_OP_PUSH };
	const uint32_t *codes[] = { bad, cut };
	uint32_t lens[] = { 4, 2 };
	for (int t = 0; t < 2; t++) {
		struct vm_program *p = vm_program_new("img");
		p->consts = malloc(sizeof(vm_value));
		p->consts[0] = vm_int(7);
		p->nconst = 1;
		p->code = malloc(lens[t] * sizeof(uint32_t));
		memcpy(p->code, codes[t], lens[t] * sizeof(uint32_t));
		p->ncode = lens[t];
		char err[100];
		TAP_CHECK(vm_program_prepare(p, err, sizeof(err)));
		TAP_CHECK_EQ(p->insns[1].hid, VM_H_BADOP);
		TAP_CHECK_EQ(p->ninsns, 3); /* decoding stops there, + END */
		if (t == 0)
			TAP_CHECK(p->insns[1].k == 99 && p->insns[1].arg == 0);
		else
			TAP_CHECK_EQ(p->insns[1].arg, 1); /* truncated */
		vm_program_free(p);
	}
	/* Operands of the wrong kind are refused outright. */
	struct vm_program *p = vm_program_new("img");
	p->consts = malloc(sizeof(vm_value));
	p->consts[0] = vm_int(7);
	p->nconst = 1;
	p->code = malloc(2 * sizeof(uint32_t));
	p->code[0] = VM_OP_FETCH; /* a variable must be a string constant */
	p->code[1] = 0;
	p->ncode = 2;
	char err[100];
	TAP_CHECK(!vm_program_prepare(p, err, sizeof(err)));
	vm_program_free(p);
}

static void test_fusion(void)
{
	struct vm_program *p = prepared(
		":loop\nFETCH i\nPUSH 10\nLT\nJZ :end\nFETCH n\nFETCH i\nADD\nSTORE n\n"
		"FETCH i\nPUSH 1\nADD\nSTORE i\nJMP :loop\n:end\n");
	TAP_CHECK(p != NULL);
	if (!p)
		return;
	TAP_CHECK_EQ(p->insns[0].hid, VM_H_JGE_VK);
	TAP_CHECK_EQ(p->insns[4].hid, VM_H_ADD_VV);
	TAP_CHECK_EQ(p->insns[8].hid, VM_H_ADD_VK);
	TAP_CHECK_EQ(p->insns[12].hid, VM_H_JGE_VK); /* loop inversion */
	TAP_CHECK_EQ(p->insns[12].n, 4);
	vm_program_free(p);
	/* Fused where the depth is unknown (after APPEND), slow path via CHECK. */
	p = prepared("PUSH 0\nLIST\nSTORE l\nFETCH i\nAPPEND l\nPOP\n"
		     "FETCH l\nFETCH i\nINDEX\nFETCH s\nADD\nSTORE s\n");
	TAP_CHECK(p && p->insns[3].hid == VM_H_APPEND_V && p->insns[3].fb == VM_OP_FETCH);
	TAP_CHECK(p && p->insns[6].hid == VM_H_INDEX_VV && p->insns[6].fb == VM_H_CHECK);
	TAP_CHECK(p && p->insns[9].hid == VM_H_ADDTO_V && p->insns[9].fb == VM_H_CHECK);
	vm_program_free(p);
	/* A jump target inside a sequence prevents fusing across it. */
	p = prepared("FETCH a\n:mid\nFETCH b\nADD\nSTORE c\nJMP :mid\n");
	TAP_CHECK(p && p->insns[0].hid == VM_OP_FETCH);
	vm_program_free(p);
}

int main(void)
{
	static const struct tap_test tests[] = {
		TAP_ENTRY(test_ffs_debruijn),    TAP_ENTRY(test_slices_and_bonus),
		TAP_ENTRY(test_runqueue_random), TAP_ENTRY(test_runqueue_fifo),
		TAP_ENTRY(test_starvation_guard),
		TAP_ENTRY(test_float_repr),      TAP_ENTRY(test_image_roundtrip),
		TAP_ENTRY(test_verifier_depths), TAP_ENTRY(test_fusion),
		TAP_ENTRY(test_bad_opcodes),
	};
	return tap_run(tests, TAP_COUNT(tests), NULL);
}
