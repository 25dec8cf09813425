/*
 * capture.h - pcap files of simulated frames.
 *
 * A capture owns one pcap file being written (nanosecond timestamps,
 * Ethernet link type) and a scratch buffer that it reuses for every frame.
 * The file is written under "path.tmp" (created by sim/outfile: never through
 * a symlink, never over an existing file) and appears under its final name
 * only when capture_close succeeds, so a reader never sees a half-written
 * capture.
 * This is the only module that touches libpcap for writing.
 */
#ifndef XCSIM_CAPTURE_H
#define XCSIM_CAPTURE_H

#include <stddef.h>

#include "units.h"

struct pkt;
struct capture;
struct outdir;

/* Start writing path.tmp. Returns NULL with a reason in err on failure. */
struct capture *capture_open(const char *path, char *err, size_t errlen);
/* The same for rel under an output directory (folders created as needed). */
struct capture *capture_open_at(struct outdir *d, const char *rel, char *err,
    size_t errlen);

/*
 * Append p as captured at simulated time t (>= 0), shown as t nanoseconds
 * after the Unix epoch. The frame is written whole: the real bytes, then the
 * virtual payload as zeros. p is borrowed.
 */
void capture_write(struct capture *c, sim_time t, const struct pkt *p);

/*
 * Flush, close and rename path.tmp to path. Frees c either way; returns 0, or
 * -1 with a reason in err (the temporary file is then removed).
 */
int capture_close(struct capture *c, char *err, size_t errlen);

/* Close and remove the temporary file, and free c. NULL is a no-op. */
void capture_abort(struct capture *c);

#endif
