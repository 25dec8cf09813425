/*
 * query_cross.h - how a path query (query_path.c) crosses an interface
 * without a link that a model forwards through: a route-based VPN's
 * tunnel interface (models/ipsec), a PE's VRF way into an MPLS core
 * (models/provider). Following links, the walk would stop there ("the
 * interface has no link"); a model that takes such an interface's frames
 * (its frame-out hook) says instead where the packet enters again.
 *
 * A model registers one crossing (at init, beside its scenario section):
 * the name of its section, whose run state the walk hands it, and a
 * function asked for each (node, interface) the walk leaves by that has
 * no link. It answers whether the interface is one of its own and, if it
 * is, the far node and the interface the packet enters there (as its
 * node_iface_inject does), the hop's name ("ESP tunnel azure-t1 to
 * 129.146.0.2", "MPLS LSP via P1, P2"), or why the packet does not cross
 * (the tunnel is down). A model whose packet is carried in an outer IP
 * packet (ESP) gives that packet too: the walk follows it (from the same
 * node, in its VRF) and crosses only if it is delivered to the far end.
 *
 * The hops a path lists stay the inner packet's: the outer walk is a
 * check and a line of text, as a traceroute through a tunnel sees the far
 * headend as the next hop. Label-switched routers are named in the hop's
 * text, never as hops: they are no IP hops (provider_mpls.h).
 */
#ifndef XCSIM_QUERY_CROSS_H
#define XCSIM_QUERY_CROSS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct node;

/* What a crossing answers for one interface of its own. */
struct query_cross {
	struct node *to;	/* where it enters again; NULL: it does not */
	uint32_t to_if;
	char what[200];		/* the hop; with to NULL, why it stops */
	/*
	 * An outer IPv4 packet carrying it (outer set): sent by the same
	 * node in outer_vrf from src to dst, proto (50 ESP, or 17 UDP with
	 * the ports: NAT traversal).
	 */
	bool outer;
	uint32_t outer_vrf, outer_src, outer_dst;
	uint8_t outer_proto;
	uint16_t outer_sport, outer_dport;
};

struct query_crossing {
	const char *section;	/* whose run state cross is given */
	/*
	 * Is (n, ifindex) one of state's? false: not ours (the walk asks
	 * the next crossing); true with c filled (zeroed before the call).
	 */
	bool (*cross)(void *state, struct node *n, uint32_t ifindex,
	    struct query_cross *c);
};

#define QUERY_CROSSINGS_MAX 8

/* Register c (static, outlives the process's runs). 0, or -1 if full. */
int query_crossing_register(const struct query_crossing *c);
/* The registered crossings: n, each in *out. */
size_t query_crossings(const struct query_crossing *const **out);

#endif
