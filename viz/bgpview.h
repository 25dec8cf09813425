/*
 * bgpview.h - what the BGP panel shows for a node, built from the replay
 * alone: its BGP neighbours (session state, since when, why, counters, the
 * BFD session to the same address) and its Loc-RIB (the route records of
 * its "bgp" tables: prefix, next hop, AS path, why the best route won).
 * The panel (bgp.c) draws exactly these, so tests check the model and the
 * lines the panel drew rather than pixels.
 */
#ifndef XCSIM_BGPVIEW_H
#define XCSIM_BGPVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "replay.h"

struct bgpv_peer {
	const char *peer, *state, *reason;	/* the replay's */
	sim_time since;			/* when it entered the state */
	bool has_stats;
	struct trace_sess_stats st;
	const char *bfd;		/* its BFD session's state, or NULL */
};

struct bgpv_route {
	uint32_t prefix;
	uint8_t plen;
	const char *table, *nexthop, *attrs;	/* the replay's */
	char from[64], path[160], why[200];	/* read out of attrs */
};

struct bgpv {
	struct bgpv_peer *peer;		/* by address */
	size_t npeers;
	struct bgpv_route *route;	/* by table, prefix, length */
	size_t nroutes;
};

/* The view of node at the replay's instant; free with bgpv_free. */
void bgpv_build(const struct replay *rp, uint32_t node, struct bgpv *v);
void bgpv_free(struct bgpv *v);
/* Whether node has a BGP session or a Loc-RIB route now. */
bool bgpv_node_has(const struct replay *rp, uint32_t node);
/*
 * The field key of a route record's attrs text ("path" in "from 10.0.0.2
 * AS 65002; path 65002 65001; ..."): true with its value in out.
 */
bool bgpv_attr(const char *attrs, const char *key, char *out, size_t n);
/* "up 12.5 s" / "Idle for 3 s", and the BFD state when there is one. */
void bgpv_peer_since(const struct bgpv_peer *p, sim_time now, char *buf,
    size_t n);
/* "in 3 updates, 120 prefixes (4 withdrawn) · out 2, 5": the counters. */
void bgpv_peer_counts(const struct bgpv_peer *p, char *buf, size_t n);

#endif
