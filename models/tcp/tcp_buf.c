/*
 * tcp_buf.c - send, receive and out-of-order queues of real and virtual
 * bytes (tcp_buf.h).
 */
#include <stdlib.h>
#include <string.h>

#include "tcp_buf.h"
#include "tcp_wire.h"
#include "util.h"

/* Real chunks are allocated at least this big, so small writes share one. */
#define CHUNK_MIN 2048u

struct tcp_chunk {
	struct tcp_chunk *next;
	uint32_t len;		/* bytes left in the chunk */
	uint32_t off;		/* consumed from the front (real chunks) */
	uint32_t cap;		/* storage; 0 for a virtual chunk */
	uint8_t data[];
};

void
tb_init(struct tcp_bytes *b)
{
	memset(b, 0, sizeof(*b));
}

void
tb_free(struct tcp_bytes *b)
{
	struct tcp_chunk *ch;

	while ((ch = b->head) != NULL) {
		b->head = ch->next;
		free(ch);
	}
	tb_init(b);
}

static void
chunk_link(struct tcp_bytes *b, struct tcp_chunk *ch)
{
	if (b->tail != NULL)
		b->tail->next = ch;
	else
		b->head = ch;
	b->tail = ch;
}

void
tb_append(struct tcp_bytes *b, const uint8_t *data, uint32_t len)
{
	struct tcp_chunk *t = b->tail, *ch;
	uint32_t room, cap;

	if (len == 0)
		return;
	b->len += len;
	if (data == NULL) {
		if (t != NULL && t->cap == 0) {
			t->len += len;	/* adjacent virtual runs merge */
			return;
		}
		ch = xcalloc(1, sizeof(*ch));
		ch->len = len;
		chunk_link(b, ch);
		return;
	}
	if (t != NULL && t->cap != 0) {
		room = t->cap - t->off - t->len;
		if (room > len)
			room = len;
		memcpy(t->data + t->off + t->len, data, room);
		t->len += room;
		data += room;
		len -= room;
		if (len == 0)
			return;
	}
	cap = len > CHUNK_MIN ? len : CHUNK_MIN;
	ch = xmalloc(sizeof(*ch) + cap);
	ch->next = NULL;
	ch->off = 0;
	ch->cap = cap;
	ch->len = len;
	memcpy(ch->data, data, len);
	chunk_link(b, ch);
}

void
tb_consume(struct tcp_bytes *b, uint32_t n, uint8_t *out)
{
	struct tcp_chunk *ch;
	uint32_t take;

	while (n > 0 && (ch = b->head) != NULL) {
		take = ch->len < n ? ch->len : n;
		if (out != NULL) {
			if (ch->cap != 0)
				memcpy(out, ch->data + ch->off, take);
			else
				memset(out, 0, take);
			out += take;
		}
		ch->off += ch->cap != 0 ? take : 0;
		ch->len -= take;
		b->len -= take;
		n -= take;
		if (ch->len == 0) {
			b->head = ch->next;
			if (b->head == NULL)
				b->tail = NULL;
			free(ch);
		}
	}
}

uint32_t
tb_real_prefix(const struct tcp_bytes *b, uint32_t off, uint32_t len)
{
	const struct tcp_chunk *ch;
	uint32_t pos = 0, end = off + len, prefix = 0;

	for (ch = b->head; ch != NULL && pos < end; ch = ch->next) {
		uint32_t cend = pos + ch->len;

		if (ch->cap != 0 && cend > off)
			prefix = (cend < end ? cend : end) - off;
		pos = cend;
	}
	return prefix;
}

void
tb_copy(const struct tcp_bytes *b, uint32_t off, uint32_t len, uint8_t *out)
{
	const struct tcp_chunk *ch;
	uint32_t pos = 0;

	for (ch = b->head; ch != NULL && len > 0; ch = ch->next) {
		uint32_t cend = pos + ch->len, skip, take;

		if (cend <= off) {
			pos = cend;
			continue;
		}
		skip = off > pos ? off - pos : 0;
		take = ch->len - skip < len ? ch->len - skip : len;
		if (ch->cap != 0)
			memcpy(out, ch->data + ch->off + skip, take);
		else
			memset(out, 0, take);
		out += take;
		off += take;
		len -= take;
		pos = cend;
	}
}

/* --- out-of-order queue --- */

void
tr_init(struct tcp_reasm *r)
{
	memset(r, 0, sizeof(*r));
}

void
tr_free(struct tcp_reasm *r)
{
	struct tcp_ooo *o;

	while ((o = r->head) != NULL) {
		r->head = o->next;
		free(o);
	}
	tr_init(r);
}

/* A new range [seq, seq + len) holding real bytes from data, before at. */
static void
ooo_insert_before(struct tcp_reasm *r, struct tcp_ooo *at, uint32_t seq,
    uint32_t len, uint32_t real, const uint8_t *data)
{
	struct tcp_ooo *o = xmalloc(sizeof(*o) + real);

	o->seq = seq;
	o->len = len;
	o->real = real;
	if (real > 0)
		memcpy(o->data, data, real);
	o->next = at;
	o->prev = at != NULL ? at->prev : r->tail;
	if (o->prev != NULL)
		o->prev->next = o;
	else
		r->head = o;
	if (at != NULL)
		at->prev = o;
	else
		r->tail = o;
	r->n++;
	r->bytes += len;
}

/* The piece [s, e) of a segment starting at seq with real bytes at data. */
static void
piece(struct tcp_reasm *r, struct tcp_ooo *at, uint32_t seq, uint32_t real,
    const uint8_t *data, uint32_t s, uint32_t e)
{
	uint32_t o = s - seq, pr = 0;

	if (real > o)
		pr = real - o < e - s ? real - o : e - s;
	ooo_insert_before(r, at, s, e - s, pr, data + (pr > 0 ? o : 0));
}

uint32_t
tr_insert(struct tcp_reasm *r, uint32_t seq, uint32_t len, uint32_t real,
    const uint8_t *data)
{
	struct tcp_ooo *o;
	uint32_t cur = seq, end = seq + len, before = r->bytes;

	if (len == 0)
		return 0;
	/* Segments mostly arrive at the tail: find the start from there. */
	o = r->tail;
	while (o != NULL && seq_gt(o->seq + o->len, seq))
		o = o->prev;
	o = o != NULL ? o->next : r->head;
	for (; o != NULL && seq_lt(o->seq, end); o = o->next) {
		if (seq_lt(cur, o->seq))
			piece(r, o, seq, real, data, cur, o->seq);
		if (seq_gt(o->seq + o->len, cur))
			cur = o->seq + o->len;
		if (seq_ge(cur, end))
			break;
	}
	if (seq_lt(cur, end))
		piece(r, o, seq, real, data, cur, end);
	return r->bytes - before;
}

uint32_t
tr_deliver(struct tcp_reasm *r, uint32_t *rcv_nxt, struct tcp_bytes *q)
{
	struct tcp_ooo *o;
	uint32_t moved = 0;

	while ((o = r->head) != NULL && seq_le(o->seq, *rcv_nxt)) {
		if (seq_gt(o->seq + o->len, *rcv_nxt)) {
			uint32_t skip = *rcv_nxt - o->seq;
			uint32_t n = o->len - skip;
			uint32_t rl = o->real > skip ? o->real - skip : 0;

			if (rl > 0)
				tb_append(q, o->data + skip, rl);
			tb_append(q, NULL, n - rl);
			*rcv_nxt += n;
			moved += n;
		}
		r->head = o->next;
		if (r->head != NULL)
			r->head->prev = NULL;
		else
			r->tail = NULL;
		r->n--;
		r->bytes -= o->len;
		free(o);
	}
	return moved;
}

bool
tr_block_of(const struct tcp_reasm *r, uint32_t seq, uint32_t *start,
    uint32_t *end)
{
	const struct tcp_ooo *o, *a;

	for (o = r->tail; o != NULL; o = o->prev)
		if (seq_le(o->seq, seq) && seq_lt(seq, o->seq + o->len))
			break;
	if (o == NULL)
		return false;
	for (a = o; a->prev != NULL && a->prev->seq + a->prev->len == a->seq;)
		a = a->prev;
	*start = a->seq;
	for (a = o; a->next != NULL && a->seq + a->len == a->next->seq;)
		a = a->next;
	*end = a->seq + a->len;
	return true;
}

bool
tr_block_nth_high(const struct tcp_reasm *r, uint32_t i, uint32_t *start,
    uint32_t *end)
{
	const struct tcp_ooo *o = r->tail;
	uint32_t k;

	for (k = 0; o != NULL; k++) {
		const struct tcp_ooo *a = o;

		while (a->prev != NULL && a->prev->seq + a->prev->len == a->seq)
			a = a->prev;
		if (k == i) {
			*start = a->seq;
			*end = o->seq + o->len;
			return true;
		}
		o = a->prev;
	}
	return false;
}
