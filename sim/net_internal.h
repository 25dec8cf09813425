/*
 * net_internal.h - the structures net.c (nodes, forwarding) and link.c
 * (transmission) share. Nothing outside sim/net.c, sim/net_route.c and
 * sim/link.c includes it.
 */
#ifndef XCSIM_NET_INTERNAL_H
#define XCSIM_NET_INTERNAL_H

#include "capture.h"
#include "ipfrag.h"
#include "net.h"
#include "rib.h"
#include "rng.h"
#include "sim.h"

struct iface {
	char *name;
	uint8_t mac[6];
	uint32_t addr;
	uint8_t plen;
	uint32_t vrf;
	uint16_t svlan, vlan;
	struct link *link;	/* NULL if not attached */
	uint8_t dir;		/* direction this iface transmits in */
	struct capture *cap;	/* NULL if not captured */
};

struct vrf {
	char *name;
	struct rib *rib;	/* its routes and the FIB derived from them */
	const struct rib_fwd *fwd;	/* the rib's, for forwarding */
};

struct udp_bind {
	uint16_t port;
	node_udp_fn fn;
	void *ctx;
};

struct icmp_listener {
	node_icmp_fn fn;
	void *ctx;
};

struct node {
	struct net *net;
	uint32_t id;
	char *name, *role, *region;
	struct iface *ifaces;
	size_t n_ifaces;
	struct vrf *vrfs;
	size_t n_vrfs;
	struct udp_bind *udp;
	size_t n_udp;
	struct icmp_listener *icmp;
	size_t n_icmp;
	uint16_t ip_id;
	bool forwarding;	/* routers forward; hosts (RFC 1122 3.3.1) do not */
	struct pkt *lo_head, *lo_tail;	/* loopback queue, see node_send_ip */
	sim_event_id lo_ev;		/* its pending delivery */
	uint64_t drops[DROP_MAX];	/* drops at this node (not on a link) */
	struct ipfrag_table *frags;	/* reassembly, created on first use */
};

struct inflight {
	struct pkt *p;
	sim_time arrive;
	uint32_t epoch;
	bool lost;
};

struct link_dir {
	struct link *link;
	uint8_t dir;
	struct node *from, *to;
	uint32_t from_if, to_if;
	struct qdisc *q;	/* the queue in front of the transmitter */
	bool trace_qlen;	/* write its length by queue id (not drop-tail) */
	sim_time busy_until;	/* transmitter free from this time */
	bool kick_pending;	/* a start event is scheduled: */
	sim_time kick_at;	/* at this time */
	sim_event_id kick_ev;
	struct inflight *ring;	/* packets on the wire, in arrival order */
	uint32_t rhead, rcount, rcap;
	struct rng rng;
	bool ge_bad;		/* Gilbert-Elliott state */
	struct link_stats st;
};

struct link {
	struct net *net;
	uint32_t id;
	char *name;
	struct link_params prm;
	bool up;
	uint32_t epoch;		/* bumped when the link goes down */
	struct link_dir d[2];
};

struct net {
	struct sim *sim;
	struct trace *tr;
	struct node **nodes;
	size_t n_nodes, cap_nodes;
	struct link **links;
	size_t n_links, cap_links;
	uint32_t n_queues;	/* queue ids handed out, dense from 0 */
};

/* link.c */
void link_output(struct link *l, uint8_t dir, struct pkt *p);
void link_destroy(struct link *l);

/* net_route.c */
/* Install a one-member route of a built-in source (asserts it is valid). */
void node_route_install(struct node *n, uint32_t vrf, uint32_t prefix,
    uint8_t plen, uint8_t source, uint32_t via, uint32_t ifindex);
/* Every VRF's RIB listener (ctx: the node): the trace's route records. */
void node_route_changed(struct rib *r, const struct rib_change *c, void *ctx);

/* net.c */
void node_rx(struct node *n, uint32_t ifindex, struct pkt *p);
void net_drop(struct net *net, struct pkt *p, uint32_t node, uint32_t link,
    uint8_t dir, enum trace_drop reason);

#endif
