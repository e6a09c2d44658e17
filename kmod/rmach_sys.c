// SPDX-License-Identifier: GPL-2.0
/*
 * rmach_sys.c - the platform side of core/: ops table, waiters, users,
 * return code to errno mapping.
 *
 * Locking: rmk_dev.lock is the core's one system lock (ops->lock/unlock).
 * ops->wake only queues the waiter on rmk_dev.pending_wakes (under the
 * lock); ops->unlock wakes them just before releasing it.
 * rmk_dev.users and each rmk_user's limits and files count are protected by
 * it too; kmod takes it directly only around that state and never calls rmc_*
 * while holding it. ops->wake and ops->owner_release run with it held.
 */
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/ktime.h>
#include <linux/sched/signal.h>
#include "rmach_internal.h"
#include "rmach_trace.h"

struct rmk_dev rmk_dev;

static void *rmk_core_alloc(void *ctx, size_t size)
{
	/*
	 * Message bodies may be up to max_msg_size: fall back to vmalloc.
	 * Sizes are the caller's to choose and a failure is its ENOMEM, not
	 * the kernel's trouble: no allocation-failure warning (vmalloc's would
	 * print a stack trace into the log of the machine, for any user).
	 */
	return kvmalloc(size, GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
}

static void rmk_core_free(void *ctx, void *ptr, size_t size)
{
	kvfree(ptr);
}

/* sparse does not track mutexes: no __acquires/__releases here. */
static void rmk_core_lock(void *ctx)
{
	mutex_lock(&rmk_dev.lock);
}

/*
 * Wakes what the core asked for during this hold, then unlocks, with
 * preemption off across both (binder's pattern with its spinlock): a woken
 * thread cannot preempt us while we still hold the lock it needs next, and
 * cannot leave (its waiter lives on its stack) before we are done with it,
 * since leaving takes the lock. The switch to it happens at preempt_enable().
 */
static void rmk_core_unlock(void *ctx)
{
	struct rmk_waiter *w = rmk_dev.pending_wakes, *next;

	if (!w) {
		mutex_unlock(&rmk_dev.lock);
		return;
	}
	rmk_dev.pending_wakes = NULL;
	preempt_disable();
	for (; w; w = next) {
		next = w->next_wake;
		w->wake_pending = false;
		if (w->wake_sync)
			wake_up_interruptible_sync(&w->wq);
		else
			wake_up_interruptible(&w->wq);
	}
	mutex_unlock(&rmk_dev.lock);
	preempt_enable();
}

/*
 * A waiter became runnable: note it, wake it at unlock. A caller that is
 * about to block on its reply (handoff_task) wakes with WF_SYNC so the
 * scheduler may run the woken receiver on this CPU at once, as binder does
 * for transactions.
 */
static void rmk_core_wake(void *ctx, struct rmc_waiter *cw)
{
	struct rmk_waiter *w = container_of(cw, struct rmk_waiter, core);

	lockdep_assert_held(&rmk_dev.lock);
	WRITE_ONCE(w->woken, true);
	w->wake_sync = READ_ONCE(rmk_dev.handoff_task) == current;
	if (w->wake_sync)
		trace_rmach_handoff(current->pid, w->pid);
	if (w->wake_pending)
		return;
	w->wake_pending = true;
	w->next_wake = rmk_dev.pending_wakes;
	rmk_dev.pending_wakes = w;
}

/*
 * The core stamps each queued message for the dequeue tracepoint's wait_ns.
 * Read the clock only while that tracepoint is on: a clock read on every
 * send is measurable, and costs microseconds where the clocksource traps
 * (HPET in a VM). A stamp of 0 means "not timed".
 */
static uint64_t rmk_core_now(void *ctx)
{
	return trace_rmach_msg_dequeue_enabled() ? ktime_get_ns() : 0;
}

/* The core no longer charges anything to this owner. */
static void rmk_core_owner_release(void *ctx, struct rmc_owner *owner)
{
	struct rmk_user *user = container_of(owner, struct rmk_user, owner);

	lockdep_assert_held(&rmk_dev.lock);
	if (user->files)
		return;
	hash_del(&user->node);
	rmk_dev.nusers--;
	kfree(user);
}

static const struct rmc_ops rmk_core_ops = {
	.alloc		= rmk_core_alloc,
	.free		= rmk_core_free,
	.lock		= rmk_core_lock,
	.unlock		= rmk_core_unlock,
	.wake		= rmk_core_wake,
	.now		= rmk_core_now,
	.owner_release	= rmk_core_owner_release,
};

int rmk_sys_init(void)
{
	struct rmc_sys_config cfg = {
		.max_body = rmk_max_msg_size,
		.max_names = rmk_max_names,
		.space_limit = {
			.ports = rmk_space_ports,
			.msgs = rmk_space_msgs,
			.bytes = rmk_space_bytes,
		},
	};
	rmc_ret_t ret;

	mutex_init(&rmk_dev.lock);
	hash_init(rmk_dev.users);
	init_waitqueue_head(&rmk_dev.poll_wq);
	ret = rmc_sys_create(&rmk_core_ops, &rmk_dev, &cfg, &rmk_dev.sys);
	return ret == RMC_SUCCESS ? 0 : rmk_errno(ret);
}

void rmk_sys_exit(void)
{
	rmc_ret_t ret = rmc_sys_destroy(rmk_dev.sys);

	/* Every space is gone when the module can be unloaded. */
	WARN_ON(ret != RMC_SUCCESS);
	mutex_destroy(&rmk_dev.lock);
}

static void rmk_user_set_limits(struct rmk_user *user)
{
	user->owner.limit.ports = rmk_user_ports;
	user->owner.limit.msgs = rmk_user_msgs;
	user->owner.limit.bytes = rmk_user_bytes;
}

/*
 * The accounting owner of uid, with one more open space, or an ERR_PTR:
 * -EMFILE past max_user_spaces, -ENOMEM.
 */
struct rmk_user *rmk_user_get(kuid_t uid)
{
	struct rmk_user *user, *fresh;

	fresh = kzalloc(sizeof(*fresh), GFP_KERNEL_ACCOUNT);
	if (!fresh)
		return ERR_PTR(-ENOMEM);

	mutex_lock(&rmk_dev.lock);
	hash_for_each_possible(rmk_dev.users, user, node, __kuid_val(uid)) {
		if (uid_eq(user->uid, uid))
			goto found;
	}
	user = fresh;
	fresh = NULL;
	user->uid = uid;
	hash_add(rmk_dev.users, &user->node, __kuid_val(uid));
	rmk_dev.nusers++;
found:
	if (rmk_user_spaces && user->files >= rmk_user_spaces) {
		user = ERR_PTR(-EMFILE);
	} else {
		user->files++;
		/* Limits are module parameters: new opens see changes. */
		rmk_user_set_limits(user);
	}
	mutex_unlock(&rmk_dev.lock);
	kfree(fresh);
	return user;
}

/* Drops an open space's hold; frees the user once the core is done too. */
void rmk_user_put(struct rmk_user *user)
{
	bool unused;

	mutex_lock(&rmk_dev.lock);
	unused = --user->files == 0 && user->owner.spaces == 0;
	if (unused) {
		hash_del(&user->node);
		rmk_dev.nusers--;
	}
	mutex_unlock(&rmk_dev.lock);
	if (unused)
		kfree(user);
}

void rmk_waiter_init(struct rmk_waiter *w)
{
	rmc_waiter_init(&w->core, w);
	init_waitqueue_head(&w->wq);
	w->woken = false;
	w->wake_pending = false;
	w->wake_sync = false;
	w->next_wake = NULL;
	w->pid = current->pid;
}

/*
 * Sleeps until the core wakes w, the deadline passes or a signal arrives.
 * deadline is a CLOCK_MONOTONIC time, or KTIME_MAX for no limit; hrtimers
 * keep millisecond timeouts exact (jiffies can jump in a virtual machine).
 * Returns 0 (woken: retry), -ETIMEDOUT or -ERESTARTSYS. The caller clears
 * w->woken before each retry, so a wake between retry and sleep is not lost.
 */
int rmk_waiter_sleep(struct rmk_waiter *w, ktime_t deadline)
{
	ktime_t left;
	int err;

	if (deadline == KTIME_MAX)
		return wait_event_interruptible(w->wq, READ_ONCE(w->woken));
	left = ktime_sub(deadline, ktime_get());
	if (left <= 0)
		return READ_ONCE(w->woken) ? 0 : -ETIMEDOUT;
	err = wait_event_interruptible_hrtimeout(w->wq, READ_ONCE(w->woken),
						 left);
	return err == -ETIME ? -ETIMEDOUT : err;
}

/*
 * The one table from core return codes to errno (documented in
 * uapi/linux/rmach.h). Context-dependent codes (INVALID_DEST, LIMIT_EXCEEDED,
 * timeouts) are refined by their callers.
 */
int rmk_errno(rmc_ret_t ret)
{
	switch (ret) {
	case RMC_SUCCESS:		return 0;
	case RMC_INVALID_NAME:		return -ENOENT;
	case RMC_INVALID_RIGHT:		return -EPERM;
	case RMC_INVALID_VALUE:		return -EINVAL;
	case RMC_UREFS_OVERFLOW:	return -EOVERFLOW;
	case RMC_NAME_EXISTS:		return -EEXIST;
	case RMC_RIGHT_EXISTS:		return -EEXIST;
	case RMC_NO_SPACE:		return -ENOSPC;
	case RMC_RESOURCE_SHORTAGE:	return -ENOMEM;
	case RMC_LIMIT_EXCEEDED:	return -ENOBUFS;
	case RMC_NOT_IN_SET:		return -ESRCH;
	case RMC_WOULD_BLOCK:		return -EAGAIN;
	case RMC_SEND_TIMED_OUT:	return -EAGAIN;
	case RMC_RCV_TIMED_OUT:		return -EAGAIN;
	case RMC_RCV_TOO_LARGE:		return -EMSGSIZE;
	case RMC_MSG_TOO_LARGE:		return -EMSGSIZE;
	case RMC_INVALID_DEST:		return -ENOENT;
	case RMC_INVALID_REPLY:		return -ENOENT;
	case RMC_PORT_DIED:		return -EPIPE;
	case RMC_PORT_CHANGED:		return -ESTALE;
	default:			return -EINVAL;
	}
}

/*
 * RMC_LIMIT_EXCEEDED does not say whose cap was hit: a space cap gives
 * ENOSPC (ports) or ENOBUFS (queued messages/bytes), the user's EDQUOT.
 * bytes is the body size of the message that was refused (0 for ports).
 */
int rmk_limit_errno(struct rmk_file *rf, bool ports, u32 bytes)
{
	const struct rmc_limits *slim = &rf->limits;
	struct rmc_limits ulim;
	struct rmc_usage suse, uuse;
	bool space_full, user_full;

	rmc_space_get_usage(rf->space, &suse);
	mutex_lock(&rmk_dev.lock);
	ulim = rf->user->owner.limit;
	uuse = rf->user->owner.use;
	mutex_unlock(&rmk_dev.lock);

	if (ports) {
		space_full = slim->ports && suse.ports >= slim->ports;
		user_full = ulim.ports && uuse.ports >= ulim.ports;
	} else {
		space_full = (slim->msgs && suse.msgs >= slim->msgs) ||
			     (slim->bytes && (u64)suse.bytes + bytes > slim->bytes);
		user_full = (ulim.msgs && uuse.msgs >= ulim.msgs) ||
			    (ulim.bytes && (u64)uuse.bytes + bytes > ulim.bytes);
	}
	trace_rmach_limit_hit(rf->space,
			      rmk_trace_limit(ports, user_full && !space_full));
	if (user_full && !space_full)
		return -EDQUOT;
	return ports ? -ENOSPC : -ENOBUFS;
}
