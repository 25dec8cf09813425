/*
 * test_bfd_util.h - two nodes a (10.0.0.1) and b (10.0.0.2) on one
 * 1 Gbit/s link with 1 ms of delay, the BFD sessions between them, a log
 * of every state change each client hears and of every BFD packet each
 * session sends (an egress filter, so packets sent while the link is down
 * are logged too).
 *
 * A control packet is a 66-byte frame (Ethernet 14, IPv4 20, UDP 8, BFD
 * 24): 528 ns on the wire, so one-way it takes BT_D = 1 ms + 528 ns.
 */
#ifndef XCSIM_TEST_BFD_UTIL_H
#define XCSIM_TEST_BFD_UTIL_H

#include <string.h>

#include "bfd.h"
#include "net.h"
#include "pkt.h"
#include "sim.h"
#include "testutil.h"
#include "util.h"
#include "wire.h"

#define BT_D (SIM_MS(1) + 528)
#define BT_ADDR(i) ((10u << 24) | (uint32_t)((i) + 1))
#define BT_LOG_MAX 64
#define BT_TX_MAX 1024

struct bt_log {
	struct sim *sim;
	int n;
	sim_time at[BT_LOG_MAX];
	enum bfd_state old[BT_LOG_MAX], state[BT_LOG_MAX];
	enum bfd_diag diag[BT_LOG_MAX];
};

struct bt_tx {
	int n;
	sim_time at[BT_TX_MAX];
	struct bfd_ctl c[BT_TX_MAX];
	uint8_t ttl[BT_TX_MAX];
};

struct bt {
	struct sim *sim;
	struct net *net;
	struct bfd *bfd;
	struct node *n[2];
	struct link *l;
	struct bfd_session *s[2];
	struct bt_log log[2];
	struct bt_tx tx[2];
};

static inline void
bt_state_cb(struct bfd_session *s, enum bfd_state old, enum bfd_state state,
    enum bfd_diag diag, void *ctx)
{
	struct bt_log *g = ctx;
	(void)s;
	CU_ASSERT_FATAL(g->n < BT_LOG_MAX);
	g->at[g->n] = sim_now(g->sim);
	CU_ASSERT_NOT_EQUAL(old, state);
	g->old[g->n] = old;
	g->state[g->n] = state;
	g->diag[g->n] = diag;
	g->n++;
}

static inline enum node_verdict
bt_watch(struct node *n, uint32_t ifindex, enum node_hook_dir dir,
    const struct pkt *frame, const struct wire_frame *f, const char **reason,
    void *ctx)
{
	struct bt_tx *x = ctx;

	(void)ifindex;
	(void)dir;
	(void)reason;
	/* a session's packets only, not those a test crafts */
	if (!f->has_udp || f->udp.dport != BFD_PORT ||
	    f->udp.sport < BFD_SPORT_MIN)
		return NODE_ACCEPT;
	CU_ASSERT_FATAL(x->n < BT_TX_MAX);
	x->at[x->n] = sim_now(net_sim(node_net(n)));
	x->ttl[x->n] = f->ip.ttl;
	if (bfd_pkt_decode(frame->data + f->payload_off, f->payload_len,
	    &x->c[x->n]) != BFD_RX_OK)
		memset(&x->c[x->n], 0xff, sizeof(x->c[x->n]));
	x->n++;
	return NODE_ACCEPT;
}

static inline void
bt_build(struct bt *t, uint64_t seed)
{
	struct link_params p;
	uint32_t i, ifx[2];
	char name[8];

	memset(t, 0, sizeof(*t));
	t->sim = sim_new(seed);
	t->net = net_new(t->sim);
	for (i = 0; i < 2; i++) {
		snprintf(name, sizeof(name), "%c", 'a' + i);
		t->log[i].sim = t->sim;
		t->n[i] = net_add_node(t->net, name, "router", NULL, NULL);
		ifx[i] = node_add_iface(t->n[i], "eth0", NULL, BT_ADDR(i), 24,
		    VRF_DEFAULT);
		node_iface_add_filter(t->n[i], ifx[i], NODE_EGRESS, bt_watch,
		    &t->tx[i]);
	}
	memset(&p, 0, sizeof(p));
	p.dir[0].rate_bps = p.dir[1].rate_bps = 1000000000ull;
	p.dir[0].delay = p.dir[1].delay = SIM_MS(1);
	p.mtu = 1500;
	t->l = net_add_link(t->net, "ab", t->n[0], ifx[0], t->n[1], ifx[1],
	    &p);
	t->bfd = bfd_new(t->net);
}

static inline struct bfd_session *
bt_add(struct bt *t, int i, const struct bfd_cfg *cfg)
{
	char err[128];

	t->s[i] = bfd_session_add(t->bfd, t->n[i], VRF_DEFAULT, 0,
	    BT_ADDR(1 - i), cfg, bt_state_cb, &t->log[i], err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(t->s[i]);
	return t->s[i];
}

static inline struct bfd_cfg
bt_cfg(sim_time tx, sim_time rx, uint8_t mult)
{
	struct bfd_cfg c = { tx, rx, mult };

	return c;
}

static inline void
bt_free(struct bt *t)
{
	bfd_free(t->bfd);
	net_free(t->net);
	CU_ASSERT_EQUAL(pkt_live(t->sim), 0);
	sim_free(t->sim);
}

/* The state-change time of entry k of node i's log. */
#define BT_AT(t, i, k) ((t)->log[i].at[k])

/* Index of the first packet node i sent at or after when, or -1. */
static inline int
bt_tx_after(const struct bt *t, int i, sim_time when)
{
	int k;

	for (k = 0; k < t->tx[i].n; k++)
		if (t->tx[i].at[k] >= when)
			return k;
	return -1;
}

/* How many packets node i sent in [from, to). */
static inline int
bt_tx_count(const struct bt *t, int i, sim_time from, sim_time to)
{
	int k, n = 0;

	for (k = 0; k < t->tx[i].n; k++)
		n += t->tx[i].at[k] >= from && t->tx[i].at[k] < to;
	return n;
}

#endif
