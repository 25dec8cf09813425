/*
 * test_scenario_input.c - the loader against input a new user or a hostile
 * file gives it: oversized input (a device, a pipe, a buffer), control
 * characters that must not reach a terminal, integers written in hex, and
 * the generated schema and reference telling the truth about times and
 * units.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "scenario.h"
#include "scenario_load.h"
#include "testutil.h"
#include "units.h"
#include "util.h"

static struct scenario *
load_named(const char *name, const char *text, size_t len, char **diag,
    unsigned *n_errors)
{
	size_t dlen = 0;
	FILE *d = open_memstream(diag, &dlen);
	struct scenario *sc;

	sc = scenario_load_buffer(name, text, len, d, n_errors);
	fclose(d);
	return sc;
}

static struct scenario *
load_file(const char *path, char **diag, unsigned *n_errors)
{
	size_t dlen = 0;
	FILE *d = open_memstream(diag, &dlen);
	struct scenario *sc;

	sc = scenario_load_file(path, d, n_errors);
	fclose(d);
	return sc;
}

/* /dev/zero never ends: the read stops at the limit with one error. */
static void
test_device_input_is_capped(void)
{
	char *diag = NULL;
	unsigned n_err = 0;
	struct scenario *sc = load_file("/dev/zero", &diag, &n_err);

	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT_EQUAL(n_err, 1);
	CU_ASSERT_STRING_EQUAL(diag, "/dev/zero: error: the file is larger "
	    "than 16 MiB, the most a scenario may be\n");
	free(diag);
}

/* A pipe (no size to ask for) with more than the limit behind it. */
static void
test_pipe_input_is_capped(void)
{
	int fd[2];
	pid_t pid;
	char path[64], *diag = NULL;
	unsigned n_err = 0;
	struct scenario *sc;

	CU_ASSERT_EQUAL_FATAL(pipe(fd), 0);
	pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		static char chunk[65536];
		size_t i;

		close(fd[0]);
		memset(chunk, '#', sizeof(chunk));
		for (i = 0; i < 300; i++)	/* ~19 MiB of comment */
			if (write(fd[1], chunk, sizeof(chunk)) < 0)
				break;
		_exit(0);
	}
	close(fd[1]);
	snprintf(path, sizeof(path), "/dev/fd/%d", fd[0]);
	sc = load_file(path, &diag, &n_err);
	close(fd[0]);
	{
		int status;

		while (waitpid(pid, &status, 0) < 0)
			;
	}
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT_EQUAL(n_err, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag, "the file is larger than 16 MiB"));
	free(diag);
}

/* A buffer past the limit is refused before it is parsed. */
static void
test_buffer_input_is_capped(void)
{
	size_t len = SC_INPUT_MAX + 1;
	char *text = malloc(len), *diag = NULL;
	unsigned n_err = 0;
	struct scenario *sc;

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	memset(text, '#', len);
	sc = load_named("big.yaml", text, len, &diag, &n_err);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT_EQUAL(n_err, 1);
	CU_ASSERT_STRING_EQUAL(diag, "big.yaml:1:1: error: the file is larger "
	    "than 16 MiB, the most a scenario may be\n");
	free(diag);
	free(text);
}

/*
 * "\e[2J" clears a terminal. Whatever part of a message comes from the
 * file (its name included), the escape reaches the terminal as text.
 */
static void
test_control_characters_are_escaped(void)
{
	static const char text[] =
	    "nodes:\n"
	    "  - { name: a, role: host, \"\\e[2J\": 1 }\n"
	    "  - { name: b, role: \"\\e]0;pwned\\a\" }\n"
	    "description: \"\\e[2J\"\n"
	    "seed: \"\\e[31m\"\n";
	char *diag = NULL;
	unsigned n_err = 0;
	struct scenario *sc = load_named("evil\033[2J.yaml", text,
	    strlen(text), &diag, &n_err);
	size_t i;

	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT_EQUAL(n_err, 3);
	for (i = 0; diag[i] != '\0'; i++)
		if ((unsigned char)diag[i] < 0x20 && diag[i] != '\n')
			break;
	CU_ASSERT_EQUAL(diag[i], '\0');
	CU_ASSERT_PTR_NOT_NULL(strstr(diag, "evil\\x1b[2J.yaml:2:28: error: "
	    "unknown key "));
	if (diag[i] != '\0')
		fprintf(stderr, "\n%s", diag);
	free(diag);
}

/* Integers in hex, as --seed takes them. */
static void
test_hex_integers(void)
{
	static const char text[] =
	    "seed: 0xdeadBEEF\n"
	    "duration: 1s\n"
	    "nodes:\n"
	    "  - { name: a, role: host, interfaces: [{ name: e, address: "
	    "10.0.0.1/24, vlan: 0x10 }] }\n"
	    "  - { name: b, role: host, interfaces: [{ name: e, address: "
	    "10.0.0.2/24, vlan: 0x10 }] }\n"
	    "links: [{ name: l, a: \"a:e\", b: \"b:e\" }]\n"
	    "apps: [{ type: ping, node: a, dst: b, count: 0x10 }]\n";
	static const char bad[] = "nodes: [{ name: a, role: host, interfaces: "
	    "[{ name: e, vlan: 0x1000 }] }]\nseed: 0x\n";
	char *diag = NULL;
	unsigned n_err = 99;
	struct scenario *sc = load_named("t.yaml", text, strlen(text), &diag,
	    &n_err);

	CU_ASSERT_EQUAL(n_err, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	CU_ASSERT_EQUAL(sc->seed, 0xdeadbeefULL);
	CU_ASSERT_EQUAL(sc->apps[0].count, 16);
	CU_ASSERT_EQUAL(sc->nodes[0].ifaces[0].vlan, 16);
	scenario_free(sc);
	free(diag);
	sc = load_named("t.yaml", bad, strlen(bad), &diag, &n_err);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT_EQUAL(n_err, 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag, "t.yaml:1:62: error: 'vlan' 0x1000 "
	    "is out of range (1..4094)\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(diag, "t.yaml:2:7: error: 'seed': "
	    "expected a whole number, got '0x'\n"));
	free(diag);
}

/* No negative times in the schema; every accepted unit documented. */
static void
test_schema_and_reference_tell_the_truth(void)
{
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&buf, &len);
	enum units_kind k;
	const char *u;

	scenario_write_schema(f);
	fclose(f);
	CU_ASSERT_PTR_NULL(strstr(buf, "\"^-"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"^[0-9]+(\\\\.[0-9]+)?"
	    "(ns|us|ms|s|m|h)$\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "Kbps"));
	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &len);
	scenario_write_reference(f);
	fclose(f);
	for (k = UNITS_TIME; k <= UNITS_SIZE; k++)
		for (i = 0; (u = units_name(k, i)) != NULL; i++) {
			char want[20];

			if (u[0] == '\0')
				continue;
			snprintf(want, sizeof(want), "`%s`", u);
			CU_ASSERT_PTR_NOT_NULL(strstr(buf, want));
		}
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "hexadecimal after `0x`"));
	free(buf);
}

static int oom_pipe = -1;

/* What the CLI's hook does: act without allocating. */
static void
oom_hook(void)
{
	(void)!write(oom_pipe, "H", 1);
}

/*
 * libyaml running out of memory is not bad input (exit 2): it takes
 * xmalloc's path, the OOM hook then exit XCSIM_EXIT_OOM. The parser's
 * state is made by hand, as libyaml leaves it when its malloc fails.
 */
static void
test_yaml_out_of_memory(void)
{
	struct sc_check ld = { .file = "t.yaml" };
	yaml_parser_t p;
	char *diag = NULL, got = 0;
	size_t dlen = 0;
	int fds[2], st = 0;
	pid_t pid;

	memset(&p, 0, sizeof(p));
	p.error = YAML_MEMORY_ERROR;
	CU_ASSERT_EQUAL_FATAL(pipe(fds), 0);
	fflush(NULL);
	pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		oom_pipe = fds[1];
		atexit(oom_hook);
		ld.diag = fopen("/dev/null", "w");
		sc_yaml_error(&ld, &p, "", 0);
		_exit(ld.n_errors == 1 ? 2 : 0);	/* reported as input */
	}
	close(fds[1]);
	CU_ASSERT_EQUAL(waitpid(pid, &st, 0), pid);
	CU_ASSERT_TRUE(WIFEXITED(st));
	CU_ASSERT_EQUAL(WEXITSTATUS(st), XCSIM_EXIT_OOM);
	CU_ASSERT_EQUAL(read(fds[0], &got, 1), 1);
	CU_ASSERT_EQUAL(got, 'H');
	close(fds[0]);

	/* any other failure is the input's, at its place */
	p.error = YAML_SCANNER_ERROR;
	p.problem = "found character that cannot start any token";
	p.problem_mark.line = 2;
	p.problem_mark.column = 4;
	ld.diag = open_memstream(&diag, &dlen);
	sc_yaml_error(&ld, &p, "", 0);
	CU_ASSERT_EQUAL(ld.n_errors, 1);
	ld_flush(&ld);
	fclose(ld.diag);
	CU_ASSERT_STRING_EQUAL(diag, "t.yaml:3:5: error: YAML syntax: found "
	    "character that cannot start any token\n");
	free(diag);
}

static const struct test_case cases[] = {
	{ "a device that never ends is capped", test_device_input_is_capped },
	{ "a pipe is capped", test_pipe_input_is_capped },
	{ "a buffer is capped", test_buffer_input_is_capped },
	{ "control characters are escaped in messages",
	    test_control_characters_are_escaped },
	{ "integers may be hex", test_hex_integers },
	{ "libyaml out of memory exits as out of memory",
	    test_yaml_out_of_memory },
	{ "schema and reference: no negative times, every unit",
	    test_schema_and_reference_tell_the_truth },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "scenario_input", cases);
}
