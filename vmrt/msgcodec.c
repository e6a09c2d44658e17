/* Message bodies, see msgcodec.h. */
#include "msgcodec.h"

#include <string.h>

unsigned vm_port_disposition(struct rmc_space *sp, rmc_name_t name, bool as_reply)
{
	uint32_t type;
	if (!RMC_NAME_VALID(name) || rmc_port_type(sp, name, &type) != RMC_SUCCESS)
		return 0;
	if (type & RMC_TYPE_RECEIVE)
		return as_reply ? RMC_MAKE_SEND_ONCE : RMC_MAKE_SEND;
	if (type & RMC_TYPE_SEND)
		return RMC_COPY_SEND;
	if (type & RMC_TYPE_SEND_ONCE)
		return RMC_MOVE_SEND_ONCE;
	return 0;
}

static void put_u32(struct vm_buf *b, uint32_t v)
{
	char x[4] = { (char)v, (char)(v >> 8), (char)(v >> 16), (char)(v >> 24) };
	vm_buf_put(b, x, 4);
}

void vm_encode_scalar(vm_value v, uint8_t out[VM_SCALAR_BODY])
{
	out[0] = v.t == VT_INT ? 'i' : 'f';
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	memcpy(out + 1, &v.u, 8); /* already the wire order */
#else
	uint64_t u;
	memcpy(&u, &v.u, 8);
	for (int i = 0; i < 8; i++)
		out[1 + i] = (uint8_t)(u >> (8 * i));
#endif
}

static int encode(struct vm_encoder *e, vm_value v, int depth)
{
	struct vm_buf *b = &e->body;
	if (depth > VM_MAX_NESTING)
		return VM_CODEC_TOO_DEEP;
	if (b->n > e->limit)
		return VM_CODEC_TOO_BIG;
	switch (v.t) {
	case VT_INT:
	case VT_FLOAT: {
		uint8_t x[VM_SCALAR_BODY];
		vm_encode_scalar(v, x);
		vm_buf_put(b, (const char *)x, sizeof(x));
		break;
	}
	case VT_STR:
		if (VM_STR(v)->len > e->limit)
			return VM_CODEC_TOO_BIG;
		vm_buf_put(b, "s", 1);
		put_u32(b, VM_STR(v)->len);
		vm_buf_put(b, VM_STR(v)->s, VM_STR(v)->len);
		break;
	case VT_PORT: {
		unsigned disp = vm_port_disposition(e->space, v.u.port, false);
		if (!disp || disp == RMC_MOVE_SEND_ONCE) {
			/* A send-once right is a reply obligation: REPLY uses
			 * it; it cannot be copied into data. */
			e->bad_port = v.u.port;
			return VM_CODEC_BAD_PORT;
		}
		if (e->ndesc == RMC_MAX_DESC)
			return VM_CODEC_TOO_MANY_PORTS;
		e->desc[e->ndesc].name = v.u.port;
		e->desc[e->ndesc].disp = disp;
		vm_buf_put(b, "p", 1);
		put_u32(b, e->ndesc++);
		break;
	}
	case VT_LIST: {
		struct vm_list *l = VM_LIST(v);
		vm_buf_put(b, "l", 1);
		put_u32(b, l->n);
		for (uint32_t i = 0; i < l->n; i++) {
			int r = encode(e, l->v[i], depth + 1);
			if (r)
				return r;
		}
		break;
	}
	case VT_DICT: {
		struct vm_dict *d = VM_DICT(v);
		vm_buf_put(b, "d", 1);
		put_u32(b, d->n);
		for (uint32_t i = 0; i < 2 * d->n; i++) {
			int r = encode(e, d->kv[i], depth + 1);
			if (r)
				return r;
		}
		break;
	}
	}
	if (b->oom)
		return VM_CODEC_NOMEM;
	return b->n > e->limit ? VM_CODEC_TOO_BIG : VM_CODEC_OK;
}

int vm_encode(struct vm_encoder *e, vm_value v)
{
	e->body.n = 0;
	e->body.oom = false;
	e->ndesc = 0;
	return encode(e, v, 0);
}

struct decoder {
	struct vm_heap *heap;
	const uint8_t *p;
	uint32_t left;
	const struct rmc_port_desc *desc;
	uint32_t ndesc;
};

static bool get_u32(struct decoder *d, uint32_t *v)
{
	if (d->left < 4)
		return false;
	*v = (uint32_t)d->p[0] | (uint32_t)d->p[1] << 8 | (uint32_t)d->p[2] << 16 |
	     (uint32_t)d->p[3] << 24;
	d->p += 4;
	d->left -= 4;
	return true;
}

static int decode(struct decoder *d, vm_value *out, int depth)
{
	if (depth > VM_MAX_NESTING || d->left < 1)
		return VM_CODEC_MALFORMED;
	char tag = (char)*d->p++;
	d->left--;
	uint32_t n, hi;
	switch (tag) {
	case 'i':
	case 'f': {
		if (!get_u32(d, &n) || !get_u32(d, &hi))
			return VM_CODEC_MALFORMED;
		uint64_t u = (uint64_t)hi << 32 | n;
		out->t = tag == 'i' ? VT_INT : VT_FLOAT;
		out->pad = 0;
		memcpy(&out->u, &u, 8);
		return VM_CODEC_OK;
	}
	case 's': {
		if (!get_u32(d, &n) || n > d->left)
			return VM_CODEC_MALFORMED;
		struct vm_str *s = vm_str_new(d->heap, (const char *)d->p, n);
		if (!s)
			return VM_CODEC_NOMEM;
		d->p += n;
		d->left -= n;
		*out = vm_obj_value(&s->h);
		return VM_CODEC_OK;
	}
	case 'p':
		if (!get_u32(d, &n) || n >= d->ndesc)
			return VM_CODEC_MALFORMED;
		*out = vm_port_value(d->desc[n].name);
		return VM_CODEC_OK;
	case 'l': {
		if (!get_u32(d, &n) || n > d->left)
			return VM_CODEC_MALFORMED;
		struct vm_list *l = vm_list_new(d->heap, n);
		if (!l)
			return VM_CODEC_NOMEM;
		*out = vm_obj_value(&l->h);
		for (uint32_t i = 0; i < n; i++) {
			int r = decode(d, &l->v[i], depth + 1);
			if (r)
				return r;
			l->n = i + 1;
		}
		return VM_CODEC_OK;
	}
	case 'd': {
		if (!get_u32(d, &n) || n > d->left / 2)
			return VM_CODEC_MALFORMED;
		struct vm_dict *dict = vm_dict_new(d->heap, n);
		if (!dict)
			return VM_CODEC_NOMEM;
		*out = vm_obj_value(&dict->h);
		for (uint32_t i = 0; i < n; i++) {
			vm_value k, v;
			int r = decode(d, &k, depth + 1);
			if (!r)
				r = decode(d, &v, depth + 1);
			if (r)
				return r;
			if (!vm_hashable(k))
				return VM_CODEC_MALFORMED;
			if (!vm_dict_set(d->heap, dict, k, v))
				return VM_CODEC_NOMEM;
		}
		return VM_CODEC_OK;
	}
	}
	return VM_CODEC_MALFORMED;
}

int vm_decode(struct vm_heap *heap, const uint8_t *body, uint32_t len,
	      const struct rmc_port_desc *desc, uint32_t ndesc, vm_value *out)
{
	struct decoder d = { heap, body, len, desc, ndesc };
	int r = decode(&d, out, 0);
	if (!r && d.left)
		r = VM_CODEC_MALFORMED;
	return r;
}
