/* test_util.c - byte order and terminal-safe text (sim/util.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"
#include "util.h"

static void
test_byte_order(void)
{
	uint8_t b[8];

	put_be16(b, 0x1234);
	CU_ASSERT(b[0] == 0x12 && b[1] == 0x34);
	CU_ASSERT_EQUAL(get_be16(b), 0x1234);
	put_be32(b, 0xdeadbeefu);
	CU_ASSERT(b[0] == 0xde && b[3] == 0xef);
	CU_ASSERT_EQUAL(get_be32(b), 0xdeadbeefu);
	put_be64(b, 0x0102030405060708ULL);
	CU_ASSERT(b[0] == 1 && b[7] == 8);
	CU_ASSERT_EQUAL(get_be64(b), 0x0102030405060708ULL);
	put_le64(b, 0x0102030405060708ULL);
	CU_ASSERT(b[0] == 8 && b[7] == 1);
	CU_ASSERT_EQUAL(get_le64(b), 0x0102030405060708ULL);
}

static void
test_escape(void)
{
	char buf[64], *mem;
	size_t len;
	FILE *f;

	/* An ANSI clear-screen written as a YAML escape must not reach a terminal raw. */
	CU_ASSERT_STRING_EQUAL(text_escape(buf, sizeof(buf), "\x1b[2Jx"),
	    "\\x1b[2Jx");
	CU_ASSERT_STRING_EQUAL(text_escape(buf, sizeof(buf), "a\tb\nc\x7f"),
	    "a\\tb\\nc\\x7f");
	/* C1 CSI (U+009B) in UTF-8; other UTF-8 passes as is. */
	CU_ASSERT_STRING_EQUAL(text_escape(buf, sizeof(buf), "\xc2\x9b" "2J \xc3\xa9"),
	    "\\x9b2J \xc3\xa9");
	/* Truncation never splits an escape and always terminates. */
	CU_ASSERT_STRING_EQUAL(text_escape(buf, 6, "ab\x01" "cd"), "ab");
	CU_ASSERT_STRING_EQUAL(text_escape(buf, 1, "abc"), "");

	f = open_memstream(&mem, &len);
	CU_ASSERT_FATAL(f != NULL);
	CU_ASSERT_EQUAL(fputs_escaped("n\x1b]0;t\x07", f), 0);
	fclose(f);
	CU_ASSERT_STRING_EQUAL(mem, "n\\x1b]0;t\\x07");
	free(mem);
}

/* Truncation keeps UTF-8 characters whole and says how far it got. */
static void
test_escape_utf8_truncation(void)
{
	char buf[8];

	/* "a" then two e-acutes (2 bytes each) */
	CU_ASSERT_EQUAL(text_escape_part(buf, 4, "a\xc3\xa9\xc3\xa9"), 3);
	CU_ASSERT_STRING_EQUAL(buf, "a\xc3\xa9");
	CU_ASSERT_EQUAL(text_escape_part(buf, 3, "a\xc3\xa9"), 1);
	CU_ASSERT_STRING_EQUAL(buf, "a");
	/* a 4-byte character fits whole or not at all */
	CU_ASSERT_EQUAL(text_escape_part(buf, 5, "\xf0\x9f\x98\x80!"), 4);
	CU_ASSERT_STRING_EQUAL(buf, "\xf0\x9f\x98\x80");
	CU_ASSERT_EQUAL(text_escape_part(buf, 4, "\xf0\x9f\x98\x80!"), 0);
	CU_ASSERT_STRING_EQUAL(buf, "");
	/* a stray continuation or a cut sequence is one byte, as before */
	CU_ASSERT_EQUAL(text_escape_part(buf, sizeof(buf), "\xa9\xc3x"), 3);
	CU_ASSERT_STRING_EQUAL(buf, "\xa9\xc3x");
	CU_ASSERT_EQUAL(text_escape_part(buf, sizeof(buf), "\x01"), 1);
	CU_ASSERT_STRING_EQUAL(buf, "\\x01");
}

static int hook_fd = -1;

static void
hook(void)
{
	(void)!write(hook_fd, "H", 1);
}

/* Run fn in a child with an atexit handler; its exit status, and the mark the handler left. */
static int
child_oom(void (*fn)(void), char *mark)
{
	int fds[2], st = 0;
	pid_t pid;

	*mark = 0;
	if (pipe(fds) != 0)
		return -1;
	fflush(NULL);
	if ((pid = fork()) == 0) {
		close(fds[0]);
		hook_fd = fds[1];
		atexit(hook);
		fn();
		_exit(0);
	}
	close(fds[1]);
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		st = -1;
	if (read(fds[0], mark, 1) != 1)
		*mark = 0;
	close(fds[0]);
	return st < 0 ? -1 : WEXITSTATUS(st);
}

static void
call_oom(void)
{
	xcsim_oom();
}

static void
huge_alloc(void)
{
	volatile size_t n = SIZE_MAX / 2;	/* no malloc can give it */

	free(xmalloc(n));
}

static void
test_oom_hook(void)
{
	char mark;

	CU_ASSERT_EQUAL(child_oom(call_oom, &mark), XCSIM_EXIT_OOM);
	CU_ASSERT_EQUAL(mark, 'H');
#if defined(__SANITIZE_ADDRESS__)
#define XCSIM_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define XCSIM_TEST_ASAN 1
#endif
#endif
#ifndef XCSIM_TEST_ASAN
	/* ASan reports a huge malloc instead of returning NULL */
	CU_ASSERT_EQUAL(child_oom(huge_alloc, &mark), XCSIM_EXIT_OOM);
	CU_ASSERT_EQUAL(mark, 'H');
#else
	(void)huge_alloc;
#endif
}

static const struct test_case cases[] = {
	{ "byte order helpers", test_byte_order },
	{ "control characters are escaped for a terminal", test_escape },
	{ "truncation keeps UTF-8 characters whole", test_escape_utf8_truncation },
	{ "out of memory exits 3 through the atexit handlers", test_oom_hook },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "util", cases);
}
