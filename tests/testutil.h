/*
 * testutil.h - the shape every CUnit test binary shares.
 *
 * A test file defines its cases and a table of them, then calls
 * test_main(argc, argv, "suite", cases). The binary exits non-zero when any
 * assertion fails, so ctest sees it. CUnit's basic runner prints its own
 * summary ("Run Summary: ... asserts ... failed"), which CI reads.
 */
#ifndef XCSIM_TESTUTIL_H
#define XCSIM_TESTUTIL_H

#include <CUnit/Basic.h>
#include <CUnit/CUnit.h>
#include <stdio.h>

struct test_case {
	const char *name;
	void (*fn)(void);
};

static inline int
test_main(int argc, char **argv, const char *suite_name,
    const struct test_case *cases)
{
	CU_pSuite suite;
	unsigned failed;

	(void)argc;
	(void)argv;
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	suite = CU_add_suite(suite_name, NULL, NULL);
	if (suite == NULL)
		return 2;
	for (; cases->name != NULL; cases++)
		if (CU_add_test(suite, cases->name, cases->fn) == NULL)
			return 2;
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failed = CU_get_number_of_failures() +
	    CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	return failed ? 1 : 0;
}

#endif
