/*
 * query_bgp.c - a BGP speaker of a run asked as a router answers "show ip
 * bgp", "show ip bgp summary" and "show ip arp" (query.h): its best
 * routes with their next hop, LOCAL_PREF, weight and AS path; its
 * neighbours with their message counters, up/down time and state or
 * prefixes received; the addresses and MACs of its directly connected
 * neighbours. The speaker is found through the bgp section's run state;
 * everything is read, nothing in the run changes.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "bgp_rib.h"
#include "bgp_scenario.h"
#include "bgp_speaker.h"
#include "net.h"
#include "query.h"
#include "scenario.h"
#include "scenario_run.h"
#include "sim.h"
#include "units.h"
#include "util.h"
#include "wire.h"

#define NS_PER_S 1000000000LL

char *
query_bgp_updown(int64_t ns, char *buf, size_t len)
{
	int64_t s = ns > 0 ? ns / NS_PER_S : 0;
	int64_t d = s / 86400, h = s % 86400 / 3600;

	if (d == 0)
		snprintf(buf, len, "%02" PRId64 ":%02" PRId64 ":%02" PRId64,
		    h, s % 3600 / 60, s % 60);
	else if (d < 7)
		snprintf(buf, len, "%" PRId64 "d%02" PRId64 "h", d, h);
	else if (d < 365)
		snprintf(buf, len, "%" PRId64 "w%" PRId64 "d", d / 7, d % 7);
	else
		snprintf(buf, len, "%" PRId64 "y%" PRId64 "w", d / 365,
		    d % 365 / 7);
	return buf;
}

static struct sim *
sp_sim(const struct bgp_speaker *sp)
{
	return net_sim(node_net(bgp_speaker_node(sp)));
}

/* ---- the table ---- */

struct twalk {
	FILE *out;
	bool json;
	uint32_t def_lp;	/* the decision's LOCAL_PREF where none */
	size_t n;
};

static const char origin_code[3] = { 'i', 'e', '?' };

static void
on_best(const struct bgp_change *c, void *ctx)
{
	struct twalk *w = ctx;
	char net[24], a[16], nh[16], path[512], full[520];
	unsigned i;

	snprintf(net, sizeof(net), "%s/%u", wire_ip_str(c->prefix, a), c->len);
	for (i = 0; i < c->n_paths; i++) {
		const struct bgp_attrs *at = c->paths[i].a;
		uint32_t lp = (at->has & BGP_HAS(BGP_ATTR_LOCAL_PREF)) ?
		    at->local_pref : w->def_lp;
		char oc = origin_code[at->origin < 3 ? at->origin : 2];

		wire_ip_str(c->paths[i].peer == BGP_PEER_LOCAL ? 0 :
		    at->next_hop, nh);
		bgp_path_str(at->v, at->path_len, path, sizeof(path));
		snprintf(full, sizeof(full), "%s%s%c", path,
		    path[0] != '\0' ? " " : "", oc);
		if (w->json) {
			fprintf(w->out, "%s{\"network\": \"%s\", \"next_hop\": "
			    "\"%s\", \"local_pref\": %u, \"weight\": 0, "
			    "\"path\": \"%s\", \"best\": %s}", w->n ? ", " : "",
			    net, nh, lp, full, i == 0 ? "true" : "false");
		} else {
			fprintf(w->out, "%-18s %-15s %6u %6u  %s\n", net, nh, lp,
			    0u, full);
		}
		w->n++;
	}
}

size_t
query_bgp_table(FILE *out, struct bgp_speaker *sp, bool json)
{
	struct bgp_rib *br = bgp_speaker_rib(sp);
	struct twalk w = { out, json,
	    bgp_rib_config(br)->decide.default_local_pref, 0 };

	if (json)
		fputc('[', out);
	else
		fprintf(out, "%-18s %-15s %6s %6s  %s\n", "Network", "NextHop",
		    "LocPrf", "Weight", "Path");
	bgp_rib_walk(br, on_best, &w);
	if (json)
		fputc(']', out);
	else if (w.n == 0)
		fputs("(no routes)\n", out);
	return w.n;
}

/* ---- the summary ---- */

static int
addr_cmp(const void *a, const void *b)
{
	const struct bgp_neighbor_cfg *x = *(const struct bgp_neighbor_cfg *
	    const *)a, *y = *(const struct bgp_neighbor_cfg *const *)b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* The neighbours sorted by address (free the array). */
static const struct bgp_neighbor_cfg **
sorted_neighbors(const struct bgp_speaker *sp, size_t *n)
{
	const struct bgp_neighbor_cfg **v;
	size_t i;

	*n = bgp_speaker_n_neighbors(sp);
	v = xmalloc((*n ? *n : 1) * sizeof(*v));
	for (i = 0; i < *n; i++)
		v[i] = bgp_speaker_neighbor(sp, i);
	qsort(v, *n, sizeof(*v), addr_cmp);
	return v;
}

static void
json_types(FILE *out, const char *key, const uint64_t *m)
{
	fprintf(out, ", \"%s\": {\"open\": %" PRIu64 ", \"update\": %" PRIu64
	    ", \"notification\": %" PRIu64 ", \"keepalive\": %" PRIu64
	    ", \"route_refresh\": %" PRIu64 "}", key, m[BGP_OPEN],
	    m[BGP_UPDATE], m[BGP_NOTIFICATION], m[BGP_KEEPALIVE],
	    m[BGP_ROUTE_REFRESH]);
}

size_t
query_bgp_summary(FILE *out, struct bgp_speaker *sp, bool json)
{
	const struct bgp_neighbor_cfg **v;
	sim_time now = sim_now(sp_sim(sp));
	size_t n, i, rows = 0;

	v = sorted_neighbors(sp, &n);
	if (json)
		fputc('[', out);
	else
		fprintf(out, "%-15s %s %10s %7s %7s %8s  %s\n", "Neighbor", "V",
		    "AS", "MsgRcvd", "MsgSent", "Up/Down", "State/PfxRcd");
	for (i = 0; i < n; i++) {
		struct bgp_peer_stats st;
		enum bgp_fsm_state state;
		sim_time since = -1;
		char a[16], ud[24], spr[24];
		bool up;

		if (bgp_speaker_peer_stats(sp, v[i]->addr, &st) < 0)
			continue;
		state = bgp_speaker_peer_state(sp, v[i]->addr);
		up = state == BGP_ST_ESTABLISHED;
		if (up)
			since = now - st.last_established;
		else if (st.last_down >= 0)
			since = now - st.last_down;
		if (since >= 0)
			query_bgp_updown(since, ud, sizeof(ud));
		else
			snprintf(ud, sizeof(ud), "never");
		if (up)
			snprintf(spr, sizeof(spr), "%zu",
			    bgp_speaker_peer_in(sp, v[i]->addr));
		else
			snprintf(spr, sizeof(spr), "%s",
			    bgp_fsm_state_name[state]);
		wire_ip_str(v[i]->addr, a);
		if (!json) {
			fprintf(out, "%-15s %s %10u %7" PRIu64 " %7" PRIu64
			    " %8s  %s\n", a, "4", v[i]->remote_as, st.msgs_in,
			    st.msgs_out, ud, spr);
			rows++;
			continue;
		}
		fprintf(out, "%s{\"neighbor\": \"%s\", \"version\": 4, "
		    "\"as\": %u, \"msg_rcvd\": %" PRIu64 ", \"msg_sent\": %"
		    PRIu64 ", \"up_down\": \"%s\", \"up_down_ns\": ",
		    rows++ ? ", " : "", a, v[i]->remote_as, st.msgs_in, st.msgs_out,
		    ud);
		if (since >= 0)
			fprintf(out, "%" PRId64, (int64_t)since);
		else
			fputs("null", out);
		fprintf(out, ", \"state\": \"%s\", \"prefixes_received\": ",
		    bgp_fsm_state_name[state]);
		if (up)
			fputs(spr, out);
		else
			fputs("null", out);
		fprintf(out, ", \"state_pfx_rcd\": \"%s\"", spr);
		json_types(out, "received", st.msg_in);
		json_types(out, "sent", st.msg_out);
		fputc('}', out);
	}
	if (json)
		fputc(']', out);
	else if (rows == 0)
		fputs("(no neighbours)\n", out);
	free(v);
	return rows;
}

/* ---- the ARP table ---- */

static char *
mac_dotted(const uint8_t m[6], char buf[15])
{
	snprintf(buf, 15, "%02x%02x.%02x%02x.%02x%02x", m[0], m[1], m[2], m[3],
	    m[4], m[5]);
	return buf;
}

static void
arp_row(FILE *out, bool json, size_t *n, const char *ifname, uint32_t addr,
    const uint8_t mac[6], bool local)
{
	char a[16], m[15];

	wire_ip_str(addr, a);
	mac_dotted(mac, m);
	if (json) {
		fprintf(out, "%s{\"age\": 0, \"interface\": ", *n ? ", " : "");
		scenario_json_str(out, ifname);
		fprintf(out, ", \"ip_address\": \"%s\", \"mac_address\": "
		    "\"%s\", \"local\": %s}", a, m, local ? "true" : "false");
	} else {
		fprintf(out, "%3d  %-16s %-15s  %s\n", 0, ifname, a, m);
	}
	(*n)++;
}

size_t
query_bgp_arp(FILE *out, struct bgp_speaker *sp, bool json)
{
	const struct node *node = bgp_speaker_node(sp);
	uint32_t vrf = bgp_speaker_config(sp)->vrf;
	const struct bgp_neighbor_cfg **v;
	size_t n_nb, rows = 0, i, k;

	v = sorted_neighbors(sp, &n_nb);
	if (json)
		fputc('[', out);
	else
		fprintf(out, "%3s  %-16s %-15s  %s\n", "Age", "Interface",
		    "IP address", "MAC address");
	for (i = 0; i < node_n_ifaces(node); i++) {
		uint32_t ifi = (uint32_t)i, addr = node_iface_addr(node, ifi);
		uint8_t plen = node_iface_plen(node, ifi);
		uint32_t mask = plen ? 0xffffffffu << (32 - plen) : 0;
		const struct node *peer;
		struct link *l;
		uint8_t dir, mac[6];
		uint32_t pif;
		bool any = false;

		if (plen == 0 || node_iface_vrf(node, ifi) != vrf ||
		    (l = node_iface_link(node, ifi, &dir)) == NULL)
			continue;
		peer = link_dst(l, dir, &pif);
		for (k = 0; k < n_nb; k++) {
			if (((v[k]->addr ^ addr) & mask) != 0 ||
			    v[k]->addr == addr)
				continue;
			/* what frames to it carry: the far end's MAC */
			node_iface_mac(peer, pif, mac);
			arp_row(out, json, &rows, node_iface_name(node, ifi),
			    v[k]->addr, mac, false);
			any = true;
		}
		if (any) {
			node_iface_mac(node, ifi, mac);
			arp_row(out, json, &rows, node_iface_name(node, ifi),
			    addr, mac, true);
		}
	}
	if (json)
		fputc(']', out);
	else if (rows == 0)
		fputs("(no directly connected neighbour)\n", out);
	free(v);
	return rows;
}

/* ---- all of it ---- */

struct bgp_speaker *
query_bgp_speaker(struct run *r, const struct query_table *t, char *err,
    size_t errlen)
{
	void *state = run_section_state(r, "bgp");
	struct bgp_speaker *sp = bgp_scenario_speaker(state, t->node, t->vrf);

	if (sp != NULL)
		return sp;
	sp = bgp_scenario_speaker(state, t->node, UINT32_MAX);
	if (sp != NULL)
		snprintf(err, errlen, "%s runs no BGP (node %s runs it in VRF "
		    "%s)", t->label, node_name(t->node), node_vrf_name(t->node,
		    bgp_speaker_config(sp)->vrf));
	else
		snprintf(err, errlen, "%s runs no BGP", t->label);
	return NULL;
}

int
query_bgp(FILE *out, struct run *r, const struct query_table *t,
    unsigned what, bool json, char *err, size_t errlen)
{
	struct bgp_speaker *sp = query_bgp_speaker(r, t, err, errlen);
	const struct bgp_speaker_cfg *c;
	char id[16], at[24];

	if (sp == NULL)
		return -1;
	c = bgp_speaker_config(sp);
	wire_ip_str(c->router_id, id);
	if (json) {
		fputs("{\"table\": ", out);
		scenario_json_str(out, t->label);
		fprintf(out, ", \"at_ns\": %" PRId64 ", \"local_as\": %u, "
		    "\"router_id\": \"%s\"", (int64_t)sim_now(sp_sim(sp)),
		    c->asn, id);
	} else {
		units_fmt_time(at, sizeof(at), sim_now(sp_sim(sp)));
		fprintf(out, "BGP of %s at %s: local AS %u, router id %s\n",
		    t->label, at, c->asn, id);
	}
	if (what & QUERY_BGP_TABLE) {
		fputs(json ? ", \"routes\": " : "\nRoute table\n", out);
		query_bgp_table(out, sp, json);
	}
	if (what & QUERY_BGP_SUMMARY) {
		fputs(json ? ", \"summary\": " : "\nRoute summary\n", out);
		query_bgp_summary(out, sp, json);
	}
	if (what & QUERY_BGP_ARP) {
		fputs(json ? ", \"arp\": " : "\nARP table (no ARP in the "
		    "simulation: age 0, a neighbour's MAC is the far end's of "
		    "the link)\n", out);
		query_bgp_arp(out, sp, json);
	}
	if (json)
		fputs("}\n", out);
	return 0;
}
