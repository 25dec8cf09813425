/*
 * ipsec_scenario.c - the `ipsec` section of a scenario file: its tables
 * and the load checks (ipsec_scenario.h). The build, the run state and
 * the assertion kinds are in ipsec_scenario_run.c.
 *
 * Loading resolves each item to its node, its tunnel interface (which
 * must have no link) and the interface holding its local address (whose
 * VRF is the tunnel's outer VRF), and checks the keying's parameters:
 * manual SPIs unique per node and outside RFC 4303's reserved range,
 * algorithm pairs that exist, a shared key for IKEv2.
 */
#include <stdio.h>
#include <string.h>

#include "esp.h"
#include "ipsec_sc_int.h"
#include "ipsec_scenario.h"
#include "query_cross.h"
#include "scenario_section.h"
#include "wire.h"

const char *const ipsec_encr_names[] = { "aes-cbc-128", "aes-cbc-192",
	"aes-cbc-256", "aes-gcm-128", "aes-gcm-192", "aes-gcm-256", "3des",
	NULL };
static const char *const encr_docs[] = { "AES-CBC, 128-bit key: IV 16, "
	"block 16", "AES-CBC, 192-bit key", "AES-CBC, 256-bit key",
	"AES-GCM-16, 128-bit key: IV 8, ICV 16, no integ (RFC 4106)",
	"AES-GCM-16, 192-bit key", "AES-GCM-16, 256-bit key",
	"3DES-CBC: IV 8, block 8", NULL };
const uint16_t ipsec_encr_id[] = { ESP_ENCR_AES_CBC, ESP_ENCR_AES_CBC,
	ESP_ENCR_AES_CBC, ESP_ENCR_AES_GCM_16, ESP_ENCR_AES_GCM_16,
	ESP_ENCR_AES_GCM_16, ESP_ENCR_3DES };
const uint16_t ipsec_encr_keylen[] = { 128, 192, 256, 128, 192, 256, 0 };

const char *const ipsec_integ_names[] = { "sha1-96", "sha256-128",
	"sha384-192", "sha512-256", "md5-96", NULL };
static const char *const integ_docs[] = { "HMAC-SHA1-96: ICV 12",
	"HMAC-SHA-256-128: ICV 16", "HMAC-SHA-384-192: ICV 24",
	"HMAC-SHA-512-256: ICV 32", "HMAC-MD5-96: ICV 12", NULL };
const uint16_t ipsec_integ_id[] = { ESP_INTEG_HMAC_SHA1_96,
	ESP_INTEG_HMAC_SHA2_256_128, ESP_INTEG_HMAC_SHA2_384_192,
	ESP_INTEG_HMAC_SHA2_512_256, ESP_INTEG_HMAC_MD5_96 };

const char *const ipsec_prf_names[] = { "sha1", "sha256", "sha384", NULL };
/* IANA IKEv2 Transform Type 2 */
const uint16_t ipsec_prf_id[] = { 2, 5, 6 };

static const char *const keying_names[] = { "ikev2", "manual", NULL };
static const char *const keying_docs[] = { "IKEv2 (RFC 7296) negotiates "
	"the SAs and rekeys them (ike, child, psk)",
	"static SAs written in manual (RFC 4301 4.5): no IKE", NULL };

#define TABLE(nm, doc, fields, type) \
	{ nm, doc, fields, SC_NFIELDS(fields), sizeof(type), \
	offsetof(type, loc), offsetof(type, vloc), offsetof(type, keys), -1 }

static const struct sc_field prop_fields[] = {
	[PR_ENCR] = { "encr", SC_FT_ENUM, SC_AT(struct ipsec_sc_prop, encr),
		.names = ipsec_encr_names, .name_docs = encr_docs,
		.required = true, .doc = "encryption algorithm and key length" },
	[PR_INTEG] = { "integ", SC_FT_ENUM,
		SC_AT(struct ipsec_sc_prop, integ), .names = ipsec_integ_names,
		.name_docs = integ_docs, .def_doc = "none (AES-GCM only)",
		.doc = "integrity algorithm; required but with AES-GCM" },
	[PR_PRF] = { "prf", SC_FT_ENUM, SC_AT(struct ipsec_sc_prop, prf),
		.names = ipsec_prf_names, .def_doc = "the integ's hash",
		.doc = "ike proposals: the pseudorandom function" },
	[PR_DH] = { "dh", SC_FT_UINT, SC_AT(struct ipsec_sc_prop, dh),
		.max = 65535, .def_doc = "none",
		.doc = "ike proposals: the Diffie-Hellman group (IANA: 2, 5, "
		    "14, 19, 20, 24, ...)" },
	[PR_PFS] = { "pfs", SC_FT_UINT, SC_AT(struct ipsec_sc_prop, pfs),
		.max = 65535, .def = "0",
		.doc = "child proposals: the PFS group of CREATE_CHILD_SA "
		    "(0: no PFS; OCI's default is 5)" },
};

static const struct sc_table prop_table = TABLE("ipsec-proposal",
    "One proposal: a single transform of each type.", prop_fields,
    struct ipsec_sc_prop);

static const struct sc_field ike_fields[] = {
	[IK_VERSION] = { "version", SC_FT_UINT,
		SC_AT(struct ipsec_sc_ike, version), .min = 1, .max = 2,
		.def = "2", .doc = "2; 1: an IKEv1 end (Main Mode only), which "
		    "an IKEv2 end cannot talk to" },
	[IK_PROPOSALS] = { "proposals", SC_FT_LIST,
		SC_AT(struct ipsec_sc_ike, props),
		SC_AT2(struct ipsec_sc_ike, n_props), .sub = &prop_table,
		.doc = "IKE SA proposals in preference order (encr, integ, "
		    "prf, dh)" },
	[IK_LIFETIME] = { "lifetime", SC_FT_TIME,
		SC_AT(struct ipsec_sc_ike, lifetime), .min = 1,
		.def = "28800s", .doc = "IKE SA lifetime (OCI: 28,800 s)" },
	[IK_DPD] = { "dpd", SC_FT_TIME, SC_AT(struct ipsec_sc_ike, dpd),
		.def = "0s", .doc = "dead peer detection interval (0s: off)" },
	[IK_RESTART] = { "restart", SC_FT_TIME,
		SC_AT(struct ipsec_sc_ike, restart), .def = "0s",
		.doc = "an initiator whose IKE SA failed, expired or was "
		    "deleted by the peer starts again after this long "
		    "(strongSwan's dpdaction/closeaction restart; 0s: it stays "
		    "down)" },
};

static const struct sc_table ike_table = TABLE("ipsec-ike",
    "The IKE SA's policy (keying: ikev2).", ike_fields, struct ipsec_sc_ike);

static const struct sc_field child_fields[] = {
	[CH_PROPOSALS] = { "proposals", SC_FT_LIST,
		SC_AT(struct ipsec_sc_child, props),
		SC_AT2(struct ipsec_sc_child, n_props), .sub = &prop_table,
		.doc = "Child SA (ESP) proposals in preference order (encr, "
		    "integ, pfs)" },
	[CH_LIFETIME] = { "lifetime", SC_FT_TIME,
		SC_AT(struct ipsec_sc_child, lifetime), .min = 1,
		.def = "3600s", .doc = "Child SA lifetime (OCI: 3,600 s)" },
};

static const struct sc_table child_table = TABLE("ipsec-child",
    "The Child SAs' policy (keying: ikev2).", child_fields,
    struct ipsec_sc_child);

static const struct sc_field manual_fields[] = {
	[MA_SPI_IN] = { "spi_in", SC_FT_UINT,
		SC_AT(struct ipsec_sc_manual, spi_in), .min = 256,
		.max = UINT32_MAX, .required = true,
		.doc = "SPI of the packets this end receives (the far end's "
		    "spi_out); 1-255 are reserved (RFC 4303 2.1)" },
	[MA_SPI_OUT] = { "spi_out", SC_FT_UINT,
		SC_AT(struct ipsec_sc_manual, spi_out), .min = 256,
		.max = UINT32_MAX, .required = true,
		.doc = "SPI of the packets this end sends (the far end's "
		    "spi_in)" },
	[MA_ENCR] = { "encr", SC_FT_ENUM, SC_AT(struct ipsec_sc_manual, encr),
		.names = ipsec_encr_names, .name_docs = encr_docs,
		.def = "aes-cbc-128", .doc = "encryption algorithm" },
	[MA_INTEG] = { "integ", SC_FT_ENUM,
		SC_AT(struct ipsec_sc_manual, integ),
		.names = ipsec_integ_names, .name_docs = integ_docs,
		.def_doc = "sha1-96, none with AES-GCM",
		.doc = "integrity algorithm" },
};

static const struct sc_table manual_table = TABLE("ipsec-manual",
    "Static SAs (keying: manual); the key is derived from psk.",
    manual_fields, struct ipsec_sc_manual);

static const struct sc_field ipsec_fields[] = {
	[IP_NAME] = { "name", SC_FT_NAME, SC_AT(struct ipsec_sc, name),
		.required = true,
		.doc = "unique tunnel end name (assertions use it)" },
	[IP_NODE] = { "node", SC_FT_NAME, SC_AT(struct ipsec_sc, node),
		.required = true, .doc = "the node this end is on" },
	[IP_IFACE] = { "interface", SC_FT_NAME, SC_AT(struct ipsec_sc, iface),
		.required = true,
		.doc = "its tunnel interface: an interface of the node, "
		    "written in nodes:, on no link; routes and BGP use it" },
	[IP_LOCAL] = { "local", SC_FT_ADDR, SC_AT(struct ipsec_sc, local),
		.required = true, .doc = "outer source address: an address of "
		    "the node, whose interface's VRF is the outer VRF" },
	[IP_REMOTE] = { "remote", SC_FT_ADDR, SC_AT(struct ipsec_sc, remote),
		.required = true, .doc = "outer destination: the far end's "
		    "local" },
	[IP_KEYING] = { "keying", SC_FT_ENUM, SC_AT(struct ipsec_sc, keying),
		.names = keying_names, .name_docs = keying_docs,
		.def = "ikev2", .doc = "how the SAs are made" },
	[IP_INITIATOR] = { "initiator", SC_FT_BOOL,
		SC_AT(struct ipsec_sc, initiator), .def = "true",
		.doc = "ikev2: this end starts IKE_SA_INIT at 0s, or when its "
		    "gate opens (both may)" },
	[IP_PSK] = { "psk", SC_FT_STRING, SC_AT(struct ipsec_sc, psk),
		.def_doc = "none", .doc = "pre-shared key (ikev2: required); "
		    "manual: the SAs' key is derived from it" },
	[IP_IKE] = { "ike", SC_FT_MAP, SC_AT(struct ipsec_sc, ike),
		.sub = &ike_table, .doc = "ikev2: the IKE SA's policy" },
	[IP_CHILD] = { "child", SC_FT_MAP, SC_AT(struct ipsec_sc, child),
		.sub = &child_table, .doc = "ikev2: the Child SAs' policy" },
	[IP_MANUAL] = { "manual", SC_FT_MAP, SC_AT(struct ipsec_sc, manual),
		.sub = &manual_table, .doc = "manual: the static SAs" },
	[IP_NAT_T] = { "nat_t", SC_FT_BOOL, SC_AT(struct ipsec_sc, nat_t),
		.def = "false", .doc = "ESP in UDP 4500 -> 4500 (RFC 3948 NAT "
		    "traversal): 8 bytes more a packet; ikev2: IKE moves to "
		    "4500 too (forced encapsulation)" },
	[IP_MTU] = { "mtu", SC_FT_UINT, SC_AT(struct ipsec_sc, mtu),
		.min = 68, .max = 65535,
		.def_doc = "the largest inner packet whose ESP packet fits the "
		    "path's MTU (1438 for aes-cbc + sha1-96 over 1500)",
		.doc = "the tunnel interface's IP MTU" },
	[IP_GATE] = { "gate", SC_FT_STRING, SC_AT(struct ipsec_sc, gate),
		.def_doc = "none: the tunnel end exists from time zero",
		.doc = "a gate of the gates section: the tunnel end exists only "
		    "while it is open (no IKE, ESP finds no SA); opening "
		    "starts IKE (an initiator sends IKE_SA_INIT then), closing "
		    "deletes the SAs (docs/gates.md)" },
};

static const struct sc_table ipsec_table = TABLE("ipsec-tunnel",
    "One end of a site-to-site IPsec tunnel (ESP tunnel mode, RFC 4303) "
    "on a linkless interface of a node (docs/ipsec.md).", ipsec_fields,
    struct ipsec_sc);

/* FNV-1a of the key text: both ends that share psk share the key. */
uint64_t
ipsec_sc_manual_key(const char *psk)
{
	uint64_t h = 0xcbf29ce484222325ull;
	const char *c;

	for (c = psk != NULL ? psk : ""; *c != '\0'; c++)
		h = (h ^ (uint8_t)*c) * 0x100000001b3ull;
	return h;
}

/* --- checks ---------------------------------------------------------- */

static bool
same_vrf(const char *a, const char *b)
{
	return (a == NULL && b == NULL) ||
	    (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* The interface of node holding addr, or SIZE_MAX. */
static size_t
iface_with(const struct sc_node *nd, uint32_t addr)
{
	size_t i;

	for (i = 0; i < nd->n_ifaces; i++)
		if (nd->ifaces[i].plen > 0 && nd->ifaces[i].addr == addr)
			return i;
	return SIZE_MAX;
}

/* "a, b, c" of the node's addresses, for a hint. */
static void
addresses(const struct sc_node *nd, char *buf, size_t len)
{
	size_t i, off = 0;
	char a[16];

	buf[0] = '\0';
	for (i = 0; i < nd->n_ifaces && off + 20 < len; i++)
		if (nd->ifaces[i].plen > 0)
			off += (size_t)snprintf(buf + off, len - off, "%s%s",
			    off ? ", " : "", wire_ip_str(nd->ifaces[i].addr,
			    a));
	if (off == 0)
		snprintf(buf, len, "none");
}

static bool
check_algo(struct sc_check *ck, int encr, int integ, struct sc_loc loc)
{
	struct esp_algo a;
	char err[128];

	if (encr <= 0)
		return false;
	if (esp_algo(ipsec_encr_id[encr - 1], ipsec_encr_keylen[encr - 1] ?
	    ipsec_encr_keylen[encr - 1] : 192, integ > 0 ?
	    ipsec_integ_id[integ - 1] : ESP_INTEG_NONE, &a, err,
	    sizeof(err)) < 0) {
		sc_check_error(ck, loc, "%s", err);
		return false;
	}
	return true;
}

/*
 * Lower bounds (docs/ipsec.md "Timers"): a lifetime under a minute, or a
 * DPD or restart interval under a second, is no real gateway's setting
 * and turns a run into an event storm (DPD re-arms every interval).
 */
#define IPSEC_LIFETIME_MIN	SIM_S(60)
#define IPSEC_TIMER_MIN		SIM_S(1)

static void
check_min(struct sc_check *ck, const struct ipsec_sc *s, const char *what,
    sim_time v, sim_time min, bool zero_off, struct sc_loc at)
{
	char a[32], b[32];

	if (v >= min || (zero_off && v == 0))
		return;
	sc_check_error(ck, at, "tunnel %s: %s %s is below %s%s",
	    s->name != NULL ? s->name : "?", what, units_fmt_time(a,
	    sizeof(a), v), units_fmt_time(b, sizeof(b), min), zero_off ?
	    " (0s turns it off)" : "");
}

static void
check_timers(struct sc_check *ck, const struct ipsec_sc *s)
{
	const struct ipsec_sc_ike *k = &s->ike;
	const struct ipsec_sc_child *c = &s->child;

	if (sc_key_ok(s->keys, IP_IKE)) {
		if (sc_key_ok(k->keys, IK_LIFETIME))
			check_min(ck, s, "ike lifetime", k->lifetime,
			    IPSEC_LIFETIME_MIN, false, k->vloc[IK_LIFETIME]);
		if (sc_key_ok(k->keys, IK_DPD))
			check_min(ck, s, "dpd", k->dpd, IPSEC_TIMER_MIN, true,
			    k->vloc[IK_DPD]);
		if (sc_key_ok(k->keys, IK_RESTART))
			check_min(ck, s, "restart", k->restart,
			    IPSEC_TIMER_MIN, true, k->vloc[IK_RESTART]);
	}
	if (sc_key_ok(s->keys, IP_CHILD) && sc_key_ok(c->keys, CH_LIFETIME))
		check_min(ck, s, "child lifetime", c->lifetime,
		    IPSEC_LIFETIME_MIN, false, c->vloc[CH_LIFETIME]);
}

static void
check_manual(struct sc_check *ck, struct ipsec_sc *s, struct ipsec_sc *v,
    size_t i)
{
	struct ipsec_sc_manual *m = &s->manual;
	size_t j;

	if (!sc_key_given(s->keys, IP_MANUAL)) {
		sc_check_error(ck, s->vloc[IP_KEYING], "keying manual needs "
		    "manual: {spi_in, spi_out, encr, integ}");
		return;
	}
	/* sha1-96 unless GCM, which takes none */
	if (!sc_key_given(m->keys, MA_INTEG) && m->encr > 0 &&
	    ipsec_encr_id[m->encr - 1] != ESP_ENCR_AES_GCM_16)
		m->integ = 1;
	check_algo(ck, m->encr, m->integ, sc_key_given(m->keys, MA_INTEG) ?
	    m->vloc[MA_INTEG] : m->vloc[MA_ENCR].line ? m->vloc[MA_ENCR] :
	    s->vloc[IP_MANUAL]);
	if (!sc_key_ok(m->keys, MA_SPI_IN))
		return;
	for (j = 0; j < i; j++) {
		const struct ipsec_sc *o = &v[j];

		if (o->ok && o->keying == IPSEC_KEY_MANUAL &&
		    o->node_idx == s->node_idx &&
		    o->manual.spi_in == m->spi_in) {
			sc_check_error(ck, m->vloc[MA_SPI_IN], "spi_in 0x%x is "
			    "taken on node %s by tunnel '%s' (at %u:%u): an "
			    "inbound SPI names one SA", m->spi_in, s->node,
			    o->name, o->loc.line, o->loc.col);
			s->ok = false;
		}
	}
}

static void
check_ikev2(struct sc_check *ck, struct ipsec_sc *s)
{
	struct sc_loc at = sc_key_given(s->keys, IP_KEYING) ?
	    s->vloc[IP_KEYING] : s->loc;
	char err[160];
	size_t k;

	if (s->psk == NULL || s->psk[0] == '\0')
		sc_check_error(ck, at, "keying ikev2 needs a "
		    "psk (the pre-shared key IKE_AUTH proves)");
	else if (strlen(s->psk) > IPSEC_PSK_MAX)
		sc_check_error(ck, s->vloc[IP_PSK], "psk is %zu bytes: at "
		    "most %d", strlen(s->psk), IPSEC_PSK_MAX);
	if (!sc_key_given(s->keys, IP_IKE) || s->ike.n_props == 0)
		sc_check_error(ck, at, "keying ikev2 needs "
		    "ike: {proposals: [{encr, integ, prf, dh}]}");
	if (!sc_key_given(s->keys, IP_CHILD) || s->child.n_props == 0)
		sc_check_error(ck, at, "keying ikev2 needs "
		    "child: {proposals: [{encr, integ, pfs}]}");
	for (k = 0; k < s->child.n_props; k++)
		if (check_algo(ck, s->child.props[k].encr,
		    s->child.props[k].integ, s->child.props[k].loc) &&
		    ipsec_sc_prop_check(&s->child.props[k], false, err,
		    sizeof(err)) < 0)
			sc_check_error(ck, s->child.props[k].loc, "tunnel %s, "
			    "child proposal %zu: %s", s->name, k + 1, err);
	for (k = 0; k < s->ike.n_props; k++)
		if (!sc_key_given(s->ike.props[k].keys, PR_DH))
			sc_check_error(ck, s->ike.props[k].loc, "an ike "
			    "proposal needs dh (its key exchange group)");
		else if (ipsec_sc_prop_check(&s->ike.props[k], true, err,
		    sizeof(err)) < 0)
			sc_check_error(ck, s->ike.props[k].loc, "tunnel %s, "
			    "ike proposal %zu: %s", s->name, k + 1, err);
	check_timers(ck, s);
}

static void
check_tunnel(struct sc_check *ck, struct ipsec_sc *v, size_t i)
{
	const struct scenario *sc = sc_check_scenario(ck);
	struct ipsec_sc *s = &v[i];
	const struct sc_node *nd;
	const struct sc_iface *ifc;
	char a[16], list[200];
	size_t j;

	if (sc_key_ok(s->keys, IP_GATE) && !sc_names_lookup(ck, "gate",
	    s->gate, s->vloc[IP_GATE], &j))
		return;
	if (!sc_names_lookup(ck, "node", s->node, s->vloc[IP_NODE],
	    &s->node_idx))
		return;
	nd = &sc->nodes[s->node_idx];
	if ((ifc = sc_check_iface(ck, s->node_idx, s->iface,
	    s->vloc[IP_IFACE])) == NULL)
		return;
	s->iface_idx = (size_t)(ifc - nd->ifaces);
	if (ifc->link != 0) {
		sc_check_error(ck, s->vloc[IP_IFACE], "interface %s:%s is on "
		    "link '%s': a tunnel interface has no link (add one "
		    "with only an address to the node)", nd->name, ifc->name,
		    sc->links[ifc->link - 1].name);
		return;
	}
	if (!sc_key_ok(s->keys, IP_LOCAL) || !sc_key_ok(s->keys, IP_REMOTE))
		return;
	s->local_idx = iface_with(nd, s->local);
	if (s->local_idx == SIZE_MAX) {
		addresses(nd, list, sizeof(list));
		sc_check_error(ck, s->vloc[IP_LOCAL], "local %s is not an "
		    "address of node %s (its addresses: %s)",
		    wire_ip_str(s->local, a), nd->name, list);
		return;
	}
	if (s->local_idx == s->iface_idx) {
		sc_check_error(ck, s->vloc[IP_LOCAL], "local %s is the tunnel "
		    "interface's own address: the outer source is an address "
		    "of another interface (the one facing the internet)",
		    wire_ip_str(s->local, a));
		return;
	}
	if (iface_with(nd, s->remote) != SIZE_MAX || s->remote == s->local) {
		sc_check_error(ck, s->vloc[IP_REMOTE], "remote %s is an "
		    "address of node %s itself", wire_ip_str(s->remote, a),
		    nd->name);
		return;
	}
	for (j = 0; j < i; j++)
		if (v[j].ok && v[j].node_idx == s->node_idx &&
		    v[j].iface_idx == s->iface_idx) {
			sc_check_error(ck, s->vloc[IP_IFACE], "interface %s:%s "
			    "is tunnel '%s''s already (at %u:%u)", nd->name,
			    ifc->name, v[j].name, v[j].loc.line,
			    v[j].loc.col);
			return;
		}
	for (j = 0; j < i; j++)
		if (v[j].ok && v[j].node_idx == s->node_idx &&
		    same_vrf(nd->ifaces[v[j].local_idx].vrf,
		    nd->ifaces[s->local_idx].vrf) && ((v[j].nat_t &&
		    v[j].keying == IPSEC_KEY_MANUAL && s->keying ==
		    IPSEC_KEY_IKEV2) || (s->nat_t && s->keying ==
		    IPSEC_KEY_MANUAL && v[j].keying == IPSEC_KEY_IKEV2))) {
			sc_check_error(ck, s->vloc[IP_LOCAL], "tunnel '%s' (at "
			    "%u:%u) and this one share node %s's outer VRF: "
			    "UDP 4500 there is IKE's or manual NAT-T's, not "
			    "both", v[j].name, v[j].loc.line, v[j].loc.col,
			    nd->name);
			return;
		}
	s->ok = true;
	if (s->keying == IPSEC_KEY_MANUAL)
		check_manual(ck, s, v, i);
	else if (s->keying == IPSEC_KEY_IKEV2)
		check_ikev2(ck, s);
}

static void
check_section(struct sc_check *ck, struct sc_section_data *d)
{
	struct ipsec_sc *v = d->items;
	size_t i;

	for (i = 0; i < d->n; i++) {
		if (v[i].loc.line == 0)
			continue;	/* not a mapping: reported */
		sc_names_add(ck, "ipsec tunnel", v[i].name, i,
		    v[i].vloc[IP_NAME]);
		check_tunnel(ck, v, i);
	}
}

const struct sc_section ipsec_sc_section = {
	.name = "ipsec",
	.doc = "site-to-site IPsec tunnel ends (ESP tunnel mode) on linkless "
	    "interfaces, keyed by hand or by IKEv2",
	.table = &ipsec_table, .list = true, .check = check_section,
	.phase = SC_PHASE_NET, .build = ipsec_sc_build,
	.state_free = ipsec_sc_run_free, .metrics_json = ipsec_sc_metrics,
};

int
ipsec_scenario_register(void)
{
	if (scenario_register_section(&ipsec_sc_section) < 0)
		return -1;
	if (scenario_register_assertion(&ipsec_sc_assert_established) < 0) {
		scenario_unregister_section(&ipsec_sc_section);
		return -1;
	}
	if (scenario_register_assertion(&ipsec_sc_assert_fails) < 0) {
		scenario_unregister_assertion(&ipsec_sc_assert_established);
		scenario_unregister_section(&ipsec_sc_section);
		return -1;
	}
	/* xcsim path and the path assertion cross its tunnels */
	return query_crossing_register(&ipsec_sc_crossing);
}
