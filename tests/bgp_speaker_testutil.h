/*
 * bgp_speaker_testutil.h - what the speaker tests share: small nets of
 * nodes joined by /30 links with exact parameters (1 Gbps, a given delay),
 * a speaker per node, and a watch on a node's RIB that records every
 * change of one prefix with its time and next hop.
 */
#ifndef XCSIM_BGP_SPEAKER_TESTUTIL_H
#define XCSIM_BGP_SPEAKER_TESTUTIL_H

#include <string.h>

#include "bfd.h"
#include "bgp_policy.h"
#include "bgp_rib.h"
#include "bgp_speaker.h"
#include "net.h"
#include "pkt.h"
#include "rib.h"
#include "sim.h"
#include "stream.h"
#include "tcp.h"
#include "testutil.h"
#include "util.h"
#include "wire.h"

#define BS_MAX_NODES 4
#define BS_MAX_LINKS 4
#define BS_MAX_EV 64

struct bs_net {
	struct sim *sim;
	struct net *net;
	struct bfd *bfd;
	struct node *n[BS_MAX_NODES];
	struct link *l[BS_MAX_LINKS];
	struct bgp_speaker *sp[BS_MAX_NODES];
	int nn, nl;
};

static inline uint32_t
bs_ip(const char *s)
{
	uint32_t a = 0;

	CU_ASSERT_EQUAL_FATAL(wire_ip_parse(s, &a), 0);
	return a;
}

static inline void
bs_init(struct bs_net *b, int nodes)
{
	char name[16];
	int i;

	memset(b, 0, sizeof(*b));
	b->sim = sim_new(1);
	b->net = net_new(b->sim);
	b->bfd = bfd_new(b->net);
	b->nn = nodes;
	for (i = 0; i < nodes; i++) {
		snprintf(name, sizeof(name), "r%d", i);
		b->n[i] = net_add_node(b->net, name, "router", NULL, NULL);
		node_set_forwarding(b->n[i], true);
	}
}

/* A /30 link between nodes i and j: i is base+1, j base+2. */
static inline void
bs_link(struct bs_net *b, int i, int j, const char *base, sim_time delay)
{
	struct link_params p;
	char ni[16], nj[16], ln[16];
	uint32_t a = bs_ip(base), ia, ib;

	memset(&p, 0, sizeof(p));
	p.dir[0].rate_bps = p.dir[1].rate_bps = 1000000000ull;
	p.dir[0].delay = p.dir[1].delay = delay;
	p.qlimit_pkts = 1000;
	p.mtu = 1500;
	snprintf(ni, sizeof(ni), "e%d", b->nl);
	snprintf(nj, sizeof(nj), "e%d", b->nl);
	snprintf(ln, sizeof(ln), "l%d", b->nl);
	ia = node_add_iface(b->n[i], ni, NULL, a + 1, 30, 0);
	ib = node_add_iface(b->n[j], nj, NULL, a + 2, 30, 0);
	b->l[b->nl++] = net_add_link(b->net, ln, b->n[i], ia, b->n[j], ib,
	    &p);
}

static inline struct bgp_speaker *
bs_speaker(struct bs_net *b, int i, uint32_t asn, const char *id,
    sim_time ebgp_mrai)
{
	struct bgp_speaker_cfg c;
	char err[128] = "";

	bgp_speaker_cfg_init(&c, asn, bs_ip(id));
	c.ebgp_mrai = ebgp_mrai;
	c.bfd = b->bfd;
	b->sp[i] = bgp_speaker_new(b->n[i], &c, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(b->sp[i]);
	return b->sp[i];
}

static inline void
bs_neighbor(struct bs_net *b, int i, const char *addr, uint32_t as,
    const struct bgp_fsm_cfg *fsm, bool passive)
{
	struct bgp_neighbor_cfg nc;
	char err[128] = "";

	bgp_neighbor_cfg_init(&nc, bs_ip(addr), as);
	nc.fsm = fsm;
	nc.passive = passive;
	CU_ASSERT_EQUAL_FATAL(bgp_speaker_add_neighbor(b->sp[i], &nc, err,
	    sizeof(err)), 0);
}

static inline void
bs_start(struct bs_net *b)
{
	char err[128] = "";
	int i;

	for (i = 0; i < b->nn; i++)
		if (b->sp[i] != NULL)
			CU_ASSERT_EQUAL_FATAL(bgp_speaker_start(b->sp[i], err,
			    sizeof(err)), 0);
}

static inline void
bs_free(struct bs_net *b)
{
	int i;

	for (i = 0; i < b->nn; i++)
		bgp_speaker_free(b->sp[i]);
	bfd_free(b->bfd);
	tcp_stacks_free(b->net);
	net_free(b->net);
	CU_ASSERT_EQUAL(pkt_live(b->sim), 0);
	sim_free(b->sim);
}

/* The FIB's first next hop for addr on node i (0: none; on-link: 1). */
static inline uint32_t
bs_via(struct bs_net *b, int i, const char *addr)
{
	const struct rib_nhg *g = rib_lookup(node_rib(b->n[i], 0),
	    bs_ip(addr));

	if (g == NULL || g->n == 0)
		return 0;
	return g->nh[0].via != 0 ? g->nh[0].via : 1;
}

/* Every change of one prefix in a node's RIB: time, kind, first via. */
struct bs_watch {
	struct sim *sim;
	uint32_t prefix;
	uint8_t len;
	int n;
	sim_time t[BS_MAX_EV];
	int kind[BS_MAX_EV];
	uint32_t via[BS_MAX_EV];
};

static inline void
bs_watch_fn(struct rib *r, const struct rib_change *c, void *ctx)
{
	struct bs_watch *w = ctx;

	(void)r;
	if (c->prefix != w->prefix || c->len != w->len || w->n >= BS_MAX_EV)
		return;
	w->t[w->n] = sim_now(w->sim);
	w->kind[w->n] = c->kind;
	w->via[w->n] = c->nhg != NULL && c->nhg->n > 0 ? c->nhg->nh[0].via :
	    0;
	w->n++;
}

static inline void
bs_watch(struct bs_net *b, int i, struct bs_watch *w, const char *prefix,
    uint8_t len)
{
	memset(w, 0, sizeof(*w));
	w->sim = b->sim;
	w->prefix = bs_ip(prefix);
	w->len = len;
	rib_add_listener(node_rib(b->n[i], 0), bs_watch_fn, w);
}

static inline void
bs_unwatch(struct bs_net *b, int i, struct bs_watch *w)
{
	rib_remove_listener(node_rib(b->n[i], 0), bs_watch_fn, w);
}

/* The AS path of the best route of prefix in speaker i's Loc-RIB. */
static inline const char *
bs_path(struct bs_net *b, int i, const char *prefix, uint8_t len, char *buf,
    size_t n)
{
	struct bgp_route r;
	struct bgp_attrs_var v;

	if (!bgp_rib_best(bgp_speaker_rib(b->sp[i]), bs_ip(prefix), len, &r))
		return "none";
	bgp_attrs_var(r.a, &v);
	return bgp_path_str(v.path, v.path_len, buf, n);
}

#endif
