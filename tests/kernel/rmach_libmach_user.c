// SPDX-License-Identifier: GPL-2.0
/*
 * libmach against the real module, as an unprivileged user (uid 65534):
 * Mach-style calls and codes, mach_msg send/receive/call with timeouts and
 * RCV_LARGE, port sets, attributes, the registry, and a child after fork()
 * getting a space of its own.
 */
#include <mach/mach.h>
#include <sys/wait.h>
#include <unistd.h>
#include "kselftest_harness.h"

struct small_msg {
	mach_msg_header_t head;
	char data[64];
};

static mach_port_t port_with_send(void)
{
	mach_port_t p = MACH_PORT_NULL;

	if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &p) ||
	    mach_port_insert_right(mach_task_self(), p, p,
				   MACH_MSG_TYPE_MAKE_SEND))
		return MACH_PORT_NULL;
	return p;
}

static kern_return_t send_simple(mach_port_t dest, mach_msg_id_t id,
				 const char *text)
{
	struct small_msg m;

	memset(&m, 0, sizeof(m));
	m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	m.head.msgh_remote_port = dest;
	m.head.msgh_id = id;
	m.head.msgh_size = sizeof(m.head) + (mach_msg_size_t)strlen(text) + 1;
	strcpy(m.data, text);
	return mach_msg(&m.head, MACH_SEND_MSG | MACH_SEND_TIMEOUT,
			m.head.msgh_size, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL);
}

TEST(runs_unprivileged)
{
	EXPECT_NE(0u, getuid());
	EXPECT_EQ(KERN_SUCCESS, rmach_init());
}

TEST(ports_and_codes)
{
	mach_port_t p = port_with_send();
	mach_port_type_t type;
	mach_port_urefs_t refs;

	ASSERT_NE(MACH_PORT_NULL, p);
	ASSERT_EQ(KERN_SUCCESS, mach_port_type(mach_task_self(), p, &type));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, type);
	EXPECT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), p,
						   MACH_PORT_RIGHT_SEND, 2));
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_refs(mach_task_self(), p,
						   MACH_PORT_RIGHT_SEND, &refs));
	EXPECT_EQ(3u, refs);
	EXPECT_EQ(KERN_UREFS_OVERFLOW,
		  mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_SEND,
				     0xFFFF));
	EXPECT_EQ(KERN_INVALID_VALUE,
		  mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_SEND,
				     -9));
	EXPECT_EQ(KERN_INVALID_NAME,
		  mach_port_deallocate(mach_task_self(), 0x00c0c000));
	EXPECT_EQ(KERN_INVALID_TASK,
		  mach_port_deallocate(1234, p));
	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), p));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_destroy(mach_task_self(), p));
	EXPECT_STREQ("KERN_INVALID_NAME", mach_error_string(KERN_INVALID_NAME));
}

TEST(mach_msg_send_receive_timeouts)
{
	mach_port_t p = port_with_send();
	struct small_msg m;
	mach_port_limits_t lim = { .mpl_qlimit = 1 };

	ASSERT_NE(MACH_PORT_NULL, p);
	ASSERT_EQ(KERN_SUCCESS,
		  mach_port_set_attributes(mach_task_self(), p,
					   MACH_PORT_LIMITS_INFO,
					   (mach_port_info_t)&lim,
					   MACH_PORT_LIMITS_INFO_COUNT));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_simple(p, 7, "one"));
	EXPECT_EQ(MACH_SEND_TIMED_OUT, send_simple(p, 8, "two"));

	/* Too small: RCV_LARGE reports the size; the message stays. */
	memset(&m, 0, sizeof(m));
	EXPECT_EQ(MACH_RCV_TOO_LARGE,
		  mach_msg(&m.head, MACH_RCV_MSG | MACH_RCV_LARGE, 0,
			   sizeof(m.head) + 1, p, 0, MACH_PORT_NULL));
	EXPECT_EQ(sizeof(m.head) + 4, m.head.msgh_size);
	ASSERT_EQ(MACH_MSG_SUCCESS,
		  mach_msg(&m.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
			   sizeof(m), p, 0, MACH_PORT_NULL));
	EXPECT_EQ(7u, m.head.msgh_id);
	EXPECT_STREQ("one", m.data);
	EXPECT_EQ(p, m.head.msgh_local_port);
	EXPECT_EQ(MACH_RCV_TIMED_OUT,
		  mach_msg(&m.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
			   sizeof(m), p, 50, MACH_PORT_NULL));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, send_simple(0x00eeee00, 1, "x"));
	EXPECT_EQ(MACH_RCV_INVALID_NAME,
		  mach_msg(&m.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
			   sizeof(m), 0x00eeee00, 0, MACH_PORT_NULL));
	mach_port_destroy(mach_task_self(), p);
	/* A dead destination. */
	EXPECT_EQ(MACH_SEND_INVALID_DEST, send_simple(p, 1, "x"));
	mach_port_deallocate(mach_task_self(), p);
}

TEST(port_sets_and_status)
{
	mach_port_t a = port_with_send(), b = port_with_send(), set;
	mach_port_status_t st;
	mach_msg_type_number_t count = MACH_PORT_RECEIVE_STATUS_COUNT;
	struct small_msg m;

	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(mach_task_self(),
						   MACH_PORT_RIGHT_PORT_SET,
						   &set));
	ASSERT_EQ(KERN_SUCCESS, mach_port_move_member(mach_task_self(), a, set));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(mach_task_self(), b, set));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_simple(b, 2, "to b"));
	ASSERT_EQ(KERN_SUCCESS,
		  mach_port_get_attributes(mach_task_self(), b,
					   MACH_PORT_RECEIVE_STATUS,
					   (mach_port_info_t)&st, &count));
	EXPECT_EQ(1u, st.mps_msgcount);
	EXPECT_NE(0u, st.mps_pset);
	EXPECT_EQ(1u, st.mps_srights);
	ASSERT_EQ(MACH_MSG_SUCCESS,
		  mach_msg(&m.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
			   sizeof(m), set, 1000, MACH_PORT_NULL));
	EXPECT_EQ(b, m.head.msgh_local_port);
	EXPECT_EQ(KERN_SUCCESS, mach_port_extract_member(mach_task_self(), b, set));
	EXPECT_EQ(KERN_NOT_IN_SET,
		  mach_port_extract_member(mach_task_self(), b, set));
	EXPECT_EQ(KERN_SUCCESS, mach_port_move_member(mach_task_self(), a,
						      MACH_PORT_NULL));
}

TEST(registry_and_fork)
{
	mach_port_t p = port_with_send(), got;
	char key[64];
	struct small_msg m;
	pid_t pid;
	int status;

	snprintf(key, sizeof(key), "lm.user.%d", (int)getpid());
	ASSERT_EQ(KERN_SUCCESS, bootstrap_register(bootstrap_port, key, p));
	EXPECT_EQ(BOOTSTRAP_NAME_IN_USE,
		  bootstrap_register(bootstrap_port, key, p));
	EXPECT_EQ(KERN_SUCCESS,
		  bootstrap_register_replace(bootstrap_port, key, p));
	EXPECT_EQ(BOOTSTRAP_UNKNOWN_SERVICE,
		  bootstrap_look_up(bootstrap_port, "lm.nothing.here", &got));

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		/* A fresh space: the parent's names mean nothing here. */
		mach_port_type_t type;
		mach_port_t s;

		if (mach_port_type(mach_task_self(), p, &type) !=
		    KERN_INVALID_NAME)
			_exit(1);
		if (bootstrap_look_up(bootstrap_port, key, &s))
			_exit(2);
		_exit(send_simple(s, 42, "from child") ? 3 : 0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	ASSERT_EQ(MACH_MSG_SUCCESS,
		  mach_msg(&m.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
			   sizeof(m), p, 5000, MACH_PORT_NULL));
	EXPECT_EQ(42u, m.head.msgh_id);
	EXPECT_STREQ("from child", m.data);
	EXPECT_EQ(KERN_SUCCESS, bootstrap_unregister(bootstrap_port, key));
	EXPECT_EQ(BOOTSTRAP_UNKNOWN_SERVICE,
		  bootstrap_unregister(bootstrap_port, key));
}

TEST_HARNESS_MAIN
