/*
 * emu_scenario.h - the `emulation` section of a scenario file: what of the
 * real world is attached to the simulation by xcsim emulate.
 *
 * One mapping with a sub-list per kind of attachment:
 *   taps:        [{node, iface, device, netns, host_address, host_routes,
 *                  vnet_hdr, queues}]  a TAP as the far end of node:iface's
 *                 link (emu_tap.h)
 *   pcap_ifaces: [{node, iface, host_iface}]  an existing host interface
 *                 through libpcap (emu_pcap.h)
 *   bgp_sockets: [{node, bind, device}]  a router's BGP speaker on real
 *                 TCP sockets (emu_bgp_sockets.h)
 * Taps and pcap interfaces need the real-time kernel: xcsim run refuses a
 * scenario that has any (its build fails naming xcsim emulate); offline,
 * bgp_sockets builds nothing (the speakers stay on the simulated TCP).
 * Registering the section also registers the bgp section's transport
 * provider that hands out the socket hosts, and a hint for the former
 * top-level bgp_sockets key; register it before bgp. metrics.json gets an
 * "emulation_attachments" member with each attachment's counters and each
 * socket host. See docs/emulation-tap.md and docs/emulation-bgp.md.
 */
#ifndef XCSIM_EMU_SCENARIO_H
#define XCSIM_EMU_SCENARIO_H

/* Registers the section; 0, or -1 if its name is taken. */
int emu_scenario_register(void);

#endif
