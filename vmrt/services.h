/*
 * Host services: C functions exposed to bytecode as ports (the original's
 * "Python handlers"), and the registry that names them.
 *
 *   "console"  SEND x 0 console   prints x like PRINT
 *   "clock"    CALL ms clock      answers after ms milliseconds (0: at once)
 *                                 with the milliseconds since the start
 *
 * The registry maps strings to send rights, held in the host space:
 *   REGISTER (port name --)  publishes a send right; a name is owned by the
 *                            process that registered it first (only it can
 *                            re-register it); services' names are reserved.
 *   LOOKUP (name -- port|0)  gives the caller a send right (0: unknown or dead).
 */
#ifndef VMRT_SERVICES_H
#define VMRT_SERVICES_H

#include "vm.h"

struct vm_service {
	struct rmc_waiter waiter;       /* linked on the service's port */
	const char *name;
	rmc_name_t port;                /* receive right in the host space */
	void (*handle)(struct vm_rt *rt, struct vm_service *svc,
		       struct rmc_msg *m);
	struct vm_service *ready_next;  /* rt->svc_ready list */
	bool ready;
	struct vm_service *next;        /* rt->services */
};

struct vm_registry_ent {
	char *key;
	uint32_t len;
	rmc_name_t right;   /* send right in the host space */
	uint32_t owner;     /* pid; 0 for the runtime's own services */
};

struct vm_timer {
	struct vm_timer *next;
	uint64_t deadline_ns;
	rmc_name_t reply;   /* in the host space */
	unsigned disp;
};

bool vm_services_init(struct vm_rt *rt);
void vm_services_fini(struct vm_rt *rt);
void vm_service_wake(struct vm_rt *rt, struct vm_service *svc);
/* Starts serving svc->port (a receive right or port set in the host space)
 * without a registry name; svc->handle gets each message. The runtime frees
 * svc (vm_plat_free) at the end. */
void vm_service_attach(struct vm_rt *rt, struct vm_service *svc);

int vm_registry_register(struct vm_rt *rt, struct vm_proc *p, rmc_name_t port,
			 const struct vm_str *name, char *why);
rmc_name_t vm_registry_lookup(struct vm_rt *rt, struct vm_proc *p,
			      const struct vm_str *name);

/* Sends data from the host space (services' answers). */
int vm_host_send(struct vm_rt *rt, vm_value data, rmc_name_t dest,
		 unsigned dest_disp);

#endif
