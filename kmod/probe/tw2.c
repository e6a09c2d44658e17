// SPDX-License-Identifier: GPL-2.0
/* Compile probe: does the task-work callback take issue_flags (6.1.23+)? */
#include <linux/io_uring.h>

static void rmk_probe_cb(struct io_uring_cmd *cmd, unsigned int issue_flags)
{
}

void rmk_probe(struct io_uring_cmd *cmd);
void rmk_probe(struct io_uring_cmd *cmd)
{
	io_uring_cmd_complete_in_task(cmd, rmk_probe_cb);
}
