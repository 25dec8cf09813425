/*
 * bgp_policy.c - policy configuration: the set of named prefix lists and
 * policies, prefix lists with their hash index, and the text of rule
 * items compiled into struct pol_match / pol_action. Evaluation is in
 * bgp_policy_eval.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bgp_policy_int.h"
#include "util.h"

static int
fail(struct bgp_pol_err *err, size_t pos, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return -1;
	err->pos = pos;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

/* ---- the set ---- */

struct bgp_polset *
bgp_polset_new(void)
{
	return xcalloc(1, sizeof(struct bgp_polset));
}

static void
plist_free(struct bgp_plist *pl)
{
	free(pl->name);
	free(pl->e);
	free(pl->tab);
	free(pl);
}

static void
policy_free(struct bgp_policy *p)
{
	for (size_t i = 0; i < p->nr; i++) {
		struct pol_rule *r = &p->r[i];

		for (size_t j = 0; j < r->nm; j++)
			free(r->m[j].vals);
		for (size_t j = 0; j < r->na; j++)
			free(r->a[j].vals);
		free(r->m);
		free(r->a);
		free(r->name);
	}
	for (size_t i = 0; i < p->npre; i++)
		bgp_re_free(p->pre[i]);
	for (size_t i = 0; i < p->ncre; i++)
		bgp_re_free(p->cre[i]);
	free(p->pre);
	free(p->cre);
	free(p->r);
	free(p->cache);
	free(p->path);
	free(p->comm);
	free(p->lcomm);
	free(p->text);
	free(p->ctext);
	free(p->name);
	free(p);
}

void
bgp_polset_free(struct bgp_polset *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->npl; i++)
		plist_free(s->pl[i]);
	for (size_t i = 0; i < s->npo; i++)
		policy_free(s->po[i]);
	free(s->pl);
	free(s->po);
	free(s);
}

const char *
bgp_polset_plist_name(const struct bgp_polset *s, size_t i)
{
	return i < s->npl ? s->pl[i]->name : NULL;
}

const char *
bgp_polset_policy_name(const struct bgp_polset *s, size_t i)
{
	return i < s->npo ? s->po[i]->name : NULL;
}

/* ---- prefix lists ---- */

struct bgp_plist *
bgp_plist_get(const struct bgp_polset *s, const char *name)
{
	for (size_t i = 0; i < s->npl; i++)
		if (strcmp(s->pl[i]->name, name) == 0)
			return s->pl[i];
	return NULL;
}

struct bgp_plist *
bgp_plist_new(struct bgp_polset *s, const char *name)
{
	struct bgp_plist *pl;

	if (name == NULL || name[0] == '\0' || bgp_plist_get(s, name) != NULL)
		return NULL;
	pl = xcalloc(1, sizeof(*pl));
	pl->name = xstrdup(name);
	s->pl = xrealloc(s->pl, (s->npl + 1) * sizeof(*s->pl));
	s->pl[s->npl++] = pl;
	return pl;
}

const char *
bgp_plist_name(const struct bgp_plist *pl)
{
	return pl->name;
}

size_t
bgp_plist_len(const struct bgp_plist *pl)
{
	return pl->n;
}

static size_t
pl_hash(uint32_t addr, uint8_t len, size_t tabsz)
{
	uint32_t h = addr * 0x9e3779b1u ^ (uint32_t)(len + 1) * 0x85ebca77u;

	h ^= h >> 15;
	h *= 0x2c1b3c6du;
	h ^= h >> 13;
	return h & (tabsz - 1);
}

static struct pl_node *
pl_slot(const struct bgp_plist *pl, uint32_t addr, uint8_t len)
{
	size_t i = pl_hash(addr, len, pl->tabsz);

	for (;; i = (i + 1) & (pl->tabsz - 1)) {
		struct pl_node *nd = &pl->tab[i];

		if (!nd->used || (nd->addr == addr && nd->len == len))
			return nd;
	}
}

static void
pl_grow(struct bgp_plist *pl)
{
	struct pl_node *old = pl->tab;
	size_t oldsz = pl->tabsz;

	pl->tabsz = oldsz ? oldsz * 2 : 16;
	pl->tab = xcalloc(pl->tabsz, sizeof(*pl->tab));
	for (size_t i = 0; i < oldsz; i++)
		if (old[i].used)
			*pl_slot(pl, old[i].addr, old[i].len) = old[i];
	free(old);
}

/* The route lengths len/ge/le covers, or -1 with err. */
static int
pl_range(uint8_t len, uint8_t ge, uint8_t le, uint8_t *lo, uint8_t *hi,
    struct bgp_pol_err *err)
{
	if (len > 32)
		return fail(err, 0, "prefix length %u is above 32", len);
	if (ge != 0 && ge <= len)
		return fail(err, 0, "ge %u must be above the prefix length %u",
		    ge, len);
	if (le != 0 && le <= len)
		return fail(err, 0, "le %u must be above the prefix length %u",
		    le, len);
	if (ge > 32 || le > 32)
		return fail(err, 0, "%s %u is above 32", ge > 32 ? "ge" : "le",
		    ge > 32 ? ge : le);
	if (ge != 0 && le != 0 && le < ge)
		return fail(err, 0, "le %u is below ge %u", le, ge);
	*lo = ge ? ge : len;
	*hi = le ? le : ge ? 32 : len;
	return 0;
}

static int
check_host_bits(uint32_t addr, uint8_t len, struct bgp_pol_err *err)
{
	uint32_t mask = len == 0 ? 0 : 0xffffffffu << (32 - len);

	if ((addr & ~mask) != 0) {
		uint32_t a = addr & mask;

		return fail(err, 0, "host bits set: did you mean "
		    "%u.%u.%u.%u/%u?", a >> 24, a >> 16 & 255, a >> 8 & 255,
		    a & 255, len);
	}
	return 0;
}

int
bgp_plist_add(struct bgp_plist *pl, bool permit, uint32_t addr,
    uint8_t len, uint8_t ge, uint8_t le, struct bgp_pol_err *err)
{
	struct pl_entry *e;
	struct pl_node *nd;
	uint8_t lo, hi;

	if (pl_range(len, ge, le, &lo, &hi, err) < 0 ||
	    check_host_bits(addr, len, err) < 0)
		return -1;
	if (pl->n == UINT32_MAX - 1)
		return fail(err, 0, "prefix list %s is full", pl->name);
	if (pl->n == pl->cap) {
		pl->cap = pl->cap ? pl->cap * 2 : 8;
		pl->e = xrealloc(pl->e, pl->cap * sizeof(*pl->e));
	}
	e = &pl->e[pl->n];
	*e = (struct pl_entry){ .addr = addr, .len = len, .ge = ge, .le = le,
	    .lo = lo, .hi = hi, .permit = permit, .next = PL_NONE };
	if (2 * (pl->nnodes + 1) > pl->tabsz)
		pl_grow(pl);
	nd = pl_slot(pl, addr, len);
	if (!nd->used) {
		*nd = (struct pl_node){ .addr = addr, .len = len, .used = true,
		    .first = (uint32_t)pl->n, .last = (uint32_t)pl->n };
		pl->nnodes++;
	} else {
		pl->e[nd->last].next = (uint32_t)pl->n;
		nd->last = (uint32_t)pl->n;
	}
	pl->lens |= 1ull << len;
	pl->n++;
	return 0;
}

enum bgp_pol_verdict
bgp_plist_match(const struct bgp_plist *pl, uint32_t addr, uint8_t len,
    int *entry)
{
	uint64_t lens;
	uint32_t best = PL_NONE;

	if (len > 32 || pl->n == 0)
		goto out;
	/* prefixes no longer than the route: bits 0..len */
	lens = pl->lens & ((2ull << len) - 1);
	while (lens != 0) {
		uint8_t l = (uint8_t)__builtin_ctzll(lens);
		uint32_t mask = l == 0 ? 0 : 0xffffffffu << (32 - l);
		const struct pl_node *nd = pl_slot(pl, addr & mask, l);

		lens &= lens - 1;
		if (!nd->used)
			continue;
		/* entries in list order: the first that covers len is it */
		for (uint32_t i = nd->first; i != PL_NONE && i < best;
		    i = pl->e[i].next)
			if (len >= pl->e[i].lo && len <= pl->e[i].hi) {
				best = i;
				break;
			}
	}
out:
	if (entry != NULL)
		*entry = best == PL_NONE ? -1 : (int)best;
	return best != PL_NONE && pl->e[best].permit ? BGP_POL_ACCEPT :
	    BGP_POL_REJECT;
}

/* ---- words of the text ---- */

struct tok {
	const char *s;
	size_t pos, len;
};

/* The next space-separated word at or after *i; false at the end. */
static bool
next_tok(const char *text, size_t *i, struct tok *t)
{
	while (text[*i] == ' ' || text[*i] == '\t')
		(*i)++;
	if (text[*i] == '\0')
		return false;
	t->s = text + *i;
	t->pos = *i;
	while (text[*i] != '\0' && text[*i] != ' ' && text[*i] != '\t')
		(*i)++;
	t->len = *i - t->pos;
	return true;
}

static bool
tok_is(const struct tok *t, const char *w)
{
	return t->len == strlen(w) && memcmp(t->s, w, t->len) == 0;
}

/* A decimal number in t->s[from..to) no larger than max. */
static bool
num_in(const char *s, size_t from, size_t to, uint64_t max, uint64_t *v)
{
	uint64_t x = 0;

	if (from >= to || to - from > 10)
		return false;
	for (size_t i = from; i < to; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		x = x * 10 + (uint64_t)(s[i] - '0');
	}
	if (x > max)
		return false;
	*v = x;
	return true;
}

static int
tok_num(const struct tok *t, uint64_t max, uint64_t *v, const char *what,
    struct bgp_pol_err *err)
{
	*v = 0;
	if (!num_in(t->s, 0, t->len, max, v))
		return fail(err, t->pos, "%s: '%.*s' is not a number 0..%llu",
		    what, (int)t->len, t->s, (unsigned long long)max);
	return 0;
}

/* A.B.C.D or A.B.C.D/L (L defaults to 32). */
static int
tok_prefix(const struct tok *t, uint32_t *addr, uint8_t *len,
    struct bgp_pol_err *err)
{
	size_t i = 0, start;
	uint32_t a = 0;
	uint64_t v;

	for (int k = 0; k < 4; k++) {
		start = i;
		while (i < t->len && t->s[i] >= '0' && t->s[i] <= '9')
			i++;
		if (!num_in(t->s, start, i, 255, &v))
			return fail(err, t->pos + start, "'%.*s' is not an "
			    "IPv4 address", (int)t->len, t->s);
		a = a << 8 | (uint32_t)v;
		if (k < 3) {
			if (i >= t->len || t->s[i] != '.')
				return fail(err, t->pos + i, "'%.*s' is not an "
				    "IPv4 address", (int)t->len, t->s);
			i++;
		}
	}
	*len = 32;
	if (i < t->len) {
		if (t->s[i] != '/' || !num_in(t->s, i + 1, t->len, 32, &v))
			return fail(err, t->pos + i, "expected /LENGTH "
			    "(0..32) after the address");
		*len = (uint8_t)v;
	}
	*addr = a;
	return 0;
}

/* ---- prefix list text ---- */

/* [ge N] [le N] after a prefix: *i at the first word after it. */
static int
ge_le(const char *text, size_t *i, uint8_t *ge, uint8_t *le,
    struct bgp_pol_err *err)
{
	struct tok t, v;
	uint64_t n;

	*ge = *le = 0;
	while (next_tok(text, i, &t)) {
		bool is_ge = tok_is(&t, "ge");

		if ((!is_ge && !tok_is(&t, "le")) || (is_ge && *ge) ||
		    (!is_ge && *le) || (is_ge && *le))
			return fail(err, t.pos, "expected %s after the prefix, "
			    "not '%.*s'", *le ? "nothing" : *ge ? "le N" :
			    "ge N or le N", (int)t.len, t.s);
		if (!next_tok(text, i, &v))
			return fail(err, *i, "%s needs a length",
			    is_ge ? "ge" : "le");
		if (tok_num(&v, 32, &n, is_ge ? "ge" : "le", err) < 0)
			return -1;
		if (n == 0)
			return fail(err, v.pos, "%s 0 means nothing: leave it "
			    "out", is_ge ? "ge" : "le");
		*(is_ge ? ge : le) = (uint8_t)n;
	}
	return 0;
}

/* The ge/le/host-bit checks, with the error placed on the prefix word. */
static int
range_at(size_t pos, uint32_t addr, uint8_t len, uint8_t ge, uint8_t le,
    uint8_t *lo, uint8_t *hi, struct bgp_pol_err *err)
{
	if (pl_range(len, ge, le, lo, hi, err) < 0 ||
	    check_host_bits(addr, len, err) < 0) {
		if (err != NULL)
			err->pos = pos;
		return -1;
	}
	return 0;
}

int
bgp_plist_add_str(struct bgp_plist *pl, const char *text,
    struct bgp_pol_err *err)
{
	struct tok t, p;
	size_t i = 0;
	uint32_t addr;
	uint8_t len, ge, le, lo, hi;
	bool permit;

	if (!next_tok(text, &i, &t))
		return fail(err, 0, "empty prefix-list entry");
	if (!tok_is(&t, "permit") && !tok_is(&t, "deny"))
		return fail(err, t.pos, "a prefix-list entry starts with "
		    "permit or deny, not '%.*s'", (int)t.len, t.s);
	permit = tok_is(&t, "permit");
	if (!next_tok(text, &i, &p))
		return fail(err, i, "expected a prefix A.B.C.D/L");
	if (tok_prefix(&p, &addr, &len, err) < 0 ||
	    ge_le(text, &i, &ge, &le, err) < 0 ||
	    range_at(p.pos, addr, len, ge, le, &lo, &hi, err) < 0)
		return -1;
	return bgp_plist_add(pl, permit, addr, len, ge, le, err);
}

/* ---- policies ---- */

struct bgp_policy *
bgp_policy_get(const struct bgp_polset *s, const char *name)
{
	for (size_t i = 0; i < s->npo; i++)
		if (strcmp(s->po[i]->name, name) == 0)
			return s->po[i];
	return NULL;
}

struct bgp_policy *
bgp_policy_new(struct bgp_polset *s, const char *name)
{
	struct bgp_policy *p;

	if (name == NULL || name[0] == '\0' || bgp_policy_get(s, name) != NULL)
		return NULL;
	p = xcalloc(1, sizeof(*p));
	p->name = xstrdup(name);
	p->set = s;
	p->def = BGP_POL_REJECT;
	s->po = xrealloc(s->po, (s->npo + 1) * sizeof(*s->po));
	s->po[s->npo++] = p;
	return p;
}

const char *
bgp_policy_name(const struct bgp_policy *p)
{
	return p->name;
}

void
bgp_policy_set_default(struct bgp_policy *p, enum bgp_pol_verdict v)
{
	p->def = v;
}

int
bgp_policy_default_str(struct bgp_policy *p, const char *text,
    struct bgp_pol_err *err)
{
	struct tok t, v, x;
	size_t i = 0;

	if (!next_tok(text, &i, &t) || !tok_is(&t, "default"))
		return fail(err, 0, "expected 'default accept' or "
		    "'default reject'");
	if (!next_tok(text, &i, &v))
		return fail(err, i, "default is accept or reject");
	if (!tok_is(&v, "accept") && !tok_is(&v, "reject"))
		return fail(err, v.pos, "default is accept or reject, not "
		    "'%.*s'", (int)v.len, v.s);
	if (next_tok(text, &i, &x))
		return fail(err, x.pos, "unexpected '%.*s'", (int)x.len, x.s);
	p->def = tok_is(&v, "accept") ? BGP_POL_ACCEPT : BGP_POL_REJECT;
	return 0;
}

int
bgp_policy_rule(struct bgp_policy *p, const char *name)
{
	p->r = xrealloc(p->r, (p->nr + 1) * sizeof(*p->r));
	p->r[p->nr] = (struct pol_rule){ .name = name ? xstrdup(name) : NULL };
	return (int)p->nr++;
}

size_t
bgp_policy_rules(const struct bgp_policy *p)
{
	return p->nr;
}

int
bgp_policy_rule_enable(struct bgp_policy *p, size_t rule, bool on)
{
	if (rule >= p->nr)
		return -1;
	p->r[rule].off = !on;
	return 0;
}

bool
bgp_policy_rule_enabled(const struct bgp_policy *p, size_t rule)
{
	return rule < p->nr && !p->r[rule].off;
}

static struct pol_rule *
last_rule(struct bgp_policy *p)
{
	if (p->nr == 0)
		bgp_policy_rule(p, NULL);
	return &p->r[p->nr - 1];
}

/* The rest of the text after the keyword, spaces trimmed, as a regex. */
static int
add_regex(struct bgp_policy *p, bool path, const char *text, size_t i,
    int *id, struct bgp_pol_err *err)
{
	struct bgp_re ***tab = path ? &p->pre : &p->cre;
	size_t *n = path ? &p->npre : &p->ncre;
	size_t end;
	char *pat;
	struct bgp_re *re;

	while (text[i] == ' ' || text[i] == '\t')
		i++;
	end = strlen(text);
	while (end > i && (text[end - 1] == ' ' || text[end - 1] == '\t'))
		end--;
	if (end == i)
		return fail(err, i, "expected a regular expression");
	pat = xmalloc(end - i + 1);
	memcpy(pat, text + i, end - i);
	pat[end - i] = '\0';
	/* one compiled regex per distinct pattern in the policy */
	for (size_t k = 0; k < *n; k++)
		if (strcmp(bgp_re_pattern((*tab)[k]), pat) == 0) {
			free(pat);
			*id = (int)k;
			return 0;
		}
	re = bgp_re_compile(pat, err);
	free(pat);
	if (re == NULL) {
		if (err != NULL)
			err->pos += i;
		return -1;
	}
	*tab = xrealloc(*tab, (*n + 1) * sizeof(**tab));
	(*tab)[*n] = re;
	*id = (int)(*n)++;
	return 0;
}

static const struct {
	const char *name;
	uint32_t value;
} comm_names[] = {
	{ "no-export", BGP_COMM_NO_EXPORT },
	{ "no-advertise", BGP_COMM_NO_ADVERTISE },
	{ "no-export-subconfed", BGP_COMM_NO_EXPORT_SUBCONFED },
	/* Cisco's name for NO_EXPORT_SUBCONFED */
	{ "local-as", BGP_COMM_NO_EXPORT_SUBCONFED },
	{ "graceful-shutdown", 0xffff0000u },	/* RFC 8326 */
	{ "blackhole", 0xffff029au },		/* RFC 7999 */
};

const char *
bgp_pol_comm_name(uint32_t c)
{
	for (size_t i = 0; i < sizeof(comm_names) / sizeof(comm_names[0]); i++)
		if (comm_names[i].value == c && strcmp(comm_names[i].name,
		    "local-as") != 0)
			return comm_names[i].name;
	return NULL;
}

/* Communities (large: 3 words each) from the words after *i. */
static int
values(const char *text, size_t *i, bool large, bool none_ok,
    uint32_t **out, uint16_t *nout, struct bgp_pol_err *err)
{
	struct tok t;
	size_t n = 0, per = large ? 3 : 1;	/* words per value */
	size_t parts = large ? 3 : 2;		/* numbers per value */
	uint32_t *v = NULL;

	while (next_tok(text, i, &t)) {
		uint64_t x[3];
		size_t start = 0, k = 0;

		if (none_ok && n == 0 && tok_is(&t, "none")) {
			struct tok x2;

			if (next_tok(text, i, &x2))
				return free(v), fail(err, x2.pos, "nothing "
				    "goes after 'none'");
			*out = NULL;
			*nout = 0;
			return 1;
		}
		if (n == 1000)
			return free(v), fail(err, t.pos, "more than 1000 "
			    "values");
		v = xrealloc(v, (n + 1) * per * sizeof(*v));
		if (!large) {
			bool named = false;

			for (size_t j = 0; j < sizeof(comm_names) /
			    sizeof(comm_names[0]); j++)
				if (tok_is(&t, comm_names[j].name)) {
					v[n++] = comm_names[j].value;
					named = true;
					break;
				}
			if (named)
				continue;
		}
		for (size_t j = 0; j <= t.len && k < parts; j++)
			if (j == t.len || t.s[j] == ':') {
				if (!num_in(t.s, start, j, large ?
				    UINT32_MAX : 65535, &x[k]))
					break;
				k++;
				start = j + 1;
			}
		if (k != parts || start != t.len + 1)
			return free(v), fail(err, t.pos, large ? "'%.*s' is "
			    "not a large community GLOBAL:LOCAL1:LOCAL2 "
			    "(numbers 0..4294967295)" : "'%.*s' is not a "
			    "community ASN:VALUE (numbers 0..65535) or a "
			    "well-known name like no-export", (int)t.len,
			    t.s);
		if (large) {
			v[3 * n] = (uint32_t)x[0];
			v[3 * n + 1] = (uint32_t)x[1];
			v[3 * n + 2] = (uint32_t)x[2];
		} else {
			v[n] = (uint32_t)(x[0] << 16 | x[1]);
		}
		n++;
	}
	if (n == 0)
		return fail(err, *i, "expected %s", large ?
		    "large communities GLOBAL:LOCAL1:LOCAL2" :
		    "communities ASN:VALUE");
	*out = v;
	*nout = (uint16_t)n;
	return 0;
}

static int
end_of_item(const char *text, size_t *i, struct bgp_pol_err *err)
{
	struct tok t;

	if (next_tok(text, i, &t))
		return fail(err, t.pos, "unexpected '%.*s'", (int)t.len, t.s);
	return 0;
}

static int
parse_match(struct bgp_policy *p, const char *text, struct pol_match *m,
    struct bgp_pol_err *err)
{
	struct tok k, t;
	size_t i = 0;
	uint64_t v;
	uint8_t ge, le;

	if (!next_tok(text, &i, &k))
		return fail(err, 0, "empty match");
	if (tok_is(&k, "prefix-list")) {
		m->type = PM_PLIST;
		if (!next_tok(text, &i, &t))
			return fail(err, i, "prefix-list needs a name");
		char *name = xmalloc(t.len + 1);

		memcpy(name, t.s, t.len);
		name[t.len] = '\0';
		m->pl = bgp_plist_get(p->set, name);
		free(name);
		if (m->pl == NULL)
			return fail(err, t.pos, "no prefix list named '%.*s'",
			    (int)t.len, t.s);
		return end_of_item(text, &i, err);
	}
	if (tok_is(&k, "prefix")) {
		m->type = PM_PREFIX;
		if (!next_tok(text, &i, &t))
			return fail(err, i, "prefix needs A.B.C.D/L");
		if (tok_prefix(&t, &m->addr, &m->len, err) < 0 ||
		    ge_le(text, &i, &ge, &le, err) < 0)
			return -1;
		return range_at(t.pos, m->addr, m->len, ge, le, &m->lo,
		    &m->hi, err);
	}
	if (tok_is(&k, "as-path")) {
		m->type = PM_ASPATH;
		return add_regex(p, true, text, i, &m->re, err);
	}
	if (tok_is(&k, "community-regex") ||
	    tok_is(&k, "large-community-regex")) {
		m->type = k.s[0] == 'c' ? PM_COMM_RE : PM_LCOMM_RE;
		return add_regex(p, false, text, i, &m->re, err);
	}
	if (tok_is(&k, "community") || tok_is(&k, "large-community")) {
		bool large = k.s[0] == 'l';

		m->type = large ? PM_LCOMM : PM_COMM;
		return values(text, &i, large, false, &m->vals, &m->nvals,
		    err) < 0 ? -1 : 0;
	}
	if (tok_is(&k, "next-hop")) {
		m->type = PM_NEXT_HOP;
		if (!next_tok(text, &i, &t))
			return fail(err, i, "next-hop needs A.B.C.D[/L]");
		if (tok_prefix(&t, &m->addr, &m->len, err) < 0 ||
		    range_at(t.pos, m->addr, m->len, 0, 0, &m->lo, &m->hi,
		    err) < 0)
			return -1;
		return end_of_item(text, &i, err);
	}
	if (tok_is(&k, "peer-as")) {
		m->type = PM_PEER_AS;
		if (!next_tok(text, &i, &t))
			return fail(err, i, "peer-as needs an AS number");
		if (tok_num(&t, UINT32_MAX, &v, "peer-as", err) < 0)
			return -1;
		m->num = (uint32_t)v;
		return end_of_item(text, &i, err);
	}
	if (tok_is(&k, "origin")) {
		m->type = PM_ORIGIN;
		if (!next_tok(text, &i, &t))
			return fail(err, i, "origin needs igp, egp or "
			    "incomplete");
		if (tok_is(&t, "igp"))
			m->num = BGP_ORIGIN_IGP;
		else if (tok_is(&t, "egp"))
			m->num = BGP_ORIGIN_EGP;
		else if (tok_is(&t, "incomplete"))
			m->num = BGP_ORIGIN_INCOMPLETE;
		else
			return fail(err, t.pos, "origin is igp, egp or "
			    "incomplete, not '%.*s'", (int)t.len, t.s);
		return end_of_item(text, &i, err);
	}
	return fail(err, k.pos, "unknown match '%.*s' (prefix-list, prefix, "
	    "as-path, community, community-regex, large-community, "
	    "large-community-regex, next-hop, peer-as, origin)", (int)k.len,
	    k.s);
}

int
bgp_policy_match(struct bgp_policy *p, const char *text,
    struct bgp_pol_err *err)
{
	struct pol_rule *r = last_rule(p);
	struct pol_match m = { 0 };

	if (parse_match(p, text, &m, err) < 0) {
		free(m.vals);
		return -1;
	}
	r->m = xrealloc(r->m, (r->nm + 1) * sizeof(*r->m));
	r->m[r->nm++] = m;
	return 0;
}

static int
parse_action(const char *text, struct pol_rule *r, struct pol_action *a,
    struct bgp_pol_err *err)
{
	struct tok k, t;
	size_t i = 0;
	uint64_t v;

	if (!next_tok(text, &i, &k))
		return fail(err, 0, "empty action");
	if (r->has_disp)
		return fail(err, k.pos, "the rule already ends with %s: "
		    "'accept', 'reject' or 'continue' comes last",
		    r->disp == DISP_ACCEPT ? "accept" : r->disp ==
		    DISP_REJECT ? "reject" : "continue");
	if (tok_is(&k, "accept") || tok_is(&k, "stop") ||
	    tok_is(&k, "reject") || tok_is(&k, "continue")) {
		if (end_of_item(text, &i, err) < 0)
			return -1;
		r->disp = k.s[0] == 'r' ? DISP_REJECT : k.s[0] == 'c' ?
		    DISP_CONTINUE : DISP_ACCEPT;
		if (r->disp == DISP_REJECT && r->na > 0)
			return fail(err, k.pos, "a rule that rejects cannot "
			    "also change the route");
		r->has_disp = true;
		return 1;
	}
	if (tok_is(&k, "local-pref") || tok_is(&k, "med")) {
		a->type = k.s[0] == 'l' ? PA_LOCAL_PREF : PA_MED;
		if (!next_tok(text, &i, &t))
			return fail(err, i, "%.*s needs a number", (int)k.len,
			    k.s);
		if (tok_num(&t, UINT32_MAX, &v, a->type == PA_MED ? "med" :
		    "local-pref", err) < 0)
			return -1;
		a->num = (uint32_t)v;
		return end_of_item(text, &i, err);
	}
	if (tok_is(&k, "prepend")) {
		a->type = PA_PREPEND;
		a->count = 1;
		if (!next_tok(text, &i, &t))
			return fail(err, i, "prepend needs an AS number or "
			    "self");
		if (tok_is(&t, "self"))
			a->type = PA_PREPEND_SELF;
		else if (tok_num(&t, UINT32_MAX, &v, "prepend", err) < 0)
			return -1;
		else
			a->num = (uint32_t)v;
		if (next_tok(text, &i, &t)) {
			struct tok c = t;

			if (c.len > 1 && c.s[0] == 'x')
				c.s++, c.len--, c.pos++;
			if (!num_in(c.s, 0, c.len, 64, &v) || v == 0)
				return fail(err, t.pos, "prepend count: '%.*s' "
				    "is not a number 1..64", (int)t.len, t.s);
			a->count = (uint32_t)v;
		}
		return end_of_item(text, &i, err);
	}
	if (tok_is(&k, "community") || tok_is(&k, "large-community")) {
		bool large = k.s[0] == 'l';
		int rc;

		if (!next_tok(text, &i, &t) || (!tok_is(&t, "add") &&
		    !tok_is(&t, "remove") && !tok_is(&t, "set")))
			return fail(err, k.pos + k.len, "%.*s takes add, "
			    "remove or set", (int)k.len, k.s);
		a->type = (uint8_t)((large ? PA_LCOMM_ADD : PA_COMM_ADD) +
		    (t.s[0] == 'a' ? 0 : t.s[0] == 'r' ? 1 : 2));
		rc = values(text, &i, large, t.s[0] == 's', &a->vals,
		    &a->nvals, err);
		return rc < 0 ? -1 : 0;
	}
	if (tok_is(&k, "next-hop")) {
		uint8_t len;

		a->type = PA_NEXT_HOP;
		if (!next_tok(text, &i, &t))
			return fail(err, i, "next-hop needs an address or "
			    "self");
		if (tok_is(&t, "self"))
			a->type = PA_NEXT_HOP_SELF;
		else if (tok_prefix(&t, &a->num, &len, err) < 0)
			return -1;
		else if (len != 32)
			return fail(err, t.pos, "next-hop is an address, not "
			    "a prefix");
		return end_of_item(text, &i, err);
	}
	return fail(err, k.pos, "unknown action '%.*s' (local-pref, med, "
	    "prepend, community, large-community, next-hop, accept, reject, "
	    "continue)", (int)k.len, k.s);
}

int
bgp_policy_action(struct bgp_policy *p, const char *text,
    struct bgp_pol_err *err)
{
	struct pol_rule *r = last_rule(p);
	struct pol_action a = { 0 };
	int rc = parse_action(text, r, &a, err);

	if (rc < 0) {
		free(a.vals);
		return -1;
	}
	if (rc == 1)
		return 0;
	r->a = xrealloc(r->a, (r->na + 1) * sizeof(*r->a));
	r->a[r->na++] = a;
	return 0;
}

enum bgp_pol_verdict
bgp_policy_absent(bool ebgp, bool rfc8212)
{
	return ebgp && rfc8212 ? BGP_POL_REJECT : BGP_POL_ACCEPT;
}

void
bgp_policy_cache_stats(const struct bgp_policy *p, uint64_t *hits,
    uint64_t *misses)
{
	*hits = p->hits;
	*misses = p->misses;
}
