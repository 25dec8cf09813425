/*
 * test_realtime_emulate.c - xcsim emulate's command (cli/cmd_emulate.c,
 * compiled in here so that a test section can attach a daemon to the run,
 * as an attachment will) around what the emulation started: a signal that
 * comes while the cleanup waits for a daemon to stop does not make a
 * complete run an interrupted one.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "emu_cleanup.h"
#include "scenario.h"
#include "scenario_models.h"
#include "scenario_section.h"
#include "testutil.h"

/* The command itself: its statics (signal handlers) stay private. */
#include "../cli/cmd_emulate.c"

struct daemon_item {
	char *name;
	struct sc_loc loc;
	struct sc_loc vloc[1];
	uint64_t keys[SC_KEYS_WORDS(1)];
};

static const struct sc_field daemon_fields[] = {
	{ "name", SC_FT_NAME, SC_AT(struct daemon_item, name), .required = true,
		.doc = "its name" },
};

static const struct sc_table daemon_table = {
	"test-daemon", "A daemon slow to stop.", daemon_fields,
	SC_NFIELDS(daemon_fields), sizeof(struct daemon_item),
	offsetof(struct daemon_item, loc), offsetof(struct daemon_item, vloc),
	offsetof(struct daemon_item, keys), -1
};

static int stopping_fd = -1;	/* the daemon says "stopping" here */

static void
slow_stop(int sig)
{
	struct timespec ts = { 0, 600 * 1000 * 1000 };

	(void)sig;
	if (write(stopping_fd, "s", 1) != 1)
		_exit(1);
	nanosleep(&ts, NULL);	/* a clean shutdown that takes its time */
	_exit(0);
}

static int
build_daemon(struct sc_build *b, const void *items, size_t n)
{
	const struct daemon_item *it = items;
	pid_t parent = getpid(), k;
	int p[2];
	char c;

	if (n == 0)
		return 0;
	if (b->cleanup == NULL)
		return sim_err(b->err, b->errlen, "test_daemon: needs emulate");
	if (pipe(p) < 0)
		return sim_err(b->err, b->errlen, "pipe: %s", strerror(errno));
	if ((k = fork()) < 0)
		return sim_err(b->err, b->errlen, "fork: %s", strerror(errno));
	if (k == 0) {
		emu_child_init(parent);
		signal(SIGTERM, slow_stop);
		if (write(p[1], "r", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	if (read(p[0], &c, 1) != 1)
		c = 0;
	close(p[0]);
	close(p[1]);
	emu_cleanup_add_child(b->cleanup, k, it[0].name);
	return 0;
}

static const struct sc_section daemon_section = {
	.name = "test_daemon", .doc = "a daemon slow to stop",
	.table = &daemon_table, .list = true, .phase = SC_PHASE_NET,
	.build = build_daemon,
};

static const char scenario_text[] =
    "name: slowstop\nduration: 200ms\n"
    "nodes:\n"
    "  - { name: a, role: host, interfaces: [ { name: e, address: 10.0.0.1/24 } ] }\n"
    "  - { name: b, role: host, interfaces: [ { name: e, address: 10.0.0.2/24 } ] }\n"
    "links:\n  - { name: l, a: \"a:e\", b: \"b:e\", rate: 1Gbps, delay: 1ms }\n"
    "apps:\n  - { name: p, type: ping, node: a, dst: b, interval: 20ms }\n"
    "test_daemon:\n  - { name: bgpd }\n";

/*
 * The run reaches its duration; the cleanup sends the daemon SIGTERM and
 * waits while it stops; a SIGTERM to xcsim then. The outputs are those of
 * a complete run (not marked interrupted, no "terminated at" message); the
 * exit status still says a signal came (143), as xcsim run's does for a
 * signal while it writes.
 */
static void
test_signal_during_cleanup_keeps_a_complete_run(void)
{
	char tmpl[] = "/tmp/xcsim-rtemu-XXXXXX", yaml[256], out[256],
	    errf[256], cmd[1024];
	int p[2], st, fd;
	pid_t x;
	char c, *err;
	FILE *f;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(tmpl));
	snprintf(yaml, sizeof(yaml), "%s/s.yaml", tmpl);
	snprintf(out, sizeof(out), "%s/out", tmpl);
	snprintf(errf, sizeof(errf), "%s/err", tmpl);
	f = fopen(yaml, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(scenario_text, f);
	fclose(f);
	CU_ASSERT_FATAL(pipe(p) == 0);
	x = fork();
	CU_ASSERT_FATAL(x >= 0);
	if (x == 0) {
		char *argv[] = { "emulate", yaml, "--out", out, "--quiet",
		    NULL };

		close(p[0]);
		stopping_fd = p[1];
		signal(SIGTERM, SIG_DFL);
		fd = open(errf, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || dup2(fd, 2) < 0)
			_exit(126);
		_exit(cmd_emulate(5, argv));
	}
	close(p[1]);
	/* the daemon got its SIGTERM from the cleanup: the run is over */
	CU_ASSERT_EQUAL_FATAL(read(p[0], &c, 1), 1);
	kill(x, SIGTERM);
	CU_ASSERT_EQUAL_FATAL(waitpid(x, &st, 0), x);
	close(p[0]);
	CU_ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 128 + SIGTERM);
	err = test_slurp(errf, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(err);
	CU_ASSERT_PTR_NULL(strstr(err, "terminated at"));
	free(err);
	snprintf(cmd, sizeof(cmd), "python3 -c 'import json,sys; "
	    "d=json.load(open(sys.argv[1])); assert not d.get(\"interrupted\"); "
	    "assert d[\"emulation\"][\"events\"] == d[\"events\"] > 0' "
	    "%s/metrics.json", out);
	CU_ASSERT_EQUAL(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "test -z \"$(find %s -name '*.tmp')\"",
	    out);
	CU_ASSERT_EQUAL(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpl);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

static const struct test_case cases[] = {
	{ "a signal during the cleanup keeps a complete run",
	    test_signal_during_cleanup_keeps_a_complete_run },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	int rc;

	scenario_models_init();
	if (scenario_register_section(&daemon_section) < 0)
		return 1;
	rc = test_main(argc, argv, "realtime_emulate", cases);
	scenario_unregister_section(&daemon_section);
	return rc;
}
