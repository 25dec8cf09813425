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

enum { IK_VERSION, IK_PROPOSALS, IK_LIFETIME, IK_DPD, IK_F_MAX };

struct ipsec_sc_ike {
	uint32_t version;
	struct ipsec_sc_prop *props;
	size_t n_props;
	sim_time lifetime, dpd;
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
	IP_F_MAX };

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
	/* resolved */
	bool ok;
	size_t node_idx, iface_idx, local_idx;	/* local_idx: its interface */
	struct sc_loc loc;
	struct sc_loc vloc[IP_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(IP_F_MAX)];
};

/* The manual SAs' key: the same at both ends that share psk. */
uint64_t ipsec_sc_manual_key(const char *psk);

/* ipsec_scenario_run.c */
int ipsec_sc_build(struct sc_build *b, const void *items, size_t n);
void ipsec_sc_run_free(void *state);
void ipsec_sc_metrics(const void *state, FILE *out);

#endif
