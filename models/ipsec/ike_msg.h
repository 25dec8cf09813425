/*
 * ike_msg.h - IKEv2 messages as bytes (RFC 7296 section 3): the codec the
 * IKE SAs (ike_sa.c) are built on, and the IKEv1 ISAKMP packets (RFC 2408)
 * that a version-1 peer sends and a version-2 one answers.
 *
 * It owns the wire format and nothing of the exchanges: the 28-byte header,
 * the payload chain (SA with proposals and transforms, KE, Ni/Nr, IDi/IDr,
 * AUTH, TSi/TSr, N, D, V, SK), a builder that links each payload's Next
 * Payload field, and the SK payload's framing (IV, the padded body with its
 * Pad Length, ICV; section 3.14) with a keyed cipher and integrity check
 * (ike_sk_seal / ike_sk_open: the sizes are real, the cipher is a keyed
 * pattern, the ICV is a real HMAC over the message, so a message sealed
 * under other keys fails its check).
 *
 * The decoder never reads outside the buffer it is given, allocates
 * nothing, and keeps bounded copies of what the engine needs (nonces, KE
 * values, AUTH data); it reports the first error with a name.
 */
#ifndef XCSIM_IKE_MSG_H
#define XCSIM_IKE_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IKE_HDR_LEN 28u
#define IKE_GEN_HLEN 4u		/* generic payload header */
#define IKE_VERSION_2 0x20u	/* major 2, minor 0 */
#define IKE_VERSION_1 0x10u	/* ISAKMP (IKEv1) */
#define IKE_MSG_MAX 65535u

/* Exchange types (section 3.1) and IKEv1's (RFC 2408 3.1). */
enum {
	IKE_EXCH_SA_INIT = 34,
	IKE_EXCH_AUTH = 35,
	IKE_EXCH_CREATE_CHILD_SA = 36,
	IKE_EXCH_INFORMATIONAL = 37,
	IKEV1_EXCH_MAIN_MODE = 2,	/* Identity Protection */
	IKEV1_EXCH_INFO = 5,
};

/* Header flags (section 3.1). */
#define IKE_FLAG_I 0x08u	/* sent by the original initiator */
#define IKE_FLAG_V 0x10u
#define IKE_FLAG_R 0x20u	/* a response */

/* Payload types (section 3.2). */
enum {
	IKE_PL_NONE = 0,
	IKEV1_PL_SA = 1,
	IKEV1_PL_PROPOSAL = 2,
	IKEV1_PL_TRANSFORM = 3,
	IKEV1_PL_NOTIFY = 11,
	IKEV1_PL_VID = 13,
	IKE_PL_SA = 33,
	IKE_PL_KE = 34,
	IKE_PL_IDI = 35,
	IKE_PL_IDR = 36,
	IKE_PL_CERT = 37,
	IKE_PL_CERTREQ = 38,
	IKE_PL_AUTH = 39,
	IKE_PL_NONCE = 40,
	IKE_PL_NOTIFY = 41,
	IKE_PL_DELETE = 42,
	IKE_PL_VENDOR = 43,
	IKE_PL_TSI = 44,
	IKE_PL_TSR = 45,
	IKE_PL_SK = 46,
	IKE_PL_CP = 47,
	IKE_PL_EAP = 48,
};

/* Protocol IDs (section 3.3.1), transform types (3.3.2). */
#define IKE_PROTO_IKE 1u
#define IKE_PROTO_ESP 3u
#define IKE_TR_ENCR 1u
#define IKE_TR_PRF 2u
#define IKE_TR_INTEG 3u
#define IKE_TR_DH 4u
#define IKE_TR_ESN 5u
#define IKE_ATTR_KEYLEN 14u	/* Key Length, TV format (AF bit set) */

/* ID types (3.5), auth methods (3.8), TS types (3.13.1). */
#define IKE_ID_IPV4_ADDR 1u
#define IKE_AUTH_PSK 2u		/* Shared Key Message Integrity Code */
#define IKE_TS_IPV4_RANGE 7u

/* Notify Message Types (section 3.10.1) used here. */
enum {
	IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD = 1,
	IKE_N_INVALID_IKE_SPI = 4,
	IKE_N_INVALID_MAJOR_VERSION = 5,
	IKE_N_INVALID_SYNTAX = 7,
	IKE_N_INVALID_MESSAGE_ID = 9,
	IKE_N_INVALID_SPI = 11,
	IKE_N_NO_PROPOSAL_CHOSEN = 14,
	IKE_N_INVALID_KE_PAYLOAD = 17,
	IKE_N_AUTHENTICATION_FAILED = 24,
	IKE_N_TS_UNACCEPTABLE = 38,
	IKE_N_TEMPORARY_FAILURE = 43,
	IKE_N_CHILD_SA_NOT_FOUND = 44,
	IKE_N_INITIAL_CONTACT = 16384,
	IKE_N_NAT_DETECTION_SOURCE_IP = 16388,
	IKE_N_NAT_DETECTION_DESTINATION_IP = 16389,
	IKE_N_REKEY_SA = 16393,
	IKE_N_ESP_TFC_PADDING_NOT_SUPPORTED = 16394,
};
/* "NO_PROPOSAL_CHOSEN", ...; "error notify" / "status notify" for others. */
const char *ike_notify_name(unsigned type);

/* Decoder limits: more than these is an error, not a truncation. */
#define IKE_MAX_PROPS 16
#define IKE_MAX_TRS 16
#define IKE_MAX_NOTIFY 8
#define IKE_MAX_TS 4
#define IKE_MAX_DEL 8
#define IKE_KE_MAX 512		/* bytes kept of a KE value (8192-bit) */
#define IKE_NONCE_MIN 16u
#define IKE_NONCE_MAX 256u
#define IKE_AUTH_MAX 64

struct ike_tr {
	uint8_t type;
	uint16_t id;
	uint16_t keylen;	/* Key Length attribute, 0 if absent */
};

struct ike_prop {
	uint8_t num, proto, spi_size;
	uint64_t spi;		/* 0, 4 or 8 bytes (host order) */
	uint8_t n_tr;
	struct ike_tr tr[IKE_MAX_TRS];
};

struct ike_sa_pl {
	uint8_t n;
	struct ike_prop p[IKE_MAX_PROPS];
};

struct ike_notify {
	uint8_t proto, spi_size;
	uint32_t spi;		/* ESP: 4 bytes; else 0 */
	uint16_t type;
	uint16_t dlen;		/* the data's length on the wire */
	uint8_t data[24];	/* its first bytes */
};

struct ike_ts {
	uint8_t type, proto;
	uint16_t sport, eport;
	uint32_t start, end;	/* host order */
};

struct ike_id {
	uint8_t type;
	uint16_t len;		/* of the identification data */
	uint32_t addr;		/* ID_IPV4_ADDR with 4 bytes */
	uint8_t body[8];	/* type, 3 reserved, 4 address (for AUTH) */
};

/* What ike_msg_parse found (payloads in the clear or inside SK). */
struct ike_msg {
	uint64_t spi_i, spi_r;
	uint8_t next, version, exch, flags;
	uint32_t msgid, len;
	uint64_t seen;		/* bit type - 32 per payload type */
	struct ike_sa_pl sa;
	uint16_t ke_group, ke_len;
	uint8_t ke[IKE_KE_MAX];
	uint16_t nonce_len;
	uint8_t nonce[IKE_NONCE_MAX];
	struct ike_id idi, idr;
	uint8_t auth_method;
	uint16_t auth_len;
	uint8_t auth[IKE_AUTH_MAX];
	uint8_t n_tsi, n_tsr;
	struct ike_ts tsi[IKE_MAX_TS], tsr[IKE_MAX_TS];
	uint8_t n_notify;
	struct ike_notify notify[IKE_MAX_NOTIFY];
	uint8_t del_proto, del_n;
	uint32_t del_spi[IKE_MAX_DEL];
	uint8_t n_vendor;
	/* SK: its body (IV, ciphertext, ICV) as an offset into the message */
	uint8_t sk_next;
	uint32_t sk_off, sk_len;
};

enum ike_perr {
	IKE_OK = 0,
	IKE_E_SHORT,		/* shorter than a header */
	IKE_E_LENGTH,		/* header length != datagram */
	IKE_E_VERSION,		/* major version not 2 (header decoded) */
	IKE_E_PAYLOAD_LEN,	/* a payload overruns or is too short */
	IKE_E_CRITICAL,		/* unknown payload, critical bit */
	IKE_E_SA,		/* proposal / transform structure */
	IKE_E_KE,
	IKE_E_NONCE,		/* outside 16 .. 256 bytes */
	IKE_E_ID,
	IKE_E_AUTH,
	IKE_E_TS,
	IKE_E_NOTIFY,
	IKE_E_DELETE,
	IKE_E_SK,		/* SK not last, or twice */
	IKE_E_TOO_MANY,		/* more of a payload than the limits */
	IKE_E_MAX
};
extern const char *const ike_perr_name[IKE_E_MAX];

/* Header and clear payloads; SK's body located, not opened. */
enum ike_perr ike_msg_parse(const uint8_t *b, size_t len, struct ike_msg *m);
/* A payload chain starting with type first (the SK's decrypted body). */
enum ike_perr ike_msg_parse_chain(uint8_t first, const uint8_t *b, size_t len,
    struct ike_msg *m);
/* The first notify of type, or NULL; the first error type (< 16384) or 0. */
const struct ike_notify *ike_msg_notify(const struct ike_msg *m,
    uint16_t type);
uint16_t ike_msg_error(const struct ike_msg *m);
bool ike_msg_has(const struct ike_msg *m, uint8_t type);

/* --- building ---------------------------------------------------------- */

struct ike_buf {
	uint8_t *b;
	size_t len, cap;
	size_t link;	/* offset of the Next Payload byte to fill next */
	uint8_t first;	/* type of the first payload added */
};

void ike_buf_init(struct ike_buf *w);
void ike_buf_free(struct ike_buf *w);
/* Make w a copy of the len bytes at b (no chain linking). */
void ike_buf_set(struct ike_buf *w, const uint8_t *b, size_t len);
/* The header (length filled by ike_buf_finish); payloads follow. */
void ike_put_hdr(struct ike_buf *w, uint64_t spi_i, uint64_t spi_r,
    uint8_t exch, uint8_t flags, uint32_t msgid);
/* A chain without header (the SK's inner payloads). */
void ike_buf_chain(struct ike_buf *w);
/* Sets the header's Length field. */
void ike_buf_finish(struct ike_buf *w);

void ike_put_sa(struct ike_buf *w, const struct ike_sa_pl *sa);
void ike_put_ke(struct ike_buf *w, uint16_t group, const uint8_t *v,
    size_t len);
void ike_put_nonce(struct ike_buf *w, const uint8_t *n, size_t len);
void ike_put_id(struct ike_buf *w, uint8_t pl, uint32_t addr);
void ike_put_auth(struct ike_buf *w, const uint8_t *a, size_t len);
void ike_put_ts(struct ike_buf *w, uint8_t pl, const struct ike_ts *ts);
void ike_put_notify(struct ike_buf *w, uint8_t proto, uint32_t spi,
    uint16_t type, const uint8_t *data, size_t dlen);
/* Delete: IKE (no SPIs) or ESP with n 4-byte SPIs. */
void ike_put_delete(struct ike_buf *w, uint8_t proto, const uint32_t *spi,
    size_t n);

/* --- the SK payload (section 3.14) -------------------------------------- */

/*
 * Keys and sizes of one direction: encr/integ by IANA ID with the lengths
 * they imply. For AES-GCM-16 (AEAD) the ICV is the 16-byte tag and there
 * is no integrity key.
 */
struct ike_sk_keys {
	uint16_t encr, integ;
	uint8_t iv_len, block, icv_len;
	uint8_t ek[48], ak[64];
	uint8_t ek_len, ak_len;
};
/* Sizes for (encr, keylen bits, integ); false for an unknown algorithm. */
bool ike_sk_sizes(uint16_t encr, uint16_t keylen, uint16_t integ,
    uint8_t *iv_len, uint8_t *block, uint8_t *icv_len, uint8_t *ek_len,
    uint8_t *ak_len);

/*
 * Append an SK payload holding inner (a chain built with ike_buf_chain)
 * to w, padded to the block size, with the IV from iv_seed, and finish the
 * message (length, then the ICV over header through Pad Length).
 */
void ike_sk_seal(struct ike_buf *w, const struct ike_buf *inner,
    const struct ike_sk_keys *k, uint64_t iv_seed);
/*
 * Check the ICV of the message b (len) whose SK body m located, decrypt
 * into out (at least m->sk_len bytes) and parse the inner chain into m.
 * Returns IKE_OK, IKE_E_SK for a failed ICV or bad padding, or the chain's
 * parse error.
 */
enum ike_perr ike_sk_open(const uint8_t *b, size_t len, struct ike_msg *m,
    const struct ike_sk_keys *k, uint8_t *out);

/* --- PRF (section 2.13) -------------------------------------------------- */

/* Output length of a PRF (20, 32, 48), 0 if unknown. */
size_t ike_prf_len(uint16_t prf);
/* prf(key, data) into out (ike_prf_len bytes). */
void ike_prf(uint16_t prf, const uint8_t *key, size_t klen,
    const uint8_t *data, size_t dlen, uint8_t *out);
/* prf+ (section 2.13): outlen bytes of T1 | T2 | ... */
void ike_prf_plus(uint16_t prf, const uint8_t *key, size_t klen,
    const uint8_t *seed, size_t slen, uint8_t *out, size_t outlen);

/* Public value size of a DH group (KE data), 0 if unknown. */
size_t ike_dh_len(uint16_t group);

/* --- IKEv1 (RFC 2408/2409): what a version-1 peer sends ------------------ */

/*
 * Main Mode message 1: header (version 1.0, exchange 2), SA (DOI IPsec,
 * situation identity only) with one ISAKMP proposal of one transform per
 * (encr, key length or 0, hash, group) given in IKEv1's numbers (RFC 2409
 * appendix A), PSK authentication, lifetime in seconds.
 */
void ikev1_main_mode_1(struct ike_buf *w, uint64_t icookie,
    const uint16_t (*tr)[4], size_t ntr, uint32_t life_s);
/* An Informational exchange with one Notification of type (no SA). */
void ikev1_notify(struct ike_buf *w, uint64_t icookie, uint64_t rcookie,
    uint16_t type);

#endif
