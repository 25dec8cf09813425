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
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

/*
 * Run a shell command (printf-style, stdout and stderr together); its exit
 * status (-1: killed by a signal), and as much of its output as fits in out
 * (NUL-terminated; out NULL: read and dropped).
 */
static inline int test_sh(char *out, size_t outlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static inline int
test_sh(char *out, size_t outlen, const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	FILE *p;
	size_t n;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	strncat(cmd, " 2>&1", sizeof(cmd) - strlen(cmd) - 1);
	p = popen(cmd, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	if (out != NULL && outlen > 0) {
		n = fread(out, 1, outlen - 1, p);
		out[n] = '\0';
	} else {
		char sink[4096];

		while (fread(sink, 1, sizeof(sink), p) > 0)
			;
	}
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The path exists (stat succeeds; a dangling symlink does not). */
static inline bool
test_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/*
 * The suite's private temporary folder, made from a mkdtemp template and
 * removed at exit whatever happens, an exit from inside a case included
 * (set XCSIM_KEEP_TMP to keep it for a look). Returns its path, or NULL if
 * it cannot be made.
 */
static inline char *
test_tmpdir_path(void)
{
	static char path[256];

	return path;
}

static inline void
test_tmpdir_remove(void)
{
	char *dir = test_tmpdir_path(), cmd[300];

	if (dir[0] == '\0')
		return;
	if (getenv("XCSIM_KEEP_TMP") != NULL) {
		fprintf(stderr, "kept %s\n", dir);
		return;
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	dir[0] = '\0';
}

static inline char *
test_tmpdir(const char *template)
{
	char *dir = test_tmpdir_path();

	snprintf(dir, 256, "%s", template);
	if (mkdtemp(dir) == NULL)
		return NULL;
	atexit(test_tmpdir_remove);
	return dir;
}

struct test_case {
	const char *name;
	void (*fn)(void);
};

/*
 * Read a whole file; the result is NUL-terminated (so text can be used as a
 * string) and the caller frees it. NULL if the file cannot be read.
 */
static inline char *
test_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0 ||
	    (buf = malloc((size_t)n + 1)) == NULL) {
		fclose(f);
		return NULL;
	}
	if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		fclose(f);
		return NULL;
	}
	buf[n] = '\0';
	fclose(f);
	if (len != NULL)
		*len = (size_t)n;
	return buf;
}

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
