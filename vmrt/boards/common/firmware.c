/* The rMach firmware: runs the bytecode images linked into it, then loads more
 * over the UART (frames in vm_board.h). The same vmrt and core sources as the
 * hosted rmach-vm; only this file and the board layer differ. */
#include <stdint.h>

#include "board.h"
#include "console.h"
#include "heap.h"
#include "image.h"
#include "platform.h"
#include "startup.h"
#include "systick.h"
#include "vm.h"
#include "vm_board.h"

extern char __heap_start[], __heap_end[];

/* The hosted defaults unless a FRAME_CONFIG says otherwise: the limits only cap
 * a process, and the board's heap runs out first; keeping them makes faults
 * read exactly as on the host. */
static struct vm_config config;

#define MAX_PROCS 16	/* tests/bare/conformance knows this figure */

struct run {
	struct vm_program *prog[MAX_PROCS];
	uint8_t prio[MAX_PROCS];
	unsigned n;
};

static void say(const char *a, const char *b)
{
	console_puts(a);
	console_puts(b);
	console_putc('\n');
}

static int add_process(struct run *run, const uint8_t *image, uint32_t len, unsigned prio)
{
	char err[80];
	if (run->n == MAX_PROCS) {
		say("rmach: too many processes", "");
		return -1;
	}
	if (prio >= VM_NPRIO) {
		say("rmach: priority out of range", "");
		return -1;
	}
	struct vm_program *p = vm_image_load(image, len, err, sizeof err);
	if (!p) {
		say("rmach: image refused: ", err);
		return -1;
	}
	if (!vm_program_prepare(p, err, sizeof err)) {
		say("rmach: program refused: ", err);
		vm_program_free(p);
		return -1;
	}
	run->prog[run->n] = p;
	run->prio[run->n++] = (uint8_t)prio;
	return 0;
}

/* Two ticks end the running slice at its next charge point (vmrt/platform.h). */
static void on_tick(void)
{
	if (vm_plat_ticks_in_slice < 2)
		vm_plat_ticks_in_slice++;
}

/* Runs the processes to the end; the status rmach-vm would exit with. */
static int run_all(struct run *run)
{
	int status = 0;
	struct vm_rt *rt = vm_rt_new(&config);
	if (!rt) {
		say("rmach: out of memory", "");
		status = 1;
	} else {
		for (unsigned i = 0; i < run->n; i++) {
			if (!vm_spawn(rt, run->prog[i], run->prio[i])) {
				say("rmach: out of memory", "");
				status = 1;
			}
		}
		unsigned refused = heap_refused();
		vm_rt_run(rt);
		if (rt->nfaulted)
			status = 1;
		vm_rt_free(rt);
		/* A fault message needs memory too: say why it may be missing. */
		if (heap_refused() != refused) {
			console_puts("rmach: out of memory: ");
			console_putu(heap_refused() - refused);
			console_puts(" allocations refused\n");
			status = 1;
		}
	}
	for (unsigned i = 0; i < run->n; i++)
		vm_program_free(run->prog[i]);
	run->n = 0;
	return status;
}

static uint8_t uart_byte(void)
{
	int c;
	/* Polled: at 115200 baud a byte comes every 87 us, sooner than a tick
	 * would wake wfi, and the UARTs keep only a few bytes. */
	while ((c = board_getc()) < 0)
		;
	return (uint8_t)c;
}

static uint32_t uart_u32(void)
{
	uint32_t v = 0;
	for (int i = 0; i < 4; i++)
		v |= (uint32_t)uart_byte() << (8 * i);
	return v;
}

static uint32_t le32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint32_t fnv1a(const uint8_t *p, uint32_t n)
{
	uint32_t h = 0x811C9DC5u;
	while (n--)
		h = (h ^ *p++) * 0x01000193u;
	return h;
}

/* Receives frames until FRAME_EXIT; returns the status of the last run. */
static int uart_loader(struct run *run)
{
	int status = 0;
	for (;;) {
		uint8_t kind = uart_byte();
		uint32_t len = uart_u32();
		uint8_t *buf = len ? heap_alloc(len) : 0;
		for (uint32_t i = 0; i < len; i++) {
			uint8_t b = uart_byte();
			if (buf)
				buf[i] = b;	/* too big: drain it, then refuse */
		}
		uint32_t sum = uart_u32();
		if (len && !buf) {
			say("rmach: no room for the image", "");
			status = 1;
		} else if (fnv1a(buf, len) != sum) {
			say("rmach: frame checksum mismatch", "");
			status = 1;
		} else if (kind == FRAME_PROCESS && len > 1) {
			if (add_process(run, buf + 1, len - 1, buf[0]))
				status = 1;
		} else if (kind == FRAME_CONFIG && len == 16) {
			config.heap_limit = le32(buf);
			config.stack_limit = le32(buf + 4);
			config.msg_limit = le32(buf + 8);
			config.port_limit = le32(buf + 12);
		} else if (kind == FRAME_RUN) {
			status = run_all(run) | status;
		} else if (kind == FRAME_EXIT) {
			heap_free(buf, len);
			return status;
		} else {
			say("rmach: unknown frame", "");
			status = 1;
		}
		heap_free(buf, len);
	}
}

int main(void)
{
	struct run run = { .n = 0 };
	int status = 0;
	heap_init(__heap_start, __heap_end);
	systick_start(VM_BOARD_TICK_HZ, on_tick);
	for (uint32_t i = 0; i < vm_linked_image_count; i++)
		if (add_process(&run, vm_linked_images[i].data, vm_linked_images[i].len, VM_DEFAULT_PRIO))
			status = 1;
	if (run.n)
		status |= run_all(&run);
	return uart_loader(&run) | status;
}
