// SPDX-License-Identifier: GPL-2.0
/*
 * Every /dev/rmach ioctl with valid and invalid arguments: bad names, wrong
 * rights, bad pointers, oversize messages, non-zero reserved fields, unknown
 * ioctl numbers. Each test ends with the debugfs counters back at the values
 * it started with.
 */
#include <poll.h>
#include <sys/mman.h>
#include "kselftest_harness.h"
#include "rmach_test.h"

FIXTURE(space) {
	int fd;
	struct rm_counters base;
};

FIXTURE_SETUP(space)
{
	rm_counters_read(&self->base);
	ASSERT_NE(-1, self->base.v[0]) {
		TH_LOG("debugfs counters missing");
	}
	self->fd = rm_open();
	ASSERT_LE(0, self->fd) {
		TH_LOG("open: %s", strerror(errno));
	}
}

FIXTURE_TEARDOWN(space)
{
	close(self->fd);
	RM_EXPECT_BASELINE(&self->base);
}

TEST_F(space, version)
{
	struct rmach_version v;

	memset(&v, 0xff, sizeof(v));
	ASSERT_EQ(0, rm_ioctl(self->fd, RMACH_IOC_VERSION, &v));
	EXPECT_EQ(RMACH_ABI_VERSION, v.abi_version);
	EXPECT_NE(0ull, v.features & RMACH_FEAT_HANDOFF);
	EXPECT_EQ(1024u, v.max_qlimit);
	EXPECT_EQ(5u, v.default_qlimit);
	EXPECT_LT(0u, v.max_msg_size);
	EXPECT_EQ(0u, v.reserved0);
	EXPECT_EQ(0u, v.reserved[0]);
	EXPECT_EQ(0u, v.reserved[1]);
	EXPECT_EQ(-EFAULT, rm_ioctl(self->fd, RMACH_IOC_VERSION, NULL));
}

TEST_F(space, unknown_ioctls)
{
	char buf[256] = { 0 };

	EXPECT_EQ(-ENOTTY, rm_ioctl(self->fd, _IO(RMACH_IOC_MAGIC, 0x7f), buf));
	EXPECT_EQ(-ENOTTY, rm_ioctl(self->fd, _IOWR(RMACH_IOC_MAGIC, 0x40,
						    struct rmach_port_name), buf));
	/* Right number, wrong size: a different ioctl. */
	EXPECT_EQ(-ENOTTY, rm_ioctl(self->fd, _IOWR(RMACH_IOC_MAGIC, 0x01,
						    struct rmach_port_name), buf));
	EXPECT_EQ(-ENOTTY, rm_ioctl(self->fd, _IO('T', 0x01), buf));
}

TEST_F(space, allocate)
{
	struct rmach_port_alloc a;
	uint32_t rcv, pset, dead;

	ASSERT_EQ(0, rm_alloc(self->fd, RMACH_RIGHT_RECEIVE, &rcv));
	ASSERT_EQ(0, rm_alloc(self->fd, RMACH_RIGHT_PORT_SET, &pset));
	ASSERT_EQ(0, rm_alloc(self->fd, RMACH_RIGHT_DEAD_NAME, &dead));
	EXPECT_NE(0u, rcv);
	EXPECT_NE(RMACH_PORT_DEAD, rcv);
	EXPECT_NE(rcv, pset);
	EXPECT_EQ(RMACH_TYPE_RECEIVE, rm_type(self->fd, rcv));
	EXPECT_EQ(RMACH_TYPE_PORT_SET, rm_type(self->fd, pset));
	EXPECT_EQ(RMACH_TYPE_DEAD_NAME, rm_type(self->fd, dead));

	/* Rights that cannot be allocated, unknown rights. */
	EXPECT_EQ(-EINVAL, rm_alloc(self->fd, RMACH_RIGHT_SEND, &rcv));
	EXPECT_EQ(-EINVAL, rm_alloc(self->fd, RMACH_RIGHT_SEND_ONCE, &rcv));
	EXPECT_EQ(-EINVAL, rm_alloc(self->fd, 99, &rcv));

	memset(&a, 0, sizeof(a));
	a.right = RMACH_RIGHT_RECEIVE;
	a.reserved = 1;
	EXPECT_EQ(-EINVAL, rm_ioctl(self->fd, RMACH_IOC_PORT_ALLOCATE, &a));
	a.reserved = 0;
	a.flags = 0x80;
	EXPECT_EQ(-EINVAL, rm_ioctl(self->fd, RMACH_IOC_PORT_ALLOCATE, &a));
	a.flags = 0;
	a.name = 5;	/* a name without RMACH_ALLOC_NAME */
	EXPECT_EQ(-EINVAL, rm_ioctl(self->fd, RMACH_IOC_PORT_ALLOCATE, &a));

	/* A chosen name; taken; invalid. */
	a.flags = RMACH_ALLOC_NAME;
	a.name = 0x1234500;
	EXPECT_EQ(0, rm_ioctl(self->fd, RMACH_IOC_PORT_ALLOCATE, &a));
	EXPECT_EQ(RMACH_TYPE_RECEIVE, rm_type(self->fd, 0x1234500));
	EXPECT_EQ(-EEXIST, rm_ioctl(self->fd, RMACH_IOC_PORT_ALLOCATE, &a));
	a.name = 0;
	EXPECT_EQ(-EINVAL, rm_ioctl(self->fd, RMACH_IOC_PORT_ALLOCATE, &a));
	a.name = RMACH_PORT_DEAD;
	EXPECT_EQ(-EINVAL, rm_ioctl(self->fd, RMACH_IOC_PORT_ALLOCATE, &a));

	/* Bad pointers. */
	EXPECT_EQ(-EFAULT, rm_ioctl(self->fd, RMACH_IOC_PORT_ALLOCATE, NULL));
	EXPECT_EQ(-EFAULT, rm_ioctl(self->fd, RMACH_IOC_PORT_ALLOCATE,
				    (void *)8));
}

TEST_F(space, destroy_deallocate_type)
{
	uint32_t port = rm_port_with_send(self->fd), bogus;

	ASSERT_NE(0u, port);
	EXPECT_EQ(RMACH_TYPE_RECEIVE | RMACH_TYPE_SEND, rm_type(self->fd, port));
	EXPECT_EQ(1, rm_refs(self->fd, port, RMACH_RIGHT_SEND));
	/* Deallocate drops the send uref; the receive right stays. */
	EXPECT_EQ(0, rm_name_op(self->fd, RMACH_IOC_PORT_DEALLOCATE, port));
	EXPECT_EQ(RMACH_TYPE_RECEIVE, rm_type(self->fd, port));
	/* A receive right alone cannot be deallocated. */
	EXPECT_EQ(-EPERM, rm_name_op(self->fd, RMACH_IOC_PORT_DEALLOCATE, port));
	EXPECT_EQ(0, rm_name_op(self->fd, RMACH_IOC_PORT_DESTROY, port));
	EXPECT_EQ(-ENOENT, rm_name_op(self->fd, RMACH_IOC_PORT_DESTROY, port));
	EXPECT_EQ(-ENOENT, rm_name_op(self->fd, RMACH_IOC_PORT_DEALLOCATE, port));

	/* Names never handed out, NULL, DEAD. */
	bogus = 0x00abcd01;
	EXPECT_EQ(-ENOENT, rm_name_op(self->fd, RMACH_IOC_PORT_DESTROY, bogus));
	EXPECT_EQ(-ENOENT, rm_name_op(self->fd, RMACH_IOC_PORT_TYPE, bogus));
	EXPECT_NE(0, rm_name_op(self->fd, RMACH_IOC_PORT_DESTROY, 0));
	EXPECT_NE(0, rm_name_op(self->fd, RMACH_IOC_PORT_DESTROY,
				RMACH_PORT_DEAD));

	/* Reserved field of rmach_port_name. */
	do {
		struct rmach_port_name p = { .name = bogus, .type = 1 };

		EXPECT_EQ(-EINVAL, rm_ioctl(self->fd, RMACH_IOC_PORT_DESTROY, &p));
		EXPECT_EQ(-EINVAL, rm_ioctl(self->fd, RMACH_IOC_PORT_TYPE, &p));
	} while (0);
	EXPECT_EQ(-EFAULT, rm_ioctl(self->fd, RMACH_IOC_PORT_TYPE, NULL));
}

TEST_F(space, mod_refs_get_refs)
{
	uint32_t port = rm_port_with_send(self->fd), dead;
	struct rmach_port_refs r;

	ASSERT_NE(0u, port);
	EXPECT_EQ(0, rm_mod_refs(self->fd, port, RMACH_RIGHT_SEND, 10));
	EXPECT_EQ(11, rm_refs(self->fd, port, RMACH_RIGHT_SEND));
	EXPECT_EQ(1, rm_refs(self->fd, port, RMACH_RIGHT_RECEIVE));
	EXPECT_EQ(0, rm_refs(self->fd, port, RMACH_RIGHT_SEND_ONCE));
	/* Past 0xFFFF: overflow; below 0: invalid; nothing changes. */
	EXPECT_EQ(-EOVERFLOW, rm_mod_refs(self->fd, port, RMACH_RIGHT_SEND,
					  0xFFFF));
	EXPECT_EQ(-EINVAL, rm_mod_refs(self->fd, port, RMACH_RIGHT_SEND, -12));
	EXPECT_EQ(11, rm_refs(self->fd, port, RMACH_RIGHT_SEND));
	/* Receive: only 0 or -1. */
	EXPECT_EQ(-EINVAL, rm_mod_refs(self->fd, port, RMACH_RIGHT_RECEIVE, 1));
	/* Rights the name does not hold. */
	EXPECT_EQ(-EPERM, rm_mod_refs(self->fd, port, RMACH_RIGHT_PORT_SET, -1));
	EXPECT_EQ(-EINVAL, rm_mod_refs(self->fd, port, 7, 1));
	EXPECT_EQ(-EINVAL, rm_refs(self->fd, port, 7));
	EXPECT_EQ(-ENOENT, rm_mod_refs(self->fd, 0x00777701, RMACH_RIGHT_SEND, 1));

	/* Reserved and out-only fields. */
	memset(&r, 0, sizeof(r));
	r.name = port;
	r.right = RMACH_RIGHT_SEND;
	r.refs = 3;
	EXPECT_EQ(-EINVAL, rm_ioctl(self->fd, RMACH_IOC_PORT_MOD_REFS, &r));
	r.refs = 0;
	r.delta = 1;
	EXPECT_EQ(-EINVAL, rm_ioctl(self->fd, RMACH_IOC_PORT_GET_REFS, &r));

	/* Dead names: urefs like send rights. */
	ASSERT_EQ(0, rm_alloc(self->fd, RMACH_RIGHT_DEAD_NAME, &dead));
	EXPECT_EQ(0, rm_mod_refs(self->fd, dead, RMACH_RIGHT_DEAD_NAME, 2));
	EXPECT_EQ(3, rm_refs(self->fd, dead, RMACH_RIGHT_DEAD_NAME));
	EXPECT_EQ(0, rm_mod_refs(self->fd, dead, RMACH_RIGHT_DEAD_NAME, -3));
	EXPECT_EQ(-ENOENT, rm_name_op(self->fd, RMACH_IOC_PORT_TYPE, dead));

	/* -1 on the receive right destroys the port. */
	EXPECT_EQ(0, rm_mod_refs(self->fd, port, RMACH_RIGHT_RECEIVE, -1));
	EXPECT_EQ(RMACH_TYPE_DEAD_NAME, rm_type(self->fd, port));
	EXPECT_EQ(0, rm_name_op(self->fd, RMACH_IOC_PORT_DESTROY, port));
}

TEST_F(space, insert_extract_right)
{
	uint32_t port, other;
	struct rmach_port_right r;

	ASSERT_EQ(0, rm_alloc(self->fd, RMACH_RIGHT_RECEIVE, &port));
	ASSERT_EQ(0, rm_alloc(self->fd, RMACH_RIGHT_RECEIVE, &other));
	EXPECT_EQ(0, rm_insert(self->fd, port, port, RMACH_MSG_TYPE_MAKE_SEND));
	EXPECT_EQ(0, rm_insert(self->fd, port, port, RMACH_MSG_TYPE_MAKE_SEND));
	EXPECT_EQ(2, rm_refs(self->fd, port, RMACH_RIGHT_SEND));
	/* Under another name: the port already has a name here. */
	EXPECT_EQ(-EEXIST, rm_insert(self->fd, 0x00555500, port,
				     RMACH_MSG_TYPE_MAKE_SEND));
	/* A name that is another port. */
	EXPECT_EQ(-EEXIST, rm_insert(self->fd, other, port,
				     RMACH_MSG_TYPE_MAKE_SEND));
	/* Bad disposition, bad source, reserved. */
	EXPECT_EQ(-EINVAL, rm_insert(self->fd, port, port, 3));
	EXPECT_EQ(-ENOENT, rm_insert(self->fd, port, 0x00888800,
				     RMACH_MSG_TYPE_COPY_SEND));
	memset(&r, 0, sizeof(r));
	r.name = port;
	r.poly = port;
	r.disposition = RMACH_MSG_TYPE_MAKE_SEND;
	r.reserved = 1;
	EXPECT_EQ(-EINVAL, rm_ioctl(self->fd, RMACH_IOC_PORT_INSERT_RIGHT, &r));

	/* Extract a send-once right: a new name of its own. */
	memset(&r, 0, sizeof(r));
	r.name = port;
	r.disposition = RMACH_MSG_TYPE_MAKE_SEND_ONCE;
	ASSERT_EQ(0, rm_ioctl(self->fd, RMACH_IOC_PORT_EXTRACT_RIGHT, &r));
	EXPECT_NE(port, r.poly);
	EXPECT_EQ(RMACH_MSG_TYPE_MOVE_SEND_ONCE, r.disposition);
	EXPECT_EQ(RMACH_TYPE_SEND_ONCE, rm_type(self->fd, r.poly));
	EXPECT_EQ(0, rm_name_op(self->fd, RMACH_IOC_PORT_DEALLOCATE, r.poly));
	/* poly is output only. */
	r.name = port;
	r.poly = 1;
	r.disposition = RMACH_MSG_TYPE_COPY_SEND;
	EXPECT_EQ(-EINVAL, rm_ioctl(self->fd, RMACH_IOC_PORT_EXTRACT_RIGHT, &r));
	/* Wrong right: a port set has no send right to copy. */
	EXPECT_EQ(-EPERM, rm_insert(self->fd, 0x00999900, other,
				    RMACH_MSG_TYPE_COPY_SEND));
}

TEST_F(space, attributes_qlimit)
{
	struct rmach_port_attr a;
	uint32_t port, pset;

	ASSERT_EQ(0, rm_alloc(self->fd, RMACH_RIGHT_RECEIVE, &port));
	ASSERT_EQ(0, rm_alloc(self->fd, RMACH_RIGHT_PORT_SET, &pset));
	ASSERT_EQ(0, rm_attr(self->fd, port, &a));
	EXPECT_EQ(5u, a.qlimit);
	EXPECT_EQ(0u, a.msgcount);
	EXPECT_EQ(0u, a.status);
	EXPECT_EQ(0, rm_qlimit(self->fd, port, 1024));
	ASSERT_EQ(0, rm_attr(self->fd, port, &a));
	EXPECT_EQ(1024u, a.qlimit);
	EXPECT_EQ(-EINVAL, rm_qlimit(self->fd, port, 0));
	EXPECT_EQ(-EINVAL, rm_qlimit(self->fd, port, 1025));
	EXPECT_EQ(-ENOENT, rm_qlimit(self->fd, 0x00444400, 4));
	EXPECT_EQ(-EPERM, rm_qlimit(self->fd, pset, 4));

	/* mscount by mask; unknown mask bits; out fields as input. */
	memset(&a, 0, sizeof(a));
	a.name = port;
	a.mask = RMACH_ATTR_MSCOUNT;
	a.mscount = 7;
	EXPECT_EQ(0, rm_ioctl(self->fd, RMACH_IOC_PORT_SET_ATTR, &a));
	ASSERT_EQ(0, rm_attr(self->fd, port, &a));
	EXPECT_EQ(7u, a.mscount);
	memset(&a, 0, sizeof(a));
	a.name = port;
	a.mask = 0x100;
	EXPECT_EQ(-EINVAL, rm_ioctl(self->fd, RMACH_IOC_PORT_SET_ATTR, &a));
	a.mask = 0;
	EXPECT_EQ(-EINVAL, rm_ioctl(self->fd, RMACH_IOC_PORT_SET_ATTR, &a));
	a.mask = RMACH_ATTR_QLIMIT;
	a.qlimit = 3;
	a.msgcount = 1;
	EXPECT_EQ(-EINVAL, rm_ioctl(self->fd, RMACH_IOC_PORT_SET_ATTR, &a));
	memset(&a, 0, sizeof(a));
	a.name = port;
	a.mask = RMACH_ATTR_QLIMIT;
	EXPECT_EQ(-EINVAL, rm_ioctl(self->fd, RMACH_IOC_PORT_GET_ATTR, &a));
	EXPECT_EQ(-EFAULT, rm_ioctl(self->fd, RMACH_IOC_PORT_GET_ATTR, NULL));
}

TEST_F(space, port_sets)
{
	struct rmach_portset_member m;
	struct rmach_port_attr a;
	uint32_t p1, p2, s1, s2;

	ASSERT_EQ(0, rm_alloc(self->fd, RMACH_RIGHT_RECEIVE, &p1));
	ASSERT_EQ(0, rm_alloc(self->fd, RMACH_RIGHT_RECEIVE, &p2));
	ASSERT_EQ(0, rm_alloc(self->fd, RMACH_RIGHT_PORT_SET, &s1));
	ASSERT_EQ(0, rm_alloc(self->fd, RMACH_RIGHT_PORT_SET, &s2));

	m.set = s1;
	m.member = p1;
	EXPECT_EQ(0, rm_ioctl(self->fd, RMACH_IOC_PORTSET_ADD, &m));
	EXPECT_EQ(0, rm_ioctl(self->fd, RMACH_IOC_PORTSET_ADD, &m));
	ASSERT_EQ(0, rm_attr(self->fd, p1, &a));
	EXPECT_EQ(RMACH_PORT_STATUS_IN_SET, a.status & RMACH_PORT_STATUS_IN_SET);
	/* In at most one set. */
	m.set = s2;
	EXPECT_EQ(-EEXIST, rm_ioctl(self->fd, RMACH_IOC_PORTSET_ADD, &m));
	EXPECT_EQ(-ESRCH, rm_ioctl(self->fd, RMACH_IOC_PORTSET_REMOVE, &m));
	/* Move: out of s1 into s2, then out of everything. */
	EXPECT_EQ(0, rm_ioctl(self->fd, RMACH_IOC_PORTSET_MOVE, &m));
	m.set = s1;
	EXPECT_EQ(-ESRCH, rm_ioctl(self->fd, RMACH_IOC_PORTSET_REMOVE, &m));
	m.set = 0;
	EXPECT_EQ(0, rm_ioctl(self->fd, RMACH_IOC_PORTSET_MOVE, &m));
	EXPECT_EQ(-ESRCH, rm_ioctl(self->fd, RMACH_IOC_PORTSET_MOVE, &m));
	/* Wrong kinds of names. */
	m.set = p2;
	m.member = p1;
	EXPECT_EQ(-EPERM, rm_ioctl(self->fd, RMACH_IOC_PORTSET_ADD, &m));
	m.set = s1;
	m.member = s2;
	EXPECT_EQ(-EPERM, rm_ioctl(self->fd, RMACH_IOC_PORTSET_ADD, &m));
	m.member = 0x00abab00;
	EXPECT_EQ(-ENOENT, rm_ioctl(self->fd, RMACH_IOC_PORTSET_ADD, &m));
	EXPECT_EQ(-EFAULT, rm_ioctl(self->fd, RMACH_IOC_PORTSET_ADD, NULL));
	/* Destroying a set with members leaves the members. */
	m.member = p2;
	EXPECT_EQ(0, rm_ioctl(self->fd, RMACH_IOC_PORTSET_ADD, &m));
	EXPECT_EQ(0, rm_name_op(self->fd, RMACH_IOC_PORT_DESTROY, s1));
	ASSERT_EQ(0, rm_attr(self->fd, p2, &a));
	EXPECT_EQ(0u, a.status & RMACH_PORT_STATUS_IN_SET);
}

TEST_F(space, notify_requests)
{
	struct rmach_notify_req n;
	uint32_t port, notify;

	ASSERT_EQ(0, rm_alloc(self->fd, RMACH_RIGHT_RECEIVE, &port));
	ASSERT_EQ(0, rm_alloc(self->fd, RMACH_RIGHT_RECEIVE, &notify));
	memset(&n, 0, sizeof(n));
	n.name = port;
	n.variant = RMACH_NOTIFY_NO_SENDERS;
	n.sync = 1;
	n.notify = notify;
	n.notify_disposition = RMACH_MSG_TYPE_MAKE_SEND_ONCE;
	EXPECT_EQ(0, rm_ioctl(self->fd, RMACH_IOC_REQUEST_NOTIFY, &n));
	EXPECT_EQ(0u, n.previous);
	/* Again: replaces, reports the previous one. */
	EXPECT_EQ(0, rm_ioctl(self->fd, RMACH_IOC_REQUEST_NOTIFY, &n));
	EXPECT_EQ(1u, n.previous);
	/* Cancel. */
	n.previous = 0;
	n.notify = 0;
	n.notify_disposition = 0;
	EXPECT_EQ(0, rm_ioctl(self->fd, RMACH_IOC_REQUEST_NOTIFY, &n));

	memset(&n, 0, sizeof(n));
	n.name = port;
	n.notify = notify;
	n.notify_disposition = RMACH_MSG_TYPE_MAKE_SEND_ONCE;
	n.variant = 0x42;
	EXPECT_EQ(-EINVAL, rm_ioctl(self->fd, RMACH_IOC_REQUEST_NOTIFY, &n));
	n.variant = RMACH_NOTIFY_DEAD_NAME;
	n.notify_disposition = RMACH_MSG_TYPE_COPY_SEND;
	EXPECT_EQ(-EINVAL, rm_ioctl(self->fd, RMACH_IOC_REQUEST_NOTIFY, &n));
	n.notify_disposition = RMACH_MSG_TYPE_MAKE_SEND_ONCE;
	n.previous = 9;
	EXPECT_EQ(-EINVAL, rm_ioctl(self->fd, RMACH_IOC_REQUEST_NOTIFY, &n));
	n.previous = 0;
	n.name = 0x00cdcd00;
	EXPECT_EQ(-ENOENT, rm_ioctl(self->fd, RMACH_IOC_REQUEST_NOTIFY, &n));
	/* No-senders needs a receive right: a port set is the wrong right. */
	ASSERT_EQ(0, rm_alloc(self->fd, RMACH_RIGHT_PORT_SET, &n.name));
	n.variant = RMACH_NOTIFY_NO_SENDERS;
	EXPECT_EQ(-EPERM, rm_ioctl(self->fd, RMACH_IOC_REQUEST_NOTIFY, &n));
}

TEST_F(space, msg_argument_checks)
{
	struct rmach_msg_args a;
	struct rm_msg m;
	uint32_t port = rm_port_with_send(self->fd);
	char big[256];

	ASSERT_NE(0u, port);
	memset(big, 'x', sizeof(big));
	rm_msg_init(&m, port, RMACH_MSG_TYPE_COPY_SEND, 0, 0, 1, "hi", 2);

	memset(&a, 0, sizeof(a));
	EXPECT_EQ(-EINVAL, rm_ioctl(self->fd, RMACH_IOC_MSG, &a)); /* no phase */
	a.options = RMACH_MSG_SEND | 0x100;
	a.send_msg = (uintptr_t)&m;
	a.send_size = m.h.size;
	EXPECT_EQ(-EINVAL, rm_ioctl(self->fd, RMACH_IOC_MSG, &a));
	a.options = RMACH_MSG_SEND;
	a.reserved = 1;
	EXPECT_EQ(-EINVAL, rm_ioctl(self->fd, RMACH_IOC_MSG, &a));
	a.reserved = 0;
	a.status = 1;
	EXPECT_EQ(-EINVAL, rm_ioctl(self->fd, RMACH_IOC_MSG, &a));
	a.status = 0;
	a.rcv_name = port;	/* receive fields without RMACH_MSG_RCV */
	EXPECT_EQ(-EINVAL, rm_ioctl(self->fd, RMACH_IOC_MSG, &a));
	a.rcv_name = 0;
	a.send_timeout_ms = 5;	/* a timeout without its option */
	EXPECT_EQ(-EINVAL, rm_ioctl(self->fd, RMACH_IOC_MSG, &a));
	a.send_timeout_ms = 0;

	/* Header checks. */
	a.send_size = m.h.size + 1;	/* size disagrees with header */
	EXPECT_EQ(-EINVAL, rm_ioctl(self->fd, RMACH_IOC_MSG, &a));
	a.send_size = 8;		/* smaller than a header */
	EXPECT_EQ(-EINVAL, rm_ioctl(self->fd, RMACH_IOC_MSG, &a));
	a.send_size = m.h.size;
	m.h.bits |= 0x10000;		/* unknown bits */
	EXPECT_EQ(-EINVAL, rm_ioctl(self->fd, RMACH_IOC_MSG, &a));
	m.h.bits = RMACH_MSGH_BITS(RMACH_MSG_TYPE_MOVE_RECEIVE, 0);
	EXPECT_EQ(-EINVAL, rm_ioctl(self->fd, RMACH_IOC_MSG, &a));
	m.h.bits = RMACH_MSGH_BITS(RMACH_MSG_TYPE_COPY_SEND, 0) |
		   RMACH_MSGH_BITS_COMPLEX;	/* COMPLEX without descriptors */
	EXPECT_EQ(-EINVAL, rm_ioctl(self->fd, RMACH_IOC_MSG, &a));
	m.h.bits = RMACH_MSGH_BITS(RMACH_MSG_TYPE_COPY_SEND, 0);
	m.h.local_port = port;		/* a reply port without disposition */
	EXPECT_EQ(-EINVAL, rm_ioctl(self->fd, RMACH_IOC_MSG, &a));
	m.h.local_port = 0;
	m.h.desc_count = 2;		/* descriptors without COMPLEX */
	EXPECT_EQ(-EINVAL, rm_ioctl(self->fd, RMACH_IOC_MSG, &a));
	m.h.bits |= RMACH_MSGH_BITS_COMPLEX;
	m.h.desc_count = RMACH_MSG_MAX_DESCRIPTORS + 1;
	EXPECT_EQ(-EMSGSIZE, rm_ioctl(self->fd, RMACH_IOC_MSG, &a));
	m.h.bits = RMACH_MSGH_BITS(RMACH_MSG_TYPE_COPY_SEND, 0);
	m.h.desc_count = 0;

	/* Bad pointers. */
	a.send_msg = 16;
	EXPECT_EQ(-EFAULT, rm_ioctl(self->fd, RMACH_IOC_MSG, &a));
	a.send_msg = (uintptr_t)&m;
	EXPECT_EQ(-EFAULT, rm_ioctl(self->fd, RMACH_IOC_MSG, NULL));

	/* Wrong or bad destinations. */
	EXPECT_EQ(-ENOENT, rm_send(self->fd, 0x00f0f000, RMACH_MSG_TYPE_COPY_SEND,
				   1, NULL, 0, 0));
	do {
		uint32_t pset;

		ASSERT_EQ(0, rm_alloc(self->fd, RMACH_RIGHT_PORT_SET, &pset));
		EXPECT_EQ(-EPERM, rm_send(self->fd, pset,
					  RMACH_MSG_TYPE_COPY_SEND, 1, NULL, 0, 0));
	} while (0);
	/* Nothing was queued by any of the failures. */
	do {
		struct rmach_port_attr at;

		ASSERT_EQ(0, rm_attr(self->fd, port, &at));
		EXPECT_EQ(0u, at.msgcount);
	} while (0);
	(void)big;
}

TEST_F(space, msg_oversize)
{
	struct rmach_version v;
	struct rmach_msg_args a;
	struct rmach_msg_header *h;
	uint32_t port = rm_port_with_send(self->fd);
	size_t size;

	ASSERT_NE(0u, port);
	ASSERT_EQ(0, rm_ioctl(self->fd, RMACH_IOC_VERSION, &v));
	ASSERT_EQ(0, rm_qlimit(self->fd, port, 2));
	size = sizeof(*h) + v.max_msg_size + 1;
	h = calloc(1, size);
	/* Not ASSERT_NE: it casts pointers to uintmax_t, an error on 32-bit. */
	ASSERT_TRUE(h != NULL);
	h->bits = RMACH_MSGH_BITS(RMACH_MSG_TYPE_COPY_SEND, 0);
	h->remote_port = port;
	h->size = (uint32_t)size;
	memset(&a, 0, sizeof(a));
	a.options = RMACH_MSG_SEND;
	a.send_msg = (uintptr_t)h;
	a.send_size = h->size;
	EXPECT_EQ(-EMSGSIZE, rm_ioctl(self->fd, RMACH_IOC_MSG, &a));
	/* Exactly the cap goes through. */
	h->size = (uint32_t)size - 1;
	a.send_size = h->size;
	EXPECT_EQ(0, rm_ioctl(self->fd, RMACH_IOC_MSG, &a));
	free(h);
}

TEST_F(space, stats_and_poll_port)
{
	struct rmach_space_stats s;
	struct rmach_port_name p = { 0 };
	uint32_t port = rm_port_with_send(self->fd);

	ASSERT_NE(0u, port);
	ASSERT_EQ(0, rm_send(self->fd, port, RMACH_MSG_TYPE_COPY_SEND, 1,
			     "abc", 3, 0));
	memset(&s, 0xff, sizeof(s));
	ASSERT_EQ(0, rm_ioctl(self->fd, RMACH_IOC_SPACE_STATS, &s));
	EXPECT_EQ(1u, s.names);
	EXPECT_EQ(1u, s.receive_rights);
	EXPECT_EQ(1u, s.send_rights);
	EXPECT_EQ(0u, s.send_once_rights);
	EXPECT_EQ(0u, s.dead_names);
	EXPECT_EQ(0u, s.port_sets);
	EXPECT_EQ(1u, s.queued_msgs);
	EXPECT_EQ(3u, s.queued_bytes);
	EXPECT_EQ(1u, s.msgs_sent);
	EXPECT_EQ(0u, s.reserved[0]);
	EXPECT_EQ(-EFAULT, rm_ioctl(self->fd, RMACH_IOC_SPACE_STATS, NULL));

	p.name = port;
	EXPECT_EQ(0, rm_ioctl(self->fd, RMACH_IOC_POLL_PORT, &p));
	p.type = 1;
	EXPECT_EQ(-EINVAL, rm_ioctl(self->fd, RMACH_IOC_POLL_PORT, &p));
	p.type = 0;
	p.name = 0x00a1a100;
	EXPECT_EQ(-ENOENT, rm_ioctl(self->fd, RMACH_IOC_POLL_PORT, &p));
	p.name = 0;
	EXPECT_EQ(0, rm_ioctl(self->fd, RMACH_IOC_POLL_PORT, &p));
}

TEST_F(space, registry_arguments)
{
	struct rmach_registry r;
	uint32_t port, pset;
	char key[64];

	ASSERT_EQ(0, rm_alloc(self->fd, RMACH_RIGHT_RECEIVE, &port));
	ASSERT_EQ(0, rm_alloc(self->fd, RMACH_RIGHT_PORT_SET, &pset));
	rm_key(key, sizeof(key), "args");

	memset(&r, 0, sizeof(r));
	EXPECT_EQ(-EINVAL, rm_ioctl(self->fd, RMACH_IOC_LOOK_UP, &r)); /* "" */
	memset(r.key, 'a', sizeof(r.key));		/* no NUL */
	EXPECT_EQ(-EINVAL, rm_ioctl(self->fd, RMACH_IOC_LOOK_UP, &r));
	memset(&r, 0, sizeof(r));
	strcpy(r.key, "bad key");			/* space not allowed */
	EXPECT_EQ(-EINVAL, rm_ioctl(self->fd, RMACH_IOC_LOOK_UP, &r));
	memset(&r, 0, sizeof(r));
	strcpy(r.key, key);
	r.key[sizeof(r.key) - 1] = 'x';			/* junk after NUL */
	EXPECT_EQ(-EINVAL, rm_ioctl(self->fd, RMACH_IOC_LOOK_UP, &r));
	memset(&r, 0, sizeof(r));
	strcpy(r.key, key);
	r.reserved = 1;
	EXPECT_EQ(-EINVAL, rm_ioctl(self->fd, RMACH_IOC_LOOK_UP, &r));
	r.reserved = 0;
	EXPECT_EQ(-ENOENT, rm_ioctl(self->fd, RMACH_IOC_LOOK_UP, &r));
	EXPECT_EQ(-ENOENT, rm_ioctl(self->fd, RMACH_IOC_UNREGISTER, &r));

	/* Register: disposition must make a send right. */
	r.name = port;
	r.disposition = RMACH_MSG_TYPE_MOVE_RECEIVE;
	EXPECT_EQ(-EINVAL, rm_ioctl(self->fd, RMACH_IOC_REGISTER, &r));
	r.disposition = RMACH_MSG_TYPE_MAKE_SEND;
	r.flags = 0x10;
	EXPECT_EQ(-EINVAL, rm_ioctl(self->fd, RMACH_IOC_REGISTER, &r));
	r.flags = 0;
	r.name = pset;
	EXPECT_EQ(-EPERM, rm_ioctl(self->fd, RMACH_IOC_REGISTER, &r));
	r.name = 0x00dede00;
	EXPECT_EQ(-ENOENT, rm_ioctl(self->fd, RMACH_IOC_REGISTER, &r));
	r.name = port;
	ASSERT_EQ(0, rm_ioctl(self->fd, RMACH_IOC_REGISTER, &r));
	EXPECT_EQ(-EEXIST, rm_ioctl(self->fd, RMACH_IOC_REGISTER, &r));
	r.flags = RMACH_REG_REPLACE;
	EXPECT_EQ(0, rm_ioctl(self->fd, RMACH_IOC_REGISTER, &r));
	/* Look-up gives a send right to our own port: same name. */
	do {
		uint32_t got = 0;

		EXPECT_EQ(0, rm_look_up(self->fd, key, &got));
		EXPECT_EQ(port, got);
		EXPECT_EQ(1, rm_refs(self->fd, port, RMACH_RIGHT_SEND));
	} while (0);
	/* Look-up and unregister take no name, disposition or flags. */
	memset(&r, 0, sizeof(r));
	strcpy(r.key, key);
	r.flags = RMACH_REG_REPLACE;
	EXPECT_EQ(-EINVAL, rm_ioctl(self->fd, RMACH_IOC_LOOK_UP, &r));
	EXPECT_EQ(-EINVAL, rm_ioctl(self->fd, RMACH_IOC_UNREGISTER, &r));
	EXPECT_EQ(-EFAULT, rm_ioctl(self->fd, RMACH_IOC_REGISTER, NULL));
	EXPECT_EQ(0, rm_unregister(self->fd, key));
	EXPECT_EQ(-ENOENT, rm_unregister(self->fd, key));
}

TEST_F(space, bad_rcv_buffer)
{
	struct rm_msg m;
	uint32_t port = rm_port_with_send(self->fd), size = 0;
	void *ro;

	ASSERT_NE(0u, port);
	ASSERT_EQ(0, rm_send(self->fd, port, RMACH_MSG_TYPE_COPY_SEND, 1,
			     "data", 4, 0));
	/* Smaller than a header: refused before anything. */
	EXPECT_EQ(-EINVAL, rm_recv_sz(self->fd, port, &m, 8, 0, NULL));
	/* Too small for this message: EMSGSIZE, size needed, still queued. */
	EXPECT_EQ(-EMSGSIZE, rm_recv_sz(self->fd, port, &m,
					sizeof(m.h) + 2, 0, &size));
	EXPECT_EQ(sizeof(m.h) + 4, size);
	/* A read-only buffer: EFAULT before the message is taken. */
	ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(ro != MAP_FAILED);
	EXPECT_EQ(-EFAULT, rm_recv_sz(self->fd, port, ro, 4096, 0, NULL));
	munmap(ro, 4096);
	EXPECT_EQ(-EFAULT, rm_recv_sz(self->fd, port, (void *)4096, 4096, 0,
				      NULL));
	/* Still there. */
	ASSERT_EQ(0, rm_recv(self->fd, port, &m, 0));
	EXPECT_EQ(0, memcmp(m.u.data, "data", 4));
	/* Receiving on a send-only name or a bogus name. */
	do {
		uint32_t so;
		struct rmach_port_right r = { .name = port,
			.disposition = RMACH_MSG_TYPE_MAKE_SEND_ONCE };

		ASSERT_EQ(0, rm_ioctl(self->fd, RMACH_IOC_PORT_EXTRACT_RIGHT, &r));
		so = r.poly;
		EXPECT_EQ(-EPERM, rm_recv(self->fd, so, &m, 0));
		EXPECT_EQ(-ENOENT, rm_recv(self->fd, 0x00bcbc00, &m, 0));
		EXPECT_EQ(0, rm_name_op(self->fd, RMACH_IOC_PORT_DEALLOCATE, so));
	} while (0);
	/* Deallocating the unused send-once right sent a send-once
	 * notification to its port; then the queue is empty. */
	ASSERT_EQ(0, rm_recv(self->fd, port, &m, 0));
	EXPECT_EQ(RMACH_NOTIFY_SEND_ONCE, m.h.id);
	EXPECT_EQ(0u, m.h.remote_port);
	EXPECT_EQ(-EAGAIN, rm_recv(self->fd, port, &m, 0));
}

TEST(fork_child_gets_ebadfd)
{
	struct rm_counters base;
	uint32_t port;
	pid_t pid;
	int fd;

	rm_counters_read(&base);
	fd = rm_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, rm_alloc(fd, RMACH_RIGHT_RECEIVE, &port));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct rmach_version v;
		uint32_t n;
		int ok = 1;

		struct pollfd pfd = { .fd = fd, .events = POLLIN };

		/* The parent's space: every call but VERSION is refused,
		 * poll reports an error. */
		ok &= rm_alloc(fd, RMACH_RIGHT_RECEIVE, &n) == -EBADFD;
		ok &= rm_name_op(fd, RMACH_IOC_PORT_DESTROY, port) == -EBADFD;
		ok &= rm_ioctl(fd, RMACH_IOC_VERSION, &v) == 0;
		ok &= poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLERR);
		_exit(ok ? 0 : 1);
	}
	EXPECT_EQ(0, rm_wait(pid));
	/* The parent's port survived the child's attempts. */
	EXPECT_EQ(RMACH_TYPE_RECEIVE, rm_type(fd, port));
	close(fd);
	RM_EXPECT_BASELINE(&base);
}

TEST(dying_owner_releases_space_held_by_child)
{
	struct rm_counters base;
	int pipefd[2];
	pid_t owner;
	char c;

	rm_counters_read(&base);
	ASSERT_EQ(0, pipe(pipefd));
	owner = fork();
	ASSERT_LE(0, owner);
	if (owner == 0) {
		/* Owner: allocates ports, forks a child that keeps the fd
		 * (without O_CLOEXEC effects: no exec), then dies. */
		int fd = rm_open();
		uint32_t port;
		int i;

		for (i = 0; i < 10; i++)
			if (rm_alloc(fd, RMACH_RIGHT_RECEIVE, &port))
				_exit(1);
		if (fork() == 0) {
			close(pipefd[1]);
			/* Holds fd until the test closes the pipe. */
			read(pipefd[0], &c, 1);
			_exit(0);
		}
		_exit(0);
	}
	close(pipefd[0]);
	EXPECT_EQ(0, rm_wait(owner));
	/* The grandchild still holds the fd, yet the owner's ports are gone. */
	RM_EXPECT_BASELINE(&base);
	close(pipefd[1]);
}

TEST_HARNESS_MAIN
