/*
 * trace_read.c - the .xct reader: bounds-checked decoding, the index or a
 * scan of a cut trace, sequential reading and seeking through keyframes.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "trace_fmt.h"
#include "util.h"

#define REC_LEN_LIMIT	(1024u * 1024u * 1024u)	/* sanity bound */
#define STRTAB_LIMIT	(1u << 20)

struct kf_ent {
	sim_time t;
	uint64_t off;
};

enum rd_phase {
	RD_NORMAL,	/* records in file order */
	RD_TOPO,	/* after a seek: the topology prelude, then jump */
	RD_MARKER,	/* after a seek: the keyframe marker is next */
	RD_BODY,	/* after a seek: serving the keyframe's state */
};

/* Keyframes a seek serves: the target and its chain of bases. */
#define KF_CHAIN_MAX 64

struct trace_reader {
	FILE *f;
	uint64_t size;		/* file size */
	uint64_t data_end;	/* where the record stream stops */
	uint64_t pos;		/* offset of the next frame */
	uint64_t topo_end;
	uint32_t major, minor;
	bool indexed;
	bool at_cut;		/* the last next() stopped at the cut */
	char trunc_msg[192];	/* why the stream stops at data_end */
	sim_time end_time;
	uint64_t nrec, nread;
	bool counting;		/* reading from the start: check nrec */
	struct kf_ent *kfs;	/* ascending */
	size_t nkf;

	enum rd_phase phase;
	uint64_t seek_kf;
	uint64_t chain[KF_CHAIN_MAX];	/* [0] the target, then its bases */
	unsigned nchain, ci;		/* ci: the one being served */
	sim_time seek_k;		/* the target's time */
	sim_time tbase;
	uint64_t ubase;

	/* interned strings: offsets into one arena of NUL-terminated text */
	uint32_t *soff;
	size_t sn, scap;
	char *sarena;
	size_t salen, sacap;

	uint8_t *pl;		/* payload of the current frame */
	size_t plcap;
	uint8_t *kb;		/* the keyframe being served */
	size_t kbcap, kblen, kbpos;
	uint64_t kboff;		/* file offset of kb[0] */
	sim_time kt;

	char lit[5][TRACE_TEXT_MAX + 1];
	int nlit;
};

/* A bounds-checked decoding cursor over one payload. */
struct cur {
	const uint8_t *p, *end, *start;
	uint64_t off;		/* file offset of start */
	const char *what;	/* record type name, for messages */
	char *err;
	size_t errlen;
	bool bad;
};

static void
c_fail(struct cur *c, const char *field, const char *why)
{
	if (c->bad)
		return;
	c->bad = true;
	sim_err(c->err, c->errlen, "offset %" PRIu64 ": %s record: %s: %s",
	    c->off + (uint64_t)(c->p - c->start), c->what, field, why);
}

static uint64_t
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
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
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

static void
st_reset(struct trace_reader *rd)
{
	rd->sn = 0;
	rd->salen = 0;
}

static int
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

/* Decode one field (element e of a .pair array) from the cursor. */
static void
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
static int
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

/* One varint from the file; -1 at the end of the data or on overflow. */
static int
rd_uv(struct trace_reader *rd, uint64_t *out, const char *field,
    uint64_t start, char *err, size_t errlen)
{
	uint64_t v = 0;
	unsigned shift = 0;
	int ch;

	for (;;) {
		if (rd->pos >= rd->data_end) {
			if (!rd->indexed && rd->pos >= rd->size)
				sim_err(err, errlen, "offset %" PRIu64 ": record "
				    "%s cut off by the end of the file: the "
				    "trace is truncated", start, field);
			else
				sim_err(err, errlen, "offset %" PRIu64 ": record "
				    "%s runs past the end of the records at "
				    "%" PRIu64, start, field, rd->data_end);
			return -1;
		}
		ch = getc(rd->f);
		if (ch == EOF) {
			sim_err(err, errlen, "offset %" PRIu64 ": read error or "
			    "unexpected end of file", rd->pos);
			return -1;
		}
		rd->pos++;
		if (shift == 63 && (ch & 0xfe)) {
			sim_err(err, errlen, "offset %" PRIu64 ": record %s: "
			    "varint overflows 64 bits", start, field);
			return -1;
		}
		v |= (uint64_t)(ch & 0x7f) << shift;
		if (!(ch & 0x80))
			break;
		shift += 7;
	}
	*out = v;
	return 0;
}

/* Read the frame at rd->pos into rd->pl. */
static int
rd_frame(struct trace_reader *rd, unsigned *type, size_t *len,
    uint64_t *start, char *err, size_t errlen)
{
	uint64_t t, n;

	*start = rd->pos;
	if (rd_uv(rd, &t, "type", *start, err, errlen) != 0 ||
	    rd_uv(rd, &n, "length", *start, err, errlen) != 0)
		return -1;
	if (t > 0xffff) {
		sim_err(err, errlen, "offset %" PRIu64 ": record type %" PRIu64
		    " is not valid", *start, t);
		return -1;
	}
	if (n > rd->data_end - rd->pos || n > REC_LEN_LIMIT) {
		if (!rd->indexed && rd->data_end == rd->size)
			sim_err(err, errlen, "offset %" PRIu64 ": record of "
			    "type %" PRIu64 " needs %" PRIu64 " bytes, the file "
			    "has %" PRIu64 " left: the trace is truncated",
			    *start, t, n, rd->data_end - rd->pos);
		else
			sim_err(err, errlen, "offset %" PRIu64 ": record of "
			    "type %" PRIu64 " claims %" PRIu64 " bytes, beyond "
			    "the end of the records at %" PRIu64, *start, t, n,
			    rd->data_end);
		return -1;
	}
	if (n > rd->plcap || rd->pl == NULL) {
		/* never NULL: an empty payload still gets a valid cursor */
		rd->plcap = n > 64 ? n : 64;
		rd->pl = xrealloc(rd->pl, rd->plcap);
	}
	if (n > 0 && fread(rd->pl, 1, (size_t)n, rd->f) != n) {
		sim_err(err, errlen, "offset %" PRIu64 ": read error",
		    rd->pos);
		return -1;
	}
	rd->pos += n;
	*type = (unsigned)t;
	*len = (size_t)n;
	return 0;
}

static int
rd_goto(struct trace_reader *rd, uint64_t off, char *err, size_t errlen)
{
	if (fseeko(rd->f, (off_t)off, SEEK_SET) != 0) {
		sim_err(err, errlen, "offset %" PRIu64 ": seek: %s", off,
		    strerror(errno));
		return -1;
	}
	rd->pos = off;
	return 0;
}

/* Parse a keyframe's head: time, back-pointer and (version 2) the base
 * whose keyed state this one's delta applies to, 0 for none. *body: where
 * the body starts within the payload. */
static int
kf_head(const struct trace_reader *rd, const uint8_t *p, size_t n,
    uint64_t off, sim_time *k, uint64_t *base, size_t *body, char *err,
    size_t errlen)
{
	struct cur c = { p, p + n, p, off, "keyframe", err, errlen, false };

	*k = (sim_time)c_uv(&c, "time");
	(void)c_uv(&c, "previous");
	*base = rd->major >= 2 ? c_uv(&c, "base") : 0;
	if (!c.bad && *base != 0 && (*base >= off || *base < HEADER_SIZE))
		c_fail(&c, "base", "not an earlier keyframe");
	if (c.bad)
		return -1;
	*body = (size_t)(c.p - p);
	return 0;
}

/*
 * Walk the frames nested in a keyframe body. Sequential reading only needs
 * the string definitions from it; the state records are skipped.
 */
static int
kf_strings(struct trace_reader *rd, const uint8_t *p, size_t n, uint64_t off,
    char *err, size_t errlen)
{
	struct cur c = { p, p + n, p, off, "keyframe", err, errlen, false };
	uint64_t type, len;
	uint64_t at;

	while (c.p < c.end) {
		at = off + (uint64_t)(c.p - p);
		type = c_uv(&c, "nested type");
		len = c_uv(&c, "nested length");
		if (!c.bad && len > (uint64_t)(c.end - c.p))
			c_fail(&c, "nested record", "runs past the keyframe");
		if (c.bad)
			return -1;
		if (type == TRW_STRDEF &&
		    st_add(rd, c.p, (size_t)len, at, err, errlen) != 0)
			return -1;
		if (type == TR_KEYFRAME || type == TRW_INDEX) {
			c_fail(&c, "nested record", "keyframe or index inside "
			    "a keyframe");
			return -1;
		}
		c.p += len;
	}
	return 0;
}

static int
read_header(struct trace_reader *rd, char *err, size_t errlen)
{
	uint8_t h[HEADER_SIZE];
	uint32_t flags;

	if (rd->size < HEADER_SIZE ||
	    fread(h, 1, HEADER_SIZE, rd->f) != HEADER_SIZE) {
		sim_err(err, errlen, "offset 0: file too short for the "
		    "%u-byte header", HEADER_SIZE);
		return -1;
	}
	if (memcmp(h, xct_magic, 8) != 0) {
		sim_err(err, errlen, "offset 0: bad magic: not an xcsim trace");
		return -1;
	}
	rd->major = (uint32_t)h[8] | (uint32_t)h[9] << 8;
	rd->minor = (uint32_t)h[10] | (uint32_t)h[11] << 8;
	flags = (uint32_t)h[12] | (uint32_t)h[13] << 8 |
	    (uint32_t)h[14] << 16 | (uint32_t)h[15] << 24;
	if (rd->major != TRACE_VERSION && rd->major != 1) {
		sim_err(err, errlen, "offset 8: trace format version %u, this "
		    "reader knows version %u", rd->major, TRACE_VERSION);
		return -1;
	}
	if (flags & 0xffff0000u) {
		sim_err(err, errlen, "offset 12: unknown required feature "
		    "flags 0x%08x", flags & 0xffff0000u);
		return -1;
	}
	rd->pos = HEADER_SIZE;
	return 0;
}

/* 1: valid index loaded; 0: no trailer (truncated); -1: corrupt. */
static int
read_index(struct trace_reader *rd, char *err, size_t errlen)
{
	uint8_t tb[TRAILER_SIZE], *p;
	uint64_t ioff, n, i, start;
	unsigned type;
	size_t len;

	if (rd->size < HEADER_SIZE + TRAILER_SIZE + 2 ||
	    rd_goto(rd, rd->size - TRAILER_SIZE, err, errlen) != 0 ||
	    fread(tb, 1, TRAILER_SIZE, rd->f) != TRAILER_SIZE ||
	    memcmp(tb + 8, xct_trailer_magic, 8) != 0)
		return 0;
	ioff = get_le64(tb);
	if (ioff < HEADER_SIZE || ioff >= rd->size - TRAILER_SIZE) {
		sim_err(err, errlen, "offset %" PRIu64 ": trailer points to an "
		    "index at %" PRIu64 ", outside the file", rd->size -
		    TRAILER_SIZE, ioff);
		return -1;
	}
	rd->data_end = rd->size - TRAILER_SIZE;
	rd->indexed = true;
	if (rd_goto(rd, ioff, err, errlen) != 0 ||
	    rd_frame(rd, &type, &len, &start, err, errlen) != 0)
		return -1;
	p = rd->pl;
	if (type != TRW_INDEX || len < 32 || rd->pos != rd->data_end) {
		sim_err(err, errlen, "offset %" PRIu64 ": the trailer does not "
		    "point to an index that ends at the trailer", ioff);
		return -1;
	}
	rd->end_time = (sim_time)get_le64(p);
	rd->nrec = get_le64(p + 8);
	rd->topo_end = get_le64(p + 16);
	n = get_le64(p + 24);
	if (n != (len - 32) / 16 || (len - 32) % 16 != 0 ||
	    rd->topo_end < HEADER_SIZE || rd->topo_end > ioff) {
		sim_err(err, errlen, "offset %" PRIu64 ": index header is "
		    "inconsistent (%" PRIu64 " keyframes in %zu bytes)", ioff,
		    n, len);
		return -1;
	}
	rd->kfs = xcalloc(n ? n : 1, sizeof(*rd->kfs));
	rd->nkf = n;
	for (i = 0; i < n; i++) {
		/* stored newest first */
		rd->kfs[n - 1 - i].t = (sim_time)get_le64(p + 32 + 16 * i);
		rd->kfs[n - 1 - i].off = get_le64(p + 40 + 16 * i);
	}
	for (i = 0; i < n; i++) {
		if (rd->kfs[i].off < rd->topo_end || rd->kfs[i].off >= ioff ||
		    (i > 0 && (rd->kfs[i].off <= rd->kfs[i - 1].off ||
		    rd->kfs[i].t < rd->kfs[i - 1].t))) {
			sim_err(err, errlen, "offset %" PRIu64 ": index entry "
			    "%" PRIu64 " is out of order or out of the file",
			    ioff + 32 + 16 * (n - 1 - i), i);
			return -1;
		}
	}
	rd->data_end = ioff;
	return 1;
}

/*
 * No index: scan the frames once to find the keyframes, the end of the
 * topology and the last intact record. The stream then ends there, and
 * reading to that point reports why.
 */
static void
scan(struct trace_reader *rd)
{
	struct cur c;
	uint64_t start, base, cap = 0;
	unsigned type;
	size_t len;
	sim_time k;
	bool topo = true;

	rd->data_end = rd->size;
	rd->topo_end = HEADER_SIZE;
	rd->tbase = 0;
	if (rd_goto(rd, HEADER_SIZE, rd->trunc_msg,
	    sizeof(rd->trunc_msg)) != 0)
		return;
	for (;;) {
		if (rd->pos == rd->size) {
			sim_err(rd->trunc_msg, sizeof(rd->trunc_msg), "offset "
			    "%" PRIu64 ": the file ends without an index: the "
			    "trace is truncated (the writer did not finish)",
			    rd->pos);
			break;
		}
		if (rd_frame(rd, &type, &len, &start, rd->trunc_msg,
		    sizeof(rd->trunc_msg)) != 0) {
			rd->pos = start;
			break;
		}
		if (type == TRW_INDEX) {
			sim_err(rd->trunc_msg, sizeof(rd->trunc_msg), "offset "
			    "%" PRIu64 ": index found but the trailer after "
			    "it is missing: the trace is truncated", start);
			rd->pos = start;
			break;
		}
		if (type >= 32 && type <= 63)
			continue;	/* structural: STRDEF, or unknown */
		if (is_decl(type) && is_untimed(type)) {
			rd->nrec++;
			if (topo)
				rd->topo_end = rd->pos;
			continue;
		}
		if (!is_decl(type))
			topo = false;
		if (type == TR_KEYFRAME) {
			if (kf_head(rd, rd->pl, len, start, &k, &base, &len,
			    rd->trunc_msg, sizeof(rd->trunc_msg)) != 0) {
				rd->pos = start;
				break;
			}
			if (rd->nkf == cap) {
				cap = cap ? 2 * cap : 64;
				rd->kfs = xrealloc(rd->kfs,
				    cap * sizeof(*rd->kfs));
			}
			rd->kfs[rd->nkf].t = k;
			rd->kfs[rd->nkf++].off = start;
			rd->tbase = k;
			continue;
		}
		c = (struct cur){ rd->pl, rd->pl + len, rd->pl, start,
		    "timed", rd->trunc_msg, sizeof(rd->trunc_msg), false };
		rd->tbase = (sim_time)((uint64_t)rd->tbase +
		    zz_dec(c_uv(&c, "time")));
		if (c.bad) {
			rd->pos = start;
			break;
		}
		rd->nrec++;
		if (topo)
			rd->topo_end = rd->pos;
		if (rd->tbase > rd->end_time)
			rd->end_time = rd->tbase;
	}
	rd->data_end = rd->pos;
	rd->tbase = 0;
}

struct trace_reader *
trace_reader_open(const char *path, char *err, size_t errlen)
{
	struct trace_reader *rd;
	struct stat st;
	int rc;

	rd = xcalloc(1, sizeof(*rd));
	rd->f = fopen(path, "rb");
	if (rd->f == NULL) {
		sim_err(err, errlen, "%s: %s", path, strerror(errno));
		free(rd);
		return NULL;
	}
	if (fstat(fileno(rd->f), &st) != 0 || !S_ISREG(st.st_mode)) {
		sim_err(err, errlen, "%s: not a regular file", path);
		goto fail;
	}
	rd->size = (uint64_t)st.st_size;
	rd->data_end = rd->size;
	if (read_header(rd, err, errlen) != 0)
		goto fail;
	rc = read_index(rd, err, errlen);
	if (rc < 0)
		goto fail;
	if (rc == 0) {
		rd->indexed = false;
		scan(rd);
		sim_err(err, errlen, "warning: %s", rd->trunc_msg);
	}
	if (rd_goto(rd, HEADER_SIZE, err, errlen) != 0)
		goto fail;
	rd->counting = true;
	return rd;
fail:
	trace_reader_close(rd);
	return NULL;
}

void
trace_reader_close(struct trace_reader *rd)
{
	if (rd == NULL)
		return;
	fclose(rd->f);
	free(rd->kfs);
	free(rd->soff);
	free(rd->sarena);
	free(rd->pl);
	free(rd->kb);
	free(rd);
}

sim_time
trace_reader_end_time(const struct trace_reader *rd)
{
	return rd->end_time;
}

uint32_t
trace_reader_version(const struct trace_reader *rd)
{
	return rd->major;
}

bool
trace_reader_truncated(const struct trace_reader *rd)
{
	return !rd->indexed;
}

bool
trace_reader_at_cut(const struct trace_reader *rd)
{
	return rd->at_cut;
}

uint64_t
trace_reader_record_count(const struct trace_reader *rd)
{
	return rd->nrec;
}

/* Read the keyframe at off into rd->kb; *base: its base. */
static int
kf_read(struct trace_reader *rd, uint64_t off, sim_time *k, uint64_t *base,
    char *err, size_t errlen)
{
	uint64_t start;
	unsigned type;
	size_t len, body;

	if (rd_goto(rd, off, err, errlen) != 0 ||
	    rd_frame(rd, &type, &len, &start, err, errlen) != 0)
		return -1;
	if (type != TR_KEYFRAME) {
		sim_err(err, errlen, "offset %" PRIu64 ": the index points to "
		    "a record of type %u, not a keyframe", off, type);
		return -1;
	}
	if (kf_head(rd, rd->pl, len, start, k, base, &body, err,
	    errlen) != 0)
		return -1;
	if (len > rd->kbcap) {
		rd->kbcap = len;
		rd->kb = xrealloc(rd->kb, rd->kbcap);
	}
	memcpy(rd->kb, rd->pl, len);
	rd->kblen = len;
	rd->kbpos = body;
	rd->kboff = rd->pos - len;
	return 0;
}

/* Start serving chain[ci]: its own time and string context. */
static int
kf_serve(struct trace_reader *rd, char *err, size_t errlen)
{
	uint64_t base;

	if (kf_read(rd, rd->chain[rd->ci], &rd->kt, &base, err, errlen) != 0)
		return -1;
	rd->tbase = rd->kt;
	rd->ubase = 0;
	st_reset(rd);
	return 0;
}

/*
 * Prepare the seek's keyframe: find its chain of bases, so that the keyed
 * deltas of the bases (oldest first) and then the keyframe itself rebuild
 * its state. Marker next.
 */
static int
kf_load(struct trace_reader *rd, uint64_t off, char *err, size_t errlen)
{
	uint64_t base;
	sim_time k;

	rd->nchain = 0;
	for (base = off; base != 0; rd->nchain++) {
		if (rd->nchain == KF_CHAIN_MAX) {
			sim_err(err, errlen, "offset %" PRIu64 ": keyframe "
			    "chain longer than %u", off, KF_CHAIN_MAX);
			return -1;
		}
		rd->chain[rd->nchain] = base;
		if (kf_read(rd, base, &k, &base, err, errlen) != 0)
			return -1;
		if (rd->nchain == 0)
			rd->seek_k = k;
	}
	rd->ci = rd->nchain - 1;
	if (kf_serve(rd, err, errlen) != 0)
		return -1;
	rd->phase = RD_MARKER;
	return 0;
}

/* Next record nested in the keyframe being served: 1, 0 when done, -1. */
static int
kf_next(struct trace_reader *rd, struct trace_rec *rec, char *err,
    size_t errlen)
{
	struct cur c;
	uint64_t type, len, at;
	int rc;

	while (rd->kbpos < rd->kblen) {
		at = rd->kboff + rd->kbpos;
		c = (struct cur){ rd->kb + rd->kbpos, rd->kb + rd->kblen,
		    rd->kb + rd->kbpos, at, "keyframe", err, errlen, false };
		type = c_uv(&c, "nested type");
		len = c_uv(&c, "nested length");
		if (!c.bad && len > (uint64_t)(c.end - c.p))
			c_fail(&c, "nested record", "runs past the keyframe");
		if (!c.bad && (type == TR_KEYFRAME || type == TRW_INDEX))
			c_fail(&c, "nested record", "keyframe or index inside "
			    "a keyframe");
		if (c.bad)
			return -1;
		rd->kbpos = (size_t)(c.p - rd->kb) + (size_t)len;
		if (type == TRW_STRDEF) {
			if (st_add(rd, c.p, (size_t)len, at, err, errlen) != 0)
				return -1;
			continue;
		}
		rc = decode(rd, (unsigned)type, c.p, (size_t)len,
		    at + (uint64_t)(c.p - c.start), rec, err, errlen);
		/* From a base, only its keyed delta belongs to the state. */
		if (rc == 1 && rd->ci > 0 &&
		    trace_desc_of(rec->type)->role != TS_KEYED)
			continue;
		if (rc != 0)
			return rc;
	}
	return 0;
}

int
trace_reader_next(struct trace_reader *rd, struct trace_rec *rec, char *err,
    size_t errlen)
{
	uint64_t start, base;
	unsigned type;
	size_t len, body;
	sim_time k;
	int rc;

	rd->at_cut = false;
	for (;;) {
		switch (rd->phase) {
		case RD_MARKER:
			memset(rec, 0, sizeof(*rec));
			rec->type = TR_KEYFRAME;
			rec->t = rd->seek_k;
			rd->phase = RD_BODY;
			return 1;
		case RD_BODY:
			rc = kf_next(rd, rec, err, errlen);
			if (rc != 0)
				return rc;
			if (rd->ci > 0) {
				rd->ci--;
				if (kf_serve(rd, err, errlen) != 0)
					return -1;
				continue;
			}
			rd->tbase = rd->kt;
			rd->ubase = 0;
			rd->phase = RD_NORMAL;
			continue;
		case RD_TOPO:
			if (rd->pos >= rd->topo_end) {
				if (kf_load(rd, rd->seek_kf, err, errlen) != 0)
					return -1;
				continue;
			}
			break;
		case RD_NORMAL:
			break;
		}
		if (rd->pos >= rd->data_end) {
			if (!rd->indexed) {
				sim_err(err, errlen, "%s", rd->trunc_msg);
				rd->at_cut = true;
				return -1;
			}
			if (rd->counting && rd->nread != rd->nrec) {
				sim_err(err, errlen, "offset %" PRIu64 ": read "
				    "%" PRIu64 " records, the index says %"
				    PRIu64, rd->pos, rd->nread, rd->nrec);
				return -1;
			}
			return 0;
		}
		if (rd_frame(rd, &type, &len, &start, err, errlen) != 0)
			return -1;
		if (type == TRW_STRDEF) {
			if (st_add(rd, rd->pl, len, start, err, errlen) != 0)
				return -1;
			continue;
		}
		if (type == TRW_INDEX) {
			sim_err(err, errlen, "offset %" PRIu64 ": unexpected "
			    "index record", start);
			return -1;
		}
		if (type >= 32 && type <= 63)
			continue;	/* a structural type of a newer minor */
		if (type == TR_KEYFRAME) {
			if (kf_head(rd, rd->pl, len, start, &k, &base, &body,
			    err, errlen) != 0)
				return -1;
			st_reset(rd);
			if (kf_strings(rd, rd->pl + body, len - body,
			    rd->pos - len + body, err, errlen) != 0)
				return -1;
			rd->tbase = k;
			rd->ubase = 0;
			continue;
		}
		rc = decode(rd, type, rd->pl, len, rd->pos - len, rec, err,
		    errlen);
		if (rc < 0)
			return -1;
		rd->nread++;
		if (rc == 1)
			return 1;
	}
}

int
trace_reader_seek(struct trace_reader *rd, sim_time t, char *err,
    size_t errlen)
{
	size_t lo = 0, hi = rd->nkf, mid;

	/* last keyframe with time <= t */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (rd->kfs[mid].t <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	rd->tbase = 0;
	rd->ubase = 0;
	st_reset(rd);
	rd->nread = 0;
	if (rd_goto(rd, HEADER_SIZE, err, errlen) != 0)
		return -1;
	if (lo == 0) {
		rd->phase = RD_NORMAL;
		rd->counting = true;
		return 0;
	}
	rd->counting = false;
	rd->seek_kf = rd->kfs[lo - 1].off;
	rd->phase = RD_TOPO;
	return 0;
}

