/*
 * fib.c - IPv4 longest-prefix match: a poptrie-style lookup structure in
 * front of a hash table of routes.
 *
 * Two structures, kept in step by fib_add and fib_del:
 *
 * The route table, open addressing on (prefix, len) with 12-byte entries at
 * most 3/4 full, holds every route, shadowed or not. It answers exact get
 * and replace in one probe, and, on delete, "which shorter route covers
 * this prefix" in one probe per shorter length the table has held (a
 * 33-bit mask), longest first. The ordered walk collects and sorts. It
 * replaced a Patricia trie, whose ~20 dependent cache misses per insert at
 * 1M routes were half the cost of an insert (bench/README.md, bgp_ingest).
 *
 * The lookup side is a multibit trie with a 6-bit stride, compressed the way
 * poptrie (Asai & Ohara, SIGCOMM 2015) does it. The address is read as a 36-bit
 * key (addr << 4) so every level, the sixth included, is 64 slots wide. Routes
 * are expanded to the level their last bit falls in (controlled prefix
 * expansion) and leaf-pushed, so a slot is either a child node or the answer
 * for all its addresses. A node stores only:
 *	vector	 bit i set: slot i is a child
 *	leafvec	 bit i set: slot i is a leaf differing from the previous leaf
 *	child[]	 the children in slot order, popcount(vector) of them
 *	leaf[]	 one (value, len) per run of equal leaves
 * so slot i is child[popcount(vector & bits 0..i) - 1] or
 * leaf[popcount(leafvec & bits 0..i) - 1]. A node is a single block (bitmaps,
 * child pointers, leaf runs) so each step of a lookup touches one allocation.
 * A lookup is at most six steps of bit test + popcount + one load, allocates
 * nothing and its cost does not depend on the number of routes, only on the
 * depth of the match (a /24 is four levels). A node costs 16 bytes plus 8
 * per child and per run of equal leaves: an empty table is about 80 bytes, a
 * five-route VRF under 1 KB, and BGP-like random tables come to 47-100 bytes
 * per route, route table included (see bench/fib.c).
 *
 * Why this and not the alternatives: DIR-24-8 costs 32 MB or more per table,
 * which hundreds of small VRFs cannot afford; a plain 8-bit-stride trie with
 * uncompressed 256-slot nodes is 1-2 KB per node, hence tens of KB for a
 * handful of routes spread over the address space and over 100 MB for 1M
 * random routes; binary search on prefix lengths needs markers and hashing on
 * every probe. The popcount-compressed trie keeps the per-lookup work of a
 * multibit trie at the memory of a compressed one.
 *
 * Cost of updates. The canonical form is: no child node whose 64 slots are one
 * leaf (such a node is folded back into its parent's slot). A change to P/len
 * walks down to level (len - 1) / 6, creating nodes by pushing the inherited
 * leaf down where needed, then rewrites the 2^(6k+6-len) slots P/len covers
 * and, inside child nodes under those slots, every leaf that P/len now shadows
 * (add) or that showed P/len (delete, which puts back the longest shorter
 * covering route found in the route table). Updates work on the compressed
 * node: the leaf runs of the changed range are rebuilt in place (a block is
 * reallocated only when its number of runs changes), a new child is spliced
 * into a leaf slot, and children under the range are updated in place; a
 * node is expanded to 64 slots and recompressed only when a child folds
 * back into a leaf. Nodes above the target level change only when a child
 * appears or folds away. A /16 to /32 touches a handful of nodes (about
 * 0.7 us per add at 1M routes, mostly the cache misses of the route's hash
 * slot and its node); a short prefix costs in proportion to the part of the
 * structure beneath it, so adding or deleting 0.0.0.0/0 under a full table
 * rewrites every node once.
 */
#include <stdlib.h>
#include <string.h>

#include "fib.h"
#include "sim.h"

#define STRIDE 6
#define SLOTS 64
#define LEVELS 6
#define KEY_SHIFT 4		/* 32-bit address -> 36-bit key */
#define TOP_SHIFT (LEVELS * STRIDE - STRIDE)

/* A leaf: the best route for a run of slots. len1 is len + 1; 0 = no route. */
struct leaf {
	uint32_t value;
	uint32_t len1;
};

/*
 * A node is one block: the two bitmaps, then its children (in slot order),
 * then its leaf runs, so a lookup step touches one allocation.
 */
union dent {
	struct dnode *child;
	struct leaf leaf;
};

struct dnode {
	uint64_t vector;
	uint64_t leafvec;
	union dent e[];
};

/* A route in the route table; len1 is len + 1, 0 marks an empty slot. */
struct route {
	uint32_t prefix;
	uint32_t value;
	uint32_t len1;
};

struct fib {
	struct dnode *root;
	struct route *rt;	/* open addressing, rt_cap a power of 2 */
	uint32_t rt_cap;
	uint64_t lenmask;	/* bit l: a route of length l may exist */
	size_t count;
	size_t mem;		/* bytes allocated, struct fib included */
};

/* The slot being changed, in key form. */
struct change {
	uint64_t key;
	unsigned len;
	bool del;
	struct leaf leaf;	/* what the affected leaves become */
};

/* A node expanded to its 64 slots: cm bit i set means e[i] is a child. */
struct slots {
	uint64_t cm;
	union dent e[SLOTS];
};

/*
 * Updates count bits with this inline sequence: x86-64's baseline has no
 * POPCNT instruction, and __builtin_popcountll would be a libgcc call (8% of
 * an insert). Lookups use the builtin in a function built for both.
 */
static inline unsigned
popcnt64(uint64_t x)
{
#ifdef __POPCNT__
	return (unsigned)__builtin_popcountll(x);
#else
	x -= (x >> 1) & 0x5555555555555555ULL;
	x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
	return (unsigned)((x * 0x0101010101010101ULL) >> 56);
#endif
}

/* Bits 0..i of a 64-bit word. */
static inline uint64_t
upto(unsigned i)
{
	return ~0ULL >> (63 - i);
}

static uint32_t
netmask(unsigned len)
{
	return len == 0 ? 0 : ~0u << (32 - len);
}

static void *
fib_alloc(struct fib *f, size_t n)
{
	f->mem += n;
	return xmalloc(n);
}

static void
fib_release(struct fib *f, void *p, size_t n)
{
	if (p == NULL)
		return;
	f->mem -= n;
	free(p);
}

/* --- lookup structure --- */

/*
 * Copy n entries between blocks. A node's entries are few, and gcc turns
 * memcpy of 8-byte-aligned entries into `rep movsq`, whose microcoded start
 * cost more than the copy itself: it was a quarter of an insert's time.
 */
static inline void
dent_copy(union dent *to, const union dent *from, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		to[i] = from[i];
}

static size_t
dn_size(unsigned nc, unsigned nl)
{
	return sizeof(struct dnode) + (size_t)(nc + nl) * sizeof(union dent);
}

static void
dn_release(struct fib *f, struct dnode *n)
{
	fib_release(f, n, dn_size(popcnt64(n->vector), popcnt64(n->leafvec)));
}

static void
dn_free(struct fib *f, struct dnode *n)
{
	unsigned i, nc = popcnt64(n->vector);

	for (i = 0; i < nc; i++)
		dn_free(f, n->e[i].child);
	dn_release(f, n);
}

/* A node holding one leaf in all 64 slots. */
static struct dnode *
dn_new_uniform(struct fib *f, struct leaf lf)
{
	struct dnode *n = fib_alloc(f, dn_size(0, 1));

	n->vector = 0;
	n->leafvec = 1;
	n->e[0].leaf = lf;
	return n;
}

static bool
dn_uniform(const struct dnode *n)
{
	return n->vector == 0 && n->leafvec == 1;
}

static void
dn_expand(const struct dnode *n, struct slots *s)
{
	uint64_t v = n->vector, lv = n->leafvec;
	unsigned i, c = 0, l = popcnt64(v);

	s->cm = v;
	for (i = 0; i < SLOTS; i++) {
		if ((v >> i) & 1) {
			s->e[i].child = n->e[c++].child;
			continue;
		}
		l += (lv >> i) & 1;
		SIM_ASSERT(l > popcnt64(v), "fib: leaf slot %u before any run",
		    i);
		s->e[i].leaf = n->e[l - 1].leaf;
	}
}

/*
 * The node for s, into *np. The children are moved, not copied. The old
 * block is reused when the new one has the same size (most changes only
 * rewrite leaves), otherwise freed without freeing what it pointed to.
 */
static void
dn_compress(struct fib *f, struct dnode **np, const struct slots *s)
{
	struct dnode *kids[SLOTS], *n;
	struct leaf leaves[SLOTS];
	uint64_t leafvec = 0;
	unsigned i, nc = 0, nl = 0;

	for (i = 0; i < SLOTS; i++) {
		if ((s->cm >> i) & 1) {
			kids[nc++] = s->e[i].child;
			continue;
		}
		if (nl == 0 || leaves[nl - 1].value != s->e[i].leaf.value ||
		    leaves[nl - 1].len1 != s->e[i].leaf.len1) {
			leafvec |= 1ULL << i;
			leaves[nl++] = s->e[i].leaf;
		}
	}
	n = *np;
	if (n == NULL || popcnt64(n->vector) + popcnt64(n->leafvec) !=
	    nc + nl) {
		if (n != NULL)
			dn_release(f, n);
		n = fib_alloc(f, dn_size(nc, nl));
		*np = n;
	}
	n->vector = s->cm;
	n->leafvec = leafvec;
	for (i = 0; i < nc; i++)
		n->e[i].child = kids[i];
	for (i = 0; i < nl; i++)
		n->e[nc + i].leaf = leaves[i];
}

/* Fold a child whose slots all hold one leaf back into slot i. */
static void
slot_collapse(struct fib *f, struct slots *s, unsigned i)
{
	struct leaf lf;

	if (!((s->cm >> i) & 1) || !dn_uniform(s->e[i].child))
		return;
	lf = s->e[i].child->e[0].leaf;
	dn_release(f, s->e[i].child);
	s->cm &= ~(1ULL << i);
	s->e[i].leaf = lf;
}

static bool
leaf_hit(const struct leaf *lf, const struct change *c)
{
	/* Add: P/len now beats every leaf no longer than itself in its span
	 * (an equal length there can only be P/len itself). Delete: exactly
	 * the leaves showing P/len. */
	if (c->del)
		return lf->len1 == c->len + 1;
	return lf->len1 <= c->len + 1;
}

static bool
leaf_eq(struct leaf a, struct leaf b)
{
	return a.value == b.value && a.len1 == b.len1;
}

/*
 * Apply c to slots lo..hi-1 of *np, all of them leaves, on the compressed
 * form: the runs before lo are kept, the range's runs are rebuilt, and the
 * runs from the first leaf slot past the range on are kept, merged into the
 * range's last run when equal. This is most changes of a big table (a /24
 * rewriting one slot of its node), and costs a few popcounts instead of
 * expanding and recompressing 64 slots. The block is reused when the number
 * of runs is the same.
 */
static void
dn_set_leaves(struct fib *f, struct dnode **np, unsigned lo, unsigned hi,
    const struct change *c)
{
	struct dnode *n = *np, *m;
	struct leaf out[SLOTS + 1], cur = { 0, 0 }, lf;
	uint64_t v = n->vector, lv = n->leafvec;
	uint64_t below = lo == 0 ? 0 : upto(lo - 1);
	uint64_t upto_hi = upto(hi - 1), tail, nlv;
	unsigned nc = popcnt64(v), nl = popcnt64(lv);
	unsigned a = popcnt64(lv & below), k = 0, i, j, r, run;
	bool have = a > 0;

	if (have)
		cur = n->e[nc + a - 1].leaf;
	nlv = lv & below;
	/* run = the runs starting at or before slot i (child slots start none) */
	for (i = lo, run = a; i < hi; i++) {
		run += (unsigned)(lv >> i) & 1;
		if ((v >> i) & 1)
			continue;	/* a child, updated by the caller */
		lf = n->e[nc + run - 1].leaf;
		if (leaf_hit(&lf, c))
			lf = c->leaf;
		if (!have || !leaf_eq(lf, cur)) {
			nlv |= 1ULL << i;
			out[k++] = lf;
			cur = lf;
			have = true;
		}
	}
	tail = ~v & ~upto_hi;
	if (tail != 0) {
		j = (unsigned)__builtin_ctzll(tail);
		r = popcnt64(lv & upto(j)) - 1;	/* the run covering slot j */
		lf = n->e[nc + r].leaf;
		if (!have || !leaf_eq(lf, cur)) {
			nlv |= 1ULL << j;
			out[k++] = lf;
		}
		for (r++; r < nl; r++)
			out[k++] = n->e[nc + r].leaf;
		nlv |= lv & ~upto(j);
	}
	if (a + k != nl) {
		m = fib_alloc(f, dn_size(nc, a + k));
		dent_copy(m->e, n->e, nc + a);
		m->vector = v;
		dn_release(f, n);
		*np = n = m;
	}
	n->leafvec = nlv;
	for (i = 0; i < k; i++)
		n->e[nc + a + i].leaf = out[i];
}

/*
 * Make leaf slot i of *np the child ch, on the compressed form: the slot's
 * leaf leaves the run sequence (its run goes with it when it was the only
 * slot, and the runs on either side merge when they are then equal).
 */
static void
dn_add_child(struct fib *f, struct dnode **np, unsigned i, struct dnode *ch)
{
	struct dnode *n = *np, *m;
	uint64_t v = n->vector, lv = n->leafvec, bit = 1ULL << i;
	uint64_t below = i == 0 ? 0 : upto(i - 1), later = ~v & ~upto(i);
	uint64_t nlv = lv & ~bit;
	unsigned nc = popcnt64(v), nl = popcnt64(lv), ci = popcnt64(v & below);
	unsigned a = popcnt64(lv & below), drop = 0, j;

	if (lv & bit) {
		j = later != 0 ? (unsigned)__builtin_ctzll(later) : SLOTS;
		if (j < SLOTS && !((lv >> j) & 1)) {
			nlv |= 1ULL << j;	/* j now starts i's run */
		} else {
			drop = 1;		/* i's run was i alone */
			if (j < SLOTS && a > 0 && leaf_eq(n->e[nc + a - 1].leaf,
			    n->e[nc + a + 1].leaf)) {
				nlv &= ~(1ULL << j);
				drop = 2;
			}
		}
	}
	m = fib_alloc(f, dn_size(nc + 1, nl - drop));
	m->vector = v | bit;
	m->leafvec = nlv;
	dent_copy(m->e, n->e, ci);
	m->e[ci].child = ch;
	dent_copy(&m->e[ci + 1], &n->e[ci], nc - ci + a);
	dent_copy(&m->e[nc + 1 + a], &n->e[nc + a + drop], nl - a - drop);
	dn_release(f, n);
	*np = m;
}

/* Apply c to the subtree *np at level k; it may end up uniform. */
static void
dn_update(struct fib *f, struct dnode **np, unsigned k,
    const struct change *c)
{
	struct slots s;
	struct dnode *n = *np, **ch;
	unsigned shift = TOP_SHIFT - STRIDE * k;
	unsigned i, lo, hi;
	uint64_t kids, m;
	bool fold = false;

	if (c->len > STRIDE * (k + 1)) {
		/* The change lies below one slot of this node. */
		i = (c->key >> shift) & (SLOTS - 1);
		if ((n->vector >> i) & 1) {
			ch = &n->e[popcnt64(n->vector & upto(i)) - 1].child;

			dn_update(f, ch, k + 1, c);
			if (!dn_uniform(*ch))
				return;	/* only the child changed */
			dn_expand(n, &s);
		} else {
			struct dnode *nc = dn_new_uniform(f, n->e[popcnt64(
			    n->vector) + popcnt64(n->leafvec & upto(i)) - 1].leaf);

			dn_update(f, &nc, k + 1, c);
			if (!dn_uniform(nc)) {
				dn_add_child(f, np, i, nc);
				return;
			}
			dn_expand(n, &s);
			s.cm |= 1ULL << i;
			s.e[i].child = nc;
		}
		slot_collapse(f, &s, i);
		dn_compress(f, np, &s);
		return;
	}
	if (c->len <= STRIDE * k) {
		lo = 0;		/* P/len spans this whole node */
		hi = SLOTS;
	} else {
		lo = (c->key >> shift) & (SLOTS - 1);
		hi = lo + (1u << (STRIDE * (k + 1) - c->len));
	}
	/*
	 * The children under the range take the change in place; unless one
	 * of them folds to a single leaf, this node's structure stays and
	 * only its leaves in the range change.
	 */
	kids = n->vector & upto(hi - 1) & ~(lo == 0 ? 0 : upto(lo - 1));
	for (m = kids; m != 0; m &= m - 1) {
		i = (unsigned)__builtin_ctzll(m);
		ch = &n->e[popcnt64(n->vector & upto(i)) - 1].child;
		dn_update(f, ch, k + 1, c);
		fold |= dn_uniform(*ch);
	}
	if (!fold) {
		dn_set_leaves(f, np, lo, hi, c);
		return;
	}
	dn_expand(n, &s);
	for (i = lo; i < hi; i++) {
		if ((s.cm >> i) & 1)
			slot_collapse(f, &s, i);	/* already updated */
		else if (leaf_hit(&s.e[i].leaf, c))
			s.e[i].leaf = c->leaf;
	}
	dn_compress(f, np, &s);
}

/* --- route table: open addressing on (prefix, len) --- */

static uint32_t
rt_home(uint32_t prefix, unsigned len, uint32_t cap)
{
	uint64_t x = ((uint64_t)prefix << 8 | len) * 0x9e3779b97f4a7c15ULL;

	return (uint32_t)(x >> 32) & (cap - 1);
}

/* The slot holding prefix/len, or the empty slot where it would go. */
static uint32_t
rt_slot(const struct fib *f, uint32_t prefix, unsigned len)
{
	uint32_t m = f->rt_cap - 1, i = rt_home(prefix, len, f->rt_cap);

	while (f->rt[i].len1 != 0 && (f->rt[i].prefix != prefix ||
	    f->rt[i].len1 != len + 1))
		i = (i + 1) & m;
	return i;
}

static const struct route *
rt_find(const struct fib *f, uint32_t prefix, unsigned len)
{
	uint32_t i;

	if (f->rt_cap == 0 || !((f->lenmask >> len) & 1))
		return NULL;
	i = rt_slot(f, prefix, len);
	return f->rt[i].len1 != 0 ? &f->rt[i] : NULL;
}

static void
rt_resize(struct fib *f, uint32_t cap)
{
	struct route *old = f->rt;
	uint32_t ocap = f->rt_cap, i;

	f->rt = xcalloc(cap, sizeof(*f->rt));
	f->rt_cap = cap;
	f->mem += (size_t)cap * sizeof(*f->rt);
	for (i = 0; i < ocap; i++)
		if (old[i].len1 != 0)
			f->rt[rt_slot(f, old[i].prefix, old[i].len1 - 1)] =
			    old[i];
	f->mem -= (size_t)ocap * sizeof(*old);
	free(old);
}

/* Returns 1 if prefix/len was already a route (value replaced), else 0. */
static int
rt_insert(struct fib *f, uint32_t prefix, unsigned len, uint32_t value)
{
	uint32_t i;

	/* at most 3/4 full, so probes stay short */
	if (4 * (f->count + 1) > 3 * (size_t)f->rt_cap)
		rt_resize(f, f->rt_cap ? f->rt_cap * 2 : 8);
	i = rt_slot(f, prefix, len);
	f->rt[i].value = value;
	if (f->rt[i].len1 != 0)
		return 1;
	f->rt[i].prefix = prefix;
	f->rt[i].len1 = len + 1;
	f->lenmask |= 1ULL << len;
	f->count++;
	return 0;
}

/* Remove prefix/len (backward-shift deletion); false if it is not a route. */
static bool
rt_remove(struct fib *f, uint32_t prefix, unsigned len)
{
	uint32_t m, i, j, h;

	if (rt_find(f, prefix, len) == NULL)
		return false;
	m = f->rt_cap - 1;
	i = rt_slot(f, prefix, len);
	for (j = (i + 1) & m; f->rt[j].len1 != 0; j = (j + 1) & m) {
		h = rt_home(f->rt[j].prefix, f->rt[j].len1 - 1, f->rt_cap);
		/* j may fill the hole at i if its home is not in (i, j] */
		if (((j - h) & m) >= ((j - i) & m)) {
			f->rt[i] = f->rt[j];
			i = j;
		}
	}
	f->rt[i].len1 = 0;
	f->count--;
	return true;
}

/*
 * The longest route strictly shorter than len that covers prefix: one probe
 * per shorter length the table has held (lenmask is cleared only when the
 * table empties, so a length may cost a probe that finds nothing).
 */
static const struct route *
rt_cover(const struct fib *f, uint32_t prefix, unsigned len)
{
	uint64_t m = f->lenmask & ((1ULL << len) - 1);
	const struct route *r;
	unsigned l;

	while (m != 0) {
		l = 63 - (unsigned)__builtin_clzll(m);
		if ((r = rt_find(f, prefix & netmask(l), l)) != NULL)
			return r;
		m &= ~(1ULL << l);
	}
	return NULL;
}

static int
route_cmp(const void *a, const void *b)
{
	const struct route *x = a, *y = b;

	if (x->prefix != y->prefix)
		return x->prefix < y->prefix ? -1 : 1;
	return x->len1 < y->len1 ? -1 : x->len1 > y->len1;
}

/* --- API --- */

struct fib *
fib_new(void)
{
	struct fib *f = xcalloc(1, sizeof(*f));

	f->mem = sizeof(*f);
	f->root = dn_new_uniform(f, (struct leaf){ 0, 0 });
	return f;
}

void
fib_free(struct fib *f)
{
	if (f == NULL)
		return;
	dn_free(f, f->root);
	free(f->rt);
	free(f);
}

/*
 * Levels 0 and 1 (65 nodes at most) stay in cache; from level 2 on, a step
 * of the walk is one line that may have to come from memory: a node's
 * header (its bitmaps) or the line of the entry it leads to.
 */
#define PF_CACHED_LEVELS 2

void
fib_prefetch_step(const struct fib *f, uint32_t prefix, uint8_t len,
    unsigned step)
{
	const struct dnode *n = f->root;
	const union dent *e;
	uint64_t key = (uint64_t)prefix << KEY_SHIFT;
	unsigned shift = TOP_SHIFT, i, k;

	if (len > 32)
		return;
	if (step == 0 && f->rt_cap != 0) {
		uint32_t h = rt_home(prefix, len, f->rt_cap);

		/* a probe at 3/4 load often runs into the next line */
		__builtin_prefetch(&f->rt[h]);
		__builtin_prefetch(&f->rt[(h + 5) & (f->rt_cap - 1)]);
	}
	/* down to the node the change lands in, as dn_update will go */
	for (k = 0; ; k++) {
		if (STRIDE * (k + 1) >= len) {
			/* its header and its first leaves */
			if (k < PF_CACHED_LEVELS || step == 0) {
				__builtin_prefetch(n);
				__builtin_prefetch((const char *)n + 64);
			}
			return;
		}
		if (k >= PF_CACHED_LEVELS && step-- == 0) {
			__builtin_prefetch(n);
			return;
		}
		i = (key >> shift) & (SLOTS - 1);
		if (!((n->vector >> i) & 1))
			return;
		e = &n->e[popcnt64(n->vector & upto(i)) - 1];
		if (k >= PF_CACHED_LEVELS && step-- == 0) {
			__builtin_prefetch(e);
			return;
		}
		n = e->child;
		shift -= STRIDE;
	}
}

void
fib_prefetch(const struct fib *f, uint32_t prefix, uint8_t len)
{
	fib_prefetch_step(f, prefix, len, 2 * LEVELS);
}

int
fib_add(struct fib *f, uint32_t prefix, uint8_t len, uint32_t value)
{
	struct change c;
	int replaced;

	if (len > 32 || (prefix & ~netmask(len)) != 0)
		return -1;
	replaced = rt_insert(f, prefix, len, value);
	c.key = (uint64_t)prefix << KEY_SHIFT;
	c.len = len;
	c.del = false;
	c.leaf = (struct leaf){ value, (uint32_t)len + 1 };
	dn_update(f, &f->root, 0, &c);
	return replaced;
}

int
fib_del(struct fib *f, uint32_t prefix, uint8_t len)
{
	const struct route *cover;
	struct change c;

	if (len > 32 || (prefix & ~netmask(len)) != 0)
		return -1;
	if (!rt_remove(f, prefix, len))
		return -1;
	if (f->count == 0) {
		/* An emptied table gives its route table back. */
		f->mem -= (size_t)f->rt_cap * sizeof(*f->rt);
		free(f->rt);
		f->rt = NULL;
		f->rt_cap = 0;
		f->lenmask = 0;
	}
	cover = rt_cover(f, prefix, len);
	c.key = (uint64_t)prefix << KEY_SHIFT;
	c.len = len;
	c.del = true;
	c.leaf = cover != NULL ?
	    (struct leaf){ cover->value, cover->len1 } :
	    (struct leaf){ 0, 0 };
	dn_update(f, &f->root, 0, &c);
	return 0;
}

bool
fib_get(const struct fib *f, uint32_t prefix, uint8_t len, uint32_t *value)
{
	const struct route *r;

	if (len > 32 || (prefix & ~netmask(len)) != 0)
		return false;
	if ((r = rt_find(f, prefix, len)) == NULL)
		return false;
	if (value != NULL)
		*value = r->value;
	return true;
}

/*
 * Built twice on x86-64 (with and without the POPCNT instruction) and picked
 * at load time: without it every popcount is a libgcc call, which doubles
 * the cost of a lookup.
 */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("popcnt", "default")))
#endif
bool
fib_lookup(const struct fib *f, uint32_t addr, uint32_t *value, uint8_t *len)
{
	const struct dnode *n = f->root;
	const struct leaf *lf;
	uint64_t key = (uint64_t)addr << KEY_SHIFT;
	unsigned shift = TOP_SHIFT, i;

	for (;;) {
		i = (key >> shift) & (SLOTS - 1);
		if (!((n->vector >> i) & 1))
			break;
		n = n->e[(unsigned)__builtin_popcountll(n->vector & upto(i)) - 1].child;
		shift -= STRIDE;
	}
	lf = &n->e[(unsigned)__builtin_popcountll(n->vector) +
	    (unsigned)__builtin_popcountll(n->leafvec & upto(i)) - 1].leaf;
	if (lf->len1 == 0)
		return false;
	if (value != NULL)
		*value = lf->value;
	if (len != NULL)
		*len = (uint8_t)(lf->len1 - 1);
	return true;
}

size_t
fib_count(const struct fib *f)
{
	return f->count;
}

size_t
fib_memory(const struct fib *f)
{
	return f->mem;
}

void
fib_walk(const struct fib *f, fib_walk_fn fn, void *ctx)
{
	struct route *v;
	size_t i, n = 0;

	if (f->count == 0)
		return;
	v = xmalloc(f->count * sizeof(*v));
	for (i = 0; i < f->rt_cap; i++)
		if (f->rt[i].len1 != 0)
			v[n++] = f->rt[i];
	qsort(v, n, sizeof(*v), route_cmp);
	for (i = 0; i < n; i++)
		fn(v[i].prefix, (uint8_t)(v[i].len1 - 1), v[i].value, ctx);
	free(v);
}
