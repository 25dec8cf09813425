/*
 * emu_tap.h - a TAP device as the far end of a simulated link, optionally
 * in a network namespace of its own; and that namespace.
 *
 * emu_netns_new makes a network namespace held only by a child process
 * (unshare(CLONE_NEWNET) in the child, never bind-mounted under
 * /run/netns): it vanishes with the child, which dies with xcsim
 * (emu_child_init: PR_SET_PDEATHSIG), so even a SIGKILL of xcsim leaves
 * nothing behind. The child is registered with the emulation's cleanup
 * registry (emu_cleanup.h). A user reaches it with `nsenter -t PID -n`.
 *
 * emu_tap_open creates a TAP device (not TUNSETPERSIST: it disappears
 * with its last descriptor) in that namespace, or in xcsim's own when
 * netns_fd is -1, gives it the simulated interface's MAC and the link's
 * MTU, the host address and routes of the configuration, brings it up
 * (IPv6 off: the simulation is IPv4), and makes the simulated interface
 * its port (emu_port.h): frames the host sends enter the link at rt_now(),
 * frames the link delivers are written to the device. Reads are drained
 * on the rt loop, at most EMU_TAP_BATCH a wake-up so the kernel keeps
 * running events.
 *
 * Options, measured in bench/README.md ("TAP attachment"):
 *   vnet_hdr  IFF_VNET_HDR: a virtio-net header before each frame, without
 *             offloads (TUNSETOFFLOAD 0), so frames stay real frames the
 *             simulated link can carry one by one;
 *   queues    IFF_MULTI_QUEUE with that many descriptors, all read by the
 *             one loop (the kernel spreads the host's flows over them).
 */
#ifndef XCSIM_EMU_TAP_H
#define XCSIM_EMU_TAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

struct rt;
struct node;
struct emu_cleanup;
struct emu_tap;
struct emu_port;

#define EMU_TAP_BATCH 64
#define EMU_TAP_QUEUES_MAX 8

/*
 * A namespace held by a child (*pid), and a descriptor of it (*fd, close
 * it when done). 0, or -1 with err (naming CAP_SYS_ADMIN when that is what
 * is missing).
 */
int emu_netns_new(struct emu_cleanup *c, const char *label, pid_t *pid,
    int *fd, char *err, size_t errlen);

struct emu_tap_route {
	uint32_t prefix;
	uint8_t plen;
	uint32_t via;		/* 0: directly on the device */
};

struct emu_tap_cfg {
	const char *device;	/* its name, at most 15 bytes */
	int netns_fd;		/* -1: xcsim's own namespace */
	uint32_t addr;		/* host order; 0: none */
	uint8_t plen;
	const struct emu_tap_route *routes;
	size_t n_routes;
	bool vnet_hdr;
	unsigned queues;	/* 0 or 1: one; at most EMU_TAP_QUEUES_MAX */
};

/* NULL with err: no CAP_NET_ADMIN, a device name taken, ... */
struct emu_tap *emu_tap_open(struct rt *rt, struct node *n, uint32_t ifindex,
    const struct emu_tap_cfg *cfg, char *err, size_t errlen);
/* Stop reading, give the interface back, close the device (it vanishes). */
void emu_tap_close(struct emu_tap *t);
const struct emu_port *emu_tap_port(const struct emu_tap *t);
const char *emu_tap_name(const struct emu_tap *t);

#endif
