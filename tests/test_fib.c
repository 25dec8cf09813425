/* test_fib.c - the forwarding table: LPM against reference models, walk, memory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fib.h"
#include "testutil.h"

/* A small local generator: the tests must not depend on rng.c's streams. */
struct prng {
	uint64_t x;
};

static uint64_t
prng_next(struct prng *r)
{
	uint64_t z = (r->x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t
prng_below(struct prng *r, uint32_t n)
{
	return (uint32_t)(prng_next(r) % n);
}

static uint32_t
mask(unsigned len)
{
	return len == 0 ? 0 : ~0u << (32 - len);
}

/* "a.b.c.d/len" or "a.b.c.d" (len 32). */
static uint32_t
ip(const char *s, uint8_t *len)
{
	unsigned a, b, c, d, l = 32;
	int n = sscanf(s, "%u.%u.%u.%u/%u", &a, &b, &c, &d, &l);

	CU_ASSERT_FATAL(n == 4 || n == 5);
	if (len != NULL)
		*len = (uint8_t)l;
	return a << 24 | b << 16 | c << 8 | d;
}

/* --- table-driven basics --- */

enum op { ADD, DEL, GET, LOOK, COUNT };

struct step {
	enum op op;
	const char *arg;	/* prefix for ADD/DEL/GET, address for LOOK */
	uint32_t value;		/* ADD: value; GET/LOOK: expected value */
	int want;		/* ADD/DEL: return; GET/LOOK: 1 found, 0 not;
				   COUNT: the count */
	uint8_t want_len;	/* LOOK: expected matched length */
};

static void
run_steps(const struct step *st, size_t n)
{
	struct fib *f = fib_new();
	size_t i;

	for (i = 0; i < n; i++) {
		uint8_t len = 0, got_len = 255;
		uint32_t p = 0, v = 0xdeadbeef;
		int r = 0;

		if (st[i].op != COUNT)
			p = ip(st[i].arg, &len);
		switch (st[i].op) {
		case ADD:
			r = fib_add(f, p, len, st[i].value);
			break;
		case DEL:
			r = fib_del(f, p, len);
			break;
		case GET:
			r = fib_get(f, p, len, &v);
			break;
		case LOOK:
			r = fib_lookup(f, p, &v, &got_len);
			break;
		case COUNT:
			r = (int)fib_count(f);
			break;
		}
		if (r != st[i].want)
			printf("\nstep %zu (%s): got %d want %d\n", i,
			    st[i].arg ? st[i].arg : "count", r, st[i].want);
		CU_ASSERT_EQUAL(r, st[i].want);
		if ((st[i].op == GET || st[i].op == LOOK) && st[i].want) {
			CU_ASSERT_EQUAL(v, st[i].value);
			if (st[i].op == LOOK)
				CU_ASSERT_EQUAL(got_len, st[i].want_len);
		}
	}
	fib_free(f);
}

static const struct step basic_steps[] = {
	/* Empty table: nothing matches. */
	{ LOOK, "1.2.3.4", 0, 0, 0 },
	{ COUNT, NULL, 0, 0, 0 },
	/* Overlapping /8 /16 /24. */
	{ ADD, "10.0.0.0/8", 8, 0, 0 },
	{ ADD, "10.1.0.0/16", 16, 0, 0 },
	{ ADD, "10.1.2.0/24", 24, 0, 0 },
	{ LOOK, "10.1.2.3", 24, 1, 24 },
	{ LOOK, "10.1.2.0", 24, 1, 24 },
	{ LOOK, "10.1.2.255", 24, 1, 24 },
	{ LOOK, "10.1.3.0", 16, 1, 16 },
	{ LOOK, "10.1.1.255", 16, 1, 16 },
	{ LOOK, "10.2.0.0", 8, 1, 8 },
	{ LOOK, "10.255.255.255", 8, 1, 8 },
	{ LOOK, "11.0.0.0", 0, 0, 0 },
	{ LOOK, "9.255.255.255", 0, 0, 0 },
	/* Default route catches the rest, loses to everything longer. */
	{ ADD, "0.0.0.0/0", 100, 0, 0 },
	{ LOOK, "11.0.0.0", 100, 1, 0 },
	{ LOOK, "255.255.255.255", 100, 1, 0 },
	{ LOOK, "0.0.0.0", 100, 1, 0 },
	{ LOOK, "10.1.2.3", 24, 1, 24 },
	/* Host routes at both ends of the space and inside the /24. */
	{ ADD, "10.1.2.3/32", 32, 0, 0 },
	{ ADD, "0.0.0.0/32", 1, 0, 0 },
	{ ADD, "255.255.255.255/32", 2, 0, 0 },
	{ LOOK, "10.1.2.3", 32, 1, 32 },
	{ LOOK, "10.1.2.2", 24, 1, 24 },
	{ LOOK, "10.1.2.4", 24, 1, 24 },
	{ LOOK, "0.0.0.0", 1, 1, 32 },
	{ LOOK, "0.0.0.1", 100, 1, 0 },
	{ LOOK, "255.255.255.255", 2, 1, 32 },
	{ LOOK, "255.255.255.254", 100, 1, 0 },
	/* Odd lengths inside a stride. */
	{ ADD, "10.1.2.128/25", 25, 0, 0 },
	{ ADD, "10.1.2.192/27", 27, 0, 0 },
	{ LOOK, "10.1.2.127", 24, 1, 24 },
	{ LOOK, "10.1.2.128", 25, 1, 25 },
	{ LOOK, "10.1.2.192", 27, 1, 27 },
	{ LOOK, "10.1.2.223", 27, 1, 27 },
	{ LOOK, "10.1.2.224", 25, 1, 25 },
	{ COUNT, NULL, 0, 9, 0 },
	/* Replace keeps the count and changes the answer. */
	{ ADD, "10.1.0.0/16", 1600, 1, 0 },
	{ LOOK, "10.1.9.9", 1600, 1, 16 },
	{ GET, "10.1.0.0/16", 1600, 1, 0 },
	{ COUNT, NULL, 0, 9, 0 },
	/* Exact get does not do LPM. */
	{ GET, "10.1.2.0/23", 0, 0, 0 },
	{ GET, "10.1.2.0/24", 24, 1, 0 },
	{ GET, "0.0.0.0/0", 100, 1, 0 },
	/* Delete uncovers the next shorter route, at every level. */
	{ DEL, "10.1.2.3/32", 0, 0, 0 },
	{ LOOK, "10.1.2.3", 24, 1, 24 },
	{ DEL, "10.1.2.0/24", 0, 0, 0 },
	{ LOOK, "10.1.2.3", 1600, 1, 16 },
	{ LOOK, "10.1.2.129", 25, 1, 25 },
	{ LOOK, "10.1.2.200", 27, 1, 27 },
	{ DEL, "10.1.2.128/25", 0, 0, 0 },
	{ LOOK, "10.1.2.129", 1600, 1, 16 },
	{ LOOK, "10.1.2.200", 27, 1, 27 },
	{ DEL, "10.1.0.0/16", 0, 0, 0 },
	{ LOOK, "10.1.2.3", 8, 1, 8 },
	{ DEL, "10.0.0.0/8", 0, 0, 0 },
	{ LOOK, "10.1.2.3", 100, 1, 0 },
	{ LOOK, "10.1.2.200", 27, 1, 27 },
	{ DEL, "0.0.0.0/0", 0, 0, 0 },
	{ LOOK, "10.1.2.3", 0, 0, 0 },
	/* Deleting what is absent, or twice, fails and changes nothing. */
	{ DEL, "0.0.0.0/0", 0, -1, 0 },
	{ DEL, "10.1.2.0/24", 0, -1, 0 },
	{ DEL, "10.1.2.192/26", 0, -1, 0 },
	{ DEL, "10.1.2.192/28", 0, -1, 0 },
	{ LOOK, "10.1.2.200", 27, 1, 27 },
	{ COUNT, NULL, 0, 3, 0 },
	{ DEL, "10.1.2.192/27", 0, 0, 0 },
	{ DEL, "0.0.0.0/32", 0, 0, 0 },
	{ DEL, "255.255.255.255/32", 0, 0, 0 },
	{ COUNT, NULL, 0, 0, 0 },
	{ LOOK, "255.255.255.255", 0, 0, 0 },
};

static void
test_basic(void)
{
	run_steps(basic_steps, sizeof(basic_steps) / sizeof(basic_steps[0]));
}

static const struct step invalid_steps[] = {
	{ ADD, "10.0.0.1/8", 1, -1, 0 },	/* host bits */
	{ ADD, "11.0.0.0/7", 1, -1, 0 },
	{ ADD, "0.0.0.1/0", 1, -1, 0 },
	{ ADD, "10.1.2.3/31", 1, -1, 0 },
	{ ADD, "10.0.0.0/33", 1, -1, 0 },
	{ ADD, "0.0.0.0/255", 1, -1, 0 },
	{ COUNT, NULL, 0, 0, 0 },
	{ LOOK, "10.0.0.1", 0, 0, 0 },
	{ ADD, "10.0.0.0/8", 1, 0, 0 },
	{ DEL, "10.0.0.1/8", 0, -1, 0 },
	{ DEL, "10.0.0.0/33", 0, -1, 0 },
	{ GET, "10.0.0.1/8", 0, 0, 0 },
	{ GET, "10.0.0.0/33", 0, 0, 0 },
	{ GET, "10.0.0.0/8", 1, 1, 0 },
	{ COUNT, NULL, 0, 1, 0 },
};

static void
test_invalid(void)
{
	run_steps(invalid_steps,
	    sizeof(invalid_steps) / sizeof(invalid_steps[0]));
}

/* --- reference models --- */

struct route {
	uint32_t prefix;
	uint32_t value;
	uint8_t len;
	bool live;
};

/* Plain linear scan: obviously right, only usable on small tables. */
static bool
scan_lookup(const struct route *r, size_t n, uint32_t addr, uint32_t *value,
    uint8_t *len)
{
	int best = -1;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!r[i].live || ((addr ^ r[i].prefix) & mask(r[i].len)))
			continue;
		if ((int)r[i].len > best) {
			best = r[i].len;
			*value = r[i].value;
		}
	}
	*len = (uint8_t)best;
	return best >= 0;
}

/*
 * For big tables: per length, a sorted array of live prefixes, searched
 * from /32 down. Independent of fib.c's structure and easy to trust.
 */
struct refidx {
	struct {
		uint32_t *prefix;
		uint32_t *value;
		size_t n;
	} bylen[33];
};

static int
cmp_route_pl(const void *a, const void *b)
{
	const struct route *x = a, *y = b;

	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	if (x->prefix != y->prefix)
		return x->prefix < y->prefix ? -1 : 1;
	return 0;
}

static void
ref_build(struct refidx *ri, const struct route *r, size_t n)
{
	struct route *tmp = calloc(n ? n : 1, sizeof(*tmp));
	size_t i, m = 0;

	memset(ri, 0, sizeof(*ri));
	for (i = 0; i < n; i++)
		if (r[i].live)
			tmp[m++] = r[i];
	qsort(tmp, m, sizeof(*tmp), cmp_route_pl);
	for (i = 0; i < m; i++) {
		unsigned l = tmp[i].len;

		if (ri->bylen[l].prefix == NULL) {
			ri->bylen[l].prefix = calloc(m, sizeof(uint32_t));
			ri->bylen[l].value = calloc(m, sizeof(uint32_t));
		}
		ri->bylen[l].prefix[ri->bylen[l].n] = tmp[i].prefix;
		ri->bylen[l].value[ri->bylen[l].n++] = tmp[i].value;
	}
	free(tmp);
}

static void
ref_free(struct refidx *ri)
{
	int l;

	for (l = 0; l <= 32; l++) {
		free(ri->bylen[l].prefix);
		free(ri->bylen[l].value);
	}
}

static bool
ref_lookup(const struct refidx *ri, uint32_t addr, uint32_t *value,
    uint8_t *len)
{
	int l;

	for (l = 32; l >= 0; l--) {
		uint32_t key = addr & mask((unsigned)l);
		size_t lo = 0, hi = ri->bylen[l].n;

		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (ri->bylen[l].prefix[mid] < key)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < ri->bylen[l].n && ri->bylen[l].prefix[lo] == key) {
			*value = ri->bylen[l].value[lo];
			*len = (uint8_t)l;
			return true;
		}
	}
	return false;
}

/*
 * Random prefixes that overlap a lot: half are drawn near a few dozen
 * cluster centres, so /8s, /16s, /24s and /32s nest inside each other.
 * Lengths are biased to /8../32 with extra weight on /16, /24 and /32.
 */
static void
random_prefix(struct prng *g, const uint32_t *centres, size_t ncentres,
    uint32_t *prefix, uint8_t *len)
{
	uint32_t addr, pick = prng_below(g, 100);
	unsigned l;

	if (pick < 2)
		l = prng_below(g, 8);
	else if (pick < 12)
		l = 16;
	else if (pick < 30)
		l = 24;
	else if (pick < 38)
		l = 32;
	else
		l = 8 + prng_below(g, 25);
	if (prng_below(g, 2) == 0)
		addr = centres[prng_below(g, (uint32_t)ncentres)] ^
		    (uint32_t)(prng_next(g) >> (40 + prng_below(g, 24)));
	else
		addr = (uint32_t)prng_next(g);
	*len = (uint8_t)l;
	*prefix = addr & mask(l);
}

/* Build a random table in f and r[]; duplicates replace in both. */
static size_t
random_table(struct fib *f, struct prng *g, struct route *r, size_t want)
{
	size_t hcap = 4 * want + 16, *h = calloc(hcap, sizeof(*h));
	uint32_t centres[48];
	size_t i, j, n = 0, bad = 0;

	for (i = 0; i < 48; i++)
		centres[i] = (uint32_t)prng_next(g);
	for (i = 0; i < want; i++) {
		uint32_t p, v = (uint32_t)i * 7 + 1;
		uint8_t l;
		size_t k;
		bool fresh;

		random_prefix(g, centres, 48, &p, &l);
		/* Open addressing on (prefix, len); h[] holds index + 1. */
		k = ((p * 0x9e3779b1u) ^ l * 0x85ebca6bu) % hcap;
		while (h[k] != 0 && (r[h[k] - 1].prefix != p ||
		    r[h[k] - 1].len != l))
			k = (k + 1) % hcap;
		fresh = h[k] == 0;
		if (fresh)
			h[k] = ++n;
		j = h[k] - 1;
		if (fib_add(f, p, l, v) != (fresh ? 0 : 1))
			bad++;
		r[j] = (struct route){ p, v, l, true };
	}
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT_EQUAL(fib_count(f), n);
	free(h);
	return n;
}

/* Addresses worth asking about: route edges, just outside them, random. */
static uint32_t
probe_addr(struct prng *g, const struct route *r, size_t n)
{
	const struct route *x;
	uint32_t span;

	if (n == 0 || prng_below(g, 3) == 0)
		return (uint32_t)prng_next(g);
	x = &r[prng_below(g, (uint32_t)n)];
	span = ~mask(x->len);
	switch (prng_below(g, 5)) {
	case 0:
		return x->prefix;
	case 1:
		return x->prefix | span;
	case 2:
		return x->prefix - 1;
	case 3:
		return (x->prefix | span) + 1;
	default:
		return x->prefix | ((uint32_t)prng_next(g) & span);
	}
}

static int
check_lookups_ref(const struct fib *f, struct prng *g, const struct route *r,
    size_t n, size_t nprobe)
{
	struct refidx ri;
	size_t i;
	int bad = 0;

	ref_build(&ri, r, n);
	for (i = 0; i < nprobe; i++) {
		uint32_t a = probe_addr(g, r, n), v1 = 0, v2 = 0;
		uint8_t l1 = 0, l2 = 0;
		bool h1 = fib_lookup(f, a, &v1, &l1);
		bool h2 = ref_lookup(&ri, a, &v2, &l2);

		if (h1 != h2 || (h1 && (v1 != v2 || l1 != l2))) {
			if (bad++ < 5)
				printf("\nlookup %08x: fib %d %u/%u ref %d "
				    "%u/%u\n", a, h1, v1, l1, h2, v2, l2);
		}
	}
	ref_free(&ri);
	return bad;
}

static void
check_gets(const struct fib *f, const struct route *r, size_t n)
{
	size_t i, live = 0, bad = 0;

	for (i = 0; i < n; i++) {
		uint32_t v = 0;
		bool h = fib_get(f, r[i].prefix, r[i].len, &v);

		if (h != r[i].live || (h && v != r[i].value))
			bad++;
		live += r[i].live;
	}
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT_EQUAL(fib_count(f), live);
}

/* Delete a random half (Fisher-Yates order), checking each return. */
static void
delete_half(struct fib *f, struct prng *g, struct route *r, size_t n)
{
	size_t *ord = malloc(n * sizeof(*ord));
	size_t i, bad = 0;

	for (i = 0; i < n; i++)
		ord[i] = i;
	for (i = n; i > 1; i--) {
		size_t j = prng_below(g, (uint32_t)i), t = ord[i - 1];

		ord[i - 1] = ord[j];
		ord[j] = t;
	}
	for (i = 0; i < n / 2; i++) {
		struct route *x = &r[ord[i]];

		if (fib_del(f, x->prefix, x->len) != 0)
			bad++;
		if (fib_del(f, x->prefix, x->len) != -1)
			bad++;
		x->live = false;
	}
	CU_ASSERT_EQUAL(bad, 0);
	free(ord);
}

static void
test_random_vs_reference(void)
{
	struct prng g = { 42 };
	struct route *r = calloc(20000, sizeof(*r));
	struct fib *f = fib_new();
	size_t n = random_table(f, &g, r, 20000);

	CU_ASSERT(n > 15000);
	check_gets(f, r, n);
	CU_ASSERT_EQUAL(check_lookups_ref(f, &g, r, n, 200000), 0);
	delete_half(f, &g, r, n);
	check_gets(f, r, n);
	CU_ASSERT_EQUAL(check_lookups_ref(f, &g, r, n, 200000), 0);
	fib_free(f);
	free(r);
}

static void
test_random_vs_scan(void)
{
	struct prng g = { 7 };
	struct route r[1500];
	int round;

	for (round = 0; round < 3; round++) {
		struct fib *f = fib_new();
		size_t n = random_table(f, &g, r, 1500), i;
		size_t bad = 0;

		for (i = 0; i < 20000; i++) {
			uint32_t a = probe_addr(&g, r, n), v1 = 0, v2 = 0;
			uint8_t l1 = 0, l2 = 0;
			bool h1, h2;

			if (i == 10000)
				delete_half(f, &g, r, n);
			h1 = fib_lookup(f, a, &v1, &l1);
			h2 = scan_lookup(r, n, a, &v2, &l2);
			if (h1 != h2 || (h1 && (v1 != v2 || l1 != l2)))
				bad++;
		}
		CU_ASSERT_EQUAL(bad, 0);
		fib_free(f);
	}
}

/* Interleaved adds, replaces and deletes, checked against the scan. */
static void
test_churn(void)
{
	struct prng g = { 99 };
	struct route r[600];
	uint32_t centres[4] = { 0x0a000000, 0x0a010200, 0xc0a80000, 0 };
	struct fib *f = fib_new();
	size_t n = 0, step, i, bad = 0;

	for (step = 0; step < 6000; step++) {
		uint32_t p, v = (uint32_t)step + 1;
		uint8_t l;

		random_prefix(&g, centres, 4, &p, &l);
		for (i = 0; i < n; i++)
			if (r[i].prefix == p && r[i].len == l)
				break;
		if (i < n && r[i].live && prng_below(&g, 2) == 0) {
			if (fib_del(f, p, l) != 0)
				bad++;
			r[i].live = false;
		} else if (i < n || n < 600) {
			if (fib_add(f, p, l, v) != (i < n && r[i].live))
				bad++;
			if (i == n)
				n++;
			r[i] = (struct route){ p, v, l, true };
		}
		for (i = 0; i < 8; i++) {
			uint32_t a = probe_addr(&g, r, n), v1 = 0, v2 = 0;
			uint8_t l1 = 0, l2 = 0;
			bool h1 = fib_lookup(f, a, &v1, &l1);
			bool h2 = scan_lookup(r, n, a, &v2, &l2);

			if (h1 != h2 || (h1 && (v1 != v2 || l1 != l2)))
				bad++;
		}
	}
	CU_ASSERT_EQUAL(bad, 0);
	check_gets(f, r, n);
	fib_free(f);
}

/* --- walk --- */

struct walk_log {
	struct route *r;
	size_t n, cap;
};

static void
walk_collect(uint32_t prefix, uint8_t len, uint32_t value, void *ctx)
{
	struct walk_log *w = ctx;

	if (w->n < w->cap)
		w->r[w->n] = (struct route){ prefix, value, len, true };
	w->n++;
}

static int
cmp_route_walk(const void *a, const void *b)
{
	const struct route *x = a, *y = b;

	if (x->prefix != y->prefix)
		return x->prefix < y->prefix ? -1 : 1;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return 0;
}

static void
check_walk(const struct fib *f, const struct route *r, size_t n)
{
	struct route *want = calloc(n + 1, sizeof(*want));
	struct walk_log w = { calloc(n + 1, sizeof(*w.r)), 0, n + 1 };
	size_t i, m = 0, bad = 0;

	for (i = 0; i < n; i++)
		if (r[i].live)
			want[m++] = r[i];
	qsort(want, m, sizeof(*want), cmp_route_walk);
	fib_walk(f, walk_collect, &w);
	CU_ASSERT_EQUAL(w.n, m);
	CU_ASSERT_EQUAL(w.n, fib_count(f));
	for (i = 0; i < m && i < w.n; i++)
		if (cmp_route_walk(&w.r[i], &want[i]) != 0 ||
		    w.r[i].value != want[i].value)
			bad++;
	CU_ASSERT_EQUAL(bad, 0);
	free(want);
	free(w.r);
}

static void
test_walk(void)
{
	static const char *const pfx[] = {
		"10.0.0.0/8", "0.0.0.0/0", "10.0.0.0/16", "10.0.0.0/24",
		"10.0.0.0/32", "9.255.255.255/32", "10.128.0.0/9",
		"10.0.0.128/25", "0.0.0.0/1", "128.0.0.0/1",
		"255.255.255.255/32",
	};
	/* Expected order, as indices into pfx[]. */
	static const int order[] = { 1, 8, 5, 0, 2, 3, 4, 7, 6, 9, 10 };
	struct route got[16];
	struct walk_log w = { got, 0, 16 };
	struct prng g = { 5 };
	struct route *r = calloc(5000, sizeof(*r));
	struct fib *f = fib_new();
	size_t i, n;

	for (i = 0; i < sizeof(pfx) / sizeof(pfx[0]); i++) {
		uint8_t l;
		uint32_t p = ip(pfx[i], &l);

		CU_ASSERT_EQUAL(fib_add(f, p, l, (uint32_t)i), 0);
	}
	fib_walk(f, walk_collect, &w);
	CU_ASSERT_EQUAL_FATAL(w.n, sizeof(order) / sizeof(order[0]));
	for (i = 0; i < w.n; i++)
		CU_ASSERT_EQUAL(got[i].value, (uint32_t)order[i]);
	fib_free(f);

	/* A random table, before and after deleting half. */
	f = fib_new();
	n = random_table(f, &g, r, 5000);
	check_walk(f, r, n);
	delete_half(f, &g, r, n);
	check_walk(f, r, n);
	fib_free(f);
	free(r);
}

/* --- memory --- */

static void
test_many_small_tables(void)
{
	enum { NT = 400 };
	struct fib **t = calloc(NT, sizeof(*t));
	size_t i, base, bad = 0, maxmem = 0;

	base = fib_memory(t[0] = fib_new());
	CU_ASSERT(base < 256);
	for (i = 0; i < NT; i++) {
		uint32_t net = 0x0a000000u | (uint32_t)i << 16;

		if (t[i] == NULL)
			t[i] = fib_new();
		/* A VNet-like table: its /16, two subnets, a peer, default. */
		CU_ASSERT_EQUAL(fib_add(t[i], net, 16, 1), 0);
		CU_ASSERT_EQUAL(fib_add(t[i], net | 0x100, 24, 2), 0);
		CU_ASSERT_EQUAL(fib_add(t[i], net | 0x200, 24, 3), 0);
		CU_ASSERT_EQUAL(fib_add(t[i], 0xac100000u, 12, 4), 0);
		CU_ASSERT_EQUAL(fib_add(t[i], 0, 0, 5), 0);
		if (fib_memory(t[i]) > maxmem)
			maxmem = fib_memory(t[i]);
	}
	CU_ASSERT(maxmem < 1024);
	for (i = 0; i < NT; i++) {
		uint32_t net = 0x0a000000u | (uint32_t)i << 16, v = 0;

		bad += !fib_lookup(t[i], net | 0x0105, &v, NULL) || v != 2;
		bad += !fib_lookup(t[i], net | 0x0205, &v, NULL) || v != 3;
		bad += !fib_lookup(t[i], net | 0x0305, &v, NULL) || v != 1;
		bad += !fib_lookup(t[i], 0xac1f0001u, &v, NULL) || v != 4;
		bad += !fib_lookup(t[i], 0x08080808u, &v, NULL) || v != 5;
		bad += fib_count(t[i]) != 5;
	}
	CU_ASSERT_EQUAL(bad, 0);
	for (i = 0; i < NT; i++)
		fib_free(t[i]);
	free(t);
	fib_free(NULL);
}

/*
 * Deleting every route must give back all lookup-side memory: nodes fold
 * back into their parents once nothing below them differs.
 */
static void
test_delete_all_folds_back(void)
{
	struct prng g = { 11 };
	struct route *r = calloc(3000, sizeof(*r));
	struct fib *f = fib_new(), *empty = fib_new();
	size_t n, i, grown;
	uint32_t v;

	n = random_table(f, &g, r, 3000);
	grown = fib_memory(f);
	CU_ASSERT(grown > fib_memory(empty));
	for (i = 0; i < n; i++) {
		CU_ASSERT_EQUAL(fib_del(f, r[i].prefix, r[i].len), 0);
		r[i].live = false;
	}
	CU_ASSERT_EQUAL(fib_count(f), 0);
	CU_ASSERT_FALSE(fib_lookup(f, r[0].prefix, &v, NULL));
	CU_ASSERT_EQUAL(fib_memory(f), fib_memory(empty));
	/* And the emptied table is as good as new. */
	n = random_table(f, &g, r, 3000);
	CU_ASSERT_EQUAL(check_lookups_ref(f, &g, r, n, 20000), 0);
	fib_free(f);
	fib_free(empty);
	free(r);
}

/* Replacing routes over and over must not make the table grow. */
static void
test_churn_memory_stable(void)
{
	struct prng g = { 21 };
	struct route *r = calloc(2000, sizeof(*r));
	struct fib *f = fib_new();
	size_t n, m, i, round, start, bad = 0;

	n = random_table(f, &g, r, 2000);
	start = fib_memory(f);
	m = n / 2;
	for (round = 0; round < 20; round++) {
		struct fib *tmp = fib_new();

		/*
		 * Swap r[0..m) for fresh prefixes. A fresh one may equal a
		 * route in the kept half; that is a replace, so count it out.
		 */
		for (i = 0; i < m; i++)
			if (r[i].live && fib_del(f, r[i].prefix, r[i].len) != 0)
				bad++;
		m = random_table(tmp, &g, r, n / 2);
		for (i = 0; i < m; i++)
			if (fib_add(f, r[i].prefix, r[i].len, r[i].value) != 0)
				r[i].live = false;
		fib_free(tmp);
	}
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT(fib_memory(f) < start + start / 2);
	fib_free(f);
	free(r);
}

/* Every host route of a /24 under it, then every other one removed. */
static void
test_dense_hosts(void)
{
	struct fib *f = fib_new();
	uint32_t base = 0xc0a80100u, v;
	uint8_t l;
	unsigned i, bad = 0;

	CU_ASSERT_EQUAL(fib_add(f, base, 24, 1000), 0);
	for (i = 0; i < 256; i++)
		CU_ASSERT_EQUAL(fib_add(f, base | i, 32, i), 0);
	for (i = 0; i < 256; i++)
		bad += !fib_lookup(f, base | i, &v, &l) || v != i || l != 32;
	for (i = 0; i < 256; i += 2)
		CU_ASSERT_EQUAL(fib_del(f, base | i, 32), 0);
	for (i = 0; i < 256; i++) {
		bool ok = fib_lookup(f, base | i, &v, &l);

		if (i % 2)
			bad += !ok || v != i || l != 32;
		else
			bad += !ok || v != 1000 || l != 24;
	}
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT_EQUAL(fib_count(f), 129);
	fib_free(f);
}

/* A default route added and removed under a populated table. */
static void
test_default_churn(void)
{
	struct prng g = { 3 };
	struct route *r = calloc(4001, sizeof(*r));
	struct fib *f = fib_new();
	size_t n = random_table(f, &g, r, 4000);
	int k;

	/* Make sure no /0 is in the table yet, then toggle one. */
	for (size_t i = 0; i < n; i++)
		if (r[i].len == 0 && r[i].live) {
			CU_ASSERT_EQUAL(fib_del(f, r[i].prefix, 0), 0);
			r[i].live = false;
		}
	r[n] = (struct route){ 0, 0xffff, 0, false };
	for (k = 0; k < 4; k++) {
		r[n].live = !r[n].live;
		if (r[n].live) {
			CU_ASSERT_EQUAL(fib_add(f, 0, 0, 0xffff), 0);
		} else {
			CU_ASSERT_EQUAL(fib_del(f, 0, 0), 0);
		}
		CU_ASSERT_EQUAL(check_lookups_ref(f, &g, r, n + 1, 20000), 0);
	}
	fib_free(f);
	free(r);
}

/*
 * The lookup structure has one canonical form per set of routes (a slot is a
 * child exactly when its addresses do not all share one answer, and equal
 * neighbouring leaves are one run), whatever the order of the updates and
 * whichever path an update took (a leaf range rewritten in place, a child
 * added to a compressed node, or a node expanded and rebuilt). So a table
 * after churn must be byte for byte the size of a fresh table of its final
 * routes added in reverse order, and answer every lookup alike.
 */
static void
test_canonical_after_churn(void)
{
	struct prng g = { 77 };
	struct route *r = calloc(4000, sizeof(*r));
	struct walk_log w = { NULL, 0, 0 };
	struct fib *f = fib_new(), *fresh = fib_new();
	uint32_t centres[4] = { 0x0a000000, 0x0a010200, 0xc0a80000, 0 };
	size_t n, i, bad = 0;

	n = random_table(f, &g, r, 4000);
	/* Take half out, then add new routes until the count is back. */
	for (i = 0; i < n; i += 2)
		CU_ASSERT_EQUAL(fib_del(f, r[i].prefix, r[i].len), 0);
	while (fib_count(f) < n) {
		uint32_t p;
		uint8_t l;

		random_prefix(&g, centres, 4, &p, &l);
		CU_ASSERT(fib_add(f, p, l, (uint32_t)prng_below(&g, 9)) >= 0);
	}
	w.cap = n;
	w.r = calloc(n, sizeof(*w.r));
	fib_walk(f, walk_collect, &w);
	CU_ASSERT_EQUAL(w.n, n);
	for (i = n; i-- > 0;)
		CU_ASSERT_EQUAL(fib_add(fresh, w.r[i].prefix, w.r[i].len,
		    w.r[i].value), 0);
	CU_ASSERT_EQUAL(fib_memory(f), fib_memory(fresh));
	CU_ASSERT_EQUAL(check_lookups_ref(f, &g, w.r, n, 40000), 0);
	for (i = 0; i < 40000; i++) {
		uint32_t a = probe_addr(&g, w.r, n), v1 = 0, v2 = 0;
		uint8_t l1 = 0, l2 = 0;

		bad += fib_lookup(f, a, &v1, &l1) !=
		    fib_lookup(fresh, a, &v2, &l2) || v1 != v2 || l1 != l2;
	}
	CU_ASSERT_EQUAL(bad, 0);
	fib_free(f);
	fib_free(fresh);
	free(w.r);
	free(r);
}

/* fib_prefetch is a hint: any prefix, on any table, changes nothing. */
static void
test_prefetch_changes_nothing(void)
{
	struct prng g = { 5 };
	struct route *r = calloc(3000, sizeof(*r));
	struct fib *f = fib_new(), *empty = fib_new();
	size_t n, i, mem;
	unsigned step;

	fib_prefetch(empty, 0, 0);
	fib_prefetch(empty, 0x0a000000u, 8);
	fib_prefetch(empty, 0xffffffffu, 32);
	fib_prefetch(empty, 0, 33);	/* invalid: ignored */
	CU_ASSERT_EQUAL(fib_count(empty), 0);
	n = random_table(f, &g, r, 3000);
	mem = fib_memory(f);
	for (i = 0; i < n; i++)
		fib_prefetch(f, r[i].prefix, r[i].len);
	for (i = 0; i < 3000; i++) {
		uint8_t l = (uint8_t)prng_below(&g, 34);

		fib_prefetch(f, (uint32_t)prng_next(&g) & (l > 32 ? ~0u :
		    mask(l)), l);
	}
	/* every step of the pipelined form, past the last one too */
	for (step = 0; step < FIB_PREFETCH_STEPS + 3; step++) {
		fib_prefetch_step(empty, 0x0a000000u, 24, step);
		fib_prefetch_step(f, 0, 33, step);
		for (i = 0; i < n; i++)
			fib_prefetch_step(f, r[i].prefix, r[i].len, step);
		for (i = 0; i < 1000; i++) {
			uint8_t l = (uint8_t)prng_below(&g, 33);

			fib_prefetch_step(f, (uint32_t)prng_next(&g) &
			    mask(l), l, step);
		}
	}
	CU_ASSERT_EQUAL(fib_count(empty), 0);
	CU_ASSERT_EQUAL(fib_memory(f), mem);
	CU_ASSERT_EQUAL(fib_count(f), n);
	CU_ASSERT_EQUAL(check_lookups_ref(f, &g, r, n, 20000), 0);
	check_gets(f, r, n);
	fib_free(f);
	fib_free(empty);
	free(r);
}

static const struct test_case cases[] = {
	{ "basic: overlap, default, hosts, replace, delete", test_basic },
	{ "invalid input rejected", test_invalid },
	{ "20k random routes vs sorted reference", test_random_vs_reference },
	{ "random tables vs linear scan", test_random_vs_scan },
	{ "interleaved add/replace/delete", test_churn },
	{ "walk order and completeness", test_walk },
	{ "many small tables stay small", test_many_small_tables },
	{ "delete all folds the trie back", test_delete_all_folds_back },
	{ "memory stable under churn", test_churn_memory_stable },
	{ "dense host routes", test_dense_hosts },
	{ "default route churn", test_default_churn },
	{ "canonical form after churn", test_canonical_after_churn },
	{ "prefetch hint changes nothing", test_prefetch_changes_nothing },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "fib", cases);
}
