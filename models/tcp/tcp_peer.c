/*
 * tcp_peer.c - the simulated TCP's transport security as BGP uses it: MD5
 * signature keys (RFC 2385) and minimum TTLs (GTSM, RFC 5082) of
 * connections, a listener's per peer address (stream_listener_set_peer,
 * Linux's TCP_MD5SIG on a listening socket), and the check every arriving
 * segment passes before TCP looks at it.
 *
 * As Linux's tcp_v4_rcv: the TTL first (IP_MINTTL), then the signature
 * (tcp_inbound_md5_hash). A refused segment is dropped unanswered: no
 * reset, no ACK, nothing a blind attacker could learn from or provoke.
 * A reset answering an admitted segment with no connection goes with the
 * TTL the listener's connections to that peer use (tcp_reset_ttl).
 */
#include <stdlib.h>
#include <string.h>

#include "net.h"
#include "pkt.h"
#include "tcp_int.h"
#include "util.h"
#include "wire.h"

const struct tcp_stack_stats *
tcp_stack_stats(const struct tcp_stack *st)
{
	return &st->stats;
}

/* The index of addr's entry, or n_peers if it has none. */
static size_t
peer_index(const struct tcp_listener *l, uint32_t addr)
{
	size_t i;

	for (i = 0; i < l->n_peers && l->peers[i].addr != addr; i++)
		;
	return i;
}

const struct tcp_peer *
tcp_listener_peer(const struct tcp_listener *l, uint32_t addr)
{
	size_t i = peer_index(l, addr);

	return i < l->n_peers ? &l->peers[i] : NULL;
}

void
tcp_peer_opts(const struct tcp_listener *l, uint32_t addr,
    struct stream_opts *o)
{
	const struct tcp_peer *pe = tcp_listener_peer(l, addr);

	if (pe == NULL)
		return;
	if (pe->ttl != 0)
		o->ttl = pe->ttl;
	if (pe->min_ttl != 0)
		o->min_ttl = pe->min_ttl;
	if (pe->md5.len > 0) {
		o->md5_key = pe->md5.key;
		o->md5_keylen = pe->md5.len;
	}
}

/*
 * A GTSM peer (RFC 5082) takes only segments sent with TTL 255: a reset to
 * it with the default 64 would be dropped, and the peer left retransmitting
 * into a connection that is gone until its own timeout.
 */
uint8_t
tcp_reset_ttl(const struct tcp_listener *l, uint32_t addr)
{
	const struct tcp_peer *pe;

	if (l == NULL)
		return 0;
	pe = tcp_listener_peer(l, addr);
	return pe != NULL && pe->ttl != 0 ? pe->ttl : l->o.ttl;
}

struct tcp_md5_key *
tcp_md5_key_new(const struct stream_opts *o)
{
	struct tcp_md5_key *k;

	if (o == NULL || o->md5_keylen == 0)
		return NULL;
	k = xcalloc(1, sizeof(*k));
	k->len = o->md5_keylen;
	memcpy(k->key, o->md5_key, k->len);
	return k;
}

bool
tcp_admit(struct tcp_stack *st, const struct tcp_conn *c,
    const struct tcp_listener *l, struct pkt *p, const struct wire_frame *f,
    const struct tcp_opts *o, uint32_t hlen, uint32_t real,
    const struct tcp_md5_key **key)
{
	const struct tcp_md5_key *k = NULL;
	const struct tcp_peer *pe;
	enum tcp_md5_verdict v;
	uint8_t min_ttl = 0;

	if (c != NULL) {
		min_ttl = c->min_ttl;
		k = c->md5;
	} else if (l != NULL) {
		pe = tcp_listener_peer(l, f->ip.src);
		min_ttl = pe != NULL && pe->min_ttl != 0 ? pe->min_ttl :
		    l->o.min_ttl;
		if (pe != NULL && pe->md5.len > 0)
			k = &pe->md5;
	}
	if (key != NULL)
		*key = k;
	if (min_ttl != 0 && f->ip.ttl < min_ttl) {
		st->stats.min_ttl_drops++;
		node_drop_l4(st->node, p, f, DROP_FILTER,
		    "tcp: TTL below the minimum (GTSM)");
		return false;
	}
	v = tcp_md5_check(k, o, f->ip.src, f->ip.dst, p->data, hlen, real,
	    f->payload_len - real);
	switch (v) {
	case TCP_MD5_OK:
		return true;
	case TCP_MD5_MISSING:
		st->stats.md5_missing++;
		break;
	case TCP_MD5_MISMATCH:
		st->stats.md5_mismatch++;
		break;
	default:
		st->stats.md5_unexpected++;
		break;
	}
	node_drop_l4(st->node, p, f, DROP_FILTER, tcp_md5_verdict_name[v]);
	return false;
}

void
tcp_listener_free_peers(struct tcp_listener *l)
{
	free(l->peers);
	l->peers = NULL;
	l->n_peers = 0;
}

int
tcp_listener_set_peer(struct stream_listener *sl, uint32_t addr,
    const struct stream_peer_opts *po)
{
	struct tcp_listener *l = (struct tcp_listener *)sl;
	size_t i = peer_index(l, addr);
	struct tcp_peer *pe;

	if (po != NULL && (po->md5_keylen > STREAM_MD5_KEY_MAX ||
	    (po->md5_keylen > 0 && po->md5_key == NULL)))
		return -1;
	if (po == NULL) {
		if (i < l->n_peers) {
			l->peers[i] = l->peers[--l->n_peers];
			if (l->n_peers == 0)
				tcp_listener_free_peers(l);
		}
		return 0;
	}
	if (i == l->n_peers) {
		l->peers = xrealloc(l->peers, (l->n_peers + 1) *
		    sizeof(*l->peers));
		l->n_peers++;
	}
	pe = &l->peers[i];
	memset(pe, 0, sizeof(*pe));
	pe->addr = addr;
	pe->ttl = po->ttl;
	pe->min_ttl = po->min_ttl;
	pe->md5.len = po->md5_keylen;
	if (po->md5_keylen > 0)
		memcpy(pe->md5.key, po->md5_key, po->md5_keylen);
	return 0;
}

int
tcp_set_ttl(struct stream *s, uint8_t ttl, uint8_t min_ttl)
{
	struct tcp_conn *c = tcp_stream_conn(s);

	c->ttl = ttl != 0 ? ttl : TCP_DEFAULT_TTL;
	c->min_ttl = min_ttl;
	return 0;
}
