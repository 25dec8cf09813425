/*
 * fuzz_trace.c - libFuzzer target for the trace reader: viz and
 * `xcsim trace dump` open trace files from anywhere, so every byte sequence
 * must give records or a clean error, never a crash or an endless loop.
 *
 * The input is written to a file (the reader takes a path), read through to
 * the end, rendered as JSON, then read again after a seek to a time taken
 * from the first record.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];

static void
drain(struct trace_reader *rd, sim_time *first_t)
{
	struct trace_rec r;
	char err[256], json[8192];
	unsigned long n = 0;

	while (trace_reader_next(rd, &r, err, sizeof(err)) > 0) {
		trace_rec_json(&r, json, sizeof(json));
		if (first_t != NULL && n == 0)
			*first_t = r.t;
		if (++n > 10000000UL)	/* a reader that never ends is a bug */
			abort();
	}
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
	trace_reader_close(rd);
	return 0;
}
