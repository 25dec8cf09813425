/*
 * ike_int.h - what ike_sa.c (hosts, SAs, transport, timers, Child SAs) and
 * ike_exch.c (the exchanges' messages) share. Private to models/ipsec.
 */
#ifndef XCSIM_IKE_INT_H
#define XCSIM_IKE_INT_H

#include "ike.h"
#include "ike_msg.h"
#include "rng.h"
#include "timer.h"

struct net;
struct sim;

#define IKE_NONCE_LEN 32u	/* what we send (strongSwan's size) */
#define IKE_MAX_CHILD 8
#define IKE_MAX_PENDING 8

/* The request an SA has outstanding or queued (window size 1, 2.3). */
enum ike_req {
	REQ_NONE = 0,
	REQ_INIT,
	REQ_AUTH,
	REQ_REKEY_CHILD,
	REQ_REKEY_IKE,
	REQ_DPD,
	REQ_DEL_CHILD,
	REQ_DEL_IKE,
	REQ_V1,			/* IKEv1 Main Mode message 1 */
};

#define IKE_INIT_SEEN 8

/* The keys and counters of one IKE SA (the current one, or the old one
 * until its Delete completes after a rekey). */
struct ike_keys {
	bool live;
	uint64_t spi_i, spi_r;
	bool orig_init;		/* we are its original initiator */
	struct ike_proposal prop;
	size_t prf_len;
	uint8_t sk_d[48], sk_pl[48], sk_pr[48];	/* SK_p ours, peer's */
	struct ike_sk_keys in, out;
	uint32_t msgid_out, msgid_in;
	struct ike_buf resp;	/* the last response, for retransmissions */
	uint32_t resp_id;
	bool has_resp;
};

struct ike_child {
	struct ike_sa *sa;
	struct ipsec_child c;
	struct timer soft, hard;
	bool replaced;		/* a rekey installed its successor */
	/*
	 * The KE group its rekeys offer (1.3.1, 2.18): the group its own
	 * CREATE_CHILD_SA agreed on, or for the IKE_AUTH Child SA (made
	 * without KE, 1.2) the PFS group of our proposal it matched.
	 */
	uint16_t group;
};

struct ike_pending {
	enum ike_req kind;
	uint32_t spi;
};

struct ike_sa {
	struct ike_host *h;
	uint32_t local, remote;
	struct ike_policy pol;
	struct ike_cb cb;
	void *ctx;
	enum ike_state st;
	const char *failure;
	char peer[40];
	struct rng rng;
	struct ike_stats stats;
	struct timer_set ts;
	struct timer rtx, soft, hard, dpd, again;
	bool closing;		/* ike_sa_close: no restart */
	sim_time heard;		/* the peer's latest sign of life */
	bool natt;		/* IKE moved to port 4500 */
	struct ike_keys cur, old;
	/* the exchange in progress: our and the peer's nonce and KE */
	uint8_t ni[IKE_NONCE_MAX], nr[IKE_NONCE_MAX];
	size_t ni_len, nr_len;
	uint8_t ke[IKE_KE_MAX], peer_ke[IKE_KE_MAX];
	size_t ke_len, peer_ke_len;
	uint16_t ke_group;
	uint16_t init_dh;	/* the group IKE_SA_INIT is sent with */
	bool ke_retried;	/* INVALID_KE_PAYLOAD followed once */
	struct ike_buf init_req, init_resp;	/* for AUTH (2.15) */
	/* SPIi of the latest IKE_SA_INIT requests heard (a ring): a late
	 * copy of one must not replace an established SA (2.4) */
	uint64_t init_seen[IKE_INIT_SEEN];
	unsigned n_init_seen;
	/* the outstanding request */
	enum ike_req req;
	struct ike_buf rbuf;
	uint32_t rid, tries;
	struct ike_keys *ron;
	uint32_t r_spi;		/* the Child SA it rekeys or deletes */
	uint32_t r_new_spi;	/* the inbound SPI a Child rekey offers */
	uint64_t r_new_ike;	/* the SPI an IKE rekey offers */
	uint16_t r_pfs;		/* the KE group a rekey sends, or 0 */
	bool r_lost;		/* lost a rekey collision (2.8.1) */
	struct ike_pending pend[IKE_MAX_PENDING];
	size_t n_pend;
	struct ike_child *ch[IKE_MAX_CHILD];
	size_t n_ch;
};

struct ike_host {
	struct node *n;
	struct net *net;
	struct sim *sim;
	uint32_t vrf;
	struct ike_sa **sas;
	size_t n_sas;
	uint32_t n_made;	/* SAs ever made: a new SA, a new stream */
	void (*esp_fn)(struct node *n, struct pkt *p,
	    const struct wire_frame *f, void *ctx);
	void *esp_ctx;
};

/* ike_sa.c */
void ike_tx(struct ike_sa *sa, const struct ike_buf *w);
void ike_send_req(struct ike_sa *sa, enum ike_req kind, struct ike_buf *w,
    struct ike_keys *k);
void ike_set_state(struct ike_sa *sa, enum ike_state st, const char *why);
void ike_fail(struct ike_sa *sa, const char *why);
void ike_close_now(struct ike_sa *sa, const char *why);
void ike_teardown(struct ike_sa *sa);
void ike_child_fail(struct ike_sa *sa, const char *why);
void ike_enqueue(struct ike_sa *sa, enum ike_req kind, uint32_t spi);
struct ike_child *ike_child_add(struct ike_sa *sa, const struct ipsec_child *c);
struct ike_child *ike_child_by_in(struct ike_sa *sa, uint32_t spi_in);
struct ike_child *ike_child_by_out(struct ike_sa *sa, uint32_t spi_out);
void ike_child_remove(struct ike_child *c);
void ike_children_down(struct ike_sa *sa);
void ike_established(struct ike_sa *sa);
void ike_keys_drop(struct ike_keys *k);
uint32_t ike_new_spi32(struct ike_sa *sa);
uint64_t ike_new_spi64(struct ike_sa *sa);
void ike_rand(struct ike_sa *sa, uint8_t *b, size_t n);
void ike_rx_drop(struct ike_sa *sa, const char *why);

/* ike_exch.c: proposals, keys, framing shared with ike_info.c */
void ike_prop_wire(struct ike_prop *p, uint8_t num,
    const struct ike_proposal *o, uint8_t proto, uint64_t spi, bool dh);
void ike_props_wire(struct ike_sa_pl *pl, const struct ike_proposal *v,
    size_t n, uint8_t proto, uint64_t spi, bool dh);
int ike_choose(const struct ike_proposal *v, size_t n,
    const struct ike_sa_pl *pl, uint8_t proto, bool dh, int *qi);
int ike_chosen(const struct ike_proposal *v, size_t n,
    const struct ike_msg *m, uint8_t proto, bool dh);
void ike_derive_rekey(struct ike_sa *sa, struct ike_keys *nk,
    const uint8_t *kei, size_t li, const uint8_t *ker, size_t lr);
void ike_request(struct ike_sa *sa, struct ike_keys *k, enum ike_req kind,
    uint8_t exch, const struct ike_buf *inner);
void ike_respond(struct ike_sa *sa, struct ike_keys *k,
    const struct ike_msg *m, const struct ike_buf *inner);
void ike_respond_notify(struct ike_sa *sa, struct ike_keys *k,
    const struct ike_msg *m, uint16_t type, uint16_t group);
void ike_new_nonce(struct ike_sa *sa, bool init);
void ike_new_ke(struct ike_sa *sa, uint16_t group);
void ike_peer_nonce(struct ike_sa *sa, const struct ike_msg *m, bool init);
int ike_nonce_cmp(const uint8_t *a, size_t al, const uint8_t *b, size_t bl);
void ike_auth_request(struct ike_sa *sa, struct ike_keys *k,
    const struct ike_msg *m);
void ike_auth_response(struct ike_sa *sa, const struct ike_msg *m);
void ike_rekey_child_start(struct ike_sa *sa, uint32_t spi, uint16_t group);
void ike_rekey_child_request(struct ike_sa *sa, struct ike_keys *k,
    const struct ike_msg *m, const struct ike_notify *rk);
void ike_rekey_child_response(struct ike_sa *sa, const struct ike_msg *m);

/* ike_exch.c, ike_info.c: the exchanges */
void ike_x_init_start(struct ike_sa *sa);
void ike_x_v1_start(struct ike_sa *sa);
void ike_x_init_request(struct ike_sa *sa, const uint8_t *b, size_t len,
    const struct ike_msg *m);
void ike_x_init_response(struct ike_sa *sa, const uint8_t *b, size_t len,
    const struct ike_msg *m);
void ike_x_request(struct ike_sa *sa, struct ike_keys *k,
    const struct ike_msg *m);
void ike_x_response(struct ike_sa *sa, struct ike_keys *k,
    const struct ike_msg *m);
void ike_x_start_req(struct ike_sa *sa, enum ike_req kind, uint32_t spi);
void ike_x_v1_answer(struct ike_host *h, uint32_t local, uint32_t remote,
    const struct ike_msg *m);

#endif
