/*
 * route_tables.h - named route tables: static routes and live imports of
 * another node's routes, each with a source name, a preference and a next
 * hop type shown by route queries (docs/route-tables.md).
 *
 * A table is one VRF of one node. Its routes go into the VRF's RIB under a
 * per-node named source (node_route_source), so they compete with the
 * node's connected, static and protocol routes by preference (lower wins;
 * longest prefix first, always). Every entry (a static route or an import)
 * is one RIB instance of its source: equal routes of one source share the
 * load when the table's ecmp flag made the source multipath.
 *
 * An import follows another table (a node's VRF) live through the RIB's
 * change listener: a prefix whose best route there is of one of the named
 * sources, and passes the import's prefix filters, is installed here with
 * the import's own next hop, preference and source name; it goes when it
 * goes there, or when another source's route becomes the best there. The
 * install happens inside the other table's change report, so an import
 * never feeds, directly or through other imports, the table it reads:
 * route_tables_add_import refuses such a cycle (and the scenario loader
 * reports it with the place in the file). That is why an imported route
 * can never come back into the table it came from and keep itself alive
 * after its origin is gone.
 *
 * Nothing here knows a cloud: a source name ("user", "bgp", "system") and
 * a next hop type ("Virtual network gateway") are text from the caller.
 */
#ifndef XCSIM_ROUTE_TABLES_H
#define XCSIM_ROUTE_TABLES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct node;
struct route_tables;
struct rt_table;
struct rt_entry;	/* one static route or import of a table */

enum rt_nh_kind {
	RT_NH_VIA,	/* via (ifindex IFACE_NONE: the connected subnet's) */
	RT_NH_IFACE,	/* directly out ifindex */
	RT_NH_TABLE,	/* look up again in VRF vrf of the same node */
	RT_NH_DROP	/* blackhole */
};

struct rt_nexthop {
	enum rt_nh_kind kind;
	uint32_t via;		/* RT_NH_VIA */
	uint32_t ifindex;	/* RT_NH_VIA (or IFACE_NONE), RT_NH_IFACE */
	uint32_t vrf;		/* RT_NH_TABLE */
};

struct rt_prefix {
	uint32_t prefix;
	uint8_t len;
};

/* A static route (strings are copied). */
struct rt_route_cfg {
	uint32_t prefix;
	uint8_t len;
	const char *source;		/* "static" is the node's built-in one */
	uint16_t pref;
	const char *next_hop_type;	/* free text, may be NULL */
	struct rt_nexthop nh;
	/* added inactive (route_tables_set_active): nothing installed */
	bool inactive;
	struct rt_entry **entry;	/* gets the entry, or NULL */
};

/* An import of another table's routes (strings and arrays are copied). */
struct rt_import_cfg {
	struct node *from;
	uint32_t from_vrf;
	const char *const *from_sources;	/* RIB source names there */
	size_t n_from_sources;
	const char *source;
	uint16_t pref;
	const char *next_hop_type;
	struct rt_nexthop nh;
	const struct rt_prefix *exclude_within;	/* skip these and inside */
	size_t n_exclude;
	const struct rt_prefix *only_within;	/* n_only 0: everything */
	size_t n_only;
	/* added inactive (route_tables_set_active): not followed yet */
	bool inactive;
	struct rt_entry **entry;	/* gets the entry, or NULL */
};

struct route_tables *route_tables_new(void);
/* Removes every route and listener it installed; NULL is a no-op. */
void route_tables_free(struct route_tables *rts);

/*
 * The table of vrf on node n, made if needed. ecmp: equal routes of one of
 * its sources share the load (the source is made multipath on the node:
 * node_route_source's multipath; a source's first table decides it).
 */
struct rt_table *route_tables_table(struct route_tables *rts, struct node *n,
    uint32_t vrf, bool ecmp);

/*
 * 0, or -1 with err: a bad prefix, a via on no connected subnet of the VRF,
 * no such interface or VRF, a source name "connected", no source id left.
 */
int route_tables_add_route(struct rt_table *t, const struct rt_route_cfg *c,
    char *err, size_t errlen);
/*
 * Installs what the other table holds now and follows it. 0, or -1 with
 * err: as add_route, or an import cycle (the other table is this one, or
 * is fed from this one through other imports).
 */
int route_tables_add_import(struct rt_table *t, const struct rt_import_cfg *c,
    char *err, size_t errlen);

/*
 * Whether an entry's routes are in its table (an entry whose gate is
 * closed, models/gates, is not): made inactive, a static route is
 * withdrawn and an import withdraws every route it installed and stops
 * following the other table; made active again, the route is installed,
 * the import takes what the other table holds then and follows it again.
 * Entries are active when added unless their cfg said inactive.
 */
void route_tables_set_active(struct rt_entry *e, bool on);
bool route_tables_active(const struct rt_entry *e);

/* One candidate route of a prefix, for route queries. */
struct rt_cand {
	char source[32];	/* its source's name */
	uint16_t pref;
	uint32_t metric;
	uint32_t instance;
	bool in_fib;		/* the best, or one it shares the load with */
	/* route_tables' routes only ("" for connected, bgp, ...) */
	char next_hop_type[64];
	char next_hop[160];	/* "via 10.0.0.1 dev e0", "blackhole", ... */
	/* imports only (else ""): where it came from */
	char from_node[64], from_vrf[64], from_source[32];
};

struct rt_explain {
	size_t n;
	struct rt_cand *cand;	/* best first, in decision order */
	char why[192];		/* why the best won (rib_explain's) */
};

/*
 * Every candidate for exactly prefix/len in vrf of n, best first. rts may
 * be NULL (then no next hop types or origins). 0, or -1 if the VRF has no
 * route for the prefix. Free with route_tables_explain_free.
 */
int route_tables_explain(const struct route_tables *rts, struct node *n,
    uint32_t vrf, uint32_t prefix, uint8_t len, struct rt_explain *ex);
void route_tables_explain_free(struct rt_explain *ex);

#endif
