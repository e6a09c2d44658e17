/*
 * Values of the rMach VM and the per-process heap they live in.
 *
 * A value is 16 bytes: a type tag and a payload. Integers (64-bit, overflow is
 * a fault), floats and port names are immediate; strings, lists and dicts are
 * heap objects with reference semantics (STORE then FETCH gives the same list,
 * APPEND changes it in place), as in the original on MicroPython.
 *
 * Each process owns one heap: a list of objects and a byte count against the
 * process's limit. Collection is mark-and-sweep from the process's roots
 * (stack, variables, pending message), triggered when the count doubles, so
 * cycles (a list appended to itself) cost nothing special. String constants of a
 * program are static objects shared by every process running it: never marked,
 * never freed, never charged.
 */
#ifndef VMRT_VALUE_H
#define VMRT_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum vm_type { VT_INT, VT_FLOAT, VT_STR, VT_LIST, VT_DICT, VT_PORT };

struct vm_obj;

typedef struct vm_value {
	uint32_t t; /* enum vm_type */
	uint32_t pad;
	union {
		int64_t i;
		double f;
		struct vm_obj *o;
		uint32_t port; /* a name in the owning process's space */
	} u;
} vm_value;

#define VM_OBJ_STATIC 1u /* program constant: not in any heap */
#define VM_OBJ_MARKED 2u

struct vm_obj {
	struct vm_obj *next;
	uint32_t type; /* VT_STR, VT_LIST or VT_DICT */
	uint32_t flags;
};

struct vm_str {
	struct vm_obj h;
	uint32_t len;
	char s[]; /* len bytes, then a NUL for convenience */
};

struct vm_list {
	struct vm_obj h;
	uint32_t n, cap;
	vm_value *v;
};

/* Insertion-ordered: kv[2*i] is the i-th key, kv[2*i+1] its value. Small
 * dicts are searched linearly; from VM_DICT_INDEX_MIN items on, `index` is an
 * open-addressing table (icap slots, a power of two, at most half full) of
 * item number + 1 (0: empty), so lookups stay O(1). */
#define VM_DICT_INDEX_MIN 8
struct vm_dict {
	struct vm_obj h;
	uint32_t n, cap;
	vm_value *kv;
	uint32_t *index;
	uint32_t icap;
};

struct vm_heap {
	struct vm_obj *objs;
	size_t bytes;   /* charged to the process: object headers + payloads */
	size_t limit;   /* exceeding it after a collection is a fault */
	size_t next_gc; /* collect when bytes reaches this */
	bool exceeded;  /* set by an allocation that failed the limit */
};

static inline vm_value vm_int(int64_t i)
{
	vm_value v = { .t = VT_INT };
	v.u.i = i;
	return v;
}

static inline vm_value vm_float(double f)
{
	vm_value v = { .t = VT_FLOAT };
	v.u.f = f;
	return v;
}

static inline vm_value vm_obj_value(struct vm_obj *o)
{
	vm_value v = { .t = o->type };
	v.u.o = o;
	return v;
}

static inline vm_value vm_port_value(uint32_t name)
{
	vm_value v = { .t = VT_PORT };
	v.u.port = name;
	return v;
}

#define VM_STR(v) ((struct vm_str *)(v).u.o)
#define VM_LIST(v) ((struct vm_list *)(v).u.o)
#define VM_DICT(v) ((struct vm_dict *)(v).u.o)

void vm_heap_init(struct vm_heap *h, size_t limit);
/* Frees every object of the heap. */
void vm_heap_free_all(struct vm_heap *h);

/* Allocation; NULL when the heap limit or the platform refuses (h->exceeded
 * tells which). The caller turns NULL into a fault. */
struct vm_str *vm_str_new(struct vm_heap *h, const char *s, size_t len);
struct vm_list *vm_list_new(struct vm_heap *h, uint32_t cap);
struct vm_dict *vm_dict_new(struct vm_heap *h, uint32_t cap);
bool vm_list_push(struct vm_heap *h, struct vm_list *l, vm_value v);
/* d[key] = val (replaces an existing key in place, keeps its position). */
bool vm_dict_set(struct vm_heap *h, struct vm_dict *d, vm_value key, vm_value val);
/* Index of key in d, or -1. */
int64_t vm_dict_find(const struct vm_dict *d, vm_value key);

/* A static string constant (not in any heap). */
struct vm_str *vm_str_static(const char *s, size_t len);
void vm_str_static_free(struct vm_str *s);

/* Containers may nest (and cycle) without bound; walks of them stop here.
 * The walks recurse: boards build with a smaller limit to fit their C stack. */
#ifndef VM_MAX_NESTING
#define VM_MAX_NESTING 100
#endif

/* Python semantics: 1 == 1.0, containers compared element by element.
 * 1 equal, 0 not equal, -1 nested deeper than VM_MAX_NESTING. */
int vm_equal(vm_value a, vm_value b);
/* Ordering for LT/GT: *cmp = -1/0/1. 0 on success, -1 when the types cannot
 * be ordered (a type error), -2 when nested too deeply. */
int vm_compare(vm_value a, vm_value b, int *cmp);
bool vm_truthy(vm_value v);
bool vm_hashable(vm_value v);
const char *vm_type_name(vm_value v);

/* Garbage collection: mark every root, then sweep. Marking uses an explicit
 * work list, so arbitrarily deep nesting cannot overflow the C stack; when that
 * list cannot grow, everything is kept (false) and the sweep frees nothing. */
bool vm_gc_mark(struct vm_heap *h, const vm_value *roots, size_t n);
void vm_gc_sweep(struct vm_heap *h);

#endif
