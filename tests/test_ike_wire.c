/*
 * test_ike_wire.c - what tshark makes of the IKE packets: every exchange
 * of a tunnel's life (IKE_SA_INIT, IKE_AUTH, Child and IKE SA rekeys,
 * DPD, Delete), the failures (NO_PROPOSAL_CHOSEN, INVALID_KE_PAYLOAD,
 * AUTHENTICATION_FAILED), NAT traversal on port 4500 and an IKEv1 Main
 * Mode with its INVALID-MAJOR-VERSION answer, captured at a and decoded
 * as ISAKMP with no malformed packet and no expert error or warning.
 */
#include <stdio.h>
#include <string.h>

#include "capture.h"
#include "test_ike_util.h"

static char dir[300];

/* Run one pair of policies for `until`, a capturing, into NAME.pcap. */
static void
run(const char *name, struct ike_policy *pa, struct ike_policy *pb,
    sim_time until, sim_time close_at)
{
	char path[400], err[256];
	struct it t;

	it_build(&t, 9);
	snprintf(path, sizeof(path), "%s/%s.pcap", dir, name);
	CU_ASSERT_EQUAL_FATAL(net_capture_iface(t.net, t.n[0], t.ifx[0],
	    path, err, sizeof(err)), 0);
	it_sa(&t, 0, pa);
	it_sa(&t, 1, pb);
	ike_sa_start(t.sa[0]);
	if (close_at > 0) {
		sim_run_until(t.sim, close_at);
		ike_sa_close(t.sa[0]);
	}
	sim_run_until(t.sim, until);
	CU_ASSERT_EQUAL(net_close_captures(t.net, err, sizeof(err)), 0);
	it_free(&t);
}

/* tshark's one line per frame of fields, and its expert summary. */
static void
decode(const char *name, char *out, size_t len)
{
	char path[400], ex[8192];
	int st;

	snprintf(path, sizeof(path), "%s/%s.pcap", dir, name);
	st = test_sh(out, len, "(tshark -r '%s' -T fields -E 'separator=;' "
	    "-e udp.dstport -e isakmp.version -e isakmp.exchangetype "
	    "-e isakmp.flags -e isakmp.typepayload -e isakmp.notify.msgtype "
	    "-o udp.check_checksum:TRUE -o ip.check_checksum:TRUE "
	    "2>/dev/null)", path);
	CU_ASSERT_EQUAL(st, 0);
	st = test_sh(ex, sizeof(ex), "tshark -r '%s' -q -z expert "
	    "-o udp.check_checksum:TRUE -o ip.check_checksum:TRUE", path);
	CU_ASSERT_EQUAL(st, 0);
	CU_ASSERT_PTR_NULL(strstr(ex, "Malformed"));
	CU_ASSERT_PTR_NULL(strstr(ex, "Error"));
	CU_ASSERT_PTR_NULL(strstr(ex, "Warning"));
	if (strstr(ex, "Malformed") || strstr(ex, "Error") ||
	    strstr(ex, "Warning"))
		fprintf(stderr, "%s: %s\n", name, ex);
}

static bool
have_tshark(void)
{
	if (test_sh(NULL, 0, "command -v tshark") != 0) {
		CU_FAIL("tshark is not on PATH (apt-get install tshark)");
		return false;
	}
	return true;
}

static void
test_life(void)
{
	struct ike_policy pa, pb;
	char out[8192];

	if (!have_tshark())
		return;
	it_policy(&pa, true);
	it_policy(&pb, false);
	pa.rekey_margin = pb.rekey_margin = SIM_S(10);
	pb.ike_lifetime = SIM_S(300);
	pb.child_lifetime = SIM_S(100);
	pa.dpd = SIM_S(60);
	run("life", &pa, &pb, SIM_S(400), SIM_S(350));
	decode("life", out, sizeof(out));
	/*
	 * IKE_SA_INIT (34) in the clear: SA with its proposal and four
	 * transforms, KE, Nonce, two NAT_DETECTION notifies; then everything
	 * in SK (46): IKE_AUTH (35); a's DPD (37, a is the original
	 * initiator: I) 60 s after the last message heard; b's Child SA
	 * rekeys (36) at 90, 180 and 270 s, each followed by b's Delete of
	 * the old one (37), b not flagged I, a's answers R|I; b's IKE SA
	 * rekey (36) at 290 s and its Delete of the old IKE SA (37); a's
	 * close at 350 s on the new SA, where b is the original initiator
	 * (its answer R|I).
	 */
	CU_ASSERT_STRING_EQUAL(out,
	    "500;0x20;34;0x08;33,2,3,3,3,3,34,40,41,41;16388,16389\n"
	    "500;0x20;34;0x20;33,2,3,3,3,3,34,40,41,41;16388,16389\n"
	    "500;0x20;35;0x08;46;\n"
	    "500;0x20;35;0x20;46;\n"
	    "500;0x20;37;0x08;46;\n"
	    "500;0x20;37;0x20;46;\n"
	    "500;0x20;36;0x00;46;\n"
	    "500;0x20;36;0x28;46;\n"
	    "500;0x20;37;0x00;46;\n"
	    "500;0x20;37;0x28;46;\n"
	    "500;0x20;37;0x08;46;\n"
	    "500;0x20;37;0x20;46;\n"
	    "500;0x20;36;0x00;46;\n"
	    "500;0x20;36;0x28;46;\n"
	    "500;0x20;37;0x00;46;\n"
	    "500;0x20;37;0x28;46;\n"
	    "500;0x20;37;0x08;46;\n"
	    "500;0x20;37;0x20;46;\n"
	    "500;0x20;36;0x00;46;\n"
	    "500;0x20;36;0x28;46;\n"
	    "500;0x20;37;0x00;46;\n"
	    "500;0x20;37;0x28;46;\n"
	    "500;0x20;36;0x00;46;\n"
	    "500;0x20;36;0x28;46;\n"
	    "500;0x20;37;0x00;46;\n"
	    "500;0x20;37;0x28;46;\n"
	    "500;0x20;37;0x00;46;\n"
	    "500;0x20;37;0x28;46;\n");
}

static void
test_failures(void)
{
	struct ike_policy pa, pb;
	char out[8192];

	if (!have_tshark())
		return;
	it_policy(&pa, true);
	it_policy(&pb, false);
	snprintf(pb.psk, sizeof(pb.psk), "other");
	run("psk", &pa, &pb, SIM_S(10), 0);
	decode("psk", out, sizeof(out));
	/* AUTHENTICATION_FAILED travels inside SK */
	CU_ASSERT_STRING_EQUAL(out,
	    "500;0x20;34;0x08;33,2,3,3,3,3,34,40,41,41;16388,16389\n"
	    "500;0x20;34;0x20;33,2,3,3,3,3,34,40,41,41;16388,16389\n"
	    "500;0x20;35;0x08;46;\n"
	    "500;0x20;35;0x20;46;\n");
	it_policy(&pb, false);
	pb.ike[0].integ = IKE_INTEG_HMAC_SHA1_96;
	run("noprop", &pa, &pb, SIM_S(10), 0);
	decode("noprop", out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out,
	    "500;0x20;34;0x08;33,2,3,3,3,3,34,40,41,41;16388,16389\n"
	    "500;0x20;34;0x20;41;14\n");
	pa.ike[1] = pa.ike[0];
	pa.ike[1].dh = IKE_DH_ECP384;
	pa.n_ike = 2;
	it_policy(&pb, false);
	pb.ike[0].dh = IKE_DH_ECP384;
	run("ke", &pa, &pb, SIM_S(10), 0);
	decode("ke", out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out,
	    "500;0x20;34;0x08;33,2,3,3,3,3,2,3,3,3,3,34,40,41,41;16388,16389\n"
	    "500;0x20;34;0x20;41;17\n"
	    "500;0x20;34;0x08;33,2,3,3,3,3,2,3,3,3,3,34,40,41,41;16388,16389\n"
	    "500;0x20;34;0x20;33,2,3,3,3,3,34,40,41,41;16388,16389\n"
	    "500;0x20;35;0x08;46;\n"
	    "500;0x20;35;0x20;46;\n");
}

static void
test_natt_v1(void)
{
	struct ike_policy pa, pb;
	char out[8192];

	if (!have_tshark())
		return;
	it_policy(&pa, true);
	it_policy(&pb, false);
	pa.nat_t = true;
	pa.dpd = SIM_S(5);
	run("natt", &pa, &pb, SIM_S(10), 0);
	decode("natt", out, sizeof(out));
	/* a forces NAT-T: from IKE_AUTH on, port 4500 */
	CU_ASSERT_STRING_EQUAL(out,
	    "500;0x20;34;0x08;33,2,3,3,3,3,34,40,41,41;16388,16389\n"
	    "500;0x20;34;0x20;33,2,3,3,3,3,34,40,41,41;16388,16389\n"
	    "4500;0x20;35;0x08;46;\n"
	    "4500;0x20;35;0x20;46;\n"
	    "4500;0x20;37;0x08;46;\n"
	    "4500;0x20;37;0x20;46;\n");
	it_policy(&pa, true);
	pa.version = 1;
	run("v1", &pa, &pb, SIM_S(30), 0);
	decode("v1", out, sizeof(out));
	/* IKEv1 (0x10) Main Mode (2): SA, proposal, transform; the answer:
	 * Informational (5) with a Notification (11) INVALID-MAJOR-VERSION */
	CU_ASSERT_STRING_EQUAL(out,
	    "500;0x10;2;0x00;1,2,3;\n"
	    "500;0x10;5;0x00;11;5\n"
	    "500;0x10;2;0x00;1,2,3;\n"
	    "500;0x10;5;0x00;11;5\n"
	    "500;0x10;2;0x00;1,2,3;\n"
	    "500;0x10;5;0x00;11;5\n"
	    "500;0x10;2;0x00;1,2,3;\n"
	    "500;0x10;5;0x00;11;5\n");
}

static const struct test_case cases[] = {
	{ "a tunnel's life decodes as ISAKMP", test_life },
	{ "failures decode", test_failures },
	{ "NAT-T on 4500 and IKEv1 decode", test_natt_v1 },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	char *d = test_tmpdir("/tmp/xcsim_ike_wire_XXXXXX");

	if (d == NULL)
		return 1;
	snprintf(dir, sizeof(dir), "%s", d);
	return test_main(argc, argv, "ike_wire", cases);
}
