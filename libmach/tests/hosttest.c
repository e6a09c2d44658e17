// SPDX-License-Identifier: MIT
/*
 * Host checks of libmach that need no module (built with ASan+UBSan): every
 * code has a sentence, bad arguments are refused before any syscall, a
 * missing device and a device that is not rmach give their own codes, and
 * a task other than mach_task_self() is refused. Prints TAP.
 */
#include <mach/mach.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int n, failed;

static void ok(int cond, const char *what)
{
	n++;
	if (!cond)
		failed = 1;
	printf("%sok %d %s\n", cond ? "" : "not ", n, what);
}

int main(void)
{
	static const kern_return_t codes[] = {
		KERN_SUCCESS, KERN_INVALID_NAME, KERN_INVALID_RIGHT,
		KERN_NO_SPACE, MACH_SEND_INVALID_DEST, MACH_SEND_TIMED_OUT,
		MACH_RCV_TIMED_OUT, MACH_RCV_TOO_LARGE, MACH_RCV_PORT_DIED,
		BOOTSTRAP_UNKNOWN_SERVICE, BOOTSTRAP_NOT_PRIVILEGED,
		RMACH_ERR_NO_DEVICE, RMACH_ERR_NOT_RMACH,
	};
	mach_port_name_t name = 0;
	mach_msg_header_t h;
	kern_return_t kr;
	size_t i;
	int all = 1;

	printf("TAP version 13\n1..11\n");
	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		all &= strncmp(rmach_strerror(codes[i]), "unknown", 7) != 0 &&
		       strcmp(mach_error_string(codes[i]), "(unknown)") != 0;
	ok(all, "every code has a sentence and a name");
	ok(strstr(rmach_strerror(0x7777), "0x7777") != NULL,
	   "an unknown code is shown in hex");
	ok(strstr(rmach_strerror(RMACH_ERR_ABI_MISMATCH), "ABI") != NULL,
	   "ABI mismatch says ABI");

	setenv("RMACH_DEVICE", "/nonexistent/rmach", 1);
	kr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &name);
	ok(kr == RMACH_ERR_NO_DEVICE, "missing device: RMACH_ERR_NO_DEVICE");
	ok(strstr(rmach_strerror(kr), "load the module") != NULL,
	   "missing device: the message says what to do");

	setenv("RMACH_DEVICE", "/dev/null", 1);
	kr = rmach_init();
	ok(kr == RMACH_ERR_NOT_RMACH && errno == ENOTTY,
	   "a device that is not rmach: RMACH_ERR_NOT_RMACH, errno ENOTTY");

	ok(mach_port_allocate(1234, MACH_PORT_RIGHT_RECEIVE, &name) ==
	   KERN_INVALID_TASK, "a task other than mach_task_self() is refused");
	ok(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, NULL) ==
	   KERN_INVALID_ARGUMENT, "NULL out pointer is refused");
	memset(&h, 0, sizeof(h));
	ok(mach_msg(&h, MACH_SEND_MSG, 4, 0, 0, 0, 0) == MACH_SEND_MSG_TOO_SMALL,
	   "send smaller than a header is refused");
	ok(mach_msg(&h, 0x80000000u, 0, 0, 0, 0, 0) == MACH_RCV_INVALID_NAME,
	   "unknown option is refused");
	ok(bootstrap_look_up(bootstrap_port, "", &name) == KERN_INVALID_ARGUMENT,
	   "empty registry key is refused");
	return failed;
}
