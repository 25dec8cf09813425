/* test_util.c - byte order and terminal-safe text (sim/util.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static const struct test_case cases[] = {
	{ "byte order helpers", test_byte_order },
	{ "control characters are escaped for a terminal", test_escape },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "util", cases);
}
