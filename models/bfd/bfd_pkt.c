/*
 * bfd_pkt.c - BFD Control packets from and to the wire.
 *
 * The decoder takes untrusted bytes: it reads only indices checked against
 * len, and reports the first check of RFC 5880 6.8.6 that fails, so the
 * drop record in the trace says exactly what was wrong.
 */
#include <string.h>

#include "bfd_pkt.h"
#include "util.h"

const char *const bfd_state_name[BFD_STATE_MAX] = {
	[BFD_ADMIN_DOWN] = "AdminDown",
	[BFD_DOWN] = "Down",
	[BFD_INIT] = "Init",
	[BFD_UP] = "Up",
};

static const char *const diag_names[BFD_DIAG_MAX] = {
	[BFD_DIAG_NONE] = "No Diagnostic",
	[BFD_DIAG_TIME_EXPIRED] = "Control Detection Time Expired",
	[BFD_DIAG_ECHO_FAILED] = "Echo Function Failed",
	[BFD_DIAG_NEIGHBOR_DOWN] = "Neighbor Signaled Session Down",
	[BFD_DIAG_FWD_RESET] = "Forwarding Plane Reset",
	[BFD_DIAG_PATH_DOWN] = "Path Down",
	[BFD_DIAG_CONCAT_DOWN] = "Concatenated Path Down",
	[BFD_DIAG_ADMIN_DOWN] = "Administratively Down",
	[BFD_DIAG_REV_CONCAT_DOWN] = "Reverse Concatenated Path Down",
};

const char *const bfd_rx_err_name[BFD_RX_ERR_MAX] = {
	[BFD_RX_OK] = "ok",
	[BFD_RX_TRUNC] = "bfd: truncated control packet",
	[BFD_RX_VERSION] = "bfd: version not 1",
	[BFD_RX_LEN_SHORT] = "bfd: length field too small",
	[BFD_RX_LEN_PAYLOAD] = "bfd: length field exceeds udp payload",
	[BFD_RX_MULT_ZERO] = "bfd: detect mult 0",
	[BFD_RX_MULTIPOINT] = "bfd: multipoint bit set",
	[BFD_RX_MY_DISC_ZERO] = "bfd: my discriminator 0",
	[BFD_RX_YOUR_DISC_ZERO] =
	    "bfd: your discriminator 0 in state init or up",
	[BFD_RX_NO_SESSION] = "bfd: no session",
	[BFD_RX_TTL] = "bfd: ttl not 255 (gtsm)",
	[BFD_RX_AUTH] = "bfd: authentication present, none configured",
};

const char *
bfd_diag_name(unsigned diag)
{
	return diag < BFD_DIAG_MAX ? diag_names[diag] : "Reserved";
}

void
bfd_ctl_init(struct bfd_ctl *c)
{
	memset(c, 0, sizeof(*c));
	c->version = BFD_VERSION;
	c->length = BFD_HDR_LEN;
}

size_t
bfd_pkt_encode(const struct bfd_ctl *c, uint8_t out[BFD_HDR_LEN])
{
	out[0] = (uint8_t)((c->version & 7u) << 5 | (c->diag & 31u));
	out[1] = (uint8_t)((c->state & 3u) << 6 | (c->flags & 63u));
	out[2] = c->detect_mult;
	out[3] = c->length;
	put_be32(out + 4, c->my_disc);
	put_be32(out + 8, c->your_disc);
	put_be32(out + 12, c->des_min_tx);
	put_be32(out + 16, c->req_min_rx);
	put_be32(out + 20, c->req_min_echo_rx);
	return BFD_HDR_LEN;
}

enum bfd_rx_err
bfd_pkt_decode(const uint8_t *buf, size_t len, struct bfd_ctl *c)
{
	memset(c, 0, sizeof(*c));
	if (len < 1)
		return BFD_RX_TRUNC;
	c->version = buf[0] >> 5;
	c->diag = buf[0] & 31u;
	if (c->version != BFD_VERSION)
		return BFD_RX_VERSION;
	if (len < 4)
		return BFD_RX_TRUNC;
	c->state = buf[1] >> 6;
	c->flags = buf[1] & 63u;
	c->detect_mult = buf[2];
	c->length = buf[3];
	if (c->length < ((c->flags & BFD_FLAG_A) ? BFD_AUTH_MIN_LEN :
	    BFD_HDR_LEN))
		return BFD_RX_LEN_SHORT;
	if (c->length > len)
		return BFD_RX_LEN_PAYLOAD;
	/* From here len >= length >= 24: the whole section is there. */
	c->my_disc = get_be32(buf + 4);
	c->your_disc = get_be32(buf + 8);
	c->des_min_tx = get_be32(buf + 12);
	c->req_min_rx = get_be32(buf + 16);
	c->req_min_echo_rx = get_be32(buf + 20);
	if (c->detect_mult == 0)
		return BFD_RX_MULT_ZERO;
	if (c->flags & BFD_FLAG_M)
		return BFD_RX_MULTIPOINT;
	if (c->my_disc == 0)
		return BFD_RX_MY_DISC_ZERO;
	if (c->your_disc == 0 && c->state != BFD_DOWN &&
	    c->state != BFD_ADMIN_DOWN)
		return BFD_RX_YOUR_DISC_ZERO;
	return BFD_RX_OK;
}
