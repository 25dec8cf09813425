/*
 * test_trace.c - the .xct trace: round trips, JSON, keyframe/seek
 * equivalence, bounded writer memory, corrupt and truncated files, the
 * tmp + rename protocol and determinism.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rng.h"
#include "sim.h"
#include "testutil.h"
#include "trace.h"

static char *
tpath(const char *name)
{
	static char buf[8][256];
	static int n;
	char *p = buf[n++ % 8];

	snprintf(p, 256, "/tmp/xct_test_%ld_%s", (long)getpid(), name);
	return p;
}

static bool
exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static void
rm_trace(const char *path)
{
	char tmp[300];

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	unlink(path);
	unlink(tmp);
}

static bool
str_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* Field-by-field equality of two records of the same type. */
static bool
rec_eq(const struct trace_rec *a, const struct trace_rec *b)
{
	int i;

	if (a->type != b->type || a->t != b->t)
		return false;
	switch (a->type) {
	case TR_NODE:
		return a->u.node.id == b->u.node.id &&
		    str_eq(a->u.node.name, b->u.node.name) &&
		    str_eq(a->u.node.role, b->u.node.role) &&
		    str_eq(a->u.node.region, b->u.node.region) &&
		    a->u.node.pos[0] == b->u.node.pos[0] &&
		    a->u.node.pos[1] == b->u.node.pos[1];
	case TR_IFACE:
		return a->u.iface.node == b->u.iface.node &&
		    a->u.iface.ifindex == b->u.iface.ifindex &&
		    str_eq(a->u.iface.name, b->u.iface.name) &&
		    memcmp(a->u.iface.mac, b->u.iface.mac, 6) == 0 &&
		    a->u.iface.addr == b->u.iface.addr &&
		    a->u.iface.plen == b->u.iface.plen;
	case TR_LINK:
		for (i = 0; i < 2; i++)
			if (a->u.link.node[i] != b->u.link.node[i] ||
			    a->u.link.ifindex[i] != b->u.link.ifindex[i] ||
			    a->u.link.rate_bps[i] != b->u.link.rate_bps[i] ||
			    a->u.link.delay[i] != b->u.link.delay[i])
				return false;
		return a->u.link.id == b->u.link.id &&
		    str_eq(a->u.link.name, b->u.link.name) &&
		    a->u.link.mtu == b->u.link.mtu &&
		    a->u.link.qlimit_pkts == b->u.link.qlimit_pkts &&
		    a->u.link.qlimit_bytes == b->u.link.qlimit_bytes;
	case TR_PKT_ENQUEUE:
		return a->u.enqueue.uid == b->u.enqueue.uid &&
		    a->u.enqueue.link == b->u.enqueue.link &&
		    a->u.enqueue.dir == b->u.enqueue.dir &&
		    a->u.enqueue.len == b->u.enqueue.len &&
		    a->u.enqueue.qpkts == b->u.enqueue.qpkts &&
		    a->u.enqueue.qbytes == b->u.enqueue.qbytes;
	case TR_PKT_TX:
		return a->u.tx.uid == b->u.tx.uid &&
		    a->u.tx.link == b->u.tx.link &&
		    a->u.tx.dir == b->u.tx.dir &&
		    a->u.tx.len == b->u.tx.len &&
		    a->u.tx.tx_end == b->u.tx.tx_end &&
		    a->u.tx.arrive == b->u.tx.arrive &&
		    a->u.tx.qpkts == b->u.tx.qpkts &&
		    a->u.tx.qbytes == b->u.tx.qbytes &&
		    a->u.tx.hdr_len == b->u.tx.hdr_len &&
		    (a->u.tx.hdr_len == 0 ||
		    memcmp(a->u.tx.hdr, b->u.tx.hdr, a->u.tx.hdr_len) == 0);
	case TR_PKT_RX:
		return a->u.rx.uid == b->u.rx.uid &&
		    a->u.rx.link == b->u.rx.link &&
		    a->u.rx.dir == b->u.rx.dir &&
		    a->u.rx.node == b->u.rx.node &&
		    a->u.rx.ifindex == b->u.rx.ifindex;
	case TR_PKT_DROP:
		return a->u.drop.uid == b->u.drop.uid &&
		    a->u.drop.node == b->u.drop.node &&
		    a->u.drop.link == b->u.drop.link &&
		    a->u.drop.dir == b->u.drop.dir &&
		    a->u.drop.reason == b->u.drop.reason &&
		    a->u.drop.len == b->u.drop.len &&
		    a->u.drop.qpkts == b->u.drop.qpkts &&
		    a->u.drop.qbytes == b->u.drop.qbytes &&
		    str_eq(a->u.drop.detail, b->u.drop.detail);
	case TR_QUEUE_DEF:
		return a->u.qdef.queue == b->u.qdef.queue &&
		    a->u.qdef.link == b->u.qdef.link &&
		    a->u.qdef.dir == b->u.qdef.dir &&
		    str_eq(a->u.qdef.kind, b->u.qdef.kind);
	case TR_QUEUE_LEN:
		return a->u.qlen.queue == b->u.qlen.queue &&
		    a->u.qlen.pkts == b->u.qlen.pkts &&
		    a->u.qlen.bytes == b->u.qlen.bytes;
	case TR_LINK_STATE:
		return a->u.link_state.link == b->u.link_state.link &&
		    a->u.link_state.up == b->u.link_state.up;
	case TR_ANNOTATE:
		return a->u.annotate.node == b->u.annotate.node &&
		    str_eq(a->u.annotate.text, b->u.annotate.text);
	case TR_APP:
		return a->u.app.node == b->u.app.node &&
		    str_eq(a->u.app.app, b->u.app.app) &&
		    a->u.app.seq == b->u.app.seq &&
		    a->u.app.ok == b->u.app.ok &&
		    a->u.app.rtt == b->u.app.rtt &&
		    str_eq(a->u.app.text, b->u.app.text);
	case TR_ASSERT:
		return a->u.assertion.pass == b->u.assertion.pass &&
		    str_eq(a->u.assertion.text, b->u.assertion.text);
	case TR_SESSION_STATE:
		return a->u.session.proto == b->u.session.proto &&
		    a->u.session.node == b->u.session.node &&
		    str_eq(a->u.session.peer, b->u.session.peer) &&
		    str_eq(a->u.session.state, b->u.session.state) &&
		    str_eq(a->u.session.reason, b->u.session.reason);
	case TR_ROUTE:
		return a->u.route.node == b->u.route.node &&
		    str_eq(a->u.route.table, b->u.route.table) &&
		    a->u.route.prefix == b->u.route.prefix &&
		    a->u.route.plen == b->u.route.plen &&
		    a->u.route.withdrawn == b->u.route.withdrawn &&
		    str_eq(a->u.route.nexthop, b->u.route.nexthop) &&
		    str_eq(a->u.route.attrs, b->u.route.attrs);
	case TR_PROV_STATE:
		return a->u.prov.node == b->u.prov.node &&
		    str_eq(a->u.prov.resource, b->u.prov.resource) &&
		    str_eq(a->u.prov.field, b->u.prov.field) &&
		    str_eq(a->u.prov.state, b->u.prov.state);
	case TR_QUEUE:
		return a->u.queue.link == b->u.queue.link &&
		    a->u.queue.dir == b->u.queue.dir &&
		    a->u.queue.qpkts == b->u.queue.qpkts &&
		    a->u.queue.qbytes == b->u.queue.qbytes;
	default:
		return true;
	}
}

/* ---------------------------------------------------------------------- */
/* Round trip of every record type                                         */

static const uint8_t hdr_bytes[60] = { 0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0,
	0, 1, 0x08, 0x00, 0x45, 0, 0, 84 };
static const int32_t pos_a[2] = { 100, -250 };
static const uint8_t mac_a[6] = { 0x02, 0, 0, 0, 0, 0x0a };
static const uint32_t lnode[2] = { 0, 1 }, lif[2] = { 0, 3 };
static const uint64_t lrate[2] = { 10000000000ULL, 1000000000ULL };
static const sim_time ldelay[2] = { SIM_US(500), SIM_MS(31) };

/* The records write_all() writes, as the reader must return them. */
static struct trace_rec expected[32];
static int nexpected;

static struct trace_rec *
expect(enum trace_type type, sim_time t)
{
	struct trace_rec *r = &expected[nexpected++];

	memset(r, 0, sizeof(*r));
	r->type = type;
	r->t = t;
	return r;
}

static void
write_all(struct trace *tr)
{
	struct trace_rec *r;
	static char long_text[400];

	memset(long_text, 'x', sizeof(long_text) - 1);
	long_text[sizeof(long_text) - 1] = '\0';
	nexpected = 0;

	trace_node(tr, 0, "az-vm", "vm", "westeurope", pos_a);
	r = expect(TR_NODE, 0);
	r->u.node = (__typeof__(r->u.node)){ 0, "az-vm", "vm", "westeurope",
	    { 100, -250 } };
	trace_node(tr, 1, "oci-vm", "vm", NULL, NULL);
	r = expect(TR_NODE, 0);
	r->u.node = (__typeof__(r->u.node)){ 1, "oci-vm", "vm", NULL,
	    { TRACE_POS_AUTO, TRACE_POS_AUTO } };
	trace_iface(tr, 0, 3, "eth0", mac_a, 0x0a000004, 24);
	r = expect(TR_IFACE, 0);
	r->u.iface.node = 0;
	r->u.iface.ifindex = 3;
	r->u.iface.name = "eth0";
	memcpy(r->u.iface.mac, mac_a, 6);
	r->u.iface.addr = 0x0a000004;
	r->u.iface.plen = 24;
	trace_link(tr, 0, "az-oci", lnode, lif, lrate, ldelay, 9000, 100,
	    150000);
	r = expect(TR_LINK, 0);
	r->u.link = (__typeof__(r->u.link)){ 0, "az-oci", { 0, 1 }, { 0, 3 },
	    { 10000000000ULL, 1000000000ULL }, { SIM_US(500), SIM_MS(31) },
	    9000, 100, 150000 };
	trace_queue(tr, 0, 0, 1, "droptail");
	r = expect(TR_QUEUE_DEF, 0);
	r->u.qdef = (__typeof__(r->u.qdef)){ 0, 0, 1, "droptail" };
	trace_queue(tr, 2, TRACE_NO_ID, 0, "policer");
	r = expect(TR_QUEUE_DEF, 0);
	r->u.qdef = (__typeof__(r->u.qdef)){ 2, TRACE_NO_ID, 0, "policer" };

	trace_enqueue(tr, SIM_US(10), 7, 0, 1, 1500, 1, 1500);
	r = expect(TR_PKT_ENQUEUE, SIM_US(10));
	r->u.enqueue = (__typeof__(r->u.enqueue)){ 7, 0, 1, 1500, 1, 1500 };
	trace_enqueue(tr, SIM_US(10), 8, 0, 1, 64, 2, 1564);
	r = expect(TR_PKT_ENQUEUE, SIM_US(10));
	r->u.enqueue = (__typeof__(r->u.enqueue)){ 8, 0, 1, 64, 2, 1564 };
	trace_tx(tr, SIM_US(11), 7, 0, 1, 1500, SIM_US(23), SIM_MS(31) +
	    SIM_US(23), hdr_bytes, sizeof(hdr_bytes));
	r = expect(TR_PKT_TX, SIM_US(11));
	r->u.tx = (__typeof__(r->u.tx)){ 7, 0, 1, 1500, SIM_US(23), SIM_MS(31) +
	    SIM_US(23), 1, 64, sizeof(hdr_bytes), hdr_bytes };
	trace_rx(tr, SIM_MS(31) + SIM_US(23), 7, 0, 1, 1, 3);
	r = expect(TR_PKT_RX, SIM_MS(31) + SIM_US(23));
	r->u.rx = (__typeof__(r->u.rx)){ 7, 0, 1, 1, 3 };
	/* a queued packet dropped: the queue empties */
	trace_drop(tr, SIM_MS(32), 8, 0, 0, 1, DROP_LINK_DOWN, 64);
	r = expect(TR_PKT_DROP, SIM_MS(32));
	r->u.drop = (__typeof__(r->u.drop)){ 8, 0, 0, 1, DROP_LINK_DOWN, 64, 0,
	    0, NULL };
	trace_drop(tr, SIM_MS(32), 9, 1, TRACE_NO_ID, 0, DROP_NO_ROUTE, 84);
	r = expect(TR_PKT_DROP, SIM_MS(32));
	r->u.drop = (__typeof__(r->u.drop)){ 9, 1, TRACE_NO_ID, 0, DROP_NO_ROUTE,
	    84, 0, 0, NULL };
	/* an interface filter names its rule */
	trace_drop_detail(tr, SIM_MS(32), 10, 1, TRACE_NO_ID, 0, DROP_FILTER,
	    60, "nsg web: deny-ssh (priority 100)");
	r = expect(TR_PKT_DROP, SIM_MS(32));
	r->u.drop = (__typeof__(r->u.drop)){ 10, 1, TRACE_NO_ID, 0, DROP_FILTER,
	    60, 0, 0, "nsg web: deny-ssh (priority 100)" };
	/* a shaper's queue, declared late and on no link's transmitter */
	trace_queue(tr, 1, 0, 0, "shaper");
	r = expect(TR_QUEUE_DEF, SIM_MS(32));
	r->u.qdef = (__typeof__(r->u.qdef)){ 1, 0, 0, "shaper" };
	trace_queue_len(tr, SIM_MS(32), 1, 4, 6000000000ULL);
	r = expect(TR_QUEUE_LEN, SIM_MS(32));
	r->u.qlen = (__typeof__(r->u.qlen)){ 1, 4, 6000000000ULL };
	trace_link_state(tr, SIM_MS(32), 0, false);
	r = expect(TR_LINK_STATE, SIM_MS(32));
	r->u.link_state.link = 0;
	r->u.link_state.up = false;
	trace_annotate(tr, SIM_MS(40), TRACE_NO_ID, "fail \"over\"\n");
	r = expect(TR_ANNOTATE, SIM_MS(40));
	r->u.annotate.node = TRACE_NO_ID;
	r->u.annotate.text = "fail \"over\"\n";
	trace_annotate(tr, SIM_MS(40), 1, long_text);
	r = expect(TR_ANNOTATE, SIM_MS(40));
	r->u.annotate.node = 1;
	r->u.annotate.text = long_text + (sizeof(long_text) - 1 - 255);
	trace_app(tr, SIM_MS(41), 0, "ping", 3, true, SIM_US(62150),
	    "64 bytes");
	r = expect(TR_APP, SIM_MS(41));
	r->u.app = (__typeof__(r->u.app)){ 0, "ping", 3, true, SIM_US(62150),
	    "64 bytes" };
	trace_assert(tr, SIM_MS(42), false, "rtt < 40ms");
	r = expect(TR_ASSERT, SIM_MS(42));
	r->u.assertion.pass = false;
	r->u.assertion.text = "rtt < 40ms";
	trace_session(tr, SIM_MS(43), TRP_BGP, 0, "169.254.0.2",
	    "Established", NULL);
	r = expect(TR_SESSION_STATE, SIM_MS(43));
	r->u.session = (__typeof__(r->u.session)){ TRP_BGP, 0, "169.254.0.2",
	    "Established", NULL };
	trace_route(tr, SIM_MS(44), 1, "main", 0x0a000000, 16, false,
	    "169.254.0.1", "as_path 12076");
	r = expect(TR_ROUTE, SIM_MS(44));
	r->u.route = (__typeof__(r->u.route)){ 1, "main", 0x0a000000, 16, false,
	    "169.254.0.1", "as_path 12076" };
	trace_route(tr, SIM_MS(45), 1, "main", 0x0a000000, 16, true, NULL,
	    NULL);
	r = expect(TR_ROUTE, SIM_MS(45));
	r->u.route = (__typeof__(r->u.route)){ 1, "main", 0x0a000000, 16, true,
	    NULL, NULL };
	trace_prov(tr, SIM_S(2), 0, "er-circuit", "provisioning",
	    "Provisioned");
	r = expect(TR_PROV_STATE, SIM_S(2));
	r->u.prov = (__typeof__(r->u.prov)){ 0, "er-circuit", "provisioning",
	    "Provisioned" };
}

static void
test_roundtrip_every_type(void)
{
	const char *path = tpath("rt.xct");
	struct trace_reader *rd;
	struct trace_rec rec;
	struct trace *tr;
	char err[256] = "";
	int i, rc;

	tr = trace_open(path, SIM_MS(1), err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(tr);
	write_all(tr);
	CU_ASSERT_EQUAL_FATAL(trace_close(tr, err, sizeof(err)), 0);

	err[0] = '\0';
	rd = trace_reader_open(path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	CU_ASSERT_STRING_EQUAL(err, "");
	CU_ASSERT_FALSE(trace_reader_truncated(rd));
	CU_ASSERT_EQUAL(trace_reader_version(rd), TRACE_VERSION);
	CU_ASSERT_EQUAL(trace_reader_end_time(rd), SIM_S(2));
	CU_ASSERT_EQUAL(trace_reader_record_count(rd), (uint64_t)nexpected);
	for (i = 0; i < nexpected; i++) {
		rc = trace_reader_next(rd, &rec, err, sizeof(err));
		CU_ASSERT_EQUAL_FATAL(rc, 1);
		if (!rec_eq(&rec, &expected[i]))
			fprintf(stderr, "record %d (%s) differs\n", i,
			    trace_type_name[expected[i].type]);
		CU_ASSERT_TRUE(rec_eq(&rec, &expected[i]));
	}
	CU_ASSERT_EQUAL(trace_reader_next(rd, &rec, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(trace_reader_next(rd, &rec, err, sizeof(err)), 0);
	trace_reader_close(rd);
	rm_trace(path);
}

/* ---------------------------------------------------------------------- */
/* JSON                                                                    */

static void
test_json_exact(void)
{
	static const uint8_t h[4] = { 0x45, 0x00, 0x05, 0xdc };
	struct trace_rec r;
	char buf[512], small[16];
	size_t n;

	memset(&r, 0, sizeof(r));
	r.type = TR_PKT_TX;
	r.t = 11000;
	r.u.tx = (__typeof__(r.u.tx)){ 7, 2, 1, 1500, 23000, 31023000, 1, 64, 4,
	    h };
	n = trace_rec_json(&r, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "{\"t\":11000,\"type\":\"pkt_tx\",\"uid\":7,"
	    "\"link\":2,\"dir\":1,\"len\":1500,\"tx_end\":23000,"
	    "\"arrive\":31023000,\"qpkts\":1,\"qbytes\":64,"
	    "\"hdr\":\"450005dc\"}");
	CU_ASSERT_EQUAL(n, strlen(buf));

	memset(&r, 0, sizeof(r));
	r.type = TR_PKT_DROP;
	r.t = 5;
	r.u.drop = (__typeof__(r.u.drop)){ 9, 1, TRACE_NO_ID, 0, DROP_NO_ROUTE,
	    84, 0, 0, NULL };
	trace_rec_json(&r, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "{\"t\":5,\"type\":\"pkt_drop\",\"uid\":9,"
	    "\"node\":1,\"link\":null,\"reason\":\"no_route\",\"len\":84}");
	r.u.drop.link = 3;
	r.u.drop.reason = DROP_QUEUE_FULL;
	r.u.drop.qpkts = 100;
	r.u.drop.qbytes = 150000;
	trace_rec_json(&r, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "{\"t\":5,\"type\":\"pkt_drop\",\"uid\":9,"
	    "\"node\":1,\"link\":3,\"dir\":0,\"reason\":\"queue_full\","
	    "\"len\":84,\"qpkts\":100,\"qbytes\":150000}");
	r.u.drop.link = TRACE_NO_ID;
	r.u.drop.reason = DROP_FILTER;
	r.u.drop.detail = "nsg web: deny \"ssh\"";
	trace_rec_json(&r, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "{\"t\":5,\"type\":\"pkt_drop\",\"uid\":9,"
	    "\"node\":1,\"link\":null,\"reason\":\"filter\",\"len\":84,"
	    "\"detail\":\"nsg web: deny \\\"ssh\\\"\"}");

	memset(&r, 0, sizeof(r));
	r.type = TR_QUEUE_DEF;
	r.u.qdef = (__typeof__(r.u.qdef)){ 3, 2, 1, "shaper" };
	trace_rec_json(&r, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "{\"t\":0,\"type\":\"queue_def\","
	    "\"queue\":3,\"link\":2,\"dir\":1,\"kind\":\"shaper\"}");
	r.u.qdef.link = TRACE_NO_ID;
	r.u.qdef.dir = 0;
	trace_rec_json(&r, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "{\"t\":0,\"type\":\"queue_def\","
	    "\"queue\":3,\"link\":null,\"kind\":\"shaper\"}");

	memset(&r, 0, sizeof(r));
	r.type = TR_QUEUE_LEN;
	r.t = 7;
	r.u.qlen = (__typeof__(r.u.qlen)){ 3, 12, 6000000000ULL };
	trace_rec_json(&r, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "{\"t\":7,\"type\":\"queue_len\","
	    "\"queue\":3,\"pkts\":12,\"bytes\":6000000000}");

	memset(&r, 0, sizeof(r));
	r.type = TR_ANNOTATE;
	r.t = 40000000;
	r.u.annotate.node = TRACE_NO_ID;
	r.u.annotate.text = "a\"b\\c\n\t\x01 caf\xc3\xa9 \xff!";
	trace_rec_json(&r, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "{\"t\":40000000,\"type\":\"annotate\","
	    "\"node\":null,\"text\":\"a\\\"b\\\\c\\n\\t\\u0001 caf\xc3\xa9 "
	    "\\ufffd!\"}");

	memset(&r, 0, sizeof(r));
	r.type = TR_NODE;
	r.u.node = (__typeof__(r.u.node)){ 4, "vpn-gw", "gateway", NULL,
	    { 10, 900 } };
	trace_rec_json(&r, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "{\"t\":0,\"type\":\"node\",\"id\":4,"
	    "\"name\":\"vpn-gw\",\"role\":\"gateway\",\"region\":null,"
	    "\"pos\":[10,900]}");

	memset(&r, 0, sizeof(r));
	r.type = TR_IFACE;
	r.u.iface.node = 0;
	r.u.iface.ifindex = 1;
	r.u.iface.name = "eth0";
	memcpy(r.u.iface.mac, mac_a, 6);
	r.u.iface.addr = 0x0a000004;
	r.u.iface.plen = 24;
	trace_rec_json(&r, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "{\"t\":0,\"type\":\"iface\",\"node\":0,"
	    "\"ifindex\":1,\"name\":\"eth0\",\"mac\":\"02:00:00:00:00:0a\","
	    "\"addr\":\"10.0.0.4\",\"plen\":24}");

	memset(&r, 0, sizeof(r));
	r.type = TR_SESSION_STATE;
	r.t = 3;
	r.u.session = (__typeof__(r.u.session)){ TRP_BGP, 2, "169.254.0.2",
	    "Idle", "hold timer expired" };
	trace_rec_json(&r, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "{\"t\":3,\"type\":\"session_state\","
	    "\"proto\":\"bgp\",\"node\":2,\"peer\":\"169.254.0.2\","
	    "\"state\":\"Idle\",\"reason\":\"hold timer expired\"}");

	memset(&r, 0, sizeof(r));
	r.type = TR_ROUTE;
	r.t = 4;
	r.u.route = (__typeof__(r.u.route)){ 1, "main", 0xc0a80000, 16, true,
	    NULL, NULL };
	trace_rec_json(&r, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "{\"t\":4,\"type\":\"route\",\"node\":1,"
	    "\"table\":\"main\",\"prefix\":\"192.168.0.0\",\"plen\":16,"
	    "\"withdrawn\":true,\"nexthop\":null,\"attrs\":null}");

	memset(&r, 0, sizeof(r));
	r.type = TR_KEYFRAME;
	r.t = 100000000;
	trace_rec_json(&r, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf,
	    "{\"t\":100000000,\"type\":\"keyframe\"}");

	/* A short buffer: cut, terminated, and the full length returned. */
	n = trace_rec_json(&r, small, sizeof(small));
	CU_ASSERT_EQUAL(n, strlen(buf));
	CU_ASSERT_EQUAL(strlen(small), sizeof(small) - 1);
	CU_ASSERT_EQUAL(strncmp(small, buf, sizeof(small) - 1), 0);
}

/* ---------------------------------------------------------------------- */
/* A deterministic packet stream driven by the event kernel                */

#define G_LINKS 5
#define G_QMAX 6
#define G_PKTS 40000

struct gpkt {
	uint32_t len;
	uint8_t link, dir;
	bool alive;		/* queued or in flight */
};

struct gen {
	struct sim *sim;
	struct trace *tr;
	struct rng rng;
	sim_time until;
	struct gpkt pkt[G_PKTS + 1];
	uint64_t nuid;
	struct {
		uint64_t q[G_QMAX];	/* uids, FIFO */
		int head, n;
		uint32_t qbytes;
		bool busy;
	} port[G_LINKS][2];
	bool up[G_LINKS];
	uint64_t flight[G_LINKS][2][64];	/* uids on the wire */
	int nflight[G_LINKS][2];
};

struct gev {
	struct gen *g;
	int link, dir;
	uint64_t uid;
};

/* Even times only, so that odd query instants never tie with a record. */
static sim_time
even(sim_time t)
{
	return t & ~(sim_time)1;
}

static void gen_tx_start(struct gen *g, int l, int d);

static void
gen_arrive(struct sim *sim, void *arg)
{
	struct gev *ev = arg;
	struct gen *g = ev->g;
	struct gpkt *p = &g->pkt[ev->uid];
	int i, n;

	if (p->alive) {
		trace_rx(g->tr, sim_now(sim), ev->uid, ev->link,
		    (uint8_t)ev->dir, (uint32_t)(1 - ev->dir), 0);
		p->alive = false;
		n = g->nflight[ev->link][ev->dir];
		for (i = 0; i < n; i++)
			if (g->flight[ev->link][ev->dir][i] == ev->uid) {
				g->flight[ev->link][ev->dir][i] =
				    g->flight[ev->link][ev->dir][n - 1];
				g->nflight[ev->link][ev->dir]--;
				break;
			}
	}
	free(ev);
}

static void
gen_tx_done(struct sim *sim, void *arg)
{
	struct gev *ev = arg;
	struct gen *g = ev->g;

	(void)sim;
	g->port[ev->link][ev->dir].busy = false;
	gen_tx_start(g, ev->link, ev->dir);
	free(ev);
}

static struct gev *
gev_new(struct gen *g, int l, int d, uint64_t uid)
{
	struct gev *ev = xmalloc(sizeof(*ev));

	ev->g = g;
	ev->link = l;
	ev->dir = d;
	ev->uid = uid;
	return ev;
}

static void
gen_tx_start(struct gen *g, int l, int d)
{
	__typeof__(g->port[0][0]) *pt = &g->port[l][d];
	sim_time now = sim_now(g->sim), ser, prop;
	uint8_t h[20];
	uint64_t uid;

	if (pt->busy || pt->n == 0 || !g->up[l] ||
	    g->nflight[l][d] == 64)
		return;
	uid = pt->q[pt->head];
	pt->head = (pt->head + 1) % G_QMAX;
	pt->n--;
	pt->qbytes -= g->pkt[uid].len;
	ser = even(SIM_NS(g->pkt[uid].len * 8) + 2);
	prop = even(SIM_US(20) + (sim_time)rng_below(&g->rng, SIM_US(50)));
	memset(h, (int)(uid & 0xff), sizeof(h));
	trace_tx(g->tr, now, uid, (uint32_t)l, (uint8_t)d, g->pkt[uid].len,
	    now + ser, now + ser + prop, h, sizeof(h));
	g->flight[l][d][g->nflight[l][d]++] = uid;
	pt->busy = true;
	sim_schedule(g->sim, ser, gen_tx_done, gev_new(g, l, d, 0));
	sim_schedule(g->sim, ser + prop, gen_arrive, gev_new(g, l, d, uid));
}

static void
gen_packet(struct sim *sim, void *arg)
{
	struct gev *ev = arg;
	struct gen *g = ev->g;
	int l = (int)rng_below(&g->rng, G_LINKS), d = (int)rng_below(&g->rng,
	    2);
	__typeof__(g->port[0][0]) *pt = &g->port[l][d];
	sim_time now = sim_now(sim);
	uint64_t uid;
	uint32_t len;

	if (g->nuid < G_PKTS && now < g->until)
		sim_schedule(sim, even(rng_exp_time(&g->rng, SIM_US(4)) + 2),
		    gen_packet, gev_new(g, 0, 0, 0));
	free(ev);
	uid = ++g->nuid;
	len = 64 + (uint32_t)rng_below(&g->rng, 1437);
	g->pkt[uid] = (struct gpkt){ len, (uint8_t)l, (uint8_t)d, false };
	if (!g->up[l]) {
		trace_drop(g->tr, now, uid, (uint32_t)d, (uint32_t)l,
		    (uint8_t)d, DROP_LINK_DOWN, len);
		return;
	}
	if (pt->n == G_QMAX) {
		trace_drop(g->tr, now, uid, (uint32_t)d, (uint32_t)l,
		    (uint8_t)d, DROP_QUEUE_FULL, len);
		return;
	}
	pt->q[(pt->head + pt->n) % G_QMAX] = uid;
	pt->n++;
	pt->qbytes += len;
	g->pkt[uid].alive = true;
	trace_enqueue(g->tr, now, uid, (uint32_t)l, (uint8_t)d, len,
	    (uint32_t)pt->n, pt->qbytes);
	gen_tx_start(g, l, d);
}

static void
gen_flap(struct sim *sim, void *arg)
{
	struct gev *ev = arg;
	struct gen *g = ev->g;
	int l = (int)rng_below(&g->rng, G_LINKS), d, i;
	sim_time now = sim_now(sim);
	uint64_t uid;

	if (now < g->until)
		sim_schedule(sim, even(rng_exp_time(&g->rng, SIM_US(300)) + 2),
		    gen_flap, gev_new(g, 0, 0, 0));
	free(ev);
	g->up[l] = !g->up[l];
	if (!g->up[l]) {
		for (d = 0; d < 2; d++) {
			__typeof__(g->port[0][0]) *pt = &g->port[l][d];

			/* queued packets first, then those on the wire */
			while (pt->n > 0) {
				uid = pt->q[pt->head];
				pt->head = (pt->head + 1) % G_QMAX;
				pt->n--;
				pt->qbytes -= g->pkt[uid].len;
				g->pkt[uid].alive = false;
				trace_drop(g->tr, now, uid, (uint32_t)d,
				    (uint32_t)l, (uint8_t)d, DROP_LINK_DOWN,
				    g->pkt[uid].len);
			}
			for (i = 0; i < g->nflight[l][d]; i++) {
				uid = g->flight[l][d][i];
				g->pkt[uid].alive = false;
				trace_drop(g->tr, now, uid, (uint32_t)(1 - d),
				    (uint32_t)l, (uint8_t)d, DROP_LINK_DOWN,
				    g->pkt[uid].len);
			}
			g->nflight[l][d] = 0;
		}
	}
	trace_link_state(g->tr, now, (uint32_t)l, g->up[l]);
	if (g->up[l])
		for (d = 0; d < 2; d++)
			gen_tx_start(g, l, d);
}

/* Ground truth at a query instant (scheduled at odd times). */
struct gstate {
	bool up[G_LINKS];
	uint32_t qpkts[G_LINKS][2], qbytes[G_LINKS][2];
	int nflight;
	uint64_t flight[G_LINKS * 2 * 64];	/* uid*16 + link*2 + dir */
};

struct gsnap {
	struct gen *g;
	struct gstate *out;
};

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void
gen_snap(struct sim *sim, void *arg)
{
	struct gsnap *s = arg;
	struct gen *g = s->g;
	int l, d, i;

	(void)sim;
	memset(s->out, 0, sizeof(*s->out));
	for (l = 0; l < G_LINKS; l++) {
		s->out->up[l] = g->up[l];
		for (d = 0; d < 2; d++) {
			s->out->qpkts[l][d] = (uint32_t)g->port[l][d].n;
			s->out->qbytes[l][d] = g->port[l][d].qbytes;
			for (i = 0; i < g->nflight[l][d]; i++)
				s->out->flight[s->out->nflight++] =
				    g->flight[l][d][i] * 16 +
				    (uint64_t)(l * 2 + d);
		}
	}
	qsort(s->out->flight, (size_t)s->out->nflight, sizeof(uint64_t),
	    cmp_u64);
	free(s);
}

/* Write the generated stream to path; snapshots at q[] if truth != NULL. */
static void
gen_write(const char *path, uint64_t seed, sim_time kf_every,
    sim_time until, const sim_time *q, int nq, struct gstate *truth)
{
	struct gen *g = xcalloc(1, sizeof(*g));
	uint32_t nodes[2] = { 0, 1 }, ifs[2] = { 0, 0 };
	uint64_t rate[2] = { 1000000000ULL, 1000000000ULL };
	sim_time delay[2] = { SIM_US(20), SIM_US(20) };
	struct gsnap *s;
	char err[256], name[16];
	int l, i;

	g->sim = sim_new(seed);
	rng_init(&g->rng, seed, "trace-test");
	g->until = until;
	g->tr = trace_open(path, kf_every, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(g->tr);
	trace_node(g->tr, 0, "a", "router", "r1", NULL);
	trace_node(g->tr, 1, "b", "router", "r2", NULL);
	for (l = 0; l < G_LINKS; l++) {
		snprintf(name, sizeof(name), "l%d", l);
		trace_link(g->tr, (uint32_t)l, name, nodes, ifs, rate, delay,
		    1500, G_QMAX, 10000);
		g->up[l] = true;
	}
	sim_schedule(g->sim, 2, gen_packet, gev_new(g, 0, 0, 0));
	sim_schedule(g->sim, SIM_US(100), gen_flap, gev_new(g, 0, 0, 0));
	for (i = 0; truth != NULL && i < nq; i++) {
		s = xmalloc(sizeof(*s));
		s->g = g;
		s->out = &truth[i];
		sim_schedule_at(g->sim, q[i], gen_snap, s);
	}
	sim_run(g->sim);
	CU_ASSERT_EQUAL(trace_close(g->tr, err, sizeof(err)), 0);
	sim_free(g->sim);
	free(g);
}

/* What a viewer keeps, built only from the records it reads. */
struct view {
	bool up[G_LINKS];
	uint32_t qpkts[G_LINKS][2], qbytes[G_LINKS][2];
	int nflight;
	uint64_t flight[1024];
};

static void
view_clear(struct view *v)
{
	int l;

	memset(v, 0, sizeof(*v));
	for (l = 0; l < G_LINKS; l++)
		v->up[l] = true;
}

static void
view_del(struct view *v, uint64_t key)
{
	int i;

	for (i = 0; i < v->nflight; i++)
		if (v->flight[i] == key) {
			v->flight[i] = v->flight[--v->nflight];
			return;
		}
}

static void
view_apply(struct view *v, const struct trace_rec *r)
{
	uint64_t key;

	switch (r->type) {
	case TR_KEYFRAME:
		view_clear(v);
		break;
	case TR_LINK_STATE:
		if (r->u.link_state.link < G_LINKS)
			v->up[r->u.link_state.link] = r->u.link_state.up;
		break;
	case TR_PKT_ENQUEUE:
		v->qpkts[r->u.enqueue.link][r->u.enqueue.dir] =
		    r->u.enqueue.qpkts;
		v->qbytes[r->u.enqueue.link][r->u.enqueue.dir] =
		    r->u.enqueue.qbytes;
		break;
	case TR_QUEUE:
		v->qpkts[r->u.queue.link][r->u.queue.dir] = r->u.queue.qpkts;
		v->qbytes[r->u.queue.link][r->u.queue.dir] = r->u.queue.qbytes;
		break;
	case TR_PKT_TX:
		v->qpkts[r->u.tx.link][r->u.tx.dir] = r->u.tx.qpkts;
		v->qbytes[r->u.tx.link][r->u.tx.dir] = r->u.tx.qbytes;
		key = r->u.tx.uid * 16 + r->u.tx.link * 2 + r->u.tx.dir;
		view_del(v, key);
		SIM_ASSERT(v->nflight < 1024, "test: too many in flight");
		v->flight[v->nflight++] = key;
		break;
	case TR_PKT_RX:
		view_del(v, r->u.rx.uid * 16 + r->u.rx.link * 2 + r->u.rx.dir);
		break;
	case TR_PKT_DROP:
		if (r->u.drop.link == TRACE_NO_ID)
			break;
		v->qpkts[r->u.drop.link][r->u.drop.dir] = r->u.drop.qpkts;
		v->qbytes[r->u.drop.link][r->u.drop.dir] = r->u.drop.qbytes;
		view_del(v, r->u.drop.uid * 16 + r->u.drop.link * 2 +
		    r->u.drop.dir);
		break;
	default:
		break;
	}
}

static bool
view_eq(struct view *a, struct view *b)
{
	qsort(a->flight, (size_t)a->nflight, sizeof(uint64_t), cmp_u64);
	qsort(b->flight, (size_t)b->nflight, sizeof(uint64_t), cmp_u64);
	return memcmp(a->up, b->up, sizeof(a->up)) == 0 &&
	    memcmp(a->qpkts, b->qpkts, sizeof(a->qpkts)) == 0 &&
	    memcmp(a->qbytes, b->qbytes, sizeof(a->qbytes)) == 0 &&
	    a->nflight == b->nflight &&
	    memcmp(a->flight, b->flight, sizeof(uint64_t) *
	    (size_t)a->nflight) == 0;
}

static bool
view_eq_truth(struct view *a, const struct gstate *g)
{
	qsort(a->flight, (size_t)a->nflight, sizeof(uint64_t), cmp_u64);
	return memcmp(a->up, g->up, sizeof(a->up)) == 0 &&
	    memcmp(a->qpkts, g->qpkts, sizeof(a->qpkts)) == 0 &&
	    memcmp(a->qbytes, g->qbytes, sizeof(a->qbytes)) == 0 &&
	    a->nflight == g->nflight &&
	    memcmp(a->flight, g->flight, sizeof(uint64_t) *
	    (size_t)a->nflight) == 0;
}

static int
cmp_time(const void *a, const void *b)
{
	sim_time x = *(const sim_time *)a, y = *(const sim_time *)b;

	return x < y ? -1 : x > y;
}

#define NQ 300

static void
test_seek_equivalence(void)
{
	const char *path = tpath("seek.xct");
	static struct gstate truth[NQ];
	static struct view seq[NQ];
	struct view *v = xmalloc(sizeof(*v));
	struct trace_reader *rd;
	struct trace_rec r;
	struct rng rng;
	sim_time q[NQ];
	char err[256];
	int i, rc, markers = 0, bad_truth = 0, bad_seek = 0;
	bool odd[NQ];

	rng_init(&rng, 7, "queries");
	/* Odd instants (never a record time), keyframe instants and
	 * instants just around them, and both ends. */
	for (i = 0; i < NQ; i++) {
		switch (i % 3) {
		case 0:
			q[i] = (sim_time)rng_below(&rng, SIM_MS(42)) | 1;
			break;
		case 1:
			q[i] = SIM_US(250) * (sim_time)rng_below(&rng, 170);
			break;
		default:
			q[i] = SIM_US(250) * (sim_time)rng_below(&rng, 170) +
			    (sim_time)rng_below(&rng, 5) - 2;
			if (q[i] < 0)
				q[i] = 0;
			break;
		}
	}
	q[0] = 0;
	q[1] = SIM_S(1);
	qsort(q, NQ, sizeof(q[0]), cmp_time);
	for (i = 0; i < NQ; i++)
		odd[i] = q[i] & 1;

	gen_write(path, 42, SIM_US(250), SIM_MS(40), q, NQ, truth);

	rd = trace_reader_open(path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	CU_ASSERT_TRUE(trace_reader_end_time(rd) > SIM_MS(39));
	/* From the start: the state after every record with time <= q[i]. */
	view_clear(v);
	i = 0;
	while ((rc = trace_reader_next(rd, &r, err, sizeof(err))) == 1) {
		CU_ASSERT_NOT_EQUAL(r.type, TR_KEYFRAME);
		while (i < NQ && r.t > q[i])
			seq[i++] = *v;
		view_apply(v, &r);
	}
	CU_ASSERT_EQUAL(rc, 0);
	while (i < NQ)
		seq[i++] = *v;
	for (i = 0; i < NQ; i++)
		if (odd[i] && !view_eq_truth(&seq[i], &truth[i]))
			bad_truth++;
	CU_ASSERT_EQUAL(bad_truth, 0);

	/* Seeking: the same state, in random order of instants. */
	for (i = 0; i < NQ; i++) {
		int k = (int)((i * 7919) % NQ);

		CU_ASSERT_EQUAL_FATAL(trace_reader_seek(rd, q[k], err,
		    sizeof(err)), 0);
		view_clear(v);
		while ((rc = trace_reader_next(rd, &r, err,
		    sizeof(err))) == 1 && r.t <= q[k]) {
			markers += r.type == TR_KEYFRAME;
			view_apply(v, &r);
		}
		CU_ASSERT_TRUE(rc >= 0);
		if (!view_eq(v, &seq[k])) {
			bad_seek++;
			fprintf(stderr, "seek to %lld differs\n",
			    (long long)q[k]);
		}
	}
	CU_ASSERT_EQUAL(bad_seek, 0);
	CU_ASSERT_TRUE(markers > NQ / 2);
	trace_reader_close(rd);
	free(v);
	rm_trace(path);
}

/* A seek returns topology, marker, state, then the following records. */
static void
test_seek_shape(void)
{
	const char *path = tpath("shape.xct");
	uint32_t nodes[2] = { 0, 1 }, ifs[2] = { 0, 0 };
	uint64_t rate[2] = { 1000, 1000 };
	sim_time delay[2] = { 5, 5 };
	struct trace_reader *rd;
	struct trace_rec r;
	struct trace *tr;
	char err[256];
	int n = 0, seen_marker = 0, routes = 0, late = 0, sess = 0, prov = 0;
	sim_time last = 0;

	tr = trace_open(path, SIM_MS(1), err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(tr);
	trace_node(tr, 0, "a", "router", NULL, NULL);
	trace_node(tr, 1, "b", "router", NULL, NULL);
	trace_link(tr, 0, "ab", nodes, ifs, rate, delay, 1500, 10, 10000);
	trace_session(tr, SIM_US(10), TRP_BGP, 0, "b", "Connect", NULL);
	trace_session(tr, SIM_US(20), TRP_BGP, 0, "b", "Established", NULL);
	trace_route(tr, SIM_US(30), 0, "main", 0x0a000000, 8, false, "b",
	    NULL);
	trace_route(tr, SIM_US(30), 0, "main", 0x0b000000, 8, false, "b",
	    NULL);
	trace_route(tr, SIM_US(40), 0, "main", 0x0a000000, 8, true, NULL,
	    NULL);
	trace_prov(tr, SIM_US(50), 1, "gw", "state", "Provisioning");
	trace_prov(tr, SIM_US(60), 1, "gw", "state", "Succeeded");
	trace_node(tr, 2, "late", "host", NULL, NULL);	/* late topology */
	trace_tx(tr, SIM_US(900), 1, 0, 0, 100, SIM_US(901), SIM_MS(3),
	    NULL, 0);
	trace_annotate(tr, SIM_MS(1) + 5, 0, "after the keyframe");
	CU_ASSERT_EQUAL_FATAL(trace_close(tr, err, sizeof(err)), 0);

	rd = trace_reader_open(path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	CU_ASSERT_EQUAL(trace_reader_seek(rd, SIM_MS(2), err, sizeof(err)),
	    0);
	while (trace_reader_next(rd, &r, err, sizeof(err)) == 1) {
		n++;
		if (n <= 3) {
			CU_ASSERT_TRUE(r.type == TR_NODE || r.type == TR_LINK);
			continue;
		}
		if (n == 4) {
			CU_ASSERT_EQUAL(r.type, TR_KEYFRAME);
			CU_ASSERT_EQUAL(r.t, SIM_MS(1));
			seen_marker = 1;
			continue;
		}
		if (r.type == TR_NODE) {
			late++;
			CU_ASSERT_STRING_EQUAL(r.u.node.name, "late");
		}
		if (r.type == TR_ROUTE) {
			routes++;
			CU_ASSERT_EQUAL(r.u.route.prefix, 0x0b000000);
			CU_ASSERT_STRING_EQUAL(r.u.route.nexthop, "b");
			CU_ASSERT_EQUAL(r.t, SIM_US(30));
		}
		if (r.type == TR_SESSION_STATE) {
			sess++;
			CU_ASSERT_STRING_EQUAL(r.u.session.state,
			    "Established");
		}
		if (r.type == TR_PROV_STATE) {
			prov++;
			CU_ASSERT_STRING_EQUAL(r.u.prov.state, "Succeeded");
		}
		if (r.type == TR_PKT_TX) {
			CU_ASSERT_EQUAL(r.u.tx.uid, 1);
			CU_ASSERT_EQUAL(r.t, SIM_US(900));
			CU_ASSERT_EQUAL(r.u.tx.arrive, SIM_MS(3));
			CU_ASSERT_EQUAL(r.u.tx.hdr_len, 0);
		}
		if (r.type == TR_ANNOTATE)
			CU_ASSERT_EQUAL(r.t, SIM_MS(1) + 5);
		last = r.t;
	}
	CU_ASSERT_EQUAL(seen_marker, 1);
	CU_ASSERT_EQUAL(late, 1);
	CU_ASSERT_EQUAL(routes, 1);
	CU_ASSERT_EQUAL(sess, 1);
	CU_ASSERT_EQUAL(prov, 1);
	CU_ASSERT_EQUAL(last, SIM_MS(1) + 5);

	/* Before the first keyframe: just the file from the start. */
	CU_ASSERT_EQUAL(trace_reader_seek(rd, -1, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(trace_reader_next(rd, &r, err, sizeof(err)), 1);
	CU_ASSERT_EQUAL(r.type, TR_NODE);
	n = 1;
	while (trace_reader_next(rd, &r, err, sizeof(err)) == 1) {
		CU_ASSERT_NOT_EQUAL(r.type, TR_KEYFRAME);
		n++;
	}
	CU_ASSERT_EQUAL((uint64_t)n, trace_reader_record_count(rd));
	trace_reader_close(rd);
	rm_trace(path);
}

/*
 * A shaper's queue as its first consumer (the qdisc of a gateway) uses it:
 * declared with its own id, lengths reported as they change; a seek past a
 * keyframe gets the declaration and the latest length of every queue.
 */
static void
test_queue_keyframes(void)
{
	const char *path = tpath("queue.xct");
	uint32_t nodes[2] = { 0, 1 }, ifs[2] = { 0, 0 };
	uint64_t rate[2] = { 1000, 1000 };
	sim_time delay[2] = { 5, 5 };
	struct trace_reader *rd;
	struct trace_rec r;
	struct trace *tr;
	char err[256];
	int defs = 0, lens = 0, markers = 0;

	tr = trace_open(path, SIM_MS(1), err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(tr);
	trace_node(tr, 0, "a", "router", NULL, NULL);
	trace_node(tr, 1, "b", "router", NULL, NULL);
	trace_link(tr, 0, "ab", nodes, ifs, rate, delay, 1500, 10, 10000);
	trace_queue(tr, 0, 0, 0, "droptail");
	trace_queue_len(tr, SIM_US(10), 0, 1, 1500);
	trace_queue(tr, 1, 0, 0, "shaper");		/* late */
	trace_queue_len(tr, SIM_US(20), 1, 3, 4500);
	trace_queue_len(tr, SIM_US(30), 1, 2, 3000);
	trace_queue_len(tr, SIM_US(40), 0, 0, 0);
	trace_annotate(tr, SIM_MS(2) + 1, 0, "after the keyframe");
	CU_ASSERT_EQUAL_FATAL(trace_close(tr, err, sizeof(err)), 0);

	rd = trace_reader_open(path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	CU_ASSERT_EQUAL(trace_reader_seek(rd, SIM_MS(3), err, sizeof(err)),
	    0);
	while (trace_reader_next(rd, &r, err, sizeof(err)) == 1) {
		if (r.type == TR_KEYFRAME) {
			markers++;
			CU_ASSERT_EQUAL(r.t, SIM_MS(2));
		}
		if (r.type == TR_QUEUE_DEF) {
			defs++;
			CU_ASSERT_EQUAL(r.u.qdef.link, 0);
			CU_ASSERT_STRING_EQUAL(r.u.qdef.kind, r.u.qdef.queue ?
			    "shaper" : "droptail");
			/* the prelude's one before the marker */
			CU_ASSERT_EQUAL(markers, r.u.qdef.queue ? 1 : 0);
			CU_ASSERT_EQUAL(r.t, r.u.qdef.queue ? SIM_US(10) : 0);
		}
		if (r.type == TR_QUEUE_LEN) {
			lens++;
			CU_ASSERT_EQUAL(markers, 1);
			if (r.u.qlen.queue == 1) {
				CU_ASSERT_EQUAL(r.t, SIM_US(30));
				CU_ASSERT_EQUAL(r.u.qlen.pkts, 2);
				CU_ASSERT_EQUAL(r.u.qlen.bytes, 3000);
			} else {
				CU_ASSERT_EQUAL(r.t, SIM_US(40));
				CU_ASSERT_EQUAL(r.u.qlen.pkts, 0);
				CU_ASSERT_EQUAL(r.u.qlen.bytes, 0);
			}
		}
	}
	CU_ASSERT_EQUAL(markers, 1);
	CU_ASSERT_EQUAL(defs, 2);
	CU_ASSERT_EQUAL(lens, 2);
	trace_reader_close(rd);
	rm_trace(path);
}

/* ---------------------------------------------------------------------- */
/* Bounded memory                                                          */

static void
test_bounded_memory(void)
{
	const char *path = tpath("mem.xct");
	struct trace_reader *rd;
	struct trace_rec r;
	struct trace *tr;
	size_t mem_early = 0, mem;
	uint64_t uid, n = 0;
	sim_time t = 0;
	char err[256];
	int rc;

	tr = trace_open(path, SIM_US(50), err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(tr);
	trace_session(tr, 0, TRP_BGP, 0, "peer", "Established", NULL);
	/* 700k packets, 3 records each; 256 in flight at any time. */
	for (uid = 1; uid <= 700000; uid++) {
		t += 100;
		trace_enqueue(tr, t, uid, (uint32_t)(uid % 8), 0, 1000, 1,
		    1000);
		trace_tx(tr, t, uid, (uint32_t)(uid % 8), 0, 1000, t + 80,
		    t + 80 + 256 * 100, NULL, 0);
		if (uid > 256)
			trace_rx(tr, t, uid - 256, (uint32_t)((uid - 256) % 8),
			    0, 1, 0);
		if (uid == 10000)
			mem_early = trace_mem_bytes(tr);
	}
	mem = trace_mem_bytes(tr);
	CU_ASSERT_TRUE(mem_early > 64 * 1024);
	CU_ASSERT_EQUAL(mem, mem_early);
	CU_ASSERT_TRUE(mem < 1024 * 1024);
	CU_ASSERT_EQUAL_FATAL(trace_close(tr, err, sizeof(err)), 0);

	rd = trace_reader_open(path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	CU_ASSERT_EQUAL(trace_reader_record_count(rd), 3 * 700000 - 256 + 1);
	while ((rc = trace_reader_next(rd, &r, err, sizeof(err))) == 1)
		n++;
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_EQUAL(n, trace_reader_record_count(rd));
	/* in the middle: the 256 packets in flight come back */
	CU_ASSERT_EQUAL(trace_reader_seek(rd, 30000000, err, sizeof(err)), 0);
	n = 0;
	while (trace_reader_next(rd, &r, err, sizeof(err)) == 1 &&
	    r.t <= 30000000) {
		n += r.type == TR_PKT_TX;
		n -= r.type == TR_PKT_RX;
	}
	CU_ASSERT_EQUAL(n, 256);
	trace_reader_close(rd);
	rm_trace(path);
}

/* ---------------------------------------------------------------------- */
/* Corrupt and truncated files                                             */

static void
spit(const char *path, const uint8_t *b, size_t n)
{
	FILE *f = fopen(path, "wb");

	SIM_ASSERT(f != NULL, "test: %s", path);
	fwrite(b, 1, n, f);
	fclose(f);
}

/* JSON of every record read sequentially, newline-separated. */
static char *
dump(const char *path, int *nrec, int *rc_end, char *err, size_t errlen)
{
	struct trace_reader *rd;
	struct trace_rec r;
	size_t cap = 4096, n = 0, k;
	char *out = xmalloc(cap), line[1024];
	int rc;

	*nrec = 0;
	out[0] = '\0';
	rd = trace_reader_open(path, err, errlen);
	if (rd == NULL) {
		*rc_end = -2;
		return out;
	}
	while ((rc = trace_reader_next(rd, &r, err, errlen)) == 1) {
		k = trace_rec_json(&r, line, sizeof(line));
		SIM_ASSERT(k < sizeof(line), "test: long line");
		while (n + k + 2 > cap)
			out = xrealloc(out, cap *= 2);
		memcpy(out + n, line, k);
		n += k;
		out[n++] = '\n';
		out[n] = '\0';
		(*nrec)++;
	}
	*rc_end = rc;
	trace_reader_close(rd);
	return out;
}

static void
small_trace(const char *path)
{
	char err[256];
	struct trace *tr = trace_open(path, SIM_MS(10), err, sizeof(err));

	SIM_ASSERT(tr != NULL, "test: %s", err);
	write_all(tr);
	SIM_ASSERT(trace_close(tr, err, sizeof(err)) == 0, "test: %s", err);
}

static void
test_truncated_every_length(void)
{
	const char *path = tpath("full.xct"), *cut = tpath("cut.xct");
	char err[256], *full, *part;
	int nfull, npart, rc, bad_prefix = 0, bad_msg = 0, i;
	size_t n = 0, len;
	uint8_t *b;
	struct trace_reader *rd;
	struct trace_rec r;

	small_trace(path);
	full = dump(path, &nfull, &rc, err, sizeof(err));
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_EQUAL(nfull, nexpected);
	b = (uint8_t *)test_slurp(path, &n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	for (len = 0; len < n; len++) {
		spit(cut, b, len);
		err[0] = '\0';
		part = dump(cut, &npart, &rc, err, sizeof(err));
		if (len < 16) {
			CU_ASSERT_EQUAL(rc, -2);
		} else {
			/* never a clean end; what was read is a prefix */
			CU_ASSERT_EQUAL(rc, -1);
			if (strncmp(full, part, strlen(part)) != 0)
				bad_prefix++;
			if (strstr(err, "offset ") == NULL ||
			    strstr(err, "truncated") == NULL) {
				bad_msg++;
				fprintf(stderr, "len %zu: %s\n", len, err);
			}
			/* every record before the cut that is complete */
			CU_ASSERT_TRUE(npart <= nfull);
			/* seeking in a cut trace must not crash either */
			rd = trace_reader_open(cut, err, sizeof(err));
			CU_ASSERT_PTR_NOT_NULL(rd);
			if (rd != NULL) {
				CU_ASSERT_TRUE(trace_reader_truncated(rd));
				for (i = 0; i < 3; i++) {
					if (trace_reader_seek(rd, SIM_MS(20) *
					    i, err, sizeof(err)) != 0)
						continue;
					while (trace_reader_next(rd, &r, err,
					    sizeof(err)) == 1)
						;
				}
				trace_reader_close(rd);
			}
		}
		free(part);
	}
	CU_ASSERT_EQUAL(bad_prefix, 0);
	CU_ASSERT_EQUAL(bad_msg, 0);
	/* a trace cut after its last record says it, with the offset */
	free(b);
	free(full);
	unlink(cut);
	rm_trace(path);
}

static void
test_corrupt_bytes(void)
{
	const char *path = tpath("good.xct"), *bad = tpath("bad.xct");
	struct trace_reader *rd;
	struct trace_rec r;
	struct rng rng;
	uint8_t *b, *c;
	size_t n = 0, k;
	char err[256], line[1024];
	int iter, flips, i, rc, opened = 0, errors = 0, guard;

	gen_write(path, 3, SIM_US(500), SIM_MS(6), NULL, 0, NULL);
	b = (uint8_t *)test_slurp(path, &n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	/* ~12 keyframes; the flips favour the header, index and trailer */
	c = xmalloc(n);
	rng_init(&rng, 11, "flips");
	for (iter = 0; iter < 400; iter++) {
		memcpy(c, b, n);
		flips = 1 + (int)rng_below(&rng, 3);
		for (i = 0; i < flips; i++) {
			/* half the flips near the start or the end */
			switch (rng_below(&rng, 3)) {
			case 0:
				k = rng_below(&rng, 256 < n ? 256 : n);
				break;
			case 1:
				k = n - 1 - rng_below(&rng, 512 < n ? 512 : n);
				break;
			default:
				k = rng_below(&rng, n);
				break;
			}
			c[k] ^= (uint8_t)(1 + rng_below(&rng, 255));
		}
		spit(bad, c, n);
		err[0] = '\0';
		rd = trace_reader_open(bad, err, sizeof(err));
		if (rd == NULL) {
			CU_ASSERT_PTR_NOT_NULL(strstr(err, "offset"));
			continue;
		}
		opened++;
		guard = 0;
		while ((rc = trace_reader_next(rd, &r, err,
		    sizeof(err))) == 1 && guard++ < 1000000)
			(void)trace_rec_json(&r, line, sizeof(line));
		if (rc < 0) {
			errors++;
			CU_ASSERT_EQUAL(strncmp(err, "offset ", 7), 0);
		}
		for (i = 0; i < 4; i++) {
			if (trace_reader_seek(rd, (sim_time)rng_below(&rng,
			    SIM_MS(7)), err, sizeof(err)) != 0)
				continue;
			guard = 0;
			while (trace_reader_next(rd, &r, err,
			    sizeof(err)) == 1 && guard++ < 1000000)
				(void)trace_rec_json(&r, line, sizeof(line));
		}
		trace_reader_close(rd);
	}
	/* most flips land in packet records and are caught by some check */
	CU_ASSERT_TRUE(opened > 0);
	CU_ASSERT_TRUE(errors > 0);
	free(b);
	free(c);
	unlink(bad);
	rm_trace(path);
}

static void
test_bad_headers(void)
{
	static const struct {
		const char *what;
		size_t at;
		uint8_t val;
		const char *msg;
	} rows[] = {
		{ "magic", 1, 'Y', "offset 0: bad magic" },
		{ "major version", 8, 3, "offset 8: trace format version 3" },
		{ "required flag", 15, 0x80, "offset 12: unknown required" },
		{ "index pointer", 0, 0, "trailer points" },
	};
	const char *path = tpath("hdr.xct"), *bad = tpath("hdrbad.xct");
	struct trace_reader *rd;
	char err[256];
	uint8_t *b;
	size_t n = 0, i;

	small_trace(path);
	b = (uint8_t *)test_slurp(path, &n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uint8_t *c = xmalloc(n);

		memcpy(c, b, n);
		if (i == 3)
			c[n - 9] = 0x7f;	/* index offset far away */
		else
			c[rows[i].at] = rows[i].val;
		spit(bad, c, n);
		err[0] = '\0';
		rd = trace_reader_open(bad, err, sizeof(err));
		CU_ASSERT_PTR_NULL(rd);
		if (strstr(err, rows[i].msg) == NULL)
			fprintf(stderr, "%s: got \"%s\"\n", rows[i].what, err);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, rows[i].msg));
		trace_reader_close(rd);
		free(c);
	}
	/* An optional flag is ignored. */
	b[12] = 0x01;
	spit(bad, b, n);
	rd = trace_reader_open(bad, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL(rd);
	trace_reader_close(rd);
	CU_ASSERT_PTR_NULL(trace_reader_open(tpath("does-not-exist"), err,
	    sizeof(err)));
	free(b);
	unlink(bad);
	rm_trace(path);
}

/* Forward compatibility: unknown types are skipped, extra fields ignored. */
static void
test_unknown_records_skipped(void)
{
	static const uint8_t file[] = {
		0x89, 'X', 'C', 'T', '\r', '\n', 0x1a, '\n', 1, 0, 3, 0,
		0, 0, 0, 0,
		/* node 5, literal name "n", no role/region, auto pos */
		TR_NODE, 6, 5, 3, 'n', 0, 0, 0,
		/* unknown structural type 40: empty, untimed */
		40, 0,
		/* unknown type 90: dt = +100 (zigzag 200), junk */
		90, 4, 0xc8, 0x01, 0xff, 0xff,
		/* unknown type 200 (two-byte varint type), dt = +1 */
		0xc8, 0x01, 2, 2, 0x00,
		/* link_state dt = +4, link 3, up, plus 2 future bytes */
		TR_LINK_STATE, 5, 8, 3, 1, 0xaa, 0xbb,
	};
	const char *path = tpath("fwd.xct");
	struct trace_reader *rd;
	struct trace_rec r;
	char err[256];

	spit(path, file, sizeof(file));
	rd = trace_reader_open(path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	CU_ASSERT_TRUE(trace_reader_truncated(rd));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "truncated"));
	CU_ASSERT_EQUAL(trace_reader_next(rd, &r, err, sizeof(err)), 1);
	CU_ASSERT_EQUAL(r.type, TR_NODE);
	CU_ASSERT_EQUAL(r.u.node.id, 5);
	CU_ASSERT_STRING_EQUAL(r.u.node.name, "n");
	CU_ASSERT_EQUAL(trace_reader_next(rd, &r, err, sizeof(err)), 1);
	CU_ASSERT_EQUAL(r.type, TR_LINK_STATE);
	CU_ASSERT_EQUAL(r.t, 105);
	CU_ASSERT_EQUAL(r.u.link_state.link, 3);
	CU_ASSERT_TRUE(r.u.link_state.up);
	CU_ASSERT_EQUAL(trace_reader_next(rd, &r, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "offset 44"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "truncated"));
	trace_reader_close(rd);
	unlink(path);
}

/* ---------------------------------------------------------------------- */
/* tmp + rename, abort, write errors, NULL                                 */

static void
test_tmp_rename_abort(void)
{
	const char *path = tpath("life.xct");
	char tmp[300], err[256];
	struct trace *tr;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	rm_trace(path);
	tr = trace_open(path, 0, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(tr);
	write_all(tr);
	CU_ASSERT_FALSE(exists(path));
	CU_ASSERT_TRUE(exists(tmp));
	CU_ASSERT_EQUAL(trace_close(tr, err, sizeof(err)), 0);
	CU_ASSERT_TRUE(exists(path));
	CU_ASSERT_FALSE(exists(tmp));

	/* abort leaves neither, and does not touch a previous trace */
	tr = trace_open(path, 0, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(tr);
	write_all(tr);
	trace_abort(tr);
	CU_ASSERT_FALSE(exists(tmp));
	CU_ASSERT_TRUE(exists(path));
	unlink(path);
	tr = trace_open(path, 0, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(tr);
	trace_abort(tr);
	CU_ASSERT_FALSE(exists(tmp));
	CU_ASSERT_FALSE(exists(path));

	CU_ASSERT_PTR_NULL(trace_open("/nonexistent-dir/x.xct", 0, err,
	    sizeof(err)));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "/nonexistent-dir/x.xct.tmp"));
}

static void
test_write_error(void)
{
	const char *path = tpath("full.xct");
	struct rlimit old, lim;
	char tmp[300], err[256] = "";
	struct trace *tr;
	uint64_t uid;
	void (*oldsig)(int);

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	rm_trace(path);
	CU_ASSERT_EQUAL_FATAL(getrlimit(RLIMIT_FSIZE, &old), 0);
	tr = trace_open(path, 0, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(tr);
	/* Files may not grow past 100 KB: like a full disk (EFBIG). */
	oldsig = signal(SIGXFSZ, SIG_IGN);
	lim = old;
	lim.rlim_cur = 100 * 1024;
	CU_ASSERT_EQUAL_FATAL(setrlimit(RLIMIT_FSIZE, &lim), 0);
	for (uid = 1; uid < 50000; uid++)
		trace_tx(tr, (sim_time)uid, uid, 0, 0, 100, (sim_time)uid + 1,
		    (sim_time)uid + 2, hdr_bytes, sizeof(hdr_bytes));
	CU_ASSERT_EQUAL(trace_close(tr, err, sizeof(err)), -1);
	setrlimit(RLIMIT_FSIZE, &old);
	signal(SIGXFSZ, oldsig);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, strerror(EFBIG)));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "not written"));
	CU_ASSERT_FALSE(exists(path));
	CU_ASSERT_FALSE(exists(tmp));
}

static void
test_null_writer(void)
{
	static const uint32_t two[2] = { 0, 1 };
	static const uint64_t r2[2] = { 1, 1 };
	static const sim_time d2[2] = { 1, 1 };

	trace_node(NULL, 0, "a", "b", "c", NULL);
	trace_iface(NULL, 0, 0, "e", mac_a, 1, 2);
	trace_link(NULL, 0, "l", two, two, r2, d2, 1500, 1, 1);
	trace_enqueue(NULL, 1, 1, 0, 0, 1, 1, 1);
	trace_tx(NULL, 1, 1, 0, 0, 1, 2, 3, NULL, 0);
	trace_rx(NULL, 3, 1, 0, 0, 1, 0);
	trace_drop(NULL, 3, 1, 0, 0, 0, DROP_LOSS, 1);
	trace_link_state(NULL, 4, 0, false);
	trace_annotate(NULL, 4, 0, "x");
	trace_app(NULL, 4, 0, "ping", 1, true, 5, NULL);
	trace_assert(NULL, 4, true, "x");
	trace_session(NULL, 4, TRP_BFD, 0, "p", "Up", NULL);
	trace_route(NULL, 4, 0, "t", 0, 0, false, NULL, NULL);
	trace_prov(NULL, 4, 0, "r", "f", "s");
	trace_abort(NULL);
	CU_ASSERT_EQUAL(trace_mem_bytes(NULL), 0);
	CU_ASSERT_EQUAL(trace_close(NULL, NULL, 0), 0);
}

/* ---------------------------------------------------------------------- */
/* Determinism                                                             */

static void
test_deterministic_bytes(void)
{
	const char *a = tpath("det_a.xct"), *b = tpath("det_b.xct");
	uint8_t *x, *y;
	size_t nx, ny;

	gen_write(a, 99, SIM_US(300), SIM_MS(40), NULL, 0, NULL);
	gen_write(b, 99, SIM_US(300), SIM_MS(40), NULL, 0, NULL);
	x = (uint8_t *)test_slurp(a, &nx);
	y = (uint8_t *)test_slurp(b, &ny);
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	CU_ASSERT_PTR_NOT_NULL_FATAL(y);
	CU_ASSERT_EQUAL(nx, ny);
	CU_ASSERT_TRUE(nx == ny && memcmp(x, y, nx) == 0);
	CU_ASSERT_TRUE(nx > 100000);
	free(x);
	free(y);
	rm_trace(a);
	rm_trace(b);
}

static const struct test_case cases[] = {
	{ "round trip of every record type", test_roundtrip_every_type },
	{ "JSON lines, exact", test_json_exact },
	{ "seek equals replay from the start", test_seek_equivalence },
	{ "seek returns topology, marker, state", test_seek_shape },
	{ "queue ids: declarations and lengths in keyframes",
	    test_queue_keyframes },
	{ "writer memory does not grow", test_bounded_memory },
	{ "truncated at every length", test_truncated_every_length },
	{ "random byte flips", test_corrupt_bytes },
	{ "bad header, version, flags, index", test_bad_headers },
	{ "unknown record types are skipped", test_unknown_records_skipped },
	{ "tmp + rename, abort", test_tmp_rename_abort },
	{ "write error fails trace_close", test_write_error },
	{ "NULL writer is a no-op", test_null_writer },
	{ "same records, same bytes", test_deterministic_bytes },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "trace", cases);
}
