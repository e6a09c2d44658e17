/*
 * The assembler, see asm.h. Three passes over the source lines:
 *   1. tokenize and classify every line once (errors in macro bodies are
 *      reported once, whether the macro is used zero or ten times);
 *   2. find the .func/.end structure and the macro table;
 *   3. expand the main code (splicing macros, catching recursion), lay out
 *      words, then resolve labels and build the constant table.
 */
#include "asm.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform.h"

struct tok {
	const char *s;
	uint32_t len;
	uint32_t col; /* 1-based */
};

enum line_kind { L_EMPTY, L_LABEL, L_INSN, L_CALL, L_FUNC, L_END, L_BAD };

struct pline {
	uint8_t kind;
	uint8_t op;           /* L_INSN */
	uint8_t has_operand;  /* L_INSN */
	uint8_t reported;     /* an expansion error was already reported here */
	struct tok first;     /* mnemonic, label, macro or directive */
	struct tok arg;       /* operand, or the .func name */
	int macro;            /* L_CALL: index into macros, -1 if undefined */
};

struct macro {
	struct tok name;
	uint32_t def_line;      /* index of the .func line */
	uint32_t body, end;     /* body lines [body, end) */
	bool active;            /* being expanded: a call now is recursion */
};

/* Open-addressing map from a byte string to an index. */
struct map {
	struct map_ent {
		const char *key;
		uint32_t len;
		uint32_t val;
	} *e;
	uint32_t cap, n;
};

struct emitted {
	uint32_t line; /* index into lines */
	uint32_t word;
};

struct diag {
	uint32_t line, col, seq;
	char *msg;
};

struct asm_state {
	const char *file;
	vm_diag_fn *diag;
	void *ctx;
	unsigned nerrors;
	struct diag diags[VM_ASM_MAX_ERRORS];
	unsigned ndiag_sorted;
	bool oom;
	bool stopped; /* hit VM_ASM_MAX_ERRORS or out of memory */

	struct pline *lines;
	uint32_t nlines;
	struct macro *macros;
	uint32_t nmacros;
	struct map macro_map, label_map, const_map;

	struct emitted *code;
	uint32_t ncode, capcode;
	uint32_t words;
	bool too_big;

	vm_value *consts;
	uint32_t nconst, capconst;
	/* Decoded string bytes of each string constant, the map's keys. */
	char **const_keys;
};

static void error_at(struct asm_state *a, uint32_t line, uint32_t col,
		     const char *fmt, ...)
{
	if (a->stopped)
		return;
	char msg[512];
	int n = snprintf(msg, sizeof(msg), "%s:%u:%u: ", a->file, line + 1, col);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	va_end(ap);
	/* Kept until the end, then reported in source order. */
	struct diag *d = &a->diags[a->nerrors];
	d->line = line;
	d->col = col;
	d->seq = a->nerrors;
	d->msg = strdup(msg);
	if (++a->nerrors >= VM_ASM_MAX_ERRORS)
		a->stopped = true;
}

static int diag_order(const void *x, const void *y)
{
	const struct diag *a = x, *b = y;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static void report(struct asm_state *a)
{
	qsort(a->diags, a->ndiag_sorted = a->nerrors < VM_ASM_MAX_ERRORS
						  ? a->nerrors : VM_ASM_MAX_ERRORS,
	      sizeof(*a->diags), diag_order);
	for (unsigned i = 0; i < a->ndiag_sorted; i++) {
		a->diag(a->ctx, a->diags[i].msg ? a->diags[i].msg : "(out of memory)");
		free(a->diags[i].msg);
	}
	if (a->nerrors >= VM_ASM_MAX_ERRORS) {
		char msg[300];
		snprintf(msg, sizeof(msg), "%s: too many errors, giving up", a->file);
		a->diag(a->ctx, msg);
	}
}

static void out_of_memory(struct asm_state *a)
{
	a->oom = true;
	a->stopped = true;
}

/* A token for messages: at most 40 bytes, non-printables as '?'. */
static const char *show(const struct tok *t, char buf[48])
{
	uint32_t n = t->len < 40 ? t->len : 40;
	for (uint32_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)t->s[i];
		buf[i] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	if (t->len > 40) {
		memcpy(buf + n, "...", 3);
		n += 3;
	}
	buf[n] = 0;
	return buf;
}

static uint32_t hash_bytes(const char *s, uint32_t n)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (uint32_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

/* Returns the slot for key: either holding it or empty (key == NULL). */
static struct map_ent *map_slot(struct map *m, const char *key, uint32_t len)
{
	uint32_t i = hash_bytes(key, len) & (m->cap - 1);
	for (;; i = (i + 1) & (m->cap - 1)) {
		struct map_ent *e = &m->e[i];
		if (!e->key || (e->len == len && memcmp(e->key, key, len) == 0))
			return e;
	}
}

static bool map_get(struct map *m, const char *key, uint32_t len, uint32_t *val)
{
	if (!m->cap)
		return false;
	struct map_ent *e = map_slot(m, key, len);
	if (!e->key)
		return false;
	*val = e->val;
	return true;
}

static bool map_put(struct map *m, const char *key, uint32_t len, uint32_t val)
{
	if ((m->n + 1) * 2 > m->cap) {
		uint32_t ncap = m->cap ? m->cap * 2 : 64;
		struct map old = *m;
		m->e = calloc(ncap, sizeof(*m->e));
		if (!m->e) {
			*m = old;
			return false;
		}
		m->cap = ncap;
		for (uint32_t i = 0; i < old.cap; i++)
			if (old.e[i].key)
				*map_slot(m, old.e[i].key, old.e[i].len) = old.e[i];
		free(old.e);
	}
	struct map_ent *e = map_slot(m, key, len);
	if (!e->key)
		m->n++;
	e->key = key;
	e->len = len;
	e->val = val;
	return true;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Splits one line into tokens until '#'; returns how many (at most max, the
 * rest counted but not stored). */
static unsigned tokenize(const char *s, size_t len, struct tok *t, unsigned max)
{
	unsigned n = 0;
	size_t i = 0;
	while (i < len) {
		while (i < len && is_space(s[i]))
			i++;
		if (i == len || s[i] == '#')
			break;
		size_t start = i;
		while (i < len && !is_space(s[i]) && s[i] != '#')
			i++;
		if (n < max) {
			t[n].s = s + start;
			t[n].len = (uint32_t)(i - start);
			t[n].col = (uint32_t)(start + 1);
		}
		n++;
	}
	return n;
}

static bool tok_ieq(const struct tok *t, const char *word)
{
	size_t n = strlen(word);
	if (t->len != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (toupper((unsigned char)t->s[i]) != word[i])
			return false;
	return true;
}

static int lookup_op(const struct tok *t)
{
	for (int op = 0; op < VM_OP_COUNT; op++)
		if (tok_ieq(t, vm_opinfo[op].name))
			return op;
	return -1;
}

/* Pass 1: one line. */
static void parse_line(struct asm_state *a, uint32_t ln, const char *s,
		       size_t len)
{
	struct pline *pl = &a->lines[ln];
	struct tok t[3];
	char b1[48], b2[48];
	unsigned n = tokenize(s, len, t, 3);
	memset(pl, 0, sizeof(*pl));
	pl->macro = -1;
	if (n == 0)
		return;
	pl->first = t[0];
	pl->kind = L_BAD;
	if (t[0].s[0] == '.') {
		if (tok_ieq(&t[0], ".FUNC")) {
			if (n < 2)
				error_at(a, ln, t[0].col, "missing macro name after .func");
			else if (n > 2)
				error_at(a, ln, t[2].col, "unexpected '%s' after .func %s",
					 show(&t[2], b1), show(&t[1], b2));
			else if (lookup_op(&t[1]) >= 0)
				error_at(a, ln, t[1].col,
					 "macro name '%s' is an instruction",
					 show(&t[1], b1));
			else if (t[1].s[0] == ':' || t[1].s[0] == '.')
				error_at(a, ln, t[1].col, "bad macro name '%s'",
					 show(&t[1], b1));
			pl->kind = L_FUNC;
			if (n >= 2) {
				pl->arg = t[1];
			} else {
				pl->arg = t[0];
				pl->arg.len = 0;
			}
		} else if (tok_ieq(&t[0], ".END")) {
			if (n > 1)
				error_at(a, ln, t[1].col, "unexpected '%s' after .end",
					 show(&t[1], b1));
			pl->kind = L_END;
		} else {
			error_at(a, ln, t[0].col, "unknown directive '%s'",
				 show(&t[0], b1));
		}
		return;
	}
	if (t[0].s[0] == ':') {
		if (t[0].len == 1)
			error_at(a, ln, t[0].col, "missing label name after ':'");
		else if (n > 1)
			error_at(a, ln, t[1].col,
				 "unexpected '%s': a label must be on its own line",
				 show(&t[1], b1));
		else
			pl->kind = L_LABEL;
		return;
	}
	int op = lookup_op(&t[0]);
	if (op < 0) {
		/* A macro call, resolved once every macro is known. */
		pl->kind = L_CALL;
		if (n > 1)
			pl->arg = t[1]; /* macros take no operand: reported then */
		return;
	}
	pl->op = (uint8_t)op;
	bool wants = vm_opinfo[op].operand != VM_OPERAND_NONE;
	if (wants && n < 2) {
		error_at(a, ln, t[0].col, "missing operand for %s", vm_opinfo[op].name);
	} else if (!wants && n > 1) {
		error_at(a, ln, t[1].col, "%s takes no operand, got '%s'",
			 vm_opinfo[op].name, show(&t[1], b1));
	} else if (n > 2) {
		error_at(a, ln, t[2].col, "unexpected '%s' after the operand of %s",
			 show(&t[2], b1), vm_opinfo[op].name);
	} else {
		pl->kind = L_INSN;
		pl->has_operand = wants;
		if (wants)
			pl->arg = t[1];
	}
}

/* Pass 2: .func/.end structure. */
static void find_macros(struct asm_state *a)
{
	int open = -1; /* line index of the open .func */
	char b[48];
	for (uint32_t i = 0; i < a->nlines; i++) {
		struct pline *pl = &a->lines[i];
		if (pl->kind == L_FUNC) {
			if (open >= 0) {
				error_at(a, i, pl->first.col,
					 "nested .func (the .func at line %d has no .end)",
					 open + 1);
				continue;
			}
			open = (int)i;
		} else if (pl->kind == L_END) {
			if (open < 0) {
				error_at(a, i, pl->first.col, ".end without .func");
				continue;
			}
			struct pline *def = &a->lines[open];
			uint32_t prev;
			if (def->arg.len == 0) {
				/* missing name, already reported */
			} else if (map_get(&a->macro_map, def->arg.s, def->arg.len, &prev)) {
				error_at(a, (uint32_t)open, def->arg.col,
					 "macro '%s' already defined at line %u",
					 show(&def->arg, b), a->macros[prev].def_line + 1);
			} else {
				struct macro *m = &a->macros[a->nmacros];
				m->name = def->arg;
				m->def_line = (uint32_t)open;
				m->body = (uint32_t)open + 1;
				m->end = i;
				m->active = false;
				if (!map_put(&a->macro_map, m->name.s, m->name.len,
					     a->nmacros))
					out_of_memory(a);
				a->nmacros++;
			}
			open = -1;
		}
	}
	if (open >= 0)
		error_at(a, (uint32_t)open, a->lines[open].first.col,
			 "'.func %s' without '.end'", show(&a->lines[open].arg, b));
	/* Resolve macro calls everywhere (also in bodies of unused macros). */
	for (uint32_t i = 0; i < a->nlines; i++) {
		struct pline *pl = &a->lines[i];
		uint32_t m;
		if (pl->kind != L_CALL)
			continue;
		if (!map_get(&a->macro_map, pl->first.s, pl->first.len, &m)) {
			error_at(a, i, pl->first.col, "%s '%s'",
				 pl->arg.len ? "unknown instruction"
					     : "unknown instruction or macro",
				 show(&pl->first, b));
		} else if (pl->arg.len) {
			error_at(a, i, pl->arg.col, "macro '%s' takes no operand",
				 show(&pl->first, b));
		} else {
			pl->macro = (int)m;
		}
	}
}

static void emit(struct asm_state *a, uint32_t ln)
{
	if (a->ncode >= VM_ASM_MAX_INSNS) {
		if (!a->too_big)
			error_at(a, ln, 1,
				 "program too large: more than %u instructions after macro expansion",
				 VM_ASM_MAX_INSNS);
		a->too_big = true;
		return;
	}
	if (a->ncode == a->capcode) {
		uint32_t ncap = a->capcode ? a->capcode * 2 : 256;
		struct emitted *p = realloc(a->code, ncap * sizeof(*p));
		if (!p) {
			out_of_memory(a);
			return;
		}
		a->code = p;
		a->capcode = ncap;
	}
	a->code[a->ncode].line = ln;
	a->code[a->ncode].word = a->words;
	a->ncode++;
	a->words += a->lines[ln].kind == L_INSN && a->lines[ln].has_operand ? 2 : 1;
}

/* Pass 3a: expand lines [from, to) into a->code, labels into label_map. */
static void expand(struct asm_state *a, uint32_t from, uint32_t to, bool top)
{
	char b[48];
	for (uint32_t i = from; i < to && !a->stopped && !a->too_big; i++) {
		struct pline *pl = &a->lines[i];
		if (top && pl->kind == L_FUNC) {
			/* Skip the definition; an unterminated one runs to EOF. */
			uint32_t j = i + 1;
			while (j < to && a->lines[j].kind != L_END &&
			       a->lines[j].kind != L_FUNC)
				j++;
			if (j < to && a->lines[j].kind == L_FUNC)
				j--; /* nested .func, reported: resume there */
			i = j;
			continue;
		}
		switch (pl->kind) {
		case L_INSN:
			emit(a, i);
			break;
		case L_LABEL: {
			uint32_t prev;
			const char *name = pl->first.s + 1;
			uint32_t len = pl->first.len - 1;
			if (map_get(&a->label_map, name, len, &prev)) {
				if (!pl->reported)
					error_at(a, i, pl->first.col,
						 "duplicate label '%s'",
						 show(&pl->first, b));
				pl->reported = 1;
			} else if (!map_put(&a->label_map, name, len, a->words)) {
				out_of_memory(a);
			}
			break;
		}
		case L_CALL: {
			if (pl->macro < 0)
				break;
			struct macro *m = &a->macros[pl->macro];
			if (m->active) {
				if (!pl->reported)
					error_at(a, i, pl->first.col,
						 "recursive macro '%s'",
						 show(&pl->first, b));
				pl->reported = 1;
				break;
			}
			m->active = true;
			expand(a, m->body, m->end, false);
			m->active = false;
			break;
		}
		default:
			break;
		}
	}
}

/* Adds a constant (deduplicated); its index, or UINT32_MAX. */
static uint32_t add_const(struct asm_state *a, vm_value v, const char *bytes,
			  uint32_t len)
{
	/* Key: type byte + payload bytes, so 1, 1.0 and "1" stay distinct. */
	char *key = malloc((size_t)len + 1);
	if (!key) {
		out_of_memory(a);
		return UINT32_MAX;
	}
	key[0] = (char)('0' + v.t);
	memcpy(key + 1, bytes, len);
	uint32_t idx;
	if (map_get(&a->const_map, key, len + 1, &idx)) {
		free(key);
		return idx;
	}
	if (a->nconst == a->capconst) {
		uint32_t ncap = a->capconst ? a->capconst * 2 : 64;
		vm_value *c = realloc(a->consts, ncap * sizeof(*c));
		char **k = realloc(a->const_keys, ncap * sizeof(*k));
		if (c)
			a->consts = c;
		if (k)
			a->const_keys = k;
		if (!c || !k) {
			free(key);
			out_of_memory(a);
			return UINT32_MAX;
		}
		a->capconst = ncap;
	}
	if (v.t == VT_STR) {
		struct vm_str *s = vm_str_static(bytes, len);
		if (!s) {
			free(key);
			out_of_memory(a);
			return UINT32_MAX;
		}
		v = vm_obj_value(&s->h);
	}
	if (!map_put(&a->const_map, key, len + 1, a->nconst)) {
		if (v.t == VT_STR)
			vm_str_static_free(VM_STR(v));
		free(key);
		out_of_memory(a);
		return UINT32_MAX;
	}
	a->const_keys[a->nconst] = key;
	a->consts[a->nconst] = v;
	return a->nconst++;
}

static bool all_digits(const char *s, uint32_t n)
{
	if (n == 0)
		return false;
	for (uint32_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* -?digits -> int; false with *overflow when it does not fit. */
static bool parse_int(const struct tok *t, int64_t *out, bool *overflow)
{
	const char *s = t->s;
	uint32_t n = t->len;
	bool neg = n && s[0] == '-';
	if (neg) {
		s++;
		n--;
	}
	*overflow = false;
	if (!all_digits(s, n))
		return false;
	uint64_t v = 0, lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (uint32_t i = 0; i < n; i++) {
		unsigned d = (unsigned)(s[i] - '0');
		if (v > (lim - d) / 10) {
			*overflow = true;
			return false;
		}
		v = v * 10 + d;
	}
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return true;
}

static bool is_float_literal(const struct tok *t)
{
	const char *s = t->s;
	uint32_t n = t->len;
	if (n && s[0] == '-') {
		s++;
		n--;
	}
	const char *dot = memchr(s, '.', n);
	if (!dot)
		return false;
	uint32_t left = (uint32_t)(dot - s);
	return all_digits(s, left) && all_digits(dot + 1, n - left - 1);
}

/* Operand K: a literal. */
static uint32_t literal(struct asm_state *a, uint32_t ln, const struct tok *t)
{
	int64_t i;
	bool overflow;
	char b[48];
	if (parse_int(t, &i, &overflow))
		return add_const(a, vm_int(i), (const char *)&i, sizeof(i));
	if (overflow) {
		error_at(a, ln, t->col, "integer literal %s does not fit in 64 bits",
			 show(t, b));
		return UINT32_MAX;
	}
	if (is_float_literal(t)) {
		char tmp[400];
		if (t->len >= sizeof(tmp)) {
			error_at(a, ln, t->col, "float literal too long");
			return UINT32_MAX;
		}
		memcpy(tmp, t->s, t->len);
		tmp[t->len] = 0;
		double d = strtod(tmp, NULL);
		return add_const(a, vm_float(d), (const char *)&d, sizeof(d));
	}
	/* A string: ^ is a space, ~ a newline. */
	char *s = malloc(t->len + 1);
	if (!s) {
		out_of_memory(a);
		return UINT32_MAX;
	}
	for (uint32_t k = 0; k < t->len; k++)
		s[k] = t->s[k] == '^' ? ' ' : t->s[k] == '~' ? '\n' : t->s[k];
	vm_value v = { .t = VT_STR };
	uint32_t idx = add_const(a, v, s, t->len);
	free(s);
	return idx;
}

/* Operand J: :label or a word offset. */
static bool jump_target(struct asm_state *a, uint32_t ln, const struct tok *t,
			uint32_t *word)
{
	char b[48];
	if (t->s[0] == ':') {
		if (map_get(&a->label_map, t->s + 1, t->len - 1, word))
			return true;
		error_at(a, ln, t->col, "undefined label '%s'", show(t, b));
		return false;
	}
	int64_t v;
	bool overflow;
	if (parse_int(t, &v, &overflow) && v >= 0 && v <= UINT32_MAX) {
		*word = (uint32_t)v;
		return true;
	}
	error_at(a, ln, t->col,
		 "bad jump target '%s': expected :label or a word offset", show(t, b));
	return false;
}

static void free_state(struct asm_state *a, bool keep_consts)
{
	for (uint32_t i = 0; i < a->nconst; i++) {
		free(a->const_keys[i]);
		if (!keep_consts && a->consts[i].t == VT_STR)
			vm_str_static_free(VM_STR(a->consts[i]));
	}
	free(a->const_keys);
	if (!keep_consts)
		free(a->consts);
	free(a->lines);
	free(a->macros);
	free(a->code);
	free(a->macro_map.e);
	free(a->label_map.e);
	free(a->const_map.e);
}

struct vm_program *vm_asm(const char *file, const char *src, size_t len,
			  vm_diag_fn *diag, void *ctx)
{
	struct asm_state a;
	memset(&a, 0, sizeof(a));
	a.file = file;
	a.diag = diag;
	a.ctx = ctx;

	/* Pass 1. */
	uint32_t nl = 1;
	for (size_t i = 0; i < len; i++)
		if (src[i] == '\n' && ++nl == UINT32_MAX)
			break;
	a.lines = calloc(nl, sizeof(*a.lines));
	a.macros = calloc(nl, sizeof(*a.macros));
	if (!a.lines || !a.macros) {
		char msg[300];
		snprintf(msg, sizeof(msg), "%s: out of memory", file);
		diag(ctx, msg);
		free_state(&a, false);
		return NULL;
	}
	size_t pos = 0;
	for (uint32_t ln = 0; ln < nl && pos <= len; ln++) {
		const char *nlp = memchr(src + pos, '\n', len - pos);
		size_t end = nlp ? (size_t)(nlp - src) : len;
		parse_line(&a, ln, src + pos, end - pos);
		a.nlines = ln + 1;
		pos = end + 1;
	}
	/* Pass 2. */
	find_macros(&a);
	/* Pass 3. */
	expand(&a, 0, a.nlines, true);
	uint32_t *code = NULL;
	struct vm_line *lines = NULL;
	if (!a.stopped && a.ncode) {
		code = malloc((size_t)a.words * sizeof(*code));
		lines = malloc((size_t)a.ncode * sizeof(*lines));
		if (!code || !lines)
			out_of_memory(&a);
	}
	for (uint32_t i = 0; i < a.ncode && !a.stopped; i++) {
		struct emitted *e = &a.code[i];
		struct pline *pl = &a.lines[e->line];
		uint32_t operand = 0;
		bool ok = true;
		switch (vm_opinfo[pl->op].operand) {
		case VM_OPERAND_K:
			operand = literal(&a, e->line, &pl->arg);
			ok = operand != UINT32_MAX;
			break;
		case VM_OPERAND_V: {
			vm_value v = { .t = VT_STR };
			operand = add_const(&a, v, pl->arg.s, pl->arg.len);
			ok = operand != UINT32_MAX;
			break;
		}
		case VM_OPERAND_J:
			ok = jump_target(&a, e->line, &pl->arg, &operand);
			break;
		}
		if (!ok || !code)
			continue;
		code[e->word] = pl->op;
		if (pl->has_operand)
			code[e->word + 1] = operand;
		lines[i].word = e->word;
		lines[i].line = e->line + 1;
	}
	struct vm_program *p = NULL;
	if (!a.nerrors && !a.oom) {
		p = vm_program_new(file);
		if (!p)
			out_of_memory(&a);
	}
	if (a.nerrors || a.oom) {
		report(&a);
		if (a.oom) {
			char msg[300];
			snprintf(msg, sizeof(msg), "%s: out of memory", file);
			diag(ctx, msg);
		}
		free(code);
		free(lines);
		free_state(&a, false);
		return NULL;
	}
	/* Hand the arrays over (the hosted platform allocates with malloc). */
	p->consts = a.consts;
	p->nconst = a.nconst;
	p->code = code;
	p->ncode = code ? a.words : 0;
	p->lines = lines;
	p->nlines = code ? a.ncode : 0;
	free_state(&a, true);
	return p;
}
