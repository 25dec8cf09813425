/*
 * scenario_links.c - the links section and the timeline: links with their
 * queue, queue discipline, loss, jitter and per-direction overrides (a
 * delay may be a span between places, scenario_geo.c); events; and
 * the generic timeline actions: link-down, link-up and qdisc-set.
 */
#include <stdlib.h>
#include <string.h>

#include "net.h"
#include "qdisc.h"
#include "scenario_load.h"
#include "sim.h"
#include "units.h"
#include "wire.h"

static const char *const sc_loss_models[] = { "bernoulli", "gilbert_elliott", NULL };
static const char *const loss_model_docs[] = {
	"each packet is lost independently with probability p",
	"two-state Markov chain (good/bad) for bursty loss",
	NULL
};

static const struct sc_field queue_fields[] = {
	[QU_PACKETS] = { "packets", SC_FT_UINT,
		SC_AT(struct sc_link, qlimit_pkts), .min = 1,
		.max = 100000000, .def = "1000",
		.doc = "limit in packets, per direction" },
	[QU_BYTES] = { "bytes", SC_FT_SIZE,
		SC_AT(struct sc_link, qlimit_bytes), .min = 0,
		.max = SC_QLIMIT_BYTES_MAX, .def = "0",
		.doc = "limit in bytes per direction, 0 = none" },
};

static const struct sc_table queue_table = {
	"queue", "The limits of the transmit queue at each end of a link: "
	"the FIFO of whichever queue discipline it has. A frame that would "
	"pass either limit is dropped (queue_full).",
	queue_fields, SC_NFIELDS(queue_fields), 0, SC_NO_OFF,
	offsetof(struct sc_link, qvloc), SC_NO_OFF, -1
};

#define GE SC_LIST("gilbert_elliott")
static const struct sc_field loss_fields[] = {
	[LS_MODEL] = { "model", SC_FT_ENUM, SC_AT(struct sc_loss, kind),
		.names = sc_loss_models, .name_docs = loss_model_docs,
		.required = true, .doc = "loss model" },
	[LS_P] = { "p", SC_FT_PROB, SC_AT(struct sc_loss, p),
		.kinds = SC_LIST("bernoulli"), .required = true,
		.doc = "probability that a packet is lost" },
	[LS_P_GB] = { "p_gb", SC_FT_PROB, SC_AT(struct sc_loss, p_gb),
		.kinds = GE, .required = true,
		.doc = "per-packet probability of going from good to bad" },
	[LS_P_BG] = { "p_bg", SC_FT_PROB, SC_AT(struct sc_loss, p_bg),
		.kinds = GE, .required = true,
		.doc = "per-packet probability of going from bad to good" },
	[LS_LOSS_GOOD] = { "loss_good", SC_FT_PROB,
		SC_AT(struct sc_loss, loss_good), .kinds = GE, .def = "0",
		.doc = "loss probability in the good state" },
	[LS_LOSS_BAD] = { "loss_bad", SC_FT_PROB,
		SC_AT(struct sc_loss, loss_bad), .kinds = GE, .def = "1",
		.doc = "loss probability in the bad state" },
};
#undef GE

static const struct sc_table loss_table = {
	"loss", "Random packet loss on a link.",
	loss_fields, SC_NFIELDS(loss_fields), 0, SC_NO_OFF, SC_NO_OFF,
	SC_NO_OFF, LS_MODEL
};

static const char *const sc_jitter_kinds[] = { "uniform", "normal", "pareto",
	NULL };
static const char *const jitter_kind_docs[] = {
	"an extra delay uniform in [0, bound], to the nanosecond",
	"the magnitude of a normal deviate of standard deviation sd (a "
	"half-normal: mean 0.80 sd, median 0.67 sd, p99 2.58 sd), capped at "
	"bound if given",
	"heavy-tailed: a Lomax (Pareto type II) of the given shape scaled to "
	"standard deviation sd, most frames near the floor and a few far "
	"out, capped at bound if given",
	NULL
};

/* Largest jitter spread: an hour, far past any path's. */
#define SC_JITTER_MAX ((uint64_t)SIM_S(3600))

#define NP SC_LIST("normal", "pareto")
static const struct sc_field jitter_fields[] = {
	[JT_KIND] = { "kind", SC_FT_ENUM, SC_AT(struct sc_jitter, kind),
		.names = sc_jitter_kinds, .name_docs = jitter_kind_docs,
		.required = true,
		.doc = "the distribution of the extra delay" },
	[JT_SD] = { "sd", SC_FT_TIME, SC_AT(struct sc_jitter, sd),
		.kinds = NP, .required = true, .min = 1,
		.max = SC_JITTER_MAX,
		.doc = "its spread: the standard deviation (of the normal "
		"deviate for normal), at most 1h" },
	[JT_BOUND] = { "bound", SC_FT_TIME, SC_AT(struct sc_jitter, bound),
		.min = 0, .max = SC_JITTER_MAX,
		.def_doc = "uniform: required; normal, pareto: none",
		.doc = "uniform: the largest extra delay (> 0); normal, "
		"pareto: a cap on it (0 = none), at most 1h" },
	[JT_SHAPE] = { "shape", SC_FT_REAL, SC_AT(struct sc_jitter, shape),
		.kinds = SC_LIST("pareto"), .min = 2, .max = 1000, .def = "3",
		.doc = "the tail index alpha, more than 2 (a finite standard "
		"deviation): the smaller, the heavier the tail" },
	[JT_REORDER] = { "reorder", SC_FT_BOOL, SC_AT(struct sc_jitter,
		reorder), .def = "false",
		.doc = "false: a frame never arrives before the one sent ahead "
		"of it (its arrival is held to the previous one's: FIFO, as "
		"one path keeps it); true: each keeps its own draw, so frames "
		"overtake (parallel paths, ECMP without flow hashing)" },
};
#undef NP

static const struct sc_table jitter_table = {
	"jitter", "Random extra delay on a link direction, on top of its "
	"delay (which stays the floor), drawn per frame when it starts on the "
	"wire from the direction's own seeded stream: the same seed gives the "
	"same arrivals, and turning jitter on changes no loss draw.",
	jitter_fields, SC_NFIELDS(jitter_fields), 0, SC_NO_OFF,
	offsetof(struct sc_jitter, vloc), offsetof(struct sc_jitter, keys),
	JT_KIND
};

static const char *const sc_qdisc_kinds[] = { "droptail", "shaper",
	"policer", "red", "codel", NULL };
static const char *const qdisc_kind_docs[] = {
	"a FIFO within the queue limits: the link's own transmit queue",
	"token bucket (rate, burst) in front of the FIFO: frames wait for "
	"their tokens, so the direction carries at most rate, plus burst at "
	"once, and an excess queues (delay), then overflows the queue limits; "
	"with pps, frames wait for a packet token too",
	"token bucket (rate, burst) at the FIFO's entrance: a frame arriving "
	"without its tokens is dropped (policer), the others queue for the "
	"link; with pps, a frame needs a packet token too",
	"Random Early Detection (Floyd and Jacobson 1993, as ns-3's "
	"RedQueueDisc): an arriving frame is dropped (aqm) with a probability "
	"that grows from 0 at min_th to max_p at max_th of the average queue "
	"(then to 1 at 2 max_th when gentle), the others queue in the FIFO",
	"Controlled Delay (RFC 8289): a frame leaving after waiting target or "
	"longer, when the wait has stayed over target for interval, is dropped "
	"(aqm), then more at interval / sqrt(count) until the wait is back "
	"under target",
	NULL
};
static const char *const red_modes[] = { "packets", "bytes", NULL };
static const char *const red_mode_docs[] = {
	"the average counts packets, the thresholds are in packets",
	"the average counts bytes, the thresholds are in packets of mean_pkt "
	"bytes, and a frame's drop probability is scaled by its size over "
	"mean_pkt",
	NULL
};

/* Highest pps: a terabit of minimum frames is 1.5e9 packets/s. */
#define SC_PPS_MAX 1000000000000ULL

#define TB SC_LIST("shaper", "policer")
#define RED SC_LIST("red")
#define CD SC_LIST("codel")
static const struct sc_field qdisc_fields[] = {
	[QD_KIND] = { "kind", SC_FT_ENUM, SC_AT(struct sc_qdisc, kind),
		.names = sc_qdisc_kinds, .name_docs = qdisc_kind_docs,
		.required = true, .doc = "queue discipline" },
	[QD_RATE] = { "rate", SC_FT_RATE, SC_AT(struct sc_qdisc, rate_bps),
		.kinds = TB, .required = true, .min = 1,
		.doc = "token rate; a shaper's at most its direction's rate "
		"(a faster one would never hold a frame back)" },
	[QD_BURST] = { "burst", SC_FT_SIZE,
		SC_AT(struct sc_qdisc, burst_bytes), .kinds = TB,
		.required = true, .min = 1, .max = SC_QLIMIT_BYTES_MAX,
		.doc = "bucket depth, what a full bucket passes at once: at "
		"least one full frame (mtu + 14 bytes of Ethernet header + 4 "
		"per VLAN tag)" },
	[QD_PPS] = { "pps", SC_FT_UINT, SC_AT(struct sc_qdisc, rate_pps),
		.kinds = TB, .min = 0, .max = SC_PPS_MAX, .def = "0",
		.doc = "packet rate in packets/s, 0 = no packet limit: a "
		"second bucket in which every frame needs one token besides "
		"its bytes in the first (a gateway's packets-per-second "
		"limit)" },
	[QD_PPS_BURST] = { "pps_burst", SC_FT_UINT,
		SC_AT(struct sc_qdisc, burst_pkts), .kinds = TB, .min = 1,
		.max = UINT32_MAX,
		.def_doc = "as many packets as the byte burst lasts at the "
		"byte rate: ceil(pps x burst x 8 / rate), at least 1",
		.doc = "packet bucket depth, what a full bucket passes at "
		"once; needs pps" },
	[QD_MIN_TH] = { "min_th", SC_FT_UINT, SC_AT(struct sc_qdisc, min_th),
		.kinds = RED, .min = 0, .max = 100000000, .def = "5",
		.doc = "average queue, in packets, from which arrivals may be "
		"dropped at random (ns-3 MinTh)" },
	[QD_MAX_TH] = { "max_th", SC_FT_UINT, SC_AT(struct sc_qdisc, max_th),
		.kinds = RED, .min = 1, .max = 100000000, .def = "15",
		.doc = "average queue, in packets, at which the drop "
		"probability reaches max_p; more than min_th (ns-3 MaxTh)" },
	[QD_MAX_P] = { "max_p", SC_FT_PROB, SC_AT(struct sc_qdisc, max_p),
		.kinds = RED, .def = "0.02",
		.doc = "drop probability at max_th, > 0 (ns-3 1 / LInterm)" },
	[QD_W_Q] = { "w_q", SC_FT_PROB, SC_AT(struct sc_qdisc, w_q),
		.kinds = RED, .def = "0.002",
		.doc = "weight of each arrival's queue length in the average, "
		"> 0 (ns-3 QW)" },
	[QD_GENTLE] = { "gentle", SC_FT_BOOL, SC_AT(struct sc_qdisc, gentle),
		.kinds = RED, .def = "true",
		.doc = "from max_th to 2 max_th the probability rises from "
		"max_p to 1, instead of every arrival being dropped (ns-3 "
		"Gentle)" },
	[QD_WAIT] = { "wait", SC_FT_BOOL, SC_AT(struct sc_qdisc, wait),
		.kinds = RED, .def = "true",
		.doc = "space the drops: none until count x p reaches 1 "
		"(ns-3 Wait)" },
	[QD_MODE] = { "mode", SC_FT_ENUM, SC_AT(struct sc_qdisc, mode),
		.names = red_modes, .name_docs = red_mode_docs, .kinds = RED,
		.def = "packets", .doc = "what the average counts" },
	[QD_MEAN_PKT] = { "mean_pkt", SC_FT_SIZE,
		SC_AT(struct sc_qdisc, mean_pkt), .kinds = RED, .min = 1,
		.max = UINT32_MAX, .def = "500",
		.doc = "packet size the idle decay counts in (the frames the "
		"link could have sent while the queue was empty) and the "
		"byte mode's unit (ns-3 MeanPktSize)" },
	[QD_TARGET] = { "target", SC_FT_TIME, SC_AT(struct sc_qdisc, target),
		.kinds = CD, .min = 1, .def = "5ms",
		.doc = "acceptable standing queue delay (RFC 8289 TARGET)" },
	[QD_INTERVAL] = { "interval", SC_FT_TIME,
		SC_AT(struct sc_qdisc, interval), .kinds = CD, .min = 1,
		.max = (uint64_t)QDISC_CODEL_INTERVAL_MAX, .def = "100ms",
		.doc = "how long the delay may stay over target before a drop, "
		"and the control law's scale, about a worst-case RTT (RFC 8289 "
		"INTERVAL), at most 1h" },
	[QD_MIN_BYTES] = { "min_bytes", SC_FT_SIZE,
		SC_AT(struct sc_qdisc, min_bytes), .kinds = CD, .min = 0,
		.max = SC_QLIMIT_BYTES_MAX, .def = "0",
		.doc = "no drop while this many bytes or fewer remain queued "
		"(RFC 8289 maxpacket); 0 = one full frame of the link (mtu + "
		"14 bytes of Ethernet header + 4 per VLAN tag)" },
};
#undef TB
#undef RED
#undef CD

static const struct sc_table qdisc_table = {
	"qdisc", "The queue discipline of a link direction: what its "
	"transmitter takes the next frame from. Token buckets count the whole "
	"frame (Ethernet header and padding included) and start full.",
	qdisc_fields, SC_NFIELDS(qdisc_fields), 0, SC_NO_OFF,
	offsetof(struct sc_qdisc, vloc), SC_NO_OFF, QD_KIND
};

static const struct sc_field dir_fields[] = {
	[DR_RATE] = { "rate", SC_FT_RATE, SC_AT(struct sc_dir_over, v.rate_bps),
		.min = 1, .def_doc = "the link's",
		.doc = "bandwidth in this direction" },
	[DR_DELAY] = { "delay", SC_FT_DELAY,
		SC_AT(struct sc_dir_over, v.delay), .def_doc = "the link's",
		.doc = "propagation delay in this direction: a time, or the "
		"span between two places ({from, to, route_factor})" },
	[DR_LOSS] = { "loss", SC_FT_MAP, SC_AT(struct sc_dir_over, v.loss),
		.sub = &loss_table, .def_doc = "the link's",
		.doc = "loss in this direction (replaces the link's)" },
	[DR_QDISC] = { "qdisc", SC_FT_MAP, SC_AT(struct sc_dir_over, v.qdisc),
		.sub = &qdisc_table, .def_doc = "the link's",
		.doc = "queue discipline in this direction (replaces the "
		"link's)" },
	[DR_JITTER] = { "jitter", SC_FT_MAP, SC_AT(struct sc_dir_over,
		v.jitter), .sub = &jitter_table, .def_doc = "the link's",
		.doc = "jitter in this direction (replaces the link's)" },
};

static const struct sc_table dir_table = {
	"direction", "Overrides of a link's rate, delay, loss, queue "
	"discipline and jitter in one direction.",
	dir_fields, SC_NFIELDS(dir_fields), 0, SC_NO_OFF,
	offsetof(struct sc_dir_over, vloc), offsetof(struct sc_dir_over, keys),
	-1
};

static const struct sc_field link_fields[] = {
	[LK_NAME] = { "name", SC_FT_NAME, SC_AT(struct sc_link, name),
		.required = true, .doc = "unique link name (events use it)" },
	[LK_A] = { "a", SC_FT_ENDPOINT, SC_AT(struct sc_link, node[0]),
		SC_AT2(struct sc_link, iface[0]), .required = true,
		.doc = "one end, as node:interface" },
	[LK_B] = { "b", SC_FT_ENDPOINT, SC_AT(struct sc_link, node[1]),
		SC_AT2(struct sc_link, iface[1]), .required = true,
		.doc = "the other end, as node:interface" },
	[LK_RATE] = { "rate", SC_FT_RATE, SC_AT(struct sc_link, base.rate_bps),
		.min = 1, .def = "10Gbps",
		.doc = "bandwidth of each direction" },
	[LK_DELAY] = { "delay", SC_FT_DELAY, SC_AT(struct sc_link, base.delay),
		.def = "0s", .doc = "propagation delay of each direction: a "
		"time, or the span between two places ({from: eastus, to: "
		"us-ashburn-1, route_factor: 1.7}, docs/geo.md)" },
	[LK_MTU] = { "mtu", SC_FT_UINT, SC_AT(struct sc_link, mtu),
		.min = 68, .max = 65535, .def = "1500",
		.doc = "IP MTU in bytes" },
	[LK_QUEUE] = { "queue", SC_FT_MAP, .off = 0, .sub = &queue_table,
		.def_doc = "its keys' defaults",
		.doc = "transmit queue limits" },
	[LK_QDISC] = { "qdisc", SC_FT_MAP, SC_AT(struct sc_link, base.qdisc),
		.sub = &qdisc_table, .def_doc = "droptail",
		.doc = "queue discipline of each direction: drop-tail, a "
		"shaper, a policer, RED or CoDel" },
	[LK_LOSS] = { "loss", SC_FT_MAP, SC_AT(struct sc_link, base.loss),
		.sub = &loss_table, .def_doc = "no loss",
		.doc = "random loss of each direction" },
	[LK_A_TO_B] = { "a_to_b", SC_FT_MAP,
		.off = offsetof(struct sc_link, over[0]),
		.sub = &dir_table, .def_doc = "none",
		.doc = "rate, delay, loss, qdisc or jitter of the a to b "
		"direction only" },
	[LK_B_TO_A] = { "b_to_a", SC_FT_MAP,
		.off = offsetof(struct sc_link, over[1]),
		.sub = &dir_table, .def_doc = "none",
		.doc = "rate, delay, loss, qdisc or jitter of the b to a "
		"direction only" },
	[LK_CARRIER] = { "carrier", SC_FT_BOOL, SC_AT(struct sc_link, carrier),
		.def = "false",
		.doc = "whether its ends see it go down (loss of carrier, a "
		"port down): their connected routes are withdrawn while it is "
		"down and come back with it, so what routes through it moves "
		"at once; false: a failure its ends cannot see (inside a "
		"provider's network), found only by BFD or a hold timer" },
	[LK_GATE] = { "gate", SC_FT_STRING, SC_AT(struct sc_link, gate),
		.def_doc = "none: the link is there all the time",
		.doc = "a gate of the gates section: the link is down while it "
		"is closed, as if unplugged (its ends see no carrier whatever "
		"carrier says), from time zero if it starts closed" },
	[LK_UNCHECKED] = { "ends_unchecked", SC_FT_BOOL,
		SC_AT(struct sc_link, unchecked), .def = "false",
		.doc = "true: its ends may be in different subnets or carry "
		"different VLAN tags, as two parties configured them (a cloud "
		"interconnect whose sides are typed separately, "
		"docs/azure.md \"Peering by hand\"); the traffic then fails "
		"as it would (no address on the far end, DROP_VLAN)" },
	[LK_JITTER] = { "jitter", SC_FT_MAP, SC_AT(struct sc_link, base.jitter),
		.sub = &jitter_table, .def_doc = "none: every frame takes the "
		"delay", .doc = "random extra delay of each direction, with or "
		"without reordering" },
};

static const struct sc_table link_table = {
	"link", "A full-duplex point-to-point link between two interfaces in "
	"the same subnet with the same VLAN tags.",
	link_fields, SC_NFIELDS(link_fields), sizeof(struct sc_link),
	offsetof(struct sc_link, loc), offsetof(struct sc_link, vloc),
	offsetof(struct sc_link, keys), -1
};

/* --- link checks ----------------------------------------------------- */

static const char *
tag_text(char buf[8], unsigned tag)
{
	if (tag == 0)
		return "none";
	snprintf(buf, 8, "%u", tag & 0xfff);
	return buf;
}

static void
check_link_ends(struct sc_check *ld, struct sc_link *l, struct sc_iface *e[2])
{
	const struct sc_iface *a = e[0], *b = e[1];
	struct sc_loc at = l->vloc[LK_B];
	char a1[20], a2[20], msg[200], t1[8], t2[8];
	size_t off = 0;

	if (l->unchecked)
		return;
	if (a->plen != 0 && b->plen != 0) {
		uint32_t m = plen_mask(a->plen);

		if (a->addr == b->addr)
			ld_error(ld, at, "both ends of link '%s' have address "
			    "%s", q(ld, l->name),
			    ip_fmt(a1, sizeof(a1), a->addr));
		else if (a->plen != b->plen || (a->addr & m) != (b->addr & m))
			ld_error(ld, at, "the ends of link '%s' are in "
			    "different subnets: a is %s/%u, b is %s/%u",
			    q(ld, l->name), ip_fmt(a1, sizeof(a1), a->addr),
			    a->plen, ip_fmt(a2, sizeof(a2), b->addr), b->plen);
	}
	if (a->vlan != b->vlan)
		off += (size_t)snprintf(msg + off, sizeof(msg) - off,
		    "vlan %s at a, %s at b", tag_text(t1, a->vlan),
		    tag_text(t2, b->vlan));
	if (a->svlan != b->svlan)
		snprintf(msg + off, sizeof(msg) - off, "%ssvlan %s at a, %s at b",
		    off ? "; " : "", tag_text(t1, a->svlan),
		    tag_text(t2, b->svlan));
	if (a->vlan != b->vlan || a->svlan != b->svlan)
		ld_error(ld, at, "the ends of link '%s' have different VLAN "
		    "tags: %s", q(ld, l->name), msg);
}

static void
link_dirs(struct sc_link *l)
{
	int e;

	for (e = 0; e < 2; e++) {
		struct sc_link_dir *d = &l->dir[e];
		const struct sc_dir_over *o = &l->over[e];

		*d = l->base;
		if (sc_key_given(o->keys, DR_RATE))
			d->rate_bps = o->v.rate_bps;
		if (sc_key_given(o->keys, DR_DELAY))
			d->delay = o->v.delay;
		if (sc_key_given(o->keys, DR_LOSS))
			d->loss = o->v.loss;
		if (sc_key_given(o->keys, DR_QDISC))
			d->qdisc = o->v.qdisc;
		if (sc_key_given(o->keys, DR_JITTER))
			d->jitter = o->v.jitter;
	}
}

/* What the jitter table cannot say by itself. */
static void
check_jitter(struct sc_check *ld, const struct sc_link *l,
    const struct sc_jitter *j, struct sc_loc at, const char *where)
{
	if (j->kind == SC_JITTER_UNIFORM && j->bound == 0)
		ld_error(ld, sc_key_given(j->keys, JT_BOUND) ?
		    j->vloc[JT_BOUND] : at, "the uniform jitter of link "
		    "'%s'%s needs bound > 0: the largest extra delay",
		    q(ld, l->name), where);
	if (j->kind == SC_JITTER_PARETO && !(j->shape > 2.0))
		ld_error(ld, j->vloc[JT_SHAPE], "the pareto jitter of link "
		    "'%s'%s has shape %g: it must be more than 2 (the "
		    "standard deviation is infinite at 2 and below)",
		    q(ld, l->name), where, j->shape);
}

static void
check_jitters(struct sc_check *ld, const struct sc_link *l)
{
	int e;

	if (sc_key_ok(l->keys, LK_JITTER))
		check_jitter(ld, l, &l->base.jitter, l->vloc[LK_JITTER], "");
	for (e = 0; e < 2; e++)
		if (sc_key_ok(l->over[e].keys, DR_JITTER))
			check_jitter(ld, l, &l->over[e].v.jitter,
			    l->over[e].vloc[DR_JITTER],
			    e ? " (b_to_a)" : " (a_to_b)");
}

/*
 * The longest frame the link carries: an MTU-sized IP packet with the
 * Ethernet header and the tags of its ends (the same at both, or the link
 * is rejected before this matters).
 */
static uint64_t
link_max_frame(const struct sc_link *l, const struct sc_iface *end)
{
	uint64_t n = (uint64_t)l->mtu + WIRE_ETH_HLEN;

	if (end != NULL && end->vlan != 0)
		n += WIRE_VLAN_HLEN;
	if (end != NULL && end->svlan != 0)
		n += WIRE_VLAN_HLEN;
	return n;
}

enum { QE_RATE = 1, QE_BURST = 2, QE_PPS = 4, QE_TH = 8, QE_MAX_P = 16,
	QE_W_Q = 32, QE_CODEL = 64 };

/*
 * CoDel's target above its interval: RFC 8289 (4.4) sets TARGET at a few
 * percent of INTERVAL (5-10%: 5 ms of 100 ms), the delay accepted being a
 * small part of the time it is measured over. It is advice, not a rule
 * (Linux's tc takes any pair), and the queue still works: a warning, not
 * an error. Returns QE_CODEL when warned.
 */
static unsigned
check_codel(struct sc_check *ld, const struct sc_link *l,
    const struct sc_qdisc *qd, const char *where, unsigned done)
{
	char t1[32], t2[32];

	if (qd->target <= qd->interval)
		return 0;
	if (!(done & QE_CODEL))
		ld_warning(ld, qd->vloc[QD_TARGET].line != 0 ?
		    qd->vloc[QD_TARGET] : qd->vloc[QD_INTERVAL], "the codel "
		    "queue of link '%s'%s has target %s above its interval "
		    "%s: RFC 8289 (4.4) sets the target at 5-10%% of the "
		    "interval (5ms of 100ms); it runs as written",
		    q(ld, l->name), where,
		    units_fmt_time(t1, sizeof(t1), qd->target),
		    units_fmt_time(t2, sizeof(t2), qd->interval));
	return QE_CODEL;
}

/* RED's values that would measure something else than a RED queue. */
static unsigned
check_red(struct sc_check *ld, const struct sc_link *l,
    const struct sc_qdisc *qd, const char *where, unsigned done)
{
	unsigned bad = 0;

	if (qd->max_th <= qd->min_th) {
		bad |= QE_TH;
		if (!(done & QE_TH))
			ld_error(ld, qd->vloc[QD_MAX_TH], "the red queue of "
			    "link '%s'%s has max_th %llu, not more than min_th "
			    "%llu (the drop probability rises from min_th to "
			    "max_th)", q(ld, l->name), where,
			    (unsigned long long)qd->max_th,
			    (unsigned long long)qd->min_th);
	}
	if (qd->max_p <= 0.0) {
		bad |= QE_MAX_P;
		if (!(done & QE_MAX_P))
			ld_error(ld, qd->vloc[QD_MAX_P], "the red queue of "
			    "link '%s'%s has max_p 0: it would never drop "
			    "early (give max_p > 0, or use droptail)",
			    q(ld, l->name), where);
	}
	if (qd->w_q <= 0.0) {
		bad |= QE_W_Q;
		if (!(done & QE_W_Q))
			ld_error(ld, qd->vloc[QD_W_Q], "the red queue of link "
			    "'%s'%s has w_q 0: its average would never move "
			    "(give w_q > 0)", q(ld, l->name), where);
	}
	return bad;
}

/*
 * A token bucket that could not work as written is an error, not a
 * warning: a burst below one full frame drops every full-size frame (the
 * shaper could never release it, the policer never admit it), and a shaper
 * faster than its link never holds a frame back; either way the scenario
 * would silently measure something else than the user meant. Returns the
 * QE_ bits reported, skipping those in done (the same qdisc, written once
 * for both directions, is reported once).
 */
static unsigned
check_qdisc(struct sc_check *ld, const struct sc_link *l, int e,
    const struct sc_qdisc *qd, const char *where, const struct sc_iface *end,
    unsigned done)
{
	const struct sc_link_dir *d = &l->dir[e];
	const char *kind = qd->kind == SC_QDISC_SHAPER ? "shaper" : "policer";
	uint64_t frame = link_max_frame(l, end);
	char r1[32], r2[32];
	unsigned bad = 0;

	if (qd->kind == SC_QDISC_RED)
		return check_red(ld, l, qd, where, done);
	if (qd->kind == SC_QDISC_CODEL)
		return check_codel(ld, l, qd, where, done);
	if (qd->kind != SC_QDISC_SHAPER && qd->kind != SC_QDISC_POLICER)
		return 0;
	if (qd->burst_pkts != 0 && qd->rate_pps == 0) {
		bad |= QE_PPS;
		if (!(done & QE_PPS))
			ld_error(ld, qd->vloc[QD_PPS_BURST], "the %s of link "
			    "'%s'%s has pps_burst but no packet rate (give "
			    "pps, or leave pps_burst out)", kind,
			    q(ld, l->name), where);
	}
	/* a rate or burst that did not parse has been reported */
	if (qd->rate_bps == 0 || qd->burst_bytes == 0 || d->rate_bps == 0)
		return bad;
	if (qd->kind == SC_QDISC_SHAPER && qd->rate_bps > d->rate_bps) {
		bad |= QE_RATE;
		if (!(done & QE_RATE))
			ld_error(ld, qd->vloc[QD_RATE], "the shaper of link "
			    "'%s'%s is faster (%s) than the link's %s from %s: "
			    "it would never hold a frame back (lower its rate, "
			    "or leave the link drop-tail)", q(ld, l->name),
			    where, units_fmt_rate(r1, sizeof(r1),
			    qd->rate_bps), units_fmt_rate(r2, sizeof(r2),
			    d->rate_bps), e ? "b to a" : "a to b");
	}
	if (qd->burst_bytes < frame) {
		bad |= QE_BURST;
		if (!(done & QE_BURST))
			ld_error(ld, qd->vloc[QD_BURST], "the %s burst of "
			    "link '%s'%s is %llu bytes, less than one full "
			    "frame: %llu bytes (mtu %u + %llu of Ethernet "
			    "header and tags) would never pass (use a burst "
			    "of at least %lluB)", kind, q(ld, l->name), where,
			    (unsigned long long)qd->burst_bytes,
			    (unsigned long long)frame, l->mtu,
			    (unsigned long long)(frame - l->mtu),
			    (unsigned long long)frame);
	}
	return bad;
}

static void
check_qdiscs(struct sc_check *ld, const struct sc_link *l,
    struct sc_iface *end[2])
{
	const struct sc_iface *e0 = end[0] != NULL ? end[0] : end[1];
	bool own0 = sc_key_given(l->over[0].keys, DR_QDISC);
	bool own1 = sc_key_given(l->over[1].keys, DR_QDISC);
	unsigned done;

	done = check_qdisc(ld, l, 0, &l->dir[0].qdisc, own0 ? " (a_to_b)" : "",
	    e0, 0);
	/* the link's own qdisc, in both directions: one report */
	if (own0 || own1)
		done = 0;
	check_qdisc(ld, l, 1, &l->dir[1].qdisc, own1 ? " (b_to_a)" : "", e0,
	    done);
}

static void
check_links(struct sc_check *ld, struct sc_section_data *d)
{
	struct scenario *sc = ld->sc;
	size_t i;
	int e;

	sc->links = d->items;
	sc->n_links = d->n;
	for (i = 0; i < sc->n_links; i++) {
		struct sc_link *l = &sc->links[i];
		struct sc_iface *end[2] = { NULL, NULL };

		sc_names_add(ld, "link", l->name, i, l->vloc[LK_NAME]);
		for (e = 0; e < 2; e++)
			if (sc_names_lookup(ld, "node", l->node[e],
			    l->vloc[LK_A + e], &l->node_idx[e]))
				end[e] = sc_check_iface(ld, l->node_idx[e],
				    l->iface[e], l->vloc[LK_A + e]);
		if (end[0] != NULL && end[0] == end[1]) {
			ld_error(ld, l->vloc[LK_B], "link '%s' connects "
			    "interface %s:%s to itself", q(ld, l->name),
			    l->node[0], l->iface[0]);
			continue;
		}
		for (e = 0; e < 2; e++) {
			const struct sc_link *o;

			if (end[e] == NULL)
				continue;
			l->iface_idx[e] = (size_t)(end[e] -
			    sc->nodes[l->node_idx[e]].ifaces);
			if (end[e]->link == 0) {
				end[e]->link = i + 1;
				continue;
			}
			o = &sc->links[end[e]->link - 1];
			ld_error(ld, l->vloc[LK_A + e], "interface %s:%s is "
			    "already on link '%s' (defined at %u:%u); an "
			    "interface takes one link", l->node[e], l->iface[e],
			    q(ld, o->name), o->loc.line, o->loc.col);
		}
		if (end[0] != NULL && end[1] != NULL)
			check_link_ends(ld, l, end);
		link_dirs(l);
		check_qdiscs(ld, l, end);
		check_jitters(ld, l);
	}
}

uint32_t
sc_qdisc_pps_burst(const struct sc_qdisc *qd)
{
	unsigned __int128 n;

	if (qd->rate_pps == 0)
		return 0;
	if (qd->burst_pkts != 0)
		return qd->burst_pkts;
	if (qd->rate_bps == 0)
		return 1;
	/* the byte burst's duration at the byte rate, in packets */
	n = ((unsigned __int128)qd->rate_pps * qd->burst_bytes * 8u +
	    qd->rate_bps - 1) / qd->rate_bps;
	return n == 0 ? 1 : n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
}

static struct qdisc_params
build_qdisc(const struct sc_qdisc *qd)
{
	struct qdisc_params qp = { .kind = QDISC_DROPTAIL };

	switch (qd->kind) {
	case SC_QDISC_DEFAULT:
	case SC_QDISC_DROPTAIL:
		break;
	case SC_QDISC_SHAPER:
	case SC_QDISC_POLICER:
		qp.kind = qd->kind == SC_QDISC_SHAPER ? QDISC_SHAPER :
		    QDISC_POLICER;
		qp.rate_bps = qd->rate_bps;
		qp.burst_bytes = qd->burst_bytes;
		qp.rate_pps = qd->rate_pps;
		qp.burst_pkts = sc_qdisc_pps_burst(qd);
		break;
	case SC_QDISC_RED: {
		double unit = qd->mode == SC_RED_BYTES ? (double)qd->mean_pkt :
		    1.0;

		qp.kind = QDISC_RED;
		qp.red = (struct qdisc_red){
			.min_th = (double)qd->min_th * unit,
			.max_th = (double)qd->max_th * unit,
			.max_p = qd->max_p, .w_q = qd->w_q,
			.mean_pkt = qd->mean_pkt, .gentle = qd->gentle,
			.wait = qd->wait, .bytes = qd->mode == SC_RED_BYTES,
		};
		break;
	}
	case SC_QDISC_CODEL:
		qp.kind = QDISC_CODEL;
		qp.codel = (struct qdisc_codel){ .target = qd->target,
			.interval = qd->interval, .min_bytes = qd->min_bytes };
		break;
	}
	return qp;
}

static int
build_links(struct sc_build *b, const void *items, size_t n)
{
	const struct sc_link *links = items;
	size_t i;
	int d;

	SIM_ASSERT(net_n_links(b->net) == 0, "links built into a used net");
	for (i = 0; i < n; i++) {
		const struct sc_link *sl = &links[i];
		struct link_params p;

		memset(&p, 0, sizeof(p));
		for (d = 0; d < 2; d++) {
			p.dir[d].rate_bps = sl->dir[d].rate_bps;
			p.dir[d].delay = sl->dir[d].delay;
			p.dir[d].loss.kind = (enum link_loss_kind)
			    sl->dir[d].loss.kind;
			p.dir[d].loss.p = sl->dir[d].loss.p;
			p.dir[d].loss.p_gb = sl->dir[d].loss.p_gb;
			p.dir[d].loss.p_bg = sl->dir[d].loss.p_bg;
			p.dir[d].loss.loss_good = sl->dir[d].loss.loss_good;
			p.dir[d].loss.loss_bad = sl->dir[d].loss.loss_bad;
			p.dir[d].qdisc = build_qdisc(&sl->dir[d].qdisc);
			p.dir[d].jitter = (struct link_jitter){
				.kind = (enum link_jitter_kind)
				    sl->dir[d].jitter.kind,
				.sd = sl->dir[d].jitter.sd,
				.bound = sl->dir[d].jitter.bound,
				.shape = sl->dir[d].jitter.shape,
				.reorder = sl->dir[d].jitter.reorder };
		}
		p.mtu = sl->mtu ? sl->mtu : 1500;
		/* a gate unplugs the link: its ends see it go */
		p.carrier = sl->carrier || sl->gate != NULL;
		p.qlimit_pkts = sl->qlimit_pkts;
		p.qlimit_bytes = sl->qlimit_bytes;
		net_add_link(b->net, sl->name,
		    sc_build_node(b, sl->node_idx[0]), (uint32_t)sl->iface_idx[0],
		    sc_build_node(b, sl->node_idx[1]), (uint32_t)sl->iface_idx[1],
		    &p);
	}
	return 0;
}

const struct sc_section sc_section_links = {
	.name = "links", .doc = "the links between interfaces",
	.table = &link_table, .list = true, .check = check_links,
	.phase = SC_PHASE_NET, .build = build_links,
};

/* --- the timeline ---------------------------------------------------- */

static const struct sc_field event_fields[] = {
	[EV_AT] = { "at", SC_FT_TIME, SC_AT(struct sc_event, at),
		.required = true, .doc = "when it happens" },
	[EV_ACTION] = { "action", SC_FT_ACTION,
		SC_AT(struct sc_event, action), SC_AT2(struct sc_event, args),
		.required = true,
		.doc = "what happens: a timeline action, whose own keys follow" },
};

static const struct sc_table event_table = {
	"event", "Something that happens at a given time: a fault, a repair, "
	"an operation. The keys besides at and action are the action's.",
	event_fields, SC_NFIELDS(event_fields), sizeof(struct sc_event),
	offsetof(struct sc_event, loc), offsetof(struct sc_event, vloc),
	offsetof(struct sc_event, keys), -1
};

static void
check_events(struct sc_check *ld, struct sc_section_data *d)
{
	struct scenario *sc = ld->sc;
	sim_time end = sc->duration;
	char t1[32], t2[32];
	size_t i;

	sc->events = d->items;
	sc->n_events = d->n;
	for (i = 0; i < sc->n_events; i++) {
		struct sc_event *e = &sc->events[i];

		if (e->action != NULL && e->action->check != NULL)
			e->action->check(ld, e, e->args);
		if (end != 0 && e->at > end)
			ld_error(ld, e->vloc[EV_AT], "event at %s is after the "
			    "end of the run (duration %s)",
			    units_fmt_time(t1, sizeof(t1), e->at),
			    units_fmt_time(t2, sizeof(t2), end));
	}
}

static int
build_events(struct sc_build *b, const void *items, size_t n)
{
	const struct sc_event *ev = items;
	size_t i;

	for (i = 0; i < n; i++)
		if (ev[i].action->schedule(b, &ev[i], ev[i].args) < 0)
			return -1;
	return 0;
}

const struct sc_section sc_section_events = {
	.name = "events", .doc = "the timeline: faults, repairs and "
	"operations, in any order", .table = &event_table, .list = true,
	.check = check_events, .phase = SC_PHASE_NET, .build = build_events,
};

/* link-down and link-up: one argument, the link. */

static const struct sc_field link_state_fields[] = {
	{ "link", SC_FT_NAME, SC_AT(struct sc_link_state, link),
		.required = true, .doc = "the link it happens to" },
};

static const struct sc_table link_state_table = {
	"link-state", "The arguments of link-down and link-up.",
	link_state_fields, SC_NFIELDS(link_state_fields),
	sizeof(struct sc_link_state), offsetof(struct sc_link_state, loc),
	offsetof(struct sc_link_state, vloc),
	offsetof(struct sc_link_state, keys), -1
};

static void
check_link_state(struct sc_check *ck, struct sc_event *ev, void *args)
{
	struct sc_link_state *a = args;

	(void)ev;
	if (a->link != NULL)
		sc_names_lookup(ck, "link", a->link, a->vloc[0], &a->link_idx);
}

static int
schedule_link_down(struct sc_build *b, const struct sc_event *ev,
    const void *args)
{
	const struct sc_link_state *a = args;

	link_schedule_state(sc_build_link(b, a->link_idx), ev->at, false);
	return 0;
}

static int
schedule_link_up(struct sc_build *b, const struct sc_event *ev,
    const void *args)
{
	const struct sc_link_state *a = args;

	link_schedule_state(sc_build_link(b, a->link_idx), ev->at, true);
	return 0;
}

const struct sc_action sc_action_link_down = {
	.name = "link-down",
	.doc = "take the link down in both directions; packets on it are lost",
	.table = &link_state_table, .check = check_link_state,
	.schedule = schedule_link_down,
};

const struct sc_action sc_action_link_up = {
	.name = "link-up", .doc = "bring the link back up",
	.table = &link_state_table, .check = check_link_state,
	.schedule = schedule_link_up,
};

/*
 * qdisc-set: a direction's queue discipline from a time on, as the
 * links section writes it (a policer's or shaper's new rate: what an
 * accepted bandwidth increase or gateway resize does to the data plane).
 */

static const char *const qdisc_set_dirs[] = { "both", "a->b", "b->a", NULL };
static const char *const qdisc_set_dir_docs[] = {
	"both directions", "the a to b direction only",
	"the b to a direction only", NULL
};

static const struct sc_field qdisc_set_fields[] = {
	[QS_LINK] = { "link", SC_FT_NAME, SC_AT(struct sc_qdisc_set, link),
		.required = true, .doc = "the link it happens to" },
	[QS_DIR] = { "dir", SC_FT_ENUM, SC_AT(struct sc_qdisc_set, dir),
		.names = qdisc_set_dirs, .name_docs = qdisc_set_dir_docs,
		.def = "both", .doc = "the direction(s) it changes" },
	[QS_QDISC] = { "qdisc", SC_FT_MAP, SC_AT(struct sc_qdisc_set, qdisc),
		.sub = &qdisc_table, .required = true,
		.doc = "the new queue discipline, checked as the link's own "
		"(a burst of at least one full frame, a shaper no faster than "
		"the direction); its buckets start full and the frames queued "
		"then stay queued" },
};

static const struct sc_table qdisc_set_table = {
	"qdisc-set", "The arguments of qdisc-set.",
	qdisc_set_fields, SC_NFIELDS(qdisc_set_fields),
	sizeof(struct sc_qdisc_set), offsetof(struct sc_qdisc_set, loc),
	offsetof(struct sc_qdisc_set, vloc),
	offsetof(struct sc_qdisc_set, keys), -1
};

static bool
qs_has(const struct sc_qdisc_set *a, int e)
{
	return a->dir == SC_QS_BOTH || (int)a->dir == (int)SC_QS_A_TO_B + e;
}

static void
check_qdisc_set(struct sc_check *ck, struct sc_event *ev, void *args)
{
	struct sc_qdisc_set *a = args;
	struct scenario *sc = sc_check_scenario(ck);
	const struct sc_link *l;
	const struct sc_iface *end;
	unsigned done = 0;
	int e;

	(void)ev;
	if (a->link == NULL || !sc_names_lookup(ck, "link", a->link,
	    a->vloc[QS_LINK], &a->link_idx))
		return;
	/* the link's ends and rates are known only when it checked clean */
	if (sc_check_errors(ck) != 0)
		return;
	l = &sc->links[a->link_idx];
	end = &sc->nodes[l->node_idx[0]].ifaces[l->iface_idx[0]];
	for (e = 0; e < 2; e++)
		if (qs_has(a, e))
			done |= check_qdisc(ck, l, e, &a->qdisc, "", end,
			    done);
}

static int
schedule_qdisc_set(struct sc_build *b, const struct sc_event *ev,
    const void *args)
{
	const struct sc_qdisc_set *a = args;
	struct qdisc_params qp = build_qdisc(&a->qdisc);
	struct link *l = sc_build_link(b, a->link_idx);
	int e;

	for (e = 0; e < 2; e++)
		if (qs_has(a, e))
			link_schedule_qdisc(l, ev->at, (uint8_t)e, &qp);
	return 0;
}

const struct sc_action sc_action_qdisc_set = {
	.name = "qdisc-set",
	.doc = "give a link direction a new queue discipline (a policer's or "
	"shaper's new rate, burst or packet rate)",
	.table = &qdisc_set_table, .check = check_qdisc_set,
	.schedule = schedule_qdisc_set,
};
