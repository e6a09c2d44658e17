// SPDX-License-Identifier: MIT
/*
 * fault.c - fault injection (CONFIG_FAILSLAB, CONFIG_FAIL_PAGE_ALLOC,
 * CONFIG_FAULT_INJECTION_DEBUG_FS; the debug kernel has them).
 *
 * Two modes, both aimed only at the fuzzer's own tasks:
 *  - nth (FZ_FAULT_NTH): before a chosen call a thread writes N to its
 *    /proc/thread-self/fail-nth, so the N-th allocation of that one call
 *    fails, and reads it back after (0: the fault fired). Sweeping small N
 *    over every kind of call reaches every allocation failure path of the
 *    module deterministically, and the thread knows which call it hit, so
 *    ENOMEM/EFAULT without a fault are still bugs.
 *  - rate (FZ_FAULT_RATE): failslab and fail_page_alloc fail rate_pct % of
 *    the allocations of tasks with make-it-fail set (the workers): also the
 *    ones made in exit paths, space teardown and task work, which no single
 *    call owns.
 * Both need ignore-gfp-wait=N (GFP_KERNEL allocations may fail too) and
 * fail_page_alloc's min-order=0. verbose=0: an injected failure prints
 * nothing, so the console log stays a list of real problems. The knobs'
 * previous values are put back at the end, and "times" counts the faults
 * (it starts high and every failure decrements it).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fuzz.h"

#define FZ_FI_DIR	"/sys/kernel/debug/"
#define FZ_TIMES	2000000000LL

struct fz_knob {
	const char *attr;	/* failslab/ or fail_page_alloc/ file */
	const char *nth;	/* value in nth mode */
	char old[32];
	bool saved;
};

static struct fz_knob fz_knobs[] = {
	{ .attr = "failslab/ignore-gfp-wait", .nth = "N" },
	{ .attr = "failslab/verbose", .nth = "0" },
	{ .attr = "failslab/task-filter", .nth = "Y" },
	{ .attr = "failslab/interval", .nth = "1" },
	{ .attr = "failslab/space", .nth = "0" },
	{ .attr = "failslab/times", .nth = "2000000000" },
	{ .attr = "failslab/probability", .nth = "0" },
	{ .attr = "fail_page_alloc/ignore-gfp-wait", .nth = "N" },
	{ .attr = "fail_page_alloc/ignore-gfp-highmem", .nth = "N" },
	{ .attr = "fail_page_alloc/min-order", .nth = "0" },
	{ .attr = "fail_page_alloc/verbose", .nth = "0" },
	{ .attr = "fail_page_alloc/task-filter", .nth = "Y" },
	{ .attr = "fail_page_alloc/interval", .nth = "1" },
	{ .attr = "fail_page_alloc/space", .nth = "0" },
	{ .attr = "fail_page_alloc/times", .nth = "2000000000" },
	{ .attr = "fail_page_alloc/probability", .nth = "0" },
};
#define FZ_NKNOBS (sizeof(fz_knobs) / sizeof(fz_knobs[0]))

static int fz_read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

static int fz_write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	close(fd);
	return n < 0 ? -errno : 0;
}

/* 0, or -1 with a message when the kernel cannot inject what o asks. */
int fz_fault_setup(const struct fz_opts *o)
{
	char path[256], val[32];
	unsigned int i;

	if (!o->fault)
		return 0;
	if (access("/proc/self/fail-nth", W_OK) ||
	    access(FZ_FI_DIR "failslab/probability", W_OK) ||
	    access(FZ_FI_DIR "fail_page_alloc/probability", W_OK)) {
		fprintf(stderr, "%s: fault injection needs CONFIG_FAILSLAB, CONFIG_FAIL_PAGE_ALLOC and CONFIG_FAULT_INJECTION_DEBUG_FS (the debug kernel), and root\n",
			fz_prog);
		return -1;
	}
	for (i = 0; i < FZ_NKNOBS; i++) {
		struct fz_knob *k = &fz_knobs[i];
		const char *v = k->nth;

		snprintf(path, sizeof(path), FZ_FI_DIR "%s", k->attr);
		if (fz_read_file(path, k->old, sizeof(k->old)))
			continue;
		k->saved = true;
		if ((o->fault & FZ_FAULT_RATE) && strstr(k->attr, "probability")) {
			snprintf(val, sizeof(val), "%u", o->rate_pct);
			v = val;
		}
		if (fz_write_file(path, v)) {
			fprintf(stderr, "%s: cannot write %s\n", fz_prog, path);
			return -1;
		}
	}
	return 0;
}

static uint64_t fz_fault_count(const char *attr)
{
	char path[256], buf[32];
	long long left;

	snprintf(path, sizeof(path), FZ_FI_DIR "%s/times", attr);
	if (fz_read_file(path, buf, sizeof(buf)))
		return 0;
	left = atoll(buf);
	return left >= 0 && left <= FZ_TIMES ? (uint64_t)(FZ_TIMES - left) : 0;
}

/* Turns injection off, restores the knobs, says how many faults fired. */
void fz_fault_teardown(const struct fz_opts *o, uint64_t *slab_fails,
		       uint64_t *page_fails)
{
	char path[256];
	unsigned int i;

	*slab_fails = *page_fails = 0;
	if (!o->fault)
		return;
	fz_write_file(FZ_FI_DIR "failslab/probability", "0");
	fz_write_file(FZ_FI_DIR "fail_page_alloc/probability", "0");
	*slab_fails = fz_fault_count("failslab");
	*page_fails = fz_fault_count("fail_page_alloc");
	/* Backwards: probability (first in the table per attr) is last. */
	for (i = FZ_NKNOBS; i-- > 0;) {
		struct fz_knob *k = &fz_knobs[i];

		if (!k->saved)
			continue;
		snprintf(path, sizeof(path), FZ_FI_DIR "%s", k->attr);
		fz_write_file(path, k->old);
	}
}

void fz_fault_thread_init(struct fz_thread *t)
{
	t->nth_fd = -1;
	t->mif_fd = -1;
	if (t->p->o->fault & FZ_FAULT_NTH)
		t->nth_fd = open("/proc/thread-self/fail-nth",
				 O_RDWR | O_CLOEXEC);
	if (t->p->o->fault & FZ_FAULT_RATE) {
		t->mif_fd = fz_mif_open();
		/* Threads start quiet (see fz_quiet): faults from here on. */
		fz_mif_set(t->mif_fd, true);
	}
}

void fz_fault_thread_exit(struct fz_thread *t)
{
	if (t->nth_fd >= 0)
		close(t->nth_fd);
	if (t->mif_fd >= 0)
		close(t->mif_fd);
	t->nth_fd = t->mif_fd = -1;
}

/* This thread's /proc/thread-self/make-it-fail, or -1. */
int fz_mif_open(void)
{
	return open("/proc/thread-self/make-it-fail", O_WRONLY | O_CLOEXEC);
}

void fz_mif_set(int fd, bool on)
{
	if (fd >= 0 && write(fd, on ? "1" : "0", 1) != 1)
		return;
}

/*
 * Rate mode, around calls outside the module whose own failure paths leak
 * (io_uring_setup leaves xarray nodes of its task context behind when an
 * allocation fails halfway, kmemleak says) or that would only slow the run
 * down (fork, thread creation): the random faults pause.
 */
void fz_quiet(struct fz_thread *t, bool quiet)
{
	fz_mif_set(t->mif_fd, !quiet);
}

/* Arms a fault for the next call when the step asked for one. */
void fz_fault_before(struct fz_thread *t)
{
	char buf[16];
	uint32_t r, n;
	int len;

	t->injected = false;
	if (!t->arm || t->nth_fd < 0)
		return;
	/* Mostly the first allocations of a call, where most paths fail. */
	r = fz_below(&t->rng, 100);
	n = r < 60 ? fz_range(&t->rng, 1, 4) :
	    r < 90 ? fz_range(&t->rng, 5, 16) : fz_range(&t->rng, 17, 64);
	len = snprintf(buf, sizeof(buf), "%u", n);
	if (pwrite(t->nth_fd, buf, (size_t)len, 0) == len)
		atomic_fetch_add_explicit(&t->c->armed, 1,
					  memory_order_relaxed);
}

void fz_fault_after(struct fz_thread *t)
{
	char buf[16];
	ssize_t n;

	if (!t->arm || t->nth_fd < 0)
		return;
	t->arm = false;
	n = pread(t->nth_fd, buf, sizeof(buf) - 1, 0);
	if (n > 0) {
		buf[n] = 0;
		if (atoi(buf) == 0) {
			t->injected = true;
			atomic_fetch_add_explicit(&t->c->injected, 1,
						  memory_order_relaxed);
			return;
		}
	}
	if (pwrite(t->nth_fd, "0", 1, 0) != 1)
		t->nth_fd = -1;
}
