// SPDX-License-Identifier: GPL-2.0
/* Human table, JSON and CSV renderings of one run's results. */
#include <stdbool.h>
#include <string.h>

#include "report.h"

const char *test_name(enum test_kind kind)
{
	return kind == TEST_ROUND_TRIP ? "round-trip" : "one-way";
}

const char *outcome_name(enum outcome o)
{
	return o == OUTCOME_OK ? "ok" : o == OUTCOME_UNAVAILABLE ? "unavailable" : "failed";
}

static bool is_pipe(const struct result *row)
{
	return strcmp(row->transport->name, "pipe") == 0;
}

/*
 * The reference for `row`: the pipe pair, same test, size, placement and
 * number of senders (a pipe has no ports to scale).
 */
static const struct result *pipe_peer(const struct report *r, const struct result *row)
{
	for (size_t i = 0; i < r->n_rows; i++) {
		const struct result *p = &r->rows[i];

		if (is_pipe(p) && p->kind == row->kind && p->len == row->len &&
		    strcmp(p->placement, row->placement) == 0 && p->ports == 1 &&
		    p->senders == row->senders && p->m.outcome == OUTCOME_OK)
			return p;
	}
	return NULL;
}

static bool is_scaled(const struct result *row)
{
	return row->ports != 1 || row->senders != 1;
}

/* The same transport, test, size and placement without scaling. */
static const struct result *unscaled_peer(const struct report *r, const struct result *row)
{
	for (size_t i = 0; i < r->n_rows; i++) {
		const struct result *p = &r->rows[i];

		if (p->transport == row->transport && p->kind == row->kind &&
		    p->len == row->len && strcmp(p->placement, row->placement) == 0 &&
		    !is_scaled(p) && p->m.outcome == OUTCOME_OK)
			return p;
	}
	return NULL;
}

static double headline(const struct result *row)
{
	return row->kind == TEST_ROUND_TRIP ? row->m.p50_ns : row->m.msgs_per_s;
}

void compute_ratios(struct report *r)
{
	for (size_t i = 0; i < r->n_rows; i++) {
		struct result *row = &r->rows[i];
		const struct result *pipe = pipe_peer(r, row);
		const struct result *base = unscaled_peer(r, row);

		if (is_scaled(row) && base && row->m.outcome == OUTCOME_OK)
			row->vs_unscaled = headline(row) / headline(base);

		if (!pipe || row->m.outcome != OUTCOME_OK)
			continue;
		if (row->kind == TEST_ROUND_TRIP) {
			row->p50_vs_pipe = row->m.p50_ns / pipe->m.p50_ns;
			row->p99_vs_pipe = row->m.p99_ns / pipe->m.p99_ns;
		} else {
			row->rate_vs_pipe = row->m.msgs_per_s / pipe->m.msgs_per_s;
		}
	}
}

/* Rows print in groups: one heading per (test, size, placement, scale). */
static bool same_group(const struct result *a, const struct result *b)
{
	return a->kind == b->kind && a->len == b->len && a->ports == b->ports &&
	       a->senders == b->senders && strcmp(a->placement, b->placement) == 0;
}

static void table_heading(FILE *f, const struct result *row)
{
	fprintf(f, "\n%s, %zu B%s, %s (server CPU %d, client CPU %d)", test_name(row->kind),
		row->len, row->kind == TEST_ROUND_TRIP ? " request + reply" : " messages",
		row->placement, row->server_cpu, row->client_cpu);
	if (row->ports != 1)
		fprintf(f, ", %u ports in each space", row->ports);
	if (row->senders != 1)
		fprintf(f, ", %u senders", row->senders);
	fprintf(f, "\n  median of %u rounds of %u counted after %u warm-up\n", row->rounds,
		row->count, row->warmup);
	if (row->kind == TEST_ROUND_TRIP)
		fprintf(f, "  %-16s %10s %10s %10s %7s %9s %9s", "transport", "p50 us", "p99 us",
			"mean us", "spread", "p50/pipe", "p99/pipe");
	else
		fprintf(f, "  %-16s %12s %10s %7s %10s", "transport", "msgs/s", "MB/s", "spread",
			"rate/pipe");
	if (is_scaled(row))
		fprintf(f, " %10s", row->ports != 1 ? "p50/1-port" : "rate/1-snd");
	fputc('\n', f);
}

/* 0 means "no pipe figure to compare with". */
static void print_ratio(FILE *f, int width, double ratio)
{
	if (ratio > 0)
		fprintf(f, "%*.2f", width, ratio);
	else
		fprintf(f, "%*s", width, "-");
}

static void table_row(FILE *f, const struct result *row)
{
	const struct measurement *m = &row->m;

	fprintf(f, "  %-16s ", row->transport->name);
	if (m->outcome != OUTCOME_OK) {
		fprintf(f, "%s: %s\n", outcome_name(m->outcome), m->note);
		return;
	}
	if (row->kind == TEST_ROUND_TRIP) {
		fprintf(f, "%10.2f %10.2f %10.2f %6.0f%% ", m->p50_ns / 1e3, m->p99_ns / 1e3,
			m->mean_ns / 1e3, row->spread * 100);
		print_ratio(f, 9, row->p50_vs_pipe);
		fputc(' ', f);
		print_ratio(f, 9, row->p99_vs_pipe);
	} else {
		fprintf(f, "%12.0f %10.2f %6.0f%% ", m->msgs_per_s, m->bytes_per_s / 1e6,
			row->spread * 100);
		print_ratio(f, 10, row->rate_vs_pipe);
	}
	if (is_scaled(row)) {
		fputc(' ', f);
		print_ratio(f, 10, row->vs_unscaled);
	}
	fputc('\n', f);
}

void write_table(FILE *f, const struct report *r)
{
	fprintf(f, "rmach-bench: ratios are against the pipe pair measured in the same run;\n"
		   "absolute times in a TCG guest are distorted, the ratios are the signal.\n"
		   "round trip: x/pipe > 1 is slower than pipes; one way: rate/pipe > 1 is faster.\n"
		   "one way: counted messages / the receiver's span. spread: (max - min) /\n"
		   "median over the rounds of the headline figure (p50, msgs/s).\n");
	for (size_t i = 0; i < r->n_rows; i++) {
		if (i == 0 || !same_group(&r->rows[i - 1], &r->rows[i]))
			table_heading(f, &r->rows[i]);
		table_row(f, &r->rows[i]);
	}
	fprintf(f, "\ntransports:\n");
	for (size_t i = 0; i < n_transports; i++)
		fprintf(f, "  %-16s %s\n", all_transports[i]->name, all_transports[i]->what);
}

static void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", *s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

static void json_ratio(FILE *f, const char *key, double ratio)
{
	if (ratio > 0)
		fprintf(f, ", \"%s\": %.3f", key, ratio);
	else
		fprintf(f, ", \"%s\": null", key);
}

void write_json(FILE *f, const struct report *r)
{
	fprintf(f, "{\n  \"tool\": \"rmach-bench\",\n  \"reference\": \"pipe\",\n"
		   "  \"cpus\": [%d, %d],\n  \"cpus_online\": %d,\n  \"results\": [",
		r->cpus[0], r->cpus[1], r->n_cpus_online);
	for (size_t i = 0; i < r->n_rows; i++) {
		const struct result *row = &r->rows[i];
		const struct measurement *m = &row->m;

		fprintf(f, "%s\n    {\"test\": \"%s\", \"transport\": \"%s\", \"placement\": \"%s\", "
			   "\"server_cpu\": %d, \"client_cpu\": %d, \"size\": %zu, \"ports\": %u, "
			   "\"senders\": %u, \"count\": %u, \"warmup\": %u, \"rounds\": %u, "
			   "\"status\": \"%s\"",
			i ? "," : "", test_name(row->kind), row->transport->name, row->placement,
			row->server_cpu, row->client_cpu, row->len, row->ports, row->senders,
			row->count, row->warmup, row->rounds, outcome_name(m->outcome));
		if (m->outcome == OUTCOME_OK) {
			fprintf(f, ", \"spread\": %.3f", row->spread);
			if (is_scaled(row))
				json_ratio(f, "vs_unscaled", row->vs_unscaled);
		}
		if (m->outcome != OUTCOME_OK) {
			fprintf(f, ", \"note\": ");
			json_string(f, m->note);
		} else if (row->kind == TEST_ROUND_TRIP) {
			fprintf(f, ", \"p50_ns\": %.0f, \"p99_ns\": %.0f, \"mean_ns\": %.0f",
				m->p50_ns, m->p99_ns, m->mean_ns);
			json_ratio(f, "p50_vs_pipe", row->p50_vs_pipe);
			json_ratio(f, "p99_vs_pipe", row->p99_vs_pipe);
		} else {
			fprintf(f, ", \"msgs_per_s\": %.0f, \"bytes_per_s\": %.0f",
				m->msgs_per_s, m->bytes_per_s);
			json_ratio(f, "rate_vs_pipe", row->rate_vs_pipe);
		}
		fputc('}', f);
	}
	fprintf(f, "\n  ]\n}\n");
}

/* RFC 4180: quote the field, double any quote inside. */
static void csv_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

/* Empty when there is no ratio (not measured, or not this test's figure). */
static void csv_ratio(FILE *f, double ratio)
{
	if (ratio > 0)
		fprintf(f, "%.3f", ratio);
	fputc(',', f);
}

void write_csv(FILE *f, const struct report *r)
{
	fprintf(f, "test,transport,placement,server_cpu,client_cpu,size,ports,senders,count,"
		   "warmup,rounds,status,p50_ns,p99_ns,mean_ns,msgs_per_s,bytes_per_s,spread,"
		   "p50_vs_pipe,p99_vs_pipe,rate_vs_pipe,vs_unscaled,note\n");
	for (size_t i = 0; i < r->n_rows; i++) {
		const struct result *row = &r->rows[i];
		const struct measurement *m = &row->m;
		bool ok = m->outcome == OUTCOME_OK;
		bool rt = row->kind == TEST_ROUND_TRIP;

		fprintf(f, "%s,%s,%s,%d,%d,%zu,%u,%u,%u,%u,%u,%s,", test_name(row->kind),
			row->transport->name, row->placement, row->server_cpu, row->client_cpu,
			row->len, row->ports, row->senders, row->count, row->warmup, row->rounds,
			outcome_name(m->outcome));
		if (ok && rt)
			fprintf(f, "%.0f,%.0f,%.0f,,,%.3f,", m->p50_ns, m->p99_ns, m->mean_ns,
				row->spread);
		else if (ok)
			fprintf(f, ",,,%.0f,%.0f,%.3f,", m->msgs_per_s, m->bytes_per_s, row->spread);
		else
			fprintf(f, ",,,,,,");
		csv_ratio(f, row->p50_vs_pipe);
		csv_ratio(f, row->p99_vs_pipe);
		csv_ratio(f, row->rate_vs_pipe);
		csv_ratio(f, row->vs_unscaled);
		csv_string(f, m->note);
		fputc('\n', f);
	}
}
