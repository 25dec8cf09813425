/*
 * ipsec_sc_int.h - what the two halves of the `ipsec` section share:
 * ipsec_scenario.c (the tables and the load checks) and
 * ipsec_scenario_run.c (the build, the run state and the assertions).
 */
#ifndef XCSIM_IPSEC_SC_INT_H
#define XCSIM_IPSEC_SC_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scenario_section.h"
#include "units.h"

/* ike.h's IKE_PSK_MAX */
#define IPSEC_PSK_MAX 128

enum ipsec_keying { IPSEC_KEY_IKEV2 = 1, IPSEC_KEY_MANUAL = 2 };

/* encr: index + 1 in ipsec_encr_names; its IANA ID and key length. */
extern const char *const ipsec_encr_names[];
extern const uint16_t ipsec_encr_id[], ipsec_encr_keylen[];
/* integ: index + 1 in ipsec_integ_names, 0 = none (AES-GCM) */
extern const char *const ipsec_integ_names[];
extern const uint16_t ipsec_integ_id[];
extern const char *const ipsec_prf_names[];
extern const uint16_t ipsec_prf_id[];
/* ipsec-fails reasons: ike.h's failure strings */
extern const char *const ipsec_fail_names[];

enum { PR_ENCR, PR_INTEG, PR_PRF, PR_DH, PR_PFS, PR_F_MAX };

struct ipsec_sc_prop {
	int encr, integ, prf;
	uint32_t dh, pfs;
	struct sc_loc loc;
	struct sc_loc vloc[PR_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(PR_F_MAX)];
};

enum { IK_VERSION, IK_PROPOSALS, IK_LIFETIME, IK_DPD, IK_RESTART, IK_F_MAX };

struct ipsec_sc_ike {
	uint32_t version;
	struct ipsec_sc_prop *props;
	size_t n_props;
	sim_time lifetime, dpd, restart;
	struct sc_loc loc;
	struct sc_loc vloc[IK_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(IK_F_MAX)];
};

enum { CH_PROPOSALS, CH_LIFETIME, CH_F_MAX };

struct ipsec_sc_child {
	struct ipsec_sc_prop *props;
	size_t n_props;
	sim_time lifetime;
	struct sc_loc loc;
	struct sc_loc vloc[CH_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(CH_F_MAX)];
};

enum { MA_SPI_IN, MA_SPI_OUT, MA_ENCR, MA_INTEG, MA_F_MAX };

struct ipsec_sc_manual {
	uint32_t spi_in, spi_out;
	int encr, integ;
	struct sc_loc loc;
	struct sc_loc vloc[MA_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(MA_F_MAX)];
};

enum { IP_NAME, IP_NODE, IP_IFACE, IP_LOCAL, IP_REMOTE, IP_KEYING,
	IP_INITIATOR, IP_PSK, IP_IKE, IP_CHILD, IP_MANUAL, IP_NAT_T, IP_MTU,
	IP_GATE, IP_F_MAX };

/* One tunnel end as written, and what the checks resolved. */
struct ipsec_sc {
	char *name;
	char *node;
	char *iface;
	uint32_t local, remote;
	int keying;		/* enum ipsec_keying */
	bool initiator;
	char *psk;
	struct ipsec_sc_ike ike;
	struct ipsec_sc_child child;
	struct ipsec_sc_manual manual;
	bool nat_t;
	uint32_t mtu;
	char *gate;		/* NULL: exists from time zero */
	/* resolved */
	bool ok;
	size_t node_idx, iface_idx, local_idx;	/* local_idx: its interface */
	struct sc_loc loc;
	struct sc_loc vloc[IP_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(IP_F_MAX)];
};

/*
 * The run's check of one proposal (ike.h ike_proposal_check) on its
 * scenario form: -1 with the reason in err. The load check calls it so
 * that what the run would refuse is refused at the proposal's line.
 */
int ipsec_sc_prop_check(const struct ipsec_sc_prop *q, bool ike, char *err,
    size_t errlen);

/* The manual SAs' key: the same at both ends that share psk. */
uint64_t ipsec_sc_manual_key(const char *psk);

/* --- the run (ipsec_scenario_run.c, ipsec_scenario_ike.c) --- */

struct sim;
struct net;
struct node;
struct esp_host;
struct esp_tunnel;
struct ike_host;
struct ike_sa;
struct ike_policy;
struct gate;

struct ipsec_change {
	sim_time t;
	bool up;
	uint32_t spi_out;
};

/* The ESP SA pairs installed on a tunnel: what a gate's closing removes. */
#define IPSEC_END_PAIRS 8

/* One item's tunnel end for the run. */
struct ipsec_end {
	struct ipsec_run *run;
	const struct ipsec_sc *it;
	struct esp_tunnel *t;
	/*
	 * ikev2: the IKE SA while the item exists (its gate open), else
	 * NULL; manual: NULL. dying: an SA whose gate closed while it was
	 * up, kept until its Delete is answered (or fails), then freed.
	 */
	struct ike_sa *sa;
	struct ike_sa *dying;
	struct node *node;
	uint32_t vrf;		/* outer */
	uint32_t pair_in[IPSEC_END_PAIRS], pair_out[IPSEC_END_PAIRS];
	size_t n_pairs;
	struct ipsec_change *log;
	size_t n, cap;
	const char *failure;	/* NULL, or fail_buf */
	char fail_buf[200];
	sim_time failed_at;
};

struct ipsec_ike_host {
	size_t node_idx;
	uint32_t vrf;
	struct ike_host *h;
};

struct ipsec_run {
	struct sim *sim;
	struct net *net;
	struct esp_host **hosts;	/* by scenario node index */
	size_t n_nodes;
	struct ipsec_ike_host *ike;	/* one per (node, outer VRF) */
	size_t n_ike;
	struct ipsec_ike_host *udp;	/* UDP 4500 bound by ESP (h unused) */
	size_t n_udp;
	struct ipsec_end *ends;		/* by item */
	size_t n;
};

int ipsec_sc_build(struct sc_build *b, const void *items, size_t n);
/* Note an ESP pair installed on e's tunnel, or removed. */
void ipsec_sc_pair_add(struct ipsec_end *e, uint32_t spi_in, uint32_t spi_out);
void ipsec_sc_pair_del(struct ipsec_end *e, uint32_t spi_in);
/*
 * How a path query crosses a tunnel interface (query_cross.h): to the
 * tunnel end on the far node whose addresses are this one's swapped,
 * its ESP packet walked from local to remote.
 */
struct query_crossing;
extern const struct query_crossing ipsec_sc_crossing;
void ipsec_sc_run_free(void *state);
void ipsec_sc_metrics(const void *state, FILE *out);
/* Log a change of e (up, or down) now, with its outbound SPI. */
void ipsec_sc_log(struct ipsec_end *e, bool up);

/* ipsec_scenario_ike.c: keying ikev2 */
/* The item's policy as ike.h takes it. */
void ipsec_sc_policy(const struct ipsec_sc *s, struct ike_policy *pol);
/*
 * e's IKE on n's IKE host in vrf (made on first use): the policy checked,
 * the host bound, e's tunnel telling IKE of the ESP it accepts. With now,
 * its IKE SA is made and started in an event at 0s (an item without a
 * gate, or whose gate is open at time zero). 0, or -1 with err set (a
 * policy ike.h refuses, a port or the SA taken).
 */
int ipsec_sc_ike_start(struct ipsec_run *r, struct ipsec_end *e,
    struct node *n, uint32_t vrf, bool now, char *err, size_t errlen);
/*
 * The item's gate opened: its IKE SA is made and, for an initiator,
 * sends IKE_SA_INIT at once. Closed: the SA is deleted (a Delete sent
 * when it is up) and forgotten, so nothing answers the peer's IKE.
 */
void ipsec_sc_ike_open(struct ipsec_end *e);
void ipsec_sc_ike_shut(struct ipsec_end *e);
/* Frees the IKE hosts (their SAs without callbacks). */
void ipsec_sc_ike_free(struct ipsec_run *r);
/* Why e's IKE failed (or its latest Child SA failure), or NULL. */
const char *ipsec_sc_failure(const struct ipsec_end *e);

#endif
