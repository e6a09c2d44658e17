// SPDX-License-Identifier: GPL-2.0
/*
 * uring-oneway: one-way throughput on one port in one process, 64-byte
 * messages: one RMACH_IOC_MSG send + one receive per message, against
 * batches of B RMACH_URING_SEND + B RMACH_URING_RCV per io_uring_enter.
 *   cc -O2 -Iuapi -o build/uring-oneway tools/uring-oneway/uring-oneway.c -luring
 *   tools/vm/run --module kmod/rmach.ko -- build/uring-oneway [N [B]]
 */
#include <liburing.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <fcntl.h>
#include <unistd.h>
#include <time.h>
#include <sys/ioctl.h>
#include <linux/rmach.h>

struct m { struct rmach_msg_header h; char d[64]; };
static double now(void){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec/1e9;}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 20000, B = argc > 2 ? atoi(argv[2]) : 64;
	int fd = open(RMACH_DEVICE, O_RDWR), i, j;
	struct rmach_port_alloc pa = { .right = RMACH_RIGHT_RECEIVE };
	if (fd < 0 || ioctl(fd, RMACH_IOC_PORT_ALLOCATE, &pa)) { perror("open"); return 1; }
	uint32_t port = pa.name;
	struct rmach_port_attr at = { .name = port, .mask = RMACH_ATTR_QLIMIT, .qlimit = 1024 };
	ioctl(fd, RMACH_IOC_PORT_SET_ATTR, &at);
	static struct m sm, rm[1024];
	memset(&sm, 0, sizeof(sm));
	sm.h.bits = RMACH_MSGH_BITS(RMACH_MSG_TYPE_MAKE_SEND, 0);
	sm.h.size = sizeof(sm); sm.h.remote_port = port;
	/* ioctl: send one, receive one */
	double t0 = now();
	for (i = 0; i < n; i++) {
		struct rmach_msg_args s = { .send_msg = (uintptr_t)&sm, .send_size = sizeof(sm), .options = RMACH_MSG_SEND };
		struct rmach_msg_args r = { .rcv_msg = (uintptr_t)&rm[0], .rcv_size = sizeof(rm[0]), .rcv_name = port, .options = RMACH_MSG_RCV };
		if (ioctl(fd, RMACH_IOC_MSG, &s) || ioctl(fd, RMACH_IOC_MSG, &r)) { perror("ioctl"); return 1; }
	}
	double tio = now() - t0;
	struct io_uring ring;
	if (io_uring_queue_init(2 * B, &ring, 0)) { fprintf(stderr, "ring\n"); return 1; }
	static struct rmach_msg_args sa[1024], ra[1024];
	t0 = now();
	for (i = 0; i < n; i += B) {
		for (j = 0; j < B; j++) {
			struct io_uring_sqe *q = io_uring_get_sqe(&ring);
			sa[j] = (struct rmach_msg_args){ .send_msg = (uintptr_t)&sm, .send_size = sizeof(sm), .options = RMACH_MSG_SEND };
			io_uring_prep_rw(IORING_OP_URING_CMD, q, fd, NULL, 0, 0);
			q->cmd_op = RMACH_URING_SEND;
			((struct rmach_uring_cmd *)q->cmd)->args = (uintptr_t)&sa[j];
			((struct rmach_uring_cmd *)q->cmd)->flags = 0;
			((struct rmach_uring_cmd *)q->cmd)->reserved = 0;
		}
		for (j = 0; j < B; j++) {
			struct io_uring_sqe *q = io_uring_get_sqe(&ring);
			ra[j] = (struct rmach_msg_args){ .rcv_msg = (uintptr_t)&rm[j], .rcv_size = sizeof(rm[j]), .rcv_name = port, .options = RMACH_MSG_RCV };
			io_uring_prep_rw(IORING_OP_URING_CMD, q, fd, NULL, 0, 0);
			q->cmd_op = RMACH_URING_RCV;
			((struct rmach_uring_cmd *)q->cmd)->args = (uintptr_t)&ra[j];
			((struct rmach_uring_cmd *)q->cmd)->flags = 0;
			((struct rmach_uring_cmd *)q->cmd)->reserved = 0;
		}
		if (io_uring_submit_and_wait(&ring, 2 * B) != 2 * B) { fprintf(stderr, "submit\n"); return 1; }
		struct io_uring_cqe *c; unsigned head, cnt = 0;
		io_uring_for_each_cqe(&ring, head, c) { if (c->res < 0) { fprintf(stderr, "res %d\n", c->res); return 1; } cnt++; }
		io_uring_cq_advance(&ring, cnt);
		if (cnt != 2u * B) { fprintf(stderr, "cnt %u\n", cnt); return 1; }
	}
	double tur = now() - t0;
	printf("msgs=%d batch=%d 64B: ioctl %.0f msg/s, io_uring %.0f msg/s, ratio %.2f\n",
	       n, B, n / tio, n / tur, tio / tur);
	return 0;
}
