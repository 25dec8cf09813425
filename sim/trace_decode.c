/*
 * trace_decode.c - bounds-checked decoding of one record payload, driven by
 * the record descriptors (trace_fmt.c), and the reader's string table.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "trace_read.h"

void
c_fail(struct cur *c, const char *field, const char *why)
{
	if (c->bad)
		return;
	c->bad = true;
	sim_err(c->err, c->errlen, "offset %" PRIu64 ": %s record: %s: %s",
	    c->off + (uint64_t)(c->p - c->start), c->what, field, why);
}

uint64_t
c_uv(struct cur *c, const char *field)
{
	uint64_t v = 0;
	unsigned shift = 0;
	const uint8_t *p = c->p;

	if (c->bad)
		return 0;
	for (;;) {
		if (p >= c->end) {
			c_fail(c, field, "runs past the end of the record");
			return 0;
		}
		if (shift == 63 && (*p & 0xfe)) {
			c_fail(c, field, "varint overflows 64 bits");
			return 0;
		}
		v |= (uint64_t)(*p & 0x7f) << shift;
		if (!(*p++ & 0x80))
			break;
		shift += 7;
	}
	c->p = p;
	return v;
}

static uint32_t
c_u32(struct cur *c, const char *field)
{
	uint64_t v = c_uv(c, field);

	if (v > UINT32_MAX) {
		c_fail(c, field, "value out of range");
		return 0;
	}
	return (uint32_t)v;
}

static uint8_t
c_byte(struct cur *c, const char *field)
{
	if (c->bad)
		return 0;
	if (c->p >= c->end) {
		c_fail(c, field, "runs past the end of the record");
		return 0;
	}
	return *c->p++;
}

static bool
c_bool(struct cur *c, const char *field)
{
	uint8_t b = c_byte(c, field);

	if (b > 1)
		c_fail(c, field, "boolean is neither 0 nor 1");
	return b == 1;
}

static const uint8_t *
c_bytes(struct cur *c, size_t n, const char *field)
{
	const uint8_t *p = c->p;

	if (c->bad)
		return NULL;
	if ((size_t)(c->end - c->p) < n) {
		c_fail(c, field, "runs past the end of the record");
		return NULL;
	}
	c->p += n;
	return p;
}

static uint32_t
c_be32(struct cur *c, const char *field)
{
	const uint8_t *p = c_bytes(c, 4, field);

	if (p == NULL)
		return 0;
	return get_be32(p);
}

static const char *
c_str(struct trace_reader *rd, struct cur *c, const char *field)
{
	uint64_t v = c_uv(c, field), id;
	const uint8_t *p;
	char *s;

	if (c->bad || v == 0)
		return NULL;
	if (v & 1) {
		if ((v >> 1) > TRACE_TEXT_MAX) {
			c_fail(c, field, "string longer than 255 bytes");
			return NULL;
		}
		p = c_bytes(c, (size_t)(v >> 1), field);
		if (p == NULL)
			return NULL;
		SIM_ASSERT(rd->nlit < 5, "trace: too many strings");
		s = rd->lit[rd->nlit++];
		memcpy(s, p, (size_t)(v >> 1));
		s[v >> 1] = '\0';
		return s;
	}
	id = v / 2 - 1;
	if (id >= rd->sn) {
		c_fail(c, field, "reference to an undefined string");
		return NULL;
	}
	return rd->sarena + rd->soff[id];
}

void
st_reset(struct trace_reader *rd)
{
	rd->sn = 0;
	rd->salen = 0;
}

int
st_add(struct trace_reader *rd, const uint8_t *p, size_t n, uint64_t off,
    char *err, size_t errlen)
{
	if (n > TRACE_TEXT_MAX || rd->sn >= STRTAB_LIMIT) {
		sim_err(err, errlen, "offset %" PRIu64 ": string definition: %s",
		    off, n > TRACE_TEXT_MAX ? "longer than 255 bytes" :
		    "too many strings since the last keyframe");
		return -1;
	}
	if (rd->sn == rd->scap) {
		rd->scap = rd->scap ? 2 * rd->scap : 256;
		rd->soff = xrealloc(rd->soff, rd->scap * sizeof(*rd->soff));
	}
	while (rd->sacap - rd->salen < n + 1) {
		rd->sacap = rd->sacap ? 2 * rd->sacap : 16384;
		rd->sarena = xrealloc(rd->sarena, rd->sacap);
	}
	memcpy(rd->sarena + rd->salen, p, n);
	rd->sarena[rd->salen + n] = '\0';
	rd->soff[rd->sn++] = (uint32_t)rd->salen;
	rd->salen += n + 1;
	return 0;
}

/* Decode one field (element e of a .pair array) from the cursor. Inlined
 * into decode(): one switch per field. */
static inline __attribute__((always_inline)) void
get_field(struct trace_reader *rd, struct cur *c, struct trace_rec *rec,
    const struct trace_field *f, unsigned e)
{
	void *p = rec_at(rec, (uint16_t)(f->off + e * tf_size(f->kind)));
	const uint8_t *b;
	uint64_t v;
	int32_t pos[2];
	int i;

	switch (f->kind) {
	case TF_U32:
		*(uint32_t *)p = c_u32(c, f->name);
		break;
	case TF_ADDR:
		*(uint32_t *)p = c_be32(c, f->name);
		break;
	case TF_U64:
		*(uint64_t *)p = c_uv(c, f->name);
		break;
	case TF_BYTE:
		*(uint8_t *)p = c_byte(c, f->name);
		break;
	case TF_DIR:
		*(uint8_t *)p = c_byte(c, f->name);
		if (*(uint8_t *)p > 1)
			c_fail(c, f->name, "neither 0 nor 1");
		break;
	case TF_BOOL:
		*(bool *)p = c_bool(c, f->name);
		break;
	case TF_DUR:
		*(sim_time *)p = (sim_time)c_uv(c, f->name);
		break;
	case TF_TREL:
		*(sim_time *)p = (sim_time)(*(uint64_t *)rec_at(rec, f->aux) +
		    c_uv(c, f->name));
		break;
	case TF_UID:
		rd->ubase += zz_dec(c_uv(c, f->name));
		*(uint64_t *)p = rd->ubase;
		break;
	case TF_UIDREF:
		*(uint64_t *)p = rd->ubase + zz_dec(c_uv(c, f->name));
		break;
	case TF_DATA:
		v = c_uv(c, "data_len");
		if (v > TRACE_DATA_MAX) {
			c_fail(c, "data_len", "longer than 16384 bytes");
			break;
		}
		*(uint32_t *)rec_at(rec, f->aux) = (uint32_t)v;
		*(const uint8_t **)p = c_bytes(c, (size_t)v, f->name);
		break;
	case TF_LINKDIR:
		v = c_uv(c, f->name);
		if (v >> 33)
			c_fail(c, f->name, "value out of range");
		*(uint32_t *)p = (uint32_t)(v >> 1);
		*(uint8_t *)rec_at(rec, f->aux) = v & 1;
		break;
	case TF_OPTID:
		v = c_uv(c, f->name);
		if (v > UINT32_MAX)
			c_fail(c, f->name, "value out of range");
		*(uint32_t *)p = v == 0 ? TRACE_NO_ID : (uint32_t)(v - 1);
		break;
	case TF_STR:
	case TF_TEXT:
		*(const char **)p = c_str(rd, c, f->name);
		break;
	case TF_MAC:
		b = c_bytes(c, 6, f->name);
		if (b != NULL)
			memcpy(p, b, 6);
		break;
	case TF_POS:
		pos[0] = pos[1] = TRACE_POS_AUTO;
		if (c_bool(c, f->name)) {
			for (i = 0; i < 2; i++) {
				v = zz_dec(c_uv(c, f->name));
				if ((int64_t)v < INT32_MIN ||
				    (int64_t)v > INT32_MAX)
					c_fail(c, f->name, "out of range");
				pos[i] = (int32_t)(int64_t)v;
			}
		}
		memcpy(p, pos, sizeof(pos));
		break;
	case TF_HDR:
		v = c_uv(c, "hdr_len");
		if (v > TRACE_HDR_MAX) {
			c_fail(c, "hdr_len", "longer than 96 bytes");
			break;
		}
		*(uint16_t *)rec_at(rec, f->aux) = (uint16_t)v;
		*(const uint8_t **)p = c_bytes(c, (size_t)v, f->name);
		break;
	case TF_ENUM:
		v = c_uv(c, f->name);
		/* A value from a newer writer reads as 0 (none, unknown). */
		i = v < f->names_n ? (int)v : 0;
		memcpy(p, &i, sizeof(i));
		break;
	}
}

/*
 * Decode one payload of the given type into rec. Returns 1 for a record to
 * hand out, 0 for a type this reader does not know (skipped; its leading
 * time delta still advances the time base), -1 on corruption.
 */
int
decode(struct trace_reader *rd, unsigned type, const uint8_t *p, size_t n,
    uint64_t off, struct trace_rec *rec, char *err, size_t errlen)
{
	struct cur c = { p, p + n, p, off, "unknown", err, errlen, false };
	const struct trace_desc *d = trace_desc_of(type);
	const struct trace_field *f;
	bool has_id = true;
	unsigned i, j, e;

	memset(rec, 0, sizeof(*rec));
	rd->nlit = 0;
	if (d != NULL)
		c.what = d->name;
	if (is_untimed(type)) {
		rec->t = rd->tbase;
	} else {
		rec->t = (sim_time)((uint64_t)rd->tbase +
		    zz_dec(c_uv(&c, "time")));
		if (c.bad)
			return -1;
		rd->tbase = rec->t;
	}
	if (d == NULL || type == TR_KEYFRAME)
		return 0;	/* skipped; still counted by the index */
	rec->type = (enum trace_type)type;
	for (i = 0; i < d->nfields && !c.bad; i++) {
		f = &d->f[i];
		if (__builtin_expect(f->flags == 0 && f->pair == 0 &&
		    f->kind != TF_OPTID, 1)) {
			get_field(rd, &c, rec, f, 0);
			continue;
		}
		if ((f->flags & TFF_IFID) && !has_id)
			continue;
		if ((f->flags & TFF_TAIL) && c.p == c.end)
			continue;
		if (f->pair == 0) {
			get_field(rd, &c, rec, f, 0);
		} else {
			for (e = 0; e < 2; e++)
				for (j = 0; j < f->pair; j++)
					get_field(rd, &c, rec, f + j, e);
			i += f->pair - 1u;
		}
		if (f->kind == TF_OPTID)
			has_id = *(uint32_t *)rec_at(rec, f->off) !=
			    TRACE_NO_ID;
	}
	/* Bytes after the known fields belong to a newer minor version. */
	return c.bad ? -1 : 1;
}


struct trace_reader *
trace_decoder_new(void)
{
	return xcalloc(1, sizeof(struct trace_reader));
}

size_t
trace_decoder_size(void)
{
	return sizeof(struct trace_reader);
}

void
trace_decoder_free(struct trace_reader *rd)
{
	free(rd);
}

int
trace_decode_lit(struct trace_reader *rd, unsigned type, const uint8_t *p,
    size_t n, struct trace_rec *rec, char *err, size_t errlen)
{
	rd->tbase = 0;
	rd->ubase = 0;
	return decode(rd, type, p, n, 0, rec, err, errlen);
}
