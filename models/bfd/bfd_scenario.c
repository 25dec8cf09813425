/*
 * bfd_scenario.c - the `bfd` section of a scenario file and the bfd-up and
 * bfd-down assertion kinds (bfd_scenario.h).
 *
 * Loading resolves each end to an interface: node:iface as written, or,
 * for a bare node, the one link joining the two nodes (in vrf if given).
 * The build adds a session on each end (bfd.h) and records every state
 * change of each with its time, which is what the assertions judge: a
 * session's state at a given time is that of its last change at or before
 * it, Down before the first.
 */
#include <stdlib.h>
#include <string.h>

#include "bfd.h"
#include "bfd_scenario.h"
#include "net.h"
#include "scenario_section.h"
#include "sim.h"
#include "wire.h"

enum { BS_NAME, BS_A, BS_B, BS_TX, BS_RX, BS_MULT, BS_VRF, BS_F_MAX };

/* One session as written, and its ends resolved. */
struct bfd_sc {
	char *name;
	char *end[2];		/* node or node:iface, as written */
	sim_time tx, rx;
	uint8_t mult;
	char *vrf;		/* NULL = the interfaces' */
	bool ok;		/* resolved: both ends below are good */
	size_t node_idx[2], iface_idx[2];
	struct sc_loc loc;
	struct sc_loc vloc[BS_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(BS_F_MAX)];
};

/* RFC 5880 4.1 carries the intervals in 32-bit microseconds. */
#define BFD_SC_US_MAX ((uint64_t)UINT32_MAX * 1000u)

static const struct sc_field bfd_fields[] = {
	[BS_NAME] = { "name", SC_FT_NAME, SC_AT(struct bfd_sc, name),
		.required = true,
		.doc = "unique session name (assertions use it)" },
	[BS_A] = { "a", SC_FT_DST, SC_AT(struct bfd_sc, end[0]),
		.required = true,
		.doc = "one end: a node, or node:interface when the two nodes "
		    "share more than one link" },
	[BS_B] = { "b", SC_FT_DST, SC_AT(struct bfd_sc, end[1]),
		.required = true,
		.doc = "the other end, directly linked to a (single hop, RFC "
		    "5881)" },
	[BS_TX] = { "tx", SC_FT_TIME, SC_AT(struct bfd_sc, tx),
		.min = 1000, .max = BFD_SC_US_MAX, .def = "300ms",
		.doc = "desired min TX interval of both ends, whole "
		    "microseconds (MSEE: 300ms); the slower side decides" },
	[BS_RX] = { "rx", SC_FT_TIME, SC_AT(struct bfd_sc, rx),
		.max = BFD_SC_US_MAX, .def = "300ms",
		.doc = "required min RX interval of both ends, whole "
		    "microseconds (MSEE: 300ms; 0s: send me nothing)" },
	[BS_MULT] = { "multiplier", SC_FT_UINT, SC_AT(struct bfd_sc, mult),
		.min = 1, .max = 255, .def = "3",
		.doc = "detect multiplier: missed packets before Down (MSEE: "
		    "3, so 900ms to detect)" },
	[BS_VRF] = { "vrf", SC_FT_NAME, SC_AT(struct bfd_sc, vrf),
		.def_doc = "the interfaces' VRF",
		.doc = "VRF of the session: the interfaces must be in it" },
};

static const struct sc_table bfd_table = {
	"bfd-session", "A BFD session (RFC 5880 asynchronous mode, RFC 5881 "
	"single hop) between two directly linked nodes: one session on each "
	"end, started at 0s; defaults are the MSEE's 300ms x 3 (docs/bfd.md).",
	bfd_fields, SC_NFIELDS(bfd_fields), sizeof(struct bfd_sc),
	offsetof(struct bfd_sc, loc), offsetof(struct bfd_sc, vloc),
	offsetof(struct bfd_sc, keys), -1
};

/* --- checks ---------------------------------------------------------- */

static bool
same_vrf(const char *a, const char *b)
{
	return (a == NULL && b == NULL) ||
	    (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* End side of s as written: its node, and its interface if named. */
static bool
resolve_node(struct sc_check *ck, struct bfd_sc *s, int side,
    const struct sc_iface **ifc)
{
	const struct scenario *sc = sc_check_scenario(ck);
	struct sc_loc loc = s->vloc[BS_A + side];
	const char *text = s->end[side], *colon;
	char node[SC_NAME_MAX + 1];
	size_t len;

	*ifc = NULL;
	if (text == NULL)
		return false;
	if (strspn(text, "0123456789.") == strlen(text)) {
		sc_check_error(ck, loc, "'%s' must be a node or "
		    "node:interface, not an address", bfd_fields[BS_A +
		    side].name);
		return false;
	}
	colon = strchr(text, ':');
	len = colon != NULL ? (size_t)(colon - text) : strlen(text);
	if (len > SC_NAME_MAX)
		len = SC_NAME_MAX;
	memcpy(node, text, len);
	node[len] = '\0';
	if (!sc_names_lookup(ck, "node", node, loc, &s->node_idx[side]))
		return false;
	if (colon == NULL)
		return true;
	*ifc = sc_check_iface(ck, s->node_idx[side], colon + 1, loc);
	if (*ifc == NULL)
		return false;
	s->iface_idx[side] = (size_t)(*ifc - sc->nodes[s->node_idx[side]]
	    .ifaces);
	return true;
}

/* Does link l join the ends as far as they are given? s's a is its *as. */
static bool
link_fits(const struct sc_link *l, const struct bfd_sc *s,
    const struct sc_iface *const ifc[2], int *as)
{
	int o, k;

	for (o = 0; o < 2; o++) {
		bool fit = true;

		for (k = 0; k < 2; k++) {
			size_t e = (size_t)(o ^ k);

			if (l->node_idx[e] != s->node_idx[k] ||
			    (ifc[k] != NULL && l->iface_idx[e] !=
			    s->iface_idx[k]))
				fit = false;
		}
		if (fit) {
			*as = o;
			return true;
		}
	}
	return false;
}

/* Did link i's ends resolve (else its indices mean nothing)? */
static bool
link_resolved(const struct scenario *sc, size_t i)
{
	const struct sc_link *l = &sc->links[i];
	int e;

	for (e = 0; e < 2; e++)
		if (l->node[e] == NULL || l->node_idx[e] >= sc->n_nodes ||
		    l->iface_idx[e] >= sc->nodes[l->node_idx[e]].n_ifaces ||
		    sc->nodes[l->node_idx[e]].ifaces[l->iface_idx[e]].link !=
		    i + 1)
			return false;
	return true;
}

static void
resolve_link(struct sc_check *ck, struct bfd_sc *s,
    const struct sc_iface *ifc[2])
{
	const struct scenario *sc = sc_check_scenario(ck);
	const struct sc_node *na = &sc->nodes[s->node_idx[0]];
	const struct sc_node *nb = &sc->nodes[s->node_idx[1]];
	size_t i, found = 0, k;
	int o;

	for (i = 0; i < sc->n_links; i++) {
		const struct sc_link *l = &sc->links[i];

		if (!link_resolved(sc, i) || !link_fits(l, s, ifc, &o))
			continue;
		if (s->vrf != NULL && !same_vrf(sc->nodes[l->node_idx[o]]
		    .ifaces[l->iface_idx[o]].vrf, s->vrf))
			continue;
		if (found++ == 0) {
			s->iface_idx[0] = l->iface_idx[o];
			s->iface_idx[1] = l->iface_idx[o ^ 1];
		}
	}
	if (found == 0) {
		sc_check_error(ck, s->vloc[BS_B], "no link joins %s and %s%s%s "
		    "(BFD here is single hop, RFC 5881)", s->end[0], s->end[1],
		    s->vrf ? " in vrf " : "", s->vrf ? s->vrf : "");
		return;
	}
	if (found > 1) {
		sc_check_error(ck, s->vloc[BS_A], "%s and %s share %zu links: "
		    "name the interfaces (node:interface)", na->name, nb->name,
		    found);
		return;
	}
	for (k = 0; k < 2; k++) {
		const struct sc_node *n = k ? nb : na;
		const struct sc_iface *f = &n->ifaces[s->iface_idx[k]];

		if (f->plen == 0) {
			sc_check_error(ck, s->vloc[BS_A + k], "interface %s:%s "
			    "has no address (BFD runs over IPv4)", n->name,
			    f->name);
			return;
		}
		if (s->vrf != NULL && !same_vrf(f->vrf, s->vrf)) {
			sc_check_error(ck, s->vloc[BS_VRF], "interface %s:%s "
			    "is not in vrf %s", n->name, f->name, s->vrf);
			return;
		}
	}
	s->ok = true;
}

static void
check_sessions(struct sc_check *ck, struct sc_section_data *d)
{
	const struct scenario *sc = sc_check_scenario(ck);
	struct bfd_sc *v = d->items;
	size_t i, j;
	int k;

	for (i = 0; i < d->n; i++) {
		struct bfd_sc *s = &v[i];
		const struct sc_iface *ifc[2];
		bool ok = true;

		sc_names_add(ck, "bfd session", s->name, i, s->vloc[BS_NAME]);
		for (k = 0; k < 2; k++)
			if (sc_key_ok(s->keys, (size_t)(BS_TX + k)) &&
			    (k ? s->rx : s->tx) % 1000 != 0)
				sc_check_error(ck, s->vloc[BS_TX + k], "'%s' "
				    "must be whole microseconds (the packet "
				    "carries microseconds)", k ? "rx" : "tx");
		for (k = 0; k < 2; k++)
			if (!resolve_node(ck, s, k, &ifc[k]))
				ok = false;
		if (!ok)
			continue;
		if (s->node_idx[0] == s->node_idx[1]) {
			sc_check_error(ck, s->vloc[BS_B], "a and b are the same "
			    "node '%s'", sc->nodes[s->node_idx[0]].name);
			continue;
		}
		resolve_link(ck, s, ifc);
		for (j = 0; s->ok && j < i; j++) {
			const struct bfd_sc *o = &v[j];

			if (!o->ok)
				continue;
			for (k = 0; k < 2; k++)
				if (o->node_idx[0] == s->node_idx[k] &&
				    o->iface_idx[0] == s->iface_idx[k] &&
				    o->node_idx[1] == s->node_idx[k ^ 1] &&
				    o->iface_idx[1] == s->iface_idx[k ^ 1])
					break;
			if (k == 2)
				continue;
			sc_check_error(ck, s->loc, "bfd session '%s' joins the "
			    "same interfaces as '%s' (at %u:%u): a node has one "
			    "session per peer", s->name, o->name, o->loc.line,
			    o->loc.col);
			s->ok = false;
		}
	}
}

/* --- the run --------------------------------------------------------- */

struct bfd_change {
	sim_time t;
	uint8_t old, state, diag;
};

struct bfd_sc_end {
	struct bfd_sc_run *run;
	struct bfd_session *s;
	const char *node;
	uint32_t peer;
	struct bfd_change *log;
	size_t n, cap;
	uint64_t detections;	/* Up -> Down on the detection time */
};

struct bfd_sc_run {
	struct sim *sim;
	struct bfd *bfd;
	const struct bfd_sc *items;
	size_t n;
	struct bfd_sc_end (*ends)[2];
};

static void
on_change(struct bfd_session *s, enum bfd_state old, enum bfd_state state,
    enum bfd_diag diag, void *ctx)
{
	struct bfd_sc_end *e = ctx;

	(void)s;
	if (e->n == e->cap) {
		e->cap = e->cap ? 2 * e->cap : 8;
		e->log = xrealloc(e->log, e->cap * sizeof(*e->log));
	}
	e->log[e->n++] = (struct bfd_change){ sim_now(e->run->sim),
	    (uint8_t)old, (uint8_t)state, (uint8_t)diag };
	if (old == BFD_UP && diag == BFD_DIAG_TIME_EXPIRED)
		e->detections++;
}

static void
run_free(void *state)
{
	struct bfd_sc_run *r = state;
	size_t i;

	bfd_free(r->bfd);
	for (i = 0; i < r->n; i++) {
		free(r->ends[i][0].log);
		free(r->ends[i][1].log);
	}
	free(r->ends);
	free(r);
}

static int
build_sessions(struct sc_build *b, const void *items, size_t n)
{
	const struct bfd_sc *v = items;
	struct bfd_sc_run *r;
	size_t i;
	int k;

	if (n == 0)
		return 0;
	r = xcalloc(1, sizeof(*r));
	r->sim = b->sim;
	r->bfd = bfd_new(b->net);
	r->items = v;
	r->n = n;
	r->ends = xcalloc(n, sizeof(*r->ends));
	if (sc_build_set_state(b, r) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		const struct bfd_sc *s = &v[i];
		const struct bfd_cfg cfg = { s->tx, s->rx, s->mult };

		for (k = 0; k < 2; k++) {
			struct bfd_sc_end *e = &r->ends[i][k];
			struct node *me = sc_build_node(b, s->node_idx[k]);
			struct node *peer = sc_build_node(b, s->node_idx[k ^ 1]);
			const struct sc_iface *f = &b->sc->nodes[s->node_idx[k]]
			    .ifaces[s->iface_idx[k]];

			e->run = r;
			e->node = node_name(me);
			e->peer = node_iface_addr(peer,
			    (uint32_t)s->iface_idx[k ^ 1]);
			e->s = bfd_session_add(r->bfd, me, node_vrf(me, f->vrf),
			    node_iface_addr(me, (uint32_t)s->iface_idx[k]),
			    e->peer, &cfg, on_change, e, b->err, b->errlen);
			if (e->s == NULL)
				return -1;
		}
	}
	return 0;
}

const char *
bfd_scenario_session_to(const struct scenario *sc, size_t node_idx,
    uint32_t peer)
{
	const struct bfd_sc *v;
	size_t n, i;
	int k;

	v = scenario_section(sc, "bfd", &n);
	for (i = 0; i < n; i++)
		for (k = 0; v[i].ok && k < 2; k++) {
			const struct sc_node *o = &sc->nodes[v[i].node_idx[k ^ 1]];

			if (v[i].node_idx[k] == node_idx &&
			    o->ifaces[v[i].iface_idx[k ^ 1]].addr == peer)
				return v[i].name;
		}
	return NULL;
}

struct bfd *
bfd_scenario_bfd(void *state)
{
	return ((struct bfd_sc_run *)state)->bfd;
}

static sim_time
time_up(const struct bfd_sc_end *e, sim_time now)
{
	sim_time up = 0, since = 0;
	size_t i;

	for (i = 0; i < e->n; i++) {
		if (e->log[i].state == BFD_UP)
			since = e->log[i].t;
		else if (e->log[i].old == BFD_UP)
			up += e->log[i].t - since;
	}
	if (e->n > 0 && e->log[e->n - 1].state == BFD_UP)
		up += now - since;
	return up;
}

static void
write_metrics(const void *state, FILE *f)
{
	const struct bfd_sc_run *r = state;
	sim_time now = sim_now(r->sim);
	size_t i, j;
	int k;

	fputs("\"bfd\": [", f);
	for (i = 0; i < r->n; i++)
		for (k = 0; k < 2; k++) {
			const struct bfd_sc_end *e = &r->ends[i][k];
			const struct bfd_stats *st = bfd_session_stats(e->s);
			char peer[16];

			fprintf(f, "%s\n    {\"session\":", i || k ? "," : "");
			scenario_json_str(f, r->items[i].name);
			fputs(",\"node\":", f);
			scenario_json_str(f, e->node);
			fprintf(f, ",\"peer\":\"%s\",\"state\":\"%s\","
			    "\"tx_packets\":%llu,\"rx_packets\":%llu,"
			    "\"ups\":%llu,\"downs\":%llu,\"detections\":%llu,"
			    "\"time_up_ns\":%lld,\"changes\":[",
			    wire_ip_str(e->peer, peer),
			    bfd_state_name[bfd_session_state(e->s)],
			    (unsigned long long)st->tx,
			    (unsigned long long)st->rx,
			    (unsigned long long)st->ups,
			    (unsigned long long)st->downs,
			    (unsigned long long)e->detections,
			    (long long)time_up(e, now));
			for (j = 0; j < e->n; j++)
				fprintf(f, "%s{\"t_ns\":%lld,\"state\":\"%s\","
				    "\"diag\":%u}", j ? "," : "",
				    (long long)e->log[j].t,
				    bfd_state_name[e->log[j].state],
				    e->log[j].diag);
			fputs("]}", f);
		}
	fputs("\n  ]", f);
}

const struct sc_section bfd_sc_section = {
	.name = "bfd",
	.doc = "BFD sessions between directly linked nodes",
	.table = &bfd_table, .list = true, .check = check_sessions,
	.phase = SC_PHASE_NET, .build = build_sessions,
	.state_free = run_free, .metrics_json = write_metrics,
};


/* --- assertions ------------------------------------------------------ */

/* The state of end e at time t: that of its last change at or before t. */
static enum bfd_state
state_at(const struct bfd_sc_end *e, sim_time t, size_t *last)
{
	enum bfd_state st = BFD_DOWN;
	size_t i;

	*last = e->n;
	for (i = 0; i < e->n && e->log[i].t <= t; i++) {
		st = e->log[i].state;
		*last = i;
	}
	return st;
}

/* The session's run ends, for a judge (the check resolved the name). */
static struct bfd_sc_end *
judge_ends(const struct sc_judge *j, size_t idx)
{
	struct bfd_sc_run *r = sc_judge_state(j, "bfd");

	SIM_ASSERT(r != NULL && idx < r->n, "bfd session %zu not built", idx);
	return r->ends[idx];
}

enum { BU_SESSION, BU_BY, BU_AFTER, BU_BEFORE, BU_F_MAX };

struct bfd_up_args {
	char *session;
	sim_time by, after, before;
	size_t idx;
	struct sc_loc loc;
	struct sc_loc vloc[BU_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(BU_F_MAX)];
};

static const struct sc_field up_fields[] = {
	[BU_SESSION] = { "session", SC_FT_NAME,
		SC_AT(struct bfd_up_args, session), .required = true,
		.doc = "the bfd session (its name in the bfd section)" },
	[BU_BY] = { "by", SC_FT_TIME, SC_AT(struct bfd_up_args, by),
		.def_doc = "the end of the run",
		.doc = "both ends are Up at this time" },
	[BU_AFTER] = { "after", SC_FT_TIME, SC_AT(struct bfd_up_args, after),
		.def_doc = "0s (with before)",
		.doc = "instead of by: both ends Up throughout [after, before)" },
	[BU_BEFORE] = { "before", SC_FT_TIME,
		SC_AT(struct bfd_up_args, before),
		.def_doc = "the end of the run (with after)",
		.doc = "the end of the window (exclusive)" },
};

static const struct sc_table up_table = {
	"bfd-up", "The keys of a bfd-up assertion besides kind.",
	up_fields, SC_NFIELDS(up_fields), sizeof(struct bfd_up_args),
	offsetof(struct bfd_up_args, loc), offsetof(struct bfd_up_args, vloc),
	offsetof(struct bfd_up_args, keys), -1
};

static bool
windowed(const struct bfd_up_args *a)
{
	return sc_key_given(a->keys, BU_AFTER) ||
	    sc_key_given(a->keys, BU_BEFORE);
}

static void
check_up(struct sc_check *ck, struct sc_assert *as, void *args)
{
	struct bfd_up_args *a = args;
	char t1[32], t2[32];

	(void)as;
	sc_names_lookup(ck, "bfd session", a->session, a->vloc[BU_SESSION],
	    &a->idx);
	if (sc_key_given(a->keys, BU_BY) && windowed(a))
		sc_check_error(ck, a->vloc[BU_BY], "give either by or a window "
		    "(after, before), not both");
	if (sc_key_ok(a->keys, BU_AFTER) && sc_key_ok(a->keys, BU_BEFORE) &&
	    a->after >= a->before)
		sc_check_error(ck, a->vloc[BU_BEFORE], "the window is empty: "
		    "after (%s) must be earlier than before (%s)",
		    units_fmt_time(t1, sizeof(t1), a->after),
		    units_fmt_time(t2, sizeof(t2), a->before));
}

static bool
judge_up(const struct sc_judge *j, const struct sc_assert *as,
    const void *args, char *msg, size_t len)
{
	const struct bfd_up_args *a = args;
	const struct bfd_sc_end *ends = judge_ends(j, a->idx);
	sim_time now = sim_now(j->sim), from, to;
	char t1[32], t2[32], t3[32];
	size_t off, i, last;
	bool pass = true;
	int k;

	(void)as;
	from = windowed(a) ? a->after : sc_key_given(a->keys, BU_BY) ?
	    a->by : now;
	to = windowed(a) && sc_key_given(a->keys, BU_BEFORE) ? a->before :
	    now;
	if (windowed(a))
		off = (size_t)snprintf(msg, len, "bfd session '%s' Up on both "
		    "ends in [%s, %s):", a->session,
		    units_fmt_time(t1, sizeof(t1), from),
		    units_fmt_time(t2, sizeof(t2), to));
	else
		off = (size_t)snprintf(msg, len, "bfd session '%s' Up on both "
		    "ends by %s:", a->session,
		    units_fmt_time(t1, sizeof(t1), from));
	for (k = 0; k < 2; k++) {
		const struct bfd_sc_end *e = &ends[k];
		enum bfd_state st = state_at(e, from, &last);

		if (off >= len)
			off = len - 1;
		if (st != BFD_UP) {
			pass = false;
			off += (size_t)snprintf(msg + off, len - off, " %s %s "
			    "at %s%s", e->node, bfd_state_name[st],
			    units_fmt_time(t1, sizeof(t1), from), k ? "" : ",");
			continue;
		}
		for (i = last + 1; windowed(a) && i < e->n &&
		    e->log[i].t < to; i++)
			if (e->log[i].state != BFD_UP)
				break;
		if (windowed(a) && i < e->n && e->log[i].t < to) {
			pass = false;
			off += (size_t)snprintf(msg + off, len - off, " %s %s "
			    "at %s%s", e->node,
			    bfd_state_name[e->log[i].state],
			    units_fmt_time(t1, sizeof(t1), e->log[i].t),
			    k ? "" : ",");
			continue;
		}
		off += (size_t)snprintf(msg + off, len - off, " %s Up since "
		    "%s%s", e->node, units_fmt_time(t3, sizeof(t3),
		    e->log[last].t), k ? "" : ",");
	}
	return pass;
}

enum { BD_SESSION, BD_AT, BD_WITHIN, BD_DIAG, BD_F_MAX };

struct bfd_down_args {
	char *session;
	sim_time at, within;
	int diag;		/* index + 1 in diag_names, 0 = any */
	size_t idx;
	struct sc_loc loc;
	struct sc_loc vloc[BD_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(BD_F_MAX)];
};

/* RFC 5880 4.1's diagnostic codes 0-8, in order, as a file writes them. */
static const char *const diag_names[] = { "none",
	"control-detection-time-expired", "echo-function-failed",
	"neighbor-signaled-down", "forwarding-plane-reset", "path-down",
	"concatenated-path-down", "administratively-down",
	"reverse-concatenated-path-down", NULL };
static const char *const diag_docs[] = { "0: no diagnostic",
	"1: this end's detection time expired (a cut path)",
	"2: echo function failed", "3: the neighbor signaled Down",
	"4: forwarding plane reset", "5: path down",
	"6: concatenated path down", "7: administratively down",
	"8: reverse concatenated path down", NULL };

static const struct sc_field down_fields[] = {
	[BD_SESSION] = { "session", SC_FT_NAME,
		SC_AT(struct bfd_down_args, session), .required = true,
		.doc = "the bfd session (its name in the bfd section)" },
	[BD_AT] = { "at", SC_FT_TIME, SC_AT(struct bfd_down_args, at),
		.required = true,
		.doc = "when the path broke (the time of the link event); both "
		    "ends must be Up then" },
	[BD_WITHIN] = { "within", SC_FT_TIME,
		SC_AT(struct bfd_down_args, within), .min = 1,
		.required = true,
		.doc = "each end leaves Up at most this long after at" },
	[BD_DIAG] = { "diag", SC_FT_ENUM, SC_AT(struct bfd_down_args, diag),
		.names = diag_names, .name_docs = diag_docs,
		.def_doc = "any",
		.doc = "the diagnostic each end gives for going down" },
};

static const struct sc_table down_table = {
	"bfd-down", "The keys of a bfd-down assertion besides kind.",
	down_fields, SC_NFIELDS(down_fields), sizeof(struct bfd_down_args),
	offsetof(struct bfd_down_args, loc),
	offsetof(struct bfd_down_args, vloc),
	offsetof(struct bfd_down_args, keys), -1
};

static void
check_down(struct sc_check *ck, struct sc_assert *as, void *args)
{
	struct bfd_down_args *a = args;

	(void)as;
	sc_names_lookup(ck, "bfd session", a->session, a->vloc[BD_SESSION],
	    &a->idx);
}

static bool
judge_down(const struct sc_judge *j, const struct sc_assert *as,
    const void *args, char *msg, size_t len)
{
	const struct bfd_down_args *a = args;
	const struct bfd_sc_end *ends = judge_ends(j, a->idx);
	char t1[32], t2[32];
	size_t off, last;
	bool pass = true;
	int k;

	(void)as;
	off = (size_t)snprintf(msg, len, "bfd session '%s' down within %s "
	    "of %s%s%s:", a->session, units_fmt_time(t1, sizeof(t1),
	    a->within), units_fmt_time(t2, sizeof(t2), a->at),
	    a->diag ? " with diag " : "", a->diag ? diag_names[a->diag - 1] :
	    "");
	for (k = 0; k < 2; k++) {
		const struct bfd_sc_end *e = &ends[k];
		enum bfd_state st = state_at(e, a->at, &last);
		const struct bfd_change *c;
		size_t next = last < e->n ? last + 1 : 0;

		if (off >= len)
			off = len - 1;
		if (st != BFD_UP) {
			pass = false;
			off += (size_t)snprintf(msg + off, len - off, " %s was "
			    "%s at %s%s", e->node, bfd_state_name[st],
			    units_fmt_time(t2, sizeof(t2), a->at),
			    k ? "" : ",");
			continue;
		}
		if (next >= e->n) {
			pass = false;
			off += (size_t)snprintf(msg + off, len - off, " %s "
			    "stayed Up%s", e->node, k ? "" : ",");
			continue;
		}
		c = &e->log[next];
		if (c->t - a->at > a->within ||
		    (a->diag != 0 && c->diag != a->diag - 1))
			pass = false;
		off += (size_t)snprintf(msg + off, len - off, " %s %s at %s "
		    "(+%s, diag %s)%s", e->node, bfd_state_name[c->state],
		    units_fmt_time(t1, sizeof(t1), c->t),
		    units_fmt_time(t2, sizeof(t2), c->t - a->at),
		    diag_names[c->diag < BFD_DIAG_MAX ? c->diag : 0],
		    k ? "" : ",");
	}
	return pass;
}

const struct sc_assertion bfd_sc_assert_up = {
	.name = "bfd-up",
	.doc = "the bfd session is Up on both ends by a time (by), or "
	    "throughout a window [after, before)",
	.table = &up_table, .check = check_up, .judge = judge_up,
};

const struct sc_assertion bfd_sc_assert_down = {
	.name = "bfd-down",
	.doc = "both ends of the bfd session leave Up within a bound after "
	    "the path breaks (with the diagnostic, if given)",
	.table = &down_table, .check = check_down, .judge = judge_down,
};

int
bfd_scenario_register(void)
{
	if (scenario_register_section(&bfd_sc_section) < 0)
		return -1;
	if (scenario_register_assertion(&bfd_sc_assert_up) < 0 ||
	    scenario_register_assertion(&bfd_sc_assert_down) < 0) {
		scenario_unregister_assertion(&bfd_sc_assert_up);
		scenario_unregister_section(&bfd_sc_section);
		return -1;
	}
	return 0;
}
