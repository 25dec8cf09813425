/* test_units.c - times, rates and sizes with units, exact to the unit. */
#include <string.h>

#include "testutil.h"
#include "units.h"

static void
test_parse_time(void)
{
	static const struct {
		const char *text;
		int neg_ok;
		int ok;
		sim_time want;
	} rows[] = {
		{ "250ns", 0, 1, 250 },
		{ "40us", 0, 1, 40000 },
		{ "1.5ms", 0, 1, 1500000 },
		{ "1.1ms", 0, 1, 1100000 },	/* exact, no binary fraction */
		{ "2s", 0, 1, SIM_S(2) },
		{ "0.000000001s", 0, 1, 1 },
		{ "5m", 0, 1, SIM_S(300) },
		{ "1h", 0, 1, SIM_S(3600) },
		{ "2562047h", 0, 1, SIM_S(3600) * 2562047 },
		{ "0s", 0, 1, 0 },
		{ "-3ms", 1, 1, -SIM_MS(3) },
		{ "-3ms", 0, 0, 0 },		/* negative not allowed here */
		{ "1.5ns", 0, 0, 0 },		/* not whole nanoseconds */
		{ "10", 0, 0, 0 },		/* unit required */
		{ "10 s", 0, 0, 0 },
		{ "10sec", 0, 0, 0 },
		{ "ms", 0, 0, 0 },
		{ "", 0, 0, 0 },
		{ "1e3s", 0, 0, 0 },
		{ "99999999999999999999s", 0, 0, 0 },	/* overflow */
		{ "2562048h", 0, 0, 0 },	/* > INT64_MAX ns */
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		sim_time t = -42;
		char err[128] = "";
		int rc = units_parse_time(rows[i].text, rows[i].neg_ok, &t, err,
		    sizeof(err));

		if ((rc == 0) != rows[i].ok || (rc == 0 && t != rows[i].want))
			fprintf(stderr, "row %zu '%s': rc %d t %lld err %s\n",
			    i, rows[i].text, rc, (long long)t, err);
		CU_ASSERT_EQUAL(rc == 0, rows[i].ok);
		if (rows[i].ok) {
			CU_ASSERT_EQUAL(t, rows[i].want);
		} else {
			CU_ASSERT_TRUE(err[0] != '\0');
		}
	}
}

static void
test_parse_rate_and_bytes(void)
{
	uint64_t v;
	char err[128];

	CU_ASSERT_EQUAL(units_parse_rate("1Gbps", &v, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(v, 1000000000ULL);
	CU_ASSERT_EQUAL(units_parse_rate("2.5Gbps", &v, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(v, 2500000000ULL);
	CU_ASSERT_EQUAL(units_parse_rate("500Mbps", &v, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(v, 500000000ULL);
	CU_ASSERT_EQUAL(units_parse_rate("64kbps", &v, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(v, 64000ULL);
	CU_ASSERT_EQUAL(units_parse_rate("100", &v, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "Gbps"));	/* lists the units */
	CU_ASSERT_EQUAL(units_parse_rate("1GBps", &v, err, sizeof(err)), -1);
	CU_ASSERT_EQUAL(units_parse_bytes("1500", &v, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(v, 1500ULL);
	CU_ASSERT_EQUAL(units_parse_bytes("64KB", &v, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(v, 64000ULL);
	CU_ASSERT_EQUAL(units_parse_bytes("2KiB", &v, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(v, 2048ULL);
	CU_ASSERT_EQUAL(units_parse_bytes("1.5MiB", &v, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(v, 1572864ULL);
	CU_ASSERT_EQUAL(units_parse_bytes("1.5B", &v, err, sizeof(err)), -1);
}

static void
test_format(void)
{
	static const struct {
		sim_time t;
		const char *want;
	} rows[] = {
		{ 0, "0s" }, { 250, "250ns" }, { 1500000, "1.5ms" },
		{ SIM_S(2), "2s" }, { 1432328, "1.432328ms" },
		{ SIM_S(300), "300s" }, { -SIM_US(40), "-40us" },
		{ 1000000001, "1.000000001s" },
	};
	char buf[64];
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		units_fmt_time(buf, sizeof(buf), rows[i].t);
		if (strcmp(buf, rows[i].want) != 0)
			fprintf(stderr, "%lld -> %s\n", (long long)rows[i].t,
			    buf);
		CU_ASSERT_STRING_EQUAL(buf, rows[i].want);
	}
	CU_ASSERT_STRING_EQUAL(units_fmt_rate(buf, sizeof(buf), 1000000000ULL),
	    "1Gbps");
	CU_ASSERT_STRING_EQUAL(units_fmt_rate(buf, sizeof(buf), 2500000000ULL),
	    "2.5Gbps");
	/* formatting then parsing gives the value back */
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		sim_time t;

		units_fmt_time(buf, sizeof(buf), rows[i].t);
		CU_ASSERT_EQUAL(units_parse_time(buf, 1, &t, NULL, 0), 0);
		CU_ASSERT_EQUAL(t, rows[i].t);
	}
}

static void
test_tx_time(void)
{
	CU_ASSERT_EQUAL(units_tx_time(1500, 1000000000ULL), 12000);
	CU_ASSERT_EQUAL(units_tx_time(1500, 10000000000ULL), 1200);
	CU_ASSERT_EQUAL(units_tx_time(1, 3), 2666666667LL);	/* rounds up */
	CU_ASSERT_EQUAL(units_tx_time(0, 1000), 0);
	/* 1 TB at 1 Tbit/s: 8 s exactly, no overflow */
	CU_ASSERT_EQUAL(units_tx_time(1000000000000ULL, 1000000000000ULL),
	    SIM_S(8));
	CU_ASSERT_EQUAL(units_tx_time(100, 0), SIM_TIME_MAX);
}

/* Mistakes a user makes get a reason that says what to do instead. */
static void
test_error_hints(void)
{
	static const struct {
		const char *text;
		const char *hint;
	} rows[] = {
		{ "1e30s", "scientific notation is not supported" },
		{ "2.5E-3s", "scientific notation is not supported" },
		{ "10 ms", "remove the space between the number and the unit "
		    "('10ms')" },
		{ "1.5\tus", "remove the space between the number and the unit "
		    "('1.5us')" },
		{ "10sec", "time unit 'sec' unknown; use ns, us, ms, s, m, h" },
		{ "10 ", "time unit ' ' unknown" },
	};
	uint64_t v;
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		sim_time t;
		char err[160] = "";

		CU_ASSERT_EQUAL(units_parse_time(rows[i].text, 0, &t, err,
		    sizeof(err)), -1);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, rows[i].hint));
		if (strstr(err, rows[i].hint) == NULL)
			fprintf(stderr, "\n  '%s': %s\n", rows[i].text, err);
	}
	{
		char err[160] = "";

		CU_ASSERT_EQUAL(units_parse_rate("1e9bps", &v, err,
		    sizeof(err)), -1);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, "scientific notation"));
		CU_ASSERT_EQUAL(units_parse_bytes("64 KiB", &v, err,
		    sizeof(err)), -1);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, "('64KiB')"));
	}
}

/* Every unit the parsers accept is listed (the reference prints them). */
static void
test_unit_names(void)
{
	static const struct {
		enum units_kind k;
		const char *text;
	} rows[] = {
		{ UNITS_TIME, "ns us ms s m h" },
		{ UNITS_RATE, "bps kbps Kbps Mbps Gbps Tbps" },
		{ UNITS_SIZE, " B KB MB GB KiB MiB GiB" },
	};
	size_t i, j;

	for (i = 0; i < 3; i++) {
		char buf[100] = "", num[40];
		const char *u;
		uint64_t v;
		sim_time t;

		for (j = 0; (u = units_name(rows[i].k, j)) != NULL; j++) {
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf),
			    "%s%s", j ? " " : "", u);
			snprintf(num, sizeof(num), "2%s", u);
			CU_ASSERT_EQUAL(rows[i].k == UNITS_TIME ?
			    units_parse_time(num, 0, &t, NULL, 0) :
			    rows[i].k == UNITS_RATE ?
			    units_parse_rate(num, &v, NULL, 0) :
			    units_parse_bytes(num, &v, NULL, 0), 0);
		}
		CU_ASSERT_STRING_EQUAL(buf, rows[i].text);
	}
}

static void
test_parse_uint(void)
{
	uint64_t v = 99;

	CU_ASSERT(units_parse_uint("0", &v) && v == 0);
	CU_ASSERT(units_parse_uint("010", &v) && v == 10);	/* never octal */
	CU_ASSERT(units_parse_uint("0x10", &v) && v == 16);
	CU_ASSERT(units_parse_uint("0XfF", &v) && v == 255);
	CU_ASSERT(units_parse_uint("18446744073709551615", &v) &&
	    v == UINT64_MAX);
	CU_ASSERT_FALSE(units_parse_uint("18446744073709551616", &v));
	CU_ASSERT_FALSE(units_parse_uint("0x", &v));
	CU_ASSERT_FALSE(units_parse_uint("", &v));
	CU_ASSERT_FALSE(units_parse_uint("-1", &v));
	CU_ASSERT_FALSE(units_parse_uint("+1", &v));
	CU_ASSERT_FALSE(units_parse_uint(" 1", &v));
	CU_ASSERT_FALSE(units_parse_uint("1e3", &v));
	CU_ASSERT_FALSE(units_parse_uint("0x1g", &v));
}

static const struct test_case cases[] = {
	{ "counts: decimal or 0x hexadecimal, never octal", test_parse_uint },
	{ "mistakes get hints: scientific notation, a space", test_error_hints },
	{ "every accepted unit is listed", test_unit_names },
	{ "times with units parse exactly or fail with a reason", test_parse_time },
	{ "rates and sizes", test_parse_rate_and_bytes },
	{ "formatting is exact and parses back", test_format },
	{ "serialisation time rounds up without overflow", test_tx_time },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "units", cases);
}
