/*
 * test_ike.c - IKEv2 between two simulated nodes: IKE_SA_INIT and
 * IKE_AUTH with the first Child SA (message sizes from RFC 7296's payload
 * layouts, exact arrival times), the Child SA both ends install, and the
 * failure modes: wrong pre-shared key, no common proposal, INVALID_KE
 * with its retry, no answer (the retransmission schedule), an IKEv1 peer
 * on either side.
 */
#include <stdio.h>
#include <string.h>

#include "test_ike_util.h"

/*
 * Sizes with it_policy (AES-CBC-256, SHA-256, group 14; Child AES-CBC-256
 * HMAC-SHA1-96):
 *   IKE_SA_INIT = HDR 28 + SA (4 + proposal 8 + ENCR 12 + PRF 8 + INTEG 8
 *   + DH 8 = 48) + KE (8 + 256) + Ni (4 + 32) + 2 NAT_D (8 + 20) = 432,
 *   the response the same with its one proposal;
 *   IKE_AUTH request: inner IDi 12 + N(INITIAL_CONTACT) 8 + AUTH (8 + 32)
 *   + SA (4 + 8 + SPI 4 + ENCR 12 + INTEG 8 + ESN 8 = 44) + TSi 24 + TSr
 *   24 = 152, + Pad Length 1 + padding 7 = 160; SK = 4 + IV 16 + 160 +
 *   ICV 16 = 196; message 224;
 *   IKE_AUTH response: IDr 12 + AUTH 40 + SA 44 + TSi 24 + TSr 24 = 144,
 *   + 1 + 15 = 160: also 224.
 */
#define INIT_LEN 432u
#define AUTH_LEN 224u
#define T_INIT_B IT_ONE_WAY(INIT_LEN)
#define T_INIT_A (2 * IT_ONE_WAY(INIT_LEN))
#define T_AUTH_B (T_INIT_A + IT_ONE_WAY(AUTH_LEN))
#define T_AUTH_A (T_AUTH_B + IT_ONE_WAY(AUTH_LEN))

static void
establish(struct it *t, uint64_t seed)
{
	struct ike_policy pa, pb;

	it_build(t, seed);
	it_policy(&pa, true);
	it_policy(&pb, false);
	it_sa(t, 0, &pa);
	it_sa(t, 1, &pb);
	ike_sa_start(t->sa[0]);
}

static void
test_establish_sizes_times(void)
{
	struct it t;
	const struct ipsec_child *ca, *cb;
	int ia, ib;

	establish(&t, 1);
	sim_run_until(t.sim, SIM_S(10));
	/* a: IKE_SA_INIT, IKE_AUTH; b: their responses */
	CU_ASSERT_EQUAL_FATAL(t.tx[0].n, 2);
	CU_ASSERT_EQUAL_FATAL(t.tx[1].n, 2);
	CU_ASSERT_EQUAL(t.tx[0].len[0], INIT_LEN);
	CU_ASSERT_EQUAL(t.tx[1].len[0], INIT_LEN);
	CU_ASSERT_EQUAL(t.tx[0].len[1], AUTH_LEN);
	CU_ASSERT_EQUAL(t.tx[1].len[1], AUTH_LEN);
	CU_ASSERT_EQUAL(t.tx[0].exch[0], IKE_EXCH_SA_INIT);
	CU_ASSERT_EQUAL(t.tx[0].flags[0], IKE_FLAG_I);
	CU_ASSERT_EQUAL(t.tx[1].flags[0], IKE_FLAG_R);
	CU_ASSERT_EQUAL(t.tx[0].exch[1], IKE_EXCH_AUTH);
	CU_ASSERT_EQUAL(t.tx[1].flags[1], IKE_FLAG_R);
	CU_ASSERT_EQUAL(t.tx[0].at[0], 0);
	CU_ASSERT_EQUAL(t.tx[1].at[0], T_INIT_B);
	CU_ASSERT_EQUAL(t.tx[0].at[1], T_INIT_A);
	CU_ASSERT_EQUAL(t.tx[1].at[1], T_AUTH_B);
	/* both established with one Child SA, b first */
	CU_ASSERT_EQUAL(ike_sa_state(t.sa[0]), IKE_ST_ESTABLISHED);
	CU_ASSERT_EQUAL(ike_sa_state(t.sa[1]), IKE_ST_ESTABLISHED);
	CU_ASSERT_PTR_NULL(ike_sa_failure(t.sa[0]));
	CU_ASSERT_PTR_NULL(ike_sa_failure(t.sa[1]));
	CU_ASSERT_EQUAL(ike_sa_stats(t.sa[0])->established_at, T_AUTH_A);
	CU_ASSERT_EQUAL(ike_sa_stats(t.sa[1])->established_at, T_AUTH_B);
	ia = it_find(&t.log[0], IT_UP, 0);
	ib = it_find(&t.log[1], IT_UP, 0);
	CU_ASSERT_FATAL(ia >= 0 && ib >= 0);
	CU_ASSERT_EQUAL(it_find(&t.log[0], IT_UP, 1), -1);
	CU_ASSERT_EQUAL(t.log[0].at[ia], T_AUTH_A);
	CU_ASSERT_EQUAL(t.log[1].at[ib], T_AUTH_B);
	ca = &t.log[0].c[ia];
	cb = &t.log[1].c[ib];
	/* the two halves cross; the key is the same at both ends */
	CU_ASSERT_EQUAL(ca->spi_in, cb->spi_out);
	CU_ASSERT_EQUAL(ca->spi_out, cb->spi_in);
	CU_ASSERT(ca->spi_in >= 256 && cb->spi_in >= 256);
	CU_ASSERT_EQUAL(ca->key, cb->key);
	CU_ASSERT_NOT_EQUAL(ca->key, 0);
	CU_ASSERT_EQUAL(ca->encr, IKE_ENCR_AES_CBC);
	CU_ASSERT_EQUAL(ca->keylen, 256);
	CU_ASSERT_EQUAL(ca->integ, IKE_INTEG_HMAC_SHA1_96);
	CU_ASSERT_EQUAL(ca->icv_len, 12);
	CU_ASSERT_EQUAL(ca->iv_len, 16);
	CU_ASSERT_EQUAL(ca->block, 16);
	CU_ASSERT_EQUAL(ca->pfs, 0);	/* IKE_AUTH: no KE (1.2) */
	CU_ASSERT_EQUAL(ca->rekeys, 0);
	CU_ASSERT_EQUAL(ca->lifetime, SIM_S(3600));
	CU_ASSERT_FALSE(ca->udp_encap);
	it_free(&t);
}

/* The state events of log g, as "state:why" joined by spaces. */
static void
states(const struct it_log *g, char *out, size_t len)
{
	size_t o = 0;
	int i;

	out[0] = '\0';
	for (i = 0; i < g->n && o < len; i++)
		if (g->ev[i] == IT_STATE)
			o += (size_t)snprintf(out + o, len - o, "%s%s:%s",
			    o ? " " : "", ike_state_name[g->st[i]], g->why[i]);
}

/*
 * Wrong key at the initiator: the responder checks AUTH and answers
 * AUTHENTICATION_FAILED (inner N 8 bytes + 1, padded to 16: SK 4 + 16 +
 * 16 + 16 = 52, message 80); both fail, no Child SA.
 */
static void
test_wrong_psk(void)
{
	struct ike_policy pa, pb;
	char s[256];
	struct it t;

	it_build(&t, 1);
	it_policy(&pa, true);
	it_policy(&pb, false);
	snprintf(pa.psk, sizeof(pa.psk), "wrong horse battery staple");
	it_sa(&t, 0, &pa);
	it_sa(&t, 1, &pb);
	ike_sa_start(t.sa[0]);
	sim_run_until(t.sim, SIM_S(300));
	CU_ASSERT_EQUAL(ike_sa_state(t.sa[0]), IKE_ST_FAILED);
	CU_ASSERT_EQUAL(ike_sa_state(t.sa[1]), IKE_ST_FAILED);
	CU_ASSERT_STRING_EQUAL(ike_sa_failure(t.sa[0]),
	    "authentication-failed");
	CU_ASSERT_STRING_EQUAL(ike_sa_failure(t.sa[1]),
	    "authentication-failed");
	CU_ASSERT_EQUAL_FATAL(t.tx[1].n, 2);
	CU_ASSERT_EQUAL(t.tx[1].len[1], 80);
	CU_ASSERT_EQUAL(t.tx[1].at[1], T_AUTH_B);
	CU_ASSERT_EQUAL(t.tx[0].n, 2);	/* no retransmission after */
	states(&t.log[1], s, sizeof(s));
	CU_ASSERT_STRING_EQUAL(s, "failed:authentication-failed");
	CU_ASSERT_EQUAL(t.log[1].at[0], T_AUTH_B);
	states(&t.log[0], s, sizeof(s));
	CU_ASSERT_STRING_EQUAL(s, "init-sent:IKE_SA_INIT sent "
	    "auth-sent:IKE_AUTH sent failed:authentication-failed");
	CU_ASSERT_EQUAL(t.log[0].at[2], T_AUTH_B + IT_ONE_WAY(80));
	CU_ASSERT_EQUAL(it_find(&t.log[0], IT_UP, 0), -1);
	CU_ASSERT_EQUAL(it_find(&t.log[1], IT_UP, 0), -1);
	it_free(&t);
}

/*
 * No common IKE proposal: NO_PROPOSAL_CHOSEN in the clear (HDR 28 + N 8
 * = 36 bytes) at T_INIT_B; the initiator fails when it arrives.
 */
static void
test_no_proposal(void)
{
	struct ike_policy pa, pb;
	struct it t;

	it_build(&t, 1);
	it_policy(&pa, true);
	it_policy(&pb, false);
	pb.ike[0].encr = IKE_ENCR_3DES;
	pb.ike[0].keylen = 0;
	it_sa(&t, 0, &pa);
	it_sa(&t, 1, &pb);
	ike_sa_start(t.sa[0]);
	sim_run_until(t.sim, SIM_S(300));
	CU_ASSERT_EQUAL_FATAL(t.tx[1].n, 1);
	CU_ASSERT_EQUAL(t.tx[1].len[0], 36);
	CU_ASSERT_EQUAL(t.tx[1].at[0], T_INIT_B);
	CU_ASSERT_EQUAL(t.tx[0].n, 1);
	CU_ASSERT_STRING_EQUAL(ike_sa_failure(t.sa[0]), "no-proposal-chosen");
	CU_ASSERT_STRING_EQUAL(ike_sa_failure(t.sa[1]), "no-proposal-chosen");
	CU_ASSERT_EQUAL(ike_sa_state(t.sa[0]), IKE_ST_FAILED);
	CU_ASSERT_EQUAL(t.log[0].at[t.log[0].n - 1], T_INIT_B +
	    IT_ONE_WAY(36));
	it_free(&t);
}

/*
 * The initiator guesses group 14 (its first proposal) while the responder
 * takes only group 19: INVALID_KE_PAYLOAD naming 19 (N 8 + 2: 38 bytes),
 * a second IKE_SA_INIT with a 64-byte KE (432 - 192 = 240 bytes), then
 * IKE_AUTH as usual: one round trip later than without the guess.
 */
static void
test_invalid_ke_retry(void)
{
	struct ike_policy pa, pb;
	sim_time t2, t3;
	struct it t;

	it_build(&t, 1);
	it_policy(&pa, true);
	it_policy(&pb, false);
	pa.ike[1] = pa.ike[0];
	pa.ike[1].dh = IKE_DH_ECP256;
	pa.n_ike = 2;
	pb.ike[0].dh = IKE_DH_ECP256;
	it_sa(&t, 0, &pa);
	it_sa(&t, 1, &pb);
	ike_sa_start(t.sa[0]);
	sim_run_until(t.sim, SIM_S(300));
	CU_ASSERT_EQUAL_FATAL(t.tx[0].n, 3);
	CU_ASSERT_EQUAL(t.tx[1].len[0], 38);
	/* two proposals (48 - 4 each) + KE 8 + 64 */
	CU_ASSERT_EQUAL(t.tx[0].len[0], 28 + 4 + 2 * 44 + 264 + 36 + 56);
	CU_ASSERT_EQUAL(t.tx[0].len[1], 28 + 4 + 2 * 44 + 72 + 36 + 56);
	CU_ASSERT_EQUAL(t.tx[1].len[1], 28 + 48 + 72 + 36 + 56);
	t2 = IT_ONE_WAY(t.tx[0].len[0]) + IT_ONE_WAY(38);
	CU_ASSERT_EQUAL(t.tx[0].at[1], t2);
	t3 = t2 + IT_ONE_WAY(t.tx[0].len[1]) + IT_ONE_WAY(t.tx[1].len[1]);
	CU_ASSERT_EQUAL(t.tx[0].at[2], t3);
	CU_ASSERT_EQUAL(ike_sa_stats(t.sa[0])->established_at, t3 +
	    2 * IT_ONE_WAY(AUTH_LEN));
	CU_ASSERT_EQUAL(ike_sa_state(t.sa[1]), IKE_ST_ESTABLISHED);
	CU_ASSERT_PTR_NULL(ike_sa_failure(t.sa[0]));
	it_free(&t);
}

/*
 * Nobody answers (b has no SA: its host drops the datagrams): the
 * initiator retransmits after 4, 7.2, 12.96, 23.328, 41.9904 s (strongSwan:
 * 4 s x 1.8^k, 5 tries) and gives up 75.58272 s after the last, at
 * 165.06112 s in all.
 */
static void
test_no_response_schedule(void)
{
	static const sim_time at[] = { 0, SIM_MS(4000), SIM_MS(11200),
	    SIM_MS(24160), SIM_US(47488000), SIM_US(89478400) };
	struct ike_policy pa;
	struct it t;
	int i;

	it_build(&t, 1);
	it_policy(&pa, true);
	it_sa(&t, 0, &pa);
	ike_sa_start(t.sa[0]);
	sim_run_until(t.sim, SIM_S(1000));
	CU_ASSERT_EQUAL_FATAL(t.tx[0].n, 6);
	for (i = 0; i < 6; i++) {
		CU_ASSERT_EQUAL(t.tx[0].at[i], at[i]);
		CU_ASSERT_EQUAL(t.tx[0].len[i], INIT_LEN);
	}
	CU_ASSERT_EQUAL(t.tx[1].n, 0);
	CU_ASSERT_EQUAL(ike_sa_stats(t.sa[0])->retransmits, 5);
	CU_ASSERT_STRING_EQUAL(ike_sa_failure(t.sa[0]), "no-response");
	CU_ASSERT_EQUAL(t.log[0].at[t.log[0].n - 1], SIM_NS(165061120000));
	it_free(&t);
}

/*
 * An IKEv1 initiator toward an IKEv2-only responder: Main Mode message 1
 * (HDR 28 + SA 4 + DOI 4 + situation 4 + proposal 8 + a transform of 8 +
 * 7 attributes of 4 = 84 bytes), answered with an IKEv1 Informational
 * carrying INVALID-MAJOR-VERSION (28 + 12 = 40 bytes, Libreswan's answer);
 * the v1 side ignores it and gives up on its schedule; the v2 side fails
 * "invalid-major-version" at the first packet.
 */
static void
test_ikev1_initiator(void)
{
	struct ike_policy pa, pb;
	struct it t;

	it_build(&t, 1);
	it_policy(&pa, true);
	it_policy(&pb, false);
	pa.version = 1;
	it_sa(&t, 0, &pa);
	it_sa(&t, 1, &pb);
	ike_sa_start(t.sa[0]);
	sim_run_until(t.sim, SIM_S(1000));
	CU_ASSERT_EQUAL_FATAL(t.tx[0].n, 6);
	CU_ASSERT_EQUAL(t.tx[0].len[0], 84);
	CU_ASSERT_EQUAL(t.tx[0].version[0], IKE_VERSION_1);
	CU_ASSERT_EQUAL(t.tx[0].exch[0], IKEV1_EXCH_MAIN_MODE);
	CU_ASSERT_EQUAL_FATAL(t.tx[1].n, 6);	/* one answer per packet */
	CU_ASSERT_EQUAL(t.tx[1].len[0], 40);
	CU_ASSERT_EQUAL(t.tx[1].version[0], IKE_VERSION_1);
	CU_ASSERT_EQUAL(t.tx[1].exch[0], IKEV1_EXCH_INFO);
	CU_ASSERT_EQUAL(t.tx[1].at[0], IT_ONE_WAY(84));
	CU_ASSERT_STRING_EQUAL(ike_sa_failure(t.sa[1]),
	    "invalid-major-version");
	CU_ASSERT_EQUAL(ike_sa_state(t.sa[1]), IKE_ST_FAILED);
	CU_ASSERT_EQUAL(t.log[1].at[0], IT_ONE_WAY(84));
	CU_ASSERT_STRING_EQUAL(ike_sa_failure(t.sa[0]), "no-response");
	CU_ASSERT_EQUAL(t.log[0].at[t.log[0].n - 1], SIM_NS(165061120000));
	it_free(&t);
}

/* An IKEv2 initiator toward an IKEv1-only peer: ignored, no answer. */
static void
test_ikev1_responder(void)
{
	struct ike_policy pa, pb;
	struct it t;

	it_build(&t, 1);
	it_policy(&pa, true);
	it_policy(&pb, false);
	pb.version = 1;
	it_sa(&t, 0, &pa);
	it_sa(&t, 1, &pb);
	ike_sa_start(t.sa[0]);
	sim_run_until(t.sim, SIM_S(1000));
	CU_ASSERT_EQUAL(t.tx[0].n, 6);
	CU_ASSERT_EQUAL(t.tx[1].n, 0);
	CU_ASSERT_EQUAL(ike_sa_stats(t.sa[1])->rx_drops, 6);
	CU_ASSERT_STRING_EQUAL(ike_sa_failure(t.sa[0]), "no-response");
	CU_ASSERT_EQUAL(ike_sa_state(t.sa[1]), IKE_ST_IDLE);
	it_free(&t);
}

/*
 * Both ends are initiators and start at once: the IKE_SA_INIT requests
 * cross; the side with the lower nonce answers the other's and drops its
 * own, so one IKE SA and one Child SA come up, with the same key at both
 * ends. A restart after a failure works too (the wrong key fixed).
 */
static void
test_both_initiators(void)
{
	struct ike_policy pa, pb;
	const struct ipsec_child *ca, *cb;
	struct it t;
	int i;

	it_build(&t, 2);
	it_policy(&pa, true);
	it_policy(&pb, true);
	it_sa(&t, 0, &pa);
	it_sa(&t, 1, &pb);
	ike_sa_start(t.sa[0]);
	ike_sa_start(t.sa[1]);
	sim_run_until(t.sim, SIM_S(10));
	for (i = 0; i < 2; i++) {
		CU_ASSERT_EQUAL(ike_sa_state(t.sa[i]), IKE_ST_ESTABLISHED);
		CU_ASSERT_EQUAL(it_find(&t.log[i], IT_UP, 1), -1);
		CU_ASSERT_FATAL(it_find(&t.log[i], IT_UP, 0) >= 0);
	}
	ca = &t.log[0].c[it_find(&t.log[0], IT_UP, 0)];
	cb = &t.log[1].c[it_find(&t.log[1], IT_UP, 0)];
	CU_ASSERT_EQUAL(ca->spi_in, cb->spi_out);
	CU_ASSERT_EQUAL(ca->key, cb->key);
	/* the exchange completes one round trip after the first */
	CU_ASSERT(ike_sa_stats(t.sa[0])->established_at < SIM_MS(5));
	it_free(&t);
}

static void
test_restart_after_failure(void)
{
	struct ike_policy pa, pb;
	struct it t;

	it_build(&t, 1);
	it_policy(&pa, true);
	it_policy(&pb, false);
	snprintf(pb.psk, sizeof(pb.psk), "typo");
	it_sa(&t, 0, &pa);
	it_sa(&t, 1, &pb);
	ike_sa_start(t.sa[0]);
	sim_run_until(t.sim, SIM_S(10));
	CU_ASSERT_EQUAL(ike_sa_state(t.sa[0]), IKE_ST_FAILED);
	ike_sa_free(t.sa[1]);
	snprintf(pb.psk, sizeof(pb.psk), "%s", pa.psk);
	it_sa(&t, 1, &pb);
	ike_sa_start(t.sa[0]);
	sim_run_until(t.sim, SIM_S(20));
	CU_ASSERT_EQUAL(ike_sa_state(t.sa[0]), IKE_ST_ESTABLISHED);
	CU_ASSERT_EQUAL(ike_sa_state(t.sa[1]), IKE_ST_ESTABLISHED);
	CU_ASSERT_PTR_NULL(ike_sa_failure(t.sa[0]));
	CU_ASSERT_EQUAL(ike_sa_stats(t.sa[0])->established_at, SIM_S(10) +
	    T_AUTH_A);
	it_free(&t);
}

/* Same seed, same SPIs and keys; another seed, others. */
static void
test_determinism(void)
{
	struct ipsec_child c[3];
	uint64_t seeds[3] = { 7, 7, 8 };
	struct it t;
	int i, k;

	for (i = 0; i < 3; i++) {
		establish(&t, seeds[i]);
		sim_run_until(t.sim, SIM_S(10));
		k = it_find(&t.log[0], IT_UP, 0);
		CU_ASSERT_FATAL(k >= 0);
		c[i] = t.log[0].c[k];
		it_free(&t);
	}
	CU_ASSERT_EQUAL(c[0].spi_in, c[1].spi_in);
	CU_ASSERT_EQUAL(c[0].spi_out, c[1].spi_out);
	CU_ASSERT_EQUAL(c[0].key, c[1].key);
	CU_ASSERT_NOT_EQUAL(c[0].spi_in, c[2].spi_in);
	CU_ASSERT_NOT_EQUAL(c[0].key, c[2].key);
}

/* A policy the engine cannot run is refused with the reason. */
static void
test_policy_check(void)
{
	struct ike_policy p;
	char err[160];

	it_policy(&p, true);
	CU_ASSERT_EQUAL(ike_policy_check(&p, err, sizeof(err)), 0);
	p.psk[0] = '\0';
	CU_ASSERT_EQUAL(ike_policy_check(&p, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "pre-shared key"));
	it_policy(&p, true);
	p.ike[0].dh = 99;
	CU_ASSERT_EQUAL(ike_policy_check(&p, err, sizeof(err)), -1);
	it_policy(&p, true);
	p.child_lifetime = SIM_S(500);	/* below the 540 s margin */
	CU_ASSERT_EQUAL(ike_policy_check(&p, err, sizeof(err)), -1);
	ike_policy_oci(&p);
	snprintf(p.psk, sizeof(p.psk), "k");
	CU_ASSERT_EQUAL(ike_policy_check(&p, err, sizeof(err)), 0);
	ike_policy_azure(&p);
	snprintf(p.psk, sizeof(p.psk), "k");
	CU_ASSERT_EQUAL(ike_policy_check(&p, err, sizeof(err)), 0);
}

static const struct test_case cases[] = {
	{ "IKE_SA_INIT + IKE_AUTH: sizes, exact times, Child SA",
	    test_establish_sizes_times },
	{ "wrong PSK: AUTHENTICATION_FAILED", test_wrong_psk },
	{ "no common proposal: NO_PROPOSAL_CHOSEN", test_no_proposal },
	{ "INVALID_KE_PAYLOAD and the retry", test_invalid_ke_retry },
	{ "no answer: retransmission schedule", test_no_response_schedule },
	{ "IKEv1 initiator, IKEv2 responder", test_ikev1_initiator },
	{ "IKEv2 initiator, IKEv1 responder", test_ikev1_responder },
	{ "both initiators at once", test_both_initiators },
	{ "restart after a failure", test_restart_after_failure },
	{ "determinism by seed", test_determinism },
	{ "policy check", test_policy_check },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "ike", cases);
}
