// SPDX-License-Identifier: MIT
/*
 * op_proc.c - calls on files and processes around the ABI: opening spaces
 * (and swapping the chaos space under the other threads with dup2),
 * closing a dup (the owner's close ends parked io_uring receives), poll,
 * O_NONBLOCK, unmapping memory other calls point into, closing and
 * reopening the ring, and fork with the fds inherited.
 *
 * The forked child checks that the spaces are not its own (EBADFD from
 * every ioctl but VERSION, EPOLLERR, EBADFD from an io_uring command on
 * its own ring), then opens a space of its own, sends a peer a receive
 * right, and either exits or blocks until the parent kills it. It runs in
 * a copy of a multi-threaded process, so it only makes system calls.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include "fuzz.h"

/* A system call that is not an ioctl: counted, logged and checked. */
static void fz_sys(struct fz_thread *t, enum fz_op op, int res)
{
	fz_count(t, op, res);
	fz_log_call(t, op, -1, res, 0, 0, 0, 0);
	fz_check_errno(t, op, res);
}

static void op_open(struct fz_thread *t)
{
	struct fz_proc *p = t->p;
	struct rmach_port_alloc a = { .right = RMACH_RIGHT_RECEIVE };
	int fd, old, err;

	fz_fault_before(t);
	fd = open(RMACH_DEVICE, O_RDWR | O_CLOEXEC);
	err = fd < 0 ? -errno : 0;
	fz_fault_after(t);
	fz_sys(t, OP_OPEN, err);
	if (fd < 0)
		return;
	if (fz_one_in(&t->rng, 2)) {
		/* Swap the chaos space: other threads may be inside it. */
		old = atomic_load(&p->chaos_fd);
		if (old >= 0 && dup2(fd, old) == old) {
			atomic_fetch_add(&p->chaos_epoch, 1);
			atomic_fetch_add(&p->sh->space_swaps, 1);
			t->pool[SP_CHAOS].n = 0;
		}
		close(fd);
		return;
	}
	/* A short-lived space, torn down holding a port and a message. */
	if (!fz_ioctl(t, OP_ALLOCATE, fd, RMACH_IOC_PORT_ALLOCATE, &a)) {
		struct rmach_msg_header h = {
			.bits = RMACH_MSGH_BITS(RMACH_MSG_TYPE_MAKE_SEND, 0),
			.size = sizeof(h), .remote_port = a.name,
			.id = FZ_ID_BASE,
		};
		struct rmach_msg_args m = {
			.send_msg = (uintptr_t)&h, .send_size = sizeof(h),
			.options = RMACH_MSG_SEND | RMACH_MSG_SEND_TIMEOUT,
		};

		fz_ioctl(t, OP_SEND, fd, RMACH_IOC_MSG, &m);
	}
	close(fd);
}

static void op_close_dup(struct fz_thread *t)
{
	int sp = fz_one_in(&t->rng, 2) ? SP_CHAOS : SP_HOME;
	int fd = dup(fz_fd(t, sp));

	fz_sys(t, OP_CLOSE_DUP, fd < 0 ? -errno : 0);
	if (fd >= 0)
		close(fd);
}

static void op_poll(struct fz_thread *t)
{
	int sp = fz_one_in(&t->rng, 2) ? SP_CHAOS : SP_HOME;
	struct rmach_port_name pn = { .name = fz_pick(t, sp, HINT_RECEIVE) };
	struct pollfd pf = { .fd = fz_fd(t, sp), .events = POLLIN };
	int n;

	if (fz_one_in(&t->rng, 2))
		fz_ioctl(t, OP_POLL_PORT, pf.fd, RMACH_IOC_POLL_PORT, &pn);
	n = poll(&pf, 1, fz_below(&t->rng, 2));
	fz_sys(t, OP_POLL, n < 0 ? (errno == EINTR ? 0 : -errno) : 0);
	if (n > 0 && (pf.revents & ~(POLLIN | POLLRDNORM | POLLERR)))
		fz_fail(t, "poll on our own space: revents %#x", pf.revents);
}

static void op_nonblock(struct fz_thread *t)
{
	int fd = fz_fd(t, fz_one_in(&t->rng, 2) ? SP_CHAOS : SP_HOME);
	int fl = fcntl(fd, F_GETFL);

	if (fl >= 0)
		fcntl(fd, F_SETFL, fl ^ O_NONBLOCK);
	fz_sys(t, OP_NONBLOCK, 0);
}

/*
 * The arena comes and goes under calls that point into it: made
 * inaccessible, or given fresh zeroed pages. mprotect and MADV_DONTNEED,
 * never unmap or mmap(MAP_FIXED): a MAP_FIXED mmap that fails (an injected
 * fault) has already unmapped the old range, a ring's SQE array mapped into
 * that hole was replaced by the next remap, and the kernel read zeroed
 * SQEs (NOPs) the thread never wrote.
 */
static void op_remap(struct fz_thread *t)
{
	struct fz_proc *p = t->p;
	int prot = fz_one_in(&t->rng, 2) ? PROT_NONE : PROT_READ | PROT_WRITE;

	if (mprotect(p->arena, 2 * p->page, prot) == 0 && prot != PROT_NONE)
		madvise(p->arena, 2 * p->page, MADV_DONTNEED);
	fz_sys(t, OP_REMAP, 0);
}

/*
 * Limits, reached on purpose in a space of its own: ports until ENOSPC
 * (space_ports) or EDQUOT (user_ports), queued messages until ENOBUFS
 * (space_msgs/bytes) or EDQUOT (user_msgs/bytes), spaces until EMFILE
 * (user_spaces). The space's teardown then frees it all at once.
 */
static void op_flood(struct fz_thread *t)
{
	struct rmach_port_alloc a = { .right = RMACH_RIGHT_RECEIVE };
	struct rmach_port_attr at = { .mask = RMACH_ATTR_QLIMIT,
				      .qlimit = 1024 };
	struct rmach_msg_args m = { 0 };
	int fd, fds[64], i, n = 0, err = 0;

	/* Hundreds of calls each: rare, or they would be most of the run. */
	if (!fz_one_in(&t->rng, 4))
		return;
	fd = open(RMACH_DEVICE, O_RDWR | O_CLOEXEC);
	fz_sys(t, OP_FLOOD, fd < 0 ? -errno : 0);
	if (fd < 0)
		return;
	switch (fz_below(&t->rng, 3)) {
	case 0:
		for (i = 0; i < 20000 && !err; i++) {
			a.name = 0;
			err = fz_ioctl(t, OP_FLOOD, fd, RMACH_IOC_PORT_ALLOCATE,
				       &a);
		}
		break;
	case 1:
		if (fz_ioctl(t, OP_FLOOD, fd, RMACH_IOC_PORT_ALLOCATE, &a))
			break;
		at.name = a.name;
		fz_ioctl(t, OP_FLOOD, fd, RMACH_IOC_PORT_SET_ATTR, &at);
		m.send_msg = (uintptr_t)t->sbuf;
		m.options = RMACH_MSG_SEND | RMACH_MSG_SEND_TIMEOUT;
		for (i = 0; i < 20000 && !err; i++) {
			struct fz_built b;

			t->body_cap = FZ_SLOT_BUF;
			fz_build_msg(t, SP_HOME, t->sbuf, a.name,
				     RMACH_MSG_TYPE_MAKE_SEND, 0, 0, &b);
			t->body_cap = 0;
			/* This space's own name, not a pool's. */
			((struct rmach_msg_header *)t->sbuf)->remote_port =
				a.name;
			m.send_size = b.size;
			m.status = 0;
			err = fz_ioctl(t, OP_FLOOD, fd, RMACH_IOC_MSG, &m);
			if (err && err != -ENOBUFS && err != -EDQUOT &&
			    err != -EAGAIN && err != -ENOMEM)
				err = 0;	/* a broken message: go on */
		}
		break;
	default:
		while (n < 64) {
			fds[n] = open(RMACH_DEVICE, O_RDWR | O_CLOEXEC);
			err = fds[n] < 0 ? -errno : 0;
			fz_sys(t, OP_FLOOD, err);
			if (err)
				break;
			n++;
		}
		while (n > 0)
			close(fds[--n]);
		break;
	}
	close(fd);
}

/* --- fork ---------------------------------------------------------------- */

static void __attribute__((noreturn)) fz_child_fail(const char *what,
						     long got)
{
	char buf[160];
	int n = snprintf(buf, sizeof(buf),
			 "rmach-fuzz: FAIL forked child %d: %s (got %ld)\n",
			 (int)getpid(), what, got);

	if (n > 0 && write(2, buf, (size_t)n) < 0)
		_exit(FZ_EXIT_FAIL);
	_exit(FZ_EXIT_FAIL);
}

static long fz_child_ioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) < 0 ? -errno : 0;
}

/* The inherited fd belongs to the parent's space: hands off. */
static void fz_child_inherited(int fd, bool ring)
{
	struct rmach_port_name pn = { .name = 0x103 };
	struct rmach_port_alloc a = { .right = RMACH_RIGHT_RECEIVE };
	struct rmach_version v;
	struct rmach_msg_args m = { .options = RMACH_MSG_RCV,
				    .rcv_name = 0x103 };
	struct pollfd pf = { .fd = fd, .events = POLLIN };
	struct io_uring r;
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	long e;

	if ((e = fz_child_ioctl(fd, RMACH_IOC_VERSION, &v)) != 0)
		fz_child_fail("VERSION on an inherited fd", e);
	if ((e = fz_child_ioctl(fd, RMACH_IOC_PORT_TYPE, &pn)) != -EBADFD)
		fz_child_fail("PORT_TYPE on an inherited fd", e);
	if ((e = fz_child_ioctl(fd, RMACH_IOC_PORT_ALLOCATE, &a)) != -EBADFD)
		fz_child_fail("PORT_ALLOCATE on an inherited fd", e);
	if ((e = fz_child_ioctl(fd, RMACH_IOC_MSG, &m)) != -EBADFD)
		fz_child_fail("MSG on an inherited fd", e);
	if (poll(&pf, 1, 0) != 1 || !(pf.revents & POLLERR))
		fz_child_fail("poll on an inherited fd: revents", pf.revents);
	if (!ring || io_uring_queue_init(4, &r, 0))
		return;
	sqe = io_uring_get_sqe(&r);
	io_uring_prep_rw(IORING_OP_URING_CMD, sqe, fd, NULL, 0, 0);
	sqe->cmd_op = RMACH_URING_RCV;
	memset(sqe->cmd, 0, sizeof(struct rmach_uring_cmd));
	((struct rmach_uring_cmd *)sqe->cmd)->args = (uintptr_t)&m;
	if (io_uring_submit(&r) == 1 && io_uring_wait_cqe(&r, &cqe) == 0 &&
	    cqe->res != -EBADFD)
		fz_child_fail("io_uring command on an inherited fd", cqe->res);
	io_uring_queue_exit(&r);
}

/*
 * Its own space: send a peer's service a new receive right (and a
 * message queued on it), then leave or wait for the parent's SIGKILL.
 */
static void fz_child_own(unsigned int peer, bool linger)
{
	struct rmach_port_alloc a = { .right = RMACH_RIGHT_RECEIVE };
	struct rmach_registry r;
	struct {
		struct rmach_msg_header h;
		struct rmach_port_descriptor d[2];
	} msg;
	struct rmach_msg_args m = { 0 };
	unsigned char buf[256];
	int fd = open(RMACH_DEVICE, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return;
	if (fz_child_ioctl(fd, RMACH_IOC_PORT_ALLOCATE, &a))
		return;
	memset(&r, 0, sizeof(r));
	snprintf(r.key, sizeof(r.key), "fz.svc.%u", peer);
	if (!fz_child_ioctl(fd, RMACH_IOC_LOOK_UP, &r)) {
		memset(&msg, 0, sizeof(msg));
		msg.h.bits = RMACH_MSGH_BITS(RMACH_MSG_TYPE_COPY_SEND, 0) |
			     RMACH_MSGH_BITS_COMPLEX;
		msg.h.size = sizeof(msg);
		msg.h.remote_port = r.name;
		msg.h.id = FZ_ID_BASE | 1;
		msg.h.desc_count = 2;
		msg.d[0].name = a.name;
		msg.d[0].disposition = RMACH_MSG_TYPE_MAKE_SEND;
		msg.d[1].name = a.name;
		msg.d[1].disposition = RMACH_MSG_TYPE_MOVE_RECEIVE;
		m.send_msg = (uintptr_t)&msg;
		m.send_size = sizeof(msg);
		m.options = RMACH_MSG_SEND | RMACH_MSG_SEND_TIMEOUT;
		fz_child_ioctl(fd, RMACH_IOC_MSG, &m);
	}
	if (!linger)
		return;
	/* Blocked in a receive when the SIGKILL comes (or 50 ms pass). */
	a.right = RMACH_RIGHT_RECEIVE;
	if (fz_child_ioctl(fd, RMACH_IOC_PORT_ALLOCATE, &a))
		return;
	memset(&m, 0, sizeof(m));
	m.options = RMACH_MSG_RCV | RMACH_MSG_RCV_TIMEOUT;
	m.rcv_name = a.name;
	m.rcv_msg = (uintptr_t)buf;
	m.rcv_size = sizeof(buf);
	m.rcv_timeout_ms = 50;
	fz_child_ioctl(fd, RMACH_IOC_MSG, &m);
}

static void op_fork(struct fz_thread *t)
{
	struct fz_proc *p = t->p;
	unsigned int peer = fz_below(&t->rng, p->o->procs);
	bool ring = fz_one_in(&t->rng, 2), linger = fz_one_in(&t->rng, 2);
	int kill_after = fz_one_in(&t->rng, 2) ? (int)fz_below(&t->rng, 20) : -1;
	uint64_t until;
	pid_t pid, w;
	int status, sp;

	fz_quiet(t, true);
	pid = fork();
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		signal(SIGUSR1, SIG_IGN);
		signal(SIGUSR2, SIG_IGN);
		for (sp = 0; sp < SP_NSPACES; sp++)
			fz_child_inherited(fz_fd(t, sp), ring && sp == 0);
		fz_child_own(peer, linger);
		_exit(0);
	}
	fz_quiet(t, false);
	fz_sys(t, OP_FORK, pid < 0 ? -errno : 0);
	if (pid < 0)
		return;
	atomic_fetch_add(&p->sh->forks, 1);
	if (kill_after >= 0) {
		usleep((useconds_t)kill_after * 1000);
		kill(pid, SIGKILL);
		atomic_fetch_add(&p->sh->child_kills, 1);
	}
	/* Never hang: a child that does not go is a bug, reported. */
	until = fz_now_ms() + 1000ull * p->o->watchdog_s;
	for (;;) {
		w = waitpid(pid, &status, WNOHANG);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR)
			fz_fail(t, "waitpid of forked child %d: %s", (int)pid,
				strerror(errno));
		if (fz_now_ms() > until)
			fz_fail(t, "forked child %d did not exit (killed: %s)",
				(int)pid, kill_after >= 0 ? "yes" : "no");
		if (fz_now_ms() + 100 > until)
			kill(pid, SIGKILL);
		usleep(2000);
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
		fz_fail(t, "forked child exited with %d", WEXITSTATUS(status));
	if (WIFSIGNALED(status) && WTERMSIG(status) != SIGKILL)
		fz_fail(t, "forked child died of signal %d", WTERMSIG(status));
}

void op_proc(struct fz_thread *t, enum fz_op op)
{
	switch (op) {
	case OP_OPEN:
		op_open(t);
		break;
	case OP_CLOSE_DUP:
		op_close_dup(t);
		break;
	case OP_POLL:
		op_poll(t);
		break;
	case OP_FORK:
		op_fork(t);
		break;
	case OP_RING_CYCLE:
		fz_uring_exit(t, fz_one_in(&t->rng, 2));
		fz_uring_init(t);
		atomic_fetch_add(&t->p->sh->ring_cycles, 1);
		fz_sys(t, OP_RING_CYCLE, 0);
		break;
	case OP_NONBLOCK:
		op_nonblock(t);
		break;
	case OP_REMAP:
		op_remap(t);
		break;
	case OP_FLOOD:
		op_flood(t);
		break;
	default:
		break;
	}
}
