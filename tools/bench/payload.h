/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Message contents for --verify runs: every byte depends on the message index,
 * and the server's reply is a transform of the request, so a transport that
 * drops, reorders, truncates or echoes the client's own buffer is caught.
 */
#ifndef RMACH_BENCH_PAYLOAD_H
#define RMACH_BENCH_PAYLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

static inline uint8_t pattern_byte(uint64_t index, size_t pos)
{
	return (uint8_t)(index * 131 + pos * 7 + (pos >> 8) + 1);
}

static inline void fill_pattern(unsigned char *buf, size_t len, uint64_t index)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = pattern_byte(index, i);
}

static inline bool check_pattern(const unsigned char *buf, size_t len, uint64_t index,
				 uint8_t xor)
{
	for (size_t i = 0; i < len; i++)
		if (buf[i] != (pattern_byte(index, i) ^ xor))
			return false;
	return true;
}

#define REPLY_XOR 0xA5	/* the server's transform: reply = request ^ REPLY_XOR */

#endif
