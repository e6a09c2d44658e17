/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel shim: core/ is freestanding and includes only <stdint.h>, <stddef.h>
 * and <stdbool.h>. In the kernel those types come from <linux/types.h>.
 */
#ifndef RMACH_KSHIM_STDINT_H
#define RMACH_KSHIM_STDINT_H
#include <linux/types.h>
#include <linux/stddef.h>
#include <linux/limits.h>

#ifndef UINT8_MAX
#define UINT8_MAX	U8_MAX
#define UINT16_MAX	U16_MAX
#define UINT32_MAX	U32_MAX
#define UINT64_MAX	U64_MAX
#define INT32_MAX	S32_MAX
#define INT64_MAX	S64_MAX
#define UINTPTR_MAX	ULONG_MAX
#endif
#endif
