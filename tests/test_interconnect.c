/*
 * test_interconnect.c - what models/interconnect gives both clouds: the
 * routers' names (one circuit: "msee-primary"; several: the circuit's name
 * in front), the service key (an RFC 9562 version-4 GUID drawn from the
 * seed and the circuit's name: the same for the same seed, different for
 * another seed or circuit; B2), the internal /30s, the ASNs (1.4, 2.2,
 * 3.3) and the delays' sum against the facts' latency (3.4, B9).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "interconnect.h"
#include "testutil.h"

static void
test_names(void)
{
	char b[64];

	CU_ASSERT_STRING_EQUAL(ic_msee_name(b, sizeof(b), "er1", 1,
	    IC_PRIMARY), "msee-primary");
	CU_ASSERT_STRING_EQUAL(ic_msee_name(b, sizeof(b), "er1", 1,
	    IC_SECONDARY), "msee-secondary");
	CU_ASSERT_STRING_EQUAL(ic_msee_name(b, sizeof(b), "er-ashburn", 2,
	    IC_PRIMARY), "er-ashburn-msee-primary");
	CU_ASSERT_STRING_EQUAL(ic_oracle_edge_name(b, sizeof(b), "vc1", 1,
	    IC_PRIMARY), "oracle-edge-primary");
	CU_ASSERT_STRING_EQUAL(ic_oracle_edge_name(b, sizeof(b), "vc1", 3,
	    IC_SECONDARY), "vc1-oracle-edge-secondary");
	/* truncated, never overrun */
	CU_ASSERT_STRING_EQUAL(ic_msee_name(b, 6, "er1", 1, IC_PRIMARY),
	    "msee-");
	CU_ASSERT_STRING_EQUAL(ic_path_name[IC_PRIMARY], "primary");
	CU_ASSERT_STRING_EQUAL(ic_path_name[IC_SECONDARY], "secondary");
}

static bool
is_guid4(const char *k)
{
	size_t i;

	if (strlen(k) != 36)
		return false;
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (k[i] != '-')
				return false;
		} else if (!isxdigit((unsigned char)k[i]) ||
		    isupper((unsigned char)k[i])) {
			return false;
		}
	}
	/* version 4, variant 10 (RFC 9562) */
	return k[14] == '4' && strchr("89ab", k[19]) != NULL;
}

static void
test_service_key(void)
{
	char a[37], b[37], c[37], d[37];
	uint64_t seed;
	int i;

	ic_service_key(1, "er1", a);
	ic_service_key(1, "er1", b);
	ic_service_key(2, "er1", c);
	ic_service_key(1, "er2", d);
	CU_ASSERT(is_guid4(a));
	CU_ASSERT(is_guid4(c));
	CU_ASSERT(is_guid4(d));
	CU_ASSERT_STRING_EQUAL(a, b);		/* stable per seed */
	CU_ASSERT_STRING_NOT_EQUAL(a, c);	/* another seed */
	CU_ASSERT_STRING_NOT_EQUAL(a, d);	/* another circuit */
	/* the format holds for many draws */
	for (i = 0, seed = 0; i < 1000; i++, seed += 0x9e3779b9ULL) {
		ic_service_key(seed, "c", a);
		CU_ASSERT(is_guid4(a));
	}
}

static void
test_p2p(void)
{
	uint32_t lo, hi;

	ic_p2p(IC_BLOCK_OCI, 0, &lo, &hi);
	CU_ASSERT_EQUAL(lo, 0xa9fef801u);	/* 169.254.248.1 */
	CU_ASSERT_EQUAL(hi, 0xa9fef802u);
	ic_p2p(IC_BLOCK_OCI, 3, &lo, &hi);
	CU_ASSERT_EQUAL(lo, 0xa9fef80du);	/* 169.254.248.13 */
	CU_ASSERT_EQUAL(hi, 0xa9fef80eu);
	ic_p2p(IC_BLOCK_MS, 1, &lo, &hi);
	CU_ASSERT_EQUAL(lo, 0xa9fef005u);	/* 169.254.240.5 */
	/*
	 * The Microsoft block is written as a /20, which holds the OCI /21
	 * as its upper half: the two never meet while the Azure side uses
	 * fewer than 512 /30s (its lower half).
	 */
	CU_ASSERT_EQUAL(IC_BLOCK_MS + 2048u, IC_BLOCK_OCI);
}

static void
test_facts(void)
{
	sim_time one_way = IC_DELAY_HOST + IC_DELAY_FABRIC +
	    IC_DELAY_BACKBONE + IC_DELAY_CROSS_CONNECT + IC_DELAY_ORACLE +
	    IC_DELAY_FABRIC + IC_DELAY_HOST;

	CU_ASSERT_EQUAL(IC_ASN_MICROSOFT, 12076);	/* 1.4 */
	CU_ASSERT_EQUAL(IC_ASN_ORACLE, 31898);		/* 2.2 */
	CU_ASSERT_EQUAL(IC_ASN_AZURE_GW, 65515);	/* 3.3 */
	CU_ASSERT_STRING_EQUAL(IC_PROVIDER_ORACLE, "Oracle Cloud FastConnect");
	CU_ASSERT_STRING_EQUAL(IC_PROVIDER_AZURE,
	    "Microsoft Azure: ExpressRoute");		/* 3.1 */
	/* VM to instance and back, "sub-2 ms" (3.4) */
	CU_ASSERT_EQUAL(2 * one_way, SIM_US(1720));
	CU_ASSERT(2 * one_way < SIM_MS(2));
}

static const struct test_case cases[] = {
	{ "router names", test_names },
	{ "service keys: version-4 GUIDs per seed and circuit (B2)",
	    test_service_key },
	{ "internal /30s", test_p2p },
	{ "ASNs, providers and delays (1.4, 2.2, 3.1, 3.3, 3.4)", test_facts },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "interconnect", cases);
}
