/*
 * scenario_fields.c - the scenario format, declared once.
 *
 * One table per mapping kind. The loader, the JSON Schema and the Markdown
 * reference are all driven by these rows, so a key documented here is a key
 * the loader accepts, with the default and range given here.
 */
#include <stddef.h>

#include <string.h>

#include "scenario_fields.h"

#define AT(s, m) .off = offsetof(s, m), .width = sizeof(((s *)0)->m)
#define AT2(s, m) .off2 = offsetof(s, m)
#define KIND(k) (1u << (k))
#define NFIELDS(a) (sizeof(a) / sizeof((a)[0]))

const char *const scenario_roles[] = {
	"host", "router", "azure-vm", "azure-er-gateway", "azure-vpn-gateway",
	"msee", "provider-edge", "provider-core", "oci-edge", "oci-drg",
	"oci-instance", "internet", NULL
};

const char *const scenario_role_docs[] = {
	"a generic end host (does not forward)",
	"a generic IPv4 router",
	"an Azure virtual machine (its NICs sit in VNet subnets; does not forward)",
	"an Azure ExpressRoute virtual network gateway in the GatewaySubnet",
	"an Azure VPN gateway terminating site-to-site IPsec",
	"a Microsoft Enterprise Edge router at the ExpressRoute peering location",
	"a connectivity provider's edge router (PE) facing a cloud",
	"a connectivity provider's core router (P) inside its network",
	"an Oracle edge router at the FastConnect location",
	"an OCI dynamic routing gateway (DRG) attached to a VCN",
	"an OCI compute instance (its VNICs sit in VCN subnets; does not forward)",
	"the public internet, modelled as one router",
	NULL
};

bool
scenario_role_is_host(const char *role)
{
	return role != NULL && (strcmp(role, "host") == 0 ||
	    strcmp(role, "azure-vm") == 0 || strcmp(role, "oci-instance") == 0);
}

const char *const sc_app_kinds[] = { "ping", "traceroute", "udp_cbr", NULL };
static const char *const app_kind_docs[] = {
	"ICMP echo requests at a fixed interval",
	"probes with increasing TTL, to find each hop",
	"UDP packets at a constant bit rate",
	NULL
};
const char *const sc_event_kinds[] = { "link-down", "link-up", NULL };
static const char *const event_kind_docs[] = {
	"take the link down in both directions; packets on it are lost",
	"bring the link back up",
	NULL
};
const char *const sc_assert_kinds[] = {
	"ping-succeeds", "ping-fails", "traceroute-path", NULL
};
static const char *const assert_kind_docs[] = {
	"every probe sent in [after, before) is answered (within rtt_below)",
	"no probe sent in [after, before) is answered",
	"the traceroute reports exactly these hops",
	NULL
};
const char *const sc_loss_models[] = { "bernoulli", "gilbert_elliott", NULL };
static const char *const loss_model_docs[] = {
	"each packet is lost independently with probability p",
	"two-state Markov chain (good/bad) for bursty loss",
	NULL
};

/* --- node ------------------------------------------------------------ */

static const struct sc_field iface_fields[] = {
	[IF_NAME] = { "name", SC_FT_NAME, AT(struct ld_iface, pub.name),
		.required = true, .doc = "interface name, unique within the node" },
	[IF_ADDRESS] = { "address", SC_FT_IFADDR,
		AT(struct ld_iface, pub.addr), AT2(struct ld_iface, pub.plen),
		.def_doc = "unnumbered",
		.doc = "host address and prefix length, a.b.c.d/len; not the "
		    "network or broadcast address of a subnet up to /30" },
	[IF_MAC] = { "mac", SC_FT_MAC, AT(struct ld_iface, pub.mac),
		AT2(struct ld_iface, pub.has_mac),
		.def_doc = "02:xx derived from the node and interface index",
		.doc = "Ethernet address, unicast, e.g. 02:00:00:00:00:01" },
	[IF_VLAN] = { "vlan", SC_FT_UINT, AT(struct ld_iface, pub.vlan),
		.min = 1, .max = 4094, .def_doc = "untagged",
		.doc = "802.1Q VLAN ID (C-tag)" },
	[IF_SVLAN] = { "svlan", SC_FT_UINT, AT(struct ld_iface, pub.svlan),
		.min = 1, .max = 4094, .def_doc = "none",
		.doc = "802.1ad outer VLAN ID (S-tag, QinQ); needs vlan" },
	[IF_VRF] = { "vrf", SC_FT_NAME, AT(struct ld_iface, pub.vrf),
		.def_doc = "the default VRF",
		.doc = "VRF (routing table) the interface belongs to" },
};

static const struct sc_table iface_table = {
	"interface", "A network interface of a node.",
	iface_fields, NFIELDS(iface_fields), sizeof(struct ld_iface),
	offsetof(struct ld_iface, pub.loc), offsetof(struct ld_iface, vloc),
	offsetof(struct ld_iface, keys), -1
};

static const struct sc_field route_fields[] = {
	[RT_PREFIX] = { "prefix", SC_FT_PREFIX,
		AT(struct ld_route, pub.prefix), AT2(struct ld_route, pub.plen),
		.required = true,
		.doc = "destination, a.b.c.d/len with the host bits zero" },
	[RT_VIA] = { "via", SC_FT_ADDR, AT(struct ld_route, pub.via),
		.def_doc = "none (directly out iface)",
		.doc = "next hop; must be in a connected subnet of the node "
		    "in the same VRF unless iface is given" },
	[RT_IFACE] = { "iface", SC_FT_NAME, AT(struct ld_route, pub.iface),
		.def_doc = "the interface whose subnet holds via",
		.doc = "egress interface of the node" },
	[RT_VRF] = { "vrf", SC_FT_NAME, AT(struct ld_route, pub.vrf),
		.def_doc = "the default VRF",
		.doc = "VRF whose table gets the route" },
};

static const struct sc_table route_table = {
	"route", "A static route of a node; give via, iface or both.",
	route_fields, NFIELDS(route_fields), sizeof(struct ld_route),
	offsetof(struct ld_route, pub.loc), offsetof(struct ld_route, vloc),
	offsetof(struct ld_route, keys), -1
};

static const struct sc_field node_fields[] = {
	[ND_NAME] = { "name", SC_FT_NAME, AT(struct ld_node, pub.name),
		.required = true, .doc = "unique node name" },
	[ND_ROLE] = { "role", SC_FT_ENUM, AT(struct ld_node, pub.role),
		.names = scenario_roles, .name_docs = scenario_role_docs,
		.enum_str = true, .required = true,
		.doc = "what the node is; sets its behaviour and its place in "
		    "the visualisation" },
	[ND_REGION] = { "region", SC_FT_STRING, AT(struct ld_node, pub.region),
		.def_doc = "none",
		.doc = "cloud region or location, e.g. eastus, us-ashburn-1" },
	[ND_POS] = { "pos", SC_FT_POS, AT(struct ld_node, pub.pos),
		AT2(struct ld_node, pub.has_pos), .min = 0, .max = 1000,
		.def_doc = "automatic layout",
		.doc = "position [x, y] in the visualisation, in permille of "
		    "the canvas" },
	[ND_IFACES] = { "interfaces", SC_FT_LIST, AT(struct ld_node, ifaces),
		AT2(struct ld_node, n_ifaces), .sub = &iface_table,
		.def_doc = "none", .doc = "the node's interfaces" },
	[ND_ROUTES] = { "routes", SC_FT_LIST, AT(struct ld_node, routes),
		AT2(struct ld_node, n_routes), .sub = &route_table,
		.def_doc = "none", .doc = "static routes" },
};

static const struct sc_table node_table = {
	"node", "A device: host, router or cloud element.",
	node_fields, NFIELDS(node_fields), sizeof(struct ld_node),
	offsetof(struct ld_node, pub.loc), offsetof(struct ld_node, vloc),
	offsetof(struct ld_node, keys), -1
};

/* --- link ------------------------------------------------------------ */

static const struct sc_field queue_fields[] = {
	[QU_PACKETS] = { "packets", SC_FT_UINT,
		AT(struct ld_link, pub.qlimit_pkts), .min = 1,
		.max = 100000000, .def = "1000",
		.doc = "drop-tail limit in packets, per direction" },
	[QU_BYTES] = { "bytes", SC_FT_SIZE,
		AT(struct ld_link, pub.qlimit_bytes), .min = 0,
		.max = UINT32_MAX, .def = "0",
		.doc = "drop-tail limit in bytes per direction, 0 = none" },
};

static const struct sc_table queue_table = {
	"queue", "The transmit queue at each end of a link.",
	queue_fields, NFIELDS(queue_fields), 0, SC_NO_OFF,
	offsetof(struct ld_link, qvloc), SC_NO_OFF, -1
};

#define GE KIND(SC_LOSS_GE)
static const struct sc_field loss_fields[] = {
	[LS_MODEL] = { "model", SC_FT_ENUM, AT(struct sc_loss, kind),
		.names = sc_loss_models, .name_docs = loss_model_docs,
		.required = true, .doc = "loss model" },
	[LS_P] = { "p", SC_FT_PROB, AT(struct sc_loss, p),
		.kinds = KIND(SC_LOSS_BERNOULLI), .required = true,
		.doc = "probability that a packet is lost" },
	[LS_P_GB] = { "p_gb", SC_FT_PROB, AT(struct sc_loss, p_gb),
		.kinds = GE, .required = true,
		.doc = "per-packet probability of going from good to bad" },
	[LS_P_BG] = { "p_bg", SC_FT_PROB, AT(struct sc_loss, p_bg),
		.kinds = GE, .required = true,
		.doc = "per-packet probability of going from bad to good" },
	[LS_LOSS_GOOD] = { "loss_good", SC_FT_PROB,
		AT(struct sc_loss, loss_good), .kinds = GE, .def = "0",
		.doc = "loss probability in the good state" },
	[LS_LOSS_BAD] = { "loss_bad", SC_FT_PROB,
		AT(struct sc_loss, loss_bad), .kinds = GE, .def = "1",
		.doc = "loss probability in the bad state" },
};
#undef GE

static const struct sc_table loss_table = {
	"loss", "Random packet loss on a link.",
	loss_fields, NFIELDS(loss_fields), 0, SC_NO_OFF, SC_NO_OFF,
	SC_NO_OFF, LS_MODEL
};

static const struct sc_field dir_fields[] = {
	[DR_RATE] = { "rate", SC_FT_RATE, AT(struct ld_dir, v.rate_bps),
		.min = 1, .def_doc = "the link's",
		.doc = "bandwidth in this direction" },
	[DR_DELAY] = { "delay", SC_FT_TIME, AT(struct ld_dir, v.delay),
		.def_doc = "the link's",
		.doc = "propagation delay in this direction" },
	[DR_LOSS] = { "loss", SC_FT_MAP, AT(struct ld_dir, v.loss),
		.sub = &loss_table, .def_doc = "the link's",
		.doc = "loss in this direction (replaces the link's)" },
};

static const struct sc_table dir_table = {
	"direction", "Overrides of a link's rate, delay and loss in one "
	"direction.",
	dir_fields, NFIELDS(dir_fields), 0, SC_NO_OFF,
	offsetof(struct ld_dir, vloc), offsetof(struct ld_dir, keys), -1
};

static const struct sc_field link_fields[] = {
	[LK_NAME] = { "name", SC_FT_NAME, AT(struct ld_link, pub.name),
		.required = true, .doc = "unique link name (events use it)" },
	[LK_A] = { "a", SC_FT_ENDPOINT, AT(struct ld_link, pub.node[0]),
		AT2(struct ld_link, pub.iface[0]), .required = true,
		.doc = "one end, as node:interface" },
	[LK_B] = { "b", SC_FT_ENDPOINT, AT(struct ld_link, pub.node[1]),
		AT2(struct ld_link, pub.iface[1]), .required = true,
		.doc = "the other end, as node:interface" },
	[LK_RATE] = { "rate", SC_FT_RATE, AT(struct ld_link, base.rate_bps),
		.min = 1, .def = "10Gbps",
		.doc = "bandwidth of each direction" },
	[LK_DELAY] = { "delay", SC_FT_TIME, AT(struct ld_link, base.delay),
		.def = "0s", .doc = "propagation delay of each direction" },
	[LK_MTU] = { "mtu", SC_FT_UINT, AT(struct ld_link, pub.mtu),
		.min = 68, .max = 65535, .def = "1500",
		.doc = "IP MTU in bytes" },
	[LK_QUEUE] = { "queue", SC_FT_MAP, .off = 0, .sub = &queue_table,
		.def_doc = "its keys' defaults",
		.doc = "transmit queue limits" },
	[LK_LOSS] = { "loss", SC_FT_MAP, AT(struct ld_link, base.loss),
		.sub = &loss_table, .def_doc = "no loss",
		.doc = "random loss of each direction" },
	[LK_A_TO_B] = { "a_to_b", SC_FT_MAP, AT(struct ld_link, over[0]),
		.sub = &dir_table, .def_doc = "none",
		.doc = "rate, delay or loss of the a to b direction only" },
	[LK_B_TO_A] = { "b_to_a", SC_FT_MAP, AT(struct ld_link, over[1]),
		.sub = &dir_table, .def_doc = "none",
		.doc = "rate, delay or loss of the b to a direction only" },
};

static const struct sc_table link_table = {
	"link", "A full-duplex point-to-point link between two interfaces in "
	"the same subnet with the same VLAN tags.",
	link_fields, NFIELDS(link_fields), sizeof(struct ld_link),
	offsetof(struct ld_link, pub.loc), offsetof(struct ld_link, vloc),
	offsetof(struct ld_link, keys), -1
};

/* --- app ------------------------------------------------------------- */

#define PING KIND(SC_APP_PING)
#define TRACE KIND(SC_APP_TRACEROUTE)
#define UDP KIND(SC_APP_UDP_CBR)
static const struct sc_field app_fields[] = {
	[AP_NAME] = { "name", SC_FT_NAME, AT(struct ld_app, pub.name),
		.def_doc = "type-node-i, i its 0-based position in apps (e.g. "
		    "ping-azure-vm-0)",
		.doc = "unique application name (assertions use it)" },
	[AP_TYPE] = { "type", SC_FT_ENUM, AT(struct ld_app, pub.kind),
		.names = sc_app_kinds, .name_docs = app_kind_docs,
		.required = true, .doc = "what the application does" },
	[AP_NODE] = { "node", SC_FT_NAME, AT(struct ld_app, pub.node),
		.required = true, .doc = "node the application runs on" },
	[AP_DST] = { "dst", SC_FT_DST, AT(struct ld_app, pub.dst_text),
		.required = true,
		.doc = "destination: an IPv4 address, a node (its first "
		    "numbered interface) or node:interface" },
	[AP_START] = { "start", SC_FT_TIME, AT(struct ld_app, pub.start),
		.def = "0s", .doc = "when the first probe or packet is sent" },
	[AP_INTERVAL] = { "interval", SC_FT_TIME,
		AT(struct ld_app, pub.interval), .kinds = PING | UDP,
		.min = 1, .kdef = { [SC_APP_PING] = "1s" },
		.def_doc = "udp_cbr: from rate and size",
		.doc = "time between probes (ping) or packets (udp_cbr)" },
	[AP_COUNT] = { "count", SC_FT_UINT, AT(struct ld_app, pub.count),
		.kinds = PING | UDP, .min = 0, .max = 100000000, .def = "0",
		.doc = "probes or packets to send, 0 = until the end of the run" },
	[AP_SIZE] = { "size", SC_FT_SIZE, AT(struct ld_app, pub.size),
		.kinds = PING | UDP, .min = 0, .max = 65507,
		.kdef = { [SC_APP_PING] = "56", [SC_APP_UDP_CBR] = "1000" },
		.doc = "ICMP or UDP payload bytes" },
	[AP_TTL] = { "ttl", SC_FT_UINT, AT(struct ld_app, pub.ttl),
		.kinds = PING | TRACE, .min = 1, .max = 255,
		.kdef = { [SC_APP_PING] = "64", [SC_APP_TRACEROUTE] = "30" },
		.doc = "ping: IP TTL; traceroute: maximum number of hops" },
	[AP_TIMEOUT] = { "timeout", SC_FT_TIME, AT(struct ld_app, pub.timeout),
		.kinds = PING | TRACE, .min = 1, .def = "1s",
		.doc = "how long to wait for a reply (traceroute: per probe)" },
	[AP_RATE] = { "rate", SC_FT_RATE, AT(struct ld_app, pub.rate_bps),
		.kinds = UDP, .min = 1, .def_doc = "none (give interval)",
		.doc = "sending rate of IP packets (payload + 28 bytes); sets "
		    "interval" },
	[AP_DPORT] = { "dport", SC_FT_UINT, AT(struct ld_app, pub.dport),
		.kinds = UDP, .min = 1, .max = 65535, .def = "9",
		.doc = "UDP destination port" },
	[AP_DF] = { "df", SC_FT_BOOL, AT(struct ld_app, pub.df), .def = "false",
		.doc = "set the IPv4 Don't Fragment bit" },
};
#undef PING
#undef TRACE
#undef UDP

static const struct sc_table app_table = {
	"app", "A traffic application running on a node.",
	app_fields, NFIELDS(app_fields), sizeof(struct ld_app),
	offsetof(struct ld_app, pub.loc), offsetof(struct ld_app, vloc),
	offsetof(struct ld_app, keys), AP_TYPE
};

/* --- event, assertion, record ---------------------------------------- */

static const struct sc_field event_fields[] = {
	[EV_AT] = { "at", SC_FT_TIME, AT(struct ld_event, pub.at),
		.required = true, .doc = "when it happens" },
	[EV_ACTION] = { "action", SC_FT_ENUM, AT(struct ld_event, pub.kind),
		.names = sc_event_kinds, .name_docs = event_kind_docs,
		.required = true, .doc = "what happens" },
	[EV_LINK] = { "link", SC_FT_NAME, AT(struct ld_event, pub.link),
		.required = true, .doc = "the link it happens to" },
};

static const struct sc_table event_table = {
	"event", "A fault or repair at a given time.",
	event_fields, NFIELDS(event_fields), sizeof(struct ld_event),
	offsetof(struct ld_event, pub.loc), offsetof(struct ld_event, vloc),
	offsetof(struct ld_event, keys), -1
};

#define OK KIND(SC_ASSERT_PING)
#define PINGS (KIND(SC_ASSERT_PING) | KIND(SC_ASSERT_PING_FAILS))
static const struct sc_field assert_fields[] = {
	[AS_KIND] = { "kind", SC_FT_ENUM, AT(struct ld_assert, pub.kind),
		.names = sc_assert_kinds, .name_docs = assert_kind_docs,
		.required = true, .doc = "what is expected" },
	[AS_APP] = { "app", SC_FT_NAME, AT(struct ld_assert, pub.app),
		.required = true,
		.doc = "the application checked (a ping app for ping-*, a "
		    "traceroute app for traceroute-path)" },
	[AS_AFTER] = { "after", SC_FT_TIME, AT(struct ld_assert, pub.after),
		.def = "0s", .doc = "consider probes sent at or after this" },
	[AS_BEFORE] = { "before", SC_FT_TIME, AT(struct ld_assert, pub.before),
		.min = 1, .def_doc = "the end of the run",
		.doc = "consider probes sent before this" },
	[AS_RTT_BELOW] = { "rtt_below", SC_FT_TIME,
		AT(struct ld_assert, pub.rtt_max), .kinds = OK, .min = 1,
		.def_doc = "no bound",
		.doc = "every round-trip time is at most this" },
	[AS_MIN_REPLIES] = { "min_replies", SC_FT_UINT,
		AT(struct ld_assert, pub.min_replies), .kinds = OK,
		.min = 0, .max = 100000000, .def = "1",
		.doc = "at least this many replies in the window" },
	[AS_PATH] = { "path", SC_FT_NAMES, AT(struct ld_assert, path),
		.kinds = KIND(SC_ASSERT_TRACEROUTE), .required = true,
		.doc = "expected hops, as node names, destination last" },
};
#undef OK
#undef PINGS

static const struct sc_table assert_table = {
	"assertion", "What must hold at the end of the run; xcsim run exits "
	"non-zero when one fails.",
	assert_fields, NFIELDS(assert_fields), sizeof(struct ld_assert),
	offsetof(struct ld_assert, pub.loc), offsetof(struct ld_assert, vloc),
	offsetof(struct ld_assert, keys), AS_KIND
};

static const struct sc_field record_fields[] = {
	[RC_TRACE] = { "trace", SC_FT_BOOL,
		AT(struct ld_scenario, pub.record_trace), .def = "true",
		.doc = "write trace.xct" },
	[RC_METRICS] = { "metrics", SC_FT_BOOL,
		AT(struct ld_scenario, pub.record_metrics), .def = "true",
		.doc = "write the metrics (JSON and CSV)" },
	[RC_PCAP] = { "pcap", SC_FT_PCAP, AT(struct ld_scenario, pub.captures),
		AT2(struct ld_scenario, pub.n_captures), .def = "none",
		.doc = "interfaces to capture: all, none, or a list of node "
		    "and node:interface" },
	[RC_KEYFRAME_EVERY] = { "keyframe_every", SC_FT_TIME,
		AT(struct ld_scenario, pub.keyframe_every), .min = 1,
		.def_doc = "the trace writer's default",
		.doc = "interval between trace keyframes (for seeking)" },
};

static const struct sc_table record_table = {
	"record", "What a run writes.",
	record_fields, NFIELDS(record_fields), 0, SC_NO_OFF,
	offsetof(struct ld_scenario, rvloc), SC_NO_OFF, -1
};

static const struct sc_field scenario_fields[] = {
	[SC_NAME] = { "name", SC_FT_STRING, AT(struct ld_scenario, pub.name),
		.def_doc = "the file name without its extension",
		.doc = "scenario name" },
	[SC_DESCRIPTION] = { "description", SC_FT_STRING,
		AT(struct ld_scenario, pub.description), .def_doc = "none",
		.doc = "one line on what the scenario shows" },
	[SC_SEED] = { "seed", SC_FT_UINT, AT(struct ld_scenario, pub.seed),
		.min = 0, .max = UINT64_MAX, .def = "1",
		.doc = "seed of every random stream; same seed, same run" },
	[SC_DURATION] = { "duration", SC_FT_TIME,
		AT(struct ld_scenario, pub.duration), .def = "0s",
		.doc = "simulated time to run, 0 = until no events remain" },
	[SC_NODES] = { "nodes", SC_FT_LIST, AT(struct ld_scenario, nodes),
		AT2(struct ld_scenario, n_nodes), .sub = &node_table,
		.required = true, .doc = "the devices" },
	[SC_LINKS] = { "links", SC_FT_LIST, AT(struct ld_scenario, links),
		AT2(struct ld_scenario, n_links), .sub = &link_table,
		.def_doc = "none", .doc = "the links between interfaces" },
	[SC_APPS] = { "apps", SC_FT_LIST, AT(struct ld_scenario, apps),
		AT2(struct ld_scenario, n_apps), .sub = &app_table,
		.def_doc = "none", .doc = "traffic" },
	[SC_EVENTS] = { "events", SC_FT_LIST, AT(struct ld_scenario, events),
		AT2(struct ld_scenario, n_events), .sub = &event_table,
		.def_doc = "none", .doc = "faults and repairs, in any order" },
	[SC_ASSERTIONS] = { "assertions", SC_FT_LIST,
		AT(struct ld_scenario, asserts),
		AT2(struct ld_scenario, n_asserts), .sub = &assert_table,
		.def_doc = "none", .doc = "what the run must show" },
	[SC_RECORD] = { "record", SC_FT_MAP, .off = 0, .sub = &record_table,
		.def_doc = "its keys' defaults", .doc = "what to write" },
};

const struct sc_table sc_table_scenario = {
	"scenario", "An xcsim scenario: topology, traffic, faults, "
	"assertions and what to record.",
	scenario_fields, NFIELDS(scenario_fields), sizeof(struct ld_scenario),
	offsetof(struct ld_scenario, loc), offsetof(struct ld_scenario, vloc),
	offsetof(struct ld_scenario, keys), -1
};

const struct sc_table *const sc_tables[] = {
	&sc_table_scenario, &node_table, &iface_table, &route_table,
	&link_table, &queue_table, &loss_table, &dir_table, &app_table,
	&event_table, &assert_table, &record_table, NULL
};
