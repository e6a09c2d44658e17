// SPDX-License-Identifier: GPL-2.0
/*
 * rmach-bench: IPC round-trip latency and one-way throughput of rmach and its
 * peers (pipes, UNIX sockets, eventfd, futex, POSIX and SysV queues, binder),
 * measured in one run on the same CPUs, every figure also as a ratio to the
 * pipe pair. See tools/bench/README.md.
 */
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "measure.h"
#include "options.h"
#include "report.h"
#include "rounds.h"

static const size_t one_way_sizes[] = { 64, 1024, 16384 };
static const unsigned scaling_ports[] = { 1000, 100000 };
static const unsigned scaling_senders[] = { 2, 4 };

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static void usage(FILE *f)
{
	fprintf(f,
		"usage: rmach-bench [options]\n"
		"  --only NAME[,NAME...]  transports to run (see --list); default all\n"
		"  --list                 list transports and exit\n"
		"  --cpus A,B             server on A; client on A (same-cpu) or B (cross-cpu);\n"
		"                         default: the first two CPUs this process may use\n"
		"  --placement same|cross|both   default both\n"
		"  --size N               round-trip message size in bytes (default 64)\n"
		"  --iterations N         counted round trips (default 10000)\n"
		"  --messages N           counted one-way messages per size (default 20000)\n"
		"  --warmup N             uncounted round trips / messages first (default 1000)\n"
		"  --rounds N             measure every row N times, interleaved; report the\n"
		"                         median round (default 3, at most 64)\n"
		"  --quick                a tenth of the iterations and messages, one round\n"
		"  --timeout SECS         per measurement, then both processes are killed (120)\n"
		"  --json[=FILE]          JSON to FILE, or to stdout instead of the table\n"
		"  --csv[=FILE]           CSV to FILE, or to stdout instead of the table\n"
		"  --selftest             verify every transport's bytes, print TAP\n");
}

static unsigned parse_count(const char *s, const char *what)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v == 0 || v > 100000000) {
		fprintf(stderr, "rmach-bench: bad %s '%s'\n", what, s);
		exit(2);
	}
	return (unsigned)v;
}

static const struct transport *find_transport(const char *name)
{
	for (size_t i = 0; i < n_transports; i++)
		if (strcmp(all_transports[i]->name, name) == 0)
			return all_transports[i];
	return NULL;
}

static void select_transports(struct options *o, const char *list)
{
	char *copy = strdup(list), *save = NULL;

	o->n_selected = 0;
	for (char *name = strtok_r(copy, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		const struct transport *t = find_transport(name);

		if (!t) {
			fprintf(stderr, "rmach-bench: no transport '%s' (try --list)\n", name);
			exit(2);
		}
		if (o->n_selected < ARRAY_SIZE(o->selected))
			o->selected[o->n_selected++] = t;
	}
	free(copy);
}

/* Default CPUs: the first two this process may run on. */
static void default_cpus(struct options *o)
{
	cpu_set_t set;

	o->n_cpus = 0;
	o->cpus[0] = o->cpus[1] = 0;
	if (sched_getaffinity(0, sizeof(set), &set))
		return;
	for (int cpu = 0; cpu < CPU_SETSIZE && o->n_cpus < 2; cpu++)
		if (CPU_ISSET(cpu, &set))
			o->cpus[o->n_cpus++] = cpu;
	o->n_cpus = CPU_COUNT(&set);
}

static void parse_options(struct options *o, int argc, char **argv)
{
	enum { OPT_ONLY = 256, OPT_LIST, OPT_CPUS, OPT_PLACEMENT, OPT_SIZE, OPT_ITER,
	       OPT_MSGS, OPT_WARMUP, OPT_QUICK, OPT_TIMEOUT, OPT_JSON, OPT_CSV,
	       OPT_SELFTEST, OPT_ROUNDS, OPT_HELP };
	static const struct option longopts[] = {
		{ "only", required_argument, NULL, OPT_ONLY },
		{ "list", no_argument, NULL, OPT_LIST },
		{ "cpus", required_argument, NULL, OPT_CPUS },
		{ "placement", required_argument, NULL, OPT_PLACEMENT },
		{ "size", required_argument, NULL, OPT_SIZE },
		{ "iterations", required_argument, NULL, OPT_ITER },
		{ "messages", required_argument, NULL, OPT_MSGS },
		{ "warmup", required_argument, NULL, OPT_WARMUP },
		{ "quick", no_argument, NULL, OPT_QUICK },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "json", optional_argument, NULL, OPT_JSON },
		{ "csv", optional_argument, NULL, OPT_CSV },
		{ "selftest", no_argument, NULL, OPT_SELFTEST },
		{ "rounds", required_argument, NULL, OPT_ROUNDS },
		{ "help", no_argument, NULL, OPT_HELP },
		{ NULL, 0, NULL, 0 },
	};
	bool warmup_given = false, rounds_given = false;
	int c;

	*o = (struct options){
		.same_cpu = true, .cross_cpu = true, .rt_size = 64, .rt_count = 5000,
		.rt_warmup = 500, .ow_count = 10000, .ow_warmup = 500, .rounds = 3,
		.timeout_s = 120,
	};
	default_cpus(o);
	for (size_t i = 0; i < n_transports; i++)
		o->selected[o->n_selected++] = all_transports[i];

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_ONLY:
			select_transports(o, optarg);
			break;
		case OPT_LIST:
			for (size_t i = 0; i < n_transports; i++)
				printf("%-16s %s\n", all_transports[i]->name,
				       all_transports[i]->what);
			exit(0);
		case OPT_CPUS:
			if (sscanf(optarg, "%d,%d", &o->cpus[0], &o->cpus[1]) != 2 ||
			    o->cpus[0] < 0 || o->cpus[1] < 0) {
				fprintf(stderr, "rmach-bench: --cpus wants A,B\n");
				exit(2);
			}
			o->n_cpus = o->cpus[0] == o->cpus[1] ? 1 : 2;
			break;
		case OPT_PLACEMENT:
			o->same_cpu = !strcmp(optarg, "same") || !strcmp(optarg, "both");
			o->cross_cpu = !strcmp(optarg, "cross") || !strcmp(optarg, "both");
			if (!o->same_cpu && !o->cross_cpu) {
				fprintf(stderr, "rmach-bench: --placement same|cross|both\n");
				exit(2);
			}
			break;
		case OPT_SIZE:
			o->rt_size = parse_count(optarg, "size");
			break;
		case OPT_ITER:
			o->rt_count = parse_count(optarg, "iteration count");
			break;
		case OPT_MSGS:
			o->ow_count = parse_count(optarg, "message count");
			break;
		case OPT_WARMUP:
			o->rt_warmup = o->ow_warmup = parse_count(optarg, "warm-up count");
			warmup_given = true;
			break;
		case OPT_QUICK:
			o->quick = true;
			break;
		case OPT_TIMEOUT:
			o->timeout_s = parse_count(optarg, "timeout");
			break;
		case OPT_JSON:
			o->json_path = optarg ? optarg : "-";
			break;
		case OPT_CSV:
			o->csv_path = optarg ? optarg : "-";
			break;
		case OPT_SELFTEST:
			o->selftest = true;
			break;
		case OPT_ROUNDS:
			o->rounds = parse_count(optarg, "round count");
			if (o->rounds > 64) {
				fprintf(stderr, "rmach-bench: at most 64 rounds\n");
				exit(2);
			}
			rounds_given = true;
			break;
		case OPT_HELP:
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			exit(2);
		}
	}
	if (optind < argc) {
		usage(stderr);
		exit(2);
	}
	if (o->quick) {
		o->rt_count = o->rt_count / 10 ? o->rt_count / 10 : 2;
		o->ow_count = o->ow_count / 10 ? o->ow_count / 10 : 2;
		if (!warmup_given)
			o->rt_warmup = o->ow_warmup = 100;
		if (!rounds_given)
			o->rounds = 1;
	}
	if (o->n_cpus < 2 && o->cross_cpu) {
		fprintf(stderr, "rmach-bench: one CPU only: cross-cpu placement skipped\n");
		o->cross_cpu = false;
	}
}

struct plan {
	struct report report;
	size_t capacity;
	unsigned rounds;
};

static struct result *add_row(struct plan *p)
{
	if (p->report.n_rows == p->capacity) {
		p->capacity = p->capacity ? 2 * p->capacity : 64;
		p->report.rows = realloc(p->report.rows, p->capacity * sizeof(struct result));
		if (!p->report.rows) {
			perror("rmach-bench");
			exit(1);
		}
	}
	struct result *row = &p->report.rows[p->report.n_rows++];

	memset(row, 0, sizeof(*row));
	row->ports = row->senders = 1;
	row->rounds = p->rounds;
	return row;
}

static void plan_placement(struct plan *p, const struct options *o, const char *placement,
			   int server_cpu, int client_cpu)
{
	struct result *row;

	for (size_t i = 0; i < o->n_selected; i++) {
		if (o->selected[i]->no_round_trip)
			continue;
		row = add_row(p);
		row->transport = o->selected[i];
		row->kind = TEST_ROUND_TRIP;
		row->len = o->rt_size;
		row->count = o->rt_count;
		row->warmup = o->rt_warmup;
		row->placement = placement;
		row->server_cpu = server_cpu;
		row->client_cpu = client_cpu;
	}
	for (size_t s = 0; s < ARRAY_SIZE(one_way_sizes); s++)
		for (size_t i = 0; i < o->n_selected; i++) {
			if (!o->selected[i]->one_way)
				continue;
			row = add_row(p);
			row->transport = o->selected[i];
			row->kind = TEST_ONE_WAY;
			row->len = one_way_sizes[s];
			/* 16 KB messages: fewer of them, the copy dominates anyway. */
			row->count = one_way_sizes[s] > 4096 ? o->ow_count / 4 : o->ow_count;
			row->warmup = o->ow_warmup;
			row->placement = placement;
			row->server_cpu = server_cpu;
			row->client_cpu = client_cpu;
		}
}

static bool is_rmach(const struct transport *t)
{
	return strncmp(t->name, "rmach-", 6) == 0;
}

static struct result *add_scaling_row(struct plan *p, const struct transport *t,
				      const char *placement, int server_cpu, int client_cpu)
{
	struct result *row = add_row(p);

	row->transport = t;
	row->placement = placement;
	row->server_cpu = server_cpu;
	row->client_cpu = client_cpu;
	return row;
}

/* Scaling rows: ports for rmach; senders for rmach and, as the reference, pipes. */
static void plan_scaling(struct plan *p, const struct options *o, const char *placement,
			 int server_cpu, int client_cpu)
{
	for (size_t n = 0; n < ARRAY_SIZE(scaling_ports); n++)
		for (size_t i = 0; i < o->n_selected; i++) {
			if (!is_rmach(o->selected[i]) || o->selected[i]->no_round_trip)
				continue;
			struct result *row = add_scaling_row(p, o->selected[i], placement,
							     server_cpu, client_cpu);

			row->kind = TEST_ROUND_TRIP;
			row->len = o->rt_size;
			row->ports = scaling_ports[n];
			row->count = o->rt_count;
			row->warmup = o->rt_warmup;
		}
	/* Pipes too: writes up to PIPE_BUF are atomic, so their senders compare. */
	for (size_t n = 0; n < ARRAY_SIZE(scaling_senders); n++)
		for (size_t i = 0; i < o->n_selected; i++) {
			const struct transport *t = o->selected[i];

			if (!t->one_way || !(is_rmach(t) || strcmp(t->name, "pipe") == 0))
				continue;
			struct result *row = add_scaling_row(p, o->selected[i], placement,
							     server_cpu, client_cpu);

			row->kind = TEST_ONE_WAY;
			row->len = 64;
			row->senders = scaling_senders[n];
			row->count = o->ow_count;
			row->warmup = o->ow_warmup;
		}
}

static void run_row(const struct result *row, unsigned round, unsigned timeout_s,
		    struct measurement *m)
{
	struct run_spec spec = {
		.transport = row->transport,
		.kind = row->kind,
		.len = row->len,
		.ports = row->ports,
		.senders = row->senders,
		.warmup = row->warmup,
		.count = row->count,
		.server_cpu = row->server_cpu,
		.client_cpu = row->client_cpu,
		.timeout_s = timeout_s,
	};

	fprintf(stderr, "rmach-bench: round %u/%u: %s %s %zu B %s\n", round + 1, row->rounds,
		row->transport->name, test_name(row->kind), row->len, row->placement);
	measure(&spec, m);
}

/*
 * Round by round over all rows, so a slow minute of the host lands on every
 * transport rather than on one. A row found unavailable is not asked again.
 */
static void run_rounds(struct report *r, unsigned rounds, unsigned timeout_s)
{
	struct measurement *all = calloc(r->n_rows * rounds, sizeof(*all));

	if (!all) {
		perror("rmach-bench");
		exit(1);
	}
	for (unsigned round = 0; round < rounds; round++)
		for (size_t i = 0; i < r->n_rows; i++) {
			struct measurement *m = &all[i * rounds];

			if (round > 0 && m[0].outcome == OUTCOME_UNAVAILABLE)
				m[round] = m[0];
			else
				run_row(&r->rows[i], round, timeout_s, &m[round]);
		}
	for (size_t i = 0; i < r->n_rows; i++)
		combine_rounds(&all[i * rounds], rounds, r->rows[i].kind, &r->rows[i].m,
			       &r->rows[i].spread);
	free(all);
}

static void write_to(const char *path, void (*writer)(FILE *, const struct report *),
		     const struct report *r)
{
	FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");

	if (!f) {
		fprintf(stderr, "rmach-bench: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	writer(f, r);
	if (f != stdout && fclose(f)) {
		fprintf(stderr, "rmach-bench: %s: %s\n", path, strerror(errno));
		exit(1);
	}
}

int main(int argc, char **argv)
{
	struct options o;
	struct plan plan = { 0 };

	parse_options(&o, argc, argv);
	if (o.selftest)
		return run_selftest(&o);
	plan.rounds = o.rounds;

	if (o.same_cpu) {
		plan_placement(&plan, &o, "same-cpu", o.cpus[0], o.cpus[0]);
		plan_scaling(&plan, &o, "same-cpu", o.cpus[0], o.cpus[0]);
	}
	if (o.cross_cpu) {
		plan_placement(&plan, &o, "cross-cpu", o.cpus[0], o.cpus[1]);
		plan_scaling(&plan, &o, "cross-cpu", o.cpus[0], o.cpus[1]);
	}
	plan.report.cpus[0] = o.cpus[0];
	plan.report.cpus[1] = o.cpus[1];
	plan.report.n_cpus_online = o.n_cpus;
	run_rounds(&plan.report, o.rounds, o.timeout_s);
	compute_ratios(&plan.report);

	bool table_to_stdout = true;

	if (o.json_path) {
		write_to(o.json_path, write_json, &plan.report);
		table_to_stdout &= strcmp(o.json_path, "-") != 0;
	}
	if (o.csv_path) {
		write_to(o.csv_path, write_csv, &plan.report);
		table_to_stdout &= strcmp(o.csv_path, "-") != 0;
	}
	if (table_to_stdout)
		write_table(stdout, &plan.report);
	free(plan.report.rows);
	return 0;
}
