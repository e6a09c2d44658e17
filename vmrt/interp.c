/*
 * The interpreter: direct-threaded with GCC/Clang (computed goto: each handler
 * jumps straight to the next instruction's handler), a switch otherwise.
 * The top of stack lives in a local (`tos`, in registers), the rest in
 * memory:  depth = sp - stack;  elements e1..ed are stack[2..d] and tos;
 * stack[1] holds whatever tos was when the stack was empty (a push always
 * spills tos), stack[0] is never used. Integer arithmetic allocates nothing.
 *
 * Slow cases (strings, lists, IPC, faults) are functions called with the
 * state saved in the process (SAVE/LOAD), so they may collect the heap.
 * Allocating instructions peek at their operands, allocate, then pop: if the
 * heap limit refuses, the heap is collected and the instruction runs once
 * more; a second refusal is the "heap limit exceeded" fault.
 */
#include "interp.h"

#include <string.h>

#include "ipc.h"
#include "platform.h"
#include "repr.h"
#include "vm.h"

#if defined(__GNUC__) && !defined(VM_SWITCH_DISPATCH)
#define VM_THREADED 1
#else
#define VM_THREADED 0
#endif

const char *vm_handler_name(unsigned hid)
{
	static const char *const names[] = {
#define VM_OP_NAME(name, kind, pops, pushes) #name,
		VM_OPCODES(VM_OP_NAME)
#undef VM_OP_NAME
#define VM_H_NAME(name) #name,
		VM_FUSED(VM_H_NAME)
#undef VM_H_NAME
	};
	return hid < VM_H_COUNT ? names[hid] : "?";
}

const struct vm_opinfo vm_opinfo[VM_OP_COUNT] = {
#define VM_OP_INFO(name, kind, pops, pushes) { #name, kind, pops, pushes },
	VM_OPCODES(VM_OP_INFO)
#undef VM_OP_INFO
};

static bool int_floordiv(int64_t a, int64_t b, int64_t *q)
{
	if (b == -1 && a == INT64_MIN)
		return false;
	int64_t d = a / b;
	if ((a % b != 0) && ((a < 0) != (b < 0)))
		d--;
	*q = d;
	return true;
}

static double floor_d(double x)
{
	/* floor() without libm: exact for |x| < 2^63, x itself beyond. */
	if (!(x > -9.2e18 && x < 9.2e18))
		return x;
	double t = (double)(int64_t)x;
	return t > x ? t - 1 : t;
}

enum { SLOW_OK, SLOW_FAULT, SLOW_NOMEM };

static const char *op_symbol(int op)
{
	switch (op) {
	case VM_OP_ADD: return "+";
	case VM_OP_SUB: return "-";
	case VM_OP_MUL: return "*";
	case VM_OP_DIV: return "//";
	case VM_OP_LT: return "<";
	default: return ">";
	}
}

static void why_types(char *why, const char *what, int op, vm_value a, vm_value b)
{
	struct vm_buf bf = { 0 };
	vm_buf_puts(&bf, what);
	vm_buf_puts(&bf, op_symbol(op));
	vm_buf_puts(&bf, ": '");
	vm_buf_puts(&bf, vm_type_name(a));
	vm_buf_puts(&bf, "' and '");
	vm_buf_puts(&bf, vm_type_name(b));
	vm_buf_put(&bf, "'", 2);
	if (!bf.oom) {
		size_t n = bf.n < VM_WHY_LEN ? bf.n : VM_WHY_LEN - 1;
		memcpy(why, bf.p, n);
		why[n] = 0;
	} else {
		strcpy(why, "type error");
	}
	vm_buf_free(&bf);
}

static void why_set(char *why, const char *s)
{
	size_t n = strlen(s);
	if (n >= VM_WHY_LEN)
		n = VM_WHY_LEN - 1;
	memcpy(why, s, n);
	why[n] = 0;
}

/* Repeats n copies of a string or list; n <= 0 gives an empty one. */
static int repeat(struct vm_proc *p, vm_value seq, int64_t n, vm_value *out)
{
	uint32_t len = seq.t == VT_STR ? VM_STR(seq)->len : VM_LIST(seq)->n;
	if (n < 0 || len == 0)
		n = 0; /* '' * 2**62 is '' at once, not 2**62 empty copies */
	if (seq.t == VT_STR) {
		struct vm_str *s = VM_STR(seq);
		if (n && s->len > p->heap.limit / (uint64_t)n)
			return SLOW_NOMEM;
		struct vm_str *r = vm_str_new(&p->heap, NULL, (size_t)n * s->len);
		if (!r)
			return SLOW_NOMEM;
		for (int64_t i = 0; i < n; i++)
			memcpy(r->s + i * s->len, s->s, s->len);
		*out = vm_obj_value(&r->h);
		return SLOW_OK;
	}
	struct vm_list *l = VM_LIST(seq);
	if (n && l->n > p->heap.limit / sizeof(vm_value) / (uint64_t)n)
		return SLOW_NOMEM;
	struct vm_list *r = vm_list_new(&p->heap, (uint32_t)(n * l->n));
	if (!r)
		return SLOW_NOMEM;
	for (int64_t i = 0; i < n; i++)
		for (uint32_t j = 0; j < l->n; j++)
			r->v[r->n++] = l->v[j];
	*out = vm_obj_value(&r->h);
	return SLOW_OK;
}

/* ADD SUB MUL DIV on anything but two ints that fit. */
static int arith_slow(struct vm_proc *p, int op, vm_value a, vm_value b,
		      vm_value *out, char *why)
{
	if (a.t == VT_INT && b.t == VT_INT) {
		int64_t r;
		bool ovf;
		switch (op) {
		case VM_OP_ADD: ovf = __builtin_add_overflow(a.u.i, b.u.i, &r); break;
		case VM_OP_SUB: ovf = __builtin_sub_overflow(a.u.i, b.u.i, &r); break;
		case VM_OP_MUL: ovf = __builtin_mul_overflow(a.u.i, b.u.i, &r); break;
		default:
			if (b.u.i == 0) {
				why_set(why, "division by zero");
				return SLOW_FAULT;
			}
			ovf = !int_floordiv(a.u.i, b.u.i, &r);
		}
		if (ovf) {
			why_set(why, "integer overflow (integers are 64-bit)");
			return SLOW_FAULT;
		}
		*out = vm_int(r);
		return SLOW_OK;
	}
	bool an = a.t == VT_INT || a.t == VT_FLOAT;
	bool bn = b.t == VT_INT || b.t == VT_FLOAT;
	if (an && bn) {
		double x = a.t == VT_INT ? (double)a.u.i : a.u.f;
		double y = b.t == VT_INT ? (double)b.u.i : b.u.f;
		double r;
		switch (op) {
		case VM_OP_ADD: r = x + y; break;
		case VM_OP_SUB: r = x - y; break;
		case VM_OP_MUL: r = x * y; break;
		default:
			if (y == 0) {
				why_set(why, "division by zero");
				return SLOW_FAULT;
			}
			r = floor_d(x / y);
		}
		*out = vm_float(r);
		return SLOW_OK;
	}
	if (op == VM_OP_ADD && a.t == b.t && a.t == VT_STR) {
		struct vm_str *x = VM_STR(a), *y = VM_STR(b);
		struct vm_str *r = vm_str_new(&p->heap, NULL, (size_t)x->len + y->len);
		if (!r)
			return SLOW_NOMEM;
		memcpy(r->s, x->s, x->len);
		memcpy(r->s + x->len, y->s, y->len); /* s[] is never NULL */
		*out = vm_obj_value(&r->h);
		return SLOW_OK;
	}
	if (op == VM_OP_ADD && a.t == b.t && a.t == VT_LIST) {
		struct vm_list *x = VM_LIST(a), *y = VM_LIST(b);
		struct vm_list *r = vm_list_new(&p->heap, x->n + y->n);
		if (!r)
			return SLOW_NOMEM;
		if (x->n)
			memcpy(r->v, x->v, x->n * sizeof(vm_value));
		if (y->n)
			memcpy(r->v + x->n, y->v, y->n * sizeof(vm_value));
		r->n = x->n + y->n;
		*out = vm_obj_value(&r->h);
		return SLOW_OK;
	}
	if (op == VM_OP_MUL && (a.t == VT_STR || a.t == VT_LIST) && b.t == VT_INT)
		return repeat(p, a, b.u.i, out);
	if (op == VM_OP_MUL && (b.t == VT_STR || b.t == VT_LIST) && a.t == VT_INT)
		return repeat(p, b, a.u.i, out);
	why_types(why, "unsupported operand types for ", op, a, b);
	return SLOW_FAULT;
}

static int compare_slow(int op, vm_value a, vm_value b, vm_value *out, char *why)
{
	if (op == VM_OP_EQ || op == VM_OP_NOTEQ) {
		int e = vm_equal(a, b);
		if (e < 0) {
			why_set(why, "values nested too deeply to compare");
			return SLOW_FAULT;
		}
		*out = vm_int(op == VM_OP_EQ ? e : !e);
		return SLOW_OK;
	}
	int c;
	int r = vm_compare(a, b, &c);
	if (r == -2) {
		why_set(why, "values nested too deeply to compare");
		return SLOW_FAULT;
	}
	if (r < 0) {
		struct vm_buf bf = { 0 };
		vm_buf_puts(&bf, "'");
		vm_buf_puts(&bf, op_symbol(op));
		vm_buf_puts(&bf, "' not supported between '");
		vm_buf_puts(&bf, vm_type_name(a));
		vm_buf_puts(&bf, "' and '");
		vm_buf_puts(&bf, vm_type_name(b));
		vm_buf_put(&bf, "'", 2);
		why_set(why, bf.oom ? "type error" : bf.p);
		vm_buf_free(&bf);
		return SLOW_FAULT;
	}
	*out = vm_int(op == VM_OP_LT ? c == -1 : c == 1);
	return SLOW_OK;
}

static int index_value(struct vm_proc *p, vm_value obj, vm_value idx,
		       vm_value *out, char *why)
{
	if (obj.t == VT_DICT) {
		if (!vm_hashable(idx)) {
			struct vm_buf bf = { 0 };
			vm_buf_puts(&bf, "unhashable type: '");
			vm_buf_puts(&bf, vm_type_name(idx));
			vm_buf_put(&bf, "'", 2);
			why_set(why, bf.oom ? "unhashable key" : bf.p);
			vm_buf_free(&bf);
			return SLOW_FAULT;
		}
		int64_t i = vm_dict_find(VM_DICT(obj), idx);
		if (i < 0) {
			struct vm_buf bf = { 0 };
			vm_buf_puts(&bf, "key not found: ");
			vm_format_repr(&bf, idx);
			vm_buf_put(&bf, "", 1);
			why_set(why, bf.oom ? "key not found" : bf.p);
			vm_buf_free(&bf);
			return SLOW_FAULT;
		}
		*out = VM_DICT(obj)->kv[2 * i + 1];
		return SLOW_OK;
	}
	if (obj.t != VT_LIST && obj.t != VT_STR) {
		struct vm_buf bf = { 0 };
		vm_buf_puts(&bf, "'");
		vm_buf_puts(&bf, vm_type_name(obj));
		vm_buf_puts(&bf, "' object is not indexable");
		vm_buf_put(&bf, "", 1);
		why_set(why, bf.oom ? "not indexable" : bf.p);
		vm_buf_free(&bf);
		return SLOW_FAULT;
	}
	if (idx.t != VT_INT) {
		struct vm_buf bf = { 0 };
		vm_buf_puts(&bf, obj.t == VT_LIST ? "list" : "string");
		vm_buf_puts(&bf, " indices must be integers, not '");
		vm_buf_puts(&bf, vm_type_name(idx));
		vm_buf_put(&bf, "'", 2);
		why_set(why, bf.oom ? "bad index" : bf.p);
		vm_buf_free(&bf);
		return SLOW_FAULT;
	}
	int64_t n = obj.t == VT_LIST ? VM_LIST(obj)->n : VM_STR(obj)->len;
	int64_t i = idx.u.i < 0 ? idx.u.i + n : idx.u.i;
	if (i < 0 || i >= n) {
		why_set(why, obj.t == VT_LIST ? "list index out of range"
					      : "string index out of range");
		return SLOW_FAULT;
	}
	if (obj.t == VT_LIST) {
		*out = VM_LIST(obj)->v[i];
		return SLOW_OK;
	}
	struct vm_str *s = vm_str_new(&p->heap, VM_STR(obj)->s + i, 1);
	if (!s)
		return SLOW_NOMEM;
	*out = vm_obj_value(&s->h);
	return SLOW_OK;
}

static void heap_why(char *why, size_t limit)
{
	struct vm_buf bf = { 0 };
	vm_buf_puts(&bf, "heap limit exceeded (");
	vm_buf_int(&bf, (int64_t)limit);
	vm_buf_puts(&bf, " bytes)");
	vm_buf_put(&bf, "", 1);
	why_set(why, bf.oom ? "heap limit exceeded" : bf.p);
	vm_buf_free(&bf);
}

static bool print_value(vm_value v)
{
	struct vm_buf b = { 0 };
	bool ok = vm_format_print(&b, v);
	vm_buf_put(&b, "\n", 1);
	if (ok && !b.oom)
		vm_plat_write(b.p, b.n);
	vm_buf_free(&b);
	return ok && !b.oom;
}

#if VM_THREADED
static const void *const *handler_table;
#endif

const void *const *vm_interp_handlers(void)
{
#if VM_THREADED
	if (!handler_table)
		vm_interp_run(NULL, NULL);
	return handler_table;
#else
	static const void *const none[VM_H_COUNT];
	return none;
#endif
}

#define VM_LOOP_NAME vm_interp_run
#define VM_LOOP_THREADED VM_THREADED
#define VM_LOOP_COUNT 0
#include "interp_loop.h"
#undef VM_LOOP_NAME
#undef VM_LOOP_THREADED
#undef VM_LOOP_COUNT

/* Boards build without the counting twin (VM_NO_COUNTING): 6.5 KB of flash. */
#ifndef VM_NO_COUNTING
#define VM_LOOP_NAME vm_interp_run_counting
#define VM_LOOP_THREADED 0
#define VM_LOOP_COUNT 1
#include "interp_loop.h"
#endif
