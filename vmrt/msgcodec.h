/*
 * The body of a VM message: one value, serialised (deep copy), ports as
 * indices into the message's port descriptors.
 *
 *   value := 'i' int64 | 'f' float64 | 's' u32 len, bytes
 *          | 'l' u32 n, n values | 'd' u32 n, n (key, value) pairs
 *          | 'p' u32 descriptor index
 * little-endian, nesting at most VM_MAX_NESTING.
 */
#ifndef VMRT_MSGCODEC_H
#define VMRT_MSGCODEC_H

#include "repr.h"
#include "rmach_core.h"
#include "value.h"

enum vm_codec { VM_CODEC_OK, VM_CODEC_TOO_DEEP, VM_CODEC_TOO_BIG,
		VM_CODEC_TOO_MANY_PORTS, VM_CODEC_BAD_PORT, VM_CODEC_NOMEM,
		VM_CODEC_MALFORMED };

struct vm_encoder {
	struct vm_buf body;
	struct rmc_port_desc desc[RMC_MAX_DESC];
	uint32_t ndesc;
	uint32_t limit;          /* body bytes */
	struct rmc_space *space; /* where the port names live */
	uint32_t bad_port;       /* VM_CODEC_BAD_PORT: which name */
};

/* How a right named `name` in sp travels: MAKE_SEND for a receive right,
 * COPY_SEND for a send right, MOVE_SEND_ONCE for a send-once right; 0 if the
 * name is dead or no right (as_reply: MAKE_SEND_ONCE for a receive right). */
unsigned vm_port_disposition(struct rmc_space *sp, rmc_name_t name, bool as_reply);

int vm_encode(struct vm_encoder *e, vm_value v);
/* The body of an int or float: 9 bytes (the common message, encoded straight
 * into the message without the encoder). */
#define VM_SCALAR_BODY 9
void vm_encode_scalar(vm_value v, uint8_t out[VM_SCALAR_BODY]);
/* Decodes into heap; port i becomes desc[i].name. */
int vm_decode(struct vm_heap *heap, const uint8_t *body, uint32_t len,
	      const struct rmc_port_desc *desc, uint32_t ndesc, vm_value *out);

#endif
