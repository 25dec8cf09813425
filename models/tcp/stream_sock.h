/*
 * stream_sock.h - the stream API's second backend (stream.h): real TCP
 * sockets of the host, driven by a libev loop, for emulation. The BGP
 * speaker given such a host (bgp_speaker_cfg.host) peers with real daemons
 * with the same code that peers over the simulated TCP.
 *
 * Time. Sockets are non-blocking; ev_io watchers read, write, accept and
 * finish connects as the kernel allows, but no stream callback and no
 * accept callback ever runs from a watcher: the watcher records what
 * happened and schedules one simulation event at now() (the simulated time
 * of the wall-clock instant, e.g. rt_now of sim/realtime.h), and the
 * callbacks run inside it, so that sim_now() and the user's timers are
 * right and the kernel's event order holds. Bytes read become visible to
 * stream_readable()/stream_read() at that event, not before.
 *
 * Addresses. A listen on address 0 binds cfg.bind_addr (the simulated
 * router's address, which the caller adds to the host: 127.0.0.x on lo, or
 * an address in a namespace's veth), so that several simulated routers and
 * real daemons share port 179 on one host; a connect binds cfg.bind_addr
 * first when its local address is 0. The stream options' vrf is ignored:
 * cfg.bind_dev, when set, puts every socket on that device
 * (SO_BINDTODEVICE, which is how a Linux VRF device is entered).
 *
 * Options map to the socket: ttl to IP_TTL, min_ttl to IP_MINTTL, nodelay
 * to TCP_NODELAY, cc to TCP_CONGESTION, rcvbuf to SO_RCVBUF, an MD5 key to
 * TCP_MD5SIG for the remote address. A listener's per-peer keys are
 * TCP_MD5SIG entries on the listening socket; its IP_TTL is the largest and
 * its IP_MINTTL the smallest of its peers' (and its own), and an accepted
 * socket gets its peer's exactly, as stream.h says.
 *
 * Send buffer. stream_send copies into a user-space buffer of opts.sndbuf
 * bytes (0: 64 KiB) that is written to the socket as the kernel takes it.
 * on_sent reports bytes the kernel took, not bytes the peer acknowledged
 * (nothing tells a socket user when an ACK arrives); stream_send_queued is
 * the user-space buffer plus the kernel's unacknowledged bytes (SIOCOUTQ).
 * Closing: stream_close writes what is queued, sends the FIN, discards what
 * still arrives and reports on_closed when the peer's FIN has come.
 * stream_abort sets SO_LINGER 0 and closes: the kernel sends a reset.
 *
 * Errors: ECONNREFUSED is STREAM_REFUSED, ECONNRESET and EPIPE
 * STREAM_RESET, ETIMEDOUT STREAM_TIMEDOUT, EHOSTUNREACH, ENETUNREACH and
 * the rest STREAM_UNREACHABLE.
 *
 * A host holds no global state; several may share a loop and a sim.
 * Docs: docs/emulation-bgp.md.
 */
#ifndef XCSIM_STREAM_SOCK_H
#define XCSIM_STREAM_SOCK_H

#include <stddef.h>
#include <stdint.h>

#include "stream.h"
#include "units.h"

struct sim;
struct ev_loop;

/* The simulated time of wall-clock now, >= sim_now() (rt_now). */
typedef sim_time (*stream_sock_now_fn)(void *ctx);

struct stream_sock_cfg {
	uint32_t bind_addr;	/* host order; 0: the kernel chooses */
	const char *bind_dev;	/* SO_BINDTODEVICE for every socket, or NULL */
	uint32_t sndbuf;	/* default user-space send buffer (0: 64 KiB) */
};

/*
 * A host of real sockets whose callbacks run as events of sim, its
 * watchers on loop; now (NULL: sim_now) dates what the watchers saw. NULL
 * with err if cfg.bind_dev is too long.
 */
struct stream_host *stream_sock_host_new(struct sim *sim,
    struct ev_loop *loop, stream_sock_now_fn now, void *now_ctx,
    const struct stream_sock_cfg *cfg, char *err, size_t errlen);
/*
 * Close every socket of h (streams with a reset, listeners) without a
 * callback, cancel its pending events and free it. Handles the user still
 * has become invalid.
 */
void stream_sock_host_free(struct stream_host *h);

/* Sockets open now (streams, released streams finishing, listeners). */
size_t stream_sock_host_sockets(const struct stream_host *h);

#endif
