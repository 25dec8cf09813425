/*
 * scenario_apps.c - the apps and assertions sections: tables, checks, and
 * the build of the applications (with a UDP sink for every udp_cbr or
 * udp_poisson destination that has none, a TCP sink for every tcp_bulk
 * destination and a server for every request_response destination, each
 * node with its TCP stack).
 */
#include <stdlib.h>
#include <string.h>

#include "apps.h"
#include "net.h"
#include "scenario_load.h"
#include "sim.h"
#include "tcp.h"
#include "tcp_trace.h"

#define UDP_IP_OVERHEAD 28u	/* IPv4 + UDP headers, for udp_cbr rate */

const char *const sc_app_kinds[] = { "ping", "traceroute", "udp_cbr",
	"udp_poisson", "tcp_bulk", "request_response", NULL };
static const char *const app_kind_docs[] = {
	"ICMP echo requests at a fixed interval",
	"probes with increasing TTL, to find each hop",
	"UDP packets at a constant bit rate",
	"UDP packets with exponential gaps (Poisson arrivals) at a mean rate",
	"iperf-like bulk TCP transfer (a sink NAME-sink on dst receives it)",
	"a client querying a server (NAME-server on dst): request, response, "
	"think, again; with per-transaction latency",
	NULL
};
const char *const sc_assert_kinds[] = {
	"ping-succeeds", "ping-fails", "traceroute-path", "tcp-goodput",
	"transaction-latency", "transfer-completes", "connection-fails", NULL
};
static const char *const assert_kind_docs[] = {
	"every probe sent in [after, before) is answered (within rtt_below)",
	"no probe sent in [after, before) is answered",
	"the traceroute reports exactly these hops",
	"the app's goodput over [after, before) is at least min_goodput "
	"(tcp_bulk: bytes acknowledged; request_response: response bytes "
	"read), in 100 ms bins",
	"the app's transaction latency at percentile is at most below",
	"every byte of the tcp_bulk transfer is acknowledged by `by`",
	"the app's connections fail (refused, reset, timed out, unreachable), "
	"as failure says if given",
	NULL
};

#define PING_UDP SC_LIST("ping", "udp_cbr", "udp_poisson")
#define PING_TRACE SC_LIST("ping", "traceroute")
#define UDP SC_LIST("udp_cbr", "udp_poisson")
#define TCP SC_LIST("tcp_bulk", "request_response")
#define RR SC_LIST("request_response")
static const struct sc_field app_fields[] = {
	[AP_NAME] = { "name", SC_FT_NAME, SC_AT(struct sc_app, name),
		.def_doc = "type-node-i, i its 0-based position in apps (e.g. "
		    "ping-azure-vm-0)",
		.doc = "unique application name (assertions use it); a "
		    "udp_cbr, udp_poisson or tcp_bulk app NAME reserves "
		    "NAME-sink for its automatic sink, a request_response app "
		    "NAME-server for its server" },
	[AP_TYPE] = { "type", SC_FT_ENUM, SC_AT(struct sc_app, kind),
		.names = sc_app_kinds, .name_docs = app_kind_docs,
		.required = true, .doc = "what the application does" },
	[AP_NODE] = { "node", SC_FT_NAME, SC_AT(struct sc_app, node),
		.required = true, .doc = "node the application runs on" },
	[AP_DST] = { "dst", SC_FT_DST, SC_AT(struct sc_app, dst_text),
		.required = true,
		.doc = "destination: an IPv4 address, a node (its first "
		    "numbered interface) or node:interface" },
	[AP_START] = { "start", SC_FT_TIME, SC_AT(struct sc_app, start),
		.def = "0s", .doc = "when the first probe or packet is sent" },
	[AP_INTERVAL] = { "interval", SC_FT_TIME,
		SC_AT(struct sc_app, interval), .kinds = PING_UDP,
		.min = 1, .kdefs = SC_LIST("ping", "1s"),
		.def_doc = "udp: from rate and size",
		.doc = "time between probes (ping) or packets (udp_cbr; "
		    "udp_poisson: the mean gap)" },
	[AP_COUNT] = { "count", SC_FT_UINT, SC_AT(struct sc_app, count),
		.kinds = SC_LIST("ping", "udp_cbr", "udp_poisson",
		    "request_response"), .min = 0, .max = 100000000,
		.def = "0",
		.doc = "probes or packets to send (request_response: "
		    "transactions per client), 0 = until the end of the run" },
	[AP_SIZE] = { "size", SC_FT_SIZE, SC_AT(struct sc_app, size),
		.kinds = PING_UDP, .min = 0, .max = 65507,
		.kdefs = SC_LIST("ping", "56", "udp_cbr", "1000", "udp_poisson",
		    "1000"),
		.doc = "ICMP or UDP payload bytes" },
	[AP_TTL] = { "ttl", SC_FT_UINT, SC_AT(struct sc_app, ttl),
		.kinds = PING_TRACE, .min = 1, .max = 255,
		.kdefs = SC_LIST("ping", "64", "traceroute", "30"),
		.doc = "ping: IP TTL; traceroute: maximum number of hops" },
	[AP_TIMEOUT] = { "timeout", SC_FT_TIME, SC_AT(struct sc_app, timeout),
		.kinds = PING_TRACE, .min = 1, .def = "1s",
		.doc = "how long to wait for a reply (traceroute: per probe)" },
	[AP_RATE] = { "rate", SC_FT_RATE, SC_AT(struct sc_app, rate_bps),
		.kinds = UDP, .min = 1,
		.def_doc = "none (give interval)",
		.doc = "sending rate of IP packets (payload + 28 bytes; "
		    "udp_poisson: the mean rate); sets interval" },
	[AP_DPORT] = { "dport", SC_FT_UINT, SC_AT(struct sc_app, dport),
		.kinds = SC_LIST("udp_cbr", "udp_poisson", "tcp_bulk",
		    "request_response"), .min = 1, .max = 65535,
		.kdefs = SC_LIST("udp_cbr", "9", "udp_poisson", "9", "tcp_bulk",
		    "5001", "request_response", "1521"),
		.doc = "destination port (UDP, or the TCP port the automatic "
		    "sink or server listens on)" },
	[AP_DF] = { "df", SC_FT_BOOL, SC_AT(struct sc_app, df), .def = "false",
		.kinds = SC_LIST("ping", "udp_cbr", "udp_poisson"),
		.doc = "set the IPv4 Don't Fragment bit (TCP apps always set "
		    "it: path MTU discovery)" },
	[AP_DURATION] = { "duration", SC_FT_TIME,
		SC_AT(struct sc_app, duration), .kinds = TCP, .def = "0s",
		.doc = "tcp_bulk: send for this long; request_response: start "
		    "no transaction after start + duration; 0s = no limit" },
	[AP_BYTES] = { "bytes", SC_FT_SIZE, SC_AT(struct sc_app, bytes),
		.kinds = SC_LIST("tcp_bulk"), .min = 0,
		.max = (uint64_t)1 << 50, .def = "0",
		.doc = "bytes to transfer over all streams (split evenly), 0 = "
		    "no limit; the first of bytes and duration ends it" },
	[AP_STREAMS] = { "streams", SC_FT_UINT, SC_AT(struct sc_app, streams),
		.kinds = SC_LIST("tcp_bulk"), .min = 1, .max = 1024,
		.def = "1", .doc = "parallel connections (iperf -P)" },
	[AP_CONCURRENCY] = { "concurrency", SC_FT_UINT,
		SC_AT(struct sc_app, concurrency), .kinds = RR, .min = 1,
		.max = 100000, .def = "1",
		.doc = "clients in parallel, each with its own transactions" },
	[AP_PERSISTENT] = { "persistent", SC_FT_BOOL,
		SC_AT(struct sc_app, persistent), .kinds = RR, .def = "true",
		.doc = "one connection per client for every transaction (a "
		    "connection pool), else a new connection per request "
		    "(whose handshake then counts in its latency)" },
	[AP_THINK] = { "think", SC_FT_TIME, SC_AT(struct sc_app, think),
		.kinds = RR, .def = "0s",
		.doc = "pause of a client between a response and its next "
		    "request" },
	[AP_RECONNECT] = { "reconnect", SC_FT_TIME,
		SC_AT(struct sc_app, reconnect), .kinds = RR, .def = "0s",
		.doc = "after its connection fails (reset, timed out, "
		    "unreachable), a client connects again this long after, "
		    "as a connection pool does (the transaction in flight "
		    "counts as failed); 0s = the client stops" },
	[AP_REQUEST] = { "request", SC_FT_MAP, SC_AT(struct sc_app, request),
		.sub = &sc_size_table, .kinds = RR,
		.def_doc = "{ size: 256 }",
		.doc = "request size in bytes on the stream: Oracle Net (TNS) "
		    "Data packets of at most 8192 bytes, headers included; "
		    "at least 18 (a packet header and the sizes the server "
		    "reads)" },
	[AP_RESPONSE] = { "response", SC_FT_MAP,
		SC_AT(struct sc_app, response), .sub = &sc_size_table,
		.kinds = RR, .def_doc = "{ size: 4096 }",
		.doc = "response size in bytes on the stream, as TNS Data "
		    "packets (at least 10, a packet header)" },
	[AP_TCP] = { "tcp", SC_FT_MAP, SC_AT(struct sc_app, tcp),
		.sub = &sc_tcp_table, .kinds = TCP,
		.def_doc = "the stack's (ns-3 3.37 defaults, docs/tcp.md)",
		.doc = "TCP settings of the app's connections, and of its "
		    "sink's or server's" },
	[AP_SERVER] = { "server", SC_FT_BOOL, SC_AT(struct sc_app, server),
		.kinds = TCP, .def = "true",
		.doc = "add the sink (tcp_bulk) or server (request_response) "
		    "on dst; false leaves the port closed, so connections are "
		    "refused (see connection-fails)" },
};
#undef PING_UDP
#undef PING_TRACE
#undef UDP
#undef TCP
#undef RR

static const struct sc_table app_table = {
	"app", "A traffic application running on a node.",
	app_fields, SC_NFIELDS(app_fields), sizeof(struct sc_app),
	offsetof(struct sc_app, loc), offsetof(struct sc_app, vloc),
	offsetof(struct sc_app, keys), AP_TYPE
};

static bool
key_fine(const uint64_t *keys, size_t k)
{
	return !sc_key_given(keys, k) || sc_key_ok(keys, k);
}

static const struct sc_iface *
first_numbered(const struct sc_node *n)
{
	size_t i;

	for (i = 0; i < n->n_ifaces; i++)
		if (n->ifaces[i].plen != 0)
			return &n->ifaces[i];
	return NULL;
}

static bool
bad_address(const struct sc_node *n)
{
	size_t i;

	for (i = 0; i < n->n_ifaces; i++)
		if (sc_key_given(n->ifaces[i].keys, IF_ADDRESS) &&
		    !sc_key_ok(n->ifaces[i].keys, IF_ADDRESS))
			return true;
	return false;
}

static void
resolve_dst(struct sc_check *ld, struct sc_app *p)
{
	const struct scenario *sc = ld->sc;
	struct sc_loc at = p->vloc[AP_DST];
	const char *t = p->dst_text, *colon;
	size_t ni;

	if (t == NULL)
		return;
	if (strspn(t, "0123456789.") == strlen(t)) {
		if (!ip_parse(t, strlen(t), &p->dst))
			ld_error(ld, at, "'dst': bad IPv4 address '%s' (expected "
			    "a.b.c.d)", q(ld, t));
		return;
	}
	if ((colon = strchr(t, ':')) != NULL) {
		char *node = xstrdup(t);
		const struct sc_iface *f = NULL;

		node[colon - t] = '\0';
		if (sc_names_lookup(ld, "node", node, at, &ni))
			f = sc_check_iface(ld, ni, colon + 1, at);
		if (f != NULL && f->plen == 0 &&
		    !sc_key_given(f->keys, IF_ADDRESS))
			ld_error(ld, at, "'dst': interface %s is unnumbered "
			    "(give it an address)", q(ld, t));
		else if (f != NULL) {
			p->dst = f->addr;
			p->dst_node = ni + 1;
		}
		free(node);
	} else if (sc_names_lookup(ld, "node", t, at, &ni)) {
		const struct sc_node *n = &sc->nodes[ni];
		const struct sc_iface *f = first_numbered(n);

		if (f == NULL && !bad_address(n))
			ld_error(ld, at, "'dst': node '%s' has no interface "
			    "with an address", n->name);
		else if (f != NULL) {
			p->dst = f->addr;
			p->dst_node = ni + 1;
		}
	}
}

/* The suffix of the app the run adds for an app of kind k, or NULL. */
static const char *
helper_suffix(enum sc_app_kind k, const char **what)
{
	switch (k) {
	case SC_APP_UDP_CBR:
	case SC_APP_UDP_POISSON:
		*what = "UDP sink";
		return "-sink";
	case SC_APP_TCP_BULK:
		*what = "TCP sink";
		return "-sink";
	case SC_APP_REQUEST_RESPONSE:
		*what = "server";
		return "-server";
	default:
		return NULL;
	}
}

/*
 * The run names the sink it adds for a udp_cbr app NAME "NAME-sink"
 * (build_apps), and assertions and metrics find apps by name: so that name
 * is the udp_cbr app's, whether or not its destination needs a new sink.
 * The same for the sinks of udp_poisson and tcp_bulk apps and the servers
 * (NAME-server) of request_response apps.
 */
static void
reserve_sink_names(struct sc_check *ld)
{
	const struct scenario *sc = ld->sc;
	char sink[SC_NAME_MAX + sizeof("-server")];
	const char *suffix, *what = NULL;
	size_t i, v;

	for (i = 0; i < sc->n_apps; i++) {
		const struct sc_app *p = &sc->apps[i], *o;

		if (p->name == NULL ||
		    (suffix = helper_suffix(p->kind, &what)) == NULL)
			continue;
		snprintf(sink, sizeof(sink), "%s%s", p->name, suffix);
		if (!sc_names_find(ld, "app", sink, &v) || v == i)
			continue;
		o = &sc->apps[v];
		ld_error(ld, o->vloc[AP_NAME], "app name '%s' is reserved for "
		    "the %s of %s app '%s' (defined at %u:%u): rename one of "
		    "them", q(ld, sink), what, sc_app_kinds[p->kind - 1],
		    q(ld, p->name), p->loc.line, p->loc.col);
	}
}

static void
check_apps(struct sc_check *ld, struct sc_section_data *d)
{
	struct scenario *sc = ld->sc;
	sim_time end = sc->duration;
	bool end_ok = !sc_key_given(sc->keys, SC_DURATION) ||
	    sc_key_ok(sc->keys, SC_DURATION);
	char t1[32], t2[32];
	size_t i;

	sc->apps = d->items;
	sc->n_apps = d->n;
	for (i = 0; i < sc->n_apps; i++) {
		struct sc_app *p = &sc->apps[i];

		sc_names_lookup(ld, "node", p->node, p->vloc[AP_NODE],
		    &p->node_idx);
		if (p->name == NULL && !sc_key_given(p->keys, AP_NAME) &&
		    p->kind != 0 && p->node != NULL) {
			size_t len = strlen(p->node) + 40;

			p->name = xmalloc(len);
			snprintf(p->name, len, "%s-%s-%zu",
			    sc_app_kinds[p->kind - 1], p->node, i);
			p->vloc[AP_NAME] = p->loc;
		}
		sc_names_add(ld, "app", p->name, i, p->vloc[AP_NAME]);
		resolve_dst(ld, p);
		sc_check_tcp_app(ld, p);
		if (p->kind == SC_APP_UDP_CBR ||
		    p->kind == SC_APP_UDP_POISSON) {
			bool has_iv = sc_key_given(p->keys, AP_INTERVAL);
			bool has_rate = sc_key_given(p->keys, AP_RATE);

			if (has_iv && has_rate)
				ld_error(ld, p->vloc[AP_RATE], "give rate or "
				    "interval, not both (rate sets the "
				    "interval)");
			else if (!has_iv && !has_rate)
				ld_error(ld, p->loc, "%s app needs rate or "
				    "interval", sc_app_kinds[p->kind - 1]);
			else if (has_rate && p->rate_bps != 0)
				p->interval = units_tx_time((uint64_t)p->size +
				    UDP_IP_OVERHEAD, p->rate_bps);
		}
		if (end_ok && end == 0 && p->count == 0 &&
		    (!sc_key_given(p->keys, AP_COUNT) ||
		    sc_key_ok(p->keys, AP_COUNT)) &&
		    (p->kind == SC_APP_PING || p->kind == SC_APP_UDP_CBR ||
		    p->kind == SC_APP_UDP_POISSON ||
		    (p->kind == SC_APP_REQUEST_RESPONSE &&
		    p->duration == 0 && key_fine(p->keys, AP_DURATION))))
			ld_error(ld, sc_key_given(p->keys, AP_COUNT) ?
			    p->vloc[AP_COUNT] : p->loc, "app '%s' sends until "
			    "the end of the run (count 0), but the scenario "
			    "has no duration (set duration or count)",
			    q(ld, p->name));
		if (end_ok && end == 0 && p->kind == SC_APP_TCP_BULK &&
		    p->bytes == 0 && p->duration == 0 &&
		    key_fine(p->keys, AP_BYTES) &&
		    key_fine(p->keys, AP_DURATION))
			ld_error(ld, p->loc, "tcp_bulk app '%s' sends until the "
			    "end of the run (no bytes, no duration), but the "
			    "scenario has no duration (set bytes, duration, or "
			    "the scenario's duration)", q(ld, p->name));
		if (end != 0 && p->start > end)
			ld_error(ld, p->vloc[AP_START], "app starts at %s, "
			    "after the end of the run (duration %s)",
			    units_fmt_time(t1, sizeof(t1), p->start),
			    units_fmt_time(t2, sizeof(t2), end));
	}
	reserve_sink_names(ld);
	sc_check_tcp_ports(ld);
}

/* --- building the apps ----------------------------------------------- */

/*
 * A set of (where, port) pairs: where a sink or server already listens.
 * where is a node's id, or for UDP sinks udp_where(): node and VRF.
 */
struct sink_set {
	uint64_t *v;		/* key + 1, 0 = empty */
	size_t cap, n;
};

static bool
sink_add(struct sink_set *s, uint64_t where, uint16_t port)
{
	uint64_t key = (where << 16 | port) + 1;
	size_t i;

	if (2 * (s->n + 1) > s->cap) {
		struct sink_set b = { NULL, s->cap ? 2 * s->cap : 64, 0 };

		b.v = xcalloc(b.cap, sizeof(*b.v));
		for (i = 0; i < s->cap; i++)
			if (s->v[i] != 0)
				sink_add(&b, (s->v[i] - 1) >> 16,
				    (uint16_t)(s->v[i] - 1));
		free(s->v);
		*s = b;
	}
	for (i = (key * 0x9e3779b97f4a7c15ULL >> 20) & (s->cap - 1);
	    s->v[i] != 0; i = (i + 1) & (s->cap - 1))
		if (s->v[i] == key)
			return false;
	s->v[i] = key;
	s->n++;
	return true;
}

/*
 * The VRF a datagram to addr is delivered in on n: its interface's (the
 * first numbered with addr), the default one when none has it.
 */
static uint32_t
addr_vrf(const struct node *n, uint32_t addr)
{
	size_t i;

	for (i = 0; i < node_n_ifaces(n); i++)
		if (node_iface_plen(n, (uint32_t)i) > 0 &&
		    node_iface_addr(n, (uint32_t)i) == addr)
			return node_iface_vrf(n, (uint32_t)i);
	return VRF_DEFAULT;
}

/* A UDP sink's place in a sink_set: its node and VRF. */
static uint64_t
udp_where(const struct node *n, uint32_t vrf)
{
	SIM_ASSERT(vrf <= UINT16_MAX, "node %s: vrf %u", node_name(n), vrf);
	return (uint64_t)node_id(n) << 16 | vrf;
}

/*
 * A UDP app's sink NAME-sink on the node and in the VRF that dst is on,
 * unless an app put one there already on the same port.
 */
static void
build_udp_sink(struct sc_build *b, const struct sc_app *sa,
    struct sink_set *sinks, uint16_t *ident)
{
	struct node *dn = sa->dst_node ? sc_build_node(b, sa->dst_node - 1) :
	    net_node_by_addr(b->net, sa->dst);
	uint32_t vrf;
	char name[300];

	if (dn == NULL)
		return;
	vrf = addr_vrf(dn, sa->dst);
	if (!sink_add(sinks, udp_where(dn, vrf), sa->dport))
		return;
	/* The sink goes first, as it always has. */
	snprintf(name, sizeof(name), "%s-sink", sa->name);
	sc_build_add_app(b, udp_sink_new_vrf(dn, name, vrf, sa->dport));
	ident[node_id(dn)]++;
}

/*
 * A tcp_bulk or request_response app, and the sink or server on the node
 * dst is on (the loader saw that the port is free for it) unless an app of
 * the same kind put one there already; that one goes first, as UDP sinks.
 */
static struct app *
build_stream_app(struct sc_build *b, const struct sc_app *sa, struct node *n,
    struct sink_set *srv)
{
	struct app_tcp_opts o;
	struct node *dn = sa->srv_node ? sc_build_node(b, sa->srv_node - 1) :
	    NULL;
	bool bulk = sa->kind == SC_APP_TCP_BULK;
	char name[300];

	sc_app_tcp_opts(&sa->tcp, &o);
	if (sa->server && dn != NULL && sink_add(srv, node_id(dn),
	    sa->dport)) {
		snprintf(name, sizeof(name), "%s%s", sa->name, bulk ? "-sink" :
		    "-server");
		sc_build_add_app(b, bulk ? tcp_sink_new(dn, name, sa->dport,
		    &o) : rr_server_new(dn, name, sa->dport, &o));
	}
	if (bulk) {
		struct tcp_bulk_cfg c = { .dst = sa->dst, .dport = sa->dport,
		    .start = sa->start, .duration = sa->duration,
		    .bytes = sa->bytes, .streams = sa->streams, .tcp = o };

		return tcp_bulk_new(n, sa->name, &c);
	} else {
		struct rr_cfg c = { .dst = sa->dst, .dport = sa->dport,
		    .start = sa->start, .duration = sa->duration,
		    .count = sa->count, .concurrency = sa->concurrency,
		    .persistent = sa->persistent, .think = sa->think,
		    .reconnect = sa->reconnect,
		    .tcp = o };

		sc_size_dist(&sa->request, &c.request);
		sc_size_dist(&sa->response, &c.response);
		return rr_client_new(n, sa->name, &c);
	}
}

static int
build_apps(struct sc_build *b, const void *items, size_t n_apps)
{
	const struct sc_app *apps = items;
	size_t n_nodes = net_n_nodes(b->net), i;
	uint16_t *ident = xcalloc(n_nodes ? n_nodes : 1, sizeof(*ident));
	struct sink_set sinks = { NULL, 0, 0 }, tcp_srv = { NULL, 0, 0 };

	/*
	 * Every node gets its TCP stack, so that a connection to a port
	 * nobody listens on is refused (a reset) as on a real host.
	 */
	for (i = 0; i < n_nodes; i++)
		tcp_stack_get(net_node(b->net, (uint32_t)i));
	/* connections, their states and windows into the trace */
	if (net_trace(b->net) != NULL)
		tcp_trace_attach(b->net);
	/* ICMP idents and sinks count the apps already there too. */
	for (i = 0; i < *b->n_apps; i++) {
		const struct app *a = (*b->apps)[i];

		ident[node_id(a->node)]++;
		if (strcmp(a->ops->kind, "udp_sink") == 0)
			sink_add(&sinks, udp_where(a->node, udp_sink_vrf(a)),
			    udp_sink_port(a));
		else if (strcmp(a->ops->kind, "tcp_sink") == 0)
			sink_add(&tcp_srv, node_id(a->node), tcp_sink_port(a));
		else if (strcmp(a->ops->kind, "rr_server") == 0)
			sink_add(&tcp_srv, node_id(a->node), rr_server_port(a));
	}
	for (i = 0; i < n_apps; i++) {
		const struct sc_app *sa = &apps[i];
		struct node *n = sc_build_node(b, sa->node_idx);
		uint16_t id = (uint16_t)(++ident[node_id(n)]);
		struct app *a = NULL;

		switch (sa->kind) {
		case SC_APP_PING: {
			struct ping_cfg c = { .dst = sa->dst, .start = sa->start,
			    .interval = sa->interval, .timeout = sa->timeout,
			    .count = sa->count, .size = sa->size,
			    .ttl = sa->ttl, .df = sa->df, .ident = id };

			a = ping_new(n, sa->name, &c);
			break;
		}
		case SC_APP_TRACEROUTE: {
			struct traceroute_cfg c = { .dst = sa->dst,
			    .start = sa->start, .timeout = sa->timeout,
			    .max_hops = sa->ttl, .probes = 3, .ident = id };

			a = traceroute_new(n, sa->name, &c);
			break;
		}
		case SC_APP_UDP_CBR: {
			struct udp_cbr_cfg c = { .dst = sa->dst,
			    .dport = sa->dport, .start = sa->start,
			    .interval = sa->interval, .count = sa->count,
			    .size = sa->size, .df = sa->df, .ident = id };

			if (c.interval <= 0 && sa->rate_bps > 0)
				c.interval = units_tx_time(sa->size,
				    sa->rate_bps);
			a = udp_cbr_new(n, sa->name, &c);
			build_udp_sink(b, sa, &sinks, ident);
			break;
		}
		case SC_APP_UDP_POISSON: {
			struct udp_poisson_cfg c = { .dst = sa->dst,
			    .dport = sa->dport, .start = sa->start,
			    .mean_interval = sa->interval, .count = sa->count,
			    .size = sa->size, .df = sa->df, .ident = id };

			a = udp_poisson_new(n, sa->name, &c);
			build_udp_sink(b, sa, &sinks, ident);
			break;
		}
		case SC_APP_TCP_BULK:
		case SC_APP_REQUEST_RESPONSE:
			a = build_stream_app(b, sa, n, &tcp_srv);
			break;
		}
		SIM_ASSERT(a != NULL, "unknown app kind %d", (int)sa->kind);
		sc_build_add_app(b, a);
	}
	free(ident);
	free(sinks.v);
	free(tcp_srv.v);
	return 0;
}

const struct sc_section sc_section_apps = {
	.name = "apps", .doc = "traffic", .table = &app_table, .list = true,
	.check = check_apps, .phase = SC_PHASE_APPS, .build = build_apps,
};

/* --- assertions ------------------------------------------------------ */

#define OK SC_LIST("ping-succeeds")
static const struct sc_field assert_fields[] = {
	[AS_KIND] = { "kind", SC_FT_ENUM, SC_AT(struct sc_assert, kind),
		.names = sc_assert_kinds, .name_docs = assert_kind_docs,
		.reg = true, SC_AT2(struct sc_assert, reg),
		SC_AT3(struct sc_assert, args),
		.required = true, .doc = "what is expected (the built-in "
		    "kinds below, and those models register, whose keys "
		    "are their own)" },
	[AS_APP] = { "app", SC_FT_NAME, SC_AT(struct sc_assert, app),
		.required = true,
		.doc = "the application checked (a ping app for ping-*, a "
		    "traceroute app for traceroute-path, tcp_bulk or "
		    "request_response for tcp-goodput and connection-fails, "
		    "request_response for transaction-latency, tcp_bulk for "
		    "transfer-completes)" },
	[AS_AFTER] = { "after", SC_FT_TIME, SC_AT(struct sc_assert, after),
		.def = "0s", .doc = "consider probes sent at or after this "
		    "(tcp-goodput: the window's start)" },
	[AS_BEFORE] = { "before", SC_FT_TIME, SC_AT(struct sc_assert, before),
		.min = 1, .def_doc = "the end of the run",
		.doc = "consider probes sent before this (tcp-goodput: the "
		    "window's end)" },
	[AS_RTT_BELOW] = { "rtt_below", SC_FT_TIME,
		SC_AT(struct sc_assert, rtt_max), .kinds = OK, .min = 1,
		.def_doc = "no bound",
		.doc = "every round-trip time is at most this" },
	[AS_MIN_REPLIES] = { "min_replies", SC_FT_UINT,
		SC_AT(struct sc_assert, min_replies), .kinds = OK,
		.min = 0, .max = 100000000, .def = "1",
		.doc = "at least this many replies in the window" },
	[AS_PATH] = { "path", SC_FT_STRINGS, SC_AT(struct sc_assert, path),
		SC_AT2(struct sc_assert, n_path),
		SC_AT3(struct sc_assert, path_loc),
		.kinds = SC_LIST("traceroute-path"), .required = true,
		.doc = "expected hops, as node names, destination last; \"*\" "
		    "for a hop that does not answer" },
	[AS_MIN_GOODPUT] = { "min_goodput", SC_FT_RATE,
		SC_AT(struct sc_assert, min_goodput),
		.kinds = SC_LIST("tcp-goodput"), .required = true, .min = 1,
		.doc = "least goodput over the window (after and before are "
		    "multiples of 100ms)" },
	[AS_FLOW] = { "flow", SC_FT_UINT, SC_AT(struct sc_assert, flow),
		.kinds = SC_LIST("tcp-goodput"), .min = 1, .max = 64,
		.def_doc = "all the app's flows",
		.doc = "only this flow of the app (1 = its first connection, as "
		    "app/flowN in metrics.csv)" },
	[AS_PERCENTILE] = { "percentile", SC_FT_ENUM,
		SC_AT(struct sc_assert, percentile), .names = sc_percentiles,
		.kinds = SC_LIST("transaction-latency"), .def = "p99",
		.doc = "which latency is bounded (nearest rank over every "
		    "completed transaction)" },
	[AS_BELOW] = { "below", SC_FT_TIME, SC_AT(struct sc_assert, below),
		.kinds = SC_LIST("transaction-latency"), .required = true,
		.min = 1, .doc = "the percentile is at most this" },
	[AS_BY] = { "by", SC_FT_TIME, SC_AT(struct sc_assert, by),
		.kinds = SC_LIST("transfer-completes"), .required = true,
		.min = 1, .doc = "every byte is acknowledged at or before this" },
	[AS_FAILURE] = { "failure", SC_FT_ENUM,
		SC_AT(struct sc_assert, failure), .names = sc_failures,
		.kinds = SC_LIST("connection-fails"), .def_doc = "any",
		.doc = "how the first failed connection must fail" },
};
#undef OK

static const struct sc_table assert_table = {
	"assertion", "What must hold at the end of the run; xcsim run exits "
	"non-zero when one fails.",
	assert_fields, SC_NFIELDS(assert_fields), sizeof(struct sc_assert),
	offsetof(struct sc_assert, loc), offsetof(struct sc_assert, vloc),
	offsetof(struct sc_assert, keys), AS_KIND
};

/*
 * A ping assertion counts the probes sent in [after, before): when the app
 * sends none there (the run or the app stops first, or the window falls
 * between two probes), it can only fail with "0/0 replies". Say so now.
 * Probes go out at start + k * interval, k < count (if count), before the
 * end of the run.
 */
static void
check_window(struct sc_check *ld, const struct sc_assert *as,
    const struct sc_app *ap)
{
	const struct scenario *sc = ld->sc;
	sim_time end = sc->duration, t, iv = ap->interval;
	uint64_t k = 0;
	struct sc_loc at = sc_key_given(as->keys, AS_AFTER) ?
	    as->vloc[AS_AFTER] : sc_key_given(as->keys, AS_BEFORE) ?
	    as->vloc[AS_BEFORE] : as->loc;
	char win[80], t1[32], t2[32];

	if (!key_fine(as->keys, AS_AFTER) || !key_fine(as->keys, AS_BEFORE) ||
	    !key_fine(sc->keys, SC_DURATION) ||
	    !key_fine(ap->keys, AP_START) || !key_fine(ap->keys, AP_INTERVAL) ||
	    !key_fine(ap->keys, AP_COUNT) || iv <= 0 ||
	    as->after >= as->before)
		return;
	if (as->after > ap->start)
		k = (uint64_t)((as->after - ap->start + iv - 1) / iv);
	/* times are at most 100000h, so k * iv stays near after */
	t = ap->start + (sim_time)k * iv;
	units_fmt_time(t1, sizeof(t1), as->after);
	if (as->before == SIM_TIME_MAX)
		snprintf(win, sizeof(win), "[%s, end)", t1);
	else
		snprintf(win, sizeof(win), "[%s, %s)", t1,
		    units_fmt_time(t2, sizeof(t2), as->before));
	if (end != 0 && t > end)
		ld_error(ld, at, "app '%s' sends no probe in the assertion "
		    "window %s: the run ends at %s", q(ld, ap->name), win,
		    units_fmt_time(t2, sizeof(t2), end));
	else if (end != 0 && t == end)
		ld_error(ld, at, "app '%s' has no probe to judge in the "
		    "assertion window %s: its only one there is sent as the run "
		    "ends, at %s, and is still on its way then (end the window "
		    "earlier, or run longer)", q(ld, ap->name), win,
		    units_fmt_time(t2, sizeof(t2), end));
	else if (ap->count != 0 && k >= ap->count)
		ld_error(ld, at, "app '%s' sends no probe in the assertion "
		    "window %s: it sends its last (count %u) at %s",
		    q(ld, ap->name), win, ap->count, units_fmt_time(t2,
		    sizeof(t2), ap->start + (sim_time)(ap->count - 1) * iv));
	else if (t >= as->before)
		ld_error(ld, at, "app '%s' sends no probe in the assertion "
		    "window %s: the first one in it would be sent at %s",
		    q(ld, ap->name), win, units_fmt_time(t2, sizeof(t2), t));
}

/* "ping", "tcp_bulk or request_response": the app kinds in a mask. */
static const char *
want_names(char *buf, size_t len, unsigned want)
{
	size_t off = 0;
	int k;

	buf[0] = '\0';
	for (k = 1; sc_app_kinds[k - 1] != NULL && off < len; k++)
		if (want & 1u << k)
			off += (size_t)snprintf(buf + off, len - off, "%s%s",
			    off ? " or " : "", sc_app_kinds[k - 1]);
	return buf;
}

static void
check_asserts(struct sc_check *ld, struct sc_section_data *d)
{
	struct scenario *sc = ld->sc;
	char t1[32], t2[32];
	size_t i, j, v;

	sc->asserts = d->items;
	sc->n_asserts = d->n;
	for (i = 0; i < sc->n_asserts; i++) {
		struct sc_assert *p = &sc->asserts[i];
		unsigned want = sc_assert_app_kinds(p->kind);
		const struct sc_app *ap = NULL;
		char kinds[80];

		if (p->reg != NULL)
			continue;	/* sc_check_reg_asserts, later */
		if (!sc_key_given(p->keys, AS_BEFORE))
			p->before = SIM_TIME_MAX;
		else if (sc_key_ok(p->keys, AS_BEFORE) &&
		    (!sc_key_given(p->keys, AS_AFTER) ||
		    sc_key_ok(p->keys, AS_AFTER)) && p->after >= p->before)
			ld_error(ld, p->vloc[AS_BEFORE], "the window is empty: "
			    "after (%s) must be earlier than before (%s)",
			    units_fmt_time(t1, sizeof(t1), p->after),
			    units_fmt_time(t2, sizeof(t2), p->before));
		if (p->app == NULL || !sc_names_lookup(ld, "app", p->app,
		    p->vloc[AS_APP], &v) || p->kind == 0 ||
		    sc->apps[v].kind == 0)
			;	/* reported already */
		else if (!(want & 1u << sc->apps[v].kind))
			ld_error(ld, p->vloc[AS_APP], "a %s assertion needs a "
			    "%s app, but '%s' is a %s app",
			    sc_assert_kinds[p->kind - 1], want_names(kinds,
			    sizeof(kinds), want),
			    p->app, sc_app_kinds[sc->apps[v].kind - 1]);
		else if (want == 1u << SC_APP_PING)
			check_window(ld, p, &sc->apps[v]);
		else
			ap = &sc->apps[v];
		if (p->kind != 0)
			sc_check_tcp_assert(ld, p, ap);
		if (p->kind == SC_ASSERT_TRACEROUTE &&
		    sc_key_ok(p->keys, AS_PATH) && p->n_path == 0)
			ld_error(ld, p->vloc[AS_PATH], "'path' is empty: list "
			    "the hops, destination last");
		for (j = 0; j < p->n_path; j++)
			if (p->path[j] != NULL && strcmp(p->path[j], "*") != 0)
				sc_names_lookup(ld, "node", p->path[j],
				    p->path_loc[j], NULL);
	}
}

void
sc_check_reg_asserts(struct sc_check *ld)
{
	struct scenario *sc = ld->sc;
	size_t i;

	for (i = 0; i < sc->n_asserts; i++) {
		struct sc_assert *p = &sc->asserts[i];

		if (p->reg != NULL && p->reg->check != NULL)
			p->reg->check(ld, p, p->args);
	}
}

const struct sc_section sc_section_assertions = {
	.name = "assertions", .doc = "what the run must show",
	.table = &assert_table, .list = true, .check = check_asserts,
};
