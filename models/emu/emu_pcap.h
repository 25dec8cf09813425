/*
 * emu_pcap.h - an existing host interface as the far end of a simulated
 * link, through libpcap: the second kind of data-plane attachment.
 *
 * pcap_open_live-style capture (promiscuous, immediate mode, incoming
 * frames only, so the frames xcsim injects are not read back) on the rt
 * loop through pcap_get_selectable_fd, non-blocking; frames the link
 * delivers are sent with pcap_inject. The simulated interface becomes a
 * port (emu_port.h). Nothing is created on the host, so nothing needs
 * removing.
 */
#ifndef XCSIM_EMU_PCAP_H
#define XCSIM_EMU_PCAP_H

#include <stddef.h>
#include <stdint.h>

struct rt;
struct node;
struct emu_pcap;
struct emu_port;

/* NULL with err (no such interface, no CAP_NET_RAW, ...). */
struct emu_pcap *emu_pcap_open(struct rt *rt, struct node *n,
    uint32_t ifindex, const char *host_iface, char *err, size_t errlen);
void emu_pcap_close(struct emu_pcap *p);
const struct emu_port *emu_pcap_port(const struct emu_pcap *p);

#endif
