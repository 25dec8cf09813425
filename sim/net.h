/*
 * net.h - the simulated network: nodes, interfaces, full-duplex links, IPv4
 * forwarding with ICMP, and the hooks transports, filters, applications and
 * attachments from outside the simulation plug into.
 *
 * struct net owns every node and link of one simulation, the captures on
 * their interfaces and a borrowed trace writer. It knows nothing about clouds
 * or protocols above IP: a node has a name, a role string (for the trace and
 * the viewer), interfaces and one routing table per VRF (a RIB and the FIB
 * derived from it, rib.h); a cloud element, a TCP stack or an emulation
 * attachment is a model in models/ that drives one through the hooks below.
 *
 * Packet path, and who owns the packet at each step:
 *   node_send_ip()  -> FIB lookup -> IPv4 header -> iface output (MTU,
 *   fragmentation; Ethernet, VLAN tags) -> [egress filters] -> [frame-out
 *   hook] -> link queue (a queue discipline, drop-tail unless chosen
 *   otherwise) -> transmitter (serialisation, loss) -> propagation -> far
 *   iface -> node rx (capture, parse, VLAN check, [ingress filters]) ->
 *   local delivery (reassembly; ICMP, UDP binding on (VRF, port), or the
 *   handler of the IP protocol) or forwarding with TTL -> ...
 * node_iface_inject() enters a frame from outside at node rx. A packet to
 * one of the node's own addresses loops back to local delivery without
 * touching an interface (so no filter or hook sees it). The bracketed steps
 * cost one predictable branch per packet while an interface has no hook.
 * Every packet that dies is freed by the module that kills it, with a
 * trace_drop() record giving the reason.
 *
 * Drops: the length a drop record gives is the IPv4 datagram's (header and
 * payload, a fragment's own; never the Ethernet header, VLAN tags or
 * padding), at every drop site, whether the packet died framed on a link,
 * at a node before or after its IPv4 header was reached, or before a local
 * sender's packet got its header (counted as the 20 bytes it would have
 * had). So one packet has one length wherever it dies. A frame holding no
 * IPv4 header gives its whole length, a cut frame the bytes after its link
 * header, and a reassembly that timed out its header and the payload
 * bytes it held.
 *
 * Timing is exact: a frame of L bytes on a link direction of rate R leaves
 * the queue when the transmitter is free, occupies it for ceil(8 L / R) ns
 * (L = Ethernet frame without preamble, FCS or inter-frame gap, exactly what
 * the pcap shows) and arrives delay ns after its last bit left.
 */
#ifndef XCSIM_NET_H
#define XCSIM_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "qdisc.h"
#include "trace.h"
#include "units.h"
#include "wire.h"

struct sim;
struct pkt;
struct net;
struct node;
struct link;
struct capture;
struct rib;
struct rib_route;

#define IFACE_NONE UINT32_MAX
#define VRF_DEFAULT 0u

enum link_loss_kind { LINK_LOSS_NONE = 0, LINK_LOSS_BERNOULLI, LINK_LOSS_GE };

struct link_loss {
	enum link_loss_kind kind;
	double p;		/* Bernoulli */
	double p_gb, p_bg;	/* Gilbert-Elliott: good->bad, bad->good */
	double loss_good, loss_bad;
};

/*
 * Jitter: each frame's delay is the direction's delay plus an extra drawn
 * at transmission from the direction's own stream ("link/NAME/a->b/jitter":
 * turning jitter on changes no loss draw). The extra is >= 0: the delay is
 * the floor (light in fibre), jitter what queues on the way add.
 *   uniform: in [0, bound], every nanosecond equally likely;
 *   normal:  |N(0, sd^2)| (half-normal: mean 0.798 sd, p99 2.576 sd);
 *   pareto:  Lomax (Pareto type II) of shape alpha > 2 scaled to standard
 *            deviation sd: heavy-tailed, most frames near the floor;
 * normal and pareto capped at bound when bound > 0. Without reorder a
 * frame never arrives before the one sent ahead of it in its direction
 * (arrival = max(drawn, previous arrival)): FIFO, as one path keeps it;
 * with reorder each keeps its own draw, so frames may overtake.
 */
enum link_jitter_kind { LINK_JITTER_NONE = 0, LINK_JITTER_UNIFORM,
	LINK_JITTER_NORMAL, LINK_JITTER_PARETO };

struct link_jitter {
	enum link_jitter_kind kind;
	sim_time sd;		/* normal, pareto: > 0 */
	sim_time bound;		/* uniform: > 0; else a cap, 0 none */
	double shape;		/* pareto: alpha > 2 */
	bool reorder;
};

struct link_dir_params {
	uint64_t rate_bps;	/* > 0 */
	sim_time delay;		/* propagation, >= 0 */
	struct link_loss loss;
	struct link_jitter jitter;	/* kind NONE: a fixed delay */
	struct qdisc_params qdisc;	/* all zero: drop-tail */
};

struct link_params {
	struct link_dir_params dir[2];	/* [0] a->b, [1] b->a */
	uint32_t mtu;		/* IP MTU, bytes */
	/*
	 * The ends see the link's state (loss of carrier): while it is down
	 * their connected routes are withdrawn (what routed through them
	 * moves at once), and come back when it is up. Off: a failure the
	 * ends cannot see, found only by BFD or a protocol's hold timer.
	 */
	bool carrier;
	/* Limits of each direction's queue (FIFO of any built-in qdisc). */
	uint32_t qlimit_pkts;	/* per direction, 0 = unlimited */
	uint64_t qlimit_bytes;	/* per direction, 0 = unlimited */
};

/* Counters of one link direction. */
struct link_stats {
	uint64_t tx_pkts, tx_bytes;
	uint64_t rx_pkts, rx_bytes;
	uint64_t drops[DROP_MAX];
	uint32_t max_qpkts;
	uint64_t max_qbytes;
	sim_time busy;		/* total serialisation time */
};

struct net *net_new(struct sim *sim);
void net_free(struct net *net);
struct sim *net_sim(const struct net *net);
/* Borrowed; must outlive the run. NULL disables tracing. */
void net_set_trace(struct net *net, struct trace *tr);
struct trace *net_trace(const struct net *net);
/*
 * Keep whole in the trace (a pkt_data record after the pkt_tx's first
 * TRACE_HDR_MAX bytes, for a frame longer than those) every IPv4 frame of
 * protocol ipproto (6 TCP, 17 UDP) with port as its source or destination
 * port: the control plane
 * (BGP registers TCP 179, BFD UDP 3784), so a viewer can decode its
 * messages. Off by default; registering twice is once. Returns 0, or -1
 * when NET_KEEP_MAX pairs are registered already.
 */
#define NET_KEEP_MAX 8
int net_trace_keep_whole(struct net *net, uint8_t ipproto, uint16_t port);

/*
 * Nodes. Names are unique; ids are dense from 0 in creation order.
 * net_find_node is a hash lookup: O(1) expected.
 */
struct node *net_add_node(struct net *net, const char *name, const char *role,
    const char *region, const int32_t pos[2]);
size_t net_n_nodes(const struct net *net);
struct node *net_node(const struct net *net, uint32_t id);
struct node *net_find_node(const struct net *net, const char *name);
/* The node that owns addr on one of its interfaces, or NULL. */
struct node *net_node_by_addr(const struct net *net, uint32_t addr);

/* Whether the node forwards packets not addressed to it (default: yes). */
void node_set_forwarding(struct node *n, bool on);
bool node_forwarding(const struct node *n);
/*
 * A transparent node (default: no) forwards without decrementing the TTL
 * and never sends ICMP time exceeded, as an SDN fabric that is no IP hop:
 * a traceroute does not see it. Its other ICMP errors are a router's.
 */
void node_set_transparent(struct node *n, bool on);
/*
 * A node's power (on when created): node-down / node-up switch it off and
 * on, as a router losing power. sim/ does nothing with it but tell the
 * listeners (a model running on the node drops what it held: sessions,
 * tables learnt, timers) on every change, in the order they were added;
 * setting the state it has already tells no one. A listener may add or
 * remove listeners while being told: those added hear from the next
 * change on, those removed hear no more. Nothing on the packet path reads
 * it (the links of a failed node are held down by whoever powers it off).
 */
typedef void (*node_power_fn)(struct node *n, bool powered, void *ctx);
void node_set_powered(struct node *n, bool on);
bool node_powered(const struct node *n);
void node_add_power_listener(struct node *n, node_power_fn fn, void *ctx);
void node_remove_power_listener(struct node *n, node_power_fn fn, void *ctx);
/* Drops that happened in the node itself (TTL, no route, ...), by reason. */
const uint64_t *node_drops(const struct node *n);

uint32_t node_id(const struct node *n);
const char *node_name(const struct node *n);
struct net *node_net(const struct node *n);

/* Find or create a VRF by name (NULL or "default" = VRF_DEFAULT). */
uint32_t node_vrf(struct node *n, const char *name);
/* Find one: its id, or UINT32_MAX. VRFs are numbered 0 .. node_n_vrfs-1. */
uint32_t node_find_vrf(const struct node *n, const char *name);
size_t node_n_vrfs(const struct node *n);
const char *node_vrf_name(const struct node *n, uint32_t vrf);	/* NULL: none */
uint32_t node_iface_vrf(const struct node *n, uint32_t ifindex);	/* UINT32_MAX: none */
uint8_t node_iface_plen(const struct node *n, uint32_t ifindex);	/* 0: unnumbered */

/*
 * Add an interface; returns its node-local index. mac may be NULL (derived
 * from node id and index, locally administered). addr/plen 0/0 = unnumbered.
 * A numbered interface installs its connected route in its VRF.
 */
uint32_t node_add_iface(struct node *n, const char *name, const uint8_t *mac,
    uint32_t addr, uint8_t plen, uint32_t vrf);
/* 802.1ad S-tag and 802.1Q C-tag carried by frames on this interface (0 = none). */
void node_iface_set_vlan(struct node *n, uint32_t ifindex, uint16_t svlan,
    uint16_t vlan);
uint32_t node_find_iface(const struct node *n, const char *name);
size_t node_n_ifaces(const struct node *n);
const char *node_iface_name(const struct node *n, uint32_t ifindex);
uint32_t node_iface_addr(const struct node *n, uint32_t ifindex);
/* Link attached to the interface and the direction it transmits in. */
struct link *node_iface_link(const struct node *n, uint32_t ifindex,
    uint8_t *dir);
void node_iface_mac(const struct node *n, uint32_t ifindex, uint8_t mac[6]);

/*
 * Static route in vrf (source RIB_SRC_STATIC, preference RIB_PREF_STATIC):
 * it replaces the VRF's static route for the same prefix, and a connected
 * route for the same prefix stays preferred. via = 0 means directly out
 * ifindex. With ifindex = IFACE_NONE the egress interface is the one whose
 * connected subnet holds via. Returns 0, or -1 (err says why).
 */
int node_add_route(struct node *n, uint32_t vrf, uint32_t prefix, uint8_t plen,
    uint32_t via, uint32_t ifindex, char *err, size_t errlen);
/*
 * Print the best route of every prefix, one line per next hop:
 * "VRF PREFIX/LEN connected  dev IF" or "VRF PREFIX/LEN via ADDR dev IF",
 * followed by " proto NAME" for a model's source.
 */
void node_dump_routes(const struct node *n, FILE *out);
/*
 * Why this route: "VRF PREFIX/LEN: REASON", then every candidate in decision
 * order, "  * SOURCE pref P metric M NEXTHOPS" ('*' marks those in the FIB,
 * an instance other than 0 follows the source in brackets). Returns 0, or -1
 * if the VRF has no route for exactly prefix/plen.
 */
int node_explain_route(const struct node *n, uint32_t vrf, uint32_t prefix,
    uint8_t plen, FILE *out);
/*
 * A route's next hops in vrf as node_dump_routes prints them ("via ADDR
 * dev IF, ..."), for route queries; "" when its group is gone.
 */
void node_nexthop_text(const struct node *n, uint32_t vrf,
    const struct rib_route *rt, char *buf, size_t len);
/*
 * The hop forwarding would take for a packet of this 5-tuple in vrf (the
 * ECMP member its flow hashes to, after a table step), without sending
 * anything: for path queries. text says it as "PREFIX/LEN SOURCE via ADDR
 * dev IF". Returns 0, or -1 with err set (no route; blackhole set when the
 * route drops). *vrf_out (may be NULL) is the VRF the route was found in.
 */
struct node_hop {
	uint32_t ifindex, via;	/* via 0: on-link to dst */
	uint32_t prefix;
	uint8_t len, source;
	bool blackhole;
	char text[200];
};
int node_route_hop(const struct node *n, uint32_t vrf, uint32_t src,
    uint32_t dst, uint8_t proto, uint16_t sport, uint16_t dport,
    struct node_hop *out, char *err, size_t errlen);
/*
 * The routing table of vrf (NULL if no such VRF), for models that install
 * routes of their own source. Every ifindex in its next-hop groups must be
 * one of the node's interfaces, RIB_IF_DROP or RIB_IF_TABLE of one of its
 * VRFs (rib.h: blackhole, look up again there). ECMP: a packet takes the group member its
 * flow hashes to (5-tuple, seeded by the node id); a locally sent packet
 * with src 0 takes the address of the group's first member's interface.
 */
struct rib *node_rib(struct node *n, uint32_t vrf);
/*
 * A named RIB source of the node, for models that install routes under
 * names of their own ("user", "system", "drg"): the source id for name,
 * registered (rib_set_source, metric order, multipath as given) on every
 * VRF of the node, those created later included, and the same id on all of
 * them. Ids are given from RIB_SRC_NAMED (RIB_SRC_MODEL + 8) up in the
 * order of first use; RIB_SRC_MODEL .. +7 stay the fixed ids of BGP and
 * other models. A name already registered returns its id (multipath as
 * first given). Returns -1 when every id is taken.
 */
int node_route_source(struct node *n, const char *name, bool multipath);
/*
 * The id of the source called name on this node, -1 if none: a named
 * source, "connected" (0), "static" (1), or a model's source set directly
 * with rib_set_source on one of the node's VRFs ("bgp").
 */
int node_find_route_source(const struct node *n, const char *name);
/*
 * Give named source id its own rib_source in one VRF: the same name, but
 * that VRF's multipath (a DRG route table's ECMP flag) and a describe of
 * the model's attributes. Before any route of it is in that VRF; src
 * must outlive the node.
 */
struct rib_source;
void node_route_source_set(struct node *n, uint32_t vrf, int id,
    const struct rib_source *src);

/*
 * Links: a full-duplex link between two unattached interfaces. Names are
 * unique, as for nodes: a second link of the same name, a bad or attached
 * interface, a zero rate, a negative delay or an invalid queue discipline
 * (see link_params and qdisc.h) is a caller bug and aborts (SIM_ASSERT):
 * the scenario loader checks all of these first.
 */
/* Whether j is a valid jitter (net_add_link asserts it of each direction). */
bool link_jitter_check(const struct link_jitter *j);
struct link *net_add_link(struct net *net, const char *name, struct node *a,
    uint32_t ifa, struct node *b, uint32_t ifb,
    const struct link_params *params);
size_t net_n_links(const struct net *net);
struct link *net_link(const struct net *net, uint32_t id);
struct link *net_find_link(const struct net *net, const char *name);
uint32_t link_id(const struct link *l);
const char *link_name(const struct link *l);
/* The node direction dir delivers to, and its interface in *ifindex. */
struct node *link_dst(const struct link *l, uint8_t dir, uint32_t *ifindex);
bool link_is_up(const struct link *l);
/*
 * Take the link down or up now. Going down drops everything queued and in
 * flight (DROP_LINK_DOWN); packets sent while down are dropped at once.
 * With link_params.carrier, the ends' connected routes go and come back
 * with it (their static and model routes stay).
 */
void link_set_up(struct link *l, bool up);
/*
 * Several parties may hold a link down at once: the link is up only while
 * none does. link_set_up is holder LINK_HOLD_ADMIN (the timeline's
 * link-down / link-up, a cut fibre); a model that switches links for its
 * own reasons (models/gates: a resource that does not exist yet) takes
 * another bit, so that neither undoes the other (a link-up fault on a link
 * whose resource is gone leaves it down). bit < 32.
 */
#define LINK_HOLD_ADMIN 0u
/* models/gates: the link's resource does not carry traffic. */
#define LINK_HOLD_GATE 1u
/*
 * A failed node (the timeline's node-down / node-up): the node at the
 * link's end `end` (0 = a, 1 = b) is off, so every link it has is down
 * until it is back. One bit per end, so that two failed nodes on one link
 * keep it down until both are back.
 */
#define LINK_HOLD_NODE(end) (2u + ((end) & 1u))
void link_set_held(struct link *l, unsigned bit, bool held);
/* Schedule link_set_up at an absolute time. */
void link_schedule_state(struct link *l, sim_time at, bool up);
const struct link_stats *link_get_stats(const struct link *l, uint8_t dir);
/* Share of [0, now] the direction's transmitter was busy, in [0, 1]. */
double link_utilization(const struct link *l, uint8_t dir, sim_time now);
const struct link_params *link_get_params(const struct link *l);
/* The queue discipline of one direction (its id names it in the trace). */
const struct qdisc *link_qdisc(const struct link *l, uint8_t dir);
/*
 * Replace a direction's queue discipline with q (see qdisc.h; the link owns
 * it from now on). Frames queued in the old one move to q in the order the
 * old one purges them (FIFO for the built-ins); those q refuses are dropped
 * with its reason. q gets the next queue id.
 */
void link_set_qdisc(struct link *l, uint8_t dir, struct qdisc *q);
/*
 * At an absolute time, give direction dir a new built-in discipline qp
 * (link_set_qdisc of qdisc_new(qp) with the link's queue limits): the
 * timeline's change of a policer's or shaper's rate. Its buckets start
 * full; the frames queued then stay queued. qp must pass
 * qdisc_params_check_frame for the direction (aborts otherwise: the caller
 * checks first). link_get_params reports qp from then on.
 */
void link_schedule_qdisc(struct link *l, sim_time at, uint8_t dir,
    const struct qdisc_params *qp);

/* Capture an interface's frames (both directions) to a pcap file. */
int net_capture_iface(struct net *net, struct node *n, uint32_t ifindex,
    const char *path, char *err, size_t errlen);
/* The same with an open capture, which the net takes over (even on error). */
int net_attach_capture(struct net *net, struct node *n, uint32_t ifindex,
    struct capture *c, char *err, size_t errlen);
/* Close every capture (rename into place) or remove their temp files. */
int net_close_captures(struct net *net, char *err, size_t errlen);
void net_abort_captures(struct net *net);

/*
 * Local delivery. A datagram for one of the node's addresses (reassembled
 * if it came in fragments, every checksum verified) goes by IP protocol to:
 *   ICMP: echo requests are answered by the node; everything else is offered
 *     to the ICMP listeners in turn, and an error (destination unreachable,
 *     time exceeded) that none of them consumes goes to the error callback
 *     of the protocol it quotes (below);
 *   UDP: the binding on (VRF of the arrival interface, destination port), or
 *     ICMP port unreachable;
 *   anything else: the handler set with node_set_ip_handler, or ICMP protocol
 *     unreachable (but TCP without a handler is dropped without an error).
 * Undelivered packets are dropped as DROP_NO_LISTENER.
 *
 * A handler owns the packet it gets. vrf and ifindex say where it arrived
 * (a looped-back packet: the interface holding the destination address); f
 * is the frame as parsed on arrival, its offsets from the Ethernet header.
 */

/*
 * An ICMP error about a packet this node sent: what came back, and the
 * quoted IPv4 header and transport bytes (at least 8, e.g. the ports and
 * TCP sequence number) from which a transport finds its connection or
 * binding. Valid only during the callback.
 *
 * local: the node itself could not send the packet, as a real stack
 * reports it (Linux: EMSGSIZE and an error queue entry of origin LOCAL).
 * Today that is a DF packet larger than the MTU of its egress interface:
 * type unreachable, code need-frag, the interface's MTU in rest, from its
 * address, vrf and ifindex the interface's. So path MTU discovery learns its
 * first hop's MTU the way it learns a router's. It comes in an event at
 * the instant of the send (never re-entrantly, after what is already due),
 * to the error callback only: no ICMP listener sees it, no packet exists,
 * and an error that no callback takes is forgotten without a drop record.
 * node_send_ip still returns -1 for that packet.
 */
struct node_icmp_err {
	uint8_t type;		/* unreachable or time exceeded */
	uint8_t code;
	uint32_t rest;		/* need-frag: next-hop MTU in bits 0-15 */
	uint32_t from;		/* the router or host that sent it */
	uint32_t vrf, ifindex;	/* where the error arrived */
	struct ipv4_hdr ip;	/* the quoted header: ip.src is ours */
	const uint8_t *l4;	/* the quoted transport header's start */
	uint32_t l4_len;	/* >= 8 */
	bool local;		/* this node's own (below), from = its address */
};

/* p->data is at the UDP payload. */
typedef void (*node_udp_fn)(struct node *n, struct pkt *p,
    const struct wire_frame *f, void *ctx);
/* p->data is at the transport header (the IPv4 payload). */
typedef void (*node_ip_fn)(struct node *n, struct pkt *p,
    const struct wire_frame *f, uint32_t vrf, uint32_t ifindex, void *ctx);
typedef void (*node_ip_err_fn)(struct node *n, const struct node_icmp_err *e,
    void *ctx);
/* Returns true if it consumed the packet (then it owns it). */
typedef bool (*node_icmp_fn)(struct node *n, struct pkt *p,
    const struct wire_frame *f, void *ctx);

/*
 * Handle IP protocol proto (not ICMP or UDP, which the node dispatches
 * itself) with fn; err (may be NULL) gets the ICMP errors that quote a
 * packet of proto. fn NULL removes the handler. Returns -1 for ICMP, UDP or
 * a protocol that already has a handler.
 */
int node_set_ip_handler(struct node *n, uint8_t proto, node_ip_fn fn,
    node_ip_err_fn err, void *ctx);
/* The ctx of proto's handler if that handler is fn, else NULL. */
void *node_ip_handler_ctx(const struct node *n, uint8_t proto, node_ip_fn fn);
/*
 * A packet a protocol handler refuses (p as the handler got it, at its
 * transport header; f as the handler got it): freed, counted and traced as
 * a drop at n for reason, with detail (may be NULL) saying what was wrong
 * ("tcp: option length 1"), and told to the drop listeners. A UDP binding,
 * whose packet is at the UDP payload, first moves it back over the 8-byte
 * UDP header (pkt_push: the bytes are still there), so the length traced
 * is the whole datagram's, as at every other drop site (BFD does this).
 */
void node_drop_l4(struct node *n, struct pkt *p, const struct wire_frame *f,
    enum trace_drop reason, const char *detail);
/*
 * Bind UDP port in vrf: datagrams to it arrive at fn, ICMP errors quoting a
 * datagram from it (source port = port) at err (may be NULL). The same port
 * may be bound once per VRF. Returns -1 if (vrf, port) is taken.
 */
int node_bind_udp(struct node *n, uint32_t vrf, uint16_t port, node_udp_fn fn,
    node_ip_err_fn err, void *ctx);
void node_unbind_udp(struct node *n, uint32_t vrf, uint16_t port);
/*
 * Listeners are offered ICMP messages in the order they were added. A
 * listener may add and remove listeners, itself included: one added while a
 * message is offered is offered the next, one removed is not offered this
 * message or any after it.
 */
void node_add_icmp_listener(struct node *n, node_icmp_fn fn, void *ctx);
void node_remove_icmp_listener(struct node *n, node_icmp_fn fn, void *ctx);

/*
 * Told of every packet dropped anywhere in the network, with the reason,
 * just before it is freed (p is borrowed): how an application learns that
 * a probe it is waiting for will never arrive.
 */
typedef void (*net_drop_fn)(const struct pkt *p, enum trace_drop reason,
    void *ctx);
/*
 * Listeners are told in the order they were added. A listener may add and
 * remove listeners, itself included: one added during a drop hears the
 * next, one removed is not told of this drop (if it has not been yet) or
 * any after it.
 */
void net_add_drop_listener(struct net *net, net_drop_fn fn, void *ctx);
void net_remove_drop_listener(struct net *net, net_drop_fn fn, void *ctx);

/*
 * Interface hooks, for packet filters (security groups and lists) and for
 * attachments outside the simulation (a TAP device, a pcap replay).
 *
 * A filter sees every frame an interface receives (after the capture, the
 * VLAN check and the IPv4 header checksum, before local delivery or
 * forwarding) or sends (after fragmentation, with its Ethernet header and
 * tags, before the frame-out hook and the link queue), parsed into f without
 * transport checksum verification: a fragment after the first has no
 * transport layer. Filters of one direction run in the order they were
 * added; the first NODE_DROP ends the walk, and the node frees the packet and
 * records DROP_FILTER with *reason, which the filter sets to a string that
 * stays valid until it is called again (e.g. "nsg web-nsg rule DenyAll
 * priority 65500"). A filter may add and remove filters and hooks of its
 * interface, itself included: a filter added during a walk sees the next
 * frame, one removed is not run on this frame (if it has not been yet) or
 * any after it.
 */
enum node_hook_dir { NODE_INGRESS = 0, NODE_EGRESS = 1 };
enum node_verdict { NODE_ACCEPT = 0, NODE_DROP = 1 };

typedef enum node_verdict (*node_filter_fn)(struct node *n, uint32_t ifindex,
    enum node_hook_dir dir, const struct pkt *frame,
    const struct wire_frame *f, const char **reason, void *ctx);

void node_iface_add_filter(struct node *n, uint32_t ifindex,
    enum node_hook_dir dir, node_filter_fn fn, void *ctx);
void node_iface_remove_filter(struct node *n, uint32_t ifindex,
    enum node_hook_dir dir, node_filter_fn fn, void *ctx);

/*
 * The frame-out hook sees each frame that passed the egress filters, at the
 * instant it leaves the node (frame->data: Ethernet header onwards,
 * frame->len real bytes, then frame->virt_len zero bytes, padding to the
 * 60-byte minimum included). Returning true takes the frame out of the
 * simulation: the hook copies what it needs, the node writes the frame to
 * the interface's capture and frees it. Returning false sends it on the link
 * as usual. An interface without a link can send only through its hook;
 * without one (or when it declines) the frame is dropped as DROP_LINK_DOWN.
 * Such an interface has an IP MTU of NODE_IFACE_MTU and addresses its frames
 * to the peer MAC (default ff:ff:ff:ff:ff:ff). fn NULL removes the hook.
 *
 * The interface's capture holds each frame that crosses the simulation's
 * edge once: an injected frame when it enters, a frame the hook takes when
 * it takes it (a frame it declines, when it starts on the link). The trace
 * has no record of its own for either yet: an injected frame shows as the
 * hops of its uid on the links it then crosses, one the hook takes as no
 * hop at all (and no drop).
 */
#define NODE_IFACE_MTU 1500u

typedef bool (*node_frame_out_fn)(struct node *n, uint32_t ifindex,
    const struct pkt *frame, void *ctx);

void node_iface_set_frame_out(struct node *n, uint32_t ifindex,
    node_frame_out_fn fn, void *ctx);
void node_iface_set_peer_mac(struct node *n, uint32_t ifindex,
    const uint8_t mac[6]);
/*
 * Deliver an Ethernet frame (no FCS) of len bytes as if it had arrived on
 * the interface now: it takes the receive path (capture, VLAN check,
 * filters, local delivery or forwarding) in an event at the current
 * simulated time, after those already due, never re-entrantly. The frame is
 * copied. Returns 0, or -1 for a bad interface or a length outside
 * [WIRE_ETH_HLEN, NODE_FRAME_MAX].
 */
#define NODE_FRAME_MAX (WIRE_ETH_HLEN + 2 * WIRE_VLAN_HLEN + 65535u)

int node_iface_inject(struct node *n, uint32_t ifindex, const uint8_t *frame,
    size_t len);

/*
 * A port: an interface whose end of its link is taken over by something
 * outside the simulation (a TAP device, a host NIC through pcap), which so
 * becomes the far end of a simulated link, with its rate, delay, loss and
 * queue. The node keeps the interface (its address, its routes, what its
 * own stack sends out of it still goes on the link) but no longer
 * receives on it: each frame arriving from the link goes to fn instead, at
 * its arrival time, after the interface's capture (frame->data: Ethernet
 * header onwards, frame->len real bytes then frame->virt_len zero bytes;
 * borrowed: copy what is needed; the node frees it, with no drop record:
 * it left the simulation). Frames from outside enter with
 * node_iface_port_send. A port is not the node's: its filters and its
 * frame-out hook do not see port frames. fn NULL ends it. The receive
 * path pays for this inside the one test it makes for any hook.
 */
typedef void (*node_port_rx_fn)(struct node *n, uint32_t ifindex,
    const struct pkt *frame, void *ctx);

void node_iface_set_port(struct node *n, uint32_t ifindex, node_port_rx_fn fn,
    void *ctx);
/* Is the interface a port (set_port with a fn, not ended)? */
bool node_iface_has_port(const struct node *n, uint32_t ifindex);
/*
 * Transmit an Ethernet frame (no FCS) of len bytes onto the interface's
 * link now, as the far end of the link would: into its queue, then
 * serialised at its rate and delivered after its delay (its capture holds
 * it when it starts on the link). The frame is copied and padded to the
 * Ethernet minimum (as virtual bytes). Call it from an event at the
 * instant the frame enters (rt_now() of its arrival, realtime.h). Returns
 * 0, or -1 for a bad interface, one without a link, or a length outside
 * [WIRE_ETH_HLEN, the link's MTU + Ethernet header + the interface's own
 * VLAN tags].
 */
int node_iface_port_send(struct node *n, uint32_t ifindex,
    const uint8_t *frame, size_t len);

/*
 * Send an IPv4 packet whose data holds the L4 header and payload. src 0 =
 * the egress interface's address. A packet to one of the node's own
 * addresses loops back: it is delivered in a new event at the same instant,
 * never on a link. frag = WIRE_IPV4_DF or 0; without DF a packet larger
 * than the egress MTU is fragmented (RFC 791). Takes ownership of p in every
 * case; returns 0 if it was handed on (to a link, the frame-out hook, or
 * looped back), -1 if it was dropped in the node: no route, no link, larger
 * than the MTU with DF set (the protocol's error callback then learns the
 * MTU too, see struct node_icmp_err), or refused by an egress filter.
 */
int node_send_ip(struct node *n, uint32_t vrf, struct pkt *p, uint32_t src,
    uint32_t dst, uint8_t proto, uint8_t ttl, uint16_t frag);
/* The address node_send_ip would use as source toward dst (0 if no route). */
uint32_t node_source_for(const struct node *n, uint32_t vrf, uint32_t dst);
/*
 * The IP MTU of the first hop toward dst, from which TCP takes its MSS: the
 * egress interface's (with ECMP the smallest of the group's members), 65535
 * for one of the node's own addresses, 0 if there is no route.
 */
uint32_t node_mtu_for(const struct node *n, uint32_t vrf, uint32_t dst);

#endif
