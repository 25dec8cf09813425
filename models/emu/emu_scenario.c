/*
 * emu_scenario.c - the `emulation` section: TAP and pcap attachments and
 * BGP speakers on real sockets (emu_scenario.h).
 *
 * Loading resolves each attachment's node:iface, which must be on a link
 * (the device becomes that link's far end) and attached once. A TAP's
 * host_address defaults to the interface's own (the host takes the
 * simulated node's place on the link) and its host_routes to the node's
 * static routes out of that interface. Taps naming the same netns share
 * one namespace. The build needs the real-time kernel (sc_build.rt): it
 * makes the namespaces, opens the devices, and registers their closing
 * with the emulation's cleanup registry, which runs it when the emulation
 * ends, before the outputs are written. The bgp_sockets list is
 * emu_bgp_sockets.c's; this file gives its hosts to the bgp section
 * through the transport provider it registers.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bgp_scenario.h"
#include "emu_bgp_sockets.h"
#include "emu_cleanup.h"
#include "emu_pcap.h"
#include "emu_port.h"
#include "emu_scenario.h"
#include "emu_tap.h"
#include "net.h"
#include "scenario_section.h"
#include "sim.h"
#include "util.h"

enum { HR_PREFIX, HR_VIA, HR_F_MAX };
enum { TP_NODE, TP_IFACE, TP_DEVICE, TP_NETNS, TP_ADDR, TP_ROUTES,
	TP_VNET, TP_QUEUES, TP_F_MAX };
enum { PC_NODE, PC_IFACE, PC_HOST, PC_F_MAX };
enum { EM_TAPS, EM_PCAPS, EM_BGP, EM_F_MAX };

struct em_route {
	uint32_t prefix;
	uint8_t plen;
	uint32_t via;
	struct sc_loc loc;
	struct sc_loc vloc[HR_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(HR_F_MAX)];
};

struct em_tap {
	char *node, *iface, *device, *netns;
	uint32_t addr;
	uint8_t plen;
	struct em_route *routes;
	size_t n_routes;
	bool vnet_hdr;
	uint32_t queues;
	bool ok;
	size_t node_idx, iface_idx;
	struct emu_tap_route *rt;	/* resolved routes (defaults too) */
	size_t n_rt;
	struct sc_loc loc;
	struct sc_loc vloc[TP_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(TP_F_MAX)];
};

struct em_pcap {
	char *node, *iface, *host;
	bool ok;
	size_t node_idx, iface_idx;
	struct sc_loc loc;
	struct sc_loc vloc[PC_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(PC_F_MAX)];
};

struct em {
	struct em_tap *taps;
	size_t n_taps;
	struct em_pcap *pcaps;
	size_t n_pcaps;
	struct emu_bs *bgp;
	size_t n_bgp;
	struct sc_loc loc;
	struct sc_loc vloc[EM_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(EM_F_MAX)];
};

static const struct sc_field route_fields[] = {
	[HR_PREFIX] = { "prefix", SC_FT_PREFIX, SC_AT(struct em_route, prefix),
		SC_AT2(struct em_route, plen), .required = true,
		.doc = "destination on the host, a.b.c.d/len" },
	[HR_VIA] = { "via", SC_FT_ADDR, SC_AT(struct em_route, via),
		.def_doc = "none (directly on the device)",
		.doc = "next hop: the simulated next hop's address" },
};

static const struct sc_table route_table = {
	"emulation-host-route", "A route on the host side of a TAP.",
	route_fields, SC_NFIELDS(route_fields), sizeof(struct em_route),
	offsetof(struct em_route, loc), offsetof(struct em_route, vloc),
	offsetof(struct em_route, keys), -1
};

static const struct sc_field tap_fields[] = {
	[TP_NODE] = { "node", SC_FT_NAME, SC_AT(struct em_tap, node),
		.required = true, .doc = "the simulated node whose place the "
		    "host takes" },
	[TP_IFACE] = { "iface", SC_FT_NAME, SC_AT(struct em_tap, iface),
		.required = true, .doc = "its interface: the TAP becomes that "
		    "interface's end of its link (rate, delay, queue apply)" },
	[TP_DEVICE] = { "device", SC_FT_NAME, SC_AT(struct em_tap, device),
		.required = true, .doc = "the TAP's name on the host, at most "
		    "15 bytes; it vanishes with xcsim" },
	[TP_NETNS] = { "netns", SC_FT_NAME, SC_AT(struct em_tap, netns),
		.def_doc = "xcsim's own namespace",
		.doc = "put the TAP in a new network namespace of this label, "
		    "held by a child process (nsenter -t PID -n), never "
		    "bind-mounted: it vanishes with xcsim; taps with the same "
		    "label share it" },
	[TP_ADDR] = { "host_address", SC_FT_IFADDR, SC_AT(struct em_tap, addr),
		SC_AT2(struct em_tap, plen), .def_doc = "the interface's",
		.doc = "the host's address on the TAP, a.b.c.d/len" },
	[TP_ROUTES] = { "host_routes", SC_FT_LIST,
		SC_AT(struct em_tap, routes), SC_AT2(struct em_tap, n_routes),
		.sub = &route_table,
		.def_doc = "with netns, the node's static routes out of the "
		    "interface; without, none (the connected subnet only)",
		.doc = "routes on the host side; without netns no default "
		    "route (it would take over the host's)" },
	[TP_VNET] = { "vnet_hdr", SC_FT_BOOL, SC_AT(struct em_tap, vnet_hdr),
		.def = "false", .doc = "IFF_VNET_HDR (no offloads; see "
		    "docs/emulation-tap.md for what it changes)" },
	[TP_QUEUES] = { "queues", SC_FT_UINT, SC_AT(struct em_tap, queues),
		.min = 1, .max = EMU_TAP_QUEUES_MAX, .def = "1",
		.doc = "IFF_MULTI_QUEUE descriptors, all read by the one loop" },
};

static const struct sc_table tap_table = {
	"emulation-tap", "A TAP device as the far end of a simulated link.",
	tap_fields, SC_NFIELDS(tap_fields), sizeof(struct em_tap),
	offsetof(struct em_tap, loc), offsetof(struct em_tap, vloc),
	offsetof(struct em_tap, keys), -1
};

static const struct sc_field pcap_fields[] = {
	[PC_NODE] = { "node", SC_FT_NAME, SC_AT(struct em_pcap, node),
		.required = true, .doc = "the simulated node" },
	[PC_IFACE] = { "iface", SC_FT_NAME, SC_AT(struct em_pcap, iface),
		.required = true, .doc = "its interface, on a link" },
	[PC_HOST] = { "host_iface", SC_FT_NAME, SC_AT(struct em_pcap, host),
		.required = true, .doc = "an existing Ethernet interface of "
		    "the host, captured and injected with libpcap" },
};

static const struct sc_table pcap_table = {
	"emulation-pcap", "An existing host interface as the far end of a "
	"simulated link, through libpcap.",
	pcap_fields, SC_NFIELDS(pcap_fields), sizeof(struct em_pcap),
	offsetof(struct em_pcap, loc), offsetof(struct em_pcap, vloc),
	offsetof(struct em_pcap, keys), -1
};

static const struct sc_field em_fields[] = {
	[EM_TAPS] = { "taps", SC_FT_LIST, SC_AT(struct em, taps),
		SC_AT2(struct em, n_taps), .sub = &tap_table,
		.def_doc = "none", .doc = "TAP attachments" },
	[EM_PCAPS] = { "pcap_ifaces", SC_FT_LIST, SC_AT(struct em, pcaps),
		SC_AT2(struct em, n_pcaps), .sub = &pcap_table,
		.def_doc = "none", .doc = "pcap attachments" },
	[EM_BGP] = { "bgp_sockets", SC_FT_LIST, SC_AT(struct em, bgp),
		SC_AT2(struct em, n_bgp), .sub = &emu_bgp_sockets_table,
		.def_doc = "none", .doc = "BGP speakers on real sockets, "
		    "peering with real routers (xcsim run ignores them: the "
		    "speakers stay on the simulated TCP)" },
};

static const struct sc_table em_table = {
	"emulation", "What of the real world xcsim emulate attaches "
	"(docs/emulation-tap.md, docs/emulation-bgp.md); xcsim run refuses a "
	"scenario with taps or pcap_ifaces.",
	em_fields, SC_NFIELDS(em_fields), sizeof(struct em),
	offsetof(struct em, loc), offsetof(struct em, vloc),
	offsetof(struct em, keys), -1
};

/* --- checks ---------------------------------------------------------- */

/* node:iface of an attachment; its link; once only (taken: seen so far). */
static bool
resolve(struct sc_check *ck, const char *node, const char *iface,
    struct sc_loc nloc, struct sc_loc iloc, size_t *ni, size_t *ii)
{
	const struct scenario *sc = sc_check_scenario(ck);
	const struct sc_iface *f;

	if (node == NULL || iface == NULL ||
	    !sc_names_lookup(ck, "node", node, nloc, ni))
		return false;
	if ((f = sc_check_iface(ck, *ni, iface, iloc)) == NULL)
		return false;
	*ii = (size_t)(f - sc->nodes[*ni].ifaces);
	if (f->link == 0) {
		sc_check_error(ck, iloc, "%s:%s is on no link (an attachment is "
		    "the far end of one)", node, iface);
		return false;
	}
	return true;
}

static bool
in_subnet(uint32_t a, uint32_t net, uint8_t plen)
{
	uint32_t m = plen == 0 ? 0 : 0xffffffffu << (32 - plen);

	return plen > 0 && (a & m) == (net & m);
}

/*
 * The host's routes: as written, else the node's out of the interface in
 * a namespace of xcsim's; in xcsim's own namespace (the host's) none but
 * the connected subnet the address brings: the node's default route would
 * take over the host's.
 */
static void
tap_routes(const struct scenario *sc, struct em_tap *t)
{
	const struct sc_node *nd = &sc->nodes[t->node_idx];
	const struct sc_iface *f = &nd->ifaces[t->iface_idx];
	size_t i;

	free(t->rt);
	t->rt = NULL;
	t->n_rt = 0;
	if (sc_key_given(t->keys, TP_ROUTES)) {
		t->rt = xcalloc(t->n_routes + 1, sizeof(*t->rt));
		for (i = 0; i < t->n_routes; i++)
			t->rt[t->n_rt++] = (struct emu_tap_route){
			    t->routes[i].prefix, t->routes[i].plen,
			    t->routes[i].via };
		return;
	}
	if (t->netns == NULL)
		return;
	t->rt = xcalloc(nd->n_routes + 1, sizeof(*t->rt));
	for (i = 0; i < nd->n_routes; i++) {
		const struct sc_route *r = &nd->routes[i];

		if (r->vrf != NULL || !(r->iface != NULL ? strcmp(r->iface,
		    f->name) == 0 : in_subnet(r->via, f->addr, f->plen)))
			continue;
		t->rt[t->n_rt++] = (struct emu_tap_route){ r->prefix, r->plen,
		    r->via };
	}
}

/*
 * A port carries the interface's frames as they are on the wire: a host
 * would have to tag and untag them, and the port refuses anything longer
 * than an untagged frame. True (an error) if the interface has tags.
 */
static bool
untagged(struct sc_check *ck, size_t ni, size_t ii, const char *node,
    const char *iface, struct sc_loc loc)
{
	const struct sc_iface *f =
	    &sc_check_scenario(ck)->nodes[ni].ifaces[ii];

	if (f->vlan == 0 && f->svlan == 0)
		return false;
	sc_check_error(ck, loc, "%s:%s is VLAN-tagged: an attachment takes an "
	    "untagged interface only (its frames reach the host as they are "
	    "on the link)", node, iface);
	return true;
}

/* A default route in the host's own namespace would take it over. */
static bool
host_routes_ok(struct sc_check *ck, const struct em_tap *t)
{
	bool ok = true;
	size_t i;

	if (t->netns != NULL)
		return true;
	for (i = 0; i < t->n_routes; i++)
		if (t->routes[i].plen == 0) {
			sc_check_error(ck, t->routes[i].vloc[HR_PREFIX],
			    "a default route on a TAP without netns would "
			    "replace the host's own default route (and cut "
			    "its other traffic): give the tap a netns, or "
			    "route only the simulated prefixes");
			ok = false;
		}
	return ok;
}

static void
check_em(struct sc_check *ck, struct sc_section_data *d)
{
	const struct scenario *sc = sc_check_scenario(ck);
	struct em *e = d->items;
	size_t i, j;

	if (e == NULL)
		return;
	emu_bgp_sockets_check(ck, e->bgp, e->n_bgp);
	for (i = 0; i < e->n_taps; i++) {
		struct em_tap *t = &e->taps[i];

		if (!resolve(ck, t->node, t->iface, t->vloc[TP_NODE],
		    t->vloc[TP_IFACE], &t->node_idx, &t->iface_idx))
			continue;
		if (t->device == NULL)
			continue;	/* the loader said it is missing */
		if (strlen(t->device) > 15) {
			sc_check_error(ck, t->vloc[TP_DEVICE], "a device name "
			    "has at most 15 bytes");
			continue;
		}
		if (untagged(ck, t->node_idx, t->iface_idx, t->node, t->iface,
		    t->vloc[TP_IFACE]) || !host_routes_ok(ck, t))
			continue;
		if (!sc_key_given(t->keys, TP_ADDR)) {
			const struct sc_iface *f =
			    &sc->nodes[t->node_idx].ifaces[t->iface_idx];

			t->addr = f->addr;
			t->plen = f->plen;
		}
		tap_routes(sc, t);
		t->ok = true;
		for (j = 0; j < i; j++) {
			if (!e->taps[j].ok)
				continue;
			if (strcmp(e->taps[j].device, t->device) == 0)
				sc_check_error(ck, t->vloc[TP_DEVICE],
				    "device '%s' is already a tap",
				    sc_check_quote(ck, t->device));
			if (e->taps[j].node_idx == t->node_idx &&
			    e->taps[j].iface_idx == t->iface_idx)
				sc_check_error(ck, t->vloc[TP_IFACE], "%s:%s "
				    "is attached twice", t->node, t->iface);
		}
	}
	for (i = 0; i < e->n_pcaps; i++) {
		struct em_pcap *p = &e->pcaps[i];

		if (!resolve(ck, p->node, p->iface, p->vloc[PC_NODE],
		    p->vloc[PC_IFACE], &p->node_idx, &p->iface_idx) ||
		    untagged(ck, p->node_idx, p->iface_idx, p->node, p->iface,
		    p->vloc[PC_IFACE]))
			continue;
		p->ok = true;
		for (j = 0; j < e->n_taps + i; j++) {
			size_t ni = j < e->n_taps ? e->taps[j].node_idx :
			    e->pcaps[j - e->n_taps].node_idx;
			size_t ii = j < e->n_taps ? e->taps[j].iface_idx :
			    e->pcaps[j - e->n_taps].iface_idx;
			bool ok = j < e->n_taps ? e->taps[j].ok :
			    e->pcaps[j - e->n_taps].ok;

			if (ok && ni == p->node_idx && ii == p->iface_idx) {
				sc_check_error(ck, p->vloc[PC_IFACE], "%s:%s "
				    "is attached twice", p->node, p->iface);
				break;
			}
		}
	}
}

static void
free_em(void *items, size_t n)
{
	struct em *e = items;
	size_t i;

	if (e == NULL || n == 0)
		return;
	for (i = 0; i < e->n_taps; i++)
		free(e->taps[i].rt);
}

/* --- the run --------------------------------------------------------- */

struct em_ns {
	const char *label;
	pid_t pid;
	int fd;
};

struct em_run {
	const struct em *e;
	struct emu_cleanup *cleanup;
	unsigned cu_id;		/* closing all, in the registry; 0: none */
	bool closed;
	struct emu_tap **taps;
	struct emu_pcap **pcaps;
	struct em_ns *ns;
	size_t n_ns;
	struct emu_bs_run *bgp;	/* NULL: no bgp_sockets */
	/* the counters at closing, for metrics.json */
	struct emu_port_stats *tap_st, *pcap_st;
};

static void
close_all(void *ctx)
{
	struct em_run *r = ctx;
	size_t i;

	if (r->closed)
		return;
	r->closed = true;
	for (i = 0; i < r->e->n_taps; i++)
		if (r->taps[i] != NULL) {
			r->tap_st[i] = *emu_port_stats(emu_tap_port(r->taps[i]));
			emu_tap_close(r->taps[i]);
			r->taps[i] = NULL;
		}
	for (i = 0; i < r->e->n_pcaps; i++)
		if (r->pcaps[i] != NULL) {
			r->pcap_st[i] = *emu_port_stats(emu_pcap_port(
			    r->pcaps[i]));
			emu_pcap_close(r->pcaps[i]);
			r->pcaps[i] = NULL;
		}
	for (i = 0; i < r->n_ns; i++)
		if (r->ns[i].fd >= 0) {
			close(r->ns[i].fd);
			r->ns[i].fd = -1;
		}
}

static void
run_free(void *state)
{
	struct em_run *r = state;

	close_all(r);
	if (r->cu_id != 0)
		emu_cleanup_release(r->cleanup, r->cu_id, false);
	emu_bgp_sockets_free(r->bgp);
	free(r->taps);
	free(r->pcaps);
	free(r->ns);
	free(r->tap_st);
	free(r->pcap_st);
	free(r);
}

/* The namespace of label, made on first use. -1 with b->err. */
static int
netns_of(struct sc_build *b, struct em_run *r, const char *label, int *fd,
    pid_t *pid)
{
	char what[96];
	size_t i;

	for (i = 0; i < r->n_ns; i++)
		if (strcmp(r->ns[i].label, label) == 0) {
			*fd = r->ns[i].fd;
			*pid = r->ns[i].pid;
			return 0;
		}
	snprintf(what, sizeof(what), "network namespace %s", label);
	r->ns[r->n_ns].label = label;
	r->ns[r->n_ns].fd = -1;
	if (emu_netns_new(b->cleanup, what, &r->ns[r->n_ns].pid,
	    &r->ns[r->n_ns].fd, b->err, b->errlen) < 0)
		return -1;
	*fd = r->ns[r->n_ns].fd;
	*pid = r->ns[r->n_ns].pid;
	r->n_ns++;
	return 0;
}

static int
build_em(struct sc_build *b, const void *items, size_t n)
{
	const struct em *e = items;
	struct em_run *r;
	size_t i;

	if (n == 0 || e == NULL || e->n_taps + e->n_pcaps + e->n_bgp == 0)
		return 0;
	if (e->n_taps + e->n_pcaps > 0 && (b->rt == NULL || b->cleanup == NULL))
		return sim_err(b->err, b->errlen, "the scenario attaches real "
		    "devices (emulation: %zu tap%s, %zu pcap interface%s): "
		    "run it with xcsim emulate, not xcsim run", e->n_taps,
		    e->n_taps == 1 ? "" : "s", e->n_pcaps,
		    e->n_pcaps == 1 ? "" : "s");
	/* offline the speakers keep the simulated TCP (their real peers are
	 * absent): the same file runs with xcsim run and xcsim emulate */
	if (b->rt == NULL)
		return 0;
	r = xcalloc(1, sizeof(*r));
	r->e = e;
	r->cleanup = b->cleanup;
	r->taps = xcalloc(e->n_taps + 1, sizeof(*r->taps));
	r->pcaps = xcalloc(e->n_pcaps + 1, sizeof(*r->pcaps));
	r->ns = xcalloc(e->n_taps + 1, sizeof(*r->ns));
	r->tap_st = xcalloc(e->n_taps + 1, sizeof(*r->tap_st));
	r->pcap_st = xcalloc(e->n_pcaps + 1, sizeof(*r->pcap_st));
	if (sc_build_set_state(b, r) < 0) {
		run_free(r);
		return -1;
	}
	/* first: the bind checks say what is wrong before any device exists */
	if (e->n_bgp > 0 && (r->bgp = emu_bgp_sockets_build(b, e->bgp,
	    e->n_bgp)) == NULL)
		return -1;
	if (e->n_taps + e->n_pcaps == 0)
		return 0;
	r->cu_id = emu_cleanup_add(b->cleanup, close_all, r,
	    "emulation attachments");
	for (i = 0; i < e->n_taps; i++) {
		const struct em_tap *t = &e->taps[i];
		struct emu_tap_cfg cfg = { .device = t->device, .netns_fd = -1,
		    .addr = t->addr, .plen = t->plen, .routes = t->rt,
		    .n_routes = t->n_rt, .vnet_hdr = t->vnet_hdr,
		    .queues = t->queues };
		pid_t pid = 0;

		if (t->netns != NULL && netns_of(b, r, t->netns,
		    &cfg.netns_fd, &pid) < 0)
			return -1;
		r->taps[i] = emu_tap_open(b->rt, sc_build_node(b, t->node_idx),
		    (uint32_t)t->iface_idx, &cfg, b->err, b->errlen);
		if (r->taps[i] == NULL)
			return -1;
		if (t->netns != NULL)
			fprintf(stderr, "xcsim: TAP %s is %s:%s's link end, in "
			    "network namespace %s held by pid %d (nsenter -t "
			    "%d -n ...)\n", t->device, t->node, t->iface,
			    t->netns, (int)pid, (int)pid);
		else
			fprintf(stderr, "xcsim: TAP %s is %s:%s's link end\n",
			    t->device, t->node, t->iface);
	}
	for (i = 0; i < e->n_pcaps; i++) {
		const struct em_pcap *p = &e->pcaps[i];

		r->pcaps[i] = emu_pcap_open(b->rt, sc_build_node(b,
		    p->node_idx), (uint32_t)p->iface_idx, p->host, b->err,
		    b->errlen);
		if (r->pcaps[i] == NULL)
			return -1;
		fprintf(stderr, "xcsim: host interface %s is %s:%s's link end "
		    "(pcap)\n", p->host, p->node, p->iface);
	}
	return 0;
}

static void
write_metrics(const void *state, FILE *f)
{
	const struct em_run *r = state;
	size_t i;

	fputs("\"emulation_attachments\": [", f);
	for (i = 0; i < r->e->n_taps; i++) {
		const struct em_tap *t = &r->e->taps[i];
		struct emu_port_stats st = r->taps[i] != NULL ?
		    *emu_port_stats(emu_tap_port(r->taps[i])) : r->tap_st[i];

		fprintf(f, "%s\n    {\"kind\":\"tap\",\"device\":",
		    i ? "," : "");
		scenario_json_str(f, t->device);
		fprintf(f, ",\"node\":");
		scenario_json_str(f, t->node);
		fprintf(f, ",\"iface\":");
		scenario_json_str(f, t->iface);
		fputc(',', f);
		emu_port_stats_json(&st, f);
		fputc('}', f);
	}
	for (i = 0; i < r->e->n_pcaps; i++) {
		const struct em_pcap *p = &r->e->pcaps[i];
		struct emu_port_stats st = r->pcaps[i] != NULL ?
		    *emu_port_stats(emu_pcap_port(r->pcaps[i])) :
		    r->pcap_st[i];

		fprintf(f, "%s\n    {\"kind\":\"pcap\",\"host_iface\":",
		    i + r->e->n_taps ? "," : "");
		scenario_json_str(f, p->host);
		fprintf(f, ",\"node\":");
		scenario_json_str(f, p->node);
		fprintf(f, ",\"iface\":");
		scenario_json_str(f, p->iface);
		fputc(',', f);
		emu_port_stats_json(&st, f);
		fputc('}', f);
	}
	emu_bgp_sockets_json(r->bgp, r->e->bgp, r->e->n_taps +
	    r->e->n_pcaps == 0, f);
	fputs("\n  ]", f);
}

/* The bgp section's transport provider: the node's socket host, if any. */
static struct stream_host *
bgp_host(const struct sc_build *b, const struct node *n)
{
	const struct em_run *r = sc_build_state(b, "emulation");

	return r != NULL ? emu_bgp_sockets_host(r->bgp, n) : NULL;
}

static const struct bgp_sc_provider em_transport = {
	.name = "emulation bgp_sockets", .host = bgp_host,
	.section = "emulation",
};

static const struct sc_section em_section = {
	.name = "emulation",
	.doc = "what xcsim emulate attaches: TAPs, host interfaces through "
	    "pcap, BGP speakers on real sockets",
	.table = &em_table, .list = false, .check = check_em,
	.phase = SC_PHASE_NET, .build = build_em, .free = free_em,
	.state_free = run_free, .metrics_json = write_metrics,
};

int
emu_scenario_register(void)
{
	if (scenario_register_section(&em_section) < 0)
		return -1;
	if (bgp_sc_register_provider(&em_transport) < 0) {
		scenario_unregister_section(&em_section);
		return -1;
	}
	/* the top-level section it was until the emulation section took it */
	scenario_register_moved_key("bgp_sockets", "it moved into the "
	    "emulation section: emulation: { bgp_sockets: [...] }, "
	    "docs/emulation-bgp.md");
	return 0;
}
