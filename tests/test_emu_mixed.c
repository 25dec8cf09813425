/*
 * test_emu_mixed.c - one speaker, two transports (bgp_neighbor_cfg.host):
 * a simulated MSEE keeps its iBGP session to its simulated partner over the
 * node's simulated TCP while its customer edge peers with it over real
 * sockets, in a network namespace of the test's own (127.0.0.x on its lo):
 *
 *   ce (AS 65010, sockets, 127.0.0.12) --real TCP-- msee (AS 12076)
 *   msee 10.0.0.1 --simulated /30, iBGP-- 10.0.0.2 msee2 (AS 12076)
 *
 * The CE's prefix reaches msee2 (next hop self: via 10.0.0.1) and msee2's
 * reaches the CE (via 127.0.0.11, the socket's local address). A real
 * connection from the address of a neighbour that uses the simulated TCP
 * is reset by the socket listener: it is not that transport's neighbour.
 * A neighbour with a new transport added after the start gets its
 * listener then.
 */
#define _GNU_SOURCE	/* unshare */
#include <arpa/inet.h>
#include <ev.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "emu/emu_testutil.h"

#define MIXED_IDX 107

static uint32_t
ip(const char *s)
{
	uint32_t a = 0;

	CU_ASSERT_EQUAL_FATAL(wire_ip_parse(s, &a), 0);
	return a;
}

struct mixed {
	struct sim *sim;
	struct net *net;
	struct rt *rt;
	struct node *ce, *msee, *msee2;
	struct stream_host *h_ce, *h_msee;
	struct bgp_speaker *sp_ce, *sp_msee, *sp_msee2;
};

static sim_time
mixed_now(void *ctx)
{
	return rt_now(ctx);
}

static struct stream_host *
sock_host(struct mixed *m, const char *addr)
{
	struct stream_sock_cfg sc;
	struct stream_host *h;
	char err[256] = "";

	memset(&sc, 0, sizeof(sc));
	sc.bind_addr = ip(addr);
	h = stream_sock_host_new(m->sim, rt_loop(m->rt), mixed_now, m->rt,
	    &sc, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(h);
	return h;
}

static struct bgp_speaker *
speaker(struct node *n, uint32_t asn, const char *id, struct stream_host *h)
{
	struct bgp_speaker_cfg c;
	struct bgp_speaker *sp;
	char err[256] = "";

	bgp_speaker_cfg_init(&c, asn, ip(id));
	c.ebgp_mrai = 0;
	c.host = h;
	sp = bgp_speaker_new(n, &c, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(sp);
	return sp;
}

static void
neighbor(struct bgp_speaker *sp, const char *addr, uint32_t as,
    bool passive, bool nh_self, struct stream_host *h)
{
	struct bgp_neighbor_cfg nc;
	char err[256] = "";

	bgp_neighbor_cfg_init(&nc, ip(addr), as);
	nc.fsm = &bgp_fsm_msee_cfg;
	nc.passive = passive;
	nc.next_hop_self = nh_self;
	nc.host = h;
	CU_ASSERT_EQUAL_FATAL(bgp_speaker_add_neighbor(sp, &nc, err,
	    sizeof(err)), 0);
}

/* late: the MSEE's socket neighbour is added (and started) after the
 * speaker started, which must bring that transport's listener then */
static void
mixed_new(struct mixed *m, bool late)
{
	struct link_params lp;
	struct rt_cfg rc;
	char err[256] = "";
	uint32_t ia, ib;

	memset(m, 0, sizeof(*m));
	m->sim = sim_new(1);
	m->net = net_new(m->sim);
	memset(&rc, 0, sizeof(rc));
	m->rt = rt_new(m->sim, &rc, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(m->rt);
	m->ce = net_add_node(m->net, "ce", "router", NULL, NULL);
	m->msee = net_add_node(m->net, "msee", "router", NULL, NULL);
	m->msee2 = net_add_node(m->net, "msee2", "router", NULL, NULL);
	node_set_forwarding(m->msee, true);
	node_set_forwarding(m->msee2, true);
	node_add_iface(m->ce, "lo", NULL, ip("127.0.0.12"), 8, 0);
	node_add_iface(m->msee, "lo", NULL, ip("127.0.0.11"), 8, 0);
	memset(&lp, 0, sizeof(lp));
	lp.dir[0].rate_bps = lp.dir[1].rate_bps = 1000000000ull;
	lp.dir[0].delay = lp.dir[1].delay = SIM_MS(1);
	lp.qlimit_pkts = 1000;
	lp.mtu = 1500;
	ia = node_add_iface(m->msee, "e0", NULL, ip("10.0.0.1"), 30, 0);
	ib = node_add_iface(m->msee2, "e0", NULL, ip("10.0.0.2"), 30, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(net_add_link(m->net, "l0", m->msee, ia,
	    m->msee2, ib, &lp));

	m->h_ce = sock_host(m, "127.0.0.12");
	m->h_msee = sock_host(m, "127.0.0.11");
	m->sp_ce = speaker(m->ce, EMU_PEER_AS, "127.0.0.12", m->h_ce);
	/* the MSEE's own transport is the simulated TCP (cfg.host NULL) */
	m->sp_msee = speaker(m->msee, EMU_MSEE_AS, "10.0.0.1", NULL);
	m->sp_msee2 = speaker(m->msee2, EMU_MSEE_AS, "10.0.0.2", NULL);
	neighbor(m->sp_ce, "127.0.0.11", EMU_MSEE_AS, false, false, NULL);
	if (!late)
		neighbor(m->sp_msee, "127.0.0.12", EMU_PEER_AS, true, false,
		    m->h_msee);
	neighbor(m->sp_msee, "10.0.0.2", EMU_MSEE_AS, true, true, NULL);
	/* a neighbour of the simulated TCP whose address is on the host */
	neighbor(m->sp_msee, "127.0.0.13", 65013, true, false, NULL);
	neighbor(m->sp_msee2, "10.0.0.1", EMU_MSEE_AS, false, false, NULL);
	CU_ASSERT_EQUAL(bgp_speaker_add_network(m->sp_ce, ip("10.11.0.0"),
	    16), 0);
	CU_ASSERT_EQUAL(bgp_speaker_add_network(m->sp_msee2, ip("10.20.0.0"),
	    16), 0);
	CU_ASSERT_EQUAL_FATAL(bgp_speaker_start(m->sp_msee, err,
	    sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(bgp_speaker_start(m->sp_msee2, err,
	    sizeof(err)), 0);
	if (late) {
		/* only the simulated TCP's listener so far */
		CU_ASSERT_EQUAL(stream_sock_host_sockets(m->h_msee), 0);
		neighbor(m->sp_msee, "127.0.0.12", EMU_PEER_AS, true, false,
		    m->h_msee);
		CU_ASSERT_EQUAL(stream_sock_host_sockets(m->h_msee), 1);
		CU_ASSERT_EQUAL(bgp_speaker_peer_start(m->sp_msee,
		    ip("127.0.0.12")), 0);
	}
	/* after the MSEE listens: a refused first connect would wait for
	 * the ConnectRetryTimer */
	CU_ASSERT_EQUAL_FATAL(bgp_speaker_start(m->sp_ce, err, sizeof(err)),
	    0);
}

static void
mixed_free(struct mixed *m)
{
	bgp_speaker_free(m->sp_ce);
	bgp_speaker_free(m->sp_msee);
	bgp_speaker_free(m->sp_msee2);
	CU_ASSERT_EQUAL(stream_sock_host_sockets(m->h_ce), 0);
	CU_ASSERT_EQUAL(stream_sock_host_sockets(m->h_msee), 0);
	stream_sock_host_free(m->h_ce);
	stream_sock_host_free(m->h_msee);
	rt_free(m->rt);
	tcp_stacks_free(m->net);
	net_free(m->net);
	sim_free(m->sim);
}

static bool
routes_both_ways(struct mixed *m)
{
	return bgp_speaker_peer_in(m->sp_msee2, ip("10.0.0.1")) == 1 &&
	    bgp_speaker_peer_in(m->sp_ce, ip("127.0.0.11")) == 1;
}

/* Real time in 50 ms steps for wall seconds or until done(m). */
static bool
run_until(struct mixed *m, bool (*done)(struct mixed *), double secs)
{
	double end = emu_wall() + secs;

	while (emu_wall() < end) {
		if (done(m))
			return true;
		CU_ASSERT_EQUAL_FATAL(rt_run(m->rt, sim_now(m->sim) +
		    SIM_MS(50), NULL), RT_DONE);
	}
	return done(m);
}

static void
mixed_routes(bool late)
{
	struct mixed m;
	const struct rib_nhg *g;

	mixed_new(&m, late);
	CU_ASSERT_FATAL(run_until(&m, routes_both_ways, 10));
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(m.sp_msee, ip("127.0.0.12")),
	    BGP_ST_ESTABLISHED);
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(m.sp_msee, ip("10.0.0.2")),
	    BGP_ST_ESTABLISHED);
	/* the CE's prefix at msee (via the CE) and at msee2 (via msee) */
	g = rib_lookup(node_rib(m.msee, 0), ip("10.11.1.1"));
	CU_ASSERT_FATAL(g != NULL && g->n == 1);
	CU_ASSERT_EQUAL(g->nh[0].via, ip("127.0.0.12"));
	g = rib_lookup(node_rib(m.msee2, 0), ip("10.11.1.1"));
	CU_ASSERT_FATAL(g != NULL && g->n == 1);
	CU_ASSERT_EQUAL(g->nh[0].via, ip("10.0.0.1"));
	/* msee2's prefix at the CE, over the real session */
	g = rib_lookup(node_rib(m.ce, 0), ip("10.20.1.1"));
	CU_ASSERT_FATAL(g != NULL && g->n == 1);
	CU_ASSERT_EQUAL(g->nh[0].via, ip("127.0.0.11"));
	/* one real connection (the CE's), no simulated one on the host */
	CU_ASSERT_EQUAL(stream_sock_host_sockets(m.h_msee), 2);
	mixed_free(&m);
}

static void
test_mixed_routes(void)
{
	mixed_routes(false);
}

static void
test_mixed_late(void)
{
	mixed_routes(true);
}

static bool
never(struct mixed *m)
{
	(void)m;
	return false;
}

static void
test_mixed_wrong_transport(void)
{
	struct sockaddr_in sin;
	struct mixed m;
	char b[64];
	ssize_t n = -1;
	double end;
	int fd;

	mixed_new(&m, false);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	CU_ASSERT_FATAL(fd >= 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(ip("127.0.0.13"));
	CU_ASSERT_EQUAL_FATAL(bind(fd, (struct sockaddr *)&sin, sizeof(sin)),
	    0);
	sin.sin_addr.s_addr = htonl(ip("127.0.0.11"));
	sin.sin_port = htons(179);
	CU_ASSERT_EQUAL_FATAL(connect(fd, (struct sockaddr *)&sin,
	    sizeof(sin)), 0);
	/* 127.0.0.13 is a neighbour, but of the simulated TCP: reset */
	end = emu_wall() + 5;
	while (emu_wall() < end) {
		run_until(&m, never, 0.05);
		n = recv(fd, b, sizeof(b), MSG_DONTWAIT);
		if (n >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
			break;
	}
	CU_ASSERT(n == 0 || (n < 0 && errno == ECONNRESET));
	CU_ASSERT_EQUAL(bgp_speaker_peer_conns(m.sp_msee, ip("127.0.0.13")),
	    1);
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(m.sp_msee, ip("127.0.0.13")),
	    BGP_ST_ACTIVE);
	close(fd);
	mixed_free(&m);
}

static const struct test_case cases[] = {
	{ "routes both ways across two transports", test_mixed_routes },
	{ "a socket neighbour added after the start", test_mixed_late },
	{ "a connection on the wrong transport is reset",
	    test_mixed_wrong_transport },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	int r;

	if ((r = emu_prepare(MIXED_IDX, "mixed")) != 0)
		return r;
	return test_main(argc, argv, "emu_mixed", cases);
}
