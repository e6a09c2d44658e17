/* Hosted helpers shared by the CLI, the tests and the benchmarks: read a
 * file, assemble or load it, prepare it. */
#ifndef VMRT_HOSTED_LOAD_H
#define VMRT_HOSTED_LOAD_H

#include <stddef.h>

#include "../program.h"

/* Reads a whole file (NULL and errno on failure). */
char *vm_read_file(const char *path, size_t *len);
/* .rasm text or an image (by its magic) -> prepared program; diagnostics on
 * stderr; NULL on any error. */
struct vm_program *vm_load_program(const char *path);
/* Same from memory. */
struct vm_program *vm_load_program_mem(const char *name, const char *data,
				       size_t len);

#endif
