/*
 * ike.h - IKEv2 (RFC 7296) key exchange between simulated nodes, with real
 * packets on UDP 500 (and 4500 with NAT traversal forced): the IKE SAs and
 * the Child SAs they negotiate for ESP (esp.h consumes them).
 *
 * struct ike_host owns the IKE of one (node, VRF): its UDP 500/4500
 * bindings and the IKE SAs added to it, each between one local and one
 * remote address under one policy. An SA whose policy says initiator starts
 * with IKE_SA_INIT when ike_sa_start() is called; a responder's waits for
 * the peer's. Exchanges (RFC 7296 section 1):
 *   IKE_SA_INIT      SA (IKE proposals), KE (the group's real public value
 *                    size), Ni/Nr, NAT_DETECTION_*; INVALID_KE_PAYLOAD
 *                    makes the initiator retry once with the group asked;
 *   IKE_AUTH         in the SK payload: IDi/IDr (ID_IPV4_ADDR), AUTH
 *                    (shared key MIC, as long as the PRF output), SA (child
 *                    proposals, no DH transform: section 1.2), TSi/TSr: the
 *                    IKE SA and the first Child SA;
 *   CREATE_CHILD_SA  Child SA rekey (REKEY_SA notify, a KE when the policy
 *                    has a PFS group) and IKE SA rekey (a KE always);
 *   INFORMATIONAL    liveness (DPD: an empty SK payload), Delete.
 * A wrong shared key fails at the responder with AUTHENTICATION_FAILED; a
 * PFS group mismatch fails at the first CREATE_CHILD_SA (the first Child SA
 * of IKE_AUTH carries no KE, RFC 7296 1.2); an IKEv1 peer (policy version
 * 1) sends IKEv1 Main Mode and ignores IKEv2, and the IKEv2 side answers
 * its packet as RFC 7296 1.5 says. docs/ipsec.md has the timing rules
 * (retransmissions, rekey margins) and the sources of every default.
 *
 * Determinism: SPIs, nonces and rekey jitter come from named streams of
 * the simulation seed (rng.h) per node and SA; no global state.
 */
#ifndef XCSIM_IKE_H
#define XCSIM_IKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "units.h"

struct node;
struct pkt;
struct wire_frame;
struct ike_host;
struct ike_sa;

#define IKE_PORT 500u
#define IKE_NATT_PORT 4500u

/* IANA "IKEv2 Parameters" transform IDs used here. */
enum {
	/* Transform Type 1: Encryption Algorithm */
	IKE_ENCR_3DES = 3,
	IKE_ENCR_AES_CBC = 12,
	IKE_ENCR_AES_GCM_16 = 20,	/* AEAD: no integrity transform */
	/* Transform Type 2: Pseudorandom Function */
	IKE_PRF_HMAC_SHA1 = 2,
	IKE_PRF_HMAC_SHA2_256 = 5,
	IKE_PRF_HMAC_SHA2_384 = 6,
	/* Transform Type 3: Integrity Algorithm (0: none) */
	IKE_INTEG_NONE = 0,
	IKE_INTEG_HMAC_SHA1_96 = 2,
	IKE_INTEG_HMAC_SHA2_256_128 = 12,
	IKE_INTEG_HMAC_SHA2_384_192 = 13,
	/* Transform Type 4: Diffie-Hellman group (0: none, no PFS) */
	IKE_DH_NONE = 0,
	IKE_DH_MODP768 = 1,
	IKE_DH_MODP1024 = 2,
	IKE_DH_MODP1536 = 5,
	IKE_DH_MODP2048 = 14,
	IKE_DH_ECP256 = 19,
	IKE_DH_ECP384 = 20,
	IKE_DH_MODP2048_256 = 24,
};

/* One proposal: a single transform of each type (AEAD: integ 0). */
struct ike_proposal {
	uint16_t encr;
	uint16_t keylen;	/* bits (Key Length attribute), 0 for 3DES */
	uint16_t prf;		/* IKE SA only */
	uint16_t integ;
	uint16_t dh;		/* IKE: the KE group; Child: PFS or 0 */
};

#define IKE_MAX_PROPOSALS 8
#define IKE_PSK_MAX 128

struct ike_policy {
	uint8_t version;	/* 2; 1: an IKEv1 peer (Main Mode only) */
	bool initiator;		/* sends IKE_SA_INIT at ike_sa_start */
	/* in preference order */
	struct ike_proposal ike[IKE_MAX_PROPOSALS];
	size_t n_ike;
	struct ike_proposal child[IKE_MAX_PROPOSALS];	/* prf unused */
	size_t n_child;
	char psk[IKE_PSK_MAX + 1];
	sim_time ike_lifetime;		/* hard; > 0 */
	sim_time child_lifetime;	/* hard; > 0 */
	/*
	 * Rekey at lifetime - margin - a draw in [0, margin x fuzz / 100]
	 * (strongSwan's margintime / rekeyfuzz); reauthentication is not
	 * modelled: the IKE SA is rekeyed in place.
	 */
	sim_time rekey_margin;
	uint32_t rekey_fuzz_pct;
	sim_time dpd;			/* liveness check after, 0: off */
	/*
	 * Retransmission (RFC 7296 2.1): attempt k (k = 0..tries) waits
	 * timeout x base^k; after the last the SA fails "no-response".
	 */
	sim_time retrans_timeout;
	double retrans_base;
	uint32_t retrans_tries;
	bool nat_t;		/* force UDP encapsulation (port 4500) */
	/*
	 * An initiator whose IKE SA failed or was closed by the peer or by
	 * expiry starts again after this long (strongSwan's dpdaction /
	 * closeaction = restart); 0: it stays down. ike_sa_close stops it.
	 */
	sim_time restart;
	/* Traffic selectors (route-based: 0.0.0.0/0 both, the default). */
	uint32_t ts_local, ts_remote;
	uint8_t ts_local_plen, ts_remote_plen;
};

/*
 * Defaults: ike_policy_init gives version 2, responder, no proposals, no
 * key, the retransmission schedule of strongSwan (4 s, x1.8, 5 tries), the
 * rekey margin 540 s and fuzz 100% (strongSwan, Libreswan), DPD off.
 * The clouds' defaults fill in proposals and lifetimes on top: OCI's (IKE
 * 28,800 s, Child 3,600 s, PFS group 5: facts 4.3) and Azure's (facts 4,
 * B5: Child SA PFS groups 1, 2, 14, 24). docs/ipsec.md gives the sources.
 */
void ike_policy_init(struct ike_policy *p);
void ike_policy_oci(struct ike_policy *p);
void ike_policy_azure(struct ike_policy *p);

enum ike_state {
	IKE_ST_IDLE = 0,	/* not started, or a responder waiting */
	IKE_ST_INIT_SENT,	/* IKE_SA_INIT request sent */
	IKE_ST_AUTH_SENT,	/* IKE_AUTH request sent */
	IKE_ST_ESTABLISHED,	/* the IKE SA is up (Child SAs: child_up) */
	IKE_ST_FAILED,		/* gave up; ike_sa_failure() says why */
	IKE_ST_CLOSED,		/* deleted by either side, or expired */
	IKE_ST_MAX
};
extern const char *const ike_state_name[IKE_ST_MAX];

/*
 * A Child SA as ESP needs it. Algorithms by IANA ID; sizes in bytes:
 * icv_len (12 for HMAC-SHA1-96, 16 for HMAC-SHA-256-128 and AES-GCM-16),
 * iv_len (16 AES-CBC, 8 AES-GCM and 3DES), block (16 AES-CBC, 8 3DES, 4
 * for GCM: ESP's 4-byte alignment). key is the same at both ends, derived
 * from the exchange's nonces and the shared key, different per Child SA;
 * spi_out is what this end puts in the ESP packets it sends (the peer's
 * spi_in). rekeys: the spi_in of the Child SA this one replaces (0: a new
 * one); the old one goes down (child_down) when its Delete completes.
 */
struct ipsec_child {
	uint32_t spi_in, spi_out;
	uint16_t encr, keylen, integ;
	uint16_t pfs;		/* its CREATE_CHILD_SA's DH group, or 0 */
	uint8_t icv_len, iv_len, block;
	bool udp_encap;		/* ESP in UDP 4500 (NAT-T) */
	uint64_t key;
	uint32_t rekeys;
	sim_time lifetime;	/* hard, from now */
};

/* Callbacks must not free their SA or its host. */
struct ike_cb {
	/* A Child SA installed (new or a rekey). c is valid during the call. */
	void (*child_up)(void *ctx, const struct ipsec_child *c);
	/* A Child SA removed (deleted, expired, or its IKE SA gone). */
	void (*child_down)(void *ctx, uint32_t spi_in, uint32_t spi_out);
	/*
	 * The IKE SA's state changed; reason in words (the failure string
	 * for IKE_ST_FAILED, "rekeyed", "deleted by peer", "expired", ...).
	 */
	void (*state)(void *ctx, enum ike_state st, const char *reason);
};

/*
 * Whether p can run: version 1 or 2, at least one IKE and one Child
 * proposal of known transforms, a key, lifetimes > margin, a sane
 * retransmission schedule. Returns -1 with the reason in err.
 */
int ike_policy_check(const struct ike_policy *p, char *err, size_t errlen);
/*
 * Whether one proposal can run (ike: an IKE SA's, with prf and dh; else a
 * Child SA's, dh its PFS group or 0): -1 with the reason in err. The
 * scenario loader calls it to refuse a proposal at its line.
 */
int ike_proposal_check(const struct ike_proposal *q, bool ike, char *err,
    size_t errlen);

/*
 * The IKE of n in vrf: binds UDP 500 and 4500 there. NULL when a port is
 * taken. Freeing removes every SA without callbacks.
 */
struct ike_host *ike_host_new(struct node *n, uint32_t vrf);
void ike_host_free(struct ike_host *h);
/*
 * ESP in UDP (RFC 3948) arriving on the host's port 4500: a datagram whose
 * first 4 bytes are not the non-ESP marker goes to fn (p at the UDP
 * payload, as node_bind_udp gives it; fn owns p) instead of being dropped.
 * A NAT-keepalive (one byte 0xff) is discarded. fn NULL removes it.
 */
void ike_host_set_esp_rx(struct ike_host *h,
    void (*fn)(struct node *n, struct pkt *p, const struct wire_frame *f,
    void *ctx), void *ctx);

/*
 * An IKE SA from local to remote under pol (copied), whose events go to cb
 * (copied; members may be NULL) with ctx. One per (local, remote) pair on
 * a host; NULL for a duplicate or a policy ike_policy_check refuses.
 * Freed with its host (or by ike_sa_free, without callbacks).
 */
struct ike_sa *ike_sa_new(struct ike_host *h, uint32_t local, uint32_t remote,
    const struct ike_policy *pol, const struct ike_cb *cb, void *ctx);
void ike_sa_free(struct ike_sa *sa);
/* Initiator: send IKE_SA_INIT now. Responder: nothing (it waits). */
void ike_sa_start(struct ike_sa *sa);
/* Send a Delete for the IKE SA (its Child SAs go with it) and close. */
void ike_sa_close(struct ike_sa *sa);

/*
 * Something authenticated came from the peer (an ESP packet of one of
 * the SA's Child SAs): DPD checks only after dpd without any (strongSwan
 * counts ESP as liveness). Cheap: it records the time.
 */
void ike_sa_heard(struct ike_sa *sa);

enum ike_state ike_sa_state(const struct ike_sa *sa);
/*
 * Why it failed, or the latest Child SA failure while the IKE SA stays up
 * (NULL if none): "no-proposal-chosen", "authentication-failed",
 * "invalid-ke", "invalid-major-version", "no-response", "dpd-timeout",
 * "ts-unacceptable", "child-expired" (a Child SA reached its hard
 * lifetime without a rekey). The root cause is kept: a Child SA that
 * expires after a failed rekey leaves "no-proposal-chosen".
 */
const char *ike_sa_failure(const struct ike_sa *sa);

struct ike_stats {
	uint64_t tx, rx, retransmits;
	uint64_t rx_drops;		/* malformed, unknown SPI, bad ICV */
	uint32_t ike_rekeys, child_rekeys;
	sim_time established_at;	/* first time ESTABLISHED, or -1 */
	sim_time last_exchange;		/* when the latest completed */
};
const struct ike_stats *ike_sa_stats(const struct ike_sa *sa);

#endif
