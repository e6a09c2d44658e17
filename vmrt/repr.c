/* print()/repr() formatting of VM values, see repr.h. */
#include "repr.h"

#include <string.h>

#include "platform.h"

void vm_buf_put(struct vm_buf *b, const char *s, size_t n)
{
	if (b->oom || n == 0)
		return;
	if (b->cap - b->n < n) {
		size_t ncap = b->cap ? b->cap : 64;
		while (ncap - b->n < n) {
			if (ncap > SIZE_MAX / 2) {
				b->oom = true;
				return;
			}
			ncap *= 2;
		}
		char *p = vm_plat_realloc(b->p, b->cap, ncap);
		if (!p) {
			b->oom = true;
			return;
		}
		b->p = p;
		b->cap = ncap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
}

void vm_buf_puts(struct vm_buf *b, const char *s)
{
	vm_buf_put(b, s, strlen(s));
}

void vm_buf_int(struct vm_buf *b, int64_t i)
{
	char tmp[24];
	int n = sizeof(tmp);
	/* Negate in unsigned so INT64_MIN works. */
	uint64_t u = i < 0 ? 0 - (uint64_t)i : (uint64_t)i;
	do {
		tmp[--n] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (i < 0)
		tmp[--n] = '-';
	vm_buf_put(b, tmp + n, sizeof(tmp) - n);
}

void vm_buf_free(struct vm_buf *b)
{
	vm_plat_free(b->p, b->cap);
	b->p = NULL;
	b->n = b->cap = 0;
	b->oom = false;
}

static void put_zeros(struct vm_buf *b, int n)
{
	for (; n > 0; n--)
		vm_buf_put(b, "0", 1);
}

/* CPython's float_repr_style 'short': fixed notation for exponents -4..15,
 * scientific with at least two exponent digits otherwise. */
void vm_format_float(struct vm_buf *b, double d)
{
	if (d != d) {
		vm_buf_puts(b, "nan");
		return;
	}
	if (d < 0 || (d == 0 && 1 / d < 0)) {
		vm_buf_put(b, "-", 1);
		d = -d;
	}
	if (d > 1.7976931348623157e308) {
		vm_buf_puts(b, "inf");
		return;
	}
	if (d == 0) {
		vm_buf_puts(b, "0.0");
		return;
	}
	char dig[20];
	int e;
	vm_plat_shortest_double(d, dig, &e);
	int nd = (int)strlen(dig);
	if (e >= -4 && e < 16) {
		if (e >= 0) {
			if (nd <= e + 1) {
				vm_buf_put(b, dig, nd);
				put_zeros(b, e + 1 - nd);
				vm_buf_puts(b, ".0");
			} else {
				vm_buf_put(b, dig, e + 1);
				vm_buf_put(b, ".", 1);
				vm_buf_put(b, dig + e + 1, nd - e - 1);
			}
		} else {
			vm_buf_puts(b, "0.");
			put_zeros(b, -e - 1);
			vm_buf_put(b, dig, nd);
		}
		return;
	}
	vm_buf_put(b, dig, 1);
	if (nd > 1) {
		vm_buf_put(b, ".", 1);
		vm_buf_put(b, dig + 1, nd - 1);
	}
	vm_buf_put(b, e < 0 ? "e-" : "e+", 2);
	if (e < 0)
		e = -e;
	if (e < 10)
		vm_buf_put(b, "0", 1);
	vm_buf_int(b, e);
}

/* Python's str.__repr__: single quotes unless the text has ' and no ". */
static void format_str_repr(struct vm_buf *b, const struct vm_str *s)
{
	bool has_sq = memchr(s->s, '\'', s->len) != NULL;
	bool has_dq = memchr(s->s, '"', s->len) != NULL;
	char q = has_sq && !has_dq ? '"' : '\'';
	vm_buf_put(b, &q, 1);
	for (uint32_t i = 0; i < s->len; i++) {
		unsigned char c = (unsigned char)s->s[i];
		static const char hex[] = "0123456789abcdef";
		if (c == '\\' || c == (unsigned char)q) {
			char esc[2] = { '\\', (char)c };
			vm_buf_put(b, esc, 2);
		} else if (c == '\n') {
			vm_buf_put(b, "\\n", 2);
		} else if (c == '\r') {
			vm_buf_put(b, "\\r", 2);
		} else if (c == '\t') {
			vm_buf_put(b, "\\t", 2);
		} else if (c < 0x20 || c == 0x7f) {
			char esc[4] = { '\\', 'x', hex[c >> 4], hex[c & 15] };
			vm_buf_put(b, esc, 4);
		} else {
			vm_buf_put(b, (const char *)&c, 1);
		}
	}
	vm_buf_put(b, &q, 1);
}

/* The containers being printed, outermost first: a container met again is a
 * cycle and prints as [...] or {...}, as in Python. */
struct repr_path {
	const struct vm_obj *o[VM_MAX_NESTING + 1];
	int n;
};

static bool repr_value(struct vm_buf *b, vm_value v, struct repr_path *path)
{
	switch (v.t) {
	case VT_INT:
		vm_buf_int(b, v.u.i);
		return true;
	case VT_FLOAT:
		vm_format_float(b, v.u.f);
		return true;
	case VT_PORT:
		vm_buf_int(b, v.u.port);
		return true;
	case VT_STR:
		format_str_repr(b, VM_STR(v));
		return true;
	default:
		break;
	}
	for (int i = 0; i < path->n; i++)
		if (path->o[i] == v.u.o) {
			vm_buf_puts(b, v.t == VT_LIST ? "[...]" : "{...}");
			return true;
		}
	if (path->n > VM_MAX_NESTING)
		return false;
	path->o[path->n++] = v.u.o;
	bool ok = true;
	if (v.t == VT_LIST) {
		struct vm_list *l = VM_LIST(v);
		vm_buf_put(b, "[", 1);
		for (uint32_t i = 0; ok && i < l->n; i++) {
			if (i)
				vm_buf_put(b, ", ", 2);
			ok = repr_value(b, l->v[i], path);
		}
		vm_buf_put(b, "]", 1);
	} else {
		struct vm_dict *d = VM_DICT(v);
		vm_buf_put(b, "{", 1);
		for (uint32_t i = 0; ok && i < d->n; i++) {
			if (i)
				vm_buf_put(b, ", ", 2);
			ok = repr_value(b, d->kv[2 * i], path);
			vm_buf_put(b, ": ", 2);
			ok = ok && repr_value(b, d->kv[2 * i + 1], path);
		}
		vm_buf_put(b, "}", 1);
	}
	path->n--;
	return ok;
}

bool vm_format_repr(struct vm_buf *b, vm_value v)
{
	struct repr_path path;
	path.n = 0;
	return repr_value(b, v, &path);
}

bool vm_format_print(struct vm_buf *b, vm_value v)
{
	if (v.t == VT_STR) {
		vm_buf_put(b, VM_STR(v)->s, VM_STR(v)->len);
		return true;
	}
	return vm_format_repr(b, v);
}
