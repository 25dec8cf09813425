/*
 * scene_int.h - what the parts of the scene share, private to viz/scene*.c,
 * canvas.c and panels.c.
 *
 * The scene's geometry (scene_geom.c) is computed once per frame and read by
 * the canvas (canvas.c: topology, links, packets, queues, drops) and the
 * panels (panels.c: header, node and packet panels, legend, events,
 * timeline, tooltips). Labels placed on the canvas are kept for the frame so
 * later ones (drop reasons) avoid earlier ones (link labels) and tests can
 * check they never overlap.
 */
#ifndef XCSIM_SCENE_INT_H
#define XCSIM_SCENE_INT_H

#include "layout.h"
#include "scene.h"
#include "style.h"

#define HEADER_H 44.0f
#define TIMELINE_H 100.0f
#define TILE 46.0f
#define DENSE_CELL 64.0f	/* less room per node: small tiles, no names */
#define NAMES_H 44.0f	/* a node's name and role under its tile */
#define LANE_OFF 5.0f	/* each lane's offset from the link's axis */
#define PKT_W 4.0f	/* a packet's width across its lane */
#define BUSY_W 8.0f	/* a busy lane's stroke: a rim either side of packets */
#define QBAR_W 5.0f	/* a queue bar's width */
#define QBAR_OFF 10.0f	/* its offset from its lane's centre */
#define QCOUNT_OFF 17.0f	/* its count's centre beyond its end */
#define QDROP_OFF 40.0f	/* a drop at the queue: its mark past its end */
#define MAX_LABELS 256
#define MAX_QTAGS 64	/* shaper / policer tags kept per frame */
#define C_QDISC C_ACCENT	/* their outline */
#define MAX_EV_ROWS 96
#define MAX_FLOW_ROWS 32	/* a node's flows listed in its panel */
#define MAX_PANEL_LINES 128	/* text lines of the BGP and packet panels kept */
#define MAX_SPILLS 128	/* session pills kept per frame */
#define MAX_OP_BOXES 512	/* operation bars kept per frame (for tests) */

struct lane {
	bool ok;
	float x0, y0, x1, y1;	/* sender to receiver */
	float len, ux, uy;	/* length and unit direction */
	float nx, ny;		/* unit normal, away from the other lane */
};

struct scene {
	const struct scan *s;
	char *title;
	struct layout lay;
	int w, h;
	struct scene_view v;
	float tile;
	bool names;		/* room for node names under the tiles */
	struct draw_rect header, canvas, panel, sel_box, ev_box, timeline,
	    track, legend;
	float legend_w;		/* the legend on one row (0: not measured) */
	struct draw_rect group_title[LG_MAX];	/* empty when not drawn */
	/* the unit layout's box on screen, before zoom and pan */
	float map_x, map_y, map_w, map_h;
	float *nx, *ny;		/* node centres on screen */
	struct draw_rect *node_box;	/* a node's name, role and badges */
	float *link_off;	/* parallel links between the same nodes */
	struct lane *lanes;	/* 2 per link */
	float *util;		/* 2 per link, this frame */
	float mid_x, mid_y;	/* centre of the nodes on screen */
	/* the event rows drawn, for clicks: row k spans ev_y[k]..ev_y[k+1] */
	size_t ev_first, ev_count;
	float ev_y[MAX_EV_ROWS + 1];
	/* labels placed on the canvas this frame */
	struct scene_label labels[MAX_LABELS];
	size_t nlabels;
	/* the shaper and policer tags drawn this frame, which labels avoid */
	struct qtag {
		struct draw_rect r;
		uint32_t queue;	/* its id in the trace */
	} qtags[MAX_QTAGS];
	size_t nqtags;
	/* the DOWN pill of each link (w = 0: none) and the sessions' state
	 * pills placed this frame, which what is placed after avoids */
	struct draw_rect *pill;
	struct draw_rect spill[MAX_SPILLS];
	size_t nspills;
	/* the selected flow's panel, and a node's flow rows, for clicks */
	struct scene_flow_geom fg;
	struct flow_row {
		struct draw_rect r;
		uint32_t id;
	} flow_rows[MAX_FLOW_ROWS];
	size_t nflow_rows;
	/* the BGP or packet panel's lines as drawn (for tests), and the
	 * BGP panel's first route shown */
	char panel_lines[MAX_PANEL_LINES][240];
	size_t npanel_lines;
	/* the timeline's milestone labels as placed (for tests) */
	char tl_lines[64][160];
	size_t ntl_lines;
	/* the operations' lanes under the track (provops.c): each label's
	 * width (measured once), each operation's lane, and the bars with
	 * their labels as drawn this frame */
	float *op_lw;
	uint8_t *op_lane;
	size_t n_op_lanes;
	struct draw_rect op_box[MAX_OP_BOXES];
	size_t op_box_op[MAX_OP_BOXES];
	size_t nop_boxes;
	size_t bgp_first;
};

static inline struct draw_color
rgb(uint32_t v)
{
	return draw_rgb(v);
}

static inline struct draw_color
rgba(uint32_t v, uint8_t a)
{
	return draw_alpha(draw_rgb(v), a);
}

static inline struct draw_color
mix(uint32_t a, uint32_t b, float f)
{
	return draw_rgb(style_mix(a, b, f));
}

static inline bool
rect_has(struct draw_rect r, float x, float y)
{
	return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}

static inline bool
rects_overlap(struct draw_rect a, struct draw_rect b)
{
	return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h &&
	    b.y < a.y + a.h;
}

/* scene_geom.c */
bool scene_pkt_span(const struct replay_pkt *p, sim_time now, float *tail,
    float *head);
/* Share of its limit a queue holds (0 when empty, at least 0.04 else). */
float scene_queue_fill(const struct scene *sc, const struct replay *rp,
    uint32_t link, int dir);
/* Rectangle around the queue bar of (link, dir) and its count. */
int scene_queue_box(const struct scene *sc, uint32_t link, int dir,
    struct draw_rect *r);

/* scene.c: formatting */
void scene_fmt_clock(char *b, size_t n, sim_time t);
void scene_fmt_speed(char *b, size_t n, double sp);
void scene_fmt_rate(char *b, size_t n, uint64_t bps);
void scene_fmt_dur(char *b, size_t n, sim_time d);
void scene_fmt_prefix(char *b, size_t n, uint32_t p, uint8_t plen);

/* canvas.c, painted in this order */
void canvas_util(struct scene *sc, const struct replay *rp, sim_time now);
void canvas_groups(struct scene *sc, struct draw *d);
void canvas_links(struct scene *sc, struct draw *d, const struct replay *rp);
void canvas_queues(struct scene *sc, struct draw *d, const struct replay *rp);
/* Where the tag of a shaper's or policer's queue on (link, dir) goes,
 * reading text: beside its queue bar or a little along its lane, off every
 * node's tile and words and what was placed before it (place.c). */
int canvas_qdisc_tag(struct scene *sc, struct draw *d, uint32_t link,
    int dir, const char *text, struct draw_rect *r);
void canvas_sessions(struct scene *sc, struct draw *d,
    const struct replay *rp);
void canvas_packets(struct scene *sc, struct draw *d, const struct replay *rp,
    sim_time now);
void canvas_drops(struct scene *sc, struct draw *d, const struct replay *rp,
    sim_time now);
void canvas_nodes(struct scene *sc, struct draw *d, const struct replay *rp);
void canvas_down_pills(struct scene *sc, struct draw *d,
    const struct replay *rp);

/* canvas.c: node i's name, role and badges (drawn when draw) and the
 * box they take, sc->node_box[i] */
void canvas_node_text(struct scene *sc, struct draw *d,
    const struct replay *rp, size_t i, bool draw);

/*
 * place.c: before painting, every node's text box (canvas_prepare), then
 * after the groups, the DOWN pills (canvas_place_pills); canvas_clear:
 * whether r is on the canvas and off every tile, text box, pill, tag and
 * group title placed so far; canvas_place_on_curve: a w x h pill on the
 * polyline xy of npts points, as near its middle as is clear, kept.
 */
void canvas_prepare(struct scene *sc, struct draw *d,
    const struct replay *rp);
void canvas_place_pills(struct scene *sc, struct draw *d,
    const struct replay *rp);
bool canvas_clear(const struct scene *sc, struct draw_rect r);
/* How much r covers of them (weighted areas; INFINITY off the canvas). */
float canvas_cost(const struct scene *sc, struct draw_rect r);
struct draw_rect canvas_place_on_curve(struct scene *sc, const float *xy,
    size_t npts, float w, float h);

/* labels.c: link labels, then drop reasons, none overlapping */
void canvas_labels(struct scene *sc, struct draw *d, const struct replay *rp,
    sim_time now);

/* panels.c */
void panels_legend(struct scene *sc, struct draw *d);
/* The legend's width on one row. */
float panels_legend_width(struct draw *d);
void panels_side(struct scene *sc, struct draw *d, const struct replay *rp,
    sim_time now);
void panels_timeline(struct scene *sc, struct draw *d, sim_time now);
/* provops.c: the operations under the timeline's track. _measure once
 * per scene with a draw, _layout in the geometry (the band's height
 * beyond TIMELINE_H), panels_ops in the timeline's drawing. */
void provops_measure(struct scene *sc, struct draw *d);
float provops_layout(struct scene *sc, int h);
void panels_ops(struct scene *sc, struct draw *d, sim_time now);
/* The tooltip of the operation under (mx, my), if any: true when drawn. */
bool provops_hover(struct scene *sc, struct draw *d, int mx, int my);
/* panels.c: a tooltip by the mouse, one or two lines */
void panels_tooltip(struct scene *sc, struct draw *d, const char *l1,
    const char *l2);
void panels_header(struct scene *sc, struct draw *d, sim_time now);
void panels_hover(struct scene *sc, struct draw *d, const struct replay *rp,
    sim_time now);
void panels_help(struct scene *sc, struct draw *d);
float panels_section_title(struct draw *d, float x, float y, float w,
    const char *t);

/* flows.c: the selected flow's panel; a node's flows in its panel */
void panel_flow(struct scene *sc, struct draw *d, const struct replay *rp,
    sim_time now);
/* The node's live flows from y on (nothing when it has none); returns the
 * y after them. */
float panel_node_flows(struct scene *sc, struct draw *d,
    const struct replay *rp, uint32_t node, float x, float y, float w,
    float bottom);

/* bgp.c: the selected node's BGP neighbours and Loc-RIB; panels_note
 * keeps a line of text a panel draws, for scene_panel_line */
void panels_note(struct scene *sc, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void panel_bgp(struct scene *sc, struct draw *d, const struct replay *rp,
    sim_time now);

#endif
