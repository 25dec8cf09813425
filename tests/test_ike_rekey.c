/*
 * test_ike_rekey.c - IKEv2 after IKE_AUTH: a Child SA rekey with a PFS KE
 * (CREATE_CHILD_SA, then the old SA's Delete), the PFS group mismatch of
 * OCI's default (group 5) against Azure's proposals, and the same with
 * OCI set to group 14; an IKE SA rekey; a rekey collision; DPD on a dead
 * link; an IKE SA closed by Delete. Every time exact.
 */
#include <stdio.h>
#include <string.h>

#include "test_ike_util.h"

#define AUTH_LEN 224u
#define T_AUTH_B (2 * IT_ONE_WAY(432) + IT_ONE_WAY(AUTH_LEN))
#define T_AUTH_A (T_AUTH_B + IT_ONE_WAY(AUTH_LEN))
/*
 * Child rekey with PFS 14: request N(REKEY_SA) 12 + SA (4 + 8 + 4 + ENCR
 * 12 + INTEG 8 + DH 8 + ESN 8 = 52) + Ni 36 + KEi 264 + TSi 24 + TSr 24 =
 * 412, + 1 + 3 = 416, SK 452, message 480; the response SA 52 + Nr 36 +
 * KEr 264 + TS 48 = 400, + 1 + 15 = 416: also 480. A Delete of one ESP SPI
 * (12 + 1 + 3 = 16, SK 52) and its answer: 80; an empty INFORMATIONAL
 * (1 + 15 = 16): 80 too.
 */
#define REKEY_LEN 480u
#define DEL_LEN 80u

static void
pair(struct it *t, struct ike_policy *pa, struct ike_policy *pb)
{
	it_sa(t, 0, pa);
	it_sa(t, 1, pb);
	ike_sa_start(t->sa[0]);
}

static int
count(const struct it_log *g, enum it_ev ev)
{
	int i, n = 0;

	for (i = 0; i < g->n; i++)
		n += g->ev[i] == ev;
	return n;
}

/*
 * b's Child SA is 100 s old first (margin 10 s: rekey at 90 s); a's
 * lifetime is 200 s so b alone rekeys. The new SA replaces the old, the
 * old is deleted by b (2.8), and both ends hold the same new key.
 */
static void
test_child_rekey_pfs(void)
{
	struct ike_policy pa, pb;
	const struct ipsec_child *o, *na, *nb;
	sim_time t0, t1;
	struct it t;
	int ua, ub, da, db;

	it_build(&t, 3);
	it_policy(&pa, true);
	it_policy(&pb, false);
	pa.child_lifetime = SIM_S(200);
	pa.rekey_margin = pb.rekey_margin = SIM_S(10);
	pb.child_lifetime = SIM_S(100);
	pair(&t, &pa, &pb);
	sim_run_until(t.sim, SIM_S(95));
	t0 = T_AUTH_B + SIM_S(90);
	CU_ASSERT_EQUAL_FATAL(t.tx[1].n, 4);
	CU_ASSERT_EQUAL(t.tx[1].at[2], t0);
	CU_ASSERT_EQUAL(t.tx[1].exch[2], IKE_EXCH_CREATE_CHILD_SA);
	CU_ASSERT_EQUAL(t.tx[1].len[2], REKEY_LEN);
	CU_ASSERT_EQUAL(t.tx[0].len[2], REKEY_LEN);
	CU_ASSERT_EQUAL(t.tx[0].at[2], t0 + IT_ONE_WAY(REKEY_LEN));
	t1 = t0 + 2 * IT_ONE_WAY(REKEY_LEN);
	CU_ASSERT_EQUAL(t.tx[1].at[3], t1);	/* the Delete */
	CU_ASSERT_EQUAL(t.tx[1].len[3], DEL_LEN);
	CU_ASSERT_EQUAL(t.tx[1].exch[3], IKE_EXCH_INFORMATIONAL);
	ua = it_find(&t.log[0], IT_UP, 1);
	ub = it_find(&t.log[1], IT_UP, 1);
	da = it_find(&t.log[0], IT_DOWN, 0);
	db = it_find(&t.log[1], IT_DOWN, 0);
	CU_ASSERT_FATAL(ua >= 0 && ub >= 0 && da >= 0 && db >= 0);
	CU_ASSERT_EQUAL(t.log[0].at[ua], t0 + IT_ONE_WAY(REKEY_LEN));
	CU_ASSERT_EQUAL(t.log[1].at[ub], t1);
	CU_ASSERT_EQUAL(t.log[0].at[da], t1 + IT_ONE_WAY(DEL_LEN));
	CU_ASSERT_EQUAL(t.log[1].at[db], t1 + 2 * IT_ONE_WAY(DEL_LEN));
	o = &t.log[0].c[it_find(&t.log[0], IT_UP, 0)];
	na = &t.log[0].c[ua];
	nb = &t.log[1].c[ub];
	CU_ASSERT_EQUAL(na->spi_in, nb->spi_out);
	CU_ASSERT_EQUAL(na->spi_out, nb->spi_in);
	CU_ASSERT_EQUAL(na->key, nb->key);
	CU_ASSERT_NOT_EQUAL(na->key, o->key);
	CU_ASSERT_EQUAL(na->pfs, IKE_DH_MODP2048);
	CU_ASSERT_EQUAL(na->rekeys, o->spi_in);
	CU_ASSERT_EQUAL(t.log[0].spi_in[da], o->spi_in);
	CU_ASSERT_EQUAL(t.log[0].spi_out[da], o->spi_out);
	CU_ASSERT_EQUAL(ike_sa_stats(t.sa[0])->child_rekeys, 1);
	CU_ASSERT_EQUAL(ike_sa_stats(t.sa[1])->child_rekeys, 1);
	CU_ASSERT_PTR_NULL(ike_sa_failure(t.sa[0]));
	CU_ASSERT_PTR_NULL(ike_sa_failure(t.sa[1]));
	it_free(&t);
}

/*
 * Azure initiates with its defaults; OCI answers with its defaults (facts
 * 4, 4.3). The first Child SA comes up (IKE_AUTH has no KE), OCI's Child
 * SA rekeys at 3,600 - 540 s with PFS group 5, Azure has no proposal with
 * group 5: NO_PROPOSAL_CHOSEN. The old Child SA dies at 3,600 s and OCI
 * deletes it: the tunnel is down while both IKE SAs stay up.
 * pfs: OCI's group; 14 makes the same rekey succeed.
 */
static void
oci_azure(uint16_t pfs)
{
	struct ike_policy az, oci;
	sim_time eb, t0, ack;
	struct it t;
	size_t i;
	int n;

	it_build(&t, 5);
	ike_policy_azure(&az);
	ike_policy_oci(&oci);
	az.initiator = true;
	snprintf(az.psk, sizeof(az.psk), "shared");
	snprintf(oci.psk, sizeof(oci.psk), "shared");
	az.rekey_fuzz_pct = oci.rekey_fuzz_pct = 0;
	for (i = 0; i < oci.n_child; i++)
		oci.child[i].dh = pfs;
	pair(&t, &az, &oci);
	sim_run_until(t.sim, SIM_S(4000));
	eb = ike_sa_stats(t.sa[1])->established_at;
	CU_ASSERT_FATAL(eb > 0);
	CU_ASSERT_EQUAL(ike_sa_state(t.sa[0]), IKE_ST_ESTABLISHED);
	CU_ASSERT_EQUAL(ike_sa_state(t.sa[1]), IKE_ST_ESTABLISHED);
	/* the first Child SA: AES-GCM-256, the first both take */
	n = it_find(&t.log[0], IT_UP, 0);
	CU_ASSERT_FATAL(n >= 0);
	CU_ASSERT_EQUAL(t.log[0].c[n].encr, IKE_ENCR_AES_GCM_16);
	CU_ASSERT_EQUAL(t.log[0].c[n].icv_len, 16);
	CU_ASSERT_EQUAL(t.log[0].c[n].iv_len, 8);
	t0 = eb + SIM_S(3060);
	CU_ASSERT_FATAL(t.tx[1].n >= 3);
	CU_ASSERT_EQUAL(t.tx[1].at[2], t0);
	CU_ASSERT_EQUAL(t.tx[1].exch[2], IKE_EXCH_CREATE_CHILD_SA);
	ack = t0 + IT_ONE_WAY(t.tx[1].len[2]) + IT_ONE_WAY(t.tx[0].len[2]);
	if (pfs == IKE_DH_MODP1536) {
		CU_ASSERT_STRING_EQUAL(ike_sa_failure(t.sa[1]),
		    "no-proposal-chosen");
		CU_ASSERT_STRING_EQUAL(ike_sa_failure(t.sa[0]),
		    "no-proposal-chosen");
		/* N(NO_PROPOSAL_CHOSEN) alone under the IKE SA's
		 * AES-CBC-256 / SHA-256-128: 8 + 1 + 7, SK 52, message 80 */
		CU_ASSERT_EQUAL(t.tx[0].len[2], 80);
		CU_ASSERT_EQUAL(count(&t.log[1], IT_UP), 1);
		CU_ASSERT_EQUAL(count(&t.log[0], IT_UP), 1);
		n = it_find(&t.log[1], IT_DOWN, 0);
		CU_ASSERT_FATAL(n >= 0);
		CU_ASSERT_EQUAL(t.log[1].at[n], eb + SIM_S(3600));
		n = it_find(&t.log[0], IT_DOWN, 0);
		CU_ASSERT_FATAL(n >= 0);
		CU_ASSERT_EQUAL(t.log[0].at[n], eb + SIM_S(3600) +
		    IT_ONE_WAY(t.tx[1].len[3]));
		CU_ASSERT(ack < eb + SIM_S(3600));
	} else {
		CU_ASSERT_PTR_NULL(ike_sa_failure(t.sa[1]));
		CU_ASSERT_PTR_NULL(ike_sa_failure(t.sa[0]));
		CU_ASSERT_EQUAL(count(&t.log[1], IT_UP), 2);
		n = it_find(&t.log[1], IT_UP, 1);
		CU_ASSERT_EQUAL(t.log[1].at[n], ack);
		CU_ASSERT_EQUAL(t.log[1].c[n].pfs, IKE_DH_MODP2048);
		CU_ASSERT_EQUAL(count(&t.log[1], IT_DOWN), 1);
		CU_ASSERT_EQUAL(count(&t.log[0], IT_DOWN), 1);
	}
	it_free(&t);
}

static void
test_pfs_mismatch_oci_azure(void)
{
	oci_azure(IKE_DH_MODP1536);
}

static void
test_pfs_oci_group14(void)
{
	oci_azure(IKE_DH_MODP2048);
}

/*
 * Review 8: a Child SA rekey offers the KE group that Child SA agreed on
 * (RFC 7296 1.3.1, 2.18), not the group of a's first proposal. a offers
 * [AES-CBC-256/SHA1-96 PFS 2, the same with PFS g], b takes PFS g only;
 * the IKE SA has group 14. The IKE_AUTH Child SA was chosen without KE
 * (1.2): its rekeys guess the IKE SA's group when a proposal of the same
 * algorithms has it (g = 14: a's first rekey, 100 s lifetime, margin
 * 10 s, at T_AUTH_A + 90 s, is one exchange), else the chosen proposal's
 * (g = 5: group 2, refused with INVALID_KE_PAYLOAD(5), a retries with 5).
 * Either way the Child SA the rekey makes keeps its group, and its own
 * rekey, 90 s after it came up, is one exchange: the request, b's answer,
 * then a's Delete of the old SA, at exact times.
 */
static void
rekey_group(uint16_t g)
{
	struct ike_policy pa, pb;
	sim_time t1, t2;
	struct it t;
	int i, k, u, req1 = 0;

	it_build(&t, 6);
	it_policy(&pa, true);
	it_policy(&pb, false);
	pa.child[1] = pa.child[0];
	pa.child[0].dh = IKE_DH_MODP1024;
	pa.child[1].dh = pb.child[0].dh = g;
	pa.n_child = 2;
	pa.rekey_margin = pb.rekey_margin = SIM_S(10);
	pa.child_lifetime = SIM_S(100);
	pb.child_lifetime = SIM_S(400);
	pair(&t, &pa, &pb);
	sim_run_until(t.sim, SIM_S(300));
	for (i = 0; i < t.tx[0].n; i++)
		if (t.tx[0].exch[i] == IKE_EXCH_CREATE_CHILD_SA &&
		    !(t.tx[0].flags[i] & IKE_FLAG_R) &&
		    t.tx[0].at[i] < T_AUTH_A + SIM_S(91))
			req1++;
	CU_ASSERT_EQUAL(req1, g == IKE_DH_MODP2048 ? 1 : 2);
	u = it_find(&t.log[0], IT_UP, 1);
	CU_ASSERT_FATAL(u >= 0);
	CU_ASSERT_EQUAL(t.log[0].c[u].pfs, g);
	t1 = t.log[0].at[u];
	/* the second rekey: one exchange with group g's KE */
	t2 = t1 + SIM_S(90);
	for (k = 0; k < t.tx[0].n && t.tx[0].at[k] < t2; k++)
		;
	CU_ASSERT_FATAL(k + 1 < t.tx[0].n);
	CU_ASSERT_EQUAL(t.tx[0].at[k], t2);
	CU_ASSERT_EQUAL(t.tx[0].exch[k], IKE_EXCH_CREATE_CHILD_SA);
	CU_ASSERT_EQUAL(t.tx[0].flags[k] & IKE_FLAG_R, 0);
	CU_ASSERT_EQUAL(t.tx[0].exch[k + 1], IKE_EXCH_INFORMATIONAL);
	CU_ASSERT_EQUAL(t.tx[0].at[k + 1], t2 + IT_ONE_WAY(t.tx[0].len[k]) +
	    IT_ONE_WAY(t.tx[1].len[k]));
	u = it_find(&t.log[0], IT_UP, 2);
	CU_ASSERT_FATAL(u >= 0);
	CU_ASSERT_EQUAL(t.log[0].c[u].pfs, g);
	CU_ASSERT_PTR_NULL(ike_sa_failure(t.sa[0]));
	CU_ASSERT_PTR_NULL(ike_sa_failure(t.sa[1]));
	it_free(&t);
}

static void
test_rekey_keeps_group(void)
{
	rekey_group(IKE_DH_MODP1536);
}

static void
test_rekey_ike_group(void)
{
	rekey_group(IKE_DH_MODP2048);
}

/*
 * IKE SA lifetime 300 s, margin 10 s: b rekeys at 290 s after it came up
 * (CREATE_CHILD_SA with SA 4 + 8 + SPI 8 + 36 = 56, Ni 36, KE 264: 356 +
 * 1 + 11 = 368, SK 404, message 432; the response too), then deletes the
 * old IKE SA (Delete 8 + 1 -> 16: 80 bytes, the empty answer 80). The
 * Child SA survives; its rekey at 390 s runs over the new IKE SA.
 */
static void
test_ike_rekey(void)
{
	struct ike_policy pa, pb;
	sim_time t0, t1;
	struct it t;
	int i;

	it_build(&t, 4);
	it_policy(&pa, true);
	it_policy(&pb, false);
	pa.rekey_margin = pb.rekey_margin = SIM_S(10);
	pa.ike_lifetime = SIM_S(600);
	pb.ike_lifetime = SIM_S(300);
	pa.child_lifetime = SIM_S(800);
	pb.child_lifetime = SIM_S(400);
	pair(&t, &pa, &pb);
	sim_run_until(t.sim, SIM_S(395));
	t0 = T_AUTH_B + SIM_S(290);
	CU_ASSERT_FATAL(t.tx[1].n >= 6);
	CU_ASSERT_EQUAL(t.tx[1].at[2], t0);
	CU_ASSERT_EQUAL(t.tx[1].len[2], 432);
	CU_ASSERT_EQUAL(t.tx[0].len[2], 432);
	t1 = t0 + 2 * IT_ONE_WAY(432);
	CU_ASSERT_EQUAL(t.tx[1].at[3], t1);
	CU_ASSERT_EQUAL(t.tx[1].len[3], DEL_LEN);
	CU_ASSERT_EQUAL(t.tx[0].at[3], t1 + IT_ONE_WAY(DEL_LEN));
	CU_ASSERT_EQUAL(t.tx[0].len[3], DEL_LEN);
	/* b started the rekey: the new SA's original initiator (2.18),
	 * while on the old one a still is */
	CU_ASSERT_EQUAL(t.tx[1].flags[3], 0);		/* on the old SA */
	CU_ASSERT_EQUAL(t.tx[1].flags[4], IKE_FLAG_I);	/* the new SA */
	CU_ASSERT_EQUAL(t.tx[1].exch[4], IKE_EXCH_CREATE_CHILD_SA);
	CU_ASSERT_EQUAL(t.tx[1].at[4], T_AUTH_B + SIM_S(390));
	CU_ASSERT_EQUAL(t.tx[0].flags[4], IKE_FLAG_R);
	for (i = 0; i < 2; i++) {
		CU_ASSERT_EQUAL(ike_sa_stats(t.sa[i])->ike_rekeys, 1);
		CU_ASSERT_EQUAL(ike_sa_stats(t.sa[i])->child_rekeys, 1);
		CU_ASSERT_EQUAL(ike_sa_state(t.sa[i]), IKE_ST_ESTABLISHED);
		CU_ASSERT_PTR_NULL(ike_sa_failure(t.sa[i]));
		CU_ASSERT_EQUAL(count(&t.log[i], IT_UP), 2);
		CU_ASSERT_EQUAL(count(&t.log[i], IT_DOWN), 1);
	}
	i = t.log[0].n - 1;
	while (i >= 0 && t.log[0].ev[i] != IT_STATE)
		i--;
	CU_ASSERT_STRING_EQUAL(t.log[0].why[i], "rekeyed");
	CU_ASSERT_EQUAL(t.log[0].at[i], t0 + IT_ONE_WAY(432));
	it_free(&t);
}

/*
 * Both ends reach the Child SA's soft lifetime within one round trip:
 * the request with the lower nonce gets TEMPORARY_FAILURE, the other
 * completes: one successor on both sides, the old one deleted once.
 */
static void
test_rekey_collision(void)
{
	struct ike_policy pa, pb;
	const struct ipsec_child *na, *nb;
	struct it t;
	int i;

	it_build(&t, 6);
	it_policy(&pa, true);
	it_policy(&pb, false);
	pa.rekey_margin = pb.rekey_margin = SIM_S(10);
	pa.child_lifetime = pb.child_lifetime = SIM_S(100);
	pair(&t, &pa, &pb);
	sim_run_until(t.sim, SIM_S(95));
	for (i = 0; i < 2; i++) {
		CU_ASSERT_EQUAL(count(&t.log[i], IT_UP), 2);
		CU_ASSERT_EQUAL(count(&t.log[i], IT_DOWN), 1);
		CU_ASSERT_PTR_NULL(ike_sa_failure(t.sa[i]));
		CU_ASSERT_EQUAL(ike_sa_stats(t.sa[i])->child_rekeys, 1);
	}
	/* both sent a CREATE_CHILD_SA request */
	CU_ASSERT_EQUAL(t.tx[0].exch[2], IKE_EXCH_CREATE_CHILD_SA);
	CU_ASSERT_EQUAL(t.tx[1].exch[2], IKE_EXCH_CREATE_CHILD_SA);
	CU_ASSERT_EQUAL(t.tx[0].flags[2] & IKE_FLAG_R, 0);
	CU_ASSERT_EQUAL(t.tx[1].flags[2] & IKE_FLAG_R, 0);
	na = &t.log[0].c[it_find(&t.log[0], IT_UP, 1)];
	nb = &t.log[1].c[it_find(&t.log[1], IT_UP, 1)];
	CU_ASSERT_EQUAL(na->spi_in, nb->spi_out);
	CU_ASSERT_EQUAL(na->spi_out, nb->spi_in);
	CU_ASSERT_EQUAL(na->key, nb->key);
	it_free(&t);
}

/*
 * DPD every 10 s at a: each check (an empty INFORMATIONAL, 80 bytes) is
 * answered until the link fails at 25 s; the next goes unanswered and a
 * gives up after the retransmission schedule (165.06112 s).
 */
static void
test_dpd_timeout(void)
{
	struct ike_policy pa, pb;
	sim_time d1, d2, d3;
	struct it t;

	it_build(&t, 1);
	it_policy(&pa, true);
	it_policy(&pb, false);
	pa.dpd = SIM_S(10);
	pair(&t, &pa, &pb);
	link_schedule_state(t.l, SIM_S(25), false);
	sim_run_until(t.sim, SIM_S(400));
	d1 = T_AUTH_A + SIM_S(10);
	d2 = d1 + 2 * IT_ONE_WAY(DEL_LEN) + SIM_S(10);
	d3 = d2 + 2 * IT_ONE_WAY(DEL_LEN) + SIM_S(10);
	CU_ASSERT_FATAL(t.tx[0].n >= 5);
	CU_ASSERT_EQUAL(t.tx[0].at[2], d1);
	CU_ASSERT_EQUAL(t.tx[0].len[2], DEL_LEN);
	CU_ASSERT_EQUAL(t.tx[0].exch[2], IKE_EXCH_INFORMATIONAL);
	CU_ASSERT_EQUAL(t.tx[0].at[3], d2);
	CU_ASSERT_EQUAL(t.tx[0].at[4], d3);
	CU_ASSERT_EQUAL(t.tx[1].n, 4);	/* two answers */
	CU_ASSERT_EQUAL(ike_sa_state(t.sa[0]), IKE_ST_FAILED);
	CU_ASSERT_STRING_EQUAL(ike_sa_failure(t.sa[0]), "dpd-timeout");
	CU_ASSERT_EQUAL(t.log[0].at[t.log[0].n - 1], d3 +
	    SIM_NS(165061120000));
	CU_ASSERT_EQUAL(count(&t.log[0], IT_DOWN), 1);
	CU_ASSERT_EQUAL(ike_sa_state(t.sa[1]), IKE_ST_ESTABLISHED);
	it_free(&t);
}

/*
 * restart 30 s: the DPD failure at d3 + 165.06112 s (as above) starts a
 * new IKE_SA_INIT 30 s later; the link is back by then, so the tunnel
 * comes up again with a new Child SA one exchange later. b, which never
 * noticed, takes the new IKE SA in place of the old one (the peer
 * restarted: its old Child SA goes down).
 */
static void
test_restart_after_dpd(void)
{
	struct ike_policy pa, pb;
	sim_time d3, again;
	struct it t;
	int n;

	it_build(&t, 1);
	it_policy(&pa, true);
	it_policy(&pb, false);
	pa.dpd = SIM_S(10);
	pa.restart = SIM_S(30);
	pair(&t, &pa, &pb);
	link_schedule_state(t.l, SIM_S(25), false);
	link_schedule_state(t.l, SIM_S(150), true);
	sim_run_until(t.sim, SIM_S(400));
	d3 = T_AUTH_A + SIM_S(30) + 4 * IT_ONE_WAY(DEL_LEN);
	again = d3 + SIM_NS(165061120000) + SIM_S(30);
	CU_ASSERT_EQUAL(ike_sa_state(t.sa[0]), IKE_ST_ESTABLISHED);
	CU_ASSERT_EQUAL(ike_sa_state(t.sa[1]), IKE_ST_ESTABLISHED);
	CU_ASSERT_EQUAL(count(&t.log[0], IT_UP), 2);
	CU_ASSERT_EQUAL(count(&t.log[1], IT_UP), 2);
	CU_ASSERT_EQUAL(count(&t.log[1], IT_DOWN), 1);
	n = it_find(&t.log[0], IT_UP, 1);
	CU_ASSERT_EQUAL(t.log[0].at[n], again + T_AUTH_A);
	CU_ASSERT_EQUAL(ike_sa_stats(t.sa[0])->established_at, T_AUTH_A);
	it_free(&t);
}

/*
 * a restarts (its SA freed at 10 s, a new one started at 12 s) while b's
 * DPD check of the old IKE SA is unanswered: the new IKE_SA_INIT replaces
 * b's IKE SA with its outstanding request, so the old check does not go
 * on to fail the new SA 165 s later.
 */
static void
test_peer_restart_during_dpd(void)
{
	struct ike_policy pa, pb;
	struct it t;

	it_build(&t, 1);
	it_policy(&pa, true);
	it_policy(&pb, false);
	pb.dpd = SIM_S(10);
	pair(&t, &pa, &pb);
	sim_run_until(t.sim, SIM_S(10));
	ike_sa_free(t.sa[0]);
	sim_run_until(t.sim, SIM_S(12));
	CU_ASSERT_EQUAL(ike_sa_stats(t.sa[1])->retransmits, 0);
	it_sa(&t, 0, &pa);
	ike_sa_start(t.sa[0]);
	sim_run_until(t.sim, SIM_S(400));
	CU_ASSERT_EQUAL(ike_sa_state(t.sa[1]), IKE_ST_ESTABLISHED);
	CU_ASSERT_PTR_NULL(ike_sa_failure(t.sa[1]));
	CU_ASSERT_EQUAL(ike_sa_state(t.sa[0]), IKE_ST_ESTABLISHED);
	CU_ASSERT_EQUAL(count(&t.log[1], IT_UP), 2);
	CU_ASSERT_EQUAL(count(&t.log[1], IT_DOWN), 1);
	it_free(&t);
}

/*
 * Review 8: a late copy of a's first IKE_SA_INIT (as a reordering path or
 * a replay would deliver it) reaches b at 295 s, after b rekeyed the IKE
 * SA at T_AUTH_B + 290 s (so the SPIi is no longer the current one and is
 * not taken for a retransmission). It carries no authentication, so b
 * must keep its SA and Child SA (RFC 7296 2.4: old SAs go only when a new
 * IKE SA authenticates); a genuine restart of a (a new SPIi) still
 * replaces it (the test above).
 */
struct replay {
	struct it *t;
	uint8_t b[1500];
	uint32_t len;
};

static enum node_verdict
grab_init(struct node *n, uint32_t ifindex, enum node_hook_dir dir,
    const struct pkt *frame, const struct wire_frame *f, const char **reason,
    void *ctx)
{
	struct replay *r = ctx;
	const uint8_t *b = frame->data + f->payload_off;

	(void)n;
	(void)ifindex;
	(void)dir;
	(void)reason;
	if (r->len == 0 && f->has_udp && f->udp.dport == IKE_PORT &&
	    f->payload_len >= IKE_HDR_LEN && f->payload_len <= sizeof(r->b) &&
	    b[18] == IKE_EXCH_SA_INIT && !(b[19] & IKE_FLAG_R)) {
		memcpy(r->b, b, f->payload_len);
		r->len = f->payload_len;
	}
	return NODE_ACCEPT;
}

static void
replay_fire(struct sim *sim, void *ctx)
{
	struct replay *r = ctx;
	struct udp_hdr u;
	struct pkt *p = pkt_alloc(sim, r->len);

	memcpy(p->data, r->b, r->len);
	memset(&u, 0, sizeof(u));
	u.sport = u.dport = IKE_PORT;
	wire_push_udp(sim, p, &u, IT_ADDR(0), IT_ADDR(1));
	node_send_ip(r->t->n[0], VRF_DEFAULT, p, IT_ADDR(0), IT_ADDR(1),
	    WIRE_IPPROTO_UDP, 64, 0);
}

static void
test_late_init_copy(void)
{
	struct ike_policy pa, pb;
	struct replay r;
	struct it t;
	int ua, ub;

	it_build(&t, 7);
	memset(&r, 0, sizeof(r));
	r.t = &t;
	node_iface_add_filter(t.n[0], t.ifx[0], NODE_EGRESS, grab_init, &r);
	it_policy(&pa, true);
	it_policy(&pb, false);
	pa.rekey_margin = pb.rekey_margin = SIM_S(10);
	pa.ike_lifetime = pa.child_lifetime = pb.child_lifetime = SIM_S(800);
	pb.ike_lifetime = SIM_S(300);
	pair(&t, &pa, &pb);
	sim_schedule_at(t.sim, SIM_S(295), replay_fire, &r);
	sim_run_until(t.sim, SIM_S(310));
	CU_ASSERT_EQUAL_FATAL(r.len, 432);
	CU_ASSERT_EQUAL(ike_sa_stats(t.sa[1])->ike_rekeys, 1);
	CU_ASSERT_EQUAL(ike_sa_state(t.sa[0]), IKE_ST_ESTABLISHED);
	CU_ASSERT_EQUAL(ike_sa_state(t.sa[1]), IKE_ST_ESTABLISHED);
	CU_ASSERT_EQUAL(count(&t.log[1], IT_DOWN), 0);
	CU_ASSERT_EQUAL(count(&t.log[0], IT_DOWN), 0);
	CU_ASSERT_EQUAL(count(&t.log[1], IT_UP), 1);
	/* b sent its two answers, the rekey and the old SA's Delete: no
	 * answer to the copy */
	CU_ASSERT_EQUAL(t.tx[1].n, 4);
	CU_ASSERT_EQUAL(ike_sa_stats(t.sa[1])->rx_drops, 1);
	ua = it_find(&t.log[0], IT_UP, 0);
	ub = it_find(&t.log[1], IT_UP, 0);
	CU_ASSERT_FATAL(ua >= 0 && ub >= 0);
	CU_ASSERT_EQUAL(t.log[0].c[ua].spi_in, t.log[1].c[ub].spi_out);
	CU_ASSERT_PTR_NULL(ike_sa_failure(t.sa[1]));
	it_free(&t);
}

/*
 * ESP told the SA at 9 s that the peer is alive: the DPD check due at
 * T_AUTH_A + 10 s moves to 19 s (10 s after that sign of life).
 */
static void
heard_fire(struct sim *sim, void *arg)
{
	(void)sim;
	ike_sa_heard(arg);
}

static void
test_dpd_esp_liveness(void)
{
	struct ike_policy pa, pb;
	struct it t;

	it_build(&t, 1);
	it_policy(&pa, true);
	it_policy(&pb, false);
	pa.dpd = SIM_S(10);
	pair(&t, &pa, &pb);
	sim_schedule_at(t.sim, SIM_S(9), heard_fire, t.sa[0]);
	sim_run_until(t.sim, SIM_S(20));
	CU_ASSERT_EQUAL_FATAL(t.tx[0].n, 3);
	CU_ASSERT_EQUAL(t.tx[0].at[2], SIM_S(19));
	CU_ASSERT_EQUAL(t.tx[0].exch[2], IKE_EXCH_INFORMATIONAL);
	it_free(&t);
}

/*
 * On port 4500 a datagram without the non-ESP marker is ESP in UDP: it
 * goes to the hook ESP set (at the UDP payload), or is dropped without
 * one; a NAT-keepalive byte is discarded.
 */
struct esp_seen {
	int n;
	uint32_t len;
	uint8_t first;
};

static void
esp_hook(struct node *n, struct pkt *p, const struct wire_frame *f,
    void *ctx)
{
	struct esp_seen *e = ctx;

	(void)f;
	e->n++;
	e->len = p->len;
	e->first = p->data[0];
	pkt_free(net_sim(node_net(n)), p);
}

static void
send_4500(struct it *t, const uint8_t *d, uint32_t n)
{
	struct udp_hdr u = { .sport = IKE_NATT_PORT, .dport = IKE_NATT_PORT };
	struct pkt *p = pkt_alloc(t->sim, n);

	memcpy(p->data, d, n);
	wire_push_udp(t->sim, p, &u, IT_ADDR(0), IT_ADDR(1));
	node_send_ip(t->n[0], VRF_DEFAULT, p, IT_ADDR(0), IT_ADDR(1),
	    WIRE_IPPROTO_UDP, 64, 0);
}

static void
test_esp_in_udp_hook(void)
{
	static const uint8_t esp[12] = { 0, 0, 1, 0, 0, 0, 0, 1 };
	static const uint8_t ka[1] = { 0xff };
	struct esp_seen e = { 0, 0, 0 };
	struct it t;

	it_build(&t, 1);
	send_4500(&t, esp, sizeof(esp));
	sim_run_until(t.sim, SIM_S(1));
	CU_ASSERT_EQUAL(e.n, 0);
	ike_host_set_esp_rx(t.h[1], esp_hook, &e);
	send_4500(&t, esp, sizeof(esp));
	send_4500(&t, ka, sizeof(ka));
	sim_run_until(t.sim, SIM_S(2));
	CU_ASSERT_EQUAL(e.n, 1);
	CU_ASSERT_EQUAL(e.len, sizeof(esp));
	CU_ASSERT_EQUAL(e.first, 0);
	it_free(&t);
}

/* ike_sa_close: Delete of the IKE SA; both close, the Child SA goes. */
static void
test_close(void)
{
	struct ike_policy pa, pb;
	struct it t;

	it_build(&t, 1);
	it_policy(&pa, true);
	it_policy(&pb, false);
	pair(&t, &pa, &pb);
	sim_run_until(t.sim, SIM_S(10));
	ike_sa_close(t.sa[0]);
	sim_run_until(t.sim, SIM_S(20));
	CU_ASSERT_EQUAL(ike_sa_state(t.sa[0]), IKE_ST_CLOSED);
	CU_ASSERT_EQUAL(ike_sa_state(t.sa[1]), IKE_ST_CLOSED);
	CU_ASSERT_STRING_EQUAL(t.log[1].why[t.log[1].n - 1],
	    "deleted by peer");
	CU_ASSERT_EQUAL(t.log[1].at[t.log[1].n - 1], SIM_S(10) +
	    IT_ONE_WAY(DEL_LEN));
	CU_ASSERT_EQUAL(t.log[0].at[t.log[0].n - 1], SIM_S(10) +
	    2 * IT_ONE_WAY(DEL_LEN));
	CU_ASSERT_EQUAL(count(&t.log[0], IT_DOWN), 1);
	CU_ASSERT_EQUAL(count(&t.log[1], IT_DOWN), 1);
	it_free(&t);
}

static const struct test_case cases[] = {
	{ "Child SA rekey with PFS, old SA deleted", test_child_rekey_pfs },
	{ "PFS mismatch: OCI group 5 vs Azure", test_pfs_mismatch_oci_azure },
	{ "OCI set to PFS group 14: rekey works", test_pfs_oci_group14 },
	{ "IKE SA rekey, Child SA kept", test_ike_rekey },
	{ "rekey collision: one successor", test_rekey_collision },
	{ "DPD on a dead link", test_dpd_timeout },
	{ "restart after a DPD failure", test_restart_after_dpd },
	{ "peer restart during a DPD check", test_peer_restart_during_dpd },
	{ "a late IKE_SA_INIT copy keeps the SA", test_late_init_copy },
	{ "a Child rekey offers its own group", test_rekey_keeps_group },
	{ "an IKE_AUTH Child rekeys with the IKE group",
	    test_rekey_ike_group },
	{ "ESP as liveness delays DPD", test_dpd_esp_liveness },
	{ "ESP in UDP 4500 to the hook", test_esp_in_udp_hook },
	{ "close: Delete of the IKE SA", test_close },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "ike_rekey", cases);
}
