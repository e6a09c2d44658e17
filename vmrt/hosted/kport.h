/*
 * The kernel bridge (hosted only): VM services reach other OS processes
 * through /dev/rmach and libmach. See vmrt/README.md, "Kernel bridge".
 */
#ifndef VMRT_KPORT_H
#define VMRT_KPORT_H

#include "vm.h"

/* Whether this machine has the rMach device (libmach can open it). */
bool vm_kport_available(void);
/* Installs the bridge on rt; false with a reason on stderr if the device
 * cannot be used. */
bool vm_kport_attach(struct vm_rt *rt);

#endif
