// SPDX-License-Identifier: GPL-2.0
/*
 * Regression tests for bugs rmach-fuzz (tools/rmach-fuzz) found, one test
 * each, named after the bug.
 */
#include <liburing.h>
#include <pthread.h>
#include <stdatomic.h>
#include "kselftest_harness.h"
#include "rmach_test.h"

static void prep_rcv(struct io_uring_sqe *sqe, int fd,
		     struct rmach_msg_args *a, uint64_t tag)
{
	struct rmach_uring_cmd *c;

	io_uring_prep_rw(IORING_OP_URING_CMD, sqe, fd, NULL, 0, 0);
	sqe->cmd_op = RMACH_URING_RCV;
	c = (struct rmach_uring_cmd *)sqe->cmd;
	memset(c, 0, sizeof(*c));
	c->args = (uintptr_t)a;
	io_uring_sqe_set_data64(sqe, tag);
}

/*
 * A send right in space to for port, a receive right in space from (through
 * the registry: rights only travel in messages otherwise). 0 on failure.
 */
static uint32_t send_right_in(int from, uint32_t port, int to)
{
	char key[64];
	uint32_t name = 0;

	rm_key(key, sizeof(key), "regress");
	if (rm_register(from, key, port))
		return 0;
	if (rm_reg(to, RMACH_IOC_LOOK_UP, key, &name, 0, 0))
		name = 0;
	rm_unregister(to, key);
	return name;
}

/*
 * uring_rcv_parked_after_close: an io_uring receive being issued while
 * another thread of the owner closes the space's last fd. ->flush cancels
 * the receives it finds parked; one that parks just after that was never
 * cancelled, kept the file (and the space, and the module) forever, and
 * left the closed ring's exit work waiting (a WARNING after 5 minutes).
 * Every receive must complete: at issue (EBADF: the fd was gone) or with
 * ECANCELED.
 */
struct closer {
	atomic_int fd;		/* to close; -1: nothing to do */
	atomic_int quit;
	unsigned int spin;
};

static void *closer_main(void *arg)
{
	struct closer *c = arg;
	volatile unsigned int i;
	int fd;

	while (!atomic_load(&c->quit)) {
		fd = atomic_load(&c->fd);
		if (fd < 0)
			continue;
		for (i = 0; i < c->spin; i++)
			;
		close(fd);
		atomic_store(&c->fd, -1);
	}
	return NULL;
}

TEST(uring_rcv_parked_after_close)
{
	/* Generous: task work is slow on a KASAN kernel under TCG. */
	struct __kernel_timespec ts = { .tv_sec = 2 };
	struct rmach_msg_args a;
	struct rm_counters base;
	struct closer c = { .fd = -1 };
	struct io_uring ring;
	struct io_uring_cqe *cqe;
	struct rm_msg m;
	pthread_t th;
	int round, fd, keep, stuck = 0, cancelled = 0, res;
	uint32_t port, kept;
	/*
	 * Rounds until a time budget rather than a fixed count: a debug
	 * kernel on a loaded machine ran past the harness's 30 s timeout.
	 */
	uint64_t end = rm_now_ms() + 12000;

	rm_counters_read(&base);
	/* keep holds a send right to each round's port: to free a stuck one. */
	keep = rm_open();
	ASSERT_LE(0, keep);
	ASSERT_EQ(0, io_uring_queue_init(8, &ring, 0));
	ASSERT_EQ(0, pthread_create(&th, NULL, closer_main, &c));
	for (round = 0; round < 3000 && rm_now_ms() < end; round++) {
		fd = rm_open();
		ASSERT_LE(0, fd);
		port = rm_port_with_send(fd);
		ASSERT_NE(0u, port);
		kept = send_right_in(fd, port, keep);
		ASSERT_NE(0u, kept);
		memset(&a, 0, sizeof(a));
		a.options = RMACH_MSG_RCV;
		a.rcv_msg = (uintptr_t)&m;
		a.rcv_size = sizeof(m);
		a.rcv_name = port;
		c.spin = (unsigned int)(rand() % 20000);
		prep_rcv(io_uring_get_sqe(&ring), fd, &a, (uint64_t)round);
		atomic_store(&c.fd, fd);
		ASSERT_EQ(1, io_uring_submit(&ring));
		res = io_uring_wait_cqe_timeout(&ring, &cqe, &ts);
		if (res == -ETIME) {
			stuck++;
			while (atomic_load(&c.fd) >= 0)
				;
			/* Wake it with a message: the fd is gone, the port not. */
			rm_send(keep, kept, RMACH_MSG_TYPE_COPY_SEND, 1, NULL, 0,
				0);
			if (!io_uring_wait_cqe_timeout(&ring, &cqe, &ts))
				io_uring_cqe_seen(&ring, cqe);
			rm_name_op(keep, RMACH_IOC_PORT_DEALLOCATE, kept);
			continue;
		}
		ASSERT_EQ(0, res);
		EXPECT_TRUE(cqe->res == -EBADF || cqe->res == -ECANCELED ||
			    cqe->res == -EBADFD) {
			TH_LOG("round %d: res %d", round, cqe->res);
		}
		cancelled += cqe->res == -ECANCELED;
		io_uring_cqe_seen(&ring, cqe);
		while (atomic_load(&c.fd) >= 0)
			;
		rm_name_op(keep, RMACH_IOC_PORT_DEALLOCATE, kept);
	}
	atomic_store(&c.quit, 1);
	pthread_join(th, NULL);
	TH_LOG("%d rounds: %d receives cancelled, %d never completed", round,
	       cancelled, stuck);
	EXPECT_EQ(0, stuck);
	io_uring_queue_exit(&ring);
	close(keep);
	RM_EXPECT_BASELINE(&base);
}

/*
 * uring_rcv_fixed_file_outlives_close: a receive on a registered (fixed)
 * file parked although the owner had closed every fd of the space; no
 * close could end it any more and the ring's exit waited for it forever,
 * holding the space. Such a receive is refused (EOPNOTSUPP); a send works.
 */
TEST(uring_rcv_fixed_file_outlives_close)
{
	struct __kernel_timespec ts = { .tv_nsec = 300 * 1000 * 1000 };
	struct rmach_msg_args a;
	struct rm_counters base;
	struct io_uring ring;
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	struct rm_msg m;
	uint32_t port, kept;
	int fd, keep, res;

	rm_counters_read(&base);
	keep = rm_open();
	ASSERT_LE(0, keep);
	fd = rm_open();
	ASSERT_LE(0, fd);
	port = rm_port_with_send(fd);
	ASSERT_NE(0u, port);
	kept = send_right_in(fd, port, keep);
	ASSERT_NE(0u, kept);
	ASSERT_EQ(0, io_uring_queue_init(8, &ring, 0));
	ASSERT_EQ(0, io_uring_register_files(&ring, &fd, 1));
	close(fd);

	memset(&a, 0, sizeof(a));
	a.options = RMACH_MSG_RCV;
	a.rcv_msg = (uintptr_t)&m;
	a.rcv_size = sizeof(m);
	a.rcv_name = port;
	sqe = io_uring_get_sqe(&ring);
	prep_rcv(sqe, 0, &a, 1);
	sqe->flags |= IOSQE_FIXED_FILE;
	ASSERT_EQ(1, io_uring_submit(&ring));
	res = io_uring_wait_cqe_timeout(&ring, &cqe, &ts);
	EXPECT_EQ(0, res) {
		TH_LOG("the receive parked on a file nobody can close");
		/* Let it go: a message completes it. */
		rm_send(keep, kept, RMACH_MSG_TYPE_COPY_SEND, 1, NULL, 0, 0);
		res = io_uring_wait_cqe_timeout(&ring, &cqe, &ts);
	}
	if (!res) {
		EXPECT_EQ(-EOPNOTSUPP, cqe->res);
		io_uring_cqe_seen(&ring, cqe);
	}
	io_uring_queue_exit(&ring);
	close(keep);
	RM_EXPECT_BASELINE(&base);
}

/*
 * uring_cancel_during_completion_use_after_free: a parked receive woken by
 * a message runs its retry as task work; a close of the owner's (which
 * cancels parked receives) coming during that retry queued the task work a
 * second time, for a request the retry then completed and freed. The
 * second run used the freed request (a general protection fault, or KASAN
 * on the debug kernel: the kernel log is the verdict). Here one thread
 * keeps receives parked and reaps them, another sends and closes dups.
 */
struct racer {
	int fd;
	uint32_t port;
	atomic_int quit;
	unsigned long sent, closes;
};

static void *racer_main(void *arg)
{
	struct racer *r = arg;
	int fd;

	while (!atomic_load(&r->quit)) {
		if (!rm_send(r->fd, r->port, RMACH_MSG_TYPE_COPY_SEND, 5, "x", 1,
			     0))
			r->sent++;
		fd = dup(r->fd);
		if (fd >= 0) {
			close(fd);
			r->closes++;
		}
	}
	return NULL;
}

TEST(uring_cancel_during_completion_use_after_free)
{
	enum { INFLIGHT = 8 };
	struct rmach_msg_args a[INFLIGHT];
	struct rm_msg m[INFLIGHT];
	struct racer r = { 0 };
	struct rm_counters base;
	struct io_uring ring;
	struct io_uring_cqe *cqe;
	unsigned long got = 0, cancelled = 0;
	uint64_t end;
	pthread_t th;
	int i;

	rm_counters_read(&base);
	r.fd = rm_open();
	ASSERT_LE(0, r.fd);
	r.port = rm_port_with_send(r.fd);
	ASSERT_NE(0u, r.port);
	ASSERT_EQ(0, rm_qlimit(r.fd, r.port, 1024));
	ASSERT_EQ(0, io_uring_queue_init(64, &ring, 0));
	for (i = 0; i < INFLIGHT; i++) {
		memset(&a[i], 0, sizeof(a[i]));
		a[i].options = RMACH_MSG_RCV;
		a[i].rcv_msg = (uintptr_t)&m[i];
		a[i].rcv_size = sizeof(m[i]);
		a[i].rcv_name = r.port;
		prep_rcv(io_uring_get_sqe(&ring), r.fd, &a[i], (uint64_t)i);
	}
	ASSERT_EQ(INFLIGHT, io_uring_submit(&ring));
	ASSERT_EQ(0, pthread_create(&th, NULL, racer_main, &r));
	end = rm_now_ms() + 3000;
	while (rm_now_ms() < end) {
		ASSERT_EQ(0, io_uring_wait_cqe(&ring, &cqe));
		i = (int)cqe->user_data;
		ASSERT_TRUE(cqe->res == 24 + 1 || cqe->res == -ECANCELED) {
			TH_LOG("res %d", cqe->res);
		}
		got += cqe->res > 0;
		cancelled += cqe->res == -ECANCELED;
		io_uring_cqe_seen(&ring, cqe);
		memset(&a[i], 0, sizeof(a[i]));
		a[i].options = RMACH_MSG_RCV;
		a[i].rcv_msg = (uintptr_t)&m[i];
		a[i].rcv_size = sizeof(m[i]);
		a[i].rcv_name = r.port;
		prep_rcv(io_uring_get_sqe(&ring), r.fd, &a[i], (uint64_t)i);
		ASSERT_EQ(1, io_uring_submit(&ring));
	}
	atomic_store(&r.quit, 1);
	pthread_join(th, NULL);
	TH_LOG("%lu received, %lu cancelled; %lu sent, %lu closes", got,
	       cancelled, r.sent, r.closes);
	EXPECT_LT(0ul, got);
	EXPECT_LT(0ul, cancelled);
	io_uring_queue_exit(&ring);
	close(r.fd);
	RM_EXPECT_BASELINE(&base);
}

/*
 * uring_rcv_parked_on_closed_ring: 6.1 does not tell a command its ring is
 * being closed. A receive left parked on a closed ring (the space's fd
 * still open) took the next message, writing it into memory of a ring
 * nobody reads; with no message, the ring's exit work waited for it and
 * warned after five minutes (WARNING in io_ring_exit_work, a panic with
 * panic_on_warn). Now such receives are cancelled (within a second) and
 * the message stays queued for others.
 */
TEST(uring_rcv_parked_on_closed_ring)
{
	struct rmach_msg_args a[4];
	struct rm_msg m[4], got;
	struct rm_counters base;
	struct io_uring ring;
	uint32_t port;
	int fd, i;

	rm_counters_read(&base);
	fd = rm_open();
	ASSERT_LE(0, fd);
	port = rm_port_with_send(fd);
	ASSERT_NE(0u, port);
	ASSERT_EQ(0, io_uring_queue_init(8, &ring, 0));
	for (i = 0; i < 4; i++) {
		memset(&a[i], 0, sizeof(a[i]));
		a[i].options = RMACH_MSG_RCV;
		a[i].rcv_msg = (uintptr_t)&m[i];
		a[i].rcv_size = sizeof(m[i]);
		a[i].rcv_name = port;
		prep_rcv(io_uring_get_sqe(&ring), fd, &a[i], (uint64_t)i);
	}
	ASSERT_EQ(4, io_uring_submit(&ring));
	io_uring_queue_exit(&ring);
	usleep(2500 * 1000);
	ASSERT_EQ(0, rm_send(fd, port, RMACH_MSG_TYPE_COPY_SEND, 77, "m", 1, 0));
	EXPECT_EQ(0, rm_recv(fd, port, &got, 0)) {
		TH_LOG("the closed ring's receive took the message");
	}
	close(fd);
	RM_EXPECT_BASELINE(&base);
}

/*
 * uring_rcv_parked_by_exited_thread: a thread that parks a receive and
 * exits (its process and the ring live on) left it parked until a message
 * or a close came; it ends with ECANCELED within a second or two.
 */
struct parker {
	struct io_uring *ring;
	int fd;
	uint32_t port;
	struct rmach_msg_args a;
	struct rm_msg m;
	int submitted;
};

static void *parker_main(void *arg)
{
	struct parker *pk = arg;

	memset(&pk->a, 0, sizeof(pk->a));
	pk->a.options = RMACH_MSG_RCV;
	pk->a.rcv_msg = (uintptr_t)&pk->m;
	pk->a.rcv_size = sizeof(pk->m);
	pk->a.rcv_name = pk->port;
	prep_rcv(io_uring_get_sqe(pk->ring), pk->fd, &pk->a, 9);
	pk->submitted = io_uring_submit(pk->ring);
	return NULL;
}

TEST(uring_rcv_parked_by_exited_thread)
{
	struct __kernel_timespec ts = { .tv_sec = 4 };
	struct rm_counters base;
	static struct parker pk;
	struct io_uring ring;
	struct io_uring_cqe *cqe;
	pthread_t th;

	rm_counters_read(&base);
	pk.fd = rm_open();
	ASSERT_LE(0, pk.fd);
	pk.port = rm_port_with_send(pk.fd);
	ASSERT_NE(0u, pk.port);
	ASSERT_EQ(0, io_uring_queue_init(8, &ring, 0));
	pk.ring = &ring;
	ASSERT_EQ(0, pthread_create(&th, NULL, parker_main, &pk));
	ASSERT_EQ(0, pthread_join(th, NULL));
	ASSERT_EQ(1, pk.submitted);
	ASSERT_EQ(0, io_uring_wait_cqe_timeout(&ring, &cqe, &ts)) {
		TH_LOG("the exited thread's receive is still parked");
		rm_send(pk.fd, pk.port, RMACH_MSG_TYPE_COPY_SEND, 1, NULL, 0, 0);
		ASSERT_EQ(0, io_uring_wait_cqe_timeout(&ring, &cqe, &ts));
	}
	EXPECT_EQ(-ECANCELED, cqe->res);
	io_uring_cqe_seen(&ring, cqe);
	io_uring_queue_exit(&ring);
	close(pk.fd);
	RM_EXPECT_BASELINE(&base);
}

/*
 * timed_receive_eintr_from_uring_task_work: a receive with a timeout that
 * was blocked when io_uring task work of its thread arrived (a receive of
 * its parked on a ring completing) returned EINTR, although no signal had
 * come: io_uring interrupts the sleeper to run the task work, and a timed
 * phase turned every interruption into EINTR. It is restarted now (EINTR
 * only when a signal handler ran) and ends with its timeout.
 */
struct late_sender {
	int fd;
	uint32_t port;
};

static void *late_sender_main(void *arg)
{
	struct late_sender *ls = arg;

	usleep(100 * 1000);
	rm_send(ls->fd, ls->port, RMACH_MSG_TYPE_COPY_SEND, 1, "u", 1, 0);
	return NULL;
}

TEST(timed_receive_eintr_from_uring_task_work)
{
	struct __kernel_timespec ts = { .tv_sec = 2 };
	static struct late_sender ls;
	struct rmach_msg_args a;
	struct rm_counters base;
	struct io_uring ring;
	struct io_uring_cqe *cqe;
	struct rm_msg m, got;
	uint32_t quiet;
	uint64_t t0;
	pthread_t th;
	int err;

	rm_counters_read(&base);
	ls.fd = rm_open();
	ASSERT_LE(0, ls.fd);
	ls.port = rm_port_with_send(ls.fd);
	quiet = rm_port_with_send(ls.fd);
	ASSERT_NE(0u, ls.port);
	ASSERT_NE(0u, quiet);
	ASSERT_EQ(0, io_uring_queue_init(8, &ring, 0));
	memset(&a, 0, sizeof(a));
	a.options = RMACH_MSG_RCV;
	a.rcv_msg = (uintptr_t)&m;
	a.rcv_size = sizeof(m);
	a.rcv_name = ls.port;
	prep_rcv(io_uring_get_sqe(&ring), ls.fd, &a, 1);
	ASSERT_EQ(1, io_uring_submit(&ring));
	/* The ring's receive completes (task work here) 100 ms into this. */
	ASSERT_EQ(0, pthread_create(&th, NULL, late_sender_main, &ls));
	t0 = rm_now_ms();
	err = rm_recv(ls.fd, quiet, &got, 400);
	EXPECT_EQ(-ETIMEDOUT, err) {
		TH_LOG("after %llu ms", (unsigned long long)(rm_now_ms() - t0));
	}
	EXPECT_LE(400ull, rm_now_ms() - t0);
	pthread_join(th, NULL);
	ASSERT_EQ(0, io_uring_wait_cqe_timeout(&ring, &cqe, &ts));
	EXPECT_EQ(24 + 1, cqe->res);
	io_uring_cqe_seen(&ring, cqe);
	io_uring_queue_exit(&ring);
	close(ls.fd);
	RM_EXPECT_BASELINE(&base);
}

/* --- fault injection (the debug kernel; SKIP elsewhere) ------------------ */

#define FAILSLAB "/sys/kernel/debug/failslab/"
#define FAILPAGE "/sys/kernel/debug/fail_page_alloc/"

/* Reads a debugfs knob into old (if given), then writes val (no pwrite:
 * these files are not seekable). */
static int knob_rw(const char *path, const char *val, char *old, size_t len)
{
	ssize_t n;
	int fd;

	if (old) {
		fd = open(path, O_RDONLY);
		if (fd < 0)
			return -1;
		n = read(fd, old, len - 1);
		old[n > 0 ? n : 0] = 0;
		close(fd);
	}
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	n = write(fd, val, strlen(val));
	close(fd);
	return n < 0 ? -1 : 0;
}

/*
 * fail-nth for this thread, with failslab counting GFP_KERNEL allocations
 * (ignore-gfp-wait=N) and quiet; -1 when the kernel cannot inject.
 */
struct nth {
	int fd;
	char wait[16], verbose[16];
};

static int nth_open(struct nth *f)
{
	f->fd = open("/proc/thread-self/fail-nth", O_RDWR);
	if (f->fd < 0)
		return -1;
	if (knob_rw(FAILSLAB "ignore-gfp-wait", "N", f->wait, sizeof(f->wait)) ||
	    knob_rw(FAILSLAB "verbose", "0", f->verbose, sizeof(f->verbose))) {
		close(f->fd);
		return -1;
	}
	return 0;
}

static void nth_close(struct nth *f)
{
	knob_rw(FAILSLAB "ignore-gfp-wait", f->wait, NULL, 0);
	knob_rw(FAILSLAB "verbose", f->verbose, NULL, 0);
	close(f->fd);
}

static void nth_arm(struct nth *f, unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	if (pwrite(f->fd, buf, (size_t)len, 0) != len)
		return;
}

/* Disarms; true when the fault fired. */
static bool nth_fired(struct nth *f)
{
	char buf[16] = "";

	if (pread(f->fd, buf, sizeof(buf) - 1, 0) > 0 && atoi(buf) == 0)
		return true;
	if (pwrite(f->fd, "0", 1, 0) != 1)
		return false;
	return false;
}

/*
 * registry_entry_of_dead_service_stays: a registry entry is dropped when
 * the dead-name notification of its port arrives. When that notification
 * could not be allocated (as the port died) or the request for it could
 * not be made (at REGISTER), the entry of the dead service stayed until
 * someone looked its key up: debugfs "registry" never came back and the
 * entry counted against its uid's registry_per_user. Allocation failures
 * are injected into REGISTER and into the port's destruction; after each
 * round the registry must be empty again.
 */
TEST(registry_entry_of_dead_service_stays)
{
	struct rm_counters base;
	struct nth f;
	long long reg0;
	unsigned int n, phase, fired = 0;
	char key[64];
	uint32_t port;
	int fd, err;

	if (nth_open(&f))
		SKIP(return, "no fault injection (CONFIG_FAILSLAB, debugfs)");
	rm_counters_read(&base);
	reg0 = rm_counter("registry");
	fd = rm_open();
	ASSERT_LE(0, fd);
	for (n = 1; n <= 24; n++) {
		for (phase = 0; phase < 2; phase++) {
			port = rm_port_with_send(fd);
			ASSERT_NE(0u, port);
			snprintf(key, sizeof(key), "t.rg.%d.%u.%u", (int)getpid(),
				 n, phase);
			if (phase == 0)
				nth_arm(&f, n);
			err = rm_register(fd, key, port);
			if (phase == 0)
				fired += nth_fired(&f);
			if (phase == 1)
				nth_arm(&f, n);
			rm_name_op(fd, RMACH_IOC_PORT_DESTROY, port);
			if (phase == 1)
				fired += nth_fired(&f);
			EXPECT_EQ(reg0, rm_counter("registry")) {
				TH_LOG("n %u phase %u (register: %d): the dead service's entry stayed",
				       n, phase, err);
			}
		}
	}
	TH_LOG("%u faults fired", fired);
	EXPECT_LT(0u, fired);
	nth_close(&f);
	close(fd);
	RM_EXPECT_BASELINE(&base);
}

/*
 * message_alloc_failure_warns: a message body above a page is kvmalloc'ed;
 * when that failed (the vmalloc fallback too), vmalloc printed "vmalloc
 * error ... allocation failed" and a stack trace: any user could fill the
 * machine's log with kernel backtraces by sending large messages under
 * memory pressure. The sender must just get ENOMEM. Every allocation of a
 * few 12 KB sends fails here (failslab and fail_page_alloc at 100 % for
 * this thread only); the kernel log must stay free of such warnings.
 */
static const char *const fail_knobs[][2] = {
	{ FAILSLAB "ignore-gfp-wait", "N" }, { FAILSLAB "verbose", "0" },
	{ FAILSLAB "task-filter", "Y" }, { FAILSLAB "interval", "1" },
	{ FAILSLAB "times", "-1" }, { FAILSLAB "space", "0" },
	{ FAILSLAB "probability", "100" },
	{ FAILPAGE "ignore-gfp-wait", "N" }, { FAILPAGE "min-order", "0" },
	{ FAILPAGE "verbose", "0" }, { FAILPAGE "task-filter", "Y" },
	{ FAILPAGE "interval", "1" }, { FAILPAGE "times", "-1" },
	{ FAILPAGE "space", "0" }, { FAILPAGE "probability", "100" },
};
#define NKNOBS (sizeof(fail_knobs) / sizeof(fail_knobs[0]))

TEST(message_alloc_failure_warns)
{
	static char body[12 * 1024];
	char old[NKNOBS][32], rec[1024];
	struct rm_counters base;
	unsigned int i, n, nomem = 0;
	uint32_t port;
	ssize_t len;
	int fd, kmsg, mif, err;

	mif = open("/proc/thread-self/make-it-fail", O_WRONLY);
	if (mif < 0 || access(FAILSLAB "probability", W_OK))
		SKIP(return, "no fault injection (CONFIG_FAILSLAB, debugfs)");
	rm_counters_read(&base);
	fd = rm_open();
	ASSERT_LE(0, fd);
	port = rm_port_with_send(fd);
	ASSERT_NE(0u, port);
	kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, kmsg);
	lseek(kmsg, 0, SEEK_END);
	for (i = 0; i < NKNOBS; i++)
		ASSERT_EQ(0, knob_rw(fail_knobs[i][0], fail_knobs[i][1], old[i],
				     sizeof(old[i])));
	for (n = 0; n < 4; n++) {
		struct rm_msg *m = calloc(1, sizeof(*m) + sizeof(body));
		struct rmach_msg_args a = { 0 };

		ASSERT_NE(NULL, m);
		rm_msg_init(m, port, RMACH_MSG_TYPE_COPY_SEND, 0, 0, 1, NULL, 0);
		m->h.size = sizeof(m->h) + sizeof(body);
		a.send_msg = (uintptr_t)m;
		a.send_size = m->h.size;
		a.options = RMACH_MSG_SEND | RMACH_MSG_SEND_TIMEOUT;
		ASSERT_EQ(1, write(mif, "1", 1));
		err = rm_ioctl(fd, RMACH_IOC_MSG, &a);
		ASSERT_EQ(1, write(mif, "0", 1));
		nomem += err == -ENOMEM;
		free(m);
	}
	for (i = NKNOBS; i-- > 0;)
		knob_rw(fail_knobs[i][0], old[i], NULL, 0);
	while ((len = read(kmsg, rec, sizeof(rec) - 1)) > 0 ||
	       (len < 0 && errno == EPIPE)) {
		if (len <= 0)
			continue;
		rec[len] = 0;
		EXPECT_EQ(NULL, strstr(rec, "allocation fail")) {
			TH_LOG("kernel log: %s", rec);
		}
		EXPECT_EQ(NULL, strstr(rec, "vmalloc error")) {
			TH_LOG("kernel log: %s", rec);
		}
	}
	EXPECT_EQ(4u, nomem);
	close(kmsg);
	close(mif);
	close(fd);
	RM_EXPECT_BASELINE(&base);
}

TEST_HARNESS_MAIN
