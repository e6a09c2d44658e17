/*
 * A bridge to ports outside this runtime: the hosted build's kernel ports
 * (vmrt/hosted/kport.c, /dev/rmach through libmach). The portable runtime
 * only calls these hooks; rt->bridge is NULL on bare metal and whenever the
 * bridge is off, and then nothing below runs.
 */
#ifndef VMRT_BRIDGE_H
#define VMRT_BRIDGE_H

#include "vm.h"

struct vm_bridge_ops {
	/* REGISTER of a new name: publish it outside too. host_right is the
	 * registry's send right in the host space (the bridge takes its own
	 * reference). VM_IPC_OK or VM_IPC_FAULT with why set. */
	int (*publish)(struct vm_rt *rt, rmc_name_t host_right,
		       const struct vm_str *name, char *why);
	/* LOOKUP of a name the runtime does not know: a host-space name holding
	 * a receive or send right for a proxy of the outside service; 0 if
	 * unknown outside too. */
	rmc_name_t (*find)(struct vm_rt *rt, const struct vm_str *name);
	/* Brings outside messages in. deadline_ns 0: only what is already
	 * there (never blocks); otherwise waits until something arrives or the
	 * deadline (UINT64_MAX: none) passes. Returns false when nothing can
	 * come from outside (no outside port to receive on), without waiting. */
	bool (*pump)(struct vm_rt *rt, uint64_t deadline_ns);
	void (*fini)(struct vm_rt *rt);
};

/* Slices between two non-blocking pumps while VM processes are runnable. */
#define VM_BRIDGE_POLL_SLICES 16u

#endif
