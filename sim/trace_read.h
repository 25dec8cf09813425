/*
 * trace_read.h - private to the trace reader: its state, shared by the
 * file-level reader (trace_read.c: frames, index, scan, keyframes, seek)
 * and the payload decoder (trace_decode.c).
 */
#ifndef XCSIM_TRACE_READ_H
#define XCSIM_TRACE_READ_H

#include <stdio.h>

#include "trace_fmt.h"
#include "util.h"

#define REC_LEN_LIMIT	(1024u * 1024u * 1024u)	/* sanity bound */
#define STRTAB_LIMIT	(1u << 20)

struct kf_ent {
	sim_time t;
	uint64_t off;
};

enum rd_phase {
	RD_NORMAL,	/* records in file order */
	RD_TOPO,	/* after a seek: the topology prelude, then jump */
	RD_MARKER,	/* after a seek: the keyframe marker is next */
	RD_BODY,	/* after a seek: serving the keyframe's state */
};

/* Keyframes a seek serves: the target and its chain of bases. */
#define KF_CHAIN_MAX 64

struct trace_reader {
	FILE *f;
	uint64_t size;		/* file size */
	uint64_t data_end;	/* where the record stream stops */
	uint64_t pos;		/* offset of the next frame */
	uint64_t topo_end;
	uint32_t major, minor;
	uint32_t flags;		/* the header's */
	bool indexed;
	bool at_cut;		/* the last next() stopped at the cut */
	char trunc_msg[192];	/* why the stream stops at data_end */
	sim_time end_time;
	uint64_t nrec, nread;
	bool counting;		/* reading from the start: check nrec */
	struct kf_ent *kfs;	/* ascending */
	size_t nkf;

	enum rd_phase phase;
	uint64_t seek_kf;
	uint64_t chain[KF_CHAIN_MAX];	/* [0] the target, then its bases */
	unsigned nchain, ci;		/* ci: the one being served */
	sim_time seek_k;		/* the target's time */
	sim_time tbase;
	uint64_t ubase;

	/* interned strings: offsets into one arena of NUL-terminated text */
	uint32_t *soff;
	size_t sn, scap;
	char *sarena;
	size_t salen, sacap;

	uint8_t *pl;		/* payload of the current frame */
	size_t plcap;
	uint8_t *kb;		/* the keyframe being served */
	size_t kbcap, kblen, kbpos;
	uint64_t kboff;		/* file offset of kb[0] */
	sim_time kt;

	char lit[5][TRACE_TEXT_MAX + 1];
	int nlit;
};

/* A bounds-checked decoding cursor over one payload. */
struct cur {
	const uint8_t *p, *end, *start;
	uint64_t off;		/* file offset of start */
	const char *what;	/* record type name, for messages */
	char *err;
	size_t errlen;
	bool bad;
};

void c_fail(struct cur *c, const char *field, const char *why);
uint64_t c_uv(struct cur *c, const char *field);
void st_reset(struct trace_reader *rd);
int st_add(struct trace_reader *rd, const uint8_t *p, size_t n, uint64_t off,
    char *err, size_t errlen);
/*
 * Decode one payload of the given type into rec. Returns 1 for a record to
 * hand out, 0 for a type this reader does not know (skipped; its leading
 * time delta still advances the time base), -1 on corruption.
 */
int decode(struct trace_reader *rd, unsigned type, const uint8_t *p,
    size_t n, uint64_t off, struct trace_rec *rec, char *err, size_t errlen);

#endif
