/*
 * bgp_trace.h - a speaker in the trace beyond its session records: every
 * change of its Loc-RIB as a route record of its own table ("bgp"), with
 * the best route's attributes and why it won, and per neighbour the
 * message counters (session_stats) the viewer shows. The node's FIB
 * installs stay sim/'s (net_route.c records them in the VRF's table).
 *
 * The records are documented in docs/trace-format.md (section 4, "BGP").
 * Nothing here keeps state: the counters live in the trace writer
 * (trace_session_stats_last), the routes in the Loc-RIB.
 */
#ifndef XCSIM_BGP_TRACE_H
#define XCSIM_BGP_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bgp_rib.h"

struct bgp_speaker;
struct bgp_msg;

/*
 * From bgp_speaker_start: when the node's network has a trace, keep BGP's
 * TCP 179 frames whole in it, record the routes the Loc-RIB holds already
 * and listen to its changes. Does nothing without a trace.
 */
void bgp_trace_attach(struct bgp_speaker *sp);
/*
 * One message to (out) or from the neighbour at peer: add it to the
 * session's counters and write them. m NULL: a message that did not
 * decode (counted as a message only).
 */
void bgp_trace_count(struct bgp_speaker *sp, uint32_t peer, bool out,
    const struct bgp_msg *m);
/*
 * The Loc-RIB table's name in the trace: "bgp" in VRF 0, "bgp/<vrf>"
 * (the VRF number) in another.
 */
const char *bgp_trace_table(uint32_t vrf, char *buf, size_t len);
/*
 * The attrs text of c's best route (c not withdrawn), at most len - 1
 * bytes: "from 10.0.0.2 AS 65002; path 65002 65001; origin IGP; med 0;
 * lp 100; comm 65001:1 no-export; lcomm 65001:1:2; paths 2; best by AS
 * path over 10.0.0.6: AS path 2 < 3 (...)". Fields that are absent are
 * left out; "best: only route" when no other route competes.
 */
char *bgp_trace_attrs(struct bgp_rib *br, const struct bgp_change *c,
    char *buf, size_t len);
/* c's next hops as the route record names them: "10.0.0.2,10.0.0.6". */
char *bgp_trace_nexthop(const struct bgp_change *c, char *buf, size_t len);

#endif
