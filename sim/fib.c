/*
 * fib.c - IPv4 longest-prefix match: a poptrie-style lookup structure in
 * front of a path-compressed binary trie of routes.
 *
 * Two structures, kept in step by fib_add and fib_del:
 *
 * The route trie, a path-compressed binary (Patricia) trie, holds every route,
 * shadowed or not. It answers exact get, the ordered walk (a pre-order walk
 * with the 0 branch first is exactly (prefix, len) order) and, on delete,
 * "which shorter route covers this prefix". Nodes live in one array and link
 * by 32-bit index: at most 2n-1 nodes of 20 bytes for n routes.
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
 * five-route VRF under 1 KB, and BGP-like random tables come to 65-115 bytes
 * per route, route trie included (see bench/fib.c).
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
 * covering route found in the route trie). Each node touched is expanded to 64
 * slots on the stack, changed and recompressed into one freshly allocated
 * block: O(64) plus one allocation per touched node. Nodes above the target
 * level are rebuilt only when a child appears or folds away. A /16 to /32
 * touches a handful of nodes (1-4 us per add or delete at 100k-1M routes in
 * bench/fib.c, mostly cache misses); a short prefix costs in proportion to the
 * part of the structure beneath it, so adding or deleting 0.0.0.0/0 under a
 * full table rewrites every node once.
 * Route trie work is O(32) per update.
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

#define RN_NONE 0u

struct rnode {
	uint32_t prefix;
	uint32_t value;
	uint32_t child[2];	/* RN_NONE or an index into fib->rn */
	uint8_t len;
	bool route;		/* false: a branching node with two children */
};

struct fib {
	struct dnode *root;
	struct rnode *rn;	/* rn[0] is unused so that 0 means none */
	uint32_t rn_cap;
	uint32_t rn_used;	/* high-water mark in rn */
	uint32_t rn_free;	/* free list through child[0] */
	uint32_t rn_nfree;
	uint32_t trie_root;
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

struct slot {
	struct dnode *child;
	struct leaf leaf;
	bool is_child;
};

static inline unsigned
popcnt64(uint64_t x)
{
	return (unsigned)__builtin_popcountll(x);
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
dn_expand(const struct dnode *n, struct slot s[SLOTS])
{
	unsigned i, c = 0, l = popcnt64(n->vector);

	for (i = 0; i < SLOTS; i++) {
		s[i].is_child = (n->vector >> i) & 1;
		if (s[i].is_child) {
			s[i].child = n->e[c++].child;
		} else {
			if ((n->leafvec >> i) & 1)
				l++;
			SIM_ASSERT(l > popcnt64(n->vector),
			    "fib: leaf slot %u before any run", i);
			s[i].leaf = n->e[l - 1].leaf;
		}
	}
}

/*
 * A new node from s, replacing *np. The children are moved, not copied: the
 * old block is freed without freeing what it pointed to.
 */
static void
dn_compress(struct fib *f, struct dnode **np, const struct slot s[SLOTS])
{
	struct dnode *kids[SLOTS], *n;
	struct leaf leaves[SLOTS];
	uint64_t vector = 0, leafvec = 0;
	unsigned i, nc = 0, nl = 0;

	for (i = 0; i < SLOTS; i++) {
		if (s[i].is_child) {
			vector |= 1ULL << i;
			kids[nc++] = s[i].child;
			continue;
		}
		if (nl == 0 || leaves[nl - 1].value != s[i].leaf.value ||
		    leaves[nl - 1].len1 != s[i].leaf.len1) {
			leafvec |= 1ULL << i;
			leaves[nl++] = s[i].leaf;
		}
	}
	n = fib_alloc(f, dn_size(nc, nl));
	n->vector = vector;
	n->leafvec = leafvec;
	for (i = 0; i < nc; i++)
		n->e[i].child = kids[i];
	for (i = 0; i < nl; i++)
		n->e[nc + i].leaf = leaves[i];
	if (*np != NULL)
		dn_release(f, *np);
	*np = n;
}

/* Fold a child whose slots all hold one leaf back into the slot. */
static void
slot_collapse(struct fib *f, struct slot *s)
{
	struct leaf lf;

	if (!s->is_child || !dn_uniform(s->child))
		return;
	lf = s->child->e[0].leaf;
	dn_release(f, s->child);
	s->is_child = false;
	s->leaf = lf;
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

/* Apply c to the subtree *np at level k; it may end up uniform. */
static void
dn_update(struct fib *f, struct dnode **np, unsigned k,
    const struct change *c)
{
	struct slot s[SLOTS];
	struct dnode *n = *np;
	unsigned shift = TOP_SHIFT - STRIDE * k;
	unsigned i, lo, hi;

	if (c->len > STRIDE * (k + 1)) {
		/* The change lies below one slot of this node. */
		i = (c->key >> shift) & (SLOTS - 1);
		if ((n->vector >> i) & 1) {
			struct dnode **ch = &n->e[popcnt64(n->vector &
			    upto(i)) - 1].child;

			dn_update(f, ch, k + 1, c);
			if (!dn_uniform(*ch))
				return;	/* only the child changed */
			dn_expand(n, s);
		} else {
			dn_expand(n, s);
			s[i].is_child = true;
			s[i].child = dn_new_uniform(f, s[i].leaf);
			dn_update(f, &s[i].child, k + 1, c);
		}
		slot_collapse(f, &s[i]);
		dn_compress(f, np, s);
		return;
	}
	if (c->len <= STRIDE * k) {
		lo = 0;		/* P/len spans this whole node */
		hi = SLOTS;
	} else {
		lo = (c->key >> shift) & (SLOTS - 1);
		hi = lo + (1u << (STRIDE * (k + 1) - c->len));
	}
	dn_expand(n, s);
	for (i = lo; i < hi; i++) {
		if (s[i].is_child) {
			dn_update(f, &s[i].child, k + 1, c);
			slot_collapse(f, &s[i]);
		} else if (leaf_hit(&s[i].leaf, c)) {
			s[i].leaf = c->leaf;
		}
	}
	dn_compress(f, np, s);
}

/* --- route trie: Patricia trie over an index-linked node array --- */

static void
rn_reserve(struct fib *f, uint32_t n)
{
	uint32_t cap, avail;

	avail = f->rn_cap > f->rn_used ? f->rn_cap - f->rn_used : 0;
	if (f->rn_nfree + avail >= n)
		return;
	cap = f->rn_cap ? f->rn_cap * 2 : 8;
	SIM_ASSERT(cap > f->rn_cap, "fib: route trie index overflow");
	f->rn = xrealloc(f->rn, (size_t)cap * sizeof(*f->rn));
	f->mem += (size_t)(cap - f->rn_cap) * sizeof(*f->rn);
	f->rn_cap = cap;
}

/* Callers reserve first, so f->rn does not move under them. */
static uint32_t
rn_get(struct fib *f)
{
	uint32_t i;

	if (f->rn_free != RN_NONE) {
		i = f->rn_free;
		f->rn_free = f->rn[i].child[0];
		f->rn_nfree--;
	} else {
		SIM_ASSERT(f->rn_used < f->rn_cap, "fib: route trie not reserved");
		i = f->rn_used++;
	}
	memset(&f->rn[i], 0, sizeof(f->rn[i]));
	return i;
}

static void
rn_put(struct fib *f, uint32_t i)
{
	f->rn[i].child[0] = f->rn_free;
	f->rn_free = i;
	f->rn_nfree++;
}

static unsigned
bit_at(uint32_t prefix, unsigned pos)
{
	return (prefix >> (31 - pos)) & 1;
}

/* Does the node's prefix cover prefix/len? */
static bool
rn_covers(const struct rnode *r, uint32_t prefix, unsigned len)
{
	return r->len <= len && ((prefix ^ r->prefix) & netmask(r->len)) == 0;
}

static uint32_t
trie_find(const struct fib *f, uint32_t prefix, unsigned len)
{
	uint32_t i = f->trie_root;

	while (i != RN_NONE) {
		const struct rnode *r = &f->rn[i];

		if (!rn_covers(r, prefix, len))
			return RN_NONE;
		if (r->len == len)
			return r->route ? i : RN_NONE;
		i = r->child[bit_at(prefix, r->len)];
	}
	return RN_NONE;
}

/* The longest route strictly shorter than len that covers prefix. */
static const struct rnode *
trie_cover(const struct fib *f, uint32_t prefix, unsigned len)
{
	const struct rnode *best = NULL;
	uint32_t i = f->trie_root;

	while (i != RN_NONE) {
		const struct rnode *r = &f->rn[i];

		if (r->len >= len || !rn_covers(r, prefix, len))
			break;
		if (r->route)
			best = r;
		i = r->child[bit_at(prefix, r->len)];
	}
	return best;
}

/* Returns 1 if prefix/len was already a route (value replaced), else 0. */
static int
trie_insert(struct fib *f, uint32_t prefix, unsigned len, uint32_t value)
{
	uint32_t *link, i, nw, br, diff;
	unsigned c;

	rn_reserve(f, 2);
	link = &f->trie_root;
	while ((i = *link) != RN_NONE) {
		struct rnode *r = &f->rn[i];

		if (!rn_covers(r, prefix, len))
			break;
		if (r->len == len) {
			int had = r->route;

			r->route = true;
			r->value = value;
			return had;
		}
		link = &r->child[bit_at(prefix, r->len)];
	}
	nw = rn_get(f);
	f->rn[nw].prefix = prefix;
	f->rn[nw].len = (uint8_t)len;
	f->rn[nw].value = value;
	f->rn[nw].route = true;
	if (i == RN_NONE) {
		*link = nw;
		return 0;
	}
	/* i does not cover prefix/len: branch where they part. */
	diff = prefix ^ f->rn[i].prefix;
	c = diff == 0 ? 32 : (unsigned)__builtin_clz(diff);
	if (c > len)
		c = len;
	if (c > f->rn[i].len)
		c = f->rn[i].len;
	if (c == len) {
		/* The new route covers i. */
		f->rn[nw].child[bit_at(f->rn[i].prefix, len)] = i;
		*link = nw;
		return 0;
	}
	br = rn_get(f);
	f->rn[br].prefix = prefix & netmask(c);
	f->rn[br].len = (uint8_t)c;
	f->rn[br].child[bit_at(prefix, c)] = nw;
	f->rn[br].child[bit_at(f->rn[i].prefix, c)] = i;
	*link = br;
	return 0;
}

/* Remove prefix/len; returns false if it is not a route. */
static bool
trie_remove(struct fib *f, uint32_t prefix, unsigned len)
{
	uint32_t *link = &f->trie_root, *plink = NULL, i;
	struct rnode *r;

	while ((i = *link) != RN_NONE) {
		r = &f->rn[i];
		if (!rn_covers(r, prefix, len))
			return false;
		if (r->len == len)
			break;
		plink = link;
		link = &r->child[bit_at(prefix, r->len)];
	}
	if (i == RN_NONE || !f->rn[i].route)
		return false;
	r = &f->rn[i];
	if (r->child[0] != RN_NONE && r->child[1] != RN_NONE) {
		r->route = false;	/* still needed as a branch */
		return true;
	}
	*link = r->child[0] != RN_NONE ? r->child[0] : r->child[1];
	rn_put(f, i);
	/* A branching parent left with one child is no longer needed. */
	if (*link == RN_NONE && plink != NULL) {
		uint32_t p = *plink;
		struct rnode *pr = &f->rn[p];

		if (!pr->route) {
			*plink = pr->child[0] != RN_NONE ? pr->child[0] :
			    pr->child[1];
			rn_put(f, p);
		}
	}
	return true;
}

/* fn must not change the table it is walking. */
static void
trie_walk(const struct fib *f, uint32_t i, fib_walk_fn fn, void *ctx)
{
	/* Depth is bounded by 33: lengths strictly grow down the trie. */
	while (i != RN_NONE) {
		const struct rnode *r = &f->rn[i];

		if (r->route)
			fn(r->prefix, r->len, r->value, ctx);
		trie_walk(f, r->child[0], fn, ctx);
		i = r->child[1];
	}
}

/* --- API --- */

struct fib *
fib_new(void)
{
	struct fib *f = xcalloc(1, sizeof(*f));

	f->mem = sizeof(*f);
	f->rn_used = 1;		/* index 0 means none */
	f->root = dn_new_uniform(f, (struct leaf){ 0, 0 });
	return f;
}

void
fib_free(struct fib *f)
{
	if (f == NULL)
		return;
	dn_free(f, f->root);
	free(f->rn);
	free(f);
}

int
fib_add(struct fib *f, uint32_t prefix, uint8_t len, uint32_t value)
{
	struct change c;
	int replaced;

	if (len > 32 || (prefix & ~netmask(len)) != 0)
		return -1;
	replaced = trie_insert(f, prefix, len, value);
	if (!replaced)
		f->count++;
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
	const struct rnode *cover;
	struct change c;

	if (len > 32 || (prefix & ~netmask(len)) != 0)
		return -1;
	if (!trie_remove(f, prefix, len))
		return -1;
	if (--f->count == 0) {
		/* An emptied table gives its route trie back. */
		f->mem -= (size_t)f->rn_cap * sizeof(*f->rn);
		free(f->rn);
		f->rn = NULL;
		f->rn_cap = f->rn_free = f->rn_nfree = 0;
		f->rn_used = 1;
		f->trie_root = RN_NONE;
	}
	cover = trie_cover(f, prefix, len);
	c.key = (uint64_t)prefix << KEY_SHIFT;
	c.len = len;
	c.del = true;
	c.leaf = cover != NULL ?
	    (struct leaf){ cover->value, (uint32_t)cover->len + 1 } :
	    (struct leaf){ 0, 0 };
	dn_update(f, &f->root, 0, &c);
	return 0;
}

bool
fib_get(const struct fib *f, uint32_t prefix, uint8_t len, uint32_t *value)
{
	uint32_t i;

	if (len > 32 || (prefix & ~netmask(len)) != 0)
		return false;
	i = trie_find(f, prefix, len);
	if (i == RN_NONE)
		return false;
	if (value != NULL)
		*value = f->rn[i].value;
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
		n = n->e[popcnt64(n->vector & upto(i)) - 1].child;
		shift -= STRIDE;
	}
	lf = &n->e[popcnt64(n->vector) +
	    popcnt64(n->leafvec & upto(i)) - 1].leaf;
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
	trie_walk(f, f->trie_root, fn, ctx);
}
