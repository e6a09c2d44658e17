/*
 * VM ports on core/: see ipc.h. One rmc_sys per runtime, one rmc_space per
 * process plus the host space, which holds the host services' receive rights
 * and the registry's send rights. No locking (the runtime is single-threaded),
 * so the ops table has no lock. ops->wake runs inside a core call: it only
 * records the wake-up (handoff, run queue, ready services), never calls back
 * into the core.
 */
#include "ipc.h"

#include <string.h>

#include "msgcodec.h"
#include "platform.h"
#include "services.h"

static void *core_alloc(void *ctx, size_t size)
{
	(void)ctx;
	return vm_plat_alloc(size);
}

static void core_free(void *ctx, void *ptr, size_t size)
{
	(void)ctx;
	vm_plat_free(ptr, size);
}

static uint64_t core_now(void *ctx)
{
	return ((struct vm_rt *)ctx)->rq.clock;
}

static void core_wake(void *ctx, struct rmc_waiter *w)
{
	struct vm_rt *rt = ctx;
	uintptr_t c = (uintptr_t)w->cookie;
	if (c & 1) {
		vm_service_wake(rt, (struct vm_service *)(c & ~(uintptr_t)1));
		return;
	}
	struct vm_proc *p = (struct vm_proc *)c;
	if (p->state != VM_BLOCKED || p == rt->handoff)
		return; /* already runnable, or already chosen */
	if (rt->sending && !rt->handoff && rt->current && p != rt->current) {
		rt->handoff = p; /* runs next, on the sender's slice */
		return;
	}
	vm_rq_wake_credit(&rt->rq, p);
	vm_rq_enqueue(&rt->rq, p, false);
	vm_trace(rt, "vm:sched_wakeup", p->pid);
}

static const struct rmc_ops core_ops = {
	.alloc = core_alloc,
	.free = core_free,
	.wake = core_wake,
	.now = core_now,
};

static struct vm_encoder *encoder(struct vm_rt *rt)
{
	return (struct vm_encoder *)rt->scratch;
}

bool vm_ipc_init(struct vm_rt *rt)
{
	struct rmc_sys_config cfg = { 0 };
	cfg.max_body = rt->cfg.msg_limit + 64;
	struct vm_encoder *e = vm_plat_alloc(sizeof(*e));
	if (!e)
		return false;
	memset(e, 0, sizeof(*e));
	e->limit = rt->cfg.msg_limit;
	rt->scratch = (struct vm_buf *)e;
	if (rmc_sys_create(&core_ops, rt, &cfg, &rt->sys) != RMC_SUCCESS)
		goto fail;
	if (rmc_space_create(rt->sys, NULL, &rt->host_space) != RMC_SUCCESS)
		goto fail;
	if (!vm_services_init(rt))
		goto fail;
	return true;
fail:
	vm_ipc_fini(rt);
	return false;
}

void vm_ipc_fini(struct vm_rt *rt)
{
	vm_services_fini(rt);
	if (rt->host_space)
		rmc_space_destroy(rt->host_space);
	rt->host_space = NULL;
	if (rt->sys)
		rmc_sys_destroy(rt->sys);
	rt->sys = NULL;
	struct vm_encoder *e = encoder(rt);
	if (e) {
		vm_buf_free(&e->body);
		vm_plat_free(e, sizeof(*e));
	}
	rt->scratch = NULL;
}

bool vm_ipc_proc_init(struct vm_rt *rt, struct vm_proc *p)
{
	rmc_waiter_init(&p->waiter, p);
	if (rmc_space_create(rt->sys, NULL, &p->space) != RMC_SUCCESS)
		return false;
	/* Per-process caps, enforced by core/: a process that creates ports or
	 * queues messages without end faults instead of exhausting the runtime. */
	struct rmc_limits lim = { rt->cfg.port_limit, VM_QUEUED_MSG_LIMIT,
				  VM_QUEUED_BYTES_LIMIT };
	rmc_space_set_limits(p->space, &lim);
	return true;
}

void vm_ipc_proc_fini(struct vm_rt *rt, struct vm_proc *p)
{
	if (rt->handoff == p)
		rt->handoff = NULL;
	rmc_waiter_cancel(rt->sys, &p->waiter);
	rmc_msg_free(rt->sys, p->rx_msg);
	p->rx_msg = NULL;
	if (p->space)
		rmc_space_destroy(p->space);
	p->space = NULL;
}

static void why_name(char *why, const char *pre, uint32_t name, const char *post)
{
	struct vm_buf b = { 0 };
	vm_buf_puts(&b, pre);
	vm_buf_int(&b, name);
	vm_buf_puts(&b, post);
	vm_buf_put(&b, "", 1);
	size_t n = b.oom ? 0 : strlen(b.p);
	if (n >= VM_WHY_LEN)
		n = VM_WHY_LEN - 1;
	if (n)
		memcpy(why, b.p, n);
	why[n] = 0;
	vm_buf_free(&b);
}

static void why_str(char *why, const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b);
	if (n > VM_WHY_LEN - 1)
		n = VM_WHY_LEN - 1;
	if (m > VM_WHY_LEN - 1 - n)
		m = VM_WHY_LEN - 1 - n;
	memcpy(why, a, n);
	memcpy(why + n, b, m);
	why[n + m] = 0;
}

/* A port operand: a port value, or an int naming a right we hold. */
static bool port_name(vm_value v, rmc_name_t *name, const char *role, char *why)
{
	if (v.t == VT_PORT) {
		*name = v.u.port;
		return true;
	}
	if (v.t == VT_INT && v.u.i > 0 && v.u.i < (int64_t)RMC_NAME_DEAD) {
		*name = (rmc_name_t)v.u.i;
		return true;
	}
	why_str(why, role, v.t == VT_INT ? " is not a port name"
					 : " must be a port");
	return false;
}

static void why_codec(char *why, int r, uint32_t bad_port, uint32_t limit)
{
	switch (r) {
	case VM_CODEC_TOO_DEEP:
		why_str(why, "message nested too deeply", "");
		break;
	case VM_CODEC_TOO_BIG:
		why_name(why, "message too large (limit ", limit, " bytes)");
		break;
	case VM_CODEC_TOO_MANY_PORTS:
		why_name(why, "too many ports in one message (limit ", RMC_MAX_DESC, ")");
		break;
	case VM_CODEC_BAD_PORT:
		why_name(why, "port ", bad_port,
			 " in the data is not a right of this process (or is dead)");
		break;
	default:
		why_str(why, "cannot encode the message", "");
	}
}

/* Encodes data and sends it from p (or the host when p is NULL) to dest. */
static int send_value(struct vm_rt *rt, struct vm_proc *p, struct rmc_space *sp,
		      vm_value data, rmc_name_t dest, unsigned dest_disp,
		      rmc_name_t reply, unsigned reply_disp, char *why)
{
	struct vm_encoder *e = encoder(rt);
	struct rmc_msg *m;
	rmc_ret_t ret;
	if (data.t == VT_INT || data.t == VT_FLOAT) {
		/* The common case: straight into the message. */
		ret = rmc_msg_alloc(rt->sys, VM_SCALAR_BODY, 0, &m);
		if (ret == RMC_SUCCESS)
			vm_encode_scalar(data, m->body);
	} else {
		e->space = sp;
		int r = vm_encode(e, data);
		if (r == VM_CODEC_NOMEM)
			return VM_IPC_NOMEM;
		if (r) {
			why_codec(why, r, e->bad_port, e->limit);
			return VM_IPC_FAULT;
		}
		ret = rmc_msg_alloc(rt->sys, (uint32_t)e->body.n, e->ndesc, &m);
		if (ret == RMC_SUCCESS) {
			if (e->body.n)
				memcpy(m->body, e->body.p, e->body.n);
			if (e->ndesc)
				memcpy(m->desc, e->desc, e->ndesc * sizeof(*e->desc));
		}
	}
	if (ret == RMC_RESOURCE_SHORTAGE)
		return VM_IPC_NOMEM;
	if (ret != RMC_SUCCESS) {
		why_str(why, "cannot send: ", rmc_strerror(ret));
		return VM_IPC_FAULT;
	}
	m->dest = dest;
	m->dest_disp = dest_disp;
	m->reply = reply;
	m->reply_disp = reply ? reply_disp : RMC_DISP_NONE;
	m->id = 0;
	/* Sizes as the kernel's events count them: header + descriptors + body. */
	uint32_t size = VM_TRACE_HEADER_SIZE + rmc_msg_size(m);
	uint32_t nrights = m->ndesc;
	rt->sending = p != NULL;
	ret = rmc_msg_send(sp, m, 0, p ? &p->waiter : NULL);
	rt->sending = false;
	if (ret == RMC_SUCCESS) {
		if (p) {
			p->stats.sent++;
			vm_trace(rt, "rmach:rmach_msg_send", p->pid,
				 { "dest", dest }, { "reply", reply },
				 { "id", 0 }, { "size", size },
				 { "nrights", nrights });
		}
		return VM_IPC_OK;
	}
	rmc_msg_free(rt->sys, m);
	if (ret == RMC_WOULD_BLOCK)
		return VM_IPC_BLOCK;
	if (ret == RMC_RESOURCE_SHORTAGE)
		return VM_IPC_NOMEM;
	if (ret == RMC_INVALID_DEST)
		why_name(why, "no send right for port ", dest, " (or it is dead)");
	else if (ret == RMC_LIMIT_EXCEEDED)
		why_str(why, "too many messages queued by this process", "");
	else if (ret == RMC_INVALID_REPLY)
		why_name(why, "bad reply port ", reply, "");
	else
		why_str(why, "cannot send: ", rmc_strerror(ret));
	return VM_IPC_FAULT;
}

int vm_ipc_create_port(struct vm_rt *rt, struct vm_proc *p, vm_value *out,
		       char *why)
{
	rmc_name_t name;
	rmc_ret_t ret = rmc_port_allocate(p->space, RMC_RIGHT_RECEIVE, &name);
	if (ret == RMC_LIMIT_EXCEEDED) {
		why_name(why, "port limit reached (", rt->cfg.port_limit,
			 " per process)");
		return VM_IPC_FAULT;
	}
	if (ret != RMC_SUCCESS) {
		why_str(why, "cannot create a port: ", rmc_strerror(ret));
		return VM_IPC_FAULT;
	}
	vm_trace(rt, "rmach:rmach_port_create", p->pid, { "name", name },
		 { "right", VM_TRACE_RIGHT_RECEIVE });
	*out = vm_port_value(name);
	return VM_IPC_OK;
}

int vm_ipc_send(struct vm_rt *rt, struct vm_proc *p, vm_value data,
		vm_value reply, vm_value dest, char *why)
{
	rmc_name_t d, r = 0;
	if (!port_name(dest, &d, "the destination", why))
		return VM_IPC_FAULT;
	/* A name holding a send or receive right keeps it as long as the
	 * process lives (the VM never gives either away), so its disposition
	 * can be remembered; if the port dies, core refuses the send. */
	unsigned dd = d == p->dest_cache ? p->dest_cache_disp
					 : vm_port_disposition(p->space, d, false);
	if (dd == RMC_COPY_SEND || dd == RMC_MAKE_SEND) {
		p->dest_cache = d;
		p->dest_cache_disp = dd;
	}
	if (!dd) {
		why_name(why, "no right for port ", d, " (or it is dead)");
		return VM_IPC_FAULT;
	}
	unsigned rd = 0;
	if (!(reply.t == VT_INT && reply.u.i == 0)) {
		if (!port_name(reply, &r, "the reply port", why))
			return VM_IPC_FAULT;
		rd = vm_port_disposition(p->space, r, true);
		if (!rd) {
			why_name(why, "no right for reply port ", r, " (or it is dead)");
			return VM_IPC_FAULT;
		}
	}
	return send_value(rt, p, p->space, data, d, dd, r, rd, why);
}

/* Takes the next message of `port` into p->rx_msg (if none is held yet).
 * VM messages have id 0; anything else is a notification from core/: a
 * send-once notification says a reply right given out with a request was
 * destroyed unanswered (the receiver moved on or ended). RECV skips those;
 * CALL, which waits for exactly that answer, faults. */
static int take_message(struct vm_rt *rt, struct vm_proc *p, rmc_name_t port,
			bool for_call, char *why)
{
	while (!p->rx_msg) {
		uint32_t need;
		rmc_ret_t ret = rmc_msg_receive(p->space, port,
						rt->cfg.msg_limit + 8 * RMC_MAX_DESC + 64,
						0, &p->waiter, &p->rx_msg, &need);
		if (ret != RMC_SUCCESS) {
			p->rx_msg = NULL;
			if (ret == RMC_WOULD_BLOCK)
				return VM_IPC_BLOCK;
			if (ret == RMC_RESOURCE_SHORTAGE || ret == RMC_NO_SPACE)
				return VM_IPC_NOMEM;
			if (ret == RMC_INVALID_NAME || ret == RMC_INVALID_RIGHT)
				why_name(why, "no receive right for port ", port, "");
			else
				why_str(why, "cannot receive: ", rmc_strerror(ret));
			return VM_IPC_FAULT;
		}
		if (p->rx_msg->id != 0) {
			rmc_msg_free(rt->sys, p->rx_msg);
			p->rx_msg = NULL;
			if (for_call) {
				why_str(why, "no answer: the request was dropped unanswered", "");
				return VM_IPC_FAULT;
			}
		}
	}
	return VM_IPC_OK;
}

/* Decodes p->rx_msg into p's heap; frees it on success. */
static int open_message(struct vm_rt *rt, struct vm_proc *p, vm_value *out,
			char *why)
{
	struct rmc_msg *m = p->rx_msg;
	int r = vm_decode(&p->heap, m->body, m->body_size, m->desc, m->ndesc, out);
	if (r == VM_CODEC_NOMEM)
		return VM_IPC_NOMEM;
	if (r) {
		why_str(why, "malformed message", "");
		rmc_msg_free(rt->sys, m);
		p->rx_msg = NULL;
		return VM_IPC_FAULT;
	}
	/* The reply right: an unused send-once right of the previous message
	 * is given back (its sender learns through a send-once notification). */
	if (p->last_reply && p->last_reply != m->reply) {
		uint32_t type;
		if (rmc_port_type(p->space, p->last_reply, &type) == RMC_SUCCESS &&
		    (type & (RMC_TYPE_SEND_ONCE | RMC_TYPE_DEAD_NAME))) {
			rmc_port_deallocate(p->space, p->last_reply);
			p->dest_cache = 0; /* the name may be reused */
		}
	}
	p->last_reply = m->reply_disp ? m->reply : 0;
	p->stats.received++;
	vm_trace(rt, "rmach:rmach_msg_receive", p->pid, { "port", m->dest },
		 { "reply", m->reply_disp ? m->reply : 0 }, { "id", m->id },
		 { "size", VM_TRACE_HEADER_SIZE + rmc_msg_size(m) },
		 { "nrights", m->ndesc }, { "err", 0 });
	rmc_msg_free(rt->sys, m);
	p->rx_msg = NULL;
	return VM_IPC_OK;
}

int vm_ipc_recv(struct vm_rt *rt, struct vm_proc *p, vm_value port,
		vm_value *out, char *why)
{
	rmc_name_t name;
	if (!port_name(port, &name, "RECV's operand", why))
		return VM_IPC_FAULT;
	int r = take_message(rt, p, name, false, why);
	if (r != VM_IPC_OK)
		return r;
	return open_message(rt, p, out, why);
}

int vm_ipc_reply(struct vm_rt *rt, struct vm_proc *p, vm_value data, char *why)
{
	rmc_name_t to = p->last_reply;
	unsigned disp = to ? vm_port_disposition(p->space, to, false) : 0;
	if (!disp) {
		why_str(why, to ? "the reply port is dead or already used"
				: "no message with a reply port was received", "");
		return VM_IPC_FAULT;
	}
	int r = send_value(rt, p, p->space, data, to, disp, 0, 0, why);
	if (r == VM_IPC_OK && disp == RMC_MOVE_SEND_ONCE)
		p->last_reply = 0;
	return r;
}

int vm_ipc_call(struct vm_rt *rt, struct vm_proc *p, vm_value data,
		vm_value dest, vm_value *out, char *why)
{
	if (!p->in_call) {
		rmc_name_t d;
		if (!port_name(dest, &d, "the destination", why))
			return VM_IPC_FAULT;
		unsigned dd = vm_port_disposition(p->space, d, false);
		if (!dd) {
			why_name(why, "no right for port ", d, " (or it is dead)");
			return VM_IPC_FAULT;
		}
		if (!p->call_port) {
			rmc_ret_t ret = rmc_port_allocate(p->space, RMC_RIGHT_RECEIVE,
							  &p->call_port);
			if (ret != RMC_SUCCESS) {
				p->call_port = 0;
				why_str(why, "cannot create the reply port: ",
					rmc_strerror(ret));
				return VM_IPC_FAULT;
			}
		}
		int r = send_value(rt, p, p->space, data, d, dd, p->call_port,
				   RMC_MAKE_SEND_ONCE, why);
		if (r != VM_IPC_OK)
			return r;
		p->in_call = true;
	}
	int r = take_message(rt, p, p->call_port, true, why);
	if (r == VM_IPC_FAULT)
		p->in_call = false;
	if (r != VM_IPC_OK)
		return r;
	r = open_message(rt, p, out, why);
	if (r == VM_IPC_OK || r == VM_IPC_FAULT)
		p->in_call = false;
	return r;
}

int vm_ipc_register(struct vm_rt *rt, struct vm_proc *p, vm_value port,
		    vm_value name, char *why)
{
	rmc_name_t pn;
	if (name.t != VT_STR) {
		why_str(why, "the service name must be a string", "");
		return VM_IPC_FAULT;
	}
	if (!port_name(port, &pn, "the service port", why))
		return VM_IPC_FAULT;
	return vm_registry_register(rt, p, pn, VM_STR(name), why);
}

int vm_ipc_lookup(struct vm_rt *rt, struct vm_proc *p, vm_value name,
		  vm_value *out, char *why)
{
	if (name.t != VT_STR) {
		why_str(why, "the service name must be a string", "");
		return VM_IPC_FAULT;
	}
	rmc_name_t got = vm_registry_lookup(rt, p, VM_STR(name));
	*out = got ? vm_port_value(got) : vm_int(0);
	return VM_IPC_OK;
}

int vm_host_send(struct vm_rt *rt, vm_value data, rmc_name_t dest,
		 unsigned dest_disp)
{
	char why[VM_WHY_LEN];
	return send_value(rt, NULL, rt->host_space, data, dest, dest_disp, 0, 0, why);
}
