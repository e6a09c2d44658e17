// SPDX-License-Identifier: MIT
/*
 * pingpong: round-trip time between two processes over rmach ports, with
 * handoff (one mach_msg SEND|RCV per side) and without (a send and a
 * separate receive), and their ratio.
 *
 *   pingpong [-n ITERATIONS] [-s BYTES] [-c CPU]
 *
 * -c pins both processes to one CPU (the case handoff is built for).
 * The server finds the client through the registry key rmach.pingpong.<pid>.
 */
#include <mach/mach.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PP_MAX 4096

struct pp_msg {
	mach_msg_header_t head;
	char data[PP_MAX];
};

enum { MODE_CALL = 1, MODE_SPLIT = 2, MODE_QUIT = 3 };

static void die(const char *what, kern_return_t kr)
{
	fprintf(stderr, "pingpong: %s: %s\n", what, rmach_strerror(kr));
	exit(1);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Server: answer every request on the reply right it carries. */
static void serve(mach_port_t port)
{
	struct pp_msg msg;
	mach_msg_option_t opt = MACH_RCV_MSG;
	mach_msg_size_t send_size = 0;
	kern_return_t kr;

	for (;;) {
		kr = mach_msg(&msg.head, opt, send_size, sizeof(msg), port, 0,
			      MACH_PORT_NULL);
		if (kr != MACH_MSG_SUCCESS)
			die("server mach_msg", kr);
		if (msg.head.msgh_id == MODE_QUIT)
			return;
		msg.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
		msg.head.msgh_local_port = MACH_PORT_NULL;
		send_size = msg.head.msgh_size;
		if (msg.head.msgh_id == MODE_CALL) {
			/* Reply and wait for the next request at once. */
			opt = MACH_SEND_MSG | MACH_RCV_MSG;
			continue;
		}
		kr = mach_msg(&msg.head, MACH_SEND_MSG, send_size, 0,
			      MACH_PORT_NULL, 0, MACH_PORT_NULL);
		if (kr != MACH_MSG_SUCCESS)
			die("server send", kr);
		opt = MACH_RCV_MSG;
	}
}

/* Client: n round trips in one mode; returns the sorted times (ns). */
static void run(mach_port_t server, mach_port_t reply, int mode, size_t size,
		long n, uint64_t *t)
{
	struct pp_msg msg;
	kern_return_t kr;
	long i;

	for (i = 0; i < n; i++) {
		uint64_t t0 = now_ns();

		msg.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
						    MACH_MSG_TYPE_MAKE_SEND_ONCE);
		msg.head.msgh_size = sizeof(msg.head) + size;
		msg.head.msgh_remote_port = server;
		msg.head.msgh_local_port = reply;
		msg.head.msgh_id = mode;
		msg.head.msgh_descriptor_count = 0;
		if (mode == MODE_CALL) {
			kr = mach_msg(&msg.head, MACH_SEND_MSG | MACH_RCV_MSG,
				      msg.head.msgh_size, sizeof(msg), reply, 0,
				      MACH_PORT_NULL);
		} else {
			kr = mach_msg(&msg.head, MACH_SEND_MSG,
				      msg.head.msgh_size, 0, MACH_PORT_NULL, 0,
				      MACH_PORT_NULL);
			if (kr == MACH_MSG_SUCCESS)
				kr = mach_msg(&msg.head, MACH_RCV_MSG, 0,
					      sizeof(msg), reply, 0,
					      MACH_PORT_NULL);
		}
		if (kr != MACH_MSG_SUCCESS)
			die("client mach_msg", kr);
		t[i] = now_ns() - t0;
	}
	qsort(t, (size_t)n, sizeof(*t), cmp_u64);
}

static double mean_us(const uint64_t *t, long n)
{
	double sum = 0;
	long i;

	for (i = 0; i < n; i++)
		sum += (double)t[i];
	return sum / (double)n / 1000.0;
}

int main(int argc, char **argv)
{
	long n = 2000;
	size_t size = 64;
	int cpu = -1, c;
	char key[64];
	pid_t pid;

	while ((c = getopt(argc, argv, "n:s:c:")) != -1) {
		switch (c) {
		case 'n': n = atol(optarg); break;
		case 's': size = (size_t)atol(optarg); break;
		case 'c': cpu = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: pingpong [-n ITERATIONS] [-s BYTES] [-c CPU]\n");
			return 2;
		}
	}
	if (n < 10 || size > PP_MAX) {
		fprintf(stderr, "pingpong: need -n >= 10 and -s <= %d\n", PP_MAX);
		return 2;
	}
	if (cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set) != 0) {
			perror("pingpong: sched_setaffinity");
			return 1;
		}
	}
	snprintf(key, sizeof(key), "rmach.pingpong.%d", (int)getpid());

	pid = fork();
	if (pid < 0) {
		perror("pingpong: fork");
		return 1;
	}
	if (pid == 0) {
		/* The child is the server (its own space, opened after fork). */
		mach_port_t port;
		kern_return_t kr;

		kr = mach_port_allocate(mach_task_self(),
					MACH_PORT_RIGHT_RECEIVE, &port);
		if (kr != KERN_SUCCESS)
			die("mach_port_allocate", kr);
		kr = bootstrap_register(bootstrap_port, key, port);
		if (kr != KERN_SUCCESS)
			die("bootstrap_register", kr);
		serve(port);
		_exit(0);
	}

	mach_port_t server, reply = mach_reply_port();
	uint64_t *tc = calloc((size_t)n, sizeof(*tc));
	uint64_t *ts = calloc((size_t)n, sizeof(*ts));
	struct timespec pause = { 0, 10 * 1000 * 1000 };
	struct pp_msg quit;
	kern_return_t kr;
	int i, status;

	if (!tc || !ts || reply == MACH_PORT_NULL)
		die("setup", KERN_RESOURCE_SHORTAGE);
	for (i = 0; (kr = bootstrap_look_up(bootstrap_port, key, &server)) ==
		    BOOTSTRAP_UNKNOWN_SERVICE && i < 500; i++)
		nanosleep(&pause, NULL);
	if (kr != KERN_SUCCESS)
		die("bootstrap_look_up", kr);
	bootstrap_unregister(bootstrap_port, key);

	/* Warm up, then measure each mode. */
	run(server, reply, MODE_CALL, size, n / 10, tc);
	run(server, reply, MODE_SPLIT, size, n / 10, ts);
	run(server, reply, MODE_CALL, size, n, tc);
	run(server, reply, MODE_SPLIT, size, n, ts);

	memset(&quit.head, 0, sizeof(quit.head));
	quit.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	quit.head.msgh_size = sizeof(quit.head);
	quit.head.msgh_remote_port = server;
	quit.head.msgh_id = MODE_QUIT;
	kr = mach_msg_send(&quit.head);
	if (kr != MACH_MSG_SUCCESS)
		die("quit", kr);
	waitpid(pid, &status, 0);

	printf("pingpong: %ld round trips of %zu bytes%s\n", n, size,
	       cpu >= 0 ? " (both on one CPU)" : "");
	printf("  call (handoff)   mean %8.2f us  median %8.2f us  p99 %8.2f us\n",
	       mean_us(tc, n), tc[n / 2] / 1000.0, tc[n * 99 / 100] / 1000.0);
	printf("  send + receive   mean %8.2f us  median %8.2f us  p99 %8.2f us\n",
	       mean_us(ts, n), ts[n / 2] / 1000.0, ts[n * 99 / 100] / 1000.0);
	printf("  ratio (send+receive / call), median: %.2f\n",
	       (double)ts[n / 2] / (double)tc[n / 2]);
	free(tc);
	free(ts);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
