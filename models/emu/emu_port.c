/*
 * emu_port.c - a simulated interface whose link's far end is a real device
 * (emu_port.h).
 *
 * Frames read from the device wait in a ring, each with the event that
 * puts it on the link at its rt_now(); times never decrease (rt_now does
 * not) and the kernel runs events of one instant in the order they were
 * scheduled, so each event takes the ring's head. The ring holds bytes, not
 * packets: a packet is made inside the event, so its uid and creation time
 * are the kernel's, as for any frame of the simulation.
 */
#include <stdlib.h>
#include <string.h>

#include "emu_port.h"
#include "net.h"
#include "pkt.h"
#include "realtime.h"
#include "sim.h"
#include "util.h"
#include "wire.h"

#define ETHERTYPE_ARP 0x0806u
#define ARP_LEN 28u

static const uint8_t BCAST[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

struct pending {
	uint8_t *buf;		/* a frame of the MTU, allocated once */
	uint32_t len;
	sim_event_id ev;
};

struct emu_port {
	struct rt *rt;
	struct sim *sim;
	struct node *n;
	uint32_t ifindex;
	emu_port_xmit_fn xmit;
	void *dev;
	uint8_t mac[6];		/* the simulated interface's */
	uint8_t peer_mac[6];	/* the link's other end: the next hop */
	uint8_t host_mac[6];	/* learnt from the host's frames */
	bool host_known;
	uint32_t peer_addr;	/* the next hop's address: ARP answers it */
	uint32_t own_addr;	/* the simulated interface's: the host's */
	uint32_t mtu;
	uint32_t max_frame;	/* the untagged interface's: MTU + header */
	struct pending ring[EMU_PORT_BACKLOG];
	uint32_t head, count;
	uint8_t *out;		/* a frame to the host, materialised */
	struct emu_port_stats st;
};

/* A frame the link delivers to the interface: out to the host. */
static void
port_rx(struct node *n, uint32_t ifindex, const struct pkt *frame, void *ctx)
{
	struct emu_port *p = ctx;
	uint32_t len = pkt_wire_len(frame);

	(void)n;
	(void)ifindex;
	if (len > NODE_FRAME_MAX) {
		p->st.tx_errors++;
		return;
	}
	memcpy(p->out, frame->data, frame->len);
	memset(p->out + frame->len, 0, frame->virt_len);
	/* unicast to the host's MAC; broadcast and multicast stay so */
	if (p->host_known && !(p->out[0] & 1))
		memcpy(p->out, p->host_mac, 6);
	if (p->xmit(p->dev, p->out, len) < 0) {
		p->st.tx_errors++;
		return;
	}
	p->st.tx_frames++;
	p->st.tx_bytes += len;
}

struct emu_port *
emu_port_new(struct rt *rt, struct node *n, uint32_t ifindex,
    emu_port_xmit_fn xmit, void *dev, char *err, size_t errlen)
{
	struct emu_port *p;
	struct link *l;
	struct node *peer;
	uint32_t pif;
	uint8_t dir;

	if ((l = node_iface_link(n, ifindex, &dir)) == NULL) {
		sim_err(err, errlen, "%s:%s has no link (a port is the far end "
		    "of one)", node_name(n), node_iface_name(n, ifindex));
		return NULL;
	}
	if (node_iface_has_port(n, ifindex)) {
		sim_err(err, errlen, "%s:%s is a port already",
		    node_name(n), node_iface_name(n, ifindex));
		return NULL;
	}
	p = xcalloc(1, sizeof(*p));
	p->rt = rt;
	p->sim = rt_sim(rt);
	p->n = n;
	p->ifindex = ifindex;
	p->xmit = xmit;
	p->dev = dev;
	node_iface_mac(n, ifindex, p->mac);
	peer = link_dst(l, dir, &pif);
	node_iface_mac(peer, pif, p->peer_mac);
	p->peer_addr = node_iface_addr(peer, pif);
	p->own_addr = node_iface_addr(n, ifindex);
	p->mtu = link_get_params(l)->mtu;
	p->max_frame = p->mtu + WIRE_ETH_HLEN;
	p->out = xmalloc(NODE_FRAME_MAX);
	node_iface_set_port(n, ifindex, port_rx, p);
	return p;
}

void
emu_port_free(struct emu_port *p)
{
	uint32_t i;

	if (p == NULL)
		return;
	node_iface_set_port(p->n, p->ifindex, NULL, NULL);
	for (; p->count > 0; p->count--) {
		sim_cancel(p->sim, p->ring[p->head].ev);
		p->head = (p->head + 1) % EMU_PORT_BACKLOG;
	}
	for (i = 0; i < EMU_PORT_BACKLOG; i++)
		free(p->ring[i].buf);
	free(p->out);
	free(p);
}

/* The frame at the ring's head enters the link now. */
static void
enter_fire(struct sim *sim, void *arg)
{
	struct emu_port *p = arg;
	struct pending *e = &p->ring[p->head];

	(void)sim;
	p->head = (p->head + 1) % EMU_PORT_BACKLOG;
	p->count--;
	if (node_iface_port_send(p->n, p->ifindex, e->buf, e->len) < 0) {
		p->st.rx_refused++;
		return;
	}
	p->st.rx_frames++;
	p->st.rx_bytes += e->len;
}

/*
 * An ARP request (RFC 826) from the host for the simulated next hop's
 * address: it is at that interface's MAC. No other address: the port is
 * not a proxy for the whole Internet nor for other hosts of a real LAN
 * behind a pcap interface, and never for the host's own address (nor the
 * simulated interface's, which the host holds). Not a probe (sender 0,
 * RFC 5227) nor a gratuitous announcement (target = sender): answering
 * those would make the host think its address is taken.
 */
static void
arp_answer(struct emu_port *p, const uint8_t *f, size_t len)
{
	const uint8_t *a = f + WIRE_ETH_HLEN;
	uint8_t r[WIRE_ETH_HLEN + ARP_LEN + 18];
	uint32_t tip;

	if (len < WIRE_ETH_HLEN + ARP_LEN || get_be16(a) != 1 ||
	    get_be16(a + 2) != WIRE_ETHERTYPE_IPV4 || a[4] != 6 || a[5] != 4 ||
	    get_be16(a + 6) != 1 || get_be32(a + 14) == 0 ||
	    (tip = get_be32(a + 24)) == get_be32(a + 14) || tip == 0 ||
	    tip != p->peer_addr || tip == p->own_addr) {
		p->st.rx_ignored++;
		return;
	}
	memset(r, 0, sizeof(r));
	memcpy(r, f + 6, 6);
	memcpy(r + 6, p->peer_mac, 6);
	put_be16(r + 12, ETHERTYPE_ARP);
	put_be16(r + 14, 1);
	put_be16(r + 16, WIRE_ETHERTYPE_IPV4);
	r[18] = 6;
	r[19] = 4;
	put_be16(r + 20, 2);			/* reply */
	memcpy(r + 22, p->peer_mac, 6);		/* sender: the asked address */
	memcpy(r + 28, a + 24, 4);
	memcpy(r + 32, a + 8, 6);		/* target: the asker */
	memcpy(r + 38, a + 14, 4);
	if (p->xmit(p->dev, r, sizeof(r)) < 0) {
		p->st.tx_errors++;
		return;
	}
	p->st.arp_replies++;
}

void
emu_port_input(struct emu_port *p, const uint8_t *frame, size_t len)
{
	struct pending *e;
	uint16_t type;

	/*
	 * Only what the host sends to the simulated side: to the next hop's
	 * MAC, or broadcast (ARP). A pcap interface in promiscuous mode sees
	 * the whole LAN's unicast too, and its multicast (mDNS, IGMP).
	 */
	if (len < WIRE_ETH_HLEN || (memcmp(frame, p->peer_mac, 6) != 0 &&
	    memcmp(frame, BCAST, 6) != 0)) {
		p->st.rx_ignored++;
		return;
	}
	type = get_be16(frame + 12);
	if (type == ETHERTYPE_ARP) {
		arp_answer(p, frame, len);
		return;
	}
	/* untagged interfaces only (the scenario refuses tagged ones) */
	if (type != WIRE_ETHERTYPE_IPV4) {
		p->st.rx_ignored++;
		return;
	}
	if (len > p->max_frame) {
		p->st.rx_refused++;
		return;
	}
	if (p->count == EMU_PORT_BACKLOG) {
		p->st.rx_overflow++;
		return;
	}
	/* one host per port: the last unicast source is where replies go */
	if (!(frame[6] & 1)) {
		memcpy(p->host_mac, frame + 6, 6);
		p->host_known = true;
	}
	e = &p->ring[(p->head + p->count) % EMU_PORT_BACKLOG];
	if (e->buf == NULL)
		e->buf = xmalloc(p->max_frame);
	memcpy(e->buf, frame, len);
	e->len = (uint32_t)len;
	e->ev = sim_schedule_at(p->sim, rt_now(p->rt), enter_fire, p);
	p->count++;
}

void
emu_port_mac(const struct emu_port *p, uint8_t mac[6])
{
	memcpy(mac, p->mac, 6);
}

void
emu_port_peer_mac(const struct emu_port *p, uint8_t mac[6])
{
	memcpy(mac, p->peer_mac, 6);
}

void
emu_port_cut(struct emu_port *p)
{
	p->st.rx_refused++;
}

uint32_t
emu_port_mtu(const struct emu_port *p)
{
	return p->mtu;
}

const struct emu_port_stats *
emu_port_stats(const struct emu_port *p)
{
	return &p->st;
}

void
emu_port_stats_json(const struct emu_port_stats *s, FILE *out)
{
	fprintf(out, "\"rx_frames\":%llu,\"rx_bytes\":%llu,\"tx_frames\":%llu,"
	    "\"tx_bytes\":%llu,\"arp_replies\":%llu,\"rx_ignored\":%llu,"
	    "\"rx_refused\":%llu,\"rx_overflow\":%llu,\"tx_errors\":%llu",
	    (unsigned long long)s->rx_frames, (unsigned long long)s->rx_bytes,
	    (unsigned long long)s->tx_frames, (unsigned long long)s->tx_bytes,
	    (unsigned long long)s->arp_replies,
	    (unsigned long long)s->rx_ignored,
	    (unsigned long long)s->rx_refused,
	    (unsigned long long)s->rx_overflow,
	    (unsigned long long)s->tx_errors);
}
