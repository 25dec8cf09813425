/*
 * test_overview_wire.c - the overview scenario, written in the clouds'
 * terms (scenarios/overview/app-db-interconnect.yaml), passes all its
 * assertions, and its captures show the seed's addressing on the wire as
 * tshark decodes it, with no malformed frame or bad checksum:
 *   - the cross-connect carries the peering's VLAN 33 (1.5, 1.8, B2),
 *   - Oracle's edge is .1 and the MSEE .2 of each /30 (3.1, 3.3),
 *   - the OPENs carry AS 31898 (Oracle, 2.2) and 12076 (Microsoft, 1.4),
 *     and the gateway's side AS 65515 (3.3),
 *   - the database traffic is TCP to port 1521.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static char *tmpdir;
static char out[65536];

static void
test_run_passes(void)
{
	int rc = test_sh(out, sizeof(out), "%s run %s/scenarios/overview/"
	    "app-db-interconnect.yaml --out %s/o", XCSIM_BINARY,
	    XCSIM_SOURCE_DIR, tmpdir);

	if (rc != 0)
		fprintf(stderr, "%s", out);
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	CU_ASSERT_PTR_NULL(strstr(out, "FAIL"));
}

/*
 * Each capture through tshark -V with the IP, UDP and TCP checksum checks
 * on (tshark 4.0 checks ICMP's always: it has no preference for it). A
 * tshark that fails (rc, or anything on stderr but its running-as-root
 * notice) is reported as "tshark: ..." lines, so the test cannot pass on
 * captures tshark never read; each capture must decode at least a frame.
 */
static void
test_no_malformed(void)
{
	int rc = test_sh(out, sizeof(out),
	    "n=0; empty=0; frames=0; for f in %s/o/pcap/*/*.pcap; do "
	    "n=$((n+1)); tshark -r \"$f\" -V -o ip.check_checksum:TRUE "
	    "-o udp.check_checksum:TRUE -o tcp.check_checksum:TRUE "
	    ">%s/t.out 2>%s/t.err || echo \"tshark: rc $? on $f\"; "
	    "grep -v '^Running as user' %s/t.err | sed 's/^/tshark: /'; "
	    "grep -E 'Malformed|Expert Info \\(Error|Status: Bad|\\[Checksum "
	    "Status: Bad' %s/t.out; k=$(grep -c '^Frame [0-9]' %s/t.out); "
	    "[ \"$k\" -gt 0 ] || empty=$((empty+1)); frames=$((frames+k)); "
	    "done; echo captures=$n empty=$empty frames=$frames", tmpdir,
	    tmpdir, tmpdir, tmpdir, tmpdir, tmpdir);
	unsigned n = 0, empty = 1, frames = 0;

	CU_ASSERT_EQUAL(rc, 0);
	/* nothing but the counts */
	CU_ASSERT_EQUAL(sscanf(out, "captures=%u empty=%u frames=%u", &n,
	    &empty, &frames), 3);
	CU_ASSERT(n >= 4);
	CU_ASSERT_EQUAL(empty, 0);
	CU_ASSERT(frames > 0);
	if (strncmp(out, "captures=", 9) != 0 || empty != 0)
		fprintf(stderr, "tshark said:\n%s\n", out);
}

/* The distinct values of tshark fields over a capture, sorted, one a line. */
static const char *
fields(const char *pcap, const char *filter, const char *flds)
{
	int rc = test_sh(out, sizeof(out), "tshark -r %s/o/pcap/%s -Y '%s' "
	    "-T fields %s 2>/dev/null | sort -u", tmpdir, pcap, filter, flds);

	CU_ASSERT_EQUAL(rc, 0);
	return out;
}

static void
test_seed_addressing(void)
{
	const char *s;

	s = fields("msee-primary/private-peering.pcap", "frame", "-e vlan.id");
	CU_ASSERT_STRING_EQUAL(s, "33\n");
	s = fields("oracle-edge-primary/private-peering.pcap", "bgp.type == 1",
	    "-e vlan.id -e ip.src -e bgp.open.myas");
	CU_ASSERT_STRING_EQUAL(s, "33\t169.254.0.1\t31898\n"
	    "33\t169.254.0.2\t12076\n");
	s = fields("msee-primary/app-gw.pcap", "bgp.type == 1",
	    "-e ip.src -e bgp.open.myas");
	CU_ASSERT_STRING_EQUAL(s, "169.254.240.1\t65515\n"
	    "169.254.240.2\t12076\n");
	s = fields("db-vm/db-vnic.pcap", "tcp.flags.syn == 1 && "
	    "tcp.flags.ack == 0", "-e ip.src -e ip.dst -e tcp.dstport");
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "10.1.1.4\t10.2.1.2\t1521\n"));
	CU_ASSERT_PTR_NULL(strstr(s, "\t22\n"));	/* the NSG kept it home */
}

static const struct test_case cases[] = {
	{ "the overview scenario passes its assertions", test_run_passes },
	{ "its captures decode with no error", test_no_malformed },
	{ "the seed's VLAN, /30 sides and ASNs on the wire",
	    test_seed_addressing },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	if (system("command -v tshark >/dev/null") != 0) {
		printf("SKIP: tshark is not installed\n");
		return 77;
	}
	tmpdir = test_tmpdir("/tmp/xcsim-overview-XXXXXX");
	if (tmpdir == NULL)
		return 1;
	return test_main(argc, argv, "overview_wire", cases);
}
