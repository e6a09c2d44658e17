// SPDX-License-Identifier: GPL-2.0
/*
 * rmach_msg.c - RMACH_IOC_MSG: send, receive and call (send + receive with
 * handoff).
 *
 * A message is copied from user memory into a core message before the core
 * lock is taken (the core copies rights in under its lock) and copied out
 * after the core has dequeued it and named its rights in the receiver's
 * space. Blocking happens here, never in the core: the core links an
 * rmk_waiter and returns RMC_WOULD_BLOCK; ops->wake wakes it; the thread
 * retries with the same waiter, or cancels it on timeout or signal.
 *
 * Handoff: for a call, rmk_dev.handoff_task is set to the caller around the
 * core call, so the receiver of the request is woken with WF_SYNC (the
 * scheduler may run it on this CPU at once) while the caller blocks on its
 * reply port within the same core lock hold.
 *
 * Locking: none held here; every rmc_* call takes the core lock itself.
 */
#include <linux/uaccess.h>
#include <linux/mm.h>
#include <linux/ktime.h>
#include <linux/sched/signal.h>
#include "rmach_internal.h"
#include "rmach_trace.h"

#define RMK_HDR_SIZE	sizeof(struct rmach_msg_header)
#define RMK_DESC_SIZE	sizeof(struct rmach_port_descriptor)

/* The uapi descriptor is the core's wire descriptor: copy arrays as is. */
static_assert(sizeof(struct rmach_port_descriptor) ==
	      sizeof(struct rmc_port_desc));
static_assert(offsetof(struct rmach_port_descriptor, disposition) ==
	      offsetof(struct rmc_port_desc, disp));

/* Blocking budget of one phase. */
struct rmk_phase {
	ktime_t deadline;	/* CLOCK_MONOTONIC, KTIME_MAX, or 0: not yet */
	u32 timeout_ms;
	bool may_block;		/* false: timeout 0 / O_NONBLOCK */
	bool timed;		/* a timeout was given (no restart on signal) */
};

static void rmk_phase_init(struct rmk_phase *ph, bool timeout_opt, u32 ms,
			   bool nonblock)
{
	ph->timed = timeout_opt;
	ph->timeout_ms = ms;
	ph->deadline = timeout_opt ? 0 : KTIME_MAX;
	ph->may_block = timeout_opt ? ms != 0 : !nonblock;
}

/* A phase's timeout runs from the moment it first has to wait. */
static int rmk_phase_sleep(struct rmk_phase *ph, struct rmk_waiter *w)
{
	if (!ph->deadline)
		ph->deadline = ktime_add_ms(ktime_get(), ph->timeout_ms);
	return rmk_waiter_sleep(w, ph->deadline);
}

/*
 * errno for a phase that could not wait any longer. A phase with a timeout
 * ends in EINTR when a signal handler ran, never restarted by SA_RESTART;
 * but a wait cut short by io_uring task work of this thread
 * (TIF_NOTIFY_SIGNAL) or by an ignored or stopping signal is restarted
 * (-ERESTARTNOHAND), its timeout counted again: no EINTR without a signal.
 */
static int rmk_phase_errno(const struct rmk_phase *ph, int sleep_err)
{
	if (sleep_err == -ERESTARTSYS && ph->timed)
		return -ERESTARTNOHAND;
	return sleep_err;
}

/*
 * Copies a user message into a new core message. Returns 0 and *out, or
 * -EINVAL (malformed header), -EMSGSIZE, -EFAULT, -ENOMEM.
 */
static int rmk_msg_copyin(const struct rmach_msg_args *a,
			  struct rmc_msg **out)
{
	const void __user *umsg = u64_to_user_ptr(a->send_msg);
	struct rmach_msg_header h;
	u32 remote, local, body;
	struct rmc_msg *msg;
	rmc_ret_t ret;

	if (a->send_size < RMK_HDR_SIZE)
		return -EINVAL;
	if (copy_from_user(&h, umsg, sizeof(h)))
		return -EFAULT;
	if (h.size != a->send_size)
		return -EINVAL;
	if (h.bits & ~(RMACH_MSGH_BITS_REMOTE_MASK | RMACH_MSGH_BITS_LOCAL_MASK |
		       RMACH_MSGH_BITS_COMPLEX))
		return -EINVAL;
	if (!!(h.bits & RMACH_MSGH_BITS_COMPLEX) != (h.desc_count != 0))
		return -EINVAL;
	if (h.desc_count > RMACH_MSG_MAX_DESCRIPTORS)
		return -EMSGSIZE;
	if (h.size < RMK_HDR_SIZE + h.desc_count * RMK_DESC_SIZE)
		return -EINVAL;
	body = h.size - RMK_HDR_SIZE - h.desc_count * RMK_DESC_SIZE;
	if (body > rmk_max_msg_size)
		return -EMSGSIZE;

	remote = RMACH_MSGH_BITS_REMOTE(h.bits);
	local = RMACH_MSGH_BITS_LOCAL(h.bits);
	/* The destination takes a send or send-once disposition. */
	if (remote < RMACH_MSG_TYPE_MOVE_SEND ||
	    remote > RMACH_MSG_TYPE_MAKE_SEND_ONCE)
		return -EINVAL;
	if (local && (local < RMACH_MSG_TYPE_MOVE_SEND ||
		      local > RMACH_MSG_TYPE_MAKE_SEND_ONCE))
		return -EINVAL;
	if (!local && h.local_port)
		return -EINVAL;

	ret = rmc_msg_alloc(rmk_dev.sys, body, h.desc_count, &msg);
	if (ret != RMC_SUCCESS)
		return rmk_errno(ret);
	msg->dest = h.remote_port;
	msg->dest_disp = remote;
	msg->reply = local ? h.local_port : RMC_NAME_NULL;
	msg->reply_disp = local;
	msg->id = h.id;
	umsg += RMK_HDR_SIZE;
	if (h.desc_count &&
	    copy_from_user(msg->desc, umsg, h.desc_count * RMK_DESC_SIZE))
		goto fault;
	umsg += h.desc_count * RMK_DESC_SIZE;
	if (body && copy_from_user(msg->body, umsg, body))
		goto fault;
	*out = msg;
	return 0;

fault:
	rmc_msg_free(rmk_dev.sys, msg);
	return -EFAULT;
}

/* The user size of a received message. */
static u32 rmk_msg_user_size(const struct rmc_msg *msg)
{
	return RMK_HDR_SIZE + msg->ndesc * RMK_DESC_SIZE + msg->body_size;
}

/*
 * A received message could not be written to user memory: destroy the
 * rights it brought into the space (nobody knows their names), as Mach does
 * for RCV_INVALID_DATA.
 */
static void rmk_msg_drop_rights(struct rmk_file *rf, struct rmc_msg *msg)
{
	struct rmc_space *sp = rf->space;
	u32 i;

	if (RMC_NAME_VALID(msg->reply))
		rmc_port_deallocate(sp, msg->reply);
	for (i = 0; i < msg->ndesc; i++) {
		struct rmc_port_desc *d = &msg->desc[i];

		if (!RMC_NAME_VALID(d->name))
			continue;
		if (d->disp == RMC_MOVE_RECEIVE)
			rmc_port_mod_refs(sp, d->name, RMC_RIGHT_RECEIVE, -1);
		else
			rmc_port_deallocate(sp, d->name);
	}
}

static int rmk_msg_copyout(struct rmk_file *rf, void __user *ubuf,
			   struct rmc_msg *msg)
{
	struct rmach_msg_header h = {
		/* As in Mach: remote = the reply right, local = where it came. */
		.bits = RMACH_MSGH_BITS(msg->reply_disp, msg->dest_disp) |
			(msg->ndesc ? RMACH_MSGH_BITS_COMPLEX : 0),
		.size = rmk_msg_user_size(msg),
		.remote_port = msg->reply,
		.local_port = msg->dest,
		.id = msg->id,
		.desc_count = msg->ndesc,
	};

	if (copy_to_user(ubuf, &h, sizeof(h)))
		goto fault;
	ubuf += RMK_HDR_SIZE;
	if (msg->ndesc &&
	    copy_to_user(ubuf, msg->desc, msg->ndesc * RMK_DESC_SIZE))
		goto fault;
	ubuf += msg->ndesc * RMK_DESC_SIZE;
	if (msg->body_size && copy_to_user(ubuf, msg->body, msg->body_size))
		goto fault;
	return 0;

fault:
	rmk_msg_drop_rights(rf, msg);
	return -EFAULT;
}

/*
 * errno for a failed send, with status bits saying what it was about.
 * A destination that is a dead name gives EPIPE.
 */
static int rmk_send_errno(struct rmk_file *rf, rmc_ret_t ret,
			  const struct rmc_msg *msg, u32 *status)
{
	rmc_name_t name;
	u32 type;

	switch (ret) {
	case RMC_INVALID_REPLY:
		*status |= RMACH_MSG_ERR_REPLY;
		name = msg->reply;
		break;
	case RMC_INVALID_DEST:
		name = msg->dest;
		break;
	case RMC_INVALID_NAME:
	case RMC_INVALID_RIGHT:
		*status |= RMACH_MSG_ERR_DESC;
		return rmk_errno(ret);
	case RMC_LIMIT_EXCEEDED:
		return rmk_limit_errno(rf, false, msg->body_size);
	default:
		return rmk_errno(ret);
	}
	if (!RMC_NAME_VALID(name))
		return -EINVAL;
	if (rmc_port_type(rf->space, name, &type) != RMC_SUCCESS)
		return -ENOENT;
	if (type & RMC_TYPE_DEAD_NAME)
		return -EPIPE;
	return -EPERM;
}

/* Sends msg, blocking on a full queue as ph allows. Consumes msg on 0. */
static int rmk_send(struct rmk_file *rf, struct rmc_msg *msg,
		    struct rmk_phase *ph, u32 *status)
{
	struct rmk_waiter w;
	rmc_ret_t ret;
	int err = 0;

	rmk_waiter_init(&w);
	for (;;) {
		w.woken = false;
		ret = rmc_msg_send(rf->space, msg, RMC_OPT_NONE,
				   ph->may_block ? &w.core : NULL);
		if (ret != RMC_WOULD_BLOCK)
			break;
		err = rmk_phase_sleep(ph, &w);
		if (err)
			break;
	}
	/* Only RMC_WOULD_BLOCK leaves the waiter linked (core contract). */
	if (ret == RMC_WOULD_BLOCK)
		rmc_waiter_cancel(rmk_dev.sys, &w.core);
	if (err)
		return rmk_phase_errno(ph, err);
	if (ret != RMC_SUCCESS)
		return rmk_send_errno(rf, ret, msg, status);
	trace_rmach_msg_enqueue(rf->space, msg);
	atomic64_inc(&rf->msgs_sent);
	*status |= RMACH_MSG_SENT;
	rmk_poll_wake();
	return 0;
}

static int rmk_rcv_errno(const struct rmk_phase *ph, rmc_ret_t ret)
{
	if (ret == RMC_RCV_TIMED_OUT && ph->timed && ph->may_block)
		return -ETIMEDOUT;
	return rmk_errno(ret);
}

/*
 * The receive phase: ret/msg/need are the result of a first attempt made by
 * the caller (a receive or the receive half of a call) with w linked if it
 * returned RMC_WOULD_BLOCK. Waits and retries until a message arrives.
 */
static int rmk_rcv_finish(struct rmk_file *rf, struct rmach_msg_args *a,
			  struct rmk_phase *ph, struct rmk_waiter *w,
			  rmc_ret_t ret, struct rmc_msg *msg, u32 need)
{
	u32 max = a->rcv_size - RMK_HDR_SIZE;
	int err = 0;

	while (ret == RMC_WOULD_BLOCK) {
		err = rmk_phase_sleep(ph, w);
		if (err)
			break;
		w->woken = false;
		ret = rmc_msg_receive(rf->space, a->rcv_name, max, RMC_OPT_NONE,
				      &w->core, &msg, &need);
	}
	/* Only RMC_WOULD_BLOCK leaves the waiter linked (core contract). */
	if (ret == RMC_WOULD_BLOCK)
		rmc_waiter_cancel(rmk_dev.sys, &w->core);
	if (err) {
		a->status |= RMACH_MSG_ERR_RCV;
		/* A call's send is done: restarting would send again. */
		if (err == -ERESTARTSYS && (a->status & RMACH_MSG_SENT))
			return -EINTR;
		return rmk_phase_errno(ph, err);
	}
	if (ret == RMC_RCV_TOO_LARGE) {
		a->rcv_size = need + RMK_HDR_SIZE;
		a->status |= RMACH_MSG_ERR_RCV;
		return -EMSGSIZE;
	}
	if (ret != RMC_SUCCESS) {
		a->status |= RMACH_MSG_ERR_RCV;
		return rmk_rcv_errno(ph, ret);
	}
	a->rcv_size = rmk_msg_user_size(msg);
	rmk_trace_dequeue(rf->space, msg, a->rcv_size);
	err = rmk_msg_copyout(rf, u64_to_user_ptr(a->rcv_msg), msg);
	trace_rmach_msg_receive(rf->space, msg, a->rcv_size, err);
	rmc_msg_free(rmk_dev.sys, msg);
	if (err) {
		a->status |= RMACH_MSG_ERR_RCV;
		return err;
	}
	atomic64_inc(&rf->msgs_received);
	a->status |= RMACH_MSG_RECEIVED;
	return 0;
}

/*
 * Makes every page of a user buffer present and writable without changing
 * its contents (each page's first byte is read and written back), so a
 * copy-out after a dequeue does not fail. A call may use one buffer for the
 * request and the reply, and a restarted call must find its request intact.
 */
static int rmk_probe_writable(char __user *ubuf, size_t len)
{
	char __user *end = ubuf + len;
	char c;

	while (ubuf < end) {
		if (get_user(c, ubuf) || put_user(c, ubuf))
			return -EFAULT;
		ubuf = (char __user *)PAGE_ALIGN((unsigned long)ubuf + 1);
	}
	return 0;
}

/*
 * Checks the receive buffer and faults it in before any message is taken:
 * a bad buffer fails with EFAULT and loses nothing. Only as much as the
 * largest possible message is touched.
 */
static int rmk_rcv_prepare(const struct rmach_msg_args *a)
{
	char __user *ubuf = u64_to_user_ptr(a->rcv_msg);
	size_t largest = RMK_HDR_SIZE +
			 RMACH_MSG_MAX_DESCRIPTORS * RMK_DESC_SIZE +
			 rmk_max_msg_size;

	if (a->rcv_size < RMK_HDR_SIZE)
		return -EINVAL;
	if (!access_ok(ubuf, a->rcv_size))
		return -EFAULT;
	return rmk_probe_writable(ubuf, min_t(size_t, a->rcv_size, largest));
}

static int rmk_receive(struct rmk_file *rf, struct rmach_msg_args *a,
		       struct rmk_phase *ph)
{
	struct rmc_msg *msg = NULL;
	struct rmk_waiter w;
	u32 need = 0;
	rmc_ret_t ret;

	rmk_waiter_init(&w);
	ret = rmc_msg_receive(rf->space, a->rcv_name,
			      a->rcv_size - RMK_HDR_SIZE, RMC_OPT_NONE,
			      ph->may_block ? &w.core : NULL, &msg, &need);
	return rmk_rcv_finish(rf, a, ph, &w, ret, msg, need);
}

/*
 * Send then receive. The core does both under one lock hold; the request's
 * receiver is woken WF_SYNC and this thread sleeps on the reply at once.
 */
static int rmk_call(struct rmk_file *rf, struct rmach_msg_args *a,
		    struct rmc_msg *smsg, struct rmk_phase *sph,
		    struct rmk_phase *rph)
{
	struct rmc_msg *msg = NULL;
	struct rmk_waiter w;
	bool sent = false;
	u32 need = 0;
	rmc_ret_t ret;
	int err;

	rmk_waiter_init(&w);
	WRITE_ONCE(rmk_dev.handoff_task, current);
	ret = rmc_msg_call(rf->space, smsg, RMC_OPT_NONE, a->rcv_name,
			   a->rcv_size - RMK_HDR_SIZE, RMC_OPT_NONE,
			   rph->may_block ? &w.core : NULL, &msg, &need, &sent);
	cmpxchg(&rmk_dev.handoff_task, current, NULL);

	if (!sent) {
		/* The send did not happen (error or full queue): msg is ours. */
		if (ret == RMC_WOULD_BLOCK)
			rmc_waiter_cancel(rmk_dev.sys, &w.core);
		if (ret != RMC_WOULD_BLOCK && ret != RMC_SEND_TIMED_OUT)
			err = rmk_send_errno(rf, ret, smsg, &a->status);
		else
			err = rmk_send(rf, smsg, sph, &a->status);
		if (err) {
			rmc_msg_free(rmk_dev.sys, smsg);
			return err;
		}
		return rmk_receive(rf, a, rph);
	}
	trace_rmach_msg_enqueue(rf->space, smsg);
	atomic64_inc(&rf->msgs_sent);
	a->status |= RMACH_MSG_SENT;
	rmk_poll_wake();
	return rmk_rcv_finish(rf, a, rph, &w, ret, msg, need);
}

long rmk_ioctl_msg(struct rmk_file *rf, struct file *file, void __user *arg)
{
	struct rmach_msg_args a;
	struct rmk_phase sph, rph;
	struct rmc_msg *smsg = NULL;
	bool nonblock = file->f_flags & O_NONBLOCK;
	bool send, rcv;
	int err;

	if (copy_from_user(&a, arg, sizeof(a)))
		return -EFAULT;
	if (a.reserved || a.status || (a.options & ~RMACH_MSG_OPTIONS))
		return -EINVAL;
	send = a.options & RMACH_MSG_SEND;
	rcv = a.options & RMACH_MSG_RCV;
	if (!send && !rcv)
		return -EINVAL;
	/* Fields of an absent phase must be zero, as reserved ones. */
	if (!send && (a.send_msg || a.send_size || a.send_timeout_ms ||
		      (a.options & RMACH_MSG_SEND_TIMEOUT)))
		return -EINVAL;
	if (!rcv && (a.rcv_msg || a.rcv_size || a.rcv_name ||
		     a.rcv_timeout_ms || (a.options & RMACH_MSG_RCV_TIMEOUT)))
		return -EINVAL;
	if (!(a.options & RMACH_MSG_SEND_TIMEOUT) && a.send_timeout_ms)
		return -EINVAL;
	if (!(a.options & RMACH_MSG_RCV_TIMEOUT) && a.rcv_timeout_ms)
		return -EINVAL;

	rmk_phase_init(&sph, a.options & RMACH_MSG_SEND_TIMEOUT,
		       a.send_timeout_ms, nonblock);
	rmk_phase_init(&rph, a.options & RMACH_MSG_RCV_TIMEOUT,
		       a.rcv_timeout_ms, nonblock);

	if (send) {
		err = rmk_msg_copyin(&a, &smsg);
		if (err)
			return err;
		rmk_trace_send(rf->space, smsg, a.send_size);
	}
	if (rcv) {
		err = rmk_rcv_prepare(&a);
		if (err) {
			rmc_msg_free(rmk_dev.sys, smsg);
			return err;
		}
	}

	if (send && rcv) {
		err = rmk_call(rf, &a, smsg, &sph, &rph);
	} else if (send) {
		err = rmk_send(rf, smsg, &sph, &a.status);
		if (err)
			rmc_msg_free(rmk_dev.sys, smsg);
	} else {
		err = rmk_receive(rf, &a, &rph);
	}

	/* A restarted call must find its arguments as they were. */
	if (err == -ERESTARTSYS || err == -ERESTARTNOHAND)
		return err;
	/* status and rcv_size tell the caller what happened, error or not. */
	if (copy_to_user(arg, &a, sizeof(a)) && !err)
		err = -EFAULT;
	return err;
}

/*
 * io_uring (rmach_uring.c). Checks the args of a command as RMACH_IOC_MSG
 * does; a command never waits on a timeout, so none may be given.
 */
int rmk_msg_uring_check(const struct rmach_msg_args *a, u32 options)
{
	if (a->reserved || a->status || a->options != options ||
	    a->send_timeout_ms || a->rcv_timeout_ms)
		return -EINVAL;
	if (!(options & RMACH_MSG_RCV))
		return a->rcv_msg || a->rcv_size || a->rcv_name ? -EINVAL : 0;
	if (!(options & RMACH_MSG_SEND) && (a->send_msg || a->send_size))
		return -EINVAL;
	return rmk_rcv_prepare(a);
}

/* A send that never waits: EAGAIN on a full queue. */
int rmk_msg_send_nowait(struct rmk_file *rf, struct rmach_msg_args *a)
{
	struct rmc_msg *msg;
	struct rmk_phase ph;
	int err;

	rmk_phase_init(&ph, true, 0, true);
	err = rmk_msg_copyin(a, &msg);
	if (err)
		return err;
	rmk_trace_send(rf->space, msg, a->send_size);
	err = rmk_send(rf, msg, &ph, &a->status);
	if (err)
		rmc_msg_free(rmk_dev.sys, msg);
	return err;
}

/*
 * One receive attempt with w (a woken waiter retries with the same one).
 * Returns -EIOCBQUEUED with w linked when nothing is queued (-EAGAIN when w
 * is NULL); else the ioctl's result, the message copied out.
 */
int rmk_msg_rcv_once(struct rmk_file *rf, struct rmach_msg_args *a,
		     struct rmk_waiter *w)
{
	struct rmc_msg *msg = NULL;
	struct rmk_phase ph;
	u32 need = 0;
	rmc_ret_t ret;

	if (w)
		w->woken = false;
	ret = rmc_msg_receive(rf->space, a->rcv_name,
			      a->rcv_size - RMK_HDR_SIZE, RMC_OPT_NONE,
			      w ? &w->core : NULL, &msg, &need);
	if (ret == RMC_WOULD_BLOCK)
		return -EIOCBQUEUED;
	rmk_phase_init(&ph, true, 0, true);
	return rmk_rcv_finish(rf, a, &ph, w, ret, msg, need);
}
