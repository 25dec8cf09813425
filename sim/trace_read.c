/*
 * trace_read.c - the .xct reader: framing, the index or a scan of a cut
 * trace, sequential reading, and seeking through keyframe chains.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "trace_read.h"

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
	rd->flags = flags;
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
	int rc, fd;

	rd = xcalloc(1, sizeof(*rd));
	/*
	 * O_NONBLOCK: a FIFO (or a device) given as a trace must not block
	 * the open; it is refused below as not a regular file.
	 */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 || (rd->f = fdopen(fd, "rb")) == NULL) {
		sim_err(err, errlen, "%s", strerror(errno));
		if (fd >= 0)
			close(fd);
		free(rd);
		return NULL;
	}
	if (fstat(fileno(rd->f), &st) != 0 || !S_ISREG(st.st_mode)) {
		sim_err(err, errlen, "not a regular file");
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

uint32_t
trace_reader_flags(const struct trace_reader *rd)
{
	return rd->flags;
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

