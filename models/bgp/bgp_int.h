/*
 * bgp_int.h - what the codec's files share and nobody else calls: the
 * bounded output buffer, the error recorder, the path-attribute section
 * decoder and encoder (bgp_attr.c) used by the UPDATE code (bgp_msg.c).
 */
#ifndef XCSIM_BGP_INT_H
#define XCSIM_BGP_INT_H

#include "bgp_msg.h"

/* Writes past cap are dropped and remembered (bgpd's errs += idea). */
struct wbuf {
	uint8_t *p;
	size_t len, cap;
	bool over;
};

void wb_put(struct wbuf *w, const void *src, size_t n);
void wb_u8(struct wbuf *w, uint8_t v);
void wb_u16(struct wbuf *w, uint16_t v);
void wb_u32(struct wbuf *w, uint32_t v);

/* Record an outcome; the first RESET fixes the NOTIFICATION (data may be NULL). */
void bgp_result_add(struct bgp_result *r, uint8_t type, enum bgp_action act,
    uint8_t code, uint8_t subcode, const uint8_t *data, size_t data_len);

/* The MP attributes' value slices, found by the attribute decoder. */
struct bgp_mp_slices {
	const uint8_t *reach_nlri, *unreach;
	size_t reach_len, unreach_len;
};

/*
 * Decode the path-attribute section p[0..len) of an UPDATE into u->attrs,
 * u->has_mp_*, u->mp_next_hop and u->extlen; the MP NLRI bytes go to mp
 * for the caller to parse. body_nlri: the UPDATE carries NLRI after the
 * attributes (NEXT_HOP is then mandatory). Outcomes go to r.
 */
void bgp_attrs_decode(const uint8_t *p, size_t len, bool as4, bool body_nlri,
    struct bgp_update *u, struct bgp_mp_slices *mp, struct bgp_result *r);

/* Append the attributes of u (attrs and MP) in wire order. */
void bgp_attrs_encode(const struct bgp_update *u, bool as4, struct wbuf *w);

/* Prefixes in NLRI encoding. */
void bgp_prefixes_encode(const struct bgp_prefix4 *p, size_t n,
    struct wbuf *w);
static inline size_t
bgp_prefix_size(const struct bgp_prefix4 *p)
{
	return 1 + ((size_t)p->len + 7) / 8;
}

#endif
