/*
 * provider_l2.c - a provider's Ethernet switch over two ports (kind l2,
 * provider_mpls.h): the customer's tagged frames toward the cloud's edge
 * with the service's S-tag pushed (QinQ, IEEE 802.1ad), the cloud's back
 * with it popped.
 */
#include <stdlib.h>
#include <string.h>

#include "net.h"
#include "pkt.h"
#include "provider_mpls.h"
#include "sim.h"
#include "trace.h"
#include "util.h"
#include "wire.h"

struct prov_sw {
	struct node *n;
	uint32_t cust_if, cloud_if;
	uint16_t stag;
	/*
	 * The MAC behind each port: the router at the far end of its link,
	 * which ARP through the service would have resolved (the simulation
	 * addresses a frame to the far end of the sender's own link).
	 */
	uint8_t mac_cust[6], mac_cloud[6];
	struct prov_sw_stats st;
	uint8_t buf[NODE_FRAME_MAX];
};

static size_t
flat(const struct pkt *f, uint8_t *buf)
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
far(struct node *n, uint32_t ifindex, uint8_t mac[6])
{
	uint8_t dir;
	struct link *l = node_iface_link(n, ifindex, &dir);
	uint32_t fif;
	struct node *f = link_dst(l, dir, &fif);

	node_iface_mac(f, fif, mac);
}

static void
sw_drop(struct prov_sw *sw, const struct pkt *frame, enum trace_drop why,
    size_t len, const char *detail)
{
	struct net *net = node_net(sw->n);

	trace_drop_detail(net_trace(net), sim_now(net_sim(net)), frame->uid,
	    node_id(sw->n), TRACE_NO_ID, 0, why, (uint32_t)len, detail);
}

static void
sw_rx(struct node *n, uint32_t ifindex, const struct pkt *frame, void *ctx)
{
	struct prov_sw *sw = ctx;
	uint8_t *b = sw->buf;
	size_t len = flat(frame, b);
	uint32_t out;

	if (len < WIRE_ETH_HLEN + WIRE_VLAN_HLEN && sw->stag != 0) {
		sw_drop(sw, frame, DROP_MALFORMED, len, "runt frame");
		return;
	}
	if (ifindex == sw->cust_if) {
		out = sw->cloud_if;
		if (sw->stag != 0) {
			/* the S-tag goes outside the customer's C-tag */
			memmove(b + 16, b + 12, len - 12);
			b[12] = WIRE_ETHERTYPE_QINQ >> 8;
			b[13] = WIRE_ETHERTYPE_QINQ & 0xff;
			b[14] = (uint8_t)(sw->stag >> 8);
			b[15] = (uint8_t)sw->stag;
			len += WIRE_VLAN_HLEN;
		}
		sw->st.to_cloud++;
	} else {
		out = sw->cust_if;
		if (sw->stag != 0) {
			uint16_t tpid = (uint16_t)(b[12] << 8 | b[13]);
			uint16_t vid = (uint16_t)((b[14] << 8 | b[15]) & 0xfff);

			if (tpid != WIRE_ETHERTYPE_QINQ || vid != sw->stag) {
				sw->st.vlan_drops++;
				sw_drop(sw, frame, DROP_VLAN, len, "not the "
				    "service's S-tag");
				return;
			}
			memmove(b + 12, b + 16, len - 16);
			len -= WIRE_VLAN_HLEN;
		}
		sw->st.to_customer++;
	}
	memcpy(b, out == sw->cust_if ? sw->mac_cust : sw->mac_cloud, 6);
	if (node_iface_port_send(n, out, b, len) < 0) {
		sw->st.too_big++;
		sw_drop(sw, frame, DROP_MTU, len, "frame over the service's "
		    "MTU");
	}
}

struct prov_sw *
prov_sw_new(struct node *n, uint32_t cust_if, uint32_t cloud_if,
    uint16_t stag)
{
	struct prov_sw *sw;

	if (cust_if >= node_n_ifaces(n) || cloud_if >= node_n_ifaces(n) ||
	    cust_if == cloud_if || stag > 4094 ||
	    node_iface_link(n, cust_if, NULL) == NULL ||
	    node_iface_link(n, cloud_if, NULL) == NULL)
		return NULL;
	sw = xcalloc(1, sizeof(*sw));
	sw->n = n;
	sw->cust_if = cust_if;
	sw->cloud_if = cloud_if;
	sw->stag = stag;
	far(n, cust_if, sw->mac_cust);
	far(n, cloud_if, sw->mac_cloud);
	node_iface_set_port(n, cust_if, sw_rx, sw);
	node_iface_set_port(n, cloud_if, sw_rx, sw);
	return sw;
}

const struct prov_sw_stats *
prov_sw_stats(const struct prov_sw *sw)
{
	return &sw->st;
}

void
prov_sw_free(struct prov_sw *sw)
{
	if (sw == NULL)
		return;
	node_iface_set_port(sw->n, sw->cust_if, NULL, NULL);
	node_iface_set_port(sw->n, sw->cloud_if, NULL, NULL);
	free(sw);
}
