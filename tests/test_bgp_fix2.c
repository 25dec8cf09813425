/*
 * test_bgp_fix2.c - fixes from a review of the speaker's graceful restart
 * configuration: a restart_time of 0s (which the OPEN cannot carry as
 * "unset": bgp_gr_open_caps takes 0 for the default, 120 s) is refused at
 * its line:col, as is one that is not whole seconds, while 1s and 4095s,
 * the 12-bit field's bounds, load.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"
#include "scenario_models.h"
#include "scenario_testutil.h"
#include "testutil.h"

static const char head[] =
    "duration: 2s\n"
    "nodes:\n"
    "  - { name: r1, role: router, interfaces: [{ name: e0, address: "
    "10.0.0.1/29 }] }\n"
    "  - { name: r2, role: router, interfaces: [{ name: e0, address: "
    "10.0.0.2/29 }] }\n"
    "links:\n"
    "  - { name: l0, a: r1:e0, b: r2:e0 }\n"			/* 5 */
    "bgp:\n"
    "  - node: r1\n"
    "    asn: 65001\n"
    "    neighbors:\n";					/* 10 */

static struct scenario *
load_gr(const char *a, const char *b, char **diag, unsigned *n)
{
	char text[2048];

	snprintf(text, sizeof(text), "%s"
	    "      - { address: 10.0.0.2, remote_as: 65002, "		/* 11 */
	    "graceful_restart: { restart_time: %s } }\n"
	    "      - { address: 10.0.0.3, remote_as: 65002, "		/* 12 */
	    "graceful_restart: { restart_time: %s } }\n", head, a, b);
	return load(text, diag, n);
}

static void
test_restart_time(void)
{
	struct scenario *sc;
	unsigned n = 0;
	char *diag = NULL;

	sc = load_gr("0s", "1500ms", &diag, &n);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT(has_error(diag, "11:82", "'restart_time' 0s is below 1s (at "
	    "least 1s, at most 4095s)"));
	CU_ASSERT(has_error(diag, "12:82", "'restart_time' must be whole "
	    "seconds"));
	if (n != 2)
		fprintf(stderr, "%s", diag);
	free(diag);
	diag = NULL;
	sc = load_gr("1s", "4095s", &diag, &n);
	CU_ASSERT_PTR_NOT_NULL(sc);
	CU_ASSERT_EQUAL(n, 0);
	free(diag);
	scenario_free(sc);
}

static const struct test_case cases[] = {
	{ "graceful_restart restart_time: at least 1s, whole seconds",
	    test_restart_time },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	scenario_models_init();
	return test_main(argc, argv, "bgp_fix2", cases);
}
