/* libFuzzer: any bytes as .rasm source. The assembler must never crash; what
 * it accepts must verify, write an image that loads back identically, and
 * run (bounded) without crashing. */
#include <stdint.h>
#include <string.h>

#include "asm.h"
#include "image.h"
#include "vm.h"

static void quiet(void *ctx, const char *line)
{
	(void)ctx;
	(void)line;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vm_program *p = vm_asm("f.rasm", (const char *)data, size, quiet, NULL);
	if (!p)
		return 0;
	char err[100];
	if (!vm_program_prepare(p, err, sizeof(err)))
		__builtin_trap(); /* the assembler's output must verify */
	struct vm_buf b = { 0 };
	vm_image_write(p, &b);
	struct vm_program *q = vm_image_load(b.p, b.n, err, sizeof(err));
	if (!q)
		__builtin_trap();
	struct vm_buf b2 = { 0 };
	vm_image_write(q, &b2);
	if (b2.n != b.n || memcmp(b.p, b2.p, b.n))
		__builtin_trap();
	vm_buf_free(&b);
	vm_buf_free(&b2);
	vm_program_free(q);
	struct vm_config cfg = { .heap_limit = 1 << 16, .msg_limit = 256,
				 .port_limit = 64, .max_slices = 64 };
	struct vm_rt *rt = vm_rt_new(&cfg);
	if (rt) {
		vm_spawn(rt, p, 10);
		vm_spawn(rt, p, 20);
		vm_rt_run(rt);
		vm_rt_free(rt);
	}
	vm_program_free(p);
	return 0;
}
