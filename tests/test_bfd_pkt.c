/*
 * test_bfd_pkt.c - the BFD Control packet codec against bytes checked by
 * hand from RFC 5880 section 4.1, and every session-free reception check
 * of section 6.8.6 in its order.
 */
#include <string.h>

#include "bfd_pkt.h"
#include "testutil.h"

/*
 * Version 1, diag 3, state Up, P, mult 3, length 24, my 0x11223344, your
 * 0x55667788, desired TX and required RX 300 ms (300000 us = 0x000493e0),
 * echo 0: byte 0 = 001 00011, byte 1 = 11 100000.
 */
static const uint8_t up_poll[BFD_HDR_LEN] = {
	0x23, 0xe0, 0x03, 0x18,
	0x11, 0x22, 0x33, 0x44,
	0x55, 0x66, 0x77, 0x88,
	0x00, 0x04, 0x93, 0xe0,
	0x00, 0x04, 0x93, 0xe0,
	0x00, 0x00, 0x00, 0x00,
};

static void
fill(struct bfd_ctl *c)
{
	bfd_ctl_init(c);
	c->diag = BFD_DIAG_NEIGHBOR_DOWN;
	c->state = BFD_UP;
	c->flags = BFD_FLAG_P;
	c->detect_mult = 3;
	c->my_disc = 0x11223344u;
	c->your_disc = 0x55667788u;
	c->des_min_tx = 300000;
	c->req_min_rx = 300000;
}

static void
test_encode_bytes(void)
{
	struct bfd_ctl c;
	uint8_t out[BFD_HDR_LEN];

	fill(&c);
	CU_ASSERT_EQUAL(bfd_pkt_encode(&c, out), BFD_HDR_LEN);
	CU_ASSERT_EQUAL(memcmp(out, up_poll, sizeof(out)), 0);

	/* Down, no flags, diag 0, echo 50 ms: bytes 0, 1 and 20-23. */
	c.diag = 0;
	c.state = BFD_DOWN;
	c.flags = 0;
	c.req_min_echo_rx = 50000;	/* 0x0000c350 */
	bfd_pkt_encode(&c, out);
	CU_ASSERT_EQUAL(out[0], 0x20);
	CU_ASSERT_EQUAL(out[1], 0x40);
	CU_ASSERT_EQUAL(out[20], 0x00);
	CU_ASSERT_EQUAL(out[21], 0x00);
	CU_ASSERT_EQUAL(out[22], 0xc3);
	CU_ASSERT_EQUAL(out[23], 0x50);
	/* F and AdminDown with diag 7: 001 00111, 00 010000 */
	c.diag = BFD_DIAG_ADMIN_DOWN;
	c.state = BFD_ADMIN_DOWN;
	c.flags = BFD_FLAG_F;
	bfd_pkt_encode(&c, out);
	CU_ASSERT_EQUAL(out[0], 0x27);
	CU_ASSERT_EQUAL(out[1], 0x10);
}

static void
test_decode_round_trip(void)
{
	struct bfd_ctl c, d;
	uint8_t out[BFD_HDR_LEN + 8];
	unsigned st, fl;

	CU_ASSERT_EQUAL(bfd_pkt_decode(up_poll, sizeof(up_poll), &d),
	    BFD_RX_OK);
	fill(&c);
	CU_ASSERT_EQUAL(memcmp(&c, &d, sizeof(c)), 0);
	/* every state with every flag but M, A (they fail checks) */
	for (st = 0; st < BFD_STATE_MAX; st++)
		for (fl = 0; fl < 64; fl++) {
			if (fl & (BFD_FLAG_M | BFD_FLAG_A))
				continue;
			fill(&c);
			c.state = (uint8_t)st;
			c.flags = (uint8_t)fl;
			c.diag = (uint8_t)(fl & 31);
			bfd_pkt_encode(&c, out);
			CU_ASSERT_EQUAL(bfd_pkt_decode(out, BFD_HDR_LEN, &d),
			    BFD_RX_OK);
			CU_ASSERT_EQUAL(memcmp(&c, &d, sizeof(c)), 0);
		}
	/* bytes past the length field (padding) are ignored */
	fill(&c);
	bfd_pkt_encode(&c, out);
	memset(out + BFD_HDR_LEN, 0xff, 8);
	CU_ASSERT_EQUAL(bfd_pkt_decode(out, sizeof(out), &d), BFD_RX_OK);
	CU_ASSERT_EQUAL(memcmp(&c, &d, sizeof(c)), 0);
}

static enum bfd_rx_err
decode_mod(void (*mod)(struct bfd_ctl *), size_t len)
{
	struct bfd_ctl c, d;
	uint8_t out[BFD_HDR_LEN + 8];

	memset(out, 0, sizeof(out));
	fill(&c);
	mod(&c);
	bfd_pkt_encode(&c, out);
	return bfd_pkt_decode(out, len, &d);
}

static void m_none(struct bfd_ctl *c) { (void)c; }
static void m_version0(struct bfd_ctl *c) { c->version = 0; }
static void m_version2(struct bfd_ctl *c) { c->version = 2; }
static void m_len23(struct bfd_ctl *c) { c->length = 23; }
static void m_len0(struct bfd_ctl *c) { c->length = 0; }
static void m_auth24(struct bfd_ctl *c) { c->flags |= BFD_FLAG_A; }
static void
m_auth26(struct bfd_ctl *c)
{
	c->flags |= BFD_FLAG_A;
	c->length = 26;
}
static void m_len25(struct bfd_ctl *c) { c->length = 25; }
static void m_mult0(struct bfd_ctl *c) { c->detect_mult = 0; }
static void m_multi(struct bfd_ctl *c) { c->flags |= BFD_FLAG_M; }
static void m_my0(struct bfd_ctl *c) { c->my_disc = 0; }
static void m_your0(struct bfd_ctl *c) { c->your_disc = 0; }
static void
m_your0_init(struct bfd_ctl *c)
{
	c->your_disc = 0;
	c->state = BFD_INIT;
}
static void
m_your0_down(struct bfd_ctl *c)
{
	c->your_disc = 0;
	c->state = BFD_DOWN;
}
static void
m_your0_admin(struct bfd_ctl *c)
{
	c->your_disc = 0;
	c->state = BFD_ADMIN_DOWN;
}
/* Two faults: the first in RFC order is the one reported. */
static void
m_mult0_multi(struct bfd_ctl *c)
{
	c->detect_mult = 0;
	c->flags |= BFD_FLAG_M;
	c->my_disc = 0;
}

static void
test_reception_checks(void)
{
	struct bfd_ctl d;
	const uint8_t v0[1] = { 0x00 }, v1[3] = { 0x20, 0xc0, 3 };

	CU_ASSERT_EQUAL(bfd_pkt_decode(v0, 0, &d), BFD_RX_TRUNC);
	CU_ASSERT_EQUAL(bfd_pkt_decode(v0, 1, &d), BFD_RX_VERSION);
	CU_ASSERT_EQUAL(bfd_pkt_decode(v1, 3, &d), BFD_RX_TRUNC);
	CU_ASSERT_EQUAL(decode_mod(m_none, 24), BFD_RX_OK);
	CU_ASSERT_EQUAL(decode_mod(m_version0, 24), BFD_RX_VERSION);
	CU_ASSERT_EQUAL(decode_mod(m_version2, 24), BFD_RX_VERSION);
	CU_ASSERT_EQUAL(decode_mod(m_len23, 24), BFD_RX_LEN_SHORT);
	CU_ASSERT_EQUAL(decode_mod(m_len0, 24), BFD_RX_LEN_SHORT);
	CU_ASSERT_EQUAL(decode_mod(m_auth24, 32), BFD_RX_LEN_SHORT);
	/* the A bit with room for its section decodes: the session drops it */
	CU_ASSERT_EQUAL(decode_mod(m_auth26, 26), BFD_RX_OK);
	CU_ASSERT_EQUAL(decode_mod(m_auth26, 25), BFD_RX_LEN_PAYLOAD);
	CU_ASSERT_EQUAL(decode_mod(m_len25, 24), BFD_RX_LEN_PAYLOAD);
	CU_ASSERT_EQUAL(decode_mod(m_len25, 25), BFD_RX_OK);
	CU_ASSERT_EQUAL(decode_mod(m_none, 23), BFD_RX_LEN_PAYLOAD);
	CU_ASSERT_EQUAL(decode_mod(m_none, 4), BFD_RX_LEN_PAYLOAD);
	CU_ASSERT_EQUAL(decode_mod(m_mult0, 24), BFD_RX_MULT_ZERO);
	CU_ASSERT_EQUAL(decode_mod(m_multi, 24), BFD_RX_MULTIPOINT);
	CU_ASSERT_EQUAL(decode_mod(m_my0, 24), BFD_RX_MY_DISC_ZERO);
	CU_ASSERT_EQUAL(decode_mod(m_your0, 24), BFD_RX_YOUR_DISC_ZERO);
	CU_ASSERT_EQUAL(decode_mod(m_your0_init, 24), BFD_RX_YOUR_DISC_ZERO);
	CU_ASSERT_EQUAL(decode_mod(m_your0_down, 24), BFD_RX_OK);
	CU_ASSERT_EQUAL(decode_mod(m_your0_admin, 24), BFD_RX_OK);
	CU_ASSERT_EQUAL(decode_mod(m_mult0_multi, 24), BFD_RX_MULT_ZERO);
}

static void
test_names(void)
{
	unsigned i;

	CU_ASSERT_STRING_EQUAL(bfd_state_name[BFD_ADMIN_DOWN], "AdminDown");
	CU_ASSERT_STRING_EQUAL(bfd_state_name[BFD_DOWN], "Down");
	CU_ASSERT_STRING_EQUAL(bfd_state_name[BFD_INIT], "Init");
	CU_ASSERT_STRING_EQUAL(bfd_state_name[BFD_UP], "Up");
	CU_ASSERT_STRING_EQUAL(bfd_diag_name(1),
	    "Control Detection Time Expired");
	CU_ASSERT_STRING_EQUAL(bfd_diag_name(3),
	    "Neighbor Signaled Session Down");
	CU_ASSERT_STRING_EQUAL(bfd_diag_name(7), "Administratively Down");
	CU_ASSERT_STRING_EQUAL(bfd_diag_name(8),
	    "Reverse Concatenated Path Down");
	CU_ASSERT_STRING_EQUAL(bfd_diag_name(9), "Reserved");
	CU_ASSERT_STRING_EQUAL(bfd_diag_name(31), "Reserved");
	for (i = 0; i < BFD_DIAG_MAX; i++)
		CU_ASSERT_PTR_NOT_NULL(bfd_diag_name(i));
	for (i = 1; i < BFD_RX_ERR_MAX; i++) {
		CU_ASSERT_PTR_NOT_NULL_FATAL(bfd_rx_err_name[i]);
		CU_ASSERT_EQUAL(strncmp(bfd_rx_err_name[i], "bfd: ", 5), 0);
	}
}

static const struct test_case cases[] = {
	{ "encode: hand-checked bytes", test_encode_bytes },
	{ "decode: round trip of every state and flag", test_decode_round_trip },
	{ "decode: RFC 5880 6.8.6 checks in order", test_reception_checks },
	{ "names of states, diagnostics, drop reasons", test_names },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "bfd_pkt", cases);
}
