/* Values and the per-process heap: allocation, collection, equality, order. */
#include "value.h"

#include <string.h>

#include "platform.h"

/* Collect when the heap has grown by this much since the last collection. */
#define VM_GC_MIN_STEP (64 * 1024)

static size_t obj_bytes(const struct vm_obj *o)
{
	switch (o->type) {
	case VT_STR:
		return sizeof(struct vm_str) + ((const struct vm_str *)o)->len + 1;
	case VT_LIST:
		return sizeof(struct vm_list) +
		       ((const struct vm_list *)o)->cap * sizeof(vm_value);
	default:
		return sizeof(struct vm_dict) +
		       ((const struct vm_dict *)o)->cap * 2 * sizeof(vm_value) +
		       ((const struct vm_dict *)o)->icap * sizeof(uint32_t);
	}
}

void vm_heap_init(struct vm_heap *h, size_t limit)
{
	h->objs = NULL;
	h->bytes = 0;
	h->limit = limit;
	h->next_gc = VM_GC_MIN_STEP;
	h->exceeded = false;
}

static void obj_free(struct vm_obj *o)
{
	size_t bytes = obj_bytes(o);
	if (o->type == VT_LIST) {
		struct vm_list *l = (struct vm_list *)o;
		vm_plat_free(l->v, l->cap * sizeof(vm_value));
		bytes = sizeof(*l);
	} else if (o->type == VT_DICT) {
		struct vm_dict *d = (struct vm_dict *)o;
		vm_plat_free(d->kv, d->cap * 2 * sizeof(vm_value));
		vm_plat_free(d->index, d->icap * sizeof(uint32_t));
		bytes = sizeof(*d);
	}
	vm_plat_free(o, bytes);
}

void vm_heap_free_all(struct vm_heap *h)
{
	struct vm_obj *o = h->objs, *next;
	for (; o; o = next) {
		next = o->next;
		obj_free(o);
	}
	h->objs = NULL;
	h->bytes = 0;
}

/* Charges bytes to the heap; false (and h->exceeded) past the limit. */
static bool charge(struct vm_heap *h, size_t bytes)
{
	if (bytes > h->limit || h->bytes > h->limit - bytes) {
		h->exceeded = true;
		return false;
	}
	h->bytes += bytes;
	return true;
}

static void *obj_alloc(struct vm_heap *h, size_t bytes, uint32_t type)
{
	if (!charge(h, bytes))
		return NULL;
	struct vm_obj *o = vm_plat_alloc(bytes);
	if (!o) {
		h->bytes -= bytes;
		return NULL;
	}
	o->type = type;
	o->flags = 0;
	o->next = h->objs;
	h->objs = o;
	return o;
}

struct vm_str *vm_str_new(struct vm_heap *h, const char *s, size_t len)
{
	if (len > UINT32_MAX - sizeof(struct vm_str) - 1) {
		h->exceeded = true;
		return NULL;
	}
	struct vm_str *str = obj_alloc(h, sizeof(*str) + len + 1, VT_STR);
	if (!str)
		return NULL;
	str->len = (uint32_t)len;
	if (s)
		memcpy(str->s, s, len);
	str->s[len] = 0;
	return str;
}

struct vm_str *vm_str_static(const char *s, size_t len)
{
	struct vm_str *str = vm_plat_alloc(sizeof(*str) + len + 1);
	if (!str)
		return NULL;
	str->h.next = NULL;
	str->h.type = VT_STR;
	str->h.flags = VM_OBJ_STATIC;
	str->len = (uint32_t)len;
	memcpy(str->s, s, len);
	str->s[len] = 0;
	return str;
}

void vm_str_static_free(struct vm_str *s)
{
	if (s)
		vm_plat_free(s, sizeof(*s) + s->len + 1);
}

/* Grows an array of `elem`-byte items from *cap to at least need. */
static bool grow(struct vm_heap *h, void **arr, uint32_t *cap, uint32_t need,
		 size_t elem)
{
	if (need <= *cap)
		return true;
	uint64_t ncap = *cap ? (uint64_t)*cap * 2 : 4;
	while (ncap < need)
		ncap *= 2;
	if (ncap > UINT32_MAX / 2 || ncap * elem > SIZE_MAX / 2) {
		h->exceeded = true;
		return false;
	}
	size_t extra = (size_t)(ncap - *cap) * elem;
	if (!charge(h, extra))
		return false;
	void *p = vm_plat_realloc(*arr, *cap * elem, (size_t)ncap * elem);
	if (!p) {
		h->bytes -= extra;
		return false;
	}
	*arr = p;
	*cap = (uint32_t)ncap;
	return true;
}

struct vm_list *vm_list_new(struct vm_heap *h, uint32_t cap)
{
	struct vm_list *l = obj_alloc(h, sizeof(*l), VT_LIST);
	if (!l)
		return NULL;
	l->n = l->cap = 0;
	l->v = NULL;
	if (cap && !grow(h, (void **)&l->v, &l->cap, cap, sizeof(vm_value)))
		return NULL; /* l stays in the heap, collected later */
	return l;
}

bool vm_list_push(struct vm_heap *h, struct vm_list *l, vm_value v)
{
	if (l->n == l->cap &&
	    !grow(h, (void **)&l->v, &l->cap, l->n + 1, sizeof(vm_value)))
		return false;
	l->v[l->n++] = v;
	return true;
}

struct vm_dict *vm_dict_new(struct vm_heap *h, uint32_t cap)
{
	struct vm_dict *d = obj_alloc(h, sizeof(*d), VT_DICT);
	if (!d)
		return NULL;
	d->n = d->cap = 0;
	d->kv = NULL;
	d->index = NULL;
	d->icap = 0;
	if (cap && !grow(h, (void **)&d->kv, &d->cap, cap, 2 * sizeof(vm_value)))
		return NULL;
	return d;
}

/* Equal keys hash equally: an integral float hashes as the int it equals
 * (1 == 1.0). Only called for hashable keys. */
static uint32_t hash_value(vm_value v)
{
	uint64_t x;
	switch (v.t) {
	case VT_FLOAT:
		if (v.u.f >= -9.2e18 && v.u.f <= 9.2e18 &&
		    v.u.f == (double)(int64_t)v.u.f) {
			x = (uint64_t)(int64_t)v.u.f;
		} else {
			memcpy(&x, &v.u.f, 8);
			x ^= 0x9e3779b97f4a7c15u;
		}
		break;
	case VT_STR: {
		uint32_t h = 2166136261u; /* FNV-1a */
		for (uint32_t i = 0; i < VM_STR(v)->len; i++)
			h = (h ^ (unsigned char)VM_STR(v)->s[i]) * 16777619u;
		return h;
	}
	case VT_PORT:
		x = v.u.port ^ 0x5bd1e995u;
		break;
	default:
		x = (uint64_t)v.u.i;
	}
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdu;
	x ^= x >> 33;
	return (uint32_t)x;
}

int64_t vm_dict_find(const struct vm_dict *d, vm_value key)
{
	if (!d->index) {
		for (uint32_t i = 0; i < d->n; i++)
			if (vm_equal(d->kv[2 * i], key) == 1)
				return i;
		return -1;
	}
	uint32_t mask = d->icap - 1;
	for (uint32_t s = hash_value(key) & mask;; s = (s + 1) & mask) {
		uint32_t e = d->index[s];
		if (!e)
			return -1;
		if (vm_equal(d->kv[2 * (e - 1)], key) == 1)
			return e - 1;
	}
}

/* (Re)builds the index for at least `items` items. */
static bool dict_reindex(struct vm_heap *h, struct vm_dict *d, uint32_t items)
{
	uint32_t icap = 16;
	while (icap < 2 * items) {
		if (icap > UINT32_MAX / 4)
			return false;
		icap *= 2;
	}
	if (!charge(h, icap * sizeof(uint32_t)))
		return false;
	uint32_t *index = vm_plat_alloc(icap * sizeof(uint32_t));
	if (!index) {
		h->bytes -= icap * sizeof(uint32_t);
		return false;
	}
	memset(index, 0, icap * sizeof(uint32_t));
	for (uint32_t i = 0; i < d->n; i++) {
		uint32_t s = hash_value(d->kv[2 * i]) & (icap - 1);
		while (index[s])
			s = (s + 1) & (icap - 1);
		index[s] = i + 1;
	}
	if (d->index) {
		vm_plat_free(d->index, d->icap * sizeof(uint32_t));
		h->bytes -= d->icap * sizeof(uint32_t);
	}
	d->index = index;
	d->icap = icap;
	return true;
}

bool vm_dict_set(struct vm_heap *h, struct vm_dict *d, vm_value key, vm_value val)
{
	int64_t i = vm_dict_find(d, key);
	if (i >= 0) {
		d->kv[2 * i + 1] = val;
		return true;
	}
	/* Room in the index first, so a failure leaves d unchanged. */
	uint32_t n = d->n + 1;
	if (n >= VM_DICT_INDEX_MIN && (!d->index || 2 * n > d->icap) &&
	    !dict_reindex(h, d, n))
		return false;
	if (d->n == d->cap &&
	    !grow(h, (void **)&d->kv, &d->cap, d->n + 1, 2 * sizeof(vm_value)))
		return false;
	d->kv[2 * d->n] = key;
	d->kv[2 * d->n + 1] = val;
	if (d->index) {
		uint32_t mask = d->icap - 1, s = hash_value(key) & mask;
		while (d->index[s])
			s = (s + 1) & mask;
		d->index[s] = d->n + 1;
	}
	d->n++;
	return true;
}

static bool is_number(vm_value v)
{
	return v.t == VT_INT || v.t == VT_FLOAT;
}

static double as_double(vm_value v)
{
	return v.t == VT_INT ? (double)v.u.i : v.u.f;
}

/* Exact int/float comparison: -1, 0, 1, or 2 when unordered (NaN). */
static int cmp_numbers(vm_value a, vm_value b)
{
	if (a.t == VT_INT && b.t == VT_INT)
		return (a.u.i > b.u.i) - (a.u.i < b.u.i);
	double x = as_double(a), y = as_double(b);
	if (x != x || y != y)
		return 2;
	/* An int beyond 2^53 may round when converted: compare exactly. */
	if (a.t == VT_INT && x == y) {
		if (y >= 9223372036854775808.0)
			return -1;
		if (y < -9223372036854775808.0)
			return 1;
		int64_t yi = (int64_t)y;
		return (a.u.i > yi) - (a.u.i < yi);
	}
	if (b.t == VT_INT && x == y)
		return -cmp_numbers(b, a);
	return (x > y) - (x < y);
}

static int equal_depth(vm_value a, vm_value b, int depth)
{
	if (depth > VM_MAX_NESTING)
		return -1;
	if (is_number(a) && is_number(b))
		return cmp_numbers(a, b) == 0;
	if (a.t != b.t)
		return 0;
	switch (a.t) {
	case VT_PORT:
		return a.u.port == b.u.port;
	case VT_STR:
		return VM_STR(a)->len == VM_STR(b)->len &&
		       memcmp(VM_STR(a)->s, VM_STR(b)->s, VM_STR(a)->len) == 0;
	case VT_LIST: {
		struct vm_list *x = VM_LIST(a), *y = VM_LIST(b);
		if (x == y)
			return 1;
		if (x->n != y->n)
			return 0;
		for (uint32_t i = 0; i < x->n; i++) {
			int e = equal_depth(x->v[i], y->v[i], depth + 1);
			if (e != 1)
				return e;
		}
		return 1;
	}
	case VT_DICT: {
		struct vm_dict *x = VM_DICT(a), *y = VM_DICT(b);
		if (x == y)
			return 1;
		if (x->n != y->n)
			return 0;
		for (uint32_t i = 0; i < x->n; i++) {
			int64_t j = vm_dict_find(y, x->kv[2 * i]);
			if (j < 0)
				return 0;
			int e = equal_depth(x->kv[2 * i + 1], y->kv[2 * j + 1],
					    depth + 1);
			if (e != 1)
				return e;
		}
		return 1;
	}
	default:
		return 0;
	}
}

int vm_equal(vm_value a, vm_value b)
{
	return equal_depth(a, b, 0);
}

static int compare_depth(vm_value a, vm_value b, int *cmp, int depth)
{
	if (depth > VM_MAX_NESTING)
		return -2;
	if (is_number(a) && is_number(b)) {
		int c = cmp_numbers(a, b);
		*cmp = c == 2 ? 2 : c; /* 2: NaN, neither < nor > */
		return 0;
	}
	if (a.t != b.t)
		return -1;
	if (a.t == VT_STR) {
		struct vm_str *x = VM_STR(a), *y = VM_STR(b);
		uint32_t n = x->len < y->len ? x->len : y->len;
		int c = memcmp(x->s, y->s, n);
		if (c == 0)
			c = (x->len > y->len) - (x->len < y->len);
		*cmp = (c > 0) - (c < 0);
		return 0;
	}
	if (a.t == VT_LIST) {
		struct vm_list *x = VM_LIST(a), *y = VM_LIST(b);
		for (uint32_t i = 0; i < x->n && i < y->n; i++) {
			int e = equal_depth(x->v[i], y->v[i], depth + 1);
			if (e < 0)
				return -2;
			if (!e)
				return compare_depth(x->v[i], y->v[i], cmp, depth + 1);
		}
		*cmp = (x->n > y->n) - (x->n < y->n);
		return 0;
	}
	return -1;
}

int vm_compare(vm_value a, vm_value b, int *cmp)
{
	return compare_depth(a, b, cmp, 0);
}

bool vm_truthy(vm_value v)
{
	switch (v.t) {
	case VT_INT:
		return v.u.i != 0;
	case VT_FLOAT:
		return v.u.f != 0.0;
	case VT_STR:
		return VM_STR(v)->len != 0;
	case VT_LIST:
		return VM_LIST(v)->n != 0;
	case VT_DICT:
		return VM_DICT(v)->n != 0;
	default:
		return true;
	}
}

bool vm_hashable(vm_value v)
{
	return v.t != VT_LIST && v.t != VT_DICT;
}

const char *vm_type_name(vm_value v)
{
	static const char *const names[] = { "int", "float", "str",
					     "list", "dict", "port" };
	return v.t < 6 ? names[v.t] : "?";
}

/* Work list of objects whose children still need marking. */
struct mark_stack {
	struct vm_obj **o;
	size_t n, cap;
	bool failed; /* could not grow: some children left unmarked */
};

static void mark_push(struct mark_stack *ms, vm_value v)
{
	if (v.t != VT_LIST && v.t != VT_DICT && v.t != VT_STR)
		return;
	struct vm_obj *o = v.u.o;
	if (o->flags & (VM_OBJ_STATIC | VM_OBJ_MARKED))
		return;
	o->flags |= VM_OBJ_MARKED;
	if (o->type == VT_STR)
		return;
	if (ms->n == ms->cap) {
		size_t ncap = ms->cap ? ms->cap * 2 : 64;
		struct vm_obj **p = vm_plat_realloc(ms->o, ms->cap * sizeof(*p),
						    ncap * sizeof(*p));
		if (!p) {
			ms->failed = true;
			return;
		}
		ms->o = p;
		ms->cap = ncap;
	}
	ms->o[ms->n++] = o;
}

bool vm_gc_mark(struct vm_heap *h, const vm_value *roots, size_t n)
{
	struct mark_stack ms = { 0 };
	for (size_t i = 0; i < n; i++)
		mark_push(&ms, roots[i]);
	while (ms.n) {
		struct vm_obj *o = ms.o[--ms.n];
		if (o->type == VT_LIST) {
			struct vm_list *l = (struct vm_list *)o;
			for (uint32_t i = 0; i < l->n; i++)
				mark_push(&ms, l->v[i]);
		} else {
			struct vm_dict *d = (struct vm_dict *)o;
			for (uint32_t i = 0; i < 2 * d->n; i++)
				mark_push(&ms, d->kv[i]);
		}
	}
	vm_plat_free(ms.o, ms.cap * sizeof(*ms.o));
	if (ms.failed) /* the marks are incomplete: free nothing this time */
		for (struct vm_obj *o = h->objs; o; o = o->next)
			o->flags |= VM_OBJ_MARKED;
	return !ms.failed;
}

void vm_gc_sweep(struct vm_heap *h)
{
	struct vm_obj **link = &h->objs;
	while (*link) {
		struct vm_obj *o = *link;
		if (o->flags & VM_OBJ_MARKED) {
			o->flags &= ~VM_OBJ_MARKED;
			link = &o->next;
		} else {
			*link = o->next;
			h->bytes -= obj_bytes(o);
			obj_free(o);
		}
	}
	h->next_gc = h->bytes * 2 > VM_GC_MIN_STEP ? h->bytes * 2 : VM_GC_MIN_STEP;
	h->exceeded = false;
}
