// SPDX-License-Identifier: GPL-2.0
/*
 * rmach_uring.c - IORING_OP_URING_CMD on /dev/rmach (layout in uapi).
 *
 * SEND completes at issue. RCV tries once at issue; when nothing is queued
 * it returns -EIOCBQUEUED with its rmk_waiter linked in the core (the
 * waiter, the args and the command live in an rmk_uring_req). CALL is a
 * SEND at issue followed, once it succeeded, by an RCV on args.rcv_name:
 * a failed send completes the command at once (status without
 * RMACH_MSG_SENT), a receive that must wait parks as RCV does. The core's
 * wake-up reaches the waiter's wait queue, whose only entry is ours:
 * rmk_uring_wake() queues task work and the retry runs in the submitting
 * task (rmk_uring_tw), which completes the command or parks it again.
 *
 * 6.1 has no cancel hook, so parked receives end by themselves: space
 * teardown kills their ports (the core wakes them, the retry fails); the
 * owner's close of any fd of the space cancels them (rmk_uring_cancel_all
 * from ->flush); a retry run by an exiting task or by io_uring's fallback
 * worker (the task is gone) completes with ECANCELED without touching the
 * space. Receives are issued only from the submitter (IO_URING_F_NONBLOCK;
 * never io-wq), so a request's issue and task work never run at once.
 *
 * Locking: rmk_file.uring_lock (spinlock) guards uring_reqs and is taken
 * inside the core lock by rmk_uring_wake() (via the wait queue lock), never
 * around rmc_* calls. rmk_uring_req.tw_pending (atomic) makes sure its task
 * work is queued at most once; whoever clears it runs the retry.
 */
#include <linux/io_uring.h>
#include <linux/io_uring_types.h>
#include <linux/file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/sched.h>
#include "rmach_internal.h"
#include "probe/rmach_probe.h"
#include "rmach_trace.h"

struct rmk_uring_req {
	struct rmk_waiter w;
	struct wait_queue_entry wqe;	/* on w.wq: the core's wake-up */
	struct io_uring_cmd *cmd;
	struct rmk_file *rf;
	struct list_head node;		/* rf->uring_reqs */
	struct list_head all;		/* rmk_uring_all */
	struct rmach_msg_args a;
	u64 uargs;			/* user pointer to the args */
	atomic_t tw_pending;
	bool cancelled;
	bool done;			/* completed at issue: res is the result */
	int res;
};

#if RMK_CMD_DONE_FLAGS
#define rmk_cmd_done(cmd, res, flags)	io_uring_cmd_done(cmd, res, 0, flags)
#else
#define rmk_cmd_done(cmd, res, flags)	io_uring_cmd_done(cmd, res, 0)
#endif

/*
 * Per-command state in io_uring's pdu: the request of a receive in flight,
 * or, for a command whose result is known at issue but must be posted from
 * task work (see rmk_uring_complete_later), req NULL and that result.
 */
struct rmk_uring_pdu {
	struct rmk_uring_req *req;
	int res;
};

static struct rmk_uring_pdu *rmk_uring_pdu(struct io_uring_cmd *cmd)
{
	static_assert(sizeof(struct rmk_uring_pdu) <=
		      sizeof_field(struct io_uring_cmd, pdu));
	return (struct rmk_uring_pdu *)cmd->pdu;
}

/*
 * Writes status and rcv_size back (not for a cancelled receive: its args
 * may be gone with the ring); the CQE's result.
 */
static int rmk_uring_result(u64 uargs, struct rmach_msg_args *a, int err)
{
	if (err != -ECANCELED && err != -EBADFD &&
	    !(current->flags & (PF_KTHREAD | PF_EXITING)) &&
	    copy_to_user(u64_to_user_ptr(uargs), a, sizeof(*a)) && !err)
		err = -EFAULT;
	if (err)
		return err;
	return a->options & RMACH_MSG_RCV ? a->rcv_size : 0;
}

static void rmk_uring_kick(struct rmk_uring_req *req);

/*
 * Every receive parked, on any ring. 6.1 tells a command nothing when its
 * ring is closed or the task that submitted it exits: a receive would stay
 * parked on a ring nobody reads, the ring's exit work waiting for it (and
 * warning after five minutes), until a message came. While any is parked,
 * rmk_uring_reap() looks once a second and cancels those orphans.
 */
static LIST_HEAD(rmk_uring_all);
static DEFINE_SPINLOCK(rmk_uring_all_lock);
static void rmk_uring_reap(struct work_struct *work);
static DECLARE_DELAYED_WORK(rmk_uring_reaper, rmk_uring_reap);

/* The ring is being closed, or the submitting task is exiting. */
static bool rmk_uring_orphan(struct io_uring_cmd *cmd)
{
	struct io_kiocb *ioreq = cmd_to_io_kiocb(cmd);

	return percpu_ref_is_dying(&ioreq->ctx->refs) ||
	       (ioreq->task->flags & PF_EXITING);
}

static void rmk_uring_reap(struct work_struct *work)
{
	struct rmk_uring_req *req;
	bool again;

	spin_lock(&rmk_uring_all_lock);
	list_for_each_entry(req, &rmk_uring_all, all) {
		if (READ_ONCE(req->cancelled) || !rmk_uring_orphan(req->cmd))
			continue;
		WRITE_ONCE(req->cancelled, true);
		rmk_uring_kick(req);
	}
	again = !list_empty(&rmk_uring_all);
	spin_unlock(&rmk_uring_all_lock);
	if (again)
		schedule_delayed_work(&rmk_uring_reaper, HZ);
}

static void rmk_uring_track(struct rmk_uring_req *req)
{
	spin_lock(&rmk_uring_all_lock);
	list_add_tail(&req->all, &rmk_uring_all);
	spin_unlock(&rmk_uring_all_lock);
	schedule_delayed_work(&rmk_uring_reaper, HZ);	/* unless pending */
}

/* Off both lists: nothing can kick the request any more. */
static void rmk_uring_untrack(struct rmk_uring_req *req)
{
	struct rmk_file *rf = req->rf;

	spin_lock(&rf->uring_lock);
	list_del_init(&req->node);
	spin_unlock(&rf->uring_lock);
	spin_lock(&rmk_uring_all_lock);
	list_del_init(&req->all);
	spin_unlock(&rmk_uring_all_lock);
}

/* Module exit: every file is gone, so is every request. */
void rmk_uring_exit(void)
{
	cancel_delayed_work_sync(&rmk_uring_reaper);
}

static void rmk_uring_finish(struct rmk_uring_req *req, int err,
			     unsigned int issue_flags)
{
	struct io_uring_cmd *cmd = req->cmd;
	int res;

	rmk_uring_untrack(req);
	res = req->done ? req->res : rmk_uring_result(req->uargs, &req->a, err);
	/*
	 * Off the list and unlinked from the core, nothing kicks it any more;
	 * but a kick since this run began (a cancel from a close, a wake-up)
	 * has queued the task work again: that run completes the command, and
	 * must not find the request freed.
	 */
	if (atomic_xchg(&req->tw_pending, 1)) {
		req->res = res;
		req->done = true;
		return;
	}
	kfree(req);
	trace_rmach_uring_cmd_complete(cmd, res, true);
	rmk_cmd_done(cmd, res, issue_flags);
}

static void rmk_uring_retry(struct io_uring_cmd *cmd, unsigned int issue_flags)
{
	struct rmk_uring_pdu *pdu = rmk_uring_pdu(cmd);
	struct rmk_uring_req *req = pdu->req;
	struct rmk_file *rf;
	int err;

	if (!req) {
		trace_rmach_uring_cmd_complete(cmd, pdu->res, false);
		rmk_cmd_done(cmd, pdu->res, issue_flags);
		return;
	}
	rf = req->rf;

	/* Full barrier: pairs with rmk_uring_kick() after ->cancelled. */
	atomic_xchg(&req->tw_pending, 0);
	if (req->done) {
		err = req->res;
	} else if (READ_ONCE(req->cancelled) ||
		   (current->flags & (PF_EXITING | PF_KTHREAD)) ||
		   rmk_uring_orphan(cmd) || !READ_ONCE(rf->space)) {
		/* (A closed ring must not take a message nobody will read.) */
		rmc_waiter_cancel(rmk_dev.sys, &req->w.core);
		err = READ_ONCE(rf->space) ? -ECANCELED : -EBADFD;
	} else {
		err = rmk_msg_rcv_once(rf, &req->a, &req->w);
		if (err == -EIOCBQUEUED)
			return;
	}
	rmk_uring_finish(req, err, issue_flags);
}

#if RMK_TW_FLAGS
static void rmk_uring_tw(struct io_uring_cmd *cmd, unsigned int issue_flags)
{
	rmk_uring_retry(cmd, issue_flags);
}
#else
static void rmk_uring_tw(struct io_uring_cmd *cmd)
{
	rmk_uring_retry(cmd, 0);
}
#endif

/*
 * io_uring retries a command that returns -EAGAIN from issue in an io-wq
 * worker: a send to a full queue would cost a thread hop, and a call or
 * receive would be refused there. Post such a result from task work instead.
 */
static int rmk_uring_complete_later(struct io_uring_cmd *cmd, int res)
{
	struct rmk_uring_pdu *pdu = rmk_uring_pdu(cmd);

	pdu->req = NULL;
	pdu->res = res;
	io_uring_cmd_complete_in_task(cmd, rmk_uring_tw);
	return -EIOCBQUEUED;
}

static void rmk_uring_kick(struct rmk_uring_req *req)
{
	if (!atomic_xchg(&req->tw_pending, 1))
		io_uring_cmd_complete_in_task(req->cmd, rmk_uring_tw);
}

/* The core woke our waiter (core lock held, preemption off). */
static int rmk_uring_wake(struct wait_queue_entry *wqe, unsigned int mode,
			  int sync, void *key)
{
	rmk_uring_kick(container_of(wqe, struct rmk_uring_req, wqe));
	return 1;
}

/*
 * The owner closed an fd of the space: end its parked receives, and those
 * being issued right now (uring_closes tells rmk_uring_rcv).
 */
void rmk_uring_cancel_all(struct rmk_file *rf)
{
	struct rmk_uring_req *req;

	spin_lock(&rf->uring_lock);
	rf->uring_closes++;
	list_for_each_entry(req, &rf->uring_reqs, node) {
		WRITE_ONCE(req->cancelled, true);
		rmk_uring_kick(req);
	}
	spin_unlock(&rf->uring_lock);
}

/*
 * The command's fd still names its file. io_uring looked the fd up before
 * rmk_uring_cmd() ran; a close in between found nothing to cancel.
 */
static bool rmk_uring_fd_open(struct io_uring_cmd *cmd)
{
	struct file *file = fget(cmd_to_io_kiocb(cmd)->cqe.fd);
	bool open = file == cmd->file;

	if (file)
		fput(file);
	return open;
}

/*
 * closes: rf->uring_closes when the command was issued. A close that came
 * since (or just before: the fd is gone) found nothing to cancel: parking
 * now could outlive the last fd (nothing would ever end the receive, and
 * it holds the file), so end it.
 */
static int rmk_uring_rcv(struct io_uring_cmd *cmd, struct rmk_file *rf,
			 const struct rmach_msg_args *a, u64 uargs,
			 unsigned int closes)
{
	struct rmach_msg_args now = *a;
	struct rmk_uring_req *req;
	bool closed;
	int err;

	/* A message already queued needs no request state. */
	err = rmk_msg_rcv_once(rf, &now, NULL);
	if (err != -EAGAIN)
		return rmk_uring_result(uargs, &now, err);

	req = kzalloc(sizeof(*req), GFP_KERNEL_ACCOUNT);
	if (!req)	/* status tells whether a CALL's send happened */
		return rmk_uring_result(uargs, &now, -ENOMEM);
	rmk_waiter_init(&req->w);
	INIT_LIST_HEAD(&req->node);
	INIT_LIST_HEAD(&req->all);
	init_waitqueue_func_entry(&req->wqe, rmk_uring_wake);
	add_wait_queue(&req->w.wq, &req->wqe);
	req->cmd = cmd;
	req->rf = rf;
	req->a = *a;
	req->uargs = uargs;
	rmk_uring_pdu(cmd)->req = req;
	closed = !rmk_uring_fd_open(cmd);
	spin_lock(&rf->uring_lock);
	closed |= rf->uring_closes != closes;
	if (!closed)
		list_add_tail(&req->node, &rf->uring_reqs);
	spin_unlock(&rf->uring_lock);
	if (closed) {
		kfree(req);
		return -ECANCELED;
	}
	rmk_uring_track(req);

	err = rmk_msg_rcv_once(rf, &req->a, &req->w);
	if (err == -EIOCBQUEUED)
		return err;
	/* Done at once; unless a cancel already queued task work for it. */
	rmk_uring_untrack(req);
	err = rmk_uring_result(uargs, &req->a, err);
	if (atomic_xchg(&req->tw_pending, 1)) {
		req->res = err;
		req->done = true;
		return -EIOCBQUEUED;
	}
	kfree(req);
	return err;
}

int rmk_uring_cmd(struct io_uring_cmd *cmd, unsigned int issue_flags)
{
	const struct rmach_uring_cmd *ucmd = cmd->cmd;
	struct rmk_file *rf = cmd->file->private_data;
	struct rmach_msg_args a;
	u32 op = cmd->cmd_op, options, flags, reserved;
	unsigned int closes;
	u64 uargs;
	int err;

	/* Before anything: a close from now on must end this command. */
	spin_lock(&rf->uring_lock);
	closes = rf->uring_closes;
	spin_unlock(&rf->uring_lock);

	/* The SQE is shared with user space: read it once. */
	uargs = READ_ONCE(ucmd->args);
	flags = READ_ONCE(ucmd->flags);
	reserved = READ_ONCE(ucmd->reserved);

	if (rf->tgid != task_tgid(current) || !READ_ONCE(rf->space))
		return -EBADFD;
	if (flags || reserved)
		return -EINVAL;
	switch (op) {
	case RMACH_URING_SEND:
		options = RMACH_MSG_SEND;
		break;
	case RMACH_URING_RCV:
		options = RMACH_MSG_RCV;
		break;
	case RMACH_URING_CALL:
		options = RMACH_MSG_SEND | RMACH_MSG_RCV;
		break;
	default:
		return -EINVAL;
	}
	/*
	 * A receive may park: only from the submitter, never from io-wq, and
	 * not on a fixed file, which no close of the owner's can reach (a
	 * parked receive would hold the space past the last fd).
	 */
	if ((options & RMACH_MSG_RCV) &&
	    (!(issue_flags & IO_URING_F_NONBLOCK) ||
	     (cmd_to_io_kiocb(cmd)->flags & REQ_F_FIXED_FILE)))
		return -EOPNOTSUPP;
	if (copy_from_user(&a, u64_to_user_ptr(uargs), sizeof(a)))
		return -EFAULT;
	err = rmk_msg_uring_check(&a, options);
	if (err)
		return err;
	trace_rmach_uring_cmd_issue(rf->space, cmd, op);
	err = 0;
	if (options & RMACH_MSG_SEND)
		err = rmk_msg_send_nowait(rf, &a);
	if (!err && (options & RMACH_MSG_RCV))
		err = rmk_uring_rcv(cmd, rf, &a, uargs, closes);
	else
		err = rmk_uring_result(uargs, &a, err);
	if (err == -EAGAIN && (issue_flags & IO_URING_F_NONBLOCK))
		return rmk_uring_complete_later(cmd, err);
	if (err != -EIOCBQUEUED)
		trace_rmach_uring_cmd_complete(cmd, err, false);
	return err;
}
