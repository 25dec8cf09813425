/*
 * query_assert.c - the assertion kinds that ask route and path questions
 * (query.h), so a lab checks what `xcsim routes` and `xcsim path` answer:
 *
 *   effective-route  a table's Active route for a prefix (or the one an
 *                    address takes): its source, next hop, attributes
 *   path             a packet's way: delivered or not, through which
 *                    nodes, and its reply's way back
 *   rule-verdict     the filter that decided a packet somewhere on its
 *                    path: which acl, which rule, allow or deny
 *
 * Each is judged at its `at` (sampled by an event the aliases section's
 * build schedules, after what the timeline does at that instant) or, with
 * no `at`, at the end of the run.
 */
#include <stdlib.h>
#include <string.h>

#include "acl.h"
#include "net.h"
#include "query.h"
#include "query_int.h"
#include "rib.h"
#include "scenario_section.h"
#include "sim.h"
#include "units.h"
#include "util.h"
#include "wire.h"

static const char *const protos[] = { "tcp", "udp", "icmp", NULL };
static const uint8_t proto_num[] = { WIRE_IPPROTO_TCP, WIRE_IPPROTO_UDP,
	WIRE_IPPROTO_ICMP };
static const char *const verdicts[] = { "allow", "deny", NULL };

/* --- effective-route -------------------------------------------------- */

enum { ER_TABLE, ER_PREFIX, ER_DST, ER_AT, ER_SOURCE, ER_NEXT_HOP,
	ER_ATTR, ER_ABSENT, ER_F_MAX };

struct er_args {
	char *table;
	uint32_t prefix;
	uint8_t plen;
	uint32_t dst;
	sim_time at;
	char *source;
	uint32_t next_hop;
	char *attr;
	bool absent;
	struct sc_loc loc;
	struct sc_loc vloc[ER_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(ER_F_MAX)];
};

static const struct sc_field er_fields[] = {
	[ER_TABLE] = { "table", SC_FT_STRING, SC_AT(struct er_args, table),
		.required = true, .doc = "the table: an alias (a NIC, a subnet, "
		    "a route table), NODE/VRF or NODE" },
	[ER_PREFIX] = { "prefix", SC_FT_PREFIX, SC_AT(struct er_args, prefix),
		SC_AT2(struct er_args, plen), .def_doc = "none: give dst",
		.doc = "the prefix, a.b.c.d/len (exact)" },
	[ER_DST] = { "dst", SC_FT_ADDR, SC_AT(struct er_args, dst),
		.def_doc = "none: give prefix", .doc = "an address: the route "
		    "it takes (longest prefix)" },
	[ER_AT] = { "at", SC_FT_TIME, SC_AT(struct er_args, at),
		.def_doc = "the end of the run", .doc = "when" },
	[ER_SOURCE] = { "source", SC_FT_STRING, SC_AT(struct er_args, source),
		.def_doc = "any", .doc = "the Active route's source (bgp, "
		    "static, connected, system, user, ...)" },
	[ER_NEXT_HOP] = { "next_hop", SC_FT_ADDR,
		SC_AT(struct er_args, next_hop), .def_doc = "any",
		.doc = "an address among the Active route's next hops" },
	[ER_ATTR] = { "attributes", SC_FT_STRING, SC_AT(struct er_args, attr),
		.def_doc = "any", .doc = "text the Active route's attributes "
		    "contain (\"Virtual network gateway\", \"AS path 12076 "
		    "31898\")" },
	[ER_ABSENT] = { "absent", SC_FT_BOOL, SC_AT(struct er_args, absent),
		.def = "false", .doc = "the table has no route for it instead" },
};

static const struct sc_table er_table = {
	"effective-route-assertion", "The keys of an effective-route assertion "
	"besides kind.", er_fields, SC_NFIELDS(er_fields),
	sizeof(struct er_args), offsetof(struct er_args, loc),
	offsetof(struct er_args, vloc), offsetof(struct er_args, keys), -1
};

/* A table name: an alias, or a node (before any '/') that exists. */
static void
check_table(struct sc_check *ck, const char *name, struct sc_loc loc)
{
	char node[SC_NAME_MAX + 1];
	const char *slash = strchr(name, '/');
	size_t n = slash ? (size_t)(slash - name) : strlen(name), idx;

	if (sc_names_find(ck, "alias", name, &idx))
		return;
	if (n > SC_NAME_MAX) {
		sc_check_error(ck, loc, "no alias or node '%s'",
		    sc_check_quote(ck, name));
		return;
	}
	memcpy(node, name, n);
	node[n] = '\0';
	sc_names_lookup(ck, "node", node, loc, &idx);
}

static void
check_er(struct sc_check *ck, struct sc_assert *as, void *args)
{
	struct er_args *a = args;
	bool p = sc_key_given(a->keys, ER_PREFIX),
	    d = sc_key_given(a->keys, ER_DST);

	if (sc_key_ok(a->keys, ER_TABLE))
		check_table(ck, a->table, a->vloc[ER_TABLE]);
	if (p == d)
		sc_check_error(ck, as->loc, "effective-route: give exactly one "
		    "of prefix and dst");
	if (a->absent && (sc_key_given(a->keys, ER_SOURCE) ||
	    sc_key_given(a->keys, ER_NEXT_HOP) ||
	    sc_key_given(a->keys, ER_ATTR)))
		sc_check_error(ck, a->vloc[ER_ABSENT], "absent: true with "
		    "source, next_hop or attributes (an absent route has none)");
}

static bool
eval_er(struct net *net, const struct scenario *sc, const struct er_args *a,
    char *msg, size_t len)
{
	struct query_table t;
	struct rib_explain ex;
	char err[256], p[24], ip[16], sb[32], desc[300], nh[300];
	uint32_t prefix = a->prefix;
	unsigned plen = a->plen;
	const struct rib *r;
	const struct rib_route *best;
	const char *src;
	bool pass;
	size_t off;

	if (query_resolve(net, sc, a->table, &t, err, sizeof(err)) < 0) {
		snprintf(msg, len, "%s", err);
		return false;
	}
	if (sc_key_given(a->keys, ER_DST) &&
	    !query_lookup(&t, a->dst, &prefix, &plen)) {
		snprintf(msg, len, "%s: no route to %s", t.label,
		    wire_ip_str(a->dst, ip));
		return a->absent;
	}
	snprintf(p, sizeof(p), "%s/%u", wire_ip_str(prefix, ip), plen);
	r = node_rib(t.node, t.vrf);
	if (rib_explain(r, prefix, (uint8_t)plen, &ex) < 0) {
		snprintf(msg, len, "%s %s: none", t.label, p);
		return a->absent;
	}
	best = &ex.cand[0];
	rib_describe(r, best, desc, sizeof(desc));
	node_nexthop_text(t.node, t.vrf, best, nh, sizeof(nh));
	src = rib_source_name(r, best->source, sb, sizeof(sb));
	pass = !a->absent;
	if (sc_key_given(a->keys, ER_SOURCE) && strcmp(src, a->source) != 0)
		pass = false;
	if (sc_key_given(a->keys, ER_ATTR) && strstr(desc, a->attr) == NULL)
		pass = false;
	if (sc_key_given(a->keys, ER_NEXT_HOP)) {
		const struct rib_nhg *g = rib_nhg(r, best->nhg);
		bool hit = false;

		for (size_t i = 0; g != NULL && i < g->n; i++)
			hit = hit || g->nh[i].via == a->next_hop;
		pass = pass && hit;
	}
	off = (size_t)snprintf(msg, len, "%s %s: %s %s", t.label, p, src, nh);
	if (desc[0] != '\0' && off < len)
		snprintf(msg + off, len - off, " (%s)", desc);
	rib_explain_free(&ex);
	return pass;
}

/* --- path and rule-verdict: a probe ----------------------------------- */

/* Both kinds share the probe's keys (0..5), then have their own. */
enum { PA_FROM, PA_TO, PA_PROTO, PA_PORT, PA_SPORT, PA_AT, PA_DELIVERED,
	PA_VIA, PA_BACK, PA_HOPS, PA_F_MAX };
enum { RV_BACK = PA_AT + 1, RV_ACL, RV_RULE, RV_VERDICT, RV_F_MAX };
#define PA_KEYS_MAX PA_F_MAX
_Static_assert((int)PA_F_MAX >= (int)RV_F_MAX, "pa_args has both kinds' keys");

struct pa_args {
	char *from, *to;
	int proto;		/* index + 1 in protos */
	uint64_t port, sport;
	sim_time at;
	bool delivered, back;
	char **via;
	size_t n_via;
	struct sc_loc *via_loc;
	char **hops;
	size_t n_hops;
	struct sc_loc *hops_loc;
	char *acl, *rule;
	int verdict;		/* index + 1 in verdicts */
	struct sc_loc loc;
	struct sc_loc vloc[PA_KEYS_MAX];
	uint64_t keys[SC_KEYS_WORDS(PA_KEYS_MAX)];
};

#define PA_COMMON \
	[PA_FROM] = { "from", SC_FT_NAME, SC_AT(struct pa_args, from), \
		.required = true, .doc = "the node the packet starts from" }, \
	[PA_TO] = { "to", SC_FT_STRING, SC_AT(struct pa_args, to), \
		.required = true, .doc = "its destination: a node (its first " \
		    "address) or an address" }, \
	[PA_PROTO] = { "proto", SC_FT_ENUM, SC_AT(struct pa_args, proto), \
		.names = protos, .def = "tcp", .doc = "tcp, udp or icmp (an " \
		    "echo request)" }, \
	[PA_PORT] = { "port", SC_FT_UINT, SC_AT(struct pa_args, port), \
		.max = 65535, .def = "1521", .doc = "destination port" }, \
	[PA_SPORT] = { "sport", SC_FT_UINT, SC_AT(struct pa_args, sport), \
		.max = 65535, .def = "49152", .doc = "source port (icmp: the " \
		    "echo identifier)" }, \
	[PA_AT] = { "at", SC_FT_TIME, SC_AT(struct pa_args, at), \
		.def_doc = "the end of the run", .doc = "when" }

static const struct sc_field pa_fields[] = {
	PA_COMMON,
	[PA_DELIVERED] = { "delivered", SC_FT_BOOL,
		SC_AT(struct pa_args, delivered), .def = "true",
		.doc = "it arrives (and with back, so does its reply), or not" },
	[PA_VIA] = { "via", SC_FT_NAMES, SC_AT(struct pa_args, via),
		SC_AT2(struct pa_args, n_via), SC_AT3(struct pa_args, via_loc),
		.def_doc = "any", .doc = "nodes it crosses, in this order "
		    "(others may come between)" },
	[PA_BACK] = { "back", SC_FT_BOOL, SC_AT(struct pa_args, back),
		.def = "true", .doc = "delivered includes the reply's way back" },
	[PA_HOPS] = { "hops", SC_FT_NAMES, SC_AT(struct pa_args, hops),
		SC_AT2(struct pa_args, n_hops), SC_AT3(struct pa_args, hops_loc),
		.def_doc = "any", .doc = "every node of its way there, in order, "
		    "from the first (a tunnel or an MPLS core is one hop to "
		    "its far end)" },
};

static const struct sc_field rv_fields[] = {
	PA_COMMON,
	[RV_BACK] = { "back", SC_FT_BOOL, SC_AT(struct pa_args, back),
		.def = "false", .doc = "look on the reply's way back too" },
	[RV_ACL] = { "acl", SC_FT_NAME, SC_AT(struct pa_args, acl),
		.required = true, .doc = "the acl (an NSG, a security list) "
		    "that decides the packet somewhere on its way" },
	[RV_RULE] = { "rule", SC_FT_STRING, SC_AT(struct pa_args, rule),
		.def_doc = "any", .doc = "the rule that decides (\"no rule\": "
		    "none matched)" },
	[RV_VERDICT] = { "verdict", SC_FT_ENUM, SC_AT(struct pa_args, verdict),
		.names = verdicts, .required = true, .doc = "allow or deny" },
};

/* One struct for both kinds: each table fills the keys it has. */
static const struct sc_table pa_table = {
	"path-assertion", "The keys of a path assertion besides kind.",
	pa_fields, SC_NFIELDS(pa_fields), sizeof(struct pa_args),
	offsetof(struct pa_args, loc), offsetof(struct pa_args, vloc),
	offsetof(struct pa_args, keys), -1
};

static const struct sc_table rv_table = {
	"rule-verdict-assertion", "The keys of a rule-verdict assertion "
	"besides kind.", rv_fields, SC_NFIELDS(rv_fields),
	sizeof(struct pa_args), offsetof(struct pa_args, loc),
	offsetof(struct pa_args, vloc), offsetof(struct pa_args, keys), -1
};

/* a.b.c.d, and nothing after it. */
static bool
addr_of(const char *s, uint32_t *out)
{
	unsigned b[4];
	char tail;

	if (sscanf(s, "%u.%u.%u.%u%c", &b[0], &b[1], &b[2], &b[3], &tail) !=
	    4 || b[0] > 255 || b[1] > 255 || b[2] > 255 || b[3] > 255)
		return false;
	if (out != NULL)
		*out = b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3];
	return true;
}

static void
check_pa(struct sc_check *ck, struct sc_assert *as, void *args)
{
	struct pa_args *a = args;
	size_t i, idx;

	(void)as;
	if (sc_key_ok(a->keys, PA_FROM))
		sc_names_lookup(ck, "node", a->from, a->vloc[PA_FROM], &idx);
	for (i = 0; i < a->n_via; i++)
		sc_names_lookup(ck, "node", a->via[i], a->via_loc[i], &idx);
	for (i = 0; i < a->n_hops; i++)
		sc_names_lookup(ck, "node", a->hops[i], a->hops_loc[i], &idx);
	if (sc_key_ok(a->keys, PA_TO) && !sc_names_find(ck, "node", a->to,
	    &idx) && !addr_of(a->to, NULL))
		sc_names_lookup(ck, "node", a->to, a->vloc[PA_TO], &idx);
}

static void
check_rv(struct sc_check *ck, struct sc_assert *as, void *args)
{
	struct pa_args *a = args;
	size_t idx;

	check_pa(ck, as, args);
	if (sc_key_ok(a->keys, RV_ACL))
		sc_names_lookup(ck, "acl", a->acl, a->vloc[RV_ACL], &idx);
}

/* Walk a's probe; false with msg set when it cannot start. */
static bool
probe(const struct query_env *env, const struct pa_args *a,
    struct query_path_res *res, char *msg, size_t len)
{
	struct query_probe p = { 0 };
	struct node *from = net_find_node(env->net, a->from), *to;

	to = net_find_node(env->net, a->to);
	if (to != NULL)
		p.dst = query_node_addr(to);
	else
		addr_of(a->to, &p.dst);
	if (from == NULL || p.dst == 0) {
		snprintf(msg, len, "path from %s to %s: no such node or no "
		    "address", a->from, a->to);
		return false;
	}
	p.proto = proto_num[a->proto > 0 ? a->proto - 1 : 0];
	p.dport = p.proto == WIRE_IPPROTO_ICMP ? 0 : (uint16_t)a->port;
	p.sport = (uint16_t)a->sport;
	query_path_walk(env, from, &p, res);
	return true;
}

static void
hops_text(const struct walk *w, char *buf, size_t len)
{
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < w->n && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s",
		    i ? " " : "", node_name(w->hop[i].node));
}

static bool
eval_path(const struct query_env *env, const struct pa_args *a,
    char *msg, size_t len)
{
	struct query_path_res *res = xcalloc(1, sizeof(*res));
	char hops[512];
	size_t i, k = 0;
	bool ok, pass;

	if (!probe(env, a, res, msg, len)) {
		free(res);
		return false;
	}
	/* via: a subsequence of the way there */
	for (i = 0; i < res->there.n && k < a->n_via; i++)
		if (strcmp(node_name(res->there.hop[i].node), a->via[k]) == 0)
			k++;
	ok = res->there.delivered && (!a->back || res->back.delivered);
	pass = ok == a->delivered && k == a->n_via;
	if (sc_key_given(a->keys, PA_HOPS)) {
		pass = pass && res->there.n == a->n_hops;
		for (i = 0; pass && i < a->n_hops; i++)
			pass = strcmp(node_name(res->there.hop[i].node),
			    a->hops[i]) == 0;
	}
	hops_text(&res->there, hops, sizeof(hops));
	snprintf(msg, len, "path %s -> %s: %s [%s]%s%s", a->from, a->to,
	    res->there.end, hops, res->to != NULL && a->back ? "; back: " :
	    "", res->to != NULL && a->back ? res->back.end : "");
	free(res);
	return pass;
}

/* Did acl decide with rule (NULL: any) and verdict in this hop's view? */
static bool
hit_in(const struct verdict *v, const struct pa_args *a, char *seen,
    size_t len)
{
	size_t i;

	if (v->b == NULL || v->tracked)
		return false;
	for (i = 0; i < v->d.n_hits; i++) {
		const struct acl_hit *h = &v->d.hit[i];
		const char *rule = h->rule != NULL ? h->rule->name : "no rule";
		bool allow = h->allow;

		if (strcmp(acl_name(h->acl), a->acl) != 0)
			continue;
		snprintf(seen, len, "%s by %s", allow ? "allow" : "deny", rule);
		if ((a->rule == NULL || strcmp(a->rule, rule) == 0) &&
		    allow == (a->verdict == 1))
			return true;
	}
	return false;
}

static bool
eval_rv(const struct query_env *env, const struct pa_args *a,
    char *msg, size_t len)
{
	struct query_path_res *res = xcalloc(1, sizeof(*res));
	char seen[160] = "not on the way";
	bool pass = false;
	size_t i, w;

	if (!probe(env, a, res, msg, len)) {
		free(res);
		return false;
	}
	for (w = 0; w < (a->back ? 2u : 1u) && !pass; w++) {
		const struct walk *wk = w ? &res->back : &res->there;

		for (i = 0; i < wk->n && !pass; i++)
			pass = hit_in(&wk->hop[i].in, a, seen, sizeof(seen)) ||
			    hit_in(&wk->hop[i].out, a, seen, sizeof(seen));
	}
	snprintf(msg, len, "acl %s on path %s -> %s: %s", a->acl, a->from,
	    a->to, seen);
	free(res);
	return pass;
}

/* --- sampling at `at`, judging ----------------------------------------- */

struct qa_result {
	bool done, pass;
	char msg[600];
};

struct qa_sample {
	struct qa_state *st;
	size_t i;		/* index in sc->asserts */
};

struct qa_state {
	const struct scenario *sc;
	struct net *net;
	void *const *states;	/* the run's, as sc->sections */
	struct qa_result *res;	/* one per sc->asserts */
	struct qa_sample *samples;
};

extern const struct sc_assertion query_assert_route, query_assert_path,
    query_assert_verdict;

static void *
judge_state(const void *ctx, const char *name)
{
	return sc_judge_state(ctx, name);
}

static bool
eval(const struct sc_assert *as, struct net *net, const struct scenario *sc,
    void *const *states, char *msg, size_t len)
{
	struct query_env env;
	struct sc_judge j = { .sc = sc, .net = net, .states = states };

	if (as->reg == &query_assert_route)
		return eval_er(net, sc, as->args, msg, len);
	/* the states now: sections built after this one's have theirs */
	query_env_init(&env, net, judge_state, &j);
	if (as->reg == &query_assert_path)
		return eval_path(&env, as->args, msg, len);
	return eval_rv(&env, as->args, msg, len);
}

static sim_time
at_of(const struct sc_assert *as, bool *given)
{
	if (as->reg == &query_assert_route) {
		const struct er_args *a = as->args;

		*given = sc_key_given(a->keys, ER_AT);
		return a->at;
	}
	*given = sc_key_given(((const struct pa_args *)as->args)->keys,
	    PA_AT);
	return ((const struct pa_args *)as->args)->at;
}

static void
sample(struct sim *sim, void *arg)
{
	struct qa_sample *s = arg;
	struct qa_result *r = &s->st->res[s->i];
	const struct sc_assert *as = &s->st->sc->asserts[s->i];
	char t[32];
	size_t off;

	off = (size_t)snprintf(r->msg, sizeof(r->msg), "at %s: ",
	    units_fmt_time(t, sizeof(t), sim_now(sim)));
	r->pass = eval(as, s->st->net, s->st->sc, s->st->states,
	    r->msg + off, sizeof(r->msg) - off);
	r->done = true;
}

static bool
ours(const struct sc_assert *as)
{
	return as->reg == &query_assert_route || as->reg == &query_assert_path ||
	    as->reg == &query_assert_verdict;
}

/* The aliases section's build: schedule the samples of assertions at a time. */
int
query_assert_build(struct sc_build *b)
{
	const struct scenario *sc = b->sc;
	struct qa_state *st;
	size_t i, n = 0;

	for (i = 0; i < sc->n_asserts; i++)
		n += ours(&sc->asserts[i]);
	if (n == 0)
		return 0;
	st = xcalloc(1, sizeof(*st));
	st->sc = sc;
	st->net = b->net;
	st->states = b->states;
	st->res = xcalloc(sc->n_asserts, sizeof(*st->res));
	st->samples = xcalloc(sc->n_asserts, sizeof(*st->samples));
	for (i = 0; i < sc->n_asserts; i++) {
		bool given;
		sim_time at;

		if (!ours(&sc->asserts[i]))
			continue;
		at = at_of(&sc->asserts[i], &given);
		if (!given)
			continue;
		st->samples[i].st = st;
		st->samples[i].i = i;
		sim_schedule_at(b->sim, at, sample, &st->samples[i]);
	}
	return sc_build_set_state(b, st);
}

void
query_assert_state_free(void *state)
{
	struct qa_state *st = state;

	free(st->res);
	free(st->samples);
	free(st);
}

static bool
judge(const struct sc_judge *j, const struct sc_assert *as, const void *args,
    char *msg, size_t len)
{
	struct qa_state *st = sc_judge_state(j, "aliases");
	size_t i = (size_t)(as - j->sc->asserts);
	bool given;

	(void)args;
	at_of(as, &given);
	if (given) {
		if (st == NULL || !st->res[i].done) {
			snprintf(msg, len, "not sampled: the run ended before "
			    "its time");
			return false;
		}
		snprintf(msg, len, "%s", st->res[i].msg);
		return st->res[i].pass;
	}
	return eval(as, j->net, j->sc, j->states, msg, len);
}

const struct sc_assertion query_assert_route = {
	.name = "effective-route",
	.doc = "a table's Active route for a prefix (or an address): its "
	    "source, next hop, attributes, or none (absent), at a time",
	.table = &er_table, .check = check_er, .judge = judge,
};

const struct sc_assertion query_assert_path = {
	.name = "path",
	.doc = "a packet from a node reaches its destination (and its reply "
	    "comes back), through these nodes, or does not, at a time",
	.table = &pa_table, .check = check_pa, .judge = judge,
};

const struct sc_assertion query_assert_verdict = {
	.name = "rule-verdict",
	.doc = "an acl (NSG, security list) decides a packet on its way with "
	    "this rule and verdict, at a time",
	.table = &rv_table, .check = check_rv, .judge = judge,
};

int
query_asserts_register(void)
{
	if (scenario_register_assertion(&query_assert_route) < 0 ||
	    scenario_register_assertion(&query_assert_path) < 0 ||
	    scenario_register_assertion(&query_assert_verdict) < 0)
		return -1;
	return 0;
}
