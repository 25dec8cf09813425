/*
 * bgp_fsm.h - the BGP-4 session state machine of RFC 4271 section 8, with
 * no transport and no wire format in it (it names NOTIFICATIONs and
 * message types with the codec's constants, bgp_msg.h).
 *
 * A struct bgp_fsm is one BGP connection's state machine: its state, its
 * ConnectRetryCounter, its five timers (ConnectRetry, Hold, Keepalive,
 * DelayOpen, IdleHold: sim/timer.h, owned here), the negotiated hold time,
 * the damping history and the counters. The speaker feeds it the events of
 * RFC 4271 8.1 (bgp_fsm_event: what it decoded, what its stream reported,
 * what the operator asked) and performs what the FSM asks through a table
 * of ops (open or close a TCP connection, send an OPEN, KEEPALIVE or
 * NOTIFICATION, the session came up or went down). The same code runs in
 * simulation and, with real sockets under the speaker, in emulation.
 *
 * Two connections to one peer (both sides connecting at once) are two
 * FSMs, as in BIRD (outgoing_conn, incoming_conn): the speaker starts a
 * passive one for an accepted connection and, when an OPEN arrives,
 * decides with bgp_fsm_collision (RFC 4271 6.8) which of the two gets
 * OpenCollisionDump.
 *
 * Every transition of 8.2.2 is implemented as written, with these choices
 * where the RFC leaves room or contradicts itself (docs/bgp-fsm.md lists
 * them with reasons): entering Idle stops every timer but IdleHold; a
 * BGPHeaderErr in Established sends its own Message Header Error (6.1)
 * rather than an FSM Error; FSM Errors carry the RFC 6608 subcodes; a
 * BGPOpen on an Established connection changes nothing (the speaker runs
 * the collision check); automatic restart and peer damping follow BIRD's
 * "error wait time" / "error forget time" rule.
 *
 * Ops are called from inside bgp_fsm_event and from timer events. They
 * must not call bgp_fsm_event on the same FSM nor free it (a stream error
 * noticed inside an op is fed later, from its own event: stream.h already
 * guarantees that for its callbacks); they may call bgp_fsm_msg_in/_out
 * (session_up sending the Adj-RIB-Out) and the getters.
 */
#ifndef XCSIM_BGP_FSM_H
#define XCSIM_BGP_FSM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bgp_msg.h"
#include "units.h"

struct sim;
struct bgp_fsm;

/* RFC 4271 8.2.2 states. */
enum bgp_fsm_state {
	BGP_ST_IDLE,
	BGP_ST_CONNECT,
	BGP_ST_ACTIVE,
	BGP_ST_OPENSENT,
	BGP_ST_OPENCONFIRM,
	BGP_ST_ESTABLISHED,
	BGP_ST_MAX
};
extern const char *const bgp_fsm_state_name[BGP_ST_MAX];

/* RFC 4271 8.1 events, numbered as there; the names are the RFC's. */
enum bgp_fsm_event {
	BGP_EV_NONE = 0,
	BGP_EV_MANUAL_START = 1,
	BGP_EV_MANUAL_STOP = 2,
	BGP_EV_AUTO_START = 3,
	BGP_EV_MANUAL_START_PASSIVE = 4,
	BGP_EV_AUTO_START_PASSIVE = 5,
	BGP_EV_AUTO_START_DAMP = 6,
	BGP_EV_AUTO_START_DAMP_PASSIVE = 7,
	BGP_EV_AUTO_STOP = 8,
	BGP_EV_CONNECT_RETRY_TIMER = 9,
	BGP_EV_HOLD_TIMER = 10,
	BGP_EV_KEEPALIVE_TIMER = 11,
	BGP_EV_DELAY_OPEN_TIMER = 12,
	BGP_EV_IDLE_HOLD_TIMER = 13,
	BGP_EV_TCP_VALID = 14,		/* no FSM action: speaker accepts */
	BGP_EV_TCP_CR_INVALID = 15,	/* no FSM action: speaker refuses */
	BGP_EV_TCP_CR_ACKED = 16,	/* our connect completed */
	BGP_EV_TCP_CONFIRMED = 17,	/* the peer's connect, accepted */
	BGP_EV_TCP_FAILS = 18,
	BGP_EV_OPEN = 19,		/* BGPOpen */
	BGP_EV_OPEN_DELAYED = 20,	/* BGPOpen with DelayOpenTimer running */
	BGP_EV_HEADER_ERR = 21,
	BGP_EV_OPEN_ERR = 22,
	BGP_EV_COLLISION_DUMP = 23,
	BGP_EV_NOTIF_VER_ERR = 24,
	BGP_EV_NOTIF = 25,
	BGP_EV_KEEPALIVE = 26,		/* KeepAliveMsg */
	BGP_EV_UPDATE = 27,
	BGP_EV_UPDATE_ERR = 28,
	BGP_EV_MAX
};
extern const char *const bgp_fsm_event_name[BGP_EV_MAX];

/*
 * A NOTIFICATION, sent or received (data borrowed for the call): the
 * codec's struct bgp_notify or bgp_notification as a light view. Codes and
 * subcodes are bgp_msg.h's BGP_ERR_* and BGP_CEASE_*.
 */
struct bgp_fsm_notif {
	uint8_t code, subcode;
	const uint8_t *data;
	size_t data_len;
};

/* Why a connection went to Idle. */
enum bgp_fsm_why {
	BGP_WHY_NONE,		/* not down (or never was) */
	BGP_WHY_MANUAL_STOP,	/* ManualStop (notif: Cease 6/2 if sent) */
	BGP_WHY_AUTO_STOP,	/* AutomaticStop (e.g. max-prefix) */
	BGP_WHY_HOLD_EXPIRED,	/* HoldTimer_Expires; notif 4/0 sent */
	BGP_WHY_TCP_FAILED,	/* TcpConnectionFails */
	BGP_WHY_NOTIF_SENT,	/* an error we detected; notif sent */
	BGP_WHY_NOTIF_RCVD,	/* the peer's NOTIFICATION; notif is it */
	BGP_WHY_COLLISION,	/* OpenCollisionDump; Cease 6/7 sent */
	BGP_WHY_UNEXPECTED,	/* an event 8.2.2 drops the connection on */
	BGP_WHY_MAX
};

struct bgp_fsm_reason {
	enum bgp_fsm_why why;
	enum bgp_fsm_event event;	/* the event that caused it */
	bool has_notif;			/* code/subcode are meaningful */
	uint8_t code, subcode;
	sim_time when;
};
/*
 * The reason in words, NOTIFICATIONs named by the codec's
 * bgp_notification_name (the IANA registry's names): "Hold Timer Expired", "Cease / Administrative
 * Shutdown", "TCP connection failed", "received Cease / Administrative
 * Reset", "sent UPDATE Message Error / Malformed AS_PATH", "unexpected
 * KeepAliveMsg". The text state_changed gets also quotes an RFC
 * 8203/9003 shutdown communication a Cease 6/2 or 6/4 sent or received
 * carried: "received Cease / Administrative Shutdown \"maintenance\"".
 */
char *bgp_fsm_reason_text(char *buf, size_t len,
    const struct bgp_fsm_reason *r);

struct bgp_fsm_ops {
	/* Open a TCP connection to the peer (Tcp_CR_Acked or
	 * TcpConnectionFails follows, from a later event). */
	void (*tcp_connect)(struct bgp_fsm *f, void *ctx);
	/*
	 * Drop the connection (and stop any connect in progress). sent is
	 * the NOTIFICATION just passed to send_notification, so the speaker
	 * closes gracefully for it to reach the peer; NULL: abort.
	 */
	void (*tcp_close)(struct bgp_fsm *f, const struct bgp_fsm_notif *sent,
	    void *ctx);
	/* Send our OPEN, proposing hold_s (the configured hold time). */
	void (*send_open)(struct bgp_fsm *f, uint16_t hold_s, void *ctx);
	void (*send_keepalive)(struct bgp_fsm *f, void *ctx);
	void (*send_notification)(struct bgp_fsm *f, const struct bgp_fsm_notif *n,
	    void *ctx);
	/* Established: send the Adj-RIB-Out. */
	void (*session_up)(struct bgp_fsm *f, void *ctx);
	/* Left Established: delete the peer's routes. */
	void (*session_down)(struct bgp_fsm *f, const struct bgp_fsm_reason *r,
	    void *ctx);
	/* Every transition, for the trace; reason in words (borrowed). */
	void (*state_changed)(struct bgp_fsm *f, enum bgp_fsm_state old,
	    enum bgp_fsm_state state, const char *reason, void *ctx);
};

/* RFC 4271 section 10 suggested values, 8.2.2's "large value" of Hold. */
#define BGP_CONNECT_RETRY_S	120
#define BGP_HOLD_S		90
#define BGP_OPENSENT_HOLD	SIM_S(240)

/* MSEE timers (below): keepalive 60 s, hold 180 s, minimums 3 s / 10 s. */
#define BGP_MSEE_KEEPALIVE_S	60
#define BGP_MSEE_HOLD_S		180
#define BGP_MSEE_MIN_KEEPALIVE_S 3
#define BGP_MSEE_MIN_HOLD_S	10

/*
 * The optional session attributes of RFC 4271 8.1.1 and the timers.
 * Times the RFC gives in seconds are in seconds (_s); the rest sim_time.
 */
struct bgp_fsm_cfg {
	uint16_t hold_s;		/* proposed: 0, or >= 3 */
	uint16_t keepalive_s;		/* 0: a third of the negotiated hold */
	uint16_t min_hold_s;		/* refuse a peer's hold in 1..min-1 */
	uint16_t connect_retry_s;	/* ConnectRetryTime, > 0 */
	uint16_t delay_open_s;		/* DelayOpenTime, > 0 with delay_open */
	bool passive;			/* PassiveTcpEstablishment */
	bool delay_open;		/* DelayOpen */
	bool send_notif_without_open;	/* SendNOTIFICATIONwithoutOPEN */
	bool collision_detect_established; /* CollisionDetectEstablishedState */
	bool jitter;			/* RFC 4271 10: 0.75-1.0 on CR, KA */
	/*
	 * A connect that fails in Connect goes to Active (ConnectRetryTimer
	 * restarted, incoming connections accepted), as BIRD, FRR and Cisco
	 * do, instead of to Idle as RFC 4271 8.2.2 says without DelayOpen:
	 * in Idle every incoming connection is refused, so two speakers
	 * whose connects cross a peer that only connects (ExaBGP's default)
	 * never meet. On in the presets; off gives the RFC's letter.
	 */
	bool connect_fail_active;
	/*
	 * AllowAutomaticStart: after a drop to Idle (not a ManualStop), an
	 * AutomaticStart (passive or not, as configured) when IdleHoldTimer
	 * expires after idle_hold.
	 */
	bool auto_start;
	sim_time idle_hold;		/* IdleHoldTime without damping */
	/*
	 * DampPeerOscillations, BIRD's rule ("error wait time" min,max and
	 * "error forget time"): at each drop 8.2.2 marks "performs peer
	 * oscillation damping", the IdleHoldTime becomes damp_min if the
	 * previous such drop was damp_forget or longer ago (or there was
	 * none), else twice the last one, at most damp_max.
	 */
	bool damp;
	sim_time damp_min, damp_max, damp_forget;
};

/*
 * bgp_fsm_default_cfg: RFC 4271 section 10's suggested values (hold 90 s,
 * keepalive 30 s, ConnectRetry 120 s), active, DelayOpen 0 s off, jitter
 * on, automatic restart after 5 s (BIRD's "start delay time"), damping off
 * with BIRD's defaults 60 s / 300 s / forget 300 s.
 *
 * bgp_fsm_msee_cfg: an MSEE: keepalive 60 s, hold 180 s; a peer may
 * propose less (the lower value wins) down to a hold of 10 s. Source:
 * "Configure BFD over ExpressRoute", learn.microsoft.com/azure/
 * expressroute/expressroute-bfd, and the ExpressRoute FAQ (shared/facts/
 * cloud-facts.md 1.5, B1). What an MSEE does with a lower proposal is not
 * documented: it is refused with 2/6, as a Cisco minimum-holdtime does.
 *
 * bgp_fsm_oci_cfg: an Oracle edge router: hold 180 s (three missed
 * keepalives of 60 s), from Oracle's FastConnect BFD announcement of
 * 2022-04-11 (cloud-facts.md 2.3; a third party's "~90 s" disagrees).
 */
extern const struct bgp_fsm_cfg bgp_fsm_default_cfg;
extern const struct bgp_fsm_cfg bgp_fsm_msee_cfg;
extern const struct bgp_fsm_cfg bgp_fsm_oci_cfg;

/* 0, or -1 with the reason in err for a configuration out of range. */
int bgp_fsm_cfg_check(const struct bgp_fsm_cfg *cfg, char *err,
    size_t errlen);

/*
 * A new FSM in Idle. name seeds its jitter stream (rng.h: "bgp/NODE/PEER"
 * as the speaker names it) and is copied. ops and ctx are borrowed for
 * the FSM's life. The configuration must pass bgp_fsm_cfg_check.
 */
struct bgp_fsm *bgp_fsm_new(struct sim *sim, const struct bgp_fsm_cfg *cfg,
    const struct bgp_fsm_ops *ops, void *ctx, const char *name);
/* Stops its timers and frees it; no op is called. */
void bgp_fsm_free(struct bgp_fsm *f);
/*
 * Stops every timer, so that no op is called again unless an event is fed
 * (the speaker's connection is buried, to be freed from a later event).
 */
void bgp_fsm_halt(struct bgp_fsm *f);

/* What comes with an event; NULL when nothing does. */
struct bgp_fsm_arg {
	uint16_t peer_hold_s;		/* BGPOpen(20): the OPEN's hold time */
	/*
	 * BGPHeaderErr, BGPOpenMsgErr, UpdateMsgErr: the NOTIFICATION to
	 * send; NotifMsg, NotifMsgVerErr: the one received; AutomaticStop:
	 * the Cease subcode to send (code ignored); ManualStop: the data of
	 * its Cease 6/2 (an RFC 8203 shutdown communication; code ignored).
	 */
	struct bgp_fsm_notif notif;
	/*
	 * AutomaticStop: the IdleHoldTime before the automatic restart that
	 * follows it, whether or not auto_start is configured (a max-prefix
	 * restart timer); with damping, the damped IdleHoldTime if that is
	 * longer. 0: as configured; negative: no automatic restart (until a
	 * start event).
	 */
	sim_time idle_hold;
};

/*
 * Feed one event. BGPOpen (19 and 20) needs arg->peer_hold_s: a hold of
 * 1 or 2, or below min_hold_s, is turned into BGPOpenMsgErr 2/6 here (the
 * codec reports the first already; the FSM does not trust it). The error
 * events need arg; a NULL arg there sends subcode 0 of the event's code.
 */
void bgp_fsm_event(struct bgp_fsm *f, enum bgp_fsm_event ev,
    const struct bgp_fsm_arg *arg);

/* ManualStart, or its passive form when the configuration says so. */
void bgp_fsm_start(struct bgp_fsm *f);
/*
 * An OPEN arrived (valid as far as the codec goes): BGPOpen, or BGPOpen
 * with DelayOpenTimer running when it runs.
 */
void bgp_fsm_rx_open(struct bgp_fsm *f, uint16_t peer_hold_s);

/*
 * Count a message received or sent, as the speaker tells it (type out of
 * range counts as 0, "other"; types are bgp_msg.h's enum bgp_type). An UPDATE sent in Established restarts the
 * KeepaliveTimer (8.2.2: each KEEPALIVE or UPDATE sent restarts it; the
 * KEEPALIVEs are the FSM's own and it restarts the timer itself).
 */
void bgp_fsm_msg_in(struct bgp_fsm *f, unsigned type);
void bgp_fsm_msg_out(struct bgp_fsm *f, unsigned type);

struct bgp_fsm_stats {
	uint64_t transitions;		/* state changes */
	uint64_t established;		/* entries into Established */
	uint64_t flaps;			/* exits from Established */
	uint64_t damped;		/* drops that grew the IdleHoldTime */
	sim_time last_established;	/* -1: never */
	sim_time last_down;		/* -1: never */
	uint64_t msg_in[BGP_TYPE_MAX], msg_out[BGP_TYPE_MAX];
	struct bgp_fsm_reason last_error;	/* why NONE: none yet */
};
const struct bgp_fsm_stats *bgp_fsm_stats(const struct bgp_fsm *f);

enum bgp_fsm_state bgp_fsm_state(const struct bgp_fsm *f);
uint32_t bgp_fsm_connect_retry_counter(const struct bgp_fsm *f);
/* The negotiated hold time (valid from OpenConfirm on; 0: none). */
uint16_t bgp_fsm_hold_s(const struct bgp_fsm *f);
/* The keepalive interval before jitter (0: no keepalives). */
sim_time bgp_fsm_keepalive_interval(const struct bgp_fsm *f);
/* The IdleHoldTime the next automatic restart waits. */
sim_time bgp_fsm_idle_hold_time(const struct bgp_fsm *f);
/* The local system opened this connection (Tcp_CR_Acked). */
bool bgp_fsm_outgoing(const struct bgp_fsm *f);
/* An incoming connection for this peer may be accepted (not Idle). */
bool bgp_fsm_accepts(const struct bgp_fsm *f);
const struct bgp_fsm_cfg *bgp_fsm_cfg(const struct bgp_fsm *f);

enum bgp_fsm_timer {
	BGP_TM_CONNECT_RETRY,
	BGP_TM_HOLD,
	BGP_TM_KEEPALIVE,
	BGP_TM_DELAY_OPEN,
	BGP_TM_IDLE_HOLD,
	BGP_TM_MAX
};
/* Absolute expiry of a timer, SIM_TIME_MAX when stopped. */
sim_time bgp_fsm_timer_expiry(const struct bgp_fsm *f, enum bgp_fsm_timer t);

/*
 * Connection collision (RFC 4271 6.8). An OPEN from the peer whose BGP
 * Identifier is peer_id arrived on connection rx while the peer has a
 * second connection, other. Which one to dump (OpenCollisionDump):
 *   - none if other has not sent an OPEN yet (Idle, Connect, Active) or
 *     is in OpenSent (we cannot know its identifier; its own OPEN will
 *     bring the check back with rx in OpenConfirm), as BIRD;
 *   - rx if other is Established and collision_detect_established is off,
 *     whatever the directions of the two (6.8: "a connection collision
 *     with an existing BGP connection that is in the Established state
 *     causes closing of the newly created connection"; BIRD's bgp_rx_open
 *     and FRR's bgp_collision_detect do the same);
 *   - other if other is Established, collision_detect_established is on
 *     and both go the same way: the peer opened a second connection, so
 *     it has lost the first (a restart);
 *   - otherwise the identifiers decide, as unsigned 32-bit numbers: if
 *     local_id < peer_id, dump the connection the local system opened,
 *     else the one the peer opened. Equal identifiers (possible between
 *     different ASes, RFC 6286 2.3): the higher AS number wins as the
 *     higher identifier would.
 * Two connections in the same direction, the other in OpenConfirm, are
 * not a collision (none): the identifiers cannot tell them apart.
 */
struct bgp_collision_conn {
	enum bgp_fsm_state state;
	bool outgoing;			/* opened by the local system */
};
enum bgp_collision {
	BGP_COLLISION_NONE,
	BGP_COLLISION_DUMP_RX,
	BGP_COLLISION_DUMP_OTHER
};
enum bgp_collision bgp_fsm_collision(const struct bgp_collision_conn *rx,
    const struct bgp_collision_conn *other, uint32_t local_id,
    uint32_t peer_id, uint32_t local_as, uint32_t peer_as,
    bool collision_detect_established);
/* The same, from two FSMs (rx's configuration says detect-established). */
enum bgp_collision bgp_fsm_collision_of(const struct bgp_fsm *rx,
    const struct bgp_fsm *other, uint32_t local_id, uint32_t peer_id,
    uint32_t local_as, uint32_t peer_as);

#endif
