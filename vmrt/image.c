/* Reading and writing program images, see image.h for the format. */
#include "image.h"

#include <string.h>

#include "platform.h"

enum { CONST_INT = 0, CONST_FLOAT = 1, CONST_STR = 2 };

struct reader {
	const uint8_t *p;
	size_t left;
};

static bool take(struct reader *r, void *out, size_t n)
{
	if (r->left < n)
		return false;
	if (out)
		memcpy(out, r->p, n);
	r->p += n;
	r->left -= n;
	return true;
}

static bool take_u32(struct reader *r, uint32_t *v)
{
	uint8_t b[4];
	if (!take(r, b, 4))
		return false;
	*v = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
	     (uint32_t)b[3] << 24;
	return true;
}

static bool take_u64(struct reader *r, uint64_t *v)
{
	uint32_t lo, hi;
	if (!take_u32(r, &lo) || !take_u32(r, &hi))
		return false;
	*v = (uint64_t)hi << 32 | lo;
	return true;
}

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

bool vm_image_is_image(const void *data, size_t len)
{
	return len >= 4 && memcmp(data, VM_IMAGE_MAGIC, 4) == 0;
}

static void *alloc_array(uint32_t n, size_t elem)
{
	return n ? vm_plat_alloc((size_t)n * elem) : NULL;
}

struct vm_program *vm_image_load(const void *data, size_t len, char *err,
				 size_t errlen)
{
	struct reader r = { data, len };
	uint8_t magic[4], ver[2], flags[2];
	uint32_t nconst, ncode, nlines, namelen;
	if (!take(&r, magic, 4) || memcmp(magic, VM_IMAGE_MAGIC, 4)) {
		set_err(err, errlen, "not an rMach image (bad magic)");
		return NULL;
	}
	if (!take(&r, ver, 2) || !take(&r, flags, 2) || !take_u32(&r, &nconst) ||
	    !take_u32(&r, &ncode) || !take_u32(&r, &nlines) ||
	    !take_u32(&r, &namelen)) {
		set_err(err, errlen, "truncated image header");
		return NULL;
	}
	if ((ver[0] | ver[1] << 8) != VM_IMAGE_VERSION) {
		set_err(err, errlen, "unsupported image version");
		return NULL;
	}
	if (flags[0] | flags[1]) {
		set_err(err, errlen, "unknown image flags");
		return NULL;
	}
	if (nconst > VM_IMAGE_MAX_CONSTS || ncode > VM_IMAGE_MAX_WORDS ||
	    nlines > ncode || namelen > 4096 || namelen > r.left) {
		set_err(err, errlen, "image counts out of range");
		return NULL;
	}
	/* On the heap: a microcontroller's whole stack is smaller than 4 KB. */
	char *name = vm_plat_alloc((size_t)namelen + 1);
	if (!name) {
		set_err(err, errlen, "out of memory");
		return NULL;
	}
	take(&r, name, namelen);
	name[namelen] = 0;
	const char *bad = NULL;
	if (memchr(name, 0, namelen))
		bad = "NUL byte in image source name";
	/* Every constant takes at least 5 bytes, every word 4, every line 8:
	 * refuse counts the remaining bytes cannot hold before allocating. */
	else if ((uint64_t)nconst * 5 + (uint64_t)ncode * 4 +
		 (uint64_t)nlines * 8 > r.left)
		bad = "truncated image";
	struct vm_program *p = bad ? NULL : vm_program_new(name);
	vm_plat_free(name, (size_t)namelen + 1);
	if (bad) {
		set_err(err, errlen, bad);
		return NULL;
	}
	if (!p) {
		set_err(err, errlen, "out of memory");
		return NULL;
	}
	p->consts = alloc_array(nconst, sizeof(*p->consts));
	p->code = alloc_array(ncode, sizeof(*p->code));
	p->lines = alloc_array(nlines, sizeof(*p->lines));
	p->ncode = ncode;
	p->nlines = nlines;
	if ((nconst && !p->consts) || (ncode && !p->code) ||
	    (nlines && !p->lines)) {
		vm_plat_free(p->consts, nconst * sizeof(*p->consts));
		p->consts = NULL; /* p->nconst counts built constants: 0 */
		vm_program_free(p);
		set_err(err, errlen, "out of memory");
		return NULL;
	}
	const char *why = NULL;
	for (uint32_t i = 0; i < nconst && !why; i++) {
		uint8_t tag;
		uint64_t u;
		uint32_t slen;
		if (!take(&r, &tag, 1)) {
			why = "truncated constant";
			break;
		}
		switch (tag) {
		case CONST_INT:
			if (!take_u64(&r, &u))
				why = "truncated constant";
			else
				p->consts[i] = vm_int((int64_t)u);
			break;
		case CONST_FLOAT:
			if (!take_u64(&r, &u)) {
				why = "truncated constant";
			} else {
				double d;
				memcpy(&d, &u, 8);
				p->consts[i] = vm_float(d);
			}
			break;
		case CONST_STR:
			if (!take_u32(&r, &slen) || slen > r.left) {
				why = "truncated string constant";
			} else {
				struct vm_str *s =
					vm_str_static((const char *)r.p, slen);
				if (!s) {
					why = "out of memory";
					break;
				}
				take(&r, NULL, slen);
				p->consts[i] = vm_obj_value(&s->h);
			}
			break;
		default:
			why = "unknown constant tag";
		}
		if (!why)
			p->nconst = i + 1;
	}
	for (uint32_t i = 0; i < ncode && !why; i++)
		if (!take_u32(&r, &p->code[i]))
			why = "truncated code";
	for (uint32_t i = 0; i < nlines && !why; i++) {
		if (!take_u32(&r, &p->lines[i].word) ||
		    !take_u32(&r, &p->lines[i].line))
			why = "truncated line table";
		else if (p->lines[i].word >= ncode ||
			 (i && p->lines[i].word <= p->lines[i - 1].word))
			why = "line table out of order";
	}
	if (!why && nconst != p->nconst)
		why = "bad constant table";
	if (!why && r.left)
		why = "trailing bytes after the line table";
	if (why) {
		/* Free only the constants that were built. */
		uint32_t built = p->nconst;
		vm_value *c = p->consts;
		p->nconst = 0;
		for (uint32_t i = 0; i < built; i++)
			if (c[i].t == VT_STR)
				vm_str_static_free(VM_STR(c[i]));
		vm_plat_free(c, nconst * sizeof(*c));
		p->consts = NULL;
		vm_program_free(p);
		set_err(err, errlen, why);
		return NULL;
	}
	return p;
}

static void put_u32(struct vm_buf *b, uint32_t v)
{
	char x[4] = { (char)v, (char)(v >> 8), (char)(v >> 16), (char)(v >> 24) };
	vm_buf_put(b, x, 4);
}

static void put_u64(struct vm_buf *b, uint64_t v)
{
	put_u32(b, (uint32_t)v);
	put_u32(b, (uint32_t)(v >> 32));
}

void vm_image_write(const struct vm_program *p, struct vm_buf *b)
{
	size_t namelen = strlen(p->name);
	if (namelen > 4096)
		namelen = 4096;
	vm_buf_put(b, VM_IMAGE_MAGIC, 4);
	char ver[4] = { VM_IMAGE_VERSION & 0xff, VM_IMAGE_VERSION >> 8, 0, 0 };
	vm_buf_put(b, ver, 4);
	put_u32(b, p->nconst);
	put_u32(b, p->ncode);
	put_u32(b, p->nlines);
	put_u32(b, (uint32_t)namelen);
	vm_buf_put(b, p->name, namelen);
	for (uint32_t i = 0; i < p->nconst; i++) {
		vm_value v = p->consts[i];
		uint64_t u;
		char tag = v.t == VT_INT ? CONST_INT :
			   v.t == VT_FLOAT ? CONST_FLOAT : CONST_STR;
		vm_buf_put(b, &tag, 1);
		if (v.t == VT_STR) {
			put_u32(b, VM_STR(v)->len);
			vm_buf_put(b, VM_STR(v)->s, VM_STR(v)->len);
		} else {
			memcpy(&u, &v.u, 8);
			put_u64(b, u);
		}
	}
	for (uint32_t i = 0; i < p->ncode; i++)
		put_u32(b, p->code[i]);
	for (uint32_t i = 0; i < p->nlines; i++) {
		put_u32(b, p->lines[i].word);
		put_u32(b, p->lines[i].line);
	}
}
