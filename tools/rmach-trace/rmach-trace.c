// SPDX-License-Identifier: GPL-2.0
/*
 * rmach-trace - live rMach message flow from the rmach tracepoints.
 *
 *   rmach-trace [--pid PID] [--port NAME] [--id ID] [--json] [-- CMD ARGS...]
 *
 * Prints one line (or one JSON object) per received message: sender and
 * receiver (pid, comm), the receiver's port name, message id, size, number of
 * rights and the time it waited in the queue. On exit (Ctrl-C, or when CMD
 * ends) prints a histogram of those waits. --pid matches either side, --port
 * the receiver's name.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include "rmach-trace.h"
#include "rmach-trace.skel.h"

static volatile sig_atomic_t stop;
static bool json;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int on_flow(void *ctx, void *data, size_t len)
{
	const struct rt_flow *f = data;
	const char *sender = f->sender_pid ? f->sender_comm : "kernel";

	(void)ctx;
	if (len < sizeof(*f))
		return 0;
	if (json)
		printf("{\"event\":\"msg\",\"sender_pid\":%u,\"sender_comm\":\"%.16s\","
		       "\"receiver_pid\":%u,\"receiver_comm\":\"%.16s\","
		       "\"port\":%u,\"id\":%u,\"size\":%u,\"nrights\":%u,"
		       "\"wait_ns\":%llu}\n",
		       f->sender_pid, sender, f->receiver_pid, f->receiver_comm,
		       f->port, f->id, f->size, f->nrights,
		       (unsigned long long)f->wait_ns);
	else
		printf("%-16.16s %7u -> %-16.16s %7u port=0x%x id=%u size=%u rights=%u wait=%lluus\n",
		       sender, f->sender_pid, f->receiver_comm, f->receiver_pid,
		       f->port, f->id, f->size, f->nrights,
		       (unsigned long long)f->wait_ns / 1000);
	fflush(stdout);
	return 0;
}

static void print_hist(int map_fd)
{
	unsigned long long counts[RT_HIST_SLOTS] = { 0 }, max = 0;
	__u32 slot, last = 0;
	bool any = false;

	for (slot = 0; slot < RT_HIST_SLOTS; slot++) {
		__u64 v = 0;

		bpf_map_lookup_elem(map_fd, &slot, &v);
		counts[slot] = v;
		if (v) {
			any = true;
			last = slot;
			if (v > max)
				max = v;
		}
	}
	if (json) {
		printf("{\"event\":\"wait_hist\",\"unit\":\"us\",\"log2_buckets\":[");
		for (slot = 0; slot <= last; slot++)
			printf("%s%llu", slot ? "," : "", counts[slot]);
		printf("]}\n");
		return;
	}
	if (!any)
		return;
	printf("\nqueue wait (us)      count\n");
	for (slot = 0; slot <= last; slot++) {
		unsigned long long lo = slot ? 1ULL << slot : 0;
		int bar = (int)(counts[slot] * 40 / max);

		printf("[%8llu, %8llu) %8llu |%-40.*s|\n", lo, 2ULL << slot,
		       counts[slot], bar,
		       "########################################");
	}
}

static void usage(FILE *to)
{
	fprintf(to, "usage: rmach-trace [--pid PID] [--port NAME] [--id ID] [--json] [-- CMD ARGS...]\n");
}

static unsigned long parse_num(const char *s, const char *what)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end || v > 0xffffffffUL) {
		fprintf(stderr, "rmach-trace: bad %s: %s\n", what, s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pid", required_argument, NULL, 'p' },
		{ "port", required_argument, NULL, 'P' },
		{ "id", required_argument, NULL, 'i' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct rmach_trace_bpf *skel;
	struct ring_buffer *rb;
	pid_t child = 0;
	int opt, err, status = 0;

	skel = rmach_trace_bpf__open();
	if (!skel) {
		fprintf(stderr, "rmach-trace: cannot open the BPF object\n");
		return 1;
	}
	while ((opt = getopt_long(argc, argv, "+p:P:i:jh", opts, NULL)) != -1) {
		switch (opt) {
		case 'p':
			skel->rodata->filter_pid = parse_num(optarg, "pid");
			break;
		case 'P':
			skel->rodata->filter_port = parse_num(optarg, "port");
			break;
		case 'i':
			skel->rodata->filter_id = parse_num(optarg, "id");
			skel->rodata->filter_id_set = 1;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	err = rmach_trace_bpf__load(skel);
	if (!err)
		err = rmach_trace_bpf__attach(skel);
	if (err) {
		fprintf(stderr, "rmach-trace: cannot load or attach (is the rmach module loaded, are we root?): %s\n",
			strerror(-err));
		rmach_trace_bpf__destroy(skel);
		return 1;
	}
	rb = ring_buffer__new(bpf_map__fd(skel->maps.flows), on_flow, NULL,
			      NULL);
	if (!rb) {
		fprintf(stderr, "rmach-trace: ring buffer: %s\n", strerror(errno));
		rmach_trace_bpf__destroy(skel);
		return 1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (optind < argc) {
		child = fork();
		if (child < 0) {
			perror("rmach-trace: fork");
			return 1;
		}
		if (child == 0) {
			execvp(argv[optind], argv + optind);
			perror("rmach-trace: exec");
			_exit(127);
		}
	}
	while (!stop) {
		err = ring_buffer__poll(rb, 100);
		if (err < 0 && err != -EINTR)
			break;
		if (child && waitpid(child, &status, WNOHANG) == child) {
			ring_buffer__consume(rb);
			break;
		}
	}
	print_hist(bpf_map__fd(skel->maps.wait_hist));
	ring_buffer__free(rb);
	rmach_trace_bpf__destroy(skel);
	if (child)
		return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
	return 0;
}
