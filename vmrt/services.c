/* Host services, the registry and the clock's timers, see services.h. */
#include "services.h"

#include <string.h>

#include "bridge.h"
#include "ipc.h"
#include "msgcodec.h"
#include "platform.h"
#include "repr.h"

void vm_service_wake(struct vm_rt *rt, struct vm_service *svc)
{
	if (svc->ready)
		return;
	svc->ready = true;
	svc->ready_next = rt->svc_ready;
	rt->svc_ready = svc;
}

/* Gives back every right a message brought into the host space. */
static void release_rights(struct vm_rt *rt, struct rmc_msg *m)
{
	for (uint32_t i = 0; i < m->ndesc; i++)
		if (RMC_NAME_VALID(m->desc[i].name))
			rmc_port_deallocate(rt->host_space, m->desc[i].name);
	if (m->reply_disp && RMC_NAME_VALID(m->reply))
		rmc_port_deallocate(rt->host_space, m->reply);
}

static void console_handle(struct vm_rt *rt, struct vm_service *svc,
			   struct rmc_msg *m)
{
	(void)svc;
	vm_value v;
	if (vm_decode(&rt->svc_heap, m->body, m->body_size, m->desc, m->ndesc,
		      &v) == VM_CODEC_OK) {
		struct vm_buf b = { 0 };
		vm_format_print(&b, v);
		vm_buf_put(&b, "\n", 1);
		if (!b.oom)
			vm_plat_write(b.p, b.n);
		vm_buf_free(&b);
	}
	vm_heap_free_all(&rt->svc_heap);
	release_rights(rt, m);
}

static int64_t now_ms(void)
{
	return (int64_t)(vm_plat_now_ns() / 1000000u);
}

static void clock_handle(struct vm_rt *rt, struct vm_service *svc,
			 struct rmc_msg *m)
{
	(void)svc;
	vm_value v = vm_int(0);
	if (vm_decode(&rt->svc_heap, m->body, m->body_size, m->desc, m->ndesc,
		      &v) != VM_CODEC_OK || v.t != VT_INT)
		v = vm_int(0);
	vm_heap_free_all(&rt->svc_heap);
	for (uint32_t i = 0; i < m->ndesc; i++)
		if (RMC_NAME_VALID(m->desc[i].name))
			rmc_port_deallocate(rt->host_space, m->desc[i].name);
	if (!m->reply_disp || !RMC_NAME_VALID(m->reply))
		return;
	unsigned disp = m->reply_disp == RMC_MOVE_SEND_ONCE ? RMC_MOVE_SEND_ONCE
							   : RMC_MOVE_SEND;
	if (v.u.i <= 0) {
		vm_host_send(rt, vm_int(now_ms()), m->reply, disp);
		return;
	}
	struct vm_timer *t = vm_plat_alloc(sizeof(*t));
	if (!t) {
		vm_host_send(rt, vm_int(now_ms()), m->reply, disp);
		return;
	}
	uint64_t ms = (uint64_t)v.u.i > 86400000u ? 86400000u : (uint64_t)v.u.i;
	t->deadline_ns = vm_plat_now_ns() + ms * 1000000u;
	t->reply = m->reply;
	t->disp = disp;
	struct vm_timer **link = &rt->timers;
	while (*link && (*link)->deadline_ns <= t->deadline_ns)
		link = &(*link)->next;
	t->next = *link;
	*link = t;
}

uint64_t vm_timers_next(struct vm_rt *rt)
{
	return rt->timers ? rt->timers->deadline_ns : UINT64_MAX;
}

void vm_timers_fire(struct vm_rt *rt)
{
	if (!rt->timers)
		return;
	uint64_t now = vm_plat_now_ns();
	while (rt->timers && rt->timers->deadline_ns <= now) {
		struct vm_timer *t = rt->timers;
		rt->timers = t->next;
		vm_host_send(rt, vm_int(now_ms()), t->reply, t->disp);
		vm_plat_free(t, sizeof(*t));
	}
}

/* Links the service's waiter, handling whatever is already queued. */
static void service_poll(struct vm_rt *rt, struct vm_service *svc)
{
	for (;;) {
		struct rmc_msg *m = NULL;
		rmc_ret_t ret = rmc_msg_receive(rt->host_space, svc->port,
						rt->cfg.msg_limit + 8 * RMC_MAX_DESC + 64,
						0, &svc->waiter, &m, NULL);
		if (ret != RMC_SUCCESS)
			return; /* WOULD_BLOCK: linked, woken on the next message */
		svc->handle(rt, svc, m);
		rmc_msg_free(rt->sys, m);
	}
}

bool vm_services_run(struct vm_rt *rt)
{
	bool ran = false;
	while (rt->svc_ready) {
		struct vm_service *svc = rt->svc_ready;
		rt->svc_ready = svc->ready_next;
		svc->ready = false;
		service_poll(rt, svc);
		ran = true;
	}
	return ran;
}

static bool registry_add(struct vm_rt *rt, const char *key, uint32_t len,
			 rmc_name_t right, uint32_t owner)
{
	if (rt->nregistry == rt->capregistry) {
		uint32_t ncap = rt->capregistry ? rt->capregistry * 2 : 8;
		struct vm_registry_ent *e = vm_plat_realloc(
			rt->registry, rt->capregistry * sizeof(*e), ncap * sizeof(*e));
		if (!e)
			return false;
		rt->registry = e;
		rt->capregistry = ncap;
	}
	char *k = vm_plat_alloc(len + 1);
	if (!k)
		return false;
	memcpy(k, key, len);
	k[len] = 0;
	struct vm_registry_ent *e = &rt->registry[rt->nregistry++];
	e->key = k;
	e->len = len;
	e->right = right;
	e->owner = owner;
	return true;
}

static struct vm_registry_ent *registry_find(struct vm_rt *rt, const char *key,
					     uint32_t len)
{
	for (uint32_t i = 0; i < rt->nregistry; i++)
		if (rt->registry[i].len == len && !memcmp(rt->registry[i].key, key, len))
			return &rt->registry[i];
	return NULL;
}

static bool add_service(struct vm_rt *rt, struct vm_service *svc)
{
	if (rmc_port_allocate(rt->host_space, RMC_RIGHT_RECEIVE, &svc->port) !=
	    RMC_SUCCESS)
		return false;
	/* The registry's send right lives under the same name (one name per
	 * port per space). */
	if (rmc_insert_right(rt->host_space, svc->port, rt->host_space, svc->port,
			     RMC_MAKE_SEND) != RMC_SUCCESS)
		return false;
	rmc_waiter_init(&svc->waiter, (void *)((uintptr_t)svc | 1));
	if (!registry_add(rt, svc->name, (uint32_t)strlen(svc->name), svc->port, 0))
		return false;
	svc->next = rt->services;
	rt->services = svc;
	service_poll(rt, svc);
	return true;
}

void vm_service_attach(struct vm_rt *rt, struct vm_service *svc)
{
	rmc_waiter_init(&svc->waiter, (void *)((uintptr_t)svc | 1));
	svc->next = rt->services;
	rt->services = svc;
	service_poll(rt, svc);
}

bool vm_services_init(struct vm_rt *rt)
{
	static const struct {
		const char *name;
		void (*handle)(struct vm_rt *, struct vm_service *, struct rmc_msg *);
	} builtin[] = { { "console", console_handle }, { "clock", clock_handle } };
	for (unsigned i = 0; i < sizeof(builtin) / sizeof(builtin[0]); i++) {
		struct vm_service *svc = vm_plat_alloc(sizeof(*svc));
		if (!svc)
			return false;
		memset(svc, 0, sizeof(*svc));
		svc->name = builtin[i].name;
		svc->handle = builtin[i].handle;
		if (!add_service(rt, svc)) {
			vm_plat_free(svc, sizeof(*svc));
			return false;
		}
	}
	return true;
}

void vm_services_fini(struct vm_rt *rt)
{
	while (rt->timers) {
		struct vm_timer *t = rt->timers;
		rt->timers = t->next;
		vm_plat_free(t, sizeof(*t));
	}
	while (rt->services) {
		struct vm_service *svc = rt->services;
		rt->services = svc->next;
		if (rt->sys)
			rmc_waiter_cancel(rt->sys, &svc->waiter);
		vm_plat_free(svc, sizeof(*svc));
	}
	rt->svc_ready = NULL;
	for (uint32_t i = 0; i < rt->nregistry; i++)
		vm_plat_free(rt->registry[i].key, rt->registry[i].len + 1);
	vm_plat_free(rt->registry, rt->capregistry * sizeof(*rt->registry));
	rt->registry = NULL;
	rt->nregistry = rt->capregistry = 0;
}

static void why_set(char *why, const char *a)
{
	size_t n = strlen(a);
	if (n >= VM_WHY_LEN)
		n = VM_WHY_LEN - 1;
	memcpy(why, a, n);
	why[n] = 0;
}

int vm_registry_register(struct vm_rt *rt, struct vm_proc *p, rmc_name_t port,
			 const struct vm_str *name, char *why)
{
	struct vm_registry_ent *e = registry_find(rt, name->s, name->len);
	if (e && e->owner != p->pid) {
		why_set(why, e->owner ? "the name is registered by another process"
				      : "the name is reserved for a host service");
		return VM_IPC_FAULT;
	}
	unsigned disp = vm_port_disposition(p->space, port, false);
	if (!disp || disp == RMC_MOVE_SEND_ONCE) {
		why_set(why, "REGISTER needs a port this process holds a receive or send right for");
		return VM_IPC_FAULT;
	}
	rmc_name_t held, old = e ? e->right : 0;
	unsigned got;
	rmc_ret_t ret = rmc_extract_right(p->space, port, disp, rt->host_space,
					  &held, &got);
	if (ret != RMC_SUCCESS) {
		why_set(why, "cannot register the port");
		return ret == RMC_RESOURCE_SHORTAGE ? VM_IPC_NOMEM : VM_IPC_FAULT;
	}
	if (e) {
		e->right = held;
		if (old)
			rmc_port_deallocate(rt->host_space, old);
		return VM_IPC_OK;
	}
	if (rt->bridge) {
		int r = rt->bridge->publish(rt, held, name, why);
		if (r != VM_IPC_OK) {
			rmc_port_deallocate(rt->host_space, held);
			return r;
		}
	}
	if (!registry_add(rt, name->s, name->len, held, p->pid)) {
		rmc_port_deallocate(rt->host_space, held);
		return VM_IPC_NOMEM;
	}
	return VM_IPC_OK;
}

rmc_name_t vm_registry_lookup(struct vm_rt *rt, struct vm_proc *p,
			      const struct vm_str *name)
{
	struct vm_registry_ent *e = registry_find(rt, name->s, name->len);
	rmc_name_t right = e ? e->right : 0;
	if (!right && rt->bridge)
		right = rt->bridge->find(rt, name);
	unsigned disp = right ? vm_port_disposition(rt->host_space, right, false) : 0;
	if (!disp)
		return 0;
	rmc_name_t out;
	unsigned got;
	if (rmc_extract_right(rt->host_space, right, disp, p->space, &out,
			      &got) != RMC_SUCCESS)
		return 0;
	return out;
}
