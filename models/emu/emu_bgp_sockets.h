/*
 * emu_bgp_sockets.h - the `bgp_sockets` section of a scenario file: which
 * simulated routers' BGP speakers talk over real TCP sockets of the host
 * (models/tcp/stream_sock.h) in an emulation, and on which address.
 *
 *   bgp_sockets:
 *     - { node: msee-primary, bind: 192.168.10.2 }
 *     - { node: msee-secondary, bind: 192.168.10.6, device: xc-msee2 }
 *
 * The build (network phase, before the bgp section's) makes one socket
 * host per item on the real-time driver's loop (sc_build.rt), bound to
 * bind, after checking that bind is on loopback (127.0.0.0/8) or allowed
 * (sc_build.listen / listen_any: xcsim emulate --listen), that it is an
 * address of the host, that the device exists and may be used
 * (CAP_NET_RAW) and that port 179 can be bound there
 * (CAP_NET_BIND_SERVICE). A neighbour with `transport: simulated` in the
 * bgp section stays on the node's simulated TCP. An offline run (xcsim
 * run) builds nothing: the speakers keep the simulated TCP and their real
 * peers are simply absent, so one file serves both. The bgp section puts
 * the node's speaker on it (emu_bgp_sockets_host). Docs:
 * docs/emulation-bgp.md, scenarios/emulation/README.md.
 */
#ifndef XCSIM_EMU_BGP_SOCKETS_H
#define XCSIM_EMU_BGP_SOCKETS_H

struct sc_build;
struct node;
struct stream_host;

/* 0, or -1 if the name is taken (scenario_models_init). */
int emu_bgp_sockets_register(void);

/*
 * The socket host of node n's speaker if the scenario's bgp_sockets names
 * n (and the section was built), else NULL: what bgp_speaker_cfg.host
 * takes (NULL: the node's simulated TCP).
 */
struct stream_host *emu_bgp_sockets_host(const struct sc_build *b,
    const struct node *n);

#endif
