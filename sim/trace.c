/*
 * trace.c - the .xct trace: streaming writer with keyframes, bounds-checked
 * reader, JSON form. The byte format is docs/trace-format.md; keep the two in
 * step.
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
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim.h"
#include "trace.h"

/* Wire-only record types: never returned by the reader. */
#define TRW_STRDEF	32u
#define TRW_INDEX	33u

#define TRACE_BUF_SIZE	(64u * 1024u)
#define PAYLOAD_MAX	2048u	/* largest non-keyframe payload the writer makes */
#define HEADER_SIZE	16u
#define TRAILER_SIZE	16u
#define KF_LEN_BYTES	5u	/* padded varint: keyframe length patched later */
#define KF_BYTES_MIN	(1024u * 1024u)
#define KF_EVERY_DEFAULT SIM_MS(100)
#define INTERN_MAX	2048u	/* strings interned between two keyframes */
#define INTERN_SLOTS	4096u
#define INTERN_ARENA	(64u * 1024u)
#define INTERN_LEN_MAX	64u	/* longer strings are written literally */
#define REC_LEN_LIMIT	(1024u * 1024u * 1024u)	/* reader: sanity bound */
#define STRTAB_LIMIT	(1u << 20)

static const uint8_t xct_magic[8] = { 0x89, 'X', 'C', 'T', '\r', '\n', 0x1a,
    '\n' };
static const uint8_t xct_trailer_magic[8] = { 'X', 'C', 'T', 'I', 'N', 'D',
    'E', 'X' };

const char *const trace_drop_name[DROP_MAX] = {
	[DROP_NONE] = "none",
	[DROP_QUEUE_FULL] = "queue_full",
	[DROP_LINK_DOWN] = "link_down",
	[DROP_LOSS] = "loss",
	[DROP_TTL] = "ttl",
	[DROP_NO_ROUTE] = "no_route",
	[DROP_MTU] = "mtu",
	[DROP_MALFORMED] = "malformed",
	[DROP_VLAN] = "vlan",
	[DROP_NO_LISTENER] = "no_listener",
	[DROP_FILTER] = "filter",
	[DROP_POLICER] = "policer",
	[DROP_NOT_ROUTER] = "not_router",
	[DROP_REASSEMBLY] = "reassembly",
};

const char *const trace_type_name[TR_TYPE_MAX] = {
	[0] = "invalid",
	[TR_NODE] = "node",
	[TR_IFACE] = "iface",
	[TR_LINK] = "link",
	[TR_PKT_ENQUEUE] = "pkt_enqueue",
	[TR_PKT_TX] = "pkt_tx",
	[TR_PKT_RX] = "pkt_rx",
	[TR_PKT_DROP] = "pkt_drop",
	[TR_LINK_STATE] = "link_state",
	[TR_ANNOTATE] = "annotate",
	[TR_APP] = "app",
	[TR_ASSERT] = "assert",
	[TR_SESSION_STATE] = "session_state",
	[TR_ROUTE] = "route",
	[TR_PROV_STATE] = "prov_state",
	[TR_KEYFRAME] = "keyframe",
	[TR_QUEUE] = "queue",
	[TR_QUEUE_DEF] = "queue_def",
	[TR_QUEUE_LEN] = "queue_len",
};

const char *const trace_proto_name[TRP_MAX] = {
	[0] = "unknown",
	[TRP_TCP] = "tcp",
	[TRP_BGP] = "bgp",
	[TRP_BFD] = "bfd",
	[TRP_IKE] = "ike",
};

/* ---------------------------------------------------------------------- */
/* Shared encoding helpers                                                 */

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
static size_t
text_len(const char *s)
{
	size_t n = strnlen(s, TRACE_TEXT_MAX + 1);

	if (n > TRACE_TEXT_MAX) {
		n = TRACE_TEXT_MAX;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	return n;
}

static uint64_t
fnv1a(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 0xcbf29ce484222325ULL;

	while (n--) {
		h ^= *s++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* ---------------------------------------------------------------------- */
/* Writer state                                                            */

enum { PK_EMPTY = 0, PK_QUEUED, PK_FLIGHT };

struct pkt_ent {
	uint64_t uid;
	sim_time t, tx_end, arrive;
	uint32_t link, len;
	uint8_t dir, state;
};

/* Open addressing, linear probing, backward-shift deletion: no tombstones,
 * so the table never fills up with dead entries under churn. */
struct pkt_map {
	struct pkt_ent *e;
	size_t cap, n;
};

struct link_st {
	sim_time t_change;
	uint32_t qpkts[2], qbytes[2];
	bool up;
};

/* Latest reported occupancy of a queue, by queue id. */
struct queue_st {
	sim_time t;
	uint64_t bytes;
	uint32_t pkts;
	bool has_len;
};

/* Latest record per key (session, route, provisioning), strings owned. */
struct sent {
	struct sent *next;
	uint64_t h;
	size_t size;
	struct trace_rec rec;
	size_t klen;
	unsigned char key[];
};

struct smap {
	struct sent **b;
	size_t nb, n;
};

struct intern_slot {
	uint32_t gen, id, off, len;
};

struct trace {
	int fd;
	char *path, *tmp;
	int err;			/* errno of the first write failure */
	const char *err_op;

	uint8_t *buf;
	size_t blen;
	uint64_t off;			/* file offset of buf[0] */

	sim_time every, next_kf, last_t;
	bool timed;			/* a timed record was written */
	uint64_t kf_end;		/* offset just after the last keyframe */
	uint64_t kf_bytes;		/* record bytes that force a keyframe */
	uint64_t last_kf_off;		/* 0: none yet */
	uint64_t nkf, nrec, topo_end;

	sim_time tbase;			/* delta bases, reset by keyframes */
	uint64_t ubase;

	struct pkt_map pm;
	struct link_st *links;
	uint32_t nlinks, links_cap;
	struct queue_st *queues;
	uint32_t nqueues;
	struct smap sessions, routes, provs;
	struct sent **late;		/* topology declared after timed records */
	size_t nlate, late_cap;

	struct intern_slot *islot;
	char *iarena;
	uint32_t igen, in, ialen;

	size_t mem;
};

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

/* ---- packet map ---- */

static inline size_t
pkt_hash(uint64_t uid, uint32_t link, uint8_t dir)
{
	uint64_t h = uid * 0x9e3779b97f4a7c15ULL ^
	    (((uint64_t)link << 1 | dir) + 1) * 0xc2b2ae3d27d4eb4fULL;

	return (size_t)(h ^ (h >> 31));
}

static struct pkt_ent *
pkt_find(struct pkt_map *m, uint64_t uid, uint32_t link, uint8_t dir)
{
	size_t mask = m->cap - 1, i = pkt_hash(uid, link, dir) & mask;
	struct pkt_ent *e;

	for (;;) {
		e = &m->e[i];
		if (e->state == PK_EMPTY)
			return NULL;
		if (e->uid == uid && e->link == link && e->dir == dir)
			return e;
		i = (i + 1) & mask;
	}
}

static struct pkt_ent *
pkt_slot(struct pkt_map *m, uint64_t uid, uint32_t link, uint8_t dir)
{
	size_t mask = m->cap - 1, i = pkt_hash(uid, link, dir) & mask;

	while (m->e[i].state != PK_EMPTY)
		i = (i + 1) & mask;
	return &m->e[i];
}

static void
pkt_grow(struct trace *tr)
{
	struct pkt_map *m = &tr->pm, old = *m;
	struct pkt_ent *e;
	size_t i;

	m->cap = old.cap * 2;
	m->e = xcalloc(m->cap, sizeof(*m->e));
	for (i = 0; i < old.cap; i++) {
		if (old.e[i].state == PK_EMPTY)
			continue;
		e = pkt_slot(m, old.e[i].uid, old.e[i].link, old.e[i].dir);
		*e = old.e[i];
	}
	free(old.e);
	tr->mem += (m->cap - old.cap) * sizeof(*m->e);
}

/* The entry for (uid, link, dir), created empty-handed if absent. */
static struct pkt_ent *
pkt_get(struct trace *tr, uint64_t uid, uint32_t link, uint8_t dir)
{
	struct pkt_ent *e = pkt_find(&tr->pm, uid, link, dir);

	if (e != NULL)
		return e;
	if ((tr->pm.n + 1) * 4 > tr->pm.cap * 3)
		pkt_grow(tr);
	e = pkt_slot(&tr->pm, uid, link, dir);
	e->uid = uid;
	e->link = link;
	e->dir = dir;
	tr->pm.n++;
	return e;
}

static void
pkt_del(struct pkt_map *m, struct pkt_ent *e)
{
	size_t mask = m->cap - 1, i = (size_t)(e - m->e), j = i, k;

	for (;;) {
		j = (j + 1) & mask;
		if (m->e[j].state == PK_EMPTY)
			break;
		k = pkt_hash(m->e[j].uid, m->e[j].link, m->e[j].dir) & mask;
		/* Move j into the hole unless its home lies in (i, j]. */
		if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		m->e[i] = m->e[j];
		i = j;
	}
	m->e[i].state = PK_EMPTY;
	m->n--;
}

/* ---- links ---- */

static struct link_st *
link_get(struct trace *tr, uint32_t link)
{
	uint32_t cap;

	SIM_ASSERT(link < (1u << 24), "trace: link id %u is not dense", link);
	if (link >= tr->links_cap) {
		cap = tr->links_cap ? tr->links_cap : 16;
		while (cap <= link)
			cap *= 2;
		tr->links = xrealloc(tr->links, cap * sizeof(*tr->links));
		memset(tr->links + tr->links_cap, 0,
		    (cap - tr->links_cap) * sizeof(*tr->links));
		tr->mem += (cap - tr->links_cap) * sizeof(*tr->links);
		tr->links_cap = cap;
	}
	while (tr->nlinks <= link)
		tr->links[tr->nlinks++].up = true;
	return &tr->links[link];
}

static void
queue_take(struct link_st *ls, uint8_t dir, uint32_t len)
{
	if (ls->qpkts[dir] > 0)
		ls->qpkts[dir]--;
	ls->qbytes[dir] = ls->qbytes[dir] > len ? ls->qbytes[dir] - len : 0;
}

/* ---- owned record copies ---- */

/* The string fields of r, so copies and frees need no per-type code. */
static int
rec_strs(struct trace_rec *r, const char **f[5])
{
	switch (r->type) {
	case TR_NODE:
		f[0] = &r->u.node.name;
		f[1] = &r->u.node.role;
		f[2] = &r->u.node.region;
		return 3;
	case TR_IFACE:
		f[0] = &r->u.iface.name;
		return 1;
	case TR_LINK:
		f[0] = &r->u.link.name;
		return 1;
	case TR_SESSION_STATE:
		f[0] = &r->u.session.peer;
		f[1] = &r->u.session.state;
		f[2] = &r->u.session.reason;
		return 3;
	case TR_ROUTE:
		f[0] = &r->u.route.table;
		f[1] = &r->u.route.nexthop;
		f[2] = &r->u.route.attrs;
		return 3;
	case TR_PROV_STATE:
		f[0] = &r->u.prov.resource;
		f[1] = &r->u.prov.field;
		f[2] = &r->u.prov.state;
		return 3;
	case TR_QUEUE_DEF:
		f[0] = &r->u.qdef.kind;
		return 1;
	default:
		return 0;
	}
}

static struct sent *
sent_new(struct trace *tr, const struct trace_rec *r, const void *key,
    size_t klen, uint64_t h)
{
	struct sent *s = xmalloc(sizeof(*s) + klen);
	const char **f[5];
	char *c;
	size_t n;
	int i, nf;

	s->next = NULL;
	s->h = h;
	s->rec = *r;
	s->klen = klen;
	memcpy(s->key, key, klen);
	s->size = sizeof(*s) + klen;
	nf = rec_strs(&s->rec, f);
	for (i = 0; i < nf; i++) {
		if (*f[i] == NULL)
			continue;
		n = text_len(*f[i]);
		c = xmalloc(n + 1);
		memcpy(c, *f[i], n);
		c[n] = '\0';
		*f[i] = c;
		s->size += n + 1;
	}
	tr->mem += s->size;
	return s;
}

static void
sent_free(struct trace *tr, struct sent *s)
{
	const char **f[5];
	int i, nf;

	if (s == NULL)
		return;
	nf = rec_strs(&s->rec, f);
	for (i = 0; i < nf; i++)
		free((char *)(uintptr_t)*f[i]);
	tr->mem -= s->size;
	free(s);
}

/* Insert or replace (r != NULL) or remove (r == NULL) the entry for key. */
static void
smap_set(struct trace *tr, struct smap *m, const void *key, size_t klen,
    const struct trace_rec *r)
{
	uint64_t h = fnv1a(key, klen);
	struct sent **pp, *s, *nx, **nb;
	size_t i, n;

	if (m->nb == 0) {
		m->nb = 64;
		m->b = xcalloc(m->nb, sizeof(*m->b));
		tr->mem += m->nb * sizeof(*m->b);
	}
	for (pp = &m->b[h & (m->nb - 1)]; (s = *pp) != NULL; pp = &s->next)
		if (s->h == h && s->klen == klen &&
		    memcmp(s->key, key, klen) == 0)
			break;
	if (s != NULL) {
		*pp = s->next;
		sent_free(tr, s);
		m->n--;
	}
	if (r == NULL)
		return;
	s = sent_new(tr, r, key, klen, h);
	s->next = *pp;
	*pp = s;
	m->n++;
	if (m->n > m->nb) {
		n = m->nb * 2;
		nb = xcalloc(n, sizeof(*nb));
		for (i = 0; i < m->nb; i++)
			for (s = m->b[i]; s != NULL; s = nx) {
				nx = s->next;
				s->next = nb[s->h & (n - 1)];
				nb[s->h & (n - 1)] = s;
			}
		free(m->b);
		tr->mem += (n - m->nb) * sizeof(*m->b);
		m->b = nb;
		m->nb = n;
	}
}

static void
smap_free(struct trace *tr, struct smap *m)
{
	struct sent *s, *nx;
	size_t i;

	for (i = 0; i < m->nb; i++)
		for (s = m->b[i]; s != NULL; s = nx) {
			nx = s->next;
			sent_free(tr, s);
		}
	free(m->b);
	tr->mem -= m->nb * sizeof(*m->b);
	memset(m, 0, sizeof(*m));
}

/* Key bytes: fixed fields, then each string with its length. */
struct key {
	unsigned char b[8 + 3 * (TRACE_TEXT_MAX + 2)];
	size_t n;
};

static void
key_u32(struct key *k, uint32_t v)
{
	memcpy(k->b + k->n, &v, sizeof(v));
	k->n += sizeof(v);
}

static void
key_str(struct key *k, const char *s)
{
	size_t n = s ? text_len(s) : 0;

	k->b[k->n++] = s ? (unsigned char)(n & 0xff) : 0;
	k->b[k->n++] = s ? (unsigned char)(1 + (n >> 8)) : 0;
	if (n)
		memcpy(k->b + k->n, s, n);
	k->n += n;
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
	size_t mask = INTERN_SLOTS - 1, i = fnv1a(s, len) & mask;
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
	len = text_len(s);
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

static void
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
static inline void
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

static void
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

void
trace_node(struct trace *tr, uint32_t id, const char *name, const char *role,
    const char *region, const int32_t pos[2])
{
	struct trace_rec r = { .type = TR_NODE };

	if (tr == NULL)
		return;
	r.t = tr->last_t;
	r.u.node.id = id;
	r.u.node.name = name;
	r.u.node.role = role;
	r.u.node.region = region;
	r.u.node.pos[0] = pos ? pos[0] : TRACE_POS_AUTO;
	r.u.node.pos[1] = pos ? pos[1] : TRACE_POS_AUTO;
	topology(tr, &r);
}

void
trace_iface(struct trace *tr, uint32_t node, uint32_t ifindex,
    const char *name, const uint8_t mac[6], uint32_t addr, uint8_t plen)
{
	struct trace_rec r = { .type = TR_IFACE };

	if (tr == NULL)
		return;
	r.t = tr->last_t;
	r.u.iface.node = node;
	r.u.iface.ifindex = ifindex;
	r.u.iface.name = name;
	if (mac != NULL)
		memcpy(r.u.iface.mac, mac, 6);
	r.u.iface.addr = addr;
	r.u.iface.plen = plen;
	topology(tr, &r);
}

void
trace_link(struct trace *tr, uint32_t id, const char *name,
    const uint32_t node[2], const uint32_t ifindex[2],
    const uint64_t rate_bps[2], const sim_time delay[2], uint32_t mtu,
    uint32_t qlimit_pkts, uint32_t qlimit_bytes)
{
	struct trace_rec r = { .type = TR_LINK };
	int i;

	if (tr == NULL)
		return;
	link_get(tr, id);
	r.t = tr->last_t;
	r.u.link.id = id;
	r.u.link.name = name;
	for (i = 0; i < 2; i++) {
		r.u.link.node[i] = node[i];
		r.u.link.ifindex[i] = ifindex[i];
		r.u.link.rate_bps[i] = rate_bps[i];
		r.u.link.delay[i] = delay[i];
	}
	r.u.link.mtu = mtu;
	r.u.link.qlimit_pkts = qlimit_pkts;
	r.u.link.qlimit_bytes = qlimit_bytes;
	topology(tr, &r);
}

void
trace_enqueue(struct trace *tr, sim_time t, uint64_t uid, uint32_t link,
    uint8_t dir, uint32_t len, uint32_t qpkts, uint32_t qbytes)
{
	struct trace_rec r = { .type = TR_PKT_ENQUEUE, .t = t };
	struct link_st *ls;
	struct pkt_ent *e;

	if (tr == NULL)
		return;
	SIM_ASSERT(dir <= 1, "trace: dir %u", dir);
	timed(tr, t);
	ls = link_get(tr, link);
	ls->qpkts[dir] = qpkts;
	ls->qbytes[dir] = qbytes;
	e = pkt_get(tr, uid, link, dir);
	e->state = PK_QUEUED;
	e->len = len;
	r.u.enqueue.uid = uid;
	r.u.enqueue.link = link;
	r.u.enqueue.dir = dir;
	r.u.enqueue.len = len;
	r.u.enqueue.qpkts = qpkts;
	r.u.enqueue.qbytes = qbytes;
	emit(tr, &r);
}

void
trace_tx(struct trace *tr, sim_time t, uint64_t uid, uint32_t link,
    uint8_t dir, uint32_t len, sim_time tx_end, sim_time arrive,
    const uint8_t *hdr, uint16_t hdr_len)
{
	struct trace_rec r = { .type = TR_PKT_TX, .t = t };
	struct link_st *ls;
	struct pkt_ent *e;

	if (tr == NULL)
		return;
	SIM_ASSERT(dir <= 1, "trace: dir %u", dir);
	SIM_ASSERT(t <= tx_end && tx_end <= arrive,
	    "trace: tx times out of order");
	timed(tr, t);
	ls = link_get(tr, link);
	e = pkt_get(tr, uid, link, dir);
	if (e->state == PK_QUEUED)
		queue_take(ls, dir, e->len);
	e->state = PK_FLIGHT;
	e->len = len;
	e->t = t;
	e->tx_end = tx_end;
	e->arrive = arrive;
	r.u.tx.uid = uid;
	r.u.tx.link = link;
	r.u.tx.dir = dir;
	r.u.tx.len = len;
	r.u.tx.tx_end = tx_end;
	r.u.tx.arrive = arrive;
	r.u.tx.qpkts = ls->qpkts[dir];
	r.u.tx.qbytes = ls->qbytes[dir];
	r.u.tx.hdr = hdr;
	r.u.tx.hdr_len = hdr ? (hdr_len < TRACE_HDR_MAX ? hdr_len :
	    TRACE_HDR_MAX) : 0;
	emit(tr, &r);
}

void
trace_rx(struct trace *tr, sim_time t, uint64_t uid, uint32_t link,
    uint8_t dir, uint32_t node, uint32_t ifindex)
{
	struct trace_rec r = { .type = TR_PKT_RX, .t = t };
	struct pkt_ent *e;

	if (tr == NULL)
		return;
	SIM_ASSERT(dir <= 1, "trace: dir %u", dir);
	timed(tr, t);
	e = pkt_find(&tr->pm, uid, link, dir);
	if (e != NULL && e->state == PK_FLIGHT)
		pkt_del(&tr->pm, e);
	r.u.rx.uid = uid;
	r.u.rx.link = link;
	r.u.rx.dir = dir;
	r.u.rx.node = node;
	r.u.rx.ifindex = ifindex;
	emit(tr, &r);
}

void
trace_drop(struct trace *tr, sim_time t, uint64_t uid, uint32_t node,
    uint32_t link, uint8_t dir, enum trace_drop reason, uint32_t len)
{
	trace_drop_detail(tr, t, uid, node, link, dir, reason, len, NULL);
}

void
trace_drop_detail(struct trace *tr, sim_time t, uint64_t uid, uint32_t node,
    uint32_t link, uint8_t dir, enum trace_drop reason, uint32_t len,
    const char *detail)
{
	struct trace_rec r = { .type = TR_PKT_DROP, .t = t };
	struct link_st *ls;
	struct pkt_ent *e;

	if (tr == NULL)
		return;
	timed(tr, t);
	r.u.drop.uid = uid;
	r.u.drop.node = node;
	r.u.drop.link = link;
	r.u.drop.reason = reason;
	r.u.drop.len = len;
	r.u.drop.detail = detail;
	if (link != TRACE_NO_ID) {
		SIM_ASSERT(dir <= 1, "trace: dir %u", dir);
		ls = link_get(tr, link);
		e = pkt_find(&tr->pm, uid, link, dir);
		if (e != NULL) {
			if (e->state == PK_QUEUED)
				queue_take(ls, dir, e->len);
			pkt_del(&tr->pm, e);
		}
		r.u.drop.dir = dir;
		r.u.drop.qpkts = ls->qpkts[dir];
		r.u.drop.qbytes = ls->qbytes[dir];
	}
	emit(tr, &r);
}

static struct queue_st *
queue_get(struct trace *tr, uint32_t q)
{
	uint32_t cap = tr->nqueues;

	SIM_ASSERT(q < (1u << 24), "trace: queue id %u is not dense", q);
	if (q >= cap) {
		cap = cap ? cap : 16;
		while (cap <= q)
			cap *= 2;
		tr->queues = xrealloc(tr->queues, cap * sizeof(*tr->queues));
		memset(tr->queues + tr->nqueues, 0,
		    (cap - tr->nqueues) * sizeof(*tr->queues));
		tr->mem += (cap - tr->nqueues) * sizeof(*tr->queues);
		tr->nqueues = cap;
	}
	return &tr->queues[q];
}

void
trace_queue(struct trace *tr, uint32_t queue_id, uint32_t link, uint8_t dir,
    const char *kind)
{
	struct trace_rec r = { .type = TR_QUEUE_DEF };

	if (tr == NULL)
		return;
	SIM_ASSERT(link == TRACE_NO_ID ? dir == 0 : dir <= 1,
	    "trace: queue %u dir %u", queue_id, dir);
	queue_get(tr, queue_id);
	r.t = tr->last_t;
	r.u.qdef.queue = queue_id;
	r.u.qdef.link = link;
	r.u.qdef.dir = dir;
	r.u.qdef.kind = kind;
	topology(tr, &r);
}

void
trace_queue_len(struct trace *tr, sim_time t, uint32_t queue_id,
    uint32_t pkts, uint64_t bytes)
{
	struct trace_rec r = { .type = TR_QUEUE_LEN, .t = t };
	struct queue_st *q;

	if (tr == NULL)
		return;
	timed(tr, t);
	q = queue_get(tr, queue_id);
	q->t = t;
	q->pkts = pkts;
	q->bytes = bytes;
	q->has_len = true;
	r.u.qlen.queue = queue_id;
	r.u.qlen.pkts = pkts;
	r.u.qlen.bytes = bytes;
	emit(tr, &r);
}

void
trace_link_state(struct trace *tr, sim_time t, uint32_t link, bool up)
{
	struct trace_rec r = { .type = TR_LINK_STATE, .t = t };
	struct link_st *ls;

	if (tr == NULL)
		return;
	timed(tr, t);
	ls = link_get(tr, link);
	ls->up = up;
	ls->t_change = t;
	r.u.link_state.link = link;
	r.u.link_state.up = up;
	emit(tr, &r);
}

void
trace_annotate(struct trace *tr, sim_time t, uint32_t node, const char *text)
{
	struct trace_rec r = { .type = TR_ANNOTATE, .t = t };

	if (tr == NULL)
		return;
	timed(tr, t);
	r.u.annotate.node = node;
	r.u.annotate.text = text;
	emit(tr, &r);
}

void
trace_app(struct trace *tr, sim_time t, uint32_t node, const char *app,
    uint32_t seq, bool ok, sim_time rtt, const char *text)
{
	struct trace_rec r = { .type = TR_APP, .t = t };

	if (tr == NULL)
		return;
	timed(tr, t);
	r.u.app.node = node;
	r.u.app.app = app;
	r.u.app.seq = seq;
	r.u.app.ok = ok;
	r.u.app.rtt = rtt;
	r.u.app.text = text;
	emit(tr, &r);
}

void
trace_assert(struct trace *tr, sim_time t, bool pass, const char *text)
{
	struct trace_rec r = { .type = TR_ASSERT, .t = t };

	if (tr == NULL)
		return;
	timed(tr, t);
	r.u.assertion.pass = pass;
	r.u.assertion.text = text;
	emit(tr, &r);
}

void
trace_session(struct trace *tr, sim_time t, enum trace_proto proto,
    uint32_t node, const char *peer, const char *state, const char *reason)
{
	struct trace_rec r = { .type = TR_SESSION_STATE, .t = t };
	struct key k = { .n = 0 };

	if (tr == NULL)
		return;
	timed(tr, t);
	r.u.session.proto = proto;
	r.u.session.node = node;
	r.u.session.peer = peer;
	r.u.session.state = state;
	r.u.session.reason = reason;
	key_u32(&k, (uint32_t)proto);
	key_u32(&k, node);
	key_str(&k, peer);
	smap_set(tr, &tr->sessions, k.b, k.n, &r);
	emit(tr, &r);
}

void
trace_route(struct trace *tr, sim_time t, uint32_t node, const char *table,
    uint32_t prefix, uint8_t plen, bool withdrawn, const char *nexthop,
    const char *attrs)
{
	struct trace_rec r = { .type = TR_ROUTE, .t = t };
	struct key k = { .n = 0 };

	if (tr == NULL)
		return;
	timed(tr, t);
	r.u.route.node = node;
	r.u.route.table = table;
	r.u.route.prefix = prefix;
	r.u.route.plen = plen;
	r.u.route.withdrawn = withdrawn;
	r.u.route.nexthop = nexthop;
	r.u.route.attrs = attrs;
	key_u32(&k, node);
	key_u32(&k, prefix);
	k.b[k.n++] = plen;
	key_str(&k, table);
	smap_set(tr, &tr->routes, k.b, k.n, withdrawn ? NULL : &r);
	emit(tr, &r);
}

void
trace_prov(struct trace *tr, sim_time t, uint32_t node, const char *resource,
    const char *field, const char *state)
{
	struct trace_rec r = { .type = TR_PROV_STATE, .t = t };
	struct key k = { .n = 0 };

	if (tr == NULL)
		return;
	timed(tr, t);
	r.u.prov.node = node;
	r.u.prov.resource = resource;
	r.u.prov.field = field;
	r.u.prov.state = state;
	key_u32(&k, node);
	key_str(&k, resource);
	key_str(&k, field);
	smap_set(tr, &tr->provs, k.b, k.n, &r);
	emit(tr, &r);
}

/* ---------------------------------------------------------------------- */
/* Reader                                                                  */

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

struct trace_reader {
	FILE *f;
	uint64_t size;		/* file size */
	uint64_t data_end;	/* where the record stream stops */
	uint64_t pos;		/* offset of the next frame */
	uint64_t topo_end;
	uint32_t major, minor;
	bool indexed;
	char trunc_msg[192];	/* why the stream stops at data_end */
	sim_time end_time;
	uint64_t nrec, nread;
	bool counting;		/* reading from the start: check nrec */
	struct kf_ent *kfs;	/* ascending */
	size_t nkf;

	enum rd_phase phase;
	uint64_t seek_kf;
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
	uint64_t v;
	int i;

	memset(rec, 0, sizeof(*rec));
	rd->nlit = 0;
	if (type > 0 && type < TR_TYPE_MAX)
		c.what = trace_type_name[type];
	if (is_untimed(type)) {
		rec->t = rd->tbase;
	} else {
		rec->t = (sim_time)((uint64_t)rd->tbase +
		    zz_dec(c_uv(&c, "time")));
		if (c.bad)
			return -1;
		rd->tbase = rec->t;
	}
	if (type == TR_KEYFRAME || type >= TR_TYPE_MAX || type == 0)
		return 0;	/* skipped; still counted by the index */
	rec->type = (enum trace_type)type;
	switch (type) {
	case TR_NODE:
		rec->u.node.id = c_u32(&c, "id");
		rec->u.node.name = c_str(rd, &c, "name");
		rec->u.node.role = c_str(rd, &c, "role");
		rec->u.node.region = c_str(rd, &c, "region");
		rec->u.node.pos[0] = rec->u.node.pos[1] = TRACE_POS_AUTO;
		if (c_bool(&c, "pos")) {
			for (i = 0; i < 2; i++) {
				v = zz_dec(c_uv(&c, "pos"));
				if ((int64_t)v < INT32_MIN ||
				    (int64_t)v > INT32_MAX)
					c_fail(&c, "pos", "out of range");
				rec->u.node.pos[i] = (int32_t)(int64_t)v;
			}
		}
		break;
	case TR_IFACE:
		rec->u.iface.node = c_u32(&c, "node");
		rec->u.iface.ifindex = c_u32(&c, "ifindex");
		rec->u.iface.name = c_str(rd, &c, "name");
		p = c_bytes(&c, 6, "mac");
		if (p != NULL)
			memcpy(rec->u.iface.mac, p, 6);
		rec->u.iface.addr = c_be32(&c, "addr");
		rec->u.iface.plen = c_byte(&c, "plen");
		break;
	case TR_LINK:
		rec->u.link.id = c_u32(&c, "id");
		rec->u.link.name = c_str(rd, &c, "name");
		for (i = 0; i < 2; i++) {
			rec->u.link.node[i] = c_u32(&c, "node");
			rec->u.link.ifindex[i] = c_u32(&c, "ifindex");
			rec->u.link.rate_bps[i] = c_uv(&c, "rate_bps");
			rec->u.link.delay[i] = (sim_time)c_uv(&c, "delay");
		}
		rec->u.link.mtu = c_u32(&c, "mtu");
		rec->u.link.qlimit_pkts = c_u32(&c, "qlimit_pkts");
		rec->u.link.qlimit_bytes = c_u32(&c, "qlimit_bytes");
		break;
	case TR_PKT_ENQUEUE:
		rec->u.enqueue.uid = rd->ubase += zz_dec(c_uv(&c, "uid"));
		v = c_uv(&c, "link");
		rec->u.enqueue.link = (uint32_t)(v >> 1);
		rec->u.enqueue.dir = v & 1;
		if (v >> 33)
			c_fail(&c, "link", "value out of range");
		rec->u.enqueue.len = c_u32(&c, "len");
		rec->u.enqueue.qpkts = c_u32(&c, "qpkts");
		rec->u.enqueue.qbytes = c_u32(&c, "qbytes");
		break;
	case TR_PKT_TX:
		rec->u.tx.uid = rd->ubase += zz_dec(c_uv(&c, "uid"));
		v = c_uv(&c, "link");
		rec->u.tx.link = (uint32_t)(v >> 1);
		rec->u.tx.dir = v & 1;
		if (v >> 33)
			c_fail(&c, "link", "value out of range");
		rec->u.tx.len = c_u32(&c, "len");
		rec->u.tx.tx_end = (sim_time)((uint64_t)rec->t +
		    c_uv(&c, "tx_end"));
		rec->u.tx.arrive = (sim_time)((uint64_t)rec->u.tx.tx_end +
		    c_uv(&c, "arrive"));
		rec->u.tx.qpkts = c_u32(&c, "qpkts");
		rec->u.tx.qbytes = c_u32(&c, "qbytes");
		v = c_uv(&c, "hdr_len");
		if (v > TRACE_HDR_MAX) {
			c_fail(&c, "hdr_len", "longer than 96 bytes");
			break;
		}
		rec->u.tx.hdr_len = (uint16_t)v;
		rec->u.tx.hdr = c_bytes(&c, (size_t)v, "hdr");
		break;
	case TR_PKT_RX:
		rec->u.rx.uid = rd->ubase += zz_dec(c_uv(&c, "uid"));
		v = c_uv(&c, "link");
		rec->u.rx.link = (uint32_t)(v >> 1);
		rec->u.rx.dir = v & 1;
		if (v >> 33)
			c_fail(&c, "link", "value out of range");
		rec->u.rx.node = c_u32(&c, "node");
		rec->u.rx.ifindex = c_u32(&c, "ifindex");
		break;
	case TR_PKT_DROP:
		rec->u.drop.uid = rd->ubase += zz_dec(c_uv(&c, "uid"));
		rec->u.drop.node = c_u32(&c, "node");
		v = c_uv(&c, "reason");
		/* A reason from a newer writer reads as "none". */
		rec->u.drop.reason = v < DROP_MAX ? (enum trace_drop)v :
		    DROP_NONE;
		rec->u.drop.len = c_u32(&c, "len");
		v = c_uv(&c, "link");
		if (v > UINT32_MAX)
			c_fail(&c, "link", "value out of range");
		rec->u.drop.link = v == 0 ? TRACE_NO_ID : (uint32_t)(v - 1);
		if (v != 0) {
			rec->u.drop.dir = c_byte(&c, "dir");
			if (rec->u.drop.dir > 1)
				c_fail(&c, "dir", "neither 0 nor 1");
			rec->u.drop.qpkts = c_u32(&c, "qpkts");
			rec->u.drop.qbytes = c_u32(&c, "qbytes");
		}
		/* Optional trailing field (1.1): present if bytes remain. */
		if (!c.bad && c.p < c.end)
			rec->u.drop.detail = c_str(rd, &c, "detail");
		break;
	case TR_LINK_STATE:
		rec->u.link_state.link = c_u32(&c, "link");
		rec->u.link_state.up = c_bool(&c, "up");
		break;
	case TR_ANNOTATE:
		v = c_uv(&c, "node");
		if (v > UINT32_MAX)
			c_fail(&c, "node", "value out of range");
		rec->u.annotate.node = v == 0 ? TRACE_NO_ID : (uint32_t)(v - 1);
		rec->u.annotate.text = c_str(rd, &c, "text");
		break;
	case TR_APP:
		rec->u.app.node = c_u32(&c, "node");
		rec->u.app.app = c_str(rd, &c, "app");
		rec->u.app.seq = c_u32(&c, "seq");
		rec->u.app.ok = c_bool(&c, "ok");
		rec->u.app.rtt = (sim_time)c_uv(&c, "rtt");
		rec->u.app.text = c_str(rd, &c, "text");
		break;
	case TR_ASSERT:
		rec->u.assertion.pass = c_bool(&c, "pass");
		rec->u.assertion.text = c_str(rd, &c, "text");
		break;
	case TR_SESSION_STATE:
		v = c_uv(&c, "proto");
		rec->u.session.proto = v < TRP_MAX ? (enum trace_proto)v : 0;
		rec->u.session.node = c_u32(&c, "node");
		rec->u.session.peer = c_str(rd, &c, "peer");
		rec->u.session.state = c_str(rd, &c, "state");
		rec->u.session.reason = c_str(rd, &c, "reason");
		break;
	case TR_ROUTE:
		rec->u.route.node = c_u32(&c, "node");
		rec->u.route.table = c_str(rd, &c, "table");
		rec->u.route.prefix = c_be32(&c, "prefix");
		rec->u.route.plen = c_byte(&c, "plen");
		rec->u.route.withdrawn = c_bool(&c, "withdrawn");
		rec->u.route.nexthop = c_str(rd, &c, "nexthop");
		rec->u.route.attrs = c_str(rd, &c, "attrs");
		break;
	case TR_PROV_STATE:
		rec->u.prov.node = c_u32(&c, "node");
		rec->u.prov.resource = c_str(rd, &c, "resource");
		rec->u.prov.field = c_str(rd, &c, "field");
		rec->u.prov.state = c_str(rd, &c, "state");
		break;
	case TR_QUEUE:
		v = c_uv(&c, "link");
		rec->u.queue.link = (uint32_t)(v >> 1);
		rec->u.queue.dir = v & 1;
		if (v >> 33)
			c_fail(&c, "link", "value out of range");
		rec->u.queue.qpkts = c_u32(&c, "qpkts");
		rec->u.queue.qbytes = c_u32(&c, "qbytes");
		break;
	case TR_QUEUE_DEF:
		rec->u.qdef.queue = c_u32(&c, "queue");
		v = c_uv(&c, "link");
		if (v > UINT32_MAX)
			c_fail(&c, "link", "value out of range");
		rec->u.qdef.link = v == 0 ? TRACE_NO_ID : (uint32_t)(v - 1);
		rec->u.qdef.dir = c_byte(&c, "dir");
		if (rec->u.qdef.dir > 1)
			c_fail(&c, "dir", "neither 0 nor 1");
		rec->u.qdef.kind = c_str(rd, &c, "kind");
		break;
	case TR_QUEUE_LEN:
		rec->u.qlen.queue = c_u32(&c, "queue");
		rec->u.qlen.pkts = c_u32(&c, "pkts");
		rec->u.qlen.bytes = c_uv(&c, "bytes");
		break;
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

/* Parse a keyframe's head: time and back-pointer. *body: where the body
 * starts within the payload. */
static int
kf_head(const uint8_t *p, size_t n, uint64_t off, sim_time *k, size_t *body,
    char *err, size_t errlen)
{
	struct cur c = { p, p + n, p, off, "keyframe", err, errlen, false };

	*k = (sim_time)c_uv(&c, "time");
	(void)c_uv(&c, "previous");
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
	if (rd->major != TRACE_VERSION) {
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
	uint64_t start, cap = 0;
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
		if (is_topology(type)) {
			rd->nrec++;
			if (topo)
				rd->topo_end = rd->pos;
			continue;
		}
		if (!is_decl(type))
			topo = false;
		if (type == TR_KEYFRAME) {
			if (kf_head(rd->pl, len, start, &k, &len,
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

uint64_t
trace_reader_record_count(const struct trace_reader *rd)
{
	return rd->nrec;
}

/* Load the keyframe at off for serving: marker next, then its body. */
static int
kf_load(struct trace_reader *rd, uint64_t off, char *err, size_t errlen)
{
	uint64_t start;
	unsigned type;
	size_t len, body;
	sim_time k;

	if (rd_goto(rd, off, err, errlen) != 0 ||
	    rd_frame(rd, &type, &len, &start, err, errlen) != 0)
		return -1;
	if (type != TR_KEYFRAME) {
		sim_err(err, errlen, "offset %" PRIu64 ": the index points to "
		    "a record of type %u, not a keyframe", off, type);
		return -1;
	}
	if (kf_head(rd->pl, len, start, &k, &body, err, errlen) != 0)
		return -1;
	if (len > rd->kbcap) {
		rd->kbcap = len;
		rd->kb = xrealloc(rd->kb, rd->kbcap);
	}
	memcpy(rd->kb, rd->pl, len);
	rd->kblen = len;
	rd->kbpos = body;
	rd->kboff = rd->pos - len;
	rd->kt = k;
	rd->tbase = k;
	rd->ubase = 0;
	st_reset(rd);
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
		if (rc != 0)
			return rc;
	}
	return 0;
}

int
trace_reader_next(struct trace_reader *rd, struct trace_rec *rec, char *err,
    size_t errlen)
{
	uint64_t start;
	unsigned type;
	size_t len, body;
	sim_time k;
	int rc;

	for (;;) {
		switch (rd->phase) {
		case RD_MARKER:
			memset(rec, 0, sizeof(*rec));
			rec->type = TR_KEYFRAME;
			rec->t = rd->kt;
			rd->phase = RD_BODY;
			return 1;
		case RD_BODY:
			rc = kf_next(rd, rec, err, errlen);
			if (rc != 0)
				return rc;
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
			if (kf_head(rd->pl, len, start, &k, &body, err,
			    errlen) != 0)
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

/* ---------------------------------------------------------------------- */
/* JSON                                                                    */

struct jbuf {
	char *b;
	size_t len, n;
};

static void
jputs(struct jbuf *j, const char *s, size_t n)
{
	size_t k;

	if (j->n < j->len) {
		k = j->len - 1 - j->n < n ? j->len - 1 - j->n : n;
		memcpy(j->b + j->n, s, k);
		j->b[j->n + k] = '\0';
	}
	j->n += n;
}

static void
jprintf(struct jbuf *j, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
jprintf(struct jbuf *j, const char *fmt, ...)
{
	char tmp[64];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n > 0)
		jputs(j, tmp, (size_t)n < sizeof(tmp) ? (size_t)n :
		    sizeof(tmp) - 1);
}

/* Length of the valid UTF-8 sequence at s (0 if invalid). */
static size_t
utf8_len(const unsigned char *s)
{
	size_t n, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return n;
}

/* "key":"escaped" or "key":null. Invalid UTF-8 becomes U+FFFD. */
static void
jstr(struct jbuf *j, const char *key, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	jprintf(j, ",\"%s\":", key);
	if (s == NULL) {
		jputs(j, "null", 4);
		return;
	}
	jputs(j, "\"", 1);
	while (*p) {
		switch (*p) {
		case '"':
			jputs(j, "\\\"", 2);
			break;
		case '\\':
			jputs(j, "\\\\", 2);
			break;
		case '\n':
			jputs(j, "\\n", 2);
			break;
		case '\r':
			jputs(j, "\\r", 2);
			break;
		case '\t':
			jputs(j, "\\t", 2);
			break;
		default:
			if (*p < 0x20) {
				jprintf(j, "\\u%04x", *p);
				break;
			}
			n = utf8_len(p);
			if (n == 0) {
				jputs(j, "\\ufffd", 6);
				break;
			}
			jputs(j, (const char *)p, n);
			p += n;
			continue;
		}
		p++;
	}
	jputs(j, "\"", 1);
}

static void
ju(struct jbuf *j, const char *key, uint64_t v)
{
	jprintf(j, ",\"%s\":%" PRIu64, key, v);
}

static void
ji(struct jbuf *j, const char *key, int64_t v)
{
	jprintf(j, ",\"%s\":%" PRId64, key, v);
}

static void
jbool(struct jbuf *j, const char *key, bool v)
{
	jprintf(j, ",\"%s\":%s", key, v ? "true" : "false");
}

static void
jaddr(struct jbuf *j, const char *key, uint32_t a)
{
	jprintf(j, ",\"%s\":\"%u.%u.%u.%u\"", key, a >> 24, (a >> 16) & 0xff,
	    (a >> 8) & 0xff, a & 0xff);
}

static void
jopt(struct jbuf *j, const char *key, uint32_t id)
{
	if (id == TRACE_NO_ID)
		jprintf(j, ",\"%s\":null", key);
	else
		ju(j, key, id);
}

size_t
trace_rec_json(const struct trace_rec *r, char *buf, size_t len)
{
	struct jbuf j = { buf, len, 0 };
	const char *name;
	int i;

	if (len > 0)
		buf[0] = '\0';
	name = r->type > 0 && r->type < TR_TYPE_MAX ?
	    trace_type_name[r->type] : "unknown";
	jprintf(&j, "{\"t\":%" PRId64 ",\"type\":\"%s\"", (int64_t)r->t, name);
	switch (r->type) {
	case TR_NODE:
		ju(&j, "id", r->u.node.id);
		jstr(&j, "name", r->u.node.name);
		jstr(&j, "role", r->u.node.role);
		jstr(&j, "region", r->u.node.region);
		if (r->u.node.pos[0] == TRACE_POS_AUTO ||
		    r->u.node.pos[1] == TRACE_POS_AUTO)
			jputs(&j, ",\"pos\":null", 11);
		else
			jprintf(&j, ",\"pos\":[%d,%d]", (int)r->u.node.pos[0],
			    (int)r->u.node.pos[1]);
		break;
	case TR_IFACE:
		ju(&j, "node", r->u.iface.node);
		ju(&j, "ifindex", r->u.iface.ifindex);
		jstr(&j, "name", r->u.iface.name);
		jprintf(&j, ",\"mac\":\"%02x:%02x:%02x:%02x:%02x:%02x\"",
		    r->u.iface.mac[0], r->u.iface.mac[1], r->u.iface.mac[2],
		    r->u.iface.mac[3], r->u.iface.mac[4], r->u.iface.mac[5]);
		jaddr(&j, "addr", r->u.iface.addr);
		ju(&j, "plen", r->u.iface.plen);
		break;
	case TR_LINK:
		ju(&j, "id", r->u.link.id);
		jstr(&j, "name", r->u.link.name);
		jprintf(&j, ",\"node\":[%u,%u]", r->u.link.node[0],
		    r->u.link.node[1]);
		jprintf(&j, ",\"ifindex\":[%u,%u]", r->u.link.ifindex[0],
		    r->u.link.ifindex[1]);
		jprintf(&j, ",\"rate_bps\":[%" PRIu64 ",%" PRIu64 "]",
		    r->u.link.rate_bps[0], r->u.link.rate_bps[1]);
		jprintf(&j, ",\"delay\":[%" PRId64 ",%" PRId64 "]",
		    (int64_t)r->u.link.delay[0], (int64_t)r->u.link.delay[1]);
		ju(&j, "mtu", r->u.link.mtu);
		ju(&j, "qlimit_pkts", r->u.link.qlimit_pkts);
		ju(&j, "qlimit_bytes", r->u.link.qlimit_bytes);
		break;
	case TR_PKT_ENQUEUE:
		ju(&j, "uid", r->u.enqueue.uid);
		ju(&j, "link", r->u.enqueue.link);
		ju(&j, "dir", r->u.enqueue.dir);
		ju(&j, "len", r->u.enqueue.len);
		ju(&j, "qpkts", r->u.enqueue.qpkts);
		ju(&j, "qbytes", r->u.enqueue.qbytes);
		break;
	case TR_PKT_TX:
		ju(&j, "uid", r->u.tx.uid);
		ju(&j, "link", r->u.tx.link);
		ju(&j, "dir", r->u.tx.dir);
		ju(&j, "len", r->u.tx.len);
		ji(&j, "tx_end", r->u.tx.tx_end);
		ji(&j, "arrive", r->u.tx.arrive);
		ju(&j, "qpkts", r->u.tx.qpkts);
		ju(&j, "qbytes", r->u.tx.qbytes);
		jputs(&j, ",\"hdr\":\"", 8);
		for (i = 0; i < r->u.tx.hdr_len && r->u.tx.hdr != NULL; i++)
			jprintf(&j, "%02x", r->u.tx.hdr[i]);
		jputs(&j, "\"", 1);
		break;
	case TR_PKT_RX:
		ju(&j, "uid", r->u.rx.uid);
		ju(&j, "link", r->u.rx.link);
		ju(&j, "dir", r->u.rx.dir);
		ju(&j, "node", r->u.rx.node);
		ju(&j, "ifindex", r->u.rx.ifindex);
		break;
	case TR_PKT_DROP:
		ju(&j, "uid", r->u.drop.uid);
		ju(&j, "node", r->u.drop.node);
		jopt(&j, "link", r->u.drop.link);
		if (r->u.drop.link != TRACE_NO_ID)
			ju(&j, "dir", r->u.drop.dir);
		jprintf(&j, ",\"reason\":\"%s\"",
		    (unsigned)r->u.drop.reason < DROP_MAX ?
		    trace_drop_name[r->u.drop.reason] : "unknown");
		ju(&j, "len", r->u.drop.len);
		if (r->u.drop.link != TRACE_NO_ID) {
			ju(&j, "qpkts", r->u.drop.qpkts);
			ju(&j, "qbytes", r->u.drop.qbytes);
		}
		if (r->u.drop.detail != NULL)
			jstr(&j, "detail", r->u.drop.detail);
		break;
	case TR_LINK_STATE:
		ju(&j, "link", r->u.link_state.link);
		jbool(&j, "up", r->u.link_state.up);
		break;
	case TR_ANNOTATE:
		jopt(&j, "node", r->u.annotate.node);
		jstr(&j, "text", r->u.annotate.text);
		break;
	case TR_APP:
		ju(&j, "node", r->u.app.node);
		jstr(&j, "app", r->u.app.app);
		ju(&j, "seq", r->u.app.seq);
		jbool(&j, "ok", r->u.app.ok);
		ji(&j, "rtt", r->u.app.rtt);
		jstr(&j, "text", r->u.app.text);
		break;
	case TR_ASSERT:
		jbool(&j, "pass", r->u.assertion.pass);
		jstr(&j, "text", r->u.assertion.text);
		break;
	case TR_SESSION_STATE:
		jprintf(&j, ",\"proto\":\"%s\"",
		    (unsigned)r->u.session.proto < TRP_MAX ?
		    trace_proto_name[r->u.session.proto] : "unknown");
		ju(&j, "node", r->u.session.node);
		jstr(&j, "peer", r->u.session.peer);
		jstr(&j, "state", r->u.session.state);
		jstr(&j, "reason", r->u.session.reason);
		break;
	case TR_ROUTE:
		ju(&j, "node", r->u.route.node);
		jstr(&j, "table", r->u.route.table);
		jaddr(&j, "prefix", r->u.route.prefix);
		ju(&j, "plen", r->u.route.plen);
		jbool(&j, "withdrawn", r->u.route.withdrawn);
		jstr(&j, "nexthop", r->u.route.nexthop);
		jstr(&j, "attrs", r->u.route.attrs);
		break;
	case TR_PROV_STATE:
		ju(&j, "node", r->u.prov.node);
		jstr(&j, "resource", r->u.prov.resource);
		jstr(&j, "field", r->u.prov.field);
		jstr(&j, "state", r->u.prov.state);
		break;
	case TR_QUEUE:
		ju(&j, "link", r->u.queue.link);
		ju(&j, "dir", r->u.queue.dir);
		ju(&j, "qpkts", r->u.queue.qpkts);
		ju(&j, "qbytes", r->u.queue.qbytes);
		break;
	case TR_QUEUE_DEF:
		ju(&j, "queue", r->u.qdef.queue);
		jopt(&j, "link", r->u.qdef.link);
		if (r->u.qdef.link != TRACE_NO_ID)
			ju(&j, "dir", r->u.qdef.dir);
		jstr(&j, "kind", r->u.qdef.kind);
		break;
	case TR_QUEUE_LEN:
		ju(&j, "queue", r->u.qlen.queue);
		ju(&j, "pkts", r->u.qlen.pkts);
		ju(&j, "bytes", r->u.qlen.bytes);
		break;
	case TR_KEYFRAME:
	default:
		break;
	}
	jputs(&j, "}", 1);
	return j.n;
}
