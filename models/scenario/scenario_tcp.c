/*
 * scenario_tcp.c - what the apps and assertions sections know of TCP: the
 * tables of an app's tcp settings and of a request or response size, the
 * checks of the stream apps (sizes, the port their server or sink takes)
 * and of the TCP assertions, and how those assertions are judged at the
 * end of a run.
 */
#include <stdlib.h>
#include <string.h>

#include "apps.h"
#include "flowstats.h"
#include "scenario_load.h"
#include "sim.h"
#include "stream.h"
#include "tcp.h"

const char *const sc_tcp_ccs[] = { "newreno", "cubic", NULL };
static const char *const tcp_cc_docs[] = {
	"NewReno (RFC 6582): halve on loss, grow by one segment per RTT",
	"CUBIC (RFC 9438) with HyStart, as Linux and ns-3 3.37",
	NULL
};
const char *const sc_percentiles[] = { "p50", "p90", "p99", "p99.9", "max",
	NULL };
const unsigned sc_percentile_permille[] = { 500, 900, 990, 999, 1000 };
/* index + 1 = enum stream_err */
const char *const sc_failures[] = { "refused", "reset", "timed-out",
	"unreachable", NULL };

static const struct sc_field tcp_fields[] = {
	[TO_CC] = { "cc", SC_FT_ENUM, SC_AT(struct sc_tcp, cc),
		.names = sc_tcp_ccs, .name_docs = tcp_cc_docs,
		.def_doc = "newreno", .doc = "congestion control" },
	[TO_SNDBUF] = { "sndbuf", SC_FT_SIZE, SC_AT(struct sc_tcp, sndbuf),
		.min = 1, .max = 1u << 30, .def_doc = "128KiB",
		.doc = "send buffer (bytes)" },
	[TO_RCVBUF] = { "rcvbuf", SC_FT_SIZE, SC_AT(struct sc_tcp, rcvbuf),
		.min = 1, .max = 1u << 30, .def_doc = "128KiB",
		.doc = "receive buffer (bytes): the most it advertises" },
	[TO_NODELAY] = { "nodelay", SC_FT_BOOL, SC_AT(struct sc_tcp, nodelay),
		.def_doc = "true (ns-3's default)",
		.doc = "turn Nagle's algorithm off" },
	[TO_DELACK_COUNT] = { "delack_count", SC_FT_UINT,
		SC_AT(struct sc_tcp, delack_count), .min = 1, .max = 64,
		.def_doc = "2", .doc = "full segments received per ACK" },
	[TO_DELACK_TIMEOUT] = { "delack_timeout", SC_FT_TIME,
		SC_AT(struct sc_tcp, delack_timeout), .min = 1,
		.max = SIM_S(10), .def_doc = "200ms",
		.doc = "longest an ACK is delayed" },
	[TO_MIN_RTO] = { "min_rto", SC_FT_TIME, SC_AT(struct sc_tcp, min_rto),
		.min = SIM_MS(1), .max = SIM_S(60), .def_doc = "1s",
		.doc = "lower bound of the retransmission timeout" },
	[TO_MSS] = { "mss", SC_FT_UINT, SC_AT(struct sc_tcp, mss), .min = 64,
		.max = 65495, .def_doc = "the route's MTU - 40",
		.doc = "largest segment payload sent (bytes); path MTU "
		    "discovery may lower it" },
	[TO_INIT_CWND] = { "init_cwnd", SC_FT_UINT,
		SC_AT(struct sc_tcp, init_cwnd), .min = 1, .max = 1000,
		.def_doc = "10", .doc = "initial congestion window (segments)" },
	[TO_CWND_VALIDATION] = { "cwnd_validation", SC_FT_BOOL,
		SC_AT(struct sc_tcp, cwnd_validation),
		.def_doc = "true (Linux's; ns-3 3.37 has none)",
		.doc = "grow cwnd only while the sender uses it (Linux's "
		    "tcp_is_cwnd_limited); false grows it on every ACK, as "
		    "ns-3" },
};

const struct sc_table sc_tcp_table = {
	"tcp", "TCP settings of an application's connections; a key not "
	"given keeps the stack's default.",
	tcp_fields, SC_NFIELDS(tcp_fields), 0, SC_NO_OFF,
	offsetof(struct sc_tcp, vloc), offsetof(struct sc_tcp, keys), -1
};

static const char *const size_dists[] = { "fixed", "exponential", "uniform",
	"lognormal", NULL };
static const char *const size_dist_docs[] = {
	"always size",
	"exponential with mean size",
	"uniform in [min, max]",
	"lognormal with median size and 99th percentile p99",
	NULL
};

#define SZ_MAX_BYTES ((uint64_t)1 << 32)
static const struct sc_field size_fields[] = {
	[SZ_DIST] = { "dist", SC_FT_ENUM, SC_AT(struct sc_size, dist),
		.names = size_dists, .name_docs = size_dist_docs,
		.def = "fixed", .doc = "how sizes are drawn (from the app's "
		    "seeded random stream)" },
	[SZ_SIZE] = { "size", SC_FT_SIZE, SC_AT(struct sc_size, size),
		.min = 1, .max = SZ_MAX_BYTES,
		.def_doc = "request 256, response 4096",
		.doc = "fixed: the size; exponential: the mean; lognormal: the "
		    "median" },
	[SZ_MIN] = { "min", SC_FT_SIZE, SC_AT(struct sc_size, min), .min = 1,
		.max = SZ_MAX_BYTES, .def_doc = "none",
		.doc = "uniform: smallest size" },
	[SZ_MAX] = { "max", SC_FT_SIZE, SC_AT(struct sc_size, max), .min = 1,
		.max = SZ_MAX_BYTES, .def_doc = "none",
		.doc = "uniform: largest size; exponential, lognormal: draws "
		    "are capped here" },
	[SZ_P99] = { "p99", SC_FT_SIZE, SC_AT(struct sc_size, p99), .min = 1,
		.max = SZ_MAX_BYTES, .def_doc = "none",
		.doc = "lognormal: the 99th percentile, above size" },
};

const struct sc_table sc_size_table = {
	"size", "A request or response size in bytes, fixed or drawn per "
	"transaction.",
	size_fields, SC_NFIELDS(size_fields), 0, SC_NO_OFF,
	offsetof(struct sc_size, vloc), offsetof(struct sc_size, keys), -1
};

/* --- checks ---------------------------------------------------------- */

static bool
given_ok(const uint64_t *keys, size_t k)
{
	return sc_key_given(keys, k) && sc_key_ok(keys, k);
}

static void
check_size(struct sc_check *ld, const char *what, struct sc_size *z,
    struct sc_loc at, uint64_t def)
{
	static const char *const keys[] = { "dist", "size", "min", "max",
		"p99" };
	/* which keys each dist takes: bit k = key k */
	static const unsigned takes[] = { 0, 1u << SZ_SIZE,
		1u << SZ_SIZE | 1u << SZ_MAX,
		1u << SZ_MIN | 1u << SZ_MAX,
		1u << SZ_SIZE | 1u << SZ_MAX | 1u << SZ_P99 };
	unsigned k;

	if (z->dist == 0)
		return;		/* reported */
	for (k = SZ_SIZE; k < SZ_F_MAX; k++)
		if (sc_key_given(z->keys, k) && !(takes[z->dist] & 1u << k))
			ld_error(ld, z->vloc[k], "%s: '%s' does not apply to "
			    "dist %s (it takes: %s)", what, keys[k],
			    size_dists[z->dist - 1], z->dist ==
			    SC_SIZE_UNIFORM ? "min, max" : z->dist ==
			    SC_SIZE_LOGNORMAL ? "size, p99, max" :
			    z->dist == SC_SIZE_FIXED ? "size" : "size, max");
	if (!sc_key_given(z->keys, SZ_SIZE))
		z->size = def;
	switch (z->dist) {
	case SC_SIZE_UNIFORM:
		if (!sc_key_given(z->keys, SZ_MIN) ||
		    !sc_key_given(z->keys, SZ_MAX))
			ld_error(ld, at, "%s: dist uniform needs min and max",
			    what);
		else if (given_ok(z->keys, SZ_MIN) &&
		    given_ok(z->keys, SZ_MAX) && z->min > z->max)
			ld_error(ld, z->vloc[SZ_MIN], "%s: min (%llu) is "
			    "above max (%llu)", what,
			    (unsigned long long)z->min,
			    (unsigned long long)z->max);
		break;
	case SC_SIZE_LOGNORMAL:
		if (!sc_key_given(z->keys, SZ_P99))
			ld_error(ld, at, "%s: dist lognormal needs p99 (the "
			    "99th percentile, above size)", what);
		else if (given_ok(z->keys, SZ_P99) && z->p99 <= z->size)
			ld_error(ld, z->vloc[SZ_P99], "%s: p99 (%llu) must be "
			    "above size, the median (%llu)", what,
			    (unsigned long long)z->p99,
			    (unsigned long long)z->size);
		break;
	default:
		break;
	}
}

/* The node holding address a, as index + 1, or 0. */
static size_t
node_of_addr(const struct scenario *sc, uint32_t a)
{
	size_t i, j;

	for (i = 0; i < sc->n_nodes; i++)
		for (j = 0; j < sc->nodes[i].n_ifaces; j++)
			if (sc->nodes[i].ifaces[j].plen != 0 &&
			    sc->nodes[i].ifaces[j].addr == a)
				return i + 1;
	return 0;
}

void
sc_check_tcp_app(struct sc_check *ld, struct sc_app *p)
{
	if (p->kind == SC_APP_REQUEST_RESPONSE) {
		check_size(ld, "request", &p->request, p->vloc[AP_REQUEST],
		    256);
		check_size(ld, "response", &p->response,
		    p->vloc[AP_RESPONSE], 4096);
		if (p->request.dist == SC_SIZE_FIXED && p->request.size <
		    RR_HDR && given_ok(p->request.keys, SZ_SIZE))
			ld_error(ld, p->request.vloc[SZ_SIZE], "request: size "
			    "%llu is below %u bytes (a request is a TNS Data "
			    "packet carrying the sizes of itself and its "
			    "response)",
			    (unsigned long long)p->request.size, RR_HDR);
	}
	if (p->kind == SC_APP_TCP_BULK || p->kind == SC_APP_REQUEST_RESPONSE)
		p->srv_node = p->dst_node ? p->dst_node :
		    node_of_addr(ld->sc, p->dst);
}

/* A server or sink the run adds: (node, port), and which app asks. */
struct srv_key {
	size_t node;
	uint16_t port;
	size_t app;
};

static int
srv_cmp(const void *a, const void *b)
{
	const struct srv_key *x = a, *y = b;

	if (x->node != y->node)
		return x->node < y->node ? -1 : 1;
	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	return x->app < y->app ? -1 : x->app > y->app;
}

/*
 * One sink or server per node and TCP port: apps of the same kind share
 * it, an app of the other kind cannot have it (its requests would reach a
 * server that does not speak its protocol).
 */
void
sc_check_tcp_ports(struct sc_check *ld)
{
	const struct scenario *sc = ld->sc;
	struct srv_key *v = xmalloc((sc->n_apps + 1) * sizeof(*v));
	size_t i, n = 0, first = 0;

	for (i = 0; i < sc->n_apps; i++) {
		const struct sc_app *p = &sc->apps[i];

		if ((p->kind != SC_APP_TCP_BULK &&
		    p->kind != SC_APP_REQUEST_RESPONSE) || p->srv_node == 0 ||
		    !p->server || p->name == NULL ||
		    (sc_key_given(p->keys, AP_DPORT) &&
		    !sc_key_ok(p->keys, AP_DPORT)))
			continue;
		v[n++] = (struct srv_key){ p->srv_node, p->dport, i };
	}
	qsort(v, n, sizeof(*v), srv_cmp);
	for (i = 0; i < n; i++) {
		const struct sc_app *p = &sc->apps[v[i].app], *o;

		if (i == 0 || v[i].node != v[i - 1].node ||
		    v[i].port != v[i - 1].port) {
			first = i;
			continue;
		}
		o = &sc->apps[v[first].app];
		if (o->kind == p->kind)
			continue;
		ld_error(ld, sc_key_given(p->keys, AP_DPORT) ?
		    p->vloc[AP_DPORT] : p->loc, "TCP port %u on node '%s' "
		    "is taken by the %s of %s app '%s' (defined at %u:%u): "
		    "give this one another dport", p->dport,
		    sc->nodes[p->srv_node - 1].name,
		    o->kind == SC_APP_TCP_BULK ? "sink" : "server",
		    sc_app_kinds[o->kind - 1], q(ld, o->name), o->loc.line,
		    o->loc.col);
	}
	free(v);
}

/* Which app kinds an assertion kind reads: bit k = enum sc_app_kind k. */
unsigned
sc_assert_app_kinds(enum sc_assert_kind k)
{
	switch (k) {
	case SC_ASSERT_PING:
	case SC_ASSERT_PING_FAILS:
		return 1u << SC_APP_PING;
	case SC_ASSERT_TRACEROUTE:
		return 1u << SC_APP_TRACEROUTE;
	case SC_ASSERT_TCP_GOODPUT:
	case SC_ASSERT_CONN_FAILS:
		return 1u << SC_APP_TCP_BULK | 1u << SC_APP_REQUEST_RESPONSE;
	case SC_ASSERT_TXN_LATENCY:
		return 1u << SC_APP_REQUEST_RESPONSE;
	case SC_ASSERT_TRANSFER:
		return 1u << SC_APP_TCP_BULK;
	case SC_ASSERT_MAX:
		break;
	}
	return 0;
}

void
sc_check_tcp_assert(struct sc_check *ld, struct sc_assert *as,
    const struct sc_app *ap)
{
	char t[32];

	if (as->kind == SC_ASSERT_TCP_GOODPUT) {
		static const int k[] = { AS_AFTER, AS_BEFORE };
		size_t i;

		for (i = 0; i < 2; i++) {
			sim_time v = k[i] == AS_AFTER ? as->after : as->before;

			if (given_ok(as->keys, (size_t)k[i]) &&
			    v % FLOWSET_BIN != 0)
				ld_error(ld, as->vloc[k[i]], "'%s' %s is not a "
				    "multiple of 100ms (goodput is measured "
				    "in 100 ms bins)", k[i] == AS_AFTER ?
				    "after" : "before",
				    units_fmt_time(t, sizeof(t), v));
		}
	}
	if (as->kind == SC_ASSERT_TRANSFER && ap != NULL &&
	    ap->kind == SC_APP_TCP_BULK && ap->bytes == 0 &&
	    (!sc_key_given(ap->keys, AP_BYTES) ||
	    sc_key_ok(ap->keys, AP_BYTES)))
		ld_error(ld, as->vloc[AS_APP], "transfer-completes needs a "
		    "transfer of a known size, but tcp_bulk app '%s' has no "
		    "'bytes' (it sends until its duration or the run ends)",
		    q(ld, ap->name));
}

/* --- from the scenario to the apps ----------------------------------- */

void
sc_app_tcp_opts(const struct sc_tcp *t, struct app_tcp_opts *o)
{
	app_tcp_opts_default(o);
	if (sc_key_given(t->keys, TO_CC))
		o->cc = tcp_cc_kind_parse(sc_tcp_ccs[t->cc - 1]);
	if (sc_key_given(t->keys, TO_SNDBUF))
		o->sndbuf = t->sndbuf;
	if (sc_key_given(t->keys, TO_RCVBUF))
		o->rcvbuf = t->rcvbuf;
	if (sc_key_given(t->keys, TO_NODELAY))
		o->nodelay = t->nodelay;
	if (sc_key_given(t->keys, TO_DELACK_COUNT))
		o->delack_count = t->delack_count;
	if (sc_key_given(t->keys, TO_DELACK_TIMEOUT))
		o->delack_timeout = t->delack_timeout;
	if (sc_key_given(t->keys, TO_MIN_RTO))
		o->min_rto = t->min_rto;
	if (sc_key_given(t->keys, TO_MSS))
		o->mss = t->mss;
	if (sc_key_given(t->keys, TO_INIT_CWND))
		o->init_cwnd = t->init_cwnd;
	if (sc_key_given(t->keys, TO_CWND_VALIDATION))
		o->cwnd_validation = t->cwnd_validation;
}

void
sc_size_dist(const struct sc_size *z, struct size_dist *d)
{
	static const enum size_dist_kind kinds[] = { SIZE_FIXED, SIZE_FIXED,
		SIZE_EXPONENTIAL, SIZE_UNIFORM, SIZE_LOGNORMAL };

	d->kind = kinds[z->dist];
	d->size = z->size;
	d->min = z->min;
	d->max = z->max;
	d->p99 = z->p99;
}

/* --- judging the TCP assertions -------------------------------------- */

static const struct flowset *
flows_of(const struct app *a)
{
	if (strcmp(a->ops->kind, "tcp_bulk") == 0)
		return tcp_bulk_flows(a);
	if (strcmp(a->ops->kind, "request_response") == 0)
		return rr_client_flows(a);
	return NULL;
}

static void
fmt_rate(char *buf, size_t len, uint64_t bps)
{
	if (bps >= 1000000000)
		snprintf(buf, len, "%.3f Gbps", (double)bps / 1e9);
	else if (bps >= 1000000)
		snprintf(buf, len, "%.3f Mbps", (double)bps / 1e6);
	else
		snprintf(buf, len, "%.3f kbps", (double)bps / 1e3);
}

static bool
judge_goodput(const struct sc_assert *as, const struct app *a, sim_time now,
    char *msg, size_t len)
{
	const struct flowset *fs = flows_of(a);
	sim_time to = as->before == SIM_TIME_MAX || as->before == 0 ||
	    as->before > now ? now : as->before;
	uint64_t bytes, bps;
	char r1[32], r2[32], t1[32], t2[32], who[24];

	if (to <= as->after) {
		snprintf(msg, len, "tcp-goodput %s: the run ended at %s, before "
		    "the window starts (%s)", a->name,
		    units_fmt_time(t1, sizeof(t1), now),
		    units_fmt_time(t2, sizeof(t2), as->after));
		return false;
	}
	if (as->flow > fs->n_flows) {
		snprintf(msg, len, "tcp-goodput %s/flow%u: the app had %zu "
		    "flow(s)", a->name, as->flow, fs->n_flows);
		return false;
	}
	bytes = flowset_bytes_between(fs, as->flow, as->after, to);
	bps = (uint64_t)((__int128)bytes * 8 * SIM_S(1) / (to - as->after));
	fmt_rate(r1, sizeof(r1), bps);
	fmt_rate(r2, sizeof(r2), as->min_goodput);
	who[0] = '\0';
	if (as->flow > 0)
		snprintf(who, sizeof(who), "/flow%u", as->flow);
	snprintf(msg, len, "tcp-goodput %s%s [%s, %s): %s (%llu bytes) %s %s",
	    a->name, who, units_fmt_time(t1, sizeof(t1), as->after),
	    units_fmt_time(t2, sizeof(t2), to), r1,
	    (unsigned long long)bytes, bps >= as->min_goodput ? ">=" : "<",
	    r2);
	return bps >= as->min_goodput;
}

static bool
judge_latency(const struct sc_assert *as, const struct app *a, char *msg,
    size_t len)
{
	const struct lat_hist *h = rr_latency(a);
	int pi = as->percentile > 0 ? as->percentile - 1 : 2;
	sim_time v = lat_hist_permille(h, sc_percentile_permille[pi]);
	char t1[32], t2[32];

	if (h->count == 0) {
		snprintf(msg, len, "transaction-latency %s: no transaction "
		    "completed", a->name);
		return false;
	}
	if (sc_percentile_permille[pi] == 1000)
		v = h->max;
	snprintf(msg, len, "transaction-latency %s: %s %s %s %s (%llu "
	    "transactions)", a->name, sc_percentiles[pi],
	    units_fmt_time(t1, sizeof(t1), v), v <= as->below ? "<=" : ">",
	    units_fmt_time(t2, sizeof(t2), as->below),
	    (unsigned long long)h->count);
	return v <= as->below;
}

static bool
judge_transfer(const struct sc_assert *as, const struct app *a, char *msg,
    size_t len)
{
	sim_time done = tcp_bulk_done_at(a);
	int err = 0;
	uint32_t failed = tcp_bulk_failed(a, &err);
	char t1[32], t2[32];

	units_fmt_time(t2, sizeof(t2), as->by);
	if (failed > 0) {
		snprintf(msg, len, "transfer-completes %s by %s: %u stream(s) "
		    "failed (%s), %llu bytes acknowledged", a->name, t2,
		    failed, stream_err_name[err],
		    (unsigned long long)tcp_bulk_acked(a));
		return false;
	}
	if (done < 0) {
		snprintf(msg, len, "transfer-completes %s by %s: not finished, "
		    "%llu bytes acknowledged", a->name, t2,
		    (unsigned long long)tcp_bulk_acked(a));
		return false;
	}
	snprintf(msg, len, "transfer-completes %s: done at %s %s %s", a->name,
	    units_fmt_time(t1, sizeof(t1), done), done <= as->by ? "<=" : ">",
	    t2);
	return done <= as->by;
}

static bool
judge_fails(const struct sc_assert *as, const struct app *a, char *msg,
    size_t len)
{
	bool bulk = strcmp(a->ops->kind, "tcp_bulk") == 0;
	int err = 0;
	uint32_t failed = bulk ? tcp_bulk_failed(a, &err) : rr_failed(a, &err);
	uint64_t ok = bulk ? tcp_bulk_acked(a) : rr_completed(a);
	const char *want = as->failure > 0 ? sc_failures[as->failure - 1] :
	    NULL;
	bool pass = failed > 0 && (want == NULL || err == as->failure);

	snprintf(msg, len, "connection-fails %s: %u failed%s%s%s, %llu %s%s%s",
	    a->name, failed, failed ? " (first: " : "",
	    failed ? sc_failures[err - 1] : "", failed ? ")" : "",
	    (unsigned long long)ok, bulk ? "bytes acknowledged" :
	    "transactions completed", want ? "; expected " : "",
	    want ? want : "");
	return pass;
}

bool
sc_judge_tcp_assert(const struct sc_assert *as, const struct app *a,
    sim_time now, char *msg, size_t len)
{
	switch (as->kind) {
	case SC_ASSERT_TCP_GOODPUT:
		return judge_goodput(as, a, now, msg, len);
	case SC_ASSERT_TXN_LATENCY:
		return judge_latency(as, a, msg, len);
	case SC_ASSERT_TRANSFER:
		return judge_transfer(as, a, msg, len);
	case SC_ASSERT_CONN_FAILS:
		return judge_fails(as, a, msg, len);
	default:
		break;
	}
	snprintf(msg, len, "not a TCP assertion");
	return false;
}
