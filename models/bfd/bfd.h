/*
 * bfd.h - Bidirectional Forwarding Detection: RFC 5880 asynchronous mode
 * over single-hop IPv4 UDP (RFC 5881), with real packets.
 *
 * struct bfd owns every BFD session of one simulation: one UDP binding on
 * port 3784 per (node, VRF) that has a session, and the sessions, each
 * identified by (node, VRF, local address, peer address) and by its local
 * discriminator. A client (the BGP speaker) adds a session with its timers
 * and a callback that hears every state change with its diagnostic.
 *
 * What the sessions do, by RFC 5880 section:
 *   6.2, 6.8.6  the three-way handshake Down -> Init -> Up, AdminDown, and
 *               the reception checks (bfd_pkt.h), each drop traced with
 *               its reason and counted;
 *   6.8.2       transmit interval = max(local desired min TX, remote
 *               required min RX);
 *   6.8.3       desired min TX of at least 1 s while not Up; a Poll
 *               Sequence when the timers change while Up, an increase of
 *               the transmit interval and a decrease of the detection
 *               time's local part taking effect only when it ends;
 *   6.8.4       detection time = remote detect mult x max(local required
 *               min RX, remote desired min TX): the slower side decides;
 *   6.8.7       periodic packets jittered to 75-100% of the interval
 *               (75-90% with detect mult 1) from a named rng stream per
 *               session, a Final answering a Poll at once, and a packet
 *               at once whenever its content changes (state, diag, timers);
 *               every transmission restarts the periodic timer;
 *   6.8.16      AdminDown (diag 7), during which packets keep going out
 *               at the slow rate.
 * Diagnostics: 1 when the detection time expires, 3 when the neighbour
 * signals Down or AdminDown, 7 for AdminDown; cleared on reaching Up.
 * Packets go out with TTL 255 and are accepted only with TTL 255 (RFC 5881
 * section 5), from a source port in 49152-65535 unique per node. There is
 * no authentication and no echo function; a session never asks for Demand
 * mode but honours a peer's (no periodic packets while both are Up). With a single hop the
 * peer is reached through one interface, so a node has at most one
 * session per (VRF, peer).
 *
 * A node powered off (net.h, node_set_powered: node-down) has its sessions
 * Down at once, silent, with what they learnt of the peer forgotten (the
 * client hears the change); powered on, each starts again as a new one,
 * with a new discriminator.
 *
 * Trace: each session's state as TR_SESSION_STATE (proto bfd, peer "ADDR",
 * or "ADDR vrf N" outside the default VRF), with the reason in words.
 */
#ifndef XCSIM_BFD_H
#define XCSIM_BFD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bfd_pkt.h"
#include "units.h"

struct net;
struct node;
struct bfd;
struct bfd_session;

struct bfd_cfg {
	sim_time desired_min_tx;	/* > 0, whole microseconds */
	sim_time required_min_rx;	/* >= 0 (0: send me nothing) */
	uint8_t detect_mult;		/* > 0 */
};

/*
 * The MSEE's BFD: tx and rx 300 ms, multiplier 3, detection 900 ms. Source:
 * "Configure BFD over ExpressRoute", learn.microsoft.com/azure/expressroute/
 * expressroute-bfd (shared/facts/cloud-facts.md 1.5); some MSEEs use 750 ms.
 */
#define BFD_MSEE_TX SIM_MS(300)
#define BFD_MSEE_RX SIM_MS(300)
#define BFD_MSEE_MULT 3u
extern const struct bfd_cfg bfd_msee_cfg;
/* RFC 5880 6.8.3: desired min TX while the session is not Up. */
#define BFD_SLOW_TX SIM_S(1)

/*
 * A state change: old and new state, and the diagnostic the session now
 * sends (why it went down; 0 on reaching Up). Called after the session's
 * state and trace record are updated. The callback may remove the session.
 */
typedef void (*bfd_state_fn)(struct bfd_session *s, enum bfd_state old,
    enum bfd_state state, enum bfd_diag diag, void *ctx);

struct bfd_stats {
	uint64_t tx, rx;		/* control packets sent, accepted */
	uint64_t rx_drops[BFD_RX_ERR_MAX];	/* demultiplexed, then dropped */
	uint64_t ups, downs;		/* transitions to Up, from Up */
	uint64_t polls, finals_rx;	/* Poll sequences started, ended */
	uint64_t icmp_errors;		/* ICMP errors quoting our packets */
	sim_time last_change;		/* time of the latest state change */
};

struct bfd *bfd_new(struct net *net);
/* Removes every session (their callbacks are not called). */
void bfd_free(struct bfd *b);

/*
 * Add a session on n in vrf from local (0: node_source_for the peer) to
 * peer. It starts Down and sends its first packet in an event at the
 * current time. Returns NULL with err set for a bad configuration, no
 * route to peer, (vrf, peer) already having a session on n, port 3784 of
 * vrf bound by something else, or no free source port.
 */
struct bfd_session *bfd_session_add(struct bfd *b, struct node *n,
    uint32_t vrf, uint32_t local, uint32_t peer, const struct bfd_cfg *cfg,
    bfd_state_fn fn, void *ctx, char *err, size_t errlen);
/* Stop and free it, without a callback; its trace record says "removed". */
void bfd_session_remove(struct bfd_session *s);
/* AdminDown (diag 7) or back to Down, which restarts the handshake. */
void bfd_session_admin(struct bfd_session *s, bool down);
/*
 * New timers (RFC 5880 6.8.3): while Up, a Poll Sequence tells the peer;
 * otherwise they apply at once. Returns -1 for a bad configuration.
 */
int bfd_session_set_cfg(struct bfd_session *s, const struct bfd_cfg *cfg);
/* The session of (vrf, peer) on n, or NULL. */
struct bfd_session *bfd_session_find(const struct bfd *b,
    const struct node *n, uint32_t vrf, uint32_t peer);

enum bfd_state bfd_session_state(const struct bfd_session *s);
enum bfd_state bfd_session_remote_state(const struct bfd_session *s);
enum bfd_diag bfd_session_diag(const struct bfd_session *s);
const struct bfd_stats *bfd_session_stats(const struct bfd_session *s);
uint32_t bfd_session_local_disc(const struct bfd_session *s);
uint32_t bfd_session_remote_disc(const struct bfd_session *s);
uint16_t bfd_session_sport(const struct bfd_session *s);
uint32_t bfd_session_local_addr(const struct bfd_session *s);
bool bfd_session_polling(const struct bfd_session *s);
/* The transmit interval in use before jitter (0: none, remote RX is 0). */
sim_time bfd_session_tx_interval(const struct bfd_session *s);
/* The detection time in use (0 until a packet has been received). */
sim_time bfd_session_detect_time(const struct bfd_session *s);
/* Packets dropped before reaching a session, by reason. */
const uint64_t *bfd_rx_drops(const struct bfd *b);

#endif
