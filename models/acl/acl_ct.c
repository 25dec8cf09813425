/*
 * acl_ct.c - the connection tracking table of a binding (acl_int.h).
 */
#include <stdlib.h>
#include <string.h>

#include "acl_int.h"
#include "rib.h"
#include "util.h"
#include "wire.h"

static const sim_time ct_timeout[CT_CLASSES] = {
	[CT_TCP_SYN] = ACL_CT_TCP_SYN,
	[CT_TCP_EST] = ACL_CT_TCP_EST,
	[CT_TCP_TIME_WAIT] = ACL_CT_TCP_TIME_WAIT,
	[CT_TCP_CLOSE] = ACL_CT_TCP_CLOSE,
	[CT_UDP] = ACL_CT_UDP,
	[CT_UDP_STREAM] = ACL_CT_UDP_STREAM,
	[CT_ICMP] = ACL_CT_ICMP,
	[CT_OTHER] = ACL_CT_OTHER,
};

void
ct_init(struct ct_table *t, uint32_t limit)
{
	int c;

	memset(t, 0, sizeof(*t));
	t->limit = limit;
	t->free_head = CT_NONE;
	t->n_buckets = 64;
	t->bucket = xmalloc(t->n_buckets * sizeof(*t->bucket));
	memset(t->bucket, 0xff, t->n_buckets * sizeof(*t->bucket));
	for (c = 0; c < CT_CLASSES; c++)
		t->head[c] = t->tail[c] = CT_NONE;
}

void
ct_destroy(struct ct_table *t)
{
	free(t->e);
	free(t->bucket);
	memset(t, 0, sizeof(*t));
}

static uint32_t
key_hash(const struct ct_key *k)
{
	return rib_flow_hash(0x5eedu, k->a, k->b, k->proto, k->pa, k->pb);
}

static bool
key_eq(const struct ct_key *x, const struct ct_key *y)
{
	return x->a == y->a && x->b == y->b && x->pa == y->pa &&
	    x->pb == y->pb && x->proto == y->proto;
}

void
ct_key_of(const struct acl_tuple *tp, struct ct_key *k, bool *swapped)
{
	uint16_t ps = tp->sport, pd = tp->dport;

	/*
	 * Echo: the request as (id, 0), the reply as (0, id), so that a
	 * reply reverses its request and a request the other way (the far
	 * host pinging back with the same id) is a flow of its own.
	 */
	if (tp->proto == WIRE_IPPROTO_ICMP) {
		ps = tp->icmp_type == WIRE_ICMP_ECHO ? tp->icmp_id : 0;
		pd = tp->icmp_type == WIRE_ICMP_ECHO ? 0 : tp->icmp_id;
	}
	k->proto = tp->proto;
	*swapped = tp->src > tp->dst || (tp->src == tp->dst && ps > pd);
	if (*swapped) {
		k->a = tp->dst;
		k->pa = pd;
		k->b = tp->src;
		k->pb = ps;
	} else {
		k->a = tp->src;
		k->pa = ps;
		k->b = tp->dst;
		k->pb = pd;
	}
}

uint32_t
ct_find(const struct ct_table *t, const struct ct_key *k, bool swapped,
    enum acl_dir dir, enum ct_side *side)
{
	uint32_t i;

	*side = CT_MISS;
	for (i = t->bucket[key_hash(k) & (t->n_buckets - 1)]; i != CT_NONE;
	    i = t->e[i].hnext) {
		const struct ct_entry *e = &t->e[i];

		if (!key_eq(&e->key, k))
			continue;
		/*
		 * The same flow seen from the other side of the binding. A
		 * flow that crosses the binding both ways (an appliance
		 * behind the interface sends it back out) has one entry per
		 * origin direction: one that fits neither way is the other's.
		 */
		if (e->origin_dir == dir && e->origin_swapped == swapped)
			*side = CT_ORIGIN;
		else if (e->origin_dir != dir && e->origin_swapped != swapped)
			*side = CT_REPLY;
		else
			continue;
		return i;
	}
	return CT_NONE;
}

static void
list_unlink(struct ct_table *t, uint32_t i)
{
	struct ct_entry *e = &t->e[i];

	if (e->cls >= CT_CLASSES)
		return;
	if (e->prev != CT_NONE)
		t->e[e->prev].next = e->next;
	else
		t->head[e->cls] = e->next;
	if (e->next != CT_NONE)
		t->e[e->next].prev = e->prev;
	else
		t->tail[e->cls] = e->prev;
	e->prev = e->next = CT_NONE;
}

static void
list_append(struct ct_table *t, uint32_t i, uint8_t cls, sim_time now)
{
	struct ct_entry *e = &t->e[i];

	e->cls = cls;
	e->expiry = now + ct_timeout[cls];
	e->next = CT_NONE;
	e->prev = t->tail[cls];
	if (e->prev != CT_NONE)
		t->e[e->prev].next = i;
	else
		t->head[cls] = i;
	t->tail[cls] = i;
}

static void
rehash(struct ct_table *t)
{
	uint32_t nb = t->n_buckets * 2, i;

	free(t->bucket);
	t->bucket = xmalloc(nb * sizeof(*t->bucket));
	memset(t->bucket, 0xff, nb * sizeof(*t->bucket));
	t->n_buckets = nb;
	/* in pool order: the chains are rebuilt the same way every run */
	for (i = 0; i < t->cap; i++) {
		struct ct_entry *e = &t->e[i];
		uint32_t h;

		if (e->cls > CT_CLASSES)	/* free slot */
			continue;
		h = key_hash(&e->key) & (nb - 1);
		e->hnext = t->bucket[h];
		t->bucket[h] = i;
	}
}

/* Free slots are marked with a class past CT_CLASSES. */
#define CT_FREE (CT_CLASSES + 1)

uint32_t
ct_insert(struct ct_table *t, const struct ct_key *k, bool swapped,
    enum acl_dir dir, uint16_t mask)
{
	struct ct_entry *e;
	uint32_t i, h;

	if (t->used >= t->limit)
		return CT_NONE;
	if (t->free_head == CT_NONE) {
		uint32_t ncap = t->cap ? 2 * t->cap : 64, j;

		if (ncap > t->limit && t->limit >= t->cap)
			ncap = t->limit;
		t->e = xrealloc(t->e, ncap * sizeof(*t->e));
		for (j = ncap; j-- > t->cap;) {
			t->e[j].cls = CT_FREE;
			t->e[j].next = t->free_head;
			t->free_head = j;
		}
		t->cap = ncap;
	}
	i = t->free_head;
	e = &t->e[i];
	t->free_head = e->next;
	memset(e, 0, sizeof(*e));
	e->key = *k;
	e->origin_dir = (uint8_t)dir;
	e->origin_swapped = swapped;
	e->mask = mask;
	e->cls = CT_CLASSES;	/* on no list until touched */
	e->prev = e->next = CT_NONE;
	h = key_hash(k) & (t->n_buckets - 1);
	e->hnext = t->bucket[h];
	t->bucket[h] = i;
	if (++t->used > t->n_buckets)
		rehash(t);
	return i;
}

static void
ct_remove(struct ct_table *t, uint32_t i)
{
	struct ct_entry *e = &t->e[i];
	uint32_t *p = &t->bucket[key_hash(&e->key) & (t->n_buckets - 1)];

	while (*p != i)
		p = &t->e[*p].hnext;
	*p = e->hnext;
	list_unlink(t, i);
	e->cls = CT_FREE;
	e->next = t->free_head;
	t->free_head = i;
	t->used--;
}

void
ct_expire(struct ct_table *t, sim_time now)
{
	int c;

	for (c = 0; c < CT_CLASSES; c++)
		while (t->head[c] != CT_NONE && t->e[t->head[c]].expiry <= now)
			ct_remove(t, t->head[c]);
}

void
ct_touch(struct ct_table *t, uint32_t i, enum ct_side side,
    const struct acl_tuple *tp, sim_time now)
{
	struct ct_entry *e = &t->e[i];
	uint8_t cls;

	if (side == CT_REPLY)
		e->replied = true;
	switch (tp->proto) {
	case WIRE_IPPROTO_TCP:
		/*
		 * A closing flow is not refreshed: it ends that long after
		 * it began closing. As netfilter, a RST closes at once
		 * (CLOSE), also in TIME_WAIT; FIN both ways waits out
		 * TIME_WAIT.
		 */
		if (e->cls == CT_TCP_CLOSE)
			return;
		if (tp->l4 && (tp->tcp_flags & WIRE_TCP_RST) != 0)
			cls = CT_TCP_CLOSE;
		else if (e->cls == CT_TCP_TIME_WAIT)
			return;
		else {
			if (tp->l4 && (tp->tcp_flags & WIRE_TCP_FIN) != 0)
				e->fin |= side == CT_REPLY ? 2 : 1;
			if (e->fin == 3)
				cls = CT_TCP_TIME_WAIT;
			else
				cls = e->replied ? CT_TCP_EST : CT_TCP_SYN;
		}
		break;
	case WIRE_IPPROTO_UDP:
		cls = e->replied ? CT_UDP_STREAM : CT_UDP;
		break;
	case WIRE_IPPROTO_ICMP:
		cls = CT_ICMP;
		break;
	default:
		cls = CT_OTHER;
		break;
	}
	list_unlink(t, i);
	list_append(t, i, cls, now);
}
