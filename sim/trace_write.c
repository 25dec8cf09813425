/*
 * trace_write.c - the .xct writer: buffered output, string interning, the
 * record encoder, keyframes, the index and the tmp + rename protocol.
 *
 * Writer memory is bounded: a 64 KiB output buffer, a fixed string-intern
 * table, a hash map of the packets that are queued or in flight, a table of
 * links, and the latest session / route / provisioning state per key. Nothing
 * grows with the number of records: the keyframes are chained through the
 * file (each stores the offset of the previous one), and trace_close() walks
 * that chain back with pread() to write the index.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outfile.h"
#include "trace_write.h"

static uint64_t
cur_off(const struct trace *tr)
{
	return tr->off + tr->blen;
}

static void
out_flush(struct trace *tr)
{
	size_t done = 0;
	ssize_t k;

	while (tr->err == 0 && done < tr->blen) {
		k = write(tr->fd, tr->buf + done, tr->blen - done);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			tr->err = k < 0 ? errno : EIO;
			tr->err_op = "write";
			break;
		}
		done += (size_t)k;
	}
	tr->off += tr->blen;
	tr->blen = 0;
}

static inline void
out_room(struct trace *tr, size_t n)
{
	if (TRACE_BUF_SIZE - tr->blen < n)
		out_flush(tr);
}

static void
out_frame(struct trace *tr, unsigned type, const uint8_t *pl, size_t n)
{
	uint8_t *w;

	out_room(tr, n + 12);
	w = tr->buf + tr->blen;
	w = put_uv(w, type);
	w = put_uv(w, n);
	memcpy(w, pl, n);
	tr->blen = (size_t)(w + n - tr->buf);
}

/* ---- string interning ---- */

static void
intern_reset(struct trace *tr)
{
	tr->igen++;
	tr->in = 0;
	tr->ialen = 0;
}

/* Id of s (len bytes), defining it with a STRDEF record if it is new.
 * False when it should be written literally. */
static bool
intern_get(struct trace *tr, const char *s, size_t len, uint32_t *id)
{
	size_t mask = INTERN_SLOTS - 1, i = trace_fnv1a(s, len) & mask;
	struct intern_slot *e;

	if (len > INTERN_LEN_MAX)
		return false;
	for (;;) {
		e = &tr->islot[i];
		if (e->gen != tr->igen)
			break;
		if (e->len == len && memcmp(tr->iarena + e->off, s, len) == 0) {
			*id = e->id;
			return true;
		}
		i = (i + 1) & mask;
	}
	if (tr->in >= INTERN_MAX || INTERN_ARENA - tr->ialen < len)
		return false;
	e->gen = tr->igen;
	e->id = tr->in++;
	e->off = tr->ialen;
	e->len = (uint32_t)len;
	memcpy(tr->iarena + tr->ialen, s, len);
	tr->ialen += (uint32_t)len;
	out_frame(tr, TRW_STRDEF, (const uint8_t *)s, len);
	*id = e->id;
	return true;
}

static uint8_t *
put_str(struct trace *tr, uint8_t *w, const char *s, bool intern)
{
	uint32_t id;
	size_t len;

	if (s == NULL)
		return put_uv(w, 0);
	len = trace_text_len(s);
	if (intern && intern_get(tr, s, len, &id))
		return put_uv(w, 2 * ((uint64_t)id + 1));
	w = put_uv(w, 2 * (uint64_t)len + 1);
	memcpy(w, s, len);
	return w + len;
}

/* ---- the record encoder, driven by the descriptors ---- */

static inline uint8_t *
put_dt(struct trace *tr, uint8_t *w, sim_time t)
{
	w = put_uv(w, zz_enc((uint64_t)t - (uint64_t)tr->tbase));
	tr->tbase = t;
	return w;
}

/* Inlined into emit(): one switch per field on the per-packet path. */
static inline __attribute__((always_inline)) uint8_t *
put_field(struct trace *tr, uint8_t *w, const struct trace_rec *r,
    const struct trace_field *f, unsigned e, bool lit)
{
	const void *p = crec_at(r, (uint16_t)(f->off + e * tf_size(f->kind)));
	const char *s;
	uint64_t v;
	int32_t pos[2];
	uint16_t n;

	switch (f->kind) {
	case TF_U32:
	case TF_ADDR:
		v = *(const uint32_t *)p;
		if (f->kind == TF_ADDR) {
			put_be32(w, (uint32_t)v);
			return w + 4;
		}
		return put_uv(w, v);
	case TF_U64:
		return put_uv(w, *(const uint64_t *)p);
	case TF_BYTE:
	case TF_DIR:
		*w++ = *(const uint8_t *)p;
		return w;
	case TF_BOOL:
		*w++ = *(const bool *)p;
		return w;
	case TF_DUR:
		return put_uv(w, (uint64_t)*(const sim_time *)p);
	case TF_TREL:
		return put_uv(w, (uint64_t)*(const sim_time *)p -
		    (uint64_t)*(const sim_time *)crec_at(r, f->aux));
	case TF_UID:
		v = *(const uint64_t *)p;
		if (lit)
			return put_uv(w, zz_enc(v));
		w = put_uv(w, zz_enc(v - tr->ubase));
		tr->ubase = v;
		return w;
	case TF_UIDREF:
		v = *(const uint64_t *)p;
		return put_uv(w, zz_enc(lit ? v : v - tr->ubase));
	case TF_DATA:
		/* the length only: emit_data() appends the bytes */
		return put_uv(w, *(const uint32_t *)crec_at(r, f->aux));
	case TF_LINKDIR:
		return put_uv(w, (uint64_t)*(const uint32_t *)p << 1 |
		    (*(const uint8_t *)crec_at(r, f->aux) & 1u));
	case TF_OPTID:
		v = *(const uint32_t *)p;
		return put_uv(w, v == TRACE_NO_ID ? 0 : v + 1);
	case TF_STR:
	case TF_TEXT:
		s = *(const char *const *)p;
		return put_str(tr, w, s, f->kind == TF_STR && !lit);
	case TF_MAC:
		memcpy(w, p, 6);
		return w + 6;
	case TF_POS:
		memcpy(pos, p, sizeof(pos));
		if (pos[0] == TRACE_POS_AUTO || pos[1] == TRACE_POS_AUTO) {
			*w++ = 0;
			return w;
		}
		*w++ = 1;
		w = put_uv(w, zz_enc((uint64_t)(int64_t)pos[0]));
		return put_uv(w, zz_enc((uint64_t)(int64_t)pos[1]));
	case TF_HDR:
		n = *(const uint16_t *)crec_at(r, f->aux);
		s = *(const char *const *)p;
		if (s == NULL)
			n = 0;
		w = put_uv(w, n);
		if (n)
			memcpy(w, s, n);
		return w + n;
	case TF_ENUM:
		return put_uv(w, (uint64_t)(unsigned)tf_enum(p));
	default:
		SIM_ASSERT(0, "trace: field kind %u", f->kind);
		return w;
	}
}

/*
 * The payload of r. lit: self-contained, as if decoded from the start of a
 * keyframe body (time from 0, uid from 0, every string literal), for the
 * writer's own copies of keyed records; the encoder's context is untouched.
 */
static inline __attribute__((always_inline)) size_t
encode(struct trace *tr, const struct trace_rec *r, uint8_t *pl, bool lit)
{
	const struct trace_desc *d = trace_desc_of(r->type);
	const struct trace_field *f;
	uint8_t *w = pl;
	bool has_id = true;
	unsigned i, j, e;

	SIM_ASSERT(d != NULL && d->nfields > 0,
	    "trace: cannot encode record type %d", r->type);
	if (d->timed && lit)
		w = put_uv(w, zz_enc((uint64_t)r->t));
	else if (d->timed)
		w = put_dt(tr, w, r->t);
	for (i = 0; i < d->nfields; i++) {
		f = &d->f[i];
		if (__builtin_expect(f->flags == 0 && f->pair == 0 &&
		    f->kind != TF_OPTID, 1)) {
			w = put_field(tr, w, r, f, 0, lit);
			continue;
		}
		if (f->kind == TF_OPTID)
			has_id = *(const uint32_t *)crec_at(r, f->off) !=
			    TRACE_NO_ID;
		if ((f->flags & TFF_IFID) && !has_id)
			continue;
		if ((f->flags & TFF_TAIL) &&
		    *(const char *const *)crec_at(r, f->off) == NULL)
			continue;
		if (f->pair == 0) {
			w = put_field(tr, w, r, f, 0, lit);
			continue;
		}
		for (e = 0; e < 2; e++)
			for (j = 0; j < f->pair; j++)
				w = put_field(tr, w, r, f + j, e, lit);
		i += f->pair - 1u;
	}
	SIM_ASSERT((size_t)(w - pl) <= PAYLOAD_MAX, "trace: payload overflow");
	return (size_t)(w - pl);
}

void
emit(struct trace *tr, const struct trace_rec *r)
{
	uint8_t pl[PAYLOAD_MAX];
	size_t n = encode(tr, r, pl, false);

	out_frame(tr, (unsigned)r->type, pl, n);
}

void
emit_data(struct trace *tr, const struct trace_rec *r, const uint8_t *b,
    uint32_t n)
{
	uint8_t pl[PAYLOAD_MAX], *w;
	size_t k = encode(tr, r, pl, false);

	out_room(tr, k + n + 12);
	w = tr->buf + tr->blen;
	w = put_uv(w, (unsigned)r->type);
	w = put_uv(w, k + n);
	memcpy(w, pl, k);
	memcpy(w + k, b, n);
	tr->blen = (size_t)(w + k + n - tr->buf);
}

size_t
encode_lit(struct trace *tr, const struct trace_rec *r,
    uint8_t pl[PAYLOAD_MAX])
{
	return encode(tr, r, pl, true);
}

/* ---- keyframes ---- */

static void
out_raw(struct trace *tr, const uint8_t *p, size_t n)
{
	out_room(tr, n);
	memcpy(tr->buf + tr->blen, p, n);
	tr->blen += n;
}

static void
patch(struct trace *tr, uint64_t at, const uint8_t *p, size_t n)
{
	ssize_t k;

	if (at >= tr->off) {
		memcpy(tr->buf + (at - tr->off), p, n);
		return;
	}
	if (tr->err)
		return;
	k = pwrite(tr->fd, p, n, (off_t)at);
	if (k != (ssize_t)n) {
		tr->err = k < 0 ? errno : EIO;
		tr->err_op = "pwrite";
	}
}

static void queue_samples(struct trace *tr, sim_time k);

/*
 * Write a keyframe at time k: the state after every record written so far.
 * Every record before it has a time <= k, which is what makes a seek to any
 * t >= k followed by the records after the keyframe exact.
 */
static void
keyframe(struct trace *tr, sim_time k)
{
	uint8_t hdr[1 + KF_LEN_BYTES + 30], *w = hdr, len[KF_LEN_BYTES];
	struct trace_rec r;
	struct pkt_ent *e;
	uint64_t start, n, num = tr->nkf + 1, base = num & (num - 1);
	unsigned z = (unsigned)__builtin_ctzll(num);
	size_t i;
	uint32_t l;
	int d;

	if (tr->last_kf_off == 0)
		tr->topo_end = cur_off(tr);
	/* A packet whose arrival is already past was lost without a trace
	 * (its RX would have come before this record): forget it. */
	for (i = 0; i < tr->pm.cap; i++)
		while (tr->pm.e[i].state == PK_FLIGHT &&
		    tr->pm.e[i].arrive < k)
			pkt_del(&tr->pm, &tr->pm.e[i]);

	intern_reset(tr);
	out_room(tr, sizeof(hdr));
	start = cur_off(tr);
	*w++ = TR_KEYFRAME;
	w += KF_LEN_BYTES;
	w = put_uv(w, (uint64_t)k);
	w = put_uv(w, tr->last_kf_off);
	w = put_uv(w, base ? tr->kf_lvl[z + 1] : 0);
	out_raw(tr, hdr, (size_t)(w - hdr));
	tr->tbase = k;
	tr->ubase = 0;

	for (i = 0; i < tr->nlate; i++)
		emit(tr, &tr->late[i]->rec);
	for (l = 0; l < tr->nlinks; l++) {
		r = (struct trace_rec){ .type = TR_LINK_STATE,
		    .t = tr->links[l].t_change };
		r.u.link_state.link = l;
		r.u.link_state.up = tr->links[l].up;
		emit(tr, &r);
	}
	for (i = 0; i < tr->pm.cap; i++) {
		e = &tr->pm.e[i];
		if (e->state != PK_FLIGHT ||
		    (tr->pkt_filter && pkt_hidden(tr, e->uid)))
			continue;
		r = (struct trace_rec){ .type = TR_PKT_TX, .t = e->t };
		r.u.tx.uid = e->uid;
		r.u.tx.link = e->link;
		r.u.tx.dir = e->dir;
		r.u.tx.len = e->len;
		r.u.tx.tx_end = e->tx_end;
		r.u.tx.arrive = e->arrive;
		emit(tr, &r);
	}
	/* After the packet copies: their queue fields are stale. */
	for (l = 0; l < tr->nlinks; l++)
		for (d = 0; d < 2; d++) {
			r = (struct trace_rec){ .type = TR_QUEUE, .t = k };
			r.u.queue.link = l;
			r.u.queue.dir = (uint8_t)d;
			r.u.queue.qpkts = tr->links[l].qpkts[d];
			r.u.queue.qbytes = tr->links[l].qbytes[d];
			emit(tr, &r);
		}
	keyed_emit(tr, base);

	n = cur_off(tr) - (start + 1 + KF_LEN_BYTES);
	SIM_ASSERT(n < (1ULL << 35), "trace: keyframe too large");
	for (i = 0; i < KF_LEN_BYTES; i++)
		len[i] = (uint8_t)(((n >> (7 * i)) & 0x7f) |
		    (i + 1 < KF_LEN_BYTES ? 0x80 : 0));
	patch(tr, start + 1, len, sizeof(len));

	tr->tbase = k;
	tr->ubase = 0;
	tr->last_kf_off = start;
	tr->nkf++;
	for (i = 0; i <= z; i++)
		tr->kf_lvl[i] = start;
	tr->kf_end = cur_off(tr);
	tr->kf_size = tr->kf_end - start;
	tr->kf_bytes = 4 * (tr->kf_end - start);
	if (tr->kf_bytes < KF_BYTES_MIN)
		tr->kf_bytes = KF_BYTES_MIN;
	if (tr->pkt_filter)
		queue_samples(tr, k);
}

/*
 * With packet hops left out, a replay reading on (not seeking) would see a
 * queue only at its drops: after each keyframe, a queue record at k of
 * each (link, dir) whose occupancy changed since the last one written.
 */
static void
queue_samples(struct trace *tr, sim_time k)
{
	struct trace_rec r = { .type = TR_QUEUE, .t = k };
	struct link_st *ls;
	uint32_t l;
	int d;

	for (l = 0; l < tr->nlinks; l++)
		for (d = 0; d < 2; d++) {
			ls = &tr->links[l];
			if (ls->qpkts[d] == ls->qpkts_out[d] &&
			    ls->qbytes[d] == ls->qbytes_out[d])
				continue;
			ls->qpkts_out[d] = ls->qpkts[d];
			ls->qbytes_out[d] = ls->qbytes[d];
			r.u.queue.link = l;
			r.u.queue.dir = (uint8_t)d;
			r.u.queue.qpkts = ls->qpkts[d];
			r.u.queue.qbytes = ls->qbytes[d];
			tr->nrec++;
			emit(tr, &r);
		}
}

/* Every timed record passes here first. */
void
timed(struct trace *tr, sim_time t)
{
	SIM_ASSERT(t >= 0 && (!tr->timed || t >= tr->last_t),
	    "trace: time went back (%" PRId64 " after %" PRId64 ")",
	    (int64_t)t, (int64_t)tr->last_t);
	if (t >= tr->next_kf) {
		/*
		 * A keyframe only once the records since the last one weigh
		 * as much as it did: a seek replays no more than that, and a
		 * quiet stretch (BFD ticking, a provisioning wait) does not
		 * restate every link and queue each interval. With packet
		 * hops left out the queues are sampled at every interval
		 * all the same.
		 */
		if (tr->nkf == 0 || cur_off(tr) - tr->kf_end >= tr->kf_size)
			keyframe(tr, t - t % tr->every);
		else if (tr->pkt_filter)
			queue_samples(tr, t - t % tr->every);
		tr->next_kf = t - t % tr->every + tr->every;
	} else if (cur_off(tr) - tr->kf_end >= tr->kf_bytes) {
		keyframe(tr, t);
	}
	tr->timed = true;
	tr->last_t = t;
	tr->nrec++;
}

void
timed_hidden(struct trace *tr, sim_time t)
{
	timed(tr, t);
	tr->nrec--;
}

void
topology(struct trace *tr, const struct trace_rec *r)
{
	struct sent *s;
	size_t n;

	if (tr->timed) {
		/* Late: also restated by every later keyframe. */
		s = sent_new(tr, r);
		if (tr->nlate == tr->late_cap) {
			n = tr->late_cap ? 2 * tr->late_cap : 16;
			tr->late = xrealloc(tr->late, n * sizeof(*tr->late));
			tr->mem += (n - tr->late_cap) * sizeof(*tr->late);
			tr->late_cap = n;
		}
		tr->late[tr->nlate++] = s;
	}
	tr->nrec++;
	emit(tr, r);
}

/* ---------------------------------------------------------------------- */
/* Writer API                                                              */

/* Takes over of and its descriptor fd. */
static struct trace *
trace_new(struct outfile *of, int fd, sim_time keyframe_every)
{
	struct trace *tr;
	uint8_t hdr[HEADER_SIZE];

	tr = xcalloc(1, sizeof(*tr));
	tr->of = of;
	tr->fd = fd;
	tr->every = keyframe_every ? keyframe_every : KF_EVERY_DEFAULT;
	tr->kf_bytes = KF_BYTES_MIN;
	tr->buf = xmalloc(TRACE_BUF_SIZE);
	tr->pm.cap = 1024;
	tr->pm.e = xcalloc(tr->pm.cap, sizeof(*tr->pm.e));
	tr->islot = xcalloc(INTERN_SLOTS, sizeof(*tr->islot));
	tr->iarena = xmalloc(INTERN_ARENA);
	tr->igen = 1;
	tr->mem = sizeof(*tr) + TRACE_BUF_SIZE +
	    tr->pm.cap * sizeof(*tr->pm.e) +
	    INTERN_SLOTS * sizeof(*tr->islot) + INTERN_ARENA;

	memcpy(hdr, xct_magic, 8);
	hdr[8] = TRACE_VERSION & 0xff;
	hdr[9] = TRACE_VERSION >> 8;
	hdr[10] = TRACE_VERSION_MINOR & 0xff;
	hdr[11] = TRACE_VERSION_MINOR >> 8;
	memset(hdr + 12, 0, 4);		/* flags */
	out_raw(tr, hdr, sizeof(hdr));
	return tr;
}

/* The temporary file comes from sim/outfile: no symlink, no existing file. */
struct trace *
trace_open(const char *path, sim_time keyframe_every, char *err,
    size_t errlen)
{
	struct outfile *of;
	int fd;

	if (keyframe_every < 0) {
		sim_err(err, errlen, "keyframe interval must be >= 0");
		return NULL;
	}
	if ((of = outfile_create_path(path, &fd, err, errlen)) == NULL)
		return NULL;
	return trace_new(of, fd, keyframe_every);
}

struct trace *
trace_open_at(struct outdir *d, const char *rel, sim_time keyframe_every,
    char *err, size_t errlen)
{
	struct outfile *of;
	int fd;

	if (keyframe_every < 0) {
		sim_err(err, errlen, "keyframe interval must be >= 0");
		return NULL;
	}
	if ((of = outfile_create(d, rel, &fd, err, errlen)) == NULL)
		return NULL;
	return trace_new(of, fd, keyframe_every);
}

static void
trace_free(struct trace *tr)
{
	size_t i;

	for (i = 0; i < tr->nlate; i++)
		sent_free(tr, tr->late[i]);
	free(tr->late);
	keyed_free(tr);
	free(tr->pm.e);
	free(tr->links);
	free(tr->islot);
	free(tr->iarena);
	free(tr->buf);
	outfile_abort(tr->of);
	free(tr);
}

const char *const trace_pkt_level_name[TRACE_PKT_MAX] = {
	[TRACE_PKT_ALL] = "all",
	[TRACE_PKT_DROPS] = "drops",
	[TRACE_PKT_NONE] = "none",
};

void
trace_set_packets(struct trace *tr, enum trace_pkt_level lvl,
    uint32_t sample)
{
	static const uint32_t flag[TRACE_PKT_MAX] = { TRACE_FLAG_PKT_SAMPLED,
	    TRACE_FLAG_PKT_DROPS, TRACE_FLAG_PKT_NONE };
	static const char *const left[TRACE_PKT_MAX] = {
		"the hops of the other packets left out, every drop kept",
		"packet hops left out, drops kept",
		"no packet records",
	};
	char text[TRACE_TEXT_MAX + 1];
	uint8_t f[4];

	if (tr == NULL || (lvl == TRACE_PKT_ALL && sample <= 1))
		return;
	SIM_ASSERT(lvl < TRACE_PKT_MAX && !tr->timed && !tr->pkt_filter,
	    "trace: packet level set late or twice");
	tr->pkt_level = (uint8_t)lvl;
	tr->pkt_sample = lvl == TRACE_PKT_ALL ? sample : 1;
	tr->pkt_filter = true;
	f[0] = (uint8_t)flag[lvl];
	f[1] = f[2] = f[3] = 0;
	patch(tr, 12, f, sizeof(f));
	if (lvl == TRACE_PKT_ALL)
		snprintf(text, sizeof(text), "record.packets: 1 packet in %u "
		    "(%s); queues sampled at each keyframe", sample,
		    left[lvl]);
	else
		snprintf(text, sizeof(text), "record.packets: %s (%s); queues "
		    "sampled at each keyframe", trace_pkt_level_name[lvl],
		    left[lvl]);
	trace_annotate(tr, 0, TRACE_NO_ID, text);
}

size_t
trace_mem_bytes(const struct trace *tr)
{
	return tr ? tr->mem : 0;
}

/* The index: fixed header then (time, offset) of each keyframe, newest
 * first, found by walking the chain of keyframe back-pointers. */
static void
write_index(struct trace *tr)
{
	uint8_t b[32], *w, ent[16];
	uint64_t index_off, kf, prev, v;
	sim_time k;
	unsigned i;
	size_t p;
	ssize_t got;

	index_off = cur_off(tr);
	w = b;
	*w++ = TRW_INDEX;
	w = put_uv(w, 32 + 16 * tr->nkf);
	out_raw(tr, b, (size_t)(w - b));
	put_le64(b, (uint64_t)tr->last_t);
	put_le64(b + 8, tr->nrec);
	put_le64(b + 16, tr->last_kf_off ? tr->topo_end : index_off);
	put_le64(b + 24, tr->nkf);
	out_raw(tr, b, 32);
	out_flush(tr);
	for (kf = tr->last_kf_off; kf != 0 && tr->err == 0; kf = prev) {
		got = pread(tr->fd, b, sizeof(b), (off_t)kf);
		if (got < (ssize_t)(1 + KF_LEN_BYTES + 2) || b[0] != TR_KEYFRAME) {
			tr->err = got < 0 ? errno : EIO;
			tr->err_op = "read back keyframe";
			break;
		}
		/* time and back-pointer varints follow the padded length */
		p = 1 + KF_LEN_BYTES;
		for (i = 0, v = 0; p < (size_t)got; p++, i += 7) {
			v |= (uint64_t)(b[p] & 0x7f) << i;
			if (!(b[p] & 0x80))
				break;
		}
		k = (sim_time)v;
		for (p++, i = 0, v = 0; p < (size_t)got; p++, i += 7) {
			v |= (uint64_t)(b[p] & 0x7f) << i;
			if (!(b[p] & 0x80))
				break;
		}
		prev = v;
		put_le64(ent, (uint64_t)k);
		put_le64(ent + 8, kf);
		out_raw(tr, ent, sizeof(ent));
	}
	put_le64(b, index_off);
	memcpy(b + 8, xct_trailer_magic, 8);
	out_raw(tr, b, TRAILER_SIZE);
	out_flush(tr);
}

int
trace_close(struct trace *tr, char *err, size_t errlen)
{
	int rc = 0;

	if (tr == NULL)
		return 0;
	write_index(tr);
	if (tr->err == 0 && fsync(tr->fd) != 0) {
		tr->err = errno;
		tr->err_op = "fsync";
	}
	if (close(tr->fd) != 0 && tr->err == 0) {
		tr->err = errno;
		tr->err_op = "close";
	}
	if (tr->err != 0) {
		sim_err(err, errlen, "%s: %s: %s; trace not written",
		    outfile_tmp_path(tr->of), tr->err_op, strerror(tr->err));
		rc = -1;
	} else {
		rc = outfile_commit(tr->of, err, errlen);
		tr->of = NULL;
	}
	trace_free(tr);		/* removes the file unless committed */
	return rc;
}

void
trace_abort(struct trace *tr)
{
	if (tr == NULL)
		return;
	close(tr->fd);
	trace_free(tr);
}

