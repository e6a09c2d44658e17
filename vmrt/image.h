/*
 * The program image: a program assembled once and shipped (to a file, to the
 * microcontroller). All integers little-endian.
 *
 *   offset  size  field
 *   0       4     magic "RMVM"
 *   4       2     version (VM_IMAGE_VERSION); a loader refuses other versions
 *   6       2     flags, 0 (reserved)
 *   8       4     nconst   constants
 *   12      4     ncode    code words
 *   16      4     nlines   line table entries
 *   20      4     namelen  bytes of the source name
 *   24      namelen       source name (not NUL-terminated), used in faults
 *   then nconst constants, each a tag byte and its payload:
 *           0 int:    8 bytes, two's complement
 *           1 float:  8 bytes, IEEE 754 binary64
 *           2 string: 4 bytes length, then the bytes
 *   then ncode code words of 4 bytes (opcodes.h)
 *   then nlines pairs (4 bytes code word, 4 bytes source line), words strictly
 *   increasing; an instruction's line is that of the last entry at or before it
 *
 * Nothing may follow. The loader checks every length against the bytes it has
 * before reading, so a truncated or hostile image is refused with a reason,
 * never read past; the verifier (program.h) then checks the code.
 */
#ifndef VMRT_IMAGE_H
#define VMRT_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "program.h"
#include "repr.h"

#define VM_IMAGE_MAGIC "RMVM"
#define VM_IMAGE_VERSION 1
/* Loader limits: far above any real program, below any overflow. */
#define VM_IMAGE_MAX_WORDS (1u << 24)
#define VM_IMAGE_MAX_CONSTS (1u << 22)

bool vm_image_is_image(const void *data, size_t len);
/* NULL and a reason in err when the image is malformed or memory is short. */
struct vm_program *vm_image_load(const void *data, size_t len, char *err,
				 size_t errlen);
/* Appends the image of p to b (check b->oom). */
void vm_image_write(const struct vm_program *p, struct vm_buf *b);

#endif
