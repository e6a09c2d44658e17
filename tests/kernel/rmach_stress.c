// SPDX-License-Identifier: GPL-2.0
/*
 * Bounded stress: sender processes x threads against a server process with
 * one receiver thread per port, for a few seconds. Half of the messages are
 * calls answered by the server. Checks that every message sent arrived
 * exactly once, that each sender's messages arrived in order, that every
 * call got its own reply, and that the counters return to baseline.
 */
#include <pthread.h>
#include <sys/mman.h>
#include "kselftest_harness.h"
#include "rmach_test.h"

#define NPORTS		2	/* server receiver threads, one port each */
#define NPROCS		3	/* sender processes */
#define NTHREADS	3	/* sender threads per process */
#define NSENDERS	(NPROCS * NTHREADS)
#define RUN_MS		3000
#define STOP_ID		0xdead

struct shared {
	uint32_t sent[NSENDERS];
	uint32_t received[NSENDERS];
	uint32_t replies_ok[NSENDERS];
	uint32_t errors;		/* unexpected failures */
	uint32_t out_of_order;
	uint32_t ready;
};

struct payload {
	uint32_t sender;
	uint32_t seq;
	char fill[48];
};

static struct shared *sh;
static char key_base[48];

static void port_key(char *buf, size_t len, int i)
{
	snprintf(buf, len, "%s.%d", key_base, i);
}

struct rcv_thread {
	int fd;
	uint32_t port;
	uint32_t next[NSENDERS];	/* expected seq per sender */
};

static void *server_thread(void *p)
{
	struct rcv_thread *t = p;
	struct rm_msg m;

	for (;;) {
		struct payload pl;

		if (rm_recv(t->fd, t->port, &m, 20000)) {
			__atomic_add_fetch(&sh->errors, 1, __ATOMIC_RELAXED);
			return NULL;
		}
		if (m.h.id == STOP_ID)
			return NULL;
		memcpy(&pl, m.u.data, sizeof(pl));
		if (pl.sender >= NSENDERS) {
			__atomic_add_fetch(&sh->errors, 1, __ATOMIC_RELAXED);
			continue;
		}
		if (pl.seq != t->next[pl.sender])
			__atomic_add_fetch(&sh->out_of_order, 1, __ATOMIC_RELAXED);
		t->next[pl.sender] = pl.seq + 1;
		__atomic_add_fetch(&sh->received[pl.sender], 1, __ATOMIC_RELAXED);
		if (RMACH_MSGH_BITS_REMOTE(m.h.bits)) {
			uint32_t reply = m.h.remote_port;

			rm_msg_init(&m, reply, RMACH_MSG_TYPE_MOVE_SEND_ONCE, 0,
				    0, pl.seq, &pl, sizeof(pl));
			if (rm_send_msg(t->fd, &m, 5000))
				__atomic_add_fetch(&sh->errors, 1,
						   __ATOMIC_RELAXED);
		}
	}
}

static void server(void)
{
	struct rcv_thread t[NPORTS];
	pthread_t th[NPORTS];
	char key[64];
	int fd = rm_open(), i;

	if (fd < 0)
		_exit(1);
	for (i = 0; i < NPORTS; i++) {
		memset(&t[i], 0, sizeof(t[i]));
		t[i].fd = fd;
		t[i].port = rm_port_with_send(fd);
		if (!t[i].port || rm_qlimit(fd, t[i].port, 16))
			_exit(2);
		port_key(key, sizeof(key), i);
		if (rm_register(fd, key, t[i].port))
			_exit(3);
		pthread_create(&th[i], NULL, server_thread, &t[i]);
	}
	for (i = 0; i < NPORTS; i++)
		pthread_join(th[i], NULL);
	_exit(0);
}

struct snd_thread {
	int fd;
	uint32_t sender;
	uint32_t dest;
	uint32_t reply;
};

static void *sender_thread(void *p)
{
	struct snd_thread *t = p;
	uint64_t end = rm_now_ms() + RUN_MS;
	struct payload pl = { .sender = t->sender };
	struct rm_msg m;

	while (rm_now_ms() < end) {
		int call = pl.seq & 1, err;

		rm_msg_init(&m, t->dest, RMACH_MSG_TYPE_COPY_SEND,
			    call ? t->reply : 0,
			    call ? RMACH_MSG_TYPE_MAKE_SEND_ONCE : 0, 1, &pl,
			    sizeof(pl));
		if (call) {
			struct rmach_msg_args a = { 0 };

			a.options = RMACH_MSG_SEND | RMACH_MSG_RCV |
				    RMACH_MSG_RCV_TIMEOUT;
			a.send_msg = a.rcv_msg = (uintptr_t)&m;
			a.send_size = m.h.size;
			a.rcv_size = sizeof(m);
			a.rcv_name = t->reply;
			a.rcv_timeout_ms = 20000;
			err = rm_ioctl(t->fd, RMACH_IOC_MSG, &a);
			if (!err || (a.status & RMACH_MSG_SENT))
				sh->sent[t->sender]++;
			if (!err && m.h.id == pl.seq &&
			    !memcmp(m.u.data, &pl, sizeof(pl)))
				sh->replies_ok[t->sender]++;
		} else {
			err = rm_send_msg(t->fd, &m, 20000);
			if (!err)
				sh->sent[t->sender]++;
		}
		if (err) {
			__atomic_add_fetch(&sh->errors, 1, __ATOMIC_RELAXED);
			break;
		}
		pl.seq++;
	}
	return NULL;
}

static void sender_proc(int proc)
{
	struct snd_thread t[NTHREADS];
	pthread_t th[NTHREADS];
	uint32_t dest[NPORTS];
	char key[64];
	int fd = rm_open(), i;

	if (fd < 0)
		_exit(1);
	for (i = 0; i < NPORTS; i++) {
		port_key(key, sizeof(key), i);
		if (rm_look_up(fd, key, &dest[i]))
			_exit(2);
	}
	for (i = 0; i < NTHREADS; i++) {
		t[i].fd = fd;
		t[i].sender = proc * NTHREADS + i;
		t[i].dest = dest[t[i].sender % NPORTS];
		if (rm_alloc(fd, RMACH_RIGHT_RECEIVE, &t[i].reply))
			_exit(3);
		pthread_create(&th[i], NULL, sender_thread, &t[i]);
	}
	for (i = 0; i < NTHREADS; i++)
		pthread_join(th[i], NULL);
	_exit(0);
}

TEST(stress_processes_and_threads)
{
	struct rm_counters base;
	pid_t srv, snd[NPROCS];
	uint32_t total = 0, dest;
	char key[64];
	int fd, i;

	rm_counters_read(&base);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, sh);
	memset(sh, 0, sizeof(*sh));
	rm_key(key_base, sizeof(key_base), "stress");

	srv = fork();
	ASSERT_LE(0, srv);
	if (srv == 0)
		server();
	for (i = 0; i < NPROCS; i++) {
		snd[i] = fork();
		ASSERT_LE(0, snd[i]);
		if (snd[i] == 0)
			sender_proc(i);
	}
	for (i = 0; i < NPROCS; i++)
		EXPECT_EQ(0, rm_wait(snd[i]));

	/* Stop the server: one STOP per port, queued after everything. */
	fd = rm_open();
	ASSERT_LE(0, fd);
	for (i = 0; i < NPORTS; i++) {
		port_key(key, sizeof(key), i);
		ASSERT_EQ(0, rm_look_up(fd, key, &dest));
		EXPECT_EQ(0, rm_send(fd, dest, RMACH_MSG_TYPE_MOVE_SEND, STOP_ID,
				     NULL, 0, 20000));
		rm_unregister(fd, key);
	}
	close(fd);
	EXPECT_EQ(0, rm_wait(srv));

	EXPECT_EQ(0u, sh->errors);
	EXPECT_EQ(0u, sh->out_of_order);
	for (i = 0; i < NSENDERS; i++) {
		EXPECT_LT(0u, sh->sent[i]);
		EXPECT_EQ(sh->sent[i], sh->received[i]) {
			TH_LOG("sender %d: sent %u received %u", i,
			       sh->sent[i], sh->received[i]);
		}
		/* Calls are the odd sequence numbers. */
		EXPECT_EQ(sh->sent[i] / 2, sh->replies_ok[i]);
		total += sh->received[i];
	}
	TH_LOG("%u messages from %d senders in %d ms", total, NSENDERS, RUN_MS);
	munmap(sh, sizeof(*sh));
	RM_EXPECT_BASELINE(&base);
}

TEST_HARNESS_MAIN
