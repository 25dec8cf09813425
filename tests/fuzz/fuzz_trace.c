/*
 * fuzz_trace.c - libFuzzer target for the trace reader: viz and
 * `xcsim trace dump` open trace files from anywhere, so every byte sequence
 * must give records or a clean error, never a crash or an endless loop.
 *
 * The input is written to a file (the reader takes a path), read through to
 * the end, rendered as JSON, then read again after seeks to a time taken
 * from the first record, to the middle and to the end: seeks serve keyframe
 * chains (keyed deltas of the bases, then the keyframe), so a corrupt base
 * offset or a cycle must end in an error too. A read that stops at the cut
 * of a truncated trace must say so only for a truncated trace. The corpus
 * holds version 1 and version 2 traces (keyframe chains, drop details,
 * queue records, 2.1 flows, and 2.2: whole control-plane frames and
 * session counters, one of them from a BGP run with BFD).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];

static void
drain(struct trace_reader *rd, sim_time *first_t)
{
	const char **f[TRACE_REC_STRS];
	struct trace_rec r;
	char err[256], json[8192];
	unsigned long n = 0;
	int i, nf, rc;
	unsigned long sum;

	while ((rc = trace_reader_next(rd, &r, err, sizeof(err))) > 0) {
		trace_rec_json(&r, json, sizeof(json));
		nf = trace_rec_strs(&r, f);
		for (i = 0; i < nf; i++)	/* every string is readable */
			if (*f[i] != NULL && strlen(*f[i]) > TRACE_TEXT_MAX)
				abort();
		/* a whole frame's bytes are all there (ASan reads them) */
		if (r.type == TR_PKT_DATA) {
			if (r.u.data.len > TRACE_DATA_MAX ||
			    (r.u.data.len > 0 && r.u.data.data == NULL))
				abort();
			for (sum = 0, i = 0; i < (int)r.u.data.len; i++)
				sum += r.u.data.data[i];
			if (sum > 255UL * TRACE_DATA_MAX)
				abort();
		}
		if (first_t != NULL && n == 0)
			*first_t = r.t;
		if (++n > 10000000UL)	/* a reader that never ends is a bug */
			abort();
	}
	if (rc < 0 && trace_reader_at_cut(rd) && !trace_reader_truncated(rd))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct trace_reader *rd;
	char err[256];
	sim_time t = 0;
	FILE *f;

	if (path[0] == '\0')
		snprintf(path, sizeof(path), "/tmp/fuzz-trace-%ld.xct",
		    (long)getpid());
	if ((f = fopen(path, "wb")) == NULL)
		return 0;
	if (size > 0 && fwrite(data, 1, size, f) != size) {
		fclose(f);
		return 0;
	}
	fclose(f);
	if ((rd = trace_reader_open(path, err, sizeof(err))) == NULL)
		return 0;
	drain(rd, &t);
	if (trace_reader_seek(rd, t + (sim_time)(size % 1000), err,
	    sizeof(err)) == 0)
		drain(rd, NULL);
	if (trace_reader_seek(rd, trace_reader_end_time(rd) / 2, err,
	    sizeof(err)) == 0)
		drain(rd, NULL);
	if (trace_reader_seek(rd, trace_reader_end_time(rd), err,
	    sizeof(err)) == 0)
		drain(rd, NULL);
	trace_reader_close(rd);
	return 0;
}
