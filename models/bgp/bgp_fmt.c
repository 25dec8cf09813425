/*
 * bgp_fmt.c - BGP messages in words for the trace and the logs: the
 * NOTIFICATION code/subcode names of the IANA registry and one-line
 * message summaries.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "bgp_msg.h"
#include "util.h"

static const char *const err_name[] = {
	[BGP_ERR_HEADER] = "Message Header Error",
	[BGP_ERR_OPEN] = "OPEN Message Error",
	[BGP_ERR_UPDATE] = "UPDATE Message Error",
	[BGP_ERR_HOLD] = "Hold Timer Expired",
	[BGP_ERR_FSM] = "Finite State Machine Error",
	[BGP_ERR_CEASE] = "Cease",
	[BGP_ERR_REFRESH] = "ROUTE-REFRESH Message Error",
};

static const char *const hdr_sub[] = {
	[1] = "Connection Not Synchronized",
	[2] = "Bad Message Length",
	[3] = "Bad Message Type",
};

static const char *const open_sub[] = {
	[1] = "Unsupported Version Number",
	[2] = "Bad Peer AS",
	[3] = "Bad BGP Identifier",
	[4] = "Unsupported Optional Parameter",
	[6] = "Unacceptable Hold Time",
	[7] = "Unsupported Capability",
	[11] = "Role Mismatch",
};

static const char *const update_sub[] = {
	[1] = "Malformed Attribute List",
	[2] = "Unrecognized Well-known Attribute",
	[3] = "Missing Well-known Attribute",
	[4] = "Attribute Flags Error",
	[5] = "Attribute Length Error",
	[6] = "Invalid ORIGIN Attribute",
	[8] = "Invalid NEXT_HOP Attribute",
	[9] = "Optional Attribute Error",
	[10] = "Invalid Network Field",
	[11] = "Malformed AS_PATH",
};

/* RFC 6608 */
static const char *const fsm_sub[] = {
	[1] = "Unexpected Message in OpenSent State",
	[2] = "Unexpected Message in OpenConfirm State",
	[3] = "Unexpected Message in Established State",
};

static const char *const cease_sub[] = {
	[1] = "Maximum Number of Prefixes Reached",
	[2] = "Administrative Shutdown",
	[3] = "Peer De-configured",
	[4] = "Administrative Reset",
	[5] = "Connection Rejected",
	[6] = "Other Configuration Change",
	[7] = "Connection Collision Resolution",
	[8] = "Out of Resources",
	[9] = "Hard Reset",
	[10] = "BFD Down",
};

static const char *const refresh_sub[] = {
	[1] = "Invalid Message Length",
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

const char *
bgp_notification_name(uint8_t code, uint8_t subcode, char *buf,
    size_t buflen)
{
	const char *const *tab = NULL;
	const char *c = NULL, *s = NULL;
	size_t n = 0;

	if (code < NELEM(err_name))
		c = err_name[code];
	switch (code) {
	case BGP_ERR_HEADER:
		tab = hdr_sub, n = NELEM(hdr_sub);
		break;
	case BGP_ERR_OPEN:
		tab = open_sub, n = NELEM(open_sub);
		break;
	case BGP_ERR_UPDATE:
		tab = update_sub, n = NELEM(update_sub);
		break;
	case BGP_ERR_FSM:
		tab = fsm_sub, n = NELEM(fsm_sub);
		break;
	case BGP_ERR_CEASE:
		tab = cease_sub, n = NELEM(cease_sub);
		break;
	case BGP_ERR_REFRESH:
		tab = refresh_sub, n = NELEM(refresh_sub);
		break;
	}
	if (tab != NULL && subcode < n)
		s = tab[subcode];
	if (c == NULL)
		snprintf(buf, buflen, "error %u / %u", code, subcode);
	else if (s != NULL)
		snprintf(buf, buflen, "%s / %s", c, s);
	else if (subcode == 0)
		snprintf(buf, buflen, "%s", c);
	else
		snprintf(buf, buflen, "%s / subcode %u", c, subcode);
	return buf;
}

/* Append to buf at *off, never past buflen; truncation is silent. */
static void
app(char *buf, size_t buflen, size_t *off, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*off + 1 >= buflen)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *off, buflen - *off, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	*off += (size_t)n < buflen - *off ? (size_t)n : buflen - *off - 1;
}

static void
app_ip(char *buf, size_t buflen, size_t *off, uint32_t a)
{
	app(buf, buflen, off, "%u.%u.%u.%u", a >> 24, (a >> 16) & 0xff,
	    (a >> 8) & 0xff, a & 0xff);
}

char *
bgp_path_str(const uint32_t *path, uint16_t n, char *buf, size_t buflen)
{
	size_t off = 0, i = 0;

	buf[0] = '\0';
	while (i < n) {
		uint8_t t = BGP_SEG_TYPE(path[i]);
		size_t k = BGP_SEG_N(path[i]);
		const char *open = t == BGP_SEG_SET ? "{" :
		    t == BGP_SEG_CONFED_SEQUENCE ? "(" :
		    t == BGP_SEG_CONFED_SET ? "[" : "";
		const char *close = t == BGP_SEG_SET ? "}" :
		    t == BGP_SEG_CONFED_SEQUENCE ? ")" :
		    t == BGP_SEG_CONFED_SET ? "]" : "";

		app(buf, buflen, &off, "%s%s", off > 0 ? " " : "", open);
		for (size_t j = 1; j <= k && i + j < n; j++)
			app(buf, buflen, &off, "%s%u", j > 1 ? " " : "",
			    path[i + j]);
		app(buf, buflen, &off, "%s", close);
		i += 1 + k;
	}
	return buf;
}

static void
update_summary(const struct bgp_update *u, char *buf, size_t buflen,
    size_t *off)
{
	const struct bgp_attrs *a = u->attrs;
	struct bgp_attrs_var var;
	char path[512];

	app(buf, buflen, off, "UPDATE %u withdrawn, %u NLRI",
	    u->n_withdrawn + u->n_mp_withdrawn, u->n_nlri + u->n_mp_nlri);
	if (a == NULL)
		return;
	bgp_attrs_var(a, &var);
	if (a->has & BGP_HAS(BGP_ATTR_AS_PATH))
		app(buf, buflen, off, ", AS_PATH %s",
		    bgp_path_str(var.path, var.path_len, path, sizeof(path)));
	if (a->has & BGP_HAS(BGP_ATTR_AS4_PATH))
		app(buf, buflen, off, ", AS4_PATH %s",
		    bgp_path_str(var.as4_path, var.as4_path_len, path,
		    sizeof(path)));
	if (a->has & BGP_HAS(BGP_ATTR_NEXT_HOP)) {
		app(buf, buflen, off, ", NEXT_HOP ");
		app_ip(buf, buflen, off, a->next_hop);
	}
	if (u->has_mp_reach) {
		app(buf, buflen, off, ", MP_NEXT_HOP ");
		app_ip(buf, buflen, off, u->mp_next_hop);
	}
	if (a->has & BGP_HAS(BGP_ATTR_ORIGIN))
		app(buf, buflen, off, ", ORIGIN %s", a->origin == 0 ? "IGP" :
		    a->origin == 1 ? "EGP" : "INCOMPLETE");
	if (a->has & BGP_HAS(BGP_ATTR_MED))
		app(buf, buflen, off, ", MED %u", a->med);
	if (a->has & BGP_HAS(BGP_ATTR_LOCAL_PREF))
		app(buf, buflen, off, ", LOCAL_PREF %u", a->local_pref);
	if (a->has & BGP_HAS(BGP_ATTR_ATOMIC_AGGR))
		app(buf, buflen, off, ", ATOMIC_AGGREGATE");
	if (a->has & BGP_HAS(BGP_ATTR_AGGREGATOR)) {
		app(buf, buflen, off, ", AGGREGATOR %u ", a->aggr_as);
		app_ip(buf, buflen, off, a->aggr_id);
	}
	if (a->has & BGP_HAS(BGP_ATTR_ORIGINATOR_ID)) {
		app(buf, buflen, off, ", ORIGINATOR_ID ");
		app_ip(buf, buflen, off, var.originator_id);
	}
	if (var.n_cluster > 0) {
		app(buf, buflen, off, ", CLUSTER_LIST");
		for (size_t i = 0; i < var.n_cluster; i++) {
			app(buf, buflen, off, " ");
			app_ip(buf, buflen, off, var.cluster[i]);
		}
	}
	if (var.n_comm > 0) {
		app(buf, buflen, off, ", COMMUNITIES");
		for (size_t i = 0; i < var.n_comm; i++) {
			uint32_t c = var.comm[i];

			if (c == BGP_COMM_NO_EXPORT)
				app(buf, buflen, off, " no-export");
			else if (c == BGP_COMM_NO_ADVERTISE)
				app(buf, buflen, off, " no-advertise");
			else if (c == BGP_COMM_NO_EXPORT_SUBCONFED)
				app(buf, buflen, off, " no-export-subconfed");
			else
				app(buf, buflen, off, " %u:%u", c >> 16,
				    c & 0xffff);
		}
	}
	if (var.n_lcomm > 0) {
		app(buf, buflen, off, ", LARGE_COMMUNITIES");
		for (size_t i = 0; i < var.n_lcomm; i++)
			app(buf, buflen, off, " %u:%u:%u", var.lcomm[3 * i],
			    var.lcomm[3 * i + 1], var.lcomm[3 * i + 2]);
	}
	if (var.unknown_len > 0)
		app(buf, buflen, off, ", %u bytes of unknown attributes",
		    var.unknown_len);
}

char *
bgp_msg_summary(const struct bgp_msg *m, char *buf, size_t buflen)
{
	const struct bgp_caps *c;
	char name[96];
	size_t off = 0;

	if (buflen == 0)
		return buf;
	buf[0] = '\0';
	switch (m->type) {
	case BGP_OPEN:
		c = &m->u.open.caps;
		app(buf, buflen, &off, "OPEN AS %u hold %u id ",
		    bgp_open_asn(&m->u.open), m->u.open.hold_s);
		app_ip(buf, buflen, &off, m->u.open.bgp_id);
		app(buf, buflen, &off, " caps");
		for (size_t i = 0; i < c->n_mp; i++)
			app(buf, buflen, &off, " mp(%u/%u)", c->mp[i].afi,
			    c->mp[i].safi);
		if (c->route_refresh)
			app(buf, buflen, &off, " route-refresh");
		if (c->enhanced_rr)
			app(buf, buflen, &off, " enhanced-route-refresh");
		if (c->gr)
			app(buf, buflen, &off, " graceful-restart(%us)",
			    c->gr_time_s);
		if (c->as4)
			app(buf, buflen, &off, " as4");
		break;
	case BGP_UPDATE:
		update_summary(&m->u.update, buf, buflen, &off);
		break;
	case BGP_NOTIFICATION:
		app(buf, buflen, &off, "NOTIFICATION %s",
		    bgp_notification_name(m->u.notification.code,
		    m->u.notification.subcode, name, sizeof(name)));
		if (m->u.notification.has_shutdown_msg) {
			char esc[1024];

			app(buf, buflen, &off, " \"%s\"", text_escape(esc,
			    sizeof(esc), m->u.notification.shutdown_msg));
		}
		break;
	case BGP_KEEPALIVE:
		app(buf, buflen, &off, "KEEPALIVE");
		break;
	case BGP_ROUTE_REFRESH:
		app(buf, buflen, &off, "ROUTE-REFRESH afi %u safi %u%s",
		    m->u.refresh.afi, m->u.refresh.safi,
		    m->u.refresh.subtype == BGP_RR_BORR ? " BoRR" :
		    m->u.refresh.subtype == BGP_RR_EORR ? " EoRR" : "");
		break;
	default:
		app(buf, buflen, &off, "type %u", m->type);
		break;
	}
	return buf;
}
