/*
 * ipfrag.h - IPv4 fragmentation and reassembly (RFC 791, RFC 815).
 *
 * Fragmenting keeps the virtual payload virtual: each fragment carries real
 * bytes only where the original had them. Reassembly collects fragments per
 * (src, dst, id, protocol) into one buffer with a map of the 8-byte blocks
 * received, and gives up after a timeout, as RFC 1122 3.3.2 asks. A table
 * belongs to one node; it bounds the datagrams and bytes it holds.
 */
#ifndef XCSIM_IPFRAG_H
#define XCSIM_IPFRAG_H

#include <stddef.h>
#include <stdint.h>

#include "units.h"

struct sim;
struct pkt;
struct ipfrag_table;

#define IPFRAG_TIMEOUT SIM_S(30)	/* Linux's ipfrag_time */
#define IPFRAG_MAX_DATAGRAMS 64u

/*
 * Split p (data at its IPv4 header, longer than mtu, DF clear) into
 * fragments of at most mtu bytes and hand each to emit, in order. Frees p.
 * Returns the number of fragments, or -1 (p freed, nothing emitted) if the
 * header leaves no room for 8 bytes of payload under mtu.
 */
int ipfrag_fragment(struct sim *sim, struct pkt *p, uint32_t mtu,
    void (*emit)(struct pkt *frag, void *ctx), void *ctx);

/*
 * Called when a reassembly gives up: held is the number of bytes it had,
 * first is a copy of the first fragment (header + up to 8 bytes of data,
 * for the ICMP time exceeded), or NULL if the first fragment never came.
 * first is freed by the table after the call.
 */
typedef void (*ipfrag_expire_fn)(void *ctx, uint64_t uid, uint32_t held,
    const struct pkt *first);

struct ipfrag_table *ipfrag_table_new(struct sim *sim, ipfrag_expire_fn fn,
    void *ctx);
void ipfrag_table_free(struct ipfrag_table *t);

/*
 * Take a fragment (data at its IPv4 header; header checksum already
 * verified). Returns the whole datagram (data at its IPv4 header, fragment
 * fields cleared, checksum recomputed) when this fragment completes it, else
 * NULL. The fragment is consumed (freed) unless it is refused: then NULL is
 * returned with *refused set and the caller still owns frag (table full,
 * lengths that contradict earlier fragments, or beyond 65535 bytes).
 */
struct pkt *ipfrag_input(struct ipfrag_table *t, struct pkt *frag,
    int *refused);

#endif
