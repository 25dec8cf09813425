/*
 * A power-cycled BGP peer, either one of the pair: the survivor still
 * believes in the old session, whichever side won the first collision,
 * and closes the rebooted side's new connection (RFC 4271 6.8: a new
 * connection colliding with an Established one is closed, whatever the
 * direction of either) until its own KEEPALIVE meets the reset. The
 * refused connection's moves are annotations: the survivor's
 * session_state records say Established until its session really fails.
 * (review7 finding 1: the reboot of the higher identifier used to win
 * a same-direction "no collision" and come back at once, and the refused
 * connection's Idle was written as the live session's state.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bgp_scenario.h"
#include "bgp_speaker.h"
#include "net.h"
#include "scenario.h"
#include "scenario_models.h"
#include "scenario_run.h"
#include "scenario_testutil.h"
#include "sim.h"
#include "testutil.h"
#include "trace.h"

/* r1 (10.0.0.1) opened the first session: r2 has the higher identifier. */
static const char pair[] =
    "duration: 40s\n"
    "nodes:\n"
    "  - { name: r1, role: router, interfaces: [{ name: e0, address: "
    "10.0.0.1/30 }] }\n"
    "  - { name: r2, role: router, interfaces: [{ name: e0, address: "
    "10.0.0.2/30 }] }\n"
    "links:\n"
    "  - { name: l1, a: r1:e0, b: r2:e0, delay: 1ms }\n"
    "bgp:\n"
    "  - { node: r1, asn: 65001, networks: [{ prefix: 10.1.0.0/24 }], "
    "neighbors: [{ address: 10.0.0.2, remote_as: 65002, hold: 90s }] }\n"
    "  - { node: r2, asn: 65002, networks: [{ prefix: 10.2.0.0/24 }], "
    "neighbors: [{ address: 10.0.0.1, remote_as: 65001, hold: 90s }] }\n"
    "events:\n"
    "  - { at: 10s, action: node-down, node: rN }\n"
    "  - { at: 20s, action: node-up, node: rN }\n";

/* What the trace says of node `node`'s session from 10 s on. */
struct seen {
	int n_state;			/* session_state records */
	sim_time first_t;		/* the first one's time */
	char first[96];			/* "state, reason" */
	sim_time last_t;
	char last[32];
	sim_time refused_t;		/* "second connection Idle (...6/7)" */
};

static void
read_trace(const char *dir, unsigned node, struct seen *s)
{
	char path[300], err[256];
	struct trace_reader *rd;
	struct trace_rec rec;
	int rc;

	memset(s, 0, sizeof(*s));
	s->refused_t = -1;
	snprintf(path, sizeof(path), "%s/trace.xct", dir);
	rd = trace_reader_open(path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	while ((rc = trace_reader_next(rd, &rec, err, sizeof(err))) == 1) {
		if (rec.t < SIM_S(10))
			continue;
		if (rec.type == TR_SESSION_STATE &&
		    rec.u.session.proto == TRP_BGP &&
		    rec.u.session.node == node) {
			if (s->n_state++ == 0) {
				s->first_t = rec.t;
				snprintf(s->first, sizeof(s->first), "%s, %s",
				    rec.u.session.state, rec.u.session.reason);
			}
			s->last_t = rec.t;
			snprintf(s->last, sizeof(s->last), "%s",
			    rec.u.session.state);
		} else if (rec.type == TR_ANNOTATE &&
		    rec.u.annotate.node == node && s->refused_t < 0 &&
		    strstr(rec.u.annotate.text, ": second connection Idle "
		    "(Cease / Connection Collision Resolution)") != NULL) {
			s->refused_t = rec.t;
		}
	}
	CU_ASSERT_EQUAL(rc, 0);
	trace_reader_close(rd);
}

/*
 * Node `down` (0: r1, 1: r2) is powered off from 10 s to 20 s. The
 * survivor refuses its OPEN at 20.003000262 s, fails at fail_t (its
 * KEEPALIVE reset) and is Established again at up_t; the rebooted side
 * 1 ms later.
 */
static void
reboot(const char *base, int down, sim_time fail_t, sim_time up_t)
{
	char text[sizeof(pair)], *diag = NULL, err[256], dir[300];
	struct run_opts o = { 0 };
	struct scenario *sc;
	struct run *r;
	struct seen sv, rb;
	unsigned n_err = 0;
	int survivor = 1 - down;
	char *p;

	snprintf(dir, sizeof(dir), "%s/r%d", base, down + 1);
	CU_ASSERT_EQUAL_FATAL(mkdir(dir, 0700), 0);
	o.out_dir = dir;
	memcpy(text, pair, sizeof(pair));
	while ((p = strstr(text, "rN")) != NULL)
		p[1] = (char)('1' + down);
	sc = load(text, &diag, &n_err);
	if (sc == NULL)
		fprintf(stderr, "%s", diag);
	free(diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	r = run_new(sc, &o, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	while (run_advance(r, run_end_time(r)))
		;
	CU_ASSERT_EQUAL(run_finish(r, err, sizeof(err)), 0);
	run_free(r);
	scenario_free(sc);

	read_trace(dir, (unsigned)survivor, &sv);
	CU_ASSERT_EQUAL(sv.refused_t, SIM_NS(20003000262));
	/* nothing said of its session until the session fails */
	CU_ASSERT_EQUAL(sv.first_t, fail_t);
	CU_ASSERT_STRING_EQUAL(sv.first, "Idle, TCP connection failed");
	CU_ASSERT_EQUAL(sv.last_t, up_t);
	CU_ASSERT_STRING_EQUAL(sv.last, "Established");
	read_trace(dir, (unsigned)down, &rb);
	CU_ASSERT_STRING_EQUAL(rb.first, "Idle, node powered off");
	CU_ASSERT_EQUAL(rb.last_t, up_t + SIM_MS(1));
	CU_ASSERT_STRING_EQUAL(rb.last, "Established");
}

static void
test_reboot_either_side(void)
{
	char *base = test_tmpdir("/tmp/xcsim-rebootdir-XXXXXX");

	CU_ASSERT_PTR_NOT_NULL_FATAL(base);
	/* the lower identifier reboots: r2's KEEPALIVE meets the reset */
	reboot(base, 0, SIM_NS(28458566876), SIM_NS(33462567206));
	/* the higher one: the same refusal, r1's KEEPALIVE sooner */
	reboot(base, 1, SIM_NS(25666447845), SIM_NS(30670448175));
}

int
main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{ "reboot_either_side", test_reboot_either_side },
		{ NULL, NULL }
	};

	scenario_models_init();
	return test_main(argc, argv, "bgp_reboot_dir", cases);
}
