/* SPDX-License-Identifier: MIT */
/*
 * model.h - a reference model of copy-in for the core fuzzer.
 *
 * The model keeps its own copy of every space's names (the logical view:
 * a name of a dead port is a dead name) and, written independently of
 * core/right.c in the plainest way, predicts what rmc_msg_send returns and
 * what the sender's names look like afterwards. The fuzzer compares.
 */
#ifndef CORE_MODEL_H
#define CORE_MODEL_H

#include <stdbool.h>
#include "rmach_core.h"

#define MODEL_SPACES 3
#define MODEL_ENTRIES 2048

struct model_entry {
	rmc_name_t name;
	uint32_t type;		/* RMC_TYPE_* bits */
	uint32_t urefs;
	const void *port;	/* identity; NULL for dead names and sets */
};

struct model {
	struct model_entry ent[MODEL_SPACES][MODEL_ENTRIES];
	unsigned n[MODEL_SPACES];
	bool overflow[MODEL_SPACES];
	int pending;		/* space with a predicted table, or -1 */
};

void model_init(struct model *m);
void model_space_reset(struct model *m, unsigned s);
/* Takes the logical view of every space from the real tables. */
void model_resync(struct model *m, struct rmc_space **spaces);
/* Predicts rmc_msg_send(spaces[s], msg) and the sender's names after it. */
rmc_ret_t model_send_predict(struct model *m, struct rmc_space **spaces,
			     unsigned s, const struct rmc_msg *msg);
/* Predicts rmc_port_mod_refs / rmc_port_deallocate (right = -1: deallocate)
 * and the names afterwards (except when a receive right dies). */
rmc_ret_t model_mod_refs_predict(struct model *m, unsigned s, rmc_name_t name,
				 int right, int32_t delta);
/* Predicts the result of rmc_insert_right(spaces[to], name, spaces[from],
 * from_name, disp) when no allocation fails (names are not predicted). */
rmc_ret_t model_insert_predict(struct model *m, unsigned to, rmc_name_t name,
			       unsigned from, rmc_name_t from_name,
			       unsigned disp);
/* Compares a pending prediction with the real tables (aborts on a
 * difference), then resyncs. */
void model_compare(struct model *m, struct rmc_space **spaces);

#endif
