/*
 * draw.h - the viewer's only door to SDL2, SDL2_ttf and SDL2_image.
 *
 * A draw context is a render target (a window, or an off-screen surface for
 * headless frames and plots) with its fonts and a cache of rendered strings.
 * Everything else in viz/ draws through these functions with small value
 * structs, between draw_begin_frame() and draw_end_frame(). Shapes are
 * triangles with a one-pixel alpha fringe (lines, circles, rounded rects), so
 * edges look anti-aliased even with the software renderer; consecutive
 * shapes are batched into one geometry call.
 *
 * Fonts are DejaVu from Debian's fonts-dejavu-core, looked up in
 * XCSIM_FONT_DIR if set, else /usr/share/fonts/truetype/dejavu.
 */
#ifndef XCSIM_DRAW_H
#define XCSIM_DRAW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct draw_color {
	uint8_t r, g, b, a;
};

struct draw_rect {
	float x, y, w, h;
};

static inline struct draw_color
draw_rgb(uint32_t rgb)
{
	return (struct draw_color){ (uint8_t)(rgb >> 16), (uint8_t)(rgb >> 8),
		(uint8_t)rgb, 255 };
}

static inline struct draw_color
draw_alpha(struct draw_color c, uint8_t a)
{
	c.a = a;
	return c;
}

enum draw_font {
	DF_SMALL,		/* sans 11 */
	DF_SANS,		/* sans 12 */
	DF_BOLD,		/* sans bold 12 */
	DF_MONO,		/* mono 11 */
	DF_TITLE,		/* sans bold 14 */
	DF_BIG,			/* sans bold 18 */
	DF_MAX
};

struct draw;

/* Off-screen w x h target (SDL's dummy video driver). NULL + err on failure. */
struct draw *draw_new_headless(int w, int h, char *err, size_t errlen);
/* A resizable window. NULL + err on failure. */
struct draw *draw_new_window(const char *title, int w, int h, char *err,
    size_t errlen);
void draw_free(struct draw *d);
void draw_size(const struct draw *d, int *w, int *h);

void draw_begin_frame(struct draw *d, struct draw_color bg);
/* Flush, and show the frame in a window. */
void draw_end_frame(struct draw *d);
/* Restrict drawing to r (NULL: the whole target). */
void draw_clip(struct draw *d, const struct draw_rect *r);

void draw_fill_rect(struct draw *d, struct draw_rect r, struct draw_color c);
void draw_round_rect(struct draw *d, struct draw_rect r, float radius,
    struct draw_color c);
void draw_round_rect_outline(struct draw *d, struct draw_rect r, float radius,
    float width, struct draw_color c);
void draw_line(struct draw *d, float x0, float y0, float x1, float y1,
    float width, struct draw_color c);
void draw_dashed_line(struct draw *d, float x0, float y0, float x1, float y1,
    float width, float dash, float gap, struct draw_color c);
void draw_circle(struct draw *d, float cx, float cy, float r,
    struct draw_color c);
void draw_ring(struct draw *d, float cx, float cy, float r, float width,
    struct draw_color c);
/* A filled convex polygon, points given clockwise or anticlockwise. */
void draw_poly(struct draw *d, const float *xy, size_t n, struct draw_color c);
/* A polyline (open), joined, of the given width. */
void draw_polyline(struct draw *d, const float *xy, size_t n, float width,
    struct draw_color c);
/* A quad with no fringe: four corners in order; cheap, for many packets. */
void draw_quad(struct draw *d, const float *xy, struct draw_color c);

/* Draws s with its top-left at (x, y); returns its width in pixels. */
int draw_text(struct draw *d, enum draw_font f, float x, float y,
    struct draw_color c, const char *s);
/* The same, clipped to max_w with an ellipsis when it does not fit. */
int draw_text_fit(struct draw *d, enum draw_font f, float x, float y,
    float max_w, struct draw_color c, const char *s);
/* s over at most max_lines lines of max_w, line_h apart, broken at spaces
 * (or between characters in a word too long for a line), the last line
 * ellipsised; returns the lines drawn. _lines only counts them. */
int draw_text_wrap(struct draw *d, enum draw_font f, float x, float y,
    float max_w, int max_lines, float line_h, struct draw_color c,
    const char *s);
int draw_text_wrap_lines(struct draw *d, enum draw_font f, float max_w,
    int max_lines, const char *s);
int draw_text_width(struct draw *d, enum draw_font f, const char *s);
int draw_font_height(const struct draw *d, enum draw_font f);
/* Texts of this frame that did not fit the clip rectangle (or the target)
 * and so were cut; *last (if not NULL) gets the latest such text. Callers
 * fit text with draw_text_fit or by layout, so this stays 0. */
unsigned draw_texts_cut(const struct draw *d, const char **last);

/* Texts drawn this frame; *uncached (if not NULL) gets how many of them
 * did not fit the string cache and were rendered for one use. */
unsigned draw_texts_drawn(const struct draw *d, unsigned *uncached);

/* 0xRRGGBB of the pixel at (x, y) of a headless target; 0 outside. */
uint32_t draw_pixel(struct draw *d, int x, int y);
/* The headless target's pixels (for frame comparison). */
const void *draw_pixels(struct draw *d, size_t *len);
/* Write the headless target to path (via path.tmp). 0 or -1 + err. */
int draw_save_png(struct draw *d, const char *path, char *err, size_t errlen);

enum draw_key {
	DK_NONE, DK_SPACE, DK_LEFT, DK_RIGHT, DK_UP, DK_DOWN, DK_PLUS,
	DK_MINUS, DK_HELP, DK_ESCAPE, DK_QUIT, DK_HOME, DK_END, DK_RESET,
	DK_FLOW,	/* f: next flow; with shift, the previous one */
	DK_BGP,		/* b: the selected node's BGP panel, on / off */
	DK_SCROLL_UP,	/* [ or page up: the BGP panel's Loc-RIB */
	DK_SCROLL_DOWN,	/* ] or page down */
	DK_MAX
};

enum draw_event_type {
	DE_NONE, DE_QUIT, DE_KEY, DE_MOUSE_DOWN, DE_MOUSE_UP, DE_MOUSE_MOVE,
	DE_WHEEL, DE_RESIZE, DE_MAX
};

struct draw_event {
	enum draw_event_type type;
	enum draw_key key;
	int x, y;		/* mouse position */
	int button;		/* 1 left, 2 middle, 3 right */
	bool shift;
	float wheel;		/* positive: away from the user */
};

/* Wait up to timeout_ms (0: poll) for an event. Returns 1 with *ev, or 0. */
int draw_poll_event(struct draw *d, struct draw_event *ev, int timeout_ms);
/* Milliseconds of wall-clock time, for pacing a window. */
uint64_t draw_ticks_ms(void);

#endif
