// SPDX-License-Identifier: GPL-2.0
/* Helpers for transports built on file descriptors. */
#include <errno.h>
#include <unistd.h>

#include "transport.h"

/* Stream transports may split a message: loop until all of it moved. */
int write_full(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int read_full(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len) {
		ssize_t n = read(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -EPIPE;	/* the peer went away mid-run */
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

void close_fds(struct channel *ch)
{
	for (size_t i = 0; i < sizeof(ch->fd) / sizeof(ch->fd[0]); i++) {
		if (ch->fd[i] >= 0)
			close(ch->fd[i]);
		ch->fd[i] = -1;
	}
}
