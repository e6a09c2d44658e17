/* rmach-vm: run, assemble and disassemble rMach bytecode. See usage(). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../hosted/kport.h"
#include "../hosted/load.h"
#include "../image.h"
#include "../interp.h"
#include "../repr.h"
#include "../vm.h"

static void usage(FILE *f)
{
	fprintf(f,
"usage: rmach-vm run [options] PROG[@PRIO][*COUNT] ...\n"
"       rmach-vm asm PROG.rasm [-o PROG.rmi]\n"
"       rmach-vm dis PROG.rasm|PROG.rmi\n"
"       rmach-vm --help\n"
"\n"
"run     runs each PROG (.rasm source or .rmi image) as a process, COUNT\n"
"        copies of it (default 1), at priority PRIO: 0 is the most important,\n"
"        %d the least, default %d. Quote '*': prog.rasm'*'100.\n"
"        Output of PRINT goes to stdout; faults, --trace and --stats to stderr.\n"
"  --trace             scheduling and message events, one per line:\n"
"                      vm:sched_switch pid=1 prio=16 slice=4100 ...\n"
"                      rmach:rmach_msg_send pid=1 dest=256 reply=0 ...\n"
"                      (the kernel's tracepoint names and fields, see\n"
"                      docs/tracing.md: rmach_port_create rmach_msg_send\n"
"                      rmach_msg_receive rmach_handoff; VM-only: vm:sched_switch\n"
"                      vm:sched_block vm:sched_wakeup vm:proc_exit)\n"
"  --stats             per process figures when it ends: instructions,\n"
"                      reductions, slices, messages, handoffs, heap bytes\n"
"  --switch            use the switch-dispatched interpreter (the one\n"
"                      --stats uses; for testing both)\n"
"  --kernel-ports      REGISTER/LOOKUP also reach the kernel registry, so\n"
"                      other OS processes (rmach-vm or libmach programs)\n"
"                      can be called and can call (default when /dev/rmach\n"
"                      exists; fails if it cannot be opened)\n"
"  --no-kernel-ports   ports stay inside this process\n"
"  --heap-limit BYTES  heap per process (default %u)\n"
"  --msg-limit BYTES   serialised message size (default %u)\n"
"  --port-limit N      ports a process may create (default %u)\n"
"asm     writes the image (default: PROG with .rmi instead of .rasm)\n"
"dis     lists an image or a source: word, instruction, operand, line, and\n"
"        the fused form the interpreter runs\n"
"\n"
"Exit status: 0 when every process halted (or waits forever for a message),\n"
"1 when a process faulted, 2 on bad usage or a program that does not load.\n"
"Language: DESIGN.md section 3 and vmrt/README.md.\n",
		VM_NPRIO - 1, VM_DEFAULT_PRIO, VM_DEFAULT_HEAP_LIMIT,
		VM_DEFAULT_MSG_LIMIT, VM_DEFAULT_PORT_LIMIT);
}

/* --heap-limit cap: 1 TiB, or all that a 32-bit unsigned long holds. */
#if ULONG_MAX > 0xffffffffUL
#define HEAP_LIMIT_MAX (1ul << 40)
#else
#define HEAP_LIMIT_MAX ULONG_MAX
#endif

static bool parse_u(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v > max || s[0] == '-')
		return false;
	*out = v;
	return true;
}

static int cmd_run(int argc, char **argv)
{
	struct vm_config cfg = { 0 };
	enum { KPORTS_AUTO, KPORTS_ON, KPORTS_OFF } kports = KPORTS_AUTO;
	int i = 0;
	for (; i < argc && argv[i][0] == '-'; i++) {
		unsigned long v;
		if (!strcmp(argv[i], "--trace")) {
			cfg.trace = true;
		} else if (!strcmp(argv[i], "--stats")) {
			cfg.stats = true;
		} else if (!strcmp(argv[i], "--switch")) {
			cfg.count_insns = true;
		} else if (!strcmp(argv[i], "--kernel-ports")) {
			kports = KPORTS_ON;
		} else if (!strcmp(argv[i], "--no-kernel-ports")) {
			kports = KPORTS_OFF;
		} else if (!strcmp(argv[i], "--heap-limit") && i + 1 < argc &&
			   parse_u(argv[i + 1], HEAP_LIMIT_MAX, &v)) {
			cfg.heap_limit = v;
			i++;
		} else if (!strcmp(argv[i], "--port-limit") && i + 1 < argc &&
			   parse_u(argv[i + 1], 1u << 24, &v) && v >= 1) {
			cfg.port_limit = (uint32_t)v;
			i++;
		} else if (!strcmp(argv[i], "--msg-limit") && i + 1 < argc &&
			   parse_u(argv[i + 1], 1u << 24, &v) && v >= 16) {
			cfg.msg_limit = (uint32_t)v;
			i++;
		} else {
			fprintf(stderr, "rmach-vm run: bad option '%s'\n", argv[i]);
			return 2;
		}
	}
	if (i == argc) {
		fprintf(stderr, "rmach-vm run: no program given\n");
		return 2;
	}
	int nprog = argc - i;
	struct vm_program **progs = calloc((size_t)nprog, sizeof(*progs));
	unsigned *prio = calloc((size_t)nprog, sizeof(*prio));
	unsigned long *count = calloc((size_t)nprog, sizeof(*count));
	int status = 2;
	struct vm_rt *rt = NULL;
	if (!progs || !prio || !count)
		goto out;
	for (int k = 0; k < nprog; k++) {
		char *arg = strdup(argv[i + k]);
		if (!arg)
			goto out;
		prio[k] = VM_DEFAULT_PRIO;
		count[k] = 1;
		char *star = strrchr(arg, '*');
		if (star) {
			*star = 0;
			if (!parse_u(star + 1, 1000000, &count[k])) {
				fprintf(stderr, "rmach-vm: bad count in '%s'\n", argv[i + k]);
				free(arg);
				goto out;
			}
		}
		char *at = strrchr(arg, '@');
		if (at) {
			unsigned long v;
			*at = 0;
			if (!parse_u(at + 1, VM_NPRIO - 1, &v)) {
				fprintf(stderr, "rmach-vm: bad priority in '%s' (0..%d)\n",
					argv[i + k], VM_NPRIO - 1);
				free(arg);
				goto out;
			}
			prio[k] = (unsigned)v;
		}
		progs[k] = vm_load_program(arg);
		free(arg);
		if (!progs[k])
			goto out;
	}
	rt = vm_rt_new(&cfg);
	if (!rt) {
		fprintf(stderr, "rmach-vm: out of memory\n");
		goto out;
	}
	if (kports == KPORTS_ON ||
	    (kports == KPORTS_AUTO && vm_kport_available()))
		if (!vm_kport_attach(rt))
			goto out;
	for (int k = 0; k < nprog; k++)
		for (unsigned long c = 0; c < count[k]; c++)
			if (!vm_spawn(rt, progs[k], prio[k])) {
				fprintf(stderr, "rmach-vm: cannot start %s: out of memory\n",
					progs[k]->name);
				goto out;
			}
	vm_rt_run(rt);
	fflush(stdout);
	status = rt->nfaulted ? 1 : 0;
out:
	vm_rt_free(rt);
	for (int k = 0; progs && k < nprog; k++)
		vm_program_free(progs[k]);
	free(progs);
	free(prio);
	free(count);
	return status;
}

static int cmd_asm(int argc, char **argv)
{
	const char *in = NULL, *out = NULL;
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "-o") && i + 1 < argc)
			out = argv[++i];
		else if (!in)
			in = argv[i];
		else {
			usage(stderr);
			return 2;
		}
	}
	if (!in) {
		usage(stderr);
		return 2;
	}
	char *def = NULL;
	if (!out) {
		size_t n = strlen(in);
		def = malloc(n + 5);
		if (!def)
			return 2;
		memcpy(def, in, n + 1);
		if (n > 5 && !strcmp(def + n - 5, ".rasm"))
			def[n - 5] = 0;
		strcat(def, ".rmi");
		out = def;
	}
	struct vm_program *p = vm_load_program(in);
	int status = 2;
	if (p) {
		struct vm_buf b = { 0 };
		vm_image_write(p, &b);
		FILE *f = fopen(out, "wb");
		if (!f || b.oom || fwrite(b.p, 1, b.n, f) != b.n || fclose(f)) {
			fprintf(stderr, "rmach-vm asm: cannot write %s: %s\n", out,
				strerror(errno));
			f = NULL;
		} else {
			status = 0;
		}
		vm_buf_free(&b);
		vm_program_free(p);
	}
	free(def);
	return status;
}

static void print_const(const struct vm_program *p, uint32_t k)
{
	struct vm_buf b = { 0 };
	vm_format_repr(&b, p->consts[k]);
	if (!b.oom)
		printf("%.*s", (int)b.n, b.p);
	vm_buf_free(&b);
}

static int cmd_dis(int argc, char **argv)
{
	if (argc != 1) {
		usage(stderr);
		return 2;
	}
	struct vm_program *p = vm_load_program(argv[0]);
	if (!p)
		return 2;
	printf("; %s: %u words, %u constants, %u variables, stack %s%u\n", p->name,
	       p->ncode, p->nconst, p->nvars, p->stack_bounded ? "" : ">= ",
	       p->max_stack);
	for (uint32_t i = 0; i + 1 < p->ninsns; i++) {
		const struct vm_insn *in = &p->insns[i];
		uint32_t w = in->word;
		uint32_t op = p->code[w];
		printf("%6u  ", w);
		if (in->hid == VM_H_BADOP) {
			printf("?%-11u", op);
		} else {
			printf("%-12s", vm_opinfo[op].name);
			if (vm_op_words((int)op) == 2) {
				uint32_t a = p->code[w + 1];
				if (vm_opinfo[op].operand == VM_OPERAND_J)
					printf("%u", a);
				else if (vm_opinfo[op].operand == VM_OPERAND_V)
					printf("%s", VM_STR(p->consts[a])->s);
				else
					print_const(p, a);
			}
		}
		printf("\t; line %u", vm_program_line(p, w));
		if (in->hid != in->op || in->hid == VM_H_BADOP)
			printf(" [%s]", vm_handler_name(in->hid));
		printf("\n");
	}
	vm_program_free(p);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 2, argv + 2);
	if (!strcmp(argv[1], "asm"))
		return cmd_asm(argc - 2, argv + 2);
	if (!strcmp(argv[1], "dis"))
		return cmd_dis(argc - 2, argv + 2);
	fprintf(stderr, "rmach-vm: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
