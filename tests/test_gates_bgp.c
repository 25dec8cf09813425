/*
 * test_gates_bgp.c - a BGP neighbour following its gate: configured but
 * not started while the gate is closed (no segment, no BFD packet from
 * its speaker), started when it opens, stopped with Cease 6/2 (an
 * administrative shutdown) when it closes; and a gate on a neighbour in
 * a file naming no such gate is refused with a did-you-mean.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bgp_msg.h"
#include "bgp_scenario.h"
#include "bgp_speaker.h"
#include "net.h"
#include "scenario.h"
#include "scenario_models.h"
#include "scenario_run.h"
#include "scenario_testutil.h"
#include "testutil.h"

/*
 * r1's neighbour r2 follows gate session/r1-r2: closed until 10 s, open
 * until 60 s. r2 only accepts and runs no BFD, so everything on the
 * link from r1 to r2 is r1's doing, and r1's BFD session, never answered,
 * would send a packet every second while it exists.
 */
static const char text[] =
    "duration: 90s\n"
    "nodes:\n"
    "  - { name: r1, role: router, interfaces: [{ name: a, address: "
    "10.0.0.1/30 }] }\n"
    "  - { name: r2, role: router, interfaces: [{ name: a, address: "
    "10.0.0.2/30 }] }\n"
    "links:\n"
    "  - { name: l12, a: r1:a, b: r2:a, delay: 1ms }\n"
    "gates:\n"
    "  - name: session/r1-r2\n"
    "    open: false\n"
    "    changes: [{ at: 10s, open: true }, { at: 60s, open: false }]\n"
    "bgp:\n"
    "  - node: r1\n"
    "    asn: 65001\n"
    "    neighbors: [{ address: 10.0.0.2, remote_as: 65002, bfd: true, "
    "gate: session/r1-r2 }]\n"
    "  - node: r2\n"
    "    asn: 65002\n"
    "    neighbors: [{ address: 10.0.0.1, remote_as: 65001, "
    "passive: true }]\n";

#define R2 0x0a000002u
#define R1 0x0a000001u

static struct bgp_speaker *
speaker(struct run *r, const char *node)
{
	struct node *n = net_find_node(run_net(r), node);

	CU_ASSERT_PTR_NOT_NULL_FATAL(n);
	return bgp_scenario_speaker(run_section_state(r, "bgp"), n, 0);
}

static void
test_session(void)
{
	struct run_opts o = { 0 };
	struct bgp_speaker *s1, *s2;
	struct bgp_peer_stats st;
	struct scenario *sc;
	struct run *r;
	struct link *l;
	char *diag = NULL, err[256];
	unsigned nerr = 0;
	uint64_t tx;

	sc = load(text, &diag, &nerr);
	if (sc == NULL)
		fprintf(stderr, "%s", diag);
	free(diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	r = run_new(sc, &o, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	s1 = speaker(r, "r1");
	s2 = speaker(r, "r2");
	l = net_find_link(run_net(r), "l12");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s2);

	/* closed: configured, not started; r1 sent nothing at all */
	run_advance(r, SIM_S(10) - 1);
	CU_ASSERT_EQUAL(bgp_speaker_n_neighbors(s1), 1);
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(s1, R2), BGP_ST_IDLE);
	CU_ASSERT_EQUAL(bgp_speaker_peer_stats(s1, R2, &st), 0);
	CU_ASSERT_EQUAL(st.started, -1);
	CU_ASSERT_EQUAL(st.msgs_out, 0);
	CU_ASSERT_EQUAL(link_get_stats(l, 0)->tx_pkts, 0);

	/* open at 10 s: ManualStart then, up soon after */
	run_advance(r, SIM_S(12));
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(s1, R2), BGP_ST_ESTABLISHED);
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(s2, R1), BGP_ST_ESTABLISHED);
	CU_ASSERT_EQUAL(bgp_speaker_peer_stats(s1, R2, &st), 0);
	CU_ASSERT_EQUAL(st.started, SIM_S(10));
	CU_ASSERT(st.first_established > SIM_S(10));
	CU_ASSERT(st.first_established < SIM_S(11));
	CU_ASSERT_EQUAL(st.msg_out[BGP_NOTIFICATION], 0);

	/* still up just before it closes */
	run_advance(r, SIM_S(60) - 1);
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(s1, R2), BGP_ST_ESTABLISHED);
	/* closed at 60 s: an administrative shutdown, at once */
	run_advance(r, SIM_S(60));
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(s1, R2), BGP_ST_IDLE);
	CU_ASSERT_EQUAL(bgp_speaker_peer_stats(s1, R2, &st), 0);
	CU_ASSERT_EQUAL(st.last_down, SIM_S(60));
	CU_ASSERT_EQUAL(st.msg_out[BGP_NOTIFICATION], 1);
	CU_ASSERT_EQUAL(st.last_notif_sent[0], 6);
	CU_ASSERT_EQUAL(st.last_notif_sent[1], 2);
	run_advance(r, SIM_S(61));
	CU_ASSERT_EQUAL(bgp_speaker_peer_stats(s2, R1, &st), 0);
	CU_ASSERT_EQUAL(st.msg_in[BGP_NOTIFICATION], 1);
	CU_ASSERT_EQUAL(st.last_notif_rcvd[0], 6);
	CU_ASSERT_EQUAL(st.last_notif_rcvd[1], 2);
	CU_ASSERT_NOT_EQUAL(bgp_speaker_peer_state(s2, R1),
	    BGP_ST_ESTABLISHED);
	/* and r1 stays quiet from then on: no reconnect, no BFD */
	tx = link_get_stats(l, 0)->tx_pkts;
	while (run_advance(r, run_end_time(r)))
		;
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(s1, R2), BGP_ST_IDLE);
	CU_ASSERT_EQUAL(link_get_stats(l, 0)->tx_pkts, tx);
	CU_ASSERT_EQUAL(bgp_speaker_peer_stats(s1, R2, &st), 0);
	CU_ASSERT_EQUAL(st.msg_out[BGP_NOTIFICATION], 1);
	run_free(r);
	scenario_free(sc);
}

/*
 * Both ends run BFD over a link unplugged until 10 s; r1's neighbour has
 * no gate, r2's opens at 5 s: the sessions (BFD's single-hop source is
 * the address on the neighbour's subnet, link down or not) are made at
 * time zero and at 5 s, and BGP comes up once the link is plugged in.
 */
static const char later_text[] =
    "duration: 30s\n"
    "nodes:\n"
    "  - { name: r1, role: router, interfaces: [{ name: a, address: "
    "10.0.0.1/30 }] }\n"
    "  - { name: r2, role: router, interfaces: [{ name: a, address: "
    "10.0.0.2/30 }] }\n"
    "links:\n"
    "  - { name: l12, a: r1:a, b: r2:a, delay: 1ms, gate: link/l12 }\n"
    "gates:\n"
    "  - { name: session/r2, open: false, changes: [{ at: 5s, open: true "
    "}] }\n"
    "  - { name: link/l12, open: false, changes: [{ at: 10s, open: true "
    "}] }\n"
    "bgp:\n"
    "  - node: r1\n"
    "    asn: 65001\n"
    "    neighbors: [{ address: 10.0.0.2, remote_as: 65002, bfd: true, "
    "connect_retry: 2s }]\n"
    "  - node: r2\n"
    "    asn: 65002\n"
    "    neighbors: [{ address: 10.0.0.1, remote_as: 65001, bfd: true, "
    "passive: true, gate: session/r2 }]\n";

static void
test_link_later(void)
{
	struct run_opts o = { 0 };
	struct bgp_peer_stats st;
	struct scenario *sc;
	struct run *r;
	char *diag = NULL, err[256];
	unsigned nerr = 0;

	sc = load(later_text, &diag, &nerr);
	if (sc == NULL)
		fprintf(stderr, "%s", diag);
	free(diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	r = run_new(sc, &o, err, sizeof(err));
	if (r == NULL)
		fprintf(stderr, "run_new: %s\n", err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	run_advance(r, SIM_S(10));
	CU_ASSERT_NOT_EQUAL(bgp_speaker_peer_state(speaker(r, "r1"), R2),
	    BGP_ST_ESTABLISHED);
	CU_ASSERT_EQUAL(bgp_speaker_peer_stats(speaker(r, "r2"), R1, &st), 0);
	CU_ASSERT_EQUAL(st.started, SIM_S(5));
	while (run_advance(r, run_end_time(r)))
		;
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(speaker(r, "r1"), R2),
	    BGP_ST_ESTABLISHED);
	CU_ASSERT_EQUAL(bgp_speaker_peer_stats(speaker(r, "r1"), R2, &st), 0);
	CU_ASSERT(st.first_established > SIM_S(10));
	CU_ASSERT_EQUAL(st.flaps, 0);
	run_free(r);
	scenario_free(sc);
}

static void
test_unknown(void)
{
	static const char bad[] =
	    "nodes:\n"
	    "  - { name: r1, role: router, interfaces: [{ name: a, address: "
	    "10.0.0.1/30 }] }\n"
	    "  - { name: r2, role: router, interfaces: [{ name: a, address: "
	    "10.0.0.2/30 }] }\n"
	    "links:\n"
	    "  - { name: l12, a: r1:a, b: r2:a }\n"		/* 5 */
	    "gates:\n"
	    "  - { name: session/r1-r2 }\n"
	    "bgp:\n"
	    "  - node: r1\n"
	    "    asn: 65001\n"					/* 10 */
	    "    neighbors: [{ address: 10.0.0.2, remote_as: 65002, "
	    "gate: session/r1-r3 }]\n";
	struct scenario *sc;
	char *diag = NULL;
	unsigned n = 0;

	sc = load(bad, &diag, &n);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT(has_error(diag, "11:62", "unknown gate 'session/r1-r3' (did "
	    "you mean 'session/r1-r2'?)"));
	free(diag);
}

int
main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{ "session", test_session },
		{ "link_later", test_link_later },
		{ "unknown", test_unknown },
		{ NULL, NULL }
	};

	scenario_models_init();
	return test_main(argc, argv, "gates_bgp", cases);
}
