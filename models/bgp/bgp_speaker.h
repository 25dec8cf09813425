/*
 * bgp_speaker.h - a BGP-4 speaker on one node and VRF: the glue between
 * the codec (bgp_msg.h), the session FSM (bgp_fsm.h), the tables
 * (bgp_rib.h), routing policy (bgp_policy.h), BFD (bfd.h) and the
 * transport (stream.h over the node's simulated TCP).
 *
 * It owns the neighbours and their connections: a listener on TCP 179
 * per transport (the speaker's and any neighbour's own, e.g. real sockets
 * beside the simulated TCP) accepting that transport's configured
 * neighbours only (others are reset), the active
 * connect, one FSM per connection (two during a collision, resolved with
 * bgp_fsm_collision_of), the byte stream cut into messages by bgp_frame
 * and decoded in 4- or 2-octet mode as negotiated, the RFC 7606 outcome
 * applied. Received routes go through the AS-path loop check, import
 * policy and max-prefix into the Adj-RIB-In; the Loc-RIB's best routes go
 * into the node's RIB (bgp_node_attach) and, per established peer, through
 * the export rules of RFC 4271 5.1 and 9.1.3, export policy and the
 * Adj-RIB-Out diff into packed UPDATEs, paced by the MRAI.
 *
 * Trace: every FSM state change as a TRP_BGP session record with its
 * reason in words, one annotation per BGP message sent or received
 * (bgp_msg_summary) and the session's message counters after it
 * (session_stats); every decision that changes the Loc-RIB as a route
 * record of table "bgp" ("bgp/N" in VRF N) with the best route's
 * attributes and why it won over the runner-up (bgp_trace.c). Installs
 * and withdrawals in the node's own table are recorded by sim/
 * (net_route.c's RIB listener), not here.
 *
 * Addresses are host order. Docs: docs/bgp-speaker.md.
 */
#ifndef XCSIM_BGP_SPEAKER_H
#define XCSIM_BGP_SPEAKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bfd.h"
#include "bgp_fsm.h"
#include "bgp_msg.h"
#include "units.h"

struct node;
struct bfd;
struct bgp_rib;
struct bgp_policy;
struct bgp_speaker;
struct stream_host;
struct tcp_cfg;

/* RFC 2385 keys: what Cisco and Linux (TCP_MD5SIG_MAXKEYLEN) accept. */
#define BGP_MD5_KEY_MAX 80
/* RFC 4724 helper defaults: a restart time of 120 s, stale routes 360 s. */
#define BGP_GR_RESTART_S 120
#define BGP_GR_STALE_TIME SIM_S(360)

/* RFC 4271 10: MinRouteAdvertisementIntervalTimer suggested for eBGP. */
#define BGP_MRAI_EBGP_DEFAULT SIM_S(30)
#define BGP_MRAI_DEFAULT (-1)	/* per peer type: 0 iBGP, the speaker's eBGP value */

struct bgp_neighbor_cfg {
	uint32_t addr;			/* the peer's address */
	uint32_t remote_as;		/* 4-octet; equal to ours: iBGP */
	/* timers and options; NULL: bgp_fsm_default_cfg (copied) */
	const struct bgp_fsm_cfg *fsm;
	bool passive;			/* never connect, only accept */
	/*
	 * TTL of our segments: 0 means 1 for eBGP (single hop) and 64 for
	 * iBGP; a multihop eBGP session sets its hop count.
	 */
	uint8_t ttl;
	/* BFD for this neighbour (copied), NULL: off */
	const struct bfd_cfg *bfd;
	/* max-prefix: 0 off; teardown (Cease 6/1) past limit unless warning_only */
	uint32_t max_prefix;
	bool max_prefix_warning_only;
	sim_time max_prefix_restart;	/* 0: stay down until restarted */
	struct bgp_policy *import, *export;	/* NULL: none (see rfc8212) */
	bool next_hop_self;		/* iBGP: our address as next hop */
	uint8_t allowas_in;		/* own ASN allowed this many times */
	sim_time mrai;			/* BGP_MRAI_DEFAULT or >= 0 */
	/*
	 * RFC 2385 TCP MD5 signature key ("" off). Both ends must hold the
	 * same key: a segment without a signature, or with a wrong one, is
	 * dropped by TCP (traced), so a mismatch keeps the session down.
	 */
	char md5_key[BGP_MD5_KEY_MAX + 1];
	/*
	 * RFC 5082 GTSM: 0 off; else segments go out with TTL 255 and only
	 * those arriving with TTL >= 256 - gtsm_hops are accepted (ttl above
	 * is then ignored).
	 */
	uint8_t gtsm_hops;
	bool rr_client;			/* iBGP: route-reflector client (4456) */
	/*
	 * RFC 4724: advertise the capability with gr_restart_s and act as a
	 * helper: when the peer (which advertised it too) drops without a
	 * NOTIFICATION, its routes stay, marked stale, for its restart time;
	 * after it re-establishes, its End-of-RIB (or gr_stale_time, whichever
	 * first) sweeps what it did not send again.
	 */
	bool graceful_restart;
	uint16_t gr_restart_s;		/* 0: BGP_GR_RESTART_S */
	sim_time gr_stale_time;		/* 0: BGP_GR_STALE_TIME */
	bool enhanced_rr;		/* RFC 7313: advertise, BoRR/EoRR */
	/*
	 * This neighbour's transport; NULL: the speaker's (cfg.host, itself
	 * NULL: the node's simulated TCP). In emulation one MSEE can peer
	 * with a real router over sockets and keep its simulated iBGP
	 * partner: the speaker listens once per distinct transport and
	 * accepts a connection only from a neighbour of that transport.
	 */
	struct stream_host *host;
	/*
	 * Configured but not started (a neighbour whose gate is closed at
	 * time zero, models/gates): bgp_speaker_start leaves its FSM in Idle
	 * and makes no BFD session for it; bgp_speaker_peer_start starts it.
	 */
	bool held;
	/*
	 * Its BFD session lives only while the session is started: made by
	 * bgp_speaker_peer_start if there is none, removed by
	 * bgp_speaker_peer_stop / _shutdown (a gated neighbour: closed, it
	 * sends nothing at all).
	 */
	bool bfd_with_start;
};

struct bgp_speaker_cfg {
	uint32_t asn;			/* 4-octet, 1..4294967295, not 23456 */
	uint32_t router_id;		/* non-zero */
	uint32_t vrf;
	unsigned max_paths;		/* ECMP; 0 taken as 1 */
	sim_time ebgp_mrai;		/* default MRAI of eBGP peers (30 s) */
	bool rfc8212;			/* no policy on eBGP: accept/send nothing */
	uint8_t rib_source;		/* RIB source id (0: RIB_SRC_MODEL) */
	/* BFD sessions are added here when a neighbour asks for BFD */
	struct bfd *bfd;
	/*
	 * The transport: NULL, the node's simulated TCP; in emulation, a
	 * host of real sockets (the same speaker peers with real daemons).
	 */
	struct stream_host *host;
	/* TCP settings of the simulated transport's connections (NULL: the
	 * node stack's defaults); the socket backend ignores them. */
	const struct tcp_cfg *tcp;
	uint32_t cluster_id;		/* route reflection; 0: router_id */
	bool always_compare_med;	/* decision: MED across neighbour ASes */
	bool oldest_ebgp;		/* decision: prefer the oldest eBGP route */
};

/* The defaults: eBGP MRAI 30 s, one path, no RFC 8212. */
void bgp_speaker_cfg_init(struct bgp_speaker_cfg *c, uint32_t asn,
    uint32_t router_id);
void bgp_neighbor_cfg_init(struct bgp_neighbor_cfg *c, uint32_t addr,
    uint32_t remote_as);

/*
 * A speaker on n (nothing runs until bgp_speaker_start). NULL with err for
 * a bad configuration.
 */
struct bgp_speaker *bgp_speaker_new(struct node *n,
    const struct bgp_speaker_cfg *cfg, char *err, size_t errlen);
/* Aborts every connection, removes its routes and BFD sessions. */
void bgp_speaker_free(struct bgp_speaker *sp);

/*
 * 0, or -1 with err: bad ASN, duplicate address, bad timers, an MD5 key not
 * NUL-terminated within md5_key (longer than BGP_MD5_KEY_MAX), gtsm_hops
 * 255 (0 is off, else 1..254).
 */
int bgp_speaker_add_neighbor(struct bgp_speaker *sp,
    const struct bgp_neighbor_cfg *nc, char *err, size_t errlen);
/*
 * Originate prefix/len (a `network` statement): 0, or -1 if invalid.
 * Before or after bgp_speaker_start: at run time the route is exported to
 * the established peers at once (their MRAI permitting).
 */
int bgp_speaker_add_network(struct bgp_speaker *sp, uint32_t prefix,
    uint8_t len);
/*
 * Stop originating prefix/len as a network statement, at any time: the
 * peers get a withdrawal unless an aggregate or a redistributed route of
 * the same prefix still originates it. 0, or -1 if it was not one.
 */
int bgp_speaker_remove_network(struct bgp_speaker *sp, uint32_t prefix,
    uint8_t len);
/*
 * Many at once (a leak of thousands of prefixes): each of the n prefixes
 * addr[i]/len[i] added (on) or removed, one export round for all. 0, or -1
 * if one is invalid, before anything changed; removing one that is not a
 * network statement is not an error.
 */
int bgp_speaker_set_networks(struct bgp_speaker *sp, const uint32_t *addr,
    const uint8_t *len, size_t n, bool on);
/*
 * Aggregate prefix/len (RFC 4271 9.2.2.2): originated while at least one
 * more specific route is in the Loc-RIB, with ATOMIC_AGGREGATE and
 * AGGREGATOR (our ASN and router id); as_set: an AS_SET of the
 * contributors' ASes instead of ATOMIC_AGGREGATE. summary_only: the more
 * specifics are not exported. 0, or -1 if invalid or a duplicate.
 */
int bgp_speaker_add_aggregate(struct bgp_speaker *sp, uint32_t prefix,
    uint8_t len, bool summary_only, bool as_set);

/*
 * Route sources bgp_speaker_redistribute takes from the node's VRF: a mask
 * of RIB source ids (rib.h), bit id for source id, so that any source of
 * the node (a route table's named source, node_route_source) can be
 * redistributed; connected and static are ids 0 and 1.
 */
#define BGP_REDIST_SOURCE(id) (1u << (id))
enum {
	BGP_REDIST_CONNECTED = 1u << 0,	/* interface subnets */
	BGP_REDIST_STATIC = 1u << 1	/* static routes */
};
/*
 * Originate the node's routes of these sources (ORIGIN INCOMPLETE, MED =
 * the route's metric), following them as they come and go; pol (may be
 * NULL) filters and sets attributes as an import policy does. A call
 * replaces the previous one's sources and policy. 0, or -1 for the
 * speaker's own source (its routes are BGP's already).
 */
int bgp_speaker_redistribute(struct bgp_speaker *sp, unsigned what,
    struct bgp_policy *pol);

/*
 * Listen on TCP 179 (once per distinct neighbour transport), start every neighbour's FSM (ManualStart, passive as
 * configured) and its BFD session. 0, or -1 with err.
 */
int bgp_speaker_start(struct bgp_speaker *sp, char *err, size_t errlen);

struct bgp_rib *bgp_speaker_rib(struct bgp_speaker *sp);
/* The transport sessions use: cfg.host, or the node's simulated TCP. */
struct stream_host *bgp_speaker_host(const struct bgp_speaker *sp);
struct node *bgp_speaker_node(const struct bgp_speaker *sp);
/* Its configuration, as bgp_speaker_new took it. */
const struct bgp_speaker_cfg *bgp_speaker_config(const struct bgp_speaker *sp);
/*
 * Its neighbours in the order they were added (for who lists them, as a
 * router's "show ip bgp summary"): how many, and the configuration of
 * neighbour i < bgp_speaker_n_neighbors (fsm and bfd NULL: they were
 * copied into the session).
 */
size_t bgp_speaker_n_neighbors(const struct bgp_speaker *sp);
const struct bgp_neighbor_cfg *bgp_speaker_neighbor(
    const struct bgp_speaker *sp, size_t i);

/* What a session did; times -1 when it never happened. */
struct bgp_peer_stats {
	sim_time started;		/* ManualStart */
	sim_time first_established;
	sim_time time_to_established;	/* first_established - started */
	sim_time last_established, last_down;
	sim_time last_rx;		/* the latest message from the peer */
	uint64_t flaps;			/* exits from Established */
	uint64_t updates_in, updates_out;
	uint64_t prefixes_in, prefixes_out;	/* announced */
	uint64_t withdrawn_in, withdrawn_out;
	uint64_t rejected_loop, rejected_policy;	/* prefixes */
	uint64_t rejected_nh;		/* prefixes: NEXT_HOP ours (6.3) */
	uint64_t unsendable;		/* prefixes: UPDATE past 4,096 bytes */
	uint64_t max_prefix_teardowns;
	uint8_t last_notif_sent[2], last_notif_rcvd[2];	/* code, subcode */
	/*
	 * Every message received from and sent to the neighbour, on any of
	 * its connections (a collision's too), by type (bgp_msg.h's enum
	 * bgp_type; [0]: a type out of range), and in all: what "show ip bgp
	 * summary" counts as MsgRcvd and MsgSent. A message counts as
	 * received once framed (before it is decoded, so a malformed one
	 * counts) and as sent once handed to the transport. Like a router's
	 * counters (FRR's, IOS's) they are never reset: they go on counting
	 * across session flaps.
	 */
	uint64_t msg_in[BGP_TYPE_MAX], msg_out[BGP_TYPE_MAX];
	uint64_t msgs_in, msgs_out;
};

/* The session's state (the established connection's, or the main one's). */
enum bgp_fsm_state bgp_speaker_peer_state(const struct bgp_speaker *sp,
    uint32_t addr);
/* 0, or -1 if no such neighbour. */
int bgp_speaker_peer_stats(const struct bgp_speaker *sp, uint32_t addr,
    struct bgp_peer_stats *st);
/* Connections the neighbour has now (0..2: 2 during a collision). */
unsigned bgp_speaker_peer_conns(const struct bgp_speaker *sp, uint32_t addr);
/* Prefixes in its Adj-RIB-In / Adj-RIB-Out (0 when not established). */
size_t bgp_speaker_peer_in(const struct bgp_speaker *sp, uint32_t addr);
size_t bgp_speaker_peer_out(const struct bgp_speaker *sp, uint32_t addr);
/* ManualStop (Cease 6/2) or ManualStart of one neighbour. */
int bgp_speaker_peer_stop(struct bgp_speaker *sp, uint32_t addr);
int bgp_speaker_peer_start(struct bgp_speaker *sp, uint32_t addr);
/*
 * ManualStop with an RFC 8203 shutdown communication: Cease 6/2 carrying
 * text (UTF-8, at most 255 bytes; NULL or "" none). -1 if no neighbour.
 */
int bgp_speaker_peer_shutdown(struct bgp_speaker *sp, uint32_t addr,
    const char *text);
/* Ask the peer to resend its routes (ROUTE-REFRESH); -1 if not up. */
int bgp_speaker_peer_refresh(struct bgp_speaker *sp, uint32_t addr);
/*
 * pol changed (bgp_policy_rule_enable): every established neighbour whose
 * export or import is pol is reconfigured softly, the session kept. Export:
 * the Loc-RIB through the policy again, what now differs from the
 * Adj-RIB-Out sent at once (UPDATEs with the new attributes, withdrawals),
 * not held by the MRAI. Import: a ROUTE-REFRESH asks the peer for its
 * routes again, re-evaluated on arrival (the Adj-RIB-In keeps what the
 * policy returned, not what was received); a peer without the capability
 * keeps the old outcome until its session resets (annotated in the trace).
 * Neighbours not established get the policy as it is when they come up.
 * If pol is the speaker's redistribute policy, the node's routes go
 * through it again (bgp_speaker_redistribute's evaluation), what now
 * differs originated or withdrawn at once, and that counts as one more.
 * Returns how many directions were reconfigured.
 */
int bgp_speaker_policy_changed(struct bgp_speaker *sp,
    const struct bgp_policy *pol);

/*
 * Call fn(arg, addr, established) whenever the session with neighbour addr
 * enters or leaves Established (not for other FSM moves), after the
 * change; watches on one neighbour are called in the order they were
 * added. For a model that follows sessions (a virtual circuit's
 * bgpSessionState, models/prov). 0, or -1 if no such neighbour or out of
 * memory.
 */
int bgp_speaker_watch_peer(struct bgp_speaker *sp, uint32_t addr,
    void (*fn)(void *arg, uint32_t addr, bool established), void *arg);

#endif
