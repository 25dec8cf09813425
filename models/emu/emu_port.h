/*
 * emu_port.h - what every data-plane attachment of an emulation shares: a
 * simulated interface made a port (net.h node_iface_set_port) whose far
 * end is a real device, a TAP (emu_tap.h) or a host NIC through pcap
 * (emu_pcap.h).
 *
 * A device hands each frame it reads to emu_port_input. An IPv4 frame
 * enters the simulation at rt_now() (realtime.h), in an event of its own
 * that puts it on the interface's link: so it meets the link's rate, delay
 * and queue as a frame sent by the simulated node would. An ARP request
 * from the host is answered at once by the port itself (the simulation has
 * no ARP): the address of the link's other end, the simulated next hop, is
 * at its MAC; no other address is answered. Anything else (IPv6, LLDP) is counted
 * and dropped, as is any frame not sent to the next hop's MAC or
 * broadcast. The interface is untagged (the scenario refuses an
 * attachment on a tagged one): a frame longer than MTU + 14 is refused.
 * Each frame the link delivers to the interface goes to the device's
 * xmit, a unicast destination MAC rewritten to the host's (learnt from
 * the unicast source of the frames it sends; until then as simulated;
 * broadcast and multicast kept) and its virtual bytes written as the
 * zeros they stand for. One host per port: with several, replies go to
 * whichever sent last.
 *
 * Counters (struct emu_port_stats) go to metrics.json through the
 * emulation section (emu_scenario.c).
 */
#ifndef XCSIM_EMU_PORT_H
#define XCSIM_EMU_PORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct rt;
struct node;
struct emu_port;

/* Write one frame to the device: 0, or -1 (counted as a tx error). */
typedef int (*emu_port_xmit_fn)(void *dev, const uint8_t *frame, size_t len);

struct emu_port_stats {
	uint64_t rx_frames, rx_bytes;	/* from the host into the link */
	uint64_t tx_frames, tx_bytes;	/* from the link to the host */
	uint64_t arp_replies;		/* answered for the simulated side */
	uint64_t rx_ignored;		/* not IPv4 nor an ARP request */
	uint64_t rx_refused;		/* bad length for the link (MTU), cut */
	uint64_t rx_overflow;		/* EMU_PORT_BACKLOG frames waiting */
	uint64_t tx_errors;		/* the device refused a frame */
};

/* Frames read but not yet in the simulation, at most (then dropped). */
#define EMU_PORT_BACKLOG 4096u

/*
 * Make interface ifindex of n (on a link) a port of the device. NULL with
 * err if it has no link or is a port already.
 */
struct emu_port *emu_port_new(struct rt *rt, struct node *n,
    uint32_t ifindex, emu_port_xmit_fn xmit, void *dev, char *err,
    size_t errlen);
/* Give the interface back to its node; pending input is dropped. */
void emu_port_free(struct emu_port *p);

/* A frame read from the device now (copied). */
void emu_port_input(struct emu_port *p, const uint8_t *frame, size_t len);

/* The MAC the host should have: the simulated interface's. */
void emu_port_mac(const struct emu_port *p, uint8_t mac[6]);
/* The MAC the host's frames go to: the simulated next hop's. */
void emu_port_peer_mac(const struct emu_port *p, uint8_t mac[6]);
/* A frame the device cut short (a capture's caplen < len): refused. */
void emu_port_cut(struct emu_port *p);
/* The link's IP MTU. */
uint32_t emu_port_mtu(const struct emu_port *p);
const struct emu_port_stats *emu_port_stats(const struct emu_port *p);
/* The counters as JSON members ("rx_frames":N,...), no braces. */
void emu_port_stats_json(const struct emu_port_stats *s, FILE *out);

#endif
