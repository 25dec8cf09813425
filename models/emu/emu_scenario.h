/*
 * emu_scenario.h - the `emulation` section of a scenario file: what of the
 * real world is attached to the simulation by xcsim emulate.
 *
 * One mapping with a sub-list per kind of attachment, so that later kinds
 * (real BGP sockets) add a list of their own:
 *   taps:        [{node, iface, device, netns, host_address, host_routes,
 *                  vnet_hdr, queues}]  a TAP as the far end of node:iface's
 *                 link (emu_tap.h)
 *   pcap_ifaces: [{node, iface, host_iface}]  an existing host interface
 *                 through libpcap (emu_pcap.h)
 * Attachments need the real-time kernel: xcsim run refuses a scenario
 * that has any (its build fails naming xcsim emulate). metrics.json gets
 * an "emulation_attachments" member with each one's counters. See
 * docs/emulation-tap.md.
 */
#ifndef XCSIM_EMU_SCENARIO_H
#define XCSIM_EMU_SCENARIO_H

/* Registers the section; 0, or -1 if its name is taken. */
int emu_scenario_register(void);

#endif
