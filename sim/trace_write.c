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

/* ---- the record encoder ---- */

static inline uint8_t *
put_dt(struct trace *tr, uint8_t *w, sim_time t)
{
	w = put_uv(w, zz_enc((uint64_t)t - (uint64_t)tr->tbase));
	tr->tbase = t;
	return w;
}

static inline uint8_t *
put_uid(struct trace *tr, uint8_t *w, uint64_t uid)
{
	w = put_uv(w, zz_enc(uid - tr->ubase));
	tr->ubase = uid;
	return w;
}

static inline uint64_t
linkdir(uint32_t link, uint8_t dir)
{
	return (uint64_t)link << 1 | (dir & 1u);
}

static inline uint64_t
opt_id(uint32_t id)
{
	return id == TRACE_NO_ID ? 0 : (uint64_t)id + 1;
}

static uint8_t *
put_be32w(uint8_t *w, uint32_t v)
{
	put_be32(w, v);
	return w + 4;
}

void
emit(struct trace *tr, const struct trace_rec *r)
{
	uint8_t pl[PAYLOAD_MAX], *w = pl;
	int i;

	switch (r->type) {
	case TR_NODE:
		w = put_uv(w, r->u.node.id);
		w = put_str(tr, w, r->u.node.name, true);
		w = put_str(tr, w, r->u.node.role, true);
		w = put_str(tr, w, r->u.node.region, true);
		if (r->u.node.pos[0] == TRACE_POS_AUTO ||
		    r->u.node.pos[1] == TRACE_POS_AUTO) {
			*w++ = 0;
		} else {
			*w++ = 1;
			w = put_uv(w, zz_enc((uint64_t)(int64_t)
			    r->u.node.pos[0]));
			w = put_uv(w, zz_enc((uint64_t)(int64_t)
			    r->u.node.pos[1]));
		}
		break;
	case TR_IFACE:
		w = put_uv(w, r->u.iface.node);
		w = put_uv(w, r->u.iface.ifindex);
		w = put_str(tr, w, r->u.iface.name, true);
		memcpy(w, r->u.iface.mac, 6);
		w += 6;
		w = put_be32w(w, r->u.iface.addr);
		*w++ = r->u.iface.plen;
		break;
	case TR_LINK:
		w = put_uv(w, r->u.link.id);
		w = put_str(tr, w, r->u.link.name, true);
		for (i = 0; i < 2; i++) {
			w = put_uv(w, r->u.link.node[i]);
			w = put_uv(w, r->u.link.ifindex[i]);
			w = put_uv(w, r->u.link.rate_bps[i]);
			w = put_uv(w, (uint64_t)r->u.link.delay[i]);
		}
		w = put_uv(w, r->u.link.mtu);
		w = put_uv(w, r->u.link.qlimit_pkts);
		w = put_uv(w, r->u.link.qlimit_bytes);
		break;
	case TR_PKT_ENQUEUE:
		w = put_dt(tr, w, r->t);
		w = put_uid(tr, w, r->u.enqueue.uid);
		w = put_uv(w, linkdir(r->u.enqueue.link, r->u.enqueue.dir));
		w = put_uv(w, r->u.enqueue.len);
		w = put_uv(w, r->u.enqueue.qpkts);
		w = put_uv(w, r->u.enqueue.qbytes);
		break;
	case TR_PKT_TX:
		w = put_dt(tr, w, r->t);
		w = put_uid(tr, w, r->u.tx.uid);
		w = put_uv(w, linkdir(r->u.tx.link, r->u.tx.dir));
		w = put_uv(w, r->u.tx.len);
		w = put_uv(w, (uint64_t)r->u.tx.tx_end - (uint64_t)r->t);
		w = put_uv(w, (uint64_t)r->u.tx.arrive -
		    (uint64_t)r->u.tx.tx_end);
		w = put_uv(w, r->u.tx.qpkts);
		w = put_uv(w, r->u.tx.qbytes);
		w = put_uv(w, r->u.tx.hdr_len);
		if (r->u.tx.hdr_len)
			memcpy(w, r->u.tx.hdr, r->u.tx.hdr_len);
		w += r->u.tx.hdr_len;
		break;
	case TR_PKT_RX:
		w = put_dt(tr, w, r->t);
		w = put_uid(tr, w, r->u.rx.uid);
		w = put_uv(w, linkdir(r->u.rx.link, r->u.rx.dir));
		w = put_uv(w, r->u.rx.node);
		w = put_uv(w, r->u.rx.ifindex);
		break;
	case TR_PKT_DROP:
		w = put_dt(tr, w, r->t);
		w = put_uid(tr, w, r->u.drop.uid);
		w = put_uv(w, r->u.drop.node);
		w = put_uv(w, (uint64_t)r->u.drop.reason);
		w = put_uv(w, r->u.drop.len);
		w = put_uv(w, opt_id(r->u.drop.link));
		if (r->u.drop.link != TRACE_NO_ID) {
			*w++ = r->u.drop.dir;
			w = put_uv(w, r->u.drop.qpkts);
			w = put_uv(w, r->u.drop.qbytes);
		}
		/* Appended in 1.1; absent, not null, when there is none,
		 * so traces without details keep their 1.0 bytes. */
		if (r->u.drop.detail != NULL)
			w = put_str(tr, w, r->u.drop.detail, true);
		break;
	case TR_LINK_STATE:
		w = put_dt(tr, w, r->t);
		w = put_uv(w, r->u.link_state.link);
		*w++ = r->u.link_state.up;
		break;
	case TR_ANNOTATE:
		w = put_dt(tr, w, r->t);
		w = put_uv(w, opt_id(r->u.annotate.node));
		w = put_str(tr, w, r->u.annotate.text, false);
		break;
	case TR_APP:
		w = put_dt(tr, w, r->t);
		w = put_uv(w, r->u.app.node);
		w = put_str(tr, w, r->u.app.app, true);
		w = put_uv(w, r->u.app.seq);
		*w++ = r->u.app.ok;
		w = put_uv(w, (uint64_t)r->u.app.rtt);
		w = put_str(tr, w, r->u.app.text, false);
		break;
	case TR_ASSERT:
		w = put_dt(tr, w, r->t);
		*w++ = r->u.assertion.pass;
		w = put_str(tr, w, r->u.assertion.text, false);
		break;
	case TR_SESSION_STATE:
		w = put_dt(tr, w, r->t);
		w = put_uv(w, (uint64_t)r->u.session.proto);
		w = put_uv(w, r->u.session.node);
		w = put_str(tr, w, r->u.session.peer, true);
		w = put_str(tr, w, r->u.session.state, true);
		w = put_str(tr, w, r->u.session.reason, true);
		break;
	case TR_ROUTE:
		w = put_dt(tr, w, r->t);
		w = put_uv(w, r->u.route.node);
		w = put_str(tr, w, r->u.route.table, true);
		w = put_be32w(w, r->u.route.prefix);
		*w++ = r->u.route.plen;
		*w++ = r->u.route.withdrawn;
		w = put_str(tr, w, r->u.route.nexthop, true);
		w = put_str(tr, w, r->u.route.attrs, true);
		break;
	case TR_PROV_STATE:
		w = put_dt(tr, w, r->t);
		w = put_uv(w, r->u.prov.node);
		w = put_str(tr, w, r->u.prov.resource, true);
		w = put_str(tr, w, r->u.prov.field, true);
		w = put_str(tr, w, r->u.prov.state, true);
		break;
	case TR_QUEUE:
		w = put_dt(tr, w, r->t);
		w = put_uv(w, linkdir(r->u.queue.link, r->u.queue.dir));
		w = put_uv(w, r->u.queue.qpkts);
		w = put_uv(w, r->u.queue.qbytes);
		break;
	case TR_QUEUE_DEF:
		w = put_dt(tr, w, r->t);
		w = put_uv(w, r->u.qdef.queue);
		w = put_uv(w, opt_id(r->u.qdef.link));
		*w++ = r->u.qdef.dir;
		w = put_str(tr, w, r->u.qdef.kind, true);
		break;
	case TR_QUEUE_LEN:
		w = put_dt(tr, w, r->t);
		w = put_uv(w, r->u.qlen.queue);
		w = put_uv(w, r->u.qlen.pkts);
		w = put_uv(w, r->u.qlen.bytes);
		break;
	default:
		SIM_ASSERT(0, "trace: cannot encode record type %d", r->type);
	}
	SIM_ASSERT((size_t)(w - pl) <= sizeof(pl), "trace: payload overflow");
	out_frame(tr, (unsigned)r->type, pl, (size_t)(w - pl));
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

static void
emit_sessions(struct trace *tr, struct smap *m)
{
	struct sent *s;
	size_t i;

	for (i = 0; i < m->nb; i++)
		for (s = m->b[i]; s != NULL; s = s->next)
			emit(tr, &s->rec);
}

/*
 * Write a keyframe at time k: the state after every record written so far.
 * Every record before it has a time <= k, which is what makes a seek to any
 * t >= k followed by the records after the keyframe exact.
 */
static void
keyframe(struct trace *tr, sim_time k)
{
	uint8_t hdr[1 + KF_LEN_BYTES + 20], *w = hdr, len[KF_LEN_BYTES];
	struct trace_rec r;
	struct pkt_ent *e;
	uint64_t start, n;
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
		if (e->state != PK_FLIGHT)
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
	for (l = 0; l < tr->nqueues; l++) {
		if (!tr->queues[l].has_len)
			continue;
		r = (struct trace_rec){ .type = TR_QUEUE_LEN,
		    .t = tr->queues[l].t };
		r.u.qlen.queue = l;
		r.u.qlen.pkts = tr->queues[l].pkts;
		r.u.qlen.bytes = tr->queues[l].bytes;
		emit(tr, &r);
	}
	emit_sessions(tr, &tr->sessions);
	emit_sessions(tr, &tr->routes);
	emit_sessions(tr, &tr->provs);

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
	tr->kf_end = cur_off(tr);
	tr->kf_bytes = 4 * (tr->kf_end - start);
	if (tr->kf_bytes < KF_BYTES_MIN)
		tr->kf_bytes = KF_BYTES_MIN;
}

/* Every timed record passes here first. */
void
timed(struct trace *tr, sim_time t)
{
	SIM_ASSERT(t >= 0 && (!tr->timed || t >= tr->last_t),
	    "trace: time went back (%" PRId64 " after %" PRId64 ")",
	    (int64_t)t, (int64_t)tr->last_t);
	if (t >= tr->next_kf) {
		keyframe(tr, t - t % tr->every);
		tr->next_kf = t - t % tr->every + tr->every;
	} else if (cur_off(tr) - tr->kf_end >= tr->kf_bytes) {
		keyframe(tr, t);
	}
	tr->timed = true;
	tr->last_t = t;
	tr->nrec++;
}

void
topology(struct trace *tr, const struct trace_rec *r)
{
	struct sent *s;
	size_t n;

	if (tr->timed) {
		/* Late: also restated by every later keyframe. */
		s = sent_new(tr, r, "", 0, 0);
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

struct trace *
trace_open(const char *path, sim_time keyframe_every, char *err,
    size_t errlen)
{
	struct trace *tr;
	uint8_t hdr[HEADER_SIZE];
	size_t n;

	if (keyframe_every < 0) {
		sim_err(err, errlen, "keyframe interval must be >= 0");
		return NULL;
	}
	tr = xcalloc(1, sizeof(*tr));
	n = strlen(path);
	tr->path = xstrdup(path);
	tr->tmp = xmalloc(n + 5);
	memcpy(tr->tmp, path, n);
	memcpy(tr->tmp + n, ".tmp", 5);
	tr->fd = open(tr->tmp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (tr->fd < 0) {
		sim_err(err, errlen, "%s: %s", tr->tmp, strerror(errno));
		free(tr->path);
		free(tr->tmp);
		free(tr);
		return NULL;
	}
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

static void
trace_free(struct trace *tr)
{
	size_t i;

	for (i = 0; i < tr->nlate; i++)
		sent_free(tr, tr->late[i]);
	free(tr->late);
	smap_free(tr, &tr->sessions);
	smap_free(tr, &tr->routes);
	smap_free(tr, &tr->provs);
	free(tr->pm.e);
	free(tr->links);
	free(tr->queues);
	free(tr->islot);
	free(tr->iarena);
	free(tr->buf);
	free(tr->path);
	free(tr->tmp);
	free(tr);
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
	if (tr->err == 0 && rename(tr->tmp, tr->path) != 0) {
		tr->err = errno;
		tr->err_op = "rename";
	}
	if (tr->err != 0) {
		sim_err(err, errlen, "%s: %s: %s; trace not written",
		    tr->tmp, tr->err_op, strerror(tr->err));
		unlink(tr->tmp);
		rc = -1;
	}
	trace_free(tr);
	return rc;
}

void
trace_abort(struct trace *tr)
{
	if (tr == NULL)
		return;
	close(tr->fd);
	unlink(tr->tmp);
	trace_free(tr);
}

