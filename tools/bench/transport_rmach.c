// SPDX-License-Identifier: GPL-2.0
/*
 * rmach transports, straight on the /dev/rmach ioctls of <linux/rmach.h> (no
 * library in between, so the figure is the module's path).
 *
 * A space belongs to the process that opened it, so each side opens its own.
 * The server allocates the service port and registers a send right for it
 * under the measurement's tag; the client looks it up and allocates a reply
 * port. Requests carry MAKE_SEND_ONCE for the reply port; the server answers
 * on that send-once right, as a Mach server does.
 *
 *   rmach-call       RMACH_IOC_MSG SEND|RCV in one ioctl on both sides (the
 *                    module hands off to the woken receiver)
 *   rmach-send-recv  a SEND ioctl and a separate RCV ioctl, no handoff
 * The io_uring transports (transport_rmach_uring.c) share the set-up here.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/rmach.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "transport.h"
#include "transport_rmach.h"

int rmach_ioctl(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) < 0 ? -errno : 0;
}

/* attach() can only return an errno: say on stderr which step it came from. */
static int step(const char *what, int err)
{
	if (err)
		fprintf(stderr, "rmach-bench: rmach %s: %s\n", what, strerror(-err));
	return err;
}

static int read_version(struct rmach_version *v, char *why, size_t why_len)
{
	int fd = open(RMACH_DEVICE, O_RDWR | O_CLOEXEC);
	int err;

	if (fd < 0) {
		err = -errno;
		snprintf(why, why_len, "%s: %s%s", RMACH_DEVICE, strerror(-err),
			 err == -ENOENT ? " (rmach.ko not loaded)" : "");
		return err;
	}
	err = rmach_ioctl(fd, RMACH_IOC_VERSION, v);
	close(fd);
	if (err)
		snprintf(why, why_len, "RMACH_IOC_VERSION: %s", strerror(-err));
	else if (v->abi_version != RMACH_ABI_VERSION)
		snprintf(why, why_len, "module ABI %u, rmach-bench built for %u",
			 v->abi_version, RMACH_ABI_VERSION), err = -EPROTO;
	return err;
}

int rmach_probe(size_t len, char *why, size_t why_len)
{
	struct rmach_version v;
	int err = read_version(&v, why, why_len);

	if (err)
		return err;
	if (!(v.features & RMACH_FEAT_REGISTRY)) {
		snprintf(why, why_len, "module without the registry feature");
		return -EOPNOTSUPP;
	}
	if (sizeof(struct rmach_msg_header) + len > v.max_msg_size) {
		snprintf(why, why_len, "%zu B exceeds the module's max_msg_size (%u)", len,
			 v.max_msg_size - (unsigned)sizeof(struct rmach_msg_header));
		return -EMSGSIZE;
	}
	return 0;
}

int rmach_setup(struct channel *ch)
{
	(void)ch;
	return 0;
}

static int allocate_receive(int fd, uint32_t *name)
{
	struct rmach_port_alloc a = { .right = RMACH_RIGHT_RECEIVE };
	int err = rmach_ioctl(fd, RMACH_IOC_PORT_ALLOCATE, &a);

	*name = a.name;
	return err;
}

/* Scaling runs: fill the space so the figure shows whether lookups stay flat. */
static int fill_space(int fd, unsigned ports)
{
	for (unsigned i = 1; i < ports; i++) {
		uint32_t name;
		int err = allocate_receive(fd, &name);

		if (err)
			return err;
	}
	return 0;
}

/* One-way runs: the deepest queue the module allows, as a pipe's 64 KiB buffer. */
static int deepen_queue(int fd, uint32_t port)
{
	struct rmach_version v;
	struct rmach_port_attr attr = { .name = port, .mask = RMACH_ATTR_QLIMIT };
	int err = rmach_ioctl(fd, RMACH_IOC_VERSION, &v);

	attr.qlimit = v.max_qlimit;
	return err ? err : rmach_ioctl(fd, RMACH_IOC_PORT_SET_ATTR, &attr);
}

static int attach_server(struct channel *ch, struct rmach_end *e)
{
	struct rmach_registry reg = { .disposition = RMACH_MSG_TYPE_MAKE_SEND };
	int err = step("server PORT_ALLOCATE", allocate_receive(e->fd, &e->service));

	if (!err)
		err = step("server PORT_SET_ATTR qlimit", deepen_queue(e->fd, e->service));
	if (err)
		return err;
	snprintf(reg.key, sizeof(reg.key), "%s", ch->tag);
	reg.name = e->service;
	err = step("server REGISTER", rmach_ioctl(e->fd, RMACH_IOC_REGISTER, &reg));
	e->registered = !err;
	return err;
}

static int attach_client(struct channel *ch, struct rmach_end *e)
{
	struct rmach_registry reg = { .name = RMACH_PORT_NULL };
	int err;

	snprintf(reg.key, sizeof(reg.key), "%s", ch->tag);
	err = step("client LOOK_UP", rmach_ioctl(e->fd, RMACH_IOC_LOOK_UP, &reg));
	e->service = reg.name;
	return err ? err : step("client PORT_ALLOCATE", allocate_receive(e->fd, &e->reply_port));
}

int rmach_end_attach(struct channel *ch, struct rmach_end *e)
{
	int err;

	e->msg_bytes = sizeof(struct rmach_msg_header) + ch->len;
	e->out = calloc(1, e->msg_bytes);
	e->in = calloc(1, e->msg_bytes);
	if (!e->out || !e->in)
		return -ENOMEM;
	e->fd = open(RMACH_DEVICE, O_RDWR | O_CLOEXEC);
	if (e->fd < 0)
		return -errno;
	err = step("PORT_ALLOCATE filling the space", fill_space(e->fd, ch->ports));
	if (!err)
		err = ch->role == ROLE_SERVER ? attach_server(ch, e) : attach_client(ch, e);
	return err;
}

static int rmach_attach(struct channel *ch, bool combined)
{
	struct rmach_end *e = calloc(1, sizeof(*e));

	if (!e)
		return -ENOMEM;
	e->fd = -1;
	ch->priv = e;
	e->combined = combined;
	return rmach_end_attach(ch, e);
}

static int attach_call(struct channel *ch)
{
	return rmach_attach(ch, true);
}

static int attach_send_receive(struct channel *ch)
{
	return rmach_attach(ch, false);
}

void rmach_build(struct rmach_end *e, struct rmach_msg_header *out, uint32_t bits,
		 uint32_t dest, uint32_t reply, const void *payload, size_t len)
{
	*out = (struct rmach_msg_header){
		.bits = bits,
		.size = (uint32_t)e->msg_bytes,
		.remote_port = dest,
		.local_port = reply,
		.id = BENCH_MSG_ID,
	};
	memcpy(out + 1, payload, len);
}

/*
 * One RMACH_IOC_MSG: send e->out if `send`, then receive into e->in from
 * `from` (RMACH_PORT_NULL: no receive). The module wants an absent phase's
 * fields zero. A message other than our own (a send-once notification when
 * the peer died, say) is an error here.
 */
int rmach_msg(struct rmach_end *e, bool send, uint32_t from)
{
	struct rmach_msg_args args = { .options = 0 };
	int err;

	if (send) {
		args.options |= RMACH_MSG_SEND;
		args.send_msg = (uint64_t)(uintptr_t)e->out;
		args.send_size = (uint32_t)e->msg_bytes;
	}
	if (from) {
		args.options |= RMACH_MSG_RCV;
		args.rcv_msg = (uint64_t)(uintptr_t)e->in;
		args.rcv_size = (uint32_t)e->msg_bytes;
		args.rcv_name = from;
	}
	err = rmach_ioctl(e->fd, RMACH_IOC_MSG, &args);
	if (!err && from && (e->in->id != BENCH_MSG_ID || args.rcv_size != e->msg_bytes))
		return -EBADMSG;
	return err;
}

/* Sends then receives: one ioctl with handoff, or two without. */
static int send_then_receive(struct rmach_end *e, bool send, uint32_t from)
{
	int err;

	if (e->combined || !send || !from)
		return rmach_msg(e, send, from);
	err = rmach_msg(e, true, RMACH_PORT_NULL);
	return err ? err : rmach_msg(e, false, from);
}

static int rmach_call(struct channel *ch, const void *req, void *rep)
{
	struct rmach_end *e = ch->priv;
	int err;

	rmach_build(e, e->out,
		    RMACH_MSGH_BITS(RMACH_MSG_TYPE_COPY_SEND, RMACH_MSG_TYPE_MAKE_SEND_ONCE),
		    e->service, e->reply_port, req, ch->len);
	err = send_then_receive(e, true, e->reply_port);
	if (!err)
		memcpy(rep, e->in + 1, ch->len);
	return err;
}

static int rmach_reply_and_receive(struct channel *ch, const void *reply, void *req)
{
	struct rmach_end *e = ch->priv;
	int err;

	if (reply)
		rmach_build(e, e->out, RMACH_MSGH_BITS(RMACH_MSG_TYPE_MOVE_SEND_ONCE, 0),
			    e->reply_to, RMACH_PORT_NULL, reply, ch->len);
	err = send_then_receive(e, reply != NULL, req ? e->service : RMACH_PORT_NULL);
	if (!err && req) {
		memcpy(req, e->in + 1, ch->len);
		e->reply_to = e->in->remote_port;	/* the send-once right to answer on */
	}
	return err;
}

static int rmach_send(struct channel *ch, const void *m)
{
	struct rmach_end *e = ch->priv;

	rmach_build(e, e->out, RMACH_MSGH_BITS(RMACH_MSG_TYPE_COPY_SEND, 0), e->service,
		    RMACH_PORT_NULL, m, ch->len);
	return rmach_msg(e, true, RMACH_PORT_NULL);
}

static int rmach_receive(struct channel *ch, void *m)
{
	struct rmach_end *e = ch->priv;
	int err = rmach_msg(e, false, e->service);

	if (!err)
		memcpy(m, e->in + 1, ch->len);
	return err;
}

/*
 * Closing the space destroys its ports and the registry would drop the dead
 * entry at its next use; unregistering first keeps the per-user entry count
 * (registry_per_user) from depending on when that happens.
 */
void rmach_end_release(struct channel *ch, struct rmach_end *e)
{
	if (e->registered) {
		struct rmach_registry reg = { .name = RMACH_PORT_NULL };

		snprintf(reg.key, sizeof(reg.key), "%s", ch->tag);
		step("server UNREGISTER", rmach_ioctl(e->fd, RMACH_IOC_UNREGISTER, &reg));
	}
	if (e->fd >= 0)
		close(e->fd);
	free(e->out);
	free(e->in);
}

static void rmach_detach(struct channel *ch)
{
	struct rmach_end *e = ch->priv;

	if (!e)
		return;
	rmach_end_release(ch, e);
	free(e);
	ch->priv = NULL;
}

void rmach_teardown(struct channel *ch)
{
	(void)ch;
}

const struct transport transport_rmach_call = {
	.name = "rmach-call",
	.what = "rmach RMACH_IOC_MSG SEND|RCV in one ioctl (handoff), send-once reply",
	.no_one_way = "a call waits for its reply: see rmach-send-recv",
	.scales_ports = true,
	.probe = rmach_probe,
	.setup = rmach_setup,
	.attach = attach_call,
	.call = rmach_call,
	.reply_and_receive = rmach_reply_and_receive,
	.detach = rmach_detach,
	.teardown = rmach_teardown,
};

const struct transport transport_rmach_send_receive = {
	.name = "rmach-send-recv",
	.what = "rmach SEND ioctl + separate RCV ioctl (no handoff); one way: SEND/RCV",
	.one_way = true,
	.scales_ports = true,
	.probe = rmach_probe,
	.setup = rmach_setup,
	.attach = attach_send_receive,
	.call = rmach_call,
	.reply_and_receive = rmach_reply_and_receive,
	.send = rmach_send,
	.receive = rmach_receive,
	.detach = rmach_detach,
	.teardown = rmach_teardown,
};
