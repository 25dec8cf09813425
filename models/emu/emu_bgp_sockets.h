/*
 * emu_bgp_sockets.h - the `bgp_sockets` list of the `emulation` section
 * (emu_scenario.h): which simulated routers' BGP speakers talk over real
 * TCP sockets of the host (models/tcp/stream_sock.h) in an emulation, and
 * on which address.
 *
 *   emulation:
 *     bgp_sockets:
 *       - { node: msee-primary, bind: 192.168.10.2 }
 *       - { node: msee-secondary, bind: 192.168.10.6, device: xc-msee2 }
 *
 * The emulation section's build (network phase, before the bgp section's)
 * makes one socket host per item on the real-time driver's loop
 * (sc_build.rt), bound to bind, after checking that bind is on loopback
 * (127.0.0.0/8) or allowed (sc_build.listen / listen_any: xcsim emulate
 * --listen), that it is an address of the host, that the device exists
 * and may be used (CAP_NET_RAW) and that port 179 can be bound there
 * (CAP_NET_BIND_SERVICE). An offline run (xcsim run) builds nothing: the
 * speakers keep the simulated TCP and their real peers are simply absent,
 * so one file serves both. The bgp section finds the hosts through the
 * transport provider the emulation section registers with it
 * (bgp_sc_register_provider, models/bgp/bgp_scenario.h): models/bgp
 * knows nothing of emulation. A neighbour with `transport: simulated`
 * stays on the node's simulated TCP. Docs: docs/emulation-bgp.md,
 * scenarios/emulation/README.md.
 */
#ifndef XCSIM_EMU_BGP_SOCKETS_H
#define XCSIM_EMU_BGP_SOCKETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "scenario.h"
#include "scenario_fields.h"

struct node;
struct sc_build;
struct sc_check;
struct stream_host;

enum { EMU_BS_NODE, EMU_BS_BIND, EMU_BS_DEVICE, EMU_BS_F_MAX };

/* One item of the list, as loaded. */
struct emu_bs {
	char *node;
	uint32_t bind;
	char *device;
	size_t node_idx;
	bool ok;
	struct sc_loc loc;
	struct sc_loc vloc[EMU_BS_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(EMU_BS_F_MAX)];
};

/* The item's table: the `emulation` section's bgp_sockets is a list of it. */
extern const struct sc_table emu_bgp_sockets_table;

/* Load-time checks: known nodes, a node or a bind address once. */
void emu_bgp_sockets_check(struct sc_check *ck, struct emu_bs *v, size_t n);

/* The run's socket hosts, one per item. */
struct emu_bs_run;

/*
 * Under xcsim emulate (b->rt set; n > 0): checks each item against the
 * host (listen rule, address, device, port 179) and makes its socket
 * host. NULL with b->err set on failure; the caller keeps the result and
 * frees it with emu_bgp_sockets_free after the speakers are gone.
 */
struct emu_bs_run *emu_bgp_sockets_build(struct sc_build *b,
    const struct emu_bs *v, size_t n);
void emu_bgp_sockets_free(struct emu_bs_run *r);

/* The socket host of node n, or NULL if no item names it. */
struct stream_host *emu_bgp_sockets_host(const struct emu_bs_run *r,
    const struct node *n);

/* Its entries of metrics.json's emulation_attachments (each after sep). */
void emu_bgp_sockets_json(const struct emu_bs_run *r, const struct emu_bs *v,
    bool first, FILE *f);

#endif
