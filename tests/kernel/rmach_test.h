/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rmach_test.h - helpers for the /dev/rmach guest tests: raw ioctl wrappers
 * that return 0 or -errno (so tests can assert exact errnos), message
 * building, and the debugfs counters every test compares with its baseline.
 * Include after kselftest_harness.h.
 */
#ifndef RMACH_TEST_H
#define RMACH_TEST_H

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/rmach.h>

#define RM_DEBUGFS "/sys/kernel/debug/rmach/"

static inline int rm_open(void)
{
	return open(RMACH_DEVICE, O_RDWR | O_CLOEXEC);
}

/* ioctl returning 0 or -errno. */
static inline int rm_ioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) < 0 ? -errno : 0;
}

static inline int rm_alloc(int fd, uint32_t right, uint32_t *name)
{
	struct rmach_port_alloc a = { .right = right };
	int err = rm_ioctl(fd, RMACH_IOC_PORT_ALLOCATE, &a);

	if (!err)
		*name = a.name;
	return err;
}

static inline int rm_name_op(int fd, unsigned long cmd, uint32_t name)
{
	struct rmach_port_name p = { .name = name };

	return rm_ioctl(fd, cmd, &p);
}

static inline uint32_t rm_type(int fd, uint32_t name)
{
	struct rmach_port_name p = { .name = name };

	return rm_ioctl(fd, RMACH_IOC_PORT_TYPE, &p) ? 0 : p.type;
}

static inline int rm_refs(int fd, uint32_t name, uint32_t right)
{
	struct rmach_port_refs r = { .name = name, .right = right };
	int err = rm_ioctl(fd, RMACH_IOC_PORT_GET_REFS, &r);

	return err ? err : (int)r.refs;
}

static inline int rm_mod_refs(int fd, uint32_t name, uint32_t right,
			      int32_t delta)
{
	struct rmach_port_refs r = { .name = name, .right = right,
				     .delta = delta };

	return rm_ioctl(fd, RMACH_IOC_PORT_MOD_REFS, &r);
}

static inline int rm_insert(int fd, uint32_t name, uint32_t poly,
			    uint32_t disp)
{
	struct rmach_port_right r = { .name = name, .poly = poly,
				      .disposition = disp };

	return rm_ioctl(fd, RMACH_IOC_PORT_INSERT_RIGHT, &r);
}

/* A receive right with a send right under the same name. */
static inline uint32_t rm_port_with_send(int fd)
{
	uint32_t name = 0;

	if (rm_alloc(fd, RMACH_RIGHT_RECEIVE, &name) ||
	    rm_insert(fd, name, name, RMACH_MSG_TYPE_MAKE_SEND))
		return 0;
	return name;
}

static inline int rm_qlimit(int fd, uint32_t name, uint32_t qlimit)
{
	struct rmach_port_attr a = { .name = name, .mask = RMACH_ATTR_QLIMIT,
				     .qlimit = qlimit };

	return rm_ioctl(fd, RMACH_IOC_PORT_SET_ATTR, &a);
}

static inline int rm_attr(int fd, uint32_t name, struct rmach_port_attr *a)
{
	memset(a, 0, sizeof(*a));
	a->name = name;
	return rm_ioctl(fd, RMACH_IOC_PORT_GET_ATTR, a);
}

/* A message with room for data and a few descriptors. */
struct rm_msg {
	struct rmach_msg_header h;
	union {
		struct {
			struct rmach_port_descriptor d[4];
			char after[256];
		} cx;
		char data[4096];
	} u;
};

/* Fills a simple message: data bytes follow the header (no descriptors). */
static inline void rm_msg_init(struct rm_msg *m, uint32_t dest,
			       uint32_t dest_disp, uint32_t reply,
			       uint32_t reply_disp, uint32_t id,
			       const void *data, uint32_t len)
{
	memset(&m->h, 0, sizeof(m->h));
	m->h.bits = RMACH_MSGH_BITS(dest_disp, reply ? reply_disp : 0);
	m->h.remote_port = dest;
	m->h.local_port = reply;
	m->h.id = id;
	m->h.size = sizeof(m->h) + len;
	if (len)
		memcpy(m->u.data, data, len);
}

/* Adds port descriptors (must be called before data is written). */
static inline void rm_msg_descs(struct rm_msg *m,
				const struct rmach_port_descriptor *d,
				uint32_t n)
{
	memcpy(m->u.cx.d, d, n * sizeof(*d));
	m->h.desc_count = n;
	m->h.bits |= RMACH_MSGH_BITS_COMPLEX;
	m->h.size = sizeof(m->h) + n * sizeof(*d);
}

/* timeout_ms < 0: block; otherwise a timeout (0 = fail at once). */
static inline int rm_send_msg(int fd, struct rm_msg *m, int timeout_ms)
{
	struct rmach_msg_args a = {
		.send_msg = (uintptr_t)m,
		.send_size = m->h.size,
		.options = RMACH_MSG_SEND,
	};

	if (timeout_ms >= 0) {
		a.options |= RMACH_MSG_SEND_TIMEOUT;
		a.send_timeout_ms = (uint32_t)timeout_ms;
	}
	return rm_ioctl(fd, RMACH_IOC_MSG, &a);
}

static inline int rm_send(int fd, uint32_t dest, uint32_t disp, uint32_t id,
			  const void *data, uint32_t len, int timeout_ms)
{
	struct rm_msg m;

	rm_msg_init(&m, dest, disp, 0, 0, id, data, len);
	return rm_send_msg(fd, &m, timeout_ms);
}

/* Receives into m; *size (if given) gets the size or the size needed. */
static inline int rm_recv_sz(int fd, uint32_t name, struct rm_msg *m,
			     uint32_t bufsize, int timeout_ms, uint32_t *size)
{
	struct rmach_msg_args a = {
		.rcv_msg = (uintptr_t)m,
		.rcv_size = bufsize,
		.rcv_name = name,
		.options = RMACH_MSG_RCV,
	};
	int err;

	if (timeout_ms >= 0) {
		a.options |= RMACH_MSG_RCV_TIMEOUT;
		a.rcv_timeout_ms = (uint32_t)timeout_ms;
	}
	err = rm_ioctl(fd, RMACH_IOC_MSG, &a);
	if (size)
		*size = a.rcv_size;
	return err;
}

static inline int rm_recv(int fd, uint32_t name, struct rm_msg *m,
			  int timeout_ms)
{
	return rm_recv_sz(fd, name, m, sizeof(*m), timeout_ms, NULL);
}

/* Registry. */
static inline int rm_reg(int fd, unsigned long cmd, const char *key,
			 uint32_t *name, uint32_t disp, uint32_t flags)
{
	struct rmach_registry r;
	int err;

	memset(&r, 0, sizeof(r));
	snprintf(r.key, sizeof(r.key), "%s", key);
	r.name = cmd == RMACH_IOC_REGISTER ? *name : 0;
	r.disposition = disp;
	r.flags = flags;
	err = rm_ioctl(fd, cmd, &r);
	if (!err && cmd == RMACH_IOC_LOOK_UP)
		*name = r.name;
	return err;
}

static inline int rm_register(int fd, const char *key, uint32_t name)
{
	return rm_reg(fd, RMACH_IOC_REGISTER, key, &name,
		      RMACH_MSG_TYPE_MAKE_SEND, 0);
}

/* Looks key up, retrying for up to 5 s while it is not registered yet. */
static inline int rm_look_up(int fd, const char *key, uint32_t *name)
{
	int i, err = -ENOENT;

	for (i = 0; i < 500 && err == -ENOENT; i++) {
		err = rm_reg(fd, RMACH_IOC_LOOK_UP, key, name, 0, 0);
		if (err == -ENOENT)
			usleep(10000);
	}
	return err;
}

static inline int rm_unregister(int fd, const char *key)
{
	uint32_t unused = 0;

	return rm_reg(fd, RMACH_IOC_UNREGISTER, key, &unused, 0, 0);
}

/* A registry key unique to this process and tag. */
static inline const char *rm_key(char *buf, size_t len, const char *tag)
{
	snprintf(buf, len, "t.%s.%d", tag, (int)getpid());
	return buf;
}

/* --- debugfs counters ---------------------------------------------------- */

#define RM_NCOUNTERS 7
static const char *const rm_counter_names[RM_NCOUNTERS] = {
	"spaces", "ports", "port_sets", "rights", "queued_msgs",
	"queued_bytes", "registry",
};

struct rm_counters {
	long long v[RM_NCOUNTERS];
};

static inline long long rm_counter(const char *name)
{
	char path[128];
	long long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), RM_DEBUGFS "%s", name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%lld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

static inline void rm_counters_read(struct rm_counters *c)
{
	int i;

	for (i = 0; i < RM_NCOUNTERS; i++)
		c->v[i] = rm_counter(rm_counter_names[i]);
}

/*
 * Waits (up to 2 s: a space whose sent messages are still being destroyed
 * by a dying process may linger briefly) for the counters to equal base.
 * Returns the index of the first counter that differs, or -1.
 */
static inline int rm_counters_settle(const struct rm_counters *base,
				     struct rm_counters *now)
{
	int tries, i;

	for (tries = 0; tries < 200; tries++) {
		rm_counters_read(now);
		for (i = 0; i < RM_NCOUNTERS; i++)
			if (now->v[i] != base->v[i])
				break;
		if (i == RM_NCOUNTERS)
			return -1;
		usleep(10000);
	}
	return i;
}

/* Asserts the counters are back to base; use at the end of a test. */
#define RM_EXPECT_BASELINE(base) do {					\
	struct rm_counters __now;					\
	int __i = rm_counters_settle(base, &__now);			\
	EXPECT_EQ(-1, __i) {						\
		TH_LOG("debugfs %s: %lld, baseline %lld",		\
		       rm_counter_names[__i], __now.v[__i], (base)->v[__i]); \
	}								\
} while (0)

/* Waits for a child; returns its exit status, or 128 + signal. */
static inline int rm_wait(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		return -1;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

static inline uint64_t rm_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

#endif /* RMACH_TEST_H */
