/*
 * acl.c - prefix sets, acls, their evaluation and the bindings' filters
 * (acl.h). The tracking table is acl_ct.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acl_int.h"
#include "fib.h"
#include "net.h"
#include "rib.h"
#include "util.h"
#include "wire.h"

/* --- prefix sets ---------------------------------------------------- */

/* One followed source: which prefixes it made members. */
struct pset_follow {
	struct acl_pset *set;
	struct rib *rib;
	char *source;
	struct fib *members;
};

struct acl_pset {
	char *name;
	struct fib *fib;	/* member -> how many contributions */
	struct pset_follow **fol;
	size_t n_fol;
};

struct acl_pset *
acl_pset_new(const char *name)
{
	struct acl_pset *s = xcalloc(1, sizeof(*s));

	s->name = xstrdup(name);
	s->fib = fib_new();
	return s;
}

static void follow_change(struct rib *r, const struct rib_change *c,
    void *ctx);

void
acl_pset_free(struct acl_pset *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->n_fol; i++) {
		rib_remove_listener(s->fol[i]->rib, follow_change, s->fol[i]);
		fib_free(s->fol[i]->members);
		free(s->fol[i]->source);
		free(s->fol[i]);
	}
	free(s->fol);
	fib_free(s->fib);
	free(s->name);
	free(s);
}

const char *
acl_pset_name(const struct acl_pset *s)
{
	return s->name;
}

void
acl_pset_add(struct acl_pset *s, uint32_t prefix, uint8_t len)
{
	uint32_t refs = 0;

	fib_get(s->fib, prefix, len, &refs);
	fib_add(s->fib, prefix, len, refs + 1);
}

static void
pset_put(struct acl_pset *s, uint32_t prefix, uint8_t len)
{
	uint32_t refs = 0;

	if (!fib_get(s->fib, prefix, len, &refs))
		return;
	if (refs > 1)
		fib_add(s->fib, prefix, len, refs - 1);
	else
		fib_del(s->fib, prefix, len);
}

static bool
follows(struct pset_follow *fo, const struct rib_route *best)
{
	char buf[32];

	/*
	 * By name on every change (a control-plane cost, not a packet's): a
	 * source id may be named, or named again once it has no route left,
	 * after the set started following (rib_set_source).
	 */
	return strcmp(rib_source_name(fo->rib, best->source, buf,
	    sizeof(buf)), fo->source) == 0;
}

static void
follow_prefix(struct pset_follow *fo, uint32_t prefix, uint8_t len,
    const struct rib_route *best)
{
	uint32_t v;
	bool was = fib_get(fo->members, prefix, len, &v);
	bool now = best != NULL && follows(fo, best);

	if (now && !was) {
		fib_add(fo->members, prefix, len, 1);
		acl_pset_add(fo->set, prefix, len);
	} else if (!now && was) {
		fib_del(fo->members, prefix, len);
		pset_put(fo->set, prefix, len);
	}
}

static void
follow_change(struct rib *r, const struct rib_change *c, void *ctx)
{
	(void)r;
	follow_prefix(ctx, c->prefix, c->len, c->kind == RIB_WITHDRAWN ?
	    NULL : c->best);
}

static void
follow_walk(uint32_t prefix, uint8_t len, const struct rib_route *best,
    const struct rib_nhg *nhg, void *ctx)
{
	(void)nhg;
	follow_prefix(ctx, prefix, len, best);
}

void
acl_pset_follow(struct acl_pset *s, struct rib *r, const char *source)
{
	struct pset_follow *fo = xcalloc(1, sizeof(*fo));

	fo->set = s;
	fo->rib = r;
	fo->source = xstrdup(source);
	fo->members = fib_new();
	s->fol = xrealloc(s->fol, (s->n_fol + 1) * sizeof(*s->fol));
	s->fol[s->n_fol++] = fo;
	rib_walk(r, follow_walk, fo);
	rib_add_listener(r, follow_change, fo);
}

bool
acl_pset_match(const struct acl_pset *s, uint32_t addr)
{
	uint32_t v;

	return fib_lookup(s->fib, addr, &v, NULL);
}

size_t
acl_pset_count(const struct acl_pset *s)
{
	return fib_count(s->fib);
}

/* --- acls ------------------------------------------------------------ */

struct acl {
	char *name, *label;
	enum acl_mode mode;
	struct acl_rule *rules;	/* as added */
	size_t n_rules;
	/* per direction: indices into rules in evaluation order */
	size_t *order[2];
	size_t n_order[2];
	bool has_stateless[2];	/* an allow rule that is stateless */
	/* bindings using it: their counters and hits size its rules */
	unsigned n_bound;
	/*
	 * Rules set inactive (acl_rule_set_active), NULL while none ever
	 * was: they stay in rules (indices and counters hold) but are left
	 * out of order, so a packet never looks at them.
	 */
	bool *off;
};

struct acl *
acl_new(const char *name, const char *label, enum acl_mode mode)
{
	struct acl *a = xcalloc(1, sizeof(*a));

	a->name = xstrdup(name);
	a->label = xstrdup(label);
	a->mode = mode;
	return a;
}

static void
addrs_free(struct acl_addrs *x)
{
	free(x->prefix);
	free(x->len);
	free(x->sets);
}

void
acl_free(struct acl *a)
{
	size_t i;

	if (a == NULL)
		return;
	for (i = 0; i < a->n_rules; i++) {
		free(a->rules[i].name);
		addrs_free(&a->rules[i].src);
		addrs_free(&a->rules[i].dst);
	}
	free(a->rules);
	free(a->order[0]);
	free(a->order[1]);
	free(a->off);
	free(a->name);
	free(a->label);
	free(a);
}

static void
addrs_copy(struct acl_addrs *to, const struct acl_addrs *from)
{
	*to = *from;
	to->prefix = NULL;
	to->len = NULL;
	to->sets = NULL;
	if (from->n > 0) {
		to->prefix = xmalloc(from->n * sizeof(*to->prefix));
		to->len = xmalloc(from->n * sizeof(*to->len));
		memcpy(to->prefix, from->prefix, from->n * sizeof(*to->prefix));
		memcpy(to->len, from->len, from->n * sizeof(*to->len));
	}
	if (from->n_sets > 0) {
		to->sets = xmalloc(from->n_sets * sizeof(*to->sets));
		memcpy(to->sets, from->sets, from->n_sets * sizeof(*to->sets));
	}
	if (from->n == 0 && from->n_sets == 0)
		to->any = true;
}

void
acl_add_rule(struct acl *a, const struct acl_rule *r)
{
	struct acl_rule *c;
	size_t d = r->dir, k, i;

	SIM_ASSERT(a->n_bound == 0, "acl %s: a rule added while bound",
	    a->name);
	SIM_ASSERT(a->mode == ACL_FIRST_MATCH || r->allow, "acl %s: a deny "
	    "rule in an any_allow acl", a->name);
	a->rules = xrealloc(a->rules, (a->n_rules + 1) * sizeof(*a->rules));
	c = &a->rules[a->n_rules];
	*c = *r;
	c->name = xstrdup(r->name);
	addrs_copy(&c->src, &r->src);
	addrs_copy(&c->dst, &r->dst);
	a->order[d] = xrealloc(a->order[d], (a->n_order[d] + 1) *
	    sizeof(*a->order[d]));
	/* first_match: by priority; any_allow: as written */
	k = a->n_order[d];
	if (a->mode == ACL_FIRST_MATCH)
		while (k > 0 && a->rules[a->order[d][k - 1]].priority >
		    r->priority)
			k--;
	for (i = a->n_order[d]; i > k; i--)
		a->order[d][i] = a->order[d][i - 1];
	a->order[d][k] = a->n_rules;
	a->n_order[d]++;
	if (r->allow && r->stateless)
		a->has_stateless[d] = true;
	a->n_rules++;
	if (a->off != NULL) {
		a->off = xrealloc(a->off, a->n_rules * sizeof(*a->off));
		a->off[a->n_rules - 1] = false;
	}
}

/*
 * The evaluation order of direction d again from the active rules: as
 * written, first_match ones stably by priority (as acl_add_rule inserts).
 */
static void
reorder(struct acl *a, size_t d)
{
	size_t i, j, n = 0, all = 0;

	for (i = 0; i < a->n_rules; i++)
		all += a->rules[i].dir == d;
	a->order[d] = xrealloc(a->order[d], (all ? all : 1) *
	    sizeof(*a->order[d]));
	a->has_stateless[d] = false;
	for (i = 0; i < a->n_rules; i++) {
		const struct acl_rule *r = &a->rules[i];

		if (r->dir != d || a->off[i])
			continue;
		j = n++;
		if (a->mode == ACL_FIRST_MATCH)
			for (; j > 0 && a->rules[a->order[d][j - 1]].priority >
			    r->priority; j--)
				a->order[d][j] = a->order[d][j - 1];
		a->order[d][j] = i;
		if (r->allow && r->stateless)
			a->has_stateless[d] = true;
	}
	a->n_order[d] = n;
}

void
acl_rule_set_active(struct acl *a, size_t i, bool on)
{
	SIM_ASSERT(i < a->n_rules, "acl %s: no rule %zu", a->name, i);
	if (a->off == NULL) {
		if (on)
			return;
		a->off = xcalloc(a->n_rules, sizeof(*a->off));
	}
	if (a->off[i] == !on)
		return;
	a->off[i] = !on;
	reorder(a, a->rules[i].dir);
}

bool
acl_rule_active(const struct acl *a, size_t i)
{
	return i < a->n_rules && (a->off == NULL || !a->off[i]);
}

const char *
acl_name(const struct acl *a)
{
	return a->name;
}

const char *
acl_label(const struct acl *a)
{
	return a->label;
}

enum acl_mode
acl_mode(const struct acl *a)
{
	return a->mode;
}

size_t
acl_n_rules(const struct acl *a)
{
	return a->n_rules;
}

const struct acl_rule *
acl_rule_at(const struct acl *a, size_t i)
{
	return i < a->n_rules ? &a->rules[i] : NULL;
}

/* --- matching -------------------------------------------------------- */

static bool
addrs_match(const struct acl_addrs *x, uint32_t addr)
{
	size_t i;

	if (x->any)
		return true;
	for (i = 0; i < x->n; i++)
		if (x->len[i] == 0 || ((addr ^ x->prefix[i]) >>
		    (32 - x->len[i])) == 0)
			return true;
	for (i = 0; i < x->n_sets; i++)
		if (acl_pset_match(x->sets[i], addr))
			return true;
	return false;
}

static bool
rule_match(const struct acl_rule *r, const struct acl_tuple *t)
{
	if (r->proto != ACL_PROTO_ANY && r->proto != t->proto)
		return false;
	if (r->proto == WIRE_IPPROTO_TCP || r->proto == WIRE_IPPROTO_UDP) {
		bool ports = r->sport[0] != 0 || r->sport[1] != 65535 ||
		    r->dport[0] != 0 || r->dport[1] != 65535;

		/* a later fragment has no ports: only a rule for any port */
		if (!t->l4 && ports)
			return false;
		if (t->sport < r->sport[0] || t->sport > r->sport[1] ||
		    t->dport < r->dport[0] || t->dport > r->dport[1])
			return false;
	} else if (r->proto == WIRE_IPPROTO_ICMP && r->icmp_type >= 0) {
		if (!t->l4 || t->icmp_type != r->icmp_type ||
		    (r->icmp_code >= 0 && t->icmp_code != r->icmp_code))
			return false;
	}
	return addrs_match(&r->src, t->src) && addrs_match(&r->dst, t->dst);
}

/*
 * An acl's own verdict on t in dir: the deciding rule (NULL: none), its
 * allow. only_stateless: look at stateless allow rules alone (combine
 * any's precedence pass).
 */
static const struct acl_rule *
acl_eval(const struct acl *a, enum acl_dir dir, const struct acl_tuple *t,
    bool only_stateless, bool *allow)
{
	const size_t *o = a->order[dir];
	size_t i, n = a->n_order[dir];
	const struct acl_rule *stateful = NULL;

	*allow = false;
	if (only_stateless && !a->has_stateless[dir])
		return NULL;
	for (i = 0; i < n; i++) {
		const struct acl_rule *r = &a->rules[o[i]];

		if (only_stateless && !(r->allow && r->stateless) &&
		    a->mode == ACL_ANY_ALLOW)
			continue;
		if (!rule_match(r, t))
			continue;
		if (a->mode == ACL_FIRST_MATCH) {
			/* the first match decides, stateless or not */
			if (only_stateless && !(r->allow && r->stateless))
				return NULL;
			*allow = r->allow;
			return r;
		}
		/* any_allow: a stateless match wins over a stateful one */
		if (r->stateless) {
			*allow = true;
			return r;
		}
		if (stateful == NULL)
			stateful = r;
	}
	*allow = stateful != NULL;
	return stateful;
}

/* --- bindings -------------------------------------------------------- */

struct acl_binding {
	struct node *node;
	uint32_t ifindex;
	struct sim *sim;
	struct acl *acls[ACL_BINDING_ACLS];
	size_t n_acls;
	enum acl_combine combine;
	struct ct_table ct;
	struct acl_counters cnt;
	uint64_t *deny[ACL_BINDING_ACLS];	/* [n_rules + 1]: last = none */
	bool off;		/* acl_binding_set_active: filters nothing */
	char reason[ACL_REASON_LEN];
};

static enum node_verdict binding_hook(struct node *n, uint32_t ifindex,
    enum node_hook_dir dir, const struct pkt *frame,
    const struct wire_frame *f, const char **reason, void *ctx);

struct acl_binding *
acl_bind(struct node *n, uint32_t ifindex, struct acl *const *acls,
    size_t n_acls, enum acl_combine combine, uint32_t ct_limit, char *err,
    size_t errlen)
{
	struct acl_binding *b;
	size_t k;

	if (ifindex >= node_n_ifaces(n)) {
		snprintf(err, errlen, "%s has no interface %u", node_name(n),
		    ifindex);
		return NULL;
	}
	if (n_acls == 0 || n_acls > ACL_BINDING_ACLS) {
		snprintf(err, errlen, "a binding has 1 to %d acls, not %zu",
		    ACL_BINDING_ACLS, n_acls);
		return NULL;
	}
	b = xcalloc(1, sizeof(*b));
	b->node = n;
	b->ifindex = ifindex;
	b->sim = net_sim(node_net(n));
	b->n_acls = n_acls;
	b->combine = combine;
	for (k = 0; k < n_acls; k++) {
		b->acls[k] = acls[k];
		acls[k]->n_bound++;
		b->deny[k] = xcalloc(acl_n_rules(acls[k]) + 1, sizeof(uint64_t));
	}
	ct_init(&b->ct, ct_limit);
	node_iface_add_filter(n, ifindex, NODE_EGRESS, binding_hook, b);
	node_iface_add_filter(n, ifindex, NODE_INGRESS, binding_hook, b);
	return b;
}

void
acl_unbind(struct acl_binding *b)
{
	size_t k;

	if (b == NULL)
		return;
	node_iface_remove_filter(b->node, b->ifindex, NODE_EGRESS,
	    binding_hook, b);
	node_iface_remove_filter(b->node, b->ifindex, NODE_INGRESS,
	    binding_hook, b);
	for (k = 0; k < b->n_acls; k++) {
		b->acls[k]->n_bound--;
		free(b->deny[k]);
	}
	ct_destroy(&b->ct);
	free(b);
}

static const char *
dir_word(const struct acl *a, enum acl_dir dir)
{
	if (a->mode == ACL_FIRST_MATCH)
		return dir == ACL_INBOUND ? "inbound" : "outbound";
	return dir == ACL_INBOUND ? "ingress" : "egress";
}

/* The reason one acl refused t, appended to buf at *off. */
static void
hit_reason(char *buf, size_t len, size_t *off, const struct acl_hit *h,
    enum acl_dir dir)
{
	const struct acl *a = h->acl;

	if (*off >= len)
		return;
	if (h->rule != NULL)
		*off += (size_t)snprintf(buf + *off, len - *off, "%s%s %s rule "
		    "%s priority %u (%s)", *off ? "; " : "", a->label, a->name,
		    h->rule->name, h->rule->priority, dir_word(a, dir));
	else
		*off += (size_t)snprintf(buf + *off, len - *off, "%s%s %s: %s "
		    "(%s)", *off ? "; " : "", a->label, a->name,
		    a->mode == ACL_FIRST_MATCH ? "no rule matched" :
		    "no rule allows", dir_word(a, dir));
}

/* The acl order of a direction: outbound walks the list backwards. */
static size_t
nth(const struct acl_binding *b, enum acl_dir dir, size_t i)
{
	return dir == ACL_INBOUND ? i : b->n_acls - 1 - i;
}

/*
 * The decision for t, with the tracked entry's mask (0: none) as tracking
 * allows it. *track gets the acls that allowed by a stateful rule; *bypass
 * is set when a stateless rule took precedence (combine any), so tracking
 * must not be touched.
 */
static void
decide(const struct acl_binding *b, enum acl_dir dir,
    const struct acl_tuple *t, uint16_t tracked, struct acl_decision *d,
    uint16_t *track, bool *bypass)
{
	size_t i;

	d->allow = false;
	d->table_full = false;
	d->n_hits = 0;
	d->decider = 0;
	*track = 0;
	*bypass = false;
	if (b->combine == ACL_ALL) {
		for (i = 0; i < b->n_acls; i++) {
			size_t k = nth(b, dir, i);
			struct acl_hit *h = &d->hit[d->n_hits++];

			h->acl = b->acls[k];
			h->tracked = (tracked >> k & 1) != 0;
			h->rule = NULL;
			h->allow = true;
			if (h->tracked)
				continue;
			h->rule = acl_eval(b->acls[k], dir, t, false,
			    &h->allow);
			if (!h->allow) {
				d->decider = d->n_hits - 1;
				return;
			}
			if (h->rule != NULL && !h->rule->stateless)
				*track |= (uint16_t)(1u << k);
		}
		d->allow = true;
		d->decider = d->n_hits - 1;
		return;
	}
	/* any: a stateless allow anywhere first, then tracking, then rules */
	for (i = 0; i < b->n_acls; i++) {
		size_t k = nth(b, dir, i);
		const struct acl_rule *r;
		bool allow;

		r = acl_eval(b->acls[k], dir, t, true, &allow);
		if (allow) {
			d->hit[0] = (struct acl_hit){ b->acls[k], r, true,
			    false };
			d->n_hits = 1;
			d->allow = true;
			*bypass = true;
			return;
		}
	}
	if (tracked != 0) {
		for (i = 0; i < b->n_acls; i++)
			if (tracked >> nth(b, dir, i) & 1)
				break;
		d->hit[0] = (struct acl_hit){ b->acls[nth(b, dir, i)], NULL,
		    true, true };
		d->n_hits = 1;
		d->allow = true;
		return;
	}
	for (i = 0; i < b->n_acls; i++) {
		size_t k = nth(b, dir, i);
		struct acl_hit *h = &d->hit[d->n_hits++];

		h->acl = b->acls[k];
		h->tracked = false;
		h->rule = acl_eval(b->acls[k], dir, t, false, &h->allow);
		if (h->allow) {
			if (!d->allow)
				d->decider = d->n_hits - 1;
			d->allow = true;
			if (!h->rule->stateless)
				*track |= (uint16_t)(1u << k);
		}
	}
	if (!d->allow)
		d->decider = 0;
}

static void
fill_reason(const struct acl_binding *b, enum acl_dir dir,
    struct acl_decision *d, char *buf, size_t len)
{
	size_t off = 0, i;

	buf[0] = '\0';
	if (d->allow)
		return;
	if (b->combine == ACL_ALL) {
		hit_reason(buf, len, &off, &d->hit[d->decider], dir);
		return;
	}
	for (i = 0; i < d->n_hits; i++)
		hit_reason(buf, len, &off, &d->hit[i], dir);
}

int
acl_explain(const struct acl_binding *b, enum acl_dir dir,
    const struct acl_tuple *t, struct acl_decision *out)
{
	uint16_t track;
	bool bypass;

	if (b == NULL || t == NULL || out == NULL)
		return -1;
	if (b->off) {
		/* inactive: no acl looks at the packet */
		memset(out, 0, sizeof(*out));
		out->allow = true;
		return 0;
	}
	decide(b, dir, t, 0, out, &track, &bypass);
	fill_reason(b, dir, out, out->reason, sizeof(out->reason));
	return 0;
}

void
acl_tuple_of(const struct wire_frame *f, struct acl_tuple *t)
{
	memset(t, 0, sizeof(*t));
	t->src = f->ip.src;
	t->dst = f->ip.dst;
	t->proto = f->ip.proto;
	t->icmp_type = t->icmp_code = -1;
	if (f->has_tcp) {
		t->l4 = true;
		t->sport = f->tcp.sport;
		t->dport = f->tcp.dport;
		t->tcp_flags = f->tcp.flags;
	} else if (f->has_udp) {
		t->l4 = true;
		t->sport = f->udp.sport;
		t->dport = f->udp.dport;
	} else if (f->has_icmp) {
		t->l4 = true;
		t->icmp_type = f->icmp.type;
		t->icmp_code = f->icmp.code;
		if (f->icmp.type == WIRE_ICMP_ECHO ||
		    f->icmp.type == WIRE_ICMP_ECHO_REPLY)
			t->icmp_id = (uint16_t)(f->icmp.rest >> 16);
	}
}

/*
 * Does t belong to a flow that can be tracked? Of ICMP only echo request
 * and reply (by identifier); a later fragment has no ports to tell.
 */
static bool
trackable(const struct acl_tuple *t)
{
	if (!t->l4)
		return false;
	if (t->proto == WIRE_IPPROTO_ICMP)
		return t->icmp_type == WIRE_ICMP_ECHO ||
		    t->icmp_type == WIRE_ICMP_ECHO_REPLY;
	return true;
}

static void
count_denial(struct acl_binding *b, const struct acl_decision *d)
{
	size_t i;

	b->cnt.denied++;
	for (i = 0; i < d->n_hits; i++) {
		const struct acl_hit *h = &d->hit[i];
		size_t k;

		if (h->allow)
			continue;
		for (k = 0; k < b->n_acls && b->acls[k] != h->acl; k++)
			;
		b->deny[k][h->rule != NULL ? (size_t)(h->rule -
		    h->acl->rules) : h->acl->n_rules]++;
	}
}

bool
acl_binding_filter(struct acl_binding *b, enum acl_dir dir,
    const struct acl_tuple *t, const char **reason)
{
	sim_time now = sim_now(b->sim);
	struct acl_decision d;
	struct ct_key key;
	enum ct_side side = CT_MISS;
	uint32_t e = CT_NONE;
	uint16_t track, mask = 0;
	bool swapped = false, bypass, can;

	/* inactive (its gate closed): it lets everything by untouched */
	if (b->off)
		return true;
	can = trackable(t);
	ct_expire(&b->ct, now);
	b->cnt.flows = b->ct.used;
	if (can) {
		ct_key_of(t, &key, &swapped);
		e = ct_find(&b->ct, &key, swapped, dir, &side);
		if (e != CT_NONE)
			mask = b->ct.e[e].mask;
	}
	decide(b, dir, t, mask, &d, &track, &bypass);
	if (!d.allow) {
		count_denial(b, &d);
		fill_reason(b, dir, &d, b->reason, sizeof(b->reason));
		*reason = b->reason;
		return false;
	}
	if (!bypass && can) {
		if (e != CT_NONE) {
			b->ct.e[e].mask |= track;
			ct_touch(&b->ct, e, side, t, now);
		} else if (track != 0 && !(t->proto == WIRE_IPPROTO_TCP &&
		    (t->tcp_flags & WIRE_TCP_RST) != 0)) {
			/* (a lone RST opens nothing) */
			e = ct_insert(&b->ct, &key, swapped, dir, track);
			if (e == CT_NONE) {
				b->cnt.table_full++;
				b->cnt.denied++;
				*reason = "connection tracking table full";
				return false;
			}
			ct_touch(&b->ct, e, CT_ORIGIN, t, now);
			b->cnt.flows_created++;
			if (b->ct.used > b->cnt.flows_peak)
				b->cnt.flows_peak = b->ct.used;
		}
	}
	b->cnt.allowed++;
	if (mask != 0 && !bypass)
		b->cnt.allowed_tracked++;
	b->cnt.flows = b->ct.used;
	return true;
}

static enum node_verdict
binding_hook(struct node *n, uint32_t ifindex, enum node_hook_dir dir,
    const struct pkt *frame, const struct wire_frame *f, const char **reason,
    void *ctx)
{
	struct acl_tuple t;

	(void)n;
	(void)ifindex;
	(void)frame;
	/* only IPv4 is filtered: ARP-less links carry nothing else here */
	if (!f->has_ipv4)
		return NODE_ACCEPT;
	acl_tuple_of(f, &t);
	return acl_binding_filter(ctx, dir == NODE_EGRESS ? ACL_INBOUND :
	    ACL_OUTBOUND, &t, reason) ? NODE_ACCEPT : NODE_DROP;
}

const struct acl_counters *
acl_binding_counters(const struct acl_binding *b)
{
	return &b->cnt;
}

uint64_t
acl_binding_denials(const struct acl_binding *b, size_t k, long r)
{
	if (k >= b->n_acls)
		return 0;
	if (r < 0)
		return b->deny[k][b->acls[k]->n_rules];
	return (size_t)r < b->acls[k]->n_rules ? b->deny[k][r] : 0;
}

size_t
acl_binding_n_acls(const struct acl_binding *b)
{
	return b->n_acls;
}

const struct acl *
acl_binding_acl(const struct acl_binding *b, size_t k)
{
	return k < b->n_acls ? b->acls[k] : NULL;
}

void
acl_binding_set_active(struct acl_binding *b, bool on)
{
	b->off = !on;
}

bool
acl_binding_active(const struct acl_binding *b)
{
	return !b->off;
}

uint32_t
acl_binding_flows(struct acl_binding *b)
{
	ct_expire(&b->ct, sim_now(b->sim));
	b->cnt.flows = b->ct.used;
	return b->ct.used;
}
