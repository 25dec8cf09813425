/*
 * pkt.c - pooled packet buffers.
 *
 * A pooled packet is one block: struct pkt, then PKT_HEADROOM +
 * PKT_POOL_DATA bytes of storage. Blocks are carved from 64-packet slabs and
 * recycled through a free list, so forwarding allocates nothing. A packet too
 * big for a pooled block (jumbo frames) gets its own malloc'd storage, which
 * pkt_free returns to the system while the struct goes back to the pool.
 */
#include <stdlib.h>
#include <string.h>

#include "pkt.h"
#include "sim.h"
#include "sim_internal.h"

#define SLAB_PKTS 64u
#define POOL_CAP (PKT_HEADROOM + PKT_POOL_DATA)
#define BLOCK_SIZE ((sizeof(struct pkt) + POOL_CAP + 15u) & ~15u)

void
pkt_pool_init(struct pkt_pool *pool)
{
	memset(pool, 0, sizeof(*pool));
}

void
pkt_pool_destroy(struct pkt_pool *pool)
{
	uint32_t i;

	for (i = 0; i < pool->n_chunks; i++)
		free(pool->chunks[i]);
	free(pool->chunks);
	memset(pool, 0, sizeof(*pool));
}

static uint8_t *
inline_buf(struct pkt *p)
{
	return (uint8_t *)(p + 1);
}

static struct pkt *
pool_get(struct pkt_pool *pool)
{
	struct pkt *p;

	if (pool->free == NULL) {
		uint8_t *slab = xmalloc(BLOCK_SIZE * SLAB_PKTS);
		uint32_t i;

		if (pool->n_chunks == pool->cap_chunks) {
			pool->cap_chunks = pool->cap_chunks ?
			    pool->cap_chunks * 2 : 16;
			pool->chunks = xrealloc(pool->chunks,
			    pool->cap_chunks * sizeof(*pool->chunks));
		}
		pool->chunks[pool->n_chunks++] = slab;
		for (i = 0; i < SLAB_PKTS; i++) {
			p = (struct pkt *)(slab + (size_t)i * BLOCK_SIZE);
			p->next = pool->free;
			pool->free = p;
		}
	}
	p = pool->free;
	pool->free = p->next;
	pool->live++;
	return p;
}

static struct pkt *
alloc_raw(struct sim *sim, uint32_t headroom, uint32_t len)
{
	struct pkt *p = pool_get(sim_pkt_pool(sim));
	uint64_t need = (uint64_t)headroom + len;

	memset(p, 0, sizeof(*p));
	if (need <= POOL_CAP) {
		p->buf = inline_buf(p);
		p->cap = POOL_CAP;
	} else {
		SIM_ASSERT(need <= UINT32_MAX, "packet too large");
		p->buf = xmalloc(need);
		p->cap = (uint32_t)need;
	}
	p->data = p->buf + headroom;
	p->len = len;
	return p;
}

struct pkt *
pkt_alloc(struct sim *sim, uint32_t len)
{
	struct pkt *p = alloc_raw(sim, PKT_HEADROOM, len);

	p->uid = sim_next_uid(sim);
	p->created = sim_now(sim);
	return p;
}

void
pkt_free(struct sim *sim, struct pkt *p)
{
	struct pkt_pool *pool = sim_pkt_pool(sim);

	if (p == NULL)
		return;
	if (p->buf != inline_buf(p))
		free(p->buf);
	p->buf = NULL;
	p->next = pool->free;
	pool->free = p;
	pool->live--;
}

struct pkt *
pkt_clone(struct sim *sim, const struct pkt *p)
{
	uint32_t headroom = (uint32_t)(p->data - p->buf);
	struct pkt *c = alloc_raw(sim, headroom, p->len);
	uint8_t *buf = c->buf, *data = c->data;
	uint32_t cap = c->cap;

	*c = *p;
	c->buf = buf;
	c->data = data;
	c->cap = cap;
	c->next = NULL;
	memcpy(c->data, p->data, p->len);
	return c;
}

uint8_t *
pkt_push(struct sim *sim, struct pkt *p, uint32_t n)
{
	uint32_t headroom = (uint32_t)(p->data - p->buf);

	if (n > headroom) {
		/* Re-home into a buffer with fresh headroom. */
		uint64_t need = (uint64_t)PKT_HEADROOM + n + p->len;
		uint8_t *nb;

		SIM_ASSERT(need <= UINT32_MAX, "packet too large");
		nb = xmalloc(need);
		memcpy(nb + PKT_HEADROOM + n, p->data, p->len);
		if (p->buf != inline_buf(p))
			free(p->buf);
		p->buf = nb;
		p->cap = (uint32_t)need;
		p->data = nb + PKT_HEADROOM + n;
	}
	(void)sim;
	p->data -= n;
	p->len += n;
	return p->data;
}

uint8_t *
pkt_pull(struct pkt *p, uint32_t n)
{
	SIM_ASSERT(n <= p->len, "pull %u of %u bytes", n, p->len);
	p->data += n;
	p->len -= n;
	return p->data;
}

void
pkt_trim(struct pkt *p, uint32_t n)
{
	SIM_ASSERT(n <= p->len, "trim to %u of %u bytes", n, p->len);
	p->len = n;
}

uint64_t
pkt_live(const struct sim *sim)
{
	return sim_pkt_pool_const(sim)->live;
}
