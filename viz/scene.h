/*
 * scene.h - one frame of the viewer, drawn from the scan and the replay.
 *
 * The frame has four parts: a header (trace name, clock, speed), the
 * topology canvas (region backdrops, links coloured by utilisation with
 * their labels and queue bars, sessions, packets on the wire coloured by
 * protocol, drops, node tiles with provisioning badges, and the legend as a
 * strip along its foot), a side panel (the selected node's sessions, flows
 * and routes, the selected flow's state and congestion window, the
 * selected packet's headers, or the packets on the wire; the event list
 * around the current time) and the timeline.
 *
 * scene_geometry() (scene_geom.c) computes where everything goes for a
 * target size and a view (pan, zoom); hit tests and the tests' pixel checks
 * use the same geometry as the drawing. canvas.c paints the topology,
 * labels.c places its labels so none overlaps another, panels.c paints what
 * is around it, and style.h holds the colours, names and state levels they
 * all use. Drawing depends only on the state and the view, never on
 * wall-clock time, so a frame is a function of (trace, t, view).
 */
#ifndef XCSIM_SCENE_H
#define XCSIM_SCENE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "draw.h"
#include "replay.h"
#include "scan.h"

#define SCENE_NONE UINT32_MAX

struct scene_view {
	float pan_x, pan_y;	/* pixels */
	float zoom;		/* 1 = fit */
	uint32_t sel_node;	/* SCENE_NONE for none */
	uint64_t sel_pkt;	/* uid, 0 for none */
	bool flow_sel;		/* a flow is selected: sel_flow */
	uint32_t sel_flow;	/* its id (a TCP connection's) */
	bool bgp;		/* the selected node's BGP panel (b) */
	size_t bgp_scroll;	/* its first Loc-RIB route shown */
	/* its window over its life, when read (the player's) */
	const struct scan_flow_hist *hist;
	int mouse_x, mouse_y;	/* -1 when not over the window */
	bool help;
	bool playing;
	double speed;		/* simulated seconds per second */
};

struct scene;

/* The scene keeps pointers to s, which must outlive it. */
struct scene *scene_new(const struct scan *s, const char *title);
void scene_free(struct scene *sc);

void scene_geometry(struct scene *sc, int w, int h,
    const struct scene_view *v);
void scene_render(struct scene *sc, struct draw *d, const struct replay *rp,
    sim_time now, const struct scene_view *v);

/* Node tile of node id (after scene_geometry). 0, or -1 if none. */
int scene_node_rect(const struct scene *sc, uint32_t id, struct draw_rect *r);
/* Point at fraction f (0 sender, 1 receiver) of a link's lane for dir. */
int scene_link_point(const struct scene *sc, uint32_t link, int dir, float f,
    float *x, float *y);
/* The timeline track: x of time t, and the track's rect. */
float scene_timeline_x(const struct scene *sc, sim_time t);
void scene_timeline_rect(const struct scene *sc, struct draw_rect *r);

/* Hit tests against the last geometry and render. */
uint32_t scene_hit_node(const struct scene *sc, int x, int y);
uint64_t scene_hit_packet(const struct scene *sc, const struct replay *rp,
    sim_time now, int x, int y);
/* Event row under (x, y): its index in the scan's events, or -1. */
long scene_hit_event(const struct scene *sc, int x, int y);
/* Time under x if (x, y) is on the timeline, else -1. */
sim_time scene_hit_timeline(const struct scene *sc, int x, int y);
/* The topology canvas of the last geometry. */
void scene_canvas_rect(const struct scene *sc, struct draw_rect *r);
/* The legend strip at the foot of the canvas (shown whatever is
 * selected). */
void scene_legend_rect(const struct scene *sc, struct draw_rect *r);
/* Whether (x, y) is on the topology canvas. */
bool scene_in_canvas(const struct scene *sc, int x, int y);

/* The queue bar of (link, dir): from (xy[0], xy[1]) at the sender's end
 * to (xy[2], xy[3]); it is filled from the start by the queue's share of
 * its limit. 0, or -1 if the lane is not drawn. */
int scene_queue_bar(const struct scene *sc, uint32_t link, int dir,
    float xy[4]);
/* Where drop dr is marked on the canvas: its node, its point on the wire,
 * or past its queue bar's end for one dropped at the queue. */
void scene_drop_place(const struct scene *sc, const struct replay *rp,
    const struct replay_drop *dr, float *x, float *y);
/*
 * The selected flow's panel in the last render (shown false when no flow
 * panel was drawn, or its flow is not live): the state's line, the window
 * gauge's track, how much of it cwnd fills, and where the ssthresh mark is
 * (-1 when ssthresh is not set).
 */
struct scene_flow_geom {
	bool shown;
	struct draw_rect state, gauge;
	float fill_w, ss_x;
	/* the window's history: its plot (w = 0: not drawn) and the x of
	 * now on it */
	struct draw_rect hist;
	float now_x;
};

const struct scene_flow_geom *scene_flow_geom(const struct scene *sc);
/* The flow whose row in a node's flow list is under (x, y): true and *id. */
bool scene_hit_flow(const struct scene *sc, int x, int y, uint32_t *id);

/* Line i of the text the last render's BGP panel, or packet panel's
 * decoded control-plane messages, drew (one entry per line, as drawn), or
 * NULL past the last. */
const char *scene_panel_line(const struct scene *sc, size_t i);
/* The timeline's milestone label i of the last frame as drawn (a cut one
 * ends in an ellipsis), in the order placed;
 * NULL past the last. */
const char *scene_timeline_label(const struct scene *sc, size_t i);
/* The i-th pill or tag placed on the canvas by the last render (DOWN
 * pills, sessions' state pills, shaper and policer tags, in that order,
 * *kind 0, 1 or 2); 0, or -1 past the last. */
int scene_placed(const struct scene *sc, size_t i, struct draw_rect *r,
    int *kind);
/* Node id's name, role and badges under its tile, as last drawn. */
int scene_node_text_rect(const struct scene *sc, uint32_t id,
    struct draw_rect *r);
/* Operation i's bar and label as drawn, and its lane; 0, or -1 when it
 * was not drawn. */
int scene_op_box(const struct scene *sc, size_t i, struct draw_rect *r,
    int *lane);

/* The first Loc-RIB route the last BGP panel showed. */
size_t scene_bgp_first(const struct scene *sc);

/* Labels placed on the canvas by the last render (link names and
 * parameters, drop reasons), which never overlap one another. */
enum scene_label_kind { SLK_LINK, SLK_DROP };

struct scene_label {
	struct draw_rect r;
	enum scene_label_kind kind;
	uint32_t link;		/* the link labelled, or of the drop */
	char text[192];		/* its lines, joined by "\n" */
};

const struct scene_label *scene_labels(const struct scene *sc, size_t *n);
/* The tags of shapers' and policers' queues drawn by the last render (at
 * most max): each one's rectangle and queue id. Returns how many. */
size_t scene_qdisc_tags(const struct scene *sc, struct draw_rect *r,
    uint32_t *queue, size_t max);

#endif
