/*
 * viz.h - the trace player: replay a .xct trace in a window or to PNG.
 *
 * A player owns a trace reader, the scan of the whole trace (topology,
 * events, timeline), the replay state at its current time and a draw target.
 * Moving forward applies the records in between; any other move seeks: the
 * reader jumps to the keyframe before (t - lookback) and the records up to t
 * are applied, where the lookback covers the longest a packet stays shown
 * (on the wire, in a queue, in the utilisation window, as a drop). So the
 * state at t, and the frame drawn from it, is the same however t was
 * reached. The viewer reads nothing but the trace.
 *
 * All functions that can fail return 0 or -1 with a message in err; a
 * corrupt or truncated trace is an error, never a crash.
 */
#ifndef XCSIM_VIZ_H
#define XCSIM_VIZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "units.h"

struct viz_opts {
	int width, height;	/* headless frame size */
	const char *select;	/* node to select (name), or NULL */
	const char *flow;	/* flow to select (its id), or NULL */
	const char *bgp;	/* node whose BGP panel to show, or NULL */
};

struct viz;

/* Open path for headless rendering. NULL + err on failure. */
struct viz *viz_open(const char *path, const struct viz_opts *o, char *err,
    size_t errlen);
void viz_close(struct viz *v);

sim_time viz_now(const struct viz *v);
sim_time viz_end_time(const struct viz *v);
/* Seek (always through a keyframe) to t. */
int viz_seek(struct viz *v, sim_time t, char *err, size_t errlen);
/* Play forward to t >= now, applying the records in between. */
int viz_play_to(struct viz *v, sim_time t, char *err, size_t errlen);
/* Forward when t >= now, else seek. */
int viz_goto(struct viz *v, sim_time t, char *err, size_t errlen);
/* Move to the next (dir > 0) or previous (dir < 0) record's time. */
int viz_step(struct viz *v, int dir, char *err, size_t errlen);

void viz_render(struct viz *v);
int viz_save_png(struct viz *v, const char *path, char *err, size_t errlen);
/* 0xRRGGBB at (x, y) of the last frame. */
uint32_t viz_pixel(struct viz *v, int x, int y);
const void *viz_pixels(struct viz *v, size_t *len);

/* Geometry of the last frame, for tests: a node's tile (x, y, w, h) by
 * name, and the point at fraction f of a link's lane (dir 0: from the
 * link's first node). Return 0, or -1 if there is no such thing. */
int viz_node_box(struct viz *v, const char *name, float box[4]);
int viz_link_point(struct viz *v, const char *link, int dir, float f,
    float *x, float *y);
/* Select a packet by uid (0: none) for the PDU view. */
void viz_select_packet(struct viz *v, uint64_t uid);
/* Select a flow by id for the flow view (on false: none). */
void viz_select_flow(struct viz *v, bool on, uint32_t id);
/*
 * The selected flow's panel in the last frame: the connection state's text
 * box, the window gauge's track (x, y, w, h), the width cwnd fills and the
 * x of the ssthresh mark (-1: not set). -1 when no live flow was shown.
 */
int viz_flow_box(struct viz *v, float state[4], float gauge[4],
    float *fill_w, float *ss_x);
/* The selected flow's window history plot in the last frame and the x of
 * the current time on it; -1 when none was drawn. */
int viz_flow_hist_box(struct viz *v, float box[4], float *now_x);

/*
 * The BGP panel (b) of the selected node: on or off, and the first
 * Loc-RIB route it shows (a scroll position; past the end shows the last).
 */
void viz_select_bgp(struct viz *v, bool on, size_t scroll);
/*
 * Line i of the text the last frame's BGP panel, or the selected packet's
 * decoded BGP or BFD messages, or a node panel's resource rows ("resource
 * NAME FIELD VALUE SINCE"), drew; NULL past the last. What the tests check
 * instead of pixels.
 */
const char *viz_panel_line(struct viz *v, size_t i);
/* The timeline's milestone label i of the last frame, in the order they
 * were placed (the provisioning's transitions first); NULL past the last. */
const char *viz_timeline_label(struct viz *v, size_t i);
/*
 * The trace's operation i (prov_op records in start order) as the last
 * frame drew it under the timeline: its bar with its label (x, y, w, h)
 * and its lane (0 nearest the track). -1 when it was not drawn.
 */
int viz_op_box(struct viz *v, size_t i, float box[4], int *lane);
/*
 * The i-th pill or tag the last frame placed on the canvas (DOWN pills,
 * the sessions' state pills, shaper and policer tags, in that order:
 * *kind 0, 1, 2), and the box of a node's words under its tile (name,
 * role, badges): what should not meet. -1 past the last, or for no such
 * node.
 */
int viz_placed_box(struct viz *v, size_t i, float box[4], int *kind);
int viz_node_text_box(struct viz *v, const char *name, float box[4]);

/* One frame at time at, written to png. */
int viz_png(const char *trace, const char *png, sim_time at,
    const struct viz_opts *o, char *err, size_t errlen);
/*
 * Frames from..to into dir/frame-00000.png and on. speed is simulated
 * seconds per second of video (0: spread the span over 10 s of video).
 */
int viz_frames(const char *trace, const char *dir, sim_time from, sim_time to,
    unsigned fps, double speed, const struct viz_opts *o, char *err,
    size_t errlen);
/* The interactive window; returns when it is closed. */
int viz_window(const char *trace, const struct viz_opts *o, char *err,
    size_t errlen);

#endif
