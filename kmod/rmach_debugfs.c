// SPDX-License-Identifier: GPL-2.0
/*
 * rmach_debugfs.c - live counters in /sys/kernel/debug/rmach/, one decimal
 * number per file, so tests can check that everything returns to its
 * baseline:
 *   spaces        IPC spaces alive (one per open, plus the registry's own,
 *                 plus spaces draining queued messages they sent)
 *   ports         port objects alive (dead ones still named included)
 *   port_sets     port sets alive
 *   rights        names in use across all spaces (each holds >= 1 right)
 *   queued_msgs   messages queued on ports
 *   queued_bytes  data bytes of those messages
 *   registry      registry entries
 *   users         uids with open or draining spaces
 * With the module loaded and no client, the baseline is spaces 1, ports 1
 * and rights 1 (the registry's space and its notification port), everything
 * else 0.
 *
 * Locking: each read takes the core lock through rmc_sys_stats(), and
 * rmk_dev.lock for the users count.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include "rmach_internal.h"

enum rmk_counter {
	RMK_SPACES, RMK_PORTS, RMK_PSETS, RMK_RIGHTS, RMK_MSGS, RMK_BYTES,
	RMK_REGISTRY, RMK_USERS, RMK_NCOUNTERS
};

static const char *const rmk_counter_names[RMK_NCOUNTERS] = {
	[RMK_SPACES] = "spaces",	[RMK_PORTS] = "ports",
	[RMK_PSETS] = "port_sets",	[RMK_RIGHTS] = "rights",
	[RMK_MSGS] = "queued_msgs",	[RMK_BYTES] = "queued_bytes",
	[RMK_REGISTRY] = "registry",
	[RMK_USERS] = "users",
};

static struct dentry *rmk_debugfs_dir;

static int rmk_counter_show(struct seq_file *m, void *unused)
{
	enum rmk_counter c = (uintptr_t)m->private;
	struct rmc_stats st;
	u64 v = 0;

	rmc_sys_stats(rmk_dev.sys, &st);
	switch (c) {
	case RMK_SPACES:	v = st.spaces; break;
	case RMK_PORTS:		v = st.ports; break;
	case RMK_PSETS:		v = st.psets; break;
	case RMK_RIGHTS:	v = st.names; break;
	case RMK_MSGS:		v = st.msgs; break;
	case RMK_BYTES:		v = st.bytes; break;
	case RMK_REGISTRY:	v = rmk_registry_count(); break;
	case RMK_USERS:
		mutex_lock(&rmk_dev.lock);
		v = rmk_dev.nusers;
		mutex_unlock(&rmk_dev.lock);
		break;
	default:
		break;
	}
	seq_printf(m, "%llu\n", v);
	return 0;
}

static int rmk_counter_open(struct inode *inode, struct file *file)
{
	return single_open(file, rmk_counter_show, inode->i_private);
}

static const struct file_operations rmk_counter_fops = {
	.owner		= THIS_MODULE,
	.open		= rmk_counter_open,
	.read		= seq_read,
	.llseek		= seq_lseek,
	.release	= single_release,
};

/* debugfs is optional: failures only lose the counters. */
void rmk_debugfs_init(void)
{
	uintptr_t c;

	rmk_debugfs_dir = debugfs_create_dir("rmach", NULL);
	for (c = 0; c < RMK_NCOUNTERS; c++)
		debugfs_create_file(rmk_counter_names[c], 0444, rmk_debugfs_dir,
				    (void *)c, &rmk_counter_fops);
}

void rmk_debugfs_exit(void)
{
	debugfs_remove_recursive(rmk_debugfs_dir);
}
