/*
 * trace_state.c - what the trace writer remembers between records: the
 * packets queued or in flight, the links and queues, the latest state per
 * key, so that a keyframe can restate it.
 */
#include <stdlib.h>
#include <string.h>

#include "trace_write.h"

/* ---- packet map ---- */

static inline size_t
pkt_hash(uint64_t uid, uint32_t link, uint8_t dir)
{
	uint64_t h = uid * 0x9e3779b97f4a7c15ULL ^
	    (((uint64_t)link << 1 | dir) + 1) * 0xc2b2ae3d27d4eb4fULL;

	return (size_t)(h ^ (h >> 31));
}

struct pkt_ent *
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
struct pkt_ent *
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

void
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

struct link_st *
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

void
queue_take(struct link_st *ls, uint8_t dir, uint32_t len)
{
	if (ls->qpkts[dir] > 0)
		ls->qpkts[dir]--;
	ls->qbytes[dir] = ls->qbytes[dir] > len ? ls->qbytes[dir] - len : 0;
}

/* ---- owned record copies ---- */

struct sent *
sent_new(struct trace *tr, const struct trace_rec *r)
{
	const char **f[TRACE_REC_STRS];
	struct trace_rec tmp = *r;
	size_t n[TRACE_REC_STRS], total = sizeof(struct sent);
	struct sent *s;
	char *c;
	int i, nf;

	nf = trace_rec_strs(&tmp, f);
	for (i = 0; i < nf; i++) {
		n[i] = *f[i] != NULL ? trace_text_len(*f[i]) : 0;
		total += *f[i] != NULL ? n[i] + 1 : 0;
	}
	s = xmalloc(total);
	s->rec = *r;
	c = s->str;
	nf = trace_rec_strs(&s->rec, f);
	for (i = 0; i < nf; i++) {
		if (*f[i] == NULL)
			continue;
		memcpy(c, *f[i], n[i]);
		c[n[i]] = '\0';
		*f[i] = c;
		c += n[i] + 1;
	}
	s->size = total;
	tr->mem += s->size;
	return s;
}

void
sent_free(struct trace *tr, struct sent *s)
{
	if (s == NULL)
		return;
	tr->mem -= s->size;
	free(s);
}

static size_t
kent_size(const struct kent *k)
{
	return sizeof(*k) + k->klen + k->plen;
}

static void
kent_free(struct trace *tr, struct kent *k)
{
	tr->mem -= kent_size(k);
	free(k);
}

static void
list_unlink(struct smap *m, struct kent *k)
{
	if (k->newer != NULL)
		k->newer->older = k->older;
	else
		m->newest = k->older;
	if (k->older != NULL)
		k->older->newer = k->newer;
	else
		m->oldest = k->newer;
	k->newer = k->older = NULL;
}

static void
list_push(struct smap *m, struct kent *k)
{
	k->older = m->newest;
	k->newer = NULL;
	if (m->newest != NULL)
		m->newest->newer = k;
	else
		m->oldest = k;
	m->newest = k;
}

static void
smap_grow(struct trace *tr, struct smap *m)
{
	struct kent *k, *nx, **nb;
	size_t i, n = m->nb * 2;

	nb = xcalloc(n, sizeof(*nb));
	for (i = 0; i < m->nb; i++)
		for (k = m->b[i]; k != NULL; k = nx) {
			nx = k->next;
			k->next = nb[k->h & (n - 1)];
			nb[k->h & (n - 1)] = k;
		}
	free(m->b);
	tr->mem += (n - m->nb) * sizeof(*m->b);
	m->b = nb;
	m->nb = n;
}

static void
smap_del(struct trace *tr, struct smap *m, struct kent **pp)
{
	struct kent *k = *pp;

	*pp = k->next;
	list_unlink(m, k);
	kent_free(tr, k);
	m->n--;
}

/* Where the entry of key is, or the end of its chain (*result NULL). */
static struct kent **
smap_find(struct smap *m, const void *key, size_t klen, uint32_t h)
{
	struct kent **pp, *k;

	for (pp = &m->b[h & (m->nb - 1)]; (k = *pp) != NULL; pp = &k->next)
		if (k->h == h && k->klen == klen &&
		    memcmp(k->b, key, klen) == 0)
			break;
	return pp;
}

/*
 * r becomes the latest record of its key, changed in the interval that
 * keyframe number gen closes. gone: r removes the key; it stays as a
 * tombstone while some later delta may have to say so.
 */
static void
smap_set(struct trace *tr, struct smap *m, const void *key, size_t klen,
    const struct trace_rec *r, bool gone, uint64_t gen)
{
	uint32_t h = (uint32_t)trace_fnv1a(key, klen);
	uint8_t pl[PAYLOAD_MAX];
	struct kent **pp, *k;
	uint32_t born;
	size_t n;

	if (m->nb == 0) {
		m->nb = 64;
		m->b = xcalloc(m->nb, sizeof(*m->b));
		tr->mem += m->nb * sizeof(*m->b);
	}
	pp = smap_find(m, key, klen, h);
	k = *pp;
	/* Removing what no keyframe state holds changes nothing; and a key
	 * that appeared after the latest keyframe is in none of them. */
	if (gone && (k == NULL || k->gone))
		return;
	born = k != NULL ? k->born : (uint32_t)gen;
	if (k != NULL)
		smap_del(tr, m, pp);
	if (gone && born == gen)
		return;
	n = encode_lit(tr, r, pl);
	SIM_ASSERT(klen <= UINT16_MAX && n <= UINT16_MAX, "trace: key size");
	k = xmalloc(sizeof(*k) + klen + n);
	k->h = h;
	k->klen = (uint16_t)klen;
	k->plen = (uint16_t)n;
	k->gone = gone;
	k->gen = gen;
	k->born = born;
	memcpy(k->b, key, klen);
	memcpy(k->b + klen, pl, n);
	tr->mem += kent_size(k);
	k->next = *pp;
	*pp = k;
	list_push(m, k);
	m->n++;
	if (m->n > m->nb)
		smap_grow(tr, m);
}

static void
smap_free(struct trace *tr, struct smap *m)
{
	struct kent *k, *nx;
	size_t i;

	for (i = 0; i < m->nb; i++)
		for (k = m->b[i]; k != NULL; k = nx) {
			nx = k->next;
			kent_free(tr, k);
		}
	free(m->b);
	tr->mem -= m->nb * sizeof(*m->b);
	memset(m, 0, sizeof(*m));
}

/* Free every tombstone: after a full (base 0) keyframe no delta needs one. */
static void
smap_bury(struct trace *tr, struct smap *m)
{
	struct kent **pp;
	size_t i;

	for (i = 0; i < m->nb; i++)
		for (pp = &m->b[i]; *pp != NULL;)
			if ((*pp)->gone)
				smap_del(tr, m, pp);
			else
				pp = &(*pp)->next;
}

/* Key bytes: each key field's value, strings with their length. */
static size_t
key_of(const struct trace_desc *d, const struct trace_rec *r,
    unsigned char *k)
{
	const struct trace_field *f;
	const char *s;
	size_t n = 0, len;
	unsigned i;

	for (i = 0; i < d->nkey; i++) {
		f = &d->f[d->key[i]];
		switch (f->kind) {
		case TF_STR:
		case TF_TEXT:
			s = *(const char *const *)crec_at(r, f->off);
			len = s ? trace_text_len(s) : 0;
			k[n++] = s ? (unsigned char)(len & 0xff) : 0;
			k[n++] = s ? (unsigned char)(1 + (len >> 8)) : 0;
			memcpy(k + n, s ? s : "", len);
			n += len;
			break;
		case TF_BYTE:
			k[n++] = *(const uint8_t *)crec_at(r, f->off);
			break;
		default:	/* the 32-bit kinds: ids, addresses, enums */
			SIM_ASSERT(f->kind == TF_U32 || f->kind == TF_ADDR ||
			    f->kind == TF_ENUM, "trace: key kind %u", f->kind);
			memcpy(k + n, crec_at(r, f->off), 4);
			n += 4;
			break;
		}
	}
	return n;
}

void
keyed_set(struct trace *tr, const struct trace_rec *r)
{
	if (tr->kdec == NULL) {
		tr->kdec = trace_decoder_new();
		tr->mem += trace_decoder_size();
	}
	const struct trace_desc *d = trace_desc_of(r->type);
	unsigned char key[TRACE_KEY_MAX * (TRACE_TEXT_MAX + 8)];
	size_t n = key_of(d, r, key);
	bool gone = d->gone >= 0 &&
	    *(const bool *)crec_at(r, d->f[d->gone].off);

	smap_set(tr, &tr->keyed[r->type], key, n, r, gone, tr->nkf + 1);
}

bool
keyed_get(struct trace *tr, const struct trace_rec *r, struct trace_rec *out)
{
	const struct trace_desc *d = trace_desc_of(r->type);
	unsigned char key[TRACE_KEY_MAX * (TRACE_TEXT_MAX + 8)];
	struct smap *m = &tr->keyed[r->type];
	size_t n = key_of(d, r, key);
	struct kent *k;
	char err[160];
	int rc;

	if (m->nb == 0)
		return false;
	k = *smap_find(m, key, n, (uint32_t)trace_fnv1a(key, n));
	if (k == NULL || k->gone)
		return false;
	rc = trace_decode_lit(tr->kdec, (unsigned)r->type, k->b + k->klen,
	    k->plen, out, err, sizeof(err));
	SIM_ASSERT(rc == 1, "trace: kept record: %s", err);
	return true;
}

void
keyed_forget(struct trace *tr, const struct trace_rec *r)
{
	const struct trace_desc *d = trace_desc_of(r->type);
	unsigned char key[TRACE_KEY_MAX * (TRACE_TEXT_MAX + 8)];
	struct smap *m = &tr->keyed[r->type];
	size_t n = key_of(d, r, key);
	struct kent **pp;

	if (m->nb == 0)
		return;
	pp = smap_find(m, key, n, (uint32_t)trace_fnv1a(key, n));
	if (*pp != NULL)
		smap_del(tr, m, pp);
}

/*
 * Keyframe n restates the keyed records that changed in (base, n], base =
 * n with its lowest set bit cleared; a reader rebuilds the state at n by
 * applying the deltas of n's chain of bases (at most log2(n) + 1 of them)
 * oldest first. Each change is restated by at most log2(keyframes) + 1
 * keyframes, whatever the size of the table.
 */
void
keyed_emit(struct trace *tr, uint64_t base)
{
	struct trace_rec r;
	struct smap *m;
	struct kent *k;
	char err[160];
	unsigned t;
	int rc;

	for (t = 0; t < TR_TYPE_MAX; t++) {
		m = &tr->keyed[t];
		for (k = m->newest; k != NULL && k->gen > base; k = k->older) {
			if (k->gone && base == 0)
				continue;
			rc = trace_decode_lit(tr->kdec, t, k->b + k->klen,
			    k->plen, &r, err, sizeof(err));
			SIM_ASSERT(rc == 1, "trace: kept record: %s", err);
			emit(tr, &r);
		}
		if (base == 0)
			smap_bury(tr, m);
	}
}

void
keyed_free(struct trace *tr)
{
	unsigned t;

	for (t = 0; t < TR_TYPE_MAX; t++)
		smap_free(tr, &tr->keyed[t]);
	trace_decoder_free(tr->kdec);
}
