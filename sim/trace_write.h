/*
 * trace_write.h - private to the trace writer: its state, shared by the
 * encoder (trace_write.c), the state it restates in keyframes
 * (trace_state.c) and the record calls (trace_api.c).
 */
#ifndef XCSIM_TRACE_WRITE_H
#define XCSIM_TRACE_WRITE_H

#include "trace_fmt.h"
#include "util.h"

#define TRACE_BUF_SIZE	(64u * 1024u)
#define PAYLOAD_MAX	2048u	/* largest non-keyframe payload the writer makes */
#define KF_BYTES_MIN	(1024u * 1024u)
#define KF_EVERY_DEFAULT SIM_MS(100)
#define INTERN_MAX	2048u	/* strings interned between two keyframes */
#define INTERN_SLOTS	4096u
#define INTERN_ARENA	(64u * 1024u)
#define INTERN_LEN_MAX	64u	/* longer strings are written literally */

_Static_assert(PAYLOAD_MAX + TRACE_DATA_MAX + 12 <= TRACE_BUF_SIZE,
    "a pkt_data record fits the output buffer");


enum { PK_EMPTY = 0, PK_QUEUED, PK_FLIGHT };

struct pkt_ent {
	uint64_t uid;
	sim_time t, tx_end, arrive;
	uint32_t link, len;
	uint8_t dir, state;
};

/* Open addressing, linear probing, backward-shift deletion: no tombstones,
 * so the table never fills up with dead entries under churn. */
struct pkt_map {
	struct pkt_ent *e;
	size_t cap, n;
};

struct link_st {
	sim_time t_change;
	uint32_t qpkts[2];
	uint64_t qbytes[2];
	uint32_t qpkts_out[2];		/* latest a reader saw, when filtering */
	uint64_t qbytes_out[2];
	bool up;
};

/* A late declaration the writer keeps, strings owned (same allocation). */
struct sent {
	size_t size;
	struct trace_rec rec;
	char str[];
};

/*
 * The latest record of one key of a keyed type (session, route,
 * provisioning, queue length), as its key bytes and its payload encoded
 * self-contained (encode_lit: no interning, no delta context), which is a
 * third of a struct trace_rec with its strings: a million routes are kept
 * once each. gen: the number of the first keyframe that includes the change.
 * Entries sit in a list of their type, most recently changed first, so that
 * a keyframe finds what changed since its base without walking the table.
 * gone: a tombstone (a withdrawn route) that a delta must still carry.
 */
struct kent {
	struct kent *next;		/* hash chain */
	struct kent *newer, *older;	/* change order */
	uint64_t gen;
	uint32_t h;
	uint16_t klen, plen;
	bool gone;
	/* the number of the first keyframe that could hold the key: when
	 * none has been written since, removing it needs no tombstone */
	uint32_t born;
	unsigned char b[];		/* key, then payload */
};

struct smap {
	struct kent **b;
	size_t nb, n;
	struct kent *newest, *oldest;
};

struct intern_slot {
	uint32_t gen, id, off, len;
};

struct trace {
	int fd;
	struct outfile *of;		/* the file, until committed */
	int err;			/* errno of the first write failure */
	const char *err_op;

	uint8_t *buf;
	size_t blen;
	uint64_t off;			/* file offset of buf[0] */

	sim_time every, next_kf, last_t;
	bool timed;			/* a timed record was written */
	uint64_t kf_end;		/* offset just after the last keyframe */
	uint64_t kf_bytes;		/* record bytes that force a keyframe */
	uint64_t kf_size;		/* bytes of the last keyframe */
	uint64_t last_kf_off;		/* 0: none yet */
	uint64_t nkf, nrec, topo_end;
	/* kf_lvl[c]: offset of the latest keyframe whose number has at least
	 * c trailing zero bits: the base of keyframe n is kf_lvl[ctz(n) + 1] */
	uint64_t kf_lvl[65];

	sim_time tbase;			/* delta bases, reset by keyframes */
	uint64_t ubase;

	struct pkt_map pm;
	struct link_st *links;
	uint32_t nlinks, links_cap;
	struct smap keyed[TR_TYPE_MAX];	/* by type, for TS_KEYED types */
	struct trace_reader *kdec;	/* decodes kept keyed payloads */
	struct sent **late;		/* topology declared after timed records */
	size_t nlate, late_cap;

	/* record.packets: the level, and 1 packet's hops in pkt_sample */
	uint8_t pkt_level;
	bool pkt_filter;		/* anything left out */
	uint32_t pkt_sample;

	struct intern_slot *islot;
	char *iarena;
	uint32_t igen, in, ialen;

	size_t mem;
};



/* trace_state.c */
struct pkt_ent *pkt_find(struct pkt_map *m, uint64_t uid, uint32_t link,
    uint8_t dir);
struct pkt_ent *pkt_get(struct trace *tr, uint64_t uid, uint32_t link,
    uint8_t dir);
void pkt_del(struct pkt_map *m, struct pkt_ent *e);
struct link_st *link_get(struct trace *tr, uint32_t link);
void queue_take(struct link_st *ls, uint8_t dir, uint32_t len);
struct sent *sent_new(struct trace *tr, const struct trace_rec *r);
void sent_free(struct trace *tr, struct sent *s);
/* The latest r of its key (from its descriptor) becomes the kept one. */
void keyed_set(struct trace *tr, const struct trace_rec *r);
/*
 * The kept record of r's key (r needs only its type and key fields),
 * decoded into out (its strings valid until the writer decodes again): true,
 * or false when there is none or the key was removed.
 */
bool keyed_get(struct trace *tr, const struct trace_rec *r,
    struct trace_rec *out);
/*
 * Forget r's key without a tombstone: for state that a reader drops with
 * another record (a closed flow takes its state and window with it).
 */
void keyed_forget(struct trace *tr, const struct trace_rec *r);
/*
 * Emit the keyed records that changed after keyframe number base (all of
 * them, without tombstones, when base is 0): the keyed part of a keyframe.
 */
void keyed_emit(struct trace *tr, uint64_t base);
void keyed_free(struct trace *tr);

/* trace_write.c */
void emit(struct trace *tr, const struct trace_rec *r);
/* A record whose last field is TF_DATA, with its n bytes b. */
void emit_data(struct trace *tr, const struct trace_rec *r, const uint8_t *b,
    uint32_t n);
size_t encode_lit(struct trace *tr, const struct trace_rec *r,
    uint8_t pl[PAYLOAD_MAX]);
void timed(struct trace *tr, sim_time t);
/* A record left out (record.packets): keyframes fall as if it were not. */
void timed_hidden(struct trace *tr, sim_time t);

/*
 * A record a reader sees carries the (link, dir) occupancy: the queue
 * samples (record.packets) compare with what it saw last, not with the
 * last sample.
 */
static inline void
queue_seen(struct link_st *ls, uint8_t dir)
{
	ls->qpkts_out[dir] = ls->qpkts[dir];
	ls->qbytes_out[dir] = ls->qbytes[dir];
}

/* Whether the hops of packet uid are left out. */
static inline bool
pkt_hidden(const struct trace *tr, uint64_t uid)
{
	if (tr->pkt_level != TRACE_PKT_ALL)
		return true;
	return tr->pkt_sample > 1 && (uint32_t)((uid *
	    0x9e3779b97f4a7c15ULL) >> 32) % tr->pkt_sample != 0;
}
void topology(struct trace *tr, const struct trace_rec *r);

#endif
