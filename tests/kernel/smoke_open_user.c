// SPDX-License-Identifier: GPL-2.0
/*
 * Smoke test run as an unprivileged user: the guest test runner runs every
 * program whose name ends in "_user" as uid/gid 65534 (nobody). Mode 0666
 * must let any user open /dev/rmach.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"

TEST(runs_unprivileged)
{
	EXPECT_NE(0u, getuid());
	EXPECT_NE(0u, geteuid());
}

TEST(open_close_as_user)
{
	int fd = open("/dev/rmach", O_RDWR | O_CLOEXEC);

	ASSERT_LE(0, fd) {
		TH_LOG("open /dev/rmach as uid %d: %s", (int)getuid(),
		       strerror(errno));
	}
	EXPECT_EQ(0, close(fd));
}

TEST_HARNESS_MAIN
