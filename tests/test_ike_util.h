/*
 * test_ike_util.h - two nodes a (10.0.0.1) and b (10.0.0.2) on one
 * 1 Gbit/s link with 1 ms of delay, an IKE host on each, one SA each way
 * between them, and logs: every callback each side hears, with its time,
 * and every IKE datagram each node sends (an egress filter), with its UDP
 * payload length and the exchange type / response flag of its header.
 *
 * An IKE message of L bytes is a frame of 42 + L bytes (Ethernet 14, IPv4
 * 20, UDP 8): 8 (42 + L) ns on the wire, so one way takes IT_ONE_WAY(L) =
 * 1 ms + 8 (42 + L) ns.
 */
#ifndef XCSIM_TEST_IKE_UTIL_H
#define XCSIM_TEST_IKE_UTIL_H

#include <string.h>

#include "ike.h"
#include "ike_msg.h"
#include "net.h"
#include "pkt.h"
#include "sim.h"
#include "testutil.h"
#include "util.h"
#include "wire.h"

#define IT_ADDR(i) ((10u << 24) | (uint32_t)((i) + 1))
#define IT_ONE_WAY(l) (SIM_MS(1) + 8 * (42 + (sim_time)(l)))
#define IT_LOG_MAX 64
#define IT_TX_MAX 256

enum it_ev { IT_UP, IT_DOWN, IT_STATE };

struct it_log {
	struct sim *sim;
	int n;
	sim_time at[IT_LOG_MAX];
	enum it_ev ev[IT_LOG_MAX];
	struct ipsec_child c[IT_LOG_MAX];	/* IT_UP */
	uint32_t spi_in[IT_LOG_MAX], spi_out[IT_LOG_MAX];	/* IT_DOWN */
	enum ike_state st[IT_LOG_MAX];
	char why[IT_LOG_MAX][48];
};

struct it_tx {
	int n;
	sim_time at[IT_TX_MAX];
	uint32_t len[IT_TX_MAX];	/* UDP payload */
	uint8_t exch[IT_TX_MAX], flags[IT_TX_MAX], version[IT_TX_MAX];
	uint16_t dport[IT_TX_MAX];
};

struct it {
	struct sim *sim;
	struct net *net;
	struct node *n[2];
	uint32_t ifx[2];
	struct link *l;
	struct ike_host *h[2];
	struct ike_sa *sa[2];
	struct it_log log[2];
	struct it_tx tx[2];
};

static inline void
it_up(void *ctx, const struct ipsec_child *c)
{
	struct it_log *g = ctx;

	CU_ASSERT_FATAL(g->n < IT_LOG_MAX);
	g->at[g->n] = sim_now(g->sim);
	g->ev[g->n] = IT_UP;
	g->c[g->n] = *c;
	g->n++;
}

static inline void
it_down(void *ctx, uint32_t in, uint32_t out)
{
	struct it_log *g = ctx;

	CU_ASSERT_FATAL(g->n < IT_LOG_MAX);
	g->at[g->n] = sim_now(g->sim);
	g->ev[g->n] = IT_DOWN;
	g->spi_in[g->n] = in;
	g->spi_out[g->n] = out;
	g->n++;
}

static inline void
it_state(void *ctx, enum ike_state st, const char *why)
{
	struct it_log *g = ctx;

	CU_ASSERT_FATAL(g->n < IT_LOG_MAX);
	g->at[g->n] = sim_now(g->sim);
	g->ev[g->n] = IT_STATE;
	g->st[g->n] = st;
	snprintf(g->why[g->n], sizeof(g->why[0]), "%s", why);
	g->n++;
}

static const struct ike_cb it_cb = { it_up, it_down, it_state };

static inline enum node_verdict
it_watch(struct node *n, uint32_t ifindex, enum node_hook_dir dir,
    const struct pkt *frame, const struct wire_frame *f, const char **reason,
    void *ctx)
{
	struct it_tx *x = ctx;
	const uint8_t *b;
	uint32_t off = 0;

	(void)ifindex;
	(void)dir;
	(void)reason;
	if (!f->has_udp || (f->udp.dport != IKE_PORT &&
	    f->udp.dport != IKE_NATT_PORT))
		return NODE_ACCEPT;
	CU_ASSERT_FATAL(x->n < IT_TX_MAX);
	b = frame->data + f->payload_off;
	if (f->udp.dport == IKE_NATT_PORT)
		off = 4;	/* the non-ESP marker */
	x->at[x->n] = sim_now(net_sim(node_net(n)));
	x->len[x->n] = f->payload_len;
	x->dport[x->n] = f->udp.dport;
	if (f->payload_len >= off + IKE_HDR_LEN) {
		x->version[x->n] = b[off + 17];
		x->exch[x->n] = b[off + 18];
		x->flags[x->n] = b[off + 19];
	}
	x->n++;
	return NODE_ACCEPT;
}

/* A policy both tests and both sides start from: one IKE proposal
 * AES-CBC-256 / SHA-256 / group 14, one Child AES-CBC-256 / SHA1-96 with
 * PFS group 14, no rekey fuzz (exact times). */
static inline void
it_policy(struct ike_policy *p, bool initiator)
{
	struct ike_proposal ike = { IKE_ENCR_AES_CBC, 256,
	    IKE_PRF_HMAC_SHA2_256, IKE_INTEG_HMAC_SHA2_256_128,
	    IKE_DH_MODP2048 };
	struct ike_proposal child = { IKE_ENCR_AES_CBC, 256, 0,
	    IKE_INTEG_HMAC_SHA1_96, IKE_DH_MODP2048 };

	ike_policy_init(p);
	p->initiator = initiator;
	p->ike[0] = ike;
	p->n_ike = 1;
	p->child[0] = child;
	p->n_child = 1;
	snprintf(p->psk, sizeof(p->psk), "correct horse battery staple");
	p->rekey_fuzz_pct = 0;
}

static inline void
it_build(struct it *t, uint64_t seed)
{
	struct link_params p;
	uint32_t i;
	char name[8];

	memset(t, 0, sizeof(*t));
	t->sim = sim_new(seed);
	t->net = net_new(t->sim);
	for (i = 0; i < 2; i++) {
		snprintf(name, sizeof(name), "%c", 'a' + i);
		t->log[i].sim = t->sim;
		t->n[i] = net_add_node(t->net, name, "router", NULL, NULL);
		t->ifx[i] = node_add_iface(t->n[i], "eth0", NULL, IT_ADDR(i),
		    24, VRF_DEFAULT);
		node_iface_add_filter(t->n[i], t->ifx[i], NODE_EGRESS,
		    it_watch, &t->tx[i]);
		t->h[i] = ike_host_new(t->n[i], VRF_DEFAULT);
		CU_ASSERT_PTR_NOT_NULL_FATAL(t->h[i]);
	}
	memset(&p, 0, sizeof(p));
	p.dir[0].rate_bps = p.dir[1].rate_bps = 1000000000ull;
	p.dir[0].delay = p.dir[1].delay = SIM_MS(1);
	p.mtu = 1500;
	t->l = net_add_link(t->net, "ab", t->n[0], t->ifx[0], t->n[1],
	    t->ifx[1], &p);
}

/* The SA of side i (a = 0 toward b, b = 1 toward a) under pol. */
static inline struct ike_sa *
it_sa(struct it *t, int i, const struct ike_policy *pol)
{
	t->sa[i] = ike_sa_new(t->h[i], IT_ADDR(i), IT_ADDR(1 - i), pol,
	    &it_cb, &t->log[i]);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t->sa[i]);
	return t->sa[i];
}

static inline void
it_free(struct it *t)
{
	ike_host_free(t->h[0]);
	ike_host_free(t->h[1]);
	net_free(t->net);
	CU_ASSERT_EQUAL(pkt_live(t->sim), 0);
	sim_free(t->sim);
}

/* The index of the k-th (from 0) event of kind ev in g, or -1. */
static inline int
it_find(const struct it_log *g, enum it_ev ev, int k)
{
	int i;

	for (i = 0; i < g->n; i++)
		if (g->ev[i] == ev && k-- == 0)
			return i;
	return -1;
}

#endif
