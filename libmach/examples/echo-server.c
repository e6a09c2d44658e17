// SPDX-License-Identifier: MIT
/*
 * echo-server: registers "rmach.echo" and answers each request with its own
 * data, on the reply right the request carried.
 *
 *   echo-server [-n COUNT] [-k KEY]     serve COUNT requests (default: forever)
 *
 * Replies and waits for the next request in one mach_msg (as Mach servers
 * do), so the client's call is handed straight back.
 */
#include <mach/mach.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ECHO_MAX 1024

struct echo_msg {
	mach_msg_header_t head;
	char data[ECHO_MAX];
};

static void die(const char *what, kern_return_t kr)
{
	fprintf(stderr, "echo-server: %s: %s\n", what, rmach_strerror(kr));
	exit(1);
}

int main(int argc, char **argv)
{
	const char *key = "rmach.echo";
	long count = -1, served = 0;
	struct echo_msg msg;
	mach_port_t port;
	mach_msg_option_t opt = MACH_RCV_MSG;
	mach_msg_size_t send_size = 0;
	kern_return_t kr;
	int c;

	while ((c = getopt(argc, argv, "n:k:")) != -1) {
		switch (c) {
		case 'n': count = atol(optarg); break;
		case 'k': key = optarg; break;
		default:
			fprintf(stderr, "usage: echo-server [-n COUNT] [-k KEY]\n");
			return 2;
		}
	}
	kr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &port);
	if (kr != KERN_SUCCESS)
		die("mach_port_allocate", kr);
	kr = bootstrap_register_replace(bootstrap_port, key, port);
	if (kr != KERN_SUCCESS)
		die("bootstrap_register", kr);
	printf("echo-server: serving \"%s\"\n", key);
	fflush(stdout);

	while (count < 0 || served < count) {
		mach_port_t reply;
		mach_msg_size_t len;

		kr = mach_msg(&msg.head, opt, send_size, sizeof(msg), port,
			      MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
		if (kr != MACH_MSG_SUCCESS)
			die("mach_msg", kr);
		served++;
		reply = msg.head.msgh_remote_port;
		len = msg.head.msgh_size - sizeof(msg.head);
		if (!MACH_PORT_VALID(reply)) {
			/* A one-way message: nothing to answer. */
			opt = MACH_RCV_MSG;
			continue;
		}
		msg.head.msgh_bits = MACH_MSGH_BITS(
			MACH_MSGH_BITS_REMOTE(msg.head.msgh_bits), 0);
		msg.head.msgh_remote_port = reply;
		msg.head.msgh_local_port = MACH_PORT_NULL;
		msg.head.msgh_id += 100;
		msg.head.msgh_size = sizeof(msg.head) + len;
		send_size = msg.head.msgh_size;
		/* The last reply goes alone; the others wait for more. */
		opt = (count >= 0 && served == count) ? MACH_SEND_MSG :
			MACH_SEND_MSG | MACH_RCV_MSG;
		if (opt == MACH_SEND_MSG) {
			kr = mach_msg(&msg.head, opt, send_size, 0,
				      MACH_PORT_NULL, 0, MACH_PORT_NULL);
			if (kr != MACH_MSG_SUCCESS)
				die("mach_msg reply", kr);
		}
	}
	bootstrap_unregister(bootstrap_port, key);
	printf("echo-server: served %ld requests\n", served);
	return 0;
}
