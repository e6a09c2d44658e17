/*
 * Ports for VM processes, through core/ (rmach_core.h). Each process has its
 * own rmc_space; a port value is a name in that space. Values travel
 * serialised (deep copies: no process can reach another's heap); a port inside
 * the data or in the reply field travels as a port descriptor carrying a send
 * right, so the receiver gets a right and a name of its own. An integer used
 * as a port only works if it is a name the process holds a right under.
 *
 * Every call below runs with p's interpreter state saved (it may collect p's
 * heap) and returns one of enum vm_ipc; on VM_IPC_FAULT `why` holds the
 * reason. VM_IPC_BLOCK leaves p's waiter linked: the instruction is executed
 * again when p is woken (nothing happened yet, so this is not a replay).
 */
#ifndef VMRT_IPC_H
#define VMRT_IPC_H

#include "vm.h"

enum vm_ipc { VM_IPC_OK, VM_IPC_BLOCK, VM_IPC_FAULT, VM_IPC_NOMEM };

#define VM_WHY_LEN 160

int vm_ipc_create_port(struct vm_rt *rt, struct vm_proc *p, vm_value *out,
		       char *why);
int vm_ipc_send(struct vm_rt *rt, struct vm_proc *p, vm_value data,
		vm_value reply, vm_value dest, char *why);
int vm_ipc_recv(struct vm_rt *rt, struct vm_proc *p, vm_value port,
		vm_value *out, char *why);
int vm_ipc_reply(struct vm_rt *rt, struct vm_proc *p, vm_value data, char *why);
/* Send with a private reply port, then wait for the answer. p->in_call tells
 * a re-execution after a wake-up that the request already went out. */
int vm_ipc_call(struct vm_rt *rt, struct vm_proc *p, vm_value data,
		vm_value dest, vm_value *out, char *why);
int vm_ipc_register(struct vm_rt *rt, struct vm_proc *p, vm_value port,
		    vm_value name, char *why);
int vm_ipc_lookup(struct vm_rt *rt, struct vm_proc *p, vm_value name,
		  vm_value *out, char *why);

/* Runtime setup/teardown of the core system, host space and services. */
bool vm_ipc_init(struct vm_rt *rt);
void vm_ipc_fini(struct vm_rt *rt);
bool vm_ipc_proc_init(struct vm_rt *rt, struct vm_proc *p);
void vm_ipc_proc_fini(struct vm_rt *rt, struct vm_proc *p);
/* Runs host services that have mail; true if any ran. */
bool vm_services_run(struct vm_rt *rt);
/* Deadline of the next timer (UINT64_MAX: none); fires due timers. */
uint64_t vm_timers_next(struct vm_rt *rt);
void vm_timers_fire(struct vm_rt *rt);

#endif
