/*
 * outfile.c - output files created through directory descriptors, never
 * following a symlink, never opening an existing file; the manifest of
 * what a run wrote.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outfile.h"
#include "util.h"

#define MANIFEST_MAX (64u << 20)	/* larger is not ours: ignored */

struct outfile {
	struct outdir *d;
	struct outfile *_Atomic next;	/* read by outdir_unlink_temps */
	struct outfile *prev;
	char *rel;			/* NAME, relative to d */
	char *rel_tmp;			/* NAME.tmp */
	char *shown;			/* d's path/NAME.tmp, for messages */
	bool private_dir;		/* d belongs to this file */
	bool deferred;			/* renamed by outdir_finish */
	bool ready;			/* complete, waiting for it */
};

struct outdir {
	int fd;
	char *path;
	struct outfile *_Atomic live;	/* temporary files in progress */
	struct outfile **ready;		/* complete, in order, not renamed */
	size_t n_ready;
	char **done;			/* renamed into place, relative */
	size_t n_done;
	struct made_dir *_Atomic made;	/* folders created below fd, newest first */
	char **made_top;		/* the directory and parents, as named */
	size_t n_made_top;
	char *legacy;			/* an older manifest to honour, or NULL */
	unsigned legacy_keep;
};

/*
 * A folder a run created below its directory. A list published by one
 * atomic store, newest first (the order to remove them in), so that a
 * signal handler can walk it while the run adds to it (a growing array
 * could be freed under the handler by its realloc).
 */
struct made_dir {
	struct made_dir *next;
	char rel[];
};

static void
made_add(struct outdir *d, const char *rel, size_t len)
{
	struct made_dir *m = xmalloc(sizeof(*m) + len + 1);

	memcpy(m->rel, rel, len);
	m->rel[len] = '\0';
	m->next = atomic_load(&d->made);
	atomic_store(&d->made, m);	/* published complete */
}

static void
push(char ***v, size_t *n, const char *s, size_t len)
{
	char *c = xmalloc(len + 1);

	memcpy(c, s, len);
	c[len] = '\0';
	if ((*n & (*n - 1)) == 0)	/* 0, 1, 2, 4...: double */
		*v = xrealloc(*v, (*n ? *n * 2 : 1) * sizeof(**v));
	(*v)[(*n)++] = c;
}

static void
free_strv(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void outfile_abort_one(struct outfile *f);
static void undo_done(struct outdir *d);

/* Remove the complete files from ready[from] on, never renamed. */
static void
abort_ready(struct outdir *d, size_t from)
{
	size_t i;

	for (i = from; i < d->n_ready; i++)
		outfile_abort_one(d->ready[i]);
	d->n_ready = 0;
}

/* '/'-separated names, none empty, "." or "..", none longer than 255. */
static bool
valid_rel(const char *rel)
{
	const char *p = rel, *e;
	size_t n;

	if (*rel == '\0')
		return false;
	for (;;) {
		e = strchr(p, '/');
		n = e ? (size_t)(e - p) : strlen(p);
		if (n == 0 || n > 255 || (n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		if (e == NULL)
			return true;
		p = e + 1;
	}
}

/*
 * Open the folder that holds rel's last component, one component at a time
 * and never through a symlink, creating missing folders if create. Returns
 * its descriptor (the caller closes it) with *base pointing at the last
 * component, or -1 with errno set. Without create it makes only
 * async-signal-safe calls.
 */
static int
walk(struct outdir *d, const char *rel, bool create, const char **base)
{
	char comp[256];
	const char *p = rel, *slash;
	int fd, nfd, e, mkerr;
	size_t n;

	if ((fd = fcntl(d->fd, F_DUPFD_CLOEXEC, 0)) < 0)
		return -1;
	while ((slash = strchr(p, '/')) != NULL) {
		n = (size_t)(slash - p);
		if (n >= sizeof(comp)) {
			close(fd);
			errno = ENAMETOOLONG;
			return -1;
		}
		memcpy(comp, p, n);
		comp[n] = '\0';
		mkerr = 0;
		if (create) {
			if (mkdirat(fd, comp, 0777) == 0)
				made_add(d, rel, (size_t)(slash - rel));
			else if (errno != EEXIST)
				mkerr = errno;
		}
		nfd = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC);
		e = errno;
		close(fd);
		if (nfd < 0) {
			/* A folder that could not be made: say why (EACCES). */
			errno = e == ENOENT && mkerr != 0 ? mkerr : e;
			return -1;
		}
		fd = nfd;
		p = slash + 1;
	}
	*base = p;
	return fd;
}

static const char *
why(int e)
{
	if (e == ENOTDIR || e == ELOOP)
		return "not a folder (xcsim follows no symbolic link inside "
		    "its output directory)";
	return strerror(e);
}

static int
mkdir_p(struct outdir *d, const char *path, char *err, size_t errlen)
{
	char *buf = xstrdup(path);
	size_t i, n = strlen(buf);

	for (i = 1; i <= n; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		buf[i] = '\0';
		if (mkdir(buf, 0777) == 0)
			push(&d->made_top, &d->n_made_top, buf, i);
		else if (errno != EEXIST) {
			sim_err(err, errlen, "cannot create %s: %s", buf,
			    strerror(errno));
			free(buf);
			return -1;
		}
		buf[i] = i < n ? '/' : '\0';
	}
	free(buf);
	return 0;
}

static struct outdir *
outdir_new(const char *path, bool create, bool nofollow, char *err,
    size_t errlen)
{
	struct outdir *d = xcalloc(1, sizeof(*d));
	struct stat st;
	int e;

	d->fd = -1;
	d->path = xstrdup(path);
	if (*path == '\0') {
		sim_err(err, errlen, "empty output directory name");
		goto fail;
	}
	if (create && mkdir_p(d, path, err, errlen) < 0)
		goto fail;
	d->fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC |
	    (nofollow ? O_NOFOLLOW : 0));
	if (d->fd < 0) {
		e = errno;

		if (nofollow && lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
			sim_err(err, errlen, "%s is a symbolic link, which "
			    "xcsim does not follow (write '%s/' to follow it "
			    "deliberately)", path, path);
		else
			sim_err(err, errlen, "%s: %s", path, strerror(e));
		errno = e;
		goto fail;
	}
	return d;
fail:
	e = errno;
	outdir_discard(d);
	outdir_free(d);
	errno = e;
	return NULL;
}

struct outdir *
outdir_open(const char *path, char *err, size_t errlen)
{
	return outdir_new(path, true, true, err, errlen);
}

/* Async-signal-safe. */
static void
discard_folders(struct outdir *d)
{
	const struct made_dir *m;
	size_t i;

	for (m = atomic_load(&d->made); m != NULL && d->fd >= 0; m = m->next) {
		const char *base;
		int pfd = walk(d, m->rel, false, &base);

		if (pfd >= 0) {
			(void)unlinkat(pfd, base, AT_REMOVEDIR);
			close(pfd);
		}
	}
	for (i = d->n_made_top; i-- > 0;)
		(void)rmdir(d->made_top[i]);	/* only if empty */
}

void
outdir_discard(struct outdir *d)
{
	if (d == NULL)
		return;
	abort_ready(d, 0);
	discard_folders(d);
}

void
outdir_free(struct outdir *d)
{
	struct made_dir *m;

	if (d == NULL)
		return;
	abort_ready(d, 0);
	free(d->ready);
	SIM_ASSERT(atomic_load(&d->live) == NULL,
	    "output directory freed with files open");
	if (d->fd >= 0)
		close(d->fd);
	free(d->path);
	free_strv(d->done, d->n_done);
	while ((m = atomic_load(&d->made)) != NULL) {
		atomic_store(&d->made, m->next);
		free(m);
	}
	free_strv(d->made_top, d->n_made_top);
	free(d->legacy);
	free(d);
}

const char *
outdir_path(const struct outdir *d)
{
	return d->path;
}

void
outdir_unlink_temps(struct outdir *d)
{
	struct outfile *f;
	int saved = errno;

	for (f = atomic_load(&d->live); f != NULL; f = atomic_load(&f->next)) {
		const char *base;
		int pfd = walk(d, f->rel_tmp, false, &base);

		if (pfd >= 0) {
			(void)unlinkat(pfd, base, 0);
			close(pfd);
		}
	}
	discard_folders(d);
	errno = saved;
}

int
outdir_remove(struct outdir *d, const char *rel)
{
	struct stat st;
	const char *base;
	char *buf, *slash;
	int pfd;

	if (!valid_rel(rel) || (pfd = walk(d, rel, false, &base)) < 0)
		return -1;
	if (fstatat(pfd, base, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
	    !S_ISREG(st.st_mode) || unlinkat(pfd, base, 0) != 0) {
		close(pfd);
		return -1;
	}
	close(pfd);
	/* Its folders, deepest first, while they are empty. */
	buf = xstrdup(rel);
	while ((slash = strrchr(buf, '/')) != NULL) {
		int ok;

		*slash = '\0';
		if ((pfd = walk(d, buf, false, &base)) < 0)
			break;
		ok = unlinkat(pfd, base, AT_REMOVEDIR) == 0;
		close(pfd);
		if (!ok)
			break;
	}
	free(buf);
	return 0;
}

static void
list_add(struct outdir *d, struct outfile *f)
{
	struct outfile *head = atomic_load(&d->live);

	f->prev = NULL;
	atomic_store(&f->next, head);
	if (head != NULL)
		head->prev = f;
	atomic_store(&d->live, f);	/* published complete */
}

static void
list_remove(struct outfile *f)
{
	struct outfile *next = atomic_load(&f->next);

	if (f->prev != NULL)
		atomic_store(&f->prev->next, next);
	else
		atomic_store(&f->d->live, next);
	if (next != NULL)
		next->prev = f->prev;
}

static void
outfile_free(struct outfile *f)
{
	struct outdir *d = f->d;
	bool priv = f->private_dir;

	list_remove(f);
	free(f->rel);
	free(f->rel_tmp);
	free(f->shown);
	free(f);
	if (priv)
		outdir_free(d);
}

static struct outfile *
create(struct outdir *d, const char *rel, bool deferred, int *fdp, char *err,
    size_t errlen)
{
	struct outfile *f;
	const char *base;
	size_t n = strlen(rel);
	int pfd, fd;

	if (!valid_rel(rel)) {
		sim_err(err, errlen, "%s/%s: not a valid output name", d->path,
		    rel);
		return NULL;
	}
	f = xcalloc(1, sizeof(*f));
	f->d = d;
	f->deferred = deferred;
	f->rel = xstrdup(rel);
	f->rel_tmp = xmalloc(n + sizeof(".tmp"));
	memcpy(f->rel_tmp, rel, n);
	memcpy(f->rel_tmp + n, ".tmp", sizeof(".tmp"));
	f->shown = xmalloc(strlen(d->path) + n + sizeof("/.tmp"));
	sprintf(f->shown, "%s/%s", d->path, f->rel_tmp);
	if ((pfd = walk(d, f->rel_tmp, true, &base)) < 0) {
		sim_err(err, errlen, "%s: %s", f->shown, why(errno));
		goto fail;
	}
	/*
	 * Listed before it exists: a signal between creating the file and
	 * listing it would leave a temporary file that the handler's
	 * outdir_unlink_temps does not know of (unlinking a name not yet
	 * created is harmless).
	 */
	list_add(d, f);
	fd = openat(pfd, base, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0644);
	if (fd < 0 && errno == EEXIST) {
		struct stat st;

		/*
		 * A stale temporary file, or a name planted to catch us:
		 * unlinking the name touches no file's content.
		 */
		if (fstatat(pfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    !S_ISDIR(st.st_mode) && unlinkat(pfd, base, 0) == 0)
			fd = openat(pfd, base, O_RDWR | O_CREAT | O_EXCL |
			    O_NOFOLLOW | O_CLOEXEC, 0644);
		else
			errno = EEXIST;
	}
	if (fd < 0) {
		sim_err(err, errlen, "%s: %s", f->shown, strerror(errno));
		close(pfd);
		list_remove(f);
		goto fail;
	}
	close(pfd);
	*fdp = fd;
	return f;
fail:
	free(f->rel);
	free(f->rel_tmp);
	free(f->shown);
	free(f);
	return NULL;
}

struct outfile *
outfile_create(struct outdir *d, const char *rel, int *fdp, char *err,
    size_t errlen)
{
	return create(d, rel, true, fdp, err, errlen);
}

struct outfile *
outfile_create_path(const char *path, int *fdp, char *err, size_t errlen)
{
	const char *slash = strrchr(path, '/');
	struct outdir *d;
	struct outfile *f;
	char *dir;

	if (slash == NULL)
		dir = xstrdup(".");
	else if (slash == path)
		dir = xstrdup("/");
	else {
		dir = xmalloc((size_t)(slash - path) + 1);
		memcpy(dir, path, (size_t)(slash - path));
		dir[slash - path] = '\0';
	}
	d = outdir_new(dir, false, false, NULL, 0);
	free(dir);
	if (d == NULL) {
		sim_err(err, errlen, "%s.tmp: %s", path, strerror(errno));
		return NULL;
	}
	if ((f = create(d, slash ? slash + 1 : path, false, fdp, err,
	    errlen)) == NULL) {
		outdir_free(d);
		return NULL;
	}
	free(f->shown);				/* as the caller named it */
	f->shown = xmalloc(strlen(path) + sizeof(".tmp"));
	sprintf(f->shown, "%s.tmp", path);
	f->private_dir = true;
	return f;
}

const char *
outfile_tmp_path(const struct outfile *f)
{
	return f->shown;
}

/* Rename f into place and free it; on failure remove its temporary file. */
static int
rename_into_place(struct outfile *f, char *err, size_t errlen)
{
	const char *base, *tbase;
	int pfd, rc = 0;

	if ((pfd = walk(f->d, f->rel_tmp, false, &tbase)) < 0) {
		sim_err(err, errlen, "%s: %s", f->shown, why(errno));
		rc = -1;
	} else {
		base = strrchr(f->rel, '/');
		base = base ? base + 1 : f->rel;
		if (renameat(pfd, tbase, pfd, base) != 0) {
			sim_err(err, errlen, "%s: cannot rename to %.*s: %s",
			    f->shown, (int)(strlen(f->shown) - 4), f->shown,
			    strerror(errno));
			(void)unlinkat(pfd, tbase, 0);
			rc = -1;
		}
		close(pfd);
	}
	if (rc == 0 && f->deferred)
		push(&f->d->done, &f->d->n_done, f->rel, strlen(f->rel));
	outfile_free(f);
	return rc;
}

int
outfile_commit(struct outfile *f, char *err, size_t errlen)
{
	struct outdir *d = f->d;

	if (!f->deferred)
		return rename_into_place(f, err, errlen);
	f->ready = true;
	if ((d->n_ready & (d->n_ready - 1)) == 0)
		d->ready = xrealloc(d->ready, (d->n_ready ? d->n_ready * 2 :
		    1) * sizeof(*d->ready));
	d->ready[d->n_ready++] = f;
	return 0;
}

static void
outfile_abort_one(struct outfile *f)
{
	const char *base;
	int pfd;

	if ((pfd = walk(f->d, f->rel_tmp, false, &base)) >= 0) {
		(void)unlinkat(pfd, base, 0);
		close(pfd);
	}
	outfile_free(f);
}

void
outfile_abort(struct outfile *f)
{
	if (f == NULL)
		return;
	SIM_ASSERT(!f->ready, "aborting a committed file");
	outfile_abort_one(f);
}

/* A failed finish: remove what was renamed into place already. */
static void
undo_done(struct outdir *d)
{
	size_t i;

	for (i = 0; i < d->n_done; i++)
		(void)outdir_remove(d, d->done[i]);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A manifest's text, NUL-terminated; NULL if there is none. */
static char *
read_manifest(struct outdir *d, const char *rel)
{
	struct stat st;
	const char *base;
	char *buf;
	size_t got = 0;
	ssize_t k;
	int fd, pfd;

	if ((pfd = walk(d, rel, false, &base)) < 0)
		return NULL;
	/*
	 * O_NONBLOCK: a FIFO planted under the name would block the open
	 * (with the signals shielded) until a writer came. A regular file
	 * reads the same with it.
	 */
	fd = openat(pfd, base, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	close(pfd);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > (off_t)MANIFEST_MAX) {
		close(fd);
		return NULL;
	}
	buf = xmalloc((size_t)st.st_size + 1);
	while (got < (size_t)st.st_size) {
		k = read(fd, buf + got, (size_t)st.st_size - got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		got += (size_t)k;
	}
	close(fd);
	buf[got] = '\0';
	return buf;
}

/*
 * Remove what a manifest lists and this run did not write. A legacy line
 * is a path as the directory was spelled then: its last keep components
 * are the path relative to the directory (keep 0: the line is relative).
 */
static void
remove_listed(struct outdir *d, const char *rel, unsigned keep,
    char *const *sorted, bool (*may_remove)(const char *rel))
{
	char *old, *line, *next, *p;
	unsigned k;

	if ((old = read_manifest(d, rel)) == NULL)
		return;
	for (line = old; *line != '\0'; line = next) {
		next = line + strcspn(line, "\n");
		if (*next == '\n')
			*next++ = '\0';
		for (p = line + strlen(line), k = 0; keep > 0 && p > line;)
			if (*--p == '/' && ++k == keep) {
				line = p + 1;
				break;
			}
		if ((keep == 0 || k == keep) && bsearch(&line, sorted,
		    d->n_done, sizeof(*sorted), cmp_str) == NULL &&
		    valid_rel(line) && may_remove(line))
			(void)outdir_remove(d, line);
	}
	free(old);
}

void
outdir_legacy_manifest(struct outdir *d, const char *rel, unsigned keep)
{
	free(d->legacy);
	d->legacy = xstrdup(rel);
	d->legacy_keep = keep;
}

/*
 * The manifest of what d->done and d->ready will hold once renamed, as a
 * temporary file (not renamed yet); NULL with err set if it cannot be
 * written.
 */
static struct outfile *
manifest_write(struct outdir *d, char *err, size_t errlen)
{
	struct outfile *f;
	size_t i;
	FILE *fp;
	int fd;

	if ((f = create(d, OUTDIR_MANIFEST, false, &fd, err, errlen)) == NULL)
		return NULL;
	if ((fp = fdopen(fd, "w")) == NULL) {
		sim_err(err, errlen, "%s: %s", f->shown, strerror(errno));
		close(fd);
		outfile_abort(f);
		return NULL;
	}
	for (i = 0; i < d->n_done; i++)
		fprintf(fp, "%s\n", d->done[i]);
	for (i = 0; i < d->n_ready; i++)
		fprintf(fp, "%s\n", d->ready[i]->rel);
	if (ferror(fp) | (fclose(fp) != 0)) {
		sim_err(err, errlen, "%s: write failed", f->shown);
		outfile_abort(f);
		return NULL;
	}
	return f;
}

int
outdir_finish(struct outdir *d, bool (*may_remove)(const char *rel),
    char *err, size_t errlen)
{
	struct outfile *mf = NULL;
	char **sorted;
	size_t i;

	/*
	 * The manifest first, as a temporary file: if it cannot be written,
	 * nothing has changed yet. It is renamed last, so the directory never
	 * holds this run's outputs under the previous run's manifest.
	 */
	if (d->n_done + d->n_ready > 0 &&
	    (mf = manifest_write(d, err, errlen)) == NULL) {
		abort_ready(d, 0);
		return -1;
	}
	/* Every complete file into place at once, or none. */
	for (i = 0; i < d->n_ready; i++)
		if (rename_into_place(d->ready[i], err, errlen) < 0) {
			abort_ready(d, i + 1);
			outfile_abort(mf);
			undo_done(d);
			return -1;
		}
	d->n_ready = 0;
	sorted = xmalloc((d->n_done + 1) * sizeof(*sorted));
	if (d->n_done > 0)
		memcpy(sorted, d->done, d->n_done * sizeof(*sorted));
	qsort(sorted, d->n_done, sizeof(*sorted), cmp_str);
	if (may_remove != NULL) {
		remove_listed(d, OUTDIR_MANIFEST, 0, sorted, may_remove);
		if (d->legacy != NULL) {
			remove_listed(d, d->legacy, d->legacy_keep, sorted,
			    may_remove);
			(void)outdir_remove(d, d->legacy);
		}
	}
	free(sorted);
	if (mf == NULL) {
		(void)unlinkat(d->fd, OUTDIR_MANIFEST, 0);
		return 0;
	}
	/*
	 * The manifest cannot be put in place: take this run's outputs away
	 * again (as when one of them cannot be), so none stands unlisted.
	 */
	if (rename_into_place(mf, err, errlen) < 0) {
		undo_done(d);
		return -1;
	}
	return 0;
}
