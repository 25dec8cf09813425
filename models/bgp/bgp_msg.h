/*
 * bgp_msg.h - BGP-4 messages as bytes: the codec the speaker is built on.
 *
 * It owns the wire format and nothing else (no session, no RIB, no sim/
 * types): the 19-byte header and a framer that cuts a TCP byte stream into
 * messages whatever the segmentation; OPEN with its capabilities (RFC 5492:
 * multiprotocol 4760, route refresh 2918, enhanced route refresh 7313,
 * graceful restart 4724, 4-octet AS 6793, unknown ones kept; RFC 9072
 * extended optional parameters); UPDATE with its path attributes parsed;
 * KEEPALIVE; NOTIFICATION (with the RFC 8203/9003 shutdown communication);
 * ROUTE-REFRESH (with the RFC 7313 subtypes). Decoding validates every field
 * and reports the NOTIFICATION of RFC 4271 section 6 to send, and for
 * UPDATE attributes the RFC 7606 outcome (session reset, treat-as-withdraw,
 * attribute discard). The decoder never reads outside the buffer it is
 * given and allocates at most a few times the message length.
 *
 * The attribute set (struct bgp_attrs) is one flat allocation with no
 * pointers inside, so a speaker can intern it: bgp_attrs_hash() is stable
 * across runs and hosts and bgp_attrs_equal() is a memcmp.
 *
 * Addresses are host-order uint32_t (10.0.0.1 is 0x0a000001).
 */
#ifndef XCSIM_BGP_MSG_H
#define XCSIM_BGP_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BGP_HDR_LEN 19u
#define BGP_MARKER_LEN 16u
#define BGP_MAX_LEN 4096u
#define BGP_OPEN_MIN_LEN 29u
#define BGP_UPDATE_MIN_LEN 23u
#define BGP_NOTIFICATION_MIN_LEN 21u
#define BGP_REFRESH_LEN 23u
#define BGP_VERSION 4u
#define BGP_AS_TRANS 23456u	/* RFC 6793 */
#define BGP_PORT 179u

enum bgp_type {
	BGP_OPEN = 1,
	BGP_UPDATE = 2,
	BGP_NOTIFICATION = 3,
	BGP_KEEPALIVE = 4,
	BGP_ROUTE_REFRESH = 5,
	BGP_TYPE_MAX
};
extern const char *const bgp_type_name[BGP_TYPE_MAX];

/* NOTIFICATION error codes (RFC 4271 4.5) and the subcodes we send. */
#define BGP_ERR_HEADER 1
#define BGP_ERR_HDR_SYNC 1	/* Connection Not Synchronized */
#define BGP_ERR_HDR_LEN 2	/* Bad Message Length */
#define BGP_ERR_HDR_TYPE 3	/* Bad Message Type */
#define BGP_ERR_OPEN 2
#define BGP_ERR_OPEN_UNSPEC 0	/* malformed parameters (no subcode fits) */
#define BGP_ERR_OPEN_VERSION 1
#define BGP_ERR_OPEN_PEER_AS 2
#define BGP_ERR_OPEN_BGP_ID 3
#define BGP_ERR_OPEN_OPT 4	/* Unsupported Optional Parameter */
#define BGP_ERR_OPEN_HOLD 6	/* Unacceptable Hold Time */
#define BGP_ERR_OPEN_CAPA 7	/* Unsupported Capability (RFC 5492) */
#define BGP_ERR_UPDATE 3
#define BGP_ERR_UPD_ATTR_LIST 1
#define BGP_ERR_UPD_WELLKNOWN 2	/* Unrecognized Well-known Attribute */
#define BGP_ERR_UPD_MISSING 3	/* Missing Well-known Attribute */
#define BGP_ERR_UPD_FLAGS 4
#define BGP_ERR_UPD_LEN 5
#define BGP_ERR_UPD_ORIGIN 6
#define BGP_ERR_UPD_NEXTHOP 8
#define BGP_ERR_UPD_OPTIONAL 9
#define BGP_ERR_UPD_NETWORK 10
#define BGP_ERR_UPD_ASPATH 11
#define BGP_ERR_HOLD 4
#define BGP_ERR_FSM 5
#define BGP_ERR_CEASE 6
#define BGP_CEASE_MAX_PREFIX 1
#define BGP_CEASE_ADMIN_SHUTDOWN 2
#define BGP_CEASE_DECONFIGURED 3
#define BGP_CEASE_ADMIN_RESET 4
#define BGP_CEASE_REJECTED 5
#define BGP_CEASE_CONFIG_CHANGE 6
#define BGP_CEASE_COLLISION 7
#define BGP_CEASE_RESOURCES 8
#define BGP_CEASE_HARD_RESET 9	/* RFC 8538 */
#define BGP_CEASE_BFD_DOWN 10	/* RFC 9384 */
#define BGP_ERR_REFRESH 7	/* RFC 7313 */
#define BGP_ERR_REFRESH_LEN 1

/* "Cease / Maximum Number of Prefixes Reached"; unknown codes as numbers. */
const char *bgp_notification_name(uint8_t code, uint8_t subcode, char *buf,
    size_t buflen);

/* ---- the framer ---- */

enum bgp_frame {
	BGP_FRAME_MORE,		/* fewer bytes than a whole message: read more */
	BGP_FRAME_OK,		/* a whole message of *len bytes starts at buf */
	BGP_FRAME_BAD		/* a bad header: send *err and close */
};

struct bgp_notify {
	uint8_t code, subcode;
	uint16_t data_len;
	uint8_t data[BGP_MAX_LEN - BGP_NOTIFICATION_MIN_LEN];
};

/*
 * Look at the bytes at the front of a stream: with fewer than 19 it says
 * MORE; otherwise it checks the marker (1/1), the length (1/2, 19..4096 and
 * the minimum of the type) and the type (1/3) as soon as the header is
 * there, and says OK when the whole message is. The caller consumes *len
 * bytes and calls again: several messages in one read come out one by one.
 */
enum bgp_frame bgp_frame(const uint8_t *buf, size_t avail, size_t *len,
    struct bgp_notify *err);

/* ---- attributes ---- */

#define BGP_ATTR_ORIGIN 1
#define BGP_ATTR_AS_PATH 2
#define BGP_ATTR_NEXT_HOP 3
#define BGP_ATTR_MED 4
#define BGP_ATTR_LOCAL_PREF 5
#define BGP_ATTR_ATOMIC_AGGR 6
#define BGP_ATTR_AGGREGATOR 7
#define BGP_ATTR_COMMUNITIES 8
#define BGP_ATTR_ORIGINATOR_ID 9	/* RFC 4456 */
#define BGP_ATTR_CLUSTER_LIST 10	/* RFC 4456 */
#define BGP_ATTR_MP_REACH 14
#define BGP_ATTR_MP_UNREACH 15
#define BGP_ATTR_AS4_PATH 17
#define BGP_ATTR_AS4_AGGREGATOR 18
#define BGP_ATTR_LARGE_COMM 32
/* bit of a known type in ->has; LARGE_COMMUNITIES (32) takes bit 0 */
#define BGP_HAS(t) (1u << ((t) & 31))

#define BGP_AF_OPTIONAL 0x80
#define BGP_AF_TRANSITIVE 0x40
#define BGP_AF_PARTIAL 0x20
#define BGP_AF_EXTLEN 0x10

#define BGP_ORIGIN_IGP 0
#define BGP_ORIGIN_EGP 1
#define BGP_ORIGIN_INCOMPLETE 2

#define BGP_COMM_NO_EXPORT 0xffffff01u
#define BGP_COMM_NO_ADVERTISE 0xffffff02u
#define BGP_COMM_NO_EXPORT_SUBCONFED 0xffffff03u

/*
 * An AS path as 32-bit words: each segment is a marker word
 * BGP_SEG(type, n) followed by its n ASNs. n is 1..255 on the wire.
 */
#define BGP_SEG_SET 1
#define BGP_SEG_SEQUENCE 2
#define BGP_SEG_CONFED_SEQUENCE 3	/* RFC 5065 */
#define BGP_SEG_CONFED_SET 4
#define BGP_SEG(type, n) ((uint32_t)(type) << 16 | (uint32_t)(n))
#define BGP_SEG_TYPE(w) ((uint8_t)((w) >> 16))
#define BGP_SEG_N(w) ((uint16_t)((w) & 0xffff))
#define BGP_PATH_MAX_WORDS 2048u	/* far more than 4096 bytes can carry */

/*
 * The attribute set shared by routes. Fixed fields first, then v[]: the
 * AS_PATH words, the AS4_PATH words, the communities, the large
 * communities (3 words each: global, local1, local2), the ORIGINATOR_ID
 * (one word, only when present: bgp_attrs_originator), the CLUSTER_LIST's
 * cluster ids (first = the latest prepended) and the unknown optional
 * transitive attributes as raw bytes (flags, type, length, value as
 * received, sorted by type), padded with zeros to a word. Build one with
 * bgp_attrs_new(); padding is always zero, so memcmp and the hash work.
 * A known attribute is present when its BGP_HAS() bit is in has; the
 * CLUSTER_LIST bit is set exactly when n_cluster > 0.
 */
struct bgp_attrs {
	uint32_t has;
	uint32_t next_hop;
	uint32_t med;
	uint32_t local_pref;
	uint32_t aggr_as, aggr_id;	/* AGGREGATOR (4-octet AS in memory) */
	uint32_t as4_aggr_as, as4_aggr_id;	/* AS4_AGGREGATOR */
	uint16_t path_len;		/* words of AS_PATH */
	uint16_t as4_path_len;		/* words of AS4_PATH */
	uint16_t n_comm;
	uint16_t n_lcomm;
	uint16_t unknown_len;		/* bytes */
	uint16_t n_cluster;		/* CLUSTER_LIST ids */
	uint8_t origin;
	uint8_t pad_[3];		/* always 0 */
	uint32_t v[];
};

/* The variable parts of a set, borrowed: what bgp_attrs_new copies in. */
struct bgp_attrs_var {
	const uint32_t *path, *as4_path, *comm, *lcomm, *cluster;
	const uint8_t *unknown;
	uint16_t path_len, as4_path_len, n_comm, n_lcomm, unknown_len;
	uint16_t n_cluster;
	uint32_t originator_id;	/* used when has ORIGINATOR_ID */
};

/* A new set: the fixed fields of fixed (counts ignored) and var's arrays. */
struct bgp_attrs *bgp_attrs_new(const struct bgp_attrs *fixed,
    const struct bgp_attrs_var *var);
void bgp_attrs_var(const struct bgp_attrs *a, struct bgp_attrs_var *var);
size_t bgp_attrs_size(const struct bgp_attrs *a);
/* The ORIGINATOR_ID (RFC 4456), 0 when absent. */
uint32_t bgp_attrs_originator(const struct bgp_attrs *a);
struct bgp_attrs *bgp_attrs_dup(const struct bgp_attrs *a);
/* FNV-1a over the bytes: the same value on every run and host. */
uint32_t bgp_attrs_hash(const struct bgp_attrs *a);
bool bgp_attrs_equal(const struct bgp_attrs *a, const struct bgp_attrs *b);
/* Set the partial bit on every unknown attribute kept: RFC 4271 5, on passing it on. */
void bgp_attrs_set_partial(struct bgp_attrs *a);

/*
 * Path length for the decision process (RFC 4271 9.1.2.2 a): each ASN of
 * a sequence counts, a set counts 1, confederation segments count 0.
 */
unsigned bgp_path_count(const uint32_t *path, uint16_t n);
bool bgp_path_valid(const uint32_t *path, uint16_t n);

/*
 * RFC 6793 4.2.3, on receipt from a 2-octet peer: the path is AS_PATH
 * with its leading ASNs prepended to AS4_PATH so that it counts as many as
 * AS_PATH; AS4_PATH is ignored when it counts more, or when an AGGREGATOR
 * is present whose AS is not AS_TRANS. Writes at most cap words; returns
 * the length, or -1 if out is too small.
 */
int bgp_path_merge(const uint32_t *path, uint16_t n, const uint32_t *as4,
    uint16_t n4, uint32_t *out, size_t cap);
/*
 * A new set with the 4-octet view of a (as above): AS_PATH merged, the
 * aggregator from AS4_AGGREGATOR when AGGREGATOR says AS_TRANS, no AS4_*.
 */
struct bgp_attrs *bgp_attrs_from_as2(const struct bgp_attrs *a);
/*
 * The reverse, for sending to a 2-octet peer (RFC 6793 4.2.2): AS_PATH and
 * AGGREGATOR with AS_TRANS in place of ASNs above 65535 (the encoder then
 * writes them in 2 octets), and AS4_PATH (confederation segments left out)
 * and AS4_AGGREGATOR with the real ones when any ASN did not fit.
 */
struct bgp_attrs *bgp_attrs_to_as2(const struct bgp_attrs *a);

/* ---- messages ---- */

struct bgp_prefix4 {
	uint32_t addr;		/* host order, bits past len zero */
	uint8_t len;		/* 0..32 */
};

#define BGP_AFI_IPV4 1
#define BGP_SAFI_UNICAST 1

#define BGP_CAP_MP 1
#define BGP_CAP_ROUTE_REFRESH 2
#define BGP_CAP_GR 64
#define BGP_CAP_AS4 65
#define BGP_CAP_ENHANCED_RR 70
#define BGP_CAP_MAX_AF 8		/* AFI/SAFI pairs kept per capability */
#define BGP_CAP_UNKNOWN_MAX 256		/* bytes of unknown capabilities kept */
#define BGP_CAP_ORDER_MAX 32

struct bgp_afsafi {
	uint16_t afi;
	uint8_t safi;
	uint8_t flags;		/* graceful restart: 0x80 forwarding state kept */
};

struct bgp_caps {
	uint8_t n_mp;
	struct bgp_afsafi mp[BGP_CAP_MAX_AF];
	bool route_refresh, enhanced_rr, as4, gr;
	uint32_t as4_asn;
	uint8_t gr_flags;	/* 4 bits: 0x8 restarted, 0x4 notification */
	uint16_t gr_time_s;	/* 12 bits */
	uint8_t n_gr;
	struct bgp_afsafi gr_af[BGP_CAP_MAX_AF];
	/* code, length, value of each unknown capability, in order */
	uint16_t unknown_len;
	uint8_t unknown[BGP_CAP_UNKNOWN_MAX];
	/*
	 * Wire layout, kept so that a decoded OPEN encodes back to its bytes:
	 * the codes in the order received (BIRD sends them in code order,
	 * gobgp does not; none: code order), and one capability per optional
	 * parameter.
	 */
	uint8_t n_order;
	uint8_t order[BGP_CAP_ORDER_MAX];
	bool one_per_param;
	/* RFC 9072 extended optional parameters, used or to be used */
	bool ext_params;
};

struct bgp_open {
	uint8_t version;
	uint16_t my_as;		/* AS_TRANS when the ASN does not fit */
	uint16_t hold_s;
	uint32_t bgp_id;
	struct bgp_caps caps;
};

/* The speaker's ASN: the 4-octet capability's if any, else my_as. */
uint32_t bgp_open_asn(const struct bgp_open *o);
/* An OPEN for asn (my_as AS_TRANS if it does not fit, 4-octet capability). */
void bgp_open_init(struct bgp_open *o, uint32_t asn, uint16_t hold_s,
    uint32_t bgp_id);

enum bgp_action {
	BGP_ACT_NONE = 0,
	BGP_ACT_DISCARD,	/* RFC 7606 attribute discard */
	BGP_ACT_WITHDRAW,	/* RFC 7606 treat-as-withdraw */
	BGP_ACT_RESET,		/* send the NOTIFICATION and close */
	BGP_ACT_MAX
};
extern const char *const bgp_action_name[BGP_ACT_MAX];

#define BGP_ATTR_ERR_MAX 8
struct bgp_attr_err {
	uint8_t type;		/* attribute type code (0: none/the list) */
	uint8_t action;		/* enum bgp_action */
	uint8_t subcode;	/* the RFC 4271 UPDATE subcode it corresponds to */
};

struct bgp_update {
	uint16_t n_withdrawn, n_nlri;
	struct bgp_prefix4 *withdrawn, *nlri;
	/* MP_REACH_NLRI / MP_UNREACH_NLRI for IPv4 unicast */
	bool has_mp_reach, has_mp_unreach;
	uint32_t mp_next_hop;
	uint16_t n_mp_nlri, n_mp_withdrawn;
	struct bgp_prefix4 *mp_nlri, *mp_withdrawn;
	struct bgp_attrs *attrs;	/* NULL: no path attributes */
	/*
	 * How the message was laid out, so that a decoded message encodes
	 * back to its bytes: types that had the extended-length flag though
	 * short (bit t % 32 of word t / 32), and MP_REACH placed first.
	 */
	uint32_t extlen[8];
	bool mp_first;
	/*
	 * RFC 7606 7.9, 7.10: the outcome is treat-as-withdraw only because
	 * of a malformed ORIGINATOR_ID or CLUSTER_LIST (left out of attrs).
	 * That is right for an iBGP peer; from an eBGP peer both attributes
	 * are discarded whatever they hold, so the speaker, which knows the
	 * session, takes the UPDATE as an attribute discard.
	 */
	bool rr_withdraw_only;
	/*
	 * Path attributes in the message, whatever they were (another
	 * family's MP_UNREACH, one discarded): an End-of-RIB has none.
	 */
	uint16_t n_attr;
};

/*
 * RFC 4724 2: End-of-RIB for IPv4 unicast is an UPDATE with nothing in it
 * (no withdrawn routes, no attributes, no NLRI), or with only an empty
 * MP_UNREACH_NLRI for IPv4 unicast (the form other families use; taken
 * too). Another family's End-of-RIB is not ours: false.
 */
bool bgp_update_is_eor(const struct bgp_update *u);

struct bgp_notification {
	uint8_t code, subcode;
	uint16_t data_len;
	uint8_t data[BGP_MAX_LEN - BGP_NOTIFICATION_MIN_LEN];
	/* RFC 8203/9003: Cease 2 or 4 with a valid length-prefixed UTF-8 text */
	bool has_shutdown_msg;
	char shutdown_msg[256];
};

#define BGP_RR_NORMAL 0
#define BGP_RR_BORR 1
#define BGP_RR_EORR 2

struct bgp_refresh {
	uint16_t afi;
	uint8_t subtype;	/* RFC 7313: a speaker ignores values > 2 */
	uint8_t safi;
};

struct bgp_msg {
	uint8_t type;		/* enum bgp_type */
	union {
		struct bgp_open open;
		struct bgp_update update;
		struct bgp_notification notification;
		struct bgp_refresh refresh;
	} u;
};

/* What the decoder found. */
struct bgp_result {
	enum bgp_action action;		/* the most severe outcome */
	struct bgp_notify notify;	/* to send when action is RESET */
	uint8_t n_attr_err;		/* records kept, at most BGP_ATTR_ERR_MAX */
	uint16_t n_attr_err_all;	/* records, kept or not */
	struct bgp_attr_err attr_err[BGP_ATTR_ERR_MAX];
};

/*
 * Decode one whole message (as bgp_frame() delimits it: buf[0..len)).
 * as4: the 4-octet AS capability was negotiated (AS_PATH and AGGREGATOR
 * carry 4-octet ASNs; AS4_PATH and AS4_AGGREGATOR from such a peer are
 * discarded, RFC 6793 4.1). Returns r->action: RESET leaves m empty (and
 * nothing to free); otherwise m holds the message, UPDATE attributes that
 * were discarded left out, and for WITHDRAW the speaker withdraws every
 * prefix of nlri and mp_nlri. Free with bgp_msg_free().
 */
enum bgp_action bgp_decode(const uint8_t *buf, size_t len, bool as4,
    struct bgp_msg *m, struct bgp_result *r);
void bgp_msg_free(struct bgp_msg *m);

/*
 * Encode m into out (BGP_MAX_LEN bytes) and return its length, or 0 if it
 * does not fit in 4096 bytes. Attributes go in ascending type order (with
 * MP_REACH first when mp_first), as BIRD and gobgp send them; the
 * extended-length flag is used for values past 255 bytes and where
 * extlen asks. In 2-octet mode (!as4) ASNs above 65535 are written as
 * AS_TRANS: call bgp_attrs_to_as2() first to keep them in AS4_PATH.
 */
size_t bgp_encode(const struct bgp_msg *m, bool as4, uint8_t *out);

/* Whole messages without a struct. */
size_t bgp_encode_keepalive(uint8_t *out);
size_t bgp_encode_notification(uint8_t code, uint8_t subcode,
    const uint8_t *data, size_t data_len, uint8_t *out);
/* Cease with an RFC 8203/9003 message (at most 255 bytes of UTF-8, cut at a character). */
size_t bgp_encode_shutdown(uint8_t subcode, const char *msg, uint8_t *out);

/*
 * UPDATE packing, as routers do it: nlri[0..n) sharing attrs (in 4-octet
 * form, or 2-octet when !as4) go into as few UPDATEs as fit in 4096 bytes,
 * in order; withdrawals likewise with no attributes. Each message is
 * passed to emit (borrowed bytes, valid during the call). Returns the
 * number of messages, or -1 if attrs alone do not leave room for a prefix.
 */
typedef void bgp_emit_fn(const uint8_t *msg, size_t len, void *arg);
int bgp_pack_announce(const struct bgp_attrs *attrs, bool as4,
    const struct bgp_prefix4 *nlri, size_t n, bgp_emit_fn *emit, void *arg);
int bgp_pack_withdraw(const struct bgp_prefix4 *pfx, size_t n,
    bgp_emit_fn *emit, void *arg);

/*
 * One line for the trace: "UPDATE 3 withdrawn, 120 NLRI, AS_PATH 12076
 * 31898, NEXT_HOP 192.168.100.130", "OPEN AS 12076 hold 180 id 1.2.3.4
 * caps mp,rr,as4", "NOTIFICATION Cease / Administrative Shutdown \"...\"".
 * Always NUL-terminated; truncated to buflen. Returns buf.
 */
char *bgp_msg_summary(const struct bgp_msg *m, char *buf, size_t buflen);
/* "12076 {31898 64512} 65000", as the path is written in show commands. */
char *bgp_path_str(const uint32_t *path, uint16_t n, char *buf, size_t buflen);

#endif
