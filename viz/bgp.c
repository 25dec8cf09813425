/*
 * bgp.c - the BGP panel of the selected node (b, or --bgp NODE): its
 * neighbours with state, uptime, counters and the reason of the last
 * change, then its Loc-RIB, scrollable, with next hop, AS path and why
 * the best route won. The model (bgpview.h) reads only the replay, so
 * playing and seeking to an instant show the same panel.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bgpview.h"
#include "decode.h"
#include "scene_int.h"
#include "util.h"

static bool
is_bgp_table(const char *t)
{
	return strncmp(t, "bgp", 3) == 0 && (t[3] == '\0' || t[3] == '/');
}

/* A dotted quad's value for ordering (addresses first, then the rest). */
static uint64_t
addr_key(const char *s)
{
	unsigned a, b, c, d;
	char tail;

	if (sscanf(s, "%u.%u.%u.%u%c", &a, &b, &c, &d, &tail) == 4 &&
	    a < 256 && b < 256 && c < 256 && d < 256)
		return (uint64_t)a << 24 | b << 16 | c << 8 | d;
	return UINT64_MAX;
}

static int
cmp_peer(const void *x, const void *y)
{
	const struct bgpv_peer *a = x, *b = y;
	uint64_t ka = addr_key(a->peer), kb = addr_key(b->peer);

	if (ka != kb)
		return ka < kb ? -1 : 1;
	return strcmp(a->peer, b->peer);
}

static int
cmp_vroute(const void *x, const void *y)
{
	const struct bgpv_route *a = x, *b = y;
	int c = strcmp(a->table, b->table);

	if (c != 0)
		return c;
	if (a->prefix != b->prefix)
		return a->prefix < b->prefix ? -1 : 1;
	return (int)a->plen - (int)b->plen;
}

bool
bgpv_attr(const char *attrs, const char *key, char *out, size_t n)
{
	size_t kl = strlen(key);
	const char *p = attrs, *e;

	out[0] = '\0';
	while (p != NULL && *p != '\0') {
		e = strstr(p, "; ");
		if (strncmp(p, key, kl) == 0 && (p[kl] == ' ' || p[kl] == ':')) {
			p += kl + 1;
			while (*p == ' ')
				p++;
			snprintf(out, n, "%.*s", (int)(e != NULL ?
			    (size_t)(e - p) : strlen(p)), p);
			return true;
		}
		p = e != NULL ? e + 2 : NULL;
	}
	return false;
}

bool
bgpv_node_has(const struct replay *rp, uint32_t node)
{
	size_t i;

	for (i = 0; i < rp->nsess; i++)
		if (rp->sess[i].node == node && rp->sess[i].proto == TRP_BGP)
			return true;
	for (i = 0; i < rp->nroutes; i++)
		if (rp->routes[i].node == node &&
		    is_bgp_table(rp->routes[i].table))
			return true;
	return false;
}

void
bgpv_build(const struct replay *rp, uint32_t node, struct bgpv *v)
{
	size_t i;

	memset(v, 0, sizeof(*v));
	for (i = 0; i < rp->nsess; i++)
		v->npeers += rp->sess[i].node == node &&
		    rp->sess[i].proto == TRP_BGP;
	for (i = 0; i < rp->nroutes; i++)
		v->nroutes += rp->routes[i].node == node &&
		    rp->routes[i].live && is_bgp_table(rp->routes[i].table);
	v->peer = xcalloc(v->npeers ? v->npeers : 1, sizeof(*v->peer));
	v->route = xcalloc(v->nroutes ? v->nroutes : 1, sizeof(*v->route));
	v->npeers = v->nroutes = 0;
	for (i = 0; i < rp->nsess; i++) {
		const struct replay_session *s = &rp->sess[i], *bfd;
		struct bgpv_peer *p;

		if (s->node != node || s->proto != TRP_BGP)
			continue;
		p = &v->peer[v->npeers++];
		p->peer = s->peer;
		p->state = s->state;
		p->reason = s->reason;
		p->since = s->t_state;
		p->has_stats = s->has_stats;
		p->st = s->st;
		bfd = replay_session(rp, TRP_BFD, node, s->peer);
		p->bfd = bfd != NULL && bfd->state[0] ? bfd->state : NULL;
	}
	for (i = 0; i < rp->nroutes; i++) {
		const struct replay_route *r = &rp->routes[i];
		struct bgpv_route *o;

		if (r->node != node || !r->live || !is_bgp_table(r->table))
			continue;
		o = &v->route[v->nroutes++];
		o->prefix = r->prefix;
		o->plen = r->plen;
		o->table = r->table;
		o->nexthop = r->nexthop;
		o->attrs = r->attrs;
		bgpv_attr(r->attrs, "from", o->from, sizeof(o->from));
		bgpv_attr(r->attrs, "path", o->path, sizeof(o->path));
		if (!bgpv_attr(r->attrs, "best", o->why, sizeof(o->why)))
			snprintf(o->why, sizeof(o->why), "?");
	}
	qsort(v->peer, v->npeers, sizeof(*v->peer), cmp_peer);
	qsort(v->route, v->nroutes, sizeof(*v->route), cmp_vroute);
}

void
bgpv_free(struct bgpv *v)
{
	free(v->peer);
	free(v->route);
	memset(v, 0, sizeof(*v));
}

void
bgpv_peer_since(const struct bgpv_peer *p, sim_time now, char *buf, size_t n)
{
	char d[40];

	scene_fmt_dur(d, sizeof(d), now - p->since);
	if (strcmp(p->state, "Established") == 0)
		snprintf(buf, n, "up %s", d);
	else
		snprintf(buf, n, "%s for %s", p->state[0] ? p->state : "?", d);
}

void
bgpv_peer_counts(const struct bgpv_peer *p, char *buf, size_t n)
{
	const struct trace_sess_stats *s = &p->st;
	char wi[32] = "", wo[32] = "";

	if (!p->has_stats) {
		snprintf(buf, n, "no messages yet");
		return;
	}
	if (s->withdrawn_in)
		snprintf(wi, sizeof(wi), " %llu wd",
		    (unsigned long long)s->withdrawn_in);
	if (s->withdrawn_out)
		snprintf(wo, sizeof(wo), " %llu wd",
		    (unsigned long long)s->withdrawn_out);
	snprintf(buf, n, "in %llu upd %llu pfx%s \xc2\xb7 out %llu upd %llu "
	    "pfx%s", (unsigned long long)s->updates_in,
	    (unsigned long long)s->prefixes_in, wi,
	    (unsigned long long)s->updates_out,
	    (unsigned long long)s->prefixes_out, wo);
}

void
panels_note(struct scene *sc, const char *fmt, ...)
{
	va_list ap;

	if (sc->npanel_lines == MAX_PANEL_LINES)
		return;
	va_start(ap, fmt);
	vsnprintf(sc->panel_lines[sc->npanel_lines++], sizeof(sc->panel_lines[0]),
	    fmt, ap);
	va_end(ap);
}

/* Rows of one neighbour: address and state; since when and the
 * counters; its BFD session and the reason of the last change. */
#define PEER_H 52.0f

static float
peers(struct scene *sc, struct draw *d, const struct bgpv *v, sim_time now,
    float x, float y, float w, float bottom)
{
	char buf[240], b1[64], b2[160];
	size_t i;

	for (i = 0; i < v->npeers; i++) {
		const struct bgpv_peer *p = &v->peer[i];
		uint32_t c = style_level_rgb(style_state_level(p->state[0] ?
		    p->state : NULL));

		if (y + PEER_H > bottom) {
			snprintf(buf, sizeof(buf), "+%zu more", v->npeers - i);
			draw_text(d, DF_SMALL, x, y, rgb(C_MUTED), buf);
			panels_note(sc, "%s", buf);
			return y + 18;
		}
		draw_circle(d, x + 4, y + 8, 4, rgb(c));
		draw_text_fit(d, DF_BOLD, x + 14, y, w * 0.55f - 14,
		    rgb(C_TEXT), p->peer);
		draw_text_fit(d, DF_BOLD, x + w * 0.55f, y, w * 0.45f, rgb(c),
		    p->state[0] ? p->state : "?");
		panels_note(sc, "peer %s %s", p->peer, p->state);
		y += 18;
		bgpv_peer_since(p, now, b1, sizeof(b1));
		bgpv_peer_counts(p, b2, sizeof(b2));
		snprintf(buf, sizeof(buf), "%s \xc2\xb7 %s", b1, b2);
		draw_text_fit(d, DF_SMALL, x + 14, y, w - 14, rgb(C_MUTED),
		    buf);
		panels_note(sc, "  %s", buf);
		y += 15;
		snprintf(buf, sizeof(buf), "%s%s%slast: %s", p->bfd ? "BFD " :
		    "", p->bfd ? p->bfd : "", p->bfd ? " \xc2\xb7 " : "",
		    p->reason[0] ? p->reason : "?");
		draw_text_fit(d, DF_SMALL, x + 14, y, w - 14, rgb(C_FAINT),
		    buf);
		panels_note(sc, "  %s", buf);
		y += 19;
	}
	if (v->npeers == 0) {
		draw_text(d, DF_SMALL, x, y, rgb(C_FAINT), "no BGP sessions");
		panels_note(sc, "no BGP sessions");
		y += 18;
	}
	return y;
}

static void
routes(struct scene *sc, struct draw *d, const struct bgpv *v, float x,
    float y, float w, float bottom)
{
	char pfx[24], buf[240];
	size_t i, first;
	float pw = 0;
	int lines;

	if (v->nroutes == 0) {
		draw_text(d, DF_SMALL, x, y, rgb(C_FAINT), "empty");
		panels_note(sc, "empty");
		return;
	}
	if (sc->v.bgp_scroll >= v->nroutes)
		first = v->nroutes - 1;
	else
		first = sc->v.bgp_scroll;
	sc->bgp_first = first;
	for (i = first; i < v->nroutes; i++) {
		scene_fmt_prefix(pfx, sizeof(pfx), v->route[i].prefix,
		    v->route[i].plen);
		pw = fmaxf(pw, (float)draw_text_width(d, DF_MONO, pfx));
	}
	pw = fminf(pw + 10, w * 0.45f);
	for (i = first; i < v->nroutes; i++) {
		const struct bgpv_route *r = &v->route[i];

		if (y + 50 > bottom - (i + 1 < v->nroutes ? 16 : 0)) {
			snprintf(buf, sizeof(buf), "%zu\xe2\x80\x93%zu of %zu "
			    "\xc2\xb7 ] for more", first + 1, i, v->nroutes);
			draw_text_fit(d, DF_SMALL, x, y, w, rgb(C_MUTED), buf);
			panels_note(sc, "%s", buf);
			return;
		}
		scene_fmt_prefix(pfx, sizeof(pfx), r->prefix, r->plen);
		draw_text_fit(d, DF_MONO, x, y, pw - 4, rgb(C_TEXT), pfx);
		snprintf(buf, sizeof(buf), "via %s \xc2\xb7 %s", r->nexthop,
		    r->path);
		draw_text_fit(d, DF_SMALL, x + pw, y + 1, w - pw, rgb(C_TEXT),
		    buf);
		panels_note(sc, "%s %s", pfx, buf);
		y += 16;
		/* "best by AS path length over ...", "best: only route" */
		snprintf(buf, sizeof(buf), "best%s %s", strncmp(r->why, "by ",
		    3) == 0 ? "" : ":", r->why);
		lines = draw_text_wrap_lines(d, DF_SMALL, w - pw, 2, buf);
		draw_text_wrap(d, DF_SMALL, x + pw, y, w - pw, 2, 14,
		    rgb(C_MUTED), buf);
		panels_note(sc, "  %s", buf);
		y += 14 * (float)lines + 6;
	}
}

void
panel_bgp(struct scene *sc, struct draw *d, const struct replay *rp,
    sim_time now)
{
	const struct scan_node *nd = &sc->s->nodes[sc->v.sel_node];
	struct draw_rect b = sc->sel_box;
	float x = b.x + 16, y = b.y + 14, w = b.w - 32, bottom = b.y + b.h - 8;
	struct bgpv v;
	char buf[160];

	bgpv_build(rp, sc->v.sel_node, &v);
	draw_round_rect(d, (struct draw_rect){ x, y + 1, 14, 14 }, 4,
	    rgb(style_class_rgb(DC_BGP)));
	snprintf(buf, sizeof(buf), "%s \xc2\xb7 BGP", nd->name);
	draw_text_fit(d, DF_TITLE, x + 22, y - 1, w - 22, rgb(C_TEXT), buf);
	panels_note(sc, "%s", buf);
	y += 20;
	snprintf(buf, sizeof(buf), "%zu neighbour%s \xc2\xb7 %zu prefix%s in "
	    "the Loc-RIB", v.npeers, v.npeers == 1 ? "" : "s", v.nroutes,
	    v.nroutes == 1 ? "" : "es");
	draw_text_fit(d, DF_SMALL, x, y, w, rgb(C_MUTED), buf);
	panels_note(sc, "%s", buf);
	y += 22;
	y = panels_section_title(d, x, y, w, "Neighbours");
	/* neighbours take what they need up to three fifths: the Loc-RIB
	 * keeps room */
	y = peers(sc, d, &v, now, x, y, w, y + fminf((float)(v.npeers > 0 ?
	    v.npeers : 1) * PEER_H + 1, (bottom - y) * 0.6f)) + 4;
	if (y + 25 + 32 <= bottom) {
		snprintf(buf, sizeof(buf), "Loc-RIB \xc2\xb7 [ / ] to scroll");
		y = panels_section_title(d, x, y, w, buf);
		routes(sc, d, &v, x, y, w, bottom);
	}
	bgpv_free(&v);
}

const char *
scene_panel_line(const struct scene *sc, size_t i)
{
	return i < sc->npanel_lines ? sc->panel_lines[i] : NULL;
}

const char *
scene_timeline_label(const struct scene *sc, size_t i)
{
	return i < sc->ntl_lines ? sc->tl_lines[i] : NULL;
}

size_t
scene_bgp_first(const struct scene *sc)
{
	return sc->bgp_first;
}
