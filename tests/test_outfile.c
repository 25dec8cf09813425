/*
 * test_outfile.c - output files never follow or replace what they did not
 * create; the manifest is read back without trust; a run's files appear
 * together; a signal handler can remove every temporary file.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outfile.h"
#include "testutil.h"

static char tmpdir[PATH_MAX];

static char *
at(const char *rel)
{
	static char buf[4][PATH_MAX + 256];
	static int k;

	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", tmpdir, rel);
	return buf[k];
}

static bool
exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

static void
put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(text, f);
	fclose(f);
}

static bool
holds(const char *path, const char *text)
{
	char *s = test_slurp(path, NULL);
	bool same = s != NULL && strcmp(s, text) == 0;

	free(s);
	return same;
}

/* Write text to rel under d and mark it complete. */
static int
write_rel(struct outdir *d, const char *rel, const char *text)
{
	char err[512];
	struct outfile *f;
	int fd;

	if ((f = outfile_create(d, rel, &fd, err, sizeof(err))) == NULL)
		return -1;
	CU_ASSERT_EQUAL(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return outfile_commit(f, err, sizeof(err));
}

static bool
any_name(const char *rel)
{
	(void)rel;
	return true;
}

static bool
only_pcap(const char *rel)
{
	return strncmp(rel, "pcap/", 5) == 0;
}

static void
test_planted_links_are_not_followed(void)
{
	char err[512];
	struct outdir *d;

	put(at("victim"), "precious");
	CU_ASSERT_EQUAL_FATAL(mkdir(at("o1"), 0755), 0);
	/* a symlink and a hard link planted under the temporary names */
	CU_ASSERT_EQUAL(symlink(at("victim"), at("o1/trace.xct.tmp")), 0);
	CU_ASSERT_EQUAL(link(at("victim"), at("o1/metrics.json.tmp")), 0);
	d = outdir_open(at("o1"), err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_EQUAL(write_rel(d, "trace.xct", "T"), 0);
	CU_ASSERT_EQUAL(write_rel(d, "metrics.json", "M"), 0);
	/* a symlink planted as the final name is replaced, not followed */
	CU_ASSERT_EQUAL(symlink(at("victim"), at("o1/metrics.csv")), 0);
	CU_ASSERT_EQUAL(write_rel(d, "metrics.csv", "C"), 0);
	CU_ASSERT_EQUAL(outdir_finish(d, any_name, err, sizeof(err)), 0);
	outdir_free(d);
	CU_ASSERT_TRUE(holds(at("victim"), "precious"));
	CU_ASSERT_TRUE(holds(at("o1/trace.xct"), "T"));
	CU_ASSERT_TRUE(holds(at("o1/metrics.json"), "M"));
	CU_ASSERT_TRUE(holds(at("o1/metrics.csv"), "C"));
	CU_ASSERT_TRUE(holds(at("o1/" OUTDIR_MANIFEST),
	    "trace.xct\nmetrics.json\nmetrics.csv\n"));
}

static void
test_symlinked_folders_lead_nowhere(void)
{
	char err[512];
	struct outdir *d;
	int fd;

	CU_ASSERT_EQUAL_FATAL(mkdir(at("o2"), 0755), 0);
	CU_ASSERT_EQUAL_FATAL(mkdir(at("elsewhere"), 0755), 0);
	CU_ASSERT_EQUAL(symlink(at("elsewhere"), at("o2/pcap")), 0);
	d = outdir_open(at("o2"), err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_PTR_NULL(outfile_create(d, "pcap/n/i.pcap", &fd, err,
	    sizeof(err)));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "not a folder"));
	CU_ASSERT_FALSE(exists(at("elsewhere/n")));
	/* names that climb out are refused */
	CU_ASSERT_PTR_NULL(outfile_create(d, "../x", &fd, err, sizeof(err)));
	CU_ASSERT_PTR_NULL(outfile_create(d, "a//b", &fd, err, sizeof(err)));
	CU_ASSERT_PTR_NULL(outfile_create(d, "/abs", &fd, err, sizeof(err)));
	outdir_free(d);
	CU_ASSERT_FALSE(exists(at("x.tmp")));

	/* the output directory itself: a symlink is refused unless "DIR/" */
	CU_ASSERT_EQUAL(symlink(at("elsewhere"), at("o2link")), 0);
	CU_ASSERT_PTR_NULL(outdir_open(at("o2link"), err, sizeof(err)));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "symbolic link"));
	d = outdir_open(at("o2link/"), err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL(d);
	outdir_free(d);
}

static void
test_manifest_is_not_trusted(void)
{
	char err[512];
	struct outdir *d;

	CU_ASSERT_EQUAL_FATAL(mkdir(at("o3"), 0755), 0);
	CU_ASSERT_EQUAL_FATAL(mkdir(at("o3/pcap"), 0755), 0);
	CU_ASSERT_EQUAL_FATAL(mkdir(at("o3/pcap/old"), 0755), 0);
	CU_ASSERT_EQUAL_FATAL(mkdir(at("o3/pcap-archive"), 0755), 0);
	CU_ASSERT_EQUAL_FATAL(mkdir(at("outside"), 0755), 0);
	put(at("o3/pcap/old/e.pcap"), "stale");
	put(at("o3/pcap-archive/e.pcap"), "kept");
	put(at("o3/notes.txt"), "mine");
	put(at("outside/e.pcap"), "outside");
	CU_ASSERT_EQUAL(symlink(at("outside"), at("o3/pcap/link")), 0);
	CU_ASSERT_EQUAL(symlink(at("outside/e.pcap"), at("o3/pcap/f.pcap")),
	    0);
	CU_ASSERT_EQUAL_FATAL(mkdir(at("o3/pcap/fifo"), 0755), 0);
	CU_ASSERT_EQUAL(mkfifo(at("o3/pcap/fifo/q.pcap"), 0644), 0);
	put(at("o3/" OUTDIR_MANIFEST), "pcap/old/e.pcap\npcap-archive/e.pcap\n"
	    "notes.txt\n../outside/e.pcap\npcap/link/e.pcap\npcap/f.pcap\n"
	    "pcap/fifo/q.pcap\n/etc/passwd\npcap/../notes.txt\n\n");
	d = outdir_open(at("./o3/"), err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_EQUAL(write_rel(d, "pcap/new/e.pcap", "new"), 0);
	CU_ASSERT_EQUAL(outdir_finish(d, only_pcap, err, sizeof(err)), 0);
	outdir_free(d);
	/* only the listed regular file under pcap/ went, with its folder */
	CU_ASSERT_FALSE(exists(at("o3/pcap/old/e.pcap")));
	CU_ASSERT_FALSE(exists(at("o3/pcap/old")));
	CU_ASSERT_TRUE(holds(at("o3/pcap-archive/e.pcap"), "kept"));
	CU_ASSERT_TRUE(holds(at("o3/notes.txt"), "mine"));
	CU_ASSERT_TRUE(holds(at("outside/e.pcap"), "outside"));
	CU_ASSERT_TRUE(exists(at("o3/pcap/link")));
	CU_ASSERT_TRUE(exists(at("o3/pcap/f.pcap")));	/* not regular */
	CU_ASSERT_TRUE(exists(at("o3/pcap/fifo/q.pcap")));
	CU_ASSERT_TRUE(holds(at("o3/" OUTDIR_MANIFEST), "pcap/new/e.pcap\n"));

	/* however the directory is spelled, the next run cleans up */
	d = outdir_open(at("o3"), err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_EQUAL(outdir_finish(d, only_pcap, err, sizeof(err)), 0);
	outdir_free(d);
	CU_ASSERT_FALSE(exists(at("o3/pcap/new")));
	CU_ASSERT_FALSE(exists(at("o3/" OUTDIR_MANIFEST)));
	CU_ASSERT_TRUE(exists(at("o3/pcap")));	/* still holds the rest */
}

static void
test_outputs_appear_together(void)
{
	char err[512];
	struct outdir *d;

	d = outdir_open(at("o4/deep"), err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_EQUAL(write_rel(d, "a", "A"), 0);
	CU_ASSERT_EQUAL(write_rel(d, "pcap/n/b.pcap", "B"), 0);
	/* complete, but not in place until the run commits */
	CU_ASSERT_FALSE(exists(at("o4/deep/a")));
	CU_ASSERT_TRUE(exists(at("o4/deep/a.tmp")));
	/* "c" cannot be renamed over a folder: nothing of the run stays */
	CU_ASSERT_EQUAL_FATAL(mkdir(at("o4/deep/c"), 0755), 0);
	CU_ASSERT_EQUAL(write_rel(d, "c", "C"), 0);
	CU_ASSERT_EQUAL(outdir_finish(d, any_name, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "c.tmp"));
	CU_ASSERT_FALSE(exists(at("o4/deep/a")));
	CU_ASSERT_FALSE(exists(at("o4/deep/pcap/n/b.pcap")));
	CU_ASSERT_FALSE(exists(at("o4/deep/c.tmp")));
	CU_ASSERT_FALSE(exists(at("o4/deep/" OUTDIR_MANIFEST)));
	outdir_discard(d);
	outdir_free(d);
	CU_ASSERT_FALSE(exists(at("o4/deep/pcap")));	/* created, empty */
	CU_ASSERT_TRUE(exists(at("o4/deep/c")));	/* not ours */
}

static void
test_signal_cleanup_and_failed_runs(void)
{
	char err[512];
	struct outdir *d;
	struct outfile *open_one;
	int fd;

	CU_ASSERT_EQUAL_FATAL(mkdir(at("o5"), 0755), 0);
	d = outdir_open(at("o5/out"), err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_EQUAL(write_rel(d, "pcap/n/done.pcap", "D"), 0);
	open_one = outfile_create(d, "pcap/m/open.pcap", &fd, err,
	    sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(open_one);
	CU_ASSERT_TRUE(exists(at("o5/out/pcap/m/open.pcap.tmp")));
	/* what a handler does before the process dies */
	outdir_unlink_temps(d);
	CU_ASSERT_FALSE(exists(at("o5/out/pcap/m/open.pcap.tmp")));
	CU_ASSERT_FALSE(exists(at("o5/out/pcap/n/done.pcap.tmp")));
	CU_ASSERT_FALSE(exists(at("o5/out")));	/* created, now empty */
	CU_ASSERT_TRUE(exists(at("o5")));	/* it was there before */
	close(fd);
	outfile_abort(open_one);
	outdir_discard(d);
	outdir_free(d);

	/* a failed run removes its files and the folders it made */
	CU_ASSERT_EQUAL_FATAL(mkdir(at("o6"), 0755), 0);
	d = outdir_open(at("o6"), err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	open_one = outfile_create(d, "pcap/m/open.pcap", &fd, err,
	    sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(open_one);
	close(fd);
	outfile_abort(open_one);
	outdir_discard(d);
	outdir_free(d);
	CU_ASSERT_FALSE(exists(at("o6/pcap")));
	CU_ASSERT_TRUE(exists(at("o6")));	/* it was there before */
}

static void
test_single_path(void)
{
	char err[512], path[PATH_MAX + 64];
	struct outfile *f;
	int fd;

	snprintf(path, sizeof(path), "%s/single.bin", tmpdir);
	CU_ASSERT_EQUAL(symlink(at("victim"), at("single.bin.tmp")), 0);
	f = outfile_create_path(path, &fd, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(write(fd, "S", 1), 1);
	close(fd);
	CU_ASSERT_EQUAL(outfile_commit(f, err, sizeof(err)), 0);
	CU_ASSERT_TRUE(holds(path, "S"));
	CU_ASSERT_TRUE(holds(at("victim"), "precious"));
	CU_ASSERT_PTR_NULL(outfile_create_path("/nonexistent-xcsim/x", &fd,
	    err, sizeof(err)));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "nonexistent-xcsim"));
}

/*
 * The manifest is written before the outputs are renamed and put in place
 * after them: a manifest that cannot be written changes nothing, one that
 * cannot be put in place takes the run's outputs away again. Failures come
 * from folders planted under the manifest's names.
 */
static void
test_manifest_failure_changes_nothing(void)
{
	char err[512];
	struct outdir *d;

	d = outdir_open(at("o8"), err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_EQUAL(write_rel(d, "a", "A1"), 0);
	CU_ASSERT_EQUAL(write_rel(d, "old", "O"), 0);
	CU_ASSERT_EQUAL(outdir_finish(d, any_name, err, sizeof(err)), 0);
	outdir_free(d);
	CU_ASSERT_TRUE(holds(at("o8/" OUTDIR_MANIFEST), "a\nold\n"));

	/* its temporary file cannot be created: the previous run stands */
	CU_ASSERT_EQUAL_FATAL(mkdir(at("o8/" OUTDIR_MANIFEST ".tmp"), 0755), 0);
	put(at("o8/" OUTDIR_MANIFEST ".tmp/x"), "x");
	d = outdir_open(at("o8"), err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_EQUAL(write_rel(d, "a", "A2"), 0);
	CU_ASSERT_EQUAL(outdir_finish(d, any_name, err, sizeof(err)), -1);
	outdir_free(d);
	CU_ASSERT_TRUE(holds(at("o8/a"), "A1"));
	CU_ASSERT_TRUE(holds(at("o8/old"), "O"));
	CU_ASSERT_FALSE(exists(at("o8/a.tmp")));
	CU_ASSERT_TRUE(holds(at("o8/" OUTDIR_MANIFEST), "a\nold\n"));
	CU_ASSERT_EQUAL(unlink(at("o8/" OUTDIR_MANIFEST ".tmp/x")), 0);
	CU_ASSERT_EQUAL(rmdir(at("o8/" OUTDIR_MANIFEST ".tmp")), 0);

	/* it cannot be renamed into place: none of the run's outputs stays */
	CU_ASSERT_EQUAL(unlink(at("o8/" OUTDIR_MANIFEST)), 0);
	CU_ASSERT_EQUAL_FATAL(mkdir(at("o8/" OUTDIR_MANIFEST), 0755), 0);
	put(at("o8/" OUTDIR_MANIFEST "/x"), "x");
	d = outdir_open(at("o8"), err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_EQUAL(write_rel(d, "a", "A3"), 0);
	CU_ASSERT_EQUAL(outdir_finish(d, any_name, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, OUTDIR_MANIFEST ".tmp"));
	outdir_free(d);
	CU_ASSERT_FALSE(exists(at("o8/a")));
	CU_ASSERT_FALSE(exists(at("o8/a.tmp")));
	CU_ASSERT_FALSE(exists(at("o8/" OUTDIR_MANIFEST ".tmp")));
	CU_ASSERT_TRUE(holds(at("o8/" OUTDIR_MANIFEST "/x"), "x"));
}

static const struct test_case cases[] = {
	{ "planted symlinks and hard links are never written through", test_planted_links_are_not_followed },
	{ "symlinked folders and climbing names lead nowhere", test_symlinked_folders_lead_nowhere },
	{ "the manifest removes only listed regular files under pcap/", test_manifest_is_not_trusted },
	{ "a run's outputs appear together or not at all", test_outputs_appear_together },
	{ "a signal handler and a failed run leave no temp file or empty folder", test_signal_cleanup_and_failed_runs },
	{ "a single path: same protections", test_single_path },
	{ "a manifest that cannot be written or put in place changes nothing", test_manifest_failure_changes_nothing },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	char cmd[PATH_MAX + 16];
	int rc;

	snprintf(tmpdir, sizeof(tmpdir), "/tmp/xcsim-outfile-XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return 2;
	rc = test_main(argc, argv, "outfile", cases);
	if (rc == 0) {
		snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
		if (system(cmd) != 0)
			return 1;
	}
	return rc;
}
