// SPDX-License-Identifier: GPL-2.0
/* Compile probe: does io_uring_cmd_done() take issue_flags (6.1.23+)? */
#include <linux/io_uring.h>

void rmk_probe(struct io_uring_cmd *cmd);
void rmk_probe(struct io_uring_cmd *cmd)
{
	io_uring_cmd_done(cmd, 0, 0, 0);
}
