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
	if (n < 0)
		n = 0;
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
		char tmp[VM_WHY_LEN];
		why_types(tmp, "'", op, a, b);
		/* "'<: 'str' and 'int'" -> "'<' not supported between 'str' and 'int'" */
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

enum vm_exit vm_interp_run(struct vm_rt *rt, struct vm_proc *p)
{
#if VM_THREADED
#define VM_LABEL_OP(name, kind, pops, pushes) &&L_##name,
#define VM_LABEL_H(name) &&L_##name,
	static const void *const labels[VM_H_COUNT] = {
		VM_OPCODES(VM_LABEL_OP) VM_FUSED(VM_LABEL_H)
	};
#undef VM_LABEL_OP
#undef VM_LABEL_H
	if (!p) {
		handler_table = labels;
		return VM_EXIT_HALT;
	}
#define CASE(name) L_##name:
#define DISPATCH() goto *ip->h
#define PLAIN() goto *labels[ip->op]
#else
#define CASE(name) case VM_H_##name:
#define DISPATCH() goto dispatch
#define PLAIN() do { hid = ip->op; goto dispatch_hid; } while (0)
	unsigned hid;
#endif
#define NEXT() do { ip++; DISPATCH(); } while (0)
#define PUSHV(v) do { vm_value pv_ = (v); *++sp = tos; tos = pv_; } while (0)
#define DROP() do { tos = *sp--; } while (0)
#define SECOND (*sp)
#define SAVE() do { p->ip = ip; p->sp = sp; p->tos = tos; p->budget = budget; } while (0)
#define LOAD() do { ip = p->ip; sp = p->sp; tos = p->tos; budget = p->budget; \
		    stack = p->stack; } while (0)
#define FAULT(reason) do { SAVE(); vm_fault(rt, p, (reason)); return VM_EXIT_FAULT; } while (0)
#define EXIT(why) do { SAVE(); return (why); } while (0)
/* Backward jump: one reduction; out of budget: stop after jumping. */
#define CHARGE_AND_GO(dest) do { ip = (dest); \
		if (--budget <= 0 || VM_TICK_EXPIRED()) EXIT(VM_EXIT_EXPIRED); \
		DISPATCH(); } while (0)
#define GO(dest, charge) do { if (charge) CHARGE_AND_GO(dest); ip = (dest); DISPATCH(); } while (0)
#define GC_POINT() do { if (p->heap.bytes >= p->heap.next_gc) { SAVE(); vm_proc_gc(p); } } while (0)
/* A slow call refused by the heap: collect and run the instruction again. */
#define NOMEM() do { if (!p->retried) { p->retried = true; SAVE(); vm_proc_gc(p); DISPATCH(); } \
		     p->retried = false; heap_why(why, p->heap.limit); FAULT(why); } while (0)

	struct vm_insn *const insns = p->prog->insns;
	const vm_value *const consts = p->prog->consts;
	vm_value *const env = p->env;
	struct vm_insn *ip;
	vm_value *sp, *stack, tos;
	int32_t budget;
	char why[VM_WHY_LEN];
	LOAD();
	DISPATCH();
#if !VM_THREADED
dispatch:
	hid = ip->hid;
dispatch_hid:
	switch (hid) {
#endif

	CASE(PUSH) PUSHV(consts[ip->arg]); NEXT();
	CASE(FETCH) PUSHV(env[ip->arg]); NEXT();
	CASE(STORE) env[ip->arg] = tos; DROP(); NEXT();
	CASE(POP) DROP(); NEXT();
	CASE(DUP) PUSHV(tos); NEXT();
	CASE(ADD) CASE(SUB) CASE(MUL) CASE(DIV) {
		vm_value a = SECOND, b = tos, r;
		if (a.t == VT_INT && b.t == VT_INT && ip->op == VM_OP_ADD &&
		    !__builtin_add_overflow(a.u.i, b.u.i, &r.u.i)) {
			r.t = VT_INT;
		} else {
			GC_POINT();
			SAVE();
			int s = arith_slow(p, ip->op, a, b, &r, why);
			if (s == SLOW_FAULT)
				FAULT(why);
			if (s == SLOW_NOMEM)
				NOMEM();
			p->retried = false;
		}
		sp--;
		tos = r;
		NEXT();
	}
	CASE(LT) CASE(GT) CASE(EQ) CASE(NOTEQ) {
		vm_value a = SECOND, b = tos, r;
		if (a.t == VT_INT && b.t == VT_INT) {
			int64_t x = a.u.i, y = b.u.i;
			r = vm_int(ip->op == VM_OP_LT ? x < y : ip->op == VM_OP_GT ? x > y :
				   ip->op == VM_OP_EQ ? x == y : x != y);
		} else if (compare_slow(ip->op, a, b, &r, why) != SLOW_OK) {
			FAULT(why);
		}
		sp--;
		tos = r;
		NEXT();
	}
	CASE(JZ) {
		bool z = !vm_truthy(tos);
		DROP();
		if (z)
			GO(insns + ip->arg, ip->pcharge);
		NEXT();
	}
	CASE(JNZ) {
		bool nz = vm_truthy(tos);
		DROP();
		if (nz)
			GO(insns + ip->arg, ip->pcharge);
		NEXT();
	}
	CASE(JMP) GO(insns + ip->arg, ip->pcharge);
	CASE(PRINT) {
		if (!print_value(tos))
			FAULT("value nested too deeply to print");
		DROP();
		NEXT();
	}
	CASE(INDEX) {
		vm_value r;
		if (SECOND.t == VT_LIST && tos.t == VT_INT) { /* the common case inline */
			struct vm_list *l = VM_LIST(SECOND);
			int64_t i = tos.u.i < 0 ? tos.u.i + l->n : tos.u.i;
			if (i >= 0 && i < (int64_t)l->n) {
				sp--;
				tos = l->v[i];
				NEXT();
			}
		}
		SAVE();
		int s = index_value(p, SECOND, tos, &r, why);
		if (s == SLOW_FAULT)
			FAULT(why);
		if (s == SLOW_NOMEM)
			NOMEM();
		p->retried = false;
		sp--;
		tos = r;
		NEXT();
	}
	CASE(LEN) {
		int64_t n;
		switch (tos.t) {
		case VT_STR: n = VM_STR(tos)->len; break;
		case VT_LIST: n = VM_LIST(tos)->n; break;
		case VT_DICT: n = VM_DICT(tos)->n; break;
		default: FAULT("LEN needs a str, list or dict");
		}
		tos = vm_int(n);
		NEXT();
	}
	CASE(LIST) CASE(DICT) {
		if (tos.t != VT_INT || tos.u.i < 0)
			FAULT("the count must be a non-negative integer");
		uint32_t depth = (uint32_t)(sp - stack);
		uint64_t per = ip->op == VM_OP_DICT ? 2 : 1;
		if ((uint64_t)tos.u.i * per > depth - 1)
			FAULT("stack underflow");
		uint32_t n = (uint32_t)tos.u.i;
		GC_POINT();
		SAVE();
		/* Elements are stack[depth - per*n + 1 .. depth] (below tos). */
		vm_value *first = sp - per * n + 1;
		vm_value r;
		if (ip->op == VM_OP_LIST) {
			struct vm_list *l = vm_list_new(&p->heap, n);
			if (!l)
				NOMEM();
			if (n)
				memcpy(l->v, first, n * sizeof(vm_value));
			l->n = n;
			r = vm_obj_value(&l->h);
		} else {
			for (uint32_t i = 0; i < n; i++)
				if (!vm_hashable(first[2 * i]))
					FAULT("unhashable type as dict key");
			struct vm_dict *d = vm_dict_new(&p->heap, n);
			if (!d)
				NOMEM();
			for (uint32_t i = 0; i < n; i++)
				if (!vm_dict_set(&p->heap, d, first[2 * i], first[2 * i + 1]))
					NOMEM();
			r = vm_obj_value(&d->h);
		}
		p->retried = false;
		sp = first - 1;
		tos = r;
		NEXT();
	}
	CASE(APPEND) {
		vm_value c = env[ip->arg];
		if (c.t == VT_LIST && VM_LIST(c)->n < VM_LIST(c)->cap) {
			VM_LIST(c)->v[VM_LIST(c)->n++] = tos; /* room: no allocation */
			tos = c;
			NEXT();
		}
		if (c.t == VT_LIST) {
			GC_POINT();
			if (!vm_list_push(&p->heap, VM_LIST(c), tos))
				NOMEM();
			p->retried = false;
			tos = c;
			NEXT();
		}
		if (c.t == VT_DICT) {
			if (sp - stack < 2)
				FAULT("stack underflow");
			if (!vm_hashable(tos))
				FAULT("unhashable type as dict key");
			GC_POINT();
			if (!vm_dict_set(&p->heap, VM_DICT(c), tos, SECOND))
				NOMEM();
			p->retried = false;
			sp--;
			tos = c;
			NEXT();
		}
		FAULT("APPEND needs a list or dict in the variable");
	}
	CASE(RETURN) ip++; EXIT(VM_EXIT_YIELD);
	CASE(HALT) CASE(END) EXIT(VM_EXIT_HALT);
	CASE(PID) PUSHV(vm_int(p->pid)); NEXT();

	/* IPC: each charges one reduction, see sched.h. */
	CASE(CREATE_PORT) {
		vm_value r;
		SAVE();
		if (vm_ipc_create_port(rt, p, &r, why) != VM_IPC_OK)
			FAULT(why);
		PUSHV(r);
		NEXT();
	}
	CASE(SEND) CASE(REPLY) {
		GC_POINT();
		SAVE();
		int s = ip->op == VM_OP_SEND ? vm_ipc_send(rt, p, sp[-1], SECOND, tos, why)
					     : vm_ipc_reply(rt, p, tos, why);
		if (s == VM_IPC_FAULT)
			FAULT(why);
		if (s == VM_IPC_NOMEM)
			NOMEM();
		if (s == VM_IPC_BLOCK)
			EXIT(VM_EXIT_BLOCKED); /* queue full: SEND again when woken */
		p->retried = false;
		if (ip->op == VM_OP_SEND) {
			tos = sp[-2];
			sp -= 3;
		} else {
			DROP();
		}
		ip++;
		budget--;
		if (rt->handoff || rt->svc_ready)
			EXIT(VM_EXIT_HANDOFF);
		if (budget <= 0 || VM_TICK_EXPIRED())
			EXIT(VM_EXIT_EXPIRED);
		DISPATCH();
	}
	CASE(RECV) CASE(CALL) {
		vm_value r;
		GC_POINT();
		SAVE();
		int s = ip->op == VM_OP_RECV ? vm_ipc_recv(rt, p, tos, &r, why)
					     : vm_ipc_call(rt, p, SECOND, tos, &r, why);
		if (s == VM_IPC_FAULT)
			FAULT(why);
		if (s == VM_IPC_NOMEM)
			NOMEM();
		if (s == VM_IPC_BLOCK)
			EXIT(VM_EXIT_BLOCKED); /* RECV again when woken */
		p->retried = false;
		if (ip->op == VM_OP_CALL)
			sp--;
		tos = r;
		ip++;
		budget--;
		if (rt->handoff || rt->svc_ready)
			EXIT(VM_EXIT_HANDOFF);
		if (budget <= 0 || VM_TICK_EXPIRED())
			EXIT(VM_EXIT_EXPIRED);
		DISPATCH();
	}
	CASE(REGISTER) {
		SAVE();
		if (vm_ipc_register(rt, p, SECOND, tos, why) != VM_IPC_OK)
			FAULT(why);
		tos = sp[-1];
		sp -= 2;
		NEXT();
	}
	CASE(LOOKUP) {
		vm_value r;
		SAVE();
		if (vm_ipc_lookup(rt, p, tos, &r, why) != VM_IPC_OK)
			FAULT(why);
		tos = r;
		NEXT();
	}

	/* Fused: the common case inline, anything else through PLAIN(). */
	CASE(MOV) env[ip->c] = env[ip->x]; ip += 2; DISPATCH();
	CASE(SETK) env[ip->c] = consts[ip->x]; ip += 2; DISPATCH();
#define FUSED_ARITH_VV(name, builtin)                                        \
	CASE(name) {                                                        \
		vm_value *a = &env[ip->x], *b = &env[ip->y];                   \
		int64_t r;                                                  \
		if (a->t != VT_INT || b->t != VT_INT ||                     \
		    builtin(a->u.i, b->u.i, &r))                            \
			PLAIN();                                            \
		env[ip->c] = vm_int(r);                                     \
		ip += 4;                                                    \
		DISPATCH();                                                 \
	}
#define FUSED_ARITH_VK(name, builtin)                                        \
	CASE(name) {                                                        \
		vm_value *a = &env[ip->x];                                  \
		int64_t r;                                                  \
		if (a->t != VT_INT || builtin(a->u.i, ip->k, &r))           \
			PLAIN();                                            \
		env[ip->c] = vm_int(r);                                     \
		ip += 4;                                                    \
		DISPATCH();                                                 \
	}
	FUSED_ARITH_VV(ADD_VV, __builtin_add_overflow)
	FUSED_ARITH_VV(SUB_VV, __builtin_sub_overflow)
	FUSED_ARITH_VV(MUL_VV, __builtin_mul_overflow)
	FUSED_ARITH_VK(ADD_VK, __builtin_add_overflow)
	FUSED_ARITH_VK(SUB_VK, __builtin_sub_overflow)
	FUSED_ARITH_VK(MUL_VK, __builtin_mul_overflow)
#define FUSED_JUMP(name, rel, rhs_check, rhs)                                \
	CASE(name) {                                                        \
		const vm_value *a = &env[ip->x];                            \
		if (a->t != VT_INT || rhs_check)                            \
			PLAIN();                                            \
		bool taken = a->u.i rel (rhs);                              \
		uint8_t charge = ip->fcharge;                               \
		struct vm_insn *dest = insns + (taken ? ip->t : ip->n);     \
		GO(dest, charge & (taken ? VM_CHARGE_TAKEN : VM_CHARGE_FALL)); \
	}
	FUSED_JUMP(JLT_VV, <, env[ip->y].t != VT_INT, env[ip->y].u.i)
	FUSED_JUMP(JGE_VV, >=, env[ip->y].t != VT_INT, env[ip->y].u.i)
	FUSED_JUMP(JGT_VV, >, env[ip->y].t != VT_INT, env[ip->y].u.i)
	FUSED_JUMP(JLE_VV, <=, env[ip->y].t != VT_INT, env[ip->y].u.i)
	FUSED_JUMP(JEQ_VV, ==, env[ip->y].t != VT_INT, env[ip->y].u.i)
	FUSED_JUMP(JNE_VV, !=, env[ip->y].t != VT_INT, env[ip->y].u.i)
	FUSED_JUMP(JLT_VK, <, false, ip->k)
	FUSED_JUMP(JGE_VK, >=, false, ip->k)
	FUSED_JUMP(JGT_VK, >, false, ip->k)
	FUSED_JUMP(JLE_VK, <=, false, ip->k)
	FUSED_JUMP(JEQ_VK, ==, false, ip->k)
	FUSED_JUMP(JNE_VK, !=, false, ip->k)

	CASE(CHECK) {
		uint32_t depth = (uint32_t)(sp - stack);
		if (ip->pops >= 0 && depth < (uint32_t)ip->pops)
			FAULT("stack underflow");
		uint32_t need = depth + (ip->pushes > 0 ? (uint32_t)ip->pushes : 0);
		if (need > p->stack_cap) {
			if (need > VM_DEFAULT_STACK_LIMIT)
				FAULT("stack overflow (limit 4096 values)");
			uint32_t ncap = p->stack_cap * 2;
			if (ncap < need)
				ncap = need;
			if (ncap > VM_DEFAULT_STACK_LIMIT)
				ncap = VM_DEFAULT_STACK_LIMIT;
			vm_value *ns = vm_plat_realloc(stack, (p->stack_cap + 2) * sizeof(vm_value),
						       (ncap + 2) * sizeof(vm_value));
			if (!ns)
				FAULT("out of memory for the stack");
			sp = ns + (sp - stack);
			stack = p->stack = ns;
			p->stack_cap = ncap;
		}
		PLAIN();
	}
	CASE(BADOP) {
		if (ip->arg)
			FAULT("truncated instruction at the end of the code");
		struct vm_buf bf = { 0 };
		vm_buf_puts(&bf, "bad opcode ");
		vm_buf_int(&bf, ip->k);
		vm_buf_put(&bf, "", 1);
		why_set(why, bf.oom ? "bad opcode" : bf.p);
		vm_buf_free(&bf);
		FAULT(why);
	}
	CASE(BADJUMP) {
		bool taken = true;
		if (ip->op != VM_OP_JMP) {
			if (sp == stack)
				FAULT("stack underflow");
			taken = vm_truthy(tos) == (ip->op == VM_OP_JNZ);
			DROP();
		}
		if (!taken)
			NEXT();
		struct vm_buf bf = { 0 };
		vm_buf_puts(&bf, "bad jump target ");
		vm_buf_int(&bf, ip->arg);
		vm_buf_puts(&bf, " (not the start of an instruction)");
		vm_buf_put(&bf, "", 1);
		why_set(why, bf.oom ? "bad jump target" : bf.p);
		vm_buf_free(&bf);
		FAULT(why);
	}
#if !VM_THREADED
	}
	return VM_EXIT_FAULT;
#endif
}
