/*
 * provider_mpls.h - a provider's network as models over ports: an MPLS
 * core (RFC 3031, 3032, 4364), its label-switching routers (P) and the
 * core-facing side of its edge routers (PE); and an Ethernet service's
 * switches (QinQ S-tag push and pop, 802.1ad).
 *
 * A P router is a node whose core interfaces are ports (sim/net.h): each
 * labelled frame that arrives goes to its label forwarding table (LFIB),
 * keyed by arrival interface and top label, which swaps the label or, on
 * the penultimate hop, pops it (PHP: the egress PE advertised implicit
 * null), decrements the TTL (a frame whose label TTL would reach 0 dies,
 * DROP_TTL) and sends the frame on another port. Nothing of the node's IP
 * stack sees these frames: a P router is no IP hop.
 *
 * A PE's core interface is a port too; each of its VRFs has an interface
 * without a link (the VRF's way into the core) whose frame-out hook takes
 * what the VRF routes there, pushes the VPN label the far PE gave that VRF
 * and, with P routers between, the transport label of the path toward the
 * far PE, and sends it on the core port. A frame arriving on the core port
 * carries (after PHP) the VPN label of one of this PE's VRFs: it is popped
 * and the IPv4 packet enters that VRF's interface (node_iface_inject), to
 * be delivered (BGP between the PEs' VRF interfaces) or routed.
 *
 * TTL (RFC 3443): with propagation (the uniform model) the PE copies the
 * IP TTL into the labels it pushes, each P decrements it, a pop copies it
 * into the label below and the egress PE into the IP header, so a
 * traceroute counts the P hops; without (the pipe model) the labels start
 * at 255 and the IP TTL is left as the ingress PE set it.
 */
#ifndef XCSIM_PROVIDER_MPLS_H
#define XCSIM_PROVIDER_MPLS_H

#include <stdbool.h>
#include <stdint.h>

struct node;

/* An LFIB entry's out label that means pop (the next hop is the egress). */
#define PROV_LABEL_POP UINT32_MAX
/* No transport label: the far PE is the next hop (no P between). */
#define PROV_LABEL_NONE UINT32_MAX

struct prov_p;
struct prov_pe;

/* Counters of a P router or a PE's core side. */
struct prov_mpls_stats {
	uint64_t swapped, popped, pushed, delivered;
	uint64_t ttl_expired, unknown_label, malformed, too_big;
};

/*
 * A P router on node n. Its core interfaces become ports when the first
 * LFIB entry names them.
 */
struct prov_p *prov_p_new(struct node *n, bool ttl_propagate);
/*
 * A frame arriving on in_if with top label in_label leaves on out_if with
 * out_label in its place, or popped (PROV_LABEL_POP). 0, or -1 for a bad
 * interface (one without a link) or a label already in the table for
 * in_if.
 */
int prov_p_add(struct prov_p *p, uint32_t in_if, uint32_t in_label,
    uint32_t out_if, uint32_t out_label);
const struct prov_mpls_stats *prov_p_stats(const struct prov_p *p);
void prov_p_free(struct prov_p *p);

/* The core side of a PE on node n, its core port core_if. */
struct prov_pe *prov_pe_new(struct node *n, uint32_t core_if,
    bool ttl_propagate);
/*
 * A VRF's way into the core: vrf_if (an interface without a link, in the
 * VRF) sends with remote_vpn (the far PE's label for the VRF) under
 * transport (PROV_LABEL_NONE: none); frames arriving with local_vpn enter
 * vrf_if. 0, or -1 for a bad interface or a local label taken.
 */
int prov_pe_add_vrf(struct prov_pe *pe, uint32_t vrf_if, uint32_t local_vpn,
    uint32_t remote_vpn, uint32_t transport);
const struct prov_mpls_stats *prov_pe_stats(const struct prov_pe *pe);
void prov_pe_free(struct prov_pe *pe);

/*
 * The way a packet routed into vrf_if of pe would take through the core,
 * found without sending anything (for xcsim path, query_cross.h): from
 * the core port across each link, through the LFIB of each P router met
 * (ps: the core's P routers) with the labels pe pushes, to the PE among
 * pes that pops the VPN label, and the VRF interface it enters there.
 */
#define PROV_LSP_MAX 16
struct prov_lsp {
	struct node *via[PROV_LSP_MAX];	/* the P routers, in order */
	size_t n_via;
	struct node *to;		/* the far PE's node */
	uint32_t to_if;			/* its VRF interface */
	uint32_t vpn;			/* the VPN label it pops */
};
/*
 * 1 with out filled, 0 when vrf_if is none of pe's VRFs, -1 with why
 * set (a link down, a label an LFIB lacks, a PE without the VPN label).
 */
int prov_lsp_trace(const struct prov_pe *pe, uint32_t vrf_if,
    struct prov_p *const *ps, size_t n_p, struct prov_pe *const *pes,
    size_t n_pe, struct prov_lsp *out, char *why, size_t len);
/* pe's node. */
struct node *prov_pe_node(const struct prov_pe *pe);

/*
 * A provider's Ethernet switch (kind l2): two ports, the customer's
 * (frames with the customer's C-tag) and the cloud's. With stag non-zero
 * (QinQ, 802.1ad) it pushes that S-tag on what goes toward the cloud and
 * pops it from what comes back, dropping (DROP_VLAN) a frame from the cloud
 * whose outer tag is not it; with stag 0 frames pass as they are. Either
 * way each frame crosses the provider's links with their delay.
 */
struct prov_sw;
struct prov_sw_stats {
	uint64_t to_cloud, to_customer, vlan_drops, too_big;
};

/* NULL for a bad interface or one without a link. */
struct prov_sw *prov_sw_new(struct node *n, uint32_t cust_if,
    uint32_t cloud_if, uint16_t stag);
const struct prov_sw_stats *prov_sw_stats(const struct prov_sw *sw);
void prov_sw_free(struct prov_sw *sw);

#endif
