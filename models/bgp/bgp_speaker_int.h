/*
 * bgp_speaker_int.h - what bgp_speaker.c (sessions) and bgp_export.c
 * (routes in and out) share. Not for other modules.
 */
#ifndef XCSIM_BGP_SPEAKER_INT_H
#define XCSIM_BGP_SPEAKER_INT_H

#include "bgp_speaker.h"
#include "sim.h"
#include "timer.h"

struct stream;
struct stream_listener;
struct bfd_session;
struct bgp_node_glue;
struct bgp_peer;
struct bgp_origin;

/* One TCP connection to a peer and its FSM. */
struct bgp_conn {
	struct bgp_peer *p;
	struct bgp_fsm *fsm;
	struct stream *s;
	bool outgoing;
	uint8_t *rbuf;			/* bytes read, not yet a whole message */
	size_t rlen, rcap;
	uint8_t *obuf;			/* bytes the stream did not take yet */
	size_t olen, ocap;
	bool peer_as4, peer_rr;		/* from the peer's OPEN */
	uint32_t peer_id;
	bool dead;			/* in the grave, freed from an event */
	sim_event_id fail_ev;		/* a connect refused at once */
};

struct bgp_prefix_q {
	struct bgp_prefix4 *v;
	size_t n, cap;
};

struct bgp_peer {
	struct bgp_speaker *sp;
	struct bgp_neighbor_cfg cfg;
	struct bgp_fsm_cfg fsm_cfg;
	struct bfd_cfg bfd_cfg;
	bool has_bfd;
	struct bfd_session *bfd;
	bool ebgp;
	sim_time mrai;
	uint32_t local_addr;		/* our end of the session */
	struct bgp_conn *c[2];		/* c[0] the main, c[1] a collision */
	struct bgp_conn *up;		/* the established one, or NULL */
	uint16_t rib_id;		/* bgp_rib peer id while up, else 0 */
	struct bgp_prefix_q pend;	/* prefixes to export */
	bool eor_sent;
	struct timer mrai_tm;
	struct timer restart_tm;	/* max-prefix idle restart */
	bool warned;
	struct bgp_peer_stats st;
};

struct bgp_speaker {
	struct node *node;
	struct sim *sim;
	struct bgp_speaker_cfg cfg;
	struct bgp_rib *rib;
	struct bgp_node_glue *glue;
	struct stream_listener *lst;
	struct bgp_peer **peers;
	size_t n_peers;
	struct bgp_prefix4 *nets;
	size_t n_nets;
	struct bgp_origin *orig;	/* bgp_origin.c; NULL until used */
	struct timer_set timers;
	bool started;
	int busy;			/* inside a table change: defer flushes */
	struct bgp_conn **grave;
	size_t n_grave;
	sim_event_id reap_ev;
};

/* bgp_session.c */
struct bgp_peer *bgp_peer_find(const struct bgp_speaker *sp, uint32_t addr);
struct bgp_conn *bgp_conn_new(struct bgp_peer *p, int slot);
void bgp_conn_free(struct bgp_conn *c);
/* Out of the peer's slots now, freed from an event. */
void bgp_conn_bury(struct bgp_conn *c);
void bgp_speaker_reap_now(struct bgp_speaker *sp);
void bgp_on_accept(struct stream_listener *l, struct stream *s, void *ctx);
void bgp_bfd_changed(struct bfd_session *s, enum bfd_state old,
    enum bfd_state st, enum bfd_diag diag, void *ctx);
void bgp_restart_fired(struct timer *tm, void *arg);
void bgp_conn_send(struct bgp_conn *c, const uint8_t *msg, size_t len);
struct bgp_peer *bgp_peer_by_rib(struct bgp_speaker *sp, uint16_t id);
/* A trace annotation for a message; msg decoded in as4 mode if m is NULL. */
void bgp_trace_msg(struct bgp_peer *p, bool out, bool as4,
    const uint8_t *msg, size_t len, const struct bgp_msg *m);

/* bgp_export.c */
void bgp_export_init(struct bgp_speaker *sp);
/* An UPDATE decoded from an established peer (after the RFC 7606 outcome). */
void bgp_import_update(struct bgp_peer *p, struct bgp_msg *m,
    enum bgp_action act);
/* The session came up: the whole table, then End-of-RIB. */
void bgp_export_full(struct bgp_peer *p);
/* ROUTE-REFRESH: the Adj-RIB-Out again. */
void bgp_export_refresh(struct bgp_peer *p);
/* Send what is pending to every peer whose MRAI allows it. */
void bgp_export_flush_all(struct bgp_speaker *sp);
void bgp_export_mrai_expired(struct timer *tm, void *arg);
void bgp_prefix_q_free(struct bgp_prefix_q *q);
void bgp_peer_max_prefix_check(struct bgp_peer *p);

/* bgp_origin.c: networks, aggregates, redistribution */
/* Do what Loc-RIB and node RIB changes left to do (from flush_all). */
void bgp_origin_settle(struct bgp_speaker *sp);
/* prefix/len is a more specific of an active summary-only aggregate. */
bool bgp_origin_suppressed(const struct bgp_speaker *sp, uint32_t prefix,
    uint8_t len);
void bgp_origin_free(struct bgp_speaker *sp);

#endif
