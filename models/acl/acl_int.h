/*
 * acl_int.h - what acl.c and acl_ct.c share: the tracking table of a
 * binding.
 *
 * Entries live in a pool (indices, not pointers, so the pool may grow),
 * hashed by the flow's canonical key (the lower address:port end first,
 * so both directions of a flow find one entry) and kept on one list per
 * timeout class in expiry order: every entry of a class has the same
 * timeout and a refresh moves it to the tail, so the heads are the next
 * to expire and removing the expired ones costs only what it removes.
 */
#ifndef XCSIM_ACL_INT_H
#define XCSIM_ACL_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "acl.h"

enum ct_class {
	CT_TCP_SYN, CT_TCP_EST, CT_TCP_TIME_WAIT, CT_TCP_CLOSE, CT_UDP,
	CT_UDP_STREAM, CT_ICMP, CT_OTHER, CT_CLASSES
};

#define CT_NONE UINT32_MAX

struct ct_key {
	uint32_t a, b;		/* addresses, canonical order */
	uint16_t pa, pb;	/* their ports (ICMP echo: the id and 0) */
	uint8_t proto;
};

struct ct_entry {
	struct ct_key key;
	uint8_t origin_dir;	/* enum acl_dir of the first packet */
	bool origin_swapped;	/* its source was the key's b end */
	uint8_t cls;
	bool replied;		/* the reply direction has been seen */
	uint8_t fin;		/* bit 0: FIN from the origin, 1: from the reply */
	uint16_t mask;		/* acls of the binding that track it */
	sim_time expiry;
	uint32_t hnext;		/* hash chain */
	uint32_t prev, next;	/* class list, or the free list (next) */
};

struct ct_table {
	struct ct_entry *e;
	uint32_t cap, used;	/* pool slots, live entries */
	uint32_t free_head;
	uint32_t *bucket;
	uint32_t n_buckets;	/* power of two */
	uint32_t head[CT_CLASSES], tail[CT_CLASSES];
	uint32_t limit;
};

/* Where a packet stands against an entry. */
enum ct_side { CT_MISS, CT_ORIGIN, CT_REPLY };

void ct_init(struct ct_table *t, uint32_t limit);
void ct_destroy(struct ct_table *t);
/* Remove every entry that expired at or before now. */
void ct_expire(struct ct_table *t, sim_time now);
void ct_key_of(const struct acl_tuple *tp, struct ct_key *k, bool *swapped);
/* The entry of the packet's flow, or CT_NONE; *side how it relates. */
uint32_t ct_find(const struct ct_table *t, const struct ct_key *k,
    bool swapped, enum acl_dir dir, enum ct_side *side);
/* A new entry, or CT_NONE when the table holds its limit. */
uint32_t ct_insert(struct ct_table *t, const struct ct_key *k, bool swapped,
    enum acl_dir dir, uint16_t mask);
/* A packet of entry i passed: refresh its expiry, follow TCP's ending. */
void ct_touch(struct ct_table *t, uint32_t i, enum ct_side side,
    const struct acl_tuple *tp, sim_time now);

#endif
