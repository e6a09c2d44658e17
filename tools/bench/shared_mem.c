// SPDX-License-Identifier: GPL-2.0
/* Memory both benchmark processes see: mapped before fork, unmapped after. */
#include <errno.h>
#include <sys/mman.h>

#include "transport.h"

int map_shared(struct channel *ch, size_t bytes)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return -errno;
	ch->shared = p;
	return 0;
}

void unmap_shared(struct channel *ch, size_t bytes)
{
	if (ch->shared)
		munmap(ch->shared, bytes);
	ch->shared = NULL;
}
