// SPDX-License-Identifier: MIT
/*
 * rmach-fuzz - a stateful multi-process fuzzer of /dev/rmach (ioctls and
 * io_uring commands), with fault injection and kill storms. README.md in
 * this directory says how to run it and how to replay a seed.
 *
 * main.c is the supervisor: it lowers the module's caps so they are hit,
 * turns fault injection on, forks the workers, kills (and stops) them at
 * random and starts new incarnations, watches that every worker makes
 * progress and dies when killed, and at the end stops everything, puts the
 * module's parameters and the fault knobs back, waits for the debugfs
 * counters to return to their values from before the run and prints what
 * it did: calls, calls/s, faults injected, kills.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include "fuzz.h"

const char *fz_prog = "rmach-fuzz";

#define RM_DEBUGFS	"/sys/kernel/debug/rmach/"
#define RM_PARAMS	"/sys/module/rmach/parameters/"

static const char *const fz_counters[] = {
	"spaces", "ports", "port_sets", "rights", "queued_msgs",
	"queued_bytes", "registry", "users",
};
#define FZ_NCOUNTERS (sizeof(fz_counters) / sizeof(fz_counters[0]))

static void usage(int status)
{
	fprintf(status ? stderr : stdout,
"usage: %s [options]\n"
"  -s, --seed N        seed (default: from the clock; printed)\n"
"  -p, --procs N       worker processes (default 4, at most %d)\n"
"  -t, --threads N     threads per worker (default 3, at most %d)\n"
"  -d, --duration S    seconds to run (default 30; 0 with -n: no limit)\n"
"  -n, --calls N       stop after N calls\n"
"  -k, --kill-ms MS    mean time between SIGKILLs of a worker (default 400;\n"
"                      0: no kill storm)\n"
"  -f, --fault MODE    none, nth, rate, all, or auto (default: all when the\n"
"                      kernel has fault injection, else none)\n"
"      --nth-pct N     calls with a fail-nth fault armed (default 10)\n"
"      --rate-pct N    failslab/fail_page_alloc probability (default 1)\n"
"  -w, --watchdog S    a call longer than S seconds is a hang (default 60)\n"
"      --no-small-limits  keep the module's caps as they are\n"
"      --no-mixed-uids    run every worker as root\n"
"      --tap           TAP on stdout (guest test)\n"
"      --trace         every call on stderr (replaying a seed); twice:\n"
"                      each ioctl also before it is made\n"
"      --no-noise      no random signals (with -p 1 -t 1 -k 0 -f nth: the\n"
"                      same seed makes the same calls)\n"
"  -v, --verbose\n",
		fz_prog, FZ_MAX_PROCS, FZ_MAX_THREADS);
	exit(status);
}

static int fz_parse_fault(const char *s, unsigned int *out, bool *auto_mode)
{
	*auto_mode = false;
	if (!strcmp(s, "none"))
		*out = 0;
	else if (!strcmp(s, "nth"))
		*out = FZ_FAULT_NTH;
	else if (!strcmp(s, "rate"))
		*out = FZ_FAULT_RATE;
	else if (!strcmp(s, "all"))
		*out = FZ_FAULT_NTH | FZ_FAULT_RATE;
	else if (!strcmp(s, "auto"))
		*auto_mode = true;
	else
		return -1;
	return 0;
}

/* --- module state around the run ----------------------------------------- */

static long long fz_read_ll(const char *path)
{
	char buf[64];
	long long v = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	if (fgets(buf, sizeof(buf), f))
		v = atoll(buf);
	fclose(f);
	return v;
}

static void fz_write_ll(const char *path, long long v)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return;
	fprintf(f, "%lld\n", v);
	fclose(f);
}

static void fz_counters_read(long long *v)
{
	char path[128];
	unsigned int i;

	for (i = 0; i < FZ_NCOUNTERS; i++) {
		snprintf(path, sizeof(path), RM_DEBUGFS "%s", fz_counters[i]);
		v[i] = fz_read_ll(path);
	}
}

struct fz_param {
	const char *name;
	long long small;	/* value for the run; computed when 0 */
	long long old;
};

static struct fz_param fz_params[] = {
	{ .name = "space_ports", .small = 512 },
	{ .name = "space_msgs", .small = 96 },
	{ .name = "space_bytes", .small = 1 << 20 },
	{ .name = "user_ports", .small = 65536 },
	{ .name = "user_msgs", .small = 1024 },
	{ .name = "user_bytes", .small = 8 << 20 },
	{ .name = "user_spaces", .small = 0 },
	{ .name = "registry_per_user", .small = 16 },
};
#define FZ_NPARAMS (sizeof(fz_params) / sizeof(fz_params[0]))

/* Caps low enough that ENOSPC, ENOBUFS, EDQUOT and EMFILE really happen. */
static void fz_params_set(const struct fz_opts *o)
{
	char path[128];
	unsigned int i;

	for (i = 0; i < FZ_NPARAMS; i++) {
		struct fz_param *pa = &fz_params[i];

		snprintf(path, sizeof(path), RM_PARAMS "%s", pa->name);
		pa->old = fz_read_ll(path);
		if (pa->old < 0)
			continue;
		if (!pa->small)	/* user_spaces: a worker needs threads + 1 */
			pa->small = (long long)o->procs * (o->threads + 3);
		fz_write_ll(path, pa->small);
	}
}

static void fz_params_restore(void)
{
	char path[128];
	unsigned int i;

	for (i = 0; i < FZ_NPARAMS; i++) {
		if (fz_params[i].old < 0)
			continue;
		snprintf(path, sizeof(path), RM_PARAMS "%s", fz_params[i].name);
		fz_write_ll(path, fz_params[i].old);
	}
}

/* Every thread's kernel stack and wait channel: what a hang is stuck in. */
static void fz_dump_stacks(pid_t pid)
{
	char path[384], buf[4096];
	struct dirent *de;
	DIR *d;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	d = opendir(path);
	if (!d)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%s/stack",
			 (int)pid, de->d_name);
		fprintf(stderr, "rmach-fuzz: task %s of %d:\n", de->d_name,
			(int)pid);
		f = fopen(path, "r");
		if (!f)
			continue;
		n = fread(buf, 1, sizeof(buf) - 1, f);
		buf[n] = 0;
		fclose(f);
		fputs(buf, stderr);
	}
	closedir(d);
}

/* --- the supervisor ------------------------------------------------------ */

struct fz_run {
	struct fz_opts o;
	struct fz_shared *sh;
	struct fz_rng rng;
	pid_t pid[FZ_MAX_PROCS];
	uint64_t killed_at[FZ_MAX_PROCS];	/* ms, 0 = not killed */
	uint64_t stopped_at[FZ_MAX_PROCS];	/* SIGSTOPped until (ms) */
	bool failed;
	char why[1024];
	pid_t self;
};

static void fz_run_fail(struct fz_run *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void fz_run_fail(struct fz_run *r, const char *fmt, ...)
{
	va_list ap;

	if (r->failed)
		return;
	r->failed = true;
	va_start(ap, fmt);
	vsnprintf(r->why, sizeof(r->why), fmt, ap);
	va_end(ap);
	fprintf(stderr, "rmach-fuzz: FAIL %s\n", r->why);
}

static void fz_spawn(struct fz_run *r, unsigned int slot)
{
	struct fz_slot *s = &r->sh->slot[slot];
	uint32_t inc = atomic_load(&s->inc) + 1;
	pid_t pid;

	atomic_store(&s->inc, inc);
	atomic_store(&s->beat, fz_now_ms());
	for (;;) {
		pid = fork();
		if (pid >= 0)
			break;
		usleep(10000);
	}
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != r->self)
			_exit(1);
		_exit(fz_worker_main(&r->o, r->sh, slot, inc));
	}
	atomic_store(&s->pid, pid);
	r->pid[slot] = pid;
	r->killed_at[slot] = 0;
	r->stopped_at[slot] = 0;
}

static uint64_t fz_total_calls(struct fz_shared *sh)
{
	uint64_t n = 0;
	unsigned int i, j;

	for (i = 0; i < FZ_MAX_PROCS; i++)
		for (j = 0; j <= FZ_MAX_THREADS; j++)
			n += atomic_load_explicit(&sh->counts[i][j].calls,
						  memory_order_relaxed);
	return n;
}

/* One worker ended: judge how, record the death, start the next one. */
static void fz_reaped(struct fz_run *r, unsigned int slot, int status,
		      bool stopping)
{
	struct fz_slot *s = &r->sh->slot[slot];
	bool ours = r->killed_at[slot] != 0;

	r->pid[slot] = 0;
	atomic_store(&s->pid, 0);
	atomic_store(&s->dead_inc, atomic_load(&s->inc));
	if (WIFEXITED(status) && WEXITSTATUS(status) == FZ_EXIT_FAIL)
		fz_run_fail(r, "worker %u: %s", slot,
			    r->sh->failure[0] ? r->sh->failure : "failed");
	else if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
		fz_run_fail(r, "worker %u exited with %d", slot,
			    WEXITSTATUS(status));
	else if (WIFSIGNALED(status) && (r->o.fault & FZ_FAULT_RATE) &&
		 (WTERMSIG(status) == SIGSEGV || WTERMSIG(status) == SIGBUS))
		/*
		 * Random allocation failures hit the worker's own memory too (a
		 * stack that cannot grow is a SIGSEGV): not the module's doing.
		 * Runs without the rate mode keep this a failure.
		 */
		atomic_fetch_add(&r->sh->casualties, 1);
	else if (WIFSIGNALED(status) &&
		 !(WTERMSIG(status) == SIGKILL && (ours || stopping)))
		fz_run_fail(r, "worker %u died of signal %d (%s)", slot,
			    WTERMSIG(status), strsignal(WTERMSIG(status)));
	else if (WIFEXITED(status) && !stopping)
		fz_run_fail(r, "worker %u exited before the end", slot);
	if (!stopping && !r->failed)
		fz_spawn(r, slot);
}

static int fz_slot_of(struct fz_run *r, pid_t pid)
{
	unsigned int i;

	for (i = 0; i < r->o.procs; i++)
		if (r->pid[i] == pid)
			return (int)i;
	return -1;
}

static void fz_reap_all(struct fz_run *r, bool stopping)
{
	int status, slot;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		slot = fz_slot_of(r, pid);
		if (slot >= 0)
			fz_reaped(r, (unsigned int)slot, status, stopping);
	}
}

/* Kill storm: SIGKILL (mostly) or a short SIGSTOP of a random worker. */
static void fz_storm(struct fz_run *r, uint64_t now)
{
	unsigned int slot = fz_below(&r->rng, r->o.procs);
	pid_t pid = r->pid[slot];

	if (!pid || r->killed_at[slot])
		return;
	if (r->stopped_at[slot]) {
		kill(pid, SIGCONT);
		r->stopped_at[slot] = 0;
	}
	if (fz_one_in(&r->rng, 8)) {
		kill(pid, SIGSTOP);
		r->stopped_at[slot] = now + fz_range(&r->rng, 20, 200);
		atomic_fetch_add(&r->sh->stops, 1);
		return;
	}
	kill(pid, SIGKILL);
	r->killed_at[slot] = now;
	atomic_fetch_add(&r->sh->kills, 1);
}

/* Workers must die when killed and show progress while alive. */
static void fz_supervise(struct fz_run *r, uint64_t now)
{
	uint64_t limit = 1000ull * r->o.watchdog_s;
	unsigned int i;

	for (i = 0; i < r->o.procs; i++) {
		if (!r->pid[i])
			continue;
		if (r->stopped_at[i] && now >= r->stopped_at[i]) {
			kill(r->pid[i], SIGCONT);
			r->stopped_at[i] = 0;
		}
		if (r->killed_at[i] && now > r->killed_at[i] + limit) {
			fz_run_fail(r, "worker %u (pid %d) SIGKILLed %llu s ago and still not dead",
				    i, (int)r->pid[i],
				    (unsigned long long)(now - r->killed_at[i]) / 1000);
			fz_dump_stacks(r->pid[i]);
		}
		if (!r->killed_at[i] && !r->stopped_at[i] &&
		    now > atomic_load(&r->sh->slot[i].beat) + limit + 10000) {
			fz_run_fail(r, "worker %u (pid %d) made no progress for %u s",
				    i, (int)r->pid[i], r->o.watchdog_s + 10);
			fz_dump_stacks(r->pid[i]);
		}
	}
}

/* Stops every worker: they finish their calls, else they are killed. */
static void fz_stop_all(struct fz_run *r)
{
	uint64_t until = fz_now_ms() + 1000ull * r->o.watchdog_s + 10000;
	bool killed = false;
	unsigned int i, left;

	atomic_store(&r->sh->stop, 1);
	for (i = 0; i < r->o.procs; i++)
		if (r->pid[i] && r->stopped_at[i])
			kill(r->pid[i], SIGCONT);
	for (;;) {
		fz_reap_all(r, true);
		for (i = 0, left = 0; i < r->o.procs; i++)
			left += r->pid[i] != 0;
		if (!left)
			return;
		if (fz_now_ms() > until) {
			if (killed) {
				fz_run_fail(r, "%u workers did not die after SIGKILL",
					    left);
				for (i = 0; i < r->o.procs; i++)
					if (r->pid[i])
						fz_dump_stacks(r->pid[i]);
				return;
			}
			fz_run_fail(r, "%u workers did not stop within %u s",
				    left, r->o.watchdog_s + 10);
			for (i = 0; i < r->o.procs; i++) {
				if (!r->pid[i])
					continue;
				fz_dump_stacks(r->pid[i]);
				kill(r->pid[i], SIGKILL);
				r->killed_at[i] = fz_now_ms();
			}
			killed = true;
			until = fz_now_ms() + 60000;
		}
		usleep(20000);
	}
}

/* --- the report ----------------------------------------------------------- */

struct fz_sum {
	uint64_t calls, injected, armed, checks;
	uint64_t op[FZ_NOPS], ok[FZ_NOPS], err[136];
};

static void fz_sum(struct fz_shared *sh, struct fz_sum *s)
{
	unsigned int i, j, k;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < FZ_MAX_PROCS; i++) {
		for (j = 0; j <= FZ_MAX_THREADS; j++) {
			struct fz_counts *c = &sh->counts[i][j];

			s->calls += atomic_load(&c->calls);
			s->injected += atomic_load(&c->injected);
			s->armed += atomic_load(&c->armed);
			s->checks += atomic_load(&c->checks);
			for (k = 0; k < FZ_NOPS; k++) {
				s->op[k] += atomic_load(&c->op[k]);
				s->ok[k] += atomic_load(&c->ok[k]);
			}
			for (k = 0; k < 136; k++)
				s->err[k] += atomic_load(&c->err[k]);
		}
	}
}

static const char *fz_fault_name(unsigned int f)
{
	return f == (FZ_FAULT_NTH | FZ_FAULT_RATE) ? "all" :
	       f == FZ_FAULT_NTH ? "nth" : f == FZ_FAULT_RATE ? "rate" : "none";
}

static void fz_report(struct fz_run *r, const struct fz_sum *s, double secs,
		      uint64_t slab_fails, uint64_t page_fails)
{
	FILE *out = r->o.tap ? stderr : stdout;
	struct fz_shared *sh = r->sh;
	unsigned int i;

	fprintf(out, "rmach-fuzz: seed %llu, %u processes x %u threads, fault %s (nth %u%%, rate %u%%), kill every ~%u ms\n",
		(unsigned long long)r->o.seed, r->o.procs, r->o.threads,
		fz_fault_name(r->o.fault), r->o.nth_pct,
		r->o.fault & FZ_FAULT_RATE ? r->o.rate_pct : 0, r->o.kill_ms);
	fprintf(out, "rmach-fuzz: %llu calls in %.1f s: %.0f calls/s\n",
		(unsigned long long)s->calls, secs,
		secs > 0 ? (double)s->calls / secs : 0.0);
	fprintf(out, "rmach-fuzz: faults: fail-nth armed %llu, fired %llu; failslab %llu, fail_page_alloc %llu\n",
		(unsigned long long)s->armed, (unsigned long long)s->injected,
		(unsigned long long)slab_fails, (unsigned long long)page_fails);
	fprintf(out, "rmach-fuzz: kills %llu, stops %llu, forks %llu (killed %llu), ring cycles %llu, space swaps %llu, dead-name checks %llu (rights gone %llu), checks %llu, workers lost to injected faults %llu\n",
		(unsigned long long)atomic_load(&sh->kills),
		(unsigned long long)atomic_load(&sh->stops),
		(unsigned long long)atomic_load(&sh->forks),
		(unsigned long long)atomic_load(&sh->child_kills),
		(unsigned long long)atomic_load(&sh->ring_cycles),
		(unsigned long long)atomic_load(&sh->space_swaps),
		(unsigned long long)atomic_load(&sh->dead_checked),
		(unsigned long long)atomic_load(&sh->peer_gone),
		(unsigned long long)s->checks,
		(unsigned long long)atomic_load(&sh->casualties));
	if (r->o.verbose || r->o.tap) {
		for (i = 0; i < FZ_NOPS; i++)
			fprintf(out, "rmach-fuzz:   %-15s %10llu calls, %5.1f%% ok\n",
				fz_op_names[i], (unsigned long long)s->op[i],
				s->op[i] ? 100.0 * (double)s->ok[i] /
					   (double)s->op[i] : 0.0);
		for (i = 1; i < 136; i++)
			if (s->err[i])
				fprintf(out, "rmach-fuzz:   errno %-3u %-12s %10llu\n",
					i, strerror((int)i),
					(unsigned long long)s->err[i]);
	}
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "procs", required_argument, NULL, 'p' },
		{ "threads", required_argument, NULL, 't' },
		{ "duration", required_argument, NULL, 'd' },
		{ "calls", required_argument, NULL, 'n' },
		{ "kill-ms", required_argument, NULL, 'k' },
		{ "fault", required_argument, NULL, 'f' },
		{ "nth-pct", required_argument, NULL, 'N' },
		{ "rate-pct", required_argument, NULL, 'R' },
		{ "watchdog", required_argument, NULL, 'w' },
		{ "no-small-limits", no_argument, NULL, 'L' },
		{ "no-mixed-uids", no_argument, NULL, 'U' },
		{ "tap", no_argument, NULL, 'T' },
		{ "trace", no_argument, NULL, 'X' },
		{ "no-noise", no_argument, NULL, 'Q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static struct fz_run run;
	struct fz_run *r = &run;
	struct fz_opts *o = &r->o;
	long long base[FZ_NCOUNTERS], now_c[FZ_NCOUNTERS];
	uint64_t start, now, next_kill, next_report, slab = 0, page = 0;
	bool auto_fault = true, have_counters, same = true;
	struct fz_sum s;
	double secs;
	unsigned int i, tries, bad = 0;
	int c, fd;

	o->seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 20);
	o->procs = 4;
	o->threads = 3;
	o->duration = 30;
	o->kill_ms = 400;
	o->nth_pct = 10;
	o->rate_pct = 1;
	o->watchdog_s = 60;
	o->small_limits = true;
	o->mixed_uids = true;
	while ((c = getopt_long(argc, argv, "s:p:t:d:n:k:f:w:vh", longopts,
				NULL)) != -1) {
		switch (c) {
		case 's': o->seed = strtoull(optarg, NULL, 0); break;
		case 'p': o->procs = (unsigned int)atoi(optarg); break;
		case 't': o->threads = (unsigned int)atoi(optarg); break;
		case 'd': o->duration = atof(optarg); break;
		case 'n': o->max_calls = strtoull(optarg, NULL, 0); break;
		case 'k': o->kill_ms = (unsigned int)atoi(optarg); break;
		case 'f':
			if (fz_parse_fault(optarg, &o->fault, &auto_fault))
				usage(2);
			break;
		case 'N': o->nth_pct = (unsigned int)atoi(optarg); break;
		case 'R': o->rate_pct = (unsigned int)atoi(optarg); break;
		case 'w': o->watchdog_s = (unsigned int)atoi(optarg); break;
		case 'L': o->small_limits = false; break;
		case 'U': o->mixed_uids = false; break;
		case 'T': o->tap = true; break;
		case 'X': o->trace++; break;
		case 'Q': o->no_noise = true; break;
		case 'v': o->verbose++; break;
		case 'h': usage(0); break;
		default: usage(2);
		}
	}
	if (optind != argc || !o->procs || o->procs > FZ_MAX_PROCS ||
	    !o->threads || o->threads > FZ_MAX_THREADS || o->nth_pct > 100 ||
	    o->rate_pct > 100 || !o->watchdog_s ||
	    (o->duration <= 0 && !o->max_calls))
		usage(2);
	if (auto_fault)
		o->fault = access("/sys/kernel/debug/failslab", F_OK) == 0 &&
			   access("/proc/self/fail-nth", F_OK) == 0 ?
			   FZ_FAULT_NTH | FZ_FAULT_RATE : 0;
	if (o->tap)
		printf("TAP version 13\n1..3\n");
	fd = open(RMACH_DEVICE, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "%s: %s: %s\n", fz_prog, RMACH_DEVICE,
			strerror(errno));
		if (o->tap)
			printf("not ok 1 fuzz # no %s\nnot ok 2 counters\nnot ok 3 faults\n",
			       RMACH_DEVICE);
		return 1;
	}
	close(fd);
	setvbuf(stdout, NULL, _IOLBF, 0);
	fprintf(stderr, "rmach-fuzz: replay with: %s --seed %llu --procs %u --threads %u --duration %g%s%s --kill-ms %u --fault %s\n",
		argv[0], (unsigned long long)o->seed, o->procs, o->threads,
		o->duration, o->max_calls ? " --calls " : "",
		o->max_calls ? "N" : "", o->kill_ms, fz_fault_name(o->fault));

	fz_counters_read(base);
	have_counters = base[0] >= 0;
	if (fz_fault_setup(o)) {
		if (o->tap)
			printf("not ok 1 fuzz # fault injection unavailable\nnot ok 2 counters\nnot ok 3 faults\n");
		return 1;
	}
	if (o->small_limits)
		fz_params_set(o);
	r->sh = mmap(NULL, sizeof(*r->sh), PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (r->sh == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	fz_rng_init(&r->rng, o->seed, 0xFFFFFFFFull, 0, 0);
	r->self = getpid();
	signal(SIGPIPE, SIG_IGN);

	start = fz_now_ms();
	next_kill = start + (o->kill_ms ? fz_range(&r->rng, 1, 2 * o->kill_ms) :
			     0);
	next_report = start + 10000;
	for (i = 0; i < o->procs; i++)
		fz_spawn(r, i);
	for (;;) {
		usleep(10000);
		now = fz_now_ms();
		fz_reap_all(r, false);
		if (atomic_load(&r->sh->failed) || r->failed)
			break;
		if (o->duration > 0 && now - start >= o->duration * 1000)
			break;
		if (o->max_calls && fz_total_calls(r->sh) >= o->max_calls)
			break;
		if (o->kill_ms && now >= next_kill) {
			fz_storm(r, now);
			next_kill = now + fz_range(&r->rng, 1, 2 * o->kill_ms);
		}
		fz_supervise(r, now);
		if (now >= next_report) {
			uint64_t n = fz_total_calls(r->sh);

			fprintf(stderr, "rmach-fuzz: %llu calls, %.0f/s, %llu kills, %.0f s\n",
				(unsigned long long)n,
				(double)n * 1000.0 / (double)(now - start),
				(unsigned long long)atomic_load(&r->sh->kills),
				(double)(now - start) / 1000.0);
			next_report = now + 10000;
		}
	}
	secs = (double)(fz_now_ms() - start) / 1000.0;
	fz_stop_all(r);
	if (atomic_load(&r->sh->failed) && !r->failed)
		fz_run_fail(r, "%s", r->sh->failure);
	fz_fault_teardown(o, &slab, &page);
	if (o->small_limits)
		fz_params_restore();
	fz_sum(r->sh, &s);
	fz_report(r, &s, secs, slab, page);

	/* Everything the run made must be gone (io_uring exits are async). */
	for (tries = 0; have_counters && tries < 600; tries++) {
		fz_counters_read(now_c);
		same = true;
		for (i = 0; i < FZ_NCOUNTERS; i++) {
			if (now_c[i] != base[i]) {
				same = false;
				bad = i;
			}
		}
		if (same)
			break;
		usleep(100000);
	}
	if (o->tap) {
		if (r->failed)
			printf("not ok 1 fuzz seed %llu # %s\n",
			       (unsigned long long)o->seed, r->why);
		else
			printf("ok 1 fuzz seed %llu: %llu calls, %.0f calls/s\n",
			       (unsigned long long)o->seed,
			       (unsigned long long)s.calls, (double)s.calls / secs);
		if (!have_counters)
			printf("ok 2 debugfs counters # SKIP no debugfs\n");
		else if (same)
			printf("ok 2 debugfs counters back to their baseline\n");
		else
			printf("not ok 2 debugfs counters back to their baseline # %s %lld, baseline %lld\n",
			       fz_counters[bad], now_c[bad], base[bad]);
		if (!o->fault)
			printf("ok 3 faults injected # SKIP no fault injection in this kernel\n");
		else if (s.injected || slab || page)
			printf("ok 3 faults injected: %llu fail-nth, %llu failslab, %llu fail_page_alloc\n",
			       (unsigned long long)s.injected,
			       (unsigned long long)slab, (unsigned long long)page);
		else
			printf("not ok 3 faults injected # none fired\n");
	}
	if (!same)
		fprintf(stderr, "rmach-fuzz: FAIL debugfs %s: %lld, baseline %lld\n",
			fz_counters[bad], now_c[bad], base[bad]);
	if (r->failed)
		fprintf(stderr, "rmach-fuzz: FAILED (seed %llu): %s\n",
			(unsigned long long)o->seed, r->why);
	return r->failed || !same ? 1 : 0;
}
