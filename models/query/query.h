/*
 * query.h - the questions Azure Network Watcher and OCI Network Path
 * Analyzer answer, asked of a simulation at any instant: which routes does
 * this table hold, which one won and why (query_routes); which hops does a
 * packet take, by which route, and which filter rule let it through or
 * stopped it (query_path, query_path.c).
 *
 * A table is named "NODE", "NODE/VRF", or by an alias: the `aliases`
 * section (query_aliases.c) gives names in the clouds' terms to (node,
 * VRF) pairs, and the cloud expansions fill it (a VM NIC names its
 * subnet's table on the VNet's node, a DRG route table its VRF on the
 * DRG). Nothing here knows a cloud: it reads the routing tables (sim/rib.h,
 * with each source's own description of its routes) and asks the filters.
 * A path crosses an interface without a link where the model forwarding
 * through it says where the packet enters again (query_cross.h: IPsec
 * tunnels, MPLS cores).
 *
 * A BGP speaker is asked as a router's "show ip bgp", "show ip bgp
 * summary" and "show ip arp" answer (query_bgp, query_bgp.c): its best
 * routes, its neighbours with their message counters and state, and the
 * addresses of its directly connected neighbours.
 */
#ifndef XCSIM_QUERY_H
#define XCSIM_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct net;
struct node;
struct run;
struct scenario;

/* A table to ask: a node, one of its VRFs, and what the user called it. */
struct query_table {
	struct node *node;
	uint32_t vrf;
	char label[160];	/* "hub-vnet/app-subnet (alias app-nic: ...)" */
};

/*
 * Resolve name (an alias of sc, "NODE/VRF" or "NODE", in that order) in
 * net. 0, or -1 with err saying what exists (the node's VRFs, a
 * did-you-mean of the node names).
 */
int query_resolve(struct net *net, const struct scenario *sc,
    const char *name, struct query_table *t, char *err, size_t errlen);

/*
 * The routes of t: every candidate of every prefix (the best first, marked
 * Active, the others Invalid as Azure shows them), with source, preference,
 * next hops and the source's description. With only_len <= 32, just the
 * prefix only/only_len, and why its best route won. json: one JSON object
 * instead of the table. Returns the number of prefixes printed.
 */
size_t query_routes(FILE *out, const struct query_table *t, uint32_t only,
    unsigned only_len, bool json);

/*
 * The prefix addr takes in t (longest match in its FIB): true with *prefix
 * and *len set, false when t has no route to addr.
 */
bool query_lookup(const struct query_table *t, uint32_t addr,
    uint32_t *prefix, unsigned *len);

/* The first numbered address of a node (a path's destination), 0 if none. */
uint32_t query_node_addr(const struct node *n);

/* A packet to trace: src 0 = the address from takes for dst. */
struct query_probe {
	uint32_t src, dst;
	uint8_t proto;		/* 6 tcp, 17 udp, 1 icmp (echo), other */
	uint16_t sport, dport;	/* icmp: sport is the echo identifier */
};

/*
 * The hops of p from node from in run r, and when it is delivered, of its
 * reply: per hop the interface it came in by and the filter verdict there,
 * the route it took, the interface it went out by and the verdict there;
 * a reply passes a stateful filter that let the request through. Nothing
 * in the run changes. Returns 0 when both ways deliver, 1 otherwise.
 */
int query_path(FILE *out, struct run *r, struct node *from,
    const struct query_probe *p, bool json);

/*
 * The nodes a path from from takes, there and (when delivered) back, each
 * once, in order: at most max into nodes; returns how many.
 */
size_t query_path_nodes(struct run *r, struct node *from,
    const struct query_probe *p, struct node **nodes, size_t max);

/*
 * Why a table is empty or a path stops, when the scenario has cloud
 * resources or gates (query_why.c): under "Why, at T:", the states now of
 * every resource shown on one of nodes (the resources section's `nodes`:
 * "virtual_circuits/vc-azure (VirtualCircuit): lifecycleState PROVISIONING
 * since 7m; next: lifecycleState PROVISIONED at 9m (create)", or "...:
 * does not exist yet: it appears at 14s, by a create
 * (provisioningState Updating)") and every link of sc on one of them held down by a closed
 * gate. Prints nothing when there is none; returns the lines printed.
 */
size_t query_why(FILE *out, struct run *r, const struct scenario *sc,
    struct node *const *nodes, size_t n);

/*
 * Whether query_why has something to say about nodes even though their
 * table has routes: a resource shown on one of them does not exist yet
 * (or is gone: deleted), or a link on them is held down by a closed gate
 * (xcsim routes on the gateway before it is created).
 */
bool query_why_pending(struct run *r, const struct scenario *sc,
    struct node *const *nodes, size_t n);

/* What query_bgp prints: a mask. */
enum {
	QUERY_BGP_TABLE = 1u << 0,	/* the best routes */
	QUERY_BGP_SUMMARY = 1u << 1,	/* the neighbours */
	QUERY_BGP_ARP = 1u << 2,	/* directly connected neighbours */
	QUERY_BGP_ALL = 7u
};

struct bgp_speaker;

/*
 * The BGP speaker of t in run r (the bgp section's), or NULL with err
 * saying so (and where the node does run BGP, if in another VRF).
 */
struct bgp_speaker *query_bgp_speaker(struct run *r,
    const struct query_table *t, char *err, size_t errlen);

/*
 * The parts, each a header line and its rows, or with json one JSON array
 * (to be put in a larger object: query_bgp's, a circuit's view). Each
 * returns the number of rows.
 *
 * query_bgp_table: the Loc-RIB's best routes (each route of a multipath
 * set a row), by prefix: Network, NextHop (0.0.0.0 for our own), LocPrf
 * (LOCAL_PREF, or the decision's default 100 where it has none, as an
 * eBGP-learned route), Weight (always 0: the speaker has no weight, a
 * Cisco-only attribute no policy here sets), Path (the AS path, then the
 * origin: i IGP, e EGP, ? incomplete).
 */
size_t query_bgp_table(FILE *out, struct bgp_speaker *sp, bool json);
/*
 * query_bgp_summary: per neighbour, by address: Neighbor, V (4), AS,
 * MsgRcvd, MsgSent (every message, kept across flaps: bgp_peer_stats),
 * Up/Down (query_bgp_updown of the time since the session last came up
 * while Established, else since it last went down; "never" if it never
 * came up), State/PfxRcd (the FSM state, or when Established the
 * prefixes in its Adj-RIB-In, after import policy).
 */
size_t query_bgp_summary(FILE *out, struct bgp_speaker *sp, bool json);
/*
 * query_bgp_arp: per interface of the speaker's VRF that has a neighbour
 * on its subnet, one row per such neighbour and one for the interface's
 * own address (Azure's "Get ARP records" and a router's "show ip arp" list
 * both): Age, Interface, IP address, MAC address (dotted, aaaa.bbbb.cccc).
 * The simulation has no ARP: the age is 0 and a neighbour's MAC is that of
 * the interface at the far end of the link, the one frames are sent to;
 * an interface without a link (an emulated port) has no row.
 */
size_t query_bgp_arp(FILE *out, struct bgp_speaker *sp, bool json);
/*
 * The parts of what for t in r, each under a heading; json: one object
 * {"table", "local_as", "router_id", "routes", "summary", "arp"} with the
 * parts asked for. 0, or -1 (nothing printed) with err: t has no speaker.
 */
int query_bgp(FILE *out, struct run *r, const struct query_table *t,
    unsigned what, bool json, char *err, size_t errlen);
/*
 * A duration (ns, >= 0) as routers' Up/Down column shows it: hh:mm:ss
 * under a day, then 1d02h (days and hours) under a week, 3w2d (weeks and
 * days) under a year, 1y2w beyond; seconds truncated. Returns buf.
 */
char *query_bgp_updown(int64_t ns, char *buf, size_t len);

/*
 * The registration of the `aliases` section and of the assertion kinds
 * effective-route, path and rule-verdict (models/init).
 */
int query_aliases_register(void);
int query_asserts_register(void);

#endif
