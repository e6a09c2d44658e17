// SPDX-License-Identifier: GPL-2.0
/*
 * rmach_registry.c - the name registry ("bootstrap"): a send right kept under
 * a string key, so unrelated processes can find a service.
 *
 * The registered send rights live in a kernel-owned space (reg.space), one
 * name per port there; each entry holds one user reference on its name.
 * An entry belongs to the uid that registered it: only that uid or a caller
 * with CAP_SYS_ADMIN may replace or remove it. Entries are capped globally
 * (registry_max) and per uid (registry_per_user) so one user cannot fill it.
 * Ports that die leave dead names; a look-up that finds one drops the entry
 * and answers EPIPE.
 *
 * Locking: reg.lock (mutex) protects the entry list and is held across core
 * calls on reg.space (the core takes its own lock inside; order reg.lock ->
 * core lock).
 */
#include <linux/slab.h>
#include <linux/list.h>
#include <linux/uaccess.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/string.h>
#include <linux/ctype.h>
#include <linux/moduleparam.h>
#include "rmach_internal.h"

unsigned int rmk_registry_max = 4096;
module_param_named(registry_max, rmk_registry_max, uint, 0644);
MODULE_PARM_DESC(registry_max, "registry entries in all (4096)");

unsigned int rmk_registry_per_user = 64;
module_param_named(registry_per_user, rmk_registry_per_user, uint, 0644);
MODULE_PARM_DESC(registry_per_user, "registry entries per uid (64)");

struct rmk_reg_entry {
	struct list_head node;
	char key[RMACH_KEY_MAX];
	rmc_name_t name;	/* in reg.space, one uref held */
	kuid_t uid;
};

static struct {
	struct mutex lock;
	struct list_head entries;
	unsigned int count;
	struct rmc_space *space;
} reg;

int rmk_registry_init(void)
{
	rmc_ret_t ret;

	mutex_init(&reg.lock);
	INIT_LIST_HEAD(&reg.entries);
	/* Charged to nobody: entries are capped by count instead. */
	ret = rmc_space_create(rmk_dev.sys, NULL, &reg.space);
	return rmk_errno(ret);
}

void rmk_registry_exit(void)
{
	struct rmk_reg_entry *e, *tmp;

	list_for_each_entry_safe(e, tmp, &reg.entries, node) {
		list_del(&e->node);
		kfree(e);
	}
	reg.count = 0;
	rmc_space_destroy(reg.space);
	rmk_poll_wake();
	mutex_destroy(&reg.lock);
}

unsigned int rmk_registry_count(void)
{
	return READ_ONCE(reg.count);
}

/* Keys: 1..RMACH_KEY_MAX-1 bytes of [A-Za-z0-9._:/-], NUL-terminated. */
static int rmk_key_check(const char *key)
{
	size_t i, len = strnlen(key, RMACH_KEY_MAX);

	if (len == 0 || len == RMACH_KEY_MAX)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		char c = key[i];

		if (!isalnum(c) && !strchr("._:/-", c))
			return -EINVAL;
	}
	/* Bytes after the NUL are reserved. */
	for (i = len; i < RMACH_KEY_MAX; i++)
		if (key[i])
			return -EINVAL;
	return 0;
}

static struct rmk_reg_entry *rmk_reg_find(const char *key)
{
	struct rmk_reg_entry *e;

	list_for_each_entry(e, &reg.entries, node)
		if (!strcmp(e->key, key))
			return e;
	return NULL;
}

static bool rmk_reg_may_change(const struct rmk_reg_entry *e)
{
	return uid_eq(e->uid, current_euid()) || capable(CAP_SYS_ADMIN);
}

static unsigned int rmk_reg_count_uid(kuid_t uid)
{
	struct rmk_reg_entry *e;
	unsigned int n = 0;

	list_for_each_entry(e, &reg.entries, node)
		n += uid_eq(e->uid, uid);
	return n;
}

static void rmk_reg_drop(struct rmk_reg_entry *e)
{
	rmc_port_deallocate(reg.space, e->name);
	list_del(&e->node);
	reg.count--;
	kfree(e);
}

static long rmk_reg_register(struct rmk_file *rf, struct rmach_registry *r)
{
	struct rmk_reg_entry *old, *e;
	unsigned int got;
	rmc_ret_t ret;
	long err;

	if (r->flags & ~RMACH_REG_REPLACE)
		return -EINVAL;
	if (r->disposition != RMACH_MSG_TYPE_COPY_SEND &&
	    r->disposition != RMACH_MSG_TYPE_MAKE_SEND &&
	    r->disposition != RMACH_MSG_TYPE_MOVE_SEND)
		return -EINVAL;

	e = kzalloc(sizeof(*e), GFP_KERNEL_ACCOUNT);
	if (!e)
		return -ENOMEM;
	memcpy(e->key, r->key, RMACH_KEY_MAX);
	e->uid = current_euid();

	mutex_lock(&reg.lock);
	old = rmk_reg_find(r->key);
	if (old && !(r->flags & RMACH_REG_REPLACE)) {
		err = -EEXIST;
		goto out_unlock;
	}
	if (old && !rmk_reg_may_change(old)) {
		err = -EACCES;
		goto out_unlock;
	}
	if (!old && rmk_registry_max && reg.count >= rmk_registry_max) {
		err = -ENOSPC;
		goto out_unlock;
	}
	if ((!old || !uid_eq(old->uid, e->uid)) && rmk_registry_per_user &&
	    rmk_reg_count_uid(e->uid) >= rmk_registry_per_user) {
		err = -EDQUOT;
		goto out_unlock;
	}
	ret = rmc_extract_right(rf->space, r->name, r->disposition, reg.space,
				&e->name, &got);
	if (ret != RMC_SUCCESS) {
		err = rmk_errno(ret);
		goto out_unlock;
	}
	if (old)
		rmk_reg_drop(old);
	list_add_tail(&e->node, &reg.entries);
	reg.count++;
	e = NULL;
	err = 0;

out_unlock:
	mutex_unlock(&reg.lock);
	kfree(e);
	return err;
}

static long rmk_reg_look_up(struct rmk_file *rf, struct rmach_registry *r,
			    struct rmach_registry __user *arg)
{
	struct rmk_reg_entry *e;
	unsigned int got;
	rmc_ret_t ret;
	u32 type;
	long err;

	if (r->flags || r->name || r->disposition)
		return -EINVAL;

	mutex_lock(&reg.lock);
	e = rmk_reg_find(r->key);
	if (!e) {
		err = -ENOENT;
		goto out_unlock;
	}
	ret = rmc_port_type(reg.space, e->name, &type);
	if (ret != RMC_SUCCESS || (type & RMC_TYPE_DEAD_NAME)) {
		/* The service died: forget it. */
		rmk_reg_drop(e);
		err = -EPIPE;
		goto out_unlock;
	}
	ret = rmc_extract_right(reg.space, e->name, RMC_COPY_SEND, rf->space,
				&r->name, &got);
	if (ret != RMC_SUCCESS) {
		err = rmk_errno(ret);
		goto out_unlock;
	}
	r->disposition = got;
	err = 0;
	if (copy_to_user(arg, r, sizeof(*r))) {
		rmc_port_deallocate(rf->space, r->name);
		err = -EFAULT;
	}
out_unlock:
	mutex_unlock(&reg.lock);
	return err;
}

static long rmk_reg_unregister(struct rmach_registry *r)
{
	struct rmk_reg_entry *e;
	long err = 0;

	if (r->flags || r->name || r->disposition)
		return -EINVAL;
	mutex_lock(&reg.lock);
	e = rmk_reg_find(r->key);
	if (!e)
		err = -ENOENT;
	else if (!rmk_reg_may_change(e))
		err = -EACCES;
	else
		rmk_reg_drop(e);
	mutex_unlock(&reg.lock);
	return err;
}

long rmk_ioctl_registry(struct rmk_file *rf, unsigned int cmd,
			void __user *arg)
{
	struct rmach_registry r;
	long err;

	if (copy_from_user(&r, arg, sizeof(r)))
		return -EFAULT;
	if (r.reserved)
		return -EINVAL;
	err = rmk_key_check(r.key);
	if (err)
		return err;

	switch (cmd) {
	case RMACH_IOC_REGISTER:
		return rmk_reg_register(rf, &r);
	case RMACH_IOC_LOOK_UP:
		return rmk_reg_look_up(rf, &r, arg);
	case RMACH_IOC_UNREGISTER:
		return rmk_reg_unregister(&r);
	}
	return -ENOTTY;
}
