/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel shim: core/ is freestanding and includes only <stdint.h>, <stddef.h>
 * and <stdbool.h>. In the kernel those types come from <linux/types.h>.
 */
#ifndef RMACH_KSHIM_STDBOOL_H
#define RMACH_KSHIM_STDBOOL_H
#include <linux/types.h>
#include <linux/stddef.h>
#include <linux/limits.h>
#endif
