#include "load.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../asm.h"
#include "../image.h"

char *vm_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	while (buf) {
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (n < cap) {
			if (ferror(f)) {
				free(buf);
				buf = NULL;
			}
			break;
		}
		char *nb = realloc(buf, cap * 2);
		if (!nb) {
			free(buf);
			buf = NULL;
			errno = ENOMEM;
			break;
		}
		buf = nb;
		cap *= 2;
	}
	fclose(f);
	*len = n;
	return buf;
}

static void to_stderr(void *ctx, const char *line)
{
	(void)ctx;
	fprintf(stderr, "%s\n", line);
}

struct vm_program *vm_load_program_mem(const char *name, const char *data,
				       size_t len)
{
	struct vm_program *p;
	char err[200];
	if (vm_image_is_image(data, len)) {
		p = vm_image_load(data, len, err, sizeof(err));
		if (!p) {
			fprintf(stderr, "%s: bad image: %s\n", name, err);
			return NULL;
		}
	} else {
		p = vm_asm(name, data, len, to_stderr, NULL);
		if (!p)
			return NULL;
	}
	if (!vm_program_prepare(p, err, sizeof(err))) {
		fprintf(stderr, "%s: rejected by the verifier: %s\n", name, err);
		vm_program_free(p);
		return NULL;
	}
	return p;
}

struct vm_program *vm_load_program(const char *path)
{
	size_t len;
	char *data = vm_read_file(path, &len);
	if (!data) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return NULL;
	}
	struct vm_program *p = vm_load_program_mem(path, data, len);
	free(data);
	return p;
}
