// SPDX-License-Identifier: GPL-2.0
/*
 * Smoke test, run as root in the guest after guest-init loaded rmach.ko:
 * /dev/rmach exists as the documented character device (mode 0666) and can
 * be opened and closed. Load and unload themselves are checked by the runner
 * (a failed insmod or rmmod fails the whole guest session).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <unistd.h>

#include "kselftest_harness.h"

#define RMACH_DEV "/dev/rmach"

TEST(dev_node_is_char_device_0666)
{
	struct stat st;

	ASSERT_EQ(0, stat(RMACH_DEV, &st)) {
		TH_LOG("stat %s: %s (is rmach.ko loaded?)", RMACH_DEV,
		       strerror(errno));
	}
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0666u, st.st_mode & 07777) {
		TH_LOG("mode is %04o", st.st_mode & 07777);
	}
}

TEST(dev_node_belongs_to_misc_major)
{
	struct stat st;

	ASSERT_EQ(0, stat(RMACH_DEV, &st));
	/* A misc device: major 10 (MISC_MAJOR), dynamic minor. */
	EXPECT_EQ(10u, major(st.st_rdev));
}

TEST(open_close_read_write)
{
	int fd = open(RMACH_DEV, O_RDWR | O_CLOEXEC);

	ASSERT_LE(0, fd) {
		TH_LOG("open %s: %s", RMACH_DEV, strerror(errno));
	}
	EXPECT_EQ(0, close(fd));
}

TEST(open_close_repeatedly)
{
	/* Each open creates and each close tears down an IPC space. */
	for (int i = 0; i < 1000; i++) {
		int fd = open(RMACH_DEV, O_RDWR | O_CLOEXEC);

		ASSERT_LE(0, fd) {
			TH_LOG("open #%d: %s", i, strerror(errno));
		}
		ASSERT_EQ(0, close(fd));
	}
}

TEST(many_spaces_open_at_once)
{
	enum { N = 64 };
	int fds[N];

	for (int i = 0; i < N; i++) {
		fds[i] = open(RMACH_DEV, O_RDWR | O_CLOEXEC);
		ASSERT_LE(0, fds[i]);
	}
	for (int i = 0; i < N; i++)
		EXPECT_EQ(0, close(fds[i]));
}

TEST_HARNESS_MAIN
