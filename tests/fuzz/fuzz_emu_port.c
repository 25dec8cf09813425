/*
 * fuzz_emu_port.c - libFuzzer target for the path a real host's frames
 * take into the simulation: emu_port_input (destination filter, ARP
 * answers, MAC learning, length limits) -> the port's event ->
 * node_iface_port_send -> the link's queue -> gw's receive path
 * (forwarding, local input, ICMP errors) and what comes back out of the
 * port to the host.
 *
 * Input: byte 0 picks the link's queue discipline (bit 0: a shaper whose
 * burst is one full untagged frame, 1,514 bytes, the least the loader
 * allows; else drop-tail), then frames as [len_hi len_lo bytes...] (a
 * length past the input's end takes what is left). The target checks that
 * nothing crashes or asserts, reads out of bounds or leaks (ASan,
 * LeakSanitizer) and that no packet is left allocated.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "emu_port.h"
#include "net.h"
#include "pkt.h"
#include "qdisc.h"
#include "realtime.h"
#include "sim.h"
#include "wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t VM_MAC[6] = { 0x02, 0x00, 0x5e, 0x00, 0x00, 0x04 };
static const uint8_t GW_MAC[6] = { 0x02, 0x00, 0x5e, 0x00, 0x00, 0x01 };

/* The host's side: read every byte the port writes (ASan checks). */
static int
sink(void *dev, const uint8_t *f, size_t len)
{
	uint8_t *x = dev;
	size_t i;

	if (len < 14)
		abort();	/* the port writes whole Ethernet frames */
	for (i = 0; i < len; i++)
		*x ^= f[i];
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct qdisc_params shaper = { .kind = QDISC_SHAPER,
	    .rate_bps = 1000000, .burst_bytes = 1514 };
	struct link_params lp;
	struct rt_cfg c;
	struct sim *sim;
	struct net *net;
	struct node *vm, *gw;
	uint32_t vif, gif;
	struct rt *rt;
	struct emu_port *port;
	char err[256];
	uint8_t x = 0;
	size_t i, len;

	if (size < 1)
		return 0;
	memset(&lp, 0, sizeof(lp));
	memset(&c, 0, sizeof(c));
	lp.dir[0].rate_bps = lp.dir[1].rate_bps = 8000000;
	lp.dir[0].delay = lp.dir[1].delay = SIM_MS(1);
	if (data[0] & 1)
		lp.dir[0].qdisc = shaper;
	lp.mtu = 1500;
	sim = sim_new(1);
	net = net_new(sim);
	vm = net_add_node(net, "vm", "azure-vm", NULL, NULL);
	gw = net_add_node(net, "gw", "router", NULL, NULL);
	vif = node_add_iface(vm, "eth0", VM_MAC, (10u << 24) | 4, 24, 0);
	gif = node_add_iface(gw, "vnet", GW_MAC, (10u << 24) | 1, 24, 0);
	net_add_link(net, "vnet", vm, vif, gw, gif, &lp);
	node_set_forwarding(gw, true);
	if ((rt = rt_new(sim, &c, err, sizeof(err))) == NULL)
		abort();
	if ((port = emu_port_new(rt, vm, vif, sink, &x, err,
	    sizeof(err))) == NULL)
		abort();
	i = 1;
	while (i + 2 <= size) {
		len = (size_t)data[i] << 8 | data[i + 1];
		i += 2;
		if (len > size - i)
			len = size - i;
		emu_port_input(port, data + i, len);
		i += len;
	}
	sim_run(sim);
	emu_port_free(port);
	rt_free(rt);
	net_free(net);
	if (pkt_live(sim) != 0)
		abort();
	sim_free(sim);
	return 0;
}
