/*
 * trace_fmt.h - private to the trace: what the writer and the reader must
 * agree on byte for byte (record codes, framing sizes, varint and zigzag).
 * The format itself is docs/trace-format.md.
 */
#ifndef XCSIM_TRACE_FMT_H
#define XCSIM_TRACE_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trace.h"

/* Wire-only record types: never returned by the reader. */
#define TRW_STRDEF	32u
#define TRW_INDEX	33u

#define HEADER_SIZE	16u
#define TRAILER_SIZE	16u
#define KF_LEN_BYTES	5u	/* padded varint: keyframe length patched later */

extern const uint8_t xct_magic[8];
extern const uint8_t xct_trailer_magic[8];

static inline uint8_t *
put_uv(uint8_t *w, uint64_t v)
{
	while (v >= 0x80) {
		*w++ = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	*w++ = (uint8_t)v;
	return w;
}

static inline uint64_t
zz_enc(uint64_t v)
{
	/* v is the two's complement bit pattern of a signed delta. */
	return (v << 1) ^ (0 - (v >> 63));
}

static inline uint64_t
zz_dec(uint64_t z)
{
	return (z >> 1) ^ (0 - (z & 1));
}

static inline bool
is_topology(unsigned type)
{
	return type == TR_NODE || type == TR_IFACE || type == TR_LINK;
}

/* Declarations: the prelude before the first keyframe, restated by every
 * keyframe when declared late. Only the topology types lack a time delta. */
static inline bool
is_decl(unsigned type)
{
	return is_topology(type) || type == TR_QUEUE_DEF;
}

/* Structural types (32-63) carry no time; every other type but the
 * topology and the keyframe starts with its time delta, even unknown ones. */
static inline bool
is_untimed(unsigned type)
{
	return is_topology(type) || type == TR_KEYFRAME ||
	    (type >= 32 && type <= 63);
}


/* Length of s capped at TRACE_TEXT_MAX without splitting a UTF-8 sequence. */
size_t trace_text_len(const char *s);
uint64_t trace_fnv1a(const void *p, size_t n);

#endif
