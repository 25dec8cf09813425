/*
 * bgp_attrset.c - the attribute set as a speaker keeps it: one flat
 * allocation with no pointers (hash, equality, copies are on bytes), AS
 * paths as words with segment markers, and the RFC 6793 conversions
 * between the 2-octet and the 4-octet views of a path.
 */
#include <stdlib.h>
#include <string.h>

#include "bgp_int.h"
#include "util.h"

/* ---- the flat set ---- */

/* The ORIGINATOR_ID word: present or not (a reflected route is rare). */
#define ORIG_WORDS(has) (((has) & BGP_HAS(BGP_ATTR_ORIGINATOR_ID)) ? 1u : 0u)

static size_t
var_words(uint16_t path_len, uint16_t as4_path_len, uint16_t n_comm,
    uint16_t n_lcomm, unsigned orig, uint16_t n_cluster,
    uint16_t unknown_len)
{
	return (size_t)path_len + as4_path_len + n_comm + 3u * n_lcomm +
	    orig + n_cluster + ((size_t)unknown_len + 3) / 4;
}

size_t
bgp_attrs_size(const struct bgp_attrs *a)
{
	return sizeof(*a) + 4 * var_words(a->path_len, a->as4_path_len,
	    a->n_comm, a->n_lcomm, ORIG_WORDS(a->has), a->n_cluster,
	    a->unknown_len);
}

uint32_t
bgp_attrs_originator(const struct bgp_attrs *a)
{
	if (!(a->has & BGP_HAS(BGP_ATTR_ORIGINATOR_ID)))
		return 0;
	return a->v[a->path_len + a->as4_path_len + a->n_comm +
	    3u * a->n_lcomm];
}

struct bgp_attrs *
bgp_attrs_new(const struct bgp_attrs *fixed, const struct bgp_attrs_var *var)
{
	/* the CLUSTER_LIST bit exactly when there are ids: never sent empty */
	uint16_t n_cluster = (fixed->has & BGP_HAS(BGP_ATTR_CLUSTER_LIST)) ?
	    var->n_cluster : 0;
	size_t words = var_words(var->path_len, var->as4_path_len,
	    var->n_comm, var->n_lcomm, ORIG_WORDS(fixed->has), n_cluster,
	    var->unknown_len);
	struct bgp_attrs *a = xcalloc(1, sizeof(*a) + 4 * words);
	uint32_t *v = a->v;

	a->has = fixed->has;
	a->next_hop = fixed->next_hop;
	a->med = fixed->med;
	a->local_pref = fixed->local_pref;
	a->aggr_as = fixed->aggr_as;
	a->aggr_id = fixed->aggr_id;
	a->as4_aggr_as = fixed->as4_aggr_as;
	a->as4_aggr_id = fixed->as4_aggr_id;
	a->origin = fixed->origin;
	a->path_len = var->path_len;
	a->as4_path_len = var->as4_path_len;
	a->n_comm = var->n_comm;
	a->n_lcomm = var->n_lcomm;
	a->unknown_len = var->unknown_len;
	a->n_cluster = n_cluster;
	if (n_cluster == 0)
		a->has &= ~BGP_HAS(BGP_ATTR_CLUSTER_LIST);
	if (var->path_len)
		memcpy(v, var->path, 4u * var->path_len);
	v += var->path_len;
	if (var->as4_path_len)
		memcpy(v, var->as4_path, 4u * var->as4_path_len);
	v += var->as4_path_len;
	if (var->n_comm)
		memcpy(v, var->comm, 4u * var->n_comm);
	v += var->n_comm;
	if (var->n_lcomm)
		memcpy(v, var->lcomm, 12u * var->n_lcomm);
	v += 3u * var->n_lcomm;
	if (ORIG_WORDS(fixed->has))
		*v++ = var->originator_id;
	if (n_cluster)
		memcpy(v, var->cluster, 4u * n_cluster);
	v += n_cluster;
	if (var->unknown_len)
		memcpy(v, var->unknown, var->unknown_len);
	/* Fields of a known type that is absent are zero: equal sets compare equal. */
	if (!(a->has & BGP_HAS(BGP_ATTR_NEXT_HOP)))
		a->next_hop = 0;
	if (!(a->has & BGP_HAS(BGP_ATTR_MED)))
		a->med = 0;
	if (!(a->has & BGP_HAS(BGP_ATTR_LOCAL_PREF)))
		a->local_pref = 0;
	if (!(a->has & BGP_HAS(BGP_ATTR_ORIGIN)))
		a->origin = 0;
	if (!(a->has & BGP_HAS(BGP_ATTR_AGGREGATOR)))
		a->aggr_as = a->aggr_id = 0;
	if (!(a->has & BGP_HAS(BGP_ATTR_AS4_AGGREGATOR)))
		a->as4_aggr_as = a->as4_aggr_id = 0;
	return a;
}

void
bgp_attrs_var(const struct bgp_attrs *a, struct bgp_attrs_var *var)
{
	const uint32_t *v = a->v;

	var->path = v;
	var->path_len = a->path_len;
	v += a->path_len;
	var->as4_path = v;
	var->as4_path_len = a->as4_path_len;
	v += a->as4_path_len;
	var->comm = v;
	var->n_comm = a->n_comm;
	v += a->n_comm;
	var->lcomm = v;
	var->n_lcomm = a->n_lcomm;
	v += 3u * a->n_lcomm;
	var->originator_id = 0;
	if (ORIG_WORDS(a->has))
		var->originator_id = *v++;
	var->cluster = v;
	var->n_cluster = a->n_cluster;
	v += a->n_cluster;
	var->unknown = (const uint8_t *)v;
	var->unknown_len = a->unknown_len;
}

struct bgp_attrs *
bgp_attrs_dup(const struct bgp_attrs *a)
{
	size_t n = bgp_attrs_size(a);
	struct bgp_attrs *b = xmalloc(n);

	memcpy(b, a, n);
	return b;
}

static uint32_t
fnv_bytes(uint32_t h, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 16777619u;
	}
	return h;
}

static uint32_t
fnv_be(uint32_t h, uint32_t v, size_t n)
{
	uint8_t b[4];

	put_be32(b, v);
	return fnv_bytes(h, b + 4 - n, n);
}

/*
 * Over the fields in network byte order, not over the struct's memory:
 * the value is the same on every host, whatever its byte order.
 */
uint32_t
bgp_attrs_hash(const struct bgp_attrs *a)
{
	const uint32_t fixed[] = { a->has, a->next_hop, a->med,
	    a->local_pref, a->aggr_as, a->aggr_id, a->as4_aggr_as,
	    a->as4_aggr_id };
	const uint16_t counts[] = { a->path_len, a->as4_path_len, a->n_comm,
	    a->n_lcomm, a->unknown_len };
	/*
	 * The ORIGINATOR_ID and CLUSTER_LIST words are hashed with the
	 * others (has says they are there): a set without them hashes as it
	 * did before the codec knew them.
	 */
	size_t words = (size_t)a->path_len + a->as4_path_len + a->n_comm +
	    3u * a->n_lcomm + ORIG_WORDS(a->has) + a->n_cluster;
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		h = fnv_be(h, fixed[i], 4);
	for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
		h = fnv_be(h, counts[i], 2);
	h = fnv_be(h, a->origin, 1);
	for (i = 0; i < words; i++)
		h = fnv_be(h, a->v[i], 4);
	return fnv_bytes(h, (const uint8_t *)(a->v + words), a->unknown_len);
}

bool
bgp_attrs_equal(const struct bgp_attrs *a, const struct bgp_attrs *b)
{
	size_t n = bgp_attrs_size(a);

	return n == bgp_attrs_size(b) && memcmp(a, b, n) == 0;
}

void
bgp_attrs_set_partial(struct bgp_attrs *a)
{
	struct bgp_attrs_var var;
	uint8_t *u;
	size_t i = 0, hl, alen;

	bgp_attrs_var(a, &var);
	u = (uint8_t *)(uintptr_t)var.unknown;
	while (i + 3 <= var.unknown_len) {
		hl = (u[i] & BGP_AF_EXTLEN) ? 4 : 3;
		alen = hl == 4 ? get_be16(u + i + 2) : u[i + 2];
		if ((u[i] & (BGP_AF_OPTIONAL | BGP_AF_TRANSITIVE)) ==
		    (BGP_AF_OPTIONAL | BGP_AF_TRANSITIVE))
			u[i] |= BGP_AF_PARTIAL;
		i += hl + alen;
	}
}

/* ---- AS paths ---- */

bool
bgp_path_valid(const uint32_t *path, uint16_t n)
{
	size_t i = 0;

	while (i < n) {
		uint8_t t = BGP_SEG_TYPE(path[i]);
		size_t k = BGP_SEG_N(path[i]);

		if (t < BGP_SEG_SET || t > BGP_SEG_CONFED_SET || k == 0 ||
		    k > (size_t)n - i - 1)
			return false;
		i += 1 + k;
	}
	return true;
}

unsigned
bgp_path_count(const uint32_t *path, uint16_t n)
{
	unsigned c = 0;
	size_t i = 0;

	while (i < n) {
		uint8_t t = BGP_SEG_TYPE(path[i]);
		size_t k = BGP_SEG_N(path[i]);

		if (t == BGP_SEG_SEQUENCE)
			c += (unsigned)k;
		else if (t == BGP_SEG_SET)
			c++;
		i += 1 + k;
	}
	return c;
}

int
bgp_path_merge(const uint32_t *path, uint16_t n, const uint32_t *as4,
    uint16_t n4, uint32_t *out, size_t cap)
{
	unsigned c = bgp_path_count(path, n), c4 = bgp_path_count(as4, n4);
	size_t i = 0, o = 0, last_seq = SIZE_MAX;
	unsigned diff;

	if (c < c4 || n4 == 0) {
		/* RFC 6793 4.2.3: an AS4_PATH longer than AS_PATH is ignored. */
		if (n > cap)
			return -1;
		memcpy(out, path, 4u * n);
		return n;
	}
	diff = c - c4;
	while (i < n) {
		uint8_t t = BGP_SEG_TYPE(path[i]);
		size_t k = BGP_SEG_N(path[i]), take;

		if (t == BGP_SEG_CONFED_SEQUENCE || t == BGP_SEG_CONFED_SET) {
			/* counted 0, and AS4_PATH never carries them: keep */
			take = k;
		} else if (diff == 0) {
			break;
		} else if (t == BGP_SEG_SET) {
			take = k;
			diff--;
		} else {
			take = k < diff ? k : diff;
			diff -= (unsigned)take;
		}
		if (o + 1 + take > cap)
			return -1;
		last_seq = t == BGP_SEG_SEQUENCE ? o : SIZE_MAX;
		out[o] = BGP_SEG(t, take);
		memcpy(out + o + 1, path + i + 1, 4 * take);
		o += 1 + take;
		i += 1 + k;
	}
	i = 0;
	/* A sequence taken from AS_PATH runs on into AS4_PATH's first one. */
	if (last_seq != SIZE_MAX && n4 > 0 &&
	    BGP_SEG_TYPE(as4[0]) == BGP_SEG_SEQUENCE &&
	    BGP_SEG_N(out[last_seq]) + BGP_SEG_N(as4[0]) <= 255) {
		size_t k = BGP_SEG_N(as4[0]);

		if (o + k > cap)
			return -1;
		memcpy(out + o, as4 + 1, 4 * k);
		out[last_seq] = BGP_SEG(BGP_SEG_SEQUENCE,
		    BGP_SEG_N(out[last_seq]) + k);
		o += k;
		i = 1 + k;
	}
	if (o + (n4 - i) > cap)
		return -1;
	memcpy(out + o, as4 + i, 4 * (n4 - i));
	o += n4 - i;
	return (int)o;
}

struct bgp_attrs *
bgp_attrs_from_as2(const struct bgp_attrs *a)
{
	struct bgp_attrs fixed = *a;
	struct bgp_attrs_var var;
	uint32_t out[BGP_PATH_MAX_WORDS];
	bool use4 = true;
	int n;

	bgp_attrs_var(a, &var);
	if ((a->has & BGP_HAS(BGP_ATTR_AGGREGATOR)) &&
	    a->aggr_as != BGP_AS_TRANS)
		use4 = false;	/* RFC 6793 4.2.3: ignore both AS4_* */
	if (use4 && (a->has & BGP_HAS(BGP_ATTR_AS4_AGGREGATOR)) &&
	    (a->has & BGP_HAS(BGP_ATTR_AGGREGATOR))) {
		fixed.aggr_as = a->as4_aggr_as;
		fixed.aggr_id = a->as4_aggr_id;
	}
	if (use4 && (a->has & BGP_HAS(BGP_ATTR_AS4_PATH))) {
		n = bgp_path_merge(var.path, var.path_len, var.as4_path,
		    var.as4_path_len, out, BGP_PATH_MAX_WORDS);
		if (n >= 0) {
			var.path = out;
			var.path_len = (uint16_t)n;
		}
	}
	fixed.has &= ~(BGP_HAS(BGP_ATTR_AS4_PATH) |
	    BGP_HAS(BGP_ATTR_AS4_AGGREGATOR));
	var.as4_path_len = 0;
	return bgp_attrs_new(&fixed, &var);
}

struct bgp_attrs *
bgp_attrs_to_as2(const struct bgp_attrs *a)
{
	struct bgp_attrs fixed = *a;
	struct bgp_attrs_var var;
	uint32_t p2[BGP_PATH_MAX_WORDS], p4[BGP_PATH_MAX_WORDS];
	size_t i = 0, j, o2 = 0, o4 = 0;
	bool wide = false;

	/* more than 4096 bytes can carry: nothing a peer could have sent */
	if (a->path_len > BGP_PATH_MAX_WORDS || !bgp_path_valid(a->v,
	    a->path_len))
		return bgp_attrs_dup(a);
	bgp_attrs_var(a, &var);
	while (i < var.path_len && o2 < BGP_PATH_MAX_WORDS) {
		uint8_t t = BGP_SEG_TYPE(var.path[i]);
		size_t k = BGP_SEG_N(var.path[i]);
		bool confed = t == BGP_SEG_CONFED_SEQUENCE ||
		    t == BGP_SEG_CONFED_SET;

		p2[o2++] = var.path[i];
		if (!confed)
			p4[o4++] = var.path[i];
		for (j = 1; j <= k && i + j < var.path_len; j++) {
			uint32_t as = var.path[i + j];

			if (as > 0xffff)
				wide = true;
			p2[o2++] = as > 0xffff ? BGP_AS_TRANS : as;
			if (!confed)
				p4[o4++] = as;
		}
		i += 1 + k;
	}
	fixed.has &= ~(BGP_HAS(BGP_ATTR_AS4_PATH) |
	    BGP_HAS(BGP_ATTR_AS4_AGGREGATOR));
	var.path = p2;
	var.path_len = (uint16_t)o2;
	var.as4_path_len = 0;
	if (wide) {
		fixed.has |= BGP_HAS(BGP_ATTR_AS4_PATH);
		var.as4_path = p4;
		var.as4_path_len = (uint16_t)o4;
	}
	if ((a->has & BGP_HAS(BGP_ATTR_AGGREGATOR)) && a->aggr_as > 0xffff) {
		fixed.has |= BGP_HAS(BGP_ATTR_AS4_AGGREGATOR);
		fixed.as4_aggr_as = a->aggr_as;
		fixed.as4_aggr_id = a->aggr_id;
		fixed.aggr_as = BGP_AS_TRANS;
	}
	return bgp_attrs_new(&fixed, &var);
}
