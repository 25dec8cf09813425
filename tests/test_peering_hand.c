/*
 * test_peering_hand.c - the Azure private peering of an Oracle circuit
 * typed by hand (cloud-facts B2: it "had to carry the values returned by
 * OCI": peer ASN 31898, the VLAN, the two /30s), and where a virtual
 * circuit may be (3.1, 3.2). With the values the virtual circuit has, the
 * sessions come up exactly as with the automatic peering (3.1); with one
 * of them mistyped, each side is wired with what was typed there and the
 * session stays down as it would in the clouds: a mismatched /30 has no
 * common subnet (no OPEN ever arrives), a wrong VLAN is dropped by the
 * other side (DROP_VLAN), a wrong peer ASN gets the OPEN refused with Bad
 * Peer AS (RFC 4271 6.2: NOTIFICATION 2/2). The world is lab 02's
 * (scenarios/labs/02-app-db-nsg.yaml) settled from time zero.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bgp_scenario.h"
#include "bgp_speaker.h"
#include "net.h"
#include "provision_int.h"
#include "scenario.h"
#include "scenario_models.h"
#include "scenario_run.h"
#include "scenario_testutil.h"
#include "testutil.h"

#define LAB02 XCSIM_SOURCE_DIR "/scenarios/labs/02-app-db-nsg.yaml"
#define SKU "      sku: { tier: Standard, family: MeteredData }\n"
#define ORACLE1 0xa9fe0001u	/* 169.254.0.1: Oracle's primary */
#define MSEE1 0xa9fe0002u	/* 169.254.0.2: the MSEE's primary */
#define END SIM_S(600)

/* s with the first `from` replaced by `to` (caller frees s, not to). */
static char *
replace(char *s, const char *from, const char *to)
{
	char *p = strstr(s, from), *out;
	size_t a, b, c;

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	a = (size_t)(p - s);
	b = strlen(to);
	c = strlen(p + strlen(from));
	out = malloc(a + b + c + 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	memcpy(out, s, a);
	memcpy(out + a, to, b);
	memcpy(out + a + b, p + strlen(from), c + 1);
	free(s);
	return out;
}

/*
 * Lab 02 settled from time zero (no timeline, apps or assertions), 10
 * minutes, with pp (NULL: none) as the circuit's private_peering.
 */
static char *
world(const char *pp)
{
	char *t = test_slurp(LAB02, NULL), *at;
	char buf[512];

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	at = strstr(t, "\ntimeline:\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(at);
	at[1] = '\0';
	t = replace(t, "duration: 80m", "duration: 10m");
	if (pp != NULL) {
		snprintf(buf, sizeof(buf), SKU "      private_peering: %s\n",
		    pp);
		t = replace(t, SKU, buf);
	}
	return t;
}

static struct run *
run_to_end(const char *text, struct scenario **scp)
{
	struct run_opts o = { 0 };
	char *diag = NULL, err[256];
	unsigned n = 0;
	struct run *r;

	*scp = load(text, &diag, &n);
	if (*scp == NULL)
		fprintf(stderr, "%s", diag);
	free(diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(*scp);
	r = run_new(*scp, &o, err, sizeof(err));
	if (r == NULL)
		fprintf(stderr, "run_new: %s\n", err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	while (run_advance(r, run_end_time(r)))
		;
	return r;
}

static struct bgp_speaker *
speaker(struct run *r, const char *node)
{
	struct node *n = net_find_node(run_net(r), node);

	CU_ASSERT_PTR_NOT_NULL_FATAL(n);
	return bgp_scenario_speaker(run_section_state(r, "bgp"), n, 0);
}

/* One side of one path: its state and counters at the end. */
struct side {
	enum bgp_fsm_state st;
	struct bgp_peer_stats ps;
};

static void
side(struct run *r, const char *node, uint32_t peer, struct side *s)
{
	struct bgp_speaker *sp = speaker(r, node);

	CU_ASSERT_PTR_NOT_NULL_FATAL(sp);
	s->st = bgp_speaker_peer_state(sp, peer);
	bgp_speaker_peer_stats(sp, peer, &s->ps);
}

static uint64_t
vlan_drops(struct run *r, const char *node)
{
	struct node *n = net_find_node(run_net(r), node);

	CU_ASSERT_PTR_NOT_NULL_FATAL(n);
	return node_drops(n)[DROP_VLAN];
}

#define PP(p1, p2, vlan, asn) "{ primary_peer_address_prefix: " p1 ", " \
	"secondary_peer_address_prefix: " p2 ", vlan_id: " vlan ", " \
	"peer_asn: " asn " }"
#define RIGHT PP("169.254.0.0/30", "169.254.1.0/30", "33", "31898")

/*
 * Typed as OCI returned them: both sessions Established at the very
 * times of the automatic peering, nothing dropped.
 */
static void
test_right_values(void)
{
	char *ta = world(NULL), *th = world(RIGHT);
	struct scenario *sa, *sh;
	struct run *ra = run_to_end(ta, &sa), *rh = run_to_end(th, &sh);
	struct side a, h, o;

	side(ra, "msee-primary", ORACLE1, &a);
	side(rh, "msee-primary", ORACLE1, &h);
	side(rh, "oracle-edge-primary", MSEE1, &o);
	CU_ASSERT_EQUAL(h.st, BGP_ST_ESTABLISHED);
	CU_ASSERT_EQUAL(o.st, BGP_ST_ESTABLISHED);
	CU_ASSERT_TRUE(a.ps.first_established > 0);
	CU_ASSERT_EQUAL(h.ps.first_established, a.ps.first_established);
	side(rh, "msee-secondary", 0xa9fe0101u, &h);
	CU_ASSERT_EQUAL(h.st, BGP_ST_ESTABLISHED);
	CU_ASSERT_EQUAL(vlan_drops(rh, "msee-primary"), 0);
	run_free(ra);
	run_free(rh);
	scenario_free(sa);
	scenario_free(sh);
	free(ta);
	free(th);
}

/*
 * The primary /30 typed as 169.254.0.4/30: the MSEE is .6 and looks for
 * Oracle at .5, Oracle (.1) looks for the MSEE at .2: no common subnet,
 * no OPEN either way, never Established; the secondary, typed right, is
 * up (the virtual circuit's bgpSessionState is UP on any session).
 */
static void
test_wrong_subnet(void)
{
	char *t = world(PP("169.254.0.4/30", "169.254.1.0/30", "33",
	    "31898"));
	struct scenario *sc;
	struct run *r = run_to_end(t, &sc);
	struct side m, o, s;

	side(r, "msee-primary", 0xa9fe0005u, &m);
	side(r, "oracle-edge-primary", MSEE1, &o);
	CU_ASSERT_NOT_EQUAL(m.st, BGP_ST_ESTABLISHED);
	CU_ASSERT_NOT_EQUAL(o.st, BGP_ST_ESTABLISHED);
	/* each side's TCP connect never answered: Connect, retrying */
	CU_ASSERT_EQUAL(m.st, BGP_ST_CONNECT);
	CU_ASSERT_EQUAL(o.st, BGP_ST_CONNECT);
	CU_ASSERT_TRUE(m.ps.first_established < 0);
	CU_ASSERT_TRUE(o.ps.first_established < 0);
	CU_ASSERT_EQUAL(m.ps.msg_in[BGP_OPEN], 0);
	CU_ASSERT_EQUAL(o.ps.msg_in[BGP_OPEN], 0);
	CU_ASSERT_EQUAL(m.ps.msg_out[BGP_OPEN], 0);
	side(r, "msee-secondary", 0xa9fe0101u, &s);
	CU_ASSERT_EQUAL(s.st, BGP_ST_ESTABLISHED);
	run_free(r);
	scenario_free(sc);
	free(t);
}

/*
 * VLAN 34 typed where OCI has 33: every frame between the MSEEs and the
 * Oracle edges is dropped by the receiver (DROP_VLAN), both sessions
 * stay down, no OPEN ever arrives.
 */
static void
test_wrong_vlan(void)
{
	char *t = world(PP("169.254.0.0/30", "169.254.1.0/30", "34",
	    "31898"));
	struct scenario *sc;
	struct run *r = run_to_end(t, &sc);
	struct side m, o;

	side(r, "msee-primary", ORACLE1, &m);
	side(r, "oracle-edge-primary", MSEE1, &o);
	CU_ASSERT_EQUAL(m.st, BGP_ST_CONNECT);
	CU_ASSERT_EQUAL(o.st, BGP_ST_CONNECT);
	CU_ASSERT_TRUE(m.ps.first_established < 0);
	CU_ASSERT_EQUAL(m.ps.msg_in[BGP_OPEN], 0);
	CU_ASSERT_EQUAL(o.ps.msg_in[BGP_OPEN], 0);
	CU_ASSERT_TRUE(vlan_drops(r, "msee-primary") > 0);
	CU_ASSERT_TRUE(vlan_drops(r, "oracle-edge-primary") > 0);
	side(r, "msee-secondary", 0xa9fe0101u, &m);
	CU_ASSERT_EQUAL(m.st, BGP_ST_CONNECT);
	run_free(r);
	scenario_free(sc);
	free(t);
}

/*
 * Peer ASN 31899 typed where Oracle is 31898: the MSEE gets Oracle's OPEN
 * and refuses it, NOTIFICATION OPEN Message Error / Bad Peer AS (2/2),
 * which Oracle receives; never Established, on either path.
 */
static void
test_wrong_asn(void)
{
	char *t = world(PP("169.254.0.0/30", "169.254.1.0/30", "33",
	    "31899"));
	struct scenario *sc;
	struct run *r = run_to_end(t, &sc);
	struct side m, o;

	side(r, "msee-primary", ORACLE1, &m);
	side(r, "oracle-edge-primary", MSEE1, &o);
	/* refused, back to Idle until the next ConnectRetry */
	CU_ASSERT_EQUAL(m.st, BGP_ST_IDLE);
	CU_ASSERT_EQUAL(o.st, BGP_ST_IDLE);
	CU_ASSERT_TRUE(m.ps.first_established < 0);
	CU_ASSERT_TRUE(o.ps.first_established < 0);
	CU_ASSERT_TRUE(m.ps.msg_in[BGP_OPEN] > 0);
	CU_ASSERT_EQUAL(m.ps.last_notif_sent[0], 2);
	CU_ASSERT_EQUAL(m.ps.last_notif_sent[1], 2);
	CU_ASSERT_EQUAL(o.ps.last_notif_rcvd[0], 2);
	CU_ASSERT_EQUAL(o.ps.last_notif_rcvd[1], 2);
	CU_ASSERT_EQUAL(vlan_drops(r, "msee-primary"), 0);
	side(r, "msee-secondary", 0xa9fe0101u, &m);
	CU_ASSERT_EQUAL(m.ps.last_notif_sent[1], 2);
	run_free(r);
	scenario_free(sc);
	free(t);
}

/* --- where the virtual circuit is (3.1, 3.2) ---------------------------- */

static void
load_error(const char *text, const char *at, const char *msg)
{
	char *diag = NULL;
	unsigned n = 0;
	struct scenario *sc = load(text, &diag, &n);

	if (!has_error(diag, at, msg))
		fprintf(stderr, "want %s: %s\ngot:\n%s", at, msg, diag);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT_TRUE(has_error(diag, at, msg));
	free(diag);
	scenario_free(sc);
}

/*
 * A circuit at London with the virtual circuit in us-ashburn-1 (the
 * section's region): refused at load, at the key; with the virtual
 * circuit's own region uk-london-1 it pairs, once its DRG (the section)
 * is in London too; a region unknown to the table is refused; with the
 * VC created on the timeline the create is refused (400) instead.
 */
static void
test_location_pairs(void)
{
	char *t = world(NULL), *u, *v;
	struct scenario *sc;
	const struct prov_opr *o;
	char *diag = NULL;
	unsigned n = 0;
	size_t i;

	t = replace(t, "peering_location: Washington DC",
	    "peering_location: London");
	load_error(t, "89:34", "400-InvalidParameter: virtual circuit "
	    "'vc-azure' is in us-ashburn-1 (Ashburn), ExpressRoute circuit "
	    "'er-ashburn' at peering location 'London': the interconnect "
	    "exists only between paired locations (us-ashburn-1 pairs with "
	    "Washington DC; 3.1, 3.2)");
	u = strdup(t);
	u = replace(u, "      is_bfd_enabled: true\n",
	    "      is_bfd_enabled: true\n      region: uk-london-1\n");
	/* its own region, not its DRG's (the section's): refused */
	load_error(u, "93:15", "400-InvalidParameter: virtual circuit "
	    "'vc-azure' is in uk-london-1, its DRG 'drg1' in us-ashburn-1 "
	    "(the section's region): a virtual circuit attaches to a DRG of "
	    "its own region (OCI resources are regional; our inference)");
	/* a region the table does not know: refused, naming those it does */
	v = replace(strdup(u), "      region: uk-london-1",
	    "      region: us-ashburn-2");
	load_error(v, "93:15", "virtual circuit 'vc-azure' is in region "
	    "'us-ashburn-2', not one where xcsim knows the interconnect with "
	    "Azure (3.2; oci_location.c): us-ashburn-1, uk-london-1, "
	    "ca-toronto-1,");
	free(v);
	/* the section (so the DRG) in London too: it pairs */
	u = replace(u, "oci:\n  region: us-ashburn-1\n",
	    "oci:\n  region: uk-london-1\n");
	sc = load(u, &diag, &n);
	if (sc == NULL)
		fprintf(stderr, "%s", diag);
	CU_ASSERT_PTR_NOT_NULL(sc);
	scenario_free(sc);
	free(diag);
	/* a region of its own that does not pair: the error is there */
	v = replace(u, "      region: uk-london-1",
	    "      region: eu-amsterdam-1");
	load_error(v, "93:15", "virtual circuit 'vc-azure' is in "
	    "eu-amsterdam-1 (Amsterdam), ExpressRoute circuit 'er-ashburn' "
	    "at peering location 'London'");
	free(v);
	/* on the timeline: the create's refusal, with the code */
	u = malloc(strlen(t) + 128);
	CU_ASSERT_PTR_NOT_NULL_FATAL(u);
	sprintf(u, "%stimeline:\n  - { at: 0s, create: virtual_circuits/"
	    "vc-azure, expect: { error: paired } }\n", t);
	free(t);
	t = u;
	diag = NULL;
	sc = load(t, &diag, &n);
	if (sc == NULL)
		fprintf(stderr, "%s", diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	o = NULL;
	for (i = 0; i < prov_plan_of(sc)->n_ops; i++)
		o = &prov_plan_of(sc)->ops[i];
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT_TRUE(o->refused);
	CU_ASSERT_PTR_NOT_NULL(strstr(o->error, "400-InvalidParameter: "
	    "virtual circuit 'vc-azure' is in us-ashburn-1"));
	scenario_free(sc);
	free(diag);
	free(t);
}

static const struct test_case cases[] = {
	{ "typed as OCI returned them: up as the automatic one",
	    test_right_values },
	{ "a mismatched /30: no common subnet, no OPEN", test_wrong_subnet },
	{ "a wrong VLAN: dropped (DROP_VLAN), no OPEN", test_wrong_vlan },
	{ "a wrong peer ASN: OPEN refused, Bad Peer AS", test_wrong_asn },
	{ "the virtual circuit's region pairs with the peering location",
	    test_location_pairs },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	scenario_models_init();
	return test_main(argc, argv, "peering_hand", cases);
}
