/*
 * test_viz_bgp.c - BGP in the viewer, checked through the text the panels
 * draw (viz_panel_line) and the model behind it: a node's BGP panel at an
 * instant (its neighbours with state, uptime, counters and the last
 * reason; its Loc-RIB with next hop, AS path and why the best won), the
 * same by seeking as by playing, scrolled; a selected packet's decoded
 * BGP and BFD messages from a real run's trace; decode_control on
 * hand-built segments (several messages in one, one cut over two); and
 * the --bgp option.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

#ifdef XCSIM_HAVE_VIZ
#include "bfd_pkt.h"
#include "bgp_msg.h"
#include "bgp_trace_testutil.h"
#include "bgpview.h"
#include "decode.h"
#include "replay.h"
#include "trace.h"
#include "util.h"
#include "viz.h"

static const char *tmpdir;

static const char *
trace_path(void)
{
	static char path[512];

	if (path[0] == '\0') {
		snprintf(path, sizeof(path), "%s/bgp.xct", tmpdir);
		bt_trace(path);
	}
	return path;
}

static const char *
tmp_path(const char *name)
{
	static char buf[4][512];
	static int k;

	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", tmpdir, name);
	return buf[k];
}

static struct viz *
open_bgp(const char *node)
{
	char err[256];
	struct viz_opts o = { 1280, 720, NULL, NULL, node };
	struct viz *v = viz_open(trace_path(), &o, err, sizeof(err));

	if (v == NULL)
		fprintf(stderr, "viz_open: %s\n", err);
	return v;
}

/* The panel's lines joined by "\n", for whole-text comparison. */
static char *
panel_text(struct viz *v)
{
	static char buf[16384];
	const char *l;
	size_t i, at = 0;

	buf[0] = '\0';
	for (i = 0; (l = viz_panel_line(v, i)) != NULL; i++)
		at += (size_t)snprintf(buf + at, sizeof(buf) - at, "%s\n", l);
	return buf;
}

/*
 * At 4 s both of r0's sessions are up, r1's copies of r2's prefixes have
 * arrived: the direct routes win on AS path length.
 */
static void
test_panel_up(void)
{
	static const char want[] =
	    "r0 \xc2\xb7 BGP\n"
	    "2 neighbours \xc2\xb7 3 prefixes in the Loc-RIB\n"
	    "peer 10.0.0.2 Established\n"
	    "  up 4 s \xc2\xb7 in 3 upd 3 pfx \xc2\xb7 out 2 upd 2 pfx\n"
	    "  last: KeepAliveMsg\n"
	    "peer 10.0.0.10 Established\n"
	    "  up 4 s \xc2\xb7 in 3 upd 3 pfx \xc2\xb7 out 2 upd 1 pfx\n"
	    "  BFD Up \xc2\xb7 last: KeepAliveMsg\n"
	    "10.1.0.0/16 via 10.0.0.2 \xc2\xb7 31898\n"
	    "  best by AS path length over 10.0.0.10: AS path 1 < 2 (31898 "
	    "vs 65001 31898)\n"
	    "172.16.0.0/16 via 10.0.0.10 \xc2\xb7 65001\n"
	    "  best by AS path length over 10.0.0.2: AS path 1 < 2 (65001 vs "
	    "31898 65001)\n"
	    "172.17.0.0/16 via 10.0.0.10 \xc2\xb7 65001\n"
	    "  best by AS path length over 10.0.0.2: AS path 1 < 2 (65001 vs "
	    "31898 65001)\n";
	struct viz *v = open_bgp("r0");
	char err[256];

	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	CU_ASSERT_EQUAL(viz_seek(v, SIM_S(4), err, sizeof(err)), 0);
	viz_render(v);
	CU_ASSERT_STRING_EQUAL(panel_text(v), want);
	CU_ASSERT_EQUAL(viz_save_png(v, tmp_path("up.png"), err, sizeof(err)),
	    0);
	/* played to from the start: the same text */
	CU_ASSERT_EQUAL(viz_seek(v, 0, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(viz_play_to(v, SIM_S(4), err, sizeof(err)), 0);
	viz_render(v);
	CU_ASSERT_STRING_EQUAL(panel_text(v), want);
	/* scrolled to the second route */
	viz_select_bgp(v, true, 1);
	viz_render(v);
	CU_ASSERT_PTR_NOT_NULL(strstr(panel_text(v), "KeepAliveMsg\n"
	    "172.16.0.0/16 via"));
	CU_ASSERT_PTR_NULL(strstr(panel_text(v), "10.1.0.0/16"));
	/* past the end: the last one */
	viz_select_bgp(v, true, 99);
	viz_render(v);
	CU_ASSERT_PTR_NOT_NULL(strstr(panel_text(v), "KeepAliveMsg\n"
	    "172.17.0.0/16 via"));
	/* off: the node's ordinary panel, no BGP lines */
	viz_select_bgp(v, false, 0);
	viz_render(v);
	CU_ASSERT_PTR_NULL(viz_panel_line(v, 0));
	viz_close(v);
}

/*
 * After the cut (5 s) BFD took the session to r2 down at 5.88 s: at 6.5 s
 * it is Idle with BFD's reason, and r2's prefixes come through r1 alone.
 * At 9 s r1 has stopped its session too: both Idle, the Loc-RIB empty.
 */
static void
test_panel_failover(void)
{
	static const char want[] =
	    "r0 \xc2\xb7 BGP\n"
	    "2 neighbours \xc2\xb7 3 prefixes in the Loc-RIB\n"
	    "peer 10.0.0.2 Established\n"
	    "  up 6.5 s \xc2\xb7 in 3 upd 3 pfx \xc2\xb7 out 3 upd 2 pfx 2 wd\n"
	    "  last: KeepAliveMsg\n"
	    "peer 10.0.0.10 Idle\n"
	    "  Idle for 620 ms \xc2\xb7 in 3 upd 3 pfx \xc2\xb7 out 2 upd 1 "
	    "pfx\n"
	    "  BFD Down \xc2\xb7 last: Cease / BFD Down\n"
	    "10.1.0.0/16 via 10.0.0.2 \xc2\xb7 31898\n"
	    "  best: only route\n"
	    "172.16.0.0/16 via 10.0.0.2 \xc2\xb7 31898 65001\n"
	    "  best: only route\n"
	    "172.17.0.0/16 via 10.0.0.2 \xc2\xb7 31898 65001\n"
	    "  best: only route\n";
	struct viz *v = open_bgp("r0");
	char err[256];
	char *t;

	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	CU_ASSERT_EQUAL(viz_seek(v, SIM_MS(6500), err, sizeof(err)), 0);
	viz_render(v);
	CU_ASSERT_STRING_EQUAL(panel_text(v), want);
	CU_ASSERT_EQUAL(viz_seek(v, SIM_S(9), err, sizeof(err)), 0);
	viz_render(v);
	t = panel_text(v);
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "0 prefixes in the Loc-RIB\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "peer 10.0.0.2 Idle\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "last: received Cease / "
	    "Administrative Shutdown\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "\nempty\n"));
	viz_close(v);
}

/* The first whole frame on link (dir) whose first BGP message is of type
 * t (BFD: t 0, a UDP frame), after from: its uid and time. (link and dir
 * sit at the same place in tx and data.) */
static int
find_frame(uint32_t link, uint8_t dir, int t, sim_time from, uint64_t *uid,
    sim_time *at)
{
	char err[256];
	struct trace_reader *rd = trace_reader_open(trace_path(), err,
	    sizeof(err));
	struct trace_rec r;
	int rc, found = -1;

	if (rd == NULL)
		return -1;
	while ((rc = trace_reader_next(rd, &r, err, sizeof(err))) == 1) {
		/* whole in the TX (up to 95 bytes) or in the pkt_data */
		bool small = r.type == TR_PKT_TX &&
		    r.u.tx.hdr_len < TRACE_HDR_MAX;
		const uint8_t *f = small ? r.u.tx.hdr : r.u.data.data;
		size_t n = small ? r.u.tx.hdr_len : r.u.data.len;

		if ((!small && r.type != TR_PKT_DATA) ||
		    r.u.data.link != link || r.u.data.dir != dir ||
		    r.t < from || n < 14 + 20 + 8)
			continue;
		if (t == 0 && f[23] == 17) {
			found = 0;
		} else if (t != 0 && f[23] == 6) {
			size_t thl = (size_t)(f[14 + 20 + 12] >> 4) * 4;

			if (n >= 14 + 20 + thl + 19 &&
			    f[14 + 20 + thl + 18] == t)
				found = 0;
		}
		if (found == 0) {
			*uid = r.u.data.uid;
			*at = r.t;
			break;
		}
	}
	trace_reader_close(rd);
	return found;
}

/*
 * r1's UPDATE of 10.1.0.0/16 to r0, selected while on the wire: its
 * decoded message, each attribute; r0's OPEN with its AS and
 * capabilities; a BFD control packet from r0 to r2 once Up.
 */
static void
test_packet_decoded(void)
{
	struct viz *v = open_bgp("r0");
	uint64_t uid;
	sim_time at;
	char err[256], *t;

	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	/* l0 dir 1: r1 to r0 */
	CU_ASSERT_EQUAL_FATAL(find_frame(0, 1, BGP_UPDATE, 0, &uid, &at), 0);
	CU_ASSERT_EQUAL(viz_seek(v, at + SIM_US(1), err, sizeof(err)), 0);
	viz_select_packet(v, uid);
	viz_render(v);
	t = panel_text(v);
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "BGP UPDATE 1, 46 bytes\n"
	    "  summary: UPDATE 0 withdrawn, 1 NLRI, AS_PATH 31898, NEXT_HOP "
	    "10.0.0.2, ORIGIN IGP\n"
	    "  ORIGIN: IGP\n"
	    "  AS_PATH: 31898\n"
	    "  NEXT_HOP: 10.0.0.2\n"
	    "  NLRI: 1: 10.1.0.0/16\n"));
	CU_ASSERT_EQUAL(viz_save_png(v, tmp_path("update.png"), err,
	    sizeof(err)), 0);
	/* l0 dir 0: r0's OPEN to r1 */
	CU_ASSERT_EQUAL_FATAL(find_frame(0, 0, BGP_OPEN, 0, &uid, &at), 0);
	CU_ASSERT_EQUAL(viz_seek(v, at + SIM_US(1), err, sizeof(err)), 0);
	viz_select_packet(v, uid);
	viz_render(v);
	t = panel_text(v);
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "BGP OPEN 1, "));
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "  summary: OPEN AS 12076 hold 90 "
	    "id 1.1.1.1 caps mp(1/1) route-refresh as4\n"));
	/* l2 dir 0: r0 to r2's BFD, after it came up */
	CU_ASSERT_EQUAL_FATAL(find_frame(2, 0, 0, SIM_S(2), &uid, &at), 0);
	CU_ASSERT_EQUAL(viz_seek(v, at + SIM_US(1), err, sizeof(err)), 0);
	viz_select_packet(v, uid);
	viz_render(v);
	t = panel_text(v);
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "BFD control packet, 24 bytes\n"
	    "  version: 1\n"
	    "  state: Up\n"
	    "  diagnostic: 0 No Diagnostic\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "  detect mult: 3\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "  desired min tx: 300000 us\n"));
	viz_close(v);
}

/* ---------------------------------------------------------------------- */
/* decode_control on hand-built segments                                    */

/* Ethernet, IPv4 and TCP (ports sp > dp) headers before n payload bytes,
 * and 6 bytes of Ethernet padding past the IP total length. */
static size_t
tcp_frame(uint8_t *f, uint16_t sp, uint16_t dp, const uint8_t *pl,
    size_t n)
{
	size_t tot = 20 + 20 + n;

	memset(f, 0, 14 + tot + 6);
	f[12] = 0x08;
	f[14] = 0x45;
	f[16] = (uint8_t)(tot >> 8);
	f[17] = (uint8_t)tot;
	f[22] = 64;
	f[23] = 6;
	f[34] = (uint8_t)(sp >> 8);
	f[35] = (uint8_t)sp;
	f[36] = (uint8_t)(dp >> 8);
	f[37] = (uint8_t)dp;
	f[46] = 0x50;
	memcpy(f + 54, pl, n);
	memset(f + 14 + tot, 0xee, 6);
	return 14 + tot + 6;
}

static char *
lines_text(const struct decode_line *l, size_t n)
{
	static char buf[8192];
	size_t i, at = 0;

	buf[0] = '\0';
	for (i = 0; i < n; i++)
		at += (size_t)snprintf(buf + at, sizeof(buf) - at, "%s|%s|%s\n",
		    l[i].layer, l[i].name, l[i].value);
	return buf;
}

/*
 * One segment with a KEEPALIVE, a whole UPDATE (two prefixes, MED,
 * LOCAL_PREF, communities with NO_EXPORT) and the first 10 bytes of a
 * NOTIFICATION; then a segment that starts inside a message and ends with
 * a whole NOTIFICATION (Cease 6/2 with a shutdown text).
 */
static void
test_decode_segments(void)
{
	static const uint32_t comm[2] = { 12076u << 16 | 100,
		BGP_COMM_NO_EXPORT };
	static const uint32_t path[2] = { BGP_SEG(BGP_SEG_SEQUENCE, 1),
		65001 };
	static struct bgp_prefix4 nlri[2] = { { 0xac100000u, 16 },
		{ 0xc0000200u, 24 } };
	struct bgp_attrs fixed, *a;
	struct bgp_attrs_var var;
	struct bgp_msg m;
	struct decode_line l[64];
	uint8_t pl[4096], f[4200], notif[BGP_MAX_LEN];
	size_t n = 0, k, fl, nn;

	memset(&fixed, 0, sizeof(fixed));
	memset(&var, 0, sizeof(var));
	fixed.has = BGP_HAS(BGP_ATTR_ORIGIN) | BGP_HAS(BGP_ATTR_AS_PATH) |
	    BGP_HAS(BGP_ATTR_NEXT_HOP) | BGP_HAS(BGP_ATTR_MED) |
	    BGP_HAS(BGP_ATTR_LOCAL_PREF) | BGP_HAS(BGP_ATTR_COMMUNITIES);
	fixed.next_hop = 0x0a00000au;
	fixed.med = 50;
	fixed.local_pref = 200;
	var.path = path;
	var.path_len = 2;
	var.comm = comm;
	var.n_comm = 2;
	a = bgp_attrs_new(&fixed, &var);
	memset(&m, 0, sizeof(m));
	m.type = BGP_UPDATE;
	m.u.update.attrs = a;
	m.u.update.nlri = nlri;
	m.u.update.n_nlri = 2;
	n = bgp_encode_keepalive(pl);
	k = bgp_encode(&m, true, pl + n);
	CU_ASSERT_FATAL(k > 0);
	n += k;
	nn = bgp_encode_shutdown(BGP_CEASE_ADMIN_SHUTDOWN, "bye", notif);
	memcpy(pl + n, notif, 10);
	fl = tcp_frame(f, 179, 50000, pl, n + 10);
	k = decode_control(f, fl, l, 64);
	CU_ASSERT_STRING_EQUAL(lines_text(l, k),
	    "BGP||KEEPALIVE 1, 19 bytes\n"
	    "BGP|summary|KEEPALIVE\n"
	    "BGP||UPDATE 2, 75 bytes\n"
	    "BGP|summary|UPDATE 0 withdrawn, 2 NLRI, AS_PATH 65001, NEXT_HOP "
	    "10.0.0.10, ORIGIN IGP, MED 50, LOCAL_PREF 200, COMMUNITIES "
	    "12076:100 no-export\n"
	    "BGP|ORIGIN|IGP\n"
	    "BGP|AS_PATH|65001\n"
	    "BGP|NEXT_HOP|10.0.0.10\n"
	    "BGP|MED|50\n"
	    "BGP|LOCAL_PREF|200\n"
	    "BGP|COMMUNITIES|12076:100 NO_EXPORT\n"
	    "BGP|NLRI|2: 172.16.0.0/16 192.0.2.0/24\n"
	    "BGP||message 3: the first 10 bytes (the rest in the next "
	    "segment)\n");
	/* the next segment: the NOTIFICATION's tail, then a whole one */
	memcpy(pl, notif + 10, nn - 10);
	memcpy(pl + nn - 10, notif, nn);
	fl = tcp_frame(f, 50000, 179, pl, 2 * nn - 10);
	k = decode_control(f, fl, l, 64);
	CU_ASSERT_STRING_EQUAL(lines_text(l, k),
	    "BGP||15 bytes continuing a message of an earlier segment\n"
	    "BGP||NOTIFICATION 1, 25 bytes\n"
	    "BGP|summary|NOTIFICATION Cease / Administrative Shutdown "
	    "\"bye\"\n"
	    "BGP|error|Cease / Administrative Shutdown\n"
	    "BGP|message|\"bye\"\n");
	/* not BGP's port: nothing */
	fl = tcp_frame(f, 50000, 80, pl, 2 * nn - 10);
	CU_ASSERT_EQUAL(decode_control(f, fl, l, 64), 0);
	/* a bad marker: the framer's words */
	memset(pl, 0xff, 16);
	pl[16] = 0;
	pl[17] = 5;	/* length 5 */
	pl[18] = 4;
	fl = tcp_frame(f, 179, 50000, pl, 19);
	k = decode_control(f, fl, l, 64);
	CU_ASSERT_STRING_EQUAL(lines_text(l, k),
	    "BGP||message 1: bad header (Message Header Error / Bad Message "
	    "Length)\n");
	/* a short max: never more lines than asked */
	fl = tcp_frame(f, 179, 50000, notif, nn);
	CU_ASSERT_EQUAL(decode_control(f, fl, l, 2), 2);
	free(a);
}

/* A BFD control packet in a UDP datagram to 3784. */
static void
test_decode_bfd(void)
{
	struct bfd_ctl c;
	struct decode_line l[32];
	uint8_t f[128];
	size_t k;

	bfd_ctl_init(&c);
	c.state = BFD_INIT;
	c.diag = BFD_DIAG_TIME_EXPIRED;
	c.flags = BFD_FLAG_P;
	c.detect_mult = 3;
	c.my_disc = 7;
	c.your_disc = 9;
	c.des_min_tx = 300000;
	c.req_min_rx = 300000;
	memset(f, 0, sizeof(f));
	f[12] = 0x08;
	f[14] = 0x45;
	f[17] = 20 + 8 + 24;
	f[23] = 17;
	f[34] = 0xc0;
	f[36] = 0x0e;
	f[37] = 0xc8;	/* 3784 */
	f[39] = 8 + 24;
	bfd_pkt_encode(&c, f + 42);
	k = decode_control(f, 14 + 20 + 8 + 24, l, 32);
	CU_ASSERT_STRING_EQUAL(lines_text(l, k),
	    "BFD||control packet, 24 bytes\n"
	    "BFD|version|1\n"
	    "BFD|state|Init\n"
	    "BFD|diagnostic|1 Control Detection Time Expired\n"
	    "BFD|flags|P \n"
	    "BFD|detect mult|3\n"
	    "BFD|my discr|7\n"
	    "BFD|your discr|9\n"
	    "BFD|desired min tx|300000 us\n"
	    "BFD|required min rx|300000 us\n"
	    "BFD|req min echo rx|0 us\n");
}

/* The model: attrs fields; the counters' and the uptime's words. */
static void
test_model(void)
{
	struct bgpv_peer p;
	char b[200];

	CU_ASSERT(bgpv_attr("from 10.0.0.2 AS 1; path 1 2; best: only route",
	    "path", b, sizeof(b)));
	CU_ASSERT_STRING_EQUAL(b, "1 2");
	CU_ASSERT(bgpv_attr("from 10.0.0.2 AS 1; path 1 2; best: only route",
	    "best", b, sizeof(b)));
	CU_ASSERT_STRING_EQUAL(b, "only route");
	CU_ASSERT(bgpv_attr("from local; path (empty)", "from", b, sizeof(b)));
	CU_ASSERT_STRING_EQUAL(b, "local");
	CU_ASSERT(!bgpv_attr("from local; pathx 1", "path", b, sizeof(b)));
	CU_ASSERT_STRING_EQUAL(b, "");
	memset(&p, 0, sizeof(p));
	p.peer = "10.0.0.2";
	p.state = "Established";
	p.reason = "";
	p.since = SIM_MS(500);
	bgpv_peer_since(&p, SIM_MS(2500), b, sizeof(b));
	CU_ASSERT_STRING_EQUAL(b, "up 2 s");
	bgpv_peer_counts(&p, b, sizeof(b));
	CU_ASSERT_STRING_EQUAL(b, "no messages yet");
	p.has_stats = true;
	p.st.updates_in = 4;
	p.st.prefixes_in = 1000;
	p.st.withdrawn_out = 7;
	bgpv_peer_counts(&p, b, sizeof(b));
	CU_ASSERT_STRING_EQUAL(b, "in 4 upd 1000 pfx \xc2\xb7 out 0 upd 0 pfx "
	    "7 wd");
	p.state = "Active";
	bgpv_peer_since(&p, SIM_MS(2500), b, sizeof(b));
	CU_ASSERT_STRING_EQUAL(b, "Active for 2 s");
}

/* --bgp names a node of the trace. */
static void
test_option(void)
{
	char err[256] = "";
	struct viz_opts o = { 640, 360, NULL, NULL, "r9" };

	CU_ASSERT_PTR_NULL(viz_open(trace_path(), &o, err, sizeof(err)));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "no node named r9"));
}

static const struct test_case cases[] = {
	{ "a node's BGP panel: neighbours, counters, Loc-RIB, why best",
	    test_panel_up },
	{ "the panel after BFD's failover and a stopped session",
	    test_panel_failover },
	{ "a selected BGP or BFD packet, decoded", test_packet_decoded },
	{ "decode_control: messages across segments", test_decode_segments },
	{ "decode_control: a BFD control packet", test_decode_bfd },
	{ "the panel's model and words", test_model },
	{ "a bad --bgp is refused", test_option },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	if ((tmpdir = test_tmpdir("/tmp/test_viz_bgp.XXXXXX")) == NULL)
		return 2;
	return test_main(argc, argv, "viz_bgp", cases);
}

#else

static void
test_no_viz(void)
{
	CU_PASS("built without SDL2");
}

static const struct test_case cases[] = {
	{ "without SDL2 there is no viewer", test_no_viz },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "viz_bgp", cases);
}

#endif
