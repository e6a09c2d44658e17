// SPDX-License-Identifier: GPL-2.0
/* rmach_trace.c - instantiates the rmach tracepoints (rmach_trace.h). */
#define CREATE_TRACE_POINTS
#include "rmach_trace.h"
