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
 * The registration of the `aliases` section and of the assertion kinds
 * effective-route, path and rule-verdict (models/init).
 */
int query_aliases_register(void);
int query_asserts_register(void);

#endif
