/*
 * fuzz_outputs.c - libFuzzer target for the output manifests a run reads
 * back: .xcsim-outputs, and once the legacy pcap/.xcsim-captures. Anyone
 * who can write the output directory can edit them, so whatever they say,
 * a run may remove only regular files with the names it writes (trace.xct,
 * metrics.json, metrics.csv, pcap/NODE/IFACE.pcap), inside the directory,
 * never through a symlink, and no folder but pcap ones it left empty.
 *
 * Input: one byte whose low four bits choose what this run writes (bit 0
 * the trace, 1 the metrics, 2 and 3 captures; the letters '@' to 'O' cover
 * every choice), then the manifest; a 0xff byte, if any, ends it and starts
 * the legacy manifest. "%R" in either stands for the temporary root, so a
 * corpus can spell absolute paths to the sentinels.
 *
 * Each input gets a fresh root (mkdtemp under $TMPDIR, else /tmp), removed
 * afterwards, with sentinels outside the output directory, user files,
 * planted symlinks and stale xcsim files inside it.
 * The outfile API is driven as scenario_run.c drives it, then the target
 * traps unless: every sentinel, user file, symlink and folder is intact;
 * an old xcsim file is gone exactly when a manifest lists it and this run
 * did not write it again, and otherwise holds its old content; this run's
 * files hold what it wrote, no temporary file is left, the new manifest
 * lists this run's files in order and the legacy one is gone.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define LEGACY		"pcap/.xcsim-captures"
#define MARKER		0xff

/* A regular file and what it holds. */
struct file {
	const char *rel;	/* relative to the root */
	const char *text;
};

/* Outside the output directory: nothing here may change. */
static const struct file sentinels[] = {
	{ "sent/keep.txt", "sentinel keep\n" },
	{ "sent/trace.xct", "sentinel trace\n" },
	{ "sent/metrics.json", "sentinel metrics\n" },
	{ "sent/i.pcap", "sentinel i.pcap\n" },
	{ "sent/eth0.pcap", "sentinel eth0.pcap\n" },
	{ "sent/hard.txt", "sentinel hard link\n" },
	{ "sent/pcap/n/i.pcap", "sentinel nested pcap\n" },
	{ "trace.xct", "sentinel beside out\n" },
	{ "metrics.csv", "sentinel beside out\n" },
};

/* Inside it, but not names xcsim writes. */
static const struct file user_files[] = {
	{ "out/notes.txt", "user notes\n" },
	{ "out/trace.xct.bak", "user backup\n" },
	{ "out/Metrics.json", "user case\n" },
	{ "out/sub/trace.xct", "user nested trace\n" },
	{ "out/pcap-archive/x.pcap", "user archive\n" },
	{ "out/pcap/x.pcap", "user shallow pcap\n" },
	{ "out/pcap/notes.txt", "user pcap notes\n" },
	{ "out/pcap/n/readme", "user readme\n" },
	{ "out/pcap/d/deep/x.pcap", "user deep pcap\n" },
	{ "out/pcap/q/w.pcap/f", "user file in a folder named like a capture\n" },
};

/*
 * Every folder, parents first. Those a run may remove hold only old
 * capture files, so they may be left empty; the others must stay.
 */
static const struct {
	const char *rel;
	bool keep;
} folders[] = {
	{ "sent", true }, { "sent/pcap", true }, { "sent/pcap/n", true },
	{ "out", true }, { "out/sub", true }, { "out/emptydir", true },
	{ "out/pcap-archive", true }, { "out/pcap", true },
	{ "out/pcap/n", true }, { "out/pcap/d", true },
	{ "out/pcap/d/deep", true }, { "out/pcap/q", true },
	{ "out/pcap/q/w.pcap", true }, { "out/pcap/empty", true },
	{ "out/pcap/a", false }, { "out/pcap/old", false },
	{ "out/pcap/m.pcap", false }, { "out/pcap/s", false },
};

/* Symlinks: name (relative to the root) and target. */
static const struct file symlinks[] = {
	{ "out/pcap/n/i.pcap", "../../../sent/i.pcap" },
	{ "out/pcap/ln", "../../sent" },	/* pcap/ln/i.pcap: a capture name */
	{ "out/lnk", "../sent" },
	{ "out/metrics.csv", "../sent/keep.txt" },
	{ "out/metrics.csv.tmp", "../sent/keep.txt" },
	{ "out/pcap/s/eth0.pcap.tmp", "../../../sent/eth0.pcap" },
};

/* Files an earlier run wrote: removable when listed. */
static const struct file old_files[] = {
	{ "trace.xct", "old trace\n" },
	{ "metrics.json", "old metrics\n" },
	{ "pcap/a/eth0.pcap", "old a/eth0\n" },
	{ "pcap/old/e.pcap", "old old/e\n" },
	{ "pcap/m.pcap/e.pcap", "old m.pcap/e\n" },
	{ "pcap/s/eth0.pcap", "old s/eth0\n" },
};

/*
 * What this run may write, in the runner's order of commits: metrics in
 * run_write, then the captures, then the trace. Bit b of the flags byte
 * chooses outputs with .bit == b.
 */
static const struct {
	const char *rel;
	unsigned bit;
} outputs[] = {
	{ "metrics.json", 1 },
	{ "metrics.csv", 1 },
	{ "pcap/a/eth0.pcap", 2 },
	{ "pcap/s/eth0.pcap", 2 },	/* over a planted .tmp symlink */
	{ "pcap/new/eth1.pcap", 3 },
	{ "trace.xct", 0 },
};
#define N_OUTPUTS	(sizeof(outputs) / sizeof(outputs[0]))

static char root[200];
static int root_fd = -1;

/* scenario_run.c's is_output_name (static there), the runner's may_remove. */
static bool
is_output_name(const char *rel)
{
	const char *p;
	size_t n;

	if (strcmp(rel, "trace.xct") == 0 || strcmp(rel, "metrics.json") == 0 ||
	    strcmp(rel, "metrics.csv") == 0)
		return true;
	/* pcap/NODE/IFACE.pcap */
	if (strncmp(rel, "pcap/", 5) != 0 || (p = strchr(rel + 5, '/')) ==
	    NULL || strchr(p + 1, '/') != NULL)
		return false;
	n = strlen(p + 1);
	return n > 5 && strcmp(p + 1 + n - 5, ".pcap") == 0;
}

static void
fail_in(const char *what, const char *dir, const char *rel)
{
	fprintf(stderr, "fuzz_outputs: %s: %s%s/%s\n", what, root, dir, rel);
	abort();
}

static void
fail(const char *what, const char *rel)
{
	fail_in(what, "", rel);
}

/* rel is relative to the output directory. */
static void
fail_out(const char *what, const char *rel)
{
	fail_in(what, "/out", rel);
}

static void
put(const char *rel, const void *text, size_t len)
{
	int fd;

	if ((fd = openat(root_fd, rel, O_WRONLY | O_CREAT | O_EXCL |
	    O_NOFOLLOW | O_CLOEXEC, 0644)) < 0 ||
	    write(fd, text, len) != (ssize_t)len || close(fd) != 0)
		fail("cannot write", rel);
}

/*
 * 1: rel is a file (not a symlink, not a folder) holding text; 0: it is
 * gone; -1: anything else.
 */
static int
holds(int dfd, const char *rel, const char *text)
{
	char buf[128];
	size_t len = strlen(text);
	ssize_t k;
	int fd;

	if ((fd = openat(dfd, rel, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return errno == ENOENT ? 0 : -1;
	k = read(fd, buf, sizeof(buf));	/* a folder fails: EISDIR */
	close(fd);
	return k == (ssize_t)len && memcmp(buf, text, len) == 0 ? 1 : -1;
}

static void
must_hold(int dfd, const char *rel, const char *text)
{
	if (holds(dfd, rel, text) != 1)
		fail_in("changed", dfd == root_fd ? "" : "/out", rel);
}

static bool
is_dir(int dfd, const char *rel)
{
	struct stat st;

	return fstatat(dfd, rel, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISDIR(st.st_mode);
}

static bool
absent(int dfd, const char *rel)
{
	struct stat st;

	return fstatat(dfd, rel, &st, AT_SYMLINK_NOFOLLOW) != 0 &&
	    errno == ENOENT;
}

/*
 * Does the manifest text (up to its first NUL, as the reader sees it) list
 * rel: a line equal to it, or for the legacy manifest a line whose last
 * three components are rel (only pcap/NODE/IFACE.pcap has three).
 */
static bool
lists(const char *text, const char *rel, bool legacy)
{
	const char *line, *end;
	size_t n = strlen(rel), len;

	for (line = text; *line != '\0'; line = *end ? end + 1 : end) {
		end = line + strcspn(line, "\n");
		len = (size_t)(end - line);
		if (!legacy && len == n && memcmp(line, rel, n) == 0)
			return true;
		if (legacy && strncmp(rel, "pcap/", 5) == 0 && len > n &&
		    line[len - n - 1] == '/' &&
		    memcmp(line + len - n, rel, n) == 0)
			return true;
	}
	return false;
}

/* The input bytes [p, e) with "%R" spelled as the root, NUL-terminated. */
static char *
expand(const uint8_t *p, const uint8_t *e, size_t *lenp)
{
	size_t rl = strlen(root), n = 0;
	char *buf = malloc((size_t)(e - p) * rl + 1);

	if (buf == NULL)
		abort();
	for (; p < e; p++)
		if (*p == '%' && p + 1 < e && p[1] == 'R') {
			memcpy(buf + n, root, rl);
			n += rl;
			p++;
		} else
			buf[n++] = (char)*p;
	buf[n] = '\0';
	*lenp = n;
	return buf;
}

static void
arrange(const char *manifest, size_t mlen, const char *legacy, size_t llen)
{
	char path[128];
	size_t i;

	for (i = 0; i < sizeof(folders) / sizeof(folders[0]); i++)
		if (mkdirat(root_fd, folders[i].rel, 0777) != 0)
			fail("cannot create", folders[i].rel);
	for (i = 0; i < sizeof(sentinels) / sizeof(sentinels[0]); i++)
		put(sentinels[i].rel, sentinels[i].text,
		    strlen(sentinels[i].text));
	for (i = 0; i < sizeof(user_files) / sizeof(user_files[0]); i++)
		put(user_files[i].rel, user_files[i].text,
		    strlen(user_files[i].text));
	for (i = 0; i < sizeof(old_files) / sizeof(old_files[0]); i++) {
		snprintf(path, sizeof(path), "out/%s", old_files[i].rel);
		put(path, old_files[i].text, strlen(old_files[i].text));
	}
	for (i = 0; i < sizeof(symlinks) / sizeof(symlinks[0]); i++) {
		if (symlinkat(symlinks[i].text, root_fd, symlinks[i].rel) != 0)
			fail("cannot link", symlinks[i].rel);
	}
	/* A stale temporary name that is a hard link to someone's file. */
	if (linkat(root_fd, "sent/hard.txt", root_fd, "out/metrics.json.tmp",
	    0) != 0)
		fail("cannot link", "out/metrics.json.tmp");
	put("out/" OUTDIR_MANIFEST, manifest, mlen);
	if (legacy != NULL)
		put("out/" LEGACY, legacy, llen);
}

/* The run: its outputs created in the runner's order, committed, finished. */
static void
run(unsigned flags)
{
	struct outfile *of[N_OUTPUTS];
	struct outdir *d;
	char path[256], err[512];
	size_t i, len;
	int fd;

	snprintf(path, sizeof(path), "%s/out", root);
	if ((d = outdir_open(path, err, sizeof(err))) == NULL)
		fail(err, "out");
	for (i = N_OUTPUTS; i-- > 0;) {		/* trace first, as run_new */
		of[i] = NULL;
		if (!(flags & 1u << outputs[i].bit))
			continue;
		if ((of[i] = outfile_create(d, outputs[i].rel, &fd, err,
		    sizeof(err))) == NULL)
			fail_out(err, outputs[i].rel);
		len = (size_t)snprintf(path, sizeof(path), "new %s\n",
		    outputs[i].rel);
		if (write(fd, path, len) != (ssize_t)len || close(fd) != 0)
			fail_out("cannot write", outputs[i].rel);
	}
	for (i = 0; i < N_OUTPUTS; i++)
		if (of[i] != NULL && outfile_commit(of[i], err,
		    sizeof(err)) < 0)
			fail_out(err, outputs[i].rel);
	/* As run_commit. */
	outdir_legacy_manifest(d, LEGACY, 3);
	if (outdir_finish(d, is_output_name, err, sizeof(err)) < 0)
		fail(err, "out");
	outdir_free(d);
}

static bool
written(unsigned flags, const char *rel)
{
	size_t i;

	for (i = 0; i < N_OUTPUTS; i++)
		if (strcmp(outputs[i].rel, rel) == 0)
			return (flags & 1u << outputs[i].bit) != 0;
	return false;
}

static void
check(unsigned flags, const char *manifest, const char *legacy)
{
	char buf[256], text[64];
	size_t i, n = 0;
	int out;

	for (i = 0; i < sizeof(sentinels) / sizeof(sentinels[0]); i++)
		must_hold(root_fd, sentinels[i].rel, sentinels[i].text);
	for (i = 0; i < sizeof(user_files) / sizeof(user_files[0]); i++)
		must_hold(root_fd, user_files[i].rel, user_files[i].text);
	for (i = 0; i < sizeof(folders) / sizeof(folders[0]); i++)
		if (folders[i].keep && !is_dir(root_fd, folders[i].rel))
			fail("folder gone", folders[i].rel);
	for (i = 0; i < sizeof(symlinks) / sizeof(symlinks[0]); i++) {
		ssize_t k;

		/* Replaced by this run's file, or still the same link. */
		if (strcmp(symlinks[i].rel, "out/metrics.csv") == 0 &&
		    written(flags, "metrics.csv"))
			continue;
		if (strcmp(symlinks[i].rel, "out/metrics.csv.tmp") == 0 &&
		    written(flags, "metrics.csv"))
			continue;
		if (strcmp(symlinks[i].rel, "out/pcap/s/eth0.pcap.tmp") == 0 &&
		    written(flags, "pcap/s/eth0.pcap"))
			continue;
		k = readlinkat(root_fd, symlinks[i].rel, buf, sizeof(buf));
		if (k != (ssize_t)strlen(symlinks[i].text) ||
		    memcmp(buf, symlinks[i].text, (size_t)k) != 0)
			fail("link changed", symlinks[i].rel);
	}
	if (!written(flags, "metrics.json"))
		must_hold(root_fd, "out/metrics.json.tmp",
		    "sentinel hard link\n");
	if ((out = openat(root_fd, "out", O_RDONLY | O_DIRECTORY |
	    O_NOFOLLOW | O_CLOEXEC)) < 0)
		fail("folder gone", "out");
	/* Old files: replaced, removed exactly when listed, or untouched. */
	for (i = 0; i < sizeof(old_files) / sizeof(old_files[0]); i++) {
		const char *rel = old_files[i].rel;

		if (written(flags, rel))
			continue;
		if (lists(manifest, rel, false) || (legacy != NULL &&
		    lists(legacy, rel, true))) {
			if (!absent(out, rel))
				fail_out("listed but kept", rel);
		} else if (holds(out, rel, old_files[i].text) != 1)
			fail_out("not listed but changed", rel);
	}
	/* This run's files, its manifest, no temporary file. */
	for (i = 0; i < N_OUTPUTS; i++) {
		if (!written(flags, outputs[i].rel))
			continue;
		snprintf(text, sizeof(text), "new %s\n", outputs[i].rel);
		must_hold(out, outputs[i].rel, text);
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s\n",
		    outputs[i].rel);
		snprintf(text, sizeof(text), "%s.tmp", outputs[i].rel);
		if (!absent(out, text))
			fail_out("temporary file left", text);
	}
	if (n > 0)
		must_hold(out, OUTDIR_MANIFEST, buf);
	else if (!absent(out, OUTDIR_MANIFEST))
		fail_out("manifest of nothing left", OUTDIR_MANIFEST);
	if (!absent(out, OUTDIR_MANIFEST ".tmp"))
		fail_out("temporary file left", OUTDIR_MANIFEST ".tmp");
	if (!absent(out, LEGACY))
		fail_out("legacy manifest left", LEGACY);
	close(out);
}

/* Remove the folder name under dfd and all it holds, following no symlink. */
static void
rm_tree(int dfd, const char *name)
{
	struct dirent *de;
	DIR *dir;
	int fd;

	if ((fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) < 0 || (dir = fdopendir(fd)) == NULL)
		abort();
	while ((de = readdir(dir)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		/* d_type may be DT_UNKNOWN: a failed unlink means a folder. */
		if (de->d_type != DT_DIR &&
		    unlinkat(dirfd(dir), de->d_name, 0) == 0)
			continue;
		rm_tree(dirfd(dir), de->d_name);
	}
	closedir(dir);
	if (unlinkat(dfd, name, AT_REMOVEDIR) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *mark;
	const char *tmp;
	char *manifest, *legacy = NULL;
	size_t mlen, llen = 0;
	unsigned flags;

	if (size < 1)
		return 0;
	flags = data[0] & 0x0f;
	data++;
	size--;
	/* $TMPDIR if set: on tmpfs an iteration is some ten times faster. */
	if ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0' ||
	    strlen(tmp) > 100)
		tmp = "/tmp";
	snprintf(root, sizeof(root), "%s/fuzz-outputs-XXXXXX", tmp);
	if (mkdtemp(root) == NULL || (root_fd = open(root, O_RDONLY |
	    O_DIRECTORY | O_CLOEXEC)) < 0)
		abort();
	mark = memchr(data, MARKER, size);
	manifest = expand(data, mark ? mark : data + size, &mlen);
	if (mark != NULL)
		legacy = expand(mark + 1, data + size, &llen);
	arrange(manifest, mlen, legacy, llen);
	run(flags);
	check(flags, manifest, legacy);
	free(manifest);
	free(legacy);
	rm_tree(AT_FDCWD, root);
	close(root_fd);
	return 0;
}
