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
	uint32_t qpkts[2], qbytes[2];
	bool up;
};

/*
 * A record the writer keeps, strings owned: the latest one per key of a
 * keyed type (session, route, provisioning, queue length), or a late
 * declaration.
 */
struct sent {
	struct sent *next;		/* hash chain */
	uint64_t h;
	size_t size;
	struct trace_rec rec;
	size_t klen;
	unsigned char key[];
};

struct smap {
	struct sent **b;
	size_t nb, n;
};

struct intern_slot {
	uint32_t gen, id, off, len;
};

struct trace {
	int fd;
	char *path, *tmp;
	int err;			/* errno of the first write failure */
	const char *err_op;

	uint8_t *buf;
	size_t blen;
	uint64_t off;			/* file offset of buf[0] */

	sim_time every, next_kf, last_t;
	bool timed;			/* a timed record was written */
	uint64_t kf_end;		/* offset just after the last keyframe */
	uint64_t kf_bytes;		/* record bytes that force a keyframe */
	uint64_t last_kf_off;		/* 0: none yet */
	uint64_t nkf, nrec, topo_end;

	sim_time tbase;			/* delta bases, reset by keyframes */
	uint64_t ubase;

	struct pkt_map pm;
	struct link_st *links;
	uint32_t nlinks, links_cap;
	struct smap keyed[TR_TYPE_MAX];	/* by type, for TS_KEYED types */
	struct sent **late;		/* topology declared after timed records */
	size_t nlate, late_cap;

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
struct sent *sent_new(struct trace *tr, const struct trace_rec *r,
    const void *key, size_t klen, uint64_t h);
void sent_free(struct trace *tr, struct sent *s);
/* The latest r of its key (from its descriptor) becomes the kept one. */
void keyed_set(struct trace *tr, const struct trace_rec *r);
/* Emit every kept keyed record (keyframe body). */
void keyed_emit(struct trace *tr);
void keyed_free(struct trace *tr);

/* trace_write.c */
void emit(struct trace *tr, const struct trace_rec *r);
void timed(struct trace *tr, sim_time t);
void topology(struct trace *tr, const struct trace_rec *r);

#endif
