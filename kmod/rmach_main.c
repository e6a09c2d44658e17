// SPDX-License-Identifier: GPL-2.0
/*
 * rMach: Mach ports through /dev/rmach.
 *
 * Module entry: misc device registration and file operations.
 */
#include <linux/module.h>
#include <linux/miscdevice.h>
#include <linux/fs.h>

static int rmach_open(struct inode *inode, struct file *file)
{
	return 0;
}

static int rmach_release(struct inode *inode, struct file *file)
{
	return 0;
}

static const struct file_operations rmach_fops = {
	.owner		= THIS_MODULE,
	.open		= rmach_open,
	.release	= rmach_release,
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
	return misc_register(&rmach_misc);
}

static void __exit rmach_exit(void)
{
	misc_deregister(&rmach_misc);
}

module_init(rmach_init);
module_exit(rmach_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("rMach: Mach ports and rights through /dev/rmach");
