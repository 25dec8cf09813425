/*
 * outfile.h - output files that never write, follow or replace anyone
 * else's file.
 *
 * An output directory (struct outdir) is opened once, by the path the user
 * gave, with O_NOFOLLOW: a symbolic link planted under the name of the
 * output directory is refused ("DIR/" follows it deliberately). Everything
 * beneath it is reached through directory descriptors opened with
 * O_NOFOLLOW, one component at a time, so a symlink planted in a shared
 * output directory (pcap -> ~) leads nowhere.
 *
 * A file (struct outfile) is written as NAME.tmp, created with
 * O_CREAT|O_EXCL|O_NOFOLLOW: neither a planted symlink nor a hard link to
 * someone's file is ever opened. A stale NAME.tmp (a run killed hard) is
 * unlinked first, which removes only that name.
 *
 * A run's outputs appear together or not at all: outfile_commit only marks
 * a file complete, and outdir_finish renames every complete file into place
 * in one quick burst of renameat calls (which the caller may shield from
 * signals), then writes the manifest .xcsim-outputs: the paths renamed, in
 * order, relative to the directory. The next run into the same directory
 * removes what the manifest lists and it did not write again, so outputs a
 * run no longer records never pass for its own. It removes only regular
 * files, reached without following a symlink, whose names the caller
 * accepts. Paths are relative, so the manifest does not depend on how the
 * directory was named, and the same run into two directories writes
 * identical manifests.
 *
 * Folders the outdir created are removed again (when empty) by
 * outdir_discard, so a failed run leaves no empty folders behind.
 *
 * The temporary files are kept in a list that outdir_unlink_temps walks
 * with async-signal-safe calls only, so a signal handler may remove them
 * before the process dies.
 */
#ifndef XCSIM_OUTFILE_H
#define XCSIM_OUTFILE_H

#include <stdbool.h>
#include <stddef.h>

struct outdir;
struct outfile;

/* The manifest's name in the output directory. */
#define OUTDIR_MANIFEST ".xcsim-outputs"

/*
 * Open the output directory path, creating it and its missing parents.
 * NULL with a reason in err if it cannot be created or opened, or if its
 * last component is a symbolic link.
 */
struct outdir *outdir_open(const char *path, char *err, size_t errlen);
/*
 * After a failed run, once its files are aborted: remove the folders the
 * outdir created (the output directory included) that are empty.
 */
void outdir_discard(struct outdir *d);
/* Close. Every outfile must be committed or aborted first. NULL is a no-op. */
void outdir_free(struct outdir *d);
const char *outdir_path(const struct outdir *d);

/*
 * Write the manifest of this run as a temporary file, rename every
 * complete file into place, remove what the previous manifest lists that
 * this run did not write, when may_remove(rel) accepts its name (NULL:
 * nothing), with the folders that leaves empty, and rename the manifest
 * into place last (or remove the previous one if nothing was written).
 * Returns 0, or -1 with a reason in err. On failure none of this run's
 * outputs stays: if the manifest cannot be written, nothing has changed;
 * if an output or the manifest cannot be renamed, the outputs renamed
 * already are removed (a previous file they replaced is gone with them),
 * the rest unlinked, and the previous manifest is left in place (files it
 * listed may have been removed by then). A manifest is opened without
 * blocking (a FIFO planted under its name cannot hold the run) and read
 * only if it is a regular file.
 */
int outdir_finish(struct outdir *d, bool (*may_remove)(const char *rel),
    char *err, size_t errlen);

/*
 * Have outdir_finish also honour an older manifest at rel, whose lines are
 * paths as the directory was spelled then: the last keep components of a
 * line are taken as the path relative to the directory, under the same
 * rules. outdir_finish then removes that manifest.
 */
void outdir_legacy_manifest(struct outdir *d, const char *rel, unsigned keep);

/*
 * Remove one regular file rel (never a symlink, never through one) and
 * then its folders up to the directory if they are empty. Returns 0 if it
 * was removed, -1 otherwise.
 */
int outdir_remove(struct outdir *d, const char *rel);

/*
 * Async-signal-safe: unlink every temporary file, complete or not, and
 * remove the folders created that are empty. Meant for a handler about to
 * end the process, while no folder is being created; d stays valid.
 */
void outdir_unlink_temps(struct outdir *d);

/*
 * Create rel.tmp under d (rel: '/'-separated names, none empty, "." or
 * ".."), creating missing folders. The new file's descriptor is stored in
 * *fdp; the caller owns it and closes it before outfile_commit. NULL with
 * a reason in err on failure.
 */
struct outfile *outfile_create(struct outdir *d, const char *rel, int *fdp,
    char *err, size_t errlen);
/*
 * The same for a single file path whose folder exists (the caller's path,
 * followed as given); the outfile owns a private outdir.
 */
struct outfile *outfile_create_path(const char *path, int *fdp, char *err,
    size_t errlen);
/* The temporary file's path, for messages. */
const char *outfile_tmp_path(const struct outfile *f);
/*
 * The file is complete (its descriptor closed). Under an outdir it is
 * renamed by outdir_finish and belongs to the outdir from now on; a file
 * from outfile_create_path is renamed now and freed, with -1 + err on
 * failure.
 */
int outfile_commit(struct outfile *f, char *err, size_t errlen);
/* Unlink rel.tmp and free f (not once committed). NULL is a no-op. */
void outfile_abort(struct outfile *f);

#endif
