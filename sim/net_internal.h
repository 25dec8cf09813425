/*
 * net_internal.h - the structures net.c (forwarding, the receive and
 * transmit paths), net_node.c (nodes, interfaces, VRFs), net_route.c
 * (routes), net_local.c (local delivery), net_hooks.c (interface hooks) and
 * link.c (transmission) share. Nothing outside those files includes it.
 */
#ifndef XCSIM_NET_INTERNAL_H
#define XCSIM_NET_INTERNAL_H

#include "capture.h"
#include "ipfrag.h"
#include "net.h"
#include "rib.h"
#include "rng.h"
#include "sim.h"

#define NET_DEFAULT_TTL 64u

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
	struct iface_hooks *hooks;	/* NULL: none, the fast path */
};

struct iface_filter {
	node_filter_fn fn;
	void *ctx;
};

/* Everything an interface may have beyond the plain link (net_hooks.c). */
struct iface_hooks {
	struct iface_filter *filt[2];	/* by node_hook_dir, in order */
	size_t n_filt[2];	/* fn NULL: removed while filtering */
	unsigned depth;		/* filter walks under way (nested) */
	bool dirty;		/* a filter was removed during one */
	node_frame_out_fn out;
	void *out_ctx;
	uint8_t peer_mac[6];	/* destination MAC when there is no link */
	node_port_rx_fn port;	/* a port: the link's frames go outside */
	void *port_ctx;
};

/* node_route_source's names, ids RIB_SRC_NAMED + index. */
#define NODE_SRCS_MAX (RIB_SRC_MAX - RIB_SRC_NAMED)
struct node_srcs {
	struct rib_source src[NODE_SRCS_MAX];	/* borrowed by every VRF */
	char *name[NODE_SRCS_MAX];		/* src[i].name */
	size_t n;
};

struct vrf {
	char *name;
	struct rib *rib;	/* its routes and the FIB derived from them */
	const struct rib_fwd *fwd;	/* the rib's, for forwarding */
};

/*
 * Packets delivered later at the same instant, in order: one event per
 * batch, so that what a delivery causes waits behind what is already due.
 */
struct rx_fifo {
	struct pkt *head, *tail;
	sim_event_id ev;	/* the batch's delivery */
};

struct udp_bind {
	uint32_t vrf;
	uint16_t port;
	node_udp_fn fn;
	node_ip_err_fn err;
	void *ctx;
};

struct ip_handler {
	uint8_t proto;
	node_ip_fn fn;
	node_ip_err_fn err;
	void *ctx;
};

struct drop_listener {
	net_drop_fn fn;
	void *ctx;
};

/* An error about our own send: the ICMP message the node would send. */
struct local_err {
	struct local_err *next;
	uint32_t ifindex;	/* the interface the packet could not leave by */
	uint32_t len;		/* of msg: the ICMP header and the quote */
	uint8_t msg[WIRE_ICMP_HLEN + 60 + 8];
};

struct icmp_listener {
	node_icmp_fn fn;
	void *ctx;
};

struct power_listener {
	node_power_fn fn;		/* NULL: removed while telling */
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
	struct icmp_listener *icmp;	/* fn NULL: removed while offering */
	size_t n_icmp;
	unsigned icmp_depth;	/* offers under way (nested) */
	bool icmp_dirty;	/* an entry was removed during one */
	struct ip_handler *proto;	/* protocols but ICMP and UDP */
	size_t n_proto;
	uint16_t ip_id;
	bool forwarding;	/* routers forward; hosts (RFC 1122 3.3.1) do not */
	bool transparent;	/* no TTL decrement, no time exceeded */
	/*
	 * Forwarding takes the slow path for an egress ifindex at or above
	 * this: RIB_IF_SPECIAL (a special next hop), or 0 on a transparent
	 * node (every packet), so both cost one compare when unused.
	 */
	uint32_t fwd_slow;
	struct node_srcs *srcs;	/* named route sources, NULL: none yet */
	struct rx_fifo lo;	/* looped back, see node_send_ip */
	struct rx_fifo inj;	/* from outside, see node_iface_inject */
	struct local_err *lerr, *lerr_tail;	/* about our own sends, due */
	sim_event_id lerr_ev;	/* their delivery (net_local.c) */
	uint64_t drops[DROP_MAX];	/* drops at this node (not on a link) */
	struct ipfrag_table *frags;	/* reassembly, created on first use */
	bool off;			/* powered off (net_power.c) */
	struct power_listener *pw;
	size_t n_pw;
	unsigned pw_depth;		/* changes being told (nested) */
	bool pw_dirty;			/* an entry was removed during one */
};

/* Open addressing by name (names are borrowed from their owners). */
struct name_slot {
	const char *name;	/* NULL: free */
	uint32_t id;
};

struct name_ix {
	struct name_slot *slot;
	size_t cap;		/* a power of two, or 0 */
	size_t n;
};

/* Open addressing by IPv4 address: the node that owns it (lowest id). */
struct addr_slot {
	uint32_t addr;
	uint32_t node;		/* UINT32_MAX: free */
};

struct addr_ix {
	struct addr_slot *slot;
	size_t cap;		/* a power of two, or 0 */
	size_t n;
};

struct inflight {
	struct pkt *p;
	sim_time arrive;
	uint32_t epoch;
	bool lost;
};

struct jinflight {		/* a frame on a reordering wire */
	struct inflight f;
	uint64_t seq;		/* transmission order, for ties */
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
	/*
	 * Jitter (link.c), off the path of a direction without it: its
	 * draws, the last arrival (the floor of the next without reorder)
	 * and, with reorder, the frames on the wire as a heap by (arrival,
	 * transmission order) instead of the ring.
	 */
	bool jitter;
	struct rng jrng;
	sim_time last_arrive;
	struct jinflight *heap;
	uint32_t hcount, hcap;
	uint64_t hseq;
	/*
	 * Frames the discipline dropped at the head during a dequeue (CoDel),
	 * reported once the transmitter's state is settled (link.c).
	 */
	struct pkt *hdrop, *hdrop_tail;
	enum trace_drop hdrop_why;
	struct link_stats st;
};

struct link {
	struct net *net;
	uint32_t id;
	char *name;
	struct link_params prm;
	bool up;		/* no holder keeps it down (held == 0) */
	uint32_t held;		/* bit per holder keeping it down */
	uint32_t epoch;		/* bumped when the link goes down */
	struct link_dir d[2];
	/* link_schedule_qdisc's changes, owned here until the link goes */
	struct link_qdisc_change **chg;
	size_t n_chg;
};

struct net {
	struct sim *sim;
	struct trace *tr;
	struct node **nodes;
	size_t n_nodes, cap_nodes;
	struct link **links;
	size_t n_links, cap_links;
	uint32_t n_queues;	/* queue ids handed out, dense from 0 */
	struct name_ix node_ix;	/* node ids by name */
	struct name_ix link_ix;	/* link ids by name */
	struct addr_ix addr_ix;	/* numbered interface addresses -> node */
	struct drop_listener *drop;	/* fn NULL: removed while dispatching */
	size_t n_drop;
	unsigned drop_depth;	/* drop dispatches under way (nested) */
	bool drop_dirty;	/* an entry was removed during one */
	/* (IP protocol, port) of the frames the trace keeps whole */
	struct { uint8_t proto; uint16_t port; } keep[NET_KEEP_MAX];
	unsigned n_keep;	/* 0: the transmit path tests only this */
};

/* link.c */
/*
 * The largest frame ifc sends on a link of this IP MTU: the MTU, the
 * Ethernet header and its VLAN tags (what a token bucket's burst must hold).
 */
uint64_t iface_max_frame(const struct iface *ifc, uint32_t mtu);
void link_output(struct link *l, uint8_t dir, struct pkt *p);
void link_destroy(struct link *l);

/* net_hooks.c */
/* A frame just traced by trace_tx: its whole bytes too, if kept. */
void net_trace_whole(struct net *net, sim_time t, const struct pkt *p,
    uint32_t link, uint8_t dir);

/* net_route.c */
/* Install a one-member route of a built-in source (asserts it is valid). */
void node_route_install(struct node *n, uint32_t vrf, uint32_t prefix,
    uint8_t plen, uint8_t source, uint32_t via, uint32_t ifindex);
/* Every VRF's RIB listener (ctx: the node): the trace's route records. */
void node_route_changed(struct rib *r, const struct rib_change *c, void *ctx);
/*
 * The link of interface ifindex went down (up = false) or came back: its
 * connected route is withdrawn or installed again (a numbered interface).
 */
void node_iface_carrier(struct node *n, uint32_t ifindex, bool up);
/* A new VRF's table learns the node's named sources. */
void node_route_sources_apply(struct node *n, uint32_t vrf);
/* Free the named sources (after the VRFs' tables). */
void node_route_sources_free(struct node *n);
/*
 * Where a special next hop (ifx >= RIB_IF_SPECIAL) sends a packet to dst
 * whose flow hashes to hash: an interface, or IFACE_NONE with *why the drop
 * (DROP_BLACKHOLE; DROP_NO_ROUTE when the table has no route or would take
 * a second table step).
 */
uint32_t node_special_nh(const struct node *n, uint32_t ifx, uint32_t dst,
    uint32_t hash, enum trace_drop *why);

/* net.c */
void node_rx(struct node *n, uint32_t ifindex, struct pkt *p);
/*
 * Drops: the packet is freed and recorded with the length of its IPv4
 * datagram (net.h, "Drops"), whatever layer it died at. net_drop and
 * node_drop_frame take a frame (data at the Ethernet header), node_drop a
 * packet at its IPv4 header, node_drop_len the length worked out by the
 * caller (a packet at another layer).
 */
uint32_t net_frame_ip_len(const struct pkt *p);
void net_drop(struct net *net, struct pkt *p, uint32_t node, uint32_t link,
    uint8_t dir, enum trace_drop reason);
void node_drop(struct node *n, struct pkt *p, enum trace_drop reason);
void node_drop_frame(struct node *n, struct pkt *p, enum trace_drop reason);
void node_drop_len(struct node *n, struct pkt *p, enum trace_drop reason,
    uint32_t len);
/* A frame an interface filter refused; rule is the filter's reason text. */
void node_drop_filtered(struct node *n, struct pkt *p, const char *rule);
/* Queue p; the first of a batch schedules fire(sim, arg) now. */
void rx_fifo_push(struct sim *sim, struct rx_fifo *q, struct pkt *p,
    sim_event_fn fire, void *arg);
/* Detach the batch to deliver (from fire), as a list linked by next. */
struct pkt *rx_fifo_take(struct rx_fifo *q);
/* Cancel the delivery and free what is queued. */
void rx_fifo_free(struct sim *sim, struct rx_fifo *q);
void node_icmp_error(struct node *n, uint32_t in_if, uint32_t src,
    const struct pkt *orig, uint8_t type, uint8_t code, uint32_t rest);
void node_iface_frame(struct node *n, uint32_t ifindex, struct pkt *p,
    const uint8_t dst_mac[6]);
/* The interface's IP MTU: its link's, NODE_IFACE_MTU, or 0 (no way out). */
uint32_t node_iface_mtu(const struct node *n, uint32_t ifindex);

/* The netmask of a prefix length (0..32). */
static inline uint32_t
mask_of(uint8_t plen)
{
	return plen ? 0xffffffffu << (32 - plen) : 0;
}

/* net_node.c: O(1) expected; adding a name twice is a caller bug and
 * aborts. */
void name_ix_add(struct name_ix *ix, const char *name, uint32_t id);
bool name_ix_find(const struct name_ix *ix, const char *name, uint32_t *id);
void name_ix_free(struct name_ix *ix);

/* net_local.c */
void node_local_input(struct node *n, uint32_t ifindex, struct pkt *p);
/*
 * The node could not send orig (at its IPv4 header) out of ifindex: tell
 * the sending protocol's error callback, as an ICMP error with e.local set,
 * in an event at the current instant. orig stays the caller's.
 */
void node_local_error(struct node *n, uint32_t ifindex,
    const struct pkt *orig, uint8_t type, uint8_t code, uint32_t rest);
/* Cancel the delivery of those not delivered yet, and free them. */
void node_local_errors_free(struct node *n);

/* net_hooks.c */
bool iface_ingress_filtered(struct node *n, uint32_t ifindex, struct pkt *p,
    const struct wire_frame *f);
int iface_xmit_hooked(struct node *n, uint32_t ifindex, struct pkt *p);
/* A frame that arrived on a port's link: to the port's owner, then freed. */
void iface_port_rx(struct node *n, uint32_t ifindex, struct pkt *p);
void node_hooks_free(struct node *n);

#endif
