// SPDX-License-Identifier: MIT
/*
 * echo-client: finds "rmach.echo" in the registry and sends each argument as
 * one request, printing the echoed reply.
 *
 *   echo-client [-k KEY] [-w SECONDS] WORD...
 *
 * -w waits up to SECONDS for the server to register (default 5).
 */
#include <mach/mach.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define ECHO_MAX 1024

struct echo_msg {
	mach_msg_header_t head;
	char data[ECHO_MAX];
};

static void die(const char *what, kern_return_t kr)
{
	fprintf(stderr, "echo-client: %s: %s\n", what, rmach_strerror(kr));
	exit(1);
}

int main(int argc, char **argv)
{
	const char *key = "rmach.echo";
	int wait_s = 5, c, i;
	mach_port_t server, reply;
	kern_return_t kr;

	while ((c = getopt(argc, argv, "k:w:")) != -1) {
		switch (c) {
		case 'k': key = optarg; break;
		case 'w': wait_s = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: echo-client [-k KEY] [-w SECONDS] WORD...\n");
			return 2;
		}
	}
	for (i = 0;; i++) {
		struct timespec ts = { 0, 50 * 1000 * 1000 };

		kr = bootstrap_look_up(bootstrap_port, key, &server);
		if (kr == KERN_SUCCESS)
			break;
		if (kr != BOOTSTRAP_UNKNOWN_SERVICE || i >= wait_s * 20)
			die("bootstrap_look_up", kr);
		nanosleep(&ts, NULL);
	}
	reply = mach_reply_port();
	if (reply == MACH_PORT_NULL)
		die("mach_reply_port", KERN_RESOURCE_SHORTAGE);

	for (i = optind; i < argc; i++) {
		struct echo_msg msg;
		size_t len = strlen(argv[i]) + 1;

		if (len > ECHO_MAX)
			len = ECHO_MAX;
		memset(&msg.head, 0, sizeof(msg.head));
		msg.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
						    MACH_MSG_TYPE_MAKE_SEND_ONCE);
		msg.head.msgh_remote_port = server;
		msg.head.msgh_local_port = reply;
		msg.head.msgh_id = i;
		msg.head.msgh_size = sizeof(msg.head) + len;
		memcpy(msg.data, argv[i], len);
		msg.data[len - 1] = '\0';
		/* Send and wait for the answer in one call. */
		kr = mach_msg(&msg.head, MACH_SEND_MSG | MACH_RCV_MSG,
			      msg.head.msgh_size, sizeof(msg), reply,
			      MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
		if (kr != MACH_MSG_SUCCESS)
			die("mach_msg", kr);
		msg.data[ECHO_MAX - 1] = '\0';
		printf("echo-client: sent \"%s\", got \"%s\" (id %u)\n", argv[i],
		       msg.data, msg.head.msgh_id);
	}
	mach_port_deallocate(mach_task_self(), server);
	mach_port_mod_refs(mach_task_self(), reply, MACH_PORT_RIGHT_RECEIVE, -1);
	return 0;
}
