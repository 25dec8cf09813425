/*
 * pkt.h - packet buffers.
 *
 * A packet is real wire-format bytes (every header) followed by an optional
 * virtual payload: a length with no bytes behind it, whose content is defined
 * to be all zeros. Zeros add nothing to an Internet checksum, so checksums
 * over a virtual payload are exact, and a capture can write the zeros out.
 * A 10 Gbit/s flow therefore never copies its payload.
 *
 * Buffers come from a per-simulation pool (struct sim owns it) and keep
 * PKT_HEADROOM bytes in front of the data for pushing headers. Ownership is
 * single: whoever holds a packet either passes it on or frees it.
 */
#ifndef XCSIM_PKT_H
#define XCSIM_PKT_H

#include <stdint.h>

#include "units.h"

struct sim;

#define PKT_HEADROOM 128u
/* Bytes a pooled buffer holds after the headroom; larger packets use malloc. */
#define PKT_POOL_DATA 1664u

struct pkt {
	struct pkt *next;	/* queue linkage, owned by whoever queues it */
	uint8_t *data;		/* first byte of the packet */
	uint32_t len;		/* real bytes at data */
	uint32_t virt_len;	/* virtual (all-zero) payload bytes after them */
	uint64_t uid;		/* unique per simulation, kept by clones */
	sim_time created;	/* when the originating application made it */
	uint32_t in_iface;	/* node-local index of the arrival interface */
	uint32_t cookie;	/* for the originating application */
	uint32_t cap;		/* bytes in buf */
	uint8_t *buf;		/* start of storage (headroom included) */
};

/*
 * A packet with len real bytes (uninitialised) after PKT_HEADROOM bytes of
 * headroom, a new uid and created = now.
 */
struct pkt *pkt_alloc(struct sim *sim, uint32_t len);
void pkt_free(struct sim *sim, struct pkt *p);
/* A deep copy with the same uid and metadata. */
struct pkt *pkt_clone(struct sim *sim, const struct pkt *p);

/* Prepend n bytes and return a pointer to them; grows headroom if needed. */
uint8_t *pkt_push(struct sim *sim, struct pkt *p, uint32_t n);
/* Remove n bytes from the front (n <= len) and return the new data. */
uint8_t *pkt_pull(struct pkt *p, uint32_t n);
/* Drop real bytes from the tail so that len becomes n (n <= len). */
void pkt_trim(struct pkt *p, uint32_t n);

static inline uint32_t
pkt_wire_len(const struct pkt *p)
{
	return p->len + p->virt_len;
}

/* Packets allocated and not yet freed: tests use it to find leaks. */
uint64_t pkt_live(const struct sim *sim);

#endif
