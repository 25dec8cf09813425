/*
 * bgp_trace_testutil.h - one traced BGP run that test_trace_bgp and
 * test_viz_bgp both read: three speakers in a triangle of /30 links,
 *
 *   r0 AS 12076 --l0 10.0.0.0/30-- r1 AS 31898
 *   r0 --l2 10.0.0.8/30-- r2 AS 65001 (BFD 300 ms x 3 on this session)
 *   r1 --l1 10.0.0.4/30-- r2
 *
 * r2 originates 172.16.0.0/16 and 172.17.0.0/16, r1 10.1.0.0/16. r0 learns
 * r2's prefixes directly (path 65001) and through r1 (31898 65001): the
 * direct route wins on AS path length. At BT_CUT the link r0-r2 goes down:
 * BFD declares it down after 900 ms, the session drops, and r0's best moves
 * to r1. At BT_STOP r1 stops its session to r0 (ManualStop: Cease /
 * Administrative Shutdown). The run ends at BT_END.
 */
#ifndef XCSIM_BGP_TRACE_TESTUTIL_H
#define XCSIM_BGP_TRACE_TESTUTIL_H

#include "bgp_speaker_testutil.h"
#include "trace.h"

#define BT_CUT SIM_S(5)
#define BT_STOP SIM_S(8)
#define BT_END SIM_S(10)
#define BT_DELAY SIM_US(500)

static inline void
bt_neighbor(struct bs_net *b, int i, const char *addr, uint32_t as, bool bfd)
{
	struct bgp_neighbor_cfg nc;
	char err[128] = "";

	bgp_neighbor_cfg_init(&nc, bs_ip(addr), as);
	nc.mrai = 0;
	if (bfd)
		nc.bfd = &bfd_msee_cfg;
	CU_ASSERT_EQUAL_FATAL(bgp_speaker_add_neighbor(b->sp[i], &nc, err,
	    sizeof(err)), 0);
}

/*
 * Build the triangle with tr as the net's trace (NULL: none) and run it to
 * until (at most BT_END). The caller frees b with bs_free after closing tr.
 */
static inline void
bt_run(struct bs_net *b, struct trace *tr, sim_time until)
{
	char name[16];
	int i;

	/* bs_init, with the trace set before the nodes are declared */
	memset(b, 0, sizeof(*b));
	b->sim = sim_new(1);
	b->net = net_new(b->sim);
	net_set_trace(b->net, tr);
	b->bfd = bfd_new(b->net);
	b->nn = 3;
	for (i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "r%d", i);
		b->n[i] = net_add_node(b->net, name, "router", NULL, NULL);
		node_set_forwarding(b->n[i], true);
	}
	bs_link(b, 0, 1, "10.0.0.0", BT_DELAY);
	bs_link(b, 1, 2, "10.0.0.4", BT_DELAY);
	bs_link(b, 0, 2, "10.0.0.8", BT_DELAY);
	bs_speaker(b, 0, 12076, "1.1.1.1", 0);
	bs_speaker(b, 1, 31898, "2.2.2.2", 0);
	bs_speaker(b, 2, 65001, "3.3.3.3", 0);
	bt_neighbor(b, 0, "10.0.0.2", 31898, false);
	bt_neighbor(b, 0, "10.0.0.10", 65001, true);
	bt_neighbor(b, 1, "10.0.0.1", 12076, false);
	bt_neighbor(b, 1, "10.0.0.6", 65001, false);
	bt_neighbor(b, 2, "10.0.0.5", 31898, false);
	bt_neighbor(b, 2, "10.0.0.9", 12076, true);
	CU_ASSERT_EQUAL(bgp_speaker_add_network(b->sp[2], bs_ip("172.16.0.0"),
	    16), 0);
	CU_ASSERT_EQUAL(bgp_speaker_add_network(b->sp[2], bs_ip("172.17.0.0"),
	    16), 0);
	CU_ASSERT_EQUAL(bgp_speaker_add_network(b->sp[1], bs_ip("10.1.0.0"),
	    16), 0);
	bs_start(b);
	sim_run_until(b->sim, until < BT_CUT ? until : BT_CUT);
	if (until <= BT_CUT)
		return;
	link_set_up(b->l[2], false);
	sim_run_until(b->sim, until < BT_STOP ? until : BT_STOP);
	if (until <= BT_STOP)
		return;
	CU_ASSERT_EQUAL(bgp_speaker_peer_stop(b->sp[1], bs_ip("10.0.0.1")),
	    0);
	sim_run_until(b->sim, until);
}

/* The whole run traced to path (keyframes every 100 ms). */
static inline void
bt_trace(const char *path)
{
	char err[256] = "";
	struct trace *tr = trace_open(path, 0, err, sizeof(err));
	struct bs_net b;

	CU_ASSERT_PTR_NOT_NULL_FATAL(tr);
	bt_run(&b, tr, BT_END);
	net_set_trace(b.net, NULL);
	CU_ASSERT_EQUAL_FATAL(trace_close(tr, err, sizeof(err)), 0);
	bs_free(&b);
}

#endif
