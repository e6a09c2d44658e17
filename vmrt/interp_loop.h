/*
 * The interpreter loop, included twice by interp.c: once as vm_interp_run
 * (threaded where the compiler allows), once as vm_interp_run_counting (a
 * switch that also counts instructions, for --stats). Parameters:
 *   VM_LOOP_NAME      the function's name
 *   VM_LOOP_THREADED  1: computed goto through ip->h; 0: switch on ip->hid
 *   VM_LOOP_COUNT     1: count executed instructions into p->stats.insns
 * Not a header of its own: no include guard on purpose.
 */
enum vm_exit VM_LOOP_NAME(struct vm_rt *rt, struct vm_proc *p)
{
#if VM_LOOP_THREADED
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
#define FALLBACK() goto *labels[ip->fb]
#define PLAIN_OP() goto *labels[ip->op]
#else
#define CASE(name) case VM_H_##name:
#define DISPATCH() goto dispatch
#if VM_LOOP_COUNT
/* The fused insn counted its whole sequence; the plain path counts again. */
#define FALLBACK() do { ninsn -= ip->span - 1u; hid = ip->fb; goto dispatch_hid; } while (0)
#else
#define FALLBACK() do { hid = ip->fb; goto dispatch_hid; } while (0)
#endif
#define PLAIN_OP() do { hid = ip->op; goto dispatch_hid; } while (0)
	unsigned hid;
#endif
#if VM_LOOP_COUNT
	uint64_t ninsn = 0;
#define COUNT_SAVE() do { p->stats.insns += ninsn; ninsn = 0; } while (0)
#else
#define COUNT_SAVE() do { } while (0)
#endif
#define NEXT() do { ip++; DISPATCH(); } while (0)
#define PUSHV(v) do { vm_value pv_ = (v); *++sp = tos; tos = pv_; } while (0)
#define DROP() do { tos = *sp--; } while (0)
#define SECOND (*sp)
#define SAVE() do { p->ip = ip; p->sp = sp; p->tos = tos; p->budget = budget; \
		    COUNT_SAVE(); } while (0)
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
#if !VM_LOOP_THREADED
dispatch:
	hid = ip->hid;
#if VM_LOOP_COUNT
	ninsn += ip->span;
#endif
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

	/* Fused: the common case inline, anything else through FALLBACK(). */
	CASE(MOV) env[ip->c] = env[ip->x]; ip += 2; DISPATCH();
	CASE(INDEX_VV) {
		const vm_value *a = &env[ip->x], *b = &env[ip->y];
		if (a->t != VT_LIST || b->t != VT_INT)
			FALLBACK();
		const struct vm_list *l = VM_LIST(*a);
		int64_t i = b->u.i < 0 ? b->u.i + l->n : b->u.i;
		/* Out of range: the fault comes from the plain INDEX. The push
		 * needs room (the depth may be unknown here). */
		if (i < 0 || i >= (int64_t)l->n || (uint32_t)(sp - stack) >= p->stack_cap)
			FALLBACK();
		PUSHV(l->v[i]);
		ip += 3;
		DISPATCH();
	}
	CASE(ADDTO_V) {
		const vm_value *a = &env[ip->x];
		int64_t r;
		if (sp == stack || tos.t != VT_INT || a->t != VT_INT ||
		    __builtin_add_overflow(tos.u.i, a->u.i, &r))
			FALLBACK();
		env[ip->c] = vm_int(r);
		DROP();
		ip += 3;
		DISPATCH();
	}
	CASE(APPEND_V) {
		vm_value l = env[ip->y];
		if (l.t != VT_LIST || VM_LIST(l)->n == VM_LIST(l)->cap)
			FALLBACK(); /* not a list, or it must grow (may collect) */
		VM_LIST(l)->v[VM_LIST(l)->n++] = env[ip->x];
		ip += 3;
		DISPATCH();
	}
	CASE(SETK) env[ip->c] = consts[ip->x]; ip += 2; DISPATCH();
#define FUSED_ARITH_VV(name, builtin)                                        \
	CASE(name) {                                                        \
		vm_value *a = &env[ip->x], *b = &env[ip->y];                   \
		int64_t r;                                                  \
		if (a->t != VT_INT || b->t != VT_INT ||                     \
		    builtin(a->u.i, b->u.i, &r))                            \
			FALLBACK();                                            \
		env[ip->c] = vm_int(r);                                     \
		ip += 4;                                                    \
		DISPATCH();                                                 \
	}
#define FUSED_ARITH_VK(name, builtin)                                        \
	CASE(name) {                                                        \
		vm_value *a = &env[ip->x];                                  \
		int64_t r;                                                  \
		if (a->t != VT_INT || builtin(a->u.i, ip->k, &r))           \
			FALLBACK();                                            \
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
			FALLBACK();                                            \
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
		int32_t after = (int32_t)depth - ip->pops + ip->pushes;
		uint32_t need = after > (int32_t)depth ? (uint32_t)after : depth;
		if (need > p->stack_cap) {
			if (need > VM_DEFAULT_STACK_LIMIT)
				FAULT("stack overflow (limit 4096 values)");
			uint32_t ncap = p->stack_cap * 2;
			if (ncap < need)
				ncap = need;
			if (ncap > VM_DEFAULT_STACK_LIMIT)
				ncap = VM_DEFAULT_STACK_LIMIT;
			vm_value *ns;
			if (p->stack_inline) { /* move out of the process block */
				ns = vm_plat_alloc((ncap + 2) * sizeof(vm_value));
				if (ns)
					memcpy(ns, stack, (depth + 1) * sizeof(vm_value));
			} else {
				ns = vm_plat_realloc(stack, (p->stack_cap + 2) * sizeof(vm_value),
						     (ncap + 2) * sizeof(vm_value));
			}
			if (!ns)
				FAULT("out of memory for the stack");
			p->stack_inline = false;
			sp = ns + (sp - stack);
			stack = p->stack = ns;
			p->stack_cap = ncap;
		}
		PLAIN_OP();
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
#if !VM_LOOP_THREADED
	}
	return VM_EXIT_FAULT;
#endif
}
#undef CASE
#undef DISPATCH
#undef FALLBACK
#undef PLAIN_OP
#undef NEXT
#undef PUSHV
#undef DROP
#undef SECOND
#undef SAVE
#undef LOAD
#undef FAULT
#undef EXIT
#undef CHARGE_AND_GO
#undef GO
#undef GC_POINT
#undef NOMEM
#undef COUNT_SAVE
#undef FUSED_ARITH_VV
#undef FUSED_ARITH_VK
#undef FUSED_JUMP
