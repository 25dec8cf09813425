/*
 * provider_mpls.c - label switching over ports: P routers (swap, PHP pop,
 * TTL) and the core side of PEs (push VPN + transport labels, pop and
 * deliver into the VRF). See provider_mpls.h.
 *
 * Frames are handled flat in a scratch buffer per object: a frame from a
 * port or a frame-out hook is borrowed, and the frame sent on is a copy
 * (node_iface_port_send), so each one is rewritten in place and sent.
 * Ethernet padding (the 60-byte minimum) is cut off before labels are
 * pushed: what the bottom label carries is the IPv4 datagram, its total
 * length.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net.h"
#include "pkt.h"
#include "provider_mpls.h"
#include "sim.h"
#include "trace.h"
#include "util.h"
#include "wire.h"

struct lfib_ent {
	uint32_t in_if, in_label, out_if, out_label;
	uint8_t src[6], dst[6];	/* out_if's MAC and its link's far end's */
};

struct prov_p {
	struct node *n;
	bool propagate;
	struct lfib_ent *ent;
	size_t n_ent;
	struct prov_mpls_stats st;
	uint8_t buf[NODE_FRAME_MAX];
};

struct pe_vrf {
	struct prov_pe *pe;
	uint32_t vrf_if, local_vpn, remote_vpn, transport;
	uint8_t mac[6];		/* vrf_if's: the injected frames' dst */
};

struct prov_pe {
	struct node *n;
	uint32_t core_if;
	bool propagate;
	uint8_t src[6], dst[6];	/* core_if's MAC and the far end's */
	struct pe_vrf **vrf;
	size_t n_vrf;
	struct prov_mpls_stats st;
	uint8_t buf[NODE_FRAME_MAX];
};

/* The frame's real and virtual bytes into buf; its whole length. */
static size_t
flatten(const struct pkt *f, uint8_t *buf)
{
	size_t len = f->len, virt = f->virt_len;

	if (len > NODE_FRAME_MAX)
		len = NODE_FRAME_MAX;
	if (virt > NODE_FRAME_MAX - len)
		virt = NODE_FRAME_MAX - len;
	memcpy(buf, f->data, len);
	memset(buf + len, 0, virt);
	return len + virt;
}

static void
drop(struct node *n, const struct pkt *frame, enum trace_drop reason,
    uint32_t len, const char *detail)
{
	struct net *net = node_net(n);

	trace_drop_detail(net_trace(net), sim_now(net_sim(net)), frame->uid,
	    node_id(n), TRACE_NO_ID, 0, reason, len, detail);
}

static void
put_lse(uint8_t *at, uint32_t label, uint8_t tc, bool s, uint8_t ttl)
{
	uint32_t v = label << 12 | (uint32_t)tc << 9 | (uint32_t)s << 8 | ttl;

	at[0] = (uint8_t)(v >> 24);
	at[1] = (uint8_t)(v >> 16);
	at[2] = (uint8_t)(v >> 8);
	at[3] = (uint8_t)v;
}

/*
 * Where the frame's IPv4 datagram ends: its total length after l3_off
 * when one parsed there, else the frame's end (a payload that is not
 * IPv4 is carried as it is).
 */
static size_t
datagram_end(const struct wire_frame *f, size_t len)
{
	if (f->l3_off != 0 && f->ip.total_len >= WIRE_IPV4_HLEN &&
	    f->l3_off + (size_t)f->ip.total_len <= len)
		return f->l3_off + f->ip.total_len;
	return len;
}

/* The IPv4 header at ip gets TTL min(its own, ttl), checksum kept. */
static void
lower_ip_ttl(uint8_t *ip, uint8_t ttl)
{
	uint16_t old, csum;

	if ((ip[0] >> 4) != 4 || ip[8] <= ttl)
		return;
	old = (uint16_t)(ip[8] << 8 | ip[9]);
	csum = (uint16_t)(ip[10] << 8 | ip[11]);
	ip[8] = ttl;
	csum = wire_csum_update16(csum, old, (uint16_t)(ttl << 8 | ip[9]));
	ip[10] = (uint8_t)(csum >> 8);
	ip[11] = (uint8_t)csum;
}

/* The MAC of the interface at the far end of n's ifindex link. */
static bool
far_mac(struct node *n, uint32_t ifindex, uint8_t mac[6])
{
	struct link *l;
	struct node *far;
	uint32_t fif;
	uint8_t dir;

	if (ifindex >= node_n_ifaces(n) ||
	    (l = node_iface_link(n, ifindex, &dir)) == NULL)
		return false;
	far = link_dst(l, dir, &fif);
	node_iface_mac(far, fif, mac);
	return true;
}

/* --- P --- */

static const struct lfib_ent *
lfib_find(const struct prov_p *p, uint32_t in_if, uint32_t label)
{
	size_t i;

	for (i = 0; i < p->n_ent; i++)
		if (p->ent[i].in_if == in_if && p->ent[i].in_label == label)
			return &p->ent[i];
	return NULL;
}

static void
p_rx(struct node *n, uint32_t ifindex, const struct pkt *frame, void *ctx)
{
	struct prov_p *p = ctx;
	uint8_t *b = p->buf;
	size_t len = flatten(frame, b), end, off;
	const struct lfib_ent *e;
	struct wire_frame f;
	char why[64];
	uint8_t ttl;

	(void)wire_parse(b, len, 0, false, &f);
	if (f.nmpls == 0) {
		p->st.malformed++;
		drop(n, frame, DROP_MALFORMED, (uint32_t)len, "no MPLS label");
		return;
	}
	if ((e = lfib_find(p, ifindex, f.lse[0].label)) == NULL) {
		p->st.unknown_label++;
		snprintf(why, sizeof(why), "no LFIB entry for label %u",
		    f.lse[0].label);
		drop(n, frame, DROP_NO_ROUTE, (uint32_t)len, why);
		return;
	}
	if (f.lse[0].ttl <= 1) {
		p->st.ttl_expired++;
		snprintf(why, sizeof(why), "label %u TTL expired",
		    f.lse[0].label);
		drop(n, frame, DROP_TTL, (uint32_t)len, why);
		return;
	}
	ttl = (uint8_t)(f.lse[0].ttl - 1);
	end = datagram_end(&f, len);
	off = WIRE_ETH_HLEN + (size_t)WIRE_VLAN_HLEN * f.nvlan;
	if (e->out_label != PROV_LABEL_POP) {
		put_lse(b + off, e->out_label, f.lse[0].tc, f.lse[0].s, ttl);
		p->st.swapped++;
	} else {
		memmove(b + off, b + off + WIRE_MPLS_HLEN,
		    end - off - WIRE_MPLS_HLEN);
		end -= WIRE_MPLS_HLEN;
		if (f.lse[0].s) {
			/* the bottom went: what it carried is IPv4 */
			b[off - 2] = WIRE_ETHERTYPE_IPV4 >> 8;
			b[off - 1] = WIRE_ETHERTYPE_IPV4 & 0xff;
			if (p->propagate)
				lower_ip_ttl(b + off, ttl);
		} else if (p->propagate) {
			b[off + 3] = ttl;	/* RFC 3443: to the exposed */
		}
		p->st.popped++;
	}
	memcpy(b, e->dst, 6);
	memcpy(b + 6, e->src, 6);
	if (node_iface_port_send(n, e->out_if, b, end) < 0) {
		p->st.too_big++;
		drop(n, frame, DROP_MTU, (uint32_t)end, "labelled frame "
		    "over the core link's MTU");
	}
}

struct prov_p *
prov_p_new(struct node *n, bool ttl_propagate)
{
	struct prov_p *p = xcalloc(1, sizeof(*p));

	p->n = n;
	p->propagate = ttl_propagate;
	return p;
}

int
prov_p_add(struct prov_p *p, uint32_t in_if, uint32_t in_label,
    uint32_t out_if, uint32_t out_label)
{
	struct lfib_ent e = { in_if, in_label, out_if, out_label, { 0 },
	    { 0 } };
	uint8_t dummy[6];

	if (lfib_find(p, in_if, in_label) != NULL || in_label > 0xfffff ||
	    (out_label != PROV_LABEL_POP && out_label > 0xfffff) ||
	    !far_mac(p->n, in_if, dummy) || !far_mac(p->n, out_if, e.dst))
		return -1;
	node_iface_mac(p->n, out_if, e.src);
	p->ent = xrealloc(p->ent, (p->n_ent + 1) * sizeof(*p->ent));
	p->ent[p->n_ent++] = e;
	if (!node_iface_has_port(p->n, in_if))
		node_iface_set_port(p->n, in_if, p_rx, p);
	if (!node_iface_has_port(p->n, out_if))
		node_iface_set_port(p->n, out_if, p_rx, p);
	return 0;
}

const struct prov_mpls_stats *
prov_p_stats(const struct prov_p *p)
{
	return &p->st;
}

void
prov_p_free(struct prov_p *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->n_ent; i++) {
		node_iface_set_port(p->n, p->ent[i].in_if, NULL, NULL);
		node_iface_set_port(p->n, p->ent[i].out_if, NULL, NULL);
	}
	free(p->ent);
	free(p);
}

/* --- PE --- */

/* The VRF's frame-out hook: push the labels, send on the core port. */
static bool
pe_out(struct node *n, uint32_t ifindex, const struct pkt *frame, void *ctx)
{
	struct pe_vrf *v = ctx;
	struct prov_pe *pe = v->pe;
	uint8_t *b = pe->buf, ttl, tc;
	size_t len = flatten(frame, b), dlen, hdr;
	struct wire_frame f;
	unsigned k = v->transport != PROV_LABEL_NONE;

	(void)ifindex;
	if (wire_parse(b, len, 0, false, &f) != WIRE_OK || !f.has_ipv4 ||
	    f.nmpls != 0 || f.nvlan != 0) {
		pe->st.malformed++;
		drop(n, frame, DROP_MALFORMED, (uint32_t)len, "not IPv4 "
		    "into the core");
		return true;
	}
	dlen = f.ip.total_len;
	hdr = WIRE_ETH_HLEN + (k + 1) * WIRE_MPLS_HLEN;
	memmove(b + hdr, b + f.l3_off, dlen);
	memcpy(b, pe->dst, 6);
	memcpy(b + 6, pe->src, 6);
	b[12] = WIRE_ETHERTYPE_MPLS >> 8;
	b[13] = WIRE_ETHERTYPE_MPLS & 0xff;
	ttl = pe->propagate ? f.ip.ttl : 255;
	tc = (uint8_t)(f.ip.tos >> 5);	/* the DSCP's class selector */
	if (k)
		put_lse(b + WIRE_ETH_HLEN, v->transport, tc, false, ttl);
	put_lse(b + WIRE_ETH_HLEN + k * WIRE_MPLS_HLEN, v->remote_vpn, tc,
	    true, ttl);
	if (node_iface_port_send(n, pe->core_if, b, hdr + dlen) < 0) {
		pe->st.too_big++;
		drop(n, frame, DROP_MTU, (uint32_t)dlen, "labelled frame "
		    "over the core link's MTU");
		return true;
	}
	pe->st.pushed++;
	return true;
}

/* The core port: pop the VPN label, the datagram into its VRF. */
static void
pe_rx(struct node *n, uint32_t ifindex, const struct pkt *frame, void *ctx)
{
	struct prov_pe *pe = ctx;
	uint8_t *b = pe->buf;
	size_t len = flatten(frame, b), i, dlen, off;
	const struct pe_vrf *v = NULL;
	struct wire_frame f;
	char why[64];

	(void)ifindex;
	(void)wire_parse(b, len, 0, false, &f);
	if (f.nmpls == 0 || !f.lse[0].s || f.l3_off == 0) {
		pe->st.malformed++;
		drop(n, frame, DROP_MALFORMED, (uint32_t)len, f.nmpls == 0 ?
		    "no MPLS label" : "not one VPN label over IPv4");
		return;
	}
	for (i = 0; i < pe->n_vrf && v == NULL; i++)
		if (pe->vrf[i]->local_vpn == f.lse[0].label)
			v = pe->vrf[i];
	if (v == NULL) {
		pe->st.unknown_label++;
		snprintf(why, sizeof(why), "no VRF for VPN label %u",
		    f.lse[0].label);
		drop(n, frame, DROP_NO_ROUTE, (uint32_t)len, why);
		return;
	}
	dlen = datagram_end(&f, len) - f.l3_off;
	off = f.l3_off - WIRE_ETH_HLEN;
	memcpy(b + off, v->mac, 6);
	memcpy(b + off + 6, pe->dst, 6);
	b[off + 12] = WIRE_ETHERTYPE_IPV4 >> 8;
	b[off + 13] = WIRE_ETHERTYPE_IPV4 & 0xff;
	if (pe->propagate)
		lower_ip_ttl(b + f.l3_off, f.lse[0].ttl);
	if (node_iface_inject(n, v->vrf_if, b + off, WIRE_ETH_HLEN + dlen) <
	    0) {
		pe->st.malformed++;
		drop(n, frame, DROP_MALFORMED, (uint32_t)len, "cannot enter "
		    "the VRF");
		return;
	}
	pe->st.delivered++;
}

struct prov_pe *
prov_pe_new(struct node *n, uint32_t core_if, bool ttl_propagate)
{
	struct prov_pe *pe;
	uint8_t dst[6];

	if (!far_mac(n, core_if, dst))
		return NULL;
	pe = xcalloc(1, sizeof(*pe));
	pe->n = n;
	pe->core_if = core_if;
	pe->propagate = ttl_propagate;
	memcpy(pe->dst, dst, 6);
	node_iface_mac(n, core_if, pe->src);
	node_iface_set_port(n, core_if, pe_rx, pe);
	return pe;
}

int
prov_pe_add_vrf(struct prov_pe *pe, uint32_t vrf_if, uint32_t local_vpn,
    uint32_t remote_vpn, uint32_t transport)
{
	struct pe_vrf *v;
	size_t i;

	if (vrf_if >= node_n_ifaces(pe->n) || vrf_if == pe->core_if ||
	    node_iface_link(pe->n, vrf_if, NULL) != NULL ||
	    local_vpn > 0xfffff || remote_vpn > 0xfffff ||
	    (transport != PROV_LABEL_NONE && transport > 0xfffff))
		return -1;
	for (i = 0; i < pe->n_vrf; i++)
		if (pe->vrf[i]->local_vpn == local_vpn ||
		    pe->vrf[i]->vrf_if == vrf_if)
			return -1;
	v = xcalloc(1, sizeof(*v));
	*v = (struct pe_vrf){ pe, vrf_if, local_vpn, remote_vpn, transport,
	    { 0 } };
	node_iface_mac(pe->n, vrf_if, v->mac);
	pe->vrf = xrealloc(pe->vrf, (pe->n_vrf + 1) * sizeof(*pe->vrf));
	pe->vrf[pe->n_vrf++] = v;
	node_iface_set_frame_out(pe->n, vrf_if, pe_out, v);
	return 0;
}

const struct prov_mpls_stats *
prov_pe_stats(const struct prov_pe *pe)
{
	return &pe->st;
}

void
prov_pe_free(struct prov_pe *pe)
{
	size_t i;

	if (pe == NULL)
		return;
	for (i = 0; i < pe->n_vrf; i++) {
		node_iface_set_frame_out(pe->n, pe->vrf[i]->vrf_if, NULL,
		    NULL);
		free(pe->vrf[i]);
	}
	node_iface_set_port(pe->n, pe->core_if, NULL, NULL);
	free(pe->vrf);
	free(pe);
}

struct node *
prov_pe_node(const struct prov_pe *pe)
{
	return pe->n;
}

/* The far PE's end: the VRF of the one label left. */
static int
lsp_end(const struct prov_pe *far, const uint32_t *stack, size_t depth,
    struct prov_lsp *out, char *why, size_t len)
{
	size_t i;

	if (depth != 1) {
		snprintf(why, len, "MPLS LSP reaches PE %s with %zu labels "
		    "(a transport label not popped)", node_name(far->n),
		    depth);
		return -1;
	}
	for (i = 0; i < far->n_vrf; i++)
		if (far->vrf[i]->local_vpn == stack[0]) {
			out->to = far->n;
			out->to_if = far->vrf[i]->vrf_if;
			out->vpn = stack[0];
			return 1;
		}
	snprintf(why, len, "MPLS LSP reaches PE %s, which has no VRF with "
	    "VPN label %u", node_name(far->n), stack[0]);
	return -1;
}

int
prov_lsp_trace(const struct prov_pe *pe, uint32_t vrf_if,
    struct prov_p *const *ps, size_t n_p, struct prov_pe *const *pes,
    size_t n_pe, struct prov_lsp *out, char *why, size_t len)
{
	const struct pe_vrf *v = NULL;
	const struct lfib_ent *e;
	struct node *n = pe->n, *far;
	uint32_t stack[2], out_if = pe->core_if, in_if;
	size_t i, depth = 0;
	struct link *l;
	uint8_t dir;

	for (i = 0; i < pe->n_vrf && v == NULL; i++)
		if (pe->vrf[i]->vrf_if == vrf_if)
			v = pe->vrf[i];
	if (v == NULL)
		return 0;
	memset(out, 0, sizeof(*out));
	/* stack[depth - 1] is the top */
	stack[depth++] = v->remote_vpn;
	if (v->transport != PROV_LABEL_NONE)
		stack[depth++] = v->transport;
	while (out->n_via < PROV_LSP_MAX) {
		l = node_iface_link(n, out_if, &dir);
		if (l == NULL || !link_is_up(l)) {
			snprintf(why, len, "MPLS LSP from %s: %s %s", node_name(n),
			    l == NULL ? "no link on" : "link down:", l == NULL ?
			    node_iface_name(n, out_if) : link_name(l));
			return -1;
		}
		far = link_dst(l, dir, &in_if);
		for (i = 0; i < n_pe; i++)
			if (pes[i]->n == far && pes[i]->core_if == in_if)
				return lsp_end(pes[i], stack, depth, out, why,
				    len);
		for (i = 0; i < n_p && ps[i]->n != far; i++)
			;
		if (i == n_p) {
			snprintf(why, len, "MPLS LSP from %s: %s is no P "
			    "router or PE of the core", node_name(n),
			    node_name(far));
			return -1;
		}
		if ((e = lfib_find(ps[i], in_if, stack[depth - 1])) == NULL) {
			snprintf(why, len, "MPLS LSP: P router %s has no label "
			    "%u on %s", node_name(far), stack[depth - 1],
			    node_iface_name(far, in_if));
			return -1;
		}
		if (e->out_label == PROV_LABEL_POP)
			depth--;
		else
			stack[depth - 1] = e->out_label;
		if (depth == 0) {
			snprintf(why, len, "MPLS LSP: P router %s pops the VPN "
			    "label", node_name(far));
			return -1;
		}
		out->via[out->n_via++] = far;
		n = far;
		out_if = e->out_if;
	}
	snprintf(why, len, "MPLS LSP: more than %d P routers (a loop?)",
	    PROV_LSP_MAX);
	return -1;
}
