// SPDX-License-Identifier: MIT
/*
 * device.c - the process's IPC space: opened on first use, checked against
 * the module's ABI version, reopened (empty) in a child after fork().
 *
 * Locking: lm_lock serialises opening; the fd is published with release
 * semantics so the fast path is one atomic load.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "internal.h"

static pthread_mutex_t lm_lock = PTHREAD_MUTEX_INITIALIZER;
static int lm_fd = -1;
static int lm_atfork_done;

/* The module's ABI when it did not match ours (for rmach_strerror). */
unsigned int lm_module_abi;

static void lm_after_fork_child(void)
{
	/* The inherited fd belongs to the parent's space (the kernel answers
	 * EBADFD here): drop it and open a space of our own on next use. */
	int fd = __atomic_exchange_n(&lm_fd, -1, __ATOMIC_ACQ_REL);

	if (fd >= 0)
		close(fd);
	pthread_mutex_init(&lm_lock, NULL);
}

static kern_return_t lm_open(int *out)
{
	const char *path = getenv("RMACH_DEVICE");
	struct rmach_version v = { 0 };
	int fd;

	if (!path || !*path)
		path = RMACH_DEVICE;
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT || errno == ENXIO || errno == ENODEV ?
			RMACH_ERR_NO_DEVICE : RMACH_ERR_ERRNO;
	if (ioctl(fd, RMACH_IOC_VERSION, &v) < 0) {
		int err = errno;

		close(fd);
		errno = err;
		return RMACH_ERR_NOT_RMACH;
	}
	if (v.abi_version != RMACH_ABI_VERSION) {
		lm_module_abi = v.abi_version;
		close(fd);
		errno = EPROTO;
		return RMACH_ERR_ABI_MISMATCH;
	}
	*out = fd;
	return KERN_SUCCESS;
}

int lm_space_fd(ipc_space_t task, kern_return_t *kr)
{
	int fd = __atomic_load_n(&lm_fd, __ATOMIC_ACQUIRE);

	if (task != MACH_TASK_SELF) {
		errno = EINVAL;
		*kr = KERN_INVALID_TASK;
		return -1;
	}
	if (fd >= 0)
		return fd;

	pthread_mutex_lock(&lm_lock);
	fd = lm_fd;
	if (fd < 0) {
		*kr = lm_open(&fd);
		if (*kr == KERN_SUCCESS) {
			if (!lm_atfork_done) {
				pthread_atfork(NULL, NULL, lm_after_fork_child);
				lm_atfork_done = 1;
			}
			__atomic_store_n(&lm_fd, fd, __ATOMIC_RELEASE);
		} else {
			fd = -1;
		}
	}
	pthread_mutex_unlock(&lm_lock);
	return fd;
}

kern_return_t lm_ioctl(ipc_space_t task, unsigned long cmd, void *arg,
		       kern_return_t (*map)(int err))
{
	kern_return_t kr;
	int fd = lm_space_fd(task, &kr);

	if (fd < 0)
		return kr;
	if (ioctl(fd, cmd, arg) < 0)
		return map(errno);
	return KERN_SUCCESS;
}

kern_return_t rmach_init(void)
{
	kern_return_t kr = KERN_SUCCESS;

	lm_space_fd(MACH_TASK_SELF, &kr);
	return kr;
}

int rmach_fd(void)
{
	kern_return_t kr;

	return lm_space_fd(MACH_TASK_SELF, &kr);
}

kern_return_t rmach_version(struct rmach_version *out)
{
	if (!out)
		return KERN_INVALID_ARGUMENT;
	return lm_ioctl(MACH_TASK_SELF, RMACH_IOC_VERSION, out, lm_port_errno);
}

kern_return_t rmach_space_stats(struct rmach_space_stats *out)
{
	if (!out)
		return KERN_INVALID_ARGUMENT;
	return lm_ioctl(MACH_TASK_SELF, RMACH_IOC_SPACE_STATS, out,
			lm_port_errno);
}

kern_return_t rmach_poll_port(mach_port_name_t name)
{
	struct rmach_port_name p = { .name = name };

	return lm_ioctl(MACH_TASK_SELF, RMACH_IOC_POLL_PORT, &p, lm_port_errno);
}
