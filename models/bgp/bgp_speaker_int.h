/*
 * bgp_speaker_int.h - what bgp_speaker.c (sessions) and bgp_export.c
 * (routes in and out) share. Not for other modules.
 */
#ifndef XCSIM_BGP_SPEAKER_INT_H
#define XCSIM_BGP_SPEAKER_INT_H

#include "bgp_speaker.h"
#include "sim.h"
#include "timer.h"
#include "util.h"

struct stream;
struct stream_listener;
struct bfd_session;
struct bgp_node_glue;
struct bgp_peer;
struct bgp_origin;

/*
 * The send buffer's high-water mark: bytes the stream did not take yet
 * (obuf) past which the export holds back, resuming from on_sent (see
 * docs/bgp-speaker.md, "Send path").
 */
#define BGP_OBUF_HIGH (64 * 1024)
/* Prefixes exported per round between two high-water checks. */
#define BGP_EXPORT_BATCH 16384
/* How long a connection closed after a NOTIFICATION may take to deliver
 * what is queued and close before it is reset. */
#define BGP_LINGER SIM_S(10)

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
	bool peer_err;			/* enhanced route refresh (7313) */
	bool peer_gr;			/* GR listing IPv4 unicast (4724) */
	bool peer_gr_fwd;		/* ... with its F bit */
	uint16_t peer_gr_time_s;	/* its restart time */
	uint32_t peer_id;
	size_t obuf_peak;		/* the most obuf ever held */
	bool dead;			/* in the grave, freed from an event */
	sim_event_id fail_ev;		/* a connect refused at once */
};

/*
 * Prefixes to export: v[head..sorted) sorted and unique, the rest pushed
 * since (an export held back at the high-water mark resumes at head).
 */
struct bgp_prefix_q {
	struct bgp_prefix4 *v;
	size_t n, cap;
	size_t head, sorted;
};

/*
 * A stream closed after a NOTIFICATION: what the connection had not handed
 * to TCP goes out from here, then the close; reset after BGP_LINGER.
 */
struct bgp_linger {
	struct bgp_speaker *sp;
	struct stream *s;
	uint8_t *buf;
	size_t len;
	bool closing;			/* stream_close called */
	struct timer tm;
	struct bgp_linger *prev, *next;
};

/* One bgp_speaker_watch_peer: told when the session goes up or down. */
struct bgp_watch {
	void (*fn)(void *arg, uint32_t addr, bool established);
	void *arg;
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
	bool held;			/* export stopped at BGP_OBUF_HIGH */
	bool eor_pending;		/* End-of-RIB after the held export */
	bool eorr_pending;		/* EoRR after the held refresh */
	struct timer mrai_tm;
	bool warned;
	/*
	 * Graceful restart helper (RFC 4724 4.2): gr_id is the table id of
	 * the routes kept stale while the peer restarts (rib_id 0), gr_tm
	 * its restart time; once it is back, gr_stale until its End-of-RIB
	 * or gr_tm (our stale time).
	 */
	uint16_t gr_id;
	bool gr_stale;
	struct timer gr_tm;
	/* Enhanced route refresh (RFC 7313 4): BoRR to EoRR, or err_tm. */
	bool err_stale;
	struct timer err_tm;
	struct bgp_peer_stats st;
	struct bgp_watch *watch;	/* bgp_speaker_watch_peer, in order */
	size_t n_watch;
	/*
	 * Started (bgp_speaker_start unless held, bgp_speaker_peer_start)
	 * and not stopped since (bgp_speaker_peer_stop/shutdown): what a
	 * power-on starts again (bgp_power.c).
	 */
	bool run;
};

/*
 * The established session on c is gone for reason r (the FSM's
 * session_down, or the node powered off): the peer's routes out unless
 * graceful restart keeps them, its export stopped, its watchers told.
 */
void bgp_peer_session_down(struct bgp_conn *c,
    const struct bgp_fsm_reason *r);
/* bgp_power.c: the node's power (net.h), listened to from the start. */
void bgp_power_changed(struct node *n, bool on, void *ctx);

/* Tell the peer's watchers it entered or left Established. */
void bgp_peer_tell_watchers(struct bgp_peer *p, bool established);

struct bgp_lst {
	struct stream_host *host;
	struct stream_listener *lst;
};

struct bgp_speaker {
	struct node *node;
	struct sim *sim;
	struct bgp_speaker_cfg cfg;
	struct bgp_rib *rib;
	struct bgp_node_glue *glue;
	/*
	 * One TCP 179 listener per distinct transport the neighbours use
	 * (bgp_peer_host): a connection accepted on one is matched against
	 * that transport's neighbours only.
	 */
	struct bgp_lst *lsts;
	size_t n_lsts;
	struct bgp_peer **peers;
	size_t n_peers;
	struct bgp_origin *orig;	/* bgp_origin.c; NULL until used */
	struct timer_set timers;
	bool started;
	int busy;			/* inside a table change: defer flushes */
	struct bgp_conn **grave;
	size_t n_grave;
	sim_event_id reap_ev;
	struct bgp_linger *lingering;
};

/*
 * v (n entries of size bytes) with room for one more: the capacity is the
 * next power of two, doubled as n reaches one, so n appends cost O(n)
 * without a capacity field.
 */
static inline void *
bgp_grow_pow2(void *v, size_t n, size_t size)
{
	if (n != 0 && (n & (n - 1)) != 0)
		return v;
	return xrealloc(v, (n == 0 ? 1 : 2 * n) * size);
}

/* bgp_session.c */
struct bgp_peer *bgp_peer_find(const struct bgp_speaker *sp, uint32_t addr);
struct bgp_conn *bgp_conn_new(struct bgp_peer *p, int slot);
void bgp_conn_free(struct bgp_conn *c);
/* Out of the peer's slots now, freed from an event. */
void bgp_conn_bury(struct bgp_conn *c);
void bgp_speaker_reap_now(struct bgp_speaker *sp);
void bgp_on_accept(struct stream_listener *l, struct stream *s, void *ctx);
/* The neighbour's transport: its cfg.host, else the speaker's. */
struct stream_host *bgp_peer_host(const struct bgp_peer *p);
/* The listener on host (NULL: none yet). */
struct stream_listener *bgp_speaker_listener(const struct bgp_speaker *sp,
    const struct stream_host *host);
/* Listen on host unless already listening there: 0, or -1 with err. */
int bgp_speaker_listen(struct bgp_speaker *sp, struct stream_host *host,
    char *err, size_t errlen);
void bgp_bfd_changed(struct bfd_session *s, enum bfd_state old,
    enum bfd_state st, enum bfd_diag diag, void *ctx);
void bgp_gr_fired(struct timer *tm, void *arg);
void bgp_err_fired(struct timer *tm, void *arg);
/* Reset every lingering stream (the speaker is freed). */
void bgp_linger_free_all(struct bgp_speaker *sp);
void bgp_conn_send(struct bgp_conn *c, const uint8_t *msg, size_t len);
struct bgp_peer *bgp_peer_by_rib(struct bgp_speaker *sp, uint16_t id);
/* A trace annotation for a message; msg decoded in as4 mode if m is NULL. */
void bgp_trace_msg(struct bgp_peer *p, bool out, bool as4,
    const uint8_t *msg, size_t len, const struct bgp_msg *m);

/* bgp_gr.c: graceful restart helper, enhanced route refresh */
/* Our OPEN's GR and enhanced route refresh capabilities, as configured. */
void bgp_gr_open_caps(const struct bgp_peer *p, struct bgp_caps *caps);
/* What the peer's OPEN on c says about both. */
void bgp_gr_rx_caps(struct bgp_conn *c, const struct bgp_caps *caps);
/*
 * c reached Established: the table id its routes kept stale are under
 * (reused: they are fresh again once sent again), or 0 (none kept, or
 * deleted now because the new OPEN does not allow keeping them).
 */
uint16_t bgp_gr_up(struct bgp_peer *p, struct bgp_conn *c);
/* c left Established: true if its routes (table id) are kept stale. */
bool bgp_gr_down(struct bgp_peer *p, struct bgp_conn *c,
    const struct bgp_fsm_reason *r, uint16_t id);
/* The peer's End-of-RIB. */
void bgp_gr_eor(struct bgp_peer *p);
/* Delete the routes kept for a restart (ManualStop). */
void bgp_gr_forget(struct bgp_peer *p);
/* A ROUTE-REFRESH for IPv4 unicast on the established connection. */
void bgp_gr_refresh_rx(struct bgp_peer *p, const struct bgp_refresh *rr);

/* bgp_export.c */
void bgp_export_init(struct bgp_speaker *sp);
/* An UPDATE decoded from an established peer (after the RFC 7606 outcome). */
void bgp_import_update(struct bgp_peer *p, struct bgp_msg *m,
    enum bgp_action act);
/* The session came up: the whole table, then End-of-RIB. */
void bgp_export_full(struct bgp_peer *p);
/*
 * ROUTE-REFRESH: the Adj-RIB-Out again; with enhanced route refresh
 * negotiated, between a BoRR and an EoRR (RFC 7313 4).
 */
void bgp_export_refresh(struct bgp_peer *p);
/*
 * Its routes kept through a graceful restart, resumed: queued again for
 * every other established peer and flushed.
 */
void bgp_export_peer_routes(struct bgp_peer *p);
/* The connection's send buffer went below BGP_OBUF_HIGH: go on. */
void bgp_export_resume(struct bgp_peer *p);
void bgp_prefix_q_clear(struct bgp_prefix_q *q);
/* A ROUTE-REFRESH of IPv4 unicast with subtype st (BoRR/EoRR/normal). */
void bgp_send_refresh(struct bgp_conn *c, uint8_t st);
/* Send what is pending to every peer whose MRAI allows it. */
void bgp_export_flush_all(struct bgp_speaker *sp);
void bgp_export_mrai_expired(struct timer *tm, void *arg);
void bgp_prefix_q_free(struct bgp_prefix_q *q);
void bgp_peer_max_prefix_check(struct bgp_peer *p);

/* bgp_origin.c: networks, aggregates, redistribution */
/* Do what Loc-RIB and node RIB changes left to do (from flush_all). */
void bgp_origin_settle(struct bgp_speaker *sp);
/*
 * prefix/len, whose best route has a, is a more specific of an active
 * summary-only aggregate (and aggregated: its MED is the aggregate's).
 */
bool bgp_origin_suppressed(const struct bgp_speaker *sp, uint32_t prefix,
    uint8_t len, const struct bgp_attrs *a);
/*
 * pol changed: if it is the redistribution's, every route is looked at
 * again through it (the caller flushes). True if it was.
 */
bool bgp_origin_redist_policy_changed(struct bgp_speaker *sp,
    const struct bgp_policy *pol);
/*
 * How many originated entries were shifted in their sorted array so far:
 * linear in the prefixes added or removed, the measure tests check.
 */
size_t bgp_origin_moved(const struct bgp_speaker *sp);
void bgp_origin_free(struct bgp_speaker *sp);

#endif
