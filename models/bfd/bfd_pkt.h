/*
 * bfd_pkt.h - BFD Control packets (RFC 5880 section 4.1) as they travel in
 * a UDP datagram to port 3784 (RFC 5881): the 24-byte mandatory section,
 * the names of its diagnostic codes and states, and the reception checks
 * of RFC 5880 section 6.8.6 that need no session.
 *
 *   0                   1                   2                   3
 *   |Vers |  Diag   |Sta|P|F|C|A|D|M|  Detect Mult  |    Length     |
 *   |                       My Discriminator                        |
 *   |                      Your Discriminator                       |
 *   |                    Desired Min TX Interval                    |
 *   |                   Required Min RX Interval                    |
 *   |                 Required Min Echo RX Interval                 |
 *
 * Intervals are microseconds on the wire and here. The authentication
 * section (A bit) is not modelled: the decoder accepts its presence (its
 * length is checked), and a session, which never has authentication
 * configured, discards the packet (BFD_RX_AUTH).
 */
#ifndef XCSIM_BFD_PKT_H
#define XCSIM_BFD_PKT_H

#include <stddef.h>
#include <stdint.h>

#define BFD_VERSION 1u
#define BFD_PORT 3784u		/* RFC 5881 section 4: single-hop control */
#define BFD_HDR_LEN 24u		/* the mandatory section */
#define BFD_AUTH_MIN_LEN 26u	/* with the A bit: section + auth type, len */
#define BFD_TTL 255u		/* RFC 5881 section 5 (GTSM) */
/* RFC 5881 section 4: the source port range of a session. */
#define BFD_SPORT_MIN 49152u
#define BFD_SPORT_MAX 65535u

enum bfd_state {
	BFD_ADMIN_DOWN = 0,
	BFD_DOWN = 1,
	BFD_INIT = 2,
	BFD_UP = 3,
	BFD_STATE_MAX
};
extern const char *const bfd_state_name[BFD_STATE_MAX];

/* RFC 5880 section 4.1; 9..31 are reserved. */
enum bfd_diag {
	BFD_DIAG_NONE = 0,
	BFD_DIAG_TIME_EXPIRED = 1,	/* control detection time expired */
	BFD_DIAG_ECHO_FAILED = 2,
	BFD_DIAG_NEIGHBOR_DOWN = 3,	/* neighbor signaled session down */
	BFD_DIAG_FWD_RESET = 4,
	BFD_DIAG_PATH_DOWN = 5,
	BFD_DIAG_CONCAT_DOWN = 6,
	BFD_DIAG_ADMIN_DOWN = 7,
	BFD_DIAG_REV_CONCAT_DOWN = 8,
	BFD_DIAG_MAX
};
/* "Control Detection Time Expired", ...; "Reserved" for 9..31. */
const char *bfd_diag_name(unsigned diag);

#define BFD_FLAG_P 0x20u	/* Poll */
#define BFD_FLAG_F 0x10u	/* Final */
#define BFD_FLAG_C 0x08u	/* Control Plane Independent */
#define BFD_FLAG_A 0x04u	/* Authentication Present */
#define BFD_FLAG_D 0x02u	/* Demand */
#define BFD_FLAG_M 0x01u	/* Multipoint */

struct bfd_ctl {
	uint8_t version;	/* 3 bits */
	uint8_t diag;		/* 5 bits */
	uint8_t state;		/* enum bfd_state, 2 bits */
	uint8_t flags;		/* BFD_FLAG_*, 6 bits */
	uint8_t detect_mult;
	uint8_t length;		/* of the whole control packet */
	uint32_t my_disc, your_disc;
	uint32_t des_min_tx, req_min_rx, req_min_echo_rx;	/* us */
};

/*
 * Why a received packet was discarded, in the order RFC 5880 6.8.6 checks
 * (the first group needs only the packet, the decoder's; the rest need the
 * session and are the session layer's; GTSM is RFC 5881 section 5).
 */
enum bfd_rx_err {
	BFD_RX_OK = 0,
	BFD_RX_TRUNC,		/* too short to read version and length */
	BFD_RX_VERSION,
	BFD_RX_LEN_SHORT,	/* length < 24, or < 26 with the A bit */
	BFD_RX_LEN_PAYLOAD,	/* length > the UDP payload */
	BFD_RX_MULT_ZERO,
	BFD_RX_MULTIPOINT,
	BFD_RX_MY_DISC_ZERO,
	BFD_RX_YOUR_DISC_ZERO,	/* your disc 0 in state Init or Up */
	BFD_RX_NO_SESSION,	/* no session for the discriminator/addresses */
	BFD_RX_TTL,		/* TTL not 255 */
	BFD_RX_AUTH,		/* A bit, and no authentication configured */
	BFD_RX_ERR_MAX
};
extern const char *const bfd_rx_err_name[BFD_RX_ERR_MAX];

/*
 * Decode a control packet from the len bytes of a UDP payload and apply
 * the session-free checks of RFC 5880 6.8.6 in its order. Fields are
 * filled as far as they could be read, whatever the result. Never reads
 * outside buf[0..len).
 */
enum bfd_rx_err bfd_pkt_decode(const uint8_t *buf, size_t len,
    struct bfd_ctl *c);
/*
 * Write c's 24-byte mandatory section to out exactly as given (version and
 * length included, so tests can build bad packets). Returns BFD_HDR_LEN.
 */
size_t bfd_pkt_encode(const struct bfd_ctl *c, uint8_t out[BFD_HDR_LEN]);
/* A packet as a session sends it: version 1, length 24, the rest zero. */
void bfd_ctl_init(struct bfd_ctl *c);

#endif
