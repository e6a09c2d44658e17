/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rmach_internal.h - shared state of the /dev/rmach module.
 *
 * Locking (outermost first):
 *   rmk_registry.lock   (mutex)  registry entries; held across core calls
 *   rmk_dev.lock        (mutex)  THE core lock: core/ takes it through
 *                                ops->lock for every rmc_* call; kmod takes it
 *                                itself only for its own state (users table,
 *                                owner limits) and never calls rmc_* under it
 *   rmk_waiter.wq / rmk_dev.poll_wq  wait queue spinlocks
 *   rmk_file.uring_lock (spinlock) io_uring receives in flight; taken from a
 *                                waiter's wake function, innermost
 * core/ calls ops->wake and ops->owner_release with rmk_dev.lock held; those
 * callbacks only touch wait queues and the users table.
 */
#ifndef RMACH_INTERNAL_H
#define RMACH_INTERNAL_H

#include <linux/mutex.h>
#include <linux/wait.h>
#include <linux/hashtable.h>
#include <linux/uidgid.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/poll.h>
#include <linux/ktime.h>
#include <linux/spinlock.h>
#include <linux/list.h>
#include <linux/rmach.h>
#include "rmach_core.h"

/* Module parameters (rmach_main.c); 0 means unlimited for the caps. */
extern unsigned int rmk_max_msg_size;
extern unsigned int rmk_max_names;
extern unsigned int rmk_space_ports;
extern unsigned int rmk_space_msgs;
extern unsigned int rmk_space_bytes;
extern unsigned int rmk_user_ports;
extern unsigned int rmk_user_msgs;
extern unsigned int rmk_user_bytes;
extern unsigned int rmk_user_spaces;
extern unsigned int rmk_registry_max;
extern unsigned int rmk_registry_per_user;

/* One per Linux user with an open space: the core's accounting owner. */
struct rmk_user {
	struct rmc_owner owner;		/* core-maintained usage, our limits */
	kuid_t uid;
	unsigned int files;		/* open spaces (not yet released) */
	struct hlist_node node;		/* rmk_dev.users, under rmk_dev.lock */
};

struct rmk_dev {
	struct mutex lock;		/* the core lock, see above */
	struct rmc_sys *sys;
	DECLARE_HASHTABLE(users, 6);	/* rmk_user by uid, under lock */
	unsigned int nusers;
	/* Set by a caller about to block on its reply: its wakes are WF_SYNC. */
	struct task_struct *handoff_task;
	/* Waiters the core woke during this lock hold, woken at unlock. */
	struct rmk_waiter *pending_wakes;
	/* poll()ers of every space; woken after anything that may queue. */
	wait_queue_head_t poll_wq;
};

extern struct rmk_dev rmk_dev;

/* One per open of /dev/rmach. */
struct rmk_file {
	struct rmc_space *space;	/* NULL once torn down */
	struct pid *tgid;		/* the owning thread group */
	struct rmk_user *user;
	struct rmc_limits limits;	/* this space's caps (from parameters) */
	rmc_name_t poll_name;		/* RMACH_IOC_POLL_PORT target */
	atomic64_t msgs_sent, msgs_received;
	spinlock_t uring_lock;		/* uring_reqs, uring_closes */
	struct list_head uring_reqs;	/* receives in flight (rmach_uring.c) */
	unsigned int uring_closes;	/* owner's closes: cancels so far */
};

/* A thread blocked in the core (lives on its kernel stack). */
struct rmk_waiter {
	struct rmc_waiter core;
	wait_queue_head_t wq;
	bool woken;			/* set by ops->wake under the core lock */
	bool wake_pending;		/* on rmk_dev.pending_wakes */
	bool wake_sync;			/* wake it WF_SYNC */
	struct rmk_waiter *next_wake;
	pid_t pid;			/* the sleeping thread (tracing) */
};

/* rmach_sys.c: the platform ops table and users. */
int rmk_sys_init(void);
void rmk_sys_exit(void);
struct rmk_user *rmk_user_get(kuid_t uid);
void rmk_user_put(struct rmk_user *user);
void rmk_waiter_init(struct rmk_waiter *w);
int rmk_waiter_sleep(struct rmk_waiter *w, ktime_t deadline);
int rmk_errno(rmc_ret_t ret);
int rmk_limit_errno(struct rmk_file *rf, bool ports, u32 bytes);

static inline void rmk_poll_wake(void)
{
	if (wq_has_sleeper(&rmk_dev.poll_wq))
		wake_up_interruptible_poll(&rmk_dev.poll_wq, EPOLLIN);
}

/* rmach_port.c: name and right ioctls. */
long rmk_ioctl_port(struct rmk_file *rf, unsigned int cmd, void __user *arg);

/* rmach_msg.c: RMACH_IOC_MSG. */
long rmk_ioctl_msg(struct rmk_file *rf, struct file *file, void __user *arg);
int rmk_msg_uring_check(const struct rmach_msg_args *a, u32 options);
int rmk_msg_send_nowait(struct rmk_file *rf, struct rmach_msg_args *a);
int rmk_msg_rcv_once(struct rmk_file *rf, struct rmach_msg_args *a,
		     struct rmk_waiter *w);

/* rmach_uring.c: IORING_OP_URING_CMD. */
struct io_uring_cmd;
int rmk_uring_cmd(struct io_uring_cmd *cmd, unsigned int issue_flags);
void rmk_uring_cancel_all(struct rmk_file *rf);
void rmk_uring_exit(void);

/* rmach_registry.c */
int rmk_registry_init(void);
void rmk_registry_exit(void);
long rmk_ioctl_registry(struct rmk_file *rf, unsigned int cmd,
			void __user *arg);
unsigned int rmk_registry_count(void);
void rmk_registry_reap(void);

/* rmach_debugfs.c */
void rmk_debugfs_init(void);
void rmk_debugfs_exit(void);

#endif /* RMACH_INTERNAL_H */
