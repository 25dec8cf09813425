/*
 * bgp_scenario_assert.c - the BGP assertion kinds of scenario files
 * (bgp_scenario.h): bgp-established, route, failover and converged.
 *
 * They judge what the bgp section's run kept: a probe of the session's
 * state taken at the assertion's time (bgp-established), and the log of
 * every Loc-RIB change of every speaker with its time (the rest): the best
 * route of a prefix at time T is that of its last change at or before T.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bgp_scenario_int.h"
#include "sim.h"
#include "wire.h"

/* The speaker item of node name (default VRF first); NULL with an error. */
static const struct bgp_sc *
speaker_of(struct sc_check *ck, const char *node, struct sc_loc loc,
    size_t *node_idx)
{
	const struct bgp_sc *v, *found = NULL;
	size_t n, i;

	if (!sc_names_lookup(ck, "node", node, loc, node_idx))
		return NULL;
	v = scenario_section(sc_check_scenario(ck), "bgp", &n);
	for (i = 0; i < n; i++)
		if (v[i].on_node && v[i].node_idx == *node_idx &&
		    (found == NULL || v[i].vrf == NULL))
			found = &v[i];
	if (found == NULL)
		sc_check_error(ck, loc, "node '%s' runs no bgp speaker (give it "
		    "one in the bgp section)", node);
	return found;
}

static struct bgp_sc_speaker *
judge_speaker(const struct sc_judge *j, size_t node_idx)
{
	struct bgp_sc_run *r = sc_judge_state(j, "bgp");
	struct bgp_sc_speaker *s = bgp_sc_run_speaker(r, node_idx);

	SIM_ASSERT(s != NULL, "bgp speaker of node %zu not built", node_idx);
	return s;
}

static char *
pfx_str(char *buf, size_t len, uint32_t p, uint8_t plen)
{
	char a[16];

	snprintf(buf, len, "%s/%u", wire_ip_str(p, a), plen);
	return buf;
}

/* --- bgp-established ------------------------------------------------- */

enum { BE_NODE, BE_PEER, BE_BY, BE_F_MAX };

struct bgp_est_args {
	char *node;
	uint32_t peer;
	sim_time by;
	size_t node_idx;
	struct sc_loc loc;
	struct sc_loc vloc[BE_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(BE_F_MAX)];
};

static const struct sc_field est_fields[] = {
	[BE_NODE] = { "node", SC_FT_NAME, SC_AT(struct bgp_est_args, node),
		.required = true, .doc = "the node whose session it is" },
	[BE_PEER] = { "peer", SC_FT_ADDR, SC_AT(struct bgp_est_args, peer),
		.required = true, .doc = "the neighbour's address, as in its "
		    "bgp section" },
	[BE_BY] = { "by", SC_FT_TIME, SC_AT(struct bgp_est_args, by),
		.def_doc = "the end of the run",
		.doc = "the session is Established at this time" },
};

static const struct sc_table est_table = {
	"bgp-established", "The keys of a bgp-established assertion besides "
	"kind.", est_fields, SC_NFIELDS(est_fields),
	sizeof(struct bgp_est_args), offsetof(struct bgp_est_args, loc),
	offsetof(struct bgp_est_args, vloc),
	offsetof(struct bgp_est_args, keys), -1
};

static void
check_est(struct sc_check *ck, struct sc_assert *as, void *args)
{
	struct bgp_est_args *a = args;
	const struct bgp_sc *s;
	char ip[16];
	size_t k;

	(void)as;
	if (!sc_key_ok(a->keys, BE_NODE) || (s = speaker_of(ck, a->node,
	    a->vloc[BE_NODE], &a->node_idx)) == NULL ||
	    !sc_key_ok(a->keys, BE_PEER))
		return;
	for (k = 0; k < s->n_nbrs; k++)
		if (s->nbrs[k].addr == a->peer)
			return;
	sc_check_error(ck, a->vloc[BE_PEER], "node '%s' has no bgp neighbor "
	    "%s", a->node, wire_ip_str(a->peer, ip));
}

bool
bgp_sc_established_probe(const void *args, size_t *node, uint32_t *peer,
    sim_time *at)
{
	const struct bgp_est_args *a = args;

	*node = a->node_idx;
	*peer = a->peer;
	*at = a->by;
	return sc_key_given(a->keys, BE_BY);
}

static bool
judge_est(const struct sc_judge *j, const struct sc_assert *as,
    const void *args, char *msg, size_t len)
{
	const struct bgp_est_args *a = args;
	struct bgp_sc_speaker *s = judge_speaker(j, a->node_idx);
	enum bgp_fsm_state st = bgp_speaker_peer_state(s->sp, a->peer);
	struct bgp_peer_stats ps;
	char t1[32], t2[32], ip[16];
	bool timed = sc_key_given(a->keys, BE_BY);

	(void)as;
	bgp_speaker_peer_stats(s->sp, a->peer, &ps);
	if (timed && !bgp_sc_probe_state(sc_judge_state(j, "bgp"), args,
	    &st)) {
		snprintf(msg, len, "bgp session %s -> %s Established by %s: "
		    "the run ended at %s", a->node, wire_ip_str(a->peer, ip),
		    units_fmt_time(t1, sizeof(t1), a->by),
		    units_fmt_time(t2, sizeof(t2), sim_now(j->sim)));
		return false;
	}
	snprintf(msg, len, "bgp session %s -> %s Established by %s: %s%s%s",
	    a->node, wire_ip_str(a->peer, ip), units_fmt_time(t1, sizeof(t1),
	    timed ? a->by : sim_now(j->sim)), bgp_fsm_state_name[st],
	    ps.first_established >= 0 ? ", first Established at " : "",
	    ps.first_established >= 0 ? units_fmt_time(t2, sizeof(t2),
	    ps.first_established) : "");
	return st == BGP_ST_ESTABLISHED;
}

const struct sc_assertion bgp_sc_assert_established = {
	.name = "bgp-established",
	.doc = "the BGP session of node with peer is Established at a time "
	    "(by) or at the end",
	.table = &est_table, .check = check_est, .judge = judge_est,
};

/* --- route ----------------------------------------------------------- */

enum { RT_NODE_, RT_PREFIX_, RT_VIA_, RT_AS_PATH_, RT_AT_, RT_ABSENT_,
	RTA_F_MAX };

struct bgp_route_args {
	char *node;
	uint32_t prefix;
	uint8_t plen;
	uint32_t via;
	char *as_path;
	sim_time at;
	bool absent;
	size_t node_idx;
	struct sc_loc loc;
	struct sc_loc vloc[RTA_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(RTA_F_MAX)];
};

static const struct sc_field route_fields[] = {
	[RT_NODE_] = { "node", SC_FT_NAME, SC_AT(struct bgp_route_args, node),
		.required = true, .doc = "the node running BGP" },
	[RT_PREFIX_] = { "prefix", SC_FT_PREFIX,
		SC_AT(struct bgp_route_args, prefix),
		SC_AT2(struct bgp_route_args, plen), .required = true,
		.doc = "the prefix, a.b.c.d/len (exact)" },
	[RT_VIA_] = { "via", SC_FT_ADDR, SC_AT(struct bgp_route_args, via),
		.def_doc = "any", .doc = "the best route's next hop" },
	[RT_AS_PATH_] = { "as_path", SC_FT_STRING,
		SC_AT(struct bgp_route_args, as_path), .def_doc = "any",
		.doc = "the best route's AS path as show commands write it "
		    "(\"31898\", \"12076 {64512 64513}\"; \"\" local)" },
	[RT_AT_] = { "at", SC_FT_TIME, SC_AT(struct bgp_route_args, at),
		.def_doc = "the end of the run", .doc = "when" },
	[RT_ABSENT_] = { "absent", SC_FT_BOOL,
		SC_AT(struct bgp_route_args, absent), .def = "false",
		.doc = "the Loc-RIB has no route for the prefix instead" },
};

static const struct sc_table route_table = {
	"route-assertion", "The keys of a route assertion besides kind.",
	route_fields, SC_NFIELDS(route_fields), sizeof(struct bgp_route_args),
	offsetof(struct bgp_route_args, loc),
	offsetof(struct bgp_route_args, vloc),
	offsetof(struct bgp_route_args, keys), -1
};

static void
check_route(struct sc_check *ck, struct sc_assert *as, void *args)
{
	struct bgp_route_args *a = args;

	(void)as;
	if (sc_key_ok(a->keys, RT_NODE_))
		speaker_of(ck, a->node, a->vloc[RT_NODE_], &a->node_idx);
	if (a->absent && (sc_key_given(a->keys, RT_VIA_) ||
	    sc_key_given(a->keys, RT_AS_PATH_)))
		sc_check_error(ck, a->vloc[RT_ABSENT_], "absent: true with via "
		    "or as_path (an absent route has neither)");
}

static bool
judge_route(const struct sc_judge *j, const struct sc_assert *as,
    const void *args, char *msg, size_t len)
{
	const struct bgp_route_args *a = args;
	struct bgp_sc_speaker *s = judge_speaker(j, a->node_idx);
	sim_time t = sc_key_given(a->keys, RT_AT_) ? a->at : sim_now(j->sim);
	const struct bgp_sc_change *b = bgp_sc_best_at(s, a->prefix, a->plen,
	    t);
	char p[24], t1[32], t2[32], ip[16], ip2[16];
	size_t off;
	bool pass;

	(void)as;
	off = (size_t)snprintf(msg, len, "route %s at %s at %s",
	    pfx_str(p, sizeof(p), a->prefix, a->plen), a->node,
	    units_fmt_time(t1, sizeof(t1), t));
	if (off >= len)
		off = len - 1;
	if (a->absent)
		off += (size_t)snprintf(msg + off, len - off, " absent");
	if (sc_key_given(a->keys, RT_VIA_) && off < len)
		off += (size_t)snprintf(msg + off, len - off, " via %s",
		    wire_ip_str(a->via, ip));
	if (sc_key_given(a->keys, RT_AS_PATH_) && off < len)
		off += (size_t)snprintf(msg + off, len - off, " path \"%s\"",
		    a->as_path);
	if (off >= len)
		off = len - 1;
	if (b == NULL) {
		snprintf(msg + off, len - off, ": none");
		return a->absent;
	}
	pass = !a->absent &&
	    (!sc_key_given(a->keys, RT_VIA_) || b->next_hop == a->via) &&
	    (!sc_key_given(a->keys, RT_AS_PATH_) ||
	    strcmp(b->path, a->as_path) == 0);
	snprintf(msg + off, len - off, ": best via %s path \"%s\" since %s",
	    wire_ip_str(b->next_hop, ip2), b->path,
	    units_fmt_time(t2, sizeof(t2), b->t));
	return pass;
}

const struct sc_assertion bgp_sc_assert_route = {
	.name = "route",
	.doc = "the node's Loc-RIB has a best route for the prefix (via a next "
	    "hop, with an AS path) at a time, or none (absent)",
	.table = &route_table, .check = check_route, .judge = judge_route,
};

/* --- failover -------------------------------------------------------- */

enum { FO_NODE, FO_PREFIX, FO_AT, FO_WITHIN, FO_VIA, FO_F_MAX };

struct bgp_fo_args {
	char *node;
	uint32_t prefix;
	uint8_t plen;
	sim_time at, within;
	uint32_t via;
	size_t node_idx;
	struct sc_loc loc;
	struct sc_loc vloc[FO_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(FO_F_MAX)];
};

static const struct sc_field fo_fields[] = {
	[FO_NODE] = { "node", SC_FT_NAME, SC_AT(struct bgp_fo_args, node),
		.required = true, .doc = "the node running BGP" },
	[FO_PREFIX] = { "prefix", SC_FT_PREFIX,
		SC_AT(struct bgp_fo_args, prefix),
		SC_AT2(struct bgp_fo_args, plen), .required = true,
		.doc = "the prefix, a.b.c.d/len (exact)" },
	[FO_AT] = { "at", SC_FT_TIME, SC_AT(struct bgp_fo_args, at),
		.required = true, .doc = "the time of the event (a link-down "
		    "of the timeline)" },
	[FO_WITHIN] = { "within", SC_FT_TIME, SC_AT(struct bgp_fo_args, within),
		.min = 1, .required = true,
		.doc = "the best route moves at most this long after at" },
	[FO_VIA] = { "via", SC_FT_ADDR, SC_AT(struct bgp_fo_args, via),
		.def_doc = "any other than before", .doc = "the next hop it "
		    "moves to (the secondary path)" },
};

static const struct sc_table fo_table = {
	"failover", "The keys of a failover assertion besides kind.",
	fo_fields, SC_NFIELDS(fo_fields), sizeof(struct bgp_fo_args),
	offsetof(struct bgp_fo_args, loc), offsetof(struct bgp_fo_args, vloc),
	offsetof(struct bgp_fo_args, keys), -1
};

static void
check_fo(struct sc_check *ck, struct sc_assert *as, void *args)
{
	struct bgp_fo_args *a = args;
	const struct scenario *sc = sc_check_scenario(ck);
	size_t i;
	char t1[32];

	(void)as;
	if (sc_key_ok(a->keys, FO_NODE))
		speaker_of(ck, a->node, a->vloc[FO_NODE], &a->node_idx);
	if (!sc_key_ok(a->keys, FO_AT))
		return;
	for (i = 0; i < sc->n_events; i++)
		if (sc->events[i].at == a->at)
			return;
	sc_check_error(ck, a->vloc[FO_AT], "no event of the timeline is at %s "
	    "(failover is measured from one)", units_fmt_time(t1, sizeof(t1),
	    a->at));
}

static bool
judge_fo(const struct sc_judge *j, const struct sc_assert *as,
    const void *args, char *msg, size_t len)
{
	const struct bgp_fo_args *a = args;
	struct bgp_sc_speaker *s = judge_speaker(j, a->node_idx);
	const struct bgp_sc_change *before = a->at > 0 ? bgp_sc_best_at(s,
	    a->prefix, a->plen, a->at - 1) : NULL;
	bool any = !sc_key_given(a->keys, FO_VIA);
	char p[24], t1[32], t2[32], t3[32], ip[16], ip2[16], to[32];
	size_t off, i;

	(void)as;
	snprintf(to, sizeof(to), "%s", any ? "another next hop" :
	    wire_ip_str(a->via, ip));
	off = (size_t)snprintf(msg, len, "route %s at %s moves to %s within "
	    "%s of %s", pfx_str(p, sizeof(p), a->prefix, a->plen), a->node,
	    to, units_fmt_time(t1, sizeof(t1), a->within),
	    units_fmt_time(t2, sizeof(t2), a->at));
	if (off >= len)
		off = len - 1;
	if (before == NULL) {
		snprintf(msg + off, len - off, ": no route before");
		return false;
	}
	if (!any && before->next_hop == a->via) {
		snprintf(msg + off, len - off, ": already via %s before",
		    wire_ip_str(a->via, ip2));
		return false;
	}
	for (i = 0; i < s->n; i++) {
		const struct bgp_sc_change *c = &s->log[i];

		if (c->t < a->at || c->prefix != a->prefix ||
		    c->len != a->plen || c->n_paths == 0 ||
		    c->next_hop == before->next_hop ||
		    (!any && c->next_hop != a->via))
			continue;
		snprintf(msg + off, len - off, ": via %s before, via %s at %s "
		    "(+%s)", wire_ip_str(before->next_hop, ip2),
		    wire_ip_str(c->next_hop, ip), units_fmt_time(t1, sizeof(t1),
		    c->t), units_fmt_time(t3, sizeof(t3), c->t - a->at));
		return c->t - a->at <= a->within;
	}
	snprintf(msg + off, len - off, ": via %s before, never via %s after",
	    wire_ip_str(before->next_hop, ip2), to);
	return false;
}

const struct sc_assertion bgp_sc_assert_failover = {
	.name = "failover",
	.doc = "after an event at a time, the node's best route for the prefix "
	    "moves to a next hop (or any other) within a bound",
	.table = &fo_table, .check = check_fo, .judge = judge_fo,
};

/* --- converged ------------------------------------------------------- */

enum { CV_NODE, CV_QUIET, CV_BY, CV_F_MAX };

struct bgp_cv_args {
	char *node;
	sim_time quiet, by;
	size_t node_idx;
	struct sc_loc loc;
	struct sc_loc vloc[CV_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(CV_F_MAX)];
};

static const struct sc_field cv_fields[] = {
	[CV_NODE] = { "node", SC_FT_NAME, SC_AT(struct bgp_cv_args, node),
		.def_doc = "every speaker", .doc = "the node running BGP" },
	[CV_QUIET] = { "quiet", SC_FT_TIME, SC_AT(struct bgp_cv_args, quiet),
		.min = 1, .required = true,
		.doc = "no Loc-RIB change in the last this long before by" },
	[CV_BY] = { "by", SC_FT_TIME, SC_AT(struct bgp_cv_args, by),
		.def_doc = "the end of the run", .doc = "the end of the quiet "
		    "window (inclusive)" },
};

static const struct sc_table cv_table = {
	"converged", "The keys of a converged assertion besides kind.",
	cv_fields, SC_NFIELDS(cv_fields), sizeof(struct bgp_cv_args),
	offsetof(struct bgp_cv_args, loc), offsetof(struct bgp_cv_args, vloc),
	offsetof(struct bgp_cv_args, keys), -1
};

static void
check_cv(struct sc_check *ck, struct sc_assert *as, void *args)
{
	struct bgp_cv_args *a = args;
	size_t n;

	(void)as;
	if (sc_key_ok(a->keys, CV_NODE))
		speaker_of(ck, a->node, a->vloc[CV_NODE], &a->node_idx);
	else if (!sc_key_given(a->keys, CV_NODE) &&
	    (scenario_section(sc_check_scenario(ck), "bgp", &n), n == 0))
		sc_check_error(ck, a->loc, "converged: no node runs bgp");
}

static bool
judge_cv(const struct sc_judge *j, const struct sc_assert *as,
    const void *args, char *msg, size_t len)
{
	const struct bgp_cv_args *a = args;
	struct bgp_sc_run *r = sc_judge_state(j, "bgp");
	sim_time by = sc_key_given(a->keys, CV_BY) ? a->by : sim_now(j->sim);
	sim_time from = by - a->quiet, last = -1;
	char t1[32], t2[32], t3[32];
	size_t i, k, off;

	(void)as;
	SIM_ASSERT(r != NULL, "bgp not built");
	for (i = 0; i < r->n; i++) {
		const struct bgp_sc_speaker *s = &r->sp[i];

		if (sc_key_given(a->keys, CV_NODE) &&
		    s != bgp_sc_run_speaker(r, a->node_idx))
			continue;
		for (k = 0; k < s->n && s->log[k].t <= by; k++)
			if (s->log[k].t > last)
				last = s->log[k].t;
	}
	off = (size_t)snprintf(msg, len, "no Loc-RIB change at %s in (%s, %s]",
	    sc_key_given(a->keys, CV_NODE) ? a->node : "any speaker",
	    units_fmt_time(t1, sizeof(t1), from < 0 ? 0 : from),
	    units_fmt_time(t2, sizeof(t2), by));
	if (off >= len)
		off = len - 1;
	if (last < 0)
		snprintf(msg + off, len - off, ": none ever");
	else
		snprintf(msg + off, len - off, ": last at %s",
		    units_fmt_time(t3, sizeof(t3), last));
	return last <= from;
}

const struct sc_assertion bgp_sc_assert_converged = {
	.name = "converged",
	.doc = "no Loc-RIB change at a node (or any speaker) in the last quiet "
	    "time before by",
	.table = &cv_table, .check = check_cv, .judge = judge_cv,
};
