/*
 * The kernel bridge: proxies between the runtime's host space (core/) and
 * this OS process's kernel space (libmach). Each outside port the VM uses is
 * a host-space receive right (in one host port set) forwarding to a kernel
 * right; each VM port published outside is a kernel receive right (in one
 * kernel port set) forwarding to a host send right. Bodies cross unchanged:
 * they are vmrt's message codec (msgcodec.h) on both sides.
 *
 *   export   kernel receive -> host send right       REGISTER
 *   import   host receive   -> kernel send right     LOOKUP
 *   reply_in host receive   -> kernel reply right    a request from outside
 *   reply_out kernel receive -> host reply right     a request to outside
 *
 * The two reply kinds are one-shot: the link goes with its first message.
 */
#include "kport.h"

#include <errno.h>
#include <mach/mach.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bridge.h"
#include "ipc.h"
#include "platform.h"
#include "services.h"

enum link_kind { LINK_EXPORT, LINK_IMPORT, LINK_REPLY_IN, LINK_REPLY_OUT };

struct link {
	struct link *next;
	enum link_kind kind;
	mach_port_t kname;     /* in this task's kernel space */
	rmc_name_t hname;      /* in the runtime's host space */
	unsigned kdisp;        /* reply_in: how the kernel reply right moves */
};

struct kbridge {
	struct link *links;
	mach_port_t kset;      /* kernel receive rights: export, reply_out */
	rmc_name_t hset;       /* host receive rights: import, reply_in */
	uint32_t nkrecv;       /* links with a kernel receive right */
	uint32_t max_msg;      /* bytes of one kernel message */
	union {
		mach_msg_header_t head;
		uint8_t bytes[1];
	} *buf;
};

/* Kernel notifications (Mach's ids); any other id is a message, as C
 * programs may set ids (libmach's echo-server answers with id + 100). */
static bool is_notification(uint32_t id)
{
	return id >= RMACH_NOTIFY_PORT_DELETED && id <= RMACH_NOTIFY_DEAD_NAME;
}

static struct kbridge *kb(struct vm_rt *rt)
{
	return rt->bridge_ctx;
}

static void diag(const char *what, kern_return_t kr)
{
	char line[200];
	int n = snprintf(line, sizeof(line), "rmach-vm: kernel bridge: %s: %s",
			 what, mach_error_string(kr));
	vm_plat_diag(line, n > 0 && (size_t)n < sizeof(line) ? (size_t)n : 0);
}

static struct link *link_add(struct kbridge *b, enum link_kind kind,
			     mach_port_t kname, rmc_name_t hname)
{
	struct link *l = calloc(1, sizeof(*l));
	if (!l)
		return NULL;
	l->kind = kind;
	l->kname = kname;
	l->hname = hname;
	l->next = b->links;
	b->links = l;
	if (kind == LINK_EXPORT || kind == LINK_REPLY_OUT)
		b->nkrecv++;
	return l;
}

static struct link **link_by_kname(struct kbridge *b, mach_port_t kname)
{
	struct link **l = &b->links;
	while (*l && !((*l)->kname == kname &&
		       ((*l)->kind == LINK_EXPORT || (*l)->kind == LINK_REPLY_OUT)))
		l = &(*l)->next;
	return l;
}

static struct link **link_by_hname(struct kbridge *b, rmc_name_t hname)
{
	struct link **l = &b->links;
	while (*l && !((*l)->hname == hname &&
		       ((*l)->kind == LINK_IMPORT || (*l)->kind == LINK_REPLY_IN)))
		l = &(*l)->next;
	return l;
}

static void link_drop(struct kbridge *b, struct link **at)
{
	struct link *l = *at;
	*at = l->next;
	if (l->kind == LINK_EXPORT || l->kind == LINK_REPLY_OUT)
		b->nkrecv--;
	free(l);
}

/* A kernel receive right in the kernel set. */
static mach_port_t kernel_port(struct kbridge *b)
{
	mach_port_t k;
	kern_return_t kr = mach_port_allocate(mach_task_self(),
					      MACH_PORT_RIGHT_RECEIVE, &k);
	if (kr != KERN_SUCCESS)
		return MACH_PORT_NULL;
	kr = mach_port_insert_member(mach_task_self(), k, b->kset);
	if (kr != KERN_SUCCESS) {
		mach_port_destroy(mach_task_self(), k);
		return MACH_PORT_NULL;
	}
	return k;
}

/* A host receive right in the host set. */
static rmc_name_t host_port(struct vm_rt *rt)
{
	rmc_name_t h;
	if (rmc_port_allocate(rt->host_space, RMC_RIGHT_RECEIVE, &h) != RMC_SUCCESS)
		return 0;
	if (rmc_port_move_member(rt->host_space, h, kb(rt)->hset) != RMC_SUCCESS) {
		rmc_port_destroy(rt->host_space, h);
		return 0;
	}
	return h;
}

/* The proxy for a kernel send right (one per kernel name: Mach coalesces
 * send rights for a port under one name, so a repeated look-up reuses it). */
static rmc_name_t import(struct vm_rt *rt, mach_port_t kname)
{
	struct kbridge *b = kb(rt);
	for (struct link *l = b->links; l; l = l->next)
		if (l->kind == LINK_IMPORT && l->kname == kname) {
			mach_port_deallocate(mach_task_self(), kname);
			return l->hname;
		}
	rmc_name_t h = host_port(rt);
	if (h && link_add(b, LINK_IMPORT, kname, h))
		return h;
	if (h)
		rmc_port_destroy(rt->host_space, h);
	mach_port_deallocate(mach_task_self(), kname);
	return 0;
}

static bool key_of(const struct vm_str *name, char key[RMACH_KEY_MAX])
{
	if (name->len == 0 || name->len >= RMACH_KEY_MAX ||
	    memchr(name->s, 0, name->len))
		return false;
	memcpy(key, name->s, name->len);
	key[name->len] = 0;
	return true;
}

static int kb_publish(struct vm_rt *rt, rmc_name_t host_right,
		      const struct vm_str *name, char *why)
{
	struct kbridge *b = kb(rt);
	char key[RMACH_KEY_MAX];
	if (!key_of(name, key)) {
		snprintf(why, VM_WHY_LEN, "the kernel registry takes names of 1 to %u bytes",
			 RMACH_KEY_MAX - 1);
		return VM_IPC_FAULT;
	}
	mach_port_t k = kernel_port(b);
	if (k == MACH_PORT_NULL) {
		snprintf(why, VM_WHY_LEN, "cannot create a kernel port");
		return VM_IPC_FAULT;
	}
	kern_return_t kr = bootstrap_register(bootstrap_port, key, k);
	if (kr != KERN_SUCCESS) {
		mach_port_destroy(mach_task_self(), k);
		snprintf(why, VM_WHY_LEN, "%s",
			 kr == BOOTSTRAP_NAME_IN_USE
				 ? "the name is registered in the kernel by another process"
				 : mach_error_string(kr));
		return VM_IPC_FAULT;
	}
	/* Our own reference: the registry may drop its right on re-REGISTER. */
	if (rmc_port_mod_refs(rt->host_space, host_right, RMC_RIGHT_SEND, 1) !=
		    RMC_SUCCESS ||
	    !link_add(b, LINK_EXPORT, k, host_right)) {
		bootstrap_unregister(bootstrap_port, key);
		mach_port_destroy(mach_task_self(), k);
		return VM_IPC_NOMEM;
	}
	return VM_IPC_OK;
}

static rmc_name_t kb_find(struct vm_rt *rt, const struct vm_str *name)
{
	char key[RMACH_KEY_MAX];
	mach_port_t k;
	if (!key_of(name, key) ||
	    bootstrap_look_up(bootstrap_port, key, &k) != KERN_SUCCESS)
		return 0;
	return import(rt, k);
}

/* A right from a VM message's data, as a kernel descriptor: the kernel port
 * it proxies, or a kernel port forwarding to it (made once per port; these
 * live as long as the bridge). Takes the host reference. */
static bool export_desc(struct vm_rt *rt, rmc_name_t h,
			mach_msg_port_descriptor_t *out)
{
	struct kbridge *b = kb(rt);
	uint32_t type;
	if (rmc_port_type(rt->host_space, h, &type) != RMC_SUCCESS)
		return false;
	bool once = type & RMC_TYPE_SEND_ONCE;
	for (struct link *l = b->links; l && !once; l = l->next) {
		if (l->hname != h || (l->kind != LINK_IMPORT && l->kind != LINK_EXPORT))
			continue;
		rmc_port_deallocate(rt->host_space, h); /* the link has its own */
		out->name = l->kname;
		out->disposition = l->kind == LINK_IMPORT ? MACH_MSG_TYPE_COPY_SEND
							  : MACH_MSG_TYPE_MAKE_SEND;
		return true;
	}
	mach_port_t k = kernel_port(b);
	if (k == MACH_PORT_NULL)
		return false;
	if (!link_add(b, once ? LINK_REPLY_OUT : LINK_EXPORT, k, h)) {
		mach_port_destroy(mach_task_self(), k);
		return false;
	}
	out->name = k;
	out->disposition = once ? MACH_MSG_TYPE_MAKE_SEND_ONCE : MACH_MSG_TYPE_MAKE_SEND;
	return true;
}

/* A kernel descriptor received, as a host right to send to a VM process: our
 * own exported port's VM port, or a proxy. Takes the kernel reference. */
static bool import_desc(struct vm_rt *rt, const mach_msg_port_descriptor_t *d,
			struct rmc_port_desc *out)
{
	struct kbridge *b = kb(rt);
	if (d->disposition == MACH_MSG_TYPE_PORT_SEND) {
		struct link *l = *link_by_kname(b, d->name);
		if (l && l->kind == LINK_EXPORT) {
			mach_port_deallocate(mach_task_self(), d->name);
			out->name = l->hname;
			out->disp = RMC_COPY_SEND;
			return true;
		}
		out->name = import(rt, d->name);
		out->disp = RMC_MAKE_SEND;
		return out->name != 0;
	}
	if (d->disposition == MACH_MSG_TYPE_PORT_SEND_ONCE) {
		rmc_name_t r = host_port(rt);
		struct link *l = r ? link_add(b, LINK_REPLY_IN, d->name, r) : NULL;
		if (!l) {
			if (r)
				rmc_port_destroy(rt->host_space, r);
			mach_port_deallocate(mach_task_self(), d->name);
			return false;
		}
		l->kdisp = MACH_MSG_TYPE_MOVE_SEND_ONCE;
		out->name = r;
		out->disp = RMC_MAKE_SEND_ONCE;
		return true;
	}
	/* A receive right: VM ports are the runtime's, it cannot take one. */
	mach_port_destroy(mach_task_self(), d->name);
	return false;
}

/* Gives back the rights a host message brought (not forwarded). */
static void release_host_rights(struct vm_rt *rt, struct rmc_msg *m)
{
	for (uint32_t i = 0; i < m->ndesc; i++)
		if (RMC_NAME_VALID(m->desc[i].name))
			rmc_port_deallocate(rt->host_space, m->desc[i].name);
	if (m->reply_disp && RMC_NAME_VALID(m->reply))
		rmc_port_deallocate(rt->host_space, m->reply);
}

/* A VM message arrived on a proxy (host set): send it to the kernel right. */
static void host_to_kernel(struct vm_rt *rt, struct vm_service *svc,
			   struct rmc_msg *m)
{
	(void)svc;
	struct kbridge *b = kb(rt);
	struct link **at = link_by_hname(b, m->dest);
	struct link *l = *at;
	if (!l) {
		release_host_rights(rt, m);
		return;
	}
	bool one_shot = l->kind == LINK_REPLY_IN;
	mach_msg_header_t *h = &b->buf->head;
	mach_msg_port_descriptor_t *desc = (mach_msg_port_descriptor_t *)(h + 1);
	uint32_t ndesc = 0, dbytes = m->ndesc * (uint32_t)sizeof(*desc);
	bool fits = m->body_size + dbytes <= b->max_msg - sizeof(*h);
	if (m->id == 0 && fits)
		for (; ndesc < m->ndesc; ndesc++)
			if (!export_desc(rt, m->desc[ndesc].name, &desc[ndesc]))
				break;
	if (m->id != 0 || !fits || ndesc < m->ndesc) {
		/* A notification (the VM server dropped the request: so does the
		 * kernel right), or what the bridge cannot carry. */
		if (m->id == 0)
			diag("message not forwarded", KERN_RESOURCE_SHORTAGE);
		for (uint32_t i = ndesc; i < m->ndesc; i++)
			if (RMC_NAME_VALID(m->desc[i].name))
				rmc_port_deallocate(rt->host_space, m->desc[i].name);
		if (m->reply_disp && RMC_NAME_VALID(m->reply))
			rmc_port_deallocate(rt->host_space, m->reply);
		if (one_shot) {
			mach_port_deallocate(mach_task_self(), l->kname);
			rmc_port_destroy(rt->host_space, l->hname);
			link_drop(b, at);
		}
		return;
	}
	unsigned remote = one_shot ? l->kdisp : MACH_MSG_TYPE_COPY_SEND;
	unsigned local = 0;
	mach_port_t kreply = MACH_PORT_NULL;
	if (m->reply_disp && RMC_NAME_VALID(m->reply)) {
		kreply = kernel_port(b);
		if (kreply == MACH_PORT_NULL || !link_add(b, LINK_REPLY_OUT, kreply, m->reply)) {
			if (kreply != MACH_PORT_NULL)
				mach_port_destroy(mach_task_self(), kreply);
			rmc_port_deallocate(rt->host_space, m->reply); /* requester learns */
			kreply = MACH_PORT_NULL;
		} else {
			local = MACH_MSG_TYPE_MAKE_SEND_ONCE;
		}
	}
	h->msgh_bits = MACH_MSGH_BITS(remote, local) |
		       (ndesc ? MACH_MSGH_BITS_COMPLEX : 0);
	h->msgh_size = (mach_msg_size_t)(sizeof(*h) + dbytes + m->body_size);
	h->msgh_remote_port = l->kname;
	h->msgh_local_port = kreply;
	h->msgh_id = 0;
	h->msgh_descriptor_count = ndesc;
	memcpy((uint8_t *)(desc + ndesc), m->body, m->body_size);
	/* Blocks while the kernel queue is full (README: limits). */
	kern_return_t kr = mach_msg(h, MACH_SEND_MSG, h->msgh_size, 0,
				    MACH_PORT_NULL, MACH_MSG_TIMEOUT_NONE,
				    MACH_PORT_NULL);
	if (kr != MACH_MSG_SUCCESS) {
		diag("send", kr);
		if (kreply != MACH_PORT_NULL) {
			struct link **r = link_by_kname(b, kreply);
			rmc_port_deallocate(rt->host_space, (*r)->hname);
			link_drop(b, r);
			mach_port_destroy(mach_task_self(), kreply);
		}
		if (one_shot)
			mach_port_deallocate(mach_task_self(), l->kname);
	}
	if (one_shot) {
		rmc_port_destroy(rt->host_space, l->hname);
		link_drop(b, link_by_hname(b, l->hname));
	}
}

/* A kernel message arrived in the kernel set: hand it to the VM port. */
static void kernel_to_host(struct vm_rt *rt)
{
	struct kbridge *b = kb(rt);
	mach_msg_header_t *h = &b->buf->head;
	struct link **at = link_by_kname(b, h->msgh_local_port);
	struct link *l = *at;
	mach_port_t kreply = h->msgh_remote_port;
	unsigned rbits = MACH_MSGH_BITS_REMOTE(h->msgh_bits);
	const mach_msg_port_descriptor_t *kdesc =
		(const mach_msg_port_descriptor_t *)(h + 1);
	uint32_t ndesc = h->msgh_descriptor_count;
	struct rmc_msg *m = NULL;
	bool drop = !l || is_notification(h->msgh_id) || ndesc > RMC_MAX_DESC;
	uint32_t body = 0, got = 0;
	if (!drop) {
		body = h->msgh_size - (uint32_t)sizeof(*h) - ndesc * (uint32_t)sizeof(*kdesc);
		drop = rmc_msg_alloc(rt->sys, body, ndesc, &m) != RMC_SUCCESS;
	}
	bool failed = false; /* import_desc consumed kdesc[got] anyway */
	for (; !drop && got < ndesc; got++)
		if (!import_desc(rt, &kdesc[got], &m->desc[got])) {
			failed = true;
			break;
		}
	if (failed) {
		diag("message not forwarded (a receive right in the data)",
		     KERN_INVALID_RIGHT);
		drop = true;
	}
	if (drop) {
		/* Unknown, a notification (for a reply: nobody will answer, so
		 * the VM requester's reply right goes and it learns), or what the
		 * bridge cannot carry. Rights already imported stay proxied. */
		if (m)
			rmc_msg_free(rt->sys, m);
		for (uint32_t i = got + failed; i < ndesc; i++)
			mach_port_deallocate(mach_task_self(), kdesc[i].name);
		if (MACH_PORT_VALID(kreply))
			mach_port_deallocate(mach_task_self(), kreply);
		if (l && l->kind == LINK_REPLY_OUT) {
			rmc_port_deallocate(rt->host_space, l->hname);
			mach_port_destroy(mach_task_self(), l->kname);
			link_drop(b, at);
		}
		return;
	}
	memcpy(m->body, kdesc + ndesc, body);
	m->id = 0;
	m->reply = 0;
	m->reply_disp = RMC_DISP_NONE;
	if (MACH_PORT_VALID(kreply)) {
		rmc_name_t r = host_port(rt);
		struct link *rl = r ? link_add(b, LINK_REPLY_IN, kreply, r) : NULL;
		if (rl) {
			rl->kdisp = rbits == MACH_MSG_TYPE_PORT_SEND_ONCE
					    ? MACH_MSG_TYPE_MOVE_SEND_ONCE
					    : MACH_MSG_TYPE_MOVE_SEND;
			m->reply = r;
			m->reply_disp = RMC_MAKE_SEND_ONCE;
		} else {
			if (r)
				rmc_port_destroy(rt->host_space, r);
			mach_port_deallocate(mach_task_self(), kreply);
		}
	}
	bool one_shot = l->kind == LINK_REPLY_OUT;
	m->dest = l->hname;
	m->dest_disp = one_shot ? RMC_MOVE_SEND_ONCE : RMC_COPY_SEND;
	if (one_shot) {
		uint32_t type;
		if (rmc_port_type(rt->host_space, l->hname, &type) == RMC_SUCCESS &&
		    !(type & RMC_TYPE_SEND_ONCE))
			m->dest_disp = RMC_MOVE_SEND;
	}
	rmc_name_t hreply = m->reply_disp ? m->reply : 0;
	rmc_ret_t ret = rmc_msg_send(rt->host_space, m, 0, NULL);
	if (ret != RMC_SUCCESS) {
		/* The VM port is gone, or its queue is full (README: limits). */
		rmc_msg_free(rt->sys, m);
		if (hreply) {
			struct link **r = link_by_hname(b, hreply);
			mach_port_deallocate(mach_task_self(), (*r)->kname);
			rmc_port_destroy(rt->host_space, (*r)->hname);
			link_drop(b, r);
		}
		if (one_shot)
			rmc_port_deallocate(rt->host_space, l->hname);
	}
	if (one_shot) {
		mach_port_destroy(mach_task_self(), l->kname);
		link_drop(b, at);
	}
}

static bool kb_pump(struct vm_rt *rt, uint64_t deadline_ns)
{
	struct kbridge *b = kb(rt);
	if (!b->nkrecv)
		return false;
	if (deadline_ns) {
		/* Everything waits: sleep in the kernel on the set's fd. */
		fflush(stdout);
		int ms = -1;
		if (deadline_ns != UINT64_MAX) {
			uint64_t now = vm_plat_now_ns();
			ms = deadline_ns <= now ? 0
						: (int)((deadline_ns - now + 999999u) / 1000000u);
		}
		struct pollfd pfd = { .fd = rmach_fd(), .events = POLLIN };
		if (poll(&pfd, 1, ms) < 0 && errno != EINTR)
			return false;
	}
	for (;;) {
		kern_return_t kr = mach_msg(&b->buf->head, MACH_RCV_MSG | MACH_RCV_TIMEOUT,
					    0, b->max_msg, b->kset, 0, MACH_PORT_NULL);
		if (kr != MACH_MSG_SUCCESS) {
			if (kr != MACH_RCV_TIMED_OUT)
				diag("receive", kr);
			return true;
		}
		kernel_to_host(rt);
	}
}

static void kb_fini(struct vm_rt *rt)
{
	struct kbridge *b = kb(rt);
	while (b->links) {
		struct link *l = b->links;
		if (l->kind == LINK_EXPORT || l->kind == LINK_REPLY_OUT)
			mach_port_destroy(mach_task_self(), l->kname);
		else
			mach_port_deallocate(mach_task_self(), l->kname);
		link_drop(b, &b->links);
	}
	mach_port_destroy(mach_task_self(), b->kset);
	free(b->buf);
	free(b);
	rt->bridge_ctx = NULL;
}

static const struct vm_bridge_ops kport_ops = {
	.publish = kb_publish,
	.find = kb_find,
	.pump = kb_pump,
	.fini = kb_fini,
};

bool vm_kport_available(void)
{
	const char *dev = getenv("RMACH_DEVICE");
	return access(dev ? dev : "/dev/rmach", R_OK | W_OK) == 0;
}

bool vm_kport_attach(struct vm_rt *rt)
{
	struct kbridge *b = calloc(1, sizeof(*b));
	struct vm_service *svc = vm_plat_alloc(sizeof(*svc));
	kern_return_t kr = KERN_RESOURCE_SHORTAGE;
	if (!b || !svc)
		goto fail;
	memset(svc, 0, sizeof(*svc));
	b->max_msg = (uint32_t)sizeof(mach_msg_header_t) + rt->cfg.msg_limit;
	b->buf = malloc(b->max_msg);
	if (!b->buf)
		goto fail;
	kr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &b->kset);
	if (kr != KERN_SUCCESS)
		goto fail;
	kr = rmach_poll_port(b->kset);
	if (kr != KERN_SUCCESS ||
	    rmc_port_allocate(rt->host_space, RMC_RIGHT_PORT_SET, &b->hset) != RMC_SUCCESS)
		goto fail_set;
	rt->bridge_ctx = b;
	rt->bridge = &kport_ops;
	svc->name = "kernel bridge";
	svc->port = b->hset;
	svc->handle = host_to_kernel;
	vm_service_attach(rt, svc);
	return true;
fail_set:
	mach_port_destroy(mach_task_self(), b->kset);
fail:
	fprintf(stderr, "rmach-vm: --kernel-ports: %s\n", rmach_strerror(kr));
	if (b)
		free(b->buf);
	free(b);
	if (svc)
		vm_plat_free(svc, sizeof(*svc));
	return false;
}
