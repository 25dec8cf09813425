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
#include <string.h>

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

/*
 * Record types described once. Each public type has a descriptor: its
 * fields in encoding order, each with its kind (how it is encoded, decoded
 * and shown in JSON) and where it lives in struct trace_rec, and the part it
 * plays in keyframes. The encoder, the decoder, the JSON form, the writer's
 * keyed state and the string walks all follow these tables; adding a record
 * type is one descriptor plus its API call.
 */
enum tf_kind {
	TF_U32 = 1,	/* varint, uint32_t */
	TF_U64,		/* varint, uint64_t */
	TF_BYTE,	/* one byte, uint8_t */
	TF_DIR,		/* one byte 0 or 1, uint8_t */
	TF_BOOL,	/* one byte 0 or 1, bool */
	TF_DUR,		/* varint, sim_time >= 0 */
	TF_TREL,	/* varint: this sim_time minus the sim_time at .aux */
	TF_UID,		/* zigzag delta from the uid base, uint64_t */
	TF_LINKDIR,	/* varint link * 2 + dir: uint32_t at .off, uint8_t at .aux */
	TF_OPTID,	/* varint 0 for TRACE_NO_ID, else id + 1; uint32_t */
	TF_STR,		/* str, interned: const char * */
	TF_TEXT,	/* str, always literal (free text): const char * */
	TF_ADDR,	/* be32, uint32_t; JSON: a dotted quad */
	TF_MAC,		/* 6 bytes; JSON: aa:bb:cc:dd:ee:ff */
	TF_POS,		/* byte has_pos, then zz x, zz y: int32_t[2] */
	TF_HDR,		/* varint n <= 96, n bytes: pointer at .off, uint16_t at .aux */
	TF_ENUM,	/* varint; unknown values read as 0: an enum (int) */
	/* 2.2 */
	TF_UIDREF,	/* zigzag delta from the uid base, which it leaves as it
			 * is (rule 4 of section 4): uint64_t */
	TF_DATA,	/* varint n <= TRACE_DATA_MAX, n bytes: pointer at .off,
			 * uint32_t at .aux; always the last field */
};

/* Field flags. */
#define TFF_IFID	1u	/* only when the record's optid is not none */
#define TFF_TAIL	2u	/* optional trailing: absent when NULL / no bytes */
#define TFF_ARR2	4u	/* an array of 2 (in a .pair group) */

struct trace_field {
	const char *name;	/* JSON key, and the field in error messages */
	const char *name2;	/* TF_LINKDIR: the key of the direction */
	uint8_t kind, flags;
	uint8_t pair;		/* > 0: first of pair fields that are arrays of
				 * 2, encoded side by side (a0 b0 .. a1 b1 ..) */
	uint16_t off, aux;	/* offsets in struct trace_rec */
	const char *const *names;	/* TF_ENUM */
	unsigned names_n;
};

enum trace_role {
	TS_EVENT,	/* no state a keyframe restates */
	TS_DECL,	/* declaration: the prelude, or restated when late */
	TS_KEYED,	/* latest record per key, restated by keyframes */
	TS_PACKET,	/* packet, queue and link state the writer computes */
};

#define TRACE_KEY_MAX 4

struct trace_desc {
	const char *name;
	bool timed;		/* payload starts with the time delta */
	uint8_t role;		/* enum trace_role */
	uint8_t nfields;
	const struct trace_field *f;
	const uint8_t *json;	/* JSON order (field indices), NULL: as encoded */
	uint8_t nkey;		/* TS_KEYED: the fields that make the key */
	uint8_t key[TRACE_KEY_MAX];
	int8_t gone;		/* TS_KEYED: bool field that removes the key */
};

/* Indexed by type; .name NULL for codes that are not public types. */
extern const struct trace_desc trace_desc[TR_TYPE_MAX];

static inline const struct trace_desc *
trace_desc_of(unsigned type)
{
	return type < TR_TYPE_MAX && trace_desc[type].name != NULL ?
	    &trace_desc[type] : NULL;
}

/* Structural types (32-63) carry no time; every other type but the
 * topology and the keyframe starts with its time delta, even unknown ones. */
static inline bool
is_untimed(unsigned type)
{
	const struct trace_desc *d = trace_desc_of(type);

	return (d != NULL && !d->timed) || type == TR_KEYFRAME ||
	    (type >= 32 && type <= 63);
}

static inline bool
is_decl(unsigned type)
{
	const struct trace_desc *d = trace_desc_of(type);

	return d != NULL && d->role == TS_DECL;
}

/* Bytes of one element of a field of this kind (for .pair arrays). */
static inline unsigned
tf_size(unsigned kind)
{
	return kind == TF_U64 || kind == TF_DUR ? 8u : 4u;
}

_Static_assert(sizeof(enum trace_drop) == sizeof(int) &&
    sizeof(enum trace_proto) == sizeof(int), "enum fields are ints");

static inline int
tf_enum(const void *p)
{
	int v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline void *
rec_at(struct trace_rec *r, uint16_t off)
{
	return (char *)r + off;
}

static inline const void *
crec_at(const struct trace_rec *r, uint16_t off)
{
	return (const char *)r + off;
}

/*
 * A decoder of self-contained payloads (encoded from time 0 and uid 0, with
 * literal strings): the writer keeps its latest keyed records so, and
 * decodes them again for a keyframe. Strings in rec stay valid until the
 * next call.
 */
struct trace_reader *trace_decoder_new(void);
size_t trace_decoder_size(void);
void trace_decoder_free(struct trace_reader *rd);
int trace_decode_lit(struct trace_reader *rd, unsigned type, const uint8_t *p,
    size_t n, struct trace_rec *rec, char *err, size_t errlen);

/* Length of s capped at TRACE_TEXT_MAX without splitting a UTF-8 sequence. */
size_t trace_text_len(const char *s);
uint64_t trace_fnv1a(const void *p, size_t n);

#endif
