/*
 * test_bfd_rx.c - what BFD sessions receive and refuse, as real packets
 * crafted on node a and sent to b's port 3784 over the link: every
 * reception check of RFC 5880 6.8.6 and RFC 5881's TTL 255 discards, is
 * counted under its reason and traced as a drop with it; the session API's
 * errors; ICMP errors when the peer runs no BFD; sessions in two VRFs;
 * removal from the state callback; and tshark decoding a run's capture
 * with no malformed packet.
 */
#include <unistd.h>

#include "test_bfd_util.h"
#include "trace.h"

#define SEED 7
#define SPORT_RAW 3785u	/* apart from the sessions' (test_bfd_util.h) */

static void
send_raw(struct bt *t, const uint8_t *b, size_t len, uint8_t ttl)
{
	struct pkt *p = pkt_alloc(t->sim, (uint32_t)len);
	struct udp_hdr udp;

	memcpy(p->data, b, len);
	memset(&udp, 0, sizeof(udp));
	udp.sport = SPORT_RAW;
	udp.dport = BFD_PORT;
	wire_push_udp(t->sim, p, &udp, BT_ADDR(0), BT_ADDR(1));
	CU_ASSERT_EQUAL(node_send_ip(t->n[0], VRF_DEFAULT, p, BT_ADDR(0),
	    BT_ADDR(1), WIRE_IPPROTO_UDP, ttl, 0), 0);
}

/* What a's session would send now, with one change applied by mod. */
static void
send_mod(struct bt *t, void (*mod)(struct bfd_ctl *), size_t len,
    uint8_t ttl)
{
	struct bfd_ctl c;
	uint8_t b[32];

	memset(b, 0, sizeof(b));
	bfd_ctl_init(&c);
	c.state = BFD_UP;
	c.detect_mult = 3;
	c.my_disc = bfd_session_local_disc(t->s[0]);
	c.your_disc = bfd_session_local_disc(t->s[1]);
	c.des_min_tx = c.req_min_rx = 300000;
	if (mod != NULL)
		mod(&c);
	bfd_pkt_encode(&c, b);
	send_raw(t, b, len, ttl);
}

static void m_version(struct bfd_ctl *c) { c->version = 0; }
static void m_len(struct bfd_ctl *c) { c->length = 20; }
static void m_len_payload(struct bfd_ctl *c) { c->length = 30; }
static void m_mult(struct bfd_ctl *c) { c->detect_mult = 0; }
static void m_multi(struct bfd_ctl *c) { c->flags = BFD_FLAG_M; }
static void m_my(struct bfd_ctl *c) { c->my_disc = 0; }
static void m_your(struct bfd_ctl *c) { c->your_disc = 0; }
static void m_unknown(struct bfd_ctl *c) { c->your_disc ^= 0x5a5a5a5a; }
static void
m_auth(struct bfd_ctl *c)
{
	c->flags = BFD_FLAG_A;
	c->length = 26;
}
static void
m_down(struct bfd_ctl *c)
{
	c->state = BFD_DOWN;
	c->your_disc = 0;
}

struct want_drop {
	const char *detail;
	enum trace_drop reason;
	uint32_t len;
};

static const struct want_drop drops[] = {
	{ "bfd: truncated control packet", DROP_MALFORMED, 20 + 8 + 2 },
	{ "bfd: version not 1", DROP_MALFORMED, 52 },
	{ "bfd: length field too small", DROP_MALFORMED, 52 },
	{ "bfd: length field exceeds udp payload", DROP_MALFORMED, 52 },
	{ "bfd: detect mult 0", DROP_MALFORMED, 52 },
	{ "bfd: multipoint bit set", DROP_MALFORMED, 52 },
	{ "bfd: my discriminator 0", DROP_MALFORMED, 52 },
	{ "bfd: your discriminator 0 in state init or up", DROP_MALFORMED, 52 },
	{ "bfd: no session", DROP_NO_LISTENER, 52 },
	{ "bfd: ttl not 255 (gtsm)", DROP_FILTER, 52 },
	{ "bfd: authentication present, none configured", DROP_FILTER, 54 },
};

static void
test_reception_checks(void)
{
	struct bt t;
	char path[] = "/tmp/xcsim-bfd-rx-XXXXXX", err[256];
	struct trace *tr;
	struct trace_reader *rd;
	struct trace_rec rec;
	const struct bfd_stats *st;
	const uint64_t *gd;
	uint64_t rx0;
	const uint8_t two[2] = { 0x20, 0xc0 };
	int fd, rc, n = 0, i;

	fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	tr = trace_open(path, 0, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(tr);
	bt_build(&t, SEED);
	net_set_trace(t.net, tr);
	bt_add(&t, 0, &bfd_msee_cfg);
	bt_add(&t, 1, &bfd_msee_cfg);
	sim_run_until(t.sim, SIM_S(2));
	CU_ASSERT_EQUAL_FATAL(bfd_session_state(t.s[1]), BFD_UP);
	st = bfd_session_stats(t.s[1]);
	gd = bfd_rx_drops(t.bfd);
	rx0 = st->rx;
	/* a well-formed one is taken: the checks below can fail */
	send_mod(&t, NULL, 24, 255);
	sim_run_until(t.sim, SIM_S(2) + SIM_MS(10));
	CU_ASSERT_EQUAL(st->rx, rx0 + 1);
	rx0 = st->rx;
	send_raw(&t, two, 2, 255);
	send_mod(&t, m_version, 24, 255);
	send_mod(&t, m_len, 24, 255);
	send_mod(&t, m_len_payload, 24, 255);
	send_mod(&t, m_mult, 24, 255);
	send_mod(&t, m_multi, 24, 255);
	send_mod(&t, m_my, 24, 255);
	send_mod(&t, m_your, 24, 255);
	send_mod(&t, m_unknown, 24, 255);
	send_mod(&t, NULL, 24, 254);	/* one hop away, or spoofed */
	send_mod(&t, m_auth, 26, 255);
	sim_run_until(t.sim, SIM_S(2) + SIM_MS(20));
	/* a's session's own packets arrived meanwhile */
	rx0 += (uint64_t)bt_tx_count(&t, 0, SIM_S(2) + SIM_MS(10) - BT_D,
	    SIM_S(2) + SIM_MS(20) - BT_D);
	for (i = BFD_RX_TRUNC; i <= BFD_RX_NO_SESSION; i++)
		CU_ASSERT_EQUAL(gd[i], 1);
	CU_ASSERT_EQUAL(st->rx_drops[BFD_RX_TTL], 1);
	CU_ASSERT_EQUAL(st->rx_drops[BFD_RX_AUTH], 1);
	CU_ASSERT_EQUAL(gd[BFD_RX_TTL], 0);
	CU_ASSERT_EQUAL(node_drops(t.n[1])[DROP_MALFORMED], 8);
	CU_ASSERT_EQUAL(node_drops(t.n[1])[DROP_NO_LISTENER], 1);
	CU_ASSERT_EQUAL(node_drops(t.n[1])[DROP_FILTER], 2);
	/* none of them touched the session */
	CU_ASSERT_EQUAL(st->rx, rx0);
	CU_ASSERT_EQUAL(bfd_session_state(t.s[1]), BFD_UP);
	CU_ASSERT_EQUAL(t.log[1].n, 2);
	/* and a Down that passes every check takes it down (diag 3) */
	send_mod(&t, m_down, 24, 255);
	sim_run_until(t.sim, SIM_S(2) + SIM_MS(30));
	/* (the handshake then runs again: a went Down too, diag 3) */
	CU_ASSERT_FATAL(t.log[1].n >= 3);
	CU_ASSERT_EQUAL(t.log[1].state[2], BFD_DOWN);
	CU_ASSERT_EQUAL(t.log[1].diag[2], BFD_DIAG_NEIGHBOR_DOWN);
	CU_ASSERT_EQUAL(t.log[1].at[2], SIM_S(2) + SIM_MS(20) + BT_D);

	net_set_trace(t.net, NULL);
	CU_ASSERT_EQUAL_FATAL(trace_close(tr, err, sizeof(err)), 0);
	rd = trace_reader_open(path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	while ((rc = trace_reader_next(rd, &rec, err, sizeof(err))) == 1) {
		if (rec.type != TR_PKT_DROP)
			continue;
		CU_ASSERT_FATAL(n < (int)(sizeof(drops) / sizeof(drops[0])));
		CU_ASSERT_EQUAL(rec.u.drop.node, 1);
		CU_ASSERT_EQUAL(rec.u.drop.reason, drops[n].reason);
		CU_ASSERT_EQUAL(rec.u.drop.len, drops[n].len);
		CU_ASSERT_STRING_EQUAL(rec.u.drop.detail != NULL ?
		    rec.u.drop.detail : "", drops[n].detail);
		n++;
	}
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_EQUAL(n, (int)(sizeof(drops) / sizeof(drops[0])));
	trace_reader_close(rd);
	unlink(path);
	bt_free(&t);
}

static void m_demand(struct bfd_ctl *c) { c->flags = BFD_FLAG_D; }

/*
 * A peer in Demand mode (D while both are Up, RFC 5880 6.8.7): b stops
 * its periodic packets until a packet without D comes.
 */
static void
test_remote_demand(void)
{
	struct bt t;
	const sim_time t0 = SIM_S(2);
	int k;

	bt_build(&t, SEED);
	bt_add(&t, 0, &bfd_msee_cfg);
	bt_add(&t, 1, &bfd_msee_cfg);
	sim_run_until(t.sim, t0);
	/* just after one of a's own packets, so that none comes between */
	k = t.tx[0].n;
	while (t.tx[0].n == k)
		sim_run_until(t.sim, sim_now(t.sim) + SIM_US(100));
	sim_run_until(t.sim, t.tx[0].at[k] + BT_D);
	send_mod(&t, m_demand, 24, 255);
	sim_run_until(t.sim, sim_now(t.sim) + BT_D);
	CU_ASSERT_EQUAL(bfd_session_tx_interval(t.s[1]), 0);
	k = t.tx[1].n;
	/* a's next own packet has no D: b resumes */
	sim_run_until(t.sim, t.tx[0].at[t.tx[0].n - 1] + SIM_MS(300) + BT_D);
	CU_ASSERT_EQUAL(bfd_session_tx_interval(t.s[1]), SIM_MS(300));
	CU_ASSERT_EQUAL(t.tx[1].n, k);
	sim_run_until(t.sim, sim_now(t.sim) + SIM_MS(301));
	CU_ASSERT(t.tx[1].n > k);
	CU_ASSERT_EQUAL(bfd_session_state(t.s[1]), BFD_UP);
	bt_free(&t);
}

static void
ignore_udp(struct node *n, struct pkt *p, const struct wire_frame *f,
    void *ctx)
{
	(void)f;
	(void)ctx;
	pkt_free(net_sim(node_net(n)), p);
}

static void
test_add_errors(void)
{
	struct bt t;
	struct bfd_cfg bad;
	char err[128];

	bt_build(&t, SEED);
	bad = bt_cfg(0, SIM_MS(300), 3);
	CU_ASSERT_PTR_NULL(bfd_session_add(t.bfd, t.n[0], VRF_DEFAULT, 0,
	    BT_ADDR(1), &bad, NULL, NULL, err, sizeof(err)));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "desired min tx"));
	bad = bt_cfg(SIM_MS(300) + 1, SIM_MS(300), 3);
	CU_ASSERT_PTR_NULL(bfd_session_add(t.bfd, t.n[0], VRF_DEFAULT, 0,
	    BT_ADDR(1), &bad, NULL, NULL, err, sizeof(err)));
	bad = bt_cfg(SIM_MS(300), -SIM_MS(1), 3);
	CU_ASSERT_PTR_NULL(bfd_session_add(t.bfd, t.n[0], VRF_DEFAULT, 0,
	    BT_ADDR(1), &bad, NULL, NULL, err, sizeof(err)));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "required min rx"));
	bad = bt_cfg(SIM_MS(300), SIM_MS(300), 0);
	CU_ASSERT_PTR_NULL(bfd_session_add(t.bfd, t.n[0], VRF_DEFAULT, 0,
	    BT_ADDR(1), &bad, NULL, NULL, err, sizeof(err)));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "detect mult"));
	CU_ASSERT_PTR_NULL(bfd_session_add(t.bfd, t.n[0], VRF_DEFAULT, 0,
	    (192u << 24) | 1, &bfd_msee_cfg, NULL, NULL, err, sizeof(err)));
	CU_ASSERT_STRING_EQUAL(err, "bfd: a has no route to 192.0.0.1");
	bt_add(&t, 0, &bfd_msee_cfg);
	CU_ASSERT_EQUAL(bfd_session_local_addr(t.s[0]), BT_ADDR(0));
	CU_ASSERT_PTR_EQUAL(bfd_session_find(t.bfd, t.n[0], VRF_DEFAULT,
	    BT_ADDR(1)), t.s[0]);
	CU_ASSERT_PTR_NULL(bfd_session_find(t.bfd, t.n[1], VRF_DEFAULT,
	    BT_ADDR(0)));
	CU_ASSERT_PTR_NULL(bfd_session_add(t.bfd, t.n[0], VRF_DEFAULT, 0,
	    BT_ADDR(1), &bfd_msee_cfg, NULL, NULL, err, sizeof(err)));
	CU_ASSERT_STRING_EQUAL(err,
	    "bfd: a already has a session to 10.0.0.2");
	/* port 3784 held by another application */
	CU_ASSERT_EQUAL(node_bind_udp(t.n[1], VRF_DEFAULT, BFD_PORT,
	    ignore_udp, NULL, NULL), 0);
	CU_ASSERT_PTR_NULL(bfd_session_add(t.bfd, t.n[1], VRF_DEFAULT, 0,
	    BT_ADDR(0), &bfd_msee_cfg, NULL, NULL, err, sizeof(err)));
	CU_ASSERT_STRING_EQUAL(err, "bfd: udp port 3784 of b is taken");
	node_unbind_udp(t.n[1], VRF_DEFAULT, BFD_PORT);
	/* a source port held by another application is skipped */
	CU_ASSERT_EQUAL(node_bind_udp(t.n[1], VRF_DEFAULT, 49152,
	    ignore_udp, NULL, NULL), 0);
	bt_add(&t, 1, &bfd_msee_cfg);
	CU_ASSERT_EQUAL(bfd_session_sport(t.s[1]), 49153);
	CU_ASSERT_EQUAL(bfd_session_set_cfg(t.s[1], &bad), -1);
	sim_run_until(t.sim, SIM_S(1));
	CU_ASSERT_EQUAL(bfd_session_state(t.s[1]), BFD_UP);
	node_unbind_udp(t.n[1], VRF_DEFAULT, 49152);
	bt_free(&t);
}

static bool
assert_gaps_slow(const struct bt *t)
{
	int k;

	for (k = 1; k < t->tx[0].n; k++)
		if (t->tx[0].at[k] - t->tx[0].at[k - 1] < SIM_MS(750) ||
		    t->tx[0].at[k] - t->tx[0].at[k - 1] > SIM_S(1))
			return false;
	return t->tx[0].n > 1;
}

/* No BFD at the peer: each packet comes back as port unreachable. */
static void
test_no_peer(void)
{
	struct bt t;
	const struct bfd_stats *st;

	bt_build(&t, SEED);
	bt_add(&t, 0, &bfd_msee_cfg);
	st = bfd_session_stats(t.s[0]);
	sim_run_until(t.sim, SIM_S(5));
	CU_ASSERT(st->tx >= 5);
	/* what had time to come back */
	CU_ASSERT_EQUAL(st->icmp_errors,
	    (uint64_t)bt_tx_count(&t, 0, 0, SIM_S(5) - 2 * BT_D));
	CU_ASSERT_EQUAL(st->rx, 0);
	CU_ASSERT_EQUAL(bfd_session_state(t.s[0]), BFD_DOWN);
	CU_ASSERT_EQUAL(t.log[0].n, 0);
	CU_ASSERT_EQUAL(node_drops(t.n[1])[DROP_NO_LISTENER],
	    (uint64_t)bt_tx_count(&t, 0, 0, SIM_S(5) - BT_D));
	CU_ASSERT(assert_gaps_slow(&t));
	bt_free(&t);
}

/* a and b also meet in VRF red, 10.1.0.0/24: two sessions, two ports. */
static void
test_vrf(void)
{
	struct bt t;
	struct link_params p;
	struct bfd_session *r[2];
	uint32_t red[2], ifx[2];
	char err[128];
	int i;

	bt_build(&t, SEED);
	memset(&p, 0, sizeof(p));
	p.dir[0].rate_bps = p.dir[1].rate_bps = 1000000000ull;
	p.dir[0].delay = p.dir[1].delay = SIM_MS(2);
	p.mtu = 1500;
	for (i = 0; i < 2; i++) {
		red[i] = node_vrf(t.n[i], "red");
		ifx[i] = node_add_iface(t.n[i], "eth1", NULL,
		    (10u << 24) | (1u << 16) | (uint32_t)(i + 1), 24, red[i]);
	}
	net_add_link(t.net, "red", t.n[0], ifx[0], t.n[1], ifx[1], &p);
	bt_add(&t, 0, &bfd_msee_cfg);
	bt_add(&t, 1, &bfd_msee_cfg);
	for (i = 0; i < 2; i++) {
		r[i] = bfd_session_add(t.bfd, t.n[i], red[i], 0,
		    (10u << 24) | (1u << 16) | (uint32_t)(2 - i),
		    &bfd_msee_cfg, NULL, NULL, err, sizeof(err));
		CU_ASSERT_PTR_NOT_NULL_FATAL(r[i]);
		CU_ASSERT_EQUAL(bfd_session_sport(r[i]), 49153);
	}
	sim_run_until(t.sim, SIM_S(3));
	for (i = 0; i < 2; i++) {
		CU_ASSERT_EQUAL(bfd_session_state(r[i]), BFD_UP);
		CU_ASSERT_EQUAL(bfd_session_state(t.s[i]), BFD_UP);
		CU_ASSERT_EQUAL(bfd_session_stats(r[i])->last_change,
		    2 * (SIM_MS(2) + 528));
	}
	/* the red link fails, the default one does not */
	link_set_up(net_find_link(t.net, "red"), false);
	sim_run_until(t.sim, SIM_S(5));
	CU_ASSERT_EQUAL(bfd_session_state(r[0]), BFD_DOWN);
	CU_ASSERT_EQUAL(bfd_session_state(t.s[0]), BFD_UP);
	bt_free(&t);
}

/* A client that removes its session on Up: nothing is left behind. */
static void
remove_on_up(struct bfd_session *s, enum bfd_state old, enum bfd_state state,
    enum bfd_diag diag, void *ctx)
{
	int *n = ctx;

	(void)old;
	(void)diag;
	(*n)++;
	if (state == BFD_UP)
		bfd_session_remove(s);
}

static void
test_remove_in_callback(void)
{
	struct bt t;
	char err[128];
	int calls = 0;

	bt_build(&t, SEED);
	t.s[0] = bfd_session_add(t.bfd, t.n[0], VRF_DEFAULT, 0, BT_ADDR(1),
	    &bfd_msee_cfg, remove_on_up, &calls, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(t.s[0]);
	bt_add(&t, 1, &bfd_msee_cfg);
	sim_run_until(t.sim, SIM_S(3));
	CU_ASSERT_EQUAL(calls, 2);
	CU_ASSERT_PTR_NULL(bfd_session_find(t.bfd, t.n[0], VRF_DEFAULT,
	    BT_ADDR(1)));
	/* a's Up (sent before the callback) made b Up; then silence */
	/* (the handshake then runs again: a went Down too, diag 3) */
	CU_ASSERT_FATAL(t.log[1].n >= 3);
	CU_ASSERT_EQUAL(t.log[1].state[2], BFD_DOWN);
	CU_ASSERT_EQUAL(t.log[1].diag[2], BFD_DIAG_TIME_EXPIRED);
	CU_ASSERT_EQUAL(t.log[1].at[1], 2 * BT_D);
	CU_ASSERT_EQUAL(t.log[1].at[2], 3 * BT_D + SIM_MS(900));
	/* b's packets now find no session at a */
	CU_ASSERT(bfd_rx_drops(t.bfd)[BFD_RX_NO_SESSION] > 0);
	bt_free(&t);
}

static char *
run_cmd(const char *cmd)
{
	char *out = NULL;
	size_t len = 0, cap = 0, n;
	FILE *f = popen(cmd, "r");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	do {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 65536;
			out = xrealloc(out, cap);
		}
		n = fread(out + len, 1, cap - len - 1, f);
		len += n;
	} while (n > 0);
	out[len] = '\0';
	CU_ASSERT_EQUAL(pclose(f), 0);
	return out;
}

/* Lines of tshark's field output (its warnings about root aside). */
static int
count_lines(const char *s)
{
	int n = 0;

	for (; *s != '\0'; s = strchr(s, '\n') + 1) {
		n += strncmp(s, "0x", 2) == 0;
		if (strchr(s, '\n') == NULL)
			break;
	}
	return n;
}

/*
 * tshark reads every BFD packet of a run (handshake, Polls, AdminDown and
 * back, a cut) as BFD Control with our values and none as malformed.
 */
static void
test_tshark(void)
{
	struct bt t;
	char dir[] = "/tmp/xcsim_bfd_pcap_XXXXXX", path[128], cmd[512];
	char err[256], want[64];
	struct bfd_cfg fast = bt_cfg(SIM_MS(100), SIM_MS(100), 3);
	char *out;
	int sent;

	if (system("command -v tshark >/dev/null 2>&1") != 0) {
		CU_FAIL("tshark is not on PATH (apt-get install tshark)");
		return;
	}
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/bfd.pcap", dir);
	bt_build(&t, SEED);
	CU_ASSERT_EQUAL_FATAL(net_capture_iface(t.net, t.n[0], 0, path, err,
	    sizeof(err)), 0);
	bt_add(&t, 0, &bfd_msee_cfg);
	bt_add(&t, 1, &bfd_msee_cfg);
	sim_run_until(t.sim, SIM_S(2));
	bfd_session_set_cfg(t.s[0], &fast);
	sim_run_until(t.sim, SIM_S(3));
	bfd_session_admin(t.s[1], true);
	sim_run_until(t.sim, SIM_S(5));
	bfd_session_admin(t.s[1], false);
	sim_run_until(t.sim, SIM_S(7));
	link_schedule_state(t.l, SIM_S(7), false);
	sim_run_until(t.sim, SIM_S(9));
	CU_ASSERT_EQUAL(net_close_captures(t.net, err, sizeof(err)), 0);
	/* what crossed a's interface: a's packets before the cut, b's too */
	sent = bt_tx_after(&t, 0, SIM_S(7)) + bt_tx_after(&t, 1,
	    SIM_S(7) - BT_D);
	snprintf(cmd, sizeof(cmd), "tshark -r '%s' -Y 'bfd && !_ws.malformed"
	    " && bfd.version == 1 && bfd.message_length == 24' -T fields "
	    "-e bfd.sta 2>&1", path);
	out = run_cmd(cmd);
	CU_ASSERT_EQUAL(count_lines(out), sent);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "0x03"));	/* Up */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "0x00"));	/* AdminDown */
	free(out);
	snprintf(cmd, sizeof(cmd), "tshark -r '%s' -Y 'bfd.flags.p == 1 && "
	    "bfd.desired_min_tx_interval == 100000 && ip.ttl == 255 && "
	    "udp.dstport == 3784 && udp.srcport == 49152' -T fields "
	    "-e bfd.my_discriminator 2>&1", path);
	out = run_cmd(cmd);
	snprintf(want, sizeof(want), "0x%08x",
	    bfd_session_local_disc(t.s[0]));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, want));
	free(out);
	snprintf(cmd, sizeof(cmd), "tshark -r '%s' -q -z expert,note "
	    "-o udp.check_checksum:TRUE 2>&1", path);
	out = run_cmd(cmd);
	CU_ASSERT_PTR_NULL(strstr(out, "Malformed"));
	CU_ASSERT_PTR_NULL(strstr(out, "Error"));
	CU_ASSERT_PTR_NULL(strstr(out, "Warning"));
	free(out);
	bt_free(&t);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

static const struct test_case cases[] = {
	{ "every reception check discards, with its reason",
	    test_reception_checks },
	{ "a peer in Demand mode silences periodic packets",
	    test_remote_demand },
	{ "session add: every error", test_add_errors },
	{ "no BFD at the peer: ICMP port unreachable", test_no_peer },
	{ "sessions in two VRFs", test_vrf },
	{ "removal from the state callback", test_remove_in_callback },
	{ "tshark decodes the capture cleanly", test_tshark },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "bfd_rx", cases);
}
