/*
 * sim_internal.h - what sim/ modules share with each other and nobody else:
 * the packet pool that struct sim embeds, and a test hook of the event kernel.
 */
#ifndef XCSIM_SIM_INTERNAL_H
#define XCSIM_SIM_INTERNAL_H

#include <stdint.h>

struct sim;
struct pkt;

struct pkt_pool {
	struct pkt *free;	/* pooled packets ready for reuse */
	void **chunks;		/* slabs, freed by pkt_pool_destroy */
	uint32_t n_chunks, cap_chunks;
	uint64_t live;		/* allocated and not yet freed */
};

void pkt_pool_init(struct pkt_pool *pool);
void pkt_pool_destroy(struct pkt_pool *pool);
struct pkt_pool *sim_pkt_pool(struct sim *sim);
const struct pkt_pool *sim_pkt_pool_const(const struct sim *sim);

/*
 * For tests: renumber the pending events' insertion seqs whenever the next
 * seq would exceed limit (0 restores the natural limit, which a simulation
 * reaches only after some 2^33 events), so that the renumbering path runs
 * often enough to be checked.
 */
void sim_test_set_seq_limit(struct sim *sim, uint64_t limit);

#endif
