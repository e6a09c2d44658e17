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
 * Each registered name has a dead-name request whose notification goes to
 * reg.notify, a port of the registry space; the notifications are drained
 * (entries of dead services dropped) before every registry operation, after
 * every space teardown and before the debugfs count is read. After a
 * teardown and before a count, entries whose name is dead are dropped too
 * (rmk_reg_sweep: a notification may have been lost to a failed
 * allocation). A look-up that still finds a dead name drops it and answers
 * EPIPE.
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
	rmc_name_t notify;	/* receives dead-name notifications */
} reg;

int rmk_registry_init(void)
{
	rmc_ret_t ret;

	mutex_init(&reg.lock);
	INIT_LIST_HEAD(&reg.entries);
	/* Charged to nobody: entries are capped by count instead. */
	ret = rmc_space_create(rmk_dev.sys, NULL, &reg.space);
	if (ret != RMC_SUCCESS)
		return rmk_errno(ret);
	ret = rmc_port_allocate(reg.space, RMC_RIGHT_RECEIVE, &reg.notify);
	if (ret != RMC_SUCCESS) {
		rmc_space_destroy(reg.space);
		return rmk_errno(ret);
	}
	return 0;
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

/* Forgets every entry naming name, and the name itself. reg.lock held. */
static void rmk_reg_forget_name(rmc_name_t name)
{
	struct rmk_reg_entry *e, *tmp;

	list_for_each_entry_safe(e, tmp, &reg.entries, node) {
		if (e->name != name)
			continue;
		list_del(&e->node);
		reg.count--;
		kfree(e);
	}
	rmc_port_destroy(reg.space, name);
}

/* Drops the entries of services that died. reg.lock held. */
static void rmk_reg_drain(void)
{
	struct rmc_msg *msg;

	lockdep_assert_held(&reg.lock);
	while (rmc_msg_receive(reg.space, reg.notify, 64, RMC_OPT_NONE, NULL,
			       &msg, NULL) == RMC_SUCCESS) {
		u32 name;

		/* Port-deleted and send-once notifications need nothing. */
		if (msg->id == RMC_NOTIFY_DEAD_NAME &&
		    msg->body_size >= sizeof(name)) {
			memcpy(&name, msg->body, sizeof(name));
			rmk_reg_forget_name(name);
		}
		rmc_msg_free(rmk_dev.sys, msg);
	}
}

/*
 * Drops the entries whose port is dead. Normally a dead-name notification
 * says so (rmk_reg_drain); but the notification is lost when its message
 * cannot be allocated as the port dies, and an entry whose watch could not
 * be set up gets none: without this it would stay until a look-up found
 * it, counting against its uid's registry_per_user. reg.lock held.
 */
static void rmk_reg_sweep(void)
{
	struct rmk_reg_entry *e;
	rmc_name_t dead;
	u32 type;

	lockdep_assert_held(&reg.lock);
	do {
		dead = RMC_NAME_NULL;
		list_for_each_entry(e, &reg.entries, node) {
			if (rmc_port_type(reg.space, e->name, &type) !=
			    RMC_SUCCESS || (type & RMC_TYPE_DEAD_NAME)) {
				dead = e->name;
				break;
			}
		}
		/* Forgets every entry naming it: walk again from the top. */
		if (dead != RMC_NAME_NULL)
			rmk_reg_forget_name(dead);
	} while (dead != RMC_NAME_NULL);
}

/* After a space died: its registered ports are dead now. */
void rmk_registry_reap(void)
{
	mutex_lock(&reg.lock);
	rmk_reg_drain();
	rmk_reg_sweep();
	mutex_unlock(&reg.lock);
}

unsigned int rmk_registry_count(void)
{
	unsigned int n;

	mutex_lock(&reg.lock);
	rmk_reg_drain();
	rmk_reg_sweep();
	n = reg.count;
	mutex_unlock(&reg.lock);
	return n;
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

static bool rmk_reg_name_shared(const struct rmk_reg_entry *e)
{
	struct rmk_reg_entry *o;

	list_for_each_entry(o, &reg.entries, node)
		if (o != e && o->name == e->name)
			return true;
	return false;
}

/* Removes one entry; its uref goes, and the name with the last one. */
static void rmk_reg_drop(struct rmk_reg_entry *e)
{
	if (rmk_reg_name_shared(e))
		rmc_port_deallocate(reg.space, e->name);
	else
		rmc_port_destroy(reg.space, e->name);
	list_del(&e->node);
	reg.count--;
	kfree(e);
}

/* A new name in the registry space: be told when its port dies. */
static void rmk_reg_watch(struct rmk_reg_entry *e)
{
	rmc_name_t previous = RMC_NAME_NULL;

	if (rmk_reg_name_shared(e))
		return;
	/* On failure (memory) rmk_reg_sweep() finds the entry dead later. */
	if (rmc_port_request_notification(reg.space, e->name,
					  RMC_NOTIFY_DEAD_NAME, 1, reg.notify,
					  RMC_MAKE_SEND_ONCE,
					  &previous) == RMC_SUCCESS &&
	    previous != RMC_NAME_NULL)
		rmc_port_deallocate(reg.space, previous);
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
	rmk_reg_drain();
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
	/* The new entry first: it may share the old one's name. */
	list_add_tail(&e->node, &reg.entries);
	reg.count++;
	if (old)
		rmk_reg_drop(old);
	rmk_reg_watch(e);
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
	rmk_reg_drain();
	e = rmk_reg_find(r->key);
	if (!e) {
		err = -ENOENT;
		goto out_unlock;
	}
	ret = rmc_port_type(reg.space, e->name, &type);
	if (ret != RMC_SUCCESS || (type & RMC_TYPE_DEAD_NAME)) {
		/* The service died (its notification not queued yet). */
		rmk_reg_forget_name(e->name);
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
	rmk_reg_drain();
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
