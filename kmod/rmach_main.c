// SPDX-License-Identifier: GPL-2.0
/*
 * rMach: Mach ports through /dev/rmach.
 *
 * Module entry: parameters, the misc device and its file operations.
 *
 * Each open is one IPC space owned by the opener's thread group. Only that
 * thread group may use the fd (others get -EBADFD, poll gets EPOLLERR), so a
 * child after fork() cannot act on its parent's rights. The space is torn
 * down at the last close, or as soon as the owning thread group exits even
 * if a child still holds the fd (->flush with the whole group dead), so a
 * dying process always releases its rights.
 *
 * Locking: see rmach_internal.h. rmk_file.space is written only by open,
 * ->flush of the exiting owner and ->release, which never race with an
 * ioctl of the owner (the owner is gone or has no other reference).
 */
#include <linux/module.h>
#include <linux/miscdevice.h>
#include <linux/fs.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/cred.h>
#include <linux/sched/signal.h>
#include <linux/tracepoint.h>
#include "rmach_internal.h"

unsigned int rmk_max_msg_size = 65536;
module_param_named(max_msg_size, rmk_max_msg_size, uint, 0444);
MODULE_PARM_DESC(max_msg_size, "largest message data in bytes (default 65536)");

unsigned int rmk_max_names = 262144;
module_param_named(max_names, rmk_max_names, uint, 0444);
MODULE_PARM_DESC(max_names, "names per space (default 262144)");

unsigned int rmk_space_ports = 131072;
module_param_named(space_ports, rmk_space_ports, uint, 0644);
MODULE_PARM_DESC(space_ports, "ports a space may allocate, 0 = no cap (131072)");

unsigned int rmk_space_msgs = 4096;
module_param_named(space_msgs, rmk_space_msgs, uint, 0644);
MODULE_PARM_DESC(space_msgs, "messages a space may have queued (4096)");

unsigned int rmk_space_bytes = 16 << 20;
module_param_named(space_bytes, rmk_space_bytes, uint, 0644);
MODULE_PARM_DESC(space_bytes, "bytes a space may have queued (16 MiB)");

unsigned int rmk_user_ports = 262144;
module_param_named(user_ports, rmk_user_ports, uint, 0644);
MODULE_PARM_DESC(user_ports, "ports one uid may allocate (262144)");

unsigned int rmk_user_msgs = 16384;
module_param_named(user_msgs, rmk_user_msgs, uint, 0644);
MODULE_PARM_DESC(user_msgs, "messages one uid may have queued (16384)");

unsigned int rmk_user_bytes = 64 << 20;
module_param_named(user_bytes, rmk_user_bytes, uint, 0644);
MODULE_PARM_DESC(user_bytes, "bytes one uid may have queued (64 MiB)");

unsigned int rmk_user_spaces = 1024;
module_param_named(user_spaces, rmk_user_spaces, uint, 0644);
MODULE_PARM_DESC(user_spaces, "spaces (opens) one uid may hold (1024)");

/* Limits are read at open: changing a parameter affects new spaces. */

static bool rmk_owner_ok(const struct rmk_file *rf)
{
	return rf->tgid == task_tgid(current);
}

static int rmach_open(struct inode *inode, struct file *file)
{
	struct rmk_file *rf;
	rmc_ret_t ret;
	int err;

	rf = kzalloc(sizeof(*rf), GFP_KERNEL_ACCOUNT);
	if (!rf)
		return -ENOMEM;

	rf->user = rmk_user_get(current_euid());
	if (IS_ERR(rf->user)) {
		err = PTR_ERR(rf->user);
		goto err_free;
	}
	ret = rmc_space_create(rmk_dev.sys, &rf->user->owner, &rf->space);
	if (ret != RMC_SUCCESS) {
		err = rmk_errno(ret);
		goto err_user;
	}
	rf->limits.ports = rmk_space_ports;
	rf->limits.msgs = rmk_space_msgs;
	rf->limits.bytes = rmk_space_bytes;
	rmc_space_set_limits(rf->space, &rf->limits);
	rf->tgid = get_pid(task_tgid(current));
	atomic64_set(&rf->msgs_sent, 0);
	atomic64_set(&rf->msgs_received, 0);
	spin_lock_init(&rf->uring_lock);
	INIT_LIST_HEAD(&rf->uring_reqs);
	file->private_data = rf;
	return 0;

err_user:
	rmk_user_put(rf->user);
err_free:
	kfree(rf);
	return err;
}

static void rmk_space_teardown(struct rmk_file *rf)
{
	struct rmc_space *space = xchg(&rf->space, NULL);

	if (!space)
		return;
	rmc_space_destroy(space);
	/* Teardown queues notifications and may kill polled ports. */
	rmk_poll_wake();
	/* Its registered services died with it. */
	rmk_registry_reap();
}

/*
 * Called on every close() of an fd. When the owning thread group is exiting
 * (every thread has left user space for good), tear the space down now even
 * if another process still holds the file: rights die with their process.
 */
static int rmach_flush(struct file *file, fl_owner_t id)
{
	struct rmk_file *rf = file->private_data;

	/* io_uring receives in flight end with the owner's close. */
	if (rmk_owner_ok(rf))
		rmk_uring_cancel_all(rf);
	if (rmk_owner_ok(rf) && (current->flags & PF_EXITING) &&
	    !atomic_read(&current->signal->live))
		rmk_space_teardown(rf);
	return 0;
}

static int rmach_release(struct inode *inode, struct file *file)
{
	struct rmk_file *rf = file->private_data;

	rmk_space_teardown(rf);
	rmk_user_put(rf->user);
	put_pid(rf->tgid);
	kfree(rf);
	return 0;
}

static __poll_t rmach_poll(struct file *file, struct poll_table_struct *wait)
{
	struct rmk_file *rf = file->private_data;
	rmc_name_t name;
	rmc_ret_t ret;

	if (!rmk_owner_ok(rf) || !rf->space)
		return EPOLLERR;
	poll_wait(file, &rmk_dev.poll_wq, wait);
	name = READ_ONCE(rf->poll_name);
	if (name == RMC_NAME_NULL)
		return 0;
	ret = rmc_msg_peek(rf->space, name, NULL);
	if (ret == RMC_SUCCESS)
		return EPOLLIN | EPOLLRDNORM;
	if (ret == RMC_RCV_TIMED_OUT)
		return 0;
	return EPOLLERR;
}

/* A -DNOTRACE build (make bench-trace's reference) has no tracepoints. */
#ifdef TRACEPOINTS_ENABLED
#define RMK_FEAT_TRACEPOINTS	RMACH_FEAT_TRACEPOINTS
#else
#define RMK_FEAT_TRACEPOINTS	0
#endif

static long rmk_ioctl_version(void __user *arg)
{
	struct rmach_version v = {
		.abi_version = RMACH_ABI_VERSION,
		.max_msg_size = rmk_max_msg_size,
		.features = RMACH_FEAT_HANDOFF | RMACH_FEAT_POLL |
			    RMACH_FEAT_REGISTRY | RMACH_FEAT_NOTIFY |
			    RMACH_FEAT_URING_CMD | RMACH_FEAT_URING_CALL |
			    RMK_FEAT_TRACEPOINTS,
		.max_qlimit = RMC_QLIMIT_MAX,
		.default_qlimit = RMC_QLIMIT_DEFAULT,
		.max_ports = rmk_space_ports,
	};

	return copy_to_user(arg, &v, sizeof(v)) ? -EFAULT : 0;
}

static long rmach_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct rmk_file *rf = file->private_data;
	void __user *uarg = (void __user *)arg;

	/* Version works for anyone: it is how libmach checks the module. */
	if (cmd == RMACH_IOC_VERSION)
		return rmk_ioctl_version(uarg);
	if (!rmk_owner_ok(rf) || !rf->space)
		return -EBADFD;

	switch (cmd) {
	case RMACH_IOC_MSG:
		return rmk_ioctl_msg(rf, file, uarg);
	case RMACH_IOC_REGISTER:
	case RMACH_IOC_LOOK_UP:
	case RMACH_IOC_UNREGISTER:
		return rmk_ioctl_registry(rf, cmd, uarg);
	default:
		return rmk_ioctl_port(rf, cmd, uarg);
	}
}

static const struct file_operations rmach_fops = {
	.owner		= THIS_MODULE,
	.open		= rmach_open,
	.flush		= rmach_flush,
	.release	= rmach_release,
	.poll		= rmach_poll,
	.unlocked_ioctl	= rmach_ioctl,
	/* Every argument is a fixed-layout struct: only the pointer differs. */
	.compat_ioctl	= compat_ptr_ioctl,
	.uring_cmd	= rmk_uring_cmd,
	.llseek		= noop_llseek,
};

static struct miscdevice rmach_misc = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "rmach",
	.fops	= &rmach_fops,
	.mode	= 0666,
};

static int __init rmach_init(void)
{
	int err;

	if (rmk_max_msg_size > (16U << 20) || rmk_max_names < 16) {
		pr_err("rmach: max_msg_size <= 16 MiB and max_names >= 16 required\n");
		return -EINVAL;
	}
	err = rmk_sys_init();
	if (err)
		return err;
	err = rmk_registry_init();
	if (err)
		goto err_sys;
	rmk_debugfs_init();
	err = misc_register(&rmach_misc);
	if (err)
		goto err_debugfs;
	return 0;

err_debugfs:
	rmk_debugfs_exit();
	rmk_registry_exit();
err_sys:
	rmk_sys_exit();
	return err;
}

static void __exit rmach_exit(void)
{
	misc_deregister(&rmach_misc);
	rmk_uring_exit();
	rmk_debugfs_exit();
	rmk_registry_exit();
	rmk_sys_exit();
}

module_init(rmach_init);
module_exit(rmach_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("rMach: Mach ports and rights through /dev/rmach");
